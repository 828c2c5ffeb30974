import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Every rule's catalog examples are tests (SwiftLint-style): bad examples fire on the
/// expected lines, good ones stay quiet, and fixable ones reach their `fixed` text.
@Suite struct CatalogExampleTests {
    static let ruleIDs = Catalog.builtin.rules.map(\.id).filter { !RuleRegistry.engineRuleIDs.contains($0) || $0 == "file-skipped" || $0 == "unused-suppression" }

    @Test("catalog examples", arguments: ruleIDs)
    func examples(id: String) throws {
        let meta = try #require(Catalog.builtin.metadata(id))
        #expect(!meta.good.isEmpty, "\(id) needs at least one good example")
        #expect(!meta.bad.isEmpty, "\(id) needs at least one bad example")
        for (i, ex) in meta.good.enumerated() {
            let found = try RuleHarness.diagnostics(rule: id, example: ex)
            #expect(found.isEmpty, "\(id) good[\(i)] should be quiet but reported: \(found.map { "\($0.path):\($0.line):\($0.column) \($0.message)" })")
        }
        for (i, ex) in meta.bad.enumerated() {
            let found = try RuleHarness.diagnostics(rule: id, example: ex)
            let foundLines = found.map { $0.line }.sorted()
            let expectedLines = ex.expected.map(\.line).sorted()
            #expect(foundLines == expectedLines, "\(id) bad[\(i)]: expected lines \(expectedLines), got \(found.map { "\($0.path):\($0.line):\($0.column) \($0.message)" })")
            for e in ex.expected {
                let match = found.contains { d in
                    d.line == e.line && (e.column == nil || d.column == e.column) && (e.path == nil || d.path == e.path)
                        && (e.messageContains == nil || d.message.contains(e.messageContains!))
                }
                #expect(match, "\(id) bad[\(i)]: no diagnostic matching \(e); got \(found.map { "\($0.path):\($0.line):\($0.column) \($0.message)" })")
            }
            if let fixed = ex.fixed, let file = ex.files.first {
                let input = ex.rawBytes ?? Array(file.text.utf8)
                let result = String(decoding: try RuleHarness.fixedBytes(rule: id, bytes: input, path: file.path, unsafe: ex.unsafe || meta.fixable == .unsafe, options: ex.options), as: UTF8.self)
                #expect(result == fixed, "\(id) bad[\(i)] fix mismatch:\n--- got ---\n\(result)\n--- expected ---\n\(fixed)")
                // Idempotent: fixing the fixed text changes nothing.
                let again = try RuleHarness.fixed(rule: id, text: result, path: file.path, unsafe: ex.unsafe || meta.fixable == .unsafe, options: ex.options)
                #expect(again == result, "\(id) bad[\(i)]: fix is not idempotent")
            }
        }
        if meta.fixable != .none {
            #expect(meta.bad.contains { $0.fixed != nil }, "\(id) is fixable, so a bad example needs 'fixed'")
        }
    }

    @Test func everyImplementedRuleHasCatalogEntryAndViceVersa() {
        let implemented = Set(RuleRegistry.implementedIDs)
        let documented = Set(Catalog.builtin.ids)
        #expect(implemented.subtracting(documented).isEmpty, "rules without catalog JSON: \(implemented.subtracting(documented).sorted())")
        #expect(documented.subtracting(implemented).isEmpty, "catalog JSON without implementation: \(documented.subtracting(implemented).sorted())")
    }

    @Test func embeddedCatalogMatchesRulesDirectory() throws {
        let fm = FileManager.default
        let base = PackagePaths.rules
        var onDisk: [String: [UInt8]] = [:]
        let enumerator = try #require(fm.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let rel = String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1))
            if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if rel.hasSuffix(".swift") { continue } // the rules target's sources, compiled rather than embedded
            onDisk[rel] = [UInt8](try Data(contentsOf: url))
        }
        let embedded = Set(EmbeddedCatalog.files.map(\.path))
        #expect(Set(onDisk.keys) == embedded, "Rules/ and the embedded catalog list different files; run python3 Scripts/embed-catalog")
        for (rel, bytes) in onDisk {
            #expect(EmbeddedFiles.bytes(rel) == bytes, "embedded copy of Rules/\(rel) is stale; run python3 Scripts/embed-catalog")
        }
    }

    /// The built-in catalog parses examples on first use; here every folder's examples are
    /// parsed eagerly, so a broken example fails this test instead of a run that asks for it.
    @Test func everyBuiltInFolderParsesWithItsExamples() throws {
        #expect(Catalog.builtin.rules.count == EmbeddedFiles.ruleFolders.count)
        for folder in EmbeddedFiles.ruleFolders {
            let eager = try RuleMetadata.parse(folder.ruleJSON, file: "Rules/\(folder.path)/rule.json", examples: folder.examples)
            let builtin = try #require(Catalog.builtin.metadata(eager.id), "\(eager.id) is missing from the generated catalog; run python3 Scripts/embed-catalog")
            let stale = "the generated entry of \(eager.id) differs from its rule.json; run python3 Scripts/embed-catalog"
            #expect(builtin.family == eager.family && builtin.summary == eager.summary && builtin.whatItFinds == eager.whatItFinds
                    && builtin.whyItMatters == eager.whyItMatters && builtin.fixSafety == eager.fixSafety && builtin.severity == eager.severity
                    && builtin.enabledByDefault == eager.enabledByDefault && builtin.fixable == eager.fixable && builtin.source == eager.source, "\(stale)")
            #expect(builtin.options.map(\.name) == eager.options.map(\.name), "\(stale)")
            for (b, e) in zip(builtin.options, eager.options) {
                #expect(b.type == e.type && b.description == e.description && b.allowed == e.allowed
                        && b.defaultValue.value == e.defaultValue.value && b.defaultValue.serialized() == e.defaultValue.serialized(), "\(stale): option \(e.name)")
            }
            #expect(eager.good.count == builtin.good.count && eager.bad.count == builtin.bad.count, "\(eager.id)")
            #expect(zip(eager.bad, builtin.bad).allSatisfy { $0.files.map(\.text) == $1.files.map(\.text) && $0.fixed == $1.fixed }, "\(eager.id)")
        }
    }

    @Test func catalogEntriesAreWellFormed() {
        for r in Catalog.builtin.rules {
            #expect(r.source == "Rules/\(r.source.dropFirst(6))")
            #expect(r.source.hasSuffix("/\(r.id)/rule.json"), "\(r.source) should be in a folder named after its id \(r.id)")
            #expect(r.summary.hasSuffix("."), "\(r.id) summary should be a sentence")
            #expect(r.whyItMatters.count > 30, "\(r.id): 'whyItMatters' is too thin")
            #expect(r.whatItFinds.count > 30, "\(r.id): 'whatItFinds' is too thin")
            #expect(r.fixSafety.count > 20, "\(r.id): 'fixSafety' is too thin")
        }
    }
}

@Suite struct CatalogLayoutTests {
    /// `Rules/<family>/<id>/rule.json`: the folders name the family and the rule, so the tree reads like `newslint rules`.
    @Test func ruleFilesLiveInTheirFamilyFolder() {
        for r in Catalog.builtin.rules where r.family != "pack" {
            #expect(r.source == "Rules/\(r.family)/\(r.id)/rule.json", "\(r.source) should be Rules/\(r.family)/\(r.id)/rule.json")
        }
    }

    /// Everything in `Rules/` belongs to a rule folder or to a family's shared `data/`.
    @Test func everyFileBelongsToARuleOrAFamily() {
        let folders = Set(Catalog.builtin.rules.map { "\($0.family)/\($0.id)/" })
        for file in EmbeddedCatalog.files {
            let parts = file.path.split(separator: "/")
            let inRule = parts.count >= 3 && folders.contains("\(parts[0])/\(parts[1])/")
                && (parts.count == 3 ? parts[2] == "rule.json" : ["examples", "data"].contains(parts[2]))
            let inFamilyData = parts.count >= 3 && parts[1] == "data"
            #expect(inRule || inFamilyData, "Rules/\(file.path) is neither in a rule folder (rule.json, examples/, data/) nor in a family's data/")
        }
    }

    /// Option types are documented once, in rule.json, and every default has its type.
    @Test func optionDefaultsHaveTheirType() {
        for r in Catalog.builtin.rules {
            for o in r.options {
                #expect(o.accepts(o.defaultValue), "\(r.id).\(o.name): default \(o.defaultValue.serialized()) is not \(o.type)")
            }
        }
    }

    /// `newslint explain` prints every section of rule.json and the first bad, fixed and good example.
    @Test func explainPrintsTheSections() throws {
        let meta = try #require(Catalog.builtin.metadata("more-marker"))
        let page = ExplainCommand.render(meta)
        for heading in ["What it finds", "Why it matters", "Example", "Fix safety", "Options"] {
            #expect(page.contains("\n\(heading)"), "explain lacks '\(heading)'")
        }
        #expect(page.contains(meta.whatItFinds) && page.contains(meta.whyItMatters) && page.contains(meta.fixSafety))
        #expect(page.contains("markers (string[], default: "))
    }
}

@Suite struct RuleFileErrorTests {
    static let valid = """
    {"id": "x-rule", "family": "scraper", "summary": "S.", "whatItFinds": "W.", "whyItMatters": "Y.", "fixSafety": "F.",
     "severity": "warning", "fixable": "none", "options": {"minRun": {"type": "integer", "default": 2, "description": "d"}}}
    """

    func error(_ text: String) -> String? {
        do {
            _ = try RuleMetadata.parse(text, file: "Rules/scraper/x-rule/rule.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// rule.json decodes through the one JSON decoder: file:line:col, the JSON path, a suggestion.
    @Test func errorsArePositionedWithPathAndHint() throws {
        #expect(error(Self.valid) == nil)
        let unknown = try #require(error(Self.valid.replacingOccurrences(of: "\"summary\"", with: "\"sumary\"")))
        #expect(unknown.hasPrefix("Rules/scraper/x-rule/rule.json:1:"), "\(unknown)")
        #expect(unknown.contains("did you mean 'summary'?"), "\(unknown)")
        let severity = try #require(error(Self.valid.replacingOccurrences(of: "\"warning\"", with: "\"wraning\"")))
        #expect(severity.contains("severity") && severity.contains("did you mean 'warning'?"), "\(severity)")
        let type = try #require(error(Self.valid.replacingOccurrences(of: "\"integer\"", with: "\"int\"")))
        #expect(type.contains("options.minRun.type"), "\(type)")
        let wrongDefault = try #require(error(Self.valid.replacingOccurrences(of: "\"default\": 2", with: "\"default\": \"2\"")))
        #expect(wrongDefault.contains("options.minRun.default"), "\(wrongDefault)")
        let empty = try #require(error(Self.valid.replacingOccurrences(of: "\"S.\"", with: "\"\"")))
        #expect(empty.contains("summary") && empty.contains("non-empty"), "\(empty)")
    }

    /// Example sidecars decode the same way.
    @Test func sidecarErrorsComeFromTheDecoder() throws {
        let examples: [(path: String, bytes: [UInt8])] = [("bad-1.md", Array("正文\n".utf8)), ("bad-1.json", Array("{\"expect\": [{\"lien\": 1}]}".utf8))]
        var message = ""
        do { _ = try RuleMetadata.parse(Self.valid, file: "Rules/scraper/x-rule/rule.json", examples: examples) } catch { message = "\(error)" }
        #expect(message.contains("lien") && message.contains("did you mean 'line'?"), "\(message)")
    }
}
