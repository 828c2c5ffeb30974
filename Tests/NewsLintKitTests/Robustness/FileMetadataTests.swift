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
