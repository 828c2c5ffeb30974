import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The byte-level text helpers of the HTML rules against the forms they replaced.
@Suite struct HTMLRuleTextTests {
    /// `html-empty-element`'s one-line excerpt: an ASCII excerpt on its bytes, the same text as the
    /// split by `Character.isWhitespace` (which any other excerpt still takes).
    @Test func oneLineExcerptMatchesTheSplitByCharacters() {
        let pieces = ["<div", ">", "</div>", " ", "  ", "\t", "\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "x", "class=\"a b\"", "\u{3000}", "\u{A0}", "中"]
            .map { Array($0.utf8) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) { bytes += pieces.randomElement(using: &generator) ?? [] }
            let excerpt = bytes.prefix(60)
            let split = String(decoding: excerpt, as: UTF8.self).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            #expect(HTMLEmptyElementRule.oneLine(excerpt) == split, "\(bytes)")
        }
    }

    /// An inline wrapper of a space between two names (RFA's list of the 47 defendants) is what
    /// keeps them apart: it is not reported (it was, with an unsafe deletion; see
    /// `HTMLEmptyElementSeparatorTests`). A block spacer, an empty inline wrapper and a wrapper of
    /// nothing but a comment stay safe.
    @Test func inlineSpaceWrappersAreNotDeletedSafely() throws {
        let page = "<p><strong>戴耀廷</strong><span>&nbsp; </span><strong>區諾軒</strong><font> </font>趙家賢<b><i><br></i></b>。</p>\n"
            + "<p>&nbsp;</p>\n<p>文<span></span>字<em><!-- x --></em></p>\n"
        let found = try RuleHarness.diagnostics(rule: "html-empty-element", text: page, path: "a.html")
        let unsafe = found.filter { $0.fix?.applicability == .unsafe }.map { $0.message }
        let safe = found.filter { $0.fix?.applicability == .safe }.map { $0.message }
        #expect(unsafe.isEmpty, "\(unsafe)")
        #expect(safe.count == 3, "\(safe)")
        #expect(safe.contains { $0.hasPrefix("empty <p>") } && safe.contains { $0.hasPrefix("empty <span>") } && safe.contains { $0.hasPrefix("empty <em>") }, "\(safe)")
    }

    /// `html-empty-element`'s attribute test on the names' bytes, as the lowercased `String` answers.
    @Test func harmlessAttributesMatchTheLowercasedNames() throws {
        let rule = try HTMLEmptyElementRule(options: RuleOptions())
        for name in ["style", "STYLE", "Dir", "lang", "ALIGN", "class", "id", "data-x", "styles", "dİr", "\u{130}", "al\u{131}gn", "\u{212A}", "la\u{301}ng"] {
            let document = Document(path: "a.html", text: "<div \(name)=\"x\" style=\"y\"></div>")
            let view = document.html
            let token = try #require(view.tokens.first { $0.kind == .startTag })
            let expected = view.attributes(of: token).allSatisfy {
                HTMLEmptyElementRule.harmlessAttributes.contains(String(decoding: document.bytes[$0.name], as: UTF8.self).lowercased())
            }
            #expect(rule.hasOnlyHarmlessAttributes(token, view, document.bytes) == expected, "\(name)")
        }
    }

    /// `html-empty-element`'s inline test on an element's packed name, as `inlineElements.contains`
    /// answers for the name `HTMLElements.name(of:)` gives (any case written; long and non-ASCII names too).
    @Test func inlineElementKeysMatchTheNameSet() {
        let names = ["span", "SPAN", "b", "B", "strong", "i", "em", "small", "font", "u", "cite", "CITE", "div", "p", "spans", "sp",
                     "strongest", "blockquote", "figcaption", "a\u{212A}", "span\u{301}", "s\u{130}", "x-span", "br", "img"]
        let document = Document(path: "a.html", text: names.map { "<\($0)></\($0)>" }.joined())
        let structure = document.htmlElements
        #expect(structure.elements.count == names.count - 2)  // `br` and `img` are void
        for element in structure.elements {
            let name = structure.name(of: element)
            #expect(HTMLEmptyElementRule.isInlineElement(packed: element.packedName) == HTMLEmptyElementRule.inlineElements.contains(name), "\(name)")
        }
    }

    /// `html-tag-unbalanced`'s end tags of the elements open at the end, written in one string, are the
    /// joined `</name>` of each (names that do not pack, non-ASCII and long, among them).
    @Test func endTagsAreTheJoinedEndTags() {
        let document = Document(path: "a.html", text: "<div><SPAN><blockquote><x-custom-element><dív><b>text")
        let structure = document.htmlElements
        let open = Array(structure.elements.indices.reversed())
        #expect(open.count == 6)
        let joined = open.map { "</\(structure.name($0))>" }.joined()
        #expect(HTMLTagUnbalancedRule.endTags(of: open, structure) == joined)
        #expect(HTMLTagUnbalancedRule.endTags(of: [], structure) == "")
    }

    /// `html-double-escaped`'s `pre`/`code` test on a tag's name bytes, as `HTMLView.isTag` answers.
    @Test func literalTagTestMatchesIsTag() {
        let html = "<pre><PRE><Code><code><cod><prex><p><pr><b><CODE></code></pre>"
        let document = Document(path: "a.html", text: html)
        let view = document.html
        var seen = 0
        for token in view.tokens where token.kind == .startTag || token.kind == .endTag {
            let expected = view.isTag(token, named: "pre", in: document.bytes) || view.isTag(token, named: "code", in: document.bytes)
            #expect(HTMLDoubleEscapedRule.isLiteralTag(document.bytes, token.name) == expected)
            seen += 1
        }
        #expect(seen == 12)
    }

    /// `html-double-escaped`'s prefilter: a document without `&amp;` (any case) is not walked, and
    /// every one the rule reports on holds it, at any place (the last bytes too).
    @Test func doubleEscapePrefilterKeepsEveryReportedDocument() throws {
        let pieces = ["<p>", "</p>", "<a href=\"?a=1", "&", "&amp;", "&AMP;", "&Amp;", "amp;", "nbsp;", "&amp", "#12288;", "\">", "文", " ", "&lt;"]
        var random = SeededRandom(seed: 5)
        var reported = 0
        for _ in 0..<600 {
            var text = "<p>"
            for _ in 0..<(1 + random.below(12)) { text += pieces[random.below(pieces.count)] }
            let found = try RuleHarness.diagnostics(rule: "html-double-escaped", text: text, path: "a.html")
            let bytes = Array(text.utf8)
            let expected = bytes.indices.contains { k in
                k + 4 < bytes.count && bytes[k] == 0x26 && String(decoding: bytes[(k + 1)..<(k + 5)], as: UTF8.self).lowercased() == "amp;"
            }
            #expect(HTMLDoubleEscapedRule.mayHoldDoubleEscape(bytes) == expected, "\(text)")
            if !found.isEmpty { #expect(expected, "\(text)"); reported += 1 }
            // The prefilter never skips a text the rule's own walk would report in.
            let walkFinds = bytes.indices.contains { bytes[$0] == 0x26 && HTMLDoubleEscapedRule.doubleEscapeEnd(bytes, at: $0, limit: bytes.count) != nil }
            if walkFinds { #expect(HTMLDoubleEscapedRule.mayHoldDoubleEscape(bytes), "\(text)") }
        }
        #expect(reported > 50)
        #expect(HTMLDoubleEscapedRule.mayHoldDoubleEscape(Array("x&amp;".utf8)))
        #expect(!HTMLDoubleEscapedRule.mayHoldDoubleEscape(Array("x&amp".utf8)))
    }

    /// `html-double-escaped`'s check (tokens read in place, each `&` of a value found by `memchr`)
    /// reports what the walk it replaced did: every token copied, every byte of every attribute value
    /// tested. Long values put `&` on both sides of the 16-byte steps.
    @Test func doubleEscapeCheckMatchesTheByteWalk() throws {
        let rule = HTMLDoubleEscapedRule(options: RuleOptions())
        let pieces = ["<p>", "</p>", "<a href=\"?a=1", "<img src='x", "&", "&amp;", "&AMP;", "&amp;amp;", "amp;", "nbsp;", "&amp", "#12288;", "#x3000;",
                      "\">", "'>", "文", " ", "&lt;", "<pre>", "</pre>", "<code>", "</CODE>", "abcdefghijklmnop", "=", "&amp;&amp;", "quot;"]
        var random = SeededRandom(seed: 41)
        var reported = 0
        for _ in 0..<1_500 {
            var text = "<p>&amp;"
            for _ in 0..<(1 + random.below(30)) { text += random.pick(pieces) }
            let document = Document(path: "a.html", text: text)
            var sink = DiagnosticSink(document: document, rule: HTMLDoubleEscapedRule.id, severity: .warning)
            rule.check(document, into: &sink)
            let expected = Self.doubleEscapeWalk(document)
            #expect(sink.diagnostics.map(\.message) == expected.map(\.message), "\(text)")
            #expect(sink.diagnostics.map(\.fix) == expected.map(\.fix), "\(text)")
            #expect(sink.diagnostics.map { [$0.line, $0.column] } == expected.map { [document.position(ofByte: $0.start).line, document.position(ofByte: $0.start).column] }, "\(text)")
            reported += sink.diagnostics.count
        }
        #expect(reported > 500)
    }

    /// The check as it was: each token copied in turn, and each attribute value walked byte by byte.
    private static func doubleEscapeWalk(_ document: Document) -> [(start: Int, message: String, fix: Fix)] {
        let bytes = document.bytes
        let view = document.html
        var out: [(start: Int, message: String, fix: Fix)] = []
        func scan(_ range: Range<Int>, onlyAt: Int? = nil) {
            var i = onlyAt ?? range.lowerBound
            while i < range.upperBound {
                guard bytes[i] == 0x26, let end = HTMLDoubleEscapedRule.doubleEscapeEnd(bytes, at: i, limit: range.upperBound) else {
                    if onlyAt != nil { return }
                    i += 1
                    continue
                }
                let text = String(decoding: bytes[i..<end.reference], as: UTF8.self)
                let once = "&" + String(decoding: bytes[end.inner..<end.reference], as: UTF8.self)
                out.append((i, "'\(text)' is escaped twice (a browser shows it literally); write '\(once)'",
                            Fix(.safe, "unescape once", edits: [.delete((i + 1)..<end.inner)])))
                if onlyAt != nil { return }
                i = end.reference
            }
        }
        guard HTMLDoubleEscapedRule.mayHoldDoubleEscape(bytes) else { return [] }
        var literalDepth = 0
        for token in view.tokens {
            switch token.kind {
            case .startTag, .endTag:
                if HTMLDoubleEscapedRule.isLiteralTag(bytes, token.name) {
                    literalDepth = max(0, literalDepth + (token.kind == .startTag ? 1 : -1))
                }
                guard token.kind == .startTag else { continue }
                for attribute in view.attributes(of: token) {
                    if let value = attribute.value { scan(value) }
                }
            case .characterReference where literalDepth == 0:
                scan(token.range.lowerBound..<min(view.range.upperBound, token.range.upperBound + 40), onlyAt: token.range.lowerBound)
            default:
                continue
            }
        }
        return out
    }
}
