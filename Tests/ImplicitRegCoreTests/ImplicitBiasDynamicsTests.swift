import Foundation
import ImplicitRegCore
import Testing

/// The gradient dynamics of the minimum-norm reading: least-squares GD/SGD reach the nearest
/// interpolant, the diagonal network's GD reaches the Q_α^D minimiser, deep matrix factorization's
/// gradients match finite differences and its balanced initialisation is balanced.
@Suite("ImplicitBiasDynamics")
struct ImplicitBiasDynamicsTests {
    @Test func leastSquaresDescentReachesTheNearestInterpolant() throws {
        let x = MinimumNormSolverTests.gaussian(10, 40, seed: 6, sd: 1 / sqrt(40))
        let y = (0..<10).map { Double($0) - 4.5 }
        let w0 = (0..<40).map { cos(Double($0)) }
        let target = try x.minimumL2Interpolant(y, from: w0).solution
        let gd = LeastSquaresDescent.gradientDescent(x, y, from: w0, learningRate: 0.5, steps: 5000, stopResidual: 1e-14)
        #expect(MinimumNormSolverTests.relative(gd.w, target) < 1e-10)
        var rng = RandomStreams(seed: 7).stream("shuffle")
        let sgd = LeastSquaresDescent.stochasticGradientDescent(x, y, from: w0, learningRate: 0.5, epochs: 2000, using: &rng)
        #expect(MinimumNormSolverTests.relative(sgd, target) < 1e-8)
    }

    @Test func diagonalNetworkDescentReachesTheQAlphaMinimiser() throws {
        let x = MinimumNormSolverTests.gaussian(10, 30, seed: 8)
        var beta = [Double](repeating: 0, count: 30)
        beta[2] = 1; beta[9] = -1
        let y = x.times(beta)
        for (depth, alpha) in [(2, 0.5), (3, 0.5)] {
            let gd = try DiagonalNetworkDescent(depth: depth, alpha: alpha, relativeStep: 1e-2, stopResidual: 1e-6).run(x, y)
            let q = try x.minimizeQAlpha(y, alpha: alpha, depth: depth)
            #expect(gd.stop == .converged)
            #expect(MinimumNormSolverTests.relative(gd.beta, q.solution) < 5e-3)
        }
    }

    @Test func deepFactorizationGradientMatchesFiniteDifferences() throws {
        var rng = RandomStreams(seed: 9).stream("init")
        let factors = DeepMatrixFactorization.gaussianFactors(size: 4, depth: 3, endToEndNorm: 1, using: &rng)
        let omega = [0, 3, 5, 6, 9, 10, 15]
        let model = DeepMatrixFactorization(factors: factors, observed: omega, values: omega.map { Double($0) / 10 })
        // One step with η = h changes the loss by −h‖∇‖² + O(h²): compare with a central difference per entry.
        var stepped = model
        let eta = 1e-7
        let before = stepped.step(learningRate: eta)
        let moved = zip(stepped.factors, model.factors).map { zip($0.storage, $1.storage).map { ($1 - $0) / eta } }
        for j in 0..<3 {
            for e in [0, 5, 11] {
                var plus = model, minus = model
                plus.factors[j].storage[e] += 1e-6
                minus.factors[j].storage[e] -= 1e-6
                let fd = (plus.loss(plus.endToEnd) - minus.loss(minus.endToEnd)) / 2e-6
                #expect(abs(fd - moved[j][e]) <= 1e-6 * max(1, abs(fd)), "factor \(j) entry \(e): fd \(fd) vs \(moved[j][e])")
            }
        }
        #expect(before == model.loss(model.endToEnd))
    }

    @Test func balancedFactorsAreBalancedWithTheRequestedProduct() throws {
        var rng = RandomStreams(seed: 10).stream("init")
        let sigma = [3.0, 2.0, 1.0, 0.5, 0.25]
        let f = try DeepMatrixFactorization.balancedFactors(size: 5, depth: 3, singularValues: sigma, using: &rng)
        let model = DeepMatrixFactorization(factors: f, observed: [0], values: [0])
        let s = try model.endToEnd.singularValues()
        for (a, b) in zip(s, sigma) { #expect(abs(a - b) < 1e-12) }
        for j in 0..<2 {
            let lhs = Matrix.product(f[j + 1], transposed: true, f[j + 1])
            let rhs = Matrix.product(f[j], transposed: false, f[j], transposed: true)
            #expect(zip(lhs.storage, rhs.storage).map { abs($0 - $1) }.max()! < 1e-12)
        }
    }

    @Test func rbfKernelMatchesItsDefinition() {
        let a = MinimumNormSolverTests.gaussian(5, 3, seed: 11)
        let b = MinimumNormSolverTests.gaussian(4, 3, seed: 12)
        let k = RBFKernel(gamma: 0.3).matrix(a, b)
        for i in 0..<5 {
            for j in 0..<4 {
                let d2 = (0..<3).reduce(0.0) { $0 + pow(a[i, $1] - b[j, $1], 2) }
                #expect(abs(k[i, j] - exp(-0.3 * d2)) < 1e-13)
            }
        }
    }
}
