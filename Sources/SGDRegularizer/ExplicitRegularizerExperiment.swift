import Foundation
import ImplicitRegCore
import ReadingSupport

/// Real data: SGD, full-batch GD, and GD plus the explicit minibatch-variance term
/// (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖² (fresh random partition into blocks of B every step), at equal training
/// time T = ε·steps, on MNIST-5k with a fraction of the training labels flipped.
///
/// Only the variance part is added to GD: GD with step ε already carries (ε/4)‖∇C‖² implicitly, so
/// adding Smith et al.'s full (ε/4m)Σₖ‖∇Ĉₖ‖² would count that part twice.
enum ExplicitRegularizerExperiment {
    static func data(_ setup: DataExperimentSetup, all: Dataset<Float>, streams: RandomStreams, noisy: Bool)
        throws -> (train: Dataset<Float>, test: Dataset<Float>, flipped: [Int]) {
        var rng = streams.stream(.subset)
        let (first, rest) = try all.split(first: setup.trainSize, field: "data_experiment.train_size", using: &rng)
        var train = first.averagePooled(by: setup.pool)
        let test = try rest.first(setup.testSize, field: "data_experiment.test_size").averagePooled(by: setup.pool)
        let mean = train.featureMoments().mean
        train = train.centred(mean: mean)
        var flipped: [Int] = []
        if noisy {
            var labelRNG = streams.stream(.labels)
            (train, flipped) = train.flippingLabels(count: Int((setup.labelNoise * Double(setup.trainSize)).rounded()), using: &labelRNG)
        }
        return (train, test.centred(mean: mean), flipped)
    }

    static func run(_ point: RegularizerRun, setup: DataExperimentSetup, all: Dataset<Float>,
                    context: RunContext) throws -> HDF5Document {
        let method = point.method, noisy = point.noisyLabels
        // The split, the flipped labels and the evaluation partition come from the grid's streams (every
        // seed shares them); the point's own streams drive init and order.
        let (train, test, flipped) = try data(setup, all: all, streams: context.gridStreams, noisy: noisy)
        let streams = context.streams
        let model = Sequential<Float>(Architectures.mlp(input: train.featureCount, hidden: setup.hidden, output: 10, activation: .tanh),
                                      loss: SoftmaxCrossEntropy())
        var initRNG = streams.stream(.initialization)
        model.initialize(Initializer(.lecun, .normal), using: &initRNG)
        let p = model.parameterCount, n = train.count, b = setup.batchSize, m = n / b
        let ε = setup.learningRate
        let sgd = MinibatchSGD(model: model, learningRate: ε, shuffle: streams.stream(.shuffle), run: point.name,
                               remedy: "lower data_experiment.learning_rate")
        let penalty = GradientPenalty<Float>(coefficient: ε / 4, centred: true)
        let steps = method == .sgd ? m * Int((setup.time / (ε * Double(m))).rounded()) : Int((setup.time / ε).rounded())
        var lastEpochR: [Double] = []
        // Training curves on the time axis T = ε·steps (every `evaluation_interval` of time, and at the end):
        // GD's curve is where the matched-fit comparison finds the step at which GD reaches SGD's final fit.
        let every = max(1, Int((setup.evaluationInterval / ε).rounded()))
        var curveTime: [Double] = [], curveTrainAccuracy: [Double] = [], curveTrainLoss: [Double] = [], curveTestAccuracy: [Double] = []
        func record(_ stepsDone: Int) {
            let tr = model.evaluate(train), te = model.evaluate(test)
            curveTime.append(Double(stepsDone) * ε)
            curveTrainAccuracy.append(tr.accuracy)
            curveTrainLoss.append(tr.loss)
            curveTestAccuracy.append(te.accuracy)
        }
        record(0)
        context.progress.begin(point.name)
        for step in 0..<steps {
            let loss: Double
            switch method {
            case .sgd:
                loss = try sgd.computeGradient(on: sgd.partitionBatch(train, batchSize: b))
                if step >= steps - m { lastEpochR.append(meanBlockGradientNorm(model, train, blockSize: b, partition: context.gridStreams)) }
            case .gd:
                loss = try sgd.computeGradient(on: train)
            case .gdRegularized:
                let blocks = sgd.randomBlocks(train, batchSize: b)
                loss = try sgd.computeGradient { penalty.gradient(model, data: train, blocks: blocks, into: $0).loss }
            }
            sgd.update()
            if (step + 1) % every == 0 || step + 1 == steps { record(step + 1) }
            if step % 100 == 0 { context.progress.say("\(point.name): step \(step)/\(steps), loss \(String(format: "%.4f", loss))") }
        }
        let trainEval = model.evaluate(train), testEval = model.evaluate(test)
        // Memorisation: how many flipped examples the model predicts with their (wrong) training label.
        var memorised = 0
        if !flipped.isEmpty {
            let sub = train.subset(flipped)
            memorised = Int((model.evaluate(sub).accuracy * Double(flipped.count)).rounded())
        }
        let r = meanBlockGradientNorm(model, train, blockSize: b, partition: context.gridStreams)
        var doc = HDF5Document()
        func scalar(_ name: String, _ v: Double, _ units: String, _ d: String) { doc.addScalar("/summary/\(point.name)/\(name)", v, units: units, description: d) }
        scalar("test_accuracy", testEval.accuracy, "fraction", "final test accuracy (true labels)")
        scalar("train_accuracy", trainEval.accuracy, "fraction", "final training accuracy on the labels trained on")
        scalar("train_loss", trainEval.loss, "nats", "final training loss")
        scalar("memorised_fraction", flipped.isEmpty ? .nan : Double(memorised) / Double(flipped.count), "fraction",
               "fraction of the flipped training examples predicted with their flipped label")
        scalar("block_gradient_norm", r, "loss²/parameter²",
               "R = (1/m)Σₖ‖∇Ĉₖ‖² at the end, on a fixed evaluation partition into blocks of B")
        scalar("block_gradient_norm_last_epoch", lastEpochR.isEmpty ? r : lastEpochR.reduce(0, +) / Double(lastEpochR.count), "loss²/parameter²",
               "R averaged over the last epoch's iterates (SGD; its end value fluctuates), the end value otherwise")
        scalar("steps", Double(steps), "steps", "optimizer steps (T/ε)")
        let c = "/curves/\(point.name)"
        doc.addDataset("\(c)/time", .double(curveTime), units: "ε·steps", description: "training time T = ε·steps at each evaluation")
        doc.addDataset("\(c)/train_accuracy", .double(curveTrainAccuracy), units: "fraction", description: "training accuracy on the labels trained on")
        doc.addDataset("\(c)/train_loss", .double(curveTrainLoss), units: "nats", description: "training loss on the labels trained on")
        doc.addDataset("\(c)/test_accuracy", .double(curveTestAccuracy), units: "fraction", description: "test accuracy (true labels)")
        scalar("parameter_count", Double(p), "parameters", "parameters")
        return doc
    }

    /// (1/m)Σₖ‖∇Ĉₖ‖² on the partition of `data` into consecutive blocks of a fixed permutation (`partition`'s stream).
    static func meanBlockGradientNorm(_ model: Sequential<Float>, _ data: Dataset<Float>, blockSize b: Int, partition: RandomStreams) -> Double {
        var rng = partition.stream("evaluation-partition")
        let perm = rng.permutation(data.count)
        let m = data.count / b, p = model.parameterCount
        let g = Buffer<Float>(capacity: p), scratch = Buffer<Float>()
        var total = 0.0
        for k in 0..<m {
            model.fullGradient(data.subset(Array(perm[(k * b)..<((k + 1) * b)])), into: g.pointer, scratch: scratch)
            total += Float.sumOfSquares(g.pointer, p)
        }
        return total / Double(m)
    }

    /// GD's test accuracy at the first evaluation where its training accuracy reaches `target`, the time of
    /// that evaluation and the overshoot in training accuracy (NaN if GD never reaches `target`).
    static func matchedFit(target: Double, curves d: HDF5Document, point: String) -> (test: Double, time: Double, gap: Double) {
        guard case let .double(train)? = d.datasets["/curves/\(point)/train_accuracy"]?.values,
              case let .double(test)? = d.datasets["/curves/\(point)/test_accuracy"]?.values,
              case let .double(time)? = d.datasets["/curves/\(point)/time"]?.values,
              let i = train.firstIndex(where: { $0 >= target }) else { return (.nan, .nan, .nan) }
        return (test[i], time[i], train[i] - target)
    }

    /// Seed means and the comparisons the claims read, per label condition.
    static func summarize(_ points: [(PointSpec, HDF5Document)], into doc: inout HDF5Document) {
        let runs = points.compactMap { p -> (RegularizerRun, HDF5Document)? in
            guard case let .explicitRegularizer(run) = p.0 else { return nil }
            return (run, p.1)
        }
        guard !runs.isEmpty else { return }
        for noisy in [true, false] {
            let cond = noisy ? "noisy" : "clean"
            let here = runs.filter { $0.0.noisyLabels == noisy }
            guard !here.isEmpty else { continue }
            let seeds = Array(Set(here.map(\.0.seed))).sorted()
            func v(_ method: TrainingMethod, _ seed: UInt64, _ name: String) -> Double {
                guard let (p, d) = here.first(where: { $0.0.method == method && $0.0.seed == seed }) else { return .nan }
                return d.scalar("/summary/\(p.name)/\(name)") ?? .nan
            }
            func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
            let s = "/summary/explicit-regularizer/\(cond)"
            let methods = TrainingMethod.allCases.filter { m in here.contains { $0.0.method == m } }
            for method in methods {
                for name in ["test_accuracy", "train_accuracy", "memorised_fraction", "block_gradient_norm_last_epoch"] {
                    doc.addScalar("\(s)/\(method.rawValue)/\(name)", mean(seeds.map { v(method, $0, name) }), units: "see the runs",
                                  description: "\(name) of \(method.rawValue), mean over \(seeds.count) seed(s)")
                }
            }
            doc.addScalar("\(s)/sgd_minus_gd_test_accuracy", mean(seeds.map { v(.sgd, $0, "test_accuracy") - v(.gd, $0, "test_accuracy") }),
                          units: "fraction", description: "seed mean of test accuracy SGD − GD")
            let regularized = methods.contains(.gdRegularized)
            if regularized {
                doc.addScalar("\(s)/regularized_minus_gd_test_accuracy",
                              mean(seeds.map { v(.gdRegularized, $0, "test_accuracy") - v(.gd, $0, "test_accuracy") }),
                              units: "fraction", description: "seed mean of test accuracy (GD + variance term) − GD")
                doc.addScalar("\(s)/regularized_over_gd_block_gradient_norm_max",
                              seeds.map { v(.gdRegularized, $0, "block_gradient_norm") / v(.gd, $0, "block_gradient_norm") }.max()!,
                              units: "1", description: "max over seeds of R(GD + variance term) / R(GD), R = (1/m)Σₖ‖∇Ĉₖ‖² at the end")
            }
            if noisy {
                doc.addScalar("\(s)/gd_minus_sgd_memorised_min", seeds.map { v(.gd, $0, "memorised_fraction") - v(.sgd, $0, "memorised_fraction") }.min()!,
                              units: "fraction", description: "min over seeds of the memorised flipped fraction, GD − SGD")
            }
            if noisy && regularized {
                doc.addScalar("\(s)/gd_minus_regularized_memorised_min",
                              seeds.map { v(.gd, $0, "memorised_fraction") - v(.gdRegularized, $0, "memorised_fraction") }.min()!,
                              units: "fraction", description: "min over seeds of the memorised flipped fraction, GD − (GD + variance term)")
            }
            // Seed statistics (one value per seed) for the directional checks, and the fit of each method.
            func statistic(_ name: String, _ values: [Double], _ units: String, _ description: String) {
                doc.addSeedStatistic("\(s)/by-seed/\(name)", SeedStatistic(values), units: units, description: description)
            }
            func difference(_ a: TrainingMethod, _ b: TrainingMethod, _ name: String) -> [Double] { seeds.map { v(a, $0, name) - v(b, $0, name) } }
            statistic("sgd_minus_gd_test_accuracy", difference(.sgd, .gd, "test_accuracy"), "fraction", "test accuracy SGD − GD")
            if regularized {
                statistic("regularized_minus_gd_test_accuracy", difference(.gdRegularized, .gd, "test_accuracy"), "fraction", "test accuracy (GD + variance term) − GD")
                statistic("regularized_over_gd_block_gradient_norm", seeds.map { v(.gdRegularized, $0, "block_gradient_norm") / v(.gd, $0, "block_gradient_norm") },
                          "1", "R(GD + variance term) / R(GD), R = (1/m)Σₖ‖∇Ĉₖ‖² at the end")
            }
            // Matched fit: GD stopped where its training accuracy (on the labels trained on) first reaches
            // SGD's final training accuracy, read from GD's training curve; then SGD − GD at that point.
            let matched = seeds.map { seed -> (test: Double, time: Double, gap: Double) in
                guard let (p, d) = here.first(where: { $0.0.method == .gd && $0.0.seed == seed }) else { return (.nan, .nan, .nan) }
                return matchedFit(target: v(.sgd, seed, "train_accuracy"), curves: d, point: p.name)
            }
            statistic("sgd_minus_gd_matched_fit_test_accuracy", zip(seeds, matched).map { v(.sgd, $0.0, "test_accuracy") - $0.1.test }, "fraction",
                      "test accuracy SGD − GD stopped at SGD's final training accuracy (matched fit)")
            statistic("gd_matched_fit_time", matched.map(\.time), "ε·steps", "time at which GD first reaches SGD's final training accuracy")
            statistic("matched_fit_train_accuracy_gap", matched.map(\.gap), "fraction",
                      "training accuracy of GD at the matched-fit point − SGD's final training accuracy (≥ 0; one evaluation interval of overshoot)")
            if regularized {
                let matchedRegularized = seeds.map { seed -> Double in
                    guard let (p, d) = here.first(where: { $0.0.method == .gd && $0.0.seed == seed }) else { return .nan }
                    return matchedFit(target: v(.gdRegularized, seed, "train_accuracy"), curves: d, point: p.name).test
                }
                statistic("regularized_minus_gd_matched_fit_test_accuracy",
                          zip(seeds, matchedRegularized).map { v(.gdRegularized, $0.0, "test_accuracy") - $0.1 }, "fraction",
                          "test accuracy (GD + variance term) − GD stopped at its final training accuracy (matched fit)")
            }
            let gdBest = seeds.map { seed -> Double in
                guard let (p, d) = here.first(where: { $0.0.method == .gd && $0.0.seed == seed }),
                      case let .double(test)? = d.datasets["/curves/\(p.name)/test_accuracy"]?.values else { return .nan }
                return test.max() ?? .nan
            }
            statistic("sgd_minus_gd_best_on_curve_test_accuracy", zip(seeds, gdBest).map { v(.sgd, $0.0, "test_accuracy") - $0.1 }, "fraction",
                      "test accuracy SGD − the best test accuracy anywhere on GD's curve (early stopping chosen on the test set: favours GD)")
            statistic("sgd_minus_gd_train_accuracy", difference(.sgd, .gd, "train_accuracy"), "fraction", "training accuracy SGD − GD at the end (equal time)")
            let fitGaps = seeds.map { seed in methods.filter { $0 != .gd }.map { abs(v(.gd, seed, "train_accuracy") - v($0, seed, "train_accuracy")) }.max()! }
            doc.addScalar("\(s)/train_accuracy_gap_to_gd_max", fitGaps.max()!, units: "fraction",
                          description: "largest over seeds and methods (SGD, GD + variance term) of |train accuracy(GD) − train accuracy(method)| at the end (equal time)")
            if noisy {
                statistic("gd_minus_sgd_memorised", difference(.gd, .sgd, "memorised_fraction"), "fraction", "memorised flipped fraction, GD − SGD")
                if regularized {
                    statistic("gd_minus_regularized_memorised", difference(.gd, .gdRegularized, "memorised_fraction"), "fraction", "memorised flipped fraction, GD − (GD + variance term)")
                }
            }
            doc.addScalar("\(s)/seeds", Double(seeds.count), units: "seeds", description: "seeds per method")
        }
    }
}
