import RealModule

/// Deep matrix factorization for matrix completion (Arora, Cohen, Hu, Luo 2019, arXiv 1905.13655):
/// W = W_N⋯W₁ with n×n factors, loss ℓ(W) = (1/m)Σ_{(i,j)∈Ω}(W_ij − M_ij)², trained by plain
/// gradient descent with one scalar step (Double, through the core's dgemm).
///
/// Gradients: G = ∇ℓ(W) = (2/m)P_Ω(W − M), ∇_{W_j} = S_jᵀ·G·P_{j−1}ᵀ with P_j = W_j⋯W₁ (P₀ = I)
/// and S_j = W_N⋯W_{j+1} (S_N = I).
public struct DeepMatrixFactorization: Sendable {
    /// The factors W₁, …, W_N (n×n).
    public var factors: [Matrix<Double>]
    /// Observed linear indices Ω (r·n + c) and their values M_Ω.
    public let observed: [Int]
    public let values: [Double]

    public var depth: Int { factors.count }
    public var size: Int { factors[0].rows }

    /// A factorization with the given factors and observations.
    public init(factors: [Matrix<Double>], observed: [Int], values: [Double]) {
        precondition(!factors.isEmpty && observed.count == values.count)
        self.factors = factors
        self.observed = observed
        self.values = values
    }

    /// The authors' Gaussian initialisation: iid N(0, s²) entries with s = (init/√n)^{1/N}/√n, so
    /// that E‖W(0)‖²_F = init² (`init` is the end-to-end Frobenius norm ‖W(0)‖_F). Draws factor
    /// W₁ first, row by row.
    public static func gaussianFactors(size n: Int, depth: Int, endToEndNorm initNorm: Double,
                                       using rng: inout Xoshiro256StarStar) -> [Matrix<Double>] {
        let s = Double.pow(initNorm / Double(n).squareRoot(), 1 / Double(depth)) / Double(n).squareRoot()
        return (0..<depth).map { _ in Matrix(rows: n, cols: n, storage: (0..<(n * n)).map { _ in s * rng.nextNormal() }) }
    }

    /// A balanced initialisation with end-to-end matrix U₀·diag(σ)·V₀ᵀ: W₁ = Q₁Σ^{1/N}V₀ᵀ,
    /// W_j = Q_jΣ^{1/N}Q_{j−1}ᵀ, W_N = U₀Σ^{1/N}Q_{N−1}ᵀ with random orthogonal U₀, V₀, Q_j
    /// (QR of Gaussian matrices, by SVD: Q = UVᵀ). W_{j+1}ᵀW_{j+1} = W_jW_jᵀ holds exactly.
    public static func balancedFactors(size n: Int, depth: Int, singularValues sigma: [Double],
                                       using rng: inout Xoshiro256StarStar) throws -> [Matrix<Double>] {
        precondition(sigma.count == n)
        func orthogonal() throws -> Matrix<Double> {
            let g = Matrix(rows: n, cols: n, storage: (0..<(n * n)).map { _ in rng.nextNormal() })
            let d = try g.svd()
            return Matrix.product(d.u, d.vt)
        }
        let root = sigma.map { Double.pow($0, 1 / Double(depth)) }
        func scaledColumns(_ q: Matrix<Double>) -> Matrix<Double> {
            var out = q
            for i in 0..<n { for j in 0..<n { out.storage[i * n + j] *= root[j] } }
            return out
        }
        let u0 = try orthogonal(), v0 = try orthogonal()
        var qs: [Matrix<Double>] = [v0]
        for _ in 1..<depth { qs.append(try orthogonal()) }
        qs.append(u0)
        // W_j = Q_j Σ^{1/N} Q_{j−1}ᵀ with Q₀ = V₀ and Q_N = U₀.
        return (1...depth).map { j in Matrix.product(scaledColumns(qs[j]), transposed: false, qs[j - 1], transposed: true) }
    }

    /// P_j = W_j⋯W₁ for j = 1…N (P_N = W).
    func prefixProducts() -> [Matrix<Double>] {
        var p = [factors[0]]
        for j in 1..<depth { p.append(Matrix.product(factors[j], p[j - 1])) }
        return p
    }

    /// The end-to-end matrix W = W_N⋯W₁.
    public var endToEnd: Matrix<Double> { prefixProducts()[depth - 1] }

    /// ℓ(W) = (1/m)Σ_Ω(W_ij − M_ij)².
    public func loss(_ w: Matrix<Double>) -> Double {
        var s = 0.0
        for (k, i) in observed.enumerated() {
            let r = w.storage[i] - values[k]
            s += r * r
        }
        return s / Double(observed.count)
    }

    /// G = (2/m)P_Ω(W − M).
    public func lossGradient(_ w: Matrix<Double>) -> Matrix<Double> {
        var g = Matrix<Double>(rows: w.rows, cols: w.cols)
        let scale = 2 / Double(observed.count)
        for (k, i) in observed.enumerated() { g.storage[i] = scale * (w.storage[i] - values[k]) }
        return g
    }

    /// One GD step W_j ← W_j − η∇_{W_j}ℓ for every j (gradients at the current factors);
    /// returns the loss before the step.
    @discardableResult
    public mutating func step(learningRate eta: Double) -> Double {
        let p = prefixProducts()
        let w = p[depth - 1]
        let loss = loss(w)
        let g = lossGradient(w)
        // S_j = W_N⋯W_{j+1}; walk j from N down to 1, keeping T_j = S_jᵀ G.
        var sg = g  // S_Nᵀ G = G
        var grads = [Matrix<Double>](repeating: Matrix(rows: 0, cols: 0), count: depth)
        for j in stride(from: depth - 1, through: 0, by: -1) {
            grads[j] = j == 0 ? sg : Matrix.product(sg, transposed: false, p[j - 1], transposed: true)
            if j > 0 { sg = Matrix.product(factors[j], transposed: true, sg) }
        }
        for j in 0..<depth {
            factors[j].storage.withUnsafeMutableBufferPointer { pw in
                grads[j].storage.withUnsafeBufferPointer { Double.axpy(pw.count, -eta, $0.baseAddress!, pw.baseAddress!) }
            }
        }
        return loss
    }
}
