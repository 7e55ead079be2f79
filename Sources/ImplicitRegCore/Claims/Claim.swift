/// One published claim and how this suite checks it (a record of `Reproductions/<reading>/claims.json`).
public struct Claim: Sendable, Codable, Equatable {
    /// Stable identifier ("fits-random-labels").
    public var id: String
    /// The paper's statement, in words.
    public var statement: String
    /// Where in the paper (section, figure, table).
    public var location: String
    /// The paper's number, as the paper gives it.
    public var paperValue: String
    /// The checks that together test the claim.
    public var checks: [ClaimCheck]
    /// Profiles whose results can test the claim ("quick", "full").
    public var profiles: [String]
    /// When false the claim is reported but never fails `verify`.
    public var asserted: Bool
    /// What differs in our setting, if anything worth a sentence.
    public var note: String?
}

/// One comparison of a measured value (a scalar in the results' `summary.h5`) with a bound.
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

    /// HDF5 path of the measured scalar in summary.h5 ("/summary/random_labels/train_accuracy").
    public var metric: String
    /// What the metric is, for the report ("train accuracy, random labels").
    public var label: String
    /// The comparison.
    public var comparison: Comparison
    /// One bound for ≥ and ≤, two for between.
    public var bounds: [Double]
    /// Why the bound is what it is.
    public var reason: String

    /// Whether `value` passes.
    public func passes(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch comparison {
        case .atLeast: return value >= bounds[0]
        case .atMost: return value <= bounds[0]
        case .between: return value >= bounds[0] && value <= bounds[1]
        }
    }

    /// The tolerance in words ("≥ 0.99", "in [0.05, 0.16]").
    public var toleranceText: String {
        switch comparison {
        case .atLeast: "≥ \(bounds[0])"
        case .atMost: "≤ \(bounds[0])"
        case .between: "in [\(bounds[0]), \(bounds[1])]"
        }
    }
}
