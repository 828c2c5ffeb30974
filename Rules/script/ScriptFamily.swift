import NewsLintCore

extension RuleRegistry {
    /// Mixed script and encoding rules (issue 3).
    package static let scriptRules: [any Rule.Type] = [
        EncodingInvalidRule.self,
        MojibakeRule.self,
        ScriptMixedRule.self,
        PunctuationWidthRule.self,
        InvisibleCharRule.self,
        CompatIdeographRule.self,
        CharLostRule.self,
        PunctuationHalfwidthRule.self,
    ]
}
