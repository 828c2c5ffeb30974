import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `boilerplate`'s messages filled by joining their parts, as `replacingOccurrences` fills them.
@Suite struct BoilerplateMessageTemplateTests {
    @Test func filledTemplatesMatchReplacingOccurrences() {
        let packMessages = BuiltinPatterns.loaded.packs.map(\.message)
        #expect(!packMessages.isEmpty)
        let templates = packMessages + ["scraper residue '{match}'", "{match}", "{match}{match} x {match", "no placeholder", "",
                                        "{match}\u{301} combining", "版权 '{match}'", "{ma{match}tch}"]
        for template in templates {
            for match in ["版权所有", "", "a{match}b", "\u{301}", "x"] {
                #expect(BoilerplateRule.MessageTemplate(template).filled(with: match)
                        == template.replacingOccurrences(of: "{match}", with: match), "\(template) \(match)")
            }
        }
    }
}
