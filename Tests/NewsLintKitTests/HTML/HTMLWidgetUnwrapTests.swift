import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintCLI

/// Session 51: html-widget's `unwrap` widgets (markup around article text, DW's
/// `<span data-type="AUTO_TOPIC" title="Automatische Themenseite">`) are reported one per element,
/// and their fix removes only the start and end tags: the text between them stays byte for byte.
@Suite struct HTMLWidgetUnwrapTests {
    static let frontMatter = "---\nlayout: post\ntitle: t\ndate: 2024-11-01 13:17:05 +08:00\ncategories: dw\n---\n\n"
    static let open = "<span data-id=\"17456127\" data-type=\"AUTO_TOPIC\" title=\"Automatische Themenseite\">"

    static func post(_ body: String) -> String { frontMatter + body + "\n" }

    @Test func fixRemovesOnlyTheTagsAndKeepsTheBytesBetween() throws {
        let inner = "北韓&amp;俄羅斯 <!-- x -->\u{3000}"
        let text = Self.post("<p>美方對於\(Self.open)\(inner)</span>派兵。</p>")
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("topic-page link with a German tooltip") == true)
        #expect(found.first?.message.contains("the text stays") == true)
        #expect(found.first?.fix?.applicability == .safe)
        let fixed = try RuleHarness.fixed(rule: "html-widget", text: text, path: "a.html", unsafe: false)
        #expect(fixed == Self.post("<p>美方對於\(inner)派兵。</p>"))
    }

    @Test func eachSpanIsReportedAndNestedInlineMarkupStays() throws {
        let body = "<p>\(Self.open)<b>俄烏</b>戰爭<br>與\(Self.open)<a href=\"https://www.dw.com/zh/x\"><i>北韓</i></a></span></span>。</p>"
        let text = Self.post(body)
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html")
        #expect(found.count == 2, "\(found.map(\.message))")
        #expect(found.allSatisfy { $0.fix?.applicability == .safe })
        let fixed = try RuleHarness.fixed(rule: "html-widget", text: text, path: "a.html", unsafe: false)
        #expect(fixed == Self.post("<p><b>俄烏</b>戰爭<br>與<a href=\"https://www.dw.com/zh/x\"><i>北韓</i></a>。</p>"))
    }

    @Test func missingEndTagGivesNoFix() throws {
        // The span is closed by `</p>`, not by its own end tag: its extent is a guess.
        let text = Self.post("<p>美方對於\(Self.open)北韓派兵。</p><p>下一段。</p>")
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html")
        #expect(found.count == 1)
        #expect(found.first?.fix == nil)
        #expect(try RuleHarness.fixed(rule: "html-widget", text: text, path: "a.html", unsafe: true) == text)
    }

    @Test(arguments: [
        // An unclosed inline element inside: `</span>` closes it implicitly.
        "<p>\(open)<b>北韓</span>派兵。</p>",
        // An unclosed span inside: the end tag is the inner span's, the outer one is never closed.
        "<p>\(open)<span>北韓</span>派兵。</p>",
        // Block markup inside.
        "<div>\(open)<div>北韓</div></span></div>",
        // A stray end tag inside.
        "<p>\(open)北韓</i></span>派兵。</p>",
    ])
    func irregularMarkupInsideIsNotSafe(body: String) throws {
        let text = Self.post(body)
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html")
        #expect(!found.isEmpty, "\(body)")
        #expect(found.allSatisfy { $0.fix?.applicability != .safe }, "\(body): \(found.map { $0.fix?.description ?? "no fix" })")
    }

    @Test func spanInsideADeletedWidgetIsNotReportedSeparately() throws {
        let text = Self.post("<p>正文。</p><div class='insertGroup'><a class='insert' href='x'>\(Self.open)北韓</span>新聞</a></div><p>下文。</p>")
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("related-article insert") == true)
    }

    @Test func deletedWidgetInsideASpanDoesNotSwallowTheSpan() throws {
        // The glossary icon is all the span holds besides its text: the icon's deletion does not grow
        // into the span (whose tags the other finding removes); together they leave the text.
        let text = Self.post("<p>若\(Self.open)PMI<span class='dic-icon'></span></span>低迷。</p>")
        let found = try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html")
        #expect(found.count == 2, "\(found.map(\.message))")
        let fixed = try RuleHarness.fixed(rule: "html-widget", text: text, path: "a.html", unsafe: false)
        #expect(fixed == Self.post("<p>若PMI低迷。</p>"))
        let onlyIcon = Self.post("<p>若\(Self.open)<span class='dic-icon'></span></span>低迷。</p>")
        #expect(try RuleHarness.fixed(rule: "html-widget", text: onlyIcon, path: "a.html", unsafe: false) == Self.post("<p>若低迷。</p>"))
    }

    @Test func ordinarySpansAreQuiet() throws {
        let text = Self.post("<p><span class=\"x\">北韓</span><span data-type=\"PERSON\" title=\"Automatische Themenseite\">布林肯</span><span data-type=\"auto_topic\">說</span></p>")
        #expect(try RuleHarness.diagnostics(rule: "html-widget", text: text, path: "a.html").isEmpty)
    }

    @Test func fixedTextIsBalancedAndTheCLIFixIsIdempotent() throws {
        let text = Self.post("<p>美方對於\(Self.open)北韓</span>派兵赴\(Self.open)<strong>俄羅斯</strong></span>。</p>\n<p>布林肯說。</p>")
        let dir = TemporaryDirectory()
        dir.write("a.html", text)
        let first = CLIRun.run(["--no-config", "--no-cache", "--fix", "--select", "html-widget", "a.html"], cwd: dir.path)
        let fixed = String(decoding: dir.read("a.html"), as: UTF8.self)
        #expect(fixed == Self.post("<p>美方對於北韓派兵赴<strong>俄羅斯</strong>。</p>\n<p>布林肯說。</p>"), "\(first.stdout)\(first.stderr)")
        let second = CLIRun.run(["--no-config", "--no-cache", "--fix", "--select", "html-widget", "a.html"], cwd: dir.path)
        #expect(String(decoding: dir.read("a.html"), as: UTF8.self) == fixed, "\(second.stdout)\(second.stderr)")
        #expect(try RuleHarness.diagnostics(rule: "html-widget", text: fixed, path: "a.html").isEmpty)
        #expect(try RuleHarness.diagnostics(rule: "html-tag-unbalanced", text: fixed, path: "a.html").isEmpty)
    }
}
