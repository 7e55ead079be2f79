import Foundation

/// The claims of one reading checked against one results directory (its `summary.h5`).
public struct ClaimVerification: Sendable {
    /// The claims file.
    public var claims: ClaimsFile
    /// One verdict per claim.
    public var verdicts: [ClaimVerdict]
    /// The results directory.
    public var resultsDirectory: String
    /// The profile the results are from, if known.
    public var profile: String?
    /// `/meta` attributes of the summary (empty when there are no results).
    public var meta: [String: AttributeValue]

    /// Loads `<dir>/summary.h5` and checks every claim. A reading with no claims needs no results.
    public static func run(claims: ClaimsFile, resultsDirectory dir: String, profile: String?) throws -> ClaimVerification {
        let path = "\(dir)/summary.h5"
        guard FileManager.default.fileExists(atPath: path) else {
            if claims.claims.isEmpty {
                return ClaimVerification(claims: claims, verdicts: [], resultsDirectory: dir, profile: profile, meta: [:])
            }
            throw HDF5Error.cannotOpen(file: path, reason: "no results here: run `\(claims.reading) run` (or `make \(claims.reading)`) first")
        }
        let summary = try HDF5Document.read(from: path)
        let meta = summary.groupAttributes["/meta"] ?? [:]
        let resolvedProfile = profile ?? { if case let .string(p)? = meta["profile"] { return p } else { return nil } }()
        return ClaimVerification(claims: claims, verdicts: claims.verdicts(lookup: summary.scalar),
                                 resultsDirectory: dir, profile: resolvedProfile, meta: meta)
    }

    /// Whether an asserted claim failed.
    public var failed: Bool { verdicts.contains { $0.fails(profile: profile) } }

    /// A plain-text table: one row per check.
    public var table: String {
        guard !verdicts.isEmpty else { return "\(claims.reading): no claims to check yet." }
        var rows = [["claim", "check", "paper", "measured", "tolerance", "status"]]
        for v in verdicts {
            for (i, r) in v.results.enumerated() {
                rows.append([i == 0 ? v.claim.id : "", r.check.label, i == 0 ? v.claim.paperValue : "",
                             r.measured.map(Self.format) ?? "—", r.check.toleranceText,
                             i == 0 ? v.status.rawValue + (v.claim.asserted ? "" : " (not asserted)") : (r.passed ? "ok" : "fails")])
            }
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        let lines = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        let verdict = failed ? "FAILED: an asserted claim did not reproduce" : "all asserted claims hold"
        return (lines + ["", "\(claims.reading) (\(resultsDirectory)): \(verdict)"]).joined(separator: "\n")
    }

    /// The reading's REPORT.md section.
    public func markdown(readme: String) -> String {
        var out = ["## \(claims.reading)", "", claims.paper, ""]
        if verdicts.isEmpty {
            out += ["Not built yet: no claims are checked.", ""]
            return out.joined(separator: "\n")
        }
        var facts: [String] = []
        if let profile { facts.append("profile `\(profile)`") }
        if case let .string(c)? = meta["git_commit"] { facts.append("commit `\(c.prefix(10))`") }
        if let times = RunTimes.measure(resultsDirectory: resultsDirectory) { facts.append(times.description) }
        if case let .int(t)? = meta["blas_threads"] { facts.append("\(t) BLAS thread(s)") }
        out += ["Results: " + facts.joined(separator: ", ") + ". Setup and differences from the paper: [\(readme)](\(readme)).", ""]
        out += ["| claim | paper (where) | paper's value | check | measured | tolerance | status |",
                "|---|---|---|---|---|---|---|"]
        for v in verdicts {
            for (i, r) in v.results.enumerated() {
                let status = i == 0 ? "**\(v.status.rawValue)**" + (v.claim.asserted ? "" : " (not asserted)") : ""
                out.append("| \(i == 0 ? "`\(v.claim.id)`" : "") | \(i == 0 ? v.claim.location : "") | \(i == 0 ? v.claim.paperValue : "") | \(r.check.label) | \(r.measured.map(Self.format) ?? "—") | \(r.check.toleranceText) | \(status) |")
            }
        }
        out.append("")
        for v in verdicts {
            out.append("- `\(v.claim.id)`: \(v.claim.statement)" + (v.claim.note.map { " *Our setting:* \($0)" } ?? ""))
            for r in v.results { out.append("  - \(r.check.label): \(r.check.toleranceText) — \(r.check.reason)") }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// One row of REPORT.md's overview table: reading, claims, how many of each status, compute time.
    public var overviewRow: String {
        func count(_ s: ClaimStatus) -> Int { verdicts.filter { $0.status == s }.count }
        let time = RunTimes.measure(resultsDirectory: resultsDirectory).map { String(format: "%.1f min", $0.computeSeconds / 60) } ?? "—"
        return "| [\(claims.reading)](#\(claims.reading)) | \(verdicts.count) | \(count(.reproduced)) | \(count(.partly)) | \(count(.notReproduced)) | \(count(.notMeasured)) | \(time) |"
    }

    /// Four significant digits.
    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}
