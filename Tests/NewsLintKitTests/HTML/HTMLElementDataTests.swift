import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 33: `HTMLElements.Element` holds no `String` (a name that does not pack is kept once in
/// `unpackedNames`, found by its index), and html-widget looks a start tag's `class` value up once
/// for all the widgets it tests; `HTMLView` walks its tokens for the code flags only when a tag was
/// named like a code element. Each is checked against the plain answer over seeded random pages.
@Suite struct HTMLElementDataTests {
    /// Names that pack and names that do not (longer than 8 bytes, non-ASCII), in several cases.
    static let names = ["div", "DIV", "p", "span", "Span", "b", "custom-element-x", "CUSTOM-ELEMENT-X", "x-é", "X-É", "long-name-y",
                        "blockquote", "BlockQuote", "a\u{37E}", "a;", "li", "table", "td"]

    static func randomPage(_ rng: inout SeededRandom) -> String {
        var html = ""
        for _ in 0..<Int.random(in: 1...30, using: &rng) {
            let name = names.randomElement(using: &rng) ?? "div"
            switch Int.random(in: 0..<4, using: &rng) {
            case 0, 1: html += "<\(name)>"
            case 2: html += "</\(name)>"
            default: html += "t"
            }
        }
        return html
    }

    /// Every element's name is its start tag's `tagName`, and each end tag closes the element a
    /// reference stack of lower-cased `String` names (custom names only: no implied ends) closes.
    @Test func elementNamesAndEndsMatchTheStrings() {
        var rng = SeededRandom(seed: 33_001)
        for _ in 0..<3_000 {
            let html = Self.randomPage(&rng)
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            let structure = HTMLElements(view, bytes: bytes)
            for (index, element) in structure.elements.enumerated() {
                let expected = view.tagName(view.tokens[element.start], in: bytes)
                #expect(structure.name(of: element) == expected, "\(html)")
                #expect(structure.name(index) == expected)
                #expect((element.packedName == 0) == (element.unpackedIndex >= 0))
                if let end = element.end {
                    // An explicit end tag closes an element of its (String-equal) name.
                    #expect(view.tagName(view.tokens[end], in: bytes) == expected, "\(html)")
                }
            }
        }
    }

    /// Custom names only (no void, optional-end or scope names): an end tag closes the nearest open
    /// element of its name, compared as `String`s, exactly as a plain stack does.
    @Test func unpackedNamesCloseByString() {
        let custom = ["custom-element-x", "CUSTOM-ELEMENT-X", "long-name-y", "x-é", "X-É", "x-y", "a\u{37E}", "a;", "other-long-name"]
        var rng = SeededRandom(seed: 33_002)
        for _ in 0..<3_000 {
            var html = ""
            for _ in 0..<Int.random(in: 1...24, using: &rng) {
                let name = custom.randomElement(using: &rng) ?? "x-y"
                html += Bool.random(using: &rng) ? "<\(name)>" : "</\(name)>"
            }
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            let structure = HTMLElements(view, bytes: bytes)
            var stack: [(name: String, token: Int)] = []
            var expectedEnds: [Int: Int] = [:]
            for (t, token) in view.tokens.enumerated() {
                let name = view.tagName(token, in: bytes)
                if token.kind == .startTag { stack.append((name, t)) }
                if token.kind == .endTag, let k = stack.lastIndex(where: { $0.name == name }) {
                    expectedEnds[stack[k].token] = t
                    stack.removeSubrange(k...)
                }
            }
            for element in structure.elements {
                #expect(element.end == expectedEnds[element.start], "\(html)")
            }
        }
    }

    /// A `class` value kept across the selectors asked about one start tag gives each selector's
    /// own answer.
    @Test func sharedClassValueMatchesEachLookup() throws {
        let selectors = try ["div.share", "div.social-share", "span.dic-icon", ".a", ".a.b", "div#x.a", "div[data-x].b", "div.ü", "div:text(x)", "div"]
            .map { try HTMLSelector($0) }
        let attributes = ["", " class=share", " class='social-share x'", " CLASS=\"a b\"", " id=x class=a", " class=a class=b", " data-x class=b",
                          " class=ü", " class", " class=\"a\tb\"", " class=\"a\u{000D}b\"", " title=share"]
        var rng = SeededRandom(seed: 33_003)
        for _ in 0..<2_000 {
            var html = ""
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let tag = ["div", "span", "DIV"].randomElement(using: &rng) ?? "div"
                html += "<\(tag)\(attributes.randomElement(using: &rng) ?? "")\(attributes.randomElement(using: &rng) ?? "")>x"
            }
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            for token in view.tokens where token.kind == .startTag {
                var classValue: Range<Int>?? = nil
                for selector in selectors.shuffled(using: &rng) {
                    let shared = selector.matchesAttributes(token, view, bytes, answersAttributeless: true, classValue: &classValue)
                    #expect(shared == selector.matchesAttributes(token, view, bytes), "\(selector.source) \(html)")
                }
            }
        }
    }

    /// `inCode` as the walk over every token gives it (names compared as lower-cased `String`s),
    /// whether or not the tokenizer saw a code element's name.
    @Test func codeFlagsMatchTheWalk() {
        let parts = ["<pre>", "</pre>", "<PRE>", "<code>", "</CODE>", "<kbd>", "</kbd>", "<samp/>", "<samp>", "</samp>", "<p>", "</p>", "<prex>",
                     "<cod>", "<pré>", "x", "&amp;", "<!-- <pre> -->", "<script><code></script>", "<title><pre></title>", "<b>", "</b>"]
        let noCode = ["<p>", "</p>", "<prex>", "<cod>", "<pré>", "x", "&amp;", "<b>", "</b>", "<!-- <pre> -->"]
        var rng = SeededRandom(seed: 33_004)
        for round in 0..<4_000 {
            var html = ""
            // A third of the pages have no code element's name at all: their flags stay empty.
            let pool = round % 3 == 0 ? noCode : parts
            for _ in 0..<Int.random(in: 0...14, using: &rng) { html += pool.randomElement(using: &rng) ?? "" }
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            var depth = 0
            var expected: [Bool] = []
            for token in view.tokens {
                if token.kind == .startTag || token.kind == .endTag, !token.selfClosing,
                   ["pre", "code", "kbd", "samp"].contains(view.tagName(token, in: bytes)) {
                    depth = token.kind == .startTag ? depth + 1 : max(0, depth - 1)
                }
                expected.append(depth > 0)
            }
            #expect(view.inCode == expected, "\(html)")
            #expect((0..<view.tokens.count).map { view.isInCode(token: $0) } == expected, "\(html)")
        }
    }

    /// html-empty-element's and html-tag-unbalanced's messages joined in one buffer are the interpolated strings, byte for byte.
    @Test func joinedMessagesMatchInterpolation() {
        let pieces = ["", "div", "span", "custom-element-x", "x-é", "e\u{301}", "\u{301}", "戴耀廷 说", "“", "a b", "'", "\u{1F600}", "\r\n"]
        var rng = SeededRandom(seed: 33_005)
        for _ in 0..<5_000 {
            let name = pieces.randomElement(using: &rng) ?? ""
            let shown = (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
            let message = HTMLText.concat("empty <", name, "> wrapper '", shown, "' (nothing to show)")
            #expect(Array(message.utf8) == Array("empty <\(name)> wrapper '\(shown)' (nothing to show)".utf8))
            #expect(message == "empty <\(name)> wrapper '\(shown)' (nothing to show)")
            #expect(Array(HTMLText.concat("delete the empty <", name, ">").utf8) == Array("delete the empty <\(name)>".utf8))
            // html-tag-unbalanced's message, fix description and end tags.
            #expect(Array(HTMLText.concat("<", name, "> has no end tag (", shown, ")").utf8) == Array("<\(name)> has no end tag (\(shown))".utf8))
            #expect(Array(HTMLText.concat("close ", shown, " at the end").utf8) == Array("close \(shown) at the end".utf8))
            #expect(Array(HTMLText.concat("</", name, ">").utf8) == Array("</\(name)>".utf8))
        }
    }
}
