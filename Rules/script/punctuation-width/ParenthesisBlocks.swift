import NewsLintCore

/// The blocks of a line holding a pair of parentheses of mixed widths, and which blocks hold a
/// parenthesis without a partner in the block. A block is the text between two tags of
/// block-level HTML elements (`<p>`, `</p>`, `<li>`, `<br>`, `<figcaption>`, …): a Markdown line
/// without such tags is one block, and a one-line HTML page (DW, NYT) is its paragraphs.
///
/// A mixed pair's fix is safe only where its partner is certain: inside one block in which every
/// parenthesis has its partner. A bracket left over in another paragraph of the page
/// (`（有时甚至也有主角：…` with no close) says nothing about `蔡肥仔(Fatty Choi，钱信伊饰）` in
/// this one, while a pair across a block's edge (`<p>（见下</p><p>图)</p>`) is no pair at all.
///
/// The line is paired on one stack (`checkLine`); pairing each block on a stack of its own (the
/// tests' reference) unsettles the same blocks: inside a block the one stack pops what the block
/// pushed, until a close finds none of the block's own left and pops across the block's edge
/// (a stray in the block's own pairing), and what the block leaves pushed is either popped
/// across a later edge or left over at the line's end. So a block is unsettled exactly when it
/// holds a parenthesis the one stack left without a partner, or one end of a pair across an edge.
struct ParenthesisBlocks {
    /// The scalar index of each `<` that opens a tag of a block-level element, in order.
    private let edges: [Int]
    /// The blocks (the number of edges at or before their scalars) holding a parenthesis without
    /// a partner in the block.
    private var unsettled: Set<Int> = []

    /// `pairs`: every pair of the line's one stack; `strays`: every parenthesis it left without a partner.
    init(_ c: UnsafeBufferPointer<UInt32>, pairs: [(open: Int, close: Int)], strays: [Int]) {
        edges = Self.blockEdges(c)
        for p in strays { unsettled.insert(block(of: p)) }
        for (open, close) in pairs {
            let a = block(of: open), b = block(of: close)
            if a != b {
                unsettled.insert(a)
                unsettled.insert(b)
            }
        }
    }

    /// Whether the pair `open`…`close` lies in one block where every parenthesis has its partner.
    func isCertain(_ open: Int, _ close: Int) -> Bool {
        let a = block(of: open)
        return a == block(of: close) && !unsettled.contains(a)
    }

    /// The number of block edges at or before scalar `p`.
    func block(of p: Int) -> Int { Self.block(of: p, edges: edges) }

    /// The number of `edges` (ascending, `blockEdges`) at or before scalar `p`: its block.
    static func block(of p: Int, edges: [Int]) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if edges[mid] <= p { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// Elements whose tags end a run of text: paragraphs, headings, list items, table cells,
    /// captions, sections, line breaks. Inline elements (`a`, `span`, `b`, `em`, `sup`, …) are
    /// inside a block and do not end one (`<span>(23</span>日）` is one pair).
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
        "title", "tr", "ul",
    ]

    /// The longest name a `nameKey` holds (six bits a scalar); no block element's name is longer.
    private static let maxKeyLength = 10

    /// `blockElements` packed as their tags' names are (`nameCode` of each scalar, six bits
    /// apiece), ascending: a name is packed as it is read and found by bisection, instead of
    /// lower-cased into a `String` and hashed at every `<` of a long line.
    private static let blockKeys: [UInt64] = blockElements.map { name in
        name.unicodeScalars.reduce(UInt64(0)) { $0 &<< 6 | UInt64(nameCode($1.value)) }
    }.sorted()

    /// A tag name's scalar (an ASCII letter in either case, or a digit) as a code of six bits
    /// that is never 0: `a`…`z` 1…26, `0`…`9` 27…36.
    @inline(__always)
    private static func nameCode(_ c: UInt32) -> UInt32 {
        c &- 0x30 < 10 ? c &- 0x30 &+ 27 : (c | 0x20) &- 0x60
    }

    /// Whether `key` is one of `blockKeys`.
    @inline(__always)
    private static func isBlockKey(_ key: UInt64) -> Bool {
        let keys = blockKeys
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if keys[mid] < key { lo = mid &+ 1 } else { hi = mid }
        }
        return lo < keys.count && keys[lo] == key
    }

    /// The scalar index of each `<` of the line that opens or closes a block element (`<p>`,
    /// `</p>`, `<br/>`, `<div class=…>`), in order. Asked only on a line holding a mixed pair.
    static func blockEdges(_ c: UnsafeBufferPointer<UInt32>) -> [Int] {
        let n = c.count
        var edges: [Int] = []
        var k = c.firstIndex(of: 0x3C, or: 0x3C, from: 0, to: n)
        while k < n {
            var j = k &+ 1
            if j < n, c[j] == 0x2F { j &+= 1 }
            let nameStart = j
            while j < n, j &- nameStart < 12, CJK.isASCIILetter(c[j]) || (0x30...0x39).contains(c[j]) { j &+= 1 }
            if j > nameStart, j &- nameStart <= maxKeyLength,
               j == n || c[j] == 0x3E || c[j] == 0x2F || c[j] == 0x20 || c[j] == 0x09 || c[j] == 0x0D {
                var key: UInt64 = 0
                for q in nameStart..<j { key = key &<< 6 | UInt64(nameCode(c[q])) }
                if isBlockKey(key) { edges.append(k) }
            }
            k = c.firstIndex(of: 0x3C, or: 0x3C, from: k &+ 1, to: n)
        }
        return edges
    }
}
