import ImplicitRegCore

/// One point of the grid: one experiment, or one data-experiment run (method, labels, seed).
struct PointSpec: Codable, Sendable {
    var experiment: Experiment
    var method: TrainingMethod?
    var noisyLabels: Bool?
    var seed: UInt64?
    var learningRate: Double?
    var batchSize: Int?

    var name: String {
        if experiment == .learningRateGrid, let learningRate, let batchSize, let seed {
            return String(format: "grid-b%d-lr%g-seed%llu", batchSize, learningRate, seed)
        }
        guard experiment == .explicitRegularizer, let method, let noisyLabels, let seed else { return experiment.rawValue }
        return "\(method.rawValue)-\(noisyLabels ? "noisy" : "clean")-seed\(seed)"
    }
}


/// A run that cannot give a meaningful answer.
enum ExperimentError: Error, CustomStringConvertible {
    case diverged(String)

    var description: String {
        switch self {
        case let .diverged(what): "diverged: \(what)"
        }
    }
}
