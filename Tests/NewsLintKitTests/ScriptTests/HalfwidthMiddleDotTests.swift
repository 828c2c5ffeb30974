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
}
