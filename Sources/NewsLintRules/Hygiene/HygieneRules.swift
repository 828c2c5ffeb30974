import NewsLintCore

/// `final-newline`: a non-empty file must end with a line terminator.
public struct FinalNewlineRule: Rule {
    public static let id = "final-newline"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let last = document.bytes.last, last != 0x0A else { return }
        let end = document.bytes.count
        sink.report(end..<end, "file does not end with a newline",
                    fix: Fix(.safe, "Add a final newline", edits: [Edit(range: end..<end, replacement: document.preferredNewline)]))
    }
}

/// `trailing-whitespace`: spaces, tabs, no-break or ideographic spaces at the end of a line.
/// Two or more spaces before a line that continues the paragraph are a CommonMark hard line
/// break (poems, addresses, one item per line) and are kept when `allowHardBreak` is on.
/// A line of nothing but whitespace is emptied: made of U+3000/U+00A0 it is not even a blank
/// line to Markdown, so it glues the paragraphs around it together.
/// In an HTML body a line break and the whitespace around it collapse to one space (and inside
/// `<pre>` they are content), so only front-matter lines are checked there: scrapers indent HTML.
public struct TrailingWhitespaceRule: Rule {
    public static let id = "trailing-whitespace"
    package let allowHardBreak: Bool

    public init(options: RuleOptions) {
        allowHardBreak = options.bool("allowHardBreak", true)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        let lastLine = document.isHTMLFile ? min(document.lineCount, document.bodyStartLine - 1) : document.lineCount
        for n in stride(from: 1, through: lastLine, by: 1) {
            let range = document.contentRange(ofLine: n)
            let start = Self.trailingRunStart(bytes, range)
            guard start < range.upperBound else { continue }
            let run = start..<range.upperBound
            if start == range.lowerBound {
                let wide = bytes[run].contains { $0 >= 0x80 }
                let message = wide ? "whitespace-only line of no-break/ideographic spaces (Markdown reads it as text and joins the paragraphs around it)"
                                   : "whitespace-only line"
                sink.report(run, message, fix: Fix(.safe, "Empty the whitespace-only line", edits: [.delete(run)]))
                continue
            }
            if allowHardBreak && isHardBreak(document, line: n, range: range) { continue }
            sink.report(run, "trailing whitespace", fix: Fix(.safe, "Remove trailing whitespace", edits: [.delete(run)]))
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

/// `line-endings`: CRLF, lone CR, or a mix of endings. One finding per file with a fix for all lines.
public struct LineEndingsRule: Rule {
    public static let id = "line-endings"
    package let style: String

    public init(options: RuleOptions) {
        style = options.string("style", "lf")
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        // Fast path (most files): no CR at all and LF wanted.
        if style != "crlf" && !ByteSearch.contains(0x0D, in: bytes) { return }
        var crlf: [Int] = []   // offsets of \r in \r\n
        var loneCR: [Int] = []
        var lf = 0
        var i = 0
        bytes.withUnsafeBufferPointer { buf in
            while i < buf.count {
                if buf[i] == 0x0D {
                    if i + 1 < buf.count && buf[i + 1] == 0x0A { crlf.append(i); i += 2; continue }
                    loneCR.append(i)
                } else if buf[i] == 0x0A {
                    lf += 1
                }
                i += 1
            }
        }
        let target: [UInt8]
        switch style {
        case "crlf": target = [0x0D, 0x0A]
        case "consistent": target = crlf.count > lf ? [0x0D, 0x0A] : [0x0A]
        default: target = [0x0A]
        }
        var edits: [Edit] = []
        var wrong: [Int] = []
        if target == [0x0A] {
            edits += crlf.map { Edit(range: $0..<($0 + 2), replacement: target) }
            wrong += crlf
        } else {
            // Every bare LF gets a CR.
            var j = 0
            while j < bytes.count {
                if bytes[j] == 0x0A && (j == 0 || bytes[j - 1] != 0x0D) {
                    edits.append(Edit(range: j..<(j + 1), replacement: target))
                    wrong.append(j)
                }
                j += 1
            }
        }
        edits += loneCR.map { Edit(range: $0..<($0 + 1), replacement: target) }
        wrong += loneCR
        guard let first = wrong.min() else { return }
        let name = target == [0x0A] ? "LF" : "CRLF"
        var parts: [String] = []
        if !crlf.isEmpty { parts.append("\(crlf.count) CRLF") }
        if lf > 0 && target != [0x0A] { parts.append("\(wrong.count - loneCR.count) LF") }
        if lf > 0 && target == [0x0A] && !(crlf.isEmpty && loneCR.isEmpty) { parts.append("\(lf) LF") }
        if !loneCR.isEmpty { parts.append("\(loneCR.count) lone CR") }
        // Any two kinds of terminator in one file is a mix (RTHK posts: LF front matter, CRLF body).
        let kinds = (crlf.isEmpty ? 0 : 1) + (lf == 0 ? 0 : 1) + (loneCR.isEmpty ? 0 : 1)
        let mixed = kinds > 1
        let message = (mixed ? "mixed line endings" : "line endings are not \(name)") + " (\(parts.joined(separator: ", "))); expected \(name)"
        sink.report(first..<first, message, fix: Fix(.safe, "Convert line endings to \(name)", edits: edits))
    }
}

/// `leading-blank-lines`: blank lines before the first content of the file.
public struct LeadingBlankLinesRule: Rule {
    public static let id = "leading-blank-lines"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Displaced front matter is reported (and fixed) by front-matter-malformed.
        if let fm = document.frontMatter, fm.openLine > 1 { return }
        var n = 1
        while n <= document.lineCount && document.lineBytes(n).dropFirst(n == 1 ? document.bomLength : 0).allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            n += 1
        }
        guard n > 1, n <= document.lineCount else { return }
        let start = document.bomLength
        let end = document.lineStarts[n - 1]
        sink.report(line: 1, n == 2 ? "file starts with a blank line" : "file starts with \(n - 1) blank lines",
                    fix: Fix(.safe, "Remove leading blank lines", edits: [.delete(start..<end)]))
    }
}
