import RealModule

/// The minimiser of Q_α^D subject to Xβ = y (the limit of gradient flow on the diagonal network)
/// and how it was found.
public struct QAlphaSolution: Sendable {
    /// β = α^D h_D(Xᵀν).
    public var solution: [Double]
    /// The dual variable ν ∈ ℝⁿ.
    public var dual: [Double]
    /// Newton iterations.
    public var iterations: Int
    /// ‖Xβ − y‖ / ‖y‖.
    public var relativeResidual: Double
}

extension Matrix where T == Double {
    /// argmin Q_α^D(β) s.t. Xβ = y (X = self, n×d) by Newton's method on the n-dimensional dual
    ///     F(ν) = α^D Σᵢ H_D((Xᵀν)ᵢ) − yᵀν,  ∇F = α^D X h_D(Xᵀν) − y,  ∇²F = α^D X diag(h_D′(Xᵀν)) Xᵀ,
    /// from ν = 0 with Armijo backtracking (F = +∞ off the domain ‖Xᵀν‖∞ < 1 for D ≥ 3; where F only
    /// changes at rounding level, a full step that halves ‖∇F‖ is accepted; for D = 2 a step moves
    /// Xᵀν by at most 5); stops at a
    /// Newton decrement² < 1e-24·max(1, ‖y‖²) or ‖∇F‖ ≤ 1e-12‖y‖ (cap `maxIterations`), and the
    /// answer β = α^D h_D(Xᵀν) is accepted only if ‖Xβ − y‖ ≤ `tolerance`·‖y‖ (else
    /// ``SolverCertificateError``). Keep α^{D−2} ≥ 1e-6 for D ≥ 3 (1 − |Xᵀν| ≈ α^{D−2} loses digits).
    public func minimizeQAlpha(_ y: [Double], alpha: Double, depth: Int, tolerance: Double = 1e-7,
                               maxIterations: Int = 200) throws -> QAlphaSolution {
        precondition(alpha > 0, "α must be positive")
        let potential = DiagonalNetworkPotential(depth: depth)
        let n = rows, d = cols
        let scale = Double.pow(alpha, Double(depth))
        let ynorm = Vec.norm(y)
        var nu = [Double](repeating: 0, count: n)
        func objective(_ t: [Double], _ nu: [Double]) -> Double {
            var s = 0.0
            for v in t {
                guard potential.inDomain(v) else { return .infinity }
                s += potential.bigH(v)
            }
            let f = scale * s - Vec.dot(y, nu)
            return f.isNaN ? .infinity : f
        }
        var t = times(nu, transposed: true)
        var f = objective(t, nu)
        var iterations = 0
        while iterations < maxIterations {
            let beta = t.map { scale * potential.h($0) }
            let g = Vec.sub(times(beta), y)
            if Vec.norm(g) <= 1e-12 * ynorm { break }
            iterations += 1
            // ∇²F = α^D (X D^{1/2})(X D^{1/2})ᵀ.
            var xs = self
            for j in 0..<d {
                let w = (scale * potential.hPrime(t[j])).squareRoot()
                for i in 0..<n { xs.storage[i * d + j] *= w }
            }
            let hessian = Matrix.product(xs, transposed: false, xs, transposed: true)
            let step: [Double]
            if let chol = try? CholeskyFactor(hessian) {
                step = chol.solve(g).map { -$0 }
            } else {
                step = try hessian.solve(g).map { -$0 }
            }
            let slope = Vec.dot(g, step)
            if -slope < 1e-24 * Swift.max(1, ynorm * ynorm) { break }
            let dt = times(step, transposed: true)
            // For D = 2 a step may move Xᵀν by at most 5 (cosh grows ≤ e⁵ per step): at tiny α the
            // first Newton steps are astronomically long and would overflow.
            let longest = Vec.normInf(dt)
            var stepSize = depth == 2 && longest > 5 ? 5 / longest : 1.0
            var accepted = false
            for _ in 0..<70 {
                let candidateNu = zip(nu, step).map { $0 + stepSize * $1 }
                let candidateT = zip(t, dt).map { $0 + stepSize * $1 }
                let fc = objective(candidateT, candidateNu)
                // Near the optimum F changes at rounding level (its terms cancel): then the full
                // Newton step is taken if it lowers ‖∇F‖.
                var gradientFalls = false
                if stepSize == 1 || longest > 5, fc.isFinite, fc > f + 0.25 * slope {
                    let gc = Vec.sub(times(candidateT.map { scale * potential.h($0) }), y)
                    gradientFalls = Vec.norm(gc) < 0.5 * Vec.norm(g)
                }
                if fc <= f + 0.25 * stepSize * slope || gradientFalls {
                    nu = candidateNu
                    t = candidateT
                    f = fc
                    accepted = true
                    break
                }
                stepSize *= 0.5
            }
            if !accepted { break }
        }
        t = times(nu, transposed: true)
        let beta = t.map { scale * potential.h($0) }
        let residual = Vec.relativeDistance(times(beta), y)
        try SolverCertificateError.require("minimizeQAlpha(D=\(depth), α=\(alpha))", "‖Xβ − y‖/‖y‖", residual, tolerance, iterations: iterations)
        return QAlphaSolution(solution: beta, dual: nu, iterations: iterations, relativeResidual: residual)
    }
}
