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
extension ProseMask {
    /// The byte ranges of `document`'s raw HTML blocks of types 1 and 2 (see above), in order and disjoint.
    package static func findRawHTMLBlocks(_ document: Document) -> [Range<Int>] {
        guard !document.isHTMLFile, let body = document.bodyLines else { return [] }
        let starts = document.lineStarts
        var spans: [Range<Int>] = []
        document.bytes.withUnsafeBufferPointer { buf in
            let last = body.upperBound
            var n = body.lowerBound
            while n <= last {
                defer { n &+= 1 }
                // Most lines start with neither `<` nor a space: one byte read tells.
                let first = buf[starts[n &- 1]]
                guard first == 0x3C || first == 0x20 else { continue }
                let line = document.contentRange(ofLine: n)
                var i = line.lowerBound
                while i < line.upperBound, i &- line.lowerBound < 3, buf[i] == 0x20 { i &+= 1 }
                guard i < line.upperBound, buf[i] == 0x3C, !document.isCode(line: n),
                      let kind = blockKind(buf, at: i, end: line.upperBound) else { continue }
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

    /// The two kinds of HTML block masked: 1 (a script, style, `pre` or `textarea` element) and 2 (a comment).
    enum RawHTMLBlockKind { case element, comment }

    /// The tag names of type 1, lower case.
    private static let elementNames: [[UInt8]] = ["script", "pre", "style", "textarea"].map { Array($0.utf8) }

    /// The kind of block opened by the `<` at `i` (the line's first byte after its indent), or nil.
    private static func blockKind(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> RawHTMLBlockKind? {
        if i &+ 4 <= end, buf[i &+ 1] == 0x21, buf[i &+ 2] == 0x2D, buf[i &+ 3] == 0x2D { return .comment }
        for name in elementNames {
            let after = i &+ 1 &+ name.count
            guard after <= end, matchesIgnoringCase(buf, at: i &+ 1, name) else { continue }
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
                        if close < end, buf[close] == 0x3E, matchesIgnoringCase(buf, at: k &+ 2, name) { return close &+ 1 }
                    }
                }
                k &+= 1
            }
        }
        return nil
    }

    /// Whether the bytes at `i` are `name` (lower-case ASCII letters), letters in either case.
    private static func matchesIgnoringCase(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, _ name: [UInt8]) -> Bool {
        guard i &+ name.count <= buf.count else { return false }
        for (k, letter) in name.enumerated() where buf[i &+ k] | 0x20 != letter { return false }
        return true
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
