import Foundation

/// A position in a text file: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Sendable, Hashable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// A JSON value that remembers where it was written, so config and catalog
/// errors can point at `file:line:column`.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(key: String, keyPosition: SourcePosition, value: JSONNode)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a.map(\.value) == b.map(\.value)
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value.value == $1.value.value }
        default: return false
        }
    }

    /// The JSON type name used in error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// A JSON value with its position in the source text.
public struct JSONNode: Sendable, Equatable {
    public var value: JSONValue
    public var position: SourcePosition
    public init(_ value: JSONValue, at position: SourcePosition = SourcePosition(line: 1, column: 1)) {
        self.value = value
        self.position = position
    }

    public var string: String? { if case let .string(s) = value { return s } else { return nil } }
    public var bool: Bool? { if case let .bool(b) = value { return b } else { return nil } }
    public var number: Double? { if case let .number(n) = value { return n } else { return nil } }
    public var int: Int? {
        guard let n = number, n.rounded() == n, abs(n) < 9e15 else { return nil }
        return Int(n)
    }
    public var array: [JSONNode]? { if case let .array(a) = value { return a } else { return nil } }
    public var members: [(key: String, keyPosition: SourcePosition, value: JSONNode)]? {
        if case let .object(o) = value { return o } else { return nil }
    }
    public subscript(key: String) -> JSONNode? {
        members?.first(where: { $0.key == key })?.value
    }
    /// An array of strings, or nil when this is not an array of strings.
    public var stringArray: [String]? {
        guard let items = array else { return nil }
        var out: [String] = []
        for item in items {
            guard let s = item.string else { return nil }
            out.append(s)
        }
        return out
    }

    /// Converts to plain Foundation-free Swift values for equality checks and serialisation.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        JSONWriter.write(self.value, into: &out, pretty: pretty, indent: 0)
        return out
    }
}

/// A JSON syntax error with its location.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    public var position: SourcePosition
    public var message: String
    /// The error is a `//` or `/*` comment (JSON has none), so a config can say where notes go.
    public var isComment = false
    public var description: String { "\(position): \(message)" }
}

/// A small strict JSON parser (RFC 8259) over UTF-8 bytes that records positions.
public struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    public static func parse(_ text: String) throws -> JSONNode {
        try parse(bytes: Array(text.utf8))
    }

    public static func parse(bytes: [UInt8]) throws -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        let node = try parser.parseLeadingValue()
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.structuralError("unexpected text after the JSON value")
        }
        return node
    }

    /// Parses the one JSON value at the start of `bytes` (after a BOM and whitespace) and returns
    /// it with the offset just past it; whatever follows is left alone. For a value that opens a
    /// longer text (JSON front matter before a body): one pass finds where it ends, instead of
    /// re-parsing every candidate prefix.
    public static func parsePrefix(bytes: [UInt8]) throws -> (node: JSONNode, end: Int) {
        var parser = JSONParser(bytes: bytes)
        let node = try parser.parseLeadingValue()
        return (node, parser.index)
    }

    private mutating func parseLeadingValue() throws -> JSONNode {
        // Skip a UTF-8 BOM.
        if ByteOrderMark.isUTF8(bytes) { index = 3; lineStart = 3 }
        skipWhitespace()
        return try parseValue(depth: 0)
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// The last column computed (byte index and column) on the current line: positions are asked
    /// for in increasing order, so counting resumes there instead of at the line start (a config
    /// written on one line with 100k keys was quadratic).
    private var columnMark = (line: 0, index: 0, column: 1)

    private var position: SourcePosition {
        mutating get {
            // Column counts scalars: count non-continuation bytes since the line start.
            var column = 1
            var i = lineStart
            if columnMark.line == line, columnMark.index >= lineStart, columnMark.index <= index {
                column = columnMark.column
                i = columnMark.index
            }
            while i < index && i < bytes.count {
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            columnMark = (line, i, column)
            return SourcePosition(line: line, column: column)
        }
    }

    private mutating func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(position: position, message: message)
    }

    /// `error(message)` where a value, key, separator or the end was expected; at a `//` or `/*`
    /// it says that JSON has no comments ("expected a quoted key" did not).
    private mutating func structuralError(_ message: String) -> JSONSyntaxError {
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "/"),
              bytes[index + 1] == UInt8(ascii: "/") || bytes[index + 1] == UInt8(ascii: "*") else { return error(message) }
        var e = error("JSON has no comments (found '\(bytes[index + 1] == UInt8(ascii: "/") ? "//" : "/*")')")
        e.isComment = true
        return e
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A: index += 1; line += 1; lineStart = index
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONNode {
        guard depth < 512 else { throw error("JSON nested too deeply") }
        guard index < bytes.count else { throw error("unexpected end of input; expected a value") }
        let start = position
        switch bytes[index] {
        case UInt8(ascii: "{"): return JSONNode(try parseObject(depth: depth), at: start)
        case UInt8(ascii: "["): return JSONNode(try parseArray(depth: depth), at: start)
        case UInt8(ascii: "\""): return JSONNode(.string(try parseString()), at: start)
        case UInt8(ascii: "t"): try expectLiteral("true"); return JSONNode(.bool(true), at: start)
        case UInt8(ascii: "f"): try expectLiteral("false"); return JSONNode(.bool(false), at: start)
        case UInt8(ascii: "n"): try expectLiteral("null"); return JSONNode(.null, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(.number(try parseNumber()), at: start)
        case UInt8(ascii: "'"): throw error("strings must use double quotes")
        default: throw structuralError("unexpected character \(describeByte(bytes[index])); expected a value")
        }
    }

    private func describeByte(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7F { return "'\(Character(UnicodeScalar(b)))'" }
        return String(format: "0x%02X", b)
    }

    private mutating func expectLiteral(_ word: String) throws {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
            throw error("invalid literal; expected '\(word)'")
        }
        index += w.count
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        index += 1
        var members: [(key: String, keyPosition: SourcePosition, value: JSONNode)] = []
        var seenKeys = Set<String>()
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                if bytes[index] == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
                throw structuralError("expected a quoted key")
            }
            let keyPosition = position
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            // A set once objects grow: a linear search per key is quadratic in keys per object.
            if members.count < 16 ? members.contains(where: { $0.key == key }) : !seenKeys.insert(key).inserted {
                throw JSONSyntaxError(position: keyPosition, message: "duplicate key \"\(key)\"")
            }
            members.append((key, keyPosition, value))
            if members.count == 16 { seenKeys = Set(members.map(\.key)) }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input; expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw structuralError("expected ',' or '}' after a member")
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        index += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input; expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw structuralError("expected ',' or ']' after an array element")
        }
    }

    private mutating func parseNumber() throws -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            var n = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1; n += 1 }
            return n
        }
        guard index < bytes.count else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits() == 0 { throw error("invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { throw error("invalid number: digits expected after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { throw error("invalid number: digits expected in exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text) else { throw error("invalid number") }
        return value
    }

    private mutating func parseString() throws -> String {
        index += 1 // opening quote
        // Most strings hold no escape: made straight from their bytes once the closing quote is
        // found. Copying them byte by byte into an array and validating that through
        // `String(validating:as:)` was ~2,700 instructions a string, 1.2 M of every run's startup.
        let start = index
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            index = end + 1
            let text = bytes.withUnsafeBufferPointer { String(exactUTF8: UnsafeBufferPointer(rebasing: $0[start..<end])) }
            guard let text else { throw error("string is not valid UTF-8") }
            return text
        }
        // An escape, a control character or the end of input: the bytes before it are the
        // string's own, and the loop goes on from there.
        var out = Array(bytes[start..<end])
        index = end
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw error("string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in \\u escape")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    index -= 1
                    throw error("invalid escape '\\\(Character(UnicodeScalar(e)))'")
                }
            case 0x00..<0x20:
                throw error(b == 0x0A ? "unterminated string (newline inside a string)" : "control character in string; escape it")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v * 16 + d
            index += 1
        }
        return v
    }
}

/// Serialises `JSONValue`s deterministically (object keys in source order).
public enum JSONWriter {
    public static func write(_ value: JSONValue, into out: inout String, pretty: Bool, indent: Int) {
        switch value {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(n): out += formatNumber(n)
        case let .string(s): out += quote(s)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                write(item.value, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                out += quote(m.key)
                out += pretty ? ": " : ":"
                write(m.value.value, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    /// A number as JSON text: integral values without a fraction (only when they fit in an Int), others as Double.
    public static func formatNumber(_ n: Double) -> String {
        if n.isFinite && n.rounded() == n && abs(n) < 1e15 { return String(Int(n)) }
        return String(n)
    }

    /// JSON string quoting; escapes controls and keeps other characters as UTF-8.
    public static func quote(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    /// Appends `s` quoted as by `quote(_:)`; a string with nothing to escape (nearly every one) is
    /// appended in one piece after a byte scan, without visiting its scalars.
    public static func appendQuoted(_ s: String, to out: inout String) {
        if !needsEscape(s) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += slowQuote(s)
    }

    /// Whether `s` holds a byte `quote` rewrites: `"`, `\`, a C0 control, DEL, U+2028 or U+2029 (E2 80 A8/A9).
    @inline(__always)
    package static func needsEscape(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            for (i, c) in b.enumerated() {
                if c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F { return true }
                if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 { return true }
            }
            return false
        }
    }

    private static func slowQuote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
        return out
    }
}

/// Builds JSON output by hand so key order and formatting are deterministic.
public struct JSONObjectBuilder {
    private var parts: [String] = []
    public init() {}
    public mutating func add(_ key: String, _ raw: String) { parts.append(JSONWriter.quote(key) + ":" + raw) }
    public mutating func add(_ key: String, string: String) { add(key, JSONWriter.quote(string)) }
    public mutating func add(_ key: String, int: Int) { add(key, String(int)) }
    public mutating func add(_ key: String, bool: Bool) { add(key, bool ? "true" : "false") }
    public var json: String { "{" + parts.joined(separator: ",") + "}" }
}
