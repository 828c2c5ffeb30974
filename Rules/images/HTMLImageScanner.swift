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
        // One scratch list of a tag's sources for every tag, and the links appended in place: an
        // array of sources and one of links per image, then appended, cost ~1,000 instructions an image.
        var sources: [Range<Int>] = []
        // Through the buffer, each token's kind and name read in place: a copy of each token (64
        // bytes) per step cost more than the tests, over every token of every HTML document.
        view.tokens.withUnsafeBufferPointer { tokens in
            for t in 0..<tokens.count where tokens[t].kind == .startTag || tokens[t].kind == .endTag {
                // Only a name of three, six or seven bytes can be `img`, `source` or `picture`: the
                // others (`div`'s three aside) are passed over without their key.
                let length = tokens[t].name.count
                guard length == 3 || length == 6 || length == 7 else { continue }
                let token = tokens[t]
                // The tag's name as one key (ASCII case folded; nil for a name that is not 1 to 8 ASCII
                // bytes, which none of these is): three comparisons of a word, not three `isTag` calls.
                let key = token.key(in: bytes)
                if key == pictureKey {
                    if token.kind == .startTag { pictureDepth += 1 } else { pictureDepth = max(0, pictureDepth - 1) }
                    continue
                }
                guard token.kind == .startTag else { continue }
                let isImg = key == imgKey
                // `<source>` of `<video>`/`<audio>` is media, not an image.
                guard isImg || (pictureDepth > 0 && key == sourceKey) else { continue }
                appendLinks(of: token, isImg: isImg, view: view, bytes: bytes, sources: &sources, to: &out)
            }
        }
        return out
    }

    private static let pictureKey = TagTables.packedName("picture"), imgKey = TagTables.packedName("img"), sourceKey = TagTables.packedName("source")

    /// What an attribute name is to the scan (`attributeRole`): bits of `singleURL`, `candidateList`,
    /// `lazy`, `alt`, and for a lazy attribute its index in `lazyAttributes` above bit 4.
    package static let singleURL: UInt8 = 1, candidateList: UInt8 = 2, lazy: UInt8 = 4, alt: UInt8 = 8

    /// The role of the attribute named by `name` (ASCII case folded): its length first, then the
    /// one or two names of that length (`singleURLAttributes`, `candidateListAttributes`,
    /// `lazyAttributes`, `alt`); 0 for any other.
    @inline(__always)
    package static func attributeRole(_ bytes: [UInt8], _ name: Range<Int>) -> UInt8 {
        bytes.withUnsafeBufferPointer { attributeRole($0, name) }
    }

    /// `attributeRole` over a buffer (the scans read their bytes through one).
    @inline(__always)
    package static func attributeRole(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> UInt8 {
        // ASCII upper case folded as `HTMLView.equalsIgnoringASCIICase` folds it (the lengths are equal).
        @inline(__always) func named(_ lowercase: StaticString) -> Bool {
            let word = lowercase.utf8Start
            var k = 0
            for i in name {
                var b = bytes[i]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                guard b == word[k] else { return false }
                k += 1
            }
            return true
        }
        switch name.count {
        case 3: return named("src") ? singleURL : named("alt") ? alt : 0
        case 6: return named("srcset") ? candidateList : 0
        case 8: return named("data-src") ? singleURL | lazy | 0 << 4 : 0
        case 11: return named("data-srcset") ? candidateList | lazy | 3 << 4 : 0
        case 13: return named("data-original") ? singleURL | lazy | 1 << 4 : named("data-lazy-src") ? singleURL | lazy | 2 << 4 : 0
        default: return 0
        }
    }

    /// The links of one `<img>` or `<picture><source>` tag. Each attribute's name is read once a
    /// pass (`attributeRole`): the lazy attributes looked up one by one, each name compared with
    /// every listed name, and the alt text looked up again cost ~4,000 instructions an image.
    /// The scan itself appends in place (`appendLinks`); this returning form is for the tests.
    package static func links(of token: HTMLToken, isImg: Bool, view: HTMLView, bytes: [UInt8]) -> [ImageLink] {
        var out: [ImageLink] = [], sources: [Range<Int>] = []
        appendLinks(of: token, isImg: isImg, view: view, bytes: bytes, sources: &sources, to: &out)
        return out
    }

    /// `links(of:isImg:view:bytes:)` appended to `out`; `sources` is scratch (emptied first).
    package static func appendLinks(of token: HTMLToken, isImg: Bool, view: HTMLView, bytes: [UInt8],
                                    sources: inout [Range<Int>], to out: inout [ImageLink]) {
        let read = bytes.withUnsafeBufferPointer {
            readSources($0, view.attributes, token.attributeIndices, isImg: isImg, into: &sources)
        }
        appendImageLinks(of: token, isImg: isImg, sources: sources, sawAttribute: read.sawAttribute, alt: read.alt, to: &out)
    }

    /// An image tag's sources in attribute order, its alt text, and whether it has any source
    /// attribute at all, from its attributes `attributes[indices]`: one reading for HTML documents
    /// (the tokenizer's attributes) and raw HTML in Markdown (the line scanner's), so that a lazy
    /// loader's `src=""` placeholder or a `data-src` is the same image in either. As
    /// `attributeValue(_:named:in:)` reads them: the first attribute of each lazy name decides
    /// whether that name has a value; the first `alt` is the alt text. `sources` is emptied first.
    /// (The attributes read by index: a slice of the view's array retained and released it per tag.)
    @inline(__always)
    package static func readSources<A: ImageTagAttribute>(_ bytes: UnsafeBufferPointer<UInt8>, _ attributes: [A], _ indices: Range<Int>,
                                                          isImg: Bool, into sources: inout [Range<Int>]) -> (sawAttribute: Bool, alt: Range<Int>?) {
        var lazySeen: UInt8 = 0, hasLazy = false
        var altText: Range<Int>?
        for k in indices {
            let attribute = attributes[k]
            let role = attributeRole(bytes, attribute.name)
            if role & lazy != 0 {
                let bit: UInt8 = 1 << (role >> 4)
                if lazySeen & bit == 0 {
                    lazySeen |= bit
                    // A blank lazy attribute loads nothing: it makes no placeholder of `src=""`.
                    if let value = attribute.value, !isBlank(bytes, value) { hasLazy = true }
                }
            } else if role == alt, isImg, altText == nil {
                altText = attribute.value ?? (attribute.name.upperBound..<attribute.name.upperBound)
            }
        }
        sources.removeAll(keepingCapacity: true)
        var sawAttribute = false
        for k in indices {
            let attribute = attributes[k]
            let role = attributeRole(bytes, attribute.name)
            if isImg, role & singleURL != 0 {
                sawAttribute = true
                let value = attribute.value ?? (attribute.name.upperBound..<attribute.name.upperBound)
                // `src=""` next to `data-src` is the lazy loader's placeholder, not a broken image.
                if hasLazy && isBlank(bytes, value) { continue }
                sources.append(value)
            } else if role & candidateList != 0 {
                sawAttribute = true
                guard let value = attribute.value else { continue }
                appendCandidateURLs(bytes, value, to: &sources)
            }
        }
        return (sawAttribute, altText)
    }

    /// The links of a tag from its sources in attribute order: the first carries the alt text, the
    /// others are alternates; an `<img>` with no source attribute at all is one broken link.
    /// The scan appends in place (`appendImageLinks`); this returning form is for the tests.
    package static func imageLinks(of token: HTMLToken, isImg: Bool, sources: [Range<Int>], sawAttribute: Bool, alt: Range<Int>?) -> [ImageLink] {
        var out: [ImageLink] = []
        appendImageLinks(of: token, isImg: isImg, sources: sources, sawAttribute: sawAttribute, alt: alt, to: &out)
        return out
    }

    /// `imageLinks(of:isImg:sources:sawAttribute:alt:)` appended to `out`.
    package static func appendImageLinks(of token: HTMLToken, isImg: Bool, sources: [Range<Int>], sawAttribute: Bool, alt: Range<Int>?,
                                         to out: inout [ImageLink]) {
        if sources.isEmpty {
            // `<source>` without a candidate is ignored by browsers; an `<img>` without any source is broken.
            guard isImg, !sawAttribute else { return }
            out.append(ImageLink(kind: .html, range: token.range, alt: alt, source: nil, label: nil, syntaxProblem: "<img> has no src attribute"))
            return
        }
        for (index, source) in sources.enumerated() {
            var link = ImageLink(kind: .html, range: token.range, alt: index == 0 ? alt : nil, source: source, label: nil, syntaxProblem: nil)
            link.isAlternate = !isImg || index > 0
            out.append(link)
        }
    }

    package static func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        range.allSatisfy { HTMLView.isSpace(bytes[$0]) }
    }

    package static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.allSatisfy { HTMLView.isSpace(bytes[$0]) }
    }

    /// The URL byte ranges of a `srcset` value, after the HTML "parse a srcset attribute"
    /// algorithm: candidates separated by commas, each a URL up to whitespace followed by optional
    /// descriptors (`414w`, `2x`); a URL's trailing commas end the candidate. Commas inside a URL
    /// (`?w=1,2`) stay part of it. The scan appends in place (`appendCandidateURLs`); this returning
    /// form is for the tests' reference (`HTMLImageTests` checks whole scans, srcset included,
    /// against written-out links).
    package static func candidateURLs(_ bytes: [UInt8], _ value: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        appendCandidateURLs(bytes, value, to: &out)
        return out
    }

    /// `candidateURLs` appended to `out`.
    package static func appendCandidateURLs(_ bytes: [UInt8], _ value: Range<Int>, to out: inout [Range<Int>]) {
        bytes.withUnsafeBufferPointer { appendCandidateURLs($0, value, to: &out) }
    }

    /// The same over a buffer (the Markdown scanner's raw `<img srcset>` and `<source srcset>`).
    package static func appendCandidateURLs(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Range<Int>, to out: inout [Range<Int>]) {
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
    }
}

/// An attribute of an image tag as `HTMLImageScanner.readSources` reads it: the tokenizer's
/// `HTMLAttribute` in HTML documents, `ImageScanner.RawAttribute` in Markdown's raw HTML.
package protocol ImageTagAttribute {
    var name: Range<Int> { get }
    var value: Range<Int>? { get }
}

extension HTMLAttribute: ImageTagAttribute {}
