import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Ruff-style configuration resolution: nested `.lint.json`, `extend`, `--config`, ignore files,
/// explicit paths that yield nothing, `--show-settings` / `--show-files`.
@Suite struct ProjectConfigTests {
    /// A short clean article; each call site gets its own body (`#line`) so no two files are duplicates.
    static func clean(_ n: Int = #line) -> String { "---\ntitle: 标题\ndate: 2024-01-01\n---\n\n市政府今天公布第\(n)號交通安排。\n" }
    /// The same with a trailing space on line 6, column 4 + digits of `n`.
    static func trailing(_ n: Int = #line) -> String { "---\ntitle: 标题\ndate: 2024-01-01\n---\n\n市政府今天公布新的交通安排\(n)。 \n" }

    func lint(_ args: [String], cwd: String, env: [String: String] = [:]) -> CLIRun {
        CLIRun.run(["--no-cache", "--format", "concise", "--jobs", "1"] + args, cwd: cwd, env: env)
    }

    @Test func closestConfigWinsAndExtendInherits() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", #"{"rules": {"trailing-whitespace": "off"}}"#)
        t.write("a.md", Self.trailing())
        t.write("plain/.lint.json", #"{"rules": {"final-newline": "off"}}"#)
        t.write("plain/b.md", Self.trailing())
        t.write("inherits/.lint.json", #"{"extend": "../.lint.json", "rules": {"final-newline": "off"}}"#)
        t.write("inherits/c.md", Self.trailing())
        let run = lint(["."], cwd: t.path)
        // The root turns trailing-whitespace off; plain/ has its own config (no extend): it fires there.
        #expect(!run.stdout.contains("a.md:"), "\(run.stdout)")
        #expect(run.stdout.contains("plain/b.md:6:"), "\(run.stdout)")
        #expect(!run.stdout.contains("inherits/c.md"), "\(run.stdout)")
        // Same answer whatever the order of the paths, and from inside a subdirectory.
        let forward = lint(["a.md", "plain", "inherits"], cwd: t.path)
        let backward = lint(["inherits", "plain", "a.md"], cwd: t.path)
        #expect(forward.stdout == backward.stdout)
        #expect(forward.stdout == run.stdout)
        #expect(lint(["b.md"], cwd: t.path + "/plain").stdout.contains("b.md:6:"))
        #expect(lint(["../a.md"], cwd: t.path + "/plain").stdout.isEmpty)
    }

    @Test func cacheNoticesAChangedNestedConfig() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", "{}")
        t.write("sub/.lint.json", #"{"rules": {"trailing-whitespace": "off"}}"#)
        t.write("sub/a.md", Self.trailing())
        let args = ["--format", "concise", "--cache-dir", t.path + "/cache", "."]
        #expect(CLIRun.run(args, cwd: t.path).stdout.isEmpty)
        t.write("sub/.lint.json", #"{"rules": {"trailing-whitespace": "error"}}"#)
        #expect(CLIRun.run(args, cwd: t.path).stdout.contains("sub/a.md:6:"), "\(CLIRun.run(args, cwd: t.path).stdout)")
        #expect(CLIRun.run(args, cwd: t.path).stdout.contains(": error: trailing whitespace"))
    }

    @Test func globsAreRelativeToTheirOwnConfig() throws {
        let t = TemporaryDirectory()
        t.write("site/.lint.json", #"{"exclude": ["drafts/**"]}"#)
        t.write("site/drafts/x.md", Self.trailing())
        t.write("site/posts/y.md", Self.trailing())
        t.write("drafts/z.md", Self.trailing())
        let files = CLIRun.run(["--show-files"], cwd: t.path).stdout
        #expect(files == "drafts/z.md\nsite/posts/y.md\n", "\(files)")
        // An extending config keeps the parent's globs relative to the parent.
        t.write("site/posts/.lint.json", #"{"extend": "../.lint.json"}"#)
        t.write("site/posts/drafts/w.md", Self.trailing())
        #expect(CLIRun.run(["--show-files", "site"], cwd: t.path).stdout == "site/posts/drafts/w.md\nsite/posts/y.md\n")
    }

    @Test func configOverridesEveryNestedConfig() throws {
        let t = TemporaryDirectory()
        t.write("sub/.lint.json", #"{"rules": {"trailing-whitespace": "off"}}"#)
        t.write("sub/a.md", Self.trailing())
        t.write("strict.json", #"{"rules": {"trailing-whitespace": "error"}}"#)
        #expect(lint(["sub"], cwd: t.path).stdout.isEmpty)
        let forced = lint(["--config", "strict.json", "sub"], cwd: t.path)
        #expect(forced.stdout.contains("sub/a.md:6:"), "\(forced.stdout)")
        #expect(forced.status == 1)
    }

    @Test func filesOutsideAnyConfigUseTheDefaults() throws {
        // The repository's own config includes only seeds/**: a corpus elsewhere is linted with defaults.
        let corpus = TemporaryDirectory()
        corpus.write("a.md", Self.trailing())
        let run = lint([corpus.path], cwd: PackagePaths.root.path)
        #expect(run.stdout.contains("a.md:6:"), "\(run.stdout)\(run.stderr)")
        let settings = CLIRun.run(["--show-settings", corpus.path + "/a.md"], cwd: PackagePaths.root.path).stdout
        #expect(settings.contains("config: (built-in defaults)"), "\(settings)")
        #expect(CLIRun.run(["--show-settings", "seeds/x.md"], cwd: PackagePaths.root.path).stdout.contains("include: [\"seeds/**\"]"))
    }

    @Test func explicitPathsThatYieldNothingAreErrors() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", #"{"exclude": ["drafts/"]}"#)
        t.write("drafts/a.md", Self.clean())
        t.write("html/a.xml", "<p>x</p>\n")
        try FileManager.default.createDirectory(atPath: t.path + "/empty", withIntermediateDirectories: true)
        let run = lint(["drafts", "html", "empty"], cwd: t.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("'drafts' yields no files to lint: 1 entry excluded by 'drafts/' in \(t.path)/.lint.json"), "\(run.stderr)")
        #expect(run.stderr.contains("'html' yields no files to lint: 1 file without a linted extension .md .markdown .txt .html .htm"), "\(run.stderr)")
        #expect(run.stderr.contains("'empty' yields no files to lint: the directory has no files"), "\(run.stderr)")
        // Excluded files named explicitly under --force-exclude are skipped quietly (pre-commit passes every staged file).
        let forced = lint(["--force-exclude", "drafts/a.md"], cwd: t.path)
        #expect(forced.status == 0, "\(forced.stderr)")
    }

    @Test func gitignoreAndIgnoreFilesAreRespected() throws {
        let t = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: t.path + "/.git", withIntermediateDirectories: true)
        t.write(".gitignore", "_site/\n/build.md\n*.tmp.md\n!keep.tmp.md\n")
        t.write("posts/.ignore", "secret/**/*.md\n")
        t.write("_site/index.md", Self.clean())
        t.write("build.md", Self.clean())
        t.write("sub/build.md", Self.clean())
        t.write("a.tmp.md", Self.clean())
        t.write("keep.tmp.md", Self.clean())
        t.write("posts/secret/x/y.md", Self.clean())
        t.write("posts/ok.md", Self.clean())
        let files = CLIRun.run(["--show-files"], cwd: t.path).stdout
        #expect(files == "keep.tmp.md\nposts/ok.md\nsub/build.md\n", "\(files)")
        #expect(CLIRun.run(["--show-files", "posts"], cwd: t.path).stdout == "posts/ok.md\n")
        // Linting a subdirectory still applies the repository root's .gitignore.
        t.write("sub/x.tmp.md", Self.clean())
        #expect(CLIRun.run(["--show-files", "sub"], cwd: t.path).stdout == "sub/build.md\n")
        #expect(CLIRun.run(["--show-files", "."], cwd: t.path + "/sub").stdout == "build.md\n")
        let all = CLIRun.run(["--show-files", "--no-respect-gitignore"], cwd: t.path).stdout
        #expect(all.split(separator: "\n").count == 8, "\(all)")
        let empty = lint(["_site"], cwd: t.path)
        #expect(empty.status == 0, "a directory named explicitly is linted even when ignored: \(empty.stderr)")
    }

    @Test func ignorePatternSyntax() {
        let f = IgnoreFile(directory: "/r", text: "# comment\n\n*.log\n!important.log\nbuild/\n/root-only.md\ndocs/**/draft.md\n**/cache\na/**\n\\#hash.md\n")
        func ignored(_ path: String, dir: Bool = false) -> Bool? { f.decision("/r/" + path, isDirectory: dir) }
        #expect(ignored("x.log") == true)
        #expect(ignored("deep/x.log") == true)
        #expect(ignored("important.log") == false)
        #expect(ignored("build", dir: true) == true)
        #expect(ignored("build") == nil, "directory-only pattern does not match a file")
        #expect(ignored("root-only.md") == true)
        #expect(ignored("sub/root-only.md") == nil, "anchored")
        #expect(ignored("docs/draft.md") == true)
        #expect(ignored("docs/a/b/draft.md") == true)
        #expect(ignored("x/cache", dir: true) == true)
        #expect(ignored("a/b/c.md") == true)
        #expect(ignored("#hash.md") == true)
        #expect(ignored("comment") == nil)
        #expect(f.decision("/elsewhere/x.log", isDirectory: false) == nil)
    }

    /// A `report` section was accepted and never read: a setting there looked like it worked.
    @Test func aReportSectionIsAnUnknownKey() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", #"{"report": {"limit": "banana"}}"#)
        t.write("a.md", Self.clean())
        let run = lint(["a.md"], cwd: t.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("unknown key 'report'"), "\(run.stderr)")
    }

    @Test func allConfigErrorsAreReportedAtOnce() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", #"{"inclde": [], "exclude": 3, "rules": {"trailing-whitespcae": "off", "final-newline": "loud"}}"#)
        t.write("a.md", Self.clean())
        let run = lint(["a.md"], cwd: t.path)
        #expect(run.status == 2)
        for needle in ["unknown key 'inclde'", "exclude: expected an array", "unknown rule 'trailing-whitespcae'", "invalid level 'loud'", "4 configuration problems"] {
            #expect(run.stderr.contains(needle), "\(needle) missing in \(run.stderr)")
        }
        // Errors in nested configs too, all of them.
        let n = TemporaryDirectory()
        n.write("a/.lint.json", #"{"rules": {"nope": "off"}}"#)
        n.write("a/x.md", Self.clean())
        n.write("b/.lint.json", #"{"extend": "missing.json"}"#)
        n.write("b/y.md", Self.clean())
        let nested = lint(["."], cwd: n.path)
        #expect(nested.status == 2)
        #expect(nested.stderr.contains("unknown rule 'nope'") && nested.stderr.contains("config to extend 'missing.json' does not exist"), "\(nested.stderr)")
    }

    @Test func showSettingsPrintsTheResolvedRules() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", #"{"rules": {"trailing-whitespace": {"severity": "error", "allowHardBreak": true}}, "overrides": [{"files": ["drafts/**"], "rules": {"final-newline": "off"}}]}"#)
        let s = CLIRun.run(["--show-settings", "drafts/a.md"], cwd: t.path)
        #expect(s.status == 0)
        #expect(s.stdout.contains("config: \(t.path)/.lint.json"))
        #expect(s.stdout.contains("  trailing-whitespace = error allowHardBreak=true"), "\(s.stdout)")
        #expect(s.stdout.contains("overrides: overrides[0]"))
        #expect(!s.stdout.contains("  final-newline ="))
    }

    /// `--show-settings` printed no `images` settings at all; they are the run's (root config,
    /// command line over it).
    @Test func showSettingsPrintsTheImageSettings() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", #"{"images": {"roots": ["static"], "timeout": 2.5, "cache": "img-cache.json", "allowPrivateHosts": true}}"#)
        let s = CLIRun.run(["--show-settings", "a.md", "--online"], cwd: t.path)
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("images (whole run; from \(t.path)/.lint.json, command line over it):"), "\(s.stdout)")
        #expect(s.stdout.contains("  online = true\n"), "\(s.stdout)")
        #expect(s.stdout.contains("  roots = [\"\(t.path)/static\"]\n"), "\(s.stdout)")
        #expect(s.stdout.contains("  timeout = 2.5\n"), "\(s.stdout)")
        #expect(s.stdout.contains("  cache = \"\(t.path)/img-cache.json\"\n"), "\(s.stdout)")
        // A repository config cannot open private hosts; only --allow-private-hosts can.
        #expect(s.stdout.contains("  allowPrivateHosts = false\n"), "\(s.stdout)")
        let defaults = CLIRun.run(["--show-settings", "a.md", "--no-config"], cwd: t.path)
        #expect(defaults.stdout.contains("images (whole run; from defaults, command line over it):"), "\(defaults.stdout)")
        #expect(defaults.stdout.contains("  roots = [] (site-root sources /… are not checked)\n"), "\(defaults.stdout)")
    }

    /// A nested config's `images` section was silently ignored (the run uses the root's); it is
    /// now an error at the section, naming what to do. One equal to the root's (via `extend`) is fine.
    @Test func nestedConfigImagesSectionIsRejected() throws {
        let t = TemporaryDirectory()
        t.write(".lint.json", #"{"images": {"roots": ["static"]}}"#)
        t.write("a.md", Self.clean())
        t.write("site/.lint.json", "{\n  \"images\": {\"roots\": [\"public\"]}\n}\n")
        t.write("site/b.md", Self.clean())
        t.write("same/.lint.json", #"{"extend": "../.lint.json", "rules": {"final-newline": "off"}}"#)
        t.write("same/c.md", Self.clean())
        let run = lint(["."], cwd: t.path)
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("\(t.path)/site/.lint.json:2:13"), "\(run.stderr)")
        #expect(run.stderr.contains("image settings apply to the whole run and are read only from the root config \(t.path)/.lint.json"), "\(run.stderr)")
        #expect(run.stderr.contains("or run with --config \(t.path)/site/.lint.json"), "\(run.stderr)")
        #expect(!run.stderr.contains("same/.lint.json"), "\(run.stderr)")
        // With no root config at all, the message says so.
        let bare = TemporaryDirectory()
        bare.write("site/.lint.json", #"{"images": {"online": false}}"#)
        bare.write("site/b.md", Self.clean())
        let noRoot = lint(["site"], cwd: bare.path)
        #expect(noRoot.status == 2, "\(noRoot.stdout)\(noRoot.stderr)")
        #expect(noRoot.stderr.contains("(there is none: no .lint.json in \(bare.path) or above)"), "\(noRoot.stderr)")
        // The extending config alone is accepted.
        #expect(lint(["same"], cwd: t.path).status == 0)
    }
}
