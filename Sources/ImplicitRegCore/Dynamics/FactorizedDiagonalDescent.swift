import RealModule

/// Gradient descent on the width-k diagonal linear network β = Σ_{j≤k} u_j∘v_j (u_j, v_j ∈ ℝ^d)
/// from a given initialisation, loss (1/2n)‖Xβ − y‖² (Double).
///
/// With c = Xᵀr/n, GD moves u_j ← u_j − η c∘v_j, v_j ← v_j − η c∘u_j, so u_j + v_j is multiplied by
/// 1 − ηc and u_j − v_j by 1 + ηc: the step η = min(ε_r / maxᵢ|cᵢ|, 1/L) changes every such factor by
/// at most the fraction ε_r (GD follows gradient flow), with L = 2 maxᵢ Σ_j(u_ji² + v_ji²)·λ_max(XXᵀ/n) +
/// maxᵢ|cᵢ| a bound on the loss's curvature. The flow's limit is ``Matrix/minimizeExponentialPotential(_:positive:negative:tolerance:maxIterations:)``
/// with Pᵢ = ¼Σ_j(u_ji + v_ji)²(0), Nᵢ = ¼Σ_j(u_ji − v_ji)²(0).
public struct FactorizedDiagonalDescent: Sendable {
    public var relativeStep: Double
    /// Stop once ‖Xβ − y‖ ≤ this·‖y‖.
    public var stopResidual: Double
    public var maxSteps: Int

    public init(relativeStep: Double = 1e-2, stopResidual: Double = 1e-4, maxSteps: Int = 400_000) {
        precondition(relativeStep > 0 && stopResidual > 0 && maxSteps > 0)
        self.relativeStep = relativeStep
        self.stopResidual = stopResidual
        self.maxSteps = maxSteps
    }

    /// The weights' P and N (see the type's description) from an initialisation `u`, `v` (k × d).
    public static func exponents(u: Matrix<Double>, v: Matrix<Double>) -> (positive: [Double], negative: [Double]) {
        precondition(u.rows == v.rows && u.cols == v.cols)
        var p = [Double](repeating: 0, count: u.cols), m = p
        for j in 0..<u.rows {
            for i in 0..<u.cols {
                let a = u.storage[j * u.cols + i], b = v.storage[j * u.cols + i]
                p[i] += 0.25 * (a + b) * (a + b)
                m[i] += 0.25 * (a - b) * (a - b)
            }
        }
        return (p, m)
    }

    /// β = Σ_j u_j∘v_j.
    public static func predictor(u: Matrix<Double>, v: Matrix<Double>) -> [Double] {
        var b = [Double](repeating: 0, count: u.cols)
        for j in 0..<u.rows { for i in 0..<u.cols { b[i] += u.storage[j * u.cols + i] * v.storage[j * u.cols + i] } }
        return b
    }

    /// Runs GD from (u, v), each k × d; throws ``DiagonalNetworkDescent/Diverged`` on a non-finite β.
    public func run(_ x: Matrix<Double>, _ y: [Double], u u0: Matrix<Double>, v v0: Matrix<Double>) throws -> DiagonalNetworkDescent.Result {
        precondition(u0.rows == v0.rows && u0.cols == x.cols && v0.cols == x.cols, "u and v must be k × d")
        let n = x.rows, d = x.cols, k = u0.rows
        let sigma1 = try x.spectralNorm()
        let lambdaMax = sigma1 * sigma1 / Double(n)
        var u = u0.storage, v = v0.storage
        let ynorm = Vec.norm(y)
        var b = Self.predictor(u: u0, v: v0)
        var steps = 0, time = 0.0
        var stop = DiagonalNetworkDescent.Stop.stepCap
        var mass = [Double](repeating: 0, count: d)
        while steps < maxSteps {
            var r = x.times(b)
            for i in 0..<n { r[i] -= y[i] }
            if Vec.norm(r) <= stopResidual * ynorm { stop = .converged; break }
            var c = x.times(r, transposed: true)
            var maxC = 0.0
            for i in 0..<d {
                c[i] /= Double(n)
                maxC = Swift.max(maxC, Swift.abs(c[i]))
                mass[i] = 0
            }
            for j in 0..<k { for i in 0..<d { mass[i] += u[j * d + i] * u[j * d + i] + v[j * d + i] * v[j * d + i] } }
            let lipschitz = 2 * (mass.max() ?? 0) * lambdaMax + maxC
            let eta = Swift.min(relativeStep / Swift.max(maxC, 1e-300), 1 / lipschitz)
            for i in 0..<d { b[i] = 0 }
            for j in 0..<k {
                for i in 0..<d {
                    let a = u[j * d + i], w = v[j * d + i]
                    u[j * d + i] = a - eta * c[i] * w
                    v[j * d + i] = w - eta * c[i] * a
                    b[i] += u[j * d + i] * v[j * d + i]
                }
            }
            steps += 1
            time += eta
            guard b.allSatisfy(\.isFinite) else { throw DiagonalNetworkDescent.Diverged(step: steps) }
        }
        var r = x.times(b)
        for i in 0..<n { r[i] -= y[i] }
        return DiagonalNetworkDescent.Result(beta: b, steps: steps, stop: stop, relativeResidual: Vec.norm(r) / ynorm, time: time)
    }
}
