import Foundation
import NewsLintCore

/// A tiny CSS-like selector for CMS widgets: `tag`, `#id`, `.class` (several allowed),
/// attribute tests `[name]`, `[name=value]`, `[name^=value]`, `[name*=value]`, and `:text(…)`
/// (the element's first visible text starts with …). Enough to name a widget as data
/// (`div#zoomattribute`, `div.insertGroup`, `div:text(阅读更多)`), not a CSS engine.
///
/// A final class with constant fields: `html-widget` matches every element of a widget's tag, and a
/// struct read from its table was copied (its strings and arrays retained and released) per match.
package final class HTMLSelector: Sendable, Equatable {
    package enum AttributeTest: Sendable, Equatable { case present, equals(String), prefix(String), contains(String) }

    package let source: String
    package let tag: String?
    package let id: String?
    package let classes: [String]
    package let attributes: [(name: String, test: AttributeTest)]
    package let textPrefix: String?
    /// `textPrefix`'s first scalar, read once here: asked of the prefix per element and widget
    /// (`Collection.first` on its scalars) it was ~100 instructions a call, 2.4 M at agora x1.
    package let textPrefixFirstScalar: UInt32?
    /// The class names' UTF-8 when all are ASCII (see `hasClasses`), else nil.
    package let asciiClasses: [[UInt8]]?
    /// Whether the selector tests an attribute (`#id`, `.class`, `[name…]`): such a selector matches
    /// no start tag without attributes, most of a page's (`<div>` and `<span>` without any).
    package let testsAttributes: Bool

    package static func == (a: HTMLSelector, b: HTMLSelector) -> Bool { a.source == b.source }

    package struct SyntaxError: Error { var message: String }

    package init(_ source: String) throws {
        self.source = source
        var tag: String?, id: String?, classes: [String] = [], attributes: [(name: String, test: AttributeTest)] = [], textPrefix: String?
        let s = Array(source.trimmingWhitespaces())
        var i = 0
        func identifier() -> String {
            var out = ""
            while i < s.count, s[i].isLetter || s[i].isNumber || s[i] == "-" || s[i] == "_" { out.append(s[i]); i += 1 }
            return out
        }
        let tagName = identifier()
        if !tagName.isEmpty { tag = tagName.lowercased() }
        while i < s.count {
            let c = s[i]
            i += 1
            switch c {
            case "#":
                let name = identifier()
                guard !name.isEmpty else { throw SyntaxError(message: "'#' needs an id") }
                id = name
            case ".":
                let name = identifier()
                guard !name.isEmpty else { throw SyntaxError(message: "'.' needs a class name") }
                classes.append(name)
            case "[":
                guard let close = s[i...].firstIndex(of: "]") else { throw SyntaxError(message: "unclosed '['") }
                let body = String(s[i..<close])
                i = close + 1
                if let eq = body.firstIndex(of: "=") {
                    var name = String(body[..<eq])
                    var value = String(body[body.index(after: eq)...]).trimmingScalars(in: "\"' ")
                    var test = AttributeTest.equals(value)
                    if name.hasSuffix("^") { name.removeLast(); test = .prefix(value) } else if name.hasSuffix("*") { name.removeLast(); test = .contains(value) }
                    value = ""
                    attributes.append((name.trimmingWhitespaces().lowercased(), test))
                } else {
                    attributes.append((body.trimmingWhitespaces().lowercased(), .present))
                }
            case ":":
                let pseudo = identifier()
                guard pseudo == "text", i < s.count, s[i] == "(", let close = s[i...].lastIndex(of: ")") else {
                    throw SyntaxError(message: "only ':text(…)' is supported")
                }
                textPrefix = String(s[(i + 1)..<close])
                i = close + 1
            default:
                throw SyntaxError(message: "unexpected '\(c)'")
            }
        }
        guard tag != nil || id != nil || !classes.isEmpty || !attributes.isEmpty || textPrefix != nil else { throw SyntaxError(message: "empty selector") }
        self.tag = tag
        self.id = id
        self.classes = classes
        self.attributes = attributes
        self.textPrefix = textPrefix
        textPrefixFirstScalar = textPrefix?.unicodeScalars.first?.value
        asciiClasses = classes.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? classes.map { Array($0.utf8) } : nil
        testsAttributes = id != nil || !classes.isEmpty || !attributes.isEmpty
    }

    /// Whether the class attribute `value` lists every class of `classes` (ASCII names), answered on
    /// the bytes when the value is ASCII without a carriage return: then each byte is a `Character`
    /// (CR LF would be one), the separators are single bytes, and ASCII text is canonically equal
    /// to ASCII names only when the bytes are equal (a non-ASCII name such as the Kelvin sign can
    /// equal an ASCII one: those selectors take the `String` path). Nil: take the `String` path.
    /// Splitting the value into `String`s for every element and widget of its tag was most of the match.
    package static func hasClasses(_ classes: [[UInt8]]?, _ bytes: [UInt8], _ value: Range<Int>) -> Bool? {
        guard let classes else { return nil }
        return bytes.withUnsafeBufferPointer { b -> Bool? in
            for i in value where b[i] >= 0x80 || b[i] == 0x0D { return nil }
            for name in classes {
                var found = false
                var i = value.lowerBound
                while i < value.upperBound, !found {
                    while i < value.upperBound, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A { i += 1 }
                    let start = i
                    while i < value.upperBound, b[i] != 0x20, b[i] != 0x09, b[i] != 0x0A { i += 1 }
                    if i > start, i - start == name.count, UnsafeBufferPointer(rebasing: b[start..<i]).elementsEqual(name) { found = true }
                }
                if !found { return false }
            }
            return true
        }
    }

    /// Whether the start tag matches everything but its tag name and `:text` (`html-widget` tests
    /// an element's name once for all its selectors).
    package func matchesAttributes(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8]) -> Bool {
        matchesAttributes(token, view, bytes, answersAttributeless: true)
    }

    /// `matchesAttributes`; `answersAttributeless: false` asks each test of a tag without
    /// attributes as of any other (the tests compare the two).
    package func matchesAttributes(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8], answersAttributeless: Bool) -> Bool {
        var classValue: Range<Int>?? = nil
        return matchesAttributes(token, view, bytes, answersAttributeless: answersAttributeless, classValue: &classValue)
    }

    /// `matchesAttributes(token, view, bytes, answersAttributeless:)` with the tag's `class` value
    /// (`classValue`: nil until looked up, then `.some(nil)` when the tag has none) kept by the caller
    /// across the widgets it asks about one start tag: a `<div class=…>` is tested against each
    /// `div.…` widget, and each looked the attribute up again.
    package func matchesAttributes(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8], answersAttributeless: Bool,
                                   classValue: inout Range<Int>??) -> Bool {
        // A tag without attributes: each test below would find none (`attributeValue` nil, no `first`).
        if answersAttributeless && token.attributeIndices.isEmpty { return !testsAttributes }
        if let id {
            guard let value = view.attributeValue(token, named: "id", in: bytes), String(decoding: bytes[value], as: UTF8.self) == id else { return false }
        }
        if !classes.isEmpty {
            if classValue == nil { classValue = .some(view.attributeValue(token, named: "class", in: bytes)) }
            guard let value = classValue ?? nil else { return false }
            if let answer = Self.hasClasses(asciiClasses, bytes, value) {
                if !answer { return false }
            } else {
                let present = String(decoding: bytes[value], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                for c in classes where !present.contains(where: { $0 == c }) { return false }
            }
        }
        for (name, test) in attributes {
            let attribute = view.attributes(of: token).first { HTMLView.equalsIgnoringASCIICase(bytes, $0.name, name.utf8) }
            guard let attribute else { return false }
            let value = attribute.value.map { String(decoding: bytes[$0], as: UTF8.self) } ?? ""
            switch test {
            case .present: continue
            case let .equals(v): if value != v { return false }
            case let .prefix(v): if !value.hasPrefix(v) { return false }
            case let .contains(v): if !value.contains(v) { return false }
            }
        }
        return true
    }
}
