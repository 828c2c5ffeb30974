import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `boilerplate-repeated` hashes each key as it is made (`RepeatedLineKey.hash`, plain runs eight
/// bytes per step); these compare that with `KeyHash.of` the key `normalise` writes, and the
/// rule's facts with the line-by-line collect it replaced.
@Suite struct RepeatedLineHashLanesTests {
    @Test func hashAsMadeEqualsHashOfTheKey() {
        let pieces = ["更新於", " ", "\t", "\u{3000}", "\u{A0}", "。", "１", "2024-11-01", "https://a.b/c?x=1", "www.rfa.org/x", "h", "/",
                      "新闻", "abcdefghijklmnopqrstu", "/web/20201231/https://x.org/1", "é"].map { Array($0.utf8) }
        var rng = SeededRandom(seed: 16_20)
        var longRuns = 0
        for round in 0..<3_000 {
            var line: [UInt8] = []
            for _ in 0..<rng.below(12) {
                line += round % 5 == 0 ? [UInt8(truncatingIfNeeded: rng.next())] : rng.pick(pieces)
            }
            let lo = rng.below(line.count + 1)
            let range = lo..<(lo + rng.below(line.count - lo + 1))
            var key: [UInt8] = []
            RepeatedLineKey.normalise(line, range, appendingTo: &key)
            #expect(RepeatedLineKey.hash(line, range) == KeyHash.of(key), "\(line)")
            if key.count >= 16 { longRuns += 1 }
        }
        #expect(longRuns > 250)
        #expect(RepeatedLineKey.hash([], 0..<0) == KeyHash.of([]))
    }

    /// A key's hash does not depend on the pieces it is written in (runs of any length at any
    /// offset, single bytes), and keys that differ by a byte or by trailing zero bytes differ.
    @Test func keyHashIsTheSameWhateverThePieces() {
        var rng = SeededRandom(seed: 20_1)
        var seen: [UInt64: [UInt8]] = [:]
        for _ in 0..<3_000 {
            let key = (0..<rng.below(70)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let whole = KeyHash.of(key)
            var pieces = KeyHash()
            var i = 0
            while i < key.count {
                if rng.chance(0.3) {
                    pieces.append(key[i])
                    i += 1
                } else {
                    let end = min(key.count, i + rng.below(20))
                    key.withUnsafeBufferPointer { pieces.append(run: UnsafeBufferPointer(rebasing: $0[i..<end])) }
                    i = end
                }
            }
            #expect(pieces.value == whole && pieces.written == key.count && pieces.lastByte == key.last, "\(key)")
            if let other = seen[whole] { #expect(other == key) } else { seen[whole] = key }
        }
        #expect(KeyHash.of([]) != KeyHash.of([0]) && KeyHash.of([0]) != KeyHash.of([0, 0]))
        #expect(KeyHash.of(Array(repeating: 0, count: 8)) != KeyHash.of(Array(repeating: 0, count: 16)))
    }

    /// `TextScan.hasScalars` (counting until the answer is known) is `scalarCount(_:_:) >= minimum`.
    @Test func hasScalarsIsTheFullCountCompared() {
        var rng = SeededRandom(seed: 16_23)
        let pieces = ["新", "a", "é", "😀", "\u{80}", " "].map { Array($0.utf8) } + [[0x80], [0xBF, 0x80], [0xE4]]
        for round in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.below(40) { bytes += round % 2 == 0 ? rng.pick(pieces) : [UInt8(truncatingIfNeeded: rng.next())] }
            let lo = rng.below(bytes.count + 1)
            let range = lo..<(lo + rng.below(bytes.count - lo + 1))
            for minimum in [0, 1, 2, 8, 9, 20, 60] {
                #expect(TextScan.hasScalars(bytes, range, atLeast: minimum) == (TextScan.scalarCount(bytes, range) >= minimum))
            }
        }
    }

    /// A key appended after others is the key alone (the space collapse looks only at its own bytes).
    @Test func appendedKeysEqualKeysAlone() {
        let pieces = ["更新於", " ", "\t", "\u{3000}", "\u{A0}", "。", "１", "2024-11-01", "https://a.b/c?x=1", "www.rfa.org/x", "h", "/", "新闻"]
            .map { Array($0.utf8) }
        var rng = SeededRandom(seed: 16_21)
        for _ in 0..<1_000 {
            var buffer: [UInt8] = []
            for _ in 0..<rng.below(4) {
                var line: [UInt8] = []
                for _ in 0..<rng.below(8) { line += rng.pick(pieces) }
                RepeatedLineKey.normalise(line, 0..<line.count, appendingTo: &buffer)
            }
            var line: [UInt8] = []
            for _ in 0..<rng.below(10) { line += rng.pick(pieces) }
            let start = buffer.count
            RepeatedLineKey.normalise(line, 0..<line.count, appendingTo: &buffer)
            var alone: [UInt8] = []
            RepeatedLineKey.normalise(line, 0..<line.count, into: &alone)
            #expect(Array(buffer[start...]) == alone)
        }
    }

    /// The collect this replaced: each qualifying unit normalised and hashed on its own.
    static func referenceCollect(_ rule: BoilerplateRepeatedRule, _ document: Document, reported: Set<Int>) -> [UInt32] {
        var seen = LineHashSet()
        var fact = BoilerplateRepeatedRule.Fact(group: "", hashes: [], lines: [])
        guard let body = document.bodyLines else { return [] }
        var key: [UInt8] = []
        if document.isHTMLFile {
            for block in document.html.textBlocks(document.bytes, blocks: document.htmlBlockRanges)
            where !block.heading && !BoilerplateRepeatedRule.isDateOnly(block.text) {
                let n = document.line(ofByte: block.start)
                guard !reported.contains(n), let r = rule.qualifyingRange(block.text, 0..<block.text.count) else { continue }
                RepeatedLineKey.normalise(block.text, r, into: &key)
                let h = KeyHash.of(key)
                if seen.insert(h), !fact.append(hash: h, line: n) { break }
            }
            return fact.packed
        }
        for n in body where !reported.contains(n) {
            guard let r = rule.qualifyingRange(document, n) else { continue }
            RepeatedLineKey.normalise(document.bytes, r, into: &key)
            let h = KeyHash.of(key)
            if seen.insert(h), !fact.append(hash: h, line: n) { break }
        }
        return fact.packed
    }

    func compare(_ rule: BoilerplateRepeatedRule, _ document: Document, reported: Set<Int> = []) -> Int {
        var environment = LintEnvironment.default
        environment.linesReportedByPacks = reported
        let got = rule.collect(document, environment: environment)?.packed ?? []
        #expect(got == Self.referenceCollect(rule, document, reported: reported), "\(document.path)")
        return got.count / 3
    }

    @Test func factsEqualTheLineByLineCollect() throws {
        let rule = try BoilerplateRepeatedRule(options: RuleOptions())
        var rng = SeededRandom(seed: 16_22)
        let lines = ["学校召开年度工作会议，总结过去一年的工作成绩。", "更新於 2024-11-01 10:00", "本文來源：自由亞洲電台 https://www.rfa.org/a/1.html",
                     "\u{3000}\u{3000}校長在講話中指出，全體教職工要凝心聚力。", "關注我們  Facebook | Twitter", "责任编辑：王五", "", "   ",
                     "## 本周重点", "<div id=\"zoom\">版權所有 © 2024</div>", "點擊數：１２３", "首页 › 新闻 › 国际", "ａｂｃ 123 def ghi jkl"]
        var units = 0
        for round in 0..<400 {
            var text = round % 3 == 0 ? "---\ntitle: 新闻\nsource: rfa\n---\n" : ""
            let html = round % 2 == 1
            if html { text += "<html><body>\n" }
            for _ in 0..<rng.below(30) {
                let line = rng.pick(lines)
                text += html && rng.chance(0.7) ? "<p>\(line)</p>\n" : line + "\n"
                if rng.chance(0.1) { text += line + "\n" }  // a repeat in the same file
            }
            if html { text += "</body></html>\n" }
            let document = Document(path: html ? "a.html" : "a.md", text: text)
            let reported: Set<Int> = rng.chance(0.3) ? [1 + rng.below(10), 1 + rng.below(20)] : []
            units += compare(rule, document, reported: reported)
        }
        #expect(units > 1_500)
        // Every Markdown and HTML fixture.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
            .filter { ["md", "html"].contains($0.pathExtension) } ?? []
        #expect(files.count > 50)
        for url in files {
            _ = compare(rule, Document(path: url.lastPathComponent, bytes: Array(try Data(contentsOf: url))))
        }
    }
}
