import Foundation

/// The strings lately decoded from a compact record stream, handed out again when the same bytes
/// come back. A file's findings repeat a handful of rule ids, messages and fix descriptions:
/// decoding each from its bytes validated UTF-8 and allocated a `String` per field per finding
/// (a third of reading spilled findings back); a match here is a hash of a few words, a length
/// check and a `memcmp`, and the findings then share one storage (so comparing them is a pointer check).
package struct RecentStrings {
    /// Slots of the table (a power of two): a string goes to the slot its bytes hash to,
    /// replacing the one there.
    package static let capacity = 64
    private var slots: [(key: UInt64, string: String)?] = []
    /// Strings known before decoding starts (rule ids), never replaced: a stream that starts
    /// anew per record (a cache entry) finds them without decoding them once per record.
    private let pinned: KnownStrings
    /// Set by a reader that knows the bytes it decodes are valid UTF-8 (`String(knownValidUTF8:)`):
    /// strings are then built without validating them.
    package var bytesAreValidUTF8 = false

    package init(pinned: KnownStrings = KnownStrings()) { self.pinned = pinned }

    /// The string of the UTF-8 `bytes`; nil when they are not valid UTF-8.
    package mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let key = Self.key(bytes)
        // Longer than every pinned string (a message, a path): not looked up there.
        if bytes.count <= pinned.longest, let s = pinned.string(bytes, key: key) { return s }
        let slot = Int(truncatingIfNeeded: key >> 32) & (Self.capacity - 1)
        if slots.isEmpty {
            slots = Array(repeating: nil, count: Self.capacity)
        } else if let entry = slots[slot], entry.key == key, Self.equal(entry.string, bytes) {
            return entry.string
        }
        guard let s = bytesAreValidUTF8 ? String(knownValidUTF8: bytes) : String(exactUTF8: bytes) else { return nil }
        slots[slot] = (key, s)
        return s
    }

    /// Slots of the replacement table (a power of two), and the longest replacement kept in it.
    package static let replacementCapacity = 16
    package static let replacementLimit = 64
    private var replacements: [(key: UInt64, bytes: [UInt8])?] = []

    /// A fix edit's replacement bytes, sharing the storage of one decoded lately when they are
    /// the same. Fixes repeat a few short replacements ("\n" in every line-ending edit, a closing
    /// tag, a full-width bracket): decoding each into an array of its own allocated once per edit
    /// on reading and freed once per edit when the output was done with it.
    package mutating func replacement(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard !bytes.isEmpty, bytes.count <= Self.replacementLimit else { return Array(bytes) }
        let key = Self.key(bytes)
        let slot = Int(truncatingIfNeeded: key >> 32) & (Self.replacementCapacity - 1)
        if replacements.isEmpty {
            replacements = Array(repeating: nil, count: Self.replacementCapacity)
        } else if let entry = replacements[slot], entry.key == key, Self.equal(entry.bytes, bytes) {
            return entry.bytes
        }
        let decoded = Array(bytes)
        replacements[slot] = (key, decoded)
        return decoded
    }

    /// A cheap key of a byte string (its length and first and last 8 bytes): equal bytes have
    /// equal keys, and a key match is confirmed by comparing the bytes.
    @inline(__always)
    package static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = bytes.count
        guard let base = bytes.baseAddress, n > 0 else { return 0 }
        let raw = UnsafeRawPointer(base)
        var head: UInt64 = 0, tail: UInt64 = 0
        if n >= 8 {
            head = raw.loadUnaligned(as: UInt64.self)
            tail = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for i in 0..<n { head |= UInt64(base[i]) << (8 * UInt64(i)) }
        }
        var z = head &* 0x9E37_79B9_7F4A_7C15 ^ (tail &+ UInt64(n)) &* 0xC2B2_AE3D_27D4_EB4F
        z = (z ^ (z >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return z ^ (z >> 32)
    }

    private static func equal(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var s = s
        return s.withUTF8 { equal($0, bytes) }
    }

    private static func equal(_ a: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        a.withUnsafeBufferPointer { equal($0, bytes) }
    }

    private static func equal(_ u: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count == bytes.count else { return false }
        guard let a = u.baseAddress, let b = bytes.baseAddress else { return true }
        return memcmp(a, b, u.count) == 0
    }
}

/// A fixed set of strings (a run's rule ids) found by their UTF-8 bytes through a hash table of
/// their keys (`RecentStrings.key`); lengths and bytes are compared in one buffer, so a lookup
/// touches no `String` (no retain, no release) until it hits.
package struct KnownStrings: Sendable {
    /// One reference (outcomes of cache hits carry it to the spill): the tables are built once per run.
    private let table: Table

    package init(_ strings: [String] = []) { table = strings.isEmpty ? Self.none : Table(strings) }

    /// Shared by every empty set (each outcome has one).
    private static let none = Table([])

    package func string(_ key: UnsafeBufferPointer<UInt8>) -> String? { table.string(key, key: RecentStrings.key(key)) }

    /// `string(_:)` with the bytes' key already computed.
    package func string(_ piece: UnsafeBufferPointer<UInt8>, key: UInt64) -> String? { table.string(piece, key: key) }

    /// The length in UTF-8 bytes of the longest string in the set (0 when empty).
    package var longest: Int { table.longest }

    private final class Table: Sendable {
        let strings: [String]
        let bytes: [UInt8]
        /// Start and end offsets in `bytes` of each string, and its key.
        let starts: [Int]
        let ends: [Int]
        let keys: [UInt64]
        /// Open addressing over `keys`: index + 1 of a string, 0 for an empty slot.
        let slots: [Int32]
        /// The longest string's length: most pieces asked for (messages, paths) are longer, and
        /// are turned away without a probe.
        let longest: Int

        init(_ strings: [String]) {
            var bytes: [UInt8] = [], starts: [Int] = [], ends: [Int] = []
            for s in strings {
                starts.append(bytes.count)
                bytes.append(contentsOf: s.utf8)
                ends.append(bytes.count)
            }
            var keys: [UInt64] = []
            var slots: [Int32] = []
            if !strings.isEmpty {
                var size = 8
                while size < strings.count * 4 { size *= 2 }
                slots = Array(repeating: 0, count: size)
                for i in strings.indices {
                    let key = bytes.withUnsafeBufferPointer { RecentStrings.key(UnsafeBufferPointer(rebasing: $0[starts[i]..<ends[i]])) }
                    keys.append(key)
                    var slot = Int(truncatingIfNeeded: key) & (size - 1)
                    while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
                    slots[slot] = Int32(i + 1)
                }
            }
            self.strings = strings
            self.bytes = bytes
            self.starts = starts
            self.ends = ends
            self.keys = keys
            self.slots = slots
            longest = zip(starts, ends).map { $1 - $0 }.max() ?? 0
        }

        func string(_ piece: UnsafeBufferPointer<UInt8>, key: UInt64) -> String? {
            guard !slots.isEmpty else { return nil }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return nil }
                let i = entry - 1
                if keys[i] == key, ends[i] - starts[i] == piece.count {
                    if piece.isEmpty { return strings[i] }
                    let same = bytes.withUnsafeBufferPointer { all in memcmp(all.baseAddress! + starts[i], piece.baseAddress!, piece.count) == 0 }
                    if same { return strings[i] }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
