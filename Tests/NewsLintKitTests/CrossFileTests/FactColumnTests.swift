import Foundation
import Testing
import Synchronization
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Cross-file facts kept as compact records that spill to a temporary file: the reduce phase
/// reads them back in path order and finds exactly what it found over facts held as values.
@Suite struct FactColumnTests {
    @Test func spillLogReadsRecordsBackInAnyOrder() {
        func record(_ i: Int) -> [UInt8] { (0..<(i % 37)).map { UInt8(truncatingIfNeeded: $0 &+ i) } }
        for budget in [0, 7, 1 << 20] {
            let log = SpillLog(budget: budget)
            let ranges = (0..<500).map { log.append(record($0)) }
            #expect(log.usedFile == (budget < 1 << 20), "budget \(budget)")
            for i in [499, 0, 250, 251, 3, 498] + Array(0..<500) {
                #expect((try? log.withBytes(ranges[i]) { Array($0) }) == record(i), "budget \(budget), record \(i)")
            }
        }
    }

    /// Front-coded paths read back byte for byte, across restart points, with non-UTF-8 names.
    @Test func pathListReadsBackEveryPath() {
        let odd = SystemPath.decode([0x61, 0xB7, 0x2E, 0x6D, 0x64])
        var paths = (0..<40).map { "corpus/2024-11-\($0 / 10)\($0 % 10)-新聞-\($0 % 3).md" }
        paths += ["corpus/z", "corpus/z/" + odd, "d", "é.md", ""]
        let list = PathList(paths)
        #expect(Array(list) == paths)
        #expect(list.count == paths.count)
        #expect(list[17] == paths[17] && list[16] == paths[16] && list[44] == "")
        #expect(!list.isStrictlyIncreasing)
        #expect(PathList(["a", "a/b", "ab", "b"]).isStrictlyIncreasing)
        #expect(!PathList(["a", "a"]).isStrictlyIncreasing)
        #expect(!PathList(["b", "a"]).isStrictlyIncreasing)
    }

    /// Paths fill many fixed-size blocks: every path reads back, whether its restart group lies in
    /// one block, runs on into the next, or is longer than a block; appending to a copy leaves
    /// the original as it was.
    @Test func pathListReadsBackAcrossBlocks() {
        var paths = (0..<6_000).map { "corpus/copy-\($0 / 1_000)/2024-11-\($0 % 30)-" + String(repeating: "新聞", count: $0 % 23) + "-\($0).md" }
        paths.insert("corpus/long/" + String(repeating: "長", count: 30_000), at: 3_001)
        let list = PathList(paths)
        #expect(list.byteCount > 3 << 16)
        #expect(list.count == paths.count)
        for i in paths.indices where list[i] != paths[i] {
            Issue.record("path \(i) reads back as \(list[i].prefix(80))")
            break
        }
        var copy = list
        copy.append("zz")
        #expect(copy.count == list.count + 1 && copy[list.count] == "zz" && copy[list.count - 1] == paths[paths.count - 1])
        #expect(Array(list) == paths)
    }

    /// Past its memory budget a list moves finished blocks to its temporary file: every path still
    /// reads back, in order, out of order and from several threads at once, and a copy appending
    /// after the original spilled (the file is shared) leaves both lists right.
    @Test func pathListSpillsBlocksPastItsBudget() {
        let paths = (0..<6_000).map { "corpus/copy-\($0 / 1_000)/2024-11-\($0 % 30)-" + String(repeating: "新聞", count: $0 % 23) + "-\($0).md" }
        let whole = PathList(paths)
        #expect(!whole.usedFile)
        for budget in [0, 1 << 16] {
            var list = PathList(memoryBudget: budget)
            for p in paths { list.append(p) }
            #expect(list.usedFile, "budget \(budget)")
            #expect(list.byteCount < whole.byteCount, "budget \(budget)")
            #expect(list == whole)
            for i in [5_999, 0, 3_000, 17, 4_321, 5_998, 1] { #expect(list[i] == paths[i], "budget \(budget), path \(i)") }
            let mismatches = Mutex(0), shared = list
            DispatchQueue.concurrentPerform(iterations: 4) { k in
                let wrong = stride(from: k, to: paths.count, by: 4).filter { shared[$0] != paths[$0] }.count
                mismatches.withLock { $0 += wrong }
            }
            #expect(mismatches.withLock { $0 } == 0, "budget \(budget)")
            var copy = list
            let more = (0..<2_000).map { "corpus/later/" + String(repeating: "報", count: $0 % 41) + "-\($0)" }
            for p in more { copy.append(p) }
            list.append("zz")
            #expect(Array(copy) == paths + more, "budget \(budget)")
            #expect(Array(list) == paths + ["zz"], "budget \(budget)")
        }
    }

    /// A block of paths that cannot be read back (the temporary file damaged under the process)
    /// reads as a name no file has, and the list, the run's inputs and so the run say why: the run
    /// is then an I/O failure instead of findings that quietly name no file.
    @Test func pathsThatCannotBeReadBackAreReported() {
        var template = Array((NSTemporaryDirectory() + "/newslint-test-paths-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { p in p.baseAddress.map { mkstemp($0) } ?? -1 }
        #expect(fd >= 0)
        let file = template.withUnsafeBufferPointer { p in p.baseAddress.map { String(cString: $0) } ?? "" }
        defer { unlink(file) }
        let paths = (0..<6_000).map { "corpus/" + String(repeating: "新聞", count: $0 % 23) + "-\($0).md" }
        var list = PathList(memoryBudget: 0, createSpillFile: { (fd, file) })
        for p in paths { list.append(p) }
        #expect(list.usedFile)
        #expect(list[0] == paths[0] && list[1_000] == paths[1_000])
        #expect(list.readFailure == nil)
        #expect(truncate(file, 0) == 0)
        #expect(list[3_000].hasPrefix("<path 3000 lost"))
        #expect(list[0] == paths[0], "a window read before the damage is kept")
        #expect(list.readFailure?.contains("cannot read back the names of the files") == true)
        #expect(LintInputList(files: list).pathReadFailure == list.readFailure)
    }

    /// A small corpus on which every built-in cross-file rule reports something.
    static func corpus() -> [Document] {
        let article = NearDuplicateTests.article, other = NearDuplicateTests.otherSameTopic
        var files: [(String, String)] = []
        for k in 0..<6 {
            var edited = article
            edited[k % article.count] = NearDuplicateTests.rewritten
            files.append(("news/near-\(k).md", "---\ntitle: 教学比赛 - 校园新闻网\ndate: 2023-05-12\nslug: s\(k % 3)\n---\n" + edited.joined(separator: "\n\n")
                          + "\n\n本文来源：外国语学院新闻中心，转载请注明出处。\n"))
        }
        for k in 0..<4 {
            files.append(("news/copy-\(k).md", "---\ntitle: 讲课比赛 - 校园新闻网\n---\n" + other.joined(separator: "\n\n")
                          + "\n\n本文来源：外国语学院新闻中心，转载请注明出处。\n"))
        }
        for k in 0..<5 {
            files.append(("news/stub-\(k).md", "---\ntitle: 通知\(k)\n---\n内容正在更新中，敬请期待后续报道。\n"))
        }
        return files.map { Document(path: $0.0, text: $0.1) }
    }

    static let rules: [any CrossFileRule.Type] = [ContentDuplicateRule.self, ContentNearDuplicateRule.self, SlugDuplicateRule.self,
                                                 BoilerplateRepeatedRule.self, TitleRepeatedAffixRule.self, BodyPlaceholderRule.self]

    @Test func spilledColumnsFindWhatFactValuesFind() throws {
        let documents = Self.corpus()
        for type in Self.rules {
            let rule = try type.erased(options: RuleOptions())
            let facts = documents.compactMap { d in rule.collectErased(d, environment: LintEnvironment()).map { (path: d.path, fact: $0) } }
            let sorted = facts.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            let expected = rule.finishErased(sorted, id: type.id, severity: .warning, environment: LintEnvironment()).sorted(by: Diagnostic.outputOrder)
            #expect(!expected.isEmpty, "\(type.id) reports on the test corpus")
            // Delivered in path order and in reverse (inputs not sorted), in memory and spilled.
            for delivery in [sorted, sorted.reversed()] {
                for budget in [0, 1 << 20] {
                    let column = rule.makeFactColumn(memoryBudget: budget)
                    for (i, f) in delivery.enumerated() { column.append(file: i, fact: f.fact) }
                    #expect(column.count == delivery.count)
                    let found = column.finish(paths: FactPaths(PathList(delivery.map(\.path))), id: type.id, severity: .warning, environment: LintEnvironment(), into: nil)
                    #expect(found.sorted(by: Diagnostic.outputOrder) == expected, "\(type.id), budget \(budget)")
                }
                // Files without this rule's fact from the third on: the column lists its facts' files.
                var paths: [String] = []
                let column = rule.makeFactColumn(memoryBudget: 1 << 20)
                for (i, f) in delivery.enumerated() {
                    if i >= 2 { paths.append(f.path + "~without-fact") }
                    column.append(file: paths.count, fact: f.fact)
                    paths.append(f.path)
                }
                #expect((0..<column.count).map { paths[column.entry($0).file] } == delivery.map(\.path))
                let found = column.finish(paths: FactPaths(PathList(paths)), id: type.id, severity: .warning, environment: LintEnvironment(), into: nil)
                #expect(found.sorted(by: Diagnostic.outputOrder) == expected, "\(type.id), files without facts")
            }
        }
    }

    /// The CLI with every fact spilled (`NEWSLINT_FACT_SPILL_BYTES=0`) prints the same bytes, for any `--jobs`.
    @Test func spilledFactsKeepCLIOutput() throws {
        let dir = TemporaryDirectory()
        ScaleCorpus.write(into: dir, count: 120)
        for d in Self.corpus() { _ = dir.write("news/x/" + (d.path as NSString).lastPathComponent, String(decoding: d.bytes, as: UTF8.self)) }
        Self.expectSameOutputSpilled(in: dir, reporting: "content-near-duplicate", env: ["NEWSLINT_FACT_SPILL_BYTES": "0"])
    }

    /// Every reduce run alone (`NEWSLINT_REDUCE_ALONE_BYTES=0`: none beside another) prints the same
    /// bytes as reduces on two threads, for any `--jobs`.
    @Test func reducesRunAloneKeepCLIOutput() throws {
        let dir = TemporaryDirectory()
        ScaleCorpus.write(into: dir, count: 120)
        for d in Self.corpus() { _ = dir.write("news/x/" + (d.path as NSString).lastPathComponent, String(decoding: d.bytes, as: UTF8.self)) }
        Self.expectSameOutputSpilled(in: dir, reporting: "content-near-duplicate", env: ["NEWSLINT_REDUCE_ALONE_BYTES": "0"])
    }

    /// The JSON output over `news` in `dir` with `env` (what goes to the temporary file) is the same
    /// bytes and exit status as without it, for `--jobs` 1 and 3; `rule` reports something there.
    static func expectSameOutputSpilled(in dir: TemporaryDirectory, reporting rule: String, env: [String: String]) {
        let args = ["--no-config", "--no-cache", "--format", "json", "news"]
        let plain = CLIRun.run(args, cwd: dir.path)
        #expect(plain.stdout.contains(rule))
        for jobs in ["1", "3"] {
            let spilled = CLIRun.run(args + ["--jobs", jobs], cwd: dir.path, env: env)
            #expect(spilled.stdout == plain.stdout, "jobs \(jobs)")
            #expect(spilled.status == plain.status)
        }
    }

    /// The CLI with found paths moved to the temporary file (`NEWSLINT_PATH_SPILL_BYTES=0`): 900
    /// names of ~190 bytes fill three 64 KB blocks, two of them on disk, and content-duplicate's
    /// messages name other files out of order; the output is the same bytes, for any `--jobs`.
    @Test func spilledPathsKeepCLIOutput() throws {
        let dir = TemporaryDirectory()
        let body = "---\ntitle: 通知\n---\n" + NearDuplicateTests.article.joined(separator: "\n\n") + "\n"
        for k in 0..<900 { _ = dir.write("news/\(k)-" + String(repeating: "新聞報道", count: 15) + ".md", body) }
        Self.expectSameOutputSpilled(in: dir, reporting: "content-duplicate", env: ["NEWSLINT_PATH_SPILL_BYTES": "0"])
    }

    /// Cache hits hand the columns the cache's bytes (not encoded again): a warm run, its facts in
    /// memory or all spilled, prints what the cold run printed.
    @Test func cachedFactBytesKeepCLIOutput() throws {
        let dir = TemporaryDirectory()
        ScaleCorpus.write(into: dir, count: 120)
        for d in Self.corpus() { _ = dir.write("news/x/" + (d.path as NSString).lastPathComponent, String(decoding: d.bytes, as: UTF8.self)) }
        let cache = TemporaryDirectory()
        let args = ["--no-config", "--format", "json", "news"]
        let cold = CLIRun.run(args, cwd: dir.path, env: ["NEWSLINT_CACHE_DIR": cache.path])
        #expect(cold.stdout.contains("content-near-duplicate"))
        for budget in ["0", "1048576"] {
            let warm = CLIRun.run(args, cwd: dir.path, env: ["NEWSLINT_CACHE_DIR": cache.path, "NEWSLINT_FACT_SPILL_BYTES": budget])
            #expect(warm.stdout == cold.stdout, "budget \(budget)")
            #expect(warm.status == cold.status)
        }
    }
}
