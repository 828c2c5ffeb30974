import Foundation
import NewsLintCore

/// `html-double-escaped`: character references escaped twice (`&amp;amp;`, `&amp;nbsp;`,
/// `&amp;#12288;`), which a browser shows as the literal `&nbsp;` and which break URLs in
/// attributes (`?a=1&amp;amp;b=2`). Found in text and attribute values, not inside `<pre>`,
/// `<code>` or raw text (where an article may show markup on purpose). The safe fix drops the
/// extra `amp;` so that the reference decodes once.
public struct HTMLDoubleEscapedRule: Rule {
    public static let id = "html-double-escaped"
    /// Entity names a scraper escapes twice (any numeric reference counts too).
    package static let names: Set<String> = ["amp", "nbsp", "lt", "gt", "quot", "apos", "ensp", "emsp", "thinsp", "mdash", "ndash", "hellip", "ldquo", "rdquo", "lsquo", "rsquo", "middot", "copy", "reg", "trade", "times", "bull", "laquo", "raquo", "yen", "shy", "zwj", "zwnj", "lrm", "rlm"]

    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost else { return }
        let bytes = document.bytes
        guard Self.mayHoldDoubleEscape(bytes) else { return }
        let view = document.html
        var literalDepth = 0
        // Through the buffer, each token's kind read in place: `for token in view.tokens` copied
        // every 64-byte token (text and end tags too) of the tenth of the posts that get here.
        view.tokens.withUnsafeBufferPointer { tokens in
            for t in tokens.indices {
                switch tokens[t].kind {
                case .startTag, .endTag:
                    let token = tokens[t]
                    if Self.isLiteralTag(bytes, token.name) {
                        literalDepth = max(0, literalDepth + (token.kind == .startTag ? 1 : -1))
                    }
                    guard token.kind == .startTag else { continue }
                    // By index: the attributes' slice was retained and released per tag.
                    for k in token.attributeIndices {
                        guard let value = view.attributes[k].value else { continue }
                        scan(bytes, value, into: &sink)
                    }
                case .characterReference where literalDepth == 0:
                    // `&amp;` as a token; what follows it (`nbsp;`) is the next text token.
                    let range = tokens[t].range
                    scan(bytes, range.lowerBound..<min(view.range.upperBound, range.upperBound + 40), into: &sink, onlyAt: range.lowerBound)
                default:
                    continue
                }
            }
        }
    }

    /// Whether `bytes` hold `&amp;` (`amp` in any case): every report starts so (`doubleEscapeEnd`
    /// needs one `amp;` at least), and nine in ten of agora's HTML posts have none, which then skip
    /// the walk over their tokens and attribute values. `&` is rare in news text: one `memchr` each.
    package static func mayHoldDoubleEscape(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            while let k = ByteWords.firstIndex(of: 0x26, in: buf, from: i, to: buf.count) {
                if isAmpSemicolon(bytes, at: k &+ 1, limit: bytes.count) { return true }
                i = k &+ 1
            }
            return false
        }
    }

    /// Whether `amp;` (`amp` in any case) starts at `j`.
    @inline(__always)
    private static func isAmpSemicolon(_ bytes: [UInt8], at j: Int, limit: Int) -> Bool {
        j &+ 4 <= limit && lower(bytes[j]) == 0x61 && lower(bytes[j &+ 1]) == 0x6D && lower(bytes[j &+ 2]) == 0x70 && bytes[j &+ 3] == 0x3B
    }

    /// Reports every `&amp;` (+ more `amp;`) followed by a reference name and `;` in `range`.
    /// Each `&` is found by `memchr` (`ByteWords.firstIndex`): an attribute value (a URL, a class
    /// list) rarely holds one, and the walk tested every byte of every value.
    package func scan(_ bytes: [UInt8], _ range: Range<Int>, into sink: inout DiagnosticSink, onlyAt: Int? = nil) {
        if let at = onlyAt {
            guard at < range.upperBound, bytes[at] == 0x26, let end = Self.doubleEscapeEnd(bytes, at: at, limit: range.upperBound) else { return }
            report(bytes, at, end, into: &sink)
            return
        }
        var i = range.lowerBound
        while let amp = Self.firstAmpersand(bytes, from: i, to: range.upperBound) {
            guard let end = Self.doubleEscapeEnd(bytes, at: amp, limit: range.upperBound) else {
                i = amp + 1
                continue
            }
            report(bytes, amp, end, into: &sink)
            i = end.reference
        }
    }

    /// The first `&` in `from..<end` of `bytes`, nil when there is none.
    @inline(__always)
    package static func firstAmpersand(_ bytes: [UInt8], from: Int, to end: Int) -> Int? {
        bytes.withUnsafeBufferPointer { ByteWords.firstIndex(of: 0x26, in: $0, from: from, to: end) }
    }

    /// The finding for the double escape at `i` that `doubleEscapeEnd` measured as `end`.
    private func report(_ bytes: [UInt8], _ i: Int, _ end: (inner: Int, reference: Int), into sink: inout DiagnosticSink) {
        let text = String(decoding: bytes[i..<end.reference], as: UTF8.self)
        let once = "&" + String(decoding: bytes[end.inner..<end.reference], as: UTF8.self)
        sink.report(i..<end.reference, "'\(text)' is escaped twice (a browser shows it literally); write '\(once)'",
                    fix: Fix(.safe, "unescape once", edit: .delete((i + 1)..<end.inner)))
    }

    /// For `&amp;amp;…name;` at `i`: where the innermost reference's name starts and where the
    /// reference ends. Nil unless at least one `amp;` is followed by a known name or `#digits;`.
    package static func doubleEscapeEnd(_ bytes: [UInt8], at i: Int, limit: Int) -> (inner: Int, reference: Int)? {
        var j = i + 1
        var levels = 0
        while isAmpSemicolon(bytes, at: j, limit: limit) { j += 4; levels += 1 }
        // `&amp;amp;` alone is itself the double escape of `&`.
        if levels >= 2 && (j >= limit || referenceEnd(bytes, at: j, limit: limit) == nil) { return (i + 1 + 4 * (levels - 1), j) }
        guard levels >= 1, let end = referenceEnd(bytes, at: j, limit: limit) else { return nil }
        return (j, end)
    }

    /// End of `name;` or `#123;`/`#x1F;` at `j` (after the `&`), nil otherwise.
    package static func referenceEnd(_ bytes: [UInt8], at j: Int, limit: Int) -> Int? {
        var k = j
        if k < limit && bytes[k] == 0x23 {
            k += 1
            let hex = k < limit && lower(bytes[k]) == 0x78
            if hex { k += 1 }
            let digits = k
            while k < limit, k - digits < 8, hex ? isHex(bytes[k]) : (0x30...0x39).contains(bytes[k]) { k += 1 }
            return k > digits && k < limit && bytes[k] == 0x3B ? k + 1 : nil
        }
        while k < limit, k - j < 10, (0x61...0x7A).contains(lower(bytes[k])) { k += 1 }
        guard k > j, k < limit, bytes[k] == 0x3B, names.contains(String(decoding: bytes[j..<k], as: UTF8.self).lowercased()) else { return nil }
        return k + 1
    }

    /// Whether a tag's name is `pre` or `code` (any ASCII case), on its bytes: `HTMLView.isTag`
    /// compared each tag's name with two `String`s, through the generic comparison.
    @inline(__always)
    package static func isLiteralTag(_ bytes: [UInt8], _ name: Range<Int>) -> Bool {
        (name.count == 3 || name.count == 4) && literalElements.contains { HTMLView.equalsIgnoringASCIICase(bytes, name, $0) }
    }

    private static let literalElements: [[UInt8]] = ["pre", "code"].map { Array($0.utf8) }

    @inline(__always) package static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
    @inline(__always) package static func isHex(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x61...0x66).contains(lower(b)) }
}
