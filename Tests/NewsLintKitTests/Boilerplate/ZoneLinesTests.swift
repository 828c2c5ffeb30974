import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `ZoneLines`, a document's header and footer lines in lent storage, are `DocumentZones`' lines,
/// and the boilerplate scan finds the same with either.
@Suite struct ZoneLinesTests {
    static let lines = [
        "首页 > 新闻 > 国际", "当前位置：首页 > 国际", "来源：新华社", "作者：张三", "责任编辑：李四", "版权所有 © 2024 新闻网",
        "加入收藏 | 关闭窗口", "分享到：微信", "扫码关注", "相关阅读", "最新内容", "他说：今天天气很好。", "文章来源：人民网",
        "日期：2024-11-01", "正文第一段，记者报道。", "", "  ", "\u{3000}", "```", "code 版权所有", "    ",
    ]

    static func document(_ rng: inout SeededRandom, _ round: Int) -> Document {
        var text = rng.chance(0.4) ? "---\ntitle: t\n---\n" : ""
        text += (0..<rng.below(28)).map { _ in rng.pick(lines) + "\n" }.joined()
        return Document(path: "z\(round).md", text: text)
    }

    @Test func zoneLinesAreDocumentZonesLines() {
        var rng = SeededRandom(seed: 44_18)
        var footersMoved = 0
        for round in 0..<3_000 {
            let document = Self.document(&rng, round)
            let header = rng.below(10) - 1, footer = rng.below(12) - 1
            let zones = DocumentZones(document, headerLines: header, footerLines: footer)
            Self.withZoneLines(document, headerLines: header, footerLines: footer) { lines in
                #expect(Array(lines.header) == zones.headerLines, "\(round)")
                #expect(Array(lines.footer) == zones.footerLines, "\(round)")
                for n in -1...(document.lineCount + 2) {
                    for zone in [PatternZone.anywhere, .header, .footer, .edges, .frontMatter("title")] {
                        #expect(lines.contains(n, zone) == zones.contains(n, zone), "\(round) \(n) \(zone)")
                    }
                }
            }
            if footer > 0, zones.footerLines.count < min(footer, document.bodyLines?.count ?? 0) { footersMoved += 1 }
        }
        // Footers shorter than their room (blank or code lines) are moved to the room's start.
        #expect(footersMoved > 300, "\(footersMoved)")
    }

    static func withZoneLines<R>(_ document: Document, headerLines: Int, footerLines: Int, _ body: (ZoneLines) -> R) -> R {
        // Room to spare: the lines must not depend on the storage's size.
        let room = ZoneLines.room(document, headerLines: headerLines, footerLines: footerLines) + 3
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: room) { body(ZoneLines(document, headerLines: headerLines, footerLines: footerLines, storage: $0)) }
    }

    static func describe(_ verdicts: [LineVerdict]) -> [String] {
        verdicts.map { v in "\(v.line) \(v.owner) \(v.whole) " + v.hits.map { "\($0.pattern):\($0.range)" }.joined(separator: ",") }
    }

    @Test func scanWithZoneLinesFindsWhatDocumentZonesFind() {
        var rng = SeededRandom(seed: 44_19)
        let matcher = BuiltinPatterns.matcher
        var found = 0
        for round in 0..<2_000 {
            let document = Self.document(&rng, round)
            let header = rng.below(8), footer = rng.below(10)
            let want = matcher.scanBody(document, zones: DocumentZones(document, headerLines: header, footerLines: footer))
            let got = Self.withZoneLines(document, headerLines: header, footerLines: footer) { matcher.scanBody(document, zoneLines: $0) }
            #expect(Self.describe(got) == Self.describe(want), "\(round)")
            // The same zones for two owners: the line's owners are gathered and each confirmed apart,
            // the plain form of one owner's single confirmation.
            let zones = DocumentZones(document, headerLines: header, footerLines: footer)
            #expect(Self.describe(matcher.scanBody(document, zonesByOwner: [zones, zones])) == Self.describe(want), "\(round)")
            found += want.count
        }
        #expect(found > 2_000, "\(found)")
    }

    /// On an HTML page the zones count only lines a reader sees: the Wayback Machine's trailing
    /// `<!-- FILE ARCHIVED ON … -->` comment, a page's closing scripts and tag-only lines pushed the
    /// copyright line out of the footer zone (its 8 lines were all markup).
    @Test func htmlZonesCountOnlyLinesWithVisibleText() throws {
        let article = """
            ---
            title: 美元上升
            date: 2024-11-09
            ---

            <div class="article">
            <p>美元上升，投資者評估特朗普當選美國總統可能對美國經濟產生的影響。</p>
            <p>美元指數高見105.21，其後升勢稍為回軟，報104.95，升幅0.5%。</p>
            <p>Copyright © 2024 香港電台 All rights reserved.</p>
            </div>

            """
        let tail = """
            <script src="/_static/js/bundle-playback.js"></script>
            <script>
              __wm.init("https://web.archive.org/web");
            </script>
            <!--
                 FILE ARCHIVED ON 03:21:11 Nov 02, 2024 AND RETRIEVED FROM THE
                 INTERNET ARCHIVE ON 02:10:43 Dec 06, 2026.
                 JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.

                 ALL OTHER CONTENT MAY ALSO BE PROTECTED BY COPYRIGHT (17 U.S.C.
                 SECTION 108(a)(3)).
            -->
            <!--
            playback timings (ms):
              captures_list: 0.565
              load_resource: 184.51
            -->

            """
        for text in [article, article + tail] {
            let found = try RuleHarness.diagnostics(rule: "boilerplate", files: [("a.html", text)])
            #expect(found.map(\.line) == [9], "\(found)")
            let zones = DocumentZones(Document(path: "a.html", text: text), headerLines: 6, footerLines: 8)
            #expect(zones.footerLines == [7, 8, 9], "\(zones.footerLines)")
            #expect(zones.headerLines == [7, 8, 9])
        }
    }

    static let htmlLines = [
        "<p>正文第一段，記者報道。</p>", "<div class=\"nav\">", "</div>", "<!-- 註釋 -->", "<!--", "FILE ARCHIVED ON 2024", "-->",
        "<script>", "var a = \"<p>x</p>\";", "</script>", "&nbsp;", "<p>&#12288;</p>", "\u{3000}\u{00A0}", "", "  ",
        "<pre>", "code 版權所有", "</pre>", "版權所有 © 2024", "<p>Copyright © 香港電台</p><div>", "<style>p { }</style>",
        "<p>分享到：<a href=\"#\">微信</a></p>", "```", "<img src=x.png>",
    ]

    /// The zone walk's lines, as a line-by-line bisection (`showsText(line:_:)`) finds them.
    static func referenceZones(_ document: Document, headerLines: Int, footerLines: Int) -> (header: [Int], footer: [Int]) {
        guard let lines = document.bodyLines else { return ([], []) }
        let html = document.isHTMLFile ? document.html : nil
        let content = lines.filter { n in
            let range = document.contentRange(ofLine: n)
            return !document.isCode(line: n) && !TextScan.isBlank(document.bytes, range) && (html?.showsText(line: range, document.bytes) ?? true)
        }
        return (Array(content.prefix(max(headerLines, 0))), Array(content.suffix(max(footerLines, 0))))
    }

    /// The zone walk finds each line's first token near the previous line's (not by a bisection
    /// per line), and its footer reuses what the header walk decided about the lines both meet:
    /// the same lines as deciding each line on its own, on pages with markup-only lines, comments,
    /// scripts, code, long lines and several lines per token.
    @Test func htmlZoneWalkFindsTheLinesEachLineDecidedAloneFinds() {
        var rng = SeededRandom(seed: 49_02)
        var markupLinesSkipped = 0
        for round in 0..<3_000 {
            var text = rng.chance(0.7) ? "---\ntitle: t\n---\n" : ""
            for _ in 0..<rng.below(40) {
                // Now and then many pieces on one line (a one-line page with a long head).
                let pieces = rng.chance(0.1) ? 1 + rng.below(30) : 1
                text += (0..<pieces).map { _ in rng.pick(Self.htmlLines) }.joined() + "\n"
            }
            if rng.chance(0.2) { text += rng.pick(Self.htmlLines) }
            let document = Document(path: "z\(round).html", text: text)
            let header = rng.below(10) - 1, footer = rng.below(12) - 1
            let want = Self.referenceZones(document, headerLines: header, footerLines: footer)
            let zones = DocumentZones(document, headerLines: header, footerLines: footer)
            #expect(zones.headerLines == want.header, "\(round)")
            #expect(zones.footerLines == want.footer, "\(round)")
            let markdown = Self.referenceZones(Document(path: "z\(round).md", text: text), headerLines: header, footerLines: footer)
            if markdown.header.count + markdown.footer.count > want.header.count + want.footer.count { markupLinesSkipped += 1 }
        }
        #expect(markupLinesSkipped > 500, "\(markupLinesSkipped)")
    }

    /// `tokenIndex(containing:near:)` finds what the bisection finds from any hint, and leaves the
    /// hint at it.
    @Test func tokenIndexNearAHintIsTheBisectionsIndex() {
        var rng = SeededRandom(seed: 49_03)
        for round in 0..<300 {
            let text = (0..<rng.below(60)).map { _ in rng.pick(Self.htmlLines) }.joined(separator: rng.chance(0.5) ? "\n" : "")
            let bytes = Array(text.utf8)
            let start = bytes.isEmpty ? 0 : rng.below(bytes.count)
            let view = HTMLView(bytes: bytes, range: start..<bytes.count)
            for offset in -1...(bytes.count + 1) {
                var hint = rng.below(view.tokens.count + 20) - 10
                let found = view.tokenIndex(containing: offset, near: &hint)
                #expect(found == view.tokenIndex(containing: offset), "\(round) \(offset)")
                if let found { #expect(hint == found, "\(round) \(offset)") }
            }
        }
    }
}
