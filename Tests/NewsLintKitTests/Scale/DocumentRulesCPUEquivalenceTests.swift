import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Fast paths of engine 2, CPU part 8 (document and mid-size rules, issue 16) against the plain
/// logic they replace, kept here as the reference, on random inputs built from the pieces each one
/// distinguishes (ASCII and CJK, spaces of every kind, combining marks, compatibility ideographs
/// that are canonically equal to the words a rule looks for, the Kelvin sign, CR LF).
@Suite struct DocumentRulesCPUEquivalenceTests {
    static func randomString(_ pieces: [String], maxPieces: Int, _ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...maxPieces, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
    }

    // MARK: - BodyNormalizer

    @Test func foldMatchesThePlainSwitchOnEveryScalar() {
        for s in UInt32(0)...0x10FFFF where BodyNormalizer.fold(s) != BodyNormalizer.plainFold(s) {
            Issue.record("fold(\(String(s, radix: 16))) = \(String(describing: BodyNormalizer.fold(s))), plain: \(String(describing: BodyNormalizer.plainFold(s)))")
        }
    }

    static let bodyPieces = ["新", "聞", "，", "。", "　", " ", "\n", "\r\n", "\t", "\u{A0}", "\u{200B}", "\u{FEFF}", "ＡＢ", "｡", "｢", "｣", "､", "･",
                             "a", "Z", "<p>", "</p>", "<div class=\"x\">", "<!-- c -->", "<script>var a;</script>", "&#20013;", "&#x4E2D;",
                             "&nbsp;", "&amp;", "[link](http://a.b/c)", "![img](x.png)", "https://web.archive.org/web/20210301000000/http://x.org/",
                             "é", "e\u{301}", "\u{1F600}", "\u{FF}", "\u{7F}"]

    static func randomDocuments(_ count: Int, seed: UInt64) -> [Document] {
        var rng = SeededRandom(seed: seed)
        var out: [Document] = []
        for n in 0..<count {
            var bytes = Array(randomString(bodyPieces, maxPieces: 80, &rng).utf8)
            if n % 3 == 0 { bytes = Array("---\ntitle: t\n---\n".utf8) + bytes }
            // Ill-formed bytes too: a lone continuation, a truncated sequence.
            if n % 7 == 0, !bytes.isEmpty { bytes.insert([0x80, 0xE4, 0xFF][n % 3], at: Int.random(in: 0..<bytes.count, using: &rng)) }
            out.append(Document(path: n % 2 == 0 ? "post\(n).html" : "post\(n).md", bytes: bytes))
        }
        return out
    }

    @Test func normalisedBodyMatchesTheAppendingForm() {
        for document in Self.randomDocuments(3_000, seed: 16_081) {
            let fast = BodyNormalizer.view(document), plain = BodyNormalizer.plainView(document)
            #expect(fast.scalars == plain.scalars, "\(document.path)")
            #expect(fast.hash == plain.hash, "\(document.path)")
        }
    }

    // MARK: - content-near-duplicate

    /// `binMinima` as it was written before CPU part 8: the scalar entering is added, then the one leaving taken off.
    static func referenceBinMinima(_ scalars: [UInt32], size k: Int, bins: Int) -> [UInt64] {
        let count = scalars.count - k + 1
        var minima = [UInt64](repeating: .max, count: bins)
        guard count > 0 else { return minima }
        var leading: UInt64 = 1
        for _ in 1..<k { leading = leading &* ContentNearDuplicateRule.rollingBase }
        var h: UInt64 = 0
        for j in 0..<(k - 1) { h = h &* ContentNearDuplicateRule.rollingBase &+ UInt64(scalars[j]) }
        for i in 0..<count {
            h = h &* ContentNearDuplicateRule.rollingBase &+ UInt64(scalars[i + k - 1])
            let x = mix64(h)
            let b = ContentNearDuplicateRule.bin(x, bins: bins)
            if x < minima[b] { minima[b] = x }
            h = h &- UInt64(scalars[i]) &* leading
        }
        return minima
    }

    @Test func rollingShingleHashMatchesTheTwoStepForm() {
        var rng = SeededRandom(seed: 16_082)
        let alphabet: [UInt32] = [0x20, 0x41, 0x61, 0x3002, 0xFF0C, 0x4E2D, 0x6587, 0x10FFFF, 0xFFFF_FFFF, 0]
        for _ in 0..<2_000 {
            let k = Int.random(in: 1...32, using: &rng)
            let bins = [8, 64, 144, 1024].randomElement(using: &rng) ?? 144
            let length = Int.random(in: 0...300, using: &rng)
            let scalars = (0..<length).map { _ in
                Bool.random(using: &rng) ? (alphabet.randomElement(using: &rng) ?? 0) : UInt32.random(in: 0...0x10FFFF, using: &rng)
            }
            #expect(ContentNearDuplicateRule.binMinima(scalars, size: k, bins: bins, budget: nil) == Self.referenceBinMinima(scalars, size: k, bins: bins),
                    "k \(k), bins \(bins), length \(length)")
        }
    }

    @Test func densificationFromTheProbeTableMatchesTheHashedProbes() {
        var rng = SeededRandom(seed: 16_083)
        for bins in [8, 64, 144, 1024] {
            let probes = ContentNearDuplicateRule.DensificationProbes(bins: bins)
            for b in 0..<bins {
                for attempt in 1...UInt64(ContentNearDuplicateRule.DensificationProbes.depth) {
                    #expect(probes.probe(bin: b, attempt: attempt) == ContentNearDuplicateRule.densificationProbe(bin: b, attempt: attempt, bins: bins))
                }
            }
            // Fewer rounds at 1,024 bins: with one bin filled, the plain form probes thousands of times per bin.
            for _ in 0..<(bins >= 1024 ? 12 : 200) {
                // From one filled bin (long probe sequences, past the table) to all filled.
                let filled = [1, 2, 3, bins / 16, bins / 2, bins - 1, bins].randomElement(using: &rng) ?? 1
                var minima = [UInt64](repeating: .max, count: bins)
                for _ in 0..<filled { minima[Int.random(in: 0..<bins, using: &rng)] = UInt64.random(in: 0..<UInt64.max, using: &rng) }
                #expect(ContentNearDuplicateRule.densified(minima, probes: probes) == ContentNearDuplicateRule.densified(minima), "bins \(bins), filled \(filled)")
                // A table for another width is not used.
                let other = ContentNearDuplicateRule.DensificationProbes(bins: 8)
                #expect(ContentNearDuplicateRule.densified(minima, probes: other) == ContentNearDuplicateRule.densified(minima))
            }
        }
    }

    // MARK: - html-widget

    static let textPieces = ["阅", "读", "更", "多", "閱", "讀", "相", "关", "關", "\u{F901}", "\u{F95A}", "a", "K", "\u{212A}", " ", "\r\n", "\n",
                             "\u{301}", "\u{200D}", "\u{FE0F}", "가", "\u{1100}\u{1161}", "é", "e\u{301}", "\u{3400}", "\u{9FFF}", "\u{A000}", "~", "\u{7F}", ""]

    @Test func textPrefixMatchesStringHasPrefix() {
        var rng = SeededRandom(seed: 16_084)
        let prefixes = ["阅读更多", "閱讀更多", "相关阅读", "相關閱讀", "K", "\u{212A}x", "e\u{301}", "é", "가", "a\u{301}", "\u{F901}"]
        for _ in 0..<40_000 {
            let text = Self.randomString(Self.textPieces, maxPieces: 6, &rng)
            let prefix = Bool.random(using: &rng) ? (prefixes.randomElement(using: &rng) ?? "") : Self.randomString(Self.textPieces, maxPieces: 3, &rng)
            #expect(HTMLWidgetRule.hasTextPrefix(text, prefix) == text.hasPrefix(prefix), "\(Array(text.unicodeScalars)) / \(Array(prefix.unicodeScalars))")
        }
        // Canonically equal first characters are still compared as `Character`s.
        #expect(HTMLWidgetRule.hasTextPrefix("閱\u{F95A}更多", "閱讀更多"))
        #expect(!HTMLWidgetRule.hasTextPrefix("阅读更\u{301}多", "阅读更多"))
    }

    // MARK: - front-matter-field

    @Test func blankValueTestMatchesCharacterSet() {
        var rng = SeededRandom(seed: 16_085)
        let pieces = [" ", "\t", "\n", "\r", "\u{B}", "\u{C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{200B}", "\u{202F}",
                      "\u{205F}", "\u{3000}", "\u{FEFF}", "a", "新", "\u{0}", "\u{7F}", "\u{301}"]
        func plain(_ s: String) -> Bool { s.unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) } }
        for v in UInt32(0)..<0x80 {
            let s = String(UnicodeScalar(UInt8(v)))
            #expect(FrontMatterFieldRule.isBlank(s) == plain(s), "\(v)")
        }
        for _ in 0..<20_000 {
            let s = Self.randomString(pieces, maxPieces: 5, &rng)
            #expect(FrontMatterFieldRule.isBlank(s) == plain(s), "\(Array(s.unicodeScalars))")
        }
    }

    // MARK: - title-boilerplate, title-repeated-affix

    /// `TitleAffix.isColumnName` as it was: `Set<String>` membership for every text.
    static func referenceIsColumnName(_ text: String) -> Bool {
        let t = text.trimmingWhitespaces()
        let words = Set(TitleAffix.sectionWords + TitleAffix.columnWords)
        if words.contains(t) { return true }
        for suffix in TitleAffix.sectionSuffixes where t.hasSuffix(suffix) {
            let stem = String(t.dropLast(suffix.count))
            if stem.isEmpty || words.contains(stem) { return true }
        }
        return false
    }

    @Test func columnNameMatchesTheStringSets() {
        var rng = SeededRandom(seed: 16_086)
        // Every word is plain and short enough to pack: the fast path covers all of them.
        for word in TitleAffix.sectionWords + TitleAffix.columnWords + TitleAffix.sectionSuffixes {
            #expect(TitleAffix.isPlain(word) && word.utf8.count <= 15, "\(word)")
        }
        let pieces = TitleAffix.sectionWords.prefix(20) + TitleAffix.columnWords.prefix(10) + TitleAffix.sectionSuffixes
            + ["\u{FA6A}", "\u{F941}", "\u{F914}", "壇", "道", "版", " ", "\u{3000}", "\t", "\u{301}", "a", "K", "\u{212A}", "新", "網", "：", "·"]
        for _ in 0..<30_000 {
            let text = Self.randomString(Array(pieces), maxPieces: 4, &rng)
            #expect(TitleAffix.isColumnName(text) == Self.referenceIsColumnName(text), "\(Array(text.unicodeScalars))")
        }
        #expect(TitleAffix.isColumnName(" 國際新聞 "))
        #expect(TitleAffix.isColumnName("\u{F941}壇"))
        #expect(!TitleAffix.isColumnName("新浪新聞網"))
    }
}
