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
        #expect(s.elements.map(\.name) == ["div", "p", "span"])
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
        #expect(s.elements.map(\.name) == ["svg", "div"])
        #expect(s.elements.map(\.end) == [3, 6])
    }

    @Test func emptyElementNamesByKeyMatchTheSet() throws {
        let defaults = try HTMLEmptyElementRule(options: RuleOptions())
        #expect(defaults.packedNames != nil)
        let odd = try HTMLEmptyElementRule(options: RuleOptions(["elements": JSONNode(.array(["DIV", "dív", "custom-element"].map { JSONNode(.string($0)) }))]))
        #expect(odd.packedNames == nil)
        let html = "<div></div><DIV></DIV><span></span><p> </p><section></section><b></b><custom-element></custom-element><dív></dív><x-y></x-y><a\u{37E}></a\u{37E}>"
        let (_, s) = Self.structure(html)
        for rule in [defaults, odd] {
            for element in s.elements {
                #expect(rule.isNamed(packed: element.packedName, element.name) == rule.names.contains(element.name), "\(element.name)")
            }
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
