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
        // A folder of that name needs its name in the path's bytes: most paths hold none, and
        // splitting a long non-ASCII path into `Character`s was 1% of a default run.
        if Self.mayNameTemplateFolder(path) {
            let components = path.split(separator: "/").dropLast()
            if components.contains(where: { folders.contains(String($0)) }) { return true }
        }
        // `memchr` to each `{` (asked of every HTML file's whole body; a byte loop showed in profiles).
        return ByteSearch.containsPair(UInt8(ascii: "{"), in: bytes, bodyStart..<bytes.count) { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "{") }
    }

    /// Whether `path`'s bytes contain `layouts`, `partials`, `templates` or `_includes` (every
    /// folder name `computeIsSiteTemplate` looks for contains one of them; no other text is
    /// canonically equivalent to these lower-case ASCII names, so `String` equality needs the bytes).
    package static func mayNameTemplateFolder(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { b in
            var i = 0
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "l"): if Self.bytes(b, i, Self.layoutsName) { return true }
                case UInt8(ascii: "p"): if Self.bytes(b, i, Self.partialsName) { return true }
                case UInt8(ascii: "t"): if Self.bytes(b, i, Self.templatesName) { return true }
                case UInt8(ascii: "_"): if Self.bytes(b, i, Self.includesName) { return true }
                default: break
                }
                i += 1
            }
            return false
        }
    }

    private static let layoutsName = Array("layouts".utf8), partialsName = Array("partials".utf8)
    private static let templatesName = Array("templates".utf8), includesName = Array("_includes".utf8)

    private static func bytes(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: [UInt8]) -> Bool {
        guard at + word.count <= b.count else { return false }
        for k in 0..<word.count where b[at + k] != word[k] { return false }
        return true
    }

    /// An HTML post the `html` family checks: an HTML file that is not a site template.
    package var isHTMLPost: Bool { isHTMLFile && !isSiteTemplate }
}
