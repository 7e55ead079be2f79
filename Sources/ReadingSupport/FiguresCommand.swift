import ArgumentParser
import Foundation
import ImplicitRegCore

/// `<reading> figures --results DIR [--out DIR]`: draws the reading's figures
/// (`Reproductions/<reading>/figures.py`, in the checkout's `.venv` or `$IMPLICIT_REG_PYTHON`) from
/// any results directory: the committed ones, a fresh rerun, or a run of your own config.
public struct FiguresCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "figures",
                             abstract: "Draw the reading's figures from a results directory (needs the venv: make venv).")
    }

    @Option(help: ArgumentHelp("Results directory holding summary.h5 (default: the committed full-profile results).", valueName: "dir"))
    public var results: String?

    @Option(help: ArgumentHelp("Where to write the PNGs (default: <results>/figures; the committed results' figures go to Reproductions/<reading>/figures).", valueName: "dir"))
    public var out: String?

    public init() {}

    public func run() throws {
        guard let root = RepositoryRoot.locate() else {
            throw ValidationError("cannot find the implicit-reg checkout: run from inside it or set IMPLICIT_REG_ROOT")
        }
        let script = "\(root)/Reproductions/\(R.name)/figures.py"
        guard FileManager.default.fileExists(atPath: script) else { throw ValidationError("\(R.name) has no figures.py") }
        let committed = "\(root)/Reproductions/\(R.name)/results/full"
        let dir = results ?? committed
        guard FileManager.default.fileExists(atPath: "\(dir)/summary.h5") else {
            throw ValidationError("--results: \(dir) has no summary.h5 (run or merge first)")
        }
        let target = out ?? (results == nil ? "\(root)/Reproductions/\(R.name)/figures" : "\(dir)/figures")
        let python = ProcessInfo.processInfo.environment["IMPLICIT_REG_PYTHON"] ?? "\(root)/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ValidationError("no Python with matplotlib at \(python): run `make venv` (or set IMPLICIT_REG_PYTHON)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, dir, target]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
    }
}
