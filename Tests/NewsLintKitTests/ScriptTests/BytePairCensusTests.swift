import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The byte-pair census (issue 16, session 7) against a naive scan, and the prefilters that ask it
/// against the scans they ran before, on random documents built from pieces near their lead bytes.
struct BytePairCensusTests {

    /// Near misses and hits of every prefilter, plus common Chinese text.
    static let pieces: [[UInt8]] = [
        Array("中文，“引号”…—".utf8), Array("email".utf8), Array("emai".utf8), Array("[电".utf8), Array("[電".utf8), Array("[".utf8),
        Array("/web/".utf8), Array("/we".utf8), Array("archive.".utf8), Array("archive".utf8), Array("ab".utf8),
        [0xE2, 0x80, 0x8B], [0xE2, 0x80, 0x9C], [0xE3, 0x80, 0x8B], [0xE2, 0x80, 0xAB], [0xE3, 0x81, 0xA0], [0xE2, 0x81, 0xA0], [0xE2, 0x81], [0xEF, 0xBB, 0xBF], [0xEF, 0xBF, 0xBC], [0xEF, 0xBF],
        [0xEF, 0xA4, 0x80], [0xEF, 0xBC, 0x8C], [0xE2, 0xBA, 0x80], [0xF0, 0xAF, 0xA0, 0x80], [0xF3, 0xB0, 0x80, 0x80], [0xEE, 0x80, 0x80],
        [0xC2, 0xA0], [0xC2, 0xAD], [0xC2, 0x85], [0xE1, 0xA0, 0x8E], [0xD8, 0x9C], [0x7F], [0x01], [0x09], [0x0A], [0x0D], [0x80], [0xBC],
        [0xEF, 0xBD, 0xA1], [0xEF, 0xBD, 0x81], [0xEF, 0xBD],
    ]

    static func randomBytes(_ random: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<random.below(12) {
            if random.below(4) == 0 {
                bytes.append(UInt8(random.below(256)))
            } else {
                bytes += pieces[random.below(pieces.count)]
            }
        }
        return bytes
    }

    @Test func censusEqualsANaiveScan() {
        var random = SeededRandom(seed: 41)
        for _ in 0..<400 {
            // Up to 120 bytes: every length around the census's sixteen-byte blocks (three reads
            // each) and its byte tail.
            let bytes = (0..<random.below(120)).map { _ in UInt8(random.below(random.below(2) == 0 ? 8 : 256)) }
            let census = BytePairCensus(bytes)
            let pairs = Set(zip(bytes, bytes.dropFirst()).map { Int($0) << 8 | Int($1) })
            let values = Set(bytes)
            // Exact for a tracked first byte; "may occur" for any other.
            let tracked = Set(BytePairCensus.trackedFirstBytes)
            #expect((0..<65_536).allSatisfy { census.contains(UInt8($0 >> 8), UInt8($0 & 0xFF)) == (pairs.contains($0) || !tracked.contains(UInt8($0 >> 8))) }, "\(bytes)")
            #expect((0...255).allSatisfy { census.contains(byte: UInt8($0)) == (values.contains(UInt8($0)) || !tracked.contains(UInt8($0))) }, "\(bytes)")
            for _ in 0..<20 {
                let first = UInt8(random.below(random.below(2) == 0 ? 8 : 256)), a = UInt8(random.below(256)), b = UInt8(random.below(256))
                let seconds = min(a, b)...max(a, b)
                #expect(census.contains(first, followedByAnyOf: seconds) == (!tracked.contains(first) || seconds.contains { pairs.contains(Int(first) << 8 | Int($0)) }))
            }
            for t in BytePairCensus.trackedTrigrams {
                let present = bytes.count >= 3 && (0...(bytes.count - 3)).contains { Array(bytes[$0..<($0 + 3)]) == t }
                #expect(census.contains(trigram: t[0], t[1], t[2]) == present, "\(t) in \(bytes)")
            }
            let controls = bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            #expect(census.containsControlOtherThanWhitespace == controls)
            // A needle found in the bytes is never ruled out.
            if bytes.count >= 3 {
                let start = random.below(bytes.count - 2)
                #expect(census.mayContain(Array(bytes[start..<(start + 3)])))
            }
        }
    }

    /// A finished document's census leaves its storage for the next one (`CensusStorage`), which
    /// zeroes it: each census, on whatever storage it was given, answers as a naive scan does for
    /// every tracked first byte, and a census a caller still holds (sharing the storage it gave
    /// back) keeps its bits while later ones are made.
    @Test func keptStorageGivesTheNaiveAnswersAndLeavesHeldCensusesAlone() {
        var random = SeededRandom(seed: 3108)
        var held: [(census: BytePairCensus, words: [UInt64])] = []
        let tracked = BytePairCensus.trackedFirstBytes
        for round in 0..<300 {
            let bytes = Self.randomBytes(&random) + Self.randomBytes(&random) + Self.randomBytes(&random)
            let census = Document(path: "c.md", bytes: bytes).bytePairs
            let pairs = Set(zip(bytes, bytes.dropFirst()).map { Int($0) << 8 | Int($1) })
            #expect(tracked.allSatisfy { f in (0...255).allSatisfy { census.contains(f, UInt8($0)) == pairs.contains(Int(f) << 8 | $0) } }, "\(bytes)")
            if round % 3 == 0 { held.append((census, census.words.map { $0 })) }
            if round % 4 == 0 { CensusStorage.keep(census) }
        }
        for (k, h) in held.enumerated() { #expect(h.census.words == h.words, "held \(k)") }
        #expect(held.count == 100)
    }

    /// The block test flags every tracked byte in every lane, and none of the bytes of Han text
    /// (continuation bytes, lead bytes E3–ED) or of ASCII text other than `!`, `(`, `)`, `?`, `[`, `{` and DEL.
    @Test func blockTestFlagsEveryTrackedByte() {
        let tracked = Set(BytePairCensus.trackedFirstBytes)
        for value in 0...255 {
            let b = UInt8(value)
            let expected = b < 0x20 || [0x21, 0x28, 0x29, 0x3F, 0x5B, 0x7B, 0x7F].contains(b) || (b >= 0xC0 && !(0xE3...0xED).contains(b))
            #expect(!tracked.contains(b) || expected, "tracked byte \(b) not flagged")
            for lane in 0..<16 {
                var block = SIMD16<UInt8>(repeating: 0x61)
                if lane % 2 == 0 { block = SIMD16<UInt8>(repeating: 0x90) }
                block[lane] = b
                let flags = BytePairCensus.mayStartRow(block)
                #expect(flags[lane] == expected, "byte \(b) in lane \(lane)")
                #expect((0..<16).allSatisfy { $0 == lane || !flags[$0] }, "byte \(b) in lane \(lane): another lane flagged")
            }
        }
        // The controls the census keeps first, in the order `containsControlOtherThanWhitespace` reads.
        #expect(Array(BytePairCensus.trackedFirstBytes.prefix(29)) == (0..<0x20).map(UInt8.init).filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D })
    }

    /// The tracked trigrams, wherever they fall around the blocks, and a needle they rule out.
    @Test func trigramsAtEveryOffset() {
        for trigram in BytePairCensus.trackedTrigrams {
            for length in 3..<60 {
                for at in 0...(length - 3) {
                    var bytes = [UInt8](repeating: 0xE4, count: length)
                    bytes.replaceSubrange(at..<(at + 3), with: trigram)
                    let census = BytePairCensus(bytes)
                    #expect(census.contains(trigram: trigram[0], trigram[1], trigram[2]), "\(trigram) at \(at) of \(length)")
                    #expect(BytePairCensus.trackedTrigrams.allSatisfy { $0 == trigram || !census.contains(trigram: $0[0], $0[1], $0[2]) })
                }
            }
        }
        let html = BytePairCensus(Array(String(repeating: "<div class=\"web\"><em>archive</em>mail</div>\n", count: 4).utf8))
        #expect(!html.mayContain(Array("/web/".utf8)) && !html.mayContain(Array("archive.".utf8)) && !html.mayContain(Array("email".utf8)))
        #expect(html.mayContain(Array("archive".utf8)))
    }

    @Test func censusPrefiltersAnswerAsTheScansDo() {
        var random = SeededRandom(seed: 43)
        var hits = [0, 0, 0, 0, 0, 0]
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(&random)
            let document = Document(path: "a.md", bytes: bytes)
            let answers = [
                (CharLostRule.mayHoldCandidate(in: document), CharLostRule.mayHoldCandidate(bytes)),
                (CompatIdeographRule.mayHoldCandidate(in: document), CompatIdeographRule.mayHoldCandidate(bytes)),
                (InvisibleCharRule.mayHoldCandidate(in: document), InvisibleCharRule.mayHoldCandidate(bytes)),
                (EmailObfuscatedRule.mayContainResidue(in: document), EmailObfuscatedRule.mayContainResidue(bytes)),
                (ArchiveResidueRule.mayContainArchive(in: document), ArchiveResidueRule.mayContainArchive(bytes)),
                (PunctuationHalfwidthRule.mayHoldHalfwidthForm(in: document), PunctuationHalfwidthRule.containsHalfwidthForm(bytes)),
            ]
            for (k, (census, scan)) in answers.enumerated() {
                #expect(census == scan, "prefilter \(k): \(bytes)")
                if scan { hits[k] += 1 }
            }
        }
        // Both answers occur for every prefilter.
        #expect(hits.allSatisfy { $0 > 500 && $0 < 19_500 }, "\(hits)")
    }

    /// Blocks holding ASCII test the trigrams' first two bytes first and load the third only when
    /// one pair is there (session 42): each tracked trigram's head followed by every other third
    /// byte, at every offset around the blocks and among ASCII or Han text, is no trigram, and the
    /// census answers for each trigram as a naive scan does.
    @Test func trigramHeadsWithoutTheirThirdByte() {
        let fillers: [[UInt8]] = [Array("abcdefghijklmnop".utf8), Array("中文ab".utf8), [0x20, 0xE4, 0xB8, 0xAD]]
        for trigram in BytePairCensus.trackedTrigrams {
            for third in [trigram[2], 0x2E, 0x65, 0x61, 0x69, 0x77, 0x00, 0xE4] {
                for length in 3..<52 {
                    for at in 0...(length - 3) {
                        for filler in fillers {
                            var bytes = (0..<length).map { filler[$0 % filler.count] }
                            bytes.replaceSubrange(at..<(at + 3), with: [trigram[0], trigram[1], third])
                            let census = BytePairCensus(bytes)
                            for t in BytePairCensus.trackedTrigrams {
                                let present = (0...(bytes.count - 3)).contains { Array(bytes[$0..<($0 + 3)]) == t }
                                #expect(census.contains(trigram: t[0], t[1], t[2]) == present, "\(t) in \(bytes)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// Blocks of sixteen high bytes take the lead-byte test alone (session 24): it flags a high
    /// byte exactly as `mayStartRow` does, and documents mostly of high bytes (every lead byte
    /// C0–FF among them, a few ASCII bytes) record every tracked pair, as a naive scan finds them.
    @Test func highByteBlocksRecordEveryTrackedPair() {
        for value in 0x80...0xFF {
            let block = SIMD16<UInt8>(repeating: UInt8(value))
            #expect(BytePairCensus.isLeadOutsideEastAsian(block)[0] == BytePairCensus.mayStartRow(block)[0], "byte \(value)")
        }
        var random = SeededRandom(seed: 2_424)
        let tracked = BytePairCensus.trackedFirstBytes
        for _ in 0..<600 {
            let bytes = (0..<random.below(160)).map { _ -> UInt8 in
                switch random.below(24) {
                case 0: return UInt8(random.below(0x80))
                case 1...4: return UInt8(0xC0 + random.below(0x40))
                default: return UInt8(0x80 + random.below(0x80))
                }
            }
            let census = BytePairCensus(bytes)
            let pairs = Set(zip(bytes, bytes.dropFirst()).map { Int($0) << 8 | Int($1) })
            for first in tracked {
                #expect((0...255).allSatisfy { census.contains(first, UInt8($0)) == pairs.contains(Int(first) << 8 | $0) }, "\(first) in \(bytes)")
            }
        }
    }
}
