import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The foundation's acceptance test: the seeds give exactly the expected front-matter and hygiene findings.
@Suite struct SeedsFoundationTests {
    static let families = "front-matter,hygiene,input"
    static let expected = """
    seeds/000_dbf1c70d60598d2e.txt:6:6: warning: trailing whitespace [trailing-whitespace]
    seeds/000_dbf1c70d60598d2e.txt:48:50: warning: file does not end with a newline [final-newline]
    seeds/001_a2cb4460bf96d624.txt:1:1: error: file has no front matter (expected a '---' block at the top, e.g. with title and date) [front-matter-missing]
    seeds/001_a2cb4460bf96d624.txt:1:1: warning: file starts with 2 blank lines [leading-blank-lines]
    seeds/001_a2cb4460bf96d624.txt:14:35: warning: file does not end with a newline [final-newline]
    seeds/002_e89df63c81db9431.txt:1:1: error: file has no front matter (expected a '---' block at the top, e.g. with title and date) [front-matter-missing]
    seeds/002_e89df63c81db9431.txt:55:9: warning: file does not end with a newline [final-newline]
    seeds/003_53f77539f23838d2.txt:6:6: warning: trailing whitespace [trailing-whitespace]
    seeds/003_53f77539f23838d2.txt:78:50: warning: file does not end with a newline [final-newline]
    seeds/004_8dff75892b36df3c.txt:1:1: error: file has no front matter (expected a '---' block at the top, e.g. with title and date) [front-matter-missing]
    seeds/004_8dff75892b36df3c.txt:42:134: warning: file does not end with a newline [final-newline]

    """

    @Test func conciseOutputIsExact() {
        let r = CLIRun.run(["--select", Self.families, "--format", "concise"])
        #expect(r.stdout == Self.expected)
        #expect(r.status == 1)
    }

    @Test func sameFindingsInEveryFormat() throws {
        let json = CLIRun.run(["--select", Self.families, "--format", "json"])
        let items = try #require(try JSONParser.parse(json.stdout).array)
        let lines = items.map { d in
            "\(d["path"]?.string ?? ""):\(d["line"]?.int ?? 0):\(d["column"]?.int ?? 0): \(d["severity"]?.string ?? ""): \(d["message"]?.string ?? "") [\(d["rule"]?.string ?? "")]"
        }
        #expect(lines.joined(separator: "\n") + "\n" == Self.expected)
        #expect(items.first?["fix"]?["applicability"]?.string == "safe")
        let text = CLIRun.run(["--select", Self.families])
        #expect(text.stdout.contains("seeds/004_8dff75892b36df3c.txt:1:1: error[front-matter-missing]"))
        #expect(text.stdout.contains("Found 11 problems (3 errors, 8 warnings) in 5 of 5 files."))
        #expect(text.stdout.contains(" 6 | tags: \n   |      ^"))
    }

    @Test func outputIsIdenticalForAnyJobCount() {
        let one = CLIRun.run(["--format", "json", "--jobs", "1"]).stdout
        for jobs in ["2", "3", "8"] {
            #expect(CLIRun.run(["--format", "json", "--jobs", jobs]).stdout == one)
        }
    }

    @Test func fixOnACopyThenSecondFixChangesNothing() throws {
        let tmp = TemporaryDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.seeds.path).sorted()
        var originals: [String: [UInt8]] = [:]
        for n in names {
            let bytes = [UInt8](try Data(contentsOf: PackagePaths.seeds.appendingPathComponent(n)))
            originals[n] = bytes
            tmp.write("seeds/" + n, bytes: bytes)
        }
        let first = CLIRun.run(["seeds", "--select", Self.families, "--fix", "--no-config"], cwd: tmp.path)
        #expect(first.stderr.contains("fixed 8 issues in 5 files, 3 remaining"), "\(first.stderr)")
        for n in names {
            let after = tmp.read("seeds/" + n)
            let before = try #require(originals[n])
            #expect(after.last == 0x0A)
            // Only the fixed bytes changed: trailing newline added, the `tags: ` space removed, leading blank lines removed.
            var expected = before
            if n.hasPrefix("001") { expected.removeFirst(2) }
            if n.hasPrefix("000") || n.hasPrefix("003") {
                let line6 = Document(path: n, bytes: before).contentRange(ofLine: 6)
                expected.remove(at: line6.upperBound - 1)
            }
            expected.append(0x0A)
            #expect(after == expected, "\(n) changed unexpectedly")
        }
        let snapshot = names.map { tmp.read("seeds/" + $0) }
        let second = CLIRun.run(["seeds", "--select", Self.families, "--fix", "--no-config"], cwd: tmp.path)
        #expect(second.stderr.contains("fixed 0 issues in 0 files"))
        #expect(names.map { tmp.read("seeds/" + $0) } == snapshot)
    }

    @Test func diffPreviewWritesNothing() throws {
        let tmp = TemporaryDirectory()
        tmp.write("a.md", "---\ntitle: t\ndate: 2020-01-01\n---\nbody  \t")
        let r = CLIRun.run(["a.md", "--diff", "--no-config"], cwd: tmp.path)
        #expect(r.status == 1)
        #expect(r.stdout == "--- a/a.md\n+++ b/a.md\n@@ -2,4 +2,4 @@\n title: t\n date: 2020-01-01\n ---\n-body  \t\n\\ No newline at end of file\n+body\n", "\(r.stdout)")
        #expect(String(decoding: tmp.read("a.md"), as: UTF8.self) == "---\ntitle: t\ndate: 2020-01-01\n---\nbody  \t")
        tmp.write("b.md", "---\ntitle: t\ndate: 2020-01-01\n---\nbody\n")
        #expect(CLIRun.run(["b.md", "--diff", "--no-config"], cwd: tmp.path).status == 0)
    }
}
