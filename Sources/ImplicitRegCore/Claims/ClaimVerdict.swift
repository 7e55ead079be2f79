/// The outcome of checking one claim against one set of results (ReScience-style wording).
public enum ClaimStatus: String, Sendable, Codable, CaseIterable {
    /// Every check passes and every control holds.
    case reproduced
    /// Some checks pass, some do not; the controls hold.
    case partly
    /// No check passes; the controls hold.
    case notReproduced = "not reproduced"
    /// A control failed or could not be measured: the checks cannot be read as evidence either way.
    case inconclusive
    /// The results hold none of the claim's metrics (e.g. a profile that does not test it).
    case notMeasured = "not measured"
}

/// One check's (or control's) measurement and outcome.
public struct CheckResult: Sendable, Equatable {
    /// The check.
    public var check: ClaimCheck
    /// The measured value (the seed mean for a seed statistic; nil when the metric is absent).
    public var measured: Double?
    /// The seed statistic, when the check is over seeds.
    public var statistic: SeedStatistic?
    /// Whether it passed.
    public var passed: Bool
    /// Why the result cannot decide anything (e.g. fewer than two seeds for an SE test), if so.
    public var undecidable: String?

    /// "absent", "undecidable", "ok" or "fails".
    public var outcome: String {
        measured == nil ? "absent" : (undecidable != nil ? "undecidable" : (passed ? "ok" : "fails"))
    }

    /// The measured value in words ("0.0123", "0.0123 ± 0.0045 SE (n = 5)", "—").
    public var measuredText: String {
        if let statistic { return statistic.text }
        return measured.map { String(format: "%.4g", $0) } ?? "—"
    }
}

/// A claim with its checks' and controls' results, the overall status, and whether it changed
/// after its results were produced.
public struct ClaimVerdict: Sendable, Equatable {
    /// The claim.
    public var claim: Claim
    /// One result per check.
    public var results: [CheckResult]
    /// One result per control.
    public var controls: [CheckResult]
    /// Why the claim is post hoc (its checks, bounds, controls or asserted profiles differ from the
    /// claims file registered with the results); empty when it was registered as it stands.
    public var postHoc: [String] = []

    public init(claim: Claim, results: [CheckResult], controls: [CheckResult] = [], postHoc: [String] = []) {
        self.claim = claim
        self.results = results
        self.controls = controls
        self.postHoc = postHoc
    }

    /// The overall status.
    public var status: ClaimStatus {
        let measured = results.filter { $0.measured != nil }
        if measured.isEmpty { return .notMeasured }
        if !inconclusiveReasons.isEmpty { return .inconclusive }
        let passed = results.filter(\.passed).count
        if passed == results.count { return .reproduced }
        return passed == 0 ? .notReproduced : .partly
    }

    /// Why the claim is inconclusive: failed or unmeasured controls, undecidable checks.
    public var inconclusiveReasons: [String] {
        var reasons: [String] = []
        for c in controls {
            if c.measured == nil { reasons.append("control not measured: \(c.check.label)") }
            else if let why = c.undecidable { reasons.append("control undecidable: \(c.check.label) (\(why))") }
            else if !c.passed { reasons.append("control failed: \(c.check.label) = \(c.measuredText), needs \(c.check.toleranceText)") }
        }
        for r in results where r.measured != nil {
            if let why = r.undecidable { reasons.append("check undecidable: \(r.check.label) (\(why))") }
        }
        return reasons
    }

    /// The status with its marks ("reproduced, post hoc", "partly (not asserted)").
    public func statusText(profile: String?) -> String {
        var text = status.rawValue
        if !postHoc.isEmpty { text += ", post hoc" }
        if !claim.isAsserted(in: profile) { text += " (not asserted)" }
        return text
    }

    /// Whether this verdict makes `verify` fail: a claim asserted for `profile` that was measured
    /// and is not reproduced (inconclusive included), or that the profile should have measured but did not.
    public func fails(profile: String?) -> Bool {
        guard claim.isAsserted(in: profile) else { return false }
        if status == .notMeasured { return profile.map { claim.profiles.contains($0) } ?? false }
        return status != .reproduced
    }
}

/// Where a check's metric is looked up: scalars and seed-statistics groups of one summary.
public struct MetricLookup: Sendable {
    public var scalar: @Sendable (String) -> Double?
    public var seedStatistic: @Sendable (String) -> SeedStatistic?

    public init(scalar: @escaping @Sendable (String) -> Double?,
                seedStatistic: @escaping @Sendable (String) -> SeedStatistic? = { _ in nil }) {
        self.scalar = scalar
        self.seedStatistic = seedStatistic
    }

    /// Lookup in a document read from disk.
    public init(_ document: HDF5Document) {
        self.init(scalar: { document.scalar($0) }, seedStatistic: { document.seedStatistic($0) })
    }

    /// The result of `check`.
    public func evaluate(_ check: ClaimCheck) -> CheckResult {
        if check.standardErrors != nil {
            guard let s = seedStatistic(check.metric) else {
                return CheckResult(check: check, measured: nil, statistic: nil, passed: false, undecidable: nil)
            }
            let undecidable = s.n < 2 ? "\(s.n) seed(s): no standard error" : nil
            return CheckResult(check: check, measured: s.mean, statistic: s, passed: undecidable == nil && check.passes(s), undecidable: undecidable)
        }
        let value = scalar(check.metric)
        return CheckResult(check: check, measured: value, statistic: nil, passed: value.map(check.passes) ?? false, undecidable: nil)
    }
}

extension ClaimsFile {
    /// Checks every claim and control against `lookup`; `registration` marks claims that changed
    /// after the results were produced (nil: no registration to compare with).
    public func verdicts(lookup: MetricLookup, registration: ClaimRegistration? = nil) -> [ClaimVerdict] {
        claims.map { claim in
            ClaimVerdict(claim: claim,
                         results: claim.checks.map(lookup.evaluate),
                         controls: claim.controls.map(lookup.evaluate),
                         postHoc: registration?.changes(of: claim) ?? [])
        }
    }

    /// Scalar-only convenience (tests, readings without seed statistics).
    public func verdicts(lookup: @escaping @Sendable (String) -> Double?) -> [ClaimVerdict] {
        verdicts(lookup: MetricLookup(scalar: lookup))
    }
}
