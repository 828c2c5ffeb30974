import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// The corpus health summary behind `newslint report` and `lint --summary`: computed here,
/// rendered by `SummaryRenderer` (text, Markdown, JSON) and `HTMLReport`.
///
/// Health of a file comes from its defect density, so a long article and a short one compare
/// fairly: findings weigh 10 (error), 3 (warning) or 1 (info) points; `D` is points per 1,000
/// characters (Unicode scalars; a file shorter than 1,000 characters counts as 1,000, so one stray
/// finding in a three-line notice does not sink it); the file scores `100 / (1 + D/10)`: 100 when
/// clean, 50 at 10 points per 1,000 characters (one error, or three or four warnings), never 0.
/// The corpus score is the mean of the file scores: the health of the average file.
public struct CorpusSummary: Sendable {
    public struct RuleCount: Sendable {
        public var rule: String
        public var family: String
        public var count: Int
        public var errors: Int
        public var warnings: Int
        public var infos: Int
        public var fixable: Int
        /// Files with at least one finding of the rule: problems are ranked by it (a defect in 900
        /// files matters more than 900 findings in one).
        public var files = 0
        /// Paths already counted in `files`, as 64-bit hashes (a streamed run keeps no path strings).
        package var seen: Set<UInt64> = []
    }
    public struct FamilyCount: Sendable {
        public var family: String
        public var errors: Int
        public var warnings: Int
        public var infos: Int
        public var total: Int { errors + warnings + infos }
    }
    public struct FileHealth: Sendable {
        public var path: String
        public var errors: Int
        public var warnings: Int
        public var infos: Int
        public var score: Int
        /// Unicode scalars of the file (bytes when the file was not profiled).
        public var characters = 0
        /// Weighted points per 1,000 characters (see the type's documentation).
        public var density = 0.0
        public var total: Int { errors + warnings + infos }
        public var points: Int { CorpusSummary.points(errors: errors, warnings: warnings, infos: infos) }
    }

    /// One finding as the drill-down lists it.
    public struct Finding: Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var endLine: Int?
        public var endColumn: Int?
        public var message: String
        public var severity: Severity
        /// The line around the span; nil when the line could not be read back.
        public var excerpt: Excerpt?
    }

    /// How a problem is resolved: by `--fix`, by `--fix --unsafe-fixes`, by a rule pack from
    /// `learn`, or by an editor.
    public enum Remedy: String, Sendable {
        case fix, unsafeFix = "unsafe-fix", learn, manual
    }

    /// One row of "Problems, ranked": findings of one rule with the same message kind.
    public struct Problem: Sendable {
        public var rule: String
        public var family: String
        /// The message with its particulars taken out (`ProblemKind.of`).
        public var kind: String
        public var severity: Severity
        public var files: Int
        public var findings: Int
        public var safeFixes: Int
        public var unsafeFixes: Int
        /// Findings of a learned rule's line class in HTML files: a learned rule pack flags those
        /// lines but cannot delete them, as the engine drops a fix that touches an HTML file's markup
        /// (a repeated whole line of an HTML file is a block with its tags).
        public var inHTMLFiles = 0
        /// The first findings in output order, at most `CorpusSummary.listLimit`.
        public var samples: [Finding]
        /// Stable anchor of the row's drill-down list.
        public var id: String

        public var remedy: Remedy {
            if safeFixes > 0 { return .fix }
            if unsafeFixes > 0 { return .unsafeFix }
            if isLearnable, findings > inHTMLFiles { return .learn }
            return .manual
        }
        /// Whether `newslint learn` turns the class's lines into a rule pack (whole lines, not blocks
        /// within a line).
        public var isLearnable: Bool {
            CorpusSummary.learnedRules.contains(rule) && !kind.hasPrefix(BoilerplateRepeatedRule.blockMessageStart)
        }
        /// Whether the row stands for findings the listing cap left out of the output (the rule's own
        /// findings, of any of its classes; `CorpusSummary.unlistedKind`).
        public var isUnlisted: Bool { kind == CorpusSummary.unlistedKind }
        /// Findings the remedy resolves (all of them for `learn`, none for `manual`).
        public var resolved: Int {
            switch remedy {
            case .fix: return safeFixes
            case .unsafeFix: return unsafeFixes
            case .learn: return findings - inHTMLFiles
            case .manual: return 0
            }
        }
        /// Files times severity weight: what the ranking orders by.
        public var impact: Int { files * CorpusSummary.weight(severity) }
        /// The best example: the first sample whose line could be read, preferring a short line.
        public var example: Finding? {
            samples.first { $0.excerpt != nil } ?? samples.first
        }
    }

    /// Files sharing a month of article date, or a source.
    public struct Bucket: Sendable {
        public var name: String
        public var files = 0
        public var filesWithFindings = 0
        public var characters = 0
        /// Characters as the density counts them (each file at least `minimumCharacters`), so a
        /// bucket's density is on the same scale as its files'.
        public var measuredCharacters = 0
        public var errors = 0
        public var warnings = 0
        public var infos = 0
        public var scoreSum = 0
        public var findings: Int { errors + warnings + infos }
        public var points: Int { CorpusSummary.points(errors: errors, warnings: warnings, infos: infos) }
        /// Weighted points per 1,000 characters of the bucket's files.
        public var density: Double { measuredCharacters == 0 ? 0 : Double(points) * 1000 / Double(measuredCharacters) }
        public var score: Double { files == 0 ? 100 : (Double(scoreSum) / Double(files) * 10).rounded() / 10 }
    }

    /// A group of duplicate files and the one to keep.
    public struct Cluster: Sendable {
        public enum Kind: String, Sendable { case identical, nearDuplicate = "near-duplicate", slug }
        public var kind: Kind
        public var canonical: String
        /// Every member, canonical first, then by path.
        public var members: [String]
    }

    public struct Profile: Sendable {
        public var profiled = 0
        public var withFrontMatter = 0
        public var scripts: [ScriptClass: Int] = [:]
        public var withImages = 0
        public var images = 0
        public var withBrokenImages = 0
        public var slugGroups: [[String]] = []
        public var contentGroups: [[String]] = []
        public var nearGroups: [[String]] = []
        public var dated = 0
        public var firstDate: String?
        public var lastDate: String?
    }

    public var files: Int
    public var bytes: Int
    public var characters = 0
    public var errors: Int
    public var warnings: Int
    public var infos: Int
    public var fixableSafe: Int
    public var fixableUnsafe: Int
    public var rules: [RuleCount]
    public var families: [FamilyCount]
    /// Problem classes, highest impact first (files × severity weight, then files, then findings).
    public var problems: [Problem] = []
    /// Every file, worst first (highest density, then most findings, then path).
    public var fileHealth: [FileHealth]
    public var corpusScore: Double
    public var cleanFiles: Int
    public var profile: Profile
    /// Per month of article date (`YYYY-MM`, ascending; undated files last as "undated"), or per
    /// day (`YYYY-MM-DD`) when the dates span two months or less: a scraper that broke on one day of
    /// a month-long crawl shows.
    public var timeline: [Bucket] = []
    /// "month" or "day".
    public var timeUnit = "month"
    /// Per source (front matter `source`/`site`/`categories`, the article URL's host, else the top
    /// directory), worst density first.
    public var sources: [Bucket] = []
    public var clusters: [Cluster] = []
    /// Drill-down lists hold at most this many entries.
    public var listLimit: Int
    /// Arguments naming what was reported (`--config FILE`, paths), appended to suggested commands.
    public var scope: [String] = []

    public var total: Int { errors + warnings + infos }
    public var filesWithFindings: Int { files - cleanFiles }

    // MARK: Scoring

    public static let errorWeight = 10, warningWeight = 3, infoWeight = 1
    /// Characters a short file counts as.
    public static let minimumCharacters = 1000
    /// Points per 1,000 characters at which a file scores 50.
    public static let halfScoreDensity = 10.0

    public static func weight(_ s: Severity) -> Int {
        switch s {
        case .error: return errorWeight
        case .warning: return warningWeight
        case .info: return infoWeight
        }
    }
    public static func points(errors: Int, warnings: Int, infos: Int) -> Int {
        errorWeight * errors + warningWeight * warnings + infoWeight * infos
    }
    public static func density(points: Int, characters: Int) -> Double {
        Double(points) * 1000 / Double(max(characters, minimumCharacters))
    }
    public static func score(density: Double) -> Int {
        Int((100 / (1 + density / halfScoreDensity)).rounded())
    }
    public static func score(errors: Int, warnings: Int, infos: Int, characters: Int) -> Int {
        score(density: density(points: points(errors: errors, warnings: warnings, infos: infos), characters: characters))
    }

    /// Rules whose diagnostics name duplicate groups (from the cross-file family), if present.
    public static let duplicateSlugRules: Set<String> = ["slug-duplicate"]
    public static let duplicateContentRules: Set<String> = ["content-duplicate"]
    public static let nearDuplicateRules: Set<String> = ["content-near-duplicate"]
    /// Rules whose findings `newslint learn` turns into a rule pack.
    public static let learnedRules: Set<String> = ["boilerplate-repeated"]
    /// The class of a rule's findings the listing cap left out (`Diagnostic.unlisted`), listed
    /// under the rule's other rows.
    public static let unlistedKind = "more findings not listed (over the cap per rule per file; lint --max-findings-per-rule 0 lists every one)"
    public static let defaultListLimit = 100

    public init(result: LintResult, catalog: Catalog, profiles: [FileProfile], listLimit: Int = CorpusSummary.defaultListLimit) {
        var acc = Accumulator(catalog: catalog, listLimit: listLimit)
        for f in result.files { acc.addFile(path: f.path, byteCount: f.byteCount) }
        for x in result.diagnostics { acc.add(x) }
        self.init(acc, profiles: profiles)
    }

    package struct ProblemKey: Hashable {
        package var rule: String
        package var kind: String
    }

    package struct ProblemTally {
        /// The kind as first seen (the key is its stem: "leftover" and "leftovers" are one kind).
        package var kind: String
        package var severity: Severity
        package var findings = 0
        package var files = 0
        package var safeFixes = 0
        package var unsafeFixes = 0
        package var inHTMLFiles = 0
        package var lastPath: UInt64?
        package var seen: Set<UInt64> = []
        package var samples: [Finding] = []
    }

    /// Everything the summary needs from the diagnostics, accumulated one diagnostic at a time so a
    /// streamed run never holds them: counts per rule, family, problem class and file, the first
    /// `listLimit` findings of each problem class, and the few duplicate-rule findings that name groups.
    public struct Accumulator {
        package let catalog: Catalog
        package let listLimit: Int
        /// How many samples of a problem gather before they are cut back to `listLimit`.
        private let trimAt: Int
        // Files by path bytes: names that differ only in Unicode normalization are two files.
        package var sizes: [PathKey: Int] = [:]
        package var errors = 0, warnings = 0, infos = 0, fixableSafe = 0, fixableUnsafe = 0
        package var byRule: [String: RuleCount] = [:]
        package var byFamily: [String: FamilyCount] = [:]
        package var byFile: [PathKey: FileHealth] = [:]
        package var byProblem: [ProblemKey: ProblemTally] = [:]
        /// Message → (kind, stem): messages repeat ("trailing whitespace" a million times).
        package var kindCache: [String: (String, String)] = [:]
        package var imageFamilyFiles = Set<PathKey>()
        package var duplicateFindings: [Diagnostic] = []

        public init(catalog: Catalog, listLimit: Int = CorpusSummary.defaultListLimit) {
            self.catalog = catalog
            self.listLimit = max(0, listLimit)
            // Twice the limit, saturating (a limit near Int.max means every finding; doubling it trapped).
            trimAt = self.listLimit > Int.max / 2 ? Int.max : 2 * self.listLimit
        }

        package func family(_ rule: String) -> String { catalog.family(of: rule) ?? "other" }

        public mutating func addFile(path: String, byteCount: Int) { sizes[PathKey(path), default: 0] = max(sizes[PathKey(path)] ?? 0, byteCount) }

        /// Lines the drill-down lists show, by path: the profile pass reads them back.
        public var listedLines: [PathKey: Set<Int>] {
            var out: [PathKey: Set<Int>] = [:]
            for t in byProblem.values { for s in Self.firstInOrder(t.samples, listLimit) { out[PathKey(s.path), default: []].insert(s.line) } }
            return out
        }

        package static func firstInOrder(_ findings: [Finding], _ n: Int) -> [Finding] {
            Array(findings.sorted { a, b in
                if !a.path.hasSameBytes(as: b.path) { return a.path.utf8.lexicographicallyPrecedes(b.path.utf8) }
                if a.line != b.line { return a.line < b.line }
                if a.column != b.column { return a.column < b.column }
                return a.message.utf8.lexicographicallyPrecedes(b.message.utf8)
            }.prefix(n))
        }

        public mutating func add(_ x: Diagnostic) {
            // What the finding counts as: itself, or the findings a listing-cap finding stands for.
            var u = UnlistedFindings()
            if let unlisted = x.unlisted { u = unlisted } else { u.add(severity: x.severity, fix: x.fix?.applicability) }
            errors += u.errors
            warnings += u.warnings
            infos += u.infos
            fixableSafe += u.safeFixes
            fixableUnsafe += u.unsafeFixes
            let fam = family(x.rule)
            var r = byRule[x.rule] ?? RuleCount(rule: x.rule, family: fam, count: 0, errors: 0, warnings: 0, infos: 0, fixable: 0)
            var f = byFamily[fam] ?? FamilyCount(family: fam, errors: 0, warnings: 0, infos: 0)
            var h = byFile[PathKey(x.path)] ?? FileHealth(path: x.path, errors: 0, warnings: 0, infos: 0, score: 100)
            let pathHash = StableHash.fnv1a64(x.path)
            r.count += u.count
            if r.seen.insert(pathHash).inserted { r.files += 1 }
            r.fixable += u.safeFixes + u.unsafeFixes
            r.errors += u.errors; f.errors += u.errors; h.errors += u.errors
            r.warnings += u.warnings; f.warnings += u.warnings; h.warnings += u.warnings
            r.infos += u.infos; f.infos += u.infos; h.infos += u.infos
            byRule[x.rule] = r
            byFamily[fam] = f
            byFile[PathKey(x.path)] = h

            // The listing cap's "N more … not listed" stands for the rule's own findings: one row of
            // the rule, not a problem class of its own with "by hand" for findings that --fix fixes.
            let (kind, stem) = x.unlisted != nil ? (CorpusSummary.unlistedKind, CorpusSummary.unlistedKind) : kindCache[x.message] ?? {
                let k = ProblemKind.of(x.message)
                return (k, ProblemKind.stem(k))
            }()
            if kindCache.count < 50_000 { kindCache[x.message] = (kind, stem) }
            let key = ProblemKey(rule: x.rule, kind: stem)
            var p = byProblem[key] ?? ProblemTally(kind: kind, severity: x.severity)
            // The smallest label of the kind, so the summary does not depend on delivery order.
            if kind < p.kind { p.kind = kind }
            p.findings += u.count
            p.severity = max(p.severity, x.severity)
            if p.lastPath != pathHash, p.seen.insert(pathHash).inserted { p.files += 1 }
            p.lastPath = pathHash
            p.safeFixes += u.safeFixes
            p.unsafeFixes += u.unsafeFixes
            if learnedRules.contains(x.rule), Document.isHTMLPath(x.path) { p.inHTMLFiles += u.count }
            if listLimit > 0 {
                p.samples.append(Finding(path: x.path, line: x.line, column: x.column, endLine: x.endLine, endColumn: x.endColumn,
                                         message: x.message, severity: x.severity, excerpt: nil))
                // Keep the first `listLimit` in output order whatever the delivery order: trim when
                // twice as many have gathered (amortised; usually delivery is already in order).
                if p.samples.count >= trimAt { p.samples = Self.firstInOrder(p.samples, listLimit) }
            }
            byProblem[key] = p

            if fam == "images" { imageFamilyFiles.insert(PathKey(x.path)) }
            if duplicateSlugRules.contains(x.rule) || duplicateContentRules.contains(x.rule) || nearDuplicateRules.contains(x.rule) {
                duplicateFindings.append(x)
            }
        }
    }

    public init(_ acc: Accumulator, profiles: [FileProfile]) {
        var sizes = acc.sizes
        for p in profiles where sizes[PathKey(p.path)] == nil { sizes[PathKey(p.path)] = p.bytes }
        for path in acc.byFile.keys where sizes[path] == nil { sizes[path] = 0 }
        var profileByPath: [PathKey: FileProfile] = [:]
        for p in profiles { profileByPath[PathKey(p.path)] = p }
        files = sizes.count
        bytes = sizes.values.reduce(0, +)
        errors = acc.errors
        warnings = acc.warnings
        infos = acc.infos
        fixableSafe = acc.fixableSafe
        fixableUnsafe = acc.fixableUnsafe
        listLimit = acc.listLimit
        var byFile = acc.byFile
        for path in sizes.keys where byFile[path] == nil { byFile[path] = FileHealth(path: path.path, errors: 0, warnings: 0, infos: 0, score: 100) }
        rules = acc.byRule.values.map { var r = $0; r.seen = []; return r }.sorted { ($0.files, $0.count, $1.rule) > ($1.files, $1.count, $0.rule) }
        families = acc.byFamily.values.sorted { ($0.total, $1.family) > ($1.total, $0.family) }

        var chars = 0
        var health = byFile.values.map { h -> FileHealth in
            var h = h
            h.characters = profileByPath[PathKey(h.path)]?.characters ?? sizes[PathKey(h.path)] ?? 0
            h.density = Self.density(points: h.points, characters: h.characters)
            h.score = Self.score(density: h.density)
            return h
        }
        for h in health { chars += h.characters }
        characters = chars
        health.sort { a, b in
            if a.density != b.density { return a.density > b.density }
            if a.total != b.total { return a.total > b.total }
            return a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
        }
        fileHealth = health
        cleanFiles = health.filter { $0.total == 0 }.count
        let mean = health.isEmpty ? 100 : Double(health.reduce(0) { $0 + $1.score }) / Double(health.count)
        corpusScore = (mean * 10).rounded() / 10

        problems = Self.problems(acc, profiles: profileByPath)
        (timeline, timeUnit, sources) = Self.buckets(health: health, profiles: profileByPath)

        // Corpus profile.
        var p = Profile()
        p.profiled = profiles.count
        let imageFamilyFiles = acc.imageFamilyFiles
        for f in profiles {
            if f.hasFrontMatter { p.withFrontMatter += 1 }
            p.scripts[f.script, default: 0] += 1
            if f.images > 0 { p.withImages += 1 }
            p.images += f.images
            if f.emptyImages > 0 || imageFamilyFiles.contains(PathKey(f.path)) { p.withBrokenImages += 1 }
            if let date = f.date {
                p.dated += 1
                if p.firstDate.map({ date < $0 }) ?? true { p.firstDate = date }
                if p.lastDate.map({ date > $0 }) ?? true { p.lastDate = date }
            }
        }
        let paths = profiles.map(\.path)
        p.slugGroups = Self.groups(key: { $0.slug }, profiles: profiles, diagnostics: acc.duplicateFindings, rules: Self.duplicateSlugRules, paths: paths)
        p.contentGroups = Self.groups(key: { $0.bodyHash }, profiles: profiles, diagnostics: acc.duplicateFindings, rules: Self.duplicateContentRules, paths: paths)
        p.nearGroups = Self.groups(key: { _ in nil }, profiles: profiles, diagnostics: acc.duplicateFindings, rules: Self.nearDuplicateRules, paths: paths)
        profile = p
        clusters = Self.clusters(p, profiles: profileByPath, diagnostics: acc.duplicateFindings)
    }

    package static func problems(_ acc: Accumulator, profiles: [PathKey: FileProfile]) -> [Problem] {
        var list = acc.byProblem.map { key, t -> Problem in
            let samples = Accumulator.firstInOrder(t.samples, acc.listLimit).map { s -> Finding in
                var s = s
                if let line = profiles[PathKey(s.path)]?.lines[s.line] {
                    s.excerpt = Excerpt.cut(line: line, column: s.column, endColumn: s.endLine.map { $0 == s.line } ?? true ? s.endColumn : nil)
                }
                return s
            }
            return Problem(rule: key.rule, family: acc.family(key.rule), kind: t.kind, severity: t.severity, files: t.files,
                           findings: t.findings, safeFixes: t.safeFixes, unsafeFixes: t.unsafeFixes, inHTMLFiles: t.inHTMLFiles,
                           samples: samples, id: "")
        }
        list.sort { a, b in
            if a.impact != b.impact { return a.impact > b.impact }
            if a.files != b.files { return a.files > b.files }
            if a.findings != b.findings { return a.findings > b.findings }
            if a.rule != b.rule { return a.rule < b.rule }
            return a.kind < b.kind
        }
        list = Self.unlistedUnderTheirRules(list)
        for i in list.indices { list[i].id = "p\(i + 1)" }
        return list
    }

    /// `ranked` with each rule's unlisted-findings row moved right after the rule's last other row
    /// (it is part of that rule's findings, not a problem ranked on its own); kept in place when
    /// the rule has no other row.
    package static func unlistedUnderTheirRules(_ ranked: [Problem]) -> [Problem] {
        var last: [String: Int] = [:]
        for (i, p) in ranked.enumerated() where !p.isUnlisted { last[p.rule] = i }
        var unlisted: [String: Problem] = [:]
        for p in ranked where p.isUnlisted && last[p.rule] != nil { unlisted[p.rule] = p }
        var out: [Problem] = []
        out.reserveCapacity(ranked.count)
        for (i, p) in ranked.enumerated() {
            if p.isUnlisted {
                if last[p.rule] == nil { out.append(p) }
                continue
            }
            out.append(p)
            if last[p.rule] == i, let u = unlisted[p.rule] { out.append(u) }
        }
        return out
    }

    package static func buckets(health: [FileHealth], profiles: [PathKey: FileProfile]) -> (timeline: [Bucket], unit: String, sources: [Bucket]) {
        var months: [String: Bucket] = [:]
        var sources: [String: Bucket] = [:]
        func add(_ h: FileHealth, to bucket: inout Bucket) {
            bucket.files += 1
            if h.total > 0 { bucket.filesWithFindings += 1 }
            bucket.characters += h.characters
            bucket.measuredCharacters += max(h.characters, CorpusSummary.minimumCharacters)
            bucket.errors += h.errors
            bucket.warnings += h.warnings
            bucket.infos += h.infos
            bucket.scoreSum += h.score
        }
        let undated = "undated"
        let monthsSeen = Set(health.compactMap { profiles[PathKey($0.path)]?.date.map { $0.prefix(7) } })
        let unit = monthsSeen.count <= 2 ? "day" : "month"
        let root = FileProfile.commonDirectory(health.filter { profiles[PathKey($0.path)]?.source == nil }.map(\.path))
        for h in health {
            let p = profiles[PathKey(h.path)]
            let month = p?.date.map { String($0.prefix(unit == "day" ? 10 : 7)) } ?? undated
            add(h, to: &months[month, default: Bucket(name: month)])
            let source = p?.source ?? FileProfile.directory(h.path, root: root)
            add(h, to: &sources[source, default: Bucket(name: source)])
        }
        let m = months.values.sorted { a, b in
            if (a.name == undated) != (b.name == undated) { return b.name == undated }
            return a.name < b.name
        }
        let s = sources.values.sorted { a, b in
            if a.density != b.density { return a.density > b.density }
            if a.files != b.files { return a.files > b.files }
            return a.name < b.name
        }
        return (m, unit, s)
    }

    /// Duplicate groups with the member to keep: the one a near-duplicate rule names canonical,
    /// else the earliest dated, then the shortest path (as `content-near-duplicate` chooses).
    package static func clusters(_ p: Profile, profiles: [PathKey: FileProfile], diagnostics: [Diagnostic]) -> [Cluster] {
        var named = Set<PathKey>()
        for d in diagnostics where nearDuplicateRules.contains(d.rule) && d.message.hasPrefix("canonical member") { named.insert(PathKey(d.path)) }
        func make(_ kind: Cluster.Kind, _ group: [String]) -> Cluster {
            let canonical = group.first { named.contains(PathKey($0)) } ?? group.min { a, b in
                let da = profiles[PathKey(a)]?.date ?? "9999", db = profiles[PathKey(b)]?.date ?? "9999"
                if da != db { return da < db }
                if a.utf8.count != b.utf8.count { return a.utf8.count < b.utf8.count }
                return a.bytesPrecede(b)
            } ?? group[0]
            return Cluster(kind: kind, canonical: canonical, members: [canonical] + group.filter { !$0.hasSameBytes(as: canonical) })
        }
        let all = p.contentGroups.map { make(.identical, $0) } + p.nearGroups.map { make(.nearDuplicate, $0) } + p.slugGroups.map { make(.slug, $0) }
        return all.sorted { a, b in
            if a.members.count != b.members.count { return a.members.count > b.members.count }
            return a.canonical.bytesPrecede(b.canonical)
        }
    }

    /// Groups of files sharing `key`, joined with groups named by duplicate-rule diagnostics
    /// (a diagnostic on file A whose message mentions file B links A and B).
    package static func groups(key: (FileProfile) -> String?, profiles: [FileProfile], diagnostics: [Diagnostic], rules: Set<String>, paths: [String]) -> [[String]] {
        var parent: [PathKey: PathKey] = [:]
        func find(_ x: PathKey) -> PathKey {
            var r = x
            while let p = parent[r], p != r { r = p }
            // Path compression: chains built in descending path order would make finds quadratic.
            var y = x
            while let p = parent[y], p != r { parent[y] = r; y = p }
            return r
        }
        func union(_ a: PathKey, _ b: PathKey) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { if ra < rb { parent[rb] = ra } else { parent[ra] = rb } }
        }
        var firstWithKey: [String: PathKey] = [:]
        for f in profiles {
            guard let k = key(f) else { continue }
            if let other = firstWithKey[k] { union(other, PathKey(f.path)) } else { firstWithKey[k] = PathKey(f.path) }
        }
        // Known paths occurring in a message: look up the message's substrings of the lengths known
        // paths have (a few distinct lengths), instead of searching every message for every path
        // (files × findings string searches took hours on 100k files).
        var known: [Int: Set<ArraySlice<UInt8>>] = [:]
        for path in paths { known[path.utf8.count, default: []].insert(ArraySlice(path.utf8)) }
        let lengths = known.keys.sorted()
        for x in diagnostics where rules.contains(x.rule) {
            let path = PathKey(x.path)
            if parent[path] == nil { parent[path] = path }
            let message = Array(x.message.utf8)
            for start in message.indices {
                for n in lengths {
                    guard start + n <= message.count else { break }
                    let piece = message[start..<(start + n)]
                    if known[n]?.contains(piece) == true, let other = String(validating: piece, as: UTF8.self), !other.hasSameBytes(as: x.path) {
                        union(path, PathKey(other))
                    }
                }
            }
        }
        var members: [PathKey: [PathKey]] = [:]
        for x in parent.keys { members[find(x), default: []].append(x) }
        return members.values.filter { $0.count > 1 }.map { $0.sorted().map(\.path) }.sorted { $0[0].bytesPrecede($1[0]) }
    }
}

extension CorpusSummary.Problem {
    /// The command that resolves the problem, or lists it for review.
    public func command(scope: [String]) -> String {
        let target = scope.isEmpty ? "." : scope.map(ShellQuote.quote).joined(separator: " ")
        switch remedy {
        case .fix: return "newslint --fix --select \(rule) \(target)"
        // A shell comment says what the command cannot: it is copied and run as it stands.
        case .unsafeFix: return "newslint --fix --unsafe-fixes --select \(rule) \(target)  # applies all of \(rule)'s fixes, not only this class's: --diff previews them"
        case .learn:
            return "newslint learn -o rule-packs/learned.json \(target)  # review it, list rule-packs under \"rulePacks\" in the config, then: "
                + "newslint --fix --unsafe-fixes --select learned-boilerplate \(target)"
        case .manual: return "newslint --select \(rule) --format jsonl \(target)"
        }
    }

    /// What the remedy does, in words.
    public var remedyText: String {
        let all = resolved == findings
        switch remedy {
        case .fix: return all ? "--fix" : "--fix (\(resolved) of \(findings))"
        case .unsafeFix: return all ? "--unsafe-fixes" : "--unsafe-fixes (\(resolved) of \(findings))"
        case .learn: return all ? "learn (rule pack)" : "learn (rule pack; \(resolved) of \(findings): not lines of HTML files)"
        case .manual:
            // A learned pack finds these lines but may not delete them (they carry markup).
            return isLearnable && inHTMLFiles > 0 ? "by hand (lines of HTML files, which a rule pack may not delete: remove them in the scraper)" : "by hand"
        }
    }
}

/// POSIX shell quoting for suggested commands.
package enum ShellQuote {
    package static func quote(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_./:=@,+%".unicodeScalars.contains($0) }
        if safe && !s.isEmpty { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
