import Foundation
import ImplicitRegCore

/// A results directory belongs to one resolved config: `<out>/config.json` records it at the first
/// run, and running another config into the directory is refused with the keys that differ (point
/// files of two configs side by side, and a summary.h5 silently replaced, are what it prevents).
/// Directories from before this file existed are identified by their point files' `/meta` config.
enum ResultsDirectoryConfig {
    static let name = "config.json"

    /// Throws when `out` holds results of a config other than `json`; records `json` otherwise.
    static func claim(_ out: String, json: String, reading: String) throws {
        let path = "\(out)/\(name)"
        let fm = FileManager.default
        var recorded: String?
        if let data = fm.contents(atPath: path) {
            recorded = String(decoding: data, as: UTF8.self)
        } else if let existing = (try? fm.contentsOfDirectory(atPath: "\(out)/points"))?.filter({ $0.hasSuffix(".h5") }).sorted().first,
                  case let .string(config)? = (try? HDF5Document.read(from: "\(out)/points/\(existing)"))?.groupAttributes["/meta"]?["config"] {
            recorded = config
        }
        if let recorded {
            guard canonical(recorded) == canonical(json) else {
                let a = ResultsComparison.flatten(recorded), b = ResultsComparison.flatten(json)
                let keys = Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
                let listed = keys.prefix(8).map { "\($0): \(a[$0] ?? "(absent)") → \(b[$0] ?? "(absent)")" }.joined(separator: "; ")
                throw ConfigError.invalid(field: "--out", value: out,
                                          reason: "holds \(reading) results of another config (\(keys.count) key(s) differ: \(listed)\(keys.count > 8 ? "; …" : "")). Write this config to another directory with --out DIR (or delete \(out) to replace those results)")
            }
            if fm.fileExists(atPath: path) { return }
        }
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let temporary = "\(out)/.\(name).implicit-reg-tmp-\(getpid())"
        try json.write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ConfigError.unreadable(file: path, reason: "cannot write it: \(String(cString: strerror(errno)))")
        }
    }

    /// Sorted-key JSON of `text` (so formatting never counts as a difference).
    static func canonical(_ text: String) -> String {
        let flat = ResultsComparison.flatten(text)
        return flat.keys.sorted().map { "\($0)=\(flat[$0]!)" }.joined(separator: "\n")
    }
}
