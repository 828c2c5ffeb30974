import Foundation
import Testing
@testable import NewsLintKit

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
        tmp.write("a.md", "---\ntitle: t\ndate: 2020-01-01\n---\nbody\n")
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
