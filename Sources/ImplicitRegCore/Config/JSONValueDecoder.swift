/// Decodes a `Decodable` type from a ``JSONValue`` with the suite's conventions (snake_case keys
/// in the JSON, camelCase in Swift), checking every number against the exact type asked for.
///
/// Foundation's `JSONDecoder` reports a number of the wrong kind (2.5 for an `Int`, −1 or 2⁶⁴ for
/// a `UInt64`) as "The given data was not valid JSON" with no field; here every such error is a
/// `DecodingError` whose coding path names the field and whose message says what was expected.
public struct JSONValueDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: ValueDecoder(value: value, codingPath: []))
    }

    /// "learning_rate" → "learningRate" (JSONDecoder's `convertFromSnakeCase`).
    static func camelCase(_ key: String) -> String {
        guard key.contains("_") else { return key }
        let leading = key.prefix { $0 == "_" }
        let trailing = String(key.reversed().prefix { $0 == "_" })
        let core = key.dropFirst(leading.count).dropLast(trailing.count)
        let words = core.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = words.first else { return key }
        return leading + first.lowercased() + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined() + trailing
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func kind(_ v: JSONValue) -> String {
        switch v {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case let .number(n): "the number \(n)"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(kind(value))"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .object(members) = value else { throw mismatch("an object") }
        var converted: [String: JSONValue] = [:]
        for (key, v) in members { converted[JSONValueDecoder.camelCase(key)] = v }
        return KeyedDecodingContainer(Keyed<Key>(members: converted, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case let .array(items) = value else { throw mismatch("an array") }
        return Unkeyed(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }
}

private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]
    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func child(_ key: Key) throws -> ValueDecoder {
        guard let v = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required key is missing"))
        }
        return ValueDecoder(value: v, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { members[key.stringValue].map { $0 == .null } ?? true }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try Single(decoder: child(key)).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(members), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

private struct Unkeyed: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [AnyKey(intValue: currentIndex)], debugDescription: "the array is too short"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], codingPath: codingPath + [AnyKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try Single(decoder: next()).decode(type) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct Single: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func literal() throws -> String {
        guard case let .number(n) = decoder.value else { throw decoder.mismatch("a number") }
        return n
    }

    func corrupted(_ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
    }

    /// An integer of type `I` from a literal such as 12, -3 or 1e3 (integral and in range).
    func integer<I: FixedWidthInteger>(_: I.Type) throws -> I {
        let n = try literal()
        if let exact = I(n) { return exact }
        let isPlainInteger = !n.contains { $0 == "." || $0 == "e" || $0 == "E" }
        if !isPlainInteger, let x = Double(n), x == x.rounded(), abs(x) < 0x1p53, let exact = I(exactly: x) { return exact }
        let range = "\(I.min)…\(I.max)"
        if isPlainInteger || Double(n).map({ $0 == $0.rounded() }) == true {
            throw corrupted("\(n) is out of range for this field (a whole number in \(range))")
        }
        throw corrupted("expected a whole number (\(range)), found \(n)")
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case let .bool(b) = decoder.value else { throw decoder.mismatch("true or false") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case let .string(s) = decoder.value else { throw decoder.mismatch("a string") }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        let n = try literal()
        guard let x = Double(n), x.isFinite else { throw corrupted("\(n) is out of range for a number") }
        return x
    }

    func decode(_ type: Float.Type) throws -> Float {
        let n = try literal()
        guard let x = Float(n), x.isFinite else { throw corrupted("\(n) is out of range for a 32-bit float") }
        return x
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Bool.Type: return try decode(Bool.self) as! T
        case is String.Type: return try decode(String.self) as! T
        case is Double.Type: return try decode(Double.self) as! T
        case is Float.Type: return try decode(Float.self) as! T
        case is Int.Type: return try decode(Int.self) as! T
        case is Int32.Type: return try decode(Int32.self) as! T
        case is Int64.Type: return try decode(Int64.self) as! T
        case is UInt64.Type: return try decode(UInt64.self) as! T
        case is UInt32.Type: return try decode(UInt32.self) as! T
        case is UInt.Type: return try decode(UInt.self) as! T
        default: return try T(from: decoder)
        }
    }
}
