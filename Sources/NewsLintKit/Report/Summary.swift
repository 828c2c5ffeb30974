import Foundation

/// The corpus health summary behind `newslint report` and `lint --summary`.
///
/// Health score of a file: `max(0, 100 − 10·errors − 3·warnings − 1·info)`, so a clean
/// file scores 100, one error costs as much as three or four warnings, and ten errors
/// (or 34 warnings) bottom out at 0. The corpus score is the mean of the file scores
/// (every file weighs the same, however long), rounded to one decimal.
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
        var seen: Set<UInt64> = []
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
        public var total: Int { errors + warnings + infos }
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
        public var dated = 0
        public var firstDate: String?
        public var lastDate: String?
    }

    public var files: Int
    public var bytes: Int
    public var errors: Int
    public var warnings: Int
    public var infos: Int
    public var fixableSafe: Int
    public var fixableUnsafe: Int
    public var rules: [RuleCount]
    public var families: [FamilyCount]
    /// Every file, worst first (lowest score, then most diagnostics, then path).
    public var fileHealth: [FileHealth]
    public var corpusScore: Double
    public var cleanFiles: Int
    public var profile: Profile

    public var total: Int { errors + warnings + infos }

    public static func score(errors: Int, warnings: Int, infos: Int) -> Int {
        max(0, 100 - 10 * errors - 3 * warnings - infos)
    }

    /// Rules whose diagnostics name duplicate groups (from the cross-file family), if present.
    public static let duplicateSlugRules: Set<String> = ["slug-duplicate"]
    public static let duplicateContentRules: Set<String> = ["content-duplicate"]

    public init(result: LintResult, catalog: Catalog, profiles: [FileProfile]) {
        var acc = Accumulator(catalog: catalog)
        for f in result.files { acc.addFile(path: f.path, byteCount: f.byteCount) }
        for x in result.diagnostics { acc.add(x) }
        self.init(acc, profiles: profiles)
    }

    /// Everything the summary needs from the diagnostics, accumulated one diagnostic at a time so a
    /// streamed run never holds them: counts per rule, family and file, and the few duplicate-rule
    /// findings that name groups.
    public struct Accumulator {
        let catalog: Catalog
        var sizes: [String: Int] = [:]
        var errors = 0, warnings = 0, infos = 0, fixableSafe = 0, fixableUnsafe = 0
        var byRule: [String: RuleCount] = [:]
        var byFamily: [String: FamilyCount] = [:]
        var byFile: [String: FileHealth] = [:]
        var imageFamilyFiles = Set<String>()
        var duplicateFindings: [Diagnostic] = []

        public init(catalog: Catalog) { self.catalog = catalog }

        func family(_ rule: String) -> String { catalog.metadata(rule)?.family ?? "other" }

        public mutating func addFile(path: String, byteCount: Int) { sizes[path] = max(sizes[path] ?? 0, byteCount) }

        public mutating func add(_ x: Diagnostic) {
            switch x.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .info: infos += 1
            }
            if x.fix?.applicability == .safe { fixableSafe += 1 }
            if x.fix?.applicability == .unsafe { fixableUnsafe += 1 }
            let fam = family(x.rule)
            var r = byRule[x.rule] ?? RuleCount(rule: x.rule, family: fam, count: 0, errors: 0, warnings: 0, infos: 0, fixable: 0)
            var f = byFamily[fam] ?? FamilyCount(family: fam, errors: 0, warnings: 0, infos: 0)
            var h = byFile[x.path] ?? FileHealth(path: x.path, errors: 0, warnings: 0, infos: 0, score: 100)
            r.count += 1
            if r.seen.insert(StableHash.fnv1a64(x.path)).inserted { r.files += 1 }
            if x.fix != nil { r.fixable += 1 }
            switch x.severity {
            case .error: r.errors += 1; f.errors += 1; h.errors += 1
            case .warning: r.warnings += 1; f.warnings += 1; h.warnings += 1
            case .info: r.infos += 1; f.infos += 1; h.infos += 1
            }
            byRule[x.rule] = r
            byFamily[fam] = f
            byFile[x.path] = h
            if fam == "images" { imageFamilyFiles.insert(x.path) }
            if duplicateSlugRules.contains(x.rule) || duplicateContentRules.contains(x.rule) { duplicateFindings.append(x) }
        }
    }

    public init(_ acc: Accumulator, profiles: [FileProfile]) {
        var sizes = acc.sizes
        for p in profiles where sizes[p.path] == nil { sizes[p.path] = p.bytes }
        for path in acc.byFile.keys where sizes[path] == nil { sizes[path] = 0 }
        files = sizes.count
        bytes = sizes.values.reduce(0, +)
        errors = acc.errors
        warnings = acc.warnings
        infos = acc.infos
        fixableSafe = acc.fixableSafe
        fixableUnsafe = acc.fixableUnsafe
        let byRule = acc.byRule
        let byFamily = acc.byFamily
        var byFile = acc.byFile
        for path in sizes.keys where byFile[path] == nil { byFile[path] = FileHealth(path: path, errors: 0, warnings: 0, infos: 0, score: 100) }
        rules = byRule.values.map { var r = $0; r.seen = []; return r }.sorted { ($0.files, $0.count, $1.rule) > ($1.files, $1.count, $0.rule) }
        families = byFamily.values.sorted { ($0.total, $1.family) > ($1.total, $0.family) }
        var health = byFile.values.map { h -> FileHealth in
            var h = h
            h.score = Self.score(errors: h.errors, warnings: h.warnings, infos: h.infos)
            return h
        }
        health.sort { a, b in
            if a.score != b.score { return a.score < b.score }
            if a.total != b.total { return a.total > b.total }
            return a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
        }
        fileHealth = health
        cleanFiles = health.filter { $0.total == 0 }.count
        let mean = health.isEmpty ? 100 : Double(health.reduce(0) { $0 + $1.score }) / Double(health.count)
        corpusScore = (mean * 10).rounded() / 10

        // Corpus profile.
        var p = Profile()
        p.profiled = profiles.count
        let imageFamilyFiles = acc.imageFamilyFiles
        for f in profiles {
            if f.hasFrontMatter { p.withFrontMatter += 1 }
            p.scripts[f.script, default: 0] += 1
            if f.images > 0 { p.withImages += 1 }
            p.images += f.images
            if f.emptyImages > 0 || imageFamilyFiles.contains(f.path) { p.withBrokenImages += 1 }
            if let date = f.date {
                p.dated += 1
                if p.firstDate.map({ date < $0 }) ?? true { p.firstDate = date }
                if p.lastDate.map({ date > $0 }) ?? true { p.lastDate = date }
            }
        }
        let paths = profiles.map(\.path)
        p.slugGroups = Self.groups(key: { $0.slug }, profiles: profiles, diagnostics: acc.duplicateFindings, rules: Self.duplicateSlugRules, paths: paths)
        p.contentGroups = Self.groups(key: { $0.bodyHash }, profiles: profiles, diagnostics: acc.duplicateFindings, rules: Self.duplicateContentRules, paths: paths)
        profile = p
    }

    /// Groups of files sharing `key`, joined with groups named by duplicate-rule diagnostics
    /// (a diagnostic on file A whose message mentions file B links A and B).
    static func groups(key: (FileProfile) -> String?, profiles: [FileProfile], diagnostics: [Diagnostic], rules: Set<String>, paths: [String]) -> [[String]] {
        var parent: [String: String] = [:]
        func find(_ x: String) -> String {
            var r = x
            while let p = parent[r], p != r { r = p }
            return r
        }
        func union(_ a: String, _ b: String) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { if ra < rb { parent[rb] = ra } else { parent[ra] = rb } }
        }
        var firstWithKey: [String: String] = [:]
        for f in profiles {
            guard let k = key(f) else { continue }
            if let other = firstWithKey[k] { union(other, f.path) } else { firstWithKey[k] = f.path }
        }
        // Known paths occurring in a message: look up the message's substrings of the lengths known
        // paths have (a few distinct lengths), instead of searching every message for every path
        // (files × findings string searches took hours on 100k files).
        var known: [Int: Set<ArraySlice<UInt8>>] = [:]
        for path in paths { known[path.utf8.count, default: []].insert(ArraySlice(path.utf8)) }
        let lengths = known.keys.sorted()
        for x in diagnostics where rules.contains(x.rule) {
            if parent[x.path] == nil { parent[x.path] = x.path }
            let message = Array(x.message.utf8)
            for start in message.indices {
                for n in lengths {
                    guard start + n <= message.count else { break }
                    let piece = message[start..<(start + n)]
                    if known[n]?.contains(piece) == true, let other = String(validating: piece, as: UTF8.self), other != x.path {
                        union(x.path, other)
                    }
                }
            }
        }
        var members: [String: [String]] = [:]
        for x in parent.keys { members[find(x), default: []].append(x) }
        return members.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }
}

