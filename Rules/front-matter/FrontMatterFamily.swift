import NewsLintCore

extension RuleRegistry {
    package static let frontMatterRules: [any Rule.Type] = [
        FrontMatterMissingRule.self,
        FrontMatterMalformedRule.self,
        FrontMatterFieldRule.self,
        BodyEmptyRule.self,
    ]
    /// The corpus half of `body-empty`: one short body repeated across many files (issue 12).
    package static let frontMatterCrossFileRules: [any CrossFileRule.Type] = [BodyPlaceholderRule.self]
}
