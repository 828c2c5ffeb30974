import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The memory-flat output pipeline: ordered bounded delivery, the diagnostic spill, the ordered
/// merge with cross-file findings, and byte-identity of streamed and buffered CLI output.
@Suite struct StreamingPipelineTests {
    @Test(arguments: [1, 2, 3, 8])
    func orderedDeliveryIsInOrderAndBounded(jobs: Int) {
        let count = 3000
        let window = 16
        let delivered = Locked(0)
        let maxAhead = Locked(0)
        var seen: [Int] = []
        parallelForEachOrdered(count: count, jobs: jobs, window: window, { i -> Int in
            let done = delivered.withLock { $0 }
            maxAhead.withLock { $0 = max($0, i - done) }
            // Uneven work so later indices often finish first.
            var x = UInt64(i)
            for _ in 0..<((i * 7919) % 200) { x = x &* 6364136223846793005 &+ 1 }
            return i &+ Int(x & 0)
        }, deliver: { i, value in
            #expect(i == value)
            seen.append(i)
            delivered.withLock { $0 += 1 }
        })
        #expect(seen == Array(0..<count))
        // The window is at least twice the workers; never more than that far ahead.
        #expect(maxAhead.withLock { $0 } < max(window, min(jobs, count) * 2) + 1)
    }

    /// Delivery slower than the work (a warm run): workers wait for the window to drain. A worker
    /// left asleep with work to do or the end reached shows as a hang, cut by the time limit. (Five
    /// minutes, not one: on two loaded cores, in the full parallel test run, every hand-over waits
    /// for a scheduler slice and these cases once took over a minute without hanging; the whole
    /// run takes under three.)
    @Test(.timeLimit(.minutes(5)), arguments: [2, 3, 8])
    func slowDeliveryWakesWaitingWorkers(jobs: Int) {
        let count = 2000
        var seen: [Int] = []
        parallelForEachOrdered(count: count, jobs: jobs, window: 4, { i -> Int in i }, deliver: { i, value in
            var x = UInt64(i)
            for _ in 0..<(200 + (i * 31) % 300) { x = x &* 6364136223846793005 &+ 1 }
            seen.append(value &+ Int(x & 0))
        })
        #expect(seen == Array(0..<count))
    }

    /// Results taken and handed over in batches are each delivered once, in order, and freed
    /// once (they are moved through the batch, never copied or dropped), for batches larger than
    /// the window allows and for a count that is not a multiple of the batch.
    @Test(.timeLimit(.minutes(5)), arguments: [(2, 1), (2, 3), (3, 8), (2, 64), (8, 5)])
    func batchedDeliveryMovesEachResultOnce(jobs: Int, batch: Int) {
        final class Tracked: @unchecked Sendable {
            let index: Int
            let freed: Locked<Int>
            init(_ index: Int, freed: Locked<Int>) { self.index = index; self.freed = freed }
            deinit { freed.withLock { $0 += 1 } }
        }
        let count = 1001
        let freed = Locked(0)
        var seen: [Int] = []
        parallelForEachOrdered(count: count, jobs: jobs, window: 16, batch: batch, { i -> Tracked in
            var x = UInt64(i)
            for _ in 0..<((i * 7919) % 300) { x = x &* 6364136223846793005 &+ 1 }
            return Tracked(i &+ Int(x & 0), freed: freed)
        }, deliver: { i, value in
            #expect(i == value.index)
            seen.append(value.index)
        })
        #expect(seen == Array(0..<count))
        #expect(freed.withLock { $0 } == count)
    }

    /// More workers than files, and fewer files than a batch: each delivered once, in order.
    @Test(.timeLimit(.minutes(5)), arguments: [1, 2, 3, 7])
    func batchedDeliveryWithFewerFilesThanWorkers(count: Int) {
        var seen: [Int] = []
        parallelForEachOrdered(count: count, jobs: 8, window: 4, batch: 8, { i -> Int in i }, deliver: { i, value in
            #expect(i == value)
            seen.append(value)
        })
        #expect(seen == Array(0..<count))
    }

    static func sample(path: String, _ n: Int) -> [Diagnostic] {
        (0..<n).map { k in
            Diagnostic(rule: k % 2 == 0 ? "trailing-whitespace" : "full-width-punctuation", severity: k % 3 == 0 ? .error : (k % 3 == 1 ? .warning : .info),
                       path: path, line: k + 1, column: 1 + k % 5, endLine: k % 4 == 0 ? nil : k + 1, endColumn: k % 4 == 0 ? nil : 9,
                       message: "第\(k)行：標點「,」應為全角", fix: k % 2 == 0 ? Fix(k % 4 == 0 ? .safe : .unsafe, "替换为“，”", edits: [Edit(range: k..<(k + 1), replacement: "，")]) : nil)
        }
    }

    @Test(arguments: [0, 64, 1 << 22])
    func spillRoundTrips(threshold: Int) {
        let spill = DiagnosticSpill(threshold: threshold)
        var expected: [[Diagnostic]] = []
        for f in 0..<300 {
            let diags = Self.sample(path: "新闻/\(String(format: "%03d", f)).md", f % 5)
            spill.append(diags)
            if !diags.isEmpty { expected.append(diags) }
        }
        var got: [[Diagnostic]] = []
        spill.forEachFile { got.append($0) }
        #expect(got == expected)
        #expect(spill.usedFile == (threshold < 1 << 22))
        // Reading twice gives the same stream (the file is re-read from its start).
        var again = 0
        spill.forEachFile { _ in again += 1 }
        #expect(again == expected.count)
    }

    @Test func mergeEqualsSortedConcatenation() {
        let spill = DiagnosticSpill(threshold: 100)
        var all: [Diagnostic] = []
        for f in stride(from: 10, to: 90, by: 3) {
            let d = Self.sample(path: "a/\(f).md", 1 + f % 3)
            spill.append(d)
            all += d
        }
        // Cross-file findings before, between, inside and after the spilled paths.
        var extras: [Diagnostic] = []
        for (p, line) in [("a/0.md", 1), ("a/13.md", 2), ("a/13.md", 1), ("a/14.md", 3), ("a/55.md", 1), ("b.md", 1), ("a/88.md", 9)] {
            extras.append(Diagnostic(rule: "slug-duplicate", severity: .warning, path: p, line: line, column: 1, message: "slug 'x' is also used by a/1.md"))
        }
        all += extras
        extras.sort(by: Diagnostic.outputOrder)
        var merged: [Diagnostic] = []
        var groups: [String] = []
        OrderedMerge.run(spill, extras: extras) { group in
            merged += group
            groups.append(group.first?.path ?? "")
        }
        #expect(merged == all.sorted(by: Diagnostic.outputOrder))
        #expect(groups == Array(Set(all.map(\.path))).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, "one group per path")
    }

    /// The streamed path (stdout) against the buffered path (`--output` still renders the whole
    /// result): same bytes, same exit status, for every streamed format, with cross-file findings,
    /// an input problem, and the spill forced to disk.
    @Test func streamedCLIOutputEqualsBuffered() throws {
        let dir = TemporaryDirectory()
        ScaleCorpus.write(into: dir, count: 150)
        let cases: [[String]] = [["--format", "text"], ["--format", "concise"], ["--format", "json"], ["--format", "github"],
                                 ["--format", "text", "--quiet"], ["--statistics"], ["--statistics", "--format", "json"],
                                 ["--format", "concise", "--select", "final-newline"], ["--summary"], ["--format", "concise", "--summary"],
                                 ["--statistics", "--summary"], ["--format", "text", "--quiet", "--summary", "--select", "html-remnant"], ["--format", "json", "--summary"]]
        for extra in cases {
            let args = ["--no-config", "--no-cache"] + extra + ["news", "missing-dir"]
            let buffered = CLIRun.run(args + ["--output", "out.txt"], cwd: dir.path)
            let bufferedText = String(decoding: dir.read("out.txt"), as: UTF8.self)
            for jobs in [1, 3] {
                let streamed = CLIRun.run(args + ["--jobs", String(jobs)], cwd: dir.path, env: ["NEWSLINT_SPILL_BYTES": "200"])
                #expect(streamed.stdout == bufferedText, "\(extra) jobs \(jobs)")
                #expect(streamed.status == buffered.status, "\(extra)")
            }
        }
        // JSON Lines on stdout print each file as it finishes, then the cross-file findings: the same lines.
        let jsonlArgs = ["--no-config", "--no-cache", "--format", "jsonl", "news", "missing-dir"]
        let jsonl = CLIRun.run(jsonlArgs + ["--jobs", "3"], cwd: dir.path)
        _ = CLIRun.run(jsonlArgs + ["--output", "out.jsonl"], cwd: dir.path)
        let bufferedLines = String(decoding: dir.read("out.jsonl"), as: UTF8.self).split(separator: "\n").sorted()
        #expect(jsonl.stdout.split(separator: "\n").sorted() == bufferedLines)
        #expect(bufferedLines.contains { $0.contains("\"rule\":\"slug-duplicate\"") })
        let concise = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "news", "missing-dir"], cwd: dir.path)
        #expect(concise.stdout.contains("[slug-duplicate]"))
        #expect(concise.stdout.contains("missing-dir"))
        #expect(concise.status == ExitCode.failure)
    }

    /// Inputs not in path order (explicit arguments) are put in path order before the run: output
    /// stays sorted.
    @Test func unsortedInputsStaySorted() throws {
        let dir = TemporaryDirectory()
        dir.write("b.md", "第二篇  \n")
        dir.write("a.md", "第一篇  \n")
        let run = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "b.md", "a.md"], cwd: dir.path)
        let paths = run.stdout.split(separator: "\n").map { $0.split(separator: ":").first.map(String.init) ?? "" }
        #expect(paths.first == "a.md")
        #expect(paths == paths.sorted())
    }
}

@Suite struct StreamingSelectionTests {
    /// Engine level: streamed outcomes through the spill and merge equal `lint`'s sorted result.
    @Test func streamedEngineEqualsBufferedResult() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 200).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let catalog = try TestDuplicateSlugRule.catalog()
        let expected = try Linter.forTest(root: dir.path, catalog: catalog, jobs: 2).lint(paths.map { .file($0) }).diagnostics
        #expect(expected.contains { $0.rule == TestDuplicateSlugRule.id })
        for jobs in [1, 2, 4] {
            let linter = try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs)
            let spill = DiagnosticSpill(threshold: 512)
            var files = 0
            let run = linter.lintStreaming(paths.map { .file($0) }) { outcome in
                files += 1
                spill.append(outcome.diagnostics)
            }
            #expect(files == paths.count)
            #expect(spill.usedFile)
            var merged: [Diagnostic] = []
            OrderedMerge.run(spill, extras: run.crossFile) { merged += $0 }
            #expect(merged == expected, "jobs \(jobs)")
        }
    }
}

@Suite struct SummaryAccumulatorTests {
    /// The report streams files into the accumulator in delivery order, cross-file findings last:
    /// the summary must not depend on that order.
    @Test func accumulatorOrderDoesNotMatter() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 120)
        let linter = try Linter.forTest(root: dir.path, catalog: .builtin, jobs: 2)
        let result = linter.lint(paths.map { .file($0) })
        #expect(result.diagnostics.contains { $0.rule == "slug-duplicate" })
        let expected = SummaryRenderer.json(CorpusSummary(result: result, catalog: .builtin, profiles: []))
        var acc = CorpusSummary.Accumulator(catalog: .builtin)
        for f in result.files.reversed() { acc.addFile(path: f.path, byteCount: f.byteCount) }
        let perFile = result.diagnostics.filter { $0.rule != "slug-duplicate" }
        for d in perFile.reversed() { acc.add(d) }
        for d in result.diagnostics where d.rule == "slug-duplicate" { acc.add(d) }
        #expect(SummaryRenderer.json(CorpusSummary(acc, profiles: [])) == expected)
    }
}
