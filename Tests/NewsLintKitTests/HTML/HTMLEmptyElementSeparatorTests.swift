import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `html-empty-element` called `<span>&nbsp;&nbsp; </span>` between two defendants' names "empty
/// (nothing to show)" (21 times in one RFA page, `<strong>戴耀廷<span>&nbsp; </span></strong>
/// <strong>區諾軒`): the no-break spaces are what a reader sees between the names, and deleting
/// the element joins them. An inline wrapper of spaces or a break between visible text is a
/// separator, not reported; at the end of its block it shows nothing and goes safely.
@Suite struct HTMLEmptyElementSeparatorTests {
    static func findings(_ body: String) throws -> [Diagnostic] {
        try RuleHarness.diagnostics(rule: "html-empty-element", files: [("a.html", "---\ntitle: t\ndate: 2024-01-01\n---\n" + body)])
    }

    @Test func aSpaceBetweenTwoWordsIsASeparator() throws {
        for body in [
            "<p><strong>戴耀廷<span>&nbsp;&nbsp; </span></strong><strong>區諾軒</strong></p>\n",
            "<p><strong>鍾錦麟<span>&nbsp;&nbsp;</span></strong><strong>吳政亨</strong></p>\n",
            "<p>袁嘉蔚<span>\u{A0}</span>梁晃維</p>\n",
            "<p>施紀賢的隨行人員試圖阻止但不果</span><span> </span><span>並允許記者留下</span></p>\n",
            "<p>Chris<span> </span><!-- x -->Smith</p>\n",
            // A line break, after full-width punctuation too.
            "<p>出生於台灣台南市。<span><br></span>黃仁勳在台上發言時</p>\n",
            "<p>圖<span>&nbsp;</span><img src=\"a.jpg\" alt=\"\"></p>\n",
        ] {
            #expect(try Self.findings(body).isEmpty, "\(body)")
        }
    }

    /// Full-width punctuation carries its own spacing: a space beside it separates nothing, and is
    /// reported as before (its deletion unsafe: it may be a chosen gap between two credits).
    @Test func aSpaceBesideFullWidthPunctuationIsStillReported() throws {
        for body in [
            "<p>編輯：<span> </span>溫曉平</p>\n",
            "<p><span>編輯：李向陽（台北）</span><span>&nbsp;</span><span>\u{3000}網編：程皓楠</span></p>\n",
            "<p>哈里斯表示。</em><em> </em><em>任何不當行為</em></p>\n",
            "<p>史密斯<span> </span><!-- x -->（<span>Iain Duncan Smith</span>）</p>\n",
            "<p>作出「沽售」的建議</span><span>&nbsp;</span><span>。資料顯示</span></p>\n",
        ] {
            let found = try Self.findings(body)
            #expect(found.count == 1 && found.first?.fix?.applicability == .unsafe, "\(body) \(found)")
        }
    }

    @Test func aSpaceAtTheEndOfItsBlockGoesSafely() throws {
        for body in [
            "<p>政治空間的縮小。<span>&nbsp;</span></p>\n",
            "<p><strong>趙家賢<span>&nbsp;&nbsp; </span></strong></p>\n",
            "<p>句子。</span><span>&nbsp;</span><span></span></p>\n", // and the empty <span> after it
            "</figure><strong>\n</strong><p>後文。</p>\n",
            "<div>前文<span> </span><div>後文</div></div>\n",
        ] {
            let found = try Self.findings(body)
            #expect(!found.isEmpty && found.allSatisfy { $0.fix?.applicability == .safe }, "\(body) \(found)")
        }
    }

    @Test func aBreakAtTheEndOrASpaceAtTheStartWaitsForALook() throws {
        for body in [
            "<p>的回答。<span><br></span></p>\n",
            "<p>以正視聽。<span>&nbsp;<br></span></p>\n",
            "<p><span>&nbsp;</span>編輯：李榮添</p>\n",
            "<p><span><br></span>黃之瀚在國會聽證會上</p>\n",
        ] {
            let found = try Self.findings(body)
            #expect(found.count == 1 && found.first?.fix?.applicability == .unsafe, "\(body) \(found)")
        }
    }

    /// A wrapper that is not inline, and an inline one with nothing in it, are reported between
    /// words as before: they render no space.
    @Test func anEmptyInlineWrapperBetweenWordsIsStillReported() throws {
        let found = try Self.findings("<p>戴耀廷<span></span>區諾軒</p>\n")
        #expect(found.count == 1 && found.first?.fix?.applicability == .safe)
    }

    /// A long run of spaces between two words: each looks a bounded number of tokens either way
    /// (a run of 20,000 would take seconds if every walk went to the run's end), so none sees text
    /// on both sides, and all are reported as before, for a look (the first 1,000 listed).
    @Test func aLongRunOfSpacesStaysLinear() throws {
        let run = String(repeating: "<span> </span>", count: 20_000)
        let listed = try Self.findings("<p>前文\(run)後文</p>\n").filter { $0.fix != nil }
        #expect(listed.count == 1_000)
        #expect(listed.allSatisfy { $0.fix?.applicability == .unsafe })
    }
}
