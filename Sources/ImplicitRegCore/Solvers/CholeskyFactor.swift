import CLAPACKE

/// A Cholesky factorization A = L·Lᵀ of a symmetric positive definite n×n matrix, kept to solve
/// many right-hand sides (LAPACK's `dpotrf` once, `dpotrs` per solve).
public struct CholeskyFactor: Sendable {
    /// n.
    public let order: Int
    /// The factor as LAPACK leaves it (row-major, lower triangle holds L).
    private let factor: [Double]

    /// Factors the symmetric part of `a` (checked symmetric to the relative tolerance τ, as
    /// ``Matrix/cholesky(tolerance:)`` does).
    ///
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(routine:minorOrder:)`` and the checks of
    ///   ``Matrix/cholesky(tolerance:)``.
    public init(_ a: Matrix<Double>, tolerance: Double = 1e-10) throws(LinearAlgebraError) {
        var l = try a.symmetricPart("CholeskyFactor", tolerance: tolerance)
        let (n, _) = try a.lapackShape("CholeskyFactor")
        if a.rows > 0 {
            let info = l.withUnsafeMutableBufferPointer { LAPACKE_dpotrf(lapackRowMajor, lapackChar("L"), n, $0.baseAddress, n) }
            try LAPACKRoutine.dpotrf.check(info)
        }
        order = a.rows
        factor = l
    }

    /// X = A⁻¹B for an n×r B.
    public func solve(_ b: Matrix<Double>) -> Matrix<Double> {
        precondition(b.rows == order, "right-hand side has \(b.rows) rows, the factor is \(order)×\(order)")
        guard order > 0, b.cols > 0 else { return b }
        var x = b.storage
        let n = Int32(order), r = Int32(b.cols)
        let info = factor.withUnsafeBufferPointer { pl in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpotrs(lapackRowMajor, lapackChar("L"), n, r, pl.baseAddress, n, px.baseAddress, r)
            }
        }
        precondition(info == 0, "dpotrs: illegal argument \(-info)")
        return Matrix(rows: order, cols: b.cols, storage: x)
    }

    /// x = A⁻¹b.
    public func solve(_ b: [Double]) -> [Double] {
        solve(Matrix(rows: b.count, cols: 1, storage: b)).storage
    }
}
