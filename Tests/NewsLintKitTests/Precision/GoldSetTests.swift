import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// One hand-labelled finding of the gold set (format: `Fixtures/gold/README.md`).
struct GoldEntry: Decodable, Sendable, CustomTestStringConvertible {
    enum Verdict: String, Decodable, Sendable { case `true`, `false`, debatable }
    enum FixVerdict: String, Decodable, Sendable { case ok, wrong }

    var rule: String
    var file: String
    var line: Int
    var verdict: Verdict
    var reason: String
    var excerpt: String?
    var excerptLine: Int?
    var match: String?
    var fix: FixVerdict?
    var applicability: Applicability?
    /// `miss`: a true defect the rule knowingly no longer reports (recall traded for precision).
    var accepted: String?
    /// Where the entry was read from (`<rule>.jsonl:<line>`), for failure messages.
    var source: String = ""

    enum CodingKeys: String, CodingKey {
        case rule, file, line, verdict, reason, excerpt, excerptLine, match, fix, applicability, accepted
    }

    var testDescription: String { "\(source) \(rule) \(verdict.rawValue) \(file):\(line)" }

    /// The name the excerpt is linted under: the corpus file's base name (a Jekyll post's date lives there).
    var excerptPath: String { (file as NSString).lastPathComponent }
}

enum GoldSet {
    static let directory = PackagePaths.fixtures.appendingPathComponent("gold")

    /// Every entry of every `<rule>.jsonl` file, in file and line order.
    static func entries() throws -> [GoldEntry] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        var all: [GoldEntry] = []
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                do {
                    var entry = try JSONDecoder().decode(GoldEntry.self, from: Data(line.utf8))
                    entry.source = "\(name):\(index + 1)"
                    all.append(entry)
                } catch {
                    throw GoldSetError(message: "\(name):\(index + 1): not a gold entry: \(error)")
                }
            }
        }
        return all
    }

    /// Entries a test can assert: a definite verdict and an excerpt reproducing it.
    static func assertable() -> [GoldEntry] {
        ((try? entries()) ?? []).filter { $0.excerpt != nil && $0.verdict != .debatable }
    }

    /// The rule's findings on the entry's line (narrowed by `match` when the line carries several kinds).
    static func findings(for entry: GoldEntry) throws -> [Diagnostic] {
        let excerpt = entry.excerpt ?? ""
        let line = entry.excerptLine ?? 1
        return try RuleHarness.diagnostics(rule: entry.rule, files: [(entry.excerptPath, excerpt)])
            .filter { $0.line == line && (entry.match.map($0.message.contains) ?? true) }
    }
}

struct GoldSetError: Error, CustomStringConvertible { var message: String; var description: String { message } }

/// The gold set keeps precision from regressing: labelled false alarms stay quiet, labelled
/// defects stay found, and a safe fix an editor rejected is never offered as safe again.
@Suite struct GoldSetTests {
    @Test func everyEntryIsWellFormed() throws {
        let entries = try GoldSet.entries()
        let known = Set(Catalog.builtin.rules.map(\.id))
        for entry in entries {
            #expect(known.contains(entry.rule), "\(entry.source): unknown rule \(entry.rule)")
            #expect(entry.source.hasPrefix(entry.rule + ".jsonl"), "\(entry.source): entry for \(entry.rule) in the wrong file")
            #expect(entry.line >= 1, "\(entry.source): line must be 1-based")
            #expect(!entry.reason.trimmingCharacters(in: .whitespaces).isEmpty, "\(entry.source): a verdict needs a reason")
            if let excerpt = entry.excerpt {
                // Bytes, not Characters: "\r\n" is one Character and would hide CRLF lines.
                let lines = excerpt.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
                #expect((1...lines).contains(entry.excerptLine ?? 0), "\(entry.source): excerptLine \(entry.excerptLine ?? 0) outside the excerpt's \(lines) lines")
                #expect(excerpt.utf8.count <= 4_000, "\(entry.source): keep excerpts short (the articles belong to their publishers)")
            }
        }
    }

    /// The set is large enough to measure precision by (the issue's floor: 500 labelled findings).
    @Test func goldSetIsLargeEnough() throws {
        let entries = try GoldSet.entries()
        #expect(entries.count >= 500, "\(entries.count) entries")
        #expect(GoldSet.assertable().count >= 300, "\(GoldSet.assertable().count) assertable entries")
    }

    @Test(arguments: GoldSet.assertable())
    func labelledVerdictHolds(_ entry: GoldEntry) throws {
        let found = try GoldSet.findings(for: entry)
        switch entry.verdict {
        case .true where entry.accepted == "miss":
            break
        case .true:
            #expect(!found.isEmpty, "\(entry.source): labelled defect no longer found (\(entry.reason))")
        case .false:
            #expect(found.isEmpty, "\(entry.source): labelled false alarm fires again: \(found.map(\.message)) (\(entry.reason))")
        case .debatable:
            break
        }
        if entry.fix == .wrong, entry.applicability == .safe {
            let safe = found.filter { $0.fix?.applicability == .safe }
            #expect(safe.isEmpty, "\(entry.source): a safe fix judged wrong is offered again: \(safe.map { $0.fix?.description ?? "" })")
        }
    }
}
