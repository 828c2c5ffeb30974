import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintCLI

/// A file's findings are kept in one array by the engine's sink (rule after rule, taken once at the
/// end) and put in output order by an insertion sort that compares them in place: the same findings,
/// in the same order, as one array per rule appended to the file's list and the library's stable sort.
@Suite struct FileFindingsInOneArrayTests {
    /// Findings with few distinct keys, so that many compare equal in output order while differing
    /// in what the order does not look at (end position, fix): a sort that swapped equal ones shows.
    private static func findings(_ rng: inout SeededRandom, count: Int) -> [Diagnostic] {
        let paths = ["a.md", "b.md", "a.md", "dir/a.md", "中文.md"]
        let rules = ["alpha", "beta", "gamma"]
        let messages = ["m", "message two", "m", "第三"]
        return (0..<count).map { k in
            let fix: Fix? = rng.chance(0.3) ? Fix(.safe, "fix \(k)", edits: [Edit(range: k..<(k + 1), replacement: [0x61])]) : nil
            return Diagnostic(rule: rng.pick(rules), severity: rng.pick([.info, .warning, .error]), path: rng.pick(paths),
                              line: 1 + rng.below(3), column: 1 + rng.below(3), endLine: k, endColumn: rng.chance(0.5) ? k : nil,
                              message: rng.pick(messages), fix: fix)
        }
    }

    @Test func insertionSortMatchesTheLibrarysStableSort() {
        var rng = SeededRandom(seed: 41)
        var checked = 0
        for round in 0..<3000 {
            // Up to a little past the insertion sort's limit, so both branches are compared.
            let count = round < 2900 ? rng.below(12) : rng.below(Diagnostic.insertionSortLimit + 20)
            let original = Self.findings(&rng, count: count)
            var sorted = original
            Diagnostic.sortInOutputOrder(&sorted)
            let expected = original.enumerated().sorted { a, b in
                // Stable by construction: ties broken by the original position.
                Diagnostic.outputOrder(a.element, b.element) || (!Diagnostic.outputOrder(b.element, a.element) && a.offset < b.offset)
            }.map(\.element)
            #expect(sorted == expected, "round \(round): \(original)")
            if sorted != original { checked += 1 }
        }
        // The lists must not all have been in order already.
        #expect(checked > 1000)
    }

    @Test func isSortedAnswersAsAdjacentComparisons() {
        var rng = SeededRandom(seed: 7)
        var yes = 0
        for _ in 0..<3000 {
            var list = Self.findings(&rng, count: rng.below(6))
            if rng.chance(0.5) { list.sort(by: Diagnostic.outputOrder) }
            let expected = list.indices.dropFirst().allSatisfy { !Diagnostic.outputOrder(list[$0], list[$0 - 1]) }
            #expect(Diagnostic.isSorted(list) == expected, "\(list)")
            if expected { yes += 1 }
        }
        #expect(yes > 1000 && yes < 2900)
    }

    /// The engine's sink: per rule, `diagnostics` is that rule's findings; the limit counts each
    /// rule's own; `takeFindings` hands over every rule's in order, an engine finding where it was added.
    @Test func oneSinkKeepsEachRulesFindingsInOrder() {
        var rng = SeededRandom(seed: 16)
        let document = Document(path: "a.md", text: "one\ntwo two\nthree three three\n")
        let ids = ["r0", "r1", "r2", "r3"]
        for _ in 0..<500 {
            var sink = DiagnosticSink(document: document, ruleIDs: ids, severity: .warning, readsProse: false, environment: .default, deadline: nil)
            var expected: [Diagnostic] = []
            var expectedDropped: [Int] = []
            let limit = 1 + rng.below(4)
            for index in (0..<(1 + rng.below(6))).map({ _ in rng.below(ids.count) }) {
                sink.start(ruleAt: index, severity: .error, readsProse: false, limit: limit)
                #expect(sink.diagnostics.isEmpty)
                let reports = rng.below(7)
                var own: [Diagnostic] = []
                for k in 0..<reports {
                    let line = 1 + rng.below(3)
                    sink.report(line: line, column: k + 1, "finding \(k)")
                    if own.count < limit {
                        own.append(Diagnostic(rule: ids[index], severity: .error, path: "a.md", line: line, column: k + 1, message: "finding \(k)"))
                    }
                }
                #expect(sink.diagnostics == own)
                #expect(sink.dropped == max(0, reports - limit))
                expected += own
                expectedDropped.append(sink.dropped)
                if rng.chance(0.2) {
                    let skipped = Diagnostic(rule: "file-skipped", severity: .warning, path: "a.md", line: 1, column: 1, message: "stopped")
                    sink.appendEngineFinding(skipped)
                    expected.append(skipped)
                }
            }
            #expect(sink.takeFindings() == expected)
            #expect(sink.takeFindings().isEmpty)
        }
    }

    /// Through the linter: a file's findings are those of each rule run alone on it, in rule order,
    /// once suppression comments are applied (and sorted as the delivery sorts them).
    @Test func linterFindingsAreEachRulesInRuleOrder() throws {
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/tmp"), settings: LintSettings())
        let rules = try RuleSet.build(catalog: .builtin, config: Configuration(directory: "/tmp"))
        let texts = [
            "# Title  \n\nSome  text\t with trailing space \nhttp://x.example  «quoted»\r\nno newline at end",
            "---\ntitle: x\n---\n<p>a<b>b</p>\n\n\n\nend  \r\n",
            "中文，English, 混合。  \n<!-- newslint-disable trailing-whitespace -->\ntext  \n",
        ]
        for text in texts {
            let document = Document(path: "a.md", text: text)
            var expected: [Diagnostic] = []
            for active in rules.perFile {
                var sink = DiagnosticSink(document: document, rule: active.id, severity: active.severity, readsProse: active.readsProse)
                active.rule.check(document, into: &sink)
                expected += sink.diagnostics
            }
            expected = DiagnosticFilters.apply(expected, document: document, rules: rules)
            let found = linter.check(document, rules: rules)
            #expect(found == expected, "\(text)")
            #expect(!found.isEmpty)
        }
    }
}
