import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintReport

/// The lazy output path (`OrderedMerge.run(_:extras:decodingFrom:_:)`: findings written from the
/// spill's bytes, never decoded) against the decoded path, byte for byte and total for total:
/// random records (sorted and not, consecutive records of one path, records of lines alone),
/// cross-file findings before, between and after a record's own and on paths without records,
/// equal positions told apart by rule and message, groups around the aggregation threshold,
/// messages the concise line escapes, CJK and long messages, fixes safe, unsafe and none of
/// several edits; in memory, through the temporary file and on the decoding thread.
@Suite struct LazyOutputTests {
    static let messages = ["", "a", "b", "行尾 mixed", "tab\there\u{1}\u{7F}", "NEL \u{85} here", "sep\u{2028}x\u{2029}",
                           "plane 16 \u{100000}", "raw byte \u{10FF85}", "\"quoted\" \\ back", String(repeating: "长消息", count: 300),
                           "é\u{301}", "🙂 emoji", "<div> has no end tag"]
    /// Rule ids that tie-break equal positions, one of them not ASCII (compared as `String`s).
    static let rules = ["a", "ab", "b", "content-duplicate", "行尾"]

    static func finding(_ rng: inout SeededRandom, path: String) -> Diagnostic {
        var fix: Fix?
        if rng.chance(0.5) {
            let edits = (0..<rng.pick([0, 1, 1, 3])).map { _ -> Edit in
                let lo = rng.below(5_000)
                return Edit(range: lo..<(lo + rng.below(30)), replacement: Array(rng.pick(messages).utf8))
            }
            fix = Fix(rng.chance(0.5) ? .safe : .unsafe, rng.pick(messages), edits: edits)
        }
        // Few lines and columns: equal positions are common.
        return Diagnostic(rule: rng.pick(rules), severity: rng.pick([.info, .warning, .error]), path: path,
                          line: rng.below(4), column: rng.below(3), endLine: rng.chance(0.5) ? nil : rng.below(9),
                          endColumn: rng.chance(0.5) ? nil : rng.below(9), message: rng.pick(messages), fix: fix)
    }

    /// A run's spill (records appended in path order) and its cross-file findings, made twice
    /// alike (each path reads its own).
    struct Corpus {
        var records: [(path: String, findings: [Diagnostic], lines: [Int: String])] = []
        var extras: [Diagnostic] = []

        init(_ rng: inout SeededRandom, paths: Int) {
            for p in 0..<paths {
                let path = "dir-" + String(repeating: "0", count: 4 - String(p / 10).count) + "\(p / 10)/新闻-\(String(p).count)\(p).md"
                if rng.chance(0.15) { extras += (0..<rng.pick([1, 2, 12])).map { _ in finding(&rng, path: path) } }
                guard rng.chance(0.85) else { continue }
                for _ in 0..<(rng.chance(0.05) ? 2 : 1) {
                    var findings = (0..<rng.pick([0, 1, 2, 3, 5, 8, 9, 10, 12, 40])).map { _ in finding(&rng, path: path) }
                    if rng.chance(0.85) { findings.sort(by: Diagnostic.outputOrder) }
                    records.append((path, findings, findings.isEmpty || rng.chance(0.1) ? [1: "a line"] : [:]))
                }
            }
        }

        func spill(threshold: Int) -> DiagnosticSpill {
            let spill = DiagnosticSpill(threshold: threshold)
            for r in records { spill.append(r.findings, lines: r.lines, path: r.path) }
            return spill
        }

        func runs() -> DiagnosticRuns {
            let runs = DiagnosticRuns(runLength: 7)
            runs.add(contentsOf: extras)
            return runs
        }
    }

    struct Written: Equatable {
        var bytes: [UInt8]
        var totals: ReportTotals
    }

    static func decoded(_ corpus: Corpus, threshold: Int, aggregate: Int) -> Written {
        var out = ReportBuffer()
        var totals = ReportTotals()
        var context = ReportContext(catalog: .builtin)
        context.aggregateThreshold = aggregate
        let reporter = ConciseReporter()
        let complete = OrderedMerge.run(corpus.spill(threshold: threshold), extras: corpus.runs()) { group, _ in
            guard !group.isEmpty else { return }
            totals.add(contentsOf: group)
            totals.files += 1
            reporter.file(group, context: context, into: &out)
        }
        #expect(complete)
        return Written(bytes: out.bytes, totals: totals)
    }

    static func lazy(_ corpus: Corpus, threshold: Int, aggregate: Int) -> (Written, spilledGroups: Int) {
        var out = ReportBuffer()
        var totals = ReportTotals()
        var context = ReportContext(catalog: .builtin)
        context.aggregateThreshold = aggregate
        let reporter = ConciseReporter()
        var spilledGroups = 0
        let complete = OrderedMerge.run(corpus.spill(threshold: threshold), extras: corpus.runs(),
                                        decodingFrom: aggregate > 1 ? aggregate : Int.max) { merged in
            switch merged {
            case let .decoded(group, _):
                guard !group.isEmpty else { return }
                totals.add(contentsOf: group)
                totals.files += 1
                reporter.file(group, context: context, into: &out)
            case let .spilled(group):
                spilledGroups += 1
                #expect(group.count > 0 && (aggregate <= 1 || group.count < aggregate))
                totals.add(group)
                totals.files += 1
                ConciseReporter.appendLines(group, to: &out)
            }
        }
        #expect(complete)
        return (Written(bytes: out.bytes, totals: totals), spilledGroups)
    }

    /// Thresholds: in memory and read back on this thread, in memory on the decoding thread,
    /// through the temporary file in small and one-record chunks.
    @Test(arguments: [(1 << 30, 40), (1 << 30, 600), (1 << 12, 600), (64, 600), (0, 300)])
    func lazyLinesEqualDecodedLines(threshold: Int, paths: Int) {
        for seed in 0..<4 {
            var rng = SeededRandom(seed: UInt64(seed * 97 + paths))
            let corpus = Corpus(&rng, paths: paths)
            for aggregate in [10, 0] {
                let expected = Self.decoded(corpus, threshold: threshold, aggregate: aggregate)
                let (written, spilledGroups) = Self.lazy(corpus, threshold: threshold, aggregate: aggregate)
                #expect(written.totals == expected.totals)
                #expect(written.bytes.count == expected.bytes.count)
                if written.bytes != expected.bytes {
                    let a = String(decoding: written.bytes, as: UTF8.self).split(separator: "\n")
                    let b = String(decoding: expected.bytes, as: UTF8.self).split(separator: "\n")
                    let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                    Issue.record("seed \(seed) aggregate \(aggregate): line \(first) differs: \(first < a.count ? a[first] : "") vs \(first < b.count ? b[first] : "")")
                }
                // The lazy path is taken for most groups, not decoded around.
                #expect(spilledGroups > paths / 4)
            }
        }
    }

    /// Names `SystemPath.display` changes (a backslash, a line separator, a mapped byte) in every
    /// other directory, plain ones between: the lazy route writes a plain name's bytes as they are
    /// in the spill and an escaped one's display form, and compares names as bytes with the
    /// cross-file findings' (the order is kept: a directory's names all change alike).
    @Test(arguments: [(1 << 30, 300), (64, 300)])
    func lazyLinesEqualDecodedLinesWithEscapedNames(threshold: Int, paths: Int) {
        func renamed(_ path: String) -> String {
            guard let digit = path.dropFirst(7).first?.wholeNumberValue, digit % 2 == 0 else { return path }
            return path.replacingOccurrences(of: "/新闻-", with: "/新\\闻\u{2028}\u{10FF85}-")
        }
        for seed in 0..<3 {
            var rng = SeededRandom(seed: UInt64(seed * 31 + paths))
            var corpus = Corpus(&rng, paths: paths)
            corpus.records = corpus.records.map { (renamed($0.path), $0.findings.map { var d = $0; d.path = renamed(d.path); return d }, $0.lines) }
            corpus.extras = corpus.extras.map { var d = $0; d.path = renamed(d.path); return d }
            #expect(corpus.records.contains { SystemPath.display($0.path) != $0.path })
            #expect(corpus.records.contains { SystemPath.display($0.path) == $0.path })
            for aggregate in [10, 0] {
                let expected = Self.decoded(corpus, threshold: threshold, aggregate: aggregate)
                let (written, spilledGroups) = Self.lazy(corpus, threshold: threshold, aggregate: aggregate)
                #expect(written.totals == expected.totals)
                let same = written.bytes == expected.bytes
                #expect(same, "seed \(seed) aggregate \(aggregate)")
                #expect(spilledGroups > paths / 4)
            }
        }
    }

    /// A record whose findings are not in output order is decoded and sorted, not written as it is.
    @Test func unsortedRecordIsDecoded() {
        let a = Diagnostic(rule: "b", severity: .warning, path: "p.md", line: 2, column: 1, message: "m")
        let b = Diagnostic(rule: "a", severity: .error, path: "p.md", line: 1, column: 1, message: "m")
        let spill = DiagnosticSpill()
        spill.append([a, b])
        var kinds: [String] = []
        OrderedMerge.run(spill, extras: DiagnosticRuns(), decodingFrom: 10) { merged in
            switch merged {
            case let .decoded(group, _): kinds.append("decoded \(group.map(\.line))")
            case .spilled: kinds.append("spilled")
            }
        }
        #expect(kinds == ["decoded [1, 2]"])
    }

    /// A message `displayText` changes (C1 control, plane-16 code point) is escaped when written
    /// from the spill's bytes: a literal, not the shared line code (both routes use it).
    @Test func escapedMessageFromBytes() {
        let spill = DiagnosticSpill()
        spill.append([Diagnostic(rule: "r", severity: .info, path: "新.md", line: 3, column: 0, message: "a\u{85}b\u{2028}c"),
                      Diagnostic(rule: "r", severity: .info, path: "新.md", line: 4, column: 2, message: "\"q\" \u{100000}\u{10FF85}")])
        var out = ReportBuffer()
        OrderedMerge.run(spill, extras: DiagnosticRuns(), decodingFrom: 10) { merged in
            if case let .spilled(group) = merged { ConciseReporter.appendLines(group, to: &out) }
        }
        #expect(out.text == "新.md:3:0: info: a\\xC2\\x85b\u{2028}c [r]\n新.md:4:2: info: \"q\" \u{100000}\\x85 [r]\n")
    }

    /// Equal keys: the record's finding before the cross-file one (as `OrderedMerge.merging`).
    @Test func ownBeforeExtraAmongEquals() {
        let own = Diagnostic(rule: "r", severity: .warning, path: "p.md", line: 1, column: 1, message: "m")
        var extra = own
        extra.severity = .error
        let spill = DiagnosticSpill()
        spill.append([own])
        let runs = DiagnosticRuns()
        runs.add(contentsOf: [extra])
        var out = ReportBuffer()
        OrderedMerge.run(spill, extras: runs, decodingFrom: 10) { merged in
            if case let .spilled(group) = merged { ConciseReporter.appendLines(group, to: &out) }
        }
        #expect(out.text == "p.md:1:1: warning: m [r]\np.md:1:1: error: m [r]\n")
    }
}

/// The CLI's lazy route (concise, nothing else looking at the findings) against its decoded
/// route (an empty `--baseline` keeps the findings decoded without hiding any), cold and warm,
/// in memory and through the temporary file; `--summary` and `--statistics` keep their own output.
@Suite struct LazyOutputCLITests {
    @Test func warmConciseEqualsDecodedAndUncached() throws {
        let dir = TemporaryDirectory()
        let texts = ["# 标题\n\nSome text with trailing space   \nline\twith tab\r\nzero\u{200B}width\n",
                     "# Title\n\n<div>unclosed\n\n“quote” and \"quote\"   \n\u{85}NEL line\n",
                     "plain line\n"]
        for i in 0..<24 { dir.write("news/d\(i % 3)/a\(i).md", texts[i % texts.count] + (i % 4 == 0 ? "" : "unique \(i)\n")) }
        dir.write("empty.json", Baseline(entries: [], pathBase: .workingDirectory).serialized())
        for env in [[:], ["NEWSLINT_SPILL_BYTES": "0"]] {
            let cache = ["--cache-dir", dir.path + "/cache-\(env.count)"]
            let base = ["--no-config", "--format", "concise", "--jobs", "2"]
            let uncached = CLIRun.run(base + ["--no-cache", "news"], cwd: dir.path, env: env)
            let decoded = CLIRun.run(base + ["--no-cache", "--baseline", "empty.json", "news"], cwd: dir.path, env: env)
            let cold = CLIRun.run(base + cache + ["news"], cwd: dir.path, env: env)
            let warm = CLIRun.run(base + cache + ["news"], cwd: dir.path, env: env)
            let warmDecoded = CLIRun.run(base + cache + ["--baseline", "empty.json", "news"], cwd: dir.path, env: env)
            #expect(!uncached.stdout.isEmpty)
            for run in [decoded, cold, warm, warmDecoded] {
                #expect(run.stdout == uncached.stdout)
                #expect(run.status == uncached.status)
            }
            let summary = CLIRun.run(base + cache + ["--summary", "news"], cwd: dir.path, env: env)
            let summaryUncached = CLIRun.run(base + ["--no-cache", "--summary", "news"], cwd: dir.path, env: env)
            #expect(summary.stdout.hasPrefix(uncached.stdout))
            #expect(summary.stdout == summaryUncached.stdout && summary.status == summaryUncached.status)
            let statistics = CLIRun.run(base + cache + ["--statistics", "news"], cwd: dir.path, env: env)
            let statisticsUncached = CLIRun.run(base + ["--no-cache", "--statistics", "news"], cwd: dir.path, env: env)
            #expect(statistics.stdout == statisticsUncached.stdout && statistics.status == statisticsUncached.status)
            #expect(statistics.status == uncached.status)
        }
    }
}

/// Cases a review found the lazy route getting wrong, each against the decoded route, and both
/// against an expected stream built without `OrderedMerge` (per path in byte order, a stable
/// sort of its own and cross-file findings).
@Suite struct LazyOutputEdgeTests {
    static func decodedLines(_ spill: DiagnosticSpill, _ runs: DiagnosticRuns, aggregate: Int = 0) -> (String, ReportTotals, Bool) {
        var out = ReportBuffer(); var totals = ReportTotals()
        var context = ReportContext(catalog: .builtin); context.aggregateThreshold = aggregate
        let reporter = ConciseReporter()
        let complete = OrderedMerge.run(spill, extras: runs) { group, _ in
            guard !group.isEmpty else { return }
            totals.add(contentsOf: group); totals.files += 1
            reporter.file(group, context: context, into: &out)
        }
        return (out.text, totals, complete)
    }
    static func lazyLines(_ spill: DiagnosticSpill, _ runs: DiagnosticRuns, aggregate: Int = 0) -> (String, ReportTotals, Bool) {
        var out = ReportBuffer(); var totals = ReportTotals()
        var context = ReportContext(catalog: .builtin); context.aggregateThreshold = aggregate
        let reporter = ConciseReporter()
        let complete = OrderedMerge.run(spill, extras: runs, decodingFrom: aggregate > 1 ? aggregate : Int.max) { merged in
            switch merged {
            case let .decoded(group, _):
                guard !group.isEmpty else { return }
                totals.add(contentsOf: group); totals.files += 1
                reporter.file(group, context: context, into: &out)
            case let .spilled(group):
                totals.add(group); totals.files += 1
                ConciseReporter.appendLines(group, to: &out)
            }
        }
        return (out.text, totals, complete)
    }

    static func spillWithBadRecord(goodBefore: Int, big: Bool) -> DiagnosticSpill {
        let spill = DiagnosticSpill(threshold: 1 << 30)
        let msg = big ? String(repeating: "x", count: 400) : "m"
        for i in 0..<goodBefore {
            let p = String(format: "a%05d.md", i)
            spill.append([Diagnostic(rule: "r", severity: .warning, path: p, line: 1, column: 1, message: msg + "\(i)")])
        }
        var bad = FileOutcome(path: "b.md", diagnostics: [], facts: [], byteCount: 0, fix: nil, ioFailure: false)
        bad.spilledDiagnostics = SpilledDiagnostics(bytes: [0x05], count: 1)
        spill.append(bad)
        spill.append([Diagnostic(rule: "r", severity: .warning, path: "c.md", line: 1, column: 1, message: "after")])
        return spill
    }

    /// Records before a malformed one are all written (up to a batch of them were dropped).
    @Test(arguments: [(3, false), (300, true)])
    func malformedRecordSameOutput(goodBefore: Int, big: Bool) {
        let d = Self.decodedLines(Self.spillWithBadRecord(goodBefore: goodBefore, big: big), DiagnosticRuns())
        let l = Self.lazyLines(Self.spillWithBadRecord(goodBefore: goodBefore, big: big), DiagnosticRuns())
        #expect(!d.2 && !l.2)
        #expect(d.0 == l.0)
        #expect(d.1 == l.1)
    }

    /// Non-ASCII rule ids, where `String` `==` and `<` are not a total order: the lazy merge must ask
    /// the question the decoded merge asks (does the cross-file finding precede the own one?).
    @Test func canonicalRulesOrder() {
        let own = [Diagnostic(rule: "e\u{301}", severity: .error, path: "p.md", line: 1, column: 1, message: "n"),
                   Diagnostic(rule: "\u{e9}a", severity: .warning, path: "p.md", line: 1, column: 1, message: "n")]
        let extras = [Diagnostic(rule: "\u{e9}a", severity: .warning, path: "p.md", line: 1, column: 1, message: "n")]
        func make() -> (DiagnosticSpill, DiagnosticRuns) {
            let s = DiagnosticSpill(); s.append(own)
            let r = DiagnosticRuns(); r.add(contentsOf: extras)
            return (s, r)
        }
        let a = make(), b = make()
        let d = Self.decodedLines(a.0, a.1), l = Self.lazyLines(b.0, b.1)
        #expect(d.0 == l.0)
    }

    /// Cross-file findings at negative positions reach the cursor out of order: merged as the decoded route does.
    @Test func negativeExtraPositions() {
        func make() -> (DiagnosticSpill, DiagnosticRuns) {
            let s = DiagnosticSpill()
            s.append([Diagnostic(rule: "r", severity: .warning, path: "p.md", line: 0, column: 3, message: "own")])
            let runs = DiagnosticRuns()
            runs.add(contentsOf: [Diagnostic(rule: "r", severity: .error, path: "p.md", line: -1, column: 5, message: "x"),
                                  Diagnostic(rule: "r", severity: .error, path: "p.md", line: 0, column: 2, message: "y")])
            return (s, runs)
        }
        let a = make(), b = make()
        let d = Self.decodedLines(a.0, a.1), l = Self.lazyLines(b.0, b.1)
        #expect(d.0 == l.0)
    }

    /// The expected stream made without `Merging`: per path (byte order), a stable sort of its own and cross-file findings.
    @Test(arguments: [0, 1, 2, 3, 4, 5])
    func oracle(seed: Int) {
        var rng = SeededRandom(seed: UInt64(11 + seed))
        var paths = (0..<400).map { "d\($0 % 7)/f\($0).md" } + ["é.md", "e\u{301}.md", "Z.md", "z.md"]
        paths.sort { $0.bytesPrecede($1) }
        let rules = ["a", "b", "c"]
        var records: [(String, [Diagnostic])] = []
        var extras: [Diagnostic] = []
        func f(_ p: String) -> Diagnostic {
            Diagnostic(rule: rng.pick(rules), severity: rng.pick([.info, .warning, .error]), path: p,
                       line: rng.below(3), column: rng.below(3), message: rng.pick(["m", "n", "a\u{85}", String(repeating: "长", count: 200)]),
                       fix: rng.chance(0.3) ? Fix(rng.chance(0.5) ? .safe : .unsafe, "d", edits: []) : nil)
        }
        for p in paths {
            if rng.chance(0.2) { for _ in 0..<rng.pick([1, 2, 5, 40]) { extras.append(f(p)) } }
            if rng.chance(0.8) {
                for _ in 0..<(rng.chance(0.05) ? 2 : 1) {
                    var own = (0..<rng.pick([0, 1, 2, 5, 9, 40])).map { _ in f(p) }
                    if rng.chance(0.8) { own.sort(by: Diagnostic.outputOrder) }
                    records.append((p, own))
                }
            }
        }
        func make() -> (DiagnosticSpill, DiagnosticRuns) {
            let s = DiagnosticSpill(threshold: seed % 2 == 0 ? 512 : 1 << 30)
            for r in records { s.append(r.1, lines: r.1.isEmpty ? [1: "x"] : [:], path: r.0) }
            let runs = DiagnosticRuns(runLength: 5); runs.add(contentsOf: extras)
            return (s, runs)
        }
        let cursor = make().1.makeCursor()
        var extrasInOrder: [Diagnostic] = []
        while let d = cursor.next() { extrasInOrder.append(d) }
        var expected = ""
        for p in paths {
            let own = records.filter { $0.0.hasSameBytes(as: p) }.flatMap { $0.1 }
            let ex = extrasInOrder.filter { $0.path.hasSameBytes(as: p) }
            let all = (own + ex).enumerated().sorted { x, y in
                let c = Diagnostic.outputComparison(x.element, y.element)
                return c != 0 ? c < 0 : x.offset < y.offset
            }.map(\.element)
            for d in all { expected += ConciseReporter.line(d) + "\n" }
        }
        let a = make(), b = make()
        let d = Self.decodedLines(a.0, a.1), l = Self.lazyLines(b.0, b.1)
        #expect(d.0 == expected)
        #expect(l.0 == expected)
    }
}
