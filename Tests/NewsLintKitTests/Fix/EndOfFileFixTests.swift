import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintCLI

/// Fixes of different rules meeting at the end of the file: the result ends in exactly one
/// newline (no blank line made), and a second `--fix` changes nothing.
@Suite struct EndOfFileFixTests {
    private static let head = "---\ntitle: t\ndate: 2024-01-01\n---\n这是一篇新闻报道的正文内容，足够长了吧。这里还有更多的文字。"

    /// `--fix` of `text` as stdin named x.md (the editor's way): the fixed text printed on stdout.
    private static func fixed(_ text: String) -> String {
        CLIRun.run(["-", "--stdin-filename", "x.md", "--fix", "--no-config"], stdin: text).stdout
    }

    /// `--fix` of a file on disk, twice: the bytes after each run.
    private static func fixedTwice(_ text: String) -> (first: [UInt8], second: [UInt8]) {
        let tmp = TemporaryDirectory()
        tmp.write("a.md", text)
        _ = CLIRun.run(["a.md", "--fix", "--no-config", "--quiet"], cwd: tmp.path)
        let first = tmp.read("a.md")
        _ = CLIRun.run(["a.md", "--fix", "--no-config", "--quiet"], cwd: tmp.path)
        return (first, tmp.read("a.md"))
    }

    @Test func anInsertionAtTheEndWaitsForAnEditOfTheLastBytes() {
        // Deleting the unterminated last line leaves the previous "\n" last: the final newline must not follow it.
        let deleteLastLine = Fix(.safe, "delete", edits: [Edit(range: 3..<5, replacement: "")])
        let appendNewline = Fix(.safe, "append", edits: [.insert("\n", at: 5)])
        let (out, count) = Fixer.apply([deleteLastLine, appendNewline], to: Array("ab\ncd".utf8))
        #expect(String(decoding: out, as: UTF8.self) == "ab\n")
        #expect(count == 1)
        // Either order: the one chosen first wins.
        #expect(Fixer.meetsAtEndOfFile(Edit.insert("\n", at: 5), Edit(range: 3..<5, replacement: ""), fileEnd: 5))
        // An insertion elsewhere beside a replacement is not affected.
        #expect(!Fixer.meetsAtEndOfFile(Edit.insert("x", at: 3), Edit(range: 1..<3, replacement: ""), fileEnd: 5))
    }

    @Test func deletedBoilerplateLastLineLeavesOneFinalNewline() {
        let text = Self.head + "\n分享到：微信 微博 QQ空间"
        #expect(Self.fixed(text) == Self.head + "\n")
        let (first, second) = Self.fixedTwice(text)
        #expect(String(decoding: first, as: UTF8.self) == Self.head + "\n")
        #expect(second == first)
    }

    @Test func trailingWhitespaceOnAnUnterminatedLastLine() {
        let (first, second) = Self.fixedTwice(Self.head + " \t")
        #expect(String(decoding: first, as: UTF8.self) == Self.head + "\n")
        #expect(second == first)
    }

    /// A lone CR ends the line: line-endings reports it, final-newline does not add a second terminator.
    @Test func aLoneCarriageReturnAtTheEndIsALineEnd() throws {
        #expect(try RuleHarness.diagnostics(rule: "final-newline", text: Self.head + "\r").isEmpty)
        #expect(try RuleHarness.diagnostics(rule: "final-newline", text: "\r\r").isEmpty)
        #expect(try RuleHarness.diagnostics(rule: "line-endings", text: Self.head + "\r").count == 1)
        #expect(try RuleHarness.diagnostics(rule: "final-newline", text: Self.head).count == 1)
    }

    @Test func loneCarriageReturnEndingsAreFixedToOneNewlineEach() {
        #expect(Self.fixed(Self.head + "\r") == Self.head + "\n")
        #expect(Self.fixed("\r") == "\n")
        #expect(Self.fixed(Self.head + "\r\r") == Self.head + "\n\n")
        let (first, second) = Self.fixedTwice(Self.head + "\r")
        #expect(String(decoding: first, as: UTF8.self) == Self.head + "\n")
        #expect(second == first)
    }
}
