import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The two file-level facts `punctuation-width` asks before walking lines (issue 16, session 35):
/// the byte-pair census' ASCII mark candidates (`BytePairCensus.mayHoldASCIIMarkCandidate`) and the
/// decode's marks after a non-ASCII byte (`ScalarDecode.holdsMarkAfterNonASCII`), each against a
/// plain scan of every byte; and the rule asking them against the rule walking every line.
@Suite struct MarkCandidateCensusTests {
    static let marks: [UInt8] = [0x2C, 0x2E, 0x3A, 0x3B, 0x21, 0x3F]

    /// `(`, or a mark after `!`, `?` or `)`.
    static func plainASCIICandidate(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { k in
            bytes[k] == 0x28 || (k > 0 && marks.contains(bytes[k]) && [0x21, 0x3F, 0x29].contains(bytes[k - 1]))
        }
    }

    /// A `"` before a byte above a space other than `>` and `/`.
    static func plainQuoteCandidate(_ bytes: [UInt8], _ k: Int) -> Bool {
        bytes[k] == 0x22 && k + 1 < bytes.count && bytes[k + 1] > 0x20 && bytes[k + 1] != 0x3E && bytes[k + 1] != 0x2F
    }

    /// A mark or a quote candidate after a byte 0x80 or above.
    static func plainMarkAfterNonASCII(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { k in k > 0 && (marks.contains(bytes[k]) || plainQuoteCandidate(bytes, k)) && bytes[k - 1] >= 0x80 }
    }

    /// What `punctuation-width`'s line test acts at (`isCandidate`), over the whole file.
    static func plainHoldsCandidate(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { k in
            let b = bytes[k]
            if b == 0x28 { return true }
            if k > 0, bytes[k - 1] >= 0x80, plainQuoteCandidate(bytes, k) { return true }
            guard k > 0, marks.contains(b) else { return false }
            let p = bytes[k - 1]
            return p >= 0x80 || p == 0x21 || p == 0x3F || p == 0x29
        }
    }

    /// Both facts of `bytes`, and whether their union is the plain whole-file answer.
    static func expectFacts(_ bytes: [UInt8]) {
        let census = BytePairCensus(bytes).mayHoldASCIIMarkCandidate
        let decode = ScalarDecode(bytes, lineStarts: [0], isValidUTF8: nil)
        #expect(census == plainASCIICandidate(bytes), "census \(bytes)")
        if bytes.count <= ScalarDecode.countedCapacityFrom {
            #expect(decode.holdsMarkAfterNonASCII == plainMarkAfterNonASCII(bytes), "decode \(bytes)")
            #expect((census || decode.holdsMarkAfterNonASCII == true) == plainHoldsCandidate(bytes), "\(bytes)")
        }
    }

    /// Background that holds no candidate on its own: ASCII letters, markup, marks after them,
    /// Han text with full-width punctuation, digits.
    static let quiet: [[UInt8]] = [
        Array("abc".utf8), Array("a,b".utf8), Array("3.5".utf8), Array("<p>".utf8), Array(" ".utf8), Array("x:".utf8),
        Array("中文字".utf8), Array("，".utf8), Array("“引”".utf8), Array("\n".utf8), Array("a!".utf8), Array("q?".utf8), Array(")".utf8), Array("a\"".utf8), Array("文\">".utf8), Array("文\" ".utf8),
    ]
    /// Pieces that make a candidate, alone or after what precedes them.
    static let loud: [[UInt8]] = [
        Array("(".utf8), Array("中,".utf8), Array("文.".utf8), Array("」:".utf8), Array("!;".utf8), Array("?!".utf8), Array("),".utf8),
        [0x80, 0x3F], [0xFF, 0x2E], Array(")?".utf8), Array("文\"中".utf8), Array("文\"a".utf8),
        // After a 2-byte and a 4-byte sequence and a BOM (the decode's `step`, not its 3-byte run).
        Array("\u{E9},".utf8), Array("\u{20BB7}.".utf8), Array("\u{FEFF},".utf8),
    ]

    /// Exact on documents of every length around the census' sixteen-byte blocks, with at most one
    /// candidate piece set anywhere (at a block's first or last byte, across two blocks, in the
    /// first block, in the byte tail), so no other candidate hides a missed one.
    @Test func markCandidateFactsEqualAPlainScan() {
        var random = SeededRandom(seed: 3501)
        var holding = 0, quietFiles = 0
        for _ in 0..<4000 {
            var bytes: [UInt8] = []
            let pieces = random.below(random.below(4) == 0 ? 60 : 14)
            for _ in 0..<pieces { bytes += Self.quiet[random.below(Self.quiet.count)] }
            if random.below(2) == 0 {
                let at = random.below(bytes.count + 1)
                bytes.insert(contentsOf: Self.loud[random.below(Self.loud.count)], at: at)
            }
            if random.below(5) == 0 {
                // Random bytes in place: controls, high bytes, ill-formed sequences.
                for _ in 0..<random.below(4) where !bytes.isEmpty { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
            }
            Self.expectFacts(bytes)
            if Self.plainHoldsCandidate(bytes) { holding += 1 } else { quietFiles += 1 }
        }
        #expect(holding > 1000 && quietFiles > 1000, "\(holding) \(quietFiles)")
    }

    /// Every position of a lone candidate in files of 1 to 50 bytes (the first block, both edges of
    /// the next two, the byte tail), after ASCII or Han text.
    @Test func markCandidateFactsAtEveryPosition() {
        for background in [Array("abcdefgh".utf8), Array("中文字，".utf8), Array("a中b".utf8)] {
            for length in 1...50 {
                let base = (0..<length).map { background[$0 % background.count] }
                for piece in Self.loud {
                    for at in 0...base.count {
                        var bytes = base
                        bytes.insert(contentsOf: piece, at: at)
                        Self.expectFacts(bytes)
                    }
                }
                Self.expectFacts(base)
            }
        }
    }

    /// `punctuation-width` asking the census reports exactly what it reports walking every line,
    /// on random documents (Markdown and HTML, well-formed and ill-formed); and the census rules
    /// out many of them.
    @Test func punctuationWidthAskingTheCensusReportsTheSame() {
        var fast = PunctuationWidthRule(options: RuleOptions())
        var plain = fast
        fast.asksCensus = true
        plain.asksCensus = false
        var random = SeededRandom(seed: 3502)
        var ruledOut = 0, found = 0
        for k in 0..<1500 {
            var bytes = ScriptLineSkipTests.randomBytes(&random, pieces: 4 + random.below(40))
            // Drop candidate pieces from some, so the census rules whole files out.
            if random.below(2) == 0 { bytes.removeAll { $0 == 0x28 || $0 == 0x21 || $0 == 0x3F || $0 == 0x2C || $0 == 0x2E } }
            let document = Document(path: k % 4 == 0 ? "p.html" : "p.md", bytes: bytes)
            // The rule asks the facts only of a document an earlier rule decoded.
            if random.below(8) != 0 { _ = document.scalars }
            var fastSink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
            let plainDocument = Document(path: document.path, bytes: bytes)
            var plainSink = DiagnosticSink(document: plainDocument, rule: "punctuation-width", severity: .warning, readsProse: true)
            fast.check(document, into: &fastSink)
            plain.check(plainDocument, into: &plainSink)
            #expect(fastSink.diagnostics == plainSink.diagnostics, "\(bytes)")
            if document.views.computedScalars?.holdsMarkAfterNonASCII == false && !document.bytePairs.mayHoldASCIIMarkCandidate { ruledOut += 1 }
            found += plainSink.diagnostics.count
        }
        #expect(ruledOut > 300 && found > 300, "\(ruledOut) \(found)")
    }
}
