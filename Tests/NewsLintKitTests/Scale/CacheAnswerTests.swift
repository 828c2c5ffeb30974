import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `Linter.process` answers a hit before it looks up the file's rules when every file has the base
/// rules, and after it otherwise: both must answer as an uncached run would — unchanged files by
/// their stamp, files touched but unchanged by their content hash (with the run leaving hits' facts
/// in the cache, and after it stopped), changed files linted again. The caches are opened with a
/// start ten seconds on, so the entries of files just written are settled and stamps answer.
@Suite struct CacheAnswerTests {
    static let uniform = #"{"rules": {"front-matter-field": {"required": ["title", "date"]}}}"#
    /// Overrides make the rules per file (looked up before the cache): one changes findings' severity.
    static let overridden = #"""
        {"rules": {"front-matter-field": {"required": ["title", "date"]}},
         "overrides": [{"files": ["news/3/**"], "rules": {"front-matter-field": "warning"}},
                       {"files": ["nowhere/**"], "rules": {"trailing-whitespace": "off"}}]}
        """#

    @Test(arguments: [(uniform, 1), (uniform, 2), (overridden, 1), (overridden, 2)])
    func warmRunMatchesAnUncachedOne(config: String, jobs: Int) throws {
        let dir = TemporaryDirectory()
        let paths = ScaleCorpus.write(into: dir, count: 70)
        let catalog = try TestDuplicateSlugRule.catalog()
        let inputs = paths.map { LintInput.file($0) }
        let cacheDir = dir.path + "/.cache"
        let later = Int64(Date().timeIntervalSince1970) + 10
        let cold = try #require(LintCache.open(directory: cacheDir, key: 5, now: later))
        _ = try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: cold, config: config).lint(inputs)
        try cold.save()

        // Touched (same bytes, another time): answered by the content hash. Changed: linted again.
        let touched = Set(stride(from: 2, to: paths.count, by: 9)), changed = Set(stride(from: 5, to: paths.count, by: 13))
        for i in touched {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000 + TimeInterval(i))],
                                                  ofItemAtPath: dir.path + "/" + paths[i])
        }
        for i in changed {
            let text = try String(contentsOfFile: dir.path + "/" + paths[i], encoding: .utf8)
            _ = dir.write(paths[i], text + "\nslug: added   \n")
        }
        let reference = try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: nil, config: config).lint(inputs).diagnostics
        #expect(!reference.isEmpty)

        let warm = try #require(LintCache.open(directory: cacheDir, key: 5, now: later))
        #expect(try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: warm, config: config).lint(inputs).diagnostics == reference)
        #expect(warm.hits == paths.count - changed.count)
        #expect(warm.stampHits == paths.count - touched.union(changed).count)
        try warm.save()
        // The touched and changed files were recorded again: the next run answers every file by its stamp.
        let again = try #require(LintCache.open(directory: cacheDir, key: 5, now: later))
        #expect(try Linter.forTest(root: dir.path, catalog: catalog, jobs: jobs, cache: again, config: config).lint(inputs).diagnostics == reference)
        #expect(again.hits == paths.count)
        #expect(again.stampHits == paths.count)
    }
}
