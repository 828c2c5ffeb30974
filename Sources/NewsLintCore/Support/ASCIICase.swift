/// Case-insensitive search on bytes for a lowercase ASCII needle (`</script>`, `-->`, `charset`):
/// only A–Z fold to a–z. Shared by `html-remnant`, `encoding-invalid` and the Markdown raw HTML
/// blocks (their tag names, on a buffer), which had one each
/// (`b | 0x20` on any byte also took a CR for `-`). `body-empty` keeps its own, in its module: on
/// this one its walk measured +3.4 M instructions at agora ×1 (cachegrind, BodyText.init).
package enum ASCIICase {
    /// Whether `lowercase` starts at `i` and ends by `end`, ASCII letters compared without case.
    @inlinable @inline(__always)
    package static func hasPrefix(_ b: [UInt8], at i: Int, _ lowercase: [UInt8], end: Int) -> Bool {
        guard i + lowercase.count <= end else { return false }
        for k in 0..<lowercase.count where b[i + k] | (b[i + k] >= 0x41 && b[i + k] <= 0x5A ? 0x20 : 0) != lowercase[k] { return false }
        return true
    }

    /// `hasPrefix` on a buffer (a walk that holds the document's bytes as one): the same answer.
    @inlinable @inline(__always)
    package static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, at i: Int, _ lowercase: [UInt8], end: Int) -> Bool {
        guard i >= 0, i &+ lowercase.count <= min(end, b.count) else { return false }
        for k in 0..<lowercase.count where b[i &+ k] | (b[i &+ k] >= 0x41 && b[i &+ k] <= 0x5A ? 0x20 : 0) != lowercase[k] { return false }
        return true
    }

    /// The first index in `from..<end` where `lowercase` starts (ASCII letters without case), or nil.
    @inlinable
    package static func firstIndex(of lowercase: [UInt8], in b: [UInt8], from: Int, to end: Int) -> Int? {
        b.withUnsafeBufferPointer { firstIndex(of: lowercase, in: $0, from: from, to: end) }
    }

    /// `firstIndex(of:in:from:to:)` on a buffer (a front-matter value read in place).
    @inlinable
    package static func firstIndex(of lowercase: [UInt8], in b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
        guard let first = lowercase.first else { return nil }
        var i = max(from, 0)
        let end = min(end, b.count)
        while i + lowercase.count <= end {
            if b[i] == first || b[i] | 0x20 == first, hasPrefix(b, at: i, lowercase, end: end) { return i }
            i += 1
        }
        return nil
    }
}
