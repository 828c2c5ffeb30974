import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// What a warm run does once per file (find the stamper's directory, hash the path, show the
/// path) gives what the plain code it replaced gave; the note of a verified cross-file result.
@Suite struct WarmLookupTests {
    /// The last slash is found wherever it is: in the first word, the last, across words, none.
    @Test func lastSlashMatchesAByteScan() {
        var names: [[UInt8]] = [[], Array("/".utf8), Array("a".utf8), Array("/abc".utf8), Array("abc/".utf8)]
        for length in 1..<40 {
            for at in stride(from: 0, to: length, by: 3) {
                var bytes = Array(repeating: UInt8(ascii: "x"), count: length)
                bytes[at] = UInt8(ascii: "/")
                names.append(bytes)
                // Chinese text around it (bytes ≥ 0x80 in every word).
                names.append(Array("新聞".utf8) + bytes + Array("報導.md".utf8))
            }
        }
        names.append(Array("/tmp/報導/新聞 — 2024 “標題”.html".utf8))
        for name in names {
            let found = name.withUnsafeBufferPointer { DirectoryStamper.lastSlash($0) }
            #expect(found == name.lastIndex(of: UInt8(ascii: "/")), "\(name)")
        }
    }

    /// A long name shows an escaped character wherever it sits (the sixteen-byte steps, the
    /// eight-byte steps and the last bytes), and a long name without one unchanged.
    @Test func longNamesAreShownAsShortOnesAre() {
        let specials: [(String, String)] = [
            ("\\", "\\\\"), ("\u{01}", "\\x01"), ("\u{7F}", "\\x7F"), ("\u{85}", "\\xC2\\x85"),
            ("\u{2028}", "\\xE2\\x80\\xA8"), ("\u{202E}", "\\xE2\\x80\\xAE"), (SystemPath.decode([0xB7]), "\\xB7"),
            // Lead bytes that only may start an escape: shown as they are.
            ("“", "“"), ("é", "é"), ("\u{10000}", "\u{10000}"), ("\u{F4}", "\u{F4}"),
        ]
        for (special, shown) in specials {
            for before in 0..<40 {
                let prefix = String(repeating: "a", count: before % 5) + String(repeating: "新", count: before / 5)
                let suffix = "報導/2024-11-01-標題.html"
                #expect(SystemPath.display(prefix + special + suffix) == prefix + shown + suffix, "\(before) \(shown)")
            }
        }
        let plain = "agora-x10-copies/copy-00/2024-11-01-AJ-乌克兰再次喊话盟友-请允许我们用你们的武器打击俄罗斯.html"
        #expect(SystemPath.display(plain) == plain)
    }

    /// A stored result and the note of its verification, as a warm run finds them.
    private struct NotedResult {
        let dir = TemporaryDirectory()
        let cache: LintCache
        let findings: [Diagnostic]

        init() throws {
            cache = try #require(LintCache.open(directory: dir.path + "/cache", key: 12))
            findings = (0..<3_000).map { i in
                Diagnostic(rule: "content-duplicate", severity: .warning, path: "新闻/\(String(format: "%05d", i)).md", line: 8, column: 1,
                           message: "body is identical to 新闻/\(i + 1).md" + String(repeating: "。", count: i % 50))
            }
            cache.recordCrossFile(digest: 77, fileCount: 3, diagnostics: findings)
            try cache.save()
        }

        var stamp: FileStamp? { FileStamp.of(cache.crossFileResultFile) }

        func pending() -> PendingCrossFileResult? { cache.verifyingStoredCrossFile(fileCount: 3) }

        func replay(_ pending: PendingCrossFileResult?) -> [Diagnostic]? {
            guard let stored = cache.storedCrossFile(digest: 77, pending: pending) else { return nil }
            var out: [Diagnostic] = []
            return stored.forEach { out.append($0) } ? out : nil
        }
    }

    /// A note for the result's very stamp, key and digest stands for its verification: the result
    /// replays exactly without being hashed again.
    @Test func aMatchingNoteStandsForTheVerification() throws {
        let result = try NotedResult()
        let stamp = try #require(result.stamp)
        VerifiedResultNote(key: 12, digest: 77, stamp: stamp).write(count: result.findings.count, to: result.cache.verifiedResultNote, macKey: result.cache.macKey)
        let pending = try #require(result.pending())
        #expect(pending.verifiedByNote)
        #expect(result.replay(pending) == result.findings)
    }

    /// A note for another stamp, digest or key, under another secret, or damaged is ignored: the
    /// result is verified as before (and a result damaged since is refused whole).
    @Test func aNoteThatDoesNotMatchIsIgnored() throws {
        let result = try NotedResult()
        let stamp = try #require(result.stamp)
        var other = stamp
        other.ctimeNanoseconds += 1
        let macKey = result.cache.macKey
        let notes: [[UInt8]] = [
            VerifiedResultNote(key: 12, digest: 77, stamp: other).bytes(count: result.findings.count, macKey: macKey),
            VerifiedResultNote(key: 12, digest: 78, stamp: stamp).bytes(count: result.findings.count, macKey: macKey),
            VerifiedResultNote(key: 13, digest: 77, stamp: stamp).bytes(count: result.findings.count, macKey: macKey),
            VerifiedResultNote(key: 12, digest: 77, stamp: stamp).bytes(count: result.findings.count, macKey: (macKey.0 ^ 1, macKey.1)),
            Array(VerifiedResultNote(key: 12, digest: 77, stamp: stamp).bytes(count: result.findings.count, macKey: macKey).dropLast()),
            { var b = VerifiedResultNote(key: 12, digest: 77, stamp: stamp).bytes(count: result.findings.count, macKey: macKey); b[30] ^= 1; return b }(),
        ]
        for note in notes {
            try CacheStreamTests.write(note, to: result.cache.verifiedResultNote)
            let pending = try #require(result.pending())
            #expect(!pending.verifiedByNote)
            #expect(result.replay(pending) == result.findings)
        }
        // A result written to in place after its note (a byte added: its size is part of the
        // stamp, whatever the clock's tick): it is verified, and fails.
        VerifiedResultNote(key: 12, digest: 77, stamp: stamp).write(count: result.findings.count, to: result.cache.verifiedResultNote, macKey: macKey)
        let handle = try #require(FileHandle(forUpdatingAtPath: result.cache.crossFileResultFile))
        try handle.seekToEnd()
        try handle.write(contentsOf: [0])
        try handle.close()
        let pending = try #require(result.pending())
        #expect(!pending.verifiedByNote)
        #expect(result.replay(pending) == nil)
    }

    /// A result written moments ago (its stamp not settled) is verified without leaving a note:
    /// a write in the same clock tick would not show in its stamp.
    @Test func aFreshResultLeavesNoNote() throws {
        let result = try NotedResult()
        let pending = try #require(result.pending())
        #expect(!pending.verifiedByNote)
        #expect(result.replay(pending) == result.findings)
        #expect(!FileManager.default.fileExists(atPath: result.cache.verifiedResultNote))
    }

    /// The note is pruned with its key's other files.
    @Test func notesArePrunedWithTheirKey() {
        #expect(CachePruning.Kind("0123456789abcdef.verified") == .cache)
        #expect(CachePruning.Kind("0123456789abcdef.verified.tmp-12-34") == .temporary)
    }

    /// Paths of every length up to a few hundred bytes, and paths that differ in one byte
    /// anywhere (a copy's directory, a date, the last letter), hash apart; equal bytes hash alike.
    @Test func pathHashesSeparateNearlyEqualPaths() {
        var seen: [UInt64: String] = [:]
        var paths: [String] = []
        for length in 0..<300 { paths.append(String(repeating: "a", count: length)) }
        let base = "agora-x10-copies/copy-00/2024-11-01-AJ-乌克兰再次喊话盟友-请允许我们用你们的武器打击俄罗斯.html"
        let bytes = Array(base.utf8)
        for i in bytes.indices where bytes[i] < 0x80 {
            for b in [UInt8(ascii: "0"), UInt8(ascii: "9"), UInt8(ascii: "z")] where b != bytes[i] {
                var changed = bytes
                changed[i] = b
                paths.append(String(decoding: changed, as: UTF8.self))
            }
        }
        for copy in 0..<100 { for day in 1...28 { paths.append("/corpus/copy-\(copy)/2024-11-\(day)-新闻.md") } }
        paths.append(base)
        for path in paths {
            let hash = LintCache.pathHash(path)
            #expect(seen[hash] == nil || seen[hash] == path, "\(path) and \(seen[hash] ?? "")")
            seen[hash] = path
            #expect(LintCache.pathHash(String(decoding: Array(path.utf8), as: UTF8.self)) == hash)
        }
    }
}
