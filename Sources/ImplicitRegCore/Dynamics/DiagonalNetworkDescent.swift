import RealModule

/// Gradient descent on the depth-D diagonal linear network of Woodworth et al. 2020:
/// β = u^D − v^D (entrywise) with u(0) = v(0) = α·1, loss (1/2n)‖Xβ − y‖² (Double).
///
/// The step is one adaptive scalar, η = min(ε_r / (D·maxᵢ mᵢ^{D−2}|cᵢ|), 1/L) with c = Xᵀr/n,
/// m = max(u, v) and L = 2D²(max m)^{2D−2}λ_max(XXᵀ/n) + D(D−1)maxᵢ mᵢ^{D−2}|cᵢ|: no weight
/// changes by more than the fraction ε_r in one step, so GD follows gradient flow (a large first
/// step would erase the small-α bias), and the step never exceeds the local curvature limit.
public struct DiagonalNetworkDescent: Sendable {
    /// Why a run stopped.
    public enum Stop: String, Sendable {
        case converged = "residual"
        case stepCap = "step cap"
    }

    /// The outcome of a run.
    public struct Result: Sendable {
        public var beta: [Double]
        public var steps: Int
        public var stop: Stop
        /// ‖Xβ − y‖/‖y‖ at the end.
        public var relativeResidual: Double
        /// Total "time" Σ η (gradient-flow time).
        public var time: Double
    }

    public var depth: Int
    public var alpha: Double
    /// ε_r, the largest relative change of a weight per step.
    public var relativeStep: Double
    /// Stop once ‖Xβ − y‖ ≤ this·‖y‖.
    public var stopResidual: Double
    public var maxSteps: Int

    public init(depth: Int, alpha: Double, relativeStep: Double = 1e-2, stopResidual: Double = 1e-4, maxSteps: Int = 400_000) {
        precondition(depth >= 2 && alpha > 0 && relativeStep > 0)
        self.depth = depth
        self.alpha = alpha
        self.relativeStep = relativeStep
        self.stopResidual = stopResidual
        self.maxSteps = maxSteps
    }

    /// Runs GD on (x, y); throws ``DiagonalNetworkDescent/Diverged`` on a non-finite β.
    public func run(_ x: Matrix<Double>, _ y: [Double]) throws -> Result {
        let n = x.rows, d = x.cols
        let sigma1 = try x.spectralNorm()
        let lambdaMax = sigma1 * sigma1 / Double(n)
        var u = [Double](repeating: alpha, count: d), v = u
        let D = depth
        let ynorm = Vec.norm(y)
        func beta() -> [Double] { (0..<d).map { Double.pow(u[$0], Double(D)) - Double.pow(v[$0], Double(D)) } }
        func power(_ a: Double, _ k: Int) -> Double {
            var r = 1.0
            for _ in 0..<k { r *= a }
            return r
        }
        var b = beta()
        var steps = 0, time = 0.0
        var stop = Stop.stepCap
        while steps < maxSteps {
            var r = x.times(b)
            for i in 0..<n { r[i] -= y[i] }
            if Vec.norm(r) <= stopResidual * ynorm { stop = .converged; break }
            var c = x.times(r, transposed: true)
            var maxM = 0.0, maxMC = 0.0
            for i in 0..<d {
                c[i] /= Double(n)
                let m = Swift.max(u[i], v[i])
                maxM = Swift.max(maxM, m)
                maxMC = Swift.max(maxMC, power(m, D - 2) * Swift.abs(c[i]))
            }
            let lipschitz = 2 * Double(D * D) * power(maxM, 2 * D - 2) * lambdaMax + Double(D * (D - 1)) * maxMC
            let eta = Swift.min(relativeStep / (Double(D) * Swift.max(maxMC, 1e-300)), 1 / lipschitz)
            for i in 0..<d {
                let gu = Double(D) * power(u[i], D - 1) * c[i]
                let gv = -Double(D) * power(v[i], D - 1) * c[i]
                u[i] -= eta * gu
                v[i] -= eta * gv
                b[i] = power(u[i], D) - power(v[i], D)
            }
            steps += 1
            time += eta
            guard b.allSatisfy(\.isFinite) else { throw Diverged(step: steps) }
        }
        var r = x.times(b)
        for i in 0..<n { r[i] -= y[i] }
        return Result(beta: b, steps: steps, stop: stop, relativeResidual: Vec.norm(r) / ynorm, time: time)
    }

    /// β became non-finite.
    public struct Diverged: Error, CustomStringConvertible {
        public var step: Int
        public var description: String { "diagonal network GD diverged (non-finite β) at step \(step)" }
    }
}
