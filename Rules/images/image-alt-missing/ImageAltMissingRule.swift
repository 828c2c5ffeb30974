import Foundation
import NewsLintCore

/// `image-alt-missing`: empty or placeholder alt text (`图`, `image`, `""`), useless to
/// screen readers and search.
public struct ImageAltMissingRule: Rule, RuleWithOptions {
    public static let id = "image-alt-missing"
    package let placeholders: Set<String>

    public struct Options: Decodable, Sendable { var placeholders: [String] }

    public init(options: RuleOptions) throws {
        placeholders = Set(try Self.decodeOptions(options).placeholders.map { $0.lowercased() })
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        for (i, link) in ImageScanner.scan(document).enumerated() where link.syntaxProblem == nil && !link.isAlternate {
            if sink.budgetSpent(step: i + 1) { return }
            guard let alt = link.alt else {
                sink.report(link.range, "<img> has no alt attribute")
                continue
            }
            let text = String(decoding: document.bytes[alt], as: UTF8.self).trimmingWhitespaces()
            if text.isEmpty {
                sink.report(link.range, "image has empty alt text")
            } else if placeholders.contains(text.lowercased()) {
                sink.report(link.range, "alt text '\(text)' is a placeholder; describe the image")
            }
        }
    }
}
