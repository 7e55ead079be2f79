import ImplicitRegCore
import ReadingSupport

/// The least-squares part (Zhang et al. 2017 §5): GD/SGD on a Gaussian instance, and RBF kernel
/// interpolation on MNIST-5k.
struct LeastSquaresConfig: Codable, Sendable {
    /// Instance X ∈ ℝ^{n×d} with N(0, 1/d) entries, y ~ N(0, 1).
    var n: Int
    var d: Int
    /// Seeds of the Gaussian instances (offsets added to the experiment seed).
    var seeds: [UInt64]
    /// The second starting point w₀ has N(0, start_sd²) entries.
    var startSd: Double
    var gdLearningRate: Double
    var gdMaxSteps: Int
    /// GD stops once ‖Xw − y‖ ≤ this·‖y‖.
    var gdStopResidual: Double
    var sgdLearningRate: Double
    var sgdEpochs: Int
    /// Kernel interpolation on MNIST-5k (nil: not run).
    var kernel: KernelConfig?

    func validate() throws {
        try requireValid(n > 0 && d > n, field: "least_squares.d", value: d, "must exceed least_squares.n (an under-determined problem)")
        try requireValid(!seeds.isEmpty, field: "least_squares.seeds", value: seeds, "must list at least one seed")
        try requireValid(startSd > 0, field: "least_squares.start_sd", value: startSd, "must be positive")
        try requireValid(gdLearningRate > 0, field: "least_squares.gd_learning_rate", value: gdLearningRate, "must be positive")
        try requireValid(sgdLearningRate > 0, field: "least_squares.sgd_learning_rate", value: sgdLearningRate, "must be positive")
        try requireValid(gdMaxSteps > 0, field: "least_squares.gd_max_steps", value: gdMaxSteps, "must be positive")
        try requireValid(sgdEpochs > 0 && sgdEpochs <= ConfigLimits.maxEpochs, field: "least_squares.sgd_epochs", value: sgdEpochs, "must be in 1…\(ConfigLimits.maxEpochs)")
        if let kernel { try kernel.validate() }
    }
}

/// RBF kernel interpolation k = exp(−γ‖x − x'‖²), γ = 1/(c·median‖xᵢ − xⱼ‖²).
struct KernelConfig: Codable, Sendable {
    var trainSize: Int
    var testSize: Int
    /// The bandwidth factors c, one point each.
    var bandwidthFactors: [Double]
    /// Ridge λ of (K + λI)α = Y, compared with the interpolant.
    var ridges: [Double]
    /// Training points the median distance is taken over.
    var medianSample: Int

    func validate() throws {
        try requireValid(trainSize > 0 && testSize > 0 && trainSize + testSize <= 5000, field: "least_squares.kernel.train_size",
                         value: trainSize, "and test_size must be positive and add up to at most MNIST-5k's 5000 images")
        try requireValid(!bandwidthFactors.isEmpty && bandwidthFactors.allSatisfy { $0 > 0 }, field: "least_squares.kernel.bandwidth_factors",
                         value: bandwidthFactors, "must list positive factors")
        try requireValid(ridges.allSatisfy { $0 > 0 }, field: "least_squares.kernel.ridges", value: ridges, "must be positive")
        try requireValid(medianSample >= 2, field: "least_squares.kernel.median_sample", value: medianSample, "must be at least 2")
    }
}

/// The minimum-norm reading's configuration (every hyperparameter named; see configs/*.json).
struct MinimumNormConfig: ReadingConfig {
    var seed: UInt64
    var leastSquares: LeastSquaresConfig
    var diagonal: DiagonalConfig
    var matrixFactorization: MatrixFactorizationConfig
    /// Width and initialisation shape of the diagonal network (nil: not run).
    var diagonalInit: DiagonalInitConfig?

    func validate() throws {
        try leastSquares.validate()
        try diagonal.validate()
        if let diagonalInit { try diagonalInit.validate() }
        try matrixFactorization.validate()
    }
}
