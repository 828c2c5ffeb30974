import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// The warm path's ways of reading a cache hit back, each against the plain way on many inputs:
/// a record's findings (the spill's decoder, with its shared strings and inlined readers: a
/// reference for changes to it), a stored string's UTF-8 check with its ASCII start stepped over
/// inline, and an entry copied out of the cache file (the bytes copied; how often its pages are
/// released, now counted atomically, no test here observes).
@Suite struct WarmDecodeStorageTests {
    static let texts = ["", "a", "line-endings", "行尾", "mixed line endings (6 CRLF, 9 LF); expected LF",
                        "copyright footer '受到著作权法保护' (scraper residue)", "\r\n", "12345678", "1234567", "123456789",
                        String(repeating: "x", count: 300), "é\u{301}", "🙂 emoji", "<div> has no end tag"]

    static func randomFinding(_ rng: inout SeededRandom, path: String) -> Diagnostic {
        var fix: Fix?
        if rng.chance(0.6) {
            let edits = (0..<rng.pick([0, 1, 1, 2, 3, 5, 9])).map { _ -> Edit in
                let lo = rng.below(70_000)
                return Edit(range: lo..<(lo + rng.below(300)), replacement: Array(rng.pick(texts).utf8))
            }
            fix = Fix(rng.chance(0.5) ? .safe : .unsafe, rng.pick(texts), edits: edits)
        }
        return Diagnostic(rule: rng.pick(Array(texts.prefix(6))), severity: rng.pick([.info, .warning, .error]), path: path,
                          line: rng.below(20_000), column: rng.below(300), endLine: rng.chance(0.5) ? nil : rng.below(20_000),
                          endColumn: rng.chance(0.5) ? nil : rng.below(130), message: rng.pick(texts), fix: fix)
    }

    /// The findings in the spill's record form (`SpilledStrings`), as a cache entry stores them.
    static func encoded(_ findings: [Diagnostic]) -> [UInt8] {
        var w = ByteWriter()
        var strings = SpilledStrings.Writer()
        for d in findings { w.diagnostic(d) { strings.write($1, to: &$0) } }
        return w.bytes
    }

    /// The plain way: every field read one after the other and appended to arrays grown from empty.
    static func plainDecode(_ bytes: [UInt8], count: Int, path: String) -> (findings: [Diagnostic], end: Int)? {
        var r = ByteReader(bytes, range: 0..<bytes.count)
        var strings: [String] = []
        var recent = RecentStrings()
        var out: [Diagnostic] = []
        for _ in 0..<count {
            guard let rule = r.spilledString(&strings, recent: &recent), let sev = r.byte(), sev <= 2, let line = r.int(),
                  let column = r.int(), let endLine = r.int(), let endColumn = r.int(),
                  let message = r.spilledString(&strings, recent: &recent), let hasFix = r.byte(), hasFix <= 2 else { return nil }
            var fix: Fix?
            if hasFix != 0 {
                guard let description = r.spilledString(&strings, recent: &recent), let editCount = r.int() else { return nil }
                var edits: [Edit] = []
                for _ in 0..<editCount {
                    guard let lo = r.int(), let hi = r.int(), lo <= hi, let n = r.int(), let range = r.skip(n) else { return nil }
                    edits.append(Edit(range: lo..<hi, replacement: Array(bytes[range])))
                }
                fix = Fix(hasFix == 1 ? .safe : .unsafe, description, edits: edits)
            }
            out.append(Diagnostic(rule: rule, severity: [.info, .warning, .error][Int(sev)], path: path, line: line, column: column,
                                  endLine: endLine == 0 ? nil : endLine - 1, endColumn: endColumn == 0 ? nil : endColumn - 1,
                                  message: message, fix: fix))
        }
        return (out, r.position)
    }

    static func fastDecode(_ bytes: [UInt8], count: Int, path: String, range: Range<Int>? = nil) -> (findings: [Diagnostic], end: Int)? {
        var r = ByteReader(bytes, range: range ?? 0..<bytes.count)
        var strings: [String] = []
        var recent = RecentStrings()
        guard let findings = r.spilledDiagnostics(count, path: path, strings: &strings, recent: &recent) else { return nil }
        return (findings, r.position)
    }

    static func same(_ a: (findings: [Diagnostic], end: Int)?, _ b: (findings: [Diagnostic], end: Int)?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x.end == y.end && x.findings == y.findings
        default: return false
        }
    }

    /// Random records (none, one, many findings; fixes of 0–9 edits), whole, cut at every length,
    /// with a count past what they hold, and with bytes damaged: the same answer as the plain way.
    @Test func spilledFindingsMatchThePlainWay() throws {
        var rng = SeededRandom(seed: 26)
        for round in 0..<300 {
            let path = round % 2 == 0 ? "新闻/a.md" : "b.html"
            let findings = (0..<rng.pick([0, 1, 2, 7, 40])).map { _ in Self.randomFinding(&rng, path: path) }
            let bytes = Self.encoded(findings)
            let fast = try #require(Self.fastDecode(bytes, count: findings.count, path: path))
            #expect(fast.findings == findings && fast.end == bytes.count)
            #expect(Self.same(fast, Self.plainDecode(bytes, count: findings.count, path: path)))
            // Room is left for the cross-file findings the merge appends in place.
            #expect(fast.findings.capacity >= findings.count + ByteReader.crossFileRoom)
            for count in [findings.count + 1, findings.count + 1000, Int(Int32.max)] {
                #expect(Self.fastDecode(bytes, count: count, path: path) == nil)
            }
            for end in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)) {
                let cut = Array(bytes[..<end])
                #expect(Self.same(Self.fastDecode(cut, count: findings.count, path: path), Self.plainDecode(cut, count: findings.count, path: path)))
                // The same cut as a reader's range over the whole bytes.
                #expect(Self.same(Self.fastDecode(bytes, count: findings.count, path: path, range: 0..<end),
                                  Self.plainDecode(cut, count: findings.count, path: path)))
            }
            if !bytes.isEmpty {
                for _ in 0..<8 {
                    var damaged = bytes
                    damaged[rng.below(damaged.count)] = UInt8(truncatingIfNeeded: rng.next())
                    #expect(Self.same(Self.fastDecode(damaged, count: findings.count, path: path),
                                      Self.plainDecode(damaged, count: findings.count, path: path)))
                }
            }
        }
    }

    /// Random bytes (ASCII runs of every length around the 8-byte blocks, CJK, emoji, invalid
    /// sequences at every position): valid exactly when the validator says so.
    @Test func asciiStartThenValidatorMatchesTheValidator() {
        var rng = SeededRandom(seed: 16)
        let pieces: [[UInt8]] = [[0x61], Array("行".utf8), Array("🙂".utf8), [0xFF], [0xC2], [0xE2, 0x80], [0xED, 0xA0, 0x80],
                                 [0xF4, 0x90, 0x80, 0x80], [0x0D, 0x0A], [0xC0, 0xAF], [0x80], [0x7F], [0x00]]
        var inputs: [[UInt8]] = [[], [0x61], [0xFF], [0xC3], [0xC3, 0xA9]]
        for ascii in 0..<20 {
            for tail in pieces { inputs.append(Array(repeating: 0x61, count: ascii) + tail) }
            inputs.append(Array(repeating: 0x61, count: ascii))
        }
        for _ in 0..<3000 {
            var b: [UInt8] = []
            for _ in 0..<rng.below(12) {
                b += rng.chance(0.5) ? Array(repeating: 0x61, count: rng.below(17)) : rng.pick(pieces)
            }
            inputs.append(b)
        }
        for input in inputs {
            input.withUnsafeBufferPointer { buffer in
                let fast = ByteReader.isValidUTF8(buffer)
                #expect(fast == (UTF8Validation.firstInvalidOffset(in: buffer) == nil), "\(input)")
                #expect(fast == (String(validating: input, as: UTF8.self) != nil), "\(input)")
            }
        }
    }

    /// Ranges of a cache file (empty, one byte, the whole file, random), copied out: the bytes at
    /// those offsets, in an array of their own, past several page releases.
    @Test func entryCopiesAreTheFileBytes() throws {
        var rng = SeededRandom(seed: 10)
        let file = NSTemporaryDirectory() + "/newslint-image-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(file) }
        let bytes = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let image = try #require(CacheFileImage(path: file))
        #expect(image.count == bytes.count)
        var ranges: [Range<Int>] = [0..<0, 0..<1, 69_999..<70_000, 0..<70_000, 35_000..<35_000, 7..<15]
        for _ in 0..<500 {
            let lo = rng.below(bytes.count)
            ranges.append(lo..<(lo + rng.below(min(5000, bytes.count - lo) + 1)))
        }
        // More than `releaseInterval` in all: the pages are given back on the way and read again.
        for _ in 0..<40 { ranges.append(0..<bytes.count) }
        for range in ranges {
            let copy = image.copy(range)
            #expect(copy.count == range.count)
            #expect(copy.elementsEqual(bytes[range]), "\(range)")
        }
    }
}
