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

/// Throws ``ConfigError/invalid(field:value:reason:)`` unless `condition` holds.
public func requireValid<V>(_ condition: Bool, field: String, value: V, _ reason: String) throws {
    if !condition { throw ConfigError.invalid(field: field, value: "\(value)", reason: reason) }
}
