import Foundation
import NewsLintCore

/// The Liquid (Jekyll) tags `{% … %}` and outputs `{{ … }}` of a document that open on one line and
/// close on a later one. Jekyll sites spread an include's arguments over lines:
///
///     {% include figure.html
///        src="/圖片/香港(一).jpg"
///        caption="…" %}
///
/// A line's own walk (`ProseMask.nonProse(_:from:)`) sees only the tags closed on their line, so
/// the path on the second line read as prose and `(一)` became `（一）`, breaking the image. The
/// rules that read prose mask these spans on every line they cover (`covered`), and start their
/// line's walk after a span carried into it.
///
/// As in Liquid's tokenizer, each `{%` or `{{` of the body, in order, is closed by the first `%}` or
/// `}}` after it, and the text after that close is read on. Liquid sets no bound (an unclosed tag is
/// a template error that stops the site's build), but a stray `{{` in prose must not mask the rest
/// of a file: a span is taken only when its close lies at most `linesAfterOpen` lines after its
/// opening line, with no blank line between (the paragraph ends there: an include's arguments are
/// written one a line with no blank line, and Markdown, which reads the page after Liquid, starts a
/// new block at one) and no line of a fenced code block (its text is not the page's prose: the
/// rules skip those lines, and a tag opened or closed there is an example, not this page's).
/// Otherwise the open is left to prose, as an unclosed one on a single line is.
///
/// The list the rules get (`ProseMask.spansAcrossLines`) also holds a Markdown document's raw HTML
/// blocks of types 1 and 2 (`ProseMask.findRawHTMLBlocks`), masked the same way: each starts at a
/// line's first byte, so on a line it is a range from the line's start, as a tag carried in is.
package struct LiquidAcrossLines: Sendable {
    /// Byte ranges of the document, in order and disjoint: each from a `{%` or `{{` to past its close,
    /// on a later line.
    package let spans: [Range<Int>]

    /// No span (a document without `{%` or `{{`: nearly all).
    package static let empty = LiquidAcrossLines(spans: [])

    /// Lines after its opening line that a tag may close on: an include of a dozen arguments fits.
    package static let linesAfterOpen = 15

    package init(spans: [Range<Int>]) { self.spans = spans }

    /// The scalar ranges of `run` that lie in a span, in order: on a line, at most a range from its
    /// start (a span carried in from earlier lines) and one to its end (a span going on to later lines).
    package func covered(_ run: ScalarRun) -> [Range<Int>] {
        guard !spans.isEmpty else { return [] }
        let n = run.count
        guard n > 0 else { return [] }
        let start = run.offsets[0], end = run.offsets[n]
        // The first span ending after the run's start.
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if spans[mid].upperBound <= start { lo = mid &+ 1 } else { hi = mid }
        }
        /// The first scalar of the run whose byte offset is at least `offset`.
        func firstScalar(atOrAfter offset: Int) -> Int {
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo &+ hi) &>> 1
                if run.offsets[mid] < offset { lo = mid &+ 1 } else { hi = mid }
            }
            return lo
        }
        var ranges: [Range<Int>] = []
        var k = lo
        while k < spans.count, spans[k].lowerBound < end {
            let first = firstScalar(atOrAfter: max(spans[k].lowerBound, start))
            let last = firstScalar(atOrAfter: min(spans[k].upperBound, end))
            if first < last { ranges.append(first..<last) }
            k &+= 1
        }
        return ranges
    }

    /// The count of leading scalars of `covered` (the part of a span carried into the run), or 0.
    @inline(__always)
    package static func head(_ covered: [Range<Int>]) -> Int {
        guard let first = covered.first, first.lowerBound == 0 else { return 0 }
        return first.upperBound
    }
}

extension ProseMask {
    /// The document's spans across lines that a line's own walk cannot see, found once and shared
    /// by the rules that ask: its Liquid tags across lines and, in a Markdown document, its raw HTML
    /// blocks of types 1 and 2 (`findRawHTMLBlocks`: a script, a style, a comment over many lines),
    /// joined into one list (`union`). The byte census (made anyway for the script rules) answers
    /// first for the Liquid tags: without a `{%` or `{{` anywhere there is none, and the bytes are
    /// not walked; an HTML document has no raw HTML block (its HTML view hides them), and a
    /// Markdown document's are found reading the first byte of each line (`<` or a space).
    package static func spansAcrossLines(_ document: Document) -> LiquidAcrossLines {
        let pairs = document.bytePairs
        let mayHoldLiquid = pairs.contains(0x7B, 0x25) || pairs.contains(0x7B, 0x7B)
        guard mayHoldLiquid || !document.isHTMLFile else { return .empty }
        return LiquidAcrossLines(spans: document.views.liquidAcrossLines {
            union(mayHoldLiquid ? findLiquidAcrossLines(document) : [], findRawHTMLBlocks(document))
        })
    }

    /// `LiquidAcrossLines.spans` of `document`, in one walk of its body. Each search for a close
    /// starts where the last one of its kind ended unless that close still lies ahead (the first
    /// close after an open is the first after any earlier open before it), so a body of many
    /// unclosed opens reads each byte once per kind, not once per open; the line tests read each
    /// line's blankness once.
    package static func findLiquidAcrossLines(_ document: Document) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var blank: [Int: Bool] = [:]
        /// Whether line `k` holds nothing but spaces and tabs.
        func isBlank(_ k: Int) -> Bool {
            if let known = blank[k] { return known }
            let found = document.lineBytes(k).allSatisfy { $0 == 0x20 || $0 == 0x09 }
            blank[k] = found
            return found
        }
        /// Whether a tag from line `open` to line `close` (a later one) is taken (see `LiquidAcrossLines`).
        func isTaken(from open: Int, to close: Int) -> Bool {
            guard close &- open <= LiquidAcrossLines.linesAfterOpen else { return false }
            for k in open...close where document.isCode(line: k) { return false }
            for k in (open &+ 1)..<close where isBlank(k) { return false }
            return true
        }
        document.bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            let n = buf.count
            // Per kind (0: `%}`, 1: `}}`): the first close at or after `searchedFrom` (n: none).
            var searchedFrom = [Int.max, Int.max], firstClose = [n, n]
            /// The first close of `kind` at or after `from` (`from` never decreases from call to call).
            func close(_ kind: Int, from: Int) -> Int {
                if searchedFrom[kind] <= from && from <= firstClose[kind] { return firstClose[kind] }
                let mark: UInt8 = kind == 0 ? 0x25 : 0x7D
                var k = from
                var found = n
                while k &+ 1 < n, let hit = memchr(base + k, Int32(mark), n &- 1 &- k) {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if buf[at &+ 1] == 0x7D { found = at; break }
                    k = at &+ 1
                }
                searchedFrom[kind] = from
                firstClose[kind] = found
                return found
            }
            var i = document.bodyStart
            while i &+ 1 < n, let hit = memchr(base + i, 0x7B, n &- 1 &- i) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let second = buf[at &+ 1]
                guard second == 0x25 || second == 0x7B else { i = at &+ 1; continue }
                let end = close(second == 0x25 ? 0 : 1, from: at &+ 2)
                guard end < n else { i = at &+ 1; continue }
                let openLine = document.line(ofByte: at), closeLine = document.line(ofByte: end)
                if openLine == closeLine {
                    // Closed on its line: the line's own walk masks it.
                    i = end &+ 2
                } else if isTaken(from: openLine, to: closeLine) {
                    spans.append(at..<(end &+ 2))
                    i = end &+ 2
                } else {
                    i = at &+ 1
                }
            }
        }
        return spans
    }
}
