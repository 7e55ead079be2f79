import Foundation
import ImplicitRegCore
import ReadingSupport

/// Full-batch GD on an MNIST-5k tanh MLP at equal training time T = h·steps: R_IG = (1/m)‖∇E‖²
/// along training, the final sharpness (top Hessian eigenvalue by power iteration on exact
/// Hessian-vector products), test accuracy, and λ = hm/4 — for a sweep of h and for explicit
/// gradient regularisation E + μ‖∇E‖² at a small h.
enum MNISTExperiment {
    /// The training and test sets: a seeded split (the grid's streams: every seed shares it) of MNIST-5k, pooled and centred.
    static func data(_ setup: MNISTSetup, all: Dataset<Float>, streams: RandomStreams) throws -> (Dataset<Float>, Dataset<Float>) {
        var rng = streams.stream(.subset)
        let (first, rest) = try all.split(first: setup.trainSize, field: "mnist.train_size", using: &rng)
        let train = first.averagePooled(by: setup.pool)
        let test = try rest.first(setup.testSize, field: "mnist.test_size").averagePooled(by: setup.pool)
        let mean = train.featureMoments().mean
        return (train.centred(mean: mean), test.centred(mean: mean))
    }

    static func run(_ point: MNISTRun, setup: MNISTSetup, train: Dataset<Float>, test: Dataset<Float>,
                    context: RunContext) throws -> HDF5Document {
        let h = point.stepSize
        let streams = context.streams
        let model = Sequential<Float>(Architectures.mlp(input: train.featureCount, hidden: setup.hidden, output: 10, activation: .tanh),
                                      loss: SoftmaxCrossEntropy())
        var initRNG = streams.stream(.initialization)
        model.initialize(Initializer(.lecun, .normal), using: &initRNG)
        let m = model.parameterCount
        let steps = Int((setup.time / h).rounded())
        let penalty = point.explicit.map { GradientPenalty<Float>(coefficient: $0.coefficient, centred: false) }
        let sgd = MinibatchSGD(model: model, learningRate: h, shuffle: streams.stream(.shuffle), run: point.name,
                               remedy: "lower the step size (h = \(h))")
        let every = max(1, steps / setup.recordPoints)
        var times: [Double] = [], losses: [Double] = [], rigCurve: [Double] = []
        var rigIntegral = 0.0, previous = Double.nan, rig = 0.0
        context.progress.begin(point.name)
        for step in 0...steps {
            let loss: Double, gradientNormSquared: Double
            if let penalty {
                var normSquared = 0.0
                loss = try sgd.computeGradient { g in
                    let r = penalty.gradient(model, data: train, blocks: [train], into: g)
                    normSquared = r.meanBlockGradientNorm
                    return r.loss
                }
                gradientNormSquared = normSquared
            } else {
                loss = try sgd.computeGradient(on: train)
                gradientNormSquared = Float.sumOfSquares(sgd.gradient.pointer, m)
            }
            rig = gradientNormSquared / Double(m)
            // Trapezoidal time average: a left Riemann sum would weight the fast early fall of R_IG by h.
            if step > 0 { rigIntegral += (previous + rig) / 2 * h }
            previous = rig
            if step % every == 0 || step == steps {
                times.append(Double(step) * h)
                losses.append(loss)
                rigCurve.append(rig)
            }
            if step < steps { sgd.update() }
        }
        let trainEval = model.evaluate(train), testEval = model.evaluate(test)
        let sharpness = topEigenvalue(model, data: train, iterations: setup.powerIterations, streams: streams)
        var doc = HDF5Document()
        let c = "/curves/\(point.name)"
        doc.addDataset("\(c)/time", .double(times), units: "time (h·steps)", description: "training time at the recorded steps")
        doc.addDataset("\(c)/train_loss", .double(losses), units: "nats", description: "full-batch training loss E (without the explicit term)")
        doc.addDataset("\(c)/r_ig", .double(rigCurve), units: "loss²/parameter²", description: "R_IG = (1/m)‖∇E‖², the mean squared gradient component")
        doc.setAttribute("model", .string(model.summary), on: c)
        func scalar(_ name: String, _ v: Double, _ units: String, _ d: String) { doc.addScalar("/summary/\(point.name)/\(name)", v, units: units, description: d) }
        scalar("step_size", h, "1", "GD step size h")
        scalar("explicit_coefficient", point.explicit?.coefficient ?? 0, "1", "μ of the explicit term μ‖∇E‖² (0: none)")
        scalar("lambda", h * Double(m) / 4, "1", "λ = hm/4: the implicit coefficient of R_IG (m parameters)")
        scalar("lambda_total", (h / 4 + (point.explicit?.coefficient ?? 0)) * Double(m), "1",
               "(h/4 + μ)·m: implicit plus explicit coefficient of R_IG")
        scalar("r_ig_mean", rigIntegral / (Double(steps) * h), "loss²/parameter²",
               "R_IG averaged over the training time (trapezoidal rule over every step)")
        scalar("r_ig_final", rig, "loss²/parameter²", "R_IG at the end of training (time T)")
        scalar("sharpness", sharpness, "loss/parameter²", "top Hessian eigenvalue of E at the end (power iteration on exact HVPs)")
        scalar("train_loss", trainEval.loss, "nats", "final training loss")
        scalar("train_accuracy", trainEval.accuracy, "fraction", "final training accuracy")
        scalar("test_accuracy", testEval.accuracy, "fraction", "final test accuracy")
        scalar("steps", Double(steps), "steps", "GD steps (T/h)")
        scalar("parameter_count", Double(m), "parameters", "parameters m")
        return doc
    }

    /// The top Hessian eigenvalue by power iteration on exact Hessian-vector products.
    static func topEigenvalue(_ model: Sequential<Float>, data: Dataset<Float>, iterations: Int, streams: RandomStreams) -> Double {
        let m = model.parameterCount
        var rng = streams.stream("power-iteration")
        let v = Buffer<Float>(capacity: m), hv = Buffer<Float>(capacity: m), scratch = Buffer<Float>()
        for i in 0..<m { v.pointer[i] = Float(rng.nextNormal()) }
        var λ = 0.0
        for _ in 0..<iterations {
            Float.scal(m, Float(1 / Float.sumOfSquares(v.pointer, m).squareRoot()), v.pointer)
            model.fullHessianVectorProduct(v.pointer, into: hv.pointer, data: data, scratch: scratch)
            λ = Double(Float.dot(m, v.pointer, hv.pointer))
            Float.copy(hv.pointer, v.pointer, m)
        }
        return λ
    }

    /// Per-h seed means and the comparisons the claims read.
    static func summarize(_ points: [(PointSpec, HDF5Document)], setup: MNISTSetup, into doc: inout HDF5Document) {
        func value(_ p: MNISTRun, _ d: HDF5Document, _ name: String) -> Double { d.scalar("/summary/\(p.name)/\(name)") ?? .nan }
        let runs = points.compactMap { p -> (MNISTRun, HDF5Document)? in
            guard case let .mnist(run) = p.0 else { return nil }
            return (run, p.1)
        }
        guard !runs.isEmpty else { return }
        let seeds = Array(Set(runs.map(\.0.seed))).sorted()
        func lookup(_ h: Double, _ explicit: ExplicitRun?, _ seed: UInt64, _ name: String) -> Double {
            guard let (p, d) = runs.first(where: { $0.0.stepSize == h && $0.0.explicit == explicit && $0.0.seed == seed }) else { return .nan }
            return value(p, d, name)
        }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        let metrics = ["r_ig_mean", "r_ig_final", "sharpness", "test_accuracy", "train_loss", "lambda"]
        for name in metrics {
            doc.addDataset("/curves/mnist-sweep/\(name)", .double(setup.stepSizes.map { h in mean(seeds.map { lookup(h, nil, $0, name) }) }),
                           units: name == "test_accuracy" ? "fraction" : "see the runs' summaries",
                           description: "\(name), mean over \(seeds.count) seed(s), per step size")
        }
        doc.addDataset("/curves/mnist-sweep/step_size", .double(setup.stepSizes), units: "1", description: "GD step size h")
        let hMin = setup.stepSizes.first!, hMax = setup.stepSizes.last!
        func relativeDrops(_ name: String, from a: (UInt64) -> Double, to b: (UInt64) -> Double) -> [Double] {
            seeds.map { (a($0) - b($0)) / a($0) }
        }
        let sharpDrop = relativeDrops("sharpness", from: { lookup(hMin, nil, $0, "sharpness") }, to: { lookup(hMax, nil, $0, "sharpness") })
        let rigDrop = relativeDrops("r_ig_mean", from: { lookup(hMin, nil, $0, "r_ig_mean") }, to: { lookup(hMax, nil, $0, "r_ig_mean") })
        let rigFinalDrop = relativeDrops("r_ig_final", from: { lookup(hMin, nil, $0, "r_ig_final") }, to: { lookup(hMax, nil, $0, "r_ig_final") })
        let testGain = seeds.map { lookup(hMax, nil, $0, "test_accuracy") - lookup(hMin, nil, $0, "test_accuracy") }
        let s = "/summary/mnist"
        doc.addScalar("\(s)/sharpness_drop_min", sharpDrop.min()!, units: "1",
                      description: "min over seeds of (sharpness(h_min) − sharpness(h_max)) / sharpness(h_min)")
        doc.addScalar("\(s)/r_ig_drop_min", rigDrop.min()!, units: "1",
                      description: "min over seeds of (R_IG(h_min) − R_IG(h_max)) / R_IG(h_min), R_IG time-averaged along training")
        doc.addScalar("\(s)/r_ig_final_drop_min", rigFinalDrop.min()!, units: "1",
                      description: "min over seeds of (R_IG(h_min) − R_IG(h_max)) / R_IG(h_min) at the end of training")
        doc.addScalar("\(s)/test_accuracy_gain_mean", mean(testGain), units: "fraction",
                      description: "mean over seeds of test accuracy(h_max) − test accuracy(h_min)")
        doc.addScalar("\(s)/test_accuracy_gain_min", testGain.min()!, units: "fraction",
                      description: "min over seeds of test accuracy(h_max) − test accuracy(h_min)")
        // Seed statistics (one value per seed) for the directional claims: mean ± k SE.
        func statistic(_ name: String, _ values: [Double], _ units: String, _ description: String) {
            doc.addSeedStatistic("\(s)/by-seed/\(name)", SeedStatistic(values), units: units, description: description)
        }
        statistic("sharpness_drop", sharpDrop, "1", "(sharpness(h_min) − sharpness(h_max)) / sharpness(h_min)")
        statistic("r_ig_drop", rigDrop, "1", "(R_IG(h_min) − R_IG(h_max)) / R_IG(h_min), R_IG time-averaged along training")
        statistic("r_ig_final_drop", rigFinalDrop, "1", "(R_IG(h_min) − R_IG(h_max)) / R_IG(h_min) at the end of training")
        statistic("test_accuracy_gain", testGain, "fraction", "test accuracy(h_max) − test accuracy(h_min)")
        // The regime: how close the largest step came to the stability limit h·λ_max = 2 (λ_max from the
        // final sharpness of the run at h_max).
        let regime = seeds.map { hMax * lookup(hMax, nil, $0, "sharpness") }
        statistic("largest_h_times_sharpness", regime, "1", "h_max × sharpness at the end of the run at h_max (stability limit 2)")
        doc.addScalar("\(s)/largest_h_times_sharpness_max", regime.max()!, units: "1",
                      description: "largest over seeds of h_max × final sharpness of the run at h_max (the stability limit is 2)")
        let trainLoss = setup.stepSizes.flatMap { h in seeds.map { lookup(h, nil, $0, "train_loss") } }
        doc.addScalar("\(s)/train_loss_range", trainLoss.max()! - trainLoss.min()!, units: "loss",
                      description: "largest minus smallest final training loss over every step size and seed of the sweep")
        for (i, e) in setup.explicit.enumerated() {
            let small = { (seed: UInt64, n: String) in lookup(e.stepSize, nil, seed, n) }
            let large = { (seed: UInt64, n: String) in lookup(e.matchedStepSize, nil, seed, n) }
            let egr = { (seed: UInt64, n: String) in lookup(e.stepSize, e, seed, n) }
            let tag = i == 0 ? "egr" : "egr\(i)"
            for name in ["sharpness", "r_ig_mean", "r_ig_final"] {
                let drops = seeds.map { (small($0, name) - egr($0, name)) / small($0, name) }
                let closed = seeds.map { (small($0, name) - egr($0, name)) / (small($0, name) - large($0, name)) }
                doc.addScalar("\(s)/\(tag)_\(name)_drop_min", drops.min()!, units: "1",
                              description: "min over seeds of (\(name) at h_s − with the explicit term) / \(name) at h_s (h_s = \(e.stepSize), μ = \(e.coefficient))")
                doc.addScalar("\(s)/\(tag)_\(name)_gap_closed_mean", mean(closed), units: "1",
                              description: "mean over seeds of the fraction of the \(name) gap between h_s = \(e.stepSize) and h_L = \(e.matchedStepSize) that the explicit term closes")
                statistic("\(tag)_\(name)_drop", drops, "1", "(\(name) at h_s − with the explicit term) / \(name) at h_s (h_s = \(e.stepSize), μ = \(e.coefficient))")
                statistic("\(tag)_\(name)_gap_closed", closed, "1", "fraction of the \(name) gap between h_s = \(e.stepSize) and h_L = \(e.matchedStepSize) that the explicit term closes")
            }
            let gains = seeds.map { egr($0, "test_accuracy") - small($0, "test_accuracy") }
            doc.addScalar("\(s)/\(tag)_test_accuracy_gain_mean", mean(gains), units: "fraction",
                          description: "mean over seeds of test accuracy with the explicit term − without, both at h_s = \(e.stepSize)")
            doc.addScalar("\(s)/\(tag)_test_accuracy_gain_min", gains.min()!, units: "fraction",
                          description: "min over seeds of the same")
            statistic("\(tag)_test_accuracy_gain", gains, "fraction", "test accuracy with the explicit term − without, both at h_s = \(e.stepSize)")
        }
        doc.addScalar("\(s)/seeds", Double(seeds.count), units: "seeds", description: "initialisation seeds per run")
    }
}
