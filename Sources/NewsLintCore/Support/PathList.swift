import Foundation

/// Many paths in blocks of bytes, front-coded: each path is stored as the length of the prefix it
/// shares with the previous one and the bytes after it. A sorted corpus listing shares its
/// directories and most of its date prefixes, so a path costs its distinct tail (~60 bytes on the
/// agora replicas) instead of a `String` object each (~170 bytes with header and allocator
/// rounding). Every 16th path is stored whole (a restart point), so `self[i]` decodes at most 16.
/// The bytes go into fixed-size blocks, not one array: an array grown by doubling held up to
/// twice the list's bytes (32 MB for 20 MB of paths at 287,520 files) and copied them at each
/// growth; a block is filled and never moved, so at most one block is unused.
/// Paths read back byte for byte (non-UTF-8 names keep their `SystemPath` form).
public struct PathList: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The entries' bytes, `blockSize` bytes a block (the last one filling); an entry may run on
    /// into the next block.
    private var blocks: [[UInt8]] = []
    /// Bytes stored in all blocks.
    private var size = 0
    /// Byte position of paths 0, 16, 32, …
    private var restarts: [Int] = []
    /// The last path appended (the base of the next one's shared prefix).
    private var previous: [UInt8] = []
    private var total = 0
    private static let interval = 16
    private static let blockSize = 1 << 16
    /// Whether every path sorts after the one before it (bytewise), as discovery delivers them.
    public private(set) var isStrictlyIncreasing = true

    public init() {}

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
    /// a directory's bytes and a name's without a `String` per file).
    public mutating func append(utf8: [UInt8]) {
        var common = 0
        let limit = Swift.min(previous.count, utf8.count)
        while common < limit && previous[common] == utf8[common] { common += 1 }
        if total > 0, !(common < limit ? previous[common] < utf8[common] : previous.count < utf8.count) { isStrictlyIncreasing = false }
        var shared = common
        if total % Self.interval == 0 {
            restarts.append(size)
            shared = 0
        }
        storeVarint(shared)
        storeVarint(utf8.count - shared)
        store(utf8[shared...])
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: utf8)
        total += 1
    }

    private mutating func storeVarint(_ value: Int) {
        var x = UInt(value)
        while x >= 0x80 {
            store(UInt8(truncatingIfNeeded: x) | 0x80)
            x >>= 7
        }
        store(UInt8(x))
    }

    private mutating func store(_ byte: UInt8) {
        startBlockIfFull()
        blocks[blocks.count - 1].append(byte)
        size += 1
    }

    private mutating func startBlockIfFull() {
        guard blocks.isEmpty || blocks[blocks.count - 1].count == Self.blockSize else { return }
        var block: [UInt8] = []
        block.reserveCapacity(Self.blockSize)
        blocks.append(block)
    }

    /// Appends bytes at the end, filling the last block and starting new ones.
    private mutating func store(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        while !rest.isEmpty {
            startBlockIfFull()
            let room = Self.blockSize - blocks[blocks.count - 1].count
            let part = rest.prefix(room)
            blocks[blocks.count - 1].append(contentsOf: part)
            rest = rest.dropFirst(part.count)
            size += part.count
        }
    }

    public subscript(i: Int) -> String {
        precondition(i >= 0 && i < total, "PathList index out of range")
        let group = i / Self.interval, steps = i % Self.interval
        let start = restarts[group], end = group + 1 < restarts.count ? restarts[group + 1] : size
        let block = start / Self.blockSize, offset = start % Self.blockSize
        // A group almost always lies in one block; one that runs on into the next is copied whole first.
        if offset + (end - start) <= Self.blockSize {
            return blocks[block].withUnsafeBufferPointer { Self.decode($0, from: offset, steps: steps) }
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(end - start)
        var position = start
        while position < end {
            let b = position / Self.blockSize, o = position % Self.blockSize
            let take = Swift.min(end - position, Self.blockSize - o)
            joined.append(contentsOf: blocks[b][o..<(o + take)])
            position += take
        }
        return joined.withUnsafeBufferPointer { Self.decode($0, from: 0, steps: steps) }
    }

    /// The path `steps` entries after the restart point at `start` of `stored`.
    private static func decode(_ stored: UnsafeBufferPointer<UInt8>, from start: Int, steps: Int) -> String {
        // Two walks from the restart point: the longest path on the way, then the bytes, in
        // one buffer of that size (an array grown per step cost some 4,500 instructions a path).
        var position = start, count = 0, longest = 0
        for _ in 0...steps {
            let shared = readVarint(stored, &position), length = readVarint(stored, &position)
            count = Swift.min(shared, count) + length
            longest = Swift.max(longest, count)
            position += length
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longest) { path in
            position = start
            count = 0
            for _ in 0...steps {
                let shared = readVarint(stored, &position), length = readVarint(stored, &position)
                count = Swift.min(shared, count)
                _ = UnsafeMutableBufferPointer(rebasing: path[count..<(count + length)])
                    .update(fromContentsOf: UnsafeBufferPointer(rebasing: stored[position..<(position + length)]))
                count += length
                position += length
            }
            return String(decoding: UnsafeBufferPointer(rebasing: path[..<count]), as: UTF8.self)
        }
    }

    /// Bytes held (for measurements): the blocks' capacity, restart points and the last path.
    public var byteCount: Int { blocks.count * Self.blockSize + restarts.count * MemoryLayout<Int>.stride + previous.count }

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
