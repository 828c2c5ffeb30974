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

    /// The sixteen-byte steps tell each byte as the byte-at-a-time rule does, wherever it falls
    /// (in a step, next to a step's end, in the last two bytes), on any bytes, valid UTF-8 or not.
    @Test func wideStepsAgreeWithTheByteRule() {
        func reference(_ b: [UInt8]) -> Bool {
            for (i, c) in b.enumerated() {
                if c < 0x20 || c == 0x7F || c == 0xF4 { return false }
                if c == 0xC2 && !(i + 1 < b.count && b[i + 1] >= 0xA0 && b[i + 1] <= 0xBF) { return false }
                if c == 0xE2, i + 2 < b.count {
                    let b1 = b[i + 1], b2 = b[i + 2]
                    if (b1 == 0x80 && (0xAA...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2)) { return false }
                }
            }
            return true
        }
        let pieces: [[UInt8]] = [[0x61], Array("中".utf8), Array("“".utf8), Array("—".utf8), Array("·".utf8), [0xC2], [0xE2], [0xE2, 0x80],
                                 [0xE2, 0x81], [0x80], [0x81], [0xAA], [0xAE], [0xAF], [0xA6], [0xA9], [0xA5], [0x9F], [0xA0], [0xBF], [0xC0],
                                 [0x1F], [0x20], [0x7F], [0xF4], [0x09], Array("\u{202E}".utf8), Array("\u{2066}".utf8)]
        var rng = SeededRandom(seed: 53_01)
        var disagreements = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            // Mostly plain text with one or two pieces planted anywhere, so long plain runs pass the wide steps.
            let length = rng.below(70)
            for _ in 0..<length { bytes += rng.below(4) == 0 ? rng.pick(pieces) : Array("文字ab".utf8) }
            let expected = reference(bytes)
            let got = bytes.withUnsafeBufferPointer(TerminalMessage.isShownAsIs)
            if got != expected { disagreements += 1 }
            #expect(got == expected, "\(bytes)")
            if disagreements > 3 { break }
        }
    }

    /// A message quoting a name with a middle dot (喬·拜登, C2 B7), a no-break space or «» is shown
    /// as it is without the `String` path (a copy and a walk of its scalars: 42 messages on
    /// agora-pen); C1 controls (C2 80–9F) are not; and whatever the check passes, `shown` and the
    /// JSON reporters' `shownMessage` keep as it is.
    @Test func latinOneSupplementIsShownAsItIs() {
        for m in ["美國總統喬·拜登表示", "a\u{00A0}b", "«引文»", "50°C ±2", String(repeating: "·", count: 9)] {
            var s = m
            let plain = s.withUTF8(TerminalMessage.isShownAsIs)
            #expect(plain, "\(m.debugDescription)")
        }
        for m in ["a\u{0085}b", String(repeating: "·", count: 9) + "\u{009B}", "x\u{0080}", "\u{009F}"] {
            var s = m
            let plain = s.withUTF8(TerminalMessage.isShownAsIs)
            #expect(!plain, "\(m.debugDescription)")
        }
        let scalars: [Unicode.Scalar] = ["a", "中", "·", "\u{00A0}", "\u{0085}", "\u{009F}", "\u{00BF}", "\u{00C0}", "“", "\u{202E}",
                                         "\u{1B}", "\t", "\u{10FF80}", "\u{10FFFF}", "\u{100000}", "\u{7F}"]
        var rng = SeededRandom(seed: 49_05)
        for _ in 0..<5_000 {
            var m = ""
            for _ in 0..<rng.below(24) { m.unicodeScalars.append(rng.pick(scalars)) }
            var s = m
            if s.withUTF8(TerminalMessage.isShownAsIs) {
                #expect(TerminalMessage.shown(m) == m, "\(m.debugDescription)")
                #expect(TerminalMessage.shown(m, keepsWhitespace: true) == m, "\(m.debugDescription)")
                #expect(SystemPath.displayText(m) == m, "\(m.debugDescription)")
            }
        }
    }
}
