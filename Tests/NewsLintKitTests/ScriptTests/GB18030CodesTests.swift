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
        #expect(checked > 60_000)
        // ASCII is itself; beyond the BMP the linear four-byte mapping, as Foundation has it.
        #expect(GB18030Codes.encode([0x41, 0x0A]) == [0x41, 0x0A])
        for v: UInt32 in [0x10000, 0x1F600, 0x20000, 0x2A6D6, 0x10FFFF] + (0..<200).map({ 0x10000 + $0 * 5_557 % 0x100000 }) {
            let foundation = String(Character(Unicode.Scalar(v)!)).data(using: MojibakeRule.gb18030, allowLossyConversion: false).map { [UInt8]($0) }
            #expect(GB18030Codes.encode([v]) == foundation, "U+\(String(v, radix: 16, uppercase: true))")
        }
        #expect(GB18030Codes.encode([0xD800]) == nil && GB18030Codes.encode([0x110000]) == nil)
    }

    /// Text on which Foundation's converter stops the process ("didn't convert all characters"):
    /// mojibake and encoding-invalid re-encode it from the table and report normally.
    @Test func textThatStopsFoundationsConverterIsLinted() throws {
        let dir = TemporaryDirectory()
        let fixtures = PackagePaths.root.appendingPathComponent("Tests/NewsLintKitTests/Fixtures/gb18030-converter")
        for name in ["mojibake-replacement-run.md", "gb18030-katakana.txt"] {
            let bytes = try #require(FileManager.default.contents(atPath: fixtures.appendingPathComponent(name).path))
            dir.write(name, bytes: [UInt8](bytes))
            let run = CLIRun.run(["--no-config", "--no-cache", "--format", "json", name], cwd: dir.path)
            #expect(run.status == 0 || run.status == 1, "\(name): \(run.stderr)")
            #expect(run.stdout.hasPrefix("["))
        }
    }

    /// Runs of mixed characters: the table gives each segment the bytes of its characters'
    /// one-character Foundation conversions (Foundation's conversion of a whole run can stop the
    /// process on runs like these: see above).
    @Test func segmentsMatchFoundation() throws {
        let rule = try MojibakeRule(options: RuleOptions())
        let pool: [UInt32] = [0x4E2D, 0x6587, 0x9FB4, 0x9FBB, 0xE000, 0xE5E5, 0xFF01, 0x3002, 0x2E80, 0xFFFD, 0xAC00, 0x30A2, 0x20AC, 0x9FA5, 0x9FA6, 0xFF71, 0x41, 0x1F600]
        func foundation(_ v: UInt32) -> [UInt8]? {
            Unicode.Scalar(v).flatMap { String(Character($0)).data(using: MojibakeRule.gb18030, allowLossyConversion: false) }.map { [UInt8]($0) }
        }
        var random = SeededRandom(seed: 0x6B18030)
        for _ in 0..<300 {
            let scalars = (0..<(1 + random.below(40))).map { _ in random.pick(pool) }
            let run = ScalarSlice(base: scalars, start: 0, count: scalars.count)
            var segments: [Range<Int>] = []
            var i = 0
            while i < scalars.count {
                let j = min(scalars.count, i + 1 + random.below(8))
                segments.append(i..<j)
                i = j + 1
            }
            let expected = segments.map { segment in scalars[segment].reduce([UInt8]?([])) { bytes, v in bytes.flatMap { b in foundation(v).map { b + $0 } } } }
            #expect(rule.encodeGB(segments: segments, of: run) == expected)
        }
    }
}
