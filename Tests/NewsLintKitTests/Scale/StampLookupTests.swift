import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// A hit answered by its stamp looks its file up by the location's bytes (joined on the stack,
/// never made a `String`): the entry, the stamp and the run's findings must be what the lookup by
/// string gives, and an entry for another location, or one changed in the cache file, must still
/// be refused.
@Suite struct StampLookupTests {
    /// `body` over the UTF-8 bytes of `text`.
    static func bytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var text = text
        return text.withUTF8(body)
    }

    /// An index record for A's hash that leads to B's (validly sealed) entry: both lookups must refuse it.
    /// The index holds hashes without a key: only the location compare in the entry's decode stands
    /// between a hash that collides and another file's findings.
    @Test func indexRecordOfAnotherLocationIsRefusedByBothRoutes() throws {
        let dir = TemporaryDirectory()
        let a = dir.write("新闻/甲.md", "甲\n"), b = dir.write("新闻/乙.md", "乙\n")
        let cacheDir = dir.path + "/cache"
        let writer = try #require(LintCache.open(directory: cacheDir, key: 7, now: Int64(Date().timeIntervalSince1970) + 10))
        // B's entry carrying A's stamp: only the location compare can refuse it.
        writer.record(CacheEntry(location: b, stamp: try #require(FileStamp.of(a)), settled: true, contentHash: 1, byteCount: 4,
                                 diagnostics: [], facts: []))
        try writer.save()
        let file = try #require(LintCache.open(directory: cacheDir, key: 7)).file
        var raw = try #require(FileManager.default.contents(atPath: file).map { [UInt8]($0) })
        let indexOffset = raw.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: raw.count - 24, as: UInt64.self))) }
        let hashA = LintCache.pathHash(a)
        for k in 0..<8 { raw[indexOffset + k] = UInt8(truncatingIfNeeded: hashA >> (8 * UInt64(k))) }
        try Data(raw).write(to: URL(fileURLWithPath: file))
        let cache = try #require(LintCache.open(directory: cacheDir, key: 7))
        #expect(cache.entry(for: a, decodingDiagnostics: false) == nil)
        #expect(Self.bytes(a) { cache.entryForStamp(at: $0, displayPath: "", knownStrings: KnownStrings(), withFacts: false) } == nil)
    }

    /// Locations of files under `dir`: Chinese, long, nested, and a file at the top.
    static func locations(in dir: TemporaryDirectory) -> [String] {
        var paths: [String] = []
        for k in 0..<40 {
            let name = k % 3 == 0 ? "新闻/报道-\(k).md" : k % 3 == 1 ? "a/b/\(String(repeating: "c", count: k * 5))-\(k).html" : "\(k).md"
            paths.append(dir.write(name, "第\(k)篇\n"))
        }
        return paths
    }

    @Test func entryByBytesIsTheEntryByString() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let paths = Self.locations(in: dir)
        // Opened ten seconds on: the entries of the files just written are settled.
        let writer = try #require(LintCache.open(directory: cacheDir, key: 4, now: Int64(Date().timeIntervalSince1970) + 10))
        for (k, path) in paths.enumerated() {
            let stamp = try #require(FileStamp.of(path))
            writer.record(CacheEntry(location: path, stamp: stamp, settled: true, contentHash: UInt64(k), byteCount: k,
                                     diagnostics: WarmDecodeTests.findings(path: "", count: k % 4, fixEdits: { $0 == 1 ? 2 : nil }),
                                     facts: [("content-duplicate", [UInt8(k), 2, 3][...])],
                                     crossFileRegions: k % 2 == 0 ? [Suppressions.Region(directive: 1, names: ["content-duplicate"], except: [], lines: 1...2)] : nil,
                                     regionsKnown: k % 2 == 0))
        }
        try writer.save()
        let cache = try #require(LintCache.open(directory: cacheDir, key: 4))
        for (k, path) in paths.enumerated() {
            for withFacts in [false, true] {
                let byString = try #require(cache.entry(for: path, displayPath: "x", decodingDiagnostics: false, withFacts: withFacts))
                let byBytes = try #require(Self.bytes(path) { cache.entryForStamp(at: $0, displayPath: "x", knownStrings: KnownStrings(), withFacts: withFacts) })
                #expect(byString.location == path && byBytes.location.isEmpty)
                #expect(byBytes.stamp == byString.stamp && byBytes.settled && byBytes.contentHash == UInt64(k) && byBytes.byteCount == k)
                #expect(byBytes.factDigest == byString.factDigest && byBytes.factsInCache == byString.factsInCache)
                #expect(byBytes.facts.map(\.rule) == byString.facts.map(\.rule) && byBytes.facts.map { Array($0.data) } == byString.facts.map { Array($0.data) })
                #expect(byBytes.crossFileRegions?.count == byString.crossFileRegions?.count && byBytes.regionsKnown == byString.regionsKnown)
                let stored = try #require(byBytes.storedDiagnostics), plain = try #require(byString.storedDiagnostics)
                #expect(Array(stored.bytes[stored.range]) == Array(plain.bytes[plain.range]) && stored.count == k % 4)
                #expect(stored.decode(path: "x", knownStrings: KnownStrings()) == WarmDecodeTests.findings(path: "x", count: k % 4, fixEdits: { $0 == 1 ? 2 : nil }))
            }
            // Locations a byte shorter or longer, or one byte changed, have no entry.
            for other in [String(path.dropLast()), path + "x", String(path.dropLast()) + "q"] {
                #expect(Self.bytes(other) { cache.entryForStamp(at: $0, displayPath: "x", knownStrings: KnownStrings(), withFacts: false) } == nil)
            }
        }
    }

    /// The entry's location is compared byte for byte (two locations whose hashes collide must
    /// not share an entry): an entry decoded for a location of the same length that differs in
    /// one byte, anywhere, is refused; for its own location it decodes.
    @Test func entryForAnotherLocationOfTheSameLengthIsRefused() throws {
        let location = "/語料/新闻/报道-2024.md"
        let entry = CacheEntry(location: location, stamp: FileStamp(size: 3, mtimeSeconds: 1, mtimeNanoseconds: 0, inode: 9), settled: true,
                               contentHash: 1, byteCount: 3, diagnostics: [], facts: [])
        var w = ByteWriter()
        entry.encode(into: &w)
        #expect(CacheEntry.decode(w.bytes, range: 0..<w.bytes.count, location: location, decodingDiagnostics: false) != nil)
        let bytes = Array(location.utf8)
        for at in bytes.indices {
            var changed = bytes
            changed[at] = bytes[at] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
            let other = String(decoding: changed, as: UTF8.self)
            guard other.utf8.count == bytes.count else { continue }
            #expect(CacheEntry.decode(w.bytes, range: 0..<w.bytes.count, location: other, decodingDiagnostics: false) == nil, "byte \(at)")
        }
    }

    /// A byte changed in an entry in the cache file: neither lookup answers from it.
    @Test func changedEntryIsRefusedByBothLookups() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let path = dir.write("新闻/a.md", "甲\n")
        let writer = try #require(LintCache.open(directory: cacheDir, key: 4))
        writer.record(CacheEntry(location: path, stamp: try #require(FileStamp.of(path)), settled: true, contentHash: 1, byteCount: 4,
                                 diagnostics: WarmDecodeTests.findings(path: "", count: 2, fixEdits: { _ in nil }), facts: []))
        try writer.save()
        let file = try #require(LintCache.open(directory: cacheDir, key: 4)).file
        var bytes = try #require(FileManager.default.contents(atPath: file).map { [UInt8]($0) })
        // A byte of the first diagnostic's message (after the header, the entry's framing and its location).
        let message = Array("第0行".utf8)
        let at = try #require((0...(bytes.count - message.count)).first { Array(bytes[$0..<($0 + message.count)]) == message })
        bytes[at] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let cache = try #require(LintCache.open(directory: cacheDir, key: 4))
        #expect(cache.entry(for: path, decodingDiagnostics: false) == nil)
        #expect(Self.bytes(path) { cache.entryForStamp(at: $0, displayPath: "", knownStrings: KnownStrings(), withFacts: false) } == nil)
    }

    /// The stamp by bytes is the stamp by path: files in directories (through their descriptor),
    /// a file at the top of the file system's tree, a name that is not UTF-8 (by its `SystemPath`
    /// form, on the plain route), a missing file and a directory (none).
    @Test func stampByBytesIsTheFilesStamp() throws {
        let dir = TemporaryDirectory()
        var locations = Self.locations(in: dir)
        let mapped = dir.path + "/" + SystemPath.decode([0x61, 0xB7, 0x2E, 0x6D, 0x64])
        let fd = SystemPath.open(mapped, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        try #require(fd >= 0)
        close(fd)
        locations += [mapped, dir.path + "/missing.md", dir.path + "/新闻", dir.path + "/新闻/", "/", "/etc/hostname"]
        let stamper = DirectoryStamper()
        for location in locations {
            let byBytes = Self.bytes(location) { stamper.stamp(at: $0) }
            #expect(byBytes == FileStamp.of(location), "\(location)")
            #expect(byBytes == stamper.stamp(location), "\(location)")
        }
        #expect(FileStamp.of(mapped) != nil)
        // Past the directories' limit every file takes the plain route.
        let none = DirectoryStamper(limit: 0)
        for location in locations {
            #expect(Self.bytes(location) { none.stamp(at: $0) } == FileStamp.of(location), "\(location)")
        }
    }

    /// Inputs given as absolute paths (the join leaves them as they are) are answered by their
    /// stamps as relative ones are, with the findings of an uncached run.
    @Test(arguments: [1, 2])
    func absoluteInputsAreAnsweredByTheirStamps(jobs: Int) throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 40)
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = paths.map { LintInput.file(dir.path + "/" + $0) }
        let cacheDir = dir.path + "/.cache"
        let later = Int64(Date().timeIntervalSince1970) + 10
        let cold = try #require(LintCache.open(directory: cacheDir, key: 5, now: later))
        _ = try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: cold).lint(inputs)
        try cold.save()
        let reference = try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: nil).lint(inputs).diagnostics
        #expect(!reference.isEmpty)
        let warm = try #require(LintCache.open(directory: cacheDir, key: 5, now: later))
        #expect(try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: warm).lint(inputs).diagnostics == reference)
        #expect(warm.stampHits == paths.count)
    }
}
