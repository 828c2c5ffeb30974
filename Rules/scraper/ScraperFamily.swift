import NewsLintCore

extension RuleRegistry {
    /// Scraper boilerplate and Markdown structure rules (issue 4).
    package static let boilerplateRules: [any Rule.Type] = [
        BoilerplateRule.self,
        TitleBoilerplateRule.self,
        MoreMarkerRule.self,
        IndentedParagraphRule.self,
        HTMLRemnantRule.self,
        EmailObfuscatedRule.self,
        ArchiveResidueRule.self,
        NullPlaceholderRule.self,
        TimestampRawRule.self,
        LinkAPIRule.self,
    ]
    /// Cross-file boilerplate rules: repeated lines, site names in titles (issue 4).
    /// `title-boilerplate` has a per-file part (domains, known site names) and this corpus part.
    package static let boilerplateCrossFileRules: [any CrossFileRule.Type] = [
        BoilerplateRepeatedRule.self,
        TitleRepeatedAffixRule.self,
    ]
}
