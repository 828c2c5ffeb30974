import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `script-mixed` passes over a clause without a word-level leftover before counting its characters
/// when its unit has no strict minority character (`skipsCleanClauses`); these compare the rule's
/// findings with and without that skip.
@Suite struct ScriptMixedCleanClauseTests {
    @Test func findingsAreTheSameWithoutTheSkip() throws {
        try compareFindings { $0.skipsCleanClauses = false }
    }

    /// A unit without a strict minority character reaches `checkLine` only when a word-level entry
    /// occurs in it (`skipsUnitsWithoutPhrase`), not whenever a head passes the pair filter.
    @Test func findingsAreTheSameWithoutThePhraseTest() throws {
        try compareFindings { $0.skipsUnitsWithoutPhrase = false }
    }

    /// The units after a run of units leaning Simplified are counted without writing their table
    /// bytes (`check`'s `unmasked`): when the document turns out Traditional, their phrase test scans
    /// the table instead. Each text opens with a Simplified line, so its first units lean Simplified.
    @Test func findingsAreTheSameAfterASimplifiedOpening() throws {
        try compareFindings(opening: "这们说这个问题，他们来这里说话。\n", minimumReported: 500) { $0.skipsUnitsWithoutPhrase = false }
    }

    /// `opening`: a line put before each text.
    private func compareFindings(opening: String = "", minimumReported: Int = 1_000, _ makePlain: (inout ScriptMixedRule) -> Void) throws {
        let tables = ScriptTables.shared
        // Traditional text with word-level leftovers and their look-alikes (一國兩制成功, 皇后), names,
        // quotations, kana, Simplified leftovers, and random characters of every script class.
        let flagged = (UInt32(0x3400)..<0xA000).filter { tables.raw($0) != 0 }
        let pieces = ScriptFastPathTests.linePieces + [
            "後面", "幹部", "一國兩制成功", "皇后", "律師范某", "面條", "台灣", "系統", "聯系", "一周", "不准", "出來", "裡面", "裏面",
            "「", "」", "“", "”", "，", "。", "、", "金與正（Kim Yo-jong）", "日韓、安全保障で", "这", "们", "說", "話", "著", "着", "為", "爲",
        ]
        var random = SeededRandom(seed: 16_30)
        let texts = ScriptFastPath2Tests.fixtureTexts.map { ($0.path, $0.text) }
            + ScriptFastPath2Tests.generatedTexts(700, lines: { 2 + $0.below(8) }, piecesPerLine: 24, flaggedOneIn: 6,
                                                  pieces: pieces, flagged: flagged, &random)
        var reported = 0
        for quotations in [false, true] {
            let fast = try ScriptMixedRule(options: RuleOptions(["reportQuotations": JSONNode(.bool(quotations))]))
            var plain = fast
            makePlain(&plain)
            for (path, text) in texts {
                let document = Document(path: path, text: opening + text)
                var fastSink = DiagnosticSink(document: document, rule: ScriptMixedRule.id, severity: .warning, readsProse: true)
                var plainSink = DiagnosticSink(document: document, rule: ScriptMixedRule.id, severity: .warning, readsProse: true)
                fast.check(document, into: &fastSink)
                plain.check(document, into: &plainSink)
                #expect(fastSink.diagnostics == plainSink.diagnostics, "\(path)")
                reported += plainSink.diagnostics.count
            }
        }
        #expect(reported > minimumReported, "\(reported)")
    }
}
