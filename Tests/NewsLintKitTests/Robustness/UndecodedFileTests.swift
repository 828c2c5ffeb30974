import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A file that is not UTF-8 but whose whole text is in another encoding (UTF-16, GB18030, Big5)
/// gets `encoding-invalid`'s finding and nothing else: other rules used to judge its undecoded
/// bytes (U+0000 of UTF-16 as lost characters, halves of GB18030 characters as letters), and the
/// summary counted their safe fixes, which `--fix` then did not apply. A UTF-8 file with a few
/// ill-formed sequences keeps every finding, without the fixes `--fix` refuses on it.
@Suite struct UndecodedFileTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    static let utf16Text = "---\ntitle: 标题\ndate: 2024-01-01\n---\n正文内容足够长。 \n"
    static let gbText = "---\ntitle: 标题\ndate: 2024-01-01\n---\n正文内容足够长，这是一篇新闻。 \n"
    /// The reproducers: UTF-16 (little-endian, with BOM) and GB18030.
    static let utf16: [UInt8] = [0xFF, 0xFE] + [UInt8](utf16Text.data(using: .utf16LittleEndian) ?? Data())
    static let gb: [UInt8] = [UInt8](gbText.data(using: gb18030) ?? Data())
    /// UTF-8 with one ill-formed byte: no encoding decodes the whole file.
    static let partlyBroken: [UInt8] = Array((gbText + "第二段").utf8) + [0xFF] + Array("内容。\n".utf8)

    /// The rule ids in a text report's findings.
    static func rules(_ stdout: String) -> Set<String> {
        var out = Set<String>()
        for line in stdout.split(separator: "\n") {
            guard let open = line.range(of: "["), let close = line.range(of: "]", range: open.upperBound..<line.endIndex) else { continue }
            out.insert(String(line[open.upperBound..<close.lowerBound]))
        }
        return out
    }

    /// N of the summary's "N fixable with --fix." (nil: no such line, nothing is fixable).
    static func safeFixable(_ stdout: String) -> Int? {
        for line in stdout.split(separator: "\n") where line.hasSuffix(" fixable with --fix.") {
            return Int(line.split(separator: " ")[0]) ?? -1
        }
        return nil
    }

    /// N of "fixed N issues".
    static func fixedCount(_ output: String) -> Int? {
        guard let r = output.range(of: "fixed ") else { return nil }
        return Int(output[r.upperBound...].prefix { $0.isNumber })
    }

    static func lint(_ path: String, _ extra: [String] = [], in dir: TemporaryDirectory) -> CLIRun {
        CLIRun.run(["--no-config", "--no-cache"] + extra + [path], cwd: dir.path)
    }

    @Test(arguments: [("a.md", utf16), ("g.md", gb)])
    func wholeFileInAnotherEncodingGetsOnlyItsEncodingFinding(name: String, bytes: [UInt8]) throws {
        #expect(Document(path: name, bytes: bytes).encoding.isWhollyOtherEncoding)
        let dir = TemporaryDirectory()
        dir.write(name, bytes: bytes)
        let run = Self.lint(name, in: dir)
        #expect(Self.rules(run.stdout) == ["encoding-invalid"], "\(run.stdout)")
        #expect(run.stdout.contains("Found 1 problem"))
        // Nothing is fixable without the transcoding, and --fix fixes exactly that.
        #expect(Self.safeFixable(run.stdout) == nil, "no fixable line: \(run.stdout)")
        let fix = Self.lint(name, ["--fix"], in: dir)
        #expect(Self.fixedCount(fix.stdout + fix.stderr) == 0)
        #expect(dir.read(name) == bytes)
        // Every format and the statistics say the same.
        // (How each names a finding's rule: SARIF also lists every rule's metadata.)
        for (format, mark) in [("concise", "[%@]"), ("json", "\"rule\":\"%@\""), ("sarif", "\"ruleId\":\"%@\"")] {
            let out = Self.lint(name, ["--format", format], in: dir).stdout
            func names(_ rule: String) -> Bool { out.contains(mark.replacingOccurrences(of: "%@", with: rule)) }
            #expect(names("encoding-invalid"), "\(format)")
            for noise in ["char-lost", "invisible-char", "front-matter-missing", "final-newline", "body-empty", "trailing-whitespace"] {
                #expect(!names(noise), "\(format): \(noise)")
            }
        }
        let statistics = Self.lint(name, ["--statistics"], in: dir).stdout
        #expect(statistics.contains("encoding-invalid"))
        #expect(!statistics.contains("trailing-whitespace") && !statistics.contains("invisible-char") && !statistics.contains("body-empty"))
        // A cached result is the same result.
        let cached = ["--no-config", "--cache-dir", dir.path + "/cache", name]
        let cold = CLIRun.run(cached, cwd: dir.path), warm = CLIRun.run(cached, cwd: dir.path)
        #expect(Self.rules(cold.stdout) == ["encoding-invalid"])
        #expect(warm.stdout == cold.stdout)
    }

    /// UTF-8 with a few ill-formed sequences: every rule still reports, and what the summary
    /// counts as fixable is what --fix fixes (it applies no fix to a file that is not UTF-8).
    @Test func partlyBrokenUTF8KeepsItsFindingsWithoutFixesFixRefuses() throws {
        #expect(Document(path: "p.md", bytes: Self.partlyBroken).encoding == .unknown)
        let dir = TemporaryDirectory()
        dir.write("p.md", bytes: Self.partlyBroken)
        let run = Self.lint("p.md", in: dir)
        #expect(Self.rules(run.stdout) == ["encoding-invalid", "trailing-whitespace"], "\(run.stdout)")
        #expect(Self.safeFixable(run.stdout) == nil, "no fixable line: \(run.stdout)")
        let fix = Self.lint("p.md", ["--fix", "--unsafe-fixes"], in: dir)
        #expect(Self.fixedCount(fix.stdout + fix.stderr) == 0)
        #expect(dir.read("p.md") == Self.partlyBroken)
        // The findings themselves carry no fix.
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: dir.path), settings: LintSettings())
        let found = linter.lint([.text(path: "p.md", bytes: Self.partlyBroken)]).diagnostics
        #expect(found.contains { $0.rule == "trailing-whitespace" })
        #expect(found.allSatisfy { $0.fix == nil })
    }

    /// After `--fix --unsafe-fixes` transcodes the file, the text is linted as text: its own safe
    /// fixes follow (they are not "introduced" by the transcoding, so nothing is rolled back),
    /// and the result is the same text in UTF-8.
    @Test(arguments: [("a.md", utf16, utf16Text), ("g.md", gb, gbText)])
    func transcodedFileIsLintedAsText(name: String, bytes: [UInt8], text: String) throws {
        let dir = TemporaryDirectory()
        dir.write(name, bytes: bytes)
        let fix = Self.lint(name, ["--fix", "--unsafe-fixes"], in: dir)
        #expect(!(fix.stdout + fix.stderr).contains("left unchanged"), "\(fix.stdout)\(fix.stderr)")
        let expected = text.replacingOccurrences(of: "。 \n", with: "。\n")
        #expect(String(decoding: dir.read(name), as: UTF8.self) == expected)
        #expect(UTF8Validation.firstInvalidOffset(in: dir.read(name)) == nil)
        let after = Self.lint(name, in: dir)
        #expect(!Self.rules(after.stdout).contains("encoding-invalid"))
        // The UTF-16 article's body is short: linted as text, body-empty says so.
        if name == "a.md" { #expect(Self.rules(after.stdout) == ["body-empty"], "\(after.stdout)") }
        // The transcoding alone gives exactly the text.
        #expect(try RuleHarness.fixedBytes(rule: "encoding-invalid", bytes: bytes, unsafe: true) == Array(text.utf8))
    }

    /// Cross-file facts of undecoded bytes are noise too: two copies of a GB18030 article are not
    /// reported as duplicates of each other (their UTF-8 forms are), and the report's profile
    /// groups nothing by a slug or body hash of such a file.
    @Test func undecodedFilesHaveNoCrossFileFactsOrProfile() throws {
        let article = "---\ntitle: 新闻标题\nslug: same-slug\ndate: 2024-01-01\n---\n" + String(repeating: "正文内容足够长，这是一篇完整的新闻报道。", count: 4) + "\n"
        let gb = [UInt8](article.data(using: Self.gb18030) ?? Data())
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: LintSettings())
        let undecoded = linter.lint([.text(path: "a.md", bytes: gb), .text(path: "b.md", bytes: gb)])
        #expect(Set(undecoded.diagnostics.map(\.rule)) == ["encoding-invalid"])
        #expect(undecoded.files.allSatisfy { $0.boxedFacts.isEmpty && $0.factRecords.isEmpty })
        let decoded = linter.lint([.text(path: "a.md", bytes: Array(article.utf8)), .text(path: "b.md", bytes: Array(article.utf8))])
        #expect(decoded.diagnostics.contains { $0.rule == "content-duplicate" })

        let profile = CorpusProfiler.profile(Document(path: "a.md", bytes: gb))
        #expect(!profile.hasFrontMatter && profile.slug == nil && profile.bodyHash == nil && profile.script == .undetermined)
        #expect(profile.characters == article.unicodeScalars.count)
        #expect(CorpusProfiler.profile(Document(path: "a.md", text: article)).slug == "same-slug")
    }

    /// The language server lints through the same engine: only the encoding is reported on such a
    /// file, and fix-all changes nothing a partly broken file's findings offered no fix for.
    @Test func languageServerSeesTheSame() throws {
        let dir = TemporaryDirectory()
        let workspace = LintWorkspace(root: dir.path)
        #expect(Set(workspace.lint(location: dir.path + "/g.md", bytes: Self.gb).map(\.rule)) == ["encoding-invalid"])
        let partly = workspace.lint(location: dir.path + "/p.md", bytes: Self.partlyBroken)
        #expect(partly.contains { $0.rule == "trailing-whitespace" } && partly.allSatisfy { $0.fix == nil })
        #expect(workspace.fixAllSafe(location: dir.path + "/p.md", bytes: Self.partlyBroken) == Self.partlyBroken)
    }

    /// With `encoding-invalid` not active (`--ignore`, a `--select` without it, an override turning
    /// it off) a file wholly in another encoding lost every finding and counted as clean: it gets
    /// one `file-skipped` saying it was not linted. (`file-skipped` is an engine rule a `--select`
    /// must name, as for a binary file: `--select trailing-whitespace` alone reports neither.)
    @Test(arguments: [["--ignore", "encoding-invalid"], ["--select", "trailing-whitespace,file-skipped"], ["--config", ".lint.json"]])
    func wholeFileInAnotherEncodingWithEncodingInvalidOffIsNotLintedNotClean(options: [String]) throws {
        let dir = TemporaryDirectory()
        dir.write("g.md", bytes: Self.gb)
        dir.write(".lint.json", #"{"overrides": [{"files": ["*.md"], "rules": {"encoding-invalid": "off"}}]}"#)
        let run = CLIRun.run(["--no-cache"] + (options.first == "--config" ? options : ["--no-config"] + options) + ["g.md"], cwd: dir.path)
        #expect(Self.rules(run.stdout) == ["file-skipped"], "\(run.stdout)")
        #expect(run.stdout.contains("not linted: the whole file is GB18030 (encoding-invalid is off)"), "\(run.stdout)")
        #expect(!run.stdout.contains("No problems"), "\(run.stdout)")
    }

    /// That `file-skipped` follows from the file alone: the result is cached like any other
    /// (no file with a `file-skipped` finding was, as if each were cut short by the time budget).
    @Test func notLintedForItsEncodingIsCached() throws {
        let dir = TemporaryDirectory()
        dir.write("g.md", bytes: Self.gb)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: dir.path + "/g.md")
        func run() throws -> (diagnostics: [Diagnostic], hits: Int) {
            let cache = try #require(LintCache.open(directory: dir.path + "/.cache", key: 7))
            var settings = LintSettings()
            settings.jobs = 1
            settings.baseDirectory = dir.path
            settings.cache = cache
            settings.filter = RuleFilter(select: ["trailing-whitespace", "file-skipped"])
            let result = try Linter(catalog: .builtin, config: Configuration(directory: dir.path), settings: settings).lint([.file("g.md")])
            try cache.save()
            return (result.diagnostics, cache.hits)
        }
        let first = try run(), second = try run()
        #expect(first.diagnostics.map(\.message) == ["not linted: the whole file is GB18030 (encoding-invalid is off)"])
        #expect(second.diagnostics.map(\.message) == first.diagnostics.map(\.message))
        #expect(first.hits == 0 && second.hits == 1)
    }

    /// A mostly-ASCII Windows-1252 file ("café" in Latin-1 in an English paragraph) is not taken
    /// as wholly another encoding: its other rules' findings stay (without fixes --fix refuses).
    @Test func mostlyASCIIWindows1252FileKeepsOtherRulesFindings() throws {
        let text = "---\ntitle: Notes\ndate: 2024-01-01\n---\nWe met at the caf\u{E9} on the corner and talked about the news of the day. \n"
        let bytes = [UInt8](text.data(using: .windowsCP1252) ?? Data())
        #expect(bytes.contains(0xE9))
        #expect(!Document(path: "w.md", bytes: bytes).encoding.isWhollyOtherEncoding)
        let dir = TemporaryDirectory()
        dir.write("w.md", bytes: bytes)
        let run = Self.lint("w.md", in: dir)
        #expect(Self.rules(run.stdout).isSuperset(of: ["encoding-invalid", "trailing-whitespace"]), "\(run.stdout)")
        #expect(!Self.rules(run.stdout).contains("file-skipped"), "\(run.stdout)")
    }
}
