import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `html-bare-text` (new): 318 of 319 NHK posts hold their article as bare text after a
/// `<div><img><small>caption</small></div>`, paragraphs separated by blank lines and no `<p>`.
/// Jekyll does not convert `.html` posts and browsers ignore blank lines, so the article showed as
/// one run-on paragraph and no rule said so. Text already laid out by an element, one paragraph,
/// pieces a block separates, `<br>` lines and blank lines inside inline elements stay quiet; the
/// fix wraps each paragraph in `<p>`, safely only when each is text and inline elements closed in it.
@Suite struct HTMLBareTextTests {
    static let head = "---\ntitle: t\ndate: 2024-01-01\n---\n"

    static func findings(_ body: String) throws -> [Diagnostic] {
        try RuleHarness.diagnostics(rule: "html-bare-text", files: [("a.html", head + body)])
    }

    static func fixed(_ body: String, unsafe: Bool = false) throws -> String {
        let text = try RuleHarness.fixed(rule: "html-bare-text", text: head + body, path: "a.html", unsafe: unsafe)
        return String(text.dropFirst(head.count))
    }

    /// The NHK shape: a caption `<div>`, then the article as bare text at the top level.
    @Test func anNHKArticleIsOneFindingAtItsFirstParagraph() throws {
        let body = "\n<div><img src=\"a.jpg\"><small style=\"color: gray;\">Japanese makers use new tires</small></div>日本各大轮胎生产商推进研发。\n\n其中，普利司通公司研发出新型轮胎。\n\n住友橡胶公司推出了<b>四季</b>轮胎。\n"
        let found = try Self.findings(body)
        #expect(found.count == 1)
        #expect(found.first?.line == 6)
        #expect(found.first?.message.hasPrefix("3 paragraphs of bare text shown as one") == true)
        #expect(found.first?.fix?.applicability == .safe)
        let fixed = try Self.fixed(body)
        #expect(fixed == "\n<div><img src=\"a.jpg\"><small style=\"color: gray;\">Japanese makers use new tires</small></div><p>日本各大轮胎生产商推进研发。</p>\n\n<p>其中，普利司通公司研发出新型轮胎。</p>\n\n<p>住友橡胶公司推出了<b>四季</b>轮胎。</p>\n")
        // Idempotent, and the result balanced.
        #expect(try Self.findings(fixed).isEmpty)
        #expect(try RuleHarness.diagnostics(rule: "html-tag-unbalanced", files: [("a.html", Self.head + fixed)]).isEmpty)
    }

    /// Directly in a `<div>`, `<section>` or `<article>`, Traditional text with CRLF line ends and
    /// an indented blank line; the whitespace at a paragraph's ends stays outside its `<p>`.
    @Test func textInAContainerIsReported() throws {
        let body = "<section>\r\n  立法會今日三讀通過條例。\r\n  \r\n  政府發言人表示歡迎，<a href=\"x\">全文</a>見附件。\r\n</section>\n"
        #expect(try Self.findings(body).count == 1)
        #expect(try Self.fixed(body) == "<section>\r\n  <p>立法會今日三讀通過條例。</p>\r\n  \r\n  <p>政府發言人表示歡迎，<a href=\"x\">全文</a>見附件。</p>\r\n</section>\n")
    }

    @Test func textAlreadyLaidOutOrNotProseIsQuiet() throws {
        for body in [
            "<p>第一段。</p>\n\n<p>第二段。</p>\n",
            "<div>只有一段。</div>\n\n",
            "<blockquote>引文第一段。\n\n引文第二段。</blockquote>\n",
            "<ul><li>第一項\n\n補充</li></ul>\n",
            "<table><tr><td>格一\n\n格二</td></tr></table>\n",
            "<h2>標題一\n\n標題二</h2>\n",
            "<figure><img src=\"a.jpg\"><figcaption>說明一\n\n說明二</figcaption></figure>\n",
            "<pre>第一行\n\n第二行</pre>\n",
            "<textarea>第一行\n\n第二行</textarea>\n",
            "<script>var a = 1;\n\nvar b = 2;</script>\n",
            "<style>p { color: red; }\n\ndiv { color: blue; }</style>\n",
            "<!-- 註解一\n\n註解二 -->\n",
            // An unclosed `<p>`: its text is a paragraph already (kept inside it until its parent ends).
            "<div><p>第一段\n\n還是第一段</div>\n",
        ] {
            #expect(try Self.findings(body).isEmpty, "\(body)")
        }
    }

    @Test func piecesAlreadyApartAreQuiet() throws {
        for body in [
            // A block element between the pieces.
            "第一段。\n<div>插圖</div>\n第二段。\n",
            "第一段。<table><tr><td>表</td></tr></table>\n\n第二段。\n",
            "<div>第一段。<p>第二段。</p>第三段。</div>\n",
            // `<br>` lines: the breaks show.
            "<div>第一行<br>\n\n第二行<br>\n\n第三行</div>\n",
            "第一行\n\n<br>第二行\n",
            // A blank line inside an inline element, not in the run's own text.
            "<span>行內第一段\n\n行內第二段</span>\n",
            // Only one piece of visible text: an image or a comment alone between blank lines.
            "<img src=\"a.jpg\">\n\n正文。\n\n<!-- 廣告 -->\n",
            "<img src=\"a.jpg\">\n\n&nbsp;\n\n正文。\n",
        ] {
            #expect(try Self.findings(body).isEmpty, "\(body)")
        }
    }

    /// A stray end tag or an inline element left open in a paragraph: the fix is offered, unsafe.
    @Test func aPieceThatAPWouldCutMakesTheFixUnsafe() throws {
        for body in [
            "<div>第一段。\n\n第二段。</small></div>\n",
            "<div><span>第一段。</div>\n\n第二段。\n\n第三段。<span>未關閉\n",
        ] {
            let found = try Self.findings(body)
            #expect(found.count == 1, "\(body)")
            #expect(found.first?.fix?.applicability == .unsafe, "\(body)")
        }
        #expect(try Self.fixed("<div>第一段。\n\n第二段。</small></div>\n") == "<div>第一段。\n\n第二段。</small></div>\n")
        #expect(try Self.fixed("<div>第一段。\n\n第二段。</small></div>\n", unsafe: true) == "<div><p>第一段。</p>\n\n<p>第二段。</small></p></div>\n")
    }

    /// One finding per run: runs a block separates are counted apart.
    @Test func eachRunIsOneFinding() throws {
        let found = try Self.findings("一甲。\n\n一乙。\n<hr>\n二甲。\n\n二乙。\n\n二丙。\n")
        #expect(found.map(\.line) == [5, 9])
        #expect(found.map { $0.message.prefix(1) } == ["2", "3"])
    }

    /// The pre-filter: only a blank line that text touches on one side sends a post to the walk.
    /// RFA's pretty-printed markup (blank lines between tags, 298 posts) was walked for nothing.
    @Test func onlyABlankLineTextTouchesIsLookedAt() throws {
        func gate(_ s: String) -> Bool {
            let b = Array(s.utf8)
            return HTMLBareTextRule.hasBlankLine(b, 0..<b.count)
        }
        #expect(gate("甲。\n\n乙。"))
        #expect(gate("</div>\n  \r\n乙。"))
        #expect(gate("甲。\n \n<b>乙</b>"))
        #expect(!gate("<img src=\"a.jpg\">\n\n\n   <span>說明</span>\n\n<div>"))
        #expect(!gate("\n\n<div>甲\n乙</div>"))
        #expect(!gate("甲\n乙\n"))
        // A run whose pieces are all inline elements, blank lines between their tags: a known miss.
        #expect(try Self.findings("<a href=\"x\">甲</a>\n\n<a href=\"y\">乙</a>\n").isEmpty)
    }

    /// Markdown turns blank lines into paragraphs: never checked.
    @Test func markdownIsNotChecked() throws {
        #expect(try RuleHarness.diagnostics(rule: "html-bare-text", files: [("a.md", Self.head + "第一段。\n\n第二段。\n")]).isEmpty)
    }

    /// A flood of stray end tags and unclosed inline elements: each end tag's search of the open
    /// elements is bounded, the walk stays linear (results asserted, no timing).
    @Test func aFloodStaysLinear() throws {
        let body = String(repeating: "<span>", count: 20_000) + "甲\n\n乙" + String(repeating: "</b>", count: 20_000) + "\n"
        #expect(try Self.findings(body).isEmpty)
        let flat = String(repeating: "段。\n\n", count: 20_000)
        #expect(try Self.findings(flat).first?.message.hasPrefix("20000 paragraphs") == true)
    }
}
