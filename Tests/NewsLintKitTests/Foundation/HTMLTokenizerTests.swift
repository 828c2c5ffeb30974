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

    /// The one reading of a numeric reference's digits (`HTMLView.numericReference`), and what each
    /// caller makes of its edges: the tokenizer ends a reference after eight digits (`;` or not), the
    /// token form gives no value for zero, a surrogate or past U+10FFFF, and image sources want the
    /// `;` and write U+FFFD for those values.
    @Test func numericReferenceEdges() {
        func read(_ s: String) -> String {
            let b = Array(s.utf8)
            guard let r = b.withUnsafeBufferPointer({ HTMLView.numericReference($0, at: 0, end: $0.count) }) else { return "none" }
            return "\(r.end) \(r.terminated) \(r.value.map { String($0, radix: 16) } ?? "nil")"
        }
        #expect(read("&#65;") == "5 true 41")
        #expect(read("&#x4E2D;") == "8 true 4e2d")
        #expect(read("&#X4e2d;") == "8 true 4e2d")
        #expect(read("&#65") == "4 false 41")
        #expect(read("&#65x;") == "4 false 41")
        #expect(read("&#0;") == "4 true nil")
        #expect(read("&#xD800;") == "8 true nil")
        #expect(read("&#xDFFF;") == "8 true nil")
        #expect(read("&#x10FFFF;") == "10 true 10ffff")
        #expect(read("&#x110000;") == "10 true nil")
        #expect(read("&#1114112;") == "10 true nil")
        #expect(read("&#99999999;") == "11 true nil")
        #expect(read("&#xFFFFFFFF;") == "12 true nil")
        // Eight digits at most: the ninth ends the reference (leading zeros count).
        #expect(read("&#000000065;") == "10 false 6")
        #expect(read("&#x000000041;") == "11 false 4")
        for s in ["&#;", "&#x;", "&#", "&#x", "&", "&amp;", "&#a;", "&x41;"] { #expect(read(s) == "none", "\(s)") }

        // The token form: the tokenizer's reference, its value or nil.
        let html = "&#000000065;&#0;&#x110000;&#xD800;&#65&#x41;"
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        #expect(describe(html) == [
            "characterReference:&#00000006", "text:5;", "characterReference:&#0;", "characterReference:&#x110000;",
            "characterReference:&#xD800;", "characterReference:&#65", "characterReference:&#x41;",
        ])
        #expect(view.tokens.map { HTMLView.numericReferenceValue(bytes, $0) } == [6, nil, nil, nil, nil, 0x41, 0x41])

        // Image sources: a value only with its `;`, U+FFFD for no character.
        func source(_ s: String) -> String { String(decoding: ImageSource.text(Array(s.utf8)[...], html: true), as: UTF8.self) }
        #expect(source("&#000000065;&#0;&#x110000;&#xD800;&#65&#x41;") == "&#000000065;\u{FFFD}\u{FFFD}\u{FFFD}&#65A")
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
