import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintCLI

/// Small things the outputs said wrong.
@Suite struct ReportCosmeticsTests {
    static func fix(_ applicability: Applicability) -> Fix { Fix(applicability, "f", edits: [Edit(range: 0..<1, replacement: "")]) }

    static func counts(_ rows: [(rule: String, safe: Int, unsafe: Int, none: Int, files: Int)]) -> RuleCounts {
        var counts = RuleCounts()
        for r in rows {
            var ds: [Diagnostic] = []
            func add(_ fix: Fix?) { ds.append(Diagnostic(rule: r.rule, severity: .warning, path: "f\(ds.count % r.files).md", line: 1, column: 1, message: "m", fix: fix)) }
            for _ in 0..<r.safe { add(Self.fix(.safe)) }
            for _ in 0..<r.unsafe { add(Self.fix(.unsafe)) }
            for _ in 0..<r.none { add(nil) }
            counts.add(ds)
        }
        return counts
    }

    /// Rows were ranked by a file count the table does not show (52 above 57 on agora-pen), and
    /// `[*]` counted unsafe fixes, which `--fix` does not apply (Ruff fixed the same: #16751).
    @Test func statisticsRankByTheShownCountAndMarkOnlyWhatFixApplies() {
        let counts = Self.counts([("trailing-whitespace", 0, 0, 52, 52), ("invisible-char", 0, 0, 57, 1), ("script-mixed", 0, 4, 0, 1), ("final-newline", 3, 0, 0, 1)])
        let text = ReportingSettings.statistics(counts, catalog: .builtin, json: false)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.map { $0.split(separator: " ")[1] } .prefix(4) == ["invisible-char", "trailing-whitespace", "script-mixed", "final-newline"])
        #expect(lines[2].contains("script-mixed         ") && !lines[2].contains("[*]") && !lines[2].contains("[-]"))
        #expect(lines[3].contains("[*]"))
        #expect(lines.last == "[*] 3 fixable with the --fix option (4 hidden fixes can be enabled with the --unsafe-fixes option).")
        let unsafe = ReportingSettings.statistics(counts, catalog: .builtin, json: false, unsafe: true)
        #expect(unsafe.contains("script-mixed         [*]"))
        #expect(unsafe.hasSuffix("[*] 7 fixable with the --fix option.\n"))
        let none = ReportingSettings.statistics(Self.counts([("script-mixed", 0, 2, 0, 1)]), catalog: .builtin, json: false)
        #expect(none.hasSuffix("No fixes available (2 hidden fixes can be enabled with the --unsafe-fixes option).\n"))
    }

    @Test func markdownShowsCorpusTextAsWritten() {
        #expect(SummaryRenderer.mdText("a*b*_c_ `x` [l](u) |") == "a\\*b\\*\\_c\\_ \\`x\\` \\[l\\](u) \\|")
        #expect(SummaryRenderer.mdText("a&lt;b<c") == "a&amp;lt;b&lt;c")
        #expect(SummaryRenderer.mdCodeSpan("a`b|c") == "``a`b\\|c``")
        #expect(SummaryRenderer.mdCodeSpan("`x") == "`` `x ``")
        #expect(SummaryRenderer.mdCodeSpan("news/a.md:3") == "`news/a.md:3`")
    }

    /// `merge` knows only the files with findings: "N of N files" claimed every file had one.
    @Test func markdownOfARunThatKnowsNoCleanFile() {
        let d = [Diagnostic(rule: "slug-duplicate", severity: .warning, path: "a.md", line: 1, column: 1, message: "m")]
        let context = ReportContext(catalog: .builtin, color: false)
        let merged = MarkdownReporter().render(LintResult(diagnostics: d, files: [], ioFailure: false, fixSummary: FixSummary()), context: context)
        #expect(merged.contains("**1** problem in 1 file: "))
        let files = ["a.md", "b.md"].map { FileOutcome(path: $0, diagnostics: [], facts: [], byteCount: 0, fix: nil, ioFailure: false) }
        let linted = MarkdownReporter().render(LintResult(diagnostics: d, files: files, ioFailure: false, fixSummary: FixSummary()), context: context)
        #expect(linted.contains("**1** problem in 1 of 2 files: "))
    }

    @Test func profileCountsAreSingularForOne() {
        var s = CorpusSummary(CorpusSummary.Accumulator(catalog: .builtin), profiles: [])
        s.profile.profiled = 1
        #expect(SummaryRenderer.text(s).contains("Profile (1 file):"))
    }

    /// The report's chrome is English; a quoted Chinese line says it is Chinese.
    @Test func quotedChineseLinesAreMarkedChinese() {
        #expect(HTMLReport.excerptHTML(Excerpt(before: "前", marked: "文", after: "")).hasPrefix("<span class=\"ex\" lang=\"zh\">"))
        #expect(HTMLReport.excerptHTML(Excerpt(before: "a ", marked: " ", after: "")).hasPrefix("<span class=\"ex\">"))
    }
}
