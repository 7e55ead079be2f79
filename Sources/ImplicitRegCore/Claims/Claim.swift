/// One published claim and how this suite checks it (a record of `Reproductions/<reading>/claims.json`,
/// schema 2).
///
/// A claim's verdict rests on its `checks` (the effect the paper predicts) and its `controls`
/// (the confounds ruled out: runs converged, an optimum not at a grid edge, the regime reached, enough
/// seeds). A failed control makes the claim **inconclusive**, whatever the checks say.
public struct Claim: Sendable, Codable, Equatable {
    /// Stable identifier ("fits-random-labels").
    public var id: String
    /// `exact` (an identity or derivation checked in Double) or `empirical` (trained models,
    /// statistics over seeds). The report counts the two apart.
    public var kind: ClaimKind
    /// What this suite tests, in words (may be narrower than the paper's statement).
    public var statement: String
    /// The paper's own statement and value, with where it is and whether it was confirmed in the paper.
    public var paper: PaperReference
    /// Numbers from the calibration runs or earlier results (never the paper's), if any.
    public var calibration: String?
    /// The checks that together test the claim.
    public var checks: [ClaimCheck]
    /// Checks that rule out a confound or a lack of power; a failed control makes the claim inconclusive.
    public var controls: [ClaimCheck]
    /// Profiles whose results can test the claim ("quick", "full", "paper").
    public var profiles: [String]
    /// Profiles in which a claim that does not reproduce makes `verify` fail ([] = reported only).
    public var asserted: [String]
    /// What differs in our setting, if anything worth a sentence.
    public var note: String?

    public init(id: String, kind: ClaimKind, statement: String, paper: PaperReference, calibration: String?,
                checks: [ClaimCheck], controls: [ClaimCheck], profiles: [String], asserted: [String], note: String?) {
        self.id = id; self.kind = kind; self.statement = statement; self.paper = paper; self.calibration = calibration
        self.checks = checks; self.controls = controls; self.profiles = profiles; self.asserted = asserted; self.note = note
    }

    /// Whether the claim is asserted for results of `profile` (nil: any profile it is asserted in).
    public func isAsserted(in profile: String?) -> Bool {
        guard let profile else { return !asserted.isEmpty }
        return asserted.contains(profile)
    }
}

/// What sort of evidence a claim rests on.
public enum ClaimKind: String, Sendable, Codable, CaseIterable {
    /// An identity, derivation or certificate checked to numerical precision.
    case exact
    /// A statement about trained models, decided by statistics over seeds.
    case empirical
}

/// The paper's side of a claim: only what the paper itself says.
public struct PaperReference: Sendable, Codable, Equatable {
    /// The statement as the paper gives it (a quotation or close paraphrase).
    public var statement: String
    /// The paper's number or "qualitative" / "derived" when it gives none.
    public var value: String
    /// Section, figure or table.
    public var location: String
    /// True only when the statement and value were confirmed in the paper's own text.
    public var verified: Bool

    public init(statement: String, value: String, location: String, verified: Bool) {
        self.statement = statement; self.value = value; self.location = location; self.verified = verified
    }
}

/// One comparison of a measured value in the results' `summary.h5` with a bound.
///
/// With `standardErrors` = k the metric is a seed-statistics group (`mean`, `sd`, `n`, `se`,
/// `values`, written by ``HDF5Document/addSeedStatistic(_:_:units:description:)``) and the check
/// is a directional test over seeds: ≥ b holds when mean − k·se ≥ b, ≤ b when mean + k·se ≤ b,
/// between [a, b] when the whole interval mean ± k·se lies inside it.
public struct ClaimCheck: Sendable, Codable, Equatable {
    /// The comparison made.
    public enum Comparison: String, Sendable, Codable {
        /// measured ≥ bounds[0]
        case atLeast = ">="
        /// measured ≤ bounds[0]
        case atMost = "<="
        /// bounds[0] ≤ measured ≤ bounds[1]
        case between
    }

    /// HDF5 path of the measured scalar (or seed-statistics group) in summary.h5.
    public var metric: String
    /// What the metric is, for the report ("train accuracy, random labels").
    public var label: String
    /// The comparison.
    public var comparison: Comparison
    /// One bound for ≥ and ≤, two for between.
    public var bounds: [Double]
    /// Standard errors the seed mean must clear the bound by (nil: a plain scalar check).
    public var standardErrors: Double?
    /// Why the bound is what it is.
    public var reason: String

    public init(metric: String, label: String, comparison: Comparison, bounds: [Double], standardErrors: Double?, reason: String) {
        self.metric = metric; self.label = label; self.comparison = comparison; self.bounds = bounds
        self.standardErrors = standardErrors; self.reason = reason
    }

    /// Whether the scalar `value` passes.
    public func passes(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch comparison {
        case .atLeast: return value >= bounds[0]
        case .atMost: return value <= bounds[0]
        case .between: return value >= bounds[0] && value <= bounds[1]
        }
    }

    /// Whether a seed statistic passes: the interval mean ± k·se clears the bound(s).
    public func passes(_ s: SeedStatistic) -> Bool {
        let k = standardErrors ?? 0
        guard s.mean.isFinite, s.standardError.isFinite else { return false }
        let low = s.mean - k * s.standardError, high = s.mean + k * s.standardError
        switch comparison {
        case .atLeast: return low >= bounds[0]
        case .atMost: return high <= bounds[0]
        case .between: return low >= bounds[0] && high <= bounds[1]
        }
    }

    /// The tolerance in words ("≥ 0.99", "in [0.05, 0.16]", "mean − 2 SE ≥ 0").
    public var toleranceText: String {
        let bound: String
        switch comparison {
        case .atLeast: bound = "≥ \(Self.number(bounds[0]))"
        case .atMost: bound = "≤ \(Self.number(bounds[0]))"
        case .between: bound = "in [\(Self.number(bounds[0])), \(Self.number(bounds[1]))]"
        }
        guard let k = standardErrors else { return bound }
        let kText = Self.number(k)
        switch comparison {
        case .atLeast: return "mean − \(kText) SE \(bound)"
        case .atMost: return "mean + \(kText) SE \(bound)"
        case .between: return "mean ± \(kText) SE \(bound)"
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : "\(x)"
    }
}
