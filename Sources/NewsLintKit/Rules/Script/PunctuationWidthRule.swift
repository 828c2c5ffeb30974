/// `punctuation-width`: ASCII punctuation between Chinese characters where the full-width form belongs.
public struct PunctuationWidthRule: Rule {
    public static let id = "punctuation-width"

    public init(options: RuleOptions) {}

    /// ASCII punctuation → full-width form.
    static let fullWidth: [UInt32: String] = [
        0x2C: "，", 0x2E: "。", 0x3A: "：", 0x3B: "；", 0x21: "！", 0x3F: "？", 0x28: "（", 0x29: "）",
    ]

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let lines = document.bodyLines else { return }
        var decoded: ScalarDecode?
        for n in lines where !document.isCode(line: n) {
            let range = document.contentRange(ofLine: n)
            // Cheap skip: lines without both ASCII punctuation and non-ASCII bytes.
            var hasPunct = false, hasWide = false
            for b in document.bytes[range] {
                if b >= 0x80 { hasWide = true } else if b == 0x2C || b == 0x2E || b == 0x3A || b == 0x3B || b == 0x21 || b == 0x3F || b == 0x28 || b == 0x29 { hasPunct = true }
                if hasPunct && hasWide { break }
            }
            guard hasPunct && hasWide else { continue }
            let decode = decoded ?? document.scalars
            decoded = decode
            checkLine(document.scalarRun(decode, line: n), into: &sink)
        }
    }

    func checkLine(_ run: ScalarRun, into sink: inout DiagnosticSink) {
        let c = run.cps
        let n = c.count
        var skip = ProseMask.nonProse(run)
        for span in FrameShift.spans(run) { for i in span { skip[i] = true } }
        // Parentheses: pair them up; a pair holding Han text becomes full-width as a whole,
        // a pair holding only Latin text, digits or pinyin (`(Interpol)`, `(qū)`) stays.
        var pairOf = [Int](repeating: -1, count: n)
        var stack: [Int] = []
        for i in 0..<n where !skip[i] {
            if c[i] == 0x28 { stack.append(i) } else if c[i] == 0x29, let open = stack.popLast() {
                pairOf[open] = i
                pairOf[i] = open
            }
        }
        var i = 0
        while i < n {
            let ch = c[i]
            guard !skip[i], let wide = Self.fullWidth[ch] else { i += 1; continue }
            let prev = i > 0 ? c[i - 1] : 0, next = i + 1 < n ? c[i + 1] : 0
            switch ch {
            case 0x28:
                let close = pairOf[i]
                if close > i, (i + 1..<close).contains(where: { CJK.isHan(c[$0]) }),
                   CJK.isHan(prev) || CJK.isHan(next) || CJK.isHan(c[close - 1]) || (close + 1 < n && CJK.isHan(c[close + 1])) {
                    let edits = [Edit(range: run.byteRange(i..<(i + 1)), replacement: "（"),
                                 Edit(range: run.byteRange(close..<(close + 1)), replacement: "）")]
                    sink.report(run.byteRange(i..<(close + 1)), "ASCII parentheses around Chinese text; use full-width '（）'",
                                fix: Fix(.safe, "Use full-width parentheses", edits: edits))
                }
            case 0x29:
                break // handled with its opening parenthesis; unpaired ones are left alone
            default:
                if touchesChinese(ch, prev: prev, next: next, at: i, c) {
                    let name = String(UnicodeScalar(UInt8(ch)))
                    sink.report(run.byteRange(i..<(i + 1)), "ASCII '\(name)' in Chinese text; use full-width '\(wide)'",
                                fix: Fix(.safe, "Use full-width '\(wide)'", edits: [Edit(range: run.byteRange(i..<(i + 1)), replacement: wide)]))
                }
            }
            i += 1
        }
    }

    /// Closing quotes and brackets of Chinese text (`”」』》）`).
    static func isClosing(_ c: UInt32) -> Bool {
        c == 0x201D || c == 0x300D || c == 0x300F || c == 0x300B || c == 0xFF09
    }

    /// Whether ASCII `ch` sits in Chinese text (and is not part of a number, time, ellipsis or abbreviation).
    private func touchesChinese(_ ch: UInt32, prev: UInt32, next: UInt32, at i: Int, _ c: Scalars) -> Bool {
        if CJK.isDigit(prev) && CJK.isDigit(next) { return false }          // 10:30, 3.5, 1,000
        let prevHan = CJK.isHan(prev)
        let prevClose = Self.isClosing(prev)
        switch ch {
        case 0x2E:
            // A period ends a Chinese sentence only right after a Han character; runs are ellipses.
            if next == 0x2E || prev == 0x2E { return false }
            return prevHan && !CJK.isASCIILetter(next) && !CJK.isDigit(next)
        case 0x3F, 0x21:
            if ch == 0x21 && next == 0x5B { return false }   // ![image](…)
            // `吗?!`: walk back over a run of question and exclamation marks.
            var k = i - 1
            while k >= 0, c[k] == 0x3F || c[k] == 0x21 || c[k] == 0xFF1F || c[k] == 0xFF01 { k -= 1 }
            guard k >= 0 else { return false }
            return CJK.isHan(c[k]) || Self.isClosing(c[k])
        case 0x3A:
            return prevHan || (prevClose && CJK.isHan(next))
        default: // , ;
            return prevHan || prevClose && next > 0x7F
        }
    }
}
