/// The least-squares parabola y ≈ c₀ + c₁x + c₂x² and the fraction of y's variance it explains,
/// R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (e.g. how much of the test accuracy one variable accounts for).
public struct QuadraticFit: Sendable, Equatable {
    /// c₀, c₁, c₂ (NaN with fewer than three distinct x).
    public var coefficients: [Double]
    /// Explained variance in [0, 1] (NaN when y is constant or the fit is undetermined).
    public var rSquared: Double

    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "a parabola fit needs as many y values as x values")
        let nan = QuadraticFit.undetermined
        guard Set(x).count >= 3 else { self = nan; return }
        // Centre and scale x so the 3×3 normal equations stay well conditioned.
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let sx = max(x.map { abs($0 - mx) }.max()!, .leastNormalMagnitude)
        let u = x.map { ($0 - mx) / sx }
        var a = [[Double]](repeating: [0, 0, 0], count: 3), b = [0.0, 0, 0]
        for (ui, yi) in zip(u, y) {
            let p = [1, ui, ui * ui]
            for r in 0..<3 {
                b[r] += p[r] * yi
                for c in 0..<3 { a[r][c] += p[r] * p[c] }
            }
        }
        guard let c = QuadraticFit.solve3(a, b) else { self = nan; return }
        let my = y.reduce(0, +) / n
        var residual = 0.0, total = 0.0
        for (ui, yi) in zip(u, y) {
            let fit = c[0] + c[1] * ui + c[2] * ui * ui
            residual += (yi - fit) * (yi - fit)
            total += (yi - my) * (yi - my)
        }
        // Back to powers of x: c(u) with u = (x − mx)/sx.
        let c2 = c[2] / (sx * sx), c1 = c[1] / sx - 2 * c[2] * mx / (sx * sx)
        let c0 = c[0] - c[1] * mx / sx + c[2] * mx * mx / (sx * sx)
        coefficients = [c0, c1, c2]
        rSquared = total > 0 ? 1 - residual / total : .nan
    }

    private init(coefficients: [Double], rSquared: Double) {
        self.coefficients = coefficients
        self.rSquared = rSquared
    }

    private static let undetermined = QuadraticFit(coefficients: [.nan, .nan, .nan], rSquared: .nan)

    /// Gaussian elimination with partial pivoting; nil for a singular system.
    private static func solve3(_ a0: [[Double]], _ b0: [Double]) -> [Double]? {
        var a = a0, b = b0
        for k in 0..<3 {
            let p = (k..<3).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            guard abs(a[p][k]) > 1e-12 * max(1, abs(a[0][0])) else { return nil }
            a.swapAt(k, p); b.swapAt(k, p)
            for r in (k + 1)..<3 {
                let f = a[r][k] / a[k][k]
                for c in k..<3 { a[r][c] -= f * a[k][c] }
                b[r] -= f * b[k]
            }
        }
        var x = [0.0, 0, 0]
        for k in stride(from: 2, through: 0, by: -1) {
            var s = b[k]
            for c in (k + 1)..<3 { s -= a[k][c] * x[c] }
            x[k] = s / a[k][k]
        }
        return x
    }
}
