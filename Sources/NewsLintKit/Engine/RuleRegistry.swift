import Foundation

/// Every built-in rule implementation. Each family lists its rules in its own
/// folder (`Rules/<Family>/<Family>Family.swift`), so adding a rule touches only that folder.
public enum RuleRegistry {
    public static let perFile: [any Rule.Type] =
        frontMatterRules + hygieneRules + scriptRules + boilerplateRules + imageRules + htmlRules + crossFilePerFileRules

    public static let crossFile: [any CrossFileRule.Type] = boilerplateCrossFileRules + crossFileRules + frontMatterCrossFileRules

    /// Ids produced by the engine itself rather than a rule (`io-error`, `file-skipped`,
    /// and `unused-suppression` from the suppression filter).
    public static let engineRuleIDs = ["io-error", "file-skipped", "unused-suppression"]

    /// All ids with an implementation (built-in only; packs add dynamic ones through the catalog).
    public static var implementedIDs: [String] {
        (perFile.map { $0.id } + crossFile.map { $0.id } + engineRuleIDs).sorted()
    }
}

/// A per-file rule instance with its effective severity.
public struct ActiveRule: Sendable {
    public let id: String
    public let severity: Severity
    public let rule: any Rule
}

/// A cross-file rule instance with its effective severity.
public struct ActiveCrossFileRule: Sendable {
    public let id: String
    public let severity: Severity
    public let rule: any ErasedCrossFileRule
}

/// Which rules are selected on the command line (`--select`, `--ignore`): ids or family names.
public struct RuleFilter: Sendable {
    public var select: [String]?
    public var ignore: [String]
    /// Enabled in addition to `select` (or to the configured rules when there is no `select`).
    public var extendSelect: [String] = []
    public init(select: [String]? = nil, ignore: [String] = [], extendSelect: [String] = []) {
        self.select = select
        self.ignore = ignore
        self.extendSelect = extendSelect
    }

    /// nil: no opinion; true/false: force on/off.
    func decision(id: String, family: String) -> Bool? {
        if ignore.contains(id) || ignore.contains(family) || ignore.contains("all") { return false }
        if extendSelect.contains(id) || extendSelect.contains(family) || extendSelect.contains("all") { return true }
        if let select {
            return select.contains(id) || select.contains(family) || select.contains("all")
        }
        return nil
    }
}

/// The rules that run on some set of files, built once and shared by workers.
public struct RuleSet: Sendable {
    public var perFile: [ActiveRule]
    public var crossFile: [ActiveCrossFileRule]
    /// Severity of engine diagnostics (`io-error`, `file-skipped`) and whether they are on.
    public var engineSeverity: [String: Severity]
    /// Set when the overrides matching a file cannot be combined; the file is reported, not linted.
    public var configurationError: String?

    public var isEmpty: Bool { perFile.isEmpty && crossFile.isEmpty }

    /// Builds the rule set for files matched by `overrides` (indices into `config.overrides`).
    public static func build(catalog: Catalog, config: Configuration, overrides: [Int] = [], filter: RuleFilter = RuleFilter()) throws -> RuleSet {
        var perFile: [ActiveRule] = []
        var crossFile: [ActiveCrossFileRule] = []
        var engine: [String: Severity] = [:]
        func resolve(_ id: String) throws -> (enabled: Bool, severity: Severity, options: RuleOptions)? {
            guard let meta = catalog.metadata(id) else { return nil }
            var enabled = meta.enabledByDefault
            var severity = meta.severity
            var options = meta.defaultOptions
            let layers: [[(key: String, setting: RuleSetting)]] = config.inheritedRules + [config.rules] + overrides.map { i in
                config.overrides[i].rules.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            for layer in layers {
                // Least specific first: all, then family, then the rule itself.
                for key in ["all", meta.family, id] {
                    for entry in layer where entry.key == key {
                        if let e = entry.setting.enabled { enabled = e }
                        if let s = entry.setting.severity { severity = s }
                        if key == id { for (k, v) in entry.setting.options { options.set(k, v) } }
                    }
                }
            }
            if let d = filter.decision(id: id, family: meta.family) { enabled = d }
            return (enabled, severity, options)
        }
        /// Builds one rule when it is enabled; an unusable option value becomes a config error at the value.
        func activate<R>(_ id: String, _ make: (RuleOptions) throws -> R) throws -> (severity: Severity, rule: R)? {
            guard let r = try resolve(id), r.enabled else { return nil }
            do {
                return (r.severity, try make(r.options))
            } catch let e as RuleOptionError {
                throw optionError(e, rule: id, config: config)
            }
        }
        let perFileMakers = RuleRegistry.perFile.map { type in (type.id, { (o: RuleOptions) throws -> any Rule in try type.init(options: o) }) }
            + catalog.dynamicRules.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (id, make) in perFileMakers {
            if let a = try activate(id, make) { perFile.append(ActiveRule(id: id, severity: a.severity, rule: a.rule)) }
        }
        let crossFileMakers = RuleRegistry.crossFile.map { type in (type.id, { (o: RuleOptions) throws -> any ErasedCrossFileRule in try type.erased(options: o) }) }
            + catalog.dynamicCrossFileRules.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (id, make) in crossFileMakers {
            if let a = try activate(id, make) { crossFile.append(ActiveCrossFileRule(id: id, severity: a.severity, rule: a.rule)) }
        }
        for id in RuleRegistry.engineRuleIDs {
            if let r = try resolve(id), r.enabled { engine[id] = r.severity }
        }
        return RuleSet(perFile: perFile, crossFile: crossFile, engineSeverity: engine)
    }
}

/// A config error for an unusable option value, pointing at the value in the config file.
func optionError(_ e: RuleOptionError, rule: String, config: Configuration) -> ConfigError {
    let parts = e.option.split(separator: ".").map(String.init)
    var node: JSONNode?
    for entry in config.rules where entry.key == rule {
        node = parts.first.flatMap { entry.setting.options[$0] }
    }
    for name in parts.dropFirst() { node = node?[name] }
    return ConfigError(file: config.file ?? "(defaults)", position: node?.position, jsonPath: "rules.\(rule).\(e.option)", message: e.message)
}

/// Type-erased cross-file rule so rules with different fact types share one list.
public protocol ErasedCrossFileRule: Sendable {
    func collectErased(_ document: Document, environment: LintEnvironment) -> (any Sendable)?
    func finishErased(_ facts: [(path: String, fact: any Sendable)], id: String, severity: Severity, environment: LintEnvironment) -> [Diagnostic]
    func encodeFact(_ fact: any Sendable) throws -> Data
    func decodeFact(_ data: Data) throws -> any Sendable
    /// The cache's form of a fact (`CompactCoder`: positional binary, far cheaper to decode than JSON).
    func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8]
    func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable
    /// Storage for this rule's facts over a run (see `FactColumn`).
    func makeFactColumn() -> any FactColumn
}

extension ErasedCrossFileRule {
    public func makeFactColumn() -> any FactColumn { BoxedFactColumn(rule: self) }
    public func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8] { [UInt8](try encodeFact(fact)) }
    public func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable { try decodeFact(Data(bytes)) }
}

/// One cross-file rule's facts over a run, in delivery order, and its reduce phase. Typed columns
/// store facts unboxed: an existential box per fact was the largest per-file cost of a streamed run.
/// Appended to from one thread at a time (the engine's delivery), never concurrently.
public protocol FactColumn: AnyObject {
    func append(file: Int, fact: any Sendable)
    var count: Int { get }
    func entry(_ i: Int) -> (file: Int, fact: any Sendable)
    /// Runs the reduce phase over the facts (sorted by path) and releases them. With `into`, the
    /// findings go there as they are reported and the result is empty.
    func finish(paths: [String], id: String, severity: Severity, environment: LintEnvironment, into runs: DiagnosticRuns?) -> [Diagnostic]
}

extension FactColumn {
    /// (path, fact) sorted by path, as the reduce phase receives them.
    func sortedEntries<F>(_ entries: [(file: Int, fact: F)], paths: [String]) -> [FileFact<F>] {
        var facts = entries.map { FileFact(path: paths[$0.file], fact: $0.fact) }
        facts.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return facts
    }
}

final class TypedFactColumn<R: CrossFileRule>: FactColumn, @unchecked Sendable {
    let rule: R
    private var entries: [(file: Int, fact: R.Fact)] = []
    init(rule: R) { self.rule = rule }

    func append(file: Int, fact: any Sendable) {
        if let typed = fact as? R.Fact { entries.append((file, typed)) }
    }
    var count: Int { entries.count }
    func entry(_ i: Int) -> (file: Int, fact: any Sendable) { (entries[i].file, entries[i].fact) }

    func finish(paths: [String], id: String, severity: Severity, environment: LintEnvironment, into runs: DiagnosticRuns?) -> [Diagnostic] {
        let facts = sortedEntries(entries, paths: paths)
        entries = []
        var sink = CrossFileSink(rule: id, severity: severity)
        sink.environment = environment
        sink.overflow = runs
        rule.finish(facts, into: &sink)
        return sink.diagnostics
    }
}

/// The column of a type-erased rule without a typed one.
final class BoxedFactColumn: FactColumn, @unchecked Sendable {
    let rule: any ErasedCrossFileRule
    private var entries: [(file: Int, fact: any Sendable)] = []
    init(rule: any ErasedCrossFileRule) { self.rule = rule }

    func append(file: Int, fact: any Sendable) { entries.append((file, fact)) }
    var count: Int { entries.count }
    func entry(_ i: Int) -> (file: Int, fact: any Sendable) { entries[i] }

    func finish(paths: [String], id: String, severity: Severity, environment: LintEnvironment, into runs: DiagnosticRuns?) -> [Diagnostic] {
        let facts = sortedEntries(entries, paths: paths).map { (path: $0.path, fact: $0.fact) }
        entries = []
        let found = rule.finishErased(facts, id: id, severity: severity, environment: environment)
        guard let runs else { return found }
        runs.add(contentsOf: found)
        return []
    }
}

struct CrossFileBox<R: CrossFileRule>: ErasedCrossFileRule {
    let rule: R

    func collectErased(_ document: Document, environment: LintEnvironment) -> (any Sendable)? { rule.collect(document, environment: environment) }

    func finishErased(_ facts: [(path: String, fact: any Sendable)], id: String, severity: Severity, environment: LintEnvironment) -> [Diagnostic] {
        let typed = facts.compactMap { f in (f.fact as? R.Fact).map { FileFact(path: f.path, fact: $0) } }
        var sink = CrossFileSink(rule: id, severity: severity)
        sink.environment = environment
        rule.finish(typed, into: &sink)
        return sink.diagnostics
    }

    func encodeFact(_ fact: any Sendable) throws -> Data {
        guard let typed = fact as? R.Fact else { throw CocoaError(.coderInvalidValue) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(typed)
    }

    func decodeFact(_ data: Data) throws -> any Sendable { try JSONDecoder().decode(R.Fact.self, from: data) }

    func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8] {
        guard let typed = fact as? R.Fact else { throw CocoaError(.coderInvalidValue) }
        return try CompactCoder.encode(typed)
    }

    func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable { try CompactCoder.decode(R.Fact.self, from: bytes) }

    func makeFactColumn() -> any FactColumn { TypedFactColumn(rule: rule) }
}

extension CrossFileRule {
    public static func erased(options: RuleOptions) throws -> any ErasedCrossFileRule { CrossFileBox(rule: try Self(options: options)) }
}
