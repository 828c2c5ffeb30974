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
