/// CommonMark's code, on a line's bytes or scalars: the one pairing of backtick runs into code spans
/// and the one test for a line indented as code, shared by the engine (is a directive comment real
/// or shown as code?) and the rules (the prose mask, `indented-paragraph`).
public enum MarkdownCode {
    /// The end of a plain indent of at least four columns (spaces; a tab to the next multiple of
    /// four) that starts `range`, or nil: the indent that makes an indented code block, or continues one.
    package static func codeIndentEnd(_ b: [UInt8], _ range: Range<Int>) -> Int? {
        var i = range.lowerBound, column = 0
        while i < range.upperBound, b[i] == 0x20 || b[i] == 0x09 {
            column = b[i] == 0x09 ? (column / 4 + 1) * 4 : column + 1
            i += 1
        }
        return column >= 4 ? i : nil
    }

    /// The end of the code span opened by the run of `length` backticks at `i` (past the first
    /// later run of the same length on the line), or nil when the line has none: that opener is
    /// then left as text. Openers are asked about in order along the line, with one `unclosed`.
    ///
    /// Each length fails at most once (a later run of it would have closed the failed one), but a
    /// line can hold √(2n) distinct lengths, each failure a search of the rest of the line: a
    /// line of runs of 1, 2, … 630 backticks read the line 630 times. `unclosed` keeps, from the
    /// first failed search on, the last run of each length after its start (the search passed
    /// them all), so a later opener with no run of its length after it is answered at once.
    ///
    /// Generic over the line's units (bytes, scalars) with `nextBacktick(j)` the first backtick at
    /// or after `j` (`n` for none), so that each caller searches its own way (`memchr`, SIMD on
    /// scalars); inlinable, so that a caller's call is specialized.
    @inlinable
    package static func codeSpanEnd<Unit: FixedWidthInteger>(_ c: UnsafeBufferPointer<Unit>, at i: Int, length: Int,
                                                             unclosed: inout BacktickUnclosed, nextBacktick: (Int) -> Int) -> Int? {
        let n = c.count
        let k = i + length
        if k >= unclosed.from {
            guard let last = unclosed.lastRun[length], last >= k else { return nil }
        }
        var j = k
        while j < n {
            j = nextBacktick(j)
            guard j < n else { break }
            var e = j
            while e < n && c[e] == 0x60 { e += 1 }
            if e - j == length {
                unclosed.steps &+= e - k
                return e
            }
            // Noted until a search fails (that search notes every run after its start, the last of
            // each length last); after it, a search here would overwrite a last run with an earlier one.
            if unclosed.from == Int.max { unclosed.lastRun[e - j] = j }
            j = e
        }
        unclosed.steps &+= n - k
        if unclosed.from == Int.max { unclosed.from = k }
        return nil
    }

    /// `codeSpanEnd` on a line's bytes, each backtick found by `memchr`.
    @inlinable
    package static func codeSpanEnd(_ b: UnsafeBufferPointer<UInt8>, at i: Int, length: Int, unclosed: inout BacktickUnclosed) -> Int? {
        codeSpanEnd(b, at: i, length: length, unclosed: &unclosed) { ByteWords.firstIndex(of: 0x60, in: b, from: $0, to: b.count) ?? b.count }
    }

    /// The code spans of the line `b[range]`, in order: each backtick run opens one that the next run
    /// of the same length closes; a backslash before a run (an odd number of them) escapes its
    /// first backtick, the rest opening. Linear in the line (see `codeSpanEnd`).
    package static func codeSpans(_ b: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        b.withUnsafeBufferPointer { all in
            let line = UnsafeBufferPointer(rebasing: all[range])
            let n = line.count
            var unclosed = BacktickUnclosed()
            var spans: [Range<Int>] = []
            var i = 0
            while let tick = ByteWords.firstIndex(of: 0x60, in: line, from: i, to: n) {
                var e = tick
                while e < n, line[e] == 0x60 { e += 1 }
                var slashes = 0
                while tick - slashes > 0, line[tick - slashes - 1] == 0x5C { slashes += 1 }
                let start = slashes % 2 == 1 ? tick + 1 : tick
                if start < e, let close = codeSpanEnd(line, at: start, length: e - start, unclosed: &unclosed) {
                    spans.append((range.lowerBound + start)..<(range.lowerBound + close))
                    i = close
                } else {
                    i = e
                }
            }
            return spans
        }
    }

    /// Per line: where the first search for a code span's close found none (`from`), and the start
    /// of the last backtick run of each length that searches have passed (`lastRun`: complete from
    /// `from` on); the units the searches have read (`steps`, for tests).
    /// Usable from inline: `codeSpanEnd` is inlined into its callers.
    @usableFromInline package struct BacktickUnclosed {
        @usableFromInline package var from = Int.max
        @usableFromInline package var lastRun: [Int: Int] = [:]
        @usableFromInline package var steps = 0
        @inlinable package init() {}
    }
}
