import ArgumentParser
import Foundation
import ImplicitRegCore

/// The executable of a reading: `run` (default), `plan`, `merge`, `verify` and `slurm` subcommands.
public struct ReadingCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: R.name, abstract: R.abstract,
                             subcommands: [RunCommand<R>.self, PlanCommand<R>.self, MergeCommand<R>.self, VerifyCommand<R>.self, CompareCommand<R>.self, FiguresCommand<R>.self, SlurmCommand<R>.self],
                             defaultSubcommand: RunCommand<R>.self)
    }

    public init() {}

    /// The executable's entry point, the one line of a reading's `main.swift`: chooses an OpenBLAS
    /// kernel the CPU supports (re-executing the process if needed), flushes subnormal floats to
    /// zero, then parses the command line and runs the command.
    public static func main() {
        BLASRuntime.useRecognisedKernel()
        SubnormalFlushing.enable()
        Self.main(nil)
    }
}

/// The resolved config, output directory and grid of a command's options.
struct Resolved<R: Reading> {
    var root: String
    var config: R.Config
    var json: String
    var out: String
    var grid: Grid<R>

    init(_ options: CommonOptions) throws {
        HDF5Library.isolatesReads = true  // a damaged result file is an error, never a crash (HDF5IsolatedRead)
        guard let root = RepositoryRoot.locate() else {
            throw ValidationError("cannot find the implicit-reg checkout (a folder with Package.swift and Reproductions/): run from inside it or set IMPLICIT_REG_ROOT")
        }
        self.root = root
        (config, json) = try ConfigLoader.load(R.Config.self, reading: R.name, profile: options.profile,
                                               override: options.config, overrides: options.overrides, seed: options.seed, root: root)
        out = options.out ?? "\(root)/Reproductions/\(R.name)/results/\(options.profile.rawValue)"
        try OutputDirectory.check(out)
        if let part = options.part, !R.parts.contains(part) {
            throw ValidationError(R.parts.isEmpty ? "\(R.name) has no parts: drop --part"
                                                  : "--part must be one of \(R.parts.joined(separator: ", ")), not \(part)")
        }
        grid = try Grid<R>(config: config, configJSON: json, outputDirectory: out, part: options.part)
        let cost = grid.points.reduce(0.0) { $0 + R.estimatedCost($1.point, config: config) }
        guard cost.isFinite, cost <= ConfigLimits.maxGridSeconds else {
            throw ConfigError.invalid(field: "the grid", value: "\(grid.points.count) point(s)",
                                      reason: "would take an estimated \(cost.isFinite ? ProgressReporter.duration(cost) : "unbounded time") of one core, more than ten core-years: reduce its epochs, steps, sizes or points")
        }
    }

    func context(_ options: CommonOptions) -> RunContext {
        BLASRuntime.setThreads(options.threads)
        return RunContext(
            reading: R.name, root: root, outputDirectory: out,
            data: DataDirectory(explicit: options.dataDir, repositoryRoot: root),
            profile: options.profile, configJSON: json, seed: config.seed, threads: options.threads,
            progress: ProgressReporter(quiet: options.quiet))
    }

    /// Reads every point of the grid back, merges, stamps and writes `<out>/summary.h5`; throws
    /// ``GridError/missingPoints(_:)`` naming the points that are missing or stale. `partial`
    /// merges the points that are done (readings whose merge allows it); `/meta` records
    /// `points_done` and `points_total` either way.
    func mergeAll(context: RunContext, partial: Bool = false) throws {
        let statuses = grid.points.map { grid.status($0) }
        try InterruptGuard.whileWriting { try grid.writeIndex(statuses: statuses) }
        let notDone = zip(grid.points, statuses).compactMap { p, status -> String? in
            guard status != .done else { return nil }
            if case let .stale(why) = status { return "\(p.id)  \(p.label)  (stale: \(why))" }
            return "\(p.id)  \(p.label)  (missing)"
        }
        if partial && !R.mergesPartialGrids {
            throw ValidationError("\(R.name) cannot summarise part of its grid: run every point, then `\(R.name) merge` without --partial")
        }
        guard notDone.isEmpty || partial else { throw GridError.missingPoints(notDone) }
        let done = zip(grid.points, statuses).filter { $0.1 == .done }.map(\.0)
        guard !done.isEmpty else { throw GridError.missingPoints(notDone) }
        var documents: [(R.Point, HDF5Document)] = []
        for p in done { documents.append((p.point, try HDF5Document.read(from: p.path))) }
        var summary = try R.merge(documents, config: config)
        context.stamp(&summary)
        summary.setAttribute("points_done", .int(Int64(done.count)), on: "/meta")
        summary.setAttribute("points_total", .int(Int64(grid.points.count)), on: "/meta")
        ClaimsRegistrationFile.stamp(&summary, out: out)
        let path = "\(out)/summary.h5"
        try InterruptGuard.whileWriting { try summary.write(to: path) }
        context.progress.say("\(R.name): merged \(done.count) point(s)\(done.count < grid.points.count ? " of \(grid.points.count) (partial)" : "") into \(path)")
    }
}

/// `<reading> run`: resolve the config, run the selected points that are not done yet (each to
/// `<out>/points/<id>.h5`), then merge the grid into `<out>/summary.h5`.
public struct RunCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "run",
                             abstract: "Run the grid's points that are not done yet, then merge them into summary.h5.")
    }

    @OptionGroup public var options: CommonOptions

    @Option(help: ArgumentHelp("Run only the points whose grid index is I mod N (0 ≤ I < N).", valueName: "I/N"))
    public var shard: String?

    @Option(help: ArgumentHelp("Run only these points (ids or labels from `plan`, comma-separated).", valueName: "ID,ID"))
    public var points: String?

    @Flag(name: .customLong("no-merge"), help: "Do not merge into summary.h5 afterwards (use `merge` once every shard is done).")
    public var noMerge = false

    public init() {}

    public func validate() throws {
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be I/N with 0 ≤ I < N, not \(shard)") }
    }

    public func run() throws {
        InterruptGuard.install()
        let resolved = try Resolved<R>(options)
        let grid = resolved.grid
        let only = points.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let selected = try grid.select(shard: shard.flatMap(Shard.init), only: only)
        let statuses = selected.map { grid.status($0) }
        // Data first: every data set the points to run need is found and checked before anything is written.
        if !selected.isEmpty, options.dataDir != nil || ProcessInfo.processInfo.environment["IMPLICIT_REG_DATA"] != nil {
            try DataDirectory(explicit: options.dataDir, repositoryRoot: resolved.root).checkExists()
        }
        try Self.checkData(for: zip(selected, statuses).filter { $0.1 != .done }.map(\.0.point), resolved: resolved, options: options)
        try OutputDirectory.prepare(resolved.out)
        if !selected.isEmpty { try ResultsDirectoryConfig.claim(resolved.out, json: resolved.json, reading: R.name) }
        let context = resolved.context(options)
        for path in grid.removeStaleTemporaries() { context.progress.say("\(R.name): removed \(path), left by a killed run") }
        let claimsPath = ClaimsRegistrationFile.claimsPath(root: resolved.root, reading: R.name)
        if !selected.isEmpty, let said = try ClaimsRegistrationFile.registerIfFresh(out: resolved.out, claimsPath: claimsPath) {
            context.progress.say("\(R.name): \(said)")
        }
        let claimsSHA = FileManager.default.contents(atPath: claimsPath).map { SHA256.hexDigest(of: Array($0)) }
        context.progress.say("\(R.name): profile \(options.profile.rawValue), seed \(resolved.config.seed), \(options.threads) BLAS thread(s), \(selected.count) of \(grid.points.count) point(s), writing to \(resolved.out)")
        var ran = 0
        var gridStatuses = grid.points.map { grid.status($0) }
        let alreadyDone = gridStatuses.filter { $0 == .done }.count
        let skipped = zip(selected, statuses).filter { $0.1 == .done }.count
        if skipped > 0 { context.progress.say("\(R.name): \(skipped) of \(selected.count) selected point(s) already done, skipped") }
        context.progress.beginGrid(estimates: zip(selected, statuses).filter { $0.1 != .done }.map { R.estimatedCost($0.0.point, config: resolved.config) })
        func interruptMessage() -> String {
            "\n\(R.name): interrupted; \(ran) point(s) finished in this run, \(alreadyDone + ran) of \(grid.points.count) done in \(resolved.out). Rerun the same command to resume: finished points are kept.\n"
        }
        InterruptGuard.setMessage(interruptMessage())
        for (k, p) in selected.enumerated() {
            let tag = "[\(k + 1)/\(selected.count)] \(p.label) \(p.id)"
            switch statuses[k] {
            case .done:
                continue
            case let .stale(why):
                context.progress.say("\(tag): existing file \(why); running again")
            case .missing:
                // Another process writing into the same directory (a second shard) may have finished it meanwhile.
                if grid.status(p) == .done {
                    context.progress.say("\(tag): finished meanwhile by another run into \(resolved.out); skipped")
                    continue
                }
            }
            let start = Date()
            context.progress.begin(tag, estimate: R.estimatedCost(p.point, config: resolved.config))
            let pointContext = context.point(seed: p.seed)
            var document = try R.runPoint(p.point, config: resolved.config, context: pointContext)
            pointContext.stamp(&document, pointConfigJSON: p.json, pointID: p.id, pointLabel: p.label, start: start)
            if let claimsSHA { document.setAttribute("claims_sha256", .string(claimsSHA), on: "/meta") }
            try InterruptGuard.whileWriting { try document.write(to: p.path) }
            gridStatuses[p.index] = .done
            try InterruptGuard.whileWriting { try grid.writeIndex(statuses: gridStatuses) }
            ran += 1
            InterruptGuard.setMessage(interruptMessage())
            context.progress.end("\(tag): wrote \(p.path) in \(ProgressReporter.duration(Date().timeIntervalSince(start)))")
        }
        if !selected.isEmpty { try InterruptGuard.whileWriting { try grid.writeIndex(statuses: gridStatuses) } }
        context.progress.say("\(R.name): ran \(ran), skipped \(selected.count - ran) point(s) in \(ProgressReporter.duration(Date().timeIntervalSince(context.startTime)))")
        guard !noMerge else { return }
        let subset = shard != nil || points != nil
        let missing = grid.points.filter { grid.status($0) != .done }
        if subset, !missing.isEmpty {
            context.progress.say("\(R.name): \(missing.count) point(s) of the grid are not done yet (other shards?); not merging — run `\(R.name) merge` when they are")
            return
        }
        try resolved.mergeAll(context: context)
    }

    /// Locates and checks (SHA-256) every data set that `points` need, in the order of their names;
    /// the first that is missing or altered is a ``DataSetError``.
    static func checkData(for points: [R.Point], resolved: Resolved<R>, options: CommonOptions) throws {
        guard !points.isEmpty else { return }
        let data = DataDirectory(explicit: options.dataDir, repositoryRoot: resolved.root)
        for name in R.dataSets(for: points, config: resolved.config).sorted() {
            do {
                try name.verify(in: data)
            } catch {
                let needing = points.filter { R.dataSets(for: [$0], config: resolved.config).contains(name) }.count
                throw DataSetError(reading: R.name, dataSet: name, points: needing, reason: error)
            }
        }
    }
}

/// `<reading> plan`: the grid, one line per point, with ids, estimated costs and what is done; for
/// a done point also the time its run took (the point file's `/meta` start and end), and a last
/// line saying how far the estimates were from those times.
public struct PlanCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "plan",
                             abstract: "List the grid's points: index, id, label, estimated cost, status (done/missing/stale) and, when done, the time it took.")
    }

    @OptionGroup public var options: CommonOptions

    @Flag(help: "One JSON object per point instead of the table: index, id, label, status, estimated_seconds, measured_seconds (null unless done).")
    public var json = false

    public init() {}

    public func run() throws {
        let resolved = try Resolved<R>(options)
        let grid = resolved.grid
        let width = max(5, grid.points.map(\.label.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        if !json { print("\(pad("index", 6)) \(pad("id", 16))  \(pad("label", width))  \(pad("cost", 9)) \(pad("took", 9)) status") }
        var total = 0.0, remaining = 0.0, done = 0
        var pairs: [(estimate: Double, measured: Double)] = []
        for p in grid.points {
            let cost = R.estimatedCost(p.point, config: resolved.config)
            let status = grid.status(p)
            total += cost
            var took: Double?
            if status == .done {
                done += 1
                took = Grid<R>.meta(of: p.path).flatMap(PointDuration.seconds)
                if let took { pairs.append((cost, took)) }
            } else {
                remaining += cost
            }
            if json {
                print(PlanLine(index: p.index, id: p.id, label: p.label, status: status.word,
                               estimatedSeconds: cost, measuredSeconds: took).text)
            } else {
                print("\(pad(String(p.index), 6)) \(p.id)  \(pad(p.label, width))  \(pad(ProgressReporter.duration(cost), 9)) \(pad(took.map(ProgressReporter.duration) ?? "", 9)) \(status.word)")
            }
        }
        guard !json else { return }
        if !R.parts.isEmpty { print("parts (--part): \(R.parts.joined(separator: ", "))\(options.part.map { "; listing \($0) only" } ?? "")") }
        print("\(grid.points.count) point(s), \(done) done; estimated \(ProgressReporter.duration(total)) on one core in all, \(ProgressReporter.duration(remaining)) remaining; output \(resolved.out)")
        if let accuracy = EstimateAccuracy(pairs) { print(accuracy.description) }
    }
}

/// How long a point's run took: `/meta` end_time − start_time, in seconds.
enum PointDuration {
    static func seconds(_ meta: [String: AttributeValue]) -> Double? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        func date(_ value: AttributeValue?) -> Date? {
            guard case let .string(s)? = value else { return nil }
            return fractional.date(from: s) ?? plain.date(from: s)
        }
        guard let start = date(meta["start_time"]), let end = date(meta["end_time"]) else { return nil }
        return end.timeIntervalSince(start)
    }
}

/// How well estimated costs matched measured times: over the points with both, the median and the
/// spread of estimate/measured, the share within ±30 %, and the totals.
public struct EstimateAccuracy: Sendable {
    public var points: Int
    /// Median of estimate/measured.
    public var medianRatio: Double
    /// 10 % and 90 % quantiles of estimate/measured.
    public var ratioRange: (low: Double, high: Double)
    /// Share of points with 0.7 ≤ estimate/measured ≤ 1.3.
    public var withinThirtyPercent: Double
    public var estimatedTotal: Double
    public var measuredTotal: Double

    /// Nil without a pair whose measured time is positive.
    public init?(_ pairs: [(estimate: Double, measured: Double)]) {
        let ratios = pairs.filter { $0.measured > 0 }.map { $0.estimate / $0.measured }
        guard !ratios.isEmpty else { return nil }
        points = ratios.count
        medianRatio = ratios.quantile(0.5)
        ratioRange = (ratios.quantile(0.1), ratios.quantile(0.9))
        withinThirtyPercent = Double(ratios.filter { $0 >= 0.7 && $0 <= 1.3 }.count) / Double(ratios.count)
        estimatedTotal = pairs.map(\.estimate).reduce(0, +)
        measuredTotal = pairs.map(\.measured).reduce(0, +)
    }

    public var description: String {
        String(format: "estimates against the %d done point(s): estimate/took median %.2f (10–90 %%: %.2f–%.2f), %.0f %% within ±30 %%; in all %@ estimated, %@ taken",
               points, medianRatio, ratioRange.low, ratioRange.high, 100 * withinThirtyPercent,
               ProgressReporter.duration(estimatedTotal), ProgressReporter.duration(measuredTotal))
    }
}

/// One `plan --json` line.
struct PlanLine: Encodable {
    var index: Int
    var id: String
    var label: String
    var status: String
    var estimatedSeconds: Double
    var measuredSeconds: Double?

    var text: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}

/// `<reading> merge`: merge the point files of the grid into `summary.h5`.
public struct MergeCommand<R: Reading>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "merge",
                             abstract: "Merge the grid's point files into summary.h5; non-zero exit naming the points that are missing.")
    }

    @OptionGroup public var options: CommonOptions

    @Flag(help: "Merge the points that are done although others are missing (a long profile run over several sittings); the summary records how many, and verify says the results are partial.")
    public var partial = false

    public init() {}

    public func run() throws {
        InterruptGuard.install()
        let resolved = try Resolved<R>(options)
        let context = resolved.context(options)
        resolved.grid.removeStaleTemporaries()
        try resolved.mergeAll(context: context, partial: partial)
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

    @Option(help: ArgumentHelp("Show everything about one claim: statements, paper, checks, controls, why its status.", valueName: "id"))
    public var claim: String?

    @Flag(help: "Do not wrap the table to 120 columns; add the paper's value.")
    public var wide = false

    @Flag(help: "Print the report section in Markdown instead of a table.")
    public var markdown = false

    @Flag(name: .customLong("overview-row"), help: "Print only the reading's rows of REPORT.md's overview table (Markdown).")
    public var overviewRow = false

    @Flag(name: .customLong("overview-header"), help: "Print only the header of REPORT.md's overview table (Markdown).")
    public var overviewHeader = false

    public init() {}

    public func run() throws {
        if overviewHeader {
            print(ClaimVerification.overviewHeader)
            return
        }
        guard let root = RepositoryRoot.locate() else {
            throw ValidationError("cannot find the implicit-reg checkout: run from inside it or set IMPLICIT_REG_ROOT")
        }
        let claims = try ClaimsFile.load(ClaimsRegistrationFile.claimsPath(root: root, reading: R.name))
        let dir = results ?? "\(root)/Reproductions/\(R.name)/results/full"
        HDF5Library.isolatesReads = true
        if FileManager.default.fileExists(atPath: "\(dir)/summary.h5") {
            try ResultsIdentity.checkSummary(at: "\(dir)/summary.h5", reading: R.self, profile: profile?.rawValue)
        }
        let verification = try ClaimVerification.run(claims: claims, resultsDirectory: dir, profile: profile?.rawValue)
        if overviewRow {
            print(verification.overviewRows)
            return
        }
        if let claim {
            guard let text = verification.detail(claim) else {
                throw ValidationError("\(R.name) has no claim \"\(claim)\"; its claims: \(claims.claims.map(\.id).joined(separator: ", "))")
            }
            print(text)
            return
        }
        print(markdown ? verification.markdown(readme: "Reproductions/\(R.name)/README.md") : verification.table(wide: wide))
        if verification.failed { throw ExitCode(1) }
    }
}
