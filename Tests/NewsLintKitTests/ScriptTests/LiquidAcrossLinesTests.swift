import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The spec of `LiquidAcrossLines`, written plainly (a search from every open to its close, every
/// line between read): each `{%` or `{{` of the body, in order, is closed by the first `%}` or `}}`
/// after it and reading goes on after that close; a tag whose close lies on a later line, at most
/// `linesAfterOpen` lines on, with no blank line between and no line of a fenced code block among
/// its lines, is a span. Any other open is passed over by one byte.
enum LiquidAcrossLinesReference {
    static func spans(_ document: Document) -> [Range<Int>] {
        let b = document.bytes
        var spans: [Range<Int>] = []
        var i = document.bodyStart
        while i + 1 < b.count {
            guard b[i] == 0x7B, b[i + 1] == 0x25 || b[i + 1] == 0x7B else { i += 1; continue }
            let closeFirst: UInt8 = b[i + 1] == 0x25 ? 0x25 : 0x7D
            var j = i + 2
            while j + 1 < b.count, b[j] != closeFirst || b[j + 1] != 0x7D { j += 1 }
            guard j + 1 < b.count else { i += 1; continue }
            let open = document.line(ofByte: i), close = document.line(ofByte: j)
            if open == close { i = j + 2; continue }
            let blank = ((open + 1)..<close).contains { k in document.lineBytes(k).allSatisfy { $0 == 0x20 || $0 == 0x09 } }
            let code = (open...close).contains { document.isCode(line: $0) }
            if close - open <= LiquidAcrossLines.linesAfterOpen && !blank && !code {
                spans.append(i..<(j + 2))
                i = j + 2
            } else {
                i += 1
            }
        }
        return spans
    }

    /// The prose mask of `run` (a line or an HTML block of `document`): the scalars in a span; the
    /// line's own spans (`ProseMask.nonProse`) walked from the first scalar after the span carried
    /// into it; in an HTML document, the scalars outside visible text.
    static func nonProse(_ run: ScalarRun, in document: Document) -> [Bool] {
        // With a Markdown document's raw HTML blocks (`RawHTMLBlocksReference`), which the rules mask alike.
        let spans = spans(document) + RawHTMLBlocksReference.spans(document)
        let inSpan = (0..<run.count).map { i in spans.contains { $0.contains(run.offsets[i]) } }
        let head = inSpan.firstIndex(of: false) ?? run.count
        var mask = ProseMask.nonProse(run, from: head)
        for i in 0..<run.count where inSpan[i] { mask[i] = true }
        if document.isHTMLFile { document.html.forEachHiddenRange(run) { r in for x in r { mask[x] = true } } }
        return mask
    }
}

/// Liquid tags and outputs opened on one line and closed on a later one (`LiquidAcrossLines`): the
/// prose rules read the lines they cover as prose, and `punctuation-width` made a safe fix of the
/// `(一)` in an include's image path on its second line, which breaks the image.
@Suite struct LiquidAcrossLinesTests {
    static let frontMatter = "---\ntitle: t\ndate: 2024-01-01\n---\n\n"
    /// A Traditional news text with a multi-line include holding `(一)` in its path, `､` between Han
    /// in its `alt`, and `图` (Simplified) and an ASCII comma in its caption; the last line's ASCII
    /// comma is prose.
    static func fixture() throws -> String {
        try String(contentsOf: PackagePaths.root.appendingPathComponent("Tests/NewsLintKitTests/Fixtures/script/liquid-across-lines.md"), encoding: .utf8)
    }

    /// `punctuation-width` reported the path's `(一)` (a safe fix) and the caption's comma; only the
    /// prose line's comma is left, in Markdown and in an HTML file's text.
    @Test(arguments: ["liquid.md", "liquid.html"])
    func punctuationWidthLeavesAnIncludeAcrossLines(path: String) throws {
        let text = try Self.fixture()
        #expect(try RuleHarness.diagnostics(rule: "punctuation-width", text: text, path: path).map(\.line) == [13])
        #expect(try RuleHarness.fixed(rule: "punctuation-width", text: text, path: path, unsafe: true)
            == text.replacingOccurrences(of: "看到,很多", with: "看到，很多"))
    }

    /// `punctuation-halfwidth` made the `alt`'s `､` a safe `、`.
    @Test(arguments: ["liquid.md", "liquid.html"])
    func punctuationHalfwidthLeavesAnIncludeAcrossLines(path: String) throws {
        let text = try Self.fixture()
        #expect(try RuleHarness.diagnostics(rule: "punctuation-halfwidth", text: text, path: path).isEmpty)
    }

    /// `script-mixed` reported the caption's `图` as a Simplified leftover; a `图` in the prose still is.
    @Test(arguments: ["liquid.md", "liquid.html"])
    func scriptMixedLeavesAnIncludeAcrossLines(path: String) throws {
        let text = try Self.fixture()
        #expect(try RuleHarness.diagnostics(rule: "script-mixed", text: text, path: path).isEmpty)
        let withLeftover = text.replacingOccurrences(of: "場面非常熱鬧", with: "图片非常熱鬧")
        #expect(try RuleHarness.diagnostics(rule: "script-mixed", text: withLeftover, path: path).map(\.line) == [13])
    }

    /// `compat-ideograph` keeps its fix of a compatibility ideograph inside the include only unsafe
    /// (a path), as on a tag's own line.
    @Test func compatIdeographFixInsideAnIncludeAcrossLinesIsUnsafe() throws {
        let text = Self.frontMatter + "{% include figure.html\n   src=\"/圖片/\u{F900}.jpg\" %}\n"
        let found = try RuleHarness.diagnostics(rule: "compat-ideograph", text: text)
        #expect(found.count == 1 && found.first?.fix?.applicability == .unsafe, "\(found)")
    }

    /// An output `{{ … }}` across lines, and the text after a close on its line: prose again, its
    /// walk started after the close (the backtick in the tag opens no code span over the prose).
    @Test func theTextAfterACloseIsProse() throws {
        let text = Self.frontMatter + "{{ page.標題\n   | append: \"(一)\" }}他說,中文\n{% include a.html\n   t=\"`\" %}他說,中文 `code`\n"
        let fixed = try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: false)
        #expect(fixed == text.replacingOccurrences(of: "他說,中文", with: "他說，中文"))
    }

    /// Where a tag is not taken, its lines are prose: no close at all, a blank line before the
    /// close, a fenced code block between, or a close more than `linesAfterOpen` lines on.
    @Test func anOpenWithoutACloseInItsParagraphMasksNothing() throws {
        let prose = "他說,中文\n"
        for text in [Self.frontMatter + "{% include a.html\n" + prose + prose,
                     Self.frontMatter + "{{ a\n" + prose + "\n" + prose + "}}\n",
                     Self.frontMatter + "{% include a.html\n" + prose + "```\n中,文\n```\n" + prose + "%}\n"] {
            let fixed = try RuleHarness.fixed(rule: "punctuation-width", text: text, unsafe: false)
            #expect(fixed == text.replacingOccurrences(of: "他說,中文", with: "他說，中文"), "\(text)")
        }
        let bound = LiquidAcrossLines.linesAfterOpen
        for between in [bound - 1, bound] {
            let text = Self.frontMatter + "{% include a.html\n" + String(repeating: prose, count: between) + "%}\n"
            let found = try RuleHarness.diagnostics(rule: "punctuation-width", text: text)
            // A close `bound` lines after its open is taken; one line further it is not.
            #expect(found.count == (between + 1 <= bound ? 0 : between), "\(between) lines between")
        }
    }

    /// 40,000 lines each opening a `{%` or `{{`, closed only on the last line: a search from each
    /// open to its close read the rest of the file, ~10¹⁰ steps. Each search now starts where the
    /// last one of its kind ended while its close lies ahead, so the file is read once per kind.
    /// Only the opens within `linesAfterOpen` lines of the close are taken, the first of them.
    @Test func manyOpensClosedOnlyAtTheEndAreReadOnce() {
        let lines = 40_000
        var text = Self.frontMatter
        for k in 0..<lines { text += (k % 2 == 0 ? "{%" : "{{") + "中文,中文\n" }
        text += "%} }}\n"
        let document = Document(path: "many.md", text: text)
        let last = document.lineCount
        let firstTaken = last - LiquidAcrossLines.linesAfterOpen
        let spans = ProseMask.spansAcrossLines(document).spans
        #expect(spans.count == 1)
        #expect(spans.first.map { document.line(ofByte: $0.lowerBound) } == firstTaken)
        #expect(spans.first.map { document.line(ofByte: $0.upperBound - 1) } == last)
        var sink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
        PunctuationWidthRule(options: RuleOptions()).check(document, into: &sink)
        #expect(sink.diagnostics.count == lines - LiquidAcrossLines.linesAfterOpen)
        #expect(sink.diagnostics.last?.line == firstTaken - 1)
    }

    /// The spans against the spec's on seeded random documents of opens, closes, blank lines,
    /// fences and prose; and each rule's mask of each line against the spec's mask.
    @Test func spansMatchTheSpec() {
        let pieces = ["{%", "%}", "{{", "}}", "{", "}", "%", "中文", ",", "(一)", " ", "\n", "\n", "\n", "\n\n", "\n  \n", "\n```\n",
                      "`", "<b>", "](x)", "https://x.cn/中", "{% a %}", "{{ b }}"]
        var random = SeededRandom(seed: 4801)
        var taken = 0, carriedLines = 0
        for k in 0..<1500 {
            var text = k % 3 == 0 ? "---\ntitle: {% 中\n---\n" : ""
            for _ in 0..<random.below(80) { text += pieces[random.below(pieces.count)] }
            let document = Document(path: k % 4 == 0 ? "r.html" : "r.md", text: text)
            let spans = ProseMask.findLiquidAcrossLines(document)
            #expect(spans == LiquidAcrossLinesReference.spans(document), "\(text)")
            taken += spans.count
            guard !document.bytes.isEmpty else { continue }
            let liquid = ProseMask.spansAcrossLines(document)
            let decode = document.scalars
            for n in 1...document.lineCount {
                let run = document.scalarRun(decode, line: n)
                if LiquidAcrossLines.head(liquid.covered(run)) > 0 { carriedLines += 1 }
                let expected = LiquidAcrossLinesReference.nonProse(run, in: document)
                #expect(ProseMask.nonProse(run, in: document) == expected, "line \(n): \(text)")
                let fast = ProseMask.nonProseIfAny(run, in: document)
                #expect((0..<run.count).map { fast[$0] } == expected, "line \(n): \(text)")
                // `punctuation-width`'s walk (Markdown: the HTML view is asked apart), at every scalar in order.
                guard !document.isHTMLFile else { continue }
                var walk = NonProseWalk(carried: liquid.covered(run))
                run.cps.withUnsafeElements { buf in
                    for p in 0..<run.count { #expect(walk.masks(p, buf, run.cps) == expected[p], "line \(n) scalar \(p): \(text)") }
                }
            }
        }
        #expect(taken > 200 && carriedLines > 300, "\(taken) \(carriedLines)")
    }
}
