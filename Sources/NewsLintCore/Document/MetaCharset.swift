extension HTMLView {
    /// The byte range of the encoding label that `token`, a `<meta>` start tag, declares, as the
    /// HTML standard's "prescan a byte stream to determine its encoding" reads a meta: its
    /// `charset` attribute's value without the spaces around it (whatever its place among the
    /// attributes); else, with `http-equiv` exactly `content-type` (any case, no spaces), the label in its
    /// `content` (`charsetLabel(inContent:in:)`). A `content` without that `http-equiv`
    /// declares nothing (a browser ignores `<meta name="description" content="… charset=big5">`).
    /// The first of two attributes of one name counts. Nil for any other token, an empty label and
    /// a meta declaring none; the caller judges the label (`big5`, `utf-8`, an unknown one).
    ///
    /// One walk of the tag's attributes, whose names are told apart by length first (and
    /// `charset` from `content` by its second letter): a page's twenty or thirty `og:`/`twitter:`
    /// metas (`property`, `name`, `content`) are passed over at a few instructions each, where two
    /// lookups by name (`attributeValue`) compared every attribute's name twice.
    public func declaredCharset(of token: HTMLToken, in bytes: [UInt8]) -> Range<Int>? {
        guard token.kind == .startTag, token.name.count == 4, token.key(in: bytes) == Self.metaKey else { return nil }
        var sawEquiv = false, isPragma = false
        let attributes = attributes(of: token)
        for attribute in attributes {
            let name = attribute.name
            if name.count == 7 {
                // `charset`, not `content` (the second letter tells them apart).
                guard bytes[name.lowerBound + 1] | 0x20 == 0x68, Self.equalsIgnoringASCIICase(bytes, name, Self.charsetWord) else { continue }
                // It decides whatever comes before or after it: a bare or empty one declares nothing.
                guard let value = attribute.value else { return nil }
                let label = Self.trimmedSpaces(value, bytes)
                return label.isEmpty ? nil : label
            }
            if name.count == 10, !sawEquiv, Self.equalsIgnoringASCIICase(bytes, name, Self.httpEquivWord) {
                sawEquiv = true
                if let value = attribute.value { isPragma = Self.equalsIgnoringASCIICase(bytes, value, Self.contentTypeWord) }
            }
        }
        // The `content` only of a pragma (rare): looked up after the walk.
        guard isPragma, let content = attributes.first(where: { Self.equalsIgnoringASCIICase(bytes, $0.name, Self.contentWord) })?.value else { return nil }
        return Self.charsetLabel(inContent: content, in: bytes)
    }

    /// The label in a `content` value (`text/html; charset=gb2312`), by the HTML standard's
    /// "algorithm for extracting a character encoding from a meta element": the first `charset`
    /// (any case) followed, after optional spaces, by `=`; after optional spaces, a value between
    /// two quotes of one kind (an unmatched quote: none), or else up to a space or `;`. The
    /// label without the spaces around it, nil when empty.
    public static func charsetLabel(inContent content: Range<Int>, in bytes: [UInt8]) -> Range<Int>? {
        let end = content.upperBound
        var from = content.lowerBound
        while let word = ASCIICase.firstIndex(of: charsetWord, in: bytes, from: from, to: end) {
            var v = word + charsetWord.count
            while v < end, isSpace(bytes[v]) { v += 1 }
            guard v < end, bytes[v] == 0x3D else {
                from = v
                continue
            }
            v += 1
            while v < end, isSpace(bytes[v]) { v += 1 }
            guard v < end else { return nil }
            let label: Range<Int>
            if bytes[v] == 0x22 || bytes[v] == 0x27 {
                let quote = bytes[v]
                var close = v + 1
                while close < end, bytes[close] != quote { close += 1 }
                guard close < end else { return nil }
                label = trimmedSpaces((v + 1)..<close, bytes)
            } else {
                var stop = v
                while stop < end, !isSpace(bytes[stop]), bytes[stop] != 0x3B { stop += 1 }
                label = v..<stop
            }
            return label.isEmpty ? nil : label
        }
        return nil
    }

    /// `range` without the HTML spaces at its ends (an attribute value as a URL parser reads it).
    package static func trimmedSpaces(_ range: Range<Int>, _ bytes: [UInt8]) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// `meta` as a `TagNameKey` (first byte lowest).
    private static var metaKey: UInt64 { 0x61_74_65_6D }
    private static let charsetWord = Array("charset".utf8), contentWord = Array("content".utf8)
    private static let httpEquivWord = Array("http-equiv".utf8), contentTypeWord = Array("content-type".utf8)
}
