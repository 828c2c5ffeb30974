import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// One-line plain front-matter values are kept as the document's bytes and their `String` made
/// only when asked (`FrontMatterEntry.value`). Over seeded front matters of every shape (quoted
/// values with escapes and `''`, block scalars, continued plain values, trailing comments and
/// spaces, flow and block lists, nested mappings, anchors and tags, duplicate keys, CRLF, a BOM,
/// bytes that are not UTF-8), every accessor answers what the value built as a string by the
/// parser's general path answers, and every rule moved to the bytes answers as it does on the
/// same front matter with every value built as a string.
@Suite struct FrontMatterValueBytesTests {
    private static let keys = ["title", "date", "link", "layout", "categories", "tags", "slug", "source", "url", "draft", "x", "標題", "caf\u{E9}"]

    /// Values as bytes (some are not UTF-8), each written after `key: `.
    private static let values: [[UInt8]] = {
        let texts = [
            "post", "page", "home", "\u{212A}", "2024-11-09 06:28:28.000000000 +08:00", "2024-11-09", "2024-13-45", "2024-11-09T10:00:00+08:00",
            "2024-11-09 junk", "2024-11-09 10:30 junk", "https://news.rthk.hk/rthk/ch/component/k2/1778250-20241109.htm", "http://x.y/z?q=1",
            "https://web.archive.org/web/20210301000000/https://news.example.hk/a/1", "www.example.com/a", "www.\u{301}x", "WWW.Example.COM",
            "美元上升　市場評估特朗普勝選對美國經濟影響", "\u{3000}", "\u{3000}\u{A0}", "\u{A0}x", "\u{2003}", "\u{1680}",
            "哈尔滨工程大学->学校召开年度工作会议", "美國大選結果公布 | hrbeu.com.cn", "《環看天下》：德國政局陷入混亂", "即時新聞：颱風",
            "news-site.com - 標題", "\"新聞標題 | hrbeu.com.cn\"", "'新聞標題 - 新浪新闻'", "新聞標題 - 新浪新闻  ", "新聞標題 | hrbeu.com.cn # c", "標題_网易新闻", "Title - 新浪新闻", "rthk", "aj", "true", "yes", "Off", "1.5", "-3", "abc",
            "post  \t", "post # a comment", "post#not-a-comment", "a: b", "x:y", "23:21:01", "{{ .Date }}", "{ a }",
            "\"a\\nb\"", "\"\\x41\\u00e9\\\"q\\t\"", "\"bad \\q escape\"", "\"《環看天下》：德國\"", "\"unterminated", "\"\"",
            "'it''s'", "'a b'  # c", "'open", "''",
            "|\n  line one\n  line two\n", ">\n  folded\n  text\n\n", "|2\n   x\n", "|-\n  kept\n",
            "first\n  continued here", "first\n\n  after a blank", "[a, b]", "[新聞, '社會', \"x, y\"]", "[unterminated",
            "\n  - a\n  - b", "\n- item one\n- item two", "\n  k: v\n  j: w", "", "&anchor x", "!!str 2024-01-01", "!tag",
            "@at", "`tick", "- dash",
        ]
        var values = texts.map { Array($0.utf8) }
        let invalid: [[UInt8]] = [
            [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0xAF], [0x80],
            Array("ab".utf8) + [0xFE] + Array("cd".utf8), Array("標題".utf8) + [0xE4, 0xB8], [0xE4, 0xB8, 0x20, 0x41],
            Array("https://x.cn/".utf8) + [0xFF], Array("www.".utf8) + [0xC3], Array("2024-11-09 ".utf8) + [0xFF],
        ]
        values += invalid
        return values
    }()

    /// A seeded front matter (LF or CRLF, with or without a BOM) and a short body.
    private static func document(_ rng: inout SeededRandom, _ round: Int) -> [UInt8] {
        let crlf = rng.chance(0.25)
        let newline: [UInt8] = crlf ? [0x0D, 0x0A] : [0x0A]
        func lines(_ bytes: [UInt8]) -> [UInt8] {
            // Every `\n` the value holds becomes the document's line ending.
            var out: [UInt8] = []
            for b in bytes { if b == 0x0A { out += newline } else { out.append(b) } }
            return out
        }
        var text: [UInt8] = rng.chance(0.1) ? [0xEF, 0xBB, 0xBF] : []
        text += Array("---".utf8) + newline
        for _ in 0..<(1 + rng.below(8)) {
            let key = rng.pick(keys)
            let value = rng.pick(values)
            text += Array(key.utf8) + Array(":".utf8)
            if !value.isEmpty && value.first != 0x0A { text += rng.chance(0.1) ? [0x09] : [0x20] }
            text += lines(value) + newline
        }
        text += Array("---".utf8) + newline
        text += Array(rng.pick(["頁面不存在，請稍後再試。", "美元上升，投資者評估特朗普當選美國總統可能對美國經濟產生的影響。", "正文", ""]).utf8) + newline
        return text
    }

    private static func documents(seed: UInt64, count: Int) -> [Document] {
        var rng = SeededRandom(seed: seed)
        // Half the paths start with a Jekyll date (which stands in for a missing front-matter date).
        return (0..<count).map { Document(path: ($0 % 2 == 0 ? "2024-11-09-a" : "a") + "\($0).md", bytes: document(&rng, $0)) }
    }

    private static func style(_ value: FrontMatterValue) -> ScalarStyle? {
        if case let .scalar(_, style) = value { return style }
        return nil
    }

    @Test func everyAccessorAnswersAsTheValueBuiltAsAString() throws {
        var keptAsBytes = 0, invalidBuilt = 0
        for document in Self.documents(seed: 3_701, count: 1_500) {
            let fm = try #require(document.frontMatter, "\(document.bytes)")
            guard let close = fm.closeLine, close > fm.openLine + 1 else { continue }
            // The general path builds every value as a string.
            var general: [FrontMatterEntry] = []
            var problems: [FrontMatterProblem] = []
            var keysAreASCII = true
            YAMLSubset.parse(lines: LineReader(bytes: document.bytes, lineStarts: document.lineStarts), range: (fm.openLine + 1)...(close - 1),
                             entries: &general, problems: &problems, keysAreASCII: &keysAreASCII, simpleLines: false)
            try #require(general.count == fm.entries.count, "\(document.bytes)")
            for i in fm.entries.indices {
                let entry = fm.entries[i], expected = general[i].value
                let expectedUTF8 = expected.scalarText.map { Array($0.utf8) }
                let comment: Comment = "\(document.bytes) entry \(i)"
                if entry.keepsScalarAsBytes { keptAsBytes += 1 }
                if case let .scalar(s, .plain) = expected, s.unicodeScalars.contains("\u{FFFD}") { invalidBuilt += 1 }
                // The bytes first: a string is made of them only after.
                #expect(entry.withScalarUTF8 { Array($0) } == expectedUTF8, comment)
                #expect(document.withFrontMatterScalarUTF8(ofEntry: i) { Array($0) } == expectedUTF8, comment)
                #expect(entry.value == expected, comment)
                #expect(entry.scalarStyle == Self.style(expected), comment)
                #expect(fm.value(ofEntry: i) == expected, comment)
                #expect(fm.scalarText(ofEntry: i) == expected.scalarText, comment)
                #expect(fm.scalarStyle(ofEntry: i) == Self.style(expected), comment)
                #expect(fm.withScalarUTF8(ofEntry: i) { Array($0) } == expectedUTF8, comment)
            }
            for key in Self.keys {
                let first = general.firstIndex { $0.key == key }
                #expect(fm.string(key) == first.flatMap { general[$0].value.scalarText }, "\(document.bytes) \(key)")
                #expect(fm.string(FrontMatterKey(key)) == first.flatMap { general[$0].value.scalarText }, "\(document.bytes) \(key)")
            }
        }
        // The seeded shapes reach both forms: values kept as bytes, and values with bytes that are
        // not UTF-8 repaired into strings.
        #expect(keptAsBytes > 1_000)
        #expect(invalidBuilt > 50)
    }

    /// A value set through `value` is the one read back, by every accessor (an edit drops the bytes).
    @Test func aValueSetReplacesTheBytes() throws {
        var fm = try #require(Document(path: "a.md", text: "---\ntitle: 標題\nlayout: post\n---\nbody\n").frontMatter)
        #expect(fm.entries[0].keepsScalarAsBytes)
        fm.entries[0].value = .scalar("新", .doubleQuoted)
        fm.entries[1].value = .list(["a"])
        #expect(!fm.entries[0].keepsScalarAsBytes)
        #expect(fm.entries[0].withScalarUTF8 { Array($0) } == Array("新".utf8))
        #expect(fm.scalarStyle(ofEntry: 0) == .doubleQuoted)
        #expect(fm.withScalarUTF8(ofEntry: 1) { _ in true } == nil)
        #expect(fm.string("title") == "新")
    }

    /// `front-matter-field`'s blank test on UTF-8 answers as the one on the string's scalars.
    @Test func blankUTF8AnswersAsTheString() {
        let scalars: [Unicode.Scalar] = ["\u{20}", "\u{9}", "\u{A}", "\u{D}", "\u{85}", "\u{A0}", "\u{1680}", "\u{180E}", "\u{2000}", "\u{2007}",
                                         "\u{200A}", "\u{200B}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{3001}", "\u{3FFF}", "\u{4E00}", "\u{FEFF}",
                                         "\u{FFFD}", "\u{E000}", "\u{1F600}", "\u{10FFFF}", "a", "é", "\u{301}"]
        var rng = SeededRandom(seed: 3_702)
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<rng.below(5) { text.append(rng.chance(0.7) ? rng.pick(Array(scalars.prefix(16))) : rng.pick(scalars)) }
            var string = String(text)
            let bytes = string.withUTF8 { FrontMatterFieldRule.isBlank(utf8: $0) }
            #expect(bytes == FrontMatterFieldRule.isBlank(string), "\(Array(string.unicodeScalars))")
        }
    }

    /// The front matter with every value built as a string (its entries' `value` set to itself).
    private static func built(_ fm: FrontMatter) -> FrontMatter {
        var copy = fm
        copy.entries = fm.entries.map { entry in
            var entry = entry
            entry.value = entry.value
            return entry
        }
        return copy
    }

    private static func diagnostics(_ rule: some Rule, _ id: String, _ document: Document) -> [Diagnostic] {
        var sink = DiagnosticSink(document: document, rule: id, severity: .warning)
        rule.check(document, into: &sink)
        return sink.diagnostics
    }

    /// `RepeatedLineKey.site` as it read values before, from their strings.
    private static func referenceSite(_ fm: FrontMatter, keys: [FrontMatterKey]) -> String {
        for key in keys {
            guard let i = fm.index(of: key.name) else { continue }
            let value: String?
            switch fm.entries[i].value {
            case let .scalar(s, _): value = s
            case let .list(items): value = items.first
            default: value = nil
            }
            guard let raw = value?.trimmingWhitespaces(), !raw.isEmpty else { continue }
            guard raw.contains("://") || raw.hasPrefix("www.") else { return key.name + ":" + raw }
            if let host = RepeatedLineKey.host(of: raw) { return "host:" + host }
        }
        return "corpus"
    }

    /// `front-matter-field`'s findings on the entries (all but the missing keys') as it made them
    /// before, from the values' strings, in entry order.
    private static func referenceFieldMessages(_ rule: FrontMatterFieldRule, _ fm: FrontMatter) -> [String] {
        var messages: [String] = []
        for (i, entry) in fm.entries.enumerated() where fm.index(of: entry.key) == i {
            let value = entry.value
            let isEmpty: Bool
            switch value {
            case .empty: isEmpty = true
            case let .scalar(s, _): isEmpty = FrontMatterFieldRule.isBlank(s)
            case let .list(items): isEmpty = items.isEmpty
            case .mapping: isEmpty = false
            }
            if isEmpty {
                if rule.nonEmpty && rule.required.contains(where: { $0.contains(entry.key) }) { messages.append("required key '\(entry.key)' has an empty value") }
                continue
            }
            if let text = value.scalarText, text.contains("{{"), text.contains("}}") { continue }
            if let type = rule.configuredType(of: entry.key, keyIsASCII: fm.keysAreASCII), let problem = rule.typeProblem(value, type, format: fm.format) {
                messages.append("'\(entry.key)' \(problem)")
            }
        }
        return messages
    }

    /// Every rule that reads values as UTF-8 answers as it did from the values' strings, and as on
    /// the same front matter with every value built as a string.
    @Test func rulesAnswerAsOnValuesBuiltAsStrings() throws {
        let field = try FrontMatterFieldRule(options: RuleOptions())
        let typed = try FrontMatterFieldRule(options: RuleOptions(["types": JSONParser.parse(
            "{\"title\": \"string\", \"date\": \"date\", \"draft\": \"bool\", \"x\": \"number\", \"tags\": \"list\", \"link\": \"string-or-list\", \"source\": \"date\"}")]))
        let allowed = try FrontMatterFieldRule(options: RuleOptions(["allowed": JSONParser.parse("{\"layout\": [\"post\", \"page\"]}"),
                                                                     "patterns": JSONParser.parse("{\"slug\": \"[a-z-]+\"}")]))
        let title = try TitleBoilerplateRule(options: RuleOptions())
        let affix = try TitleRepeatedAffixRule(options: RuleOptions())
        let placeholder = try BodyPlaceholderRule(options: RuleOptions())
        let pageSets = [SitePages(files: [], layouts: ["home", "page", "post"], templates: false),
                        SitePages(files: [], layouts: ["home", "\u{212A}"], templates: false)]
        let siteKeys = [RepeatedLineKey.defaultGroupFrontMatterKeys, ["title", "layout", "categories", "link", "x"].map(FrontMatterKey.init)]
        var compared = 0
        for document in Self.documents(seed: 3_703, count: 1_500) {
            let fm = try #require(document.frontMatter)
            let strings = Self.built(fm)
            #expect(!strings.entries.contains { $0.keepsScalarAsBytes })
            let other = Document(document, frontMatter: strings)
            let comment: Comment = "\(document.bytes)"
            if fm.entries.contains(where: { $0.keepsScalarAsBytes }) { compared += 1 }
            for rule in [field, typed, allowed] {
                #expect(Self.diagnostics(rule, FrontMatterFieldRule.id, document) == Self.diagnostics(rule, FrontMatterFieldRule.id, other), comment)
            }
            for rule in [field, typed] {
                let found = Self.diagnostics(rule, FrontMatterFieldRule.id, document).map(\.message).filter { !$0.hasPrefix("front matter lacks") }
                #expect(found == Self.referenceFieldMessages(rule, strings), comment)
            }
            #expect(Self.diagnostics(title, TitleBoilerplateRule.id, document) == Self.diagnostics(title, TitleBoilerplateRule.id, other), comment)
            // As it read the title before, from its string.
            let titleMessages = strings.string("title").map { text in
                TitleAffix.findings(text).map { f in
                    "title carries the \(TitleAffix.isDomain(Array(f.piece.utf8)[...]) ? "domain" : "site name") '\(f.piece)' as a \(f.kind.rawValue)"
                }
            } ?? []
            #expect(Self.diagnostics(title, TitleBoilerplateRule.id, document).map(\.message) == titleMessages, comment)
            let affixes = affix.collect(document), otherAffixes = affix.collect(other)
            #expect(affixes?.line == otherAffixes?.line && affixes?.prefix == otherAffixes?.prefix && affixes?.suffix == otherAffixes?.suffix, comment)
            #expect(placeholder.collect(document) == placeholder.collect(other), comment)
            if let fact = placeholder.collect(document) { #expect(fact.title == (strings.string("title").map(StableHash.fnv1a64) ?? 0), comment) }
            for pages in pageSets {
                #expect(pages.exempts(document) == pages.exempts(other), comment)
                #expect(pages.exempts(document) == (strings.string("layout").map(pages.layouts.contains) ?? false), comment)
            }
            #expect(ContentNearDuplicateRule.date(of: document) == ContentNearDuplicateRule.date(of: other), comment)
            let writtenDate = strings.string("date").flatMap { CalendarDate.leading($0.utf8)?.minutesSinceEpoch }
            #expect(ContentNearDuplicateRule.date(of: document) == (writtenDate ?? CalendarDate.fileNamePrefix(document.path)?.minutesSinceEpoch), comment)
            for keys in siteKeys {
                #expect(RepeatedLineKey.site(fm, keys: keys) == RepeatedLineKey.site(strings, keys: keys), comment)
                #expect(RepeatedLineKey.site(fm, keys: keys) == Self.referenceSite(strings, keys: keys), comment)
            }
        }
        #expect(compared > 1_000)
    }
}
