import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A cache hit's diagnostics travel as bytes from the entry to the output spill; these check that
/// the bytes say exactly what the decoded diagnostics would, and that damage is caught on the worker.
@Suite struct CacheHitBytesTests {
    /// Findings with repeated and distinct strings (more than the 16 a spill record searches back),
    /// fixes with and without edits, open and closed ranges, non-ASCII text.
    static func findings(path: String) -> [Diagnostic] {
        (0..<60).map { i in
            Diagnostic(rule: i % 3 == 0 ? "line-endings" : "行尾", severity: i % 2 == 0 ? .warning : .error, path: path, line: i + 1, column: i % 4,
                       endLine: i % 5 == 0 ? nil : i + 1, endColumn: i % 6 == 0 ? nil : 9,
                       message: i % 7 == 0 ? "第 \(i) 条" : (i % 2 == 0 ? "same" : "同上"),
                       fix: i % 4 == 0 ? nil : Fix(i % 8 == 1 ? .unsafe : .safe, i % 3 == 0 ? "d" : "删除 \(i % 20)",
                                                  edits: i % 9 == 0 ? [] : [.delete(i..<(i + 2)), Edit(range: (i + 3)..<(i + 3), replacement: Array("换".utf8))]))
        }
    }

    /// The diagnostics in the spill's form, as a cache entry stores them.
    static func stored(_ diagnostics: [Diagnostic]) -> SpilledDiagnostics {
        var w = ByteWriter()
        var strings = SpilledStrings.Writer()
        for d in diagnostics { w.diagnostic(d) { strings.write($1, to: &$0) } }
        return SpilledDiagnostics(bytes: w.bytes, count: diagnostics.count)
    }

    static func entry(_ findings: [Diagnostic]) -> [UInt8] {
        let entry = CacheEntry(location: "/corpus/新闻/a.md", stamp: FileStamp(size: 9, mtimeSeconds: 1, mtimeNanoseconds: 2, inode: 3), settled: true,
                               contentHash: 5, byteCount: 9, diagnostics: findings, facts: [("rule", [1, 2, 3][...])])
        var w = ByteWriter()
        entry.encode(into: &w)
        return w.bytes
    }

    /// An entry read for a hit hands on its findings as the spill's bytes, which decode to the
    /// findings stored; decoding the entry whole gives the same findings.
    @Test func entryStoresFindingsAsTheSpillWritesThem() throws {
        let findings = Self.findings(path: "新闻/a.md")
        let bytes = Self.entry(findings)
        let lazy = try #require(CacheEntry.decode(bytes, range: 0..<bytes.count, displayPath: "新闻/a.md", decodingDiagnostics: false))
        let stored = try #require(lazy.storedDiagnostics)
        #expect(lazy.diagnostics.isEmpty)
        #expect(Array(stored.bytes[stored.range]) == Self.stored(findings).bytes)
        #expect(stored.decode(path: "新闻/a.md", knownStrings: KnownStrings(["line-endings"])) == findings)
        #expect(CacheEntry.decode(bytes, range: 0..<bytes.count, displayPath: "新闻/a.md")?.diagnostics == findings)
        // Recorded again (a hit by content hash): the same bytes.
        var again = ByteWriter()
        lazy.encode(into: &again)
        #expect(again.bytes == bytes)
    }

    @Test func damagedStoredFindingsAreRejectedOnTheWorker() {
        let findings = Array(Self.findings(path: "a.md").prefix(12))
        let bytes = Self.entry(findings)
        for end in 0..<bytes.count {
            #expect(CacheEntry.decode(bytes, range: 0..<end, decodingDiagnostics: false) == nil)
        }
        // A string referring to one the record has not spelled out yet, and a bad severity byte.
        var w = ByteWriter()
        w.varint(3)
        w.byte(1)
        var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
        var strings = 0
        let forward = r.skipSpilledDiagnostic(strings: &strings)
        #expect(!forward)
        var one = ByteWriter()
        one.diagnostic(findings[0]) { $0.varint(0); $0.string($1) }
        var bad = one.bytes
        bad[Int(bad[1]) + 2] = 9
        var s = ByteReader(bad, range: 0..<bad.count)
        strings = 0
        let badSeverity = s.skipSpilledDiagnostic(strings: &strings)
        #expect(!badSeverity)
        var good = ByteReader(one.bytes, range: 0..<one.bytes.count)
        strings = 0
        let whole = good.skipSpilledDiagnostic(strings: &strings)
        #expect(whole && good.atEnd && strings == (findings[0].fix == nil ? 2 : 3))
    }

    /// A stored message or fix replacement that is not UTF-8 (a cache file written by something
    /// else with the right key) rejects the entry on the worker: the spill that would carry it to
    /// the output does not validate strings again.
    @Test func storedStringsThatAreNotUTF8AreRejectedOnTheWorker() {
        let finding = Diagnostic(rule: "r", severity: .warning, path: "a.md", line: 1, column: 1, message: "訊息MSG",
                                 fix: Fix(.safe, "fix", edits: [Edit(range: 0..<1, replacement: "ＲＥＰ")]))
        func written(_ d: Diagnostic) -> [UInt8] {
            var w = ByteWriter()
            w.diagnostic(d) { $0.varint(0); $0.string($1) }
            return w.bytes
        }
        let good = written(finding)
        var strings = 0
        var reader = ByteReader(good, range: 0..<good.count)
        let whole = reader.skipSpilledDiagnostic(strings: &strings)
        #expect(whole)
        for marker in [Array("MSG".utf8), Array("ＲＥＰ".utf8)] {
            guard let at = good.indices.first(where: { good[$0...].starts(with: marker) }) else {
                Issue.record("marker not written")
                continue
            }
            var bad = good
            bad[at] = 0xFF
            strings = 0
            var r = ByteReader(bad, range: 0..<bad.count)
            let accepted = r.skipSpilledDiagnostic(strings: &strings)
            #expect(!accepted, "\(marker)")
        }
    }

    /// The delivery copies a hit's bytes into the spill; reading the spill back gives the findings
    /// the entry held, between files whose findings were encoded from values.
    @Test func hitsAndLintedFilesReadBackFromOneSpill() throws {
        for threshold in [0, 64, 1 << 20] {
            let spill = DiagnosticSpill(threshold: threshold)
            var expected: [[Diagnostic]] = []
            for f in 0..<6 {
                let path = "f\(f).md"
                let findings = Array(Self.findings(path: path).prefix(10 + f * 7))
                if f % 2 == 0 {
                    var hit = FileOutcome(path: path, diagnostics: [], facts: [], byteCount: 1, fix: nil, ioFailure: false)
                    hit.spilledDiagnostics = Self.stored(findings)
                    #expect(hit.diagnostics == findings)
                    spill.append(hit)
                } else {
                    spill.append(findings)
                }
                expected.append(findings)
            }
            var read: [[Diagnostic]] = []
            #expect(spill.forEachFile { read.append($0) })
            #expect(read == expected)
        }
    }

    /// A hit's record is written straight into the spill with its length worked out beforehand:
    /// paths, finding counts and lines sections whose lengths need one, two and three varint
    /// bytes, with and without lines, read back exactly as records encoded from values.
    @Test func hitRecordsOfEveryLengthReadBackWhole() throws {
        let base = Self.findings(path: "")
        for threshold in [0, 1 << 20] {
            let spill = DiagnosticSpill(threshold: threshold)
            var expected: [(String, [Diagnostic], [Int: String])] = []
            for (f, (pathLength, count, lineLength)) in [(1, 1, 0), (40, 127, 0), (43, 128, 1), (127, 0, 5), (128, 3, 130),
                                                         (300, 200, 0), (5, 129, 20_000), (16_400, 2, 3), (2, 0, 0)].enumerated() {
                let path = String(repeating: "新", count: pathLength / 3) + String(repeating: "a", count: pathLength % 3) + "\(f)"
                let findings = (0..<count).map { i in
                    var d = base[i % base.count]
                    d.path = path
                    d.line = i + 1
                    return d
                }
                var lines: [Int: String] = [:]
                if lineLength > 0 { lines = [1: String(repeating: "行", count: lineLength / 3) + "x", 9: ""] }
                var w = ByteWriter()
                var strings = SpilledStrings.Writer()
                for d in findings { w.diagnostic(d) { strings.write($1, to: &$0) } }
                let end = w.bytes.count
                w.sourceLines(lines)
                var hit = FileOutcome(path: path, diagnostics: [], facts: [], byteCount: 1, fix: nil, ioFailure: false)
                hit.spilledDiagnostics = SpilledDiagnostics(bytes: w.bytes, range: 0..<end, count: count,
                                                            lines: lines.isEmpty && f % 2 == 0 ? nil : (end..<w.bytes.count, lines.count))
                spill.append(hit)
                if count > 0 || !lines.isEmpty { expected.append((path, findings, lines)) }
                // A file linted in this run between hits.
                spill.append(Array(base.prefix(3)), lines: [2: "二"], path: "linted\(f).md")
                expected.append(("linted\(f).md", Array(base.prefix(3)), [2: "二"]))
            }
            var read: [(String, [Diagnostic], [Int: String])] = []
            #expect(spill.forEachRecord { read.append(($0, $1, $2)) })
            #expect(read.count == expected.count)
            for (r, e) in zip(read, expected) {
                #expect(r.0.hasSameBytes(as: e.0) && r.1 == e.1.map { var d = $0; d.path = e.0; return d } && r.2 == e.2)
            }
        }
    }

    /// The spill reads its lines back without validating them, so a hit's stored lines are
    /// checked when they are copied in: a line that is not UTF-8 (a damaged entry) is left out,
    /// as decoding it left it out before, and the others come back whole.
    @Test func hitLinesThatAreNotUTF8AreLeftOutWhenCopied() {
        let base = Self.findings(path: "a.md")
        var w = ByteWriter()
        var strings = SpilledStrings.Writer()
        for d in base.prefix(2) { w.diagnostic(d) { strings.write($1, to: &$0) } }
        let end = w.bytes.count
        w.sourceLines([1: "第一行", 2: "XX", 3: "three"])
        // "XX" becomes two bytes that are not UTF-8 (a lone continuation byte and 0xFF).
        guard let at = w.bytes[end...].firstIndex(of: 0x58) else { Issue.record("no line 2"); return }
        w.bytes[at] = 0x80
        w.bytes[at + 1] = 0xFF
        for damaged in [false, true] {
            var bytes = w.bytes
            if !damaged { bytes[at] = 0x58; bytes[at + 1] = 0x58 }
            let spill = DiagnosticSpill()
            var hit = FileOutcome(path: "a.md", diagnostics: [], facts: [], byteCount: 1, fix: nil, ioFailure: false)
            hit.spilledDiagnostics = SpilledDiagnostics(bytes: bytes, range: 0..<end, count: 2, lines: (end..<bytes.count, 3))
            spill.append(hit)
            var read: [(String, [Diagnostic], [Int: String])] = []
            #expect(spill.forEachRecord { read.append(($0, $1, $2)) })
            #expect(read.count == 1 && read.first?.1 == Array(base.prefix(2)))
            #expect(read.first?.2 == (damaged ? [1: "第一行", 3: "three"] : [1: "第一行", 2: "XX", 3: "three"]))
        }
    }

    /// A file's repeated strings are numbered by their bytes, not by canonical equivalence: a
    /// message in NFD after the same one in NFC comes back in NFD (`==` would call them equal).
    @Test func spillKeepsCanonicallyEquivalentStringsApart() {
        let composed = "caf\u{E9} 回歸", decomposed = "cafe\u{301} 回歸"
        #expect(composed == decomposed && !composed.hasSameBytes(as: decomposed))
        let findings = [composed, decomposed, composed].enumerated().map { i, message in
            Diagnostic(rule: "r", severity: .warning, path: "a.md", line: i + 1, column: 1, message: message)
        }
        let spill = DiagnosticSpill()
        spill.append(findings)
        var read: [Diagnostic] = []
        #expect(spill.forEachFile { read += $0 })
        #expect(read.map { Array($0.message.utf8) } == findings.map { Array($0.message.utf8) })
    }

    /// A spill larger than `pipelineBytes` is decoded on a thread of its own: the files still come
    /// back whole and in order, from disk and from memory alike.
    @Test func largeSpillReadsBackInOrderThroughTheDecodingThread() throws {
        for threshold in [0, 1 << 14, 1 << 30] {
            let spill = DiagnosticSpill(threshold: threshold)
            var expected: [[Diagnostic]] = []
            var files = 0
            while spill.spilledBytes < DiagnosticSpill.pipelineBytes * 3 && files < 3000 {
                let path = "dir/\(files).md"
                let findings = Array(Self.findings(path: path).prefix(files % 40 + 1))
                if files % 3 == 0 {
                    var hit = FileOutcome(path: path, diagnostics: [], facts: [], byteCount: 1, fix: nil, ioFailure: false)
                    hit.spilledDiagnostics = Self.stored(findings)
                    spill.append(hit)
                } else {
                    spill.append(findings, lines: [1: "第一行"])
                }
                expected.append(findings)
                files += 1
            }
            var read: [[Diagnostic]] = []
            #expect(spill.forEachFile { read.append($0) })
            #expect(read == expected)
            // Read twice: the spill is unchanged by reading it.
            var again = 0
            #expect(spill.forEachFile { _ in again += 1 })
            #expect(again == expected.count)
        }
    }

    /// Stamps through a directory descriptor are the stamps of a full-path `stat`.
    @Test func directoryStampsMatchFullPathStamps() throws {
        let dir = TemporaryDirectory()
        var paths: [String] = []
        for d in 0..<(8 + 3) {
            paths.append(dir.write("d\(d)/a.md", "甲\n"))
            paths.append(dir.write("d\(d)/新闻 b.md", "乙乙\n"))
        }
        let stamper = DirectoryStamper(limit: 8)
        for path in paths {
            let stamp = try #require(stamper.stamp(path))
            #expect(stamp == FileStamp.of(path))
        }
        #expect(stamper.stamp(dir.path + "/d0/missing.md") == nil)
        #expect(stamper.stamp(dir.path + "/d0") == nil)
        #expect(stamper.stamp(dir.path + "/d0/") == nil)
        // A file rewritten after its first stamp gets a new one.
        let first = try #require(stamper.stamp(paths[0]))
        dir.write("d0/a.md", "甲乙丙\n")
        #expect(stamper.stamp(paths[0]) != first)
        #expect(stamper.stamp(paths[0]) == FileStamp.of(paths[0]))
    }

    /// Directory descriptors are held for the whole run: few when the open-file limit is low.
    @Test func stamperHoldsFewDirectoriesUnderALowOpenFileLimit() {
        #expect(DirectoryStamper.limit(openFileLimit: 1024) == 62)
        #expect(DirectoryStamper.limit(openFileLimit: 1 << 20) == 64)
        #expect(DirectoryStamper.limit(openFileLimit: UInt64.max) == 64)
        #expect(DirectoryStamper.limit(openFileLimit: 50) == 1)
        #expect(DirectoryStamper.limit(openFileLimit: 30) == 0)
        #expect((0...64).contains(DirectoryStamper.defaultLimit))
    }

    /// The stamper answers for the directory it opened; a file that is read must be stamped as
    /// read: after its directory was replaced mid-run, the entry holds the new file's stamp (with
    /// the old one, putting the old directory back would have answered for it with the new text).
    @Test func aFileReadAfterItsDirectoryWasReplacedIsStampedAsRead() throws {
        let dir = TemporaryDirectory()
        let catalog = try TestDuplicateSlugRule.catalog()
        let path = dir.write("site/a.md", "---\ntitle: 甲\ndate: 2023-01-01\n---\n本报讯正文。\n")
        dir.write("next/a.md", "---\ntitle: 乙\ndate: 2023-01-01\n---\n本报讯另一篇正文，长一些。\n")
        let cacheDir = dir.path + "/.cache"
        let cache = try #require(LintCache.open(directory: cacheDir, key: 11))
        // The stamper holds site/'s descriptor, as after the run's earlier files there.
        #expect(cache.stamper.stamp(path) != nil)
        let old = try #require(FileStamp.of(path))
        try FileManager.default.moveItem(atPath: dir.path + "/site", toPath: dir.path + "/old")
        try FileManager.default.moveItem(atPath: dir.path + "/next", toPath: dir.path + "/site")
        _ = try Linter.forTest(root: dir.path, catalog: catalog, cache: cache).lint([.file(path)])
        try cache.save()
        let reopened = try #require(LintCache.open(directory: cacheDir, key: 11))
        let entry = try #require(reopened.entry(for: path))
        #expect(entry.stamp == FileStamp.of(path))
        #expect(entry.stamp != old)
    }
}


/// The source lines a text or SARIF run captured travel with a cache hit, so its code frames need
/// not read the file again.
@Suite struct CacheHitSourceLinesTests {
    /// A linter of one rule over `root`, keeping source lines for code frames when `capturing`.
    static func linter(root: String, rule: String, cache: LintCache?, capturing: Bool) throws -> Linter {
        var settings = LintSettings()
        settings.baseDirectory = root
        settings.cache = cache
        settings.captureSourceLines = capturing
        settings.filter = RuleFilter(select: [rule])
        var catalog = Catalog.builtin
        let config = try Configuration.parse("{}", file: root + "/.lint.json", directory: root, catalog: &catalog)
        return try Linter(catalog: catalog, config: config, settings: settings)
    }

    static let lines: [Int: String] = [1: "第一行 tail  ", 7: "", 12: "回歸 café\tx"]

    @Test func entryKeepsCapturedLinesAndTheSpillHandsThemOn() throws {
        let findings = Array(CacheHitBytesTests.findings(path: "新闻/a.md").prefix(12))
        var entry = CacheEntry(location: "/corpus/新闻/a.md", stamp: FileStamp(size: 9, mtimeSeconds: 1, mtimeNanoseconds: 2, inode: 3), settled: true,
                               contentHash: 5, byteCount: 9, diagnostics: findings, facts: [])
        entry.sourceLines = Self.lines
        var w = ByteWriter()
        entry.encode(into: &w)
        let decoded = try #require(CacheEntry.decode(w.bytes, range: 0..<w.bytes.count, displayPath: "新闻/a.md"))
        #expect(decoded.sourceLines == Self.lines && decoded.diagnostics == findings)
        let lazy = try #require(CacheEntry.decode(w.bytes, range: 0..<w.bytes.count, displayPath: "新闻/a.md", decodingDiagnostics: false))
        let stored = try #require(lazy.storedDiagnostics)
        #expect(stored.lines != nil)
        // Recorded again from the lazy form: the same bytes, lines included.
        var again = ByteWriter()
        lazy.encode(into: &again)
        #expect(again.bytes == w.bytes)
        // Through the spill, as the run's delivery hands on a hit.
        let spill = DiagnosticSpill()
        var hit = FileOutcome(path: "新闻/a.md", diagnostics: [], facts: [], byteCount: 9, fix: nil, ioFailure: false)
        hit.spilledDiagnostics = stored
        spill.append(hit)
        var read: [([Diagnostic], [Int: String])] = []
        #expect(spill.forEachRecord { read.append(($1, $2)) })
        #expect(read.count == 1 && read.first?.0 == findings && read.first?.1 == Self.lines)
        // Every truncation is rejected, never a crash.
        for end in 0..<w.bytes.count {
            #expect(CacheEntry.decode(w.bytes, range: 0..<end, decodingDiagnostics: false) == nil)
        }
    }

    /// A stored line that is not UTF-8 (a damaged entry whose checksum still held) is left out:
    /// the output reads that line from the file instead of stopping.
    @Test func aLineThatIsNotUTF8IsLeftOut() {
        var w = ByteWriter()
        w.varint(2)
        w.varint(3)
        w.blob([0xE5, 0x9B])
        w.varint(4)
        w.string("好")
        var skip = ByteReader(w.bytes, range: 0..<w.bytes.count)
        #expect(skip.skipSourceLines() == 2 && skip.atEnd)
        var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
        #expect(r.sourceLines() == [4: "好"])
    }

    /// A hit hands the output the lines the missing run captured (all but the one too long to
    /// store), so the text format reads nothing back for them; the output matches the cold run's.
    @Test func hitCarriesTheCapturedLinesButNotLongOnes() throws {
        let dir = TemporaryDirectory()
        let long = String(repeating: "長", count: CacheEntry.storedLineLimit / 3 + 10)
        dir.write("a.md", "---\ntitle: t\ndate: 2024-01-01\n---\nline one \n\(long)甲 \nend \n")
        dir.write("b.md", "---\ntitle: b\ndate: 2024-01-01\n---\n正文 \n")
        let inputs = LintInputList(["a.md", "b.md"].map { LintInput.file($0) })
        func linter(_ cache: LintCache?, capturing: Bool = true) throws -> Linter {
            try Self.linter(root: dir.path, rule: "trailing-whitespace", cache: cache, capturing: capturing)
        }
        func merged(_ linter: Linter) -> [String: [Int: String]] {
            var out: [String: [Int: String]] = [:]
            LintRun(linter: linter, request: LintRequest(inputs: inputs)).merge { group, lines in
                if let path = group.first?.path { out[path] = lines }
            }
            return out
        }
        let cold = try #require(LintCache.open(directory: dir.path + "/.cache", key: 21))
        let captured = merged(try linter(cold))
        #expect(captured["a.md"]?.keys.sorted() == [5, 6, 7] && captured["b.md"] == [5: "正文 "])
        try cold.save()
        let warm = try #require(LintCache.open(directory: dir.path + "/.cache", key: 21))
        let outcomes = Locked<[FileOutcome]>([])
        let warmLinter = try linter(warm)
        _ = warmLinter.lintStreaming(inputs, observer: { o in outcomes.withLock { $0.append(o) } }) { _ in }
        let hits = outcomes.withLock { $0 }.filter(\.answeredFromCache).count
        #expect(hits == 2)
        let again = try #require(LintCache.open(directory: dir.path + "/.cache", key: 21))
        let stored = merged(try linter(again))
        #expect(stored["a.md"] == [5: "line one ", 7: "end "])
        #expect(stored["b.md"] == [5: "正文 "])
        // A run whose format quotes no line does not carry the stored ones to its output.
        let quiet = try #require(LintCache.open(directory: dir.path + "/.cache", key: 21))
        let none = merged(try linter(quiet, capturing: false))
        #expect(none.keys.sorted() == ["a.md", "b.md"] && none.values.allSatisfy(\.isEmpty))
    }

    /// The text format's output is the same cold and warm.
    @Test func warmTextOutputMatchesCold() throws {
        let dir = TemporaryDirectory()
        let long = String(repeating: "長", count: CacheEntry.storedLineLimit / 3 + 10)
        dir.write("corpus/a.md", "---\ntitle: t\n---\nline one \n\(long)甲 \nend \n")
        dir.write("corpus/b.md", "正文 \n第二行。\t\n")
        func run() -> CLIRun {
            CLIRun.run(["--no-config", "--cache-dir", dir.path + "/cache", "corpus"], cwd: dir.path)
        }
        let cold = run()
        #expect(cold.stdout.contains("line one") && cold.stdout.contains("長甲") && cold.stdout.contains("第二行"))
        let warm = run()
        #expect(warm.stdout == cold.stdout && warm.status == cold.status)
    }

    /// A cross-file finding's line is kept by the pass where the rule's fact names it (here the
    /// body's first line), for files with no finding of their own too, and travels with a hit.
    @Test func crossFileFindingsQuoteLinesThePassKept() throws {
        let dir = TemporaryDirectory()
        let body = "正文第一段，足夠長的一段文字用來比較兩篇文章是否相同。這裡還有更多的內容，讓正文超過最短長度的限制。"
        dir.write("a.md", "---\ntitle: 甲\n---\n\(body)\n")
        dir.write("b.md", "---\ntitle: 乙\n---\n\(body)\n")
        dir.write("c.md", "---\ntitle: 丙\n---\n別的正文。\n")
        let inputs = LintInputList(["a.md", "b.md", "c.md"].map { LintInput.file($0) })
        func merged(_ cache: LintCache?) throws -> [String: [Int: String]] {
            var out: [String: [Int: String]] = [:]
            let linter = try Self.linter(root: dir.path, rule: "content-duplicate", cache: cache, capturing: true)
            LintRun(linter: linter, request: LintRequest(inputs: inputs)).merge { group, lines in
                if let path = group.first?.path { out[path] = lines }
                #expect(group.allSatisfy { $0.rule == "content-duplicate" && $0.line == 4 })
            }
            return out
        }
        let expected = ["a.md": [4: body], "b.md": [4: body]]
        #expect(try merged(nil) == expected)
        let cold = try #require(LintCache.open(directory: dir.path + "/.cache", key: 22))
        #expect(try merged(cold) == expected)
        try cold.save()
        let warm = try #require(LintCache.open(directory: dir.path + "/.cache", key: 22))
        #expect(try merged(warm) == expected)
    }
}

/// `LintCache.sealed` sizes its writers from the entry: the facts' estimate must hold what
/// `encodeFacts` writes (an estimate under it would reallocate, not fail, so this is what keeps
/// the estimate honest), and the head's guess must cover an ordinary entry with findings.
@Suite struct SealedCapacityTests {
    @Test func estimatesCoverWhatTheEncodersWrite() {
        let path = "/語料/新闻/报道-2024.md"
        let facts: [(rule: String, data: ArraySlice<UInt8>)] = [
            ("content-near-duplicate", ArraySlice(repeating: 7, count: 300)),
            ("slug-duplicate", ArraySlice(Array("新闻-2024-報道".utf8))),
            ("body-placeholder", ArraySlice(repeating: 0xFF, count: 20_000)),
            ("x", []),
        ]
        // Many findings of one kind (a trailing space on every line): numbered strings, a few bytes each.
        let repeated = (0..<5_000).map { i in
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: path, line: i + 1, column: 40, endLine: i + 1, endColumn: 41,
                       message: "Trailing whitespace", fix: Fix(.safe, "Remove trailing whitespace", edit: Edit(range: 1_900_000 + i..<1_900_001 + i, replacement: "")))
        }
        for findings in [[], CacheHitBytesTests.findings(path: path), repeated] {
            var entry = CacheEntry(location: path, stamp: FileStamp(size: 3, mtimeSeconds: 1, mtimeNanoseconds: 0, inode: 9), settled: false,
                                   contentHash: 1, byteCount: 3, diagnostics: findings, facts: facts)
            entry.sourceLines = [1: "第一行", 40: String(repeating: "長", count: 300)]
            var factsWriter = ByteWriter()
            entry.encodeFacts(into: &factsWriter)
            #expect(factsWriter.bytes.count <= entry.encodedFactsCapacity)
            var head = ByteWriter()
            entry.encodeHead(into: &head)
            entry.encodeTail(into: &head)
            #expect(head.bytes.count <= entry.encodedHeadAndTailCapacity, "\(findings.count) findings")
        }
    }
}
