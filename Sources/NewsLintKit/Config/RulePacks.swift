import Foundation

/// Loads user rule packs (directories of JSON rule files named under `rulePacks`) into the catalog.
public enum RulePackRegistry {
    /// Loads every `*.json` in `path` (a directory or a single file) into `catalog`.
    public static func load(path: String, into catalog: inout Catalog) throws {
        // Filled in by the rule-pack implementation (issue 4): pattern rules as data.
        throw ConfigError(file: path, message: "rule packs are not supported by this build yet")
    }
}
