import ArgumentParser
import Foundation

/// `<reading> slurm`: write (and with `--submit`, submit) a Slurm job array that runs the grid as
/// shards, one single-threaded task per shard, and a dependent job that merges, verifies the
/// claims and draws the figures.
///
/// The files go to `<out>/slurm/`: `<reading>-<profile>.array.sbatch` (task i runs
/// `run --shard i/N --no-merge`), `<reading>-<profile>.merge.sbatch` (`--dependency=afterok` on
/// the array, `--kill-on-invalid-dep=yes` so a failed task cancels it) and `submit.sh`, which
/// submits both. Points already done are skipped by the tasks, so resubmitting finishes only
/// what is missing.
public struct SlurmCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "slurm",
                             abstract: "Write a Slurm job array for the grid (and the merge/verify job after it); --submit submits it.")
    }

    @OptionGroup public var options: CommonOptions

    @Option(help: "Slurm partition (default: the cluster's default partition).")
    public var partition: String?

    @Option(help: ArgumentHelp("Time limit per task, as Slurm takes it (default: 3× the largest shard's estimated cost + 10 min).", valueName: "time"))
    public var time: String?

    @Option(help: ArgumentHelp("Memory per task, as Slurm takes it.", valueName: "mem"))
    public var mem: String = "4G"

    @Option(help: ArgumentHelp("Array tasks (shards); default one per point.", valueName: "N"))
    public var tasks: Int?

    @Option(name: .customLong("sbatch-arg"), help: ArgumentHelp("Extra #SBATCH line for both jobs (repeatable), e.g. --sbatch-arg=--account=abc.", valueName: "arg"))
    public var sbatchArgs: [String] = []

    @Flag(help: "Submit the two jobs with sbatch after writing them.")
    public var submit = false

    @Flag(help: "With --submit: block until the merge job ends (sbatch --wait); non-zero exit if it or a task failed.")
    public var wait = false

    public init() {}

    public func validate() throws {
        if let tasks, tasks < 1 { throw ValidationError("--tasks must be at least 1, not \(tasks)") }
        if wait && !submit { throw ValidationError("--wait needs --submit") }
    }

    public func run() throws {
        let resolved = try Resolved<R>(options)
        let grid = resolved.grid
        guard !grid.points.isEmpty else { throw ValidationError("\(R.name): the \(options.profile.rawValue) grid is empty") }
        let n = min(tasks ?? grid.points.count, grid.points.count)
        var shardCost = [Double](repeating: 0, count: n)
        for p in grid.points { shardCost[p.index % n] += R.estimatedCost(p.point, config: resolved.config) }
        let plan = SlurmPlan(
            reading: R.name, profile: options.profile.rawValue, root: resolved.root,
            executable: Self.executablePath(), out: Self.absolute(resolved.out),
            config: options.config.map(Self.absolute), seed: options.seed,
            dataDirectory: options.dataDir.map(Self.absolute) ?? ProcessInfo.processInfo.environment["IMPLICIT_REG_DATA"],
            tasks: n, partition: partition, time: time ?? SlurmPlan.timeLimit(seconds: 3 * (shardCost.max() ?? 0) + 600),
            memory: mem, extra: sbatchArgs)
        try plan.validate()
        let files = try plan.write()
        print("\(R.name): \(grid.points.count) point(s) in \(n) array task(s); wrote\n  \(files.array)\n  \(files.merge)\n  \(files.submit)")
        guard submit else {
            print("submit with: bash \(files.submit)")
            return
        }
        let arrayID = try Self.sbatch([files.array])
        print("submitted array job \(arrayID)")
        var mergeArguments = ["--dependency=afterok:\(arrayID)"]
        if wait { mergeArguments.append("--wait") }
        let mergeID = try Self.sbatch(mergeArguments + [files.merge])
        print("merge job \(mergeID)\(wait ? " finished" : " submitted"); logs in \(plan.out)/slurm/logs")
    }

    /// Runs `sbatch --parsable ARGS` and returns the job id; throws with sbatch's message on failure.
    static func sbatch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch", "--parsable"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw ValidationError("cannot run sbatch (\(error)); is Slurm's client installed and on PATH?")
        }
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let id = out.split(separator: "\n").last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard process.terminationStatus == 0, !id.isEmpty else {
            throw ValidationError("sbatch \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus)): \(err)\(out)")
        }
        return id
    }

    /// This executable's absolute path (the tasks run the same build).
    static func executablePath() -> String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return absolute(CommandLine.arguments[0])
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// The two sbatch scripts and the submit script of one reading and profile.
struct SlurmPlan {
    var reading: String
    var profile: String
    var root: String
    var executable: String
    var out: String
    var config: String?
    var seed: UInt64?
    var dataDirectory: String?
    var tasks: Int
    var partition: String?
    var time: String
    var memory: String
    var extra: [String]

    /// Slurm's D-HH:MM:SS for a number of seconds (rounded up to whole minutes).
    static func timeLimit(seconds: Double) -> String {
        let minutes = max(1, Int((seconds / 60).rounded(.up)))
        let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60)
        return d > 0 ? String(format: "%d-%02d:%02d:00", d, h, m) : String(format: "%02d:%02d:00", h, m)
    }

    /// Single-quoted for bash.
    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Throws naming the option whose value cannot go into a script safely. Every value bash
    /// reads is single-quoted (``quote(_:)``), so only control characters (a newline would start
    /// a new script line) are refused there; values on `#SBATCH` lines, which Slurm splits at
    /// white space and quotes, must also be free of those.
    func validate() throws {
        func refuse(_ option: String, _ value: String, _ why: String) -> ValidationError {
            ValidationError("\(option) \(value.debugDescription) \(why)")
        }
        let scripted: [(String, String?)] = [("--out", out), ("--config", config), ("IMPLICIT_REG_DATA / --data-dir", dataDirectory),
                                             ("the checkout's path", root), ("the executable's path", executable)]
        for case let (option, value?) in scripted + extra.map({ ("--sbatch-arg", $0) }) {
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw refuse(option, value, "contains a control character (e.g. a newline), which a job script cannot hold safely")
            }
        }
        let sbatchValues: [(String, String?)] = [("--partition", partition), ("--time", time), ("--mem", memory), ("--out", out)]
        for case let (option, value?) in sbatchValues {
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace || $0 == "\"" || $0 == "'" }) {
                throw refuse(option, value, "contains white space, a quote or a control character, which an #SBATCH line cannot hold")
            }
        }
    }

    private var commonOptions: String {
        var o = "--profile \(profile) --out \(Self.quote(out))"
        if let config { o += " --config \(Self.quote(config))" }
        if let seed { o += " --seed \(seed)" }
        return o
    }

    private func header(name: String, log: String) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --output=\(out)/slurm/logs/\(log)",
                     "#SBATCH --cpus-per-task=1", "#SBATCH --ntasks=1", "#SBATCH --mem=\(memory)", "#SBATCH --time=\(time)"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        lines += extra.map { "#SBATCH \($0)" }
        return lines.joined(separator: "\n")
    }

    private var environment: String {
        var lines = ["set -euo pipefail",
                     "# One BLAS thread per task: the grid's parallelism is the array.",
                     "export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1",
                     "export IMPLICIT_REG_ROOT=\(Self.quote(root))"]
        if let dataDirectory { lines.append("export IMPLICIT_REG_DATA=\(Self.quote(dataDirectory))") }
        lines.append("cd \"$IMPLICIT_REG_ROOT\"")
        return lines.joined(separator: "\n")
    }

    var arrayScript: String {
        """
        \(header(name: "\(reading)-\(profile)", log: "\(reading)-\(profile)-%A_%a.log"))
        #SBATCH --array=0-\(tasks - 1)
        # \(reading), \(profile) profile: task i runs the grid's points whose index is i mod \(tasks).
        \(environment)
        exec \(Self.quote(executable)) run \(commonOptions) --threads 1 --shard "${SLURM_ARRAY_TASK_ID}/\(tasks)" --no-merge

        """
    }

    var mergeScript: String {
        """
        \(header(name: "\(reading)-\(profile)-merge", log: "\(reading)-\(profile)-merge-%j.log"))
        #SBATCH --kill-on-invalid-dep=yes
        # \(reading), \(profile) profile: after every array task succeeded, merge, verify the claims, draw the figures.
        \(environment)
        \(Self.quote(executable)) merge \(commonOptions)
        \(Self.quote(executable)) verify --results \(Self.quote(out)) --profile \(profile)
        if [ -x .venv/bin/python ] && [ -f Reproductions/\(reading)/figures.py ]; then
          .venv/bin/python Reproductions/\(reading)/figures.py \(Self.quote(out)) \(Self.quote(out + "/figures"))
        fi

        """
    }

    var submitScript: String {
        """
        #!/bin/bash
        # Submits the \(reading) \(profile) array, then the merge job that waits for all of its tasks.
        set -euo pipefail
        cd "$(dirname "$0")"
        array=$(sbatch --parsable \(reading)-\(profile).array.sbatch)
        array=${array%%;*}
        merge=$(sbatch --parsable "--dependency=afterok:$array" \(reading)-\(profile).merge.sbatch)
        echo "array job $array, merge job ${merge%%;*}; logs in "\(Self.quote(out + "/slurm/logs"))

        """
    }

    /// Writes the three files (and the log directory); returns their paths.
    func write() throws -> (array: String, merge: String, submit: String) {
        let dir = "\(out)/slurm"
        try FileManager.default.createDirectory(atPath: "\(dir)/logs", withIntermediateDirectories: true)
        let files = (array: "\(dir)/\(reading)-\(profile).array.sbatch", merge: "\(dir)/\(reading)-\(profile).merge.sbatch",
                     submit: "\(dir)/submit.sh")
        for (path, text) in [(files.array, arrayScript), (files.merge, mergeScript), (files.submit, submitScript)] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return files
    }
}
