import ArgumentParser
import ImplicitRegCore

/// `implicit-reg-bench cnn-epoch`: one SGD epoch of the random-labels reading's small CNN
/// (conv 3×3 8 → ReLU → max-pool 2 → conv 3×3 16 → ReLU → max-pool 2 → dense 64 → ReLU → dense 10
/// on 1×28×28 images) as the reading trains it — `Trainer.trainEpoch`, momentum 0.9, fp32.
struct CNNEpochBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn-epoch",
        abstract: "Time Trainer.trainEpoch of the random-labels CNN (Float) on 4,000 synthetic 28×28 images.",
        discussion: """
            SGD (lr 0.01, momentum 0.9), batch 128, a fresh shuffle each epoch, the last batch partial \\
            (4,000 = 31·128 + 32). One untimed epoch first, then --epochs timed epochs. Nominal FLOPs \\
            per epoch: 6·N·M with M the multiply-adds of one example's forward pass \\
            (conv 784·8·9 + 196·16·72, dense 784·64 + 64·10: M = 333,056); the first convolution's \\
            input gradient, which nobody computes, is included.
            """)

    @Option(help: "Minibatch size B.")
    var batch = 128

    @Option(help: "Timed epochs (each is one sample; the median is reported).")
    var epochs = 1

    @Option(help: "Untimed epochs first.")
    var warmup = 1

    @OptionGroup var common: CommonBenchOptions

    func validate() throws {
        guard batch > 0, batch <= ReferenceShapes.cnnTrainingExamples, epochs > 0, warmup >= 0 else {
            throw ValidationError("need 0 < batch ≤ \(ReferenceShapes.cnnTrainingExamples), epochs > 0 and warmup ≥ 0")
        }
    }

    /// Multiply-adds of one example's forward pass.
    static var multiplyAdds: Int {
        let (f1, f2) = ReferenceShapes.cnnFilters
        let hw = ReferenceShapes.cnnImage.height * ReferenceShapes.cnnImage.width
        let conv = hw * f1 * 9 * ReferenceShapes.cnnImage.channels + (hw / 4) * f2 * f1 * 9
        let dense = f2 * (hw / 16) * ReferenceShapes.cnnHidden + ReferenceShapes.cnnHidden * ReferenceShapes.mlpClasses
        return conv + dense
    }

    func run() throws {
        common.apply()
        let n = ReferenceShapes.cnnTrainingExamples
        let image = ReferenceShapes.cnnImage
        let data = SyntheticInputs.classification(rows: n, cols: image.channels * image.height * image.width,
                                                  classes: ReferenceShapes.mlpClasses, seed: common.seed, as: Float.self)
        let model = SyntheticInputs.cnn(seed: common.seed, as: Float.self)
        let options = TrainingOptions(epochs: warmup + epochs, batchSize: batch,
                                      learningRate: ReferenceShapes.learningRate, momentum: 0.9, sampling: .reshuffle)
        let trainer = Trainer(model: model, options: options,
                              shuffle: RandomStreams(seed: common.seed).stream(.shuffle))
        var epoch = 0
        let timing = try Timing.measure(warmup: warmup, count: epochs) {
            epoch += 1
            try trainer.trainEpoch(data, epoch: epoch)
        }
        var m = Measurement(workload: "cnn-epoch", precision: Float.typeName, timing: timing, warmup: warmup,
                            flops: 6 * Double(n) * Double(Self.multiplyAdds),
                            flopFormula: "6*N*M, N=4000, M=784*8*9+196*16*72+784*64+64*10")
        m.batch = batch
        m.examples = n
        m.momentum = 0.9
        return try emit(m)
    }
}
