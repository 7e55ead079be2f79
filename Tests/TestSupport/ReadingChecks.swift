import Foundation
import ImplicitRegCore
import Testing

/// The checks every reading's claim tests make, so that each reading states only its small config
/// and what is specific to it:
///
/// - ``expectSameResults(_:config:seed:arguments:tag:sourceLocation:)``: the same config and seed
///   give the same bytes (and ``summary(_:config:seed:arguments:tag:sourceLocation:)`` runs
///   another seed to compare with).
/// - ``FinishedResults``: a bad config fails cleanly, names its field and leaves finished results
///   as they were; a diverging run says so and leaves no point file.
public enum ReadingChecks {
    /// Runs `<reading> run --config <config> --seed <seed>` twice, into two fresh directories, and
    /// expects the same files in both with the same bytes: summary.h5, every point file, config.json
    /// and the registered claims. The only bytes allowed to differ are the `/meta` `start_time` and
    /// `end_time` strings of the HDF5 files (HDF5 objects carry no timestamps, so nothing else
    /// records the clock). Returns the summary.
    @discardableResult
    public static func expectSameResults(_ reading: String, config: String, seed: UInt64, arguments: [String] = [],
                                         tag: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HDF5Document {
        let dir = try ExecutableRunner.temporaryDirectory("\(tag)-same")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let configPath = "\(dir)/config.json"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let runs = ["first", "second"].map { "\(dir)/\($0)" }
        for out in runs {
            let r = try ExecutableRunner.run(reading, ["run", "--config", configPath, "--seed", String(seed), "--out", out, "--quiet"] + arguments)
            try #require(r.status == 0, "\(reading) run into \(out) failed: \(r.stderr)", sourceLocation: sourceLocation)
        }
        let first = try files(in: runs[0]), second = try files(in: runs[1])
        #expect(first.contains("summary.h5") && first.contains { $0.hasPrefix("points/") }, "\(reading) wrote no summary or no points: \(first)",
                sourceLocation: sourceLocation)
        #expect(first == second, "\(reading): the two runs wrote different files: \(first.symmetricDifference(second).sorted())",
                sourceLocation: sourceLocation)
        for name in first.intersection(second).sorted() {
            let a = try bytesWithoutClock("\(runs[0])/\(name)"), b = try bytesWithoutClock("\(runs[1])/\(name)")
            guard a != b else { continue }
            let offset = a.indices.first { $0 >= b.count || a[$0] != b[$0] } ?? a.count
            Issue.record("\(reading) seed \(seed): \(name) differs between two runs of the same config (\(a.count) and \(b.count) bytes, first difference at byte \(offset))\(try datasetDifferences("\(runs[0])/\(name)", "\(runs[1])/\(name)"))",
                         sourceLocation: sourceLocation)
        }
        return try HDF5Document.read(from: "\(runs[0])/summary.h5")
    }

    /// The summary of `<reading> run --config <config> --seed <seed>` (run into a temporary folder,
    /// removed again), e.g. to see that another seed changes what it should.
    public static func summary(_ reading: String, config: String, seed: UInt64, arguments: [String] = [],
                               tag: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HDF5Document {
        let dir = try ExecutableRunner.temporaryDirectory("\(tag)-seed\(seed)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try config.write(toFile: "\(dir)/config.json", atomically: true, encoding: .utf8)
        let r = try ExecutableRunner.run(reading, ["run", "--config", "\(dir)/config.json", "--seed", String(seed), "--out", "\(dir)/out", "--quiet"] + arguments)
        try #require(r.status == 0, "\(reading) seed \(seed) failed: \(r.stderr)", sourceLocation: sourceLocation)
        return try HDF5Document.read(from: "\(dir)/out/summary.h5")
    }

    /// The regular files under `directory`, as paths relative to it.
    public static func files(in directory: String) throws -> Set<String> {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var names = Set<String>()
        while let name = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(directory)/\(name)", isDirectory: &isDirectory), !isDirectory.boolValue {
                names.insert(name)
            }
        }
        return names
    }

    /// The file's bytes with the `/meta` start and end time strings of an HDF5 file masked.
    public static func bytesWithoutClock(_ path: String) throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard path.hasSuffix(".h5") else { return bytes }
        let meta = try HDF5Document.read(from: path).groupAttributes["/meta"] ?? [:]
        for key in ["start_time", "end_time"] {
            guard case let .string(time)? = meta[key], !time.isEmpty else { continue }
            let needle = Array(time.utf8)
            var i = 0
            while i + needle.count <= bytes.count {
                if bytes[i] == needle[0], Array(bytes[i..<(i + needle.count)]) == needle {
                    bytes.replaceSubrange(i..<(i + needle.count), with: repeatElement(UInt8(ascii: "#"), count: needle.count))
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        return bytes
    }

    /// For a failure message: the datasets whose values differ between two HDF5 files.
    static func datasetDifferences(_ a: String, _ b: String) throws -> String {
        guard a.hasSuffix(".h5") else { return "" }
        let x = try HDF5Document.read(from: a), y = try HDF5Document.read(from: b)
        let paths = Set(x.datasets.keys).union(y.datasets.keys).filter { x.datasets[$0] != y.datasets[$0] }.sorted()
        return paths.isEmpty ? "; every dataset is equal" : "; datasets that differ: \(paths.prefix(8).joined(separator: ", "))"
    }
}

/// A finished results directory of a reading, to check that bad input leaves it alone: every run
/// refused by ``expectRefused(_:naming:sourceLocation:)`` or ``expectDiverges(_:sourceLocation:)``
/// must leave the directory's files exactly as they were (no new file, no temporary, the same
/// bytes). Configs are written beside it, in ``root``. Call ``remove()`` when done.
public struct FinishedResults {
    public let reading: String
    /// Arguments added to every run (e.g. `--part least-squares`).
    public let arguments: [String]
    /// The temporary folder holding the results directory ``out`` and the configs.
    public let root: String
    /// The finished results directory.
    public var out: String { "\(root)/finished" }
    private let snapshot: [String: Data]

    /// Runs `<reading> run --config <config>` into a fresh results directory (it must succeed) and
    /// records its files.
    public init(_ reading: String, tag: String, config: String, arguments: [String] = [],
                sourceLocation: SourceLocation = #_sourceLocation) throws {
        self.reading = reading
        self.arguments = arguments
        root = try ExecutableRunner.temporaryDirectory("\(tag)-finished")
        let path = "\(root)/finished.json"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let good = try ExecutableRunner.run(reading, ["run", "--config", path, "--out", "\(root)/finished", "--quiet"] + arguments)
        try #require(good.status == 0, "\(reading): the finished run failed: \(good.stderr)", sourceLocation: sourceLocation)
        snapshot = try Self.contents("\(root)/finished")
        try #require(snapshot["summary.h5"] != nil, "\(reading): the finished run wrote no summary.h5", sourceLocation: sourceLocation)
    }

    private static func contents(_ directory: String) throws -> [String: Data] {
        var contents: [String: Data] = [:]
        for name in try ReadingChecks.files(in: directory) {
            contents[name] = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
        return contents
    }

    /// Writes `config` beside the results (a new file each call) and returns its path.
    public func write(_ config: String) throws -> String {
        let path = "\(root)/config-\(UUID().uuidString.prefix(8)).json"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `<reading> run --config <config> --out <out>` must fail before changing anything, with an
    /// error that contains every one of `fragments` (the field's dotted path, the reason).
    @discardableResult
    public func expectRefused(_ config: String, naming fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws
        -> ExecutableRunner.Outcome {
        let r = try ExecutableRunner.run(reading, ["run", "--config", try write(config), "--out", out, "--quiet"] + arguments)
        #expect(r.status != 0, "\(reading) accepted \(config)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(r.stderr.contains(fragment), "\(config): the error does not name \"\(fragment)\": \(r.stderr)", sourceLocation: sourceLocation)
        }
        try expectUnchanged(after: config, sourceLocation: sourceLocation)
        return r
    }

    /// A config whose training diverges: run into its own directory it fails saying "diverged" and
    /// leaves no point file; run into the finished directory it is refused before running (another
    /// config), and the finished results stay.
    public func expectDiverges(_ config: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try write(config)
        let elsewhere = "\(root)/diverging"
        let run = try ExecutableRunner.run(reading, ["run", "--config", path, "--out", elsewhere, "--quiet"] + arguments)
        #expect(run.status != 0 && run.stderr.contains("diverged"), "\(reading): a diverging run must fail and say so: \(run.stderr)",
                sourceLocation: sourceLocation)
        let points = ((try? FileManager.default.contentsOfDirectory(atPath: "\(elsewhere)/points")) ?? []).filter { $0.hasSuffix(".h5") }
        #expect(points.isEmpty, "a diverged point must not leave a point file: \(points)", sourceLocation: sourceLocation)
        let refused = try ExecutableRunner.run(reading, ["run", "--config", path, "--out", out, "--quiet"] + arguments)
        #expect(refused.status != 0 && refused.stderr.contains("another config"), "\(refused.stderr)", sourceLocation: sourceLocation)
        try expectUnchanged(after: config, sourceLocation: sourceLocation)
    }

    /// The results directory holds exactly the files it held when it was finished, byte for byte.
    public func expectUnchanged(after what: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        let now = try Self.contents(out)
        let added = Set(now.keys).subtracting(snapshot.keys).sorted(), removed = Set(snapshot.keys).subtracting(now.keys).sorted()
        let changed = snapshot.keys.filter { now[$0] != nil && now[$0] != snapshot[$0] }.sorted()
        #expect(added.isEmpty && removed.isEmpty && changed.isEmpty,
                "\(reading): a failed run (\(what)) changed the finished results: added \(added), removed \(removed), changed \(changed)",
                sourceLocation: sourceLocation)
    }

    /// Deletes the results and the configs.
    public func remove() { try? FileManager.default.removeItem(atPath: root) }
}
