import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The normaliser's Markdown walk (content-duplicate, content-near-duplicate) on `](` left unclosed:
/// each searched the next 2 KB for its `)` again, so a 4 MB line of `[](` took ~6 s inside one rule.
/// The walk now asks `DestinationEndMemo`: its step count is asserted, never a time, and its
/// answers and the walk's result against the plain search (`BodyNormalizer.destinationEnd`).
@Suite struct NormalizedBodyUnclosedLinkTests {
    static let frontMatter = "---\ntitle: t\ndate: 2024-01-01\n---\n"

    /// `BodyNormalizer.dropped` with the plain, stateless searches.
    static func plainDropped(_ b: [UInt8], at i: Int, bodyStart: Int) -> Int? {
        switch b[i] {
        case UInt8(ascii: "["):
            return i + 1
        case UInt8(ascii: "!") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "["):
            return i + 2
        case UInt8(ascii: "]"):
            if i + 1 < b.count, b[i + 1] == UInt8(ascii: "("), let close = BodyNormalizer.destinationEnd(b, from: i + 2) { return close + 1 }
            return i + 1
        case UInt8(ascii: "<"):
            if let close = BodyNormalizer.tagEnd(b, from: i) { return close + 1 }
        case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "/"):
            if i == bodyStart || !BodyNormalizer.isURLByte(b[i - 1]), let next = BodyNormalizer.urlPrefixEnd(b, from: i) { return next }
        default:
            break
        }
        return nil
    }

    /// The normalised body of a Markdown document by the plain walk: a byte at a time, every search
    /// from scratch.
    static func plainMarkdownView(_ document: Document) -> NormalizedBodyView {
        var sink = DocumentRulesCPUEquivalenceTests.PlainSink()
        let b = document.bytes
        var i = document.bodyStart
        while i < b.count {
            if let next = plainDropped(b, at: i, bodyStart: document.bodyStart) { i = next; continue }
            let (scalar, length) = UTF8Validation.decode(b[...], at: i)
            i += length
            if let f = BodyNormalizer.fold(scalar) { sink.put(f) }
        }
        return sink.view
    }

    static func same(_ a: NormalizedBodyView, _ b: NormalizedBodyView) -> Bool { a.scalars == b.scalars && a.hash == b.hash }

    /// The decoding walk with its memo, for the memo's step count.
    static func walk(_ document: Document) -> (view: NormalizedBodyView, steps: Int) {
        var sink = DocumentRulesCPUEquivalenceTests.PlainSink()
        let steps = BodyNormalizer.forEachMarkdownDecoding(document, from: document.bodyStart, into: &sink)
        return (sink.view, steps)
    }

    /// The normalised body through both walks `BodyNormalizer.view` takes: decoding the bytes, and
    /// over the scalar decode the script rules share (made first).
    static func views(_ bytes: [UInt8]) -> (decoding: NormalizedBodyView, shared: NormalizedBodyView) {
        let decoding = Document(path: "a.md", bytes: bytes), shared = Document(path: "a.md", bytes: bytes)
        _ = shared.scalars
        return (BodyNormalizer.view(decoding), BodyNormalizer.view(shared))
    }

    /// A line of 120,000 bytes of each unclosed opener (40 million bytes searched before): the walk
    /// reads each byte a few times at most, and keeps what the plain walk keeps.
    @Test func unclosedDestinationsAreScannedOnce() {
        let cases: [(opener: String, kept: String)] = [
            ("[](", "("), ("](", "("), ("![](", "("), ("[]((", "(("), ("[](()", "(()"), ("](x(y)", "(x(y)"), ("[](中", "(中"),
        ]
        for (opener, kept) in cases {
            let count = 120_000 / opener.utf8.count
            for lineEnd in ["", "\n", "\n正文"] {
                let bytes = Array((Self.frontMatter + String(repeating: opener, count: count) + lineEnd).utf8)
                let expected = Array((String(repeating: kept, count: count) + (lineEnd == "\n正文" ? "正文" : "")).unicodeScalars.map(\.value))
                let (view, steps) = Self.walk(Document(path: "a.md", bytes: bytes))
                #expect(steps <= 3 * bytes.count, "\(opener) \(lineEnd.debugDescription): \(steps) bytes read")
                #expect(view.scalars == expected, "\(opener) \(lineEnd.debugDescription)")
                let (decoding, shared) = Self.views(bytes)
                #expect(Self.same(decoding, view) && Self.same(shared, view), "\(opener) \(lineEnd.debugDescription)")
            }
        }
    }

    /// Lines of 6,000 bytes (past the 2 KB a destination may take) of openers that close later, of
    /// nested and unbalanced parentheses, broken by line feeds: the same as the plain walk.
    @Test func destinationsPastTheLimitMatchThePlainWalk() {
        let lines = [
            String(repeating: "[](", count: 1_000) + String(repeating: ")", count: 1_000),
            String(repeating: "[](", count: 300) + String(repeating: "x", count: 1_500) + String(repeating: ")", count: 300),
            String(repeating: "[](", count: 700) + String(repeating: ")", count: 350) + String(repeating: "[](x)", count: 300),
            String(repeating: "[](" + String(repeating: "(", count: 40) + String(repeating: ")", count: 41), count: 70),
            String(repeating: "((", count: 800) + String(repeating: "[](", count: 500) + String(repeating: "))", count: 900),
            String(repeating: "[](a\n", count: 1_200),
            String(repeating: "[](" + String(repeating: "a", count: 2_044) + ")", count: 3),
            String(repeating: "[](" + String(repeating: "a", count: 2_045) + ")", count: 3),
            String(repeating: "[](" + String(repeating: "(", count: 2_046) + String(repeating: ")", count: 2_047), count: 2),
        ]
        for (n, line) in lines.enumerated() {
            let document = Document(path: "a.md", bytes: Array((Self.frontMatter + line + "\n正文").utf8))
            let plain = Self.plainMarkdownView(document)
            let (view, steps) = Self.walk(document)
            #expect(Self.same(view, plain), "line \(n)")
            #expect(steps <= 3 * document.bytes.count, "line \(n): \(steps) bytes read")
            let (decoding, shared) = Self.views(document.bytes)
            #expect(Self.same(decoding, plain) && Self.same(shared, plain), "line \(n)")
        }
    }

    /// The memo's answer for every `](` of random lines of parentheses, brackets and line feeds, in
    /// byte order (as a walk asks) and shuffled: the plain search's.
    @Test func memoAnswersAreThePlainSearch() {
        var rng = SeededRandom(seed: 46_016)
        let pieces = ["](", "(", ")", "))", "((", "[", "a", "中", "\n"]
        for round in 0..<80 {
            let length = [10, 200, 3_000, 6_000][round % 4]
            // Lines of ~100 bytes, of ~1,000, or one line (searches stopped by the 2 KB limit).
            let lineFeedOdds = [12, 120, 0][round % 3]
            var bytes: [UInt8] = []
            while bytes.count < length {
                let piece = pieces[rng.below(pieces.count)]
                if piece == "\n", lineFeedOdds == 0 || rng.below(lineFeedOdds) != 0 { continue }
                bytes += Array(piece.utf8)
            }
            let asked = bytes.indices.filter { $0 >= 1 && bytes[$0 - 1] == UInt8(ascii: "]") && bytes[$0] == UInt8(ascii: "(") }.map { $0 + 1 }
            var expected: [Int: Int?] = [:]
            for from in asked { expected[from] = BodyNormalizer.destinationEnd(bytes, from: from) }
            var inOrder = DestinationEndMemo()
            for from in asked {
                #expect(inOrder.destinationEnd(bytes, from: from) == expected[from], "round \(round) from \(from)")
            }
            var shuffled = DestinationEndMemo()
            for from in asked.shuffled(using: &rng) {
                #expect(shuffled.destinationEnd(bytes, from: from) == expected[from], "round \(round) from \(from), shuffled")
            }
        }
    }

    /// An unclosed `](` reads its bytes once: a plain search first read them, then the scan again.
    @Test func anUnclosedDestinationIsReadOnce() {
        let bytes = Array(("](" + String(repeating: "a(", count: 50) + "\n").utf8)
        var memo = DestinationEndMemo()
        #expect(memo.destinationEnd(bytes, from: 2) == nil)
        #expect(memo.steps <= bytes.count - 2, "\(memo.steps) bytes read")
    }

    /// Random bodies of link syntax against the plain walk, through `BodyNormalizer.view`.
    @Test func randomLinkSyntaxMatchesThePlainWalk() {
        let pieces = ["[", "]", "](", "(", ")", "![", "[t](u)", "![x](y.png)", "\n", " ", "a", "中", "<a>", "<b", ">", "http://a.b/(c)",
                      "https://web.archive.org/web/20210301000000/http://x.org/", "&amp;", "（", "）"]
        var rng = SeededRandom(seed: 46_017)
        for n in 0..<3_000 {
            let body = DocumentRulesCPUEquivalenceTests.randomString(pieces, maxPieces: n % 10 == 0 ? 2_000 : 80, &rng)
            let bytes = Array((n % 2 == 0 ? Self.frontMatter + body : body).utf8)
            let plain = Self.plainMarkdownView(Document(path: "a.md", bytes: bytes))
            let (decoding, shared) = Self.views(bytes)
            #expect(Self.same(decoding, plain) && Self.same(shared, plain), "\(n): \(body.debugDescription)")
        }
    }
}
