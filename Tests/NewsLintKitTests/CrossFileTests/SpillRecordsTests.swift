import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Fact records read in place (`SpillRecords`, read by `FactTable` directly), checked against
/// the old reading through closures (kept here as the reference), and the shared ends of a
/// group's paths checked against the old byte loop.
@Suite struct SpillRecordsTests {
    /// Seeded records: empty ones, short ones, and a few longer than a block read from disk.
    static func records(seed: UInt64, count: Int) -> [[UInt8]] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { i in
            let length = i % 97 == 5 ? 70_000 + random.below(9_000) : random.chance(0.05) ? 0 : random.below(300)
            return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
    }

    /// Every record reads back byte for byte, in any order, from memory and from the temporary
    /// file across block reads (records longer than a block included); after `removeAll` the
    /// records start again from the first.
    @Test(arguments: [0, 7, 5_000, 1 << 24])
    func recordsReadBackInAnyOrder(budget: Int) {
        let expected = Self.records(seed: UInt64(budget) &+ 3, count: 400)
        let records = SpillRecords(log: SpillLog(budget: budget))
        for (i, r) in expected.enumerated() {
            if i % 3 == 0, let tag = r.first {
                r.withUnsafeBytes { records.append(tag: tag, UnsafeRawBufferPointer(rebasing: $0.dropFirst())) }
            } else {
                r.withUnsafeBytes { records.append($0) }
            }
        }
        #expect(records.count == expected.count)
        #expect(records.log.usedFile == (budget < 1 << 24))
        var random = SeededRandom(seed: 8)
        let orders = [Array(expected.indices), Array(expected.indices.reversed()), expected.indices.map { _ in random.below(expected.count) }]
        for order in orders {
            for i in order {
                let raw = try? records.log.withBytes(records.range(i)) { Array($0) }
                #expect(raw == expected[i], "budget \(budget), record \(i)")
                // In place: the bytes after a matching first byte; false for any other first byte.
                var after: [UInt8]?
                let read = records.withRecord(i, tag: expected[i].first ?? 0) { after = Array($0) }
                #expect(read == !expected[i].isEmpty && after == (expected[i].isEmpty ? nil : Array(expected[i].dropFirst())), "record \(i)")
                if let first = expected[i].first {
                    #expect(!records.withRecord(i, tag: first &+ 1) { _ in Issue.record("read under another tag") })
                }
            }
        }
        records.removeAll()
        #expect(records.count == 0 && records.log.size == 0 && !records.log.usedFile)
        [UInt8]([2, 9, 9]).withUnsafeBytes { records.append($0) }
        var again: [UInt8]?
        #expect(records.withRecord(0, tag: 2) { again = Array($0) } && again == [9, 9])
        // Once a failure is noted nothing reads in place, and the failure outlives `removeAll`
        // (a column's caller asks for it after the reduce).
        records.noteReadFailure("damaged")
        #expect(!records.withRecord(0, tag: 2) { _ in })
        records.removeAll()
        #expect(records.readFailure == "damaged")
    }

#if compiler(>=6.2)
    /// The nested read the rule above forbids traps rather than hand the outer body bytes the inner
    /// read overwrote (run in a child process: an exit test).
    @Test func aNestedReadTraps() async {
        await #expect(processExitsWith: .failure) {
            let log = SpillLog(budget: 1 << 20)
            log.append([1, 2, 3])
            log.append([4, 5])
            _ = try? log.withBytes(0..<3) { _ in try? log.withBytes(3..<5) { $0.count } }
        }
    }
#endif

    /// A body reads its record in place, so reads must not nest (`SpillLog.withBytes` traps on a
    /// nested one); reads one after another, each in its own body, all work: across block reads
    /// from the file (records longer than a block among them), after a body that threw, after a
    /// read that did not match its tag, and through a table's `withRecord` then `recordedFact`.
    @Test(arguments: [0, 1 << 24])
    func readsOneAfterAnotherInSeparateBodies(budget: Int) {
        struct Stop: Error {}
        let expected = Self.records(seed: 77, count: 300)
        let records = SpillRecords(log: SpillLog(budget: budget))
        for r in expected { r.withUnsafeBytes { records.append($0) } }
        var random = SeededRandom(seed: 5)
        for _ in 0..<600 {
            let i = random.below(expected.count), j = random.below(expected.count)
            let first = try? records.log.withBytes(records.range(i)) { Array($0) }
            if random.chance(0.3) {
                #expect(throws: Stop.self) { try records.log.withBytes(records.range(j)) { _ -> Void in throw Stop() } }
            }
            if let tag = expected[j].first {
                #expect(!records.withRecord(j, tag: tag &+ 1) { _ in })
            }
            var second: [UInt8]?
            let read = records.withRecord(j, tag: expected[j].first ?? 0) { second = Array($0) }
            #expect(first == expected[i], "record \(i)")
            #expect(read == !expected[j].isEmpty && second == (expected[j].isEmpty ? nil : Array(expected[j].dropFirst())), "record \(j)")
        }

        let facts = (0..<200).map { ContentDuplicateRule.Fact(hash: UInt64($0) &* 0x9E37_79B9, length: $0, line: $0 % 9) }
        let factRecords = SpillRecords(log: SpillLog(budget: budget))
        for fact in facts {
            var writer = FactRecordWriter()
            writer.byte(FactRecordFormat.recordV1)
            fact.write(to: &writer)
            writer.bytes.withUnsafeBytes { factRecords.append($0) }
        }
        let order = facts.indices.reversed().map { Int32($0) }
        let table = FactTable<ContentDuplicateRule.Fact>(count: facts.count, pathsIncrease: false, path: { "p\($0)" },
                                                         fact: { _ in ContentDuplicateRule.Fact(hash: 0, length: 0, line: 0) },
                                                         records: factRecords, order: order)
        for i in facts.indices {
            var read: ContentDuplicateRule.Fact?
            #expect(table.withRecord(i) { read = try ContentDuplicateRule.Fact(record: &$0) })
            let next = (i + 1) % facts.count
            #expect(read == facts[Int(order[i])] && table.recordedFact(next) == facts[Int(order[next])], "entry \(i)")
        }
    }

    /// The old table's record reading: a closure over the column's reading, itself over the log's
    /// (`TypedFactColumn.withRecord` before records were read in place).
    static func closureTable(_ stored: [[UInt8]], order: [Int]) -> FactTable<ContentDuplicateRule.Fact> {
        FactTable(count: order.count, path: { "p\($0)" }, fact: { _ in ContentDuplicateRule.Fact(hash: 0, length: 0, line: 0) }, record: { i, body in
            let raw = stored[order[i]]
            guard raw.first == FactRecordFormat.recordV1 else { return false }
            do {
                try raw.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[1...])) }
                return true
            } catch {
                return false
            }
        })
    }

    /// Tagged records (well formed, cut short, with bytes left over, of another tag) read through
    /// a table over the records themselves exactly as through the old closures: the same entries
    /// read, the same facts, in entry order and in a path order given as a permutation.
    @Test(arguments: [0, 64, 1 << 20])
    func tableReadsRecordsAsTheClosuresDid(budget: Int) {
        var random = SeededRandom(seed: 31)
        let stored: [[UInt8]] = (0..<600).map { i in
            var writer = FactRecordWriter()
            writer.byte(random.chance(0.9) ? FactRecordFormat.recordV1 : FactRecordFormat.codable)
            ContentDuplicateRule.Fact(hash: random.next(), length: random.below(1 << 20), line: i).write(to: &writer)
            if random.chance(0.05) { writer.bytes.removeLast(1 + random.below(8)) }
            if random.chance(0.05) { writer.byte(0) }
            return writer.bytes
        }
        let records = SpillRecords(log: SpillLog(budget: budget))
        for r in stored { r.withUnsafeBytes { records.append($0) } }
        var permutation = Array(stored.indices)
        permutation.shuffle(using: &random)
        for order in [Array(stored.indices), permutation] {
            let reference = Self.closureTable(stored, order: order)
            let table = FactTable<ContentDuplicateRule.Fact>(count: order.count, pathsIncrease: false, path: { "p\($0)" },
                                                             fact: { _ in ContentDuplicateRule.Fact(hash: 0, length: 0, line: 0) },
                                                             records: records, order: order == Array(stored.indices) ? [] : order.map { Int32($0) })
            var readCount = 0
            for i in order.indices {
                var expected: ContentDuplicateRule.Fact?, found: ContentDuplicateRule.Fact?
                let expectedRead = reference.withRecord(i) { expected = try ContentDuplicateRule.Fact(record: &$0) }
                let read = table.withRecord(i) { found = try ContentDuplicateRule.Fact(record: &$0) }
                #expect(read == expectedRead && found == expected, "budget \(budget), entry \(i)")
                #expect(table.recordedFact(i) == reference.recordedFact(i))
                if read { readCount += 1 }
            }
            #expect(readCount > 400 && readCount < 600)
        }
    }

    /// A column given a cache's bytes (the records as they are) over paths not in order reduces to
    /// exactly what the rule finds over the facts as values.
    @Test(arguments: [0, 1 << 20])
    func cachedRecordsReduceAsValuesDo(budget: Int) throws {
        let rule = try ContentDuplicateRule(options: RuleOptions())
        let box = CrossFileBox(rule: rule)
        var random = SeededRandom(seed: 12)
        let paths = (0..<300).map { "corpus/\(random.below(1_000))-\($0).md" }
        let facts = paths.indices.map { ContentDuplicateRule.Fact(hash: UInt64(random.below(40)), length: 500, line: 1 + $0 % 7) }
        let column = TypedFactColumn(rule: rule, memoryBudget: budget)
        for (i, fact) in facts.enumerated() { column.append(file: i, cachedBytes: try box.encodeCachedFact(fact)[...]) }
        #expect(column.usedFile == (budget == 0))
        let found = column.finish(paths: FactPaths(PathList(paths)), id: ContentDuplicateRule.id, severity: .warning,
                                  environment: LintEnvironment(), into: nil)
        #expect(column.readFailure == nil)
        var sink = CrossFileSink(rule: ContentDuplicateRule.id, severity: .warning)
        rule.finish(zip(paths, facts).map { FileFact(path: $0, fact: $1) }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }, into: &sink)
        #expect(!sink.diagnostics.isEmpty)
        #expect(found == sink.diagnostics)
    }

    /// The old shared ends: a byte a step, the prefix cut back to a scalar boundary before the
    /// suffix is measured beside it.
    static func referenceSharedEnds(_ a: [UInt8], _ b: [UInt8]) -> (prefix: Int, suffix: Int) {
        func continues(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        let limit = min(a.count, b.count)
        var prefix = 0
        while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
        while prefix > 0 && prefix < a.count && continues(a[prefix]) { prefix -= 1 }
        var suffix = 0
        while suffix < limit - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        while suffix > 0 && continues(a[a.count - suffix]) { suffix -= 1 }
        return (prefix, suffix)
    }

    /// Seeded pairs of paths sharing ends of every length (multi-byte scalars at the cuts, one
    /// path inside the other, empty ones): the ends compared eight bytes a step are the old ones.
    @Test func sharedEndsAgreeWithTheByteLoop() {
        var random = SeededRandom(seed: 40)
        // Scalars that share their lead bytes (é è, 新 斤, 🇺 🇸): a shared prefix can end inside one,
        // and the suffix beside it is then measured from the cut.
        let pieces: [[UInt8]] = [[0x61], [0x2F], [0x30], [0x31], Array("é".utf8), Array("è".utf8), Array("新".utf8), Array("斤".utf8),
                                 Array("聞".utf8), Array("🇺".utf8), Array("🇸".utf8), Array("e\u{301}".utf8)]
        func text(_ n: Int) -> [UInt8] { (0..<n).flatMap { _ in random.pick(pieces) } }
        var compared = 0
        for _ in 0..<4_000 {
            let head = text(random.below(30)), tail = text(random.below(30))
            let a = head + text(random.below(4)) + tail
            let b = random.chance(0.1) ? a : (random.chance(0.5) ? head : text(random.below(3))) + text(random.below(4)) + (random.chance(0.8) ? tail : text(2))
            let found = SharedEndsPaths.sharedEnds(a, b), expected = Self.referenceSharedEnds(a, b)
            #expect(found == expected, "\(a) \(b)")
            if found != expected { break }
            compared += 1
        }
        #expect(compared == 4_000)
        #expect(SharedEndsPaths.sharedEnds(Array("éé".utf8), Array("éèé".utf8)) == (2, 2))
        #expect(SharedEndsPaths.sharedEnds([], []) == (0, 0))
        #expect(SharedEndsPaths.sharedEnds(Array("abcdefghij".utf8), Array("abcdefghij".utf8)) == (10, 0))
    }
}
