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
}
