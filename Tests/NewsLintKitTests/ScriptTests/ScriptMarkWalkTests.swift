import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `punctuation-width`'s walk over a line's ASCII marks only (`markPositions`) against the walk
/// over every scalar it replaced, on random lines and on the edges of its four-scalar steps.
@Suite struct ScriptMarkWalkTests {
    /// Scalars around the bounds of the step's range test (U+0021–U+003F) and the marks themselves.
    static let edgeScalars: [UInt32] = [
        0x20, 0x21, 0x22, 0x27, 0x28, 0x29, 0x2A, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x39, 0x3A, 0x3B, 0x3C, 0x3E, 0x3F, 0x40,
        0x00, 0x0A, 0x0D, 0x41, 0x7F, 0x4E2D, 0xFF08, 0xFF0C, 0x3002, 0x20000, ScalarRun.invalid, 0x1_0021, 0xFFFF_0021,
    ]

    @Test func markPositionsAreTheFullWidthScalars() {
        var random = SeededRandom(seed: 2403)
        var marked = 0
        for length in 0..<600 {
            let c = (0..<(length % 41)).map { _ in Self.edgeScalars[random.below(Self.edgeScalars.count)] }
            let scalars = Scalars(base: c, start: 0, count: c.count)
            let plain = c.indices.filter { PunctuationWidthRule.hasFullWidth(c[$0]) }
            #expect(PunctuationWidthRule.markPositions(scalars) == plain, "\(c)")
            // A window inside a longer array: positions count from its start.
            if c.count > 2 {
                let window = Scalars(base: c, start: 1, count: c.count - 2)
                #expect(PunctuationWidthRule.markPositions(window) == (1..<(c.count - 1)).filter { PunctuationWidthRule.hasFullWidth(c[$0]) }.map { $0 - 1 })
            }
            marked += plain.count
        }
        #expect(marked > 1000, "\(marked)")
    }

    /// Pieces that reach each branch of `checkLine`: pairs of parentheses around Han text or not,
    /// runs of `?!`, `![image]`, name lists between tags, marks after closing quotes, digits.
    static let pieces = ScriptFastPathTests.linePieces + [
        "(中文)", "（中）", "),", ");", "!?", "?!", "![x](y)", "<p>", "</p>", "王小明, 李大", ", ", "“引”", "《書》,", "12,3", "文.", "文,",
        "文:", "文;", "文?", "文!", "文?!文", "(周二)", "李伟(音)", " (路透)", "http://x.y/(a)", "`(中)`", "香港?報", "嗎?",
    ]

    @Test func checkLineOnMarksMatchesTheWalkOverEveryScalar() {
        let fast = PunctuationWidthRule(options: RuleOptions())
        var plain = fast
        plain.visitsOnlyMarks = false
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
                fast.checkLine(run, into: &fastSink)
                plain.checkLine(run, into: &plainSink)
                #expect(fastSink.diagnostics == plainSink.diagnostics, "\(text)")
                found += plainSink.diagnostics.count
            }
        }
        #expect(found > 1000, "\(found)")
    }
}
