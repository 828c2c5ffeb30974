import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 43's cross-file reduce and collect paths against the plain forms they replaced.
@Suite struct CrossFileHotPathTests {
    /// `AffixCounts` keys its table by `AffixKey` (the `String`'s hash kept): it counts as a
    /// `[String: Int]` does, an NFC and an NFD spelling of one affix as one.
    @Test func affixCountsCountAsAStringDictionary() {
        let affixes = [" - 新华网", " | 人民网", " | 人民网 ", "Caf\u{E9}：", "Cafe\u{301}：", "\u{E9}", "e\u{301}", "x", "－ 澎湃新闻"]
        var random = SeededRandom(seed: 43)
        let files: [String?] = (0..<400).map { _ in random.below(4) == 0 ? nil : affixes[random.below(affixes.count)] }
        var counts = AffixCounts(files: files.count)
        var plain: [String: Int] = [:]
        for (i, affix) in files.enumerated() {
            guard let affix else { continue }
            counts.add(affix, file: i)
            plain[affix, default: 0] += 1
        }
        #expect(plain.count == affixes.count - 2)
        for (i, affix) in files.enumerated() {
            #expect(counts.count(file: i) == affix.map { plain[$0] ?? 0 })
        }
    }

    /// `lowerBinMinima` rolls four shingles a step and the rest one at a time, in chunks of 4,096
    /// between budget checks: its minima equal every window hashed from scratch, for bodies
    /// around a step of four and a chunk's end.
    @Test func binMinimaFourAShingleStepEqualEachWindowHashedPlainly() throws {
        var random = SeededRandom(seed: 44)
        for k in [1, 2, 5, 32] {
            for length in [k, k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, k + 9, 4094 + k, 4095 + k, 4096 + k, 4097 + k, 4099 + k, 8194 + k] {
                let s = (0..<length).map { _ in UInt32(0x4E00 + random.below(300)) }
                for bins in [8, 144] {
                    var plain = [UInt64](repeating: .max, count: bins)
                    for i in 0..<(length - k + 1) {
                        var h: UInt64 = 0
                        for j in i..<(i + k) { h = h &* ContentNearDuplicateRule.rollingBase &+ UInt64(s[j]) }
                        let x = mix64(h)
                        let b = Int(truncatingIfNeeded: x.multipliedFullWidth(by: UInt64(bins)).high)
                        plain[b] = min(plain[b], x)
                    }
                    #expect(ContentNearDuplicateRule.binMinima(s, size: k, bins: bins, budget: nil) == plain)
                }
            }
        }
    }

    /// Band keys of packed bins (`packedBandKey`: a multiply and a fold) group reps exactly as the
    /// `mix64` keys of the same bins did: the groups and their order follow which keys are equal
    /// (groups in the order their second member comes, members in rep order), and both are one-to-one.
    @Test func packedBandKeysGroupAsMix64KeysDid() {
        var random = SeededRandom(seed: 45)
        for count in [2, 40, 700, 5000] {
            // Few values per bin, so that many reps share a band (and boilerplate's 0x1_0000 in some).
            let packed = (0..<count).map { _ in
                UInt64(random.below(4)) << 34 | UInt64(random.below(3)) << 17 | UInt64(random.below(5) == 0 ? 0x1_0000 : random.below(40))
            }
            let seed = UInt64(7) &* 0x9E37_79B9_7F4A_7C15
            let reps = (0..<count).map { Int32($0) }
            func groups(_ key: (UInt64) -> UInt64) -> [[Int32]] {
                var buckets = BandBuckets()
                let hashes = packed.map { key(seed ^ $0) }
                hashes.withUnsafeBufferPointer { h in reps.withUnsafeBufferPointer { buckets.group(hashes: h, reps: $0) } }
                var found: [[Int32]] = []
                buckets.forEachGroup { found.append(Array($0)) }
                return found
            }
            let plain = groups(mix64)
            #expect(groups(ContentNearDuplicateRule.packedBandKey) == plain)
            if count >= 40 { #expect(!plain.isEmpty) }
        }
    }
}
