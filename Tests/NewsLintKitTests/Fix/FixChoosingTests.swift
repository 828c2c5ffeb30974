import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// Choosing which fixes of a pass to apply. The chosen edits were one sorted array with an
/// `insert(at:)` per edit: line-endings' fix (an edit at every line end) is chosen first, and every
/// later fix inside its span was an O(n) insertion, quadratic on a large CRLF file (7.5 MB: 137 s).
@Suite struct FixChoosingTests {
    /// The algorithm before `ChosenEdits` (one sorted array), kept as the reference: the choice and
    /// the bytes written must not change.
    static func referenceApply(_ fixes: [Fix], to bytes: [UInt8]) -> ([UInt8], [Edit], Int) {
        func key(_ e: Edit) -> (Int, Int) { (e.range.lowerBound, e.range.upperBound) }
        let ordered = fixes.sorted { ($0.span.lowerBound, $0.span.upperBound, $0.edits.count) < ($1.span.lowerBound, $1.span.upperBound, $1.edits.count) }
        var chosen: [Edit] = []
        var chosenEnd = -1, count = 0
        var seen = Set<Fix>()
        for fix in ordered where !fix.edits.isEmpty {
            guard seen.insert(fix).inserted else { continue }
            guard fix.edits.allSatisfy({ $0.range.lowerBound >= 0 && $0.range.upperBound <= bytes.count && $0.range.lowerBound <= $0.range.upperBound }) else { continue }
            if zip(fix.edits, fix.edits.dropFirst()).contains(where: { Fixer.overlaps($0, $1) || $1.range.lowerBound < $0.range.upperBound }) { continue }
            if fix.span.lowerBound <= chosenEnd, fix.edits.contains(where: { Fixer.conflicts($0, sortedChosen: chosen, fileEnd: bytes.count) }) { continue }
            for e in fix.edits {
                let at = chosen.firstIndex { key($0) > key(e) } ?? chosen.count
                chosen.insert(e, at: at)
            }
            chosenEnd = max(chosenEnd, fix.span.upperBound)
            count += 1
        }
        guard count > 0 else { return (bytes, [], 0) }
        var out: [UInt8] = [], cursor = 0
        for e in chosen {
            out += bytes[cursor..<e.range.lowerBound] + e.replacement
            cursor = e.range.upperBound
        }
        out += bytes[cursor...]
        return (out, chosen, count)
    }

    /// Random fixes (one to four edits: deletions, replacements, insertions, some at the end of the
    /// file, some out of range or overlapping themselves) on short texts: the same fixes chosen,
    /// the same edits in the same order, the same bytes.
    @Test func choosesWhatTheSortedArrayChose() {
        var rng = SeededRandom(seed: 46_001)
        for _ in 0..<3_000 {
            let length = 1 + rng.below(40)
            let bytes = (0..<length).map { _ in UInt8(0x61 + rng.below(26)) }
            var fixes: [Fix] = []
            for _ in 0..<(1 + rng.below(30)) {
                var edits: [Edit] = []
                for _ in 0..<(1 + rng.below(4)) {
                    let lower = rng.below(length + 2)
                    let upper = rng.chance(0.3) ? lower : lower + rng.below(4)
                    edits.append(Edit(range: lower..<upper, replacement: rng.chance(0.5) ? [] : [UInt8(0x41 + rng.below(26))]))
                }
                fixes.append(Fix(.safe, "f", edits: edits))
            }
            if rng.chance(0.2) { fixes.append(Fix(.safe, "eof", edits: [.insert("\n", at: length)])) }
            let (out, edits, count) = Fixer.applyChoosing(fixes, to: bytes)
            let (expectedOut, expectedEdits, expectedCount) = Self.referenceApply(fixes, to: bytes)
            #expect(out == expectedOut && edits == expectedEdits && count == expectedCount, "\(fixes)")
        }
    }

    /// A CRLF file of 100,000 lines with trailing blanks: line-endings' one fix edits every line
    /// end, and a trailing-whitespace fix per line lands inside its span. Before: ~5·10⁹ edit moves
    /// (tens of seconds); now each edit is copied O(log n) times.
    @Test func lineEndingsAndAFixPerLineOfALargeCRLFFile() {
        let lines = 100_000
        let line = Array("text text  \r\n".utf8)
        let bytes = Array([[UInt8]](repeating: line, count: lines).joined())
        let lineEnds = Fix(.safe, "line-endings", edits: (0..<lines).map { Edit(range: ($0 * line.count + 11)..<($0 * line.count + 12), replacement: []) })
        let trailing = (0..<lines).map { Fix(.safe, "trailing", edits: [.delete(($0 * line.count + 9)..<($0 * line.count + 11))]) }
        let (out, edits, count) = Fixer.applyChoosing([lineEnds] + trailing, to: bytes)
        #expect(count == lines + 1)
        #expect(edits.count == 2 * lines)
        #expect(out == Array([[UInt8]](repeating: Array("text text\n".utf8), count: lines).joined()))

        var chosen = Fixer.ChosenEdits()
        chosen.add(lineEnds.edits)
        for fix in trailing { chosen.add(fix.edits) }
        #expect(chosen.runs.count <= 20)
        #expect(chosen.moved <= 2 * lines * 20)
        #expect(chosen.sorted() == edits)
    }
}
