import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `punctuation-width`'s per-line check as it was before it asked about marks alone
/// (`PunctuationWidthRule.checkLine`, `MarkSkip.swift`): every whole-line mask built (the prose
/// mask with the Liquid tags across lines, the HTML view's hidden scalars, frame shifts, Shift-JIS residue, titles and quoted names)
/// and every scalar visited. The equivalence tests hold the rule's findings and fixes to it.
enum PunctuationWidthReference {
    typealias Rule = PunctuationWidthRule

    static func checkLine(_ run: ScalarRun, in document: Document, allInBMP: Bool = false, into sink: inout DiagnosticSink) {
        let c = run.cps
        let n = c.count
        // The spec of the prose mask, Liquid tags across lines included (`LiquidAcrossLinesReference`).
        var skip = LiquidAcrossLinesReference.nonProse(run, in: document)
        // One pass over the line tells which damage detectors can find anything (most lines: none).
        let signals = MojibakeRule.characterSignals(run, allInBMP: allInBMP)
        let frameShifts = signals.contains(.questionMark) ? FrameShift.spans(run) : []
        let shiftJIS = signals.contains(.halfwidthKana) ? MojibakeRule.shiftJISSpans(run) : []
        for span in frameShifts + shiftJIS + titlesAndQuotedNames(c) { for i in span { skip[i] = true } }
        // Beside encoding damage a `?` may be a lost character, and nothing is fixed without looking.
        let damaged = signals.isDisjoint(with: MojibakeRule.damageSignals) ? !frameShifts.isEmpty
            : MojibakeRule.hasDamage(run, frameShifts: frameShifts, shiftJIS: shiftJIS)
        // Every scalar is visited (the walk before `markPositions`).
        let positions = Array(0..<n)
        // ASCII commas, semicolons or colons after Han text: the line went through a converter, so a `.`
        // between Han characters is its full stop, not a separator as in `哈利.波特`.
        let converted = positions.contains { $0 >= 1 && !skip[$0] && (c[$0] == 0x2C || c[$0] == 0x3B || c[$0] == 0x3A) && CJK.isHan(c[$0 - 1]) }
        // Parentheses: pair them up, both widths on one stack; a pair of ASCII parentheses holding
        // Han text becomes full-width as a whole, a pair holding only Latin text, digits or pinyin
        // (`(Interpol)`, `(qū)`) stays; a pair of mixed widths (`（Sumy)`) is reported below.
        // An ASCII pair is one only inside a block (`ParenthesisBlocks`: `<p>`, `<br>`, `<li>` … end one).
        // `pairOf[j]`: the scalar index paired with `positions[j]`, or -1.
        let edges = c.withUnsafeElements { ParenthesisBlocks.blockEdges($0) }
        func blockOf(_ p: Int) -> Int { edges.filter { $0 <= p }.count }
        var pairOf = [Int](repeating: -1, count: positions.count)
        var stack: [Int] = []
        var mixedPairs: [(open: Int, close: Int)] = []
        for (j, i) in positions.enumerated() where !skip[i] {
            if c[i] == 0x28 || c[i] == 0xFF08 { stack.append(j) } else if c[i] == 0x29 || c[i] == 0xFF09 {
                guard let open = stack.popLast() else { continue }
                let o = positions[open]
                if c[o] == 0x28 && c[i] == 0x29 {
                    if blockOf(o) == blockOf(i) {
                        pairOf[open] = i
                        pairOf[j] = o
                    }
                } else if (c[o] == 0x28) != (c[i] == 0x29) {
                    mixedPairs.append((o, i))
                }
            }
        }
        func report(_ range: Range<Int>, _ message: String, _ edits: [Edit], _ title: String, safe: Bool = true) {
            sink.report(run.byteRange(range), message, fix: damaged ? nil : Fix(safe ? .safe : .unsafe, title, edits: edits))
        }
        // A full-width mark carries its own spacing: ASCII spaces after it go with the conversion
        // (`不過, 他表示` → `不過，他表示`, `主宾国, 100余家` → `主宾国，100余家`); at the line end they stay.
        func markEnd(_ end: Int) -> Int {
            var k = end
            while k < n, c[k] == 0x20 { k += 1 }
            return k > end && k < n && c[k] != 0x09 && c[k] != 0xA0 && c[k] != 0x3000 ? k : end
        }
        var nameLists: [Int: Bool] = [:]
        // The first scalar not yet passed (a run of `?!` is converted as a whole).
        var resume = 0
        for (j, i) in positions.enumerated() where i >= resume {
            resume = i + 1
            let ch = c[i]
            guard !skip[i], Rule.hasFullWidth(ch), let wide = Rule.fullWidth[ch] else { continue }
            let prev = i > 0 ? c[i - 1] : 0, next = i + 1 < n ? c[i + 1] : 0
            switch ch {
            case 0x28:
                let close = pairOf[j]
                if close > i, (i + 1..<close).contains(where: { CJK.isHan(c[$0]) }), !Rule.isPublishedParenthesis(c, open: i, close: close, converted: converted),
                   CJK.isHan(prev) || CJK.isHan(next) || CJK.isHan(c[close - 1]) || (close + 1 < n && CJK.isHan(c[close + 1])) {
                    let edits = [Edit(range: run.byteRange(i..<(i + 1)), replacement: "（"),
                                 Edit(range: run.byteRange(close..<(close + 1)), replacement: "）")]
                    report(i..<(close + 1), "ASCII parentheses around Chinese text; use full-width '（）'", edits, "Use full-width parentheses")
                }
            case 0x29:
                break // handled with its opening parenthesis; unpaired ones are left alone
            case 0x3F, 0x21:
                // `?!`, `!?`, `!!`, `??`: one mark, converted as a whole.
                var end = i + 1
                while end < n, !skip[end], c[end] == 0x3F || c[end] == 0x21 { end += 1 }
                resume = end
                if ch == 0x21 && next == 0x5B { continue }   // ![image](…)
                let marks = (i..<end).map { c[$0] }
                // A `?` beside encoding damage may be a lost character, not punctuation.
                if damaged && marks.contains(0x3F) { continue }
                if Rule.followsChinese(at: i, c) {
                    let ascii = String(String.UnicodeScalarView(marks.compactMap(Unicode.Scalar.init)))
                    let full = marks.map { $0 == 0x3F ? "？" : "！" }.joined()
                    // `香港?報` in text punctuated full-width: the `?` may stand for a character a legacy
                    // encoding could not hold (HKSCS `啲`, `咗`), so the fix needs a look.
                    let maybeLost = marks == [0x3F] && !converted && end < n && CJK.isHan(c[end])
                        && !Rule.questionParticles.contains(prev)
                    report(i..<end, "ASCII '\(ascii)' in Chinese text; use full-width '\(full)'" + (maybeLost ? " (unless it stands for a lost character)" : ""),
                           [Edit(range: run.byteRange(i..<markEnd(end)), replacement: full)], "Use full-width '\(full)'", safe: !maybeLost)
                }
                continue
            default:
                if touchesChinese(ch, prev: prev, next: next, converted: converted), !(ch == 0x2C && Rule.isNameList(c, comma: i, memo: &nameLists)) {
                    let name = String(UnicodeScalar(UInt8(ch)))
                    report(i..<(i + 1), "ASCII '\(name)' in Chinese text; use full-width '\(wide)'",
                           [Edit(range: run.byteRange(i..<markEnd(i + 1)), replacement: wide)], "Use full-width '\(wide)'")
                }
            }
        }
        // ASCII quotes: every `"` that is text takes part in the pairing of its paragraph.
        let quotes = (0..<n).filter { c[$0] == 0x22 && !skip[$0] }
        for pair in c.withUnsafeElements({ QuotePairs.pairs($0, kept: quotes, edges: edges) }) {
            report(pair.open..<(pair.close + 1), Rule.quotePairMessage + (pair.safe ? "" : Rule.quotePairUncertain),
                   Rule.quotePairEdits(run, pair), "Use Chinese quotation marks '“…”'", safe: pair.safe)
        }
        // Pairs of mixed widths in Chinese text: the ASCII mark takes the full width; no fix when a
        // parenthesis of its block has no partner there (each block paired on a stack of its own),
        // or the pair spans two blocks; an unsafe one for an ASCII `(` after a space.
        var unsettled = Set<Int>()
        var blockStack: [Int] = []
        var currentBlock = -1
        for i in positions where !skip[i] && (c[i] | 1 == 0x29 || c[i] | 1 == 0xFF09) {
            let b = blockOf(i)
            if b != currentBlock {
                if !blockStack.isEmpty { unsettled.insert(currentBlock) }
                blockStack = []
                currentBlock = b
            }
            if c[i] == 0x28 || c[i] == 0xFF08 { blockStack.append(i) } else if blockStack.popLast() == nil { unsettled.insert(b) }
        }
        if !blockStack.isEmpty { unsettled.insert(currentBlock) }
        for (open, close) in mixedPairs {
            let before = open > 0 ? c[open - 1] : 0, after = close + 1 < n ? c[close + 1] : 0
            guard (open + 1..<close).contains(where: { CJK.isHan(c[$0]) }) || CJK.isCJK(before) || CJK.isCJK(after) else { continue }
            let asciiOpen = c[open] == 0x28
            let message = "parentheses of mixed widths: " + (asciiOpen ? "'(' closed by '）'" : "'（' closed by ')'") + "; use full-width '（）'"
            if blockOf(open) != blockOf(close) || unsettled.contains(blockOf(open)) {
                sink.report(run.byteRange(open..<(close + 1)), message + " (a parenthesis of the line has no partner: not fixed automatically)", fix: nil)
                continue
            }
            let ascii = asciiOpen ? open : close
            report(open..<(close + 1), message, [Edit(range: run.byteRange(ascii..<(ascii + 1)), replacement: asciiOpen ? "（" : "）")],
                   "Use full-width parentheses", safe: !(asciiOpen && (before == 0x20 || before == 0x09 || before == 0xA0)))
        }
    }

    /// Scalar ranges inside `《…》`/`〈…〉` titles and short quoted names (`「香港股票基金(追蹤指數)」`):
    /// a quotation with no sentence punctuation of its own, full-width or ASCII (`“欲筑室者,先治其基”`
    /// is a sentence), at most 24 characters.
    static func titlesAndQuotedNames(_ c: Scalars) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0
        while i < c.count {
            i = c.withUnsafeElements { Rule.firstOpeningMark($0, from: i) }
            guard i < c.count else { break }
            let close: UInt32
            switch c[i] {
            case 0x300A: close = 0x300B   // 《》
            case 0x3008: close = 0x3009   // 〈〉
            case 0x300C: close = 0x300D   // 「」
            case 0x300E: close = 0x300F   // 『』
            case 0x201C: close = 0x201D   // “”
            default: i += 1; continue
            }
            var j = i + 1
            while j < c.count, c[j] != close, c[j] != c[i] { j += 1 }
            guard j < c.count, c[j] == close else { i += 1; continue }
            let isTitle = close == 0x300B || close == 0x3009
            let isName = j - i - 1 <= 24 && !(i + 1..<j).contains { [0xFF0C, 0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0x2C, 0x3B, 0x21, 0x3F, 0x3A].contains(c[$0]) }
            if isTitle || isName { result.append((i + 1)..<j) }
            i = j + 1
        }
        return result
    }

    /// Whether ASCII `ch` (`,` `.` `:` `;`) sits in Chinese text (and is not part of a number, time, ellipsis or abbreviation).
    private static func touchesChinese(_ ch: UInt32, prev: UInt32, next: UInt32, converted: Bool) -> Bool {
        if CJK.isDigit(prev) && CJK.isDigit(next) { return false }          // 10:30, 3.5, 1,000
        let prevHan = CJK.isHan(prev)
        let prevClose = Rule.isClosing(prev)
        switch ch {
        case 0x2E:
            // A period ends a Chinese sentence only right after a Han character; runs are ellipses.
            // Before another Han character it may be a separator (`哈利.波特`) unless the line was converted.
            if next == 0x2E || prev == 0x2E { return false }
            if CJK.isHan(next) && !converted { return false }
            return prevHan && !CJK.isASCIILetter(next) && !CJK.isDigit(next)
        case 0x3A:
            return prevHan || (prevClose && CJK.isHan(next))
        default: // , ;  (also after an ASCII `)` that closes a parenthesis: `(Interpol),警方`)
            return prevHan || (prevClose || prev == 0x29) && next > 0x7F
        }
    }
}
