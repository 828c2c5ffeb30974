import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `boilerplate-repeated` counts per site over the whole corpus, on normalised lines (issue 12).
@Suite struct BoilerplateRepeatedSiteTests {
    static let rule = "boilerplate-repeated"

    static func article(_ i: Int, link: String = "https://news.example.hk/a/\(100 + 0)", extra: [String]) -> String {
        "---\ntitle: 第\(i)則新聞\ndate: 2024-11-0\(i % 9 + 1)\nlink: \(link)\n---\n本台報道，第\(i)宗事件今日在區內發生，警方正調查事件。\n\n" + extra.joined(separator: "\n\n") + "\n"
    }

    @Test func siteKeys() {
        func fm(_ yaml: String) -> FrontMatter? { Document(path: "x.md", bytes: Array("---\n\(yaml)\n---\n正文。\n".utf8)).frontMatter }
        let keys = RepeatedLineKey.defaultGroupKeys
        #expect(RepeatedLineKey.site(fm("source: 新華社\nlink: https://x.cn/1"), keys: keys) == "source:新華社")
        #expect(RepeatedLineKey.site(fm("link: https://www.rfa.org/cantonese/news/1.html\ncategories: rfa"), keys: keys) == "host:rfa.org")
        #expect(RepeatedLineKey.site(fm("url: https://web.archive.org/web/20210301000000/https://news.example.hk/a/1"), keys: keys) == "host:news.example.hk")
        #expect(RepeatedLineKey.site(fm("categories:\n  - rthk\n  - local"), keys: keys) == "categories:rthk")
        #expect(RepeatedLineKey.site(fm("title: t"), keys: keys) == "corpus")
        #expect(RepeatedLineKey.site(nil, keys: keys) == "corpus")
        #expect(RepeatedLineKey.site(fm("outlet: 明報\nlink: https://x.hk/1"), keys: ["outlet"]) == "outlet:明報")
    }

    /// The same footer is found in every folder, counted over the site, and the message says so.
    @Test func countsOverTheSiteNotTheFolder() throws {
        var files: [(path: String, text: String)] = []
        for i in 0..<12 {
            // Folders of 4; the footer is in 2 files of each folder (never 5 in one folder).
            let link = i % 3 == 0 ? "https://web.archive.org/web/2021030\(i % 9)000000/https://news.example.hk/a/\(i)" : "https://news.example.hk/a/\(i)"
            files.append(("d\(i / 4)/\(i).md", Self.article(i, link: link, extra: i % 4 < 2 ? ["本網站內容由新聞部編輯及維護"] : [])))
        }
        // Another site with the same footer in 1 of 6 files: below its own thresholds.
        for i in 0..<6 {
            files.append(("other/\(i).md", Self.article(i, link: "https://other.example.tw/\(i)", extra: i == 0 ? ["本網站內容由新聞部編輯及維護"] : [])))
        }
        let found = try RuleHarness.diagnostics(rule: Self.rule, files: files)
        #expect(Set(found.map(\.path)) == ["d0/0.md", "d0/1.md", "d1/4.md", "d1/5.md", "d2/8.md", "d2/9.md"])
        #expect(found.allSatisfy { $0.message.hasPrefix("line repeated in 6 of 12 files of site 'news.example.hk'") })
    }

    /// Residue that differs only by a timestamp, a counter or an archive prefix counts as one line.
    @Test func timestampVaryingLinesCountTogether() throws {
        var files: [(path: String, text: String)] = []
        for i in 0..<8 {
            files.append(("s/\(i).md", Self.article(i, extra: [
                "更新於 2024-11-0\(i + 1) 1\(i):0\(i)",
                "[訂閱電子報](https://web.archive.org/web/2021010\(i)12000\(i)/https://news.example.hk/subscribe)",
                "本文已被瀏覽 \(1000 + 37 * i) 次",
            ])))
        }
        let found = try RuleHarness.diagnostics(rule: Self.rule, files: files)
        #expect(found.count == 24)
        #expect(found.allSatisfy { $0.message.contains("8 of 8") })
        #expect(Set(found.map(\.line)) == [8, 10, 12])
    }

    /// Recurring news sentences stay quiet: figures that change, a standard court sentence in
    /// three reports, a slogan quoted twice, a weather flash filed daily with its temperature.
    @Test func recurringNewsSentencesStayQuiet() throws {
        var files: [(path: String, text: String)] = []
        for i in 0..<10 {
            var extra = ["恒生指數報\(20_000 + 37 * i)點，跌\(40 + i)點，跌幅0.\(i)%。",
                         "天文台預測明日天晴，最高氣溫約\(26 + i % 4)度。"]
            if i < 3 { extra.append("案件押後至下月再訊，被告須還押候訊。") }
            if i < 2 { extra.append("「愛國者治港，行穩致遠」") }
            files.append(("s/\(i).md", Self.article(i, extra: extra)))
        }
        #expect(try RuleHarness.diagnostics(rule: Self.rule, files: files).isEmpty)
    }

    /// HTML bodies: a line of markup only is structure, and so is a section heading of a series;
    /// a caption credit in every post is residue. Length and words are those of the visible text
    /// (a credit as short as `粵語組製圖` is below `minLength`, as it is in Markdown).
    @Test func markupIsNotWords() throws {
        var files: [(path: String, text: String)] = []
        for i in 0..<6 {
            files.append(("h/\(i).html", Self.article(i, extra: ["<div id=\"zoomattribute\" class=\"zoom-image-wrapper\">",
                                                                  "<p>&lt;上午&gt;</p>",
                                                                  "<span class=\"copyright\">粵語組製圖 自由亞洲電台</span>",
                                                                  "<h3>俄乌战争：第 98\(i) 天关键事件概述</h3>"])))
        }
        let found = try RuleHarness.diagnostics(rule: Self.rule, files: files)
        #expect(found.count == 6 && found.allSatisfy { $0.line == 12 })
    }

    /// A scraped page holds its article on one line: each block's text is a unit, so the credit
    /// block repeats while the paragraphs around it on the same line do not.
    @Test func htmlBlocksOnOneLine() throws {
        var files: [(path: String, text: String)] = []
        for i in 0..<6 {
            files.append(("h/\(i).html", Self.article(i, extra: ["<p>第\(i)段新聞正文，內容各不相同。</p><p>點擊查看本文英文版。</p><time>2024年11月\(i + 1)日</time>"])))
        }
        let found = try RuleHarness.diagnostics(rule: Self.rule, files: files)
        #expect(found.count == 6 && found.allSatisfy { $0.line == 8 }, "\(found)")
    }

    @Test func normalisedKeys() {
        func key(_ s: String) -> String {
            var out: [UInt8] = []
            let b = Array(s.utf8)
            RepeatedLineKey.normalise(b, 0..<b.count, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(key("更新於　2024-11-01  10:00") == "更新於 0-0-0 0:0")
        #expect(key("[訂閱](https://web.archive.org/web/20210101120000/https://News.example.hk/sub?ref=3)") == "[訂閱](news.example.hk/sub)")
        #expect(key("[訂閱](/web/20210101120000id_/http://www.news.example.hk/sub)") == "[訂閱](news.example.hk/sub)")
        #expect(key("恒指報20123點，跌45點。") == "恒指報20123點，跌45點。")
        #expect(key("<p>0:0 抵達官邸。</p>") == "<p>0:0 抵達官邸。</p>")
    }

    /// A line the user turned into a pack rule is reported by the pack, not again by this rule.
    @Test func packRuleLinesAreNotReportedTwice() throws {
        let tmp = TemporaryDirectory()
        tmp.write("packs/footer.json", "{\"id\": \"site-footer\", \"message\": \"footer '{match}'\", \"match\": \"line\", \"patterns\": [\"本網站內容由新聞部編輯及維護\"]}")
        var catalog = Catalog.builtin
        try RulePackRegistry.load(path: tmp.path + "/packs", into: &catalog)
        var config = Configuration(directory: "/nonexistent-example-root")
        config.rules = [(Self.rule, RuleSetting(enabled: true, options: [:])), ("site-footer", RuleSetting(enabled: true, options: [:]))]
        var settings = LintSettings()
        settings.jobs = 1
        settings.filter = RuleFilter(select: [Self.rule, "site-footer"])
        let linter = try Linter(catalog: catalog, config: config, settings: settings)
        let files = (0..<6).map { i in LintInput.text(path: "s/\(i).md", bytes: Array(Self.article(i, extra: ["本網站內容由新聞部編輯及維護", "讀者熱線：2345 6789，歡迎提供新聞線索"]).utf8)) }
        let found = linter.lint(files).diagnostics
        #expect(found.filter { $0.rule == "site-footer" }.map(\.line) == Array(repeating: 8, count: 6))
        #expect(found.filter { $0.rule == Self.rule }.map(\.line) == Array(repeating: 10, count: 6))
    }

    /// `learn` writes lines that differ only by numbers as one regex that loads and matches every copy.
    @Test func learnWritesARegexForVaryingLines() throws {
        let tmp = TemporaryDirectory()
        for i in 0..<6 { tmp.write("corpus/\(i).md", Self.article(i, extra: ["更新於 2024-11-0\(i + 1) 1\(i):00"])) }
        let run = CLIRun.run(["learn", "--no-config", "-o", "packs/learned.json", "corpus"], cwd: tmp.path)
        #expect(run.status == 0, "\(run.stderr)")
        let written = String(decoding: tmp.read("packs/learned.json"), as: UTF8.self)
        #expect(written.contains("\"regex\": \"更新於 [0-9０-９]+-[0-9０-９]+-[0-9０-９]+ [0-9０-９]+:[0-9０-９]+\""), "\(written)")
        var catalog = Catalog.builtin
        try RulePackRegistry.load(path: tmp.path + "/packs", into: &catalog)
        let found = try RuleHarness.linter(rule: "learned-boilerplate", catalog: catalog)
            .lint([.text(path: "x.md", bytes: Array(Self.article(9, extra: ["更新於 2025-01-31 23:59"]).utf8))]).diagnostics
        #expect(found.map(\.line) == [8])
    }
}

extension BoilerplateRepeatedSiteTests {
    /// A group's key drops a URL's query, so its copies can differ in letters as well as digits
    /// (`news/acn/…` and `news/aopl/…`): `learn` made one regex of the first copy, which matched
    /// three of the six, and its comment said "in 6 files, 6 variants". Each copy is now matched
    /// by the pattern whose comment counts it.
    @Test func learnedRegexMatchesEveryVariantItCounts() throws {
        let tmp = TemporaryDirectory()
        func share(_ i: Int) -> String {
            "分享至Facebook：[連結](https://www.facebook.com/sharer.php?u=https://www.cna.com.tw/news/\(i < 3 ? "acn" : "aopl")/2024110\(i + 1)0424.aspx)"
        }
        for i in 0..<6 { tmp.write("corpus/\(i).md", Self.article(i, extra: [share(i)])) }
        let run = CLIRun.run(["learn", "--no-config", "-o", "packs/learned.json", "corpus"], cwd: tmp.path)
        #expect(run.status == 0, "\(run.stderr)")
        let written = String(decoding: tmp.read("packs/learned.json"), as: UTF8.self)
        #expect(written.components(separatedBy: "in 3 files, 3 variants").count == 3, "\(written)")
        #expect(!written.contains("in 6 files"), "\(written)")
        var catalog = Catalog.builtin
        try RulePackRegistry.load(path: tmp.path + "/packs", into: &catalog)
        let found = try RuleHarness.linter(rule: "learned-boilerplate", catalog: catalog)
            .lint((0..<6).map { .text(path: "x\($0).md", bytes: Array(Self.article($0, extra: [share($0)]).utf8)) }).diagnostics
        #expect(found.count == 6 && found.allSatisfy { $0.line == 8 })
    }

    /// Texts of one group without a shared digit-free shape stay literals, each with its own count.
    @Test func learnedPatternsCountWhatTheyMatch() {
        let patterns = LearnCommand.learnedPatterns(["更新於 2024-11-01": 2, "更新於 2024-11-02": 1, "更新時間 2024-11-03": 1, "分享": 4])
        #expect(patterns.map(\.files).sorted() == [1, 3, 4])
        #expect(patterns.contains { $0.json.contains("\"regex\"") && $0.json.contains("in 3 files, 2 variants") })
        #expect(patterns.contains { $0.json.contains("\"literal\": \"更新時間 2024-11-03\"") && $0.files == 1 })
        #expect(patterns.contains { $0.json.contains("\"literal\": \"分享\"") && $0.files == 4 })
    }

    /// Deleting a learned line of HTML can unbalance the markup, so such a pack's fix is unsafe.
    @Test func learnedHTMLLinesGetAnUnsafeFix() throws {
        let tmp = TemporaryDirectory()
        for i in 0..<6 { tmp.write("corpus/\(i).html", Self.article(i, extra: ["</div><div>来源<!-- --> : <!-- -->半岛电视台</div>"])) }
        tmp.write(".lint.json", "{\"extensions\": [\".md\", \".html\"]}")
        let run = CLIRun.run(["learn", "corpus"], cwd: tmp.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"fix\": { \"action\": \"delete-line\", \"applicability\": \"unsafe\" }"), "\(run.stdout)")
    }
}
