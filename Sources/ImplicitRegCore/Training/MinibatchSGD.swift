/// Gradient descent on a ``Sequential`` model's flat parameter vector, one step at a time, for the
/// loops ``Trainer``'s epochs do not fit: a gradient read before the update, an explicit
/// regulariser's gradient, a loss recorded every step.
///
/// A step is: a batch (the next block of a shuffled partition, a fresh random partition into
/// blocks, or a batch the caller gives), the batch gradient through the model into ``gradient``,
/// a divergence guard (a NaN or infinite loss or gradient throws ``TrainingError/divergedRun(_:)``),
/// and the update through ``GradientUpdate``, the optimiser code ``Trainer`` uses.
public final class MinibatchSGD<Scalar: BLASScalar> {
    /// The model being trained (its ``Sequential/parameters`` change in place).
    public let model: Sequential<Scalar>
    /// ε.
    public let learningRate: Double
    /// The gradient of the last ``computeGradient(on:)``.
    public let gradient: Buffer<Scalar>
    /// Gradients computed so far (the step a divergence message names).
    public private(set) var step = 0
    private let optimizer: GradientUpdate<Scalar>
    private let scratch = Buffer<Scalar>()
    private var shuffle: Xoshiro256StarStar
    private var order: [Int] = []
    private var partitionStep = 0
    private let run: String
    private let remedy: String

    /// Steps of `model` with step size `learningRate` through `optimizer` (default: plain SGD);
    /// `shuffle` is the random stream for batch order; `run` and `remedy` name the run and the
    /// config field to change in a divergence message.
    public init(model: Sequential<Scalar>, learningRate: Double, optimizer: GradientUpdate<Scalar>? = nil,
                shuffle: Xoshiro256StarStar, run: String, remedy: String) {
        self.model = model
        self.learningRate = learningRate
        self.optimizer = optimizer ?? GradientUpdate(model: model)
        self.shuffle = shuffle
        self.run = run
        self.remedy = remedy
        gradient = Buffer(capacity: model.parameterCount)
    }

    /// The next block of a shuffled partition of `data` into m = n/B blocks of `batchSize`: the
    /// order is reshuffled (in place, from the previous pass's order) before every pass of m steps.
    public func partitionBatch(_ data: Dataset<Scalar>, batchSize b: Int) -> Dataset<Scalar> {
        let n = data.count, m = n / b
        if order.count != n { order = Array(0..<n) }
        let k = partitionStep % m
        if k == 0 { shuffle.shuffle(&order) }
        partitionStep += 1
        return data.subset(Array(order[(k * b)..<((k + 1) * b)]))
    }

    /// A fresh random partition of `data` into its n/B blocks of `batchSize` (one permutation drawn
    /// from the shuffle stream), e.g. for an explicit minibatch regulariser.
    public func randomBlocks(_ data: Dataset<Scalar>, batchSize b: Int) -> [Dataset<Scalar>] {
        let perm = shuffle.permutation(data.count)
        return (0..<(data.count / b)).map { data.subset(Array(perm[($0 * b)..<(($0 + 1) * b)])) }
    }

    /// The gradient of the mean loss over `batch` through the model into ``gradient``; returns the
    /// loss. Throws ``TrainingError/divergedRun(_:)`` if the loss or the gradient is not finite.
    @discardableResult
    public func computeGradient(on batch: Dataset<Scalar>) throws -> Double {
        try computeGradient { model.fullGradient(batch, into: $0, scratch: scratch) }
    }

    /// A gradient that `body` writes into the buffer it is given (``gradient``), returning its
    /// loss, under the same divergence guard.
    @discardableResult
    public func computeGradient(_ body: (UnsafeMutablePointer<Scalar>) throws -> Double) throws -> Double {
        let loss = try body(gradient.pointer)
        guard loss.isFinite, Scalar.allFinite(gradient.pointer, model.parameterCount) else {
            throw TrainingError.divergedRun("\(run): the loss is \(loss) at step \(step); \(remedy)")
        }
        step += 1
        return loss
    }

    /// θ ← the optimiser's step along ``gradient``.
    public func update() {
        optimizer.apply(gradient: gradient.pointer, to: model.parameters.pointer, count: model.parameterCount,
                        learningRate: learningRate)
    }

    /// ``computeGradient(on:)`` then ``update()``; returns the loss before the step.
    @discardableResult
    public func step(on batch: Dataset<Scalar>) throws -> Double {
        let loss = try computeGradient(on: batch)
        update()
        return loss
    }

    /// ``computeGradient(_:)`` then ``update()``; returns the loss before the step.
    @discardableResult
    public func step(_ body: (UnsafeMutablePointer<Scalar>) throws -> Double) throws -> Double {
        let loss = try computeGradient(body)
        update()
        return loss
    }
}
