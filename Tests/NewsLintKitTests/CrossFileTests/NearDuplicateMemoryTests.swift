import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The compact forms content-near-duplicate and the grouping reduces use since session 15 give
/// what the forms they replaced gave: `ChainGroups` without a `Dictionary`, `DisjointSets` with
/// `Int32` parents, and the pair loop's test of whether a dissimilar pair can meet again.
@Suite struct NearDuplicateMemoryTests {
    /// A sequence that does not know its length: the slot table must grow while it is read.
    struct UncountedKeys: Sequence {
        let keys: [Int]
        func makeIterator() -> IndexingIterator<[Int]> { keys.makeIterator() }
        var underestimatedCount: Int { 0 }
    }

    @Test func chainGroupsMatchADictionaryWhenTheTableGrows() {
        var random = SeededRandom(seed: 15)
        let keys = (0..<5000).map { _ in random.below(1800) }
        let groups = ChainGroups(UncountedKeys(keys: keys))
        var expected: [Int: [Int]] = [:]
        for (i, key) in keys.enumerated() { expected[key, default: []].append(i) }
        for (i, key) in keys.enumerated() {
            let members = expected[key] ?? []
            #expect(groups.size(of: i) == members.count)
            #expect(Array(groups.members(of: i)) == members)
        }
    }

    @Test func disjointSetsRootIsTheSmallestMember() {
        var sets = DisjointSets(10)
        sets.union(7, 3)
        sets.union(9, 7)
        sets.union(5, 2)
        var roots: [Int] = []
        for x in 0..<10 { roots.append(sets.find(x)) }
        #expect(roots == [0, 1, 2, 3, 4, 2, 6, 3, 8, 3])
        sets.union(9, 5)
        roots = []
        for x in 0..<10 { roots.append(sets.find(x)) }
        #expect(roots == [0, 1, 2, 2, 4, 2, 6, 2, 8, 2])
    }

    @Test func pairSetContainsOnlyWhatWasInserted() {
        var pairs = PairSet()
        for x in 1...3000 { pairs.insert(UInt64(x) << 32 | UInt64(x + 1)) }
        #expect((1...3000).allSatisfy { pairs.contains(UInt64($0) << 32 | UInt64($0 + 1)) })
        #expect(!pairs.contains(UInt64(1) << 32 | 3))
        let insertedAgain = pairs.insert(UInt64(5) << 32 | 6)
        #expect(!insertedAgain)
    }

    /// Two bands of three rows; rep 0 and 1 differ in band 0 only, rep 0 and 2 in band 1 only.
    @Test func mayShareBandAsksOnlyLaterBands() {
        let signatures: [[UInt16]] = [[1, 2, 3, 4, 5, 6], [9, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 7]]
        let common = ContentNearDuplicateRule.CommonMinima(signatures: signatures, permutations: 6, limit: 0)
        let excluded = ContentNearDuplicateRule.ExcludedMinima(signatures: signatures, common: common)
        func share(after band: Int, _ x: Int, _ y: Int) -> Bool {
            ContentNearDuplicateRule.mayShareBand(after: band, rows: 3, bands: 2, signatures[x][...], signatures[y][...], x, y, excluded: excluded)
        }
        #expect(share(after: 0, 0, 1))
        #expect(!share(after: 0, 0, 2))
        #expect(!share(after: 1, 0, 1))
    }

    /// A band whose rows are boilerplate in one rep and not in the other has different keys;
    /// one that is boilerplate in both has no key at all; boilerplate rows in both count as equal.
    @Test func mayShareBandTreatsBoilerplateAsTheBandKeysDo() {
        // Limit 2: value 7 in bins 3, 4 and 5 (three or more reps) is boilerplate; 8 and 9 (two) are not.
        let signatures: [[UInt16]] = [[1, 1, 1, 7, 7, 7], [2, 2, 2, 7, 7, 7], [3, 3, 3, 7, 7, 7], [4, 4, 4, 7, 8, 9], [5, 5, 5, 7, 8, 9]]
        let common = ContentNearDuplicateRule.CommonMinima(signatures: signatures, permutations: 6, limit: 2)
        let excluded = ContentNearDuplicateRule.ExcludedMinima(signatures: signatures, common: common)
        func share(_ x: Int, _ y: Int) -> Bool {
            ContentNearDuplicateRule.mayShareBand(after: 0, rows: 3, bands: 2, signatures[x][...], signatures[y][...], x, y, excluded: excluded)
        }
        #expect(!share(0, 1), "band 1 is boilerplate only in both: no key")
        #expect(!share(0, 3), "bins 4 and 5 are boilerplate in one rep only")
        #expect(share(3, 4), "bin 3 boilerplate in both, bins 4 and 5 equal")
    }

    /// `FirstSeenKeys` numbers keys as a `[UInt64: Int]` filled in the same order would, when
    /// sized for the keys, and when it must grow past the count it was sized for (a key of 0,
    /// keys with equal low bits: one slot chain).
    @Test(arguments: [5000, 10])
    func firstSeenKeysNumberKeysInTheOrderTheyCame(expected: Int) {
        var random = SeededRandom(seed: 22)
        let keys: [UInt64] = (0..<5000).map { _ in
            let k = UInt64(random.below(1800))
            return k % 7 == 0 ? k << 40 : k
        } + [0, 0]
        var table = FirstSeenKeys(expected: expected)
        var reference: [UInt64: Int] = [:]
        for key in keys {
            let (number, isNew) = table.number(key)
            let known = reference[key]
            if known == nil { reference[key] = reference.count }
            #expect(isNew == (known == nil))
            #expect(number == (known ?? reference.count - 1))
        }
        #expect(table.count == reference.count)
        for (key, number) in reference { #expect(table.keys[number] == key) }
    }

    /// `ChainGroups(restrictedTo:of:)` holds the groups of two or more by position among their
    /// members: the same sizes and the same members, mapped back, in the same order.
    @Test func chainGroupsRestrictedToMembersKeepTheirGroups() {
        var random = SeededRandom(seed: 21)
        let keys = (0..<3000).map { _ in random.below(2500) }
        let groups = ChainGroups(keys)
        let members = keys.indices.filter { groups.size(of: $0) > 1 }.map { Int32($0) }
        let restricted = ChainGroups(restrictedTo: members, of: groups)
        #expect(!members.isEmpty)
        for (p, i) in members.enumerated() {
            #expect(restricted.size(of: p) == groups.size(of: Int(i)))
            #expect(Int(members[restricted.first(of: p)]) == groups.first(of: Int(i)))
            #expect(restricted.members(of: p).map { Int(members[$0]) } == Array(groups.members(of: Int(i))))
        }
    }
}
