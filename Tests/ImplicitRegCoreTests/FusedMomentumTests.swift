import ImplicitRegCore
import Testing

// The trainer's heavy-ball step forms v ← μv + ∇L inside the weight-gradient GEMMs (BLAS β = μ)
// and the bias sums. That must give the same bits as the two-pass step — the gradient first, then
// v ← μv + g, θ ← θ − εv — so results do not depend on which path ran. Full-batch sampling fixes
// the batch, so the reference loop below sees exactly what the trainer sees. Sizes on both sides
// of OpenBLAS's small-matrix threshold (M·N·K ≈ 64³).
@Suite("Fused heavy-ball step")
struct FusedMomentumTests {
    enum Size: String, CaseIterable, Sendable { case small, large, convolutional }

    @Test(arguments: Size.allCases)
    func sameBitsAsGradientThenUpdate(_ size: Size) throws {
        let (layers, data): ([any Layer<Float>], Dataset<Float>) = switch size {
        case .small: ([Dense(10, 16), ReLU(16), Dense(16, 3)], blobs(count: 90, seed: 3))
        case .large: ([Dense(10, 300), ReLU(300), Dense(300, 200), ReLU(200), Dense(200, 3)], blobs(count: 128, seed: 3))
        case .convolutional: (Architectures.smallCNN(channels: 1, height: 4, width: 4, classes: 3, filters: (2, 3), hidden: 8)
                              as [any Layer<Float>], padded(blobs(count: 60, seed: 3)))
        }
        let fused = Sequential(layers, loss: SoftmaxCrossEntropy())
        let reference = Sequential(layers.map { $0 }, loss: SoftmaxCrossEntropy())
        var rng = RandomStreams(seed: 1).stream(.initialization)
        fused.initialize(Initializer(.he), using: &rng)
        Float.copy(fused.parameters.pointer, reference.parameters.pointer, fused.parameterCount)
        let (ε, μ): (Float, Float) = (0.05, 0.9)
        let steps = 4
        let options = TrainingOptions(epochs: steps, batchSize: data.count, learningRate: Double(ε), momentum: Double(μ),
                                      sampling: .fullBatch)
        let trainer = Trainer(model: fused, options: options, shuffle: RandomStreams(seed: 1).stream(.shuffle))
        for e in 1...steps { try trainer.trainEpoch(data, epoch: e) }

        let velocity = Buffer<Float>(capacity: reference.parameterCount)
        for _ in 0..<steps {
            data.inputs.storage.withUnsafeBufferPointer { x in
                data.labels.withUnsafeBufferPointer { l in
                    _ = reference.lossAndGradient(x.baseAddress, targets: TargetBatch(labels: l.baseAddress, values: nil),
                                                  batch: data.count)
                }
            }
            Float.momentumStep(parameters: reference.parameters.pointer, gradient: reference.gradient.pointer,
                               velocity: velocity.pointer, count: reference.parameterCount, learningRate: ε,
                               momentum: μ, nesterov: false, weightDecay: 0, decayMask: nil)
        }
        let a = fused.parameters.array(count: fused.parameterCount), b = reference.parameters.array(count: reference.parameterCount)
        let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(a.count) parameters differ in their bits")
    }

    /// The 10 blob features laid out as a 1×4×4 image (zero-padded).
    private func padded(_ d: Dataset<Float>) -> Dataset<Float> {
        var x = Matrix<Float>(rows: d.count, cols: 16)
        for i in 0..<d.count { for j in 0..<10 { x[i, j] = d.inputs[i, j] } }
        return Dataset(name: d.name, inputs: x, labels: d.labels, classCount: d.classCount)
    }
}
