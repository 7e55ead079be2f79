/// The two-parameter over-parameterised model f(x) = a·b·x with the mean squared loss
///
///     E(a, b) = (1/n) Σᵢ ½ (yᵢ − a b xᵢ)²,
///
/// in closed form: gradient, Hessian, Hessian-vector product and third derivative are analytic.
/// With one example it is the model of Barrett & Dherin's Figure 1; with several it is the
/// per-example loss of an SGD analysis (each minibatch is a `ProductModel` on its examples).
///
/// With w = (b, a), S₁ = (1/n) Σ rᵢ xᵢ (rᵢ = a b xᵢ − yᵢ) and S₂ = (1/n) Σ xᵢ²:
/// ∇E = S₁ w, ∇²E = S₂ w wᵀ + S₁ J with J = [[0, 1], [1, 0]], and
/// ∇³E[u, v] = S₂ ((w·v) J u + (w·u) J v + (uᵀ J v) w).
public struct ProductModel: DifferentiableObjective, Sendable {
    /// Inputs xᵢ.
    public let x: [Double]
    /// Targets yᵢ.
    public let y: [Double]

    /// The model on examples (xᵢ, yᵢ); at least one.
    public init(x: [Double], y: [Double]) {
        precondition(!x.isEmpty && x.count == y.count, "ProductModel needs equally many inputs and targets (≥ 1)")
        self.x = x
        self.y = y
    }

    /// The model on the examples at `indices` (a minibatch).
    public func subset(_ indices: [Int]) -> ProductModel {
        ProductModel(x: indices.map { x[$0] }, y: indices.map { y[$0] })
    }

    public var dimension: Int { 2 }

    /// (S₁, S₂) at θ = (a, b).
    func moments(_ θ: [Double]) -> (s1: Double, s2: Double) {
        let ab = θ[0] * θ[1]
        var s1 = 0.0, s2 = 0.0
        for i in x.indices {
            s1 += (ab * x[i] - y[i]) * x[i]
            s2 += x[i] * x[i]
        }
        let n = Double(x.count)
        return (s1 / n, s2 / n)
    }

    public func value(at θ: [Double]) -> Double {
        let ab = θ[0] * θ[1]
        var s = 0.0
        for i in x.indices { s += 0.5 * (y[i] - ab * x[i]) * (y[i] - ab * x[i]) }
        return s / Double(x.count)
    }

    public func gradient(at θ: [Double]) -> [Double] {
        let s1 = moments(θ).s1
        return [s1 * θ[1], s1 * θ[0]]
    }

    /// The Hessian [[h₁₁, h₁₂], [h₁₂, h₂₂]].
    public func hessian(at θ: [Double]) -> [[Double]] {
        let (s1, s2) = moments(θ)
        let w = [θ[1], θ[0]]
        return [[s2 * w[0] * w[0], s2 * w[0] * w[1] + s1], [s2 * w[0] * w[1] + s1, s2 * w[1] * w[1]]]
    }

    public func hessianVectorProduct(at θ: [Double], _ v: [Double]) -> [Double] {
        let (s1, s2) = moments(θ)
        let w = [θ[1], θ[0]]
        let wv = w[0] * v[0] + w[1] * v[1]
        return [s2 * w[0] * wv + s1 * v[1], s2 * w[1] * wv + s1 * v[0]]
    }

    public func thirdDerivative(at θ: [Double], _ u: [Double], _ v: [Double]) -> [Double] {
        let s2 = moments(θ).s2
        let w = [θ[1], θ[0]]
        let wu = w[0] * u[0] + w[1] * u[1], wv = w[0] * v[0] + w[1] * v[1]
        let uJv = u[0] * v[1] + u[1] * v[0]
        return [s2 * (wv * u[1] + wu * v[1] + uJv * w[0]), s2 * (wv * u[0] + wu * v[0] + uJv * w[1])]
    }

    /// The eigenvalues (smaller, larger) of the Hessian at θ.
    public func hessianEigenvalues(at θ: [Double]) -> (Double, Double) {
        let h = hessian(at: θ)
        let mean = (h[0][0] + h[1][1]) / 2
        let radius = (((h[0][0] - h[1][1]) / 2) * ((h[0][0] - h[1][1]) / 2) + h[0][1] * h[0][1]).squareRoot()
        return (mean - radius, mean + radius)
    }
}
