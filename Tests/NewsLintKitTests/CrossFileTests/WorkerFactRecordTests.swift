import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// Cross-file facts written as record bytes on the pass's worker (`collectRecordErased`,
/// `FileFactRecords`) against the path they replace, spelled simply: the fact collected boxed
/// (`collectErased`), then encoded (`encodeCachedFact`) at delivery and again for the cache.
@Suite struct WorkerFactRecordTests {
    /// Seeded documents: the fact-column corpus (every rule collects on it) with random cuts,
    /// joins, front matter and edge bytes, so facts are absent, empty and large.
    static func documents(seed: UInt64, count: Int) -> [Document] {
        let base = FactColumnTests.corpus()
        var rng = SeededRandom(seed: seed)
        var out = base
        let pieces = ["", "\n", "---\n", "title: 通知 - 校园新闻网\n", "slug: s1\n", "date: 2023-01-02\n", "\r\n", "\u{FEFF}",
                      "内容正在更新中，敬请期待。\n", "本文来源：外国语学院新闻中心，转载请注明出处。\n", "![图](http://x.cn/a.jpg)\n",
                      "<p>正文</p>\n", "# 标题\n", String(repeating: "长句子，", count: 300) + "\n", "\u{0}", "é\u{301}\n"]
        for k in 0..<count {
            var text = ""
            if rng.chance(0.5) {
                let d = rng.pick(base)
                let t = String(decoding: d.bytes, as: UTF8.self)
                let cut = rng.below(t.utf8.count + 1)
                text = String(decoding: Array(t.utf8.prefix(cut)), as: UTF8.self)
            }
            for _ in 0..<rng.below(8) { text += rng.pick(pieces) }
            if rng.chance(0.3) { text = "---\ntitle: 新闻\(rng.below(5))\nslug: s\(rng.below(3))\n---\n" + text }
            out.append(Document(path: "news/seeded-\(seed)-\(k)\(rng.chance(0.3) ? ".html" : ".md")", text: text))
        }
        return out
    }

    /// For every built-in rule whose facts have a record form, and a custom one without: the bytes
    /// the worker writes are the boxed fact's `encodeCachedFact`, after what the buffer already
    /// held; its quoted line is `quotedLineErased` of the boxed fact; a fact without a record form
    /// comes back boxed (the old path) with nothing written, and no fact writes nothing.
    @Test(arguments: [UInt64(1), 2, 3])
    func recordsWrittenOnTheWorkerAreTheBoxedFactsEncoded(seed: UInt64) throws {
        let documents = Self.documents(seed: seed, count: 120)
        let types: [any CrossFileRule.Type] = FactColumnTests.rules + [FactRecordTests.PlainRule.self]
        for type in types {
            let rule = try type.erased(options: RuleOptions())
            let hasRecordForm = type != FactRecordTests.PlainRule.self
            var written = 0
            for d in documents {
                let boxed = rule.collectErased(d, environment: LintEnvironment())
                var writer = FactRecordWriter()
                let prefix: [UInt8] = [7, 0, 0x80]
                writer.bytes = prefix
                var line: Int? = -5
                var unrecorded: [(rule: Int, fact: any Sendable)] = []
                rule.collectRecordErased(d, environment: LintEnvironment(), index: 3, into: &writer, quotedLine: &line, unrecorded: &unrecorded)
                #expect(Array(writer.bytes.prefix(3)) == prefix, "\(type.id) \(d.path)")
                guard let boxed else {
                    #expect(writer.bytes == prefix && unrecorded.isEmpty && line == -5, "\(type.id) \(d.path)")
                    continue
                }
                if hasRecordForm {
                    #expect(Array(writer.bytes.dropFirst(3)) == (try rule.encodeCachedFact(boxed)), "\(type.id) \(d.path)")
                    #expect(line == rule.quotedLineErased(boxed), "\(type.id) \(d.path)")
                    #expect(unrecorded.isEmpty, "\(type.id) \(d.path)")
                    written += 1
                } else {
                    #expect(writer.bytes == prefix, "\(type.id) \(d.path)")
                    #expect(unrecorded.count == 1 && unrecorded.first?.rule == 3, "\(type.id) \(d.path)")
                    if let back = unrecorded.first { #expect(try rule.encodeFact(back.fact) == rule.encodeFact(boxed)) }
                }
            }
            #expect(!hasRecordForm || written > 0, "\(type.id) writes records on the seeded corpus")
        }
    }

    /// A file's records and their index read back as written, for every set of rules up to the
    /// index's capacity and records of any length (empty ones are not records).
    @Test func fileRecordsReadBackAsWritten() {
        var rng = SeededRandom(seed: 77)
        for _ in 0..<400 {
            var writer = FactRecordWriter(reservingCapacity: rng.below(3) == 0 ? 0 : 64)
            var builder = FileFactRecords.Builder()
            var expected: [(Int, [UInt8])] = []
            for rule in 0..<FileFactRecords.capacity {
                let start = writer.bytes.count
                let length = rng.chance(0.3) ? 0 : rng.below(rng.chance(0.1) ? 3000 : 40)
                for _ in 0..<length { writer.byte(UInt8(truncatingIfNeeded: rng.next())) }
                let noted = builder.noteRecord(rule: rule, from: start, in: writer)
                #expect(noted == (length > 0))
                if length > 0 { expected.append((rule, Array(writer.bytes[start...]))) }
            }
            let records = builder.seal(&writer)
            #expect(writer.bytes.isEmpty)
            #expect(records.isEmpty == expected.isEmpty)
            var read: [(Int, [UInt8])] = []
            records.forEach { read.append(($0, Array($1))) }
            #expect(read.map(\.0) == expected.map(\.0))
            #expect(read.map(\.1) == expected.map(\.1))
            #expect(records.pairs.map(\.rule) == expected.map(\.0))
        }
    }

    /// A run with the cache: each file's cache entry holds, in rule order, exactly what the boxed
    /// path encoded for the cache (so caches written before and after read alike), and the facts
    /// a linted outcome gives (`Linter.facts(of:)`) are the boxed facts.
    @Test func cacheEntriesAndOutcomeFactsAreTheBoxedPaths() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 60, seed: 9)
        for (k, d) in FactColumnTests.corpus().enumerated() {
            dir.write("corpus/\(k).md", String(decoding: d.bytes, as: UTF8.self))
        }
        let all = paths + FactColumnTests.corpus().indices.map { "corpus/\($0).md" }
        let cacheDir = dir.path + "/.cache"
        let later = Int64(Date().timeIntervalSince1970) + 10
        let cache = try #require(LintCache.open(directory: cacheDir, key: 5, now: later))
        let linter = try Linter.forTest(root: dir.path, catalog: .builtin, jobs: 2, cache: cache, config: "{}")
        let crossFile = linter.baseRules.crossFile
        #expect(crossFile.count >= 6)
        let result = linter.lint(all.map { .file($0) })
        try cache.save()
        let reopened = try #require(LintCache.open(directory: cacheDir, key: 5, now: later))
        // The pass leaves lines pack rules reported out of the facts (as `Linter.outcome` does).
        let packRules = Set(["boilerplate"] + Catalog.builtin.rules.filter { $0.family == "pack" }.map(\.id))
        var checked = 0
        for (outcome, path) in zip(result.files, all) {
            #expect(outcome.path == path)
            let document = Document(path: path, bytes: dir.read(path))
            var environment = linter.environment
            for d in outcome.diagnostics where packRules.contains(d.rule) { environment.linesReportedByPacks.insert(d.line) }
            let boxed = crossFile.indices.compactMap { i in crossFile[i].rule.collectErased(document, environment: environment).map { (i, $0) } }
            let expected = try boxed.map { (crossFile[$0.0].id, try crossFile[$0.0].rule.encodeCachedFact($0.1)) }
            let entry = try #require(reopened.entry(for: dir.path + "/" + path, displayPath: path))
            #expect(entry.facts.map(\.rule) == expected.map(\.0), "\(path)")
            #expect(entry.facts.map { Array($0.data) } == expected.map(\.1), "\(path)")
            let facts = try linter.facts(of: outcome)
            #expect(facts.map(\.rule) == boxed.map(\.0), "\(path)")
            for (f, b) in zip(facts, boxed) {
                #expect(try crossFile[f.rule].rule.encodeFact(f.fact) == crossFile[b.0].rule.encodeFact(b.1), "\(path)")
            }
            if !expected.isEmpty { checked += 1 }
        }
        #expect(checked > 50)
    }
    /// A file's facts collected over a rule list mixing rules with a record form, rules without
    /// one (before and between them) and more rules than the records' index holds: records for
    /// exactly the recorded rules below `FileFactRecords.capacity`, every other fact boxed in rule
    /// order, the quoted lines of the records, and a cache form that is every fact encoded the old
    /// way, in rule order.
    @Test(arguments: [UInt64(4), 5])
    func mixedRuleListsCollectAsTheBoxedPath(seed: UInt64) throws {
        let recorded = try FactColumnTests.rules.map { try $0.erased(options: RuleOptions()) }
        let plain = try FactRecordTests.PlainRule.erased(options: RuleOptions())
        // Index: 0 recorded, 1 plain, 2…6 recorded, 7 plain, 8 and 9 past the index's capacity.
        let rules: [any ErasedCrossFileRule] = [recorded[0], plain] + recorded.dropFirst().prefix(5) + [plain, recorded[0], plain]
        #expect(rules.count > FileFactRecords.capacity)
        let hasRecordForm = rules.indices.map { $0 < FileFactRecords.capacity && ![1, 7].contains($0) }
        var recordsSeen = 0
        for d in Self.documents(seed: seed, count: 80) {
            var collector = FileFactRecords.Collector(reservingCapacity: seed % 2 == 0 ? 0 : 960, capturingLines: true)
            var environment = LintEnvironment()
            for (i, rule) in rules.enumerated() {
                collector.collect(rule, index: i, document: d, environment: &environment)
            }
            let expected = rules.indices.compactMap { i in rules[i].collectErased(d, environment: LintEnvironment()).map { (i, $0) } }
            let records = collector.records()
            var read: [(Int, [UInt8])] = []
            records.forEach { read.append(($0, Array($1))) }
            let expectedRecords = expected.filter { hasRecordForm[$0.0] }
            #expect(read.map(\.0) == expectedRecords.map(\.0), "\(d.path)")
            #expect(read.map(\.1) == (try expectedRecords.map { try rules[$0.0].encodeCachedFact($0.1) }), "\(d.path)")
            #expect(collector.quotedLines == expectedRecords.compactMap { rules[$0.0].quotedLineErased($0.1) }, "\(d.path)")
            let expectedBoxed = expected.filter { !hasRecordForm[$0.0] }
            #expect(collector.boxed.map(\.rule) == expectedBoxed.map(\.0), "\(d.path)")
            for (f, e) in zip(collector.boxed, expectedBoxed) {
                #expect(try rules[f.rule].encodeFact(f.fact) == rules[e.0].encodeFact(e.1), "\(d.path)")
            }
            let cacheForm = try #require(FileFactRecords.cacheForm(records: records, boxed: collector.boxed,
                                                                   encode: { try? rules[$0].encodeCachedFact($1) }))
            #expect(cacheForm.map(\.rule) == expected.map(\.0), "\(d.path)")
            #expect(cacheForm.map { Array($0.bytes) } == (try expected.map { try rules[$0.0].encodeCachedFact($0.1) }), "\(d.path)")
            // A boxed fact that cannot be encoded leaves the file out of the cache.
            if !collector.boxed.isEmpty {
                #expect(FileFactRecords.cacheForm(records: records, boxed: collector.boxed, encode: { _, _ in nil }) == nil)
            }
            if !read.isEmpty { recordsSeen += 1 }
        }
        #expect(recordsSeen > 20)

    }
}
