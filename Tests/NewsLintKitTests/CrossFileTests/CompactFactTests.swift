import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The packed fact forms keep exactly what the plain ones did: same JSON, same groups, same findings.
@Suite struct CompactFactTests {
    @Test func hexSlugsPackAndReadBack() {
        let digest = "46ea4dddecf0df62a2654007b17a20d4"
        #expect(SlugText(digest) == .hex(0x46ea_4ddd_ecf0_df62, 0xa265_4007_b17a_20d4))
        #expect(SlugText(digest).string == digest)
        #expect(SlugText("034ec524302492bc650647bf38d43c66").string == "034ec524302492bc650647bf38d43c66")
        // Not a lowercase 32-digit digest: kept as written.
        for s in ["46EA4DDDECF0DF62A2654007B17A20D4", "46ea4dddecf0df62a2654007b17a20d", "46ea4dddecf0df62a2654007b17a20d4a", "校园-2023", "", "g6ea4dddecf0df62a2654007b17a20d4"] {
            #expect(SlugText(s) == .text(s))
            #expect(SlugText(s).string == s)
        }
    }

    @Test func slugFactJSONIsUnchanged() throws {
        let rule = try SlugDuplicateRule.erased(options: RuleOptions())
        for slug in ["46ea4dddecf0df62a2654007b17a20d4", "校園-2023"] {
            let data = try rule.encodeFact(SlugDuplicateRule.Fact(slug: slug, key: "urlname", line: 3, column: 10))
            #expect(String(decoding: data, as: UTF8.self) == "{\"column\":10,\"key\":\"urlname\",\"line\":3,\"slug\":\"\(slug)\"}")
            let back = try #require(try rule.decodeFact(data) as? SlugDuplicateRule.Fact)
            #expect(back.slug == slug && back.key == "urlname" && back.line == 3 && back.column == 10)
        }
    }

    /// A digest in capitals is the same slug as the lowercase digest unless case matters.
    @Test func digestSlugsGroupAcrossCase() throws {
        func doc(_ fm: String) -> String { "---\ntitle: 校园新闻\n\(fm)---\n学院召开年度工作会议。\n" }
        let files = [("a.md", doc("slug: 46ea4dddecf0df62a2654007b17a20d4\n")), ("b.md", doc("urlname: 46EA4DDDECF0DF62A2654007B17A20D4\n")),
                     ("c.md", doc("slug: 034ec524302492bc650647bf38d43c66\n"))]
        let found = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files)
        #expect(found.map(\.path) == ["a.md", "b.md"])
        #expect(found.first?.message == "slug '46ea4dddecf0df62a2654007b17a20d4' (from slug) is also used by b.md (urlname)")
        #expect(found.last?.message == "slug '46EA4DDDECF0DF62A2654007B17A20D4' (from urlname) is also used by a.md (slug)")
        let strict = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files, options: ["caseSensitive": JSONNode(.bool(true))])
        #expect(strict.isEmpty)
    }

    @Test func boilerplateFactJSONIsUnchanged() throws {
        let rule = try BoilerplateRepeatedRule.erased(options: RuleOptions())
        let fact = BoilerplateRepeatedRule.Fact(group: "source:新华社", hashes: [.max, 7], lines: [12, 40])
        let data = try rule.encodeFact(fact)
        #expect(String(decoding: data, as: UTF8.self) == "{\"group\":\"source:新华社\",\"hashes\":[18446744073709551615,7],\"lines\":[12,40]}")
        let back = try #require(try rule.decodeFact(data) as? BoilerplateRepeatedRule.Fact)
        #expect(back.hashes == [.max, 7] && back.lines == [12, 40] && back.group == "source:新华社")
        // Hashes and lines must pair up.
        #expect(throws: (any Error).self) { try rule.decodeFact(Data("{\"group\":\"dir:a\",\"hashes\":[1,2],\"lines\":[3]}".utf8)) }
    }

    /// The rough pass counts by the low 32 bits; lines that share them but differ must not add up.
    @Test func sharedLowWordsDoNotMakeALineRepeat() throws {
        let rule = try BoilerplateRepeatedRule(options: RuleOptions())
        let low: UInt64 = 0x1234_5678
        var facts: [FileFact<BoilerplateRepeatedRule.Fact>] = []
        for i in 0..<10 {
            // Line 5 differs in every file but shares its low word; line 9 is the same in files 0-5.
            let hashes: [UInt64] = [UInt64(i + 1) << 32 | low] + (i < 6 ? [0xABCD_0000_0000_0001] : [])
            facts.append(FileFact(path: "s/\(i).md", fact: .init(group: "dir:s", hashes: hashes, lines: i < 6 ? [5, 9] : [5])))
        }
        let repeated = rule.repeatedLines(FactTable(facts))
        #expect(repeated["dir:s"]?.count == 1)
        #expect(repeated["dir:s"]?[0xABCD_0000_0000_0001]?.count == 6)
        var sink = CrossFileSink(rule: BoilerplateRepeatedRule.id, severity: .warning)
        rule.finish(facts, into: &sink)
        #expect(sink.diagnostics.map(\.line) == [9, 9, 9, 9, 9, 9])
        #expect(sink.diagnostics.allSatisfy { $0.message.hasPrefix("line repeated in 6 of 10 files with dir 's'") })
    }

    @Test func chainGroupsKeepIndexOrder() {
        let g = ChainGroups(["b", "a", "b", "c", "b", "a"])
        #expect((0..<6).map { g.size(of: $0) } == [3, 2, 3, 1, 3, 2])
        #expect(Array(g.members(of: 4)) == [0, 2, 4])
        #expect(Array(g.members(of: 1)) == [1, 5])
        #expect(Array(g.members(of: 3)) == [3])
    }
}

extension CompactFactTests {
    @Test func contentDuplicateFactJSONIsUnchanged() throws {
        let rule = try ContentDuplicateRule.erased(options: RuleOptions())
        let data = try rule.encodeFact(ContentDuplicateRule.Fact(hash: .max, length: 321, line: 6))
        #expect(String(decoding: data, as: UTF8.self) == "{\"hash\":18446744073709551615,\"length\":321,\"line\":6}")
        let back = try #require(try rule.decodeFact(data) as? ContentDuplicateRule.Fact)
        #expect(back == ContentDuplicateRule.Fact(hash: .max, length: 321, line: 6) && back.length == 321 && back.line == 6)
        #expect(MemoryLayout<ContentDuplicateRule.Fact>.size == 16)
    }
}

extension CompactFactTests {
    @Test func titleFactJSONIsUnchanged() throws {
        let rule = try TitleRepeatedAffixRule.erased(options: RuleOptions())
        let cases: [(TitleRepeatedAffixRule.Fact, String)] = [
            (.init(line: 2), "{\"line\":2}"),
            (.init(line: 2, suffix: " | 校园网"), "{\"line\":2,\"suffix\":\" | 校园网\"}"),
            (.init(line: 3, prefix: "新華網->", suffix: "_新聞"), "{\"line\":3,\"prefix\":\"新華網->\",\"suffix\":\"_新聞\"}"),
        ]
        for (fact, json) in cases {
            let data = try rule.encodeFact(fact)
            #expect(String(decoding: data, as: UTF8.self) == json)
            let back = try #require(try rule.decodeFact(data) as? TitleRepeatedAffixRule.Fact)
            #expect(back.line == fact.line && back.prefix == fact.prefix && back.suffix == fact.suffix)
        }
        #expect(MemoryLayout<TitleRepeatedAffixRule.Fact>.stride == 16)
        // Titles sharing a site name share one string.
        let raw = try TitleRepeatedAffixRule(options: RuleOptions())
        let a = try #require(raw.collect(Document(path: "a.md", text: "---\ntitle: 学院召开年度工作会议 | 教务动态\n---\n正文。\n")))
        let b = try #require(raw.collect(Document(path: "b.md", text: "---\ntitle: 學院舉行畢業典禮 | 教务动态\n---\n正文。\n")))
        #expect(a.suffix == "| 教务动态" && b.suffix == "| 教务动态")
    }
}
