import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `front-matter-field` finds an entry's configured type from the first entry of each typed key
/// in the block (`configuredType(ofEntry:typedFirst:)`): for every entry the rule checks (its
/// key's first), the type the lookup of its key among the typed keys by string gives, over seeded
/// random blocks and `types` options (common and other keys, keys outside ASCII
/// and their canonically equivalent spellings, duplicates in the block).
@Suite struct FrontMatterFieldTypedEntriesTests {
    private static let keys = ["title", "date", "publishDate", "lastmod", "tags", "categories", "draft", "layout", "link",
                               "\u{212A}ind", "Kind", "caf\u{E9}", "cafe\u{301}", "site", "x"]
    private static let typeNames = ["string", "list", "string-or-list", "bool", "date", "number"]

    @Test func typedFirstEntriesGiveTheTypeOfTheKey() throws {
        var rng = SeededRandom(seed: 1_632)
        for round in 0..<400 {
            // `types` as JSON in a random order (JSON refuses a key written twice: `==` keys once).
            var members: [String] = [], typed: [String] = []
            for _ in 0..<(1 + rng.below(7)) {
                let key = rng.pick(Self.keys)
                guard !typed.contains(key) else { continue }
                typed.append(key)
                members.append("\"\(key)\": \"\(rng.pick(Self.typeNames))\"")
            }
            let json = "{" + members.joined(separator: ", ") + "}"
            let rule = try FrontMatterFieldRule(options: RuleOptions(["types": JSONParser.parse(json)]))
            var yaml = ""
            for _ in 0..<rng.below(9) { yaml += "\(rng.pick(Self.keys)): v\(rng.below(3))\n" }
            guard let fm = Document(path: "a.md", text: "---\n" + yaml + "---\nbody\n").frontMatter else { continue }
            let typedFirst = rule.typedFirstEntries(fm)
            typedFirst.withUnsafeBufferPointer { typedFirst in
                for i in fm.entries.indices {
                    // Only an entry that is its key's first is checked.
                    guard fm.index(of: fm.entries[i].key) == i else { continue }
                    let expected = rule.configuredType(of: fm.entries[i].key, keyIsASCII: fm.keysAreASCII)
                    #expect(rule.configuredType(ofEntry: i, typedFirst: typedFirst) == expected, "\(round) \(json) \(yaml)")
                }
            }
        }
    }
}
