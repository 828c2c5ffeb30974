import Foundation
import NewsLintCore

/// `punctuation-width`: ASCII punctuation between Chinese characters where the full-width form belongs.
public struct PunctuationWidthRule: Rule {
    public static let id = "punctuation-width"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true

    /// False: every line goes to `mayReport`, even in a file where the decode and the byte-pair
    /// census found no mark candidate (`ScalarDecode.holdsMarkAfterNonASCII`,
    /// `BytePairCensus.mayHoldASCIIMarkCandidate`); tests compare the two.
    package var asksCensus = true

    public init(options: RuleOptions) {}

    /// ASCII punctuation → full-width form.
    package static let fullWidth: [UInt32: String] = [
        0x2C: "，", 0x2E: "。", 0x3A: "：", 0x3B: "；", 0x21: "！", 0x3F: "？", 0x28: "（", 0x29: "）",
    ]

    /// `fullWidth[c] != nil` without hashing every scalar of every line.
    @inline(__always)
    package static func hasFullWidth(_ c: UInt32) -> Bool {
        switch c {
        case 0x2C, 0x2E, 0x3A, 0x3B, 0x21, 0x3F, 0x28, 0x29: return true
        default: return false
        }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let lines = document.bodyLines else { return }
        var decoded: ScalarDecode? = document.views.computedScalars
        // A line reports only at a byte `mayReport` acts at (a mark candidate), and most files
        // hold none: the census (built anyway for the other script rules) and the decode (made
        // already by an earlier rule) tell without a walk of the lines.
        // A `)` closing a full-width `（` is no mark candidate of the census: a file with one goes on.
        if asksCensus, let decode = decoded, let afterNonASCII = decode.holdsMarkAfterNonASCII,
           !afterNonASCII, !document.bytePairs.mayHoldASCIIMarkCandidate, !document.bytePairs.contains(byte: 0x29) { return }
        let liquid = ProseMask.spansAcrossLines(document)
        for n in lines where !document.isCode(line: n) {
            let range = document.contentRange(ofLine: n)
            if sink.budgetSpent(step: n, bytes: range.count) { return }
            // An ASCII line reports nothing: once decoded, the line starts tell without a walk.
            if let decode = decoded, document.lineIsASCII(decode, line: n) == true { continue }
            let first = Self.firstReportable(document.bytes, range)
            let mixed = Self.mayHoldMixedParentheses(document.bytes, range)
            guard first != nil || mixed else { continue }
            document.decodeOnce(into: &decoded)
            guard let decode = decoded else { continue }
            checkLine(document.scalarRun(decode, line: n), in: document, allInBMP: decode.allInBMP, fromByte: first ?? range.upperBound,
                      mixedParentheses: mixed, liquid: liquid, into: &sink)
        }
    }

    /// Cheap skip on the line's bytes, before the line is decoded: `checkLine` reports only
    /// - at `(` with a Han character between it and a later `)` (the pair must hold Han text):
    ///   a byte from E3 (every Han character's lead byte is E3–E9, EF or F0), then a `)`;
    /// - at `,` `;` after Han text, a closing quote or bracket, or `)` (`(Interpol),警方`);
    /// - at `.` `:` after Han text or a closing quote or bracket;
    /// - at `?` `!` whose run of `?!？！` (`嗎？!`) follows Han text or a closing quote or bracket;
    /// - at `"` after a byte 0x80 or above and before a byte above a space other than `>` `/`
    ///   (`ScalarDecode.isQuoteCandidate`; a pair of ASCII quotes around Chinese text, `QuotePairs`).
    /// The byte before an ASCII byte ends the scalar before it, so the character before a mark is
    /// read backwards from the bytes (`endsHanOrClosing`); bytes that do not end a well-formed
    /// sequence count as a possible report (the decode makes one scalar of each, never Han, but
    /// the test stays on the side of looking).
    ///
    /// The loop below acts only at a `(` or at a mark after a byte that may end such a scalar (0x80
    /// and up), after `?` `!` (a run it reads back over) or after `)`: a mark after any other ASCII
    /// byte (`3.5`, `U.S.`, `10:30`, most of the marks in a Chinese line) it passes over, and
    /// `nextCandidate` does not stop there. `atEveryMark` stops at every mark, as before (tests
    /// compare the two).
    package static func mayReport(_ bytes: [UInt8], _ range: Range<Int>, atEveryMark: Bool = false) -> Bool {
        firstReportable(bytes, range, atEveryMark: atEveryMark) != nil
    }

    /// The byte offset of the first mark `mayReport` acts at, or nil: `checkLine` walks the line's
    /// marks from there (no mark before it is reported, counts for `converted` or starts a frame
    /// shift, and no run of `?!` reaches past it from before it: its walk back would stop where
    /// that run's start stopped).
    package static func firstReportable(_ bytes: [UInt8], _ range: Range<Int>, atEveryMark: Bool = false) -> Int? {
        bytes.withUnsafeBufferPointer { buf -> Int? in
            let lower = range.lowerBound, end = range.upperBound
            // An ASCII line reports nothing (eight bytes a step: markup lines of HTML files are long).
            guard UTF8Validation.asciiPrefixLength(UnsafeBufferPointer(rebasing: buf[lower..<end])) < end &- lower else { return nil }
            var parenthesesRuledOut = false
            @inline(__always) func next(from k: Int) -> Int {
                atEveryMark ? marks.firstIndex(in: buf, from: k, to: end) : nextCandidate(buf, from: k, lower: lower, to: end)
            }
            // From one mark the loop acts on to the next.
            var k = next(from: lower)
            while k < end {
                defer { k = next(from: k &+ 1) }
                let mark = buf[k]
                if mark == 0x28 {
                    guard !parenthesesRuledOut, let base = buf.baseAddress else { continue }
                    var m = k &+ 1
                    while m < end, buf[m] < 0xE3 { m &+= 1 }
                    if m < end, memchr(base + m, 0x29, end &- m) != nil { return k }
                    // No `)` after the first Han lead byte from here: none after any later `(` either.
                    parenthesesRuledOut = true
                    continue
                }
                // A `"` after a non-ASCII byte and before its quotation may be a quote of a pair
                // around Chinese text (`QuotePairs.isChineseQuotation`): `isCandidate` tells.
                if mark == 0x22 {
                    if atEveryMark, !isCandidate(buf, k, lower: lower, end: end) { continue }
                    return k
                }
                var before = k
                if mark == 0x3F || mark == 0x21 {
                    // Back over the run of `?` `!` `？` (EF BC 9F) `！` (EF BC 81).
                    while before > lower {
                        let b = buf[before &- 1]
                        if b == 0x3F || b == 0x21 { before &-= 1; continue }
                        if (b == 0x9F || b == 0x81), before &- 3 >= lower, buf[before &- 2] == 0xBC, buf[before &- 3] == 0xEF { before &-= 3; continue }
                        break
                    }
                } else if (mark == 0x2C || mark == 0x3B), k > lower, buf[k &- 1] == 0x29 {
                    return k
                }
                if before > lower, endsHanOrClosing(buf, before: before, lower: lower) { return k }
            }
            return nil
        }
    }

    /// Whether the line `range` of `bytes` holds an ASCII parenthesis and a full-width one (`（`
    /// EF BC 88, `）` EF BC 89): only then may a pair mix the widths (`苏梅（Sumy)发动`,
    /// `(路透社）`), which `mayReport`'s marks do not find (a `)` after Latin text is none). Two
    /// `memchr` passes over a line without an ASCII parenthesis (most Chinese lines).
    package static func mayHoldMixedParentheses(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { buf -> Bool in
            guard range.count >= 4, let base = buf.baseAddress else { return false }
            let count = range.count
            guard memchr(base + range.lowerBound, 0x28, count) != nil || memchr(base + range.lowerBound, 0x29, count) != nil else { return false }
            var k = range.lowerBound
            let end = range.upperBound
            while k &+ 3 <= end, let hit = memchr(base + k, 0xEF, end &- 2 &- k) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if buf[at &+ 1] == 0xBC, buf[at &+ 2] == 0x88 || buf[at &+ 2] == 0x89 { return true }
                k = at &+ 1
            }
            return false
        }
    }

    /// Whether the scalar ending right before byte `end` (not before `lower`) is Han text or a closing
    /// quote or bracket, read backwards; true also when those bytes are no well-formed sequence.
    @inline(__always)
    private static func endsHanOrClosing(_ buf: UnsafeBufferPointer<UInt8>, before end: Int, lower: Int) -> Bool {
        var lead = end &- 1
        guard buf[lead] >= 0x80 else { return false }   // ASCII: neither
        while lead > lower, lead > end &- 4, buf[lead] & 0xC0 == 0x80 { lead &-= 1 }
        // Decoded forward from its lead byte by the decoders' own step; bytes that are not one
        // well-formed scalar ending at `end` leave the line to the full check.
        let (v, length) = ScalarDecode.step(buf, at: lead)
        guard v != ScalarDecode.invalid, lead &+ length == end else { return true }
        return CJK.isHan(v) || isClosing(v)
    }

    /// `(` and the marks `mayReport` looks behind.
    private static let marks = ByteSet([0x28, 0x2C, 0x2E, 0x3A, 0x3B, 0x21, 0x3F, 0x22])

    /// Whether `mayReport`'s loop acts at byte `k` of a line `lower..<end`: a `(`; one of the
    /// other `marks` but `"` after a byte of the line that is 0x80 or above, `!`, `?` or `)`; a
    /// `"` after a byte 0x80 or above and before a byte of the line that may start a quotation
    /// (`ScalarDecode.isQuoteCandidate`: not a space, `>` or `/`, as after an attribute value).
    @inline(__always)
    package static func isCandidate(_ buf: UnsafeBufferPointer<UInt8>, _ k: Int, lower: Int, end: Int) -> Bool {
        let b = buf[k]
        guard marks.contains(b) else { return false }
        if b == 0x28 { return true }
        guard k > lower else { return false }
        let p = buf[k &- 1]
        if b == 0x22 { return p >= 0x80 && k &+ 1 < end && ScalarDecode.isQuoteCandidate(buf, at: k) }
        return p >= 0x80 || p == 0x21 || p == 0x3F || p == 0x29
    }

    /// The first `k` in `from..<end` where `isCandidate` holds, or `end`. Sixteen bytes a step: a
    /// block of high bytes only (most of a Chinese line) holds no mark; any other block is tested
    /// at once for a mark (SSE2 compares) and for the byte before each (a second load, one byte
    /// back), and read byte by byte only when a lane passes both. A block may run past `end` while
    /// it stays in the buffer (the line's last bytes, without a byte loop): its lanes past `end`
    /// are not read one by one.
    package static func nextCandidate(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, lower: Int, to end: Int) -> Int {
        var i = start
        guard i < end, let base = buf.baseAddress else { return max(i, end) }
        // The line's first byte has no byte before it in the line (the second load would read outside it).
        if i == lower {
            if isCandidate(buf, i, lower: lower, end: end) { return i }
            i &+= 1
        }
        @inline(__always) func word(at k: Int) -> UInt64 { UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self) }
        // Compared vector to vector (a vector compared with a scalar was compiled lane by lane).
        @inline(__always) func splat(_ b: UInt8) -> SIMD16<UInt8> { SIMD16(repeating: b) }
        let open = splat(0x28), comma = splat(0x2C), stop = splat(0x2E), colon = splat(0x3A), semicolon = splat(0x3B)
        let exclamation = splat(0x21), question = splat(0x3F), close = splat(0x29), high = splat(0x80), quote = splat(0x22)
        let n = buf.count
        while i < end {
            guard i &+ 16 <= n else {
                while i < end, !isCandidate(buf, i, lower: lower, end: end) { i &+= 1 }
                return i
            }
            if word(at: i) & word(at: i &+ 8) & ByteWords.highs == ByteWords.highs {
                i &+= 16
                continue
            }
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let parenthesis = x .== open
            let mark = parenthesis .| (x .== comma) .| (x .== stop) .| (x .== colon) .| (x .== semicolon) .| (x .== exclamation) .| (x .== question) .| (x .== quote)
            // Most blocks of markup hold no mark: the bytes before them are not looked at.
            let marks = unsafeBitCast(mark, to: SIMD2<UInt64>.self)
            if marks[0] | marks[1] == 0 {
                i &+= 16
                continue
            }
            let p = UnsafeRawPointer(base + (i &- 1)).loadUnaligned(as: SIMD16<UInt8>.self)
            // A superset for `"` (after `!` `?` `)` it is none, nor before a space: `isCandidate` tells).
            let after = (p .>= high) .| (p .== exclamation) .| (p .== question) .| (p .== close)
            let hit = unsafeBitCast((mark .& after) .| parenthesis, to: SIMD2<UInt64>.self)
            if hit[0] | hit[1] != 0 {
                for k in i..<min(i &+ 16, end) where isCandidate(buf, k, lower: lower, end: end) { return k }
            }
            i &+= 16
        }
        return end
    }

    /// `allInBMP`: every scalar of the document lies in the BMP (`ScalarDecode.allInBMP`).
    /// `fromByte`: where the walk of the marks starts (`firstReportable`; nil: the line's start).
    /// `mixedParentheses`: the line may hold a pair of mixed widths (`mayHoldMixedParentheses`, asked
    /// here when nil): the parentheses of both widths are paired on one stack, and a mixed pair is reported.
    ///
    /// Only the marks `mayReport`'s byte walk stops at are visited (`candidateMarks`): no other
    /// mark is reported, counts for `converted`, or starts a frame shift. What keeps a mark out
    /// (`skip`: code, markup, URLs, titles and quoted names, encoding damage) is asked at those
    /// marks alone, each whole-line fact made when first needed: a long HTML line holds thousands
    /// of scalars and a few dozen candidates, most of them in markup the HTML view hides.
    /// `liquid`: the document's Liquid tags across lines (`ProseMask.spansAcrossLines`, found here when nil).
    package func checkLine(_ run: ScalarRun, in document: Document, allInBMP: Bool = false, fromByte: Int? = nil, mixedParentheses: Bool? = nil,
                           liquid: LiquidAcrossLines? = nil, into sink: inout DiagnosticSink) {
        let c = run.cps
        let n = c.count
        let mixedParentheses = mixedParentheses ?? (n > 0 && Self.mayHoldMixedParentheses(document.bytes, run.offsets[0]..<run.offsets[n]))
        let marks = Self.candidateMarks(run, document.bytes, fromByte: fromByte)
        guard !marks.isEmpty || mixedParentheses else { return }
        // Frame shifts start at a `?` after a Han character, which is always a candidate: the
        // steps of `FrameShift.spans` at those marks.
        var frameShifts: [Range<Int>] = []
        var shiftFrom = 1
        for q in marks where q >= shiftFrom && c[q] == 0x3F && CJK.isHan(c[q - 1]) {
            if let span = FrameShift.span(run, at: q) {
                frameShifts.append(span)
                shiftFrom = span.upperBound
            }
        }
        let html = document.isHTMLFile ? document.html : nil
        var signals: MojibakeRule.Signals?
        var shiftJIS: [Range<Int>]?
        var damaged: Bool?
        var converted: Bool?
        var closeOfOpen: [Int: Int]?
        // Pairs of mixed widths (`（Sumy)`), every pair of the one stack, and every parenthesis it
        // leaves without a partner (`拜登（Joe Biden)）`): made with `closeOfOpen` when the line holds
        // both widths; whether a mixed pair is certain is told per block (`ParenthesisBlocks`).
        var mixedPairs: [(open: Int, close: Int)] = []
        var oneStackPairs: [(open: Int, close: Int)] = []
        var strays: [Int] = []
        var keptParentheses: (marks: [Int], mayMix: Bool)?
        var lineEdges: [Int]?
        var prose = NonProseWalk(), titles = TitleWalk()
        // Most documents hold no Liquid tag across lines: their lines make no walk with carried spans.
        if let liquid {
            if !liquid.spans.isEmpty { prose = NonProseWalk(carried: liquid.covered(run)) }
        } else {
            let found = ProseMask.spansAcrossLines(document)
            if !found.spans.isEmpty { prose = NonProseWalk(carried: found.covered(run)) }
        }
        var nameLists: [Int: Bool] = [:]
        c.withUnsafeElements { buf in
            /// One pass over the line tells which damage detectors can find anything (most lines: none).
            func lineSignals() -> MojibakeRule.Signals {
                if let known = signals { return known }
                let found = MojibakeRule.characterSignals(run, allInBMP: allInBMP)
                signals = found
                return found
            }
            /// Half-width kana (U+FF66–U+FF9F: EF BD A6 – EF BE 9F) are in no line of a document
            /// whose byte pairs hold neither lead pair: those lines are not walked for them.
            func shiftJISSpans() -> [Range<Int>] {
                if let known = shiftJIS { return known }
                let pairs = document.bytePairs
                let mayHoldKana = pairs.contains(0xEF, 0xBD) || pairs.contains(0xEF, 0xBE)
                let spans = mayHoldKana && lineSignals().contains(.halfwidthKana) ? MojibakeRule.shiftJISSpans(run) : []
                shiftJIS = spans
                return spans
            }
            /// Beside encoding damage a `?` may be a lost character, and nothing is fixed without looking.
            func isDamaged() -> Bool {
                if let known = damaged { return known }
                let found = lineSignals().isDisjoint(with: MojibakeRule.damageSignals) ? !frameShifts.isEmpty
                    : MojibakeRule.hasDamage(run, frameShifts: frameShifts, shiftJIS: shiftJISSpans())
                damaged = found
                return found
            }
            /// `skip[p]` of the whole-line mask: the cheap tests first, the walks from the line's
            /// start only for a mark the HTML view leaves in visible text.
            func isSkipped(_ p: Int) -> Bool {
                isSkippedCheaply(p) || titles.covers(p, buf) || prose.masks(p, buf, c)
            }
            /// The tests of `isSkipped` that need no walk from the line's start: frame shifts, text
            /// the HTML view hides, Shift-JIS residue.
            func isSkippedCheaply(_ p: Int) -> Bool {
                if frameShifts.contains(where: { $0.contains(p) }) { return true }
                if let html, html.hides(offset: run.offsets[p]) { return true }
                return shiftJISSpans().contains(where: { $0.contains(p) })
            }
            /// ASCII commas, semicolons or colons after Han text: the line went through a converter, so a `.`
            /// between Han characters is its full stop, not a separator as in `哈利.波特`.
            func isConverted() -> Bool {
                if let known = converted { return known }
                let found = marks.contains { p in
                    p >= 1 && (c[p] == 0x2C || c[p] == 0x3B || c[p] == 0x3A) && CJK.isHan(c[p - 1]) && !isSkipped(p)
                }
                converted = found
                return found
            }
            /// Parentheses: pair them up (those kept out take no part); a pair holding Han text becomes
            /// full-width as a whole, a pair holding only Latin text, digits or pinyin (`(Interpol)`,
            /// `(qū)`) stays. The `)` of the `(` at `open`, or -1; all pairs made at the first asking.
            func closeParenthesis(of open: Int) -> Int {
                pairParentheses()
                return closeOfOpen?[open] ?? -1
            }
            /// The parentheses of both widths that `isSkippedCheaply` leaves, in order, and whether a
            /// pair of mixed widths can form among them: one of them opens with one width before one
            /// that closes with the other. One pass over the line, asking no walk.
            func cheaplyKeptParentheses() -> (marks: [Int], mayMix: Bool) {
                if let known = keptParentheses { return known }
                // The four marks are 0x28/0x29 and 0xFF08/0xFF09 with bit 0 cleared or set: groups
                // of eight scalars holding none are passed with two vector compares.
                let one = SIMD4<UInt32>(repeating: 1), ascii = SIMD4<UInt32>(repeating: 0x29), wide = SIMD4<UInt32>(repeating: 0xFF09)
                var kept: [Int] = []
                var asciiOpened = false, wideOpened = false, mayMix = false
                var k = 0
                while k < n {
                    k = buf.skippingGroupsOfEight(from: k, to: n) { (($0 | one) .== ascii) .| (($0 | one) .== wide) }
                    guard k < n else { break }
                    defer { k += 1 }
                    let x = buf[k]
                    guard x | 1 == 0x29 || x | 1 == 0xFF09, !isSkippedCheaply(k) else { continue }
                    kept.append(k)
                    switch x {
                    case 0x28: asciiOpened = true
                    case 0xFF08: wideOpened = true
                    case 0x29: mayMix = mayMix || wideOpened
                    default: mayMix = mayMix || asciiOpened
                    }
                }
                keptParentheses = (kept, mayMix)
                return (kept, mayMix)
            }
            /// `closeOfOpen`, and on a line holding both widths `mixedPairs`, `oneStackPairs` and `strays`: one
            /// stack for `(` `（` and `)` `）` there, so that `（Sumy)` is one pair and `(` … `）` …
            /// `)` does not pair its ASCII marks across the full-width close.
            ///
            /// The one stack is needed only where a pair of mixed widths can form, and the walks of
            /// `isSkipped` (from the line's start to the last parenthesis: a long HTML line) are asked
            /// only there. The marks the walks keep are a subset, in order, of those the cheap tests
            /// keep (`cheaplyKeptParentheses`); when no mark of one width among the latter opens
            /// before a mark of the other width closes, no subset has such marks either, so on the one
            /// stack every close pops an opening of its own width (popping the other width would be
            /// such a pair): no mixed pair forms (`strays` is never read), and the ASCII entries
            /// of the stack are pushed and popped at the same steps as on a stack of ASCII marks
            /// alone, whose pairs are then the same. The ASCII pairing alone is made, and only
            /// when an ASCII `(` asks for its close. (Pairing the marks the cheap tests keep and
            /// asking the walks afterwards is not the same: a `）(` the walks keep out inside
            /// `（…)` hides a real mixed pair; `ScriptMarkSkipTests` holds the rule to the reference.)
            func pairParentheses() {
                guard closeOfOpen == nil else { return }
                var pairs: [Int: Int] = [:]
                var stack: [Int] = []
                if mixedParentheses, cheaplyKeptParentheses().mayMix {
                    for k in cheaplyKeptParentheses().marks where !titles.covers(k, buf) && !prose.masks(k, buf, c) {
                        let x = buf[k]
                        if x == 0x28 || x == 0xFF08 {
                            stack.append(k)
                            continue
                        }
                        guard let opening = stack.popLast() else {
                            strays.append(k)
                            continue
                        }
                        oneStackPairs.append((opening, k))
                        let asciiOpen = c[opening] == 0x28, asciiClose = x == 0x29
                        if asciiOpen && asciiClose { pairs[opening] = k } else if asciiOpen != asciiClose { mixedPairs.append((opening, k)) }
                    }
                    strays += stack
                } else {
                    var k = buf.firstIndex(of: 0x28, or: 0x29, from: 0, to: n)
                    while k < n {
                        if !isSkipped(k) {
                            if c[k] == 0x28 { stack.append(k) } else if let opening = stack.popLast() { pairs[opening] = k }
                        }
                        k = buf.firstIndex(of: 0x28, or: 0x29, from: k + 1, to: n)
                    }
                }
                closeOfOpen = pairs
            }
            /// Whether no block edge (`ParenthesisBlocks`: `<p>`, `<br>`, `<li>` … end a block) lies
            /// between the ASCII pair `open`…`close`: one across an edge is no pair, as a mixed pair
            /// across one is fixed nowhere (on a one-line HTML page `<p>見下圖(一</p><p>二)說明` was
            /// made full-width across two paragraphs). The one stack pops what a block pushed before
            /// anything of an earlier block, so leaving out the pairs across edges leaves the pairs of
            /// a stack per block. Asked last, of a pair about to be reported (few lines of a corpus):
            /// the line's edges are found once then.
            func isInOneBlock(_ open: Int, _ close: Int) -> Bool {
                let edges = lineEdges ?? ParenthesisBlocks.blockEdges(buf)
                lineEdges = edges
                var lo = 0, hi = edges.count
                while lo < hi {
                    let mid = (lo &+ hi) &>> 1
                    if edges[mid] < open { lo = mid &+ 1 } else { hi = mid }
                }
                return lo == edges.count || edges[lo] > close
            }
            func report(_ range: Range<Int>, _ message: String, _ edits: [Edit], _ title: String, safe: Bool = true) {
                sink.report(run.byteRange(range), message, fix: isDamaged() ? nil : Fix(safe ? .safe : .unsafe, title, edits: edits))
            }
            /// Pairs of ASCII `"` around Chinese text (`QuotePairs`), asked on a line where a `"` is a
            /// candidate: every `"` that is text takes part in the pairing of its paragraph. Only the
            /// paragraphs holding a candidate are read (a reported pair holds one): a one-line HTML
            /// page holds thousands of attribute quotes, most outside those paragraphs.
            func reportQuotePairs() {
                let edges = lineEdges ?? ParenthesisBlocks.blockEdges(buf)
                lineEdges = edges
                var kept: [Int] = []
                var readTo = 0
                for q in marks where c[q] == 0x22 && q >= readTo {
                    let block = ParenthesisBlocks.block(of: q, edges: edges)
                    let from = block == 0 ? 0 : edges[block - 1]
                    readTo = block < edges.count ? edges[block] : n
                    var k = buf.firstIndex(of: 0x22, or: 0x22, from: from, to: readTo)
                    while k < readTo {
                        if !isSkipped(k) { kept.append(k) }
                        k = buf.firstIndex(of: 0x22, or: 0x22, from: k + 1, to: readTo)
                    }
                }
                guard kept.count >= 2 else { return }
                for pair in QuotePairs.pairs(buf, kept: kept, edges: edges) {
                    report(pair.open..<(pair.close + 1), Self.quotePairMessage + (pair.safe ? "" : Self.quotePairUncertain),
                           Self.quotePairEdits(run, pair), "Use Chinese quotation marks '“…”'", safe: pair.safe)
                }
            }
            // A full-width mark carries its own spacing: ASCII spaces after it go with the conversion
            // (`不過, 他表示` → `不過，他表示`, `主宾国, 100余家` → `主宾国，100余家`); at the line end they stay.
            func markEnd(_ end: Int) -> Int {
                var k = end
                while k < n, c[k] == 0x20 { k += 1 }
                return k > end && k < n && c[k] != 0x09 && c[k] != 0xA0 && c[k] != 0x3000 ? k : end
            }
            // The first scalar not yet passed (a run of `?!` is converted as a whole).
            var resume = 0
            for i in marks where i >= resume {
                resume = i + 1
                let ch = c[i]
                let prev = i > 0 ? c[i - 1] : 0, next = i + 1 < n ? c[i + 1] : 0
                switch ch {
                case 0x28:
                    guard !isSkipped(i) else { continue }
                    let close = closeParenthesis(of: i)
                    if close > i, (i + 1..<close).contains(where: { CJK.isHan(c[$0]) }), !Self.isPublishedParenthesis(c, open: i, close: close, converted: isConverted()),
                       CJK.isHan(prev) || CJK.isHan(next) || CJK.isHan(c[close - 1]) || (close + 1 < n && CJK.isHan(c[close + 1])),
                       isInOneBlock(i, close) {
                        let edits = [Edit(range: run.byteRange(i..<(i + 1)), replacement: "（"),
                                     Edit(range: run.byteRange(close..<(close + 1)), replacement: "）")]
                        report(i..<(close + 1), "ASCII parentheses around Chinese text; use full-width '（）'", edits, "Use full-width parentheses")
                    }
                case 0x29:
                    continue // handled with its opening parenthesis; unpaired ones are left alone
                case 0x22:
                    continue // quotes are paired per paragraph below
                case 0x3F, 0x21:
                    // Not after Chinese text: neither is any later mark of the run (the walk back
                    // passes over the run to the same character), whichever of them starts one.
                    guard Self.followsChinese(at: i, c), !isSkipped(i) else { continue }
                    // `?!`, `!?`, `!!`, `??`: one mark, converted as a whole.
                    var end = i + 1
                    while end < n, c[end] == 0x3F || c[end] == 0x21, !isSkipped(end) { end += 1 }
                    resume = end
                    if ch == 0x21 && next == 0x5B { continue }   // ![image](…)
                    let marks = (i..<end).map { c[$0] }
                    // A `?` beside encoding damage may be a lost character, not punctuation.
                    if marks.contains(0x3F) && isDamaged() { continue }
                    let ascii = String(String.UnicodeScalarView(marks.compactMap(Unicode.Scalar.init)))
                    let full = marks.map { $0 == 0x3F ? "？" : "！" }.joined()
                    // `香港?報` in text punctuated full-width: the `?` may stand for a character a legacy
                    // encoding could not hold (HKSCS `啲`, `咗`), so the fix needs a look.
                    let maybeLost = marks == [0x3F] && !isConverted() && end < n && CJK.isHan(c[end])
                        && !Self.questionParticles.contains(prev)
                    report(i..<end, "ASCII '\(ascii)' in Chinese text; use full-width '\(full)'" + (maybeLost ? " (unless it stands for a lost character)" : ""),
                           [Edit(range: run.byteRange(i..<markEnd(end)), replacement: full)], "Use full-width '\(full)'", safe: !maybeLost)
                default:
                    guard let wide = Self.fullWidth[ch],
                          Self.touchesChinese(ch, prev: prev, next: next, converted: { isConverted() }), !isSkipped(i),
                          !(ch == 0x2C && Self.isNameList(c, comma: i, memo: &nameLists)) else { continue }
                    let name = String(UnicodeScalar(UInt8(ch)))
                    report(i..<(i + 1), "ASCII '\(name)' in Chinese text; use full-width '\(wide)'",
                           [Edit(range: run.byteRange(i..<markEnd(i + 1)), replacement: wide)], "Use full-width '\(wide)'")
                }
            }
            if marks.contains(where: { c[$0] == 0x22 }) { reportQuotePairs() }
            guard mixedParentheses, cheaplyKeptParentheses().mayMix else { return }
            pairParentheses()
            // A pair of mixed widths in Chinese text (Han inside, or Chinese text or punctuation
            // beside it): its ASCII mark takes the full width of the other. Not fixed when a
            // parenthesis of its block has no partner there (`拜登（Joe Biden)）`: the `)` is one too
            // many, and which pairs with which is a guess), and only with a look after a space
            // (`中国 (图为…）`: the ASCII `(` may be the intended one, as in a caption credit).
            var certainty: ParenthesisBlocks?
            for (open, close) in mixedPairs {
                let before = open > 0 ? c[open - 1] : 0, after = close + 1 < n ? c[close + 1] : 0
                guard (open + 1..<close).contains(where: { CJK.isHan(c[$0]) }) || CJK.isCJK(before) || CJK.isCJK(after) else { continue }
                let asciiOpen = c[open] == 0x28
                let shown = asciiOpen ? "'(' closed by '）'" : "'（' closed by ')'"
                let message = "parentheses of mixed widths: \(shown); use full-width '（）'"
                let blocks = certainty ?? ParenthesisBlocks(buf, pairs: oneStackPairs, strays: strays)
                certainty = blocks
                guard blocks.isCertain(open, close) else {
                    sink.report(run.byteRange(open..<(close + 1)), message + " (a parenthesis of the line has no partner: not fixed automatically)", fix: nil)
                    continue
                }
                let ascii = asciiOpen ? open : close
                let afterSpace = asciiOpen && (before == 0x20 || before == 0x09 || before == 0xA0)
                report(open..<(close + 1), message, [Edit(range: run.byteRange(ascii..<(ascii + 1)), replacement: asciiOpen ? "（" : "）")],
                       "Use full-width parentheses", safe: !afterSpace)
            }
        }
    }

    static let quotePairMessage = "ASCII quotes \"…\" around Chinese text; use '“…”'"
    /// Added to `quotePairMessage` when the fix is unsafe (`QuotePairs.pairs`).
    static let quotePairUncertain = " (the paragraph holds other quotes: check the pairing)"

    /// `“` for the pair's opening `"`, `”` for its closing one.
    static func quotePairEdits(_ run: ScalarRun, _ pair: QuotePairs.Pair) -> [Edit] {
        [Edit(range: run.byteRange(pair.open..<(pair.open + 1)), replacement: "“"),
         Edit(range: run.byteRange(pair.close..<(pair.close + 1)), replacement: "”")]
    }

    /// The scalar indices of the marks of `run` that `mayReport`'s byte walk stops at
    /// (`isCandidate`), in order. A mark it passes over (after an ASCII letter, digit or space, or
    /// at the line's start) is reported by no branch of `checkLine`: `, ; : .` need Han text, a
    /// closing quote or `)` before them, a run of `?!` Han text or a closing quote before the run.
    /// Found in the line's bytes, sixteen a step (an ASCII byte is one scalar of its own).
    package static func candidateMarks(_ run: ScalarRun, _ bytes: [UInt8], fromByte: Int? = nil) -> [Int] {
        let n = run.count
        guard n > 0 else { return [] }
        let lower = run.offsets[0], end = run.offsets[n]
        var marks: [Int] = []
        bytes.withUnsafeBufferPointer { buf in
            var scalar = 0
            var k = nextCandidate(buf, from: max(lower, fromByte ?? lower), lower: lower, to: end)
            while k < end {
                scalar = run.offsets.base.firstScalar(atOrAfter: k, from: scalar, count: n, base: run.offsets.start)
                marks.append(scalar)
                k = nextCandidate(buf, from: k &+ 1, lower: lower, to: end)
            }
        }
        return marks
    }

    /// Parentheses as published, which a fix must not retouch:
    /// - after a space: Latin typography chosen on purpose (`…公寓楼 (路透)`, a site's caption credits);
    /// - right after a cited title or quoted name (`《印花稅條例》(第117章)`), or an ordinance chapter `(第32章)`;
    /// - a short qualifier inside a name or title, Han on both sides (`友邦保險(國際)有限公司`,
    ///   `副處長(國家安全)簡啟恩`): names are spelled as registered. Not on a line a converter made
    ///   ASCII throughout (`哈工大(深圳)打出…,助推`), where the name had full-width parentheses too.
    package static func isPublishedParenthesis(_ c: Scalars, open: Int, close: Int, converted: Bool) -> Bool {
        let prev = open > 0 ? c[open - 1] : 0
        let after = close + 1 < c.count ? c[close + 1] : 0
        if prev == 0x20 || prev == 0x09 || prev == 0xA0 { return true }
        if prev == 0x300B || prev == 0x300D || prev == 0x300F || prev == 0x3009 { return true }
        let inner = (open + 1)..<close
        if c[open + 1] == 0x7B2C, c[close - 1] == 0x7AE0 { return true }   // (第…章)
        // One character is an annotation (`李伟(音)`, `纳达尔(右)`), a weekday a date (`今天(周二)`): not name parts.
        let weekday = c[open + 1] == 0x5468 || c[open + 1] == 0x661F   // 周, 星(期)
        if !converted, CJK.isHan(prev), CJK.isHan(after) || isClosing(after), (2...4).contains(inner.count), !weekday,
           inner.allSatisfy({ CJK.isHan(c[$0]) }) { return true }
        return false
    }

    /// The first index from `from` of `《` `〈` `「` `『` or `“` (what `TitleWalk` opens at), or the
    /// count: eight scalars tested a step with vector compares (long HTML lines hold few). `〈` `《`
    /// `「` `『` are U+3008 with bit 1 or 2 or both set: one AND and one compare find the four.
    package static func firstOpeningMark(_ buf: UnsafeBufferPointer<UInt32>, from: Int) -> Int {
        let end = buf.count
        guard let base = buf.baseAddress else { return max(from, end) }
        let brackets = SIMD4<UInt32>(repeating: 0x3008), bracketBits = SIMD4<UInt32>(repeating: ~6), quote = SIMD4<UInt32>(repeating: 0x201C)
        @inline(__always) func opens(_ group: SIMD4<UInt32>) -> SIMDMask<SIMD4<Int32>> {
            (group & bracketBits .== brackets) .| (group .== quote)
        }
        var k = from
        while k < end {
            k = buf.skippingGroupsOfEight(from: k, to: end, opens)
            if k &+ 8 > end {
                while k &+ 4 <= end {
                    let lanes = unsafeBitCast(opens(UnsafeRawPointer(base + k).loadUnaligned(as: SIMD4<UInt32>.self)), to: SIMD2<UInt64>.self)
                    if lanes[0] | lanes[1] != 0 { break }
                    k &+= 4
                }
            }
            let stop = min(k &+ 8, end)
            while k < stop {
                switch buf[k] {
                case 0x300A, 0x3008, 0x300C, 0x300E, 0x201C: return k
                default: k &+= 1
                }
            }
        }
        return end
    }

    /// 嗎 吗 呢 麼 么 吧 嘛 啊 呀 誰 谁 何: a `?` after them ends a question.
    package static let questionParticles: Set<UInt32> = Set("嗎吗呢麼么吧嘛啊呀誰谁何".unicodeScalars.map(\.value))

    /// A byline-style list of names (`<address>储百亮, AMY CHANG CHIEN</address>`): a `, ` inside a
    /// stretch delimited by tags on both sides with no Chinese punctuation, every item short. A
    /// line of text is never one (`不過, 他表示將出席會議` is a converted sentence). `memo` keeps
    /// each stretch's answer, so a long stretch of commas is scanned once.
    package static func isNameList(_ c: Scalars, comma: Int, memo: inout [Int: Bool]) -> Bool {
        guard comma + 1 < c.count, c[comma + 1] == 0x20 else { return false }
        var start = comma
        while start > 0, c[start - 1] != 0x3E, c[start - 1] != 0x3C { start -= 1 }
        if let known = memo[start] { return known }
        var end = comma
        while end < c.count, c[end] != 0x3C, c[end] != 0x3E { end += 1 }
        let answer = start > 0 && c[start - 1] == 0x3E && end < c.count && c[end] == 0x3C && isShortItemList(c, start..<end)
        memo[start] = answer
        return answer
    }

    private static func isShortItemList(_ c: Scalars, _ stretch: Range<Int>) -> Bool {
        var item = 0
        for k in stretch {
            let x = c[k]
            if CJK.isCJKPunct(x) && x != 0x00B7 { return false }
            if x == 0x2C { item = 0; continue }
            item += 1
            if item > 20 { return false }
        }
        return true
    }

    /// Whether the run of `?`/`!` at `i` ends Chinese text: walk back over a run of question and
    /// exclamation marks (`嗎？!`) to a Han character or a closing quote.
    /// The marks stepped back over here are those `mayReport` steps back over in bytes (checked by
    /// `ScriptLineSkipTests`): change both together.
    package static func followsChinese(at i: Int, _ c: Scalars) -> Bool {
        var k = i - 1
        while k >= 0, c[k] == 0x3F || c[k] == 0x21 || c[k] == 0xFF1F || c[k] == 0xFF01 { k -= 1 }
        guard k >= 0 else { return false }
        return CJK.isHan(c[k]) || isClosing(c[k])
    }

    /// Closing quotes and brackets of Chinese text (`”」』》）`).
    package static func isClosing(_ c: UInt32) -> Bool {
        c == 0x201D || c == 0x300D || c == 0x300F || c == 0x300B || c == 0xFF09
    }

    /// Whether ASCII `ch` (`,` `.` `:` `;`) sits in Chinese text (and is not part of a number, time, ellipsis or abbreviation).
    /// `converted` (whether the line went through a converter) is asked only for a `.` before Han text.
    private static func touchesChinese(_ ch: UInt32, prev: UInt32, next: UInt32, converted: () -> Bool) -> Bool {
        if CJK.isDigit(prev) && CJK.isDigit(next) { return false }          // 10:30, 3.5, 1,000
        let prevHan = CJK.isHan(prev)
        let prevClose = Self.isClosing(prev)
        switch ch {
        case 0x2E:
            // A period ends a Chinese sentence only right after a Han character; runs are ellipses.
            // Before another Han character it may be a separator (`哈利.波特`) unless the line was converted.
            if next == 0x2E || prev == 0x2E { return false }
            if CJK.isHan(next) && !converted() { return false }
            return prevHan && !CJK.isASCIILetter(next) && !CJK.isDigit(next)
        case 0x3A:
            return prevHan || (prevClose && CJK.isHan(next))
        default: // , ;  (also after an ASCII `)` that closes a parenthesis: `(Interpol),警方`)
            return prevHan || (prevClose || prev == 0x29) && next > 0x7F
        }
    }
}
