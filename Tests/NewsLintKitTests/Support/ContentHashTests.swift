import Foundation
import Testing
@testable import NewsLintCore

/// `ContentHash` decides "the same bytes as last time" for the cache: every length and every
/// one-bit change must give another hash, and its three entry points must agree.
@Suite struct ContentHashTests {
    static func text(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) } }

    @Test func everyLengthHashesApart() {
        var seen = Set<UInt64>()
        for n in 0...300 { seen.insert(ContentHash.hash(Self.text(n))) }
        #expect(seen.count == 301)
        // Trailing zero bytes are not lost (the overlapping last words and the length both see them).
        let zeros = (0...80).map { ContentHash.hash([UInt8](repeating: 0, count: $0)) }
        #expect(Set(zeros).count == zeros.count)
    }

    @Test(arguments: [1, 8, 31, 32, 33, 64, 65, 100, 257])
    func everyBitChangesTheHash(length: Int) {
        let base = Self.text(length)
        let h = ContentHash.hash(base)
        for i in 0..<length {
            for bit in 0..<8 {
                var changed = base
                changed[i] ^= UInt8(1 << bit)
                #expect(ContentHash.hash(changed) != h, "byte \(i) bit \(bit)")
            }
        }
    }

    @Test func entryPointsAgree() {
        let bytes = Array("回歸的伙伴在局限中克制 — 一篇足夠長的正文，超過三十二個位元組。".utf8)
        let whole = ContentHash.hash(bytes)
        #expect(ContentHash.hash(bytes[...]) == whole)
        #expect(bytes.withUnsafeBytes { ContentHash.hash($0) } == whole)
        let slice = bytes[3..<40]
        #expect(ContentHash.hash(slice) == ContentHash.hash(Array(slice)))
    }

    /// A lane's state is lost only where a word equals its key: no UTF-8 text holds either key.
    @Test func keysAreNotUTF8() {
        for key: UInt64 in [0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3] {
            // In memory, little-endian: a lead byte (never a continuation, so a lead wherever the
            // word starts) followed by a byte that cannot continue it.
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: key >> (8 * UInt64($0))) }
            #expect(bytes[0] >= 0xC2 && bytes[0] <= 0xF4)
            #expect(!(0x80...0xBF).contains(bytes[1]))
        }
    }
}
