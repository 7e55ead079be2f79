import Foundation
import ImplicitRegCore
import ReadingSupport

/// Zhang et al. 2017: networks fit random labels with unchanged hyperparameters.
enum RandomLabels: Reading {
    typealias Config = RandomLabelsConfig
    static let name = "random-labels"
    static let abstract = """
        Zhang et al. 2017, Understanding deep learning requires rethinking generalization (arXiv 1611.03530).
        Fits MLPs/a CNN to random labels, noise inputs and corrupted labels, with and without regularizers; builds Theorem 1's network.
        """

    /// In order: for each seed, dataset and model the randomisation conditions, then the
    /// corruption levels, then the regularizers; then the extra (CNN) runs; then the size sweep
    /// (largest N first, so the longest runs start early); then Theorem 1.
    static func points(_ config: Config) -> [PointSpec] {
        var out: [TrainingPoint] = []
        let reg = config.regularization
        for seed in config.seeds.map({ config.seed &+ $0 }) {
            for dataset in config.datasets {
                for model in config.models {
                    for condition in config.conditions {
                        out.append(TrainingPoint(dataset: dataset, model: model, condition: condition,
                                                 corruption: condition == .randomLabels ? 1 : 0, regularizer: nil, seed: seed))
                    }
                    if config.corruption.models.contains(model.name) {
                        for p in config.corruption.levels {
                            out.append(TrainingPoint(dataset: dataset, model: model, condition: .corruptedLabels,
                                                     corruption: p, regularizer: nil, seed: seed))
                        }
                    }
                    if reg.models.contains(model.name) {
                        for r in reg.variants {
                            out.append(TrainingPoint(dataset: dataset, model: model, condition: .trueLabels,
                                                     corruption: 0, regularizer: r, seed: seed))
                        }
                        for r in reg.randomLabels {
                            out.append(TrainingPoint(dataset: dataset, model: model, condition: .randomLabels,
                                                     corruption: 1, regularizer: r, seed: seed))
                        }
                    }
                }
            }
        }
        for extra in config.extraRuns {
            for seed in extra.seeds.map({ config.seed &+ $0 }) {
                for dataset in extra.datasets {
                    for condition in extra.conditions {
                        out.append(TrainingPoint(dataset: dataset, model: extra.model, condition: condition,
                                                 corruption: condition == .randomLabels ? 1 : 0, regularizer: nil, seed: seed))
                    }
                    for p in extra.corruptionLevels ?? [] {
                        out.append(TrainingPoint(dataset: dataset, model: extra.model, condition: .corruptedLabels,
                                                 corruption: p, regularizer: nil, seed: seed))
                    }
                }
            }
        }
        if let sweep = config.sizeSweep, let model = config.models.first(where: { $0.name == sweep.model }) {
            for n in sweep.trainSizes.reversed() {
                for seed in sweep.seeds.map({ config.seed &+ $0 }) {
                    for condition in sweep.conditions {
                        out.append(TrainingPoint(dataset: sweep.dataset, model: model, condition: condition,
                                                 corruption: condition == .randomLabels ? 1 : 0, regularizer: nil, seed: seed,
                                                 trainSize: n, epochs: sweep.epochs, stopAtTrainAccuracy: sweep.stopAtTrainAccuracy))
                    }
                }
            }
        }
        var theorem: [TheoremPoint] = []
        for size in config.theorem.sizes {
            for seed in size.seeds.map({ config.seed &+ $0 }) {
                theorem.append(TheoremPoint(n: size.n, d: size.d, theta: config.theorem.theta, seed: seed))
            }
        }
        return out.map(PointSpec.training) + theorem.map(PointSpec.theorem)
    }

    static func label(_ point: PointSpec) -> String { point.name }

    static func seed(of point: PointSpec, config: Config) -> UInt64 { point.seed }

    /// The training points' data sets (the theorem's points are synthetic).
    static func dataSets(for points: [PointSpec], config: Config) -> Set<DataSetName> {
        Set(points.compactMap { point -> DataSetName? in
            guard case let .training(p) = point else { return nil }
            switch p.dataset {
            case .fashionMNIST: return .fashionMNIST
            case .mnist5k: return .mnist5k
            }
        })
    }

    /// Training: the epochs a run is expected to take (fixed for the regularization runs, about
    /// 80 for random and corrupted labels, 40 otherwise) times forward and backward ≈ 6 flops per
    /// parameter per training example plus evaluation 2 per example, at about 100 GFLOP/s for the
    /// dense layers (AVX-512 sgemm on one core) and 12 GFLOP/s for the convolutions (im2col,
    /// counted per output position); dropout and shifts add about 60 %. Theorem 1: negligible.
    static func estimatedCost(_ point: PointSpec, config: Config) -> Double {
        guard case let .training(point) = point else { return 0.1 }
        var inputs = 784, dense = 0, conv = 0
        if point.model.kind == .cnn {
            var channels = 1, positions = 784
            for f in point.model.filters {
                conv += (channels * f * 9 + f) * positions
                channels = f
                positions /= 4
            }
            inputs = channels * positions
        }
        for h in point.model.hidden {
            dense += inputs * h + h
            inputs = h
        }
        dense += inputs * 10 + 10
        let n = Double(point.trainSize ?? config.trainSize)
        let examples = 6 * n + 2 * (n + Double(config.testSize(point.dataset, trainSize: point.trainSize)))
        var perEpoch = examples * (Double(dense) / 1e11 + Double(conv) / 1.2e10)
        if point.regularizer == .dropout || point.regularizer == .shift { perEpoch *= 1.6 }
        let epochs: Double
        if point.regularizer != nil && point.condition == .trueLabels {
            epochs = Double(config.regularization.epochs)
        } else {
            // Random labels take longer as N grows (the size sweep: epochs ∝ N^0.3–0.4; 0.5 errs long).
            let growth = point.condition == .randomLabels || point.condition == .corruptedLabels ? pow(n / 4_000, 0.5) : 1
            epochs = min(Double(point.epochs ?? config.training.epochs), growth * (point.condition == .trueLabels || point.condition == .shuffledPixels ? 40
                         : point.condition == .randomPixels || point.condition == .gaussian ? 20 : 80))
        }
        return epochs * perEpoch
    }

    /// Runs one point; training data is loaded once per process and data set.
    static func runPoint(_ point: PointSpec, config: Config, context: RunContext) throws -> HDF5Document {
        switch point {
        case let .training(point):
            let (train, test) = try context.cached("random-labels/\(point.dataset.rawValue)") {
                try loadData(point.dataset, context: context)
            }
            return try runTraining(point, config: config, train: train, test: test, context: context)
        case let .theorem(point):
            return try runTheorem(point, config: config, context: context)
        }
    }

    /// The merged curves (`/curves/<label>/…`, with the point's description as group attributes)
    /// and the scalars the claims read (`/summary/…`), from the points' own `/summary` scalars.
    static func merge(_ points: [(PointSpec, HDF5Document)], config: Config) throws -> HDF5Document {
        var summary = HDF5Document()
        var results: [PointResult] = []
        var theorem: [TheoremResult] = []
        for (point, document) in points {
            switch point {
            case let .training(p):
                let group = "/curves/\(p.name)"
                summary.merge(document, from: "/curves", into: group)
                summary.setAttribute("dataset", .string(p.dataset.rawValue), on: group)
                summary.setAttribute("model", .string(p.model.name), on: group)
                summary.setAttribute("condition", .string(p.condition.rawValue), on: group)
                summary.setAttribute("corruption", .double(p.corruption), on: group)
                summary.setAttribute("regularizer", .string(p.regularizer?.rawValue ?? "none (stops at 100 % training accuracy)"), on: group)
                summary.setAttribute("seed", .int(Int64(p.seed)), on: group)
                summary.setAttribute("train_size", .int(Int64(p.trainSize ?? config.trainSize)), on: group)
                summary.setAttribute("size_sweep", .int(p.trainSize == nil ? 0 : 1), on: group)
                results.append(try PointResult(spec: p, document: document))
            case let .theorem(p):
                theorem.append(try TheoremResult(spec: p, document: document))
            }
        }
        Summary.add(results.filter { $0.spec.trainSize == nil }, corruptionModels: Set(config.corruption.models), to: &summary)
        Summary.addSizeSweep(results.filter { $0.spec.trainSize != nil }, to: &summary)
        Summary.add(theorem, to: &summary)
        return summary
    }

    /// The full training and test sets of `dataset` (before subsetting).
    static func loadData(_ dataset: DatasetName, context: RunContext) throws -> (Dataset<Float>, Dataset<Float>) {
        switch dataset {
        case .fashionMNIST:
            let (train, test) = try FashionMNIST.load(from: context.data, as: Float.self)
            return (train, test)
        case .mnist5k:
            let all = try MNIST5k.load(from: context.data, as: Float.self)
            return (all, all)
        }
    }
}
