import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite struct ArgumentParserTests {
    let parser = ArgumentParser(command: "lint", options: NewsLintCLI.lintOptions)

    @Test func longShortAndInlineValues() throws {
        let p = try parser.parse(["--format=json", "-j", "2", "--select", "a,b", "--select", "c", "--fix", "x.md", "--", "--weird.md"])
        #expect(p.value("format") == "json")
        #expect(p.value("jobs") == "2")
        #expect(p.list("select") == ["a", "b", "c"])
        #expect(p.has("fix"))
        #expect(p.positionals == ["x.md", "--weird.md"])
        #expect(try parser.parse(["-j4"]).value("jobs") == "4")
        #expect(try parser.parse(["-"]).positionals == ["-"])
    }

    @Test func errorsNameTheProblemAndSuggest() {
        #expect(throws: UsageError.self) { try parser.parse(["--fromat", "json"]) }
        do { _ = try parser.parse(["--fromat", "json"]) } catch {
            #expect("\(error)".contains("unknown option '--fromat'") && "\(error)".contains("did you mean '--format'?"))
        }
        do { _ = try parser.parse(["--format", "jsn"]) } catch { #expect("\(error)".contains("did you mean 'json'?")) }
        do { _ = try parser.parse(["--format"]) } catch { #expect("\(error)".contains("needs a value")) }
        do { _ = try parser.parse(["--fix=yes"]) } catch { #expect("\(error)".contains("does not take a value")) }
        do { _ = try parser.parse(["-Z"]) } catch { #expect("\(error)".contains("unknown option '-Z'")) }
    }
}

@Suite struct CLITests {
    @Test func versionAndHelp() {
        #expect(CLIRun.run(["--version"]).stdout == "newslint \(NewsLintCLI.version)\n")
        let help = CLIRun.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE") && help.stdout.contains("--select"))
        #expect(CLIRun.run(["help", "explain"]).stdout.contains("newslint explain RULE"))
        #expect(CLIRun.run(["help", "lnt"]).stderr.contains("did you mean 'lint'?"))
        #expect(CLIRun.run(["lint", "--help"]).stdout.contains("--stdin-filename"))
        // HTML is linted by default (`.html`, `.htm`): the one-line description says so.
        #expect(help.stdout.hasPrefix("newslint \(NewsLintCLI.version): a data-quality linter for news corpus files (Markdown, HTML or plain text, with or without front matter).\n"))
    }

    @Test func unknownFlagExitsTwoWithSuggestion() {
        let r = CLIRun.run(["--fomat", "json"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("did you mean '--format'?"))
    }

    @Test func unknownRuleInSelectExitsTwo() {
        let r = CLIRun.run(["--select", "final-newlin", "seeds"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("did you mean 'final-newline'?"))
    }

    @Test func misspelledSubcommand() {
        let r = CLIRun.run(["explian", "x"])
        #expect(r.status == 2 && r.stderr.contains("did you mean 'explain'?"))
    }

    @Test func rulesAndExplain() throws {
        let text = CLIRun.run(["rules"])
        #expect(text.status == 0 && text.stdout.contains("final-newline") && text.stdout.contains("front-matter"))
        let json = CLIRun.run(["rules", "--format", "json"])
        let node = try JSONParser.parse(json.stdout)
        let ids = node.array?.compactMap { $0["id"]?.string } ?? []
        #expect(ids == Catalog.builtin.ids)
        #expect(node.array?.first?["fixable"]?.string != nil)
        let explain = CLIRun.run(["explain", "trailing-whitespace"])
        #expect(explain.status == 0 && explain.stdout.contains("allowHardBreak") && explain.stdout.contains("Why"))
        let bad = CLIRun.run(["explain", "trailing-whitespac"])
        #expect(bad.status == 2 && bad.stderr.contains("did you mean 'trailing-whitespace'?"))
    }

    @Test func initWritesStarterConfigThatLoads() throws {
        let tmp = TemporaryDirectory()
        #expect(CLIRun.run(["init"], cwd: tmp.path).status == 0)
        var catalog = Catalog.builtin
        _ = try Configuration.load(file: tmp.path + "/.lint.json", catalog: &catalog)
        let again = CLIRun.run(["init"], cwd: tmp.path)
        #expect(again.status == 2 && again.stderr.contains("--force"))
        #expect(CLIRun.run(["init", "--force"], cwd: tmp.path).status == 0)
    }

    /// A nested config replaces its parents: `init` below a configured directory says the parent
    /// stops applying there and how to keep it (the probe found it silent).
    @Test func initBelowAConfiguredDirectoryNamesTheConfigItReplaces() throws {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\"rules\": {\"trailing-whitespace\": \"off\"}}\n")
        tmp.write("site/posts/a.md", "x\n")
        let nested = CLIRun.run(["init"], cwd: tmp.path + "/site/posts")
        #expect(nested.status == 0)
        #expect(nested.stderr.contains("\"extend\": \"../../.lint.json\""), "\(nested.stderr)")
        let alone = TemporaryDirectory()
        let top = CLIRun.run(["init"], cwd: alone.path)
        #expect(top.status == 0 && !top.stderr.contains("extend"), "\(top.stderr)")
    }

    /// Text cleaned for training and web-archive captures have no front matter: every file was
    /// "front matter missing" (an error), and every full-width paragraph indent of a `.txt` a
    /// warning with a fix. `init --preset plain` writes a config for such a corpus.
    @Test func aPlainCorpusNeedsNoFrontMatterAndKeepsItsIndents() throws {
        let tmp = TemporaryDirectory()
        tmp.write("dump/2024-07-01.txt", "　　香港天文台表示，今日天氣持續炎熱，市民應多喝水。\n\n　　另外，天文台預測周末有驟雨。\n")
        tmp.write("dump/2024-07-02.txt", "　　立法會今日三讀通過條例草案。\u{200B}\n")
        let before = CLIRun.run(["--no-cache", "--format", "concise", "dump"], cwd: tmp.path)
        #expect(before.stdout.contains("front-matter-missing") && !before.stdout.contains("indented-paragraph"), "\(before.stdout)")
        #expect(CLIRun.run(["init", "--preset", "plain"], cwd: tmp.path).status == 0)
        let after = CLIRun.run(["--no-cache", "--format", "concise", "dump"], cwd: tmp.path)
        #expect(!after.stdout.contains("front-matter"), "\(after.stdout)")
        #expect(after.stdout.contains("invisible-char"), "other rules still run: \(after.stdout)")
        // A scraper's `&nbsp; &nbsp;` indent is residue in plain text too.
        tmp.write("dump/2024-07-03.txt", "\u{00A0} \u{00A0} 立法會今日三讀通過條例草案。\n")
        let scraped = CLIRun.run(["--no-cache", "--format", "concise", "dump/2024-07-03.txt"], cwd: tmp.path)
        #expect(scraped.stdout.contains("indented-paragraph"), "\(scraped.stdout)")
    }

    @Test func brokenConfigIsReportedPrecisely() {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\n  \"rules\": {\"final-newline\": off}\n}\n")
        tmp.write("a.md", "x\n")
        let r = CLIRun.run(["a.md"], cwd: tmp.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains(".lint.json:2:30"), "\(r.stderr)")
    }

    @Test func stdinWithFilename() {
        let r = CLIRun.run(["-", "--stdin-filename", "news/a.md", "--format", "concise", "--no-config"], stdin: "正文。")
        #expect(r.stdout.contains("news/a.md:1:1: error: file has no front matter"))
        #expect(r.stdout.contains("news/a.md:1:4: warning: file does not end with a newline [final-newline]"))
        #expect(r.status == 1)
        #expect(CLIRun.run(["--stdin-filename", "x.md"]).status == 2)
    }

    @Test func outputFileAndQuiet() throws {
        let tmp = TemporaryDirectory()
        tmp.write("a.md", "---\ntitle: t\ndate: 2020-01-01\n---\nThe article body.\n")
        let r = CLIRun.run(["a.md", "--output", "out.json", "--format", "json", "--no-config"], cwd: tmp.path)
        #expect(r.status == 0 && r.stdout.isEmpty)
        #expect(String(decoding: tmp.read("out.json"), as: UTF8.self) == "[]\n")
        #expect(CLIRun.run(["a.md", "--quiet", "--no-config"], cwd: tmp.path).stdout.isEmpty)
    }

    @Test func colorHonoursFlagsAndNoColor() {
        let tmp = TemporaryDirectory()
        tmp.write("a.md", "x")
        #expect(CLIRun.run(["a.md", "--color", "always", "--no-config"], cwd: tmp.path).stdout.contains("\u{1B}["))
        #expect(!CLIRun.run(["a.md", "--color", "auto", "--no-config"], cwd: tmp.path, env: ["NO_COLOR": "1"]).stdout.contains("\u{1B}["))
        #expect(!CLIRun.run(["a.md", "--color", "never", "--no-config"], cwd: tmp.path).stdout.contains("\u{1B}["))
    }

    @Test func badJobsValue() {
        #expect(CLIRun.run(["--jobs", "0"]).status == 2)
        #expect(CLIRun.run(["--jobs", "many"]).stderr.contains("--jobs"))
    }
}

/// Findings from trying the tool as a new user.
@Suite struct CLIUsabilityTests {
    @Test func fixOnStdinPrintsFixedTextAndReportsOnStderr() {
        let r = CLIRun.run(["-", "--stdin-filename", "x.md", "--fix", "--no-config"], stdin: "---\ntitle: t\ndate: 2020-01-01\n---\nbody \t")
        #expect(r.stdout == "---\ntitle: t\ndate: 2020-01-01\n---\nbody\n")
        #expect(r.stderr.contains("fixed 2 issues in 1 file"))
    }

    /// Session 48: on agora-pen "9,294 fixable" became "fixed 9,291 issues, 1,163 remaining": three
    /// ASCII colons inside read-more widgets went with the widget html-widget's fix deleted (their
    /// own fixes overlap that edit and are dropped), counted as neither fixed nor remaining. The
    /// summary now counts the findings the fixes made go, so fixed plus remaining is what was found.
    @Test func fixedCountsTheFindingsAWidgetDeletionTookAlong() {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\"extensions\": [\".md\", \".html\"]}\n")
        let page = "---\ntitle: 童年\ndate: 2024-11-26\n---\n\n<p>联合国将每年11月20日定为国际儿童节，强调世界需要尊重儿童权利。</p>"
            + "<div><h2>阅读更多</h2><ul><li><a href=\"https://example.com/a\">以色列袭击黎巴嫩的今日发展: 以色列在加沙造成死亡</a></li>"
            + "<li><a href=\"https://example.com/b\">无种族灭绝可乐在英国引起轰动</a></li></ul></div>\n<p>孩子伊斯拉姆靠在帐篷门口，修补手里握着的一只破旧的鞋子。</p>\n"
        tmp.write("a.html", page)
        let lint = CLIRun.run(["--no-cache", "a.html"], cwd: tmp.path)
        #expect(lint.stdout.contains("[html-widget]") || lint.stdout.contains("html-widget"), "\(lint.stdout)")
        #expect(lint.stdout.contains("Found 2 problems") && lint.stdout.contains("2 fixable with --fix"), "\(lint.stdout)")
        for (option, said) in [("--diff", "would fix 2 issues in 1 file, 0 remaining"), ("--fix", "fixed 2 issues in 1 file, 0 remaining")] {
            let run = CLIRun.run(["--no-cache", option, "a.html"], cwd: tmp.path)
            #expect(run.stderr.contains(said), "\(option): \(run.stderr)")
        }
        let fixed = (try? String(contentsOfFile: tmp.path + "/a.html", encoding: .utf8)) ?? ""
        #expect(!fixed.contains("阅读更多") && fixed.contains("<p>孩子伊斯拉姆"), "\(fixed)")
    }

    @Test func ignoreAllAndEmptySelections() {
        #expect(CLIRun.run(["--ignore", "all", "seeds", "--format", "concise"]).stdout.isEmpty)
        let empty = CLIRun.run(["--select", ",", "seeds"])
        #expect(empty.status == 2 && empty.stderr.contains("--select needs at least one"))
    }

    @Test func zeroFilesWarns() {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\"include\": [\"nothing/**\"]}")
        tmp.write("a.md", "x")
        let r = CLIRun.run([], cwd: tmp.path)
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: no files to lint"))
    }

    @Test func optionValueThatLooksLikeAnOption() {
        let r = CLIRun.run(["--output", "--format", "json"])
        #expect(r.status == 2 && r.stderr.contains("'--output' needs a value"))
        #expect(CLIRun.run(["--format", "json", "--format", "concise", "--select", "hygiene", "seeds"]).stdout.contains(": warning: "))
    }

    @Test func everySubcommandHasHelp() {
        for sub in ["rules", "explain", "init", "lint"] {
            let r = CLIRun.run([sub, "--help"])
            #expect(r.status == 0 && r.stdout.contains("OPTIONS"), "\(sub)")
        }
        #expect(CLIRun.run(["rules", "-h"]).stdout.contains("--no-config"))
        #expect(CLIRun.run(["help", "lint"]).stdout.contains("EXIT STATUS"))
    }

    @Test func extraArgumentsAreRejectedOrUsed() {
        let tmp = TemporaryDirectory()
        #expect(CLIRun.run(["init", "sub"], cwd: tmp.path).stderr.contains("takes no arguments"))
        let two = CLIRun.run(["explain", "final-newline", "trailing-whitespace"])
        #expect(two.stdout.contains("final-newline (hygiene)") && two.stdout.contains("trailing-whitespace (hygiene)"))
        #expect(CLIRun.run(["-", "-"]).stderr.contains("only once"))
    }

    /// Session 47: explain printed its examples' NUL and U+0001 raw (grep called the output
    /// binary) and U+200B unrendered ("reported" and "fixed" looked the same).
    @Test func explainShowsControlAndInvisibleCharacters() {
        let skipped = CLIRun.run(["explain", "file-skipped"]).stdout
        #expect(!skipped.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no raw control characters")
        let invisible = CLIRun.run(["explain", "invisible-char"]).stdout
        #expect(invisible.contains("⟨U+200B⟩") && !invisible.unicodeScalars.contains("\u{200B}"), "\(invisible)")
    }

    @Test func explainShowsInvisibleWhitespace() {
        let r = CLIRun.run(["explain", "trailing-whitespace"])
        #expect(r.stdout.contains("正文。·"))
        #expect(CLIRun.run(["explain", "final-newline"]).stdout.contains("(no newline at end of file)"))
    }

    @Test func forceExcludeAppliesToExplicitFiles() {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\"exclude\": [\"drafts/\"]}")
        tmp.write("drafts/y.md", "x")
        #expect(CLIRun.run(["drafts/y.md"], cwd: tmp.path).status == 1)
        #expect(CLIRun.run(["drafts/y.md", "--force-exclude"], cwd: tmp.path).status == 0)
        #expect(CLIRun.run(["-", "--stdin-filename", "drafts/z.md", "--force-exclude"], cwd: tmp.path, stdin: "x").status == 0)
    }

    /// An editor replaces its buffer with what `--fix` prints: excluded stdin comes back unchanged, not empty.
    @Test func excludedStdinIsEchoedUnchangedWhenFixing() {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\"exclude\": [\"drafts/\"]}")
        let text = "---\ntitle: t\n---\nx \n"
        let r = CLIRun.run(["--fix", "--force-exclude", "--stdin-filename", "drafts/x.md", "-"], cwd: tmp.path, stdin: text)
        #expect(r.status == 0)
        #expect(r.stdout == text)
        // The warning names the stdin file, not an empty list.
        #expect(r.stderr.contains("no files to lint in drafts/x.md ("), "\(r.stderr)")
        // With --output the report goes to the file and the text still to stdout.
        let toFile = CLIRun.run(["--fix", "--force-exclude", "--stdin-filename", "drafts/x.md", "-", "--output", "report.txt"], cwd: tmp.path, stdin: text)
        #expect(toFile.stdout == text)
        // Without --fix the text is not echoed.
        #expect(!CLIRun.run(["--force-exclude", "--stdin-filename", "drafts/x.md", "-"], cwd: tmp.path, stdin: text).stdout.contains("title: t"))
    }

    @Test func configIsFoundBesideTheLintedPath() {
        let tmp = TemporaryDirectory()
        tmp.write("proj/.lint.json", "{\"rules\": {\"front-matter-missing\": \"off\", \"final-newline\": \"off\"}}")
        tmp.write("proj/a.md", "x")
        let elsewhere = TemporaryDirectory()
        let r = CLIRun.run([tmp.path + "/proj", "--format", "concise"], cwd: elsewhere.path)
        #expect(r.stdout.isEmpty && r.status == 0, "\(r.stdout)")
    }

    @Test func badRegexOptionPointsAtTheValue() {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", "{\n  \"rules\": {\"front-matter-field\": {\"patterns\": {\"slug\": \"[a-\"}}}\n}\n")
        let r = CLIRun.run([], cwd: tmp.path)
        #expect(r.status == 2 && r.stderr.contains(".lint.json:2:57: rules.front-matter-field.patterns.slug"), "\(r.stderr)")
        #expect(!r.stderr.contains("no files to lint"))
    }

    @Test func unterminatedFrontMatterHasNoFollowOnSyntaxError() throws {
        let found = try RuleHarness.diagnostics(rule: "front-matter-malformed", text: "---\ntitle: x\nBody without a closing line.\n")
        #expect(found.map(\.line) == [1])
    }

    @Test func skippedFilesShowNoSourceSnippet() {
        let tmp = TemporaryDirectory()
        tmp.write("img.md", bytes: [0x89, 0x50, 0x00, 0xFF, 0x0A])
        let r = CLIRun.run(["img.md", "--no-config"], cwd: tmp.path)
        #expect(r.stdout.contains("file-skipped") && !r.stdout.contains(" | "))
    }
}
