import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The filtered scan's key tests four at a time (`AhoCorasick.firstPassingKey`), its start-byte
/// test before a prefix's hash, and the occurrence list `PatternMatcher.scanBody` reads
/// (`scan(_:_:into:)`): the same occurrences, in the same order, as the plain walk of every byte.
@Suite struct AhoCorasickKeyStepTests {
    func walked(_ automaton: AhoCorasick, _ text: [UInt8], _ range: Range<Int>) -> [AhoCorasick.Occurrence] {
        var out: [AhoCorasick.Occurrence] = []
        automaton.scanOneLane(text, range) { out.append(AhoCorasick.Occurrence(literal: $0, start: $1, end: $2)) }
        return out
    }

    func listed(_ automaton: AhoCorasick, _ text: [UInt8], _ range: Range<Int>) -> [AhoCorasick.Occurrence] {
        var out: [AhoCorasick.Occurrence] = []
        automaton.scan(text, range, into: &out)
        return out
    }

    /// One literal at every offset of filler long enough for several steps of four keys, in ranges
    /// ending at every distance from it: each of a step's four tests (and the tests after the last
    /// step) is the one that must pass, with the filter's byte strides 1 to 4.
    @Test func aLiteralAtEveryOffsetIsFound() {
        let fillers: [[UInt8]] = [Array("的新闻报道".utf8), Array("abcdefgh".utf8), [0x80, 0xBF, 0x20, 0xE4]]
        var found = 0
        for shortest in 3...7 {
            let literal = Array(Array("来源：新华社记者".utf8).prefix(shortest))
            let automaton = AhoCorasick([literal, Array(Array("責任編輯：".utf8).prefix(shortest + 1))])
            let plain = AhoCorasick([literal, Array(Array("責任編輯：".utf8).prefix(shortest + 1))], usesStartFilter: false)
            #expect(automaton.usesStartFilter)
            for filler in fillers {
                for offset in 0..<70 {
                    var text: [UInt8] = []
                    while text.count < offset { text += filler }
                    text = Array(text.prefix(offset)) + literal
                    for tail in 0..<9 {
                        let padded = text + Array(filler.prefix(tail))
                        for lower in [0, 1, 2, 3] where lower <= offset {
                            let range = lower..<padded.count
                            let got = listed(automaton, padded, range)
                            #expect(got == walked(plain, padded, range), "stride \(automaton.filterStride) offset \(offset) tail \(tail) lower \(lower)")
                            if got.contains(where: { $0.start == offset }) { found += 1 }
                        }
                    }
                }
            }
        }
        #expect(found > 10_000, "\(found)")
    }

    /// Literals whose first bytes are of every kind (ASCII, lead bytes, continuation bytes, bytes
    /// no UTF-8 holds) on text of the same bytes: a start is passed over only for a first byte no
    /// literal has. The closure `scan` and the list agree with the walk.
    @Test func literalsOfEveryFirstByte() {
        var rng = SeededRandom(seed: 38_01)
        var hits = 0
        for round in 0..<600 {
            let firsts: [UInt8] = [0x41, 0x80 + UInt8(round % 64), 0xE4, 0xFF, UInt8(truncatingIfNeeded: rng.next())]
            let literals = (0..<(1 + rng.below(6))).map { _ in [rng.pick(firsts)] + (0..<(2 + rng.below(5))).map { _ in rng.pick(firsts) } }
            var text: [UInt8] = []
            for _ in 0..<rng.below(300) { text += rng.below(4) == 0 ? rng.pick(literals) : [rng.pick(firsts)] }
            let automaton = AhoCorasick(literals), plain = AhoCorasick(literals, usesStartFilter: false)
            let want = walked(plain, text, 0..<text.count)
            #expect(listed(automaton, text, 0..<text.count) == want)
            var closure: [AhoCorasick.Occurrence] = []
            automaton.scan(text, 0..<text.count) { closure.append(AhoCorasick.Occurrence(literal: $0, start: $1, end: $2)) }
            #expect(closure == want)
            hits += want.count
        }
        #expect(hits > 5_000, "\(hits)")
    }

    /// Every occurrence by a search of each literal at each end, in the order a walk reports them:
    /// by end, then longest first (a state's own literals before its failure's), then by id.
    func searched(_ literals: [[UInt8]], _ text: [UInt8]) -> [AhoCorasick.Occurrence] {
        let order = literals.indices.filter { !literals[$0].isEmpty }.sorted { (-literals[$0].count, $0) < (-literals[$1].count, $1) }
        var out: [AhoCorasick.Occurrence] = []
        for end in 0...text.count {
            for id in order where literals[id].count <= end && text[(end - literals[id].count)..<end].elementsEqual(literals[id]) {
                out.append(AhoCorasick.Occurrence(literal: id, start: end - literals[id].count, end: end))
            }
        }
        return out
    }

    /// The table built breadth-first (a state's edges from its own list, its missing entries taken
    /// from its failure's row) walks to what a plain search finds: literals that nest, overlap,
    /// repeat, share prefixes and suffixes, over two- and three-letter alphabets and any bytes.
    @Test func theTableFindsWhatASearchFinds() {
        var rng = SeededRandom(seed: 38_04)
        var total = 0
        for round in 0..<700 {
            let alphabet: [UInt8] = round % 3 == 0 ? Array("ab".utf8) : round % 3 == 1 ? Array("abc".utf8) : (0..<8).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var literals = (0..<(1 + rng.below(12))).map { _ in (0..<(1 + rng.below(6))).map { _ in rng.pick(alphabet) } }
            if round % 4 == 0, let l = literals.first { literals.append(l); literals.append(Array(l.dropFirst())); literals.append([]) }
            let text = (0..<rng.below(200)).map { _ in rng.pick(alphabet) }
            let want = searched(literals, text)
            let plain = AhoCorasick(literals, usesStartFilter: false), filtered = AhoCorasick(literals)
            #expect(walked(plain, text, 0..<text.count) == want, "round \(round)")
            #expect(listed(filtered, text, 0..<text.count) == want, "round \(round)")
            total += want.count
        }
        let builtin = BuiltinPatterns.loaded.patterns.flatMap(\.literals)
        var text: [UInt8] = []
        for _ in 0..<3_000 { text += rng.below(3) == 0 ? rng.pick(builtin) : Array(rng.pick(["的", "新闻", "：", " ", "首", "本文"]).utf8) }
        let want = searched(builtin, text)
        #expect(walked(AhoCorasick(builtin, usesStartFilter: false), text, 0..<text.count) == want)
        #expect(listed(AhoCorasick(builtin), text, 0..<text.count) == want)
        #expect(total > 5_000 && want.count > 800, "\(total) \(want.count)")
    }

    /// Without the filter (a literal shorter than a key) the list holds what the closure reports,
    /// long ranges (two lanes) included; occurrences already in the list stay before the new ones.
    @Test func theListWithoutTheFilter() {
        var rng = SeededRandom(seed: 38_02)
        for _ in 0..<200 {
            let literals = [Array("ab".utf8), Array("首页".utf8), Array("bab".utf8)]
            let automaton = AhoCorasick(literals)
            #expect(!automaton.usesStartFilter)
            let text = (0..<rng.below(900)).flatMap { _ in rng.pick([Array("a".utf8), Array("b".utf8), Array("首页".utf8), Array("，".utf8)]) }
            var closure: [AhoCorasick.Occurrence] = [AhoCorasick.Occurrence(literal: 9, start: 0, end: 0)]
            automaton.scan(text, 0..<text.count) { closure.append(AhoCorasick.Occurrence(literal: $0, start: $1, end: $2)) }
            var list = [AhoCorasick.Occurrence(literal: 9, start: 0, end: 0)]
            automaton.scan(text, 0..<text.count, into: &list)
            #expect(list == closure)
        }
    }
}
