/// Per-epoch learning curves of one run; index 0 is the model at initialisation.
public struct TrainingHistory: Sendable, Equatable {
    /// Epoch numbers 0, 1, 2, ….
    public var epoch: [Int] = []
    /// Optimizer steps taken by the end of each epoch.
    public var step: [Int] = []
    /// Learning rate used in each epoch's last step (the base rate at epoch 0).
    public var learningRate: [Double] = []
    /// Mean loss on the full training set.
    public var trainLoss: [Double] = []
    /// Accuracy on the full training set.
    public var trainAccuracy: [Double] = []
    /// Mean loss on the test set (empty without a test set).
    public var testLoss: [Double] = []
    /// Accuracy on the test set (empty without a test set).
    public var testAccuracy: [Double] = []
    /// Why the run ended: "epochs", "train-accuracy", "train-loss".
    public var stopReason = "epochs"

    /// Creates an empty history.
    public init() {}

    /// The first epoch whose training accuracy is ≥ `target` (nil if never).
    public func firstEpoch(trainAccuracyAtLeast target: Double) -> Int? {
        zip(epoch, trainAccuracy).first { $0.1 >= target }?.0
    }

    /// The last epoch recorded.
    public var finalEpoch: Int { epoch.last ?? 0 }
}
