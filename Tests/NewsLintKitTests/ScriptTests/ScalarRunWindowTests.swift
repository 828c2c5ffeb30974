import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 39: script-mixed moves one `ScalarRun` from unit to unit (`ScalarRun.select`) with the
/// units' scalar ranges (`Document.scalarRange(_:line:)`, `scalarRange(_:bytes:from:)`) instead of
/// making a run per unit. A run moved through a document's units in order, and then in any order,
/// against the run made for each unit as it was (`referenceRun`, the old `scalarRun` bodies): the same
/// scalars, offsets and byte range, on Markdown lines and HTML blocks with astral scalars, ill-formed
/// bytes and CR LF ends.
@Suite struct ScalarRunWindowTests {
    /// `Document.scalarRun(decode, line:)` and `scalarRun(decode, bytes:from:)` as they were written.
    static func referenceRun(_ document: Document, _ decode: ScalarDecode, line n: Int) -> ScalarRun {
        guard n >= 1, n <= decode.lineStarts.count else { return ScalarRun(decode, decode.cps.count..<decode.cps.count) }
        return document.scalarRun(decode, line: n, content: document.contentRange(ofLine: n))
    }

    static func referenceRun(_ document: Document, _ decode: ScalarDecode, bytes range: Range<Int>, from hint: Int) -> ScalarRun {
        let start = hint > 0 && hint < decode.cps.count && decode.offsets[hint] <= range.lowerBound ? hint : 0
        let first = decode.firstScalar(atOrAfter: range.lowerBound, from: start)
        return ScalarRun(decode, first..<max(first, decode.firstScalar(atOrAfter: range.upperBound, from: first)))
    }

    static func same(_ a: ScalarRun, _ b: ScalarRun) -> Bool {
        a.count == b.count && Array(a.cps) == Array(b.cps) && Array(a.offsets) == Array(b.offsets) && a.byteRange(0..<a.count) == b.byteRange(0..<b.count)
    }

    static let pieces: [[UInt8]] = ([
        "中", "中國", "後來的", " ", "a", "`x`", "<b>", "</b>", "<p>", "</p>", "<div>", "</div>", "<!--後-->", "<script>x</script>", "&amp;",
        "\n", "\r\n", "\n\n", "𠀀", "é", "http://x.cn/裡", "裡", "为", "為",
    ] as [String]).map { Array($0.utf8) } + [[0xFF], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xC0, 0xAE]]

    @Test func aMovedRunIsTheRunMadeForItsUnit() {
        var random = SeededRandom(seed: 39_01)
        var units = 0, htmlUnits = 0
        for k in 0..<1_500 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + random.below(k % 7 == 0 ? 300 : 60)) { bytes += random.pick(Self.pieces) }
            let html = k % 2 == 0
            let document = Document(path: html ? "w\(k).html" : "w\(k).md", bytes: bytes)
            let decode = document.scalars
            let proseUnits = document.proseUnits()
            var window: ScalarRun?
            var ranges: [Range<Int>] = []
            var nextScalar = 0
            for (n, range) in proseUnits {
                let scalars = html ? document.scalarRange(decode, bytes: range, from: nextScalar) : document.scalarRange(decode, line: n)
                let reference = html ? Self.referenceRun(document, decode, bytes: range, from: nextScalar) : Self.referenceRun(document, decode, line: n)
                #expect(scalars == reference.cps.start..<(reference.cps.start + reference.count), "w\(k) unit \(n)")
                if window == nil { window = ScalarRun(decode, scalars) } else { window?.select(scalars) }
                guard let run = window else { continue }
                let moved = Self.same(run, reference)
                let made = Self.same(html ? document.scalarRun(decode, bytes: range, from: nextScalar) : document.scalarRun(decode, line: n), reference)
                #expect(moved, "w\(k) unit \(n)")
                #expect(made, "w\(k) unit \(n)")
                nextScalar = scalars.upperBound
                ranges.append(scalars)
                units += 1
                if html { htmlUnits += 1 }
            }
            // Lines past the decode's: an empty run at its end.
            #expect(document.scalarRange(decode, line: decode.lineStarts.count + 1) == decode.cps.count..<decode.cps.count)
            #expect(document.scalarRange(decode, line: 0) == decode.cps.count..<decode.cps.count)
            // Back and forth, as script-mixed's second loop moves it over the units it keeps.
            for _ in 0..<min(20, ranges.count) {
                let r = ranges[random.below(ranges.count)]
                window?.select(r)
                guard let run = window else { continue }
                let same = Self.same(run, ScalarRun(decode, r))
                #expect(same, "w\(k) \(r)")
            }
        }
        #expect(units > 5_000 && htmlUnits > 1_000, "\(units) \(htmlUnits)")
    }
}
