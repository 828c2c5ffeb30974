import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The issue's acceptance test: the five real seeds.
@Suite struct BoilerplateSeedTests {
    static let issueRules: Set<String> = ["boilerplate", "title-boilerplate", "more-marker", "indented-paragraph", "html-remnant", "boilerplate-repeated"]
    static let s000 = "seeds/000_dbf1c70d60598d2e.txt"
    static let s001 = "seeds/001_a2cb4460bf96d624.txt"
    static let s002 = "seeds/002_e89df63c81db9431.txt"
    static let s003 = "seeds/003_53f77539f23838d2.txt"
    static let s004 = "seeds/004_8dff75892b36df3c.txt"

    func lintSeeds() throws -> [Diagnostic] {
        var catalog = Catalog.builtin
        let config = try Configuration.load(file: PackagePaths.root.appendingPathComponent(".lint.json").path, catalog: &catalog)
        var settings = LintSettings()
        settings.baseDirectory = PackagePaths.root.path
        let linter = try Linter(catalog: catalog, config: config, settings: settings)
        let paths = [Self.s000, Self.s001, Self.s002, Self.s003, Self.s004]
        return linter.lint(paths.map { LintInput.file($0) }).diagnostics.filter { Self.issueRules.contains($0.rule) }
    }

    func seedLines(_ path: String) throws -> [String] {
        let text = try String(contentsOf: PackagePaths.root.appendingPathComponent(path), encoding: .utf8)
        return text.components(separatedBy: "\n")
    }

    @Test func seedsFireExactlyTheDoneWhenList() throws {
        let found = try lintSeeds()
        func lines(_ path: String, _ rule: String) -> [Int] {
            found.filter { $0.path == path && $0.rule == rule }.map(\.line).sorted()
        }
        // 002: the breadcrumb line and each sidebar item; indented-paragraph on the indented lines.
        #expect(lines(Self.s002, "boilerplate") == [3, 52, 53, 54, 55])
        let indented = try seedLines(Self.s002).enumerated().filter { $0.element.hasPrefix("\u{a0}") }.map { $0.offset + 1 }
        #expect(indented.count == 23)
        #expect(lines(Self.s002, "indented-paragraph") == indented)
        // 004: its two header lines.
        #expect(lines(Self.s004, "boilerplate") == [1, 2])
        // 000 and 003: title-boilerplate (prefix and domain), more-marker, the repost footer.
        for (path, footer) in [(Self.s000, 48), (Self.s003, 78)] {
            #expect(lines(path, "title-boilerplate") == [2, 2])
            #expect(lines(path, "more-marker") == [17])
            #expect(lines(path, "boilerplate") == [footer])
        }
        // Nothing else: no rule of this issue fires on a normal paragraph of any seed.
        let expectedCount = 5 + 23 + 2 + 2 * 4
        #expect(found.count == expectedCount, "unexpected findings: \(found.map { "\($0.path):\($0.line) \($0.rule) \($0.message)" })")
        #expect(lines(Self.s001, "boilerplate").isEmpty)
        #expect(found.allSatisfy { $0.path != Self.s001 })
    }

    /// By default the listings show seed 002's 23 indented paragraphs as one problem with a count
    /// and one fix; data formats, totals, exit status and fixing still see each occurrence.
    @Test func identicalFindingsInOneFileAreListedOnce() throws {
        let concise = CLIRun.run(["--format", "concise", "--select", "indented-paragraph", Self.s002]).stdout.split(separator: "\n")
        #expect(concise.count == 1, "\(concise)")
        #expect(concise.first?.contains("(23 times in this file, on lines 6, 8, 10, 12, 14, …)") == true, "\(concise)")
        let text = CLIRun.run(["--select", "indented-paragraph", Self.s002]).stdout
        #expect(text.contains("(all 23)"), "one fix holding every occurrence's edit: \(text)")
        #expect(text.contains("Found 23 problems"), "totals count each occurrence: \(text)")
        #expect(CLIRun.run(["--format", "concise", "--aggregate", "0", "--select", "indented-paragraph", Self.s002]).stdout.split(separator: "\n").count == 23)
        let json = CLIRun.run(["--format", "json", "--select", "indented-paragraph", Self.s002])
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])?.count == 23, "data formats list each finding")
        #expect(CLIRun.run(["--format", "concise", "--max-warnings", "22", "--select", "indented-paragraph", Self.s002]).status == 1,
                "--max-warnings counts every occurrence")
        let diff = CLIRun.run(["--diff", "--select", "indented-paragraph", Self.s002])
        let added = diff.stdout.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }
        #expect(added.count == 23, "\(diff.stdout.prefix(400))")
    }

    /// Copies 002 and 004 with the repo's config and runs `--fix --unsafe-fixes`.
    func fixCopies() throws -> (TemporaryDirectory, CLIRun) {
        let tmp = TemporaryDirectory()
        for p in [Self.s002, Self.s004] {
            tmp.write(p, bytes: [UInt8](try Data(contentsOf: PackagePaths.root.appendingPathComponent(p))))
        }
        tmp.write(".lint.json", String(decoding: try Data(contentsOf: PackagePaths.root.appendingPathComponent(".lint.json")), as: UTF8.self))
        // This family and the front matter it harvests into; other families (punctuation width…) would also edit the text.
        let run = CLIRun.run(["--fix", "--unsafe-fixes", "--format", "concise", "--select", "scraper,front-matter,hygiene", "seeds"], cwd: tmp.path)
        return (tmp, run)
    }

    /// Body of a fixed file: the lines after its front matter.
    func body(_ text: String) throws -> (frontMatter: String, body: [String]) {
        let lines = text.components(separatedBy: "\n")
        #expect(lines.first == "---")
        let close = try #require(lines.dropFirst().firstIndex(of: "---"))
        return (lines[1..<close].joined(separator: "\n"), Array(lines[(close + 1)...]))
    }

    static func stripIndent(_ s: String) -> String {
        String(s.drop { $0 == " " || $0 == "\u{a0}" || $0 == "\u{3000}" || $0 == "\t" })
    }

    static func trimTrailingBlank(_ lines: [String]) -> [String] {
        var l = lines
        while let last = l.last, last.isEmpty { l.removeLast() }
        return l
    }

    @Test func fixingSeed002YieldsFrontMatterAndTheArticleOnly() throws {
        let (tmp, run) = try fixCopies()
        #expect(run.status != 2, "\(run.stderr)")
        #expect(!run.stderr.contains("rolled back") && !run.stderr.contains("left unchanged"), "\(run.stderr)")
        let fixed = String(decoding: tmp.read(Self.s002), as: UTF8.self)
        let (fm, body) = try body(fixed)
        #expect(fm.contains("title: 固本强基夯实基础 守正创新焕发活力"))
        #expect(fm.contains("date: 2020-07-01"))
        #expect(fm.contains("slug: 002_e89df63c81db9431"))
        // The article (original lines 4...50) with only the indentation removed; no breadcrumb, no sidebar.
        let original = try seedLines(Self.s002)
        let article = Array(original[3..<50]).map(Self.stripIndent)
        #expect(Self.trimTrailingBlank(body) == article)
        #expect(!fixed.contains("首页") && !fixed.contains("最新内容") && !fixed.contains("图文推荐"))
        #expect(fixed.hasSuffix("\n"))
    }

    @Test func fixingSeed004HarvestsTheHeaderIntoFrontMatter() throws {
        let (tmp, run) = try fixCopies()
        #expect(run.status != 2, "\(run.stderr)")
        let fixed = String(decoding: tmp.read(Self.s004), as: UTF8.self)
        let (fm, body) = try body(fixed)
        #expect(fm.contains("date: 2024-06-14"))
        #expect(fm.contains("source: 黨委組織部"))
        #expect(fm.contains("author: 戴群"))
        #expect(fm.contains("title: "))
        let original = try seedLines(Self.s004)
        // The body starts with the article text and is otherwise byte-identical (plus a final newline).
        #expect(body.first == original[2])
        #expect(Self.trimTrailingBlank(body) == Array(original[2...]))
        #expect(!fixed.contains("日期:") && !fixed.contains("作者:"))
    }

    @Test func safeFixAloneKeepsTheMetadataForTheHarvest() throws {
        let tmp = TemporaryDirectory()
        let original = [UInt8](try Data(contentsOf: PackagePaths.root.appendingPathComponent(Self.s004)))
        tmp.write(Self.s004, bytes: original)
        let run = CLIRun.run(["--fix", "--no-config", "--select", "scraper", "seeds"], cwd: tmp.path)
        #expect(run.status != 2, "\(run.stderr)")
        // No safe fix deletes the metadata lines of a file without front matter.
        #expect(tmp.read(Self.s004) == original)
    }

    @Test func fixingTwiceChangesNothing() throws {
        let (tmp, _) = try fixCopies()
        let first = [tmp.read(Self.s002), tmp.read(Self.s004)]
        let again = CLIRun.run(["--fix", "--unsafe-fixes", "--format", "concise", "--select", "scraper,front-matter,hygiene", "seeds"], cwd: tmp.path)
        #expect(again.status != 2)
        #expect([tmp.read(Self.s002), tmp.read(Self.s004)] == first)
    }

    @Test func seedsAreUntouched() throws {
        // The fix tests work on copies; the real seeds stay byte-identical.
        let hashes = try [Self.s000, Self.s001, Self.s002, Self.s003, Self.s004].map {
            StableHash.fnv1a64([UInt8](try Data(contentsOf: PackagePaths.root.appendingPathComponent($0))))
        }
        #expect(Set(hashes).count == 5)
        let sizes = try [Self.s002, Self.s004].map { try Data(contentsOf: PackagePaths.root.appendingPathComponent($0)).count }
        #expect(sizes == [10647, 6600])
    }
}
