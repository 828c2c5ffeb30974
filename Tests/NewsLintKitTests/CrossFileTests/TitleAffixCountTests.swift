import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The title affixes' reduce counts by UTF-8 bytes and merges the spellings whose strings are
/// equal: its counts, and so its findings, are those of a `[String: Int]`.
@Suite struct TitleAffixCountTests {
    /// `[String: Int]` counting, the form the reduce had.
    static func reference(_ strings: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for s in strings { counts[s, default: 0] += 1 }
        return counts
    }

    @Test func canonicallyEquivalentSpellingsShareACount() {
        // é precomposed and decomposed, Å as a letter and as the ångström sign: equal strings, other bytes.
        let strings = ["caf\u{E9} | ", "cafe\u{301} | ", "caf\u{E9} | ", "\u{C5}報", "\u{212B}報", "A\u{30A}報", "新聞網 - ", "", "新聞網 - "]
        var counts = UTF8Counts()
        for s in strings { counts.add(s) }
        counts.mergeEquivalentSpellings()
        let expected = Self.reference(strings)
        for s in strings { #expect(counts[s] == expected[s], "\(Array(s.unicodeScalars))") }
        #expect(counts["cafe\u{301} | "] == 3 && counts["\u{212B}報"] == 3 && counts["新聞網 - "] == 2 && counts[""] == 1)
        #expect(counts["never added"] == nil)
    }

    @Test func randomSpellingsCountAsStrings() {
        var rng = SeededRandom(seed: 23)
        let pieces = ["e", "\u{E9}", "e\u{301}", "\u{301}", "A", "\u{C5}", "\u{212B}", "A\u{30A}", "網", " | ", "-", "\u{FB01}", "fi"]
        for _ in 0..<200 {
            var strings: [String] = []
            for _ in 0..<Int.random(in: 1...30, using: &rng) {
                var s = ""
                for _ in 0..<Int.random(in: 0...3, using: &rng) { s += pieces.randomElement(using: &rng) ?? "" }
                strings.append(s)
            }
            var counts = UTF8Counts()
            for s in strings { counts.add(s) }
            counts.mergeEquivalentSpellings()
            let expected = Self.reference(strings)
            for s in strings { #expect(counts[s] == expected[s], "\(Array(s.unicodeScalars))") }
        }
    }

    /// Titles whose suffix is spelled two ways (composed and decomposed) count together, as before.
    @Test func reduceCountsEquivalentSuffixesTogether() throws {
        let rule = try TitleRepeatedAffixRule(options: RuleOptions())
        var facts: [FileFact<TitleRepeatedAffixRule.Fact>] = []
        for i in 0..<10 {
            let suffix = i.isMultiple(of: 2) ? " | Caf\u{E9}報" : " | Cafe\u{301}報"
            facts.append(FileFact(path: "t/\(i).md", fact: .init(line: 2, suffix: i < 6 ? suffix : " | 其他\(i)")))
        }
        var sink = CrossFileSink(rule: TitleRepeatedAffixRule.id, severity: .warning)
        rule.finish(facts, into: &sink)
        #expect(sink.diagnostics.map(\.path) == (0..<6).map { "t/\($0).md" })
        #expect(sink.diagnostics.allSatisfy { $0.message.contains("repeats in 6 of 10 titles") })
    }
}
