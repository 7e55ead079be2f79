/// How weights are drawn at initialisation: a variance rule, a distribution and a global scale.
///
/// Standard deviations: He √(2/fan_in), Glorot √(2/(fan_in + fan_out)), LeCun √(1/fan_in); the
/// uniform versions use the same variance (limit √3·sd). Every weight is multiplied by `scale`
/// (the minimum-norm and matrix-factorization readings sweep it); biases start at zero.
public struct Initializer: Sendable, Codable, Equatable {
    /// The variance rule.
    public enum Rule: String, Sendable, Codable, CaseIterable { case he, glorot, lecun }
    /// The distribution family.
    public enum Distribution: String, Sendable, Codable, CaseIterable { case normal, uniform }

    /// Variance rule.
    public var rule: Rule
    /// Normal or uniform.
    public var distribution: Distribution
    /// Global multiplier α on every weight.
    public var scale: Double

    /// An initialiser; `scale` 1 gives the textbook rule.
    public init(_ rule: Rule = .he, _ distribution: Distribution = .normal, scale: Double = 1) {
        self.rule = rule
        self.distribution = distribution
        self.scale = scale
    }

    /// The standard deviation for a block with these fans (before `scale`).
    public func standardDeviation(fanIn: Int, fanOut: Int) -> Double {
        switch rule {
        case .he: (2 / Double(fanIn)).squareRoot()
        case .glorot: (2 / Double(fanIn + fanOut)).squareRoot()
        case .lecun: (1 / Double(fanIn)).squareRoot()
        }
    }

    /// Fills the segment `segment` of `parameters` (already offset to the layer's block).
    public func fill<T: BLASScalar>(_ parameters: UnsafeMutablePointer<T>, segment: ParameterSegment,
                                    using rng: inout Xoshiro256StarStar) {
        guard segment.role == .weight else {
            T.fill(parameters + segment.range.lowerBound, 0, segment.range.count)
            return
        }
        let sd = standardDeviation(fanIn: segment.fanIn, fanOut: segment.fanOut) * scale
        let limit = 3.0.squareRoot() * sd
        for i in segment.range {
            let value = distribution == .normal ? sd * rng.nextNormal() : limit * (2 * rng.nextUniform() - 1)
            parameters[i] = T(value)
        }
    }
}
