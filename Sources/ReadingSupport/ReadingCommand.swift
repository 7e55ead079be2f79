import ArgumentParser
import Foundation
import ImplicitRegCore

/// The executable of a reading: `run` (default) and `verify` subcommands.
public struct ReadingCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: R.name, abstract: R.abstract,
                             subcommands: [RunCommand<R>.self, VerifyCommand<R>.self],
                             defaultSubcommand: RunCommand<R>.self)
    }

    public init() {}
}

/// `<reading> run`: resolve the config, run the experiment, write HDF5 with provenance.
public struct RunCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "run", abstract: "Run the experiments and write HDF5 results.")
    }

    @OptionGroup public var options: CommonOptions

    public init() {}

    public func run() throws {
        guard R.isBuilt else {
            print("\(R.name): this reading is not built yet; nothing to run (see Reproductions/\(R.name)/README.md).")
            return
        }
        guard let root = RepositoryRoot.locate() else {
            throw ValidationError("cannot find the implicit-reg checkout (a folder with Package.swift and Reproductions/): run from inside it or set IMPLICIT_REG_ROOT")
        }
        let (config, json) = try ConfigLoader.load(R.Config.self, reading: R.name, profile: options.profile,
                                                   override: options.config, seed: options.seed, root: root)
        BLASRuntime.setThreads(options.threads)
        let out = options.out ?? "\(root)/Reproductions/\(R.name)/results/\(options.profile.rawValue)"
        let context = RunContext(
            root: root, outputDirectory: out,
            data: DataDirectory(explicit: options.dataDir, repositoryRoot: root),
            profile: options.profile, configJSON: json, seed: config.seed, threads: options.threads,
            progress: ProgressReporter(quiet: options.quiet))
        if let advice = BLASRuntime.kernelAdvice(environment: ProcessInfo.processInfo.environment,
                                                 cpuInfo: try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) {
            context.progress.say(advice)
        }
        context.progress.say("\(R.name): profile \(options.profile.rawValue), seed \(config.seed), \(options.threads) BLAS thread(s), writing to \(out)")
        var summary = try R.run(config, context: context)
        context.stamp(&summary)
        let path = "\(out)/summary.h5"
        try summary.write(to: path)
        context.progress.say("\(R.name): wrote \(path) in \(ProgressReporter.duration(Date().timeIntervalSince(context.startTime)))")
    }
}

/// `<reading> verify`: check the claims file against a results directory.
public struct VerifyCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "verify",
                             abstract: "Check the reading's claims against HDF5 results; non-zero exit if an asserted claim fails.")
    }

    @Option(help: ArgumentHelp("Results directory holding summary.h5 (default: the full profile's committed results).", valueName: "dir"))
    public var results: String?

    @Option(help: "Profile the results come from (claims that profile should measure must be present).")
    public var profile: Profile?

    @Flag(help: "Print the report section in Markdown instead of a table.")
    public var markdown = false

    public init() {}

    public func run() throws {
        guard let root = RepositoryRoot.locate() else {
            throw ValidationError("cannot find the implicit-reg checkout: run from inside it or set IMPLICIT_REG_ROOT")
        }
        let claimsPath = "\(root)/Reproductions/\(R.name)/claims.json"
        let claims = try ClaimsFile.load(claimsPath)
        let dir = results ?? "\(root)/Reproductions/\(R.name)/results/full"
        let verification = try ClaimVerification.run(claims: claims, resultsDirectory: dir, profile: profile?.rawValue)
        print(markdown ? verification.markdown(readme: "Reproductions/\(R.name)/README.md") : verification.table)
        if verification.failed { throw ExitCode(1) }
    }
}
