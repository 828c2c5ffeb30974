import Foundation
import NewsLintCore

/// `html-empty-element`: wrappers with nothing inside (`<div></div>`, `<p> </p>`,
/// `<span><span></span></span>`), left where a scraper removed a widget or an ad. Only elements
/// without hooks are reported: an `id`, `class` or `data-*` attribute may be a script's or a
/// style sheet's target (`<div class="fb-post" data-href=…></div>` is filled by a script), so
/// only presentational attributes (`style`, `dir`, `lang`, `align`) are allowed, and `style` only
/// when it gives the box nothing to show (`styleShowsABox`: a background, border, size or padding
/// is a shape, a placeholder or a gap on the page, not an empty wrapper). Nested empties
/// are one finding at the outermost; the fix deletes it (and its line when nothing else is on it),
/// safely unless it is an inline wrapper of a space (`<span>&nbsp;</span>` between two names).
public struct HTMLEmptyElementRule: Rule, RuleWithOptions {
    public static let id = "html-empty-element"
    package let names: Set<String>
    /// The keys (`TagTables.packedName`) of the `names` that pack, when every other name is ASCII (the
    /// defaults: `figcaption` and `blockquote` are longer than 8 bytes), else nil. An element whose
    /// name packs is then looked up by its `packedName`, without hashing its `String` (SipHash per element).
    package let packedNames: [UInt64]?
    /// `packedNames` as a `TagKeySet` (empty when `packedNames` is nil): the list was searched
    /// element by element (~20 compares each).
    private let packedNameSet: TagKeySet
    package static let harmlessAttributes: Set<String> = ["style", "dir", "lang", "align"]
    /// Elements laid out in the line of text: one holding a space separates the words around it.
    package static let inlineElements: Set<String> = ["span", "b", "strong", "i", "em", "small", "font", "u", "cite"]

    public struct Options: Decodable, Sendable { var elements: [String] }

    public init(options: RuleOptions) throws {
        names = Set(try Self.decodeOptions(options).elements.map { $0.lowercased() })
        let keys = names.map { TagTables.packedName($0) }
        let othersAreASCII = zip(names, keys).allSatisfy { $1 != nil || $0.utf8.allSatisfy { $0 < 0x80 } }
        packedNames = othersAreASCII ? keys.compactMap { $0 } : nil
        packedNameSet = TagKeySet(packedNames ?? [])
    }

    /// `names.contains(element.name)` from the element's `packedName` and `name`. A name that packs is
    /// ASCII; when `packedNames` is set so is every name, so it equals an element's name that packs
    /// exactly when their bytes, and so their keys, are equal (an ASCII name longer than 8 bytes
    /// equals none of them).
    @inline(__always)
    package func isNamed(packed: UInt64, _ name: @autoclosure () -> String) -> Bool {
        if packedNames != nil, packed != 0 { return packedNameSet.contains(packed) }
        return names.contains(name())
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost else { return }
        let bytes = document.bytes
        let view = document.html
        let structure = document.htmlElements
        let elements = structure.elements
        // Per element, `isEmpty`, and `separates`: whether an empty element still renders a space or
        // a break (blank text, `&nbsp;`, `<br>`), so that between two runs of text it is their
        // separator (`<strong>戴耀廷</strong><span>&nbsp; </span>`). One buffer of both bits, in
        // storage that lives for this call only (on the stack when it fits): each array cost an
        // allocation of ~600 instructions a file.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: elements.count) { state in
            state.initialize(repeating: 0)
            check(document, structure, view, bytes, state: state, into: &sink)
        }
    }

    /// `check` with a zeroed byte of `state` per element of `structure`.
    private func check(_ document: Document, _ structure: HTMLElements, _ view: HTMLView, _ bytes: [UInt8], state: UnsafeMutableBufferPointer<UInt8>,
                       into sink: inout DiagnosticSink) {
        let elements = structure.elements
        let isEmptyBit: UInt8 = 1, separatesBit: UInt8 = 2, breaksBit: UInt8 = 4
        // Children start after their parents: deciding from the last element backwards sees every child first.
        // Fields read in place, through the buffer: a copy of each element (its name retained and
        // released) cost more than the test, and the array's subscript still made one per read.
        // The walk comes before the name and the attributes: it stops at the first token that shows
        // something (most elements' first), and only an empty element is then asked about its name
        // and attributes. An element left at 0 is not empty to its parent either way, so the order
        // changes no answer (the attributes were looked up for 57,000 elements at agora ×1, ~3.5 M instructions).
        elements.withUnsafeBufferPointer { elements in
            for index in elements.indices.reversed() {
                guard let end = elements[index].end else { continue }
                var t = elements[index].start + 1
                var isEmpty = true, rendersSpace = false, rendersBreak = false
                while t < end {
                    let token = view.tokens[t]
                    switch token.kind {
                    case .text where HTMLText.isBlank(bytes, token.range):
                        rendersSpace = rendersSpace || !token.range.isEmpty
                        t += 1
                    case .comment:
                        t += 1
                    case .characterReference where HTMLText.isSpaceReference(bytes, token):
                        rendersSpace = true
                        t += 1
                    case .startTag:
                        // A `<br>` is void (no element); an element's first child, when its start tag
                        // comes first, is the next element: no search of the elements for either.
                        if token.key(in: bytes) == Self.brKey {
                            rendersSpace = true
                            rendersBreak = true
                            t += 1
                        } else if let child = index + 1 < elements.count && elements[index + 1].start == t ? Optional(index + 1) : structure.elementAtToken[t],
                                  state[child] & isEmptyBit != 0, let childEnd = elements[child].end {
                            rendersSpace = rendersSpace || state[child] & separatesBit != 0
                            rendersBreak = rendersBreak || state[child] & breaksBit != 0
                            t = childEnd + 1
                        } else {
                            isEmpty = false
                        }
                    default:
                        isEmpty = false
                    }
                    if !isEmpty { break }
                }
                guard isEmpty, isNamed(packed: elements[index].packedName, structure.name(of: elements[index])),
                      hasOnlyHarmlessAttributes(view.tokens[elements[index].start], view, bytes) else { continue }
                state[index] = isEmptyBit | (rendersSpace ? separatesBit : 0) | (rendersBreak ? breaksBit : 0)
            }
        }
        for index in elements.indices where state[index] & isEmptyBit != 0 {
            let element = elements[index]
            if let parent = element.parent, state[parent] & isEmptyBit != 0 { continue }
            guard let range = structure.outerRange(element, view) else { continue }
            // One line in the message: runs of whitespace (newlines, indentation) become one space.
            let shown = Self.oneLine(bytes[range].prefix(60))
            // An inline wrapper holding only a space, `&nbsp;` or `<br>` shows that space or break:
            // between two words it is what keeps them apart (`<strong>戴耀廷<span>&nbsp; </span></strong>
            // <strong>區諾軒`), and a `<br>` between any visible text is a line break, so neither is
            // reported. A space beside full-width punctuation separates nothing (`編輯：<span> </span>
            // 溫曉平`, `建議<span>&nbsp;</span>。`): reported, its deletion unsafe as before. Where
            // nothing visible follows it in its block, a space or `&nbsp;` shows nothing and its
            // deletion is safe; a `<br>` there, or a space at a block's start (an `&nbsp;` indent, a
            // `<br>` before the first line), or text too far away to tell, waits for a look.
            let name = structure.name(of: element)
            var applicability = Applicability.safe
            if state[index] & separatesBit != 0 && Self.isInlineElement(packed: element.packedName), let end = element.end {
                let before = Self.neighbour(of: element.start, step: -1, view, bytes)
                let after = Self.neighbour(of: end, step: 1, view, bytes)
                let breaks = state[index] & breaksBit != 0
                if before.isText && after.isText && (breaks || before == .word && after == .word) { continue }
                applicability = after == .blockEdge && state[index] & breaksBit == 0 ? .safe : .unsafe
            }
            let fix = Fix(applicability, HTMLText.concat("delete the empty <", name, ">"), edit: .delete(HTMLText.deletionRange(bytes, range, within: view.range)))
            sink.report(view.tokens[element.start].range, HTMLText.concat("empty <", name, "> wrapper '", shown, "' (nothing to show)"), fix: fix)
        }
    }

    /// `TagNameKey` of `br` (first byte lowest), a literal: a `package` member of the core is called out of line here.
    private static var brKey: UInt64 { 0x7262 }

    /// `inlineElements` as `TagNameKey`s: every one is ASCII of at most 8 bytes, so an element's name
    /// is one of them exactly when its `packedName` is one of these (a name that does not pack is none).
    private static let inlineElementKeys: [UInt64] = inlineElements.sorted().compactMap { TagTables.packedName($0) }

    /// `inlineElements.contains(name)` for an element of that `packedName` (0: its name does not pack), without hashing a `String`.
    package static func isInlineElement(packed: UInt64) -> Bool { packed != 0 && inlineElementKeys.contains(packed) }

    /// What a reader sees next to an element: a word (a letter, a digit, a Han character, an image),
    /// full-width punctuation or an ideographic space (which carry their own spacing), a block's
    /// edge, or too many tokens to tell.
    package enum Neighbour {
        case word, punctuation, blockEdge, unknown
        var isText: Bool { self == .word || self == .punctuation }
    }

    /// Tokens looked at on each side of an element before `neighbour` gives up (`unknown`): a run of
    /// empty wrappers, each looking past the others, would otherwise make the walks quadratic.
    private static let neighbourReach = 16

    /// What is next to token `from` in direction `step` (-1 or 1), past whitespace, space references,
    /// comments and inline tags: the nearest visible character of the first text (a word or
    /// full-width punctuation; any character reference and an `<img>` count as a word), or a
    /// block's edge (a block element's tag, `<br>` included, or the end of the body).
    package static func neighbour(of from: Int, step: Int, _ view: HTMLView, _ bytes: [UInt8]) -> Neighbour {
        let tokens = view.tokens
        var t = from + step
        var seen = 0
        while t >= 0 && t < tokens.count {
            guard seen < neighbourReach else { return .unknown }
            seen += 1
            let token = tokens[t]
            switch token.kind {
            case .text:
                if !HTMLText.isBlank(bytes, token.range) {
                    return nearestCharacter(bytes, token.range, fromEnd: step < 0).map { CJK.isCJKPunct($0) } == true ? .punctuation : .word
                }
            case .characterReference:
                if !HTMLText.isSpaceReference(bytes, token) { return .word }
            case .comment:
                break
            case .startTag, .endTag:
                if HTMLView.isBlockElement(bytes, token.name) { return .blockEdge }
                if token.kind == .startTag && view.isTag(token, named: "img", in: bytes) { return .word }
            case .doctype, .rawText:
                return .unknown
            }
            t += step
        }
        return .blockEdge
    }

    /// The scalar of `range` nearest its start (or its end, `fromEnd`) past ASCII whitespace; nil
    /// when there is none or it is ill-formed.
    private static func nearestCharacter(_ bytes: [UInt8], _ range: Range<Int>, fromEnd: Bool) -> UInt32? {
        if fromEnd {
            var end = range.upperBound
            while end > range.lowerBound, HTMLView.isSpace(bytes[end - 1]) { end -= 1 }
            var start = end - 1
            while start > range.lowerBound, start > end - 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
            guard start >= range.lowerBound, start < end else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars.last?.value
        }
        var start = range.lowerBound
        while start < range.upperBound, HTMLView.isSpace(bytes[start]) { start += 1 }
        guard start < range.upperBound else { return nil }
        return String(decoding: bytes[start..<min(start + 4, range.upperBound)], as: UTF8.self).unicodeScalars.first?.value
    }

    /// The text of `bytes` with each run of whitespace made one space and none at either end: an
    /// ASCII excerpt on its bytes (its whitespace characters are tab to carriage return and space,
    /// and a CR LF pair is one run either way), any other through `Character.isWhitespace` (the
    /// split by characters cost some 9,000 instructions a finding).
    package static func oneLine(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        // Written straight into the string: an array of the bytes first was an allocation and a free a finding.
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            var count = 0
            var pendingSpace = false
            for b in bytes {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    pendingSpace = count > 0
                    continue
                }
                // At most one space per byte kept after it: `count` stays within `bytes.count`.
                if pendingSpace { out[count] = 0x20; count += 1 }
                pendingSpace = false
                out[count] = b
                count += 1
            }
            return count
        }
    }

    /// Whether every attribute of `token` is one of `harmlessAttributes`, compared on the name's
    /// bytes ignoring ASCII case: the same answer as the Unicode-lowercased `String` (no other
    /// character lowercases to a letter of these names), without a `String` per attribute.
    package func hasOnlyHarmlessAttributes(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8]) -> Bool {
        for k in token.attributeIndices {
            let name = view.attributes[k].name
            guard Self.harmlessAttributeBytes.contains(where: { HTMLView.equalsIgnoringASCIICase(bytes, name, $0) }) else { return false }
            if let value = view.attributes[k].value, HTMLView.equalsIgnoringASCIICase(bytes, name, Self.styleBytes),
               Self.styleShowsABox(bytes, value) { return false }
        }
        return true
    }

    private static let styleBytes = Array("style".utf8)

    /// Whether a `style` value declares a property that draws an empty element, gives it room or
    /// moves what is around it: a background (`background-image:url(…)`, a colour), a border or
    /// outline (CSS triangles), a shadow, a width, height or aspect ratio, padding or margin
    /// (`padding: 19% 0`, an embed's image placeholder; a spacer), a float or a clear (the
    /// clearfix `<div style="clear:both"></div>`), flex or grid placement, a position. Such an
    /// element shows a shape or shapes the layout: deleting it changes the page, which a safe fix
    /// must not. Any value counts (`height: 0` too): the cost of a miss is a finding not made, of
    /// a false "nothing to show" an unasked-for deletion.
    /// CSS whitespace (space, tab, LF, CR, FF; not U+000B) is HTML's: `HTMLView.isSpace`.
    package static func styleShowsABox(_ bytes: [UInt8], _ value: Range<Int>) -> Bool {
        var i = value.lowerBound
        while i < value.upperBound {
            while i < value.upperBound, bytes[i] == 0x3B || HTMLView.isSpace(bytes[i]) { i += 1 }
            let start = i
            while i < value.upperBound, bytes[i] != 0x3A, bytes[i] != 0x3B { i += 1 }
            var end = i
            while end > start, HTMLView.isSpace(bytes[end - 1]) { end -= 1 }
            let property = start..<end
            if boxProperties.contains(where: { HTMLView.equalsIgnoringASCIICase(bytes, property, $0) }) { return true }
            if boxPropertyPrefixes.contains(where: { prefix in
                property.count >= prefix.count
                    && HTMLView.equalsIgnoringASCIICase(bytes, start..<(start + prefix.count), prefix)
            }) { return true }
            while i < value.upperBound, bytes[i] != 0x3B { i += 1 }
        }
        return false
    }

    private static let boxProperties: [[UInt8]] = ["width", "height", "min-width", "min-height", "aspect-ratio", "box-shadow",
                                                   "clear", "float", "position", "flex", "flex-grow", "flex-basis"].map { Array($0.utf8) }
    private static let boxPropertyPrefixes: [[UInt8]] = ["background", "border", "outline", "padding", "margin", "grid"].map { Array($0.utf8) }

    package static let harmlessAttributeBytes: [[UInt8]] = harmlessAttributes.sorted().map { Array($0.utf8) }
}
