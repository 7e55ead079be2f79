import Foundation
import ImplicitRegCore
import ReadingSupport

/// Smith, Dherin, Barrett & De 2021, On the Origin of Implicit Regularization in SGD (arXiv 2101.12176).
enum SGDRegularizer: Reading {
    typealias Config = SGDRegularizerConfig
    static let name = "sgd-regularizer"
    static let abstract = """
        Smith, Dherin, Barrett & De 2021, On the Origin of Implicit Regularization in SGD (arXiv 2101.12176).
        Checks in exact float64 numerics that the mean SGD iterate follows the flow of C + (ε/4m)Σₖ‖∇Ĉₖ‖², and the ε/B form of its partition average.
        """

    /// The exact experiments, then per label condition and seed: SGD, GD and GD + the variance term.
    static func points(_ config: Config) -> [PointSpec] {
        config.experiments.flatMap { experiment -> [PointSpec] in
            if experiment == .learningRateGrid {
                let g = config.lrGrid
                return g.seeds.map { config.seed &+ $0 }.flatMap { seed in
                    g.batchSizes.flatMap { b in
                        g.learningRates(batchSize: b).map { PointSpec.learningRateGrid(GridRun(learningRate: $0, batchSize: b, seed: seed)) }
                    }
                }
            }
            guard experiment == .explicitRegularizer else { return [.experiment(experiment)] }
            let d = config.dataExperiment
            return d.conditions.flatMap { noisy in
                d.seeds.map { config.seed &+ $0 }.flatMap { seed in
                    d.methods.map { PointSpec.explicitRegularizer(RegularizerRun(method: $0, noisyLabels: noisy, seed: seed)) }
                }
            }
        }
    }

    /// The learning-rate grid reads Fashion-MNIST, the explicit-regulariser runs MNIST-5k, the
    /// exact experiments no data.
    static func dataSets(for points: [PointSpec], config: Config) -> Set<DataSetName> {
        Set(points.compactMap { point -> DataSetName? in
            switch point {
            case .learningRateGrid: .fashionMNIST
            case .explicitRegularizer: .mnist5k
            case .experiment: nil
            }
        })
    }

    /// A data run's or grid cell's own seed; the experiment seed for the exact experiments.
    static func seed(of point: PointSpec, config: Config) -> UInt64 {
        switch point {
        case .experiment: config.seed
        case let .explicitRegularizer(run): run.seed
        case let .learningRateGrid(run): run.seed
        }
    }

    static func label(_ point: PointSpec) -> String { point.name }

    /// A full profile may be merged before its data runs are all done: every experiment's summary reads
    /// only the points it finds, and claims whose points are missing read as not measured.
    static var mergesPartialGrids: Bool { true }

    static func estimatedCost(_ point: PointSpec, config: Config) -> Double {
        switch point {
        case let .explicitRegularizer(run):
            // Measured on the pilot (one core, with the training curves every 5 units of time): 5 / 13 / 48 s.
            return run.method == .gdRegularized ? 50 : (run.method == .gd ? 13 : 5)
        case let .learningRateGrid(run):
            // steps × B × ≈ 6 flops per parameter per example at ≈ 5 GFLOP/s, plus a small per-step overhead.
            return config.lrGrid.time / run.learningRate * (Double(run.batchSize) * 6 * 14_000 / 5e9 + 2e-4)
        case .experiment: break
        }
        return switch point.experiment {
        case .oneEpochFixed, .oneEpochRandom, .oneEpochSingle, .finitePopulation, .genericFinitePopulation: 1
        case .manyEpochs: Double(config.manyEpochs.runs) * config.manyEpochs.learningRates.map { config.manyEpochs.time / $0 }.reduce(0, +) * 1e-8
        case .genericOneEpoch: 30
        case .explicitRegularizer, .learningRateGrid: 0  // their points carry their runs, above
        }
    }

    static func runPoint(_ point: PointSpec, config: Config, context: RunContext) throws -> HDF5Document {
        switch point {
        case let .learningRateGrid(run):
            let (train, test) = try context.cached("lr-grid-data") { () throws -> (Dataset<Float>, Dataset<Float>) in
                let (trainAll, testAll) = try FashionMNIST.load(from: context.data, as: Float.self)
                return try LearningRateGrid.data(config.lrGrid, train: trainAll, test: testAll, streams: context.gridStreams)
            }
            return try LearningRateGrid.run(run, setup: config.lrGrid, train: train, test: test, context: context)
        case let .explicitRegularizer(run):
            let all = try context.cached("mnist-5k") { try MNIST5k.load(from: context.data, as: Float.self) }
            return try ExplicitRegularizerExperiment.run(run, setup: config.dataExperiment, all: all, context: context)
        case .experiment:
            break
        }
        var doc = HDF5Document()
        let model = config.data.model, start = config.data.start
        let n = config.exampleCount, b = config.oneEpoch.batchSize
        let streams = context.streams
        switch point.experiment {
        case .oneEpochFixed:
            try OneEpoch.run(full: model, partitions: [config.oneEpoch.fixedPartition.map { model.subset($0) }], start: start,
                             learningRates: config.oneEpoch.learningRates, substeps: config.oneEpoch.substeps,
                             prefix: "one-epoch-fixed", into: &doc)
        case .oneEpochRandom:
            let partitions = Enumeration.partitions(n, blockSize: b).map { $0.map { model.subset($0) } }
            try OneEpoch.run(full: model, partitions: partitions, start: start, learningRates: config.oneEpoch.learningRates,
                             substeps: config.oneEpoch.substeps, prefix: "one-epoch-random", into: &doc)
        case .oneEpochSingle:
            let singles = Enumeration.partitions(n, blockSize: 1).map { $0.map { model.subset($0) } }
            try OneEpoch.run(full: model, partitions: singles, start: start, learningRates: config.oneEpoch.learningRates,
                             substeps: config.oneEpoch.substeps, prefix: "one-epoch-b1", into: &doc)
        case .manyEpochs:
            try ManyEpochs.run(model, start: start, partition: config.oneEpoch.fixedPartition, setup: config.manyEpochs,
                               streams: streams, into: &doc)
        case .finitePopulation:
            FinitePopulation.exact(count: n, batchSizes: config.finitePopulation.exactBatchSizes,
                                   batchGradient: { model.subset($0).gradient(at: start) }, prefix: "finite-population/exact", into: &doc)
            FinitePopulation.scaling(config.finitePopulation, start: start, streams: streams, into: &doc)
        case .learningRateGrid, .explicitRegularizer:
            break  // their points carry their runs, above
        case .genericOneEpoch, .genericFinitePopulation:
            let network = GenericTanhNetwork(inputs: config.genericPath.inputs, hidden: config.genericPath.hidden, examples: n, streams: streams)
            let prefix = point.experiment.rawValue
            if point.experiment == .genericOneEpoch {
                try OneEpoch.run(full: network.full, partitions: [config.oneEpoch.fixedPartition.map { network.batch($0) }],
                                 start: network.start, learningRates: config.genericPath.learningRates, substeps: config.oneEpoch.substeps,
                                 prefix: "\(prefix)/fixed", into: &doc)
                let partitions = Enumeration.partitions(n, blockSize: b).map { $0.map { network.batch($0) } }
                try OneEpoch.run(full: network.full, partitions: partitions, start: network.start,
                                 learningRates: config.genericPath.learningRates, substeps: config.oneEpoch.substeps,
                                 prefix: "\(prefix)/random", into: &doc)
            } else {
                FinitePopulation.exact(count: n, batchSizes: config.finitePopulation.exactBatchSizes,
                                       batchGradient: { network.batch($0).gradient(at: network.start) }, prefix: prefix, into: &doc)
            }
            doc.setAttribute("model", .string(network.summary), on: "/curves/\(prefix)")
            doc.addScalar("/summary/\(prefix)/parameter_count", Double(network.full.dimension), units: "parameters",
                          description: "parameters of the network")
        }
        return doc
    }

    /// Every point's /curves and /summary, unchanged (their paths are distinct per experiment).
    static func merge(_ points: [(PointSpec, HDF5Document)], config: Config) throws -> HDF5Document {
        var summary = HDF5Document()
        for (point, document) in points { try summary.mergeCurvesAndSummary(of: document, point: point.name) }
        ExplicitRegularizerExperiment.summarize(points, into: &summary)
        LearningRateGrid.summarize(points, setup: config.lrGrid, into: &summary)
        return summary
    }
}
