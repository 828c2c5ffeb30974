import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Ruff's command-line conventions: flags, exit codes, colour, `check`, `clean`, same-line
/// suppression, cache location.
@Suite struct ConventionFlagTests {
    static let warningOnly = "---\ntitle: 标题\ndate: 2024-01-01\n---\n\n正文。 \n"   // trailing-whitespace (warning)
    static let errorFile = "正文。\n"                                               // front-matter-missing (error)
    static let noNewline = "---\ntitle: 标题\ndate: 2024-01-01\n---\n\n正文。"         // final-newline (warning, safe fix)

    func run(_ args: [String], _ files: [String: String], env: [String: String] = [:]) -> (CLIRun, TemporaryDirectory) {
        let t = TemporaryDirectory()
        for (p, text) in files { t.write(p, text) }
        return (CLIRun.run(["--no-config", "--no-cache", "--format", "concise"] + args, cwd: t.path, env: env), t)
    }

    @Test func everyConventionIsInHelpAndReadme() throws {
        let help = CLIRun.run(["--help"]).stdout + CLIRun.run(["help", "lint"]).stdout
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        for flag in ["--extend-select", "--extend-ignore", "--output-format", "--exit-zero", "--exit-non-zero-on-fix", "--fail-on",
                     "--show-settings", "--show-files", "--no-respect-gitignore", "--force-exclude", "FORCE_COLOR", "NEWSLINT_CACHE_DIR",
                     "XDG_CACHE_HOME", "newslint-disable-line", "check", "clean"] {
            #expect(help.contains(flag), "--help does not mention \(flag)")
            #expect(readme.contains(flag), "README does not mention \(flag)")
        }
        #expect(CLIRun.run(["help", "clean"]).stdout.contains("CACHEDIR.TAG"))
    }

    @Test func failOnChoosesTheSeverityThatFails() {
        // Warnings alone exit 0 by design; --fail-on warning makes them fail.
        #expect(run(["a.md"], ["a.md": Self.warningOnly]).0.status == 0)
        #expect(run(["--fail-on", "warning", "a.md"], ["a.md": Self.warningOnly]).0.status == 1)
        #expect(run(["--fail-on", "info", "a.md"], ["a.md": Self.warningOnly]).0.status == 1)
        #expect(run(["--fail-on", "error", "a.md"], ["a.md": Self.errorFile]).0.status == 1)
        #expect(run(["--fail-on", "fatal", "a.md"], ["a.md": Self.errorFile]).0.status == 2)
        // Streamed (text) and buffered (json) paths agree.
        #expect(run(["--fail-on", "warning", "--format", "json", "a.md"], ["a.md": Self.warningOnly]).0.status == 1)
    }

    @Test func exitZeroAndExitNonZeroOnFix() {
        let (zero, _) = run(["--exit-zero", "a.md"], ["a.md": Self.errorFile])
        #expect(zero.status == 0)
        #expect(zero.stdout.contains("[front-matter-missing]"))
        #expect(run(["--exit-zero", "missing.md"], [:]).0.status == 2, "I/O failures still exit 2")
        let (fixed, t) = run(["--fix", "--exit-non-zero-on-fix", "a.md"], ["a.md": Self.noNewline])
        #expect(fixed.status == 1, "\(fixed.stderr)")
        #expect(t.read("a.md").last == 0x0A)
        #expect(CLIRun.run(["--no-config", "--fix", "--exit-non-zero-on-fix", "a.md"], cwd: t.path).status == 0, "nothing left to fix")
        let (plain, t2) = run(["--fix", "a.md"], ["a.md": Self.noNewline])
        #expect(plain.status == 0, "without the flag a fixed file exits 0")
        #expect(t2.read("a.md").last == 0x0A)
    }

    @Test func extendSelectAndExtendIgnore() {
        let files = ["a.md": Self.warningOnly]
        let base = run(["a.md"], files).0.stdout
        #expect(base.contains("[trailing-whitespace]"))
        #expect(!run(["--extend-ignore", "trailing-whitespace", "a.md"], files).0.stdout.contains("[trailing-whitespace]"))
        // --extend-select adds to --select instead of replacing it.
        let both = run(["--select", "final-newline", "--extend-select", "trailing-whitespace", "a.md"], files).0
        #expect(both.stdout.contains("[trailing-whitespace]"), "\(both.stdout)\(both.stderr)")
        let only = run(["--select", "final-newline", "a.md"], files).0
        #expect(!only.stdout.contains("[trailing-whitespace]"))
        // An off-by-default rule can be switched on on top of the defaults.
        let offByDefault = Catalog.builtin.rules.first { !$0.enabledByDefault }
        if let off = offByDefault {
            let r = run(["--extend-select", off.id, "--show-settings", "a.md"], files).0
            #expect(r.stdout.contains("  \(off.id) = "), "\(r.stdout)")
            #expect(r.stdout.contains("  trailing-whitespace = "))
        }
        #expect(run(["--extend-select", "no-such-rule", "a.md"], files).0.status == 2)
    }

    @Test func outputFormatIsAnAliasOfFormat() {
        let t = TemporaryDirectory()
        t.write("a.md", Self.errorFile)
        let json = CLIRun.run(["--no-config", "--no-cache", "--output-format", "json", "a.md"], cwd: t.path)
        #expect(json.stdout.hasPrefix("["), "\(json.stdout)")
        #expect(json.stdout == CLIRun.run(["--no-config", "--no-cache", "--format", "json", "a.md"], cwd: t.path).stdout)
        #expect(CLIRun.run(["--output-format", "json", "--format", "text", "a.md"], cwd: t.path).status == 2)
    }

    @Test func checkIsLint() {
        let t = TemporaryDirectory()
        t.write("a.md", Self.errorFile)
        let lint = CLIRun.run(["lint", "--no-config", "--no-cache", "a.md"], cwd: t.path)
        let check = CLIRun.run(["check", "--no-config", "--no-cache", "a.md"], cwd: t.path)
        #expect(check.status == 1)
        #expect(check.stdout == lint.stdout)
        #expect(CLIRun.run(["help", "check"]).stdout.contains("--exit-zero"))
    }

    @Test func forceColorAndNoColor() {
        let files = ["a.md": Self.errorFile]
        let esc = "\u{1B}["
        #expect(!run(["--format", "text", "a.md"], files).0.stdout.contains(esc), "not a terminal: no colour")
        #expect(run(["--format", "text", "a.md"], files, env: ["FORCE_COLOR": "1"]).0.stdout.contains(esc))
        #expect(run(["--format", "text", "a.md"], files, env: ["FORCE_COLOR": "1", "NO_COLOR": "1"]).0.stdout.contains(esc))
        #expect(!run(["--format", "text", "--color", "never", "a.md"], files, env: ["FORCE_COLOR": "1"]).0.stdout.contains(esc))
        #expect(!run(["--format", "text", "a.md"], files, env: ["FORCE_COLOR": "0"]).0.stdout.contains(esc))
    }

    /// Colour is for a terminal or stdout: a report written with `-o` is a file to read, diff or
    /// upload, and never gets escape codes, whatever FORCE_COLOR or --color say (as Ruff does
    /// for --output-file).
    @Test func outputFilesNeverGetColour() {
        let t = TemporaryDirectory()
        t.write("a.md", Self.errorFile)
        let esc = Array("\u{1B}[".utf8)
        for (args, env) in [([String](), ["FORCE_COLOR": "1"]), (["--color", "always"], [:]), (["--color", "auto"], ["FORCE_COLOR": "3"])] {
            let r = CLIRun.run(["--no-config", "--no-cache", "--format", "text", "-o", "out.txt"] + args + ["a.md"], cwd: t.path, env: env)
            let written = t.read("out.txt")
            #expect(r.status == 1 && written.count > 20, "\(args) \(env): \(r.stderr)")
            #expect(!written.indices.contains { written[$0...].starts(with: esc) }, "\(args) \(env): \(String(decoding: written, as: UTF8.self))")
        }
        // stdout still takes FORCE_COLOR.
        #expect(CLIRun.run(["--no-config", "--no-cache", "--format", "text", "a.md"], cwd: t.path, env: ["FORCE_COLOR": "1"]).stdout.contains("\u{1B}["))
    }

    @Test func sameLineSuppression() throws {
        let text = "---\ntitle: 标题\ndate: 2024-01-01\n---\n\n正文。 <!-- newslint-disable-line trailing-whitespace -->  \n第二行。 \n"
        let d = try RuleHarness.diagnostics(rule: "trailing-whitespace", text: text)
        #expect(d.map(\.line) == [7])
        // Unused: reported with a fix that also drops the space before it.
        let unused = "---\ntitle: 标题\ndate: 2024-01-01\n---\n\n正文。 <!-- newslint-disable-line final-newline -->\n"
        let t = TemporaryDirectory()
        t.write("a.md", unused)
        let r = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "a.md"], cwd: t.path)
        #expect(r.stdout.contains("[unused-suppression]"), "\(r.stdout)")
        _ = CLIRun.run(["--no-config", "--fix", "a.md"], cwd: t.path)
        #expect(String(decoding: t.read("a.md"), as: UTF8.self) == "---\ntitle: 标题\ndate: 2024-01-01\n---\n\n正文。\n")
    }

    @Test func cacheLivesInTheConfigRootOrOutsideTheLintedDirectory() throws {
        let home = TemporaryDirectory()
        let corpus = TemporaryDirectory()
        corpus.write("a.md", Self.warningOnly)
        let elsewhere = TemporaryDirectory()
        // Linting a config-less corpus from elsewhere: the cache goes to the current directory, not the corpus.
        _ = CLIRun.run([corpus.path], cwd: elsewhere.path, env: ["HOME": home.path])
        #expect(!FileManager.default.fileExists(atPath: corpus.path + "/.newslint-cache"))
        #expect(FileManager.default.fileExists(atPath: elsewhere.path + "/.newslint-cache/CACHEDIR.TAG"))
        // From inside the config-less corpus: the user cache directory (XDG_CACHE_HOME, else ~/.cache).
        _ = CLIRun.run(["."], cwd: corpus.path, env: ["HOME": home.path])
        #expect(!FileManager.default.fileExists(atPath: corpus.path + "/.newslint-cache"))
        #expect(FileManager.default.fileExists(atPath: home.path + "/.cache/newslint/CACHEDIR.TAG"))
        _ = CLIRun.run(["."], cwd: corpus.path, env: ["HOME": home.path, "XDG_CACHE_HOME": home.path + "/xdg"])
        #expect(FileManager.default.fileExists(atPath: home.path + "/xdg/newslint/CACHEDIR.TAG"))
        _ = CLIRun.run(["."], cwd: corpus.path, env: ["NEWSLINT_CACHE_DIR": home.path + "/env"])
        #expect(FileManager.default.fileExists(atPath: home.path + "/env/CACHEDIR.TAG"))
        // With a config: beside it, even when linting a subdirectory from inside it.
        corpus.write(".lint.json", "{}")
        corpus.write("sub/b.md", Self.warningOnly)
        _ = CLIRun.run(["."], cwd: corpus.path + "/sub", env: ["HOME": home.path])
        #expect(FileManager.default.fileExists(atPath: corpus.path + "/.newslint-cache/CACHEDIR.TAG"))

        // `clean` removes it; it refuses a directory newslint did not make.
        let clean = CLIRun.run(["clean"], cwd: corpus.path + "/sub", env: ["HOME": home.path])
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("removed \(corpus.path)/.newslint-cache"), "\(clean.stdout)")
        #expect(!FileManager.default.fileExists(atPath: corpus.path + "/.newslint-cache"))
        #expect(CLIRun.run(["clean"], cwd: corpus.path, env: ["HOME": home.path]).stdout == "no cache to remove\n")
        let user = CLIRun.run(["clean"], cwd: elsewhere.path, env: ["HOME": home.path, "XDG_CACHE_HOME": home.path + "/xdg"])
        #expect(user.stdout.contains("removed \(elsewhere.path)/.newslint-cache") && user.stdout.contains("removed \(home.path)/xdg/newslint"), "\(user.stdout)")
        home.write("notacache/keep.txt", "x")
        let refused = CLIRun.run(["clean", "--cache-dir", home.path + "/notacache"], cwd: elsewhere.path)
        #expect(refused.stderr.contains("not removing"))
        #expect(FileManager.default.fileExists(atPath: home.path + "/notacache/keep.txt"))
    }
}
