import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 39: html-tag-unbalanced sorts a page's problems into document order only when they are
/// not in it already (elements left open at the end come innermost first). Pages of random nesting,
/// stray end tags and elements left open: the findings come in document order, and are the
/// problems in token order, whether the problems came sorted or not (the order the rule reports in,
/// which lets the sink count each position on from the one before).
@Suite struct HTMLTagUnbalancedOrderTests {
    static let pieces = ["<div>", "</div>", "<section>", "</section>", "<span>", "</span>", "<b>", "</b>", "<i>", "</i>", "<p>", "</p>",
                         "</small>", "</br>", "<td>", "</td>", "<table>", "</table>", "文字", " ", "\n", "<!--x-->", "<br>"]

    @Test func findingsComeInDocumentOrder() throws {
        let rule = try HTMLTagUnbalancedRule(options: RuleOptions())
        var random = SeededRandom(seed: 39_02)
        var unsorted = 0, findings = 0
        for k in 0..<600 {
            var html = ""
            for _ in 0..<(1 + random.below(30)) { html += random.pick(Self.pieces) }
            let bytes = Array(html.utf8)
            let document = Document(path: "t\(k).html", bytes: bytes)
            guard document.isHTMLPost else { continue }
            let view = document.html, structure = document.htmlElements
            func token(_ problem: HTMLElements.Problem) -> Int {
                switch problem {
                case let .unclosed(element, _): return structure.elements[element].start
                case let .strayEnd(t, _): return t
                }
            }
            let starts = structure.problems.map(token)
            if starts != starts.sorted() { unsorted += 1 }
            // Read from the rule's own sink: the engine puts a file's findings in output order anyway.
            var sink = DiagnosticSink(document: document, rule: HTMLTagUnbalancedRule.id, severity: .warning)
            rule.check(document, into: &sink)
            let found = sink.diagnostics
            // Each problem's token, in token order, is where its finding starts.
            let expected = starts.sorted().map { view.tokens[$0].range.lowerBound }
            let offsets = found.map { Self.byteOffset(document, line: $0.line, column: $0.column) }
            #expect(offsets == expected, "t\(k) \(html.debugDescription)")
            findings += found.count
        }
        #expect(unsorted > 100 && findings > 1_000, "\(unsorted) \(findings)")
    }

    /// The byte offset of a 1-based line and column (columns count scalars).
    static func byteOffset(_ document: Document, line: Int, column: Int) -> Int {
        var offset = document.lineStarts[line - 1]
        var scalars = 1
        let bytes = document.bytes
        while scalars < column, offset < bytes.count {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            scalars += 1
        }
        return offset
    }
}
