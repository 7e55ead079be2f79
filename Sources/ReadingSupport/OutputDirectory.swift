import ArgumentParser
import Foundation

/// Checks on `--out` made before any work, so that a wrong output path fails at once with its
/// name rather than after a point has been computed.
enum OutputDirectory {
    /// Throws unless `out` (and `out/points`) is a directory or does not exist yet.
    static func check(_ out: String) throws {
        for path in [out, "\(out)/points"] {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw ValidationError("--out: \(path) exists and is not a directory; choose another output directory")
            }
        }
    }

    /// Creates `out/points` and checks that the suite can write there.
    static func prepare(_ out: String) throws {
        try check(out)
        do {
            try FileManager.default.createDirectory(atPath: "\(out)/points", withIntermediateDirectories: true)
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let reason = underlying.map { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : $0.localizedDescription }
                ?? error.localizedDescription
            throw ValidationError("--out: cannot create \(out)/points: \(reason)")
        }
        guard access("\(out)/points", W_OK) == 0, access(out, W_OK) == 0 else {
            throw ValidationError("--out: \(out) is not writable (\(String(cString: strerror(errno))))")
        }
    }
}
