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

    static func run(_ config: Config, context: RunContext) throws -> HDF5Document {
        let (trainAll, testAll) = try loadData(config, context: context)
        var summary = HDF5Document()
        var results: [PointResult] = []
        let seeds = config.seeds.map { config.seed &+ $0 }
        let total = seeds.count * config.models.count * config.conditions.count
        for seed in seeds {
            for model in config.models {
                for condition in config.conditions {
                    let point = PointSpec(model: model, condition: condition, seed: seed)
                    context.progress.begin("[\(results.count + 1)/\(total)] \(point.name)")
                    let (doc, result) = try runPoint(point, config: config, train: trainAll, test: testAll, context: context)
                    try context.writePoint(point.name, doc, pointConfigJSON: try JSONCoding.string(point), seed: seed)
                    summary.merge(doc, from: "/curves", into: "/curves/\(point.name)")
                    results.append(result)
                }
            }
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
