import ImplicitRegCore
import ReadingSupport

extension RandomLabels {
    /// Builds the point's data, trains, and returns its HDF5 document: per-epoch curves, the
    /// labels trained on (and which differ from the true ones), and the summary scalars.
    static func runTraining(_ point: TrainingPoint, config: Config, train trainAll: Dataset<Float>, test testAll: Dataset<Float>,
                            context: RunContext) throws -> HDF5Document {
        let streams = context.streams
        var (train, test) = try subsets(point.dataset, trainSize: point.trainSize ?? config.trainSize, config: config,
                                        train: trainAll, test: testAll, streams: streams)
        let trueLabels = train.labels
        var labelsChanged = 0
        var labelRNG = streams.stream(.labels)
        var inputRNG = streams.stream(.inputs)
        switch point.condition {
        case .trueLabels:
            break
        case .randomLabels, .corruptedLabels:
            (train, labelsChanged) = train.corruptingLabels(fraction: point.corruption, using: &labelRNG)
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
        // Identical training images with different labels cap the training accuracy below 1 (random
        // labels split a few duplicated Fashion-MNIST images once N is large).
        let achievable = train.bestAchievableAccuracy, duplicated = train.duplicatedInputCount
        var standardization: (mean: [Double], divisor: [Double])?
        if config.standardize {
            let stats = train.featureMoments()
            train = train.standardized(mean: stats.mean, sd: stats.sd)
            test = test.standardized(mean: stats.mean, sd: stats.sd)
            standardization = (stats.mean, stats.sd.map { $0 + 1e-3 })
        }

        let reg = config.regularization
        var layers: [any Layer<Float>] = point.model.layers(shape: train.exampleShape, classes: train.classCount)
        if point.regularizer == .dropout { layers = withDropout(layers, rate: reg.dropoutRate, streams: streams) }
        let model = Sequential<Float>(layers, loss: SoftmaxCrossEntropy())
        var initRNG = streams.stream(.initialization)
        model.initialize(config.initializer, using: &initRNG)
        var options = config.training
        if let epochs = point.epochs { options.epochs = epochs }
        if let stop = point.stopAtTrainAccuracy { options.stopAtTrainAccuracy = stop }
        if let regularizer = point.regularizer {
            if point.condition == .trueLabels {
                options.epochs = reg.epochs
                options.stopAtTrainAccuracy = nil
            }
            if regularizer == .weightDecay { options.weightDecay = reg.weightDecay }
        }
        let trainer = Trainer(model: model, options: options, shuffle: streams.stream(.shuffle))
        if point.regularizer == .shift {
            let shift = ShiftAugmentation<Float>(shape: train.exampleShape, maxShift: reg.maxShift, mean: standardization?.mean,
                                                 divisor: standardization?.divisor, rng: streams.stream("augmentation"))
            trainer.batchTransform = { x, n in shift.apply(x, batch: n) }
        }
        let history = try trainer.train(train, test: test, progress: context.progress.epoch)

        var doc = HDF5Document()
        doc.addCurves(history)
        doc.setAttribute("model", .string(model.summary), on: "/curves")
        doc.setAttribute("stop_reason", .string(history.stopReason), on: "/curves")
        doc.addDataset("/labels/train_labels", .int32(train.labels), units: "class",
                       description: "the training labels trained on (after corruption), in training-set order")
        doc.addDataset("/labels/true_train_labels", .int32(trueLabels), units: "class",
                       description: "the true training labels, in training-set order")
        doc.addDataset("/labels/changed", .int32(zip(train.labels, trueLabels).map { $0 == $1 ? 0 : 1 }), units: "1",
                       description: "1 where the trained-on label differs from the true one (a resampled label may keep its class)")
        let best = history.testAccuracy.max() ?? .nan
        let bestEpoch = history.testAccuracy.firstIndex(of: best).map { history.epoch[$0] } ?? 0
        let scalars: [(String, Double, String, String)] = [
            ("final_train_accuracy", history.trainAccuracy.last ?? 0, "fraction", "training accuracy (on the labels trained on) at the last epoch"),
            ("final_test_accuracy", history.testAccuracy.last ?? 0, "fraction", "test accuracy (true labels) at the last epoch"),
            ("best_test_accuracy", best, "fraction", "highest test accuracy over the epochs (what early stopping on the test set could get)"),
            ("best_test_epoch", Double(bestEpoch), "epochs", "first epoch with the highest test accuracy"),
            ("epochs_to_99", history.firstEpoch(trainAccuracyAtLeast: 0.99).map(Double.init) ?? .nan, "epochs",
             "first epoch with training accuracy ≥ 0.99 (NaN if never)"),
            ("epochs_to_100", history.firstEpoch(trainAccuracyAtLeast: 1).map(Double.init) ?? .nan, "epochs",
             "first epoch with training accuracy = 1 (NaN if never)"),
            ("epochs_to_999", history.firstEpoch(trainAccuracyAtLeast: 0.999).map(Double.init) ?? .nan, "epochs",
             "first epoch with training accuracy ≥ 0.999 (NaN if never)"),
            ("best_achievable_train_accuracy", achievable, "fraction",
             "highest training accuracy any classifier can reach: identical training images with different labels cannot all be fitted"),
            ("duplicated_train_images", Double(duplicated), "examples", "training images identical to another training image (every copy counted)"),
            ("epochs_run", Double(history.epoch.last ?? 0), "epochs", "epochs trained (the cap, \(options.epochs), if training accuracy never reached the stop)"),
            ("corruption", point.corruption, "probability", "probability p with which each training label was resampled uniformly"),
            ("labels_changed", Double(labelsChanged), "examples", "training labels that differ from the true ones (≈ 0.9·p·N)"),
            ("train_size", Double(train.count), "examples", "training examples N"),
            ("test_size", Double(test.count), "examples", "test examples"),
            ("parameter_count", Double(model.parameterCount), "parameters", "trainable parameters of the model"),
            ("weight_decay", options.weightDecay, "1", "weight decay coefficient on the weights"),
        ]
        for (name, value, units, description) in scalars {
            doc.addScalar("/summary/\(name)", value, units: units, description: description)
        }
        return doc
    }

    /// `layers` with a ``Dropout`` inserted after every ReLU that feeds a dense layer (the hidden
    /// layers of an MLP, the dense hidden layer of the CNN); layer i's masks come from the
    /// stream "dropout/i".
    static func withDropout(_ layers: [any Layer<Float>], rate: Double, streams: RandomStreams) -> [any Layer<Float>] {
        var out: [any Layer<Float>] = []
        for (i, layer) in layers.enumerated() {
            out.append(layer)
            if layer is ReLU<Float>, i + 1 < layers.count, layers[i + 1] is Dense<Float> {
                out.append(Dropout<Float>(layer.outputSize, rate: rate, rng: streams.stream("dropout/\(i)")))
            }
        }
        return out
    }

    /// The training and test subsets: a stratified subset of Fashion-MNIST's training set and its
    /// first test images, or a seeded split of MNIST-5k (test: the last images of the shuffle).
    static func subsets(_ dataset: DatasetName, trainSize: Int, config: Config, train: Dataset<Float>, test: Dataset<Float>,
                        streams: RandomStreams) throws -> (Dataset<Float>, Dataset<Float>) {
        var rng = streams.stream(.subset)
        let testSize = config.testSize(dataset, trainSize: trainSize)
        switch dataset {
        case .fashionMNIST:
            let trainSubset = try train.stratifiedSubset(count: trainSize, field: "train_size", using: &rng)
            let testSubset = try test.first(testSize, field: "test_size")
            return (trainSubset, testSubset)
        case .mnist5k:
            let (first, rest) = try train.split(first: trainSize, field: "train_size", using: &rng)
            return (first, try rest.last(testSize, field: "test_size"))
        }
    }

    /// Theorem 1: n points x_i ~ N(0, I_d) rounded to float32 (stream "theorem/points"), targets y_i ~ N(0, 1)
    /// ("theorem/targets"), the interpolant's direction from "theorem/direction"; evaluates the
    /// network itself (not the triangular system) at the points. Stores the points, targets and
    /// weights, so f(x_i) − y_i can be recomputed from the file alone.
    static func runTheorem(_ point: TheoremPoint, config: Config, context: RunContext) throws -> HDF5Document {
        let streams = context.streams
        var pointRNG = streams.stream("theorem/points")
        var targetRNG = streams.stream("theorem/targets")
        var directionRNG = streams.stream("theorem/direction")
        // x_i are rounded to float32 (then widened: exact), so the file stores them exactly at half the size.
        let X = Matrix<Double>(rows: point.n, cols: point.d, storage: (0..<(point.n * point.d)).map { _ in Double(Float(pointRNG.nextNormal())) })
        let y = (0..<point.n).map { _ in targetRNG.nextNormal() }
        let (net, diagnostics) = try ProjectionReLUInterpolant.fit(points: X, targets: y, theta: point.theta, using: &directionRNG)
        let f = net(X)
        let maxAbs = zip(f, y).map { abs($0 - $1) }.max() ?? .nan
        context.progress.say("\(point.name): max |f(x_i) − y_i| = \(maxAbs), \(net.parameterCount) weights")
        var doc = HDF5Document()
        // Draws are sequential per stream, so the constructions of one seed share a prefix: the
        // same y_1…y_min(n, n') for every size, and for equal d the same x_1…x_min(n, n') and a.
        let sameSeed = points(config).compactMap { p -> TheoremPoint? in
            guard case let .theorem(other) = p, other.seed == point.seed, other.name != point.name else { return nil }
            return other
        }
        let shared = "any other Theorem 1 point of this seed (listed in the /theorem attribute shares_draws_with) has the same first min(n, n′)"
        doc.addDataset("/theorem/points", .float(X.storage.map { Float($0) }), shape: [point.n, point.d], units: "1",
                       description: "the points x_i ~ N(0, I_d) rounded to float32 (the construction uses exactly these values, widened to float64), one per row (n × d), in generation order (stream theorem/points, row by row); \(shared) rows if its d is the same")
        doc.addDataset("/theorem/targets", .double(y), units: "1",
                       description: "the targets y_i ~ N(0, 1), in the order of the rows of /theorem/points (stream theorem/targets); \(shared) targets whatever its d")
        if !sameSeed.isEmpty {
            doc.setAttribute("shares_draws_with", .string(sameSeed.map { other in
                "\(other.name) (\(other.d == point.d ? "x_i, y_i and a" : "y_i")\(other.n == point.n ? "" : ", first \(min(other.n, point.n))"))"
            }.joined(separator: "; ")), on: "/theorem")
        }
        doc.setAttribute("network", .string("f(x) = Σ_j w_j max(⟨a, x⟩ − b_j, 0), a = direction, b = thresholds, w = weights; residuals = f(x_i) − y_i"), on: "/theorem")
        doc.addDataset("/theorem/direction", .double(net.direction), units: "1", description: "the unit projection direction a")
        doc.addDataset("/theorem/thresholds", .double(net.thresholds), units: "1", description: "the thresholds b_j, increasing")
        doc.addDataset("/theorem/weights", .double(net.weights), units: "1", description: "the output weights w_j")
        doc.addDataset("/theorem/residuals", .double(zip(f, y).map { $0 - $1 }), units: "1",
                       description: "f(x_i) − y_i at every point, in generation order")
        let scalars: [(String, Double, String, String)] = [
            ("n", Double(point.n), "points", "number of points n"),
            ("d", Double(point.d), "dimensions", "input dimension d"),
            ("theta", point.theta, "1", "threshold fraction θ"),
            ("parameter_count", Double(net.parameterCount), "weights", "weights of the network (d + 2n by construction)"),
            ("max_abs_residual", maxAbs, "1", "max_i |f(x_i) − y_i|, targets ~ N(0, 1)"),
            ("relative_residual", maxAbs / diagnostics.sumScale, "1", "max_i |f(x_i) − y_i| / max_i Σ_j |A_ij w_j| (backward-error scale)"),
            ("nonzeros_above_diagonal", Double(diagnostics.nonzerosAboveDiagonal), "entries", "entries of A above the diagonal that are not exactly 0"),
            ("smallest_gap", diagnostics.smallestGap, "1", "smallest gap between sorted projections"),
            ("smallest_diagonal", diagnostics.smallestDiagonal, "1", "smallest diagonal entry of A (its smallest eigenvalue)"),
            ("max_abs_weight", net.weights.map(abs).max() ?? .nan, "1", "largest |w_j|"),
        ]
        for (name, value, units, description) in scalars {
            doc.addScalar("/summary/\(name)", value, units: units, description: description)
        }
        return doc
    }
}
