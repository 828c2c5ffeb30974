import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `body-empty`'s count without the hash (issue 16, session 24) against the plain walks it skips
/// work of: the same letters and content for every limit, on Markdown and HTML, with and without
/// the script rules' shared decode; and `BodyEmptyReading.read` against the one full walk it replaced.
struct BodyTextCountEquivalenceTests {
    typealias Reference = DocumentRulesCPUEquivalenceTests

    /// The pieces the body walks tell apart, and the edges of the ideograph run: lead bytes E4
    /// (U+4000…U+4FFF, with the hexagram symbols U+4DC0…U+4DFF that are not letters) to E9, and
    /// the lead bytes beside them.
    static let pieces = Reference.bodyPieces + [
        "```\n", "~~~\n", "&#12354;", "&#x1F600;", "<!DOCTYPE html>", "ｱ", "가", "Ω", "䀀", "䷀", "䷿", "䶿", "一", "鿿", "ꀀ", "㐀", "㿿",
        "中國新聞網報道", "<b>中國</b>", "Ab", "1", "#", "_", "\u{3000}", "\r", "<pre>", "</pre>",
    ]

    static func randomBytes(_ n: Int, _ rng: inout SeededRandom) -> [UInt8] {
        var bytes = Array(Reference.randomString(pieces, maxPieces: 70, &rng).utf8)
        if n % 2 == 0 { bytes = Array("---\ntitle: t\n---\n".utf8) + bytes }
        // Ill-formed bytes: a lone continuation, a lead byte of the run cut short, an invalid byte;
        // and at the very end (a character that ends the buffer is read by the general walk).
        if n % 4 == 0, !bytes.isEmpty { bytes.insert([0x80, 0xE4, 0xE9, 0xFF][n % 8 / 2], at: rng.below(bytes.count)) }
        if n % 9 == 0 { bytes += Array("中".utf8).prefix(1 + n % 3) }
        return bytes
    }

    @Test func countWithoutHashMatchesThePlainWalks() {
        var rng = SeededRandom(seed: 24_016)
        for n in 0..<6_000 {
            let bytes = Self.randomBytes(n, &rng)
            let limit = [1, 2, 3, 10, 50, 201, .max][rng.below(7)]
            let html = Document(path: "p.html", bytes: bytes), markdown = Document(path: "p.md", bytes: bytes)
            let plainHTML = Reference.referenceVisibleText(html, limit: limit)
            let counted = BodyText(html, limit: limit, hashing: false)
            #expect(counted.letters == plainHTML.letters && counted.hasContent == plainHTML.hasContent, "html \(n) limit \(limit): \(bytes)")
            let decoded = Document(path: "p.html", bytes: bytes)
            _ = decoded.scalars
            let sliced = BodyText(decoded, limit: limit, hashing: false)
            #expect(sliced.letters == plainHTML.letters && sliced.hasContent == plainHTML.hasContent, "html, shared decode \(n)")
            let plainMarkdown = Reference.referenceMarkdownBodyText(markdown, limit: limit)
            let countedMarkdown = BodyText(markdown, limit: limit, hashing: false)
            #expect(countedMarkdown.letters == plainMarkdown.letters && countedMarkdown.hasContent == plainMarkdown.hasContent,
                    "markdown \(n) limit \(limit): \(bytes)")
        }
    }

    /// Long runs of ideographs of every lead byte E4…E9, with the run's stop at the limit inside them.
    @Test func ideographRunsCountAsThePlainWalks() {
        var rng = SeededRandom(seed: 24_017)
        for n in 0..<3_000 {
            var text = ""
            for _ in 0..<(1 + rng.below(80)) {
                // U+4000…U+9FFF, the hexagram block more often than its share.
                let scalar = rng.below(4) == 0 ? 0x4DC0 + rng.below(0x40) : 0x4000 + rng.below(0x6000)
                text.unicodeScalars.append(Unicode.Scalar(UInt32(scalar)) ?? "a")
                if rng.below(10) == 0 { text += ["a", " ", "，", "<i>", "&#19968;"][rng.below(5)] }
            }
            let bytes = Array(("---\ntitle: t\n---\n" + text).utf8)
            let limit = 1 + rng.below(90)
            for path in ["p.html", "p.md"] {
                let document = Document(path: path, bytes: bytes)
                let plain = path == "p.html" ? Reference.referenceVisibleText(document, limit: limit) : Reference.referenceMarkdownBodyText(document, limit: limit)
                #expect(BodyText(document, limit: limit, hashing: false).letters == plain.letters, "\(path) \(n) limit \(limit)")
            }
        }
    }

    /// The shared count as both halves read it: a body at the limit carries no hash they read; a
    /// shorter one is the full walk's, hash included; exemptions as before.
    @Test func readingMatchesOneFullWalk() throws {
        var rng = SeededRandom(seed: 24_018)
        for n in 0..<3_000 {
            let limit = [1, 10, 30, 201][rng.below(4)]
            let options = BodyEmptyRule.Options(minCharacters: min(limit, 10), placeholderMaxCharacters: limit - 1, placeholderMinFiles: 5,
                                                pageFiles: ["_index.*"], pageLayouts: ["home"])
            let reading = BodyEmptyReading(options)
            #expect(reading.limit == limit)
            let bytes = Self.randomBytes(n, &rng)
            for path in ["p.html", "p.md", "_index.md"] {
                let document = Document(path: path, bytes: bytes)
                let read = reading.read(document)
                let full = BodyText(document, limit: limit)
                let exempt = document.frontMatter == nil || (full.letters < limit && reading.pages.exempts(document))
                #expect(read.exempt == exempt, "\(path) \(n)")
                guard !exempt else { continue }
                #expect(read.letters == full.letters && read.hasContent == full.hasContent, "\(path) \(n)")
                if full.letters < limit { #expect(read.hash == full.hash, "\(path) \(n)") }
            }
        }
    }

    /// The count `read` made before a short-looking body was read once with its hash (session 30):
    /// the count without the hash, and only below the limit the full walk.
    static func twoWalkCount(_ document: Document, _ reading: BodyEmptyReading) -> BodyTextCount {
        let limit = reading.limit, key = reading.key
        guard document.frontMatter != nil else { return BodyTextCount(letters: 0, hash: 0, hasContent: false, exempt: true, key: key) }
        let counted = BodyText(document, limit: limit, hashing: false)
        if counted.letters >= limit {
            return BodyTextCount(letters: counted.letters, hash: counted.hash, hasContent: counted.hasContent, exempt: false, key: key)
        }
        let text = BodyText(document, limit: limit)
        if text.letters < limit, reading.pages.exempts(document) {
            return BodyTextCount(letters: 0, hash: 0, hasContent: false, exempt: true, key: key)
        }
        return BodyTextCount(letters: text.letters, hash: text.hash, hasContent: text.hasContent, exempt: false, key: key)
    }

    /// `read` against `twoWalkCount`, field by field, on bodies on both sides of the byte bound
    /// (`isLikelyShort`) and both sides of the limit: ASCII and Latin letters (one and two bytes,
    /// which reach the limit under the bound), Han text, markup, and the random pieces above.
    @Test func hashFirstReadingEqualsTheTwoWalks() {
        var rng = SeededRandom(seed: 30_016)
        var seen = Set<[Bool]>()
        let fillers = ["a", "é", "中", "，", " ", "<b>", "&amp;", "![x](y.png)", "\n", "1"]
        for n in 0..<4_000 {
            let limit = [1, 2, 10, 30, 201][rng.below(5)]
            let options = BodyEmptyRule.Options(minCharacters: min(limit, 10), placeholderMaxCharacters: limit - 1, placeholderMinFiles: 5,
                                                pageFiles: ["_index.*"], pageLayouts: ["home"])
            let reading = BodyEmptyReading(options)
            var bytes: [UInt8]
            if n % 3 == 0 {
                bytes = Self.randomBytes(n, &rng)
            } else {
                // A body of about `limit` characters of one or two kinds, so its byte count falls
                // on either side of three bytes a letter.
                var body = ""
                let kinds = (fillers[rng.below(fillers.count)], fillers[rng.below(fillers.count)])
                for _ in 0..<(rng.below(2 * limit + 3)) { body += rng.below(4) == 0 ? kinds.1 : kinds.0 }
                bytes = Array(("---\ntitle: t\n---\n" + body).utf8)
            }
            for path in ["p.html", "p.md", "_index.md"] {
                let document = Document(path: path, bytes: bytes)
                let read = reading.read(Document(path: path, bytes: bytes))
                let plain = Self.twoWalkCount(document, reading)
                #expect(read.exempt == plain.exempt && read.letters == plain.letters && read.hasContent == plain.hasContent
                        && read.hash == plain.hash && read.key == plain.key, "\(path) \(n) limit \(limit): \(bytes)")
                guard document.frontMatter != nil else { continue }
                let short = BodyEmptyReading.isLikelyShort(bodyBytes: bytes.count - document.bodyStart, limit: limit)
                seen.insert([short, plain.letters >= limit])
            }
        }
        // Each branch of `read`, with bodies below and at the limit.
        #expect(seen.count == 4, "\(seen)")
    }
}
