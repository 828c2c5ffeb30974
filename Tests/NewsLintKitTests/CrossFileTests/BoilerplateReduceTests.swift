import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// boilerplate-repeated's reduce bounds every group's line counts in one shared table (salted by
/// the group) and counts only the candidates exactly: what it finds must be exactly a full count's.
@Suite struct BoilerplateReduceTests {
    /// The full count: per group, each hash's number of files, kept when it passes both thresholds.
    static func reference(_ facts: [FileFact<BoilerplateRepeatedRule.Fact>], minFiles: Int, minShare: Double) -> [String: [UInt64: Int]] {
        var files: [String: Int] = [:]
        var counts: [String: [UInt64: Int]] = [:]
        for f in facts {
            files[f.fact.group, default: 0] += 1
            for h in Set(f.fact.hashes) { counts[f.fact.group, default: [:]][h, default: 0] += 1 }
        }
        var out: [String: [UInt64: Int]] = [:]
        for (group, lines) in counts {
            let total = files[group] ?? 0
            for (h, n) in lines where n >= minFiles && Double(n) / Double(total) >= minShare { out[group, default: [:]][h] = n }
        }
        return out
    }

    @Test func sharedBoundsFindExactlyTheFullCount() throws {
        let rule = try BoilerplateRepeatedRule(options: RuleOptions())
        var rng = SeededRandom(seed: 16)
        var roundsWithFindings = 0
        for round in 0..<40 {
            // Groups of very different sizes; hashes from a small pool (many repeats), some sharing
            // their low word across groups and within one (the rough count's prefix). Each group
            // also has footer lines found in a share of its files around the thresholds (5 files,
            // a tenth of the group), so the rounds have findings to get exactly right.
            let groupCount = 1 + round % 7
            let footerShares = [0.04, 0.09, 0.11, 0.2, 0.6]
            var facts: [FileFact<BoilerplateRepeatedRule.Fact>] = []
            for i in 0..<Int.random(in: 1...300, using: &rng) {
                let g = Int.random(in: 0..<groupCount, using: &rng) % (1 + i % groupCount)
                var hashes: [UInt64] = []
                for _ in 0..<Int.random(in: 0...6, using: &rng) {
                    let h = UInt64.random(in: 0..<40, using: &rng) << 32 | UInt64.random(in: 0..<5, using: &rng)
                    if !hashes.contains(h) { hashes.append(h) }
                }
                for (k, share) in footerShares.enumerated() where Double.random(in: 0..<1, using: &rng) < share {
                    // Footer hashes share their low word with the pool's and across groups.
                    let h = UInt64(1_000 + 10 * g + k) << 32 | UInt64(k)
                    if !hashes.contains(h) { hashes.append(h) }
                }
                facts.append(FileFact(path: String(format: "g%d/%04d.md", g, i), fact: .init(group: "site:\(g)", hashes: hashes, lines: hashes.indices.map { $0 + 1 })))
            }
            let found = rule.repeatedLines(FactTable(facts)).mapValues { $0.mapValues(\.count) }
            let expected = Self.reference(facts, minFiles: rule.minFiles, minShare: rule.minShare)
            #expect(found == expected, "round \(round)")
            if !expected.isEmpty { roundsWithFindings += 1 }
        }
        // The comparison is only as strong as what there is to find.
        #expect(roundsWithFindings >= 30, "only \(roundsWithFindings) of 40 rounds had lines to find")
    }
}
