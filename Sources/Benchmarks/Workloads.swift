import ImplicitRegCore

/// The shapes every implementation (core, NumPy, JAX, PyTorch) times; bench/reference.py repeats them.
enum ReferenceShapes {
    /// The reference MLP 784-512-512-10 (ReLU, softmax cross-entropy).
    static let mlpInput = 784
    static let mlpHidden = [512, 512]
    static let mlpClasses = 10
    /// Examples in the synthetic training set of `mlp-epoch`.
    static let trainingExamples = 5_000
    /// Plain SGD's learning rate (momentum 0).
    static let learningRate = 0.01
    /// The depth-3 matrix factorization: a deep linear net of 100×100 layers on identity inputs.
    static let factorizationDimension = 100
    static let factorizationDepth = 3
    /// The batch of the Hessian-vector product.
    static let hvpBatch = 128

    /// The random-labels reading's CNN (its `cnn-8-16` extra run): 1×28×28 images, filters 8 and
    /// 16, a dense head of 64, trained on 4,000 examples in batches of 128 with momentum 0.9.
    static let cnnImage = (channels: 1, height: 28, width: 28)
    static let cnnFilters = (8, 16)
    static let cnnHidden = 64
    static let cnnTrainingExamples = 4_000

    /// Weights of an MLP 784-hidden-10: 784·512 + 512·512 + 512·10 = 668,672 for the reference net
    /// (plus 1,034 biases).
    static func mlpWeightCount(hidden: [Int] = mlpHidden) -> Int {
        let widths = [mlpInput] + hidden + [mlpClasses]
        return zip(widths, widths.dropFirst()).map { $0 * $1 }.reduce(0, +)
    }
}

/// The bench's random data, drawn from the project PRNG (named streams of one seed).
enum SyntheticInputs {
    /// `rows`×`cols` standard normal inputs and `classes`-way uniform labels: the same recipe as
    /// bench/reference.py (values differ — different generators — shapes and distributions do not).
    static func classification<T: BLASScalar>(rows: Int, cols: Int, classes: Int, seed: UInt64,
                                              as: T.Type = T.self) -> Dataset<T> {
        let streams = RandomStreams(seed: seed)
        var inputs = streams.stream(.inputs)
        var labels = streams.stream(.labels)
        let x = (0..<(rows * cols)).map { _ in T(inputs.nextNormal()) }
        let y = (0..<rows).map { _ in Int32(labels.nextInt(below: classes)) }
        return Dataset(name: "synthetic/bench", inputs: Matrix(rows: rows, cols: cols, storage: x),
                       labels: y, classCount: classes)
    }

    /// `count` standard normal values.
    static func normals<T: BLASScalar>(_ count: Int, stream: String, seed: UInt64, as: T.Type = T.self) -> [T] {
        var rng = RandomStreams(seed: seed).stream(stream)
        return (0..<count).map { _ in T(rng.nextNormal()) }
    }

    /// A 784-`hidden`-10 ReLU MLP (default: the reference net) with He-normal weights and zero
    /// biases from the "init" stream.
    static func mlp<T: BLASScalar>(hidden: [Int] = ReferenceShapes.mlpHidden, seed: UInt64,
                                   as: T.Type = T.self) -> Sequential<T> {
        let model = Sequential<T>(
            Architectures.mlp(input: ReferenceShapes.mlpInput, hidden: hidden,
                              output: ReferenceShapes.mlpClasses, activation: .relu),
            loss: SoftmaxCrossEntropy<T>())
        var rng = RandomStreams(seed: seed).stream(.initialization)
        model.initialize(Initializer(.he, .normal), using: &rng)
        return model
    }

    /// The random-labels CNN with He-normal weights and zero biases from the "init" stream.
    static func cnn<T: BLASScalar>(seed: UInt64, as: T.Type = T.self) -> Sequential<T> {
        let image = ReferenceShapes.cnnImage
        let model = Sequential<T>(
            Architectures.smallCNN(channels: image.channels, height: image.height, width: image.width,
                                   classes: ReferenceShapes.mlpClasses, filters: ReferenceShapes.cnnFilters,
                                   hidden: ReferenceShapes.cnnHidden),
            loss: SoftmaxCrossEntropy<T>())
        var rng = RandomStreams(seed: seed).stream(.initialization)
        model.initialize(Initializer(.he, .normal), using: &rng)
        return model
    }
}
