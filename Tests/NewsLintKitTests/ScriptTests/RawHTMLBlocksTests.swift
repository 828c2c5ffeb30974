import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The spec of `ProseMask.findRawHTMLBlocks`, written plainly with strings: for each body line
/// outside a fence whose text after at most three spaces starts a type 1 or 2 block, the block runs
/// from the line's start to the end of the first closing marker from the opener on (searched line
/// by line), or to the end of the file; the next start is looked for on the line after. A line
/// that is a link reference definition (a regular expression), after the body's start, a blank
/// line, a fence's line or another definition, is a span of its own.
enum RawHTMLBlocksReference {
    static func spans(_ document: Document) -> [Range<Int>] {
        guard !document.isHTMLFile, let body = document.bodyLines else { return [] }
        var spans: [Range<Int>] = []
        var definitionLines = Set<Int>()
        var n = body.lowerBound
        while n <= body.upperBound {
            let line = document.contentRange(ofLine: n)
            let text = String(decoding: document.bytes[line], as: UTF8.self)
            let indent = text.prefix(while: { $0 == " " }).count
            let opener = String(text.dropFirst(indent)).lowercased()
            let isComment = opener.hasPrefix("<!--")
            let isElement = ["script", "pre", "style", "textarea"].contains { name in
                guard opener.hasPrefix("<" + name) else { return false }
                let after = opener.dropFirst(name.count + 1).first
                return after == nil || after == " " || after == "\t" || after == ">"
            }
            if indent <= 3, !document.isCode(line: n), opener.hasPrefix("["), isDefinition(String(text.dropFirst(indent))) {
                let previous = n > body.lowerBound ? document.lineBytes(n - 1) : []
                if n == body.lowerBound || document.isCode(line: n - 1) || previous.allSatisfy({ $0 == 0x20 || $0 == 0x09 })
                    || definitionLines.contains(n - 1) {
                    spans.append(line)
                    definitionLines.insert(n)
                }
                n += 1
                continue
            }
            guard indent <= 3, !document.isCode(line: n), isComment || isElement else { n += 1; continue }
            let markers = isComment ? ["-->"] : ["</script>", "</pre>", "</style>", "</textarea>"]
            var end: Int?
            var m = n
            while m <= body.upperBound, end == nil {
                let searched = m == n ? (line.lowerBound + indent)..<line.upperBound : document.contentRange(ofLine: m)
                let lower = Array(String(decoding: document.bytes[searched], as: UTF8.self).lowercased().utf8)
                // The earliest end of any marker (ASCII: lower-casing keeps the byte offsets).
                let ends = markers.compactMap { marker -> Int? in
                    let bytes = Array(marker.utf8)
                    guard lower.count >= bytes.count else { return nil }
                    return (0...(lower.count - bytes.count)).first { Array(lower[$0..<($0 + bytes.count)]) == bytes }.map { $0 + bytes.count }
                }
                if let first = ends.min() { end = searched.lowerBound + first } else { m += 1 }
            }
            spans.append(line.lowerBound..<(end ?? document.bytes.count))
            if end == nil { break }
            n = m + 1
        }
        return spans
    }

    /// A link reference definition on one line (no backslash escapes in the tests' pieces).
    static func isDefinition(_ line: String) -> Bool {
        let pattern = #"^\[(?!\^)[^\[\]]*[^\s\[\]][^\[\]]*\]:[ \t]*(<[^<>]*>|[^\s<]\S*)(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
              let destination = Range(match.range(at: 1), in: line) else { return false }
        guard !line[destination].hasPrefix("<") else { return true }
        // A bare destination's parentheses are balanced.
        var depth = 0
        for ch in line[destination] {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }
}

/// Raw HTML blocks of types 1 and 2 in a Markdown post (`<script>`, `<style>`, `<!-- … -->`, over
/// many lines) were read as prose by the script rules: a script's Simplified string in a
/// Traditional post was a leftover, a style's `content: "註:"` and a comment's `(一)` were marks
/// to make full-width (safe fixes inside code). They are masked now, as a fenced code block's lines.
@Suite struct RawHTMLBlocksTests {
    static let frontMatter = "---\ntitle: t\ndate: 2024-01-01\n---\n\n"
    /// A Traditional post whose script, style and comment blocks hold what the rules reported.
    static let post = frontMatter + """
        香港特區政府今日公布施政報告，市民反應熱烈。

        <script type="text/javascript">
          var label = "资料来源,请看";
          if (a) { show("說明:見下"); }
        </script>
        <STYLE>
          .note::before { content: "註:"; }
          .x { content: "（"; }
        </style>
        <!--
        舊稿:香港(一)區議會選舉，投票率創新低｡
        資料来源,待核實
        -->
        記者會上，發言人表示會繼續跟進。

        """

    @Test func theBlocksAreFoundWithTheirEnds() {
        let document = Document(path: "post.md", text: Self.post)
        let spans = ProseMask.findRawHTMLBlocks(document)
        #expect(spans.count == 3)
        let texts = spans.map { String(decoding: document.bytes[$0], as: UTF8.self) }
        #expect(texts.first?.hasPrefix("<script") == true && texts.first?.hasSuffix("</script>") == true)
        #expect(texts.dropFirst().first?.hasPrefix("<STYLE>") == true && texts.dropFirst().first?.hasSuffix("</style>") == true)
        #expect(texts.last?.hasPrefix("<!--") == true && texts.last?.hasSuffix("-->") == true)
        #expect(spans == RawHTMLBlocksReference.spans(document))
        // An HTML document's HTML view hides these already: no span is found there.
        #expect(ProseMask.findRawHTMLBlocks(Document(path: "post.html", text: Self.post)).isEmpty)
    }

    @Test func theScriptRulesLeaveTheBlocks() throws {
        for rule in ["punctuation-width", "punctuation-halfwidth", "script-mixed"] {
            let found = try RuleHarness.diagnostics(rule: rule, text: Self.post)
            #expect(found.isEmpty, "\(rule): \(found.map { "\($0.line): \($0.message)" })")
        }
    }

    /// The same text outside the blocks is prose: each rule still reports it.
    @Test func theSameTextOutsideTheBlocksIsReported() throws {
        let prose = Self.frontMatter + "香港特區政府今日公布施政報告，市民反應熱烈。\n舊稿:香港(一)區議會選舉，投票率創新低｡\n資料来源,待核實\n"
        #expect(try !RuleHarness.diagnostics(rule: "punctuation-width", text: prose).isEmpty)
        #expect(try !RuleHarness.diagnostics(rule: "punctuation-halfwidth", text: prose).isEmpty)
    }

    /// Text after the close on its line is shown by a browser and stays prose; an opener indented
    /// four spaces (an indented code block), not at the line's start, or a longer tag name opens nothing.
    @Test func whatIsNoBlockStaysProse() throws {
        let cases = [
            "<!--\n註\n--> 他說,中文\n",
            "<script>\nvar a = 1;\n</script>他說,中文\n",
            "    <!--\n他說,中文\n-->\n",
            "他說 <!--\n他說,中文\n-->\n",
            "<scripts>\n他說,中文\n</scripts>\n",
            "```\n<!--\n```\n他說,中文\n-->\n",
        ]
        for body in cases {
            let text = Self.frontMatter + body
            let fixed = try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: false)
            #expect(fixed == text.replacingOccurrences(of: "他說,中文", with: "他說，中文"), "\(body)")
        }
    }

    /// A comment never closed runs to the end of the file (a browser hides the rest of the page).
    @Test func anUnclosedCommentRunsToTheEnd() throws {
        let text = Self.frontMatter + "他說,中文\n<!-- 草稿\n他說,中文\n\n他說,中文\n"
        #expect(try RuleHarness.diagnostics(rule: "punctuation-width", text: text).map(\.line) == [6])
    }

    /// A compatibility ideograph in a comment is not reported, as in code and as in an HTML page's
    /// comment (`CodeMask`): a commented-out draft is no text of the page, and no fix rewrites it.
    @Test func compatIdeographInsideACommentIsNotReported() throws {
        let text = Self.frontMatter + "<!--\n舊稿：\u{F900}\n-->\n"
        let found = try RuleHarness.diagnostics(rule: "compat-ideograph", text: text)
        #expect(found.isEmpty, "\(found)")
    }

    /// The spans against the spec's on seeded random Markdown documents of openers, closers,
    /// indents, fences and prose; each rule's mask of each line against the spec's mask (the line's
    /// own walk started after a span carried into it).
    @Test func spansMatchTheSpec() {
        let pieces = ["<!--", "-->", "<script>", "</script>", "<STYLE ", "</Style>", "<pre", "</pre>", "<textarea>", "<scriptx>",
                      "[a]: ", "[^b]:", "[]: ", "/x(一).jpg", " \"標題\"", " (t)", "<u>", "]",
                      "    ", " ", "中文", ",", "(一)", "\n", "\n", "\n", "\n```\n", "{% a\n%}", "--", ">", "</"]
        var random = SeededRandom(seed: 4901)
        var taken = 0
        for k in 0..<1500 {
            var text = k % 5 == 0 ? "---\ntitle: <!-- 中\n---\n" : ""
            for _ in 0..<random.below(60) { text += pieces[random.below(pieces.count)] }
            let document = Document(path: "r.md", text: text)
            let spans = ProseMask.findRawHTMLBlocks(document)
            #expect(spans == RawHTMLBlocksReference.spans(document), "\(text)")
            taken += spans.count
            guard !document.bytes.isEmpty else { continue }
            let decode = document.scalars
            let across = ProseMask.spansAcrossLines(document)
            for n in 1...document.lineCount {
                let run = document.scalarRun(decode, line: n)
                let expected = LiquidAcrossLinesReference.nonProse(run, in: document)
                #expect(ProseMask.nonProse(run, in: document) == expected, "line \(n): \(text)")
                var walk = NonProseWalk(carried: across.covered(run))
                run.cps.withUnsafeElements { buf in
                    for p in 0..<run.count { #expect(walk.masks(p, buf, run.cps) == expected[p], "line \(n) scalar \(p): \(text)") }
                }
            }
        }
        #expect(taken > 300, "\(taken)")
    }

    /// Session 50: a body without `<` and without `]:` is not walked line by line (the common
    /// case, every Markdown post of agora-pen): a definition in a body without `<`, a block in one
    /// without `]`, and bodies with only near misses give the spec's spans.
    @Test func aBodyWithoutOpenersIsNotWalked() {
        let cases: [(text: String, count: Int)] = [
            ("---\ntitle: <!-- a ]:\n---\n中文段落。\n", 0),
            ("[a]: /x.jpg\n", 1),
            ("中文\n\n[圖]: /圖片/香港(一).jpg\n", 1),
            ("<!--\n中\n-->\n", 1),
            ("文字 ] : x\n[a] :x\n中文]", 0),
            ("中文]", 0),
            ("", 0),
        ]
        for c in cases {
            let document = Document(path: "a.md", text: c.text)
            let spans = ProseMask.findRawHTMLBlocks(document)
            #expect(spans.count == c.count && spans == RawHTMLBlocksReference.spans(document), "\(c.text)")
        }
    }

    /// 100,000 lines each opening a comment that no line closes, and as many closed on their own
    /// line: each line is read once (a search from each opener to the end read the file per line).
    @Test func manyOpenersAreReadOnce() {
        let lines = 100_000
        let unclosed = Document(path: "u.md", text: String(repeating: "<!-- 中文\n", count: lines))
        #expect(ProseMask.findRawHTMLBlocks(unclosed) == [0..<unclosed.bytes.count])
        let closed = Document(path: "c.md", text: String(repeating: "<!-- 中文 -->\n", count: lines))
        #expect(ProseMask.findRawHTMLBlocks(closed).count == lines)
    }

    /// A reference definition's bare path (`/圖片/香港(一).jpg`) and title were prose: `(一)` and the
    /// title's comma were made full-width (safe fixes of an address). The line is masked.
    @Test func aLinkDefinitionIsNotProse() throws {
        let text = Self.frontMatter + "記者會上，發言人表示會繼續跟進[一][圖一]。\n\n[圖一]: /圖片/香港(一).jpg\n[1]: https://x.hk/a(b).html \"香港(一),標題\"\n"
            + "  [2]: <圖片/香港(一) 新.jpg> '標題,說明'\n"
        #expect(try RuleHarness.diagnostics(rule: "punctuation-width", text: text).isEmpty)
        let document = Document(path: "a.md", text: text)
        #expect(ProseMask.findRawHTMLBlocks(document).count == 3)
        #expect(ProseMask.findRawHTMLBlocks(document) == RawHTMLBlocksReference.spans(document))
    }

    /// What is no definition stays prose: a footnote (`[^1]:` is text), a line inside a paragraph
    /// (a definition cannot interrupt one), a destination followed by text that is no title.
    @Test func whatIsNoDefinitionStaysProse() throws {
        for body in ["[^1]: 他說,中文\n", "第一段。\n[注]: 他說,中文\n", "[注]: 這是 他說,中文\n", "[注]: a(b 他說,中文\n"] {
            let text = Self.frontMatter + body
            let fixed = try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: false)
            #expect(fixed == text.replacingOccurrences(of: "他說,中文", with: "他說，中文"), "\(body)")
        }
    }

    @Test func unionJoinsOverlappingAndTouchingRanges() {
        #expect(ProseMask.union([0..<3, 10..<12], [2..<5, 12..<13, 20..<21]) == [0..<5, 10..<13, 20..<21])
        #expect(ProseMask.union([], [1..<2]) == [1..<2])
    }
}
