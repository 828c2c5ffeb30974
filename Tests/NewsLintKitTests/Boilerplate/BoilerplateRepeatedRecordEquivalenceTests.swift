import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `boilerplate-repeated`'s own fact record writer and the word count before markup, against the
/// forms they stand in for: the record the engine wrote of `collect`'s fact (`appendTaggedRecord`),
/// the group as `FactRecordWriter.string` of `site`, and `residualWords` with the whole markup
/// list (`BoilerplateRepeatedCollectEquivalenceTests.markup`, a loop over every byte).
@Suite struct BoilerplateRepeatedRecordEquivalenceTests {
    typealias Reference = BoilerplateRepeatedCollectEquivalenceTests

    /// The bytes the rule's `collectRecord` appends for `document`.
    static func recordWritten(_ document: Document) -> [UInt8] {
        var writer = FactRecordWriter()
        var quoted: Int?
        var unrecorded: [(rule: Int, fact: any Sendable)] = []
        Reference.rule.collectRecord(document, environment: .default, index: 0, into: &writer, quotedLine: &quoted, unrecorded: &unrecorded)
        #expect(quoted == nil && unrecorded.isEmpty)
        return writer.bytes
    }

    /// The tagged record of `collect`'s fact, as the engine's generic `collectRecord` wrote it.
    static func recordOfFact(_ document: Document) -> [UInt8] {
        var writer = FactRecordWriter()
        if let fact = Reference.rule.collect(document, environment: .default) {
            #expect(BoilerplateRepeatedRule.appendTaggedRecord(fact, to: &writer))
        }
        return writer.bytes
    }

    /// Markdown and HTML documents with every kind of group (a key's value, an ASCII host in any
    /// case, behind `www.` or an archive prefix, a non-ASCII host, no key): the record written
    /// directly equals the record of the fact, and the simple form's.
    @Test func collectRecordMatchesTheFactsRecord() {
        var rng = SeededRandom(seed: 37_0101)
        var groups = Set<String>()
        for round in 0..<600 {
            var repeated: [[UInt8]] = []
            for _ in 0..<rng.below(4) { repeated.append(Reference.line(&rng, repeated: [])) }
            let document = Reference.document(&rng, html: round % 2 == 1, repeated: repeated)
            let written = Self.recordWritten(document)
            #expect(written == Self.recordOfFact(document), "\(String(decoding: document.bytes, as: UTF8.self))")
            #expect(written == [FactRecordFormat.recordV1] + Reference.referenceRecord(document))
            groups.insert(RepeatedLineKey.site(document.frontMatter, keys: RepeatedLineKey.defaultGroupFrontMatterKeys))
        }
        // Every group form was written: key values, ASCII and non-ASCII hosts, the corpus.
        #expect(groups.isSuperset(of: ["source:新華社", "categories:rthk", "host:chinese.aljazeera.net", "host:news.example.hk",
                                       "host:rfa.org", "host:例子.公司", "host:x.y", "corpus"]))
    }

    /// Files with more distinct units than are searched among the fact's own
    /// (`BoilerplateRepeatedRule.unitsSearched`), whose early lines come back after it: each is kept
    /// once, at its first line, as the simple form keeps them.
    @Test func manyUnitsKeepFirstOccurrences() {
        var rng = SeededRandom(seed: 37_0103)
        let limit = BoilerplateRepeatedRule.unitsSearched
        for round in 0..<200 {
            let html = round % 2 == 1
            let distinct = (0..<(limit + 1 + rng.below(2 * limit))).map { "這是第 \($0) 條新聞的內容，記者在現場報道。" }
            var lines = distinct
            for _ in 0..<(1 + rng.below(limit)) { lines.insert(rng.pick(distinct), at: limit + rng.below(lines.count - limit + 1)) }
            let body = lines.map { html ? "<p>\($0)</p>" : $0 }.joined(separator: "\n\n")
            let document = Document(path: html ? "a.html" : "a.md", bytes: Array("---\ntitle: t\n---\n\(body)\n".utf8))
            #expect(Self.recordWritten(document) == [FactRecordFormat.recordV1] + Reference.referenceRecord(document))
            #expect(Reference.rule.collect(document)?.count == distinct.count)
        }
    }

    /// Each group written from its parts is `FactRecordWriter.string` of `site`: URL values of
    /// every kind, under each key, quoted (read as strings) and plain (read in place as bytes),
    /// and values long enough for a two-byte length.
    @Test func writtenSiteIsTheSiteString() {
        let long = String(repeating: "Ab", count: 70)
        let values = ["https://chinese.aljazeera.net/news/2024/11/27/%e6%8b%9c", "https://web.archive.org/web/20210301000000/https://News.Example.HK/a/1",
                      "www.rfa.org/x", "WWW.RFA.ORG", "https://例子.公司/x", "  https://WWW.X.Y:80/z ", "https://", "://x", "http://www./", "新華社", "a://b",
                      "https://web.archive.org/web/2021id_/http://www.A.b/", "https://x.y?q=1", "https://ÄB.de/", "https://WWW.ÄB.de/",
                      "https://\(long).example/", long, "\(long)新聞", "www.", "https://x.y/a b"]
        var keyed = 0
        for value in values {
            for key in ["link", "source", "categories", "title"] {
                for quoted in [true, false] {
                    let text = "---\n\(key): \(quoted ? "\"\(value)\"" : value)\n---\n正文。\n"
                    let fm = Document(path: "x.md", bytes: Array(text.utf8)).frontMatter
                    let site = Reference.site(fm, keys: RepeatedLineKey.defaultGroupKeys)
                    var expected = FactRecordWriter(), written = FactRecordWriter()
                    expected.string(site)
                    RepeatedLineKey.writeSite(fm, keys: RepeatedLineKey.defaultGroupFrontMatterKeys, to: &written)
                    #expect(written.bytes == expected.bytes, "\(key): \(value) quoted \(quoted)")
                    #expect(RepeatedLineKey.site(fm, keys: RepeatedLineKey.defaultGroupFrontMatterKeys) == site, "\(key): \(value) quoted \(quoted)")
                    if site.hasPrefix(key + ":") { keyed += 1 }
                }
            }
        }
        #expect(keyed > 20)
    }

    /// The count before markup, when it answers, is the count with the markup list: lines with
    /// tags and entities where the count stops, inside a URL the count skips (a tag it opens
    /// reaching past the URL's end) and after a CJK lead whose next bytes are ill-formed.
    @Test func wordsBeforeMarkupMatchTheMarkupCount() {
        let pieces = ["<p>", "</p>", "<b c>", "<a href=\"x\">", "&amp;", "&#1234;", "&x", "<", "&", ";", ">", "中文字", "新聞", "abc ", "x", " ",
                      "http://a.b/", "https://x.y/p?q=1&amp;r", "http://a<b c>d", "www.a<i x>", "www.", "、", "。", "１２", "é", "😀", "\u{3000}",
                      "2024", "(", ")", "]"].map { Array($0.utf8) }
            + [[0xE4], [0xE4, 0x3C], [0xE4, 0x80, 0x26], [0xE9, 0x3C, 0x62, 0x20], [0xFF], [0xC2], [0xED, 0xA0, 0x80], [0xF0, 0x9F]]
        var rng = SeededRandom(seed: 37_0102)
        var answered = 0, declined = 0
        for _ in 0..<30_000 {
            var b: [UInt8] = []
            for _ in 0..<rng.below(10) { b += rng.pick(pieces) }
            let lo = rng.below(b.count + 1)
            let range = lo..<(lo + rng.below(b.count - lo + 1))
            let limit = 1 + rng.below(8)
            let expected = TextScan.residualWords(b, range, excluding: Reference.markup(b, range), limit: limit)
            if let count = TextScan.residualWordsBeforeMarkup(b, range, limit: limit) {
                answered += 1
                #expect(count == expected, "\(b) \(range) \(limit)")
            } else {
                declined += 1
                // Declined only when a `<` or `&` is in the range.
                #expect(b[range].contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }, "\(b) \(range)")
            }
        }
        #expect(answered > 15_000 && declined > 5_000, "\(answered) \(declined)")
    }

    /// A one-line page of blocks, each sharing its line, so every unit the record keeps has a column:
    /// the pairs fill the storage `collectRecord` sets aside for them (a pair a unit) and are written
    /// as the fact's record writes them.
    @Test func everyUnitWithAColumnIsWrittenAsTheFactsRecord() {
        var rng = SeededRandom(seed: 41_0101)
        var columnsSeen = 0
        for round in 0..<120 {
            let distinct = (0..<(1 + rng.below(40))).map { "這是第 \($0) 條新聞的內容，記者在現場報道。" }
            var blocks = distinct
            for _ in 0..<rng.below(6) { blocks.insert(rng.pick(distinct), at: rng.below(blocks.count + 1)) }
            let tags = ["p", "li", "h3", "div"]
            let line = blocks.map { text -> String in let tag = rng.pick(tags); return "<\(tag)>\(text)</\(tag)>" }.joined()
            let document = Document(path: "a\(round).html", bytes: Array("---\ntitle: t\n---\n\(line)\n".utf8))
            #expect(Self.recordWritten(document) == Self.recordOfFact(document), "round \(round)")
            columnsSeen += Reference.rule.collect(document, environment: .default)?.blockColumns.count ?? 0
        }
        #expect(columnsSeen > 1_000)
    }
}
