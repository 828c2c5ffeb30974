import Foundation
import Testing
@testable import NewsLintCore

/// `ByteWords.firstIndex(of:or:in:from:to:)`, sixteen bytes a step, finds what a byte loop finds:
/// one or two matches at every position of buffers up to 80 bytes long, from every start, with
/// every end, so each lane of both halves of a block, the word steps and the byte tail all answer,
/// and with the two bytes equal, high bytes (compared unsigned) and zero.
@Suite struct ByteWordsWideSearchTests {
    private func reference(_ bytes: [UInt8], _ a: UInt8, _ b: UInt8, _ from: Int, _ to: Int) -> Int {
        (from..<to).first { bytes[$0] == a || bytes[$0] == b } ?? to
    }

    @Test(arguments: [(UInt8(ascii: "#"), UInt8(ascii: ":")), (0x80, 0xFF), (0x00, 0x7F), (UInt8(ascii: "{"), UInt8(ascii: "{"))])
    func everyPosition(_ a: UInt8, _ b: UInt8) {
        for length in [0, 1, 7, 8, 15, 16, 17, 24, 31, 32, 33, 47, 48, 63, 80] {
            // Filler that holds neither byte, with high bytes among it.
            let filler = (0..<length).map { k -> UInt8 in
                let c = UInt8(truncatingIfNeeded: 0x41 &+ k * 37)
                return c == a || c == b ? 0x42 : c
            }
            for hit in -1..<length {
                var bytes = filler
                if hit >= 0 { bytes[hit] = a }
                // A second match later (the first must win), the other byte.
                if hit >= 0, hit + 5 < length { bytes[hit + 5] = b }
                for from in Set([0, 1, 3, 8, 9, 16, 17, max(0, hit - 1), max(0, hit)]) where from <= length {
                    for to in Set([length, max(from, length - 1), max(from, hit + 1), from]) where to <= length {
                        let found = bytes.withUnsafeBytes { ByteWords.firstIndex(of: a, or: b, in: $0, from: from, to: to) }
                        #expect(found == reference(bytes, a, b, from, to), "\(length) hit \(hit) from \(from) to \(to)")
                    }
                }
            }
        }
    }

    @Test func seededRandom() {
        var rng = SeededRandom(seed: 1_616)
        let alphabet: [UInt8] = [0x23, 0x3A, 0x7B, 0x5C, 0x20, 0x61, 0x80, 0xE4, 0xFF, 0x00]
        for _ in 0..<5_000 {
            let bytes = (0..<rng.below(120)).map { _ in rng.pick(alphabet) }
            let from = rng.below(bytes.count + 1)
            let to = from + rng.below(bytes.count - from + 1)
            let (a, b) = (rng.pick(alphabet), rng.pick(alphabet))
            let found = bytes.withUnsafeBytes { ByteWords.firstIndex(of: a, or: b, in: $0, from: from, to: to) }
            #expect(found == reference(bytes, a, b, from, to), "\(bytes) \(a) \(b) \(from) \(to)")
        }
    }
}
