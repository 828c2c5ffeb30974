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
}
