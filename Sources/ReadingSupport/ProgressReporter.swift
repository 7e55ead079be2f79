import Foundation
import ImplicitRegCore

/// Progress lines on stderr (epoch, loss, accuracy, elapsed, ETA), at most one every half second
/// per run plus the first and last epochs; silent with `--quiet`.
public final class ProgressReporter: @unchecked Sendable {
    private let quiet: Bool
    private var runStart = Date()
    private var lastPrint = Date.distantPast
    private var label = ""

    /// A reporter; `quiet` silences it.
    public init(quiet: Bool) { self.quiet = quiet }

    /// Prints a free-form line (unless quiet).
    public func say(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Starts timing a run called `label` ("point 2/6 random-labels").
    public func begin(_ label: String) {
        self.label = label
        runStart = Date()
        lastPrint = .distantPast
    }

    /// Reports an epoch of the current run.
    public func epoch(_ report: EpochReport) {
        guard !quiet else { return }
        let now = Date()
        let elapsed = now.timeIntervalSince(runStart)
        let last = report.epoch == report.maxEpochs || report.epoch == 0
        guard last || now.timeIntervalSince(lastPrint) >= 0.5 || report.epoch == 1 else { return }
        lastPrint = now
        let eta = report.epoch > 0 ? elapsed / Double(report.epoch) * Double(report.maxEpochs - report.epoch) : 0
        var line = String(format: "%@ epoch %d/%d  loss %.4f  acc %.4f", label, report.epoch, report.maxEpochs,
                          report.train.loss, report.train.accuracy)
        if let test = report.test { line += String(format: "  test acc %.4f", test.accuracy) }
        line += String(format: "  elapsed %@  ETA ≤ %@", Self.duration(elapsed), Self.duration(eta))
        say(line)
    }

    /// "1m05s" / "4.2s".
    public static func duration(_ seconds: Double) -> String {
        seconds >= 60 ? String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60) : String(format: "%.1fs", seconds)
    }
}
