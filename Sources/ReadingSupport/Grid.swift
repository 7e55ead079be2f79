import Foundation
import ImplicitRegCore

/// One point of a reading's grid with what the shared commands need: its index in the grid, its
/// stable id, label, JSON and file.
public struct GridPoint<R: Reading> {
    /// Position in `R.points(config)` (decides the shard).
    public var index: Int
    public var point: R.Point
    /// First 16 hex digits of SHA-256 of {"config", "point", "reading"} as canonical JSON.
    public var id: String
    public var label: String
    /// The seed its random streams derive from and its `/meta` records (``Reading/seed(of:config:)``).
    public var seed: UInt64
    /// The point as canonical JSON (`/meta` `point_config`).
    public var json: String
    /// `<out>/points/<id>.h5`.
    public var path: String
}

/// Whether a point's file is there and belongs to the current config.
public enum PointStatus: Equatable {
    case done
    case missing
    /// A file is there but was written for another config, or cannot be read.
    case stale(String)

    public var word: String {
        switch self {
        case .done: "done"
        case .missing: "missing"
        case .stale: "stale"
        }
    }
}

/// The hashed identity of a point.
private struct PointKey<C: Encodable, P: Encodable>: Encodable {
    var reading: String
    var config: C
    var point: P
}

/// A reading's grid for one resolved config and output directory.
public struct Grid<R: Reading> {
    public let config: R.Config
    public let configJSON: String
    public let outputDirectory: String
    public let points: [GridPoint<R>]

    /// The grid of `config`; with `part`, only the points of that part (``Reading/part(of:)``).
    public init(config: R.Config, configJSON: String, outputDirectory: String, part: String? = nil) throws {
        self.config = config
        self.configJSON = configJSON
        self.outputDirectory = outputDirectory
        var points: [GridPoint<R>] = []
        var labels = Set<String>()
        for (index, point) in R.points(config).filter({ part == nil || R.part(of: $0) == part }).enumerated() {
            let id = try Self.id(of: point, config: config)
            let label = R.label(point)
            guard labels.insert(label).inserted else { throw GridError.duplicateLabel(label) }
            points.append(GridPoint(index: index, point: point, id: id, label: label, seed: R.seed(of: point, config: config),
                                    json: try JSONCoding.string(point),
                                    path: "\(outputDirectory)/points/\(id).h5"))
        }
        self.points = points
    }

    /// The stable id of `point` under `config`: changing any hyperparameter changes every id.
    public static func id(of point: R.Point, config: R.Config) throws -> String {
        let text = try JSONCoding.string(PointKey(reading: R.name, config: config, point: point))
        return String(SHA256.hexDigest(of: Array(text.utf8)).prefix(16))
    }

    /// The points of shard `shard` of `count` (index ≡ shard mod count), optionally only those
    /// whose id or label is in `only`; throws naming unknown ids.
    public func select(shard: Shard?, only: [String]?) throws -> [GridPoint<R>] {
        var selected = points
        if let shard { selected = selected.filter { $0.index % shard.count == shard.index } }
        if let only {
            let known = Set(points.map(\.id)).union(points.map(\.label))
            let unknown = only.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw GridError.unknownPoints(unknown)
            }
            let wanted = Set(only)
            selected = selected.filter { wanted.contains($0.id) || wanted.contains($0.label) }
        }
        return selected
    }

    /// Whether `point`'s file exists and its `/meta` names the current reading, config and point.
    public func status(_ point: GridPoint<R>) -> PointStatus {
        guard FileManager.default.fileExists(atPath: point.path) else { return .missing }
        guard let meta = Self.meta(of: point.path) else { return .stale("cannot read its /meta") }
        if let reading = meta["reading"], reading != .string(R.name) { return .stale("written by another reading") }
        if meta["config"] != .string(configJSON) { return .stale("written for another config") }
        if meta["point_config"] != .string(point.json) { return .stale("written for another point") }
        return .done
    }

    /// The `/meta` attributes of the file at `path`, or nil if it cannot be read.
    static func meta(of path: String) -> [String: AttributeValue]? {
        (try? HDF5Document.read(from: path))?.groupAttributes["/meta"]
    }

    /// The point index's file name in `<out>/points/`.
    public static var indexName: String { "index.tsv" }

    /// Writes `<out>/points/index.tsv` atomically, when `<out>/points` exists: a header line, then
    /// one tab-separated line per point of the grid in grid order — index, id, label and status
    /// (done, missing or stale; `statuses` are the points' in grid order) — so that the files,
    /// named by id only, can be matched to their points without running the reading (`plan` adds
    /// the estimated costs). The bytes depend only on the grid and the statuses.
    public func writeIndex(statuses: [PointStatus]) throws {
        precondition(statuses.count == points.count, "one status per point")
        var isDirectory: ObjCBool = false
        let dir = "\(outputDirectory)/points"
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        func field(_ s: String) -> String { String(s.map { $0 == "\t" || $0.isNewline ? " " : $0 }) }
        var text = "index\tid\tlabel\tstatus\n"
        for (p, status) in zip(points, statuses) { text += "\(p.index)\t\(p.id)\t\(field(p.label))\t\(status.word)\n" }
        let path = "\(dir)/\(Self.indexName)"
        let temporary = HDF5Document.temporaryName(for: path)
        // POSIX calls, so that a full disk is reported as such ("No space left on device").
        func failure(_ what: String) -> ConfigError {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return ConfigError.unreadable(file: path, reason: "\(what): \(reason)")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot write it") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure("cannot write it")
                close(fd)
                throw error
            }
            written += n
        }
        guard close(fd) == 0 else { throw failure("cannot write it") }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ConfigError.unreadable(file: path, reason: "cannot write it: \(reason)")
        }
    }

    /// Removes the suite's temporary files (`.<name>.implicit-reg-tmp-<pid>`, see
    /// ``HDF5Document/temporaryName(for:)``) left in `<out>` and `<out>/points` by processes that
    /// no longer exist (a run killed with SIGKILL while writing); returns their paths. Temporary
    /// files of live processes (another shard writing) are left alone, and so is every file whose
    /// name the suite does not make, whatever it looks like.
    @discardableResult
    public func removeStaleTemporaries() -> [String] {
        var removed: [String] = []
        for dir in [outputDirectory, "\(outputDirectory)/points"] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                guard let pid = HDF5Document.temporaryPID(name) else { continue }
                if pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
                var info = stat()  // only regular files: the suite writes nothing else
                guard lstat("\(dir)/\(name)", &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                if unlink("\(dir)/\(name)") == 0 { removed.append("\(dir)/\(name)") }
            }
        }
        return removed
    }
}

/// `--shard I/N`: the points whose index is I mod N (0 ≤ I < N).
public struct Shard: Equatable, Sendable {
    public var index: Int
    public var count: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else { return nil }
        index = i
        count = n
    }
}

public enum GridError: Error, CustomStringConvertible {
    case unknownPoints([String])
    case missingPoints([String])
    case duplicateLabel(String)

    public var description: String {
        switch self {
        case let .unknownPoints(ids): "no point of the grid has id or label \(ids.joined(separator: ", ")) (see `plan`)"
        case let .missingPoints(lines): "cannot merge: \(lines.count) point(s) missing or stale:\n  \(lines.joined(separator: "\n  "))"
        case let .duplicateLabel(label): "invalid configuration: two points of the grid would both be \(label): a list in the config repeats a value"
        }
    }
}

/// SIGINT and SIGTERM end the process at once (exit 130 / 143) — except while a result file is
/// being written, when the signal is held until the file is complete and renamed into place. So an
/// interrupted run never leaves a partial or temporary file; only SIGKILL during a write can leave
/// a `.<name>.implicit-reg-tmp-<pid>` file, which the next run removes (``Grid/removeStaleTemporaries()``).
public enum InterruptGuard {
    /// Installs the handlers (idempotent).
    public static func install() {
        _ = signal(SIGINT, interruptHandler)
        _ = signal(SIGTERM, interruptHandler)
        // A parent may have started us with the signals blocked (the mask is inherited).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The line printed on stderr when SIGINT or SIGTERM ends the run (how many points finished,
    /// how to resume). Kept as a C string so the signal handler only calls write(2).
    public static func setMessage(_ text: String) {
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        buffer.initialize(from: bytes, count: bytes.count)
        let old = interruptMessage
        interruptMessage = UnsafePointer(buffer)
        interruptMessageLength = bytes.count
        old?.deallocate()
    }

    /// Runs `body` (a file write) with SIGINT/SIGTERM held; exits afterwards if one arrived.
    public static func whileWriting<T>(_ body: () throws -> T) rethrows -> T {
        writingFile = 1
        defer {
            writingFile = 0
            if pendingSignal != 0 { writeInterruptMessage(); _exit(128 + pendingSignal) }
        }
        return try body()
    }
}

nonisolated(unsafe) private var writingFile: Int32 = 0
nonisolated(unsafe) private var pendingSignal: Int32 = 0
nonisolated(unsafe) private var interruptMessage: UnsafePointer<UInt8>?
nonisolated(unsafe) private var interruptMessageLength = 0

private func writeInterruptMessage() {
    if let message = interruptMessage { _ = write(2, message, interruptMessageLength) }
}

private func interruptHandler(_ signal: Int32) {
    if writingFile != 0 {
        pendingSignal = signal
    } else {
        writeInterruptMessage()
        _exit(128 + signal)
    }
}
