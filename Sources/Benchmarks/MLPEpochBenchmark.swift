import ArgumentParser
import ImplicitRegCore

/// `implicit-reg-bench mlp-epoch`: one epoch of plain SGD on the reference MLP, as the readings
/// train it — `Trainer.trainEpoch` (reshuffle, gather, forward, backward, update), fp32.
struct MLPEpochBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp-epoch",
        abstract: "Time Trainer.trainEpoch of the 784-512-512-10 ReLU MLP (Float) on 5,000 synthetic examples.",
        discussion: """
            Plain SGD (lr 0.01, momentum 0), a fresh shuffle each epoch, the last batch partial \
            (5,000 = 39·128 + 8 = 312·16 + 8). One untimed epoch first, then --epochs timed epochs.
            Nominal FLOPs per epoch: 6·N·W with W = 784·512 + 512·512 + 512·10 = 668,672 weights \
            (2·W per example forward, 4·W backward). No implementation computes the first layer's \
            input gradient, so the work done is 6·N·W − 2·N·784·512 (3.21 MFLOP per example, not 4.01).
            """)

    @Option(help: "Minibatch size B.")
    var batch = 128

    @Option(help: "Timed epochs (each is one sample; the median is reported).")
    var epochs = 1

    @Option(help: "Untimed epochs first.")
    var warmup = 1

    @OptionGroup var common: CommonBenchOptions

    func validate() throws {
        guard batch > 0, batch <= ReferenceShapes.trainingExamples, epochs > 0, warmup >= 0 else {
            throw ValidationError("need 0 < batch ≤ \(ReferenceShapes.trainingExamples), epochs > 0 and warmup ≥ 0")
        }
    }

    func run() throws {
        common.apply()
        let n = ReferenceShapes.trainingExamples
        let data = SyntheticInputs.classification(rows: n, cols: ReferenceShapes.mlpInput,
                                                  classes: ReferenceShapes.mlpClasses, seed: common.seed, as: Float.self)
        let model = SyntheticInputs.mlp(seed: common.seed, as: Float.self)
        let options = TrainingOptions(epochs: warmup + epochs, batchSize: batch,
                                      learningRate: ReferenceShapes.learningRate, momentum: 0, sampling: .reshuffle)
        let trainer = Trainer(model: model, options: options,
                              shuffle: RandomStreams(seed: common.seed).stream(.shuffle))
        var epoch = 0
        let timing = try Timing.measure(warmup: warmup, count: epochs) {
            epoch += 1
            try trainer.trainEpoch(data, epoch: epoch)
        }
        var m = Measurement(workload: "mlp-epoch", precision: Float.typeName, timing: timing, warmup: warmup,
                            flops: 6 * Double(n) * Double(ReferenceShapes.mlpWeightCount),
                            flopFormula: "6*N*W, N=5000, W=784*512+512*512+512*10")
        m.batch = batch
        m.examples = n
        return try emit(m)
    }
}
