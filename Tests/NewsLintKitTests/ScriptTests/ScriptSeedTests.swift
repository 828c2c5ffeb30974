import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The issue's "Done when" on the five real seeds, and `--fix` on a copy of seed 001.
@Suite struct ScriptSeedTests {
    static let scriptRules = ["encoding-invalid", "mojibake", "script-mixed", "punctuation-width", "invisible-char", "compat-ideograph"]

    static func seed(_ prefix: String) throws -> (path: String, bytes: [UInt8]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.seeds.path).sorted()
        let name = try #require(names.first { $0.hasPrefix(prefix) })
        let url = PackagePaths.seeds.appendingPathComponent(name)
        return ("seeds/" + name, [UInt8](try Data(contentsOf: url)))
    }

    static func diagnostics(_ rule: String, _ seed: (path: String, bytes: [UInt8])) throws -> [Diagnostic] {
        try RuleHarness.diagnostics(rule: rule, bytes: seed.bytes, path: seed.path)
    }

    /// `(pinyin)` artifacts found independently of the rule: Han + "(" + lowercase toned letters + ")".
    static func pinyinArtifacts(_ text: String) -> [(line: Int, match: String)] {
        let regex = try! NSRegularExpression(pattern: "\\p{Han}\\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\\)")
        var result: [(Int, String)] = []
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            let ns = line as NSString
            for m in regex.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                result.append((i + 1, ns.substring(with: m.range)))
            }
        }
        return result
    }

    @Test(arguments: ["000", "003"])
    func cleanSimplifiedSeedsAreQuiet(prefix: String) throws {
        let s = try Self.seed(prefix)
        for rule in Self.scriptRules {
            let found = try Self.diagnostics(rule, s)
            #expect(found.isEmpty, "\(prefix) \(rule): \(found.map { "\($0.line):\($0.column) \($0.message)" })")
        }
    }

    @Test func seed001MojibakeForEveryPinyinArtifactAndFrameShift() throws {
        let s = try Self.seed("001")
        let text = String(decoding: s.bytes, as: UTF8.self)
        let artifacts = Self.pinyinArtifacts(text)
        #expect(artifacts.count == 40)
        let found = try Self.diagnostics("mojibake", s)
        let pinyin = found.filter { $0.message.contains("pinyin") }
        let shifts = found.filter { $0.message.contains("frame shift") }
        #expect(pinyin.count == artifacts.count)
        // Every artifact is reported on its line with its syllable.
        for a in artifacts {
            let syllable = String(a.match.dropFirst())
            #expect(pinyin.contains { $0.line == a.line && $0.message.contains(syllable) }, "missing \(a)")
        }
        // Every `?` run: each `?` that follows a Han character in this seed is a frame shift.
        let questionLines = text.components(separatedBy: "\n").enumerated().flatMap { i, line in
            line.components(separatedBy: "?!").dropFirst().map { _ in i + 1 }
        }
        #expect(questionLines.count == 4)
        #expect(shifts.map(\.line).sorted() == questionLines.sorted())
        #expect(shifts.allSatisfy { $0.fix == nil })
        #expect(found.count == pinyin.count + shifts.count)
    }

    @Test func scriptMixedReportsLeftoversIn001And004() throws {
        let s1 = try Self.seed("001")
        let d1 = try Self.diagnostics("script-mixed", s1)
        // 并 in `并對今年工作` (line 3) and 干部 in `中層干部` (line 3), 苦干 (line 7).
        #expect(d1.contains { $0.line == 3 && $0.message.contains("并 → 並") && $0.message.contains("干部 → 幹部") })
        #expect(d1.contains { $0.line == 7 && $0.message.contains("干部") })
        #expect(d1.allSatisfy { $0.message.hasPrefix("Simplified leftover") })
        let s4 = try Self.seed("004")
        let d4 = try Self.diagnostics("script-mixed", s4)
        let lines4 = String(decoding: s4.bytes, as: UTF8.self).components(separatedBy: "\n")
        let declared = try #require(lines4.firstIndex { $0.contains("申報并成功") }) + 1
        #expect(d4.contains { $0.line == declared && $0.message.contains("并") })
        #expect(d4.allSatisfy { $0.message.hasPrefix("Simplified leftover") })
    }

    @Test(arguments: ["001", "002", "004"])
    func punctuationWidthFires(prefix: String) throws {
        let s = try Self.seed(prefix)
        let found = try Self.diagnostics("punctuation-width", s)
        #expect(found.count >= 10)
        // Safe fixes everywhere except on the lines of seed 001 with a frame shift, where nothing is fixed.
        let shifted = Set(try Self.diagnostics("mojibake", s).filter { $0.message.contains("frame shift") }.map(\.line))
        #expect(found.allSatisfy { shifted.contains($0.line) ? $0.fix == nil : $0.fix?.applicability == .safe })
        #expect(found.contains { $0.fix?.applicability == .safe })
    }

    @Test(arguments: ["000", "001", "002", "003", "004"])
    func noEncodingInvisibleOrCompatFindingsOnSeeds(prefix: String) throws {
        let s = try Self.seed(prefix)
        for rule in ["encoding-invalid", "invisible-char", "compat-ideograph"] {
            #expect(try Self.diagnostics(rule, s).isEmpty, "\(prefix) \(rule)")
        }
        if prefix == "002" || prefix == "004" {
            #expect(try Self.diagnostics("mojibake", s).isEmpty, "\(prefix) mojibake")
        }
    }

    /// `--fix` on a copy of seed 001 removes every `(pinyin)` artifact and fixes punctuation width;
    /// every other byte is unchanged.
    @Test func fixingSeed001ChangesOnlyArtifactsAndPunctuation() throws {
        let s = try Self.seed("001")
        let dir = TemporaryDirectory()
        dir.write("001.txt", bytes: s.bytes)
        let run = CLIRun.run(["--fix", "--select", "script", "--format", "concise", "001.txt"], cwd: dir.path)
        #expect(run.status == 1, "frame shifts stay as errors: \(run.stderr)")
        let fixed = dir.read("001.txt")
        let fixedText = String(decoding: fixed, as: UTF8.self)
        #expect(Self.pinyinArtifacts(fixedText).isEmpty)

        // Walk both byte arrays: every difference is a deleted `(pinyin)` group or one ASCII
        // punctuation mark replaced by its full-width form.
        let original = s.bytes
        let artifacts = Self.pinyinArtifacts(String(decoding: original, as: UTF8.self)).map { Array(String($0.match.unicodeScalars.dropFirst()).utf8) }
        let wide: [UInt8: [UInt8]] = [0x2C: Array("，".utf8), 0x2E: Array("。".utf8), 0x3A: Array("：".utf8), 0x3B: Array("；".utf8),
                                      0x21: Array("！".utf8), 0x3F: Array("？".utf8), 0x28: Array("（".utf8), 0x29: Array("）".utf8)]
        var i = 0, j = 0
        var deleted = 0, replaced = 0
        while i < original.count {
            if j < fixed.count && original[i] == fixed[j] { i += 1; j += 1; continue }
            if let w = wide[original[i]], j + w.count <= fixed.count, Array(fixed[j..<(j + w.count)]) == w {
                i += 1; j += w.count; replaced += 1; continue
            }
            if let a = artifacts.first(where: { i + $0.count <= original.count && Array(original[i..<(i + $0.count)]) == $0 }) {
                i += a.count; deleted += 1; continue
            }
            Issue.record("unexpected change at original byte \(i) / fixed byte \(j)")
            break
        }
        #expect(j == fixed.count)
        #expect(deleted == 40)
        #expect(replaced >= 40)
        // Nothing fixable by punctuation-width is left (lines with a frame shift get no fix), and the frame shifts are untouched.
        #expect(try RuleHarness.diagnostics(rule: "punctuation-width", bytes: fixed).allSatisfy { $0.fix == nil })
        #expect(fixedText.components(separatedBy: "?!").count - 1 == 4)
    }
}
