import Foundation
import NewsLintCore

/// `html-inline-style` (off by default): presentation attributes (`style`, `class`) in a corpus
/// that wants clean HTML. Pasted text carries the source site's classes (`x11i5rnm xat24cr …`,
/// `flex w-full …`) and inline styles that mean nothing outside it. The fix deletes the
/// attribute; it is unsafe when the attribute hides the element (`display:none`, `hidden`),
/// since deleting it would show text the page never showed.
public struct HTMLInlineStyleRule: Rule, RuleWithOptions {
    public static let id = "html-inline-style"
    package let attributeNames: Set<String>
    /// Declarations and class names that hide an element (`overflow:hidden` and Tailwind's
    /// `empty:hidden` do not hide content that is there).
    package static let hidingDeclarations = ["display:none", "visibility:hidden"]
    package static let hidingClasses: Set<String> = ["hidden", "hide", "sr-only", "visually-hidden", "screen-reader-text", "d-none", "invisible"]

    public struct Options: Decodable, Sendable { var attributes: [String] }

    public init(options: RuleOptions) throws {
        attributeNames = Set(try Self.decodeOptions(options).attributes.map { $0.lowercased() })
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost else { return }
        let bytes = document.bytes
        let view = document.html
        var foreignDepth = 0
        for token in view.tokens where token.kind == .startTag || token.kind == .endTag {
            // SVG presentation is the drawing itself.
            if view.isTag(token, named: "svg", in: bytes) { foreignDepth = max(0, foreignDepth + (token.kind == .startTag && !token.selfClosing ? 1 : token.kind == .endTag ? -1 : 0)); continue }
            guard token.kind == .startTag, foreignDepth == 0 else { continue }
            for attribute in view.attributes(of: token) {
                let name = String(decoding: bytes[attribute.name], as: UTF8.self).lowercased()
                guard attributeNames.contains(name) else { continue }
                var end = attribute.name.upperBound
                if let value = attribute.value { end = value.upperBound + (attribute.quote != 0 ? 1 : 0) }
                var start = attribute.name.lowerBound
                while start > token.range.lowerBound, HTMLView.isSpace(bytes[start - 1]) { start -= 1 }
                let value = attribute.value.map { String(decoding: bytes[$0], as: UTF8.self) } ?? ""
                let hides = name == "class"
                    ? value.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).contains { Self.hidingClasses.contains(String($0)) }
                    : Self.hidingDeclarations.contains { value.lowercased().filter { $0 != " " && $0 != "\t" }.contains($0) }
                let fix = Fix(hides ? .unsafe : .safe, "delete the \(name) attribute", edit: .delete(start..<end))
                let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
                sink.report(attribute.name.lowerBound..<end, "inline \(name)=\"\(shown)\" on <\(view.tagName(token, in: bytes))>", fix: fix)
            }
        }
    }
}
