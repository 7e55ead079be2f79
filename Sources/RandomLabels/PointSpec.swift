import ImplicitRegCore

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
