import Foundation
import NewsLintCore

/// `html-bare-text`: an article written into an HTML post as bare text, its paragraphs separated
/// by blank lines and no `<p>` (NHK posts: `<div><img><small>caption</small></div>` and then the
/// article). Browsers do not read blank lines, so the whole article shows as one run-on paragraph,
/// and a text extractor glues the caption onto its first sentence.
///
/// Only text directly in the body or in a `<div>`/`<section>`/`<article>`/`<main>` counts: inside
/// a `<p>`, `<li>`, `<td>`, heading, `<blockquote>`, `<pre>` or any other element that is neither
/// such a container nor inline, text is already laid out by that element (or not prose). A *run*
/// is what lies between two block boundaries (a block or unknown element's tag, a script, the
/// body's ends); it is split at the blank lines of its own text (not of an inline element's) into
/// pieces, and reported when two or more of them hold visible text. A blank line after or before a
/// `<br>` separates nothing a reader misses (the break shows): the pieces it joins are one.
///
/// The fix wraps each piece with visible text in `<p>…</p>`, around its bytes with the ASCII
/// whitespace at its ends left outside. It is safe when every piece is text and inline elements
/// that open and close inside it (an unclosed `<span>`, a stray `</small>`, an inline element cut
/// by a block would end up half in a paragraph).
public struct HTMLBareTextRule: Rule {
    public static let id = "html-bare-text"

    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost else { return }
        let bytes = document.bytes
        let view = document.html
        // Nothing to find without a blank line that text touches: most posts (one line of markup,
        // markup broken by single newlines, blank lines between tags) are answered by a `memchr`
        // walk over their line feeds.
        guard Self.hasBlankLine(bytes, view.range) else { return }
        var walk = Walk(bytes: bytes, view: view, structure: document.htmlElements)
        walk.run()
        for run in walk.findings {
            report(run, bytes, view, into: &sink)
        }
    }

    /// One finding: the pieces of a run, two or more with visible text.
    private func report(_ run: Walk.Finding, _ bytes: [UInt8], _ view: HTMLView, into sink: inout DiagnosticSink) {
        let shown = run.pieces.filter(\.visible)
        guard let first = shown.first else { return }
        var edits: [Edit] = []
        edits.reserveCapacity(shown.count * 2)
        for piece in shown {
            edits.append(.insert("<p>", at: piece.start))
            edits.append(.insert("</p>", at: piece.end))
        }
        let safe = !shown.contains(where: \.broken) && !run.reachesMarkupLeftOpen
        let fix = Fix(safe ? .safe : .unsafe, "wrap each of the \(shown.count) paragraphs in <p>", edits: edits)
        // The first paragraph's first line (a paragraph may run over lines).
        var lineEnd = first.start
        while lineEnd < first.end, bytes[lineEnd] != 0x0A, bytes[lineEnd] != 0x0D { lineEnd += 1 }
        sink.report(first.start..<max(lineEnd, first.start + 1), "\(shown.count) paragraphs of bare text shown as one (blank lines without <p>)", fix: fix)
    }

    /// Whether `range` holds a blank line (a line feed, then only spaces, tabs, carriage returns or
    /// form feeds, then a line feed) that text touches on one side: the nearest byte before it or
    /// after it that is not whitespace is not a tag's `>` or `<`. Pretty-printed markup has blank
    /// lines between tags only (RFA's 298 posts, some 40 line feeds each), and walking their
    /// tokens found nothing; most posts (one line of markup) are one `memchr`. A post whose blank
    /// lines all sit between tags (`</a>` and a blank line and `<a>`) is not checked: a miss.
    package static func hasBlankLine(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var from = range.lowerBound
            while let lf = ByteWords.firstIndex(of: 0x0A, in: b, from: from, to: range.upperBound) {
                var j = lf + 1
                while j < range.upperBound, Self.isLineSpace(b[j]) { j += 1 }
                guard j < range.upperBound, b[j] == 0x0A else { from = j; continue }
                // Past the whole blank stretch, and back over the whitespace before it: that walk
                // stops at `from` at the latest, which holds a byte that is not whitespace (or is
                // the range's start), so each byte is looked at a bounded number of times.
                var after = j
                while after < range.upperBound, HTMLView.isSpace(b[after]) { after += 1 }
                var before = lf
                while before > from, HTMLView.isSpace(b[before - 1]) { before -= 1 }
                let textBefore = before > range.lowerBound && b[before - 1] != 0x3E
                let textAfter = after < range.upperBound && b[after] != 0x3C
                if textBefore || textAfter { return true }
                from = after
            }
            return false
        }
    }

    /// Space, tab, carriage return, form feed: what a blank line may hold besides its line feeds.
    @inline(__always)
    static func isLineSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0C }

    /// How an element takes part in the layout of bare text.
    enum Role {
        /// Text directly inside it is laid out as one block: the body, `<div>`, `<section>` …
        case container
        /// Laid out in the line (`<a>`, `<span>`, `<b>`, `<img>` …): part of a paragraph.
        case inline
        /// `<br>`: a line break inside a paragraph.
        case lineBreak
        /// Anything else (a block that makes its own paragraph, a list, a table, a script, a video,
        /// an unknown element): a boundary, and text inside it is not bare.
        case other
    }

    static let containerKeys = TagKeySet(["div", "section", "article", "main", "body", "html"].compactMap(key))
    static let brKey = key("br") ?? 0

    private static func key(_ name: String) -> UInt64? {
        let b = Array(name.utf8)
        return TagNameKey.of(b, 0..<b.count)
    }

    /// The role of a tag whose name's key is `key` (nil: a name that does not pack, never one of ours).
    @inline(__always)
    static func role(_ key: UInt64?) -> Role {
        guard let key else { return .other }
        if key == brKey { return .lineBreak }
        if HTMLText.phrasingKeys.contains(key) { return .inline }
        if containerKeys.contains(key) { return .container }
        return .other
    }
}

extension HTMLBareTextRule {
    /// A paragraph of a run: from its first byte that is not ASCII whitespace to the end of its last.
    struct Piece {
        var start = -1
        var end = -1
        /// Holds visible text (not only spaces, `&nbsp;`, images or comments).
        var visible = false
        /// Holds what a `<p>` around it would cut: an inline element not closed inside it, a stray end tag.
        var broken = false
        /// Its last token is a `<br>`: a blank line after it separates nothing a reader misses.
        var endsWithBreak = false
        var isEmpty: Bool { start < 0 }
    }

    /// One pass over the tokens, with the open elements of `HTMLElements` on a stack (an element is
    /// popped when the end tag `HTMLElements` matched with it comes; one closed implicitly stays
    /// until its parent ends, which only hides text after it: a miss, never a false finding).
    struct Walk {
        struct Finding {
            var pieces: [Piece]
            /// The run goes to the end of a body that ends inside a tag, comment or script.
            var reachesMarkupLeftOpen: Bool
        }

        let bytes: [UInt8]
        let view: HTMLView
        let structure: HTMLElements
        var findings: [Finding] = []
        /// Open elements (indices into `structure.elements`) and how many of them are not containers.
        private var stack: [Int] = []
        private var notContainers = 0
        /// Whether a run is open, and the stack's height when it opened (deeper: inside an inline element of the run).
        private var inRun = false
        private var runBase = 0
        private var pieces: [Piece] = []
        private var piece = Piece()

        init(bytes: [UInt8], view: HTMLView, structure: HTMLElements) {
            self.bytes = bytes
            self.view = view
            self.structure = structure
        }

        mutating func run() {
            let tokens = view.tokens
            let elements = structure.elements
            var nextElement = 0
            for t in tokens.indices {
                let token = tokens[t]
                switch token.kind {
                case .text:
                    guard openRunIfBare() else { continue }
                    if stack.count == runBase { splitText(token.range) } else { add(token.range) }
                case .characterReference:
                    guard openRunIfBare() else { continue }
                    extend(token.range)
                    piece.endsWithBreak = false
                    if !HTMLText.isSpaceReference(bytes, token) { piece.visible = true }
                case .comment:
                    if inRun { extend(token.range) }
                case .startTag:
                    var element: Int?
                    if nextElement < elements.count, elements[nextElement].start == t {
                        element = nextElement
                        nextElement += 1
                    }
                    startTag(t, token, element)
                case .endTag:
                    endTag(t, token)
                case .rawText, .doctype:
                    closeRun()
                }
            }
            closeRun(atEnd: true)
        }

        /// Opens a run when none is open and every open element is a container; whether one is open.
        private mutating func openRunIfBare() -> Bool {
            if inRun { return true }
            guard notContainers == 0 else { return false }
            inRun = true
            runBase = stack.count
            pieces.removeAll(keepingCapacity: true)
            piece = Piece()
            return true
        }

        private mutating func startTag(_ t: Int, _ token: HTMLToken, _ element: Int?) {
            let role = HTMLBareTextRule.role(token.key(in: bytes))
            switch role {
            case .lineBreak:
                guard openRunIfBare() else { return }
                // A `<br>` beginning a piece: the blank line before it separates nothing a reader misses.
                if piece.isEmpty, stack.count == runBase, let last = pieces.last {
                    pieces.removeLast()
                    piece = last
                }
                extend(token.range)
                piece.endsWithBreak = true
            case .inline:
                if openRunIfBare() {
                    extend(token.range)
                    piece.endsWithBreak = false
                    if let element, structure.elements[element].end == nil { piece.broken = true }
                }
            case .container, .other:
                closeRun()
            }
            guard let element else { return }
            stack.append(element)
            if role != .container { notContainers += 1 }
        }

        private mutating func endTag(_ t: Int, _ token: HTMLToken) {
            let elements = structure.elements
            // The open element this end tag closes (`HTMLElements` matched them), searched as deep
            // as `HTMLElements` searches: a flood of stray end tags costs a bounded walk each.
            var position = stack.count - 1
            let floor = max(0, stack.count - HTMLElements.searchDepth)
            while position >= floor, elements[stack[position]].end != t { position -= 1 }
            let role = HTMLBareTextRule.role(token.key(in: bytes))
            if position < floor {
                // A stray end tag: browsers drop it (or make `</p>` a paragraph, `</br>` a break).
                if role == .inline, inRun {
                    extend(token.range)
                    piece.broken = true
                } else if role != .inline {
                    closeRun()
                }
                return
            }
            if role == .inline, inRun, position >= runBase {
                extend(token.range)
                piece.endsWithBreak = false
            } else {
                closeRun()
            }
            while stack.count > position {
                if let e = stack.popLast(), HTMLBareTextRule.role(elements[e].packedName == 0 ? nil : elements[e].packedName) != .container {
                    notContainers -= 1
                }
            }
        }

        /// Adds the text at `range` (directly in the run, not in an inline element) piece by piece,
        /// a blank line closing the piece before it.
        private mutating func splitText(_ range: Range<Int>) {
            var from = range.lowerBound
            bytes.withUnsafeBufferPointer { b in
                var search = from
                while let lf = ByteWords.firstIndex(of: 0x0A, in: b, from: search, to: range.upperBound) {
                    var j = lf + 1
                    while j < range.upperBound, HTMLBareTextRule.isLineSpace(b[j]) { j += 1 }
                    guard j < range.upperBound, b[j] == 0x0A else { search = j; continue }
                    // A blank line: past every line feed and space of it.
                    while j < range.upperBound, b[j] == 0x0A || HTMLBareTextRule.isLineSpace(b[j]) { j += 1 }
                    add(from..<lf)
                    splitPiece()
                    from = j
                    search = j
                }
            }
            add(from..<range.upperBound)
        }

        /// Ends the piece at a blank line (unless a `<br>` ends it: its break shows).
        private mutating func splitPiece() {
            guard !piece.isEmpty, !piece.endsWithBreak else { return }
            pieces.append(piece)
            piece = Piece()
        }

        /// Adds a stretch of text to the piece: its bytes past the ASCII whitespace at its ends.
        private mutating func add(_ range: Range<Int>) {
            var lo = range.lowerBound, hi = range.upperBound
            while lo < hi, HTMLView.isSpace(bytes[lo]) { lo += 1 }
            while hi > lo, HTMLView.isSpace(bytes[hi - 1]) { hi -= 1 }
            guard lo < hi else { return }
            extend(lo..<hi)
            piece.endsWithBreak = false
            if !piece.visible, !HTMLText.isBlank(bytes, lo..<hi) { piece.visible = true }
        }

        private mutating func extend(_ range: Range<Int>) {
            if piece.start < 0 { piece.start = range.lowerBound }
            piece.end = range.upperBound
        }

        /// Ends the open run, if any, at a block boundary (or the end of the body): a finding when two
        /// or more of its pieces hold visible text.
        private mutating func closeRun(atEnd: Bool = false) {
            guard inRun else { return }
            inRun = false
            // An inline element of the run still open here is cut by the boundary.
            if stack.count > runBase { piece.broken = true }
            if !piece.isEmpty { pieces.append(piece) }
            piece = Piece()
            var visible = 0
            for p in pieces where p.visible { visible += 1 }
            guard visible >= 2 else { return }
            findings.append(Finding(pieces: pieces, reachesMarkupLeftOpen: atEnd && view.endsInsideMarkup))
        }
    }
}
