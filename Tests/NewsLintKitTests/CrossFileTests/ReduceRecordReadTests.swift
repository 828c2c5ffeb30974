import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Every cross-file reduce reads its facts' records in place (`FactTable.withRecord`); nothing is
/// decoded up front. content-duplicate, body-empty (placeholders), title-boilerplate and
/// slug-duplicate must find exactly what they find over facts held as values (each read through
/// `fact(_:)`, the way the up-front decode handed them out), also when some records do not read,
/// and title-boilerplate exactly what its reduce spelled simply finds (`TitleAffixReduceTests`:
/// each file quoting its own affix, NFC and NFD spellings counted as one).
@Suite struct ReduceRecordReadTests {
    /// Asks of a table: which facts were decoded.
    final class Asked: @unchecked Sendable { var files = Set<Int>() }

    /// A table handing out each fact's record bytes. A `damaged` record is the next file's record
    /// with a trailing byte: its fields read, then it fails, so a reduce that kept what it read
    /// finds something else; it must decode it (the table's fact is the fact itself).
    static func recordTable<F: FactRecord & Sendable>(_ facts: [FileFact<F>], damaged: Set<Int> = [], asked: Asked? = nil) -> FactTable<F> {
        let records: [[UInt8]] = facts.indices.map { i in
            var writer = FactRecordWriter()
            guard damaged.contains(i) else {
                facts[i].fact.write(to: &writer)
                return writer.bytes
            }
            facts[(i + 1) % facts.count].fact.write(to: &writer)
            return writer.bytes + [0]
        }
        return FactTable(count: facts.count, pathsIncrease: true, path: { facts[$0].path },
                         fact: { asked?.files.insert($0); return facts[$0].fact }, record: { i, body in
            do { try records[i].withUnsafeBytes { try body($0) }; return true } catch { return false }
        })
    }

    static func findings<R: CrossFileRule>(_ rule: R, _ table: FactTable<R.Fact>, columns: Bool = true) -> [String] {
        var sink = CrossFileSink(rule: R.id, severity: .warning)
        rule.finish(table, into: &sink)
        return sink.diagnostics.map { columns ? "\($0.path):\($0.line):\($0.column): \($0.message)" : "\($0.path):\($0.line): \($0.message)" }
    }

    /// Findings from records, from values and from records of which about a fifth do not read, all
    /// equal and not empty; `inPlaceOnly`: exactly the facts whose records do not read are decoded.
    static func expectSameFindings<R: CrossFileRule>(_ rule: R, _ facts: [FileFact<R.Fact>], seed: UInt64, inPlaceOnly: Bool) -> [String]
    where R.Fact: FactRecord {
        let expected = findings(rule, FactTable(count: facts.count, pathsIncrease: true, path: { facts[$0].path }, fact: { facts[$0].fact }))
        #expect(!expected.isEmpty, "nothing to find")
        let asked = Asked()
        #expect(findings(rule, recordTable(facts, asked: asked)) == expected, "records")
        if inPlaceOnly { #expect(asked.files.isEmpty, "decoded \(asked.files.count) facts") }
        var rng = SeededRandom(seed: seed &+ 100)
        let damaged = Set(facts.indices.filter { _ in rng.chance(0.2) })
        #expect(!damaged.isEmpty)
        let askedOfDamaged = Asked()
        #expect(findings(rule, recordTable(facts, damaged: damaged, asked: askedOfDamaged)) == expected, "damaged records")
        if inPlaceOnly { #expect(askedOfDamaged.files == damaged) }
        return expected
    }

    static func path(_ i: Int) -> String { String(format: "d/%05d.md", i) }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func contentDuplicate(seed: UInt64) throws {
        let rule = try ContentDuplicateRule(options: RuleOptions(["minLength": JSONNode(.number(1))]))
        var rng = SeededRandom(seed: seed)
        // Hashes from a small pool, lengths that sometimes differ under one hash (not one group).
        let facts = (0..<(20 + rng.below(300))).map { i in
            FileFact(path: Self.path(i), fact: ContentDuplicateRule.Fact(hash: UInt64(rng.below(60)) &* 0x9E37_79B9, length: 100 + rng.below(3), line: 1 + rng.below(40)))
        }
        let expected = Self.expectSameFindings(rule, facts, seed: seed, inPlaceOnly: true)
        // Each finding's line is its own fact's.
        let lines = Dictionary(uniqueKeysWithValues: facts.map { ($0.path, $0.fact.line) })
        for f in expected {
            let parts = f.split(separator: ":")
            #expect(lines[String(parts[0])] == Int(parts[1]))
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func bodyPlaceholder(seed: UInt64) throws {
        let rule = try BodyPlaceholderRule(options: RuleOptions(["placeholderMinFiles": JSONNode(.number(2))]))
        var rng = SeededRandom(seed: seed)
        let facts = (0..<(20 + rng.below(300))).map { i in
            FileFact(path: Self.path(i), fact: BodyPlaceholderRule.Fact(hash: UInt64(rng.below(40)) &* 0x9E37_79B9, title: UInt64(rng.below(3)),
                                                                       line: 1 + rng.below(40), letters: 10 + rng.below(100)))
        }
        _ = Self.expectSameFindings(rule, facts, seed: seed, inPlaceOnly: true)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func slugDuplicate(seed: UInt64) throws {
        let rule = try SlugDuplicateRule(options: RuleOptions())
        var rng = SeededRandom(seed: seed)
        let slugs = ["a", "B", "b", "news-1", "46ea4ddd0123456789abcdef01234567", "46EA4DDD0123456789ABCDEF01234567", "caf\u{E9}"]
        let facts = (0..<(10 + rng.below(100))).map { i in
            FileFact(path: Self.path(i), fact: SlugDuplicateRule.Fact(slug: rng.chance(0.5) ? "unique-\(i)" : rng.pick(slugs), key: rng.pick(["slug", "file"]),
                                                                    line: 1 + rng.below(9), column: 1 + rng.below(9)))
        }
        // A group's members are read whole (`facts[i]`) for their findings: decoded by the table.
        _ = Self.expectSameFindings(rule, facts, seed: seed, inPlaceOnly: false)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func titleRepeatedAffix(seed: UInt64) throws {
        let rule = try TitleRepeatedAffixRule(options: RuleOptions(["minShare": JSONNode(.number(0.05))]))
        var rng = SeededRandom(seed: seed)
        // One site name in NFC and in NFD (one affix as strings, two spellings as bytes).
        let prefixes = ["\u{65B0}\u{805E}\u{FF1A}", "Caf\u{E9} | ", "Cafe\u{301} | ", "\u{65E5}\u{5831} - "]
        let suffixes = [" - Caf\u{E9}", " - Cafe\u{301}", " | \u{660E}\u{5831}", " \u{2014} BBC"]
        let facts = (0..<(20 + rng.below(300))).map { i in
            FileFact(path: Self.path(i), fact: TitleRepeatedAffixRule.Fact(line: 1 + rng.below(9),
                                                                          prefix: rng.chance(0.5) ? rng.pick(prefixes) : (rng.chance(0.2) ? "p\(i): " : nil),
                                                                          suffix: rng.chance(0.6) ? rng.pick(suffixes) : nil))
        }
        let expected = Self.expectSameFindings(rule, facts, seed: seed, inPlaceOnly: true)
        // Read from records, what the reduce spelled simply finds (`TitleAffixReduceTests.reference`).
        #expect(Self.findings(rule, Self.recordTable(facts), columns: false) == TitleAffixReduceTests.reference(rule, facts))
        // Both spellings of the NFD/NFC site name are quoted as they were written.
        #expect(expected.contains { $0.unicodeScalars.contains("\u{301}") } && expected.contains { $0.unicodeScalars.contains("\u{E9}") })
    }
}
