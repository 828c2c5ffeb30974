import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Every output format, on `seeds/` and two fixture corpora, byte for byte against outputs recorded
/// before the run pipeline was restructured (issue 16): the pipeline may change how output is
/// produced, never what it is. Re-record (only for an intended output change) with
/// `NEWSLINT_RECORD_OUTPUTS=1 swift test --filter RecordedOutputTests`.
@Suite struct RecordedOutputTests {
    struct Corpus: Sendable {
        var name: String
        /// Working directory of the run (relative to the package root).
        var directory: String
        var path: String
    }

    static let corpora = [
        Corpus(name: "seeds", directory: "", path: "seeds"),
        Corpus(name: "corpus", directory: "Tests/NewsLintKitTests/Fixtures/corpus", path: "."),
        Corpus(name: "reports", directory: "Tests/NewsLintKitTests/Fixtures/reports/corpus", path: "."),
    ]

    /// (file name, arguments before the path).
    static let variants: [(String, [String])] = [
        ("text", ["--format", "text"]),
        ("concise", ["--format", "concise"]),
        ("json", ["--format", "json"]),
        ("jsonl", ["--format", "jsonl"]),
        ("github", ["--format", "github"]),
        ("sarif", ["--format", "sarif"]),
        ("junit", ["--format", "junit"]),
        ("markdown", ["--format", "markdown"]),
        ("statistics", ["--statistics"]),
        ("statistics-json", ["--statistics", "--format", "json"]),
        ("summary", ["--summary"]),
        ("summary-markdown", ["--summary", "--format", "markdown"]),
        ("summary-json", ["--summary", "--format", "json"]),
        ("diff", ["--diff"]),
        ("diff-unsafe", ["--diff", "--unsafe-fixes"]),
        ("report-text", ["report"]),
        ("report-markdown", ["report", "--format", "markdown"]),
        ("report-json", ["report", "--format", "json"]),
    ]

    static var recording: Bool { ProcessInfo.processInfo.environment["NEWSLINT_RECORD_OUTPUTS"] == "1" }
    static let directory = PackagePaths.fixtures.appendingPathComponent("outputs")

    /// One run's status, stdout and stderr, with the package root replaced so the record is portable.
    static func render(_ corpus: Corpus, _ args: [String], jobs: String) -> String {
        let cwd = corpus.directory.isEmpty ? PackagePaths.root.path : PackagePaths.root.appendingPathComponent(corpus.directory).path
        var full = args
        let command = full.first == "report" ? [full.removeFirst()] : []
        let run = CLIRun.run(command + ["--no-config", "--no-cache", "--jobs", jobs] + full + [corpus.path], cwd: cwd)
        let text = "status: \(run.status)\n--- stdout\n\(run.stdout)\n--- stderr\n\(run.stderr)"
        return text.replacingOccurrences(of: PackagePaths.root.path, with: "<ROOT>")
    }

    @Test(arguments: corpora.map(\.name))
    func everyFormatMatchesTheRecordedOutput(corpusName: String) throws {
        let corpus = try #require(Self.corpora.first { $0.name == corpusName })
        let folder = Self.directory.appendingPathComponent(corpus.name)
        if Self.recording { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for (name, args) in Self.variants {
            let file = folder.appendingPathComponent(name + ".out")
            let got = Self.render(corpus, args, jobs: "2")
            if Self.recording {
                try Array(got.utf8).withUnsafeBufferPointer { try Data(buffer: $0).write(to: file) }
                continue
            }
            let want = try String(contentsOf: file, encoding: .utf8)
            #expect(got == want, "\(corpus.name)/\(name).out differs")
            if name == "jsonl" || name == "text" {
                #expect(Self.render(corpus, args, jobs: "1") == want, "\(corpus.name)/\(name).out differs with --jobs 1")
            }
        }
    }
}
