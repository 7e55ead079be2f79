import ImplicitRegCore
import Testing

/// The Wilson score interval against the roots of its defining quadratic
/// (n + z²)p² − (2np̂ + z²)p + np̂² = 0, solved independently with NumPy (`np.roots`, z = 1.959963984540054).
@Suite struct BinomialIntervalTests {
    @Test(arguments: [
        (0, 20, 0.0, 0.16112516),
        (20, 20, 0.83887484, 1.0),
        (7, 20, 0.18119182, 0.56714572),
        (1, 10, 0.01787621, 0.40415003),
        (15, 15, 0.79611670, 1.0),
    ])
    func wilsonMatchesReference(k: Int, n: Int, lower: Double, upper: Double) {
        let i = BinomialInterval(successes: k, trials: n)
        #expect(abs(i.lower - lower) < 1e-8, "k = \(k), n = \(n): lower \(i.lower)")
        #expect(abs(i.upper - upper) < 1e-8, "k = \(k), n = \(n): upper \(i.upper)")
        #expect(i.fraction == Double(k) / Double(n))
    }

    @Test func separationNeedsDisjointIntervals() {
        let all = BinomialInterval(successes: 20, trials: 20), none = BinomialInterval(successes: 0, trials: 20)
        let half = BinomialInterval(successes: 10, trials: 20)
        #expect(all.separatedAbove(none))
        #expect(!all.separatedAbove(half) || half.upper < all.lower)
        #expect(!half.separatedAbove(BinomialInterval(successes: 9, trials: 20)))
        #expect(BinomialInterval(successes: 0, trials: 0).fraction.isNaN)
    }
}

/// Quantiles by linear interpolation against `np.quantile([3, -1, 7.5, 2, 10, 0.25], q)`.
@Suite struct QuantileTests {
    @Test func quantilesMatchNumPy() {
        let x = [3.0, -1.0, 7.5, 2.0, 10.0, 0.25]
        for (q, expected) in [(0.0, -1.0), (0.25, 0.6875), (0.5, 2.5), (0.75, 6.375), (1.0, 10.0)] {
            #expect(x.quantile(q) == expected, "q = \(q): \(x.quantile(q))")
        }
        #expect([Double]().quantile(0.5).isNaN)
    }
}
