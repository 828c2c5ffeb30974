import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 11 (issue 16): the front matter's duplicate-key report by index and the site pages'
/// template search by memchr, against the plain forms they replace, on random front matter.
@Suite struct FrontMatterCPUEquivalenceTests {
    static func randomDocument(_ rng: inout SeededRandom) -> Document {
        let keys = ["title", "date", "tags", "a", "b", "標題", "\"q\""]
        let values = ["x", "{{ .Name }}", "{", "{ {", "}{", "{{", "新聞", "", "[a, b]", "'{{'"]
        var text = "---\n"
        for _ in 0..<Int.random(in: 0...30, using: &rng) {
            text += "\(keys.randomElement(using: &rng) ?? "a"): \(values.randomElement(using: &rng) ?? "")\n"
        }
        // Sometimes no closing line (the block then ends where the key lines do), sometimes a `{`
        // right before the body, whose `{` must not count.
        if Bool.random(using: &rng) { text += Bool.random(using: &rng) ? "k: {\n---\n{{body}}\n" : "---\n{\n" }
        return Document(path: "a.md", text: text)
    }

    /// The duplicate-key problems as they were reported: every entry against those before it.
    static func referenceDuplicates(_ entries: [FrontMatterEntry]) -> [String] {
        var out: [String] = []
        for (i, e) in entries.enumerated() {
            if let first = entries[..<i].first(where: { $0.key == e.key }) {
                out.append("\(e.line):\(e.column) duplicate key '\(e.key)' (first defined on line \(first.line))")
            }
        }
        return out
    }

    @Test func duplicateKeysAndTemplatesAsBefore() {
        var rng = SeededRandom(seed: 1_614)
        let pages = SitePages(files: [], layouts: [], templates: true)
        for _ in 0..<5_000 {
            let document = Self.randomDocument(&rng)
            guard let fm = document.frontMatter else { continue }
            let reported = fm.problems.filter { $0.message.hasPrefix("duplicate key") }.map { "\($0.line):\($0.column) \($0.message)" }
            let expected = Self.referenceDuplicates(fm.entries)
            #expect(reported.sorted() == expected.sorted(), "\(document.text)")
            let end = min(fm.bodyStart, document.bytes.count)
            let template = (0..<max(0, end - 1)).contains { document.bytes[$0] == UInt8(ascii: "{") && document.bytes[$0 + 1] == UInt8(ascii: "{") }
            #expect(pages.exempts(document) == template, "\(document.text)")
        }
    }

    /// The shared pair search (`{{`, `{%`) against a byte loop over random ranges, pairs at both ends.
    @Test func pairSearchMatchesTheByteLoop() {
        var rng = SeededRandom(seed: 1_615)
        let pool: [UInt8] = [0x7B, 0x7B, 0x25, 0x61, 0x0A, 0xE4]
        for _ in 0..<5_000 {
            let bytes = (0..<rng.below(24)).map { _ in pool[rng.below(pool.count)] }
            let lower = rng.below(bytes.count + 3), upper = lower + rng.below(bytes.count + 3)
            let end = min(upper, bytes.count)
            let expected = lower + 1 < end && (lower..<(end - 1)).contains { bytes[$0] == 0x7B && (bytes[$0 + 1] == 0x25 || bytes[$0 + 1] == 0x7B) }
            #expect(ByteSearch.containsPair(0x7B, in: bytes, lower..<upper) { $0 == 0x25 || $0 == 0x7B } == expected, "\(bytes) \(lower)..<\(upper)")
        }
    }
}
