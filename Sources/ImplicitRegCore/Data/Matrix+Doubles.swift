// Conversions between a Matrix<T> and Doubles for the data code (loaders, transforms, synthetic
// data). Following the performance rule on `BLASScalar`, no element loop runs on an unknown T:
// each conversion branches once on whether T is Float or Double and loops over concrete types
// (a generic fallback serves any other conformance). The transforms then work row by row on
// Doubles, which is exact for Float and Double inputs and keeps temporary memory to one row.

/// dst[i] = Double(src[i]).
func convertToDoubles<T: BLASScalar>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    if T.self == Float.self {
        let s = UnsafeRawPointer(src).assumingMemoryBound(to: Float.self)
        for i in 0..<n { dst[i] = Double(s[i]) }
    } else if T.self == Double.self {
        dst.update(from: UnsafeRawPointer(src).assumingMemoryBound(to: Double.self), count: n)
    } else {
        for i in 0..<n { dst[i] = Double(src[i]) }
    }
}

/// dst[i] = T(src[i]), rounded to nearest.
func convertFromDoubles<T: BLASScalar>(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<T>, _ n: Int) {
    if T.self == Float.self {
        let d = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self)
        for i in 0..<n { d[i] = Float(src[i]) }
    } else if T.self == Double.self {
        UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Double.self).update(from: src, count: n)
    } else {
        for i in 0..<n { dst[i] = T(src[i]) }
    }
}

/// dst[i] = T(src[i]) / 255, the division done in T (as `x / 255` on float32/float64 in NumPy).
func convertPixels<T: BLASScalar>(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<T>, _ n: Int) {
    if T.self == Float.self {
        let d = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self)
        for i in 0..<n { d[i] = Float(src[i]) / 255 }
    } else if T.self == Double.self {
        let d = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Double.self)
        for i in 0..<n { d[i] = Double(src[i]) / 255 }
    } else {
        for i in 0..<n { dst[i] = T(src[i]) / 255 }
    }
}

extension Matrix {
    /// A rows×cols matrix of `doubles` (row-major) rounded to T.
    init(rows: Int, cols: Int, doubles: [Double]) {
        precondition(doubles.count == rows * cols, "\(doubles.count) values for a \(rows)×\(cols) matrix")
        self.init(rows: rows, cols: cols)
        guard !doubles.isEmpty else { return }
        storage.withUnsafeMutableBufferPointer { out in
            doubles.withUnsafeBufferPointer { convertFromDoubles($0.baseAddress!, out.baseAddress!, out.count) }
        }
    }

    /// A rows×cols matrix of 8-bit pixels (row-major) scaled to [0, 1] by dividing by 255.
    init(rows: Int, cols: Int, pixels: [UInt8]) {
        precondition(pixels.count == rows * cols, "\(pixels.count) pixels for a \(rows)×\(cols) matrix")
        self.init(rows: rows, cols: cols)
        guard !pixels.isEmpty else { return }
        storage.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { convertPixels($0.baseAddress!, out.baseAddress!, out.count) }
        }
    }

    /// The entries as Doubles (row-major).
    var doubles: [Double] {
        guard !storage.isEmpty else { return [] }
        return [Double](unsafeUninitializedCapacity: storage.count) { out, initialized in
            storage.withUnsafeBufferPointer { convertToDoubles($0.baseAddress!, out.baseAddress!, $0.count) }
            initialized = storage.count
        }
    }

    /// Calls `body(r, row)` for every row in order, with the row as Doubles.
    func forEachRow(_ body: (Int, UnsafeBufferPointer<Double>) -> Void) {
        guard rows > 0, cols > 0 else { return }
        var row = [Double](repeating: 0, count: cols)
        storage.withUnsafeBufferPointer { src in
            row.withUnsafeMutableBufferPointer { buffer in
                for r in 0..<rows {
                    convertToDoubles(src.baseAddress! + r * cols, buffer.baseAddress!, cols)
                    body(r, UnsafeBufferPointer(buffer))
                }
            }
        }
    }

    /// Replaces every row, in order: `body(r, row, result)` gets the row as Doubles and must set
    /// every entry of `result`, which is then stored in place of the row.
    mutating func mapEachRow(_ body: (Int, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void) {
        guard rows > 0, cols > 0 else { return }
        var scratch = [Double](repeating: 0, count: 2 * cols)
        let (rows, cols) = (rows, cols)
        storage.withUnsafeMutableBufferPointer { data in
            scratch.withUnsafeMutableBufferPointer { buffer in
                let row = UnsafeBufferPointer(rebasing: buffer[..<cols])
                let result = UnsafeMutableBufferPointer(rebasing: buffer[cols...])
                for r in 0..<rows {
                    convertToDoubles(data.baseAddress! + r * cols, buffer.baseAddress!, cols)
                    body(r, row, result)
                    convertFromDoubles(result.baseAddress!, data.baseAddress! + r * cols, cols)
                }
            }
        }
    }
}
