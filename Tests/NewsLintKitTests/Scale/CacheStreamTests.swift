import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

extension LintCache {
    /// The stored cross-file findings for `digest`, in output order, when there is a result for it
    /// and it reads whole; nothing is emitted otherwise.
    func replayCrossFile(digest: UInt64, emit: (Diagnostic) -> Void) -> Bool {
        guard let all = crossFileResult(digest: digest) else { return false }
        all.forEach(emit)
        return true
    }

    func crossFileResult(digest: UInt64) -> [Diagnostic]? {
        var out: [Diagnostic] = []
        return storedCrossFile(digest: digest)?.forEach { out.append($0) } == true ? out : nil
    }
}

/// The mapped cache file and the cross-file result streamed through a file of its own: whatever
/// is damaged or missing, a run lints or reduces again and prints what an uncached run prints.
@Suite struct CacheStreamTests {
    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// A corpus with cross-file findings, its uncached result, and a cache directory after a cold run.
    struct Setup: @unchecked Sendable {
        let dir = TemporaryDirectory()
        let paths: [String]
        let catalog: Catalog
        let inputs: [LintInput]
        let reference: [Diagnostic]
        var cacheDir: String { dir.path + "/.cache" }

        init(count: Int = 60) throws {
            paths = ScaleCorpus.write(into: dir, count: count)
            catalog = try TestDuplicateSlugRule.catalog()
            inputs = paths.map { LintInput.file($0) }
            reference = try Linter.forTest(root: dir.path, catalog: catalog).lint(inputs).diagnostics
            #expect(reference.contains { $0.rule == TestDuplicateSlugRule.id })
        }

        /// One cached run (jobs: 1 or 2) and its save; the cache it used.
        @discardableResult
        func run(jobs: Int = 2) throws -> (diagnostics: [Diagnostic], cache: LintCache) {
            let cache = try #require(LintCache.open(directory: cacheDir, key: 21))
            let result = try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: cache).lint(inputs).diagnostics
            try cache.save()
            return (result, cache)
        }
    }

    /// A cache file cut short anywhere (its index and trailer are at the end) is ignored whole.
    @Test func truncatedCacheFileIsIgnoredAndTheOutputStaysTheSame() throws {
        let setup = try Setup()
        let cold = try setup.run()
        #expect(cold.diagnostics == setup.reference)
        let good = try Self.bytes(cold.cache.file)
        for length in [0, 8, 16, 39, good.count / 3, good.count - 25, good.count - 1] {
            try Self.write(Array(good.prefix(length)), to: cold.cache.file)
            let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
            #expect(cache.loadedCount == 0)
            #expect(try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cache).lint(setup.inputs).diagnostics == setup.reference)
            #expect(cache.hits == 0)
        }
        // The next save writes a whole file again.
        try Self.write(Array(good.prefix(good.count / 2)), to: cold.cache.file)
        try setup.run()
        let again = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        #expect(again.loadedCount == setup.paths.count)
    }

    /// A trailer whose layout check verifies but whose index offset is absurd (near 2^64) is a
    /// foreign file, not an arithmetic overflow.
    @Test func trailerWithAnOverflowingIndexOffsetIsIgnored() throws {
        let setup = try Setup(count: 10)
        let cold = try setup.run()
        var bytes = try Self.bytes(cold.cache.file)
        let offset = UInt64.max - 7, count: UInt64 = 0
        var w = ByteWriter(bytes: [])
        w.u64(offset)
        w.u64(count)
        w.u64(LintCache.layoutCheck(indexOffset: offset, count: count, key: 21))
        bytes.replaceSubrange((bytes.count - 24)..., with: w.bytes)
        try Self.write(bytes, to: cold.cache.file)
        let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        #expect(cache.loadedCount == 0)
        #expect(try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cache).lint(setup.inputs).diagnostics == setup.reference)
    }

    /// A FIFO where the cache file or the cross-file result should be is not opened for reading
    /// (that would wait for a writer forever): the run lints and reduces as if neither existed.
    @Test func fifoInPlaceOfTheCacheFilesDoesNotHang() throws {
        let setup = try Setup(count: 10)
        let cold = try setup.run()
        for path in [cold.cache.file, cold.cache.crossFileResultFile] {
            try FileManager.default.removeItem(atPath: path)
            #expect(mkfifo(path, 0o644) == 0)
        }
        let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        #expect(cache.loadedCount == 0)
        var replayed = 0
        #expect(!cache.replayCrossFile(digest: 1) { _ in replayed += 1 })
        #expect(replayed == 0)
        #expect(try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cache).lint(setup.inputs).diagnostics == setup.reference)
    }

    /// An entry whose stored checksum no longer matches is used by no lookup: its file alone is linted again.
    @Test func entryWithAWrongChecksumIsRelintedAlone() throws {
        let setup = try Setup()
        let cold = try setup.run()
        var bytes = try Self.bytes(cold.cache.file)
        let entries = try #require(CacheFileLayout.entries(bytes))
        let victim = try #require(entries.first { $0.path == Array((setup.dir.path + "/" + setup.paths[7]).utf8) })
        bytes[victim.checksum.lowerBound + 3] ^= 0x01
        try Self.write(bytes, to: cold.cache.file)
        let warm = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        #expect(warm.loadedCount == setup.paths.count - 1)
        #expect(try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, jobs: 1, cache: warm).lint(setup.inputs).diagnostics == setup.reference)
        #expect(warm.hits == setup.paths.count - 1)
    }

    /// The cross-file result missing, cut short, with a byte changed, with bytes added, or written
    /// for other facts: the run reduces again (every file still answered from the cache), prints
    /// the same, and saves a good result for the next run.
    @Test func missingOrDamagedCrossFileResultIsRecomputed() throws {
        let setup = try Setup()
        let cold = try setup.run()
        let resultFile = cold.cache.crossFileResultFile
        let good = try Self.bytes(resultFile)
        #expect(good.starts(with: CrossFileResultFile.magic))
        var header = ByteReader(good, range: 16..<24)
        let storedDigest = header.u64()
        let digest = try #require(storedDigest)
        var stored: [Diagnostic] = []
        let reader = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        let replayedGood = reader.replayCrossFile(digest: digest) { stored.append($0) }
        #expect(replayedGood)
        #expect(stored.contains { $0.rule == TestDuplicateSlugRule.id })
        #expect(stored.allSatisfy { setup.reference.contains($0) })
        let damaged: [[UInt8]?] = [
            nil,
            [],
            Array(good.prefix(CrossFileResultFile.headerSize)),
            Array(good.prefix(good.count / 2)),
            Array(good.dropLast()),
            good + [0],
            { var b = good; b[CrossFileResultFile.headerSize + CrossFileResultFile.chunkHeaderSize + 5] ^= 0x20; return b }(),
            { var b = good; b[b.count - 1] ^= 0x01; return b }(),
            { var b = good; b[16] ^= 0x01; return b }(),  // the digest of the facts it was computed from
            // A first chunk claiming 256 MB: turned away by the file's size, not allocated.
            { var b = good; for (i, v) in [0xF0, 0xFF, 0xFF, 0x0F].enumerated() { b[CrossFileResultFile.headerSize + i] = UInt8(v) }; return b }(),
        ]
        for variant in damaged {
            if let variant { try Self.write(variant, to: resultFile) } else { try FileManager.default.removeItem(atPath: resultFile) }
            let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
            var replayed = 0
            let replayedDamaged = cache.replayCrossFile(digest: digest) { _ in replayed += 1 }
            #expect(!replayedDamaged)
            #expect(replayed == 0)
            let result = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cache).lint(setup.inputs).diagnostics
            #expect(result == setup.reference)
            #expect(cache.hits == setup.paths.count)
            try cache.save()
            #expect(try Self.bytes(resultFile) == good)
        }
    }

    /// A warm run leaves the facts of the files the cache answered in the cache while the stored
    /// cross-file result may still answer the reduce. When it does not (a file edited at the end or
    /// at the start, a file gone, a file added), they are fetched in input order and the run
    /// prints what an uncached run prints, through the array and the streamed reduce alike.
    @Test(arguments: ["last edited", "first edited", "one removed", "one added", "unchanged"])
    func factsLeftInTheCacheAreFetchedWhenTheStoredResultDoesNotAnswer(change: String) throws {
        let setup = try Setup()
        // In path order, as the commands give them (the merge streams path by path).
        let sorted = setup.inputs.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let cold = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        _ = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cold).lint(sorted)
        try cold.save()
        var inputs = sorted
        switch change {
        case "last edited", "first edited":
            let path = change == "last edited" ? setup.paths[setup.paths.count - 1] : setup.paths[0]
            setup.dir.write(path, "---\ntitle: 改\ndate: 2023-01-11\nslug: s1\n---\n市政府召开新闻发布会。\n")
        case "one removed":
            inputs.remove(at: 30)
        case "one added":
            setup.dir.write("news/9/extra.md", "---\ntitle: 新\ndate: 2023-01-11\nslug: s2\n---\n记者从教育局获悉。\n")
            inputs.append(.file("news/9/extra.md"))
        default:
            break
        }
        inputs.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let reference = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog).lint(inputs).diagnostics
        #expect(reference.contains { $0.rule == TestDuplicateSlugRule.id })
        for streamed in [false, true] {
            let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
            #expect(FileManager.default.fileExists(atPath: cache.crossFileResultFile))
            let linter = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cache)
            var result: [Diagnostic] = []
            if streamed {
                let run = LintRun(linter: linter, request: LintRequest(inputs: inputs))
                #expect(run.merge { group, _ in result += group })
            } else {
                result = linter.lint(inputs).diagnostics
            }
            #expect(result == reference, "\(change), streamed: \(streamed)")
            #expect(cache.hits >= setup.paths.count - 1)
        }
    }

    /// A warm run reads a hit's facts only when the stored result does not answer: a damaged facts
    /// section (or facts checksum) goes unnoticed while nothing changed, and once a file is edited
    /// the damaged entry's file is linted again. The output is the uncached run's either way.
    @Test(arguments: ["facts byte", "facts checksum"])
    func damagedFactsAreReadOnlyWhenNeededAndThenRelinted(damage: String) throws {
        let setup = try Setup()
        // Files are answered by their stamps alone once those are settled (over 2 s old in whole
        // seconds, `FileStamp.isSettled`): until then a hit is confirmed by its content hash.
        Thread.sleep(forTimeInterval: 3.1)
        let sorted = setup.inputs.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let cold = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        _ = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cold).lint(sorted)
        try cold.save()
        var bytes = try Self.bytes(cold.file)
        let victimPath = setup.dir.path + "/" + setup.paths[3]
        let victim = try #require(CacheFileLayout.entries(bytes)?.first { $0.path == Array(victimPath.utf8) })
        try #require(!victim.facts.isEmpty)
        switch damage {
        case "facts byte": bytes[victim.facts.upperBound - 1] ^= 0x01
        default: bytes[victim.factsChecksum.lowerBound] ^= 0x01
        }
        try Self.write(bytes, to: cold.file)
        // The part before the facts still verifies; a full read does not.
        let damaged = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        if damage == "facts byte" {
            #expect(damaged.entry(for: victimPath, withFacts: false) != nil)
        } else {
            #expect(damaged.entry(for: victimPath, withFacts: false) == nil)
        }
        #expect(damaged.entry(for: victimPath) == nil)

        let unchangedReference = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog).lint(sorted).diagnostics
        for jobs in [1, 2] {
            let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
            let unchanged = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, jobs: jobs, cache: cache).lint(sorted).diagnostics
            #expect(unchanged == unchangedReference, "jobs \(jobs)")
            #expect(cache.hits >= setup.paths.count - 1, "jobs \(jobs)")
        }
        // While the stored result may answer, hits answered by their stamps leave their facts unread.
        let watched = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        let outcomes = Locked<[FileOutcome]>([])
        _ = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, jobs: 1, cache: watched)
            .lintStreaming(sorted, observer: { o in outcomes.withLock { $0.append(o) } }) { _ in }
        #expect(outcomes.withLock { $0.contains { $0.factsLeftUnread && $0.cachedFactsLocation != nil } })
        // The last file in path order edited: the stored result no longer answers and every hit's facts are read.
        let last = try #require(sorted.last?.path)
        setup.dir.write(last, "---\ntitle: 改\ndate: 2023-01-11\nslug: s1\n---\n市政府召开新闻发布会。\n")
        let reference = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog).lint(sorted).diagnostics
        #expect(reference != unchangedReference)
        for jobs in [1, 2] {
            let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
            let warm = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, jobs: jobs, cache: cache).lint(sorted).diagnostics
            #expect(warm == reference, "jobs \(jobs)")
        }
        // The run that read the damaged facts recorded the file again: the next full read verifies.
        let cache = try #require(LintCache.open(directory: setup.cacheDir, key: 21))
        _ = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog, cache: cache).lint(sorted)
        try cache.save()
        #expect(try #require(LintCache.open(directory: setup.cacheDir, key: 21)).entry(for: victimPath) != nil)
    }

    /// A result larger than one chunk is written chunk by chunk and replayed in output order
    /// (equal findings in the order they were reported); a damaged middle chunk makes the whole
    /// result unusable (nothing is replayed).
    @Test func resultOfManyChunksRoundTripsAndFailsWhole() throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let findings = (0..<30_000).map { i in
            Diagnostic(rule: "content-duplicate", severity: i % 3 == 0 ? .warning : .info, path: "news/\(i / 4).md", line: i % 50 + 1, column: 1,
                       message: "same body as news/\(i + 1).md and \(i % 9) other files" + String(repeating: "。", count: i % 40))
        }
        let writer = try #require(LintCache.open(directory: cacheDir, key: 4))
        writer.recordCrossFile(digest: 99, fileCount: 7, diagnostics: findings)
        try writer.save()
        let file = writer.crossFileResultFile
        let bytes = try Self.bytes(file)
        #expect(bytes.count > 2 * CrossFileResultFile.chunkSize)
        #expect(!CacheSaveTests.files(in: cacheDir).contains { $0.contains("fresh") || $0.contains(".tmp-") })

        let reader = try #require(LintCache.open(directory: cacheDir, key: 4))
        #expect(reader.crossFileResult(digest: 99) == findings.sorted(by: Diagnostic.outputOrder))
        #expect(reader.crossFileResult(digest: 98) == nil)
        #expect(try #require(LintCache.open(directory: cacheDir, key: 5)).crossFileResult(digest: 99) == nil)
        var middle = bytes
        middle[CrossFileResultFile.chunkSize + CrossFileResultFile.chunkSize / 2] ^= 0x40
        try Self.write(middle, to: file)
        var replayed = 0
        let replayedDamaged = reader.replayCrossFile(digest: 99) { _ in replayed += 1 }
        #expect(!replayedDamaged)
        #expect(replayed == 0)
    }

    /// Runs at the same time on one cache directory: each saves whole files by rename, every run
    /// prints the uncached result, and the cache left behind answers a later run.
    /// Findings made from a recipe read their paths when the result is written: when the run's
    /// temporary file of paths was damaged, they name `<path N lost …>`, and such a result is not
    /// saved (it would carry a valid checksum and be replayed by every warm run); the result saved
    /// before stays, and a run whose paths read back saves as usual.
    @Test(arguments: [true, false])
    func resultNamingLostPathsIsNotSaved(damaged: Bool) throws {
        let dir = TemporaryDirectory()
        let cacheDir = dir.path + "/cache"
        let earlier = [Diagnostic(rule: "content-duplicate", severity: .warning, path: "a.md", line: 1, column: 1, message: "earlier")]
        let first = try #require(LintCache.open(directory: cacheDir, key: 4))
        first.recordCrossFile(digest: 98, fileCount: 1, diagnostics: earlier)
        try first.save()

        let spillFile = dir.path + "/paths"
        let fd = open(spillFile, O_RDWR | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        let paths = (0..<6_000).map { "corpus/" + String(repeating: "新聞", count: $0 % 23) + "-\($0).md" }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var list = PathList(memoryBudget: 0, createSpillFile: { (fd, spillFile) })
        for p in paths { list.append(p) }
        #expect(list.usedFile)
        if damaged { #expect(truncate(spillFile, 0) == 0) }
        let findings = DeferredFindings(count: paths.count, inOutputOrder: true) { [list] in
            var next = 0
            return {
                let end = min(paths.count, next + 100)
                defer { next = end }
                return (next..<end).map { Diagnostic(rule: "content-duplicate", severity: .warning, path: list[$0], line: 1, column: 1, message: "same body") }
            }
        }
        let cache = try #require(LintCache.open(directory: cacheDir, key: 4))
        let recorder = cache.crossFileRecorder(digest: 99, fileCount: paths.count, forwardingTo: nil, pathsLost: { [list] in list.readFailure })
        recorder.add(deferred: findings)
        cache.keepCrossFile(recorder)
        if damaged { #expect(throws: (any Error).self) { try cache.save() } } else { try cache.save() }
        let reader = try #require(LintCache.open(directory: cacheDir, key: 4))
        if damaged {
            #expect(reader.crossFileResult(digest: 99)?.count == nil, "no result naming lost paths is replayed")
            #expect(reader.crossFileResult(digest: 98) == earlier)
        } else {
            #expect(reader.crossFileResult(digest: 99)?.map(\.path) == paths)
        }
        #expect(!CacheSaveTests.files(in: cacheDir).contains { $0.contains(".tmp-") })
    }

    /// The engine's check (`CrossFileFacts.pathReadFailureCheck`, handed to the recorder) reads the
    /// paths' failure when asked, after the facts are consumed, not as it was when it was taken.
    @Test func pathCheckSeesAFailureAfterTheFactsAreGone() throws {
        let dir = TemporaryDirectory()
        let spillFile = dir.path + "/paths"
        let fd = open(spillFile, O_RDWR | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        let paths = (0..<6_000).map { String(format: "corpus/%05d-新聞.md", $0) }
        var list = PathList(memoryBudget: 0, createSpillFile: { (fd, spillFile) })
        for p in paths { list.append(p) }
        #expect(list.usedFile)
        var facts: CrossFileFacts? = CrossFileFacts(rules: [], memoryBudget: 0, inputs: LintInputList(files: list))
        let pathsLost = try #require(facts?.pathReadFailureCheck)
        #expect(pathsLost() == nil)
        facts = nil
        #expect(truncate(spillFile, 0) == 0)
        #expect(list[3_000].hasPrefix("<path 3000 lost"))
        #expect(pathsLost()?.contains("cannot read back the names of the files") == true)
    }

    @Test func concurrentRunsShareTheCacheDirectory() throws {
        let setup = try Setup(count: 80)
        try setup.run()
        // Half the corpus changes: concurrent runs each relint and save it.
        for path in setup.paths.prefix(40) { setup.dir.write(path, String(decoding: setup.dir.read(path), as: UTF8.self) + "追加一行。 \n") }
        let reference = try Linter.forTest(root: setup.dir.path, catalog: setup.catalog).lint(setup.inputs).diagnostics
        let results = Locked<[[Diagnostic]]>([])
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            do {
                let (diagnostics, _) = try setup.run(jobs: 1 + i % 2)
                results.withLock { $0.append(diagnostics) }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(results.withLock { $0 }.allSatisfy { $0 == reference })
        let (after, cache) = try setup.run()
        #expect(after == reference)
        #expect(cache.hits == setup.paths.count)
        #expect(!CacheSaveTests.files(in: setup.cacheDir).contains { $0.contains("fresh") || $0.contains(".tmp-") })
    }

    /// Through the CLI (findings streamed into the ordered merge): cold, warm, and warm with the
    /// cross-file result damaged print what an uncached run prints, in every format and for --jobs 1 and 2.
    @Test(arguments: ["concise", "json", "text", "sarif"])
    func cliOutputWithTheCacheEqualsUncached(format: String) throws {
        let dir = TemporaryDirectory()
        ScaleCorpus.write(into: dir, count: 90)
        dir.write(".lint.json", Linter.testConfig)
        let cacheDir = dir.path + "/.cache-\(format)"
        let base = ["news", "--format", format, "--cache-dir", cacheDir]
        let reference = CLIRun.run(base + ["--no-cache", "--jobs", "1"], cwd: dir.path)
        #expect(reference.stdout.contains("slug-duplicate"))
        for jobs in ["1", "2", "1"] {
            let run = CLIRun.run(base + ["--jobs", jobs], cwd: dir.path)
            #expect(run.stdout == reference.stdout)
            #expect(run.status == reference.status)
        }
        let results = try FileManager.default.contentsOfDirectory(atPath: cacheDir).filter { $0.hasSuffix(".cross-file") }
        #expect(results.count == 1)
        for name in results {
            var bytes = try Self.bytes(cacheDir + "/" + name)
            bytes[bytes.count / 2] ^= 0x08
            try Self.write(bytes, to: cacheDir + "/" + name)
        }
        for jobs in ["2", "1"] {
            let run = CLIRun.run(base + ["--jobs", jobs], cwd: dir.path)
            #expect(run.stdout == reference.stdout)
        }
    }
}
