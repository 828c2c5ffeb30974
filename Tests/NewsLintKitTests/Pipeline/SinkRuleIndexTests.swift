import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

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

    /// The linter's findings, rule by rule, against each rule run alone through a plain sink.
    @Test func linterFindingsMatchEachRuleRunAlone() throws {
        let rules = try RuleSet.build(catalog: .builtin, config: Configuration(directory: "/tmp"))
        let text = "# Title  \n\nSome  text\t with trailing space \nhttp://x.example  «quoted»\r\nno newline at end"
        let document = Document(path: "doc.md", text: text)
        var naive: [String] = []
        for active in rules.perFile {
            var sink = DiagnosticSink(document: document, rule: active.id, severity: active.severity, readsProse: active.readsProse)
            active.rule.check(document, into: &sink)
            naive += sink.diagnostics.map(\.rule)
        }
        #expect(!naive.isEmpty)
        var sink = DiagnosticSink(document: document, ruleIDs: rules.perFileIDs, severity: .warning, readsProse: false, environment: .default, deadline: nil)
        var indexed: [String] = []
        for index in rules.perFile.indices {
            sink.start(ruleAt: index, severity: rules.perFile[index].severity, readsProse: rules.perFile[index].readsProse, limit: .max)
            rules.perFile[index].rule.check(document, into: &sink)
            indexed += sink.diagnostics.map(\.rule)
        }
        #expect(indexed == naive)
    }
}
