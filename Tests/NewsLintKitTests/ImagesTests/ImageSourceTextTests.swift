import Foundation
import Testing
@testable import NewsLintRules

/// `ImageSource.text` for HTML copies the runs between `&`s whole: the same bytes as the byte loop it replaced.
@Suite struct ImageSourceTextTests {
    /// The byte loop of sessions up to 16.
    static func referenceHTMLText(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var s = bytes[...]
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == 0x26, s[i...].starts(with: Array("&amp;".utf8)) { out.append(0x26); i += 5; continue }
            out.append(s[i])
            i += 1
        }
        return out
    }

    @Test func htmlTextMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 17_002)
        let pieces = ["&", "&amp;", "&amp", "&am", "&a", "&&amp;", "amp;", " ", "\t", "a", "圖", "?x=1", "&lt;", "/"]
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
