/// A data file that cannot be used, with the file named and what to do about it.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The file is not there.
    case missingFile(path: String, remedy: String)
    /// The file's SHA-256 differs from `data/checksums.sha256`.
    case checksumMismatch(path: String, expected: String, found: String)
    /// The file ends early (or has bytes after the expected end).
    case wrongSize(path: String, expected: Int, found: Int)
    /// The IDX magic number is not the expected one.
    case wrongMagic(path: String, found: UInt32, expected: String)
    /// A CSV row cannot be parsed.
    case malformedRow(path: String, line: Int, reason: String)
    /// zlib could not decompress the file.
    case gzip(path: String, message: String)

    public var description: String {
        switch self {
        case let .missingFile(path, remedy):
            "missing data file \(path): \(remedy)"
        case let .checksumMismatch(path, expected, found):
            "checksum mismatch for \(path): expected SHA-256 \(expected), found \(found); the file is corrupt or not the pinned version — delete it and run `make data`"
        case let .wrongSize(path, expected, found):
            "\(path) is truncated or corrupt: expected \(expected) bytes of data, found \(found); run `make data` to restore it"
        case let .wrongMagic(path, found, expected):
            "\(path) is not \(expected) (magic number 0x\(String(found, radix: 16))); run `make data` to restore it"
        case let .malformedRow(path, line, reason):
            "\(path), line \(line): \(reason); run `make data` to restore the file"
        case let .gzip(path, message):
            "\(path) is not a readable gzip file (\(message)); run `make data` to restore it"
        }
    }
}
