import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The document's text views after session 38's changes against the code they replaced, kept here
/// word for word as the reference: the normaliser's CJK runs copied four scalars a step
/// (`BodyNormalizer.foldRun`), on random scalar arrays and on whole seeded documents (Markdown and
/// HTML, with and without the script rules' shared decode, ill-formed UTF-8, astral scalars, CRLF,
/// a byte order mark).
@Suite struct TextViewsEquivalenceTests {
    // MARK: - References (the code before session 38)

    /// `BodyNormalizer.foldRun` before session 38: the CJK run one scalar a step.
    static func referenceFoldRun(_ scalars: UnsafeBufferPointer<UInt32>, from: Int, to end: Int, stopAtASCII: Bool,
                                 into out: UnsafeMutablePointer<UInt32>, hash: inout UInt64) -> (next: Int, written: Int) {
        var k = from, written = 0
        var h = hash
        defer { hash = h }
        while k < end {
            var s = scalars[k]
            while s &- 0x3001 < 0xFEFF - 0x3001 {
                out[written] = s
                written &+= 1
                h = (h ^ UInt64(s)) &* normalizedBodyHashPrime
                k &+= 1
                if k == end { return (k, written) }
                s = scalars[k]
            }
            if stopAtASCII && s < 0x80 { return (k, written) }
            k &+= 1
            if let f = BodyNormalizer.fold(s) {
                out[written] = f
                written &+= 1
                h = (h ^ UInt64(f)) &* normalizedBodyHashPrime
            }
        }
        return (k, written)
    }

    /// A sink without a buffer: every scalar through `put` (the protocol's `putFolding`, one
    /// `fold` a scalar), so the walk never reaches `foldRun`.
    struct PlainSink: BodyNormalizer.Sink {
        var scalars: [UInt32] = []
        var hash = normalizedBodyHashSeed
        mutating func put(_ scalar: UInt32) {
            scalars.append(scalar)
            hash = (hash ^ UInt64(scalar)) &* normalizedBodyHashPrime
        }
    }

    /// `BodyNormalizer.view` as the plain sink makes it.
    static func referenceView(_ document: Document) -> NormalizedBodyView {
        var sink = PlainSink()
        BodyNormalizer.forEach(document, into: &sink)
        return NormalizedBodyView(scalars: sink.scalars, hash: mix64(sink.hash ^ UInt64(sink.scalars.count)))
    }

    // MARK: - Inputs

    /// Scalars `foldRun` tells apart: the kept range U+3001…U+FEFE and its edges, what `fold`
    /// drops or maps, ASCII, astral, and values no decode gives (`ScalarDecode.invalid`).
    static let edges: [UInt32] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x21, 0x41, 0x7E, 0x7F, 0x80, 0xA0, 0x200B, 0x2FFF, 0x3000,
                                  0x3001, 0x3002, 0x4E2D, 0x9FFF, 0xFEFD, 0xFEFE, 0xFEFF, 0xFF01, 0xFF0C, 0xFF5E, 0xFF61,
                                  0xFF65, 0xFFFD, 0x1_F600, 0x10_FFFF, 0x8000_3001, 0x7FFF_3001, 0xFFFF_FFFF]

    /// Pieces of bodies: long CJK runs (the four-a-step blocks and their tails) broken by
    /// punctuation the fold maps, spaces, ASCII words, Markdown and HTML the walks drop.
    static let pieces = ["中國新聞網報道", "今天", "香港", "一", "鿿", "〇", "、", "。", "「", "」", "，", "：", "！", "ＡＢ", "｡", "･",
                         "　", " ", "\n", "\r\n", "\t", "\u{A0}", "\u{200B}", "\u{FEFF}", "a", "Zeta 12", "<p>", "</p>", "<b>中文</b>",
                         "<div class=\"x\">", "<!-- 註 -->", "<script>var 中 = 1;</script>", "&#20013;", "&#x4E2D;", "&nbsp;",
                         "&amp;", "[連結](http://a.b/c)", "![圖](x.png)", "https://web.archive.org/web/20210301000000/http://x.org/",
                         "é", "\u{1F600}", "𠀀𠀁", "\u{7F}", "<pre>碼</pre>", "```\n碼\n```\n"]

    /// Ill-formed byte sequences: a lone continuation, truncated 3- and 4-byte sequences, an
    /// overlong form, a lone surrogate encoded in UTF-8, a value past U+10FFFF, invalid bytes.
    static let illFormed: [[UInt8]] = [[0x80], [0xE4, 0xB8], [0xF0, 0x9F, 0x98], [0xC0, 0x80], [0xE0, 0x80, 0x80],
                                       [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xFE]]

    static func randomDocumentBytes(_ n: Int, _ rng: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        if n % 5 == 0 { bytes += [0xEF, 0xBB, 0xBF] }
        if n % 3 != 2 { bytes += Array((n % 2 == 0 ? "---\ntitle: 標題\n---\n" : "---\r\ntitle: t\r\n---\r\n").utf8) }
        for _ in 0..<rng.below(90) {
            if n % 4 == 1, rng.chance(0.04) {
                bytes += rng.pick(illFormed)
            } else {
                bytes += Array(rng.pick(pieces).utf8)
            }
        }
        return bytes
    }

    // MARK: - Tests

    /// Runs of kept scalars of every length up to 40 (blocks of four and every tail) between every
    /// other kind of scalar, from every start to every end, with and without the stop at ASCII:
    /// the same stop, scalars, count and hash as the reference, and nothing written past the count.
    @Test func foldRunMatchesTheReference() {
        var rng = SeededRandom(seed: 38_001)
        for round in 0..<6_000 {
            var scalars: [UInt32] = []
            let length = round < 48 ? round : rng.below(120)
            while scalars.count < length {
                if rng.chance(0.55) {
                    for _ in 0..<rng.below(41) { scalars.append(0x3001 + UInt32(rng.below(0xFEFF - 0x3001))) }
                } else {
                    scalars.append(rng.pick(Self.edges))
                }
            }
            scalars = Array(scalars.prefix(length))
            let from = scalars.isEmpty ? 0 : rng.below(scalars.count + 1)
            let end = from + rng.below(scalars.count - from + 1)
            for stopAtASCII in [false, true] {
                let seed = rng.next()
                let room = end - from + 4
                let expectedOut = UnsafeMutablePointer<UInt32>.allocate(capacity: room)
                let out = UnsafeMutablePointer<UInt32>.allocate(capacity: room)
                defer { expectedOut.deallocate(); out.deallocate() }
                expectedOut.initialize(repeating: 0xDEAD_BEEF, count: room)
                out.initialize(repeating: 0xDEAD_BEEF, count: room)
                var expectedHash = seed, hash = seed
                let (expected, result) = scalars.withUnsafeBufferPointer {
                    (Self.referenceFoldRun($0, from: from, to: end, stopAtASCII: stopAtASCII, into: expectedOut, hash: &expectedHash),
                     BodyNormalizer.foldRun($0, from: from, to: end, stopAtASCII: stopAtASCII, into: out, hash: &hash))
                }
                #expect(result.next == expected.next && result.written == expected.written, "\(scalars) \(from)..<\(end) stop \(stopAtASCII)")
                #expect(Array(UnsafeBufferPointer(start: out, count: room)) == Array(UnsafeBufferPointer(start: expectedOut, count: room)),
                        "\(scalars) \(from)..<\(end) stop \(stopAtASCII)")
                #expect(hash == expectedHash, "\(scalars) \(from)..<\(end) stop \(stopAtASCII)")
            }
        }
    }

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
}
