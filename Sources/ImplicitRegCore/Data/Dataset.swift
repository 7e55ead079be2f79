/// A supervised data set held in memory: one example per row of `inputs`.
///
/// Classification sets carry integer `labels` (0..<classCount); regression sets carry `targets`
/// (one row per example). Both may be present (e.g. one-hot targets for a squared loss).
public struct Dataset<T: BLASScalar>: Sendable, Equatable {
    /// Inputs, n × d, one example per row.
    public var inputs: Matrix<T>
    /// Class labels in 0..<classCount, one per example (empty for pure regression).
    public var labels: [Int32]
    /// Regression targets, n × k (nil for pure classification).
    public var targets: Matrix<T>?
    /// Number of classes (0 for regression).
    public var classCount: Int
    /// Shape of one example as (channels, height, width) for images; (1, 1, d) otherwise.
    public var exampleShape: (channels: Int, height: Int, width: Int)
    /// Human-readable origin, for errors and provenance ("fashion-mnist/train", ...).
    public var name: String

    /// A classification set.
    public init(name: String, inputs: Matrix<T>, labels: [Int32], classCount: Int,
                exampleShape: (channels: Int, height: Int, width: Int)? = nil) {
        precondition(labels.count == inputs.rows, "\(name): \(labels.count) labels for \(inputs.rows) inputs")
        self.name = name
        self.inputs = inputs
        self.labels = labels
        self.targets = nil
        self.classCount = classCount
        self.exampleShape = exampleShape ?? (1, 1, inputs.cols)
    }

    /// A regression set.
    public init(name: String, inputs: Matrix<T>, targets: Matrix<T>) {
        precondition(targets.rows == inputs.rows, "\(name): \(targets.rows) targets for \(inputs.rows) inputs")
        self.name = name
        self.inputs = inputs
        self.labels = []
        self.targets = targets
        self.classCount = 0
        self.exampleShape = (1, 1, inputs.cols)
    }

    /// Number of examples.
    public var count: Int { inputs.rows }
    /// Features per example.
    public var featureCount: Int { inputs.cols }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        var out = self
        out.name = name ?? self.name
        out.inputs = inputs.rows(indices)
        out.labels = labels.isEmpty ? [] : indices.map { labels[$0] }
        out.targets = targets?.rows(indices)
        return out
    }

    public static func == (a: Dataset, b: Dataset) -> Bool {
        a.name == b.name && a.inputs == b.inputs && a.labels == b.labels && a.targets == b.targets
            && a.classCount == b.classCount && a.exampleShape == b.exampleShape
    }
}
