import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 17: tag names compared as packed keys (`TagTables.packedName`) instead of `String`s — end
/// tags in `HTMLElements`, html-empty-element's element names, the image scanner's tags — and the
/// tokenizer's length filter before the raw-text names. Each answer is checked against the `String`
/// or byte comparison it replaces, including the names that do not pack.
@Suite struct HTMLNameKeyTests {
    static func structure(_ html: String) -> (HTMLView, HTMLElements) {
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        return (view, HTMLElements(view, bytes: bytes))
    }

    static func strayReasons(_ html: String) -> [String] {
        structure(html).1.problems.compactMap { if case let .strayEnd(_, reason) = $0 { return reason } else { return nil } }
    }

    @Test func endTagsCloseByKeyIgnoringCase() {
        let (view, s) = Self.structure("<div><P>a</p><SPAN>b</Span></DIV>")
        #expect(s.elements.map(s.name(of:)) == ["div", "p", "span"])
        #expect(s.elements.map { $0.end.map { view.tokens[$0].range.count } } == [6, 4, 7])
        #expect(s.problems.isEmpty)
        #expect(s.elements.map(\.packedName) == ["div", "p", "span"].map { TagTables.packedName($0) ?? 0 })
    }

    @Test func strayEndTagsKeepTheirMessages() {
        #expect(Self.strayReasons("a</br>b</BR>") == ["</br> is not an end tag (browsers read it as <br>)", "</br> is not an end tag (browsers read it as <br>)"])
        #expect(Self.strayReasons("</IMG>") == ["<img> is a void element and has no end tag"])
        #expect(Self.strayReasons("</P>") == ["</p> closes no open <p> (browsers add an empty paragraph)"])
        #expect(Self.strayReasons("<td>x</Span>") == ["</span> closes no open <span>"])
        // Not packed: longer than eight bytes, non-ASCII.
        #expect(Self.strayReasons("</blockquote>") == ["</blockquote> closes no open <blockquote>"])
        #expect(Self.strayReasons("</dív>") == ["</dív> closes no open <dív>"])
    }

    @Test func namesThatDoNotPackStillClose() {
        let (_, long) = Self.structure("<custom-element>x</CUSTOM-ELEMENT>")
        #expect(long.elements.first?.packedName == 0)
        #expect(long.elements.first?.end == 2)
        let (_, accented) = Self.structure("<dív>x</DÍV></dív>")
        #expect(accented.elements.first?.end == 3)
        // An end tag that packs and an open element that does not, equal as Strings (U+037E is
        // canonically `;`): the String comparison decides, as before.
        #expect("a\u{37E}" == "a;")
        let (_, greek) = Self.structure("<a\u{37E}>x</A;>")
        #expect(greek.elements.first?.packedName == 0)
        #expect(greek.elements.first?.end == 2)
        #expect(greek.problems.isEmpty)
    }

    @Test func foreignRootsByKey() {
        let (_, s) = Self.structure("<SVG><path/><circle/></svg><div/>x</div>")
        // Inside <svg> a `/>` closes its element; outside, `<div/>` is an open div.
        #expect(s.elements.map(s.name(of:)) == ["svg", "div"])
        #expect(s.elements.map(\.end) == [3, 6])
    }

    @Test func emptyElementNamesByKeyMatchTheSet() throws {
        let defaults = try HTMLEmptyElementRule(options: RuleOptions())
        #expect(defaults.packedNames != nil)
        let odd = try HTMLEmptyElementRule(options: RuleOptions(["elements": JSONNode(.array(["DIV", "dív", "custom-element"].map { JSONNode(.string($0)) }))]))
        #expect(odd.packedNames == nil)
        let long = try HTMLEmptyElementRule(options: RuleOptions(["elements": JSONNode(.array(["div", "blockquote", "custom-element"].map { JSONNode(.string($0)) }))]))
        #expect(long.packedNames == TagTables.packedName("div").map { [$0] })
        let html = "<div></div><DIV></DIV><span></span><p> </p><section></section><b></b><custom-element></custom-element><dív></dív><x-y></x-y><a\u{37E}></a\u{37E}>"
            + "<blockquote></blockquote><FIGCAPTION></FIGCAPTION><h1></h1><center></center>"
        let (_, s) = Self.structure(html)
        for rule in [defaults, odd, long] {
            for element in s.elements {
                #expect(rule.isNamed(packed: element.packedName, s.name(of: element)) == rule.names.contains(s.name(of: element)), "\(s.name(of: element))")
            }
        }
    }

    /// The word-at-a-time key against the byte loop: every length, case, NUL and non-ASCII byte,
    /// names ending at and near the end of the buffer.
    @Test func nameKeyMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 17_001)
        let alphabet: [UInt8] = Array("aZzA@[`{09-_:".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xFF, 0x20]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...20, using: &rng)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &rng) ?? 0x61 }
            let lower = Int.random(in: 0...count, using: &rng)
            let upper = Int.random(in: lower...min(count, lower + 10), using: &rng)
            #expect(TagNameKey.of(bytes, lower..<upper) == TagNameKey.ofBytes(bytes, lower..<upper), "\(bytes) \(lower)..<\(upper)")
        }
        for name in ["a", "IMG", "Picture", "sOuRcE", "blockquo", "h1", "x-y"] {
            let bytes = Array((name + "        ").utf8)
            #expect(TagNameKey.of(bytes, 0..<name.utf8.count) == TagTables.packedName(name.lowercased()))
        }
    }

    /// Session 19: an element whose name packs keeps only its key; `name` reads the name back from it.
    /// It is the name `tagName` gives for every start tag, whether it packs or not.
    @Test func elementNamesAreTheTagNames() {
        let html = "<DIV><p>a<Span>b</span><custom-element-x>c</custom-element-x><x-é>d</x-é><h1>e</h1><BLOCKQUO>f</blockquo><svg><Path/></svg></DIV>"
        let (view, structure) = Self.structure(html)
        let bytes = Array(html.utf8)
        let expected = structure.elements.map { view.tagName(view.tokens[$0.start], in: bytes) }
        #expect(structure.elements.map(structure.name(of:)) == expected)
        #expect(expected == ["div", "p", "span", "custom-element-x", "x-é", "h1", "blockquo", "svg"])
        #expect(structure.elements.map { $0.packedName != 0 } == [true, true, true, false, false, true, true, true])
    }

    @Test func keyStringIsTheNameItWasMadeFrom() {
        var rng = SeededRandom(seed: 19_001)
        let alphabet: [UInt8] = Array("azAZ09-_:@[`{".utf8)
        for _ in 0..<5_000 {
            let count = Int.random(in: 1...8, using: &rng)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &rng) ?? 0x61 }
            guard let key = TagNameKey.of(bytes, 0..<count) else { continue }
            let lower = String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            #expect(TagNameKey.string(key) == lower, "\(bytes)")
        }
    }

    @Test func constantKeysAreThePackedNames() {
        #expect(HTMLElements.brKey == TagTables.packedName("br"))
        #expect(HTMLElements.svgKey == TagTables.packedName("svg"))
        #expect(HTMLElements.mathKey == TagTables.packedName("math"))
    }

    /// html-widget's candidates by key against comparing the tag with each selector's tag.
    @Test func widgetCandidatesMatchTheTagComparison() throws {
        let selectors = ["DIV.a", "div.b", "dív", "span", "blockquote.x", "custom-element", "[id=z]", "a:text(x)", "Img", "p.q"]
        let rule = try HTMLWidgetRule(options: RuleOptions(["builtin": JSONNode(.bool(false)), "selectors": JSONNode(.array(selectors.map { JSONNode(.string($0)) }))]))
        let html = "<div><DIV><Div class=a><dív><DÍV><span><SPAN><blockquote><BLOCKQUOTE><custom-element><a><A><img><IMG><p><P><section></div>"
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        for token in view.tokens {
            let reference = rule.widgets.indices.filter { w in
                guard token.kind == .startTag || token.kind == .endTag else { return rule.widgets[w].selector.tag == nil }
                return rule.widgets[w].selector.tag.map { HTMLView.equalsIgnoringASCIICase(bytes, token.name, Array($0.utf8)) } ?? true
            }
            #expect(rule.candidates(token, bytes) == reference, "\(String(decoding: bytes[token.range], as: UTF8.self))")
        }
        // The rule asks with the element's packed name (its start tag's key, 0 when it does not pack).
        for element in HTMLElements(view, bytes: bytes).elements {
            let token = view.tokens[element.start]
            #expect(rule.candidates(token, bytes, key: element.packedName == 0 ? nil : element.packedName) == rule.candidates(token, bytes),
                    "\(String(decoding: bytes[token.range], as: UTF8.self))")
        }
    }

    @Test func rawTextNamesPassTheLengthFilter() {
        for name in HTMLView.rawTextElements + HTMLView.escapableRawTextElements {
            for spelling in [String(decoding: name, as: UTF8.self), String(decoding: name, as: UTF8.self).uppercased()] {
                let view = Self.structure("<\(spelling)>a<b>c</b></\(spelling)>d<i>e</i>").0
                let tags = view.tokens.filter { $0.kind == .startTag }.count
                // The <b> inside is content; the <i> after the end tag is a tag.
                #expect(tags == 2, "\(spelling)")
            }
        }
        // A name of the same length but another spelling is an ordinary element.
        #expect(Self.structure("<strong>a<b>c</b></strong>").0.tokens.filter { $0.kind == .startTag }.count == 2)
    }

    /// The tokenizer tells the raw-text names by their keys (`HTMLView.isRawTextKey`): true exactly
    /// for the keys of the listed names, in any case, and for no other name.
    @Test func rawTextKeysAreTheListedNames() {
        let listed = (HTMLView.rawTextElements + HTMLView.escapableRawTextElements).map { String(decoding: $0, as: UTF8.self) }
        for name in listed + ["div", "span", "strong", "section", "article", "figure", "scripts", "styles", "xmpp", "iframes", "titles", "textare", "a", "noembeds"] {
            for spelling in [name, name.uppercased()] {
                let bytes = Array(spelling.utf8)
                guard let key = TagNameKey.of(bytes, 0..<bytes.count) else {
                    #expect(name == "plaintext", "\(spelling) has a key")
                    continue
                }
                #expect(HTMLView.isRawTextKey(key) == listed.contains(name), "\(spelling)")
            }
        }
    }

    @Test func imageTagsByKeyMatchIsTag() {
        let html = "<PICTURE><Source srcset='a.jpg'><IMG src='b.jpg'></picture><source src='c.mp4'><img src=d.jpg><imgs src=e><pictures><source srcset=f></pictures>"
        let bytes = Array(html.utf8)
        let view = HTMLView(bytes: bytes, range: 0..<bytes.count)
        for token in view.tokens where token.kind == .startTag || token.kind == .endTag {
            let key = TagTables.packedName(bytes, token.name)
            for name in ["picture", "img", "source"] {
                #expect((key == TagTables.packedName(name)) == view.isTag(token, named: name, in: bytes))
            }
        }
        let document = Document(path: "a.html", text: html)
        let sources = HTMLImageScanner.scan(document).compactMap { $0.source.map { String(decoding: bytes[$0], as: UTF8.self) } }
        #expect(sources == ["a.jpg", "b.jpg", "d.jpg"])
    }
}
