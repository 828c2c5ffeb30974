import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// False positives on clean text: the fixture corpus under `Fixtures/precision/` is realistic,
/// defect-free news (mainland Simplified, Taiwan and Hong Kong Traditional, Markdown structure,
/// Latin names, emoji, code, tables, HTML figures, YAML/TOML/JSON front matter). Every rule
/// must stay quiet on it; a finding here is a rule bug, not a corpus problem.
@Suite struct PrecisionTests {
    static let corpus = PackagePaths.fixtures.appendingPathComponent("precision")

    /// Article files of the corpus (the images next to them are not linted).
    static func articles() throws -> [String] {
        let names = try FileManager.default.subpathsOfDirectory(atPath: corpus.path)
        return names.filter { $0.hasSuffix(".md") || $0.hasSuffix(".txt") }.sorted()
    }

    @Test func corpusIsLargeAndVaried() throws {
        let files = try Self.articles()
        #expect(files.count >= 25)
        for area in ["mainland/", "taiwan/", "hongkong/", "markdown/"] {
            #expect(files.filter { $0.hasPrefix(area) }.count >= 4, "\(area)")
        }
    }

    @Test func defaultRulesFindNothing() throws {
        let count = try Self.articles().count
        let r = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "."], cwd: Self.corpus.path)
        #expect(r.stdout == "", "\(r.stdout)")
        #expect(r.status == 0)
        let text = CLIRun.run(["--no-config", "--no-cache", "."], cwd: Self.corpus.path)
        #expect(text.stdout.contains("No problems found in \(count) files."), "\(text.stdout)")
    }

    /// Off-by-default rules too (image-alt-missing, content-near-duplicate): no finding needs
    /// a justification today, so none is allowed.
    @Test func allRulesFindNothing() throws {
        let count = try Self.articles().count
        let r = CLIRun.run(["--no-config", "--no-cache", "--select", "all", "--format", "concise", "."], cwd: Self.corpus.path)
        #expect(r.stdout == "", "\(r.stdout)")
        #expect(r.status == 0)
        let text = CLIRun.run(["--no-config", "--no-cache", "--select", "all", "."], cwd: Self.corpus.path)
        #expect(text.stdout.contains("No problems found in \(count) files."), "\(text.stdout)")
    }

    /// The quiet result above is not a corpus the linter cannot see: the same articles with
    /// residue added around them are reported, and only the added lines are.
    @Test func injectedResidueIsStillFound() throws {
        let tmp = TemporaryDirectory()
        for name in try Self.articles() {
            tmp.write(name, bytes: [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(name))))
        }
        let clean = String(decoding: try Data(contentsOf: Self.corpus.appendingPathComponent("mainland/09-qr-scam.md")), as: UTF8.self)
        tmp.write("mainland/09-qr-scam.md", clean + "\n长按二维码，关注我们\n【关闭窗口】\n版权所有 © 2024 某某网\n")
        let r = CLIRun.run(["--no-config", "--no-cache", "--select", "boilerplate", "--format", "concise", "."], cwd: tmp.path)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(r.stdout)")
        #expect(lines.allSatisfy { $0.hasPrefix("mainland/09-qr-scam.md:") && $0.hasSuffix("[boilerplate]") })
    }
}
