import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// What a new user meets first: each message says what is wrong, where, and what to do.
@Suite struct NewUserInputTests {
    @Test func symlinkLoopIsNamedAsALoop() throws {
        let tmp = TemporaryDirectory()
        tmp.write("ok.md", "---\ntitle: t\ndate: 2020-01-01\n---\n正文。\n")
        try FileManager.default.createSymbolicLink(atPath: tmp.path + "/one", withDestinationPath: "two")
        try FileManager.default.createSymbolicLink(atPath: tmp.path + "/two", withDestinationPath: "one")
        try FileManager.default.createSymbolicLink(atPath: tmp.path + "/loop.md", withDestinationPath: "one")
        let expected = "loop.md:1:1: error: symbolic link loop (the link leads back to itself); remove the link or point it at a file [io-error]\n"
        for paths in [["."], ["loop.md", "ok.md"]] {
            let r = CLIRun.run(paths + ["--no-config", "--no-cache", "--format", "concise", "--select", "io-error"], cwd: tmp.path)
            #expect(r.stdout == expected, "\(paths): \(r.stdout)")
            #expect(r.status == 2)
        }
    }

    @Test func unreadableOrUTF16ConfigSaysWhyAndWhatToDo() throws {
        let tmp = TemporaryDirectory()
        tmp.write("a.md", "---\ntitle: t\ndate: 2020-01-01\n---\n正文。\n")
        try FileManager.default.createDirectory(atPath: tmp.path + "/dir.json", withIntermediateDirectories: true)
        let directory = CLIRun.run(["--config", "dir.json", "a.md"], cwd: tmp.path)
        #expect(directory.stderr.contains("dir.json: cannot read the config file (it is a directory); it must be a readable JSON file"), "\(directory.stderr)")
        #expect(directory.status == 2)
        tmp.write(".lint.json", bytes: [0xFF, 0xFE] + Array("{}".utf16).flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] })
        let utf16 = CLIRun.run(["a.md"], cwd: tmp.path)
        #expect(utf16.stderr.contains(".lint.json: the config file is UTF-16 (it starts with a byte order mark); save it as UTF-8"), "\(utf16.stderr)")
        #expect(utf16.status == 2)
    }

    /// `--config <(…)`: process substitution names a pipe (/dev/fd/N), read like a file; a named
    /// pipe nobody writes to is an empty config, said at once (no hang); a config over the cap
    /// is refused before it is read.
    @Test func configFromAPipeIsRead() throws {
        let tmp = TemporaryDirectory()
        tmp.write("a.md", "正文。 \n")
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let config = Array(#"{"rules": {"front-matter-missing": "off"}}"#.utf8)
        config.withUnsafeBytes { _ = write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        defer { close(fds[0]) }
        let piped = CLIRun.run(["--no-cache", "--config", "/dev/fd/\(fds[0])", "--format", "concise", "a.md"], cwd: tmp.path)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("[trailing-whitespace]") && !piped.stdout.contains("front-matter-missing"), "\(piped.stdout)")

        try #require(mkfifo(tmp.path + "/fifo.json", 0o600) == 0)
        let lone = CLIRun.run(["--no-cache", "--config", "fifo.json", "a.md"], cwd: tmp.path)
        #expect(lone.status == 2 && lone.stderr.contains("fifo.json: the config file is empty"), "\(lone.stderr)")

        // Sparse: 17 MiB by its size, nothing written.
        let big = tmp.write("big.json", "{}")
        try #require(truncate(big, 17 << 20) == 0)
        let large = CLIRun.run(["--no-cache", "--config", "big.json", "a.md"], cwd: tmp.path)
        #expect(large.status == 2 && large.stderr.contains("big.json: the config file is 17825792 bytes, over the 16777216-byte limit"), "\(large.stderr)")
    }

    /// `--config /dev/stdin < cfg.json`: stdin a regular file, named by a path under /dev (here
    /// /dev/fd/N of a file this test opened). Its globs are relative to the current directory, not
    /// /dev/fd: the anchored exclude leaves out ./skip.md. `--config /dev/stdin -` wants stdin twice.
    @Test func configUnderDevIsRelativeToTheCurrentDirectory() throws {
        let tmp = TemporaryDirectory()
        tmp.write("keep.md", "正文。 \n")
        tmp.write("skip.md", "正文。 \n")
        let file = tmp.write("cfg/settings.json", #"{"exclude": ["/skip.md"]}"#)
        let fd = open(file, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let listed = CLIRun.run(["--no-cache", "--config", "/dev/fd/\(fd)", "--show-files", "."], cwd: tmp.path)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("keep.md") && !listed.stdout.contains("skip.md"), "\(listed.stdout)")
        let both = CLIRun.run(["--no-cache", "--config", "/dev/stdin", "-"], cwd: tmp.path, stdin: "正文。\n")
        #expect(both.status == 2 && both.stderr == "error: --config '/dev/stdin' and '-' both read standard input; give the config or the text as a file\n", "\(both.stderr)")
    }

    /// `--config cfg.json -` where cfg.json is a link to /dev/stdin: standard input under another
    /// name is still standard input (known by its file, not its spelling), so it is refused, not
    /// read as the config with `-` linting what is left (nothing).
    @Test func configLinkedToStandardInputIsRefusedWithDash() throws {
        var st = stat()
        try #require(fstat(0, &st) == 0, "the test process has no standard input")
        let tmp = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: tmp.path + "/cfg.json", withDestinationPath: "/dev/stdin")
        let run = CLIRun.run(["--no-cache", "--config", "cfg.json", "-"], cwd: tmp.path, stdin: "正文。\n")
        #expect(run.status == 2 && run.stderr == "error: --config 'cfg.json' and '-' both read standard input; give the config or the text as a file\n", "\(run.stderr)")
    }

    /// `report` and `learn` on a path that does not exist or a directory with no files to lint refuse, as
    /// `lint` does, instead of scoring an empty corpus 100/100 or a missing path as a broken file.
    @Test func reportRefusesMissingAndEmptyPaths() throws {
        let tmp = TemporaryDirectory()
        tmp.write("news/a.md", "---\ntitle: t\ndate: 2020-01-01\n---\n正文。\n")
        try FileManager.default.createDirectory(atPath: tmp.path + "/empty", withIntermediateDirectories: true)
        let missing = CLIRun.run(["report", "--no-config", "nope"], cwd: tmp.path)
        #expect(missing.stderr == "error: 'nope': cannot open: No such file or directory; name files or directories that exist\n", "\(missing.stderr)")
        #expect(missing.status == 2 && missing.stdout.isEmpty)
        let empty = CLIRun.run(["report", "--no-config", "empty"], cwd: tmp.path)
        #expect(empty.stderr.hasPrefix("error: 'empty' yields no files"), "\(empty.stderr)")
        #expect(empty.status == 2 && empty.stdout.isEmpty)
        #expect(CLIRun.run(["report", "--no-config", "news"], cwd: tmp.path).status == 0)
        // learn too: a pack learned from nothing is not a result.
        for path in ["nope", "empty"] {
            let learned = CLIRun.run(["learn", "--no-config", path], cwd: tmp.path)
            #expect(learned.status == 2 && learned.stderr.hasPrefix("error: '\(path)'"), "\(learned.stderr)")
        }
    }

    /// Session 47: `report`/`learn` took a directory named twice (`c ./c`, `c c/./sub`) for an empty
    /// one (its files are listed once, under the first spelling), where `lint` accepts it.
    @Test func reportAndLearnTakeADirectoryNamedTwice() {
        let tmp = TemporaryDirectory()
        tmp.write("c/a.md", "---\ntitle: 一\ndate: 2024-11-01\n---\n\n正文一段落，内容足够长。\n")
        tmp.write("c/sub/b.md", "---\ntitle: 二\ndate: 2024-11-02\n---\n\n正文二段落，内容足够长。\n")
        for paths in [["c", "./c"], ["c", "c/./sub"], ["./c", "c"]] {
            let report = CLIRun.run(["report", "--no-config"] + paths, cwd: tmp.path)
            #expect(report.status == 0, "\(paths): \(report.stderr)")
            let learn = CLIRun.run(["learn", "--no-config"] + paths, cwd: tmp.path)
            #expect(learn.status == 0, "\(paths): \(learn.stderr)")
        }
        // A directory that is empty is still refused when another is named beside it.
        try? FileManager.default.createDirectory(atPath: tmp.path + "/empty", withIntermediateDirectories: true)
        #expect(CLIRun.run(["report", "--no-config", "c", "empty"], cwd: tmp.path).stderr.hasPrefix("error: 'empty' yields no files"))
    }

    /// Session 47: `learn --id boilerplate` wrote a pack the config then refused.
    @Test func learnRefusesABuiltInRuleID() {
        let tmp = TemporaryDirectory()
        tmp.write("c/a.md", "---\ntitle: 一\ndate: 2024-11-01\n---\n\n正文一段落，内容足够长。\n")
        let learned = CLIRun.run(["learn", "--no-config", "--id", "boilerplate", "-o", "pack.json", "c"], cwd: tmp.path)
        #expect(learned.status == 2 && learned.stderr == "error: --id 'boilerplate' is a built-in rule; choose another id\n", "\(learned.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.path + "/pack.json"))
    }

    /// Session 47: a shard the hash gave no file said "no files to lint in c (check
    /// include/exclude/extensions …)", as if the directory held none.
    @Test func anEmptyShardSaysTheOtherShardsTookTheFiles() {
        let tmp = TemporaryDirectory()
        tmp.write("c/a.md", "---\ntitle: 一\ndate: 2024-11-01\n---\n\n正文一段落，内容足够长。\n")
        let runs = (1...2).map { CLIRun.run(["--no-config", "--no-cache", "--shard", "\($0)/2", "c"], cwd: tmp.path) }
        let empty = runs.filter { $0.stderr.contains("got none") }
        #expect(runs.allSatisfy { $0.status == 0 && !$0.stderr.contains("no files to lint") } && empty.count == 1, "\(runs.map(\.stderr))")
        #expect(empty.first?.stderr.hasPrefix("warning: shard ") == true && empty.first?.stderr.contains(" got none of the 1 file in c (") == true,
                "\(empty.first?.stderr ?? "")")
    }

    /// Session 47: `-o -` wrote a file named `-`; `--facts-out -` too.
    @Test func outputDashIsStandardOutput() {
        let tmp = TemporaryDirectory()
        tmp.write("c/a.md", "---\ntitle: 一\ndate: 2024-11-01\n---\n\n正文一段落，内容足够长。  \n")
        let plain = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "c"], cwd: tmp.path)
        let dash = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "-o", "-", "c"], cwd: tmp.path)
        #expect(!plain.stdout.isEmpty && dash.stdout == plain.stdout && dash.status == plain.status)
        #expect(CLIRun.run(["--no-config", "--no-cache", "--output=-", "c"], cwd: tmp.path).stdout.contains("a.md"))
        #expect(!FileManager.default.fileExists(atPath: tmp.path + "/-"))
        let facts = CLIRun.run(["--no-config", "--no-cache", "--facts-out", "-", "c"], cwd: tmp.path)
        #expect(facts.status == 2 && facts.stderr.hasPrefix("error: --facts-out needs a file"), "\(facts.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.path + "/-"))
    }

    @Test func helpOfHelpAndMergeOfWrongFiles() {
        let help = CLIRun.run(["help", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE:"), "\(help.stderr)")
        let tmp = TemporaryDirectory()
        tmp.write("a.md", "---\ntitle: t\n---\n")
        let notFacts = CLIRun.run(["merge", "--no-config", "a.md"], cwd: tmp.path)
        #expect(notFacts.stderr.contains("a.md:1:") && notFacts.stderr.contains("is it a facts file written by 'newslint lint --shard K/N --facts-out FILE'?"), "\(notFacts.stderr)")
        let missing = CLIRun.run(["merge", "--no-config", "nope.jsonl"], cwd: tmp.path)
        #expect(missing.stderr == "error: cannot read facts file 'nope.jsonl': cannot open: No such file or directory; name the files 'newslint lint --shard K/N --facts-out FILE' wrote\n", "\(missing.stderr)")
        #expect(notFacts.status == 2 && missing.status == 2)
    }

    /// `--output` naming a FIFO or a device writes into it; it is never replaced by a regular file
    /// (as root, renaming over /dev/null would destroy the device). A directory is refused up front.
    @Test func outputIntoASpecialFileOrADirectory() throws {
        let tmp = TemporaryDirectory()
        let fifo = tmp.path + "/report.pipe"
        try #require(mkfifo(fifo, 0o644) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        try AtomicWriter.writeNew(Array("报告\n".utf8), to: fifo)
        var st = stat()
        #expect(stat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO, "the FIFO is still a FIFO")
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, 64) }
        #expect(n > 0 && Array(buffer[0..<max(0, n)]) == Array("报告\n".utf8))

        tmp.write("a.md", "---\ntitle: t\ndate: 2020-01-01\n---\n正文。\n")
        try FileManager.default.createDirectory(atPath: tmp.path + "/out", withIntermediateDirectories: true)
        let r = CLIRun.run(["--no-config", "--no-cache", "--output", "out", "a.md"], cwd: tmp.path)
        #expect(r.stderr == "error: cannot write --output file 'out': it is a directory; name a file (e.g. 'out/report.txt')\n", "\(r.stderr)")
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(throws: WriteError.self) { try AtomicWriter.writeNew([0x41], to: tmp.path + "/out") }
    }

    static let binary = PackagePaths.root.appendingPathComponent(".build/debug/newslint").path

    /// The real process streams: stdin that cannot be read (a directory) and stdout on a full disk
    /// end with a message and exit code 2, not a crash (`try!` in Foundation's FileHandle).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary) && FileManager.default.fileExists(atPath: "/dev/full"),
                   "needs .build/debug/newslint (swift build) and /dev/full"))
    func unreadableStdinAndFullStdoutAreErrors() throws {
        let tmp = TemporaryDirectory()
        tmp.write("a.md", "---\ntitle: t\n---\n正文。 \n")
        func run(_ args: [String], stdin: FileHandle?, stdout: FileHandle) throws -> (status: Int32, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = args
            process.currentDirectoryURL = tmp.url
            if let stdin { process.standardInput = stdin }
            process.standardOutput = stdout
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let directory = try #require(FileHandle(forReadingAtPath: tmp.path))
        let stdin = try run(["--no-config", "--no-cache", "-"], stdin: directory, stdout: FileHandle.nullDevice)
        #expect(stdin.status == 2 && stdin.stderr.contains("error: cannot read standard input ('-'): Is a directory"), "\(stdin)")
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let stdout = try run(["--no-config", "--no-cache", "a.md"], stdin: nil, stdout: full)
        #expect(stdout.status == 2 && stdout.stderr.contains("error: cannot write to standard output: No space left on device"), "\(stdout)")
    }
}
