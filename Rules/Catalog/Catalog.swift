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

    /// The catalog compiled into the binary: `rule.json` decoded when the binary was built
    /// (`EmbeddedCatalog.rules`), the examples parsed when first asked for (tests, `explain`).
    public static let builtin = Catalog(rules: EmbeddedCatalog.rules)
}

/// One file of `Rules/`, compiled into the binary by `Scripts/embed-catalog`.
///
/// Text files stay the string literal they were compiled as (no copy at startup: a lint run
/// reads a few data files, never the ~700 examples); bytes are made when asked for.
public struct EmbeddedFile: Sendable {
    private enum Storage: Sendable {
        case text(String)
        case bytes([UInt8])
    }

    /// Path relative to `Rules/`.
    public let path: String
    private let storage: Storage

    package init(_ path: String, _ text: String) {
        self.path = path
        self.storage = .text(text)
    }

    package init(_ path: String, bytes: [UInt8]) {
        self.path = path
        self.storage = .bytes(bytes)
    }

    public var bytes: [UInt8] {
        switch storage {
        case .text(let text): return Array(text.utf8)
        case .bytes(let bytes): return bytes
        }
    }

    public var text: String {
        switch storage {
        case .text(let text): return text
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }
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

    /// A rule's folder: `<family>/<id>` and its `rule.json`.
    public struct RuleFolder: Sendable {
        public var path: String
        public var ruleJSON: String

        /// The files under its `examples/` (paths relative to `examples/`), read on demand.
        public var examples: [(path: String, bytes: [UInt8])] { EmbeddedFiles.examples(of: path) }
    }

    /// The files under `<folder>/examples/` (folder `<family>/<id>`), with paths relative to it.
    public static func examples(of folder: String) -> [(path: String, bytes: [UInt8])] {
        let prefix = folder + "/examples/"
        return EmbeddedCatalog.files.filter { $0.path.hasPrefix(prefix) }.map { (String($0.path.dropFirst(prefix.count)), $0.bytes) }
    }

    /// Every folder of `Rules/` that holds a `rule.json`.
    public static var ruleFolders: [RuleFolder] {
        EmbeddedCatalog.files.filter { isRuleFile($0.path) }.map { RuleFolder(path: String($0.path.dropLast("/rule.json".count)), ruleJSON: $0.text) }
    }

    /// Whether a path relative to `Rules/` is a rule description: `<family>/<id>/rule.json`.
    public static func isRuleFile(_ path: String) -> Bool {
        path.hasSuffix("/rule.json") && path.split(separator: "/").count == 3
    }
}
