import Foundation

/// The last few strings decoded from a compact record stream, handed out again when the same
/// bytes come back. A file's findings repeat a handful of rule ids, messages and fix
/// descriptions: decoding each from its bytes validated UTF-8 and allocated a `String` per field
/// per finding (a third of reading spilled findings back); a match here is a length check and a
/// `memcmp`, and the findings then share one storage (so comparing them is a pointer check).
package struct RecentStrings {
    /// How many strings are remembered (most recently decoded first to be replaced last).
    package static let capacity = 16
    private var slots: [String] = []
    private var next = 0
    /// Strings known before decoding starts (rule ids), never replaced: a stream that starts
    /// anew per record (a cache entry) finds them without decoding them once per record.
    private let pinned: KnownStrings

    package init(pinned: KnownStrings = KnownStrings()) { self.pinned = pinned }

    /// The string of the UTF-8 `bytes`; nil when they are not valid UTF-8.
    package mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if let s = pinned.string(bytes) { return s }
        for i in slots.indices where Self.equal(slots[i], bytes) { return slots[i] }
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        if slots.count < Self.capacity {
            slots.append(s)
        } else {
            slots[next] = s
            next = (next + 1) % Self.capacity
        }
        return s
    }

    private static func equal(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var s = s
        return s.withUTF8 { u in
            guard u.count == bytes.count else { return false }
            guard let a = u.baseAddress, let b = bytes.baseAddress else { return true }
            return memcmp(a, b, u.count) == 0
        }
    }
}

/// A fixed set of strings (a run's rule ids) found by their UTF-8 bytes: lengths and bytes are
/// compared in one buffer, so a lookup touches no `String` (no retain, no release) until it hits.
package struct KnownStrings: Sendable {
    private var strings: [String] = []
    private var bytes: [UInt8] = []
    /// End offset in `bytes` of each string.
    private var ends: [Int] = []

    package init(_ strings: [String] = []) {
        for s in strings {
            self.strings.append(s)
            bytes.append(contentsOf: s.utf8)
            ends.append(bytes.count)
        }
    }

    package func string(_ key: UnsafeBufferPointer<UInt8>) -> String? {
        guard !ends.isEmpty else { return nil }
        return bytes.withUnsafeBufferPointer { all -> String? in
            var start = 0
            for (i, end) in ends.enumerated() {
                defer { start = end }
                guard end - start == key.count else { continue }
                if key.isEmpty { return strings[i] }
                if let a = all.baseAddress, let b = key.baseAddress, memcmp(a + start, b, key.count) == 0 { return strings[i] }
            }
            return nil
        }
    }
}
