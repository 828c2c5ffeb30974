import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintCLI

/// The engine's sink names each rule by its index into the rule set's ids (`start(ruleAt:…)`),
/// not by a `String` stored per rule: every finding must still carry the id of the rule that made it,
/// and the ids must follow `RuleSet.perFile` through every change to it.
@Suite struct SinkRuleIndexTests {
    @Test func findingsCarryTheStartedRulesID() {
        let document = Document(path: "a.md", text: "one\ntwo\n")
        let ids = ["alpha", "beta", "gamma-rule-with-a-long-id", ""]
        var sink = DiagnosticSink(document: document, ruleIDs: ids, severity: .warning, readsProse: false, environment: .default, deadline: nil)
        // Out of order and repeated, as the budget's rules that run past it are.
        for index in [0, 2, 1, 3, 2, 0] {
            sink.start(ruleAt: index, severity: .info, readsProse: false, limit: .max)
            #expect(sink.rule == ids[index])
            sink.report(0..<1, "m")
            sink.report(line: 2, "n")
            #expect(sink.diagnostics.map(\.rule) == [ids[index], ids[index]])
        }
    }

    @Test func plainSinkKeepsItsRule() {
        var sink = DiagnosticSink(document: Document(path: "a.md", text: "x"), rule: "plain", severity: .error)
        sink.report(0..<1, "m")
        #expect(sink.rule == "plain")
        #expect(sink.diagnostics.map(\.rule) == ["plain"])
        let empty = DiagnosticSink(document: Document(path: "a.md", text: "x"), ruleIDs: [], severity: .warning, readsProse: false, environment: .default, deadline: nil)
        #expect(empty.rule == "")
    }

    @Test func idsFollowPerFile() throws {
        var rules = try RuleSet.build(catalog: .builtin, config: Configuration(directory: "/tmp"))
        #expect(rules.perFileIDs == rules.perFile.map(\.id))
        #expect(rules.perFile.count > 3)
        rules.perFile.removeFirst()
        #expect(rules.perFileIDs == rules.perFile.map(\.id))
        rules.perFile.reverse()
        #expect(rules.perFileIDs == rules.perFile.map(\.id))
        rules.perFile = Array(rules.perFile.prefix(2))
        #expect(rules.perFileIDs == rules.perFile.map(\.id))
    }

    /// Through the linter: under an override that turns off a scattered half of the per-file rules,
    /// a file's findings carry the ids of the rules that made them — the same findings as an identical
    /// file outside the override, less the rules turned off. (A sink given the base rule set's ids, or
    /// an index one off, names them after their neighbours.)
    @Test func findingsUnderAnOverrideCarryTheirRulesIDs() throws {
        let ids = try RuleSet.build(catalog: .builtin, config: Configuration(directory: "/tmp")).perFileIDs
        let off = ids.enumerated().filter { ($0.offset % 2 == 0 || $0.element == "front-matter-missing") && $0.element != "trailing-whitespace" }.map(\.element)
        let t = TemporaryDirectory()
        let rules = off.map { "\"\($0)\": \"off\"" }.joined(separator: ", ")
        t.write(".lint.json", #"{"overrides": [{"files": ["drafts/**"], "rules": {"# + rules + "}}]}")
        let text = "# Title  \n\nSome  text\t with trailing space \nhttp://x.example  «quoted»\r\nno newline at end"
        t.write("a.md", text)
        t.write("drafts/a.md", text)
        let run = CLIRun.run(["--format", "concise", "--no-cache", "a.md", "drafts/a.md"], cwd: t.path)
        func rule(_ line: Substring) -> String {
            guard let open = line.lastIndex(of: "[") else { return "" }
            return String(line[line.index(after: open)...].dropLast())
        }
        func findings(of path: String) -> [Substring] {
            run.stdout.split(separator: "\n").filter { $0.hasPrefix(path + ":") && ids.contains(rule($0)) }.map { $0.dropFirst(path.count) }
        }
        let plain = findings(of: "a.md"), drafted = findings(of: "drafts/a.md")
        #expect(plain.contains { off.contains(rule($0)) }, "\(run.stdout)")
        #expect(drafted.contains { rule($0) == "trailing-whitespace" }, "\(run.stdout)")
        #expect(drafted == plain.filter { !off.contains(rule($0)) }, "\(run.stdout)")
    }
}
