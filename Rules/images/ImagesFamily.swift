import NewsLintCore

extension RuleRegistry {
    /// Image link rules (issue 5). The online half of `image-link-broken` is cross-file
    /// (`ImageLinkOnlineRule`, listed in `crossFileRules`) so each URL is checked once per run.
    package static let imageRules: [any Rule.Type] = [ImageLinkBrokenRule.self, ImageAltMissingRule.self]
}
