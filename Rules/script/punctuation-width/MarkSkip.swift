import NewsLintCore

// `punctuation-width` asks whether a scalar is kept out (`skip`) only at the few marks of a line
// that could be reported (a long HTML line holds thousands of scalars and a few dozen such marks).
// The whole-line masks it used to build each came from a walk from the line's start; the types
// here make the same walks only as far as the marks asked about, and keep what they found so a
// mark behind the walk (the parenthesis pairing looks ahead) is answered from it.

/// Ranges a walk from the line's start has found so far, in order and disjoint.
struct FoundRanges {
    private(set) var ranges: [Range<Int>] = []

    mutating func append(_ range: Range<Int>) {
        if !range.isEmpty { ranges.append(range) }
    }

    /// Whether a range holds `p`: the last range starting at or before `p` (bisection: the
    /// pairing asks ahead of the mark walk, which then asks behind the walks' positions).
    func contains(_ p: Int) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if ranges[mid].lowerBound <= p { lo = mid &+ 1 } else { hi = mid }
        }
        return lo > 0 && p < ranges[lo &- 1].upperBound
    }
}

/// `ProseMask.nonProse(run)` (code spans, tags, link destinations, Liquid tags, URLs) walked only as far as
/// asked: the same steps from the line's start, which pass from one scalar that can start a span
/// to the next eight scalars a step (`nextStart`), where the whole-line mask visited every one.
/// With the parts of Liquid tags across lines that cover the line (`LiquidAcrossLines.covered`):
/// a tag carried in from earlier lines is masked and the walk starts after it, as
/// `ProseMask.nonProse(run, in:)` does.
struct NonProseWalk {
    private(set) var found = FoundRanges()
    /// The walk's position: every range that starts before it is in `found`.
    private var next = 0
    /// The part of a Liquid tag across lines after the one carried in: at most one on a line (a tag
    /// going on to later lines; `LiquidAcrossLines.covered`). Not an array: a walk is made per line,
    /// and nearly every line has none.
    private var carriedLater: Range<Int>?

    init() {}

    /// A walk of a line whose scalars `carried` (`LiquidAcrossLines.covered`) lie in Liquid tags across lines.
    init(carried: [Range<Int>]) {
        for range in carried {
            if range.lowerBound == 0 {
                found.append(range)
                next = range.upperBound
            } else {
                // The last range, to the line's end: a Liquid span crosses a line break, so on a
                // line it either starts before the line or ends after it; a raw HTML block starts
                // at a line's first byte.
                carriedLater = range
            }
        }
    }
    /// Where the line has no Liquid close left (see `ProseMask.liquidLength`).
    private var liquid = ProseMask.LiquidUnclosed()
    /// Where the line has no code span close left (see `ProseMask.codeSpanEnd`).
    private var backticks = ProseMask.BacktickUnclosed()

    /// Whether `nonProse(run)[p]` holds; `c` is `run.cps` as a buffer.
    mutating func masks(_ p: Int, _ c: UnsafeBufferPointer<UInt32>, _ run: Scalars) -> Bool {
        if let later = carriedLater, later.contains(p) { return true }
        if next <= p { walk(through: p, c, run) }
        return found.contains(p)
    }

    /// The steps of `ProseMask.nonProse` from `next` until the walk has passed `p`.
    private mutating func walk(through p: Int, _ c: UnsafeBufferPointer<UInt32>, _ run: Scalars) {
        let n = c.count
        var i = next
        defer { next = i }
        while i <= p {
            i = Self.nextStart(c, from: i, to: p &+ 1)
            guard i <= p else { return }
            let ch = c[i]
            if ch == 0x60 { // `code`: a backtick run closed by a run of the same length
                var k = i
                while k < n && c[k] == 0x60 { k &+= 1 }
                if let close = ProseMask.codeSpanEnd(c, at: i, length: k &- i, unclosed: &backticks) {
                    found.append(i..<close)
                    i = close
                } else { i = k }
                continue
            }
            if ch == 0x3C, i &+ 1 < n, CJK.isASCIILetter(c[i &+ 1]) || c[i &+ 1] == 0x2F || c[i &+ 1] == 0x21 { // <tag …>
                let j = c.firstIndex(of: 0x3E, or: 0x3C, from: i &+ 1, to: n)
                if j < n && c[j] == 0x3E {
                    found.append(i..<(j &+ 1))
                    i = j &+ 1
                    continue
                }
            }
            if ch == 0x5D, i &+ 1 < n, c[i &+ 1] == 0x28 { // ](destination)
                var j = i &+ 2
                var depth = 1
                while j < n {
                    if c[j] == 0x28 { depth &+= 1 }
                    if c[j] == 0x29 { depth &-= 1; if depth == 0 { break } }
                    j &+= 1
                }
                let end = min(j, n &- 1)
                found.append((i &+ 1)..<(end &+ 1))
                i = end &+ 1
                continue
            }
            if ch == 0x7B, let length = ProseMask.liquidLength(c, at: i, unclosed: &liquid) {
                found.append(i..<(i &+ length))
                i &+= length
                continue
            }
            if ch == 0x68 || ch == 0x66 || ch == 0x77 || ch == 0x6D, let length = ProseMask.urlLength(run, at: i) {
                found.append(i..<(i &+ length))
                i &+= length
                continue
            }
            i &+= 1
        }
    }

    /// The first index in `from..<end` of a scalar `nonProse` acts at (`` ` `` `<` `]` `{` and the
    /// first letters of the URL schemes, h f w m), or `end`. Eight scalars are first tested at once
    /// for one in U+003C–U+007B, the range all eight lie in: Chinese text has none.
    static func nextStart(_ c: UnsafeBufferPointer<UInt32>, from: Int, to end: Int) -> Int {
        guard c.baseAddress != nil else { return max(from, end) }
        var k = from
        while k < end {
            k = c.skippingGroupsOfEight(from: k, to: end) { ($0 &- 0x3C) .< 0x40 }
            let stop = min(k &+ 8, end)
            while k < stop {
                switch c[k] {
                case 0x3C, 0x5D, 0x60, 0x66, 0x68, 0x6D, 0x77, 0x7B: return k
                default: k &+= 1
                }
            }
        }
        return end
    }
}

/// The titles and short quoted names of the line (`《…》`, `「…」`; the whole-line walk the rule
/// made before is the tests' reference, `PunctuationWidthReference.titlesAndQuotedNames`) walked
/// only as far as asked: the same steps from the line's start, up to the opening marks before the
/// scalar asked about (a span holds only scalars after its opening mark).
struct TitleWalk {
    private(set) var found = FoundRanges()
    /// The walk's position: every opening mark before it has been taken (or passed over inside a
    /// quotation), so every span that starts at or before it is in `found`.
    private var next = 0

    /// Whether a title or short quoted name of the line holds scalar `p`.
    mutating func covers(_ p: Int, _ c: UnsafeBufferPointer<UInt32>) -> Bool {
        if next < p { walk(before: p, c) }
        return found.contains(p)
    }

    private mutating func walk(before p: Int, _ c: UnsafeBufferPointer<UInt32>) {
        let n = c.count
        var i = next
        defer { next = i }
        let head = UnsafeBufferPointer(rebasing: c[0..<p])
        while i < p {
            i = PunctuationWidthRule.firstOpeningMark(head, from: i)
            guard i < p else { return }
            let open = c[i]
            let close: UInt32
            switch open {
            case 0x300A: close = 0x300B   // 《》
            case 0x3008: close = 0x3009   // 〈〉
            case 0x300C: close = 0x300D   // 「」
            case 0x300E: close = 0x300F   // 『』
            case 0x201C: close = 0x201D   // “”
            default: i &+= 1; continue
            }
            let j = c.firstIndex(of: close, or: open, from: i &+ 1, to: n)
            guard j < n, c[j] == close else { i &+= 1; continue }
            let isTitle = close == 0x300B || close == 0x3009
            if isTitle || j &- i &- 1 <= 24 && !Self.holdsSentencePunctuation(c, (i &+ 1)..<j) { found.append((i &+ 1)..<j) }
            i = j &+ 1
        }
    }

    /// Whether `range` holds sentence punctuation, full-width or ASCII: a quotation with its own is
    /// a sentence, not a name.
    private static func holdsSentencePunctuation(_ c: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
        for k in range {
            switch c[k] {
            case 0xFF0C, 0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0x2C, 0x3B, 0x21, 0x3F, 0x3A: return true
            default: continue
            }
        }
        return false
    }
}

extension UnsafeBufferPointer where Element == UInt32 {
    /// The first index in `from..<end` holding `a` or `b`, or `end`: eight scalars a step (a tag's
    /// `>` walked across a long attribute, a quotation's close), then one at a time.
    func firstIndex(of a: UInt32, or b: UInt32, from: Int, to end: Int) -> Int {
        let wantedA = SIMD4<UInt32>(repeating: a), wantedB = SIMD4<UInt32>(repeating: b)
        var k = skippingGroupsOfEight(from: from, to: end) { ($0 .== wantedA) .| ($0 .== wantedB) }
        while k < end, self[k] != a, self[k] != b { k &+= 1 }
        return k
    }

    /// From `from`, the start of the first group of eight scalars (two vectors of four) in which
    /// `mayHold` flags a lane, or of the last group with fewer than eight left before `end`: the
    /// vector step of this file's scalar searches, each finishing a scalar at a time. `from` for
    /// a buffer without storage.
    @inline(__always)
    func skippingGroupsOfEight(from: Int, to end: Int, _ mayHold: (SIMD4<UInt32>) -> SIMDMask<SIMD4<Int32>>) -> Int {
        guard let base = baseAddress else { return from }
        var k = from
        while k &+ 8 <= end {
            let low = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD4<UInt32>.self)
            let high = UnsafeRawPointer(base + (k &+ 4)).loadUnaligned(as: SIMD4<UInt32>.self)
            let lanes = unsafeBitCast(mayHold(low) .| mayHold(high), to: SIMD2<UInt64>.self)
            if lanes[0] | lanes[1] != 0 { break }
            k &+= 8
        }
        return k
    }
}

extension HTMLView {
    /// Whether the scalar starting at byte `offset` is outside visible text, as
    /// `forEachHiddenRange` classes it: in the tokenized range, and in no token or in a token that
    /// is not prose (the first token ending after it; tokens are in document order).
    func hides(offset: Int) -> Bool {
        guard offset >= range.lowerBound else { return false }
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if tokens[mid].range.upperBound <= offset { lo = mid &+ 1 } else { hi = mid }
        }
        guard lo < tokens.count else { return true }
        return offset < tokens[lo].range.lowerBound || !isProse(token: lo)
    }
}
