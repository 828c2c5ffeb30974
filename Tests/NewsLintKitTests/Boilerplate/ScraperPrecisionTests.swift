import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// False-positive shapes and unsafe "safe" fixes found on real text (RTHK posts, Jekyll posts):
/// the fixes of trailing-whitespace, html-remnant, boilerplate and title-boilerplate.
@Suite struct ScraperPrecisionTests {
    static let fm = "---\ntitle: t\ndate: 2024-06-14\n---\n"

    // MARK: trailing-whitespace

    @Test func hardBreaksOfTwoOrMoreSpacesAreKept() throws {
        let poem = Self.fm + "床前明月光，   \n疑是地上霜。    \n舉頭望明月，  \n低頭思故鄉。\n"
        #expect(try RuleHarness.diagnostics(rule: "trailing-whitespace", text: poem).isEmpty)
        // Without the option every run is reported.
        let strict = try RuleHarness.diagnostics(rule: "trailing-whitespace", text: poem, options: ["allowHardBreak": JSONNode(.bool(false))])
        #expect(strict.map(\.line) == [5, 6, 7])
    }

    @Test func spacesThatBreakNothingAreRemoved() throws {
        // End of a paragraph, end of the file, after a heading, in front matter.
        let text = "---\ntitle: t  \ndate: 2024-06-14\n---\n## 標題   \n正文。   \n\n末行。  \n"
        let found = try RuleHarness.diagnostics(rule: "trailing-whitespace", text: text)
        #expect(found.map(\.line) == [2, 5, 6, 8])
    }

    @Test func ideographicGapLinesAreEmptiedAndTitlesTrimmed() throws {
        let text = "---\ntitle: 港股收市微升8點\u{3000}\n---\n\n第一段。\r\n\u{3000}\u{3000} \r\n第二段。\u{3000}\r\n"
        let fixed = try RuleHarness.fixed(rule: "trailing-whitespace", text: text, unsafe: false)
        #expect(fixed == "---\ntitle: 港股收市微升8點\n---\n\n第一段。\r\n\r\n第二段。\r\n")
    }

    // MARK: html-remnant

    static let jekyll = "<center><font color=\"red\">通知</font></center>\n\n今天<br>明天。\n\n"
        + "<iframe src=\"https://www.youtube.com/embed/a?x=1&amp;y=2\"></iframe>\n\n"
        + "<div align=\"center\">\n<p>圖：會場</p>\n</div>\n\n見[此](https://e.com/?a=1&amp;b=2)，a &lt; b。\n"

    @Test func inlineHTMLInMarkdownIsQuiet() throws {
        let found = try RuleHarness.diagnostics(rule: "html-remnant", text: Self.fm + Self.jekyll)
        #expect(found.isEmpty, "\(found.map { "\($0.line) \($0.message)" })")
        // An HTML document is HTML.
        #expect(try RuleHarness.diagnostics(rule: "html-remnant", text: Self.fm + "<p>正文&nbsp;。</p>\n", path: "post.html").isEmpty)
    }

    @Test func plainTextReportsEveryTag() throws {
        let found = try RuleHarness.diagnostics(rule: "html-remnant", text: Self.fm + Self.jekyll, path: "post.txt")
        #expect(found.contains { $0.message.contains("<br>") })
        // URLs are never edited, in plain text either.
        #expect(found.allSatisfy { $0.fix == nil || !$0.message.contains("&amp;") })
    }

    @Test func scraperResidueInMarkdownFires() throws {
        let text = Self.fm + "正文。</p>\n\n<span style=\"font-size:14px\">字</span>\n\n前<span></span>後\n\n&lt;p&gt;轉義&lt;/p&gt;\n"
        let found = try RuleHarness.diagnostics(rule: "html-remnant", text: text)
        #expect(found.map(\.line) == [5, 7, 9, 11, 11])
        #expect(found.first { $0.line == 5 }?.fix?.applicability == .safe)
        #expect(found.filter { $0.line == 11 }.allSatisfy { $0.fix == nil })
    }

    // MARK: boilerplate

    @Test func linesCarryingValuesNeverGetASafeFix() throws {
        let lines = ["作者：張三", "編輯：陳彥彤", "攝影：李四", "責任編輯：王五", "來源：新華社", "时间：2024-06-14 10:30", "日期:2024-06-14 來源:黨委組織部"]
        for line in lines {
            let text = "---\ntitle: t\ndate: 2024-06-14\nauthor: 戴群\nsource: 本報\n---\n" + line + "\n正文第一段，內容很長很長很長。\n"
            let found = try RuleHarness.diagnostics(rule: "boilerplate", text: text)
            #expect(found.count == 1, "\(line)")
            #expect(found.allSatisfy { $0.fix?.applicability != .safe }, "\(line)")
        }
    }

    @Test func wholeResidueKeepsItsSafeFix() throws {
        let text = Self.fm + "首页 > 新闻中心 > 正文\n【打印本页】 【关闭窗口】\n点击数：123\n正文第一段，內容很長很長很長。\n"
        let found = try RuleHarness.diagnostics(rule: "boilerplate", text: text)
        #expect(found.map(\.line) == [5, 6, 7])
        #expect(found.allSatisfy { $0.fix?.applicability == .safe })
    }

    @Test func valuesMoveOnlyIntoYAMLFrontMatter() throws {
        let toml = "+++\ntitle = \"t\"\ndate = 2024-06-14\n+++\n攝影：李四\n正文第一段，內容很長很長很長。\n"
        let found = try RuleHarness.diagnostics(rule: "boilerplate", text: toml)
        #expect(found.count == 1 && found[0].fix == nil)
        let yaml = Self.fm + "攝影：李四\n正文第一段，內容很長很長很長。\n"
        let fixed = try RuleHarness.fixed(rule: "boilerplate", text: yaml, unsafe: true)
        #expect(fixed == "---\ntitle: t\ndate: 2024-06-14\nphotographer: 李四\n---\n正文第一段，內容很長很長很長。\n")
    }

    /// Session 47: the move copied the rest of the line, a trailing suppression comment
    /// included, into YAML (`source: 新华社 <!-- newslint-disable-line … -->`).
    @Test func movedValuesLeaveTheLinesMarkupBehind() throws {
        let article = "\n这是一篇正文，内容完整，讲述了一件事情。\n\n"
        for line in ["来源：新华社 <!-- newslint-disable-line punctuation-width -->", "**来源：新华社**", "来源：新华社<br>",
                     "来源：*新华社*", "来源：<strong>新华社</strong>", "来源：新华社</p>"] {
            let text = Self.fm + article + line + "\n"
            let found = try RuleHarness.diagnostics(rule: "boilerplate", text: text)
            #expect(found.count == 1 && found[0].message.contains("source '新华社';"), "\(line): \(found.map(\.message))")
            let fixed = try RuleHarness.fixed(rule: "boilerplate", text: text, unsafe: true)
            #expect(fixed == "---\ntitle: t\ndate: 2024-06-14\nsource: 新华社\n---\n" + article, "\(line)")
        }
        // Markup inside the value: no move, rather than markup written into YAML.
        for line in ["来源：新华社<br>记者站", "来源：新华社 `x`", "来源：<a href=\"http://x.cn\">新华社</a>", "来源：新华社&nbsp;北京",
                     "来源：新华社 <!-- 未闭合"] {
            let found = try RuleHarness.diagnostics(rule: "boilerplate", text: Self.fm + article + line + "\n")
            #expect(found.count == 1 && found[0].fix == nil, "\(line): \(found.map(\.message))")
        }
    }

    /// The metadata harvest (front-matter-missing) took its values the same way.
    @Test func harvestedValuesLeaveTheLinesMarkupBehind() throws {
        let text = "# 标题在这里\n\n来源：新华社 <!-- newslint-disable-line punctuation-width -->\n发布时间：2024-11-01\n\n这是一篇正文，内容完整，讲述了一件事情。\n"
        let fixed = try RuleHarness.fixed(rule: "front-matter-missing", text: text, unsafe: true)
        #expect(fixed.contains("source: 新华社\n"), "\(fixed)")
        // A value with markup inside is not harvested, and its line stays in the body.
        let inside = "# 标题在这里\n\n来源：新华社<br>记者站\n发布时间：2024-11-01\n\n这是一篇正文，内容完整，讲述了一件事情。\n"
        let kept = try RuleHarness.fixed(rule: "front-matter-missing", text: inside, unsafe: true)
        #expect(!kept.contains("source:") && kept.contains("来源：新华社<br>记者站\n"), "\(kept)")
    }

    @Test func noticeAndCourtBlocksAreContent() throws {
        for block in ["时间：2024-06-20 14:30\n地点：图书馆一楼报告厅\n", "案件編號：HCCC 123/2023\n日期：2024年6月14日\n法官：李官\n",
                      "時間：2024年6月20日 19:00 主持：陳教授\n"] {
            let found = try RuleHarness.diagnostics(rule: "boilerplate", text: Self.fm + block + "歡迎參加。\n")
            #expect(found.isEmpty, "\(block)")
        }
    }

    // MARK: title-boilerplate

    @Test func sectionNamesAreNotSiteNames() {
        for title in ["特朗普宣布勝選 - 即時新聞", "美國大選結果揭曉｜國際新聞", "港股收市微升 | 財經頻道", "國際 » 美國大選結果揭曉", "外卖骑手救起落水儿童_社会新闻"] {
            #expect(TitleAffix.findings(title).isEmpty, "\(title)")
        }
        #expect(TitleAffix.findings("立法會通過條例草案｜明報新聞網").map(\.piece) == ["明報新聞網"])
    }
}
