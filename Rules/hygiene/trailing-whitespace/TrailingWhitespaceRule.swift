import NewsLintCore

/// `trailing-whitespace`: spaces, tabs, no-break or ideographic spaces at the end of a line.
/// Two or more spaces before a line that continues the paragraph are a CommonMark hard line
/// break (poems, addresses, one item per line) and are kept when `allowHardBreak` is on.
/// A line of nothing but whitespace is emptied: made of U+3000/U+00A0 it is not even a blank
/// line to Markdown or YAML (a paragraph line between two paragraphs glues them together). The
/// message says only that it is not blank: most such lines sit before a blank line or the end.
/// In an HTML body a line break and the whitespace around it collapse to one space (and inside
/// `<pre>` they are content), so only front-matter lines are checked there: scrapers indent HTML.
public struct TrailingWhitespaceRule: Rule, RuleWithOptions {
    public static let id = "trailing-whitespace"
    package let allowHardBreak: Bool
    /// `false`: every line's range is taken and walked back (tests compare the two).
    package var usesLastByte = true

    public struct Options: Decodable, Sendable { var allowHardBreak: Bool }

    public init(options: RuleOptions) throws {
        allowHardBreak = try Self.decodeOptions(options).allowHardBreak
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        let lastLine = document.isHTMLFile ? min(document.lineCount, document.bodyStartLine - 1) : document.lineCount
        // Only a line whose last byte before its terminator is a space, a tab, or the last byte of
        // U+00A0 (A0) or U+3000 (80) ends in whitespace: read from the line starts, that turns away
        // nearly every line before its range is taken and walked back (~100 instructions a line).
        let lineStarts = document.lineStarts
        for n in stride(from: 1, through: lastLine, by: 1) {
            if usesLastByte, !Self.mayEndInWhitespace(bytes, lineStarts, line: n) { continue }
            let range = document.contentRange(ofLine: n)
            let start = Self.trailingRunStart(bytes, range)
            guard start < range.upperBound else { continue }
            let run = start..<range.upperBound
            if start == range.lowerBound {
                let wide = bytes[run].contains { $0 >= 0x80 }
                let message = wide ? "whitespace-only line of no-break/ideographic spaces (Markdown and YAML read them as text: the line is not blank)"
                                   : "whitespace-only line"
                sink.report(run, message, fix: Fix(.safe, "Empty the whitespace-only line", edit: .delete(run)))
                continue
            }
            if allowHardBreak && isHardBreak(document, line: n, range: range) { continue }
            sink.report(run, "trailing whitespace", fix: Fix(.safe, "Remove trailing whitespace", edit: .delete(run)))
        }
    }

    /// Whether line `n` (1-based, at most `lineStarts.count`) may end in whitespace: its content
    /// (`Document.contentRange(ofLine:)`, the same bytes) ends with a byte that ends a space, tab,
    /// U+00A0 or U+3000.
    @inline(__always)
    private static func mayEndInWhitespace(_ bytes: [UInt8], _ lineStarts: [Int], line n: Int) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            let start = lineStarts[n &- 1]
            var end = n < lineStarts.count ? lineStarts[n] : b.count
            if end > start, b[end &- 1] == 0x0A { end &-= 1 }
            if end > start, b[end &- 1] == 0x0D { end &-= 1 }
            guard end > start else { return false }
            let last = b[end &- 1]
            return last == 0x20 || last == 0x09 || last == 0xA0 || last == 0x80
        }
    }

    /// Start of the run of spaces, tabs, U+00A0 and U+3000 that ends `range`.
    package static func trailingRunStart(_ b: [UInt8], _ range: Range<Int>) -> Int {
        var start = range.upperBound
        while start > range.lowerBound {
            if b[start - 1] == 0x20 || b[start - 1] == 0x09 { start -= 1; continue }
            if start - 2 >= range.lowerBound && b[start - 2] == 0xC2 && b[start - 1] == 0xA0 { start -= 2; continue }
            if start - 3 >= range.lowerBound && b[start - 3] == 0xE3 && b[start - 2] == 0x80 && b[start - 1] == 0x80 { start -= 3; continue }
            break
        }
        return start
    }

    /// Two or more spaces end the line and the next line continues the paragraph: a hard line
    /// break in CommonMark. At the end of a paragraph, in front matter, in code or after an
    /// ATX heading the spaces break nothing.
    package func isHardBreak(_ document: Document, line n: Int, range: Range<Int>) -> Bool {
        let b = document.bytes
        guard range.count >= 2, b[range.upperBound - 1] == 0x20, b[range.upperBound - 2] == 0x20 else { return false }
        guard !document.isCode(line: n), n < document.lineCount else { return false }
        guard let body = document.bodyLines, body.contains(n) else { return false }
        if b[range.lowerBound] == UInt8(ascii: "#") { return false }
        return !TextScan.isBlank(b, document.contentRange(ofLine: n + 1))
    }
}
