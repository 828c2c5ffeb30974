import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Valid Jekyll and Hugo sites (`Fixtures/sites/`): realistic front matter as those generators
/// accept it (space-separated taxonomies, a post dated by its file name, an indented mapping,
/// Hugo's publishDate, TOML and JSON front matter, home/about/section pages, a README).
/// The defaults, and each site's preset, must find nothing there.
@Suite struct SiteGeneratorTests {
    static let sites = PackagePaths.fixtures.appendingPathComponent("sites")

    @Test(arguments: ["jekyll", "hugo"])
    func defaultRulesFindNothing(_ site: String) {
        let dir = Self.sites.appendingPathComponent(site).path
        let r = CLIRun.run(["--no-config", "--no-cache", "--select", "all", "--format", "concise", "."], cwd: dir)
        #expect(r.stdout == "", "\(r.stdout)")
        #expect(r.status == 0)
    }

    @Test(arguments: ["jekyll", "hugo", "generic"])
    func presetFindsNothingOnItsSite(_ preset: String) {
        let tmp = TemporaryDirectory()
        let config = tmp.write(".lint.json", "{\"preset\": \"\(preset)\"}\n")
        for site in preset == "generic" ? ["jekyll", "hugo"] : [preset] {
            let dir = Self.sites.appendingPathComponent(site).path
            let r = CLIRun.run(["--config", config, "--no-cache", "--format", "concise", "."], cwd: dir)
            #expect(r.stdout == "", "\(preset) on \(site): \(r.stdout)")
            #expect(r.status == 0)
        }
    }

    @Test func sitesAreNotTrivial() throws {
        for site in ["jekyll", "hugo"] {
            let files = try FileManager.default.subpathsOfDirectory(atPath: Self.sites.appendingPathComponent(site).path).filter { $0.hasSuffix(".md") }
            #expect(files.count >= 7, "\(site)")
        }
    }

    /// The same posts written the way the generator would reject them are reported.
    @Test func presetsStillCatchRealSchemaErrors() throws {
        var catalog = Catalog.builtin
        let jekyll = try Configuration.parse("{\"preset\": \"jekyll\"}", catalog: &catalog)
        #expect(jekyll.preset == "jekyll")
        let hugo = try Configuration.parse("{\"preset\": \"hugo\", \"rules\": {\"front-matter-field\": {\"nonEmpty\": false}}}", catalog: &catalog)
        let cases: [(Configuration, String, String, String)] = [
            (jekyll, "_posts/2024-06-01-a.md", "---\ntitle: 標題\npublished: 否\n---\n正文。\n", "'published' should be true or false"),
            (jekyll, "_posts/notes.md", "---\ntitle: 標題\n---\n正文。\n", "lacks required key 'date'"),
            (hugo, "content/posts/a.md", "+++\ntitle = \"標題\"\n+++\n正文。\n", "lacks required key 'date' (or 'publishDate'"),
            (hugo, "content/posts/b.md", "---\ntitle: 標題\ndate: 2024-06-01\nexpiryDate: 明年\n---\n正文。\n", "'expiryDate' value '明年' is not a valid date"),
            (hugo, "content/posts/c.md", "---\ntitle: 標題\ndate: 2024-06-01\nweight: 第一\n---\n正文。\n", "'weight' should be a number"),
        ]
        for (config, path, text, message) in cases {
            let messages = try lintMessages(config, path: path, text: text)
            #expect(messages.contains { $0.contains(message) }, "\(path): \(messages)")
        }
    }

    @Test func userRulesOverrideThePreset() throws {
        var catalog = Catalog.builtin
        let config = try Configuration.parse("{\"preset\": \"jekyll\", \"rules\": {\"front-matter-field\": {\"types\": {\"tags\": \"list\"}}}}", catalog: &catalog)
        let messages = try lintMessages(config, path: "_posts/2024-06-01-a.md", text: "---\ntitle: 標題\ntags: 一 二\n---\n正文。\n")
        #expect(messages == ["'tags' should be a list"])
    }

    @Test func unknownPresetIsAPositionedErrorWithASuggestion() {
        var catalog = Catalog.builtin
        #expect {
            _ = try Configuration.parse("{\n  \"preset\": \"jekyl\"\n}", catalog: &catalog)
        } throws: { error in
            let text = "\(error)"
            return text.contains(":2:13:") && text.contains("unknown preset 'jekyl'; did you mean 'jekyll'?")
        }
        #expect {
            _ = try Configuration.parse("{\"preset\": 3}", catalog: &catalog)
        } throws: { error in "\(error)".contains("expected a preset name (generic, hugo, jekyll, plain)") }
    }

    @Test func initWritesThePreset() throws {
        let tmp = TemporaryDirectory()
        let r = CLIRun.run(["init", "--preset", "hugo"], cwd: tmp.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "wrote .lint.json (preset: hugo)\n")
        let text = try String(contentsOfFile: tmp.path + "/.lint.json", encoding: .utf8)
        var catalog = Catalog.builtin
        let config = try Configuration.parse(text, directory: tmp.path, catalog: &catalog)
        #expect(config.preset == "hugo")
        #expect(config.isIncluded(tmp.path + "/content/posts/a.md"))
        #expect(!config.isIncluded(tmp.path + "/public/posts/a.md"))
        let bad = CLIRun.run(["init", "--preset", "hugp", "--force"], cwd: tmp.path)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("did you mean 'hugo'?"), "\(bad.stderr)")
    }

    private func lintMessages(_ config: Configuration, path: String, text: String) throws -> [String] {
        var settings = LintSettings()
        settings.jobs = 1
        settings.filter = RuleFilter(select: ["front-matter-field"])
        let linter = try Linter(catalog: .builtin, config: config, settings: settings)
        return linter.lint([.text(path: path, bytes: Array(text.utf8))]).diagnostics.map(\.message)
    }
}
