import NewsLintCore

/// Report output being built as UTF-8 bytes. The formats that print every finding (JSON, JSON
/// Lines, concise) append here instead of growing a `String`: a `String` append re-checks
/// capacity, ASCII-ness and breadcrumbs per piece, and numbers went through `String(_:)` first.
/// Reused across files by the CLI, which writes the bytes out as they are.
public struct ReportBuffer {
    public var bytes: [UInt8] = []

    public init() {}

    public var count: Int { bytes.count }
    public var isEmpty: Bool { bytes.isEmpty }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// The bytes as text (for callers of the `String` interfaces).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A literal (no copy into a `String` first).
    @inline(__always)
    public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    public mutating func append(byte: UInt8) { bytes.append(byte) }

    /// `n` in decimal, as `String(n)` writes it.
    public mutating func append(decimal n: Int) {
        if n >= 0 && n < 10 { bytes.append(0x30 &+ UInt8(n)); return }
        var magnitude = n.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = digits.count
            repeat {
                i -= 1
                digits[i] = 0x30 &+ UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if n < 0 { bytes.append(0x2D) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `s` as a JSON string, byte for byte what `JSONWriter.quote` writes: `"`, `\`, C0 controls,
    /// DEL, U+2028 and U+2029 escaped, everything else kept as UTF-8.
    public mutating func appendJSONQuoted(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONQuoted(utf8: $0) }
    }

    /// The same over UTF-8 bytes (well-formed: every byte of a multi-byte scalar is ≥ 0x80, so
    /// escaping per byte is escaping per scalar).
    public mutating func appendJSONQuoted(utf8 b: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var clean = 0  // start of the bytes not yet copied
        var i = 0
        while i < b.count {
            let c = b[i]
            let escape: StaticString
            var width = 1
            switch c {
            case 0x22: escape = "\\\""
            case 0x5C: escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0xE2 where i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9):
                escape = b[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                width = 3
            case 0..<0x20, 0x7F:
                escape = "\\u00"
            default:
                i += 1
                continue
            }
            if clean < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[clean..<i])) }
            append(escape)
            if escape.utf8CodeUnitCount == 4 {
                // Other controls as `\u00xx`, lowercase hex (`String(format: "\\u%04x")`).
                bytes.append(Self.hexDigits[Int(c >> 4)])
                bytes.append(Self.hexDigits[Int(c & 0xF)])
            }
            i += width
            clean = i
        }
        if clean < b.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[clean..<b.count])) }
        bytes.append(0x22)
    }
}
