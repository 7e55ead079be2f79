import Foundation
import ImplicitRegCore

/// Progress on stderr; silent with `--quiet`.
///
/// On a terminal, one status line per point is rewritten in place (point i/n, epoch, loss,
/// accuracy, elapsed, the grid's ETA), like tqdm; finished points and messages scroll above it.
/// When stderr is a file or pipe, plain lines at most every ``plainInterval`` seconds. The grid ETA
/// is `plan`'s cost estimate of the points still to run, scaled by how fast the points finished so
/// far actually ran against their estimates; before a point has finished it is labelled as plan's
/// estimate. A point's own ETA under early stopping is a bound ("≤ … if every epoch runs") and is
/// shown only after a few epochs.
public final class ProgressReporter: @unchecked Sendable {
    /// Seconds between plain progress lines when stderr is not a terminal.
    public static let plainInterval = 5.0
    /// Seconds between rewrites of the terminal status line.
    static let terminalInterval = 0.2

    private let quiet: Bool
    private let terminal: Bool
    private var statusShown = false
    private var runStart = Date()
    private var lastPrint = Date.distantPast
    private var label = ""
    private var pointTag = ""
    // The grid: estimated seconds of the points still to run and of those finished, actual seconds.
    private var gridRemainingEstimate = 0.0
    private var finishedEstimate = 0.0
    private var finishedActual = 0.0
    private var currentEstimate = 0.0

    /// A reporter; `quiet` silences it; `terminal` (default: whether stderr is a terminal) picks
    /// in-place updates over plain lines.
    public init(quiet: Bool, terminal: Bool? = nil) {
        self.quiet = quiet
        self.terminal = terminal ?? (isatty(2) == 1)
    }

    /// Prints a line (unless quiet), above the status line on a terminal.
    public func say(_ text: String) {
        guard !quiet else { return }
        clearStatus()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Starts the grid: `estimates` are plan's costs (seconds) of the points that will run.
    public func beginGrid(estimates: [Double]) {
        gridRemainingEstimate = estimates.reduce(0, +)
        finishedEstimate = 0
        finishedActual = 0
    }

    /// Starts timing a point called `label` ("[2/6] mlp-random-labels-seed0 3f…") whose plan estimate is `estimate` seconds.
    /// A reading that calls it inside a point (no estimate) names a stage of that point; the
    /// runner's "[i/n]" prefix stays.
    public func begin(_ label: String, estimate: Double? = nil) {
        if let estimate {
            currentEstimate = estimate
            pointTag = label
            self.label = label
        } else {
            self.label = pointTag.isEmpty ? label : "\(pointTag.split(separator: " ").first ?? "")  \(label)"
        }
        runStart = Date()
        lastPrint = .distantPast
        if terminal { status("\(self.label)  starting") }
    }

    /// Ends the current point: folds its measured time into the grid ETA and prints `text`.
    public func end(_ text: String) {
        let actual = Date().timeIntervalSince(runStart)
        finishedEstimate += currentEstimate
        finishedActual += actual
        gridRemainingEstimate = max(0, gridRemainingEstimate - currentEstimate)
        currentEstimate = 0
        say(text)
    }

    /// The grid's remaining time in words, or nil when there is nothing to estimate.
    var gridETA: String? {
        let remaining = gridRemainingEstimate - min(currentEstimate, Date().timeIntervalSince(runStart))
        guard gridRemainingEstimate > 0 else { return nil }
        if finishedEstimate > 0, finishedActual > 0 {
            return "grid ETA \(Self.duration(max(0, remaining) * finishedActual / finishedEstimate))"
        }
        return "grid ETA ~\(Self.duration(max(0, remaining))) (plan's estimate)"
    }

    /// Reports an epoch of the current point.
    public func epoch(_ report: EpochReport) {
        guard !quiet else { return }
        let now = Date()
        let elapsed = now.timeIntervalSince(runStart)
        let last = report.epoch == report.maxEpochs
        let interval = terminal ? Self.terminalInterval : Self.plainInterval
        guard last || now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        var line = String(format: "%@  epoch %d/%d  loss %.4f  acc %.4f", label, report.epoch, report.maxEpochs,
                          report.train.loss, report.train.accuracy)
        if let test = report.test { line += String(format: "  test %.4f", test.accuracy) }
        line += "  \(Self.duration(elapsed))"
        if report.epoch >= 3, report.epoch < report.maxEpochs {
            let bound = elapsed / Double(report.epoch) * Double(report.maxEpochs - report.epoch)
            line += "  point ETA ≤ \(Self.duration(bound)) if every epoch runs"
        }
        if let eta = gridETA { line += "  \(eta)" }
        status(line)
    }

    /// Reports progress of a point that has no epochs ("step 300/1000, loss 0.41").
    public func update(_ text: String) {
        guard !quiet else { return }
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (terminal ? Self.terminalInterval : Self.plainInterval) else { return }
        lastPrint = now
        status("\(label)  \(text)  \(Self.duration(now.timeIntervalSince(runStart)))" + (gridETA.map { "  \($0)" } ?? ""))
    }

    /// Shows `line` as the status line (terminal) or prints it (otherwise).
    private func status(_ line: String) {
        guard !quiet else { return }
        if terminal {
            let width = 160
            let text = line.count > width ? String(line.prefix(width - 1)) + "…" : line
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            statusShown = true
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    private func clearStatus() {
        guard terminal, statusShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        statusShown = false
    }

    /// "1m05s" / "4.2s" / "2h03m".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds >= 3600 { return String(format: "%dh%02dm", Int(seconds) / 3600, (Int(seconds) % 3600) / 60) }
        return seconds >= 60 ? String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60) : String(format: "%.1fs", seconds)
    }
}
