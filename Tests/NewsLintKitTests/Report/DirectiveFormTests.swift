import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// Directive forms that were silently no directive: upper case (read in any case, as Ruff reads
/// `# NOQA`) and a directive split over lines (reported, suppressing nothing, with no fix).
@Suite struct DirectiveFormTests {
    static let header = ["---", "title: 市政新闻", "date: 2023-05-04", "---"]

    static func lint(_ lines: [String]) throws -> LintResult {
        var settings = LintSettings()
        settings.jobs = 1
        settings.filter = RuleFilter(select: ["trailing-whitespace", "unused-suppression"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent"), settings: settings)
        return linter.lint([.text(path: "news.md", bytes: Array((header + lines).joined(separator: "\n").utf8))])
    }

    static func summary(_ r: LintResult) -> [String] { r.diagnostics.map { "\($0.line):\($0.rule)" } }

    @Test func upperCaseDirectivesAreRead() throws {
        let r = try Self.lint(["<!-- NEWSLINT-DISABLE-NEXT-LINE trailing-whitespace -->", "正文。 ",
                               "<!-- Newslint-Disable-Line -->第二段。 ", ""])
        #expect(r.diagnostics.isEmpty, "\(Self.summary(r))")
        let ds = Suppressions.directives(in: Document(path: "x.md", text: "<!-- NEWSLINT-DISABLE-FILE -->\n"))
        #expect(ds.map(\.kind) == [.file])
        #expect(ds.first?.word == "NEWSLINT-DISABLE-FILE", "kept as written for messages")
        let typo = try Self.lint(["<!-- NEWSLINT-DISABEL-NEXT-LINE trailing-whitespace -->", "正文。", ""])
        #expect(typo.diagnostics.map(\.message) == ["unknown directive 'NEWSLINT-DISABEL-NEXT-LINE' suppresses nothing; did you mean 'newslint-disable-next-line'?"])
    }

    @Test func splitDirectivesAreReported() throws {
        let r = try Self.lint(["<!-- newslint-disable-next-line", "     trailing-whitespace -->", "正文。 ",
                               "<!--", "newslint-disable-file", "-->", "第二段。 ", ""])
        #expect(Self.summary(r) == ["5:unused-suppression", "7:trailing-whitespace", "8:unused-suppression", "11:trailing-whitespace"])
        let split = r.diagnostics.filter { $0.rule == "unused-suppression" }
        #expect(split.map(\.message) == [
            "directive 'newslint-disable-next-line' is split over lines and suppresses nothing: write it on one line",
            "directive 'newslint-disable-file' is split over lines and suppresses nothing: write it on one line",
        ])
        #expect(split.allSatisfy { $0.fix == nil }, "no fix: what was meant is not known")
    }

    @Test func unclosedAndSplitCommentsStayLinear() {
        // Unclosed: nothing. Each line's search for a later `-->` is answered by the first one's.
        let unclosed = Array(repeating: "<!-- newslint-disable", count: 50_000).joined(separator: "\n")
        #expect(Suppressions.directives(in: Document(path: "x.md", text: unclosed)).isEmpty)
        // A split directive holds the lines up to its `-->`: one directive, the rest is its text.
        let split = "<!-- newslint-disable\n" + unclosed + "\n-->\n"
        #expect(Suppressions.directives(in: Document(path: "x.md", text: split)).map(\.spansLines) == [true])
    }
}
