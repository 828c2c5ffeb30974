import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintCLI

/// `--max-findings-per-rule` caps what is listed, never what is counted: every finding a rule made
/// counts once, with its own severity and fix kind, in the totals, the exit policy, `--statistics`
/// and the summaries (the one "N more … not listed" finding used to count as one).
@Suite struct ListingCapCountTests {
    /// A post whose body has `count` paragraphs ending in a space (one safe `trailing-whitespace` warning each).
    static func post(_ count: Int) -> String {
        "---\ntitle: 标题\ndate: 2024-01-01\n---\n" + String(repeating: "正文内容足够长的一段文字。 \n\n", count: count)
    }

    /// A directory holding one post per count, `a0.md`, `a1.md`, ….
    static func corpus(_ counts: [Int]) -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        for (i, n) in counts.enumerated() { dir.write("a\(i).md", post(n)) }
        return dir
    }

    static func lint(_ dir: TemporaryDirectory, _ extra: [String], env: [String: String] = [:]) -> CLIRun {
        CLIRun.run(["--no-config", "--select", "trailing-whitespace"] + extra + [dir.path], cwd: dir.path, env: env)
    }

    /// The last "Found …" line and the fixable line of a text run.
    static func totals(_ run: CLIRun) -> String {
        run.stdout.split(separator: "\n").filter { $0.hasPrefix("Found ") || $0.contains("fixable with") }.joined(separator: "\n")
    }

    @Test func maxWarningsCountsTheUnlistedFindings() {
        let dir = Self.corpus([1500])
        let run = Self.lint(dir, ["--no-cache", "--max-warnings", "1200"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("1500 warnings exceed --max-warnings 1200"))
        #expect(Self.totals(run) == "Found 1500 problems (1500 warnings) in 1 of 1 file.\n1500 fixable with --fix.")
        // Listed as before: 1,000 findings and the one saying how many more.
        let lines = Self.lint(dir, ["--no-cache", "--format", "jsonl"])
        #expect(lines.stdout.split(separator: "\n").count == 1001)
        #expect(lines.stdout.contains("500 more trailing-whitespace findings in this file not listed (at most 1000 per rule per file)"))
        #expect(Self.lint(dir, ["--no-cache", "--max-warnings", "1500"]).status == 0)
    }

    @Test func statisticsCountEveryFinding() {
        let dir = Self.corpus([1500])
        let run = Self.lint(dir, ["--no-cache", "--statistics"])
        #expect(run.stdout.hasPrefix("1500  trailing-whitespace  [*] "))
        let json = Self.lint(dir, ["--no-cache", "--statistics", "--format", "json"])
        #expect(json.stdout.contains("\"count\":1500,\"files\":1,\"fixable\":1500"))
    }

    @Test func jsonCarriesTheUnlistedCountsOnTheSummaryFindingOnly() {
        let dir = Self.corpus([1500])
        let run = Self.lint(dir, ["--no-cache", "--format", "json"])
        #expect(run.stdout.components(separatedBy: "\"unlisted\"").count - 1 == 1)
        #expect(run.stdout.contains("not listed (at most 1000 per rule per file)\",\"fix\":null,\"unlisted\":{\"warning\":500,\"safeFixes\":500}}"))
        let lines = Self.lint(dir, ["--no-cache", "--format", "jsonl"])
        #expect(lines.stdout.contains(",\"unlisted\":{\"warning\":500,\"safeFixes\":500}}\n"))
        let sarif = Self.lint(dir, ["--no-cache", "--format", "sarif"])
        #expect(sarif.stdout.components(separatedBy: "\"unlisted\"").count - 1 == 1)
        #expect(sarif.stdout.contains("},\"properties\":{\"unlisted\":{\"warning\":500,\"safeFixes\":500}}}"))
    }

    @Test func summaryAndReportCountEveryFinding() {
        let dir = Self.corpus([1500])
        let run = Self.lint(dir, ["--no-cache", "--summary"])
        #expect(run.stdout.contains("1500 fixable with --fix, 0 more with --unsafe-fixes"))
        let report = CLIRun.run(["report", "--no-config", "--select", "trailing-whitespace", "--format", "json", dir.path], cwd: dir.path)
        #expect(report.stdout.contains("\"diagnostics\":1500,\"errors\":0,\"warnings\":1500,\"info\":0,\"fixableSafe\":1500,"))
        let markdown = Self.lint(dir, ["--no-cache", "--format", "markdown"])
        #expect(markdown.stdout.contains("1500 fixable with `--fix`"))
    }

    @Test func warmCacheCountsAsColdDoes() {
        let dir = Self.corpus([1500, 3, 1200])
        let cache = TemporaryDirectory()
        for format in ["text", "json", "sarif"] {
            let cold = Self.lint(dir, ["--cache-dir", cache.path, "--format", format])
            let warm = Self.lint(dir, ["--cache-dir", cache.path, "--format", format])
            #expect(cold.stdout == warm.stdout)
            #expect(cold.status == warm.status)
        }
        let warm = Self.lint(dir, ["--cache-dir", cache.path, "--max-warnings", "2700"])
        #expect(Self.totals(warm) == "Found 2703 problems (2703 warnings) in 3 of 3 files.\n2703 fixable with --fix.")
        #expect(warm.status == 1)
    }

    @Test func jobsSpillAndNoCapGiveTheSameTotals() {
        let dir = Self.corpus([1500, 2, 1001, 2500])
        let expected = "Found 5003 problems (5003 warnings) in 4 of 4 files.\n5003 fixable with --fix."
        #expect(Self.totals(Self.lint(dir, ["--no-cache", "--jobs", "1"])) == expected)
        #expect(Self.totals(Self.lint(dir, ["--no-cache", "--jobs", "4"])) == expected)
        #expect(Self.totals(Self.lint(dir, ["--no-cache", "--jobs", "4"], env: ["NEWSLINT_SPILL_BYTES": "0"])) == expected)
        #expect(Self.totals(Self.lint(dir, ["--no-cache", "--max-findings-per-rule", "0"])) == expected)
        let cache = TemporaryDirectory()
        _ = Self.lint(dir, ["--cache-dir", cache.path])
        #expect(Self.totals(Self.lint(dir, ["--cache-dir", cache.path], env: ["NEWSLINT_SPILL_BYTES": "0"])) == expected)
    }

    /// Past the stored bound (100,000 a rule a file) findings are only counted, by severity and fix kind.
    @Test func findingsPastTheStoredBoundAreCounted() {
        let dir = Self.corpus([Linter.storedFindingsPerRule + 50])
        let run = Self.lint(dir, ["--no-cache", "--statistics"])
        #expect(run.stdout.hasPrefix("100050  trailing-whitespace  [*] "))
        let text = Self.lint(dir, ["--no-cache"])
        #expect(Self.totals(text) == "Found 100050 problems (100050 warnings) in 1 of 1 file.\n100050 fixable with --fix.")
        #expect(text.stdout.contains("99050 more trailing-whitespace findings in this file not listed"))
    }

    /// Unlisted findings of several severities: the one finding takes the highest, its counts the split
    /// (those past the cap among the stored and those the sink only counted, added together).
    @Test func cappedFindingTakesTheHighestSeverityAndCountsTheSplit() {
        func d(_ line: Int, _ severity: Severity, _ fix: Applicability?) -> Diagnostic {
            Diagnostic(rule: "a", severity: severity, path: "p", line: line, column: 1, message: "m",
                       fix: fix.map { Fix($0, "f", edits: [.delete(line..<(line + 1))]) })
        }
        let input = [d(1, .info, nil), d(2, .info, .safe), d(3, .warning, .unsafe), d(4, .info, .safe)]
        let out = Linter.capped(input, limit: 1, dropped: ["a": UnlistedFindings(errors: 2, unsafeFixes: 1)], path: "p")
        #expect(out.count == 2)
        #expect(out[1].severity == .error)
        #expect(out[1].message == "5 more a findings in this file not listed (at most 1 per rule per file)")
        #expect(out[1].unlisted == UnlistedFindings(infos: 2, warnings: 1, errors: 2, safeFixes: 2, unsafeFixes: 2))
        #expect(out[0].unlisted == nil)
        let totals = ReportTotals(out)
        #expect((totals.infos, totals.warnings, totals.errors, totals.fixableSafe, totals.fixableUnsafe) == (3, 1, 2, 2, 2))
    }

    /// The sink counts what it does not store by the severity a stored finding would get (a configured
    /// severity beats the rule's own for the finding) and by fix kind.
    @Test func sinkCountsDroppedFindingsBySeverityAndFix() {
        let document = Document(path: "a.md", text: "one\ntwo\n")
        for configured in [false, true] {
            var sink = DiagnosticSink(document: document, ruleIDs: ["r"], severity: .warning, readsProse: false, environment: .default, deadline: nil)
            sink.start(ruleAt: 0, severity: .warning, severityConfigured: configured, readsProse: false, limit: 1)
            sink.report(line: 1, "kept")
            sink.report(line: 1, "a", fix: Fix(.safe, "f", edits: [.delete(0..<1)]), severity: .error)
            sink.report(0..<1, "b", fix: Fix(.unsafe, "f", edits: [.delete(0..<1)]), severity: .info)
            sink.report(line: 2, "c")
            #expect(sink.dropped == 3)
            #expect(sink.droppedFindings == (configured ? UnlistedFindings(warnings: 3, safeFixes: 1, unsafeFixes: 1)
                                                      : UnlistedFindings(infos: 1, warnings: 1, errors: 1, safeFixes: 1, unsafeFixes: 1)))
        }
    }

    /// The counts go through the binary form the cache and the spill share, and the spill's framing.
    @Test func spillKeepsTheUnlistedCounts() {
        var summary = Diagnostic(rule: "a", severity: .error, path: "f.md", line: 3, column: 1, message: "7 more a findings")
        summary.unlisted = UnlistedFindings(infos: 1, warnings: 2, errors: 4, safeFixes: 3, unsafeFixes: 1)
        let file = [Diagnostic(rule: "a", severity: .warning, path: "f.md", line: 1, column: 1, message: "m"), summary]
        let spill = DiagnosticSpill(threshold: 0)
        spill.append(file)
        var read: [[Diagnostic]] = []
        #expect(spill.forEachFile { read.append($0) })
        #expect(read == [file])
        #expect(read.first?.last?.unlisted == summary.unlisted)
        var w = ByteWriter()
        w.diagnostic(summary)
        var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
        var strings = RecentStrings()
        #expect(r.diagnostic(path: "f.md", strings: &strings)?.unlisted == summary.unlisted)
        var skip = ByteReader(w.bytes, range: 0..<w.bytes.count)
        #expect(skip.skipDiagnostic() && skip.atEnd)
    }
}
