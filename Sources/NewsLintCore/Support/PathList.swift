import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Many paths in blocks of bytes, front-coded: each path is stored as the length of the prefix it
/// shares with the previous one and the bytes after it. A sorted corpus listing shares its
/// directories and most of its date prefixes, so a path costs its distinct tail (~60 bytes on the
/// agora replicas) instead of a `String` object each (~170 bytes with header and allocator
/// rounding). Every 4th path is stored whole (a restart point), so `self[i]` decodes at most 4:
/// the pass decodes every path once more (each worker its file's), and walking up to 16 entries
/// cost ~860 instructions a path; a restart every 4th stores ~13 bytes a path more.
/// The bytes go into fixed-size blocks, not one array: an array grown by doubling held up to
/// twice the list's bytes (32 MB for 20 MB of paths at 287,520 files) and copied them at each
/// growth; a block is filled and never moved, so at most one block is unused.
/// Past `memoryBudget`, finished blocks go to an unlinked temporary file (`PathBlockFile`) and are
/// read back when a path in them is needed: the list held until a run's end (its reduces name files
/// by number) then does not grow the run's memory with the corpus. Paths are read back in order
/// almost always (the pass, a reduce in path order), so a few blocks kept read cost one `pread` each.
/// Paths read back byte for byte (non-UTF-8 names keep their `SystemPath` form).
public struct PathList: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The entries' bytes, `blockSize` bytes a block (the last one filling); an entry may run on
    /// into the next block. A block moved to `spill` is left empty here.
    private var blocks: [[UInt8]] = []
    /// Where each block is in `spill`'s file (`inMemory` for one in `blocks`).
    private var fileOffsets: [Int] = []
    private static let inMemory = -1
    /// Bytes of finished blocks kept in memory before the next ones go to the temporary file.
    private var memoryBudget = PathList.defaultMemoryBudget
    private var blocksInMemory = 0
    /// The temporary file of blocks past the budget (shared by copies: it is only appended to).
    private var spill: PathBlockFile?
    /// Set when the temporary file could not be created or written: the rest stays in memory.
    private var spillFailed = false
    /// Creates the temporary file: the unlinked one by default; tests hand in a file they can damage.
    private var createSpillFile: @Sendable () -> (fd: Int32, path: String)? = { SpillLog.unlinkedTemporaryFile() }
    /// Bytes stored in all blocks.
    private var size = 0
    /// Byte position of paths 0, 16, 32, …
    private var restarts: [Int] = []
    /// The last path appended (the base of the next one's shared prefix): its first
    /// `previousLength` bytes. Only the bytes after the shared prefix are rewritten, in place: a
    /// `removeAll` and an append of the whole path cost ~185 instructions a path.
    private var previous: [UInt8] = []
    private var previousLength = 0
    private var total = 0
    private static let interval = 4
    /// The most bytes `withUnsafeTemporaryAllocation` keeps on the stack (past it, it calls malloc).
    private static let stackBytes = 1024
    private static let blockSize = 1 << 16
    /// 1 MB: a corpus of ~15,000 files keeps all its paths in memory (no `pread` on its runs).
    public static let defaultMemoryBudget = 1 << 20
    /// Whether every path sorts after the one before it (bytewise), as discovery delivers them.
    public private(set) var isStrictlyIncreasing = true

    public init() {}

    /// A list keeping at most `memoryBudget` bytes of finished blocks in memory (tests, tuning).
    public init(memoryBudget: Int) { self.memoryBudget = Swift.max(0, memoryBudget) }

    /// A list whose temporary file `createSpillFile` makes (tests: a file they can damage).
    package init(memoryBudget: Int, createSpillFile: @escaping @Sendable () -> (fd: Int32, path: String)?) {
        self.memoryBudget = Swift.max(0, memoryBudget)
        self.createSpillFile = createSpillFile
    }

    public init<S: Sequence>(_ paths: S) where S.Element == String {
        for p in paths { append(p) }
    }

    public init(arrayLiteral paths: String...) { self.init(paths) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { total }

    public mutating func append(_ path: String) {
        append(utf8: Array(path.utf8))
    }

    /// Appends the path whose `String` has these UTF-8 bytes (discovery builds plain paths from
    /// a directory's bytes and a name's without a `String` per file). They must be valid UTF-8 (a
    /// `String`'s, or a name validated first): paths held in memory are decoded without a check.
    package mutating func append(utf8: [UInt8]) {
        utf8.withUnsafeBufferPointer { append(utf8Bytes: $0) }
    }

    /// `append(utf8:)` on a buffer. On raw buffers, a word at a time where it can: discovery
    /// appends every path of a run on its serial thread (a byte at a time through the blocks'
    /// arrays it cost ~1,100 instructions a path).
    package mutating func append(utf8Bytes path: UnsafeBufferPointer<UInt8>) {
        let limit = Swift.min(previousLength, path.count)
        let common = previous.withUnsafeBufferPointer { old -> Int in
            guard limit > 0, let p = UnsafeRawPointer(old.baseAddress), let q = UnsafeRawPointer(path.baseAddress) else { return 0 }
            var k = 0
            while k + 8 <= limit && p.loadUnaligned(fromByteOffset: k, as: UInt64.self) == q.loadUnaligned(fromByteOffset: k, as: UInt64.self) { k += 8 }
            while k < limit && old[k] == path[k] { k += 1 }
            return k
        }
        if total > 0, !(common < limit ? previous[common] < path[common] : previousLength < path.count) { isStrictlyIncreasing = false }
        var shared = common
        if total % Self.interval == 0 {
            restarts.append(size)
            shared = 0
        }
        // The two varints (at most 10 bytes each) and the tail in one small buffer, stored at once:
        // a second `store` (an array append into the block) cost ~185 instructions a path.
        let tail = path.count - shared
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20 + tail) { entry in
            let n = Self.writeVarint(tail, into: entry, at: Self.writeVarint(shared, into: entry, at: 0))
            if tail > 0, let to = entry.baseAddress, let from = path.baseAddress {
                (to + n).initialize(from: from + shared, count: tail)
            }
            store(UnsafeBufferPointer(rebasing: entry[..<(n + tail)]))
        }
        if previous.count < path.count { previous.append(contentsOf: repeatElement(0, count: path.count - previous.count)) }
        if path.count > common, let from = path.baseAddress {
            previous.withUnsafeMutableBufferPointer { old in
                if let to = old.baseAddress { (to + common).update(from: from + common, count: path.count - common) }
            }
        }
        previousLength = path.count
        total += 1
    }

    /// Writes `value` as a varint at `position`; the position after it.
    private static func writeVarint(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at position: Int) -> Int {
        var x = UInt(value), at = position
        while x >= 0x80 {
            buffer[at] = UInt8(truncatingIfNeeded: x) | 0x80
            x >>= 7
            at += 1
        }
        buffer[at] = UInt8(x)
        return at + 1
    }

    private mutating func startBlockIfFull() {
        guard blocks.isEmpty || blocks[blocks.count - 1].count == Self.blockSize else { return }
        var block: [UInt8] = []
        if !blocks.isEmpty, blocksInMemory * Self.blockSize >= memoryBudget, let offset = spillFinishedBlock() {
            // The finished block went to the file: its buffer takes the next block's bytes.
            block = blocks[blocks.count - 1]
            blocks[blocks.count - 1] = []
            fileOffsets[fileOffsets.count - 1] = offset
            block.removeAll(keepingCapacity: true)
        } else if !blocks.isEmpty {
            blocksInMemory += 1
        }
        block.reserveCapacity(Self.blockSize)
        blocks.append(block)
        fileOffsets.append(Self.inMemory)
    }

    /// Writes the last (full) block to the temporary file; its offset there, nil when the file
    /// cannot be created or written (the block then stays in memory, as all later ones).
    private mutating func spillFinishedBlock() -> Int? {
        guard !spillFailed else { return nil }
        if spill == nil { spill = createSpillFile().map { PathBlockFile(fd: $0.fd, path: $0.path) } }
        guard let offset = spill?.append(blocks[blocks.count - 1]) else {
            spillFailed = true
            return nil
        }
        return offset
    }

    /// Appends bytes at the end, filling the last block and starting new ones.
    private mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) {
        var rest = bytes
        while !rest.isEmpty {
            startBlockIfFull()
            let last = blocks.count - 1
            let take = Swift.min(rest.count, Self.blockSize - blocks[last].count)
            blocks[last].append(contentsOf: UnsafeBufferPointer(rebasing: rest[..<take]))
            rest = UnsafeBufferPointer(rebasing: rest[take...])
            size += take
        }
    }

    public subscript(i: Int) -> String {
        precondition(i >= 0 && i < total, "PathList index out of range")
        let group = i / Self.interval, steps = i % Self.interval
        let start = restarts[group], end = group + 1 < restarts.count ? restarts[group + 1] : size
        let block = start / Self.blockSize, offset = start % Self.blockSize
        // A group almost always lies in one block; one that runs on into the next is copied whole first.
        if offset + (end - start) <= Self.blockSize {
            // The bytes are the ones a `String` gave: held in memory, or read back from the
            // temporary file and checked against the checksums of what was written (`withBytes`
            // is nil otherwise). No need to validate them again (~330 instructions a path).
            if let path = withBytes(block, offset, end - start, { Self.decode($0, from: 0, steps: steps) }) { return path }
            return lostPath(i)
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(end - start)
        var position = start
        while position < end {
            let b = position / Self.blockSize, o = position % Self.blockSize
            let take = Swift.min(end - position, Self.blockSize - o)
            guard withBytes(b, o, take, { joined.append(contentsOf: $0) }) != nil else { return lostPath(i) }
            position += take
        }
        return joined.withUnsafeBufferPointer { Self.decode($0, from: 0, steps: steps) }
    }

    /// Calls `body` with `count` bytes at `offset` in block `b`, from memory or the temporary file;
    /// nil when the file could not be read back.
    private func withBytes<T>(_ b: Int, _ offset: Int, _ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        let fileOffset = fileOffsets[b]
        if fileOffset == Self.inMemory {
            return blocks[b].withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        }
        return spill?.withBytes(at: fileOffset + offset, count: count, before: fileOffset + Self.blockSize, body)
    }

    /// Why paths could not be read back from the temporary file (nil while every read succeeded):
    /// a run whose paths read as lost names files wrongly and is an I/O failure.
    public var readFailure: String? {
        guard let spill, let failure = spill.readFailure else { return nil }
        return "cannot read back the names of the files from newslint's temporary file \(spill.path) (unlinked): \(failure); "
            + "findings may name files as '<path N lost …>'. Make sure the temporary directory (\(NSTemporaryDirectory()), "
            + "set with TMPDIR) has free space and is not cleaned while newslint runs, then run again"
    }

    /// What a path reads as when its block cannot be read back from the temporary file (a disk
    /// error; the file is unlinked, so nothing else can reach it): a name no file has, which says
    /// what happened, instead of stopping or naming another file. The pass reports such a file as
    /// unreadable (an I/O failure); a reduce's message would show the name as it is.
    @inline(never)
    private func lostPath(_ i: Int) -> String {
        "<path \(i) lost: newslint's temporary file of paths could not be read back: \(spill?.readFailure ?? "unknown error")>"
    }

    /// The path `steps` entries after the restart point at `start` of `stored`.
    private static func decode(_ stored: UnsafeBufferPointer<UInt8>, from start: Int, steps: Int) -> String {
        // One walk from the restart point into a buffer on the stack (an array grown per step cost
        // some 4,500 instructions a path; a first walk for the longest path doubled the varint
        // reads). No path of the group is longer than the group's stored bytes (the first is
        // stored whole, each later one adds its tail to a prefix of the one before): a path longer
        // than the stack buffer is decoded again into a buffer of that size.
        let stackBuffer = Swift.max(1, Swift.min(stored.count - start, Self.stackBytes))
        let short = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackBuffer) { path -> String? in
            let walked = walk(stored, from: start, steps: steps, into: path)
            return walked.fits ? string(UnsafeBufferPointer(rebasing: path[..<walked.count])) : nil
        }
        if let short { return short }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(1, stored.count - start)) { path in
            string(UnsafeBufferPointer(rebasing: path[..<walk(stored, from: start, steps: steps, into: path).count]))
        }
    }

    /// Writes the path `steps` entries after the restart point at `start` into `path`: its length,
    /// and false when it did not fit. Damaged bytes (read back from disk) stop the walk where they
    /// would read past the group.
    private static func walk(_ stored: UnsafeBufferPointer<UInt8>, from start: Int, steps: Int,
                             into path: UnsafeMutableBufferPointer<UInt8>) -> (count: Int, fits: Bool) {
        var position = start, count = 0
        for _ in 0...steps {
            let shared = readVarint(stored, &position), length = readVarint(stored, &position)
            guard length <= stored.count - position else { break }
            count = Swift.min(shared, count)
            guard count + length <= path.count else { return (count, false) }
            _ = UnsafeMutableBufferPointer(rebasing: path[count..<(count + length)])
                .update(fromContentsOf: UnsafeBufferPointer(rebasing: stored[position..<(position + length)]))
            count += length
            position += length
        }
        return (count, true)
    }

    /// The bytes came from a `String`: they are copied unchecked (validating them was ~1
    /// instruction a byte of every path a run decodes). Read back from the temporary file, they
    /// are the bytes written: `PathBlockFile` checks each chunk it reads against its checksum,
    /// and a path in a changed chunk reads as lost.
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Debug builds (the tests) check what release builds trust: a read route that skipped the
        // checksum would otherwise make an invalid `String`.
        assert(String(exactUTF8: bytes) != nil, "a path read back that is not the UTF-8 written")
        return String(knownValidUTF8: bytes) ?? String(repairingUTF8: bytes)
    }

    /// Bytes held in memory (for measurements): the blocks' capacity, restart points and the last path.
    public var byteCount: Int {
        blocks.reduce(0) { $0 + $1.capacity } + (restarts.count + fileOffsets.count) * MemoryLayout<Int>.stride + previousLength
    }

    /// Whether blocks went to the temporary file (tests, measurements).
    public var usedFile: Bool { spill != nil && fileOffsets.contains { $0 != Self.inMemory } }

    private static func readVarint(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Int {
        var value = 0, shift = 0
        while position < bytes.count {
            let b = bytes[position]
            position += 1
            value |= Int(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return value
    }

    public static func == (a: PathList, b: PathList) -> Bool { a.total == b.total && a.elementsEqual(b) }
}

/// A `PathList`'s blocks past its memory budget: an unlinked temporary file (under `TMPDIR`, never in
/// the corpus) appended to, and read back a window at a time. Shared by a list's copies (each keeps
/// its own blocks' offsets, so a copy appending after another only adds blocks) and read from any
/// thread (the pass's workers, the reduce): a lock guards the windows kept read.
///
/// A window is a few kilobytes from the group asked for, not the whole 64 KB block: the pass and a
/// reduce read in order (one `pread` a window), but a reduce's messages name other files in any
/// order (a duplicate group's first file), and reading a whole block for each of those copied
/// 3.5 GB for 54,000 messages on a 40,000-file corpus.
///
/// Each 4 KB chunk's checksum is kept in memory (8 bytes a chunk) and a window is read as whole
/// chunks and checked: a path changed on disk by accident (a flipped bit, a stray write, a zeroed
/// page) reads as lost, so the run reports it and the cache does not seal it, instead of naming a
/// file that does not exist. The checksum is not keyed: the file is unlinked and mode 0600, and a
/// process that can write it can already change the run's memory-mapped and temporary state.
final class PathBlockFile: @unchecked Sendable {
    private let fd: Int32
    /// Where the file was created (it is unlinked at once), for messages.
    let path: String
    /// Guards the fields below. A `Mutex` (it spins a moment before it sleeps), not an `NSLock`:
    /// the pass's two workers take it for every path they decode, for well under a microsecond,
    /// and an `NSLock` put the one that found it held to sleep (a futex wait and wake-up) — a third
    /// of a warm run's sleeps at agora ×10.
    private let lock = Mutex(())
    private var end = 0
    /// Windows read back, by file offset, replaced in turn. Each in an allocation of its own, freed
    /// when replaced and in `deinit`: a window as an array was retained and released on every read
    /// and zero-filled before the read overwrote it.
    private var kept: [(offset: Int, bytes: UnsafeMutableBufferPointer<UInt8>)] = []
    private var nextReplaced = 0
    /// The window the last read was in, tried first: reads come in order almost always (a search
    /// of the windows through a closure was ~170 instructions a path).
    private var lastHit = 0
    private static let keptLimit = 16
    /// The unit of reading back and of checking: windows start and end on chunk boundaries.
    private static let chunkSize = 4096
    /// `PathHash` of every chunk written, by chunk number (offset / `chunkSize`).
    private var chunkChecksums: [UInt64] = []
    /// Why the first failed read failed (nil while every read succeeded).
    private var firstReadFailure: String?
    /// Read under the lock: reduces that run side by side read paths from two threads.
    var readFailure: String? {
        lock.withLock { _ in firstReadFailure }
    }

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }
    deinit {
        close(fd)
        for window in kept { window.bytes.deallocate() }
    }

    /// Appends a block; its offset in the file, nil when it could not be written. Every block
    /// but the last must fill whole chunks (the list's blocks are 64 KB), so each chunk starts at a
    /// multiple of `chunkSize`; a block after a partial chunk is refused (it stays in memory).
    func append(_ block: [UInt8]) -> Int? {
        lock.withLock { _ in appendLocked(block) }
    }

    private func appendLocked(_ block: [UInt8]) -> Int? {
        let offset = end
        guard offset % Self.chunkSize == 0,
              FileDescriptorWriting.writeAll(block, to: fd, at: off_t(offset)) == nil else { return nil }
        block.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[start..<Swift.min(start + Self.chunkSize, bytes.count)])
                chunkChecksums.append(PathHash.hash(chunk))
                start += Self.chunkSize
            }
        }
        end += block.count
        return offset
    }

    /// Calls `body` with the `count` bytes at `offset`, which lie before `limit` (the end of the
    /// block `append` wrote them in; a window read does not run past it); nil when they could not
    /// be read back. `body` runs on a copy, outside the lock: the pass's workers each decode their
    /// file's path, and the lock is held only to find (or read) and copy the bytes.
    func withBytes<T>(at offset: Int, count: Int, before limit: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(1, count)) { copy -> T? in
            let copied = lock.withLock { _ in copyOut(at: offset, count: count, before: limit, into: copy) }
            return copied ? body(UnsafeBufferPointer(rebasing: copy[..<count])) : nil
        }
    }

    /// Copies the `count` bytes at `offset` into `copy`, from a kept window or one read now (under
    /// the lock); false when they could not be read back.
    private func copyOut(at offset: Int, count: Int, before limit: Int, into copy: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        func copyOut(_ window: UnsafeMutableBufferPointer<UInt8>, from: Int) {
            if count > 0 { _ = copy.initialize(fromContentsOf: UnsafeBufferPointer(rebasing: window[from..<(from + count)])) }
        }
        if let k = keptWindow(holding: offset, count: count) {
            copyOut(kept[k].bytes, from: offset - kept[k].offset)
            return true
        }
        // The chunks holding the bytes asked for, at least one whole chunk, not past the block.
        let start = offset - offset % Self.chunkSize
        let wholeChunks = (offset + count - start + Self.chunkSize - 1) / Self.chunkSize * Self.chunkSize
        let length = Swift.min(Swift.max(wholeChunks, Self.chunkSize), Swift.max(limit, offset + count) - start)
        // Not zero-filled: every byte is copied from a kept window or read (or the window is freed).
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: length)
        // A read in order misses where a group runs past the last window: the chunks that window
        // holds (read and checked already) are copied, only the chunks after them read and checked.
        let known = copyKeptChunks(into: bytes, at: start)
        let failure = FileDescriptorReading.readAll(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: bytes[known...])),
                                                    from: fd, at: off_t(start + known)).map { code in
            code == ENODATA ? "the file ends before byte \(start + length) of \(end) written: it was truncated" : FileDescriptorWriting.reason(code)
        } ?? firstChangedChunk(UnsafeBufferPointer(bytes), from: known, at: start).map { changed in
            "bytes \(changed)..<\(Swift.min(changed + Self.chunkSize, end)) differ from what was written: the file was changed on disk"
        }
        if let failure {
            bytes.deallocate()
            if firstReadFailure == nil { firstReadFailure = failure }
            return false
        }
        if kept.count < Self.keptLimit {
            lastHit = kept.count
            kept.append((start, bytes))
        } else {
            kept[nextReplaced].bytes.deallocate()
            kept[nextReplaced] = (start, bytes)
            lastHit = nextReplaced
            nextReplaced = (nextReplaced + 1) % Self.keptLimit
        }
        copyOut(bytes, from: offset - start)
        return true
    }

    /// The kept window holding `count` bytes at `offset` (the last one hit first), now the last hit.
    @inline(__always)
    private func keptWindow(holding offset: Int, count: Int) -> Int? {
        // The test written out twice: as a nested function it was not inlined.
        if lastHit < kept.count, kept[lastHit].offset <= offset, offset + count <= kept[lastHit].offset + kept[lastHit].bytes.count { return lastHit }
        for k in kept.indices where kept[k].offset <= offset && offset + count <= kept[k].offset + kept[k].bytes.count {
            lastHit = k
            return k
        }
        return nil
    }

    /// Copies into the start of `bytes` (to be read at `start`, a chunk boundary) the chunks the
    /// kept window reaching furthest from `start` holds; how many bytes (whole chunks, or up to the
    /// file's end). The furthest, not the first found: every byte copied is one not read again.
    private func copyKeptChunks(into bytes: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        func end(_ k: Int) -> Int { kept[k].offset + kept[k].bytes.count }
        guard let k = kept.indices.filter({ kept[$0].offset <= start && start < end($0) }).max(by: { end($0) < end($1) }) else { return 0 }
        let from = start - kept[k].offset
        let known = Swift.min(kept[k].bytes.count - from, bytes.count)
        _ = UnsafeMutableBufferPointer(rebasing: bytes[..<known]).initialize(fromContentsOf: UnsafeBufferPointer(rebasing: kept[k].bytes[from..<(from + known)]))
        return known
    }

    /// The offset of the first chunk in `bytes[from...]` (`bytes` read at `start`, `from` a chunk
    /// boundary after it) whose checksum is not the one written; nil when all match. A chunk is
    /// checked whole: the last one read may end the file, as it ended when written.
    private func firstChangedChunk(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, at start: Int) -> Int? {
        let read = UnsafeRawBufferPointer(bytes)
        var at = from
        while at < read.count {
            let chunk = (start + at) / Self.chunkSize
            let chunkEnd = Swift.min(at + Self.chunkSize, read.count)
            guard chunk < chunkChecksums.count,
                  PathHash.hash(UnsafeRawBufferPointer(rebasing: read[at..<chunkEnd])) == chunkChecksums[chunk] else { return start + at }
            at = chunkEnd
        }
        return nil
    }
}
