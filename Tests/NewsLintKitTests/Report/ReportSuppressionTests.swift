import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Inline suppression comments and `unused-suppression`.
@Suite struct ReportSuppressionTests {
    /// Lints with the hygiene family and unused-suppression enabled (front matter off).
    static func lint(_ lines: [String], select: [String] = ["hygiene", "unused-suppression"], fix: FixMode = .none) throws -> LintResult {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = fix
        settings.filter = RuleFilter(select: select)
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent"), settings: settings)
        return linter.lint([.text(path: "news.md", bytes: Array(lines.joined(separator: "\n").utf8))])
    }

    static func summary(_ r: LintResult) -> [String] { r.diagnostics.map { "\($0.line):\($0.rule)" } }

    static let header = ["---", "title: 市政新闻", "date: 2023-05-04", "---"]

    @Test func disableEnableRangeSilencesOnlyInside() throws {
        let r = try Self.lint(Self.header + [
            "第一段，行尾有空格。 ",
            "<!-- newslint-disable trailing-whitespace -->",
            "第二段，也有空格。 ",
            "第三段。 ",
            "<!-- newslint-enable trailing-whitespace -->",
            "第四段，又有空格。 ",
            "",
        ])
        #expect(Self.summary(r) == ["5:trailing-whitespace", "10:trailing-whitespace"])
    }

    @Test func nextLineAndFileAndBlanket() throws {
        let nextLine = try Self.lint(Self.header + [
            "<!-- newslint-disable-next-line trailing-whitespace -->",
            "會議由黨委副書記主持。 ",
            "全體教職工線上參加會議。 ",
            "",
        ])
        #expect(Self.summary(nextLine) == ["7:trailing-whitespace"])

        // File-wide, anywhere in the file, and by family name.
        let file = try Self.lint(Self.header + ["正文。 ", "另一段。 ", "<!-- newslint-disable-file hygiene -->", "结尾没有换行"])
        #expect(file.diagnostics.isEmpty, "\(Self.summary(file))")

        // No rule named: every rule.
        let blanket = try Self.lint(Self.header + ["<!-- newslint-disable -->", "正文。 ", "结尾没有换行"])
        #expect(blanket.diagnostics.isEmpty, "\(Self.summary(blanket))")
    }

    @Test func blanketDisableWithSelectiveEnable() throws {
        let r = try Self.lint(Self.header + [
            "<!-- newslint-disable -->",
            "正文。 ",
            "<!-- newslint-enable trailing-whitespace -->",
            "这一行的空格要报告。 ",
            "结尾没有换行",
        ])
        #expect(Self.summary(r) == ["8:trailing-whitespace"])
    }

    @Test func unusedAndUnknownAreReported() throws {
        let r = try Self.lint(Self.header + [
            "<!-- newslint-disable-next-line trailing-whitespace, final-newline -->",
            "正文。 ",
            "<!-- newslint-disable-next-line trailng-whitespace -->",
            "第二段。",
            "<!-- newslint-enable line-endings -->",
            "",
        ])
        let unused = r.diagnostics.filter { $0.rule == "unused-suppression" }
        #expect(unused.map(\.line) == [5, 7, 9])
        #expect(unused[0].message.contains("'final-newline' is not reported here"))
        #expect(unused[1].message.contains("unknown rule 'trailng-whitespace'; did you mean 'trailing-whitespace'?"))
        #expect(unused[2].message.contains("nothing to re-enable for 'line-endings'"))
        // Column and end: the comment itself.
        #expect(unused[0].column == 1 && unused[0].endLine == 5)
    }

    @Test func unusedFixRemovesDeadNamesAndDirectives() throws {
        let r = try Self.lint(Self.header + [
            "<!-- newslint-disable-next-line trailing-whitespace, final-newline -->",
            "正文。 ",
            "段落。<!-- newslint-disable-next-line -->",
            "第二段。",
            "",
        ], select: ["trailing-whitespace", "final-newline", "unused-suppression"], fix: .preview(.safe))
        let fixed = String(decoding: r.files[0].fix?.fixed ?? [], as: UTF8.self)
        #expect(fixed == (Self.header + [
            "<!-- newslint-disable-next-line trailing-whitespace -->",
            "正文。 ",
            "段落。",
            "第二段。",
            "",
        ]).joined(separator: "\n"))
    }

    @Test func ignoredInCodeFencesAndFrontMatterAndPlainComments() throws {
        let r = try Self.lint(["---", "title: <!-- newslint-disable -->", "date: 2023-05-04", "---",
                               "```", "<!-- newslint-disable-file -->", "```",
                               "<!--more-->", "<!-- 编者按：本文有删节 -->",
                               "正文。 ", ""])
        #expect(Self.summary(r) == ["10:trailing-whitespace"])
    }

    @Test func onlyActiveRulesAreJudgedUnused() throws {
        // final-newline is not selected: its suppression is not called unused.
        let r = try Self.lint(Self.header + ["<!-- newslint-disable-file final-newline -->", "正文。", ""],
                              select: ["trailing-whitespace", "unused-suppression"])
        #expect(r.diagnostics.isEmpty, "\(Self.summary(r))")
        // With unused-suppression off nothing is reported, and suppression still works.
        let off = try Self.lint(Self.header + ["<!-- newslint-disable -->", "正文。 ", ""], select: ["trailing-whitespace"])
        #expect(off.diagnostics.isEmpty)
    }

    @Test func unusedSuppressionIsSilencedOnlyByName() throws {
        let blanket = try Self.lint(Self.header + ["<!-- newslint-disable -->", "<!-- newslint-disable-next-line final-newline -->", "正文。", ""])
        #expect(blanket.diagnostics.filter { $0.rule == "unused-suppression" }.count == 2)
        let named = try Self.lint(Self.header + ["<!-- newslint-disable-file unused-suppression -->", "<!-- newslint-disable-next-line final-newline -->", "正文。", ""])
        #expect(named.diagnostics.isEmpty, "\(Self.summary(named))")
    }

    @Test func crossFileFindingsHonourTheirFilesDirectives() {
        let text = (Self.header + ["<!-- newslint-disable-next-line slug-duplicate -->", "正文。", "第二段。", ""]).joined(separator: "\n")
        let other = (Self.header + ["正文。", ""]).joined(separator: "\n")
        let diags = [
            Diagnostic(rule: "slug-duplicate", severity: .warning, path: "a.md", line: 6, column: 1, message: "dup"),
            Diagnostic(rule: "slug-duplicate", severity: .warning, path: "a.md", line: 7, column: 1, message: "dup"),
            Diagnostic(rule: "slug-duplicate", severity: .warning, path: "b.md", line: 6, column: 1, message: "dup"),
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "a.md", line: 6, column: 1, message: "per-file, already filtered"),
        ]
        let kept = Suppressions.dropSuppressedCrossFile(diags, crossFileRules: ["slug-duplicate"],
                                                        inMemory: ["a.md": Array(text.utf8), "b.md": Array(other.utf8)], base: "/nonexistent")
        #expect(kept.map { "\($0.path):\($0.line):\($0.rule)" } == ["a.md:7:slug-duplicate", "b.md:6:slug-duplicate", "a.md:6:trailing-whitespace"])
        // Unreadable files keep their findings.
        #expect(Suppressions.dropSuppressedCrossFile(diags, crossFileRules: ["slug-duplicate"], inMemory: [:], base: "/nonexistent").count == 4)
    }

    @Test func reasonsAndMisspeltDirectives() throws {
        let r = try Self.lint(Self.header + [
            "<!-- newslint-disable-next-line trailing-whitespace -- 原网页如此 -->",
            "正文。 ",
            "<!-- newslint-disabel-next-line trailing-whitespace -->",
            "第二段。 ",
            "",
        ])
        #expect(Self.summary(r) == ["7:unused-suppression", "8:trailing-whitespace"])
        #expect(r.diagnostics.first?.message == "unknown directive 'newslint-disabel-next-line' suppresses nothing; did you mean 'newslint-disable-next-line'?")
    }

    @Test func directiveParsing() {
        let doc = Document(path: "x.md", text: "正文<!--   newslint-disable-next-line  a,b  c -->后\n<!-- newslint-disablefoo -->\n<!-- newslint-disable\n")
        let ds = Suppressions.directives(in: doc)
        #expect(ds.count == 2)
        #expect(ds.last?.kind == nil && ds.last?.word == "newslint-disablefoo", "a typo is kept so it can be reported")
        #expect(ds.first?.kind == .nextLine)
        #expect(ds.first?.names == ["a", "b", "c"])
        #expect(ds.first?.line == 1)
    }
}
