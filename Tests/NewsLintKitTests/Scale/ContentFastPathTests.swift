import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Fast paths of the cross-file content rules (issue 16, session 25) against the plain logic they
/// replace, on random inputs built from the values each one distinguishes.
@Suite struct ContentFastPathTests {
    // MARK: - BodyNormalizer.foldRun

    /// Scalars around every edge `foldRun` tests: the kept range U+3001…U+FEFE and its neighbours,
    /// what `fold` drops or maps (spaces, full-width and half-width forms), ASCII (the Markdown
    /// walk's stops `[` `!` `]` `<` `h` `H` `/` and their neighbours), and beyond.
    static let foldEdges: [UInt32] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x21, 0x22, 0x2E, 0x2F, 0x30, 0x3B, 0x3C, 0x41, 0x47, 0x48, 0x5B,
                                      0x5C, 0x5D, 0x67, 0x68, 0x7E, 0x7F, 0x80, 0xA0, 0xE9, 0x200B, 0x2FFF, 0x3000,
                                      0x3001, 0x3002, 0x4E2D, 0x65B0, 0x9FFF, 0xFEFD, 0xFEFE, 0xFEFF, 0xFF00, 0xFF01, 0xFF0C, 0xFF5E,
                                      0xFF5F, 0xFF61, 0xFF65, 0xFFFD, 0x1_F600, 0x10_FFFF, 0x8000_3001, 0x7FFF_3001, 0x8000_FF01, 0xFFFF_FFFF]

    /// The ASCII scalars that may start what the Markdown walk drops (`BodyNormalizer.dropped`).
    static let markupStarts: Set<UInt32> = Set("[!]<hH/".unicodeScalars.map(\.value))

    /// `foldRun` a scalar at a time: (next, written, scalars, hash). With `stopAtMarkup` it stops
    /// at the first ASCII scalar in `markupStarts`.
    static func plainFoldRun(_ scalars: [UInt32], from: Int, to end: Int, stopAtMarkup: Bool, hash: UInt64) -> (Int, [UInt32], UInt64) {
        var out: [UInt32] = []
        var h = hash
        var k = from
        while k < end {
            let s = scalars[k]
            if stopAtMarkup && Self.markupStarts.contains(s) { break }
            if let f = BodyNormalizer.fold(s) {
                out.append(f)
                h = (h ^ UInt64(f)) &* normalizedBodyHashPrime
            }
            k += 1
        }
        return (k, out, h)
    }

    /// Runs of kept scalars of every length (the four-at-a-time blocks and their tails; up to 40
    /// in a row) broken by every other kind of scalar, from every start and to every end, with and
    /// without stopping at markup: the same stop, scalars and hash, and nothing written past the count.
    @Test func foldRunMatchesTheScalarLoop() {
        var rng = SeededRandom(seed: 25_001)
        for round in 0..<8_000 {
            var scalars: [UInt32] = []
            let long = round % 2 == 1
            let length = round < 48 ? round : rng.below(long ? 120 : 70)
            while scalars.count < length {
                if rng.chance(0.6) {
                    // A run of kept scalars (CJK), most often long enough for a block or two.
                    for _ in 0..<rng.below(long ? 41 : 11) { scalars.append(0x3001 + UInt32(rng.below(0xFEFF - 0x3001))) }
                } else {
                    scalars.append(rng.pick(Self.foldEdges))
                }
            }
            scalars = Array(scalars.prefix(length))
            let from = scalars.isEmpty ? 0 : rng.below(scalars.count + 1)
            let end = from + rng.below(scalars.count - from + 1)
            for stopAtMarkup in [false, true] {
                let seed = rng.next()
                let (next, expected, expectedHash) = Self.plainFoldRun(scalars, from: from, to: end, stopAtMarkup: stopAtMarkup, hash: seed)
                let room = end - from + 4
                let out = UnsafeMutablePointer<UInt32>.allocate(capacity: room)
                defer { out.deallocate() }
                out.initialize(repeating: 0xDEAD_BEEF, count: room)
                var hash = seed
                let result = scalars.withUnsafeBufferPointer {
                    BodyNormalizer.foldRun($0, from: from, to: end, stopAtMarkup: stopAtMarkup, into: out, hash: &hash)
                }
                #expect(result.next == next, "\(scalars) \(from)..<\(end) stop \(stopAtMarkup)")
                #expect(Array(UnsafeBufferPointer(start: out, count: result.written)) == expected, "\(scalars) \(from)..<\(end)")
                #expect(UnsafeBufferPointer(start: out + result.written, count: room - result.written).allSatisfy { $0 == 0xDEAD_BEEF },
                        "written past the count: \(scalars) \(from)..<\(end) stop \(stopAtMarkup)")
                #expect(hash == expectedHash, "\(scalars) \(from)..<\(end)")
            }
        }
    }

    /// `mayStartDropped` is the Markdown walk's `dropped` test: at every other ASCII byte, in any
    /// context (what follows it, what precedes it, the body start), nothing is dropped, so a run
    /// may fold it as text; and it answers yes to each byte that `dropped` acts on somewhere.
    @Test func mayStartDroppedCoversWhatTheMarkdownWalkDrops() {
        let contexts: [(before: String, after: String)] = [("", ""), ("", "(x)"), ("", "[a"), ("a", "ttps://x.org/"), (" ", "ttp://web.archive.org/web/2020/x"),
                                                           ("", "web/20200101/http://x"), (" ", "/web.archive.org/web/2020/x"), ("", "a href='x'>"), ("", "!--x-->")]
        for byte in UInt8(0)..<0x80 {
            var droppedSomewhere = false
            for (before, after) in contexts {
                let bytes = Array(before.utf8) + [byte] + Array(after.utf8)
                var memo = DestinationEndMemo()
                let at = before.utf8.count
                let answer = bytes.withUnsafeBufferPointer { BodyNormalizer.dropped($0, bytes, at: at, bodyStart: 0, destinations: &memo) }
                if answer != nil { droppedSomewhere = true }
            }
            let marked = BodyNormalizer.mayStartDropped(UInt32(byte))
            #expect(marked == Self.markupStarts.contains(UInt32(byte)), "\(byte)")
            if droppedSomewhere { #expect(marked, "byte \(byte) is dropped but not marked") }
        }
    }

    // MARK: - ContentNearDuplicateRule.lowerBinMinima

    /// Each shingle's hash computed over its own window, then mixed and binned: what the rolling
    /// hash, two shingles a step, must give.
    static func plainMinima(_ s: [UInt32], size k: Int, bins: Int) -> [UInt64] {
        var minima = [UInt64](repeating: .max, count: bins)
        guard s.count >= k else { return minima }
        for i in 0...(s.count - k) {
            var h: UInt64 = 0
            for j in i..<(i + k) { h = h &* ContentNearDuplicateRule.rollingBase &+ UInt64(s[j]) }
            let x = mix64(h)
            let b = ContentNearDuplicateRule.bin(x, bins: bins)
            minima[b] = min(minima[b], x)
        }
        return minima
    }

    /// Bodies with an odd and an even number of shingles, shorter than a window, and across the
    /// 4,096-shingle chunks the budget is asked between.
    @Test func binMinimaMatchHashingEachWindow() {
        var rng = SeededRandom(seed: 25_002)
        for k in [1, 2, 5, 32] {
            for length in [0, 1, k - 1, k, k + 1, k + 2, k + 3, 50, 51, 4_095 + k, 4_096 + k, 4_097 + k, 4_098 + k, 9_001] where length >= 0 {
                let s = (0..<length).map { _ in rng.chance(0.1) ? UInt32(rng.below(0x80)) : UInt32(0x4E00 + rng.below(300)) }
                for bins in [8, 144] {
                    let fast = ContentNearDuplicateRule.binMinima(s, size: k, bins: bins, budget: nil)
                    #expect(fast == Self.plainMinima(s, size: k, bins: bins), "k \(k) length \(length) bins \(bins)")
                }
            }
        }
    }

    // MARK: - RepeatedLineKey.plainRunEnd

    /// The first byte from `i` that a key does not copy unchanged (see `RepeatedLineKey`'s
    /// `isPlain`), a byte at a time: digits are plain in a line that keeps them; `h`, `w` and `/`
    /// stop the run only where a URL or an archive prefix may start; a space only at the run's
    /// start or before another space.
    static func plainRunEndByByte(_ b: [UInt8], from i: Int, _ end: Int, keepingDigits: Bool = false) -> Int {
        var j = i
        while j < end {
            switch b[j] {
            case 0x09: return j
            // A space after a copied byte and before no other space is copied too.
            case 0x20:
                let next = j + 1 < end ? TextScan.spaceLength(b, j + 1, end) : 0
                if j == i || next > 0 { return j }
                j += 1
            case 0x30...0x39 where !keepingDigits: return j
            case UInt8(ascii: "h") where j + 3 < end && b[(j + 1)...(j + 3)].elementsEqual("ttp".utf8): return j
            case UInt8(ascii: "w"), UInt8(ascii: "/"): if j + 1 < end && b[j + 1] == UInt8(ascii: "w") { return j }; j += 1
            case 0xC2 where j + 1 < end && b[j + 1] == 0xA0: return j
            case 0xE3 where j + 2 < end && b[j + 1] == 0x80 && b[j + 2] == 0x80: return j
            case 0xEF where !keepingDigits && j + 2 < end && b[j + 1] == 0xBC && (0x90...0x99).contains(b[j + 2]): return j
            default: j += 1
            }
        }
        return end
    }

    /// Lines of Chinese, mixed ASCII and stray bytes, so every sixteen-byte block kind (all
    /// non-ASCII, mixed), the eight-byte steps and the tail are crossed at every offset, with the
    /// line's digits folded and kept.
    @Test func plainRunEndMatchesTheByteWalk() {
        let pieces = ["新聞", "學校", "。", "，", "、", "「", "」", "\u{3000}", "\u{A0}", "\u{A9}", "１", "９", "：", "Ａ", "é", "😀",
                      "a", "b", "h", "w", "H", "W", "/", " ", "\t", "0", "9", ":", "-", ".", "<p>", "&amp;", "abcdefgxyz",
                      "http", "ttp", "www", "/web/", "whatever", "the", "2024", " a b ", "  ", "x \u{3000}", "y \u{A0}"].map { Array($0.utf8) }
        var rng = SeededRandom(seed: 25_003)
        var found = 0, keptFound = 0
        for round in 0..<6_000 {
            var line: [UInt8] = []
            for _ in 0..<rng.below(30) {
                if round % 4 == 0, rng.chance(0.2) {
                    line.append(rng.pick([0xC2, 0xE3, 0xEF, 0x80, 0xBC, 0x90, 0x99, 0x9A, 0xA0, 0xFF]))
                } else {
                    line += rng.pick(pieces)
                }
            }
            let from = rng.below(line.count + 1)
            let end = from + rng.below(line.count - from + 1)
            let expected = Self.plainRunEndByByte(line, from: from, end)
            #expect(RepeatedLineKey.plainRunEnd(line, from: from, end) == expected, "\(line) \(from)..<\(end)")
            if expected < end { found += 1 }
            let kept = Self.plainRunEndByByte(line, from: from, end, keepingDigits: true)
            #expect(RepeatedLineKey.plainRunEnd(line, from: from, end, keepingDigits: true) == kept, "kept \(line) \(from)..<\(end)")
            if kept != expected { keptFound += 1 }
        }
        #expect(found > 2_000)
        #expect(keptFound > 500)
    }

    // MARK: - KeyHash.append(run:)

    /// Runs of every length from 0 to past four words, at every lane of the key's word grid, give
    /// the hash of the same bytes appended one at a time.
    @Test func keyHashRunsEqualBytesOneByOne() {
        var rng = SeededRandom(seed: 25_004)
        for _ in 0..<4_000 {
            let key = (0..<rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var bytes = KeyHash(), runs = KeyHash()
            for byte in key { bytes.append(byte) }
            var i = 0
            while i < key.count {
                let end = min(key.count, i + rng.below(60))
                key.withUnsafeBufferPointer { runs.append(run: UnsafeBufferPointer(rebasing: $0[i..<end])) }
                i = end
            }
            #expect(runs.value == bytes.value && runs.written == key.count && runs.lastByte == key.last, "\(key)")
        }
    }
}
