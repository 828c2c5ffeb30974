import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `link-api`: which URLs are a site's API, where a link is read (front matter, `<a href>`,
/// Markdown destinations) and the near misses it must leave alone (issue 16, session 50).
@Suite struct LinkAPITests {
    @Test func classifiesAPIURLs() {
        func kind(_ s: String, fm: Bool = false) -> LinkAPIRule.APIKind? { LinkAPIRule.classify(Array(s.utf8), frontMatter: fm) }
        #expect(kind("https://nwapi.nhk.jp/nhkworld/rdnewsweb/v6b/zh/detail/20241105_B05.json") == .api)
        #expect(kind("https://api.dw.com/api/detail/article/70743780") == .api)
        #expect(kind("//API.dw.com/API/detail/article/1") == .api)
        #expect(kind("https://graph.api.example.com/v1/item.json?x=1") == .api)
        // An API host without an API path: documentation, a landing page.
        #expect(kind("https://api.slack.com/docs") == nil)
        #expect(kind("https://api.example.com/v1/api") == nil)
        // API paths on ordinary hosts, and hosts that only look like one.
        #expect(kind("https://developer.x.com/en/docs/x-api") == nil)
        #expect(kind("https://www.example.com/api/v1/item") == nil)
        #expect(kind("https://rapi.com/api/list") == nil)
        #expect(kind("https://fonts.googleapis.com/css?family=Noto") == nil)
        #expect(kind("https://maps.googleapis.com/maps/api/staticmap") == nil)
        #expect(kind("https://cdnapisec.kaltura.com/p/1251832/sp/125183200/embedIframeJs") == nil)
        #expect(kind("https://api.com.example/x") == nil)
        // A `.json` file elsewhere: reported only as a front-matter source link.
        #expect(kind("https://data.gov.tw/dataset/aqi.json") == nil)
        #expect(kind("https://data.gov.tw/dataset/aqi.json", fm: true) == .json)
        #expect(kind("https://data.gov.tw/dataset/aqi.json#top", fm: true) == .json)
        #expect(kind("https://data.gov.tw/dataset/aqi.jsonl", fm: true) == nil)
        #expect(kind("/feeds/a.json", fm: true) == nil)
        #expect(kind("api.dw.com/api/detail/article/1") == nil)
    }

    @Test func reportsFrontMatterSourceLinksNotPermalinks() throws {
        let nhk = "---\ntitle: t\nlink: https://nwapi.nhk.jp/nhkworld/rdnewsweb/v6b/zh/detail/20241105_B05.json\n---\n\n正文。\n"
        #expect(try RuleHarness.diagnostics(rule: "link-api", text: nhk, path: "a.html").map(\.line) == [3])
        let canonical = "---\ntitle: t\ncanonical: 'https://example.tw/story/1.json'\n---\n\n正文。\n"
        #expect(try RuleHarness.diagnostics(rule: "link-api", text: canonical).map(\.line) == [3])
        let permalink = "---\ntitle: t\npermalink: https://example.tw/feed.json\nlink: https://www.nhk.or.jp/nhkworld/zh/news/20241105_B05/\n---\n\n正文。\n"
        #expect(try RuleHarness.diagnostics(rule: "link-api", text: permalink).isEmpty)
    }

    @Test func readsHTMLAnchorsOnly() throws {
        let html = """
        ---
        title: t
        ---

        <p><a href="https://api.dw.com/api/detail/article/70743780" rel="ArticleRef">德国</a></p>
        <p><img src="https://api.dw.com/api/detail/article/70743780"></p>
        <link href="https://api.dw.com/api/detail/article/70743780">
        <p>https://api.dw.com/api/detail/article/70743780</p>
        <pre><a href="https://api.dw.com/api/detail/article/1">x</a></pre>
        <A HREF=" https://api.dw.com/api/detail/article/2 ">y</A>

        """
        let found = try RuleHarness.diagnostics(rule: "link-api", text: html, path: "a.html")
        #expect(found.map(\.line) == [5, 10])
    }

    @Test func readsMarkdownDestinationsNotImagesOrBareURLs() throws {
        let md = """
        ---
        title: t
        ---

        [德国](https://api.dw.com/api/detail/article/1) 與 [![圖](https://api.dw.com/api/img/1)](https://www.dw.com/zh/a-1)
        ![圖](https://api.dw.com/api/detail/article/2)
        網址 https://api.dw.com/api/detail/article/3 與 `https://api.dw.com/api/detail/article/4`
        <https://api.dw.com/api/detail/article/5> [x](https://api.dw.com/api/a(b)/c)

        ```
        [code](https://api.dw.com/api/detail/article/6)
        ```

        """
        let found = try RuleHarness.diagnostics(rule: "link-api", text: md)
        #expect(found.map(\.line) == [5, 8, 8])
        #expect(found.last?.message.contains("api/a(b)/c") == true)
    }
}
