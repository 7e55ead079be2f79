import CLAPACKE
import RealModule

extension Matrix where T == Double {
    /// The solution x = A⁻¹b of the square system Ax = b, by LU factorization with partial
    /// pivoting P·A = L·U (LAPACK's `dgesv`).
    ///
    /// Only an exactly zero pivot is detected: a nearly singular A returns a solution with a
    /// large error and no throw (check the residual or the condition number when it matters).
    ///
    /// - Throws: ``LinearAlgebraError/singular(routine:pivot:)`` with the 1-based index i of the
    ///   zero pivot U(i, i), ``LinearAlgebraError/notSquare(operation:rows:cols:)``,
    ///   ``LinearAlgebraError/dimensionMismatch(operation:aRows:aCols:bRows:bCols:)`` if b.count ≠ n,
    ///   ``LinearAlgebraError/nonFinite(operation:operand:row:col:value:)``.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try solve(Matrix(rows: b.count, cols: 1, storage: b)).storage
    }

    /// The solution X = A⁻¹B of AX = B for a square n×n A and an n×r B (all r columns share
    /// one LU factorization); see the vector version.
    public func solve(_ b: Matrix<Double>) throws(LinearAlgebraError) -> Matrix<Double> {
        let operation = "solve"
        try requireSquare(operation)
        guard b.rows == rows else {
            throw .dimensionMismatch(operation: operation, aRows: rows, aCols: cols, bRows: b.rows, bCols: b.cols)
        }
        try requireFinite(operation)
        try b.requireFinite(operation, operand: "b")
        let (n, _) = try lapackShape(operation)
        guard let nrhs = Int32(exactly: b.cols) else {
            throw .tooLarge(operation: operation, rows: b.rows, cols: b.cols)
        }
        guard rows > 0, b.cols > 0 else { return Matrix(rows: rows, cols: b.cols) }
        var a = storage
        var x = b.storage
        var pivots = [Int32](repeating: 0, count: rows)
        let info = a.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { px in
                pivots.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dgesv(lapackRowMajor, n, nrhs, pa.baseAddress, n, pp.baseAddress, px.baseAddress, nrhs)
                }
            }
        }
        try LAPACKRoutine.dgesv.check(info)
        return Matrix(rows: rows, cols: b.cols, storage: x)
    }

    /// The Cholesky factor L of a symmetric positive definite A = L·Lᵀ: lower triangular with a
    /// positive diagonal, zeros above it (LAPACK's `dpotrf`, uplo = "L").
    ///
    /// A must be square and symmetric to the relative tolerance τ,
    /// max_ij |a_ij − a_ji| ≤ τ·max_kl |a_kl|; the symmetric part (A + Aᵀ)/2 is factored.
    ///
    /// - Parameter tolerance: τ (default 1e-10).
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(routine:minorOrder:)`` with the order of
    ///   the first leading minor that is not positive, ``LinearAlgebraError/notSquare(operation:rows:cols:)``,
    ///   ``LinearAlgebraError/notSymmetric(operation:row:col:entry:mirror:relativeAsymmetry:tolerance:)``,
    ///   ``LinearAlgebraError/nonFinite(operation:operand:row:col:value:)``.
    public func cholesky(tolerance: Double = 1e-10) throws(LinearAlgebraError) -> Matrix<Double> {
        let operation = "cholesky"
        var l = try symmetricPart(operation, tolerance: tolerance)
        let (n, _) = try lapackShape(operation)
        guard rows > 0 else { return self }
        let info = l.withUnsafeMutableBufferPointer { pl in
            LAPACKE_dpotrf(lapackRowMajor, lapackChar("L"), n, pl.baseAddress, n)
        }
        try LAPACKRoutine.dpotrf.check(info)
        // dpotrf leaves the strict upper triangle as it was (A's entries): clear it.
        for i in 0..<rows {
            for j in (i + 1)..<rows { l[i * rows + j] = 0 }
        }
        return Matrix(rows: rows, cols: rows, storage: l)
    }

    /// log det A = 2·Σᵢ log Lᵢᵢ for a symmetric positive definite A = L·Lᵀ (from ``cholesky(tolerance:)``);
    /// finite even when det A itself would over- or underflow. 0 for the empty matrix (det = 1).
    ///
    /// - Throws: what ``cholesky(tolerance:)`` throws, notably
    ///   ``LinearAlgebraError/notPositiveDefinite(routine:minorOrder:)``.
    public func logDeterminantSPD(tolerance: Double = 1e-10) throws(LinearAlgebraError) -> Double {
        let l = try cholesky(tolerance: tolerance)
        var sum = 0.0
        for i in 0..<rows { sum += Double.log(l.storage[i * rows + i]) }
        return 2 * sum
    }
}
