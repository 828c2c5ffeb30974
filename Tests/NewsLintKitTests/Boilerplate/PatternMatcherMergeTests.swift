import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The zone lines of a document are each listed once (`DocumentZones.edgeLines`; one rule's are
/// merged as read, `CandidateLinesTests`), and a line's hits are deduplicated within their run of
/// equal start and pattern (`PatternMatcher.dedupe`), compared with the form it replaced.
@Suite struct PatternMatcherMergeTests {
    /// A body shorter than header and footer together: the zones share lines.
    @Test func edgeLinesOfOneRuleAreEachLineOnce() {
        for lineCount in [0, 1, 3, 6, 9, 14, 20, 40] {
            let text = "---\ntitle: t\n---\n" + (0..<lineCount).map { $0 % 4 == 3 ? "\n" : "第\($0)行\n" }.joined()
            let zones = DocumentZones(Document(path: "a.md", text: text), headerLines: 6, footerLines: 8)
            #expect(DocumentZones.edgeLines([zones]) == Array(Set(zones.headerLines + zones.footerLines)).sorted(), "\(lineCount)")
        }
    }

    /// The form `dedupe` replaced: sorted by (start, pattern), the first copy of each
    /// (pattern, start, end) kept.
    static func referenceDedupe(_ hits: [PatternHit]) -> [PatternHit] {
        var seen = Set<[Int]>()
        return hits.sorted { ($0.range.lowerBound, $0.pattern) < ($1.range.lowerBound, $1.pattern) }
            .filter { seen.insert([$0.pattern, $0.range.lowerBound, $0.range.upperBound]).inserted }
    }

    @Test func dedupeKeepsTheFirstCopyOfEachHit() {
        var rng = SeededRandom(seed: 16_32)
        var removed = 0
        for _ in 0..<3_000 {
            let hits = (0..<rng.below(12)).map { _ -> PatternHit in
                let start = rng.below(6)
                return PatternHit(pattern: rng.below(3), range: start..<(start + 1 + rng.below(3)))
            }
            let got = PatternMatcher.dedupe(hits), want = Self.referenceDedupe(hits)
            #expect(got.map { [$0.pattern, $0.range.lowerBound, $0.range.upperBound] } == want.map { [$0.pattern, $0.range.lowerBound, $0.range.upperBound] })
            removed += hits.count - got.count
        }
        #expect(removed > 1_000)
    }

    /// `containsAmpersandOrLessThan` (two `memchr`s) is the byte loop it replaced, in any range.
    @Test func ampersandOrLessThanSearchEqualsTheByteLoop() {
        var rng = SeededRandom(seed: 16_33)
        var found = 0
        for _ in 0..<3_000 {
            let bytes = (0..<rng.below(80)).map { _ in rng.pick([UInt8(ascii: "&"), UInt8(ascii: "<"), 0x41, 0xE4, 0x20, UInt8(truncatingIfNeeded: rng.next())]) }
            let lo = rng.below(bytes.count + 1)
            let range = lo..<(lo + rng.below(bytes.count - lo + 1))
            let want = bytes[range].contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") }
            #expect(TextScan.containsAmpersandOrLessThan(bytes, range) == want)
            if want { found += 1 }
        }
        #expect(found > 500 && found < 2_950)
    }
}
