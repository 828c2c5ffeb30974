import Foundation
import NewsLintCore

/// The rule catalog: metadata for every rule (built-in and from user packs) and the data tables rules load.
///
/// Layout of `Rules/`: `<family>/<rule-id>.json` for rules, `data/…` for tables.
/// The built-in copy is embedded in the binary (see `Scripts/embed-catalog`).
public struct Catalog: Sendable {
    public private(set) var rules: [RuleMetadata]
    private var index: [String: Int]
    /// Rules defined by data (user rule packs) rather than by a Swift type: id → factory.
    public var dynamicRules: [String: @Sendable (RuleOptions) throws -> any Rule] = [:]
    /// Cross-file rules supplied at run time rather than by `RuleRegistry` (library embedders, tests).
    public var dynamicCrossFileRules: [String: @Sendable (RuleOptions) throws -> any ErasedCrossFileRule] = [:]

    public init(rules: [RuleMetadata]) {
        self.rules = rules.sorted { $0.id < $1.id }
        self.index = [:]
        for (i, r) in self.rules.enumerated() { index[r.id] = i }
    }

    public func metadata(_ id: String) -> RuleMetadata? { index[id].map { rules[$0] } }

    public var ids: [String] { rules.map(\.id) }
    public var families: [String] { Array(Set(rules.map(\.family))).sorted() }

    /// Adds (or replaces) rules, e.g. from a user pack.
    public mutating func add(_ more: [RuleMetadata]) {
        for m in more {
            if let i = index[m.id] { rules[i] = m } else { rules.append(m) }
        }
        let dynamic = dynamicRules, dynamicCrossFile = dynamicCrossFileRules
        self = Catalog(rules: rules)
        dynamicRules = dynamic
        dynamicCrossFileRules = dynamicCrossFile
    }

    /// The catalog compiled into the binary. Parsed once per process.
    public static let builtin: Catalog = {
        var metas: [RuleMetadata] = []
        for (path, text) in EmbeddedFiles.all where isRuleFile(path) {
            do {
                metas.append(try RuleMetadata.parse(text, file: "Rules/" + path))
            } catch {
                // The embedded catalog is validated by tests; a broken entry is a build defect.
                fatalError("embedded catalog is invalid: \(error)")
            }
        }
        return Catalog(rules: metas)
    }()

    /// Whether a path relative to `Rules/` is a rule description (as opposed to a data table or notice).
    public static func isRuleFile(_ path: String) -> Bool {
        path.hasSuffix(".json") && !path.hasPrefix("data/") && path.contains("/")
    }
}

/// Access to the embedded `Rules/` files, decoded once.
public enum EmbeddedFiles {
    /// All embedded files as (path relative to `Rules/`, UTF-8 text), sorted by path.
    public static let all: [(path: String, text: String)] = EmbeddedCatalog.files.map { entry in
        (entry.path, String(decoding: Data(base64Encoded: entry.base64) ?? Data(), as: UTF8.self))
    }

    /// Raw bytes of each embedded file.
    public static func bytes(_ path: String) -> [UInt8]? {
        guard let entry = EmbeddedCatalog.files.first(where: { $0.path == path }) else { return nil }
        return Data(base64Encoded: entry.base64).map { [UInt8]($0) }
    }

    /// Text of an embedded data file such as `data/boilerplate.json`.
    public static func text(_ path: String) -> String? {
        all.first(where: { $0.path == path })?.text
    }
}
