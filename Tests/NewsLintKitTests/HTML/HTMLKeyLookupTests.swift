import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 32: each tag's name key made once by the tokenizer (`HTMLToken.key(in:)`), tag-name lists
/// looked up as a `TagKeySet` (html-empty-element's names, html-widget's tag groups) instead of walked
/// per element, and html-tracking-pixel's ASCII test of an image source eight bytes at a time and
/// its one pass over an image's attributes. Each
/// fast form is checked against the plain form it replaces.
@Suite struct HTMLKeyLookupTests {
    /// The key the tokenizer keeps is `TagNameKey.of` of the token's name, for every token: names of
    /// every length and case, non-ASCII, NUL, and names ending at or near the end of the buffer.
    @Test func tokenizerKeysAreTheNamesKeys() {
        var rng = SeededRandom(seed: 32_004)
        let pieces = ["<", "</", ">", "/>", " ", "a", "Z", "div", "SPAN", "img", "x-y", "abcdefgh", "i", "é", "\u{0}", "中", "=", "\"", "t", "&amp;",
                      "<!--", "-->", "<p>", "</p>", "<br/>", "<h1 class=x>", "<IMG SRC=a>", "<script>", "</script>"]
        for _ in 0..<6_000 {
            var html = ""
            for _ in 0..<Int.random(in: 0...30, using: &rng) { html += pieces.randomElement(using: &rng) ?? "" }
            let bytes = Array(html.utf8)
            let start = Bool.random(using: &rng) ? 0 : Int.random(in: 0...bytes.count, using: &rng)
            let view = HTMLView(bytes: bytes, range: start..<bytes.count)
            for token in view.tokens {
                #expect(token.key(in: bytes) == TagNameKey.of(bytes, token.name), "\(html.debugDescription) \(token)")
                #expect(token.key(in: bytes) == TagNameKey.ofBytes(bytes, token.name))
                // A token made without a key (a test's, another producer's) gives the same answer.
                let plain = HTMLToken(kind: token.kind, range: token.range, name: token.name, selfClosing: token.selfClosing, attributeIndices: token.attributeIndices)
                #expect(plain.key(in: bytes) == token.key(in: bytes))
            }
        }
    }

    /// `TagTables.info(ofLongNameAt:)`, the element structure's lookup of a name longer than 8 ASCII
    /// bytes on its bytes, is `info(of:)` of the lower-cased `tagName`; nil for every other name.
    @Test func longNameInfoIsTheNamesInfo() {
        let tables = TagTables.shared
        let names = ["blockquote", "BLOCKQUOTE", "BlockQuote", "figcaption", "FIGCAPTION", "plaintext", "PlainText", "blockquotes", "blockquot",
                     "custom-element", "x-long-custom-name", "figcaptio", "div", "p", "colgroup", "optgroup", "blockquot\u{212A}", "bl\u{0}ckquote",
                     "figcaption\u{301}", "blockquoté"]
        for name in names {
            let bytes = Array("<\(name)>".utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            guard let token = view.tokens.first(where: { $0.kind == .startTag }) else { Issue.record("no tag: \(name)"); continue }
            let long = tables.info(ofLongNameAt: token.name, in: bytes)
            let isLongASCII = token.name.count > 8 && bytes[token.name].allSatisfy { $0 < 0x80 }
            #expect((long != nil) == isLongASCII, "\(name)")
            if let long {
                let expected = tables.info(of: view.tagName(token, in: bytes))
                #expect(long.flags == expected.flags && long.searchIndex == expected.searchIndex && long.sibling == expected.sibling
                        && long.endBoundaries == expected.endBoundaries, "\(name)")
            }
        }
    }

    /// `position(of:)` is the first index of the key in the list the set was made from; 0 is never found.
    @Test func tagKeySetIsTheListsFirstIndex() {
        var rng = SeededRandom(seed: 32_001)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...40, using: &rng)
            // Small keys collide often (duplicates in the list, shared probe chains); zeros are not keys.
            let list = (0..<count).map { _ in UInt64.random(in: 0...60, using: &rng) &* (Bool.random(using: &rng) ? 1 : 0x0101_0101) }
            let set = TagKeySet(list)
            var probes = list + (0..<20).map { _ in UInt64.random(in: 0...80, using: &rng) &* 0x0101_0101 } + [0, .max]
            probes += (0..<10).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }
            for key in probes {
                let expected = key == 0 ? nil : list.firstIndex(of: key)
                #expect(set.position(of: key) == expected, "\(list) \(key)")
                #expect(set.contains(key) == (expected != nil))
            }
        }
    }

    /// html-widget's candidates found by the tag's key (every selector's tag packs) against comparing
    /// the tag with each selector's tag, for the built-in table and an ASCII list of the user's.
    @Test func widgetCandidatesByKeyMatchTheTagComparison() throws {
        let builtin = try HTMLWidgetRule(options: RuleOptions())
        let custom = try HTMLWidgetRule(options: RuleOptions(["builtin": JSONNode(.bool(false)), "selectors": JSONNode(.array(
            ["DIV.a", "div.b", "span", "blockquote.x", "a:text(x)", "Img", "p.q", "[id=z]", "section#s", "h1"].map { JSONNode(.string($0)) }))]))
        // Names that do not pack (longer than 8 bytes, non-ASCII) among them, before and after packed ones.
        let mixed = try HTMLWidgetRule(options: RuleOptions(["builtin": JSONNode(.bool(false)), "selectors": JSONNode(.array(
            ["custom-element", "DIV.a", "dív", "span", "blockquote.x", "a:text(x)", "figcaption", "Img", "[id=z]"].map { JSONNode(.string($0)) }))]))
        var rng = SeededRandom(seed: 32_002)
        let tags = ["div", "DIV", "Div class=a", "span", "SPAN", "blockquote", "BLOCKQUOTE", "a", "A", "img", "IMG", "p", "P", "section",
                    "h1", "H1", "dív", "DÍV", "custom-element", "CUSTOM-ELEMENT", "script", "figcaption", "FigCaption", "blockquote x", "i", "b", "x-y", "abcdefgh", "abcdefghi", "sect", "di"]
        for _ in 0..<300 {
            var html = ""
            for _ in 0..<Int.random(in: 1...30, using: &rng) {
                let tag = tags.randomElement(using: &rng) ?? "div"
                html += Bool.random(using: &rng) ? "<\(tag)>t" : "</\(tag.split(separator: " ").first.map(String.init) ?? tag)>"
            }
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            for rule in [builtin, custom, mixed] {
                for token in view.tokens {
                    let reference = rule.widgets.indices.filter { w in
                        guard token.kind == .startTag || token.kind == .endTag else { return rule.widgets[w].selector.tag == nil }
                        return rule.widgets[w].selector.tag.map { HTMLView.equalsIgnoringASCIICase(bytes, token.name, Array($0.utf8)) } ?? true
                    }
                    #expect(rule.candidates(token, bytes) == reference, "\(String(decoding: bytes[token.range], as: UTF8.self))")
                    let attributeless = reference.filter { !rule.widgets[$0].selector.testsAttributes }
                    #expect(rule.candidates(token, bytes, key: TagNameKey.of(bytes, token.name), hasAttributes: false) == attributeless)
                    #expect(rule.candidates(token, bytes) == rule.groupLoopCandidates(token, bytes, key: TagNameKey.of(bytes, token.name), hasAttributes: true))
                }
            }
        }
    }

    /// html-tracking-pixel's one pass over an image's attributes against `attributeValue` per name:
    /// repeated names (the first counts), other cases, bare names, and names of the same lengths.
    @Test func imageAttributesAreTheFirstValues() {
        var rng = SeededRandom(seed: 32_005)
        let attributes = ["src=a", "SRC='b'", "src", "width=1", "WIDTH=\"2px\"", "width", "height=1", "Height=0", "height", "style=\"width:1px\"",
                          "STYLE=x", "style", "alt=src", "srcs=1", "widths=2", "class=height", "sty=1", "data-src=z", "x=\"width=1\"", "sRc=q",
                          "w\u{130}dth=3", "STyLe=y", "hEIGHt=2", "sr\u{212A}=1"]
        for _ in 0..<4_000 {
            var html = "<img"
            for _ in 0..<Int.random(in: 0...7, using: &rng) { html += " " + (attributes.randomElement(using: &rng) ?? "") }
            html += Bool.random(using: &rng) ? ">" : "/>"
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            guard let token = view.tokens.first(where: { $0.kind == .startTag }) else { Issue.record("no tag: \(html)"); continue }
            let a = HTMLTrackingPixelRule.imageAttributes(token, view, bytes)
            #expect(a.width == view.attributeValue(token, named: "width", in: bytes), "\(html)")
            #expect(a.height == view.attributeValue(token, named: "height", in: bytes), "\(html)")
            #expect(a.src == view.attributeValue(token, named: "src", in: bytes), "\(html)")
            #expect(a.style == view.attributeValue(token, named: "style", in: bytes), "\(html)")
        }
    }

    /// The word-at-a-time ASCII test against the byte loop it replaced: a byte above 0x7F or a CR at
    /// every position of ranges of every length and alignment.
    @Test func asciiWithoutCRMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 32_003)
        let alphabet: [UInt8] = Array("ab/:.?=0".utf8) + [0x0D, 0x0A, 0x0C, 0x0E, 0x7F, 0x80, 0xC3, 0xFF, 0x00]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &rng)
            let rare = Int.random(in: 0...3, using: &rng) == 0
            let bytes = (0..<count).map { _ in rare ? (alphabet.randomElement(using: &rng) ?? 0x61) : (alphabet.prefix(8).randomElement(using: &rng) ?? 0x61) }
            var withOne = bytes
            if !withOne.isEmpty, Bool.random(using: &rng) { withOne[Int.random(in: 0..<withOne.count, using: &rng)] = Bool.random(using: &rng) ? 0x0D : 0x80 }
            for b in [bytes, withOne] {
                let lower = Int.random(in: 0...b.count, using: &rng)
                let upper = Int.random(in: lower...b.count, using: &rng)
                let expected = !b[lower..<upper].contains { $0 >= 0x80 || $0 == 0x0D }
                #expect(HTMLTrackingPixelRule.isASCIIWithoutCR(b, lower..<upper) == expected, "\(b) \(lower)..<\(upper)")
            }
        }
    }
}
