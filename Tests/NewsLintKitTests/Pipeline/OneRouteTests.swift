import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `lint` has one route (issue 16): baselines, fixing stdin and inputs given out of path order go
/// through the same `LintRun` and merged stream as every other run.
@Suite struct OneRouteTests {
    static func article(slug: String, body: String) -> String {
        ["---", "title: 区政府召开安全生产会议", "date: 2023-03-02", "slug: \(slug)", "---", body, "会议要求各街道加强隐患排查。 ", ""].joined(separator: "\n")
    }

    /// Two copies (slug and body duplicated across files: findings of the cross-file reduce) and
    /// one file with per-file findings only.
    func corpus() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write("news/a.md", Self.article(slug: "meeting", body: "会议传达了上级有关精神，并部署了下一阶段的安全生产工作。"))
        dir.write("news/b.md", Self.article(slug: "meeting", body: "会议传达了上级有关精神，并部署了下一阶段的安全生产工作。"))
        dir.write("news/c.md", Self.article(slug: "other", body: "另一篇报道的正文。"))
        return dir
    }

    /// The baseline written from the stream equals the one recorded from the whole result with
    /// every line read from the file (the old route), cross-file findings included.
    @Test func writtenBaselineMatchesWholeResultRecording() throws {
        let dir = corpus()
        let write = CLIRun.run(["--no-config", "--no-cache", "--write-baseline", "baseline.json", "news"], cwd: dir.path)
        #expect(write.status == 0, "\(write.stderr)")

        var settings = LintSettings()
        settings.baseDirectory = dir.path
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: dir.path), settings: settings)
        let result = linter.lint(["news/a.md", "news/b.md", "news/c.md"].map { .file($0) })
        let diagnostics = linter.completing(result.diagnostics, problems: [], inMemory: [:], base: dir.path).diagnostics
        #expect(diagnostics.contains { $0.rule == "slug-duplicate" })
        #expect(diagnostics.contains { $0.rule == "content-duplicate" })
        var sources = SourceCache(inMemory: [:], base: dir.path)
        let paths = BaselinePaths(.baselineFile, file: dir.path + "/baseline.json", fromPipe: false, currentDirectory: dir.path)
        let expected = Baseline.record(diagnostics, paths: paths) { sources.line($0, $1) }.serialized()
        #expect(String(decoding: dir.read("baseline.json"), as: UTF8.self) == expected)
        #expect(write.stderr == "wrote baseline with \(diagnostics.count) entries to baseline.json\n")
    }

    /// Cross-file findings are fingerprinted by their line like any other: known ones are hidden,
    /// an edited slug line makes that file's finding new and the old one gone.
    @Test func baselineHidesAndFindsCrossFileFindings() throws {
        let dir = corpus()
        _ = CLIRun.run(["--no-config", "--no-cache", "--write-baseline", "baseline.json", "news"], cwd: dir.path)
        let again = CLIRun.run(["--no-config", "--no-cache", "--baseline", "baseline.json", "--format", "concise", "news"], cwd: dir.path)
        #expect(again.stdout == "")
        #expect(again.stderr.hasSuffix("known problems hidden, 0 new\n"), "\(again.stderr)")
        #expect(again.status == 0)

        // Same slug, written differently: the duplicate stays, its line changed.
        dir.write("news/a.md", Self.article(slug: "\"meeting\"", body: "会议传达了上级有关精神，并部署了下一阶段的安全生产工作。"))
        let edited = CLIRun.run(["--no-config", "--no-cache", "--baseline", "baseline.json", "--format", "concise", "news"], cwd: dir.path)
        #expect(edited.stdout.hasPrefix("news/a.md:4:1: error: slug 'meeting'"), "\(edited.stdout)")
        #expect(edited.stdout.split(separator: "\n").count == 1, "\(edited.stdout)")
        #expect(edited.stderr.contains("1 new; 1 baselined problem is gone"), "\(edited.stderr)")
        #expect(edited.status == 1)
    }

    /// Stdin named so it sorts after a file on disk is reported in path order; named like a file
    /// that is also linted from disk, stdin is that file's text (an editor's unsaved buffer) and
    /// the disk copy is left out: one document per path, code frames quote stdin.
    @Test func stdinOutOfOrderAndNamedLikeADiskFile() {
        let dir = TemporaryDirectory()
        dir.write("a.md", "甲 \n乙\n")
        let later = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "--select", "trailing-whitespace", "--stdin-filename", "z.md", "-", "a.md"],
                               cwd: dir.path, stdin: "丙 \n")
        #expect(later.stdout == "a.md:1:2: warning: trailing whitespace [trailing-whitespace]\nz.md:1:2: warning: trailing whitespace [trailing-whitespace]\n")

        let same = CLIRun.run(["--no-config", "--no-cache", "--format", "text", "--select", "trailing-whitespace", "--stdin-filename", "a.md", "-", "a.md"],
                              cwd: dir.path, stdin: "丁\n戊 \n")
        let findings = same.stdout.split(separator: "\n").filter { $0.hasPrefix("a.md:") }
        #expect(findings == ["a.md:2:2: warning[trailing-whitespace] trailing whitespace"], "\(same.stdout)")
        #expect(same.stdout.hasSuffix("Found 1 problem (1 warning) in 1 of 1 file.\n1 fixable with --fix.\n"), "\(same.stdout)")
        #expect(same.stdout.contains(" 2 | 戊 \n") && !same.stdout.contains("甲"))
        // Named with ./ or found by walking the directory, it is the same file; the disk copy is never fixed.
        let walked = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "--select", "trailing-whitespace,content-duplicate", "--stdin-filename", "./a.md", "-", "."],
                                cwd: dir.path, stdin: "甲 \n乙\n")
        #expect(walked.stdout == "./a.md:1:2: warning: trailing whitespace [trailing-whitespace]\n", "\(walked.stdout)")
        let fixed = CLIRun.run(["--no-config", "--no-cache", "--select", "trailing-whitespace", "--stdin-filename", "a.md", "--fix", "-", "."],
                               cwd: dir.path, stdin: "己 \n")
        #expect(fixed.stdout == "己\n", "\(fixed.stdout)")
        #expect(String(decoding: dir.read("a.md"), as: UTF8.self) == "甲 \n乙\n")
    }

    /// Fixing stdin is one more input of the run: fixed bytes on stdout, the report (code frames
    /// from the fixed text) on stderr, and files on disk fixed in place in the same run.
    @Test func fixingStdinWithFilesOnDisk() {
        let dir = TemporaryDirectory()
        dir.write("news/a.md", "正文 \n")
        let run = CLIRun.run(["--no-config", "--no-cache", "--select", "trailing-whitespace,punctuation-width", "--fix", "-", "news"],
                             cwd: dir.path, stdin: "正文 \n第二行,还有内容\n")
        #expect(run.stdout == "正文\n第二行，还有内容\n")
        #expect(String(decoding: dir.read("news/a.md"), as: UTF8.self) == "正文\n")
        #expect(run.stderr.contains("fixed 3 issues in 2 files, 0 remaining"), "\(run.stderr)")
        #expect(run.status == 0)

        let unfixable = CLIRun.run(["--no-config", "--no-cache", "--fix", "--select", "trailing-whitespace,front-matter-missing", "-"],
                                   stdin: "正文 \n")
        #expect(unfixable.stdout == "正文\n")
        #expect(unfixable.stderr.contains("<stdin>:1:1: error[front-matter-missing]"), "\(unfixable.stderr)")
        #expect(unfixable.stderr.contains(" 1 | 正文\n"), "\(unfixable.stderr)")
        #expect(unfixable.status == 1)
    }

    /// The report streams while files are linted, so a baseline that cannot be written is refused
    /// before the run: no half report on stdout, nothing written over an input or the report.
    @Test func unwritableBaselineIsRefusedBeforeTheRun() {
        let dir = corpus()
        let missing = CLIRun.run(["--no-config", "--no-cache", "--format", "json", "--write-baseline", "no/such/dir/b.json", "news"], cwd: dir.path)
        #expect(missing.status == 2)
        #expect(missing.stdout == "")
        #expect(missing.stderr.contains("cannot write --write-baseline file 'no/such/dir/b.json': its directory does not exist"), "\(missing.stderr)")

        let input = CLIRun.run(["--no-config", "--no-cache", "--write-baseline", "news/c.md", "news"], cwd: dir.path)
        #expect(input.status == 2)
        #expect(input.stderr.contains("--write-baseline file 'news/c.md' is one of the inputs"), "\(input.stderr)")
        #expect(String(decoding: dir.read("news/c.md"), as: UTF8.self) == Self.article(slug: "other", body: "另一篇报道的正文。"))

        let same = CLIRun.run(["--no-config", "--no-cache", "--write-baseline", "out.json", "--output", "./out.json", "news"], cwd: dir.path)
        #expect(same.status == 2)
        #expect(same.stderr.contains("--output and --write-baseline name the same file"), "\(same.stderr)")
    }

    /// Fixing stdin with the report sent to `--output`: the fixed text still comes back on stdout.
    @Test func fixedStdinIsPrintedWhenTheReportGoesToAFile() {
        let dir = corpus()
        let text = Self.article(slug: "other", body: "另一篇报道的正文。")
        let fixed = CLIRun.run(["--no-config", "--no-cache", "--fix", "--output", "report.txt", "--stdin-filename", "news/d.md", "-"], cwd: dir.path, stdin: text)
        #expect(fixed.stdout == text.replacingOccurrences(of: "。 \n", with: "。\n"), "\(fixed.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/report.txt"))
    }
}
