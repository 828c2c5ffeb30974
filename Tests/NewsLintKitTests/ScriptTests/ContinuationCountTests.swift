import Foundation
import Testing
@testable import NewsLintCore

/// `ScalarDecode.nonContinuationCount` sums per-byte lanes in batches of 255 words; this compares it
/// with a byte-by-byte count on any bytes, across batch boundaries (2,040 bytes) and unaligned tails.
@Suite struct ContinuationCountTests {
    @Test func lanesEqualTheByteByByteCount() {
        var rng = SeededRandom(seed: 16_40)
        let lengths = [0, 1, 7, 8, 9, 2_039, 2_040, 2_041, 2_048, 4_087, 4_088, 4_089, 10_000] + (0..<300).map { _ in rng.below(9_000) }
        for (k, length) in lengths.enumerated() {
            // Any bytes, only continuation bytes (every lane at its most), or text.
            let bytes: [UInt8] = (0..<length).map { _ in
                switch k % 3 {
                case 0: return UInt8(truncatingIfNeeded: rng.next())
                case 1: return UInt8(0x80 | rng.below(64))
                default: return rng.pick(Array("香港新聞，abc\n😀é".utf8))
                }
            }
            #expect(ScalarDecode.nonContinuationCount(bytes) == bytes.filter { $0 & 0xC0 != 0x80 }.count, "\(length)")
        }
    }
}
