import Foundation
import NewsLintCore

/// Small byte helpers shared by the HTML rules.
package enum HTMLText {
    /// Whitespace only (ASCII whitespace, U+00A0, U+3000).
    package static func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if HTMLView.isSpace(b) { i += 1; continue }
            if b == 0xC2, i + 1 < range.upperBound, bytes[i + 1] == 0xA0 { i += 2; continue }
            if b == 0xE3, i + 2 < range.upperBound, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { i += 3; continue }
            return false
        }
        return true
    }

    /// Named references to a space (case-insensitive, like browsers' legacy `&NBSP;`).
    package static let spaceNames: [[UInt8]] = ["&nbsp;", "&nbsp", "&ensp;", "&emsp;", "&thinsp;"].map { Array($0.utf8) }

    /// A character reference to a space (`&nbsp;`, `&#160;`, `&#x3000;` …), compared in place.
    package static func isSpaceReference(_ bytes: [UInt8], _ token: HTMLToken) -> Bool {
        if let scalar = HTMLView.numericReferenceValue(bytes, token) {
            return bytes[token.range.upperBound - 1] == 0x3B && (scalar == 0xA0 || scalar == 0x3000)
        }
        return spaceNames.contains { HTMLView.equalsIgnoringASCIICase(bytes, token.range, $0) }
    }

    /// The range to delete for removing `range`: when nothing but whitespace is left on its
    /// line(s), the whole line with its line break goes too (no blank indented line remains).
    package static func deletionRange(_ bytes: [UInt8], _ range: Range<Int>, within body: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        while start > body.lowerBound, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
        var end = range.upperBound
        while end < body.upperBound, bytes[end] == 0x20 || bytes[end] == 0x09 || bytes[end] == 0x0D { end += 1 }
        let lineStarts = start == body.lowerBound || bytes[start - 1] == 0x0A
        if lineStarts, end < body.upperBound, bytes[end] == 0x0A { return start..<(end + 1) }
        return range
    }
}

extension HTMLElements {
    /// Whether the element has visible text other than whitespace (`&nbsp;` counts as whitespace).
    package func hasVisibleText(_ element: Element, _ view: HTMLView, bytes: [UInt8]) -> Bool {
        guard let end = element.end else { return true }
        for token in view.tokens[(element.start + 1)..<end] where token.isVisibleText {
            if token.kind == .characterReference ? !HTMLText.isSpaceReference(bytes, token) : !HTMLText.isBlank(bytes, token.range) { return true }
        }
        return false
    }
}
