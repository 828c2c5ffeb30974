import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A baseline names files relative to its own directory, so it matches the same files wherever
/// the run starts (CI jobs `cd` differently); a baseline without that mark (written before)
/// still names them relative to the directory it was written from.
@Suite struct BaselineLocationTests {
    static let article = "---\ntitle: t\ndate: 2020-01-01\n---\n第一行 \n第二行\t\n"
    static let options = ["--no-config", "--no-cache", "--select", "trailing-whitespace", "--format", "concise"]

    func project() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write("proj/news/a.md", Self.article)
        try? FileManager.default.createDirectory(atPath: dir.path + "/proj/sub", withIntermediateDirectories: true)
        return dir
    }

    /// The baseline's directory is its file's parent, standardized: `/` for one at the root.
    @Test func baselineDirectoryIsTheFilesParent() {
        for (file, key) in [("/proj/./sub/../baseline.json", "news/a.md"), ("/baseline.json", "proj/news/a.md")] {
            let paths = BaselinePaths(.baselineFile, file: file, fromPipe: false, currentDirectory: "/proj")
            #expect(paths.key("news/a.md") == key, "\(file)")
        }
    }

    @Test func baselineMatchesFromAnotherDirectory() throws {
        let dir = project()
        let proj = dir.path + "/proj"
        let write = CLIRun.run(Self.options + ["--write-baseline", "baseline.json", "news"], cwd: proj)
        #expect(write.stderr.hasSuffix("wrote baseline with 2 entries to baseline.json\n"), "\(write.stderr)")
        let baseline = try Baseline.parse(dir.read("proj/baseline.json"), file: "baseline.json")
        #expect(baseline.entries.map(\.path) == ["news/a.md", "news/a.md"])
        // From a subdirectory, from the parent and by absolute paths: the same two findings.
        for (cwd, args) in [(proj + "/sub", ["--baseline", "../baseline.json", "../news"]),
                            (dir.path, ["--baseline", "proj/baseline.json", "proj/news/a.md"]),
                            ("/", ["--baseline", proj + "/baseline.json", proj + "/news"])] {
            let run = CLIRun.run(Self.options + args, cwd: cwd)
            #expect(run.stdout == "", "\(cwd) \(args): \(run.stdout)")
            #expect(run.stderr.hasSuffix("baseline: 2 known problems hidden, 0 new\n"), "\(cwd) \(args): \(run.stderr)")
        }
    }

    /// Written from a subdirectory into the project root: the entries name the files from the
    /// root, and a run from the root matches them.
    @Test func baselineWrittenElsewhereNamesFilesFromItsDirectory() throws {
        let dir = project()
        let proj = dir.path + "/proj"
        _ = CLIRun.run(Self.options + ["--write-baseline", "../baseline.json", "../news"], cwd: proj + "/sub")
        let baseline = try Baseline.parse(dir.read("proj/baseline.json"), file: "baseline.json")
        #expect(baseline.entries.map(\.path) == ["news/a.md", "news/a.md"])
        let run = CLIRun.run(Self.options + ["--baseline", "baseline.json", "news"], cwd: proj)
        #expect(run.stdout == "" && run.stderr.hasSuffix("baseline: 2 known problems hidden, 0 new\n"), "\(run.stdout)\(run.stderr)")
        // Reading one baseline and writing another beside the files: both name the files their own way.
        let both = CLIRun.run(Self.options + ["--baseline", "../baseline.json", "--write-baseline", "../news/again.json", "../news"], cwd: proj + "/sub")
        #expect(both.stderr.contains("baseline: 2 known problems hidden, 0 new\n"), "\(both.stderr)")
        let again = try Baseline.parse(dir.read("proj/news/again.json"), file: "again.json")
        #expect(again.entries.map(\.path) == ["a.md", "a.md"])
    }

    /// A baseline written to or read from a stream (`--write-baseline /dev/stdout > b.json`,
    /// `--baseline /dev/stdin < b.json`; here /dev/fd/N of a pipe and of an open file) names the
    /// files from the current directory, not from /dev/fd, so the two sides agree.
    @Test func baselineThroughAStreamNamesFilesFromTheCurrentDirectory() throws {
        let dir = project()
        let proj = dir.path + "/proj"
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let write = CLIRun.run(Self.options + ["--write-baseline", "/dev/fd/\(fds[1])", "news"], cwd: proj)
        close(fds[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case let n = read(fds[0], &chunk, chunk.count), n > 0 { bytes += chunk[..<n] }
        close(fds[0])
        #expect(write.status == 0, "\(write.stderr)")
        let baseline = try Baseline.parse(bytes, file: "piped")
        #expect(baseline.entries.map(\.path) == ["news/a.md", "news/a.md"])
        dir.write("proj/piped.json", bytes: bytes)
        // Written to a file, the same baseline; read through /dev/fd/N, it matches too.
        _ = CLIRun.run(Self.options + ["--write-baseline", "file.json", "news"], cwd: proj)
        #expect(String(decoding: dir.read("proj/file.json"), as: UTF8.self) == String(decoding: bytes, as: UTF8.self))
        let fd = open(proj + "/file.json", O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        for source in ["piped.json", "/dev/fd/\(fd)"] {
            let run = CLIRun.run(Self.options + ["--baseline", source, "news"], cwd: proj)
            #expect(run.stdout == "" && run.stderr.hasSuffix("baseline: 2 known problems hidden, 0 new\n"), "\(source): \(run.stdout)\(run.stderr)")
        }
    }

    /// A baseline written by an earlier newslint (m45e's binary, the fixture
    /// baselines/m45e-working-directory.json; no `pathsRelativeTo`: paths as the run named them,
    /// here from `proj/sub`) matches from where it was written, as it did.
    @Test func earlierBaselineKeepsWorkingDirectoryPaths() throws {
        let dir = project()
        let legacy = try [UInt8](Data(contentsOf: PackagePaths.fixtures.appendingPathComponent("baselines/m45e-working-directory.json")))
        dir.write("proj/legacy.json", bytes: legacy)
        let run = CLIRun.run(Self.options + ["--baseline", "../legacy.json", "../news"], cwd: dir.path + "/proj/sub")
        #expect(run.stdout == "" && run.stderr.hasSuffix("baseline: 2 known problems hidden, 0 new\n"), "\(run.stdout)\(run.stderr)")
    }
}
