import ImplicitRegCore
import ReadingSupport

/// Zhang et al. 2017: networks fit random labels with unchanged hyperparameters.
enum RandomLabels: Reading {
    typealias Config = RandomLabelsConfig
    static let name = "random-labels"
    static let abstract = """
        Zhang et al. 2017, Understanding deep learning requires rethinking generalization (arXiv 1611.03530).
        Trains MLPs/CNNs on true labels, random labels and randomised inputs; checks that random labels are fitted.
        """

    /// Seeds × models × conditions, in that nesting order.
    static func points(_ config: Config) -> [PointSpec] {
        config.seeds.map { config.seed &+ $0 }.flatMap { seed in
            config.models.flatMap { model in
                config.conditions.map { PointSpec(model: model, condition: $0, seed: seed) }
            }
        }
    }

    static func label(_ point: PointSpec) -> String { point.name }

    static func seed(of point: PointSpec, config: Config) -> UInt64 { point.seed }

    /// Every epoch of the budget (runs that reach 100 % training accuracy stop earlier): forward and
    /// backward ≈ 6 flops per parameter per training example, evaluation 2 per example, at about
    /// 30 GFLOP/s on one core (convolutions counted per output position, roughly).
    static func estimatedCost(_ point: PointSpec, config: Config) -> Double {
        let classes = 10
        var inputs = 784, parameters = 0
        var positions = 1.0
        switch point.model.kind {
        case .mlp:
            for h in point.model.hidden {
                parameters += inputs * h + h
                inputs = h
            }
        case .cnn:
            var channels = 1
            for f in point.model.filters {
                parameters += channels * f * 9 + f
                channels = f
            }
            positions = 196
            inputs = channels * 49
            for h in point.model.hidden {
                parameters += inputs * h + h
                inputs = h
            }
        }
        parameters += inputs * classes + classes
        let perEpoch = Double(parameters) * positions * (6 * Double(config.trainSize) + 2 * Double(config.testSize))
        return Double(config.training.epochs) * perEpoch / 3e10
    }

    /// Trains one point on the configured data (loaded once per process).
    static func runPoint(_ point: PointSpec, config: Config, context: RunContext) throws -> HDF5Document {
        let (train, test) = try context.cached("random-labels/\(config.dataset.rawValue)") { try loadData(config, context: context) }
        return try runPoint(point, config: config, train: train, test: test, context: context).0
    }

    /// The merged curves (`/curves/<label>/…`) and the scalars the claims read (`/summary/…`),
    /// from the points' own `/summary` scalars.
    static func merge(_ points: [(PointSpec, HDF5Document)], config: Config) throws -> HDF5Document {
        var summary = HDF5Document()
        var results: [PointResult] = []
        for (point, document) in points {
            summary.merge(document, from: "/curves", into: "/curves/\(point.name)")
            results.append(try PointResult(spec: point, document: document))
        }
        Summary.add(results, to: &summary, models: config.models.map(\.name), conditions: config.conditions)
        return summary
    }

    /// The full training and test sets of the configured data set (before subsetting).
    static func loadData(_ config: Config, context: RunContext) throws -> (Dataset<Float>, Dataset<Float>) {
        switch config.dataset {
        case .fashionMNIST:
            let (train, test) = try FashionMNIST.load(from: context.data, as: Float.self)
            return (train, test)
        case .mnist5k:
            let all = try MNIST5k.load(from: context.data, as: Float.self)
            return (all, all)
        }
    }
}
