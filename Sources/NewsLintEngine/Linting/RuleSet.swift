import Foundation
import NewsLintCore
import NewsLintRules

/// A per-file rule instance with its effective severity.
public struct ActiveRule: Sendable {
    public let id: String
    public let severity: Severity
    /// Whether `severity` was configured (else it is the catalog's default, and a rule's own
    /// severity for a finding, `DiagnosticSink.report(…, severity:)`, stands).
    public let severityConfigured: Bool
    public let rule: any Rule
    /// `type(of: rule).readsProse`, looked up once (the engine asks for every rule on every file).
    public let readsProse: Bool
    /// `type(of: rule).runsPastFileBudget`, looked up once.
    public let runsPastFileBudget: Bool
    /// `type(of: rule).checksUndecodedFiles`, looked up once.
    public let checksUndecodedFiles: Bool

    public init(id: String, severity: Severity, severityConfigured: Bool = false, rule: any Rule) {
        self.id = id
        self.severity = severity
        self.severityConfigured = severityConfigured
        self.rule = rule
        readsProse = type(of: rule).readsProse
        runsPastFileBudget = type(of: rule).runsPastFileBudget
        checksUndecodedFiles = type(of: rule).checksUndecodedFiles
    }
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
    package func decision(id: String, family: String) -> Bool? {
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
    public var perFile: [ActiveRule] {
        didSet {
            perFileIDs = perFile.map(\.id)
            undecodedCheckIDs = Self.undecodedCheckIDs(perFile)
            reportsUndecodedFilesAsSkipped = Self.reportsUndecodedFilesAsSkipped(undecodedCheckIDs, engineSeverity)
        }
    }
    /// The ids of `perFile`'s rules that check a file wholly in another encoding
    /// (`Rule.checksUndecodedFiles`), kept with it instead of rebuilt for each such file.
    public private(set) var undecodedCheckIDs: Set<String>
    /// Whether a file wholly in another encoding gets `file-skipped`'s "not linted" because no active
    /// rule checks such a file (the engine must then ask even a file with no findings). Kept with
    /// `perFile` and `engineSeverity`, not computed (a dictionary lookup) for each file.
    public private(set) var reportsUndecodedFilesAsSkipped: Bool
    /// `perFile`'s ids in its order, kept with it: the engine hands them to each file's
    /// `DiagnosticSink` once, which then starts each rule by its index (no id retained per rule).
    public private(set) var perFileIDs: [String]
    public var crossFile: [ActiveCrossFileRule]
    /// Severity of engine diagnostics (`io-error`, `file-skipped`) and whether they are on.
    public var engineSeverity: [String: Severity] {
        didSet { reportsUndecodedFilesAsSkipped = Self.reportsUndecodedFilesAsSkipped(undecodedCheckIDs, engineSeverity) }
    }
    /// Set when the overrides matching a file cannot be combined; the file is reported, not linted.
    public var configurationError: String?

    private static func undecodedCheckIDs(_ rules: [ActiveRule]) -> Set<String> {
        Set(rules.filter(\.checksUndecodedFiles).map(\.id))
    }

    private static func reportsUndecodedFilesAsSkipped(_ undecodedCheckIDs: Set<String>, _ engineSeverity: [String: Severity]) -> Bool {
        undecodedCheckIDs.isEmpty && engineSeverity["file-skipped"] != nil
    }

    public var isEmpty: Bool { perFile.isEmpty && crossFile.isEmpty }

    init(perFile: [ActiveRule], crossFile: [ActiveCrossFileRule], engineSeverity: [String: Severity], configurationError: String? = nil) {
        self.perFile = perFile
        perFileIDs = perFile.map(\.id)
        undecodedCheckIDs = Self.undecodedCheckIDs(perFile)
        self.crossFile = crossFile
        self.engineSeverity = engineSeverity
        reportsUndecodedFilesAsSkipped = Self.reportsUndecodedFilesAsSkipped(undecodedCheckIDs, engineSeverity)
        self.configurationError = configurationError
    }

    /// Builds the rule set for files matched by `overrides` (indices into `config.overrides`).
    public static func build(catalog: Catalog, config: Configuration, overrides: [Int] = [], filter: RuleFilter = RuleFilter()) throws -> RuleSet {
        var perFile: [ActiveRule] = []
        var crossFile: [ActiveCrossFileRule] = []
        var engine: [String: Severity] = [:]
        func resolve(_ id: String) throws -> (enabled: Bool, severity: Severity, configured: Bool, options: RuleOptions)? {
            guard let meta = catalog.metadata(id) else { return nil }
            var enabled = meta.enabledByDefault
            var severity = meta.severity
            var configured = false
            var options = meta.defaultOptions
            let layers: [[(key: String, setting: RuleSetting)]] = config.inheritedRules + [config.rules] + overrides.map { i in
                config.overrides[i].rules.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            for layer in layers {
                // Least specific first: all, then family, then the rule itself.
                for key in ["all", meta.family, id] {
                    for entry in layer where entry.key == key {
                        if let e = entry.setting.enabled { enabled = e }
                        if let s = entry.setting.severity { severity = s; configured = true }
                        if key == id { for (k, v) in entry.setting.options { options.set(k, v) } }
                    }
                }
            }
            if let d = filter.decision(id: id, family: meta.family) { enabled = d }
            return (enabled, severity, configured, options)
        }
        /// Builds one rule when it is enabled; an unusable option value becomes a config error at the value.
        func activate<R>(_ id: String, _ make: (RuleOptions) throws -> R) throws -> (severity: Severity, configured: Bool, rule: R)? {
            guard let r = try resolve(id), r.enabled else { return nil }
            do {
                return (r.severity, r.configured, try make(r.options))
            } catch let e as RuleOptionError {
                throw optionError(e, rule: id, config: config)
            }
        }
        let perFileMakers = RuleRegistry.perFile.map { type in (type.id, { (o: RuleOptions) throws -> any Rule in try type.init(options: o) }) }
            + catalog.dynamicRules.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (id, make) in perFileMakers {
            if let a = try activate(id, make) { perFile.append(ActiveRule(id: id, severity: a.severity, severityConfigured: a.configured, rule: a.rule)) }
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
package func optionError(_ e: RuleOptionError, rule: String, config: Configuration) -> ConfigError {
    let parts = e.option.split(separator: ".").map(String.init)
    var node: JSONNode?
    for entry in config.rules where entry.key == rule {
        node = parts.first.flatMap { entry.setting.options[$0] }
    }
    for name in parts.dropFirst() { node = node?[name] }
    return ConfigError(file: config.file ?? "(defaults)", position: node?.position, jsonPath: "rules.\(rule).\(e.option)", message: e.message)
}
