import NewsLintCore

extension RuleRegistry {
    package static let hygieneRules: [any Rule.Type] = [
        FinalNewlineRule.self,
        TrailingWhitespaceRule.self,
        LineEndingsRule.self,
        LeadingBlankLinesRule.self,
    ]
}
