import CLAPACKE
import RealModule

/// The thin singular value decomposition A = U·Σ·Vᵀ of an m×n matrix, with k = min(m, n):
/// U is m×k with orthonormal columns (UᵀU = I_k), Σ = diag(σ₁, …, σ_k) with
/// σ₁ ≥ σ₂ ≥ … ≥ σ_k ≥ 0, and Vᵀ is k×n with orthonormal rows (VᵀV = I_k for the n×k V).
///
/// Singular vectors are unique only up to a simultaneous sign flip of uᵢ and vᵢ (and up to a
/// rotation within a repeated singular value); compare subspaces or reconstructions, not vectors.
public struct SingularValueDecomposition: Sendable, Equatable {
    /// U, m×k: the left singular vectors u₁, …, u_k as columns.
    public var u: Matrix<Double>
    /// σ₁ ≥ … ≥ σ_k ≥ 0, k = min(m, n).
    public var singularValues: [Double]
    /// Vᵀ, k×n: the right singular vectors v₁, …, v_k as rows.
    public var vt: Matrix<Double>

    /// A decomposition from its factors (no checks).
    public init(u: Matrix<Double>, singularValues: [Double], vt: Matrix<Double>) {
        self.u = u
        self.singularValues = singularValues
        self.vt = vt
    }

    /// U·Σ·Vᵀ, the matrix the decomposition represents.
    public var reconstructed: Matrix<Double> {
        var us = u
        for i in 0..<us.rows {
            for j in 0..<us.cols { us.storage[i * us.cols + j] *= singularValues[j] }
        }
        return Matrix.product(us, vt)
    }
}

extension Matrix where T == Double {
    /// The thin SVD A = U·Σ·Vᵀ (σ descending) by LAPACK's divide-and-conquer `dgesdd`
    /// (jobz = "S"). The matrix is copied, since LAPACK overwrites its input.
    ///
    /// - Throws: ``LinearAlgebraError/nonFinite(operation:operand:row:col:value:)`` for NaN/∞
    ///   entries, ``LinearAlgebraError/didNotConverge(routine:info:detail:)`` if the bidiagonal
    ///   SVD fails.
    public func svd() throws(LinearAlgebraError) -> SingularValueDecomposition {
        try requireFinite("svd")
        let (m, n) = try lapackShape("svd")
        let k = Swift.min(rows, cols)
        var u = Matrix(rows: rows, cols: k)
        var vt = Matrix(rows: k, cols: cols)
        var s = [Double](repeating: 0, count: k)
        guard k > 0 else { return SingularValueDecomposition(u: u, singularValues: s, vt: vt) }
        var a = storage
        let info = a.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                u.storage.withUnsafeMutableBufferPointer { pu in
                    vt.storage.withUnsafeMutableBufferPointer { pvt in
                        LAPACKE_dgesdd(lapackRowMajor, lapackChar("S"), m, n, pa.baseAddress, n,
                                       ps.baseAddress, pu.baseAddress, Int32(k), pvt.baseAddress, n)
                    }
                }
            }
        }
        try LAPACKRoutine.dgesdd.check(info)
        return SingularValueDecomposition(u: u, singularValues: s, vt: vt)
    }

    /// The singular values σ₁ ≥ … ≥ σ_k ≥ 0 (k = min(m, n)) alone, by `dgesdd` with jobz = "N"
    /// (no singular vectors: cheaper than ``svd()``).
    public func singularValues() throws(LinearAlgebraError) -> [Double] {
        try requireFinite("singularValues")
        let (m, n) = try lapackShape("singularValues")
        let k = Swift.min(rows, cols)
        var s = [Double](repeating: 0, count: k)
        guard k > 0 else { return s }
        var a = storage
        var dummy: [Double] = [0]
        let info = a.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                dummy.withUnsafeMutableBufferPointer { pd in
                    // U and Vᵀ are not referenced for jobz = "N", but LAPACKE 3.11's row-major
                    // check still demands ldvt ≥ n (info = −11 otherwise; fixed in later LAPACKE).
                    LAPACKE_dgesdd(lapackRowMajor, lapackChar("N"), m, n, pa.baseAddress, n,
                                   ps.baseAddress, pd.baseAddress, 1, pd.baseAddress, n)
                }
            }
        }
        try LAPACKRoutine.dgesdd.check(info)
        return s
    }

    /// The nuclear (trace) norm ‖A‖_* = Σᵢ σᵢ, the sum of the singular values; 0 for an empty matrix.
    public func nuclearNorm() throws(LinearAlgebraError) -> Double {
        try singularValues().reduce(0, +)
    }

    /// The spectral norm ‖A‖₂ = max_{‖x‖₂=1} ‖Ax‖₂ = σ₁, the largest singular value; 0 for an empty matrix.
    public func spectralNorm() throws(LinearAlgebraError) -> Double {
        try singularValues().first ?? 0
    }

    /// The effective rank of Roy & Vetterli (2007), erank(A) = exp(H(p)) with the Shannon entropy
    /// H(p) = −Σᵢ pᵢ log pᵢ of the normalized singular values pᵢ = σᵢ / Σⱼ σⱼ = σᵢ/‖A‖_*
    /// (0·log 0 = 0). It lies in [1, rank A]: exactly r for r equal non-zero singular values,
    /// close to 1 when one σ dominates. Returns 0 for the zero matrix (and an empty one), where p is undefined.
    public func effectiveRank() throws(LinearAlgebraError) -> Double {
        let s = try singularValues()
        let total = s.reduce(0, +)
        guard total > 0 else { return 0 }
        var entropy = 0.0
        for sigma in s where sigma > 0 {
            let p = sigma / total
            entropy -= p * Double.log(p)
        }
        return Double.exp(entropy)
    }
}
