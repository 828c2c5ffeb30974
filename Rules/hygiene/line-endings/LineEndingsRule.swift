import NewsLintCore

/// `line-endings`: CRLF, lone CR, or a mix of endings. One finding per file with a fix for all lines.
public struct LineEndingsRule: Rule, RuleWithOptions {
    public static let id = "line-endings"
    package let style: String

    public struct Options: Decodable, Sendable { var style: String }

    /// `style` read once: compared as a string (twice a file with a CR) it was ~0.2 M instructions at agora x1.
    private let wanted: Wanted
    private enum Wanted { case lf, crlf, consistent }
    /// `false`: the edits of an LF file are made in a second walk after the count (tests compare the two).
    package var editsWhileCounting = true

    public init(options: RuleOptions) throws {
        style = try Self.decodeOptions(options).style
        switch style {
        case "crlf": wanted = .crlf
        case "consistent": wanted = .consistent
        default: wanted = .lf
        }
    }

    private static let lf: [UInt8] = [0x0A]
    private static let crlf: [UInt8] = [0x0D, 0x0A]

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        // Fast path (most files): no CR at all and LF wanted.
        if wanted != .crlf && !ByteSearch.contains(0x0D, in: bytes) { return }
        // Counted first, edits made after in one walk in file order (a Fix sorts its edits anyway):
        // offset arrays per kind, joined and sorted, and the message's pieces cost 14,000
        // instructions a finding, and nearly half of agora's files have one.
        var crlfCount = 0, loneCRCount = 0
        // With LF wanted every CR is an edit (a CRLF's two bytes, a lone CR's one): made in the walk
        // that counts them, not in a second one (one `memchr` a CR, ~1.5 M at agora x1). Room for
        // one a line: a CRLF ends a line.
        let editsCounted = editsWhileCounting && wanted == .lf
        var edits: [Edit] = []
        if editsCounted { edits.reserveCapacity(document.lineStarts.count) }
        // From CR to CR with memchr: a CRLF file is one CR per line of hundreds of bytes.
        var at = 0
        while let cr = ByteSearch.first(0x0D, in: bytes, from: at) {
            let isCRLF = cr + 1 < bytes.count && bytes[cr + 1] == 0x0A
            if isCRLF { crlfCount += 1 } else { loneCRCount += 1 }
            if editsCounted { edits.append(Edit(range: cr..<(cr + (isCRLF ? 2 : 1)), replacement: Self.lf)) }
            at = cr + 1
        }
        // Bare line feeds: every line feed (each starts a line of the document) but those of the CRLFs.
        let lf = document.lineStarts.count - 1 - crlfCount
        let toLF: Bool
        switch wanted {
        case .crlf: toLF = false
        case .consistent: toLF = !(crlfCount > lf)
        case .lf: toLF = true
        }
        let target = toLF ? Self.lf : Self.crlf
        // How many terminators are wrong; their edits are the count's when LF is wanted, else walked for.
        let bareLF = toLF ? 0 : lf
        let wrongCount = toLF ? crlfCount + loneCRCount : bareLF + loneCRCount
        guard wrongCount > 0 else { return }
        if !editsCounted { edits = Self.wrongTerminatorEdits(bytes, toLF: toLF, count: wrongCount, replacement: target) }
        guard let first = edits.first?.range.lowerBound else { return }
        // Any two kinds of terminator in one file is a mix (RTHK posts: LF front matter, CRLF body).
        let kinds = (crlfCount == 0 ? 0 : 1) + (lf == 0 ? 0 : 1) + (loneCRCount == 0 ? 0 : 1)
        // The message's ASCII written into one stack buffer and copied into one string: appended piece by
        // piece (`String.append` ~340 instructions each, five a finding, and a `String` per count) it cost
        // ~3,200 instructions a finding.
        let message = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: MessageBytes.capacity) { buffer -> String in
            var out = MessageBytes(buffer)
            out.append(kinds > 1 ? "mixed line endings (" : (toLF ? "line endings are not LF (" : "line endings are not CRLF ("))
            var firstPart = true
            func part(_ count: Int, _ kind: StaticString) {
                if !firstPart { out.append(", ") }
                firstPart = false
                out.append(decimal: count)
                out.append(kind)
            }
            if crlfCount > 0 { part(crlfCount, " CRLF") }
            if lf > 0 && !toLF { part(bareLF, " LF") }
            if lf > 0 && toLF && !(crlfCount == 0 && loneCRCount == 0) { part(lf, " LF") }
            if loneCRCount > 0 { part(loneCRCount, " lone CR") }
            out.append(toLF ? "); expected LF" : "); expected CRLF")
            return out.string
        }
        sink.report(first..<first, message, fix: Fix(.safe, toLF ? "Convert line endings to LF" : "Convert line endings to CRLF", edits: edits))
    }

    /// The wrong terminators' edits in file order, in a walk of their own: with LF wanted every CR
    /// (a CRLF's two bytes, a lone CR's one), with CRLF wanted every bare LF and lone CR.
    private static func wrongTerminatorEdits(_ bytes: [UInt8], toLF: Bool, count: Int, replacement: [UInt8]) -> [Edit] {
        var edits: [Edit] = []
        edits.reserveCapacity(count)
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            if toLF {
                var at = 0
                while let cr = ByteSearch.first(0x0D, in: bytes, from: at) {
                    let length = cr + 1 < n && b[cr + 1] == 0x0A ? 2 : 1
                    edits.append(Edit(range: cr..<(cr + length), replacement: replacement))
                    at = cr + 1
                }
            } else {
                for j in 0..<n {
                    let c = b[j]
                    if c == 0x0A ? (j == 0 || b[j - 1] != 0x0D) : (c == 0x0D && !(j + 1 < n && b[j + 1] == 0x0A)) {
                        edits.append(Edit(range: j..<(j + 1), replacement: replacement))
                    }
                }
            }
        }
        return edits
    }
}

/// ASCII pieces of a message written into a buffer the caller lends (`LineEndingsRule`'s finding).
package struct MessageBytes {
    /// Room for the longest message: a 27-byte opening, three parts of a count (at most 20 bytes
    /// with a sign) and a kind of at most 8 bytes, two separators and a 16-byte close (131 bytes).
    package static var capacity: Int { 160 }
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var count = 0

    package init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// Appends `text`'s bytes (all of them, or none when they do not fit).
    package mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes in
            guard bytes.count <= buffer.count - count else { return }
            for k in 0..<bytes.count { buffer[count + k] = bytes[k] }
            count += bytes.count
        }
    }

    /// Appends `value` in decimal, as `String(value)` writes it (all of it, or nothing when it does not fit).
    package mutating func append(decimal value: Int) {
        let magnitude = value.magnitude
        var digits = 1, rest = magnitude
        while rest >= 10 { rest /= 10; digits += 1 }
        let sign = value < 0 ? 1 : 0
        guard sign + digits <= buffer.count - count else { return }
        if sign == 1 { buffer[count] = UInt8(ascii: "-") }
        rest = magnitude
        var k = count + sign + digits
        repeat {
            k -= 1
            buffer[k] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
            rest /= 10
        } while rest > 0
        count += sign + digits
    }

    /// The bytes written so far as a string.
    package var string: String {
        let written = UnsafeBufferPointer(rebasing: buffer[..<count])
        return String(knownValidUTF8: written) ?? String(decoding: written, as: UTF8.self)
    }
}
