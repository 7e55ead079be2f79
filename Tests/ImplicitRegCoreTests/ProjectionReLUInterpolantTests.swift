import ImplicitRegCore
import Testing

/// Theorem 1's two-layer ReLU network with d + 2n weights interpolates any targets exactly.
@Suite("Projection ReLU interpolant (Theorem 1)")
struct ProjectionReLUInterpolantTests {
    @Test func oneDimensionalKnownAnswer() throws {
        // Points 0, 1, 3 on a line; a = ±1, so the network is piecewise linear through the targets.
        let X = Matrix<Double>(rows: 3, cols: 1, storage: [0, 1, 3])
        let y = [1.0, 0.0, 2.0]
        var rng = RandomStreams(seed: 1).stream("direction")
        let (net, diagnostics) = try ProjectionReLUInterpolant.fit(points: X, targets: y, theta: 0.5, using: &rng)
        #expect(net.parameterCount == 1 + 2 * 3)
        #expect(abs(abs(net.direction[0]) - 1) < 1e-15)
        let f = net(X)
        for i in 0..<3 { #expect(abs(f[i] - y[i]) < 1e-13) }
        // Midpoint thresholds between the sorted projections, the first one 1 below the smallest.
        let z = [0.0, 1.0, 3.0].map { $0 * net.direction[0] }.sorted()
        #expect(net.thresholds == [z[0] - 1, (z[0] + z[1]) / 2, (z[1] + z[2]) / 2])
        #expect(diagnostics.smallestGap == 1)
        #expect(diagnostics.nonzerosAboveDiagonal == 0)
        // Left of every threshold the network is 0; beyond the last point it is linear with slope Σ w_j.
        let below = net(Matrix(rows: 1, cols: 1, storage: [(z[0] - 2) * net.direction[0]]))[0]
        #expect(below == 0)
    }

    @Test(arguments: [(300, 10), (500, 784)])
    func interpolatesRandomTargetsExactly(n: Int, d: Int) throws {
        var rng = RandomStreams(seed: 5).stream("points")
        let X = Matrix<Double>(rows: n, cols: d, storage: (0..<(n * d)).map { _ in rng.nextNormal() })
        let y = (0..<n).map { _ in rng.nextNormal() }
        var directionRNG = RandomStreams(seed: 5).stream("direction")
        let (net, diagnostics) = try ProjectionReLUInterpolant.fit(points: X, targets: y, using: &directionRNG)
        #expect(net.parameterCount == d + 2 * n)
        #expect(diagnostics.nonzerosAboveDiagonal == 0)
        #expect(diagnostics.smallestDiagonal > 0)
        #expect(zip(net.thresholds, net.thresholds.dropFirst()).allSatisfy { $0 < $1 })
        let residual = zip(net(X), y).map { abs($0 - $1) }.max()!
        // Round-off of n-term sums of weights up to ~1e6 (calibration ≤ 7e-10 at n = 1000).
        #expect(residual < 1e-8)
        #expect(residual / diagnostics.sumScale < 1e-13)
    }

    @Test func duplicatePointsAndBadThetaFailClearly() {
        let X = Matrix<Double>(rows: 3, cols: 2, storage: [1, 2, 3, 4, 1, 2])
        var rng = RandomStreams(seed: 1).stream("direction")
        do {
            _ = try ProjectionReLUInterpolant.fit(points: X, targets: [0, 1, 2], using: &rng)
            Issue.record("duplicate points were accepted")
        } catch {
            guard case let .tiedProjections(i, j) = error else { Issue.record("wrong error \(error)"); return }
            #expect(Set([i, j]) == [0, 2])
        }
        #expect(throws: InterpolationError.theta(1)) {
            _ = try ProjectionReLUInterpolant.fit(points: X, targets: [0, 1, 2], theta: 1, using: &rng)
        }
        #expect(throws: InterpolationError.sizes(points: 3, dimension: 2, targets: 2)) {
            _ = try ProjectionReLUInterpolant.fit(points: X, targets: [0, 1], using: &rng)
        }
    }
}
