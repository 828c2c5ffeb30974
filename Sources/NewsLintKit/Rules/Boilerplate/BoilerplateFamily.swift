extension RuleRegistry {
    /// Scraper boilerplate and Markdown structure rules (issue 4).
    static let boilerplateRules: [any Rule.Type] = []
}
