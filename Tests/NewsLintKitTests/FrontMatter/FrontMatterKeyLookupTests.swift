import Foundation
import Testing
@testable import NewsLintCore

/// Lookups by `FrontMatterKey` (answered from the common keys' first entries noted while the keys
/// were read) give the index the lookup by string gives, and the first entry whose key is `==`
/// the name, over seeded random front matters: common and other keys, quoted and indented keys,
/// duplicates, keys outside ASCII (canonically equivalent ones too), TOML and JSON, blocks of more
/// than 24 and more than 255 keys, and entries replaced after parsing.
@Suite struct FrontMatterKeyLookupTests {
    /// Query names: every common key, keys that are not common, case and Unicode look-alikes.
    private static let names: [String] = YAMLSubset.commonKeys + [
        "site", "domain", "urlname", "source_url", "publishDate", "Title", "TITLE", "titles", "titl", "", "k", "x",
        "t\u{E9}tre", "te\u{301}tre", "\u{212A}ey", "Key", "caf\u{E9}", "cafe\u{301}", "dat\u{0435}", "a_very_long_key_name_past_16",
    ]

    private static let keyPieces: [String] = YAMLSubset.commonKeys + [
        "site", "domain", "urlname", "Title", "t\u{E9}tre", "te\u{301}tre", "\u{212A}ey", "Key", "k", "a_very_long_key_name_past_16",
    ]

    /// The first entry whose key is `==` `name`: what every lookup must give.
    private func reference(_ fm: FrontMatter, _ name: String) -> Int? { fm.entries.firstIndex { $0.key == name } }

    private func expectSameLookups(_ fm: FrontMatter, _ comment: Comment) {
        for name in Self.names {
            let key = FrontMatterKey(name)
            let expected = reference(fm, name)
            #expect(fm.index(of: key) == expected, comment)
            #expect(fm.index(of: name) == expected, comment)
            #expect(fm.contains(key) == (expected != nil), comment)
            #expect(fm.string(key) == fm.string(name), comment)
            #expect(fm.entry(key)?.line == fm.entry(name)?.line, comment)
        }
    }

    /// One random YAML line of a key: simple, quoted, indented block or list, or with a comment.
    private func yamlLine(_ key: String, _ rng: inout SeededRandom) -> String {
        switch rng.below(6) {
        case 0: return "\"\(key)\": quoted key\n"
        case 1: return "\(key):\n  - a\n  - b\n"
        case 2: return "\(key): value # comment\n"
        case 3: return "\(key): 'single'\n"
        default: return "\(key): 值 \(rng.below(100))\n"
        }
    }

    @Test func yamlLookupsMatchTheStringLookup() {
        var rng = SeededRandom(seed: 32)
        for round in 0..<600 {
            let count = round % 50 == 0 ? 30 + rng.below(10) : rng.below(9)
            var yaml = ""
            for _ in 0..<count { yaml += yamlLine(rng.pick(Self.keyPieces), &rng) }
            let text = "---\n" + yaml + "---\n正文。\n"
            guard let fm = Document(path: "a.md", text: text).frontMatter else { continue }
            expectSameLookups(fm, "\(text)")
        }
    }

    @Test(arguments: [
        "---\ntitle: x\ndate: 2024-01-01\n---\nbody\n",
        "---\ntitle: x\ndate: 1\ndate: 2\ntitle: y\n---\nbody\n",
        "---\nlayout: post\ntitle: t\ndate: 2024-11-27 09:36:01.000000000 +08:00\nlink: https://x.cn/1\ncategories: aj\n---\nbody\n",
        "---\nsite: s\nlink: https://x.cn/1\n---\nbody\n",
        "---\ncaf\u{E9}: 1\ncafe\u{301}: 2\ntitle: t\n---\nbody\n",
        "---\n\u{212A}ey: 1\nKey: 2\nlink: l\n---\nbody\n",
        "---\n  title: indented\n  date: 2024-01-01\n---\nbody\n",
        "+++\ntitle = \"x\"\nsite = \"y\"\n+++\nbody\n",
        "+++\ntitle = \"x\"\ndate = 2024-01-01\n+++\nbody\n",
        "{\n  \"title\": \"x\",\n  \"slug\": \"y\"\n}\nbody\n",
        "{\n  \"title\": \"x\",\n  \"domain\": \"y\"\n}\nbody\n",
        "---\ntitle: \u{FF}\u{FE}\n---\nbody\n",
    ])
    func shapes(_ text: String) throws {
        let fm = try #require(Document(path: "a.md", text: text).frontMatter)
        expectSameLookups(fm, "\(text)")
    }

    /// Past 255 entries a first entry may not fit its slot: the lookups still agree.
    @Test func manyEntries() throws {
        var yaml = ""
        for i in 0..<300 { yaml += "k\(i): v\n" }
        yaml += "title: late\nsite: s\ntitle: again\n"
        let fm = try #require(Document(path: "a.md", text: "---\n" + yaml + "---\nbody\n").frontMatter)
        expectSameLookups(fm, "300 keys, then title")
    }

    /// Entries replaced after parsing (`entries` is settable): the noted first entries follow.
    @Test func replacedEntries() throws {
        var fm = try #require(Document(path: "a.md", text: "---\ntitle: x\ndate: 2024-01-01\n---\nbody\n").frontMatter)
        var rng = SeededRandom(seed: 7)
        let template = try #require(fm.entries.first)
        for _ in 0..<200 {
            fm.entries = (0..<rng.below(8)).map { _ in
                var e = template
                e.key = rng.pick(Self.keyPieces)
                return e
            }
            expectSameLookups(fm, "\(fm.entries.map(\.key))")
        }
    }

    /// The common-key table's ids round-trip by bytes and by string, and a key outside it has none.
    @Test func commonKeyIDs() {
        let table = YAMLSubset.commonKeyTable
        #expect(table.count <= 32, "CommonKeySlots holds 32 ids")
        for key in YAMLSubset.commonKeys {
            let id = table.id(of: key)
            #expect(id.map { table.key(id: $0) } == key)
            let byBytes = Array(key.utf8).withUnsafeBufferPointer { table.id(ofBytes: $0) }
            #expect(byBytes == id)
        }
        for other in ["site", "Title", "titles", "", "t\u{E9}tre", "a_very_long_key_name_past_16"] { #expect(table.id(of: other) == nil) }
    }
}
