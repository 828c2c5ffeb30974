import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// Cache files of keys no run uses any more (another configuration, an older newslint) and
/// temporary files of killed runs are removed; nothing else in the directory is touched.
@Suite struct CachePruningTests {
    static let now: Int64 = 1_800_000_000
    static let day: Int64 = 24 * 3600

    static func write(_ dir: TemporaryDirectory, _ name: String, age: Int64) {
        let path = dir.write(name, "x")
        try? FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(now - age))], ofItemAtPath: path)
    }

    @Test func removesUnusedKeysAndAbandonedTemporaryFilesOnly() throws {
        let dir = TemporaryDirectory()
        let current = "0123456789abcdef"
        let used = "aaaaaaaaaaaaaaaa", unused = "bbbbbbbbbbbbbbbb"
        Self.write(dir, "\(current).cache", age: 30 * Self.day)            // this run's: kept however old
        Self.write(dir, "\(current).cross-file", age: 30 * Self.day)
        Self.write(dir, "\(used).cache", age: 1 * Self.day)                 // touched lately
        Self.write(dir, "\(used).cross-file", age: 20 * Self.day)           // goes with its .cache: kept
        Self.write(dir, "\(unused).cache", age: 8 * Self.day)
        Self.write(dir, "\(unused).cross-file", age: 9 * Self.day)
        Self.write(dir, "\(current).cache.fresh-123-456", age: 3 * Self.day)  // a killed run's
        Self.write(dir, "\(used).cross-file.tmp-9-9", age: 3 * Self.day)
        Self.write(dir, "\(current).cache.tmp-77-1", age: Self.day / 2)       // a running save's: kept
        Self.write(dir, "\(current).cache.cross-fresh-5-5", age: Self.day)
        for other in ["CACHEDIR.TAG", "cache.key", ".gitignore", "notes.cache", "0123456789ABCDEF.cache", "0123456789abcde.cache", "\(unused).cache.bak"] {
            Self.write(dir, other, age: 100 * Self.day)
        }
        try FileManager.default.createDirectory(atPath: dir.path + "/cccccccccccccccc.cache", withIntermediateDirectories: true)
        let removed = CachePruning.prune(directory: dir.path, current: dir.path + "/\(current).cache", now: Self.now)
        #expect(removed == ["\(unused).cache", "\(unused).cross-file", "\(current).cache.fresh-123-456", "\(used).cross-file.tmp-9-9"].sorted())
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left.isDisjoint(with: removed) && left.contains("\(used).cross-file") && left.contains("notes.cache") && left.contains("cccccccccccccccc.cache"))
        #expect(left.count == 14)
    }

    @Test func aCacheOnlyReadIsTouchedOnceADay() throws {
        let dir = TemporaryDirectory()
        let real = Int64(Date().timeIntervalSince1970)
        let path = dir.write("0123456789abcdef.cache", "x")
        func age() throws -> Int64 {
            let date = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
            return real - Int64(date.timeIntervalSince1970)
        }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(real - 3600))], ofItemAtPath: path)
        CachePruning.noteUse(of: path, now: real)
        #expect(try age() >= 3500)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(real - 3 * Self.day))], ofItemAtPath: path)
        CachePruning.noteUse(of: path, now: real)
        #expect(try age() < 60)
    }

    /// A run that saves its cache prunes the directory it saved to.
    @Test func savingPrunes() throws {
        let dir = TemporaryDirectory()
        let stale = dir.path + "/bbbbbbbbbbbbbbbb.cache"
        dir.write("bbbbbbbbbbbbbbbb.cache", "old")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Date().timeIntervalSince1970 - 10 * 86400)], ofItemAtPath: stale)
        let cache = try #require(LintCache.open(directory: dir.path, key: 42))
        cache.record(CacheEntry(location: dir.path + "/a.md", stamp: FileStamp(size: 1, mtimeSeconds: 1, mtimeNanoseconds: 0, inode: 1), settled: false,
                                contentHash: 1, byteCount: 1, diagnostics: [], facts: []))
        try cache.save()
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: cache.file))
    }
}
