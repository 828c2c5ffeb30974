import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` (Unicode Zs and tab) without the Foundation bridge,
    /// for per-document hot paths; the string itself when there is nothing to trim.
    package func trimmingWhitespaces() -> String {
        trimmingScalars(where: Self.isWhitespace)
    }

    /// `trimmingCharacters(in: CharacterSet(charactersIn: members))` for `members` of the Basic
    /// Multilingual Plane, without Foundation: Foundation trims scalar by scalar too (a combining
    /// mark after a trimmed space stays), but its first trim in a process costs some 750,000
    /// instructions (making a `String` from UTF-16 for the first time), and each later one ~5,000.
    package func trimmingScalars(in members: String) -> String {
        trimmingScalars { u in members.unicodeScalars.contains(u) }
    }

    /// The string without its leading and trailing scalars for which `isTrimmed` holds.
    @inline(__always)
    private func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !isTrimmed(first) && !isTrimmed(last) { return String(self) }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isTrimmed(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isTrimmed(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
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
