import Foundation
import Testing
import NewsLintCore
@testable import NewsLintEngine

/// Arguments at their limits get a usage error (exit 2), never a trap or a surprising target:
/// empty paths, numbers near Int.max, files the run writes that are inputs or each other.
@Suite struct ArgumentLimitsTests {
    static let article = TestArticle.withTrailingSpace

    /// `newslint "$DIR"` with DIR unset linted the entries of `/` (the empty directory name
    /// joined to each entry with a `/`), and `--fix` would have written there.
    @Test func emptyPathsAreRefused() {
        let dir = TemporaryDirectory()
        dir.write("a.md", Self.article)
        for args in [[""], ["a.md", ""], ["--diff", ""], ["report", ""], ["learn", ""], ["--", ""]] {
            let run = CLIRun.run(args, cwd: dir.path)
            #expect(run.status == 2, "\(args): \(run.stdout)")
            #expect(run.stderr.contains("an empty argument was given"), "\(args): \(run.stderr)")
            #expect(!run.stdout.contains("/opt") && !run.stdout.contains("/usr"), "\(args)")
        }
        for option in ["--cache-dir", "--output", "--facts-out", "--config"] {
            let run = CLIRun.run([option, "", "a.md"], cwd: dir.path)
            #expect(run.status == 2, "\(option)")
            #expect(run.stderr.contains("option '\(option)' needs a") && run.stderr.contains("got an empty string"), "\(option): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/CACHEDIR.TAG"))
    }

    /// Twice the list limit overflowed (a trap) for a limit of 2^62 or more.
    @Test func reportLimitNearIntMax() {
        let dir = TemporaryDirectory()
        dir.write("a.md", Self.article)
        for limit in ["4611686018427387904", String(Int.max)] {
            let run = CLIRun.run(["report", "--no-cache", "--limit", limit, "a.md"], cwd: dir.path)
            #expect(run.status == 0, "\(limit): \(run.stderr)")
            #expect(run.stdout.contains("trailing-whitespace"), "\(limit)")
        }
    }

    /// A Slurm task id minus a first id of -1 overflowed (a trap); counts past the shard limit are refused.
    @Test func schedulerNumbersNearIntMax() {
        let max = String(Int.max)
        #expect(throws: UsageError.self) {
            try Shard.auto(environment: ["SLURM_ARRAY_TASK_ID": max, "SLURM_ARRAY_TASK_MIN": "-1", "SLURM_ARRAY_TASK_COUNT": max], count: nil)
        }
        #expect(throws: UsageError.self) {
            try Shard.auto(environment: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": String(Int.min)], count: 4)
        }
        #expect(throws: UsageError.self) { try Shard.auto(environment: ["JOB_COMPLETION_INDEX": "0"], count: Int.max) }
        #expect((try? Shard.auto(environment: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1"], count: 4)) == Shard(index: 2, count: 4))
        let dir = TemporaryDirectory()
        dir.write("a.md", Self.article)
        let run = CLIRun.run(["--shard", "auto", "--shard-count", max, "a.md"], cwd: dir.path, env: ["JOB_COMPLETION_INDEX": "0"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--shard-count expects a whole number from 1 to 1000000"), "\(run.stderr)")
    }

    /// `--facts-out` onto an input replaced the article with facts JSON; onto `--output`, the two overwrote each other.
    @Test func factsOutIsNeverAnInputOrAnotherOutput() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", Self.article)
        dir.write("sub/b.md", Self.article)
        for args in [["--facts-out", "a.md", "a.md"], ["--facts-out", "sub/b.md", "."], ["--facts-out", "./a.md", "."]] {
            let run = CLIRun.run(args, cwd: dir.path)
            #expect(run.status == 2, "\(args)")
            #expect(run.stderr.contains("--facts-out file"), "\(args): \(run.stderr)")
        }
        #expect(String(decoding: dir.read("a.md"), as: UTF8.self) == Self.article)
        #expect(String(decoding: dir.read("sub/b.md"), as: UTF8.self) == Self.article)
        let pairs = [["-o", "r.txt", "--facts-out", "r.txt"], ["--facts-out", "f", "--write-baseline", "./f"], ["-o", "x", "--write-baseline", "x"]]
        for args in pairs {
            let run = CLIRun.run(args + ["a.md"], cwd: dir.path)
            #expect(run.status == 2, "\(args)")
            #expect(run.stderr.contains("name the same file"), "\(args): \(run.stderr)")
        }
    }
}

/// One file named two ways on the command line is one input.
@Suite struct SameFileTwiceTests {
    @Test func twoSpellingsOfOnePathAreLintedOnce() {
        let dir = TemporaryDirectory()
        dir.write("corpus/a.md", TestArticle.withTrailingSpace)
        dir.write("corpus/b.md", "---\ntitle: 另一篇\ndate: 2024-01-02\n---\n另一段不同的正文内容，也足够长了。\n")
        let once = CLIRun.run(["--no-cache", "--format", "concise", "corpus"], cwd: dir.path)
        for args in [["corpus", "./corpus"], ["corpus", dir.path + "/corpus"], ["corpus/a.md", "./corpus/a.md", "corpus"]] {
            let run = CLIRun.run(["--no-cache", "--format", "concise"] + args, cwd: dir.path)
            #expect(!run.stdout.contains("identical"), "\(args): \(run.stdout)")
            #expect(run.stdout.split(separator: "\n").count == once.stdout.split(separator: "\n").count, "\(args): \(run.stdout)")
        }
    }

    /// `..` after a symbolic link is not the lexical parent: `a.md` and `link/../a.md` are two files.
    @Test func aPathThroughALinkAndDotDotIsNotFolded() throws {
        let dir = TemporaryDirectory()
        let elsewhere = TemporaryDirectory()
        dir.write("here/a.md", TestArticle.withTrailingSpace)
        elsewhere.write("a.md", "---\ntitle: 别处\ndate: 2024-01-03\n---\n别处的正文内容，同样足够长了。 \n")
        elsewhere.write("sub/keep.txt", "x")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/here/link", withDestinationPath: elsewhere.path + "/sub")
        let run = CLIRun.run(["--no-cache", "--format", "concise", "a.md", "link/../a.md"], cwd: dir.path + "/here")
        #expect(run.stdout.contains("link/../a.md:"), "\(run.stdout)")
        #expect(run.stdout.contains("\na.md:") || run.stdout.hasPrefix("a.md:"), "\(run.stdout)")
    }
}
