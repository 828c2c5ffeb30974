extension RuleRegistry {
    /// Residue in HTML documents (issue 14): widgets, empty wrappers, inline presentation,
    /// tracking pixels, unbalanced tags, double escaping. Markdown and plain text are
    /// `html-remnant`'s (each document is checked by one of the two, never both).
    static let htmlRules: [any Rule.Type] = [
        HTMLWidgetRule.self,
        HTMLEmptyElementRule.self,
        HTMLInlineStyleRule.self,
        HTMLTrackingPixelRule.self,
        HTMLTagUnbalancedRule.self,
        HTMLDoubleEscapedRule.self,
    ]
}
