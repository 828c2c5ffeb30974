import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `title-boilerplate` on a title's bytes (session 11, issue 16) against the `String` logic it
/// replaces, kept here as the reference: random titles built from the pieces the logic tells apart
/// (separators, site, column and section words, CJK and general punctuation, spaces of every kind,
/// combining marks, compatibility ideographs canonically equal to a word's ideograph, CR LF, kana,
/// Hangul jamo, digits, domains).
@Suite struct TitleBytesEquivalenceTests {
    static let pieces = ["新闻", "新聞網", "网", "網", "官网", "频道", "日报", "专访", "評論", "时评", "國際", "即時", "财经", "版", "新聞", "头条",
                         "互联网", "电网", "温网", "人民", "哈尔滨工程大学", "学院", "会议召开", "example.edu.cn", "hrbeu.com.cn", "v1.2", "2024",
                         " | ", "|", "｜", " - ", " – ", " — ", "——", "_", " :: ", " · ", "->", "—>", "-->", ">>", "»", "＞", "→", " ：", "：", ": ", ":",
                         " ", "  ", "\t", "\u{3000}", "\u{A0}", "\u{2002}", "\u{2000}", "，", "。", "「", "」", "“", "”", "…", "、", "〈", "\u{302A}",
                         "！", "Ａ", "\u{301}", "\u{F90A}", "\u{F941}", "\u{FA6A}", "\r\n", "ー", "\u{1100}", "\u{1161}", "é", "K", "\u{212A}", "a", "-", "·"]

    static func randomTitle(_ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
    }

    // MARK: - The reference: the String logic as it was

    static func plainFind(_ t: [UInt8], _ seps: [[UInt8]], last: Bool) -> Range<Int>? {
        TagAndSeparatorEquivalenceTests.plainFind(t, seps, last: last)
    }

    static func referenceIsColumnName(_ text: String) -> Bool { DocumentRulesCPUEquivalenceTests.referenceIsColumnName(text) }

    static func referenceIsColumnLabel(_ piece: [UInt8], separator: [UInt8]) -> Bool {
        let text = String(decoding: piece, as: UTF8.self)
        if referenceIsColumnName(text) { return true }
        if TitleAffix.siteWords.contains(where: { text.hasSuffix($0) }) { return false }
        if TitleAffix.columnWords.contains(where: { text.hasSuffix($0) }) { return true }
        let sep = String(decoding: separator, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return sep == "：" || sep == ":"
    }

    static func referenceIsSiteName(_ s: [UInt8]) -> Bool {
        let text = String(decoding: s, as: UTF8.self)
        if referenceIsColumnName(text) { return false }
        let n = text.unicodeScalars.count
        guard n >= 2 && n <= 12, !text.contains("，"), !text.contains("。") else { return false }
        guard let word = TitleAffix.siteWords.first(where: { text.hasSuffix($0) }) else { return false }
        if word.unicodeScalars.count == 1 && (TitleAffix.netWords.contains { text.hasSuffix($0) } || n > 6) { return false }
        return true
    }

    static func referenceFindings(_ title: String) -> [TitleAffix.Finding] {
        let t = Array(title.utf8)
        var out: [TitleAffix.Finding] = []
        if let sep = plainFind(t, TitleAffix.prefixSeparators, last: false) {
            let piece = TitleAffix.trimSpaces(t, 0..<sep.lowerBound)
            let rest = TitleAffix.trimSpaces(t, sep.upperBound..<t.count)
            let n = TextScan.scalarCount(t, piece)
            let hasDigit = t[piece].contains { $0 >= 0x30 && $0 <= 0x39 }
            if n >= 2, n <= 20, !hasDigit, TextScan.scalarCount(t, rest) >= 4, !referenceIsColumnName(String(decoding: t[piece], as: UTF8.self)) {
                out.append(TitleAffix.Finding(kind: .prefix, piece: String(decoding: t[piece], as: UTF8.self), cut: 0..<rest.lowerBound))
            }
        }
        if let sep = plainFind(t, TitleAffix.suffixSeparators, last: true) {
            let piece = TitleAffix.trimSpaces(t, sep.upperBound..<t.count)
            var lo = sep.lowerBound
            while lo > 0 && t[lo - 1] == 0x20 { lo -= 1 }
            let before = TitleAffix.trimSpaces(t, 0..<lo)
            if !before.isEmpty, TitleAffix.isDomain(t[piece]) || referenceIsSiteName(Array(t[piece])), out.first.map({ $0.cut.upperBound <= lo }) ?? true {
                out.append(TitleAffix.Finding(kind: .suffix, piece: String(decoding: t[piece], as: UTF8.self), cut: lo..<t.count))
            }
        }
        return out
    }

    /// The affixes `TitleRepeatedAffixRule.collect` keeps for a title.
    static func referenceAffixes(_ title: String) -> (prefix: String?, suffix: String?) {
        let t = Array(title.utf8)
        let handled = referenceFindings(title)
        var prefix: String?, suffix: String?
        let separators = TitleRepeatedAffixRule.separators
        if !handled.contains(where: { $0.kind == .prefix }), let sep = plainFind(t, separators, last: false) {
            let piece = TitleAffix.trimSpaces(t, 0..<sep.lowerBound)
            if (1...20).contains(TextScan.scalarCount(t, piece)), !referenceIsColumnLabel(Array(t[piece]), separator: Array(t[sep])) {
                prefix = String(decoding: t[0..<sep.upperBound], as: UTF8.self)
            }
        }
        if !handled.contains(where: { $0.kind == .suffix }), let sep = plainFind(t, separators, last: true) {
            let piece = TitleAffix.trimSpaces(t, sep.upperBound..<t.count)
            if (1...20).contains(TextScan.scalarCount(t, piece)), !referenceIsColumnName(String(decoding: t[piece], as: UTF8.self)) {
                suffix = String(decoding: t[sep.lowerBound...], as: UTF8.self)
            }
        }
        return (prefix, suffix)
    }

    // MARK: - Tests

    @Test func wordListsArePlain() {
        for word in TitleAffix.siteWords + TitleAffix.columnWords + TitleAffix.netWords + TitleAffix.sectionWords + TitleAffix.sectionSuffixes {
            #expect(TitleAffix.isPlain(word), "\(word)")
        }
    }

    @Test func splitsInOneWalkEqualThePlainSearches() {
        var rng = SeededRandom(seed: 1_611)
        for _ in 0..<20_000 {
            let t = Array(Self.randomTitle(&rng).utf8)
            let splits = TitleSplits(t)
            #expect(splits.firstPrefix == Self.plainFind(t, TitleAffix.prefixSeparators, last: false))
            #expect(splits.lastSuffix == Self.plainFind(t, TitleAffix.suffixSeparators, last: true))
            #expect(splits.firstAny?.range == Self.plainFind(t, TitleRepeatedAffixRule.separators, last: false))
            #expect(splits.lastAny?.range == Self.plainFind(t, TitleRepeatedAffixRule.separators, last: true))
            for split in [splits.firstAny, splits.lastAny].compactMap({ $0 }) {
                #expect(split.isColon == TitleAffix.isColon(Array(t[split.range])))
            }
        }
        #expect(TitleSplits([]) == TitleSplits([UInt8]()))
        #expect(TitleSplits([0xEF]).firstAny == nil)
        #expect(TitleSplits(Array("a |".utf8)).lastAny?.range == 2..<3)
    }

    /// `TitleSplits` passes over a three-byte character whose lead starts no separator: on bytes
    /// with ill-formed sequences (a lead cut short by a separator, stray continuation bytes, a lead
    /// at the end) as well as characters and separators, the same splits as a byte at a time, and
    /// as the plain searches.
    @Test func splitsPassingOverCharactersEqualByteSteps() {
        let pieces: [[UInt8]] = TitleAffix.suffixSeparators + TitleAffix.prefixSeparators + TitleRepeatedAffixRule.separators
            + ["新闻", "網", "：", "——", "a", " ", "｜"].map { Array($0.utf8) }
            + [[0xE4], [0xE4, 0xB8], [0xE4, 0x7C], [0xE4, 0xB8, 0x7C], [0x80], [0xBF, 0xBF], [0xEF], [0xEF, 0xBD], [0xE2, 0x80], [0xC2], [0xF0, 0x9F, 0x98, 0x80]]
        var rng = SeededRandom(seed: 4343)
        var found = 0
        for _ in 0..<30_000 {
            var t: [UInt8] = []
            for _ in 0..<rng.below(12) { t += pieces[rng.below(pieces.count)] }
            let splits = TitleSplits(t)
            #expect(splits == TitleSplits(t, skipsCharacters: false), "\(t)")
            #expect(splits.firstAny?.range == Self.plainFind(t, TitleRepeatedAffixRule.separators, last: false), "\(t)")
            #expect(splits.lastSuffix == Self.plainFind(t, TitleAffix.suffixSeparators, last: true), "\(t)")
            if splits.lastAny != nil { found += 1 }
        }
        #expect(found > 10_000 && found < 29_000, "\(found)")
    }

    @Test func bytePredicatesEqualTheStringOnes() {
        var rng = SeededRandom(seed: 1_612)
        for _ in 0..<30_000 {
            let text = Self.randomTitle(&rng)
            let t = Array(text.utf8)
            let all = 0..<t.count
            #expect(TitleAffix.isColumnName(t, all) == Self.referenceIsColumnName(text), "\(Array(text.unicodeScalars))")
            #expect(TitleAffix.isSiteName(t, all) == Self.referenceIsSiteName(t), "\(Array(text.unicodeScalars))")
            for separator in [Array("：".utf8), Array(" | ".utf8)] {
                #expect(TitleAffix.isColumnLabel(t, piece: all, separatorIsColon: TitleAffix.isColon(separator)) == Self.referenceIsColumnLabel(t, separator: separator),
                        "\(Array(text.unicodeScalars))")
            }
            if TitleAffix.comparesAsBytes(t, all) {
                #expect(text.unicodeScalars.count == text.count, "one Character per scalar: \(Array(text.unicodeScalars))")
            }
        }
        // Edges: empty, one byte, a lone lead byte, the ends of each range.
        for bytes: [UInt8] in [[], [0x20], [0xE3], [0xE3, 0x80], Array("\u{2010}\u{2027}\u{3029}\u{FF01}\u{FF5E}".utf8)] {
            #expect(TitleAffix.isColumnName(bytes, 0..<bytes.count) == Self.referenceIsColumnName(String(decoding: bytes, as: UTF8.self)))
        }
        #expect(!TitleAffix.comparesAsBytes(Array("\u{200F}".utf8), 0..<3))
        #expect(!TitleAffix.comparesAsBytes(Array("\u{302A}".utf8), 0..<3))
        #expect(!TitleAffix.comparesAsBytes(Array("\u{F90A}".utf8), 0..<3))
    }

    @Test func findingsAndAffixesEqualTheStringLogic() throws {
        var rng = SeededRandom(seed: 1_613)
        let rule = try TitleRepeatedAffixRule(options: RuleOptions())
        for _ in 0..<20_000 {
            let title = Self.randomTitle(&rng)
            let expected = Self.referenceFindings(title)
            let found = TitleAffix.findings(title)
            #expect(found.map(\.kind) == expected.map(\.kind) && found.map(\.piece) == expected.map(\.piece) && found.map(\.cut) == expected.map(\.cut),
                    "\(Array(title.unicodeScalars))")
            let quoted = title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
            let document = Document(path: "a.md", text: "---\ntitle: \"\(quoted)\"\n---\n正文\n")
            guard document.frontMatter?.string("title") == title else { continue }
            let fact = rule.collect(document)
            let affixes = Self.referenceAffixes(title)
            #expect(fact?.prefix == affixes.prefix && fact?.suffix == affixes.suffix, "\(Array(title.unicodeScalars))")
        }
    }
}

/// `title-boilerplate`'s per-file check and cross-file collect share one copy of the title and its
/// cuts (`Document.titleCuts(ofEntry:)`, session 40): on random titles, each half reports what it
/// reports on a document of its own, whichever half runs first; and a half reading another key
/// (`headline`) does not take the cuts made for `title`.
@Suite struct SharedTitleCutsTests {
    static func document(title: String, headline: String) -> Document {
        func quoted(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        }
        return Document(path: "a.md", text: "---\ntitle: \"\(quoted(title))\"\nheadline: \"\(quoted(headline))\"\n---\n正文\n")
    }

    static func check(_ rule: TitleBoilerplateRule, _ document: Document) -> [String] {
        var sink = DiagnosticSink(document: document, rule: TitleBoilerplateRule.id, severity: .warning)
        rule.check(document, into: &sink)
        return sink.diagnostics.map { "\($0.line):\($0.column) \($0.message) \(String(describing: $0.fix))" }
    }

    @Test func eitherHalfFirstReportsAsAlone() throws {
        var rng = SeededRandom(seed: 4_001)
        let check = try TitleBoilerplateRule(options: RuleOptions())
        let collect = try TitleRepeatedAffixRule(options: RuleOptions())
        let headlineCheck = try TitleBoilerplateRule(options: RuleOptions(["key": JSONNode(.string("headline"))]))
        let headlineCollect = try TitleRepeatedAffixRule(options: RuleOptions(["key": JSONNode(.string("headline"))]))
        var reported = 0, affixed = 0
        for _ in 0..<6_000 {
            let title = TitleBytesEquivalenceTests.randomTitle(&rng), headline = TitleBytesEquivalenceTests.randomTitle(&rng)
            let alone = Self.check(check, Self.document(title: title, headline: headline))
            let aloneFact = collect.collect(Self.document(title: title, headline: headline))
            let headlineAlone = Self.check(headlineCheck, Self.document(title: title, headline: headline))
            let headlineFact = headlineCollect.collect(Self.document(title: title, headline: headline))
            let what = "\(Array(title.unicodeScalars)) / \(Array(headline.unicodeScalars))"
            // Check, then collect, then the other key's halves, on one document.
            let first = Self.document(title: title, headline: headline)
            #expect(Self.check(check, first) == alone, "\(what)")
            let fact = collect.collect(first)
            #expect(fact?.prefix == aloneFact?.prefix && fact?.suffix == aloneFact?.suffix && fact?.line == aloneFact?.line, "\(what)")
            #expect(Self.check(headlineCheck, first) == headlineAlone, "\(what)")
            let otherFact = headlineCollect.collect(first)
            #expect(otherFact?.prefix == headlineFact?.prefix && otherFact?.suffix == headlineFact?.suffix && otherFact?.line == headlineFact?.line, "\(what)")
            // Collect first, then check.
            let second = Self.document(title: title, headline: headline)
            let secondFact = collect.collect(second)
            #expect(secondFact?.prefix == aloneFact?.prefix && secondFact?.suffix == aloneFact?.suffix, "\(what)")
            #expect(Self.check(check, second) == alone, "\(what)")
            // And the shared cuts are the plain computation's.
            if let i = first.frontMatter?.index(of: FrontMatterKey("title")) {
                let shared = first.titleCuts(ofEntry: i)
                let t = first.withFrontMatterScalarUTF8(ofEntry: i) { Array($0) }
                #expect(shared.utf8 == t, "\(what)")
                if let t {
                    let splits = TitleSplits(t), cuts = TitleAffix.cuts(t, splits)
                    #expect(shared.prefix?.piece == cuts.prefix?.piece && shared.prefix?.cut == cuts.prefix?.cut, "\(what)")
                    #expect(shared.suffix?.piece == cuts.suffix?.piece && shared.suffix?.cut == cuts.suffix?.cut, "\(what)")
                    #expect(shared.firstAny?.range == splits.firstAny?.range && shared.firstAny?.isColon == splits.firstAny?.isColon, "\(what)")
                    #expect(shared.lastAny?.range == splits.lastAny?.range && shared.lastAny?.isColon == splits.lastAny?.isColon, "\(what)")
                }
            }
            if !alone.isEmpty { reported += 1 }
            if aloneFact?.prefix != nil || aloneFact?.suffix != nil { affixed += 1 }
        }
        // Enough of both kinds for the comparisons to mean something.
        #expect(reported > 300 && affixed > 300, "\(reported) reported, \(affixed) with affixes")
    }
}

/// The column names on bytes look words up in an open-addressed table (`TitleAffix.PackedWordSet`)
/// and answer text longer than the longest word and suffix together from its length: every word of
/// the lists, alone, with each section suffix, cut short, lengthened, and texts of every length
/// around the cut-off, against the `String` sets.
@Suite struct PackedColumnNameTests {
    @Test func everyWordAndSuffixMatchesTheStringSets() {
        let words = TitleAffix.sectionWords + TitleAffix.columnWords
        var checked = 0, found = 0
        for word in words + TitleAffix.sectionSuffixes + TitleAffix.siteWords + TitleAffix.netWords {
            for suffix in [""] + TitleAffix.sectionSuffixes {
                for text in [word + suffix, String(word.dropLast()) + suffix, "中" + word + suffix, word + suffix + "a", word + "新" + suffix] {
                    let t = Array(text.utf8)
                    let expected = TitleBytesEquivalenceTests.referenceIsColumnName(text)
                    #expect(TitleAffix.isColumnName(t, 0..<t.count) == expected, "\(text)")
                    #expect(TitleAffix.isColumnName(text) == expected, "\(text)")
                    checked += 1
                    if expected { found += 1 }
                }
            }
        }
        #expect(found > 1_000 && checked - found > 1_000)
        // Around the length cut-off (the longest word and suffix together are 15 bytes): runs of
        // ideographs and ASCII of every length up to 24 bytes, ending in a suffix or not.
        for filler in ["國", "a", "大中"] {
            for count in 0...8 {
                for suffix in ["", "新聞", "版"] {
                    let text = String(repeating: filler, count: count) + suffix
                    let t = Array(text.utf8)
                    #expect(TitleAffix.isColumnName(t, 0..<t.count) == TitleBytesEquivalenceTests.referenceIsColumnName(text), "\(text)")
                }
            }
        }
        #expect(TitleAffix.isColumnName(Array("大中華新聞".utf8), 0..<15))
        #expect(!TitleAffix.isColumnName(Array("大中華新聞a".utf8), 0..<16))
        // The comparisons above would pass with the byte path off (both sides on `String`s).
        #expect(TitleAffix.usesPackedColumnNames)
    }

    /// The open-addressed table itself (through `PackedSuffixes`, its one user besides the word
    /// lists): seeded random word sets of many sizes (a table a quarter full grows probe chains,
    /// some running past the last slot to slot 0) against a plain
    /// suffix test on the bytes; texts that end in a word, in part of one, or in none.
    @Test func packedTableMatchesAPlainSuffixTest() {
        var random = SeededRandom(seed: 2702)
        let letters: [[UInt8]] = [Array("a".utf8), Array("Z".utf8), Array("7".utf8), Array(" ".utf8), Array("新".utf8), Array("聞".utf8), Array("網".utf8), Array("版".utf8)]
        func word(_ maxBytes: Int) -> [UInt8] {
            var w: [UInt8] = []
            while true {
                let piece = letters[random.below(letters.count)]
                if w.count + piece.count > maxBytes { return w.isEmpty ? piece : w }
                w += piece
                if random.below(4) == 0 { return w }
            }
        }
        var hits = 0, misses = 0
        for size in [1, 2, 5, 40, 200, 255, 256, 600] {
            let words = Set((0..<size).map { _ in word(15) }).map { String(decoding: $0, as: UTF8.self) }
            guard let table = TitleAffix.PackedSuffixes(words) else {
                Issue.record("plain words of at most 15 bytes must pack")
                continue
            }
            let encoded = words.map { Array($0.utf8) }
            for round in 0..<400 {
                var text = word(12)
                if round % 2 == 0 { text += encoded[random.below(encoded.count)] }
                if round % 3 == 0, !text.isEmpty { text.removeLast() }
                let expected = encoded.contains { text.count >= $0.count && Array(text.suffix($0.count)) == $0 }
                #expect(table.isSuffix(of: text, 0..<text.count) == expected, "\(String(decoding: text, as: UTF8.self)) of \(size)")
                if expected { hits += 1 } else { misses += 1 }
            }
        }
        #expect(hits > 500 && misses > 500, "\(hits) \(misses)")
    }
}

/// `title-repeated-affix`'s reduce numbers each affix once and reads again only the facts of files
/// with a repeated one; this compares its findings with the two dictionary passes it replaced, on
/// random corpora whose affixes repeat (canonically equal spellings included: `é` and `e\u{301}`
/// are one key for a `String` dictionary) or not, and on corpora too small to report.
@Suite struct TitleAffixReduceTests {
    static func reference(_ rule: TitleRepeatedAffixRule, _ facts: [FileFact<TitleRepeatedAffixRule.Fact>]) -> [String] {
        let total = facts.count
        guard total >= rule.minTitles else { return [] }
        var prefixes: [String: Int] = [:], suffixes: [String: Int] = [:]
        for f in facts {
            if let p = f.fact.prefix { prefixes[p, default: 0] += 1 }
            if let s = f.fact.suffix { suffixes[s, default: 0] += 1 }
        }
        func repeated(_ n: Int) -> Bool { n >= rule.minTitles && Double(n) / Double(total) >= rule.minShare }
        var out: [String] = []
        for f in facts {
            if let p = f.fact.prefix, let n = prefixes[p], repeated(n) {
                out.append("\(f.path):\(f.fact.line): \(rule.key) prefix '\(p.trimmingCharacters(in: .whitespaces))' repeats in \(n) of \(total) titles (a site name?)")
            }
            if let s = f.fact.suffix, let n = suffixes[s], repeated(n) {
                out.append("\(f.path):\(f.fact.line): \(rule.key) suffix '\(s.trimmingCharacters(in: .whitespaces))' repeats in \(n) of \(total) titles (a site name?)")
            }
        }
        return out
    }

    @Test func findingsMatchTheTwoDictionaryPasses() throws {
        let rule = try TitleRepeatedAffixRule(options: RuleOptions())
        let affixes: [String?] = [nil, nil, "新浪新闻 | ", "人民网：", " - caf\u{E9}", " - cafe\u{301}", "｜明報", "RTHK » ", "a"]
        var generator = SeededRandom(seed: 270_302)
        var reported = 0
        for round in 0..<300 {
            let count = round < 20 ? round : Int.random(in: 1...120, using: &generator)
            let facts = (0..<count).map { k in
                FileFact(path: "f\(k).md", fact: TitleRepeatedAffixRule.Fact(line: Int.random(in: 1...9, using: &generator),
                                                                              prefix: affixes.randomElement(using: &generator) ?? nil,
                                                                              suffix: affixes.randomElement(using: &generator) ?? nil))
            }
            var sink = CrossFileSink(rule: TitleRepeatedAffixRule.id, severity: .warning)
            rule.finish(FactTable(facts), into: &sink)
            let found = sink.diagnostics.map { "\($0.path):\($0.line): \($0.message)" }
            #expect(found == Self.reference(rule, facts), "round \(round)")
            reported += found.count
        }
        #expect(reported > 1_000)
    }
}
