import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `punctuation-halfwidth`'s `auto` replacement for `･`, decided by the text around each dot, not
/// by the file: a file with any kana made every `･` a Japanese `・`, a Chinese name's too.
@Suite struct HalfwidthMiddleDotTests {
    static let frontMatter = "---\ntitle: t\ndate: 2024-01-01\n---\n\n"

    /// The fixes of rule `punctuation-halfwidth` on `body`: replacement and whether it is safe, in order.
    static func fixes(_ body: String) throws -> [(String, Bool)] {
        try RuleHarness.diagnostics(rule: "punctuation-halfwidth", text: Self.frontMatter + body + "\n").compactMap { d in
            d.fix.map { (String(decoding: $0.edits.first?.replacement ?? [], as: UTF8.self), $0.applicability == .safe) }
        }
    }

    /// The probe's line: a Chinese name and, quoted, a Japanese title in one sentence.
    @Test func aChineseNameBesideAJapaneseTitleTakesTheChineseDot() throws {
        let body = "中文報道：唐納德･特朗普表示，日本動畫「ポケット･モンスター」很受歡迎。"
        let found = try Self.fixes(body)
        #expect(found.map { $0.0 } == ["·", "・"])
        #expect(found.allSatisfy { $0.1 })
        #expect(try RuleHarness.fixed(rule: "punctuation-halfwidth", text: Self.frontMatter + body + "\n", unsafe: false)
            == Self.frontMatter + "中文報道：唐納德·特朗普表示，日本動畫「ポケット・モンスター」很受歡迎。\n")
    }

    /// Japanese text: beside kana, in a word with kana, in a sentence with hiragana of its own.
    @Test func japaneseTextTakesTheKatakanaDot() throws {
        #expect(try Self.fixes("大阪･関西万博のチケットを発売した。").map { $0.0 } == ["・"])
        #expect(try Self.fixes("山田･太郎、鈴木･一郎が会った。").map { $0.0 } == ["・", "・"])
        #expect(try Self.fixes("ソニー･グループ").map { $0.0 } == ["・"])
        #expect(try Self.fixes("大阪･関西万博のチケットを発売した。").allSatisfy { $0.1 })
    }

    /// A line with no kana in a file with hiragana elsewhere cannot tell: `・` (the file's
    /// language), offered as unsafe only; in a file with none it is a Chinese name, safe.
    @Test func aLineWithoutKanaInAJapaneseFileIsUnsafe() throws {
        let found = try Self.fixes("大阪･関西万博\n\nチケットを発売した。")
        #expect(found.count == 1 && found[0].0 == "・" && !found[0].1)
        let chinese = try Self.fixes("約翰･史密斯出席。")
        #expect(chinese.count == 1 && chinese[0].0 == "·" && chinese[0].1)
    }

    /// A reading in parentheses is not the line's own text: `（いしば しげる）` made a Chinese
    /// name's dot a safe Japanese `・`. Hiragana outside quotations, with none in the dot's own
    /// word, is the only reason left for `・`: offered as unsafe.
    @Test func aReadingInParenthesesLeavesAChineseName() throws {
        for body in ["日本首相石破茂（いしば しげる）與唐納德･特朗普會面。", "日本首相石破茂(いしば しげる)與唐納德･特朗普會面。"] {
            let found = try Self.fixes(body)
            #expect(found.count == 1 && found[0].0 == "·" && found[0].1, "\(body)")
        }
        let japanese = try Self.fixes("山田･太郎、鈴木･一郎が会った。")
        #expect(japanese.map { $0.0 } == ["・", "・"])
        #expect(japanese.map { $0.1 } == [false, true])
    }

    /// Many dots on one line (a one-line HTML article listing names): each word and the line's
    /// quotation walk are read once, not once a dot (200,000 dots were 10^10 scalar reads).
    @Test func aLineOfManyDotsIsAnsweredPerWordAndLine() throws {
        // (The harness lists a rule's first 1,000 findings a file; every dot is still decided.)
        let names = String(repeating: "約翰･史密斯、", count: 100_000)
        let found = try Self.fixes("「ポケット･モンスター」中文報道：" + names + "。")
        #expect(found.count == 1_000)
        #expect(found.first.map { $0.0 == "・" && $0.1 } == true)
        #expect(found.dropFirst().allSatisfy { $0.0 == "·" && $0.1 })
        let word = String(repeating: "中･", count: 100_000)
        let inOneWord = try Self.fixes(word + "のチケット")
        #expect(inOneWord.count == 1_000 && inOneWord.allSatisfy { $0.0 == "・" && $0.1 })
    }

    /// The per-line answers are the ones a fresh walk gives at every dot.
    @Test func perLineAnswersMatchAFreshLineForEachDot() throws {
        let lines = ["唐納德･特朗普表示，日本動畫「ポケット･モンスター」很受歡迎。", "大阪･関西万博のチケット･販売", "約翰･史密斯･先生和山田･太郎", "「ソニー･グループ」と･中文"]
        for text in lines {
            let run = ScalarRun(wholeFile: Document(path: "a.md", text: text).scalars)
            var shared = PunctuationHalfwidthRule.MiddleDotLine()
            for k in run.cps.indices where run.cps[k] == 0xFF65 {
                var fresh = PunctuationHalfwidthRule.MiddleDotLine()
                for hiragana in [false, true] {
                    let a = PunctuationHalfwidthRule.autoDot(run, at: k, chineseDot: "·", documentHasHiragana: hiragana, line: &shared)
                    let b = PunctuationHalfwidthRule.autoDot(run, at: k, chineseDot: "·", documentHasHiragana: hiragana, line: &fresh)
                    #expect(a == b, "\(text) at \(k)")
                }
            }
        }
    }
}
