import Foundation
import ImplicitRegCore
import Testing

/// Binary logistic regression fitted by Newton (finite-difference derivatives, closed-form and
/// bisection answers) and the Laplace evidence (exact for a quadratic cost, against the Gaussian
/// marginal likelihood computed another way).
@Suite("Logistic regression and Laplace evidence")
struct LogisticEvidenceTests {
    static func randomProblem(n: Int, p: Int, seed: UInt64) -> LogisticRegression {
        var rng = Xoshiro256StarStar(seed: seed)
        let x = Matrix(rows: n, cols: p, storage: (0..<(n * p)).map { _ in rng.nextNormal() })
        let y = (0..<n).map { _ in rng.nextUniform() < 0.5 ? 0.0 : 1.0 }
        return LogisticRegression(features: x, targets: y)
    }

    @Test func gradientAndHessianMatchCentralDifferences() {
        let problem = Self.randomProblem(n: 20, p: 4, seed: 3)
        let lambda = 0.3
        var rng = Xoshiro256StarStar(seed: 9)
        let w = (0..<4).map { _ in rng.nextNormal() }
        let g = problem.gradient(w, lambda: lambda)
        let h = problem.hessian(w, lambda: lambda)
        let step = 1e-5
        for j in 0..<4 {
            var plus = w, minus = w
            plus[j] += step; minus[j] -= step
            let fd = (problem.cost(plus, lambda: lambda) - problem.cost(minus, lambda: lambda)) / (2 * step)
            #expect(abs(fd - g[j]) <= 1e-6 * max(1, abs(g[j])), "∂C/∂ω\(j): analytic \(g[j]), central difference \(fd)")
            let gp = problem.gradient(plus, lambda: lambda), gm = problem.gradient(minus, lambda: lambda)
            for k in 0..<4 {
                let fdh = (gp[k] - gm[k]) / (2 * step)
                #expect(abs(fdh - h[k, j]) <= 1e-6 * max(1, abs(h[k, j])), "∂²C/∂ω\(k)∂ω\(j): \(h[k, j]) vs \(fdh)")
            }
        }
    }

    /// A bias alone: k of n targets are 1, so ∇C = n·σ(ω) − k + λω = 0, solved here by bisection
    /// (λ = 0: ω = ln(k/(n − k)) exactly).
    @Test(arguments: [0.0, 0.5, 7.0])
    func biasOnlyModelMatchesTheScalarEquation(lambda: Double) throws {
        let n = 10, k = 7
        let problem = LogisticRegression(features: Matrix(rows: n, cols: 1, storage: [Double](repeating: 1, count: n)),
                                         targets: (0..<n).map { $0 < k ? 1 : 0 })
        var lo = -10.0, hi = 10.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            let f = Double(n) / (1 + exp(-mid)) - Double(k) + lambda * mid
            if f > 0 { hi = mid } else { lo = mid }
        }
        let fit = try problem.fit(lambda: lambda, gradientTolerance: 1e-12)
        #expect(fit.converged)
        #expect(abs(fit.weights[0] - 0.5 * (lo + hi)) < 1e-10, "ω = \(fit.weights[0]), bisection \(0.5 * (lo + hi))")
        if lambda == 0 { #expect(abs(fit.weights[0] - log(7.0 / 3.0)) < 1e-10) }
        #expect(abs(fit.cost - problem.cost(fit.weights, lambda: lambda)) < 1e-12)
    }

    @Test func warmStartReachesTheSameMinimumAndSeparableDataIsFitted() throws {
        let problem = Self.randomProblem(n: 15, p: 20, seed: 5)  // p > n: separable
        // The Hessian's smallest eigenvalue is λ (directions Φ does not see), so a gradient of
        // 1e-11 leaves the weights within 1e-11/λ = 1e-7 of the minimum.
        let cold = try problem.fit(lambda: 1e-4, gradientTolerance: 1e-11)
        let warm = try problem.fit(lambda: 1e-4, start: try problem.fit(lambda: 1e-2).weights, gradientTolerance: 1e-11)
        #expect(cold.converged && warm.converged, "cold: \(cold.iterations) steps, ‖∇C‖ \(cold.gradientNorm); warm: \(warm.iterations), \(warm.gradientNorm)")
        #expect(cold.gradientNorm < 1e-10)
        for j in 0..<20 { #expect(abs(cold.weights[j] - warm.weights[j]) < 1e-6 * max(1, abs(cold.weights[j]))) }
        #expect(problem.accuracy(cold.weights) == 1)
    }

    /// H(ω) = ½‖Aω − b‖² is e^{−H} = (2π)^{m/2}·N(b; Aω, I), so the evidence is exactly
    /// det(Σ)^{−1/2} exp(−½ bᵀΣ⁻¹b) with Σ = I + AAᵀ/λ (m×m), and Laplace is exact.
    @Test func laplaceEvidenceIsExactForAQuadraticCost() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        let m = 6, p = 4, lambda = 0.7
        let a = Matrix(rows: m, cols: p, storage: (0..<(m * p)).map { _ in rng.nextNormal() })
        let b = (0..<m).map { _ in rng.nextNormal() }
        var hessian = Matrix.product(a, transposed: true, a)
        for j in 0..<p { hessian[j, j] += lambda }
        let w0 = try hessian.solve(a.times(b, transposed: true))
        let residual = zip(a.times(w0), b).map { $0 - $1 }
        let cost = 0.5 * residual.reduce(0) { $0 + $1 * $1 } + 0.5 * lambda * w0.reduce(0) { $0 + $1 * $1 }
        let laplace = try LaplaceEvidence(cost: cost, hessian: hessian, priorPrecision: lambda)

        var sigma = Matrix.product(a, transposed: false, a, transposed: true)
        for i in 0..<m { for j in 0..<m { sigma[i, j] = sigma[i, j] / lambda + (i == j ? 1.0 : 0.0) } }
        let logDetSigma: Double = try sigma.logDeterminantSPD()
        let sigmaInverseB: [Double] = try sigma.solve(b)
        var quadratic = 0.0
        for i in 0..<m { quadratic += b[i] * sigmaInverseB[i] }
        let exact = -0.5 * logDetSigma - 0.5 * quadratic
        #expect(abs(laplace.logEvidence - exact) < 1e-10, "Laplace \(laplace.logEvidence), exact \(exact)")
        #expect(laplace.logOccamFactor < 0)
        #expect(abs(laplace.logEvidence - (-cost + laplace.logOccamFactor)) < 1e-12)
    }

    @Test func nullModelAndOccamFactorOfAFlatLikelihood() throws {
        #expect(abs(LaplaceEvidence.nullModelLogEvidence(examples: 500, classes: 2) - (-500 * log(2.0))) < 1e-9)
        // No data: ∇²C = λI, so the Occam factor is 0 and ln P = −C(0) = 0.
        let flat = try LaplaceEvidence(cost: 0, hessian: Matrix<Double>.identity(3).scaledDiagonal(2.5), priorPrecision: 2.5)
        #expect(abs(flat.logEvidence) < 1e-12)
        #expect(throws: LinearAlgebraError.self) {
            _ = try LaplaceEvidence(cost: 0, hessian: Matrix<Double>.identity(2).scaledDiagonal(-1), priorPrecision: 1)
        }
    }
}

/// The B_opt utilities: a parabola's vertex in ln x and a least-squares slope.
@Suite("Parabolic peak and line fit")
struct PeakAndSlopeTests {
    @Test func vertexOfAnExactParabolaInLogX() {
        let x: [Double] = [4, 8, 16, 32, 64, 128, 256, 512]
        let y = x.map { 0.9 - 0.01 * pow(log($0) - log(23.0), 2) }
        let peak = ParabolicPeak(x: x, y: y)
        #expect(peak.interior)
        #expect(peak.index == 3)
        #expect(abs(peak.location - 23) < 1e-9, "vertex \(peak.location)")
        #expect(abs(peak.value - 0.9) < 1e-12)
        let linear = ParabolicPeak(x: [1, 2, 3, 4], y: [0, 3, 4, 3], logarithmic: false)
        #expect(abs(linear.location - 3) < 1e-12)
    }

    @Test func maximumAtAnEndIsNotInterior() {
        let peak = ParabolicPeak(x: [4, 8, 16], y: [0.9, 0.8, 0.7])
        #expect(!peak.interior)
        #expect(peak.location == 4)
        let skipsNaN = ParabolicPeak(x: [4, 8, 16, 32], y: [.nan, 0.5, 0.9, 0.6])
        #expect(skipsNaN.index == 2 && skipsNaN.interior)
    }

    @Test func slopeOfALine() {
        let fit = LinearFit(x: [0, 1, 2, 5], y: [1, 3, 5, 11])
        #expect(abs(fit.slope - 2) < 1e-12 && abs(fit.intercept - 1) < 1e-12)
        #expect(LinearFit(x: [1, 1], y: [0, 2]).slope.isNaN)
    }
}

extension Matrix where T == Double {
    /// The identity scaled by `c` (for the tests above).
    fileprivate func scaledDiagonal(_ c: Double) -> Matrix<Double> {
        var m = self
        for i in 0..<rows { m[i, i] *= c }
        return m
    }
}
