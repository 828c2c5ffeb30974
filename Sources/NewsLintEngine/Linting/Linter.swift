import Foundation
import Synchronization
import NewsLintCore
import NewsLintRules

/// What `--fix` may apply.
public enum FixMode: Sendable, Equatable {
    case none
    /// Apply fixes up to and including this applicability.
    case apply(Applicability)
    /// Compute fixes but write nothing (`--diff`).
    case preview(Applicability)

    package var allowed: Applicability? {
        switch self {
        case .none: return nil
        case let .apply(a), let .preview(a): return a
        }
    }
    package var writes: Bool { if case .apply = self { return true } else { return false } }
}

/// Settings for one lint run (from the command line).
public struct LintSettings: Sendable {
    public var jobs: Int = activeCoreCount
    public var fix: FixMode = .none
    public var filter = RuleFilter()
    /// Directory relative input paths are resolved against (default: the process's current directory).
    public var baseDirectory: String = FileManager.default.currentDirectoryPath
    /// Probes and services for rules that need the outside world (images); tests inject fakes.
    public var environment = LintEnvironment()
    /// Per-file result cache (`--cache`); used only when not fixing.
    public var cache: LintCache?
    /// Run the cross-file reduce phase after linting (off for shards: `merge` does it).
    public var finishCrossFile = true
    /// When set, `--fix` writes only files whose resolved location lies within these canonical roots.
    public var writableRoots: [String]?
    /// `--fix-hardlinks`: fix files with several hard links in place instead of refusing.
    public var fixHardLinks = false
    /// Findings kept per rule per file (the rest become one finding with their count); nil: no cap.
    /// Not applied while fixing, where every fix counts.
    public var maxFindingsPerRule: Int? = 1000
    /// Seconds of rule time per file after which the remaining rules are skipped (a `file-skipped`
    /// finding names the rule that ran over); nil: no budget.
    public var fileTimeBudget: Double? = 30
    /// Per-document facts a caller above the engine wants from the same pass (the corpus profile
    /// of `--summary` and `report`), so no later step reads the files again.
    public var documentProfiler: DocumentProfiler?
    /// Keep the source lines the file's diagnostics point at (reporters quoting them, such as
    /// the text format's code frames, then need not read the file again).
    public var captureSourceLines = false
    /// Bytes of encoded cross-file facts each rule keeps in memory before they go to a temporary file.
    public var factMemoryBudget = 1 << 19
    /// Bytes of one rule's stored facts from which its reduce runs alone, not beside another large
    /// one: two at once held both working sets (`OrderedReduce`). By default (nil)
    /// `defaultReduceAloneBytes`, or the facts' memory budget when that is larger.
    public var reduceAloneBytes: Int?
    /// Why 32 MB: below it, two reduces side by side hold little more than one (peak RSS of the
    /// synthetic corpus at 160k files 44.2 MB with every reduce of more than 512 KB alone, 44.0 MB
    /// with this; at 40k files 35.2 → 37.7 MB), and at agora ×10 the reduces, which ran almost all on
    /// the output's thread after the pass, share both threads. Past it (a corpus of millions of
    /// files) a reduce's working set grows with the corpus, and such reduces still run one at a time.
    public static let defaultReduceAloneBytes = 32 << 20
    /// Called with a file's location after its fixes are worked out and before they are written
    /// (tests change the file there, as an editor saving meanwhile would). nil outside tests.
    package var beforeFixIsWritten: (@Sendable (String) -> Void)?
    public init() {}
}

/// Computes a caller's facts about one linted document (in the pass, from the text as it stands
/// after fixes); the engine only carries the value to the delivery.
public typealias DocumentProfiler = @Sendable (Document) -> any Sendable

/// An input to lint: a file on disk or text from stdin under a display name.
public enum LintInput: Sendable {
    case file(String)
    case text(path: String, bytes: [UInt8])

    public var path: String {
        switch self {
        case let .file(p): return p
        case let .text(p, _): return p
        }
    }
}

/// A run's inputs: some kept as given (texts from stdin, or everything when built from an array),
/// then the files discovery found as a compact `PathList`, so a run does not hold a `String` per
/// file. Reads as a collection of `LintInput`.
public struct LintInputList: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral {
    private var given: [LintInput] = []
    private var files = PathList()

    /// `texts` first, then `files` (as the command line gathers them: stdin, then discovery).
    public init(texts: [LintInput] = [], files: PathList = PathList()) {
        given = texts
        self.files = files
    }

    /// Exactly these inputs, in this order.
    public init<S: Sequence>(_ inputs: S) where S.Element == LintInput { given = Array(inputs) }

    public init(arrayLiteral elements: LintInput...) { self.init(elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { given.count + files.count }
    public subscript(i: Int) -> LintInput { i < given.count ? given[i] : .file(files[i - given.count]) }

    /// Why discovered paths could not be read back from their temporary file (`PathList.readFailure`).
    public var pathReadFailure: String? { files.readFailure }

    /// Whether every path sorts after the one before it (bytewise), known from discovery's list
    /// without decoding its paths: only the inputs given as they are are compared.
    public var pathsStrictlyIncrease: Bool {
        guard files.isStrictlyIncreasing else { return false }
        var previous: String?
        for input in given {
            if let previous, !previous.bytesPrecede(input.path) { return false }
            previous = input.path
        }
        if let previous, let first = files.first, !previous.bytesPrecede(first) { return false }
        return true
    }

    /// The inputs `isIncluded` keeps, in order.
    public func filter(keeping isIncluded: (LintInput) -> Bool) -> LintInputList {
        var kept = PathList()
        for path in files where isIncluded(.file(path)) { kept.append(path) }
        return LintInputList(texts: given.filter(isIncluded), files: kept)
    }
}

/// Per-file outcome.
public struct FileOutcome: Sendable {
    public var path: String
    /// For a cache hit, decoded from `spilledDiagnostics` on each read (the run's own delivery
    /// hands those bytes to the output spill without reading this).
    public var diagnostics: [Diagnostic] {
        get {
            guard let spilled = spilledDiagnostics else { return decodedDiagnostics }
            return spilled.decode(path: path, knownStrings: knownStrings) ?? []
        }
        set {
            decodedDiagnostics = newValue
            spilledDiagnostics = nil
        }
    }
    private var decodedDiagnostics: [Diagnostic]

    /// Hands a linted file's findings on as the bytes its new cache entry holds them in
    /// (`LintCache.record`), as a hit's are: the output spill copies them instead of encoding them again.
    package mutating func handOver(_ stored: SpilledDiagnostics, knownStrings: KnownStrings) {
        decodedDiagnostics = []
        spilledDiagnostics = stored
        self.knownStrings = knownStrings
    }

    /// Sorts a linted file's diagnostics into output order where they are (a cache hit's are
    /// stored in that order). Through `diagnostics`' setter, the sort copied every finding out of
    /// the array its getter shared, and destroyed the old ones.
    package mutating func putDiagnosticsInOutputOrder() {
        guard spilledDiagnostics == nil else { return }
        Diagnostic.sortInOutputOrder(&decodedDiagnostics)
    }
    /// A cache hit's diagnostics (in output order) as the output spill's record bytes, as the
    /// cache entry stores them (framing checked on the worker); `knownStrings`: strings they likely hold (rule ids).
    package var spilledDiagnostics: SpilledDiagnostics?
    package var knownStrings = KnownStrings()
    /// Cross-file facts held as values, by index into the rule set's `crossFile`: a merged run's,
    /// a cache hit's decoded ones, and those a pass could not write as records (`factRecords` holds
    /// the others). Not all of a linted file's facts: `Linter.facts(of:)` reads both.
    public var boxedFacts: [(rule: Int, fact: any Sendable)]
    /// The facts of a file the pass linted that have a record form, as the worker wrote them: the
    /// bytes their columns and the cache keep (see `FileFactRecords`).
    package var factRecords = FileFactRecords()
    public var byteCount: Int
    /// Boxed: only `--fix`/`--diff` runs have one, and an inline optional would triple the size of
    /// every outcome kept until output (the dominant per-file memory cost on large corpora).
    public var fix: FileFixOutcome? {
        get { fixBox?.value }
        set { fixBox = newValue.map(FixBox.init) }
    }
    public var ioFailure: Bool
    /// Digest of this file's cached facts when the outcome went through the cache (nil otherwise):
    /// a run whose every file has one can reuse the cached cross-file result for the same digests.
    public var factDigest: UInt64?
    /// The lines the diagnostics point at and those cross-file findings on the file would
    /// (`CrossFileRule.quotedLine`), by number (with `settings.captureSourceLines`).
    public var sourceLines: [Int: String]?
    /// `settings.documentProfiler`'s value for this document (nil without one, or when the file
    /// was not read by the pass: skipped, unreadable, or answered by the cache).
    public var profile: (any Sendable)? {
        get { profileBox?.value }
        set { profileBox = newValue.map(ProfileBox.init) }
    }
    /// Suppression regions of the document for cross-file findings (nil when it has none), and
    /// whether the pass knows them (false for cache hits: their text was not read).
    package var suppressions: [Suppressions.Region]?
    package var suppressionsKnown = false
    /// Answered by the lint cache: the file was not read in this run (an empty file included).
    package var answeredFromCache = false
    /// The result depends on how long the run took, not only on the file: a rule was stopped by
    /// the per-file time budget or a regex search was abandoned at its limit. Not cached.
    package var dependsOnTiming = false
    /// For a cache hit, where its entry's facts are in the cache file (`CacheEntry.factsInCache`).
    package var cachedFactsLocation: CachedFactsLocation?
    /// A cache hit whose facts were left in the cache file unread (`cachedFactsLocation`).
    package var factsLeftUnread = false
    /// For cache hits, the facts of rules whose columns store the cache's form as it is
    /// (`keepsCachedFactBytes`): by rule index, the bytes the cache holds (`encodeCachedFact`),
    /// never decoded in this run. The entry's checksum vouches for them; `facts` has the others.
    package var cachedFacts: [(rule: Int, bytes: ArraySlice<UInt8>)] = []
    private var fixBox: FixBox?
    private var profileBox: ProfileBox?

    public init(path: String, diagnostics: [Diagnostic], facts: [(rule: Int, fact: any Sendable)], byteCount: Int,
                fix: FileFixOutcome?, ioFailure: Bool) {
        self.path = path
        self.decodedDiagnostics = diagnostics
        self.boxedFacts = facts
        self.byteCount = byteCount
        self.ioFailure = ioFailure
        self.fixBox = fix.map(FixBox.init)
    }

    /// A cache hit's outcome with every field set where it is built: assembled in a local and
    /// then returned, it was copied twice per hit (~560 instructions and a retain and release of
    /// each of its references).
    fileprivate init(cacheHit path: String, diagnostics: [Diagnostic], spilled: SpilledDiagnostics?, knownStrings: KnownStrings,
                     facts: [(rule: Int, fact: any Sendable)], cachedFacts: [(rule: Int, bytes: ArraySlice<UInt8>)],
                     byteCount: Int, factDigest: UInt64?, cachedFactsLocation: CachedFactsLocation?, factsLeftUnread: Bool,
                     suppressions: [Suppressions.Region]?, suppressionsKnown: Bool) {
        self.path = path
        self.decodedDiagnostics = diagnostics
        self.spilledDiagnostics = spilled
        self.knownStrings = knownStrings
        self.boxedFacts = facts
        self.cachedFacts = cachedFacts
        self.byteCount = byteCount
        self.ioFailure = false
        self.factDigest = factDigest
        self.answeredFromCache = true
        self.cachedFactsLocation = cachedFactsLocation
        self.factsLeftUnread = factsLeftUnread
        self.suppressions = suppressions
        self.suppressionsKnown = suppressionsKnown
    }

    private final class ProfileBox: Sendable {
        let value: any Sendable
        init(_ value: any Sendable) { self.value = value }
    }

    private final class FixBox: Sendable {
        let value: FileFixOutcome
        init(_ value: FileFixOutcome) { self.value = value }
    }
}

/// The result of a run.
public struct LintResult: Sendable {
    /// All diagnostics, sorted by path, line, column, rule.
    public var diagnostics: [Diagnostic]
    public var files: [FileOutcome]
    public var ioFailure: Bool
    public var fixSummary: FixSummary
    package init(diagnostics: [Diagnostic], files: [FileOutcome], ioFailure: Bool, fixSummary: FixSummary) {
        self.diagnostics = diagnostics
        self.files = files
        self.ioFailure = ioFailure
        self.fixSummary = fixSummary
    }

    public func count(_ severity: Severity) -> Int { diagnostics.filter { $0.severity == severity }.count }
}

/// One file's cross-file facts (kept for the reduce phase; everything else about a file is streamed).
public struct FileFacts: Sendable {
    public var path: String
    /// By index into the rule set's `crossFile`.
    public var facts: [(rule: Int, fact: any Sendable)]
    package init(path: String, facts: [(rule: Int, fact: any Sendable)]) {
        self.path = path
        self.facts = facts
    }
}

/// Cross-file facts of a run, one typed column per cross-file rule: no per-file container or
/// per-fact box survives the file (on large corpora the facts are most of what a streamed run
/// keeps), and each rule's column is released once its reduce phase has run.
/// Mutated only by the engine's delivery (one thread at a time).
public struct CrossFileFacts: @unchecked Sendable {
    /// Paths of the files that have facts, in delivery order: their numbers among the run's inputs
    /// (4 bytes a file, the inputs keep the paths) or, for facts not from a run, a list of their own.
    private var inputs: LintInputList?
    /// File i's input number (usually `i`: every input had facts, and nothing is stored).
    private var inputNumbers = IdentityNumberList()
    private var ownPaths = PathList()
    private var previousPath: String?
    private var pathsIncrease = true
    /// Whether the run's inputs are strictly increasing by path (then input numbers order them).
    private var inputsIncrease = false
    private var previousInput: Int?
    public private(set) var count = 0
    /// By cross-file rule index.
    package let columns: [any FactColumn]

    /// `memoryBudget`: bytes of encoded facts each rule's column keeps in memory before its temporary file.
    public init(rules: [any ErasedCrossFileRule], memoryBudget: Int = 1 << 19) {
        columns = rules.map { $0.makeFactColumn(memoryBudget: memoryBudget) }
    }

    /// Facts of a run over `inputs`, added with each file's input number.
    package init(rules: [any ErasedCrossFileRule], memoryBudget: Int, inputs: LintInputList) {
        self.init(rules: rules, memoryBudget: memoryBudget)
        self.inputs = inputs
        inputsIncrease = inputs.pathsStrictlyIncrease
    }

    /// `input`: the file's number among the run's inputs (its path is then not stored again).
    /// `cached`: facts as the lint cache's bytes (`FileOutcome.cachedFacts`), stored as they are.
    public mutating func add(path: String, input: Int? = nil, facts: [(rule: Int, fact: any Sendable)],
                             cached: [(rule: Int, bytes: ArraySlice<UInt8>)] = []) {
        add(path: path, input: input, facts: facts, cached: cached, records: FileFactRecords())
    }

    /// `records`: facts as the pass's worker wrote them (`FileOutcome.factRecords`), stored as
    /// they are, like the cache's bytes.
    package mutating func add(path: String, input: Int? = nil, facts: [(rule: Int, fact: any Sendable)],
                              cached: [(rule: Int, bytes: ArraySlice<UInt8>)], records: FileFactRecords) {
        guard !facts.isEmpty || !cached.isEmpty || !records.isEmpty else { return }
        let file = count
        // `inputs?.` in place: binding the list copied it (its arrays retained and released per file).
        if let input, inputs?.indices.contains(input) == true, ownPaths.isEmpty {
            // Inputs in strictly increasing path order, delivered in increasing input order: no
            // path comparison per file.
            if !(inputsIncrease && (previousInput.map { $0 < input } ?? true)),
               let previousPath, !previousPath.bytesPrecede(path) { pathsIncrease = false }
            previousInput = input
            inputNumbers.append(input)
        } else {
            // Facts not from a run's inputs: every path goes into the own list from here on.
            if file > 0, ownPaths.isEmpty, let inputs {
                for i in 0..<file { ownPaths.append(inputs[inputNumbers[i]].path) }
                inputNumbers = IdentityNumberList()
            }
            if let previousPath, !previousPath.bytesPrecede(path) { pathsIncrease = false }
            previousInput = nil
            ownPaths.append(path)
        }
        previousPath = path
        count += 1
        // One copy of each pair (reading its fields by index, through the array or its buffer, copied
        // the pair, existential and all, once per field).
        for f in facts where columns.indices.contains(f.rule) { columns[f.rule].append(file: file, fact: f.fact) }
        for f in cached where columns.indices.contains(f.rule) { columns[f.rule].append(file: file, cachedBytes: f.bytes) }
        let columns = self.columns
        records.forEach { rule, bytes in
            if columns.indices.contains(rule) { columns[rule].append(file: file, cachedBytes: bytes) }
        }
    }

    /// Why reduces could not read their facts back (one message per rule; empty when all did), or
    /// the paths of the files (their findings then name files wrongly): the run is then an I/O failure.
    public var readFailures: [String] {
        columns.compactMap(\.readFailure) + [inputs?.pathReadFailure, ownPaths.readFailure].compactMap { $0 }
    }

    /// Why the paths could not be read back, asked later than `readFailures`: findings made from a
    /// recipe (`DeferredFindings`) read paths only when they are written, e.g. into the cache's
    /// cross-file result after the reduce (and these facts) are gone.
    package var pathReadFailureCheck: @Sendable () -> String? {
        let inputs = inputs, ownPaths = ownPaths
        return { inputs?.pathReadFailure ?? ownPaths.readFailure }
    }

    /// Paths by file number (delivery order).
    public var paths: FactPaths {
        if ownPaths.isEmpty, let inputs {
            let numbers = inputNumbers
            return FactPaths(count: count, isStrictlyIncreasing: pathsIncrease) { inputs[numbers[$0]].path }
        }
        let own = ownPaths
        return FactPaths(count: count, isStrictlyIncreasing: pathsIncrease) { own[$0] }
    }

    /// Per-file facts (rule order within a file), as `FactsFile` writes them.
    public var files: [FileFacts] {
        let paths = self.paths
        var out = (0..<count).map { FileFacts(path: paths[$0], facts: []) }
        for (rule, column) in columns.enumerated() {
            for i in 0..<column.count {
                let e = column.entry(i)
                out[e.file].facts.append((rule, e.fact))
            }
        }
        return out
    }
}

/// What a streamed run keeps: aggregates and facts, not per-file diagnostics.
public struct StreamedLint: Sendable {
    /// Cross-file diagnostics (sorted; empty when `finishCrossFile` is off).
    public var crossFile: [Diagnostic] = []
    /// Facts of the files that have any (consumed by the reduce phase when it runs).
    public var facts: CrossFileFacts
    public var fileCount = 0
    public var ioFailure = false
    public var fixSummary = FixSummary()
    /// Suppression regions the pass found, for the cross-file findings of the reduce phase.
    public var suppressions = CrossFileSuppressions()
}

/// A cache entry its stamp did not answer (`Linter.cachedOutcomeByStamp`), kept for the
/// content-hash check. Boxed: an optional entry was copied and destroyed through the runtime's
/// generic witnesses (~300 instructions each) on every hit.
private final class UnstampedEntry {
    var entry: CacheEntry
    init(_ entry: CacheEntry) { self.entry = entry }
}

/// Lints documents with a configuration; the heart of the library.
public final class Linter: Sendable {
    public let catalog: Catalog
    public let config: Configuration
    public let settings: LintSettings
    public let baseRules: RuleSet
    /// `settings.environment` completed from the config (image settings, online checker).
    public let environment: LintEnvironment
    private let overrideRuleSets: Locked<[[Int]: RuleSet]>
    /// Every configuration of the run (nested `.lint.json` files); `config` is the first.
    public let configurations: ConfigSet
    /// Ids of the base rules (per-file, then cross-file): what cache entries name, shared by their decodes.
    private let ruleIDs: KnownStrings
    /// By cross-file rule index: its id, and whether its column keeps a cache hit's fact bytes.
    private let crossFileIDs: [String]
    private let crossFileKeepsBytes: [Bool]
    /// Ids of the rules whose findings mark lines as reported by a pattern pack (`boilerplate` and
    /// the `pack` family): compared, not looked up, per file (hashing the id in the catalog's index
    /// was 0.2% of a run's time). A set when packs bring many rules.
    private let packRuleIDs: [String]
    private let packRuleIDSet: Set<String>
    /// No nested configuration and no override: every file has `baseRules` (`rules(for:)`).
    private let rulesAreUniform: Bool
    /// `settings.fileTimeBudget` as the elapsed nanoseconds from which it is spent
    /// (`fewestNanosecondsOver`; `.max` without a budget), found once a run.
    private let fileBudgetSpentFrom: UInt64
    /// `settings.fileTimeBudget` in nanoseconds, for each file's deadline (`DiagnosticSink.deadline`),
    /// converted once a run, not once per file; nil without a budget.
    private let fileBudgetNanoseconds: UInt64?

    /// `configurations`: per-file configs (nested `.lint.json`); nil: `config` for every file.
    public init(catalog: Catalog, config: Configuration, settings: LintSettings, configurations: ConfigSet? = nil) throws {
        self.catalog = catalog
        self.config = config
        self.settings = settings
        self.configurations = configurations ?? ConfigSet(single: config)
        self.environment = try settings.environment.prepared(config: config, baseDirectory: settings.baseDirectory)
        self.baseRules = try RuleSet.build(catalog: catalog, config: config, filter: settings.filter)
        self.crossFileIDs = baseRules.crossFile.map(\.id)
        self.crossFileKeepsBytes = baseRules.crossFile.map(\.rule.keepsCachedFactBytes)
        self.ruleIDs = KnownStrings(baseRules.perFile.map(\.id) + crossFileIDs)
        self.packRuleIDs = ["boilerplate"] + catalog.rules.filter { $0.family == "pack" && $0.id != "boilerplate" }.map(\.id)
        self.packRuleIDSet = Set(packRuleIDs)
        self.rulesAreUniform = self.configurations.configurations.count <= 1 && config.overrides.isEmpty
        self.fileBudgetSpentFrom = settings.fileTimeBudget.map(Self.fewestNanosecondsOver) ?? .max
        self.fileBudgetNanoseconds = settings.fileTimeBudget.map { UInt64(max(0, $0) * 1e9) }
        // Validate every override's rule set up front so errors surface before linting.
        var cache: [[Int]: RuleSet] = [:]
        var errors: [ConfigError] = []
        for i in config.overrides.indices {
            do { cache[[i]] = try RuleSet.build(catalog: catalog, config: config, overrides: [i], filter: settings.filter) } catch let e as ConfigError { errors += e.all }
        }
        // Nested configurations: keyed by [-(index + 1)] + overrides, built and validated up front too.
        for (index, nested) in self.configurations.configurations.enumerated().dropFirst() {
            for overrides in [[]] + nested.overrides.indices.map({ [$0] }) {
                do {
                    cache[[-(index + 1)] + overrides] = try RuleSet.build(catalog: catalog, config: nested, overrides: overrides, filter: settings.filter)
                } catch let e as ConfigError { errors += e.all }
            }
        }
        if let first = errors.first { throw ConfigError.combined(first, Array(errors.dropFirst())) }
        self.overrideRuleSets = Locked(cache)
    }

    /// The configuration that applies to a file (absolute path).
    public func configuration(for location: String) -> Configuration {
        configurations.configurations[configurations.index(forFile: location)]
    }

    /// The rules for a given file (overrides applied).
    public func rules(for path: String) -> RuleSet {
        let index = configurations.index(forFile: path)
        if index > 0 { return rules(for: path, nested: index) }
        let matching = config.matchingOverrides(path)
        if matching.isEmpty { return baseRules }
        if let cached = overrideRuleSets.withLock({ $0[matching] }) { return cached }
        do {
            let built = try RuleSet.build(catalog: catalog, config: config, overrides: matching, filter: settings.filter)
            overrideRuleSets.withLock { $0[matching] = built }
            return built
        } catch {
            // Each override was validated alone; this combination is not. Say so for the file
            // (an io-error finding, exit 2) instead of silently linting with the base rules.
            var failed = baseRules
            failed.configurationError = "invalid configuration for this file (overrides \(matching.map { String($0) }.joined(separator: ", ")) combined): \(error)"
            overrideRuleSets.withLock { $0[matching] = failed }
            return failed
        }
    }

    /// The rules for a file under a nested configuration.
    private func rules(for path: String, nested index: Int) -> RuleSet {
        let nested = configurations.configurations[index]
        let key = [-(index + 1)] + nested.matchingOverrides(path)
        if let cached = overrideRuleSets.withLock({ $0[key] }) { return cached }
        var built: RuleSet
        do {
            built = try RuleSet.build(catalog: catalog, config: nested, overrides: Array(key.dropFirst()), filter: settings.filter)
        } catch {
            built = baseRules
            built.configurationError = "invalid configuration for this file (\(nested.file ?? "defaults"), overrides combined): \(error)"
        }
        overrideRuleSets.withLock { $0[key] = built }
        return built
    }

    /// Runs the per-file rules on one document (no I/O). Suppression comments are applied.
    public func check(_ document: Document, rules: RuleSet) -> [Diagnostic] {
        check(document, rules: rules, environment: environment)
    }

    package func check(_ document: Document, rules: RuleSet, environment: LintEnvironment) -> [Diagnostic] {
        check(document, rules: rules, environment: environment, directives: nil).findings
    }

    /// `directives`: the document's suppression directives when the caller found them already
    /// (`lintBytes` finds them once for this check and the file's cross-file regions); nil: found here.
    /// `dependsOnTiming`: the time budget stopped a rule or a regex search was abandoned
    /// (`FileOutcome.dependsOnTiming`), told by the sink, not by the findings, which the per-rule cap
    /// or a suppression comment may have dropped.
    private func check(_ document: Document, rules: RuleSet, environment: LintEnvironment,
                       directives: [Suppressions.Directive]?) -> (findings: [Diagnostic], dependsOnTiming: Bool) {
        let limit = settings.fix == .none ? settings.maxFindingsPerRule : nil
        var dropped: [String: UnlistedFindings] = [:]
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = fileBudgetNanoseconds.map { started &+ $0 }
        // The check after each rule compares with a budget of seconds: the coarse clock will do.
        let coarse = (settings.fileTimeBudget ?? 0) >= CoarseClock.smallestBudget
        let clockStart = coarse ? CoarseClock.nanoseconds() : started
        // The budget as whole nanoseconds, compared with the clock's difference as it is: it was
        // converted to seconds and divided after each rule of each file.
        let spentFrom = fileBudgetSpentFrom
        // Stored findings are bounded well above the listed cap, so suppression comments still
        // see the findings they silence (only past this bound can one look unused).
        let stored = limit.map { max($0, Self.storedFindingsPerRule) } ?? Int.max
        var sink = DiagnosticSink(document: document, ruleIDs: rules.perFileIDs, severity: .warning, readsProse: false, environment: environment, deadline: deadline)
        let perFile = rules.perFile
        var stoppedByBudget = false
        for index in perFile.indices {
            // Read in place: a copy of the rule (its existential and strings) per rule per file showed in profiles.
            sink.start(ruleAt: index, severity: perFile[index].severity, severityConfigured: perFile[index].severityConfigured, readsProse: perFile[index].readsProse, limit: stored)
            // The sink keeps every rule's findings in one array, taken after the last rule.
            perFile[index].rule.check(document, into: &sink)
            if sink.dropped > 0 { dropped[perFile[index].id] = sink.droppedFindings }
            if sink.stoppedOverBudget { stoppedByBudget = true }
            // Rules with heavy loops stop themselves (`sink.isOverBudget`); the budget stops the rest.
            if let budget = settings.fileTimeBudget, sink.stoppedOverBudget || index + 1 < rules.perFile.count {
                let elapsed = (coarse ? CoarseClock.nanoseconds() : DispatchTime.now().uptimeNanoseconds) &- clockStart
                if sink.stoppedOverBudget || elapsed >= spentFrom, let severity = rules.engineSeverity["file-skipped"] {
                    stoppedByBudget = true
                    // Rules that run past the budget (one walk at most: encoding-invalid) still run.
                    let past = perFile[(index + 1)...].indices.filter { perFile[$0].runsPastFileBudget }
                    let left = rules.perFile.count - index - 1 - past.count
                    let partly = sink.stoppedOverBudget ? " and stopped partway: this file was only partly checked by it" : ""
                    let rest = left == 0 ? "" : "; \(left) remaining rule\(left == 1 ? "" : "s") not run on this file"
                    sink.appendEngineFinding(Diagnostic(rule: "file-skipped", severity: severity, path: document.path, line: 1, column: 1,
                                                        message: "rule '\(perFile[index].id)' ran past the per-file time budget of \(JSONWriter.formatNumber(budget))s (--file-time-budget)\(partly)\(rest)"))
                    for later in past {
                        sink.start(ruleAt: later, severity: perFile[later].severity, severityConfigured: perFile[later].severityConfigured, readsProse: perFile[later].readsProse, limit: stored)
                        perFile[later].rule.check(document, into: &sink)
                        if sink.dropped > 0 { dropped[perFile[later].id] = sink.droppedFindings }
                        if sink.stoppedOverBudget { stoppedByBudget = true }
                    }
                    break
                }
            }
        }
        let dependsOnTiming = stoppedByBudget || sink.abandonedSearch
        var filtered = DiagnosticFilters.apply(sink.takeFindings(), document: document, rules: rules, directives: directives)
        // Only a file with findings has something to keep or drop, or one whose every finding would be
        // dropped unseen (no rule checks undecoded files): asking any other file would cost it a walk of
        // its bytes when no script rule has decoded it (`--select final-newline`: +66 M instructions on agora).
        if !filtered.isEmpty || !dropped.isEmpty || rules.reportsUndecodedFilesAsSkipped {
            let encoding = document.encoding
            if encoding != .utf8 { Self.keepWhatHolds(&filtered, dropped: &dropped, encoding: encoding, rules: rules, byteCount: document.bytes.count, path: document.path) }
        }
        guard let limit else { return (filtered, dependsOnTiming) }
        return (Self.capped(filtered, limit: limit, dropped: dropped, path: document.path), dependsOnTiming)
    }

    /// Keeps what holds of the findings on a file that is not UTF-8 (`encoding`):
    /// - its whole text in another encoding: only the findings of the rules that check undecoded
    ///   files (`Rule.checksUndecodedFiles`: `encoding-invalid`). The others judged bytes that were
    ///   never decoded, and so did `unused-suppression` and a time budget's `file-skipped` about them;
    /// - any file not UTF-8: no fix but the transcoding, the only one `--fix` applies to such a file
    ///   (`EncodingGuard`), so that what is shown and counted as fixable is what `--fix` fixes.
    /// Asked after the rules ran, not before: by then the script rules have found whether the file
    /// is UTF-8 while decoding it, which asked first would cost every file a walk of its bytes.
    private static func keepWhatHolds(_ findings: inout [Diagnostic], dropped: inout [String: UnlistedFindings], encoding: DocumentEncoding,
                                      rules: RuleSet, byteCount: Int, path: String) {
        if case let .legacy(name, _) = encoding {
            let holding = rules.undecodedCheckIDs
            findings.removeAll { !holding.contains($0.rule) }
            dropped = dropped.filter { holding.contains($0.key) }
            // With no such rule active (`--ignore encoding-invalid`, a `--select` or an override
            // without it) nothing would be left and the file would count as clean: say it was not linted.
            if holding.isEmpty, let severity = rules.engineSeverity["file-skipped"] {
                findings = [Diagnostic(rule: "file-skipped", severity: severity, path: path, line: 1, column: 1,
                                       message: "not linted: the whole file is \(name) (\(EncodingInvalidRule.id) is off)")]
            }
        }
        for i in findings.indices where findings[i].fix != nil && !EncodingGuard.mayApply(findings[i], byteCount: byteCount, encoding: encoding) {
            findings[i].fix = nil
        }
        // The only fix applied to such a file, the transcoding, is one finding for the whole file:
        // never one of the many only counted.
        for rule in dropped.keys { dropped[rule] = dropped[rule]?.withoutFixes }
    }

    /// The fewest whole nanoseconds that are more than `budget` seconds as the per-file budget has
    /// always been compared (`Double(nanoseconds) / 1e9 > budget`), so that `elapsed >= this` answers
    /// as that did: 0 for a negative budget (any time is over it), `.max` when no count is over it
    /// (not a number, or more than `UInt64` holds).
    package static func fewestNanosecondsOver(_ budget: Double) -> UInt64 {
        if budget < 0 { return 0 }
        guard budget * 1e9 < 0x1p63 else { return .max }
        // The product is within a nanosecond or two of the answer; the division decides.
        var nanoseconds = UInt64(budget * 1e9)
        while nanoseconds > 0 && Double(nanoseconds - 1) / 1e9 > budget { nanoseconds -= 1 }
        while !(Double(nanoseconds) / 1e9 > budget) { nanoseconds += 1 }
        return nanoseconds
    }

    /// Findings a rule may store per file before the rest are only counted (memory bound).
    package static let storedFindingsPerRule = 100_000

    /// Keeps the first `limit` findings of each rule and adds one finding with the count of the
    /// rest (`Diagnostic.unlisted`: the rest by severity and fix kind, so counts count each). Its
    /// severity is the highest of the rest. `dropped`: each rule's findings past the stored bound,
    /// only counted (the sink's `droppedFindings`).
    package static func capped(_ diagnostics: [Diagnostic], limit: Int, dropped: [String: UnlistedFindings], path: String) -> [Diagnostic] {
        // No rule can be over the cap (nearly every file): nothing to copy or count.
        if dropped.isEmpty && diagnostics.count <= limit { return diagnostics }
        var seen: [String: Int] = [:]
        var extra = dropped
        var lastLine: [String: Int] = [:]
        var out: [Diagnostic] = []
        out.reserveCapacity(min(diagnostics.count, limit * 8))
        // Findings come rule by rule: a run of one rule is counted here, the dictionaries once per run.
        var rule: String?
        var count = 0, last: Int?, over = UnlistedFindings()
        func close() {
            guard let rule else { return }
            seen[rule] = count
            if let last { lastLine[rule] = last }
            if !over.isEmpty { extra[rule, default: UnlistedFindings()].add(over) }
        }
        for d in diagnostics {
            if rule != d.rule {
                close()
                rule = d.rule
                count = seen[d.rule, default: 0]
                last = nil
                over = UnlistedFindings()
            }
            if count < limit { out.append(d); last = d.line } else { over.add(severity: d.severity, fix: d.fix?.applicability) }
            count += 1
        }
        close()
        for (rule, unlisted) in extra.sorted(by: { $0.key < $1.key }) {
            guard let severity = unlisted.highestSeverity else { continue }
            let count = unlisted.count
            var summary = Diagnostic(rule: rule, severity: severity, path: path, line: lastLine[rule] ?? 1, column: 1,
                                     message: "\(count) more \(rule) finding\(count == 1 ? "" : "s") in this file not listed (at most \(limit) per rule per file)")
            summary.unlisted = unlisted
            out.append(summary)
        }
        return out
    }

    /// Lints all inputs in parallel and hands each file's outcome (its diagnostics sorted) to
    /// `consume` in input order, on one thread at a time, as soon as it and all earlier files are
    /// done; workers run at most a bounded window ahead. Only small per-file aggregates (cross-file
    /// facts) are kept, so memory does not grow with the number of diagnostics.
    /// `crossFileInto`: where the reduce phase's findings go (suppressed ones dropped) instead of
    /// `StreamedLint.crossFile`, so they never have to be held as values.
    public func lintStreaming(_ inputs: [LintInput], observer: (@Sendable (FileOutcome) -> Void)? = nil,
                              crossFileInto runs: DiagnosticRuns? = nil,
                              consume: (FileOutcome) -> Void) -> StreamedLint {
        lintStreaming(LintInputList(inputs), observer: observer, crossFileInto: runs, consume: consume)
    }

    /// `findingsAsStored`: the findings of a file the run writes to the cache may reach `consume`
    /// as the entry's bytes (`FileOutcome.handOver`), for a consumer that only spills them (reading
    /// `diagnostics` would decode them again).
    public func lintStreaming(_ inputs: LintInputList, observer: (@Sendable (FileOutcome) -> Void)? = nil,
                              crossFileInto runs: DiagnosticRuns? = nil, findingsAsStored: Bool = false,
                              consume: (FileOutcome) -> Void) -> StreamedLint {
        var run = StreamedLint(facts: CrossFileFacts(rules: baseRules.crossFile.map(\.rule), memoryBudget: settings.factMemoryBudget, inputs: inputs))
        // Identifies the whole run's facts (paths in delivery order and each file's fact digest);
        // nil once a file did not go through the cache. Online checks are never reused.
        let reusableCache = settings.fix == .none && environment.urlChecker == nil ? settings.cache : nil
        var runDigest: UInt64? = reusableCache == nil ? nil : 0x6E65_7773_6C69_6E74
        // A stored cross-file result is verified while the pass runs; whether it answers the
        // reduce is known once every file is delivered (the run's digest).
        let pendingCrossFile = settings.finishCrossFile && !baseRules.crossFile.isEmpty ? reusableCache?.verifyingStoredCrossFile(fileCount: inputs.count) : nil
        // While every file so far was answered by the cache and the stored result may answer the
        // reduce, the files' facts stay in the cache: copying them into the columns (and their
        // temporary files) was a large part of a warm run. The entries' places are kept (input i
        // at factsLeftInCache[i]); the facts are fetched, in input order, as soon as a file is
        // linted or the result does not answer.
        var leavingFactsInCache = pendingCrossFile != nil
        // Read by the workers: while set, a hit's facts are not even copied out of the cache file
        // or verified (they are most of its entry).
        // (A rule whose facts are decoded needs them at once: hits are then read whole.)
        let workersLeaveFacts = WorkerFlag(leavingFactsInCache && crossFileKeepsBytes.allSatisfy { $0 })
        var factsLeftInCache: [CachedFactsLocation] = []
        func fetchFactsLeftInCache() {
            let locations = factsLeftInCache
            factsLeftInCache = []
            leavingFactsInCache = false
            workersLeaveFacts.clear()
            // In blocks, read on the run's threads (each holds its block's entries, not all).
            var start = 0
            while start < locations.count {
                let end = min(locations.count, start + 4096)
                let first = start
                let fetched = parallelMap(count: end - first, jobs: settings.jobs) { k in
                    UncheckedFacts(self.cachedFacts(of: inputs[first + k], at: locations[first + k]))
                }
                for (k, f) in fetched.enumerated() {
                    run.facts.add(path: inputs[start + k].path, input: start + k, facts: f.value.facts, cached: f.value.cached)
                }
                start = end
            }
        }
        parallelForEachOrdered(count: inputs.count, jobs: settings.jobs, { i -> FileOutcome in
            var outcome = self.process(inputs[i], leavingFacts: workersLeaveFacts.isSet, findingsAsStored: findingsAsStored)
            // A stable sort of a sorted array still moves every element: check first. A cache
            // hit's stored diagnostics were stored in output order.
            outcome.putDiagnosticsInOutputOrder()
            return outcome
        }, deliver: { i, outcome in
            // In input order, so what the observer streams (JSON Lines) is the same for any --jobs.
            observer?(outcome)
            run.fileCount += 1
            run.ioFailure = run.ioFailure || outcome.ioFailure
            if let f = outcome.fix { run.fixSummary.add(f) }
            if leavingFactsInCache, outcome.answeredFromCache, outcome.boxedFacts.isEmpty, let location = outcome.cachedFactsLocation {
                factsLeftInCache.append(location)
            } else {
                if leavingFactsInCache { fetchFactsLeftInCache() }
                if outcome.factsLeftUnread, let location = outcome.cachedFactsLocation {
                    // Left in the cache by a worker that ran ahead of the file that ended it.
                    let read = cachedFacts(of: inputs[i], at: location)
                    run.facts.add(path: outcome.path, input: i, facts: read.facts, cached: read.cached)
                } else {
                    run.facts.add(path: outcome.path, input: i, facts: outcome.boxedFacts, cached: outcome.cachedFacts, records: outcome.factRecords)
                }
            }
            if !baseRules.crossFile.isEmpty { run.suppressions.add(outcome) }
            if let d = runDigest, let file = outcome.factDigest {
                runDigest = FastHash.mix(d ^ LintCache.pathHash(outcome.path) &+ file &* 0x9E37_79B9_7F4A_7C15)
            } else {
                runDigest = nil
            }
            consume(outcome)
        })
        if let runs, !run.suppressions.suppressesNothing {
            // Suppression comments apply as findings are sealed into runs (completing(_:) does this for arrays).
            let crossFileRules = Set(baseRules.crossFile.map(\.id))
            let known = run.suppressions, base = settings.baseDirectory
            runs.filter = { Suppressions.dropSuppressedCrossFile($0, crossFileRules: crossFileRules, inMemory: [:], base: base, known: known) }
        }
        if settings.finishCrossFile {
            if let cache = reusableCache, let digest = runDigest, let runs,
               let stored = cache.storedCrossFile(digest: digest, knownStrings: ruleIDs, pending: pendingCrossFile) {
                // Stored in output order: merged as one run as it is read.
                cache.releaseEntryPages()
                runs.add(sorted: stored)
            } else if let cache = reusableCache, let digest = runDigest, runs == nil,
                      let stored = cache.storedCrossFile(digest: digest, knownStrings: ruleIDs, pending: pendingCrossFile),
                      stored.forEach({ run.crossFile.append($0) }) {
                // Stored in output order.
                cache.releaseEntryPages()
            } else if let runs {
                pendingCrossFile?.abandon()
                if leavingFactsInCache { fetchFactsLeftInCache() }
                reusableCache?.releaseEntryPages()
                // Reported straight into the runs; with the cache, also kept (sorted) for it.
                let pathsLost = run.facts.pathReadFailureCheck
                let recorder = runDigest.flatMap { reusableCache?.crossFileRecorder(digest: $0, fileCount: inputs.count, forwardingTo: runs, pathsLost: pathsLost) }
                _ = finishCrossFile(consuming: &run.facts, into: recorder ?? runs)
                // A reduce that lost facts it had spilled reported only part of its findings: not cached.
                if let cache = reusableCache, let recorder, run.facts.readFailures.isEmpty { cache.keepCrossFile(recorder) }
            } else {
                pendingCrossFile?.abandon()
                if leavingFactsInCache { fetchFactsLeftInCache() }
                reusableCache?.releaseEntryPages()
                run.crossFile = finishCrossFile(consuming: &run.facts)
                Diagnostic.sortInOutputOrder(&run.crossFile)
                if let cache = reusableCache, let digest = runDigest, run.facts.readFailures.isEmpty {
                    cache.recordCrossFile(digest: digest, fileCount: inputs.count, diagnostics: run.crossFile)
                }
            }
        }
        if !run.facts.readFailures.isEmpty { run.ioFailure = true }
        if let runs {
            runs.add(contentsOf: run.crossFile)
            run.crossFile = []
        }
        return run
    }

    /// The reduce phase of cross-file rules over the facts of all files.
    public func finishCrossFile(_ outcomes: [FileOutcome]) throws -> [Diagnostic] {
        try finishCrossFile(facts: outcomes.map { FileFacts(path: $0.path, facts: try facts(of: $0)) })
    }

    /// A linted file's cross-file facts in rule order: `facts` and its records (`factRecords`) decoded.
    public func facts(of outcome: FileOutcome) throws -> [(rule: Int, fact: any Sendable)] {
        guard !outcome.factRecords.isEmpty else { return outcome.boxedFacts }
        var out: [(rule: Int, fact: any Sendable)] = []
        var failure: (any Error)?
        outcome.factRecords.forEach { rule, bytes in
            do {
                guard baseRules.crossFile.indices.contains(rule) else { throw CompactCoderError.malformed }
                out.append((rule, try baseRules.crossFile[rule].rule.decodeCachedFact(Array(bytes))))
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        out += outcome.boxedFacts
        // A rule has at most one fact a file: no ties.
        out.sort { $0.rule < $1.rule }
        return out
    }

    /// The reduce phase of cross-file rules over the facts of all files; throws when facts
    /// spilled to the temporary directory could not be read back.
    public func finishCrossFile(facts files: [FileFacts]) throws -> [Diagnostic] {
        var facts = CrossFileFacts(rules: baseRules.crossFile.map(\.rule), memoryBudget: settings.factMemoryBudget)
        for f in files { facts.add(path: f.path, facts: f.facts) }
        let found = finishCrossFile(consuming: &facts)
        if case let failures = facts.readFailures, !failures.isEmpty { throw UsageError(failures.joined(separator: "\nerror: ")) }
        return found
    }

    /// The reduce phase, releasing each rule's facts as it runs (peak memory: one rule's facts
    /// in its typed form plus the columns not yet reduced).
    public func finishCrossFile(consuming facts: inout CrossFileFacts, into runs: (any DiagnosticReceiver)? = nil) -> [Diagnostic] {
        // The workers' allocator arenas hold what the pass freed; the reduce runs on this thread
        // and would add its working set on top of it.
        releaseFreedMemory()
        let phases = baseRules.crossFile.indices.filter { facts.columns.indices.contains($0) }
        let columns = facts.columns, paths = facts.paths, rules = baseRules.crossFile, environment = self.environment
        func finish(_ k: Int, into receiver: (any DiagnosticReceiver)?) -> [Diagnostic] {
            let active = rules[phases[k]]
            return columns[phases[k]].finish(paths: paths, id: active.id, severity: active.severity, environment: environment, into: receiver)
        }
        guard let runs else { return phases.indices.flatMap { finish($0, into: nil) } }
        // With a receiver, the phases may run on two threads (findings still arrive in rule order).
        // Reduces of large fact sets run one at a time (`OrderedReduce`).
        let alone = settings.reduceAloneBytes ?? max(settings.factMemoryBudget, LintSettings.defaultReduceAloneBytes)
        let large = phases.map { columns[$0].factBytes >= alone }
        return OrderedReduce.run(count: phases.count, concurrently: settings.jobs >= 2, large: large, into: runs) { finish($0, into: $1) }
    }

    /// The cross-file facts of an input the cache answered earlier in the run, read from its
    /// entry's facts at `location` in the cache file (for rules whose columns keep the cache's
    /// bytes). If they do not verify or parse there (the mapped file was changed in place by
    /// another program), or one is of a rule whose facts are decoded, the file is linted again: its
    /// facts then describe the file as it is now, as they would had it changed before the run.
    private func cachedFacts(of input: LintInput, at location: CachedFactsLocation) -> (facts: [(rule: Int, fact: any Sendable)], cached: [(rule: Int, bytes: ArraySlice<UInt8>)]) {
        var cached: [(rule: Int, bytes: ArraySlice<UInt8>)] = []
        var known = true
        if let cache = settings.cache, cache.facts(at: location, { id, data in
            guard let i = crossFileIDs.firstIndex(where: { $0.utf8.elementsEqual(id) }), crossFileKeepsBytes[i] else { known = false; return }
            cached.append((i, data[...]))
        }), known {
            return ([], cached)
        }
        let outcome = process(input)
        return (outcome.boxedFacts, outcome.cachedFacts + outcome.factRecords.pairs)
    }

    /// Reads, lints, optionally fixes one input, and collects its cross-file facts.
    public func process(_ input: LintInput) -> FileOutcome { process(input, leavingFacts: false) }

    /// `leavingFacts`: a cache hit's facts are left in the cache file unread (`FileOutcome.factsLeftUnread`).
    private func process(_ input: LintInput, leavingFacts: Bool, findingsAsStored: Bool = false) -> FileOutcome {
        let path = input.path
        // The cache answers for unchanged files on disk when nothing is being fixed.
        let cache = settings.fix == .none ? settings.cache : nil
        // A file's rules are looked up before the cache answers only when they may differ from the
        // base rules (nested configurations, overrides): a combination in error must be reported,
        // not a cached result. The base rules cannot be in error, and a hit needs no rules.
        var resolved: String?
        var perFileRules: RuleSet?
        if !rulesAreUniform {
            let location = PathResolver.absolute(path, base: settings.baseDirectory)
            resolved = location
            perFileRules = self.rules(for: location)
        }
        if let perFileRules, let problem = perFileRules.configurationError {
            return engineOutcome(path: path, rule: "io-error", message: problem, rules: perFileRules, failure: true)
        }
        // A hit answered by its stamp needs the location only as bytes: its string is made after.
        // An entry read whole that its stamp did not answer is kept in `missed`.
        var missed: UnstampedEntry?
        if let cache, case .file = input {
            // Returned through the join's closures (an outcome set inside them was copied more).
            let hit: FileOutcome?
            if let resolved {
                hit = cachedOutcomeByStamp(location: resolved, path: path, cache: cache, leavingFacts: leavingFacts, missed: &missed)
            } else {
                hit = PathResolver.withAbsolute(path, base: settings.baseDirectory, whenUnchanged: {
                    cachedOutcomeByStamp(location: $0, path: path, cache: cache, leavingFacts: leavingFacts, missed: &missed)
                }) { cachedOutcomeByStamp(at: $0, path: path, cache: cache, leavingFacts: leavingFacts, missed: &missed) }
            }
            if let hit { return hit }
        }
        let location = resolved ?? PathResolver.absolute(path, base: settings.baseDirectory)
        // An entry its stamp did not answer: the content hash may still answer, and the entry is
        // then recorded again, facts and all. Read again by the location's string only when the
        // stamp's lookup left its facts in the cache.
        missed?.entry.location = location
        let unstamped = missed ?? cache.flatMap { cache -> UnstampedEntry? in
            guard case .file = input else { return nil }
            return cache.entry(for: location, displayPath: path, knownStrings: ruleIDs, decodingDiagnostics: false).map(UnstampedEntry.init)
        }
        // The rules passed on as they are: `perFileRules ?? baseRules` made a copy of the rule set
        // (a retain and a release of each of its arrays and of its error string) per file.
        if let perFileRules {
            return readAndLint(input, path: path, location: location, cache: cache, unstamped: unstamped, rules: perFileRules,
                               findingsAsStored: findingsAsStored)
        }
        return readAndLint(input, path: path, location: location, cache: cache, unstamped: unstamped, rules: baseRules,
                           findingsAsStored: findingsAsStored)
    }

    /// The rest of `process` for a file the cache did not answer by its stamp: reads it, lints it
    /// with `rules` and records the result in `cache` (its entry read but unanswered: `unstamped`).
    private func readAndLint(_ input: LintInput, path: String, location: String, cache: LintCache?, unstamped: UnstampedEntry?,
                             rules: RuleSet, findingsAsStored: Bool) -> FileOutcome {
        let bytes: [UInt8]
        var stamp: FileStamp?
        /// The file as read, for a fix to be written only over that (`AtomicWriter.ReadContent`).
        var readStamp: FileStamp?
        switch input {
        case let .text(_, b):
            bytes = b
        case .file:
            var status = stat()
            switch FileReader.read(location, maxSize: configuration(for: location).maxFileSize, status: &status) {
            case let .bytes(b):
                bytes = b
                // A directory replaced during the run cannot pair another file's stamp with this text.
                // Built only when the cache or a written fix needs it (most runs: neither).
                if cache != nil || settings.fix.writes {
                    let statusStamp = FileStamp(status)
                    if cache != nil { stamp = statusStamp }
                    if settings.fix.writes { readStamp = statusStamp }
                }
            case let .skipped(reason):
                return engineOutcome(path: path, rule: "file-skipped", message: reason, rules: rules, failure: false)
            case let .failed(reason):
                return engineOutcome(path: path, rule: "io-error", message: reason, rules: rules, failure: true)
            }
        }
        // A file is read, so rules may run: the script tables start now if nothing started them
        // (a run the cache answers whole never builds them).
        RuleRegistry.prepareTablesInBackground()
        if let reason = FileReader.binaryReason(bytes) {
            return engineOutcome(path: path, rule: "file-skipped", message: reason, rules: rules, failure: false)
        }
        if let cache, let stamp {
            let hash = ContentHash.hash(bytes)
            if var entry = unstamped?.entry, entry.contentHash == hash, entry.byteCount == bytes.count, entry.dependenciesUnchanged,
               let outcome = reuse(entry, path: path) {
                cache.noteHit()
                entry.stamp = stamp
                cache.record(entry)
                return outcome
            }
            // Record the local files rules look at: the entry is only as fresh as they are.
            let recorder = RecordingProbe(environment.probe)
            var recording = environment
            recording.probe = recorder
            let outcome = lintBytes(bytes, input: input, path: path, location: location, rules: rules, in: recording, readStamp: readStamp)
            // A run cut short by the time budget, or a regex search abandoned at its time limit,
            // says nothing about the next run: not cached. Told by the check's flag: a finding's rule
            // or message was no sign (the per-rule cap dropped the abandoned search's finding, and a
            // legacy-encoded file's deterministic `file-skipped` was never cached).
            if outcome.dependsOnTiming { return outcome }
            // In rule order: the records as the worker wrote them (not encoded again), the others encoded.
            let crossFile = baseRules.crossFile
            guard let cacheForm = FileFactRecords.cacheForm(records: outcome.factRecords, boxed: outcome.boxedFacts,
                                                            encode: { try? crossFile[$0].rule.encodeCachedFact($1) }) else { return outcome }
            let facts = cacheForm.map { (rule: crossFile[$0.rule].id, data: $0.bytes) }
            // Diagnostics are stored without their path (the encoding leaves it out), in output
            // order: a hit hands them on as they are stored.
            var sorted = outcome.diagnostics
            Diagnostic.sortInOutputOrder(&sorted)
            var entry = CacheEntry(location: location, stamp: stamp, settled: false, contentHash: hash, byteCount: bytes.count,
                                   diagnostics: sorted, facts: facts, dependencies: recorder.probed.map { ($0, FileStamp.ofDependency($0)) },
                                   crossFileRegions: outcome.suppressions, regionsKnown: outcome.suppressionsKnown)
            // Long lines (minified HTML, a whole article on one line) are left to be read back: the
            // cache would otherwise hold a second copy of such a corpus.
            entry.sourceLines = (outcome.sourceLines ?? [:]).filter { $0.value.utf8.count <= CacheEntry.storedLineLimit }
            let stored = cache.record(entry)
            var recorded = outcome
            recorded.factDigest = entry.factDigest
            // The spill takes the findings as the entry's bytes hold them (encoding them again
            // there was 43 M instructions at agora-pen ×1): the same bytes, written from the same
            // values. Not when the entry left out a line the pass quoted (too long to store).
            // The bytes hold the entry's facts too: kept only while the outcome awaits delivery.
            if findingsAsStored, stored.count > 0 || stored.hasLines, entry.sourceLines.count == (outcome.sourceLines?.count ?? 0) {
                var own = stored
                own.linesKnownValid = true
                recorded.handOver(own, knownStrings: ruleIDs)
            } else {
                recorded.diagnostics = sorted
            }
            return recorded
        }
        // The linter's own environment is passed on borrowed (a `let` of this final class): an
        // optional parameter defaulted with `??` made a copy of it per file, a retain and a release
        // of each reference every worker shares.
        return lintBytes(bytes, input: input, path: path, location: location, rules: rules, in: environment, readStamp: readStamp)
    }

    /// The outcome of a file its cache entry answers by its stamp (nil: not answered), the file's
    /// absolute location given as its UTF-8 bytes.
    /// `missed`: the entry, when one was read with its facts and its stamp did not answer (its
    /// `location` empty, see `LintCache.entryForStamp`).
    private func cachedOutcomeByStamp(at location: UnsafeBufferPointer<UInt8>, path: String, cache: LintCache, leavingFacts: Bool,
                                      missed: inout UnstampedEntry?) -> FileOutcome? {
        guard let entry = cache.entryForStamp(at: location, displayPath: path, knownStrings: ruleIDs, withFacts: !leavingFacts) else { return nil }
        // A hit is decided by a stamp taken through the stamper's directory descriptor; a
        // file that is read is stamped again by the descriptor it is read through.
        guard entry.settled, let quick = cache.stamper.stamp(at: location), entry.stamp == quick,
              entry.dependenciesUnchanged, let outcome = reuse(entry, path: path, factsRead: !leavingFacts) else {
            if !leavingFacts { missed = UnstampedEntry(entry) }
            return nil
        }
        cache.noteHit(byStamp: true)
        return outcome
    }

    /// `cachedOutcomeByStamp(at:…)` of a location held as a string.
    private func cachedOutcomeByStamp(location: String, path: String, cache: LintCache, leavingFacts: Bool,
                                      missed: inout UnstampedEntry?) -> FileOutcome? {
        var bytes = location
        return bytes.withUTF8 { cachedOutcomeByStamp(at: $0, path: path, cache: cache, leavingFacts: leavingFacts, missed: &missed) }
    }

    /// Rebuilds an outcome from a verified cache entry (its diagnostics already carry `path`).
    /// Facts of typed rules stay the cache's bytes (the entry's checksum vouches for them and the
    /// key for the build that wrote them); others are decoded, and when one no longer decodes (or
    /// its rule is gone) the result is nil and the file is linted.
    /// `factsRead` false: the entry was read without its facts, which stay in the cache file.
    private func reuse(_ entry: CacheEntry, path: String, factsRead: Bool = true) -> FileOutcome? {
        var facts: [(rule: Int, fact: any Sendable)] = []
        var kept: [(rule: Int, bytes: ArraySlice<UInt8>)] = []
        // A hit whose facts were left in the cache has none here: nothing to reserve (an allocation a hit).
        if !entry.facts.isEmpty { kept.reserveCapacity(entry.facts.count) }
        for f in entry.facts {
            guard let i = crossFileIDs.firstIndex(of: f.rule) else { return nil }
            if crossFileKeepsBytes[i] {
                kept.append((i, f.data))
            } else {
                guard let fact = try? baseRules.crossFile[i].rule.decodeCachedFact(Array(f.data)) else { return nil }
                facts.append((i, fact))
            }
        }
        let stored = entry.storedDiagnostics.map { settings.captureSourceLines ? $0 : $0.withoutLines }
        let spilled = stored.flatMap { $0.count > 0 || $0.hasLines ? $0 : nil }
        // The regions the pass found when it cached the file: cross-file findings need not read it.
        return FileOutcome(cacheHit: path, diagnostics: entry.diagnostics, spilled: spilled,
                           knownStrings: spilled == nil ? KnownStrings() : ruleIDs, facts: facts, cachedFacts: kept,
                           byteCount: entry.byteCount, factDigest: entry.factDigest, cachedFactsLocation: entry.factsInCache,
                           factsLeftUnread: !factsRead, suppressions: entry.crossFileRegions, suppressionsKnown: entry.regionsKnown)
    }

    /// Lints (and optionally fixes) the bytes of one readable, non-binary input.
    /// `readStamp`: the file's status when `bytes` were read from it (when fixes are written);
    /// the fixes are written only if the file is still that file with those bytes.
    private func lintBytes(_ bytes: [UInt8], input: LintInput, path: String, location: String, rules: RuleSet,
                           in environment: LintEnvironment, readStamp: FileStamp?) -> FileOutcome {
        // One document per text, passed on, never copied: a copy retained and released each of
        // its references (three copies and destroys per file).
        let original = Document(path: path, bytes: bytes)
        // Found once: the check's suppression filter and, when no fix changes the text, the
        // file's cross-file regions (`outcome`) read the same directives.
        let directives = Suppressions.directives(in: original)
        var (diagnostics, dependsOnTiming) = check(original, rules: rules, environment: environment, directives: directives)
        var fixOutcome: FileFixOutcome?
        /// The text after the fixes applied (nil when none were).
        var fixed: Document?
        if let allowed = settings.fix.allowed {
            let result = Fixer.fix(document: original, initial: diagnostics, allowed: allowed) {
                let checked = self.check($0, rules: rules, environment: self.environment, directives: nil)
                if checked.dependsOnTiming { dependsOnTiming = true }
                return checked.findings
            }
            var outcome = result.outcome
            if outcome.applied > 0 {
                if settings.fix.writes, case .file = input {
                    do {
                        if let roots = settings.writableRoots, !PathResolver.isWithin(PathResolver.real(location) ?? location, roots: roots) {
                            throw WriteError(path: path, message: "resolves to \(PathResolver.real(location) ?? location), outside the linted paths; not written")
                        }
                        guard let readStamp else { throw WriteError(path: path, message: "not a regular file when read; not written") }
                        settings.beforeFixIsWritten?(location)
                        try AtomicWriter.write(result.bytes, to: location, allowHardLinks: settings.fixHardLinks,
                                               expecting: AtomicWriter.ReadContent(stamp: readStamp, bytes: bytes))
                        fixed = Document(path: path, bytes: result.bytes)
                        diagnostics = result.remaining
                    } catch {
                        outcome.writeError = "\(error)"
                        outcome.applied = 0
                        outcome.resolved = 0
                    }
                } else {
                    fixed = Document(path: path, bytes: result.bytes)
                    diagnostics = result.remaining
                }
            }
            // Keep both versions for previews and for stdin (whose fixed text is printed).
            let keep = !settings.fix.writes || { if case .text = input { return true } else { return false } }()
            outcome.original = keep ? bytes : nil
            outcome.fixed = keep ? result.bytes : nil
            fixOutcome = outcome
            if let err = outcome.writeError {
                diagnostics.append(Diagnostic(rule: "io-error", severity: .error, path: path, line: 1, column: 1, message: "could not write fixes: \(err)"))
            }
        }
        // Later steps see the text as it is on disk after this pass (fixed only when written) and
        // stdin as it was given; quoted lines come from the text the diagnostics point into: on
        // disk after this pass; for in-memory input that was fixed, the fixed text, which is what
        // the caller gets back.
        guard let fixed else {
            var result = outcome(of: original, final: original, quoted: original, diagnostics: diagnostics, fix: fixOutcome,
                                 path: path, bytes: bytes, rules: rules, environment: environment, finalDirectives: directives)
            if dependsOnTiming { result.dependsOnTiming = true }
            return result
        }
        let writesFile: Bool, writesText: Bool
        switch input {
        case .file: (writesFile, writesText) = (settings.fix.writes, false)
        case .text: (writesFile, writesText) = (false, settings.fix.writes)
        }
        let final = writesFile ? fixed : original
        var result = outcome(of: fixed, final: final, quoted: writesText ? fixed : final, diagnostics: diagnostics, fix: fixOutcome,
                             path: path, bytes: bytes, rules: rules, environment: environment, finalDirectives: nil)
        if dependsOnTiming { result.dependsOnTiming = true }
        return result
    }

    private func isPackRule(_ rule: String) -> Bool {
        packRuleIDs.count <= 8 ? packRuleIDs.contains(rule) : packRuleIDSet.contains(rule)
    }

    /// The rest of `lintBytes`: the cross-file facts of `document` (the text after fixes) and the
    /// outcome; `final` is the text later steps see, `quoted` the one findings quote.
    /// `finalDirectives`: `final`'s suppression directives when found already (nil: found here).
    private func outcome(of document: Document, final: Document, quoted: Document, diagnostics: [Diagnostic], fix fixOutcome: FileFixOutcome?,
                         path: String, bytes: [UInt8], rules: RuleSet, environment: LintEnvironment,
                         finalDirectives: [Suppressions.Directive]?) -> FileOutcome {
        var diagnostics = diagnostics
        // One buffer for the file's records (none without cross-file rules).
        // Under 1 KB: a larger block was not served from the allocator's per-thread cache.
        var facts = FileFactRecords.Collector(reservingCapacity: baseRules.crossFile.isEmpty ? 0 : 960,
                                              capturingLines: settings.captureSourceLines)
        var factEnvironment = environment
        var packRule: (rule: String, isPack: Bool)?  // asked once per run of one rule's findings
        // By index: the loop copied each diagnostic (its strings retained and released).
        for i in diagnostics.indices {
            if packRule?.rule != diagnostics[i].rule {
                let rule = diagnostics[i].rule
                packRule = (rule, isPackRule(rule))
            }
            if packRule?.isPack == true { factEnvironment.linesReportedByPacks.insert(diagnostics[i].line) }
        }
        // One budget for the file, restarted for each rule (it was allocated per rule per file), and
        // set in the environment once: no rule replaces it (a retain and a release per rule per file).
        let collectBudget = settings.fileTimeBudget.map { CollectBudget(seconds: $0) }
        factEnvironment.collectBudget = collectBudget
        // Restarted through an unretained reference, which `collectBudget` keeps alive: called on
        // the optional (bound or chained), the budget was retained and released around each call,
        // per rule per file (50,000 pairs at agora ×1). It exists exactly when the setting does.
        let unretainedBudget = collectBudget.map { Unmanaged.passUnretained($0) }
        let budgetSeconds = settings.fileTimeBudget ?? 0
        // By index and id: iterating the rule lists copied each rule (its existential and strings) per file.
        let baseCrossFile = baseRules.crossFile
        let fileCrossFile = rules.crossFile
        // The file's list is the base list itself (no nested configuration or override touched it:
        // nearly always): every rule runs, and no id is copied or compared (two string copies and
        // a comparison per rule per file).
        let sameList = Self.sameStorage(baseCrossFile, fileCrossFile)
        // A file whose whole text is in another encoding has no facts: a body hash or a slug of
        // bytes never decoded would pair it with nothing real (`Rule.checksUndecodedFiles`).
        // With no cross-file rules nothing is collected: the (post-fix) document is not validated for it.
        let collects = !baseCrossFile.isEmpty && !document.encoding.isWhollyOtherEncoding
        var collectStopped = false
        for i in baseCrossFile.indices where collects {
            if !sameList {
                let id = baseCrossFile[i].id
                // Without overrides the file's list is the base list: the same index holds the same id.
                let atSameIndex = i < fileCrossFile.count && fileCrossFile[i].id == id
                guard atSameIndex || fileCrossFile.indices.contains(where: { fileCrossFile[$0].id == id }) else { continue }
            }
            unretainedBudget?._withUnsafeGuaranteedRef { $0.restart(seconds: budgetSeconds) }
            facts.collect(baseCrossFile[i].rule, index: i, document: document, environment: &factEnvironment)
            if collectBudget?.stopped == true { collectStopped = true }
            if collectBudget?.stopped == true, let severity = rules.engineSeverity["file-skipped"], let budget = settings.fileTimeBudget {
                diagnostics.append(Diagnostic(rule: "file-skipped", severity: severity, path: path, line: 1, column: 1,
                                              message: "rule '\(baseCrossFile[i].id)' ran past the per-file time budget of \(JSONWriter.formatNumber(budget))s (--file-time-budget) and stopped partway: this file was only partly checked by it (not compared with other files)"))
            }
        }
        var outcome = FileOutcome(path: path, diagnostics: diagnostics, facts: facts.boxed, byteCount: bytes.count, fix: fixOutcome,
                                  ioFailure: fixOutcome?.writeError != nil)
        outcome.factRecords = facts.records()
        outcome.dependsOnTiming = collectStopped
        outcome.profile = settings.documentProfiler?(final)
        if settings.captureSourceLines {
            var lines: [Int: String] = [:]
            // Sized for a line per finding (grown an insertion at a time, it was resized about
            // twice a file: 9.5 M instructions at agora ×1); findings share lines, so this is a bound.
            if outcome.diagnostics.count > 1 { lines.reserveCapacity(outcome.diagnostics.count) }
            for d in outcome.diagnostics where d.line >= 1 && d.line <= quoted.lineCount && lines[d.line] == nil {
                lines[d.line] = quoted.lineText(d.line)
            }
            // And the lines cross-file findings on this file would point at, where its facts say.
            for f in outcome.boxedFacts {
                guard let n = baseRules.crossFile[f.rule].rule.quotedLineErased(f.fact), n >= 1, n <= quoted.lineCount, lines[n] == nil else { continue }
                lines[n] = quoted.lineText(n)
            }
            for n in facts.quotedLines where n >= 1 && n <= quoted.lineCount && lines[n] == nil { lines[n] = quoted.lineText(n) }
            outcome.sourceLines = lines
        }
        if !baseRules.crossFile.isEmpty {
            outcome.suppressions = finalDirectives.map { Suppressions.crossFileRegions($0, lineCount: final.lineCount) }
                ?? Suppressions.crossFileRegions(final)
            outcome.suppressionsKnown = true
        }
        return outcome
    }

    /// Whether `a` and `b` are one array (the same storage and count): a file's rule list that is
    /// the base list, copied, not rebuilt.
    private static func sameStorage(_ a: [ActiveCrossFileRule], _ b: [ActiveCrossFileRule]) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }

    private func engineOutcome(path: String, rule: String, message: String, rules: RuleSet, failure: Bool) -> FileOutcome {
        var diagnostics: [Diagnostic] = []
        if let severity = rules.engineSeverity[rule] ?? (failure ? .error : nil) {
            diagnostics.append(Diagnostic(rule: rule, severity: severity, path: path, line: 1, column: 1, message: message))
        }
        var outcome = FileOutcome(path: path, diagnostics: diagnostics, facts: [], byteCount: 0, fix: nil, ioFailure: failure)
        // Nothing of it was read: no cross-file finding can point into it.
        outcome.suppressionsKnown = true
        return outcome
    }
}

/// Post-processing of a document's diagnostics (suppression comments and the like).
/// Each filter is a pure function; the engine applies them in order.
public enum DiagnosticFilters {
    public typealias Filter = @Sendable ([Diagnostic], Document, RuleSet) -> [Diagnostic]
    /// Filters applied after suppression comments (none yet). Suppression comments are applied
    /// first and not through this list, so that `lintBytes` can hand over the directives it found
    /// once a file for them and the file's cross-file regions.
    package static let filters: [Filter] = []

    /// Suppression comments, then `filters`. `directives`: `document`'s suppression directives
    /// (`Suppressions.directives(in:)`) when the caller found them already; nil: found here.
    package static func apply(_ diagnostics: [Diagnostic], document: Document, rules: RuleSet,
                              directives: [Suppressions.Directive]? = nil) -> [Diagnostic] {
        var d = Suppressions.apply(diagnostics, directives: directives ?? Suppressions.directives(in: document), document: document, rules: rules)
        for f in filters { d = f(d, document, rules) }
        return d
    }
}

extension Linter {
    /// The last step every command shares after linting: input problems (missing paths, loops)
    /// become `io-error`/`file-skipped` findings, suppression comments apply to cross-file
    /// findings, and the list is put in output order. `ioFailure` is true when an input failed.
    /// `suppressions`: what the pass found (files it did not read are read here).
    public func completing(_ diagnostics: [Diagnostic], problems: [InputProblem], inMemory: [String: [UInt8]],
                           base: String, suppressions: CrossFileSuppressions? = nil) -> (diagnostics: [Diagnostic], ioFailure: Bool) {
        let (reported, ioFailure) = inputProblemDiagnostics(problems)
        var out = Suppressions.dropSuppressedCrossFile(diagnostics + reported, crossFileRules: Set(baseRules.crossFile.map(\.id)),
                                                       inMemory: inMemory, base: base, known: suppressions ?? CrossFileSuppressions())
        out.sort(by: Diagnostic.outputOrder)
        return (out, ioFailure)
    }

    /// Input problems (missing paths, loops) as `io-error`/`file-skipped` findings (those the
    /// config turned off are left out), and whether any input failed.
    public func inputProblemDiagnostics(_ problems: [InputProblem]) -> (diagnostics: [Diagnostic], ioFailure: Bool) {
        var out: [Diagnostic] = []
        var ioFailure = false
        for p in problems {
            let rule = p.isFailure ? "io-error" : "file-skipped"
            guard let severity = baseRules.engineSeverity[rule] ?? (p.isFailure ? .error : nil) else { continue }
            out.append(Diagnostic(rule: rule, severity: severity, path: p.path, line: 1, column: 1, message: p.message))
            if p.isFailure { ioFailure = true }
        }
        return (out, ioFailure)
    }
}

/// A file's cross-file facts handed from the thread that fetched them to the delivery (facts are
/// `Sendable` values; the cached ones are slices of a copy no one else holds).
private struct UncheckedFacts: @unchecked Sendable {
    let value: (facts: [(rule: Int, fact: any Sendable)], cached: [(rule: Int, bytes: ArraySlice<UInt8>)])
    init(_ value: (facts: [(rule: Int, fact: any Sendable)], cached: [(rule: Int, bytes: ArraySlice<UInt8>)])) { self.value = value }
}

/// A flag the delivery clears and the workers read. Relaxed: a worker that reads it late leaves
/// its facts unread after the delivery stopped leaving them, and the delivery reads them then
/// (`FileOutcome.factsLeftUnread`).
private final class WorkerFlag: Sendable {
    private let value: Atomic<Bool>
    init(_ value: Bool) { self.value = Atomic(value) }
    var isSet: Bool { value.load(ordering: .relaxed) }
    func clear() { value.store(false, ordering: .relaxed) }
}
