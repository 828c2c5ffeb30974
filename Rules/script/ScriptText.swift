import NewsLintCore

/// A GBK "frame shift": one lost byte makes every following pair decode to the wrong character,
/// which leaves `?` (the lost character) followed by nonsense, such as `學?!半p一流”` for
/// `學校“雙一流”`. Shared by `mojibake` (which reports it) and `punctuation-width` (which keeps out).
package enum FrameShift {
    /// Scalar ranges of frame-shift runs in `run`.
    package static func spans(_ run: ScalarRun) -> [Range<Int>] {
        let c = run.cps
        let n = c.count
        var result: [Range<Int>] = []
        var i = 1
        while i < n {
            // To the next `?`, four scalars a step (a line has few).
            i = c.withUnsafeElements { $0.firstIndex(of: 0x3F, from: i, to: n) }
            guard i < n else { break }
            guard CJK.isHan(c[i - 1]) else { i += 1; continue }
            if let span = span(run, at: i) {
                result.append(span)
                i = span.upperBound
            } else {
                i += 1
            }
        }
        return result
    }

    /// Whether some `?` of the line `range` of `bytes` follows a byte above 0x7F inside the line:
    /// `spans` starts only at a `?` after a Han character, whose last byte is a continuation byte
    /// (an ill-formed byte is no Han character either). False for most lines that hold a `?` at
    /// all (one of a URL's query in an HTML line of thousands of characters): the `?` found by
    /// `memchr` on the bytes, where `spans` compared the line's every scalar, four at a time.
    package static func mayFollowHan(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            var from = range.lowerBound &+ 1
            while let mark = ByteWords.firstIndex(of: 0x3F, in: buf, from: from, to: range.upperBound) {
                if buf[mark &- 1] >= 0x80 { return true }
                from = mark &+ 1
            }
            return false
        }
    }

    /// The frame-shift run starting at the `?` at `i` (after a Han character), if it is one: what
    /// `spans` asks at each such `?` it reaches. `punctuation-width` asks it at the `?` its mark
    /// walk finds (every `?` after Han text), without a search over the line.
    @inline(__always)
    package static func span(_ run: ScalarRun, at i: Int) -> Range<Int>? {
        let c = run.cps
        let n = c.count
        // The run ends at whitespace, a closing quote or full-width sentence punctuation.
        var end = i + 1
        while end < n && end - i < 24 {
            let x = c[end]
            if x <= 0x20 || x == 0x201D || x == 0x300D || x == 0xFF0C || x == 0x3002 || x == 0xFF1B || x == 0x3001 { break }
            end += 1
        }
        return isShifted(run, i, end) ? i..<end : nil
    }

    /// Signals after the `?`: a lone lowercase ASCII letter between Han characters (`半p一`), or toned
    /// pinyin closed by `)` whose `(` was eaten by the shift. `?!` alone is punctuation (`真的?!他說`).
    private static func isShifted(_ run: ScalarRun, _ q: Int, _ end: Int) -> Bool {
        let c = run.cps
        var j = q + 1
        while j < end {
            // Lowercase only: `B超`, `X光`, `A股` after a real question mark are words.
            if (0x61...0x7A).contains(c[j]), j > q + 1, j - q <= 8, j + 1 < end, c[j - 1] > 0x7F,
               CJK.isHan(c[j + 1]) { return true }
            if c[j - 1] == 0x3F {
                let len = Pinyin.tonedSyllable(run, at: j)
                if len > 0, j + len < end, c[j + len] == 0x29 { return true }
            }
            j += 1
        }
        return false
    }
}
