import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A fake file system: only the listed absolute paths exist.
struct FakeProbe: ResourceProbe {
    var existing: Set<String>
    func fileExists(_ path: String) -> Bool { existing.contains(path) }
}

@Suite struct ImageLinkTests {
    static let fm = "---\ntitle: 校园新闻\ndate: 2022-03-16\n---\n"

    /// Diagnostics of `image-link-broken` for one file at /corpus/news/a.md with a fake file system.
    static func lint(_ body: String, existing: Set<String> = [], roots: [String] = [], path: String = "news/a.md") throws -> [String] {
        var config = Configuration(directory: "/corpus")
        config.rules = [("image-link-broken", RuleSetting(enabled: true))]
        var settings = LintSettings()
        settings.jobs = 1
        settings.baseDirectory = "/corpus"
        settings.filter = RuleFilter(select: ["image-link-broken"])
        settings.environment.probe = FakeProbe(existing: existing)
        settings.environment.images.roots = roots
        let linter = try Linter(catalog: .builtin, config: config, settings: settings)
        let result = linter.lint([.text(path: path, bytes: Array((fm + body).utf8))])
        return result.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
    }

    @Test func scannerFindsEveryKindWithExactRanges() {
        let text = Self.fm + "前文![会场](a.jpg \"标题\")后文 <IMG SRC='b.png' alt=合影> ![x][ref] ![ref]\n\n[ref]: <c d.png>\n"
        let doc = Document(path: "a.md", text: text)
        let links = ImageScanner.scan(doc)
        #expect(links.map(\.kind) == [.inline, .html, .reference, .reference])
        func s(_ r: Range<Int>?) -> String { r.map { String(decoding: doc.bytes[$0], as: UTF8.self) } ?? "nil" }
        #expect(links.map { s($0.source) } == ["a.jpg", "b.png", "c d.png", "c d.png"])
        #expect(links.map { s($0.alt) } == ["会场", "合影", "x", "ref"])
        #expect(doc.position(ofByte: links[0].range.lowerBound).column == 3)
        #expect(doc.position(ofByte: links[1].range.lowerBound).column == 23)
    }

    @Test func codeSpansFencesAndCommentsAreNotImages() {
        let text = Self.fm + "行内 `![图](x y)` 和 ``a ` ![图](z)`` 结束\n```markdown\n![图](\n<img src=\"\">\n```\n<!-- ![图]() \n<img> -->\n    ~~~\n"
        #expect(ImageScanner.scan(Document(path: "a.md", text: text)).isEmpty)
    }

    @Test func balancedParenthesesAndEscapes() throws {
        #expect(try Self.lint("![图](https://zh.wikipedia.org/wiki/图_(消歧义).png)\n![图](https://example.cn/a\\)b.png)\n").isEmpty)
        #expect(try Self.lint("![图](https://example.cn/a_(1.png)\n") == ["5:1 unbalanced parentheses in image source"])
        #expect(try Self.lint("![图](<https://example.cn/a.png)\n") == ["5:1 unclosed '<' in image source"])
    }

    @Test func titlesInAllThreeQuoteStyles() throws {
        let body = "![图](https://a.cn/1.jpg \"标题\") ![图](https://a.cn/2.jpg '标题') ![图](https://a.cn/3.jpg (标题))\n"
        #expect(try Self.lint(body).isEmpty)
        #expect(try Self.lint("![图](https://a.cn/1.jpg \"标题\" 多余)\n") == ["5:24 whitespace in image source (wrap it in <…> or encode it as %20)"])
    }

    /// The whitespace message points at the whitespace, not at the `!` of the image.
    @Test func whitespaceInASourceIsReportedWhereItIs() throws {
        #expect(try Self.lint("前文![图](images/会议 现场.jpg)\n") == ["5:17 whitespace in image source (wrap it in <…> or encode it as %20)"])
    }

    /// Jekyll (Liquid) and Hugo tags are rendered before Markdown is parsed: a known site-root tag
    /// before a path is checked like `/path`, any other tag makes the source unknowable (skipped).
    @Test func siteGeneratorTemplatesInSources() throws {
        let body = """
        ![a]({{ site.baseurl }}/assets/img/logo.png) ![b]({% link assets/img/logo.png %}) ![c]({{ "/assets/img/logo.png" | relative_url }})
        ![d]({{ site.url }}{{ site.baseurl }}/assets/img/logo.png?v=2) ![e]({{- site.baseurl -}}/assets/img/logo.png "题")
        <img src="{{ site.baseurl }}/assets/img/logo.png" alt="h"> <img src="{{ "/assets/img/logo.png" | absolute_url }}" alt="i">
        ![j][logo]

        [logo]: {{ site.baseurl }}/assets/img/logo.png

        """
        let existing: Set<String> = ["/corpus/assets/img/logo.png"]
        #expect(try Self.lint(body, existing: existing, roots: ["/corpus"]).isEmpty)
        #expect(try Self.lint(body).isEmpty, "no roots: site-root paths are not checked")
        let missing = try Self.lint(body, roots: ["/corpus"])
        #expect(missing.count == 8 && missing.allSatisfy { $0.hasSuffix("not found under the image roots") }, "\(missing)")
        #expect(missing.first == "5:6 local image '{{ site.baseurl }}/assets/img/logo.png' not found under the image roots")
        // Tags whose output is unknown: skipped, whatever exists.
        let opaque = """
        ![a]({{< relref "x.md" >}}) ![b](/img/{{ page.slug }}.png) ![c]({{ page.image }}) ![d]({{ site.baseurl }}img/a.png)
        <img src="{{ page.cover | default: 'x.png' }}"> ![e]({% asset logo.png %}) ![f](https://{{ site.cdn }}/a.png)

        """
        #expect(try Self.lint(opaque, roots: ["/corpus"]).isEmpty)
        // Unclosed tags along one long line: each image's search for `}}` is answered from the line's
        // memo (searching to the line's end once an image was 40,000 × 320 KB, many seconds).
        let manyUnclosed = String(repeating: "![a]({{)", count: 40_000) + String(repeating: "<img src=\"{{\" alt=\"b\">", count: 20_000) + "\n"
        let manyDoc = Document(path: "a.md", text: Self.fm + manyUnclosed)
        #expect(ImageScanner.scan(manyDoc).count == 60_000)
        #expect(try Self.lint(manyUnclosed, roots: ["/corpus"]).isEmpty, "a source of an unclosed tag is not knowable")
        // An unclosed tag is not a tag: the space still ends the source.
        #expect(try Self.lint("![a]({{ site.baseurl /a.png)\n") == ["5:8 whitespace in image source (wrap it in <…> or encode it as %20)"])
    }

    /// Hugo executes Go template actions in its layouts, not in content (only shortcodes are
    /// processed there): `{{ .Site.BaseURL }}` or `{{ "x" | relURL }}` in a post reaches the page as
    /// written, and the image is broken. It was resolved as a site-root path, which hid that.
    /// Jekyll's Liquid is rendered in posts: its tags are still resolved.
    @Test func hugoTemplateActionsInContentAreNotExpanded() throws {
        let body = """
        ![f]({{ .Site.BaseURL }}assets/img/logo.png) ![g]({{ 'assets/img/logo.png' | relURL }})
        <img src="{{ "/img/a.png" | absURL }}" alt="h"> ![i]({{- .Site.BaseURL -}}img/a.png)

        """
        let message = "is a Hugo template action, which Hugo does not expand in content (only shortcodes are): the page gets it as written"
        let existing: Set<String> = ["/corpus/assets/img/logo.png", "/corpus/img/a.png"]
        #expect(try Self.lint(body, existing: existing, roots: ["/corpus"]) == [
            "5:6 '{{ .Site.BaseURL }}' \(message)", "5:51 '{{ 'assets/img/logo.png' | relURL }}' \(message)",
            "6:11 '{{ \"/img/a.png\" | absURL }}' \(message)", "6:54 '{{- .Site.BaseURL -}}' \(message)",
        ])
        // A shortcode is rendered, to an output unknown here: skipped, as before.
        #expect(try Self.lint("![a]({{< siteurl >}}img/a.png)\n").isEmpty)
    }

    @Test func localFilesRelativeToTheDocumentAfterDecoding() throws {
        let existing: Set<String> = ["/corpus/news/images/会议 现场.jpg", "/corpus/static/img/logo.png"]
        #expect(try Self.lint("![图](images/%E4%BC%9A%E8%AE%AE%20%E7%8E%B0%E5%9C%BA.jpg?v=2#top)\n", existing: existing).isEmpty)
        #expect(try Self.lint("![图](<images/会议 现场.jpg>)\n", existing: existing).isEmpty)
        #expect(try Self.lint("![图](images/会议现场.jpg)\n", existing: existing) == ["5:6 local image 'images/会议现场.jpg' does not exist"])
        #expect(try Self.lint("![图](../static/img/logo.png)\n", existing: existing).isEmpty, "'..' is resolved before the probe is asked")
        #expect(try Self.lint("![图](./../news/./images/../../static/img/logo.png)\n", existing: existing).isEmpty)
    }

    /// A source whose `..` segments leave the site is reported as such, not looked for on the machine
    /// (`/etc/hostname` exists here, as it does on most machines).
    @Test func sourcesClimbingOutOfTheSite() throws {
        let existing: Set<String> = ["/etc/hostname", "/corpus/static/img/logo.png"]
        let roots = ["/corpus/static"]
        func outside(_ column: Int, _ source: String) -> [String] { ["5:\(column) local image '\(source)' points outside the site"] }
        #expect(try Self.lint("![x](/img/../../../../../etc/hostname)\n", existing: existing, roots: roots) == outside(6, "/img/../../../../../etc/hostname"))
        #expect(try Self.lint("![x](/img/../../etc/hostname)\n", existing: existing, roots: roots) == outside(6, "/img/../../etc/hostname"))
        #expect(try Self.lint("![x](../../../../../etc/hostname)\n", existing: existing) == outside(6, "../../../../../etc/hostname"),
                "without roots: a path climbing above the file system's root")
        #expect(try Self.lint("![x](../../etc/hostname)\n", existing: existing, roots: roots) == outside(6, "../../etc/hostname"),
                "with roots: the site is where the document and the roots meet (/corpus)")
        #expect(try Self.lint("<img src=\"%2E%2E/%2e%2e/../etc/hostname\">\n", existing: existing, roots: roots) == outside(11, "%2E%2E/%2e%2e/../etc/hostname"))
        // Inside the site, `..` and `.` are fine.
        #expect(try Self.lint("![x](/img/./a/../logo.png) ![y](../static/img/logo.png)\n", existing: existing, roots: roots).isEmpty)
        #expect(try Self.lint("![x](/img/../img/missing.png)\n", existing: existing, roots: roots) == ["5:6 local image '/img/../img/missing.png' not found under the image roots"])
    }

    @Test func realFileSystemThroughTheCommandLine() throws {
        let dir = TemporaryDirectory()
        dir.write("site/static/img/校徽.png", bytes: [0x89, 0x50])
        dir.write("site/posts/图片/现场.jpg", bytes: [0xFF, 0xD8])
        dir.write("site/.lint.json", #"{"images": {"roots": ["static"]}}"#)
        dir.write("site/posts/a.md", "---\ntitle: 新闻\n---\n![现场](图片/现场.jpg) ![校徽](/img/%E6%A0%A1%E5%BE%BD.png)\n![目录](图片) ![缺](/img/缺.png)\n")
        let run = CLIRun.run(["--select", "image-link-broken", "--format", "concise", "posts/a.md"], cwd: dir.path + "/site")
        #expect(run.status == 1)
        #expect(run.stdout == "posts/a.md:5:7: error: local image '图片' is a directory, not an image file [image-link-broken]\nposts/a.md:5:16: error: local image '/img/缺.png' not found under the image roots [image-link-broken]\n",
                "a directory is not an image")
    }

    /// A source naming a file that is on disk only under another Unicode normalization (a
    /// macOS-made NFD name) or letter case said "does not exist", which sent editors looking
    /// for a file they could see; the message now says which spelling is on disk. Same for roots.
    @Test func missesUnderAnotherSpellingSaySo() throws {
        let dir = TemporaryDirectory()
        let nfd = "Cafe\u{301}"  // "Café" decomposed, as macOS writes names
        dir.write("site/posts/\(nfd)/photo.jpg", bytes: [0xFF, 0xD8])
        dir.write("site/posts/Logo.PNG", bytes: [0x89, 0x50])
        dir.write("site/static/img/\(nfd).png", bytes: [0x89, 0x50])
        dir.write("site/.lint.json", #"{"images": {"roots": ["static"]}}"#)
        dir.write("site/posts/a.md", "---\ntitle: 新闻\n---\n![a](Caf\u{E9}/photo.jpg)\n![b](logo.png)\n![c](/img/Caf\u{E9}.png)\n![d](gone.png)\n")
        let run = CLIRun.run(["--select", "image-link-broken", "--format", "concise", "posts/a.md"], cwd: dir.path + "/site")
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "posts/a.md:4:6: error: local image 'Caf\u{E9}/photo.jpg' does not exist as written: 'Caf\u{E9}' is on disk in another Unicode normalization (the source has NFC, the file name NFD, as macOS makes names); a Linux web server will not find it [image-link-broken]",
            "posts/a.md:5:6: error: local image 'logo.png' does not exist as written: 'logo.png' is on disk as 'Logo.PNG', in another letter case; a case-sensitive web server will not find it [image-link-broken]",
            "posts/a.md:6:6: error: local image '/img/Caf\u{E9}.png' does not exist as written: 'Caf\u{E9}.png' is on disk in another Unicode normalization (the source has NFC, the file name NFD, as macOS makes names); a Linux web server will not find it [image-link-broken]",
            "posts/a.md:7:6: error: local image 'gone.png' does not exist [image-link-broken]",
        ], "\(run.stdout)\(run.stderr)")
    }

    @Test func rootRelativePathsUseConfiguredRoots() throws {
        let existing: Set<String> = ["/site/static/img/logo.png"]
        #expect(try Self.lint("![图](/img/logo.png)\n", existing: existing).isEmpty, "no roots: not checked")
        #expect(try Self.lint("![图](/img/logo.png)\n", existing: existing, roots: ["/site/public", "/site/static/"]).isEmpty)
        #expect(try Self.lint("![图](/img/missing.png)\n", existing: existing, roots: ["/site/static"]) == ["5:6 local image '/img/missing.png' not found under the image roots"])
    }

    @Test func nonASCIIURLsAreValidIRIs() throws {
        #expect(try Self.lint("<figure><img src=\"http://news.example.edu.cn/__local/图片/校园 风光.jpg\" alt=\"\"></figure>\n").isEmpty)
        #expect(try Self.lint("![图](https://例子.中国/图片.jpg)\n").isEmpty)
    }

    @Test func brokenURLs() throws {
        #expect(try Self.lint("![图](ftp://example.cn/a.jpg)\n") == ["5:6 unsupported URL scheme 'ftp'"])
        #expect(try Self.lint("![图](https://example.cn:99999/a.jpg)\n") == ["5:6 malformed URL 'https://example.cn:99999/a.jpg': bad port"])
        #expect(try Self.lint("![图](https:example.cn/a.jpg)\n") == ["5:6 malformed URL 'https:example.cn/a.jpg': expected 'https://host'"])
        #expect(try Self.lint("![图](data:image/png;base64)\n") == ["5:6 malformed data: URI (no ',')"])
        #expect(try Self.lint("<img src=\"  \">\n") == ["5:11 empty image source"])
        #expect(try Self.lint("<img alt=\"合影\">\n") == ["5:1 <img> has no src attribute"])
    }

    @Test func referenceImages() throws {
        let body = "![合影][Photo One] ![Photo  One][] ![photo one]\n\n[photo   one]: images/a.jpg\n[unused]: images/never.jpg\n"
        #expect(try Self.lint(body, existing: ["/corpus/news/images/a.jpg"]).isEmpty)
        // A definition with a missing file is reported once, at its destination.
        #expect(try Self.lint(body) == ["7:16 local image 'images/a.jpg' does not exist"])
        #expect(try Self.lint("![合影][nope]\n") == ["5:1 undefined reference label 'nope'"])
        #expect(try Self.lint("![合影][a\n") == ["5:1 unclosed reference label '['"])
        // Footnote definitions are not link definitions; prose brackets are not images.
        #expect(try Self.lint("关注:[] 和 [链接][x] 以及[^1]\n\n[^1]: 注释\n").isEmpty)
    }

    @Test func columnsCountScalarsNotBytes() throws {
        #expect(try Self.lint("中文中文![图]()\n") == ["5:5 empty image source"])
        #expect(try Self.lint("中文 <img src=\"\">\n") == ["5:4 empty image source"])
    }

    @Test func seedsHaveNoBrokenImagesOffline() throws {
        let seeds = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.seeds.path).sorted()
        #expect(seeds.count == 5)
        var config = Configuration(directory: PackagePaths.root.path)
        config.rules = [("image-link-broken", RuleSetting(enabled: true))]
        var settings = LintSettings()
        settings.baseDirectory = PackagePaths.root.path
        settings.filter = RuleFilter(select: ["image-link-broken"])
        let linter = try Linter(catalog: .builtin, config: config, settings: settings)
        let result = linter.lint(seeds.map { .file("seeds/" + $0) })
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        // ...while the scanner does see their 19 remote images.
        let count = seeds.reduce(0) { n, s in
            n + ImageScanner.scan(Document(path: s, bytes: [UInt8](FileManager.default.contents(atPath: PackagePaths.seeds.path + "/" + s) ?? Data()))).count
        }
        #expect(count == 19)
    }

    @Test func altTextPlaceholders() throws {
        let text = Self.fm + "![图](a.jpg) ![ IMAGE ](b.jpg) ![\"\"](c.jpg) ![会议现场](d.jpg) <img src=a.jpg alt=\"圖片\"> <img src=b.jpg alt>\n"
        let found = try RuleHarness.diagnostics(rule: "image-alt-missing", text: text).map { "\($0.column) \($0.message)" }
        #expect(found == ["1 alt text '图' is a placeholder; describe the image", "13 alt text 'IMAGE' is a placeholder; describe the image",
                          "31 alt text '\"\"' is a placeholder; describe the image", "59 alt text '圖片' is a placeholder; describe the image",
                          "84 image has empty alt text"])
    }
}

@Suite struct ImageConfigTests {
    static func parse(_ images: String) throws -> Configuration {
        var catalog = Catalog.builtin
        return try Configuration.parse("{\n  \"images\": \(images)\n}", file: "/site/.lint.json", directory: "/site", catalog: &catalog)
    }

    static func error(_ images: String) -> String {
        do {
            _ = try parse(images)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func validSectionIsParsedWithPathsResolved() throws {
        let c = try Self.parse(#"{"online": true, "roots": ["static", "/srv/img"], "timeout": 2.5, "retries": 2, "concurrency": 4, "perHost": 2, "cache": ".cache/images.json", "cacheMaxAge": 3600}"#)
        let s = try ImageSettings.parse(c.sections["images"], file: "x", directory: c.directory)
        #expect(s.online && s.roots == ["/site/static", "/srv/img"] && s.timeout == 2.5 && s.retries == 2)
        #expect(s.cacheFile == "/site/.cache/images.json" && s.cacheMaxAge == 3600)
    }

    @Test func errorsNameTheFieldPositionAndFix() {
        #expect(Self.error(#"{"onlien": true}"#) == "/site/.lint.json:2:14: images.onlien: unknown key 'onlien'; did you mean 'online'?")
        #expect(Self.error(#"{"online": "yes"}"#) == "/site/.lint.json:2:24: images.online: expected true or false, found \"yes\"")
        #expect(Self.error(#"{"timeout": 0}"#) == "/site/.lint.json:2:25: images.timeout: expected a number of seconds from 0.05 to 600, found 0")
        #expect(Self.error(#"{"retries": 1.5}"#) == "/site/.lint.json:2:25: images.retries: expected a whole number from 0 to 10, found 1.5")
        #expect(Self.error(#"{"roots": ["a", 3]}"#) == "/site/.lint.json:2:29: images.roots[1]: expected a string, found number")
        #expect(Self.error(#"{"concurrency": 2, "perHost": 4}"#).contains("images.perHost: perHost (4) cannot exceed concurrency (2)"))
        #expect(Self.error(#"[]"#) == "/site/.lint.json:2:13: images: expected an object, found array")
    }

    @Test func readmeExampleIsValid() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```json\n{\n  \"images\""))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        var catalog = Catalog.builtin
        let c = try Configuration.parse(String(readme[readme.index(start.lowerBound, offsetBy: 8)..<end.lowerBound]), directory: "/site", catalog: &catalog)
        let s = try ImageSettings.parse(c.sections["images"], file: "README.md", directory: "/site")
        #expect(s.roots == ["/site/static", "/site/public"] && s.cacheFile == "/site/.newslint/image-cache.json")
    }

    @Test func commandLineOverridesConfig() throws {
        let dir = TemporaryDirectory()
        dir.write(".lint.json", #"{"images": {"online": true, "timeout": 0.2}}"#)
        dir.write("a.md", "---\ntitle: 新闻\n---\n![图](missing.jpg)\n")
        // --offline: no checker is built even though images.online is set; local checks still run.
        let run = CLIRun.run(["--offline", "--select", "images", "--format", "concise", "a.md"], cwd: dir.path)
        #expect(run.status == 1)
        #expect(run.stdout.contains("a.md:4:6"))
        let bad = CLIRun.run(["--image-timeout", "0", "a.md"], cwd: dir.path)
        #expect(bad.status == 2 && bad.stderr.contains("--image-timeout"))
        let badConfig = CLIRun.run(["--config", "bad.json", "a.md"], cwd: { dir.write("bad.json", #"{"images": {"perhost": 2}}"#); return dir.path }())
        #expect(badConfig.status == 2 && badConfig.stderr.contains("did you mean 'perHost'?"))
    }
}
