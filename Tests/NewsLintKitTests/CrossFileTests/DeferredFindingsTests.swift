import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintCLI

/// Findings made when they are read: the runs give exactly what adding them one by one gives, and
/// content-duplicate's messages are made only when the output reads them.
@Suite struct DeferredFindingsTests {
    /// A receiver that keeps what it was handed, deferred or not.
    final class Kept: DiagnosticReceiver {
        var added: [Diagnostic] = []
        var deferred: [DeferredFindings] = []
        func add(_ diagnostic: Diagnostic) { added.append(diagnostic) }
        func add(deferred findings: DeferredFindings) { deferred.append(findings) }
    }

    /// `count` findings on paths `p000`, `p001`, … (`digits` wide) in batches of `batch`; `passes`
    /// counts passes started.
    static func numbered(_ count: Int, sorted: Bool = true, digits: Int = 3, batch: Int = 7, passes: Locked<Int>) -> DeferredFindings {
        DeferredFindings(count: count, inOutputOrder: sorted) {
            passes.withLock { $0 += 1 }
            var next = 0
            return {
                let end = min(count, next + batch)
                defer { next = end }
                return (next..<end).map { n in
                    let k = sorted ? n : count - 1 - n
                    return Diagnostic(rule: "content-duplicate", severity: .warning, path: String(format: "p%0\(digits)d", k), line: 1, column: 1, message: "m\(k)")
                }
            }
        }
    }

    @Test(arguments: [true, false])
    func runsGiveWhatAddingEachGives(sorted: Bool) {
        let passes = Locked(0)
        let findings = Self.numbered(40, sorted: sorted, passes: passes)
        let others = (0..<40).filter { $0 % 3 == 0 }.map {
            Diagnostic(rule: "a-rule", severity: .info, path: String(format: "p%03d", $0), line: 1, column: 1, message: "other")
        }
        let plain = DiagnosticRuns(runLength: 5)
        plain.add(contentsOf: others)
        findings.forEach { plain.add($0) }
        let deferred = DiagnosticRuns(runLength: 5)
        deferred.add(contentsOf: others)
        passes.withLock { $0 = 0 }
        deferred.add(deferred: findings)
        // In output order nothing is made until the runs are read; otherwise they are made at once.
        #expect(passes.withLock { $0 } == (sorted ? 0 : 1))
        let expected = plain.all
        #expect(deferred.all == expected)
        // Counted once sealed (reading seals what is pending).
        #expect(deferred.count == plain.count)
        // Read again (statistics, then the output): the same findings.
        #expect(deferred.all == expected)
    }

    /// Made on a thread of their own ahead of the reader (`makesDeferredAhead`, enough findings
    /// for it): the runs give what they give made on the reader's thread, merged with the other
    /// runs, read twice; every pass of a reader dropped part way ends (its thread stops).
    @Test func madeAheadGiveWhatMadeInPlaceGive() {
        let count = DeferredSource.aheadMinimum * 3 + 5
        let passes = Locked(0), ended = Locked(0)
        let makers = Locked(Set<ObjectIdentifier>())
        // Five digits: the paths must sort as they are numbered.
        let numbered = Self.numbered(count, digits: 5, batch: 100, passes: passes)
        // Each pass notes the threads that make its findings and, when it is released, that it ended.
        let findings = DeferredFindings(count: count, inOutputOrder: true) {
            let next = numbered.pass(), end = PassEnd(ended)
            return {
                _ = end
                makers.withLock { _ = $0.insert(ObjectIdentifier(Thread.current)) }
                return next()
            }
        }
        let others = stride(from: 0, to: count, by: 97).map {
            Diagnostic(rule: "a-rule", severity: .info, path: String(format: "p%05d", $0), line: 1, column: 1, message: "other")
        }
        func runs(ahead: Bool) -> DiagnosticRuns {
            let runs = DiagnosticRuns(runLength: 50)
            runs.makesDeferredAhead = ahead
            runs.add(contentsOf: others)
            runs.add(deferred: findings)
            return runs
        }
        let expected = runs(ahead: false).all
        #expect(expected.count == count + others.count)
        let reader = ObjectIdentifier(Thread.current)
        #expect(makers.withLock { $0 } == [reader])
        makers.withLock { $0 = [] }
        let ahead = runs(ahead: true)
        // Compared as a whole, not printed whole when they differ (thousands of findings).
        let first = ahead.all, second = ahead.all
        let firstSame = first == expected, secondSame = second == expected
        #expect(first.count == expected.count)
        #expect(firstSame && secondSame)
        #expect(!makers.withLock { $0 }.contains(reader))
        // Dropped after a few findings, many times: each making thread stops and releases its pass
        // (a thread left waiting on a reader that is gone would hold it for ever).
        for _ in 0..<50 {
            let cursor = ahead.makeCursor()
            for _ in 0..<700 { _ = cursor.next() }
        }
        var waited = 0
        while ended.withLock({ $0 }) < passes.withLock({ $0 }) && waited < 1000 {
            usleep(10_000)
            waited += 1
        }
        #expect(ended.withLock { $0 } == passes.withLock { $0 })
        passes.withLock { $0 = 0 }
        let againSame = ahead.all == expected
        #expect(againSame)
        #expect(passes.withLock { $0 } == 1)
    }

    /// Counts, when released, that a pass ended.
    final class PassEnd: @unchecked Sendable {
        let ended: Locked<Int>
        init(_ ended: Locked<Int>) { self.ended = ended }
        deinit { ended.withLock { $0 += 1 } }
    }

    /// The cache's recorder keeps the recipe (not findings made into runs of its own): the file it
    /// writes is the one made findings give, and the next receiver is handed the recipe.
    @Test(arguments: [true, false])
    func cacheRecorderWritesWhatMadeFindingsWrite(sorted: Bool) throws {
        let passes = Locked(0)
        let findings = Self.numbered(40, sorted: sorted, passes: passes)
        var passesWhenAdded = 0
        func written(_ fill: (CrossFileResultRecorder) -> Void, next: (any DiagnosticReceiver)?) throws -> [UInt8] {
            let recorder = CrossFileResultRecorder(forwardingTo: next, digest: 7, fileCount: 40, key: 11, macKey: (1, 2), pathsLost: { nil })
            fill(recorder)
            passesWhenAdded = passes.withLock { $0 }
            var bytes: [UInt8] = []
            try recorder.write("test.cross-file") { bytes += $0 }
            return bytes
        }
        let made = try written({ r in findings.forEach { r.add($0) } }, next: nil)
        let kept = Kept()
        passes.withLock { $0 = 0 }
        let deferred = try written({ $0.add(deferred: findings) }, next: kept)
        #expect(deferred == made)
        #expect(kept.deferred.count == 1 && kept.added.isEmpty)
        // In output order the recipe is read once, by the write (not when it is added); otherwise
        // the findings are made once, when added.
        #expect(passesWhenAdded == (sorted ? 0 : 1))
        #expect(passes.withLock { $0 } == 1)
    }

    @Test func contentDuplicateDefersItsMessages() throws {
        let rule = try ContentDuplicateRule(options: RuleOptions(["minLength": JSONNode(.number(1))]))
        let hashes: [UInt64] = [1, 2, 1, 3, 1, 2, 4, 1, 1, 1, 1, 1]
        let paths = hashes.indices.map { String(format: "d/%02d.md", $0) }
        var pathReads = 0
        let table = FactTable<ContentDuplicateRule.Fact>(count: hashes.count, pathsIncrease: true,
                                                         path: { pathReads += 1; return paths[$0] },
                                                         fact: { ContentDuplicateRule.Fact(hash: hashes[$0], length: 9, line: 2 + $0 % 3) })
        let kept = Kept()
        var sink = CrossFileSink(rule: ContentDuplicateRule.id, severity: .warning)
        sink.receiver = kept
        rule.finish(table, into: &sink)
        #expect(kept.added.isEmpty && kept.deferred.count == 1)
        #expect(pathReads == 0)
        let findings = try #require(kept.deferred.first)
        var made: [Diagnostic] = []
        findings.forEach { made.append($0) }
        // What the rule reported one finding at a time, naming the others directly.
        var expected: [Diagnostic] = []
        for i in hashes.indices {
            let group = hashes.indices.filter { hashes[$0] == hashes[i] }
            guard group.count > 1 else { continue }
            let others = listing(group.filter { $0 != i }.map { paths[$0] }, limit: 5)
            expected.append(Diagnostic(rule: ContentDuplicateRule.id, severity: .warning, path: paths[i], line: 2 + i % 3, column: 1,
                                       message: "body is identical to \(others) (group of \(group.count) files)"))
        }
        #expect(findings.count == expected.count && findings.inOutputOrder)
        #expect(made == expected)
        // Each member's path read once per pass.
        #expect(pathReads == expected.count)
        // Without a receiver they are made at once.
        var plain = CrossFileSink(rule: ContentDuplicateRule.id, severity: .warning)
        rule.finish(table, into: &plain)
        #expect(plain.diagnostics == expected)
    }

    /// Paths that do not increase (files given out of order): the recipe says so, and its
    /// findings, made at once by a receiver that merges, are the ones the rule made one by one.
    @Test func contentDuplicateRecipeForPathsOutOfOrder() throws {
        let rule = try ContentDuplicateRule(options: RuleOptions(["minLength": JSONNode(.number(1))]))
        let hashes: [UInt64] = [5, 1, 5, 2, 1, 5, 3, 5, 5, 5, 5]
        let paths = hashes.indices.map { String(format: "d/%02d.md", 20 - $0) }
        let table = FactTable<ContentDuplicateRule.Fact>(count: hashes.count, pathsIncrease: false, path: { paths[$0] },
                                                         fact: { ContentDuplicateRule.Fact(hash: hashes[$0], length: 9, line: 2) })
        let kept = Kept()
        var sink = CrossFileSink(rule: ContentDuplicateRule.id, severity: .warning)
        sink.receiver = kept
        rule.finish(table, into: &sink)
        let findings = try #require(kept.deferred.first)
        #expect(!findings.inOutputOrder)
        var expected: [Diagnostic] = []
        for i in hashes.indices {
            let group = hashes.indices.filter { hashes[$0] == hashes[i] }
            guard group.count > 1 else { continue }
            let others = listing(group.filter { $0 != i }.map { paths[$0] }, limit: 5)
            expected.append(Diagnostic(rule: ContentDuplicateRule.id, severity: .warning, path: paths[i], line: 2, column: 1,
                                       message: "body is identical to \(others) (group of \(group.count) files)"))
        }
        var made: [Diagnostic] = []
        findings.forEach { made.append($0) }
        #expect(made == expected)
        // Merged by the runs into output order.
        let runs = DiagnosticRuns(runLength: 4)
        runs.add(deferred: findings)
        #expect(runs.all == expected.sorted(by: Diagnostic.outputOrder))
    }

    /// Three files with one body: through a whole run (deferred findings, the runs' filter), a
    /// member's `newslint-disable-file` drops its own finding only, with files given in order or
    /// out of it, on one thread or two.
    @Test(arguments: [["a.md", "b.md", "c.md"], ["c.md", "a.md", "b.md"]], ["1", "2"])
    func suppressedContentDuplicateMemberThroughARun(files: [String], jobs: String) {
        let tmp = TemporaryDirectory()
        let body = "正文第一段，内容相同。\n第二段也相同。\n"
        tmp.write("a.md", "---\ntitle: 甲\n---\n<!-- newslint-disable-file content-duplicate -->\n" + body)
        tmp.write("b.md", "---\ntitle: 乙\n---\n" + body)
        tmp.write("c.md", "---\ntitle: 丙\n---\n" + body)
        let r = CLIRun.run(["lint", "--no-config", "--no-cache", "--jobs", jobs, "--format", "concise", "--select", "content-duplicate"] + files, cwd: tmp.path)
        #expect(r.stdout == """
            b.md:4:1: warning: body is identical to a.md, c.md (group of 3 files) [content-duplicate]
            c.md:4:1: warning: body is identical to a.md, b.md (group of 3 files) [content-duplicate]

            """)
        #expect(r.status == 0, "\(r.stderr)")
    }
}
