import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// A full-width `（` closed by an ASCII `)`, or an ASCII `(` by a full-width `）`, went unreported
/// (~25 pairs in agora-pen: `苏梅（Sumy)发动空袭`, `（中央社台北1日電)`, `(路透社）`): `punctuation-width`
/// paired ASCII parentheses only, and a `)` after Latin text is none of its marks. Both widths now
/// pair on one stack; a mixed pair in Chinese text takes the full width.
@Suite struct PunctuationWidthMixedParenthesesTests {
    static let fm = "---\ntitle: t\ndate: 2024-11-21\n---\n"

    static func findings(_ body: String, path: String = "a.md") throws -> [Diagnostic] {
        try RuleHarness.diagnostics(rule: "punctuation-width", text: fm + body, path: path)
    }

    static func fixed(_ body: String, path: String = "a.md", unsafe: Bool = false) throws -> String {
        let text = try RuleHarness.fixed(rule: "punctuation-width", text: fm + body, path: path, unsafe: unsafe)
        return String(text.dropFirst(fm.count))
    }

    @Test func aMixedPairInChineseTextTakesTheFullWidth() throws {
        for (body, path, expected) in [
            ("俄军对乌克兰东北部城市苏梅（Sumy)发动空袭。\n", "a.md", "俄军对乌克兰东北部城市苏梅（Sumy）发动空袭。\n"),
            ("（中央社台北1日電)中美經濟及金融工作組舉行會議。\n", "a.md", "（中央社台北1日電）中美經濟及金融工作組舉行會議。\n"),
            ("人民大學教授刁大明（Diao Daming)表示，即使川普不當選。\n", "a.md", "人民大學教授刁大明（Diao Daming）表示，即使川普不當選。\n"),
            ("40岁的绿党主席贝尔博克（Annalena Baerbock 40) 在新内阁中担任外长。\n", "a.md", "40岁的绿党主席贝尔博克（Annalena Baerbock 40） 在新内阁中担任外长。\n"),
            ("<p>(路透社）</p>\n", "a.html", "<p>（路透社）</p>\n"),
            ("<p><em>(美联社）</em></p>\n", "a.html", "<p><em>（美联社）</em></p>\n"),
            // Across markup: the HTML view pairs the visible text.
            ("<p>周六<span>(23</span>日）獲香港科技大學頒授榮譽博士。</p>\n", "a.html", "<p>周六<span>（23</span>日）獲香港科技大學頒授榮譽博士。</p>\n"),
            ("<p>參議員魯比奧（</span><span>Macro Rubio )</span>出任國務卿。</p>\n", "a.html", "<p>參議員魯比奧（</span><span>Macro Rubio ）</span>出任國務卿。</p>\n"),
            // Nested: the inner pair is the mixed one.
            ("甲方（乙方（丙方)丁方）戊方。\n", "a.md", "甲方（乙方（丙方）丁方）戊方。\n"),
        ] {
            let found = try Self.findings(body, path: path)
            #expect(found.count == 1 && found.first?.fix?.applicability == .safe, "\(body) \(found)")
            #expect(found.first?.message.hasPrefix("parentheses of mixed widths") == true, "\(found)")
            #expect(try Self.fixed(body, path: path) == expected)
        }
    }

    /// `拜登（Joe Biden)）`: one `)` too many, not a width to change.
    @Test func aLineWithAnUnpairedParenthesisIsReportedWithoutAFix() throws {
        for body in ["美俄兩國在拜登（Joe Biden)）領導下關係惡化。\n", "首席执行官瑞安·科利尔（Ryan Collyer)）访问了南非。\n"] {
            let found = try Self.findings(body)
            #expect(found.count == 1 && found.first?.fix == nil, "\(body) \(found)")
        }
    }

    /// A stray bracket withholds the fixes of its own block only (`<p>`, `<li>`, … or a Markdown
    /// line): on a one-line HTML page (DW, NYT) a `（` left open in one paragraph withheld every
    /// mixed-pair fix of the article. A pair across a block's edge is no pair: not fixed.
    @Test func aStrayBracketWithholdsTheFixesOfItsOwnParagraphOnly() throws {
        let page = "<p>欧阳万成饰演的角色威利斯·吴(Willis Wu)对朋友蔡肥仔(Fatty Choi，钱信伊饰）说。</p>"
            + "<p>剧集中经常有亚裔的背景人物（有时甚至也有主角：雷切尔·林（音）就经常露面。</p>"
            + "<p>美俄两国在拜登（Joe Biden)）领导下关系恶化。</p>\n"
        let found = try Self.findings(page, path: "a.html")
        #expect(found.count == 2, "\(found)")
        #expect(found.first?.fix?.applicability == .safe && found.last?.fix == nil, "\(found)")
        #expect(try Self.fixed(page, path: "a.html") == page.replacingOccurrences(of: "(Fatty Choi，钱信伊饰）", with: "（Fatty Choi，钱信伊饰）"))
        // The stray in the pair's own paragraph, or a pair across two paragraphs: no fix.
        for body in ["<p>蔡肥仔(Fatty Choi，钱信伊饰）说（有时甚至。</p><p>另一段。</p>\n", "<p>中文（见下</p><p>图表)中文。</p>\n",
                     "<li>中文（甲)乙）</li><li>丙（丁）</li>\n"] {
            let mixed = try Self.findings(body, path: "a.html")
            #expect(mixed.count == 1 && mixed.first?.fix == nil, "\(body) \(mixed)")
        }
        // Inline markup is inside a block: the pair across `<span>` is fixed as before.
        #expect(try Self.findings("<p>周六<span>(23</span>日）獲頒授榮譽博士。</p><p>另一段（未完。</p>\n", path: "a.html").first?.fix?.applicability == .safe)
    }

    /// An ASCII pair across a block's edge is no pair either: on a one-line HTML page `(一` left
    /// open in one paragraph and `二)` in the next were made full-width together (a safe fix), and
    /// a `)` of a later paragraph paired with a `(` of an earlier one. Inside a block, across
    /// inline markup, a pair is still one.
    @Test func anASCIIPairAcrossABlockEdgeIsNoPair() throws {
        for body in ["<p>記者表示見下圖(一</p><p>二)說明會繼續跟進。</p>\n", "<li>甲(乙</li><li>丙)丁</li>\n", "<p>甲(乙<br>丙)丁</p>\n"] {
            #expect(try Self.findings(body, path: "a.html").isEmpty, "\(body)")
        }
        let inline = "<p>記者表示見下圖<b>(一</b>二)說明。</p><p>甲(乙</p>\n"
        #expect(try Self.fixed(inline, path: "a.html") == "<p>記者表示見下圖<b>（一</b>二）說明。</p><p>甲(乙</p>\n")
        // The mixed branch (both widths on the line) takes ASCII pairs inside one block alone too.
        let mixed = "<p>甲(乙</p><p>丙)丁（戊)</p>\n"
        #expect(try Self.findings(mixed, path: "a.html").map(\.message).allSatisfy { $0.hasPrefix("parentheses of mixed widths") })
    }

    /// An ASCII `(` after a space may be the intended one (a caption credit, `公寓楼 (路透)`).
    @Test func anASCIIOpenAfterASpaceIsFixedOnlyWithALook() throws {
        let body = "<small>库克今年三度访问中国 (图为今年3月24日库克出席中国发展高层论坛）</small>\n"
        let found = try Self.findings(body, path: "a.html")
        #expect(found.count == 1 && found.first?.fix?.applicability == .unsafe, "\(found)")
        #expect(try Self.fixed(body, path: "a.html", unsafe: true) == "<small>库克今年三度访问中国 （图为今年3月24日库克出席中国发展高层论坛）</small>\n")
    }

    @Test func markupURLsLiquidAndLatinTextStayQuiet() throws {
        for (body, path) in [
            ("<img alt=\"與李家超會面。（政府新聞網圖片)\" src=\"a.jpg\"><p>正文。</p>\n", "a.html"),
            ("<p><a href=\"https://example.com/a（b)\">連結</a>正文。</p>\n", "a.html"),
            ("見[（圖）](https://example.com/a_(b)) 說明（一）。\n", "a.md"),
            ("{% include figure.html caption=\"（圖片)\" %}正文（一）。\n", "a.md"),
            ("Biden (born 1942） said so.\n", "a.md"),
            ("全寬（一）與半寬(two)並存。\n", "a.md"),
        ] {
            #expect(try Self.findings(body, path: path).isEmpty, "\(body)")
        }
        // ASCII pairs around Han text are converted as before on a line that also holds full-width ones.
        #expect(try Self.fixed("甲方（一）說(這是中文說明)。\n") == "甲方（一）說（這是中文說明）。\n")
    }

    /// One pass and one stack a line: 50,000 mixed pairs on one line are found (the first 1,000
    /// listed) without a walk per pair.
    @Test func manyMixedPairsOnOneLine() throws {
        let line = String(repeating: "甲（乙)", count: 50_000) + "。\n"
        let listed = try Self.findings(line).filter { $0.fix != nil }
        #expect(listed.count == 1_000 && listed.allSatisfy { $0.fix?.applicability == .safe })
    }

    /// The line gate: an ASCII and a full-width parenthesis in the line's bytes.
    @Test func theLineGateNeedsBothWidths() {
        for (line, expected) in [("苏梅（Sumy)", true), ("(路透社）", true), ("（一）（二）", false), ("(a)(b)", false), ("甲（", false), ("(\u{FF08}", true)] {
            let bytes = Array(line.utf8)
            #expect(PunctuationWidthRule.mayHoldMixedParentheses(bytes, 0..<bytes.count) == expected, "\(line)")
        }
    }

    /// `blockEdges` packs a tag's name into a `UInt64` and bisects the packed names: it finds the
    /// same tags as the lower-cased `String` looked up in `blockElements` (every name, in any case,
    /// opening, closing or self-closing, and near misses: prefixes, longer names, other digits).
    @Test func blockEdgesPackedNamesMatchTheNameSet() {
        var names = ParenthesisBlocks.blockElements.sorted()
        names += ["a", "b", "em", "span", "h7", "h0", "bod", "bodyx", "blockquotes", "figcaptions", "blockquot",
                  "abcdefghij", "abcdefghijkl", "zzzzzzzzzz", "9", "p1", "1p", "table2", "ttt", "uL", "DIVS"]
        for name in names {
            for cased in [name, name.uppercased(), name.prefix(1).uppercased() + name.dropFirst()] {
                for tag in ["<\(cased)>", "</\(cased)>", "<\(cased)/>", "<\(cased) class=y>", "<\(cased)x>"] {
                    let line = "（甲)" + tag + "乙"
                    let c = line.unicodeScalars.map(\.value)
                    let edges = c.withUnsafeBufferPointer { ParenthesisBlocks.blockEdges($0) }
                    let endsName = !tag.hasSuffix("x>")
                    let expected = endsName && ParenthesisBlocks.blockElements.contains(name.lowercased()) ? [3] : []
                    #expect(edges == expected, "\(tag)")
                }
            }
        }
    }
}
