import Foundation

/// The claims file that was in force when a set of results was produced (pre-registration).
///
/// `run` copies the reading's claims file into an empty results directory before its first point
/// (`claims.registered.json`); `merge` stores that text in summary.h5 `/meta`. `verify` compares
/// each claim with its registered form: a claim whose checks, bounds, controls or asserted profiles
/// differ, or that did not exist, is **post hoc** until the profile is rerun under it. Wording
/// (statements, labels, reasons, notes, the paper's text) may change freely.
///
/// Registered text may be of schema 1 (`asserted` a Boolean, no controls): it is read leniently.
public struct ClaimRegistration: Sendable, Equatable {
    /// Where the registered text came from, for the report.
    public var source: String
    /// SHA-256 of the registered text.
    public var sha256: String
    /// Per claim id, what decides its verdict.
    public var fingerprints: [String: Fingerprint]

    /// What decides a claim's verdict: metrics, comparisons, bounds and SE multiples of its checks
    /// and controls, and the profiles it is asserted in.
    public struct Fingerprint: Sendable, Equatable {
        public var checks: [String]
        public var controls: [String]
        public var asserted: [String]
    }

    /// Reads registered claims-file text (schema 1 or 2); nil when it is not a claims file.
    public init?(text: String, source: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let claims = object["claims"] as? [[String: Any]] else { return nil }
        self.source = source
        self.sha256 = SHA256.hexDigest(of: Array(text.utf8))
        var prints: [String: Fingerprint] = [:]
        for claim in claims {
            guard let id = claim["id"] as? String else { continue }
            let profiles = (claim["profiles"] as? [String]) ?? []
            let asserted: [String]
            if let list = claim["asserted"] as? [String] { asserted = list }
            else if let flag = claim["asserted"] as? Bool { asserted = flag ? profiles : [] }
            else { asserted = [] }
            prints[id] = Fingerprint(checks: Self.checkPrints(claim["checks"]),
                                     controls: Self.checkPrints(claim["controls"]),
                                     asserted: asserted.sorted())
        }
        fingerprints = prints
    }

    /// The fingerprint of a claim as it stands now.
    public static func fingerprint(of claim: Claim) -> Fingerprint {
        func print(_ c: ClaimCheck) -> String {
            check(metric: c.metric, comparison: c.comparison.rawValue, bounds: c.bounds, standardErrors: c.standardErrors)
        }
        return Fingerprint(checks: claim.checks.map(print), controls: claim.controls.map(print), asserted: claim.asserted.sorted())
    }

    /// How `claim` differs from its registered form (empty: registered as it stands).
    public func changes(of claim: Claim) -> [String] {
        guard let old = fingerprints[claim.id] else { return ["not in the claims file registered with the results"] }
        let new = Self.fingerprint(of: claim)
        var out: [String] = []
        if old.checks != new.checks { out.append("checks changed (" + Self.difference(old.checks, new.checks) + ")") }
        if old.controls != new.controls { out.append(old.controls.isEmpty ? "controls added" : "controls changed (" + Self.difference(old.controls, new.controls) + ")") }
        if old.asserted != new.asserted {
            out.append("asserted changed from [\(old.asserted.joined(separator: ", "))] to [\(new.asserted.joined(separator: ", "))]")
        }
        return out
    }

    private static func difference(_ old: [String], _ new: [String]) -> String {
        let removed = old.filter { !new.contains($0) }, added = new.filter { !old.contains($0) }
        var parts: [String] = []
        if !removed.isEmpty { parts.append("was " + removed.joined(separator: "; ")) }
        if !added.isEmpty { parts.append("now " + added.joined(separator: "; ")) }
        return parts.isEmpty ? "order" : parts.joined(separator: " → ")
    }

    private static func checkPrints(_ value: Any?) -> [String] {
        guard let list = value as? [[String: Any]] else { return [] }
        return list.map { c in
            check(metric: (c["metric"] as? String) ?? "?", comparison: (c["comparison"] as? String) ?? "?",
                  bounds: ((c["bounds"] as? [Any]) ?? []).compactMap { ($0 as? NSNumber)?.doubleValue },
                  standardErrors: (c["standard_errors"] as? NSNumber)?.doubleValue)
        }
    }

    private static func check(metric: String, comparison: String, bounds: [Double], standardErrors: Double?) -> String {
        let b = bounds.map { "\($0)" }.joined(separator: ", ")
        return "\(metric) \(comparison) [\(b)]" + (standardErrors.map { " ±\($0) SE" } ?? "")
    }
}
