import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintCLI

/// Lines the text format quotes that a cache hit does not carry (too long to store) are read while
/// the spill is decoded, not by the serial output; what the output sees and prints is unchanged.
@Suite struct WarmQuotedLinesTests {
    /// Each record's missing lines are added by the filler, small spills and large ones (decoded
    /// on their own thread) alike; lines the record carries are kept as they are.
    @Test func spillAddsTheLinesTheFillerReads() {
        for files in [3, 3000] {
            let spill = DiagnosticSpill(threshold: 1 << 14)
            for f in 0..<files {
                let path = "dir/\(f).md"
                let findings = (1...3).map { Diagnostic(rule: "trailing-whitespace", severity: .warning, path: path, line: $0 * 2, column: 1, message: "trailing whitespace") }
                spill.append(findings, lines: [2: "kept"], path: path)
            }
            #expect((spill.spilledBytes >= DiagnosticSpill.pipelineBytes) == (files > 3))
            let filler: LineFiller = { path, diagnostics, lines in
                for d in diagnostics where lines[d.line] == nil { lines[d.line] = "\(path) \(d.line)" }
            }
            var seen = 0
            var wrong: [String] = []
            #expect(spill.forEachRecord(fillingLines: filler) { path, _, lines in
                seen += 1
                if lines != [2: "kept", 4: "\(path) 4", 6: "\(path) 6"] { wrong.append(path) }
            })
            #expect(seen == files && wrong.isEmpty)
            // Without a filler the records carry what the pass kept.
            var plain = true
            #expect(spill.forEachRecord { _, _, lines in plain = plain && lines == [2: "kept"] })
            #expect(plain)
        }
    }

    /// The text format's filler reads the line of each finding it quotes as `SourceCache` does,
    /// not those of the engine's own findings (never quoted), and keeps lines already there.
    @Test func textFillerReadsTheQuotedLines() {
        let dir = TemporaryDirectory()
        let long = String(repeating: "長", count: CacheEntry.storedLineLimit / 3 + 10) + " "
        dir.write("a.md", "one \n\(long)\nthree\n")
        let path = "a.md"
        let findings = [
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: path, line: 1, column: 4, message: "m"),
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: path, line: 2, column: 5, message: "m"),
            Diagnostic(rule: "unused-suppression", severity: .warning, path: path, line: 3, column: 1, message: "m"),
        ]
        var lines = [1: "as captured"]
        TextReporter.lineFiller(inMemory: [:], base: dir.path)(path, findings, &lines)
        var sources = SourceCache(inMemory: [:], base: dir.path)
        let second = sources.line(path, 2)
        #expect(second == long && lines == [1: "as captured", 2: long])
        // Text given on stdin under that name is read, not the file.
        var fromStdin: [Int: String] = [:]
        TextReporter.lineFiller(inMemory: [path: Array("x\ny\n".utf8)], base: dir.path)(path, findings, &fromStdin)
        #expect(fromStdin == [1: "x", 2: "y"])
    }

    /// A warm text run over files whose quoted lines are too long to store, with enough findings
    /// for the spill to be decoded on its own thread, prints what the cold run printed.
    @Test func warmTextOutputWithLongLinesMatchesCold() {
        let dir = TemporaryDirectory()
        let long = String(repeating: "長", count: CacheEntry.storedLineLimit / 3 + 10)
        let short = (0..<40).map { "短行 \($0) \n" }.joined()
        for f in 0..<150 { dir.write("corpus/\(f).md", "\(long)\(f) \n\(short)") }
        func run(_ format: String) -> CLIRun {
            CLIRun.run(["--no-config", "--select", "trailing-whitespace", "--format", format, "--cache-dir", dir.path + "/cache", "corpus"], cwd: dir.path)
        }
        let cold = run("text")
        // Each file's 41 findings are shown as one (aggregated), quoting the long first line.
        #expect(cold.stdout.contains("長長") && cold.stdout.contains("41 times in this file"))
        let warm = run("text")
        #expect(warm.stdout == cold.stdout && warm.status == cold.status)
        #expect(run("concise").stdout == CLIRun.run(["--no-config", "--select", "trailing-whitespace", "--format", "concise", "--no-cache", "corpus"], cwd: dir.path).stdout)
    }
}
