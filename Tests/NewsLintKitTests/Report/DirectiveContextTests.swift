import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// Only a real comment is a suppression directive: `<!-- newslint-… -->` shown as text (a Markdown
/// code span or indented code), held in an attribute's value, or in `<script>`, `<style>`,
/// `<textarea>`, `<title>` is content. It silences nothing, and the safe `unused-suppression` fix
/// must not delete it (it emptied a `title` attribute and left an empty code span).
@Suite struct DirectiveContextTests {
    static let header = ["---", "title: 市政新闻", "date: 2023-05-04", "---"]

    static func lint(_ lines: [String], path: String = "news.md", fix: FixMode = .none) throws -> LintResult {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = fix
        settings.filter = RuleFilter(select: ["punctuation-width", "unused-suppression"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent"), settings: settings)
        return linter.lint([.text(path: path, bytes: Array((header + lines).joined(separator: "\n").utf8))])
    }

    static func summary(_ r: LintResult) -> [String] { r.diagnostics.map { "\($0.line):\($0.rule)" } }

    static func directives(_ lines: [String], path: String = "news.md") -> [Suppressions.Directive] {
        Suppressions.directives(in: Document(path: path, text: (header + lines).joined(separator: "\n")))
    }

    /// Each body is content, not a directive: nothing found, the finding it would silence is
    /// reported, and no fix touches the text.
    @Test(arguments: [
        ("news.md", ["正文一二三四五六七八九十,用 `<!-- newslint-disable-line punctuation-width -->` 关闭。", ""]),
        ("news.md", ["正文一二三四五六七八九十,用 ``a ` <!-- newslint-disable-line punctuation-width -->`` 关闭。", ""]),
        ("news.md", ["正文。", "", "    <!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", ""]),
        ("news.md", ["# 标题", "\t<!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", ""]),
        ("news.md", ["<p title=\"<!-- newslint-disable-next-line punctuation-width -->\">正文。</p>", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<p title=\"<!-- newslint-disable-next-line punctuation-width -->\">正文。</p>", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<p title='x <!-- newslint-disable-file -->'>正文。</p>", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<textarea>示例 &amp; <!-- newslint-disable-next-line punctuation-width --></textarea>", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<title><!-- newslint-disable-next-line punctuation-width --></title>", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<script>var s = \"<!-- newslint-disable-next-line punctuation-width -->\";</script>", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<style>/* <!-- newslint-disable-next-line punctuation-width --> */</style>", "正文一二三四五六七八九十,正文。", ""]),
        ("news.md", ["<script>", "<!-- newslint-disable-next-line punctuation-width -->", "</script>", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<!-- 编者按", "<!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", ""]),
    ])
    func contentIsNotADirective(path: String, body: [String]) throws {
        #expect(Self.directives(body, path: path).isEmpty)
        let r = try Self.lint(body, path: path)
        #expect(Self.summary(r).map { $0.hasSuffix(":punctuation-width") } == [true], "\(Self.summary(r))")
        let fixed = try Self.lint(body, path: path, fix: .preview(.safe)).files[0].fix?.fixed.map { String(decoding: $0, as: UTF8.self) } ?? (Self.header + body).joined(separator: "\n")
        #expect(fixed.contains("<!-- newslint-disable"), "the fix deleted content: \(fixed)")
    }

    /// Real comments still are directives: beside a code span, in a list item's indented text, in a
    /// paragraph's indented continuation, in an HTML block, after a `<script>` written in a code span.
    @Test(arguments: [
        ("news.md", ["正文一二三四五六七八九十,正文 `code` <!-- newslint-disable-line punctuation-width -->", ""]),
        ("news.md", ["正文一二三四五六七八九十,\\`不是代码 <!-- newslint-disable-line punctuation-width --> `", ""]),
        ("news.md", ["- 项目", "", "    <!-- newslint-disable-next-line punctuation-width -->", "    正文一二三四五六七八九十,正文。", ""]),
        ("news.md", ["正文", "    <!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", ""]),
        ("news.md", ["<div>", "    <!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", "</div>", ""]),
        ("news.md", ["用 `<script>` 和 `<!--` 标记。", "<!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<p title=\"a\">正文。</p><!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", ""]),
        ("a.html", ["<textarea>x</textarea><!-- newslint-disable-next-line punctuation-width -->", "正文一二三四五六七八九十,正文。", ""]),
    ])
    func realCommentsStillSilence(path: String, body: [String]) throws {
        #expect(Self.directives(body, path: path).count == 1)
        let r = try Self.lint(body, path: path)
        #expect(r.diagnostics.isEmpty, "\(Self.summary(r))")
    }

    /// The indented-code walk notes each line it passes: many indented directive lines after one
    /// blank line are decided in one walk, not one walk up to the blank line each.
    @Test func manyIndentedDirectivesAreDecidedInOneWalk() {
        let lines = ["正文。", ""] + Array(repeating: "    <!-- newslint-disable-line -->", count: 40_000)
        #expect(Self.directives(lines).isEmpty)
        let inList = ["- 项目", ""] + Array(repeating: "    <!-- newslint-disable-line -->", count: 40_000)
        #expect(Self.directives(inList).count == 40_000)
    }

    @Test func codeSpansOfALine() {
        let line = Array("a `b` c ``d`e`` \\`f` g```".utf8)
        let spans = MarkdownCode.codeSpans(line, 0..<line.count)
        #expect(spans.map { String(decoding: line[$0], as: UTF8.self) } == ["`b`", "``d`e``"])
    }
}
