extension RuleRegistry {
    static let frontMatterRules: [any Rule.Type] = [
        FrontMatterMissingRule.self,
        FrontMatterMalformedRule.self,
        FrontMatterFieldRule.self,
    ]
}
