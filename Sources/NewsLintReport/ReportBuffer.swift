import NewsLintCore

/// Report output being built as UTF-8 bytes. The formats that print every finding (JSON, JSON
/// Lines, concise, text) append here instead of growing a `String`: a `String` append re-checks
/// capacity, ASCII-ness and breadcrumbs per piece, and numbers went through `String(_:)` first.
/// Pieces are copied with `memcpy` into storage that doubles as it grows (`Array.append(contentsOf:)`
/// copies through the generic sequence path: half of rendering a JSON object). Reused across files
/// by the CLI, which writes the bytes out as they are.
public struct ReportBuffer {
    private final class Storage {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        func copy() -> Storage {
            let other = Storage(capacity: capacity)
            other.base.initialize(from: base, count: count)
            other.count = count
            return other
        }

        func reserve(_ needed: Int) {
            let newCapacity = max(needed, capacity * 2)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.initialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
    }

    private var storage = Storage(capacity: 256)

    public init() {}

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.base, count: storage.count)) }

    /// The bytes written so far, in place (written out without a copy).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    /// The bytes as text (for callers of the `String` interfaces).
    public var text: String { String(decoding: UnsafeBufferPointer(start: storage.base, count: storage.count), as: UTF8.self) }

    /// Empties the buffer and keeps its capacity.
    public mutating func removeAll() {
        if isKnownUniquelyReferenced(&storage) { storage.count = 0 } else { storage = Storage(capacity: storage.capacity) }
    }

    /// Room for `n` more bytes in storage this buffer owns alone; returns where they go.
    @inline(__always)
    private mutating func claim(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let s = storage
        if s.capacity - s.count < n { s.reserve(s.count + n) }
        let at = s.base + s.count
        s.count += n
        return at
    }

    @inline(__always)
    public mutating func append(utf8 b: UnsafeBufferPointer<UInt8>) {
        guard let source = b.baseAddress, b.count > 0 else { return }
        claim(b.count).update(from: source, count: b.count)
    }

    /// The bytes of another buffer.
    @inline(__always)
    public mutating func append(_ other: ReportBuffer) {
        let source = other.storage
        guard source.count > 0 else { return }
        claim(source.count).update(from: source.base, count: source.count)
    }

    /// Disfavoured so that a literal goes to `append(_: StaticString)`: a literal piece (": ", "\",")
    /// is a small `String`, which has no contiguous UTF-8 to read in place, and copying it out
    /// for `withUTF8` cost ~85 instructions a piece (three a line of concise output).
    @_disfavoredOverload
    @inline(__always)
    public mutating func append(_ s: String) {
        // Native strings are read in place (a `var` copy for `withUTF8` retained and released each one).
        if s.utf8.withContiguousStorageIfAvailable({ append(utf8: $0) }) != nil { return }
        var s = s
        s.withUTF8 { append(utf8: $0) }
    }

    /// A literal (no copy into a `String` first).
    @inline(__always)
    public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { append(utf8: $0) }
    }

    @inline(__always)
    public mutating func append(byte: UInt8) { claim(1).pointee = byte }

    /// `byte` `count` times (a code frame's indentation without a `String(repeating:)` per finding).
    public mutating func append(byte: UInt8, count: Int) {
        guard count > 0 else { return }
        claim(count).update(repeating: byte, count: count)
    }

    /// `n` in decimal, as `String(n)` writes it: the digits counted first, then written backwards
    /// into the claimed bytes (no scratch buffer; a report writes several numbers per finding).
    /// Numbers below 1,000 (nearly every line and column) are written inline, their digits
    /// into bytes claimed at once; longer ones (and negative ones) by `append(longDecimal:)`.
    @inline(__always)
    public mutating func append(decimal n: Int) {
        if n >= 0 && n < 10 { append(byte: 0x30 &+ UInt8(n)); return }
        guard n >= 10 && n < 1000 else { return append(longDecimal: n) }
        let value = UInt8(truncatingIfNeeded: n % 10)
        if n < 100 {
            let at = claim(2)
            at[0] = 0x30 &+ UInt8(truncatingIfNeeded: n / 10)
            at[1] = 0x30 &+ value
            return
        }
        let at = claim(3)
        at[0] = 0x30 &+ UInt8(truncatingIfNeeded: n / 100)
        at[1] = 0x30 &+ UInt8(truncatingIfNeeded: (n / 10) % 10)
        at[2] = 0x30 &+ value
    }

    @inline(never)
    private mutating func append(longDecimal n: Int) {
        let magnitude = n.magnitude, digits = Self.digitCount(magnitude)
        if n < 0 { append(byte: 0x2D) }
        Self.write(magnitude, digits: digits, at: claim(digits))
    }

    /// `value`'s last `digits` decimal digits into `at`, written backwards.
    @inline(__always)
    private static func write(_ value: UInt, digits: Int, at: UnsafeMutablePointer<UInt8>) {
        var v = value
        var i = digits
        repeat {
            i -= 1
            at[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        } while i > 0
    }

    /// A concise line, `PATH:LINE:COL: SEVERITY: MESSAGE [RULE]` (no newline), in one claim of its
    /// whole length: piece by piece it claimed ten times, each checking uniqueness and capacity
    /// (~40% of writing a line on a warm run's serial output). `line` and `column` are not negative.
    package mutating func appendConciseLine(path: UnsafeBufferPointer<UInt8>, line: Int, column: Int, severity: StaticString,
                                            message: UnsafeBufferPointer<UInt8>, rule: UnsafeBufferPointer<UInt8>) {
        assert(line >= 0 && column >= 0, "a concise line's position is not negative")
        let lineDigits = Self.digitCount(UInt(line)), columnDigits = Self.digitCount(UInt(column))
        let severityCount = severity.utf8CodeUnitCount
        let n = path.count + lineDigits + columnDigits + severityCount + message.count + rule.count + 9
        var at = claim(n)
        @inline(__always) func put(_ b: UnsafeBufferPointer<UInt8>) {
            if let source = b.baseAddress, b.count > 0 { at.update(from: source, count: b.count) }
            at += b.count
        }
        @inline(__always) func put(_ a: UInt8, _ b: UInt8) {
            at[0] = a
            at[1] = b
            at += 2
        }
        @inline(__always) func put(decimal value: Int, digits: Int) {
            Self.write(UInt(value), digits: digits, at: at)
            at += digits
        }
        put(path)
        at.pointee = 0x3A
        at += 1
        put(decimal: line, digits: lineDigits)
        at.pointee = 0x3A
        at += 1
        put(decimal: column, digits: columnDigits)
        put(0x3A, 0x20)
        put(UnsafeBufferPointer(start: severity.utf8Start, count: severityCount))
        put(0x3A, 0x20)
        put(message)
        put(0x20, 0x5B)
        put(rule)
        at.pointee = 0x5D
        assert(at + 1 == storage.base + storage.count, "a concise line's length miscounted")
    }

    /// How many decimal digits `n` has.
    @inline(__always)
    private static func digitCount(_ n: UInt) -> Int {
        var digits = 1
        var v = n
        while v >= 10 {
            v /= 10
            digits += 1
        }
        return digits
    }

    /// Whether any byte of `w` is below 0x20 or is `"`, `\`, DEL or 0xE2 (which starts U+2028/2029):
    /// the SWAR zero-byte test (exact as a yes/no answer).
    @inline(__always)
    private static func mayNeedEscape(_ w: UInt64) -> Bool {
        // A byte below 0x20: the zero-byte test of `w - 0x20…`.
        return (w &- 0x20 &* ByteWords.ones) & ~w & ByteWords.highs != 0
            || ByteWords.has(0x22, in: w) || ByteWords.has(0x5C, in: w) || ByteWords.has(0x7F, in: w) || ByteWords.has(0xE2, in: w)
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
        append(byte: 0x22)
        var clean = 0  // start of the bytes not yet copied
        var i = 0
        while i < b.count {
            // Eight bytes at a time while none of them can need escaping (nearly all text).
            if let base = b.baseAddress {
                while i + 8 <= b.count, !Self.mayNeedEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8 }
                guard i < b.count else { break }
            }
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
            if clean < i { append(utf8: UnsafeBufferPointer(rebasing: b[clean..<i])) }
            append(escape)
            if escape.utf8CodeUnitCount == 4 {
                // Other controls as `\u00xx`, lowercase hex (`String(format: "\\u%04x")`).
                append(byte: Self.hexDigits[Int(c >> 4)])
                append(byte: Self.hexDigits[Int(c & 0xF)])
            }
            i += width
            clean = i
        }
        if clean < b.count { append(utf8: UnsafeBufferPointer(rebasing: b[clean..<b.count])) }
        append(byte: 0x22)
    }
}

/// Copy-on-write like `Array`: the storage is never written while another buffer holds it.
extension ReportBuffer: @unchecked Sendable {}
