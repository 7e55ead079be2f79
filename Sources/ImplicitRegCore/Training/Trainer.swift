import Foundation

/// What a progress callback sees after each epoch.
public struct EpochReport: Sendable {
    /// Epoch just finished (0 = initial evaluation).
    public var epoch: Int
    /// The epoch budget.
    public var maxEpochs: Int
    /// Training-set loss and accuracy.
    public var train: Evaluation
    /// Test-set loss and accuracy, if there is a test set.
    public var test: Evaluation?
}

/// Minibatch SGD (plain, heavy-ball or Nesterov momentum, weight decay, schedules) over a
/// ``Sequential`` model's flat parameter vector.
///
/// Batches are drawn from the `shuffle` random stream by reshuffling each epoch or with
/// replacement; after every epoch the full training (and test) set is evaluated in chunks.
/// After the first step a training step allocates nothing: the batch, velocity and mask buffers
/// are created once.
public final class Trainer<Scalar: BLASScalar> {
    /// The model being trained (its ``Sequential/parameters`` change in place).
    public let model: Sequential<Scalar>
    /// Optimiser and loop settings.
    public let options: TrainingOptions
    private var shuffleRNG: Xoshiro256StarStar
    /// The optimiser step (and its velocity), shared with ``MinibatchSGD``.
    private let optimizer: GradientUpdate<Scalar>
    private var labelBuffer: UnsafeMutablePointer<Int32>
    private var labelCapacity = 0
    private let batchTargets = Buffer<Scalar>()
    private var indices: [Int] = []

    /// A trainer; `shuffle` is the random stream for batch order.
    public init(model: Sequential<Scalar>, options: TrainingOptions, shuffle: Xoshiro256StarStar) {
        self.model = model
        self.options = options
        shuffleRNG = shuffle
        optimizer = GradientUpdate(model: model, options: options)
        labelBuffer = .allocate(capacity: 1)
        learningRate = options.learningRate
    }

    deinit { labelBuffer.deallocate() }

    private func reserveLabels(_ n: Int) {
        guard n > labelCapacity else { return }
        labelBuffer.deallocate()
        labelBuffer = .allocate(capacity: n)
        labelCapacity = n
    }

    /// Applied to each training batch's inputs after they are gathered (data augmentation such as
    /// ``ShiftAugmentation``); arguments are the batch rows and their count. Evaluation never sees it.
    public var batchTransform: ((UnsafeMutablePointer<Scalar>, Int) -> Void)?

    /// Optimizer steps taken so far.
    public private(set) var step = 0
    /// The learning rate of the last step (the base rate before the first).
    public private(set) var learningRate: Double

    /// Sizes the batch buffers for `train` (allocates only the first time, or for a larger set).
    private func prepare(_ train: Dataset<Scalar>) {
        let n = train.count
        let batch = options.sampling == .fullBatch ? n : options.batchSize
        model.reserve(batch: max(batch, min(options.evaluationChunk, n)))
        reserveLabels(batch)
        batchTargets.reserve(batch * (train.targets?.cols ?? 0))
        if indices.count != n { indices = Array(0..<n) }
    }

    /// Trains on `train`, evaluating `test` too after each epoch, until the epoch budget or an
    /// early-stopping target is reached. Throws ``TrainingError/diverged(epoch:step:loss:learningRate:)``
    /// when the loss becomes NaN or infinite.
    public func train(_ train: Dataset<Scalar>, test: Dataset<Scalar>? = nil,
                      progress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        var history = TrainingHistory()
        func record(epoch: Int) -> Bool {
            let trainEval = model.evaluate(train, chunk: options.evaluationChunk)
            let testEval = test.map { model.evaluate($0, chunk: options.evaluationChunk) }
            history.epoch.append(epoch)
            history.step.append(step)
            history.learningRate.append(learningRate)
            history.trainLoss.append(trainEval.loss)
            history.trainAccuracy.append(trainEval.accuracy)
            if let testEval {
                history.testLoss.append(testEval.loss)
                history.testAccuracy.append(testEval.accuracy)
            }
            progress?(EpochReport(epoch: epoch, maxEpochs: options.epochs, train: trainEval, test: testEval))
            if let target = options.stopAtTrainAccuracy, trainEval.accuracy >= target {
                history.stopReason = "train-accuracy"
                return true
            }
            if let target = options.stopAtTrainLoss, trainEval.loss <= target {
                history.stopReason = "train-loss"
                return true
            }
            return false
        }

        prepare(train)
        if record(epoch: 0) { return history }
        for epoch in 1...options.epochs {
            try trainEpoch(train, epoch: epoch)
            if record(epoch: epoch) { break }
        }
        return history
    }

    /// One epoch of optimizer steps over `train`, without evaluation (`epoch` is for messages).
    /// Throws ``TrainingError/diverged(epoch:step:loss:learningRate:)`` on a NaN or infinite loss.
    public func trainEpoch(_ train: Dataset<Scalar>, epoch: Int) throws {
        prepare(train)
        let n = train.count
        let batch = options.sampling == .fullBatch ? n : options.batchSize
        let stepsPerEpoch = options.stepsPerEpoch(examples: n)
        let totalSteps = stepsPerEpoch * options.epochs
        let d = train.featureCount
        let targetWidth = train.targets?.cols ?? 0
        let inputs = model.inputBuffer(batch: batch)
        if options.sampling == .reshuffle { shuffleRNG.shuffle(&indices) }
        model.setTraining(true)
        defer { model.setTraining(false) }
        for s in 0..<stepsPerEpoch {
            let size: Int
            switch options.sampling {
            case .reshuffle:
                let start = s * batch
                size = min(batch, n - start)
                gather(train, rows: indices[start..<(start + size)], inputs: inputs, width: d, targetWidth: targetWidth)
            case .withReplacement:
                size = batch
                for i in 0..<batch { indices[i] = shuffleRNG.nextInt(below: n) }
                gather(train, rows: indices[0..<batch], inputs: inputs, width: d, targetWidth: targetWidth)
            case .fullBatch:
                size = n
                gather(train, rows: indices[0..<n], inputs: inputs, width: d, targetWidth: targetWidth)
            }
            batchTransform?(inputs, size)
            learningRate = options.schedule.rate(base: options.learningRate, step: step, totalSteps: totalSteps)
            let targets = TargetBatch<Scalar>(labels: train.labels.isEmpty ? nil : UnsafePointer(labelBuffer),
                                              values: targetWidth > 0 ? UnsafePointer(batchTargets.pointer) : nil)
            let loss = update(targets: targets, batch: size)
            step += 1
            guard loss.isFinite else {
                throw TrainingError.diverged(epoch: epoch, step: step, loss: loss, learningRate: learningRate)
            }
        }
        guard Scalar.allFinite(model.parameters.pointer, model.parameterCount) else {
            throw TrainingError.diverged(epoch: epoch, step: step, loss: .nan, learningRate: learningRate)
        }
    }

    /// One optimizer step on the gathered batch; returns the batch's mean loss (before the step).
    ///
    /// Plain SGD runs inside the weight-gradient GEMMs (θ ← θ − ε∇L with BLAS's β = 1);
    /// heavy-ball momentum forms v ← μv + ∇L there (the same bits as forming ∇L first) and
    /// finishes with one pass θ ← θ − εv, v ← μv; Nesterov momentum and weight decay go through the
    /// gradient buffer and ``GradientUpdate/apply(gradient:to:count:learningRate:)``.
    private func update(targets: TargetBatch<Scalar>, batch size: Int) -> Double {
        let ε = Scalar(learningRate), μ = Scalar(options.momentum), wd = Scalar(options.weightDecay)
        let velocity = optimizer.velocity
        if options.nesterov || wd != 0 {
            let loss = model.lossAndGradient(nil, targets: targets, batch: size).loss
            optimizer.apply(gradient: model.gradient.pointer, to: model.parameters.pointer, count: model.parameterCount,
                            learningRate: learningRate)
            return loss
        }
        if μ == 0 {
            return model.accumulateGradient(nil, targets: targets, batch: size, into: model.parameters.pointer,
                                            beta: 1, gradientWeight: -ε).loss
        }
        // The velocity buffer holds μ·v between steps (see BLASScalar.velocityStep), so the GEMMs
        // add ∇L with β = 1: fl(μv) + ∇L rounds exactly as the two-pass step does, on every kernel.
        let loss = model.accumulateGradient(nil, targets: targets, batch: size, into: velocity.pointer,
                                            beta: 1, gradientWeight: 1).loss
        Scalar.velocityStep(parameters: model.parameters.pointer, velocity: velocity.pointer, count: model.parameterCount,
                            learningRate: ε, momentum: μ)
        return loss
    }

    /// Copies the chosen rows' inputs, labels and targets into the batch buffers.
    private func gather(_ data: Dataset<Scalar>, rows: ArraySlice<Int>, inputs: UnsafeMutablePointer<Scalar>,
                        width d: Int, targetWidth k: Int) {
        data.inputs.storage.withUnsafeBufferPointer { x in
            var i = 0
            for r in rows {
                Scalar.copy(x.baseAddress! + r * d, inputs + i * d, d)
                i += 1
            }
        }
        if !data.labels.isEmpty {
            var i = 0
            for r in rows { labelBuffer[i] = data.labels[r]; i += 1 }
        }
        if k > 0, let targets = data.targets {
            targets.storage.withUnsafeBufferPointer { t in
                var i = 0
                for r in rows {
                    Scalar.copy(t.baseAddress! + r * k, batchTargets.pointer + i * k, k)
                    i += 1
                }
            }
        }
    }
}
