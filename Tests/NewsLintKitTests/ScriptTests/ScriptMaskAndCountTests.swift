import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `ScriptMixedRule.maskAndCount`, which scans a unit's bytes for a non-prose span only when its
/// count met a scalar opening a span that may hold text beyond ASCII (`<`, `]`, a backtick, `{`, a URL's
/// `.` or `:`), against
/// the code it replaced in `check`: `ProseMask.nonProseIfAny` (whole-line mask), then `count` with
/// that mask. The masks agree at every scalar beyond ASCII (the rule reads its mask nowhere else),
/// and exactly in a unit holding such a scalar.
@Suite struct ScriptMaskAndCountTests {
    /// Han of both scripts and both variant forms, quotes, titles, URLs, emails, code spans, HTML,
    /// Markdown links, controls and ill-formed UTF-8 (lone bytes, truncated and overlong forms, an
    /// encoded surrogate).
    static let pieces: [[UInt8]] = ([
        "中国", "中國", "后面", "後面", "干部", "幹部", "裡", "裏", "為", "爲", "線", "綫", "衛", "衞", "台灣", "的", "𠀀", "𡃁",
        "“", "”", "「", "」", "《條例》", "〈", "，", "。", "：", " ", "abc", "10:30", "3.5", "www.x.cn", "WWW.", "ww.",
        "http://裡.tw/a", "https://a.b/c?d=1.", "ftp://x", "mailto:a@b.cn", "a@b.com", "info:", "o:", "://",
        "`", "``", "`后`", "``干`部``", "{%", "%}", "{{", "}}", "{% 後 %}", "<b>", "</b>", "<a href=\"http://x\">", "<!-- 後 -->", "<p>", "<", ">", "<3",
        "[後](http://x/裡)", "](", "[a]", "(", ")", "]", ".", ":", "\t", "\u{1A}", "\u{0E}", "\u{0F}", "\u{7F}", "é", "\u{FFFD}",
    ] as [String]).map { Array($0.utf8) } + [
        [0xFF], [0x80], [0xBF], [0xE4, 0xB8], [0xE4, 0x2E], [0xF0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80],
        [0xC0, 0xAE], [0xC0, 0xBA], [0xE0, 0x80, 0xAE], [0xF8, 0x88, 0x80, 0x80],
    ] + Self.lineBreaksAndProse

    /// Line breaks and plain Han, weighted so that many units hold no mark at all.
    static let lineBreaksAndProse: [[UInt8]] = Array(repeating: [0x0A], count: 10) + Array(repeating: Array("後來的國家".utf8), count: 4)

    static func randomBytes(_ random: inout SeededRandom, pieces count: Int) -> [UInt8] {
        var bytes: [UInt8] = random.below(4) == 0 ? Array("---\ntitle: 標題\n---\n".utf8) : []
        for _ in 0..<count { bytes += pieces[random.below(pieces.count)] }
        return bytes
    }

    static let variantCharacters: [UInt32] = [0x88CF, 0x88E1, 0x70BA, 0x7232, 0x7DDA, 0x7DAB, 0x885B, 0x885E]

    /// Every unit of seeded random Markdown and HTML documents, taken in document order as `check`
    /// takes them (one token cursor carried through): the same mask, counts, variant counts and cursor.
    @Test func maskAndCountEqualsTheWholeLineMaskThenCount() {
        let tables = ScriptTables.shared
        var random = SeededRandom(seed: 3707)
        var units = 0, masked = 0, marksWithoutMask = 0, noMarks = 0
        for k in 0..<1500 {
            let path = k % 3 == 0 ? "r\(k).html" : "r\(k).md"
            let document = Document(path: path, bytes: Self.randomBytes(&random, pieces: 1 + random.below(60)))
            let decode = document.scalars
            let html = document.isHTMLFile ? document.html : nil
            // With the document's Liquid tags across lines (its pieces hold opens and closes).
            let liquid = ProseMask.spansAcrossLines(document)
            var oldCursor = 0, newCursor = 0, nextScalar = 0
            var oldVariants = ScriptMixedRule.VariantCounts(), newVariants = ScriptMixedRule.VariantCounts()
            for (n, range) in document.proseUnits() {
                let run = html != nil ? document.scalarRun(decode, bytes: range, from: nextScalar) : document.scalarRun(decode, line: n)
                nextScalar = run.cps.start + run.count
                let oldSkip = ProseMask.nonProseIfAny(run, bytes: document.bytes, html: html, tokenCursor: &oldCursor, liquid: liquid)
                let old = ScriptMixedRule.count(run, oldSkip, tables: tables, variants: &oldVariants, allInBMP: decode.allInBMP)
                let new = ScriptMixedRule.maskAndCount(run, bytes: document.bytes, html: html, tokenCursor: &newCursor, tables: tables,
                                                       variants: &newVariants, allInBMP: decode.allInBMP, liquid: liquid)
                units += 1
                #expect(Self.agreeBeyondASCII(new.skip, oldSkip, run), "\(path) unit \(n)")
                if run.cps.contains(where: { ScriptTables.proseMarkScalars.contains($0) }) {
                    #expect(new.skip.flags == oldSkip.flags, "\(path) unit \(n)")
                }
                #expect(new.counts == old, "\(path) unit \(n)")
                #expect(newCursor == oldCursor, "\(path) unit \(n)")
                #expect(Self.variantCharacters.map { newVariants[$0] } == Self.variantCharacters.map { oldVariants[$0] }, "\(path) unit \(n)")
                if !oldSkip.flags.isEmpty { masked += 1 }
                let marks = run.cps.contains { ScriptTables.proseMarkScalars.contains($0) }
                if marks && oldSkip.flags.isEmpty { marksWithoutMask += 1 }
                if !marks { noMarks += 1 }
            }
        }
        // Each path is taken: masked units, units the byte scan clears, units without a mark.
        #expect(units > 4000 && masked > 2000 && marksWithoutMask > 300 && noMarks > 800, "\(units) \(masked) \(marksWithoutMask) \(noMarks)")
    }

    /// Whether two masks of `run` agree at every scalar beyond ASCII.
    static func agreeBeyondASCII(_ a: NonProse, _ b: NonProse, _ run: ScalarRun) -> Bool {
        (0..<run.count).allSatisfy { run.cps[$0] < 0x80 || a[$0] == b[$0] }
    }

    /// The count table's mark bit is set for exactly `.`, `:`, `<`, `]`, `{` and the backtick: bytes
    /// `mayHoldNonProse` looks at, the ones that open a span `nonProse` may mask text beyond ASCII
    /// in (a URL may hold Han: every scheme holds a `.` or a `:`).
    @Test func countTableMarksTheSpanOpeners() {
        let tables = ScriptTables.shared
        #expect(ScriptTables.proseMarkScalars == [0x2E, 0x3A, 0x3C, 0x5D, 0x60, 0x7B])
        for c in UInt32(0)..<0x10000 {
            let marked = tables.countFlags(c) & ScriptTables.countProseMark != 0
            if marked != ScriptTables.proseMarkScalars.contains(c) { Issue.record("U+\(String(c, radix: 16))"); return }
        }
        #expect(ScriptTables.proseMarkScalars.allSatisfy { ProseMask.mayHoldNonProseLooksAt(UInt8($0)) })
    }

    /// Units whose only non-prose spans are URLs (`http://`, `www.`, `mailto:`, some holding Han),
    /// beside times, decimals and controls: `maskAndCount` masks them as the whole-line mask does
    /// beyond ASCII (a URL's Han is not counted), leaves a unit with no `.` or `:` unmasked (no
    /// second walk, no second count), and the counts and the phrase scans (the mask's other
    /// readers) answer the same with either mask.
    @Test func unitsWithURLsAgreeWithTheWholeLineMask() {
        let tables = ScriptTables.shared
        let pieces: [[UInt8]] = ([
            "干部", "後面", "后面", "裡", "為", "的", "中國", "，", "。", " ", "http://x.cn/a", "https://裡.tw/後", "www.x.cn",
            "WWW.Y.COM", "mailto:a@b.cn", "ftp://f", "10:30", "3.5", "a.b", "o:", "://", "\u{0E}", "\u{1A}", "ww\u{0E}",
        ] as [String]).map { Array($0.utf8) } + [[0x77, 0x77, 0x77, 0x0E, 0x61], [0xE4, 0xB8], [0xFF]]
        var random = SeededRandom(seed: 3801)
        var masked = 0
        for k in 0..<1200 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + random.below(30)) { bytes += pieces[random.below(pieces.count)] }
            let document = Document(path: "u\(k).md", bytes: bytes + Array("\n".utf8))
            let decode = document.scalars
            for (n, _) in document.proseUnits() {
                let run = document.scalarRun(decode, line: n)
                var cursor = 0, oldVariants = ScriptMixedRule.VariantCounts(), newVariants = ScriptMixedRule.VariantCounts()
                let old = ProseMask.nonProseIfAny(run, bytes: document.bytes, html: nil, tokenCursor: &cursor)
                let oldCounts = ScriptMixedRule.count(run, old, tables: tables, variants: &oldVariants, allInBMP: decode.allInBMP)
                let new = ScriptMixedRule.maskAndCount(run, bytes: document.bytes, html: nil, tokenCursor: &cursor, tables: tables,
                                                       variants: &newVariants, allInBMP: decode.allInBMP)
                // A scalar beyond the BMP, or an ill-formed byte's, counts as a mark (the bytes are scanned).
                if run.cps.allSatisfy({ $0 < 0x10000 && $0 != 0x2E && $0 != 0x3A }) { #expect(new.skip.flags.isEmpty, "u\(k)") }
                #expect(Self.agreeBeyondASCII(new.skip, old, run), "u\(k)")
                #expect(new.counts == oldCounts, "u\(k)")
                #expect(Self.variantCharacters.map { newVariants[$0] } == Self.variantCharacters.map { oldVariants[$0] }, "u\(k)")
                #expect(ScriptMixedRule.mayHoldPhrase(run, new.skip, tables: tables, heads: .max) == ScriptMixedRule.mayHoldPhrase(run, old, tables: tables, heads: .max))
                #expect(ScriptMixedRule.mayStartPhrase(run, new.skip, tables: tables) == ScriptMixedRule.mayStartPhrase(run, old, tables: tables))
                if !old.flags.isEmpty { masked += 1 }
            }
        }
        #expect(masked > 500, "\(masked)")
    }
}
