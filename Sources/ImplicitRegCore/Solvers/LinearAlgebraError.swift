import CLAPACKE

/// Why a dense linear-algebra routine (SVD, least squares, eigen, solve, Cholesky) could not
/// return an answer. LAPACK failures carry the routine's name and its `info` code translated into
/// what it means; shape and input checks done before LAPACK is called carry the offending shapes
/// or entries.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    /// LAPACK returned info = −`index`: argument number `index` (LAPACKE numbering, where the
    /// matrix layout is argument 1) named `name` had an illegal value. This is a bug in the call.
    case illegalArgument(routine: String, index: Int, name: String)
    /// LAPACK returned info > 0 from an iterative algorithm (bidiagonal SVD, tridiagonal QR/divide
    /// and conquer) that failed to converge; `detail` is LAPACK's reading of that `info`.
    case didNotConverge(routine: String, info: Int, detail: String)
    /// An LU factorization P·A = L·U met an exactly zero pivot: U(`pivot`, `pivot`) = 0 (1-based),
    /// so A is singular and Ax = b has no unique solution.
    case singular(routine: String, pivot: Int)
    /// A Cholesky factorization A = L·Lᵀ failed: the leading principal minor of order `minorOrder`
    /// (1-based) is not positive, so A is not (numerically) positive definite.
    case notPositiveDefinite(routine: String, minorOrder: Int)
    /// LAPACKE could not allocate its workspace or its row-major transposition buffer.
    case outOfMemory(routine: String, info: Int)
    /// The right-hand side B (bRows×bCols; a vector b is bRows×1) does not match A (aRows×aCols):
    /// `operation` needs bRows = aRows.
    case dimensionMismatch(operation: String, aRows: Int, aCols: Int, bRows: Int, bCols: Int)
    /// `operation` needs a square matrix; A is rows×cols.
    case notSquare(operation: String, rows: Int, cols: Int)
    /// `operation` needs a symmetric matrix; the largest asymmetry is at (`row`, `col`) (0-based):
    /// |a_rc − a_cr| = |`entry` − `mirror`| > τ·max|a_kl|, i.e. `relativeAsymmetry` > `tolerance` τ.
    case notSymmetric(operation: String, row: Int, col: Int, entry: Double, mirror: Double,
                      relativeAsymmetry: Double, tolerance: Double)
    /// Entry (`row`, `col`) (0-based) of `operand` is `value` (NaN or ±infinity); LAPACK needs finite input.
    case nonFinite(operation: String, operand: String, row: Int, col: Int, value: String)
    /// A dimension (rows×cols) does not fit LAPACK's 32-bit integers.
    case tooLarge(operation: String, rows: Int, cols: Int)

    /// The message: which routine or operation failed, and what the failure means.
    public var description: String {
        switch self {
        case let .illegalArgument(routine, index, name):
            "\(routine): argument \(index) (\(name)) had an illegal value (info = \(-index)); this is a bug in the call"
        case let .didNotConverge(routine, info, detail):
            "\(routine) did not converge (info = \(info)): \(detail)"
        case let .singular(routine, pivot):
            "\(routine): the matrix is singular: U(\(pivot),\(pivot)) of its LU factorization is exactly zero (info = \(pivot))"
        case let .notPositiveDefinite(routine, order):
            "\(routine): the matrix is not positive definite: its leading minor of order \(order) is not positive (info = \(order))"
        case let .outOfMemory(routine, info):
            "\(routine): LAPACKE could not allocate \(info == Int(LAPACK_TRANSPOSE_MEMORY_ERROR) ? "its row-major transposition buffer" : "its workspace") (info = \(info))"
        case let .dimensionMismatch(operation, aRows, aCols, bRows, bCols):
            "\(operation): A is \(aRows)×\(aCols) but the right-hand side is \(bRows)×\(bCols); it needs \(aRows) rows, one per row of A"
        case let .notSquare(operation, rows, cols):
            "\(operation) needs a square matrix, A is \(rows)×\(cols)"
        case let .notSymmetric(operation, row, col, entry, mirror, relative, tolerance):
            "\(operation) needs a symmetric matrix: A[\(row),\(col)] = \(entry) but A[\(col),\(row)] = \(mirror), an asymmetry of \(relative) relative to max|A| (tolerance \(tolerance)); symmetrize with (A + Aᵀ)/2 or raise the tolerance if this is rounding"
        case let .nonFinite(operation, operand, row, col, value):
            "\(operation): \(operand)[\(row),\(col)] is \(value); the input must be finite"
        case let .tooLarge(operation, rows, cols):
            "\(operation): a \(rows)×\(cols) matrix exceeds LAPACK's 32-bit dimensions"
        }
    }
}

// MARK: - Internal plumbing shared by the solvers

/// The LAPACK routines the solvers call, with their LAPACKE argument names (for illegal-argument
/// messages) and the meaning of a positive `info`.
enum LAPACKRoutine: String {
    case dgesdd, dgelsd, dsyevd, dgesv, dpotrf

    /// LAPACKE's argument list; LAPACKE's negative `info` counts from 1 with the layout first.
    var argumentNames: [String] {
        switch self {
        case .dgesdd: ["matrix_layout", "jobz", "m", "n", "a", "lda", "s", "u", "ldu", "vt", "ldvt"]
        case .dgelsd: ["matrix_layout", "m", "n", "nrhs", "a", "lda", "b", "ldb", "s", "rcond", "rank"]
        case .dsyevd: ["matrix_layout", "jobz", "uplo", "n", "a", "lda", "w"]
        case .dgesv: ["matrix_layout", "n", "nrhs", "a", "lda", "ipiv", "b", "ldb"]
        case .dpotrf: ["matrix_layout", "uplo", "n", "a", "lda"]
        }
    }

    /// The LAPACK name as printed in messages ("LAPACKE_dgesdd").
    var name: String { "LAPACKE_" + rawValue }

    /// Throws the error `info` stands for; returns when info = 0. `n` is the order of the matrix
    /// (for dsyevd's submatrix reading) and `vectors` whether eigenvectors were requested.
    func check(_ info: Int32, n: Int = 0, vectors: Bool = true) throws(LinearAlgebraError) {
        let info = Int(info)
        if info == 0 { return }
        if info == Int(LAPACK_WORK_MEMORY_ERROR) || info == Int(LAPACK_TRANSPOSE_MEMORY_ERROR) {
            throw .outOfMemory(routine: name, info: info)
        }
        if info < 0 {
            let index = -info
            let argument = index <= argumentNames.count ? argumentNames[index - 1] : "?"
            throw .illegalArgument(routine: name, index: index, name: argument)
        }
        switch self {
        case .dgesdd:
            throw .didNotConverge(routine: name, info: info,
                                  detail: "the divide-and-conquer bidiagonal SVD (DBDSDC) failed to converge")
        case .dgelsd:
            throw .didNotConverge(routine: name, info: info,
                                  detail: "\(info) off-diagonal elements of an intermediate bidiagonal form did not converge to zero")
        case .dsyevd:
            if vectors, n > 0 {
                throw .didNotConverge(routine: name, info: info,
                                      detail: "failed to compute an eigenvalue of the submatrix in rows and columns \(info / (n + 1)) through \(info % (n + 1))")
            }
            throw .didNotConverge(routine: name, info: info,
                                  detail: "\(info) off-diagonal elements of an intermediate tridiagonal form did not converge to zero")
        case .dgesv:
            throw .singular(routine: name, pivot: info)
        case .dpotrf:
            throw .notPositiveDefinite(routine: name, minorOrder: info)
        }
    }
}

/// LAPACKE's row-major layout flag.
let lapackRowMajor = Int32(LAPACK_ROW_MAJOR)

/// A LAPACK character argument ("S", "V", "L", ...).
@inline(__always)
func lapackChar(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

extension Matrix where T == Double {
    /// Throws ``LinearAlgebraError/nonFinite(operation:operand:row:col:value:)`` at the first
    /// NaN or ±∞ entry.
    func requireFinite(_ operation: String, operand: String = "A") throws(LinearAlgebraError) {
        guard !storage.isEmpty else { return }
        let finite = storage.withUnsafeBufferPointer { Double.allFinite($0.baseAddress!, $0.count) }
        if finite { return }
        let i = storage.firstIndex { !$0.isFinite } ?? 0
        throw .nonFinite(operation: operation, operand: operand, row: i / Swift.max(cols, 1),
                         col: i % Swift.max(cols, 1), value: "\(storage[i])")
    }

    /// The dimensions as LAPACK integers, or ``LinearAlgebraError/tooLarge(operation:rows:cols:)``.
    func lapackShape(_ operation: String) throws(LinearAlgebraError) -> (m: Int32, n: Int32) {
        guard let m = Int32(exactly: rows), let n = Int32(exactly: cols) else {
            throw .tooLarge(operation: operation, rows: rows, cols: cols)
        }
        return (m, n)
    }

    /// Throws unless the matrix is square.
    func requireSquare(_ operation: String) throws(LinearAlgebraError) {
        guard rows == cols else { throw .notSquare(operation: operation, rows: rows, cols: cols) }
    }

    /// The symmetric part (A + Aᵀ)/2, row-major, after checking that A is square and
    /// symmetric to the relative tolerance τ: max_ij |a_ij − a_ji| ≤ τ·max_kl |a_kl|.
    /// Throws ``LinearAlgebraError/notSymmetric(operation:row:col:entry:mirror:relativeAsymmetry:tolerance:)``
    /// naming the largest asymmetry otherwise.
    func symmetricPart(_ operation: String, tolerance: Double) throws(LinearAlgebraError) -> [Double] {
        try requireSquare(operation)
        try requireFinite(operation)
        let n = rows
        var scale = 0.0
        for v in storage { scale = Swift.max(scale, Swift.abs(v)) }
        var worst = 0.0, worstRow = 0, worstCol = 0
        var s = storage
        for i in 0..<n {
            for j in (i + 1)..<n {
                let a = storage[i * n + j], b = storage[j * n + i]
                let d = Swift.abs(a - b)
                if d > worst { worst = d; worstRow = i; worstCol = j }
                let mean = 0.5 * (a + b)
                s[i * n + j] = mean
                s[j * n + i] = mean
            }
        }
        if worst > tolerance * scale {
            throw .notSymmetric(operation: operation, row: worstRow, col: worstCol,
                                entry: storage[worstRow * n + worstCol], mirror: storage[worstCol * n + worstRow],
                                relativeAsymmetry: worst / scale, tolerance: tolerance)
        }
        return s
    }
}
