import NewsLintCore

extension RuleRegistry {
    /// Corpus-wide rules: duplicate slugs, duplicate and near-duplicate content (issue 5),
    /// and the online half of `image-link-broken` (each remote URL checked once per run).
    package static let crossFileRules: [any CrossFileRule.Type] = [
        SlugDuplicateRule.self, ContentDuplicateRule.self, ContentNearDuplicateRule.self, ImageLinkOnlineRule.self,
    ]
    /// Per-file checks of the cross-file family (slug syntax).
    package static let crossFilePerFileRules: [any Rule.Type] = [SlugInvalidRule.self]
}
