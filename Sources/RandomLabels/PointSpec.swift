import ImplicitRegCore
import ReadingSupport

/// One point of the grid: a model, a data condition and a seed.
struct PointSpec: Codable, Sendable {
    var model: ModelSpec
    var condition: Condition
    var seed: UInt64

    /// File and group name ("mlp-1x512-random-labels-seed0").
    var name: String { "\(model.name)-\(condition.rawValue)-seed\(seed)" }
}

/// What a point contributes to the summary.
struct PointResult {
    var spec: PointSpec
    var finalTrainAccuracy: Double
    var finalTestAccuracy: Double
    var epochsTo99: Double
    var epochsTo100: Double
    var epochsRun: Int
}

extension PointResult {
    /// The numbers a point wrote under `/summary` (its file read back), for the merge.
    init(spec: PointSpec, document: HDF5Document) throws {
        func value(_ name: String) throws -> Double {
            guard let v = document.scalar("/summary/\(name)") else { throw PointFileError.missingScalar(point: spec.name, path: "/summary/\(name)") }
            return v
        }
        self.init(spec: spec, finalTrainAccuracy: try value("final_train_accuracy"),
                  finalTestAccuracy: try value("final_test_accuracy"),
                  epochsTo99: try value("epochs_to_99"), epochsTo100: try value("epochs_to_100"),
                  epochsRun: max(0, (document.datasets["/curves/epoch"]?.values.count ?? 1) - 1))
    }
}

/// A point file that lacks what the merge needs.
enum PointFileError: Error, CustomStringConvertible {
    case missingScalar(point: String, path: String)

    var description: String {
        switch self {
        case let .missingScalar(point, path): "the file of point \(point) has no scalar \(path); run the point again"
        }
    }
}
