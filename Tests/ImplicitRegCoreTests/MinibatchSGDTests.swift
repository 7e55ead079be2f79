import ImplicitRegCore
import Testing

/// The core's one Float minibatch step outside `Trainer`: a shuffled partition visits every
/// example once per pass, a plain step is exactly θ − ε∇L(batch), momentum follows
/// v ← μv + g, θ ← θ − εv, and a diverging run is an error naming the run and what to change.
@Suite("MinibatchSGD and GradientUpdate")
struct MinibatchSGDTests {
    static func model(seed: UInt64) -> Sequential<Float> {
        let m = Sequential<Float>([Dense(10, 8), ReLU(8), Dense(8, 3)], loss: SoftmaxCrossEntropy())
        var rng = RandomStreams(seed: seed).stream(.initialization)
        m.initialize(Initializer(.he), using: &rng)
        return m
    }

    static func sgd(_ model: Sequential<Float>, learningRate: Double = 0.1, optimizer: GradientUpdate<Float>? = nil) -> MinibatchSGD<Float> {
        MinibatchSGD(model: model, learningRate: learningRate, optimizer: optimizer,
                     shuffle: RandomStreams(seed: 3).stream(.shuffle), run: "test-run", remedy: "lower test.learning_rate")
    }

    @Test func shuffledPartitionVisitsEveryExampleOncePerPass() {
        let data = blobs(count: 12, seed: 5)
        let step = Self.sgd(Self.model(seed: 1))
        func firstInputs(_ batch: Dataset<Float>) -> [Float] { (0..<batch.count).map { batch.inputs[$0, 0] } }
        let all = (0..<12).map { data.inputs[$0, 0] }.sorted()
        var passes: [[Float]] = []
        for _ in 0..<2 {
            let pass = (0..<3).flatMap { _ in firstInputs(step.partitionBatch(data, batchSize: 4)) }
            #expect(pass.sorted() == all, "a pass of n/B = 3 blocks must cover the 12 examples once")
            passes.append(pass)
        }
        #expect(passes[0] != passes[1], "the order is reshuffled before each pass")
    }

    @Test func plainStepIsThetaMinusEpsilonGradient() throws {
        let data = blobs(count: 16, seed: 6)
        let model = Self.model(seed: 2), reference = Self.model(seed: 2)
        let step = Self.sgd(model, learningRate: 0.25)
        let loss = try step.step(on: data)
        let g = Buffer<Float>(capacity: reference.parameterCount)
        let expectedLoss = reference.fullGradient(data, into: g.pointer, scratch: Buffer<Float>())
        #expect(loss == expectedLoss)
        let theta = reference.parameters.array(), gradient = g.array(), after = model.parameters.array()
        for i in theta.indices {
            // One BLAS axpy in Float: θᵢ + (−ε)gᵢ, with or without a fused multiply-add (≤ 2 roundings).
            let expected = theta[i] + Float(-0.25) * gradient[i]
            let scale = max(abs(theta[i]), abs(0.25 * gradient[i]), Float.leastNormalMagnitude)
            #expect(abs(after[i] - expected) <= 2 * scale.ulp, "parameter \(i): \(after[i]) vs \(expected)")
        }
    }

    @Test func heavyBallMomentumAccumulatesTheVelocity() {
        let model = Self.model(seed: 4)
        let update = GradientUpdate(model: model, momentum: 0.5)
        let n = model.parameterCount
        let theta0 = model.parameters.array()
        let g = Buffer<Float>([Float](repeating: 1, count: n))
        update.apply(gradient: g.pointer, to: model.parameters.pointer, count: n, learningRate: 0.1)
        update.apply(gradient: g.pointer, to: model.parameters.pointer, count: n, learningRate: 0.1)
        // v₁ = 1, v₂ = 0.5·1 + 1 = 1.5: θ₂ = θ₀ − 0.1·(1 + 1.5) = θ₀ − 0.25 (to Float rounding).
        let after = model.parameters.array()
        for i in 0..<n { #expect(abs(after[i] - (theta0[i] - 0.25)) <= 4 * Float.ulpOfOne * max(1, abs(theta0[i])), "parameter \(i)") }
        #expect(update.velocity.array()[0] == 1.5)
    }

    @Test func divergenceNamesTheRunAndTheRemedy() {
        let data = blobs(count: 16, seed: 7)
        let step = Self.sgd(Self.model(seed: 3), learningRate: 1e30)
        #expect(throws: TrainingError.self) {
            for _ in 0..<20 { try step.step(on: data) }
        }
        do {
            for _ in 0..<20 { try step.step(on: data) }
        } catch let TrainingError.divergedRun(message) {
            #expect(message.contains("test-run") && message.contains("test.learning_rate"), "\(message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
