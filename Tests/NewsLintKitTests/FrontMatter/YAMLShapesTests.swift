import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Valid YAML shapes that Jekyll and Hugo sites use in front matter: each must parse without a problem.
@Suite struct YAMLShapesTests {
    private func frontMatter(_ text: String) throws -> FrontMatter {
        try #require(Document(path: "_posts/2024-06-14-shapes.md", text: text).frontMatter)
    }

    /// An alias (`lastmod: *d`) stands for its anchor's value (`date: &d 2024-01-01`): it was read
    /// as the text `*d`, "not a valid date". Lists anchor too; an alias with no anchor above it,
    /// or quoted, stays text; the alias's entry has no value range for a fix to rewrite.
    @Test func aliasesTakeTheirAnchorsValue() throws {
        let text = "---\ntitle: 市政府公布交通安排\ndate: &d 2024-01-01\nlastmod: *d\nupdated: *d # the same day\n"
            + "tags: &t\n  - 交通\n  - 港鐵\nkeywords: *t\nsummary: *later\nauthor: \"*d\"\nlater: &later x\n---\n\n市政府今天公布新的交通安排。\n"
        let fm = try frontMatter(text)
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.entry("lastmod")?.value == .scalar("2024-01-01", .plain))
        #expect(fm.entry("lastmod")?.valueRange == nil)
        #expect(fm.entry("updated")?.value == .scalar("2024-01-01", .plain))
        #expect(fm.entry("keywords")?.value == .list(["交通", "港鐵"]))
        #expect(fm.entry("summary")?.value == .scalar("*later", .plain), "the anchor comes after it")
        #expect(fm.entry("author")?.value == .scalar("*d", .doubleQuoted))
        var settings = LintSettings()
        settings.jobs = 1
        settings.filter = RuleFilter(select: ["front-matter-field", "front-matter-malformed"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
        let d = linter.lint([.text(path: "a.md", bytes: Array(text.utf8))]).diagnostics
        #expect(d.isEmpty, "\(d.map(\.message))")
    }

    /// An anchor on a scalar inside a nested mapping (`meta:\n  created: &c 2024-01-01`) is one a
    /// top-level alias may name: it was not recorded ("'*c' is not a valid date"). The nearest
    /// anchor above wins (a nested one after its mapping's own of the same name); an anchored
    /// nested collection is not parsed, so its alias stays text.
    @Test func aliasesTakeNestedAnchorsValue() throws {
        let text = "---\ntitle: 市政府公布交通安排\ndate: 2024-01-01\nmeta:\n  created: &c 2024-01-02\n  note: &n \"市政府\"\n"
            + "lastmod: *c\nsummary: *n\nsame: &s\n  inner: &s 2024-01-03\nupdated: *s\nother:\n  list: &l\n    - a\nkeywords: *l\n---\n\n市政府今天公布新的交通安排。\n"
        let fm = try frontMatter(text)
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.entry("meta")?.value == .mapping)
        #expect(fm.entry("lastmod")?.value == .scalar("2024-01-02", .plain))
        #expect(fm.entry("summary")?.value == .scalar("市政府", .doubleQuoted))
        #expect(fm.entry("updated")?.value == .scalar("2024-01-03", .plain))
        #expect(fm.entry("keywords")?.value == .scalar("*l", .plain))
        var settings = LintSettings()
        settings.jobs = 1
        settings.filter = RuleFilter(select: ["front-matter-field", "front-matter-malformed"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
        let d = linter.lint([.text(path: "a.md", bytes: Array("---\ntitle: t\nmeta:\n  created: &c 2024-01-01\nlastmod: *c\n---\n\n正文。\n".utf8))]).diagnostics
        #expect(d.isEmpty, "\(d.map(\.message))")
    }

    @Test func uniformlyIndentedMapping() throws {
        let fm = try frontMatter("---\n  layout: post\n  title: 港鐵新綫通車\n  tags:\n    - 交通\n    - 港鐵\n  categories: [新聞]\n---\n正文。\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("title") == "港鐵新綫通車")
        #expect(fm.entry("tags")?.value == .list(["交通", "港鐵"]))
        #expect(fm.entry("title")?.column == 3)
    }

    @Test func indentedMappingStillReportsStrayLines() throws {
        let fm = try frontMatter("---\n  title: 標題\n date: 2024-06-14\n    extra: 1\n---\n")
        #expect(fm.problems.map(\.line) == [3, 4])
    }

    @Test func blockScalarsKeepDelimiterLikeLines() throws {
        let fm = try frontMatter("---\ntitle: 標題\nexcerpt: |\n  第一行\n  ---\n  第三行\nsummary: >-\n  摺疊的\n  摘要\ndate: 2024-06-14\n---\n正文。\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("excerpt") == "第一行\n---\n第三行")
        #expect(fm.string("summary") == "摺疊的 摘要")
        #expect(fm.closeLine == 11)
    }

    @Test func indentedBlockScalar() throws {
        let fm = try frontMatter("---\n  title: 標題\n  excerpt: |\n    一\n    二\n  date: 2024-06-14\n---\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("excerpt") == "一\n二")
        #expect(fm.string("date") == "2024-06-14")
    }

    @Test func quotedStringsWithColonsAndHashes() throws {
        let fm = try frontMatter("---\ntitle: \"李家超：施政報告 #1\"\nsubtitle: 'Q&A: 一問一答'\nurl: https://example.com/a#b\n---\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("title") == "李家超：施政報告 #1")
        #expect(fm.string("subtitle") == "Q&A: 一問一答")
        #expect(fm.string("url") == "https://example.com/a#b")
    }

    @Test func allYAMLEscapes() throws {
        let fm = try frontMatter("---\ntitle: \"雅加達\\L\"\nb: \"a\\_b\\N\\P\\e\\a\\v\\f\\b\\/\\x41\\U0001F600\"\n---\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("title") == "雅加達\u{2028}")
        #expect(fm.string("b") == "a\u{A0}b\u{85}\u{2029}\u{1B}\u{7}\u{B}\u{C}\u{8}/A😀")
    }

    @Test func invalidEscapeStillReported() throws {
        let fm = try frontMatter("---\ntitle: \"a\\qb\"\n---\n")
        #expect(fm.problems.map(\.message) == ["invalid escape '\\q' in double-quoted string"])
        #expect(fm.problems.first?.column == 10)
    }

    @Test func multiLineQuotedScalars() throws {
        let fm = try frontMatter("---\ntitle: \"一個很長的\n  標題\"\ndesc: 'single\n\n  quoted'\njoined: \"ab\\\n  cd\"\ndate: 2024-06-14\n---\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("title") == "一個很長的 標題")
        #expect(fm.string("desc") == "single\nquoted")
        #expect(fm.string("joined") == "abcd")
        #expect(fm.string("date") == "2024-06-14")
    }

    @Test func multiLineFlowCollections() throws {
        let fm = try frontMatter("---\ntags: [新聞,\n  \"社會, 民生\", it's]\nauthor: {name: 陳大文,\n  email: a@b.c}\nlangs: [C#, F#] # comment\n---\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.entry("tags")?.value == .list(["新聞", "社會, 民生", "it's"]))
        #expect(fm.entry("author")?.value == .mapping)
        #expect(fm.entry("langs")?.value == .list(["C#", "F#"]))
    }

    @Test func commentsTagsAndAnchors() throws {
        let fm = try frontMatter("---\n# 文章資料\ntitle: 標題 # 註解\ndate: !!timestamp 2024-06-14 10:00:00 +08:00\nkey: &k value\ntags: # 標籤\n  - 一\n  # 中間的註解\n  - 二\n---\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("title") == "標題")
        #expect(fm.string("date") == "2024-06-14 10:00:00 +08:00")
        #expect(fm.string("key") == "value")
        #expect(fm.entry("tags")?.value == .list(["一", "二"]))
    }

    @Test func unterminatedQuoteDoesNotSwallowTheNextKey() throws {
        let fm = try frontMatter("---\ntitle: \"未閉合\ndate: 2024-06-14\n---\n")
        #expect(fm.problems.map(\.line) == [2])
        #expect(fm.string("date") == "2024-06-14")
    }

    @Test func nestedFlowSequencesIndentationIndicatorsAndFoldedPlainScalars() throws {
        let fm = try frontMatter("---\ngroups: [a, [b, c], {d: e}]\nexcerpt: |2\n    縮排的\n  內容\ntitle: 第一段\n\n  第二段\ndate: 2024-06-14\n---\n")
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.entry("groups")?.value == .list(["a", "[b, c]", "{d: e}"]))
        #expect(fm.string("excerpt") == "  縮排的\n內容")
        #expect(fm.string("title") == "第一段\n第二段")
        #expect(fm.string("date") == "2024-06-14")
    }
}
