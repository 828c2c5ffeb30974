import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `--write-baseline` / `--baseline`: fingerprints survive moved lines; edits, new files
/// and deleted files are accounted for.
@Suite struct ReportBaselineTests {
    static let article = [
        "---", "title: 区政府召开安全生产会议", "date: 2023-03-02", "---",
        "会议传达了上级有关精神。 ",
        "会议要求各街道加强隐患排查。",
        "会议强调要压实企业主体责任。 ",
        "",
    ].joined(separator: "\n")

    static let traditional = ["---", "title: 學校召開教學會議", "date: 2024-02-20", "---", "會議總結了上學期的教學工作。 ", ""].joined(separator: "\n")

    func corpus() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write(".lint.json", "{\"include\": [\"news/**\"]}\n")
        dir.write("news/a.md", Self.article)
        dir.write("news/b.md", Self.traditional)
        return dir
    }

    @Test func roundTripHidesKnownProblems() throws {
        let dir = corpus()
        let write = CLIRun.run(["--write-baseline", "baseline.json", "news"], cwd: dir.path)
        #expect(write.status == 0, "\(write.stderr)")
        #expect(write.stderr.contains("wrote baseline with 3 entries"))
        let text = String(decoding: dir.read("baseline.json"), as: UTF8.self)
        let parsed = try Baseline.parse(Array(text.utf8), file: "baseline.json")
        #expect(parsed.entries.count == 3)
        #expect(Set(parsed.entries.map(\.path)) == ["news/a.md", "news/b.md"])

        let again = CLIRun.run(["--baseline", "baseline.json", "news"], cwd: dir.path)
        #expect(again.status == 0)
        #expect(again.stdout == "No problems found in 2 files.\n")
        #expect(again.stderr.contains("baseline: 3 known problems hidden, 0 new"))
    }

    @Test func movedLinesStayBaselinedAndEditsAreNew() throws {
        let dir = corpus()
        _ = CLIRun.run(["--write-baseline", "baseline.json", "news"], cwd: dir.path)
        // Lines inserted above: everything moves down two lines.
        dir.write("news/a.md", Self.article.replacingOccurrences(of: "---\n会议传达", with: "---\n导语：本报讯。\n\n会议传达"))
        let moved = CLIRun.run(["--baseline", "baseline.json", "--format", "concise", "news"], cwd: dir.path)
        #expect(moved.stdout == "", "\(moved.stdout)")
        #expect(moved.stderr.contains("3 known problems hidden, 0 new"))

        // A new problem on an edited line is reported; the old one on that line is gone.
        dir.write("news/a.md", Self.article.replacingOccurrences(of: "会议强调要压实企业主体责任。 ", with: "会议强调要压实企业安全主体责任。 "))
        let edited = CLIRun.run(["--baseline", "baseline.json", "--format", "concise", "news"], cwd: dir.path)
        #expect(edited.stdout == "news/a.md:7:17: warning: trailing whitespace [trailing-whitespace]\n", "\(edited.stdout)")
        #expect(edited.stderr.contains("2 known problems hidden, 1 new; 1 baselined problem is gone"))
        #expect(edited.status == 0, "warnings only")
    }

    @Test func deletedFilesAndNewFiles() throws {
        let dir = corpus()
        _ = CLIRun.run(["--write-baseline", "baseline.json", "news"], cwd: dir.path)
        try FileManager.default.removeItem(atPath: dir.path + "/news/b.md")
        dir.write("news/c.md", "没有前置元数据的新文件。\n")
        let run = CLIRun.run(["--baseline", "baseline.json", "--format", "concise", "news"], cwd: dir.path)
        #expect(run.stdout.contains("news/c.md:1:1: error:"), "\(run.stdout)")
        #expect(!run.stdout.contains("news/a.md"))
        #expect(run.stderr.contains("2 known problems hidden, 1 new; 1 baselined problem is gone"), "\(run.stderr)")
        #expect(run.status == 1)
    }

    @Test func identicalLinesAreCountedByOccurrence() {
        let d = { (line: Int) in Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "./x.md", line: line, column: 3, message: "m") }
        let text: (String, Int) -> String? = { _, _ in "同一行。 " }
        let base = Baseline.record([d(5), d(9)], paths: .asLinted, lineText: text)
        #expect(Set(base.entries.map(\.fingerprint)).count == 2)
        #expect(base.entries.allSatisfy { $0.path == "x.md" })
        // Three identical lines now: one is new.
        let cmp = base.compare([d(2), d(6), d(10)], paths: .asLinted, lineText: text)
        #expect(cmp.new.count == 1 && cmp.matched == 2 && cmp.gone.isEmpty)
        // One left: one gone.
        let fewer = base.compare([d(7)], paths: .asLinted, lineText: text)
        #expect(fewer.new.isEmpty && fewer.matched == 1 && fewer.gone.count == 1)
    }

    /// A baseline recorded relative to its own directory says so, names files from there, and is
    /// compared by naming the findings the same way (as linted, none of them would match).
    @Test func recordAndCompareNameFilesAsTheBaselineDoes() {
        let d = { (rule: String, path: String, line: Int) in Diagnostic(rule: rule, severity: .warning, path: path, line: line, column: 1, message: "m") }
        let found = [d("a", "news/x.md", 1), d("b", "news/x.md", 2), d("a", "news/x.md", 3), d("a", "news/y.md", 1), d("a", "news/x.md", 9)]
        let text: (String, Int) -> String? = { path, line in "\(path) \(line % 2)" }
        let paths = BaselinePaths(.baselineFile, file: "/proj/sub/baseline.json", fromPipe: false, currentDirectory: "/proj")
        let base = Baseline.record(found, paths: paths, lineText: text)
        #expect(base.pathBase == .baselineFile)
        #expect(base.entries.map(\.path) == ["../news/x.md", "../news/x.md", "../news/x.md", "../news/y.md", "../news/x.md"])
        // Each fingerprint as made on its own: the per-file caches change nothing.
        var occurrences: [String: Int] = [:]
        let alone = found.map { f -> String in
            let renamed = Diagnostic(rule: f.rule, severity: f.severity, path: "../" + f.path, line: f.line, column: 1, message: "m")
            let hash = Baseline.fingerprint(renamed, lineText: text(f.path, f.line))
            defer { occurrences[hash, default: 0] += 1 }
            return "\(hash)-\(occurrences[hash, default: 0])"
        }
        #expect(base.entries.map(\.fingerprint) == alone)
        let same = base.compare(found, paths: paths, lineText: text)
        #expect(same.new.isEmpty && same.matched == 5 && same.gone.isEmpty)
        let asLinted = base.compare(found, paths: .asLinted, lineText: text)
        #expect(asLinted.new.count == 5 && asLinted.matched == 0 && asLinted.gone.count == 5)
        #expect(Baseline.record(found, paths: .asLinted, lineText: text).pathBase == .workingDirectory)
    }

    @Test func badBaselineFilesAreUsageErrors() {
        let dir = corpus()
        let missing = CLIRun.run(["--baseline", "nope.json", "news"], cwd: dir.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("create it with --write-baseline nope.json"))
        dir.write("bad.json", "{\"entries\": 3}")
        let bad = CLIRun.run(["--baseline", "bad.json", "news"], cwd: dir.path)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not a newslint baseline"))
        dir.write("broken.json", "{\"version\": 1, \"entries\": [{\"rule\": \"x\"}]}")
        let broken = CLIRun.run(["--baseline", "broken.json", "news"], cwd: dir.path)
        #expect(broken.stderr.contains("broken.json:1:28: entries[0]: missing key 'path'"), "\(broken.stderr)")
    }

    @Test func serializationIsStableAndSorted() throws {
        let dir = corpus()
        _ = CLIRun.run(["--write-baseline", "one.json", "--jobs", "1", "news"], cwd: dir.path)
        _ = CLIRun.run(["--write-baseline", "two.json", "--jobs", "4", "news"], cwd: dir.path)
        #expect(dir.read("one.json") == dir.read("two.json"))
        let text = String(decoding: dir.read("one.json"), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"version\": 1,\n  \"tool\": \"newslint\",\n  \"pathsRelativeTo\": \"baseline\",\n  \"entries\": [\n    {\"rule\":"))
    }
}
