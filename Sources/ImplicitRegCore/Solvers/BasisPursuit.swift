/// The minimum-ℓ1 interpolant (basis pursuit, min ‖β‖₁ s.t. Xβ = y) with its optimality certificate.
public struct BasisPursuitSolution: Sendable {
    /// β, after polishing on the support by least squares.
    public var solution: [Double]
    /// The dual certificate c ∈ row(X) with ‖c‖∞ ≤ 1 and c_S = sign(β_S): for any interpolant w,
    /// ‖w‖₁ ≥ ⟨c, w⟩ = ⟨c, β⟩ = ‖β‖₁, so β is a minimiser.
    public var certificate: [Double]
    /// Indices S of the non-zero entries.
    public var support: [Int]
    /// ADMM iterations.
    public var iterations: Int
    /// ‖Xβ − y‖ / ‖y‖.
    public var relativeResidual: Double
}

extension Matrix where T == Double {
    /// Basis pursuit min ‖β‖₁ s.t. Xβ = y for X = self (n×d, full row rank) by ADMM on
    /// β = z, β ∈ {Xβ = y}, with the projection P(v) = v − Xᵀ(XXᵀ)⁻¹(Xv − y) and ρ = 1/‖X⁺y‖∞:
    ///     b ← P(z − u),  z ← soft(b + u, 1/ρ),  u ← u + b − z,
    /// until ‖b − z‖ and ρ‖Δz‖ are ≤ `tolerance`·‖b‖; then polish on S = {|zᵢ| > 1e-9·max|z|} by
    /// least squares on those columns. The certificate c is ρu projected onto row(X); it must pass
    /// ‖c‖∞ ≤ 1 + 1e-6, |c_S − sign(β_S)| ≤ 1e-6, and ‖Xβ − y‖ ≤ 1e-9‖y‖, else
    /// ``SolverCertificateError`` is thrown.
    public func minimumL1Interpolant(_ y: [Double], tolerance: Double = 1e-10, maxIterations: Int = 200_000) throws -> BasisPursuitSolution {
        let name = "minimumL1Interpolant"
        let d = cols
        let chol = try CholeskyFactor(Matrix.product(self, transposed: false, self, transposed: true))
        /// Xᵀ(XXᵀ)⁻¹X v: the projection onto row(X).
        func rowProjection(_ v: [Double]) -> [Double] { times(chol.solve(times(v)), transposed: true) }
        let l2 = times(chol.solve(y), transposed: true)
        let rho = 1 / Swift.max(Vec.normInf(l2), 1e-300)
        let kappa = 1 / rho
        var z = l2, u = [Double](repeating: 0, count: d), b = l2
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let v = Vec.sub(z, u)
            // P(v) = v − Xᵀ(XXᵀ)⁻¹(Xv − y) = v − Π_row v + X⁺y
            let pv = rowProjection(v)
            for i in 0..<d { b[i] = v[i] - pv[i] + l2[i] }
            var dz = 0.0, primal = 0.0, nb = 0.0
            for i in 0..<d {
                let w = b[i] + u[i]
                let znew: Double = w > kappa ? w - kappa : (w < -kappa ? w + kappa : 0.0)
                dz += (znew - z[i]) * (znew - z[i])
                z[i] = znew
                u[i] += b[i] - znew
                primal += (b[i] - znew) * (b[i] - znew)
                nb += b[i] * b[i]
            }
            if primal.squareRoot() <= tolerance * nb.squareRoot(), rho * dz.squareRoot() <= tolerance * nb.squareRoot() { break }
        }
        let zmax = Vec.normInf(z)
        let support = (0..<d).filter { Swift.abs(z[$0]) > 1e-9 * zmax }
        var beta = [Double](repeating: 0, count: d)
        if !support.isEmpty {
            let xs = transposed.rows(support).transposed
            let bs = try xs.minimumNormLeastSquares(y)
            for (k, i) in support.enumerated() { beta[i] = bs[k] }
        }
        let c = rowProjection(u.map { rho * $0 })
        let residual = Vec.relativeDistance(times(beta), y)
        try SolverCertificateError.require(name, "‖Xβ − y‖/‖y‖", residual, 1e-9, iterations: iterations)
        try SolverCertificateError.require(name, "‖c‖∞ (dual feasibility)", Vec.normInf(c), 1 + 1e-6, iterations: iterations)
        let signGap = support.map { Swift.abs(c[$0] - (beta[$0] > 0 ? 1 : -1)) }.max() ?? 0
        try SolverCertificateError.require(name, "max |c_S − sign(β_S)|", signGap, 1e-6, iterations: iterations)
        return BasisPursuitSolution(solution: beta, certificate: c, support: support, iterations: iterations, relativeResidual: residual)
    }
}
