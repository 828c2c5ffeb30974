import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `indented-paragraph` and indented code blocks written on purpose: its safe fix dedented the
/// first line of a multi-line block, which made the block a mangled paragraph.
@Suite struct IndentedCodeBlockTests {
    static let frontMatter = "---\ntitle: t\ndate: 2024-01-01\n---\n\n"

    /// The probe's file: a JSON block indented four spaces is code, not a paragraph.
    @Test func anIndentedCodeBlockIsNotReported() throws {
        let text = Self.frontMatter + "See the config:\n\n    {\n      \"a\": 1\n    }\n\nDone.\n"
        #expect(try RuleHarness.diagnostics(rule: "indented-paragraph", text: text).isEmpty)
        #expect(try RuleHarness.fixed(rule: "indented-paragraph", text: text, unsafe: true) == text)
        let oneLine = Self.frontMatter + "Run:\n\n    x = f(1);\n"
        #expect(try RuleHarness.diagnostics(rule: "indented-paragraph", text: oneLine).isEmpty)
    }

    /// Several indented lines of text: reported once, with an unsafe fix that dedents every line.
    @Test func aMultiLineIndentedParagraphGetsAnUnsafeFixOfEveryLine() throws {
        let text = Self.frontMatter + "    會議由黨委副書記主持，\n    全體教職工參加了會議。\n"
        let found = try RuleHarness.diagnostics(rule: "indented-paragraph", text: text)
        #expect(found.count == 1 && found.first?.fix?.applicability == .unsafe)
        #expect(try RuleHarness.fixed(rule: "indented-paragraph", text: text, unsafe: false) == text)
        #expect(try RuleHarness.fixed(rule: "indented-paragraph", text: text, unsafe: true)
            == Self.frontMatter + "會議由黨委副書記主持，\n全體教職工參加了會議。\n")
    }

    /// A single indented line of Chinese text keeps its safe fix (what the rule is for); a line of
    /// Latin letters alone is still reported, but its fix is unsafe: it may be code.
    @Test func aSingleIndentedParagraphKeepsItsSafeFix() throws {
        let text = Self.frontMatter + "    會議由黨委副書記主持，全體教職工參加了會議。\n\nThe end.\n\n    This paragraph was indented by the scraper.\n"
        let found = try RuleHarness.diagnostics(rule: "indented-paragraph", text: text)
        #expect(found.map { $0.fix?.applicability } == [.safe, .unsafe])
    }

    /// A plain indent before a line with no Han, kana or full-width punctuation got a safe dedent when
    /// it held two words (`npm install -g newslint`, `print("hello world")`), and a Python block was
    /// reported: the command is reported with an unsafe fix; `( ) " $` and a closing `:` mark code.
    @Test func latinLinesAreNotDedentedSafely() throws {
        let command = Self.frontMatter + "Install:\n\n    npm install -g newslint\n\nDone.\n"
        let found = try RuleHarness.diagnostics(rule: "indented-paragraph", text: command)
        #expect(found.count == 1 && found.first?.fix?.applicability == .unsafe)
        #expect(try RuleHarness.fixed(rule: "indented-paragraph", text: command, unsafe: false) == command)
        for code in ["    print(\"hello world\")\n", "    def f(x):\n        return x + 1\n", "    echo $HOME now\n", "    Run it like this:\n"] {
            let text = Self.frontMatter + "Code:\n\n" + code + "\nDone.\n"
            #expect(try RuleHarness.diagnostics(rule: "indented-paragraph", text: text).isEmpty, "\(code)")
        }
        // Full-width punctuation alone reads as Chinese text: the safe fix stays.
        let fullWidth = Self.frontMatter + "    OK，ready。\n"
        #expect(try RuleHarness.diagnostics(rule: "indented-paragraph", text: fullWidth).first?.fix?.applicability == .safe)
    }

    /// Code marks decide before Han (`printf("你好");`), and a comment line is code (`# 注释`
    /// dedented would become a heading).
    @Test func codeHoldingHanIsNotText() throws {
        for line in ["    printf(\"你好\");", "    # 注释", "    // 说明", "    /* 注释 */"] {
            let text = Self.frontMatter + "Code:\n\n" + line + "\n"
            #expect(try RuleHarness.diagnostics(rule: "indented-paragraph", text: text).isEmpty, "\(line)")
        }
    }

    /// An indented code block runs on across blank lines: a text line before its code is not
    /// dedented (that would split the block); paragraphs of text indented one by one still are, safely.
    @Test func aCodeBlockRunsAcrossBlankLines() throws {
        let code = Self.frontMatter + "Code:\n\n    说明一下这个函数\n\n    int x = 1;\n"
        #expect(try RuleHarness.diagnostics(rule: "indented-paragraph", text: code).isEmpty)
        let text = Self.frontMatter + "    第一段的文字內容。\n\n    第二段的文字內容。\n\n    第三段的文字內容。\n"
        let found = try RuleHarness.diagnostics(rule: "indented-paragraph", text: text)
        #expect(found.count == 3 && found.allSatisfy { $0.fix?.applicability == .safe })
        #expect(try RuleHarness.fixed(rule: "indented-paragraph", text: text, unsafe: false)
            == Self.frontMatter + "第一段的文字內容。\n\n第二段的文字內容。\n\n第三段的文字內容。\n")
    }
}
