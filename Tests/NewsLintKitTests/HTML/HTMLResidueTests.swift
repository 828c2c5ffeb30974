import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 14: details of the HTML residue rules beyond their catalog examples.
@Suite struct HTMLResidueTests {
    static let fm = "---\ntitle: 新聞\n---\n"

    @Test func htmlRulesLeaveMarkdownToHTMLRemnant() throws {
        let text = Self.fm + "<div></div>正文</small>&amp;nbsp;<img src='https://pixel.wp.com/g.gif' width=1 height=1>\n"
        for rule in ["html-widget", "html-empty-element", "html-tag-unbalanced", "html-double-escaped", "html-tracking-pixel", "html-inline-style"] {
            #expect(try RuleHarness.diagnostics(rule: rule, text: text, path: "a.md").isEmpty, "\(rule) on Markdown")
        }
    }

    @Test func misnestedFormattingGetsOnlyAnUnsafeFix() throws {
        let found = try RuleHarness.diagnostics(rule: "html-tag-unbalanced", text: Self.fm + "<p><b><i>粗斜</b>斜</i></p>\n", path: "a.html")
        #expect(found.map(\.message) == ["<i> has no end tag (closed by </b>)", "stray end tag: </i> closes no open <i>"])
        #expect(found.last?.fix?.applicability == .unsafe)
    }

    @Test func widgetSelectorsFromOptions() throws {
        let options: [String: JSONNode] = ["selectors": try JSONParser.parse("[\"div.share-bar\", \"aside#related\"]")]
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: Self.fm + "<p>正文</p><div class=\"share-bar x\">分享到</div><aside id=\"related\">相關</aside>\n", path: "a.html", options: options)
        #expect(found.map(\.column) == [10, 44])
        #expect(found.allSatisfy { $0.fix?.applicability == .unsafe })
        for bad in ["div.", "#", "div:has(p)", "[unclosed", ""] {
            #expect(throws: RuleOptionError.self) { try HTMLWidgetRule(options: RuleOptions(["selectors": JSONNode(.array([JSONNode(.string(bad))]))])) }
        }
    }

    /// A Jekyll header include opens the wrapper its footer include closes: templates are not posts
    /// (a trial `--fix` closed the wrapper in the header and deleted `</body></html>` from the footer).
    @Test func siteTemplatesAreNotChecked() throws {
        let header = "<header><div class=\"wrapper\">\n<a href=\"/\">新聞</a>\n"
        let footer = "</div>\n<div></div>\n</body></html>\n"
        for rule in ["html-tag-unbalanced", "html-empty-element"] {
            for path in ["site/_includes/header.html", "site/_layouts/default.html", "themes/x/layouts/partials/footer.html"] {
                #expect(try RuleHarness.diagnostics(rule: rule, text: header + footer, path: path).isEmpty, "\(rule) on \(path)")
            }
            // Liquid tags anywhere in the body mark a template too.
            #expect(try RuleHarness.diagnostics(rule: rule, text: footer + "{% include footer.html %}\n", path: "page.html").isEmpty, "\(rule)")
            #expect(try !RuleHarness.diagnostics(rule: rule, text: footer, path: "posts/a.html").isEmpty, "\(rule)")
        }
    }

    /// A truncated scrape ending inside a comment, an attribute or a script: end tags appended at
    /// the end would land inside it and the "fix" would add them again on every run.
    @Test func noClosingFixWhenTheFileEndsInsideMarkup() throws {
        for tail in ["<!-- tail", "<a href=\"http://x", "<script>var a = 1;"] {
            let text = Self.fm + "<div><p>文字" + tail
            let found = try RuleHarness.diagnostics(rule: "html-tag-unbalanced", text: text, path: "a.html")
            #expect(found.contains { $0.message.hasPrefix("<div> has no end tag") }, "\(tail)")
            #expect(found.allSatisfy { $0.fix == nil }, "\(tail)")
        }
        let closed = try RuleHarness.fixed(rule: "html-tag-unbalanced", text: Self.fm + "<div><p>文字</p>\n", path: "a.html", unsafe: false)
        #expect(closed == Self.fm + "<div><p>文字</p></div>\n")
    }

    /// Unclosed floods stay linear: the search for an element to close is bounded, and a widget's
    /// first text is looked for near its start tag.
    @Test func unclosedElementFloodsFinish() throws {
        let flood = "<p><table>" + String(repeating: "<span>", count: 20_000) + String(repeating: "<div>", count: 20_000)
        for rule in ["html-tag-unbalanced", "html-empty-element", "html-widget"] {
            _ = try RuleHarness.diagnostics(rule: rule, text: Self.fm + flood, path: "a.html")
        }
    }

    /// An empty tweet placeholder is reported, but deleting it also deletes the tweet's URL: unsafe.
    @Test func emptyEmbedPlaceholdersGetAnUnsafeFix() throws {
        let text = Self.fm + "<p>正文</p><div class='twitterMedia'><blockquote class='twitter-tweet'><a href='https://twitter.com/x/status/1'></a></blockquote></div>\n"
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html")
        #expect(found.count == 1)
        #expect(found.first?.fix?.applicability == .unsafe)
        let quoted = Self.fm + "<blockquote class='twitter-tweet'><p>推文原文</p><a href='https://twitter.com/x/status/1'>日期</a></blockquote>\n"
        #expect(try RuleHarness.diagnostics(rule: "html-widget", text: quoted, path: "a.html").isEmpty)
    }

    @Test func builtinWidgetTableParses() {
        #expect(BuiltinWidgets.loaded.count >= 10)
    }

    @Test func doubleEscapingInsidePreAndCodeIsQuoted() throws {
        let text = Self.fm + "<p>寫成 <code>&amp;nbsp;</code> 或</p><pre>&amp;amp;</pre><p>&amp;amp;&amp;nbsp;</p>\n"
        let found = try RuleHarness.diagnostics(rule: "html-double-escaped", text: text, path: "a.html")
        #expect(found.map(\.column) == [59, 68])
        let fixed = try RuleHarness.fixed(rule: "html-double-escaped", text: text, path: "a.html", unsafe: false)
        #expect(fixed.hasSuffix("<p>&amp;&nbsp;</p>\n"))
    }
}
