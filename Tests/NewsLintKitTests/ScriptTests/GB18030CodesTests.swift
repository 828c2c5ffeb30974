import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `GB18030Codes` (the table mojibake re-encodes runs with) gives Foundation's bytes.
@Suite struct GB18030CodesTests {
    /// Every scalar of the table's range, one at a time, against Foundation's converter.
    @Test func everyScalarMatchesFoundation() throws {
        let table = try #require(GB18030Codes.table)
        #expect(table.count == Int(GB18030Codes.last - GB18030Codes.first) + 1)
        var checked = 0
        for v in GB18030Codes.first...GB18030Codes.last {
            guard let u = Unicode.Scalar(v) else {
                #expect(GB18030Codes.encode([v]) == nil)
                continue
            }
            let foundation = String(Character(u)).data(using: MojibakeRule.gb18030, allowLossyConversion: false).map { [UInt8]($0) }
            #expect(GB18030Codes.encode([v]) == foundation, "U+\(String(v, radix: 16, uppercase: true))")
            checked += 1
        }
        #expect(checked > 50_000)
        // Outside the range: no answer (the rule asks Foundation).
        #expect(GB18030Codes.encode([0x4E2D, 0x1F600]) == nil)
        #expect(GB18030Codes.encode([0x41]) == nil)
    }

    /// Runs of mixed characters: the table and Foundation's one-call conversion give the same segments.
    @Test func segmentsMatchFoundation() throws {
        let rule = try MojibakeRule(options: RuleOptions())
        let pool: [UInt32] = [0x4E2D, 0x6587, 0x9FB4, 0x9FBB, 0xE000, 0xE5E5, 0xFF01, 0x3002, 0x2E80, 0xFFFD, 0xAC00, 0x30A2, 0x20AC, 0x9FA5, 0x9FA6]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 1...40, using: &generator)).map { _ in pool.randomElement(using: &generator) ?? 0x4E2D }
            let run = ScalarSlice(base: scalars, start: 0, count: scalars.count)
            var segments: [Range<Int>] = []
            var i = 0
            while i < scalars.count {
                let j = min(scalars.count, i + Int.random(in: 1...8, using: &generator))
                segments.append(i..<j)
                i = j + 1
            }
            let expected = rule.foundationEncodeGB(segments: segments, of: run)
            // As the rule does: a segment the table cannot answer (U+20AC is below it) goes to Foundation.
            #expect(segments.map { GB18030Codes.encode(run[$0]) ?? rule.encodeGB(run[$0]) } == expected)
        }
    }
}
