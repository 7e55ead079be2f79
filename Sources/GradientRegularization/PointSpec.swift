import ImplicitRegCore
import ReadingSupport

/// One point of the grid: one experiment, or one MNIST run (step size, optional explicit term, seed).
struct PointSpec: Codable, Sendable {
    var experiment: Experiment
    var stepSize: Double?
    var explicit: ExplicitRun?
    var seed: UInt64?

    var name: String {
        guard experiment == .mnist, let h = stepSize, let seed else { return experiment.rawValue }
        if let e = explicit { return String(format: "mnist-egr-h%g-matching-h%g-seed%llu", h, e.matchedStepSize, seed) }
        return String(format: "mnist-h%g-seed%llu", h, seed)
    }
}


/// A run that cannot give a meaningful answer.
enum ExperimentError: Error, CustomStringConvertible {
    case diverged(String)
    case notConverged(String)

    var description: String {
        switch self {
        case let .diverged(what): "diverged: \(what)"
        case let .notConverged(what): "did not converge: \(what)"
        }
    }
}
