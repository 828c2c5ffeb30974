import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `CandidateLines`, the lines `PatternMatcher.scanBody` reads: a body's lines in order, or a
/// zone's header and footer lines merged as they are read, as `DocumentZones.edgeLines` lists them
/// (ascending, each once), for header and footer zones that are apart, touch, overlap or are empty.
@Suite struct CandidateLinesTests {
    func lines(_ candidates: CandidateLines) -> [Int] {
        var candidates = candidates
        var out: [Int] = []
        while let n = candidates.next() { out.append(n) }
        return out
    }

    @Test func mergedAsEdgeLinesLists() {
        var rng = SeededRandom(seed: 38_06)
        var overlapping = 0
        for round in 0..<3_000 {
            let lineCount = 1 + rng.below(30)
            let blank = Set((0..<rng.below(lineCount + 1)).map { _ in 1 + rng.below(lineCount) })
            let text = (1...lineCount).map { blank.contains($0) ? "" : "第\($0)行" }.joined(separator: "\n")
            let document = Document(path: "z\(round).md", text: text)
            let zones = DocumentZones(document, headerLines: rng.below(8), footerLines: rng.below(8))
            let got = lines(CandidateLines(merging: zones.headerLines, zones.footerLines))
            #expect(got == DocumentZones.edgeLines([zones]), "\(round)")
            if Set(zones.headerLines).intersection(zones.footerLines).count > 0 { overlapping += 1 }
        }
        #expect(overlapping > 300, "\(overlapping)")
        // Lists of any ascending lines.
        for _ in 0..<2_000 {
            let a = Array(Set((0..<rng.below(6)).map { _ in rng.below(20) })).sorted()
            let b = Array(Set((0..<rng.below(6)).map { _ in rng.below(20) })).sorted()
            #expect(lines(CandidateLines(merging: a, b)) == Array(Set(a + b)).sorted(), "\(a) \(b)")
        }
    }

    @Test func aBodyInOrder() {
        #expect(lines(CandidateLines(body: 3...7)) == [3, 4, 5, 6, 7])
        #expect(lines(CandidateLines(body: 1...1)) == [1])
    }
}
