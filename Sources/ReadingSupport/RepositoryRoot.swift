import Foundation

/// Finds the suite's checkout (the folder holding `Package.swift` and `Reproductions/`), so the
/// executables find configs, claims and data wherever they are started from.
public enum RepositoryRoot {
    /// `IMPLICIT_REG_ROOT` if set; otherwise the first ancestor of the current directory, then of
    /// the executable, that holds `Reproductions/` and `Package.swift`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let root = environment["IMPLICIT_REG_ROOT"], !root.isEmpty { return root }
        let fm = FileManager.default
        let starts = [fm.currentDirectoryPath,
                      URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path]
        for start in starts {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                if fm.fileExists(atPath: url.appendingPathComponent("Reproductions").path),
                   fm.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                    return url.path
                }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        return nil
    }
}
