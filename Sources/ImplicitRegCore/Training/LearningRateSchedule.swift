import RealModule

/// How the learning rate ε changes with the step count t.
///
/// - constant: ε
/// - step: ε · factor^⌊t / every_steps⌋ (Zhang et al.'s ×0.95 per CIFAR epoch is every_steps = 390)
/// - cosine: ε · (f + (1 − f)·½(1 + cos(π t / T))), T the run's total steps, f = final_fraction
public struct LearningRateSchedule: Sendable, Codable, Equatable {
    /// The schedule's shape.
    public enum Kind: String, Sendable, Codable, CaseIterable { case constant, step, cosine }
    /// The shape.
    public var kind: Kind
    /// For `step`: steps between decays.
    public var everySteps: Int
    /// For `step`: the multiplier at each decay.
    public var factor: Double
    /// For `cosine`: the final rate as a fraction of the initial one.
    public var finalFraction: Double

    /// A schedule; the parameters not used by `kind` are ignored.
    public init(_ kind: Kind = .constant, everySteps: Int = 390, factor: Double = 0.95, finalFraction: Double = 0) {
        self.kind = kind
        self.everySteps = everySteps
        self.factor = factor
        self.finalFraction = finalFraction
    }

    /// The learning rate at step `t` of `totalSteps`, for base rate `base`.
    public func rate(base: Double, step t: Int, totalSteps: Int) -> Double {
        switch kind {
        case .constant:
            return base
        case .step:
            return base * Double.pow(factor, Double(t / everySteps))
        case .cosine:
            let progress = totalSteps > 0 ? Double(min(t, totalSteps)) / Double(totalSteps) : 1
            return base * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Double.cos(Double.pi * progress)))
        }
    }

    /// Checks the fields, naming them under `field`.
    public func validate(field: String) throws {
        if kind == .step {
            try requireValid(everySteps > 0, field: "\(field).every_steps", value: everySteps, "must be a positive number of steps")
            try requireValid(factor > 0 && factor <= 1, field: "\(field).factor", value: factor, "must be in (0, 1]")
        }
        if kind == .cosine {
            try requireValid(finalFraction >= 0 && finalFraction <= 1, field: "\(field).final_fraction", value: finalFraction, "must be in [0, 1]")
        }
    }
}
