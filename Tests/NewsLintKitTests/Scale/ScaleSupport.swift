import Foundation
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A test-only cross-file rule (the real ones live with the cross-file family): files sharing a
/// front-matter `slug`. Its fact carries a full 64-bit hash to prove facts survive JSON lines intact.
struct TestDuplicateSlugRule: CrossFileRule {
    static let id = "test-duplicate-slug"
    struct Fact: Codable, Sendable, Equatable {
        var slug: String
        var line: Int
        var hash: UInt64
    }
    init(options: RuleOptions) {}

    func collect(_ document: Document) -> Fact? {
        guard let entry = document.frontMatter?.entry("slug"), let slug = entry.value.scalarText, !slug.isEmpty else { return nil }
        return Fact(slug: slug, line: entry.line, hash: StableHash.fnv1a64(slug) | 0x8000_0000_0000_0001)
    }

    func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink) {
        var first: [String: String] = [:]
        for f in facts {
            if let owner = first[f.fact.slug] {
                sink.report(path: f.path, line: f.fact.line, "slug '\(f.fact.slug)' (\(StableHash.hex(f.fact.hash))) is also used by \(owner)")
            } else {
                first[f.fact.slug] = f.path
            }
        }
    }

    static let metadata = """
    {"id": "test-duplicate-slug", "family": "test", "summary": "Two files share a slug.",
     "whatItFinds": "Test-only.", "whyItMatters": "Test-only.", "fixSafety": "No fix.",
     "severity": "error", "fixable": "none"}
    """

    /// The built-in catalog plus this rule.
    static func catalog() throws -> Catalog {
        var c = Catalog.builtin
        c.add([try RuleMetadata.parse(metadata, file: "test/test-duplicate-slug/rule.json")])
        c.dynamicCrossFileRules[id] = { try TestDuplicateSlugRule.erased(options: $0) }
        return c
    }
}

/// A small deterministic corpus with the defects the current rules see (and duplicate slugs).
enum ScaleCorpus {
    static let simplified = ["市政府召开新闻发布会，介绍今年经济运行情况。", "记者从教育局获悉，全市中小学将于九月一日开学。",
                             "气象台发布暴雨蓝色预警，提醒市民注意出行安全。", "该项目总投资约十二亿元，预计明年底建成投用。"]
    static let traditional = ["市政府召開新聞發布會，介紹今年經濟運行情況。", "記者從教育局獲悉，全市中小學將於九月一日開學。",
                              "氣象台發布暴雨藍色預警，提醒市民注意出行安全。"]

    /// Writes `count` files under `dir` and returns their paths relative to `dir`.
    @discardableResult
    static func write(into dir: TemporaryDirectory, count: Int, seed: UInt64 = 42) -> [String] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var paths: [String] = []
        for i in 0..<count {
            let path = "news/\(i % 7)/\(String(format: "%04d", i)).md"
            var lines: [String] = []
            let noFrontMatter = next(10) == 0
            if !noFrontMatter {
                lines.append("---")
                lines.append("title: 新闻\(i)")
                if next(8) != 0 { lines.append("date: 2023-0\(1 + next(9))-1\(next(9))") }
                lines.append("slug: s\(next(count / 3 + 1))")
                lines.append("---")
            }
            for _ in 0..<(1 + next(4)) {
                var p = next(2) == 0 ? simplified[next(simplified.count)] : traditional[next(traditional.count)]
                if next(6) == 0 { p += "  \t" }
                lines.append(p)
                lines.append("")
            }
            var text = lines.joined(separator: next(15) == 0 ? "\r\n" : "\n")
            if next(9) == 0 { text = "\n\n" + text } else if next(9) == 0 { text.removeLast() }
            dir.write(path, text)
            paths.append(path)
        }
        return paths
    }
}

extension Linter {
    static let testConfig = #"{"rules": {"front-matter-field": {"required": ["title", "date"]}}}"#

    static func forTest(root: String, catalog: Catalog, jobs: Int = 2, cache: LintCache? = nil, finishCrossFile: Bool = true,
                        config text: String = testConfig) throws -> Linter {
        var settings = LintSettings()
        settings.jobs = jobs
        settings.baseDirectory = root
        settings.cache = cache
        settings.finishCrossFile = finishCrossFile
        var c = catalog
        let config = try Configuration.parse(text, file: root + "/.lint.json", directory: root, catalog: &c)
        return try Linter(catalog: c, config: config, settings: settings)
    }
}
