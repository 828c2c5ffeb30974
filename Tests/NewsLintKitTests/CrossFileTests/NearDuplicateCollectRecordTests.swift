import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `content-near-duplicate` writes its fact's record itself (`collectRecord`, session 40: the
/// signature densified into a temporary buffer, not an array per file), against the record the
/// engine's generic `collectRecord` wrote of `collect`'s fact (`appendTaggedRecord`): the same bytes
/// and the same quoted line, for Markdown and HTML bodies of every length around `minLength`, with
/// and without a date, at several signature lengths and shingle sizes, and nothing when the
/// budget is spent.
@Suite struct NearDuplicateCollectRecordTests {
    static let pieces = ["新华社北京电", "记者", "今天", "，", "。", "中国", "經濟", "發展", " ", "\n", "\n\n", "[链接](https://web.archive.org/web/20200101000000/https://a.cn/x)",
                         "<b>", "</b>", "https://example.com/p?q=1", "ａｂｃ", "１２３", "abc", "2024", "\u{3000}", "\u{A0}", "「", "」", "…", "&nbsp;", "&#20013;"]

    static func document(_ rng: inout SeededRandom, html: Bool) -> Document {
        var body = ""
        for _ in 0..<rng.below(rng.below(4) == 0 ? 12 : 400) { body += pieces[rng.below(pieces.count)] }
        let date = rng.below(3) == 0 ? "" : "date: 2024-0\(1 + rng.below(9))-1\(rng.below(10)) 08:00\n"
        if html {
            return Document(path: "a.html", text: "---\ntitle: t\n\(date)---\n<html><body><p>\(body)</p></body></html>\n")
        }
        return Document(path: rng.below(2) == 0 ? "2024-03-05-a.md" : "a.md", text: "---\ntitle: t\n\(date)---\n\(body)\n")
    }

    static func written(_ rule: ContentNearDuplicateRule, _ document: Document, _ environment: LintEnvironment) -> (bytes: [UInt8], quoted: Int?) {
        var writer = FactRecordWriter()
        var quoted: Int?
        var unrecorded: [(rule: Int, fact: any Sendable)] = []
        rule.collectRecord(document, environment: environment, index: 0, into: &writer, quotedLine: &quoted, unrecorded: &unrecorded)
        #expect(unrecorded.isEmpty)
        return (writer.bytes, quoted)
    }

    static func ofFact(_ rule: ContentNearDuplicateRule, _ document: Document, _ environment: LintEnvironment) -> (bytes: [UInt8], quoted: Int?) {
        var writer = FactRecordWriter()
        guard let fact = rule.collect(document, environment: environment) else { return ([], nil) }
        #expect(ContentNearDuplicateRule.appendTaggedRecord(fact, to: &writer))
        return (writer.bytes, ContentNearDuplicateRule.quotedLine(of: fact))
    }

    @Test(arguments: [(144, 5, 20), (64, 3, 3), (200, 8, 8), (1024, 1, 1)])
    func recordWrittenIsTheFactsRecord(permutations: Int, shingleSize: Int, minLength: Int) throws {
        let rule = try ContentNearDuplicateRule(options: RuleOptions(["permutations": JSONNode(.number(Double(permutations))),
                                                                      "bands": JSONNode(.number(Double(permutations / 8))),
                                                                      "shingleSize": JSONNode(.number(Double(shingleSize))),
                                                                      "minLength": JSONNode(.number(Double(minLength)))]))
        var rng = SeededRandom(seed: UInt64(40_000 + permutations))
        var recorded = 0, skipped = 0
        for round in 0..<500 {
            let document = Self.document(&rng, html: round % 2 == 1)
            let direct = Self.written(rule, document, .default)
            let generic = Self.ofFact(rule, Document(path: document.path, bytes: document.bytes), .default)
            #expect(direct.bytes == generic.bytes && direct.quoted == generic.quoted, "\(String(decoding: document.bytes, as: UTF8.self))")
            if direct.bytes.isEmpty { skipped += 1 } else { recorded += 1 }
        }
        // Both sides of `minLength`.
        #expect(recorded > 100 && skipped > 10, "\(recorded) recorded, \(skipped) skipped")
    }

    @Test func spentBudgetWritesNothing() throws {
        let rule = try ContentNearDuplicateRule(options: RuleOptions())
        var rng = SeededRandom(seed: 40_100)
        var environment = LintEnvironment.default
        for round in 0..<40 {
            let document = Self.document(&rng, html: round % 2 == 1)
            environment.collectBudget = CollectBudget(seconds: 0)
            let spent = Self.written(rule, document, environment)
            #expect(spent.bytes.isEmpty && spent.quoted == nil)
            environment.collectBudget = CollectBudget(seconds: 3600)
            #expect(Self.written(rule, document, environment).bytes == Self.ofFact(rule, document, .default).bytes)
        }
    }
}
