/// The IDX format of (Fashion-)MNIST: a big-endian magic 0x0000_08_nn (unsigned bytes, nn
/// dimensions), nn big-endian 32-bit sizes, then the bytes.
public enum IDXReader {
    /// Parses IDX bytes read from `path` (for messages); `dimensions` must be 1 (labels) or 3 (images).
    public static func parse(_ bytes: [UInt8], path: String, dimensions expected: Int) throws -> (dimensions: [Int], bytes: [UInt8]) {
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        let kind = expected == 1 ? "an IDX label file" : "an IDX image file"
        guard bytes.count >= 4 else { throw DataError.wrongSize(path: path, expected: 4, found: bytes.count) }
        let magic = u32(0)
        guard magic == 0x0000_0800 | UInt32(expected) else { throw DataError.wrongMagic(path: path, found: magic, expected: kind) }
        let header = 4 + 4 * expected
        guard bytes.count >= header else { throw DataError.wrongSize(path: path, expected: header, found: bytes.count) }
        let dims = (0..<expected).map { Int(u32(4 + 4 * $0)) }
        let payload = dims.reduce(1, *)
        guard bytes.count - header == payload else {
            throw DataError.wrongSize(path: path, expected: payload, found: bytes.count - header)
        }
        return (dims, Array(bytes[header...]))
    }

    /// Reads and parses a gzip-compressed IDX file.
    public static func read(path: String, dimensions: Int, missingRemedy: String = "run `make data`") throws -> (dimensions: [Int], bytes: [UInt8]) {
        try parse(Gzip.decompress(path: path, missingRemedy: missingRemedy), path: path, dimensions: dimensions)
    }
}
