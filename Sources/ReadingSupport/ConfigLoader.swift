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
/// a misspelt key is an error naming it, never silently ignored.
public enum ConfigLoader {
    /// The resolved configuration and its canonical JSON (sorted keys), for `/meta`.
    public static func load<C: ReadingConfig>(
        _ type: C.Type, reading: String, profile: Profile, override: String?, seed: UInt64?, root: String
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
        if let seed { merged["seed"] = seed }
        let data = try JSONSerialization.data(withJSONObject: merged)
        let config: C
        do {
            config = try JSONCoding.decoder.decode(C.self, from: data)
        } catch let error as DecodingError {
            throw ConfigError.malformed(field: error.fieldPath, file: source, reason: error.reasonText)
        }
        try config.validate()
        return (config, try JSONCoding.string(config))
    }

    /// Reads a JSON object from `path`.
    public static func readObject(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError.unreadable(file: path, reason: "no such file")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigError.unreadable(file: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let dict = object as? [String: Any] else {
            throw ConfigError.unreadable(file: path, reason: "the top level must be a JSON object")
        }
        return dict
    }

    /// Throws for the first key of `user` that `reference` does not have (recursively).
    static func checkKeys(_ user: [String: Any], against reference: [String: Any], file: String, prefix: String) throws {
        for key in user.keys.sorted() {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            guard let ref = reference[key] else { throw ConfigError.unknownKey(field: path, file: file) }
            if let sub = user[key] as? [String: Any], let refSub = ref as? [String: Any] {
                try checkKeys(sub, against: refSub, file: file, prefix: path)
            }
        }
    }

    /// `base` with `top`'s values replacing it, merging nested objects.
    static func overlay(_ base: [String: Any], with top: [String: Any]) -> [String: Any] {
        var out = base
        for (key, value) in top {
            if let sub = value as? [String: Any], let baseSub = base[key] as? [String: Any] {
                out[key] = overlay(baseSub, with: sub)
            } else {
                out[key] = value
            }
        }
        return out
    }
}
