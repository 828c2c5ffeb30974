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

    /// Chunks that arrive in output order (a reduce phase reporting in path order) extend one
    /// run, in memory and across spills, so the merge reads a few runs, not one per chunk; a
    /// chunk that sorts before the run's end starts a new run. The merge is unchanged.
    @Test(arguments: [100, 1 << 12, 1 << 20])
    func chunksInOutputOrderExtendOneRun(memoryBudget: Int) {
        let sorted = Self.scrambled(2_000).sorted(by: Diagnostic.outputOrder)
        let runs = DiagnosticRuns(runLength: 7, memoryBudget: memoryBudget)
        runs.add(contentsOf: sorted)
        runs.seal()
        #expect(runs.runCount == 1)
        // A second pass over the same findings sorts before the first one's end: a second run.
        runs.add(contentsOf: sorted)
        runs.seal()
        #expect(runs.runCount == 2)
        let expected = (sorted + sorted).sorted(by: Diagnostic.outputOrder)
        #expect(runs.all == expected)
        #expect(runs.all == expected)
        #expect(runs.count == expected.count)
    }

    /// The cursor orders the runs' heads by their paths' bytes and, on one path, by the rest of
    /// the output order, the earlier run first among equal findings: paths that are equal as
    /// `String`s but not as bytes (NFC and NFD), paths that are prefixes of others, heads that
    /// tie on path, line and column. Compared as bytes, run by run, with a stable sort.
    @Test(arguments: [1, 3, 50])
    func cursorOrdersHeadsByPathBytesThenFinding(runLength: Int) {
        var rng = SeededRandom(seed: UInt64(runLength))
        // "a/e\u{301}z.md" comes first as bytes and after "a/é.md" as a `String` (NFC).
        let paths = ["a/é.md", "a/e\u{301}.md", "a/e\u{301}z.md", "a/e", "a/e.md", "a/é.md/x", "b.md", "文件.md"]
        let input = (0..<600).map { i in
            Diagnostic(rule: rng.pick(["content-duplicate", "boilerplate-repeated", "b"]), severity: rng.pick([.info, .warning, .error]),
                       path: rng.pick(paths), line: 1 + rng.below(3), column: 1 + rng.below(2),
                       message: rng.pick(["m", "é", "e\u{301}", "m \(i % 4)"]))
        }
        let runs = DiagnosticRuns(runLength: runLength, memoryBudget: 1 << 20)
        // Whole runs of their own (the rules' reduce phases): each sorted, the runs interleaving.
        for start in stride(from: 0, to: input.count, by: 100) {
            runs.add(contentsOf: Array(input[start..<(start + 100)]).sorted(by: Diagnostic.outputOrder))
            runs.seal()
        }
        var merged: [Diagnostic] = []
        #expect(runs.forEach { merged.append($0) })
        // Stable: chunk by chunk (the order the runs were added), then sorted as bytes.
        var ordered: [Diagnostic] = []
        for start in stride(from: 0, to: input.count, by: 100) {
            ordered += Array(input[start..<(start + 100)]).sorted(by: Diagnostic.outputOrder)
        }
        let expected = ordered.enumerated().sorted { x, y in
            let order = Diagnostic.outputComparison(x.element, y.element)
            return order != 0 ? order < 0 : x.offset < y.offset
        }.map(\.element)
        #expect(merged.count == expected.count)
        for (a, b) in zip(merged, expected) {
            #expect(a.path.hasSameBytes(as: b.path) && a.message.hasSameBytes(as: b.message) && a.rule == b.rule
                    && a.line == b.line && a.column == b.column && a.severity == b.severity)
        }
    }

    @Test func filterAppliesToEveryRun() {
        let input = Self.scrambled(500)
        let runs = DiagnosticRuns(runLength: 16, memoryBudget: 256)
        runs.filter = { $0.filter { $0.rule != "slug-duplicate" } }
        runs.add(contentsOf: input)
        #expect(runs.all == input.filter { $0.rule != "slug-duplicate" }.sorted(by: Diagnostic.outputOrder))
    }

    /// Diagnostics already in output order, handed over in batches (as a cache's stored result).
    final class BatchSource: SortedDiagnosticSource {
        let sorted: [Diagnostic]
        let batchSize: Int
        /// Fail after this many batches (nil: never).
        let failAfter: Int?
        var count: Int { sorted.count }

        init(_ diagnostics: [Diagnostic], batchSize: Int, failAfter: Int? = nil) {
            sorted = diagnostics.sorted(by: Diagnostic.outputOrder)
            self.batchSize = batchSize
            self.failAfter = failAfter
        }

        func batches() -> () -> SortedBatch {
            var start = 0, served = 0
            return { [sorted, batchSize, failAfter] in
                if let failAfter, served == failAfter { return .failed }
                guard start < sorted.count else { return .end }
                let end = min(sorted.count, start + batchSize)
                defer { start = end; served += 1 }
                return .batch(Array(sorted[start..<end]))
            }
        }
    }

    /// A sorted source merges like a run added at its place: the whole list sorted (equal
    /// findings in the order they were added), read twice, the filter applied to its batches.
    @Test(arguments: [1, 97, 5_000])
    func sortedSourceMergesAsARunInItsPlace(batchSize: Int) {
        let before = Self.scrambled(700), stored = Self.scrambled(1_500), after = Self.scrambled(300)
        let runs = DiagnosticRuns(runLength: 64, memoryBudget: 1 << 12)
        runs.add(contentsOf: before)
        runs.add(sorted: BatchSource(stored, batchSize: batchSize))
        runs.add(contentsOf: after)
        let expected = (before + stored + after).sorted(by: Diagnostic.outputOrder)
        #expect(runs.all == expected)
        #expect(runs.all == expected)
        #expect(runs.count == expected.count)

        let filtered = DiagnosticRuns(runLength: 64, memoryBudget: 1 << 12)
        filtered.filter = { $0.filter { $0.rule != "slug-duplicate" } }
        filtered.add(sorted: BatchSource(stored, batchSize: batchSize))
        filtered.add(contentsOf: after)
        #expect(filtered.all == (stored + after).filter { $0.rule != "slug-duplicate" }.sorted(by: Diagnostic.outputOrder))
    }

    /// A source that hands out batches it keeps (each pass the same arrays), some empty: the
    /// merge moves findings out of the batches it reads, so it must never do so in the source's
    /// own storage. Each pass gives the whole list, in order, however the batches fall.
    @Test func batchesTheSourceKeepsAreReadWithoutChangingThem() {
        final class KeptBatches: SortedDiagnosticSource {
            let chunks: [[Diagnostic]]
            init(_ chunks: [[Diagnostic]]) { self.chunks = chunks }
            var count: Int { chunks.reduce(0) { $0 + $1.count } }
            func batches() -> () -> SortedBatch {
                var k = 0
                return { [chunks] in
                    guard k < chunks.count else { return .end }
                    defer { k += 1 }
                    return .batch(chunks[k])
                }
            }
        }
        let sorted = Self.scrambled(1_000).sorted(by: Diagnostic.outputOrder)
        var chunks: [[Diagnostic]] = []
        var start = 0, size = 0
        while start < sorted.count {
            let end = min(sorted.count, start + size)
            chunks.append(Array(sorted[start..<end]))
            start = end
            size = (size * 7 + 3) % 41
        }
        #expect(chunks.contains { $0.isEmpty } && chunks.contains { $0.count == 1 })
        let source = KeptBatches(chunks)
        let runs = DiagnosticRuns(runLength: 64, memoryBudget: 1 << 12)
        runs.add(sorted: source)
        #expect(runs.all == sorted)
        #expect(runs.all == sorted)
        #expect(source.chunks.flatMap { $0 } == sorted)
    }

    /// A source that cannot be read on ends the stream as incomplete.
    @Test func failingSourceIsReported() {
        let runs = DiagnosticRuns()
        runs.add(sorted: BatchSource(Self.scrambled(100), batchSize: 10, failAfter: 3))
        var seen = 0
        #expect(!runs.forEach { _ in seen += 1 })
        #expect(seen == 30)
    }

    /// Merging two sorted lists is a stable sort of the two, the first's findings first among equals.
    @Test func mergingTwoSortedListsIsAStableSort() {
        for n in [0, 1, 5, 200] {
            let first = Self.scrambled(n).sorted(by: Diagnostic.outputOrder)
            let second = Self.scrambled(n * 2 + 1).sorted(by: Diagnostic.outputOrder)
            #expect(OrderedMerge.merging(first, second) == (first + second).sorted(by: Diagnostic.outputOrder))
            #expect(OrderedMerge.merging(second, first) == (second + first).sorted(by: Diagnostic.outputOrder))
        }
    }

    /// The in-place merge of the ordered merge orders a list as `merging` does (ties included:
    /// equal keys keep their side's order), past the count it merges by copying too.
    @Test func mergeInPlaceEqualsMerging() {
        for (n, m) in [(0, 3), (1, 1), (5, 2), (40, 3), (3, 40), (200, 32), (200, 33)] {
            let first = Self.scrambled(n).sorted(by: Diagnostic.outputOrder)
            let second = Self.scrambled(m).sorted(by: Diagnostic.outputOrder)
            var list = first + second
            OrderedMerge.mergeInPlace(&list, from: first.count)
            #expect(list == OrderedMerge.merging(first, second), "\(n) + \(m)")
        }
    }

    /// One file's findings, as the ordered merge holds them: the in-place comparison reads line
    /// and column where they are and falls back on `outputOrder` for ties, so rule and message
    /// still order findings at one position (and equal ones keep their side's order).
    @Test func mergeInPlaceOnOnePathEqualsMerging() {
        func finding(_ i: Int) -> Diagnostic {
            Diagnostic(rule: i % 3 == 0 ? "content-duplicate" : "boilerplate-repeated", severity: .warning, path: "dir/同一-文件.md",
                       line: 1 + i % 4, column: 1 + i % 2, message: i % 5 == 0 ? "b \(i % 2)" : "a")
        }
        for (n, m) in [(1, 1), (12, 3), (3, 12), (40, 32)] {
            let first = (0..<n).map(finding).sorted(by: Diagnostic.outputOrder)
            let second = (0..<m).map { finding($0 * 7 + 1) }.sorted(by: Diagnostic.outputOrder)
            for onePath in [false, true] {
                var list = first + second
                OrderedMerge.mergeInPlace(&list, from: first.count, onePath: onePath)
                #expect(list == OrderedMerge.merging(first, second), "\(n) + \(m), onePath \(onePath)")
            }
        }
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
