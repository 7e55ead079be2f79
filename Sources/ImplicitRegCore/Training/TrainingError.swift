/// Why a training run stopped without a result.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss or the parameters became NaN or infinite.
    case diverged(epoch: Int, step: Int, loss: Double, learningRate: Double)

    public var description: String {
        switch self {
        case let .diverged(epoch, step, loss, lr):
            "training diverged at epoch \(epoch), step \(step) (loss \(loss)) with learning rate \(lr): "
                + "lower training.learning_rate (or the momentum) in the config; no results were written for this run"
        }
    }
}
