import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `timestamp-raw`: what counts as a lone machine timestamp, and the near misses it must leave alone.
@Suite struct TimestampRawTests {
    static let fm = "---\ntitle: t\n---\n\n"

    @Test func parsesISODateTimesAndRejectsNearMisses() {
        func parse(_ s: String) -> Bool? { let b = Array(s.utf8); return TimestampRawRule.parseISODateTime(b, 0, b.count) }
        #expect(parse("2024-11-01T10:50:09.292Z") == true)
        #expect(parse("2024-11-01T10:50:09+08:00") == true)
        #expect(parse("2024-11-01T10:50+0800") == true)
        #expect(parse("2024-11-01T10:50") == false)
        #expect(parse("2024-11-01") == nil)
        #expect(parse("2024-11-01 10:50:09") == nil)       // a reader's format: space, not T
        #expect(parse("2024-11-01T10:50:09.Z") == nil)
        #expect(parse("2024-11-01T10:50:09Zulu") == nil)
        #expect(parse("2024/11/01T10:50:09Z") == nil)
    }

    @Test func quietOnTimestampsInsideSentencesCodeAndAttributes() throws {
        let texts: [(String, String)] = [
            (Self.fm + "新聞稿於2024-11-04T12:09:43+08:00發布。\n", "a.md"),
            (Self.fm + "記錄時間：2024-11-04T12:09:43Z\n", "b.md"),
            (Self.fm + "`2024-11-04T12:09:43Z`\n", "c.md"),
            (Self.fm + "```\n2024-11-04T12:09:43Z\n```\n", "d.md"),
            (Self.fm + "2024-11-04 12:09\n", "e.md"),
            (Self.fm + "<time datetime=\"2024-11-04T08:52:01Z\">2024年11月4日</time>\n", "f.html"),
            (Self.fm + "<p>发布于 2024-11-04T08:52:01Z</p>\n", "g.html"),
            (Self.fm + "<!-- 2024-11-04T08:52:01Z -->\n<p>正文。</p>\n", "h.html"),
        ]
        for (text, path) in texts {
            #expect(try RuleHarness.diagnostics(rule: "timestamp-raw", text: text, path: path).isEmpty, "\(path)")
        }
    }

    @Test func firesOnALoneTimestampBlockAndHonoursRequireZone() throws {
        let html = Self.fm + "<div><i>Nina Werkhäuser<br>2024-11-01T11:52:59.503Z</i></div>\n"
        #expect(try RuleHarness.diagnostics(rule: "timestamp-raw", text: html, path: "a.html").map(\.line) == [5])
        let unzoned = Self.fm + "2024-11-01T11:52:59\n"
        #expect(try RuleHarness.diagnostics(rule: "timestamp-raw", text: unzoned).count == 1)
        #expect(try RuleHarness.diagnostics(rule: "timestamp-raw", text: unzoned, options: ["requireZone": JSONNode(.bool(true))]).isEmpty)
    }
}

@Suite struct TimestampRawTrimTests {
    /// Spaces around the timestamp are trimmed alike at both ends (a trailing ideographic space was missed).
    @Test func bothEndsTrimTheSameSpaces() throws {
        for line in ["2024-11-01T10:50:09.292Z\u{3000}", "\u{3000}2024-11-01T10:50:09.292Z", "2024-11-01T10:50:09.292Z\u{A0}"] {
            let found = try RuleHarness.diagnostics(rule: "timestamp-raw", text: "記者報道。\n\n" + line + "\n")
            #expect(found.count == 1, "\(line.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
