import Foundation
import ImplicitRegCore
import Testing

/// The reference solvers of the minimum-norm reading on cases with known answers, and their
/// certificates: minimum ℓ2 (against the pseudoinverse), basis pursuit (a hand-solved LP and exact
/// sparse recovery), the Q_α^D minimiser (symmetry, the ℓ2 and ℓ1 limits, the potentials'
/// expansions), minimum nuclear norm completion (exact low-rank recovery).
@Suite("MinimumNormSolvers")
struct MinimumNormSolverTests {
    static func gaussian(_ n: Int, _ d: Int, seed: UInt64, sd: Double = 1) -> Matrix<Double> {
        var rng = RandomStreams(seed: seed).stream("test")
        return Matrix(rows: n, cols: d, storage: (0..<(n * d)).map { _ in sd * rng.nextNormal() })
    }

    static func relative(_ a: [Double], _ b: [Double]) -> Double {
        let num = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        return num / b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    @Test func minimumL2MatchesPseudoinverseAndStartsFromW0() throws {
        let x = Self.gaussian(20, 50, seed: 1)
        let y = (0..<20).map { Double($0 % 7) - 3 }
        let s = try x.minimumL2Interpolant(y)
        let pinv = try x.pseudoinverse().times(y)
        #expect(Self.relative(s.solution, pinv) < 1e-12)
        #expect(s.relativeResidual < 1e-12)
        // From w₀: w − w₀ lies in row(X) (orthogonal to the null space) and Xw = y.
        let w0 = (0..<50).map { sin(Double($0)) }
        let t = try x.minimumL2Interpolant(y, from: w0)
        let delta = zip(t.solution, w0).map { $0 - $1 }
        let projected = try x.pseudoinverse().times(x.times(delta))
        #expect(Self.relative(projected, delta) < 1e-10)
        #expect(Self.relative(x.times(t.solution), y) < 1e-12)
    }

    @Test func basisPursuitSolvesAHandLPAndRecoversASparseVector() throws {
        // min |a| + |b| s.t. a + 2b = 2: the answer is (0, 1), ℓ1 norm 1.
        let tiny = Matrix<Double>(rows: 1, cols: 2, storage: [1, 2])
        let s = try tiny.minimumL1Interpolant([2])
        #expect(abs(s.solution[0]) < 1e-12 && abs(s.solution[1] - 1) < 1e-12)
        #expect(s.support == [1])
        // 3-sparse β* in d = 60 from n = 25 Gaussian measurements: basis pursuit recovers it exactly.
        let x = Self.gaussian(25, 60, seed: 2)
        var beta = [Double](repeating: 0, count: 60)
        beta[3] = 1; beta[17] = -2; beta[40] = 0.5
        let r = try x.minimumL1Interpolant(x.times(beta))
        #expect(Self.relative(r.solution, beta) < 1e-9)
        #expect(r.certificate.map(abs).max()! <= 1 + 1e-6)
    }

    @Test func basisPursuitCertificateRejectsTooFewIterations() throws {
        let x = Self.gaussian(25, 60, seed: 2)
        var beta = [Double](repeating: 0, count: 60)
        beta[3] = 1; beta[17] = -2; beta[40] = 0.5
        #expect(throws: SolverCertificateError.self) { try x.minimumL1Interpolant(x.times(beta), maxIterations: 3) }
    }

    @Test(arguments: [2, 3, 4])
    func qAlphaIsSymmetricOnASymmetricProblem(depth: Int) throws {
        // One equation β₁ + β₂ = 1: by symmetry the minimiser of any even, strictly convex Q is (½, ½).
        let x = Matrix<Double>(rows: 1, cols: 2, storage: [1, 1])
        for alpha in [0.1, 1.0, 10.0] {
            let s = try x.minimizeQAlpha([1], alpha: alpha, depth: depth)
            #expect(abs(s.solution[0] - 0.5) < 1e-9 && abs(s.solution[1] - 0.5) < 1e-9)
        }
    }

    @Test func qAlphaInterpolatesBetweenMinimumL2AndMinimumL1() throws {
        let x = Self.gaussian(25, 60, seed: 3)
        var beta = [Double](repeating: 0, count: 60)
        beta[5] = 1; beta[22] = -1; beta[51] = 1
        let y = x.times(beta)
        let l2 = try x.minimumL2Interpolant(y).solution
        let l1 = try x.minimumL1Interpolant(y).solution
        let big = try x.minimizeQAlpha(y, alpha: 30, depth: 2)
        #expect(Self.relative(big.solution, l2) < 1e-4)
        let small = try x.minimizeQAlpha(y, alpha: 1e-3, depth: 3)
        #expect(Self.relative(small.solution, l1) < 1e-3)
        // The KKT condition: h_D⁻¹(β/α^D) = Xᵀν lies in row(X) — checked through the dual.
        #expect(small.relativeResidual < 1e-7)
    }

    @Test func potentialsHaveTheirExpansions() {
        let q2 = DiagonalNetworkPotential(depth: 2)
        for z in [0.01, 0.05, 0.1] { #expect(abs(q2.q(z) - z * z / 4) <= pow(z, 4) / 100) }
        for z in [100.0, 1e3, 1e4] { #expect(abs(q2.q(z) - (z * log(z) - z + 2)) <= 2 / z) }
        for depth in [3, 4] {
            let qd = DiagonalNetworkPotential(depth: depth)
            let d = Double(depth)
            #expect(abs(qd.q(1e-4) / 1e-8 - (d - 2) / (4 * d)) < 1e-3)
            let cD = (d - 2) * (1 - pow(2, -d / (d - 2)))
            for z in [1e4, 1e5] { #expect(abs(qd.q(z) - (z - d / 2 * pow(z, 2 / d) + cD)) <= 0.05) }
            // h_D⁻¹ inverts h_D.
            for t in [-0.9, -0.2, 0.3, 0.99] { #expect(abs(qd.hInverse(qd.h(t)) - t) < 1e-12) }
        }
    }

    @Test func nuclearNormCompletionRecoversALowRankMatrix() throws {
        var rng = RandomStreams(seed: 4).stream("test")
        let m = SyntheticData.lowRankMatrix(rows: 20, cols: 20, rank: 1, using: &rng)
        let omega = SyntheticData.observationMask(rows: 20, cols: 20, observed: 200, using: &rng)
        let s = try Matrix<Double>.minimumNuclearNormCompletion(rows: 20, cols: 20, observed: omega, values: omega.map { m.storage[$0] })
        #expect(Self.relative(s.solution.storage, m.storage) < 1e-6, "nuclear \(s.nuclearNorm), iterations \(s.iterations)")
        #expect(s.certificateSpectralNorm <= 1 + 1e-6)
        for i in omega { #expect(s.solution.storage[i] == m.storage[i]) }
    }

    @Test func nuclearNormCompletionBeatsTheTruthWhenTooFewEntriesAreSeen() throws {
        // 80 of 144 entries of a 12×12 rank-1 matrix: another completion has a smaller nuclear norm,
        // and the certificate proves the solver's is the least.
        var rng = RandomStreams(seed: 4).stream("test")
        let m = SyntheticData.lowRankMatrix(rows: 12, cols: 12, rank: 1, using: &rng)
        let omega = SyntheticData.observationMask(rows: 12, cols: 12, observed: 80, using: &rng)
        let s = try Matrix<Double>.minimumNuclearNormCompletion(rows: 12, cols: 12, observed: omega, values: omega.map { m.storage[$0] })
        #expect(s.nuclearNorm < (try m.nuclearNorm()) - 0.1)
        #expect(s.dualityGap < 1e-6 && s.certificateSpectralNorm <= 1 + 1e-6)
    }

    @Test func choleskyFactorSolves() throws {
        let a = Self.gaussian(8, 8, seed: 5)
        var spd = Matrix.product(a, transposed: false, a, transposed: true)
        for i in 0..<8 { spd[i, i] += 1 }
        let b = (0..<8).map { Double($0) }
        let x = try CholeskyFactor(spd).solve(b)
        #expect(Self.relative(spd.times(x), b) < 1e-12)
    }
}

extension MinimumNormSolverTests {
    @Test func qAlphaReachesTinyAlphaForDepthTwo() throws {
        let x = Self.gaussian(30, 100, seed: 13)
        var beta = [Double](repeating: 0, count: 100)
        beta[1] = 1; beta[50] = 1
        let s = try x.minimizeQAlpha(x.times(beta), alpha: 1e-12, depth: 2)
        #expect(s.relativeResidual < 1e-7)
    }
}
