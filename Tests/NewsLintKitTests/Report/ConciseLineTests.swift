import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
@testable import NewsLintReport

/// The concise line written in one claim of its whole length, against the line built as a
/// `String` from its fields: many findings in one buffer (so each line claims after the last),
/// messages short and long (on both sides of the word-check limit) with and without what
/// `displayText` changes (C1 controls, mapped bytes: led by 0xC2, 0xF4) and other scalars led by
/// those bytes, CJK, control characters, numbers of every width and
/// negative ones, paths that are shown escaped, small and long rule ids.
@Suite struct ConciseLineTests {
    static let messages = [
        "", "a", "mixed line endings (6 CRLF, 9 LF); expected LF", "中文消息“引号”", "tab\there\u{1}\u{7F}\r\n",
        "nbsp\u{00A0}inside", "\u{00A0}", "plane 16 \u{100000} scalar", "c1 \u{85} control", "\u{9F}",
        "a mapped byte \u{10FFB7} (shown escaped)", String(repeating: "q", count: 70) + "\u{10FFE9}", String(repeating: "长", count: 21) + "\u{00A0}",
        String(repeating: "x", count: 63) + "\u{00A0}", String(repeating: "y", count: 64), String(repeating: "z", count: 65),
        "body is identical to " + String(repeating: "/work/新闻/副本-文件.html, ", count: 30) + "(group of 30 files)",
        String(repeating: "w", count: 200) + "\u{100000}", "emoji 🙂 and é\u{301}",
    ]
    static let paths = ["a.md", "dir/新闻-文件.html", "back\\slash.md", "ctl\u{1}name.md", "sp ace/行.md", ""]
    static let rules = ["x", "line-endings", "html-empty-element", "content-duplicate", "行尾"]

    /// The plain way: every field through `String` interpolation (the message through
    /// `displayText` and a map of its scalars, controls as `⟨U+XXXX⟩`: `TerminalMessage.shown`
    /// shares the check under test).
    static func plainLine(_ d: Diagnostic) -> String {
        "\(SystemPath.display(d.path)):\(d.line):\(d.column): \(d.severity.rawValue): \(plainMessage(d.message)) [\(d.rule)]"
    }

    static func plainMessage(_ m: String) -> String {
        SystemPath.displayText(m).unicodeScalars.map { DisplayWidth.isControl($0) ? "⟨U+" + String(format: "%04X", $0.value) + "⟩" : String($0) }.joined()
    }

    @Test func linesMatchThePlainWay() {
        var rng = SeededRandom(seed: 2028)
        let numbers = [0, 1, 9, 10, 99, 100, 999, 1000, 12_345, 1_000_000, Int(Int32.max), Int.max, -1, -1000]
        for _ in 0..<40 {
            let path = rng.pick(Self.paths)
            let findings = (0..<rng.pick([1, 2, 9, 50])).map { _ in
                Diagnostic(rule: rng.pick(Self.rules), severity: rng.pick([.info, .warning, .error]), path: path,
                           line: rng.pick(numbers), column: rng.pick(numbers), message: rng.pick(Self.messages))
            }
            var out = ReportBuffer()
            ConciseReporter.appendLines(findings, to: &out)
            #expect(out.text == findings.map { Self.plainLine($0) + "\n" }.joined())
            for d in findings { #expect(ConciseReporter.line(d) == Self.plainLine(d)) }
        }
    }

    /// Every message length around the word-check limit and the eight-byte words, with the
    /// changed bytes at every position: shown as `shownMessage` shows it.
    @Test func shownAsIsAtEveryPosition() {
        for n in 0...72 {
            for at in [-1] + Array(0..<n) {
                for special in ["\u{00A0}", "\u{100000}", "\u{85}", "\u{10FFB7}", "\u{1B}", "\t", "\u{7F}", "\u{202E}", "\u{2069}", "“", "\u{2028}"] {
                    var message = String(repeating: "m", count: n)
                    if at >= 0 { message = String(repeating: "m", count: at) + special + String(repeating: "m", count: n - at) }
                    let d = Diagnostic(rule: "r", severity: .warning, path: "p", line: 1, column: 2, message: message)
                    #expect(ConciseReporter.line(d) == Self.plainLine(d))
                }
            }
        }
    }
}
