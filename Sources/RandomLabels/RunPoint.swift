import ImplicitRegCore
import ReadingSupport

extension RandomLabels {
    /// Builds the point's data, trains, and returns its HDF5 document and summary numbers.
    static func runPoint(_ point: PointSpec, config: Config, train trainAll: Dataset<Float>, test testAll: Dataset<Float>,
                         context: RunContext) throws -> (HDF5Document, PointResult) {
        let streams = context.streams(seed: point.seed)
        var (train, test) = subsets(config, train: trainAll, test: testAll, streams: streams)
        var labelsChanged = 0
        var labelRNG = streams.stream(.labels)
        var inputRNG = streams.stream(.inputs)
        switch point.condition {
        case .trueLabels:
            break
        case .randomLabels:
            (train, labelsChanged) = train.corruptingLabels(fraction: 1, using: &labelRNG)
        case .shuffledPixels:
            let permutation = inputRNG.permutation(train.featureCount)
            train = train.shufflingPixels(permutation: permutation)
            test = test.shufflingPixels(permutation: permutation)
        case .randomPixels:
            train = train.randomizingPixels(using: &inputRNG)
            test = test.randomizingPixels(using: &inputRNG)
        case .gaussian:
            let moments = train.pixelMoments()
            train = train.replacingWithGaussian(mean: moments.mean, variance: moments.variance, using: &inputRNG)
            test = test.replacingWithGaussian(mean: moments.mean, variance: moments.variance, using: &inputRNG)
        }
        if config.standardize {
            let stats = train.featureMoments()
            train = train.standardized(mean: stats.mean, sd: stats.sd)
            test = test.standardized(mean: stats.mean, sd: stats.sd)
        }

        let model = Sequential<Float>(point.model.layers(shape: train.exampleShape, classes: train.classCount),
                                      loss: SoftmaxCrossEntropy())
        var initRNG = streams.stream(.initialization)
        model.initialize(config.initializer, using: &initRNG)
        let trainer = Trainer(model: model, options: config.training, shuffle: streams.stream(.shuffle))
        let history = try trainer.train(train, test: test, progress: context.progress.epoch)

        let result = PointResult(
            spec: point,
            finalTrainAccuracy: history.trainAccuracy.last ?? 0,
            finalTestAccuracy: history.testAccuracy.last ?? 0,
            epochsTo99: history.firstEpoch(trainAccuracyAtLeast: 0.99).map(Double.init) ?? .nan,
            epochsTo100: history.firstEpoch(trainAccuracyAtLeast: 1).map(Double.init) ?? .nan,
            epochsRun: history.finalEpoch)

        var doc = HDF5Document()
        doc.addCurves(history)
        doc.setAttribute("model", .string(model.summary), on: "/curves")
        doc.setAttribute("stop_reason", .string(history.stopReason), on: "/curves")
        doc.addScalar("/summary/final_train_accuracy", result.finalTrainAccuracy, units: "fraction",
                      description: "training accuracy (on the labels trained on) at the last epoch")
        doc.addScalar("/summary/final_test_accuracy", result.finalTestAccuracy, units: "fraction",
                      description: "test accuracy (true labels) at the last epoch")
        doc.addScalar("/summary/epochs_to_99", result.epochsTo99, units: "epochs",
                      description: "first epoch with training accuracy ≥ 0.99 (NaN if never)")
        doc.addScalar("/summary/epochs_to_100", result.epochsTo100, units: "epochs",
                      description: "first epoch with training accuracy = 1 (NaN if never)")
        doc.addScalar("/summary/labels_changed", Double(labelsChanged), units: "examples",
                      description: "training labels that differ from the true ones after randomisation (≈ 0.9·N for random labels)")
        doc.addScalar("/summary/train_size", Double(train.count), units: "examples", description: "training examples N")
        doc.addScalar("/summary/parameter_count", Double(model.parameterCount), units: "parameters",
                      description: "trainable parameters of the model")
        return (doc, result)
    }

    /// The training and test subsets: a stratified subset of Fashion-MNIST's training set and its
    /// first test images, or a seeded split of MNIST-5k.
    static func subsets(_ config: Config, train: Dataset<Float>, test: Dataset<Float>,
                        streams: RandomStreams) -> (Dataset<Float>, Dataset<Float>) {
        var rng = streams.stream(.subset)
        switch config.dataset {
        case .fashionMNIST:
            let trainSubset = train.stratifiedSubset(count: config.trainSize, using: &rng)
            let testSubset = test.subset(Array(0..<config.testSize))
            return (trainSubset, testSubset)
        case .mnist5k:
            let (first, rest) = train.split(first: config.trainSize, using: &rng)
            return (first, rest.subset(Array((rest.count - config.testSize)..<rest.count)))
        }
    }
}
