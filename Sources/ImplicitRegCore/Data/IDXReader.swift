/// Reader for the IDX format of (Fashion-)MNIST: a big-endian 32-bit magic `0x0000_08_nn`
/// (type 0x08 = unsigned bytes, nn dimensions), nn big-endian 32-bit sizes, then the bytes in
/// row-major order. Only unsigned-byte files with 1 (labels) or 3 (images) dimensions are read.
public enum IDXReader {
    /// Parses decompressed IDX `bytes` read from `file` (named in errors), which must have
    /// `dimensionCount` (1 or 3) dimensions and exactly as many data bytes as they describe.
    public static func parse(_ bytes: [UInt8], file: String, dimensionCount: Int) throws -> (dimensions: [Int], bytes: [UInt8]) {
        precondition(dimensionCount == 1 || dimensionCount == 3, "IDX files here have 1 or 3 dimensions")
        func word(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        guard bytes.count >= 4 else { throw DataError.truncated(file: file, expectedBytes: 4, foundBytes: bytes.count) }
        let expectedMagic = 0x0000_0800 | UInt32(dimensionCount)
        guard word(0) == expectedMagic else { throw DataError.wrongMagic(file: file, found: word(0), expected: expectedMagic) }
        let header = 4 + 4 * dimensionCount
        guard bytes.count >= header else { throw DataError.truncated(file: file, expectedBytes: header, foundBytes: bytes.count) }
        let dimensions = (0..<dimensionCount).map { Int(word(4 + 4 * $0)) }
        var payload = 1
        for d in dimensions {  // a damaged header can claim more than an Int holds
            let (product, overflow) = payload.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Int.max - header else {
                throw DataError.malformed(file: file, reason: "the header claims impossible dimensions \(dimensions)")
            }
            payload = product
        }
        let total = header + payload
        guard bytes.count >= total else { throw DataError.truncated(file: file, expectedBytes: total, foundBytes: bytes.count) }
        guard bytes.count == total else { throw DataError.trailingBytes(file: file, expectedBytes: total, foundBytes: bytes.count) }
        return (dimensions, Array(bytes[header...]))
    }

    /// Reads the gzip-compressed IDX file at `path` (see ``parse(_:file:dimensionCount:)``).
    public static func read(file path: String, dimensionCount: Int) throws -> (dimensions: [Int], bytes: [UInt8]) {
        try parse(Gzip.decompress(file: path), file: path, dimensionCount: dimensionCount)
    }
}
