import Dispatch
import Synchronization
import NewsLintCore

/// Every built-in rule implementation. Each family lists its rules in its own
/// folder (`Rules/<family>/<Family>Family.swift`); the rule itself is one folder, `Rules/<family>/<rule-id>/`.
public enum RuleRegistry {
    public static let perFile: [any Rule.Type] =
        frontMatterRules + hygieneRules + scriptRules + boilerplateRules + imageRules + htmlRules + crossFilePerFileRules

    public static let crossFile: [any CrossFileRule.Type] = boilerplateCrossFileRules + crossFileRules + frontMatterCrossFileRules

    /// Ids produced by the engine itself rather than a rule (`io-error`, `file-skipped`,
    /// and `unused-suppression` from the suppression filter).
    public static let engineRuleIDs = ["io-error", "file-skipped", "unused-suppression"]

    /// `engineRuleIDs.contains(id)`, lengths compared first: asked for every finding the text
    /// format quotes, where three string comparisons (a decoded id is not a small string) cost
    /// ~280 instructions a finding.
    public static func isEngineRule(_ id: String) -> Bool {
        let length = id.utf8.count
        return engineRuleIDs.contains { $0.utf8.count == length && $0 == id }
    }

    /// All ids with an implementation (built-in only; packs add dynamic ones through the catalog).
    public static var implementedIDs: [String] {
        (perFile.map { $0.id } + crossFile.map { $0.id } + engineRuleIDs).sorted()
    }

    /// Starts building the tables the script rules and the corpus profile read, on another
    /// thread; the first rule that reads them waits only for what is left. Only the first call
    /// starts anything (the engine asks again at a run's first file it reads: a run the cache
    /// answers whole never builds them).
    public static func prepareTablesInBackground() {
        guard !tablesRequested.exchange(true, ordering: .relaxed) else { return }
        DispatchQueue.global(qos: .userInitiated).async { _ = ScriptTables.shared }
    }

    private static let tablesRequested = Atomic(false)
}
