import Foundation
import ImplicitRegCore
import Testing

/// The fits and the bootstrap that the readings' scaling and collapse claims rest on, checked on
/// cases with known answers.
@Suite("seed statistics: parabola fit and bootstrap")
struct SeedStatisticsFitTests {
    @Test func parabolaThroughExactPointsIsRecoveredWithRSquaredOne() {
        let x = [-1.5, -0.3, 0.2, 1.1, 2.4, 3.0]
        let y = x.map { 0.7 - 1.3 * $0 + 0.45 * $0 * $0 }
        let fit = QuadraticFit(x: x, y: y)
        for (c, expected) in zip(fit.coefficients, [0.7, -1.3, 0.45]) { #expect(abs(c - expected) < 1e-10, "\(fit.coefficients)") }
        #expect(abs(fit.rSquared - 1) < 1e-12)
    }

    @Test func rSquaredOfANoisyParabolaMatchesNumPyDefinition() {
        // y = x² + ε with a fixed ε; R² computed by hand: 1 − SSE/SST of the least-squares parabola.
        let x = [0.0, 1, 2, 3, 4, 5], e = [0.3, -0.2, 0.1, -0.4, 0.25, -0.05]
        let y: [Double] = zip(x, e).map { (xi: Double, ei: Double) -> Double in xi * xi + ei }
        let fit = QuadraticFit(x: x, y: y)
        let c = fit.coefficients
        var r: [Double] = []
        for (xi, yi) in zip(x, y) {
            let fitted: Double = c[0] + c[1] * xi + c[2] * xi * xi
            r.append(yi - fitted)
        }
        // Normal equations hold: residuals orthogonal to 1, x, x².
        for p in 0..<3 {
            var dot = 0.0
            for (ri, xi) in zip(r, x) { dot += ri * pow(xi, Double(p)) }
            #expect(abs(dot) < 1e-9)
        }
        let my: Double = y.reduce(0, +) / 6
        var sse = 0.0, sst = 0.0
        for ri in r { sse += ri * ri }
        for yi in y { sst += (yi - my) * (yi - my) }
        let expected = 1 - sse / sst
        #expect(abs(fit.rSquared - expected) < 1e-12)
        #expect(fit.rSquared > 0.99 && fit.rSquared < 1)
    }

    @Test func undeterminedFitsAreNaN() {
        #expect(QuadraticFit(x: [1, 1, 2, 2], y: [0, 1, 2, 3]).rSquared.isNaN)  // two distinct x
        #expect(QuadraticFit(x: [1, 2, 3], y: [5, 5, 5]).rSquared.isNaN)  // constant y: nothing to explain
    }

    @Test func bootstrapOfTheMeanApproachesTheStandardErrorAndRepeats() {
        let seeds: [UInt64] = Array(0..<20)
        let value = Dictionary(uniqueKeysWithValues: seeds.map { ($0, Double(($0 * 7919) % 23)) })
        let mean = { (draw: [UInt64]) in draw.map { value[$0]! }.reduce(0, +) / Double(draw.count) }
        let a = SeedBootstrap(seeds: seeds, resamples: 4000, seed: 1, statistic: mean)
        let b = SeedBootstrap(seeds: seeds, resamples: 4000, seed: 1, statistic: mean)
        #expect(a == b, "same seed, same resamples")
        // The bootstrap SE of a mean is sd·√((n − 1)/n)/√n; 4000 resamples put it within a few percent.
        let s = SeedStatistic(seeds.map { value[$0]! })
        let expected = s.standardDeviation * ((19.0 / 20).squareRoot()) / 20.0.squareRoot()
        #expect(abs(a.standardError / expected - 1) < 0.05, "\(a.standardError) vs \(expected)")
        let undefined = SeedBootstrap(seeds: [1, 2], resamples: 50, seed: 3) { Set($0).count == 1 ? .nan : 1 }
        #expect(undefined.undefined > 0 && undefined.undefined + undefined.values.count == 50)
    }
}
