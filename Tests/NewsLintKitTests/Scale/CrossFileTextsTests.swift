import Foundation
import Testing
@testable import NewsLintEngine
@testable import NewsLintCore

/// The stored cross-file result's texts as numbered pieces (`CrossFileTexts`): whatever the texts
/// say, they come back byte for byte, and the verifier and the reader agree with the writer on
/// every number, whether the table has room or is full.
struct CrossFileTextsTests {
    /// Pieces that stress the cut: separators at the ends and doubled, a comma or a space alone,
    /// CJK, CRLF, a decomposed accent (equal to the composed one as a `String`, not as bytes).
    static let fragments = ["", ", ", ",", " ", ",,", "  ", ", , ", "a", "新闻/报道.md", "news/a, b.md", "\r\n", "e\u{301}", "\u{E9}",
                            "body is identical to ", " and 4 more (group of 10 files)", "，", "x,", " y", String(repeating: "长", count: 2_000)]

    static func randomTexts(count: Int, seed: UInt64) -> [String] {
        var rng = SeededRandom(seed: seed)
        var paths: [String] = (0..<40).map { "copy-\($0 % 4)/新闻-\($0 / 4).md" }
        paths.append("")
        return (0..<count).map { _ in
            let n = Int.random(in: 0...12, using: &rng)
            var s = ""
            for _ in 0..<n {
                if Bool.random(using: &rng) {
                    s += paths.randomElement(using: &rng) ?? ""
                } else {
                    s += fragments.randomElement(using: &rng) ?? ""
                }
                if Int.random(in: 0..<3, using: &rng) > 0 { s += ", " }
            }
            return s
        }
    }

    static func written(_ texts: [String], budget: Int) -> [UInt8] {
        var writer = CrossFileTexts.Writer(budget: budget)
        var out = ByteWriter()
        for t in texts { writer.write(t, to: &out) }
        return out.bytes
    }

    static func read(_ bytes: [UInt8], count: Int, budget: Int, trusted: Bool = true) -> [String]? {
        let reader = CrossFileTexts.Reader(budget: budget)
        reader.trust(trusted)
        var r = ByteReader(bytes, range: 0..<bytes.count)
        var out: [String] = []
        for _ in 0..<count {
            guard let s = reader.text(&r) else { return nil }
            out.append(s)
        }
        return r.atEnd ? out : nil
    }

    static func counts(_ bytes: [UInt8], count: Int, budget: Int) -> Bool {
        var counter = CrossFileTexts.Counter(budget: budget)
        var r = ByteReader(bytes, range: 0..<bytes.count)
        for _ in 0..<count where !counter.skip(&r) { return false }
        return r.atEnd
    }

    /// Random texts and every edge fragment, under a table with room, one that fills early and
    /// one with none: each text reads back as the same bytes, trusted or validated.
    @Test(arguments: [CrossFileTexts.tableBudget, 200, 17, 0])
    func textsComeBackByteForByte(budget: Int) {
        for seed in UInt64(1)...6 {
            let texts = Self.fragments + Self.randomTexts(count: 600, seed: seed) + Self.fragments
            let bytes = Self.written(texts, budget: budget)
            #expect(Self.counts(bytes, count: texts.count, budget: budget))
            for trusted in [true, false] {
                let back = Self.read(bytes, count: texts.count, budget: budget, trusted: trusted)
                #expect(back?.map { Array($0.utf8) } == texts.map { Array($0.utf8) }, "budget \(budget) seed \(seed) trusted \(trusted)")
            }
        }
    }

    /// Texts that repeat paths (a corpus of copies' messages) are stored far smaller than spelled out.
    @Test func repeatedPathsAreStoredOnce() {
        let paths = (0..<50).flatMap { i in (0..<10).map { "agora/copy-0\($0)/2024-11-01-新闻报道-\(i).html" } }
        var texts: [String] = []
        for p in paths {
            texts.append(p)
            texts.append("body is identical to " + paths.filter { $0 != p && $0.hasSuffix("-\(p.split(separator: "-").last ?? "")") }.prefix(5).joined(separator: ", ") + " and 4 more")
        }
        let plain = texts.reduce(0) { $0 + $1.utf8.count }
        let bytes = Self.written(texts, budget: CrossFileTexts.tableBudget)
        #expect(bytes.count * 3 < plain)
        #expect(Self.read(bytes, count: texts.count, budget: CrossFileTexts.tableBudget) == texts)
    }

    /// A number past the table, a count of no pieces, a truncated piece, a stated length that is
    /// not the pieces': refused by the verifier and the reader.
    @Test func malformedTextsAreRefused() {
        let cases: [[UInt8]] = [[1, 1], [0], [2, 4, 0, 1, 0x61, 2], [1, 0, 5, 0x61], [2, 4, 0, 1, 0x61, 0, 1],
                                [2, 5, 0, 1, 0x61, 0, 1, 0x62, 1, 1], [2, 3, 0, 1, 0x61, 0, 1, 0x62, 1, 1], [2, 4, 0, 1, 0x61, 0, 1, 0x62],
                                // A stated length of Int32.max: refused before anything is reserved for it.
                                [2, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0, 1, 0x61, 0, 1, 0x62]]
        for bytes in cases {
            #expect(!Self.counts(bytes, count: 2, budget: 64), "\(bytes)")
            #expect(Self.read(bytes, count: 2, budget: 64) == nil, "\(bytes)")
        }
        // A number one past the table, after one piece joined it.
        let past: [UInt8] = [1, 0, 1, 0x61, 1, 2]
        #expect(!Self.counts(past, count: 2, budget: 64))
        #expect(Self.read(past, count: 2, budget: 64) == nil)
        // The same numbers with the piece left out of a full table: one past it already.
        #expect(!Self.counts([1, 0, 1, 0x61, 1, 1], count: 2, budget: 0))
        #expect(Self.read([1, 0, 1, 0x61, 1, 1], count: 2, budget: 0) == nil)
        #expect(Self.read([1, 0, 1, 0x61, 1, 1], count: 2, budget: 1)?.map { Array($0.utf8) } == [[0x61], [0x61]])
    }

    /// Bytes that are not UTF-8 are refused once the reader is told not to trust them, and from
    /// then on, even for a piece kept earlier and read whole later.
    @Test func untrustedBytesAreValidated() {
        let invalid: [UInt8] = [1, 0, 3, 0x61, 0xE4, 0xB8]
        #expect(Self.read(invalid, count: 1, budget: 64, trusted: false) == nil)
        // Kept while untrusted, read whole after a `trust(true)`: still validated.
        let reader = CrossFileTexts.Reader(budget: 64)
        reader.trust(false)
        let joinedFirst: [UInt8] = [2, 6, 0, 3, 0x61, 0xE4, 0xB8, 0, 1, 0x62]
        var r = ByteReader(joinedFirst, range: 0..<joinedFirst.count)
        #expect(reader.text(&r) == nil)
        reader.trust(true)
        let again: [UInt8] = [1, 1]
        var r2 = ByteReader(again, range: 0..<again.count)
        #expect(reader.text(&r2) == nil)
    }

    /// `pieceNumber` reads what `int()` reads, at the one-, two- and three-byte boundaries and beyond.
    @Test func pieceNumbersReadAsVarints() {
        var rng = SeededRandom(seed: 9)
        var values: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, UInt64(Int32.max), UInt64(Int32.max) + 1]
        values += (0..<2_000).map { _ in UInt64.random(in: 0..<(1 << 24), using: &rng) }
        for v in values {
            var w = ByteWriter()
            w.varint(v)
            for cut in [w.bytes.count, max(0, w.bytes.count - 1)] {
                var a = ByteReader(w.bytes, range: 0..<cut), b = ByteReader(w.bytes, range: 0..<cut)
                #expect(a.pieceNumber() == b.int(), "\(v) \(cut)")
                #expect(a.position == b.position || b.int() == nil)
            }
        }
    }
}
