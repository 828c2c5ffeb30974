import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite struct JSONParserTests {
    @Test func parsesWithPositions() throws {
        let node = try JSONParser.parse("{\n  \"a\": [1, true, null],\n  \"中\": \"\\u4e2d\\n\"\n}")
        #expect(node["a"]?.position == SourcePosition(line: 2, column: 8))
        #expect(node["中"]?.string == "中\n")
        #expect(node.members?[1].keyPosition == SourcePosition(line: 3, column: 3))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "1:9", "trailing comma"),
        ("{\"a\" 1}", "1:6", "expected ':'"),
        ("[1, 2", "1:6", "unexpected end"),
        ("{\n  \"a\": 'x'\n}", "2:8", "double quotes"),
        ("{\"a\": 1, \"a\": 2}", "1:10", "duplicate key"),
        ("{\"a\": \"line\nbreak\"}", "1:12", "unterminated"),
        ("{} x", "1:4", "after the JSON value"),
    ])
    func errorsHavePositions(_ input: String, _ position: String, _ fragment: String) {
        do {
            _ = try JSONParser.parse(input)
            Issue.record("expected an error for \(input)")
        } catch let e as JSONSyntaxError {
            #expect(e.position.description == position, "\(e)")
            #expect(e.message.contains(fragment), "\(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Strings without an escape are made from their bytes in one step; with one, the bytes before
    /// it are kept and the escape loop goes on. Both answer as the byte loop did: the string, or
    /// "not valid UTF-8" at the byte after the closing quote, on random bytes and around escapes.
    @Test func stringsWithAndWithoutEscapes() throws {
        var rng = SeededRandom(seed: 45)
        let pieces: [[UInt8]] = [Array("a".utf8), Array("中".utf8), Array("é".utf8), Array("😀".utf8), [0xE4, 0xB8], [0x80],
                                 [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], Array(" ".utf8)]
        for length in [0, 1, 2, 3, 8, 40] {
            for _ in 0..<40 {
                var body: [UInt8] = []
                while body.count < length { body += rng.pick(pieces) }
                let text = [0x22] + body + [0x22]
                if let expected = String(validating: body, as: UTF8.self) {
                    #expect(try JSONParser.parse(bytes: text).string == expected, "\(body)")
                } else {
                    let column = 1 + text.filter { $0 & 0xC0 != 0x80 }.count
                    do {
                        _ = try JSONParser.parse(bytes: text)
                        Issue.record("expected an error for \(body)")
                    } catch let e as JSONSyntaxError {
                        #expect(e.message.contains("not valid UTF-8") && e.position == SourcePosition(line: 1, column: column), "\(body) \(e)")
                    }
                }
            }
        }
        #expect(try JSONParser.parse("\"ab\\u4e2d\\\"c\\n\"").string == "ab中\"c\n")
        #expect(try JSONParser.parse("[\"中文\\t\", \"x\"]").array?.map(\.string) == ["中文\t", "x"])
        for (bytes, column, fragment) in [([0x22, 0xFF, 0x5C, 0x6E, 0x22], 6, "not valid UTF-8"), ([0x22, 0x61, 0x62], 4, "unterminated string"),
                                          ([0x22, 0x61, 0x09, 0x22], 3, "control character")] as [([UInt8], Int, String)] {
            do {
                _ = try JSONParser.parse(bytes: bytes)
                Issue.record("expected an error for \(bytes)")
            } catch let e as JSONSyntaxError {
                #expect(e.message.contains(fragment) && e.position == SourcePosition(line: 1, column: column), "\(bytes) \(e)")
            }
        }
    }

    @Test func roundTripSerialization() throws {
        let text = "{\"a\":[1,2.5,\"x\\\"y\"],\"b\":{\"c\":false,\"d\":null}}"
        #expect(try JSONParser.parse(text).serialized() == text)
    }
}

@Suite struct ConfigurationTests {
    func load(_ text: String) throws -> Configuration {
        var catalog = Catalog.builtin
        return try Configuration.parse(text, file: "cfg/.lint.json", directory: "/proj", catalog: &catalog)
    }

    func error(_ text: String) -> ConfigError? {
        do {
            _ = try load(text)
            return nil
        } catch let e as ConfigError {
            return e
        } catch {
            return nil
        }
    }

    @Test func validConfig() throws {
        let c = try load("""
        {"include": ["seeds/**"], "exclude": ["drafts/"], "extensions": ["md"],
         "rules": {"final-newline": "off", "hygiene": "info", "front-matter-field": {"severity": "warning", "required": ["title"]}},
         "overrides": [{"files": ["archive/**"], "rules": {"front-matter-missing": "warning"}}]}
        """)
        #expect(c.extensions == [".md"])
        #expect(c.isIncluded("/proj/seeds/a.txt"))
        #expect(!c.isIncluded("/proj/other/a.txt"))
        #expect(c.matchingOverrides("/proj/archive/2020/x.md") == [0])
        let rules = try RuleSet.build(catalog: .builtin, config: c)
        #expect(!rules.perFile.contains { $0.id == "final-newline" })
        #expect(rules.perFile.first { $0.id == "trailing-whitespace" }?.severity == .info)
        #expect(rules.perFile.first { $0.id == "front-matter-field" }?.severity == .warning)
        let archived = try RuleSet.build(catalog: .builtin, config: c, overrides: [0])
        #expect(archived.perFile.first { $0.id == "front-matter-missing" }?.severity == .warning)
    }

    @Test func invalidJSONGivesFileLineColumn() throws {
        let e = try #require(error("{\n  \"rules\": {\n    \"final-newline\": \"off\",\n  }\n}"))
        #expect(e.description.hasPrefix("cfg/.lint.json:4:3: "), "\(e)")
    }

    /// A `[` with no `]` in an include, exclude or override glob was taken literally, so the glob
    /// matched nothing anyone meant, silently. It is a config error at the glob.
    @Test func unclosedBracketInAGlobIsAConfigError() throws {
        let e = try #require(error("{\"exclude\": [\"drafts/**\", \"c/b.md[\"]}"))
        #expect(e.description == "cfg/.lint.json:1:27: exclude[1]: glob 'c/b.md[' has a '[' with no closing ']' (write '[[]' for a literal '[')", "\(e)")
        let o = try #require(error("{\"include\": [\"[ab\"],\n \"overrides\": [{\"files\": [\"x/**\", \"a[!b/*.md\"], \"rules\": {}}]}"))
        #expect(o.all.map(\.description) == [
            "cfg/.lint.json:1:14: include[0]: glob '[ab' has a '[' with no closing ']' (write '[[]' for a literal '[')",
            "cfg/.lint.json:2:35: overrides[0].files[1]: glob 'a[!b/*.md' has a '[' with no closing ']' (write '[[]' for a literal '[')",
        ], "\(o.all)")
        // Closed classes, and a literal `[` written as `[[]`, are fine.
        let c = try load("{\"exclude\": [\"a[0-9].md\", \"b[[].md\", \"**/[!x]*\"]}")
        #expect(c.exclude.count == 3)
        #expect(c.excludingPattern("/proj/b[.md") == "b[[].md")
    }

    /// `//` and `/* */` comments were "expected a quoted key": the message says JSON has none and
    /// where a note can go.
    @Test func commentsInTheConfigSayJSONHasNone() throws {
        let line = try #require(error("{\n  // the site's drafts\n  \"exclude\": [\"drafts/\"]\n}"))
        #expect(line.description == "cfg/.lint.json:2:3: invalid JSON: JSON has no comments (found '//'); a note can go in a \"$comment\" key", "\(line)")
        let after = try #require(error("{\"exclude\": [\"drafts/\"] /* old */}"))
        #expect(after.description.hasSuffix("invalid JSON: JSON has no comments (found '/*'); a note can go in a \"$comment\" key"), "\(after)")
        _ = try load("{\"$comment\": \"the site's drafts\", \"exclude\": [\"drafts/\"]}")
    }

    /// Problems inside one object were reported one at a time: the second bad option of a rule,
    /// the second bad key of `images`, an unsafe regex behind a bad `zone` in a rule pack.
    @Test func everyProblemInOneObjectIsListed() throws {
        let options = try #require(error("{\"rules\": {\"trailing-whitespace\": {\"allowHardBrake\": false, \"severity\": \"eror\"}}}"))
        #expect(options.all.map(\.jsonPath) == ["rules.trailing-whitespace.allowHardBrake", "rules.trailing-whitespace.severity"], "\(options.all)")
        let images = try #require(error("{\"images\": {\"timeout\": -1, \"retries\": 99, \"roots\": [\"\", \"a\", \"\"]}}"))
        #expect(images.all.map(\.jsonPath) == ["images.timeout", "images.retries", "images.roots[0]", "images.roots[2]"], "\(images.all)")
        let dir = TemporaryDirectory()
        let pack = dir.write("pack.json", """
            {"id": "site-footer", "message": "site footer", "zone": "footr",
             "patterns": [{"regex": "(a+)+$", "zone": "heder"}, {"literal": "ok"}, {"regex": "(a*)*b"}]}
            """)
        var catalog = Catalog.builtin
        do {
            try RulePackRegistry.load(path: pack, into: &catalog)
            Issue.record("the pack loaded")
        } catch let e as CatalogError {
            let messages = e.all.map(\.message)
            #expect(messages.count == 4, "\(messages)")
            #expect(messages.first?.hasPrefix("'zone' must be one of") == true, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("'patterns[0].regex' is refused") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("'patterns[0].zone' must be one of") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("'patterns[2].regex' is refused") }, "\(messages)")
        }
    }

    /// Two problems in one object of rules (members and one rule's fields), in `rules` and in an
    /// override's `rules`: both are listed, each with the message it has alone.
    @Test func everyProblemOfARulesObjectIsListed() throws {
        let rules = try #require(error(#"{"rules": {"trailing-whitespac": "error", "body-empty": "eror", "slug-invalid": {"severity": 3, "enabld": true}}}"#))
        #expect(rules.all.map(\.jsonPath) == ["rules.trailing-whitespac", "rules.body-empty", "rules.slug-invalid.severity", "rules.slug-invalid.enabld"],
                "\(rules.all)")
        let alone = try #require(error(#"{"rules": {"body-empty": "eror"}}"#))
        #expect(rules.all[1].message == alone.message && alone.all.count == 1, "\(alone)")
        let override = try #require(error(#"{"overrides": [{"files": ["a/**"], "rules": {"body-empty": "eror", "slug-invalid": 1}}]}"#))
        #expect(override.all.map(\.jsonPath) == ["overrides[0].rules.body-empty", "overrides[0].rules.slug-invalid"], "\(override.all)")
    }

    /// A rule-pack pattern object stopped at its first unknown key, hiding a second one, a bad
    /// `zone` and an unsafe regex: every problem is listed.
    @Test func everyProblemInAPatternObjectIsListed() throws {
        let dir = TemporaryDirectory()
        let pack = dir.write("pack.json", """
            {"id": "site-footer", "message": "site footer",
             "patterns": [{"literl": "x", "zon": "footer", "regex": "(a+)+$", "zone": "heder"}]}
            """)
        var catalog = Catalog.builtin
        do {
            try RulePackRegistry.load(path: pack, into: &catalog)
            Issue.record("the pack loaded")
        } catch let e as CatalogError {
            let messages = e.all.map(\.message)
            #expect(messages.count == 4, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("unknown key 'patterns[0].literl'; did you mean 'literal'?") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("unknown key 'patterns[0].zon'") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("'patterns[0].regex' is refused") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("'patterns[0].zone' must be one of") }, "\(messages)")
        }
    }

    @Test func unknownTopLevelKeySuggests() throws {
        let e = try #require(error("{\"exclud\": []}"))
        #expect(e.description == "cfg/.lint.json:1:2: exclud: unknown key 'exclud'; did you mean 'exclude'?")
    }

    @Test func unknownRuleSuggests() throws {
        let e = try #require(error("{\"rules\": {\"final-newlin\": \"off\"}}"))
        #expect(e.description.contains("rules.final-newlin: unknown rule 'final-newlin'; did you mean 'final-newline'?"), "\(e)")
    }

    @Test func unknownOptionSuggests() throws {
        let e = try #require(error("{\"rules\": {\"trailing-whitespace\": {\"allowHardBrake\": false}}}"))
        #expect(e.description.contains("rules.trailing-whitespace.allowHardBrake: unknown key 'allowHardBrake'; did you mean 'allowHardBreak'?"), "\(e)")
    }

    @Test func wrongTypesSayWhatWasExpected() throws {
        #expect(try #require(error("{\"include\": \"seeds\"}")).description.contains(#"include: expected an array of strings, found the string "seeds""#))
        #expect(try #require(error("{\"rules\": {\"trailing-whitespace\": {\"allowHardBreak\": \"yes\"}}}")).description.contains("expected boolean, found string"))
        #expect(try #require(error("{\"rules\": {\"final-newline\": \"eror\"}}")).description.contains("did you mean 'error'?"))
        #expect(try #require(error("{\"rules\": {\"line-endings\": {\"style\": \"cr\"}}}")).description.contains("not allowed"))
        #expect(try #require(error("{\"maxFileSize\": -1}")).description.contains("positive"))
        #expect(try #require(error("[]")).description.contains("JSON object"))
    }

    @Test func badRegexOptionIsAConfigError() throws {
        let c = try load("{\"rules\": {\"front-matter-field\": {\"patterns\": {\"slug\": \"[a-\"}}}}")
        #expect(throws: ConfigError.self) { try RuleSet.build(catalog: .builtin, config: c) }
    }

    @Test func discoveryWalksUp() throws {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{}")
        tmp.write("a/b/x.md", "x")
        #expect(Configuration.discover(from: tmp.path + "/a/b") == tmp.path + "/.lint.json")
    }
}

@Suite struct GlobTests {
    @Test(arguments: [
        ("seeds/**", "seeds/a.txt", true), ("seeds/**", "seeds/x/y.md", true), ("seeds/**", "other/a.txt", false),
        ("*.md", "a/b/c.md", true), ("*.md", "c.txt", false), ("drafts/", "drafts/a.md", true),
        ("a/*/c.md", "a/b/c.md", true), ("a/*/c.md", "a/b/x/c.md", false), ("a/**/c.md", "a/b/x/c.md", true),
        ("file?.txt", "file1.txt", true), ("[ab].md", "a.md", true), ("[!ab].md", "a.md", false),
        ("node_modules", "x/node_modules/y.md", true),
    ])
    func matches(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }

    @Test func suggestions() {
        #expect(Suggest.closest(to: "fromat", in: ["format", "fix"]) == "format")
        #expect(Suggest.closest(to: "zzzzzz", in: ["format", "fix"]) == nil)
    }
}
