/// Why a training run stopped without a result.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss or the parameters became NaN or infinite (``Trainer``).
    case diverged(epoch: Int, step: Int, loss: Double, learningRate: Double)
    /// A run's loss, gradient or parameters became NaN or infinite (``MinibatchSGD`` and other
    /// loops): what happened, where, and which config field to change.
    case divergedRun(String)
    /// An iteration did not reach its tolerance within its budget: what, and which field to raise.
    case notConverged(String)

    public var description: String {
        switch self {
        case let .diverged(epoch, step, loss, lr):
            "training diverged at epoch \(epoch), step \(step) (loss \(loss)) with learning rate \(lr): "
                + "lower training.learning_rate (or the momentum) in the config; no results were written for this run"
        case let .divergedRun(what): "diverged: \(what)"
        case let .notConverged(what): "did not converge: \(what)"
        }
    }
}
