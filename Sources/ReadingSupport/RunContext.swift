import Foundation
import ImplicitRegCore

/// Everything a reading's experiment needs from its surroundings: where to write, where the data
/// is, the random streams, progress output, and provenance for `/meta`.
///
/// The runner owns the seeds: `runPoint` receives a context whose ``streams`` derive from the
/// point's seed (``Reading/seed(of:config:)``, the seed stamped into the point's `/meta`), and
/// whose ``gridStreams`` derive from the experiment seed (what every point of the grid shares, such
/// as a data split). A reading never picks a seed itself.
public final class RunContext: @unchecked Sendable {
    /// The reading's name (`/meta` `reading`).
    public let reading: String
    /// The checkout's root.
    public let root: String
    /// The output directory (points go to `<out>/points/`, the merged summary to `<out>/summary.h5`).
    public let outputDirectory: String
    /// Where the data sets are.
    public let data: DataDirectory
    /// The profile that was run.
    public let profile: Profile
    /// The resolved configuration as canonical JSON.
    public let configJSON: String
    /// The seed of ``streams`` and of `/meta` `seed`: the point's seed inside `runPoint`, the
    /// experiment seed (config `seed`) otherwise.
    public let seed: UInt64
    /// The named random streams of ``seed`` (the point's own randomness: initialisation, order, labels).
    public let streams: RandomStreams
    /// The named random streams of the experiment seed, shared by every point of the grid (a data
    /// split or partition that must be the same for every point).
    public let gridStreams: RandomStreams
    /// OpenBLAS threads in use.
    public let threads: Int
    /// Progress output.
    public let progress: ProgressReporter
    /// Facts about the code and machine.
    public let provenance: Provenance
    /// When the run began.
    public let startTime: Date

    init(reading: String, root: String, outputDirectory: String, data: DataDirectory, profile: Profile, configJSON: String,
         seed: UInt64, threads: Int, progress: ProgressReporter) {
        self.reading = reading
        self.root = root
        self.outputDirectory = outputDirectory
        self.data = data
        self.profile = profile
        self.configJSON = configJSON
        self.seed = seed
        streams = RandomStreams(seed: seed)
        gridStreams = RandomStreams(seed: seed)
        self.threads = threads
        self.progress = progress
        self.provenance = Provenance.collect(repository: root)
        startTime = Date()
        cache = Cache()
    }

    private init(_ parent: RunContext, pointSeed: UInt64) {
        reading = parent.reading
        root = parent.root
        outputDirectory = parent.outputDirectory
        data = parent.data
        profile = parent.profile
        configJSON = parent.configJSON
        seed = pointSeed
        streams = RandomStreams(seed: pointSeed)
        gridStreams = parent.gridStreams
        threads = parent.threads
        progress = parent.progress
        provenance = parent.provenance
        startTime = parent.startTime
        cache = parent.cache
    }

    /// The context of one point: its streams derive from `seed` (the seed its `/meta` records);
    /// everything else, the cache included, is shared with this context.
    func point(seed: UInt64) -> RunContext { RunContext(self, pointSeed: seed) }

    /// Adds `/meta` (the reading's name, the resolved config as JSON, the point's JSON, id and label if it is a point,
    /// ``seed``, provenance, times from `start`, default the run's start, to now) to `document`.
    public func stamp(_ document: inout HDF5Document, pointConfigJSON: String? = nil,
                      pointID: String? = nil, pointLabel: String? = nil, start: Date? = nil) {
        document.setAttribute("reading", .string(reading), on: "/meta")
        document.setAttribute("config", .string(configJSON), on: "/meta")
        if let pointConfigJSON { document.setAttribute("point_config", .string(pointConfigJSON), on: "/meta") }
        if let pointID { document.setAttribute("point_id", .string(pointID), on: "/meta") }
        if let pointLabel { document.setAttribute("point_label", .string(pointLabel), on: "/meta") }
        document.setAttribute("seed", .int(Int64(bitPattern: seed)), on: "/meta")
        document.setAttribute("profile", .string(profile.rawValue), on: "/meta")
        for (key, value) in provenance.attributes(startTime: start ?? startTime, endTime: Date()) {
            document.setAttribute(key, value, on: "/meta")
        }
    }

    /// Values shared by the points this process runs (one per run, whatever the point's seed).
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var values: [String: Any] = [:]
    }
    private let cache: Cache

    /// The value stored under `key`, made by `make` the first time (e.g. a data set that every
    /// point of the grid run by this process shares, loaded once).
    public func cached<T>(_ key: String, _ make: () throws -> T) throws -> T {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let value = cache.values[key] as? T { return value }
        let value = try make()
        cache.values[key] = value
        return value
    }
}
