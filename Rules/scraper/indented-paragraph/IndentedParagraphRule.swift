import Foundation
import NewsLintCore

/// `indented-paragraph`: prose lines that start with an indent. Four spaces or a tab make
/// Markdown render a code block; runs of U+00A0/U+3000 are how scraped Chinese pages indent
/// paragraphs and show as a ragged visible indent. List items, their continuation lines and
/// block quotes keep their (space) indentation. So does an indented code block written on purpose:
/// a plain indent of four columns before a line that is not text (`{`, `x = 1;`) is left alone,
/// and one opening several indented lines is reported only when every line is text, with an unsafe
/// fix (dedenting the first line alone made the rest a mangled paragraph). A plain indent before a
/// line of Latin letters alone (`    npm install -g x`) is reported with an unsafe fix: it may be code.
public struct IndentedParagraphRule: Rule {
    public static let id = "indented-paragraph"

    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // In an HTML document indentation is markup layout, not a Markdown code block.
        guard let body = document.bodyLines, !document.isHTMLFile else { return }
        // In plain text (`.txt`) nothing renders as code and `　　` is how Chinese paragraphs are
        // written: only an indent holding no-break spaces (`&nbsp;` left by a scraper) is reported.
        let plainText = TextFlavor(document) == .plain
        let bytes = document.bytes
        var inList = false
        var goesOn: (lines: ClosedRange<Int>, asText: Bool)?
        for n in body {
            if document.isCode(line: n) { inList = false; continue }
            let range = document.contentRange(ofLine: n)
            var i = range.lowerBound
            var spaces = 0, tabs = 0, wide = 0, noBreak = 0
            while i < range.upperBound {
                let len = TextScan.spaceLength(bytes, i, range.upperBound)
                if len == 0 { break }
                if len == 1 { if bytes[i] == 0x09 { tabs += 1 } else { spaces += 1 } } else { wide += 1 }
                if len == 2 { noBreak += 1 } // U+00A0
                i += len
            }
            if i == range.upperBound { continue } // blank or whitespace-only: trailing-whitespace's business
            if plainText && noBreak == 0 { continue }
            // A footnote definition (`[^1]: …`) holds indented continuation lines like a list item.
            let startsList = Self.isListOrQuote(bytes, i, range.upperBound) || Self.isFootnoteDefinition(bytes, i, range.upperBound)
            if i == range.lowerBound {
                inList = startsList
                continue
            }
            if wide == 0 {
                // Plain indentation is structure inside lists and quotes.
                if startsList || inList { inList = true; continue }
                if spaces < 4 && tabs == 0 { continue }
                // Right after a line of text the indent cannot open a code block: Markdown continues the paragraph.
                if n - 1 >= body.lowerBound, !document.isCode(line: n - 1),
                   !TextScan.isBlank(bytes, document.contentRange(ofLine: n - 1)) { continue }
            }
            var applicability = Applicability.safe
            var lines = [(indent: range.lowerBound..<i, end: range.upperBound)]
            if wide == 0 {
                // The lines the code block opened here holds: on to a blank line or a line indented less.
                var m = n + 1
                while body.contains(m), !document.isCode(line: m) {
                    let next = document.contentRange(ofLine: m)
                    guard !TextScan.isBlank(bytes, next), let end = MarkdownCode.codeIndentEnd(bytes, next) else { break }
                    lines.append((next.lowerBound..<end, next.upperBound))
                    m += 1
                }
                var anyLatinOnly = false
                var anyCode = false
                for line in lines {
                    switch Self.reading(bytes, line.indent.upperBound..<line.end) {
                    case .code: anyCode = true
                    case .latinText: anyLatinOnly = true
                    case .cjkText: break
                    }
                    if anyCode { break }
                }
                if anyCode { continue }
                // One walk answers every start up to where it stopped (paragraphs of a long document
                // indented one by one would otherwise walk the rest of it each).
                if let known = goesOn, known.lines.contains(m) {
                    if !known.asText { continue }
                } else {
                    let answer = Self.blockGoesOnAsText(document, after: m, in: body)
                    goesOn = (m...answer.stoppedAt, answer.asText)
                    if !answer.asText { continue }
                }
                // A line of Latin letters alone may be a command or code all the same (`npm install -g x`):
                // the rule is for scraped Chinese paragraphs, so an editor looks before it is dedented.
                if lines.count > 1 || anyLatinOnly { applicability = .unsafe }
            }
            let indent = range.lowerBound..<i
            var parts: [String] = []
            if wide > 0 { parts.append("\(wide) no-break/ideographic space\(wide == 1 ? "" : "s")") }
            if spaces > 0 { parts.append("\(spaces) space\(spaces == 1 ? "" : "s")") }
            if tabs > 0 { parts.append("\(tabs) tab\(tabs == 1 ? "" : "s")") }
            let why = wide > 0 ? "scraped paragraph indent" : "Markdown renders it as a code block"
            sink.report(indent, "paragraph indented with \(parts.joined(separator: " and ")) (\(why))",
                        fix: Fix(applicability, lines.count > 1 ? "Remove the indentation of its \(lines.count) lines" : "Remove the indentation",
                                 edits: lines.map { .delete($0.indent) }))
        }
    }

    /// Whether the indented code block goes on as text past the blank lines from line `m`: Markdown's
    /// code block runs across blank lines while the next line is indented four columns, so a text
    /// line dedented before code (`    // 说明`, blank, `    int x = 1;`) would split the block.
    /// `stoppedAt`: the line the walk stopped at; a walk from any line up to it gives the same answer.
    static func blockGoesOnAsText(_ document: Document, after m: Int, in body: ClosedRange<Int>) -> (asText: Bool, stoppedAt: Int) {
        let bytes = document.bytes
        var m = m
        while body.contains(m), !document.isCode(line: m) {
            let next = document.contentRange(ofLine: m)
            if TextScan.isBlank(bytes, next) { m += 1; continue }
            guard let end = MarkdownCode.codeIndentEnd(bytes, next) else { return (true, m) }
            if !isText(bytes, end..<next.upperBound) { return (false, m) }
            m += 1
        }
        return (true, m)
    }

    /// How a line (after its indent) reads: code, text in Latin letters alone, or text holding
    /// Han, kana or full-width punctuation.
    package enum LineReading { case code, latinText, cjkText }

    /// Whether `range` (a line after its indent) reads as text, not code.
    package static func isText(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        reading(b, range) != .code
    }

    /// How `range` (a line after its indent) reads. Code: it opens with a comment (`#`, `//`, `/*`),
    /// holds one of `{ } [ ] < > = ; \ | ( ) " $` or ends in `:` (`def f(x):`). Otherwise text when it
    /// holds Han, kana or full-width punctuation, or two words of letters; else code. The rule is for
    /// paragraphs (scraped Chinese ones above all); a line of code or data in an indented block is code.
    package static func reading(_ b: [UInt8], _ range: Range<Int>) -> LineReading {
        // A comment opens the line (`# 注释`, `// 说明`): code, and dedented `# ` would become a heading.
        if let first = range.first, b[first] == 0x23 || (first + 1 < range.upperBound && b[first] == 0x2F && (b[first + 1] == 0x2F || b[first + 1] == 0x2A)) {
            return .code
        }
        // Code marks anywhere on the line decide before Han does (`printf("你好");`).
        var lastVisible: UInt8 = 0
        for i in range {
            switch b[i] {
            case 0x7B, 0x7D, 0x5B, 0x5D, 0x3C, 0x3E, 0x3D, 0x3B, 0x5C, 0x7C, 0x28, 0x29, 0x22, 0x24: return .code
            case 0x20, 0x09, 0x0D: break
            default: lastVisible = b[i]
            }
        }
        if lastVisible == 0x3A { return .code }
        let line = b[range]
        var words = 0, inWord = false
        var i = range.lowerBound
        while i < range.upperBound {
            let (c, length) = UTF8Validation.decode(line, at: i)
            i += length
            if CJK.isHan(c) || (0x3041...0x30FF).contains(c) || (0x3000...0x303F).contains(c) || (0xFF01...0xFF60).contains(c) {
                return .cjkText
            }
            let letter = c < 0x80
                ? (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
                : Unicode.Scalar(c)?.properties.isAlphabetic ?? false
            if letter && !inWord { words += 1 }
            inWord = letter
        }
        return words >= 2 ? .latinText : .code
    }

    /// `[^label]:` at `i`.
    package static func isFootnoteDefinition(_ b: [UInt8], _ i: Int, _ end: Int) -> Bool {
        guard i + 4 < end, b[i] == UInt8(ascii: "["), b[i + 1] == UInt8(ascii: "^") else { return false }
        var j = i + 2
        while j < end && b[j] != UInt8(ascii: "]") && b[j] != 0x20 { j += 1 }
        return j > i + 2 && j + 1 < end && b[j] == UInt8(ascii: "]") && b[j + 1] == UInt8(ascii: ":")
    }

    /// `- `, `* `, `+ `, `1. `, `1) `, `>` at `i`.
    package static func isListOrQuote(_ b: [UInt8], _ i: Int, _ end: Int) -> Bool {
        let c = b[i]
        if c == UInt8(ascii: ">") { return true }
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "+") {
            return i + 1 == end || b[i + 1] == 0x20 || b[i + 1] == 0x09
        }
        var j = i
        while j < end && j - i < 9 && b[j] >= 0x30 && b[j] <= 0x39 { j += 1 }
        if j > i && j < end && (b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: ")")) {
            return j + 1 == end || b[j + 1] == 0x20
        }
        return false
    }
}
