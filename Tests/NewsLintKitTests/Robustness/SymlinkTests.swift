import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 19, item 4: symlinks do not lead linting or `--fix` out of the linted tree.
@Suite struct SymlinkTests {
    static func layout() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write("corpus/a.md", "正文。\n")
        dir.write("outside.md", "外部文件 \n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/corpus/out.md", withDestinationPath: "../outside.md")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/corpus/up", withDestinationPath: "..")
        dir.write("corpus/sub/b.md", "正文。\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/corpus/inside.md", withDestinationPath: "sub/b.md")
        return dir
    }

    @Test func linksOutOfTheRootsAreSkippedAndNeverFixed() throws {
        let dir = try Self.layout()
        let r = CLIRun.run(["--no-config", "--no-cache", "--fix", "--format", "concise", "corpus"], cwd: dir.path)
        #expect(dir.read("outside.md") == Array("外部文件 \n".utf8))
        #expect(r.stdout.contains("corpus/out.md:1:1: file-skipped") || r.stdout.contains("corpus/out.md"), "\(r.stdout)")
        #expect(r.stdout.contains("outside the linted paths"), "\(r.stdout)")
        #expect(!r.stdout.contains("外部文件"))
        // `up -> ..` is not walked: nothing under corpus/up/ is linted.
        #expect(!r.stdout.contains("corpus/up/"), "\(r.stdout)")
        // A link inside the roots is still followed.
        let inside = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "--select", "file-skipped", "corpus"], cwd: dir.path)
        #expect(!inside.stdout.contains("inside.md"), "\(inside.stdout)")
    }

    /// A directory whose only entries are links out of the tree yields nothing: the message names
    /// the skipped links and --follow-symlinks, not hidden files or an empty directory.
    @Test func aDirectoryOfOutsideLinksSaysSo() throws {
        let dir = TemporaryDirectory()
        dir.write("outside/b.md", "外部文件 \n")
        dir.write("outside.md", "外部文件 \n")
        try FileManager.default.createDirectory(atPath: dir.path + "/links", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/links/a.md", withDestinationPath: "../outside.md")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/links/d", withDestinationPath: "../outside")
        let r = CLIRun.run(["--no-config", "--no-cache", "links"], cwd: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr == "error: 'links' yields no files to lint: 2 symbolic links lead outside the linted paths and were not followed "
                + "(links/a.md, links/d; --follow-symlinks to lint what they point to, or name the targets)\n", "\(r.stderr)")
        // report and learn say the same.
        let report = CLIRun.run(["report", "--no-config", "links"], cwd: dir.path)
        #expect(report.status == 2 && report.stderr.contains("2 symbolic links lead outside the linted paths"), "\(report.stderr)")
    }

    /// A directory holding only a directory that cannot be read: named with the system's reason.
    /// (Root reads every directory, so the run part needs another user; the message is checked
    /// from the walk's problem either way.)
    @Test func aDirectoryWithAnUnreadableSubdirectorySaysSo() throws {
        let dir = TemporaryDirectory()
        dir.write("outer/locked/a.md", "正文。\n")
        let problem = InputProblem(path: "outer/locked", message: "cannot read directory: Permission denied", isFailure: true, errno: EACCES)
        func explain(_ problem: InputProblem) throws -> String {
            EmptyPathExplainer.explain("outer", problems: [problem],
                                       resolver: try ConfigResolver(hierarchicalFrom: dir.path, catalog: .builtin), respectIgnoreFiles: true,
                                       io: ToolIO(stdout: { _ in }, stderr: { _ in }, readStdin: { [] }, currentDirectory: dir.path, environment: [:]))
        }
        let message = try explain(problem)
        #expect(message == "'outer' yields no files to lint: outer/locked: cannot read directory: Permission denied (check its permissions)", "\(message)")
        // The hint follows the problem's errno, not its text.
        var other = problem
        other.errno = ENOENT
        #expect(try explain(other) == "'outer' yields no files to lint: outer/locked: cannot read directory: Permission denied")
        guard geteuid() != 0 else { return }
        try #require(chmod(dir.path + "/outer/locked", 0) == 0)
        defer { chmod(dir.path + "/outer/locked", 0o755) }
        let r = CLIRun.run(["--no-config", "--no-cache", "outer"], cwd: dir.path)
        #expect(r.status == 2 && r.stderr.contains("outer/locked: cannot read directory: Permission denied"), "\(r.stderr)")
    }

    @Test func followSymlinksOptsIn() throws {
        let dir = try Self.layout()
        let r = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "--select", "trailing-whitespace", "--follow-symlinks", "corpus/out.md", "corpus/a.md"], cwd: dir.path)
        #expect(r.stdout.contains("corpus/out.md:1"), "\(r.stdout)")
    }

    /// The write guard: a file whose resolved location is outside the roots is not written,
    /// even when it got past discovery (a link swapped after the walk).
    @Test func fixNeverWritesOutsideTheRoots() throws {
        let dir = try Self.layout()
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = .apply(.safe)
        settings.baseDirectory = dir.path
        settings.writableRoots = [PathResolver.real(dir.path + "/corpus")!]
        settings.filter = RuleFilter(select: ["trailing-whitespace"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: dir.path), settings: settings)
        let result = linter.lint([.file("corpus/out.md")])
        #expect(dir.read("outside.md") == Array("外部文件 \n".utf8))
        #expect(result.diagnostics.contains { $0.rule == "io-error" && $0.message.contains("outside the linted paths") })
    }
}
