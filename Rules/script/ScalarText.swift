import Foundation
import NewsLintCore

/// Shared scanning helpers for the script rules: per-line views of the decoded scalars,
/// character classes, and the masks of spans that are not prose (URLs, code, HTML).

/// A zero-based window on one of `ScalarDecode`'s arrays: rules index a line's scalars from 0
/// without copying them out of the document's shared decode.
package struct ScalarSlice<Element>: RandomAccessCollection {
    package let base: [Element]
    package private(set) var start: Int
    package private(set) var count: Int

    package init(base: [Element], start: Int, count: Int) {
        // The window lies inside `base`, so checking an index against `count` is enough.
        precondition(start >= 0 && count >= 0 && start <= base.count - count, "window outside the decoded scalars")
        self.base = base
        self.start = start
        self.count = count
    }

    /// Moves the window to `count` elements from `start` of the same `base`, checked as `init` checks.
    package mutating func move(start: Int, count: Int) {
        precondition(start >= 0 && count >= 0 && start <= base.count - count, "window outside the decoded scalars")
        self.start = start
        self.count = count
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }

    /// The window as a buffer, for loops that read every element (no check per element). Made from
    /// the base address, not by slicing the buffer, whose bounds would be checked again (`init`
    /// checked them, and `base` cannot change).
    @inline(__always)
    package func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try base.withUnsafeBufferPointer { try body(UnsafeBufferPointer(start: $0.baseAddress.map { $0 + start }, count: count)) }
    }

    /// Checked against the window (like the per-line arrays this replaces), which lets the compiler
    /// drop the check in loops bounded by `count`.
    @inline(__always)
    package subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "scalar index out of the run")
        return base.withUnsafeBufferPointer { $0[start &+ i] }
    }
}

package typealias Scalars = ScalarSlice<UInt32>

extension UnsafeBufferPointer where Element == UInt32 {
    /// Whether the four scalars from `k` all lie in the Basic Multilingual Plane (below U+10000;
    /// `ScalarRun.invalid` does not): a loop that reads a 64K table indexed by the scalar
    /// (`MojibakeRule.signalTable`, `ScriptTables.countTable`) then reads the four without a test
    /// each. One OR and one compare for four scalars; text beyond the BMP is rare in any line.
    @inline(__always)
    package func fourInBMP(at k: Int) -> Bool {
        (self[k] | self[k &+ 1] | self[k &+ 2] | self[k &+ 3]) < 0x10000
    }

    /// The first index in `from..<end` holding `value`, or `end`: four scalars a step, compared at
    /// once (one SSE2 compare, its mask read as two words), where a scalar at a time cost four
    /// instructions (FrameShift's search for `?` walks whole HTML lines of hundreds of scalars).
    package func firstIndex(of value: UInt32, from: Int, to end: Int) -> Int {
        var k = from
        if let base = baseAddress {
            let wanted = SIMD4<UInt32>(repeating: value)
            while k &+ 4 <= end {
                let group = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD4<UInt32>.self)
                let lanes = unsafeBitCast(group .== wanted, to: SIMD2<UInt64>.self)
                if lanes[0] | lanes[1] != 0 { break }
                k &+= 4
            }
        }
        while k < end, self[k] != value { k &+= 1 }
        return k
    }
}

/// The byte offsets of a `ScalarRun`, indexed from 0.
package struct OffsetSlice: RandomAccessCollection {
    package let base: ByteOffsets
    package fileprivate(set) var start: Int
    package fileprivate(set) var count: Int
    package var startIndex: Int { 0 }
    package var endIndex: Int { count }
    package subscript(i: Int) -> Int {
        assert(i >= 0 && i < count, "offset index out of the run")
        return base[start &+ i]
    }
}

/// The scalars of one line (or the whole file), each with its byte offset, taken from the
/// document's shared `ScalarDecode`. Ill-formed bytes are `ScalarRun.invalid` (one per byte).
package struct ScalarRun {
    /// `ScalarDecode.invalid`, written as a literal: a global of another module is read through
    /// `swift_once` at every use, and the rules compare scalars with it in their inner loops.
    package static let invalid: UInt32 = 0xFFFF_FFFF
    /// Code points (or `invalid`).
    package private(set) var cps: Scalars
    /// Byte offset of each scalar; `offsets[cps.count]` is the end of the range.
    package private(set) var offsets: OffsetSlice

    /// Scalars `range` of `decode`.
    package init(_ decode: ScalarDecode, _ range: Range<Int>) {
        cps = Scalars(base: decode.cps, start: range.lowerBound, count: range.count)
        offsets = OffsetSlice(base: decode.offsets, start: range.lowerBound, count: range.count + 1)
    }

    /// The whole file.
    package init(wholeFile decode: ScalarDecode) { self.init(decode, 0..<decode.cps.count) }

    /// Moves the run to scalars `range` of the decode it was made from (checked as `init(_:_:)`
    /// checks). A loop over a document's lines or blocks moves one run: a run made per unit copies
    /// the decode's two arrays into it, a retain and a release of each per unit.
    package mutating func select(_ range: Range<Int>) {
        cps.move(start: range.lowerBound, count: range.count)
        offsets.start = range.lowerBound
        offsets.count = range.count + 1
    }

    package var count: Int { cps.count }
    package subscript(i: Int) -> UInt32 { i >= 0 && i < cps.count ? cps[i] : 0 }
    package func byteRange(_ r: Range<Int>) -> Range<Int> { offsets[r.lowerBound]..<offsets[r.upperBound] }
}

extension Document {
    /// Stores this document's `scalars` in `decoded` the first time a rule's line loop needs them;
    /// the loop then binds `decoded` with `guard let`. The rules keep the decode optional until a
    /// line needs it (an ASCII file is never decoded); `let decode = decoded ?? scalars` and
    /// `decoded = decode` at every line copied its arrays in and out (retains and releases a line).
    package func decodeOnce(into decoded: inout ScalarDecode?) {
        if decoded == nil { decoded = scalars }
    }

    /// The scalars of line `n` (1-based) without its terminator, from `decode` (this document's `scalars`).
    package func scalarRun(_ decode: ScalarDecode, line n: Int) -> ScalarRun {
        ScalarRun(decode, scalarRange(decode, line: n))
    }

    /// The indices in `decode` of the scalars of `scalarRun(decode, line: n)` (for `ScalarRun.select`).
    package func scalarRange(_ decode: ScalarDecode, line n: Int) -> Range<Int> {
        guard n >= 1, n <= decode.lineStarts.count else { return decode.cps.count..<decode.cps.count }
        return scalarRange(decode, line: n, content: contentRange(ofLine: n))
    }

    /// `scalarRun(decode, line: n)` for a caller that already holds `contentRange(ofLine: n)`.
    package func scalarRun(_ decode: ScalarDecode, line n: Int, content: Range<Int>) -> ScalarRun {
        ScalarRun(decode, scalarRange(decode, line: n, content: content))
    }

    /// The indices in `decode` of the scalars of `scalarRun(decode, line: n, content:)`, for a
    /// caller that reads them before it knows it needs the run (which retains the decode's arrays).
    package func scalarRange(_ decode: ScalarDecode, line n: Int, content: Range<Int>) -> Range<Int> {
        guard n >= 1, n <= decode.lineStarts.count else { return decode.cps.count..<decode.cps.count }
        let first = decode.lineStarts[n - 1]
        let next = n < decode.lineStarts.count ? decode.lineStarts[n] : decode.cps.count
        let fullEnd = n < lineStarts.count ? lineStarts[n] : bytes.count
        // The terminator (`\n`, `\r\n`) is ASCII: one scalar per byte.
        let end = next - (fullEnd - content.upperBound)
        return first..<max(first, end)
    }

    /// The first line from `n` through `last` (1-based) that a line loop passing over ASCII lines
    /// still visits, or `last + 1`: a line `lineIsASCII(decode, line:)` does not call ASCII, and,
    /// for `DiagnosticSink.budgetSpent`, a line whose number is a multiple of 64 or that is over
    /// 4 KB. Line k is ASCII exactly when its byte start less its scalar start equals line k + 1's
    /// (after the last line, the file's byte and scalar counts), so from `n` on the lines are ASCII
    /// while that difference stays what it is at `n`: a comparison or two a line. `n` itself where
    /// `lineIsASCII` is nil (an ill-formed file).
    package func nextLineToVisit(skippingASCIIOf decode: ScalarDecode, from n: Int, through last: Int) -> Int {
        let starts = lineStarts, scalarStarts = decode.lineStarts
        guard decode.isValidUTF8, n >= 1, n <= last, n <= starts.count, starts.count == scalarStarts.count, n & 63 != 0 else { return n }
        return starts.withUnsafeBufferPointer { s in
            scalarStarts.withUnsafeBufferPointer { c in
                var start = s[n &- 1]
                let shift = start &- c[n &- 1]
                // Lines before the starts' last end where the next starts; no line from `n` to `n | 63` is a budget step.
                let end = min(last, s.count &- 1, n | 63)
                var k = n
                while k <= end {
                    let next = s[k]
                    if next &- c[k] != shift || next &- start > 4096 { return k }
                    start = next
                    k &+= 1
                }
                // The file's last line, when asked for, ends at the end of the file.
                if k <= last, k == s.count, k & 63 != 0, bytes.count &- decode.cps.count == shift, bytes.count &- start <= 4096 { k &+= 1 }
                return k
            }
        }
    }
}

package enum CJK {
    /// CJK unified ideographs (including extensions) and compatibility ideographs.
    /// All start at U+3007 or above (UTF-8 lead byte 0xE3 or more): punctuation-width's byte test
    /// (`mayReport`) relies on it, and `ScriptLineSkipTests` checks it.
    @inline(__always)
    package static func isHan(_ c: UInt32) -> Bool {
        switch c {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x323AF: return true
        case 0x3007: return true // 〇
        default: return false
        }
    }

    /// Full-width punctuation and other East Asian text symbols that sit between Han characters.
    @inline(__always)
    package static func isCJKPunct(_ c: UInt32) -> Bool {
        (0x3000...0x303F).contains(c) || (0xFF01...0xFF0F).contains(c) || (0xFF1A...0xFF20).contains(c)
            || (0xFF3B...0xFF40).contains(c) || (0xFF5B...0xFF65).contains(c) || c == 0x201C || c == 0x201D
            || c == 0x2018 || c == 0x2019 || c == 0x2026 || c == 0x2014 || c == 0x00B7
    }

    @inline(__always)
    package static func isCJK(_ c: UInt32) -> Bool { isHan(c) || isCJKPunct(c) }

    @inline(__always)
    package static func isASCIILetter(_ c: UInt32) -> Bool { (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
    @inline(__always)
    package static func isDigit(_ c: UInt32) -> Bool { (0x30...0x39).contains(c) }

    /// Latin letters including accented ones (Latin-1 Supplement, Latin Extended-A/B, pinyin tones).
    @inline(__always)
    package static func isLatinLetter(_ c: UInt32) -> Bool {
        isASCIILetter(c) || (0xC0...0x24F).contains(c) && c != 0xD7 && c != 0xF7
    }
}

/// Toned pinyin: the letters a pinyin syllable is written with.
package enum Pinyin {
    /// Vowels carrying a tone mark (ā á ǎ à …, including ü forms).
    package static let tonedVowels: Set<UInt32> = Set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".unicodeScalars.map(\.value))

    @inline(__always)
    package static func isLetter(_ c: UInt32) -> Bool { (0x61...0x7A).contains(c) || c == 0xFC || tonedVowels.contains(c) }

    /// Length of a single toned syllable starting at `i` (lowercase, exactly one tone mark,
    /// at most 6 letters), or 0. Never matches plain ASCII words such as `Beijing`.
    /// Needs a member of `tonedVowels`: mojibake's parenthesis signal (`MojibakeRule.ownSignals`)
    /// looks for one on the line before it calls this.
    package static func tonedSyllable(_ run: ScalarRun, at i: Int) -> Int {
        var j = i
        var tones = 0
        while j < run.count && isLetter(run.cps[j]) && j - i < 7 {
            if tonedVowels.contains(run.cps[j]) { tones += 1 }
            j += 1
        }
        let n = j - i
        return n >= 1 && n <= 6 && tones == 1 ? n : 0
    }
}

/// Spans of a body line that are not prose: inline code, URLs, HTML tags, Markdown link
/// destinations and Liquid (Jekyll) tags and outputs. Rules that rewrite prose must stay out of them.
package enum ProseMask {
    /// `mask[i]` is true when scalar `i` of `run` lies in a non-prose span.
    ///
    /// Every span opens at an ASCII scalar, so scalars beyond ASCII (most of a Chinese unit) are
    /// passed over four at a time (one vector compare), as is a tag's text up to its end; the
    /// scalars and the mask are read as buffers (a check and a closure per read through `Scalars`).
    ///
    /// `start`: where the walk starts, the scalars before it left unmasked (for the caller to mask:
    /// a Liquid tag carried into the line from earlier lines, `LiquidAcrossLines`, whose text is no
    /// backtick or `<` that opens a span).
    package static func nonProse(_ run: ScalarRun, from start: Int = 0) -> [Bool] {
        let n = run.count
        var mask = [Bool](zeroedCount: n)
        mask.withUnsafeMutableBufferPointer { flags in
            run.cps.withUnsafeElements { c in
                var liquid = LiquidUnclosed()
                var backticks = BacktickUnclosed()
                var i = start
                while i < n {
                    if let base = c.baseAddress {
                        while i &+ 4 <= n, all(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<UInt32>.self) .>= SIMD4(repeating: 0x80)) { i &+= 4 }
                        guard i < n else { break }
                    }
                    let ch = c[i]
                    if ch == 0x60 { // `code`: a backtick run closed by a run of the same length
                        var k = i
                        while k < n && c[k] == 0x60 { k += 1 }
                        if let close = codeSpanEnd(c, at: i, length: k - i, unclosed: &backticks) {
                            for x in i..<close { flags[x] = true }
                            i = close
                        } else { i = k }
                        continue
                    }
                    if ch == 0x3C, i + 1 < n, CJK.isASCIILetter(c[i + 1]) || c[i + 1] == 0x2F || c[i + 1] == 0x21 { // <tag …>
                        // The first `>` or `<` after it, four scalars a step (HTML blocks hold many tags).
                        var j = i + 1
                        if let base = c.baseAddress {
                            let close = SIMD4<UInt32>(repeating: 0x3E), open = SIMD4<UInt32>(repeating: 0x3C)
                            while j &+ 4 <= n {
                                let group = UnsafeRawPointer(base + j).loadUnaligned(as: SIMD4<UInt32>.self)
                                if any((group .== close) .| (group .== open)) { break }
                                j &+= 4
                            }
                        }
                        while j < n && c[j] != 0x3E && c[j] != 0x3C { j += 1 }
                        if j < n && c[j] == 0x3E {
                            for x in i...j { flags[x] = true }
                            i = j + 1
                            continue
                        }
                    }
                    if ch == 0x5D, i + 1 < n, c[i + 1] == 0x28 { // ](destination)
                        var j = i + 2
                        var depth = 1
                        while j < n {
                            if c[j] == 0x28 { depth += 1 }
                            if c[j] == 0x29 { depth -= 1; if depth == 0 { break } }
                            j += 1
                        }
                        let end = min(j, n - 1)
                        for x in (i + 1)...end { flags[x] = true }
                        i = end + 1
                        continue
                    }
                    if ch == 0x7B, let len = liquidLength(c, at: i, unclosed: &liquid) {
                        for x in i..<(i + len) { flags[x] = true }
                        i += len
                        continue
                    }
                    if ch == 0x68 || ch == 0x66 || ch == 0x77 || ch == 0x6D, let len = urlLength(run.cps, at: i) {
                        for x in i..<(i + len) { flags[x] = true }
                        i += len
                        continue
                    }
                    i += 1
                }
            }
        }
        return mask
    }

    /// Length of a Liquid tag `{% … %}` or output `{{ … }}` starting at `i` and closed on the same
    /// line, or nil. Jekyll sites write them in posts (`{% include image.html src="/圖片/香港(一).jpg" %}`,
    /// `{% post_url 2024-11-01-香港,新聞 %}`): a path or a post's name, which a prose fix would break.
    /// A `{{` or `{%` that no close follows on its line is left to prose, as an unclosed backtick is.
    ///
    /// `unclosed` remembers, for the line, where a search for each close found none: a later `{{`
    /// or `{%` past that point has no close either and is answered without a scan, so a line of
    /// unclosed opens costs one scan per kind, not one per open (quadratic on a long line).
    package static func liquidLength(_ c: UnsafeBufferPointer<UInt32>, at i: Int, unclosed: inout LiquidUnclosed) -> Int? {
        let n = c.count
        guard i + 1 < n, c[i] == 0x7B, c[i + 1] == 0x25 || c[i + 1] == 0x7B else { return nil }
        let isTag = c[i + 1] == 0x25
        let closeFirst: UInt32 = isTag ? 0x25 : 0x7D // `%}` or `}}`
        let noCloseFrom = isTag ? unclosed.tagFrom : unclosed.outputFrom
        var j = i + 2
        guard j < noCloseFrom else { return nil }
        while j + 1 < n, c[j] != closeFirst || c[j + 1] != 0x7D { j += 1 }
        unclosed.steps &+= j - (i + 2)
        if j + 1 < n { return j + 2 - i }
        if isTag { unclosed.tagFrom = i + 2 } else { unclosed.outputFrom = i + 2 }
        return nil
    }

    /// `MarkdownCode.codeSpanEnd` on a line's scalars, each backtick found four scalars a step.
    @inline(__always)
    package static func codeSpanEnd(_ c: UnsafeBufferPointer<UInt32>, at i: Int, length: Int, unclosed: inout BacktickUnclosed) -> Int? {
        MarkdownCode.codeSpanEnd(c, at: i, length: length, unclosed: &unclosed) { c.firstIndex(of: 0x60, from: $0, to: c.count) }
    }

    package typealias BacktickUnclosed = MarkdownCode.BacktickUnclosed

    /// Per line: the first positions from which no `%}` (`tagFrom`) or `}}` (`outputFrom`) follows,
    /// once a search has found none; and the scalars the searches have read (`steps`, for tests).
    package struct LiquidUnclosed {
        package var tagFrom = Int.max
        package var outputFrom = Int.max
        package var steps = 0
        package init() {}
    }

    private static let schemes: [[UInt32]] = ["https://", "http://", "ftp://", "www.", "mailto:"].map { $0.unicodeScalars.map(\.value) }

    /// Length of a URL starting at `i`, or nil when no scheme (`https://`, `http://`, `ftp://`,
    /// `www.`, `mailto:`) starts there.
    ///
    /// A URL may hold characters beyond ASCII (an IRI: `https://zh.wikipedia.org/wiki/銀河(消歧義)`),
    /// so it does not end at the first of them: as in GitHub's autolinks, it runs to whitespace
    /// (ASCII, no-break, ideographic) or `<`, `>`, `"`, and here also to full-width punctuation
    /// (`。，、）」…`), which Chinese text puts right after a URL and no IRI holds. Trailing ASCII
    /// sentence punctuation is then left out, and a closing `)` only when the URL holds more `)`
    /// than `(` (a Wikipedia title keeps its parentheses). Text written straight after a URL with no
    /// space (`www.x.cn了解`) is taken into it: masking too much loses a finding, masking too
    /// little let a rule rewrite the URL. So is an ASCII `,` `;` `!` `?` followed by Han: in
    /// `https://zh.wikipedia.org/wiki/香港;澳門` it is the IRI's, in `網址https://x.cn/新聞,請查看`
    /// the sentence's, and no scalar test tells them apart; the text as published wins.
    package static func urlLength(_ c: Scalars, at i: Int) -> Int? {
        guard i < c.count, c[i] == 0x68 || c[i] == 0x66 || c[i] == 0x77 || c[i] == 0x6D else { return nil }
        if i > 0, CJK.isASCIILetter(c[i - 1]) { return nil }
        for s in schemes where i + s.count <= c.count {
            var ok = true
            for (k, v) in s.enumerated() where !sameASCIIIgnoringCase(c[i + k], v) { ok = false; break }
            if !ok { continue }
            let start = i + s.count
            var j = start
            var open = 0, close = 0
            while j < c.count, !endsURL(c[j]) {
                if c[j] == 0x28 { open += 1 } else if c[j] == 0x29 { close += 1 }
                j += 1
            }
            // Trailing sentence punctuation is not part of the URL, nor an unbalanced `)`.
            while j > start {
                let last = c[j - 1]
                if last == 0x29 {
                    guard close > open else { break }
                    close -= 1
                } else if ![0x2E, 0x2C, 0x3A, 0x3B, 0x21, 0x3F].contains(last) {
                    break
                }
                j -= 1
            }
            return j - i
        }
        return nil
    }

    /// Whether `c` is `v` (a scheme's lowercase letter or ASCII mark), letters in either case.
    @inline(__always)
    private static func sameASCIIIgnoringCase(_ c: UInt32, _ v: UInt32) -> Bool {
        c == v || CJK.isASCIILetter(v) && c == v - 0x20
    }

    /// Whether scalar `c` ends a URL: whitespace (`HTMLText.isWhitespaceOrNewline`, less the
    /// zero-width space U+200B, which has never ended one) and controls, `<` `>` `"`, full-width
    /// and CJK punctuation, U+FFFD and an ill-formed byte. Not the name separators `·` and `･`:
    /// they join the parts of a name inside an IRI (`https://x.jp/大阪･関西`), and no sentence
    /// puts one after a URL.
    @inline(__always)
    private static func endsURL(_ c: UInt32) -> Bool {
        if c < 0x80 { return c <= 0x20 || c == 0x7F || c == 0x3C || c == 0x3E || c == 0x22 }
        if c == 0xFFFD || c >= 0x110000 { return true } // `ScalarDecode.invalid` from 0x110000
        if c == 0x00B7 || c == 0xFF65 { return false }
        return HTMLText.isWhitespaceOrNewline(c) && c != 0x200B || CJK.isCJKPunct(c)
    }
}

extension ProseMask {
    /// `nonProse(run)`, plus the spans across lines (`spansAcrossLines`: Liquid tags and a Markdown
    /// document's raw HTML blocks; the line's walk starts after a span carried into it) and, in an HTML document, every scalar outside visible
    /// text (tags that span lines, attribute values, comments, script and style).
    package static func nonProse(_ run: ScalarRun, in document: Document) -> [Bool] {
        nonProse(run, in: document, liquid: spansAcrossLines(document))
    }

    /// `nonProse(run, in: document)` with the document's `spansAcrossLines`, found once by the caller.
    package static func nonProse(_ run: ScalarRun, in document: Document, liquid: LiquidAcrossLines) -> [Bool] {
        let carried = liquid.covered(run)
        var mask = nonProse(run, from: LiquidAcrossLines.head(carried))
        mark(carried, in: &mask)
        if document.isHTMLFile {
            mask.withUnsafeMutableBufferPointer { m in
                document.html.forEachHiddenRange(run) { r in for x in r { m[x] = true } }
            }
        }
        return mask
    }

    /// `nonProse(run, in: document)`, or an empty mask when no scalar is masked (most lines): the
    /// scan runs only on a line whose bytes could start a masked span, and the HTML mask is made
    /// token by token.
    package static func nonProseIfAny(_ run: ScalarRun, in document: Document) -> NonProse {
        var tokenCursor = 0
        return nonProseIfAny(run, bytes: document.bytes, html: document.isHTMLFile ? document.html : nil, tokenCursor: &tokenCursor,
                             liquid: spansAcrossLines(document))
    }

    /// `nonProseIfAny(run, in: document)` with the document's bytes and, in an HTML document, its
    /// HTML view (`document.html`), fetched once for all of a document's units, a token cursor
    /// carried from unit to unit (`HTMLView.forEachHiddenRange(_:tokenCursor:_:)`; 0 for the first),
    /// and its Liquid tags across lines (none: the line's own spans only).
    package static func nonProseIfAny(_ run: ScalarRun, bytes documentBytes: [UInt8], html: HTMLView?, tokenCursor: inout Int,
                                      liquid: LiquidAcrossLines = .empty) -> NonProse {
        let bytes = run.byteRange(0..<run.count)
        var mask: [Bool]?
        let carried = liquid.covered(run)
        if !carried.isEmpty || mayHoldNonProse(documentBytes, bytes) {
            var found = nonProse(run, from: LiquidAcrossLines.head(carried))
            mark(carried, in: &found)
            if found.contains(true) { mask = found }
        }
        html?.markHiddenByToken(run, tokenCursor: &tokenCursor, into: &mask)
        return NonProse(flags: mask ?? [])
    }

    /// False when `nonProse` masks nothing in `range`: it masks only from a backtick, `<`, `](`,
    /// `{%` or `{{`, or a URL scheme (`://` after http, https or ftp, `mailto:`, `www.`). A control
    /// byte needs no look: the scheme test is case-exact for `.`, `/` and `:`, and no span starts
    /// at one.
    package static func mayHoldNonProse(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            let end = range.upperBound
            var k = nonProseBytes.firstIndex(in: buf, from: range.lowerBound, to: end)
            while k < end {
                defer { k = nonProseBytes.firstIndex(in: buf, from: k &+ 1, to: end) }
                let b = buf[k]
                if b < 0x3A {
                    if b == 0x2E, k >= 3, buf[k - 1] | 0x20 == 0x77, buf[k - 2] | 0x20 == 0x77, buf[k - 3] | 0x20 == 0x77 { return true }
                } else if b == 0x3A {
                    if k >= 1, buf[k - 1] | 0x20 == 0x6F { return true }
                    if k + 2 < end, buf[k + 1] == 0x2F, buf[k + 2] == 0x2F { return true }
                } else if b == 0x3C || b == 0x5D || b == 0x60 {
                    return true
                } else if b == 0x7B, k + 1 < end, buf[k + 1] == 0x25 || buf[k + 1] == 0x7B {
                    return true
                }
            }
            return false
        }
    }

    /// Whether a scalar of the bytes `range` (on one line of `document`) lies in a span `nonProse`
    /// masks on that line (a URL, a link destination, a Liquid tag, code) or in a Liquid tag across
    /// lines (`LiquidAcrossLines`). For rules that read the
    /// whole file and ask only where they report (`compat-ideograph`, `mojibake`): a fix there
    /// changes an address, a template's argument or code, so it is no longer safe.
    package static func overlapsNonProse(_ document: Document, bytes range: Range<Int>) -> Bool {
        if spansAcrossLines(document).spans.contains(where: { $0.overlaps(range) }) { return true }
        return overlapsNonProse(document.scalarRun(document.scalars, line: document.line(ofByte: range.lowerBound)), documentBytes: document.bytes, range)
    }

    /// `overlapsNonProse(document, bytes: range)` for a caller holding the line's run (`line`)
    /// and the document's bytes.
    package static func overlapsNonProse(_ line: ScalarRun, documentBytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard mayHoldNonProse(documentBytes, line.byteRange(0..<line.count)) else { return false }
        let mask = nonProse(line)
        for i in 0..<line.count where mask[i] && line.byteRange(i..<(i + 1)).overlaps(range) { return true }
        return false
    }

    /// Sets `mask` over each of `ranges` (`LiquidAcrossLines.covered`: most lines have none).
    @inline(__always)
    package static func mark(_ ranges: [Range<Int>], in mask: inout [Bool]) {
        for r in ranges { for x in r { mask[x] = true } }
    }

    /// The bytes `mayHoldNonProse` looks at (any other byte it passes over).
    private static let nonProseBytes = ByteSet([0x2E, 0x3A, 0x3C, 0x5D, 0x60, 0x7B])

    /// Whether `mayHoldNonProse` looks at byte `b` (`ScriptTables.proseMarkScalars` are those of
    /// these that open a span which may hold text beyond ASCII).
    package static func mayHoldNonProseLooksAt(_ b: UInt8) -> Bool { nonProseBytes.contains(b) }
}

/// A line's non-prose mask (`ProseMask.nonProseIfAny`): no flags when every scalar is prose.
package struct NonProse {
    package let flags: [Bool]
    @inline(__always)
    package subscript(i: Int) -> Bool { !flags.isEmpty && flags[i] }
}

extension HTMLView {
    /// `forEachHiddenRange` into a mask created (all false) at the first hidden scalar, with the
    /// token cursor of `forEachHiddenRange(_:tokenCursor:_:)` (0 for a run on its own).
    package func markHiddenByToken(_ run: ScalarRun, tokenCursor: inout Int, into mask: inout [Bool]?) {
        let n = run.count
        forEachHiddenRange(run, tokenCursor: &tokenCursor) { r in
            if mask == nil { mask = [Bool](zeroedCount: n) }
            mask?.withUnsafeMutableBufferPointer { m in for x in r { m[x] = true } }
        }
    }

    /// Calls `body` with each range of scalars of `run` that lies outside visible text (tags,
    /// attribute values, comments, script and style), in order. Scalars before the tokenized range
    /// (front matter) are not HTML and are left out. Walked token by token: each token's scalars
    /// are found by bisecting the run's offsets, and `isProse(token:)` is asked once per token.
    package func forEachHiddenRange(_ run: ScalarRun, _ body: (Range<Int>) -> Void) {
        var tokenCursor = 0
        forEachHiddenRange(run, tokenCursor: &tokenCursor, body)
    }

    /// `forEachHiddenRange(_:_:)` for runs taken in document order (a document's prose units):
    /// `tokenCursor` is 0 or what the call for an earlier run left, the token reached there. Its
    /// first token is then found walking on from the cursor (a block is a few tokens past the one
    /// before), not bisected from the start, and the walk over all of a document's units passes
    /// each token once. A cursor past the run's first token (runs out of order) is not used.
    package func forEachHiddenRange(_ run: ScalarRun, tokenCursor: inout Int, _ body: (Range<Int>) -> Void) {
        // The offsets read through a buffer, the enum switched on once a call: read through the
        // run's subscript, each of the walk's reads and searches switched on it again.
        let offsets = run.offsets
        switch offsets.base {
        case .narrow(let all):
            all.withUnsafeBufferPointer {
                forEachHiddenRange(count: run.count, offsets: UnsafeBufferPointer(rebasing: $0[offsets.start...]), tokenCursor: &tokenCursor, body)
            }
        case .wide(let all):
            all.withUnsafeBufferPointer {
                forEachHiddenRange(count: run.count, offsets: UnsafeBufferPointer(rebasing: $0[offsets.start...]), tokenCursor: &tokenCursor, body)
            }
        }
    }

    /// `forEachHiddenRange(_:tokenCursor:_:)` for a run of `n` scalars whose byte offsets (then the
    /// run's end) start `offsets`.
    private func forEachHiddenRange<Offset: FixedWidthInteger>(count n: Int, offsets: UnsafeBufferPointer<Offset>, tokenCursor: inout Int,
                                                              _ body: (Range<Int>) -> Void) {
        let tokens = self.tokens
        /// The first scalar index in `from...n` whose offset is at least `offset` (the decode's
        /// bisection, spanning only the bytes asked about: a long line holds thousands of tokens).
        func firstScalar(from: Int, atOrAfter offset: Int) -> Int {
            ScalarDecode.firstScalar(atOrAfter: offset, from: from, count: n, offsets: offsets)
        }
        func mark(_ r: Range<Int>) { if !r.isEmpty { body(r) } }
        var i = firstScalar(from: 0, atOrAfter: range.lowerBound)
        guard i < n else { return }
        // The run's end: a token reaching it takes the rest of the run, with no bisection (most
        // HTML units lie in one text token).
        let runEnd = Int(offsets[n])
        // The first token ending after the scalar (tokens are in document order): the loop walks
        // on from `t`, which every token before ends at or before the scalar.
        let first = Int(offsets[i])
        var t = tokenCursor
        if t <= 0 || t > tokens.count || tokens[t &- 1].range.upperBound > first {
            var lo = 0, hi = tokens.count
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if tokens[mid].range.upperBound <= first { lo = mid &+ 1 } else { hi = mid }
            }
            t = lo
        }
        defer { tokenCursor = t }
        while i < n {
            let offset = Int(offsets[i])
            while t < tokens.count, tokens[t].range.upperBound <= offset { t &+= 1 }
            guard t < tokens.count else { mark(i..<n); return }
            let token = tokens[t].range
            if offset < token.lowerBound {
                let j = token.lowerBound >= runEnd ? n : firstScalar(from: i, atOrAfter: token.lowerBound)
                mark(i..<j)
                i = j
                continue
            }
            let j = token.upperBound >= runEnd ? n : firstScalar(from: i &+ 1, atOrAfter: token.upperBound)
            if !isProse(token: t) { mark(i..<j) }
            i = j
        }
    }
}

extension Document {
    /// The scalars of the byte `range` (scalar boundaries; e.g. one HTML block), from `decode`.
    /// `hint`: a scalar index at or before the range's first scalar (the end of the previous block
    /// when blocks come in order), where the search starts; ignored when it lies past the range.
    package func scalarRun(_ decode: ScalarDecode, bytes range: Range<Int>, from hint: Int = 0) -> ScalarRun {
        ScalarRun(decode, scalarRange(decode, bytes: range, from: hint))
    }

    /// The indices in `decode` of the scalars of `scalarRun(decode, bytes: range, from: hint)` (for `ScalarRun.select`).
    package func scalarRange(_ decode: ScalarDecode, bytes range: Range<Int>, from hint: Int = 0) -> Range<Int> {
        let start = hint > 0 && hint < decode.cps.count && decode.offsets[hint] <= range.lowerBound ? hint : 0
        let first = decode.firstScalar(atOrAfter: range.lowerBound, from: start)
        return first..<max(first, decode.firstScalar(atOrAfter: range.upperBound, from: first))
    }
}
