import ImplicitRegCore
import Testing

/// Dropout: identity when evaluating; in training a mask m ∈ {0, 1/q} from its own stream, with
/// the backward and tangent passes multiplying by the same mask.
@Suite("Dropout")
struct DropoutTests {
    let size = 50, batch = 400

    private func inputs(seed: UInt64) -> [Double] {
        var rng = RandomStreams(seed: seed).stream("test-inputs")
        return (0..<(size * batch)).map { _ in rng.nextNormal() + 3 }  // nonzero, so y/x reads the mask
    }

    @Test func evaluationModeIsTheIdentity() {
        let layer = Dropout<Double>(size, rate: 0.5, rng: RandomStreams(seed: 1).stream("dropout"))
        layer.reserve(batch: batch)
        let x = inputs(seed: 2)
        var y = [Double](repeating: .nan, count: x.count), gx = y, unused = [Double](repeating: 0, count: 1)
        layer.forward(input: x, output: &y, batch: batch, parameters: x)
        #expect(y == x)
        layer.backward(input: x, output: y, gradOutput: x, gradInput: &gx, batch: batch, parameters: x, gradParameters: &unused)
        #expect(gx == x)
    }

    @Test func trainingModeMasksScalesAndBackpropagatesThroughTheSameMask() {
        let rate = 0.3, q = 1 - rate
        let layer = Dropout<Double>(size, rate: rate, rng: RandomStreams(seed: 1).stream("dropout"))
        layer.isTraining = true
        layer.reserve(batch: batch)
        let x = inputs(seed: 2)
        let gy = inputs(seed: 3)
        var y = [Double](repeating: .nan, count: x.count), gx = y, ry = y, unused = [Double](repeating: 0, count: 1)
        layer.forward(input: x, output: &y, batch: batch, parameters: x)
        let mask = zip(y, x).map { $0 / $1 }
        #expect(mask.allSatisfy { $0 == 0 || abs($0 - 1 / q) < 1e-12 })
        // Fraction dropped within 5 binomial sd of the rate (n = 20,000: sd 0.0032).
        let dropped = Double(mask.filter { $0 == 0 }.count) / Double(mask.count)
        #expect(abs(dropped - rate) < 5 * (rate * q / Double(mask.count)).squareRoot())
        layer.backward(input: x, output: y, gradOutput: gy, gradInput: &gx, batch: batch, parameters: x, gradParameters: &unused)
        for i in x.indices { #expect(abs(gx[i] - mask[i] * gy[i]) <= 1e-12 * abs(gy[i])) }
        layer.forwardTangent(input: x, inputTangent: gy, output: y, outputTangent: &ry, batch: batch, parameters: x, direction: x)
        #expect(ry == gx)

        // The next forward pass draws a new mask; a layer with the same stream draws the same one.
        var y2 = y
        layer.forward(input: x, output: &y2, batch: batch, parameters: x)
        #expect(y2 != y)
        let twin = Dropout<Double>(size, rate: rate, rng: RandomStreams(seed: 1).stream("dropout"))
        twin.isTraining = true
        var y3 = y
        twin.forward(input: x, output: &y3, batch: batch, parameters: x)
        #expect(y3 == y)
    }

    @Test func trainerUsesTrainingModeOnlyForItsStepsAndDropoutStillFits() throws {
        let data = blobs(count: 90, seed: 11)
        let streams = RandomStreams(seed: 4)
        let dropout = Dropout<Float>(16, rate: 0.5, rng: streams.stream("dropout"))
        let model = Sequential<Float>([Dense(10, 16), ReLU(16), dropout, Dense(16, 3)], loss: SoftmaxCrossEntropy())
        var rng = streams.stream(.initialization)
        model.initialize(Initializer(.he), using: &rng)
        let options = TrainingOptions(epochs: 200, batchSize: 16, learningRate: 0.05, momentum: 0.9, stopAtTrainAccuracy: 1)
        let trainer = Trainer(model: model, options: options, shuffle: streams.stream(.shuffle))
        let history = try trainer.train(data)
        #expect(!dropout.isTraining)
        #expect(history.trainAccuracy.last == 1)
        // Evaluation is deterministic: dropout is off outside the steps.
        #expect(model.evaluate(data) == model.evaluate(data))
        model.setTraining(true)
        #expect(dropout.isTraining)
        model.setTraining(false)
    }
}
