import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `punctuation-width`'s walk over a line's mark candidates only (`candidateMarks`) against the
/// walk over every scalar it replaced (`PunctuationWidthReference`), on random lines.
@Suite struct ScriptMarkWalkTests {
    /// Pieces that reach each branch of `checkLine`: pairs of parentheses around Han text or not,
    /// runs of `?!`, `![image]`, name lists between tags, marks after closing quotes, digits.
    static let pieces = ScriptFastPathTests.linePieces + [
        "(中文)", "（中）", "),", ");", "!?", "?!", "![x](y)", "<p>", "</p>", "王小明, 李大", ", ", "“引”", "《書》,", "12,3", "文.", "文,",
        "文:", "文;", "文?", "文!", "文?!文", "(周二)", "李伟(音)", " (路透)", "http://x.y/(a)", "`(中)`", "香港?報", "嗎?",
        "\"", "文\"", "\"中文\"", "5\"", "“", "」",
    ]

    @Test func checkLineOnMarksMatchesTheWalkOverEveryScalar() {
        let fast = PunctuationWidthRule(options: RuleOptions())
        var random = SeededRandom(seed: 2404)
        var found = 0
        for k in 0..<900 {
            var text = ""
            for _ in 0..<(1 + random.below(5)) {
                for _ in 0..<random.below(24) { text += Self.pieces[random.below(Self.pieces.count)] }
                text += k % 5 == 0 ? "\r\n" : "\n"
            }
            let document = Document(path: k % 3 == 0 ? "m.html" : "m.md", text: text)
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let run = document.scalarRun(decode, line: n)
                var fastSink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
                var plainSink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
                fast.checkLine(run, in: document, into: &fastSink)
                PunctuationWidthReference.checkLine(run, in: document, into: &plainSink)
                #expect(fastSink.diagnostics == plainSink.diagnostics, "\(text)")
                found += plainSink.diagnostics.count
            }
        }
        #expect(found > 1000, "\(found)")
    }
}
