import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintCLI

/// A file the run lints and writes to the cache hands its findings to the output spill as the
/// bytes its new entry holds (encoded once, as a hit's are), unless the output reads them as values.
@Suite struct CacheMissBytesTests {
    static func corpus() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        let long = String(repeating: "長", count: CacheEntry.storedLineLimit / 3 + 10)
        dir.write("a.md", "---\ntitle: t\ndate: 2024-01-01\n---\nline one \n\(long)甲 \nend \n")
        dir.write("b.md", "---\ntitle: b\ndate: 2024-01-01\n---\n正文 \n第二行\t\n")
        dir.write("c.md", "---\ntitle: c\ndate: 2024-01-01\n---\n乾淨的正文。\n")
        return dir
    }

    static let inputs = LintInputList(["a.md", "b.md", "c.md"].map { LintInput.file($0) })

    /// The outcomes as delivered, and the merged stream (findings and quoted lines by path).
    static func run(_ linter: Linter, spillsOnly: Bool = true) -> (outcomes: [String: FileOutcome], merged: [String: ([Diagnostic], [Int: String])]) {
        var request = LintRequest(inputs: inputs)
        request.spillsFindingsOnly = spillsOnly
        var outcomes: [String: FileOutcome] = [:]
        let run = LintRun(linter: linter, request: request, perFile: { outcomes[$0.path] = $0 })
        var merged: [String: ([Diagnostic], [Int: String])] = [:]
        run.merge { group, lines in
            if let path = group.first?.path { merged[path] = (Array(group), lines) }
        }
        return (outcomes, merged)
    }

    @Test(arguments: [true, false])
    func missesHandOnTheEntrysBytesAndTheOutputIsUnchanged(capturing: Bool) throws {
        let dir = Self.corpus()
        let plain = Self.run(try CacheHitSourceLinesTests.linter(root: dir.path, rule: "trailing-whitespace", cache: nil, capturing: capturing))
        let cache = try #require(LintCache.open(directory: dir.path + "/.cache", key: 31))
        let cold = Self.run(try CacheHitSourceLinesTests.linter(root: dir.path, rule: "trailing-whitespace", cache: cache, capturing: capturing))
        #expect(cold.outcomes.values.allSatisfy { !$0.answeredFromCache })
        // b.md: its findings as the entry's bytes. a.md quotes a line too long to store when
        // capturing: its findings stay values, so its lines reach the output as the pass kept them.
        // c.md has no finding: nothing to hand on.
        #expect(cold.outcomes["b.md"]?.spilledDiagnostics != nil)
        #expect((cold.outcomes["a.md"]?.spilledDiagnostics == nil) == capturing)
        #expect(cold.outcomes["c.md"]?.spilledDiagnostics == nil)
        #expect(cold.outcomes["b.md"]?.diagnostics == plain.outcomes["b.md"]?.diagnostics)
        #expect(cold.merged.keys.sorted() == plain.merged.keys.sorted())
        for (path, group) in plain.merged {
            #expect(cold.merged[path]?.0 == group.0, "\(path)")
            #expect(cold.merged[path]?.1 == group.1, "\(path)")
        }
        if capturing { #expect(cold.merged["b.md"]?.1 == [5: "正文 ", 6: "第二行\t"]) }
        // And what was stored answers the next run the same way.
        try cache.save()
        let warm = try #require(LintCache.open(directory: dir.path + "/.cache", key: 31))
        let hit = Self.run(try CacheHitSourceLinesTests.linter(root: dir.path, rule: "trailing-whitespace", cache: warm, capturing: capturing))
        #expect(hit.outcomes.values.allSatisfy { $0.answeredFromCache })
        for (path, group) in plain.merged { #expect(hit.merged[path]?.0 == group.0, "\(path)") }
    }

    /// An output that reads each file's findings as values (JSON Lines, `--statistics`) gets them
    /// as values: handed on as bytes, each read would decode them again.
    @Test func missesStayValuesWhenTheOutputReadsThem() throws {
        let dir = Self.corpus()
        let cache = try #require(LintCache.open(directory: dir.path + "/.cache", key: 32))
        let cold = Self.run(try CacheHitSourceLinesTests.linter(root: dir.path, rule: "trailing-whitespace", cache: cache, capturing: false),
                            spillsOnly: false)
        #expect(cold.outcomes.values.allSatisfy { $0.spilledDiagnostics == nil })
        #expect(cold.outcomes["b.md"]?.diagnostics.count == 2)
    }

    /// The bytes handed on are the entry's own: `record`'s sections point at the findings and the
    /// lines of what `sealed` wrote, and decode to what was recorded.
    @Test func recordReturnsTheSealedEntrysSections() throws {
        let dir = TemporaryDirectory()
        let cache = try #require(LintCache.open(directory: dir.path + "/.cache", key: 33))
        let findings = Array(CacheHitBytesTests.findings(path: "新闻/a.md").prefix(20))
        var entry = CacheEntry(location: dir.path + "/新闻/a.md", stamp: FileStamp(size: 9, mtimeSeconds: 1, mtimeNanoseconds: 2, inode: 3),
                               settled: true, contentHash: 5, byteCount: 9, diagnostics: findings, facts: [("rule", [1, 2, 3][...])])
        entry.sourceLines = CacheHitSourceLinesTests.lines
        let stored = cache.record(entry)
        #expect(stored.count == findings.count)
        #expect(stored.bytes == cache.sealed(entry).bytes)
        #expect(Array(stored.bytes[stored.range]) == CacheHitBytesTests.stored(findings).bytes)
        #expect(stored.decode(path: "新闻/a.md", knownStrings: KnownStrings()) == findings)
        let lines = try #require(stored.lines)
        var r = ByteReader(stored.bytes, range: lines.range)
        #expect(r.sourceLines() == CacheHitSourceLinesTests.lines && r.atEnd && lines.count == 3)
    }
}

/// The cache is saved while the output is written: the run returns with it saved, and a save
/// that fails is a warning after a complete report.
@Suite struct CacheSavingTests {
    @Test func aSaveThatFailsWarnsAndTheReportIsWhole() throws {
        let dir = TemporaryDirectory()
        dir.write("corpus/a.md", "正文 \n")
        dir.write("corpus/b.md", "第二篇\t\n")
        func run() -> CLIRun { CLIRun.run(["--no-config", "--cache-dir", dir.path + "/cache", "corpus"], cwd: dir.path) }
        let first = run()
        #expect(!first.stderr.contains("could not save"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/cache")
        let cacheFile = try #require(files.first { $0.hasSuffix(".cache") })
        // A changed file makes the next run write the cache again; a non-empty directory where
        // the cache file goes cannot be replaced by it.
        try FileManager.default.removeItem(atPath: dir.path + "/cache/" + cacheFile)
        dir.write("cache/" + cacheFile + "/keep", "x")
        dir.write("corpus/b.md", "第二篇\t\n改過 \n")
        let second = run()
        #expect(second.stderr.contains("warning: could not save the cache"))
        #expect(second.stdout.contains("corpus/a.md:1") && second.stdout.contains("corpus/b.md:2"))
        #expect(second.status == first.status)
    }

    /// `newslint … | head`: the reader closes the pipe while the cache is being saved beside the
    /// output (held open a second before its cross-file result is renamed into place). The save is
    /// finished (the cache kept, no temporary file left) and the process ends as a closed pipe ends
    /// it (SIGPIPE, or 141 where SIGPIPE was already ignored).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: KillTests.executable.path),
                   "needs the newslint executable built beside the tests (swift build)"))
    func aClosedOutputStillSavesTheCache() throws {
        let dir = TemporaryDirectory()
        let body = "---\ntitle: t\n---\n" + String(repeating: "正文一行 \n", count: 40)
        for i in 0..<300 { dir.write("corpus/\(i).md", body + "第\(i % 150)篇。\n") }
        let process = Process()
        process.executableURL = KillTests.executable
        process.arguments = ["--no-config", "--cache-dir", dir.path + "/cache", "--format", "concise", "--no-progress", "corpus"]
        process.currentDirectoryURL = dir.url
        process.environment = ProcessInfo.processInfo.environment.merging(["NEWSLINT_TEST_HOLD_TEMP_FILE": "1"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let first = pipe.fileHandleForReading.readData(ofLength: 100)
        #expect(!first.isEmpty)
        try pipe.fileHandleForReading.close()
        process.waitUntilExit()
        let bySignal = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE
        let byStatus = process.terminationReason == .exit && process.terminationStatus == 141
        #expect(bySignal || byStatus, "\(process.terminationReason) \(process.terminationStatus)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/cache")
        #expect(files.contains { $0.hasSuffix(".cache") } && files.contains { $0.hasSuffix(".cross-file") }, "\(files)")
        #expect(!files.contains { $0.contains(".tmp") }, "\(files)")
    }
}
