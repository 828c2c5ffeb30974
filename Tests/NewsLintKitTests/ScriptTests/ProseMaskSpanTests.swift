import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Spans `ProseMask` keeps prose rules out of, found by a probe of the safe fixes: each was
/// rewritten as prose before.
@Suite struct ProseMaskSpanTests {
    static let frontMatter = "---\ntitle: t\ndate: 2024-01-01\n---\n\n"

    /// The length `ProseMask.urlLength` gives the URL at the start of `text`, in scalars.
    static func urlLength(_ text: String) -> Int? {
        let document = Document(path: "u.md", bytes: Array((text + "\n").utf8))
        let run = document.scalarRun(document.scalars, line: 1)
        return ProseMask.urlLength(run.cps, at: 0)
    }

    /// A URL holding Han (an IRI) runs on past it: `punctuation-width` made the parentheses of
    /// `銀河(消歧義)` full-width, which links another page.
    @Test(arguments: ["url.md", "url.html"])
    func aURLHoldingHanIsNotRewritten(path: String) throws {
        let line = "參見 https://zh.wikipedia.org/wiki/銀河(消歧義) 一文。"
        let text = Self.frontMatter + (path.hasSuffix(".html") ? "<p>\(line)</p>\n" : line + "\n")
        #expect(try RuleHarness.diagnostics(rule: "punctuation-width", text: text, path: path).isEmpty)
        #expect(try RuleHarness.fixed(rule: "punctuation-width", text: text, path: path, unsafe: true) == text)
    }

    /// Where a URL ends: whitespace and full-width punctuation end it, trailing ASCII sentence
    /// punctuation and an unbalanced `)` are left out, balanced parentheses are kept.
    @Test func whereAURLEnds() {
        let wiki = "https://zh.wikipedia.org/wiki/銀河(消歧義)"
        #expect(Self.urlLength(wiki) == wiki.unicodeScalars.count)
        #expect(Self.urlLength(wiki + " 一文") == wiki.unicodeScalars.count)
        #expect(Self.urlLength(wiki + "。") == wiki.unicodeScalars.count)
        #expect(Self.urlLength(wiki + "，見") == wiki.unicodeScalars.count)
        #expect(Self.urlLength(wiki + ")") == wiki.unicodeScalars.count)
        #expect(Self.urlLength(wiki + "）") == wiki.unicodeScalars.count)
        #expect(Self.urlLength(wiki + "\u{3000}") == wiki.unicodeScalars.count)
        #expect(Self.urlLength("http://x.cn/a.") == 13)
        #expect(Self.urlLength("http://x.cn/a).") == 13)
        #expect(Self.urlLength("http://x.cn/a_(b)") == 17)
        #expect(Self.urlLength("www.香港.hk/新聞」") == 12)
        #expect(Self.urlLength("wWW.X.CN") == 8)
        #expect(Self.urlLength("ww\u{0E}x") == nil)
    }

    /// An ASCII `,;!?` before Han stays in a URL: it may be the IRI's (`…/wiki/香港;澳門`,
    /// `…/香港,新聞.html`), where cutting the URL there let a safe fix rewrite it. The sentence's
    /// comma in `網址https://x.cn/新聞,請查看` goes unreported: when unsure, the text as published wins.
    @Test func sentencePunctuationBeforeHanStaysInAURL() throws {
        #expect(Self.urlLength("https://x.cn/新聞,請查看") == 19)
        #expect(Self.urlLength("https://x.cn/新聞?請") == 17)
        #expect(Self.urlLength("https://x.cn/a?b=1,2") == 20)
        #expect(Self.urlLength("https://x.cn/銀河(消歧義)!請") == 22)
        #expect(Self.urlLength("https://zh.wikipedia.org/wiki/香港;澳門 收錄") == 35)
        for line in ["網址https://x.cn/新聞,請查看",
                     "文章見 https://blog.example.com/2024/11/01/香港,新聞.html 一文。",
                     "原文：https://zh.wikipedia.org/wiki/香港;澳門 收錄。"] {
            let text = Self.frontMatter + line + "\n"
            #expect(try RuleHarness.diagnostics(rule: "punctuation-width", text: text).isEmpty)
            #expect(try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: true) == text)
        }
    }

    /// A name separator inside an IRI is the URL's: `punctuation-halfwidth` made the `･` of
    /// `https://x.jp/大阪･関西` a safe `・`, which links another page.
    @Test func aNameSeparatorStaysInAURL() throws {
        #expect(Self.urlLength("https://x.jp/大阪･関西 をご覧") == 18)
        #expect(Self.urlLength("https://zh.wikipedia.org/wiki/唐納德·特朗普。") == 37)
        let text = Self.frontMatter + "詳細は https://x.jp/大阪･関西 をご覧ください。\n"
        #expect(try RuleHarness.diagnostics(rule: "punctuation-halfwidth", text: text).isEmpty)
        #expect(try RuleHarness.fixed(rule: "punctuation-halfwidth", text: text, unsafe: true) == text)
    }

    /// Liquid tags and outputs are not prose, as code spans are not: `punctuation-width` made the
    /// `(一)` of an image path and the `,` of a post's name full-width.
    @Test func liquidTagsAreNotRewritten() throws {
        let text = Self.frontMatter + """
            {% include image.html src="/圖片/香港(一).jpg" %}
            {% post_url 2024-11-01-香港,新聞 %}
            {{ page.標題 | append: "(一)" }}

            """
        #expect(try RuleHarness.diagnostics(rule: "punctuation-width", text: text).isEmpty)
        #expect(try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: true) == text)
        #expect(try RuleHarness.fixed(rule: "punctuation-halfwidth", text: Self.frontMatter + "{% include a.html t=\"香港･新聞\" %}\n", unsafe: true)
            == Self.frontMatter + "{% include a.html t=\"香港･新聞\" %}\n")
    }

    /// Only a tag closed on its line is masked: the prose around it, and after an unclosed `{%`, is
    /// still checked.
    @Test func proseBesideALiquidTagIsStillChecked() throws {
        let text = Self.frontMatter + "他說,中文 {% raw %}中文{% endraw %} 好(一)\n{%中文,中文\n"
        let fixed = try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: false)
        #expect(fixed == Self.frontMatter + "他說，中文 {% raw %}中文{% endraw %} 好（一）\n{%中文，中文\n")
    }

    /// A line of unclosed `{{` or `{%` (1 MB): each open searched the rest of the line for its
    /// close, about 10¹¹ steps per line. Now a search that finds none is remembered for the line,
    /// so the line is read once per kind, and nothing on it is masked.
    @Test(arguments: ["{{", "{%"])
    func aLineOfUnclosedLiquidOpensIsReadOnce(open: String) {
        let line = String(repeating: open, count: 500_000)
        let document = Document(path: "l.md", bytes: Array((line + "\n").utf8))
        let run = document.scalarRun(document.scalars, line: 1)
        var unclosed = ProseMask.LiquidUnclosed()
        var found = 0
        run.cps.withUnsafeElements { c in
            for i in 0..<c.count where ProseMask.liquidLength(c, at: i, unclosed: &unclosed) != nil { found += 1 }
        }
        #expect(found == 0)
        #expect(unclosed.steps < 2 * run.count, "\(unclosed.steps) steps")
        #expect(!ProseMask.nonProse(run).contains(true))
        let text = Self.frontMatter + "他說,中文" + line + "\n"
        let fixed = try? RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: false)
        #expect(fixed == Self.frontMatter + "他說，中文" + line + "\n")
    }
}
