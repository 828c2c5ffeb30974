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

/// The curator's report (issue 15): problems ranked with examples and commands, density scores,
/// drill-down lists, time and source breakdowns; HTML, JSON (schema) and Markdown agree.
@Suite struct CorpusReportTests {
    static var curator: URL { PackagePaths.fixtures.appendingPathComponent("reports/curator") }
    static let rules = "trailing-whitespace,invisible-char,front-matter-missing,content-duplicate,final-newline"
    static var schemaURL: URL { PackagePaths.root.appendingPathComponent("docs/report.schema.json") }

    static func report(_ format: String, _ extra: [String] = []) -> CLIRun {
        CLIRun.run(["report", "--no-config", "--select", rules, "--format", format, "--jobs", "1"] + extra + ["."], cwd: curator.path)
    }

    static func json(_ extra: [String] = []) throws -> [String: Any] {
        let run = report("json", extra)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    // MARK: Problem kinds and excerpts

    @Test func messagesGroupIntoKinds() {
        #expect(ProblemKind.of("mixed line endings (10 CRLF, 9 LF); expected LF") == "mixed line endings")
        #expect(ProblemKind.of("Simplified leftover in Traditional text: 一只 → 一隻") == "Simplified leftover in Traditional text: …")
        #expect(ProblemKind.stem(ProblemKind.of("Simplified leftovers in Traditional text: 關系 → 關係, 制作 → 製作, 台 → 臺"))
                == ProblemKind.stem(ProblemKind.of("Simplified leftover in Traditional text: 丢 → 丟")))
        #expect(ProblemKind.of("compatibility ideograph '金' (U+F90A) used as text; use the unified ideograph '金' (U+91D1)") == "compatibility ideograph '…'")
        #expect(ProblemKind.of("body is identical to /corpus/2024-11-01-DW-朝鲜.html (group of 2 files)") == "body is identical to …")
        #expect(ProblemKind.of("whitespace-only line of no-break/ideographic spaces (Markdown reads it as text)") == "whitespace-only line of no-break/ideographic spaces")
        #expect(ProblemKind.of("line repeated in 142 of 318 files of site 'chinese.aljazeera.net' (site residue)")
                == ProblemKind.of("line repeated in 30 of 298 files of site 'rfa.org' (site residue)"))
        #expect(ProblemKind.of("private-use character (U+F1D9): renders as a box") == "private-use character")
        #expect(ProblemKind.of("UTF-8 read as Windows-1252: 'é»˜è®¤' should be '默认'") == "UTF-8 read as Windows-1252: '…' should be '…'", "numbers in names stay")
        #expect(ProblemKind.of("UTF-8 read as Windows-1252/Latin-1: 'â€™s' decodes to 'x'y', which is not text of this document")
                == ProblemKind.of("UTF-8 read as Windows-1252/Latin-1: 'abc' decodes to 'de', which is not text of this document"))
        #expect(ProblemKind.of("body has only 8 letters of text") == "body has only N letters of text")
        #expect(ProblemKind.of("Traditional leftovers in Simplified text: 餓 → 饿, 愛 → 爱, 這 → 这, 並 → 并") == "Traditional leftovers in Simplified text: …")
        #expect(ProblemKind.of("Simplified leftovers in Traditional text: 来 → 來, 发 → 發/髮, 个 → 個/箇") == "Simplified leftovers in Traditional text: …")
        #expect(ProblemKind.of("Simplified leftover in Traditional text: 并 → 並/併/幷") == "Simplified leftover in Traditional text: …")
    }

    /// Session 47: a quoted span holding a space or the other quote was cut at its spaces first,
    /// and its halves became words and new quotes (`empty <p> wrapper '…' </p>'…'`): one problem
    /// split into many garbled classes.
    @Test func quotedTextWithSpacesOrQuotesIsOneParticular() {
        let p = ["empty <p> wrapper '<p></p>' (nothing to show)", "empty <p> wrapper '<p> </p>' (nothing to show)",
                 "empty <p> wrapper '<p dir=\"ltr\"></p>' (nothing to show)", "empty <p> wrapper '<p style=\"font-weight: 400;\">&nbsp;</p>' (nothing to show)"]
        #expect(p.map(ProblemKind.of) == Array(repeating: "empty <p> wrapper '…'", count: p.count))
        #expect(ProblemKind.of("empty <span> wrapper '<span>&nbsp;&nbsp; </span>' (nothing to show)") == "empty <span> wrapper '…'")
        #expect(ProblemKind.of("title has \"a b\" and 'c d', then words") == "title has '…' and '…', then words")
        #expect(ProblemKind.of("file's title 'x' is long") == "file's title '…' is long", "an apostrophe is not a quote")
        #expect(ProblemKind.of("an unclosed 'quote here") == "an unclosed '…' here", "a quote without a close is read as before")
    }

    @Test func excerptsMarkTheSpanAndShowTheInvisible() throws {
        let zw = try #require(Excerpt.cut(line: "改善\u{200B}市区道路", column: 3, endColumn: 4))
        #expect(zw == Excerpt(before: "改善", marked: "⟨U+200B⟩", after: "市区道路"))
        let trailing = try #require(Excerpt.cut(line: "会议结束。  ", column: 6, endColumn: nil))
        #expect(trailing.marked == "␣␣")
        let long = String(repeating: "甲", count: 100) + "乙" + String(repeating: "丙", count: 100)
        let cut = try #require(Excerpt.cut(line: long, column: 101, endColumn: 102))
        #expect(cut.marked == "乙" && cut.before.hasPrefix("…") && cut.after.hasSuffix("…"))
        #expect(cut.before.count == Excerpt.context + 1 && cut.after.count == Excerpt.context + 1)
        #expect(Excerpt.cut(line: "段落。", column: 4, endColumn: 4)?.marked == "↵", "a point at the end of the line")
        #expect(Excerpt.cut(line: "", column: 1, endColumn: 1) == nil, "a file-level finding on an empty line quotes nothing")
        #expect(Excerpt.cut(line: "今年\u{F98E}九月", column: 3, endColumn: 4)?.marked == "\u{F98E}⟨U+F98E⟩", "a compatibility ideograph looks like its twin")
    }

    // MARK: Scores

    @Test func scoresComeFromDensityAndNeverSaturate() {
        // 134 warnings in 50,000 characters against 3 in a 1,000-character file: the short file is worse.
        let long = CorpusSummary.score(errors: 0, warnings: 134, infos: 0, characters: 50_000)
        let short = CorpusSummary.score(errors: 0, warnings: 3, infos: 0, characters: 1_000)
        #expect(long > short)
        #expect(CorpusSummary.score(errors: 0, warnings: 0, infos: 0, characters: 10) == 100)
        #expect(CorpusSummary.score(errors: 1, warnings: 0, infos: 0, characters: 1_000) == 50)
        #expect(CorpusSummary.score(errors: 1, warnings: 0, infos: 0, characters: 200) == 50, "short files count as 1,000 characters")
        // Fifteen files with only warnings, in various amounts, do not all read 0 (the old score's floor).
        let scores = (1...15).map { CorpusSummary.score(errors: 0, warnings: 10 * $0, infos: 0, characters: 3_000) }
        #expect(Set(scores).count > 10 && scores.allSatisfy { $0 > 0 } && scores == scores.sorted(by: >))
    }

    // MARK: JSON

    @Test func jsonRanksProblemsWithExamplesCommandsAndBuckets() throws {
        let root = try Self.json()
        #expect(root["version"] as? Int == 2)
        let problems = try #require(root["problems"] as? [[String: Any]])
        let trailing = try #require(problems.first { $0["rule"] as? String == "trailing-whitespace" })
        #expect(trailing["files"] as? Int == 3 && trailing["findings"] as? Int == 9)
        #expect(trailing["remedy"] as? String == "fix")
        #expect(trailing["command"] as? String == "newslint --fix --select trailing-whitespace --no-config .")
        let example = try #require(trailing["example"] as? [String: Any])
        let excerpt = try #require(example["excerpt"] as? [String: Any])
        #expect(example["path"] as? String == "news/2024-01-05-council.md" && example["line"] as? Int == 7)
        #expect(excerpt["marked"] as? String == "␣" && (excerpt["before"] as? String)?.hasSuffix("预算。") == true)
        // Ordered by files × severity weight: the one error (10) before three files of warnings (9).
        #expect(problems.map { $0["rule"] as? String }.prefix(2) == ["front-matter-missing", "trailing-whitespace"])
        let impacts = problems.map { ($0["files"] as? Int ?? 0) * CorpusSummary.weight(Severity(rawValue: $0["severity"] as? String ?? "") ?? .info) }
        #expect(impacts == impacts.sorted(by: >))

        let timeline = try #require(root["timeline"] as? [String: Any])
        let buckets = try #require(timeline["buckets"] as? [[String: Any]])
        #expect(timeline["unit"] as? String == "month")
        #expect(buckets.map { $0["name"] as? String } == ["2024-01", "2024-02", "2024-03", "undated"], "dates from front matter, then file names")
        #expect(buckets.map { $0["files"] as? Int } == [2, 2, 2, 1])
        let sources = try #require(root["sources"] as? [[String: Any]])
        #expect(Set(sources.compactMap { $0["name"] as? String }) == ["Harbour Daily", "Coast Wire", "blog", "misc"], "front matter source, else directory")
        let clusters = try #require(root["clusters"] as? [[String: Any]])
        #expect(clusters.count == 1)
        #expect(clusters.first?["canonical"] as? String == "blog/2024-03-01-library.md", "the shorter path of two undated copies")
        let totals = try #require(root["totals"] as? [String: Any])
        #expect(totals["filesWithFindings"] as? Int == 6 && totals["files"] as? Int == 7)
    }

    @Test func jsonMatchesTheCommittedSchema() throws {
        let schema = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL)) as? [String: Any])
        for extra in [[], ["--limit", "1"]] {
            let root = try Self.json(extra)
            let problems = MiniSchema(root: schema).validate(root)
            #expect(problems.isEmpty, "\(problems.prefix(5))")
        }
        // The fixture corpus of `report` tests too.
        let other = CLIRun.run(["report", "--no-config", "--format", "json", "."], cwd: ReportFixtures.corpus.path)
        let value = try JSONSerialization.jsonObject(with: Data(other.stdout.utf8))
        #expect(MiniSchema(root: schema).validate(value).isEmpty)
    }

    @Test(.enabled(if: ExternalTools.enabled(ExternalTools.pythonJSONSchema), "needs python3 with jsonschema \(ExternalTools.requireNote)"))
    func jsonValidatesWithPythonJSONSchema() throws {
        let dir = TemporaryDirectory()
        dir.write("report.json", Self.report("json", ["--limit", "2"]).stdout)
        let script = "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1]))); print('ok')"
        let run = try ExternalRun.run("python3", ["-c", script, Self.schemaURL.path, dir.path + "/report.json"])
        #expect(run.status == 0 && run.stdout == "ok\n", "\(run.stderr)")
    }

    // MARK: HTML agrees with JSON

    @Test(arguments: [[String](), ["--limit", "2"], ["--limit", "0"]])
    func htmlCountsAndListsMatchJSON(_ extra: [String]) throws {
        let root = try Self.json(extra)
        let html = Self.report("html", extra).stdout
        #expect(!html.contains("<script"), "self-contained: no scripts")
        let (tree, error) = XMLTree.parse(String(html.drop { $0 != "\n" }))
        #expect(error == nil, "\(String(describing: error))")
        let doc = try #require(tree)
        let all = doc.all
        func byID(_ id: String) -> XMLTree.Element? { all.first { $0.attributes["id"] == id } }

        // Cards.
        var metrics: [String: String] = [:]
        for e in all { if let k = e.attributes["data-metric"] { metrics[k] = e.deepText } }
        let totals = try #require(root["totals"] as? [String: Any])
        #expect(metrics["files"] == "\(totals["files"] as? Int ?? -1)")
        #expect(metrics["diagnostics"] == "\(totals["diagnostics"] as? Int ?? -1)")
        #expect(metrics["errors"] == "\(totals["errors"] as? Int ?? -1)")
        #expect(metrics["warnings"] == "\(totals["warnings"] as? Int ?? -1)")
        #expect(metrics["fixable"] == "\(totals["fixableSafe"] as? Int ?? -1)")
        #expect(metrics["files-with-findings"] == "\(totals["filesWithFindings"] as? Int ?? -1)")
        let score = try #require(root["score"] as? [String: Any])
        #expect(metrics["score"] == String(format: "%.1f", score["corpus"] as? Double ?? -1))

        // Problem rows and their drill-down lists.
        let problems = try #require(root["problems"] as? [[String: Any]])
        #expect(metrics["problems"] == "\(problems.count)")
        let limit = try #require(root["listLimit"] as? Int)
        let rows = all.filter { $0.attributes["data-problem"] != nil }
        #expect(rows.map { $0.attributes["data-problem"] } == problems.map { $0["id"] as? String })
        for (row, p) in zip(rows, problems) {
            let id = try #require(p["id"] as? String)
            let files = row.all.first { $0.attributes["data-files"] != nil }
            let findings = row.all.first { $0.attributes["data-findings"] != nil }
            #expect(files?.deepText == "\(p["files"] as? Int ?? -1)" && files?.attributes["href"] == "#\(id)")
            #expect(findings?.deepText == "\(p["findings"] as? Int ?? -1)")
            let list = try #require(byID(id), "drill-down for \(id)")
            #expect(list.name == "details")
            let items = list.all.filter { $0.name == "li" }
            let total = try #require(p["findings"] as? Int)
            let jsonList = try #require(p["findingsList"] as? [[String: Any]])
            // Complete up to the stated limit, the same findings as JSON, and the limit said when it bites.
            #expect(items.count == min(total, limit))
            #expect(list.attributes["data-listed"] == "\(items.count)" && list.attributes["data-limit"] == "\(limit)")
            #expect(items.map { $0.attributes["data-path"] } == jsonList.map { $0["path"] as? String })
            #expect(items.map { $0.all.first { $0.attributes["class"] == "loc" }?.deepText }
                    == jsonList.map { "\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0):\($0["column"] as? Int ?? 0)" })
            let statesLimit = list.all.contains { $0.attributes["class"]?.contains("limit") == true && $0.deepText.contains("Limited to \(limit) of \(total)") }
            #expect(statesLimit == (total > limit), "\(id): the limit is stated exactly when the list is cut")
        }

        // Timeline and sources.
        let timeline = try #require((root["timeline"] as? [String: Any])?["buckets"] as? [[String: Any]])
        let monthRows = byID("month-table")?.all.filter { $0.attributes["data-bucket"] != nil } ?? []
        #expect(monthRows.map { $0.attributes["data-bucket"] } == timeline.map { $0["name"] as? String })
        #expect(monthRows.map { $0.children.dropFirst().first?.deepText } == timeline.map { "\($0["files"] as? Int ?? -1)" })
        let sources = try #require(root["sources"] as? [[String: Any]])
        let sourceRows = byID("source-table")?.all.filter { $0.attributes["data-bucket"] != nil } ?? []
        #expect(sourceRows.count == min(sources.count, limit))
        #expect(sourceRows.map { $0.attributes["data-bucket"] } == sources.prefix(limit).map { $0["name"] as? String })
        #expect(all.contains { $0.name == "svg" && $0.attributes["id"] == "month-chart" })
        #expect(all.contains { $0.name == "svg" && $0.attributes["id"] == "source-chart" })

        // Duplicate clusters: collapsible, canonical first, up to the limit.
        let clusters = try #require(root["clusters"] as? [[String: Any]])
        let groups = all.filter { $0.name == "details" && $0.attributes["class"] == "cluster" }
        #expect(groups.count == min(clusters.count, limit))
        for (g, c) in zip(groups, clusters) {
            let members = g.all.filter { $0.name == "li" }.map { $0.text.trimmingCharacters(in: .whitespaces) }
            #expect(members == c["members"] as? [String])
            #expect(g.all.filter { $0.name == "li" }.first?.deepText.contains("(canonical)") == true)
        }

        // Worst files: density order, as many as asked.
        let files = try #require(root["files"] as? [[String: Any]])
        let worst = byID("worst-files")?.all.filter { $0.name == "tr" }.dropFirst() ?? []
        #expect(worst.count == min(15, totals["filesWithFindings"] as? Int ?? 0))
        #expect(worst.map { $0.children.first?.deepText } == files.prefix(worst.count).map { $0["path"] as? String })
    }

    @Test func topOfThePageSaysWhatIsWrongAndWhatToRun() throws {
        let html = Self.report("html").stdout
        let verdictEnd = try #require(html.range(of: "</section>"))
        let top = String(html[..<verdictEnd.lowerBound])
        #expect(top.contains("6 of 7 files (86%) have findings"))
        #expect(top.contains("newslint --fix --select trailing-whitespace --no-config ."))
        let text = Self.report("text").stdout
        #expect(text.contains("run: newslint --fix --select trailing-whitespace --no-config ."))
        #expect(text.contains("e.g. news/2024-01-05-council.md:7:21  市议会今天以多数票通过下一年度财政预算。«␣»"))
    }

    // MARK: Size

    /// A large corpus with findings everywhere: the HTML stays browser-sized and the Markdown fits a
    /// GitHub job summary, because every list is cut at its limit (60,000 files keep the debug-build
    /// test quick; nothing in the page grows with the file count past the limits).
    @Test func reportsOfLargeCorporaStayBounded() {
        var acc = CorpusSummary.Accumulator(catalog: .builtin)
        let rules = ["trailing-whitespace", "invisible-char", "punctuation-width", "script-mixed", "line-endings"]
        for i in 0..<60_000 {
            let path = "site\(i % 40)/2024-\(String(format: "%02d", i % 12 + 1))-01-article-\(i).md"
            acc.addFile(path: path, byteCount: 3000)
            let rule = rules[i % rules.count]
            acc.add(Diagnostic(rule: rule, severity: .warning, path: path, line: 3, column: 5, message: "finding \(i % 7) of \(rule) near '\(i % 5)'",
                               fix: Fix(.safe, "fix", edits: [Edit(range: 10..<11, replacement: "")])))
        }
        let s = CorpusSummary(acc, profiles: [])
        let html = HTMLReport.render(s)
        let markdown = SummaryRenderer.markdown(s)
        #expect(html.utf8.count < 3_000_000, "\(html.utf8.count) bytes")
        #expect(markdown.utf8.count < SummaryRenderer.markdownBudget, "\(markdown.utf8.count) bytes")
        #expect(html.contains("Limited to 100 of 12000 findings"))
        #expect(s.problems.count == rules.count, "one kind per rule: the particulars are taken out")
    }

    @Test func markdownFitsAJobSummary() {
        let md = Self.report("markdown").stdout
        #expect(md.hasPrefix("## newslint corpus report\n"))
        #expect(md.contains("### Problems, ranked"))
        #expect(md.contains("`newslint --fix --select trailing-whitespace --no-config .`"))
        #expect(md.utf8.count < SummaryRenderer.markdownBudget)
    }
}

/// The subset of JSON Schema (2020-12) the report schema uses: type (with lists), const, enum,
/// required, properties, additionalProperties false, items, minItems, minimum/maximum, pattern
/// (prefix-free: `^p[0-9]+$` only), oneOf, $ref to #/$defs. Returns the problems found.
struct MiniSchema {
    let root: [String: Any]

    func validate(_ value: Any) -> [String] {
        var problems: [String] = []
        check(value, root, "$", &problems)
        return problems
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/$defs/") else { return schema }
        let name = String(ref.dropFirst("#/$defs/".count))
        return ((root["$defs"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
    }

    func typeName(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if let n = v as? NSNumber {
            return n.doubleValue == n.doubleValue.rounded() && !"\(n)".contains(".") ? "integer" : "number"
        }
        if v is String { return "string" }
        if v is [Any] { return "array" }
        if v is [String: Any] { return "object" }
        return "unknown"
    }

    func check(_ v: Any, _ s0: [String: Any], _ at: String, _ problems: inout [String]) {
        let s = resolve(s0)
        if let options = s["oneOf"] as? [[String: Any]] {
            let passing = options.filter { var p: [String] = []; check(v, $0, at, &p); return p.isEmpty }
            if passing.count != 1 { problems.append("\(at): matches \(passing.count) of oneOf") }
            return
        }
        if let c = s["const"] { if "\(c)" != "\(v)" { problems.append("\(at): expected \(c)") } }
        if let e = s["enum"] as? [Any], !e.contains(where: { "\($0)" == "\(v)" }) { problems.append("\(at): \(v) not in enum") }
        let t = typeName(v)
        if let type = s["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
            if !(allowed.contains(t) || (t == "integer" && allowed.contains("number"))) { problems.append("\(at): \(t) is not \(allowed)") }
        }
        if let n = v as? NSNumber {
            if let m = s["minimum"] as? Double, n.doubleValue < m { problems.append("\(at): below \(m)") }
            if let m = s["maximum"] as? Double, n.doubleValue > m { problems.append("\(at): above \(m)") }
        }
        if let str = v as? String, let pattern = s["pattern"] as? String, str.range(of: pattern, options: .regularExpression) == nil {
            problems.append("\(at): '\(str)' does not match \(pattern)")
        }
        if let obj = v as? [String: Any] {
            for key in (s["required"] as? [String]) ?? [] where obj[key] == nil { problems.append("\(at): missing \(key)") }
            let props = (s["properties"] as? [String: Any]) ?? [:]
            for (k, child) in obj {
                if let sub = props[k] as? [String: Any] {
                    check(child, sub, at + "." + k, &problems)
                } else if (s["additionalProperties"] as? Bool) == false {
                    problems.append("\(at): unexpected \(k)")
                }
            }
        }
        if let arr = v as? [Any] {
            if let m = s["minItems"] as? Int, arr.count < m { problems.append("\(at): fewer than \(m) items") }
            if let items = s["items"] as? [String: Any] {
                for (i, child) in arr.enumerated() { check(child, items, "\(at)[\(i)]", &problems) }
            }
        }
    }
}
