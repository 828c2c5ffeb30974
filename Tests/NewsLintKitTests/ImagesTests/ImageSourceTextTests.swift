import Foundation
import Testing
@testable import NewsLintRules

/// `ImageSource.text` for HTML copies the runs between `&`s whole: the same bytes as the byte loop it replaced.
@Suite struct ImageSourceTextTests {
    /// The byte loop of sessions up to 16, with character references decoded on strings.
    static func referenceHTMLText(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var s = bytes[...]
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == 0x26, let semi = s[i...].firstIndex(of: 0x3B) {
                let name = String(decoding: s[(i + 1)..<semi], as: UTF8.self)
                var decoded = named[name]
                if name.hasPrefix("#x") || name.hasPrefix("#X"), name.count > 2, name.count <= 10, let v = UInt32(name.dropFirst(2), radix: 16) {
                    decoded = String(Character(v == 0 ? "\u{FFFD}" : Unicode.Scalar(v) ?? "\u{FFFD}"))
                } else if name.hasPrefix("#"), name.count > 1, name.count <= 9, name.dropFirst().allSatisfy(\.isASCII), let v = UInt32(name.dropFirst()) {
                    decoded = String(Character(v == 0 ? "\u{FFFD}" : Unicode.Scalar(v) ?? "\u{FFFD}"))
                }
                if let d = decoded { out += Array(d.utf8); i = semi + 1; continue }
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// Numeric and the common named references in `src` are decoded (`&#46;&#46;/` is `../`);
    /// unknown names, references without `;` and lone `&`s are kept.
    @Test func htmlCharacterReferencesAreDecoded() {
        func text(_ s: String) -> String { String(decoding: ImageSource.text(Array(s.utf8)[...], html: true), as: UTF8.self) }
        #expect(text("&#46;&#46;/assets/img/logo.png") == "../assets/img/logo.png")
        #expect(text("/a.png?w=1&#038;h=2&amp;q=3&#x26;r=4") == "/a.png?w=1&h=2&q=3&r=4")
        #expect(text("&lt;&gt;&quot;&apos;&#x5716;&#22294;") == "<>\"'圖圖")
        #expect(text("a&copy;b&amp c&#;d&#x;e&#12") == "a&copy;b&amp c&#;d&#x;e&#12")
        #expect(text("&#0;&#xD800;&#99999999;") == "\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    @Test func htmlTextMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 17_002)
        let pieces = ["&", "&amp;", "&amp", "&am", "&a", "&&amp;", "amp;", " ", "\t", "a", "圖", "?x=1", "&lt;", "/", "&#", "&#x", "46", "2E", ";",
                      "&#46;", "&#x2e;", "&#038;", "&#0;", "&#xD800;", "&quot;", "&apos", "&copy;", "1"]
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            let bytes = Array(("<" + text + ">").utf8)
            // A slice that does not start at 0, as the rule passes one.
            let slice = bytes[1..<(bytes.count - 1)]
            #expect(ImageSource.text(slice, html: true) == Self.referenceHTMLText(slice), "\(text)")
        }
    }

    /// `text(_:html:into:)` with one buffer through a run of sources (HTML and Markdown, longer and
    /// shorter than the one before, empty): each time the same bytes as `text(_:html:)` makes anew,
    /// nothing of the source before left over.
    @Test func textIntoOneBufferMatchesAFreshText() {
        var rng = SeededRandom(seed: 41_0202)
        let pieces = ["&", "&amp;", "&amp", " ", "\t", "a", "圖", "?x=1", "\\(", "\\a", "\\", "/", "https://x.y/a.png"]
        var buffer: [UInt8] = []
        var shorter = 0
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...16, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            let bytes = Array(("<" + text + ">").utf8)
            let slice = bytes[1..<(bytes.count - 1)]
            let html = Bool.random(using: &rng)
            let before = buffer.count
            ImageSource.text(slice, html: html, into: &buffer)
            #expect(buffer == ImageSource.text(slice, html: html), "\(text) \(html)")
            if buffer.count < before { shorter += 1 }
        }
        #expect(shorter > 1_000, "\(shorter)")
    }
}
