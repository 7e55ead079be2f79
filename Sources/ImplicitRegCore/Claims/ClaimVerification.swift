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
    /// The claims file registered with the results (nil: the results carry none).
    public var registration: ClaimRegistration?

    /// `/meta` attributes under which `merge` stores the registered claims file.
    public enum MetaKey {
        public static let registeredClaims = "claims_registered"
        public static let registeredClaimsSHA256 = "claims_registered_sha256"
        public static let registeredClaimsSource = "claims_registered_source"
    }

    /// Why every claim is post hoc when the results carry no registered claims file.
    public static let unregisteredReason = "the results carry no registered claims file (they were produced before claims were registered)"

    /// Loads `<dir>/summary.h5` and checks every claim. A reading with no claims needs no results.
    public static func run(claims: ClaimsFile, resultsDirectory dir: String, profile: String?) throws -> ClaimVerification {
        let path = "\(dir)/summary.h5"
        guard FileManager.default.fileExists(atPath: path) else {
            if claims.claims.isEmpty {
                return ClaimVerification(claims: claims, verdicts: [], resultsDirectory: dir, profile: profile, meta: [:], registration: nil)
            }
            throw HDF5Error.cannotOpen(file: path, reason: "no results here: run `\(claims.reading) run` (or `make \(claims.reading)`) first")
        }
        let summary = try HDF5Document.read(from: path)
        let meta = summary.groupAttributes["/meta"] ?? [:]
        let resolvedProfile = profile ?? { if case let .string(p)? = meta["profile"] { return p } else { return nil } }()
        return check(claims: claims, summary: summary, resultsDirectory: dir, profile: resolvedProfile)
    }

    /// Checks every claim against a summary already in memory.
    public static func check(claims: ClaimsFile, summary: HDF5Document, resultsDirectory dir: String, profile: String?) -> ClaimVerification {
        let meta = summary.groupAttributes["/meta"] ?? [:]
        var registration: ClaimRegistration?
        if case let .string(text)? = meta[MetaKey.registeredClaims] {
            var source = "registered with the results"
            if case let .string(s)? = meta[MetaKey.registeredClaimsSource] { source = s }
            registration = ClaimRegistration(text: text, source: source)
        }
        var verdicts = claims.verdicts(lookup: MetricLookup(summary), registration: registration)
        if registration == nil {
            for i in verdicts.indices { verdicts[i].postHoc = [unregisteredReason] }
        }
        return ClaimVerification(claims: claims, verdicts: verdicts, resultsDirectory: dir, profile: profile, meta: meta, registration: registration)
    }

    /// Points done and in the grid when the summary was merged from part of the grid (`merge
    /// --partial`); nil for a complete grid or a summary that does not say.
    public var partialGrid: (done: Int, total: Int)? {
        guard case let .int(done)? = meta["points_done"], case let .int(total)? = meta["points_total"], done < total else { return nil }
        return (Int(done), Int(total))
    }

    /// "partial results: 35 of 375 points of the grid are done; …" (nil for a complete grid).
    public var partialText: String? {
        partialGrid.map { "partial results: \($0.done) of \($0.total) points of the grid are done; claims whose points are missing read as not measured" }
    }

    /// Whether a claim asserted for these results' profile failed.
    public var failed: Bool { verdicts.contains { $0.fails(profile: profile) } }

    /// Ids of the claims that make `verify` fail.
    public var failures: [String] { verdicts.filter { $0.fails(profile: profile) }.map(\.claim.id) }

    // MARK: - Plain text

    /// The table, one row per check and control, wrapped to fit 120 columns (`wide`: no wrapping,
    /// with the paper's value).
    public func table(wide: Bool = false) -> String {
        guard !verdicts.isEmpty else { return "\(claims.reading): no claims to check yet." }
        var header = ["claim", "check", "measured", "tolerance", "status"]
        if wide { header.insert("paper's value", at: 1) }
        var rows = [header]
        for v in verdicts {
            let all = v.results.map { ($0, false) } + v.controls.map { ($0, true) }
            for (i, (r, isControl)) in all.enumerated() {
                let outcome = r.outcome
                var row = [i == 0 ? "\(v.claim.id) [\(v.claim.kind.rawValue)]" : "",
                           (isControl ? "control: " : "") + r.check.label,
                           r.measuredText, r.check.toleranceText,
                           i == 0 ? "\(v.statusText(profile: profile)); \(outcome)" : outcome]
                if wide { row.insert(i == 0 ? v.claim.paper.value + (v.claim.paper.verified ? "" : " (not verified)") : "", at: 1) }
                rows.append(row)
            }
        }
        var limits: [Int]? = nil
        if !wide {
            // Claim, measured, tolerance and status get what they need up to a cap; the check's
            // label takes the rest of 120 columns (two spaces between columns).
            let caps = [22, 0, 24, 18, 24]
            var widths = (0..<5).map { c in min(rows.map { $0[c].count }.max() ?? 0, caps[c]) }
            widths[1] = max(24, 120 - (widths.reduce(0, +) + 2 * 4))
            limits = widths
        }
        return TextTable.render(rows, maxWidths: limits) + "\n\n" + closingSummary
    }

    /// Counts per status and kind, the ids of every claim that is not plainly reproduced, and the verdict.
    public var closingSummary: String {
        let where_ = "\(resultsDirectory)" + (profile.map { ", profile \($0)" } ?? "")
        var lines = ["\(claims.reading) (\(where_)): \(verdicts.count) claim(s)"]
        if let partialText { lines.append("  \(partialText)") }
        for kind in ClaimKind.allCases {
            let of = verdicts.filter { $0.claim.kind == kind }
            guard !of.isEmpty else { continue }
            let counts = ClaimStatus.allCases.compactMap { s -> String? in
                let n = of.filter { $0.status == s }.count
                return n == 0 ? nil : "\(n) \(s.rawValue)"
            }
            let post = of.filter { !$0.postHoc.isEmpty }.count
            lines.append("  \(kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(of.count): " + counts.joined(separator: ", ") + (post > 0 ? "; \(post) post hoc" : ""))
        }
        for s in [ClaimStatus.notReproduced, .partly, .inconclusive, .notMeasured] {
            let ids = verdicts.filter { $0.status == s }.map(\.claim.id)
            if !ids.isEmpty { lines.append("  \(s.rawValue): " + ids.joined(separator: ", ")) }
        }
        let post = verdicts.filter { !$0.postHoc.isEmpty }.map(\.claim.id)
        if !post.isEmpty {
            lines.append("  post hoc (changed after the results were produced): " + (registration == nil ? "all (\(Self.unregisteredReason))" : post.joined(separator: ", ")))
        }
        lines.append(failed ? "FAILED: asserted claim(s) not reproduced: " + failures.joined(separator: ", ") : "all asserted claims hold")
        return lines.joined(separator: "\n")
    }

    /// Everything about one claim: statements, paper, calibration, each check and control with its
    /// reason, the status and why.
    public func detail(_ id: String) -> String? {
        guard let v = verdicts.first(where: { $0.claim.id == id }) else { return nil }
        let c = v.claim
        var out = ["\(c.id) [\(c.kind.rawValue)] — \(v.statusText(profile: profile))", "",
                   "Claim tested: \(c.statement)",
                   "Paper (\(c.paper.location); \(c.paper.verified ? "verified in the paper" : "not verified")): \(c.paper.statement)",
                   "Paper's value: \(c.paper.value)"]
        if let cal = c.calibration { out.append("Calibration (ours, not the paper's): \(cal)") }
        if let note = c.note { out.append("Our setting: \(note)") }
        out.append("Profiles: \(c.profiles.joined(separator: ", ")); asserted in: \(c.asserted.isEmpty ? "none (reported only)" : c.asserted.joined(separator: ", "))")
        out.append("")
        for (title, list) in [("Checks", v.results), ("Controls", v.controls)] where !list.isEmpty {
            out.append("\(title):")
            for r in list {
                let outcome = r.outcome
                out.append("  - \(r.check.label): \(r.measuredText), needs \(r.check.toleranceText) — \(outcome)")
                out.append("    metric \(r.check.metric); why: \(r.check.reason)")
            }
        }
        if !v.inconclusiveReasons.isEmpty { out += ["", "Inconclusive because:"] + v.inconclusiveReasons.map { "  - \($0)" } }
        if !v.postHoc.isEmpty { out += ["", "Post hoc (\(registration?.source ?? "no registration")):"] + v.postHoc.map { "  - \($0)" } }
        return out.joined(separator: "\n")
    }

    // MARK: - Markdown

    /// The reading's REPORT.md section.
    public func markdown(readme: String) -> String {
        var out = ["## \(claims.reading)", "", claims.paper, ""]
        if verdicts.isEmpty {
            out += ["Not built yet: no claims are checked.", ""]
            return out.joined(separator: "\n")
        }
        var facts: [String] = []
        if let profile { facts.append("profile `\(profile)`") }
        if let times = RunTimes.measure(resultsDirectory: resultsDirectory) {
            if !times.commits.isEmpty { facts.append("points computed at commit " + times.commits.map { "`\($0)`" }.joined(separator: ", ")) }
            facts.append(times.description)
        }
        if case let .int(t)? = meta["blas_threads"] { facts.append("\(t) BLAS thread(s)") }
        out += ["Results: " + facts.joined(separator: ", ") + ". Setup and differences from the paper: [\(readme)](\(readme)).", ""]
        if let partialText { out += ["**Run in progress** — \(partialText).", ""] }
        if let registration {
            out += ["Claims registered with these results: \(registration.source) (SHA-256 `\(registration.sha256.prefix(12))`).", ""]
        } else {
            out += ["These results carry no registered claims file: every claim is marked post hoc.", ""]
        }
        out += ["| claim | kind | paper (where) | paper's value | calibration (ours) | check | measured | tolerance | status |",
                "|---|---|---|---|---|---|---|---|---|"]
        for v in verdicts {
            let all = v.results.map { ($0, false) } + v.controls.map { ($0, true) }
            for (i, (r, isControl)) in all.enumerated() {
                let first = i == 0
                let paperValue = v.claim.paper.value + (v.claim.paper.verified ? "" : " *(not verified)*")
                let status = first ? "**\(v.status.rawValue)**" + (v.postHoc.isEmpty ? "" : ", *post hoc*") + (v.claim.isAsserted(in: profile) ? "" : " (not asserted)")
                                   : r.outcome
                let cells = [first ? "`\(v.claim.id)`" : "", first ? v.claim.kind.rawValue : "", first ? v.claim.paper.location : "",
                             first ? paperValue : "", first ? (v.claim.calibration ?? "") : "",
                             (isControl ? "*control:* " : "") + r.check.label, r.measuredText, r.check.toleranceText, status]
                out.append("| " + cells.map(Self.cell).joined(separator: " | ") + " |")
            }
        }
        out.append("")
        for v in verdicts {
            out.append("- `\(v.claim.id)`: \(v.claim.statement)" + (v.claim.note.map { " *Our setting:* \($0)" } ?? ""))
            out.append("  - Paper (\(v.claim.paper.verified ? "verified" : "not verified")): \(v.claim.paper.statement)")
            for r in v.results { out.append("  - \(r.check.label): \(r.check.toleranceText) — \(r.check.reason)") }
            for r in v.controls { out.append("  - control, \(r.check.label): \(r.check.toleranceText) — \(r.check.reason)") }
            for why in v.inconclusiveReasons { out.append("  - **inconclusive**: \(why)") }
            if registration != nil { for why in v.postHoc { out.append("  - **post hoc**: \(why)") } }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// REPORT.md's overview rows: one per claim kind present (reading, kind, claims, each status,
    /// post hoc, compute time on the first row).
    public var overviewRows: String {
        var time = RunTimes.measure(resultsDirectory: resultsDirectory).map { String(format: "%.1f min", $0.computeSeconds / 60) } ?? "—"
        if let p = partialGrid { time += " (partial: \(p.done)/\(p.total) points)" }
        var rows: [String] = []
        for kind in ClaimKind.allCases {
            let of = verdicts.filter { $0.claim.kind == kind }
            guard !of.isEmpty else { continue }
            let counts = ClaimStatus.allCases.map { s in String(of.filter { $0.status == s }.count) }
            let post = of.filter { !$0.postHoc.isEmpty }.count
            let name = rows.isEmpty ? "[\(claims.reading)](#\(claims.reading))" : ""
            rows.append("| \(name) | \(kind.rawValue) | \(of.count) | " + counts.joined(separator: " | ") + " | \(post) | \(rows.isEmpty ? time : "") |")
        }
        return rows.joined(separator: "\n")
    }

    /// The overview table's header (matches ``overviewRows``).
    public static var overviewHeader: String {
        "| reading | kind | claims | " + ClaimStatus.allCases.map(\.rawValue).joined(separator: " | ") + " | post hoc | compute (one core per point) |\n"
            + "|---|---|--:|" + String(repeating: "--:|", count: ClaimStatus.allCases.count) + "--:|--:|"
    }

    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
}

/// A plain-text table whose columns wrap at word boundaries to at most the given widths.
public enum TextTable {
    /// Renders `rows` (the first is the header) with two spaces between columns.
    public static func render(_ rows: [[String]], maxWidths: [Int]?) -> String {
        guard let first = rows.first else { return "" }
        let columns = first.count
        let natural = (0..<columns).map { c in rows.map { $0[c].count }.max() ?? 0 }
        let widths = (0..<columns).map { c in min(natural[c], maxWidths?[c] ?? .max) }
        var lines: [String] = []
        for row in rows {
            let cells = (0..<columns).map { wrap(row[$0], width: widths[$0]) }
            let height = cells.map(\.count).max() ?? 1
            for k in 0..<height {
                let parts = (0..<columns).map { c in (k < cells[c].count ? cells[c][k] : "").padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                lines.append(parts.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `text` in lines of at most `width` characters, broken at spaces (hard-broken when a word is longer).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0, text.count > width else { return [text] }
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            if line.isEmpty, word.count <= width { line = word; continue }
            if line.count + 1 + word.count <= width, !line.isEmpty { line += " " + word; continue }
            if !line.isEmpty { lines.append(line); line = "" }
            while word.count > width { lines.append(String(word.prefix(width))); word = String(word.dropFirst(width)) }
            line = word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
