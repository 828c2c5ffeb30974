import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The cache's compact fact form and its file stamps.
@Suite struct CompactCacheTests {
    /// Every built-in cross-file rule's facts from real-looking documents (seeds and fixtures) come
    /// back from the compact form exactly as they went in (compared through their JSON form).
    @Test func everyCrossFileFactRoundTrips() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let repo = root.deletingLastPathComponent().deletingLastPathComponent()
        var paths: [String] = []
        for dir in [repo.appendingPathComponent("seeds").path, root.appendingPathComponent("Fixtures/corpus").path] {
            guard let walker = FileManager.default.enumerator(atPath: dir) else { continue }
            for case let name as String in walker where name.hasSuffix(".md") || name.hasSuffix(".txt") || name.hasSuffix(".html") {
                paths.append(dir + "/" + name)
            }
        }
        #expect(paths.count >= 5)
        var settings = LintSettings()
        settings.jobs = 1
        var catalog = Catalog.builtin
        let config = try Configuration.parse("{}", file: "/tmp/.lint.json", directory: "/tmp", catalog: &catalog)
        let linter = try Linter(catalog: catalog, config: config, settings: settings)
        #expect(linter.baseRules.crossFile.count >= 5)
        var checked = 0
        for path in paths {
            guard let bytes = FileManager.default.contents(atPath: path) else { continue }
            let document = Document(path: path, bytes: [UInt8](bytes))
            for active in linter.baseRules.crossFile {
                guard let fact = active.rule.collectErased(document, environment: linter.environment) else { continue }
                let compact = try active.rule.encodeCachedFact(fact)
                let back = try active.rule.decodeCachedFact(compact)
                #expect(try active.rule.encodeFact(back) == active.rule.encodeFact(fact), "\(active.id) \(path)")
                // Truncated or extended forms throw instead of decoding to something else.
                if !compact.isEmpty { #expect(throws: (any Error).self) { try active.rule.decodeCachedFact(Array(compact.dropLast())) } }
                #expect(throws: (any Error).self) { try active.rule.decodeCachedFact(compact + [0]) }
                checked += 1
            }
        }
        #expect(checked > 20)
    }

    struct Sample: Codable, Equatable {
        var a: Int
        var b: String?
        var c: [UInt16]
        var d: [Int64?]
        var f: Double
        var g: Bool
        var h: UInt64
    }

    /// Written as `Int`, read as `UInt32` (what the hand-written fact conformances do).
    struct Narrowing: Codable, Equatable {
        var line: UInt32
        enum CodingKeys: String, CodingKey { case line }
        init(line: UInt32) { self.line = line }
        init(from decoder: any Decoder) throws { line = try decoder.container(keyedBy: CodingKeys.self).decode(UInt32.self, forKey: .line) }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(Int(line), forKey: .line)
        }
    }

    struct Widening: Codable { var line: Int }

    @Test func compactCoderRoundTripsOrThrows() throws {
        for s in [Sample(a: -5, b: nil, c: [], d: [nil, 3, -9], f: 1.5, g: true, h: .max),
                  Sample(a: Int.max, b: "新聞", c: [0, 65535], d: [Int64.min], f: -0.0, g: false, h: 0)] {
            #expect(try CompactCoder.decode(Sample.self, from: CompactCoder.encode(s)) == s)
        }
        #expect(try CompactCoder.decode(Narrowing.self, from: CompactCoder.encode(Narrowing(line: 4_000_000_000))) == Narrowing(line: 4_000_000_000))
        #expect(try CompactCoder.decode([String: Int].self, from: CompactCoder.encode(["a": 1, "乙": -2])) == ["a": 1, "乙": -2])
        // Out of range for the reader, another type: errors, never a wrong value.
        #expect(throws: (any Error).self) { try CompactCoder.decode(Narrowing.self, from: CompactCoder.encode(Widening(line: -1))) }
        #expect(throws: (any Error).self) { try CompactCoder.decode(Narrowing.self, from: CompactCoder.encode(Sample(a: 1, b: nil, c: [], d: [], f: 0, g: true, h: 1))) }
    }

    /// An unchanged corpus reuses the stored cross-file result; a changed fact recomputes it.
    @Test func crossFileResultIsReusedOnlyForTheSameFacts() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 60)
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = paths.map { LintInput.file($0) }
        let cacheDir = dir.path + "/.cache"
        func run() throws -> [Diagnostic] {
            let cache = try #require(LintCache.open(directory: cacheDir, key: 7))
            let result = try Linter.forTest(root: dir.path, catalog: catalog, cache: cache).lint(inputs).diagnostics
            try cache.save()
            return result
        }
        let reference = try Linter.forTest(root: dir.path, catalog: catalog).lint(inputs).diagnostics
        #expect(reference.contains { $0.rule == "test-duplicate-slug" })
        for _ in 0..<3 { #expect(try run() == reference) }
        let stored = try #require(LintCache.open(directory: cacheDir, key: 7))
        #expect(stored.crossFileResult(digest: 0) == nil)
        #expect(FileManager.default.fileExists(atPath: stored.crossFileResultFile))
        // A new duplicate slug in one file: its fact changes, the cross-file result is recomputed.
        let first = paths[0]
        dir.write(first, "---\ntitle: 新\nslug: s-new-dup\n---\n正文。\n")
        dir.write(paths[1], "---\ntitle: 新二\nslug: s-new-dup\n---\n正文二。\n")
        let fresh = try Linter.forTest(root: dir.path, catalog: catalog).lint(inputs).diagnostics
        #expect(fresh.contains { $0.message.contains("s-new-dup") })
        #expect(try run() == fresh)
        #expect(try run() == fresh)
    }

    /// A rewrite that keeps size, mtime and inode is still seen: the change time moved.
    @Test func stampNoticesARewriteWithTheOldModificationTime() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "正文一。\n")
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.path + "/a.md")
        let before = try #require(FileStamp.of(dir.path + "/a.md"))
        #expect(before.isSettled(now: Int64(Date().timeIntervalSince1970)) == false) // ctime is now
        Thread.sleep(forTimeInterval: 0.02)
        dir.write("a.md", "正文二。\n")
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.path + "/a.md")
        let after = try #require(FileStamp.of(dir.path + "/a.md"))
        #expect(after.size == before.size && after.mtimeSeconds == before.mtimeSeconds && after.mtimeNanoseconds == before.mtimeNanoseconds)
        #expect(after != before)
        #expect(after.device != 0 || before.device == 0)
    }
}
