import ImplicitRegCore
import ReadingSupport

/// The experiments of the reading (one grid point each).
enum Experiment: String, Codable, CaseIterable, Sendable {
    /// One epoch, fixed minibatch composition, exact average over the m! orders.
    case oneEpochFixed = "one-epoch-fixed"
    /// One epoch, random partition and order: exact average over all N! example orderings.
    case oneEpochRandom = "one-epoch-random"
    /// Many epochs to a fixed time, reshuffled each epoch, Monte Carlo over runs.
    case manyEpochs = "many-epochs"
    /// The finite-population identity and the ε/B scaling of the partition-averaged regulariser.
    case finitePopulation = "finite-population"
    /// One epoch (fixed and random partition) on a tanh MLP through the generic network code.
    case genericOneEpoch = "generic-one-epoch"
    /// The finite-population identity on the tanh MLP.
    case genericFinitePopulation = "generic-finite-population"
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
        try requireValid(genericPath.inputs >= 1 && genericPath.hidden.allSatisfy { $0 >= 1 }, field: "generic_path",
                         value: "\(genericPath.inputs)-\(genericPath.hidden)-1", "needs positive widths")
    }
}
