import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `boilerplate-repeated`'s word count with the line's markup found as the count goes
/// (`RepeatedLineKey.MarkupRanges`) against the count over the whole line's markup found first
/// (`RepeatedLineKey.markup`), which it replaces.
@Suite struct BoilerplateRepeatedLazyMarkupTests {
    static let pieces = ["<", ">", "&", ";", "#", "<p>", "</p>", "<a href=\"x\">", "&amp;", "&#12345;", "&nbsp", "<!-- c -->",
                         "<1", "a", "Z", "0", "7", " ", "\u{3000}", "新聞", "。", "、", "&&", "<<", "abc defgh", "中文中文中文",
                         "http://x.com/<b>", "https://a.b/c)", "www.e.org ", "—", "（", "é", "e\u{301}", "<div id=\"zoomattribute\">"]

    @Test func wordCountsMatchTheWholeLinesMarkup() {
        var rng = SeededRandom(seed: 3303)
        for _ in 0..<30_000 {
            let maxPieces = rng.below(8) == 0 ? 80 : 14
            let b = Array(CPUPart6EquivalenceTests.randomString(Self.pieces, maxPieces: maxPieces, &rng).utf8)
            let lo = Int.random(in: 0...b.count, using: &rng), hi = Int.random(in: lo...b.count, using: &rng)
            let limit = rng.below(4) == 0 ? Int.max : Int.random(in: 0...8, using: &rng)
            let expected = TextScan.residualWords(b, lo..<hi, excluding: RepeatedLineKey.markup(b, lo..<hi), limit: limit)
            var lazy = RepeatedLineKey.MarkupRanges(b, lo..<hi)
            #expect(TextScan.residualWords(b, lo..<hi, excluding: &lazy, limit: limit) == expected, "\(b) \(lo)..<\(hi) limit \(limit)")
        }
    }

    @Test func rangesComeOutAsTheList() {
        var rng = SeededRandom(seed: 3304)
        for _ in 0..<5_000 {
            let b = Array(CPUPart6EquivalenceTests.randomString(Self.pieces, maxPieces: 30, &rng).utf8)
            let list = RepeatedLineKey.markup(b, 0..<b.count)
            // Every offset in order: the range holding it, as the list's search finds it.
            var lazy = RepeatedLineKey.MarkupRanges(b, 0..<b.count)
            for i in 0..<b.count {
                #expect(lazy.range(containing: i) == list.first(where: { $0.contains(i) }), "\(b) at \(i)")
            }
        }
    }

    /// A block read in place (`soleTextToken`) has `blockText`'s bytes, over random pages of
    /// blocks with and without entities, breaks, tabs, comments, trailing spaces and several texts.
    @Test func soleTextTokenIsTheBlocksText() {
        let pieces = ["<p>", "</p>", "<div>", "</div>", "<h3>", "</h3>", "<li>", "</li>", "<br>", "<b>", "</b>", "<!-- c -->",
                      "&amp;", "&nbsp;", "&#20013;", "\n", "\r\n", "\t", " ", "  ", "新聞", "2024年11月1日", "10:00",
                      "更新於 2024-11-01", "版權所有 © 2024", "abc", "。", "<script>var a = '<p>';</script>", "<time>", "</time>"]
        var rng = SeededRandom(seed: 3306)
        var inPlace = 0, made = 0
        for _ in 0..<3_000 {
            let page = CPUPart6EquivalenceTests.randomString(pieces, maxPieces: 40, &rng)
            let document = Document(path: "p.html", text: page)
            let view = document.html
            var cursor = 0, text: [UInt8] = []
            for block in document.htmlBlockRanges {
                view.blockText(document.bytes, block.range, into: &text)
                if let r = BoilerplateRepeatedRule.soleTextToken(view, document.bytes, block.range, cursor: &cursor) {
                    #expect(Array(document.bytes[r]) == text, "\(page) \(block.range)")
                    #expect(BoilerplateRepeatedRule.isDateOnly(document.bytes, r) == BoilerplateRepeatedRule.isDateOnly(text))
                    inPlace += 1
                } else {
                    made += 1
                }
            }
        }
        // Both kinds of block were met.
        #expect(inPlace > 1_000 && made > 1_000, "\(inPlace) \(made)")
    }

    @Test func tabsAndBreaksAreFoundAnywhere() {
        var rng = SeededRandom(seed: 3307)
        let alphabet: [UInt8] = [0x09, 0x0A, 0x0D, 0x20, 0x41, 0x0B, 0x0C, 0x08, 0xE4, 0x8D]
        for _ in 0..<20_000 {
            let b = (0..<Int.random(in: 0...70, using: &rng)).map { _ in rng.below(12) == 0 ? alphabet[rng.below(3)] : alphabet[3 + rng.below(7)] }
            let lo = Int.random(in: 0...b.count, using: &rng), hi = Int.random(in: lo...b.count, using: &rng)
            let expected = b[lo..<hi].contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            #expect(BoilerplateRepeatedRule.hasTabOrBreak(b, lo..<hi) == expected, "\(b) \(lo)..<\(hi)")
        }
    }
}
