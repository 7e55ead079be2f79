/// The explicit two-layer ReLU network that interpolates any targets on n distinct points in
/// ℝ^d with d + 2n weights (Zhang et al. 2017, Theorem 1, constructed as in their Appendix C):
///
///     f(x) = Σ_{j=1..n} w_j · max(⟨a, x⟩ − b_j, 0),   a ∈ ℝ^d, b ∈ ℝ^n, w ∈ ℝ^n.
///
/// Construction: a random unit direction a projects the points to z_i = ⟨a, x_i⟩ (distinct with
/// probability 1 for distinct points); sorted, z_(1) < … < z_(n), they are interleaved with
/// thresholds b_1 = z_(1) − 1 and b_j = z_(j−1) + θ·(z_(j) − z_(j−1)) for j ≥ 2, θ ∈ (0, 1).
/// Then A_ij = max(z_(i) − b_j, 0) is lower triangular with a positive diagonal z_(i) − b_i,
/// and w solves A·w = y by forward substitution. All in Double.
public struct ProjectionReLUInterpolant: Sendable {
    /// The projection direction a (unit norm).
    public var direction: [Double]
    /// The thresholds b_j, increasing.
    public var thresholds: [Double]
    /// The output weights w_j.
    public var weights: [Double]

    /// Diagnostics of the construction, for checking it.
    public struct Diagnostics: Sendable {
        /// The smallest gap z_(j) − z_(j−1) between sorted projections.
        public var smallestGap: Double
        /// Entries of A above the diagonal that are not exactly zero (0 by construction).
        public var nonzerosAboveDiagonal: Int
        /// The smallest diagonal entry of A, z_(i) − b_i (its smallest eigenvalue).
        public var smallestDiagonal: Double
        /// max_i Σ_j |A_ij·w_j|: the scale of the sums a backward-error bound refers to.
        public var sumScale: Double
    }

    /// The number of weights, d + 2n.
    public var parameterCount: Int { direction.count + thresholds.count + weights.count }

    /// Builds the interpolant of `targets` y on the rows of `points` X (n × d) with threshold
    /// fraction `theta`, drawing a from `rng` (d normals, normalized).
    ///
    /// - Throws: ``InterpolationError`` if the sizes disagree, θ ∉ (0, 1), or two projections tie
    ///   (duplicate points, or an unlucky direction).
    public static func fit(points X: Matrix<Double>, targets y: [Double], theta: Double = 0.01,
                           using rng: inout Xoshiro256StarStar) throws(InterpolationError) -> (ProjectionReLUInterpolant, Diagnostics) {
        let n = X.rows, d = X.cols
        guard y.count == n, n > 0, d > 0 else { throw .sizes(points: n, dimension: d, targets: y.count) }
        guard theta > 0 && theta < 1 else { throw .theta(theta) }
        var a = (0..<d).map { _ in rng.nextNormal() }
        let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        a = a.map { $0 / norm }
        let z = project(X, a)
        let order = (0..<n).sorted { z[$0] < z[$1] }
        let zs = order.map { z[$0] }
        let ys = order.map { y[$0] }
        var smallestGap = Double.infinity
        for j in 1..<max(n, 1) {
            let gap = zs[j] - zs[j - 1]
            guard gap > 0 else { throw .tiedProjections(first: order[j - 1], second: order[j]) }
            smallestGap = min(smallestGap, gap)
        }
        var b = [Double](repeating: 0, count: n)
        b[0] = zs[0] - 1
        for j in 1..<max(n, 1) { b[j] = zs[j - 1] + theta * (zs[j] - zs[j - 1]) }
        // Forward substitution on the lower-triangular A, A_ij = max(z_(i) − b_j, 0).
        var w = [Double](repeating: 0, count: n)
        var nonzerosAbove = 0
        var smallestDiagonal = Double.infinity
        var sumScale = 0.0
        for i in 0..<n {
            var s = 0.0, scale = 0.0
            for j in 0..<i {
                let term = max(zs[i] - b[j], 0) * w[j]
                s += term
                scale += abs(term)
            }
            for j in (i + 1)..<n where max(zs[i] - b[j], 0) != 0 { nonzerosAbove += 1 }
            let diagonal = zs[i] - b[i]
            smallestDiagonal = min(smallestDiagonal, diagonal)
            w[i] = (ys[i] - s) / diagonal
            sumScale = max(sumScale, scale + abs(diagonal * w[i]))
        }
        let net = ProjectionReLUInterpolant(direction: a, thresholds: b, weights: w)
        return (net, Diagnostics(smallestGap: n > 1 ? smallestGap : .infinity, nonzerosAboveDiagonal: nonzerosAbove,
                                 smallestDiagonal: smallestDiagonal, sumScale: sumScale))
    }

    /// f(x) for every row of `points`.
    public func callAsFunction(_ points: Matrix<Double>) -> [Double] {
        precondition(points.cols == direction.count, "points have \(points.cols) features, the network takes \(direction.count)")
        return Self.project(points, direction).map { z in
            var f = 0.0
            for (b, w) in zip(thresholds, weights) { f += w * max(z - b, 0) }
            return f
        }
    }

    /// ⟨a, x_i⟩ for every row x_i.
    static func project(_ X: Matrix<Double>, _ a: [Double]) -> [Double] {
        (0..<X.rows).map { r in
            var s = 0.0
            for c in 0..<X.cols { s += X.storage[r * X.cols + c] * a[c] }
            return s
        }
    }
}

/// Why the Theorem-1 interpolant could not be built.
public enum InterpolationError: Error, Equatable, CustomStringConvertible {
    /// The points, their dimension and the targets do not fit together (or are empty).
    case sizes(points: Int, dimension: Int, targets: Int)
    /// The threshold fraction θ is outside (0, 1).
    case theta(Double)
    /// Points `first` and `second` (row indices) project to the same value: remove duplicates or draw another direction.
    case tiedProjections(first: Int, second: Int)

    public var description: String {
        switch self {
        case let .sizes(n, d, t): "interpolation needs n > 0 points of dimension d > 0 and n targets; got n = \(n), d = \(d), \(t) targets"
        case let .theta(t): "the threshold fraction θ must be in (0, 1), not \(t)"
        case let .tiedProjections(i, j): "points \(i) and \(j) have the same projection: remove duplicate points or draw another direction"
        }
    }
}
