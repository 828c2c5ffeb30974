import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// Fixes that lost text in legacy-encoded or double-encoded files (a probe of web-archive
/// captures and Hong Kong posts, session 48).
@Suite struct LegacyTextLossTests {
    static func fixed(_ bytes: [UInt8], path: String = "a.md", unsafe: Bool, select: [String]? = nil) throws -> [UInt8] {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = .preview(unsafe ? .unsafe : .safe)
        if let select { settings.filter = RuleFilter(select: select) }
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
        return linter.lint([.text(path: path, bytes: bytes)]).files[0].fix?.fixed ?? bytes
    }

    /// UTF-8 read as Latin-1 spells 中 (E4 B8 AD) `ä¸­`: its last character is a soft hyphen.
    /// Removing it as an invisible character (a safe fix) lost 中 for good; it is part of the
    /// mojibake, which mojibake reports. A soft hyphen in a word is still found.
    @Test func aSoftHyphenInsideLatin1ReadUTF8IsLeftToMojibake() throws {
        let clean = "（中央社洛杉磯31日綜合外電報導）美國總統大選前夕。"
        let garbled = String(decoding: Array(clean.utf8).map { UInt16($0) }, as: UTF16.self)
        #expect(garbled.unicodeScalars.contains("\u{00AD}"))
        let text = "---\ntitle: t\ndate: 2024-11-02\n---\n\n" + garbled + "\n"
        #expect(try RuleHarness.diagnostics(rule: "invisible-char", text: text).isEmpty)
        #expect(try Self.fixed(Array(text.utf8), unsafe: false, select: ["invisible-char"]) == Array(text.utf8))
        #expect(try RuleHarness.diagnostics(rule: "mojibake", text: text).isEmpty == false)
        // In a word, after an accented letter or a Han character: reported and removed.
        for word in ["pré\u{00AD}sident", "Ägyp\u{00AD}ten", "新\u{00AD}聞", "\u{00AD}ab"] {
            #expect(try RuleHarness.diagnostics(rule: "invisible-char", text: "記者 \(word) 報道。\n").count == 1, "\(word)")
        }
    }

    /// The same Cantonese post in Big5-HKSCS: plain Big5 round-trips its bytes but puts 嘅, 咹 and
    /// the é of Rosé in the private-use area. That decoding is not lossless; Big5-HKSCS is.
    @Test func hongKongCharactersAreReadAsBig5HKSCSNotPrivateUse() throws {
        let text = "---\ntitle: 南韓高考\ndate: 2024-11-14\n---\n\n飛機暫停升降，不要響咹。流行音樂被視為影響考生專注力嘅「噪音」。Blackpink成員Rosé的歌曲令考生分心。\n"
        let data = try #require(text.data(using: EncodingInvalidRule.big5HKSCS))
        let bytes = [UInt8](data)
        let found = try RuleHarness.diagnostics(rule: "encoding-invalid", bytes: bytes)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("decodes cleanly as Big5-HKSCS") == true)
        #expect(try Self.fixed(bytes, unsafe: true, select: ["encoding-invalid"]) == Array(text.utf8))
        // A file plain Big5 reads whole is still named Big5.
        let plain = "---\ntitle: 學校\n---\n\n學校新聞中心今日舉行記者會，宣布新學年的招生安排。\n"
        let big5 = [UInt8](try #require(plain.data(using: EncodingInvalidRule.big5)))
        #expect(try RuleHarness.diagnostics(rule: "encoding-invalid", bytes: big5).first?.message.hasSuffix("decodes cleanly as Big5") == true)
    }

    /// Only private-use text: no decoding is lossless, so there is no fix.
    @Test func aDecodingIntoPrivateUseOnlyIsNotOffered() {
        #expect(EncodingInvalidRule.isPrivateUse(0xE000) && EncodingInvalidRule.isPrivateUse(0xF8FF) && EncodingInvalidRule.isPrivateUse(0xF0000))
        #expect(!EncodingInvalidRule.isPrivateUse(0x5605) && !EncodingInvalidRule.isPrivateUse(0xF900))
    }

    /// A Big5 page transcoded to UTF-8 kept `charset=big5`: a browser obeying it showed mojibake.
    /// The transcoding now declares UTF-8 in every `<meta>` charset, whatever its case or quotes.
    @Test func transcodingAPageDeclaresUTF8() throws {
        func page(_ charset: String, _ meta: (String) -> String) -> String {
            "<!DOCTYPE html>\n<html><head>\(meta(charset))<title>鋼鐵人</title></head><body>\n<p>美國總統大選前夕，好萊塢女星召集「復仇者聯盟」同伴表態支持民主黨。</p>\n</body></html>\n"
        }
        let metas: [(String) -> String] = [
            { "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=\($0)\">" },
            { "<META CHARSET='\($0)'>" },
            { "<meta charset = \($0) />" },
        ]
        for meta in metas {
            for (name, encoding) in [("big5", EncodingInvalidRule.big5), ("gb2312", EncodingInvalidRule.gb18030)] {
                let bytes = [UInt8](try #require(page(name, meta).data(using: encoding)))
                let fixed = try Self.fixed(bytes, path: "a.html", unsafe: true, select: ["encoding-invalid"])
                #expect(String(decoding: fixed, as: UTF8.self) == page("utf-8", meta), "\(name) \(meta("x"))")
            }
        }
        // Text mentioning a charset outside a meta tag is left alone.
        let prose = "<p>網頁寫 charset=big5 的說明。</p>\n"
        #expect(EncodingInvalidRule.declaringUTF8(Array(prose.utf8)) == Array(prose.utf8))
        let already = "<meta charset=\"UTF-8\"><p>文</p>\n"
        #expect(EncodingInvalidRule.declaringUTF8(Array(already.utf8)) == Array(already.utf8))
    }

    /// The `<meta>` tags are the HTML tokenizer's: any case, quotes single, double or none, `charset`
    /// in its own attribute or in the `content` of `http-equiv="Content-Type"`. A `<meta` shown in a
    /// comment, a script's string or an attribute's value declares nothing and is left as written (the
    /// byte search before rewrote those too, and `<metadata charset=…>`). Session 50: the labels
    /// are the ones a browser reads (`HTMLView.declaredCharset`): a `content` without that
    /// `http-equiv` (a description's text) is left as written, and so is the `content` of a tag
    /// whose `charset` attribute decides; the label is rewritten whole (`iso_8859-1:1987`).
    @Test func onlyRealMetaTagsAreDeclaredUTF8() {
        func declared(_ s: String) -> String { String(decoding: EncodingInvalidRule.declaringUTF8(Array(s.utf8)), as: UTF8.self) }
        #expect(declared("<META HTTP-EQUIV=Content-Type CONTENT='text/html; CHARSET=Big5'>") == "<META HTTP-EQUIV=Content-Type CONTENT='text/html; CHARSET=utf-8'>")
        #expect(declared("<Meta Charset=big5-hkscs>") == "<Meta Charset=utf-8>")
        #expect(declared("<meta content=\"text/html;charset = gbk\" charset='gb2312'>") == "<meta content=\"text/html;charset = gbk\" charset='utf-8'>")
        #expect(declared("<meta http-equiv=content-type content=\"a>b; charset = 'big5'\">") == "<meta http-equiv=content-type content=\"a>b; charset = 'utf-8'\">")
        #expect(declared("<meta charset=\"iso_8859-1:1987\">") == "<meta charset=\"utf-8\">")
        for kept in [
            "<!-- <meta charset=\"big5\"> --><p>文</p>",
            "<script>var s = '<meta charset=\"big5\">';</script>",
            "<p title=\"<meta charset=big5>\">文</p>",
            "<metadata charset=big5>",
            "<meta name=\"description\" data-charset=big5>",
            "<meta name=\"x\" content=\"a>b; charset=big5\">",
            "<meta name=\"description\" content=\"網頁寫 charset=gbk 的說明\">",
        ] {
            #expect(declared(kept) == kept)
        }
        // A real one after them is still rewritten.
        #expect(declared("<!-- <meta charset=big5> --><meta charset=big5>") == "<!-- <meta charset=big5> --><meta charset=utf-8>")
    }
}
