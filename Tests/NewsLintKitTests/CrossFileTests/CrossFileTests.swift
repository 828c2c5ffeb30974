import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

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
        #expect(try Self.pairs(Self.article, header + Self.article).count == 1)
    }

    @Test func repostWithAChangedParagraphMatches() throws {
        var edited = Self.article
        edited[3] = Self.rewritten
        let found = try Self.pairs(Self.article, edited)
        #expect(found.map(\.path) == ["a.md"])
        #expect(found.first?.message.hasPrefix("canonical member of a near-duplicate cluster of 2 files") == true)
        #expect(found.first?.message.contains("the others: b.md (") == true)
    }

    /// A desk's successive revisions of one story (same link host, same day, later timestamps):
    /// the finding sits on the latest, which supersedes the others (keeping the earliest kept the
    /// superseded version: RTHK's water-supply notices 06:42 → 07:24 → 07:54 on agora-pen).
    @Test func sameOutletRevisionsKeepTheLatest() throws {
        func revision(_ time: String, _ host: String, _ paragraphs: [String]) -> String {
            "---\ntitle: 修訂\ndate: 2024-11-04 \(time):00 +08:00\nlink: https://\(host)/story/\(time)\n---\n" + paragraphs.joined(separator: "\n\n") + "\n"
        }
        var second = Self.article, third = Self.article
        second[3] = Self.rewritten
        third[4] = Self.rewritten
        let found = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: [
            ("a.md", revision("06:42", "news.rthk.hk", Self.article)),
            ("b.md", revision("07:24", "NEWS.rthk.hk", second)),
            ("c.md", revision("07:54", "news.rthk.hk", third)),
        ])
        #expect(found.map(\.path) == ["c.md"])
        let message = try #require(found.first?.message)
        #expect(message.hasPrefix("canonical member of a near-duplicate cluster of 3 files (the latest revision: the same outlet filed the others up to a day earlier, and a later revision supersedes earlier ones; keep it); the others: "))
        #expect(message.contains("the others: a.md ("))
    }

    /// Another outlet's copy, or the same outlet's copy with an equal timestamp, keeps the earliest
    /// (the original): a repost is not a revision.
    @Test func repostsAndSyndicationKeepTheEarliest() throws {
        func filed(_ time: String, _ host: String?, _ paragraphs: [String]) -> String {
            "---\ntitle: 稿\ndate: 2024-11-04 \(time):00 +08:00\n" + (host.map { "link: https://www.\($0)/a\n" } ?? "") + "---\n" + paragraphs.joined(separator: "\n\n") + "\n"
        }
        var edited = Self.article
        edited[3] = Self.rewritten
        let otherOutlet = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: [
            ("a.md", filed("06:42", "rthk.hk", Self.article)), ("b.md", filed("09:00", "cna.com.tw", edited)),
        ])
        #expect(otherOutlet.map(\.path) == ["a.md"])
        #expect(otherOutlet.first?.message.contains("(earliest date, then shortest path)") == true)
        let sameTime = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: [
            ("a.md", filed("06:42", "rthk.hk", Self.article)), ("bb.md", filed("06:42", "rthk.hk", edited)),
        ])
        #expect(sameTime.map(\.path) == ["a.md"])
        // Without links the directory stands for the outlet: a repost elsewhere is not a revision.
        let noLinks = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: [
            ("news/a.md", filed("06:42", nil, Self.article)), ("repost/a.md", filed("09:00", nil, edited)),
        ])
        #expect(noLinks.map(\.path) == ["news/a.md"])
        // A link on one file only: not known to be the same outlet.
        let oneLink = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: [
            ("a.md", filed("06:42", nil, Self.article)), ("b.md", filed("09:00", "rthk.hk", edited)),
        ])
        #expect(oneLink.map(\.path) == ["a.md"])
    }

    @Test func outletIsTheLinkHost() {
        func host(_ s: String) -> UInt64? { var s = s; return s.withUTF8 { ContentNearDuplicateRule.hostHash(utf8: $0) } }
        #expect(host("https://www.dw.com/zh/a") == host("http://DW.com:80/b?x"))
        #expect(host("https://news.rthk.hk/x") != host("https://www.dw.com/x"))
        #expect(host("/2023/04/x/") == nil)
        #expect(host("https://") == nil)
        #expect(host("https://www./x") != nil)
    }

    /// The host is found and hashed in one pass: the same hashes as finding its end, then
    /// stripping `www.` and hashing it lowercased (the fact's stored value: older facts stay
    /// comparable), on random links of schemes, `www.` in any case, ports, queries, fragments,
    /// empty and non-ASCII hosts.
    @Test func outletHashIsTheTwoPassHash() {
        func twoPass(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
            var i = 0
            while i < b.count, (b[i] | 0x20) >= UInt8(ascii: "a"), (b[i] | 0x20) <= UInt8(ascii: "z") { i += 1 }
            guard i > 0, i + 3 <= b.count, b[i] == UInt8(ascii: ":"), b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/") else { return nil }
            var start = i + 3, end = start
            while end < b.count, b[end] != UInt8(ascii: "/"), b[end] != UInt8(ascii: "?"), b[end] != UInt8(ascii: "#"), b[end] != UInt8(ascii: ":") { end += 1 }
            func lower(_ c: UInt8) -> UInt8 { c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c }
            if end - start > 4, lower(b[start]) == UInt8(ascii: "w"), lower(b[start + 1]) == UInt8(ascii: "w"),
               lower(b[start + 2]) == UInt8(ascii: "w"), b[start + 3] == UInt8(ascii: ".") { start += 4 }
            guard start < end else { return nil }
            var h = StableHash.fnvBasis
            for k in start..<end { h = (h ^ UInt64(lower(b[k]))) &* StableHash.fnvPrime }
            return h
        }
        let pieces = ["https", "HTTP", "h", "", ":", "//", "/", "www.", "WwW.", "ww", "w", ".", "dw", "RTHK", "hk", "新聞", "?q", "#f",
                      ":80", "@", "[", "`", "{", "Z", "-", "0"]
        var rng = SeededRandom(seed: 49_04)
        var hosts = 0
        for round in 0..<20_000 {
            var s = (0..<rng.below(9)).map { _ in rng.pick(pieces) }.joined()
            if rng.chance(0.5) { s = rng.pick(["https://", "http://", "HTTPS://"]) + s }
            let (got, want) = s.withUTF8 { (ContentNearDuplicateRule.hostHash(utf8: $0), twoPass($0)) }
            #expect(got == want, "\(round) \(s)")
            if want != nil { hosts += 1 }
        }
        #expect(hosts > 5_000, "\(hosts)")
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

/// Issue 12: what a web archive changes between two captures of one article does not make
/// their bodies differ; different articles still differ.
@Suite struct ArchiveAwareDuplicateTests {
    static let paragraphs = [
        "民政事務總署表示，三號強風信號生效期間，各區臨時庇護中心會繼續開放，有需要的市民可致電熱線查詢。",
        "署方呼籲市民留意天文台的最新消息，並採取適當的防風措施，避免前往海旁及低窪地區。",
    ]

    static func capture(_ link: String, second: String = paragraphs[1], extra: String = "") -> Document {
        Document(path: "x.md", text: "---\ntitle: 新聞\nlink: \(link)\n---\n\n\(paragraphs[0])\n\n\(link)\n\n\(second)\(extra)\n")
    }

    static func hash(_ d: Document) -> UInt64 { normalizedBodyHash(d).hash }

    @Test func archiveTimestampVariantsHashEqual() {
        let original = "https://news.example.hk/a/1779842.htm"
        let base = Self.hash(Self.capture("[原文](https://web.archive.org/web/20241119031508/\(original))"))
        let variants = [
            "[原文](https://web.archive.org/web/20250101000000/\(original))",          // another capture
            "[原文](http://web.archive.org/web/2024im_/http://news.example.hk/a/1779842.htm)", // flags, http, short stamp
            "[原文](//web.archive.org/web/20241119031508/http:/news.example.hk/a/1779842.htm)", // collapsed slashes
            "[原文](/web/20241120000000/\(original))",                                   // relative archive link
            "<a href=\"/web/20241120000000/\(original)\">原文</a>",                     // HTML link
            "[原文](\(original))",                                                       // unwrapped
            "原文",                                                                        // link flattened to its text
        ]
        for v in variants { #expect(Self.hash(Self.capture(v)) == base, "\(v)") }
        // A bare URL keeps its original: the archive prefix and scheme go, the address stays.
        let bare = Self.hash(Self.capture("原文：https://web.archive.org/web/20241119031508/\(original)"))
        #expect(bare == Self.hash(Self.capture("原文：https://web.archive.org/web/20250101000000id_/http://news.example.hk/a/1779842.htm")))
        #expect(bare == Self.hash(Self.capture("原文：archive.ph/o/AbC12/\(original)".replacingOccurrences(of: "archive.ph", with: "https://archive.ph"))))
        #expect(bare != Self.hash(Self.capture("原文：https://web.archive.org/web/20241119031508/https://news.example.hk/a/1779843.htm")))
    }

    @Test func halfWidthFormsAndWhitespaceFold() {
        let full = Self.capture("原文", second: "署方表示「一國兩制」下，市民、遊客均須留意。大阪・關西")
        let half = Self.capture("原文", second: "署方表示｢一國兩制｣下，市民､遊客均須留意｡ 大阪･關西")
        #expect(Self.hash(full) == Self.hash(half))
    }

    @Test func differentArticlesDoNotHashEqual() {
        let a = Self.capture("[原文](https://web.archive.org/web/20241119031508/https://news.example.hk/a/1.htm)")
        let b = Self.capture("[原文](https://web.archive.org/web/20241119031508/https://news.example.hk/a/1.htm)",
                             second: "署方呼籲市民留意天文台的最新消息，並採取適當的防風措施，避免前往海旁地區。")
        #expect(Self.hash(a) != Self.hash(b))
        // Text that only looks like markup stays: `a<b` and a `]` without a destination are text.
        let lt = Document(path: "x.md", text: "---\ntitle: t\n---\n比較 a<b 與 [注] 兩者。\n")
        #expect(BodyNormalizer.scalars(lt).count == "比較a<b與注兩者。".unicodeScalars.count)
    }

    @Test func duplicateCapturesAreOneGroup() throws {
        func doc(_ stamp: String) -> String {
            "---\ntitle: 重複新聞\nlink: https://web.archive.org/web/\(stamp)/https://news.example.hk/a/dup.htm\n---\n\n"
                + Self.paragraphs.joined(separator: "\n\n[原文](https://web.archive.org/web/\(stamp)/https://news.example.hk/a/dup.htm)\n\n") + "\n"
        }
        let found = try RuleHarness.diagnostics(rule: "content-duplicate", files: [("a.md", doc("20210301101010")), ("b.md", doc("20230102030405"))])
        #expect(found.map(\.path) == ["a.md", "b.md"])
    }
}

@Suite struct NearDuplicateClusterTests {
    static func doc(_ date: String?, _ paragraphs: [String]) -> String {
        "---\ntitle: 新聞\n" + (date.map { "date: \($0)\n" } ?? "") + "---\n" + paragraphs.joined(separator: "\n\n") + "\n"
    }

    static func variant(_ k: Int) -> [String] {
        var p = NearDuplicateTests.article
        p[k % p.count] = NearDuplicateTests.rewritten
        return p
    }

    @Test func oneFindingPerClusterOnTheCanonicalMember() throws {
        let files = [("zz/later.md", Self.doc("2023-05-13 18:00:00 +08:00", Self.variant(1))),
                     ("b.md", Self.doc("2023-05-13 09:30:00 +08:00", NearDuplicateTests.article)),
                     ("long/name/first.md", Self.doc("2023-05-13 09:30:00 +08:00", Self.variant(3))),
                     ("other.md", Self.doc("2023-05-13", NearDuplicateTests.otherSameTopic))]
        let found = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files)
        // Earliest date wins; of two at the same time, the shorter path.
        #expect(found.map(\.path) == ["b.md"])
        let message = try #require(found.first?.message)
        #expect(message.contains("cluster of 3 files"))
        #expect(message.contains("long/name/first.md (") && message.contains("zz/later.md ("))
        #expect(!message.contains("other.md"))
    }

    @Test func exactCopiesJoinTheClusterAndUndatedFilesComeLast() throws {
        let files = [("a.md", Self.doc(nil, NearDuplicateTests.article)),
                     ("b.md", Self.doc("2023-05-13", NearDuplicateTests.article)),
                     ("c.md", Self.doc("2023-05-13", Self.variant(2)))]
        let found = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files)
        #expect(found.map(\.path) == ["b.md"])
        #expect(found.first?.message.contains("cluster of 3 files") == true)
        #expect(found.first?.message.contains("a.md (100%)") == true)
    }

    @Test func templateReportsOnOtherDaysAreNotNearDuplicates() throws {
        let files = [("a.md", Self.doc("2023-05-12 23:00", NearDuplicateTests.article)), ("b.md", Self.doc("2023-05-13 01:00", Self.variant(2)))]
        #expect(try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files).isEmpty)
        let anyGap = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files, options: ["maxDateGapDays": JSONNode(.number(-1))])
        // Two hours apart in one directory (no links): the same outlet's later revision is kept.
        #expect(anyGap.map(\.path) == ["b.md"])
        let oneDay = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files, options: ["maxDateGapDays": JSONNode(.number(1))])
        #expect(oneDay.count == 1)
        #expect(throws: RuleOptionError.self) { try ContentNearDuplicateRule(options: RuleOptions(["maxDateGapDays": JSONNode(.number(-2))])) }
    }

    /// Short columns by one author share a long bio: without the guard they chain into one cluster.
    @Test func sharedBoilerplateDoesNotHoldAClusterTogether() throws {
        let bio = "作者簡介：陳大文，資深財經評論員，曾任多家報章專欄作家及電台節目主持，著有《香港經濟四十年》《樓市的真相》等書，現為本報逢周三專欄作者。本文只代表作者個人意見，不代表本報立場。"
        let columns = [
            "上周港股反覆向上，成交明顯增加，但升勢能否持續仍要看美國減息步伐。",
            "樓價連跌多月，不少業主減價求售，首置買家應量力而為，切忌過度借貸。",
            "強積金新一年回報理想，打工仔宜檢視基金組合，避免過度集中單一市場。",
            "本地零售業持續疲弱，北上消費成為新常態，商戶需要尋找新的經營模式。",
            "人民幣匯價近期波動加劇，進出口商應做好對沖安排，減低匯兌風險。",
            "虛擬資產交易平台發牌制度實施一年，投資者仍須留意平台是否持牌。",
            "本港失業率維持低位，但飲食及零售業職位空缺減少，轉職需要新技能。",
            "政府發行綠色債券反應熱烈，散戶認購宜留意息率及持有年期的安排。",
        ]
        let files = columns.enumerated().map { ("c\($0.offset).md", Self.doc("2023-05-13", [$0.element, bio])) }
        let off = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files, options: ["boilerplateFiles": JSONNode(.number(0))])
        #expect(off.count == 1, "without the guard the bio chains the columns")
        let guarded = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files, options: ["boilerplateFiles": JSONNode(.number(2))])
        #expect(guarded.isEmpty)
    }

    /// At the default limit: 40 columns whose own text differs share a bio and a footer twice as long
    /// than it; only the one real repost among them is reported.
    @Test func sharedBioAtTheDefaultLimitLeavesOnlyTheRealRepost() throws {
        let han = Array("市政府召開新聞發布會介紹今年經濟運行情況記者從教育局獲悉全市中小學將於九月一日開學氣象台發布暴雨藍色預警提醒市民注意出行安全該項目總投資約十二億元預計明年底建成投用")
        var state: UInt64 = 7
        func column() -> String {
            (0..<4).map { _ in
                String((0..<12).map { _ in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return han[Int((state >> 33) % UInt64(han.count))]
                })
            }.joined(separator: "，") + "。"
        }
        let bio = "作者簡介：陳大文，資深財經評論員，曾任多家報章專欄作家及電台節目主持，著有《香港經濟四十年》《樓市的真相》等書，現為本報逢周三專欄作者。"
        let footer = "本文只代表作者個人意見，不代表本報立場。如欲轉載本文，請聯絡本報編輯部取得書面同意，違者必究。歡迎讀者來函交流意見。"
        var files: [(String, String)] = []
        for i in 0..<40 {
            let own = column()
            files.append(("c\(i).md", Self.doc("2023-05-13", [own, bio, footer])))
            if i == 7 { files.append(("repost.md", Self.doc("2023-05-13", [String(own.dropLast(14)) + "以上。", bio, footer]))) }
        }
        let found = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files)
        #expect(found.map(\.path) == ["c7.md"])
        #expect(found.first?.message.contains("cluster of 2 files") == true)
        let unguarded = try RuleHarness.diagnostics(rule: "content-near-duplicate", files: files, options: ["boilerplateFiles": JSONNode(.number(0))])
        #expect(unguarded.contains { $0.message.contains("cluster of 2 files") == false }, "without the guard the bio chains columns")
    }

    @Test func dateValuesParse() {
        #expect(CalendarDate.leading("1970-01-02".utf8)?.minutesSinceEpoch == 1440)
        #expect(CalendarDate.leading("2024-11-19 11:15:08.000000000 +08:00".utf8)?.minutesSinceEpoch == CalendarDate.leading("2024-11-19T11:15".utf8)?.minutesSinceEpoch)
        #expect(CalendarDate.leading("2024-11-19T11:15".utf8).map { $0.minutesSinceEpoch % 1440 } == Int64(11 * 60 + 15))
        #expect(CalendarDate.leading("2024-02-30".utf8)?.minutesSinceEpoch == nil)
        #expect(CalendarDate.leading("19 Nov 2024".utf8)?.minutesSinceEpoch == nil)
        let named = Document(path: "_posts/2024-11-19-title.md", text: "---\ntitle: t\n---\n正文\n")
        #expect(ContentNearDuplicateRule.date(of: named) == CalendarDate.leading("2024-11-19".utf8)?.minutesSinceEpoch)
        #expect(ContentNearDuplicateRule.date(of: Document(path: "notes/title.md", text: "正文\n")) == nil)
    }
}

/// Shards linted apart and merged give the single run's duplicate findings (archive captures and clusters).
@Suite struct ArchiveDuplicateShardTests {
    @Test func fourShardsPlusMergeEqualOneRun() throws {
        let dir = TemporaryDirectory()
        for k in 0..<12 {
            let stamp = "2021030\(k % 9 + 1)101010"
            let body = ArchiveAwareDuplicateTests.paragraphs[0] + "第\(k / 2)號。"
            dir.write("cap/\(k).md", "---\ntitle: t\(k)\ndate: 2021-03-01\n---\n\(body)\n\n[原文](https://web.archive.org/web/\(stamp)/https://news.example.hk/\(k / 2).htm)\n")
            dir.write("near/\(k).md", NearDuplicateClusterTests.doc("2023-05-1\(k % 3)", NearDuplicateClusterTests.variant(k)))
        }
        let base = ["--no-config", "--no-cache", "--format", "concise", "--select", "content-duplicate,content-near-duplicate", "cap", "near"]
        let reference = CLIRun.run(base, cwd: dir.path)
        #expect(reference.status == 0) // warnings only
        #expect(reference.stdout.contains("[content-duplicate]") && reference.stdout.contains("[content-near-duplicate]"))
        var union: [Substring] = []
        for k in 1...4 {
            union += CLIRun.run(base + ["--shard", "\(k)/4", "--facts-out", "f\(k).jsonl"], cwd: dir.path).stdout.split(separator: "\n")
        }
        let merge = CLIRun.run(["merge", "f1.jsonl", "f2.jsonl", "f3.jsonl", "f4.jsonl", "--no-config", "--format", "concise",
                                "--select", "content-duplicate,content-near-duplicate"], cwd: dir.path)
        #expect(merge.status == 0, "\(merge.stderr)")
        union += merge.stdout.split(separator: "\n")
        #expect(union.sorted() == reference.stdout.split(separator: "\n").sorted())
    }

    /// Session 47: an unsharded facts file named twice was merged with itself (each path's owner
    /// was the file's name) and every file was reported as a duplicate of itself, exit 0.
    @Test func oneFactsFileNamedTwiceIsRefused() throws {
        let dir = TemporaryDirectory()
        for i in 1...3 {
            dir.write("c/a\(i).md", "---\ntitle: 文\(i)\ndate: 2024-11-0\(i)\n---\n\n这是第\(i)篇文章的正文，内容各不相同，讲的是第\(i)件事情，并且足够长，可以通过检查。\n")
        }
        let collect = CLIRun.run(["--no-config", "--no-cache", "--facts-out", "f.jsonl", "-q", "c"], cwd: dir.path)
        #expect(collect.status == 0, "\(collect.stderr)")
        for pair in [["f.jsonl", "f.jsonl"], ["f.jsonl", "./f.jsonl"], ["f.jsonl", dir.path + "/f.jsonl"]] {
            let merge = CLIRun.run(["merge", "--no-config", "--format", "concise"] + pair, cwd: dir.path)
            #expect(merge.status == 2 && merge.stdout.isEmpty, "\(pair): \(merge.stdout)")
            #expect(merge.stderr.hasPrefix("error: \(pair[1]): 'c/a1.md' was also linted by f.jsonl; shards overlap"), "\(pair): \(merge.stderr)")
        }
        #expect(CLIRun.run(["merge", "--no-config", "--format", "concise", "f.jsonl"], cwd: dir.path).status == 0)
    }

    /// Session 47: merge took no gating options and exited 1 exactly when it reported an error,
    /// so shards plus merge got another exit status than one run (`--fail-on warning` over
    /// duplicate bodies: one run 1, merge 0 and "unknown option"; a baseline of duplicate errors:
    /// one run 0, merge reported them and exited 1).
    @Test func mergeGatesItsFindingsAsOneRunDoes() throws {
        let dir = TemporaryDirectory()
        for i in 1...2 {
            dir.write("d/b\(i).md", "---\ntitle: 重\(i)\ndate: 2024-11-0\(i)\n---\n\n这是一篇被转载两次的文章的正文，内容完全相同，讲的是同一件事情，并且足够长。\n")
        }
        func shardsAndMerge(_ config: [String], _ gate: [String]) -> (one: CLIRun, merged: CLIRun) {
            let lint = config + ["--no-cache", "--format", "concise"] + gate
            for k in 1...2 {
                let shard = CLIRun.run(lint + ["--shard", "\(k)/2", "--facts-out", "f\(k).jsonl", "d"], cwd: dir.path)
                #expect(shard.status == 0, "\(gate): \(shard.stdout) \(shard.stderr)")
            }
            return (CLIRun.run(lint + ["d"], cwd: dir.path),
                    CLIRun.run(["merge", "--format", "concise"] + config + gate + ["f1.jsonl", "f2.jsonl"], cwd: dir.path))
        }
        // Two content-duplicate warnings.
        for gate in [[], ["--fail-on", "warning"], ["--fail-on", "warning", "--exit-zero"], ["--max-warnings", "1"], ["--max-warnings", "2"]] {
            let (one, merged) = shardsAndMerge(["--no-config"], gate)
            #expect(one.status == merged.status && merged.stderr.isEmpty == one.stderr.isEmpty, "\(gate): \(merged.stderr)")
        }
        #expect(shardsAndMerge(["--no-config"], ["--fail-on", "warning"]).merged.status == 1)
        // Duplicates as errors, recorded in a baseline by one run: hidden by the merge as by one run.
        dir.write(".lint.json", "{\"rules\": {\"content-duplicate\": \"error\"}}\n")
        #expect(shardsAndMerge([], []).merged.status == 1)
        #expect(CLIRun.run(["--no-cache", "--write-baseline", "b.json", "d"], cwd: dir.path).status == 0)
        let (one, merged) = shardsAndMerge([], ["--baseline", "b.json"])
        #expect(one.status == 0 && merged.status == 0, "\(merged.stdout)")
        #expect(!merged.stdout.contains("[content-duplicate]") && merged.stderr.contains("2 known cross-file problems hidden, 0 new"), "\(merged.stderr)")
        let missing = CLIRun.run(["merge", "--baseline", "nope.json", "f1.jsonl", "f2.jsonl"], cwd: dir.path)
        #expect(missing.status == 2 && missing.stderr.contains("baseline file 'nope.json' does not exist"), "\(missing.stderr)")
    }

    /// Session 48: `--max-warnings N` counted each step's own warnings, so shards of 6 and 6
    /// per-file warnings and a merge of 8 cross-file ones all passed `--max-warnings 15` where one
    /// run (20 warnings) failed. The facts now carry each shard's counts and the merge gates the
    /// sum; a shard still gates its own (over N alone means the whole is over N), so a pipeline
    /// that fails when any step fails gets one run's status for every N.
    @Test func mergeGatesTheWholeRunsWarnings() throws {
        let dir = TemporaryDirectory()
        for i in 1...6 {
            dir.write("d/a\(i).md", "---\ntitle: 文\(i)\ndate: 2024-11-0\(i)\n---\n\n这是第\(i)篇文章的正文，内容各不相同，讲的是第\(i)件事情，并且足够长，可以通过检查。  \n\n第二段也有尾随空格。 \n")
        }
        for i in 1...2 {
            dir.write("d/b\(i).md", "---\ntitle: 重\(i)\ndate: 2024-11-0\(i)\n---\n\n这是一篇被转载两次的文章的正文，内容完全相同，讲的是同一件事情，并且足够长。\n")
        }
        let lint = ["--no-config", "--no-cache", "--format", "concise", "d"]
        let one = CLIRun.run(lint, cwd: dir.path)
        #expect(one.stdout.split(separator: "\n").filter { $0.contains(": warning") }.count == 20, "\(one.stdout)")
        var sawSplit = false
        for limit in [0, 5, 8, 11, 12, 15, 19, 20, 30] {
            let gate = ["--max-warnings", "\(limit)"]
            var failed = false
            for k in 1...2 {
                let shard = CLIRun.run(lint + gate + ["--shard", "\(k)/2", "--facts-out", "f\(k).jsonl"], cwd: dir.path)
                #expect(shard.status == 0 || shard.status == 1, "\(shard.stderr)")
                failed = failed || shard.status != 0
            }
            let merged = CLIRun.run(["merge", "--no-config", "--format", "concise"] + gate + ["f1.jsonl", "f2.jsonl"], cwd: dir.path)
            #expect(merged.status == 0 || merged.status == 1, "\(merged.stderr)")
            // The merge alone gates the whole run's warnings.
            #expect(merged.status == (limit < 20 ? 1 : 0), "--max-warnings \(limit): \(merged.stderr)")
            if !failed && merged.status == 1 {
                sawSplit = true
                #expect(merged.stderr.contains("error: 20 warnings (12 in the shards) exceed --max-warnings \(limit)"), "\(merged.stderr)")
            }
            let run = CLIRun.run(lint + gate, cwd: dir.path)
            #expect((failed || merged.status != 0) == (run.status != 0), "--max-warnings \(limit)")
        }
        #expect(sawSplit, "no limit passed every shard but not the whole run")
    }

    /// Session 48: a shard compared the whole baseline, so every shard called the other shards'
    /// entries and the cross-file rules' entries (which only merge reports) "gone": on a corpus
    /// where one run said 4 were gone, the two shards said 14 and 17. Now each step compares its
    /// share and the notes of the shards and the merge add up to one run's.
    @Test func shardsAndMergeCountABaselineAsOneRunDoes() throws {
        let dir = TemporaryDirectory()
        for i in 1...6 {
            dir.write("d/a\(i).md", "---\ntitle: 文\(i)\ndate: 2024-11-0\(i)\n---\n\n这是第\(i)篇文章的正文，内容各不相同，讲的是第\(i)件事情，并且足够长，可以通过检查。  \n\n第二段也有尾随空格。 \n")
        }
        for i in 1...2 {
            dir.write("d/b\(i).md", "---\ntitle: 重\(i)\ndate: 2024-11-0\(i)\n---\n\n这是一篇被转载两次的文章的正文，内容完全相同，讲的是同一件事情，并且足够长。\n")
        }
        let lint = ["--no-config", "--no-cache", "--format", "concise"]
        #expect(CLIRun.run(lint + ["--write-baseline", "b.json", "d"], cwd: dir.path).status == 0)
        // Gone: a removed file's per-file and cross-file entries, a fixed line, a duplicate pair; one new finding.
        try FileManager.default.removeItem(atPath: dir.path + "/d/a3.md")
        try FileManager.default.removeItem(atPath: dir.path + "/d/b2.md")
        dir.write("d/a1.md", "---\ntitle: 文1\ndate: 2024-11-01\n---\n\n这是第1篇文章的正文，内容各不相同，讲的是第1件事情，并且足够长，可以通过检查。  \n\n第二段也有尾随空格。\n")
        dir.write("d/c.md", "---\ntitle: 新\ndate: 2024-11-09\n---\n\n新的一篇文章，末尾有空格。 \n")

        /// (hidden, new, gone) of a `--baseline` note.
        func counts(_ stderr: String) -> [Int] {
            guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("baseline: ") }) else { return [] }
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return line.contains("gone") ? Array(numbers.prefix(3)) : Array(numbers.prefix(2)) + [0]
        }
        let one = CLIRun.run(lint + ["--baseline", "b.json", "d"], cwd: dir.path)
        let whole = counts(one.stderr)
        #expect(whole.count == 3 && whole[1] == 1 && whole[2] >= 6, "\(one.stderr)")
        var sum = [0, 0, 0]
        for k in 1...2 {
            let shard = CLIRun.run(lint + ["--baseline", "b.json", "--shard", "\(k)/2", "--facts-out", "f\(k).jsonl", "d"], cwd: dir.path)
            let part = counts(shard.stderr)
            #expect(part.count == 3, "\(shard.stderr)")
            if part.count == 3 { sum = zip(sum, part).map { $0 + $1 } }
        }
        let merged = CLIRun.run(["merge", "--no-config", "--format", "concise", "--baseline", "b.json", "f1.jsonl", "f2.jsonl"], cwd: dir.path)
        let part = counts(merged.stderr)
        #expect(part.count == 3 && part[2] > 0, "\(merged.stderr)")
        if part.count == 3 { sum = zip(sum, part).map { $0 + $1 } }
        #expect(sum == whole, "one run \(whole), shards plus merge \(sum)")
    }
}
