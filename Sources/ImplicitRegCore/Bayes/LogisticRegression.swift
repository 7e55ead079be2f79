import RealModule

/// Binary logistic regression with an L2 penalty, in Double, fitted exactly by Newton's method.
///
/// With features Φ (n×p, one example per row; append a column of ones for a bias) and targets
/// y ∈ {0, 1}, the model is P(y = 1 | φ) = σ(ωᵀφ). Everything here uses the **summed** cost
///
///     C(ω) = H(ω) + (λ/2)‖ω‖²,   H(ω) = Σᵢ [ln(1 + e^{zᵢ}) − yᵢ zᵢ],   z = Φω,
///
/// so λ is also the precision of the Gaussian prior N(0, λ⁻¹I) of the Bayesian view (a mean-loss
/// penalty wd·‖ω‖²/2 on H/n is λ = n·wd). Every coordinate of ω, the bias included, is penalised.
///
///     ∇C = Φᵀ(s − y) + λω,   ∇²C = Φᵀ diag(s ⊙ (1 − s)) Φ + λI,   s = σ(Φω).
public struct LogisticRegression: Sendable {
    /// Φ, n×p.
    public let features: Matrix<Double>
    /// y, n entries in {0, 1}.
    public let targets: [Double]

    /// A problem; `targets` must have one entry per row of `features`, each 0 or 1.
    public init(features: Matrix<Double>, targets: [Double]) {
        precondition(targets.count == features.rows, "\(targets.count) targets for \(features.rows) examples")
        precondition(targets.allSatisfy { $0 == 0 || $0 == 1 }, "logistic-regression targets must be 0 or 1")
        self.features = features
        self.targets = targets
    }

    /// Examples n.
    public var count: Int { features.rows }
    /// Parameters p.
    public var parameterCount: Int { features.cols }

    /// ln(1 + eᶻ) without overflow.
    @inlinable
    static func softplus(_ z: Double) -> Double { Swift.max(z, 0) + Double.log(onePlus: Double.exp(-Swift.abs(z))) }

    /// σ(z) = 1/(1 + e⁻ᶻ) without overflow.
    @inlinable
    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + Double.exp(-z)) : { let e = Double.exp(z); return e / (1 + e) }()
    }

    /// The logits z = Φω.
    public func logits(_ w: [Double]) -> [Double] { features.times(w) }

    /// σ(Φω), the predicted P(y = 1) of every example.
    public func probabilities(_ w: [Double]) -> [Double] { logits(w).map(Self.sigmoid) }

    /// H(ω) = Σᵢ CEᵢ, the summed cross-entropy in nats (divide by n for the mean).
    public func crossEntropySum(_ w: [Double]) -> Double {
        let z = logits(w)
        var h = 0.0
        for i in 0..<count { h += Self.softplus(z[i]) - targets[i] * z[i] }
        return h
    }

    /// C(ω) = H(ω) + (λ/2)‖ω‖².
    public func cost(_ w: [Double], lambda: Double) -> Double {
        crossEntropySum(w) + 0.5 * lambda * w.reduce(0) { $0 + $1 * $1 }
    }

    /// ∇C(ω) = Φᵀ(σ(Φω) − y) + λω.
    public func gradient(_ w: [Double], lambda: Double) -> [Double] {
        let s = probabilities(w)
        var r = [Double](repeating: 0, count: count)
        for i in 0..<count { r[i] = s[i] - targets[i] }
        var g = features.times(r, transposed: true)
        for j in 0..<g.count { g[j] += lambda * w[j] }
        return g
    }

    /// ∇²C(ω) = Φᵀ diag(s ⊙ (1 − s)) Φ + λI (p×p, symmetric positive definite for λ > 0).
    public func hessian(_ w: [Double], lambda: Double) -> Matrix<Double> {
        let s = probabilities(w)
        var scaled = features
        let p = parameterCount
        for i in 0..<count {
            let r = (s[i] * (1 - s[i])).squareRoot()
            for j in 0..<p { scaled.storage[i * p + j] *= r }
        }
        var h = Matrix.product(scaled, transposed: true, scaled)
        for j in 0..<p { h[j, j] += lambda }
        return h
    }

    /// Fraction of examples whose prediction 1[σ(z) > ½] equals the target (z = 0 counts as 0).
    public func accuracy(_ w: [Double]) -> Double {
        let z = logits(w)
        var correct = 0
        for i in 0..<count where (z[i] > 0 ? 1.0 : 0.0) == targets[i] { correct += 1 }
        return count == 0 ? 0 : Double(correct) / Double(count)
    }

    /// Minimises C by Newton's method with Armijo backtracking (c = 1e-4, step halving; the full
    /// step once the predicted decrease −∇Cᵀd is below 1e-12·max(1, |C|), where rounding hides
    /// it), from `start` (zeros if nil; warm starts make a sweep down a λ grid cheap). Stops when
    /// ‖∇C‖_∞ < `gradientTolerance`·max(1, λ), when no step of at least 2⁻⁴⁰ decreases C (the
    /// minimum is reached to rounding), or after `maxIterations` Newton steps (then
    /// ``LogisticFit/converged`` is false).
    ///
    /// - Throws: ``LinearAlgebraError`` if a Newton system cannot be solved (λ ≤ 0 on separable data).
    public func fit(lambda: Double, start: [Double]? = nil, gradientTolerance: Double = 1e-8,
                    maxIterations: Int = 100) throws(LinearAlgebraError) -> LogisticFit {
        precondition(lambda >= 0, "the L2 coefficient λ must be non-negative")
        var w = start ?? [Double](repeating: 0, count: parameterCount)
        precondition(w.count == parameterCount, "start has \(w.count) entries, expected \(parameterCount)")
        var c = cost(w, lambda: lambda)
        var g = gradient(w, lambda: lambda)
        let threshold = gradientTolerance * Swift.max(1, lambda)
        var iterations = 0
        var converged = false
        while true {
            let gInf = g.reduce(0) { Swift.max($0, Swift.abs($1)) }
            if gInf < threshold { converged = true; break }
            if iterations >= maxIterations { break }
            let h = hessian(w, lambda: lambda)
            let d = try h.solve(g.map { -$0 })
            var slope = 0.0
            for j in 0..<d.count { slope += g[j] * d[j] }
            var t = 1.0
            var accepted = false
            if -slope < 1e-12 * Swift.max(1, Swift.abs(c)) {
                // The predicted decrease is below the rounding of C: Armijo cannot see it, and
                // this close to the minimum the full Newton step converges quadratically.
                for j in 0..<d.count { w[j] += d[j] }
                c = cost(w, lambda: lambda)
                accepted = true
            }
            while !accepted && t >= 0x1p-40 {
                var trial = w
                for j in 0..<d.count { trial[j] += t * d[j] }
                let ct = cost(trial, lambda: lambda)
                if ct <= c + 1e-4 * t * slope {
                    w = trial
                    c = ct
                    accepted = true
                    break
                }
                t *= 0.5
            }
            iterations += 1
            g = gradient(w, lambda: lambda)
            if !accepted {
                // No decrease is measurable any more: the minimum is reached to rounding.
                converged = g.reduce(0) { Swift.max($0, Swift.abs($1)) } < 1e3 * threshold
                break
            }
        }
        return LogisticFit(weights: w, lambda: lambda, cost: c, crossEntropySum: crossEntropySum(w),
                           gradientNorm: g.reduce(0) { Swift.max($0, Swift.abs($1)) },
                           iterations: iterations, converged: converged)
    }
}

/// The result of ``LogisticRegression/fit(lambda:start:gradientTolerance:maxIterations:)``.
public struct LogisticFit: Sendable, Equatable {
    /// ω₀ = argmin C.
    public var weights: [Double]
    /// The L2 coefficient (prior precision) λ of the summed cost.
    public var lambda: Double
    /// C(ω₀), summed cross-entropy plus (λ/2)‖ω₀‖², nats.
    public var cost: Double
    /// H(ω₀), the summed cross-entropy alone, nats.
    public var crossEntropySum: Double
    /// ‖∇C(ω₀)‖_∞ at the end.
    public var gradientNorm: Double
    /// Newton steps taken.
    public var iterations: Int
    /// Whether the gradient tolerance was met.
    public var converged: Bool
}
