import AllocationCounter
import ImplicitRegCore
import Testing

// After the first epoch has sized every buffer, a training epoch performs no heap allocation at
// all: the count of malloc/calloc/realloc/aligned allocations made by this thread (a test-only
// interposer, Tests/AllocationCounter) is the same before and after. One optimiser path per case:
// plain SGD (folded into the GEMMs), heavy ball with weight decay, Nesterov; dense and convolutional.
@Suite("Allocation-free training step")
struct AllocationFreeStepTests {
    enum Case: String, CaseIterable, Sendable { case plainSGD, heavyBall, nesterov, convolutional }

    @Test(arguments: Case.allCases)
    func aTrainingEpochAllocatesNothing(_ c: Case) throws {
        guard allocation_counter_thread_count() != .max else { return }  // no interposer on this platform
        let data: Dataset<Float>
        let model: Sequential<Float>
        if c == .convolutional {
            data = images(count: 40)
            model = Sequential(Architectures.smallCNN(channels: 1, height: 8, width: 8, classes: 3, filters: (2, 3), hidden: 8),
                               loss: SoftmaxCrossEntropy())
        } else {
            data = blobs(count: 90, seed: 3)
            model = Sequential([Dense(10, 16), ReLU(16), Dense(16, 3)], loss: SoftmaxCrossEntropy())
        }
        var rng = RandomStreams(seed: 1).stream(.initialization)
        model.initialize(Initializer(.he), using: &rng)
        let options = switch c {
        case .plainSGD: TrainingOptions(epochs: 3, batchSize: 16, learningRate: 0.05, momentum: 0)
        case .heavyBall, .convolutional: TrainingOptions(epochs: 3, batchSize: 16, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
        case .nesterov: TrainingOptions(epochs: 3, batchSize: 16, learningRate: 0.05, momentum: 0.9, nesterov: true)
        }
        let trainer = Trainer(model: model, options: options, shuffle: RandomStreams(seed: 1).stream(.shuffle))
        try trainer.trainEpoch(data, epoch: 1)
        let before = allocation_counter_thread_count()
        try trainer.trainEpoch(data, epoch: 2)
        let after = allocation_counter_thread_count()
        #expect(after - before == 0, "\(after - before) heap allocation(s) in one epoch of \(data.count / 16) steps")
    }

    @Test func theCounterSeesAnAllocation() {
        guard allocation_counter_thread_count() != .max else { return }
        let before = allocation_counter_thread_count()
        let array = [Int](repeating: 1, count: 1000 + Int(before % 2))
        #expect(array.count > 0)
        #expect(allocation_counter_thread_count() > before)
    }

    /// 8×8 single-channel images of three classes (a bright row, column or diagonal).
    private func images(count: Int) -> Dataset<Float> {
        var rng = RandomStreams(seed: 2).stream("test-images")
        var x = Matrix<Float>(rows: count, cols: 64)
        var labels: [Int32] = []
        for i in 0..<count {
            let c = i % 3
            for p in 0..<64 {
                let (r, q) = (p / 8, p % 8)
                let on = c == 0 ? r == 3 : c == 1 ? q == 4 : r == q
                x[i, p] = Float((on ? 1 : 0) + 0.1 * rng.nextNormal())
            }
            labels.append(Int32(c))
        }
        return Dataset(name: "images", inputs: x, labels: labels, classCount: 3)
    }
}
