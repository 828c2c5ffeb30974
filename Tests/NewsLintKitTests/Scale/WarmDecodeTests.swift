import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// What a warm run decodes: the spill read back in pieces into storage it keeps, findings whose
/// fixes have any number of edits, paths and texts taken as the valid UTF-8 this run wrote, and
/// a stored cross-file result whose chunks are read into the storage of the chunk before.
@Suite struct WarmDecodeTests {
    /// Findings of one path; `fixEdits(k)` edits on the k-th (nil: no fix).
    static func findings(path: String, count: Int, messageBytes: Int = 0, fixEdits: (Int) -> Int?) -> [Diagnostic] {
        (0..<count).map { k in
            let fix = fixEdits(k).map { n in
                Fix(k % 2 == 0 ? .safe : .unsafe, "替换为全角“，”",
                    edits: (0..<n).map { e in Edit(range: (k + 4 * e)..<(k + 4 * e + 1), replacement: e % 2 == 0 ? "，" : "") })
            }
            return Diagnostic(rule: k % 3 == 0 ? "trailing-whitespace" : "punctuation-width", severity: k % 2 == 0 ? .warning : .error,
                              path: path, line: k + 1, column: 1 + k % 7, endLine: k % 4 == 0 ? nil : k + 1, endColumn: k % 4 == 0 ? nil : 3 + k % 5,
                              message: "第\(k)行：标点「,」应为全角" + String(repeating: "长", count: messageBytes / 3), fix: fix)
        }
    }

    /// Each finding's path and message as their UTF-8 bytes.
    static func bytes(_ files: [[Diagnostic]]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for d in files.joined() {
            var b = Array(d.path.utf8)
            b.append(0)
            b.append(contentsOf: d.message.utf8)
            out.append(b)
        }
        return out
    }

    /// A spill several times the size of one read (256 KB), with records that straddle the reads
    /// and one larger than a read, from memory and from disk, reads back whole and in order; the
    /// same twice.
    @Test(arguments: [0, 1 << 16, 1 << 30])
    func spillOfManyReadsReadsBackWhole(threshold: Int) {
        let spill = DiagnosticSpill(threshold: threshold)
        var expected: [[Diagnostic]] = []
        var file = 0
        while spill.spilledBytes < 5 << 18 && file < 20_000 {
            let path = "新闻/第\(file)篇 报道.md"
            // One record larger than a read, the others of uneven sizes.
            let big = file == 7
            let findings = Self.findings(path: path, count: big ? 4 : 1 + file % 13, messageBytes: big ? 300_000 : (file % 5) * 40,
                                         fixEdits: { k in k % 4 == 3 ? nil : (k + file) % 4 })
            spill.append(findings)
            expected.append(findings)
            file += 1
            if threshold == 1 << 30 && file == 2_000 { break }
        }
        var read: [[Diagnostic]] = []
        #expect(spill.forEachFile { read.append($0) })
        #expect(read == expected)
        // Byte for byte (`==` on strings is canonical equivalence).
        #expect(Self.bytes(read) == Self.bytes(expected))
        var again = 0
        #expect(spill.forEachFile { _ in again += 1 })
        #expect(again == expected.count)
    }

    /// Fixes of none, one and several edits come back as they were written, through the cache's
    /// compact form and the spill's.
    @Test func fixesOfAnyNumberOfEditsRoundTrip() {
        let findings = Self.findings(path: "新闻/甲.md", count: 12, fixEdits: { k in k % 4 == 0 ? nil : [0, 1, 2, 5][k % 4] })
        #expect(findings.compactMap(\.fix).map(\.edits.count).sorted() == [1, 1, 1, 2, 2, 2, 5, 5, 5])
        var w = ByteWriter()
        for d in findings { w.diagnostic(d) }
        var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
        var recent = RecentStrings()
        var decoded: [Diagnostic] = []
        while !r.atEnd, let d = r.diagnostic(path: "新闻/甲.md", strings: &recent) { decoded.append(d) }
        #expect(decoded == findings)
        // A fix with no edits at all (not made by a rule, but the form allows it).
        let bare = Diagnostic(rule: "r", severity: .info, path: "a.md", line: 1, column: 1, message: "m", fix: Fix(.safe, "d", edits: []))
        var one = ByteWriter()
        one.diagnostic(bare)
        var reader = ByteReader(one.bytes, range: 0..<one.bytes.count)
        #expect(reader.diagnostic(path: "a.md", strings: &recent) == bare)
        #expect(reader.atEnd)

        let spill = DiagnosticSpill(threshold: 0)
        spill.append(findings)
        spill.append([bare])
        var read: [[Diagnostic]] = []
        #expect(spill.forEachFile { read.append($0) })
        #expect(read == [findings, [bare]])
    }

    /// Pinned strings (a run's rule ids) come back as the pinned instances themselves, the
    /// longest of them too; pieces longer than every pinned one, as long as one, or shorter, come
    /// back as strings of their own bytes (a piece longer than all of them is not looked up).
    @Test func pinnedStringsComeBackAsThePinnedInstances() {
        let ids = ["html-tag-unbalanced", "boilerplate-repeated", "content-near-duplicate", "規則名稱-more-than-fifteen"]
        var recent = RecentStrings(pinned: KnownStrings(ids))
        func address(_ s: String) -> UnsafeRawPointer? {
            s.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        }
        func decoded(_ s: String) -> String? {
            Array(s.utf8).withUnsafeBufferPointer { recent.string($0) }
        }
        var state: UInt64 = 5
        func next() -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) }
        let longest = ids.map(\.utf8.count).max() ?? 0
        for round in 0..<2_000 {
            let id = ids[next() % ids.count]
            let back = decoded(id)
            #expect(back == id && address(back ?? "") == address(id), "\(id)")
            // Another piece: around the longest id's length, sharing its start or not.
            let length = max(1, longest - 3 + next() % 7)
            var piece = String(repeating: "x", count: length)
            if round % 3 == 0 { piece = String((ids[round % ids.count] + piece).utf8.prefix(length)) ?? piece }
            let other = decoded(piece)
            #expect(other == piece)
            if !ids.contains(piece) { #expect(address(other ?? "") != address(id)) }
        }
    }

    /// A stored result whose chunks grow past the first one's size and then shrink (each is read
    /// into the storage of the one before) replays every finding in output order.
    @Test func storedResultOfUnevenChunksReplaysWhole() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        // Small findings, then some far larger ones (a chunk ends past 1 MB by up to one finding), then small again.
        let findings = (0..<6_000).map { i in
            let long = (2_000..<2_040).contains(i)
            return Diagnostic(rule: "content-duplicate", severity: .warning, path: "新闻/\(String(format: "%05d", i)).md", line: 8, column: 1,
                              message: "body is identical to 新闻/\(i + 1).md" + String(repeating: long ? "重复" : "。", count: long ? 120_000 : i % 30))
        }
        let writer = try #require(LintCache.open(directory: cacheDir, key: 8))
        writer.recordCrossFile(digest: 77, fileCount: 3, diagnostics: findings)
        try writer.save()
        #expect(try CacheStreamTests.bytes(writer.crossFileResultFile).count > 4 * CrossFileResultFile.chunkSize)
        let reader = try #require(LintCache.open(directory: cacheDir, key: 8))
        let replayed = try #require(reader.crossFileResult(digest: 77))
        #expect(replayed == findings)
        #expect(Self.bytes([replayed]) == Self.bytes([findings]))
        // Replayed again from the start.
        #expect(reader.crossFileResult(digest: 77) == findings)
    }

    /// An entry read without its facts says where they are, and they verify and read from there.
    @Test func entryReadWithoutFactsSaysWhereTheyAre() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let path = dir.write("新闻/a.md", "甲\n")
        let stamp = try #require(FileStamp.of(path))
        let facts: [(rule: String, data: ArraySlice<UInt8>)] = [("content-duplicate", [1, 2, 3][...]), ("slug-duplicate", [9][...])]
        let writer = try #require(LintCache.open(directory: cacheDir, key: 3))
        writer.record(CacheEntry(location: path, stamp: stamp, settled: true, contentHash: 5, byteCount: 4,
                                 diagnostics: Self.findings(path: "", count: 3, fixEdits: { $0 == 1 ? 1 : nil }), facts: facts))
        try writer.save()
        let cache = try #require(LintCache.open(directory: cacheDir, key: 3))
        let entry = try #require(cache.entry(for: path, displayPath: "新闻/a.md", decodingDiagnostics: false, withFacts: false))
        #expect(entry.facts.isEmpty)
        #expect(entry.stamp == stamp && entry.contentHash == 5 && entry.byteCount == 4)
        #expect(entry.storedDiagnostics?.count == 3)
        let location = try #require(entry.factsInCache)
        var read: [(String, [UInt8])] = []
        #expect(cache.facts(at: location) { rule, data in read.append((String(decoding: rule, as: UTF8.self), data)) })
        #expect(read.map(\.0) == facts.map(\.rule))
        #expect(read.map(\.1) == facts.map { Array($0.data) })
        let whole = try #require(cache.entry(for: path, displayPath: "新闻/a.md"))
        #expect(whole.factsInCache == location)
        #expect(whole.diagnostics == Self.findings(path: "新闻/a.md", count: 3, fixEdits: { $0 == 1 ? 1 : nil }))
    }

    /// The file the entries were written to becomes the cache file (linked into place where the
    /// system allows): a cold save, a save that keeps loaded entries beside new and replaced ones,
    /// and one that drops the entries of deleted files each leave one whole cache file with one
    /// name and no temporary file.
    @Test(arguments: [true, false])
    func savedCacheFileIsWholeAfterColdAndLaterSaves(unnamed: Bool) throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        #expect(LintCache.open(directory: cacheDir, key: 6) != nil)
        let macKey = try #require(CacheKeyFile.load(directory: cacheDir))
        let file = cacheDir + "/" + StableHash.hex(6) + ".cache"
        func writer() -> LintCache { LintCache(file: file, key: 6, macKey: macKey, unnamedEntriesFile: unnamed) }
        let paths = (0..<60).map { dir.write("新闻/\($0).md", "第\($0)篇\n") }
        func entry(_ path: String, size: Int) -> CacheEntry {
            // Facts of 16 KB each: several flushes of the entries' buffer.
            CacheEntry(location: path, stamp: FileStamp(size: UInt64(size), mtimeSeconds: 1, mtimeNanoseconds: 0, inode: 7),
                       settled: true, contentHash: UInt64(size), byteCount: size,
                       diagnostics: Self.findings(path: "", count: size % 3, fixEdits: { _ in 1 }),
                       facts: (0..<4).map { (rule: "rule-\($0)", data: Array(repeating: UInt8(size & 0xFF), count: 4096)[...]) })
        }
        func check(_ expected: [String: Int]) throws {
            let cache = try #require(LintCache.open(directory: cacheDir, key: 6))
            #expect(cache.loadedCount == expected.count)
            for (path, size) in expected { #expect(cache.entry(for: path)?.byteCount == size, "\(path)") }
            #expect(!CacheSaveTests.files(in: cacheDir).contains { $0.contains(".fresh-") || $0.contains(".tmp-") })
            var st = stat()
            #expect(stat(cache.file, &st) == 0)
            #expect(st.st_nlink == 1)
            #expect(UInt64(st.st_size) > UInt64(LintCache.headerSize + LintCache.trailerSize))
        }
        var expected: [String: Int] = [:]
        let cold = writer()
        for (i, path) in paths.prefix(50).enumerated() {
            cold.record(entry(path, size: i))
            expected[path] = i
        }
        try cold.save()
        try check(expected)

        // Five replaced, five new; the other 45 kept from the loaded file.
        let later = writer()
        for (i, path) in paths[45..<55].enumerated() {
            later.record(entry(path, size: 1_000 + i))
            expected[path] = 1_000 + i
        }
        try later.save()
        try check(expected)

        // Files deleted: their entries are not kept.
        for path in paths.prefix(3) {
            #expect(unlink(path) == 0)
            expected[path] = nil
        }
        let last = writer()
        last.record(entry(paths[10], size: 2_000))
        expected[paths[10]] = 2_000
        try last.save()
        try check(expected)
    }
}
