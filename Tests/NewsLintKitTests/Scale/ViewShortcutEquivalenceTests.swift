import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Shortcuts of the document views and their rules (issue 16, session 26) against the plain way
/// they replace, on seeded random inputs built from the pieces each one tells apart.
@Suite struct ViewShortcutEquivalenceTests {

    // MARK: - Document.isHTMLPath

    /// The extension read on the path's UTF-8 buffer answers as the `Character` search does, for
    /// ASCII paths, Chinese names, combining marks and Prepend scalars next to the dot, case.
    @Test func htmlPathOnBytesMatchesTheCharacterSearch() {
        var rng = SeededRandom(seed: 26_001)
        let pieces = ["a", "b/", "/", ".", ".html", ".HTML", ".htm", ".HtM", ".xhtml", ".md", ".html5", "html", "x.y", "新聞", "拜登宣布",
                      "\u{301}", "e\u{301}", "\u{600}", "\u{915}\u{94D}", "\u{1F600}", "한", "é", " ", "..", "\u{0}", "htm"]
        var paths = ["", ".", ".html", "a.html", "a.HTML", "a.htm", "a.xhtml", "a.html/x", "html/x", "新聞.html", "新聞/a.html",
                     "a\u{600}.html", "a.\u{301}html", "é.html", "\u{1F600}.htm", "a/.html", "a.html\u{301}", "ab.xhtmlx"]
        for _ in 0..<20_000 {
            var path = ""
            for _ in 0..<Int.random(in: 0...6, using: &rng) { path += pieces.randomElement(using: &rng) ?? "" }
            paths.append(path)
        }
        for path in paths {
            #expect(Document.isHTMLPath(path) == Document.characterIsHTMLPath(path), "\(path.debugDescription)")
        }
    }

    // MARK: - YAMLSubset.commonKey

    /// Each common key written as itself is that key; a key that differs anywhere (a byte changed,
    /// added or dropped, upper case) is not found, and whatever is found equals its bytes' string.
    @Test func commonKeysAreTheStringsOfTheirBytes() {
        var rng = SeededRandom(seed: 26_002)
        func found(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer { YAMLSubset.commonKey($0, 0..<$0.count) } }
        for key in YAMLSubset.commonKeys {
            let bytes = Array(key.utf8)
            #expect(found(bytes) == key, "\(key)")
            #expect(found(bytes + [0x73]) == nil || found(bytes + [0x73]) == key + "s", "\(key)s")
            #expect(found(Array(bytes.dropLast())).map { $0 == String(decoding: bytes.dropLast(), as: UTF8.self) } ?? true, "\(key)")
            for k in bytes.indices {
                var changed = bytes
                changed[k] ^= 0x20
                #expect(found(changed).map { $0 == String(decoding: changed, as: UTF8.self) } ?? true, "\(changed)")
                changed[k] ^= 0x21
                #expect(found(changed).map { $0 == String(decoding: changed, as: UTF8.self) } ?? true, "\(changed)")
            }
        }
        // Random simple keys, and every known key inside a larger buffer (the range's offset).
        let pieces = (YAMLSubset.commonKeys + ["a", "s", "_", "-", ".", "9", "T", "title", "Title"]).map { Array($0.utf8) }
        var hits = 0
        for _ in 0..<20_000 {
            let bytes = HTMLRulesCPUEquivalenceTests.randomBytes(pieces, maxPieces: 3, &rng)
            let from = Int.random(in: 0...bytes.count, using: &rng), to = Int.random(in: from...bytes.count, using: &rng)
            let key = bytes.withUnsafeBufferPointer { YAMLSubset.commonKey($0, from..<to) }
            if let key {
                hits += 1
                #expect(key == String(decoding: bytes[from..<to], as: UTF8.self), "\(bytes) \(from) \(to)")
            } else {
                #expect(!YAMLSubset.commonKeys.contains(String(decoding: bytes[from..<to], as: UTF8.self)), "\(bytes) \(from) \(to)")
            }
        }
        #expect(hits > 100)
    }

    /// Every listed key round-trips at every offset of a buffer (the word loads inside it, the
    /// byte loop near its end), between bytes of other keys; the list has no duplicate and no key
    /// the table cannot hold; and a key with one byte changed is found only as what it spells.
    @Test func everyCommonKeyRoundTripsAtEveryOffset() {
        var rng = SeededRandom(seed: 27_001)
        let keys = YAMLSubset.commonKeys
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { (CommonKeyTable.shortest...CommonKeyTable.longest).contains($0.utf8.count) })
        let filler = Array("abcdefghijklmnopqrstuvwxyz0123456789_-.:".utf8)
        for key in keys {
            let bytes = Array(key.utf8)
            for length in bytes.count...(bytes.count + 20) {
                for at in 0...(length - bytes.count) {
                    var buffer = (0..<length).map { _ in filler.randomElement(using: &rng) ?? 0x61 }
                    buffer.replaceSubrange(at..<(at + bytes.count), with: bytes)
                    let found = buffer.withUnsafeBufferPointer { YAMLSubset.commonKey($0, at..<(at + bytes.count)) }
                    #expect(found == key, "\(key) at \(at) of \(length)")
                    // One byte changed (inside or just past the key's range, which must not count).
                    let k = Int.random(in: at..<min(length, at + bytes.count + 1), using: &rng)
                    buffer[k] = filler.randomElement(using: &rng) ?? 0x61
                    let changed = buffer.withUnsafeBufferPointer { YAMLSubset.commonKey($0, at..<(at + bytes.count)) }
                    let spelled = String(decoding: buffer[at..<(at + bytes.count)], as: UTF8.self)
                    #expect(changed == (keys.contains(spelled) ? spelled : nil), "\(spelled) at \(at) of \(length)")
                }
            }
        }
        // A table answers its own list (a single key; none of another length).
        let one = CommonKeyTable(["summary"])
        let packed = Array("summary".utf8).withUnsafeBufferPointer { ByteWords.packed($0, 0..<$0.count) }
        #expect(one.key(head: packed.head, tail: packed.tail, count: 7) == "summary")
        #expect(one.key(head: packed.head, tail: packed.tail, count: 6) == nil)
        #expect(one.key(head: packed.head, tail: packed.tail, count: 17) == nil)
    }

    /// Front matter of the common keys parses to the same entries with the shortcut as without.
    @Test func commonKeysParseAsTheGeneralPathDoes() {
        var rng = SeededRandom(seed: 26_003)
        let keys = YAMLSubset.commonKeys + ["Title", "titles", "x", "categorie", "descriptio"]
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                text += (keys.randomElement(using: &rng) ?? "x") + ": " + (["v", "中文", "2024-11-09 06:28:28 +08:00", "a b"].randomElement(using: &rng) ?? "v") + "\n"
            }
            let bytes = Array(text.utf8)
            let lines = LineReader(bytes: bytes, lineStarts: Document.computeLineStarts(bytes))
            func parsed(_ simple: Bool) -> [String] {
                var entries: [FrontMatterEntry] = [], problems: [FrontMatterProblem] = [], ascii = true
                YAMLSubset.parse(lines: lines, range: 1...lines.count, entries: &entries, problems: &problems, keysAreASCII: &ascii, simpleLines: simple)
                return entries.map { "\($0.key)|\($0.key.utf8.count)|\($0.value)|\($0.line)" } + problems.map(\.message) + ["\(ascii)"]
            }
            #expect(parsed(true) == parsed(false), "\(text)")
        }
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
    // MARK: - ImageSource

    /// The word tests for a control byte and for a space or tab answer as `contains` does, for every
    /// byte value at every offset of sources of every length around the word size.
    @Test func sourceByteTestsMatchContains() {
        var rng = SeededRandom(seed: 26_005)
        let quiet: [UInt8] = [0x20, 0x21, 0x41, 0x7E, 0x80, 0xE4, 0xFF, 0x2F, 0x08, 0x1F, 0x7F, 0x09, 0x0A, 0x00]
        for length in 0...40 {
            for _ in 0..<60 {
                var src = (0..<length).map { _ in [UInt8](0x21...0x7E).randomElement(using: &rng) ?? 0x41 }
                if length > 0 {
                    for _ in 0..<Int.random(in: 0...2, using: &rng) {
                        src[Int.random(in: 0..<length, using: &rng)] = quiet.randomElement(using: &rng) ?? 0
                    }
                }
                #expect(ImageSource.containsControl(src) == src.contains(where: { $0 < 0x20 || $0 == 0x7F }), "\(src)")
                #expect(ImageSource.containsSpaceOrTab(src) == (src.contains(0x20) || src.contains(0x09)), "\(src)")
            }
        }
        for value in UInt8.min...UInt8.max {
            for length in 1...17 {
                for at in 0..<length {
                    var src = [UInt8](repeating: 0x61, count: length)
                    src[at] = value
                    #expect(ImageSource.containsControl(src) == (value < 0x20 || value == 0x7F), "\(value) \(length) \(at)")
                    #expect(ImageSource.containsSpaceOrTab(src) == (value == 0x20 || value == 0x09), "\(value) \(length) \(at)")
                }
            }
        }
    }
}
