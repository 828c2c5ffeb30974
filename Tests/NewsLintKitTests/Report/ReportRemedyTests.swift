import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintCLI

/// What the report's rows say resolves a problem: counts a remedy cannot keep are not promised,
/// and the commands say what they do.
@Suite struct ReportRemedyTests {
    static let lineMessage = "line repeated in 142 of 318 files of site 'chinese.aljazeera.net' (site residue; 'newslint learn' turns such lines into a rule pack)"

    static func summary(_ diagnostics: [Diagnostic]) -> CorpusSummary {
        var acc = CorpusSummary.Accumulator(catalog: .builtin)
        for d in diagnostics { acc.add(d) }
        return CorpusSummary(acc, profiles: [])
    }

    static func repeated(_ path: String, line: Int = 3) -> Diagnostic {
        Diagnostic(rule: "boilerplate-repeated", severity: .warning, path: path, line: line, column: 1, message: lineMessage)
    }

    static func fix(_ applicability: Applicability) -> Fix { Fix(applicability, "f", edits: [Edit(range: 0..<1, replacement: "")]) }

    /// A learned rule pack's delete-line fix touches an HTML line's markup, which the engine drops:
    /// on agora-pen all 239 lines the hint promised to a pack kept their findings and had no fix.
    @Test func learnedPackCountsOnlyLinesItCanDelete() throws {
        let mixed = Self.summary([Self.repeated("a.md"), Self.repeated("b.md"), Self.repeated("c.html")])
        let row = try #require(mixed.problems.first)
        #expect(row.remedy == .learn && row.resolved == 2 && row.findings == 3)
        #expect(row.remedyText == "learn (rule pack; 2 of 3: not lines of HTML files)")
        #expect(SummaryRenderer.verdict(mixed).contains("; 2 with a rule pack from `newslint learn`; 1 needs an editor."))

        let html = Self.summary([Self.repeated("a.html"), Self.repeated("b.htm")])
        let htmlRow = try #require(html.problems.first)
        #expect(htmlRow.remedy == .manual && htmlRow.resolved == 0)
        #expect(htmlRow.remedyText.hasPrefix("by hand (lines of HTML files"))
        #expect(!SummaryRenderer.verdict(html).contains("newslint learn"))
        #expect(SummaryRenderer.verdict(html).contains("2 need an editor"))
    }

    /// The learn command alone makes a pack nobody runs: it must be listed in `rulePacks`, and its
    /// fixes are unsafe.
    @Test func learnCommandSaysHowThePackIsUsed() throws {
        let row = try #require(Self.summary([Self.repeated("a.md")]).problems.first)
        let command = row.command(scope: ["corpus"])
        #expect(command.hasPrefix("newslint learn -o rule-packs/learned.json corpus  # "))
        #expect(command.contains("\"rulePacks\""))
        #expect(command.hasSuffix("newslint --fix --unsafe-fixes --select learned-boilerplate corpus"))
    }

    /// `--fix --unsafe-fixes --select RULE` applies every class of the rule, not the row's alone.
    @Test func unsafeCommandSaysItAppliesTheWholeRule() throws {
        let d = Diagnostic(rule: "script-mixed", severity: .warning, path: "a.md", line: 1, column: 1, message: "Simplified '术' in Traditional text", fix: Self.fix(.unsafe))
        let row = try #require(Self.summary([d]).problems.first)
        #expect(row.remedy == .unsafeFix)
        #expect(row.command(scope: []) == "newslint --fix --unsafe-fixes --select script-mixed .  # applies all of script-mixed's fixes, not only this class's: --diff previews them")
    }

    /// The listing cap's "N more … not listed" stands for the rule's own findings: a row of the
    /// rule, right under its other rows, fixed as they are (it was a class of its own, "by hand").
    @Test func unlistedFindingsAreARowOfTheirRule() throws {
        var diagnostics: [Diagnostic] = []
        for line in 1...3 {
            diagnostics.append(Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "a.md", line: line, column: 5, message: "trailing whitespace", fix: Self.fix(.safe)))
        }
        var cap = Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "a.md", line: 3, column: 1,
                             message: "500 more trailing-whitespace findings in this file not listed (at most 3 per rule per file)")
        cap.unlisted = UnlistedFindings(warnings: 500, safeFixes: 500)
        diagnostics.append(cap)
        // Another rule in more files ranks between them by impact.
        for name in ["b.md", "c.md"] { diagnostics.append(Self.repeated(name)) }
        let problems = Self.summary(diagnostics).problems
        #expect(problems.map(\.rule) == ["boilerplate-repeated", "trailing-whitespace", "trailing-whitespace"])
        let unlisted = try #require(problems.last)
        #expect(unlisted.isUnlisted && unlisted.kind == CorpusSummary.unlistedKind)
        #expect(unlisted.findings == 500 && unlisted.remedy == .fix && unlisted.remedyText == "--fix")
        #expect(problems.map(\.id) == ["p1", "p2", "p3"])
    }

    @Test func unlistedRowOfARuleWithNoOtherRowKeepsItsRank() {
        var cap = Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "a.md", line: 3, column: 1, message: "9 more trailing-whitespace findings in this file not listed (at most 0 per rule per file)")
        cap.unlisted = UnlistedFindings(warnings: 9)
        let problems = Self.summary([cap, Self.repeated("b.md")]).problems
        #expect(problems.count == 2 && problems.contains { $0.isUnlisted })
    }
}
