import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The script rules' per-line skips against the plain per-scalar work they stand in for, on the
/// edges of a line's bytes: ill-formed UTF-8, 4-byte characters, CRLF, a BOM, lines of one class,
/// empty lines and a last line without a newline.
@Suite struct ScriptLineSkipTests {
    /// Pieces whose bytes sit on the edges `mayReport` reads backwards over.
    static let edgePieces: [[UInt8]] = [
        Array("中".utf8), Array("文".utf8), Array("𠮷".utf8), Array("😀".utf8), Array("」".utf8), Array("》".utf8), Array("）".utf8),
        Array("”".utf8), Array("？".utf8), Array("！".utf8), Array("，".utf8), Array("é".utf8), Array("a".utf8), Array("1".utf8),
        Array(",".utf8), Array(".".utf8), Array(":".utf8), Array(";".utf8), Array("?".utf8), Array("!".utf8), Array("(".utf8),
        Array(")".utf8), Array(" ".utf8), Array("`x`".utf8), Array("<b>".utf8), Array("嗎".utf8), Array("（".utf8),
        [0xFF], [0x80], [0xBF], [0xE4, 0xB8], [0xF0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80],
        [0x0D, 0x0A], [0x0A],
    ]

    static func randomBytes(_ random: inout SeededRandom, pieces: Int) -> [UInt8] {
        var bytes: [UInt8] = random.below(8) == 0 ? [0xEF, 0xBB, 0xBF] : []
        for _ in 0..<pieces { bytes += edgePieces[random.below(edgePieces.count)] }
        return bytes
    }

    /// `FrameShift.mayFollowHan` (a `?` after a byte above 0x7F, found by `memchr`) is false only on
    /// lines where `FrameShift.spans` finds nothing, in well-formed and ill-formed files; and it
    /// rules out lines with a `?` (those after ASCII). Frame-shift pieces make `spans` find some.
    @Test func frameShiftByteTestOnlyDropsLinesWithoutSpans() {
        let shifted: [[UInt8]] = [Array("學?!半p一流".utf8), Array("中?p文".utf8), Array("?x".utf8), Array("a?".utf8), Array("中?".utf8)]
        var random = SeededRandom(seed: 1602)
        var spansFound = 0, ruledOut = 0
        for k in 0..<2000 {
            var bytes = Self.randomBytes(&random, pieces: 2 + random.below(30))
            if random.below(3) == 0 { bytes += random.pick(shifted) + Self.randomBytes(&random, pieces: random.below(6)) }
            let document = Document(path: k % 4 == 0 ? "p.html" : "p.md", bytes: bytes)
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let run = document.scalarRun(decode, line: n)
                let spans = FrameShift.spans(run)
                let may = FrameShift.mayFollowHan(document.bytes, run.byteRange(0..<run.count))
                if !spans.isEmpty { #expect(may, "\(bytes)"); spansFound += 1 }
                if !may && run.cps.contains(0x3F) { ruledOut += 1 }
            }
        }
        #expect(spansFound > 50 && ruledOut > 100)
    }

    /// A line `mayReport` passes over gets no finding from `checkLine` (unless it may hold a pair of
    /// mixed widths, `mayHoldMixedParentheses`, which `check` asks too), in well-formed and
    /// ill-formed files alike; and the test on the bytes rules out lines the old one looked at.
    @Test func punctuationWidthByteSkipOnlyDropsLinesWithoutFindings() {
        let rule = PunctuationWidthRule(options: RuleOptions())
        var random = SeededRandom(seed: 1601)
        var narrowed = 0, found = 0, illFormed = 0
        for k in 0..<1500 {
            let document = Document(path: k % 4 == 0 ? "p.html" : "p.md", bytes: Self.randomBytes(&random, pieces: 4 + random.below(40)))
            if !document.isValidUTF8 { illFormed += 1 }
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let range = document.contentRange(ofLine: n)
                let bytes = document.bytes[range]
                var sink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
                rule.checkLine(document.scalarRun(decode, line: n), in: document, into: &sink)
                found += sink.diagnostics.count
                guard !PunctuationWidthRule.mayReport(document.bytes, range), !PunctuationWidthRule.mayHoldMixedParentheses(document.bytes, range) else { continue }
                #expect(sink.diagnostics.isEmpty, "\(Array(bytes))")
                // The old test: a `(`, or a mark after a non-ASCII byte, `)`, `?` or `!`.
                let old = bytes.contains { $0 >= 0x80 } && bytes.indices.contains { i in
                    let b = bytes[i]
                    guard [0x28, 0x2C, 0x2E, 0x3A, 0x3B, 0x21, 0x3F].contains(b) else { return false }
                    if b == 0x28 { return true }
                    guard i > bytes.startIndex else { return false }
                    let p = bytes[i - 1]
                    return p >= 0x80 || p == 0x29 || p == 0x3F || p == 0x21
                }
                if old { narrowed += 1 }
            }
        }
        #expect(narrowed > 300 && found > 300 && illFormed > 300, "\(narrowed) \(found) \(illFormed)")
    }

    /// `mayReport` steps from candidate to candidate (`nextCandidate`, sixteen bytes a step, the
    /// last block reading past the line's end) with the same answer as stepping from mark to mark;
    /// and `nextCandidate` finds what a byte-by-byte search with the plain test finds, from any
    /// start, on lines ending anywhere in the buffer (issue 16, session 26).
    @Test func candidateStepsEqualMarkSteps() {
        func plainCandidate(_ bytes: [UInt8], _ k: Int, lower: Int, end: Int) -> Bool {
            let b = bytes[k]
            guard [0x28, 0x2C, 0x2E, 0x3A, 0x3B, 0x21, 0x3F, 0x22].contains(b) else { return false }
            if b == 0x28 { return true }
            guard k > lower else { return false }
            let p = bytes[k - 1]
            // A quote after non-ASCII text, before a byte of the line that is no space, `>` or `/`.
            if b == 0x22 { return p >= 0x80 && k + 1 < end && bytes[k + 1] > 0x20 && bytes[k + 1] != 0x3E && bytes[k + 1] != 0x2F }
            return p >= 0x80 || p == 0x29 || p == 0x3F || p == 0x21
        }
        var random = SeededRandom(seed: 2606)
        var stops = 0, reports = 0
        // Quotes after Han text, before Han text, a space, `>` or `/` (`isQuoteCandidate`).
        let pieces = Self.edgePieces + [Array("\"".utf8), Array("文\"".utf8), Array("\">".utf8), Array("\"/".utf8), Array("\" ".utf8)]
        for k in 0..<3000 {
            // Runs of Han text (whole blocks of high bytes) between the edge pieces, some lines long.
            var bytes: [UInt8] = []
            for _ in 0..<(1 + random.below(k % 5 == 0 ? 80 : 20)) {
                bytes += random.below(3) == 0 ? Array(repeating: Array("中文字".utf8), count: 1 + random.below(8)).flatMap { $0 }
                    : pieces[random.below(pieces.count)]
            }
            let lower = random.below(bytes.count + 1)
            let end = lower + random.below(bytes.count - lower + 1)
            let from = lower + random.below(end - lower + 1)
            let expected = (from..<end).first { plainCandidate(bytes, $0, lower: lower, end: end) } ?? end
            let found = bytes.withUnsafeBufferPointer { PunctuationWidthRule.nextCandidate($0, from: from, lower: lower, to: end) }
            #expect(found == expected, "\(bytes) \(lower) \(from) \(end)")
            if expected < end { stops += 1 }
            let document = Document(path: "p.md", bytes: bytes)
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let range = document.contentRange(ofLine: n)
                let fast = PunctuationWidthRule.mayReport(document.bytes, range)
                #expect(fast == PunctuationWidthRule.mayReport(document.bytes, range, atEveryMark: true), "\(Array(document.bytes[range]))")
                if fast { reports += 1 }
            }
        }
        #expect(stops > 300 && reports > 1000, "\(stops) \(reports)")
    }

    /// `nextCandidate`'s first-byte branch (the line's first byte has no byte before it in the
    /// line): a `(` there is a candidate, any other mark there is not, whatever byte precedes the
    /// line in the buffer; and `(中)` alone on a line is looked at.
    @Test func candidateAtTheLinesFirstByte() {
        for prefix in [[], Array("中".utf8), Array("a".utf8), Array(")".utf8), Array("?".utf8)] as [[UInt8]] {
            for body in ["(中)", "(中)中文字中文字中文字中文字中文字中文字", "(a)"] {
                let bytes = prefix + Array(body.utf8)
                let lower = prefix.count
                let found = bytes.withUnsafeBufferPointer { PunctuationWidthRule.nextCandidate($0, from: lower, lower: lower, to: bytes.count) }
                #expect(found == lower, "\(prefix) \(body)")
            }
            for body in [",中", "。中", "!中文字中文字中文字中文字中文字中文字", ".a"] {
                let bytes = prefix + Array(body.utf8)
                let lower = prefix.count
                let found = bytes.withUnsafeBufferPointer { PunctuationWidthRule.nextCandidate($0, from: lower, lower: lower, to: bytes.count) }
                #expect(found != lower, "\(prefix) \(body)")
            }
        }
        let document = Document(path: "p.md", bytes: Array("(中)".utf8))
        #expect(PunctuationWidthRule.mayReport(document.bytes, document.contentRange(ofLine: 1)))
    }

    /// What `mayReport`'s shortcuts assume of the tables they stand beside: every Han scalar's
    /// UTF-8 lead byte is 0xE3 or more (the `(` test skips lower bytes), and every scalar
    /// `followsChinese` steps back over is one the byte walk steps back over too (a line `中` + that
    /// scalar + `?` passes the byte test whenever the full check reports it). A change to `CJK.isHan`
    /// or `followsChinese` that breaks either fails here instead of losing findings quietly.
    @Test func punctuationWidthByteSkipAgreesWithTheTables() {
        for v in UInt32(0)...0x10FFFF where CJK.isHan(v) {
            guard let scalar = Unicode.Scalar(v) else { continue }
            #expect(Array(String(Character(scalar)).utf8)[0] >= 0xE3, "U+\(String(v, radix: 16))")
        }
        let rule = PunctuationWidthRule(options: RuleOptions())
        // The blocks a mark run can be made of: ASCII, general punctuation, CJK symbols, compatibility,
        // small and fullwidth forms.
        let blocks: [ClosedRange<UInt32>] = [0x21...0x7E, 0x2000...0x206F, 0x3000...0x303F, 0xFE30...0xFE6F, 0xFF00...0xFFEF]
        for v in blocks.joined() {
            guard let scalar = Unicode.Scalar(v) else { continue }
            for mark in ["?", "!"] {
                let document = Document(path: "p.md", text: "---\ntitle: t\n---\n中" + String(Character(scalar)) + mark + "\n")
                let range = document.contentRange(ofLine: 4)
                guard !PunctuationWidthRule.mayReport(document.bytes, range) else { continue }
                var sink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
                rule.checkLine(document.scalarRun(document.scalars, line: 4), in: document, into: &sink)
                #expect(sink.diagnostics.isEmpty, "U+\(String(v, radix: 16)) \(mark)")
            }
        }
    }

    /// Lines each written in one class only, empty lines, and a last line without a newline.
    @Test func punctuationWidthByteSkipOnFixedLines() {
        let rule = PunctuationWidthRule(options: RuleOptions())
        let cases: [(String, Bool)] = [
            ("中文,中文", true), ("abc,def", false), ("中文 ,x", false), ("」,他", true), ("),他", true), ("(a),b", false),
            ("嗎？!", true), ("嗎？！?", true), ("a？!", false), ("(中)", true), ("中(a)", false), ("(a)中", false), (")(中", false),
            ("(中", false), ("𠮷.", true), ("😀.", false), ("，:", false), ("", false), ("中文", false), ("》:中", true),
        ]
        for (text, expected) in cases {
            for ending in ["", "\n", "\r\n"] {
                let document = Document(path: "p.md", text: "---\ntitle: t\n---\n" + text + ending)
                let n = 4
                let range = document.contentRange(ofLine: n)
                #expect(PunctuationWidthRule.mayReport(document.bytes, range) == expected, "\(text)")
                var sink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
                rule.checkLine(document.scalarRun(document.scalars, line: n), in: document, into: &sink)
                if !expected { #expect(sink.diagnostics.isEmpty, "\(text)") }
            }
        }
    }

    /// `count` adds its lanes up every 4,095 scalars: units around and well past that length
    /// (one unit of an HTML page can be a whole article) count exactly what the plain loop counts.
    @Test func countIsExactOnLongUnits() {
        let tables = ScriptTables.shared
        func first(_ bit: UInt8) -> UInt32 {
            (UInt32(0x3400)..<0xA000).first { tables.countFlags($0) & bit != 0 && tables.countFlags($0) & ScriptTables.countVariant == 0 } ?? 0x4E00
        }
        let kinds: [UInt32] = [first(ScriptTables.countSimplified), first(ScriptTables.countTraditional), first(ScriptTables.countStrictSimplified),
                               first(ScriptTables.countStrictTraditional), first(ScriptTables.countPhraseHead), 0x88CF, 0x4E00, 0x41, 0x20BB7]
        var random = SeededRandom(seed: 4095)
        for length in [4094, 4095, 4096, 8190, 8191, 12_500] {
            for masked in [false, true] {
                var text = String.UnicodeScalarView()
                // One kind alone fills each lane as far as it goes.
                let kind = kinds[random.below(kinds.count)]
                for i in 0..<length {
                    let ch = i % 7 == 0 ? kinds[random.below(kinds.count)] : kind
                    text.append(Unicode.Scalar(ch) ?? "?")
                    if masked && i == length / 2 { text.append(contentsOf: "`中文國`".unicodeScalars) }
                }
                let document = Document(path: "c.md", text: String(text))
                let run = document.scalarRun(document.scalars, line: 1)
                let skip = ProseMask.nonProseIfAny(run, in: document)
                #expect(skip.flags.isEmpty == !masked)
                var fastVariants = ScriptMixedRule.VariantCounts(), plainVariants: [UInt32: Int] = [:]
                let fast = ScriptMixedRule.count(run, skip, tables: tables, variants: &fastVariants)
                let plain = ScriptFastPath2Tests.plainCount(run, skip, tables: tables, variants: &plainVariants)
                let heads = (0..<run.count).filter { i in
                    run.cps[i] >= 0x2E80 && !skip[i] && tables.raw(run.cps[i]) & ScriptTables.phraseHeadMask != 0
                }.count
                #expect(fast.simplified == plain.simplified && fast.traditional == plain.traditional, "\(length) \(kind)")
                #expect(fast.strictSimplified == plain.strictSimplified && fast.strictTraditional == plain.strictTraditional, "\(length) \(kind)")
                #expect(fast.phraseHeads == heads, "\(length) \(kind)")
                #expect(fastVariants.matches(plainVariants))
            }
        }
    }

    /// Mojibake's parenthesis signal needs a toned vowel on the line; with or without it, on the
    /// edge bytes and the pinyin pieces, the detectors the signals run find what running all finds.
    @Test func mojibakeSignalsOnEdgeBytesFindWhatEveryDetectorFinds() throws {
        let rule = try MojibakeRule(options: RuleOptions())
        var random = SeededRandom(seed: 1602)
        let pinyin: [[UInt8]] = ["區(qū)", "讀(dú)", "（háng）", "(ǜ)", "(lǜe)", "中(a)", "ā", "（", "(", ")", "）"].map { Array($0.utf8) }
        var artifacts = 0, parenthesesWithoutTone = 0
        for _ in 0..<1500 {
            var bytes: [UInt8] = []
            for _ in 0..<(4 + random.below(30)) {
                bytes += random.below(3) == 0 ? pinyin[random.below(pinyin.count)] : Self.edgePieces[random.below(Self.edgePieces.count)]
            }
            let document = Document(path: "m.md", bytes: bytes)
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let run = document.scalarRun(decode, line: n)
                let signals = MojibakeRule.signals(run)
                let checked = ScriptFastPathTests.checkedWithSignals(rule, rule, document, run, signals: signals)
                #expect(checked.fast == checked.plain)
                #expect(checked.fastPinyin == checked.plainPinyin)
                artifacts += checked.plainPinyin.count
                let c = Array(run.cps)
                if c.contains(0x28) || c.contains(0xFF08), !signals.contains(.parenthesis) { parenthesesWithoutTone += 1 }
            }
        }
        #expect(artifacts > 100 && parenthesesWithoutTone > 100, "\(artifacts) \(parenthesesWithoutTone)")
    }

    /// `Document.scalarCount` sums its byte lanes every 255 words: lines around and past 2,040
    /// bytes, from every start offset, count what walking the bytes counts (ill-formed bytes too).
    @Test func scalarCountSumsLanesOnLongLines() {
        var random = SeededRandom(seed: 255)
        for length in [0, 7, 8, 2039, 2040, 2041, 4088, 9000] {
            var bytes: [UInt8] = []
            while bytes.count < length { bytes += Self.edgePieces[random.below(Self.edgePieces.count)] }
            let document = Document(path: "s.md", bytes: bytes)
            for start in [0, 1, 3, 5] where start <= bytes.count {
                let range = start..<bytes.count
                let walked = bytes[range].filter { $0 & 0xC0 != 0x80 }.count
                #expect(document.scalarCount(range) == walked, "\(length) \(start)")
            }
        }
    }

    /// Lines of ASCII (some over 4 KB), of Chinese, with ill-formed bytes, CRLF, code fences and a
    /// last line with or without a newline, past several multiples of 64.
    static func mixedLines(_ random: inout SeededRandom) -> [UInt8] {
        let ascii: [[UInt8]] = ["abc", "x = 1;", "", " ", "```", "<p>hi</p>", "?", "(a)", "http://a.b/c?d=1"].map { Array($0.utf8) }
        var bytes: [UInt8] = []
        // A file in four with the edge pieces' ill-formed bytes.
        let illFormed = random.below(4) == 0
        for _ in 0..<random.below(200) {
            switch random.below(10) {
            case 0: bytes += illFormed ? Self.randomBytes(&random, pieces: random.below(6)) : Array("中文，𠮷。".utf8)
            case 1: bytes += Array(repeating: 0x61, count: 4090 + random.below(12))
            case 2: bytes += Array(ScriptFastPathTests.randomLines(&random, lines: 1).utf8.dropLast())
            default: bytes += ascii[random.below(ascii.count)]
            }
            bytes += random.below(5) == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        if random.below(2) == 0, bytes.last == 0x0A { bytes += Array((random.below(2) == 0 ? "末行" : "锟斤拷锟斤拷").utf8) }
        return bytes
    }

    /// `nextLineToVisit` stops where the plain test would: at the first line `lineIsASCII` does
    /// not call ASCII, whose number is a multiple of 64, or which is over 4 KB; at `n` in an
    /// ill-formed file.
    @Test func nextLineToVisitIsTheFirstLineTheLoopMustSee() {
        var random = SeededRandom(seed: 6443)
        var skipped = 0, illFormed = 0
        for _ in 0..<300 {
            let document = Document(path: "l.md", bytes: Self.mixedLines(&random))
            let decode = document.scalars
            if !decode.isValidUTF8 { illFormed += 1 }
            let lineCount = document.lineCount
            guard lineCount > 0 else { continue }
            for n in 1...lineCount {
                for last in Set([lineCount, n, min(lineCount, n + random.below(70))]) {
                    let expected = (n...last).first { k in
                        document.lineIsASCII(decode, line: k) != true || k & 63 == 0 || document.fullRange(ofLine: k).count > 4096
                    } ?? last + 1
                    let found = document.nextLineToVisit(skippingASCIIOf: decode, from: n, through: last)
                    #expect(found == expected, "\(n)...\(last): \(found), not \(expected)")
                    skipped += found - n
                }
            }
        }
        #expect(skipped > 10_000 && illFormed > 10, "\(skipped) \(illFormed)")
    }

    /// mojibake finds the same passing over runs of ASCII lines as visiting every line, with and
    /// without `%EF%BF%BD` in the file, in Markdown and HTML.
    @Test func mojibakeFindsTheSameSkippingASCIILines() throws {
        let fast = try MojibakeRule(options: RuleOptions())
        var plain = fast
        plain.skipsASCIILines = false
        var random = SeededRandom(seed: 6444)
        var found = 0
        for k in 0..<400 {
            var bytes = Self.mixedLines(&random)
            if k % 7 == 0 { bytes += Array("\nhttp://a.b/%EF%BF%BD\n".utf8) }
            for decodedFirst in [false, true] {
                // Fresh documents: the rule decodes, or finds the decode made.
                let one = Document(path: k % 3 == 0 ? "m.html" : "m.md", bytes: bytes)
                let other = Document(path: one.path, bytes: bytes)
                if decodedFirst { _ = one.scalars; _ = other.scalars }
                let expected = plain.findings(in: one)
                #expect(fast.findings(in: other) == expected, "\(k)")
                found += expected.count
            }
        }
        #expect(found > 200, "\(found)")
    }
}
