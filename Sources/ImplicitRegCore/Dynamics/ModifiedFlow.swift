/// Gradient flows and the modified flows that backward error analysis assigns to gradient descent.
///
/// Gradient descent θₙ₊₁ = θₙ − h∇E(θₙ) is, to order hᵖ⁺¹ per step, the time-h flow of
///
///     θ̇ = f + h f₁ + h² f₂ + …,  f = −∇E,
///     f₁ = −½ ∇²E ∇E                               (= −¼ ∇‖∇E‖²: the flow of E + (h/4)‖∇E‖²),
///     f₂ = −⅓ (∇²E)² ∇E − (1/12) ∇³E[∇E, ∇E]        (not a gradient field in general),
///
/// derived by matching the Taylor series of the flow with the Euler step (f₂ = (1/12) f''(f, f)
/// + (1/3) f'f'f for explicit Euler, with f' = −∇²E and f'' = −∇³E).
public struct ModifiedGradientFlow<Objective: DifferentiableObjective>: VectorField {
    /// The loss E.
    public let objective: Objective
    /// The gradient-descent step h the modification is for.
    public let stepSize: Double
    /// 0: gradient flow of E; 1: adds h f₁; 2: adds h f₁ + h² f₂.
    public let order: Int

    /// The order-`order` modified flow of gradient descent with step `stepSize` on `objective`.
    public init(_ objective: Objective, stepSize: Double, order: Int) {
        precondition((0...2).contains(order), "modified flows are implemented to order 2")
        self.objective = objective
        self.stepSize = stepSize
        self.order = order
    }

    public var dimension: Int { objective.dimension }

    public func velocity(at θ: [Double]) -> [Double] {
        let g = objective.gradient(at: θ)
        var out = Vector.scaled(g, -1)
        guard order >= 1 else { return out }
        let h = stepSize
        let hg = objective.hessianVectorProduct(at: θ, g)
        out = Vector.adding(out, -h / 2, hg)
        guard order >= 2 else { return out }
        let hhg = objective.hessianVectorProduct(at: θ, hg)
        let tgg = objective.thirdDerivative(at: θ, g, g)
        out = Vector.adding(out, -h * h / 3, hhg)
        return Vector.adding(out, -h * h / 12, tgg)
    }
}

/// The gradient flow of a loss plus a mean of squared gradient norms,
///
///     Ẽ(θ) = E(θ) + (μ/K) Σₖ ‖∇Eₖ(θ)‖²,   θ̇ = −∇E − (2μ/K) Σₖ ∇²Eₖ ∇Eₖ,
///
/// using ∇‖∇Eₖ‖² = 2∇²Eₖ∇Eₖ. With K = 1, E₁ = E and μ = h/4 it is the first-order modified flow of
/// gradient descent (Barrett & Dherin's Ẽ = E + (h/4)‖∇E‖²); with the m minibatch losses Ĉₖ and
/// μ = ε/4 it is the modified flow of one epoch of SGD with random shuffling (Smith et al.'s
/// C̃ = C + (ε/4m) Σₖ ‖∇Ĉₖ‖²).
public struct GradientPenaltyFlow<Objective: DifferentiableObjective, Component: DifferentiableObjective>: VectorField {
    /// The loss E.
    public let objective: Objective
    /// The losses Eₖ whose gradient norms are penalised.
    public let components: [Component]
    /// The coefficient μ.
    public let coefficient: Double

    /// The flow of E + (μ/K) Σₖ ‖∇Eₖ‖².
    public init(_ objective: Objective, penalising components: [Component], coefficient μ: Double) {
        precondition(!components.isEmpty, "a gradient penalty needs at least one component")
        self.objective = objective
        self.components = components
        self.coefficient = μ
    }

    public var dimension: Int { objective.dimension }

    public func velocity(at θ: [Double]) -> [Double] {
        var out = Vector.scaled(objective.gradient(at: θ), -1)
        let weight = -2 * coefficient / Double(components.count)
        for component in components {
            let g = component.gradient(at: θ)
            out = Vector.adding(out, weight, component.hessianVectorProduct(at: θ, g))
        }
        return out
    }

    /// Ẽ(θ).
    public func modifiedLoss(at θ: [Double]) -> Double {
        let penalty = components.map { Vector.dot($0.gradient(at: θ), $0.gradient(at: θ)) }.reduce(0, +)
        return objective.value(at: θ) + coefficient * penalty / Double(components.count)
    }
}

/// Gradient descent on a ``DifferentiableObjective``.
public enum GradientDescent {
    /// θ − h∇E(θ).
    public static func step(_ objective: some DifferentiableObjective, from θ: [Double], stepSize h: Double) -> [Double] {
        Vector.adding(θ, -h, objective.gradient(at: θ))
    }

    /// The iterates θ₀, θ₁, …, θ_`steps`.
    public static func trajectory(_ objective: some DifferentiableObjective, from θ: [Double], stepSize h: Double,
                                  steps: Int) -> [[Double]] {
        var states = [θ]
        states.reserveCapacity(steps + 1)
        var state = θ
        for _ in 0..<steps {
            state = step(objective, from: state, stepSize: h)
            states.append(state)
        }
        return states
    }
}
