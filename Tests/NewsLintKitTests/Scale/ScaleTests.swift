import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite struct ScaleShardTests {
    @Test func parsesShardSpecs() {
        #expect(Shard.parse("1/4") == Shard(index: 0, count: 4))
        #expect(Shard.parse("4/4") == Shard(index: 3, count: 4))
        for bad in ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "-1/2", ""] { #expect(Shard.parse(bad) == nil, "\(bad)") }
    }

    @Test func autoReadsKubernetesAndSlurm() throws {
        #expect(try Shard.auto(environment: ["JOB_COMPLETION_INDEX": "2"], count: 5) == Shard(index: 2, count: 5))
        #expect(throws: UsageError.self) { try Shard.auto(environment: ["JOB_COMPLETION_INDEX": "2"], count: nil) }
        #expect(throws: UsageError.self) { try Shard.auto(environment: ["JOB_COMPLETION_INDEX": "5"], count: 5) }
        let slurm = ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try Shard.auto(environment: slurm, count: nil) == Shard(index: 2, count: 4))
        #expect(try Shard.auto(environment: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "2"], count: nil) == Shard(index: 0, count: 2))
        #expect(throws: UsageError.self) { try Shard.auto(environment: [:], count: 3) }
    }

    @Test func everyFileBelongsToExactlyOneShardWhateverTheSpelling() {
        let root = "/corpus"
        for i in 0..<500 {
            let location = "/corpus/a/\(i).md"
            let owners = (0..<4).filter { Shard(index: $0, count: 4).contains(location: location, root: root) }
            #expect(owners.count == 1)
            // The same file reached through ./ or .. lands in the same shard, and the root itself does not matter.
            #expect(Shard(index: owners[0], count: 4).contains(location: "/corpus/./b/../a/\(i).md", root: root))
            #expect(Shard(index: owners[0], count: 4).contains(location: "/elsewhere/a/\(i).md", root: "/elsewhere/"))
        }
        // Shares are roughly balanced.
        let sizes = (0..<4).map { k in (0..<4000).filter { Shard(index: k, count: 4).contains(location: "/c/\($0).md", root: "/c") }.count }
        #expect(sizes.allSatisfy { $0 > 850 && $0 < 1150 }, "\(sizes)")
    }

    /// Lints the corpus once, and as 4 shards whose facts go through the JSON-lines file and `merge`:
    /// per-file diagnostics of the shards plus the merged cross-file ones equal the single run exactly.
    @Test func fourShardsPlusMergeEqualOneRun() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 240)
        let catalog = try TestDuplicateSlugRule.catalog()
        let single = try Linter.forTest(root: dir.path, catalog: catalog, jobs: 2)
        let expected = single.lint(paths.map { .file($0) }).diagnostics
        #expect(expected.contains { $0.rule == TestDuplicateSlugRule.id })
        #expect(expected.contains { $0.rule == "trailing-whitespace" })

        var perFile: [Diagnostic] = []
        var factsFiles: [(name: String, facts: FactsFile)] = []
        var seen = 0
        for k in 0..<4 {
            let shard = Shard(index: k, count: 4)
            let mine = paths.filter { shard.contains(location: dir.path + "/" + $0, root: dir.path) }
            seen += mine.count
            let linter = try Linter.forTest(root: dir.path, catalog: catalog, jobs: 1 + k % 2, finishCrossFile: false)
            let result = linter.lint(mine.map { .file($0) })
            #expect(!result.diagnostics.contains { $0.rule == TestDuplicateSlugRule.id })
            perFile += result.diagnostics
            let bytes = try FactsFile.collect(result.files, linter: linter, shard: shard).serialized()
            factsFiles.append(("shard\(k).jsonl", try FactsFile.parse(bytes, file: "shard\(k).jsonl")))
        }
        #expect(seen == paths.count)
        let merged = try FactsFile.merge(factsFiles.reversed(), linter: single)
        // The merge phase produces exactly the cross-file findings of the single run (the test rule's and the built-in ones).
        #expect(merged.filter { $0.rule == TestDuplicateSlugRule.id } == expected.filter { $0.rule == TestDuplicateSlugRule.id })
        #expect(merged.contains { $0.rule == "slug-duplicate" })
        #expect((perFile + merged).sorted(by: Diagnostic.outputOrder) == expected)
    }

    @Test func mergeRefusesIncompleteOverlappingOrForeignFacts() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 40)
        let catalog = try TestDuplicateSlugRule.catalog()
        let linter = try Linter.forTest(root: dir.path, catalog: catalog, finishCrossFile: false)
        let result = linter.lint(paths.map { .file($0) })
        let half = try FactsFile.collect(result.files, linter: linter, shard: Shard(index: 0, count: 2))
        #expect(throws: UsageError.self) { try FactsFile.merge([("a", half)], linter: linter) }          // shard 2/2 missing
        #expect(throws: UsageError.self) { try FactsFile.merge([("a", half), ("b", half)], linter: linter) } // same shard twice
        var foreign = half
        foreign.config = "0123456789abcdef"
        foreign.shard = Shard(index: 1, count: 2)
        #expect(throws: UsageError.self) { try FactsFile.merge([("a", half), ("b", foreign)], linter: linter) }
        var overlapping = half
        overlapping.shard = Shard(index: 1, count: 2)
        #expect(throws: UsageError.self) { try FactsFile.merge([("a", half), ("b", overlapping)], linter: linter) }
        var noRules = half
        noRules.rules = []
        noRules.shard = nil
        #expect(throws: UsageError.self) { try FactsFile.merge([("a", noRules)], linter: linter) }

        var text = String(decoding: half.serialized(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"version\":\(FactsFile.version)", with: "\"version\":99")
        #expect(throws: UsageError.self) { try FactsFile.parse(Array(text.utf8), file: "v99.jsonl") }
        #expect(throws: UsageError.self) { try FactsFile.parse(Array("{\"hello\":1}\n".utf8), file: "x.jsonl") }
        #expect(throws: UsageError.self) { try FactsFile.parse([], file: "empty.jsonl") }
    }

    @Test func factsKeepSixtyFourBitHashes() throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", "---\ntitle: 甲\ndate: 2023-01-01\nslug: same\n---\n正文。\n")
        dir.write("b.md", "---\ntitle: 乙\ndate: 2023-01-02\nslug: same\n---\n正文。\n")
        let linter = try Linter.forTest(root: dir.path, catalog: try TestDuplicateSlugRule.catalog(), finishCrossFile: false)
        let result = linter.lint([.file("a.md"), .file("b.md")])
        let parsed = try FactsFile.parse(try FactsFile.collect(result.files, linter: linter, shard: nil).serialized(), file: "f")
        let merged = try FactsFile.merge([("f", parsed)], linter: linter).filter { $0.rule == TestDuplicateSlugRule.id }
        let hash = StableHash.hex(StableHash.fnv1a64("same") | 0x8000_0000_0000_0001)
        #expect(merged.map(\.message) == ["slug 'same' (\(hash)) is also used by a.md"])
        #expect(merged.first?.path == "b.md" && merged.first?.line == 4)
    }
}

@Suite struct ScaleCacheTests {
    @Test func warmRunAnswersFromCacheWithIdenticalResults() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 150)
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = paths.map { LintInput.file($0) }
        let reference = try Linter.forTest(root: dir.path, catalog: catalog).lint(inputs).diagnostics

        let cacheDir = dir.path + "/.cache"
        let cold = try #require(LintCache.open(directory: cacheDir, key: 7))
        #expect(try Linter.forTest(root: dir.path, catalog: catalog, cache: cold).lint(inputs).diagnostics == reference)
        #expect(cold.hits == 0)
        try cold.save()

        for jobs in [1, 2] {
            let warm = try #require(LintCache.open(directory: cacheDir, key: 7))
            #expect(warm.loadedCount == paths.count)
            let result = try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: warm).lint(inputs)
            #expect(result.diagnostics == reference)
            #expect(warm.hits == paths.count)
            try warm.save()
        }
        // Another key (config, rules, tool) never sees these entries.
        #expect(try #require(LintCache.open(directory: cacheDir, key: 8)).loadedCount == 0)
    }

    @Test func changedFilesAreRelintedEvenWithTheSameSizeAndTime() throws {
        let dir = TemporaryDirectory()
        let catalog = try TestDuplicateSlugRule.catalog()
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        dir.write("a.md", "---\ntitle: 甲\ndate: 2023-01-01\n---\n本报讯正文第一段的内容。\n")
        dir.write("b.md", "---\ntitle: 乙\ndate: 2023-01-01\n---\n本报讯正文第二段的内容。\n")
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.path + "/a.md")
        let cacheDir = dir.path + "/.cache"
        func run() throws -> (diagnostics: [Diagnostic], hits: Int) {
            let cache = try #require(LintCache.open(directory: cacheDir, key: 1))
            let r = try Linter.forTest(root: dir.path, catalog: catalog, cache: cache).lint([.file("a.md"), .file("b.md")])
            try cache.save()
            return (r.diagnostics, cache.hits)
        }
        #expect(try run().diagnostics.isEmpty)
        #expect(try run().hits == 2)
        // a.md (settled entry): new content, new old mtime -> stamp differs -> relinted.
        dir.write("a.md", "---\ntitle: 甲\ndate: 2023-01-01\n---\n本报讯正文第一段的内容。 \n")
        try FileManager.default.setAttributes([.modificationDate: old.addingTimeInterval(60)], ofItemAtPath: dir.path + "/a.md")
        // b.md (recent, unsettled entry): same size, mtime forced back: only the content hash can tell.
        let bMtime = try FileManager.default.attributesOfItem(atPath: dir.path + "/b.md")[.modificationDate] as? Date
        dir.write("b.md", "---\ntitle: 乙\ndate: 2023-01-01\n---\n本报讯正文第二段的内容   \n") // "。" (3 bytes) became 3 spaces
        #expect(dir.read("b.md").count == Array("---\ntitle: 乙\ndate: 2023-01-01\n---\n本报讯正文第二段的内容。\n".utf8).count)
        if let bMtime { try FileManager.default.setAttributes([.modificationDate: bMtime], ofItemAtPath: dir.path + "/b.md") }
        let after = try run()
        #expect(after.diagnostics.map { "\($0.path):\($0.line) \($0.rule)" } == ["a.md:5 trailing-whitespace", "b.md:5 trailing-whitespace"])
        #expect(after.hits == 0)
    }

    @Test func corruptOrForeignCacheFilesAreIgnored() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 30)
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = paths.map { LintInput.file($0) }
        let reference = try Linter.forTest(root: dir.path, catalog: catalog).lint(inputs).diagnostics
        let cacheDir = dir.path + "/.cache"
        let cache = try #require(LintCache.open(directory: cacheDir, key: 3))
        _ = try Linter.forTest(root: dir.path, catalog: catalog, cache: cache).lint(inputs)
        try cache.save()
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cache.file)))

        // Whole files that do not parse: nothing of them is used.
        for v in [[], Array("not a cache".utf8), Array(good.prefix(good.count / 2)), good + [0]] {
            try Data(v).write(to: URL(fileURLWithPath: cache.file))
            let reopened = try #require(LintCache.open(directory: cacheDir, key: 3))
            #expect(reopened.loadedCount == 0)
            #expect(try Linter.forTest(root: dir.path, catalog: catalog, cache: reopened).lint(inputs).diagnostics == reference)
        }
        // A byte flipped anywhere: the framing fails (nothing used) or one entry fails its checksum
        // (that file is linted again); never a different result.
        for offset in stride(from: 9, to: good.count, by: max(1, good.count / 40)) {
            var flipped = good
            flipped[offset] ^= 0x5A
            try Data(flipped).write(to: URL(fileURLWithPath: cache.file))
            let reopened = try #require(LintCache.open(directory: cacheDir, key: 3))
            #expect(reopened.loadedCount == 0 || reopened.loadedCount >= paths.count - 1)
            #expect(try Linter.forTest(root: dir.path, catalog: catalog, cache: reopened).lint(inputs).diagnostics == reference)
            #expect(reopened.hits <= reopened.loadedCount)
        }
    }

    @Test func keyCoversConfigSelectionAndBehaviourOptionsButNotOutputOptions() throws {
        var catalog = Catalog.builtin
        let a = try Configuration.parse("{}", file: "/r/.lint.json", directory: "/r", catalog: &catalog)
        let b = try Configuration.parse(#"{"rules": {"hygiene": "off"}}"#, file: "/r/.lint.json", directory: "/r", catalog: &catalog)
        let base = LintCache.key(config: a, catalog: catalog, filter: RuleFilter())
        #expect(LintCache.key(config: b, catalog: catalog, filter: RuleFilter()) != base)
        #expect(LintCache.key(config: a, catalog: catalog, filter: RuleFilter(ignore: ["hygiene"])) != base)
        #expect(LintCache.key(config: a, catalog: catalog, filter: RuleFilter(), options: "online") != base)
        let parser = ArgumentParser(command: "lint", options: NewsLintCLI.lintOptions + [OptionSpec("future-behaviour", value: "X", help: "")])
        let plain = ScaleSettings.relevantOptions(try parser.parse(["a.md", "--format", "json", "--jobs", "1", "--no-cache", "-q"]))
        #expect(plain == ScaleSettings.relevantOptions(try parser.parse(["a.md"])))
        #expect(ScaleSettings.relevantOptions(try parser.parse(["a.md", "--future-behaviour", "1"])) != plain)
    }

    @Test func entryDecodingNeverTrapsOnTruncation() {
        let entry = CacheEntry(location: "/x/新闻.md", stamp: FileStamp(size: 9, mtimeSeconds: 1, mtimeNanoseconds: 2, inode: 3), settled: true,
                               contentHash: 42, byteCount: 9,
                               diagnostics: [Diagnostic(rule: "r", severity: .warning, path: "", line: 2, column: 3, endLine: 2, endColumn: 5,
                                                        message: "全角", fix: Fix(.unsafe, "Fix", edits: [Edit(range: 1..<4, replacement: "，")]))],
                               facts: [("test", Array("{\"a\":1}".utf8)[...])],
                               crossFileRegions: [Suppressions.Region(directive: 0, names: ["a", "乙"], except: [], lines: 2...9),
                                                  Suppressions.Region(directive: 1, names: nil, except: ["b"], lines: 4...4)],
                               regionsKnown: true)
        var w = ByteWriter()
        entry.encode(into: &w)
        let decoded = CacheEntry.decode(w.bytes, range: 0..<w.bytes.count)
        #expect(decoded?.diagnostics == entry.diagnostics)
        #expect(decoded?.facts.map(\.data) == entry.facts.map(\.data))
        #expect(decoded?.stamp == entry.stamp)
        #expect(decoded?.regionsKnown == true)
        #expect(decoded?.crossFileRegions?.map(\.names) == [["a", "乙"], nil])
        #expect(decoded?.crossFileRegions?.map(\.except) == [[], ["b"]])
        #expect(decoded?.crossFileRegions?.map(\.lines) == [2...9, 4...4])
        for n in 0..<w.bytes.count { #expect(CacheEntry.decode(w.bytes, range: 0..<n) == nil) }
    }
}

@Suite struct ScaleCLITests {
    /// The CLI (built-in rules): --jobs 1, --jobs 2, cold cache, warm cache and 3 shards all print the same.
    @Test func outputIsIdenticalAcrossJobsCacheAndShards() throws {
        let dir = TemporaryDirectory()
        ScaleCorpus.write(into: dir, count: 120)
        dir.write(".lint.json", Linter.testConfig)
        let base = ["news", "--format", "concise", "--cache-dir", dir.path + "/.cache"]
        let reference = CLIRun.run(base + ["--no-cache", "--jobs", "1"], cwd: dir.path)
        #expect(reference.status == 1)
        #expect(reference.stdout.split(separator: "\n").count > 50)
        for extra in [["--jobs", "2"], ["--jobs", "1"], ["--jobs", "2"], ["--cache"]] {
            let run = CLIRun.run(base + extra, cwd: dir.path)
            #expect(run.stdout == reference.stdout)
            #expect(run.status == reference.status)
        }
        #expect(FileManager.default.fileExists(atPath: dir.path + "/.cache/CACHEDIR.TAG"))
        var union: [Substring] = []
        for k in 1...3 {
            let run = CLIRun.run(base + ["--shard", "\(k)/3", "--facts-out", "f\(k).jsonl"], cwd: dir.path)
            union += run.stdout.split(separator: "\n")
        }
        // Shards print per-file findings; merge prints the cross-file ones; together they are the single run.
        let merge = CLIRun.run(["merge", "f1.jsonl", "f2.jsonl", "f3.jsonl", "--format", "concise"], cwd: dir.path)
        #expect(merge.status == reference.status)
        #expect(merge.stdout.contains("[slug-duplicate]"))
        union += merge.stdout.split(separator: "\n")
        #expect(union.sorted() == reference.stdout.split(separator: "\n").sorted())
        let partial = CLIRun.run(["merge", "f1.jsonl", "f3.jsonl"], cwd: dir.path)
        #expect(partial.status == 2)
        #expect(partial.stderr.contains("missing facts for shard 2/3"))
    }

    /// JSON Lines stream as files finish, yet in input order: the same bytes for any --jobs.
    @Test func jsonLinesStreamInTheSameOrderForAnyJobs() throws {
        let dir = TemporaryDirectory()
        ScaleCorpus.write(into: dir, count: 120)
        dir.write(".lint.json", Linter.testConfig)
        let base = ["news", "--format", "jsonl", "--no-cache"]
        let reference = CLIRun.run(base + ["--jobs", "1"], cwd: dir.path)
        #expect(reference.stdout.split(separator: "\n").count > 50)
        for _ in 0..<3 {
            #expect(CLIRun.run(base + ["--jobs", "4"], cwd: dir.path).stdout == reference.stdout)
        }
    }

    @Test func usageErrors() {
        let dir = TemporaryDirectory()
        dir.write("a.md", "x\n")
        for (args, needle) in [(["--shard", "5/4"], "K/N"), (["--shard", "auto"], "JOB_COMPLETION_INDEX"),
                               (["--shard-count", "3"], "only applies"), (["--cache", "--no-cache"], "contradict")] {
            let run = CLIRun.run(["a.md"] + args, cwd: dir.path)
            #expect(run.status == 2, "\(args)")
            #expect(run.stderr.contains(needle), "\(args): \(run.stderr)")
        }
        let k8s = CLIRun.run(["a.md", "--shard", "auto", "--shard-count", "2", "--no-cache"], cwd: dir.path, env: ["JOB_COMPLETION_INDEX": "1"])
        #expect(k8s.status != 2, "\(k8s.stderr)")
        dir.write(".lint.json", #"{"cache": {"directry": "x"}}"#)
        let bad = CLIRun.run(["a.md"], cwd: dir.path)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("did you mean 'directory'"))
    }

    @Test func cacheSectionDisablesOrRelocatesTheCache() {
        let dir = TemporaryDirectory()
        dir.write("a.md", "---\ntitle: 甲\ndate: 2023-01-01\n---\n正文。\n")
        dir.write(".lint.json", #"{"cache": {"enabled": false}}"#)
        _ = CLIRun.run(["a.md"], cwd: dir.path)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/.newslint-cache"))
        dir.write(".lint.json", #"{"cache": {"directory": "build/lintcache"}}"#)
        _ = CLIRun.run(["a.md"], cwd: dir.path)
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/build/lintcache")) ?? []
        #expect(listing.contains { $0.hasSuffix(".cache") })
        // --fix never uses the cache: the default location stays untouched.
        dir.write(".lint.json", "{}")
        _ = CLIRun.run(["a.md", "--fix"], cwd: dir.path)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/.newslint-cache"))
    }
}

@Suite struct ScaleEngineTests {
    /// The validator's fast paths (ASCII words, common 3-byte sequences) agree with the standard library.
    @Test func utf8ValidationMatchesTheStandardLibrary() {
        var state: UInt64 = 7
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let pieces: [[UInt8]] = [Array("新聞".utf8), Array("abcdefghij".utf8), Array("é".utf8), Array("😀".utf8), [0xED, 0xA0, 0x80],
                                 [0xE0, 0x80, 0x80], [0xC0, 0xAF], [0xFF], [0xE4, 0xB8], [0x80], [0xF4, 0x90, 0x80, 0x80], Array("\u{3000}".utf8)]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<(next() % 12) { bytes += pieces[Int(next() % UInt64(pieces.count))] }
            let offset = UTF8Validation.firstInvalidOffset(in: bytes)
            #expect((offset == nil) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
            if let offset {
                #expect(String(validating: bytes[..<offset], as: UTF8.self) != nil)
            }
        }
    }

    @Test func lineStartsAndByteSearch() {
        let text = "第一行\n\n第三行\r\nlast"
        let doc = Document(path: "a.md", text: text)
        #expect(doc.lineStarts == [0, 10, 11, 22])
        #expect(ByteSearch.first(0x0D, in: doc.bytes) == 20)
        #expect(ByteSearch.first(0x00, in: doc.bytes) == nil)
        #expect(Document(path: "e.md", text: "").lineStarts == [0])
    }

    @Test func parallelMapKeepsOrderForAnyJobs() {
        for jobs in [1, 2, 7] {
            #expect(parallelMap(count: 1000, jobs: jobs) { "\($0)" } == (0..<1000).map { "\($0)" })
        }
        #expect(parallelMap(count: 0, jobs: 2) { $0 }.isEmpty)
    }
}

@Suite struct SummaryWarmCacheTests {
    /// A warm run answers files from the cache; the profile still counts every file, an empty one too
    /// (it was dropped once: the cache entry of an empty file has no bytes to tell it was linted).
    @Test func warmSummaryProfilesEveryFile() throws {
        let dir = TemporaryDirectory()
        for i in 1...5 { dir.write("c/p\(i).md", "---\ntitle: t\(i)\n---\n這是第\(i)篇新聞的正文內容，記者報道。\n") }
        dir.write("c/empty.md", "")
        let args = ["c", "--no-config", "--summary", "-q", "--cache-dir", dir.path + "/.cache"]
        let cold = CLIRun.run(args, cwd: dir.path)
        let warm = CLIRun.run(args, cwd: dir.path)
        #expect(cold.stdout.contains("Profile (6 files)"))
        #expect(warm.stdout == cold.stdout)
    }
}
