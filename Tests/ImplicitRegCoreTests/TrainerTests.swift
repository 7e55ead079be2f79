import ImplicitRegCore
import Testing

/// Three Gaussian blobs in 10 dimensions, well separated: any working trainer fits them.
func blobs(count: Int, seed: UInt64) -> Dataset<Float> {
    var rng = RandomStreams(seed: seed).stream("test-data")
    let d = 10, k = 3
    var x = Matrix<Float>(rows: count, cols: d)
    var labels: [Int32] = []
    for i in 0..<count {
        let c = i % k
        for j in 0..<d { x[i, j] = Float(rng.nextNormal() * 0.5 + (j % k == c ? 2 : 0)) }
        labels.append(Int32(c))
    }
    return Dataset(name: "blobs", inputs: x, labels: labels, classCount: k)
}

func trainedParameters(seed: UInt64, options: TrainingOptions, data: Dataset<Float>) throws -> ([Float], TrainingHistory) {
    let streams = RandomStreams(seed: seed)
    let model = Sequential<Float>([Dense(10, 16), ReLU(16), Dense(16, 3)], loss: SoftmaxCrossEntropy())
    var rng = streams.stream(.initialization)
    model.initialize(Initializer(.he), using: &rng)
    let trainer = Trainer(model: model, options: options, shuffle: streams.stream(.shuffle))
    let history = try trainer.train(data)
    return (model.parameters.array(), history)
}

@Suite("Trainer")
struct TrainerTests {
    let data = blobs(count: 90, seed: 11)

    @Test(arguments: [BatchSampling.reshuffle, .withReplacement, .fullBatch])
    func fitsSeparableData(sampling: BatchSampling) throws {
        let options = TrainingOptions(epochs: 200, batchSize: 16, learningRate: 0.05, momentum: 0.9,
                                      sampling: sampling, stopAtTrainAccuracy: 1)
        let (_, history) = try trainedParameters(seed: 1, options: options, data: data)
        #expect(history.trainAccuracy.last == 1)
        #expect(history.stopReason == "train-accuracy")
        #expect(history.epoch.first == 0)
    }

    @Test func sameSeedSameParametersOtherSeedOther() throws {
        let options = TrainingOptions(epochs: 5, batchSize: 16, learningRate: 0.05, momentum: 0.9, nesterov: true,
                                      weightDecay: 1e-3)
        let (a, ha) = try trainedParameters(seed: 5, options: options, data: data)
        let (b, hb) = try trainedParameters(seed: 5, options: options, data: data)
        let (c, _) = try trainedParameters(seed: 6, options: options, data: data)
        #expect(a == b)
        #expect(ha == hb)
        #expect(a != c)
    }

    @Test func divergenceIsAClearError() {
        let options = TrainingOptions(epochs: 50, batchSize: 16, learningRate: 1e6, momentum: 0.9)
        do {
            _ = try trainedParameters(seed: 1, options: options, data: data)
            Issue.record("a learning rate of 1e6 did not diverge")
        } catch let error as TrainingError {
            #expect(error.description.contains("learning_rate"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func weightDecayShrinksWeightsNotBiases() throws {
        // With a zero gradient (lr tiny relative to decay) only the decay acts: check the mask.
        let model = Sequential<Float>([Dense(2, 2)], loss: SoftmaxCrossEntropy())
        #expect(model.weightMask() == [1, 1, 1, 1, 0, 0])
    }
}
