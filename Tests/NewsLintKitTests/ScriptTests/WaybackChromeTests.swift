import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `archive-residue` on the Wayback Machine's own chrome in a saved capture: the head injection,
/// the toolbar and the trailer comments, each reported once with a fix deleting exactly it.
@Suite struct WaybackChromeTests {
    /// A capture of a CNA article as the Wayback Machine plays it back (2024 form of the chrome).
    static func capture() throws -> String {
        let url = PackagePaths.fixtures.appendingPathComponent("wayback").appendingPathComponent("cna-capture.html")
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func chrome(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.filter { $0.message.contains("Wayback Machine") }
    }

    @Test func eachChromeBlockIsReportedOnceAtItsFirstLine() throws {
        let found = try RuleHarness.diagnostics(rule: "archive-residue", text: Self.capture(), path: "cna.html")
        let chrome = Self.chrome(found)
        #expect(chrome.map(\.line) == [4, 38, 125])
        #expect(chrome.map(\.endLine) == [16, 77, 139])
        #expect(chrome[0].message.contains("head injection (13 lines"))
        #expect(chrome[1].message.contains("toolbar (40 lines"))
        #expect(chrome[2].message.contains("trailer comments (15 lines"))
        #expect(chrome.allSatisfy { $0.fix?.applicability == .safe })
        // The toolbar's donate frame (its URL-encoded referer is an archive-wrapped link) is chrome.
        #expect(!found.contains { $0.line > 38 && $0.line < 77 })
        // The page's own rewritten links are still reported, once each.
        #expect(found.contains { $0.line == 22 && $0.message.contains("archive-wrapped link") })
    }

    @Test func theSafeFixDeletesExactlyTheChromeLines() throws {
        let text = try Self.capture()
        let fixed = try RuleHarness.fixed(rule: "archive-residue", text: text, path: "cna.html", unsafe: false)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for range in [125...139, 38...77, 4...16] { lines.removeSubrange((range.lowerBound - 1)..<range.upperBound) }
        #expect(fixed == lines.joined(separator: "\n"))
        #expect(try RuleHarness.fixed(rule: "archive-residue", text: fixed, path: "cna.html", unsafe: false) == fixed)
        // Whole elements removed: no structural problem added, the page's tags kept in order.
        let before = HTMLFixWellFormedTests.tags(text), after = HTMLFixWellFormedTests.tags(fixed)
        let gone = HTMLFixWellFormedTests.removed(before, after)
        #expect(gone != nil && gone!.contains { $0.name == "iframe" } && !gone!.contains { $0.name == "p" || $0.name == "head" || $0.name == "body" })
        let problemsBefore = HTMLFixWellFormedTests.problemKeys(text)
        for (key, count) in HTMLFixWellFormedTests.problemKeys(fixed) { #expect(count <= problemsBefore[key, default: 0], "added \(key)") }
        #expect(!Document(path: "cna.html", text: fixed).html.endsInsideMarkup)
    }

    /// Deleting whole lines keeps a CRLF file's line endings; a block sharing its line with the
    /// page's markup (`<head><script src=…analytics.js`) is deleted byte for byte.
    @Test func deletionKeepsLineEndingsAndSharedLines() throws {
        let crlf = "<html><head><script src=\"//archive.org/includes/analytics.js?v=cf34f82\" type=\"text/javascript\"></script>\r\n"
            + "<link rel=\"stylesheet\" type=\"text/css\" href=\"/_static/css/banner-styles.css?v=S1zqJCYt\" />\r\n"
            + "<!-- End Wayback Rewrite JS Include -->\r\n<title>標題</title></head><body><p>正文。</p></body></html>\r\n"
            + "<!--\r\n     FILE ARCHIVED ON 0:00:00 Apr 15, 2011 AND RETRIEVED FROM THE\r\n     INTERNET ARCHIVE ON 8:21:05 Jun 2, 2016.\r\n-->\r\n"
        let fixed = try RuleHarness.fixed(rule: "archive-residue", text: crlf, path: "a.html", unsafe: false)
        #expect(fixed == "<html><head>\r\n<title>標題</title></head><body><p>正文。</p></body></html>\r\n")
    }

    /// Anything not known as the archive's between the injection's start and its End marker makes
    /// the fix unsafe; a lone End marker is the archive's comment; the pre-2013 injection (no
    /// marker) is recognised by its three parts only.
    @Test func headInjectionSafetyFollowsWhatItHolds() throws {
        let start = "<script src=\"//archive.org/includes/analytics.js?v=cf34f82\" type=\"text/javascript\"></script>\n"
        let end = "<!-- End Wayback Rewrite JS Include -->\n"
        let mixed = "<html><head>\n" + start + "<meta name=\"viewport\" content=\"width=device-width\">\n" + end + "<title>t</title></head><body><p>正文。</p></body></html>\n"
        let found = Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: mixed, path: "a.html"))
        #expect(found.count == 1 && found.first?.fix?.applicability == .unsafe && found.first?.line == 2)
        let lone = "<html><head>\n\n" + end + "<title>t</title></head><body><p>見<a href=\"https://web.archive.org/web/2020/https://example.com/\">存檔</a>。</p></body></html>\n"
        let loneFound = Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: lone, path: "a.html"))
        #expect(loneFound.count == 1 && loneFound.first?.message.contains("leftover") == true && loneFound.first?.fix?.applicability == .safe)
        // A file with no `/web/` or `archive.` at all is not read (the rule's byte-pair prefilter).
        let bare = "<html><head>\n\n" + end + "<title>t</title></head><body><p>正文。</p></body></html>\n"
        #expect(try RuleHarness.diagnostics(rule: "archive-residue", text: bare, path: "a.html").isEmpty)
        // The site's own `/static/js/analytics.js` with no archive set-up after it is the site's.
        let site = "<html><head>\n<script src=\"/static/js/analytics.js\"></script>\n<link rel=\"stylesheet\" href=\"/static/css/site.css\">\n"
            + "</head><body><p>見<a href=\"https://web.archive.org/web/2020/https://example.com/\">存檔</a>。</p></body></html>\n<!-- playback timings (ms):\n  load_resource: 1.2\n-->\n"
        let siteFound = Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: site, path: "a.html"))
        #expect(siteFound.map(\.line) == [5])
    }

    /// A toolbar whose END marker is missing is not reported (nothing bounds it); the same text in
    /// Markdown or quoted in `<pre>` is not the archive's chrome either.
    @Test func unboundedOrQuotedChromeIsNotReported() throws {
        let open = "<html><head></head><body>\n<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id=\"wm-ipp\"><a href=\"https://archive.org/donate\">Donate</a></div>\n<p>正文。</p></body></html>\n"
        #expect(Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: open, path: "a.html")).isEmpty)
        let toolbar = "<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id=\"wm-ipp\"><a href=\"https://archive.org/donate\">Donate</a></div>\n<!-- END WAYBACK TOOLBAR INSERT -->\n"
        #expect(Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: "<html><body><pre>\n" + toolbar + "</pre><p>正文。</p></body></html>\n", path: "a.html")).isEmpty)
        #expect(Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: "---\ntitle: t\n---\n\n" + toolbar + "\n正文。\n", path: "a.md")).isEmpty)
    }

    /// A toolbar that lost its END (a truncated save) followed by a second, complete one: only the
    /// second is a block; the article between them is never inside a fix. Page text between the
    /// markers (non-ASCII: the toolbar's is English) makes the deletion unsafe.
    @Test func aToolbarWithoutItsEndNeverTakesThePageWithIt() throws {
        let page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>新聞</title></head>\n<body>\n"
            + "<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id=\"wm-ipp\">toolbar (truncated save, END marker lost)</div>\n"
            + "<article>\n<h1>標題</h1>\n<p>這是一篇重要的新聞正文，不應被刪除。</p>\n</article>\n"
            + "<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div><a href=\"/web/20110415000000*/http://news.example.com/a.htm\">12 captures</a></div>\n"
            + "<!-- END WAYBACK TOOLBAR INSERT -->\n</body></html>\n"
        let found = Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: page, path: "a.html"))
        #expect(found.map(\.line) == [10] && found.first?.fix?.applicability == .safe, "\(found.map { ($0.line, $0.message) })")
        let fixed = try RuleHarness.fixed(rule: "archive-residue", text: page, path: "a.html", unsafe: false)
        #expect(fixed.contains("這是一篇重要的新聞正文，不應被刪除。") && fixed.contains("<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id=\"wm-ipp\">"))
        let holding = "<html><body>\n<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id=\"wm-ipp\"><a href=\"https://archive.org/donate\">Donate</a></div>\n"
            + "<p>正文。</p>\n<!-- END WAYBACK TOOLBAR INSERT -->\n</body></html>\n"
        let held = Self.chrome(try RuleHarness.diagnostics(rule: "archive-residue", text: holding, path: "a.html"))
        #expect(held.count == 1 && held.first?.fix?.applicability == .unsafe && held.first?.message.contains("check it") == true)
    }

    /// One forward walk: 20,000 injection starts without End marker, toolbars without END and
    /// trailer comments between archive links stay linear (a search per start or per hit was not).
    @Test func recognitionIsLinearOnAdversarialInput() throws {
        let n = 20_000
        var text = "<html><head>\n"
        for _ in 0..<n { text += "<script src=\"//archive.org/includes/analytics.js\"></script><b>x</b>\n" }
        text += "<!-- End Wayback Rewrite JS Include -->\n</head><body>\n"
        for _ in 0..<n { text += "<!-- playback timings (ms): -->\n<p><a href=\"/web/20200101000000/https://example.com/\">x</a></p>\n" }
        for _ in 0..<n { text += "<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n" }
        text += "</body></html>\n"
        let document = Document(path: "a.html", text: text)
        let blocks = WaybackChrome.blocks(document.bytes, document.html)
        #expect(blocks.filter { $0.kind == .trailer }.count == n)
        // The End marker ends the last start's run (unknown elements inside: an unsafe block) or stands alone.
        let heads = blocks.filter { $0.kind == .headInjection || $0.kind == .endMarker }
        #expect(heads.count == 1 && heads.allSatisfy { $0.kind == .endMarker || !$0.allKnown })
        #expect(!blocks.contains { $0.kind == .toolbar })
        #expect(!(try RuleHarness.diagnostics(rule: "archive-residue", text: text, path: "a.html")).isEmpty)
    }

    @Test func archiveAssetsAreTheArchivesOwnFilesNotCaptures() {
        func asset(_ s: String) -> Bool { let b = Array(s.utf8); return WaybackChrome.isArchiveAsset(b, 0..<b.count) }
        #expect(asset("//archive.org/includes/analytics.js?v=cf34f82"))
        #expect(asset("https://archive.org/includes/athena.js"))
        #expect(asset("https://web-static.archive.org/_static/js/bundle-playback.js?v=t1Bf4PY_"))
        #expect(asset("/_static/css/banner-styles.css?v=S1zqJCYt"))
        #expect(asset("/static/js/ait-client-rewrite.js"))
        #expect(asset("/static/css/banner-styles.css"))
        #expect(!asset("/static/js/site.js"))
        #expect(!asset("https://web.archive.org/web/20241101030000js_/https://www.cna.com.tw/js/jquery.min.js"))
        #expect(!asset("https://www.cna.com.tw/js/analytics.js"))
        #expect(!asset("https://notarchive.org/includes/analytics.js"))
    }
}
