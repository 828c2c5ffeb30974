import NewsLintCore

extension RuleRegistry {
    /// Mixed script and encoding rules (issue 3).
    package static let scriptRules: [any Rule.Type] = [
        MojibakeRule.self,
        ScriptMixedRule.self,
        PunctuationWidthRule.self,
        InvisibleCharRule.self,
        CompatIdeographRule.self,
        CharLostRule.self,
        PunctuationHalfwidthRule.self,
        // Last: the rules above that decode the file find its validity in the same walk
        // (`Document.scalars`); asked first, it would cost a walk of its own.
        EncodingInvalidRule.self,
    ]
}
