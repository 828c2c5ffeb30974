import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

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

    /// Facts of another format version (version 2 held content-near-duplicate signatures of
    /// another scheme) are refused with a message saying what to do, never compared.
    @Test func mergeRefusesFactsOfAnotherVersion() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 10)
        let linter = try Linter.forTest(root: dir.path, catalog: try TestDuplicateSlugRule.catalog(), finishCrossFile: false)
        let bytes = try FactsFile.collect(linter.lint(paths.map { .file($0) }).files, linter: linter, shard: nil).serialized()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"version\":\(FactsFile.version)"))
        let older = Array(text.replacingOccurrences(of: "\"version\":\(FactsFile.version)", with: "\"version\":2").utf8)
        do {
            _ = try FactsFile.parse(older, file: "old.facts")
            Issue.record("a version 2 facts file was accepted")
        } catch let error as UsageError {
            #expect(error.description.contains("version 2 is not supported"))
            #expect(error.description.contains("same newslint version"))
        }
    }
}

/// Issue 19, item 6: the cache never answers with a result that linting now would not give.
@Suite struct CacheIntegrityTests {
    @Test func sipHashMatchesTheReferenceVectors() {
        let key = (UInt64(0x0706_0504_0302_0100), UInt64(0x0F0E_0D0C_0B0A_0908))
        #expect(SipHash24.hash([UInt8](), key: key) == 0x726F_DB47_DD0E_0E31)
        #expect(SipHash24.hash((0..<15).map { UInt8($0) }, key: key) == 0xA129_CA61_49BE_45E5)
    }

    /// The cache's checksums: SipHash-1-3's published vectors (all-zero key, from the reference
    /// implementation) and, keyed, 15 bytes (a word and a tail), computed by an independent
    /// implementation that gives the published vectors of both variants.
    @Test func sipHash13MatchesTheReferenceVectors() {
        #expect(SipHash13.hash([UInt8](), key: (0, 0)) == 0xD1FB_A762_150C_532C)
        #expect(SipHash13.hash([UInt8](0x00...0x00), key: (0, 0)) == 0x68A9_1412_8E01_E473)
        #expect(SipHash13.hash(Array("siphash".utf8), key: (0, 0)) == 0x8264_CEEC_CB16_BCBE)
        #expect(SipHash13.hash(Array("digest-sip_hash".utf8), key: (0, 0)) == 0xCE31_007E_3413_0C0A)
        let key = (UInt64(0x0706_0504_0302_0100), UInt64(0x0F0E_0D0C_0B0A_0908))
        #expect(SipHash13.hash((0..<15).map { UInt8($0) }, key: key) == 0xD320_D86D_2A51_9956)
        #expect(SipHash13.hash((0..<15).map { UInt8($0) }, key: key) != SipHash24.hash((0..<15).map { UInt8($0) }, key: key))
    }

    static func linter(root: String, cache: LintCache?) throws -> Linter {
        var settings = LintSettings()
        settings.jobs = 1
        settings.baseDirectory = root
        settings.cache = cache
        settings.filter = RuleFilter(select: ["image-link-broken"])
        var catalog = Catalog.builtin
        let config = try Configuration.parse("{}", file: root + "/.lint.json", directory: root, catalog: &catalog)
        return try Linter(catalog: catalog, config: config, settings: settings)
    }

    /// A referenced local image deleted after the cache was written: the file is linted again.
    @Test func deletedImageInvalidatesTheEntry() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文。\n\n![圖](img/photo.jpg)\n")
        dir.write("img/photo.jpg", "jpeg")
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.path + "/a.md")
        func run() throws -> (diagnostics: [Diagnostic], hits: Int) {
            let cache = try #require(LintCache.open(directory: dir.path + "/.cache", key: 5))
            let r = try Self.linter(root: dir.path, cache: cache).lint([.file("a.md")])
            try cache.save()
            return (r.diagnostics, cache.hits)
        }
        #expect(try run().diagnostics.isEmpty)
        #expect(try run().hits == 1)
        try FileManager.default.removeItem(atPath: dir.path + "/img/photo.jpg")
        let after = try run()
        #expect(after.hits == 0)
        #expect(after.diagnostics.map(\.rule) == ["image-link-broken"])
        // And back: the image reappears, the finding goes.
        dir.write("img/photo.jpg", "jpeg")
        #expect(try run().diagnostics.isEmpty)
    }

    /// A miss's explanation (a directory, another letter case, another normalization) read paths
    /// the entry was not keyed on: after a rename the warm run served the old reason ("on disk as
    /// 'photo.jpg'" for a file now named otherwise) until a cold run. The paths that decided the
    /// explanation are now dependencies of the entry, as the probed image path is.
    @Test func aMissExplanationFollowsARename() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文。\n\n![圖](img/Photo.jpg)\n")
        dir.write("img/photo.jpg", "jpeg")
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.path + "/a.md")
        func run() throws -> (messages: [String], hits: Int) {
            let cache = try #require(LintCache.open(directory: dir.path + "/.cache", key: 5))
            let r = try Self.linter(root: dir.path, cache: cache).lint([.file("a.md")])
            try cache.save()
            return (r.diagnostics.map(\.message), cache.hits)
        }
        let caseOnly = "local image 'img/Photo.jpg' does not exist as written: 'Photo.jpg' is on disk as 'photo.jpg', in another letter case; "
            + "a case-sensitive web server will not find it"
        #expect(try run().messages == [caseOnly])
        #expect(try run() == ([caseOnly], 1))
        // The file renamed away: plainly missing now.
        try FileManager.default.moveItem(atPath: dir.path + "/img/photo.jpg", toPath: dir.path + "/img/other.jpg")
        #expect(try run().messages == ["local image 'img/Photo.jpg' does not exist"])
        // A directory of that name: said so; and renamed back to a file in another case.
        try FileManager.default.createDirectory(atPath: dir.path + "/img/Photo.jpg", withIntermediateDirectories: true)
        #expect(try run().messages == ["local image 'img/Photo.jpg' is a directory, not an image file"])
        try FileManager.default.removeItem(atPath: dir.path + "/img/Photo.jpg")
        try FileManager.default.moveItem(atPath: dir.path + "/img/other.jpg", toPath: dir.path + "/img/photo.jpg")
        #expect(try run().messages == [caseOnly])
        // Its directory renamed in another case: the image's directory is found under that spelling.
        try FileManager.default.moveItem(atPath: dir.path + "/img", toPath: dir.path + "/IMG")
        #expect(try run().messages == ["local image 'img/Photo.jpg' does not exist as written: 'img' is on disk as 'IMG', in another letter case; "
            + "a case-sensitive web server will not find it"])
    }

    /// A pack file in a subdirectory of a rule pack changes the cache key.
    @Test func editingAPackFileInASubdirectoryChangesTheKey() throws {
        let dir = TemporaryDirectory()
        let pack = #"{"id": "pack-x", "message": "x", "patterns": [{"literal": "AAA"}]}"#
        dir.write("packs/sub/x.json", pack)
        dir.write(".lint.json", #"{"rulePacks": ["packs"]}"#)
        func key() throws -> UInt64 {
            var catalog = Catalog.builtin
            let config = try Configuration.load(file: dir.path + "/.lint.json", catalog: &catalog)
            return LintCache.key(config: config, catalog: catalog, filter: RuleFilter())
        }
        let before = try key()
        dir.write("packs/sub/x.json", pack.replacingOccurrences(of: "AAA", with: "BBB"))
        #expect(try key() != before)
    }

    /// An entry rewritten by someone without the key (checksum recomputed with an unkeyed hash,
    /// or with another key) does not verify; the key file is private.
    @Test func forgedCacheIsRejected() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文 \n")
        let cacheDir = dir.path + "/.cache"
        let cache = try #require(LintCache.open(directory: cacheDir, key: 9))
        _ = try Self.linter(root: dir.path, cache: cache).lint([.file("a.md")])
        try cache.save()
        var st = stat()
        #expect(stat(cacheDir + "/cache.key", &st) == 0 && st.st_mode & 0o077 == 0)
        #expect(try #require(LintCache.open(directory: cacheDir, key: 9)).loadedCount == 1)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cache.file)))
        let entries = try #require(CacheFileLayout.entries(good))
        #expect(!entries.isEmpty)
        for forge in [{ (body: [UInt8]) in FastHash.hash(body) }, { SipHash24.hash($0, key: (1, 2)) }] {
            var forged = good
            for entry in entries {
                // Any change to the body, with the checksum recomputed without the directory's key.
                forged[entry.body.upperBound - 1] ^= 1
                let sum = forge(Array(forged[entry.covered]))
                for k in 0..<8 { forged[entry.checksum.lowerBound + k] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(k))) }
            }
            try Data(forged).write(to: URL(fileURLWithPath: cache.file))
            let reopened = try #require(LintCache.open(directory: cacheDir, key: 9))
            #expect(reopened.loadedCount == 0)
            #expect(try Self.linter(root: dir.path, cache: reopened).lint([.file("a.md")]).diagnostics.isEmpty)
            #expect(reopened.hits == 0)
        }
    }
}
