import Foundation
import NewsLintCore

/// Images of an HTML document, read from its token stream (`Document.html`): `<img src>`, every
/// candidate URL of `srcset`, `<picture><source srcset>`, and the lazy-loading attributes scrapers
/// keep (`data-src`, `data-original`, `data-lazy-src`, `data-srcset`). Each URL is its own
/// `ImageLink` with the exact byte range of the URL, so a broken candidate is reported where it is.
/// The first link of an `<img>` carries its alt text; the others are marked `isAlternate` so that
/// alt rules see each image once.
package enum HTMLImageScanner {
    /// Attributes holding one URL, in the order a lazy loader would try them.
    package static let singleURLAttributes = ["src", "data-src", "data-original", "data-lazy-src"]
    /// Attributes holding a comma-separated candidate list.
    package static let candidateListAttributes = ["srcset", "data-srcset"]
    /// Lazy-loading attributes: with one of them an empty `src` is a placeholder the script fills.
    package static let lazyAttributes = ["data-src", "data-original", "data-lazy-src", "data-srcset"]

    package static func scan(_ document: Document) -> [ImageLink] {
        let bytes = document.bytes
        let view = document.html
        var out: [ImageLink] = []
        var pictureDepth = 0
        let pictureKey = Self.pictureKey, imgKey = Self.imgKey, sourceKey = Self.sourceKey
        for token in view.tokens where token.kind == .startTag || token.kind == .endTag {
            // The tag's name as one key (ASCII case folded; nil for a name that is not 1 to 8 ASCII
            // bytes, which none of these is): three comparisons of a word, not three `isTag` calls.
            let key = TagNameKey.of(bytes, token.name)
            if key == pictureKey {
                if token.kind == .startTag { pictureDepth += 1 } else { pictureDepth = max(0, pictureDepth - 1) }
                continue
            }
            guard token.kind == .startTag else { continue }
            let isImg = key == imgKey
            // `<source>` of `<video>`/`<audio>` is media, not an image.
            guard isImg || (pictureDepth > 0 && key == sourceKey) else { continue }
            out += links(of: token, isImg: isImg, view: view, bytes: bytes)
        }
        return out
    }

    private static let pictureKey = TagTables.packedName("picture"), imgKey = TagTables.packedName("img"), sourceKey = TagTables.packedName("source")

    package static func links(of token: HTMLToken, isImg: Bool, view: HTMLView, bytes: [UInt8]) -> [ImageLink] {
        var sources: [Range<Int>] = []
        let hasLazy = lazyAttributes.contains { view.attributeValue(token, named: $0, in: bytes) != nil }
        var sawAttribute = false
        for attribute in view.attributes(of: token) {
            let name = attribute.name
            if isImg, singleURLAttributes.contains(where: { HTMLView.equalsIgnoringASCIICase(bytes, name, $0.utf8) }) {
                sawAttribute = true
                let value = attribute.value ?? (name.upperBound..<name.upperBound)
                // `src=""` next to `data-src` is the lazy loader's placeholder, not a broken image.
                if hasLazy && isBlank(bytes, value) { continue }
                sources.append(value)
            } else if candidateListAttributes.contains(where: { HTMLView.equalsIgnoringASCIICase(bytes, name, $0.utf8) }) {
                sawAttribute = true
                guard let value = attribute.value else { continue }
                sources += candidateURLs(bytes, value)
            }
        }
        let alt = isImg ? altRange(token, view: view, bytes: bytes) : nil
        if sources.isEmpty {
            // `<source>` without a candidate is ignored by browsers; an `<img>` without any source is broken.
            guard isImg, !sawAttribute else { return [] }
            return [ImageLink(kind: .html, range: token.range, alt: alt, source: nil, label: nil, syntaxProblem: "<img> has no src attribute")]
        }
        return sources.enumerated().map { index, source in
            var link = ImageLink(kind: .html, range: token.range, alt: index == 0 ? alt : nil, source: source, label: nil, syntaxProblem: nil)
            link.isAlternate = !isImg || index > 0
            return link
        }
    }

    package static func altRange(_ token: HTMLToken, view: HTMLView, bytes: [UInt8]) -> Range<Int>? {
        for attribute in view.attributes(of: token) where HTMLView.equalsIgnoringASCIICase(bytes, attribute.name, "alt".utf8) {
            return attribute.value ?? (attribute.name.upperBound..<attribute.name.upperBound)
        }
        return nil
    }

    package static func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        range.allSatisfy { HTMLView.isSpace(bytes[$0]) }
    }

    /// The URL byte ranges of a `srcset` value, after the HTML "parse a srcset attribute"
    /// algorithm: candidates separated by commas, each a URL up to whitespace followed by optional
    /// descriptors (`414w`, `2x`); a URL's trailing commas end the candidate. Commas inside a URL
    /// (`?w=1,2`) stay part of it.
    package static func candidateURLs(_ bytes: [UInt8], _ value: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = value.lowerBound
        let end = value.upperBound
        while i < end {
            while i < end && (HTMLView.isSpace(bytes[i]) || bytes[i] == 0x2C) { i += 1 }
            guard i < end else { break }
            let start = i
            while i < end && !HTMLView.isSpace(bytes[i]) { i += 1 }
            var urlEnd = i
            var endsWithComma = false
            while urlEnd > start && bytes[urlEnd - 1] == 0x2C { urlEnd -= 1; endsWithComma = true }
            if urlEnd > start { out.append(start..<urlEnd) }
            if endsWithComma { continue }
            // Descriptors up to the next comma outside parentheses.
            var depth = 0
            while i < end {
                let b = bytes[i]
                if b == 0x28 { depth += 1 } else if b == 0x29 { depth = max(0, depth - 1) } else if b == 0x2C && depth == 0 { break }
                i += 1
            }
        }
        return out
    }
}
