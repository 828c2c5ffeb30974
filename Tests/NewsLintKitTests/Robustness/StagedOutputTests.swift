import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintCLI

/// `--output` writes a large report in pieces to a temporary file beside the target
/// (`AtomicWriter.stage`) and renames it into place at the end: the same file, mode and errors as
/// `AtomicWriter.writeNew` with the whole report, and nothing left behind when it is not committed.
@Suite struct StagedOutputTests {
    private func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    private func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    private func stage(_ pieces: [String], to path: String) throws {
        let staged = try #require(AtomicWriter.stage(path))
        for piece in pieces { Array(piece.utf8).withUnsafeBytes { staged.append($0) } }
        try AtomicWriter.writeNew(staged, to: path)
    }

    @Test func newFileGetsEveryPieceAndTheModeWriteNewGives() throws {
        let tmp = TemporaryDirectory()
        try stage(["第一段\n", "", "second\n"], to: tmp.path + "/staged.txt")
        try AtomicWriter.writeNew(Array("第一段\nsecond\n".utf8), to: tmp.path + "/whole.txt")
        #expect(tmp.read("staged.txt") == tmp.read("whole.txt"))
        #expect(mode(tmp.path + "/staged.txt") == mode(tmp.path + "/whole.txt"))
        #expect(names(in: tmp.path) == ["staged.txt", "whole.txt"], "no temporary file left")
    }

    @Test func existingFileIsReplacedAndKeepsItsMode() throws {
        let tmp = TemporaryDirectory()
        let path = tmp.write("report.txt", "old report, longer than the new one\n")
        try #require(chmod(path, 0o600) == 0)
        try stage(["new\n"], to: path)
        #expect(tmp.read("report.txt") == Array("new\n".utf8))
        #expect(mode(path) == 0o600)
    }

    @Test func uncommittedStageLeavesTheTargetAndNoTemporaryFile() throws {
        let tmp = TemporaryDirectory()
        let path = tmp.write("report.txt", "kept\n")
        do {
            let staged = try #require(AtomicWriter.stage(path))
            withExtendedLifetime(staged) {
                Array("dropped\n".utf8).withUnsafeBytes { staged.append($0) }
                #expect(names(in: tmp.path).count == 2, "the temporary file is beside the target while it is written")
            }
        }
        #expect(tmp.read("report.txt") == Array("kept\n".utf8))
        #expect(names(in: tmp.path) == ["report.txt"])
    }

    /// A symlink moved between staging and the rename: the file it leads to now gets the report.
    @Test func symlinkRetargetedMeanwhileIsFollowedAtTheEnd() throws {
        let tmp = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: tmp.path + "/one", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tmp.path + "/two", withIntermediateDirectories: true)
        tmp.write("one/r.txt", "1\n")
        tmp.write("two/r.txt", "2\n")
        let link = tmp.path + "/link.txt"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "one/r.txt")
        do {
            let staged = try #require(AtomicWriter.stage(link))
            Array("report\n".utf8).withUnsafeBytes { staged.append($0) }
            try FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "two/r.txt")
            try AtomicWriter.writeNew(staged, to: link)
        }
        #expect(tmp.read("two/r.txt") == Array("report\n".utf8))
        #expect(tmp.read("one/r.txt") == Array("1\n".utf8))
        #expect(names(in: tmp.path + "/one") == ["r.txt"], "the temporary file beside the old target is removed")
    }

    /// Special files and hard-linked files are not staged (`writeNew` writes into or refuses them).
    @Test func specialAndHardLinkedTargetsAreNotStaged() throws {
        let tmp = TemporaryDirectory()
        let path = tmp.write("a.txt", "a\n")
        try #require(link(path, tmp.path + "/b.txt") == 0)
        #expect(AtomicWriter.stage(path) == nil)
        #expect(AtomicWriter.stage("/dev/null") == nil)
    }

    /// A report of several output chunks written with `--output` is the report printed to stdout.
    @Test func largeReportToAFileEqualsStandardOutput() throws {
        let tmp = TemporaryDirectory()
        let body = String(repeating: "正文有尾随空格。  \n", count: 120)
        for i in 0..<400 { tmp.write("news/\(i).md", "---\ntitle: t\(i)\ndate: 2020-01-01\n---\n" + body) }
        let args = ["--no-config", "--no-cache", "--format", "json", "news"]
        let printed = CLIRun.run(args, cwd: tmp.path)
        try #require(printed.stdout.utf8.count > 2 * LintOutput.chunkSize, "the report spans several chunks")
        let written = CLIRun.run(args + ["--output", "out.json"], cwd: tmp.path)
        #expect(written.status == printed.status && written.stdout.isEmpty, "\(written.stderr)")
        #expect(tmp.read("out.json") == Array(printed.stdout.utf8))
        #expect(names(in: tmp.path) == ["news", "out.json"])
    }
}
