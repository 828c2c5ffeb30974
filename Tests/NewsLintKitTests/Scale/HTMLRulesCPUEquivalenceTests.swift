import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Fast paths of the HTML, image and mid-size per-file rules (issue 16, session 11) against the
/// plain logic they replace, kept here as the reference, on seeded random inputs built from the
/// pieces each one distinguishes (every alignment of the eight-byte skips, non-ASCII, CR LF, the
/// Kelvin sign, which is canonically equal to `K`).
@Suite struct HTMLRulesCPUEquivalenceTests {
    static func randomBytes(_ pieces: [[UInt8]], maxPieces: Int, _ rng: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...maxPieces, using: &rng) { bytes += pieces.randomElement(using: &rng) ?? [] }
        return bytes
    }

    static func utf8(_ pieces: [String]) -> [[UInt8]] { pieces.map { Array($0.utf8) } }

    // MARK: - Core

    @Test func byteSearchesMatchTheByteLoop() {
        var rng = SeededRandom(seed: 11_001)
        let pieces = Self.utf8(["a", "b", "<", "&", "!", "新聞", "abcdefgh", "1234567", "\u{0}", "\u{FF}"]) + [[0xE2], [0xFF], [0x80]]
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 12, &rng)
            let from = Int.random(in: 0...bytes.count, using: &rng)
            let to = Int.random(in: from...bytes.count, using: &rng)
            let (a, b) = ([0x3C, 0x21, 0x61, 0x00, 0xE2] as [UInt8]).randomElement(using: &rng).map { ($0, UInt8(0x26)) } ?? (0, 0)
            let pairIndex = bytes.withUnsafeBytes { ByteWords.firstIndex(of: a, or: b, in: $0, from: from, to: to) }
            #expect(pairIndex == (from..<to).first { bytes[$0] == a || bytes[$0] == b } ?? to, "\(bytes) \(from) \(to)")
            let index = bytes.withUnsafeBufferPointer { ByteWords.firstIndex(of: a, in: $0, from: from, to: to) }
            #expect(index == (from..<to).first { bytes[$0] == a }, "\(bytes) \(from) \(to)")
        }
        #expect([UInt8]().withUnsafeBufferPointer { ByteWords.firstIndex(of: 0, in: $0, from: 0, to: 0) } == nil)
    }

    /// `HTMLView.equalsIgnoringASCIICase` as it was: byte by byte, no length test first.
    static func referenceEquals(_ bytes: [UInt8], _ range: Range<Int>, _ lowercase: some Sequence<UInt8>) -> Bool {
        var i = range.lowerBound
        for expected in lowercase {
            guard i < range.upperBound else { return false }
            var b = bytes[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            guard b == expected else { return false }
            i += 1
        }
        return i == range.upperBound
    }

    @Test func nameComparisonMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 11_002)
        let names = ["img", "src", "data-src", "", "i", "imgs", "k", "\u{212A}", "é", "picture"]
        let pieces = Self.utf8(["i", "I", "m", "M", "g", "G", "s", "src", "SRC", "-", "data", "é", "\u{212A}", "k", "K", "picture"])
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 4, &rng)
            let lo = Int.random(in: 0...bytes.count, using: &rng), hi = Int.random(in: lo...bytes.count, using: &rng)
            let name = names.randomElement(using: &rng) ?? ""
            #expect(HTMLView.equalsIgnoringASCIICase(bytes, lo..<hi, name.utf8) == Self.referenceEquals(bytes, lo..<hi, name.utf8))
            #expect(HTMLView.equalsIgnoringASCIICase(bytes, lo..<hi, Array(name.utf8)) == Self.referenceEquals(bytes, lo..<hi, Array(name.utf8)))
        }
    }

    /// The tag information read from a name's bytes is the one of its lower-cased `String`.
    @Test func tagInfoFromBytesMatchesTheNameString() {
        var rng = SeededRandom(seed: 11_003)
        let pieces = Self.utf8(["p", "P", "li", "img", "IMG", "br", "td", "table", "svg", "div", "x", "\u{0}", "é", "blockquote", "a", "h1", "-"])
        let tables = TagTables.shared
        for _ in 0..<20_000 {
            let body = Self.randomBytes(pieces, maxPieces: 4, &rng)
            let bytes = Array("<".utf8) + body + Array(">".utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            for token in view.tokens where token.kind == .startTag || token.kind == .endTag {
                let expected = tables.info(of: view.tagName(token, in: bytes))
                if let info = tables.info(ofNameAt: token.name, in: bytes) {
                    #expect(info.flags == expected.flags && info.searchIndex == expected.searchIndex && info.sibling == expected.sibling
                        && info.endBoundaries == expected.endBoundaries, "\(bytes)")
                } else {
                    // Only names that do not pack fall back to the string.
                    #expect(token.name.count > 8 || bytes[token.name].contains { $0 == 0 || $0 >= 0x80 }, "\(bytes)")
                }
            }
        }
    }

    // MARK: - Prefilters

    @Test func imageCandidateScanMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 11_006)
        let pieces = Self.utf8(["!", "[", "<", "i", "I", "<img", "![a](b)", "新聞報道", "abcdefgh", "!!", "<<", "\n", "<source", "<SoUrCe", "sourc", "<sour", "e"])
        for _ in 0..<30_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 10, &rng)
            let start = Int.random(in: 0...(bytes.count + 1), using: &rng)
            var plain = false
            var i = start
            while i + 1 < bytes.count {
                if bytes[i] == 0x21 && bytes[i + 1] == 0x5B || bytes[i] == 0x3C && (bytes[i + 1] | 0x20) == 0x69 { plain = true; break }
                if bytes[i] == 0x3C && String(decoding: bytes[(i + 1)...].prefix(6), as: UTF8.self).lowercased() == "source" { plain = true; break }
                i += 1
            }
            #expect(ImageScanner.containsCandidate(bytes, from: start) == plain, "\(bytes) \(start)")
        }
    }

    @Test func archivePrefilterMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 11_007)
        let pieces = Self.utf8(["/web/", "/web", "web/", "archive.", "archive", "w", "v", "/", "a", "新聞", "abcdefg", ".", "wv"])
        for _ in 0..<30_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 8, &rng)
            var plain = false
            var i = 0
            while i + 7 < bytes.count {
                if bytes[i...].starts(with: "/web/".utf8) || bytes[i...].starts(with: "archive.".utf8) { plain = true; break }
                i += 1
            }
            #expect(ArchiveResidueRule.mayContainArchive(bytes) == plain, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func emailPrefilterMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 11_008)
        let pieces = Self.utf8(["email", "emai", "mail", "m", "[", "[电", "[電", "电", "新聞", "abcdefg", "e"]) + [[0x5B, 0xE7], [0x5B, 0xE9], [0xE7]]
        for _ in 0..<30_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 8, &rng)
            var plain = false
            var i = 0
            while i + 4 < bytes.count {
                if bytes[i...].starts(with: "email".utf8) || bytes[i] == 0x5B && (bytes[i + 1] == 0xE7 || bytes[i + 1] == 0xE9) { plain = true; break }
                i += 1
            }
            #expect(EmailObfuscatedRule.mayContainResidue(bytes) == plain, "\(bytes)")
        }
    }

    @Test func invisibleFormatScanMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 11_009)
        let pieces = Self.utf8(["\u{200B}", "\u{200F}", "\u{202A}", "\u{2060}", "\u{2069}", "“", "”", "—", "…", "新聞", "abcdefg", "\u{206A}", "\u{200A}"])
            + [[0xE2], [0xE2, 0x80], [0xE2, 0x81], [0x8B], [0xA0]]
        for _ in 0..<30_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 8, &rng)
            var plain = false
            var i = 0
            while i + 2 < bytes.count {
                let b1 = bytes[i + 1], b2 = bytes[i + 2]
                if bytes[i] == 0xE2, b1 == 0x80 && ((0x8B...0x8F).contains(b2) || (0xAA...0xAE).contains(b2)) || b1 == 0x81 && (0xA0...0xA9).contains(b2) {
                    plain = true
                    break
                }
                i += 1
            }
            #expect(InvisibleCharRule.mayHoldFormatCharacter(bytes) == plain, "\(bytes)")
        }
    }

    // MARK: - html-tracking-pixel

    @Test func trackingPixelDimensionMatchesTheStringForm() throws {
        var rng = SeededRandom(seed: 11_004)
        let rule = try HTMLTrackingPixelRule(options: RuleOptions())
        let pieces = Self.utf8(["0", "1", "9", "12", "px", "PX", "Px", " ", "\t", "\r", "\n", "+", "-", "%", "em", "\u{A0}", "\u{3000}", "１",
                                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "p", "x"])
        for _ in 0..<30_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 5, &rng)
            let plain: Int? = {
                var text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
                if text.hasSuffix("px") { text.removeLast(2) }
                return Int(text)
            }()
            #expect(rule.dimension(0..<bytes.count, bytes) == plain, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    @Test func trackingHostMatchesTheStringForm() throws {
        var rng = SeededRandom(seed: 11_005)
        let pieces = Self.utf8(["https:", "//", "/", "pixel.wp.com", "PIXEL.WP.COM", "stats.wp.com", "sb.", "k", "K", "\u{212A}", "é", "e\u{301}",
                                "\r", "\n", "\r\n", "x", ".", "?a=1", "统计"])
        let hostLists: [[String]] = [["pixel.wp.com", "k.example", "sb."], ["k\r", "x"], ["\u{212A}", "e"], ["é", "e"], [],
                                      ["stats.wp.com", "", "sb.", "s"], ["x.", "X", "/", "pixel.wp.com/", ""]]
        let rules = try hostLists.map { hosts in
            try HTMLTrackingPixelRule(options: RuleOptions(["hosts": JSONNode(.array(hosts.map { JSONNode(.string($0)) }))]))
        } + [try HTMLTrackingPixelRule(options: RuleOptions())]
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(pieces, maxPieces: 6, &rng)
            for rule in rules {
                #expect(rule.trackingHost(bytes, 0..<bytes.count) == rule.stringTrackingHost(bytes, 0..<bytes.count),
                        "\(rule.hosts) \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }
    }

    // MARK: - html-widget

    /// Every inert starter has canonical combining class 0 and no canonical decomposition, the
    /// property `differAtFirstCharacter` rests on.
    @Test func inertStartersAreStartersWithoutDecomposition() {
        for value in UInt32(0)...0x10FFFF where HTMLWidgetRule.isInertStarter(value) {
            guard let scalar = Unicode.Scalar(value) else { Issue.record("not a scalar: \(value)"); continue }
            #expect(scalar.properties.canonicalCombiningClass == .notReordered, "\(value)")
            #expect(Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars) == [scalar], "\(value)")
        }
    }

    /// The first text's match, answered from its first scalar on the bytes, against decoding the
    /// trimmed text of every element and comparing it with `hasPrefix`, as the rule did.
    @Test func widgetTextMatchMatchesTheDecodedText() throws {
        var rng = SeededRandom(seed: 11_010)
        let selectors = ["[class=a]", "DIV.a", "dív", "di\u{301}v:text(y)", "div:text(“说)", "div:text(（)", "p:text(K)", "span:text(\u{212A})", "div:text(e\u{301})", "div:text(é)", "p:text(１)"]
        let rule = try HTMLWidgetRule(options: RuleOptions(["selectors": JSONNode(.array(selectors.map { JSONNode(.string($0)) }))]))
        let texts = ["阅读更多", "閱讀更多", "相关阅读", "“说", "“", "（", "(", "K", "\u{212A}", "e", "\u{301}", "é", "１", "1", " ", "\u{3000}", "\n",
                     "&nbsp;", "●", "\u{2028}", "가", "\u{1100}\u{1161}", "\u{F95A}", "x"]
        let tags = ["<div>", "</div>", "<DIV class=a>", "<p>", "</p>", "<span>", "</span>", "<b>", "</b>", "<!-- c -->", "<dív>", "<di\u{301}v>",
                    "<section class=\"share\">", "<div class='share'>", "<blockquote class=twitter-tweet>", "<a id=single_image>"]
        for _ in 0..<3_000 {
            var html = ""
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                html += Bool.random(using: &rng) ? (tags.randomElement(using: &rng) ?? "") : (texts.randomElement(using: &rng) ?? "")
            }
            var bytes = Array(html.utf8)
            if Int.random(in: 0..<4, using: &rng) == 0, !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = 0xE8 }
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            let structure = HTMLElements(view, bytes: bytes)
            for element in structure.elements {
                var firstText = HTMLWidgetRule.FirstText()
                for w in rule.widgets.indices {
                    let selector = rule.widgets[w].selector
                    #expect(selector.textPrefixFirstScalar == selector.textPrefix?.unicodeScalars.first?.value, "\(selector.source)")
                    let token = view.tokens[element.start]
                    let expected = (selector.tag.map { view.isTag(token, named: $0, in: bytes) } ?? true) && selector.matchesAttributes(token, view, bytes)
                        && (selector.textPrefix.map { prefix in Self.referenceFirstText(element, view, bytes).map { $0.hasPrefix(prefix) } ?? false } ?? true)
                    let found = rule.candidates(view.tokens[element.start], bytes, key: element.packedName == 0 ? nil : element.packedName).contains(w)
                        && rule.matchesBesidesTag(w, element, view, bytes, firstText: &firstText)
                    #expect(found == expected, "\(selector.source) \(bytes)")
                }
            }
        }
    }

    /// The first text as `html-widget` decoded it for every element a `:text()` widget asked about.
    static func referenceFirstText(_ element: HTMLElements.Element, _ view: HTMLView, _ bytes: [UInt8]) -> String? {
        let last = min(element.end ?? view.tokens.count, element.start + 1 + HTMLWidgetRule.textSearchTokens)
        for token in view.tokens[(element.start + 1)..<last] where token.isVisibleText {
            if token.kind == .text && HTMLText.isBlank(bytes, token.range) { continue }
            return String(decoding: bytes[token.range], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }
}
