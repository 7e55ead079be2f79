import Foundation

/// The suite's JSON conventions: snake_case keys, sorted and pretty output.
public enum JSONCoding {
    /// Decoder for configs and claims files (snake_case keys).
    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// Encoder for resolved configs (snake_case, sorted keys, so equal configs give equal text).
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }

    /// `value` as sorted, pretty JSON text.
    public static func string<V: Encodable>(_ value: V) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension DecodingError {
    /// The JSON path of the failing field in snake_case dotted form ("training.batch_size").
    public var fieldPath: String {
        let context: Context
        switch self {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): context = c
        case let .keyNotFound(key, c):
            return Self.dotted(c.codingPath + [key])
        @unknown default: return ""
        }
        return Self.dotted(context.codingPath)
    }

    /// "sweeps[0].name": names joined by dots, array indices attached.
    private static func dotted(_ path: [any CodingKey]) -> String {
        path.map(\.jsonName).reduce("") { out, name in
            out.isEmpty || name.hasPrefix("[") ? out + name : out + "." + name
        }
    }

    /// A short reason in words.
    public var reasonText: String {
        switch self {
        case let .typeMismatch(type, c):
            ObjectIdentifier(type) == ObjectIdentifier(Any.self) ? c.debugDescription : "expected a value of type \(type)"
        case let .valueNotFound(type, _): "missing value of type \(type)"
        case .keyNotFound: "required key is missing"
        case let .dataCorrupted(c): c.debugDescription
        @unknown default: "cannot decode"
        }
    }
}

extension CodingKey {
    /// The key as written in the JSON (snake_case) or "[i]" for an array index.
    var jsonName: String {
        if let i = intValue { return "[\(i)]" }
        // Keys arrive already converted to camelCase by the decoder; convert back for messages.
        var out = ""
        for ch in stringValue {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}
