import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Fast paths of engine 2, CPU part 8 (document and mid-size rules, issue 16) against the plain
/// logic they replace, kept here as the reference, on random inputs built from the pieces each one
/// distinguishes (ASCII and CJK, spaces of every kind, combining marks, compatibility ideographs
/// that are canonically equal to the words a rule looks for, the Kelvin sign, CR LF).
@Suite struct DocumentRulesCPUEquivalenceTests {
    static func randomString(_ pieces: [String], maxPieces: Int, _ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...maxPieces, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
    }

    // MARK: - Document

    /// A name ending in a Chinese character before its extension is answered from the bytes; the
    /// Character search stays the reference (Prepend scalars and the edges of U+4000–U+9FFF included).
    @Test func htmlPathAfterChineseNameMatchesCharacterSearch() {
        let pieces = ["a", "/", ".", "html", "HTM", "xhtml", "md", "新", "聞", "\u{4000}", "\u{9FFF}", "\u{3FFF}", "\u{A000}", "\u{3400}",
                      "\u{0600}", "\u{110BD}", "\u{301}", "\u{200D}", "가", "\u{1F1E8}", "\u{10FF80}", "é"]
        var rng = SeededRandom(seed: 16_089)
        for _ in 0..<30_000 {
            let path = Self.randomString(pieces, maxPieces: 7, &rng)
            #expect(Document.isHTMLPath(path) == Document.characterIsHTMLPath(path), "\(Array(path.unicodeScalars))")
        }
        #expect(Document.isHTMLPath("copy-00/2024-11-27-AJ-拜登宣布.html"))
        #expect(!Document.isHTMLPath("copy-00/\u{0600}.html") == !Document.characterIsHTMLPath("copy-00/\u{0600}.html"))
    }

    /// `UTF8Validation.firstInvalidOffset` as it was: one sequence per step, `sequenceLength` for all but ASCII.
    static func referenceFirstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buf -> Int? in
            var i = 0
            while i < buf.count {
                let length = UTF8Validation.sequenceLength(buf, at: i)
                if length == 0 { return i }
                i += length
            }
            return nil
        }
    }

    @Test func validationMatchesTheSequenceWalk() {
        var rng = SeededRandom(seed: 16_091)
        let pieces: [[UInt8]] = ["新聞", "報道，", "。", "a", "2024", " ", "\n", "é", "\u{1F600}", "\u{FFFD}", "\u{E000}", "\u{D7FF}", "\u{800}"].map { Array($0.utf8) }
            + [[0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xE4, 0xB8], [0xE4], [0x80], [0xFF], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBF]]
        for _ in 0..<30_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &rng) { bytes += pieces.randomElement(using: &rng) ?? [] }
            #expect(UTF8Validation.firstInvalidOffset(in: bytes) == Self.referenceFirstInvalidOffset(bytes), "\(bytes)")
        }
    }

    /// `String(exactUTF8:)` (decode, then compare with the input) answers as the standard library's
    /// validating initializer on valid, invalid, truncated and surrogate sequences at every alignment.
    @Test func exactUTF8MatchesValidatingInitializer() {
        var rng = SeededRandom(seed: 16_095)
        let pieces: [[UInt8]] = ["新聞", "報道，", "。", "a", "2024", " ", "\n", "é", "\u{1F600}", "\u{FFFD}", "\u{E000}", "\u{10FFFF}"].map { Array($0.utf8) }
            + [[0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xE4, 0xB8], [0xE4], [0x80], [0xFF], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBF, 0xBD], [0xEF, 0xBF], [0x00]]
        var sawInvalid = false, sawValid = false
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...24, using: &rng) { bytes += pieces.randomElement(using: &rng) ?? [] }
            let expected = String(validating: bytes, as: UTF8.self)
            let exact = bytes.withUnsafeBufferPointer { String(exactUTF8: $0) }
            #expect(exact == expected, "\(bytes)")
            #expect(exact.map { Array($0.utf8) == bytes } ?? true)
            #expect(String(exactUTF8: bytes[...]) == expected)
            if expected == nil { sawInvalid = true } else { sawValid = true }
        }
        #expect(sawInvalid && sawValid)
        #expect(String(exactUTF8: UnsafeBufferPointer<UInt8>(start: nil, count: 0)) == "")
    }

    @Test func textSkipTokenizesAsTheByteLoop() {
        var rng = SeededRandom(seed: 16_094)
        let pieces = ["<p>", "</p>", "<a href=\"x?a=1&b=2\">", "</a>", "&amp;", "&#20013;", "&", "<", "a < b", "<3", "<中文>", "新聞報道，",
                      "abcdefgh", "12345678", "<!-- c -->", "<!--", "<script>x<y</script>", "<style>", "<!DOCTYPE html>", "<br/>", "\n", " ",
                      "<?x?>", "</>", "<title>a&b</title>", "<textarea><b></textarea>"]
        for n in 0..<6_000 {
            let bytes = Array(Self.randomString(pieces, maxPieces: 30, &rng).utf8)
            let start = n % 4 == 0 ? min(bytes.count, Int.random(in: 0...8, using: &rng)) : 0
            let fast = HTMLView(bytes: bytes, range: start..<bytes.count)
            let plain = HTMLView(bytes: bytes, range: start..<bytes.count, skipsText: false)
            let same = fast.tokens.count == plain.tokens.count
                && zip(fast.tokens, plain.tokens).allSatisfy { $0.kind == $1.kind && $0.range == $1.range && $0.name == $1.name
                    && $0.selfClosing == $1.selfClosing && $0.attributeIndices == $1.attributeIndices }
                && fast.attributes == plain.attributes
                && fast.endsInsideMarkup == plain.endsInsideMarkup && fast.inCode == plain.inCode
            #expect(same, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func codeDepthMatchesComparingEveryTag() {
        var rng = SeededRandom(seed: 16_093)
        let pieces = ["<pre>", "</pre>", "<CODE>", "</code>", "<kbd/>", "<samp x=1>", "</Samp>", "<codes>", "<co>", "<p>", "</p>", "<prex>",
                      "<b>", "</b>", "text", "新聞", "<!-- pre -->", "<br/>", "&amp;"]
        for _ in 0..<5_000 {
            let bytes = Array(Self.randomString(pieces, maxPieces: 20, &rng).utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            var depth = 0
            var reference: [Bool] = []
            for token in view.tokens {
                if token.kind == .startTag || token.kind == .endTag, !token.selfClosing,
                   HTMLView.codeElements.contains(where: { HTMLView.equalsIgnoringASCIICase(bytes, token.name, $0) }) {
                    depth = token.kind == .startTag ? depth + 1 : max(0, depth - 1)
                }
                reference.append(depth > 0)
            }
            #expect(view.inCode == reference, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    // MARK: - BodyNormalizer

    @Test func foldMatchesThePlainSwitchOnEveryScalar() {
        for s in UInt32(0)...0x10FFFF where BodyNormalizer.fold(s) != BodyNormalizer.plainFold(s) {
            Issue.record("fold(\(String(s, radix: 16))) = \(String(describing: BodyNormalizer.fold(s))), plain: \(String(describing: BodyNormalizer.plainFold(s)))")
        }
    }

    /// The 3-byte fast path of the byte walks gives a scalar exactly when `decode` reads a 3-byte
    /// scalar that `fold` keeps as it is, and gives that scalar; truncated sequences included.
    @Test func keptThreeByteScalarMatchesDecodeAndFold() {
        let continuations = Array(UInt8(0x70)...0xCF)
        for b0 in UInt8(0xD0)...0xF4 {
            for b1 in continuations {
                for b2 in continuations {
                    let bytes: [UInt8] = [b0, b1, b2]
                    for end in 1...3 {
                        bytes.withUnsafeBufferPointer { buf in
                            let kept = BodyNormalizer.keptThreeByteScalar(buf, at: 0, end: end)
                            let (s, n) = BodyNormalizer.decode(buf, at: 0, end: end)
                            let expected: UInt32? = n == 3 && (0x3001...0xFEFE).contains(s) && BodyNormalizer.fold(s) == s ? s : nil
                            if kept != expected { Issue.record("\(bytes) end \(end): \(String(describing: kept)), expected \(String(describing: expected))") }
                        }
                    }
                }
            }
        }
    }

    static let bodyPieces = ["新", "聞", "，", "。", "　", " ", "\n", "\r\n", "\t", "\u{A0}", "\u{200B}", "\u{FEFF}", "ＡＢ", "｡", "｢", "｣", "､", "･",
                             "a", "Z", "<p>", "</p>", "<div class=\"x\">", "<!-- c -->", "<script>var a;</script>", "&#20013;", "&#x4E2D;",
                             "&nbsp;", "&amp;", "[link](http://a.b/c)", "![img](x.png)", "https://web.archive.org/web/20210301000000/http://x.org/",
                             "é", "e\u{301}", "\u{1F600}", "\u{FF}", "\u{7F}"]

    static func randomDocuments(_ count: Int, seed: UInt64) -> [Document] {
        var rng = SeededRandom(seed: seed)
        var out: [Document] = []
        for n in 0..<count {
            var bytes = Array(randomString(bodyPieces, maxPieces: 80, &rng).utf8)
            if n % 3 == 0 { bytes = Array("---\ntitle: t\n---\n".utf8) + bytes }
            // Ill-formed bytes too: a lone continuation, a truncated sequence.
            if n % 7 == 0, !bytes.isEmpty { bytes.insert([0x80, 0xE4, 0xFF][n % 3], at: Int.random(in: 0..<bytes.count, using: &rng)) }
            out.append(Document(path: n % 2 == 0 ? "post\(n).html" : "post\(n).md", bytes: bytes))
        }
        return out
    }

    @Test func normalisedBodyMatchesTheAppendingForm() {
        for document in Self.randomDocuments(3_000, seed: 16_081) {
            let fast = BodyNormalizer.view(document), plain = Self.referenceNormalizedView(document)
            #expect(fast.scalars == plain.scalars, "\(document.path)")
            #expect(fast.hash == plain.hash, "\(document.path)")
        }
        // Bodies past the scratch buffer (4,096 scalars), ending on and around its edges.
        var rng = SeededRandom(seed: 7)
        for length in [4_095, 4_096, 4_097, 8_192, 8_193, 30_001] {
            var text = ""
            while text.unicodeScalars.count < length { text += Self.bodyPieces[rng.below(Self.bodyPieces.count)] }
            for path in ["long.md", "long.html"] {
                let document = Document(path: path, bytes: Array(text.utf8))
                let fast = BodyNormalizer.view(document), plain = Self.referenceNormalizedView(document)
                #expect(fast.scalars == plain.scalars, "\(path) \(length)")
                #expect(fast.hash == plain.hash, "\(path) \(length)")
            }
        }
    }

    /// With the scalar decode the script rules share made first, an HTML body's text tokens are
    /// sliced from it instead of decoded again: the same scalars and hash as the byte decode.
    @Test func normalisedBodyFromTheSharedDecodeMatchesTheByteDecode() {
        var documents = Self.randomDocuments(3_000, seed: 52_001)
        var rng = SeededRandom(seed: 23)
        for length in [1, 2, 4_097, 20_000] {
            var text = ""
            while text.unicodeScalars.count < length { text += Self.bodyPieces[rng.below(Self.bodyPieces.count)] }
            documents.append(Document(path: "long.html", bytes: Array(text.utf8)))
            // Markdown too: its runs between ASCII scalars cross the 4,096-scalar scratch buffer.
            documents.append(Document(path: "long.md", bytes: Array(text.utf8)))
        }
        documents.append(Document(path: "empty.html", bytes: []))
        var sliced = 0
        for document in documents {
            let decoded = Document(path: document.path, bytes: document.bytes)
            _ = decoded.scalars
            let plain = BodyNormalizer.view(document), fromDecode = BodyNormalizer.view(decoded)
            #expect(document.views.computedScalars == nil, "the byte path must not make the decode")
            #expect(plain.scalars == fromDecode.scalars, "\(document.path)")
            #expect(plain.hash == fromDecode.hash, "\(document.path)")
            if document.isHTMLFile && document.isValidUTF8 { sliced += 1 }
        }
        #expect(sliced > 1_000)
    }

    /// `ScalarDecode.firstScalar` (the bisection `ScalarSlices` asks) against a walk from `from`, over
    /// offsets of scalars of one to four bytes, for offsets before, at, inside and past each scalar.
    @Test func scalarSlicesSearchMatchesTheWalk() {
        var rng = SeededRandom(seed: 20_002)
        for round in 0..<300 {
            let count = round % 50
            var offsets: [UInt32] = [UInt32(rng.below(3))]
            for _ in 0..<count { offsets.append(offsets[offsets.count - 1] + UInt32(1 + rng.below(4))) }
            offsets.withUnsafeBufferPointer { o in
                for from in 0...count {
                    for offset in 0...(Int(o[count]) + 2) where offset >= Int(o[from]) || from == count {
                        var expected = from
                        while expected < count && Int(o[expected]) < offset { expected += 1 }
                        #expect(ScalarDecode.firstScalar(atOrAfter: offset, from: from, count: count, offsets: o) == expected, "\(offsets) from \(from) offset \(offset)")
                    }
                }
            }
        }
    }

    // MARK: - body-empty

    /// `BodyText.isLetter` as it was: the switch alone.
    static func referenceIsLetter(_ c: UInt32) -> Bool {
        switch c {
        case 0x41...0x5A, 0x61...0x7A: return true
        case 0xC0...0x24F: return c != 0xD7 && c != 0xF7
        case 0x370...0x52F, 0x590...0x6FF, 0x900...0xE7F, 0x1100...0x11FF: return true
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xAC00...0xD7A3, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0xFF66...0xFF9D: return true
        default: return CJK.isHan(c)
        }
    }

    @Test func letterTestMatchesTheSwitchOnEveryScalar() {
        for c in UInt32(0)...0x10FFFF where BodyText.isLetter(c) != Self.referenceIsLetter(c) {
            Issue.record("isLetter(\(String(c, radix: 16)))")
        }
    }

    /// The Markdown half of `BodyText.init` as it was: `isCode(line:)` asked for every character.
    /// `BodyText.init(visibleTextOf:limit:)` as it was first written (HTML).
    static func referenceVisibleText(_ document: Document, limit: Int) -> (letters: Int, hash: UInt64, hasContent: Bool) {
        var text: (letters: Int, hash: UInt64, hasContent: Bool) = (0, 0xcbf2_9ce4_8422_2325, false)
        let b = document.bytes
        for token in document.html.tokens where token.kind != .doctype {
            if !text.hasContent { text.hasContent = b[token.range].contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } }
            if let scalar = HTMLView.numericReferenceValue(b, token) {
                if scalar > 0x20 && scalar != 0x3000 && scalar != 0xA0 {
                    text.hash = (text.hash ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3
                    if BodyText.isLetter(scalar) { text.letters += 1 }
                }
                if text.letters >= limit { return text }
                continue
            }
            guard token.kind == .text else { continue }
            var i = token.range.lowerBound
            while i < token.range.upperBound && text.letters < limit {
                let (scalar, length) = UTF8Validation.decode(b[..<token.range.upperBound], at: i)
                i += length
                if scalar <= 0x20 || scalar == 0x3000 || scalar == 0xA0 { continue }
                text.hash = (text.hash ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3
                if BodyText.isLetter(scalar) { text.letters += 1 }
            }
            if text.letters >= limit { return text }
        }
        return text
    }

    /// A sink without a buffer: every scalar through `put` (the protocol's `putFolding`, one `fold`
    /// a scalar), so a walk into it never reaches `foldRun`.
    struct PlainSink: BodyNormalizer.Sink {
        var scalars: [UInt32] = []
        var hash = normalizedBodyHashSeed
        mutating func put(_ scalar: UInt32) {
            scalars.append(scalar)
            hash = (hash ^ UInt64(scalar)) &* normalizedBodyHashPrime
        }

        var view: NormalizedBodyView { NormalizedBodyView(scalars: scalars, hash: mix64(hash ^ UInt64(scalars.count))) }
    }

    /// `BodyNormalizer.view` as it was written first (`append` per scalar).
    static func referenceNormalizedView(_ document: Document) -> NormalizedBodyView {
        var sink = PlainSink()
        BodyNormalizer.forEach(document, into: &sink)
        return sink.view
    }

    static func referenceMarkdownBodyText(_ document: Document, limit: Int) -> (letters: Int, hash: UInt64, hasContent: Bool) {
        var text: (letters: Int, hash: UInt64, hasContent: Bool) = (0, 0xcbf2_9ce4_8422_2325, false)
        let b = document.bytes
        let end = b.count
        var i = document.bodyStart
        var line = document.bodyStartLine
        var lineEnd = line < document.lineStarts.count ? document.lineStarts[line] : end
        let comment = Array("<!--".utf8), commentEnd = Array("-->".utf8), http = Array("http".utf8)
        let rawBlocks: [(open: [UInt8], close: [UInt8])] = [("<script", "</script>"), ("<style", "</style>")].map { (Array($0.0.utf8), Array($0.1.utf8)) }
        while i < end && text.letters < limit {
            while i >= lineEnd && lineEnd < end {
                line += 1
                lineEnd = line < document.lineStarts.count ? document.lineStarts[line] : end
            }
            if document.isCode(line: line) {
                text.hasContent = true
                i = lineEnd
                continue
            }
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            text.hasContent = true
            if c == 0x3C {
                if ASCIICase.hasPrefix(b, at: i, comment, end: end) {
                    i = (ASCIICase.firstIndex(of: commentEnd, in: b, from: i + 4, to: end) ?? end - 3) + 3
                    continue
                }
                if let block = rawBlocks.first(where: { ASCIICase.hasPrefix(b, at: i, $0.open, end: end) }) {
                    i = min(end, (ASCIICase.firstIndex(of: block.close, in: b, from: i, to: end) ?? end) + block.close.count)
                    continue
                }
                if i + 1 < end, CJK.isASCIILetter(UInt32(b[i + 1])) || b[i + 1] == 0x2F || b[i + 1] == 0x21 {
                    var j = i + 1
                    while j < end && b[j] != 0x3E && b[j] != 0x0A { j += 1 }
                    if j < end && b[j] == 0x3E { i = j + 1; continue }
                }
            }
            if c == 0x21, i + 1 < end, b[i + 1] == 0x5B {
                if let close = ASCIICase.firstIndex(of: [0x5D, 0x28], in: b, from: i + 2, to: min(end, lineEnd)), let paren = ASCIICase.firstIndex(of: [0x29], in: b, from: close + 2, to: min(end, lineEnd)) {
                    i = paren + 1
                    continue
                }
            }
            if c == 0x5D, i + 1 < end, b[i + 1] == 0x28 {
                i = (ASCIICase.firstIndex(of: [0x29], in: b, from: i + 2, to: min(end, lineEnd)) ?? i + 1) + 1
                continue
            }
            if c == 0x68, ASCIICase.hasPrefix(b, at: i, http, end: end), ASCIICase.hasPrefix(b, at: i + 4, Array("://".utf8), end: end) || ASCIICase.hasPrefix(b, at: i + 4, Array("s://".utf8), end: end) {
                var j = i
                while j < end, b[j] > 0x20, b[j] < 0x80, b[j] != 0x3C, b[j] != 0x29 { j += 1 }
                i = j
                continue
            }
            if c == 0x26 {
                var j = i + 1
                while j < end, j - i < 10, CJK.isASCIILetter(UInt32(b[j])) || (0x30...0x39).contains(b[j]) || b[j] == 0x23 { j += 1 }
                if j < end, j > i + 1, b[j] == 0x3B { i = j + 1; continue }
            }
            let (scalar, length) = UTF8Validation.decode(b[...], at: i)
            i += length
            if scalar == 0x23 || scalar == 0x2A || scalar == 0x3E || scalar == 0x7C || scalar == 0x2D || scalar == 0x5F || scalar == 0x3000 || scalar == 0xA0 { continue }
            text.hash = (text.hash ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3
            if BodyText.isLetter(scalar) { text.letters += 1 }
        }
        return text
    }

    /// `BodyText.ideograph(inWord:)` (one test of a 4-byte load) against the byte tests it replaced,
    /// for every lead byte and continuation bytes at and around the edges of their range.
    @Test func ideographWordTestMatchesTheByteTests() {
        let edges: [UInt8] = [0x00, 0x3F, 0x40, 0x7F, 0x80, 0x81, 0xB7, 0xB8, 0xBE, 0xBF, 0xC0, 0xC1, 0xE4, 0xFF]
        for b0 in UInt8(0)...0xFF {
            for b1 in edges {
                for b2 in edges {
                    let expected: UInt32? = BodyText.startsIdeograph(b0) && b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80
                        ? (UInt32(b0 & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(b2 & 0x3F) : nil
                    for high in [UInt8(0x00), 0x80, 0xE4, 0xFF] {
                        let word = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(high) << 24
                        #expect(BodyText.ideograph(inWord: word) == expected, "\(b0) \(b1) \(b2) \(high)")
                    }
                }
            }
        }
    }

    @Test func bodyTextMatchesThePlainWalks() {
        var rng = SeededRandom(seed: 16_088)
        let pieces = Self.bodyPieces + ["```\n", "~~~\n", "    ```\n", "```js\n", "&#12354;", "&#x1F600;", "&#0;", "&#x110000;", "<!DOCTYPE html>", "ｱ", "가", "Ω",
                                       // Lead bytes E4…E9 (the ideograph run) at both ends of its range and beyond it.
                                       "䀀", "䷀", "一", "鿿", "ꀀ", "㐀", "中國新聞網報道", "<b>中國</b>"]
        for n in 0..<4_000 {
            var bytes = Array(Self.randomString(pieces, maxPieces: 60, &rng).utf8)
            if n % 2 == 0 { bytes = Array("---\ntitle: t\n---\n".utf8) + bytes }
            if n % 5 == 0, !bytes.isEmpty { bytes.insert([0x80, 0xE4, 0xFF][n % 3], at: Int.random(in: 0..<bytes.count, using: &rng)) }
            let limit = [1, 10, 201, .max].randomElement(using: &rng) ?? 10
            let html = Document(path: "p.html", bytes: bytes), markdown = Document(path: "p.md", bytes: bytes)
            let fast = BodyText(html, limit: limit), plain = Self.referenceVisibleText(html, limit: limit)
            #expect(fast.letters == plain.letters && fast.hash == plain.hash && fast.hasContent == plain.hasContent, "html \(n)")
            // With the script rules' shared decode made first: text tokens sliced from it.
            let decoded = Document(path: "p.html", bytes: bytes)
            _ = decoded.scalars
            let sliced = BodyText(decoded, limit: limit)
            #expect(sliced.letters == plain.letters && sliced.hash == plain.hash && sliced.hasContent == plain.hasContent, "html, shared decode \(n)")
            let md = BodyText(markdown, limit: limit), reference = Self.referenceMarkdownBodyText(markdown, limit: limit)
            #expect(md.letters == reference.letters && md.hash == reference.hash && md.hasContent == reference.hasContent, "markdown \(n)")
        }
    }

    // MARK: - content-near-duplicate

    /// `binMinima` as it was written before CPU part 8: the scalar entering is added, then the one leaving taken off.
    static func referenceBinMinima(_ scalars: [UInt32], size k: Int, bins: Int) -> [UInt64] {
        let count = scalars.count - k + 1
        var minima = [UInt64](repeating: .max, count: bins)
        guard count > 0 else { return minima }
        var leading: UInt64 = 1
        for _ in 1..<k { leading = leading &* ContentNearDuplicateRule.rollingBase }
        var h: UInt64 = 0
        for j in 0..<(k - 1) { h = h &* ContentNearDuplicateRule.rollingBase &+ UInt64(scalars[j]) }
        for i in 0..<count {
            h = h &* ContentNearDuplicateRule.rollingBase &+ UInt64(scalars[i + k - 1])
            let x = mix64(h)
            let b = ContentNearDuplicateRule.bin(x, bins: bins)
            if x < minima[b] { minima[b] = x }
            h = h &- UInt64(scalars[i]) &* leading
        }
        return minima
    }

    @Test func rollingShingleHashMatchesTheTwoStepForm() {
        var rng = SeededRandom(seed: 16_082)
        let alphabet: [UInt32] = [0x20, 0x41, 0x61, 0x3002, 0xFF0C, 0x4E2D, 0x6587, 0x10FFFF, 0xFFFF_FFFF, 0]
        for _ in 0..<2_000 {
            let k = Int.random(in: 1...32, using: &rng)
            let bins = [8, 64, 144, 1024].randomElement(using: &rng) ?? 144
            let length = Int.random(in: 0...300, using: &rng)
            let scalars = (0..<length).map { _ in
                Bool.random(using: &rng) ? (alphabet.randomElement(using: &rng) ?? 0) : UInt32.random(in: 0...0x10FFFF, using: &rng)
            }
            #expect(ContentNearDuplicateRule.binMinima(scalars, size: k, bins: bins, budget: nil) == Self.referenceBinMinima(scalars, size: k, bins: bins),
                    "k \(k), bins \(bins), length \(length)")
        }
    }

    /// Bodies with shingle counts around the 4,096-shingle chunks between budget checks.
    @Test func rollingShingleHashMatchesTheTwoStepFormAcrossBudgetChunks() {
        var rng = SeededRandom(seed: 16_084)
        for k in [1, 5, 32] {
            for shingles in [4_095, 4_096, 4_097, 8_192, 8_193, 10_000] {
                let scalars = (0..<(shingles + k - 1)).map { _ in UInt32.random(in: 0x4E00...0x4E40, using: &rng) }
                #expect(ContentNearDuplicateRule.binMinima(scalars, size: k, bins: 144, budget: nil) == Self.referenceBinMinima(scalars, size: k, bins: 144),
                        "k \(k), shingles \(shingles)")
            }
        }
    }

    /// `densified` as it was before session 16: `map` to the low bits, `reduce` for the filled
    /// count, every probe hashed.
    static func referenceDensified(_ minima: [UInt64]) -> [UInt16] {
        let bins = minima.count
        var signature = minima.map { UInt16(truncatingIfNeeded: $0) }
        let filled = minima.reduce(0) { $0 + ($1 == .max ? 0 : 1) }
        guard filled > 0, filled < bins else { return signature }
        for b in 0..<bins where minima[b] == .max {
            var attempt: UInt64 = 1
            var donor = ContentNearDuplicateRule.densificationProbe(bin: b, attempt: attempt, bins: bins)
            while minima[donor] == .max {
                attempt += 1
                donor = attempt <= 4096 ? ContentNearDuplicateRule.densificationProbe(bin: b, attempt: attempt, bins: bins) : (donor + 1) % bins
            }
            signature[b] = signature[donor]
        }
        return signature
    }

    /// `emptyBit` (branch-free) is `v == .max`, at the values where its two halves change over.
    @Test func emptyBitIsTheMaxTest() {
        var rng = SeededRandom(seed: 20_001)
        let edges: [UInt64] = [0, 1, 1 << 62, (1 << 63) - 2, (1 << 63) - 1, 1 << 63, (1 << 63) + 1, .max - 2, .max - 1, .max]
        for v in edges + (0..<1_000).map({ _ in UInt64.random(in: 0...UInt64.max, using: &rng) }) {
            #expect(ContentNearDuplicateRule.emptyBit(v) == (v == .max ? 1 : 0), "\(v)")
        }
    }

    @Test func densifiedSignatureMatchesTheMappingForm() {
        var rng = SeededRandom(seed: 16_160)
        // Bins of a partial last word of empty-bin bits (8, 65, 144) and of whole words (64, 1024).
        for bins in [8, 64, 65, 144, 1024] {
            let probes = ContentNearDuplicateRule.DensificationProbes(bins: bins)
            for round in 0..<(bins >= 1024 ? 12 : 200) {
                // No bin, one, some, all filled; minima of every size, `.max - 1` among them.
                let filled = [0, 1, 2, bins / 16, bins / 2, bins - 1, bins][round % 7]
                var minima = [UInt64](repeating: .max, count: bins)
                for _ in 0..<filled {
                    minima[Int.random(in: 0..<bins, using: &rng)] = round % 5 == 0 ? .max - 1 : UInt64.random(in: 0..<UInt64.max, using: &rng)
                }
                let reference = Self.referenceDensified(minima)
                #expect(ContentNearDuplicateRule.densified(minima, probes: probes) == reference, "bins \(bins), filled \(filled)")
                #expect(ContentNearDuplicateRule.densified(minima) == reference, "bins \(bins), filled \(filled)")
            }
        }
    }

    @Test func densificationFromTheProbeTableMatchesTheHashedProbes() {
        var rng = SeededRandom(seed: 16_083)
        for bins in [8, 64, 144, 1024] {
            let probes = ContentNearDuplicateRule.DensificationProbes(bins: bins)
            for b in 0..<bins {
                for attempt in 1...UInt64(ContentNearDuplicateRule.DensificationProbes.depth) {
                    #expect(probes.probe(bin: b, attempt: attempt) == ContentNearDuplicateRule.densificationProbe(bin: b, attempt: attempt, bins: bins))
                }
            }
            // Fewer rounds at 1,024 bins: with one bin filled, the plain form probes thousands of times per bin.
            for _ in 0..<(bins >= 1024 ? 12 : 200) {
                // From one filled bin (long probe sequences, past the table) to all filled.
                let filled = [1, 2, 3, bins / 16, bins / 2, bins - 1, bins].randomElement(using: &rng) ?? 1
                var minima = [UInt64](repeating: .max, count: bins)
                for _ in 0..<filled { minima[Int.random(in: 0..<bins, using: &rng)] = UInt64.random(in: 0..<UInt64.max, using: &rng) }
                #expect(ContentNearDuplicateRule.densified(minima, probes: probes) == ContentNearDuplicateRule.densified(minima), "bins \(bins), filled \(filled)")
                // A table for another width is not used.
                let other = ContentNearDuplicateRule.DensificationProbes(bins: 8)
                #expect(ContentNearDuplicateRule.densified(minima, probes: other) == ContentNearDuplicateRule.densified(minima))
            }
        }
    }

    // MARK: - html-widget

    static let textPieces = ["阅", "读", "更", "多", "閱", "讀", "相", "关", "關", "\u{F901}", "\u{F95A}", "a", "K", "\u{212A}", " ", "\r\n", "\n",
                             "\u{301}", "\u{200D}", "\u{FE0F}", "가", "\u{1100}\u{1161}", "é", "e\u{301}", "\u{3400}", "\u{9FFF}", "\u{A000}", "~", "\u{7F}", ""]

    @Test func textPrefixMatchesStringHasPrefix() {
        var rng = SeededRandom(seed: 16_084)
        let prefixes = ["阅读更多", "閱讀更多", "相关阅读", "相關閱讀", "K", "\u{212A}x", "e\u{301}", "é", "가", "a\u{301}", "\u{F901}"]
        for _ in 0..<40_000 {
            let text = Self.randomString(Self.textPieces, maxPieces: 6, &rng)
            let prefix = Bool.random(using: &rng) ? (prefixes.randomElement(using: &rng) ?? "") : Self.randomString(Self.textPieces, maxPieces: 3, &rng)
            #expect(HTMLWidgetRule.hasTextPrefix(text, prefix) == text.hasPrefix(prefix), "\(Array(text.unicodeScalars)) / \(Array(prefix.unicodeScalars))")
        }
        // Canonically equal first characters are still compared as `Character`s.
        #expect(HTMLWidgetRule.hasTextPrefix("閱\u{F95A}更多", "閱讀更多"))
        #expect(!HTMLWidgetRule.hasTextPrefix("阅读更\u{301}多", "阅读更多"))
    }

    @Test func classMatchOnBytesMatchesTheStringSplit() throws {
        var rng = SeededRandom(seed: 16_087)
        let pieces = [" ", "  ", "\t", "\n", "\r\n", "\r", "a", "b", "ab", "share", "fb-post", "K", "\u{212A}", "é", "e\u{301}", "\u{301}", "-", "_", "新"]
        let selectors = try ["div.share", "div.a.b", "div.K", "div.\u{212A}", "div.ab", "div.fb-post", "div.é"].map { try HTMLSelector($0) }
        for _ in 0..<20_000 {
            let value = Self.randomString(pieces, maxPieces: 6, &rng)
            let bytes = Array(value.utf8)
            for selector in selectors {
                let present = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                let expected = selector.classes.allSatisfy { c in present.contains(where: { $0 == c }) }
                let got = HTMLSelector.hasClasses(selector.asciiClasses, bytes, 0..<bytes.count) ?? expected
                #expect(got == expected, "\(selector.source) / \(Array(value.unicodeScalars))")
            }
        }
        // End to end: the selector on an element's class attribute.
        let html = Array("<div class=\"x  share\ty\">t</div><div class=\"shared\">u</div>".utf8)
        let view = HTMLView(bytes: html, range: 0..<html.count)
        let starts = view.tokens.filter { $0.kind == .startTag }
        #expect(starts.map { selectors[0].matchesAttributes($0, view, html) } == [true, false])
    }

    // MARK: - front-matter-field

    @Test func blankValueTestMatchesCharacterSet() {
        var rng = SeededRandom(seed: 16_085)
        let pieces = [" ", "\t", "\n", "\r", "\u{B}", "\u{C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{200B}", "\u{202F}",
                      "\u{205F}", "\u{3000}", "\u{FEFF}", "a", "新", "\u{0}", "\u{7F}", "\u{301}"]
        func plain(_ s: String) -> Bool { s.unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) } }
        // Every scalar the fast paths answer (ASCII, U+3001…U+FFFF), alone and after a space.
        for v in UInt32(0)...0xFFFF where v < 0x80 || v >= 0x3001 {
            guard let scalar = UnicodeScalar(v) else { continue }
            let s = String(scalar)
            if FrontMatterFieldRule.isBlank(s) != plain(s) || FrontMatterFieldRule.isBlank(" " + s) != plain(" " + s) {
                Issue.record("isBlank U+\(String(v, radix: 16))")
            }
        }
        for _ in 0..<20_000 {
            let s = Self.randomString(pieces, maxPieces: 5, &rng)
            #expect(FrontMatterFieldRule.isBlank(s) == plain(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func bracePairOnContiguousBytesMatchesTheIterator() {
        var rng = SeededRandom(seed: 16_092)
        func reference(_ text: String) -> Bool {
            var open = false, close = false, previous: UInt8 = 0
            for b in text.utf8 {
                if b == previous {
                    if b == UInt8(ascii: "{") { open = true } else if b == UInt8(ascii: "}") { close = true }
                }
                previous = b
            }
            return open && close
        }
        let pieces = ["{", "}", "{{", "}}", " ", ".Date", "新", "a", "\u{FF5B}", "\u{301}"]
        for _ in 0..<20_000 {
            let text = Self.randomString(pieces, maxPieces: 8, &rng)
            #expect(FrontMatterFieldRule.hasBracePair(text) == reference(text), "\(text)")
            // A copy of a substring: native again, the buffer path.
            #expect(FrontMatterFieldRule.hasBracePair(String(text.dropFirst())) == reference(String(text.dropFirst())))
        }
    }

    // MARK: - title-boilerplate, title-repeated-affix

    /// `TitleAffix.isColumnName` as it was: `Set<String>` membership for every text.
    static func referenceIsColumnName(_ text: String) -> Bool {
        let t = text.trimmingWhitespaces()
        let words = Set(TitleAffix.sectionWords + TitleAffix.columnWords)
        if words.contains(t) { return true }
        for suffix in TitleAffix.sectionSuffixes where t.hasSuffix(suffix) {
            let stem = String(t.dropLast(suffix.count))
            if stem.isEmpty || words.contains(stem) { return true }
        }
        return false
    }

    @Test func columnNameMatchesTheStringSets() {
        var rng = SeededRandom(seed: 16_086)
        // Every word is plain and short enough to pack: the fast path covers all of them.
        for word in TitleAffix.sectionWords + TitleAffix.columnWords + TitleAffix.sectionSuffixes {
            #expect(TitleAffix.isPlain(word) && word.utf8.count <= 15, "\(word)")
        }
        let pieces = TitleAffix.sectionWords.prefix(20) + TitleAffix.columnWords.prefix(10) + TitleAffix.sectionSuffixes
            + ["\u{FA6A}", "\u{F941}", "\u{F914}", "壇", "道", "版", " ", "\u{3000}", "\t", "\u{301}", "a", "K", "\u{212A}", "新", "網", "：", "·"]
        for _ in 0..<30_000 {
            let text = Self.randomString(Array(pieces), maxPieces: 4, &rng)
            #expect(TitleAffix.isColumnName(text) == Self.referenceIsColumnName(text), "\(Array(text.unicodeScalars))")
        }
        #expect(TitleAffix.isColumnName(" 國際新聞 "))
        #expect(TitleAffix.isColumnName("\u{F941}壇"))
        #expect(!TitleAffix.isColumnName("新浪新聞網"))
    }
}
