import Foundation
import NewsLintCore

extension RuleRegistry {
    /// Residue in HTML documents (issue 14): widgets, empty wrappers, inline presentation,
    /// tracking pixels, unbalanced tags, double escaping, a `<meta>` charset the UTF-8 file is not in,
    /// paragraphs of bare text without `<p>`. Markdown and plain text are
    /// `html-remnant`'s (each document is checked by one of the two, never both).
    package static let htmlRules: [any Rule.Type] = [
        HTMLWidgetRule.self,
        HTMLEmptyElementRule.self,
        HTMLInlineStyleRule.self,
        HTMLTrackingPixelRule.self,
        HTMLTagUnbalancedRule.self,
        HTMLDoubleEscapedRule.self,
        CharsetMismatchRule.self,
        HTMLBareTextRule.self,
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

    /// Whether `path`'s bytes hold `layouts`, `partials`, `templates` or `_includes` right before a
    /// `/` (every folder name `computeIsSiteTemplate` looks for ends with one of them; no other text
    /// is canonically equivalent to these lower-case ASCII names, so `String` equality needs the
    /// bytes; and a component before the last is followed by a `/` separator, a `/` byte). The
    /// slashes are found by `memchr` and each is looked behind: a byte walk of the whole path, the
    /// file name's hundred bytes of Chinese included, cost ~1,000 instructions an HTML file.
    package static func mayNameTemplateFolder(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { b in
            var from = 0
            while let slash = ByteWords.firstIndex(of: UInt8(ascii: "/"), in: b, from: from, to: b.count) {
                if Self.endsWithFolderName(b, before: slash) { return true }
                from = slash &+ 1
            }
            return false
        }
    }

    /// Whether `b[..<end]` ends with `layouts`, `partials`, `templates` or `_includes`: all end in `s`.
    private static func endsWithFolderName(_ b: UnsafeBufferPointer<UInt8>, before end: Int) -> Bool {
        guard end >= 7, b[end &- 1] == UInt8(ascii: "s") else { return false }
        return Self.bytes(b, end &- 7, Self.layoutsName) || Self.bytes(b, end &- 8, Self.partialsName)
            || Self.bytes(b, end &- 9, Self.templatesName) || Self.bytes(b, end &- 9, Self.includesName)
    }

    private static let layoutsName = Array("layouts".utf8), partialsName = Array("partials".utf8)
    private static let templatesName = Array("templates".utf8), includesName = Array("_includes".utf8)

    private static func bytes(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: [UInt8]) -> Bool {
        guard at >= 0, at + word.count <= b.count else { return false }
        for k in 0..<word.count where b[at + k] != word[k] { return false }
        return true
    }

    /// An HTML post the `html` family checks: an HTML file that is not a site template.
    package var isHTMLPost: Bool { isHTMLFile && !isSiteTemplate }
}
