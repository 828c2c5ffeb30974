import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 19, item 3: single files under the size limit that took minutes. Each test lints an
/// input big enough that the old quadratic (or worse) paths would run for minutes to hours
/// (measured before: 134 s, 15.7 s, 6.8 s, >60 s, 29 s); the linear ones take about a second.
/// Nothing here asserts a time: a regression shows up as a test that does not finish.
@Suite struct PathologicalInputTests {
    static func lint(_ text: String, select: [String]? = nil) throws -> [Diagnostic] {
        var settings = LintSettings()
        settings.jobs = 1
        if let select { settings.filter = RuleFilter(select: select) }
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
        return linter.lint([.text(path: "a.md", bytes: Array(text.utf8))]).diagnostics
    }

    @Test func imageOpenersWithoutCloser() throws {
        // 1 MB of `![` with no `]`: every opener used to rescan the rest of the line.
        _ = try Self.lint(String(repeating: "![", count: 500_000) + "\n", select: ["image-alt-missing", "image-link-broken"])
        // Openers with a few closers at the end, and backtick runs of every length.
        _ = try Self.lint(String(repeating: "![", count: 300_000) + String(repeating: "]", count: 10) + "\n", select: ["image-link-broken"])
        _ = try Self.lint("![" + (1..<1400).map { String(repeating: "`", count: $0) }.joined(separator: " ") + "\n", select: ["image-link-broken"])
    }

    /// Backtick runs of 1, 2, … 1,000 bytes, none closed, inside an image's brackets: the image
    /// scanner's own pairing searched the rest of the line once a length (√n × n: about 0.3 G byte
    /// reads here, 1 s of a release build for a 2 MB line); core's `MarkdownCode.codeSpanEnd` reads
    /// it about once. Counted in the pairing's steps, not timed.
    @Test func imageScanReadsALineOfUnclosedBacktickRunsAboutOnce() {
        var line = "![圖"
        for length in 1...1_000 { line += "中" + String(repeating: "`", count: length) }
        line += "](a.png) 後\n"
        let bytes = Array(line.utf8)
        var memo = ImageScanner.LineMemo(), inComment = false, out: [ImageLink] = []
        bytes.withUnsafeBufferPointer {
            ImageScanner.scanLine($0, 0..<(bytes.count - 1), definitions: [:], inComment: &inComment, into: &out, memo: &memo)
        }
        // No run is closed: the brackets close across them, one image.
        #expect(out.count == 1)
        #expect(out.first.flatMap { $0.source.map { String(decoding: bytes[$0], as: UTF8.self) } } == "a.png")
        #expect(memo.backticks.steps < 4 * bytes.count, "\(memo.backticks.steps) steps for \(bytes.count) bytes")
    }

    /// The image scanner asks about code span openers out of order (a bracket's search runs ahead
    /// of the line's scan, which then comes back): with one memo a line, every answer is a fresh
    /// search's (the first later run of the same length on the line), in any order of asking.
    @Test func imageCodeSpansAreFreshSearchesInAnyOrder() {
        func fresh(_ b: [UInt8], _ i: Int, _ end: Int) -> (Int, Bool) {
            var j = i
            while j < end && b[j] == 0x60 { j += 1 }
            var k = j
            while k < end {
                guard b[k] == 0x60 else { k += 1; continue }
                let run = k
                while k < end && b[k] == 0x60 { k += 1 }
                if k - run == j - i { return (k, true) }
            }
            return (j, false)
        }
        var rng = SeededRandom(seed: 50_004)
        let pieces = ["`", "``", "```", "````", "\\", "a", " ", "中", "[", "]"]
        for _ in 0..<3_000 {
            var text = "`x"
            for _ in 0..<Int.random(in: 0...16, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            let lineEnd = text.utf8.count
            text += "y`\n" // past the line's end: never read
            let bytes = Array(text.utf8)
            // Every position an opener can start at: a run's start, or its second backtick after an escape.
            var openers: [Int] = []
            for p in 1..<lineEnd where bytes[p] == 0x60 && (bytes[p - 1] != 0x60 || (p >= 2 && bytes[p - 2] == 0x5C)) { openers.append(p) }
            openers.shuffle(using: &rng)
            var memo = ImageScanner.LineMemo()
            bytes.withUnsafeBufferPointer { b in
                for p in openers {
                    let got = ImageScanner.skipCodeSpan(b, p, lineEnd, memo: &memo)
                    let want = fresh(bytes, p, lineEnd)
                    #expect(got.after == want.0 && got.isSpan == want.1, "\(text) at \(p)")
                }
            }
        }
    }

    @Test func imageScannerMemoStillFindsNestedImages() {
        let doc = Document(path: "a.md", text: "![a [b] c](x.png) ![[d]](y.png) ![e](z.png\n")
        let links = ImageScanner.scan(doc)
        #expect(links.count == 3)
        #expect(links.first.flatMap { $0.source.map { String(decoding: doc.bytes[$0], as: UTF8.self) } } == "x.png")
    }

    @Test func nestedParentheses() throws {
        _ = try Self.lint("![a](" + String(repeating: "(", count: 500_000) + "\n")
    }

    @Test func hundredThousandFrontMatterKeys() throws {
        let text = "---\ntitle: 新聞\ndate: 2024-01-01\n" + (0..<100_000).map { "k\($0): v\n" }.joined() + "---\n正文。\n"
        _ = try Self.lint(text, select: ["front-matter-field", "front-matter-malformed"])
    }

    /// A flow list spread over 100,000 lines: its depth used to be recounted over the joined text
    /// for every line added (quadratic); it is scanned once. The result is still a list.
    @Test func flowListOverAHundredThousandLines() throws {
        let text = "---\ntitle: 新聞\ndate: 2024-01-01\ntags: [\n" + (0..<100_000).map { "  \"t\($0)\",\n" }.joined() + "  last]\n---\n\n市政府今天公布新的交通安排。\n"
        let d = try Self.lint(text, select: ["front-matter-malformed", "front-matter-field"])
        #expect(d.isEmpty, "\(d.prefix(3).map(\.message))")
        let fm = try #require(Document(path: "a.md", text: text).frontMatter)
        #expect(fm.entry("tags").map { if case let .list(items) = $0.value { return items.count } else { return -1 } } == 100_001)
    }

    /// JSON front matter of 20,000 keys on as many lines, each line ending in `}`: its end was
    /// looked for by parsing from byte 0 again at every such line (quadratic), and the search gave
    /// up after 400 lines, so valid front matter was "invalid JSON" and the body "empty". One parse
    /// finds where the object ends.
    @Test func jsonFrontMatterOfTwentyThousandLines() throws {
        let text = "{\n\"title\": \"新聞\", \"date\": \"2024-01-01\"\n" + (0..<20_000).map { ", \"k\($0)\": {\"a\": 1}\n" }.joined()
            + "}\n市政府今天公布新的交通安排。\n"
        let fm = try #require(Document(path: "a.md", text: text).frontMatter)
        #expect(fm.problems.isEmpty, "\(fm.problems.prefix(3).map(\.message))")
        #expect(fm.closeLine == 20_003)
        #expect(fm.entries.count == 20_002)
        #expect(fm.entry("k19999") != nil)
        let d = try Self.lint(text, select: ["front-matter-malformed", "body-empty"])
        #expect(d.isEmpty, "\(d.prefix(3).map(\.message))")
    }

    /// The probe's file: 402 keys, one a line.
    @Test func jsonFrontMatterOfFourHundredKeysIsValid() throws {
        let text = "{\n" + (0..<400).map { "\"k\($0)\": \"v\",\n" }.joined() + "\"title\": \"t\", \"date\": \"2024-01-01\"\n}\n正文内容足够长的文字用于测试。\n"
        let d = try Self.lint(text, select: ["front-matter-malformed", "body-empty"])
        #expect(d.isEmpty, "\(d.prefix(3).map(\.message))")
    }

    @Test func hundredThousandSuppressionComments() throws {
        let text = String(repeating: "<!-- newslint-disable-next-line trailing-whitespace -->\n正文 \n", count: 50_000)
            + String(repeating: "<!-- newslint-disable-next-line final-newline -->\n", count: 50_000) + "正文。\n"
        let d = try Self.lint(text, select: ["trailing-whitespace", "final-newline", "unused-suppression"])
        // Every trailing-whitespace finding is silenced; the final-newline ones silence nothing.
        #expect(!d.contains { $0.rule == "trailing-whitespace" })
        #expect(d.filter { $0.rule == "unused-suppression" }.count == 1001, "capped at 1000 listed, plus their count")
        #expect(d.contains { $0.message.contains("49000 more unused-suppression findings") })
    }

    @Test func configWithHundredThousandKeysPerObject() throws {
        let json = "{\"$comment\": {" + (0..<100_000).map { "\"k\($0)\": 1" }.joined(separator: ",") + "}}"
        let node = try JSONParser.parse(json)
        #expect(node["$comment"]?.members?.count == 100_000)
        // Duplicates are still found among many keys, with their position.
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("{" + (0..<50).map { "\"k\($0)\": 1, " }.joined() + "\"k7\": 2}") }
    }

    @Test func globsWithManyGlobstars() {
        let glob = Glob(String(repeating: "**/a/", count: 12) + "b.md")
        let deep = Array(repeating: "a", count: 60).joined(separator: "/") + "/c.md"
        #expect(!glob.matches(deep))
        #expect(glob.matches(Array(repeating: "a", count: 12).joined(separator: "/") + "/b.md"))
        #expect(Glob("docs/**").matches("docs/x/y.md") && Glob("**/*.md").matches("a/b/c.md") && !Glob("a/**/b").matches("a/c"))
        #expect(Glob("a/**/b").matches("a/b") && Glob("a/**/b").matches("a/x/y/b"))
    }

    @Test func manyOverlappingFixesOnOneLine() {
        // 200k fixes whose spans overlap their neighbours: choosing them was quadratic.
        let bytes = [UInt8](repeating: 0x61, count: 400_002)
        let fixes = (0..<200_000).map { Fix(.safe, "f", edits: [Edit(range: (2 * $0)..<(2 * $0 + 3), replacement: "b")]) }
        let (out, count) = Fixer.apply(fixes, to: bytes)
        #expect(count == 100_000)
        #expect(out.count == 400_002 - 200_000)
    }

    @Test func unboundedPackRegexesAreRefusedAtLoad() {
        for bad in ["(a+)+$", "(a*)*b", "(a|ab)*c", "(\\d+\\s?)+x", "(.*a){20}", "(a)\\1"] {
            #expect(RegexSafety.problem(bad) != nil, "\(bad)")
        }
        for ok in ["(a+)?b", "(?>a+)+$", "(a++)+$", "[a-z]+\\d{2,4}", "(版权所有|版權所有)(?![人者权權])", "(\\d{4})-(\\d{2})", "\\Q(a+)+\\E"] {
            #expect(RegexSafety.problem(ok) == nil, "\(ok)")
        }
    }

    /// A polynomial pattern passes the load check (`a*a*a*c`), but a search on a long line that
    /// almost matches is abandoned at the time limit instead of running for hours (cubic in 20k).
    @Test func polynomialPatternSearchIsAbandonedAtItsLimit() throws {
        let regex = try NSRegularExpression(pattern: "a*a*a*c")
        #expect(RegexSafety.problem("a*a*a*c") == nil, "accepted at load: only the search is bounded")
        let search = RegexSafety.matches(regex, in: String(repeating: "a", count: 20_000), limit: 0.05)
        #expect(!search.complete)
        #expect(search.matches.isEmpty)
        let found = RegexSafety.matches(regex, in: "xxaac", limit: 0.05)
        #expect(found.complete && found.matches.count == 1)
    }

    /// Every regex shipped in the built-in packs passes the check (they are loaded at startup).
    @Test func builtInPackRegexesAreBounded() throws {
        let dir = PackagePaths.rules.appendingPathComponent("scraper/boilerplate/data").path
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".json") {
            let node = try JSONParser.parse(String(contentsOfFile: dir + "/" + name, encoding: .utf8))
            for p in node["patterns"]?.array ?? [] {
                if let r = p["regex"]?.string { #expect(RegexSafety.problem(r) == nil, "\(name): \(r)") }
            }
        }
    }

    @Test func findingsPerRuleAreCappedWithACount() throws {
        let text = String(repeating: "正文 \n", count: 5000)
        let d = try Self.lint(text, select: ["trailing-whitespace"])
        #expect(d.count == 1001)
        #expect(d.contains { $0.message.contains("4000 more trailing-whitespace findings") })
    }

    /// A budget already spent after the first rule: the rest are skipped and the finding names it.
    @Test func perFileTimeBudgetNamesTheRule() throws {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fileTimeBudget = -1
        settings.filter = RuleFilter(select: ["trailing-whitespace", "final-newline", "file-skipped"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
        let d = linter.lint([.text(path: "a.md", bytes: Array("正文 \n正文".utf8))]).diagnostics
        let skipped = d.filter { $0.rule == "file-skipped" }
        #expect(skipped.count == 1)
        let first = linter.baseRules.perFile[0].id
        #expect(skipped.first?.message.contains("rule '\(first)' ran past the per-file time budget") == true)
    }

    /// encoding-invalid runs after the slow script rules (they find validity as they decode): a file
    /// whose budget they used up still gets it, and the skip message does not count it as skipped.
    @Test func encodingInvalidRunsPastTheFileBudget() throws {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fileTimeBudget = -1
        settings.filter = RuleFilter(select: ["mojibake", "script-mixed", "encoding-invalid", "file-skipped"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
        #expect(linter.baseRules.perFile.last?.id == "encoding-invalid")
        let d = linter.lint([.text(path: "a.md", bytes: Array("---\ntitle: x\n---\n正文".utf8) + [0xFF, 0x0A])]).diagnostics
        #expect(d.contains { $0.rule == "encoding-invalid" })
        let skipped = try #require(d.first { $0.rule == "file-skipped" })
        #expect(skipped.message.hasSuffix("1 remaining rule not run on this file"), "\(skipped.message)")
    }
}
