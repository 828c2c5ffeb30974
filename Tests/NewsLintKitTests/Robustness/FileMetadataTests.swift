import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 19, item 7: file names and metadata under `--fix`.
@Suite struct FileMetadataTests {
    @Test func longNamesGetATempNameThatFits() throws {
        let dir = TemporaryDirectory()
        let name = String(repeating: "新", count: 80) + ".md" // 243 bytes
        #expect(name.utf8.count >= 239 && name.utf8.count <= 255)
        dir.write(name, "正文 \n")
        try AtomicWriter.write(Array("正文\n".utf8), to: dir.path + "/" + name)
        #expect(dir.read(name) == Array("正文\n".utf8))
        #expect(AtomicWriter.tempName(for: name).utf8.count <= 255)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [name])
    }

    @Test func modeIsKeptAndHardLinksAreRefusedUnlessAllowed() throws {
        let dir = TemporaryDirectory()
        let a = dir.write("a.md", "正文 \n")
        chmod(a, 0o640)
        try AtomicWriter.write(Array("x\n".utf8), to: a)
        var st = stat()
        #expect(stat(a, &st) == 0 && st.st_mode & 0o7777 == 0o640 && st.st_uid == getuid())
        link(a, dir.path + "/b.md")
        #expect(throws: WriteError.self) { try AtomicWriter.write(Array("y\n".utf8), to: a) }
        #expect(dir.read("b.md") == Array("x\n".utf8))
        try AtomicWriter.write(Array("y\n".utf8), to: a, allowHardLinks: true)
        #expect(dir.read("b.md") == Array("y\n".utf8), "both links see the fix")
        // Through the CLI: a finding, the file left as it was.
        dir.write("c.md", "正文 \n")
        link(dir.path + "/c.md", dir.path + "/d.md")
        let r = CLIRun.run(["--no-config", "--no-cache", "--fix", "--format", "concise", "c.md"], cwd: dir.path)
        #expect(r.stdout.contains("hard links"), "\(r.stdout)")
        #expect(dir.read("c.md") == Array("正文 \n".utf8))
    }

    @Test func vanishedFileIsNotRecreated() {
        let dir = TemporaryDirectory()
        #expect(throws: WriteError.self) { try AtomicWriter.write(Array("x".utf8), to: dir.path + "/gone.md") }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/gone.md"))
    }

    /// NFC and NFD spellings of a name are two files on Linux: both are linted.
    @Test func normalizationDistinctNamesAreBothKept() throws {
        let dir = TemporaryDirectory()
        let nfc = "caf\u{E9}.md", nfd = "cafe\u{301}.md"
        dir.write(nfc, "甲 \n")
        dir.write(nfd, "乙 \n")
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        guard entries.count == 2 else { return } // a file system that normalises names (macOS) has one file
        let config = Configuration(directory: dir.path)
        let found = FileDiscovery(config: config, base: dir.path).expand(["."]).files
        #expect(found.count == 2)
        let explicit = FileDiscovery(config: config, base: dir.path).expand([nfc, nfd]).files
        #expect(explicit.count == 2)
    }

    /// A name that is not UTF-8 is found byte-exactly (and linted; `ByteExactPathTests` goes end to end).
    @Test func nonUTF8NamesAreFound() throws {
        let dir = TemporaryDirectory()
        let fd = (dir.path + "/caf").withCString { base -> Int32 in
            var bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(base).assumingMemoryBound(to: UInt8.self), count: strlen(base)))
            bytes += [0xE9] + Array(".md".utf8) + [0]
            return bytes.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        }
        guard fd >= 0 else { return } // a file system that refuses such names
        close(fd)
        let r = FileDiscovery(config: Configuration(directory: dir.path), base: dir.path).expand(["."])
        #expect(r.problems.isEmpty)
        #expect(r.files.map(SystemPath.display) == ["caf\\xE9.md"])
        #expect(r.files.map(SystemPath.bytes) == [Array("caf".utf8) + [0xE9] + Array(".md".utf8)])
        _ = r.files.map { SystemPath.unlink(dir.path + "/" + $0) }
    }

    @Test func overLongDirectoryPathsAreReported() {
        let config = Configuration(directory: "/")
        let long = "/" + Array(repeating: String(repeating: "d", count: 250), count: 20).joined(separator: "/")
        let r = FileDiscovery(config: config, base: "/").expand([long])
        #expect(r.files.isEmpty && r.problems.count == 1)
    }
}

@Suite struct ExtensionMatchTests {
    @Test func suffixIgnoresASCIICaseOnly() {
        #expect(FileDiscovery.hasSuffixIgnoringASCIICase("新聞.MD".utf8, ".md".utf8))
        #expect(FileDiscovery.hasSuffixIgnoringASCIICase("post.Html".utf8, ".HTML".utf8))
        #expect(!FileDiscovery.hasSuffixIgnoringASCIICase("post.mdx".utf8, ".md".utf8))
        #expect(!FileDiscovery.hasSuffixIgnoringASCIICase("md".utf8, ".md".utf8))
        #expect(!FileDiscovery.hasSuffixIgnoringASCIICase("a.m\u{0130}".utf8, ".mi".utf8))
    }
}

/// A change saved while `--fix` works out its fixes is never overwritten: the fix is written
/// only over the file it was worked out from (the same inode, size, modification time and bytes).
@Suite struct FixOverChangedFileTests {
    /// Lints `a.md` (`正文 \n`, one trailing-whitespace fix) with `change` run between the read
    /// and the write (`hardLinks`: `--fix-hardlinks`); the run's io-error messages and the
    /// number of fixes applied to the file.
    private static func fix(in dir: TemporaryDirectory, hardLinks: Bool = false,
                            change: @escaping @Sendable (String) -> Void) throws -> (errors: [String], applied: Int?) {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = .apply(.safe)
        settings.fixHardLinks = hardLinks
        settings.baseDirectory = dir.path
        settings.filter = RuleFilter(select: ["trailing-whitespace"])
        settings.beforeFixIsWritten = change
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: dir.path), settings: settings)
        let result = linter.lint([.file("a.md")])
        return (result.diagnostics.filter { $0.rule == "io-error" }.map(\.message), result.files.first?.fix?.applied)
    }

    @Test func anAppendIsKept() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文 \n")
        let (errors, _) = try Self.fix(in: dir) { location in
            let fd = open(location, O_WRONLY | O_APPEND)
            _ = "编辑器追加\n".withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        #expect(dir.read("a.md") == Array("正文 \n编辑器追加\n".utf8))
        #expect(errors.count == 1 && errors[0].contains("changed while newslint was fixing it"), "\(errors)")
    }

    /// An editor that saves by renaming a new file over the old one.
    @Test func aSaveByRenameIsKept() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文 \n")
        let (errors, _) = try Self.fix(in: dir) { location in
            let saved = location + ".save"
            _ = FileManager.default.createFile(atPath: saved, contents: Data("正文 \n新段落\n".utf8))
            rename(saved, location)
        }
        #expect(dir.read("a.md") == Array("正文 \n新段落\n".utf8))
        #expect(errors.count == 1 && errors[0].contains("changed while newslint was fixing it"), "\(errors)")
    }

    /// Same size, modification time set back: only the bytes tell.
    @Test func aChangeWithItsTimeRestoredIsKept() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文 \n")
        let (errors, _) = try Self.fix(in: dir) { location in
            var before = stat()
            stat(location, &before)
            let fd = open(location, O_WRONLY)
            _ = "文正".withCString { pwrite(fd, $0, strlen($0), 0) }
            var times = [before.st_atim, before.st_mtim]
            futimens(fd, &times)
            close(fd)
        }
        #expect(dir.read("a.md") == Array("文正 \n".utf8))
        #expect(errors.count == 1 && errors[0].contains("changed while newslint was fixing it"), "\(errors)")
    }

    /// Nothing changed (the status looked at, the file left as it was): the fix is written.
    @Test func anUnchangedFileIsFixed() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文 \n")
        let (errors, _) = try Self.fix(in: dir) { location in
            var st = stat()
            _ = stat(location, &st)
        }
        #expect(errors.isEmpty, "\(errors)")
        #expect(dir.read("a.md") == Array("正文\n".utf8))
    }

    /// Two hard links fixed by two workers that both read before either wrote: the second finds
    /// the file already holding its fix, which is success (it was "changed while newslint was
    /// fixing it"). The hook plays the first worker, writing the same fix through the other link.
    @Test func aFixAlreadyWrittenThroughAnotherLinkIsSuccess() throws {
        let dir = TemporaryDirectory()
        let a = dir.write("a.md", "正文 \n")
        let other = dir.path + "/b.md"
        link(a, other)
        let (errors, applied) = try Self.fix(in: dir, hardLinks: true) { _ in
            let fd = open(other, O_WRONLY | O_TRUNC)
            _ = "正文\n".withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        #expect(errors.isEmpty, "\(errors)")
        #expect(applied == 1)
        #expect(dir.read("a.md") == Array("正文\n".utf8))
    }

    /// A hard-linked file rewritten in place (`--fix-hardlinks`) is checked the same way.
    @Test func aHardLinkedFileChangedMeanwhileIsKept() throws {
        let dir = TemporaryDirectory()
        let a = dir.write("a.md", "正文 \n")
        link(a, dir.path + "/b.md")
        let read = AtomicWriter.ReadContent(stamp: try #require(FileStamp.of(a)), bytes: Array("正文 \n".utf8))
        let fd = open(dir.path + "/b.md", O_WRONLY | O_APPEND)
        _ = "追加\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        #expect(throws: WriteError.self) { try AtomicWriter.write(Array("正文\n".utf8), to: a, allowHardLinks: true, expecting: read) }
        #expect(dir.read("a.md") == Array("正文 \n追加\n".utf8))
    }
}
