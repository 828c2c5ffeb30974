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
    private let pinned: [String]

    package init(pinned: [String] = []) { self.pinned = pinned }

    /// The string of the UTF-8 `bytes`; nil when they are not valid UTF-8.
    package mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        for s in pinned where Self.equal(s, bytes) { return s }
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
