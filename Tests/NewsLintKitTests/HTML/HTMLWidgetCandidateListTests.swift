import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 39: html-widget keeps every tag group's candidates (and the untagged ones) as ranges of
/// one list, read in place, and borrows each widget's selector unretained. For many groups (packed
/// and unpacked names, the same tag in several selectors, untagged selectors between them): each
/// tag's candidates are the widgets naming it or no tag, in table order, with and without those
/// testing attributes; and every widget's match on every element of random pages is the one its
/// selector gives read from `widgets` (`referenceMatches`).
@Suite struct HTMLWidgetCandidateListTests {
    static let selectors = ["div.a", "[id=z]", "span", "blockquote.x", "p:text(阅读)", "custom-element", "div#b", ".c", "figcaption",
                            "a:text(更多)", "p.q", "section", "h1", "div:text(相关)", "span.c", "dív", "[data-x]", "li", "ul.list", "img"]

    /// The match made with the selector read (retained) from `widgets`, as before session 39.
    static func referenceMatches(_ rule: HTMLWidgetRule, _ w: Int, _ element: HTMLElements.Element, _ view: HTMLView, _ bytes: [UInt8],
                                 firstText: inout HTMLWidgetRule.FirstText) -> Bool {
        HTMLWidgetRule.matches(rule.widgets[w].selector, element, view, bytes, firstText: &firstText)
    }

    @Test func candidatesAndMatchesOfManyGroups() throws {
        let rule = try HTMLWidgetRule(options: RuleOptions(["builtin": JSONNode(.bool(false)),
                                                           "selectors": JSONNode(.array(Self.selectors.map { JSONNode(.string($0)) }))]))
        let tags = ["div", "DIV class=a", "div id=b", "div class='a c'", "span class=c", "blockquote class=x", "p", "p class=q", "custom-element",
                    "figcaption", "a", "section id=z", "h1", "dív", "li data-x", "ul class=list", "img", "i", "b class=c", "x-y"]
        let texts = ["阅读全文", "更多", "相关报道", "正文", " ", ""]
        var random = SeededRandom(seed: 39_03)
        var matched = 0
        for _ in 0..<400 {
            var html = ""
            for _ in 0..<(1 + random.below(25)) {
                let tag = tags[random.below(tags.count)]
                html += random.below(3) == 0 ? "</\(tag.split(separator: " ").first.map(String.init) ?? tag)>" : "<\(tag)>" + texts[random.below(texts.count)]
            }
            let bytes = Array(html.utf8)
            let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
            let structure = HTMLElements(view, bytes: bytes)
            for token in view.tokens {
                let reference = rule.widgets.indices.filter { w in
                    guard token.kind == .startTag || token.kind == .endTag else { return rule.widgets[w].selector.tag == nil }
                    return rule.widgets[w].selector.tag.map { HTMLView.equalsIgnoringASCIICase(bytes, token.name, Array($0.utf8)) } ?? true
                }
                let key = TagNameKey.of(bytes, token.name)
                #expect(rule.candidates(token, bytes, key: key, hasAttributes: true) == reference, "\(html)")
                #expect(rule.candidates(token, bytes, key: key, hasAttributes: false) == reference.filter { !rule.widgets[$0].selector.testsAttributes })
            }
            for element in structure.elements {
                var firstText = HTMLWidgetRule.FirstText(), referenceText = HTMLWidgetRule.FirstText()
                for w in rule.widgets.indices {
                    let found = rule.matchesBesidesTag(w, element, view, bytes, firstText: &firstText)
                    #expect(found == Self.referenceMatches(rule, w, element, view, bytes, firstText: &referenceText), "\(Self.selectors[w]) \(html)")
                    if found { matched += 1 }
                }
            }
        }
        #expect(matched > 2_000, "\(matched)")
    }
}
