import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 14: images of HTML documents come from the tokenizer (srcset, <picture>, lazy loading).
@Suite struct HTMLImageTests {
    static let fm = "---\ntitle: 新聞\ndate: 2024-11-01\n---\n"

    static func lint(_ body: String, existing: Set<String> = [], online: Bool = false, checker: RecordingChecker? = nil, path: String = "news/a.html") throws -> [String] {
        var config = Configuration(directory: "/corpus")
        config.rules = [("image-link-broken", RuleSetting(enabled: true))]
        var settings = LintSettings()
        settings.jobs = 1
        settings.baseDirectory = "/corpus"
        settings.filter = RuleFilter(select: ["image-link-broken"])
        settings.environment.probe = FakeProbe(existing: existing)
        if let checker {
            settings.environment.images.online = true
            settings.environment.urlChecker = checker
        }
        let linter = try Linter(catalog: .builtin, config: config, settings: settings)
        let result = linter.lint([.text(path: path, bytes: Array((fm + body).utf8))])
        return result.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
    }

    @Test func everyCandidateURLIsALinkWithItsExactRange() {
        let body = "<picture><source media='(max-width: 414px)' data-srcset='a/800.jpg'><source srcset=\"b.jpg 1x, c,d.jpg 2x,e.jpg\"><img class='lazyload' alt='合影' src='f.jpg' data-srcset='g.jpg 414w, h.jpg 1024w'></picture>"
            + "<video><source src='v.mp4'></video><img data-src='i.jpg' src=''><img data-original=\"j.jpg\">\n"
        let doc = Document(path: "a.html", text: Self.fm + body)
        let links = ImageScanner.scan(doc)
        func s(_ r: Range<Int>?) -> String { r.map { String(decoding: doc.bytes[$0], as: UTF8.self) } ?? "nil" }
        #expect(links.map { s($0.source) } == ["a/800.jpg", "b.jpg", "c,d.jpg", "e.jpg", "f.jpg", "g.jpg", "h.jpg", "i.jpg", "j.jpg"])
        #expect(links.map(\.isAlternate) == [true, true, true, true, false, true, true, false, false])
        #expect(links.filter { !$0.isAlternate }.map { s($0.alt) } == ["合影", "nil", "nil"])
    }

    @Test func markdownKeepsItsOwnScanner() {
        let doc = Document(path: "a.md", text: Self.fm + "![图](a.jpg) <img src='b.png' srcset='c.png 2x'>\n")
        #expect(ImageScanner.scan(doc).compactMap { $0.source.map { String(decoding: doc.bytes[$0], as: UTF8.self) } } == ["a.jpg", "b.png", "c.png"])
    }

    /// Raw `srcset` in Markdown was never read (only `.html` files checked it): every candidate is
    /// now checked as in HTML, with the same candidate parser, at its own column; `<source src>`
    /// (media) and code spans stay out.
    @Test func markdownSrcsetCandidatesAreChecked() throws {
        let body = "<img src='pics/ok.jpg' srcset='pics/ok.jpg 1x, pics/missing.jpg 2x' alt='會場'>\n"
            + "<picture><source srcset=\"b.jpg 1x, c,d.jpg 2x,javascript:x\"><img src='pics/ok.jpg' alt='圖'></picture>\n"
            + "<img srcset='pics/only.jpg 2x' alt='只有'> `<img srcset='code.jpg'>`\n<video><source src='v.mp4'></video>\n"
        let got = try Self.lint(body, existing: ["/corpus/news/pics/ok.jpg"], path: "news/a.md")
        #expect(got == [
            "5:48 local image 'pics/missing.jpg' does not exist",
            "6:26 local image 'b.jpg' does not exist",
            "6:36 local image 'c,d.jpg' does not exist",
            "6:47 unsupported URL scheme 'javascript'",
            "7:14 local image 'pics/only.jpg' does not exist",
        ])
        // Candidates are alternates: alt rules see each image once, and a srcset-only <img> is one image.
        let doc = Document(path: "a.md", text: Self.fm + body)
        let links = ImageScanner.scan(doc)
        #expect(links.filter { !$0.isAlternate }.count == 3)
        #expect(links.allSatisfy { $0.syntaxProblem == nil })
    }

    /// Raw HTML in Markdown read only `src`, `alt` and the `srcset`s: `<img src="" data-src="x.jpg">`
    /// was an empty source there while HTML files take it for a lazy loader's placeholder and check
    /// `data-src`. Both now read a tag's attributes the same way (`HTMLImageScanner.readSources`).
    @Test func markdownRawHTMLReadsLazyLoadingAsHTMLFilesDo() throws {
        let body = "<img src=\"\" data-src=\"pics/missing.jpg\" alt=\"圖\">\n<img src='' data-original='pics/ok.jpg'>\n"
            + "<img class=lazyload data-lazy-src=pics/ok.jpg alt=會場>\n"
        let existing: Set<String> = ["/corpus/news/pics/ok.jpg"]
        let markdown = try Self.lint(body, existing: existing, path: "news/a.md")
        #expect(markdown == ["5:23 local image 'pics/missing.jpg' does not exist"])
        #expect(markdown == (try Self.lint(body, existing: existing, path: "news/a.html")))
    }

    /// A blank lazy attribute loads nothing, so it makes no placeholder of a blank `src`: the image
    /// is still empty, in Markdown as in HTML (a `data-src=""` once hid both findings).
    @Test func aBlankLazyAttributeIsNoPlaceholder() throws {
        for body in ["<img src=\"\" data-src=\"\" alt=\"圖\">\n", "<img data-src=\"\" alt=\"圖\">\n", "<img src='' data-original=' '>\n"] {
            let markdown = try Self.lint(body, existing: [], path: "news/a.md")
            #expect(!markdown.isEmpty && markdown.allSatisfy { $0.hasSuffix("empty image source") }, "\(body): \(markdown)")
            #expect(markdown == (try Self.lint(body, existing: [], path: "news/a.html")), "\(body)")
        }
    }

    /// The same links (source, alternate, alt text) from a tag in a Markdown body as in an HTML file.
    @Test func markdownRawHTMLImagesEqualHTMLFileImages() {
        let tags = [
            "<img src=\"\" data-src=\"/x.jpg\">", "<img data-src='a.jpg' src='b.jpg' alt='兩個'>", "<img src=' ' data-srcset='c.jpg 1x, d.jpg 2x'>",
            "<img srcset='e.jpg 2x' src='f.jpg' alt=後>", "<img src='g.jpg' src='h.jpg' alt='一' alt='二'>", "<img data-original=\"\" src=\"\">",
            "<img data-src src=''>", "<IMG SRC='i.jpg' DATA-LAZY-SRC='j.jpg'>", "<img alt='無'>", "<img srcset=''>",
            "<picture><source data-srcset='k.jpg 414w' data-src='l.jpg'><img src='m.jpg'></picture>",
        ]
        for tag in tags {
            let text = Self.fm + "<p>" + tag + "</p>\n"
            func links(_ path: String) -> [String] {
                let doc = Document(path: path, text: text)
                func s(_ r: Range<Int>?) -> String { r.map { String(decoding: doc.bytes[$0], as: UTF8.self) } ?? "nil" }
                return ImageScanner.scan(doc).map { "\(s($0.source)) \($0.isAlternate) \(s($0.alt)) \($0.syntaxProblem ?? "")" }
            }
            #expect(links("a.md") == links("a.html"), "\(tag)")
        }
    }

    @Test func brokenCandidatesAreReportedWhereTheyAre() throws {
        let body = "<img src='pics/ok.jpg' srcset='pics/ok.jpg 1x, pics/missing.jpg 2x' alt='會場'>\n<picture><source srcset='javascript:x'><img src=''></picture>\n<img alt='無圖'>\n"
        let got = try Self.lint(body, existing: ["/corpus/news/pics/ok.jpg"])
        #expect(got == [
            "5:48 local image 'pics/missing.jpg' does not exist",
            "6:26 unsupported URL scheme 'javascript'",
            "6:40 empty image source",
            "7:1 <img> has no src attribute",
        ])
    }

    @Test func onlineModeChecksSrcsetAndLazyURLs() throws {
        let checker = RecordingChecker()
        let body = "<img src='https://img.example.hk/0.jpg' srcset='https://img.example.hk/0.jpg 1x, https://img.example.hk/1.jpg 2x'>\n<img class='lazyload' data-src='https://img.example.hk/a/1.jpg'>\n"
        let got = try Self.lint(body, checker: checker)
        #expect(got == [
            "5:82 remote image 'https://img.example.hk/1.jpg' is unreachable: HTTP 404",
            "6:33 remote image 'https://img.example.hk/a/1.jpg' is unreachable: HTTP 404",
        ])
        #expect(checker.calls.withLock { $0 } == [["https://img.example.hk/0.jpg", "https://img.example.hk/1.jpg", "https://img.example.hk/a/1.jpg"]])
    }
}
