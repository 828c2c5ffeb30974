import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Shortcuts of the document views and their rules (issue 16, session 26) against the plain way
/// they replace, on seeded random inputs built from the pieces each one tells apart.
@Suite struct ViewShortcutEquivalenceTests {
    static func randomBytes(_ pieces: [[UInt8]], maxPieces: Int, _ rng: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...maxPieces, using: &rng) { bytes += pieces.randomElement(using: &rng) ?? [] }
        return bytes
    }

    // MARK: - html-widget

    /// A selector's attribute tests answer a start tag without attributes at once, as asking each
    /// test of it does; and the widgets left out of such a tag's candidates are ones that do not match it.
    @Test func attributelessTagsAnswerAsEveryTestDoes() throws {
        var rng = SeededRandom(seed: 26_004)
        let selectors = ["div", "div.a", "div#x", "div[data-x]", "div[title=t]", "span.dic-icon", "div:text(阅读更多)", ".a", "#x", "[x]",
                         "p:text(K)", "a#single_image", "img[src*=zoom]", ":text(中)", "blockquote.twitter-tweet"]
        let rule = try HTMLWidgetRule(options: RuleOptions(["builtin": JSONNode(.bool(true)),
                                                            "selectors": JSONNode(.array(selectors.map { JSONNode(.string($0)) }))]))
        let pieces = ["<div>", "<div >", "<div/>", "<DIV>", "</div>", "<div class=a>", "<div class=\"a b\">", "<div id=x>", "<div data-x>",
                      "<div title=t>", "<span>", "<span class=dic-icon>", "<a>", "<a id=single_image>", "<img>", "<img src=zoom.png>",
                      "<p>", "<blockquote>", "<blockquote class=twitter-tweet>", "<script>", "</script>", "阅读更多", "中", "K", " ", "x"]
        for _ in 0..<3_000 {
            var html = ""
            for _ in 0..<Int.random(in: 1...14, using: &rng) { html += pieces.randomElement(using: &rng) ?? "" }
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            let structure = HTMLElements(view, bytes: bytes)
            for token in view.tokens where token.kind == .startTag {
                for widget in rule.widgets {
                    #expect(widget.selector.matchesAttributes(token, view, bytes)
                            == widget.selector.matchesAttributes(token, view, bytes, answersAttributeless: false), "\(widget.selector.source) \(html)")
                }
            }
            for element in structure.elements {
                let token = view.tokens[element.start]
                let key = element.packedName == 0 ? nil : element.packedName
                let all = rule.candidates(token, bytes, key: key)
                let kept = rule.candidates(token, bytes, key: key, hasAttributes: !token.attributeIndices.isEmpty)
                var firstText = HTMLWidgetRule.FirstText()
                let matching = all.filter { rule.matchesBesidesTag($0, element, view, bytes, firstText: &firstText) }
                #expect(kept.filter { matching.contains($0) } == matching, "\(html)")
                #expect(Set(kept).isSubset(of: Set(all)), "\(html)")
            }
        }
    }
}
