import Foundation
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Small articles for command-line tests.
enum TestArticle {
    /// Front matter and a body long enough for every body rule, with one trailing space (a warning).
    static let withTrailingSpace = "---\ntitle: 标题\ndate: 2024-01-01\n---\n正文内容足够长的一段文字。 \n"
    /// The same body with nothing to report.
    static let clean = "---\ntitle: 标题\ndate: 2024-01-01\n---\n正文内容足够长的一段文字。\n"
}

/// Paths inside the package, found from this source file.
enum PackagePaths {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var rules: URL { root.appendingPathComponent("Rules") }
    static var seeds: URL { root.appendingPathComponent("seeds") }
    static var fixtures: URL { root.appendingPathComponent("Tests/NewsLintKitTests/Fixtures") }
}

/// Lints in-memory files with exactly one rule enabled (as the catalog examples do).
enum RuleHarness {
    static func linter(rule id: String, options: [String: JSONNode] = [:], fix: FixMode = .none, catalog: Catalog = .builtin) throws -> Linter {
        var config = Configuration(directory: "/nonexistent-example-root")
        config.rules = [(id, RuleSetting(enabled: true, options: options))]
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = fix
        settings.filter = RuleFilter(select: [id])
        return try Linter(catalog: catalog, config: config, settings: settings)
    }

    /// Diagnostics of rule `id` for the given files.
    static func diagnostics(rule id: String, files: [(path: String, text: String)], options: [String: JSONNode] = [:]) throws -> [Diagnostic] {
        let l = try linter(rule: id, options: options)
        return l.lint(files.map { .text(path: $0.path, bytes: Array($0.text.utf8)) }).diagnostics.filter { $0.rule == id }
    }

    /// Diagnostics of rule `id` for one file given as raw bytes (e.g. not UTF-8).
    static func diagnostics(rule id: String, bytes: [UInt8], path: String = "example.md", options: [String: JSONNode] = [:]) throws -> [Diagnostic] {
        let l = try linter(rule: id, options: options)
        return l.lint([.text(path: path, bytes: bytes)]).diagnostics.filter { $0.rule == id }
    }

    /// Diagnostics of a catalog example (raw bytes when it has them).
    static func diagnostics(rule id: String, example ex: RuleExample) throws -> [Diagnostic] {
        if let raw = ex.rawBytes, let file = ex.files.first { return try diagnostics(rule: id, bytes: raw, path: file.path, options: ex.options) }
        return try diagnostics(rule: id, files: ex.files, options: ex.options)
    }

    static func diagnostics(rule id: String, text: String, path: String = "example.md", options: [String: JSONNode] = [:]) throws -> [Diagnostic] {
        try diagnostics(rule: id, files: [(path, text)], options: options)
    }

    /// The text after applying rule `id`'s fixes to a fixpoint.
    static func fixed(rule id: String, text: String, path: String = "example.md", unsafe: Bool, options: [String: JSONNode] = [:]) throws -> String {
        try String(decoding: fixedBytes(rule: id, bytes: Array(text.utf8), path: path, unsafe: unsafe, options: options), as: UTF8.self)
    }

    static func fixedBytes(rule id: String, bytes: [UInt8], path: String = "example.md", unsafe: Bool, options: [String: JSONNode] = [:]) throws -> [UInt8] {
        let l = try linter(rule: id, options: options, fix: .preview(unsafe ? .unsafe : .safe))
        let outcome = l.lint([.text(path: path, bytes: bytes)]).files[0]
        return outcome.fix?.fixed ?? bytes
    }
}

/// Runs the CLI in-process and captures its output.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(_ args: [String], cwd: String = PackagePaths.root.path, stdin: String = "", env: [String: String] = [:]) -> CLIRun {
        let out = Locked(""), err = Locked("")
        let io = ToolIO(stdout: { s in out.withLock { $0 += s } }, stderr: { s in err.withLock { $0 += s } },
                        readStdin: { Array(stdin.utf8) }, currentDirectory: cwd, environment: env)
        let status = NewsLintCLI.run(args, io: io)
        return CLIRun(status: status, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }
}

/// A temporary directory removed at deinit.
final class TemporaryDirectory {
    let url: URL
    var path: String { url.path }
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("newslint-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        write(relative, bytes: Array(text.utf8))
    }
    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) -> String {
        let file = url.appendingPathComponent(relative)
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
        return file.path
    }
    func read(_ relative: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: url.appendingPathComponent(relative).path) ?? Data())
    }
}

extension Linter {
    /// Every outcome and every diagnostic of a run, sorted, as values: the whole result tests
    /// assert on (the commands stream through `LintRun` instead; the reduce's findings are kept
    /// as they come, before suppression comments, as the engine's `lintStreaming` gives them).
    func lint(_ inputs: [LintInput], observer: (@Sendable (FileOutcome) -> Void)? = nil) -> LintResult {
        var outcomes: [FileOutcome] = []
        outcomes.reserveCapacity(inputs.count)
        let run = lintStreaming(inputs, observer: observer) { outcomes.append($0) }
        var diagnostics = outcomes.flatMap(\.diagnostics) + run.crossFile
        if !Diagnostic.isSorted(diagnostics) { diagnostics.sort(by: Diagnostic.outputOrder) }
        return LintResult(diagnostics: diagnostics, files: outcomes, ioFailure: run.ioFailure, fixSummary: run.fixSummary)
    }
}
