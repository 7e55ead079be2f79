import RealModule

extension Matrix where T == Double {
    /// The interpolant βᵢ = Pᵢe^{tᵢ} − Nᵢe^{−tᵢ}, t = Xᵀν, with Xβ = y (X = self, n×d): the limit of
    /// gradient flow on β = Σ_j u_j∘v_j from any initialisation, with Pᵢ = ¼Σ_j(u_ji + v_ji)²(0) and
    /// Nᵢ = ¼Σ_j(u_ji − v_ji)²(0) (equivalently βᵢ = aᵢ sinh(tᵢ + φᵢ), aᵢ = 2√(PᵢNᵢ),
    /// φᵢ = ½ln(Pᵢ/Nᵢ)). P = N = α² gives the unbiased minimiser of Q_α (D = 2). It is the minimiser of
    /// the convex potential whose dual is
    ///     F(ν) = Σᵢ (Pᵢe^{tᵢ} + Nᵢe^{−tᵢ}) − yᵀν,  ∇F = Xβ(ν) − y,  ∇²F = X diag(Pe^t + Ne^{−t}) Xᵀ,
    /// found by Newton's method from ν = 0 with Armijo backtracking (a step moves Xᵀν by at most 5);
    /// stops at ‖∇F‖ ≤ 1e-12‖y‖ or a Newton decrement² < 1e-24·max(1, ‖y‖²) (cap `maxIterations`), and
    /// the answer is accepted only if ‖Xβ − y‖ ≤ `tolerance`·‖y‖ (else ``SolverCertificateError``).
    /// Pᵢ, Nᵢ ≥ 0 and Pᵢ + Nᵢ > 0 for every i.
    public func minimizeExponentialPotential(_ y: [Double], positive: [Double], negative: [Double], tolerance: Double = 1e-7,
                                             maxIterations: Int = 200) throws -> QAlphaSolution {
        let n = rows, d = cols
        precondition(positive.count == d && negative.count == d, "one P and one N per coordinate")
        precondition(zip(positive, negative).allSatisfy { $0 >= 0 && $1 >= 0 && $0 + $1 > 0 }, "P, N ≥ 0 with P + N > 0")
        let ynorm = Vec.norm(y)
        func beta(_ t: [Double]) -> [Double] { (0..<d).map { positive[$0] * .exp(t[$0]) - negative[$0] * .exp(-t[$0]) } }
        func objective(_ t: [Double], _ nu: [Double]) -> Double {
            var s = 0.0
            for i in 0..<d { s += positive[i] * .exp(t[i]) + negative[i] * .exp(-t[i]) }
            let f = s - Vec.dot(y, nu)
            return f.isFinite ? f : .infinity
        }
        var nu = [Double](repeating: 0, count: n)
        var t = [Double](repeating: 0, count: d)
        var f = objective(t, nu)
        var iterations = 0
        while iterations < maxIterations {
            let g = Vec.sub(times(beta(t)), y)
            if Vec.norm(g) <= 1e-12 * ynorm { break }
            iterations += 1
            var xs = self
            for j in 0..<d {
                let w = (positive[j] * .exp(t[j]) + negative[j] * .exp(-t[j])).squareRoot()
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
            let longest = Vec.normInf(dt)
            var stepSize = longest > 5 ? 5 / longest : 1.0
            var accepted = false
            for _ in 0..<70 {
                let candidateNu = zip(nu, step).map { $0 + stepSize * $1 }
                let candidateT = zip(t, dt).map { $0 + stepSize * $1 }
                let fc = objective(candidateT, candidateNu)
                // Near the optimum F changes at rounding level: the full step is taken if it lowers ‖∇F‖.
                var gradientFalls = false
                if stepSize == 1, fc.isFinite, fc > f + 0.25 * slope {
                    gradientFalls = Vec.norm(Vec.sub(times(beta(candidateT)), y)) < 0.5 * Vec.norm(g)
                }
                if fc <= f + 0.25 * stepSize * slope || gradientFalls {
                    (nu, t, f, accepted) = (candidateNu, candidateT, fc, true)
                    break
                }
                stepSize *= 0.5
            }
            if !accepted { break }
        }
        t = times(nu, transposed: true)
        let solution = beta(t)
        let residual = Vec.relativeDistance(times(solution), y)
        try SolverCertificateError.require("minimizeExponentialPotential", "‖Xβ − y‖/‖y‖", residual, tolerance, iterations: iterations)
        return QAlphaSolution(solution: solution, dual: nu, iterations: iterations, relativeResidual: residual)
    }
}
