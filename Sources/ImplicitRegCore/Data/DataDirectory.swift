import Foundation

/// The folder holding the data sets and their pinned checksums (`<root>/checksums.sha256`, in
/// `sha256sum` format with paths relative to the root). Loaders only read files listed there,
/// after checking their SHA-256, so a run can never silently use a different file.
public struct DataDirectory: Sendable, Equatable {
    /// The folder, as an absolute path.
    public let root: String
    /// Whether the user named the folder (`--data-dir` or `IMPLICIT_REG_DATA`): then no file is
    /// ever taken from anywhere else (no fallback to the system's copy).
    public var named = false

    /// Resolves the folder, first match wins: `explicit` (the `--data-dir` option), the
    /// environment variable `IMPLICIT_REG_DATA`, `<repositoryRoot>/data`, and, with no checkout
    /// known, `./data`. Relative paths are taken from the current directory.
    public init(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                repositoryRoot: String?) {
        if let explicit, !explicit.isEmpty {
            self.init(root: explicit)
            named = true
        } else if let variable = environment["IMPLICIT_REG_DATA"], !variable.isEmpty {
            self.init(root: variable)
            named = true
        } else {
            self.init(root: (repositoryRoot ?? ".") + "/data")
        }
    }

    /// The folder `root` itself.
    public init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
    }

    /// Throws unless the folder exists, is a directory and can be read (checked before any point
    /// runs, so a mistyped `--data-dir` fails at once with its own message).
    public func checkExists() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw DataError.missingFile(file: root, remedy: named ? "the data directory you named (--data-dir or IMPLICIT_REG_DATA) does not exist; fix the path, or drop it to use the repository's data/" : DataError.runMakeData)
        }
        guard isDirectory.boolValue, access(root, R_OK | X_OK) == 0 else {
            throw DataError.unreadable(file: root, reason: isDirectory.boolValue ? "the data directory cannot be read (permissions)" : "it is not a directory; --data-dir names the folder holding checksums.sha256")
        }
    }

    /// The checksum list, `<root>/checksums.sha256`.
    public var checksumFile: String { "\(root)/checksums.sha256" }

    /// The pinned SHA-256 (lower-case hex) of every listed file, by path relative to the root.
    public func checksums() throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: checksumFile) else {
            throw DataError.missingFile(file: checksumFile, remedy: "a data directory needs the repository's data/checksums.sha256; copy it there (or drop --data-dir / IMPLICIT_REG_DATA to use the repository's data/)")
        }
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(checksumFile, limit: 1 << 20)  // a few lines; 1 MiB is plenty
        } catch {
            throw DataError.unreadable(file: checksumFile, reason: "\(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataError.unreadable(file: checksumFile, reason: "not a UTF-8 text file")
        }
        var sums: [String: String] = [:]
        // Lines split on bytes: Swift reads "\r\n" as one Character, so a file with CRLF line ends
        // (edited on Windows) would otherwise be one long line.
        for (number, bytes) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes, as: UTF8.self)
            guard !line.isEmpty else { continue }
            // "<64 hex>  <path>" (text mode) or "<64 hex> *<path>" (binary mode).
            let hex = line.prefix(64).lowercased()
            let rest = line.dropFirst(64)
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit), rest.hasPrefix("  ") || rest.hasPrefix(" *"), rest.count > 2 else {
                throw DataError.malformed(file: checksumFile, reason: "line \(number + 1) is not \"<sha256>  <path>\"")
            }
            var path = String(rest.dropFirst(2))
            if path.hasPrefix("./") { path.removeFirst(2) }
            sums[path] = hex
        }
        return sums
    }

    /// The path of `relative` (e.g. `"mnist-5k/mnist_5k.csv.gz"`) after checking that the file
    /// exists and matches its pinned checksum. When it is not under the root but `fallback` (an
    /// absolute path, e.g. the Debian package's copy) exists, the fallback is verified against
    /// the same checksum and returned. A missing file's error carries `remedy`.
    public func verifiedPath(_ relative: String, fallback: String? = nil,
                             remedy: String = DataError.runMakeData) throws -> String {
        var path = "\(root)/\(relative)"
        let files = FileManager.default
        if !named, !files.fileExists(atPath: path), let fallback, files.fileExists(atPath: fallback) { path = fallback }
        guard files.fileExists(atPath: path) else { throw DataError.missingFile(file: path, remedy: remedy) }
        guard let expected = try checksums()[relative] else {
            throw DataError.noChecksum(file: relative, list: checksumFile)
        }
        let found = try SHA256.hexDigest(ofFile: path)
        guard found == expected else { throw DataError.checksumMismatch(file: path, expected: expected, found: found) }
        return path
    }
}
