// What the prose rules of an HTML document may look at: the visible text (text tokens and
// character references) of `Document.html`, never tags, attribute values, comments, doctype,
// `<script>`/`<style>` content, or code (`<pre>`, `<code>`, `<kbd>`, `<samp>`: shown as written,
// like Markdown code spans and fences). Markdown documents are not affected (their inline HTML keeps the
// line-based masks of `ProseMask`).
//
// Two mechanisms share this one definition:
// - rules that weigh context (`script-mixed`, the punctuation rules) mask hidden scalars up front
//   (`ProseMask.nonProse(_:in:)`), so markup never counts as a neighbour;
// - every text rule's report passes through `DiagnosticSink`, which (for rules whose `Rule.readsProse` is
//   true, and user rule packs) drops findings with no visible byte, starts the range at its first
//   visible byte, and drops a fix whose edits would touch markup.
extension HTMLView {
    /// `range` cut to start at its first visible byte and end after its last one; nil when it holds
    /// none. An empty range (a point) is kept when it touches visible text.
    public func visiblePart(of range: Range<Int>) -> Range<Int>? {
        if range.isEmpty {
            if isProse(at: range.lowerBound) { return range }
            return range.lowerBound > 0 && isProse(at: range.lowerBound - 1) ? range : nil
        }
        guard var i = tokenIndex(containing: range.lowerBound) else { return nil }
        var first: Int?, last = range.lowerBound
        while i < tokens.count, tokens[i].range.lowerBound < range.upperBound {
            let t = tokens[i]
            if isProse(token: i) {
                if first == nil { first = max(t.range.lowerBound, range.lowerBound) }
                last = min(t.range.upperBound, range.upperBound)
            }
            i += 1
        }
        guard let first else { return nil }
        return first..<last
    }

    /// Whether byte `offset` lies in prose or inside a start tag (its name or attributes), outside
    /// code elements: where scraper residue a reader or a link meets can be — a rewritten `href`, an
    /// obfuscation attribute. Not comments, `<script>`/`<style>` content, end tags or the doctype.
    /// For the rules whose finding IS markup (`archive-residue`, `email-obfuscated`): they do not
    /// read prose, so the sink does not cut their findings to visible text, and ask this instead.
    public func isProseOrStartTag(at offset: Int) -> Bool {
        guard let i = tokenIndex(containing: offset), !isInCode(token: i) else { return false }
        return tokens[i].isVisibleText || tokens[i].kind == .startTag
    }

    /// Whether the line `range` shows a reader something: visible text outside code with a byte
    /// other than a space (ASCII whitespace, U+00A0, U+3000), or a character reference. A line of
    /// tags only, or of a comment or a script, shows nothing. A line outside the tokenized range
    /// counts as shown (as every non-blank line of a Markdown file). The boilerplate zones
    /// (`ZoneLines`) count only such lines on an HTML page.
    public func showsText(line range: Range<Int>, _ bytes: [UInt8]) -> Bool {
        guard let i = tokenIndex(containing: range.lowerBound) else { return true }
        return showsText(line: range, bytes, fromToken: i)
    }

    /// `showsText(line:_:)` for the lines of a zone walk (`ZoneLines`), which asks line after line
    /// from either end of the body: the line's first token is looked for near `hint` (the token
    /// the previous line started in) and `hint` is left at it. A bisection per line was most of
    /// the zones' cost on HTML pages.
    package func showsText(line range: Range<Int>, _ bytes: [UInt8], near hint: inout Int) -> Bool {
        guard let i = tokenIndex(containing: range.lowerBound, near: &hint) else { return true }
        return showsText(line: range, bytes, fromToken: i)
    }

    /// `showsText(line:_:)` from token `first`, the one holding the line's first byte.
    @inline(__always)
    private func showsText(line range: Range<Int>, _ bytes: [UInt8], fromToken first: Int) -> Bool {
        let tokens = self.tokens
        var i = first
        while i < tokens.count, tokens[i].range.lowerBound < range.upperBound {
            if isProse(token: i) {
                if tokens[i].kind == .characterReference { return true }
                var j = max(tokens[i].range.lowerBound, range.lowerBound)
                let end = min(tokens[i].range.upperBound, range.upperBound)
                while j < end {
                    let b = bytes[j]
                    if Self.isSpace(b) { j += 1; continue }
                    if b == 0xC2, j + 1 < end, bytes[j + 1] == 0xA0 { j += 2; continue }
                    if b == 0xE3, j + 2 < end, bytes[j + 1] == 0x80, bytes[j + 2] == 0x80 { j += 3; continue }
                    return true
                }
            }
            i += 1
        }
        return false
    }

    /// Whether an edit of `range` stays inside visible text: a replaced range wholly visible, or an
    /// insertion point inside or at the edge of a text token.
    public func isEditable(_ range: Range<Int>) -> Bool {
        range.isEmpty ? visiblePart(of: range) != nil : isProse(range)
    }
}

/// The visible text of one block of an HTML document (a paragraph, list item, cell, heading…).
public struct HTMLTextBlock: Sendable, Equatable {
    /// Byte offset of the block's first visible byte (for its line).
    public var start: Int
    /// The visible text as written, character references and line breaks each read as one space,
    /// trailing spaces trimmed.
    public var text: [UInt8]
    /// The block is a section heading (`<h2>`…`<h6>`): series structure, not residue.
    public var heading: Bool
}

extension HTMLView {
    /// Elements that break text into blocks (and `<br>`, a line of its own).
    package static let blockElements: Set<[UInt8]> = Set(blockElementNames)

    private static let blockElementNames: [[UInt8]] = [
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul", "body", "html", "head", "title",
    ].map { Array($0.utf8) }

    /// `blockElementNames` of up to eight bytes as their `TagNameKey` keys, in an open-addressed
    /// table of 128 slots (0: empty): a tag name is packed once (`TagNameKey.of`, which folds its
    /// case) and found with a multiply and a compare or two. Compared in place with the names of
    /// its length, a two-byte name such as `em` met seventeen candidates.
    private static let blockKeyTable: [UInt64] = {
        var table = [UInt64](repeating: 0, count: 128)
        for name in blockElementNames {
            guard let key = TagNameKey.of(name, 0..<name.count) else { continue }
            var i = blockKeySlot(key)
            while table[i] != 0 { i = (i &+ 1) & 127 }
            table[i] = key
        }
        return table
    }()

    /// The names longer than eight bytes (`blockquote`, `figcaption`), which do not pack.
    private static let longBlockElementNames = blockElementNames.filter { $0.count > 8 }

    @inline(__always)
    private static func blockKeySlot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> 57) }

    /// Whether the tag name at `name` (ASCII case-insensitive) is in `blockElements`.
    package static func isBlockElement(_ bytes: [UInt8], _ name: Range<Int>) -> Bool {
        blockKeyTable.withUnsafeBufferPointer { isBlockElement(bytes, name, key: TagNameKey.of(bytes, name), keys: $0) }
    }

    /// `isBlockElement` with `blockKeyTable` read once by the caller, and the name's key (`TagNameKey.of`) known.
    @inline(__always)
    private static func isBlockElement(_ bytes: [UInt8], _ name: Range<Int>, key: UInt64?, keys: UnsafeBufferPointer<UInt64>) -> Bool {
        guard let key else {
            // Longer than eight bytes, or holding a NUL or a non-ASCII byte (no block name does).
            return name.count > 8 && longBlockElementNames.contains { equalsIgnoringASCIICase(bytes, name, $0) }
        }
        var i = blockKeySlot(key)
        while true {
            let k = keys[i]
            if k == key { return true }
            if k == 0 { return false }
            i = (i &+ 1) & 127
        }
    }

    /// A block of visible text: from its first visible byte to the end of its last one (inline tags
    /// and comments between included), and whether it is a section heading.
    public struct BlockRange: Sendable, Equatable {
        public var range: Range<Int>
        public var heading: Bool
    }

    /// The blocks of the body, in order, blank ones left out: what a reader sees as separate lines
    /// or paragraphs, whatever the source's line breaks (a scraped page often has an article on one line).
    public func blockRanges(_ bytes: [UInt8]) -> [BlockRange] {
        Self.blockKeyTable.withUnsafeBufferPointer { blockRanges(bytes, keys: $0) }
    }

    private func blockRanges(_ bytes: [UInt8], keys: UnsafeBufferPointer<UInt64>) -> [BlockRange] {
        let tokens = self.tokens
        var blocks = HTMLStorage.blocks.take()
        // Each block holds a text token and ends at a tag (or the end): at most one block per two
        // tokens, reserved once (grown from empty, the array was reallocated and copied four or
        // five times per document).
        blocks.reserveCapacity((tokens.count &+ 1) / 2)
        var start = -1, end = -1
        var heading = false
        for token in tokens {
            switch token.kind {
            case .text, .characterReference:
                // Whitespace alone neither starts nor ends a block.
                guard token.kind == .characterReference || bytes[token.range].contains(where: { $0 > 0x20 }) else { continue }
                if start < 0 { start = token.range.lowerBound }
                end = token.range.upperBound
            case .startTag, .endTag:
                guard Self.isBlockElement(bytes, token.name, key: token.key(in: bytes), keys: keys) else { continue }
                if start >= 0 { blocks.append(BlockRange(range: start..<end, heading: heading)) }
                start = -1
                let name = token.name
                heading = token.kind == .startTag && name.count == 2 && bytes[name.lowerBound] | 0x20 == 0x68
                    && (0x32...0x36).contains(bytes[name.lowerBound + 1])
            case .rawText, .doctype:
                if start >= 0 { blocks.append(BlockRange(range: start..<end, heading: heading)) }
                start = -1
            case .comment:
                continue
            }
        }
        if start >= 0 { blocks.append(BlockRange(range: start..<end, heading: heading)) }
        return blocks
    }

    /// The visible text of each block (`blockRanges`), character references each read as one space.
    public func textBlocks(_ bytes: [UInt8]) -> [HTMLTextBlock] { textBlocks(bytes, blocks: blockRanges(bytes)) }

    /// `textBlocks` of `blocks`, this view's `blockRanges` (`Document.htmlBlockRanges`, computed once).
    public func textBlocks(_ bytes: [UInt8], blocks: [BlockRange]) -> [HTMLTextBlock] {
        blocks.map { block in
            var text: [UInt8] = []
            blockText(bytes, block.range, into: &text)
            return HTMLTextBlock(start: block.range.lowerBound, text: text, heading: block.heading)
        }
    }

    /// The visible text of the block at `range` (one of `blockRanges`), written into `text` (cleared
    /// first, so a caller walking many blocks reuses one buffer): its text tokens as written, a
    /// character reference as one space, line breaks and tabs as spaces, trailing spaces trimmed.
    public func blockText(_ bytes: [UInt8], _ range: Range<Int>, into text: inout [UInt8]) {
        var cursor = tokens.count
        blockText(bytes, range, into: &text, cursor: &cursor)
    }

    /// `blockText` of blocks asked in document order (`boilerplate-repeated` reads every block of
    /// every HTML file): the block's first token is found walking on from `cursor` (0 before the
    /// first block), which is left there for the next block, instead of bisecting all tokens per
    /// block. A cursor past the block's start (blocks out of order) falls back to the bisection.
    public func blockText(_ bytes: [UInt8], _ range: Range<Int>, into text: inout [UInt8], cursor: inout Int) {
        text.removeAll(keepingCapacity: true)
        let tokens = self.tokens
        var t = tokenIndex(containing: range.lowerBound, from: &cursor) ?? tokens.count
        bytes.withUnsafeBufferPointer { buf in
            while t < tokens.count, tokens[t].range.lowerBound < range.upperBound {
                switch tokens[t].kind {
                case .text: text.append(contentsOf: UnsafeBufferPointer(rebasing: buf[tokens[t].range]))
                case .characterReference: text.append(0x20)
                default: break
                }
                t += 1
            }
        }
        // Line breaks inside a block are spaces to a reader; the end is trimmed.
        // A select per byte, not a branch and a store (the compiler vectorizes it).
        text.withUnsafeMutableBufferPointer { t in
            for k in t.indices {
                let c = t[k]
                t[k] = c == 0x0A || c == 0x0D || c == 0x09 ? 0x20 : c
            }
        }
        while text.last == 0x20 { text.removeLast() }
    }
}

extension HTMLView {
    /// `tokenIndex(containing:)`, walking on from `cursor` (tokens come in order and do not
    /// overlap: the first token ending after `offset` is the only one that may hold it) and
    /// leaving `cursor` at that token. Bisects when `cursor` is not before `offset`.
    @inline(__always)
    func tokenIndex(containing offset: Int, from cursor: inout Int) -> Int? {
        let tokens = self.tokens
        var c = cursor
        guard c < tokens.count, tokens[c].range.lowerBound <= offset else {
            let found = tokenIndex(containing: offset)
            if let found { cursor = found }
            return found
        }
        while c < tokens.count, tokens[c].range.upperBound <= offset { c &+= 1 }
        cursor = c
        return c < tokens.count && tokens[c].range.lowerBound <= offset ? c : nil
    }

    /// `tokenIndex(containing:)` from `hint`, in either direction: up to eight steps from it, then
    /// a bisection of the tokens on the side `offset` lies (so a far offset costs no more than
    /// the plain bisection, and a near one a step or two). Leaves `hint` at the token found.
    @inline(__always)
    func tokenIndex(containing offset: Int, near hint: inout Int) -> Int? {
        let tokens = self.tokens
        // The token holding `offset`, if any, is in lo...hi: tokens come in order and do not overlap.
        var lo = 0, hi = tokens.count - 1
        var c = min(max(hint, 0), hi), steps = 0
        while lo <= hi {
            let r = tokens[c].range
            if offset < r.lowerBound {
                hi = c - 1
            } else if offset >= r.upperBound {
                lo = c + 1
            } else {
                hint = c
                return c
            }
            steps += 1
            if steps == 8 { break }
            c = offset < r.lowerBound ? hi : lo
        }
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = tokens[mid].range
            if offset < r.lowerBound { hi = mid - 1 } else if offset >= r.upperBound { lo = mid + 1 } else { hint = mid; return mid }
        }
        return nil
    }
}

extension Document {
    /// The units prose rules read line by line: the body lines outside code, or, in an HTML
    /// document, its text blocks (each with the line it starts on).
    /// Computed once per document (script-mixed and timestamp-raw both read them).
    package func proseUnits() -> [(line: Int, range: Range<Int>)] {
        views.proseUnits {
            // In storage a finished document gave back (`ProseUnitStorage`).
            var units = ProseUnitStorage.spares.take()
            if isHTMLFile {
                // Blocks come in document order: their lines are found walking forward, not bisected.
                let blocks = htmlBlockRanges
                units.reserveCapacity(blocks.count)
                var line = 1
                for block in blocks {
                    let start = block.range.lowerBound
                    while line < lineStarts.count && lineStarts[line] <= start { line &+= 1 }
                    units.append((line, block.range))
                }
                return units
            }
            guard let lines = bodyLines else { return [] }
            units.reserveCapacity(lines.count)
            for n in lines where !isCode(line: n) { units.append((n, contentRange(ofLine: n))) }
            return units
        }
    }
}

extension Document {
    /// `html.blockRanges(bytes)`, computed once: the prose units and `boilerplate-repeated`'s text
    /// blocks both start from them.
    package var htmlBlockRanges: [HTMLView.BlockRange] { views.htmlBlockRanges { html.blockRanges(bytes) } }
}
