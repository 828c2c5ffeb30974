import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// What the safe fixes of `compat-ideograph`, `invisible-char` and `mojibake` do inside the spans
/// `ProseMask` keeps prose rules out of: a bare URL, a Markdown link destination, a Liquid tag and
/// a code span (an HTML attribute is out of visible text, which these rules already keep to).
@Suite struct NonProseFixTests {
    static let frontMatter = "---\ntitle: t\ndate: 2024-01-01\n---\n\n市民在網上查看新聞，內容如下，記者其後聯絡該校。\n\n"

    /// `x` in a bare URL, a link destination, a Liquid tag, a code span, then in prose (lines 8–12 … 16).
    static func text(_ x: String) -> String {
        frontMatter + "網址 https://example.com/\(x)/page 可以查看。\n\n請看[報道](https://example.com/\(x).html)的內容。\n\n"
            + "{% include \(x).html %}\n\n代碼 `a\(x)b` 在這裏。\n\n正文\(x)正文。\n"
    }

    /// Each finding's line and whether its fix is safe (nil: no fix).
    static func fixes(_ rule: String, _ text: String) throws -> [Int: Applicability?] {
        var result: [Int: Applicability?] = [:]
        for d in try RuleHarness.diagnostics(rule: rule, text: text) { result[d.line] = d.fix?.applicability }
        return result
    }

    /// A compatibility ideograph in an address or a template tag is what the server or the
    /// template reads: replacing it changes which page or file is meant. Reported, with the
    /// replacement offered as unsafe only; in prose it stays safe; in code not reported
    /// (`aCompatibilityIdeographInCodeIsNotReported`).
    @Test func aCompatibilityIdeographOutsideProseIsReplacedOnlyAsAnUnsafeFix() throws {
        let text = Self.text("\u{F900}")
        #expect(try Self.fixes("compat-ideograph", text) == [8: .unsafe, 10: .unsafe, 12: .unsafe, 16: .safe])
        let safe = try RuleHarness.fixed(rule: "compat-ideograph", text: text, unsafe: false)
        #expect(safe == text.replacingOccurrences(of: "正文\u{F900}正文", with: "正文\u{8C48}正文"))
    }

    /// A code span ends at its closing backticks: a URL or tag written right after it is not code
    /// (the line's non-prose mask runs them together; `CodeMask` pairs the backticks itself).
    @Test func anAddressRightAfterACodeSpanIsNotCode() throws {
        let text = Self.frontMatter + "見 `a`https://x.hk/\u{F900}.jpg 的圖。\n\n見 `a`<span title=\"\u{F900}\">圖</span>。\n"
        #expect(try Self.fixes("compat-ideograph", text) == [8: .unsafe, 10: .unsafe])
    }

    /// `x` in a fenced code block, a raw `<script>` block, a comment over lines, a code span, then
    /// in prose (lines 9, 13, 17, 20, 22).
    static func codeText(_ x: String) -> String {
        frontMatter + "```js\nvar s = \"a\(x)b\";\n```\n\n<script>\nvar t = \"a\(x)b\";\n</script>\n\n<!--\n草稿\(x)草稿\n-->\n\n代碼 `a\(x)b` 在這裏。\n\n正文\(x)正文。\n"
    }

    /// In code (a fence, a script block, a comment, a code span) a compatibility ideograph is the
    /// program's or the sample's text, as in an HTML page's `<code>` and `<script>`, where the
    /// sink drops the finding: not reported, and no fix rewrites it. Before, the fence, the script
    /// and the comment got a safe fix.
    @Test func aCompatibilityIdeographInCodeIsNotReported() throws {
        let text = Self.codeText("\u{F900}")
        #expect(try Self.fixes("compat-ideograph", text) == [22: .safe])
        #expect(try RuleHarness.fixed(rule: "compat-ideograph", text: text, unsafe: true) == text.replacingOccurrences(of: "正文\u{F900}正文", with: "正文\u{8C48}正文"))
    }

    /// In an HTML document a backtick is shown as written, not a code span (its code is `<code>`,
    /// which the sink keeps these rules out of): the character between backticks is reported.
    @Test func backticksInAnHTMLDocumentAreNotCode() throws {
        let html = "<html><body><p>代碼 `a\u{F900}b` 在這裏。</p>\n<p><code>a\u{F900}b</code></p></body></html>\n"
        let found = try RuleHarness.diagnostics(rule: "compat-ideograph", text: html, path: "a.html")
        #expect(found.map(\.line) == [1])
    }

    /// A zero-width space or a bidirectional control breaks a link or a tag wherever it is:
    /// removing it stays a safe fix there. In a code span it is reported, removed as an unsafe fix
    /// (`anInvisibleCharacterInCodeIsRemovedOnlyAsAnUnsafeFix`).
    @Test(arguments: ["\u{200B}", "\u{202E}", "\u{00AD}"])
    func anInvisibleCharacterIsRemovedEverywhere(x: String) throws {
        let text = Self.text(x)
        #expect(try Self.fixes("invisible-char", text) == [8: .safe, 10: .safe, 12: .safe, 14: .unsafe, 16: .safe])
        #expect(try RuleHarness.fixed(rule: "invisible-char", text: text, unsafe: true) == text.replacingOccurrences(of: x, with: ""))
    }

    /// In code (a fence, a script block, a comment, a code span) an invisible character is still
    /// reported (a bidirectional control in source is how code is made to read other than it
    /// runs), but a sample may show it on purpose: removed only as an unsafe fix. Before, every
    /// one was removed by a safe fix.
    @Test(arguments: ["\u{200B}", "\u{202E}"])
    func anInvisibleCharacterInCodeIsRemovedOnlyAsAnUnsafeFix(x: String) throws {
        let text = Self.codeText(x)
        #expect(try Self.fixes("invisible-char", text) == [9: .unsafe, 13: .unsafe, 17: .unsafe, 20: .unsafe, 22: .safe])
        #expect(try RuleHarness.fixed(rule: "invisible-char", text: text, unsafe: false) == text.replacingOccurrences(of: "正文\(x)正文", with: "正文正文"))
    }

    /// A zero-width joiner in an emoji sequence is part of the emoji, in code as in prose.
    @Test func aJoinerInAnEmojiSequenceIsNotReportedInCode() throws {
        #expect(try Self.fixes("invisible-char", Self.codeText("👨\u{200D}👩")).isEmpty)
    }

    /// `char-lost` keeps out of code as an HTML page's code elements are kept out: a private-use
    /// character there is mostly an icon font's glyph, written on purpose. Before, only the
    /// fence was skipped.
    @Test func aPrivateUseCharacterInCodeIsNotReported() throws {
        let text = Self.codeText("\u{F007}")
        let found = try RuleHarness.diagnostics(rule: "char-lost", text: text)
        #expect(found.map(\.line) == [22], "\(found.map { "\($0.line): \($0.message)" })")
    }

    /// Mojibake in an address, a template tag or code: the repair is what was meant, but a site's
    /// own slug may be the damaged text (a page served under it), and code may show damage on
    /// purpose (an article about 亂碼). Repaired as an unsafe fix there; in prose it stays safe.
    @Test func mojibakeOutsideProseIsRepairedOnlyAsAnUnsafeFix() throws {
        let clean = "市教育局昨日召开新闻发布会"
        let text = Self.text(MojibakeTests.asCP1252(clean))
        #expect(try Self.fixes("mojibake", text) == [8: .unsafe, 10: .unsafe, 12: .unsafe, 14: .unsafe, 16: .safe])
        #expect(try RuleHarness.fixed(rule: "mojibake", text: text, unsafe: true) == Self.text(clean))
    }

    /// Mojibake inside a Liquid tag written over lines or a raw `<script>` block (lines 9, 12; prose
    /// on 15): the line's own walk does not see a span opened on an earlier line, which the rest of
    /// the family masks (`ProseMask.spansAcrossLines`). Before, both repairs were safe.
    @Test func mojibakeInASpanAcrossLinesIsRepairedOnlyAsAnUnsafeFix() throws {
        let bad = MojibakeTests.asCP1252("市教育局昨日召开新闻发布会")
        let text = Self.frontMatter + "{% include figure.html\n   caption=\"\(bad)\" %}\n\n<script>\nvar s = \"\(bad)\";\n</script>\n\n正文\(bad)。\n"
        #expect(try Self.fixes("mojibake", text) == [9: .unsafe, 12: .unsafe, 15: .safe])
    }
}
