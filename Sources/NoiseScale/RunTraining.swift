import Foundation
import ImplicitRegCore
import ReadingSupport

extension NoiseScale {
    /// The training set of N examples and the test set of a point.
    static func trainingData(_ point: TrainingPoint, config: Config, context: RunContext) throws -> (Dataset<Float>, Dataset<Float>) {
        var rng = context.streams.stream(.subset)
        switch point.dataset {
        case .mnist5k:
            // One shuffle by the experiment seed: a pool to draw training sets from and a fixed test set.
            let (pool, test) = try context.cached("noise-scale/mnist-5k-pool") { () throws -> (Dataset<Float>, Dataset<Float>) in
                let all = try MNIST5k.load(from: context.data, as: Float.self)
                var split = context.gridStreams.stream("pool-split")
                let (pool, rest) = try all.split(first: config.network.poolSize, field: "network.pool_size", using: &split)
                return (pool, try rest.last(config.network.testSize, field: "network.test_size"))
            }
            return (try pool.split(first: point.trainSize, field: "sweeps[].train_sizes", using: &rng).first, test)
        case .fashionMNIST:
            let (train, test) = try context.cached("noise-scale/fashion-mnist") { try FashionMNIST.load(from: context.data, as: Float.self) }
            return (try train.stratifiedSubset(count: point.trainSize, field: "sweeps[].train_sizes", using: &rng),
                    try test.first(config.network.fashionTestSize, field: "network.fashion_test_size"))
        }
    }

    /// One SGD run at fixed ε, m, B, N for E epochs, or more to reach the point's minimum number of
    /// updates; evaluated at the point's evaluation epochs and at the end.
    /// A run whose loss or weights become NaN/∞ is recorded as diverged with chance accuracy.
    static func runTraining(_ point: TrainingPoint, config: Config, context: RunContext) throws -> HDF5Document {
        let (train, test) = try trainingData(point, config: config, context: context)
        let streams = context.streams
        let model = Sequential<Float>(Architectures.mlp(input: train.featureCount, hidden: point.hidden, output: train.classCount),
                                      loss: SoftmaxCrossEntropy())
        var initRNG = streams.stream(.initialization)
        model.initialize(config.network.initializer, using: &initRNG)
        let options = TrainingOptions(epochs: point.epochsRun, batchSize: point.batchSize, learningRate: point.learningRate,
                                      momentum: point.momentum, weightDecay: point.weightDecay,
                                      evaluationChunk: config.network.evaluationChunk)
        let trainer = Trainer(model: model, options: options, shuffle: streams.stream(.shuffle))
        // Evaluations spread over the run: the curves, the best training loss and the plateau
        // measure (test accuracy's change over the last fifth of the run) come from them.
        let chunk = config.network.evaluationChunk
        var curveEpochs: [Double] = [], curveTrainLoss: [Double] = [], curveTrainAccuracy: [Double] = [], curveTestAccuracy: [Double] = []
        var divergedAtEpoch = 0
        let checkpoints = point.evaluations == nil ? [] : Set(point.evaluationEpochs)
        do {
            for epoch in 1...point.epochsRun {
                try trainer.trainEpoch(train, epoch: epoch)
                guard checkpoints.contains(epoch) else { continue }
                let tr = model.evaluate(train, chunk: chunk), te = model.evaluate(test, chunk: chunk)
                guard tr.loss.isFinite, te.loss.isFinite else { divergedAtEpoch = epoch; break }
                curveEpochs.append(Double(epoch)); curveTrainLoss.append(tr.loss)
                curveTrainAccuracy.append(tr.accuracy); curveTestAccuracy.append(te.accuracy)
            }
        } catch let TrainingError.diverged(epoch, _, _, _) {
            divergedAtEpoch = epoch
        }
        let chance = 1 / Double(train.classCount)
        var trainEval = (loss: Double.nan, accuracy: chance), testEval = (loss: Double.nan, accuracy: chance)
        if divergedAtEpoch == 0 {
            let tr = model.evaluate(train, chunk: chunk)
            let te = model.evaluate(test, chunk: chunk)
            if tr.loss.isFinite && te.loss.isFinite {
                trainEval = (tr.loss, tr.accuracy)
                testEval = (te.loss, te.accuracy)
            } else {
                divergedAtEpoch = point.epochsRun
            }
        }
        let diverged = divergedAtEpoch > 0
        let bestTrainLoss = diverged ? .nan : (curveTrainLoss + [trainEval.loss]).min()!
        // Plateau measure: mean test accuracy at the evaluations in the last fifth of the run minus
        // the mean in the fifth before (averaging damps SGD's step-to-step fluctuation); NaN with
        // fewer than two evaluations or after divergence.
        var lastFifthChange = Double.nan
        if !diverged, curveEpochs.count >= 2 {
            let e = Double(point.epochsRun)
            func mean(_ range: ClosedRange<Double>) -> Double? {
                let v = curveEpochs.indices.filter { range.contains(curveEpochs[$0]) }.map { curveTestAccuracy[$0] }
                return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
            }
            let late = mean(0.8 * e + 1e-9 ... e) ?? curveTestAccuracy.last!
            let before = mean(0.6 * e + 1e-9 ... 0.8 * e) ?? curveTestAccuracy[curveTestAccuracy.count - 2]
            lastFifthChange = late - before
        }

        var doc = HDF5Document()
        func scalar(_ name: String, _ v: Double, _ units: String, _ description: String) {
            doc.addScalar("/summary/\(name)", v, units: units, description: description)
        }
        scalar("test_accuracy", testEval.accuracy, "fraction", "test accuracy after the last epoch (chance, 1/classes, if the run diverged)")
        scalar("train_accuracy", trainEval.accuracy, "fraction", "training accuracy after the last epoch (chance if diverged)")
        scalar("train_loss", trainEval.loss, "nats per example", "mean training cross-entropy after the last epoch (NaN if diverged)")
        scalar("test_loss", testEval.loss, "nats per example", "mean test cross-entropy after the last epoch (NaN if diverged)")
        scalar("diverged", divergedAtEpoch > 0 ? 1 : 0, "1", "1 if the loss or the weights became NaN or infinite")
        scalar("diverged_at_epoch", Double(divergedAtEpoch), "epochs", "epoch in which the run diverged (0: it did not)")
        scalar("noise_scale", point.noiseScale, "1", "SGD noise scale g = εN/(B(1 − m)) (Smith & Le; summed-cost time units)")
        scalar("noise_scale_exact", point.noiseScaleExact, "1", "g = ε(N/B − 1)/(1 − m), the form for sampling without replacement")
        scalar("updates", Double(point.updates), "steps", "parameter updates: epochs run × ⌈N/B⌉")
        scalar("best_train_loss", bestTrainLoss, "nats per example", "smallest training cross-entropy over the evaluations (NaN if diverged)")
        scalar("test_accuracy_change_last_fifth", lastFifthChange, "fraction",
               "mean test accuracy at the evaluations in the last fifth of the run minus in the fifth before (NaN with one evaluation or if diverged)")
        scalar("train_size", Double(train.count), "examples", "training examples N")
        scalar("test_size", Double(test.count), "examples", "test examples")
        scalar("batch_size", Double(point.batchSize), "examples", "minibatch size B")
        scalar("learning_rate", point.learningRate, "1", "ε, learning rate of the batch-mean loss")
        scalar("momentum", point.momentum, "1", "heavy-ball momentum m (v ← m·v + g, ω ← ω − ε·v)")
        scalar("weight_decay", point.weightDecay, "1", "L2 coefficient of the batch-mean loss on weights (summed-cost λ = N·wd)")
        scalar("epochs", Double(point.epochsRun), "epochs", "epochs trained (the configured minimum, or more to reach min_updates)")
        if !curveEpochs.isEmpty {
            doc.addDataset("/curves/epoch", .double(curveEpochs), units: "epochs", description: "epochs trained at each evaluation")
            doc.addDataset("/curves/train_loss", .double(curveTrainLoss), units: "nats per example", description: "training cross-entropy at each evaluation")
            doc.addDataset("/curves/train_accuracy", .double(curveTrainAccuracy), units: "fraction", description: "training accuracy at each evaluation")
            doc.addDataset("/curves/test_accuracy", .double(curveTestAccuracy), units: "fraction", description: "test accuracy at each evaluation")
        }
        scalar("parameter_count", Double(model.parameterCount), "parameters", "trainable parameters")
        doc.setAttribute("model", .string(model.summary), on: "/summary")
        return doc
    }
}
