import ImplicitRegCore
import ReadingSupport

/// One randomisation of the data (Zhang et al. 2017, §2.1).
enum Condition: String, Codable, CaseIterable, Sendable {
    /// The real labels.
    case trueLabels = "true-labels"
    /// Every training label replaced by a uniformly random class (fixed across epochs).
    case randomLabels = "random-labels"
    /// Each training label, with probability p, replaced by a uniformly random class (the
    /// corruption sweep; p = 0 and p = 1 are the true and random labels).
    case corruptedLabels = "corrupted-labels"
    /// One fixed pixel permutation applied to every train and test image.
    case shuffledPixels = "shuffled-pixels"
    /// A fresh pixel permutation for each image.
    case randomPixels = "random-pixels"
    /// Images replaced by Gaussian noise with the training set's pixel mean and variance.
    case gaussian
}

/// An explicit regularizer of the regularization experiment (Zhang et al. 2017, §3, Table 1).
enum Regularizer: String, Codable, CaseIterable, Sendable {
    /// None, trained for the same fixed number of epochs as the others (the baseline).
    case none
    /// L2 weight decay on the weights (not the biases).
    case weightDecay = "weight-decay"
    /// Dropout after every hidden ReLU that feeds a dense layer.
    case dropout
    /// Random ±s-pixel translations of each training image, drawn per batch.
    case shift
}

/// The data set and how much of it.
enum DatasetName: String, Codable, Sendable {
    case fashionMNIST = "fashion-mnist"
    case mnist5k = "mnist-5k"
}

/// The corruption sweep (Fig. 1b, 1c): the levels p strictly between 0 and 1 (p = 0 and p = 1
/// are the true-labels and random-labels runs of the main grid) and the models it runs for.
struct CorruptionSweep: Codable, Sendable {
    var levels: [Double]
    /// Names from `models`.
    var models: [String]
}

/// The explicit-regularization experiment (Table 1).
struct RegularizationExperiment: Codable, Sendable {
    /// Names from `models`.
    var models: [String]
    /// Regularizers run on the true labels (include `none`, the baseline).
    var variants: [Regularizer]
    /// Regularizers run on random labels (their §3: do the MLPs still fit with weight decay on?);
    /// these stop at 100 % training accuracy within `training.epochs`.
    var randomLabels: [Regularizer]
    /// Fixed number of epochs of the true-label runs (no early stop, so every variant gets the same budget).
    var epochs: Int
    var weightDecay: Double
    var dropoutRate: Double
    /// Largest shift s in pixels.
    var maxShift: Int
}

/// Runs of one extra model (the CNN) on a subset of the grid, to keep its cost in budget.
struct ExtraRuns: Codable, Sendable {
    var model: ModelSpec
    var datasets: [DatasetName]
    /// Offsets added to `seed`, like `seeds`.
    var seeds: [UInt64]
    var conditions: [Condition]
    /// Corruption levels 0 < p < 1 run as well (Fig. 1b, 1c for this model); absent: none.
    var corruptionLevels: [Double]?
}

/// Fitting against the training-set size N (the paper fits all 50,000 CIFAR-10 images; the main
/// grid stops at `train_size`): one model on one data set at several N, each with its own epoch cap.
struct SizeSweep: Codable, Sendable {
    var dataset: DatasetName
    /// A name from `models`.
    var model: String
    /// Training-set sizes N, increasing.
    var trainSizes: [Int]
    /// Offsets added to `seed`, like `seeds`.
    var seeds: [UInt64]
    /// `true-labels` and/or `random-labels`.
    var conditions: [Condition]
    /// Epoch cap of these runs (instead of `training.epochs`).
    var epochs: Int
    /// Training accuracy these runs stop at (instead of `training.stop_at_train_accuracy`): below 1,
    /// because at large N random labels split a few identical images, which nothing can fit.
    var stopAtTrainAccuracy: Double
}

/// Sizes of the Theorem 1 construction (Appendix C): n Gaussian points in ℝ^d with Gaussian targets.
struct TheoremSizes: Codable, Sendable {
    var n: Int
    var d: Int
    /// Offsets added to `seed`.
    var seeds: [UInt64]
}

/// The Theorem 1 check: sizes and the threshold fraction θ.
struct TheoremExperiment: Codable, Sendable {
    var sizes: [TheoremSizes]
    var theta: Double
}

/// The random-labels reading's configuration (every hyperparameter named; see configs/*.json).
struct RandomLabelsConfig: ReadingConfig {
    var seed: UInt64
    /// Extra seeds to repeat every point with (the grid runs `seed` + each offset).
    var seeds: [UInt64]
    var datasets: [DatasetName]
    /// Training examples N (stratified subset for Fashion-MNIST; first N of a seeded shuffle for MNIST-5k).
    var trainSize: Int
    /// Test examples (Fashion-MNIST: the first ones of the test set; MNIST-5k: the last ones of the
    /// shuffle, at most 5000 − N).
    var testSize: Int
    /// Per-feature standardisation with training statistics (sd + 1e-3).
    var standardize: Bool
    var models: [ModelSpec]
    /// The randomisations of §2.1, run for every model, dataset and seed.
    var conditions: [Condition]
    var corruption: CorruptionSweep
    var regularization: RegularizationExperiment
    var extraRuns: [ExtraRuns]
    /// Random-label fitting against N (optional; absent: not run).
    var sizeSweep: SizeSweep?
    var theorem: TheoremExperiment
    var initializer: Initializer
    var training: TrainingOptions

    /// Test examples for `dataset` with N training examples (MNIST-5k holds 5000 − N after them).
    func testSize(_ dataset: DatasetName, trainSize: Int? = nil) -> Int {
        dataset == .mnist5k ? min(testSize, 5_000 - (trainSize ?? self.trainSize)) : testSize
    }

    func validate() throws {
        try requireValid(!seeds.isEmpty, field: "seeds", value: seeds, "must list at least one seed")
        try requireValid(!datasets.isEmpty, field: "datasets", value: datasets, "must list at least one data set")
        try requireValid(trainSize > 0, field: "train_size", value: trainSize, "must be positive")
        try requireValid(testSize > 0, field: "test_size", value: testSize, "must be positive")
        for dataset in datasets {
            let available = dataset == .fashionMNIST ? 60_000 : 4_900
            try requireValid(trainSize <= available, field: "train_size", value: trainSize,
                             "is larger than the \(available) training images \(dataset.rawValue) can give")
        }
        if datasets.contains(.fashionMNIST) {
            try requireValid(testSize <= 10_000, field: "test_size", value: testSize, "exceeds fashion-mnist's 10000 test images")
        }
        try requireValid(!models.isEmpty, field: "models", value: models.count, "must list at least one model")
        for (i, m) in models.enumerated() { try m.validate(field: "models[\(i)]") }
        let names = models.map(\.name) + extraRuns.map(\.model.name)
        try requireValid(Set(names).count == names.count, field: "models", value: names, "names (with extra_runs) must be distinct")
        try requireValid(!conditions.contains(.corruptedLabels), field: "conditions", value: conditions,
                         "list corrupted labels under corruption.levels, not as a condition")
        for (i, p) in corruption.levels.enumerated() {
            try requireValid(p > 0 && p < 1, field: "corruption.levels[\(i)]", value: p,
                             "must be strictly between 0 and 1 (p = 0 and 1 are the true-labels and random-labels conditions)")
        }
        for name in corruption.models + regularization.models {
            try requireValid(models.contains { $0.name == name }, field: "corruption.models / regularization.models", value: name,
                             "is not the name of a model in models")
        }
        if !corruption.levels.isEmpty {
            try requireValid(conditions.contains(.trueLabels) && conditions.contains(.randomLabels), field: "conditions",
                             value: conditions, "must include true-labels and random-labels (p = 0 and 1) when corruption.levels is set")
        }
        let r = regularization
        try requireValid(r.epochs > 0 && r.epochs <= ConfigLimits.maxEpochs, field: "regularization.epochs", value: r.epochs, "must be in 1…\(ConfigLimits.maxEpochs)")
        try requireValid(r.weightDecay >= 0, field: "regularization.weight_decay", value: r.weightDecay, "must be non-negative")
        try requireValid(r.dropoutRate >= 0 && r.dropoutRate < 1, field: "regularization.dropout_rate", value: r.dropoutRate, "must be in [0, 1)")
        try requireValid(r.maxShift >= 0 && r.maxShift < 14, field: "regularization.max_shift", value: r.maxShift, "must be in [0, 14) pixels")
        if !r.models.isEmpty && !(r.variants.isEmpty && r.randomLabels.isEmpty) {
            try requireValid(r.variants.contains(.none), field: "regularization.variants", value: r.variants,
                             "must include none (the baseline the others are compared with)")
        }
        for (i, extra) in extraRuns.enumerated() {
            try extra.model.validate(field: "extra_runs[\(i)].model")
            try requireValid(!extra.seeds.isEmpty && !extra.conditions.isEmpty && !extra.datasets.isEmpty,
                             field: "extra_runs[\(i)]", value: extra.model.name, "needs datasets, seeds and conditions")
            try requireValid(!extra.conditions.contains(.corruptedLabels), field: "extra_runs[\(i)].conditions",
                             value: extra.conditions, "cannot hold corrupted-labels (list them under corruption_levels)")
            for (k, p) in (extra.corruptionLevels ?? []).enumerated() {
                try requireValid(p > 0 && p < 1, field: "extra_runs[\(i)].corruption_levels[\(k)]", value: p,
                                 "must be strictly between 0 and 1 (p = 0 and 1 are the true-labels and random-labels conditions)")
            }
        }
        if let sweep = sizeSweep {
            try requireValid(models.contains { $0.name == sweep.model }, field: "size_sweep.model", value: sweep.model,
                             "is not the name of a model in models")
            try requireValid(!sweep.trainSizes.isEmpty && !sweep.seeds.isEmpty, field: "size_sweep", value: sweep.trainSizes,
                             "needs train_sizes and seeds")
            try requireValid(zip(sweep.trainSizes, sweep.trainSizes.dropFirst()).allSatisfy { $0 < $1 }, field: "size_sweep.train_sizes",
                             value: sweep.trainSizes, "must be increasing")
            let available = sweep.dataset == .fashionMNIST ? 60_000 : 4_000
            for (k, n) in sweep.trainSizes.enumerated() {
                try requireValid(n >= training.batchSize && n <= available, field: "size_sweep.train_sizes[\(k)]", value: n,
                                 "must be in training.batch_size…\(available) for \(sweep.dataset.rawValue)")
            }
            try requireValid(!sweep.conditions.isEmpty && sweep.conditions.allSatisfy { $0 == .trueLabels || $0 == .randomLabels },
                             field: "size_sweep.conditions", value: sweep.conditions, "must list true-labels and/or random-labels")
            try requireValid(sweep.epochs > 0 && sweep.epochs <= ConfigLimits.maxEpochs, field: "size_sweep.epochs", value: sweep.epochs,
                             "must be in 1…\(ConfigLimits.maxEpochs)")
            try requireValid(sweep.stopAtTrainAccuracy > 0 && sweep.stopAtTrainAccuracy <= 1, field: "size_sweep.stop_at_train_accuracy",
                             value: sweep.stopAtTrainAccuracy, "must be in (0, 1]")
        }
        for (i, s) in theorem.sizes.enumerated() {
            try requireValid(s.n >= 2 && s.d >= 1 && !s.seeds.isEmpty, field: "theorem.sizes[\(i)]", value: "n=\(s.n) d=\(s.d)",
                             "needs n ≥ 2 points, d ≥ 1 and at least one seed")
        }
        try requireValid(theorem.theta > 0 && theorem.theta < 1, field: "theorem.theta", value: theorem.theta, "must be in (0, 1)")
        try requireValid(initializer.scale > 0, field: "initializer.scale", value: initializer.scale, "must be positive")
        try training.validate(field: "training", trainingSetSize: trainSize)
    }
}
