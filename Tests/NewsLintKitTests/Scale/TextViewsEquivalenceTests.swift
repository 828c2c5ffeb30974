import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The document's text views after session 38's changes against references: the code they
/// replaced, kept here word for word (the HTML walks; `foldRun` is held to its scalar loop in
/// `ContentFastPathTests`), and for the scalar
/// decode a walk one `ScalarDecode.step` a scalar. On random scalar arrays and seeded documents
/// (Markdown and HTML, with and without the script rules' shared decode, ill-formed UTF-8 —
/// overlong forms, encoded surrogates, truncated sequences —, astral scalars, CRLF, a byte order
/// mark): the normaliser's CJK runs four scalars a step, the decode's ASCII words and CJK tails,
/// the HTML walks reading tokens in place.
@Suite struct TextViewsEquivalenceTests {
    // MARK: - References (the code before session 38)

    /// `BodyNormalizer.forEachVisible` before session 38 (each token copied by `for token in tokens`).
    static func referenceForEachVisible<S: BodyNormalizer.Sink>(_ document: Document, into sink: inout S) {
        let shared = document.sharedScalars
        let bytes = document.bytes
        bytes.withUnsafeBufferPointer { buf in
            shared.cps.withUnsafeBufferPointer { cps in
                shared.offsets.withUnsafeBufferPointer { offsets in
                    var slices = offsets.isEmpty ? nil : ScalarSlices(offsets: offsets, count: cps.count)
                    for token in document.html.tokens where token.kind == .text || token.kind == .characterReference {
                        if token.kind == .characterReference {
                            if let s = HTMLView.numericReferenceValue(bytes, token), let f = BodyNormalizer.fold(s) { sink.put(f) }
                            continue
                        }
                        if let r = slices?.scalars(of: token.range) {
                            _ = sink.putFolding(cps, from: r.lowerBound, to: r.upperBound, stopAtMarkup: false)
                            continue
                        }
                        let end = token.range.upperBound
                        var i = token.range.lowerBound
                        while i < end {
                            if let v = BodyNormalizer.keptThreeByteScalar(buf, at: i, end: end) { sink.put(v); i &+= 3; continue }
                            let (s, n) = BodyNormalizer.decode(buf, at: i, end: end)
                            i += n
                            if let f = BodyNormalizer.fold(s) { sink.put(f) }
                        }
                    }
                }
            }
        }
    }

    /// `BodyNormalizer.view` as the plain sink makes it (HTML through the walk before session 38).
    static func referenceView(_ document: Document) -> NormalizedBodyView {
        guard document.isHTMLFile else { return DocumentRulesCPUEquivalenceTests.referenceNormalizedView(document) }
        var sink = DocumentRulesCPUEquivalenceTests.PlainSink()
        referenceForEachVisible(document, into: &sink)
        return sink.view
    }

    /// `BodyText(visibleTextOf:limit:scalars:offsets:hashing:)` before session 38 (each token
    /// copied by `for token in tokens`): (letters, hash, hasContent).
    static func referenceVisibleText(_ document: Document, limit: Int, scalars: [UInt32], offsets: [UInt32],
                                     hashing: Bool) -> (letters: Int, hash: UInt64, hasContent: Bool) {
        let b = document.bytes
        var letters = 0, hash = BodyText.seed, hasContent = false
        func take(_ scalar: UInt32) {
            guard scalar > 0x20 && scalar != 0x3000 && scalar != 0xA0 else { return }
            BodyText.fold(scalar, hash: &hash, letters: &letters, hashing: hashing)
        }
        b.withUnsafeBufferPointer { buf in
            scalars.withUnsafeBufferPointer { cps in
                offsets.withUnsafeBufferPointer { offsets in
                    var slices = offsets.isEmpty ? nil : ScalarSlices(offsets: offsets, count: cps.count)
                    for token in document.html.tokens where token.kind != .doctype {
                        if !hasContent { hasContent = buf[token.range].contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } }
                        if token.kind == .characterReference, let scalar = HTMLView.numericReferenceValue(b, token) {
                            take(scalar)
                            if letters >= limit { return }
                            continue
                        }
                        guard token.kind == .text else { continue }
                        if let r = slices?.scalars(of: token.range) {
                            var k = r.lowerBound
                            while k < r.upperBound && letters < limit {
                                take(cps[k])
                                k += 1
                            }
                        } else {
                            var i = token.range.lowerBound
                            let end = token.range.upperBound
                            while i < end && letters < limit {
                                let c = buf[i]
                                if BodyText.startsIdeograph(c),
                                   BodyText.takeIdeographs(buf, from: &i, end: end, limit: limit, letters: &letters, hash: &hash, hashing: hashing) { continue }
                                if !hashing && c < 0x80 {
                                    if CJK.isASCIILetter(UInt32(c)) { letters &+= 1 }
                                    i &+= 1
                                    continue
                                }
                                let (scalar, length) = BodyNormalizer.decode(buf, at: i, end: end)
                                i += length
                                take(scalar)
                            }
                        }
                        if letters >= limit { return }
                    }
                }
            }
        }
        return (letters, hash, hasContent)
    }

    /// The scalar decode one `ScalarDecode.step` a scalar (the careful step every fast path of
    /// `decodeChecked` must agree with): scalars, offsets (then the end), whether it met an
    /// ill-formed byte or a scalar beyond the BMP, and whether an ASCII mark follows a scalar
    /// whose first byte is 0x80 or above.
    static func referenceDecode(_ bytes: [UInt8]) -> (cps: [UInt32], offsets: [Int], sawInvalid: Bool, sawAstral: Bool, markAfterNonASCII: Bool) {
        bytes.withUnsafeBufferPointer { buf in
            var cps: [UInt32] = [], offsets: [Int] = []
            var sawInvalid = false, sawAstral = false, mark = false
            var i = 0
            while i < buf.count {
                offsets.append(i)
                // `step` is for the bytes 0x80 and above (an ASCII byte is its own scalar).
                let step = buf[i] < 0x80 ? (scalar: UInt32(buf[i]), length: 1) : ScalarDecode.step(buf, at: i)
                cps.append(step.scalar)
                if step.scalar == ScalarDecode.invalid { sawInvalid = true } else if step.scalar >= 0x10000 { sawAstral = true }
                let lead = buf[i]
                i += step.length
                if lead >= 0x80, i < buf.count, ScalarDecode.isMark(buf[i]) || ScalarDecode.isQuoteCandidate(buf, at: i) { mark = true }
            }
            offsets.append(buf.count)
            return (cps, offsets, sawInvalid, sawAstral, mark)
        }
    }

    // MARK: - Inputs

    /// Pieces of bodies: long CJK runs (the four-a-step blocks and their tails) broken by
    /// punctuation the fold maps, spaces, ASCII words, Markdown and HTML the walks drop.
    static let pieces = ["中國新聞網報道", "今天", "香港", "一", "鿿", "〇", "、", "。", "「", "」", "，", "：", "！", "ＡＢ", "｡", "･",
                         "　", " ", "\n", "\r\n", "\t", "\u{A0}", "\u{200B}", "\u{FEFF}", "a", "Zeta 12", "<p>", "</p>", "<b>中文</b>",
                         "<div class=\"x\">", "<!-- 註 -->", "<script>var 中 = 1;</script>", "&#20013;", "&#x4E2D;", "&nbsp;",
                         "&amp;", "[連結](http://a.b/c)", "![圖](x.png)", "https://web.archive.org/web/20210301000000/http://x.org/",
                         "é", "\u{1F600}", "𠀀𠀁", "\u{7F}", "<pre>碼</pre>", "```\n碼\n```\n", "<!DOCTYPE html>", "&#x1F600;", "&#0;"]

    /// Pieces with no text of their own: a body of only these has no content, or content but no letters.
    static let markupPieces = ["<!DOCTYPE html>", "<!-- 註 -->", "<p>", "</p>", " ", "\n", "\t", "<br/>", "<img src=\"a.png\">",
                               "<script>var 中 = 1;</script>", "&nbsp;", "<style>p{}</style>"]

    /// Ill-formed byte sequences: a lone continuation, truncated 3- and 4-byte sequences, an
    /// overlong form, a lone surrogate encoded in UTF-8, a value past U+10FFFF, invalid bytes.
    static let illFormed: [[UInt8]] = [[0x80], [0xE4, 0xB8], [0xF0, 0x9F, 0x98], [0xC0, 0x80], [0xE0, 0x80, 0x80],
                                       [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xFE]]

    static func randomDocumentBytes(_ n: Int, _ rng: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        if n % 5 == 0 { bytes += [0xEF, 0xBB, 0xBF] }
        if n % 3 != 2 { bytes += Array((n % 2 == 0 ? "---\ntitle: 標題\n---\n" : "---\r\ntitle: t\r\n---\r\n").utf8) }
        for _ in 0..<rng.below(90) {
            if n % 7 == 3 {
                bytes += Array(rng.pick(markupPieces).utf8)
            } else if n % 4 == 1, rng.chance(0.04) {
                bytes += rng.pick(illFormed)
            } else {
                bytes += Array(rng.pick(pieces).utf8)
            }
        }
        return bytes
    }

    /// Pieces of a file for the decode: ASCII runs of every length around the eight-byte words
    /// (marks among them), CJK runs of every length around the four-sequence steps, 3-byte
    /// sequences the fast paths must not take (leads E0 and ED, valid and not), 2- and 4-byte
    /// sequences, and ill-formed bytes.
    static func randomDecodeBytes(_ n: Int, _ rng: inout SeededRandom) -> [UInt8] {
        let ascii = Array("abcXYZ019 <>/=\"#&-_\t\r\n,.:;!?()".utf8)
        let cjk = ["中", "國", "新", "聞", "，", "。", "「", "」", "一", "鿿", "가", "힣", "ࠀ", "퟿", "\u{E000}", "\u{FFFD}"].map { Array($0.utf8) }
        let others: [[UInt8]] = [Array("é".utf8), Array("ß".utf8), Array("😀".utf8), Array("𠮷".utf8)]
        var bytes: [UInt8] = n % 6 == 0 ? [0xEF, 0xBB, 0xBF] : []
        for _ in 0..<rng.below(24) {
            switch rng.below(10) {
            case 0...3: for _ in 0..<rng.below(27) { bytes.append(rng.pick(ascii)) }
            case 4...7: for _ in 0..<rng.below(19) { bytes += rng.pick(cjk) }
            case 8: bytes += rng.pick(others)
            default: bytes += rng.pick(illFormed)
            }
        }
        // Cut anywhere: a sequence truncated at the end of the file.
        if n % 3 == 0, !bytes.isEmpty { bytes = Array(bytes.prefix(rng.below(bytes.count + 1))) }
        return bytes
    }

    // MARK: - Tests

    /// The whole normalised body (`Document.normalizedBody`, the pooled `view`) against the plain
    /// sink's, on seeded Markdown and HTML documents, with and without the shared decode: every
    /// scalar and the hash.
    @Test func normalizedBodyMatchesThePlainSink() {
        var rng = SeededRandom(seed: 38_002)
        for n in 0..<2_500 {
            let bytes = Self.randomDocumentBytes(n, &rng)
            for path in ["a.md", "a.html"] {
                for decodedFirst in [false, true] {
                    let document = Document(path: path, bytes: bytes)
                    if decodedFirst { _ = document.scalars }
                    let expected = Self.referenceView(Document(path: path, bytes: bytes))
                    let view = document.normalizedBody
                    #expect(view.scalars == expected.scalars, "\(path) \(n) decoded \(decodedFirst): \(bytes)")
                    #expect(view.hash == expected.hash, "\(path) \(n) decoded \(decodedFirst)")
                }
            }
        }
    }

    /// The decode that validates as it goes (`isValidUTF8: nil`, as `Document.scalars` makes it)
    /// with narrow and wide offsets, against the step-by-step reference: every scalar and offset,
    /// the line starts, the validity, `allInBMP` and `holdsMarkAfterNonASCII`.
    @Test func checkedDecodeMatchesTheStepByStepReference() {
        var rng = SeededRandom(seed: 38_003)
        for n in 0..<8_000 {
            let bytes = Self.randomDecodeBytes(n, &rng)
            let expected = Self.referenceDecode(bytes)
            let lineStarts = Document.computeLineStarts(bytes)
            let expectedLines = lineStarts.map { start in expected.offsets.firstIndex(of: start) ?? -1 }
            for narrowLimit in [ScalarDecode.narrowOffsetLimit, 0] {
                let decode = ScalarDecode(bytes, lineStarts: lineStarts, isValidUTF8: nil, narrowOffsetLimit: narrowLimit)
                let label = "\(n) narrow limit \(narrowLimit): \(bytes)"
                #expect(decode.cps == expected.cps, "\(label)")
                #expect((0...decode.cps.count).map { decode.offsets[$0] } == expected.offsets, "\(label)")
                #expect(decode.lineStarts == expectedLines, "\(label)")
                #expect(decode.isValidUTF8 == !expected.sawInvalid, "\(label)")
                #expect(decode.allInBMP == (!expected.sawInvalid && !expected.sawAstral), "\(label)")
                #expect(decode.holdsMarkAfterNonASCII == expected.markAfterNonASCII, "\(label)")
            }
        }
    }

    /// body-empty's HTML walk against its code before session 38, counting and hashing, to several
    /// limits, with and without the shared decode.
    @Test func visibleTextMatchesTheReference() {
        var rng = SeededRandom(seed: 38_004)
        for n in 0..<2_500 {
            let bytes = Self.randomDocumentBytes(n, &rng)
            let document = Document(path: "p.html", bytes: bytes)
            let decoded = Document(path: "p.html", bytes: bytes)
            _ = decoded.scalars
            for limit in [1, 10, 201, Int.max] {
                for hashing in [false, true] {
                    for subject in [document, decoded] {
                        let shared = subject.sharedScalars
                        let expected = Self.referenceVisibleText(subject, limit: limit, scalars: shared.cps, offsets: shared.offsets, hashing: hashing)
                        let text = BodyText(visibleTextOf: subject, limit: limit, hashing: hashing)
                        #expect(text.letters == expected.letters && text.hash == expected.hash && text.hasContent == expected.hasContent,
                                "\(n) limit \(limit) hashing \(hashing) shared \(!shared.cps.isEmpty): \(bytes)")
                    }
                }
            }
        }
    }
}
