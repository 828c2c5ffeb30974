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

    /// A word equal to a key made a bare fold multiply by zero: the lane lost its state and the word
    /// paired with it (two 64-byte texts with the key at offset 48, differing in bytes 16–31 and
    /// 56–63, hashed alike). With each key, and zero, planted at every word offset of a step and of
    /// the tail, every one-bit change anywhere else still changes the hash.
    @Test(arguments: [20, 40, 64, 100])
    func wordsEqualToAKeyLoseNothing(length: Int) {
        let keys: [UInt64] = [0xA076_1D64_78BD_642F, 0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3, 0x5899_65CC_7537_4CC3,
                              0x1D8E_4E27_C47D_124F, 0]
        let offsets = Set([0, 8, 16, 24, 32, 40, 48, 56, length - 8, length - 16, length - 24, length - 32].filter { $0 >= 0 && $0 + 8 <= length })
        for key in keys {
            for offset in offsets {
                var base = Self.text(length)
                for k in 0..<8 { base[offset + k] = UInt8(truncatingIfNeeded: key >> (8 * UInt64(k))) }
                let h = ContentHash.hash(base)
                for i in 0..<length where !(offset..<(offset + 8)).contains(i) {
                    for bit in [0, 3, 7] {
                        var changed = base
                        changed[i] ^= UInt8(1 << bit)
                        #expect(ContentHash.hash(changed) != h, "key \(String(key, radix: 16)) at \(offset), byte \(i) bit \(bit)")
                    }
                }
            }
        }
    }

    /// The second review's pairs: with a key as the second word of a step, a change in a word was
    /// given back as it was and cancelled by the same change one step later; and the two lanes met
    /// in the last step as one xor. Any two flips of one bit, anywhere, with keys planted.
    @Test(arguments: [32, 64, 100])
    func twoFlipsOfOneBitNeverCancel(length: Int) {
        let keys: [UInt64] = [0x5899_65CC_7537_4CC3, 0x1D8E_4E27_C47D_124F, 0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3, 0]
        for key in keys {
            for plant in [[8], [24], [8, 24], [length - 24], [length - 8]] {
                var base = Self.text(length)
                for offset in plant { for k in 0..<8 { base[offset + k] = UInt8(truncatingIfNeeded: key >> (8 * UInt64(k))) } }
                let planted = Set(plant.flatMap { $0..<($0 + 8) })
                let h = ContentHash.hash(base)
                let free = (0..<length).filter { !planted.contains($0) }
                var collisions = 0
                for (n, i) in free.enumerated() {
                    for j in free[(n + 1)...] {
                        for bit in [0, 5] {
                            var changed = base
                            changed[i] ^= UInt8(1 << bit)
                            changed[j] ^= UInt8(1 << bit)
                            if ContentHash.hash(changed) == h { collisions += 1 }
                        }
                    }
                }
                #expect(collisions == 0, "key \(String(key, radix: 16)) at \(plant): \(collisions) collisions")
            }
        }
        // The pairs as the review found them.
        func planted(_ length: Int, _ pairs: [(Int, UInt64)]) -> [UInt8] {
            var b = [UInt8](repeating: 0x61, count: length)
            for (offset, key) in pairs { for k in 0..<8 { b[offset + k] = UInt8(truncatingIfNeeded: key >> (8 * UInt64(k))) } }
            return b
        }
        var a = planted(64, [(8, 0x5899_65CC_7537_4CC3)]), b = a
        b[0] ^= 1
        b[32] ^= 1
        #expect(ContentHash.hash(a) != ContentHash.hash(b))
        a = planted(32, [(8, 0x5899_65CC_7537_4CC3), (24, 0x1D8E_4E27_C47D_124F)])
        b = a
        b[0] ^= 1
        b[16] ^= 1
        #expect(ContentHash.hash(a) != ContentHash.hash(b))
    }

    /// The review's pair, spelled out.
    @Test func theReviewsCollisionIsGone() {
        var a = [UInt8](repeating: 0x41, count: 64), b = a
        for k in 0..<8 {
            let byte = UInt8(truncatingIfNeeded: UInt64(0x8EBC_6AF0_9C88_C6E3) >> (8 * UInt64(k)))
            a[48 + k] = byte
            b[48 + k] = byte
        }
        for i in 16..<32 { b[i] = 0x42 }
        for i in 56..<64 { b[i] = 0x43 }
        #expect(ContentHash.hash(a) != ContentHash.hash(b))
    }
}
