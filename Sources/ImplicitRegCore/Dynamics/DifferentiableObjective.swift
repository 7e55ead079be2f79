/// A loss E: ℝⁿ → ℝ in Double with the derivatives that gradient flows and their backward-error
/// corrections need: ∇E, Hessian-vector products ∇²E·v and the third-derivative contraction
/// ∇³E[u, v] (the vector with components Σⱼₖ ∂³E/∂θᵢ∂θⱼ∂θₖ uⱼ vₖ).
public protocol DifferentiableObjective {
    /// The dimension n of θ.
    var dimension: Int { get }
    /// E(θ).
    func value(at θ: [Double]) -> Double
    /// ∇E(θ).
    func gradient(at θ: [Double]) -> [Double]
    /// ∇²E(θ)·v.
    func hessianVectorProduct(at θ: [Double], _ v: [Double]) -> [Double]
    /// ∇³E(θ)[u, v]. The default is the central difference of Hessian-vector products along u,
    /// (∇²E(θ + r·û)v − ∇²E(θ − r·û)v)·‖u‖/(2r) with û = u/‖u‖ and r = ``thirdDerivativeStep``:
    /// truncation error O(r²), round-off O(ε_mach/r); r = 1e-4 gives about 1e-8 relative.
    func thirdDerivative(at θ: [Double], _ u: [Double], _ v: [Double]) -> [Double]
    /// The step r of the default ``thirdDerivative(at:_:_:)``.
    var thirdDerivativeStep: Double { get }
}

extension DifferentiableObjective {
    public var thirdDerivativeStep: Double { 1e-4 }

    public func thirdDerivative(at θ: [Double], _ u: [Double], _ v: [Double]) -> [Double] {
        let size = Vector.norm(u)
        guard size > 0 else { return [Double](repeating: 0, count: dimension) }
        let r = thirdDerivativeStep
        let plus = hessianVectorProduct(at: Vector.adding(θ, r / size, u), v)
        let minus = hessianVectorProduct(at: Vector.adding(θ, -r / size, u), v)
        return zip(plus, minus).map { ($0 - $1) * size / (2 * r) }
    }

    /// The central finite-difference third-derivative contraction, whatever the objective
    /// implements: the reference its analytic form is checked against.
    public func finiteDifferenceThirdDerivative(at θ: [Double], _ u: [Double], _ v: [Double], step r: Double) -> [Double] {
        let size = Vector.norm(u)
        let plus = hessianVectorProduct(at: Vector.adding(θ, r / size, u), v)
        let minus = hessianVectorProduct(at: Vector.adding(θ, -r / size, u), v)
        return zip(plus, minus).map { ($0 - $1) * size / (2 * r) }
    }

    /// The largest eigenvalue of ∇²E(θ) (the sharpness) by power iteration on Hessian-vector
    /// products from `start`, stopped when it changes by less than `tolerance` (relative) or
    /// after `maxIterations`. Converges to the eigenvalue of largest magnitude: use it where the
    /// Hessian's top eigenvalue dominates its most negative one (near a minimum).
    public func topHessianEigenvalue(at θ: [Double], start: [Double], tolerance: Double = 1e-10,
                                     maxIterations: Int = 1000) -> Double {
        var v = Vector.scaled(start, 1 / Vector.norm(start))
        var λ = 0.0
        for _ in 0..<maxIterations {
            let hv = hessianVectorProduct(at: θ, v)
            let next = Vector.dot(v, hv)
            let size = Vector.norm(hv)
            guard size > 0 else { return 0 }
            v = Vector.scaled(hv, 1 / size)
            if abs(next - λ) <= tolerance * abs(next) { return next }
            λ = next
        }
        return λ
    }
}
