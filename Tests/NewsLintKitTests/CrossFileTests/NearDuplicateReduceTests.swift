import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `content-near-duplicate`'s reduce: the band grouping and the boilerplate minima give exactly
/// what the simple forms they replaced gave (a sort by (hash, rep); a count over all 65,536 values).
@Suite struct NearDuplicateReduceTests {
    /// The groups of two or more that the sort found: equal runs of hashes, reps ascending.
    static func groupsBySorting(_ keys: [(UInt64, Int32)]) -> [[Int32]] {
        let sorted = keys.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var out: [[Int32]] = []
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end].0 == sorted[start].0 { end += 1 }
            if end - start > 1 { out.append(sorted[start..<end].map(\.1)) }
            start = end
        }
        return out
    }

    @Test func bandBucketsFindTheGroupsTheSortFound() {
        var random = SeededRandom(seed: 5)
        var buckets = BandBuckets()
        for round in 0..<300 {
            let count = random.below(round % 3 == 0 ? 20 : 2000)
            // Few distinct hashes (big groups), many (mostly singletons), and colliding low bits.
            let distinct = 1 + random.below(max(1, count))
            let pool = (0..<distinct).map { _ in round % 5 == 0 ? random.next() << 20 : random.next() }
            let keys = (0..<count).map { r in (pool[random.below(distinct)], Int32(r)) }
            buckets.group(keys)
            var found: [[Int32]] = []
            buckets.forEachGroup { found.append(Array($0)) }
            let expected = Self.groupsBySorting(keys)
            // Group order may differ; each group's members are in rep order in both.
            #expect(found.allSatisfy { zip($0, $0.dropFirst()).allSatisfy { $0 < $1 } })
            #expect(found.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }

    /// Buckets used band after band, whose slots an earlier band left are told empty by their
    /// stamp rather than zeroed, group exactly as fresh buckets do: the same groups in the same
    /// order. Most rounds keep the table's size (the stamp carries on); a low stamp limit also
    /// takes the zeroing every few rounds.
    @Test func reusedBandBucketsGroupAsFreshOnes() {
        var random = SeededRandom(seed: 29)
        var reused = BandBuckets()
        var restamped = BandBuckets(stampLimit: 4000)
        for round in 0..<200 {
            // 800 to 1,535 keys: one table size (2,048 slots); every seventh round a small table.
            let count = round % 7 == 6 ? random.below(40) : 800 + random.below(736)
            let distinct = 1 + random.below(max(1, count))
            let pool = (0..<distinct).map { _ in round % 5 == 0 ? random.next() << 20 : random.next() }
            let keys = (0..<count).map { r in (pool[random.below(distinct)], Int32(r)) }
            var fresh = BandBuckets()
            fresh.group(keys)
            reused.group(keys)
            restamped.group(keys)
            let expected = fresh.groups
            #expect(reused.groups == expected, "round \(round)")
            #expect(restamped.groups == expected, "round \(round)")
            if distinct < count / 2 { #expect(!expected.isEmpty) }
        }
    }

    /// The count over every value that `CommonMinima` did before it touched only the values present.
    static func commonByFullCount(_ flat: [UInt16], count: Int, permutations: Int, limit: Int) -> Set<Int> {
        var out = Set<Int>()
        guard limit > 0, count > limit else { return out }
        for p in 0..<permutations {
            var counts = [Int](repeating: 0, count: 65536)
            for r in 0..<count { counts[Int(flat[r * permutations + p])] += 1 }
            for v in 0..<65536 where counts[v] > limit { out.insert(p * 65536 + v) }
        }
        return out
    }

    @Test func commonMinimaMatchAFullCount() {
        var random = SeededRandom(seed: 17)
        for round in 0..<40 {
            let permutations = [8, 16, 144][round % 3]
            let count = random.below(400)
            let limit = [0, 1, 3, 20][round % 4]
            // A few popular values per bin, so some pass the limit.
            let flat = (0..<(count * permutations)).map { _ in UInt16(truncatingIfNeeded: random.below(4) == 0 ? random.below(6) : random.below(65536)) }
            let common = ContentNearDuplicateRule.CommonMinima(flat: flat, count: count, permutations: permutations, limit: limit)
            let expected = Self.commonByFullCount(flat, count: count, permutations: permutations, limit: limit)
            #expect(common.isEmpty == expected.isEmpty)
            for p in 0..<permutations {
                for v in Set((0..<count).map { flat[$0 * permutations + p] }) {
                    #expect(common.contains(p, v) == expected.contains(p * 65536 + Int(v)))
                }
            }
        }
    }

    /// The excluded bits counted with the common minima are the bits `ExcludedMinima` reads from
    /// them (over every bin: a counter left behind by one bin would show in the next).
    @Test func excludedBitsCountedWithTheCommonMinimaMatchTheSeparatePass() {
        var random = SeededRandom(seed: 161)
        for round in 0..<60 {
            let permutations = [8, 64, 65, 144][round % 4]
            let count = random.below(300)
            let limit = [0, 1, 3, 20][round % 4 == 0 ? 1 : random.below(4)]
            let flat = (0..<(count * permutations)).map { _ in UInt16(truncatingIfNeeded: random.below(3) == 0 ? random.below(5) : random.below(65536)) }
            let (common, excluded) = ContentNearDuplicateRule.ExcludedMinima.withCommon(flat: flat, count: count, permutations: permutations, limit: limit)
            let separateCommon = ContentNearDuplicateRule.CommonMinima(flat: flat, count: count, permutations: permutations, limit: limit)
            let separate = ContentNearDuplicateRule.ExcludedMinima(flat: flat, count: count, permutations: permutations, common: separateCommon)
            #expect(common.isEmpty == separateCommon.isEmpty)
            #expect(excluded.words == separate.words)
            for p in 0..<permutations {
                for v in Set((0..<count).map { flat[$0 * permutations + p] }) {
                    #expect(common.contains(p, v) == separateCommon.contains(p, v))
                }
            }
            for r in 0..<count {
                for w in 0..<excluded.words { #expect(excluded.word(r, w) == separate.word(r, w), "round \(round), rep \(r)") }
            }
        }
    }

    /// A band's keys as the reduce computed them per rep, from the signatures and excluded bits.
    static func referenceBandKeys(band: Int, rows: Int, flat: [UInt16], count: Int, width: Int, excluded: ContentNearDuplicateRule.ExcludedMinima) -> [(UInt64, Int32)] {
        var keys: [(UInt64, Int32)] = []
        for r in 0..<count {
            var h: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
            var content = false
            var packed: UInt64 = 0
            for j in (band * rows)..<((band + 1) * rows) {
                let value: UInt64
                if excluded.word(r, j >> 6) & (1 << UInt64(j & 63)) != 0 {
                    value = 0x1_0000
                } else {
                    value = UInt64(flat[r * width + j])
                    content = true
                }
                if rows <= 3 { packed = packed << 17 | value } else { h = mix64(h ^ value) }
            }
            if rows <= 3 { h = ContentNearDuplicateRule.packedBandKey(h ^ packed) }
            if content { keys.append((h, Int32(r))) }
        }
        return keys
    }

    /// With the signatures in memory (one block) and spilled to the temporary file in blocks of 37
    /// (the block's first row is then not 0: rows index the block, the excluded bits the corpus).
    @Test(arguments: [1 << 30, 0])
    func bandKeysMatchThePerRepForm(memoryBudget: Int) {
        var random = SeededRandom(seed: 162)
        for (width, bands) in [(144, 48), (144, 36), (16, 16), (130, 10), (64, 64)] {
            let rows = width / bands
            let count = 1 + random.below(400)
            // Popular values, so that some bins are boilerplate and some bands all boilerplate.
            let flat = (0..<(count * width)).map { _ in UInt16(truncatingIfNeeded: random.below(2) == 0 ? random.below(3) : random.below(65536)) }
            let signatures = RepresentativeSignatures(width: width, memoryBudget: memoryBudget == 0 ? width * 2 * 37 : memoryBudget)
            for r in 0..<count { signatures.append(Array(flat[(r * width)..<((r + 1) * width)])) }
            signatures.finishAppending()
            let (_, excluded) = ContentNearDuplicateRule.ExcludedMinima.withCommon(flat: flat, count: count, permutations: width, limit: max(1, count / 4))
            var hashes = [UInt64](repeating: 0, count: count)
            var reps = [Int32](repeating: 0, count: count)
            for band in 0..<bands {
                let n = hashes.withUnsafeMutableBufferPointer { hashes in
                    reps.withUnsafeMutableBufferPointer {
                        ContentNearDuplicateRule.bandKeys(band: band, rows: rows, signatures: signatures, excluded: excluded, into: hashes, reps: $0)
                    }
                }
                let keys = Array(zip(hashes, reps))
                let expected = Self.referenceBandKeys(band: band, rows: rows, flat: flat, count: count, width: width, excluded: excluded)
                #expect(n == expected.count, "width \(width), band \(band)")
                #expect(zip(keys[..<n], expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }, "width \(width), band \(band)")
            }
        }
    }
}

private extension BandBuckets {
    /// Groups `keys` (band hash, rep).
    mutating func group(_ keys: [(UInt64, Int32)]) {
        let hashes = keys.map(\.0), reps = keys.map(\.1)
        hashes.withUnsafeBufferPointer { hashes in reps.withUnsafeBufferPointer { group(hashes: hashes, reps: $0) } }
    }

    /// The groups of the last `group`, in their order.
    var groups: [[Int32]] {
        var found: [[Int32]] = []
        forEachGroup { found.append(Array($0)) }
        return found
    }
}
