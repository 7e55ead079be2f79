import ImplicitRegCore

/// One reading of the suite: a name, two lines of explanation, a config type, and the experiment.
///
/// An executable's `main.swift` is then one line, `ReadingCommand<MyReading>.main()`; the shared
/// commands do the options, config loading, provenance, writing and claims verification.
public protocol Reading {
    /// The reading's configuration.
    associatedtype Config: ReadingConfig
    /// The executable and folder name ("random-labels").
    static var name: String { get }
    /// Two lines for `--help`: the paper, and what the executable checks.
    static var abstract: String { get }
    /// Whether the experiment exists yet (false: `run` says so and exits cleanly).
    static var isBuilt: Bool { get }
    /// Runs the experiment grid: writes each point with `context.writePoint` and returns the
    /// merged summary (scalars under /summary, curves under /curves) that the claims read.
    static func run(_ config: Config, context: RunContext) throws -> HDF5Document
}

extension Reading {
    public static var isBuilt: Bool { true }
}
