extension RuleRegistry {
    /// Corpus-wide rules: duplicate slugs, duplicate and near-duplicate content (issue 5).
    static let crossFileRules: [any CrossFileRule.Type] = []
}
