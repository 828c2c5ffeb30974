import Foundation
import NewsLintCore

/// The raw HTML blocks of a Markdown document whose text no reader sees as the page's prose:
/// CommonMark's HTML blocks of type 1 (`<script>`, `<style>`, `<pre>`, `<textarea>`) and type 2
/// (`<!-- … -->`), possibly over many lines. Markdown passes them through as written: a script's
/// strings (`var s = "资料";`), a style's `content: "（"`, a commented-out draft are code or hidden,
/// not text a fix may rewrite or a count of the page's script may weigh. `pre` and `textarea` are
/// what the HTML view hides too (`VisibleText`: shown as written, like a fenced code block).
///
/// As in CommonMark: a block starts at a line outside a fenced code block that begins, after at
/// most three spaces, with `<!--` (type 2) or with `<script`, `<pre`, `<style` or `<textarea` in
/// any case followed by a space, a tab, `>` or the line's end (type 1); it ends on the first line,
/// from the start line on, holding `-->` (type 2) or any of `</script>`, `</pre>`, `</style>`,
/// `</textarea>` in any case (type 1); never closed, it runs to the end of the document. Both
/// types may interrupt a paragraph. The span masked runs from the start line's first byte to the
/// end of the closing `-->` or end tag: text after it on that line is shown by a browser (the
/// markup is closed), and is left to prose. Each line is read once: a block's lines are searched
/// for its end, and the search for the next start goes on after the line it ended on.
///
/// Not HTML documents (their HTML view hides these already), and not block containers: a block
/// inside a list item or a block quote (`> <!--`) is left to the line walks, as before.
///
/// The same walk finds the link reference definitions written on one line (`isLinkDefinition`):
/// `[ref]: /圖片/香港(一).jpg` or `[1]: https://x.hk/a(b).html "標題"` holds an address (a bare
/// path, which no URL mask sees) and a title. The whole line is masked: no part of it is shown
/// as the page's text (the label and the address are not shown at all; the title is the `title`
/// attribute of each link using the definition, a tooltip, which the HTML view masks as every
/// attribute value, and the line walk masks within an inline link's `](… "title")`).
extension ProseMask {
    /// The byte ranges of `document`'s raw HTML blocks of types 1 and 2 and its link reference
    /// definitions on one line (see above), in order and disjoint.
    package static func findRawHTMLBlocks(_ document: Document) -> [Range<Int>] {
        guard !document.isHTMLFile, let body = document.bodyLines else { return [] }
        let starts = document.lineStarts
        var spans: [Range<Int>] = []
        document.bytes.withUnsafeBufferPointer { buf in
            // A block opens with `<` and a definition holds `]:`: a body without either (every
            // Markdown post of agora-pen) has neither, told by a `memchr` or two instead of a read of
            // every line's first byte (0.54 M instructions at agora ×1 cold; 0.24 M now).
            guard Self.mayHoldBlockOrDefinition(buf, from: starts[body.lowerBound &- 1]) else { return }
            let last = body.upperBound
            var n = body.lowerBound
            // Whether line `n - 1` was a definition taken (a definition may follow one directly).
            var afterDefinition = false
            while n <= last {
                defer { n &+= 1 }
                // Most lines start with neither `<`, `[` nor a space: one byte read tells.
                let first = buf[starts[n &- 1]]
                let followsDefinition = afterDefinition
                afterDefinition = false
                guard first == 0x3C || first == 0x5B || first == 0x20 else { continue }
                let line = document.contentRange(ofLine: n)
                var i = line.lowerBound
                while i < line.upperBound, i &- line.lowerBound < 3, buf[i] == 0x20 { i &+= 1 }
                guard i < line.upperBound, buf[i] == 0x3C || buf[i] == 0x5B, !document.isCode(line: n) else { continue }
                if buf[i] == 0x5B {
                    // A definition cannot interrupt a paragraph: it follows the body's start, a blank
                    // line, a fenced code block or another definition.
                    let opensBlock = n == body.lowerBound || followsDefinition || document.isCode(line: n &- 1)
                        || isBlank(buf, document.contentRange(ofLine: n &- 1))
                    if opensBlock, isLinkDefinition(buf, at: i, end: line.upperBound) {
                        spans.append(line)
                        afterDefinition = true
                    }
                    continue
                }
                guard let kind = blockKind(buf, at: i, end: line.upperBound) else { continue }
                var m = n
                var end: Int?
                while m <= last {
                    let searched = m == n ? i..<line.upperBound : document.contentRange(ofLine: m)
                    if let found = closeEnd(kind, buf, searched) { end = found; break }
                    m &+= 1
                }
                guard let end else {
                    spans.append(line.lowerBound..<buf.count)
                    return
                }
                spans.append(line.lowerBound..<end)
                n = m
            }
        }
        return spans
    }

    /// Whether `buf` from `start` holds a `<` or a `]` followed by `:`: without them no line opens a
    /// raw HTML block nor is a link definition.
    private static func mayHoldBlockOrDefinition(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard let base = buf.baseAddress, start < buf.count else { return false }
        let end = base + buf.count
        if memchr(base + start, 0x3C, buf.count &- start) != nil { return true }
        var p = base + start
        while p < end, let hit = memchr(p, 0x5D, end - p) {
            let bracket = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
            if bracket + 1 < end, bracket[1] == 0x3A { return true }
            p = bracket + 1
        }
        return false
    }

    /// Whether `range` holds only spaces and tabs.
    private static func isBlank(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for k in range where buf[k] != 0x20 && buf[k] != 0x09 { return false }
        return true
    }

    /// Whether the line from the `[` at `i` to `end` is a link reference definition (CommonMark),
    /// all on the line: a label (no unescaped bracket, some text, not a footnote's `^`), `:`, a
    /// destination (`<…>`, or text without spaces or controls whose parentheses are balanced), and
    /// then nothing, or spaces and a title (`"…"`, `'…'`, `(…)`) and nothing after it but spaces.
    static func isLinkDefinition(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Bool {
        var k = i &+ 1
        guard k < end, buf[k] != 0x5E else { return false }
        var hasText = false
        while k < end, buf[k] != 0x5D {
            let b = buf[k]
            if b == 0x5B { return false }
            if b != 0x20 && b != 0x09 { hasText = true }
            k &+= b == 0x5C ? 2 : 1
        }
        guard hasText, k &+ 1 < end, k &- i <= 1000, buf[k &+ 1] == 0x3A else { return false }
        k &+= 2
        while k < end, buf[k] == 0x20 || buf[k] == 0x09 { k &+= 1 }
        guard k < end else { return false }
        if buf[k] == 0x3C {
            k &+= 1
            while k < end, buf[k] != 0x3E {
                if buf[k] == 0x3C { return false }
                k &+= buf[k] == 0x5C ? 2 : 1
            }
            guard k < end else { return false }
            k &+= 1
        } else {
            var depth = 0
            while k < end, buf[k] > 0x20, buf[k] != 0x7F {
                switch buf[k] {
                case 0x5C: k &+= 1
                case 0x28: depth &+= 1
                case 0x29:
                    depth &-= 1
                    if depth < 0 { return false }
                default: break
                }
                k &+= 1
            }
            guard depth == 0, k >= end || buf[k] == 0x20 || buf[k] == 0x09 else { return false }
        }
        let destinationEnd = k
        while k < end, buf[k] == 0x20 || buf[k] == 0x09 { k &+= 1 }
        guard k < end else { return true }
        // A title, after at least one space.
        guard k > destinationEnd else { return false }
        let open = buf[k]
        let close: UInt8
        switch open {
        case 0x22, 0x27: close = open
        case 0x28: close = 0x29
        default: return false
        }
        k &+= 1
        while k < end, buf[k] != close {
            if open == 0x28 && buf[k] == 0x28 { return false }
            k &+= buf[k] == 0x5C ? 2 : 1
        }
        guard k < end else { return false }
        return isBlank(buf, (k &+ 1)..<end)
    }

    /// The two kinds of HTML block masked: 1 (a script, style, `pre` or `textarea` element) and 2 (a comment).
    enum RawHTMLBlockKind { case element, comment }

    /// The tag names of type 1, lower case.
    private static let elementNames: [[UInt8]] = ["script", "pre", "style", "textarea"].map { Array($0.utf8) }

    /// The kind of block opened by the `<` at `i` (the line's first byte after its indent), or nil.
    private static func blockKind(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> RawHTMLBlockKind? {
        if i &+ 4 <= end, buf[i &+ 1] == 0x21, buf[i &+ 2] == 0x2D, buf[i &+ 3] == 0x2D { return .comment }
        for name in elementNames {
            let after = i &+ 1 &+ name.count
            guard after <= end, ASCIICase.hasPrefix(buf, at: i &+ 1, name, end: end) else { continue }
            if after == end { return .element }
            switch buf[after] {
            case 0x20, 0x09, 0x3E, 0x0D: return .element
            default: continue
            }
        }
        return nil
    }

    /// The end of the first closing marker of `kind` in `range` (`-->`; `</script>`, `</pre>`,
    /// `</style>`, `</textarea>` in any case), or nil.
    private static func closeEnd(_ kind: RawHTMLBlockKind, _ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var k = range.lowerBound
        let end = range.upperBound
        switch kind {
        case .comment:
            while k &+ 3 <= end {
                if buf[k] == 0x2D, buf[k &+ 1] == 0x2D, buf[k &+ 2] == 0x3E { return k &+ 3 }
                k &+= 1
            }
        case .element:
            while k &+ 2 < end {
                if buf[k] == 0x3C, buf[k &+ 1] == 0x2F {
                    for name in elementNames {
                        let close = k &+ 2 &+ name.count
                        if close < end, buf[close] == 0x3E, ASCIICase.hasPrefix(buf, at: k &+ 2, name, end: end) { return close &+ 1 }
                    }
                }
                k &+= 1
            }
        }
        return nil
    }

    /// The union of two lists of byte ranges, each in order and disjoint: in order and disjoint
    /// (touching or overlapping ranges joined), as `LiquidAcrossLines.covered` reads them.
    package static func union(_ a: [Range<Int>], _ b: [Range<Int>]) -> [Range<Int>] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var merged: [Range<Int>] = []
        merged.reserveCapacity(a.count &+ b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let next: Range<Int>
            if j == b.count || i < a.count && a[i].lowerBound <= b[j].lowerBound { next = a[i]; i &+= 1 } else { next = b[j]; j &+= 1 }
            if let previous = merged.last, next.lowerBound <= previous.upperBound {
                merged[merged.count &- 1] = previous.lowerBound..<max(previous.upperBound, next.upperBound)
            } else {
                merged.append(next)
            }
        }
        return merged
    }
}
