import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `.pre-commit-hooks.yaml` run by the real `pre-commit` in a throwaway git repository.
///
/// The `language: swift` hooks make pre-commit build the package (minutes), so each hook
/// definition is exercised as-is except for `language`, switched to `system` with the
/// `newslint` built beside this test bundle first on PATH: same entry, args, files pattern and
/// `require_serial`. Skipped when `pre-commit` or `git` is missing; CI installs them.
@Suite(.serialized) struct PreCommitHookTests {
    static var binDirectory: String { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path }

    struct Run { var status: Int32; var output: String }

    static func run(_ args: [String], cwd: String, home: String) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = binDirectory + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["PRE_COMMIT_HOME"] = home + "/pre-commit-home"
        env["HOME"] = home
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        for (k, v) in ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"] { env[k] = v }
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// A git repository holding the hook definitions with `language: swift` → `system`.
    static func hooksRepository(_ t: TemporaryDirectory) throws -> (path: String, rev: String) {
        let original = try String(contentsOf: PackagePaths.root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        let hooks = original.replacingOccurrences(of: "language: swift", with: "language: system")
        t.write("hooks/.pre-commit-hooks.yaml", hooks)
        let dir = t.path + "/hooks"
        for args in [["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "hooks"]] {
            let r = try run(args, cwd: dir, home: t.path)
            #expect(r.status == 0, "\(args): \(r.output)")
        }
        let rev = try run(["git", "rev-parse", "HEAD"], cwd: dir, home: t.path).output.trimmingCharacters(in: .whitespacesAndNewlines)
        return (dir, rev)
    }

    static func project(_ t: TemporaryDirectory, hook: String, hooks: (path: String, rev: String)) throws -> String {
        t.write("project/.pre-commit-config.yaml", "repos:\n- repo: \(hooks.path)\n  rev: \(hooks.rev)\n  hooks:\n  - id: \(hook)\n")
        // README.md has no front matter: only --force-exclude keeps the config's exclude in force for it.
        t.write("project/.lint.json", #"{"exclude": ["README.md"], "rules": {"front-matter-field": {"required": ["title"]}}}"#)
        t.write("project/README.md", "# Project\n")
        t.write("project/posts/good.md", "---\ntitle: 好\n---\n\n正文。\n")
        let dir = t.path + "/project"
        for args in [["git", "init", "-q"], ["git", "add", "."]] { _ = try run(args, cwd: dir, home: t.path) }
        return dir
    }

    @Test(.enabled(if: ExternalTools.enabled(ExternalTools.preCommit), "needs pre-commit and git on PATH (pip install pre-commit) \(ExternalTools.requireNote)"))
    func lintHookHonoursExcludesAndFailsOnErrors() throws {
        let t = TemporaryDirectory()
        let hooks = try Self.hooksRepository(t)
        let dir = try Self.project(t, hook: "newslint", hooks: hooks)
        let clean = try Self.run(["pre-commit", "run", "--all-files"], cwd: dir, home: t.path)
        #expect(clean.status == 0, "README.md is excluded by .lint.json even though pre-commit names it:\n\(clean.output)")
        #expect(clean.output.contains("Passed"), "\(clean.output)")
        t.write("project/posts/bad.md", "正文没有前言。\n")
        _ = try Self.run(["git", "add", "."], cwd: dir, home: t.path)
        let failing = try Self.run(["pre-commit", "run", "--all-files"], cwd: dir, home: t.path)
        #expect(failing.status == 1, "\(failing.output)")
        #expect(failing.output.contains("posts/bad.md") && failing.output.contains("front-matter-missing"), "\(failing.output)")
        #expect(!failing.output.contains("README.md"), "\(failing.output)")
    }

    @Test(.enabled(if: ExternalTools.enabled(ExternalTools.preCommit), "needs pre-commit and git on PATH (pip install pre-commit) \(ExternalTools.requireNote)"))
    func fixHookRewritesFiles() throws {
        let t = TemporaryDirectory()
        let hooks = try Self.hooksRepository(t)
        let dir = try Self.project(t, hook: "newslint-fix", hooks: hooks)
        t.write("project/posts/nonl.md", "---\ntitle: 缺换行\n---\n\n正文。")
        _ = try Self.run(["git", "add", "."], cwd: dir, home: t.path)
        let fixed = try Self.run(["pre-commit", "run", "--all-files"], cwd: dir, home: t.path)
        #expect(fixed.status == 1, "pre-commit fails when a hook modifies files:\n\(fixed.output)")
        #expect(fixed.output.contains("files were modified by this hook"), "\(fixed.output)")
        #expect(t.read("project/posts/nonl.md").last == 0x0A)
        _ = try Self.run(["git", "add", "."], cwd: dir, home: t.path)
        #expect(try Self.run(["pre-commit", "run", "--all-files"], cwd: dir, home: t.path).status == 0)
    }

    /// Every hook passes --force-exclude and runs serially (checked on the file pre-commit reads).
    @Test func everyHookForcesExcludesAndRunsSerially() throws {
        let text = try String(contentsOf: PackagePaths.root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        let hooks = text.components(separatedBy: "\n- id: ").dropFirst()
        #expect(hooks.count == 3)
        for h in hooks {
            #expect(h.contains("--force-exclude"), "\(h)")
            #expect(h.contains("require_serial: true"), "\(h)")
        }
    }
}
