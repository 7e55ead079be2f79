/// A value of an HDF5 attribute. Equality is bitwise for floating-point values (NaN equals NaN),
/// which is what "the same result" means in a reproduction.
public enum AttributeValue: Sendable, Equatable {
    /// A variable-length UTF-8 string (h5py reads it as `str`).
    case string(String)
    /// A 64-bit integer scalar.
    case int(Int64)
    /// A double scalar.
    case double(Double)
    /// A 1-D array of doubles.
    case doubles([Double])
    /// A 1-D array of 64-bit integers.
    case ints([Int64])

    public static func == (a: AttributeValue, b: AttributeValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.double(x), .double(y)): x.bitPattern == y.bitPattern
        case let (.doubles(x), .doubles(y)): x.map(\.bitPattern) == y.map(\.bitPattern)
        case let (.ints(x), .ints(y)): x == y
        default: false
        }
    }
}

/// The values of a dataset, row-major. Equality is bitwise for floating-point values (NaN equals NaN).
public enum DatasetValues: Sendable, Equatable {
    /// 32-bit floats.
    case float([Float])
    /// 64-bit floats.
    case double([Double])
    /// 32-bit signed integers.
    case int32([Int32])
    /// 64-bit signed integers.
    case int64([Int64])

    /// The number of values.
    public var count: Int {
        switch self {
        case let .float(v): v.count
        case let .double(v): v.count
        case let .int32(v): v.count
        case let .int64(v): v.count
        }
    }

    public static func == (a: DatasetValues, b: DatasetValues) -> Bool {
        switch (a, b) {
        case let (.float(x), .float(y)): x.map(\.bitPattern) == y.map(\.bitPattern)
        case let (.double(x), .double(y)): x.map(\.bitPattern) == y.map(\.bitPattern)
        case let (.int32(x), .int32(y)): x == y
        case let (.int64(x), .int64(y)): x == y
        default: false
        }
    }
}

/// One dataset: its shape (`[]` is a scalar; `[0]` an empty 1-D dataset), its values (row-major)
/// and its attributes.
public struct HDF5Dataset: Sendable, Equatable {
    /// The extent of each dimension; the product is `values.count`.
    public var shape: [Int]
    /// The values, row-major.
    public var values: DatasetValues
    /// The dataset's attributes ("units", "description", ...).
    public var attributes: [String: AttributeValue]

    /// A dataset with the given shape, values and attributes.
    public init(shape: [Int], values: DatasetValues, attributes: [String: AttributeValue] = [:]) {
        self.shape = shape
        self.values = values
        self.attributes = attributes
    }
}

/// A whole HDF5 file held in memory and written at once: groups by absolute path ("/meta",
/// "/curves/true-labels") with their attributes, and datasets by absolute path
/// ("/curves/true-labels/train_loss"). The root group is "/" and is a key of `groupAttributes`
/// only when it has attributes; every other group is a key (possibly with no attributes).
public struct HDF5Document: Sendable, Equatable {
    /// Attributes of each group, by absolute path.
    public var groupAttributes: [String: [String: AttributeValue]]
    /// Datasets by absolute path.
    public var datasets: [String: HDF5Dataset]
    /// Dimension scales declared with ``setDimensionScale(_:for:)``: the axis dataset's path →
    /// the datasets it labels (empty: every other 1-D dataset of its group with its length).
    /// Groups without one get the automatic rule (``automaticAxisNames``). Reading a file puts
    /// here the scales it holds that the rule would not make, so writing it again gives the same
    /// scales.
    public var dimensionScales: [String: [String]]

    /// An empty document.
    public init() {
        groupAttributes = [:]
        datasets = [:]
        dimensionScales = [:]
    }

    /// Sets attribute `name` of the group at `groupPath`, creating the group (and its parents) if missing.
    public mutating func setAttribute(_ name: String, _ value: AttributeValue, on groupPath: String) {
        addGroups(groupPath)
        groupAttributes[groupPath, default: [:]][name] = value
    }

    /// Adds a dataset at `path` (parent groups are created) with string attributes "units" and
    /// "description". `shape` defaults to `[values.count]`; its product must equal `values.count`.
    public mutating func addDataset(_ path: String, _ values: DatasetValues, shape: [Int]? = nil,
                                    units: String, description: String) {
        let shape = shape ?? [values.count]
        precondition(shape.reduce(1, *) == values.count,
                     "dataset \(path): shape \(shape) holds \(shape.reduce(1, *)) values, not \(values.count)")
        addGroups(Self.parent(of: path))
        datasets[path] = HDF5Dataset(shape: shape, values: values,
                                     attributes: ["units": .string(units), "description": .string(description)])
    }

    /// Adds a scalar double dataset at `path` (h5py: `f[path][()]` is a NumPy scalar).
    public mutating func addScalar(_ path: String, _ value: Double, units: String, description: String) {
        addDataset(path, .double([value]), shape: [], units: units, description: description)
    }

    /// The value of a one-element dataset (scalar or of shape `[1]`) as a Double, or nil if there is none.
    public func scalar(_ path: String) -> Double? {
        guard let values = datasets[path]?.values, values.count == 1 else { return nil }
        switch values {
        case let .float(v): return Double(v[0])
        case let .double(v): return v[0]
        case let .int32(v): return Double(v[0])
        case let .int64(v): return Double(v[0])
        }
    }

    /// The group holding `path` ("/" for "/x").
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Adds entries for `group` and its ancestors, except the root.
    private mutating func addGroups(_ group: String) {
        var group = group
        while group != "/", !group.isEmpty {
            if groupAttributes[group] == nil { groupAttributes[group] = [:] }
            group = Self.parent(of: group)
        }
    }
}
