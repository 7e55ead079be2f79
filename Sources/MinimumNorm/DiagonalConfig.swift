import Foundation
import ImplicitRegCore
import ReadingSupport

/// The diagonal-network part (Woodworth et al. 2020): GD against the Q_α^D minimiser, the ℓ2 → ℓ1
/// transition in α per depth, and sparse recovery.
struct DiagonalConfig: Codable, Sendable {
    /// Noiseless instance: X ∈ ℝ^{n×d} iid N(0, 1), β* with `sparsity` entries 1/√sparsity, y = Xβ*.
    var d: Int
    var n: Int
    var sparsity: Int
    /// GD points: every depth × every α.
    var depths: [Int]
    var alphas: [Double]
    /// ε_r: the largest relative change of a weight per step.
    var relativeStep: Double
    /// GD stops at ‖Xβ − y‖ ≤ this·‖y‖.
    var stopResidual: Double
    var maxSteps: Int
    /// The transition (reference solver only): depths and a log-spaced α grid.
    var transitionDepths: [Int]
    var transitionAlphaRange: [Double]
    var transitionPerDecade: Int
    /// "Within x of minimum ℓ1" for α*_D (relative ℓ2 distance).
    var withinL1: Double
    /// Sparse recovery with noise (the paper's Fig. 1 setting).
    var recovery: RecoveryConfig
    /// The recovery-threshold instance: n rows, D = 2 at a tiny α.
    var thresholdN: Int
    var thresholdAlpha: Double

    func validate() throws {
        let f = "diagonal"
        try requireValid(d > n && n > 0, field: "\(f).d", value: d, "must exceed \(f).n (an under-determined problem)")
        try requireValid(sparsity > 0 && sparsity < n, field: "\(f).sparsity", value: sparsity, "must be positive and below n")
        try requireValid(!depths.isEmpty && depths.allSatisfy { $0 >= 2 }, field: "\(f).depths", value: depths, "must list depths ≥ 2")
        try requireValid(!alphas.isEmpty && alphas.allSatisfy { $0 > 0 }, field: "\(f).alphas", value: alphas, "must list positive scales")
        try requireValid(relativeStep > 0 && relativeStep < 1, field: "\(f).relative_step", value: relativeStep, "must be in (0, 1)")
        try requireValid(stopResidual > 0, field: "\(f).stop_residual", value: stopResidual, "must be positive")
        try requireValid(maxSteps > 0, field: "\(f).max_steps", value: maxSteps, "must be positive")
        try requireValid(transitionDepths.allSatisfy { $0 >= 2 }, field: "\(f).transition_depths", value: transitionDepths, "must be ≥ 2")
        try requireValid(transitionAlphaRange.count == 2 && transitionAlphaRange[0] > 0 && transitionAlphaRange[0] < transitionAlphaRange[1],
                         field: "\(f).transition_alpha_range", value: transitionAlphaRange, "must be [low, high] with 0 < low < high")
        try requireValid(transitionPerDecade > 0, field: "\(f).transition_per_decade", value: transitionPerDecade, "must be positive")
        try requireValid(log10(transitionAlphaRange[1] / transitionAlphaRange[0]) * Double(transitionPerDecade) <= 10_000,
                         field: "\(f).transition_per_decade", value: transitionPerDecade,
                         "gives more than 10000 α values over transition_alpha_range (each is a run)")
        try requireValid(thresholdN > sparsity && thresholdN < d, field: "\(f).threshold_n", value: thresholdN, "must be between sparsity and d")
        try recovery.validate()
    }

    /// The transition's α grid, log-spaced from the range's low to high end.
    var transitionAlphas: [Double] {
        let lo = log10(transitionAlphaRange[0]), hi = log10(transitionAlphaRange[1])
        let count = Int(((hi - lo) * Double(transitionPerDecade)).rounded()) + 1
        return (0..<count).map { pow(10, lo + Double($0) / Double(transitionPerDecade)) }
    }
}

/// Noisy sparse recovery: population error ‖β − β*‖² of the Q_α^D minimiser vs α.
struct RecoveryConfig: Codable, Sendable {
    var d: Int
    var n: Int
    var sparsity: Int
    var noiseVariance: Double
    var depths: [Int]
    var alphas: [Double]
    var seeds: [UInt64]

    func validate() throws {
        let f = "diagonal.recovery"
        try requireValid(d > n && n > sparsity && sparsity > 0, field: "\(f).n", value: n, "need d > n > sparsity > 0")
        try requireValid(noiseVariance >= 0, field: "\(f).noise_variance", value: noiseVariance, "must be non-negative")
        try requireValid(!alphas.isEmpty && alphas.allSatisfy { $0 > 0 }, field: "\(f).alphas", value: alphas, "must list positive scales")
        try requireValid(!seeds.isEmpty, field: "\(f).seeds", value: seeds, "must list at least one seed")
        try requireValid(depths.allSatisfy { $0 >= 2 }, field: "\(f).depths", value: depths, "must be ≥ 2")
    }
}
