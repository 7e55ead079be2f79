import ImplicitRegCore
import ReadingSupport

/// One training run: a data set, a model, a data condition (with its corruption level), an
/// optional explicit regularizer and a seed.
struct TrainingPoint: Codable, Sendable {
    var dataset: DatasetName
    var model: ModelSpec
    var condition: Condition
    /// Corruption level p, for `condition == .corruptedLabels` (1 for random labels, 0 otherwise).
    var corruption: Double
    /// nil: no explicit regularizer, stop at 100 % training accuracy (the randomization runs);
    /// set: a run of the regularization experiment.
    var regularizer: Regularizer?
    var seed: UInt64
    /// A point of the size sweep: its training-set size N (nil: the config's `train_size`).
    var trainSize: Int? = nil
    /// A point of the size sweep: its epoch cap (nil: `training.epochs`).
    var epochs: Int? = nil
    /// A point of the size sweep: the training accuracy it stops at (nil: `training.stop_at_train_accuracy`).
    var stopAtTrainAccuracy: Double? = nil

    /// "fashion-mnist-mlp-1x512-random-labels-seed0", "…-corrupted-0.4-seed0", "…-true-labels-weight-decay-seed0",
    /// "…-random-labels-n16000-seed0" (size sweep).
    var name: String {
        let condition = self.condition == .corruptedLabels ? "corrupted-\(corruption)" : self.condition.rawValue
        let regularizer = self.regularizer.map { "-\($0 == .none ? "unregularized" : $0.rawValue)" } ?? ""
        let size = trainSize.map { "-n\($0)" } ?? ""
        return "\(dataset.rawValue)-\(model.name)-\(condition)\(regularizer)\(size)-seed\(seed)"
    }
}

/// One Theorem 1 construction: n Gaussian points in ℝ^d with Gaussian targets.
struct TheoremPoint: Codable, Sendable {
    var n: Int
    var d: Int
    var theta: Double
    var seed: UInt64

    /// "theorem-1-n200-d20-seed0".
    var name: String { "theorem-1-n\(n)-d\(d)-seed\(seed)" }
}

/// One point of the grid.
enum PointSpec: Codable, Sendable {
    case training(TrainingPoint)
    case theorem(TheoremPoint)

    var name: String {
        switch self {
        case let .training(p): p.name
        case let .theorem(p): p.name
        }
    }

    var seed: UInt64 {
        switch self {
        case let .training(p): p.seed
        case let .theorem(p): p.seed
        }
    }
}

/// What a training point contributes to the summary (its `/summary` scalars read back).
struct PointResult {
    var spec: TrainingPoint
    var finalTrainAccuracy: Double
    var finalTestAccuracy: Double
    var bestTestAccuracy: Double
    var epochsTo99: Double
    var epochsTo100: Double
    /// Epochs to 99.9 % training accuracy (NaN in point files from before it was recorded).
    var epochsTo999: Double
    /// The highest training accuracy identical images with different labels allow (NaN in older files).
    var bestAchievableAccuracy: Double
    /// Epochs trained (the cap when 100 % was never reached).
    var epochsRun: Double
}

/// What a Theorem 1 point contributes to the summary.
struct TheoremResult {
    var spec: TheoremPoint
    var maxAbsResidual: Double
    var relativeResidual: Double
    var parameterCount: Double
    var nonzerosAboveDiagonal: Double
}

/// Reads a point's `/summary/<name>` scalar, or says which point lacks it.
func scalar(_ name: String, of point: String, in document: HDF5Document) throws -> Double {
    guard let v = document.scalar("/summary/\(name)") else { throw PointFileError.missingScalar(point: point, path: "/summary/\(name)") }
    return v
}

extension PointResult {
    /// The numbers a point wrote under `/summary` (its file read back), for the merge.
    init(spec: TrainingPoint, document: HDF5Document) throws {
        func value(_ name: String) throws -> Double { try scalar(name, of: spec.name, in: document) }
        self.init(spec: spec, finalTrainAccuracy: try value("final_train_accuracy"),
                  finalTestAccuracy: try value("final_test_accuracy"), bestTestAccuracy: try value("best_test_accuracy"),
                  epochsTo99: try value("epochs_to_99"), epochsTo100: try value("epochs_to_100"),
                  epochsTo999: document.scalar("/summary/epochs_to_999") ?? .nan,
                  bestAchievableAccuracy: document.scalar("/summary/best_achievable_train_accuracy") ?? .nan,
                  epochsRun: document.scalar("/summary/epochs_run") ?? .nan)
    }
}

extension TheoremResult {
    init(spec: TheoremPoint, document: HDF5Document) throws {
        func value(_ name: String) throws -> Double { try scalar(name, of: spec.name, in: document) }
        self.init(spec: spec, maxAbsResidual: try value("max_abs_residual"), relativeResidual: try value("relative_residual"),
                  parameterCount: try value("parameter_count"), nonzerosAboveDiagonal: try value("nonzeros_above_diagonal"))
    }
}


