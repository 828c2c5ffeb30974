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

/// Every CI output format, produced for the seeds and read back by a parser or validator.
@Suite struct ReportFormatTests {
    static func seeds(_ format: String, extra: [String] = []) -> CLIRun {
        CLIRun.run(["--format", format, "--jobs", "1"] + extra)
    }

    nonisolated(unsafe) static let seedJSON: [[String: Any]] = {
        let run = seeds("json")
        return (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [[String: Any]] ?? []
    }()

    @Test func seedsHaveDiagnostics() {
        #expect(Self.seedJSON.count >= 10, "the seeds are known to have defects")
    }

    @Test func jsonLinesMatchJSON() throws {
        let run = Self.seeds("jsonl")
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        let objects = try lines.dropLast().map { line -> [String: Any] in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects.count == Self.seedJSON.count)
        let key: ([String: Any]) -> String = { "\($0["path"] ?? "")|\($0["line"] ?? "")|\($0["column"] ?? "")|\($0["rule"] ?? "")" }
        // Streamed by file in input order with --jobs 1: same set, and stable across runs.
        #expect(Set(objects.map(key)) == Set(Self.seedJSON.map(key)))
        #expect(Self.seeds("jsonl").stdout == run.stdout)
        // Written to a file (not streamed) it is exactly the sorted JSON order.
        let dir = TemporaryDirectory()
        _ = CLIRun.run(["--format", "jsonl", "--output", dir.path + "/out.jsonl"])
        let written = String(decoding: dir.read("out.jsonl"), as: UTF8.self)
        let writtenKeys = try written.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }.map(key)
        #expect(writtenKeys == Self.seedJSON.map(key))
    }

    @Test func jsonLinesIncludeCrossFileAndInputProblems() throws {
        let run = CLIRun.run(["--format", "jsonl", "--no-config", "--jobs", "1", "seeds/000_dbf1c70d60598d2e.txt", "seeds/missing.md"])
        let rules = run.stdout.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["rule"] as? String }
        #expect(rules.contains("io-error"))
        #expect(rules.contains("final-newline"))
        #expect(run.status == 2)
    }

    @Test(.enabled(if: ExternalTools.enabled(ExternalTools.pythonJSONSchema && ExternalTools.hasShared),
                   "needs python3 with jsonschema (pip install jsonschema) and ../shared/schemas/sarif-schema-2.1.0.json \(ExternalTools.requireNote)"))
    func sarifValidatesAgainstTheOfficialSchema() throws {
        let dir = TemporaryDirectory()
        let run = Self.seeds("sarif", extra: ["--output", dir.path + "/seeds.sarif"])
        #expect(run.status == 1)
        let schema = ReportFixtures.sarifSchema.path
        #expect(FileManager.default.fileExists(atPath: schema), "SARIF schema not found at \(schema)")
        let script = """
        import json, sys, copy
        import jsonschema
        schema = json.load(open(sys.argv[1]))
        doc = json.load(open(sys.argv[2], encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:5]:
            print("INVALID", list(e.path), e.message)
        # The validator must be able to fail: a broken copy is rejected.
        bad = copy.deepcopy(doc)
        bad["runs"][0]["results"][0]["level"] = "fatal"
        assert list(cls(schema).iter_errors(bad)), "validator accepted an invalid level"
        run = doc["runs"][0]
        print("RESULTS", len(run["results"]), "RULES", len(run["tool"]["driver"]["rules"]))
        print("FIXES", sum(1 for r in run["results"] if r.get("fixes")))
        fps = [r["partialFingerprints"]["newslint/v1"] for r in run["results"]]
        print("DISTINCT", len(set(fps)) == len(fps))
        sys.exit(1 if errors else 0)
        """
        let py = try ExternalRun.run("python3", ["-c", script, schema, dir.path + "/seeds.sarif"])
        #expect(py.status == 0, "python jsonschema check failed (CI installs it: pip install jsonschema):\n\(py.stdout)\(py.stderr)")
        #expect(py.stdout.contains("RESULTS \(Self.seedJSON.count) RULES \(Catalog.builtin.rules.count)"), "\(py.stdout)")
        let fixable = Self.seedJSON.filter { !($0["fix"] is NSNull) }.count
        #expect(py.stdout.contains("FIXES \(fixable)"), "\(py.stdout)")
        #expect(py.stdout.contains("DISTINCT True"), "\(py.stdout)")
    }

    @Test(.enabled(if: ExternalTools.enabled(ExternalTools.sarifTools),
                   "needs `sarif` on PATH (pip install sarif-tools) \(ExternalTools.requireNote)"))
    func sarifIsReadBackBySarifTools() throws {
        let dir = TemporaryDirectory()
        _ = Self.seeds("sarif", extra: ["--output", dir.path + "/seeds.sarif"])
        let summary = try ExternalRun.run("sarif", ["summary", dir.path + "/seeds.sarif"])
        #expect(summary.status == 0, "sarif-tools failed (CI installs it: pip install sarif-tools):\n\(summary.stdout)\(summary.stderr)")
        let errors = Self.seedJSON.filter { $0["severity"] as? String == "error" }.count
        let warnings = Self.seedJSON.filter { $0["severity"] as? String == "warning" }.count
        #expect(summary.stdout.contains("error: \(errors)"), "\(summary.stdout)")
        #expect(summary.stdout.contains("warning: \(warnings)"), "\(summary.stdout)")
        #expect(summary.stdout.contains("front-matter-missing"))
    }

    @Test func sarifLocationsFixesAndURIs() throws {
        var d = Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "./新闻 稿/一.md", line: 3, column: 5, endLine: 3, endColumn: 7, message: "trailing whitespace")
        d.fix = Fix(.safe, "Remove trailing whitespace", edits: [.delete(10..<12)])
        let result = LintResult(diagnostics: [d], files: [], ioFailure: false, fixSummary: FixSummary())
        var ctx = ReportContext(catalog: .builtin)
        ctx.baseDirectory = "/srv/corpus"
        let text = SARIFReporter().render(result, context: ctx)
        let root = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let res = try #require((run["results"] as? [[String: Any]])?.first)
        let loc = try #require(((res["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        let artifact = try #require(loc["artifactLocation"] as? [String: Any])
        #expect(artifact["uri"] as? String == "%E6%96%B0%E9%97%BB%20%E7%A8%BF/%E4%B8%80.md")
        #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
        let region = try #require(loc["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 3 && region["startColumn"] as? Int == 5 && region["endColumn"] as? Int == 7)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let fix = try #require((res["fixes"] as? [[String: Any]])?.first)
        let change = try #require((fix["artifactChanges"] as? [[String: Any]])?.first)
        let rep = try #require((change["replacements"] as? [[String: Any]])?.first)
        let deleted = try #require(rep["deletedRegion"] as? [String: Any])
        #expect(deleted["byteOffset"] as? Int == 10 && deleted["byteLength"] as? Int == 2)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let tw = try #require(rules.first { $0["id"] as? String == "trailing-whitespace" })
        #expect((tw["shortDescription"] as? [String: Any])?["text"] as? String == Catalog.builtin.metadata("trailing-whitespace")?.summary)
        #expect((tw["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")
        #expect(res["ruleIndex"] as? Int == rules.firstIndex { $0["id"] as? String == "trailing-whitespace" })
    }

    @Test func githubCommandsAndEscaping() {
        #expect(GitHubReporter.escapeData("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b")
        #expect(GitHubReporter.escapeProperty("dir:a,b/50%.md") == "dir%3Aa%2Cb/50%25.md")
        let d = Diagnostic(rule: "front-matter-field", severity: .error, path: "a,b:c.md", line: 2, column: 3, endLine: 2, endColumn: 9, message: "bad 'date'\nsee docs")
        #expect(GitHubReporter.command(d) == "::error file=a%2Cb%3Ac.md,line=2,col=3,endLine=2,endColumn=9,title=newslint (front-matter-field)::bad 'date'%0Asee docs")
        let info = Diagnostic(rule: "x", severity: .info, path: "p.md", line: 1, column: 1, message: "m")
        #expect(GitHubReporter.command(info).hasPrefix("::notice file=p.md,line=1,col=1,title=newslint (x)::"))
        // A name with CR or LF: the runner's property escaping (`%0D`, `%0A`), not the display
        // escape `\x0A`, which names no file; other controls keep their display escape.
        let newline = Diagnostic(rule: "x", severity: .warning, path: "dir/a\nb\r\u{1B}c,d.md", line: 1, column: 1, message: "m")
        #expect(GitHubReporter.command(newline).hasPrefix("::warning file=dir/a%0Ab%0D\\x1Bc%2Cd.md,line=1,"))

        let run = Self.seeds("github", extra: ["--aggregate", "0"])
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == Self.seedJSON.count)
        // By default a file's identical findings are one annotation (GitHub shows only a few per step).
        let grouped = Self.seeds("github").stdout.split(separator: "\n")
        #expect(grouped.count < lines.count && grouped.contains { $0.contains("times in this file") })
        let pattern = #/^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+(,endLine=\d+)?(,endColumn=\d+)?,title=newslint \([a-z-]+\)::.+$/#
        for l in lines { #expect(l.wholeMatch(of: pattern) != nil, "not a workflow command: \(l)") }
    }

    @Test func junitIsWellFormedXML() throws {
        let run = Self.seeds("junit")
        let (root, error) = XMLTree.parse(run.stdout)
        #expect(error == nil, "\(String(describing: error))")
        let r = try #require(root)
        #expect(r.name == "testsuites")
        let suites = r.children.filter { $0.name == "testsuite" }
        #expect(suites.count == 5)
        let failures = r.all.filter { $0.name == "failure" }
        #expect(failures.count == Self.seedJSON.count)
        #expect(r.attributes["failures"] == String(Self.seedJSON.count))
        #expect(failures.allSatisfy { $0.attributes["message"]?.isEmpty == false })

        // Hostile text stays well-formed.
        let nasty = Diagnostic(rule: "r", severity: .warning, path: "a&b<c>.md", line: 1, column: 1, message: "\"quote\" & 'apos' <tag> \u{1} \u{7}")
        let xml = JUnitReporter().render(LintResult(diagnostics: [nasty], files: [], ioFailure: false, fixSummary: FixSummary()), context: ReportContext(catalog: .builtin))
        let (nroot, nerr) = XMLTree.parse(xml)
        #expect(nerr == nil)
        let failure = try #require(nroot?.all.first { $0.name == "failure" })
        #expect(failure.attributes["message"]?.hasPrefix("\"quote\" & 'apos' <tag>") == true)
    }

    @Test func markdownSummaryHasCounts() {
        let run = Self.seeds("markdown")
        #expect(run.stdout.hasPrefix("## newslint\n"))
        #expect(run.stdout.contains("**\(Self.seedJSON.count)** problems in 5 of 5 files"))
        #expect(run.stdout.contains("| `final-newline` | hygiene | 5 | 5 | 0 | 5 | 0 | 5 |"), "files, then count")
        #expect(run.stdout.contains("<details>"))
        // Every GitHub-flavoured table is rectangular (escaped pipes do not split cells).
        for output in [run.stdout, CLIRun.run(["report", "--format", "markdown"]).stdout] {
            var width: Int?
            for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                guard line.hasPrefix("|") else { width = nil; continue }
                let cells = line.replacingOccurrences(of: "\\|", with: "").split(separator: "|", omittingEmptySubsequences: false).count - 2
                if let w = width { #expect(cells == w, "ragged table row: \(line)") } else { width = cells }
            }
        }
    }

    @Test func everyFormatIsDeterministicAcrossJobs() {
        for f in OutputFormat.allCases where f != .jsonl {
            #expect(CLIRun.run(["--format", f.rawValue, "--jobs", "1"]).stdout == CLIRun.run(["--format", f.rawValue, "--jobs", "4"]).stdout, "\(f)")
        }
    }
}
