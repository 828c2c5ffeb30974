import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// User rule packs (Fixtures/packs/) and `newslint learn`.
@Suite struct BoilerplatePackTests {
    static var packs: URL { PackagePaths.fixtures.appendingPathComponent("packs") }

    func catalogWithSitePack() throws -> Catalog {
        var catalog = Catalog.builtin
        try RulePackRegistry.load(path: Self.packs.appendingPathComponent("site").path, into: &catalog)
        return catalog
    }

    @Test func sitePackAddsRulesToTheCatalog() throws {
        let catalog = try catalogWithSitePack()
        let ids = ["campus-slogan", "gongxue-repost", "title-hrbeu"]
        for id in ids {
            let meta = try #require(catalog.metadata(id))
            #expect(meta.family == "pack")
            #expect(catalog.dynamicRules[id] != nil)
        }
        #expect(catalog.metadata("title-hrbeu")?.severity == .info)
        #expect(catalog.metadata("title-hrbeu")?.fixable == .unsafe)
        #expect(catalog.metadata("gongxue-repost")?.fixable == .safe)
        #expect(catalog.metadata("campus-slogan")?.severity == .error)
    }

    @Test func packRulesFireAndFixOnSeedLikeText() throws {
        let catalog = try catalogWithSitePack()
        let text = "---\ntitle: 哈尔滨工程大学->会议召开 | hrbeu.com.cn\ndate: 2022-03-16\n---\n欢迎访问哈尔滨工程大学网站\n会议由党委副书记主持。\n\n求是創新 追求卓越\n\n会议强调要持续推动党建与业务深度融合。\n\n[转入文章首发地址](http://gongxue.cn/info/1015/69886.htm)\n"
        for (id, lines) in [("gongxue-repost", [12]), ("title-hrbeu", [2]), ("campus-slogan", [5, 8])] {
            let l = try RuleHarness.linter(rule: id, catalog: catalog)
            let found = l.lint([.text(path: "a.md", bytes: Array(text.utf8))]).diagnostics.filter { $0.rule == id }
            #expect(found.map(\.line) == lines, "\(id): \(found.map { "\($0.line) \($0.message)" })")
        }
        let fixer = try RuleHarness.linter(rule: "pack", fix: .preview(.unsafe), catalog: catalog)
        let fixed = fixer.lint([.text(path: "a.md", bytes: Array(text.utf8))]).files[0].fix?.fixed
        #expect(fixed.map { String(decoding: $0, as: UTF8.self) } == "---\ntitle: 哈尔滨工程大学->会议召开\ndate: 2022-03-16\n---\n会议由党委副书记主持。\n\n\n会议强调要持续推动党建与业务深度融合。\n\n")
    }

    @Test func allPackRulesShareOneAutomatonAndOneScanPerDocument() throws {
        var catalog = Catalog.builtin
        try RulePackRegistry.load(path: Self.packs.appendingPathComponent("site/gongxue-repost.json").path, into: &catalog)
        try RulePackRegistry.load(path: Self.packs.appendingPathComponent("site/slogan.json").path, into: &catalog)
        let rules = try ["gongxue-repost", "campus-slogan"].map { id in try #require(try catalog.dynamicRules[id]?(RuleOptions()) as? PackRule) }
        #expect(rules[0].scanner === rules[1].scanner, "packs loaded from two rulePacks entries share one scanner")
        #expect(rules[0].scanner.matcher.patterns.count == 4)
        let linter = try RuleHarness.linter(rule: "pack", catalog: catalog)
        let text = "---\ntitle: 新闻\ndate: 2022-03-16\n---\n求是创新 追求卓越\n\n正文内容。\n\n[转入文章首发地址](http://gongxue.cn/a.htm)\n"
        let found = linter.lint([.text(path: "a.md", bytes: Array(text.utf8))]).diagnostics
        #expect(found.map(\.rule).sorted() == ["campus-slogan", "gongxue-repost"])
        let active = linter.baseRules.perFile.compactMap { $0.rule as? PackRule }
        #expect(active.count == 2)
        #expect(active.first?.scanner.scans == 1, "one scan served both pack rules")
    }

    @Test func configLoadsPacksAndRulesCanBeConfigured() throws {
        let tmp = TemporaryDirectory()
        for name in ["gongxue-repost.json", "title-domain.json", "slogan.json"] {
            tmp.write("lint-packs/\(name)", bytes: [UInt8](try Data(contentsOf: Self.packs.appendingPathComponent("site/\(name)"))))
        }
        tmp.write(".lint.json", "{\"rulePacks\": [\"lint-packs\"], \"rules\": {\"campus-slogan\": \"off\", \"pack\": \"warning\"}}")
        tmp.write("news/a.md", "---\ntitle: 会议召开 | hrbeu.com.cn\ndate: 2022-03-16\n---\n求是创新 追求卓越\n正文。\n")
        let run = CLIRun.run(["--format", "concise", "news"], cwd: tmp.path)
        #expect(run.stdout.contains("news/a.md:2:") && run.stdout.contains("warning: title ends with the site suffix ' | hrbeu.com.cn' [title-hrbeu]"), "\(run.stdout)\(run.stderr)")
        #expect(!run.stdout.contains("[campus-slogan]"))
        #expect(run.stdout.contains("[gongxue-repost]") == false)
        let explain = CLIRun.run(["explain", "title-hrbeu"], cwd: tmp.path)
        #expect(explain.status == 0 && explain.stdout.contains("The title ends with the hrbeu.com.cn site suffix."))
    }

    @Test("bad packs give file:line:column and the field", arguments: [
        ("bad-regex.json", "6:16", "'patterns[1].regex' is not a valid regular expression"),
        ("bad-zone.json", "4:11", "'zone' must be one of anywhere, header, footer, edges, front-matter; did you mean 'footer'?"),
        ("bad-key.json", "3:3", "unknown key 'mesage'; did you mean 'message'?"),
        ("bad-fix.json", "5:10", "'fix.with' is required for the replace action"),
        ("builtin-id.json", "2:9", "'id' 'boilerplate' is a built-in rule"),
        ("no-anchor.json", "4:27", "'patterns[0].regex' has no literal text every match must contain"),
    ])
    func badPack(file: String, position: String, message: String) throws {
        var catalog = Catalog.builtin
        let path = Self.packs.appendingPathComponent("bad/\(file)").path
        do {
            try RulePackRegistry.load(path: path, into: &catalog)
            Issue.record("\(file) should be rejected")
        } catch let e as CatalogError {
            #expect(e.description.hasPrefix("\(path):\(position): "), "\(e)")
            #expect(e.description.contains(message), "\(e)")
        }
    }

    @Test func badPackThroughTheCLIExitsTwo() {
        let tmp = TemporaryDirectory()
        tmp.write("packs/p.json", "{\n  \"id\": \"x\",\n  \"message\": \"m\",\n  \"patterns\": []\n}\n")
        tmp.write(".lint.json", "{\"rulePacks\": [\"packs\"]}")
        tmp.write("a.md", "---\ntitle: a\ndate: 2022-03-16\n---\n正文。\n")
        let run = CLIRun.run(["a.md"], cwd: tmp.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("p.json:4:15: 'patterns' must be a non-empty array of patterns"), "\(run.stderr)")
    }

    @Test func duplicatePackIdsAreRejected() throws {
        let tmp = TemporaryDirectory()
        tmp.write("a/one.json", "{\"id\": \"dup\", \"message\": \"m\", \"patterns\": [\"版权所有\"]}")
        tmp.write("a/two.json", "{\"id\": \"dup\", \"message\": \"m\", \"patterns\": [\"版权所有\"]}")
        var catalog = Catalog.builtin
        #expect(throws: CatalogError.self) { try RulePackRegistry.load(path: tmp.path + "/a", into: &catalog) }
    }
}

/// `boilerplate-repeated` and `newslint learn` on a small synthetic site.
@Suite struct BoilerplateRepeatedTests {
    static func article(_ i: Int, footer: String?, quote: Bool = false) -> String {
        var t = "---\ntitle: 第\(i)条新闻\ndate: 2022-03-1\(i % 10)\n---\n第\(i)篇文章报道了学院第\(i)次工作会议的召开情况。\n\n---\n\n图\n\n2022-03-16\n"
        if quote { t += "\n“不忘初心，牢记使命，为中国人民谋幸福。”\n" }
        if let footer { t += "\n\(footer)\n" }
        return t
    }

    @Test func repeatedFooterFiresQuotesAndShortLinesDoNot() throws {
        var files: [(path: String, text: String)] = []
        for i in 0..<8 { files.append(("site/\(i).md", Self.article(i, footer: i < 6 ? "本网站由学院宣传部负责维护更新" : nil, quote: i < 3))) }
        let found = try RuleHarness.diagnostics(rule: "boilerplate-repeated", files: files)
        #expect(found.map(\.path).sorted() == (0..<6).map { "site/\($0).md" })
        #expect(found.allSatisfy { $0.message.contains("6 of 8") })
    }

    @Test func groupsBySourceWhenPresent() throws {
        var files: [(path: String, text: String)] = []
        for i in 0..<10 {
            let source = i < 5 ? "甲大学" : "乙大学"
            files.append(("all/\(i).md", "---\ntitle: 新闻\(i)\ndate: 2022-03-16\nsource: \(source)\n---\n正文第\(i)段内容各不相同。\n\n\(source)党委宣传部主办并负责维护\n"))
        }
        let found = try RuleHarness.diagnostics(rule: "boilerplate-repeated", files: files)
        #expect(found.count == 10)
        #expect(found.allSatisfy { $0.message.contains("5 of 5") && $0.message.contains("source") })
    }

    @Test func learnWritesAPackThatLoadsAndFires() throws {
        let tmp = TemporaryDirectory()
        for i in 0..<7 { tmp.write("corpus/\(i).md", Self.article(i, footer: "本网站由学院宣传部负责维护更新")) }
        let run = CLIRun.run(["learn", "--no-config", "--id", "campus-footer", "-o", "packs/learned.json", "corpus"], cwd: tmp.path)
        #expect(run.status == 0, "\(run.stderr)")
        let written = String(decoding: tmp.read("packs/learned.json"), as: UTF8.self)
        #expect(written.contains("\"literal\": \"本网站由学院宣传部负责维护更新\""))
        #expect(written.contains("in 7 files"))
        #expect(!written.contains("2022-03-16") && !written.contains("\"图\""))
        var catalog = Catalog.builtin
        try RulePackRegistry.load(path: tmp.path + "/packs", into: &catalog)
        let l = try RuleHarness.linter(rule: "campus-footer", fix: .preview(.safe), catalog: catalog)
        let out = l.lint([.text(path: "x.md", bytes: Array(Self.article(1, footer: "本网站由学院宣传部负责维护更新").utf8))])
        #expect(out.files[0].fix?.applied == 1)  // diagnostics are the remaining ones after the preview fix
        #expect(out.files[0].fix?.fixed.map { String(decoding: $0, as: UTF8.self) } == Self.article(1, footer: nil) + "\n")
        // Nothing repeated: a message, no file.
        let none = CLIRun.run(["learn", "--no-config", "corpus/0.md"], cwd: tmp.path)
        #expect(none.status == 0 && none.stdout.isEmpty && none.stderr.contains("nothing to learn"))
    }
}

/// A pack rule's regex that searches slowly: the file's time budget stops the pack scan, as it
/// stops the built-in boilerplate scan, and a line whose search was given up on is reported, not
/// passed over as a line without a match. The searches are given a millisecond (not the 0.25 s a
/// run gives them), so whether one is abandoned never depends on how busy the machine is.
@Suite struct PackRegexBudgetTests {
    /// A search's limit in these tests (`LintEnvironment.regexSearchLimit`).
    static let searchLimit: TimeInterval = 0.001

    /// The probe's pack: a search of `来源a*a*a*a*a*c` on a line of 100,000 `a` runs to its limit.
    private static func corpus(lines: Int) -> TemporaryDirectory {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", #"{"rulePacks": ["packs/"]}"#)
        tmp.write("packs/s.json", #"{"id":"slow","message":"slow {match}","patterns":[{"regex":"来源a*a*a*a*a*c"}]}"#)
        let line = "来源" + String(repeating: "a", count: 100_000) + "\n"
        tmp.write("c/a.md", "---\ntitle: t\ndate: 2024-01-01\n---\n" + String(repeating: line, count: lines))
        return tmp
    }

    /// Only the pack rule runs (with `file-skipped`), so no other rule spends the budget first.
    /// `searchLimit` nil: a run's own (0.25 s).
    private static func run(_ tmp: TemporaryDirectory, budget: String, searchLimit: TimeInterval? = Self.searchLimit) -> [Substring] {
        CLIRun.run(["--no-cache", "--file-time-budget", budget, "--select", "slow,file-skipped", "--format", "concise", "c"], cwd: tmp.path,
                   env: searchLimit.map { ["NEWSLINT_REGEX_SEARCH_LIMIT": "\($0)"] } ?? [:])
            .stdout.split(separator: "\n")
    }

    /// A run's searches get 0.25 s, as the abandoned search's note says.
    @Test func aRunsSearchLimitIsAQuarterSecond() {
        #expect(RegexSafety.searchLimit == 0.25)
        #expect(LintEnvironment().regexSearchLimit == 0.25 && LintSettings().environment.regexSearchLimit == 0.25)
        #expect(RegexSafety.abandonedSearchNote == "the search ran past 0.25s (simplify the pattern)")
    }

    private static func abandoned(_ out: [Substring]) -> Int {
        out.filter { $0.contains("could not be checked against the pattern 来源a*a*a*a*a*c") && $0.hasSuffix("[slow]") }.count
    }

    /// 20 such lines are at least 5 s of searching at a run's own limit (each abandoned search
    /// takes it whole, however fast the machine), so a 1 s budget stops the scan.
    @Test func theBudgetStopsThePackScan() {
        let out = Self.run(Self.corpus(lines: 20), budget: "1", searchLimit: nil)
        #expect(out.contains { $0.contains("rule 'slow' ran past the per-file time budget") && $0.contains("only partly checked by it") }, "\(out)")
        #expect(Self.abandoned(out) < 20, "\(out)")
    }

    /// The run's limit is the one searched with: 20 searches at 0.25 s would spend a 2 s budget
    /// (the scan stopped, the file partly checked); at a millisecond each, every line is reported.
    @Test func searchesStopAtTheRunsLimit() {
        let out = Self.run(Self.corpus(lines: 20), budget: "2")
        // Twenty equal findings print as one line that counts them.
        #expect(out.contains { $0.contains("could not be checked against the pattern") && $0.contains("(20 times in this file") }, "\(out)")
        #expect(!out.contains { $0.contains("[file-skipped]") || $0.contains("per-file time budget") }, "\(out)")
    }

    /// Each line a search gave up on is said to be unchecked (it was "no match" before).
    @Test func abandonedSearchesAreReported() {
        let out = Self.run(Self.corpus(lines: 2), budget: "30")
        #expect(Self.abandoned(out) == 2, "\(out)")
        #expect(!out.contains { $0.contains("[file-skipped]") }, "\(out)")
    }

    /// Whether a search runs past its limit depends on the machine at the time: a file with such
    /// a finding is linted again by the next run, not answered from the cache (it was replayed).
    /// `b.md`, without one, is the control: the cache does answer for it.
    @Test func abandonedSearchesAreNotCached() throws {
        let tmp = Self.corpus(lines: 1)
        tmp.write("c/b.md", "---\ntitle: t\ndate: 2024-01-01\n---\n正文。\n")
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        for name in ["c/a.md", "c/b.md"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: tmp.path + "/" + name)
        }
        func run() throws -> (abandoned: Int, hits: Int) {
            var catalog = Catalog.builtin
            let config = try Configuration.load(file: tmp.path + "/.lint.json", catalog: &catalog)
            let cache = try #require(LintCache.open(directory: tmp.path + "/.cache", key: 7))
            var settings = LintSettings()
            settings.jobs = 1
            settings.baseDirectory = tmp.path
            settings.cache = cache
            settings.environment.regexSearchLimit = Self.searchLimit
            settings.filter = RuleFilter(select: ["slow"])
            let result = try Linter(catalog: catalog, config: config, settings: settings).lint([.file("c/a.md"), .file("c/b.md")])
            try cache.save()
            return (result.diagnostics.filter { $0.message.contains(RegexSafety.abandonedSearchNote) }.count, cache.hits)
        }
        let first = try run()
        #expect(first.abandoned == 1 && first.hits == 0)
        let second = try run()
        #expect(second.abandoned == 1)
        #expect(second.hits == 1)
    }

    /// With one finding listed per rule, the abandoned search's finding (reported after the match
    /// on the line above) is the one the cap drops: the file was still cached, because whether to
    /// cache was told from the listed findings' messages. The sink's note decides now.
    @Test func anAbandonedSearchTheCapHidesIsNotCached() throws {
        let tmp = TemporaryDirectory()
        tmp.write(".lint.json", #"{"rulePacks": ["packs/"]}"#)
        tmp.write("packs/s.json", #"{"id":"slow","message":"slow {match}","patterns":[{"regex":"来源a*a*a*a*a*c"}]}"#)
        tmp.write("c/a.md", "---\ntitle: t\ndate: 2024-01-01\n---\n来源aac\n来源" + String(repeating: "a", count: 100_000) + "\n")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: tmp.path + "/c/a.md")
        func run() throws -> (listed: [Diagnostic], hits: Int) {
            var catalog = Catalog.builtin
            let config = try Configuration.load(file: tmp.path + "/.lint.json", catalog: &catalog)
            let cache = try #require(LintCache.open(directory: tmp.path + "/.cache", key: 7))
            var settings = LintSettings()
            settings.jobs = 1
            settings.baseDirectory = tmp.path
            settings.cache = cache
            settings.maxFindingsPerRule = 1
            settings.environment.regexSearchLimit = Self.searchLimit
            settings.filter = RuleFilter(select: ["slow", "file-skipped"])
            let result = try Linter(catalog: catalog, config: config, settings: settings).lint([.file("c/a.md")])
            try cache.save()
            return (result.diagnostics, cache.hits)
        }
        let first = try run()
        #expect(first.listed.contains { $0.message.contains("more slow finding") }, "\(first.listed)")
        #expect(!first.listed.contains { $0.message.contains(RegexSafety.abandonedSearchNote) })
        let second = try run()
        #expect(second.hits == 0)
    }
}
