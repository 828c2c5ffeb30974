import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `ProseMask.nonProse`, which passes over scalars beyond ASCII, and a tag's text, four at a time
/// and reads the scalars as a buffer, against the walk it replaced (`referenceNonProse`, one scalar
/// a step through `Scalars`): the same mask for units whose spans start and end at every offset of
/// a group of four. And `ScalarSlice.withUnsafeElements`, made from the base address.
@Suite struct ProseMaskSkipTests {
    /// `ProseMask.nonProse` as it was written before the skip.
    static func referenceNonProse(_ run: ScalarRun) -> [Bool] {
        let n = run.count
        var mask = [Bool](repeating: false, count: n)
        let c = run.cps
        var i = 0
        while i < n {
            let ch = c[i]
            if ch == 0x60 {
                var k = i
                while k < n && c[k] == 0x60 { k += 1 }
                let len = k - i
                var j = k
                var close = -1
                while j < n {
                    if c[j] == 0x60 {
                        var e = j
                        while e < n && c[e] == 0x60 { e += 1 }
                        if e - j == len { close = e; break }
                        j = e
                    } else { j += 1 }
                }
                if close > 0 {
                    for x in i..<close { mask[x] = true }
                    i = close
                } else { i = k }
                continue
            }
            if ch == 0x3C, i + 1 < n, CJK.isASCIILetter(c[i + 1]) || c[i + 1] == 0x2F || c[i + 1] == 0x21 {
                var j = i + 1
                while j < n && c[j] != 0x3E && c[j] != 0x3C { j += 1 }
                if j < n && c[j] == 0x3E {
                    for x in i...j { mask[x] = true }
                    i = j + 1
                    continue
                }
            }
            if ch == 0x5D, i + 1 < n, c[i + 1] == 0x28 {
                var j = i + 2
                var depth = 1
                while j < n {
                    if c[j] == 0x28 { depth += 1 }
                    if c[j] == 0x29 { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                let end = min(j, n - 1)
                for x in (i + 1)...end { mask[x] = true }
                i = end + 1
                continue
            }
            if ch == 0x7B, i + 1 < n, c[i + 1] == 0x25 || c[i + 1] == 0x7B { // {% tag %}, {{ output }}
                let second: UInt32 = c[i + 1] == 0x25 ? 0x25 : 0x7D
                var j = i + 2
                while j + 1 < n && !(c[j] == second && c[j + 1] == 0x7D) { j += 1 }
                if j + 1 < n {
                    for x in i...(j + 1) { mask[x] = true }
                    i = j + 2
                    continue
                }
            }
            if ch == 0x68 || ch == 0x66 || ch == 0x77 || ch == 0x6D, let len = ProseMask.urlLength(c, at: i) {
                for x in i..<(i + len) { mask[x] = true }
                i += len
                continue
            }
            i += 1
        }
        return mask
    }

    /// Han runs of every length mod 4 between span openers and closers, URLs that end at a Han
    /// character, unclosed spans, astral scalars and ill-formed bytes (`ScalarRun.invalid`, beyond
    /// ASCII as a number).
    static let pieces: [[UInt8]] = ([
        "中", "中國", "後來的", "後來的國", "`", "``", "`後`", "<b>", "</i>", "<!--後-->", "<後>", "<", ">", "](", "[a](http://x/裡)",
        "(", ")", "]", "http://x.cn", "https://裡.tw/後", "www.a", "mailto:a@b", "ftp://f", "h", "w", "m", "f", "a", " ", ".", ":",
        "𠀀", "é", "\u{0E}", "ww\u{0E}x", "<a href=\"http://x.cn/abcdefgh\">", "<div class=\"a b c d e\"", "<p a=1<", "<br/>",
        "{%", "%}", "{{", "}}", "{", "}", "%", "{% 後 %}",
    ] as [String]).map { Array($0.utf8) } + [[0xFF], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xC0, 0xAE]]

    @Test func theSkipMasksAsTheWalk() {
        var random = SeededRandom(seed: 38_05)
        var units = 0, masked = 0
        for k in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + random.below(k % 5 == 0 ? 200 : 40)) { bytes += random.pick(Self.pieces) }
            let document = Document(path: "m\(k).md", bytes: bytes + [0x0A])
            let decode = document.scalars
            for (n, _) in document.proseUnits() {
                let run = document.scalarRun(decode, line: n)
                let want = Self.referenceNonProse(run)
                #expect(ProseMask.nonProse(run) == want, "m\(k) line \(n)")
                units += 1
                if want.contains(true) { masked += 1 }
            }
        }
        #expect(units > 1_500 && masked > 1_000, "\(units) \(masked)")
    }

    /// Every window of arrays of 0 to 9 elements: the buffer holds the window's elements.
    @Test func windowsAsBuffers() {
        for length in 0..<10 {
            let base = (0..<length).map { UInt32($0 * 7 + 1) }
            for start in 0...length {
                for count in 0...(length - start) {
                    let window = Scalars(base: base, start: start, count: count)
                    let got = window.withUnsafeElements { Array($0) }
                    #expect(got == Array(base[start..<(start + count)]), "\(length) \(start) \(count)")
                }
            }
        }
    }
}
