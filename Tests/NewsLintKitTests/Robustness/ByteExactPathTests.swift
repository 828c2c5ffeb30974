import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 19, item 7: file names that are not UTF-8 (a corpus saved on a GB18030 or Big5 system)
/// are linted and fixed like any other, and shown escaped (`\xB7`) in every output.
@Suite struct ByteExactPathTests {
    /// Names on disk: GB18030 and Big5 spellings of real words, and awkward cases.
    static let names: [[UInt8]] = [
        [0xD0, 0xC2, 0xC2, 0x84, 0x88, 0xF3, 0x8C, 0xA7] + Array(".md".utf8), // 新聞報導 in GB18030
        [0xAD, 0xBB, 0xB4, 0xE4, 0xB3, 0xF8, 0xBE, 0xC9] + Array(".md".utf8), // 香港報導 in Big5
        [0xB7, 0xA8] + Array(".md".utf8),
        Array("a\\xB7.md".utf8), // a literal backslash escape: must not look like the byte B7
        [0x61, 0xB7] + Array(".md".utf8), // the byte B7 itself
        Array("\u{10FFB7}.md".utf8), // a real name using the reserved block
        Array("普通.md".utf8),
    ]

    @Test func bytesSurviveTheRoundTrip() {
        var rng = SeededRandom(seed: 19)
        var samples = Self.names
        for _ in 0..<2_000 {
            let n = Int(rng.next() % 12) + 1
            // Bytes biased towards UTF-8 lead and continuation bytes and the reserved block's F4 8F BE/BF.
            let pool: [UInt8] = [0x61, 0x2E, 0x5C, 0x80, 0x8F, 0xB7, 0xBE, 0xBF, 0xC2, 0xE4, 0xB8, 0xAD, 0xF4, 0xFF, 0x0A]
            samples.append((0..<n).map { _ in rng.next() % 3 == 0 ? UInt8(rng.next() % 255 + 1) : pool[Int(rng.next() % UInt64(pool.count))] })
        }
        var shown: [String: [UInt8]] = [:]
        for bytes in samples {
            let s = SystemPath.decode(bytes)
            #expect(SystemPath.bytes(s) == bytes, "\(bytes)")
            #expect(SystemPath.decode(SystemPath.bytes(s)) == s)
            let display = SystemPath.display(s)
            #expect(display.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) && !SystemPath.reservedRange.contains($0.value) })
            if let other = shown[display] { #expect(other == bytes, "two names shown as \(display)") }
            shown[display] = bytes
        }
        // Valid UTF-8 without the reserved block is the identity.
        #expect(SystemPath.decode(Array("報導/新聞.md".utf8)) == "報導/新聞.md")
        #expect(SystemPath.display("報導/新聞.md") == "報導/新聞.md")
        #expect(SystemPath.display(SystemPath.decode([0x61, 0xB7])) == "a\\xB7")
        #expect(SystemPath.display("a\\xB7") == "a\\\\xB7")
    }

    @Test func nonUTF8NamesAreLintedFixedAndShownEscaped() throws {
        let dir = TemporaryDirectory()
        let root = dir.path + "/corpus"
        #expect(mkdir(root, 0o755) == 0)
        let subdir = Self.names[0].prefix(4) // 新聞 in GB18030, as a directory
        #expect(SystemPath.withCString(root + "/" + SystemPath.decode(subdir)) { mkdir($0, 0o755) } == 0)
        let defective = Array("# 標題\n\n正文有尾隨空格。   \n".utf8)
        let clean = Array("# 標題\n\n正文沒有問題。\n".utf8)
        var files: [(path: String, bytes: [UInt8])] = []
        for (i, name) in Self.names.enumerated() {
            files.append((root + "/" + SystemPath.decode(name), i % 2 == 0 ? defective : clean))
        }
        files.append((root + "/" + SystemPath.decode(subdir) + "/" + SystemPath.decode(Self.names[1]), defective))
        for f in files {
            let fd = SystemPath.open(f.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return } // a file system that refuses such names
            _ = f.bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            close(fd)
        }
        defer {
            for f in files { _ = SystemPath.unlink(f.path) }
            _ = SystemPath.withCString(root + "/" + SystemPath.decode(subdir)) { rmdir($0) }
        }

        // JSON: valid, every file linted, names escaped, the defects found.
        let json = CLIRun.run(["--no-config", "--no-cache", "--select", "trailing-whitespace", "--format", "json", "corpus"], cwd: dir.path)
        let diagnostics = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        let reported = Set(diagnostics.compactMap { $0["path"] as? String })
        let expected = Set(files.filter { $0.bytes == defective }.map { "corpus/" + SystemPath.display(String($0.path.dropFirst(root.count + 1))) })
        #expect(reported == expected, "\(json.stdout)")
        #expect(reported.contains("corpus/\\xB7\\xA8.md"))
        #expect(!json.stdout.contains("file name is not valid UTF-8"))
        // Text output shows the escape, never the raw byte or U+FFFD.
        let text = CLIRun.run(["--no-config", "--no-cache", "--select", "trailing-whitespace", "--format", "concise", "corpus"], cwd: dir.path)
        #expect(text.stdout.contains("corpus/\\xB7\\xA8.md:3:"))
        #expect(!text.stdout.contains("\u{FFFD}") && !text.stdout.unicodeScalars.contains { SystemPath.reservedRange.contains($0.value) })
        // SARIF: the exact bytes percent-encoded.
        let sarif = CLIRun.run(["--no-config", "--no-cache", "--select", "trailing-whitespace", "--format", "sarif", "corpus"], cwd: dir.path)
        #expect((try? JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8))) != nil)
        #expect(sarif.stdout.contains("corpus/%B7%A8.md"))

        // --fix rewrites exactly the defective files, whatever their names; nothing else is touched.
        var stamps: [String: FileStamp] = [:]
        for f in files { stamps[f.path] = FileStamp.of(f.path) }
        let fix = CLIRun.run(["--no-config", "--no-cache", "--select", "trailing-whitespace", "--fix", "--quiet", "corpus"], cwd: dir.path)
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        for f in files {
            let now = SystemPath.contents(f.path)
            if f.bytes == defective {
                #expect(now == Array("# 標題\n\n正文有尾隨空格。\n".utf8), "\(SystemPath.display(f.path)) not fixed")
            } else {
                #expect(now == clean)
                #expect(FileStamp.of(f.path) == stamps[f.path], "\(SystemPath.display(f.path)) was rewritten")
            }
        }
        // No temp file, no stray U+FFFD-named file.
        let left = FileDiscovery(config: Configuration(directory: root), base: dir.path).expand(["corpus"])
        #expect(left.files.count == files.count && left.problems.isEmpty)
        let hidden = (DirectoryReader.entries(root) ?? []).filter { $0.name.hasPrefix(".") }
        #expect(hidden.isEmpty, "\(hidden)")
    }

    /// The executable reads argv byte-exactly: a name that is not UTF-8 given on the command line is
    /// linted (CommandLine.arguments would have turned its bytes into U+FFFD: "No such file").
    @Test func nonUTF8ArgumentNamesTheFile() throws {
        let exe = KillTests.executable
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            Issue.record("build the newslint product first (swift build): \(exe.path)")
            return
        }
        let dir = TemporaryDirectory()
        let file = dir.path + "/" + SystemPath.decode(Self.names[1]) // 香港報導.md in Big5
        let fd = SystemPath.open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let text = Array("# 標題\n\n正文有尾隨空格。   \n".utf8)
        _ = text.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        close(fd)
        defer { _ = SystemPath.unlink(file) }
        let report = dir.path + "/report.json"
        let pid = try KillTests.spawnWithDefaultSignals(exe.path, ["--no-config", "--no-cache", "--select", "trailing-whitespace", "--format", "json", "-o", report, file])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let json = String(decoding: SystemPath.contents(report) ?? [], as: UTF8.self)
        let diagnostics = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [[String: Any]] ?? []
        #expect(diagnostics.map { $0["rule"] as? String } == ["trailing-whitespace"], "\(json)")
        #expect(diagnostics.first?["path"] as? String == SystemPath.display(file), "\(json)")
        #expect((diagnostics.first?["path"] as? String)?.hasSuffix("/\\xAD\\xBB\\xB4\\xE4\\xB3\\xF8\\xBE\\xC9.md") == true)
    }
}
