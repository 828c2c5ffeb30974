import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite struct FixerTests {
    @Test func nonOverlappingFixesApplyTogetherOverlappingDeferred() {
        let bytes = Array("abcdef".utf8)
        let fixes = [
            Fix(.safe, "x", edits: [Edit(range: 0..<2, replacement: "X")]),
            Fix(.safe, "y", edits: [Edit(range: 1..<3, replacement: "Y")]),
            Fix(.safe, "z", edits: [Edit(range: 4..<5, replacement: "")]),
        ]
        let (out, count) = Fixer.apply(fixes, to: bytes)
        #expect(String(decoding: out, as: UTF8.self) == "Xcdf")
        #expect(count == 2)
    }

    /// Session 48: repeated fixes were skipped through a set of every fix (with a sorted copy of
    /// them, most of `--fix`'s memory on a file of many findings); now a repeat is refused because
    /// its edits overlap its first copy's. Each is still applied once, an insertion too.
    @Test func aRepeatedFixIsAppliedOnce() {
        let bytes = Array("abcdef".utf8)
        let delete = Fix(.safe, "d", edits: [Edit(range: 1..<2, replacement: "")])
        let insert = Fix(.safe, "i", edits: [.insert("!", at: 4)])
        let twoEdits = Fix(.safe, "t", edits: [Edit(range: 5..<6, replacement: "F"), .insert("<", at: 0)])
        let (out, count) = Fixer.apply([insert, delete, twoEdits, delete, insert, twoEdits], to: bytes)
        #expect(String(decoding: out, as: UTF8.self) == "<acd!eF")
        #expect(count == 3)
    }

    /// Session 48: `--fix` on a file of 200,000 trailing-whitespace lines (the per-rule listing
    /// cap is off under `--fix`) held every finding twice and a set of their fixes. Every edit is
    /// applied, in one pass, and the text is exactly the lines without their trailing spaces.
    @Test func everyFixOfALargeFileIsAppliedOnce() throws {
        let tmp = TemporaryDirectory()
        let lines = 200_000
        let head = "---\ntitle: t\n---\n\n"
        tmp.write("big.md", head + String(repeating: "一行文本。 \n", count: lines))
        let run = CLIRun.run(["--no-config", "--no-cache", "--select", "trailing-whitespace", "--fix", "big.md"], cwd: tmp.path)
        #expect(run.stderr.contains("fixed \(lines) issues in 1 file, 0 remaining"), "\(run.stderr)")
        let fixed = try String(contentsOfFile: tmp.path + "/big.md", encoding: .utf8)
        #expect(fixed == head + String(repeating: "一行文本。\n", count: lines))
    }

    @Test func insertionsAtTheSamePointConflict() {
        let a = Edit.insert("1", at: 3), b = Edit.insert("2", at: 3)
        #expect(Fixer.overlaps(a, b))
        #expect(!Fixer.overlaps(Edit(range: 0..<3, replacement: ""), Edit.insert("x", at: 3)))
        #expect(Fixer.overlaps(Edit(range: 0..<3, replacement: ""), Edit.insert("x", at: 2)))
    }

    @Test func outOfRangeEditsAreIgnored() {
        let (out, count) = Fixer.apply([Fix(.safe, "bad", edits: [Edit(range: 5..<9, replacement: "")])], to: Array("abc".utf8))
        #expect(out == Array("abc".utf8) && count == 0)
    }

    @Test func fixpointLoopAndRollback() {
        let doc = Document(path: "a.md", text: "x")
        // A lint function whose fix creates a new, different finding: must roll back.
        var calls = 0
        let result = Fixer.fix(document: doc, initial: [Diagnostic(rule: "r", severity: .warning, path: "a.md", line: 1, column: 1, message: "m",
                                                                   fix: Fix(.safe, "f", edits: [.insert("y", at: 1)]))],
                               allowed: .safe) { _ in
            calls += 1
            return [Diagnostic(rule: "other", severity: .error, path: "a.md", line: 1, column: 1, message: "new")]
        }
        #expect(result.bytes == Array("x".utf8))
        #expect(result.outcome.rolledBack != nil)
        #expect(result.outcome.applied == 0)
        #expect(calls == 1)
    }

    @Test func unsafeFixesNeedPermission() {
        let doc = Document(path: "a.md", text: "x")
        let d = Diagnostic(rule: "r", severity: .warning, path: "a.md", line: 1, column: 1, message: "m", fix: Fix(.unsafe, "f", edits: [.insert("y", at: 1)]))
        #expect(Fixer.fix(document: doc, initial: [d], allowed: .safe) { _ in [] }.outcome.applied == 0)
        #expect(Fixer.fix(document: doc, initial: [d], allowed: .unsafe) { _ in [] }.bytes == Array("xy".utf8))
    }

    @Test func atomicWriteKeepsModeAndFollowsSymlinks() throws {
        let tmp = TemporaryDirectory()
        let target = tmp.write("real.md", "old")
        chmod(target, 0o640)
        try FileManager.default.createSymbolicLink(atPath: tmp.path + "/link.md", withDestinationPath: "real.md")
        try AtomicWriter.write(Array("new".utf8), to: tmp.path + "/link.md")
        #expect(String(decoding: tmp.read("real.md"), as: UTF8.self) == "new")
        #expect((try FileManager.default.destinationOfSymbolicLink(atPath: tmp.path + "/link.md")) == "real.md")
        var st = stat()
        stat(target, &st)
        #expect(st.st_mode & 0o777 == 0o640)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.contains("newslint-") }
        #expect(leftovers.isEmpty)
    }

    @Test func unifiedDiffShape() {
        let d = UnifiedDiff.render(old: Array("a\nb\nc\n".utf8), new: Array("a\nB\nc\n".utf8), path: "f.md")
        #expect(d == "--- a/f.md\n+++ b/f.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
        #expect(UnifiedDiff.render(old: Array("x\n".utf8), new: Array("x\n".utf8), path: "f") == "")
    }
}

@Suite struct UnifiedDiffScaleTests {
    @Test func lineEndingConversionOfALargeFileIsOneBlock() {
        let old = Array(String(repeating: "第一行文字\r\n", count: 20_000).utf8)
        let new = Array(String(repeating: "第一行文字\n", count: 20_000).utf8)
        let d = UnifiedDiff.render(old: old, new: new, path: "big.md")
        #expect(d.hasPrefix("--- a/big.md\n+++ b/big.md\n@@ -1,20000 +1,20000 @@\n"))
        #expect(d.utf8.filter { $0 == 0x0A }.count == 3 + 40_000)
    }

    @Test func prefixAndSuffixAreKeptAsContext() {
        var lines = (0..<5000).map { "行\($0)\n" }
        let old = Array(lines.joined().utf8)
        lines[2500] = "改\n"
        let d = UnifiedDiff.render(old: old, new: Array(lines.joined().utf8), path: "f")
        #expect(d == "--- a/f\n+++ b/f\n@@ -2498,7 +2498,7 @@\n 行2497\n 行2498\n 行2499\n-行2500\n+改\n 行2501\n 行2502\n 行2503\n")
    }
}

@Suite struct ReviewRegressionTests {
    @Test func fixWithOverlappingOwnEditsIsNeverApplied() {
        let bad = Fix(.safe, "bad", edits: [Edit(range: 0..<3, replacement: "x"), Edit(range: 2..<4, replacement: "y")])
        let (out, count) = Fixer.apply([bad], to: Array("abcdef".utf8))
        #expect(count == 0 && out == Array("abcdef".utf8))
    }

    @Test func hugeJSONNumbersInFrontMatterDoNotTrap() throws {
        let fm = try #require(Document(path: "t.md", text: "{\n  \"n\": 1e300,\n  \"m\": -9.5e20\n}\nbody\n").frontMatter)
        #expect(fm.string("n") == "1e+300")
    }

    @Test func deeplyDoubleEncodedEntitiesDoNotOverflowTheStack() throws {
        let line = "正文" + String(repeating: "&amp;", count: 20_000) + "nbsp;结束。\n"
        let found = try RuleHarness.diagnostics(rule: "html-remnant", text: "---\ntitle: t\ndate: 2020-01-01\n---\n" + line)
        #expect(!found.isEmpty)
    }

    @Test func editingARulePackChangesTheConfigHash() throws {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\"rulePacks\": [\"packs\"]}")
        let pack = "{\"id\": \"ad-line\", \"message\": \"ad\", \"severity\": \"warning\", \"zone\": \"anywhere\", \"patterns\": [\"广告\"]}"
        tmp.write("packs/ad.json", pack)
        var c1 = Catalog.builtin, c2 = Catalog.builtin
        let a = try Configuration.load(file: tmp.path + "/.lint.json", catalog: &c1).contentHash
        tmp.write("packs/ad.json", pack.replacingOccurrences(of: "广告", with: "推广"))
        let b = try Configuration.load(file: tmp.path + "/.lint.json", catalog: &c2).contentHash
        #expect(a != b)
    }
}

@Suite struct OverrideCombinationTests {
    @Test func packRulesAreSuppressibleByFamilyName() {
        #expect(Suppressions.family(of: "my-pack-rule") == "pack")
        #expect(Suppressions.family(of: "final-newline") == "hygiene")
        #expect(Suppressions.knownNames.contains("pack"))
    }
}

@Suite struct OverrideCombinationErrorTests {
    /// Each override is valid alone (64 permutations with the default bands; 48 bands with the default
    /// 144 permutations), but a file matching both gets 64 permutations in 48 bands: reported, not ignored.
    @Test func incompatibleOverridesAreReportedForTheFile() {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", """
        {"rules": {"content-near-duplicate": "warning"},
         "overrides": [
           {"files": ["a/**"], "rules": {"content-near-duplicate": {"permutations": 64, "bands": 16}}},
           {"files": ["a/b/**"], "rules": {"content-near-duplicate": {"bands": 48}}}
         ]}
        """)
        tmp.write("a/b/x.md", "---\ntitle: t\ndate: 2020-01-01\n---\n正文。\n")
        tmp.write("a/y.md", "---\ntitle: t\ndate: 2020-01-01\n---\n正文。\n")
        let r = CLIRun.run(["--format", "concise"], cwd: tmp.path)
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("a/b/x.md:1:1: error: invalid configuration for this file (overrides 0, 1 combined)"), "\(r.stdout)")
        #expect(!r.stdout.contains("a/y.md:1:1: error: invalid configuration"))
        // With a cache, run after run: a file's rules in error are reported before the cache may answer.
        let cached = ["--format", "concise", "--cache-dir", tmp.path + "/.cache"]
        let first = CLIRun.run(cached, cwd: tmp.path), second = CLIRun.run(cached, cwd: tmp.path)
        #expect(first.stdout == r.stdout && second.stdout == r.stdout, "\(first.stdout)\(second.stdout)")
        #expect(second.status == 2)
    }
}
