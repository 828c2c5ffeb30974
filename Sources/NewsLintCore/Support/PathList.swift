import Foundation

/// Many paths in one byte buffer, front-coded: each path is stored as the length of the prefix it
/// shares with the previous one and the bytes after it. A sorted corpus listing shares its
/// directories and most of its date prefixes, so a path costs its distinct tail (~60 bytes on the
/// agora replicas) instead of a `String` object each (~170 bytes with header and allocator
/// rounding). Every 16th path is stored whole (a restart point), so `self[i]` decodes at most 16.
/// Paths read back byte for byte (non-UTF-8 names keep their `SystemPath` form).
public struct PathList: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    private var bytes: [UInt8] = []
    /// Byte offset of paths 0, 16, 32, …
    private var restarts: [Int] = []
    /// The last path appended (the base of the next one's shared prefix).
    private var previous: [UInt8] = []
    private var total = 0
    private static let interval = 16
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
            restarts.append(bytes.count)
            shared = 0
        }
        Self.varint(shared, into: &bytes)
        Self.varint(utf8.count - shared, into: &bytes)
        bytes.append(contentsOf: utf8[shared...])
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: utf8)
        total += 1
    }

    public subscript(i: Int) -> String {
        precondition(i >= 0 && i < total, "PathList index out of range")
        let start = restarts[i / Self.interval], steps = i % Self.interval
        return bytes.withUnsafeBufferPointer { stored in
            // Two walks from the restart point: the longest path on the way, then the bytes, in
            // one buffer of that size (an array grown per step cost some 4,500 instructions a path).
            var position = start, count = 0, longest = 0
            for _ in 0...steps {
                let shared = Self.readVarint(stored, &position), length = Self.readVarint(stored, &position)
                count = Swift.min(shared, count) + length
                longest = Swift.max(longest, count)
                position += length
            }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longest) { path in
                position = start
                count = 0
                for _ in 0...steps {
                    let shared = Self.readVarint(stored, &position), length = Self.readVarint(stored, &position)
                    count = Swift.min(shared, count)
                    _ = UnsafeMutableBufferPointer(rebasing: path[count..<(count + length)])
                        .update(fromContentsOf: UnsafeBufferPointer(rebasing: stored[position..<(position + length)]))
                    count += length
                    position += length
                }
                return String(decoding: UnsafeBufferPointer(rebasing: path[..<count]), as: UTF8.self)
            }
        }
    }

    /// Bytes held (for measurements).
    public var byteCount: Int { bytes.count + restarts.count * MemoryLayout<Int>.stride + previous.count }

    private static func varint(_ value: Int, into out: inout [UInt8]) {
        var x = UInt(value)
        while x >= 0x80 { out.append(UInt8(truncatingIfNeeded: x) | 0x80); x >>= 7 }
        out.append(UInt8(x))
    }

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
