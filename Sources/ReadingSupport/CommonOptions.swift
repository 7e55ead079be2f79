import ArgumentParser
import Foundation

/// The profiles: `quick` and `full` every reading ships; `paper` where our scaled-down setting
/// misses what the paper measured.
public enum Profile: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Minutes on a laptop; what `make test` runs.
    case quick
    /// The committed results; what `make reproduce-all` runs.
    case full
    /// The paper's scale, sized for a cluster (`slurm`); only readings with `configs/paper.json`.
    case paper
}

/// Options shared by every reading's `run` command.
public struct CommonOptions: ParsableArguments {
    @Option(help: "Profile whose config is the base: quick, full, or paper (cluster scale, some readings).")
    public var profile: Profile = .quick

    @Option(help: ArgumentHelp("JSON file whose keys override the profile's config.", valueName: "file"))
    public var config: String?

    @Option(help: "Experiment seed; every random stream (init, shuffle, labels, data subset) derives from it.")
    public var seed: UInt64?

    @Option(help: ArgumentHelp("Output directory (default: Reproductions/<reading>/results/<profile>).", valueName: "dir"))
    public var out: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory (default: $IMPLICIT_REG_DATA, else data/ in the checkout).", valueName: "dir"))
    public var dataDir: String?

    @Option(help: "OpenBLAS threads (1 is fastest on 2-vCPU machines and is bit-reproducible).")
    public var threads: Int = 1

    @Option(help: ArgumentHelp("Only this part of the grid, for readings made of several experiments (`plan` lists them); its points merge into summary.h5 alone.", valueName: "name"))
    public var part: String?

    @Flag(help: "No progress output on stderr.")
    public var quiet = false

    @Argument(help: ArgumentHelp("Config overrides on top of the profile and --config: key.path=value with a JSON value (training.learning_rate=0.05, network.initializer.rule=he, 'evidence.seeds=[0,1]'); list elements cannot be addressed one by one.", valueName: "key.path=value"))
    public var overrides: [String] = []

    public init() {}

    public mutating func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}
