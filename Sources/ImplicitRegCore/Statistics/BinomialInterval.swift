import Foundation

/// A success fraction k/n with its Wilson score interval (Wilson 1927): the set of p whose
/// z-test against k/n does not reject, p̂ + z²/2n ± z√(p̂(1 − p̂)/n + z²/4n²), divided by
/// 1 + z²/n. Unlike the Wald interval p̂ ± z√(p̂(1 − p̂)/n) it stays inside [0, 1] and is not
/// empty at k = 0 or k = n, which is where recovery fractions over 10–20 seeds often sit.
public struct BinomialInterval: Sendable, Equatable {
    public var successes: Int
    public var trials: Int
    /// k/n (NaN for no trials).
    public var fraction: Double
    public var lower: Double
    public var upper: Double

    /// The interval at confidence level given by `z` (the 97.5 % normal quantile, 1.95996…, for 95 %).
    public init(successes k: Int, trials n: Int, z: Double = 1.959963984540054) {
        precondition(k >= 0 && k <= n, "a binomial interval needs 0 ≤ successes ≤ trials")
        successes = k
        trials = n
        guard n > 0 else { (fraction, lower, upper) = (.nan, .nan, .nan); return }
        let p = Double(k) / Double(n), nn = Double(n), z2 = z * z
        let centre = p + z2 / (2 * nn)
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        let scale = 1 + z2 / nn
        fraction = p
        lower = k == 0 ? 0 : max(0, (centre - half) / scale)
        upper = k == n ? 1 : min(1, (centre + half) / scale)
    }

    /// True when this interval lies wholly above `other` (they do not overlap).
    public func separatedAbove(_ other: BinomialInterval) -> Bool { lower > other.upper }
}
