/// A data file that cannot be used. Every message names the file and says what to do.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The file is not there; `remedy` says how to get it.
    case missingFile(file: String, remedy: String = DataError.runMakeData)
    /// The file's SHA-256 differs from the one pinned in `checksums.sha256`.
    case checksumMismatch(file: String, expected: String, found: String)
    /// The checksum list `list` has no entry for `file` (only pinned files are loaded).
    case noChecksum(file: String, list: String)
    /// The (decompressed) file is shorter than its header says.
    case truncated(file: String, expectedBytes: Int, foundBytes: Int)
    /// The (decompressed) file has bytes after the data its header describes.
    case trailingBytes(file: String, expectedBytes: Int, foundBytes: Int)
    /// The IDX magic number is not the expected one.
    case wrongMagic(file: String, found: UInt32, expected: UInt32)
    /// A CSV row cannot be parsed (`line` counts from 1).
    case malformedRow(file: String, line: Int, reason: String)
    /// The file parses but its contents are not what the loader expects (shape, label range, ...).
    case malformed(file: String, reason: String)
    /// zlib could not decompress the file (corrupt, truncated or not gzip).
    case gzip(file: String, message: String)
    /// The file exists but cannot be read.
    case unreadable(file: String, reason: String)

    /// A data set is too small for what the configuration asks of it (`dataset` names it, e.g.
    /// "fashion-mnist/train"; `reason` says what is missing and which config field asks for it).
    case insufficient(dataset: String, reason: String)

    /// Largest data file read (bytes): the largest pinned file, Fashion-MNIST's training images,
    /// has 26 MB.
    public static let maxFileBytes = 1 << 28
    /// Largest decompressed data file (bytes): Fashion-MNIST's training images have 47 MB.
    public static let maxDecompressedBytes = 1 << 29

    /// The usual remedy: `make data` fetches, links and verifies every data set.
    public static let runMakeData = "run `make data` to fetch and verify the data sets (see data/README.md)"
    private static let restore = "delete it and run `make data` to restore the pinned version"

    /// The message: the file, what is wrong with it, and what to do.
    public var description: String {
        switch self {
        case let .missingFile(file, remedy):
            "data file \(file) not found: \(remedy)"
        case let .checksumMismatch(file, expected, found):
            "\(file) has SHA-256 \(found), expected \(expected) (checksums.sha256): it is corrupt or a different version; \(Self.restore)"
        case let .noChecksum(file, list):
            "\(list) has no checksum for \(file), so it cannot be verified: use the checksums.sha256 of the repository's data/ folder"
        case let .truncated(file, expected, found):
            "\(file) is truncated: its header promises \(expected) bytes, found \(found); \(Self.restore)"
        case let .trailingBytes(file, expected, found):
            "\(file) has \(found - expected) unexpected byte\(found - expected == 1 ? "" : "s") after its data (expected \(expected) bytes, found \(found)); \(Self.restore)"
        case let .wrongMagic(file, found, expected):
            "\(file) is not the expected IDX file: magic number \(Self.hex(found)), expected \(Self.hex(expected)); check the file name, or \(Self.restore)"
        case let .malformedRow(file, line, reason):
            "\(file), line \(line): \(reason); \(Self.restore)"
        case let .malformed(file, reason):
            "\(file): \(reason); \(Self.restore)"
        case let .gzip(file, message):
            "\(file) is not a valid gzip file (\(message)); \(Self.restore)"
        case let .unreadable(file, reason):
            "cannot read \(file): \(reason); check that it is a readable file"
        case let .insufficient(dataset, reason):
            "\(dataset): \(reason); use the repository's data (`make data`) or a configuration that asks for less"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
