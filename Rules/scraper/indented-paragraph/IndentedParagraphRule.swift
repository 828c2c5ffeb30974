import Foundation
import NewsLintCore

/// `indented-paragraph`: prose lines that start with an indent. Four spaces or a tab make
/// Markdown render a code block; runs of U+00A0/U+3000 are how scraped Chinese pages indent
/// paragraphs and show as a ragged visible indent. List items, their continuation lines and
/// block quotes keep their (space) indentation.
public struct IndentedParagraphRule: Rule {
    public static let id = "indented-paragraph"

    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // In an HTML document indentation is markup layout, not a Markdown code block.
        // (`isHTMLFile` is what makes `TextFlavor` `.html`; the flavor itself also lower-cased the
        // path's extension, a quarter of the rule's time.)
        guard let body = document.bodyLines, !document.isHTMLFile else { return }
        let bytes = document.bytes
        var inList = false
        for n in body {
            if document.isCode(line: n) { inList = false; continue }
            let range = document.contentRange(ofLine: n)
            var i = range.lowerBound
            var spaces = 0, tabs = 0, wide = 0
            while i < range.upperBound {
                let len = TextScan.spaceLength(bytes, i, range.upperBound)
                if len == 0 { break }
                if len == 1 { if bytes[i] == 0x09 { tabs += 1 } else { spaces += 1 } } else { wide += 1 }
                i += len
            }
            if i == range.upperBound { continue } // blank or whitespace-only: trailing-whitespace's business
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
            let indent = range.lowerBound..<i
            var parts: [String] = []
            if wide > 0 { parts.append("\(wide) no-break/ideographic space\(wide == 1 ? "" : "s")") }
            if spaces > 0 { parts.append("\(spaces) space\(spaces == 1 ? "" : "s")") }
            if tabs > 0 { parts.append("\(tabs) tab\(tabs == 1 ? "" : "s")") }
            let why = wide > 0 ? "scraped paragraph indent" : "Markdown renders it as a code block"
            sink.report(indent, "paragraph indented with \(parts.joined(separator: " and ")) (\(why))",
                        fix: Fix(.safe, "Remove the indentation", edits: [.delete(indent)]))
        }
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
