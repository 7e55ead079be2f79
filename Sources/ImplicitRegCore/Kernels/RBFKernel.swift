import RealModule

/// The Gaussian (RBF) kernel k(x, x') = exp(−γ‖x − x'‖²) on the rows of Double matrices.
public struct RBFKernel: Sendable, Equatable {
    /// γ > 0.
    public var gamma: Double

    public init(gamma: Double) {
        precondition(gamma > 0, "γ must be positive")
        self.gamma = gamma
    }

    /// γ = 1/(c·median‖xᵢ − xⱼ‖²) over the distinct pairs among the first `sample` rows of x.
    public static func medianHeuristic(_ x: Matrix<Double>, bandwidthFactor c: Double, sample: Int = 1000) -> RBFKernel {
        let k = Swift.min(sample, x.rows)
        let s = x.rows(Array(0..<k))
        let d = squaredDistances(s, s)
        var pairs: [Double] = []
        pairs.reserveCapacity(k * (k - 1) / 2)
        for i in 0..<k { for j in (i + 1)..<k { pairs.append(d[i, j]) } }
        pairs.sort()
        let median = pairs.isEmpty ? 1 : (pairs.count % 2 == 1 ? pairs[pairs.count / 2] : 0.5 * (pairs[pairs.count / 2 - 1] + pairs[pairs.count / 2]))
        return RBFKernel(gamma: 1 / (c * median))
    }

    /// ‖aᵢ − bⱼ‖² = ‖aᵢ‖² + ‖bⱼ‖² − 2aᵢᵀbⱼ (one dgemm), clamped at 0.
    public static func squaredDistances(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double> {
        precondition(a.cols == b.cols, "rows of different lengths")
        var g = Matrix.product(a, transposed: false, b, transposed: true)
        let na = (0..<a.rows).map { i in a.storage[(i * a.cols)..<((i + 1) * a.cols)].reduce(0) { $0 + $1 * $1 } }
        let nb = (0..<b.rows).map { i in b.storage[(i * b.cols)..<((i + 1) * b.cols)].reduce(0) { $0 + $1 * $1 } }
        for i in 0..<a.rows {
            for j in 0..<b.rows { g.storage[i * b.rows + j] = Swift.max(na[i] + nb[j] - 2 * g.storage[i * b.rows + j], 0) }
        }
        return g
    }

    /// The kernel matrix K_ij = k(aᵢ, bⱼ).
    public func matrix(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double> {
        var k = Self.squaredDistances(a, b)
        for i in k.storage.indices { k.storage[i] = Double.exp(-gamma * k.storage[i]) }
        return k
    }
}
