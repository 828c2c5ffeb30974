extension RuleRegistry {
    /// Image link rules (issue 5).
    static let imageRules: [any Rule.Type] = []
}
