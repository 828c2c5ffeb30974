import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// A severity the user configures wins over a rule's own severity for a finding
/// (`DiagnosticSink.report(…, severity:)`), which is only the finding's default.
@Suite struct ConfiguredSeverityTests {
    /// A private-use character (char-lost's error) and an object replacement character (its warning).
    static let text = "---\ntitle: t\ndate: 2024-01-01\n---\n\n正文\u{E000}内容。\n\n图片\u{FFFC}说明。\n"

    /// The severities of `rule`'s findings in `a.md` (`text`) under `.lint.json` = `config`.
    private static func severities(_ rule: String, config: String?, text: String = text) throws -> [Severity] {
        let dir = TemporaryDirectory()
        dir.write("a.md", text)
        var catalog = Catalog.builtin
        let configuration: Configuration
        if let config {
            dir.write(".lint.json", config)
            configuration = try Configuration.load(file: dir.path + "/.lint.json", catalog: &catalog)
        } else {
            configuration = Configuration(directory: dir.path)
        }
        var settings = LintSettings()
        settings.jobs = 1
        settings.baseDirectory = dir.path
        settings.filter = RuleFilter(select: [rule])
        let linter = try Linter(catalog: catalog, config: configuration, settings: settings)
        return linter.lint([.file("a.md")]).diagnostics.filter { $0.rule == rule }.map(\.severity)
    }

    @Test func unconfiguredFindingsKeepTheirOwnSeverity() throws {
        #expect(try Self.severities("char-lost", config: nil) == [.error, .warning])
    }

    @Test func aConfiguredSeverityWinsWhereverItIsSet() throws {
        for config in [#"{"rules": {"char-lost": "info"}}"#, #"{"rules": {"script": "info"}}"#, #"{"rules": {"all": "info"}}"#,
                       #"{"rules": {"char-lost": {"severity": "info"}}}"#,
                       #"{"overrides": [{"files": ["*.md"], "rules": {"char-lost": "info"}}]}"#] {
            #expect(try Self.severities("char-lost", config: config) == [.info, .info], "\(config)")
        }
        // Options alone set no severity: the findings' own stand.
        #expect(try Self.severities("char-lost", config: #"{"rules": {"char-lost": {}}}"#) == [.error, .warning])
    }

    /// Every rule that gives findings their own severity goes through the same sink: script-mixed's
    /// quotation clauses (its info) take a configured warning too.
    @Test func everyRulesOwnSeverityIsADefault() {
        var sink = DiagnosticSink(document: Document(path: "a.md", bytes: Array("正文\n".utf8)), ruleIDs: ["r"], severity: .warning,
                                  readsProse: false, environment: .default, deadline: nil)
        sink.start(ruleAt: 0, severity: .warning, readsProse: false, limit: .max)
        sink.report(line: 1, "own", severity: .info)
        sink.start(ruleAt: 0, severity: .error, severityConfigured: true, readsProse: false, limit: .max)
        sink.report(line: 1, "configured", severity: .info)
        sink.report(0..<3, "configured", severity: .info)
        #expect(sink.takeFindings().map(\.severity) == [.info, .error, .error])
    }
}
