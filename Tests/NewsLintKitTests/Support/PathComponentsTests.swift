import Foundation
import Testing
@testable import NewsLintCore

/// `PathComponents` gives `NSString`'s answers, and does not trap where Foundation does.
@Suite struct PathComponentsTests {
    /// Every string of up to `length` characters over `alphabet`.
    private static func strings(over alphabet: [String], upTo length: Int) -> [String] {
        var all: [String] = [""], layer: [String] = [""]
        for _ in 0..<length {
            layer = layer.flatMap { prefix in alphabet.map { prefix + $0 } }
            all += layer
        }
        return all
    }

    private static func answers(_ path: String) -> [String] {
        [PathComponents.lastComponent(path), PathComponents.deletingLastComponent(path),
         PathComponents.pathExtension(path), PathComponents.deletingPathExtension(path)]
    }

    private static func foundationAnswers(_ path: String) -> [String] {
        let s = path as NSString
        return [s.lastPathComponent, s.deletingLastPathComponent, s.pathExtension, s.deletingPathExtension]
    }

    @Test func asciiPathsGetFoundationsAnswers() {
        var differing: [String] = []
        for path in Self.strings(over: ["a", ".", "/", "b"], upTo: 7) where Self.answers(path) != Self.foundationAnswers(path) {
            differing.append(path)
        }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
    }

    /// Non-ASCII paths are asked of Foundation with each character swapped for an ASCII letter
    /// (Foundation traps on some of them) and the answers swapped back: `/` and `.` are where
    /// both cut.
    @Test func nonASCIIPathsGetTheAnswersOfTheirASCIIShape() {
        let wide: [Character: Character] = ["é": "Q", "中": "W", "😀": "Z"]
        let back = Dictionary(uniqueKeysWithValues: wide.map { ($1, $0) })
        func swap(_ s: String, _ table: [Character: Character]) -> String { String(s.map { table[$0] ?? $0 }) }
        var differing: [String] = []
        for path in Self.strings(over: ["é", "中", ".", "/", "😀"], upTo: 5) {
            let expected = Self.foundationAnswers(swap(path, wide)).map { swap($0, back) }
            if Self.answers(path) != expected { differing.append(path) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
    }

    @Test func examples() {
        #expect(PathComponents.pathExtension("éé//é.MD") == "MD")
        #expect(PathComponents.lastComponent("éé//é/") == "é")
        #expect(PathComponents.deletingLastComponent("éé//é") == "éé")
        #expect(PathComponents.deletingPathExtension("a/中文.md") == "a/中文")
        #expect(PathComponents.pathExtension("a/..") == "")
        #expect(PathComponents.lastComponent("/") == "/")
        #expect(PathComponents.deletingLastComponent("/a") == "/")
    }
}

/// Paths given with `//` and non-ASCII names, where Foundation's path functions trap, are linted,
/// fixed and written to like any other.
@Suite struct DoubleSlashPathTests {
    @Test func lintFixAndOutputTakeNonASCIIPathsWithDoubleSlashes() throws {
        let dir = TemporaryDirectory()
        dir.write("éé/é", "---\ntitle: 测试\n---\n\n这是一段足够长的正文，用来检查路径里的双斜线。 \n")
        dir.write("éé/文.md", "---\ntitle: 测试\n---\n\n这是一段足够长的正文，用来检查路径里的双斜线。\n")
        let lint = CLIRun.run(["--no-cache", "éé//é", "éé//文.md", "--select", "trailing-whitespace,html-remnant"], cwd: dir.path)
        #expect(lint.status == 1, "\(lint.stderr)")
        #expect(lint.stdout.contains("trailing-whitespace"))
        let fix = CLIRun.run(["--no-cache", "--fix", "éé//é", "--select", "trailing-whitespace"], cwd: dir.path)
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        #expect(!String(decoding: dir.read("éé/é"), as: UTF8.self).contains("。 \n"))
        dir.write("报告/说明", "")
        let written = CLIRun.run(["--no-cache", "éé//文.md", "--output", "报告//结果.txt"], cwd: dir.path)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/报告/结果.txt"))
    }
}
