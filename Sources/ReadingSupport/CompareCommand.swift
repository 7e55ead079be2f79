import ArgumentParser
import Foundation
import ImplicitRegCore

/// `<reading> compare A B`: two results directories side by side (config keys that differ, every
/// claim metric with its delta and status change, datasets identical or how far apart, points in
/// only one). Exits 0 whatever it finds; non-zero only when a directory cannot be read.
public struct CompareCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "compare",
                             abstract: "Compare two results directories: config, claim metrics and statuses, datasets, points.")
    }

    @Argument(help: ArgumentHelp("First results directory (holding summary.h5).", valueName: "A"))
    public var first: String

    @Argument(help: ArgumentHelp("Second results directory.", valueName: "B"))
    public var second: String

    @Option(help: ArgumentHelp("Relative difference up to which two datasets count as equal (results are not bit-identical across CPUs).", valueName: "x"))
    public var tolerance: Double = 1e-6

    public init() {}

    public func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a finite number ≥ 0, not \(tolerance)") }
    }

    public func run() throws {
        guard let root = RepositoryRoot.locate() else {
            throw ValidationError("cannot find the implicit-reg checkout: run from inside it or set IMPLICIT_REG_ROOT")
        }
        let claims = try ClaimsFile.load(ClaimsRegistrationFile.claimsPath(root: root, reading: R.name))
        for dir in [first, second] where !FileManager.default.fileExists(atPath: "\(dir)/summary.h5") {
            throw ValidationError("\(dir) has no summary.h5: give two results directories of \(R.name) (run, or merge, first)")
        }
        print(try ResultsComparison.compare(claims: claims, first: first, second: second, tolerance: tolerance).text)
    }
}
