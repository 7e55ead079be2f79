/// A JSON value as ``StrictJSON`` parses it. Numbers keep their literal text, so an integer such
/// as 2⁶⁴ or a value such as 1e-320 reaches the decoder (and its error message) unchanged.
public indirect enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// The number as written (RFC 8259 grammar, checked).
    case number(String)
    case bool(Bool)
    case null

    /// Compact JSON text (object keys sorted), which `JSONDecoder` reads back as the same value.
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case let .object(members):
            out += "{"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONValue.string(key).write(to: &out)
                out += ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        case let .array(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case let .string(s):
            out += "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        case let .number(literal): out += literal
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }
}

/// A strict RFC 8259 JSON parser for configuration files. Unlike `JSONSerialization` it rejects,
/// with the line and column, what a careless edit leaves behind and a lenient reader would
/// silently accept or reinterpret: trailing commas, comments, duplicate keys (the second would
/// win unseen), unescaped control characters, leading zeros, `NaN`/`Infinity`, and text after the
/// value. Nesting is limited to ``maxDepth`` (a config is a few levels deep; the limit keeps a
/// crafted file from exhausting the stack).
public enum StrictJSON {
    /// Deepest nesting of arrays and objects accepted.
    public static let maxDepth = 64

    /// Why `bytes` is not strict JSON, with 1-based line and column of the offending byte.
    public struct SyntaxError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Parses one JSON value filling all of `bytes` (UTF-8; surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.at == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        func error(_ message: String, at position: Int? = nil) -> SyntaxError {
            let end = min(position ?? at, bytes.count)
            var line = 1, column = 1
            for b in bytes[..<end] {
                if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            }
            return SyntaxError(line: line, column: column, message: message)
        }

        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func skipWhitespace() {
            while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { at += 1 }
        }

        mutating func expect(_ literal: String, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
            let utf8 = Array(literal.utf8)
            guard bytes.count - at >= utf8.count, Array(bytes[at..<(at + utf8.count)]) == utf8 else {
                throw error("invalid literal (expected \(literal))")
            }
            at += utf8.count
            return value
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard let b = peek else { throw error("unexpected end of the file: a value is missing") }
            switch b {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            case UInt8(ascii: "/"): throw error("comments are not allowed in JSON")
            default: throw error("unexpected character \(Self.show(b)): expected a value")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth <= StrictJSON.maxDepth else { throw error("nested more than \(StrictJSON.maxDepth) levels deep") }
            at += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if peek == UInt8(ascii: "}") { at += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else {
                    if peek == UInt8(ascii: "}") { throw error("trailing comma before }") }
                    if peek == UInt8(ascii: "/") { throw error("comments are not allowed in JSON") }
                    throw error(peek == nil ? "unexpected end of the file inside an object" : "expected a key in double quotes")
                }
                let keyStart = at
                let key = try string()
                guard members[key] == nil else { throw error("duplicate key \"\(key)\"", at: keyStart) }
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error("expected : after the key \"\(key)\"") }
                at += 1
                skipWhitespace()
                members[key] = try value(depth: depth)
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): at += 1
                case UInt8(ascii: "}"): at += 1; return .object(members)
                case UInt8(ascii: "/"): throw error("comments are not allowed in JSON")
                case nil: throw error("unexpected end of the file inside an object")
                default: throw error("expected , or } after the value of \"\(key)\"")
                }
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth <= StrictJSON.maxDepth else { throw error("nested more than \(StrictJSON.maxDepth) levels deep") }
            at += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if peek == UInt8(ascii: "]") { at += 1; return .array(items) }
            while true {
                skipWhitespace()
                if peek == UInt8(ascii: "]") { throw error("trailing comma before ]") }
                items.append(try value(depth: depth))
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): at += 1
                case UInt8(ascii: "]"): at += 1; return .array(items)
                case UInt8(ascii: "/"): throw error("comments are not allowed in JSON")
                case nil: throw error("unexpected end of the file inside an array")
                default: throw error("expected , or ] after an array element")
                }
            }
        }

        mutating func string() throws(SyntaxError) -> String {
            at += 1  // the opening quote
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() throws(SyntaxError) {
                guard !raw.isEmpty else { return }
                guard let s = String(validating: raw, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
                scalars.append(contentsOf: s.unicodeScalars)
                raw.removeAll(keepingCapacity: true)
            }
            while true {
                guard let b = peek else { throw error("unexpected end of the file inside a string") }
                switch b {
                case UInt8(ascii: "\""):
                    at += 1
                    try flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    try flush()
                    at += 1
                    guard let e = peek else { throw error("unexpected end of the file inside a string") }
                    at += 1
                    switch e {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {  // a surrogate pair
                            guard bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                                throw error("unpaired surrogate in a \\u escape")
                            }
                            at += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("\\u escape is not a Unicode scalar") }
                        scalars.append(scalar)
                    default: throw error("invalid escape \\\(Self.show(e)) in a string", at: at - 2)
                    }
                default:
                    guard b >= 0x20 else { throw error("control character \(Self.show(b)) inside a string (escape it)") }
                    raw.append(b)
                    at += 1
                }
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard bytes.count - at >= 4 else { throw error("a \\u escape needs four hex digits") }
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[at])).hexDigitValue else { throw error("a \\u escape needs four hex digits") }
                code = code << 4 | UInt32(digit)
                at += 1
            }
            return code
        }

        /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        mutating func number() throws(SyntaxError) -> String {
            let start = at
            func digits() -> Int {
                let from = at
                while let b = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { at += 1 }
                return at - from
            }
            if peek == UInt8(ascii: "-") { at += 1 }
            let intStart = at
            let intDigits = digits()
            guard intDigits > 0 else { throw error("a number needs digits after the minus sign") }
            guard !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else { throw error("a number cannot have leading zeros", at: intStart) }
            if peek == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { throw error("a number needs digits after its decimal point") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                at += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { throw error("a number needs digits in its exponent") }
            }
            return String(decoding: bytes[start..<at], as: UTF8.self)
        }

        static func show(_ b: UInt8) -> String {
            (0x21..<0x7F).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "0x" + String(b, radix: 16)
        }
    }
}
