/// The minimum-ℓ2 interpolant of an under-determined system and the checks it passed.
public struct MinimumL2Interpolant: Sendable {
    /// w = w₀ + Xᵀ(XXᵀ)⁻¹(y − Xw₀) = argmin{‖w − w₀‖₂ : Xw = y}.
    public var solution: [Double]
    /// ‖Xw − y‖ / ‖y‖.
    public var relativeResidual: Double
    /// ‖w_Cholesky − w_SVD‖ / ‖w_SVD‖: the Cholesky answer against LAPACK's SVD least squares.
    public var svdDiscrepancy: Double
}

extension Matrix where T == Double {
    /// The interpolant of Xw = y (X = self, n×d with n ≤ d and full row rank) nearest to w₀ in ℓ2:
    /// w = w₀ + Xᵀ(XXᵀ)⁻¹(y − Xw₀), with the Cholesky factor of XXᵀ; from w₀ = 0 this is X⁺y.
    /// Cross-checked against the SVD-based ``minimumNormLeastSquares(_:rcond:)``; both
    /// the discrepancy and the residual must be ≤ `tolerance` (relative) or it throws
    /// ``SolverCertificateError``.
    public func minimumL2Interpolant(_ y: [Double], from w0: [Double]? = nil, tolerance: Double = 1e-8) throws -> MinimumL2Interpolant {
        precondition(y.count == rows, "y has \(y.count) entries, X has \(rows) rows")
        let start = w0 ?? [Double](repeating: 0, count: cols)
        precondition(start.count == cols, "w₀ has \(start.count) entries, X has \(cols) columns")
        let r = Vec.sub(y, times(start))
        let gram = Matrix.product(self, transposed: false, self, transposed: true)
        let a = try CholeskyFactor(gram).solve(r)
        let w = Vec.add(start, times(a, transposed: true))
        let svd = Vec.add(start, try minimumNormLeastSquares(r))
        let discrepancy = Vec.relativeDistance(w, svd)
        let residual = Vec.relativeDistance(times(w), y)
        try SolverCertificateError.require("minimumL2Interpolant", "‖w_Cholesky − w_SVD‖/‖w_SVD‖", discrepancy, tolerance)
        try SolverCertificateError.require("minimumL2Interpolant", "‖Xw − y‖/‖y‖", residual, tolerance)
        return MinimumL2Interpolant(solution: w, relativeResidual: residual, svdDiscrepancy: discrepancy)
    }
}
