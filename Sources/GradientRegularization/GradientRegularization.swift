import Foundation
import ImplicitRegCore
import ReadingSupport

/// Barrett & Dherin 2021, Implicit Gradient Regularization (arXiv 2009.11162).
enum GradientRegularization: Reading {
    typealias Config = GradientRegularizationConfig
    static let name = "gradient-regularization"
    static let abstract = """
        Barrett & Dherin 2021, Implicit Gradient Regularization (arXiv 2009.11162).
        Checks in exact float64 numerics that GD follows the flow of E + (h/4)‖∇E‖² (orders 2/3/4 per step) and ends flatter as h grows.
        """

    /// The exact-numerics experiments, then per seed: the step-size sweep and the explicit runs.
    static func points(_ config: Config) -> [PointSpec] {
        config.experiments.flatMap { experiment -> [PointSpec] in
            guard experiment == .mnist else { return [.experiment(experiment)] }
            return config.mnist.seeds.map { config.seed &+ $0 }.flatMap { seed in
                config.mnist.stepSizes.map { PointSpec.mnist(MNISTRun(stepSize: $0, seed: seed)) }
                    + config.mnist.explicit.map { PointSpec.mnist(MNISTRun(stepSize: $0.stepSize, explicit: $0, seed: seed)) }
            }
        }
    }

    /// The MNIST runs read MNIST-5k; the exact-numerics experiments no data.
    static func dataSets(for points: [PointSpec], config: Config) -> Set<DataSetName> {
        points.contains { if case .mnist = $0 { true } else { false } } ? [.mnist5k] : []
    }

    /// An MNIST run's own seed; the experiment seed for the rest.
    static func seed(of point: PointSpec, config: Config) -> UInt64 {
        switch point {
        case .experiment: config.seed
        case let .mnist(run): run.seed
        }
    }

    static func label(_ point: PointSpec) -> String { point.name }

    /// Seconds on one core, measured roughly (the network runs dominate).
    static func estimatedCost(_ point: PointSpec, config: Config) -> Double {
        if case let .mnist(run) = point {
            // ≈ 6 flops per parameter per example per gradient at 3.2 GFLOP/s; a run stops at about
            // a quarter of max_time (the pilot's stopping times); a run with the explicit term costs
            // ≈ 1.3 plain ones. Both constants are the committed full run's (two points at a time on
            // a 2-vCPU AMD EPYC): median estimate/took 1 over its points of 10 s or more.
            let setup = config.mnist
            let gradient = Double(setup.trainSize) * 6 * Double(MNISTExperiment.parameterCount(setup)) / 3.2e9
            return gradient * (setup.maxTime / 4 / run.stepSize) * (run.explicit == nil ? 1 : 1.3)
        }
        return switch point.experiment {
        case .localOrder: 0.1
        case .globalOrder: 0.5
        case .balance: 1
        case .genericLocalOrder: 0.5
        case .genericGlobalOrder: Double(config.genericPath.globalStepCounts.reduce(0, +) * config.globalOrder.substeps) * 2e-3
        case .mnist: 0  // an MNIST point is a `.mnist(run)`, above
        }
    }

    static func runPoint(_ point: PointSpec, config: Config, context: RunContext) throws -> HDF5Document {
        if case let .mnist(run) = point {
            let all = try context.cached("mnist-5k") { try MNIST5k.load(from: context.data, as: Float.self) }
            let (train, test) = try MNISTExperiment.data(config.mnist, all: all, streams: context.streams)
            return try MNISTExperiment.run(run, setup: config.mnist, train: train, test: test, context: context)
        }
        var doc = HDF5Document()
        let product = config.productModel
        switch point.experiment {
        case .localOrder:
            try OrderExperiments.local(product.model, start: product.start, stepSizes: config.localOrder.stepSizes,
                                       substeps: config.localOrder.substeps, prefix: "local-order", into: &doc)
        case .globalOrder:
            try OrderExperiments.global(product.model, start: product.start, time: config.globalOrder.time,
                                        stepCounts: config.globalOrder.stepCounts, substeps: config.globalOrder.substeps,
                                        prefix: "global-order", into: &doc)
        case .balance:
            try BalanceExperiment.run(config.balance, into: &doc)
        case .mnist:
            break  // an MNIST point is a `.mnist(run)`, above
        case .genericLocalOrder, .genericGlobalOrder:
            let setup = config.genericPath
            let network = GenericTanhNetwork(inputs: setup.inputs, hidden: setup.hidden, examples: setup.examples, streams: context.streams)
            let (objective, start, summary) = (network.full, network.start, network.summary)
            let prefix = point.experiment.rawValue
            if point.experiment == .genericLocalOrder {
                try OrderExperiments.local(objective, start: start, stepSizes: config.genericPath.localStepSizes,
                                           substeps: config.localOrder.substeps, prefix: prefix, into: &doc)
            } else {
                try OrderExperiments.global(objective, start: start, time: config.globalOrder.time,
                                            stepCounts: config.genericPath.globalStepCounts, substeps: config.globalOrder.substeps,
                                            prefix: prefix, into: &doc)
            }
            doc.setAttribute("model", .string(summary), on: "/curves/\(prefix)")
            doc.addScalar("/summary/\(prefix)/parameter_count", Double(objective.dimension), units: "parameters",
                          description: "parameters m of the network")
            doc.addScalar("/summary/\(prefix)/initial_loss", objective.value(at: start), units: "loss",
                          description: "E(θ₀) of the network at its start")
        }
        return doc
    }

    /// Every point's /curves and /summary, unchanged (their paths are distinct per experiment).
    static func merge(_ points: [(PointSpec, HDF5Document)], config: Config) throws -> HDF5Document {
        var summary = HDF5Document()
        for (point, document) in points { try summary.mergeCurvesAndSummary(of: document, point: point.name) }
        MNISTSummary.summarize(points, setup: config.mnist, into: &summary)
        return summary
    }
}
