extension RuleRegistry {
    /// Scraper boilerplate and Markdown structure rules (issue 4).
    static let boilerplateRules: [any Rule.Type] = []
    /// Cross-file boilerplate rules: repeated lines, site names in titles (issue 4).
    static let boilerplateCrossFileRules: [any CrossFileRule.Type] = []
}
