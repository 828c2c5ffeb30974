import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite("HTML tokenizer")
struct HTMLTokenizerTests {
    /// `kind:text` for every token, text shown as written.
    func describe(_ html: String) -> [String] {
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        return view.tokens.map { "\($0.kind):\(String(decoding: bytes[$0.range], as: UTF8.self))" }
    }

    @Test func tokensTileTheInput() {
        let html = "<p class=\"lead\">美國總統&nbsp;拜登 &amp; <b>賀錦麗</b></p><!-- ad --><br/>完"
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        var next = 0
        for token in view.tokens {
            #expect(token.range.lowerBound == next)
            next = token.range.upperBound
        }
        #expect(next == bytes.count)
        #expect(describe(html) == [
            "startTag:<p class=\"lead\">", "text:美國總統", "characterReference:&nbsp;", "text:拜登 ",
            "characterReference:&amp;", "text: ", "startTag:<b>", "text:賀錦麗", "endTag:</b>", "endTag:</p>",
            "comment:<!-- ad -->", "startTag:<br/>", "text:完",
        ])
        #expect(view.tokens[11].selfClosing)
    }

    @Test func attributesKeepQuotedAngleBracketsAndBareNames() {
        let html = "<img alt='a > b' src=\"x.jpg\" data-src=lazy.jpg hidden>後"
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        #expect(view.tokens.count == 2)
        let img = view.tokens[0]
        #expect(view.isTag(img, named: "img", in: bytes))
        let text = { (r: Range<Int>?) in r.map { String(decoding: bytes[$0], as: UTF8.self) } }
        #expect(text(view.attributeValue(img, named: "alt", in: bytes)) == "a > b")
        #expect(text(view.attributeValue(img, named: "src", in: bytes)) == "x.jpg")
        #expect(text(view.attributeValue(img, named: "data-src", in: bytes)) == "lazy.jpg")
        #expect(view.attributes(of: img).map { $0.quote } == [0x27, 0x22, 0, 0])
        #expect(view.attributes(of: img).last?.value == nil)
    }

    @Test func lessThanThatIsNotMarkupIsText() {
        #expect(describe("a < b <3 <中文> 完") == ["text:a < b <3 <中文> 完"])
    }

    @Test func scriptAndStyleContentIsRawTextUpToTheirEndTag() {
        #expect(describe("<script>if (a<b) { x = '</p>'; }</SCRIPT>文") == [
            "startTag:<script>", "rawText:if (a<b) { x = '</p>'; }", "endTag:</SCRIPT>", "text:文",
        ])
        #expect(describe("<style>p{}</styles></style>") == ["startTag:<style>", "rawText:p{}</styles>", "endTag:</style>"])
        #expect(describe("<title>標題 &amp; <b></title>") == [
            "startTag:<title>", "text:標題 ", "characterReference:&amp;", "text: <b>", "endTag:</title>",
        ])
    }

    @Test func commentsDoctypeAndBogusComments() {
        #expect(describe("<!DOCTYPE html><!--x--><!--><?xml v?></ x><![CDATA[y]]></>") == [
            "doctype:<!DOCTYPE html>", "comment:<!--x-->", "comment:<!-->", "comment:<?xml v?>", "comment:</ x>",
            "comment:<![CDATA[y]]>", "comment:</>",
        ])
        #expect(describe("a<!-- never closed") == ["text:a", "comment:<!-- never closed"])
    }

    @Test func characterReferences() {
        #expect(describe("&#12288;&#x3000;&copy;&nbsp &ampx &unknown; &; & &#;") == [
            "characterReference:&#12288;", "characterReference:&#x3000;", "characterReference:&copy;",
            "characterReference:&nbsp", "text: &ampx ", "characterReference:&unknown;", "text: &; & &#;",
        ])
    }

    @Test func anUnclosedTagLeavesTheRestAsTextInLinearTime() {
        let flood = String(repeating: "<a b=\"", count: 20_000)
        let bytes = Array(("<p>前</p>" + flood).utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        #expect(view.tokens.count == 4)
        #expect(view.tokens.last?.kind == .text)
        #expect(view.tokens.last?.range == 10..<bytes.count)
    }

    @Test func visibleTextQueries() {
        let bytes = Array("<a href=\"中\">文&amp;字</a>".utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        let textStart = bytes.firstIndex(of: 0x3E)! + 1
        #expect(!view.isVisibleText(at: 9))
        #expect(view.isVisibleText(at: textStart))
        #expect(view.isVisibleText(textStart..<(textStart + 3 + 5 + 3)))
        #expect(!view.isVisibleText(textStart..<(bytes.count)))
    }

    @Test func documentViewStartsAfterFrontMatter() {
        let document = Document(path: "posts/a.html", text: "---\ntitle: <b>x</b>\n---\n<p>文</p>\n")
        #expect(document.isHTMLFile)
        #expect(document.html.tokens.first?.range.lowerBound == document.bodyStart)
        #expect(document.html.tokens.filter { $0.kind == .startTag }.count == 1)
        #expect(!Document(path: "a.md", text: "x").isHTMLFile)
    }
}
