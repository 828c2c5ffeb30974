import Foundation
import NewsLintCore

extension RuleRegistry {
    /// Residue in HTML documents (issue 14): widgets, empty wrappers, inline presentation,
    /// tracking pixels, unbalanced tags, double escaping. Markdown and plain text are
    /// `html-remnant`'s (each document is checked by one of the two, never both).
    package static let htmlRules: [any Rule.Type] = [
        HTMLWidgetRule.self,
        HTMLEmptyElementRule.self,
        HTMLInlineStyleRule.self,
        HTMLTrackingPixelRule.self,
        HTMLTagUnbalancedRule.self,
        HTMLDoubleEscapedRule.self,
    ]
}

extension Document {
    /// Whether the file is a site template rather than a post: under a generator's template folder
    /// (`_includes/`, `_layouts/`, `layouts/`, `partials/`) or holding Liquid/Go template tags (`{%`,
    /// `{{`). Templates open elements that another template closes (a header include opens
    /// `<div class="wrapper">`, the footer closes it), so the HTML rules judge posts only.
    package var isSiteTemplate: Bool { views.isSiteTemplate { computeIsSiteTemplate() } }

    private func computeIsSiteTemplate() -> Bool {
        let folders = ["_includes", "_layouts", "layouts", "partials", "_partials", "templates"]
        let components = path.split(separator: "/").dropLast()
        if components.contains(where: { folders.contains(String($0)) }) { return true }
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return false }
            // `memchr` to each `{` (asked of every HTML file's whole body; a byte loop showed in profiles).
            var i = bodyStart
            while i + 1 < b.count {
                guard let hit = memchr(base + i, Int32(UInt8(ascii: "{")), b.count - 1 - i) else { return false }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if b[i + 1] == UInt8(ascii: "%") || b[i + 1] == UInt8(ascii: "{") { return true }
                i += 1
            }
            return false
        }
    }

    /// An HTML post the `html` family checks: an HTML file that is not a site template.
    package var isHTMLPost: Bool { isHTMLFile && !isSiteTemplate }
}
