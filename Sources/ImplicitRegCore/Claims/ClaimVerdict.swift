/// The outcome of checking one claim against one set of results (ReScience-style wording).
public enum ClaimStatus: String, Sendable, Codable {
    /// Every check passes.
    case reproduced
    /// Some checks pass, some do not.
    case partly
    /// No check passes.
    case notReproduced = "not reproduced"
    /// The results hold none of the claim's metrics (e.g. a profile that does not test it).
    case notMeasured = "not measured"
}

/// One check's measurement and outcome.
public struct CheckResult: Sendable, Equatable {
    /// The check.
    public var check: ClaimCheck
    /// The measured value (nil when the metric is absent).
    public var measured: Double?
    /// Whether it passed.
    public var passed: Bool
}

/// A claim with its checks' results and the overall status.
public struct ClaimVerdict: Sendable, Equatable {
    /// The claim.
    public var claim: Claim
    /// One result per check.
    public var results: [CheckResult]

    /// The overall status.
    public var status: ClaimStatus {
        let measured = results.filter { $0.measured != nil }
        if measured.isEmpty { return .notMeasured }
        let passed = results.filter(\.passed).count
        if passed == results.count { return .reproduced }
        return passed == 0 ? .notReproduced : .partly
    }

    /// Whether this verdict makes `verify` fail: an asserted claim that was measured and did not
    /// fully reproduce, or that the profile should have measured but did not.
    public func fails(profile: String?) -> Bool {
        guard claim.asserted else { return false }
        if status == .notMeasured { return profile.map { claim.profiles.contains($0) } ?? false }
        return status != .reproduced
    }
}

extension ClaimsFile {
    /// Checks every claim against scalars looked up by HDF5 path (`lookup` returns nil for an
    /// absent metric).
    public func verdicts(lookup: (String) -> Double?) -> [ClaimVerdict] {
        claims.map { claim in
            ClaimVerdict(claim: claim, results: claim.checks.map { check in
                let value = lookup(check.metric)
                return CheckResult(check: check, measured: value, passed: value.map(check.passes) ?? false)
            })
        }
    }
}
