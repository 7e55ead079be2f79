import Foundation

/// Where the data sets live, and their checksums (`<root>/checksums.sha256`).
///
/// Resolved in order: an explicit path (`--data-dir`), `$IMPLICIT_REG_DATA`, `<checkout>/data`.
public struct DataDirectory: Sendable {
    /// The directory.
    public let root: String

    /// Resolves the directory as described above.
    public init(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                repositoryRoot: String?) {
        if let explicit, !explicit.isEmpty {
            root = explicit
        } else if let fromEnvironment = environment["IMPLICIT_REG_DATA"], !fromEnvironment.isEmpty {
            root = fromEnvironment
        } else {
            root = "\(repositoryRoot ?? FileManager.default.currentDirectoryPath)/data"
        }
    }

    /// The checksums listed in `checksums.sha256`, by path relative to the root.
    public func checksums() throws -> [String: String] {
        let path = "\(root)/checksums.sha256"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DataError.missingFile(path: path, remedy: "the data directory must hold checksums.sha256 (it is in the repository's data/; pass --data-dir or set IMPLICIT_REG_DATA to a copy of that folder)")
        }
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2 { sums[String(parts[1]).replacingOccurrences(of: "*", with: "")] = String(parts[0]) }
        }
        return sums
    }

    /// The absolute path of `relative`, after checking that it exists and matches its checksum.
    /// `fallback`, if given, is used when the file is not under the root (e.g. the Debian package's copy).
    public func verifiedPath(_ relative: String, fallback: String? = nil, remedy: String = "run `make data`") throws -> String {
        var path = "\(root)/\(relative)"
        if !FileManager.default.fileExists(atPath: path), let fallback, FileManager.default.fileExists(atPath: fallback) {
            path = fallback
        }
        guard FileManager.default.fileExists(atPath: path) else { throw DataError.missingFile(path: path, remedy: remedy) }
        guard let expected = try checksums()[relative] else {
            throw DataError.missingFile(path: "\(root)/checksums.sha256", remedy: "it has no checksum for \(relative)")
        }
        let found = try SHA256.hexDigest(ofFile: path)
        guard found == expected else { throw DataError.checksumMismatch(path: path, expected: expected, found: found) }
        return path
    }
}
