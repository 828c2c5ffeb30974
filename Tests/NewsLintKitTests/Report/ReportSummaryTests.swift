import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `newslint report` and the corpus profile.
@Suite struct ReportSummaryTests {
    static func report(_ format: String, _ extra: [String] = []) -> CLIRun {
        // Pinned to the foundation families so the numbers do not move as rule families are added.
        CLIRun.run(["report", "--no-config", "--select", "front-matter,hygiene,input", "--format", format, "--jobs", "1"] + extra + ["."], cwd: ReportFixtures.corpus.path)
    }

    @Test func jsonReportOfFixtureCorpus() throws {
        let run = Self.report("json")
        #expect(run.status == 0)
        let root = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let totals = try #require(root["totals"] as? [String: Any])
        #expect(totals["files"] as? Int == 6)
        #expect(totals["errors"] as? Int == 1, "only f-mixed lacks front matter")
        let profile = try #require(root["profile"] as? [String: Any])
        #expect(profile["withFrontMatter"] as? Int == 5)
        #expect(profile["script"] as? [String: Int] == ["simplified": 4, "traditional": 1, "mixed": 1, "undetermined": 0])
        #expect(profile["images"] as? Int == 2 && profile["withImages"] as? Int == 2 && profile["withBrokenImages"] as? Int == 1)
        #expect(profile["duplicateSlugGroups"] as? [[String]] == [["a-simplified.md", "b-duplicate-slug.md"]])
        #expect(profile["duplicateContentGroups"] as? [[String]] == [["d-copy.md", "e-copy.md"]])
        #expect(profile["firstDate"] as? String == "2021-06-30" && profile["lastDate"] as? String == "2023-07-13")
        #expect(profile["datedFiles"] as? Int == 5)
        let score = try #require(root["score"] as? [String: Any])
        // Five clean files (100) and one short file with an error (10 points per 1,000 characters: 50): mean 91.7.
        #expect((score["corpus"] as? Double) == 91.7)
    }

    @Test func htmlReportOfSeedsRendersTheNumbers() throws {
        let run = CLIRun.run(["report", "--format", "html", "seeds"])
        #expect(run.status == 0)
        let html = run.stdout
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"), "self-contained: no scripts")
        #expect(!html.contains("http://") || !html.contains("src=\"http"), "no network resources")
        let (root, error) = XMLTree.parse(String(html.drop { $0 != "\n" }))
        #expect(error == nil, "\(String(describing: error))")
        let r = try #require(root)
        var metrics: [String: String] = [:]
        for e in r.all { if let k = e.attributes["data-metric"] { metrics[k] = e.deepText } }
        let json = try #require(JSONSerialization.jsonObject(with: Data(CLIRun.run(["--format", "json"]).stdout.utf8)) as? [[String: Any]])
        #expect(metrics["files"] == "5")
        #expect(metrics["diagnostics"] == String(json.count))
        #expect(metrics["errors"] == String(json.filter { $0["severity"] as? String == "error" }.count))
        #expect(metrics["front-matter"] == "2")
        #expect(metrics["script-traditional"] == "2" && metrics["script-simplified"] == "3")
        #expect(metrics["date-range"] == "2020-07-01 – 2024-06-14")
        let score = try #require(metrics["score"].flatMap(Double.init))
        #expect(score > 0 && score < 100)
        // Charts are inline SVG; the worst-files table lists every file with a problem.
        #expect(r.all.contains { $0.name == "svg" && $0.attributes["id"] == "family-chart" })
        let worstRows = r.all.first { $0.attributes["id"] == "worst-files" }?.all.filter { $0.name == "tr" } ?? []
        #expect(worstRows.count == 1 + 5)
        let familyTotals = r.all.filter { $0.attributes["data-family"] != nil }.compactMap { Int($0.text) }
        #expect(familyTotals.reduce(0, +) == json.count)
    }

    @Test func textAndMarkdownReports() {
        let text = Self.report("text")
        #expect(text.stdout.contains("Corpus health: 91.7 / 100 (5 of 6 files clean)"))
        #expect(text.stdout.contains("slug:    a-simplified.md, b-duplicate-slug.md"))
        let md = Self.report("markdown")
        #expect(md.stdout.hasPrefix("## newslint corpus report\n"))
        #expect(md.stdout.contains("| Script: traditional | 1 (17%) |"))
        #expect(md.stdout.contains("| `f-mixed-no-front-matter.txt` | 50 | 10.00 | 1 | 0 | 0 |"))
    }

    @Test func reportWritesOutputFileAndRejectsStdin() {
        let dir = TemporaryDirectory()
        let run = CLIRun.run(["report", "--format", "html", "--output", dir.path + "/r.html", "seeds"])
        #expect(run.status == 0 && run.stdout.isEmpty)
        #expect(dir.read("r.html").count > 2000)
        #expect(CLIRun.run(["report", "-"]).status == 2)
        #expect(CLIRun.run(["report", "--format", "sarif"]).status == 2)
    }

    @Test func healthScoreFormula() {
        #expect(CorpusSummary.score(errors: 0, warnings: 0, infos: 0, characters: 500) == 100)
        // 10 + 6 + 3 = 19 points in 2,000 characters: D = 9.5, 100 / 1.95 = 51.
        #expect(CorpusSummary.score(errors: 1, warnings: 2, infos: 3, characters: 2_000) == 51)
        #expect(CorpusSummary.score(errors: 11, warnings: 0, infos: 0, characters: 1_000) == 8)
    }

    /// A share under 0.1% reads "<0.1%": the problems table and the script table put it in the page
    /// unescaped, so a report with a rare problem or script was not well-formed.
    @Test func htmlWithSharesUnderATenthOfAPercentIsWellFormed() throws {
        var acc = CorpusSummary.Accumulator(catalog: .builtin)
        let paths = (0..<1_001).map { "c/\($0).md" }
        for path in paths { acc.addFile(path: path, byteCount: 100) }
        acc.add(Diagnostic(rule: "trailing-whitespace", severity: .warning, path: paths[0], line: 1, column: 3, message: "trailing whitespace"))
        let profiles = paths.enumerated().map { i, path in
            FileProfile(path: path, bytes: 100, hasFrontMatter: true, date: nil, script: i == 0 ? .traditional : .simplified,
                        simplifiedChars: 9, traditionalChars: 0, images: 0, emptyImages: 0, slug: nil, bodyHash: nil)
        }
        let html = HTMLReport.render(CorpusSummary(acc, profiles: profiles))
        #expect(!html.contains("><0.1%"), "escaped")
        #expect(html.contains("<div class=\"muted\">&lt;0.1%</div>"), "the problems table's share")
        #expect(html.contains("<td class=\"muted\">&lt;0.1%</td>"), "the script table's share")
        let (tree, error) = XMLTree.parse(String(html.drop { $0 != "\n" }))
        #expect(error == nil && tree != nil, "\(String(describing: error))")
    }

    /// The verdict's buckets (--fix, --unsafe-fixes, learn, an editor) hold every finding once: a
    /// finding without a fix in a class that others fix was in none of them.
    @Test func verdictBucketsAddUpToTheTotal() {
        var acc = CorpusSummary.Accumulator(catalog: .builtin)
        for i in 0..<4 { acc.addFile(path: "\(i).md", byteCount: 100) }
        let fix = Fix(.safe, "remove", edits: [Edit(range: 10..<11, replacement: "")])
        acc.add(Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "0.md", line: 1, column: 3, message: "trailing whitespace", fix: fix))
        acc.add(Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "1.md", line: 1, column: 3, message: "trailing whitespace"))
        acc.add(Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "2.md", line: 1, column: 3, message: "trailing whitespace"))
        acc.add(Diagnostic(rule: "title-boilerplate", severity: .warning, path: "3.md", line: 2, column: 8, message: "title ends with a site name"))
        let s = CorpusSummary(acc, profiles: [])
        #expect(s.total == 4)
        #expect(SummaryRenderer.verdict(s).hasSuffix("1 of 4 findings (25%) go with `newslint --fix`; 3 need an editor."), "\(SummaryRenderer.verdict(s))")
    }

    /// Counts of one were "1 warnings", "1 problem classes", "1 diagnostics"; the text report's
    /// worst-files score column had no label; `report` refused `--no-progress`, which lint accepts.
    @Test func reportWordingForOneOfEach() throws {
        var acc = CorpusSummary.Accumulator(catalog: .builtin)
        acc.addFile(path: "a.md", byteCount: 100)
        acc.add(Diagnostic(rule: "title-boilerplate", severity: .warning, path: "a.md", line: 2, column: 8, message: "title ends with a site name"))
        let s = CorpusSummary(acc, profiles: [])
        let text = SummaryRenderer.text(s, detailed: true)
        #expect(text.contains("Diagnostics: 1 (0 errors, 1 warning, 0 info)"), "\(text)")
        #expect(text.contains("1 of 1 files (100%) have findings, in 1 problem class. "), "\(text)")
        #expect(text.contains("; 1 needs an editor."), "\(text)")
        #expect(text.contains("\nWorst files (score, then points per 1,000 characters):\n"), "\(text)")
        #expect(SummaryRenderer.markdown(s).contains("1 diagnostic: 0 errors, 1 warning, 0 info"))
        let dir = TemporaryDirectory()
        dir.write("a.md", "---\ntitle: t\ndate: 2024-01-01\n---\n\n市政府今天公布新的交通安排。 \n")
        let r = CLIRun.run(["report", "--no-config", "--no-progress", "--select", "trailing-whitespace", "."], cwd: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 warning, 0 info"), "\(r.stdout)")
    }

    @Test func duplicateGroupsJoinRuleDiagnostics() {
        let profiles = ["a.md", "b.md", "c.md", "d.md"].map {
            FileProfile(path: $0, bytes: 10, hasFrontMatter: true, date: nil, script: .simplified, simplifiedChars: 9, traditionalChars: 0,
                        images: 0, emptyImages: 0, slug: nil, bodyHash: nil)
        }
        let diags = [
            Diagnostic(rule: "content-duplicate", severity: .warning, path: "a.md", line: 1, column: 1, message: "near-duplicate of c.md (93% similar)"),
            Diagnostic(rule: "content-duplicate", severity: .warning, path: "c.md", line: 1, column: 1, message: "near-duplicate of a.md (93% similar)"),
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "b.md", line: 1, column: 1, message: "mentions d.md"),
        ]
        let s = CorpusSummary(result: LintResult(diagnostics: diags, files: [], ioFailure: false, fixSummary: FixSummary()), catalog: .builtin, profiles: profiles)
        #expect(s.profile.contentGroups == [["a.md", "c.md"]])
        #expect(s.profile.slugGroups.isEmpty)
    }

    @Test func scriptHeuristicAndDates() {
        let tables = ScriptTables.shared
        let simp = tables.scriptEvidence(Array("学校召开党建工作会议，总结过去一年的经验。".utf8)[...])
        #expect(ScriptClass.classify(simplified: simp.simplified, traditional: simp.traditional) == .simplified)
        let trad = tables.scriptEvidence(Array("學校召開黨建工作會議，總結過去一年的經驗。".utf8)[...])
        #expect(ScriptClass.classify(simplified: trad.simplified, traditional: trad.traditional) == .traditional)
        #expect(ScriptClass.classify(simplified: 1, traditional: 1) == .undetermined)
        // Characters shared by both scripts (著名, 皇后, 若干) are not evidence of either.
        #expect(tables.scriptEvidence(Array("著名皇后若干".utf8)[...]) == (0, 0))
        // Hong Kong's own forms (着, 裏) in Traditional text are not Simplified evidence.
        let hongKong = tables.scriptEvidence(Array("警方接報後趕到現場，發現着火單位裏有兩名傷者，經濟損失嚴重。".utf8)[...])
        #expect(hongKong.simplified == 0 && hongKong.traditional >= 5)
        #expect(ScriptClass.classify(simplified: 50, traditional: 10) == .mixed)
        #expect(CorpusProfiler.isoDate(in: Array("日期:2024-06-14 來源".utf8)[...]) == "2024-06-14")
        #expect(CorpusProfiler.isoDate(in: Array("2022年3月5日讯".utf8)[...]) == "2022-03-05")
        #expect(CorpusProfiler.isoDate(in: Array("编号12024-06-14".utf8)[...]) == nil)
        #expect(CorpusProfiler.isoDate(in: Array("2022-13-01".utf8)[...]) == nil)
    }
}

/// `--statistics`, `--max-warnings`, `--quiet`, `--summary`, progress.
@Suite struct ReportCIControlTests {
    @Test func statisticsTableAndJSON() throws {
        let run = CLIRun.run(["--statistics", "--select", "front-matter,hygiene"])
        #expect(run.status == 1, "exit code unchanged")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first == "5  final-newline         [*] The file does not end with a newline.")
        // Its fixes are unsafe: `--fix` alone applies none, so no marker (Ruff's #16751).
        #expect(lines.contains("3  front-matter-missing      The file does not start with a front-matter block."))
        #expect(lines.last == "[*] 8 fixable with the --fix option (2 hidden fixes can be enabled with the --unsafe-fixes option).")
        let json = CLIRun.run(["--statistics", "--format", "json", "--select", "front-matter,hygiene"])
        let rows = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["rule"] as? String == "final-newline" && rows.first?["count"] as? Int == 5)
        #expect(CLIRun.run(["--statistics", "--format", "sarif"]).status == 2)
    }

    /// Rows are ranked by the count they show (a rule with fewer findings spread over more files
    /// stood first when they were ranked by files), and the counts line up whatever the row of the
    /// widest (the width was taken from the first row: negative padding crashed).
    @Test func statisticsRankByTheShownCountAndLineUp() {
        let dir = TemporaryDirectory()
        let spaces = (1...12).map { "第\($0)段。 " }.joined(separator: "\n")
        dir.write("a.md", "---\ntitle: 新闻\ndate: 2023-01-01\n---\n" + spaces + "\n")
        dir.write("b.md", "---\ntitle: 新闻\ndate: 2023-01-01\n---\n正文。")
        dir.write("c.md", "---\ntitle: 新闻\ndate: 2023-01-01\n---\n正文。")
        let run = CLIRun.run(["--no-config", "--no-cache", "--statistics", "--select", "trailing-whitespace,final-newline", "."], cwd: dir.path)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("12  trailing-whitespace") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix(" 2  final-newline") == true, "\(lines)")
        #expect(lines.last == "[*] 14 fixable with the --fix option.")
    }

    @Test func maxWarnings() {
        let dir = TemporaryDirectory()
        dir.write("a.md", "---\ntitle: 新闻\ndate: 2023-01-01\n---\n正文第一段。 \n第二段的内容。 \n")
        #expect(CLIRun.run(["--no-config", "a.md"], cwd: dir.path).status == 0)
        #expect(CLIRun.run(["--no-config", "--max-warnings", "2", "a.md"], cwd: dir.path).status == 0)
        let over = CLIRun.run(["--no-config", "--max-warnings", "1", "a.md"], cwd: dir.path)
        #expect(over.status == 1)
        #expect(over.stderr.contains("2 warnings exceed --max-warnings 1"))
        #expect(CLIRun.run(["--no-config", "--max-warnings", "-1", "a.md"], cwd: dir.path).status == 2)
        // Quiet still prints the diagnostics, not the summary line.
        let quiet = CLIRun.run(["--no-config", "--quiet", "--format", "concise", "a.md"], cwd: dir.path)
        #expect(quiet.stdout.split(separator: "\n").count == 2)
    }

    @Test func summaryAfterDiagnostics() {
        let run = CLIRun.run(["--summary", "--format", "concise"])
        #expect(run.stdout.contains("[final-newline]\n\nCorpus health: "))
        #expect(run.stdout.contains("front matter:  2 (40%)"))
        let sarif = CLIRun.run(["--summary", "--format", "sarif"])
        #expect(sarif.stdout.hasPrefix("{"))
        #expect(sarif.stderr.contains("Corpus health: "), "machine formats keep stdout clean")
    }

    @Test func progressLineOnlyOnTerminalsAndAfterDelay() throws {
        // Not a terminal (CLIRun): no progress output at all.
        #expect(!CLIRun.run(["--format", "concise"]).stderr.contains("files/s"))
        let written = Locked<[String]>([])
        let p = ProgressLine(total: 4, delay: 0, interval: 0.01) { s in written.withLock { $0.append(s) } }
        p.advance(); p.advance()
        Thread.sleep(forTimeInterval: 0.1)
        p.finish()
        let out = written.withLock { $0 }
        #expect(out.contains { $0.contains("newslint: 2/4 files (50%)") }, "\(out)")
        #expect(out.last == "\r\u{1B}[K", "the line is erased at the end")
        // Quick runs stay silent.
        let quick = Locked<[String]>([])
        let q = ProgressLine(total: 1, delay: 5) { s in quick.withLock { $0.append(s) } }
        q.advance()
        q.finish()
        #expect(quick.withLock { $0 }.isEmpty)
        #expect(ProgressLine.format(done: 30, total: 120, elapsed: 2) == "newslint: 30/120 files (25%), 15 files/s, 2.0s")
    }

    @Test func progressDisabledByFlagOnTerminal() {
        let err = Locked("")
        let io = ToolIO(stdout: { _ in }, stderr: { s in err.withLock { $0 += s } }, readStdin: { [] },
                        currentDirectory: PackagePaths.root.path, environment: [:], stdoutIsTerminal: true, stderrIsTerminal: true)
        let parsed = try? ArgumentParser(command: "lint", options: NewsLintCLI.lintOptions).parse(["--no-progress"])
        let on = try? ArgumentParser(command: "lint", options: NewsLintCLI.lintOptions).parse([])
        #expect((try? ReportingSettings(parsed ?? ParsedArguments(), io: io, format: .text, previewing: false))?.progressEnabled == false)
        #expect((try? ReportingSettings(on ?? ParsedArguments(), io: io, format: .text, previewing: false))?.progressEnabled == true)
    }
}

@Suite struct ProfileAgreesWithRulesTests {
    @Test func impossibleDatesAreNotArticleDates() {
        #expect(CorpusProfiler.isoDate(in: Array("日期:2024-02-31".utf8)[...]) == nil)
        #expect(CorpusProfiler.isoDate(in: Array("日期:2024-02-29".utf8)[...]) == "2024-02-29")
    }

    @Test func imagesInCodeAreNotCounted() {
        let doc = Document(path: "a.md", text: "---\ntitle: t\n---\n![图](a.jpg)\n\n```\n![code](b.jpg)\n```\n![]()\n")
        let (images, empty) = CorpusProfiler.countImages(doc)
        #expect(images == 2 && empty == 1)
    }

    @Test func bodyFingerprintIgnoresPunctuationWidthLikeContentDuplicate() {
        let a = Document(path: "a.md", text: "---\ntitle: a\n---\n学校召开年度工作会议,总结过去一年的工作成绩,部署新一年的重点任务。\n")
        let b = Document(path: "b.md", text: "---\ntitle: b\n---\n学校召开年度工作会议，总结过去一年的工作成绩，部署新一年的重点任务。\n")
        #expect(CorpusProfiler.bodyHash(a) != nil && CorpusProfiler.bodyHash(a) == CorpusProfiler.bodyHash(b))
    }
}

/// Problems are ranked by how many files they touch, not by how many findings they make.
@Suite struct ProblemRankingTests {
    @Test func rulesRankByFilesAffected() throws {
        let t = TemporaryDirectory()
        // One file with many trailing spaces; three files each missing a final newline.
        t.write("a.md", "---\ntitle: 標題\ndate: 2024-01-01\n---\n\n" + (1...8).map { "市政府公布第\($0)項交通安排。 \n\n" }.joined())
        for n in 1...3 { t.write("b\(n).md", "---\ntitle: 標題\(n)\ndate: 2024-01-0\(n)\n---\n\n市政府公布第\(n)項新的房屋政策安排。") }
        let stats = CLIRun.run(["--no-config", "--no-cache", "--statistics", "--select", "trailing-whitespace,final-newline", "."], cwd: t.path)
        let lines = stats.stdout.split(separator: "\n")
        // `--statistics` ranks by the count it shows (as Ruff's); the report's problems rank by files.
        #expect(lines.first?.contains("trailing-whitespace") == true, "\(stats.stdout)")
        #expect(lines.dropFirst().first?.contains("final-newline") == true, "\(stats.stdout)")
        let json = CLIRun.run(["--no-config", "--no-cache", "--statistics", "--format", "json", "--select", "trailing-whitespace,final-newline", "."], cwd: t.path)
        let rows = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["files"] as? Int } == [1, 3])
        #expect(rows.map { $0["count"] as? Int } == [8, 3])
        let report = CLIRun.run(["report", "--no-config", "--format", "json", "--select", "trailing-whitespace,final-newline", "."], cwd: t.path)
        let summary = try #require(JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let rules = try #require(summary["rules"] as? [[String: Any]])
        #expect(rules.map { $0["rule"] as? String } == ["final-newline", "trailing-whitespace"])
        #expect(rules.map { $0["files"] as? Int } == [3, 1])
    }
}
