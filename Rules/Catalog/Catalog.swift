import Foundation
import NewsLintCore

/// The rule catalog: metadata for every rule (built-in and from user packs) and the data tables rules load.
///
/// Layout of `Rules/`: one folder per rule, `<family>/<rule-id>/` (see `EmbeddedFiles`).
/// The built-in copy is compiled into the binary (see `Scripts/embed-catalog`).
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

    /// A rule's family without copying its metadata (asked per finding: a copy retains every example).
    public func family(of id: String) -> String? { index[id].map { rules[$0].family } }

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
        for folder in EmbeddedFiles.ruleFolders {
            do {
                metas.append(try RuleMetadata.parse(folder.ruleJSON, file: "Rules/\(folder.path)/rule.json", examples: folder.examples))
            } catch {
                // The embedded catalog is validated by tests; a broken entry is a build defect.
                fatalError("embedded catalog is invalid: \(error)")
            }
        }
        return Catalog(rules: metas)
    }()
}

/// One file of `Rules/`, compiled into the binary by `Scripts/embed-catalog`.
public struct EmbeddedFile: Sendable {
    /// Path relative to `Rules/`.
    public let path: String
    public let bytes: [UInt8]

    package init(_ path: String, _ text: String) {
        self.path = path
        self.bytes = Array(text.utf8)
    }

    package init(_ path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Access to the embedded `Rules/` files.
///
/// Layout: `<family>/<rule-id>/rule.json` with `examples/` and `data/` beside it (see
/// `RuleExamples`); data shared by a family in `<family>/data/`.
public enum EmbeddedFiles {
    /// All embedded files as (path relative to `Rules/`, UTF-8 text), sorted by path.
    public static var all: [(path: String, text: String)] { EmbeddedCatalog.files.map { ($0.path, $0.text) } }

    /// Raw bytes of each embedded file.
    public static func bytes(_ path: String) -> [UInt8]? {
        EmbeddedCatalog.files.first(where: { $0.path == path })?.bytes
    }

    /// Text of an embedded data file such as `script/data/compat.txt`.
    public static func text(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Files under a folder of `Rules/` (e.g. `scraper/boilerplate/data/`), with their path relative to it.
    public static func files(under folder: String) -> [(path: String, text: String)] {
        EmbeddedCatalog.files.filter { $0.path.hasPrefix(folder) }.map { (String($0.path.dropFirst(folder.count)), $0.text) }
    }

    /// A rule's folder: `<family>/<id>`, its `rule.json` and its examples (paths relative to `examples/`).
    public struct RuleFolder {
        public var path: String
        public var ruleJSON: String
        public var examples: [(path: String, bytes: [UInt8])]
    }

    /// Every folder of `Rules/` that holds a `rule.json`.
    public static var ruleFolders: [RuleFolder] {
        var folders: [RuleFolder] = []
        for file in EmbeddedCatalog.files where isRuleFile(file.path) {
            let folder = String(file.path.dropLast("/rule.json".count))
            let prefix = folder + "/examples/"
            let examples = EmbeddedCatalog.files.filter { $0.path.hasPrefix(prefix) }.map { (String($0.path.dropFirst(prefix.count)), $0.bytes) }
            folders.append(RuleFolder(path: folder, ruleJSON: file.text, examples: examples))
        }
        return folders
    }

    /// Whether a path relative to `Rules/` is a rule description: `<family>/<id>/rule.json`.
    public static func isRuleFile(_ path: String) -> Bool {
        path.hasSuffix("/rule.json") && path.split(separator: "/").count == 3
    }
}
