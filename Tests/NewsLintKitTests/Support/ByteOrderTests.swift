import Testing
@testable import NewsLintCore

/// `bytesCompare` and `Diagnostic.outputComparison` answer in one pass what the merge and the
/// sorts used to ask with `utf8.lexicographicallyPrecedes` (and both ways round for equal keys).
@Suite struct ByteOrderTests {
    static let strings = ["", "a", "ab", "b", "a/b.md", "a/b.md.bak", "a-b.md", "新聞", "新聞/a.md", "新闻", "é", "e\u{301}",
                          String(repeating: "長", count: 40), String(repeating: "長", count: 40) + "x", "\u{7F}", "\u{80}"]

    @Test func bytesCompareIsTheOrderOfTheUTF8() {
        for a in Self.strings {
            for b in Self.strings {
                let expected = a.utf8.elementsEqual(b.utf8) ? 0 : (a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1)
                #expect(a.bytesCompare(b) == expected, "\(a) vs \(b)")
                #expect(a.bytesPrecede(b) == (expected < 0))
            }
        }
    }

    /// Canonically equivalent strings are `==` but not the same bytes: they are two names.
    @Test func equivalentSpellingsAreNotEqualBytes() {
        #expect("é" == "e\u{301}")
        #expect("é".bytesCompare("e\u{301}") != 0)
    }

    @Test func outputComparisonAgreesWithOutputOrderBothWays() {
        var findings: [Diagnostic] = []
        for path in ["a.md", "b.md", "新聞.md"] {
            for (line, column) in [(1, 1), (1, 2), (2, 1)] {
                for rule in ["body-empty", "content-duplicate"] {
                    for message in ["x", "x and 3 more", "y"] {
                        findings.append(Diagnostic(rule: rule, severity: .warning, path: path, line: line, column: column, message: message))
                    }
                }
            }
        }
        for a in findings {
            for b in findings {
                let order = Diagnostic.outputComparison(a, b)
                #expect(Diagnostic.outputOrder(a, b) == (order < 0))
                #expect(Diagnostic.outputComparison(b, a) == -order)
                #expect((order == 0) == (a.path == b.path && a.line == b.line && a.column == b.column && a.rule == b.rule && a.message == b.message))
            }
        }
        // Built in output order: sorting a shuffled copy gives it back.
        let key = { (d: Diagnostic) in "\(d.path):\(d.line):\(d.column):\(d.rule):\(d.message)" }
        #expect(findings.shuffled().sorted(by: Diagnostic.outputOrder).map(key) == findings.map(key))
    }
}
