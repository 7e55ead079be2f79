/// A configuration that cannot be used, with the offending field named as a JSON path
/// ("training.batch_size") and, when known, the file it came from.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    /// A field's value is outside what the experiment accepts.
    case invalid(field: String, value: String, reason: String)
    /// A key the configuration does not have (often a typo).
    case unknownKey(field: String, file: String)
    /// A field has the wrong JSON type or is missing.
    case malformed(field: String, file: String, reason: String)
    /// The file cannot be read or is not JSON.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .invalid(field, value, reason):
            "invalid configuration: \(field) = \(value) \(reason)"
        case let .unknownKey(field, file):
            "invalid configuration in \(file): unknown key \"\(field)\" (check its spelling against the profile configs in Reproductions/<reading>/configs/)"
        case let .malformed(field, file, reason):
            "invalid configuration in \(file): \(field.isEmpty ? "top level" : field): \(reason)"
        case let .unreadable(file, reason):
            "cannot read configuration \(file): \(reason)"
        }
    }
}

/// Upper bounds that keep a run finite, whatever a config asks for.
public enum ConfigLimits {
    /// Largest number of steps, epochs or grid entries a field may imply (the profiles imply at
    /// most a few 10⁵ steps; 10⁹ steps of the smallest model already take hours).
    public static let maxSteps = 1e9
    /// Largest magnitude of any number in a config other than a seed: every hyperparameter of the
    /// suite is far below it (the largest, a noise-scale cap g_max, is 10⁹); it leaves room for
    /// deliberately diverging runs (learning rates of 10³⁰) and keeps every value a finite float32.
    public static let maxMagnitude = 1e36
    /// Largest whole number (written without a decimal point or exponent) other than a seed: the
    /// profiles' largest count is 10⁶; products of two such counts stay far inside an Int.
    public static let maxInteger = 1e9
    /// Largest estimated cost of a whole grid, in core-seconds (ten core-years): the paper
    /// profiles, sized for a cluster, stay far below it.
    public static let maxGridSeconds = 10 * 365 * 86_400.0
    /// Most epochs of one training run: the profiles use at most a few hundred.
    public static let maxEpochs = 100_000
    /// Widest hidden layer a config may ask for: a 10⁴ × 10⁴ layer already holds 400 MB of
    /// float32 weights; the profiles use at most 1024.
    public static let maxWidth = 10_000
}

/// Throws ``ConfigError/invalid(field:value:reason:)`` unless `steps` — a count that `field`
/// implies, such as time / step size — is finite, at least 1 and at most ``ConfigLimits/maxSteps``.
public func requireSteps<V>(_ steps: Double, field: String, value: V, _ what: String) throws {
    try requireValid(steps.isFinite && steps >= 1 && steps <= ConfigLimits.maxSteps, field: field, value: value,
                     "gives \(what) = \(steps), outside 1…\(Int(ConfigLimits.maxSteps))")
}

/// Throws ``ConfigError/invalid(field:value:reason:)`` unless `condition` holds.
public func requireValid<V>(_ condition: Bool, field: String, value: V, _ reason: String) throws {
    if !condition { throw ConfigError.invalid(field: field, value: "\(value)", reason: reason) }
}
