import Foundation
import ImplicitRegCore
import ReadingSupport

/// Full-batch GD on an MNIST-5k tanh MLP, each run stopped at the same training loss: λ_max along
/// the run (h·λ_max against the stability limit 2), R_IG = (1/m)‖∇E‖², the final sharpness, test
/// accuracy, and the loss increase under Gaussian parameter perturbations — for a sweep of h and
/// for explicit gradient regularisation E + μ‖∇E‖² at a small h. Summaries: `MNISTSummary.swift`.
enum MNISTExperiment {
    /// The run's training and test sets: a shuffle of MNIST-5k drawn from the run's own seed (every
    /// seed its own subset), pooled and centred with the training mean.
    static func data(_ setup: MNISTSetup, all: Dataset<Float>, streams: RandomStreams) throws -> (Dataset<Float>, Dataset<Float>) {
        var rng = streams.stream(.subset)
        let (first, rest) = try all.split(first: setup.trainSize, field: "mnist.train_size", using: &rng)
        let train = first.averagePooled(by: setup.pool)
        let test = try rest.first(setup.testSize, field: "mnist.test_size").averagePooled(by: setup.pool)
        let mean = train.featureMoments().mean
        return (train.centred(mean: mean), test.centred(mean: mean))
    }

    /// Parameters of the MLP `setup` describes (for the cost model).
    static func parameterCount(_ setup: MNISTSetup) -> Int {
        let input = (28 / setup.pool) * (28 / setup.pool)
        let widths = [input] + setup.hidden + [10]
        return zip(widths, widths.dropFirst()).reduce(0) { $0 + ($1.0 + 1) * $1.1 }
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
        let maxSteps = Int((setup.maxTime / h).rounded(.down))
        let penalty = point.explicit.map { GradientPenalty<Float>(coefficient: $0.coefficient, centred: false) }
        let sgd = MinibatchSGD(model: model, learningRate: h, shuffle: streams.stream(.shuffle), run: point.name,
                               remedy: "lower the step size (h = \(h))")
        var power = PowerIteration(model: model, data: train, streams: streams)
        var times: [Double] = [], losses: [Double] = [], rigCurve: [Double] = [], testCurve: [Double] = []
        var sharpTimes: [Double] = [], sharpCurve: [Double] = []
        var rigIntegral = 0.0, previous = Double.nan, rig = Double.nan
        var nextRecord = 0.0, nextSharpness = 0.0
        var step = 0, converged = false, diverged = false, loss = Double.nan
        context.progress.begin(point.name)
        while true {
            let t = Double(step) * h
            do {
                if let penalty {
                    var normSquared = 0.0
                    loss = try sgd.computeGradient { g in
                        let r = penalty.gradient(model, data: train, blocks: [train], into: g)
                        normSquared = r.meanBlockGradientNorm
                        return r.loss
                    }
                    rig = normSquared / Double(m)
                } else {
                    loss = try sgd.computeGradient(on: train)
                    rig = Float.sumOfSquares(sgd.gradient.pointer, m) / Double(m)
                }
            } catch TrainingError.divergedRun {
                diverged = true
                break
            }
            // Trapezoidal time average: a left Riemann sum would weight the fast early fall of R_IG by h.
            if step > 0 { rigIntegral += (previous + rig) / 2 * h }
            previous = rig
            converged = loss <= setup.stopTrainLoss
            let last = converged || step == maxSteps
            if t >= nextRecord || last {
                times.append(t)
                losses.append(loss)
                rigCurve.append(rig)
                testCurve.append(model.evaluate(test).accuracy)
                while nextRecord <= t { nextRecord += setup.recordInterval }
            }
            if t >= nextSharpness || last {
                sharpTimes.append(t)
                sharpCurve.append(power.estimate(iterations: setup.sharpnessIterations))
                while nextSharpness <= t { nextSharpness += setup.sharpnessInterval }
            }
            if last { break }
            sgd.update()
            step += 1
            if step % 100 == 0 { context.progress.update(String(format: "step %d, t = %.1f, E = %.4f", step, Double(step) * h, loss)) }
        }
        var doc = HDF5Document()
        let c = "/curves/\(point.name)"
        func scalar(_ name: String, _ v: Double, _ units: String, _ d: String) { doc.addScalar("/summary/\(point.name)/\(name)", v, units: units, description: d) }
        scalar("step_size", h, "1", "GD step size h")
        scalar("explicit_coefficient", point.explicit?.coefficient ?? 0, "1", "μ of the explicit term μ‖∇E‖² (0: none)")
        scalar("lambda", h * Double(m) / 4, "1", "λ = hm/4: the implicit coefficient of R_IG (m parameters)")
        scalar("lambda_total", (h / 4 + (point.explicit?.coefficient ?? 0)) * Double(m), "1",
               "(h/4 + μ)·m: implicit plus explicit coefficient of R_IG")
        scalar("parameter_count", Double(m), "parameters", "parameters m")
        scalar("converged", converged ? 1 : 0, "1", "1 if the training loss reached mnist.stop_train_loss before mnist.max_time")
        scalar("diverged", diverged ? 1 : 0, "1", "1 if the loss or gradient became NaN or infinite (the run's other numbers are NaN)")
        scalar("steps", Double(step), "steps", "GD steps taken (to the stopping rule)")
        scalar("stop_time", Double(step) * h, "time (h·steps)", "training time at the stop")
        if diverged {
            for name in ["train_loss", "train_accuracy", "test_accuracy", "sharpness", "h_lambda_max", "r_ig_final", "r_ig_mean"] {
                scalar(name, .nan, "1", "not measured: the run diverged")
            }
            return doc
        }
        doc.addDataset("\(c)/time", .double(times), units: "time (h·steps)", description: "training time at the recorded steps")
        doc.addDataset("\(c)/train_loss", .double(losses), units: "nats", description: "full-batch training loss E (without the explicit term)")
        doc.addDataset("\(c)/r_ig", .double(rigCurve), units: "loss²/parameter²", description: "R_IG = (1/m)‖∇E‖², the mean squared gradient component")
        doc.addDataset("\(c)/test_accuracy", .double(testCurve), units: "fraction", description: "test accuracy at the recorded steps")
        doc.setAttribute("model", .string(model.summary), on: c)
        doc.addDataset("\(c)/sharpness/time", .double(sharpTimes), units: "time (h·steps)", description: "training time of the λ_max estimates")
        doc.addDataset("\(c)/sharpness/lambda_max", .double(sharpCurve), units: "loss/parameter²",
                       description: "top Hessian eigenvalue of E along the run (warm-started power iteration on exact HVPs)")
        doc.addDataset("\(c)/sharpness/h_lambda_max", .double(sharpCurve.map { h * $0 }), units: "1",
                       description: "h·λ_max along the run (GD on a quadratic is stable below 2)")
        let trainEval = model.evaluate(train), testEval = model.evaluate(test)
        let sharpness = power.estimate(iterations: setup.powerIterations)
        scalar("train_loss", trainEval.loss, "nats", "final training loss")
        scalar("train_accuracy", trainEval.accuracy, "fraction", "final training accuracy")
        scalar("test_accuracy", testEval.accuracy, "fraction", "final test accuracy")
        scalar("sharpness", sharpness, "loss/parameter²", "top Hessian eigenvalue of E at the end (power iteration on exact HVPs)")
        scalar("h_lambda_max", h * max(sharpness, sharpCurve.max() ?? .nan), "1",
               "largest h·λ_max along the run and at the end (the stability limit of GD on a quadratic is 2)")
        scalar("r_ig_final", rig, "loss²/parameter²", "R_IG = (1/m)‖∇E‖² at the stop")
        scalar("r_ig_mean", step > 0 ? rigIntegral / (Double(step) * h) : rig, "loss²/parameter²",
               "R_IG averaged over the training time (trapezoidal rule over every step)")
        let robustness = perturb(model, train: train, test: test, base: (trainEval.loss, testEval.accuracy), setup: setup, streams: streams)
        let p = "\(c)/perturbation"
        doc.addDataset("\(p)/scale", .double(setup.perturbationScales), units: "1",
                       description: "relative perturbation scale σ: θ + σ(‖θ‖/√m)z, z ~ N(0, I)")
        doc.addDataset("\(p)/loss_increase", .double(robustness.lossIncrease), units: "nats",
                       description: "training loss of the perturbed network minus the trained one's, mean over \(setup.perturbationDraws) draws")
        doc.addDataset("\(p)/test_accuracy_drop", .double(robustness.accuracyDrop), units: "fraction",
                       description: "test accuracy of the trained network minus the perturbed one's, mean over the draws")
        doc.setDimensionScale("\(p)/scale")
        return doc
    }

    /// Mean training-loss increase and test-accuracy drop over `perturbation_draws` Gaussian
    /// perturbations per scale. The draws come from the run's seed: every run of a seed sees the
    /// same directions z, so comparisons between its runs are paired.
    static func perturb(_ model: Sequential<Float>, train: Dataset<Float>, test: Dataset<Float>, base: (loss: Double, accuracy: Double),
                        setup: MNISTSetup, streams: RandomStreams) -> (lossIncrease: [Double], accuracyDrop: [Double]) {
        let m = model.parameterCount
        let θ = model.parameters.pointer
        let norm = Float.sumOfSquares(θ, m).squareRoot()
        var rng = streams.stream("parameter-perturbation")
        let perturbed = Buffer<Float>(capacity: m)
        var lossIncrease: [Double] = [], accuracyDrop: [Double] = []
        for σ in setup.perturbationScales {
            let scale = σ * norm / Double(m).squareRoot()
            var dl = 0.0, da = 0.0
            for _ in 0..<setup.perturbationDraws {
                for i in 0..<m { perturbed.pointer[i] = θ[i] + Float(scale * rng.nextNormal()) }
                dl += model.evaluate(train, parameters: perturbed.pointer).loss - base.loss
                da += base.accuracy - model.evaluate(test, parameters: perturbed.pointer).accuracy
            }
            lossIncrease.append(dl / Double(setup.perturbationDraws))
            accuracyDrop.append(da / Double(setup.perturbationDraws))
        }
        return (lossIncrease, accuracyDrop)
    }
}

/// The top Hessian eigenvalue of the full-batch loss by power iteration on exact Hessian-vector
/// products, warm-started from the previous estimate's vector so that a few iterations track
/// λ_max along a run.
struct PowerIteration {
    let model: Sequential<Float>
    let data: Dataset<Float>
    private let v: Buffer<Float>, hv = Buffer<Float>(), scratch = Buffer<Float>()

    init(model: Sequential<Float>, data: Dataset<Float>, streams: RandomStreams) {
        self.model = model
        self.data = data
        let m = model.parameterCount
        v = Buffer<Float>(capacity: m)
        hv.reserve(m)
        var rng = streams.stream("power-iteration")
        for i in 0..<m { v.pointer[i] = Float(rng.nextNormal()) }
    }

    /// λ ≈ vᵀHv after `iterations` steps v ← Hv/‖Hv‖ from the current vector.
    mutating func estimate(iterations: Int) -> Double {
        let m = model.parameterCount
        var λ = Double.nan
        for _ in 0..<iterations {
            Float.scal(m, Float(1 / Float.sumOfSquares(v.pointer, m).squareRoot()), v.pointer)
            model.fullHessianVectorProduct(v.pointer, into: hv.pointer, data: data, scratch: scratch)
            λ = Double(Float.dot(m, v.pointer, hv.pointer))
            Float.copy(hv.pointer, v.pointer, m)
        }
        return λ
    }
}
