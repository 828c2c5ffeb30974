import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `body-empty`'s Markdown walk on openers left unclosed (`![`, `](`, `<a` with no `](`, `)` or `>`
/// after them on the line): each searched the rest of its line again, quadratic on a line of them
/// (400 KB of `![` ran for minutes; the per-file budget, asked between rules, did not stop it).
/// The searches now remember their last answer (`ForwardSearchMemo`): the walk's step count is
/// asserted, never a time, and its results against the plain walk it keeps
/// (`DocumentRulesCPUEquivalenceTests.referenceMarkdownBodyText`).
@Suite struct BodyTextUnclosedMarkupTests {
    typealias Reference = DocumentRulesCPUEquivalenceTests

    static func markdown(_ body: String) -> Document {
        Document(path: "a.md", bytes: Array(("---\ntitle: t\ndate: 2024-01-01\n---\n" + body).utf8))
    }

    /// A line of 40,000 bytes of each opener: the searches scan each byte of it a few times at most
    /// (each of them once; before, ~10^8 bytes an opener kind); the letters are those the plain walk counts.
    @Test func unclosedOpenersAreScannedOnce() {
        let cases: [(opener: String, lettersPerOpener: Int)] = [
            ("![", 0), ("![]", 0), ("[](", 0), ("![](", 0), ("<!", 0), ("</", 0), ("<a", 1), ("![x](", 1), ("](", 0), ("![x]", 1),
        ]
        for (opener, lettersPerOpener) in cases {
            let count = 40_000 / opener.utf8.count
            for lineEnd in ["", "\n", "\n正文"] {
                let body = String(repeating: opener, count: count) + lineEnd
                let text = BodyText(Self.markdown(body), limit: .max)
                #expect(text.scannedForClosers <= 4 * body.utf8.count, "\(opener) \(lineEnd.debugDescription): \(text.scannedForClosers) bytes scanned")
                #expect(text.letters == count * lettersPerOpener + (lineEnd == "\n正文" ? 2 : 0), "\(opener) \(lineEnd.debugDescription)")
                #expect(text.hasContent)
            }
        }
    }

    /// The probe's file through the linter: 400 KB of `![` is a body without text, found at once.
    @Test func probeFileIsReportedAsABodyWithoutText() throws {
        let bytes = Array(("---\ntitle: t\ndate: 2024-01-01\n---\n" + String(repeating: "![", count: 200_000) + "\n").utf8)
        let findings = try RuleHarness.diagnostics(rule: "body-empty", bytes: bytes, path: "a.md")
        #expect(findings.map(\.rule) == ["body-empty"])
        #expect(findings.first?.message.hasPrefix("body has no text") == true, "\(findings.map(\.message))")
    }

    /// Link and image syntax the memo must not change: nested and escaped brackets, a second image
    /// or link before the first closes, openers unclosed at the end of the file or of a line, code
    /// spans and fences, tags and comments around them.
    static let trickyPieces = ["![", "[", "]", "](", "(", ")", "!", "\\[", "\\]", "\\(", "\\)", "`", "``", "<a", "<!", "</", "<", ">", "<b>",
                               "<!--", "-->", "<script>", "</script>", "\n", "\r\n", "```\n", " ", "a", "中", "新聞", "x.png", "![x](y.png)",
                               "[t](u)", "![[n]](m)", "![a [b] c](d)", "http://a.b/(c)", "&amp;", "&#20013;"]

    static let trickyCases = [
        "![a](b", "![a]", "![a](", "[a](b", "![", "](", "<a", "![a](b)![c](d", "![a](b ![c](d)", "![a ![b](c) d](e)",
        "![\\[a\\]](b)", "![a\\](b)", "![a](b\\)c)", "`![a](b)`", "`![a`](b)", "```\n![a](b)\n```\n![c](d", "![a\n](b)", "![a](\nb)",
        "](a)](b", "[a](<b>)", "<a href=\"x\">![b](c)</a>", "<!-- ![a](b -->", "![a](b)<x", "<x ![a](b) >", "![a](b) <a\n>c",
        "![](![](![](x)", "[[[]]](((", "![x](y)z](w)", "<b>中</b>![图](p.png)<i", "新聞![圖片](a.png)報道](鏈接)正文",
    ]

    @Test func trickyLinkAndImageSyntaxMatchesThePlainWalk() {
        for body in Self.trickyCases {
            for limit in [1, 3, .max] {
                let document = Self.markdown(body)
                let text = BodyText(document, limit: limit), plain = Reference.referenceMarkdownBodyText(document, limit: limit)
                #expect(text.letters == plain.letters && text.hash == plain.hash && text.hasContent == plain.hasContent, "\(body.debugDescription) limit \(limit)")
            }
        }
        var rng = SeededRandom(seed: 45_005)
        for n in 0..<6_000 {
            let body = Reference.randomString(Self.trickyPieces, maxPieces: 80, &rng)
            let limit = [1, 5, 30, .max][rng.below(4)]
            let document = Self.markdown(body)
            let text = BodyText(document, limit: limit), plain = Reference.referenceMarkdownBodyText(document, limit: limit)
            #expect(text.letters == plain.letters && text.hash == plain.hash && text.hasContent == plain.hasContent, "\(n) limit \(limit): \(body.debugDescription)")
            let counted = BodyText(document, limit: limit, hashing: false)
            #expect(counted.letters == plain.letters && counted.hasContent == plain.hasContent, "\(n) limit \(limit), count only")
        }
    }
}
