/// How minibatches are drawn each epoch.
public enum BatchSampling: String, Sendable, Codable, CaseIterable {
    /// Random reshuffling: a fresh permutation each epoch, visited without replacement
    /// (the last batch may be smaller).
    case reshuffle
    /// Each step draws B examples uniformly with replacement; ⌈N/B⌉ steps make an epoch.
    case withReplacement = "with-replacement"
    /// Full-batch gradient descent: one step per epoch on all N examples.
    case fullBatch = "full-batch"
}

/// The optimiser and loop settings of one training run (JSON keys in snake_case).
///
/// SGD with momentum in the PyTorch form: v ← μv + g, θ ← θ − ε·v (Nesterov: θ ← θ − ε·(g + μv)),
/// g the minibatch-mean gradient plus weight decay wd·θ on weights (not biases). With momentum μ
/// the SGD noise scale of Smith & Le is g = εN / (B(1 − μ)).
public struct TrainingOptions: Sendable, Codable, Equatable {
    /// Maximum number of epochs.
    public var epochs: Int
    /// Minibatch size B (ignored for full-batch).
    public var batchSize: Int
    /// Base learning rate ε.
    public var learningRate: Double
    /// Momentum coefficient μ (0 for plain SGD).
    public var momentum: Double
    /// Nesterov instead of heavy-ball momentum.
    public var nesterov: Bool
    /// L2 weight decay coefficient on weights.
    public var weightDecay: Double
    /// Learning-rate schedule.
    public var schedule: LearningRateSchedule
    /// Minibatch sampling.
    public var sampling: BatchSampling
    /// Stop once the full training-set accuracy reaches this (nil: never).
    public var stopAtTrainAccuracy: Double?
    /// Stop once the full training-set mean loss falls to this (nil: never).
    public var stopAtTrainLoss: Double?
    /// Examples per chunk when evaluating a whole data set.
    public var evaluationChunk: Int

    /// Options with the given values; defaults are plain SGD with ε = 0.01, B = 128.
    public init(epochs: Int = 10, batchSize: Int = 128, learningRate: Double = 0.01, momentum: Double = 0,
                nesterov: Bool = false, weightDecay: Double = 0, schedule: LearningRateSchedule = .init(),
                sampling: BatchSampling = .reshuffle, stopAtTrainAccuracy: Double? = nil,
                stopAtTrainLoss: Double? = nil, evaluationChunk: Int = 1000) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.sampling = sampling
        self.stopAtTrainAccuracy = stopAtTrainAccuracy
        self.stopAtTrainLoss = stopAtTrainLoss
        self.evaluationChunk = evaluationChunk
    }

    /// Checks every field against a training set of `trainingSetSize` examples; errors name the
    /// field under `field` (e.g. "training").
    public func validate(field: String, trainingSetSize: Int) throws {
        try requireValid(epochs > 0 && epochs <= ConfigLimits.maxEpochs, field: "\(field).epochs", value: epochs, "must be in 1…\(ConfigLimits.maxEpochs)")
        try requireValid(batchSize > 0, field: "\(field).batch_size", value: batchSize, "must be at least 1")
        if sampling != .fullBatch {
            try requireValid(batchSize <= trainingSetSize, field: "\(field).batch_size", value: batchSize,
                             "is larger than the training set (\(trainingSetSize) examples)")
        }
        try requireValid(learningRate > 0 && learningRate.isFinite, field: "\(field).learning_rate", value: learningRate,
                         "must be a positive number")
        try requireValid(momentum >= 0 && momentum < 1, field: "\(field).momentum", value: momentum, "must be in [0, 1)")
        try requireValid(weightDecay >= 0 && weightDecay.isFinite, field: "\(field).weight_decay", value: weightDecay,
                         "must be non-negative")
        try requireValid(evaluationChunk > 0, field: "\(field).evaluation_chunk", value: evaluationChunk, "must be at least 1")
        if let a = stopAtTrainAccuracy {
            try requireValid(a > 0 && a <= 1, field: "\(field).stop_at_train_accuracy", value: a, "must be in (0, 1]")
        }
        if let l = stopAtTrainLoss {
            try requireValid(l >= 0, field: "\(field).stop_at_train_loss", value: l, "must be non-negative")
        }
        try schedule.validate(field: "\(field).schedule")
    }

    /// Steps per epoch for `n` training examples.
    public func stepsPerEpoch(examples n: Int) -> Int {
        sampling == .fullBatch ? 1 : (n + batchSize - 1) / batchSize
    }
}
