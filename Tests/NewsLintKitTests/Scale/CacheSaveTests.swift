import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// The save streams a run's new entries from a temporary file beside the cache, so a cold run
/// over a large corpus does not hold them all in memory.
@Suite struct CacheSaveTests {
    static func entry(_ location: String, size: Int, facts: Int = 0) -> CacheEntry {
        CacheEntry(location: location, stamp: FileStamp(size: UInt64(size), mtimeSeconds: 1, mtimeNanoseconds: 0, inode: 7),
                   settled: true, contentHash: UInt64(size), byteCount: size, diagnostics: [],
                   facts: (0..<facts).map { (rule: "rule-\($0)", data: Array(repeating: UInt8($0 & 0xFF), count: 4096)[...]) })
    }

    /// Every entry of a saved cache is found by its path, whatever its place in the index (the
    /// lookup starts from where the path's hash should be), and paths never saved are not.
    @Test(arguments: [1, 2, 3, 17, 2_500])
    func everySavedEntryIsFoundByItsPath(count: Int) throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let cache = try #require(LintCache.open(directory: cacheDir, key: 5))
        for i in 0..<count { cache.record(Self.entry("/corpus/\(i % 13)/新闻-\(i).md", size: i)) }
        try cache.save()
        let reopened = try #require(LintCache.open(directory: cacheDir, key: 5))
        #expect(reopened.loadedCount == count)
        for i in 0..<count { #expect(reopened.entry(for: "/corpus/\(i % 13)/新闻-\(i).md")?.byteCount == i) }
        for i in count..<(count + 200) { #expect(reopened.entry(for: "/corpus/\(i % 13)/新闻-\(i).md") == nil) }
    }

    static func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// More entries than one buffer holds: they go through the temporary file, every one is in the
    /// saved cache, and the temporary file is gone after the save.
    @Test func entriesPastTheBufferReachTheSavedCacheAndTheTemporaryFileIsRemoved() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let cache = try #require(LintCache.open(directory: cacheDir, key: 5))
        let count = 400  // 400 entries of 16 KB of facts: about 6.5 MB, several flushes
        for i in 0..<count { cache.record(Self.entry("/corpus/\(i).md", size: i, facts: 4)) }
        // Unlinked as soon as it is created: a run stopped by Ctrl-C leaves nothing behind.
        #expect(!Self.files(in: cacheDir).contains { $0.contains(".fresh-") })
        try cache.save()
        #expect(!Self.files(in: cacheDir).contains { $0.contains(".fresh-") || $0.contains(".tmp-") })

        let reopened = try #require(LintCache.open(directory: cacheDir, key: 5))
        #expect(reopened.loadedCount == count)
        for i in [0, 199, 399] {
            let entry = try #require(reopened.entry(for: "/corpus/\(i).md"))
            #expect(entry.byteCount == i)
            #expect(entry.facts.count == 4)
        }
    }

    /// A second run keeps the loaded entries it did not replace and takes its own for the rest.
    @Test func aSecondRunKeepsUntouchedEntriesAndReplacesItsOwn() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let corpus = dir.path + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in (0..<10).map({ "\($0).md" }) + ["new.md"] { try Data("x".utf8).write(to: URL(fileURLWithPath: corpus + "/" + name)) }
        let first = try #require(LintCache.open(directory: cacheDir, key: 5))
        for i in 0..<10 { first.record(Self.entry(corpus + "/\(i).md", size: i)) }
        try first.save()

        let second = try #require(LintCache.open(directory: cacheDir, key: 5))
        #expect(second.loadedCount == 10)
        second.record(Self.entry(corpus + "/3.md", size: 300))
        second.record(Self.entry(corpus + "/new.md", size: 11))
        try second.save()

        let third = try #require(LintCache.open(directory: cacheDir, key: 5))
        #expect(third.loadedCount == 11)
        #expect(third.entry(for: corpus + "/3.md")?.byteCount == 300)
        #expect(third.entry(for: corpus + "/4.md")?.byteCount == 4)
        #expect(third.entry(for: corpus + "/new.md")?.byteCount == 11)
    }

    /// The entries of files deleted or renamed since they were cached are dropped at the next save
    /// (the cache file would otherwise only grow); the others stay, even when this run did not lint them.
    @Test func entriesOfDeletedFilesAreDroppedAtTheNextSave() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let corpus = dir.path + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["kept.md", "deleted.md", "renamed.md"] { try Data("x".utf8).write(to: URL(fileURLWithPath: corpus + "/" + name)) }
        let first = try #require(LintCache.open(directory: cacheDir, key: 5))
        for name in ["kept.md", "deleted.md", "renamed.md"] { first.record(Self.entry(corpus + "/" + name, size: 1)) }
        try first.save()

        try FileManager.default.removeItem(atPath: corpus + "/deleted.md")
        try FileManager.default.moveItem(atPath: corpus + "/renamed.md", toPath: corpus + "/renamed-2.md")
        let second = try #require(LintCache.open(directory: cacheDir, key: 5))
        second.record(Self.entry(corpus + "/renamed-2.md", size: 1))
        try second.save()

        let third = try #require(LintCache.open(directory: cacheDir, key: 5))
        #expect(third.loadedCount == 2)
        #expect(third.entry(for: corpus + "/kept.md") != nil)
        #expect(third.entry(for: corpus + "/renamed-2.md") != nil)
        #expect(third.entry(for: corpus + "/deleted.md") == nil)
        #expect(third.entry(for: corpus + "/renamed.md") == nil)
    }

    /// A run that recorded nothing leaves the cache file as it was.
    @Test func aRunWithNothingNewDoesNotRewriteTheCache() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let first = try #require(LintCache.open(directory: cacheDir, key: 5))
        first.record(Self.entry("/corpus/a.md", size: 1))
        try first.save()
        let before = try FileManager.default.attributesOfItem(atPath: first.file)[.modificationDate] as? Date
        let second = try #require(LintCache.open(directory: cacheDir, key: 5))
        _ = second.loadedCount
        try second.save()
        #expect(try FileManager.default.attributesOfItem(atPath: first.file)[.modificationDate] as? Date == before)
        #expect(Self.files(in: cacheDir).filter { $0.hasSuffix(".cache") }.count == 1)
    }

    /// A cache dropped without a save (a run that stopped on an error) leaves the directory as it was.
    @Test func aCacheDroppedWithoutSavingLeavesNothingBehind() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        do {
            let cache = try #require(LintCache.open(directory: cacheDir, key: 5))
            for i in 0..<100 { cache.record(Self.entry("/corpus/\(i).md", size: i, facts: 4)) }
        }
        #expect(Self.files(in: cacheDir).sorted() == [".gitignore", "CACHEDIR.TAG", "cache.key"])
    }

    /// An empty or short key file (an older run stopped between creating and writing it) is
    /// replaced instead of turning the cache off for good.
    @Test(arguments: [0, 7])
    func aDamagedKeyFileIsReplaced(length: Int) throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        try FileManager.default.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)
        try Data(repeating: 1, count: length).write(to: URL(fileURLWithPath: cacheDir + "/cache.key"))
        let cache = try #require(LintCache.open(directory: cacheDir, key: 5))
        cache.record(Self.entry("/corpus/a.md", size: 1))
        try cache.save()
        #expect(try Data(contentsOf: URL(fileURLWithPath: cacheDir + "/cache.key")).count == 16)
        #expect(try #require(LintCache.open(directory: cacheDir, key: 5)).entry(for: "/corpus/a.md") != nil)
        #expect(!Self.files(in: cacheDir).contains { $0.contains(".tmp-") })
    }
}
