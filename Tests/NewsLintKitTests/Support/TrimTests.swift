import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite struct TrimTests {
    @Test func trimmingWhitespacesMatchesFoundation() {
        let samples = ["", " ", "\t", "新聞", "  新聞 ", "\u{3000}香港\u{3000}", "\u{a0}x\u{2009}", " \u{301}a", "a \u{301}", "\n x \n",
                       "rthk.hk ", "\u{202f}\u{205f}\u{1680}y\u{200a}", "\u{200b}z\u{200b}", " 🇭🇰 "]
        for s in samples {
            #expect(s.trimmingWhitespaces() == s.trimmingCharacters(in: .whitespaces), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}

extension TrimTests {
    @Test func whitespaceSetIsFoundations() {
        var differing: [String] = []
        for v in UInt32(0)...0xFFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let s = String(Character(u))
            if (s.trimmingCharacters(in: .whitespaces).isEmpty) != String.isWhitespace(u) { differing.append(String(v, radix: 16)) }
        }
        #expect(differing.isEmpty, "\(differing)")
    }

    /// `trimmingScalars(in:)` against Foundation's trim with the same set, for the sets the rules
    /// trim with, on strings with members at either end, a combining mark after one, and none.
    @Test func trimmingScalarsMatchesFoundation() {
        let sets = ["\"' ", " \t\u{a0}\u{3000}|/｜:：]()[", " \t\u{a0}\u{3000}|/｜"]
        let samples = ["", " ", "\"x'", "' \"a b\" '", "\u{3000}｜来源：人民网｜", "：]", "(作者) ", " \u{301}a", "a:\u{301}", "|/|",
                       "x", " 🇭🇰 ", "\u{a0}新聞\t", "[2024]"]
        for set in sets {
            for s in samples {
                #expect(s.trimmingScalars(in: set) == s.trimmingCharacters(in: CharacterSet(charactersIn: set)),
                        "\(set) \(s.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }
}
