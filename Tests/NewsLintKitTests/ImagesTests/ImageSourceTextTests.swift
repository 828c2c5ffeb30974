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
        let pieces = ["&", "&amp;", "&amp", "&&amp;", "amp;", " ", "\t", "a", "圖", "?x=1", "&lt;", "/"]
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            let bytes = Array(("<" + text + ">").utf8)
            // A slice that does not start at 0, as the rule passes one.
            let slice = bytes[1..<(bytes.count - 1)]
            #expect(ImageSource.text(slice, html: true) == Self.referenceHTMLText(slice), "\(text)")
        }
    }
}
