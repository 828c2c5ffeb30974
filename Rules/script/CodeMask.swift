import NewsLintCore

/// Where a finding of a rule that reads the whole file (`compat-ideograph`, `char-lost`,
/// `invisible-char`) lies in a Markdown document's code: a fenced code block, a code span, or a raw
/// HTML block of type 1 or 2 (`<script>`, `<style>`, `<pre>`, `<textarea>`, `<!-- … -->`;
/// `ProseMask.findRawHTMLBlocks`). These are what an HTML document's view hides as code, script,
/// style and comments (`VisibleText`), where the sink drops these rules' findings: a Markdown page's
/// code is read the same way. Not URLs, link destinations or Liquid tags, which are addresses and
/// template arguments, each rule deciding there on its own (`ProseMask.overlapsNonProse`).
///
/// Asked only where a rule has a finding: the line's code spans are found at the first question
/// about a line (and kept for the next finding on it: a line of many findings is walked once), the
/// document's raw HTML blocks at the first question about any line.
package struct CodeMask {
    private let document: Document
    /// The spans across lines (`ProseMask.spansAcrossLines`) that are raw HTML blocks: those
    /// opening with `<` after at most three spaces (a Liquid tag opens with `{`, a link definition
    /// with `[`). nil until asked.
    private var rawBlocks: [Range<Int>]?
    /// The line last asked about (0: none) and its code spans (byte ranges, backticks included).
    private var line = 0
    private var codeSpans: [Range<Int>] = []

    package init(_ document: Document) { self.document = document }

    /// Whether any byte of `range` (within one line) lies in code (see `CodeMask`). Never in an
    /// HTML document: its code elements are the HTML view's (the sink keeps these rules out of
    /// them), and a backtick in its text is shown as written, not a code span.
    package mutating func contains(bytes range: Range<Int>) -> Bool {
        if document.isHTMLFile { return false }
        let n = document.line(ofByte: range.lowerBound)
        if document.isCode(line: n) { return true }
        // The first block ending after the range's start (bisection: a finding is asked about once).
        let blocks = rawHTMLBlocks()
        var first = 0, past = blocks.count
        while first < past {
            let mid = (first &+ past) &>> 1
            if blocks[mid].upperBound <= range.lowerBound { first = mid &+ 1 } else { past = mid }
        }
        if first < blocks.count, blocks[first].overlaps(range) { return true }
        if n != line { readLine(n) }
        return codeSpans.contains { $0.overlaps(range) }
    }

    private mutating func rawHTMLBlocks() -> [Range<Int>] {
        if let known = rawBlocks { return known }
        let bytes = document.bytes
        let found = ProseMask.spansAcrossLines(document).spans.filter { span in
            var i = span.lowerBound
            while i < span.upperBound, i &- span.lowerBound < 3, bytes[i] == 0x20 { i &+= 1 }
            return i < span.upperBound && bytes[i] == 0x3C
        }
        rawBlocks = found
        return found
    }

    /// The code spans of line `n`, as CommonMark pairs backtick runs (`MarkdownCode.codeSpans`):
    /// only the spans themselves, not a URL or tag written right after one.
    private mutating func readLine(_ n: Int) {
        line = n
        let range = document.contentRange(ofLine: n)
        let hasBacktick = document.bytes.withUnsafeBufferPointer {
            ByteWords.firstIndex(of: 0x60, in: $0, from: range.lowerBound, to: range.upperBound) != nil
        }
        codeSpans = hasBacktick ? MarkdownCode.codeSpans(document.bytes, range) : []
    }
}
