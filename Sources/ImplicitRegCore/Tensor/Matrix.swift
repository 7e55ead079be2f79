/// A dense row-major matrix of `T`, the value type of data sets and solver inputs/outputs.
///
/// Training keeps its hot buffers in ``Buffer``; `Matrix` is for whole data sets and for the
/// linear-algebra routines, where value semantics make results easy to reason about.
public struct Matrix<T: BLASScalar>: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// The entries, row after row (`storage[r * cols + c]`).
    public var storage: [T]

    /// A rows×cols matrix of zeros.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        storage = Array(repeating: 0, count: rows * cols)
    }

    /// A rows×cols matrix over `storage` (row-major); the count must match.
    public init(rows: Int, cols: Int, storage: [T]) {
        precondition(storage.count == rows * cols, "storage has \(storage.count) entries, expected \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// Entry (r, c).
    @inlinable
    public subscript(r: Int, c: Int) -> T {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }

    /// Row r as an array.
    public func row(_ r: Int) -> [T] { Array(storage[(r * cols)..<((r + 1) * cols)]) }

    /// The transpose (copies).
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows { for c in 0..<cols { t.storage[c * rows + r] = storage[r * cols + c] } }
        return t
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for (i, r) in indices.enumerated() {
                    T.copy(src.baseAddress! + r * cols, dst.baseAddress! + i * cols, cols)
                }
            }
        }
        return out
    }
}

extension Matrix {
    /// op(a)·op(b) through `gemm`, with transposes passed to BLAS rather than copied.
    public static func product(_ a: Matrix, transposed ta: Bool = false, _ b: Matrix, transposed tb: Bool = false) -> Matrix {
        let m = ta ? a.cols : a.rows
        let k = ta ? a.rows : a.cols
        let kb = tb ? b.cols : b.rows
        let n = tb ? b.rows : b.cols
        precondition(k == kb, "inner dimensions differ: \(k) vs \(kb)")
        var c = Matrix(rows: m, cols: n)
        guard m > 0, n > 0 else { return c }
        if k == 0 { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    T.gemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1,
                           a: pa.baseAddress!, lda: a.cols, b: pb.baseAddress!, ldb: b.cols,
                           beta: 0, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }

    /// Matrix–vector product op(self)·x.
    public func times(_ x: [T], transposed: Bool = false) -> [T] {
        precondition(x.count == (transposed ? rows : cols), "vector length \(x.count) does not match")
        var y = [T](repeating: 0, count: transposed ? cols : rows)
        guard rows > 0, cols > 0 else { return y }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    T.gemv(trans: transposed, m: rows, n: cols, alpha: 1, a: pa.baseAddress!, lda: cols,
                           x: px.baseAddress!, beta: 0, y: py.baseAddress!)
                }
            }
        }
        return y
    }

    /// Frobenius norm.
    public var frobeniusNorm: Double {
        storage.withUnsafeBufferPointer { T.sumOfSquares($0.baseAddress!, $0.count) }.squareRoot()
    }

    /// Converts every entry to another precision.
    public func converted<U: BLASScalar>(to: U.Type = U.self) -> Matrix<U> {
        Matrix<U>(rows: rows, cols: cols, storage: storage.map { U($0) })
    }
}
