import Foundation
import NewsLintCore

/// One image reference found in a document body.
public struct ImageLink: Sendable, Equatable {
    public enum Kind: String, Sendable { case inline, reference, html }
    public var kind: Kind
    /// Bytes of the whole construct (`![…](…)`, `![…][…]`, `<img …>`), on one line.
    public var range: Range<Int>
    /// Alt text bytes (nil for `<img>` without an `alt` attribute).
    public var alt: Range<Int>?
    /// Source bytes (for references: the definition's destination), nil when absent or malformed.
    public var source: Range<Int>?
    /// The reference label as written (reference images only).
    public var label: String?
    /// A syntax problem that makes the image broken regardless of its source.
    public var syntaxProblem: String?
    /// A further source of the same image (`srcset` candidates, `data-src`, `<picture><source>`):
    /// checked like any source, but not a separate image for alt-text rules.
    public var isAlternate = false
    /// Where `syntaxProblem` lies when that is narrower than `range` (the whitespace inside an
    /// unwrapped source); nil: the whole image.
    public var problemRange: Range<Int>?
}

/// Byte-level scanner for images in Markdown bodies: inline images (with `<…>`
/// destinations, balanced parentheses and titles), full/collapsed/shortcut reference
/// images resolved against link reference definitions, and HTML `<img>` tags.
/// Fenced code, code spans and HTML comments are skipped; one pass per line, no regexes.
public enum ImageScanner {
    /// A link reference definition `[label]: destination "title"`.
    package struct Definition {
        package var line: Int
        package var destination: Range<Int>?
    }

    public static func scan(_ document: Document) -> [ImageLink] {
        // An HTML document is read from its tokens (srcset, <picture>, lazy-loading attributes).
        if document.isHTMLFile { return HTMLImageScanner.scan(document) }
        guard let lines = document.bodyLines else { return [] }
        let bytes = document.bytes
        // Quick reject: no `![` and no `<img` anywhere means no images.
        guard containsCandidate(bytes, from: document.bodyStart) else { return [] }
        var definitions: [String: Definition] = [:]
        var out: [ImageLink] = []
        bytes.withUnsafeBufferPointer { buf in
            // Pass 1: reference definitions (first definition of a label wins, as in CommonMark).
            for n in lines where !document.isCode(line: n) {
                let r = document.contentRange(ofLine: n)
                if let (label, dest) = parseDefinition(buf, r), definitions[label] == nil {
                    definitions[label] = Definition(line: n, destination: dest)
                }
            }
            // Pass 2: images.
            var inComment = false
            for n in lines where !document.isCode(line: n) {
                let r = document.contentRange(ofLine: n)
                var memo = LineMemo()
                scanLine(buf, r, definitions: definitions, inComment: &inComment, into: &out, memo: &memo)
            }
        }
        return out
    }

    @inline(__always) package static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// Whether `![` or `<i`/`<I` occurs from `start` on. Only a `!` or `<` can start one: the text
    /// between them is skipped eight bytes per step (a byte loop over every Markdown body showed in profiles).
    package static func containsCandidate(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBytes { raw in
            let end = raw.count - 1  // a candidate's first byte has one after it
            var i = start
            while i < end {
                i = ByteWords.firstIndex(of: 0x21, or: 0x3C, in: raw, from: i, to: end)
                guard i < end else { return false }
                if raw[i] == 0x21 && raw[i + 1] == 0x5B { return true }                   // ![
                if raw[i] == 0x3C && (raw[i + 1] | 0x20) == 0x69 { return true }          // <i
                if raw[i] == 0x3C && isSourceTagName(raw, i + 1) { return true }          // <source
                i += 1
            }
            return false
        }
    }

    /// Whether `source` (ASCII case folded) starts at `i`: `<source srcset>` is the one other tag
    /// that holds images (`<s…>` alone would let every `<span>`/`<strong>` through the quick reject).
    @inline(__always) package static func isSourceTagName(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        guard i + 6 <= raw.count else { return false }
        return raw[i] | 0x20 == 0x73 && raw[i + 1] | 0x20 == 0x6F && raw[i + 2] | 0x20 == 0x75
            && raw[i + 3] | 0x20 == 0x72 && raw[i + 4] | 0x20 == 0x63 && raw[i + 5] | 0x20 == 0x65
    }

    /// Normalised reference label: ASCII case-folded, inner whitespace collapsed, trimmed.
    package static func normalizeLabel(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var pendingSpace = false
        for i in r {
            var b = buf[i]
            if isSpace(b) || b == 0x0A || b == 0x0D {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses `[label]: dest` (up to three spaces of indent). Returns the label and the
    /// destination range (nil when the destination is missing).
    package static func parseDefinition(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (String, Range<Int>?)? {
        var i = r.lowerBound
        var indent = 0
        while i < r.upperBound && buf[i] == 0x20 && indent < 4 { i += 1; indent += 1 }
        guard indent < 4, i < r.upperBound, buf[i] == 0x5B else { return nil }
        let labelStart = i + 1
        var j = labelStart
        while j < r.upperBound && buf[j] != 0x5D {
            if buf[j] == 0x5C { j += 1 } else if buf[j] == 0x5B { return nil }
            j += 1
        }
        guard j < r.upperBound, j + 1 < r.upperBound, buf[j + 1] == 0x3A else { return nil }
        let label = normalizeLabel(buf, labelStart..<j)
        guard !label.isEmpty, !label.hasPrefix("^") else { return nil } // `[^1]:` is a footnote
        var k = j + 2
        while k < r.upperBound && isSpace(buf[k]) { k += 1 }
        if k == r.upperBound { return (label, nil) }
        if buf[k] == 0x3C {
            var e = k + 1
            while e < r.upperBound && buf[e] != 0x3E { e += 1 }
            return (label, e < r.upperBound ? (k + 1)..<e : nil)
        }
        var e = k
        var memo = LineMemo()
        while e < r.upperBound && !isSpace(buf[e]) {
            e = buf[e] == 0x7B ? skipTemplateTag(buf, e, r.upperBound, memo: &memo) ?? e + 1 : e + 1
        }
        return (label, k..<e)
    }

    /// Skips a code span starting at the backtick run at `i`. A run without a matching
    /// closer on this line is literal text: then only the run itself is skipped.
    package static func skipCodeSpan(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (after: Int, isSpan: Bool) {
        var memo = LineMemo()
        return skipCodeSpan(buf, i, end, memo: &memo)
    }

    /// What earlier searches on a line learned, so adversarial lines (`![` a million times, backtick
    /// runs of every length) are scanned a bounded number of times instead of once per opener.
    package struct LineMemo {
        /// For the `[` at p: its closer's index (nil: none on the line), keyed by p + 1.
        package var closers: [Int: Int?] = [:]
        /// The line's code span pairing so far (`MarkdownCode.codeSpanEnd`): where searches for a
        /// closing run found none, so that runs of many lengths are not each searched to the line's end.
        package var backticks = MarkdownCode.BacktickUnclosed()
        /// For a template tag's closer (`}` of `}}`, `%` of `%}`): the last search's start and what it
        /// found (nil: none on the rest of the line), so `![a]({{ ` repeated along a line is not
        /// searched to its end once per image.
        package var tagCloser: [UInt8: (from: Int, at: Int?)] = [:]
    }

    /// The index after the template tag (`{{ … }}`, `{% … %}`) opening at `i`, or nil when no tag opens
    /// there or it is not closed on the line. Site generators render these before Markdown is parsed,
    /// so a tag (spaces, quotes and all) is one opaque piece of a source.
    package static func skipTemplateTag(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int, memo: inout LineMemo) -> Int? {
        guard i + 1 < end, buf[i] == 0x7B, buf[i + 1] == 0x7B || buf[i + 1] == 0x25 else { return nil }
        let closer: UInt8 = buf[i + 1] == 0x7B ? 0x7D : 0x25
        let from = i + 2
        if let known = memo.tagCloser[closer], known.from <= from, known.at.map({ from <= $0 }) ?? true {
            return known.at.map { $0 + 2 }
        }
        var k = from
        while k + 1 < end, !(buf[k] == closer && buf[k + 1] == 0x7D) { k += 1 }
        let at: Int? = k + 1 < end ? k : nil
        memo.tagCloser[closer] = (from, at)
        return at.map { $0 + 2 }
    }

    /// The code span opened by the backtick run at `i` (to the line's `end`), paired as CommonMark
    /// pairs them by core's one pairing (`MarkdownCode.codeSpanEnd`, shared with the suppression
    /// comments and the prose mask). The scan asks about openers out of order (a bracket's search
    /// runs ahead of the line's scan), which that pairing answers as a fresh search would; the
    /// document's bytes up to the line's end are its line, so positions stay the document's.
    package static func skipCodeSpan(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int, memo: inout LineMemo) -> (after: Int, isSpan: Bool) {
        var j = i
        while j < end && buf[j] == 0x60 { j += 1 }
        let line = UnsafeBufferPointer(start: buf.baseAddress, count: end)
        if let close = MarkdownCode.codeSpanEnd(line, at: i, length: j - i, unclosed: &memo.backticks) { return (close, true) }
        return (j, false)
    }

    package static func scanLine(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, definitions: [String: Definition],
                         inComment: inout Bool, into out: inout [ImageLink], memo: inout LineMemo) {
        var i = r.lowerBound
        let end = r.upperBound
        // A definition line is not an image (its destination is checked when an image uses it).
        if parseDefinition(buf, r) != nil { return }
        while i < end {
            if inComment {
                if buf[i] == 0x2D && i + 2 < end && buf[i + 1] == 0x2D && buf[i + 2] == 0x3E { inComment = false; i += 3 } else { i += 1 }
                continue
            }
            let b = buf[i]
            switch b {
            case 0x5C: // backslash escape
                i += 2
            case 0x60: // code span
                i = skipCodeSpan(buf, i, end, memo: &memo).after
            case 0x3C: // <
                if i + 3 < end && buf[i + 1] == 0x21 && buf[i + 2] == 0x2D && buf[i + 3] == 0x2D {
                    inComment = true
                    i += 4
                } else if let next = parseHTMLImage(buf, i, end, memo: &memo, into: &out) {
                    i = next
                } else {
                    i += 1
                }
            case 0x21 where i + 1 < end && buf[i + 1] == 0x5B: // ![
                if let (link, next) = parseMarkdownImage(buf, i, end, definitions: definitions, memo: &memo) {
                    out.append(link)
                    i = next
                } else {
                    i += 2
                }
            default:
                i += 1
            }
        }
    }

    /// Finds the `]` closing the bracket opened before `start`, honouring nesting, escapes and code spans.
    /// The scan is stateless apart from the depth, so a nested `[` at q sees exactly what a fresh
    /// search from q + 1 would: its closer is memoised on the way, and no line is rescanned per opener.
    package static func closingBracket(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, memo: inout LineMemo) -> Int? {
        if let known = memo.closers[start] { return known }
        var open: [Int] = []
        var i = start
        while i < end {
            switch buf[i] {
            case 0x5C: i += 2; continue
            case 0x60:
                let s = skipCodeSpan(buf, i, end, memo: &memo)
                i = s.after
                continue
            case 0x5B: open.append(i + 1)
            case 0x5D:
                guard let inner = open.popLast() else {
                    memo.closers[start] = .some(i)
                    return i
                }
                memo.closers[inner] = .some(i)
            default: break
            }
            i += 1
        }
        for inner in open { memo.closers[inner] = .some(nil) }
        memo.closers[start] = .some(nil)
        return nil
    }

    package static func parseMarkdownImage(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                   definitions: [String: Definition], memo: inout LineMemo) -> (ImageLink, Int)? {
        let altStart = start + 2
        guard let altEnd = closingBracket(buf, altStart, end, memo: &memo) else { return nil }
        let alt = altStart..<altEnd
        var i = altEnd + 1
        if i < end && buf[i] == 0x28 { // (
            return parseInline(buf, start, alt, i, end, memo: &memo)
        }
        var label: Range<Int> = alt
        if i < end && buf[i] == 0x5B { // [label] or []
            guard let close = closingBracket(buf, i + 1, end, memo: &memo) else {
                let link = ImageLink(kind: .reference, range: start..<end, alt: alt, source: nil, label: nil,
                                     syntaxProblem: "unclosed reference label '['")
                return (link, end)
            }
            if close > i + 1 { label = (i + 1)..<close }
            i = close + 1
        }
        let key = normalizeLabel(buf, label)
        let labelText = String(decoding: UnsafeBufferPointer(rebasing: buf[label]), as: UTF8.self)
        var link = ImageLink(kind: .reference, range: start..<i, alt: alt, source: nil, label: labelText, syntaxProblem: nil)
        if let def = definitions[key] {
            link.source = def.destination
            if def.destination == nil { link.syntaxProblem = "reference '\(labelText)' (line \(def.line)) has no destination" }
        } else {
            link.syntaxProblem = key.isEmpty ? "image has an empty reference label" : "undefined reference label '\(labelText)'"
        }
        return (link, i)
    }

    /// Parses the `(…)` part of an inline image; `open` indexes the `(`.
    package static func parseInline(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ alt: Range<Int>, _ open: Int, _ end: Int,
                                    memo: inout LineMemo) -> (ImageLink, Int) {
        var link = ImageLink(kind: .inline, range: start..<end, alt: alt, source: nil, label: nil, syntaxProblem: nil)
        func fail(_ message: String, at next: Int) -> (ImageLink, Int) {
            link.syntaxProblem = message
            link.range = start..<next
            return (link, next)
        }
        var i = open + 1
        while i < end && isSpace(buf[i]) { i += 1 }
        if i < end && buf[i] == 0x3C { // <destination>
            var e = i + 1
            while e < end && buf[e] != 0x3E && buf[e] != 0x3C {
                if buf[e] == 0x5C { e += 1 }
                e += 1
            }
            guard e < end, buf[e] == 0x3E else { return fail("unclosed '<' in image source", at: end) }
            link.source = (i + 1)..<min(e, end)
            i = e + 1
        } else {
            var depth = 0
            var sawParen = false
            let s = i
            while i < end {
                let c = buf[i]
                if c == 0x5C { i += 2; continue }
                if c == 0x7B, let after = skipTemplateTag(buf, i, end, memo: &memo) { i = after; continue }
                if isSpace(c) || c < 0x20 { break }
                if c == 0x28 { depth += 1; sawParen = true } else if c == 0x29 {
                    if depth == 0 { break }
                    depth -= 1
                }
                i += 1
            }
            i = min(i, end)
            if i == end {
                // `a_(1.png)` at the end of the line: the inner `(` swallowed the closing `)`.
                return fail(depth > 0 || sawParen ? "unbalanced parentheses in image source" : "unclosed '](' in image", at: end)
            }
            link.source = s..<i
        }
        // Optional title, then `)`.
        var j = i
        while j < end && isSpace(buf[j]) { j += 1 }
        if j < end && buf[j] == 0x29 {
            link.range = start..<(j + 1)
            return (link, j + 1)
        }
        if j > i, j < end, buf[j] == 0x22 || buf[j] == 0x27 || buf[j] == 0x28 {
            let closer: UInt8 = buf[j] == 0x28 ? 0x29 : buf[j]
            var k = j + 1
            while k < end && buf[k] != closer {
                if buf[k] == 0x5C { k += 1 }
                k += 1
            }
            if k < end {
                var m = k + 1
                while m < end && isSpace(buf[m]) { m += 1 }
                if m < end && buf[m] == 0x29 {
                    link.range = start..<(m + 1)
                    return (link, m + 1)
                }
            }
        }
        // Something other than a title follows the source: whitespace inside an unwrapped
        // source (`![](a b.png)`) or a missing `)`.
        var close = j
        while close < end && buf[close] != 0x29 { close += 1 }
        if close == end { return fail("unclosed '](' in image", at: end) }
        if link.source.map({ buf[$0.lowerBound - 1] == 0x3C }) == true {
            return fail("unexpected text after the image source", at: close + 1)
        }
        link.problemRange = i..<j
        return fail("whitespace in image source (wrap it in <…> or encode it as %20)", at: close + 1)
    }

    /// An attribute of a raw `<img>`/`<source>` tag in Markdown, as the line scanner reads it.
    package struct RawAttribute: ImageTagAttribute {
        package var name: Range<Int>
        package var value: Range<Int>?
    }

    /// Parses `<img …>` or `<source …>` at `start` (case-insensitive), appending its links to `out`
    /// as the HTML scanner makes them, from the same reading of the attributes
    /// (`HTMLImageScanner.readSources`): every `src`, lazy-loading attribute (`data-src`,
    /// `data-original`, `data-lazy-src`) and candidate URL of `srcset`/`data-srcset` in attribute
    /// order, the first carrying the alt text and the others alternates; a blank `src` beside a
    /// lazy-loading attribute is the loader's placeholder, not a source. A `<source>`'s candidates
    /// are all alternates, and one without `srcset` is passed over: `<source src>` is
    /// `<video>`/`<audio>` media, and `srcset` is only valid in `<picture>`, so no `<picture>`
    /// nesting is tracked across lines. Returns nil when this is neither tag.
    package static func parseHTMLImage(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, memo: inout LineMemo,
                                       into out: inout [ImageLink]) -> Int? {
        let isImg: Bool
        if start + 4 <= end, buf[start + 1] | 0x20 == 0x69, buf[start + 2] | 0x20 == 0x6D, buf[start + 3] | 0x20 == 0x67 {
            isImg = true
        } else if start + 7 <= end, buf[start + 1] | 0x20 == 0x73, buf[start + 2] | 0x20 == 0x6F, buf[start + 3] | 0x20 == 0x75,
                  buf[start + 4] | 0x20 == 0x72, buf[start + 5] | 0x20 == 0x63, buf[start + 6] | 0x20 == 0x65 {
            isImg = false
        } else {
            return nil
        }
        let nameEnd = start + (isImg ? 4 : 7)
        guard nameEnd == end || isSpace(buf[nameEnd]) || buf[nameEnd] == 0x2F || buf[nameEnd] == 0x3E else { return nil }
        var i = nameEnd
        var closed = false
        var attributes: [RawAttribute] = []
        while i < end {
            while i < end && (isSpace(buf[i]) || buf[i] == 0x2F) { i += 1 }
            if i >= end { break }
            if buf[i] == 0x3E { closed = true; i += 1; break }
            let nameStart = i
            while i < end && !isSpace(buf[i]) && buf[i] != 0x3D && buf[i] != 0x3E && buf[i] != 0x2F { i += 1 }
            let name = nameStart..<i
            while i < end && isSpace(buf[i]) { i += 1 }
            var value: Range<Int>?
            if i < end && buf[i] == 0x3D {
                i += 1
                while i < end && isSpace(buf[i]) { i += 1 }
                if i < end && (buf[i] == 0x22 || buf[i] == 0x27) {
                    let q = buf[i]
                    let vs = i + 1
                    var ve = vs
                    // A template tag may hold the quote (`src="{{ "/a.png" | relative_url }}"`).
                    while ve < end && buf[ve] != q {
                        ve = buf[ve] == 0x7B ? skipTemplateTag(buf, ve, end, memo: &memo) ?? ve + 1 : ve + 1
                    }
                    value = vs..<ve
                    i = min(ve + 1, end)
                } else {
                    let vs = i
                    while i < end && !isSpace(buf[i]) && buf[i] != 0x3E { i += 1 }
                    value = vs..<i
                }
            }
            attributes.append(RawAttribute(name: name, value: value))
        }
        let range = start..<i
        var sources: [Range<Int>] = []
        let read = HTMLImageScanner.readSources(buf, attributes, attributes.indices, isImg: isImg, into: &sources)
        if sources.isEmpty {
            // A `<source>` without candidates is not an image: scanned on as before (it was never one).
            guard isImg else { return nil }
            // As in HTML documents: an `<img>` with a source attribute but no URL in it (`srcset=""`) is no link.
            if read.sawAttribute { return i }
            // A tag continued on the next line may carry its src there; only a closed tag lacks it.
            guard closed else { return nil }
            out.append(ImageLink(kind: .html, range: range, alt: read.alt, source: nil, label: nil, syntaxProblem: "<img> has no src attribute"))
            return i
        }
        for (index, source) in sources.enumerated() {
            var link = ImageLink(kind: .html, range: range, alt: index == 0 ? read.alt : nil, source: source, label: nil, syntaxProblem: nil)
            link.isAlternate = !isImg || index > 0
            out.append(link)
        }
        return i
    }

    package static func asciiEqualsLower(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ word: StaticString) -> Bool {
        guard r.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for (k, i) in r.enumerated() where buf[i] | 0x20 != w[k] { return false }
        return true
    }
}
