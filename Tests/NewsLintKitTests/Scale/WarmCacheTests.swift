import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The cache file's framing, read independently of `LintCache` (tests corrupt and forge entries).
enum CacheFileLayout {
    struct Entry {
        var checksum: Range<Int>
        /// What `checksum` covers: the facts' checksum and length, and the body before the facts.
        var covered: Range<Int>
        var factsChecksum: Range<Int>
        /// The body before the facts (it starts with the path).
        var body: Range<Int>
        var facts: Range<Int>
        /// The entry's path as stored.
        var path: [UInt8]
    }

    static func entries(_ bytes: [UInt8]) -> [Entry]? {
        // Header (magic, key), entries, index (16 bytes a record), trailer (index offset, count, check).
        guard bytes.starts(with: LintCache.magic), bytes.count >= 40 else { return nil }
        var t = ByteReader(bytes, range: (bytes.count - 24)..<bytes.count)
        guard let indexOffset = t.u64(), let count = t.u64(), indexOffset + count * 16 + 24 == UInt64(bytes.count) else { return nil }
        var r = ByteReader(bytes, range: 16..<Int(indexOffset))
        var out: [Entry] = []
        while !r.atEnd {
            guard let length = r.varint(), let range = r.skip(Int(length)), range.count > 16 else { return nil }
            var body = ByteReader(bytes, range: (range.lowerBound + 16)..<range.upperBound)
            guard let factsLength = body.int(), factsLength <= range.upperBound - body.position else { return nil }
            let bodyStart = body.position, factsStart = range.upperBound - factsLength
            guard let n = body.int(), let path = body.skip(n) else { return nil }
            out.append(Entry(checksum: range.lowerBound..<(range.lowerBound + 8), covered: (range.lowerBound + 8)..<factsStart,
                             factsChecksum: (range.lowerBound + 8)..<(range.lowerBound + 16), body: bodyStart..<factsStart,
                             facts: factsStart..<range.upperBound, path: Array(bytes[path])))
        }
        return out.count == Int(count) ? out : nil
    }
}

@Suite struct WarmCacheTests {
    /// A file created byte for byte (Foundation could normalize a name on some platforms).
    static func create(_ dir: TemporaryDirectory, name: [UInt8], _ text: String) throws {
        let path = Array(dir.path.utf8) + [UInt8(ascii: "/")] + name + [0]
        let fd = path.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        try #require(fd >= 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        close(fd)
    }

    static let nfc: [UInt8] = [0xC3, 0xA9] + Array(".md".utf8)          // é precomposed
    static let nfd: [UInt8] = [0x65, 0xCC, 0x81] + Array(".md".utf8)    // e + combining acute

    /// One entry whose bytes were damaged fails its checksum: only that file is linted again, the
    /// output is what an uncached run prints, and the next save stores a good entry for it.
    @Test func corruptedEntryIsRelintedAloneWithTheSameOutput() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 40)
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = paths.map { LintInput.file($0) }
        let reference = try Linter.forTest(root: dir.path, catalog: catalog).lint(inputs).diagnostics
        let cacheDir = dir.path + "/.cache"
        let cold = try #require(LintCache.open(directory: cacheDir, key: 11))
        _ = try Linter.forTest(root: dir.path, catalog: catalog, cache: cold).lint(inputs)
        try cold.save()

        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cold.file)))
        let victim = Array((dir.path + "/" + paths[5]).utf8)
        let entry = try #require(CacheFileLayout.entries(bytes)?.first { $0.path == victim })
        try #require(victim.count < 128)
        // A byte of its stored content hash (after the path's one-byte length, the path, the stamp and the settled flag).
        bytes[entry.body.lowerBound + 1 + victim.count + 57] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: cold.file))

        let warm = try #require(LintCache.open(directory: cacheDir, key: 11))
        #expect(warm.loadedCount == paths.count - 1)
        #expect(warm.entry(for: dir.path + "/" + paths[5]) == nil)
        #expect(warm.entry(for: dir.path + "/" + paths[6]) != nil)
        #expect(try Linter.forTest(root: dir.path, catalog: catalog, jobs: 1, cache: warm).lint(inputs).diagnostics == reference)
        #expect(warm.hits == paths.count - 1)
        try warm.save()
        // The warm run recorded the file again: the next run answers every file from the cache.
        let again = try #require(LintCache.open(directory: cacheDir, key: 11))
        #expect(again.loadedCount == paths.count)
        #expect(try Linter.forTest(root: dir.path, catalog: catalog, cache: again).lint(inputs).diagnostics == reference)
        #expect(again.hits == paths.count)
    }

    /// Discovery lists paths in byte order: NFC and NFD spellings of a name are two files, and
    /// `a-b.md` (0x2D) sorts before `a/x.md` (0x2F) although the walk meets `a/` first.
    @Test func pathsAreOrderedByTheirBytes() throws {
        let dir = TemporaryDirectory()
        try Self.create(dir, name: Self.nfd, "乙\n")
        try Self.create(dir, name: Self.nfc, "甲\n")
        dir.write("f.md", "丙\n")
        dir.write("Z.md", "丁\n")
        dir.write("a-b.md", "戊\n")
        dir.write("a/x.md", "己\n")
        var catalog = Catalog.builtin
        let config = try Configuration.parse("{}", file: dir.path + "/.lint.json", directory: dir.path, catalog: &catalog)
        let found = FileDiscovery(config: config, base: dir.path).expand(["."])
        let expected: [[UInt8]] = [Array("Z.md".utf8), Array("a-b.md".utf8), Array("a/x.md".utf8), Self.nfd, Array("f.md".utf8), Self.nfc]
        #expect(found.files.map { Array($0.utf8) } == expected)
        #expect(found.files.isStrictlyIncreasing)

        let inputs = LintInputList(texts: [], files: found.files)
        #expect(inputs.pathsStrictlyIncrease)
        #expect(LintInputs.pathOrder(inputs).map { Array($0.path.utf8) } == expected)
        // Out of order (stdin texts first, as the command line gathers them): sorted by bytes, and
        // stdin stays before the file of the same name.
        let shuffled = LintInputList([.text(path: "zz.md", bytes: []), .text(path: "f.md", bytes: []),
                                      .file(String(decoding: Self.nfc, as: UTF8.self)), .file("f.md"), .file(String(decoding: Self.nfd, as: UTF8.self))])
        #expect(!shuffled.pathsStrictlyIncrease)
        let ordered = LintInputs.pathOrder(shuffled)
        #expect(ordered.map { Array($0.path.utf8) } == [Self.nfd, Array("f.md".utf8), Array("f.md".utf8), Array("zz.md".utf8), Self.nfc])
        if case .file = ordered[1] { Issue.record("stdin keeps its place before the file of the same name") }
    }

    /// A column fed only a cache's bytes (no decoded fact) still has a stand-in when its spilled
    /// records are lost: the reduce ends with a clear failure, not a crash; undamaged, it finds
    /// what the decoded facts find.
    @Test func columnOfCachedBytesSurvivesALostSpillFile() throws {
        let documents = FactColumnTests.corpus()
        let rule = try SlugDuplicateRule(options: RuleOptions())
        let box = CrossFileBox(rule: rule)
        let facts = try documents.compactMap { d in try rule.collect(d, environment: LintEnvironment()).map { (path: d.path, bytes: try box.encodeCachedFact($0)) } }
        try #require(facts.count > 2)
        let paths = FactPaths(PathList(facts.map(\.path)))
        let dir = TemporaryDirectory()
        let damaged = TypedFactColumn(rule: rule, log: SpillLog(budget: 0, createFile: SpillFailureTests.file(in: dir)))
        for (i, f) in facts.enumerated() { damaged.append(file: i, cachedBytes: f.bytes[...]) }
        #expect(truncate(dir.path + "/spill", 0) == 0)
        #expect(damaged.finish(paths: paths, id: SlugDuplicateRule.id, severity: .error, environment: LintEnvironment(), into: nil).isEmpty)
        #expect(damaged.readFailure != nil)

        let cached = TypedFactColumn(rule: rule, memoryBudget: 0)
        let decoded = TypedFactColumn(rule: rule, memoryBudget: 0)
        for (i, f) in facts.enumerated() {
            cached.append(file: i, cachedBytes: f.bytes[...])
            decoded.append(file: i, fact: try box.decodeCachedFact(f.bytes))
        }
        let found = cached.finish(paths: paths, id: SlugDuplicateRule.id, severity: .error, environment: LintEnvironment(), into: nil)
        #expect(!found.isEmpty)
        #expect(found == decoded.finish(paths: paths, id: SlugDuplicateRule.id, severity: .error, environment: LintEnvironment(), into: nil))
    }

    /// The ordered merge groups findings by the bytes of their path: a cross-file finding on the
    /// NFC name is not folded into the NFD file's group (String's `==` calls them equal).
    @Test func mergeKeepsNfcAndNfdPathsApart() {
        let nfd = String(decoding: Self.nfd, as: UTF8.self), nfc = String(decoding: Self.nfc, as: UTF8.self)
        let spill = DiagnosticSpill()
        spill.append([Diagnostic(rule: "trailing-whitespace", severity: .warning, path: nfd, line: 1, column: 1, message: "a")])
        var groups: [[[UInt8]]] = []
        let extra = Diagnostic(rule: "content-duplicate", severity: .warning, path: nfc, line: 2, column: 1, message: "b")
        #expect(OrderedMerge.run(spill, extras: [extra]) { group in groups.append(group.map { Array($0.path.utf8) }) })
        #expect(groups == [[Self.nfd], [Self.nfc]])
        #expect(nfd.bytesPrecede(nfc) && !nfc.bytesPrecede(nfd) && !nfc.hasSameBytes(as: nfd) && nfc == nfd)
    }

    /// NFC and NFD spellings of one name are different files on Linux: each keeps its own entry
    /// (paths are compared as bytes, not as canonically equivalent Strings).
    @Test func nfcAndNfdNamesKeepTheirOwnEntries() throws {
        let dir = TemporaryDirectory()
        try Self.create(dir, name: Self.nfc, "正文。   \n")
        try Self.create(dir, name: Self.nfd, "正文。\n")
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = [Self.nfd, Self.nfc].map { LintInput.file(String(decoding: $0, as: UTF8.self)) }
        let reference = try Linter.forTest(root: dir.path, catalog: catalog).lint(inputs).diagnostics
        let trailing = { (d: [Diagnostic]) in d.filter { $0.rule == "trailing-whitespace" }.map { Array($0.path.utf8) } }
        #expect(trailing(reference) == [Self.nfc])
        let cacheDir = dir.path + "/.cache"
        let cold = try #require(LintCache.open(directory: cacheDir, key: 12))
        #expect(try Linter.forTest(root: dir.path, catalog: catalog, cache: cold).lint(inputs).diagnostics == reference)
        try cold.save()
        let warm = try #require(LintCache.open(directory: cacheDir, key: 12))
        #expect(warm.loadedCount == 2)
        let result = try Linter.forTest(root: dir.path, catalog: catalog, cache: warm).lint(inputs)
        #expect(result.diagnostics == reference)
        #expect(trailing(result.diagnostics) == [Self.nfc])
        #expect(warm.hits == 2)
    }

    /// A hit hands typed rules' facts to the columns as the cache's bytes (never decoded) and
    /// brings the file's suppression regions along, so cross-file findings are filtered without
    /// reading it; what the run reports is what an uncached run reports.
    @Test func hitsKeepFactBytesAndSuppressionRegions() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "---\ntitle: 甲\nslug: same\n---\n正文一。\n")
        dir.write("b.md", "---\ntitle: 乙\nslug: same\n---\n<!-- newslint-disable-file test-duplicate-slug -->\n正文二。\n")
        dir.write("c.md", "---\ntitle: 丙\nslug: same\n---\n正文三。\n")
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = LintInputList(["a.md", "b.md", "c.md"].map { LintInput.file($0) })
        func merged(_ linter: Linter) -> [String] {
            let run = LintRun(linter: linter, request: LintRequest(inputs: inputs))
            var out: [String] = []
            run.merge { group, _ in out += group.map { "\($0.path):\($0.line) \($0.rule)" } }
            return out
        }
        let reference = merged(try Linter.forTest(root: dir.path, catalog: catalog))
        #expect(reference.contains("c.md:3 test-duplicate-slug"))
        #expect(!reference.contains { $0.hasPrefix("b.md:") && $0.hasSuffix(" test-duplicate-slug") })

        let cacheDir = dir.path + "/.cache"
        let cold = try #require(LintCache.open(directory: cacheDir, key: 13))
        #expect(merged(try Linter.forTest(root: dir.path, catalog: catalog, cache: cold)) == reference)
        try cold.save()
        let warm = try #require(LintCache.open(directory: cacheDir, key: 13))
        let outcomes = Locked<[FileOutcome]>([])
        let linter = try Linter.forTest(root: dir.path, catalog: catalog, cache: warm)
        _ = linter.lintStreaming(inputs, observer: { o in outcomes.withLock { $0.append(o) } }) { _ in }
        let seen = outcomes.withLock { $0 }
        #expect(seen.count == 3 && seen.allSatisfy { $0.answeredFromCache && $0.suppressionsKnown })
        let slugRule = try #require(linter.baseRules.crossFile.firstIndex { $0.id == TestDuplicateSlugRule.id })
        #expect(seen.allSatisfy { $0.boxedFacts.isEmpty && $0.cachedFacts.contains { $0.rule == slugRule } })
        #expect(seen.map { $0.suppressions?.count ?? 0 } == [0, 1, 0])

        let again = try #require(LintCache.open(directory: cacheDir, key: 13))
        #expect(merged(try Linter.forTest(root: dir.path, catalog: catalog, cache: again)) == reference)
        #expect(again.hits == 3)
    }
}
