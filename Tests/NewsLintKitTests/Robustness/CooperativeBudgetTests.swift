import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 19, item 3: the per-file time budget reaches inside a long-running rule. Rules with heavy
/// loops ask `sink.isOverBudget` (via `budgetSpent`) and stop; the engine reports that the file was
/// only partly checked. No timing assertion: a budget of 0 is spent before the first check.
@Suite struct CooperativeBudgetTests {
    /// Something for every rule to chew on: 120 front-matter keys, 300 body lines with images,
    /// entities, mixed scripts, mojibake, obfuscated e-mail, archive residue, and one 6 KB line.
    static let input: String = {
        var s = "---\ntitle: 標題\ndate: 2024-01-01\n"
        for k in 0..<120 { s += "key\(k): 值\(k)\n" }
        s += "---\n"
        s += String(repeating: "香港政府今日宣布，這里有新的措施。", count: 200) + "\n"
        for n in 0..<300 {
            s += "![](img\(n).png) 記者 [email protected] 報道&nbsp;<br>這里发展 ç¾Žå›½ 網頁快照 原文鏈接 https://web.archive.org/web/2020/https://example.com/\(n) 第\(n)段。\n\n"
        }
        return s
    }()

    static func lint(_ rule: String, budget: Double?) throws -> [Diagnostic] {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fileTimeBudget = budget
        settings.filter = RuleFilter(select: [rule, "file-skipped"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-budget-root"), settings: settings)
        return linter.lint([.text(path: "a.md", bytes: Array(input.utf8))]).diagnostics
    }

    @Test(arguments: ["mojibake", "script-mixed", "punctuation-width", "boilerplate", "html-remnant", "email-obfuscated",
                      "archive-residue", "image-link-broken", "image-alt-missing", "front-matter-field"])
    func spentBudgetStopsTheRulePartway(_ rule: String) throws {
        let partial = try Self.lint(rule, budget: 0)
        let skipped = partial.filter { $0.rule == "file-skipped" }
        #expect(skipped.count == 1, "\(rule): \(skipped.map(\.message))")
        #expect(skipped.first?.message.contains("rule '\(rule)' ran past the per-file time budget") == true)
        #expect(skipped.first?.message.contains("only partly checked") == true, "\(rule) did not stop itself: \(skipped.map(\.message))")
        // Without a budget the rule runs to the end: no skip, and at least what the partial run found.
        let full = try Self.lint(rule, budget: nil)
        #expect(!full.contains { $0.rule == "file-skipped" })
        #expect(full.filter { $0.rule == rule }.count >= partial.filter { $0.rule == rule }.count)
    }

    /// Near-duplicate shingling (cross-file facts) stops too: no fact (a partial signature would
    /// match the wrong files), and a finding says the file was not compared.
    @Test func spentBudgetStopsNearDuplicateShingling() throws {
        let partial = try Self.lint("content-near-duplicate", budget: 0)
        let skipped = partial.filter { $0.rule == "file-skipped" }
        #expect(skipped.count == 1 && skipped.first?.message.contains("rule 'content-near-duplicate'") == true)
        #expect(skipped.first?.message.contains("only partly checked") == true && skipped.first?.message.contains("not compared") == true)
        #expect(!(try Self.lint("content-near-duplicate", budget: nil)).contains { $0.rule == "file-skipped" })
        let rule = try ContentNearDuplicateRule(options: RuleOptions())
        let document = Document(path: "a.md", bytes: Array(Self.input.utf8))
        #expect(rule.collect(document, budget: CollectBudget(seconds: 0)) == nil)
        #expect(rule.collect(document, budget: CollectBudget(seconds: 3600)) != nil)
    }

    /// A rule that finished in time is not reported, and one with no budget never asks the clock.
    @Test func unspentBudgetReportsNothing() throws {
        let d = try Self.lint("mojibake", budget: 3600)
        #expect(!d.contains { $0.rule == "file-skipped" })
        var sink = DiagnosticSink(document: Document(path: "a.md", bytes: []), rule: "x", severity: .warning)
        #expect(!sink.isOverBudget && !sink.budgetSpent(step: 64, bytes: 1 << 20))
        sink.deadline = 0
        #expect(!sink.budgetSpent(step: 1) && sink.budgetSpent(step: 64) && sink.isOverBudget && sink.stoppedOverBudget)
    }

    /// The engine compares the elapsed nanoseconds after each rule with `fewestNanosecondsOver`
    /// instead of the elapsed seconds with the budget: the same answer for every count near the
    /// budget, whole, fractional, tiny, negative, not a number, or too large for a count.
    @Test(arguments: [30.0, 1.0, 1.7, 2.25, 0.1, 1e-9, 0.3e-8, 0, -1, 86_400, 12_345.678_9, 1e7 + 0.1, .nan, 1e300])
    func theBudgetInNanosecondsAnswersAsTheSecondsDid(_ budget: Double) {
        let over = Linter.fewestNanosecondsOver(budget)
        func secondsOver(_ n: UInt64) -> Bool { Double(n) / 1e9 > budget }
        if over == .max {
            #expect(budget.isNaN || budget > 1e9)
            return
        }
        #expect(secondsOver(over))
        if over > 0 { #expect(!secondsOver(over - 1)) }
        for n in (over >= 3 ? over - 3 : 0)...(over + 3) { #expect(secondsOver(n) == (n >= over), "\(budget) at \(n)") }
    }
}
