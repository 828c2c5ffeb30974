import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport

/// Messages quote file content (here an unknown rule name in a directive): the formats read on a
/// terminal or in a CI log show its control characters as `⟨U+001B⟩`, never raw (an ESC cleared the
/// screen); JSON, JSON Lines and SARIF carry the exact text, escaped.
@Suite struct TerminalMessageTests {
    static let text = "---\ntitle: t\ndate: 2024-03-01\n---\n正文。<!-- newslint-disable-line a\u{1B}[2Jb\u{202E}c -->\n"

    static func findings() throws -> [Diagnostic] {
        var settings = LintSettings()
        settings.jobs = 1
        settings.filter = RuleFilter(select: ["unused-suppression"])
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent"), settings: settings)
        return linter.lint([.text(path: "a.md", bytes: Array(text.utf8))]).diagnostics
    }

    static func render(_ format: OutputFormat, _ diagnostics: [Diagnostic]) -> String {
        var reporter = format.runReporter
        return reporter.renderAll(diagnostics, context: ReportContext(catalog: .builtin, inMemorySources: ["a.md": Array(text.utf8)]))
    }

    @Test(arguments: [OutputFormat.text, .concise, .github, .markdown, .junit])
    func controlsInMessagesAreShownNotSent(_ format: OutputFormat) throws {
        let found = try Self.findings()
        #expect(found.map(\.rule) == ["unused-suppression"])
        #expect(found.first?.message.contains("\u{1B}") == true, "the finding itself keeps the exact text")
        let out = Self.render(format, found)
        #expect(!out.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(format): \(out.debugDescription)")
        // Markdown escapes the bracket as it escapes any corpus text in a table.
        #expect(out.contains(format == .markdown ? "a⟨U+001B⟩\\[2Jb⟨U+202E⟩c" : "a⟨U+001B⟩[2Jb⟨U+202E⟩c"), "\(format): \(out)")
    }

    @Test(arguments: [OutputFormat.json, .jsonl, .sarif])
    func dataFormatsCarryTheExactText(_ format: OutputFormat) throws {
        let out = Self.render(format, try Self.findings())
        #expect(!out.contains("\u{1B}"))
        #expect(out.contains("a\\u001b[2Jb\u{202E}c"), "\(format): \(out)")
    }

    @Test func plainMessagesAreKeptAsTheyAre() {
        for m in ["unknown rule 'x'", "“引号”——破折号…", String(repeating: "中文，“引号”", count: 20)] {
            var s = m
            let plain = s.withUTF8(TerminalMessage.isShownAsIs)
            #expect(plain, "\(m)")
            #expect(TerminalMessage.shown(m) == m)
        }
        for m in ["a\tb", "a\u{7F}", String(repeating: "中文", count: 9) + "\u{2066}x", "\u{0}"] {
            var s = m
            let plain = s.withUTF8(TerminalMessage.isShownAsIs)
            #expect(!plain, "\(m.debugDescription)")
        }
        #expect(TerminalMessage.shown("a\tb\u{2066}") == "a⟨U+0009⟩b⟨U+2066⟩")
    }
}
