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

    /// Backtick runs of 1, 2, … 630 scalars with none closed (200,000 scalars on one line): each
    /// opener searched the rest of the line for a run of its length (each length fails once, but
    /// √n lengths × n scalars: 8·10⁷ steps here, ~10⁹ on a 1 MB line). Now the first search that
    /// finds no close notes the last run of every length after it, and a later opener is answered
    /// from that; nothing on the line is masked.
    @Test func aLineOfUnclosedBacktickRunsIsReadOnce() throws {
        var line = ""
        for length in 1...630 { line += "中" + String(repeating: "`", count: length) }
        let document = Document(path: "b.md", bytes: Array((line + "\n").utf8))
        let run = document.scalarRun(document.scalars, line: 1)
        var unclosed = ProseMask.BacktickUnclosed()
        var found = 0
        run.cps.withUnsafeElements { c in
            var i = 0
            while i < c.count {
                guard c[i] == 0x60 else { i += 1; continue }
                var k = i
                while k < c.count && c[k] == 0x60 { k += 1 }
                if ProseMask.codeSpanEnd(c, at: i, length: k - i, unclosed: &unclosed) != nil { found += 1 }
                i = k
            }
        }
        #expect(found == 0)
        #expect(unclosed.steps < 2 * run.count, "\(unclosed.steps) steps")
        #expect(!ProseMask.nonProse(run).contains(true))
        let text = Self.frontMatter + "他說,中文" + line + "\n"
        #expect(try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: false) == Self.frontMatter + "他說，中文" + line + "\n")
    }

    /// The code spans of the search from every opener (the scan before the note above), on lines
    /// of backticks, letters and Han: the mask and the punctuation-width walk find the same.
    @Test func codeSpansAreThoseOfTheSearchFromEveryOpener() {
        var generator = SeededRandom(seed: 47)
        let pieces = ["`", "``", "```", "a", "中", " "]
        for _ in 0..<400 {
            let line = (0..<Int.random(in: 1...24, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "a" }.joined()
            let document = Document(path: "b.md", bytes: Array((line + "\n").utf8))
            let run = document.scalarRun(document.scalars, line: 1)
            let c = Array(run.cps)
            var expected = [Bool](repeating: false, count: c.count)
            var i = 0
            while i < c.count {
                guard c[i] == 0x60 else { i += 1; continue }
                var k = i
                while k < c.count && c[k] == 0x60 { k += 1 }
                var j = k, close = -1
                while j < c.count {
                    if c[j] == 0x60 {
                        var e = j
                        while e < c.count && c[e] == 0x60 { e += 1 }
                        if e - j == k - i { close = e; break }
                        j = e
                    } else { j += 1 }
                }
                if close > 0 { for x in i..<close { expected[x] = true }; i = close } else { i = k }
            }
            #expect(ProseMask.nonProse(run) == expected, "\(line)")
            var walk = NonProseWalk()
            let walked = run.cps.withUnsafeElements { buf in (0..<c.count).map { walk.masks($0, buf, run.cps) } }
            #expect(walked == expected, "\(line)")
        }
    }
}
