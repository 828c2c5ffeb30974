import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Sorted runs of out-of-order diagnostics (the cross-file reduce): whatever the run length and
/// memory budget, the merge gives the same sequence as sorting the whole list.
@Suite struct DiagnosticRunsTests {
    static func scrambled(_ n: Int) -> [Diagnostic] {
        var generator = SystemRandomNumberGenerator()
        return (0..<n).map { i in
            let fix = i % 5 == 0 ? Fix(.safe, "Remove it", edits: [.delete(i..<(i + 2))]) : nil
            return Diagnostic(rule: i % 3 == 0 ? "content-duplicate" : "slug-duplicate", severity: i % 2 == 0 ? .warning : .error,
                              path: "dir/\(Int.random(in: 0..<40, using: &generator))-文件.md", line: Int.random(in: 1..<30, using: &generator),
                              column: 1 + i % 4, message: "body is identical to other/\(i % 7).md (group of \(i % 9 + 2) files)", fix: fix)
        }
    }

    @Test(arguments: [(1, 0), (7, 100), (64, 1 << 12), (10_000, 1 << 20)])
    func mergeEqualsSortingTheWholeList(runLength: Int, memoryBudget: Int) {
        let input = Self.scrambled(2_000)
        let runs = DiagnosticRuns(runLength: runLength, memoryBudget: memoryBudget)
        runs.add(contentsOf: input)
        var merged: [Diagnostic] = []
        #expect(runs.forEach { merged.append($0) })
        #expect(merged == input.sorted(by: Diagnostic.outputOrder))
        #expect(runs.count == input.count)
        #expect(runs.usedFile == (memoryBudget < 1 << 20))
        // Read twice: the runs stay readable.
        #expect(runs.all == merged)
    }

    @Test func filterAppliesToEveryRun() {
        let input = Self.scrambled(500)
        let runs = DiagnosticRuns(runLength: 16, memoryBudget: 256)
        runs.filter = { $0.filter { $0.rule != "slug-duplicate" } }
        runs.add(contentsOf: input)
        #expect(runs.all == input.filter { $0.rule != "slug-duplicate" }.sorted(by: Diagnostic.outputOrder))
    }

    @Test func orderedMergeInterleavesSpillAndRunsByPath() {
        let perFile = Self.scrambled(300).sorted(by: Diagnostic.outputOrder)
        let spill = DiagnosticSpill(threshold: 64)
        var start = 0
        while start < perFile.count {
            var end = start + 1
            while end < perFile.count && perFile[end].path == perFile[start].path { end += 1 }
            spill.append(Array(perFile[start..<end]))
            start = end
        }
        let extras = Self.scrambled(300)
        let runs = DiagnosticRuns(runLength: 10, memoryBudget: 200)
        runs.add(contentsOf: extras)
        var merged: [Diagnostic] = []
        var paths: [String] = []
        #expect(OrderedMerge.run(spill, extras: runs) { group in
            merged += group
            paths.append(group.first?.path ?? "")
        })
        #expect(merged == (perFile + extras).sorted(by: Diagnostic.outputOrder))
        #expect(paths == Array(Set(paths)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}
