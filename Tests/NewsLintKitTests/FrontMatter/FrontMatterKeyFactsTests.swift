import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// What the parsers record about keys while reading (ASCII-ness from the key bytes, duplicates
/// from reporting them) agrees with the answers from the keys' strings, and `front-matter-field`'s
/// shortcuts on them (no lookup per entry without duplicates, no `{{` scan of a block without `{`
/// or a backslash) decide as the full checks do.
@Suite struct FrontMatterKeyFactsTests {
    private func frontMatter(_ text: String) throws -> FrontMatter {
        try #require(Document(path: "a.md", text: text).frontMatter)
    }

    @Test(arguments: [
        "---\ntitle: x\ndate: 2024-01-01\n---\nbody\n",
        "---\ntitle: x\ndate: 1\ndate: 2\n---\nbody\n",
        "---\ncaf\u{E9}: 1\ncafe\u{301}: 2\n---\nbody\n",
        "---\n\"t\u{E9}\": 1\nplain: 2\n---\nbody\n",
        "---\n\u{212A}ey: 1\nKey: 2\n---\nbody\n",
        "+++\ntitle = \"x\"\ntitle = \"y\"\n+++\nbody\n",
        "+++\nt\u{E9}tre = \"x\"\n+++\nbody\n",
        "{\n  \"title\": \"x\",\n  \"title\": \"y\"\n}\nbody\n",
        "---\ntitle: \u{FF}\u{FE}\n---\nbody\n",
    ])
    func recordedKeyFactsMatchTheKeys(_ text: String) throws {
        let fm = try frontMatter(text)
        #expect(fm.keysAreASCII == FrontMatter.allKeysASCII(fm.entries))
        #expect(fm.hasDuplicateKeys == FrontMatter.anyDuplicateKeys(fm.entries, keysAreASCII: FrontMatter.allKeysASCII(fm.entries)))
        #expect(fm.hasDuplicateKeys == fm.problems.contains { $0.message.hasPrefix("duplicate key") })
    }

    @Test func invalidUTF8InAKeyIsNotASCII() throws {
        let bytes = Array("---\nti".utf8) + [0xFF] + Array("tle: x\ndate: 2024-01-01\n---\nbody\n".utf8)
        let fm = try #require(Document(path: "a.md", bytes: bytes).frontMatter)
        #expect(!fm.keysAreASCII)
        #expect(fm.entries.first?.key == "ti\u{FFFD}tle")
    }

    @Test func editedEntriesRecomputeTheKeyFacts() throws {
        var fm = try frontMatter("---\ntitle: x\ndate: 2024-01-01\n---\nbody\n")
        #expect(!fm.hasDuplicateKeys && fm.keysAreASCII)
        fm.entries.append(FrontMatterEntry(key: "titl\u{E9}", line: 4, column: 1, value: .scalar("y", .plain), valueRange: nil, entryRange: 0..<0))
        fm.entries.append(FrontMatterEntry(key: "title\u{301}", line: 5, column: 1, value: .scalar("z", .plain), valueRange: nil, entryRange: 0..<0))
        #expect(fm.hasDuplicateKeys && !fm.keysAreASCII)
    }

    /// Diagnostics of `front-matter-field` alone for one file.
    private func fieldFindings(_ text: String, path: String = "news/a.md") throws -> [String] {
        try RuleHarness.diagnostics(rule: "front-matter-field", text: text, path: path).map { "\($0.line):\($0.column) \($0.message)" }
    }

    /// A placeholder written with escapes (`\x7B` is `{`) has no brace byte: the block's
    /// backslash keeps the `{{` test on, and the template is not checked as a date.
    @Test func escapedPlaceholderIsStillATemplate() throws {
        #expect(try fieldFindings("---\ntitle: x\ndate: \"\\x7B\\x7B .Date \\x7D\\x7D\"\n---\nbody\n") == [])
        #expect(try fieldFindings("---\ntitle: x\ndate: '{{ .Date }}'\n---\nbody\n") == [])
        #expect(try fieldFindings("---\ntitle: x\ndate: \"\\x7B .Date \\x7D\"\n---\nbody\n").count == 1)
        #expect(try fieldFindings("---\ntitle: x\ndate: soon\n---\nbody\n").count == 1)
    }

    /// Each key is checked once: a duplicate's value is not (front-matter-malformed reports it),
    /// also when the duplicate is a canonically equivalent spelling.
    @Test func duplicateKeysAreCheckedOnce() throws {
        #expect(try fieldFindings("---\ntitle: x\ndate: 2024-01-01\ndate: soon\n---\nbody\n") == [])
        #expect(try fieldFindings("---\ntitle: x\ndate: soon\ndate: 2024-01-01\n---\nbody\n").count == 1)
        #expect(try fieldFindings("---\ntitle: x\ndate: 2024-01-01\ndat\u{E9}: 1\ndate\u{301}: soon\n---\nbody\n") == [])
    }

    /// Type lookups skip keys by length only between ASCII keys: a canonically equivalent
    /// spelling of a typed key (`KELVIN SIGN` for `K`) still has that key's type.
    @Test func typeOfACanonicallyEquivalentKey() throws {
        let rule = try FrontMatterFieldRule(options: RuleOptions(["types": JSONParser.parse(#"{"\u212Aind": "bool"}"#)]))
        let document = Document(path: "a.md", text: "---\ntitle: x\ndate: 2024-01-01\nKind: maybe\n---\nbody\n")
        var sink = DiagnosticSink(document: document, rule: FrontMatterFieldRule.id, severity: .error)
        rule.check(document, into: &sink)
        #expect(sink.diagnostics.map(\.message) == ["'Kind' should be true or false, found 'maybe'"])
    }
}
