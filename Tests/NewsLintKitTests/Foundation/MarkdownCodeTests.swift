import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `MarkdownCode`: the one backtick pairing and the one code-indent test, which the engine's
/// directive context, the prose mask and `indented-paragraph` share.
@Suite struct MarkdownCodeTests {
    /// The pairing `Suppressions.CommentContext.codeSpans` made (session 48) before it used the shared
    /// one: runs listed by length, each list passed through once.
    static func listedCodeSpans(_ bytes: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var runs: [(start: Int, length: Int)] = []
        var i = range.lowerBound
        while i < range.upperBound {
            guard bytes[i] == 0x60 else { i += 1; continue }
            var e = i
            while e < range.upperBound, bytes[e] == 0x60 { e += 1 }
            runs.append((i, e - i))
            i = e
        }
        guard runs.count >= 2 else { return [] }
        var byLength: [Int: [Int]] = [:]
        for (k, run) in runs.enumerated() { byLength[run.length, default: []].append(k) }
        var cursor: [Int: Int] = [:]
        var spans: [Range<Int>] = []
        var k = 0
        while k < runs.count {
            var (start, length) = runs[k]
            var slashes = 0
            while start - slashes > range.lowerBound, bytes[start - slashes - 1] == 0x5C { slashes += 1 }
            if slashes % 2 == 1 { start += 1; length -= 1 }
            guard length > 0, let list = byLength[length] else { k += 1; continue }
            var c = cursor[length] ?? 0
            while c < list.count, list[c] <= k { c += 1 }
            cursor[length] = c
            guard c < list.count else { k += 1; continue }
            let close = runs[list[c]]
            spans.append(start..<(close.start + close.length))
            k = list[c] + 1
        }
        return spans
    }

    /// Lines of backtick runs, backslashes and letters: the shared pairing finds the spans the
    /// directive context's own did, and pairs on bytes as the prose mask's scalar form does.
    @Test func codeSpansMatchTheListedPairingAndTheScalarForm() {
        var rng = SeededRandom(seed: 49_002)
        let pieces = ["`", "``", "```", "\\", "\\\\", "a", " ", "中", "````"]
        for _ in 0..<5_000 {
            var text = "x"
            for _ in 0..<Int.random(in: 0...14, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            text += "y"
            let bytes = Array(text.utf8)
            let range = 1..<(bytes.count - 1) // a line inside a larger buffer
            #expect(MarkdownCode.codeSpans(bytes, range) == Self.listedCodeSpans(bytes, range), "\(text)")

            // Every opener asked in order, as the prose mask asks (no escapes there): bytes and scalars agree.
            let ascii = Array(text.unicodeScalars.map { $0.value < 0x80 ? UInt8($0.value) : 0x41 })
            let scalars = ascii.map(UInt32.init)
            var byteEnds: [Int?] = [], scalarEnds: [Int?] = []
            var byteMemo = MarkdownCode.BacktickUnclosed(), scalarMemo = ProseMask.BacktickUnclosed()
            ascii.withUnsafeBufferPointer { b in
                scalars.withUnsafeBufferPointer { c in
                    var i = 0
                    while i < b.count {
                        guard b[i] == 0x60 else { i += 1; continue }
                        var k = i
                        while k < b.count && b[k] == 0x60 { k += 1 }
                        let byteEnd = MarkdownCode.codeSpanEnd(b, at: i, length: k - i, unclosed: &byteMemo)
                        byteEnds.append(byteEnd)
                        scalarEnds.append(ProseMask.codeSpanEnd(c, at: i, length: k - i, unclosed: &scalarMemo))
                        i = byteEnd ?? k
                    }
                }
            }
            #expect(byteEnds == scalarEnds, "\(text)")
        }
    }

    /// Backtick runs of 1, 2, … 630 with none closed: the first failed search notes the last run of
    /// each length, so the line is read about once, not once a length (√n × n), on bytes too.
    @Test func aLineOfUnclosedBacktickRunsIsReadOnceOnBytes() {
        var line = ""
        for length in 1...630 { line += "中" + String(repeating: "`", count: length) }
        let bytes = Array(line.utf8)
        var unclosed = MarkdownCode.BacktickUnclosed()
        var found = 0
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                guard b[i] == 0x60 else { i += 1; continue }
                var k = i
                while k < b.count && b[k] == 0x60 { k += 1 }
                if MarkdownCode.codeSpanEnd(b, at: i, length: k - i, unclosed: &unclosed) != nil { found += 1 }
                i = k
            }
        }
        #expect(found == 0)
        #expect(unclosed.steps < 2 * bytes.count, "\(unclosed.steps) steps")
        #expect(MarkdownCode.codeSpans(bytes, 0..<bytes.count).isEmpty)
    }

    /// The code indent: four columns of spaces, a tab to the next multiple of four; the whole
    /// leading run of spaces and tabs is the indent. As the directive context counted columns.
    @Test func codeIndentCountsColumns() {
        func end(_ s: String) -> Int? { let b = Array(s.utf8); return MarkdownCode.codeIndentEnd(b, 0..<b.count) }
        #expect(end("    x") == 4)
        #expect(end("   x") == nil)
        #expect(end("\tx") == 1)
        #expect(end(" \tx") == 2)
        #expect(end("   \t  x") == 6)
        #expect(end("      ") == 6)
        #expect(end("") == nil)
        #expect(end("\u{3000}\u{3000}x") == nil)
        // Columns counted as the directive context did (up to four, a tab to the next multiple of four).
        func columns(_ b: [UInt8]) -> Int {
            var columns = 0
            for c in b {
                if c == 0x20 { columns += 1 } else if c == 0x09 { columns += 4 - columns % 4 } else { break }
                if columns >= 4 { break }
            }
            return columns
        }
        var rng = SeededRandom(seed: 49_003)
        for _ in 0..<2_000 {
            let choices: [UInt8] = [0x20, 0x09, 0x61]
            var b: [UInt8] = []
            for _ in 0..<Int.random(in: 0...7, using: &rng) { b.append(choices.randomElement(using: &rng) ?? 0x20) }
            #expect((MarkdownCode.codeIndentEnd(b, 0..<b.count) != nil) == (columns(b) >= 4), "\(b)")
        }
    }
}
