import Foundation
import ImplicitRegCore

/// A reading's configuration type: decodable from the profile JSON, re-encodable for `/meta`,
/// and able to check its own values.
public protocol ReadingConfig: Codable, Sendable {
    /// The experiment seed named in the config.
    var seed: UInt64 { get set }
    /// Throws ``ConfigError`` naming the first invalid field.
    func validate() throws
}

/// Loads `Reproductions/<reading>/configs/<profile>.json`, overlays a user file, and decodes it.
///
/// Every key a user writes must exist in the profile's file (which names every hyperparameter):
/// a misspelt key is an error naming it, never silently ignored. Both files are read as strict
/// JSON (``StrictJSON``: trailing commas, comments and duplicate keys are errors with line and
/// column), and every number must be finite and, unless zero, a normal double.
public enum ConfigLoader {
    /// Largest config file read: configs are a few kilobytes.
    public static let maxFileBytes = 1 << 20

    /// The resolved configuration and its canonical JSON (sorted keys), for `/meta`.
    public static func load<C: ReadingConfig>(
        _ type: C.Type, reading: String, profile: Profile, override: String?, overrides: [String] = [], seed: UInt64?, root: String
    ) throws -> (config: C, json: String) {
        let profilePath = "\(root)/Reproductions/\(reading)/configs/\(profile.rawValue).json"
        if profile == .paper, !FileManager.default.fileExists(atPath: profilePath) {
            throw ConfigError.unreadable(file: profilePath, reason: "\(reading) has no paper profile: its full profile already measures what the paper did (use --profile full)")
        }
        var merged = try readObject(profilePath)
        var source = profilePath
        if let override {
            let user = try readObject(override)
            try checkKeys(user, against: merged, file: override, prefix: "")
            merged = overlay(merged, with: user)
            source = override
        }
        if !overrides.isEmpty {
            merged = try applyOverrides(overrides, to: merged)
            source = "the command line (\(overrides.joined(separator: " ")))"
        }
        if let seed { merged["seed"] = .number(String(seed)) }
        try checkNumbers(.object(merged), field: "", file: source)
        let config: C
        do {
            config = try JSONValueDecoder().decode(C.self, from: .object(merged))
        } catch let error as DecodingError {
            throw ConfigError.malformed(field: error.fieldPath, file: source, reason: error.reasonText)
        }
        try config.validate()
        return (config, try JSONCoding.string(config))
    }

    /// Reads a JSON object from `path` (a regular file of at most ``maxFileBytes``, strict JSON).
    public static func readObject(_ path: String) throws -> [String: JSONValue] {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: maxFileBytes)
        } catch let refusal as RegularFile.Refusal {
            throw ConfigError.unreadable(file: path, reason: refusal == .missing ? "no such file" : refusal.description)
        }
        let value: JSONValue
        do {
            value = try StrictJSON.parse(bytes)
        } catch {
            throw ConfigError.unreadable(file: path, reason: "not valid JSON: \(error)")
        }
        guard case let .object(members) = value else {
            throw ConfigError.unreadable(file: path, reason: "the top level must be a JSON object")
        }
        return members
    }

    /// Applies command-line overrides `key.path=value` (the value is JSON: `0.05`, `[16, 32]`,
    /// `{"rule": "he"}`, `true`; a bare word such as `relu` is taken as a string) on top of `base`.
    /// Every key must exist in `base`; errors name the argument.
    public static func applyOverrides(_ overrides: [String], to base: [String: JSONValue]) throws -> [String: JSONValue] {
        var out = base
        for argument in overrides {
            guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else {
                throw ConfigError.unreadable(file: "the command line", reason: "\"\(argument)\" is not key.path=value (e.g. training.learning_rate=0.05)")
            }
            let path = argument[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let text = String(argument[argument.index(after: eq)...])
            let value: JSONValue
            if let parsed = try? StrictJSON.parse(Array(text.utf8)) {
                value = parsed
            } else if let first = text.unicodeScalars.first, CharacterSet.letters.contains(first),
                      !text.contains(where: { "\"[]{},:".contains($0) }) {
                value = .string(text)
            } else {
                throw ConfigError.malformed(field: path.joined(separator: "."), file: "the command line",
                                            reason: "\(text) is not a JSON value (numbers, true/false, \"text\", [lists], {objects})")
            }
            out = try set(value, at: path[...], in: out, full: path.joined(separator: "."))
        }
        return out
    }

    private static func set(_ value: JSONValue, at path: ArraySlice<String>, in object: [String: JSONValue], full: String) throws -> [String: JSONValue] {
        guard let key = path.first, !key.isEmpty, let existing = object[key] else {
            throw ConfigError.unknownKey(field: full, file: "the command line")
        }
        var out = object
        if path.count == 1 {
            if case let .object(sub) = value, case let .object(old) = existing {
                try checkKeys(sub, against: old, file: "the command line", prefix: full)
                out[key] = .object(overlay(old, with: sub))
            } else {
                out[key] = value
            }
            return out
        }
        guard case let .object(sub) = existing else {
            throw ConfigError.malformed(field: full, file: "the command line", reason: "\(key) is not an object, so it has no \(path.dropFirst().joined(separator: "."))")
        }
        out[key] = .object(try set(value, at: path.dropFirst(), in: sub, full: full))
        return out
    }

    /// Throws for the first key of `user` that `reference` does not have (recursively).
    static func checkKeys(_ user: [String: JSONValue], against reference: [String: JSONValue], file: String, prefix: String) throws {
        for key in user.keys.sorted() {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            guard let ref = reference[key] else { throw ConfigError.unknownKey(field: path, file: file) }
            if case let .object(sub) = user[key], case let .object(refSub) = ref {
                try checkKeys(sub, against: refSub, file: file, prefix: path)
            }
        }
    }

    /// `base` with `top`'s values replacing it, merging nested objects.
    static func overlay(_ base: [String: JSONValue], with top: [String: JSONValue]) -> [String: JSONValue] {
        var out = base
        for (key, value) in top {
            if case let .object(sub) = value, case let .object(baseSub)? = base[key] {
                out[key] = .object(overlay(baseSub, with: sub))
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// Throws ``ConfigError/malformed(field:file:reason:)`` naming the first number that is not
    /// finite as a double (1e400) or is subnormal (1e-320: it has lost precision, and no
    /// hyperparameter of the suite means such a value).
    public static func checkNumbers(_ value: JSONValue, field: String, file: String) throws {
        switch value {
        case let .object(members):
            for key in members.keys.sorted() {
                try checkNumbers(members[key]!, field: field.isEmpty ? key : "\(field).\(key)", file: file)
            }
        case let .array(items):
            for (i, item) in items.enumerated() { try checkNumbers(item, field: "\(field)[\(i)]", file: file) }
        case let .number(literal):
            let isInteger = !literal.contains { $0 == "." || $0 == "e" || $0 == "E" }
            guard let x = Double(literal), x.isFinite else {
                throw ConfigError.malformed(field: field, file: file, reason: "\(literal) is out of range for a number")
            }
            let seed = field == "seed" || field.hasSuffix(".seed") || field.range(of: #"(^|\.)seeds\[\d+\]$"#, options: .regularExpression) != nil
            guard seed || abs(x) <= (isInteger ? ConfigLimits.maxInteger : ConfigLimits.maxMagnitude) else {
                throw ConfigError.malformed(field: field, file: file,
                                            reason: "\(literal) is larger in magnitude than \(isInteger ? "10⁹" : "10³⁶"), more than any hyperparameter means (a run would not finish or would overflow)")
            }
            guard isInteger || x.isZero || x.isNormal else {  // isZero, not == 0: executables flush subnormals, so 1e-320 == 0 there
                throw ConfigError.malformed(field: field, file: file,
                                            reason: "\(literal) is subnormal (smaller in magnitude than \(Double.leastNormalMagnitude)); use 0 or a normal number")
            }
        default:
            break
        }
    }
}
