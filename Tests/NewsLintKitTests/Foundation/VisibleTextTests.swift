import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `VisibleText`: what prose rules see of an HTML document, and how reports are kept inside it.
@Suite struct VisibleTextTests {
    static func document(_ text: String, path: String = "a.html") -> Document { Document(path: path, text: text) }

    static func offset(of needle: String, in text: String) -> Int {
        let bytes = Array(text.utf8), n = Array(needle.utf8)
        for i in 0...(bytes.count - n.count) where Array(bytes[i..<(i + n.count)]) == n { return i }
        return -1
    }

    @Test func visiblePartCutsToText() throws {
        let text = #"<p title="中,文">甲,乙</p><!-- 丙,丁 -->"#
        let html = Self.document(text).html
        let tag = Self.offset(of: "<p", in: text), comma = Self.offset(of: "甲,", in: text) + 3
        // A range in an attribute or a comment holds no visible byte.
        #expect(html.visiblePart(of: (Self.offset(of: "中", in: text))..<(Self.offset(of: "文", in: text))) == nil)
        #expect(html.visiblePart(of: (Self.offset(of: "丙", in: text))..<(Self.offset(of: "丁", in: text))) == nil)
        // A range from the tag into the text starts at the text.
        #expect(html.visiblePart(of: tag..<(comma + 1)) == Self.offset(of: "甲", in: text)..<(comma + 1))
        #expect(html.isEditable(comma..<(comma + 1)))
        #expect(!html.isEditable(tag..<(comma + 1)))
        // An insertion at the edge of text is editable.
        let end = Self.offset(of: "</p>", in: text)
        #expect(html.isEditable(end..<end))
    }

    @Test func reportsOfProseRulesStayInText() throws {
        let text = "---\ntitle: t\n---\n<p data-x=\"中\u{200B}文\">储存\u{200B}而不会</p><!-- 注\u{200B}释 --><script>var a = \"中\u{200B}文\";</script>\n"
        let found = try RuleHarness.diagnostics(rule: "invisible-char", text: text, path: "a.html")
        #expect(found.count == 1)
        #expect(found.first?.column == 19)
        // The same bytes in Markdown are reported everywhere (inline HTML keeps its line-based behaviour).
        #expect(try RuleHarness.diagnostics(rule: "invisible-char", text: text, path: "a.md").count == 4)
    }

    /// Code is shown as written: prose rules neither report nor fix in `<pre>`/`<code>` (a trial
    /// found `香港:九龍,新界` in `<pre>` turned into full-width marks), and text after it is prose again.
    @Test func codeElementsAreNotProse() throws {
        let text = "---\ntitle: 代碼\n---\n<pre>香港:九龍,新界</pre><p>寫 <code>a,b</code> 或 <KBD>x:y</KBD>。香港,九龍</p>\n"
        let found = try RuleHarness.diagnostics(rule: "punctuation-width", text: text, path: "a.html")
        #expect(found.count == 1)
        #expect(found.first?.column == Self.document(text).position(ofByte: Self.offset(of: ",九龍</p>", in: text)).column)
        let html = Self.document(text).html
        #expect(!html.isProse(at: Self.offset(of: "香港:", in: text)))
        #expect(html.isVisibleText(at: Self.offset(of: "香港:", in: text)))
    }

    @Test func frontMatterOfAnHTMLPostIsNotMasked() throws {
        let text = "---\ntitle: \"“乔治･华盛顿”号抵达\"\n---\n<p>正文。</p>\n"
        let found = try RuleHarness.diagnostics(rule: "punctuation-halfwidth", text: text, path: "a.html")
        #expect(found.map(\.line) == [2])
    }

    @Test func blocksSplitAOneLinePage() {
        let text = "<div><i>Christoph<br>2024-11-01</i></div><p>第一段，<a href=\"x\">連結</a>文字。</p><h2>小標題</h2><p>© 2024 版權聲明<!-- --> 。</p><script>var a;</script>"
        let document = Self.document(text)
        let blocks = document.html.textBlocks(document.bytes)
        #expect(blocks.map { String(decoding: $0.text, as: UTF8.self) } == ["Christoph", "2024-11-01", "第一段，連結文字。", "小標題", "© 2024 版權聲明 。"])
        #expect(blocks.map(\.heading) == [false, false, false, true, false])
        let ranges = document.html.blockRanges(document.bytes)
        #expect(ranges[2].range.lowerBound == Self.offset(of: "第一段", in: text))
        #expect(ranges[2].range.upperBound == Self.offset(of: "</p><h2>", in: text))
    }

    @Test func hiddenScalarsOfALine() {
        let text = "<p title=\"a\">甲乙</p>\n"
        let document = Self.document(text)
        let run = document.scalarRun(document.scalars, line: 1)
        let mask = ProseMask.nonProse(run, in: document)
        let shown = (0..<run.count).filter { !mask[$0] }.map { String(Character(Unicode.Scalar(run.cps[$0])!)) }.joined()
        #expect(shown == "甲乙")
    }

    @Test func htmlPaths() {
        #expect(Document.isHTMLPath("a/b.HTML") && Document.isHTMLPath("x.htm") && Document.isHTMLPath("x.xhtml"))
        #expect(!Document.isHTMLPath("x.md") && !Document.isHTMLPath("html/x") && !Document.isHTMLPath("a.html/x"))
        #expect(TextFlavor(path: "a.htm") == .html && TextFlavor(path: "a.md") == .markdown)
    }
}
