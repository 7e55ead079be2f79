import CLAPACKE

/// The eigendecomposition A = Q·Λ·Qᵀ of a real symmetric n×n matrix: Λ = diag(λ₁, …, λ_n) with
/// λ₁ ≤ λ₂ ≤ … ≤ λ_n (ascending, LAPACK's order) and Q orthogonal (QᵀQ = I) whose column i is a
/// unit eigenvector qᵢ, A·qᵢ = λᵢ·qᵢ.
///
/// Eigenvectors are unique only up to sign (and up to a rotation within a repeated eigenvalue).
public struct SymmetricEigendecomposition: Sendable, Equatable {
    /// λ₁ ≤ … ≤ λ_n.
    public var eigenvalues: [Double]
    /// Q, n×n: column i is the unit eigenvector of λᵢ.
    public var eigenvectors: Matrix<Double>

    /// A decomposition from its factors (no checks).
    public init(eigenvalues: [Double], eigenvectors: Matrix<Double>) {
        self.eigenvalues = eigenvalues
        self.eigenvectors = eigenvectors
    }

    /// The eigenvector qᵢ (column i of Q).
    public func eigenvector(_ i: Int) -> [Double] {
        let n = eigenvectors.rows
        return (0..<n).map { eigenvectors.storage[$0 * eigenvectors.cols + i] }
    }
}

extension Matrix where T == Double {
    /// The eigendecomposition A = Q·Λ·Qᵀ (eigenvalues ascending, eigenvectors as the columns of Q)
    /// by LAPACK's divide-and-conquer `dsyevd`.
    ///
    /// A must be square and symmetric to the relative tolerance τ:
    /// max_ij |a_ij − a_ji| ≤ τ·max_kl |a_kl|. What is decomposed is the symmetric part
    /// (A + Aᵀ)/2 — the nearest symmetric matrix in Frobenius norm — so rounding-level asymmetry
    /// (e.g. a Hessian assembled from Hessian–vector products) is averaged, not ignored.
    ///
    /// - Parameter tolerance: τ (default 1e-10).
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:cols:)``,
    ///   ``LinearAlgebraError/notSymmetric(operation:row:col:entry:mirror:relativeAsymmetry:tolerance:)``
    ///   naming the largest asymmetry, ``LinearAlgebraError/nonFinite(operation:operand:row:col:value:)``,
    ///   ``LinearAlgebraError/didNotConverge(routine:info:detail:)``.
    public func symmetricEigen(tolerance: Double = 1e-10) throws(LinearAlgebraError) -> SymmetricEigendecomposition {
        var q = try symmetricPart("symmetricEigen", tolerance: tolerance)
        let w = try Self.dsyevd(&q, n: rows, vectors: true, operation: "symmetricEigen")
        return SymmetricEigendecomposition(eigenvalues: w, eigenvectors: Matrix(rows: rows, cols: rows, storage: q))
    }

    /// The eigenvalues λ₁ ≤ … ≤ λ_n of the symmetric part (A + Aᵀ)/2 alone (`dsyevd` with
    /// jobz = "N": cheaper than ``symmetricEigen(tolerance:)``); same checks and tolerance τ.
    public func symmetricEigenvalues(tolerance: Double = 1e-10) throws(LinearAlgebraError) -> [Double] {
        var a = try symmetricPart("symmetricEigenvalues", tolerance: tolerance)
        return try Self.dsyevd(&a, n: rows, vectors: false, operation: "symmetricEigenvalues")
    }

    /// Runs `dsyevd` on the row-major n×n symmetric `a` (overwritten by the eigenvectors when
    /// `vectors`), returning the ascending eigenvalues.
    private static func dsyevd(_ a: inout [Double], n: Int, vectors: Bool, operation: String) throws(LinearAlgebraError) -> [Double] {
        guard let n32 = Int32(exactly: n) else { throw .tooLarge(operation: operation, rows: n, cols: n) }
        var w = [Double](repeating: 0, count: n)
        guard n > 0 else { return w }
        let info = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(lapackRowMajor, lapackChar(vectors ? "V" : "N"), lapackChar("L"), n32,
                               pa.baseAddress, n32, pw.baseAddress)
            }
        }
        try LAPACKRoutine.dsyevd.check(info, n: n, vectors: vectors)
        return w
    }
}
