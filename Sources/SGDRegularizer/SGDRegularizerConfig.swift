import ImplicitRegCore
import ReadingSupport

/// The experiments of the reading (one grid point each).
enum Experiment: String, Codable, CaseIterable, Sendable {
    /// One epoch, fixed minibatch composition, exact average over the m! orders.
    case oneEpochFixed = "one-epoch-fixed"
    /// One epoch, random partition and order: exact average over all N! example orderings.
    case oneEpochRandom = "one-epoch-random"
    /// One epoch with B = 1 (m = N): exact average over all N! example orderings.
    case oneEpochSingle = "one-epoch-b1"
    /// Many epochs to a fixed time, reshuffled each epoch, Monte Carlo over runs.
    case manyEpochs = "many-epochs"
    /// The finite-population identity and the ε/B scaling of the partition-averaged regulariser.
    case finitePopulation = "finite-population"
    /// One epoch (fixed and random partition) on a tanh MLP through the generic network code.
    case genericOneEpoch = "generic-one-epoch"
    /// The finite-population identity on the tanh MLP.
    case genericFinitePopulation = "generic-finite-population"
    /// Real data: SGD vs GD vs GD + the explicit variance term (one point per run).
    case explicitRegularizer = "explicit-regularizer"
    /// Real data: an ε × B grid of SGD runs at equal time (one point per run).
    case learningRateGrid = "lr-grid"
}

/// The ε × B grid on Fashion-MNIST.
struct LearningRateGridSetup: Codable, Sendable {
    /// Training examples (a stratified subset of the training set, config seed) and test examples (the first of the test set).
    var trainSize: Int
    var testSize: Int
    var pool: Int
    var hidden: [Int]
    /// Fraction of the training labels moved to another class (drawn once from the grid's streams; 0: clean).
    var labelNoise: Double
    /// ε/B of the minibatch runs, increasing: at batch size B the learning rates are these times B, so the
    /// grid follows ε ∝ B and its columns are the diagonals of equal ε/B (a ×2 grid: the best ε per B is
    /// refined by a parabola in ln ε).
    var learningRateOverBatch: [Double]
    /// Batch sizes (each must divide train_size; train_size itself is full-batch GD).
    var batchSizes: [Int]
    /// Learning rates of full-batch GD (B = train_size), increasing: its steps cost N examples each, so a
    /// shorter list than the minibatch runs'.
    var fullBatchLearningRates: [Double]
    /// Training time T = ε·steps, equal for every run.
    var time: Double
    /// The minibatch sizes B ≤ this enter the slope of ln best ε on ln B (the small-batch regime).
    var slopeMaxBatchSize: Int
    var seeds: [UInt64]
}

/// How a data-experiment run trains.
enum TrainingMethod: String, Codable, CaseIterable, Sendable {
    /// Minibatches of B by random reshuffling.
    case sgd
    /// Full-batch gradient descent.
    case gd
    /// Full-batch GD on C + (ε/4m)Σₖ‖∇Ĉₖ − ∇C‖², a fresh random partition every step.
    case gdRegularized = "gd-regularized"
}

/// The real-data experiment.
struct DataExperimentSetup: Codable, Sendable {
    /// Training and test examples from one seeded split of MNIST-5k (the config seed).
    var trainSize: Int
    var testSize: Int
    /// Average-pooling window (2: 196 inputs), then centring with the training mean.
    var pool: Int
    /// Hidden widths of the tanh MLP (cross-entropy, LeCun-normal weights, float32).
    var hidden: [Int]
    /// Learning rate ε of every method.
    var learningRate: Double
    /// Minibatch size B of SGD and of the explicit term's blocks.
    var batchSize: Int
    /// Training time T = ε·steps, equal for every method.
    var time: Double
    /// Fraction of training labels moved to another class in the noisy condition.
    var labelNoise: Double
    /// Time (ε·steps) between evaluations of the training curves (training and test accuracy, training loss).
    var evaluationInterval: Double
    /// Label conditions to run: true = noisy, false = clean.
    var conditions: [Bool]
    /// Methods to run (sgd, gd, gd-regularized) for every condition and seed.
    var methods: [TrainingMethod]
    /// Seed offsets (init and order).
    var seeds: [UInt64]
}

/// The per-example loss ½(yᵢ − a b xᵢ)² on a handful of examples, from a start (a₀, b₀).
struct ProductData: Codable, Sendable {
    var x: [Double]
    var y: [Double]
    var start: [Double]

    var model: ProductModel { ProductModel(x: x, y: y) }
}

/// One epoch of SGD against the flows.
struct OneEpochSetup: Codable, Sendable {
    /// Minibatch size B (N/B minibatches per epoch).
    var batchSize: Int
    /// The fixed partition of the fixed-partition variant (blocks of example indices).
    var fixedPartition: [[Int]]
    /// Learning rates ε (the flows run for time mε).
    var learningRates: [Double]
    /// RK4 substeps K per SGD step (checked against 2K).
    var substeps: Int
}

/// Many epochs to a fixed time, Monte Carlo over runs.
struct ManyEpochsSetup: Codable, Sendable {
    /// The time T = ε · steps.
    var time: Double
    var learningRates: [Double]
    /// Independent runs P (each reshuffles the order every epoch).
    var runs: Int
    var substeps: Int
}

/// The finite-population identity and the small-batch regime.
struct FinitePopulationSetup: Codable, Sendable {
    /// Batch sizes for the exact identity on the reading's N examples (each must divide N).
    var exactBatchSizes: [Int]
    /// Size of the synthetic population for the ε/B check (xᵢ ~ N(0, 1), yᵢ = 2xᵢ + N(0, 0.5²)).
    var populationSize: Int
    /// Batch sizes of the ε/B check (each must divide population_size).
    var batchSizes: [Int]
    /// The fixed ratio ε/B.
    var learningRateOverBatch: Double
    /// Random partitions drawn per batch size.
    var partitions: Int
    /// Batch sizes up to this fraction of N count as the small-batch regime in the summary.
    var smallBatchFraction: Double
}

/// The tanh MLP of the generic path.
struct GenericPathSetup: Codable, Sendable {
    var inputs: Int
    var hidden: [Int]
    var learningRates: [Double]
}

/// The sgd-regularizer reading's configuration (see configs/*.json).
struct SGDRegularizerConfig: ReadingConfig {
    var seed: UInt64
    var experiments: [Experiment]
    var data: ProductData
    var oneEpoch: OneEpochSetup
    var manyEpochs: ManyEpochsSetup
    var finitePopulation: FinitePopulationSetup
    var genericPath: GenericPathSetup
    var dataExperiment: DataExperimentSetup
    var lrGrid: LearningRateGridSetup

    var exampleCount: Int { data.x.count }

    func validate() throws {
        try requireValid(!experiments.isEmpty && Set(experiments).count == experiments.count, field: "experiments",
                         value: experiments.map(\.rawValue), "must list distinct experiments")
        let n = data.x.count
        try requireValid(n >= 2 && data.y.count == n, field: "data.y", value: data.y.count, "must have as many targets as data.x has inputs (≥ 2)")
        try requireValid(n <= 8, field: "data.x", value: n, "has more than 8 examples: the exact average over N! orderings would not finish")
        try requireValid(data.start.count == 2, field: "data.start", value: data.start, "must be (a₀, b₀)")
        let b = oneEpoch.batchSize
        try requireValid(b >= 1 && n % b == 0 && n / b >= 2, field: "one_epoch.batch_size", value: b,
                         "must divide the \(n) examples into at least two minibatches")
        try requireValid(oneEpoch.fixedPartition.flatMap { $0 }.sorted() == Array(0..<n) && oneEpoch.fixedPartition.allSatisfy { $0.count == b },
                         field: "one_epoch.fixed_partition", value: oneEpoch.fixedPartition,
                         "must split 0..<\(n) into blocks of one_epoch.batch_size = \(b)")
        for (field, rates) in [("one_epoch.learning_rates", oneEpoch.learningRates), ("many_epochs.learning_rates", manyEpochs.learningRates),
                               ("generic_path.learning_rates", genericPath.learningRates)] {
            try requireValid(rates.count >= 2 && rates.allSatisfy { $0 > 0 && $0.isFinite } && Set(rates).count == rates.count,
                             field: field, value: rates, "must list at least two distinct positive learning rates (a slope is fitted)")
        }
        try requireValid(oneEpoch.substeps >= 1, field: "one_epoch.substeps", value: oneEpoch.substeps, "must be at least 1")
        try requireValid(manyEpochs.substeps >= 1, field: "many_epochs.substeps", value: manyEpochs.substeps, "must be at least 1")
        try requireValid(manyEpochs.runs >= 100, field: "many_epochs.runs", value: manyEpochs.runs, "must be at least 100 (a Monte Carlo mean)")
        let m = Double(n / b)
        for ε in manyEpochs.learningRates {
            let epochs = manyEpochs.time / (m * ε)
            try requireValid(abs(epochs - epochs.rounded()) < 1e-9 && epochs >= 1, field: "many_epochs.learning_rates", value: ε,
                             "must give a whole number of epochs: many_epochs.time / (m ε) = \(epochs) with m = \(Int(m))")
        }
        try requireValid(finitePopulation.exactBatchSizes.allSatisfy { $0 >= 1 && n % $0 == 0 && $0 < n }, field: "finite_population.exact_batch_sizes",
                         value: finitePopulation.exactBatchSizes, "must divide the \(n) examples (and be smaller than N)")
        let np = finitePopulation.populationSize
        try requireValid(np >= 2, field: "finite_population.population_size", value: np, "must be at least 2")
        try requireValid(!finitePopulation.batchSizes.isEmpty && finitePopulation.batchSizes.allSatisfy { $0 >= 1 && np % $0 == 0 && $0 < np },
                         field: "finite_population.batch_sizes", value: finitePopulation.batchSizes, "must divide population_size (and be smaller)")
        try requireValid(finitePopulation.partitions >= 1, field: "finite_population.partitions", value: finitePopulation.partitions, "must be positive")
        try requireValid(finitePopulation.learningRateOverBatch > 0, field: "finite_population.learning_rate_over_batch",
                         value: finitePopulation.learningRateOverBatch, "must be positive")
        let d = dataExperiment
        try requireValid(d.trainSize >= 2 && d.testSize >= 1 && d.trainSize + d.testSize <= 5000, field: "data_experiment.test_size",
                         value: "\(d.trainSize) + \(d.testSize)", "train_size + test_size must fit in MNIST-5k's 5000 images")
        try requireValid(d.batchSize >= 1 && d.trainSize % d.batchSize == 0, field: "data_experiment.batch_size", value: d.batchSize,
                         "must divide data_experiment.train_size")
        try requireValid(d.learningRate > 0 && d.time > 0, field: "data_experiment.learning_rate", value: d.learningRate, "and time must be positive")
        try requireValid(d.evaluationInterval > 0 && d.evaluationInterval <= d.time, field: "data_experiment.evaluation_interval",
                         value: d.evaluationInterval, "must be positive and at most data_experiment.time")
        try requireValid((0...1).contains(d.labelNoise), field: "data_experiment.label_noise", value: d.labelNoise, "must be in [0, 1]")
        try requireValid([1, 2, 4, 7].contains(d.pool), field: "data_experiment.pool", value: d.pool, "must divide 28 (1, 2, 4 or 7)")
        try requireValid(d.methods.contains(.sgd) && d.methods.contains(.gd) && Set(d.methods).count == d.methods.count,
                         field: "data_experiment.methods", value: d.methods.map(\.rawValue), "must list sgd and gd (the comparisons need both), each once")
        try requireValid(!d.conditions.isEmpty && !d.seeds.isEmpty, field: "data_experiment.seeds", value: d.seeds, "and conditions must not be empty")
        let gr = lrGrid
        try requireValid(gr.trainSize >= 2 && gr.trainSize <= 60_000 && gr.testSize >= 1 && gr.testSize <= 10_000, field: "lr_grid.train_size",
                         value: "\(gr.trainSize) / \(gr.testSize)", "and test_size must fit Fashion-MNIST (60000 / 10000)")
        try requireValid(!gr.batchSizes.isEmpty && gr.batchSizes.allSatisfy { $0 >= 1 && gr.trainSize % $0 == 0 }, field: "lr_grid.batch_sizes",
                         value: gr.batchSizes, "must divide lr_grid.train_size")
        try requireValid(!gr.learningRateOverBatch.isEmpty && gr.learningRateOverBatch.allSatisfy { $0 > 0 } && gr.time > 0,
                         field: "lr_grid.learning_rate_over_batch", value: gr.learningRateOverBatch, "and time must be positive")
        try requireValid(zip(gr.learningRateOverBatch, gr.learningRateOverBatch.dropFirst()).allSatisfy { $0 < $1 }, field: "lr_grid.learning_rate_over_batch",
                         value: gr.learningRateOverBatch, "must be strictly increasing (the best ε is located on the sorted grid)")
        try requireValid(!gr.fullBatchLearningRates.isEmpty && gr.fullBatchLearningRates.allSatisfy { $0 > 0 }
                         && zip(gr.fullBatchLearningRates, gr.fullBatchLearningRates.dropFirst()).allSatisfy { $0 < $1 },
                         field: "lr_grid.full_batch_learning_rates", value: gr.fullBatchLearningRates, "must be positive and strictly increasing")
        try requireValid(gr.batchSizes.filter { $0 <= gr.slopeMaxBatchSize && $0 < gr.trainSize }.count >= 2, field: "lr_grid.slope_max_batch_size",
                         value: gr.slopeMaxBatchSize, "must keep at least two minibatch sizes below train_size for the slope")
        try requireValid((0..<1).contains(gr.labelNoise), field: "lr_grid.label_noise", value: gr.labelNoise, "must be in [0, 1)")
        try requireValid([1, 2, 4, 7].contains(gr.pool) && !gr.seeds.isEmpty, field: "lr_grid.pool", value: gr.pool, "must divide 28, and seeds must not be empty")
        for ε in dataExperiment.learningRate > 0 ? [dataExperiment.learningRate] : [] {
            try requireSteps(dataExperiment.time / ε, field: "data_experiment.time", value: dataExperiment.time, "data_experiment.time / learning_rate steps")
        }
        for ε in lrGrid.batchSizes.flatMap({ lrGrid.learningRates(batchSize: $0) }) where ε > 0 {
            try requireSteps(lrGrid.time / ε, field: "lr_grid.time", value: lrGrid.time, "lr_grid.time / learning rate \(ε) steps")
        }
        for ε in manyEpochs.learningRates {
            try requireSteps(manyEpochs.time / (m * ε) * Double(manyEpochs.runs), field: "many_epochs.runs", value: manyEpochs.runs,
                             "runs × epochs at learning rate \(ε)")
        }
        try requireSteps(Double(finitePopulation.partitions) * Double(np), field: "finite_population.partitions",
                         value: finitePopulation.partitions, "partitions × population_size")
        for (field, widths) in [("lr_grid.hidden", lrGrid.hidden), ("data_experiment.hidden", dataExperiment.hidden), ("generic_path.hidden", genericPath.hidden)] {
            try requireValid(widths.allSatisfy { $0 >= 1 && $0 <= ConfigLimits.maxWidth }, field: field, value: widths, "widths must be in 1…\(ConfigLimits.maxWidth)")
        }
        try requireValid(genericPath.inputs >= 1 && genericPath.inputs <= ConfigLimits.maxWidth && genericPath.hidden.allSatisfy { $0 >= 1 }, field: "generic_path",
                         value: "\(genericPath.inputs)-\(genericPath.hidden)-1", "needs positive widths")
    }
}
