import ArgumentParser
import ImplicitRegCore

/// `implicit-reg-bench mlp-epoch`: one SGD epoch of a ReLU MLP on 784 inputs and 10 classes, as the
/// readings train it — `Trainer.trainEpoch` (reshuffle, gather, forward, backward, update), fp32.
/// The default is the reference 784-512-512-10 net with plain SGD; `--hidden 800 --momentum 0.9`
/// is the noise-scale reading's net and optimizer.
struct MLPEpochBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp-epoch",
        abstract: "Time Trainer.trainEpoch of a 784-…-10 ReLU MLP (Float, default 784-512-512-10) on 5,000 synthetic examples.",
        discussion: """
            SGD (lr 0.01, momentum --momentum), a fresh shuffle each epoch, the last batch partial \
            (5,000 = 39·128 + 8 = 312·16 + 8). One untimed epoch first, then --epochs timed epochs.
            Nominal FLOPs per epoch: 6·N·W with W the weight count (784·512 + 512·512 + 512·10 = \
            668,672 for the default net; 2·W per example forward, 4·W backward). No implementation \
            computes the first layer's input gradient, so the work done is 6·N·W − 2·N·784·h₁.
            """)

    @Option(help: "Minibatch size B.")
    var batch = 128

    @Option(help: "Hidden widths, comma-separated (the reference net: 512,512; noise-scale's: 800).")
    var hidden = "512,512"

    @Option(help: "Heavy-ball momentum (0: plain SGD).")
    var momentum = 0.0

    @Option(help: "Timed epochs (each is one sample; the median is reported).")
    var epochs = 1

    @Option(help: "Untimed epochs first.")
    var warmup = 1

    @OptionGroup var common: CommonBenchOptions

    /// The parsed hidden widths.
    var widths: [Int] { hidden.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard !widths.isEmpty, widths.allSatisfy({ $0 > 0 }),
              widths.count == hidden.split(separator: ",").count else {
            throw ValidationError("--hidden takes positive widths separated by commas, e.g. 512,512")
        }
        guard (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1)") }
        guard batch > 0, batch <= ReferenceShapes.trainingExamples, epochs > 0, warmup >= 0 else {
            throw ValidationError("need 0 < batch ≤ \(ReferenceShapes.trainingExamples), epochs > 0 and warmup ≥ 0")
        }
    }

    func run() throws {
        common.apply()
        let n = ReferenceShapes.trainingExamples
        let data = SyntheticInputs.classification(rows: n, cols: ReferenceShapes.mlpInput,
                                                  classes: ReferenceShapes.mlpClasses, seed: common.seed, as: Float.self)
        let model = SyntheticInputs.mlp(hidden: widths, seed: common.seed, as: Float.self)
        let options = TrainingOptions(epochs: warmup + epochs, batchSize: batch,
                                      learningRate: ReferenceShapes.learningRate, momentum: momentum,
                                      sampling: .reshuffle)
        let trainer = Trainer(model: model, options: options,
                              shuffle: RandomStreams(seed: common.seed).stream(.shuffle))
        var epoch = 0
        let timing = try Timing.measure(warmup: warmup, count: epochs) {
            epoch += 1
            try trainer.trainEpoch(data, epoch: epoch)
        }
        var m = Measurement(workload: "mlp-epoch", precision: Float.typeName, timing: timing, warmup: warmup,
                            flops: 6 * Double(n) * Double(ReferenceShapes.mlpWeightCount(hidden: widths)),
                            flopFormula: "6*N*W, N=5000, W=weights of 784-\(hidden.replacingOccurrences(of: ",", with: "-"))-10")
        m.batch = batch
        m.examples = n
        m.hidden = widths
        m.momentum = momentum
        return try emit(m)
    }
}
