import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `RegexGate`, the byte test a line passes before a built-in confirming regex is compiled and
/// run: it must pass every line the regex matches (a rejected match would drop a finding).
@Suite struct RegexGateTests {
    /// Pieces the random lines are made of: the regexes' literals, the spaces, bullets, colons,
    /// brackets and arrows they allow, and text they do not.
    static let pieces = [
        "首页", "首頁", "首", "页", "字号", "字號", "字", "号", "大", "中", "小", "大 中 小", "【大】【中】【小】", "[大] [中] [小]",
        " ", "\t", "\r", "\u{0B}", "\u{1C}", "\u{85}", "\u{A0}", "\u{2003}", "\u{2028}", "\u{3000}", "•", "·",
        ":", "：", "[", "]", "【", "】", ">", ">>", "＞", "›", "»", "/", "→", "-&gt;", "-", "&gt;",
        "<p>", "a", "1", "老", "新闻", "。",
    ]

    static func randomLine(_ rng: inout SeededRandom) -> String {
        (0..<(1 + rng.below(9))).map { _ in rng.pick(pieces) }.joined()
    }

    static func gate(_ source: String) throws -> RegexGate {
        try #require(RegexGate(source: source))
    }

    static func mayMatch(_ gate: RegexGate, _ line: String) -> Bool {
        let bytes = Array(("x\n" + line + "\ny").utf8)
        return gate.mayMatch(bytes, 2..<(bytes.count - 2))
    }

    static func matches(_ regex: NSRegularExpression, _ line: String) -> Bool {
        regex.firstMatch(in: line, range: NSRange(line.startIndex..<line.endIndex, in: line)) != nil
    }

    @Test func builtinRegexesHaveTheirGates() {
        let gated = BuiltinPatterns.loaded.patterns.compactMap(\.lazyRegex).filter { $0.gate != nil }.map(\.source)
        #expect(Set(gated) == [RegexGate.breadcrumbSource, RegexGate.fontSizeSource])
        #expect(RegexGate(source: "(版权所有|版權所有)(?![人者权權])") == nil)
    }

    @Test(arguments: [RegexGate.breadcrumbSource, RegexGate.fontSizeSource])
    func passesEveryLineTheRegexMatches(source: String) throws {
        let gate = try Self.gate(source)
        let regex = try NSRegularExpression(pattern: source)
        var rng = SeededRandom(seed: 44_16)
        var matched = 0, rejected = 0
        for round in 0..<40_000 {
            let line = Self.randomLine(&rng)
            let passes = Self.mayMatch(gate, line)
            if Self.matches(regex, line) {
                matched += 1
                #expect(passes, "\(round) \(line.unicodeScalars.map { String($0.value, radix: 16) })")
            }
            if !passes { rejected += 1 }
        }
        // The random lines reach both sides of the gate.
        #expect(matched > 100, "\(matched)")
        #expect(rejected > 10_000, "\(rejected)")
    }

    @Test func realLines() throws {
        let home = try Self.gate(RegexGate.breadcrumbSource), fontSize = try Self.gate(RegexGate.fontSizeSource)
        for line in ["首页 > 新闻", " \u{3000}• 首頁 » 國際", "\t首页-&gt;正文"] {
            #expect(Self.mayMatch(home, line), "\(line)")
        }
        for line in ["<div></div><div><p>（中央社台北4日電）返回首頁 >", "a 首页 > 国际", ""] {
            #expect(!Self.mayMatch(home, line), "\(line)")
        }
        for line in ["字号：大 中 小", "字號 【大】【中】【小】", "【字号：[大] [中] [小]】"] {
            #expect(Self.mayMatch(fontSize, line), "\(line)")
        }
        for line in ["京都腌菜老字号腌制“千枚渍”，老字号腌菜铺“大安”", "「軍」字號特供酒", "字号", ""] {
            #expect(!Self.mayMatch(fontSize, line), "\(line)")
        }
    }
}
