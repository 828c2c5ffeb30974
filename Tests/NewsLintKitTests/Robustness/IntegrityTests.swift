import Foundation
import Testing
@testable import NewsLintKit

/// Issue 19, item 6: results that silently lose or corrupt data.
@Suite struct IntegrityTests {
    /// `-o` naming an input (directly, through another spelling, or a hard link) is refused
    /// before anything is linted or fixed; the article is left as it was.
    @Test func outputRefusesToOverwriteAnInput() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文 \n")
        link(dir.path + "/a.md", dir.path + "/hard.md")
        for (args, name) in [(["--fix", "a.md", "-o", "a.md"], "a.md"), (["a.md", "-o", "./sub/../a.md"], "./sub/../a.md"),
                             (["--fix", "a.md", "-o", "hard.md"], "hard.md")] {
            try? FileManager.default.createDirectory(atPath: dir.path + "/sub", withIntermediateDirectories: true)
            let r = CLIRun.run(["--no-config", "--no-cache"] + args, cwd: dir.path)
            #expect(r.status == ExitCode.failure, "\(args)")
            #expect(r.stderr.contains("is one of the inputs"), "\(name): \(r.stderr)")
            #expect(dir.read("a.md") == Array("正文 \n".utf8))
        }
        let report = CLIRun.run(["report", "--no-config", ".", "-o", "a.md"], cwd: dir.path)
        #expect(report.status == ExitCode.failure && dir.read("a.md") == Array("正文 \n".utf8))
        // A new file is fine.
        #expect(CLIRun.run(["--no-config", "--no-cache", "a.md", "-o", "report.txt"], cwd: dir.path).status != ExitCode.failure)
    }

    /// A facts file cut at a line boundary (or edited) is refused instead of merging fewer findings.
    @Test func mergeRefusesTruncatedFacts() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 30)
        let linter = try Linter.forTest(root: dir.path, catalog: try TestDuplicateSlugRule.catalog(), finishCrossFile: false)
        let bytes = try FactsFile.collect(linter.lint(paths.map { .file($0) }).files, linter: linter, shard: nil).serialized()
        #expect(try FactsFile.parse(bytes, file: "f").facts.count > 3)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let cut = Array(lines.prefix(lines.count - 3).joined(separator: [0x0A])) + [0x0A]
        #expect(throws: UsageError.self) { try FactsFile.parse(cut, file: "cut") }
        var edited = bytes
        if let i = edited.lastIndex(of: UInt8(ascii: "a")) { edited[i] = UInt8(ascii: "b") }
        #expect(throws: UsageError.self) { try FactsFile.parse(edited, file: "edited") }
        // Without the trailing newline of the last line it is still the same facts.
        #expect(throws: UsageError.self) { try FactsFile.parse(Array(bytes.dropLast(1)), file: "nonl") }
    }
}
