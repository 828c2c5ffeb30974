import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// boilerplate-repeated's reduce reads its facts' records in place (`FactTable.withRecord`), keys
/// groups by number and makes each message once: its findings must be exactly those of the reduce
/// spelled simply over decoded facts (a full count per group name, a message per finding), and the
/// same from facts held as values (merged from JSON), records that do not read included.
@Suite struct BoilerplateRecordReadTests {
    /// The findings spelled simply: each file's units, in file and unit order, whose hash passes
    /// both thresholds in the file's group (groups are `String`s: names equal as strings are one).
    static func referenceFindings(_ facts: [FileFact<BoilerplateRepeatedRule.Fact>], rule: BoilerplateRepeatedRule) -> [String] {
        let repeated = BoilerplateReduceTests.reference(facts, minFiles: rule.minFiles, minShare: rule.minShare)
        var totals: [String: Int] = [:]
        for f in facts { totals[f.fact.group, default: 0] += 1 }
        var out: [String] = []
        for f in facts {
            let columns = f.fact.blockColumns
            for k in 0..<f.fact.count {
                guard let n = repeated[f.fact.group]?[f.fact.hash(at: k)], let total = totals[f.fact.group] else { continue }
                let share = "in \(n) of \(total) files \(BoilerplateRepeatedRule.describe(group: f.fact.group))"
                if let column = columns[k] {
                    out.append("\(f.path):\(f.fact.line(at: k)):\(column): text block repeated \(share) (site residue on a line of several blocks; 'newslint learn' learns whole lines only, so remove it in the scraper)")
                } else {
                    out.append("\(f.path):\(f.fact.line(at: k)):1: line repeated \(share) (site residue; 'newslint learn' turns such lines into a rule pack)")
                }
            }
        }
        return out
    }

    /// Random sites (two names equal as strings but spelled in other bytes: NFC and NFD), lines
    /// from a small pool and footers near the thresholds, some units blocks with columns.
    static func facts(seed: UInt64) -> [FileFact<BoilerplateRepeatedRule.Fact>] {
        var rng = SeededRandom(seed: seed)
        let groups = ["corpus", "host:news.example.com", "source:caf\u{E9}", "source:cafe\u{301}", "categories:rthk", "host:b.example"]
        var out: [FileFact<BoilerplateRepeatedRule.Fact>] = []
        for i in 0..<(20 + rng.below(260)) {
            // Files of a site mostly come together, sometimes not.
            let g = rng.chance(0.8) ? (i / 40) % groups.count : rng.below(groups.count)
            var hashes: [UInt64] = []
            for _ in 0..<rng.below(7) {
                let h = UInt64(rng.below(30)) << 32 | UInt64(rng.below(4))
                if !hashes.contains(h) { hashes.append(h) }
            }
            for (k, share) in [0.05, 0.1, 0.12, 0.3, 0.7].enumerated() where rng.chance(share) {
                let h = UInt64(1_000 + 10 * (g % 3) + k) << 32 | UInt64(k)
                if !hashes.contains(h) { hashes.insert(h, at: rng.below(hashes.count + 1)) }
            }
            var columns: [Int: Int] = [:]
            for k in hashes.indices where rng.chance(0.3) { columns[k] = 1 + rng.below(500) }
            let lines = hashes.indices.map { _ in 1 + rng.below(80) }
            out.append(FileFact(path: String(format: "s/%05d.html", i), fact: .init(group: groups[g], hashes: hashes, lines: lines, columns: columns)))
        }
        return out
    }

    /// A table handing out each fact's record bytes (`damaged`: records changed so they do not
    /// read; the table's decoded fact is then the fact itself, as the engine's would be).
    static func recordTable(_ facts: [FileFact<BoilerplateRepeatedRule.Fact>], damaged: Set<Int> = []) -> FactTable<BoilerplateRepeatedRule.Fact> {
        let records: [[UInt8]] = facts.enumerated().map { i, f in
            var writer = FactRecordWriter()
            f.fact.write(to: &writer)
            guard damaged.contains(i) else { return writer.bytes }
            // A trailing byte, a cut, or a unit's line 0 (its last word zeroed when there is one).
            switch i % 3 {
            case 0: return writer.bytes + [0]
            case 1: return Array(writer.bytes.dropLast())
            default:
                var b = writer.bytes
                let columnsBytes = 1 + 4 * f.fact.columns.count
                if f.fact.count > 0 { for j in (b.count - columnsBytes - 4)..<(b.count - columnsBytes) { b[j] = 0 } } else { b.append(1) }
                return b
            }
        }
        return FactTable(count: facts.count, path: { facts[$0].path }, fact: { facts[$0].fact }, record: { i, body in
            do { try records[i].withUnsafeBytes { try body($0) }; return true } catch { return false }
        })
    }

    /// As UTF-8 bytes: `String`s equal as strings (a group name in NFC and in NFD) compare equal.
    static func findings(_ rule: BoilerplateRepeatedRule, _ table: FactTable<BoilerplateRepeatedRule.Fact>) -> [[UInt8]] {
        var sink = CrossFileSink(rule: BoilerplateRepeatedRule.id, severity: .warning)
        rule.finish(table, into: &sink)
        return sink.diagnostics.map { Array("\($0.path):\($0.line):\($0.column): \($0.message)".utf8) }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func recordsReadInPlaceFindWhatTheSimpleReduceFinds(seed: UInt64) throws {
        let rule = try BoilerplateRepeatedRule(options: RuleOptions())
        let facts = Self.facts(seed: seed)
        let expected = Self.referenceFindings(facts, rule: rule).map { Array($0.utf8) }
        #expect(!expected.isEmpty, "nothing to find")
        #expect(Self.findings(rule, Self.recordTable(facts)) == expected, "records")
        #expect(Self.findings(rule, FactTable(facts)) == expected, "values")
        var rng = SeededRandom(seed: seed &+ 100)
        let damaged = Set(facts.indices.filter { _ in rng.chance(0.2) })
        #expect(Self.findings(rule, Self.recordTable(facts, damaged: damaged)) == expected, "damaged records")
        let counts = rule.repeatedLines(Self.recordTable(facts)).mapValues { $0.mapValues(\.count) }
        #expect(counts == BoilerplateReduceTests.reference(facts, minFiles: rule.minFiles, minShare: rule.minShare))
    }

    /// The comparison above is only as strong as what there is to find: the group spelled in NFD
    /// (described by its own bytes) has findings in most seeds.
    @Test func theNFDGroupHasFindings() throws {
        let rule = try BoilerplateRepeatedRule(options: RuleOptions())
        let seeds = (1...8).filter { seed in
            Self.referenceFindings(Self.facts(seed: UInt64(seed)), rule: rule).contains { $0.unicodeScalars.contains("\u{301}") }
        }
        #expect(seeds.count >= 4, "NFD findings in seeds \(seeds) only")
    }

    /// A record changed in one of the ways `Fact.init(record:)` checks (or at a random byte, which
    /// may leave it valid): a unit's line 0, a column 0, column entries out of order or past the
    /// units, a word too many in either array, a group byte that is not UTF-8.
    static func changedRecord(_ fact: BoilerplateRepeatedRule.Fact, _ rng: inout SeededRandom) -> [UInt8] {
        var f = fact
        var invalidGroupByte = false
        switch rng.below(8) {
        case 0 where f.packed.count >= 3: f.packed[3 * rng.below(f.packed.count / 3) + 2] = 0
        case 1 where f.columns.count >= 2: f.columns[2 * rng.below(f.columns.count / 2) + 1] = 0
        case 2 where f.columns.count >= 4: f.columns.swapAt(0, 2)
        case 3 where f.columns.count >= 2: f.columns[f.columns.count - 2] = UInt32(f.packed.count / 3)
        case 4: f.packed.append(7)
        case 5: f.columns.append(1)
        case 6: invalidGroupByte = true
        default: break
        }
        var writer = FactRecordWriter()
        f.write(to: &writer)
        var b = writer.bytes
        // The group's bytes follow its one-byte length (every group here is shorter than 128 bytes).
        if invalidGroupByte { b[1 + rng.below(f.group.utf8.count)] = 0xFF }
        else if rng.chance(0.3) { b[rng.below(b.count)] = UInt8(rng.below(256)) }
        return b
    }

    /// The reduce reads a record in place exactly when it decodes (`Units.isValid` holds the checks
    /// of `Fact.init(record:)`), and asks the table for the decoded fact only for the others. Groups
    /// here have one spelling each, so no record is declined for its group's spelling.
    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16])
    func recordsReadInPlaceExactlyWhenTheyDecode(seed: UInt64) throws {
        let rule = try BoilerplateRepeatedRule(options: RuleOptions())
        let facts = Self.facts(seed: seed).filter { !$0.fact.group.unicodeScalars.contains("\u{301}") }
        var rng = SeededRandom(seed: seed)
        let records = facts.map { rng.chance(0.5) ? Self.changedRecord($0.fact, &rng) : { var w = FactRecordWriter(); $0.fact.write(to: &w); return w.bytes }($0) }
        final class Asked { var files = Set<Int>() }
        let asked = Asked()
        let table = FactTable(count: facts.count, path: { facts[$0].path }, fact: { asked.files.insert($0); return facts[$0].fact }, record: { i, body in
            do { try records[i].withUnsafeBytes { try body($0) }; return true } catch { return false }
        })
        let undecodable = Set(facts.indices.filter { i in !table.withRecord(i) { _ = try BoilerplateRepeatedRule.Fact(record: &$0) } })
        var sink = CrossFileSink(rule: BoilerplateRepeatedRule.id, severity: .warning)
        rule.finish(table, into: &sink)
        #expect(asked.files == undecodable)
        // Both paths taken: records read in place, and records that only decode as a fact.
        #expect(undecodable.count >= 5 && undecodable.count < facts.count / 2, "\(undecodable.count) of \(facts.count) do not decode")
    }

    /// The damaged records of the test above do not read as records (so it tests the fallback).
    @Test func damagedRecordsDoNotRead() throws {
        let facts = Self.facts(seed: 3)
        let table = Self.recordTable(facts, damaged: Set(facts.indices))
        for i in facts.indices {
            let read = table.withRecord(i) { _ = try BoilerplateRepeatedRule.Fact(record: &$0) }
            #expect(!read, "record \(i)")
        }
    }
}
