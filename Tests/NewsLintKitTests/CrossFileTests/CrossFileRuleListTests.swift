import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `Linter.outcome` runs the cross-file rules of a file whose rule list is the base list itself
/// without looking their ids up: a file under an override that turns a cross-file rule off must
/// still leave that rule's fact out, and a file on the base list must have every rule's fact, as
/// collecting each rule on its own gives.
@Suite struct CrossFileRuleListTests {
    @Test func factsFollowTheFilesRuleList() throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 12, seed: 39)
        for path in paths { dir.write("drafts/" + path, String(decoding: dir.read(path), as: UTF8.self)) }
        let plain = try Linter.forTest(root: dir.path, catalog: .builtin, jobs: 1, config: "{}")
        let crossFile = plain.baseRules.crossFile
        #expect(crossFile.count >= 6)
        // Every other cross-file rule off under `drafts/`, the first one included.
        let off = crossFile.indices.filter { $0 % 2 == 0 }
        let rules = off.map { "\"\(crossFile[$0].id)\": \"off\"" }.joined(separator: ", ")
        let overridden = try Linter.forTest(root: dir.path, catalog: .builtin, jobs: 1,
                                            config: #"{"overrides": [{"files": ["drafts/**"], "rules": {"# + rules + "}}]}")
        #expect(overridden.baseRules.crossFile.map(\.id) == crossFile.map(\.id))
        var checked = 0
        for path in paths {
            let document = Document(path: path, bytes: dir.read(path))
            let outcome = plain.process(.file(path))
            // What each rule collects on its own (the pack rules' lines left out, as the pass does).
            var environment = plain.environment
            let packRules = Set(["boilerplate"] + Catalog.builtin.rules.filter { $0.family == "pack" }.map(\.id))
            for d in outcome.diagnostics where packRules.contains(d.rule) { environment.linesReportedByPacks.insert(d.line) }
            let expected = crossFile.indices.filter { crossFile[$0].rule.collectErased(document, environment: environment) != nil }
            #expect(try plain.facts(of: outcome).map(\.rule) == expected, "\(path)")
            #expect(try overridden.facts(of: overridden.process(.file(path))).map(\.rule) == expected, "\(path)")
            let drafted = try overridden.facts(of: overridden.process(.file("drafts/" + path))).map(\.rule)
            #expect(drafted == expected.filter { !off.contains($0) }, "\(path)")
            if expected.contains(where: { off.contains($0) }) && expected.contains(where: { !off.contains($0) }) { checked += 1 }
        }
        // The corpus gives facts of rules both turned off and left on.
        #expect(checked >= 6)
    }
}
