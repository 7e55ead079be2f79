import ImplicitRegCore

/// One reading of the suite: a name, two lines of explanation, a config type, and the experiment
/// as a grid of independent points.
///
/// An executable's `main.swift` is then one line, `ReadingCommand<MyReading>.main()` (which also
/// chooses the BLAS kernel and flushes subnormals); the shared commands (`plan`, `run`, `merge`,
/// `verify`, `compare`, `slurm`) do the options, config loading, seeds and random streams, point
/// ids, resuming, sharding, provenance, writing and claims verification.
public protocol Reading {
    /// The reading's configuration.
    associatedtype Config: ReadingConfig
    /// One point of the experiment grid (encoded as JSON into its id and `/meta` `point_config`).
    associatedtype Point: Codable & Sendable
    /// The executable and folder name ("random-labels").
    static var name: String { get }
    /// Two lines for `--help`: the paper, and what the executable checks.
    static var abstract: String { get }
    /// The grid, in a fixed order (a point's index in it decides its shard).
    static func points(_ config: Config) -> [Point]
    /// A human-readable name of the point ("mlp-1x512-random-labels-seed0"), unique in the grid;
    /// the summary's curves of the point go under `/curves/<label>`.
    static func label(_ point: Point) -> String
    /// Rough cost of the point in seconds on one core.
    static func estimatedCost(_ point: Point, config: Config) -> Double
    /// The seed the point's random streams derive from: the runner gives `runPoint` a context whose
    /// `streams` derive from it and writes it to the point's `/meta` `seed` (default: the config's).
    static func seed(of point: Point, config: Config) -> UInt64
    /// The names of the grid's parts, for readings whose grid has separate experiments that
    /// `--part NAME` runs on their own (empty: one experiment).
    static var parts: [String] { get }
    /// The part `point` belongs to (one of ``parts``; nil when there are none).
    static func part(of point: Point) -> String?
    /// Trains one point and returns its document (no file writing: the caller stamps `/meta` and
    /// writes it atomically to `<out>/points/<id>.h5`). `context.streams` derive from
    /// ``seed(of:config:)``, `context.gridStreams` from the config's seed.
    static func runPoint(_ point: Point, config: Config, context: RunContext) throws -> HDF5Document
    /// The summary (scalars under /summary, curves under /curves) that the claims read, built from
    /// every point's document as read back from disk, in grid order.
    static func merge(_ points: [(Point, HDF5Document)], config: Config) throws -> HDF5Document
    /// Whether ``merge(_:config:)`` also summarises a subset of the grid (`merge --partial`, for a
    /// long profile that runs over several sittings: the claims whose points are done get verdicts,
    /// the others read as not measured). Default false.
    static var mergesPartialGrids: Bool { get }
    /// The data sets `points` read (default: none). `run` locates and checks every one of them
    /// (``DataSetName/verify(in:)``) before the first point starts, so a run without `make data`
    /// fails at once, naming the data set, and writes nothing.
    static func dataSets(for points: [Point], config: Config) -> Set<DataSetName>
}

extension Reading {
    public static func seed(of point: Point, config: Config) -> UInt64 { config.seed }
    public static var parts: [String] { [] }
    public static func part(of point: Point) -> String? { nil }
    public static var mergesPartialGrids: Bool { false }
    public static func dataSets(for points: [Point], config: Config) -> Set<DataSetName> { [] }
}
