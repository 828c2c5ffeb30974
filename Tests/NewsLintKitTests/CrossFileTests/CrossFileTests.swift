import Foundation
import Testing
@testable import NewsLintKit

/// The fixture corpus gives exactly the expected diagnostics (issue 5's "done when").
@Suite struct CrossFileCorpusTests {
    static let rules = "image-link-broken,slug-duplicate,slug-invalid,content-duplicate,content-near-duplicate"

    @Test func fixtureCorpusGivesExactlyTheExpectedDiagnostics() throws {
        let corpus = PackagePaths.fixtures.appendingPathComponent("corpus").path
        let expected = try String(contentsOfFile: PackagePaths.fixtures.appendingPathComponent("corpus-expected.txt").path, encoding: .utf8)
        for jobs in ["1", "3"] {
            let run = CLIRun.run(["--format", "concise", "--select", Self.rules, "--jobs", jobs, "."], cwd: corpus)
            #expect(run.status == 1)
            #expect(run.stderr.isEmpty, "\(run.stderr)")
            let got = run.stdout.split(separator: "\n").filter { !$0.isEmpty }
            let want = expected.split(separator: "\n").filter { !$0.isEmpty }
            #expect(got == want, "missing: \(Set(want).subtracting(got).sorted())\nunexpected: \(Set(got).subtracting(want).sorted())")
        }
    }

    @Test func seedsHaveNoCrossFileFindings() {
        let run = CLIRun.run(["--format", "concise", "--select", Self.rules, "seeds"])
        #expect(run.status == 0, "\(run.stdout)")
    }
}

@Suite struct SlugTests {
    static func doc(_ keys: String, body: String = "正文。\n") -> String { "---\ntitle: 新闻\n\(keys)---\n\(body)" }

    @Test func keysAreResolvedInOrderAndCaseFolded() throws {
        let files = [("a.md", Self.doc("slug: Alpha\nurlname: zzz\n")), ("b.md", Self.doc("urlname: alpha\n")), ("c.md", Self.doc("urlname: zzz\n"))]
        let found = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files).map { "\($0.path):\($0.line) \($0.message)" }
        #expect(found == ["a.md:3 slug 'Alpha' (from slug) is also used by b.md (urlname)", "b.md:3 slug 'alpha' (from urlname) is also used by a.md (slug)"])
        let sensitive = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files, options: ["caseSensitive": JSONNode(.bool(true))])
        #expect(sensitive.isEmpty)
        let urlnameFirst = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files, options: ["keys": JSONNode(.array([JSONNode(.string("urlname"))]))])
        #expect(urlnameFirst.map(\.path) == ["a.md", "c.md"])
    }

    @Test func fileNameFallbacksLikeHugoAndJekyll() throws {
        let files = [("content/post/运动会/index.md", Self.doc("")), ("content/运动会.md", Self.doc("")),
                     ("_posts/2023-05-01-运动会.md", Self.doc("")), ("_posts/2023-05-02-closing.md", Self.doc("slug: 运动会\n"))]
        let hugo = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files, options: ["fileName": JSONNode(.string("hugo"))])
        #expect(hugo.map(\.path) == ["_posts/2023-05-02-closing.md", "content/post/运动会/index.md", "content/运动会.md"])
        #expect(hugo.first?.message.contains("content/post/运动会/index.md (file name)") == true)
        let jekyll = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files, options: ["fileName": JSONNode(.string("jekyll"))])
        #expect(jekyll.map(\.path) == ["_posts/2023-05-01-运动会.md", "_posts/2023-05-02-closing.md", "content/运动会.md"])
        let none = try RuleHarness.diagnostics(rule: "slug-duplicate", files: files)
        #expect(none.isEmpty)
    }

    @Test func invalidSlugs() throws {
        func check(_ value: String) throws -> [String] {
            try RuleHarness.diagnostics(rule: "slug-invalid", text: Self.doc("slug: \(value)\n")).map(\.message)
        }
        #expect(try check("校园新闻-2023").isEmpty)
        #expect(try check("a%20b").isEmpty)
        #expect(try check("a%2").first?.contains("'%'") == true)
        #expect(try check("新闻#1").first?.contains("'#'") == true)
        #expect(try check("\"a\\tb\"").first?.contains("U+0009") == true)
        #expect(try check("新\u{FFFD}闻").first?.contains("U+FFFD") == true)
        #expect(try check("").first == "'slug' is empty")
        #expect(try RuleHarness.diagnostics(rule: "slug-invalid", text: Self.doc("slug:\n  - a\n  - b\n")).map(\.message) == ["'slug' must be a single string"])
    }
}

@Suite struct ContentDuplicateTests {
    static func doc(_ title: String, _ body: String) -> String { "---\ntitle: \(title)\n---\n\(body)" }

    @Test func normalisationIgnoresWhitespaceAndWidthOnly() throws {
        let base = "会议指出，2023年要继续推进教学改革！全体教师参加会议。\n"
        let same = "会议指出， ２０２３年要继续推进教学改革！\n\n全体教师参加会议。　\n"
        let different = "会议指出,2023年要继续推进教学改革!全体教师参加会议.\n" // ASCII full stop for 。 is a different character
        let found = try RuleHarness.diagnostics(rule: "content-duplicate", files: [("a.md", Self.doc("甲", base)), ("b.md", Self.doc("乙", same)), ("c.md", Self.doc("丙", different))])
        #expect(found.map(\.path) == ["a.md", "b.md"])
        #expect(found.first?.message == "body is identical to b.md (group of 2 files)")
    }

    @Test func shortBodiesAreIgnored() throws {
        let found = try RuleHarness.diagnostics(rule: "content-duplicate", files: [("a.md", Self.doc("甲", "待补充。\n")), ("b.md", Self.doc("乙", "待补充。\n"))])
        #expect(found.isEmpty)
    }
}

@Suite struct NearDuplicateTests {
    // Hand-written paragraphs: the same report reposted, and an unrelated report on the same topic.
    static let article = [
        "5月12日上午，外国语学院在逸夫楼第二会议室举行青年教师教学基本功比赛，十二名入职不满五年的青年教师参加比赛。",
        "比赛分为教学设计、课堂教学和教学反思三个环节，每位选手讲授二十分钟，评委从教学内容、教学方法和语言表达等方面现场打分。",
        "经过激烈角逐，英语系张晓雨获得一等奖，日语系刘畅和翻译系王宁获得二等奖，另有五名教师获得三等奖。",
        "学院院长在点评时指出，青年教师是学院发展的未来，希望大家以赛促教、以赛促学，把比赛中的收获运用到日常课堂教学中。",
        "据悉，获得一等奖的教师将代表学院参加学校第十届青年教师教学竞赛。",
    ]
    static let rewritten = "比赛结束后，评委会主任对每位选手的表现进行了逐一点评，并就板书设计和课堂互动提出了具体建议。"
    static let otherSameTopic = [
        "5月18日下午，数学与统计学院青年教师讲课比赛在理科楼报告厅落下帷幕，来自四个系的九名青年教师同台竞技。",
        "参赛教师围绕高等数学、概率论和数值分析等课程的教学内容，展示了精心准备的教学设计和课堂讲授。",
        "评委组由学院教学督导和往届教学竞赛获奖教师组成，从教学组织、板书和学生互动等方面综合评分。",
        "最终，统计系陈思远获得一等奖。学院表示，将继续为青年教师成长搭建平台，提升学院整体教学水平。",
    ]

    static func doc(_ title: String, _ paragraphs: [String]) -> String {
        "---\ntitle: \(title)\n---\n" + paragraphs.joined(separator: "\n\n") + "\n"
    }

    static func pairs(_ a: [String], _ b: [String], options: [String: JSONNode] = [:]) throws -> [Diagnostic] {
        try RuleHarness.diagnostics(rule: "content-near-duplicate", files: [("a.md", Self.doc("原文", a)), ("b.md", Self.doc("转载", b))], options: options)
    }

    @Test func repostWithADifferentHeaderMatches() throws {
        let header = ["首页 > 学院新闻 > 正文", "发布时间：2023-05-13 作者：外国语学院 点击数：356"]
        #expect(try Self.pairs(Self.article, header + Self.article).count == 2)
    }

    @Test func repostWithAChangedParagraphMatches() throws {
        var edited = Self.article
        edited[3] = Self.rewritten
        let found = try Self.pairs(Self.article, edited)
        #expect(found.map(\.path) == ["a.md", "b.md"])
        #expect(found.first?.message.hasPrefix("near-duplicate body: similar to b.md (") == true)
    }

    @Test func sameTopicDifferentArticlesDoNotMatch() throws {
        #expect(try Self.pairs(Self.article, Self.otherSameTopic).isEmpty)
        // Even at a low threshold, same-topic reports stay apart with 5-character shingles.
        #expect(try Self.pairs(Self.article, Self.otherSameTopic, options: ["threshold": JSONNode(.number(0.2))]).isEmpty)
    }

    @Test func identicalBodiesAreContentDuplicateNotNearDuplicate() throws {
        #expect(try Self.pairs(Self.article, Self.article).isEmpty)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(throws: RuleOptionError.self) { try ContentNearDuplicateRule(options: RuleOptions(["bands": JSONNode(.number(7))])) }
        #expect(throws: RuleOptionError.self) { try ContentNearDuplicateRule(options: RuleOptions(["threshold": JSONNode(.number(1.5))])) }
        #expect(throws: RuleOptionError.self) { try ContentNearDuplicateRule(options: RuleOptions(["shingleSize": JSONNode(.number(0))])) }
    }

    /// Per-file facts stay small: measured on encoded facts (what `--facts-out` would store).
    @Test func factsAreSmall() throws {
        let document = Document(path: "a.md", text: Self.doc("原文", Self.article))
        func size<R: CrossFileRule>(_ rule: R) throws -> Int {
            let fact = try #require(rule.collect(document))
            return try JSONEncoder().encode(fact).count
        }
        let near = try size(ContentNearDuplicateRule(options: RuleOptions()))
        let exact = try size(ContentDuplicateRule(options: RuleOptions()))
        let slug = try size(SlugDuplicateRule(options: RuleOptions(["fileName": JSONNode(.string("hugo"))])))
        #expect(near < 2_000, "near-duplicate fact: \(near) bytes as JSON")
        #expect(exact < 100)
        #expect(slug < 100)
        let sig = try #require(ContentNearDuplicateRule(options: RuleOptions()).collect(document)).signature
        #expect(sig.count == 144)
    }
}

@Suite struct CrossFileFactTests {
    /// Facts survive a JSON round trip (shards linted apart can be merged).
    @Test func factsRoundTripThroughTheErasedBox() throws {
        let text = "---\ntitle: 新闻\nslug: 校园-2023\n---\n" + NearDuplicateTests.article.joined(separator: "\n\n") + "\n"
        let document = Document(path: "a.md", text: text)
        var env = LintEnvironment()
        env.images.online = true
        env.urlChecker = RecordingChecker()
        let doc2 = Document(path: "b.md", text: text + "![图](https://example.cn/a.jpg)\n")
        let types: [any CrossFileRule.Type] = [SlugDuplicateRule.self, ContentDuplicateRule.self, ContentNearDuplicateRule.self, ImageLinkOnlineRule.self]
        for type in types {
            let rule = try type.erased(options: RuleOptions())
            let fact = try #require(rule.collectErased(type == ImageLinkOnlineRule.self ? doc2 : document, environment: env), "\(type.id)")
            let data = try rule.encodeFact(fact)
            let back = try rule.decodeFact(data)
            #expect(try rule.encodeFact(back) == data, "\(type.id)")
        }
    }

    /// The online rule hands the checker each unique URL once, sorted, and only in online mode.
    @Test func onlineRuleDedupesAcrossFiles() throws {
        let checker = RecordingChecker()
        var config = Configuration(directory: "/nonexistent-example-root")
        config.rules = [("image-link-broken", RuleSetting(enabled: true))]
        var settings = LintSettings()
        settings.jobs = 2
        settings.filter = RuleFilter(select: ["image-link-broken"])
        settings.environment.images.online = true
        settings.environment.urlChecker = checker
        let files = (0..<6).map { i in
            LintInput.text(path: "f\(i).md", bytes: Array("---\ntitle: 新闻\n---\n![图](https://b.example.cn/\(i % 2).jpg) ![图](https://a.example.cn/x.jpg)\n".utf8))
        }
        let result = try Linter(catalog: .builtin, config: config, settings: settings).lint(files)
        #expect(checker.calls.withLock { $0 } == [["https://a.example.cn/x.jpg", "https://b.example.cn/0.jpg", "https://b.example.cn/1.jpg"]])
        #expect(result.diagnostics.map { "\($0.path):\($0.column)" } == ["f1.md:6", "f3.md:6", "f5.md:6"])

        settings.environment.images.online = false
        _ = try Linter(catalog: .builtin, config: config, settings: settings).lint(files)
        #expect(checker.calls.withLock { $0 }.count == 1, "offline: the checker is never asked")
    }
}

/// A URL checker that records its calls; `…/1.jpg` URLs are "404".
final class RecordingChecker: URLChecker, @unchecked Sendable {
    let calls = Locked<[[String]]>([])
    func check(_ urls: [String]) -> [String: URLCheckResult] {
        calls.withLock { $0.append(urls) }
        return Dictionary(uniqueKeysWithValues: urls.map { ($0, URLCheckResult(ok: !$0.hasSuffix("/1.jpg"), detail: $0.hasSuffix("/1.jpg") ? "HTTP 404" : "HTTP 200")) })
    }
}
