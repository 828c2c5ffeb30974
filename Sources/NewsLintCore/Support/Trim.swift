import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` (Unicode Zs and tab) without the Foundation bridge,
    /// for per-document hot paths; the string itself when there is nothing to trim.
    package func trimmingWhitespaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !Self.isWhitespace(first) && !Self.isWhitespace(last) { return String(self) }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, Self.isWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, Self.isWhitespace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[start..<end])
        return String(out)
    }

    /// `CharacterSet.whitespaces` as Foundation has it: general category Zs, U+0009 and U+200B (a test compares every BMP scalar).
    @inline(__always)
    package static func isWhitespace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}
