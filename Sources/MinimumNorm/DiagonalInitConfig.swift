import Foundation
import ImplicitRegCore
import ReadingSupport

/// Width and initialisation shape of the depth-2 diagonal network (Woodworth et al. 2020): the
/// network β = Σ_{j≤k} u_j∘v_j, on the instance of `diagonal` (its d, n and sparsity) drawn from each
/// seed, trained with `diagonal`'s GD settings (relative step, residual stop, step cap).
struct DiagonalInitConfig: Codable, Sendable {
    /// Offsets added to the config's seed: one instance (and one draw of every width's init) each.
    var seeds: [UInt64]
    /// Widths k; u_j, v_j iid N(0, σ²) with σ² = 2α²/k, so that α² = kσ²/2 (the unbiased Q_α as k → ∞).
    var widths: [Int]
    /// The α grid of the closed-form limits, log-spaced from low to high.
    var alphaRange: [Double]
    var perDecade: Int
    /// α at which every width is also trained by GD (against its closed form).
    var gdAlphas: [Double]
    /// Initialisation shape: α of the shape experiment, and the imbalances s (must include 1):
    /// layers u_j(0) = αs·1, v_j(0) = ±(α/s)·1 (two units of opposite sign, β(0) = 0), and signs
    /// w₊(0) = αs·1, w₋(0) = (α/s)·1 in β = w₊² − w₋² (β(0) = α²(s² − s⁻²)).
    var shapeAlpha: Double
    var imbalances: [Double]

    func validate() throws {
        let f = "diagonal_init"
        try requireValid(!seeds.isEmpty, field: "\(f).seeds", value: seeds, "must list at least one seed")
        try requireValid(Set(seeds).count == seeds.count, field: "\(f).seeds", value: seeds, "must not repeat a seed")
        try requireValid(!widths.isEmpty && widths.allSatisfy { $0 >= 1 && $0 <= 1024 }, field: "\(f).widths", value: widths, "must list widths in 1…1024")
        try requireValid(Set(widths).count == widths.count, field: "\(f).widths", value: widths, "must not repeat a width")
        try requireValid(alphaRange.count == 2 && alphaRange[0] > 0 && alphaRange[0] < alphaRange[1] && alphaRange[1] <= 1e3,
                         field: "\(f).alpha_range", value: alphaRange, "must be [low, high] with 0 < low < high ≤ 1000")
        try requireValid(perDecade > 0, field: "\(f).per_decade", value: perDecade, "must be positive")
        try requireValid(log10(alphaRange[1] / alphaRange[0]) * Double(perDecade) <= 1000, field: "\(f).per_decade", value: perDecade,
                         "gives more than 1000 α values over alpha_range")
        try requireValid(gdAlphas.allSatisfy { $0 > 0 && $0 <= 1e3 }, field: "\(f).gd_alphas", value: gdAlphas, "must be positive (at most 1000)")
        try requireValid(shapeAlpha > 0 && shapeAlpha <= 1e3, field: "\(f).shape_alpha", value: shapeAlpha, "must be in (0, 1000]")
        try requireValid(imbalances.contains(1) && imbalances.allSatisfy { $0 >= 1e-3 && $0 <= 1e3 }, field: "\(f).imbalances", value: imbalances,
                         "must include 1 (the balanced reference) and lie in [1e-3, 1000]")
    }

    /// The closed-form α grid.
    var alphas: [Double] {
        let lo = log10(alphaRange[0]), hi = log10(alphaRange[1])
        let count = Int(((hi - lo) * Double(perDecade)).rounded()) + 1
        return (0..<count).map { pow(10, lo + Double($0) / Double(perDecade)) }
    }
}
