import ImplicitRegCore
import ReadingSupport

/// One randomisation of the data (Zhang et al. 2017, §2.1).
enum Condition: String, Codable, CaseIterable, Sendable {
    /// The real labels.
    case trueLabels = "true-labels"
    /// Every training label replaced by a uniformly random class (fixed across epochs).
    case randomLabels = "random-labels"
    /// One fixed pixel permutation applied to every train and test image.
    case shuffledPixels = "shuffled-pixels"
    /// A fresh pixel permutation for each image.
    case randomPixels = "random-pixels"
    /// Images replaced by Gaussian noise with the training set's pixel mean and variance.
    case gaussian
}

/// The data set and how much of it.
enum DatasetName: String, Codable, Sendable {
    case fashionMNIST = "fashion-mnist"
    case mnist5k = "mnist-5k"
}

/// The random-labels reading's configuration (every hyperparameter named; see configs/*.json).
struct RandomLabelsConfig: ReadingConfig {
    var seed: UInt64
    /// Extra seeds to repeat every point with (the grid runs `seed` + each offset).
    var seeds: [UInt64]
    var dataset: DatasetName
    /// Training examples N (stratified subset for Fashion-MNIST; first N of a seeded shuffle for MNIST-5k).
    var trainSize: Int
    /// Test examples (Fashion-MNIST: the first ones of the test set; MNIST-5k: the last ones of the shuffle).
    var testSize: Int
    /// Per-feature standardisation with training statistics (sd + 1e-3).
    var standardize: Bool
    var models: [ModelSpec]
    var conditions: [Condition]
    var initializer: Initializer
    var training: TrainingOptions

    func validate() throws {
        try requireValid(!seeds.isEmpty, field: "seeds", value: seeds, "must list at least one seed")
        try requireValid(trainSize > 0, field: "train_size", value: trainSize, "must be positive")
        try requireValid(testSize > 0, field: "test_size", value: testSize, "must be positive")
        let available = dataset == .fashionMNIST ? (60_000, 10_000) : (5_000, 5_000)
        try requireValid(trainSize <= available.0, field: "train_size", value: trainSize,
                         "is larger than \(dataset.rawValue)'s \(available.0) training images")
        if dataset == .mnist5k {
            try requireValid(trainSize + testSize <= 5_000, field: "test_size", value: testSize,
                             "plus train_size exceeds MNIST-5k's 5000 images")
        } else {
            try requireValid(testSize <= available.1, field: "test_size", value: testSize, "exceeds the 10000 test images")
        }
        try requireValid(!models.isEmpty, field: "models", value: models.count, "must list at least one model")
        for (i, m) in models.enumerated() { try m.validate(field: "models[\(i)]") }
        try requireValid(Set(models.map(\.name)).count == models.count, field: "models", value: models.map(\.name), "names must be distinct")
        try requireValid(!conditions.isEmpty, field: "conditions", value: conditions, "must list at least one condition")
        try requireValid(initializer.scale > 0, field: "initializer.scale", value: initializer.scale, "must be positive")
        try training.validate(field: "training", trainingSetSize: trainSize)
    }
}
