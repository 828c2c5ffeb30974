import Foundation
import Testing
@testable import NewsLintCore

/// `PathList` stores paths front-coded in groups of 16 and decodes one in a buffer on the stack,
/// or, for a path longer than that buffer, in one sized by its group: both must read back
/// every path byte for byte.
@Suite struct PathListTests {
    @Test func pathsOfEveryLengthReadBackAsAppended() {
        var paths: [String] = []
        for k in 0..<200 {
            // Short and long (past the 1 KB stack buffer, and whole groups past it), sharing prefixes.
            let length = [5, 60, 900, 1_100, 3_000][k % 5]
            let stem = String(repeating: k % 3 == 0 ? "新" : "d", count: length / 3)
            paths.append("root/\(stem)/\(k)-\(String(repeating: "x", count: k % 7)).md")
        }
        paths.sort { $0.bytesPrecede($1) }
        for budget in [PathList.defaultMemoryBudget, 0] {
            var list = PathList(memoryBudget: budget)
            for p in paths { list.append(utf8: Array(p.utf8)) }
            #expect(list.count == paths.count)
            #expect(list.isStrictlyIncreasing)
            for (i, p) in paths.enumerated() { #expect(list[i].hasSameBytes(as: p), "path \(i)") }
        }
    }

    @Test func orderIsTrackedAsPathsAreAppended() {
        var list = PathList()
        for p in ["a/b", "a/b/c", "a/bb", "a/c"] { list.append(p) }
        #expect(list.isStrictlyIncreasing)
        list.append("a/bb")
        #expect(!list.isStrictlyIncreasing)
        #expect(Array(list) == ["a/b", "a/b/c", "a/bb", "a/c", "a/bb"])
    }

    /// Each path rewrites only its bytes past the prefix it shares with the one before, over that
    /// one's (which may be longer): random paths, longer and shorter than the one before, in and
    /// out of order, read back as appended and track the order as a plain comparison does.
    @Test func pathsShorterAndLongerThanTheOneBeforeReadBackAsAppended() {
        var random = SeededRandom(seed: 5)
        func next() -> Int { Int(random.next() >> 33) }
        let alphabet = ["a", "b", "/", "-", "新", "聞"]
        for round in 0..<300 {
            var list = PathList(memoryBudget: round % 2 == 0 ? PathList.defaultMemoryBudget : 0)
            var pieceLists: [[String]] = []
            var paths: [String] = []
            var increasing = true
            for _ in 0..<(1 + next() % 40) {
                var pieces = pieceLists.last.map { Array($0.prefix(next() % ($0.count + 1))) } ?? []
                for _ in 0..<(next() % 12) { pieces.append(alphabet[next() % alphabet.count]) }
                if pieces.isEmpty { pieces = ["x"] }
                pieceLists.append(pieces)
                let path = pieces.joined()
                if let last = paths.last, !last.utf8.lexicographicallyPrecedes(path.utf8) { increasing = false }
                paths.append(path)
                list.append(utf8: Array(path.utf8))
            }
            #expect(list.isStrictlyIncreasing == increasing, "round \(round)")
            #expect(list.count == paths.count)
            #expect(zip(list, paths).allSatisfy { $0.hasSameBytes(as: $1) }, "round \(round): \(Array(list)) vs \(paths)")
        }
    }

    /// The pass's workers read a spilled list's paths side by side: each read copies its bytes
    /// out under the file's lock and decodes them outside it. Reads from four threads, in order and
    /// at random (the kept windows replaced under one another), all read back byte for byte.
    @Test func spilledPathsReadFromSeveralThreadsReadBackAsAppended() {
        let paths = (0..<20_000).map { "corpus/" + String(repeating: "新聞", count: $0 % 17) + "/\($0).md" }
        var list = PathList(memoryBudget: 0)
        for p in paths { list.append(p) }
        #expect(list.usedFile)
        let read = list
        let wrong = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var random = SeededRandom(seed: UInt64(thread + 1))
            for k in 0..<paths.count {
                let i = thread % 2 == 0 ? (k + thread * 977) % paths.count : random.below(paths.count)
                if !read[i].hasSameBytes(as: paths[i]) { wrong.withLock { $0 += 1 } }
            }
        }
        #expect(wrong.withLock { $0 } == 0)
        #expect(read.readFailure == nil)
    }

    /// A list of `paths` whose blocks all went to a file in `dir`, with the byte `offset` bytes
    /// into the first stored `name` then changed to `value` in that file.
    static func spilled(_ paths: [String], in dir: TemporaryDirectory, changing name: String, at offset: Int, to value: UInt8) throws -> PathList {
        let file = dir.path + "/paths"
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        var list = PathList(memoryBudget: 0, createSpillFile: { (fd, file) })
        for p in paths { list.append(p) }
        try #require(list.usedFile)
        var stored = try #require(FileManager.default.contents(atPath: file).map { [UInt8]($0) })
        let name = Array(name.utf8)
        let at = try #require((0...(stored.count - name.count)).first { Array(stored[$0..<($0 + name.count)]) == name })
        stored[at + offset] = value
        try #require(pwrite(fd, stored, stored.count, 0) == stored.count)
        return list
    }

    /// A byte of the temporary file changed after it was written (not truncated: the read
    /// succeeds) must not read back as another file's name: the chunk's checksum fails, the path
    /// reads as lost, and the list says why. Paths in chunks not touched still read back.
    @Test func pathsChangedOnDiskReadAsLost() throws {
        let dir = TemporaryDirectory()
        let paths = (0..<6_000).map { "corpus/" + String(repeating: "新聞", count: $0 % 23) + "-\($0).md" }
        // Path 3000 starts a group, so it is stored whole: change one digit of its name.
        let list = try Self.spilled(paths, in: dir, changing: "-3000.md", at: 2, to: UInt8(ascii: "7"))
        // In order, as a run reads them: a window that misses copies the chunks it already holds
        // and reads (and checks) only the ones after them, where the changed digit is.
        let read = Array(list)
        #expect(read[3_000].hasPrefix("<path 3000 lost"), "read \(read[3_000])")
        #expect(list.readFailure?.contains("differ from what was written") == true)
        #expect(zip(read, paths).allSatisfy { $0 == $1 || $0.hasPrefix("<path ") }, "no path reads as another name")
        #expect(read.filter { $0.hasPrefix("<path ") }.count < 400, "only the changed chunk's paths are lost (about 130 a chunk)")
        #expect(list[0] == paths[0] && list[5_999] == paths[5_999], "chunks not changed read back")
    }

    /// Paths read back from the temporary file are made into strings without validating their
    /// bytes again (they are checked against the chunks' checksums): a byte changed on disk into
    /// one that is not UTF-8 (inside a Chinese name, and a lone continuation byte) must make its
    /// path read as lost, never a string of invalid bytes or another name. Untouched paths,
    /// Chinese and ASCII, read back byte for byte.
    @Test(arguments: [0xFF, 0x80, 0xC3])
    func pathsDamagedIntoInvalidUTF8ReadAsLost(damage: UInt8) throws {
        let dir = TemporaryDirectory()
        let paths = (0..<6_000).map { "語料/" + String(repeating: $0 % 2 == 0 ? "新聞" : "ab", count: $0 % 19) + "-\($0)-文.md" }
        // Path 4000 starts a group (stored whole): its last Chinese character's first byte is damaged.
        let list = try Self.spilled(paths, in: dir, changing: "-4000-文.md", at: 6, to: damage)
        let read = Array(list)
        #expect(read[4_000].hasPrefix("<path 4000 lost"), "read \(read[4_000])")
        for (r, p) in zip(read, paths) where !r.hasPrefix("<path ") {
            #expect(r.utf8.elementsEqual(p.utf8) && r == p && r.unicodeScalars.count == p.unicodeScalars.count)
        }
        #expect(read.filter { $0.hasPrefix("<path ") }.count < 400)
    }

    /// Chunks start at multiples of the chunk size: a block after a partial chunk is refused
    /// (the list then keeps it in memory), not written where its checksums would not line up.
    @Test func blockAfterAPartialChunkIsRefused() throws {
        let dir = TemporaryDirectory(), file = dir.path + "/paths"
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        let blocks = PathBlockFile(fd: fd, path: file)
        let whole = (0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(blocks.append(whole) == 0)
        #expect(blocks.append(Array(whole[..<100])) == 8_192)
        #expect(blocks.append(whole) == nil)
        let read = blocks.withBytes(at: 8_000, count: 192, before: 8_192) { Array($0) }
        #expect(read == Array(whole[8_000...]))
        #expect(blocks.withBytes(at: 8_192, count: 100, before: 8_292) { Array($0) } == Array(whole[..<100]))
        #expect(blocks.readFailure == nil)
    }

    /// A read that misses the kept windows copies the chunks of the window reaching furthest, not
    /// of the first one found, and reads from disk only what follows. The probe: chunks changed on
    /// disk after a window holding them was read and checked; read again, they would fail their
    /// checksum. With the first window (one chunk) the read would go back to disk for them.
    @Test func aMissedReadCopiesFromTheWindowReachingFurthest() throws {
        let dir = TemporaryDirectory(), file = dir.path + "/paths"
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        let blocks = PathBlockFile(fd: fd, path: file) // closes `fd`
        let block = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8) }
        #expect(blocks.append(block) == 0)
        // Kept in this order: chunk 0 alone, then chunks 0–2.
        #expect(blocks.withBytes(at: 0, count: 10, before: 65_536) { Array($0) } == Array(block[..<10]))
        #expect(blocks.withBytes(at: 4_000, count: 5_000, before: 65_536) { Array($0) } == Array(block[4_000..<9_000]))
        // Chunks 1 and 2 (bytes 4096..<12288) changed on disk after they were read and checked.
        let changed = [UInt8](repeating: 0xEE, count: 8_192)
        try #require(pwrite(fd, changed, changed.count, 4_096) == changed.count)
        // Past both windows: chunks 0–2 come from the wider window, only chunk 3 is read.
        let readBack = blocks.withBytes(at: 100, count: 13_000, before: 65_536) { Array($0) } == Array(block[100..<13_100])
        #expect(readBack, "bytes 100..<13100 read back as written")
        #expect(blocks.readFailure == nil)
        // The probe works: a window that must read chunk 1 from disk again sees the change.
        let copy = dup(fd)
        try #require(copy >= 0)
        let fresh = PathBlockFile(fd: copy, path: file) // closes `copy`
        #expect(fresh.append(block) == 0)
        try #require(pwrite(fd, changed, changed.count, 4_096) == changed.count)
        #expect(fresh.withBytes(at: 100, count: 13_000, before: 65_536) { Array($0) } == nil)
        #expect(fresh.readFailure?.contains("differ from what was written") == true)
    }

    /// Windows kept in their own allocations, the last one hit tried first: seeded reads in order,
    /// back and forth and at random over four blocks (more windows than are kept, so windows are
    /// replaced and freed) each give the bytes written, as a search of every window gave them.
    @Test func windowsReadInAnyOrderGiveTheBytesWritten() throws {
        let dir = TemporaryDirectory(), file = dir.path + "/paths"
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        let blocks = PathBlockFile(fd: fd, path: file) // closes `fd`
        let blockSize = 65_536
        // Seeded bytes: a window taken from the wrong block reads other bytes (a pattern repeating
        // every two blocks would not tell them apart).
        var fill = SeededRandom(seed: 139)
        let written = (0..<(4 * blockSize)).map { _ in UInt8(truncatingIfNeeded: fill.next()) }
        for b in 0..<4 { #expect(blocks.append(Array(written[(b * blockSize)..<((b + 1) * blockSize)])) == b * blockSize) }
        var random = SeededRandom(seed: 39)
        var reads: [(offset: Int, count: Int)] = []
        // In order (each read just after the last, some running past its window), then at random.
        var at = 0
        while at + 200 < written.count {
            let count = 1 + random.below(200)
            if (at % blockSize) + count <= blockSize { reads.append((at, count)) }
            at += count
        }
        for _ in 0..<3_000 {
            let block = random.below(4), count = 1 + random.below(9_000)
            reads.append((block * blockSize + random.below(blockSize - count + 1), count))
        }
        var wrong = 0
        for (offset, count) in reads {
            let block = offset / blockSize
            let read = blocks.withBytes(at: offset, count: count, before: (block + 1) * blockSize) { Array($0) }
            if read != Array(written[offset..<(offset + count)]) { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of \(reads.count) reads")
        #expect(blocks.readFailure == nil)
    }
}
