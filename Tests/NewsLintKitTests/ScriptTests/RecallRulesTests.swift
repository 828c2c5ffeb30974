import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The rules for defects that went unreported on archived corpora (issue 12): what the catalog
/// examples do not pin down — fact round trips for shards, decoding, option checks, overlaps.
@Suite struct RecallRulesTests {
    static func doc(_ title: String, _ body: String) -> String { "---\ntitle: \(title)\ndate: 2021-01-01\n---\n\n\(body)\n" }

    @Test func placeholderFactSurvivesShardsAndMerge() throws {
        let rule = try BodyPlaceholderRule.erased(options: RuleOptions())
        let fact = BodyPlaceholderRule.Fact(hash: .max, title: 7, line: 6, letters: 42)
        let data = try rule.encodeFact(fact)
        #expect(try rule.decodeFact(data) as? BodyPlaceholderRule.Fact == fact)
        // Linted alone, five files under different titles share one body: a placeholder in each.
        let files = (1...5).map { ("p\($0).md", Self.doc("新聞\($0)", "本網站已停止更新，多謝各位讀者多年來的支持。")) }
        let found = try RuleHarness.diagnostics(rule: "body-empty", files: files)
        #expect(found.count == 5 && found.allSatisfy { $0.message.contains("placeholder body") && $0.line == 6 })
        // Four files are below `placeholderMinFiles`; five under one title are a recurring flash.
        #expect(try RuleHarness.diagnostics(rule: "body-empty", files: Array(files.prefix(4))).isEmpty)
        let flash = (1...5).map { ("f\($0).md", Self.doc("天文台取消一號戒備信號", "天文台在上午10時10分取消一號戒備信號。")) }
        #expect(try RuleHarness.diagnostics(rule: "body-empty", files: flash).isEmpty)
    }

    /// Whether a file is a site page is asked only of a body counted below the letter limit: a
    /// page's short body is exempt (quiet in both halves), a long one is counted and reported by neither.
    @Test func sitePageIsAskedOnlyBelowTheLetterLimit() throws {
        let reading = try BodyEmptyRule(options: RuleOptions()).reading
        func page(_ title: String, _ body: String) -> String { "---\ntitle: \(title)\nlayout: home\n---\n\n\(body)\n" }
        let short = reading.read(Document(path: "index.md", text: page("首頁", "本網站已停止更新。")))
        #expect(short.exempt && short.letters == 0)
        let long = reading.read(Document(path: "index.md", text: page("首頁", String(repeating: "新聞", count: reading.limit))))
        #expect(!long.exempt && long.letters == reading.limit)
        let pages = (1...5).map { ("p\($0)/index.md", page("首頁\($0)", "本網站已停止更新，多謝各位讀者多年來的支持。")) }
        #expect(try RuleHarness.diagnostics(rule: "body-empty", files: pages + [("empty/index.md", page("空", ""))]).isEmpty)
        #expect(try RuleHarness.diagnostics(rule: "body-empty", files: [("long/index.md", page("長", String(repeating: "新聞", count: reading.limit)))]).isEmpty)
    }

    @Test func bodyTextSetsMarkupAside() {
        func letters(_ body: String) -> Int { BodyText(Document(path: "a.md", text: Self.doc("t", body))).letters }
        #expect(letters("![很長的圖片說明文字](https://img.example.hk/a.jpg)") == 0)
        #expect(letters("<!-- 註釋裏的文字不算 --><script>var s = '腳本裏的文字';</script>") == 0)
        #expect(letters("[原文](https://news.example.hk/a/1.htm) &nbsp; https://example.org/abc") == 2)
        #expect(letters("```\n程式碼裏的文字\n```\n正文") == 2)
        #expect(letters("美國感恩節假期，金融市場休市。") == 13)
    }

    @Test func cloudflareAddressIsDecoded() {
        #expect(EmailObfuscatedRule.decodeCloudflare(ArraySlice("4a242f3d390a2f322b273a262f64292527".utf8)) == "news@example.com")
        #expect(EmailObfuscatedRule.decodeCloudflare(ArraySlice("4a24".utf8)) == nil)
        #expect(EmailObfuscatedRule.decodeCloudflare(ArraySlice("zz242f3d390a".utf8)) == nil)
    }

    @Test func archiveOriginalIsRecoveredOnlyWithItsScheme() {
        #expect(ArchiveResidueRule.recovered(Array("https://news.example.hk/a.htm".utf8)) == "https://news.example.hk/a.htm")
        #expect(ArchiveResidueRule.recovered(Array("http:/news.example.hk/a.htm".utf8)) == "http://news.example.hk/a.htm")
        #expect(ArchiveResidueRule.recovered(Array("news.example.hk/a.htm".utf8)) == nil)
        #expect(ArchiveResidueRule.recovered(Array("https://".utf8)) == nil)
    }

    /// On an HTML page the residue is markup: a Wayback-rewritten `href`/`src`, a relative
    /// `/web/<ts>/…` link, Cloudflare's `/cdn-cgi/l/email-protection` link. The rules read start
    /// tags and visible text there (they were prose rules, and the sink hid every attribute), but
    /// not comments, scripts or code, and no other prose rule sees the attributes.
    @Test func scraperResidueIsFoundInHTMLAttributes() throws {
        let body = """
            <p>詳見<a href="/web/20211105123456/https://www.hko.gov.hk/tc/wxinfo/currwx/flw.htm">天氣報告</a>，市民應提高警覺。</p>
            <p><img src="https://web.archive.org/web/20211105123456im_/https://news.example.hk/img/radar.png" alt="雷達圖"></p>
            <p>另見<a href="/cdn-cgi/l/email-protection#4a242f3d390a2f322b273a262f64292527">新聞部電郵</a>。</p>
            """
        let html = Self.doc("天文台發出強烈季候風信號", body)
        let archive = try RuleHarness.diagnostics(rule: "archive-residue", files: [("a.html", html)])
        #expect(archive.map(\.line) == [6, 7])
        #expect(archive.map(\.column) == [15, 14])
        // Reported without a fix: a text rule's fix never edits markup.
        #expect(archive.allSatisfy { $0.fix == nil })
        let email = try RuleHarness.diagnostics(rule: "email-obfuscated", files: [("a.html", html)])
        #expect(email.count == 1 && email.first?.line == 8 && email.first?.message.contains("news@example.com") == true)
        // As in the Markdown copy of the same text.
        #expect(try RuleHarness.diagnostics(rule: "archive-residue", files: [("a.md", html)]).map(\.line) == [6, 7])
        #expect(try RuleHarness.diagnostics(rule: "email-obfuscated", files: [("a.md", html)]).map(\.line) == [8])
        // Comments, scripts and code on the page are not the article's links.
        let hidden = Self.doc("t", """
            <!-- <a href="/web/20211105123456/https://www.hko.gov.hk/">x</a> /cdn-cgi/l/email-protection#4a24 -->
            <script>var u = "/web/20211105123456/https://www.hko.gov.hk/"; var e = "/cdn-cgi/l/email-protection";</script>
            <pre><a href="/web/20211105123456/https://www.hko.gov.hk/">x</a> <a href="/cdn-cgi/l/email-protection">y</a></pre>
            <p>正文。</p>
            """)
        #expect(try RuleHarness.diagnostics(rule: "archive-residue", files: [("h.html", hidden)]).isEmpty)
        #expect(try RuleHarness.diagnostics(rule: "email-obfuscated", files: [("h.html", hidden)]).isEmpty)
    }

    @Test func halfwidthMiddleDotOptionIsChecked() throws {
        #expect(throws: RuleOptionError.self) { try PunctuationHalfwidthRule(options: RuleOptions(["middleDot": JSONNode(.string("*"))])) }
    }

    /// U+FFFD stays `mojibake`'s; debris controls stay `invisible-char`'s.
    @Test func charLostLeavesOtherRulesTheirCharacters() throws {
        let text = Self.doc("t", "原文\u{FFFD}已失。\n記者會於下午舉行。\u{0C}\n記者會 \u{07}於下午舉行。")
        #expect(try RuleHarness.diagnostics(rule: "char-lost", text: text).isEmpty)
    }
}
