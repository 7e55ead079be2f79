import Foundation
import ImplicitRegCore
import ReadingSupport

/// How the binary labels of the evidence experiment are made.
enum Labeling: String, Codable, CaseIterable, Sendable {
    /// y = 1[digit ≥ positive_from_digit].
    case informative
    /// y ~ Bernoulli(½), drawn once per seed for the training rows (test labels stay informative).
    case random
}

/// The data set a batch-size sweep trains on.
enum SweepDataset: String, Codable, Sendable {
    /// MNIST-5k: a fixed pool of `pool_size` rows to draw N from, the last `test_size` rows to test on.
    case mnist5k = "mnist-5k"
    /// Fashion-MNIST: a stratified training subset of N images, the first `fashion_test_size` test images.
    case fashionMNIST = "fashion-mnist"
}

/// The quantity a sweep varies across its curves (each curve is one test-accuracy-vs-B sweep).
enum SweepFactor: String, Codable, Sendable {
    case learningRate = "learning-rate"
    case momentum
    case trainSize = "train-size"
    case weightDecay = "weight-decay"
}

/// Claim S1–S3: logistic regression on MNIST-5k with exact Newton fits and the Laplace evidence.
struct EvidenceConfig: Codable, Sendable, Equatable {
    /// Training examples N (the other 5000 − N images are the test set).
    var trainSizes: [Int]
    /// Seeds (offsets added to the experiment seed): each shuffles the split and draws random labels.
    var seeds: [UInt64]
    var labelings: [Labeling]
    /// Digits ≥ this are class 1.
    var positiveFromDigit: Int
    /// λ grid: `lambda_count` values from 10^`log10_lambda_max` down to 10^`log10_lambda_min`
    /// (summed-cost convention: C = Σ CE + (λ/2)‖ω‖²; a mean-loss coefficient is λ/N).
    var log10LambdaMax: Double
    var log10LambdaMin: Double
    var lambdaCount: Int
    /// Newton stops at ‖∇C‖_∞ < gradient_tolerance · max(1, λ).
    var gradientTolerance: Double
    var maxNewtonIterations: Int

    /// The λ grid, largest first (the order of the warm-started sweep).
    var lambdas: [Double] {
        (0..<lambdaCount).map { i in
            let t = lambdaCount == 1 ? 0 : Double(i) / Double(lambdaCount - 1)
            return pow10(log10LambdaMax + t * (log10LambdaMin - log10LambdaMax))
        }
    }

    func validate() throws {
        try requireValid(trainSizes.allSatisfy { $0 > 0 && $0 < 5000 }, field: "evidence.train_sizes", value: trainSizes,
                         "must be between 1 and 4999 (the rest of MNIST-5k is the test set)")
        try requireValid(Set(trainSizes).count == trainSizes.count, field: "evidence.train_sizes", value: trainSizes, "must be distinct")
        try requireValid(Set(seeds).count == seeds.count, field: "evidence.seeds", value: seeds, "must be distinct")
        try requireValid((1...9).contains(positiveFromDigit), field: "evidence.positive_from_digit", value: positiveFromDigit,
                         "must be in 1…9 so both classes exist")
        try requireValid(lambdaCount >= 3, field: "evidence.lambda_count", value: lambdaCount, "must be at least 3")
        try requireValid(log10LambdaMax > log10LambdaMin, field: "evidence.log10_lambda_max", value: log10LambdaMax,
                         "must exceed evidence.log10_lambda_min")
        try requireValid(log10LambdaMin >= -12, field: "evidence.log10_lambda_min", value: log10LambdaMin,
                         "must be ≥ −12 (λ must stay positive for the Laplace evidence)")
        try requireValid(gradientTolerance > 0, field: "evidence.gradient_tolerance", value: gradientTolerance, "must be positive")
        try requireValid(maxNewtonIterations > 0, field: "evidence.max_newton_iterations", value: maxNewtonIterations, "must be positive")
    }
}

/// One family of test-accuracy-vs-B curves: the product of its learning rates ε, momenta m,
/// training sizes N and weight decays is the set of curves, each swept over `batch_sizes`, each
/// point repeated for every seed. Points whose noise scale g = εN/(B(1 − m)) lies outside
/// [g_min, g_max] are left out (far-unstable small batches cost the most steps and only diverge),
/// and so are batches larger than the curve's N.
struct SweepConfig: Codable, Sendable, Equatable {
    /// Group name in the summary ("learning-rate").
    var name: String
    /// What the claim of this sweep varies (the x axis of its scaling fit).
    var varies: SweepFactor
    var dataset: SweepDataset
    /// Hidden widths of the ReLU MLP.
    var hidden: [Int]
    /// Epochs per run (fixed: a larger B takes fewer updates, E·⌈N/B⌉).
    var epochs: Int
    /// ε, the learning rate of the batch-mean loss.
    var learningRates: [Double]
    /// m, heavy-ball momentum (PyTorch form v ← m·v + g, ω ← ω − ε·v).
    var momenta: [Double]
    /// N, training examples.
    var trainSizes: [Int]
    /// L2 weight decay of the batch-mean loss on weights (not biases); the summed-cost λ is N·wd.
    var weightDecays: [Double]
    var batchSizes: [Int]
    var gMin: Double
    var gMax: Double
    var seeds: [UInt64]
    /// At least this many updates per run (a run trains max(E, ⌈U/⌈N/B⌉⌉) epochs); nil: E epochs.
    var minUpdates: Int?
    /// At least this many updates per training example too (U ≥ c·N): fitting a larger training
    /// set takes more updates, so a fixed count would leave the large-N, large-B runs short.
    var minUpdatesPerExample: Double?

    /// The resolved minimum number of updates of a run on `n` examples (nil: E epochs only).
    func minimumUpdates(trainSize n: Int) -> Int? {
        guard minUpdates != nil || minUpdatesPerExample != nil else { return nil }
        return max(minUpdates ?? 0, Int((minUpdatesPerExample ?? 0) * Double(n).rounded(.up)))
    }
    /// Evaluations of the training and test sets spread over each run (curves, best loss, plateau).
    var evaluations: Int?
    /// A run has converged when its final training loss is at most this (fixed before the run:
    /// only converged runs locate B_opt; a run that never trained cannot pass for "generalises worse").
    var convergedTrainLoss: Double

    func validate(field f: String, network: NetworkConfig) throws {
        try requireValid(!name.isEmpty && !name.contains("/"), field: "\(f).name", value: name, "must be non-empty without '/'")
        try requireValid(!hidden.isEmpty && hidden.allSatisfy { $0 > 0 }, field: "\(f).hidden", value: hidden, "widths must be positive")
        try requireValid(epochs > 0 && epochs <= ConfigLimits.maxEpochs, field: "\(f).epochs", value: epochs, "must be in 1…\(ConfigLimits.maxEpochs)")
        try requireValid(hidden.allSatisfy { $0 <= ConfigLimits.maxWidth }, field: "\(f).hidden", value: hidden, "widths must be at most \(ConfigLimits.maxWidth)")
        try requireValid(!learningRates.isEmpty && learningRates.allSatisfy { $0 > 0 && $0.isFinite }, field: "\(f).learning_rates",
                         value: learningRates, "must list positive numbers")
        try requireValid(!momenta.isEmpty && momenta.allSatisfy { $0 >= 0 && $0 < 1 }, field: "\(f).momenta", value: momenta,
                         "must list values in [0, 1)")
        try requireValid(!weightDecays.isEmpty && weightDecays.allSatisfy { $0 >= 0 }, field: "\(f).weight_decays",
                         value: weightDecays, "must list non-negative values")
        let limit = dataset == .mnist5k ? network.poolSize : 60_000
        try requireValid(!trainSizes.isEmpty && trainSizes.allSatisfy { $0 > 0 && $0 <= limit }, field: "\(f).train_sizes",
                         value: trainSizes, "must be between 1 and \(limit) (\(dataset == .mnist5k ? "network.pool_size" : "Fashion-MNIST's training set"))")
        try requireValid(batchSizes.count >= 2 && zip(batchSizes, batchSizes.dropFirst()).allSatisfy { $0 < $1 } && batchSizes[0] > 0,
                         field: "\(f).batch_sizes", value: batchSizes, "must be at least 2 increasing positive sizes")
        try requireValid(batchSizes[0] <= trainSizes.min()!, field: "\(f).batch_sizes", value: batchSizes,
                         "starts above the smallest training size \(trainSizes.min()!)")
        try requireValid(gMin >= 0 && gMax > gMin, field: "\(f).g_max", value: gMax, "must exceed g_min ≥ 0")
        try requireValid(!seeds.isEmpty && Set(seeds).count == seeds.count, field: "\(f).seeds", value: seeds, "must list distinct seeds")
        if let u = minUpdates {
            try requireValid(u > 0 && u <= 10_000_000, field: "\(f).min_updates", value: u, "must be in 1…10000000 (or absent: E epochs)")
        }
        if let c = minUpdatesPerExample {
            try requireValid(c > 0 && c <= 1000, field: "\(f).min_updates_per_example", value: c, "must be in (0, 1000] (or absent)")
        }
        if let k = evaluations {
            try requireValid(k >= 2 && k <= 1000, field: "\(f).evaluations", value: k, "must be in 2…1000 (or absent: one evaluation at the end)")
        }
        try requireValid(convergedTrainLoss > 0 && convergedTrainLoss.isFinite, field: "\(f).converged_train_loss", value: convergedTrainLoss,
                         "must be a positive training cross-entropy")
        let counts = [SweepFactor.learningRate: learningRates.count, .momentum: momenta.count,
                      .trainSize: trainSizes.count, .weightDecay: weightDecays.count]
        try requireValid(counts[varies]! >= 2, field: "\(f).varies", value: varies.rawValue,
                         "needs at least two values of the factor it varies")
    }
}

/// The network runs' shared settings.
struct NetworkConfig: Codable, Sendable, Equatable {
    var initializer: Initializer
    /// MNIST-5k rows (after one shuffle by the experiment seed) that training sets are drawn from.
    var poolSize: Int
    /// MNIST-5k rows after the pool used as the test set.
    var testSize: Int
    /// Fashion-MNIST test images (the first ones).
    var fashionTestSize: Int
    var evaluationChunk: Int

    func validate() throws {
        try requireValid(initializer.scale > 0, field: "network.initializer.scale", value: initializer.scale, "must be positive")
        try requireValid(poolSize > 0 && testSize > 0 && poolSize + testSize <= 5000, field: "network.test_size", value: testSize,
                         "plus network.pool_size must be positive and at most MNIST-5k's 5000 images")
        try requireValid(fashionTestSize > 0 && fashionTestSize <= 10_000, field: "network.fashion_test_size", value: fashionTestSize,
                         "must be in 1…10000")
        try requireValid(evaluationChunk > 0, field: "network.evaluation_chunk", value: evaluationChunk, "must be positive")
    }
}

/// The noise-scale reading's configuration (every hyperparameter named; see configs/*.json).
struct NoiseScaleConfig: ReadingConfig {
    var seed: UInt64
    var evidence: EvidenceConfig
    var network: NetworkConfig
    var sweeps: [SweepConfig]

    func validate() throws {
        try evidence.validate()
        try network.validate()
        try requireValid(Set(sweeps.map(\.name)).count == sweeps.count, field: "sweeps", value: sweeps.map(\.name), "names must be distinct")
        for (i, s) in sweeps.enumerated() { try s.validate(field: "sweeps[\(i)]", network: network) }
    }
}

/// 10^x.
func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }
