extension RuleRegistry {
    /// Cross-file rules: duplicate slugs, duplicate content, repeated boilerplate (issues 4, 5).
    static let crossFileRules: [any CrossFileRule.Type] = []
}
