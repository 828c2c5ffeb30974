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
/// it together with wrappers that held nothing else, safe as the table says. `unwrap` widgets
/// (markup around article text) are each reported, and their fix removes only their tags.
public struct HTMLWidgetRule: Rule, RuleWithOptions {
    public static let id = "html-widget"

    package struct Widget: Sendable {
        package enum FixPolicy: String, Sendable { case safe, unsafe
        /// Only a widget that shows nothing (a tweet blockquote with the quoted text is content).
        case emptyOnly = "empty-only"
        /// Only when it shows nothing, and the fix is unsafe: an empty embed placeholder still
        /// carries the link to its source (the tweet's URL), which an editor may want to keep.
        case emptyOnlyUnsafe = "empty-only-unsafe"
        /// Markup around article text (DW's topic-page spans): the fix deletes the start and end
        /// tags and keeps everything between them, byte for byte. Each such element is reported
        /// (not only the outermost), one inside a deleted widget is not (the deletion covers it).
        case unwrap }
        package var selector: HTMLSelector
        package var label: String
        package var fix: FixPolicy
    }

    /// Also what keeps `selectors`' unretained references alive: never make it a `var`.
    package let widgets: [Widget]
    /// `widgets`' selectors, unretained: `matchesBesidesTag` borrows one per element and widget it
    /// tests (`_withUnsafeGuaranteedRef`), where reading it from `widgets` retained and released it
    /// each time (measured: 2.5 M instructions at agora ×1, nearly all retains and releases). Safe while
    /// `widgets`, a constant of the same value, holds every one of them: keep it a `let`. Should the
    /// underscored call go away, `takeUnretainedValue()` is the (retaining) fallback.
    private let selectors: [Unmanaged<HTMLSelector>]
    /// Every candidate list below (`tagGroups`' `widgets` and `attributeless`, `untaggedWidgets`,
    /// `attributelessUntaggedWidgets`) as a range of this one list of widget indices: `check` reads
    /// an element's candidates in place (an array per group, returned per element of the group's
    /// tag, was retained and released each time).
    private let candidateList: [Int]
    /// The widgets' tag names, each once, with the widgets an element of that tag may be: those
    /// naming it or no tag, in table order. An element's tag is compared with these few names
    /// once, not with every widget's (most elements are of no widget's tag).
    /// `key`: the name's `TagNameKey` when it packs (nil otherwise), compared with the element's.
    private let tagGroups: [(name: [UInt8], key: UInt64?, widgets: Range<Int>, attributeless: Range<Int>)]
    /// `tagGroups` by their keys (a group whose name does not pack has none): a tag's group found by
    /// its key in one probe, not compared with each group's name in turn.
    private let groupByKey: TagKeySet
    /// The groups whose name does not pack (`key` nil; the built-in table's `blockquote`), in order:
    /// compared by their bytes.
    private let unpackedGroups: [Int]
    /// The widgets naming no tag: all an element of none of the groups' tags may be.
    private let untaggedWidgets: Range<Int>
    /// `untaggedWidgets` (and each group's `attributeless`) without those that test an attribute,
    /// which no start tag without attributes matches (`HTMLSelector.testsAttributes`): what a bare
    /// `<div>` (most of a page's) may be, without a call per widget that tests its attributes.
    private let attributelessUntaggedWidgets: Range<Int>
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
        selectors = list.map { Unmanaged.passUnretained($0.selector) }
        var candidates: [Int] = []
        func listed(_ widgets: [Int]) -> Range<Int> {
            candidates.append(contentsOf: widgets)
            return (candidates.count - widgets.count)..<candidates.count
        }
        // Grouped by the tag's bytes, as the element's tag is compared: `String` equality would put
        // a composed and a decomposed spelling (`café`, `cafe\u{301}`) in one group under one spelling.
        var names: [[UInt8]] = []
        for widget in list { if let tag = widget.selector.tag.map({ Array($0.utf8) }), !names.contains(tag) { names.append(tag) } }
        var groups: [(name: [UInt8], key: UInt64?, widgets: Range<Int>, attributeless: Range<Int>)] = []
        for name in names {
            let widgets = list.indices.filter { list[$0].selector.tag.map { Array($0.utf8) == name } ?? true }
            groups.append((name, name.contains { $0 >= 0x41 && $0 <= 0x5A } ? nil : TagNameKey.ofBytes(name, name.indices),
                           listed(widgets), listed(widgets.filter { !list[$0].selector.testsAttributes })))
        }
        tagGroups = groups
        groupByKey = TagKeySet(tagGroups.map { $0.key ?? 0 })
        unpackedGroups = tagGroups.enumerated().filter { $0.element.key == nil }.map(\.offset)
        let untagged = list.indices.filter { list[$0].selector.tag == nil }
        untaggedWidgets = listed(untagged)
        attributelessUntaggedWidgets = listed(untagged.filter { !list[$0].selector.testsAttributes })
        candidateList = candidates
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
        // Elements reported as `unwrap` widgets (ascending): a deleted widget's range does not grow
        // into one of them, whose tags that finding's fix already removes (the edits would overlap).
        var unwrapped: [Int] = []
        // Elements by index, their start read in place: an element is copied (its name retained and
        // released) only when some widget may be of its tag (most elements are of none).
        for index in structure.elements.indices {
            let startToken = view.tokens[structure.elements[index].start]
            guard startToken.range.lowerBound >= coveredUntil else { continue }
            // The element's packed name is its start tag's key (`TagNameKey.of`), made once already.
            let packed = structure.elements[index].packedName
            let widgetsOfTag = candidateRange(startToken, bytes, key: packed == 0 ? nil : packed, hasAttributes: !startToken.attributeIndices.isEmpty)
            guard !widgetsOfTag.isEmpty else { continue }
            let element = structure.elements[index]
            // The element's first text, trimmed, is found at most once however many `:text()` widgets ask.
            var firstText = FirstText()
            // By index: `first(where:)` copied every widget (its selector's strings) per element.
            var matched: Int?
            for k in widgetsOfTag where matchesBesidesTag(candidateList[k], element, view, bytes, firstText: &firstText) {
                matched = candidateList[k]
                break
            }
            guard let matched, case let widget = widgets[matched],
                  (widget.fix != .emptyOnly && widget.fix != .emptyOnlyUnsafe) || !structure.hasVisibleText(element, view, bytes: bytes) else { continue }
            if widget.fix == .unwrap {
                // Not covered: the text stays, and widgets inside it are found on their own.
                reportUnwrap(widget, element: index, structure, view, bytes, into: &sink)
                unwrapped.append(index)
                continue
            }
            // An element without an explicit end tag is reported but not removed (its extent is a guess).
            guard var range = structure.outerRange(element, view) else {
                sink.report(startToken.range, "\(widget.label) (CMS widget residue)")
                continue
            }
            coveredUntil = range.upperBound
            var current = index
            while let parent = structure.elements[current].parent, Self.wrapperNames.contains(structure.name(parent)), !unwrapped.contains(parent),
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
            case .unwrap: safe = false  // handled above
            }
            // The messages written by `concat`: interpolated, each part was an append (and a regrowth).
            let fix = Fix(safe ? .safe : .unsafe, HTMLText.concat("delete the ", widget.label, ""), edit: .delete(HTMLText.deletionRange(bytes, range, within: view.range)))
            sink.report(startToken.range, HTMLText.concat(widget.label, " (CMS widget residue, selector '", widget.selector.source, "')"), fix: fix)
        }
    }

    /// Reports the `unwrap` widget `elements[index]`: its fix deletes the start tag and the end tag
    /// and keeps the bytes between them. Safe only when the parser's structure is plain inside
    /// (`holdsInlineMarkupOnly`): otherwise removing the tags may change what the markup around
    /// the text means, and an editor should look. Without an explicit end tag the extent is a guess:
    /// reported without a fix.
    private func reportUnwrap(_ widget: Widget, element index: Int, _ structure: HTMLElements, _ view: HTMLView, _ bytes: [UInt8],
                              into sink: inout DiagnosticSink) {
        let element = structure.elements[index]
        let startRange = view.tokens[element.start].range
        let message = HTMLText.concat(widget.label, " (CMS markup around article text, selector '", widget.selector.source, "'): the tags go, the text stays")
        guard let end = element.end else {
            sink.report(startRange, HTMLText.concat(widget.label, " (CMS markup around article text, selector '", widget.selector.source, "'; its end tag is missing)"))
            return
        }
        let safe = Self.holdsInlineMarkupOnly(index, structure, view, bytes)
        let fix = Fix(safe ? .safe : .unsafe, HTMLText.concat("remove the tags of the ", widget.label, ", keep its text"),
                      edits: [.delete(startRange), .delete(view.tokens[end].range)])
        sink.report(startRange, message, fix: fix)
    }

    /// Whether `elements[index]`, closed by its own end tag, holds only text, comments and inline
    /// elements that are each closed by their own end tag inside it (or void), and no stray end
    /// tag: then deleting its two tags leaves the same elements around the same text.
    package static func holdsInlineMarkupOnly(_ index: Int, _ structure: HTMLElements, _ view: HTMLView, _ bytes: [UInt8]) -> Bool {
        guard let end = structure.elements[index].end else { return false }
        var endTags = 0
        for t in (structure.elements[index].start + 1)..<end {
            switch view.tokens[t].kind {
            case .text, .characterReference, .comment: continue
            case .startTag: if !HTMLText.phrasingKeys.contains(view.tokens[t].key(in: bytes) ?? 0) { return false }
            case .endTag: endTags += 1
            case .doctype, .rawText: return false
            }
        }
        // The elements after it in start order that begin before its end tag are its descendants
        // (void elements have none): each must end at its own end tag inside, and those are all the end tags.
        var descendants = 0
        var next = index + 1
        while next < structure.elements.count, structure.elements[next].start < end {
            guard let inner = structure.elements[next].end, inner < end else { return false }
            descendants += 1
            next += 1
        }
        return descendants == endTags
    }

    package static let textSearchTokens = 64

    /// The widgets, in table order, whose tag test (`view.isTag(token, named: tag)`) `token`
    /// passes: those naming its tag or none.
    package func candidates(_ token: HTMLToken, _ bytes: [UInt8]) -> [Int] {
        candidates(token, bytes, key: token.key(in: bytes))
    }

    /// `candidates(token, bytes)` with the tag's `TagNameKey` (nil when it does not pack) known.
    package func candidates(_ token: HTMLToken, _ bytes: [UInt8], key: UInt64?) -> [Int] {
        candidates(token, bytes, key: key, hasAttributes: true)
    }

    /// `candidates(token, bytes, key: key)`, without the widgets that test an attribute when
    /// `hasAttributes` is false (the start tag has none: those widgets do not match it).
    package func candidates(_ token: HTMLToken, _ bytes: [UInt8], key: UInt64?, hasAttributes: Bool) -> [Int] {
        Array(candidateList[candidateRange(token, bytes, key: key, hasAttributes: hasAttributes)])
    }

    /// `candidates(token, bytes, key:, hasAttributes:)` as a range of `candidateList`.
    @inline(__always)
    private func candidateRange(_ token: HTMLToken, _ bytes: [UInt8], key: UInt64?, hasAttributes: Bool) -> Range<Int> {
        guard token.kind == .startTag || token.kind == .endTag else { return hasAttributes ? untaggedWidgets : attributelessUntaggedWidgets }
        // The first group, in order, whose name the tag's equals. A group's name that packs is ASCII
        // without upper case: the tag's bytes, case folded, equal it exactly when the tag's key
        // does (a tag that does not pack equals none of those); the groups' keys are distinct (so
        // are their names), so at most one is found by the key. The others are compared by bytes.
        var found = key.flatMap { groupByKey.position(of: $0) } ?? Int.max
        for g in unpackedGroups where g < found && HTMLView.equalsIgnoringASCIICase(bytes, token.name, tagGroups[g].name) {
            found = g
            break
        }
        guard found < tagGroups.count else { return hasAttributes ? untaggedWidgets : attributelessUntaggedWidgets }
        return hasAttributes ? tagGroups[found].widgets : tagGroups[found].attributeless
    }

    /// `candidates(token, bytes, key:, hasAttributes:)` as it was: each group compared in turn (the tests' reference).
    package func groupLoopCandidates(_ token: HTMLToken, _ bytes: [UInt8], key: UInt64?, hasAttributes: Bool) -> [Int] {
        guard token.kind == .startTag || token.kind == .endTag else { return Array(candidateList[hasAttributes ? untaggedWidgets : attributelessUntaggedWidgets]) }
        for group in tagGroups where group.key.map({ key == $0 }) ?? HTMLView.equalsIgnoringASCIICase(bytes, token.name, group.name) {
            return Array(candidateList[hasAttributes ? group.widgets : group.attributeless])
        }
        return Array(candidateList[hasAttributes ? untaggedWidgets : attributelessUntaggedWidgets])
    }

    /// An element's first text (`firstTextRange`), found when a `:text()` widget first asks: its bytes,
    /// then, only when the first scalars cannot answer, the decoded `String`. Decoding it for every
    /// element of a `:text()` widget's tag copied whole paragraphs to compare a few characters.
    package struct FirstText {
        /// nil: not looked for yet; `.some(nil)`: the element has none.
        var range: Range<Int>??
        var text: String?
        /// The start tag's `class` value, looked up when a widget first tests classes (`HTMLSelector.matchesAttributes`).
        var classValue: Range<Int>??
    }

    /// Whether widget `w`, one of the `candidates` of `element`'s start tag, matches it (by index:
    /// `first(where:)` copied every widget per element).
    package func matchesBesidesTag(_ w: Int, _ element: HTMLElements.Element, _ view: HTMLView, _ bytes: [UInt8],
                                   firstText: inout FirstText) -> Bool {
        assert(selectors[w].takeUnretainedValue() === widgets[w].selector)
        return selectors[w]._withUnsafeGuaranteedRef { Self.matches($0, element, view, bytes, firstText: &firstText) }
    }

    /// Whether `selector` matches `element` besides its tag: its attributes, then its text prefix
    /// (the element's first text found once per element in `firstText`).
    @inline(__always)
    package static func matches(_ selector: HTMLSelector, _ element: HTMLElements.Element, _ view: HTMLView, _ bytes: [UInt8],
                                firstText: inout FirstText) -> Bool {
        guard selector.matchesAttributes(view.tokens[element.start], view, bytes, answersAttributeless: true, classValue: &firstText.classValue) else { return false }
        guard let prefix = selector.textPrefix else { return true }
        if firstText.range == nil { firstText.range = .some(firstTextRange(element, view, bytes)) }
        guard let range = firstText.range ?? nil else { return false }
        if let t = HTMLText.firstScalar(bytes, range), let p = selector.textPrefixFirstScalar, differAtFirstCharacter(t, p) { return false }
        let text = firstText.text ?? String(decoding: bytes[range], as: UTF8.self)
        firstText.text = text
        return hasTextPrefix(text, prefix)
    }

    /// `text.hasPrefix(prefix)`, answered `false` from the first scalars when they differ and both are
    /// inert starters (`isInertStarter`): such a scalar is a starter with no decomposition, so it
    /// begins the canonical form of its `Character` whatever follows, and two `Character`s
    /// beginning with different ones are never equal. Most elements' text differs from every
    /// `:text()` prefix at its first scalar; the `Character` comparison was the rule's largest cost.
    package static func hasTextPrefix(_ text: String, _ prefix: String) -> Bool {
        if let t = text.unicodeScalars.first?.value, let p = prefix.unicodeScalars.first?.value, differAtFirstCharacter(t, p) {
            return false
        }
        return text.hasPrefix(prefix)
    }

    /// Whether texts beginning with the scalars `t` and `p` differ at their first `Character`: true
    /// when the scalars differ and both are inert starters.
    @inline(__always)
    package static func differAtFirstCharacter(_ t: UInt32, _ p: UInt32) -> Bool {
        t != p && isInertStarter(t) && isInertStarter(p)
    }

    /// Scalars with canonical combining class 0 and no canonical decomposition (a test checks each):
    /// a `Character` beginning with one has it first in its canonical decomposition, whatever
    /// follows. Printable ASCII, CJK unified ideographs, and the punctuation, symbols and
    /// full-width forms Chinese text begins with (`“`, `（`, `【`, `●`, `１`).
    @inline(__always)
    package static func isInertStarter(_ v: UInt32) -> Bool {
        switch v {
        case 0x20...0x7E, 0x2010...0x2027, 0x2030...0x205E, 0x2500...0x27BF, 0x3000...0x3029, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF60:
            return true
        default:
            return false
        }
    }

    /// The bytes of the element's first visible text, trimmed, looked for in its first tokens only:
    /// an element never closed would otherwise be scanned to the end of the page, once per element.
    package static func firstTextRange(_ element: HTMLElements.Element, _ view: HTMLView, _ bytes: [UInt8]) -> Range<Int>? {
        let last = min(element.end ?? view.tokens.count, element.start + 1 + Self.textSearchTokens)
        // By index: a slice of the tokens retained and released their array per element asked.
        for t in (element.start + 1)..<max(element.start + 1, last) where view.tokens[t].isVisibleText {
            let range = view.tokens[t].range
            if view.tokens[t].kind == .text && HTMLText.isBlank(bytes, range) { continue }
            return HTMLText.trimmedRange(bytes, range)
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
