import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `body-empty`'s count without the hash (session 39): its run of ideographs goes on over any other
/// well-formed 3-byte character (`BodyText.threeByteScalar(inWord:)`, the full-width punctuation
/// between ideographs asked inline: `isLetterInPunctuationBlocks`), and the HTML walk takes a run of
/// ASCII bytes in one loop. Against the plain walks one decoded scalar at a time
/// (`DocumentRulesCPUEquivalenceTests.referenceMarkdownBodyText` / `referenceVisibleText`), on seeded
/// bodies dense in punctuation, the edges of the 3-byte range and ill-formed sequences (overlong
/// forms, encoded surrogates, truncated characters, lone continuation bytes).
struct BodyTextPunctuationRunTests {
    typealias Reference = DocumentRulesCPUEquivalenceTests

    /// The punctuation blocks' answer, where it has one, against the plain switch (`isLetter` itself
    /// over every scalar is `DocumentRulesCPUEquivalenceTests.letterTestMatchesTheSwitchOnEveryScalar`).
    @Test func punctuationBlocksAnswerAsThePlainSwitch() {
        for c in UInt32(0x1FF0)...0x3100 {
            if let known = BodyText.isLetterInPunctuationBlocks(c) { #expect(known == Reference.referenceIsLetter(c), "\(c)") }
        }
        for c in UInt32(0xFEF0)...0xFF40 {
            if let known = BodyText.isLetterInPunctuationBlocks(c) { #expect(known == Reference.referenceIsLetter(c), "\(c)") }
        }
    }

    /// `asciiLetters` against the byte loop it replaces: eight bytes of every kind (letters and
    /// their neighbours `@ [ ` { `, digits, controls, bytes 0x80 and above) at every position, with
    /// every bound `available`: the same letters and the same stop.
    @Test func asciiLettersMatchTheByteLoop() {
        var rng = SeededRandom(seed: 44_003)
        let kinds: [UInt8] = [0x00, 0x09, 0x0A, 0x20, 0x2D, 0x30, 0x39, 0x40, 0x41, 0x4D, 0x5A, 0x5B, 0x5F, 0x60, 0x61, 0x6E, 0x7A, 0x7B, 0x7F,
                              0x80, 0xBF, 0xC2, 0xE4, 0xEF, 0xFF]
        for round in 0..<20_000 {
            var bytes = (0..<8).map { _ in rng.chance(0.8) ? UInt8(rng.below(0x80)) : rng.pick(kinds) }
            if round % 3 == 0 { bytes = bytes.map { $0 & 0x7F } }
            bytes[0] &= 0x7F
            let available = 1 + rng.below(10)
            var expectedLetters = 0, expectedLength = 0
            while expectedLength < min(8, available) && bytes[expectedLength] < 0x80 {
                if CJK.isASCIILetter(UInt32(bytes[expectedLength])) { expectedLetters += 1 }
                expectedLength += 1
            }
            let found = bytes.withUnsafeBytes { BodyText.asciiLetters($0.baseAddress!, upTo: available) }
            #expect(found.letters == expectedLetters && found.length == expectedLength, "\(bytes) available \(available)")
        }
    }

    /// What `BodyNormalizer.decode` makes of three bytes when it takes all three, else nil.
    static func decodedThreeByteScalar(_ bytes: [UInt8]) -> UInt32? {
        bytes.withUnsafeBufferPointer { buf in
            let (scalar, length) = BodyNormalizer.decode(buf, at: 0, end: buf.count)
            return length == 3 ? scalar : nil
        }
    }

    @Test func threeByteScalarIsTheDecodesThreeByteScalar() {
        let leads: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xDF] + Array(0xE0...0xEF) + [0xF0, 0xF4, 0xFF]
        let lasts: [UInt8] = [0x00, 0x3F, 0x7F, 0x80, 0x81, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        for b0 in leads {
            for b1 in UInt8.min...UInt8.max {
                for b2 in lasts {
                    let word = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | 0xE4 << 24
                    #expect(BodyText.threeByteScalar(inWord: word) == Self.decodedThreeByteScalar([b0, b1, b2]), "\(b0) \(b1) \(b2)")
                }
            }
        }
    }

    /// Characters of three bytes beside the ideographs (punctuation, 〇, the ideographic space, the
    /// range's edges U+0800, U+D7FF, U+E000, U+FFFF, kana, full-width letters), ASCII words and
    /// markup, and ill-formed sequences: an overlong `A` (E0 81 81, which a decode without the
    /// U+0800 bound would count), an encoded surrogate, a character cut short, a lone continuation.
    static let pieces: [[UInt8]] = [
        "中國新聞網報道", "今天", "䷀", "〇", "、", "。", "「", "」", "，", "：", "！", "？", "（", "）", "“", "”", "—", "…", "　",
        "\u{0800}", "\u{D7FF}", "\u{E000}", "\u{FFFF}", "\u{FF20}", "\u{FF21}", "ＡＢ", "ｱ", "か", "ア", "가", "\u{2070}", "\u{2FFF}",
        "Zeta", "ab12", " ", "\n", "\t", "<b>", "</b>", "&#19968;", "&amp;", "# ", "*", "\u{A0}", "é", "\u{1F600}",
    ].map { Array($0.utf8) } + [[0xE0, 0x81, 0x81], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE3, 0x80],
                               [0xEF, 0xBC], [0x80], [0xBF], [0xFF], [0xE9]]

    static func randomBody(_ rng: inout SeededRandom) -> [UInt8] {
        var bytes = Array("---\ntitle: t\n---\n".utf8)
        for _ in 0..<rng.below(120) { bytes += Self.pieces[rng.below(Self.pieces.count)] }
        return bytes
    }

    @Test func countRunsThroughPunctuationAsThePlainWalks() {
        var rng = SeededRandom(seed: 39_016)
        for n in 0..<5_000 {
            let bytes = Self.randomBody(&rng)
            let limit = [1, 2, 3, 5, 10, 50, 201, .max, 1 + rng.below(60)][rng.below(9)]
            let markdown = Document(path: "p.md", bytes: bytes)
            let plainMarkdown = Reference.referenceMarkdownBodyText(markdown, limit: limit)
            let countedMarkdown = BodyText(markdown, limit: limit, hashing: false)
            #expect(countedMarkdown.letters == plainMarkdown.letters && countedMarkdown.hasContent == plainMarkdown.hasContent,
                    "markdown \(n) limit \(limit): \(bytes)")
            let hashedMarkdown = BodyText(markdown, limit: limit)
            #expect(hashedMarkdown.letters == plainMarkdown.letters && hashedMarkdown.hash == plainMarkdown.hash, "markdown, hashed \(n)")
            let html = Document(path: "p.html", bytes: bytes)
            let plainHTML = Reference.referenceVisibleText(html, limit: limit)
            let countedHTML = BodyText(html, limit: limit, hashing: false)
            #expect(countedHTML.letters == plainHTML.letters && countedHTML.hasContent == plainHTML.hasContent, "html \(n) limit \(limit): \(bytes)")
            let hashedHTML = BodyText(html, limit: limit)
            #expect(hashedHTML.letters == plainHTML.letters && hashedHTML.hash == plainHTML.hash, "html, hashed \(n)")
        }
    }

    /// Long ASCII words in HTML text with the limit inside them: the ASCII loop stops at the limit
    /// and at the first byte 0x80 or above, as the walk a byte at a time did.
    @Test func asciiRunsInVisibleTextStopAtTheLimit() {
        var rng = SeededRandom(seed: 39_017)
        let words = ["abcdefghij", "ABCDE", "12345", "a-b_c", "x", " ", "中", "，", "<i>", "</i>", "&#65;", "&lt;"]
        for n in 0..<3_000 {
            var text = "---\ntitle: t\n---\n<p>"
            for _ in 0..<rng.below(40) { text += words[rng.below(words.count)] }
            let bytes = Array(text.utf8)
            let limit = 1 + rng.below(40)
            let document = Document(path: "p.html", bytes: bytes)
            let plain = Reference.referenceVisibleText(document, limit: limit)
            let counted = BodyText(document, limit: limit, hashing: false)
            #expect(counted.letters == plain.letters && counted.hasContent == plain.hasContent, "\(n) limit \(limit): \(text)")
        }
    }
}
