import Foundation
import NewsLintCore

/// The built-in widget selectors (`Rules/html/html-widget/data/widgets.json`), parsed once per process.
package enum BuiltinWidgets {
    package static let loaded: [HTMLWidgetRule.Widget] = {
        guard let text = EmbeddedFiles.text("html/html-widget/data/widgets.json") else { return [] }
        do { return try HTMLWidgetRule.parseTable(text) } catch {
            // Validated by tests; a broken embedded table is a build defect.
            fatalError("embedded widget table is invalid: \(error)")
        }
    }()
}

/// `html-widget`: CMS interface markup scraped with the article (image zoom links, related-
/// article inserts, "read more" lists, glossary pop-ups, social embeds a script would fill).
/// Widgets are data (`Rules/html/html-widget/data/widgets.json` plus the `selectors` option), matched by
/// tag, id, class, attribute and first text. One finding per outermost widget; the fix deletes
/// it together with wrappers that held nothing else, safe as the table says.
public struct HTMLWidgetRule: Rule, RuleWithOptions {
    public static let id = "html-widget"

    package struct Widget: Sendable {
        package enum FixPolicy: String, Sendable { case safe, unsafe
        /// Only a widget that shows nothing (a tweet blockquote with the quoted text is content).
        case emptyOnly = "empty-only"
        /// Only when it shows nothing, and the fix is unsafe: an empty embed placeholder still
        /// carries the link to its source (the tweet's URL), which an editor may want to keep.
        case emptyOnlyUnsafe = "empty-only-unsafe" }
        package var selector: HTMLSelector
        package var label: String
        package var fix: FixPolicy
    }

    package let widgets: [Widget]
    /// Each widget's tag name, flat: widget `w`'s is `tagBytes[tagBounds[2w]..<tagBounds[2w + 1]]`,
    /// -1 bounds when it names none. Most elements are not of a widget's tag, and asking the
    /// selector copied it (its strings and arrays) for every element and widget.
    private let tagBytes: [UInt8]
    private let tagBounds: [Int]
    /// Wrappers removed with a widget when it is all they hold.
    package static let wrapperNames: Set<String> = ["div", "span", "p", "section", "aside", "figure"]

    public struct Options: Decodable, Sendable {
        package var builtin: Bool
        package var selectors: [String]
    }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        var list = o.builtin ? BuiltinWidgets.loaded : []
        for source in o.selectors {
            do {
                list.append(Widget(selector: try HTMLSelector(source), label: "widget '\(source)'", fix: .unsafe))
            } catch let error as HTMLSelector.SyntaxError {
                throw RuleOptionError(option: "selectors", message: "'\(source)': \(error.message)")
            }
        }
        widgets = list
        var tagBytes: [UInt8] = [], tagBounds: [Int] = []
        for widget in list {
            if let tag = widget.selector.tag {
                tagBounds.append(tagBytes.count)
                tagBytes += tag.utf8
                tagBounds.append(tagBytes.count)
            } else {
                tagBounds += [-1, -1]
            }
        }
        self.tagBytes = tagBytes
        self.tagBounds = tagBounds
    }

    package static func parseTable(_ text: String) throws -> [Widget] {
        let root = try JSONParser.parse(text)
        guard let entries = root["widgets"]?.array else { throw HTMLSelector.SyntaxError(message: "expected 'widgets'") }
        return try entries.map { entry in
            guard let selector = entry["selector"]?.string, let label = entry["label"]?.string,
                  let policy = Widget.FixPolicy(rawValue: entry["fix"]?.string ?? "empty-only") else {
                throw HTMLSelector.SyntaxError(message: "a widget needs 'selector', 'label' and a valid 'fix'")
            }
            return Widget(selector: try HTMLSelector(selector), label: label, fix: policy)
        }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost, !widgets.isEmpty else { return }
        let bytes = document.bytes
        let view = document.html
        let structure = document.htmlElements
        var coveredUntil = -1
        for (index, element) in structure.elements.enumerated() {
            let startToken = view.tokens[element.start]
            guard startToken.range.lowerBound >= coveredUntil else { continue }
            // The element's first text, trimmed, is built at most once however many `:text()` widgets ask.
            var firstText: String?? = nil
            // By index: `first(where:)` copied every widget (its selector's strings) per element.
            var matched: Int?
            for w in widgets.indices where hasTag(w, startToken, bytes) && matches(w, element, structure, view, bytes, firstText: &firstText) {
                matched = w
                break
            }
            guard let matched, case let widget = widgets[matched],
                  (widget.fix != .emptyOnly && widget.fix != .emptyOnlyUnsafe) || !structure.hasVisibleText(element, view, bytes: bytes) else { continue }
            // An element without an explicit end tag is reported but not removed (its extent is a guess).
            guard var range = structure.outerRange(element, view) else {
                sink.report(startToken.range, "\(widget.label) (CMS widget residue)")
                continue
            }
            coveredUntil = range.upperBound
            var current = index
            while let parent = structure.elements[current].parent, Self.wrapperNames.contains(structure.elements[parent].name),
                  let parentRange = structure.outerRange(structure.elements[parent], view),
                  holdsOnly(range, in: structure.elements[parent], view, bytes) {
                range = parentRange
                current = parent
            }
            coveredUntil = max(coveredUntil, range.upperBound)
            let safe: Bool
            switch widget.fix {
            case .safe: safe = true
            case .unsafe: safe = false
            case .emptyOnly: safe = true
            case .emptyOnlyUnsafe: safe = false
            }
            let fix = Fix(safe ? .safe : .unsafe, "delete the \(widget.label)", edits: [.delete(HTMLText.deletionRange(bytes, range, within: view.range))])
            sink.report(startToken.range, "\(widget.label) (CMS widget residue, selector '\(widget.selector.source)')", fix: fix)
        }
    }

    package static let textSearchTokens = 64

    /// `view.isTag(token, named: tag)` for widget `w`'s tag (true when it names none): the first
    /// test of `HTMLSelector.matchesTag`, on bytes.
    @inline(__always)
    private func hasTag(_ w: Int, _ token: HTMLToken, _ bytes: [UInt8]) -> Bool {
        let lo = tagBounds[2 * w], hi = tagBounds[2 * w + 1]
        guard lo >= 0 else { return true }
        guard token.kind == .startTag || token.kind == .endTag, token.name.count == hi - lo else { return false }
        var i = token.name.lowerBound
        for k in lo..<hi {
            var b = bytes[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != tagBytes[k] { return false }
            i += 1
        }
        return true
    }

    /// Whether widget `w` matches `element` (by index: `first(where:)` copied every widget per element).
    package func matches(_ w: Int, _ element: HTMLElements.Element, _ structure: HTMLElements, _ view: HTMLView, _ bytes: [UInt8],
                 firstText: inout String??) -> Bool {
        let selector = widgets[w].selector
        guard selector.matchesTag(view.tokens[element.start], view, bytes) else { return false }
        guard let prefix = selector.textPrefix else { return true }
        if firstText == nil { firstText = .some(Self.firstText(element, view, bytes)) }
        guard let text = firstText ?? nil else { return false }
        return Self.hasTextPrefix(text, prefix)
    }

    /// `text.hasPrefix(prefix)`, answered `false` from the first scalars when they differ and both are
    /// printable ASCII or CJK unified ideographs: such a scalar is a starter with no decomposition,
    /// so it begins the canonical form of its `Character` whatever follows, and two `Character`s
    /// beginning with different ones are never equal. Most elements' text differs from every
    /// `:text()` prefix at its first scalar; the `Character` comparison was the rule's largest cost.
    package static func hasTextPrefix(_ text: String, _ prefix: String) -> Bool {
        if let t = text.unicodeScalars.first?.value, let p = prefix.unicodeScalars.first?.value, t != p,
           isInertStarter(t), isInertStarter(p) {
            return false
        }
        return text.hasPrefix(prefix)
    }

    @inline(__always)
    private static func isInertStarter(_ v: UInt32) -> Bool {
        (0x20...0x7E).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
    }

    /// The first visible text of the element, trimmed, looked for in its first tokens only: an
    /// element never closed would otherwise be scanned to the end of the page, once per element.
    package static func firstText(_ element: HTMLElements.Element, _ view: HTMLView, _ bytes: [UInt8]) -> String? {
        let last = min(element.end ?? view.tokens.count, element.start + 1 + Self.textSearchTokens)
        for token in view.tokens[(element.start + 1)..<last] where token.isVisibleText {
            if token.kind == .text && HTMLText.isBlank(bytes, token.range) { continue }
            return HTMLText.trimmedText(bytes, token.range)
        }
        return nil
    }

    /// Whether `parent` holds nothing but `range` and whitespace or comments.
    package func holdsOnly(_ range: Range<Int>, in parent: HTMLElements.Element, _ view: HTMLView, _ bytes: [UInt8]) -> Bool {
        guard let end = parent.end, view.attributes(of: view.tokens[parent.start]).allSatisfy({ !HTMLView.equalsIgnoringASCIICase(bytes, $0.name, "id".utf8) }) else { return false }
        for token in view.tokens[(parent.start + 1)..<end] where !range.contains(token.range.lowerBound) {
            switch token.kind {
            case .comment: continue
            case .text where HTMLText.isBlank(bytes, token.range): continue
            default: return false
            }
        }
        return true
    }
}
