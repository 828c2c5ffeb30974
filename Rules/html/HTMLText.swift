import Foundation
import NewsLintCore

/// Small byte helpers shared by the HTML rules.
package enum HTMLText {
    /// Phrasing (inline) elements: text laid out inside a paragraph, not a paragraph of its own.
    /// One table for the rules that ask (`html-bare-text`: text in them is still bare text;
    /// `html-widget`'s unwrap: removing a span around them changes nothing); `br` is among them,
    /// and a rule that treats a line break apart asks about it first.
    package static let phrasingKeys = TagKeySet([
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img",
        "ins", "kbd", "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub",
        "sup", "time", "tt", "u", "var", "wbr",
    ].compactMap { TagNameKey.of(Array($0.utf8), 0..<$0.utf8.count) })

    /// `a + b + c + d + e` written into one string of their summed length: the same UTF-8 bytes as the
    /// interpolated messages, without a `String.append` (and a regrowth) per piece (~450 instructions
    /// each, six a finding, some 2,800 findings of html-empty-element and 1,800 of html-tag-unbalanced
    /// at agora x1).
    package static func concat(_ a: String, _ b: String, _ c: String, _ d: String = "", _ e: String = "") -> String {
        let count = a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count
        return String(unsafeUninitializedCapacity: count) { out in
            var k = 0
            func copy(_ utf8: UnsafeBufferPointer<UInt8>) {
                guard let source = utf8.baseAddress, let target = out.baseAddress, utf8.count <= out.count - k else { return }
                (target + k).initialize(from: source, count: utf8.count)
                k += utf8.count
            }
            // The part's bytes read where they are (a native or small string's): a mutable copy for
            // `withUTF8` retained and released the string.
            func write(_ part: String) {
                guard part.utf8.withContiguousStorageIfAvailable(copy) == nil else { return }
                var part = part
                part.withUTF8(copy)
            }
            write(a); write(b); write(c); write(d); write(e)
            return k
        }
    }

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

    /// Whether `scalar` is in Foundation's `CharacterSet.whitespacesAndNewlines` (Unicode spaces,
    /// tab, line and paragraph separators, U+0085; a test compares every scalar with Foundation's set).
    @inline(__always)
    package static func isWhitespaceOrNewline(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The bytes whose text is `String(decoding: bytes[range], as: UTF8.self).trimmingCharacters(in:
    /// .whitespacesAndNewlines)`, found without Foundation (it was a fifth of `html-widget`): whole
    /// well-formed scalars of the set are dropped from both ends. An ill-formed byte is U+FFFD in
    /// the decoded string, which is no whitespace, so trimming stops there in both.
    /// Each end is first tested on one byte (`mayBeginWhitespace`, `mayEndWhitespace`): most texts
    /// begin and end with a character that is none, and decoding it was most of the call.
    package static func trimmedRange(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, mayBeginWhitespace(bytes[lo]), let (scalar, length) = scalar(bytes, at: lo, end: hi), isWhitespaceOrNewline(scalar) { lo += length }
        while hi > lo, mayEndWhitespace(bytes[hi - 1]), let (scalar, length) = scalar(bytes, endingAt: hi, start: lo), isWhitespaceOrNewline(scalar) { hi -= length }
        return lo..<hi
    }

    /// Whether a scalar of `isWhitespaceOrNewline` may begin with byte `b`: ASCII whitespace, or the
    /// lead byte of U+0085/U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2), U+3000 (E3). Any other byte
    /// begins a scalar that is none, or an ill-formed one (where trimming stops too).
    @inline(__always)
    package static func mayBeginWhitespace(_ b: UInt8) -> Bool {
        b <= 0x20 ? b == 0x20 || (b >= 0x09 && b <= 0x0D) : b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3
    }

    /// Whether a scalar of `isWhitespaceOrNewline` may end with byte `b`: ASCII whitespace, or the last
    /// byte of one of the others (U+0085 …85, U+00A0 …A0, U+1680 and U+3000 …80, U+2000–U+200B
    /// …80–8B, U+2028/U+2029 …A8/A9, U+202F …AF, U+205F …9F).
    @inline(__always)
    package static func mayEndWhitespace(_ b: UInt8) -> Bool {
        switch b {
        case 0x09...0x0D, 0x20, 0x80...0x8B, 0x9F, 0xA0, 0xA8, 0xA9, 0xAF: return true
        default: return false
        }
    }

    /// The first scalar of `bytes[range]` when it is well-formed (then it is the first scalar of
    /// the decoded text); nil when the range is empty or starts ill-formed.
    package static func firstScalar(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32? {
        guard !range.isEmpty else { return nil }
        return scalar(bytes, at: range.lowerBound, end: range.upperBound)?.0
    }

    /// The well-formed scalar starting at `i` (before `end`) and its length; nil when ill-formed.
    private static func scalar(_ b: [UInt8], at i: Int, end: Int) -> (UInt32, Int)? {
        let lead = b[i]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length = sequenceLength(lead)
        guard length > 0, i + length <= end else { return nil }
        // Three bytes (Chinese text) decoded here, as `decoded` decodes them: a call each was most of its cost.
        if length == 3 {
            let c1 = b[i + 1], c2 = b[i + 2]
            guard c1 & 0xC0 == 0x80, c2 & 0xC0 == 0x80 else { return nil }
            let value = UInt32(lead & 0x0F) << 12 | UInt32(c1 & 0x3F) << 6 | UInt32(c2 & 0x3F)
            guard value >= 0x800, !(0xD800...0xDFFF).contains(value) else { return nil }
            return (value, 3)
        }
        return Self.decoded(b, i, length)
    }

    /// The well-formed scalar ending at `end` (not before `start`) and its length; nil when ill-formed.
    private static func scalar(_ b: [UInt8], endingAt end: Int, start: Int) -> (UInt32, Int)? {
        if b[end - 1] < 0x80 { return (UInt32(b[end - 1]), 1) }
        var i = end - 1
        while i > start, end - i < 4, b[i] & 0xC0 == 0x80 { i -= 1 }
        let lead = b[i]
        let length = sequenceLength(lead)
        guard length > 0, length == end - i else { return nil }
        return Self.decoded(b, i, length)
    }

    /// Bytes of the sequence a UTF-8 lead byte starts; 0 for a byte that cannot lead one.
    @inline(__always)
    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    /// The scalar of the `length`-byte sequence at `i` when it is well-formed UTF-8 (shortest form,
    /// no surrogate, at most U+10FFFF), else nil.
    private static func decoded(_ b: [UInt8], _ i: Int, _ length: Int) -> (UInt32, Int)? {
        var value = UInt32(b[i]) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length {
            guard b[i + k] & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b[i + k] & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
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
