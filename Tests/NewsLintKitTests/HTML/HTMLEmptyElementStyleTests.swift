import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `html-empty-element` took every `style` for harmless: an empty `<div>` drawn by its style (a
/// photo as `background-image`, an Instagram embed's grey placeholder shapes, a sized box) was
/// "nothing to show" and deleted by a safe fix.
@Suite struct HTMLEmptyElementStyleTests {
    static func findings(_ body: String) throws -> [Diagnostic] {
        try RuleHarness.diagnostics(rule: "html-empty-element", files: [("a.html", "---\ntitle: t\ndate: 2024-01-01\n---\n" + body)])
    }

    @Test func aStyleThatDrawsOrSizesTheBoxIsNotEmpty() throws {
        for style in [
            "background-image:url(/img/photo.jpg);height:300px", "height:40px;width:40px;background-color:#333",
            "BACKGROUND: #333", "padding: 19% 0;", " width: 0; height: 0; border-top: 8px solid #F4F4F4;",
            "outline: 1px solid red", "box-shadow: 0 0 1px #000", "min-height : 2em", "aspect-ratio: 1",
        ] {
            #expect(try Self.findings("<p>前文前文前文。</p>\n<div style=\"\(style)\"></div>\n<p>後文後文後文。</p>\n").isEmpty, "\(style)")
        }
        // Its empty parent holds something to show, so it is not empty either.
        #expect(try Self.findings("<div><div style=\"background-color:#F4F4F4;height:14px\"></div></div>\n").isEmpty)
    }

    @Test func aStyleThatDrawsNothingStaysHarmless() throws {
        for style in ["color: #999;", "text-align:center", "display: flex; flex-direction: row; align-items: center;", "--aspect-ratio: 1080/1080;", ""] {
            let found = try Self.findings("<p>前文前文前文。</p>\n<div style=\"\(style)\"></div>\n<p>後文後文後文。</p>\n")
            #expect(found.count == 1 && found.first?.fix?.applicability == .safe, "\(style)")
        }
    }
}
