import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintReport

/// Aggregation's kinds compared one by one while a file has few (a dictionary past that),
/// against grouping every finding through a dictionary: files with few and many kinds (past the
/// switch to the dictionary), kinds interleaved, messages canonically equal with other bytes (NFC
/// and NFD: one kind, as the dictionary has them), long CJK messages, fixes and none.
@Suite struct AggregationKindTests {
    /// The plain way: every finding's kind looked up in a dictionary.
    static func plainApply(_ ds: [Diagnostic], threshold: Int) -> [Diagnostic] {
        guard threshold > 1, ds.count >= threshold else { return ds }
        var groupOf: [FindingAggregation.Kind: Int] = [:]
        var groups: [[Int]] = []
        for (i, d) in ds.enumerated() {
            let kind = FindingAggregation.Kind(rule: d.rule, message: d.message, applicability: d.fix?.applicability)
            if let g = groupOf[kind] {
                groups[g].append(i)
            } else {
                groupOf[kind] = groups.count
                groups.append([i])
            }
        }
        var merged: [Int: Diagnostic] = [:]
        var absorbed = Set<Int>()
        for members in groups where members.count >= threshold {
            let ordered = members.sorted { (ds[$0].line, ds[$0].column, $0) < (ds[$1].line, ds[$1].column, $1) }
            guard let one = FindingAggregation.merge(ds, members: ordered) else { continue }
            merged[ordered[0]] = one
            for i in ordered.dropFirst() { absorbed.insert(i) }
        }
        return ds.indices.filter { !absorbed.contains($0) }.map { merged[$0] ?? ds[$0] }
    }

    static func sameBytes(_ a: [Diagnostic], _ b: [Diagnostic]) -> Bool {
        a == b && zip(a, b).allSatisfy { $0.message.hasSameBytes(as: $1.message) && $0.rule.hasSameBytes(as: $1.rule) }
    }

    @Test func groupsAsADictionaryDoes() {
        var rng = SeededRandom(seed: 3228)
        let base = ["é", "e\u{301}", "Å", "A\u{30A}", "<br/> 空元素", "长消息" + String(repeating: "内容", count: 200), "x"]
        for round in 0..<120 {
            // Few kinds, or more than the one-by-one limit (distinct messages per index).
            let distinct = rng.pick([1, 3, 8, 31, 32, 33, 80])
            let findings = (0..<rng.pick([10, 40, 200, 600])).map { i -> Diagnostic in
                let k = rng.below(distinct)
                let message = "\(rng.pick(base)) \(k % 5 == 0 ? "é" : "e\u{301}") #\(k)"
                let fix: Fix? = rng.chance(0.3) ? nil
                    : Fix(rng.chance(0.5) ? .safe : .unsafe, "fix", edits: [Edit(range: (i * 4)..<(i * 4 + 2), replacement: [0x20])])
                return Diagnostic(rule: rng.pick(["html-empty-element", "行尾", "r"]), severity: .warning, path: "a.html",
                                  line: 1 + i / 3, column: 1 + i % 3, message: message, fix: fix)
            }
            for threshold in [2, 3, 10] {
                #expect(Self.sameBytes(FindingAggregation.apply(findings, threshold: threshold), Self.plainApply(findings, threshold: threshold)),
                        "round \(round), threshold \(threshold)")
            }
        }
    }
}
