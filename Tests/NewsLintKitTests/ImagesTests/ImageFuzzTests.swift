import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Bad input never crashes: random documents built from the tokens the scanners care about
/// (and invalid UTF-8) go through every rule of this area. Deterministic (seeded).
@Suite struct ImageFuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; return mix64(state) }
    }

    static let tokens: [[UInt8]] = ["![", "](", "]", "[", "(", ")", "<", ">", "\\", "`", "``", "\"", "'", " ", "\t", "\n", "\r\n",
        "<img", " src=", " alt=", "<!--", "-->", "```\n", "~~~", "[a]: ", "http://", "https://h/", "//", "data:", "%", "%E4%", "#", "?",
        "图", "圖片", "會議 現場", "：", "，", "\u{3000}", "ｘ", "---\n", "slug: ", "urlname: ", "a.jpg", "/img/x.png", "C:\\"].map { Array($0.utf8) }
        + [[0xFF], [0xE4, 0xBD], [0xC0, 0x80], [0xED, 0xA0, 0x80]]

    @Test func randomDocumentsNeverCrash() throws {
        var rng = SplitMix(state: 5)
        var config = Configuration(directory: "/nonexistent-example-root")
        let ids = ["image-link-broken", "image-alt-missing", "slug-invalid", "slug-duplicate", "content-duplicate", "content-near-duplicate"]
        config.rules = ids.map { ($0, RuleSetting(enabled: true, options: $0 == "content-near-duplicate" ? ["minLength": JSONNode(.number(5)), "shingleSize": JSONNode(.number(3))] : [:])) }
        var settings = LintSettings()
        settings.filter = RuleFilter(select: ids)
        settings.environment.probe = FakeProbe(existing: [])
        settings.environment.images.roots = ["/r"]
        settings.environment.images.online = true
        settings.environment.urlChecker = RecordingChecker()
        let linter = try Linter(catalog: .builtin, config: config, settings: settings)
        var inputs: [LintInput] = []
        for i in 0..<1500 {
            var bytes: [UInt8] = i % 3 == 0 ? Array("---\nslug: x\n---\n".utf8) : []
            for _ in 0..<Int.random(in: 0...60, using: &rng) {
                bytes += Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &rng)]
            }
            inputs.append(.text(path: "f\(i).md", bytes: bytes))
        }
        let result = linter.lint(inputs)
        // Every position lies inside its file, and the run found something to say.
        for d in result.diagnostics { #expect(d.line >= 1 && d.column >= 1) }
        #expect(result.diagnostics.contains { $0.rule == "image-link-broken" })
    }
}
