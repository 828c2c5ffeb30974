import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `boilerplate-repeated`'s `collect` against the same collect spelled simply: each line or block
/// text made and keyed byte by byte, the sentence test by the walk back, markup found by a byte
/// loop into a list, the site from a copy of the value's bytes, distinct hashes by a `Set`. The
/// fast paths (markup looked for a window at a time, the sentence test from the last bytes, the
/// scalar count a word at a time, the site read in place) must give the same fact record bytes.
@Suite struct BoilerplateRepeatedCollectEquivalenceTests {
    // MARK: References

    /// `TextScan.endsSentence` as the walk back over the last characters, decoding each (the form it
    /// had before its fast answers, kept as `endsSentenceByWalk`).
    static func endsSentence(_ b: [UInt8], _ range: Range<Int>) -> Bool { TextScan.endsSentenceByWalk(b, range) }

    /// Tags and entities of `b[range]`, found by a loop over every byte.
    static func markup(_ b: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "<"), i + 1 < end,
               case let n = b[i + 1], (n | 0x20 >= 0x61 && n | 0x20 <= 0x7A) || n == UInt8(ascii: "/") || n == UInt8(ascii: "!") {
                var j = i + 1
                while j < end, b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "<") { j += 1 }
                if j < end, b[j] == UInt8(ascii: ">") { out.append(i..<(j + 1)); i = j + 1; continue }
            } else if c == UInt8(ascii: "&") {
                var j = i + 1
                while j < end, j - i <= 10, (b[j] | 0x20 >= 0x61 && b[j] | 0x20 <= 0x7A) || (b[j] >= 0x30 && b[j] <= 0x39) || b[j] == UInt8(ascii: "#") { j += 1 }
                if j < end, j > i + 1, b[j] == UInt8(ascii: ";") { out.append(i..<(j + 1)); i = j + 1; continue }
            }
            i += 1
        }
        return out
    }

    /// The key `RepeatedLineKey.normalise` makes, byte by byte, with the sentence test above.
    static func key(_ b: [UInt8], _ range: Range<Int>) -> [UInt8] {
        RepeatedLineKeyEquivalenceTests.reference(b, range, endsSentence: endsSentence)
    }

    /// `qualifyingRange` with the whole markup list and a full scalar count (the trimming and the
    /// headings are the rule's own `trimmedUnlessHeading`: what is compared is the counting).
    static func qualifying(_ b: [UInt8], _ r: Range<Int>, minLength: Int = 8, minWords: Int = 4) -> Range<Int>? {
        guard let trimmed = BoilerplateRepeatedRule.trimmedUnlessHeading(b, r) else { return nil }
        let lo = trimmed.lowerBound, hi = trimmed.upperBound
        guard hi > lo, TextScan.scalarCount(b, lo..<hi) >= minLength else { return nil }
        var words = TextScan.residualWords(b, lo..<hi, excluding: markup(b, lo..<hi), limit: minWords)
        if words == minWords - 1, b[lo..<hi].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { words += 1 }
        guard words >= minWords else { return nil }
        return lo..<hi
    }

    /// The host of a URL from a copy of its bytes and plain searches.
    static func host(_ url: String) -> String? {
        let b = Array(url.utf8)
        let start = RepeatedLineKey.archiveInner(b) ?? 0
        var i = start
        let sep = Array("://".utf8)
        if b.count - start >= sep.count, let s = (start...(b.count - sep.count)).first(where: { b[$0..<($0 + 3)].elementsEqual(sep) }) { i = s + 3 }
        var end = i
        while end < b.count, !"/?#:".utf8.contains(b[end]) { end += 1 }
        guard end > i else { return nil }
        var host = String(decoding: b[i..<end], as: UTF8.self).lowercased()
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return host.isEmpty ? nil : host
    }

    /// `RepeatedLineKey.site` by string operations.
    static func site(_ frontMatter: FrontMatter?, keys: [String]) -> String {
        guard let frontMatter else { return "corpus" }
        for key in keys {
            guard let entry = frontMatter.entries.first(where: { $0.key == key }) else { continue }
            let value: String?
            switch entry.value {
            case let .scalar(s, _): value = s
            case let .list(items): value = items.first
            default: value = nil
            }
            guard let raw = value?.trimmingWhitespaces(), !raw.isEmpty else { continue }
            if raw.contains("://") || raw.hasPrefix("www.") {
                if let h = host(raw) { return "host:" + h }
                continue
            }
            return key + ":" + raw
        }
        return "corpus"
    }

    /// The fact `collect` should make, as its record bytes.
    static func referenceRecord(_ document: Document) -> [UInt8] {
        let group = site(document.frontMatter, keys: RepeatedLineKey.defaultGroupKeys)
        var hashes: [UInt64] = [], lines: [Int] = [], columns: [Int: Int] = [:]
        var seen = Set<UInt64>()
        func line(of offset: Int) -> Int { document.lineStarts.lastIndex(where: { $0 <= offset }).map { $0 + 1 } ?? 1 }
        if let body = document.bodyLines {
            if document.isHTMLFile {
                let blocks = document.htmlBlockRanges
                let starts = blocks.map { line(of: $0.range.lowerBound) }
                let ends = blocks.map { line(of: max($0.range.lowerBound, $0.range.upperBound - 1)) }
                for (j, block) in blocks.enumerated() where !block.heading {
                    var text: [UInt8] = []
                    document.html.blockText(document.bytes, block.range, into: &text)
                    guard !BoilerplateRepeatedRule.isDateOnly(text), let r = qualifying(text, 0..<text.count) else { continue }
                    let h = KeyHash.of(key(text, r))
                    guard seen.insert(h).inserted else { continue }
                    let n = starts[j]
                    if (j > 0 && ends[j - 1] == n) || (j + 1 < blocks.count && starts[j + 1] == n) {
                        columns[hashes.count] = document.scalarCount(document.lineStarts[n - 1]..<block.range.lowerBound) + 1
                    }
                    hashes.append(h)
                    lines.append(n)
                }
            } else {
                for n in body where !document.isCode(line: n) {
                    guard let r = qualifying(document.bytes, document.contentRange(ofLine: n)) else { continue }
                    let h = KeyHash.of(key(document.bytes, r))
                    guard seen.insert(h).inserted else { continue }
                    hashes.append(h)
                    lines.append(n)
                }
            }
        }
        var writer = FactRecordWriter()
        BoilerplateRepeatedRule.Fact(group: group, hashes: hashes, lines: lines, columns: columns).write(to: &writer)
        return writer.bytes
    }

    // MARK: Random documents

    static let rule: BoilerplateRepeatedRule = {
        guard let rule = try? BoilerplateRepeatedRule(options: RuleOptions()) else { preconditionFailure("default options") }
        return rule
    }()

    static let textPieces: [String] = [
        "本網站內容由新聞部編輯及維護", "更新於 2024-11-01 10:00", "美国总统乔·拜登表示，以色列和黎巴嫩接受了一项提议。", "警方正調查事件",
        "停火将于当地时间周三凌晨 4 点（格林威治标准时间 02:00）开始", "订阅我们的新闻通讯", "第 980 天", "「引述」", "……", "！", "？", "。",
        "The weather today is fine.", "Read more at https://www.rfa.org/cantonese/news/1.html?x=1", "http://a.b/web/20200101000000/https://c.d/e",
        "/web/20230101000000/http://x.y/", " ", "\t", "\u{3000}", "\u{A0}", "１２３", "ｆｏｏ", "、", "&amp;", "&#12345;", "& not;", "&nbsp",
        "<span>", "</span>", "<b>粗體</b>", "<a href=\"https://x.y/1\">連結</a>", "< 5", "a<b", "<!-- c -->", "'", "\"", ")", "]", "”", "’", "」", "』",
        "）", "】", "》", "］", "…", "．", "；", "｡", "## 本周重点", "# 站名", "<h3>俄乌战争：第 980 天关键事件概述</h3>", "<h2 class=\"x\">標題</h2>",
        "國際新聞報道今日" + String(repeating: "中文內容", count: 12), String(repeating: "長", count: 30) + "<i>尾</i>" + String(repeating: "字", count: 5),
        String(repeating: "ab ", count: 30) + "<em>x</em> cd",
    ]
    static let badBytes: [[UInt8]] = [[0xFF], [0xE4], [0xE4, 0x3C], [0xE0, 0x80, 0xA0], [0xED, 0xA0, 0x80], [0xC2], [0x80, 0x82], [0xE3, 0x80]]

    static func line(_ rng: inout SeededRandom, repeated: [[UInt8]]) -> [UInt8] {
        if !repeated.isEmpty, rng.chance(0.3) { return rng.pick(repeated) }
        var out: [UInt8] = []
        for _ in 0..<(1 + rng.below(7)) {
            out += rng.chance(0.05) ? rng.pick(badBytes) : Array(rng.pick(textPieces).utf8)
        }
        return out
    }

    static func document(_ rng: inout SeededRandom, html: Bool, repeated: [[UInt8]]) -> Document {
        let newline: [UInt8] = rng.chance(0.3) ? [0x0D, 0x0A] : [0x0A]
        let links = ["link: https://chinese.aljazeera.net/news/2024/11/27/%e6%8b%9c", "url: https://web.archive.org/web/20210301000000/https://News.Example.HK/a/1",
                     "source: 新華社", "link: www.rfa.org/x", "categories: rthk", "link: https://例子.公司/x", "link:    https://WWW.X.Y:80/z", "title: only"]
        var bytes = Array("---".utf8) + newline + Array("title: t".utf8) + newline + Array(rng.pick(links).utf8) + newline + Array("---".utf8) + newline
        for _ in 0..<rng.below(14) {
            var l = line(&rng, repeated: repeated)
            if html {
                switch rng.below(5) {
                case 0: l = Array("<p>".utf8) + l + Array("</p>".utf8)
                case 1: l = Array("<div><p>".utf8) + l + Array("</p><p>".utf8) + line(&rng, repeated: repeated) + Array("</p></div>".utf8)
                case 2: l = Array("<li>".utf8) + l + Array("</li><li>".utf8) + line(&rng, repeated: repeated) + Array("</li>".utf8)
                case 3: l = Array("<h3>".utf8) + l + Array("</h3>".utf8)
                default: break
                }
            }
            bytes += l + newline
            if rng.chance(0.3) { bytes += newline }
        }
        if rng.chance(0.5), !bytes.isEmpty { bytes.removeLast() }
        return Document(path: html ? "a.html" : "a.md", bytes: bytes)
    }

    static func recordBytes(_ fact: BoilerplateRepeatedRule.Fact?) -> [UInt8] {
        guard let fact else { return [] }
        var writer = FactRecordWriter()
        fact.write(to: &writer)
        return writer.bytes
    }

    // MARK: Tests

    /// Markdown and HTML bodies with lines repeated within the file, CJK and ASCII, CRLF and
    /// ill-formed bytes: the fact's record bytes equal the reference's.
    @Test func collectMatchesTheSimpleForm() {
        var rng = SeededRandom(seed: 36_0412)
        var units = 0
        for round in 0..<1_500 {
            var repeated: [[UInt8]] = []
            for _ in 0..<rng.below(4) { repeated.append(Self.line(&rng, repeated: [])) }
            let document = Self.document(&rng, html: round % 2 == 1, repeated: repeated)
            let made = Self.recordBytes(Self.rule.collect(document))
            let expected = Self.referenceRecord(document)
            units += max(0, expected.count - 30) / 12
            #expect(made == expected, "\(String(decoding: document.bytes, as: UTF8.self))")
        }
        // Enough qualifying units for the comparison to mean something.
        #expect(units > 2_000)
    }

    /// The sentence test from the last bytes against the walk: every character either set holds,
    /// CJK, ASCII and ill-formed tails (an overlong `E0 80 A0` is not a space), cut anywhere.
    @Test func endsSentenceMatchesTheWalk() {
        let pieces = ["。", "、", "〃", "〈", "，", "中", "鿿", "䀀", "ぁ", "！", "？", "…", "．", "；", "｡", "」", "』", "）", "】", "》", "］", "”", "’", "\u{3000}", "\u{A0}",
                      " ", "\t", "\"", "'", ")", "]", "!", "?", ".", ";", "a", "1", ">", "é", "😀"].map { Array($0.utf8) } + Self.badBytes + [[0xE4, 0x80], [0xE9, 0xBF, 0xBF]]
        var rng = SeededRandom(seed: 36_0413)
        for _ in 0..<20_000 {
            var b: [UInt8] = []
            for _ in 0..<rng.below(6) { b += rng.pick(pieces) }
            let hi = rng.below(b.count + 1)
            let lo = rng.below(hi + 1)
            for range in [0..<b.count, lo..<hi, 0..<hi] {
                #expect(TextScan.endsSentence(b, range) == Self.endsSentence(b, range), "\(b) \(range)")
            }
        }
    }

    /// Markup found a window at a time, asked at increasing offsets with gaps (as the word count
    /// asks), on lines whose tags and entities lie far past the window: the range holding each
    /// offset is the reference list's.
    @Test func markupRangesMatchTheList() {
        let pieces = ["<p>", "</p>", "<a href=\"x\">", "&amp;", "&#1234;", "&x", "<", "<<b>", "a<b", "&", ";", ">", "中文字", "abc ", "&abcdefghijkl;",
                      String(repeating: "長", count: 25), String(repeating: "x", count: 70)].map { Array($0.utf8) }
        var rng = SeededRandom(seed: 36_0414)
        var hits = 0
        for _ in 0..<4_000 {
            var b: [UInt8] = []
            for _ in 0..<rng.below(12) { b += rng.pick(pieces) }
            let lo = rng.below(b.count + 1)
            let range = lo..<(lo + rng.below(b.count - lo + 1))
            let list = Self.markup(b, range)
            #expect(RepeatedLineKey.markup(b, range) == list)
            var ranges = RepeatedLineKey.MarkupRanges(b, range)
            var offset = range.lowerBound
            while offset < range.upperBound {
                let expected = list.first { $0.contains(offset) }
                if expected != nil { hits += 1 }
                #expect(ranges.range(containing: offset) == expected, "\(b) \(range) \(offset)")
                offset += 1 + (rng.chance(0.2) ? rng.below(90) : 0)
            }
        }
        #expect(hits > 1_000)
    }

    /// A block's tab or line break found sixteen bytes a step: each of the three alone among bytes
    /// above 0x0D (nothing else for the vector pre-test to stop at), in a whole step, in the last
    /// bytes read again, and in ranges shorter than a step.
    @Test func tabOrBreakAloneIsFound() {
        let others: [UInt8] = [0x20, 0x41, 0xE4, 0x8D, 0x0E, 0xFF, 0x7F]
        var rng = SeededRandom(seed: 36_0415)
        var found = 0
        for _ in 0..<20_000 {
            var b = (0..<rng.below(71)).map { _ in rng.pick(others) }
            if !b.isEmpty, rng.chance(0.5) { b[rng.below(b.count)] = rng.pick([0x09, 0x0A, 0x0D]) }
            let lo = rng.below(b.count + 1)
            let hi = lo + rng.below(b.count - lo + 1)
            let expected = b[lo..<hi].contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            if expected { found += 1 }
            #expect(BoilerplateRepeatedRule.hasTabOrBreak(b, lo..<hi) == expected, "\(b) \(lo)..<\(hi)")
        }
        #expect(found > 2_000)
    }

    /// The same in blocks long enough for steps of sixty-four bytes (`hasTabOrBreak` joins four
    /// compares' masks): the one tab or break at every offset of ranges of every length up to
    /// three steps and a tail, and none at all.
    @Test func tabOrBreakInLongBlocksIsFound() {
        let others: [UInt8] = [0x20, 0x41, 0xE4, 0x8D, 0x0E, 0xFF, 0x7F, 0x0B]
        var rng = SeededRandom(seed: 52_0316)
        for length in 60...210 {
            let b = (0..<(length + 3)).map { _ in rng.pick(others) }
            let lo = rng.below(4), hi = lo + length
            #expect(!BoilerplateRepeatedRule.hasTabOrBreak(b, lo..<hi), "\(length)")
            for offset in lo..<hi {
                var c = b
                c[offset] = rng.pick([0x09, 0x0A, 0x0D])
                #expect(BoilerplateRepeatedRule.hasTabOrBreak(c, lo..<hi), "\(length) \(offset)")
                // Outside the range: not found.
                if offset == lo { #expect(!BoilerplateRepeatedRule.hasTabOrBreak(c, (lo + 1)..<hi)) }
                if offset == hi - 1 { #expect(!BoilerplateRepeatedRule.hasTabOrBreak(c, lo..<(hi - 1))) }
            }
        }
    }

    /// `site` read in place against string operations, on URL values of every kind.
    @Test func siteMatchesTheStringForm() {
        let values = ["https://chinese.aljazeera.net/news/2024/11/27/%e6%8b%9c", "https://web.archive.org/web/20210301000000/https://News.Example.HK/a/1",
                      "www.rfa.org/x", "WWW.RFA.ORG", "https://例子.公司/x", "  https://WWW.X.Y:80/z ", "https://", "://x", "http://www./", "新華社", "a://b",
                      "https://web.archive.org/web/2021id_/http://www.A.b/", "https://x.y?q=1", "https://x.y#f", "ftp://Host.Example/z", "https://ÄB.de/"]
        for value in values {
            for key in ["link", "source", "categories"] {
                let text = "---\n\(key): \"\(value)\"\n---\n正文。\n"
                let fm = Document(path: "x.md", bytes: Array(text.utf8)).frontMatter
                #expect(RepeatedLineKey.site(fm, keys: RepeatedLineKey.defaultGroupKeys) == Self.site(fm, keys: RepeatedLineKey.defaultGroupKeys), "\(key): \(value)")
            }
            #expect(RepeatedLineKey.host(of: value) == Self.host(value), "\(value)")
        }
    }
}
