import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The start filter (`AhoCorasick.scanFiltered`: positions whose first three bytes start no literal
/// are stepped over at the root) reports exactly what the plain walk (`scanOneLane`, every byte)
/// reports, in the same order, and the boilerplate matcher's verdicts are the same with and without it.
@Suite struct AhoCorasickStartFilterTests {
    func hits(_ scan: ((Int, Int, Int) -> Void) -> Void) -> [[Int]] {
        var out: [[Int]] = []
        scan { out.append([$0, $1, $2]) }
        return out
    }

    static let builtinLiterals: [[UInt8]] = BuiltinPatterns.loaded.patterns.flatMap(\.literals)

    /// Text pieces: whole literals, their prefixes and suffixes (partial matches the walk must
    /// leave), Chinese and ASCII filler, line ends, ill-formed bytes.
    func text(_ literals: [[UInt8]], _ rng: inout SeededRandom, target: Int) -> [UInt8] {
        let filler = ["新闻", "本", "文", "时", "日", "的", "首", "。", "，", "：", ":", " ", "a", "C", "\n", "\r\n", "【", "｜", "©", "😀"]
            .map { Array($0.utf8) }
        var out: [UInt8] = []
        while out.count < target {
            switch rng.below(10) {
            case 0, 1, 2:
                out += rng.pick(literals)
            case 3:
                let l = rng.pick(literals)
                out += l.prefix(rng.below(l.count + 1))
            case 4:
                let l = rng.pick(literals)
                out += l.suffix(rng.below(l.count + 1))
            case 5:
                out.append(UInt8(truncatingIfNeeded: rng.next()))
            default:
                out += rng.pick(filler)
            }
        }
        return out
    }

    static let builtinAutomata = (AhoCorasick(builtinLiterals), AhoCorasick(builtinLiterals, usesStartFilter: false))

    func compare(_ literals: [[UInt8]], _ text: [UInt8], _ range: Range<Int>) {
        let (filtered, plain) = literals == Self.builtinLiterals
            ? Self.builtinAutomata
            : (AhoCorasick(literals), AhoCorasick(literals, usesStartFilter: false))
        let got = hits { filtered.scan(text, range, $0) }
        let want = hits { plain.scanOneLane(text, range, $0) }
        #expect(got == want, "literals \(literals.count), range \(range)")
    }

    @Test func builtinLiteralsUseTheFilter() {
        #expect(AhoCorasick(Self.builtinLiterals).usesStartFilter)
        // Six bytes the shortest: four-byte keys, a test every three bytes.
        #expect(AhoCorasick(Self.builtinLiterals).keyWidth == 4)
        #expect(AhoCorasick(Self.builtinLiterals).filterStride == 3)
        #expect(!AhoCorasick(Self.builtinLiterals, usesStartFilter: false).usesStartFilter)
        // A literal shorter than the key: the plain walk.
        #expect(!AhoCorasick(Self.builtinLiterals + [Array("ab".utf8)]).usesStartFilter)
        #expect(!AhoCorasick([]).usesStartFilter)
    }

    @Test func builtinLiteralsOnRandomText() {
        var rng = SeededRandom(seed: 16_10)
        for round in 0..<600 {
            let text = text(Self.builtinLiterals, &rng, target: rng.below(round % 4 == 0 ? 3_000 : 300))
            compare(Self.builtinLiterals, text, 0..<text.count)
            // A range inside the text: the walk must neither read nor report outside it.
            let lo = rng.below(min(text.count, 40) + 1)
            let hi = lo + rng.below(text.count - lo + 1)
            compare(Self.builtinLiterals, text, lo..<hi)
        }
    }

    /// Small alphabets make literals overlap, nest and be prefixes of each other (`aba`, `abab`,
    /// `bab`), and hits dense; the shortest literal 3 to 8 bytes (every stride), ranges of every
    /// short length, literals at the end.
    @Test func overlappingLiteralsOnDenseText() {
        var rng = SeededRandom(seed: 16_11)
        let alphabets: [[UInt8]] = [Array("ab".utf8), Array("abc".utf8), Array("首页".utf8), Array("来源：:".utf8)]
        var strides = Set<Int>()
        for round in 0..<1_500 {
            let alphabet = alphabets[round % alphabets.count]
            let shortest = 3 + (round / alphabets.count) % 6
            var literals = (0..<(1 + rng.below(6))).map { _ in (0..<(shortest + rng.below(4))).map { _ in rng.pick(alphabet) } }
            strides.insert(AhoCorasick(literals).filterStride)
            if round % 5 == 0, let l = literals.first { literals.append(Array(l.prefix(3))); literals.append(l + l.prefix(3)) }
            if round % 7 == 0, let l = literals.first { literals.append(l) }
            var text = (0..<rng.below(120)).map { _ in rng.pick(alphabet) }
            if round % 3 == 0, let l = literals.last { text += l }
            compare(literals, text, 0..<text.count)
            for length in 0..<min(6, text.count + 1) { compare(literals, text, (text.count - length)..<text.count) }
            let lo = rng.below(text.count + 1)
            compare(literals, text, lo..<(lo + rng.below(text.count - lo + 1)))
        }
        #expect(strides == Set(1...AhoCorasick.maxStride))
    }

    /// Literals and text of any bytes (hash collisions of the filter, ill-formed UTF-8).
    @Test func anyBytes() {
        var rng = SeededRandom(seed: 16_12)
        for _ in 0..<800 {
            let literals = (0..<(1 + rng.below(40))).map { _ in (0..<(3 + rng.below(4))).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            let text = text(literals, &rng, target: rng.below(400))
            compare(literals, text, 0..<text.count)
        }
    }

    /// `PatternMatcher.scanBody` and `scanFrontMatter` with the built-in packs: the same verdicts
    /// (lines, owners, hits, wholeness) with the filter as with the plain walk.
    @Test func boilerplateVerdictsMatchThePlainMatcher() {
        let patterns = BuiltinPatterns.loaded.patterns
        let filtered = PatternMatcher(patterns: patterns)
        let plain = PatternMatcher(patterns: patterns, usesStartFilter: false)
        func describe(_ v: [LineVerdict]) -> [String] {
            v.map { "\($0.line) \($0.owner) \($0.whole) " + $0.hits.map { "\($0.pattern)@\($0.range)" }.joined(separator: ",") }
        }
        func describe(_ f: [(entry: FrontMatterEntry, hits: [PatternHit])]) -> [String] {
            f.map { "\($0.entry.key) " + $0.hits.map { "\($0.pattern)@\($0.range)" }.joined(separator: ",") }
        }
        var rng = SeededRandom(seed: 16_13)
        var verdicts = 0
        for round in 0..<400 {
            var body: [UInt8] = []
            for _ in 0..<(1 + rng.below(25)) {
                body += text(Self.builtinLiterals, &rng, target: rng.below(round % 2 == 0 ? 40 : 200))
                body += Array("\n".utf8)
            }
            let frontMatter = round % 3 == 0 ? Array("---\ntitle: 新闻 来源：新华社\nauthor: 作者：张三\n---\n".utf8) : []
            let document = Document(path: round % 4 == 0 ? "a.html" : "a.md", bytes: frontMatter + body)
            let zones = DocumentZones(document, headerLines: 1 + rng.below(6), footerLines: 1 + rng.below(6))
            let got = filtered.scanBody(document, zones: zones)
            #expect(describe(got) == describe(plain.scanBody(document, zones: zones)))
            #expect(describe(filtered.scanFrontMatter(document)) == describe(plain.scanFrontMatter(document)))
            verdicts += got.count
        }
        #expect(verdicts > 1_000)
    }
}
