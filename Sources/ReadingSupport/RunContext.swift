import Foundation
import ImplicitRegCore

/// Everything a reading's experiment needs from its surroundings: where to write, where the data
/// is, the random streams, progress output, and provenance for `/meta`.
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
    /// The experiment seed.
    public let seed: UInt64
    /// OpenBLAS threads in use.
    public let threads: Int
    /// Progress output.
    public let progress: ProgressReporter
    /// Facts about the code and machine.
    public let provenance: Provenance
    /// When the run began.
    public let startTime = Date()

    init(reading: String, root: String, outputDirectory: String, data: DataDirectory, profile: Profile, configJSON: String,
         seed: UInt64, threads: Int, progress: ProgressReporter) {
        self.reading = reading
        self.root = root
        self.outputDirectory = outputDirectory
        self.data = data
        self.profile = profile
        self.configJSON = configJSON
        self.seed = seed
        self.threads = threads
        self.progress = progress
        self.provenance = Provenance.collect(repository: root)
    }

    /// Named random streams for `seed` (default: the experiment seed).
    public func streams(seed: UInt64? = nil) -> RandomStreams { RandomStreams(seed: seed ?? self.seed) }

    /// Adds `/meta` (the reading's name, the resolved config as JSON, the point's JSON, id and label if it is a point,
    /// seed, provenance, times from `start`, default the run's start, to now) to `document`.
    public func stamp(_ document: inout HDF5Document, pointConfigJSON: String? = nil, seed: UInt64? = nil,
                      pointID: String? = nil, pointLabel: String? = nil, start: Date? = nil) {
        document.setAttribute("reading", .string(reading), on: "/meta")
        document.setAttribute("config", .string(configJSON), on: "/meta")
        if let pointConfigJSON { document.setAttribute("point_config", .string(pointConfigJSON), on: "/meta") }
        if let pointID { document.setAttribute("point_id", .string(pointID), on: "/meta") }
        if let pointLabel { document.setAttribute("point_label", .string(pointLabel), on: "/meta") }
        document.setAttribute("seed", .int(Int64(bitPattern: seed ?? self.seed)), on: "/meta")
        document.setAttribute("profile", .string(profile.rawValue), on: "/meta")
        for (key, value) in provenance.attributes(startTime: start ?? startTime, endTime: Date()) {
            document.setAttribute(key, value, on: "/meta")
        }
    }

    private let cacheLock = NSLock()
    private var cache: [String: Any] = [:]

    /// The value stored under `key`, made by `make` the first time (e.g. a data set that every
    /// point of the grid run by this process shares, loaded once).
    public func cached<T>(_ key: String, _ make: () throws -> T) throws -> T {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let value = cache[key] as? T { return value }
        let value = try make()
        cache[key] = value
        return value
    }
}
