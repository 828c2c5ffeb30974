import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 50: the meta charset was read twice and the two readings disagreed —
/// `encoding-invalid` rewrote `content="…; charset=…"` without `http-equiv` and read the label
/// as letters, digits, `-` and `_`; `charset-mismatch` wanted `http-equiv` and read up to a
/// quote, space or `;`. One reading now, `HTMLView.declaredCharset(of:in:)`, after the HTML
/// standard's prescan; both rules call it.
@Suite struct MetaCharsetTests {
    /// The label the first tag of `html` declares, as text, or nil.
    static func label(_ html: String) -> String? {
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        guard let token = view.tokens.first(where: { $0.kind == .startTag }),
              let range = view.declaredCharset(of: token, in: bytes) else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    @Test func theCharsetAttributeInAnyCaseAndQuoting() {
        #expect(Self.label(#"<meta charset="big5">"#) == "big5")
        #expect(Self.label("<meta charset='gbk'>") == "gbk")
        #expect(Self.label("<meta charset=gb2312>") == "gb2312")
        #expect(Self.label("<META CHARSET=\"Big5\">") == "Big5")
        #expect(Self.label("<Meta ChArSeT = ' big5-hkscs ' />") == "big5-hkscs")
        // The whole label, not only its letters, digits, `-` and `_` (`encoding-invalid` rewrote `iso_8859-1` of it).
        #expect(Self.label(#"<meta charset="iso_8859-1:1987">"#) == "iso_8859-1:1987")
        // It decides wherever it stands; the first of two counts; bare or empty, it declares nothing.
        #expect(Self.label(#"<meta http-equiv="Content-Type" content="text/html; charset=gbk" charset="big5">"#) == "big5")
        #expect(Self.label("<meta charset=big5 charset=gbk>") == "big5")
        #expect(Self.label("<meta charset>") == nil)
        #expect(Self.label("<meta charset=\"  \">") == nil)
    }

    @Test func contentDeclaresOnlyWithHTTPEquivContentType() {
        #expect(Self.label(#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#) == "gb2312")
        #expect(Self.label("<META HTTP-EQUIV=CONTENT-TYPE CONTENT='text/html; CHARSET=Big5'>") == "Big5")
        #expect(Self.label(#"<meta content="text/html; charset=big5" http-equiv="content-type">"#) == "big5")
        // WHATWG: a `content` without `http-equiv=content-type` is not a declaration.
        #expect(Self.label(#"<meta content="text/html; charset=big5">"#) == nil)
        #expect(Self.label(#"<meta name="description" content="網頁寫 charset=big5 的說明">"#) == nil)
        #expect(Self.label(#"<meta http-equiv="refresh" content="0; charset=big5">"#) == nil)
        // The value is compared as written: no spaces around it.
        #expect(Self.label(#"<meta http-equiv=" content-type" content="text/html; charset=big5">"#) == nil)
        #expect(Self.label(#"<meta http-equiv content="text/html; charset=big5">"#) == nil)
    }

    @Test func theLabelInContentAsTheStandardExtractsIt() {
        func inContent(_ content: String) -> String? {
            Self.label("<meta http-equiv=content-type content='\(content)'>")
        }
        #expect(inContent("text/html; charset=big5") == "big5")
        // Spaces around `=`, the label quoted either way.
        #expect(inContent(#"text/html; charset = "big5""#) == "big5")
        #expect(inContent("text/html;charset =  gbk ") == "gbk")
        #expect(Self.label(#"<meta http-equiv=content-type content="text/html; charset='gb2312'">"#) == "gb2312")
        #expect(inContent(#"text/html; charset=" big5 ""#) == "big5")
        // The label ends at `;`, a space or its closing quote.
        #expect(inContent("text/html; charset=big5; x=y") == "big5")
        #expect(inContent("text/html; charset=big5 x") == "big5")
        #expect(inContent(#"text/html; charset="big5;x" y"#) == "big5;x")
        // An unmatched quote, nothing after `=`, no `=`: none; a later `charset=` is read.
        #expect(inContent(#"text/html; charset="big5"#) == nil)
        #expect(inContent("text/html; charset=") == nil)
        #expect(inContent("text/html; charset") == nil)
        #expect(inContent("charsets; CHARSET=gbk") == "gbk")
        #expect(inContent("charsetcharset=gbk") == "gbk")
    }

    @Test func otherTagsDeclareNothing() {
        #expect(Self.label(#"<metadata charset="big5">"#) == nil)
        #expect(Self.label(#"<script charset="gbk" src="a.js"></script>"#) == nil)
        #expect(Self.label(#"<meta name="viewport" content="width=device-width">"#) == nil)
        #expect(Self.label(#"<meta property="og:title" content="charset=big5">"#) == nil)
    }
}
