import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NewsLintCore
@testable import NewsLintRules

/// `content-near-duplicate`'s reduce past its signature memory budget: the signatures read back
/// from the temporary file (in blocks and by rep) are the ones appended, the boilerplate minima
/// and excluded bits built from them are the in-memory ones, and the findings are identical.
@Suite struct NearDuplicateSpillTests {
    static let width = 144

    /// `count` signatures with a few popular values in the first 12 bins (boilerplate candidates).
    static func randomSignatures(_ count: Int, seed: UInt64) -> [[UInt16]] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            (0..<width).map { p in UInt16(truncatingIfNeeded: p < 12 && random.below(3) == 0 ? random.below(4) : random.below(65536)) }
        }
    }

    static func store(_ signatures: [[UInt16]], budget: Int, createFile: @escaping () -> (fd: Int32, path: String)? = SpillLog.unlinkedTemporaryFile) -> RepresentativeSignatures {
        let store = RepresentativeSignatures(width: width, memoryBudget: budget, createFile: createFile)
        for s in signatures { store.append(s) }
        store.finishAppending()
        return store
    }

    /// Every signature as `forEachBlock` gives it, checking that blocks follow each other.
    static func readBack(_ store: RepresentativeSignatures) -> [[UInt16]] {
        var out: [[UInt16]] = []
        store.forEachBlock { first, flat in
            #expect(first == out.count)
            for i in 0..<(flat.count / width) { out.append(Array(flat[(i * width)..<((i + 1) * width)])) }
        }
        return out
    }

    @Test func signaturesReadBackFromTheFileInBlocksAndByRep() {
        // 2,000 reps: three read blocks (910 reps each), written in chunks of 300.
        let signatures = Self.randomSignatures(2000, seed: 3)
        let store = Self.store(signatures, budget: 300 * Self.width * 2)
        #expect(!store.isInMemory)
        #expect(store.count == 2000)
        #expect(Self.readBack(store) == signatures)
        var random = SeededRandom(seed: 4)
        for _ in 0..<200 {
            let x = random.below(2000), y = random.below(2000)
            store.withPair(x, y) { a, b in
                #expect(Array(a) == signatures[x])
                #expect(Array(b) == signatures[y])
            }
        }
        #expect(!store.readFailed)
    }

    @Test func signaturesStayInMemoryUnderTheBudgetOrWithoutAFile() {
        let signatures = Self.randomSignatures(50, seed: 5)
        for store in [Self.store(signatures, budget: 1 << 20), Self.store(signatures, budget: 0, createFile: { nil })] {
            #expect(store.isInMemory)
            #expect(Self.readBack(store) == signatures)
            store.withPair(7, 49) { a, b in
                #expect(Array(a) == signatures[7])
                #expect(Array(b) == signatures[49])
            }
        }
    }

    /// Reserved once for the reduce's fact count: room for that many signatures, never more than
    /// memory holds before the file takes them; appended past that, they still go to the file and
    /// read back as appended.
    @Test(arguments: [(50, 1 << 20), (2_000, 300 * 144 * 2), (0, 1 << 20)])
    func aReservedStoreHoldsWhatItHeldGrown(count: Int, budget: Int) {
        let signatures = Self.randomSignatures(count, seed: 11)
        let store = RepresentativeSignatures(width: Self.width, memoryBudget: budget)
        store.reserve(representatives: count)
        let room = min(count, budget / 2 / Self.width + 1)
        #expect(store.memoryCapacity >= room)
        #expect(store.memoryCapacity <= 2 * room + 1)
        for s in signatures { store.append(s) }
        store.finishAppending()
        #expect(store.isInMemory == (count * Self.width * 2 <= budget))
        #expect(Self.readBack(store) == signatures)
    }

    @Test func aTruncatedFileFallsBackToTheFacts() throws {
        let signatures = Self.randomSignatures(1200, seed: 6)
        var kept: Int32 = -1
        let store = Self.store(signatures, budget: 0) {
            guard let file = SpillLog.unlinkedTemporaryFile() else { return nil }
            kept = file.fd
            return file
        }
        try #require(kept >= 0)
        #expect(ftruncate(kept, 100) == 0)
        store.fallback = { signatures[$0] }
        #expect(Self.readBack(store) == signatures)
        store.withPair(1, 1100) { a, b in
            #expect(Array(a) == signatures[1])
            #expect(Array(b) == signatures[1100])
        }
        #expect(store.readFailed)
    }

    @Test func boilerplateMinimaFromBlocksMatchTheInMemoryOnes() {
        for (round, limit) in [0, 1, 20, 100, 5000].enumerated() {
            let signatures = Self.randomSignatures(1500, seed: UInt64(10 + round))
            let flat = signatures.flatMap { $0 }
            let store = Self.store(signatures, budget: 0)
            let inMemory = ContentNearDuplicateRule.CommonMinima(flat: flat, count: 1500, permutations: Self.width, limit: limit)
            let fromBlocks = ContentNearDuplicateRule.CommonMinima(signatures: store, limit: limit)
            #expect(inMemory.isEmpty == fromBlocks.isEmpty)
            #expect(inMemory.isEmpty == (limit == 0 || limit == 5000))
            for p in 0..<Self.width {
                for v in Set(signatures.map { $0[p] }) { #expect(inMemory.contains(p, v) == fromBlocks.contains(p, v)) }
            }
            let excludedInMemory = ContentNearDuplicateRule.ExcludedMinima(flat: flat, count: 1500, permutations: Self.width, common: inMemory)
            let excludedFromBlocks = ContentNearDuplicateRule.ExcludedMinima(signatures: store, common: fromBlocks)
            #expect(excludedInMemory.words == excludedFromBlocks.words)
            #expect((0..<1500).allSatisfy { r in (0..<excludedInMemory.words).allSatisfy { excludedInMemory.word(r, $0) == excludedFromBlocks.word(r, $0) } })
        }
    }

    /// Files whose near-duplicates come from anywhere before them (so clusters span the budget
    /// and the read blocks), exact copies, boilerplate in the first bins, and dates over three days.
    static func nearDuplicateFacts(_ count: Int, seed: UInt64) -> [FileFact<ContentNearDuplicateRule.Fact>] {
        var random = SeededRandom(seed: seed)
        var facts: [FileFact<ContentNearDuplicateRule.Fact>] = []
        for i in 0..<count {
            var fact: ContentNearDuplicateRule.Fact
            let kind = facts.isEmpty ? 9 : random.below(10)
            if kind < 3 {
                // A near-duplicate: a quarter of an earlier file's bins changed.
                fact = facts[random.below(facts.count)].fact
                fact.hash = random.next()
                for p in 0..<Self.width where random.below(4) == 0 { fact.signature[p] = UInt16(truncatingIfNeeded: random.next()) }
            } else if kind == 3 {
                fact = facts[random.below(facts.count)].fact
            } else {
                let signature = (0..<Self.width).map { p in UInt16(truncatingIfNeeded: p < 12 && random.below(2) == 0 ? 7 : random.below(65536)) }
                fact = .init(hash: random.next(), line: 1, signature: signature, minutes: nil)
            }
            fact.line = 1 + random.below(9)
            fact.minutes = random.below(5) == 0 ? nil : Int64(20_000_000 + random.below(3 * 1440))
            facts.append(FileFact(path: String(format: "p/%05d.md", i), fact: fact))
        }
        return facts
    }

    static func findings(_ facts: [FileFact<ContentNearDuplicateRule.Fact>], options: RuleOptions, budget: Int?) throws -> [String] {
        var rule = try ContentNearDuplicateRule(options: options)
        if let budget { rule.signatureMemoryBudget = budget }
        var sink = CrossFileSink(rule: ContentNearDuplicateRule.id, severity: .warning)
        rule.finish(FactTable(facts), into: &sink)
        return sink.diagnostics.map { "\($0.path):\($0.line): \($0.message)" }.sorted()
    }

    @Test(arguments: [0, 20])
    func findingsPastTheBudgetAreTheInMemoryOnes(boilerplateFiles: Int) throws {
        let facts = Self.nearDuplicateFacts(2500, seed: 21)
        let options = RuleOptions(["boilerplateFiles": JSONNode(.number(Double(boilerplateFiles))), "maxDateGapDays": JSONNode(.number(1))])
        let inMemory = try Self.findings(facts, options: options, budget: nil)
        #expect(inMemory.count > 20)
        for budget in [0, 288 * 700, 288 * 2000] {
            #expect(try Self.findings(facts, options: options, budget: budget) == inMemory)
        }
    }

    /// Days kept as `Int32` with the rare day outside it kept exact: dates moved by the same
    /// number of days (beyond `Int32` days, negative, and across its end) keep every gap, so the findings are
    /// the same (a day clamped to `Int32` would make far dates zero days apart).
    @Test(arguments: [Int64(3_000_000_000), -3_000_000_000, 2_147_469_758])
    func farDatesKeepTheirGaps(shiftDays: Int64) throws {
        let facts = Self.nearDuplicateFacts(1200, seed: 33)
        let shifted = facts.map { f in
            var fact = f.fact
            fact.minutes = fact.minutes.map { $0 + shiftDays * 1440 }
            return FileFact(path: f.path, fact: fact)
        }
        let options = RuleOptions(["boilerplateFiles": JSONNode(.number(20)), "maxDateGapDays": JSONNode(.number(1))])
        let near = try Self.findings(facts, options: options, budget: nil)
        #expect(near.count > 10)
        #expect(try Self.findings(shifted, options: options, budget: nil) == near)
    }
}
