import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The gold set on the real corpus itself (`../shared/corpora/agora-pen`), not only on excerpts:
/// every per-file rule finding labelled `true` is still reported on its line, every one labelled
/// `false` is not, and no safe fix labelled wrong is offered there again. Only the labelled files
/// are linted (with `.html` posts), so cross-file rules are left to `Scripts/precision`.
@Suite struct RealCorpusGoldTests {
    static let corpus = ExternalTools.shared.appendingPathComponent("corpora/agora-pen")
    static let available = FileManager.default.fileExists(atPath: corpus.path)

    @Test(.enabled(if: ExternalTools.enabled(available), "needs ../shared/corpora/agora-pen beside the package \(ExternalTools.requireNote)"))
    func labelledFindingsHoldOnTheRealFiles() throws {
        var config = Configuration(directory: Self.corpus.path)
        config.extensions = [".md", ".html"]
        var settings = LintSettings()
        settings.baseDirectory = Self.corpus.path
        let labelled = try GoldSet.entries()
        // Rules that are off by default (html-inline-style) are checked like the others.
        settings.filter = RuleFilter(extendSelect: Array(Set(labelled.map(\.rule))).sorted())
        let linter = try Linter(catalog: .builtin, config: config, settings: settings)
        let crossFile = Set(linter.baseRules.crossFile.map(\.id))
        let entries = labelled.filter {
            !$0.file.hasPrefix("synthetic/") && $0.verdict != .debatable && !crossFile.contains($0.rule)
        }
        #expect(entries.count >= 300, "\(entries.count) labelled per-file findings on the corpus")
        let files = Set(entries.map(\.file)).sorted()
        let result = linter.lint(files.map { .file(Self.corpus.appendingPathComponent($0).path) })
        struct Key: Hashable { var rule: String; var file: String; var line: Int }
        var found: [Key: [Diagnostic]] = [:]
        for d in result.diagnostics {
            found[Key(rule: d.rule, file: (d.path as NSString).lastPathComponent, line: d.line), default: []].append(d)
        }
        var failures: [String] = []
        for e in entries {
            let here = (found[Key(rule: e.rule, file: e.file, line: e.line)] ?? []).filter { e.match.map($0.message.contains) ?? true }
            if e.verdict == .true && e.accepted != "miss" && here.isEmpty { failures.append("\(e.source): labelled defect no longer reported (\(e.reason))") }
            if e.verdict == .false && !here.isEmpty { failures.append("\(e.source): labelled false alarm reported: \(here.map(\.message))") }
            if e.fix == .wrong, e.applicability == .safe, here.contains(where: { $0.fix?.applicability == .safe }) {
                failures.append("\(e.source): safe fix judged wrong offered again")
            }
        }
        let summary = "\(failures.count) of \(entries.count):\n" + failures.prefix(30).joined(separator: "\n")
        #expect(failures.isEmpty, "\(summary)")
    }
}
