import ImplicitRegCore

/// One point of the grid: one experiment.
struct PointSpec: Codable, Sendable {
    var experiment: Experiment

    var name: String { experiment.rawValue }
}

/// A point file that lacks what the merge needs.
enum PointFileError: Error, CustomStringConvertible {
    case missing(point: String, path: String)

    var description: String {
        switch self {
        case let .missing(point, path): "the file of point \(point) has no \(path); run the point again"
        }
    }
}

/// A run that cannot give a meaningful answer.
enum ExperimentError: Error, CustomStringConvertible {
    case diverged(String)

    var description: String {
        switch self {
        case let .diverged(what): "diverged: \(what)"
        }
    }
}
