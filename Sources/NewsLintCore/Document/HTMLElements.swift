import Foundation

/// The element structure of an HTML document, built from `Document.html` tokens after the
/// HTML tree-construction rules that matter for balance: void elements (`<br>`, `<img>`) have
/// no end tag, elements with optional end tags (`<p>`, `<li>`, `<td>` …) are closed by what
/// follows them (`<p>` by a block start tag, `<li>` by the next `<li>`), an end tag closes the
/// nearest open element of its name inside its scope, and an end tag with nothing to close is
/// stray (browsers drop it, or make `</p>` an empty paragraph and `</br>` a line break).
/// Linear: one pass over the tokens with a stack of open elements.
package struct HTMLElements {
    /// An open or closed element. Plain data (no `String`, no reference): the structure appends one
    /// per start tag, and each copy of an element holding its name as a `String` retained and
    /// released it (and freeing the array walked every element): ~20 M instructions at agora ×1.
    package struct Element: Sendable {
        /// Token index of the start tag.
        package var start: Int
        /// Token index of the explicit end tag; nil when closed implicitly or never.
        package var end: Int?
        /// Index of the parent element in `elements`.
        package var parent: Int?
        /// Its name's bit among `TagTables.searched` (-1: none) and whether its end tag is optional,
        /// kept so the stack searches need not hash the name again.
        package var searchIndex: Int8 = -1
        package var hasOptionalEnd = false
        /// When `packedName` is 0: the name's index in `HTMLElements.unpackedNames` (-1 otherwise). A
        /// name that packs is read back from its key only when a rule asks (`HTMLElements.name(of:)`).
        package var unpackedIndex: Int32 = -1
        /// `name`'s bytes packed as `TagTables.packedName` packs them, 0 when they do not pack (longer
        /// than 8 bytes, non-ASCII): end tags and rules compare it instead of the `String`.
        package var packedName: UInt64 = 0
        package var searchBit: TagMask { TagInfo.bit(searchIndex: searchIndex) }

        package init(start: Int, end: Int?, parent: Int?, searchIndex: Int8, hasOptionalEnd: Bool, unpackedIndex: Int32, packedName: UInt64) {
            self.start = start
            self.end = end
            self.parent = parent
            self.searchIndex = searchIndex
            self.hasOptionalEnd = hasOptionalEnd
            self.unpackedIndex = unpackedIndex
            self.packedName = packedName
        }
    }

    /// The names that do not pack (longer than 8 bytes, non-ASCII), lower-cased, by `Element.unpackedIndex`.
    package private(set) var unpackedNames: [String] = []

    /// The element's tag name as `HTMLView.tagName` gives it (lower-cased).
    package func name(of element: Element) -> String {
        element.packedName != 0 ? TagNameKey.string(element.packedName) : unpackedNames[Int(element.unpackedIndex)]
    }

    /// `name(of: elements[index])`.
    package func name(_ index: Int) -> String { name(of: elements[index]) }

    package enum Problem {
        /// An end tag with no open element to close.
        case strayEnd(token: Int, reason: String)
        /// An element whose end tag is required but was closed by `closer` (a token index) or,
        /// with nil, by the end of the document.
        case unclosed(element: Int, closer: Int?)
    }

    package private(set) var elements: [Element] = []
    package private(set) var problems: [Problem] = []
    /// Element index by the token index of its start tag.
    package var elementAtToken: ElementsByStartToken { ElementsByStartToken(elements: elements) }

    /// The elements are appended in the order of their start tags: the element of a start tag is
    /// found by bisecting their starts (a dictionary filled per element was a fifth of building
    /// the structure, and every HTML document builds it).
    package struct ElementsByStartToken {
        package let elements: [Element]

        package subscript(token: Int) -> Int? {
            var lo = 0, hi = elements.count
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if elements[mid].start < token { lo = mid &+ 1 } else { hi = mid }
            }
            return lo < elements.count && elements[lo].start == token ? lo : nil
        }
    }

    package static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame"]
    /// Elements whose end tag may be omitted (WHATWG "optional tags").
    package static let optionalEnd: Set<String> = ["p", "li", "dt", "dd", "rt", "rp", "optgroup", "option", "colgroup", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "html", "head", "body"]
    /// Start tags that close an open `<p>`.
    package static let closesParagraph: Set<String> = ["address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "li", "dd", "dt", "plaintext", "listing", "xmp"]
    /// Elements that bound the search for an element to close.
    package static let scopeBoundaries: Set<String> = ["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math"]
    /// Table end tags look further than the default scope (`</table>` closes an open `<td>`).
    package static let endTagScope: [String: Set<String>] = [
        "table": ["html", "template"], "tbody": ["html", "template", "table"], "thead": ["html", "template", "table"],
        "tfoot": ["html", "template", "table"], "tr": ["html", "template", "table"], "td": ["html", "template", "table"],
        "th": ["html", "template", "table"], "caption": ["html", "template", "table"],
    ]
    /// Formatting elements: browsers reopen them after a misnested end tag (`<b><i></b></i>`).
    package static let formatting: Set<String> = ["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"]
    /// For an element with an optional end tag: the open elements its own start tag closes, and where that search stops.
    package static let closedBySibling: [String: (closes: Set<String>, stopAt: Set<String>)] = [
        "li": (["li"], ["ul", "ol", "menu"]),
        "dt": (["dt", "dd"], ["dl"]), "dd": (["dt", "dd"], ["dl"]),
        "tr": (["tr", "td", "th"], ["table", "thead", "tbody", "tfoot"]),
        "td": (["td", "th"], ["tr", "table"]), "th": (["td", "th"], ["tr", "table"]),
        "thead": (["thead", "tbody", "tfoot", "tr", "td", "th"], ["table"]), "tbody": (["thead", "tbody", "tfoot", "tr", "td", "th"], ["table"]),
        "tfoot": (["thead", "tbody", "tfoot", "tr", "td", "th"], ["table"]),
        "option": (["option"], ["select", "datalist", "optgroup"]), "optgroup": (["option", "optgroup"], ["select"]),
        "rt": (["rt", "rp"], ["ruby"]), "rp": (["rt", "rp"], ["ruby"]),
    ]

    /// How deep a search for an element to close goes: real pages nest a few dozen levels; an
    /// unclosed flood (`<span>` × 100,000 then `<div>` × 100,000) would make every search walk it.
    package static let searchDepth = 256
    package static let paragraphBoundaries = scopeBoundaries.union(["button"])
    package static let siblingBoundaries: [String: Set<String>] = closedBySibling.mapValues { $0.stopAt.union(scopeBoundaries) }

    package init(_ view: HTMLView, bytes: [UInt8]) {
        var stack = HTMLStorage.stacks.take()  // element indices
        stack.reserveCapacity(32)
        defer { HTMLStorage.stacks.keep(stack) }
        // In storage a finished document gave back (`HTMLStorage`, which `DocumentViews` hands it to).
        elements = HTMLStorage.elements.take()
        // At most one element per start tag; about a third of the tokens are (growing from empty copied the array per doubling).
        // The tokens held once for the walk (`HTMLView.tokens` reads them through the view's arrays).
        let tokens = view.tokens
        elements.reserveCapacity(tokens.count / 3 + 4)
        var foreignDepth = 0   // inside <svg>/<math>: `/>` closes an element
        let tables = TagTables.shared
        // By index: a token is copied only when it is a tag (a copy of every 64-byte token per
        // step, text and comments too, cost more than the switch).
        for t in tokens.indices {
            switch tokens[t].kind {
            case .startTag:
                let token = tokens[t]
                // Read from the name's bytes when they pack: a void element (`<img>`, `<br>`) then
                // needs no `String` at all, and no name is packed twice (the tokenizer's key).
                let key = token.key(in: bytes)
                // A `String` only for a name that does not pack (longer than 8 bytes, non-ASCII), made
                // out of line: a `String` local here (empty for the others) was released at every start tag.
                let info: TagInfo, isForeignRoot: Bool
                if let key {
                    info = tables.info(packed: key)
                    isForeignRoot = key == Self.svgKey || key == Self.mathKey
                } else {
                    (info, isForeignRoot) = Self.unpackedStartInfo(token, view, bytes, tables)
                }
                if info.isVoid { continue }
                if token.selfClosing && (foreignDepth > 0 || isForeignRoot) { continue }
                if info.closesParagraph, let p = Self.find(tables.paragraph, in: stack, elements, boundaries: tables.paragraphBoundaries) {
                    close(from: p, stack: &stack, closer: t)
                }
                if info.sibling >= 0, case let rule = tables.sibling[Int(info.sibling)], let open = Self.find(rule.closes, in: stack, elements, boundaries: rule.boundaries) {
                    close(from: open, stack: &stack, closer: t)
                }
                if isForeignRoot { foreignDepth += 1 }
                var unpackedIndex: Int32 = -1
                if key == nil { unpackedIndex = appendUnpackedName(token, view, bytes) }
                elements.append(Element(start: t, end: nil, parent: stack.last, searchIndex: info.searchIndex,
                                        hasOptionalEnd: info.hasOptionalEnd, unpackedIndex: unpackedIndex, packedName: key ?? 0))
                stack.append(elements.count - 1)
            case .endTag:
                let token = tokens[t]
                // A name that packs (nearly all) is compared as its key: no `String` per end tag.
                if let key = token.key(in: bytes) {
                    endTag(t, key: key, token, view, bytes, tables, stack: &stack, foreignDepth: &foreignDepth)
                    continue
                }
                let name = view.tagName(token, in: bytes)
                if name == "br" {
                    problems.append(.strayEnd(token: t, reason: "</br> is not an end tag (browsers read it as <br>)"))
                    continue
                }
                let info = tables.info(ofNameAt: token.name, in: bytes) ?? tables.info(ofLongNameAt: token.name, in: bytes) ?? tables.info(of: name)
                if info.isVoid {
                    problems.append(.strayEnd(token: t, reason: "<\(name)> is a void element and has no end tag"))
                    continue
                }
                guard let position = Self.find(name, in: stack, elements, unpackedNames, boundaries: info.endBoundaries) else {
                    let reason = name == "p" ? "</p> closes no open <p> (browsers add an empty paragraph)" : "</\(name)> closes no open <\(name)>"
                    problems.append(.strayEnd(token: t, reason: reason))
                    continue
                }
                elements[stack[position]].end = t
                if name == "svg" || name == "math" { foreignDepth = max(0, foreignDepth - 1) }
                close(from: position + 1, stack: &stack, closer: t)
                stack.removeLast()
            default:
                continue
            }
        }
        for index in stack.reversed() where !elements[index].hasOptionalEnd {
            problems.append(.unclosed(element: index, closer: nil))
        }
    }

    /// `info` and whether the name is `svg` or `math`, for a start tag whose name does not pack.
    @inline(never)
    private static func unpackedStartInfo(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8], _ tables: TagTables) -> (TagInfo, Bool) {
        if let info = tables.info(ofLongNameAt: token.name, in: bytes) { return (info, false) }
        let name = view.tagName(token, in: bytes)
        return (tables.info(of: name), name == "svg" || name == "math")
    }

    /// Appends the name of `token` (one that does not pack) to `unpackedNames`; its index there.
    @inline(never)
    private mutating func appendUnpackedName(_ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8]) -> Int32 {
        unpackedNames.append(view.tagName(token, in: bytes))
        return Int32(truncatingIfNeeded: unpackedNames.count - 1)
    }

    /// The keys of `br`, `svg` and `math` (`TagNameKey`: first byte lowest) as constants: stored
    /// `static let`s cost a `swift_once` check at each of their 326,000 reads at agora x1.
    package static var brKey: UInt64 { 0x7262 }
    package static var svgKey: UInt64 { 0x67_7673 }
    package static var mathKey: UInt64 { 0x6874_616D }

    /// The `.endTag` case of `init` for a name whose bytes pack into `key`: the same steps, the name
    /// compared as its key (a `String` is made only for a message, or to compare with an open
    /// element whose name does not pack).
    private mutating func endTag(_ t: Int, key: UInt64, _ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8], _ tables: TagTables,
                                 stack: inout [Int], foreignDepth: inout Int) {
        if key == Self.brKey {
            problems.append(.strayEnd(token: t, reason: "</br> is not an end tag (browsers read it as <br>)"))
            return
        }
        let info = tables.info(packed: key)
        if info.isVoid {
            problems.append(.strayEnd(token: t, reason: "<\(view.tagName(token, in: bytes))> is a void element and has no end tag"))
            return
        }
        guard let position = Self.find(key, token, view, bytes, in: stack, elements, unpackedNames, boundaries: info.endBoundaries) else {
            let name = view.tagName(token, in: bytes)
            let reason = name == "p" ? "</p> closes no open <p> (browsers add an empty paragraph)" : "</\(name)> closes no open <\(name)>"
            problems.append(.strayEnd(token: t, reason: reason))
            return
        }
        elements[stack[position]].end = t
        if key == Self.svgKey || key == Self.mathKey { foreignDepth = max(0, foreignDepth - 1) }
        // Nearly every end tag closes the innermost open element: nothing above it to close.
        if position + 1 < stack.count { close(from: position + 1, stack: &stack, closer: t) }
        stack.removeLast()
    }

    /// `find(name, …)` for the end tag `token`, whose name packs into `key`: an open element whose
    /// name packs is equal exactly when its key is (both are then ASCII); one whose name does not is
    /// compared as a `String` (`namesEqual`, out of line: an optional `String` kept here for them was
    /// released at every end tag), as `find(name, …)` compares it.
    private static func find(_ key: UInt64, _ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8], in stack: [Int], _ elements: [Element],
                             _ unpackedNames: [String], boundaries: TagMask) -> Int? {
        var position = stack.count - 1
        let floor = max(0, stack.count - searchDepth)
        while position >= floor {
            let index = stack[position]
            let packed = elements[index].packedName
            if packed == key { return position }
            if packed == 0, namesEqual(unpackedNames[Int(elements[index].unpackedIndex)], token, view, bytes) { return position }
            if boundaries & elements[index].searchBit != 0 { return nil }
            position -= 1
        }
        return nil
    }

    /// Whether `name` equals the tag name of `token` (`HTMLView.tagName`), as `String`s.
    @inline(never)
    private static func namesEqual(_ name: String, _ token: HTMLToken, _ view: HTMLView, _ bytes: [UInt8]) -> Bool {
        name == view.tagName(token, in: bytes)
    }

    /// Pops the stack down to (not including) `position`, recording required end tags that were skipped.
    private mutating func close(from position: Int, stack: inout [Int], closer: Int) {
        guard position < stack.count else { return }
        for index in stack[position...].reversed() where !elements[index].hasOptionalEnd {
            problems.append(.unclosed(element: index, closer: closer))
        }
        stack.removeSubrange(position...)
    }

    /// Position in `stack` of the topmost open element named one of `names`, searching down to a boundary.
    private static func find(_ names: TagMask, in stack: [Int], _ elements: [Element], boundaries: TagMask) -> Int? {
        var position = stack.count - 1
        let floor = max(0, stack.count - searchDepth)
        while position >= floor {
            let bit = elements[stack[position]].searchBit
            if names & bit != 0 { return position }
            if boundaries & bit != 0 { return nil }
            position -= 1
        }
        return nil
    }

    /// `find` of one name, compared directly: no one-element set built and hashed per end tag.
    private static func find(_ name: String, in stack: [Int], _ elements: [Element], _ unpackedNames: [String], boundaries: TagMask) -> Int? {
        var position = stack.count - 1
        let floor = max(0, stack.count - searchDepth)
        while position >= floor {
            let open = elements[stack[position]]
            let openName = open.packedName != 0 ? TagNameKey.string(open.packedName) : unpackedNames[Int(open.unpackedIndex)]
            if openName == name { return position }
            if boundaries & open.searchBit != 0 { return nil }
            position -= 1
        }
        return nil
    }

    /// Byte range from the start tag through the explicit end tag (nil without one).
    package func outerRange(_ element: Element, _ view: HTMLView) -> Range<Int>? {
        guard let end = element.end else { return nil }
        return view.tokens[element.start].range.lowerBound..<view.tokens[end].range.upperBound
    }
}

/// A set of the tag names the stack searches look for or stop at (`TagTables.searched`), one bit each.
package typealias TagMask = UInt64

/// What building the element structure asks of a tag name, found with one dictionary lookup per
/// tag: the name sets were asked one by one, and each stack search hashed the name of every open
/// element it passed (a `<div>` searches for an open `<p>` down to a boundary). Derived from the
/// name sets above, so it answers exactly as they do.
package struct TagInfo {
    package var flags: UInt8
    /// The name's bit among `TagTables.searched` (0 for the other names: no search looks for them).
    package var bit: TagMask { Self.bit(searchIndex: searchIndex) }

    /// The bit of a `searchIndex` (-1: none), for the tag and for an open element that keeps only the index.
    @inline(__always) package static func bit(searchIndex: Int8) -> TagMask { searchIndex < 0 ? 0 : 1 << TagMask(searchIndex) }
    /// The bit's index, -1 for none.
    package var searchIndex: Int8
    /// Index into `TagTables.sibling` when its start tag closes open siblings, else -1.
    package var sibling: Int8
    /// Where the search for the open element its end tag closes stops.
    package var endBoundaries: TagMask

    package static let void: UInt8 = 1, optionalEnd: UInt8 = 2, closesParagraph: UInt8 = 4
    package var isVoid: Bool { flags & Self.void != 0 }
    package var hasOptionalEnd: Bool { flags & Self.optionalEnd != 0 }
    package var closesParagraph: Bool { flags & Self.closesParagraph != 0 }
}

/// The name sets of `HTMLElements` as `TagInfo`s and bit masks, built once per process.
package final class TagTables: Sendable {
    package static let shared = TagTables()
    /// Every name a search looks for or stops at, in a fixed order: name `i` is bit `i`.
    package let searched: [String]
    package let info: [String: TagInfo]
    /// For a name in none of the sets (custom elements, `span`, …).
    package let unknown: TagInfo
    package let paragraph: TagMask
    package let paragraphBoundaries: TagMask
    /// By `TagInfo.sibling`: the open elements the start tag closes, and where that search stops.
    package let sibling: [(closes: TagMask, boundaries: TagMask)]

    private init() {
        typealias E = HTMLElements
        var names = E.scopeBoundaries.union(E.paragraphBoundaries).union(["p"])
        for (_, rule) in E.closedBySibling { names.formUnion(rule.closes); names.formUnion(rule.stopAt) }
        for (_, boundaries) in E.siblingBoundaries { names.formUnion(boundaries) }
        for (_, scope) in E.endTagScope { names.formUnion(scope) }
        let searched = names.sorted()
        precondition(searched.count <= TagMask.bitWidth, "more searched tag names than bits")
        func mask(_ set: Set<String>) -> TagMask {
            var m: TagMask = 0
            for (i, name) in searched.enumerated() where set.contains(name) { m |= 1 << TagMask(i) }
            return m
        }
        let siblingNames = E.closedBySibling.keys.sorted()
        sibling = siblingNames.map { name in
            (mask(E.closedBySibling[name]?.closes ?? []), mask(E.siblingBoundaries[name] ?? []))
        }
        let scope = mask(E.scopeBoundaries)
        paragraph = mask(["p"])
        paragraphBoundaries = mask(E.paragraphBoundaries)
        unknown = TagInfo(flags: 0, searchIndex: -1, sibling: -1, endBoundaries: scope)
        var all = names.union(E.voidElements).union(E.optionalEnd).union(E.closesParagraph).union(E.endTagScope.keys)
        all.formUnion(E.closedBySibling.keys)
        var info: [String: TagInfo] = [:]
        for name in all {
            var flags: UInt8 = 0
            if E.voidElements.contains(name) { flags |= TagInfo.void }
            if E.optionalEnd.contains(name) { flags |= TagInfo.optionalEnd }
            if E.closesParagraph.contains(name) { flags |= TagInfo.closesParagraph }
            let end = E.endTagScope[name].map(mask) ?? (name == "p" ? paragraphBoundaries : scope)
            info[name] = TagInfo(flags: flags, searchIndex: searched.firstIndex(of: name).map { Int8($0) } ?? -1,
                                 sibling: siblingNames.firstIndex(of: name).map { Int8($0) } ?? -1, endBoundaries: end)
        }
        self.searched = searched
        self.info = info
        var size = 16
        while size < info.count * 4 { size <<= 1 }
        var keys = [UInt64](repeating: 0, count: size)
        var values = [TagInfo](repeating: unknown, count: size)
        for (name, value) in info {
            guard let key = Self.packed(name) else { continue }
            var i = Self.slot(key, mask: size - 1)
            while keys[i] != 0 { i = (i + 1) & (size - 1) }
            keys[i] = key
            values[i] = value
        }
        packedKeys = keys
        packedValues = values
        longNames = info.filter { Self.packed($0.key) == nil }.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), $0.value) }
    }

    /// The names of `info` that do not pack (longer than 8 bytes: `blockquote`, `figcaption`,
    /// `plaintext`), their bytes and infos, for `info(ofLongNameAt:in:)`.
    private let longNames: [(name: [UInt8], info: TagInfo)]

    /// `info(of: view.tagName(token, in: bytes))` for a tag name of more than 8 bytes, all ASCII, read
    /// from the bytes with ASCII upper case folded (as `tagName` folds them): an ASCII `String` equals a
    /// key of `info` (all ASCII) exactly when their bytes are equal. Nil for any other name (then ask
    /// `info(of:)`). The dictionary hashed each such name's `String` (~1,000 instructions a tag).
    package func info(ofLongNameAt name: Range<Int>, in bytes: [UInt8]) -> TagInfo? {
        guard name.count > 8 else { return nil }
        for i in name where bytes[i] >= 0x80 { return nil }
        for long in longNames where HTMLView.equalsIgnoringASCIICase(bytes, name, long.name) { return long.info }
        return unknown
    }

    /// `info` of the names of 1 to 8 ASCII bytes without NUL (every name but a few long ones), keyed
    /// by the name's bytes packed into a `UInt64` (unique for such names): looked up without hashing
    /// a `String` (SipHash per start and end tag of every HTML document).
    private let packedKeys: [UInt64]
    private let packedValues: [TagInfo]

    /// The `TagInfo` of a tag name (as `HTMLView.tagName` gives it: lower-cased): `info[name] ?? unknown`.
    @inline(__always)
    package func info(of name: String) -> TagInfo {
        guard let key = Self.packed(name) else { return info[name] ?? unknown }
        return info(packed: key)
    }

    /// `info(of: view.tagName(token, in: bytes))` for the tag name at `name`, read from the bytes
    /// folded to lower case as `tagName` folds them; nil when they do not pack (then ask `info(of:)`).
    @inline(__always)
    package func info(ofNameAt name: Range<Int>, in bytes: [UInt8]) -> TagInfo? {
        guard let key = Self.packed(bytes, name) else { return nil }
        return info(packed: key)
    }

    @inline(__always)
    package func info(packed key: UInt64) -> TagInfo {
        packedKeys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var i = Self.slot(key, mask: mask)
            while true {
                let k = keys[i]
                if k == key { return packedValues[i] }
                if k == 0 { return unknown }
                i = (i &+ 1) & mask
            }
        }
    }

    /// The key of a tag name's bytes (`packed(tagName)`, upper case ASCII folded), nil when it does not pack.
    @inline(__always)
    package static func packedName(_ bytes: [UInt8], _ name: Range<Int>) -> UInt64? { packed(bytes, name) }

    /// The key of a lower-case name (`info(of:)`'s), nil when it does not pack.
    package static func packedName(_ name: String) -> UInt64? { packed(name) }

    /// `packed(tagName)` from the name's bytes, upper case ASCII folded (the name is ASCII when it packs).
    @inline(__always)
    private static func packed(_ bytes: [UInt8], _ name: Range<Int>) -> UInt64? { TagNameKey.of(bytes, name) }

    /// The name's UTF-8 bytes in a `UInt64` (first byte lowest); nil for an empty name, one longer
    /// than 8 bytes, or one with a NUL or non-ASCII byte.
    @inline(__always)
    private static func packed(_ name: String) -> UInt64? {
        var key: UInt64 = 0
        var shift: UInt64 = 0
        for b in name.utf8 {
            guard shift < 64, b != 0, b < 0x80 else { return nil }
            key |= UInt64(b) << shift
            shift += 8
        }
        return key == 0 ? nil : key
    }

    @inline(__always)
    private static func slot(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }
}

extension Document {
    /// The element structure of the body's HTML, built once per document and shared by the HTML rules.
    package var htmlElements: HTMLElements {
        views.htmlElements { HTMLElements(html, bytes: bytes) }
    }
}

/// A tag name's bytes as one word: `TagTables`' key, made in the rules too (a `package` type's
/// static members are called out of line from other modules, at some 75 instructions a name).
/// `public` with `package` members only so that `of` is inlined there, as `ByteWords` is.
public enum TagNameKey {
    /// The bytes of `name` (1 to 8 bytes, none NUL or above 0x7F) with ASCII upper case folded,
    /// the first byte lowest; nil for any other name. Read as one eight-byte word where the buffer
    /// has one: the bytes outside the name masked off, the case folded on all bytes at once (a
    /// byte from `A` to `Z` gains 0x20: it reaches 0x80 when 0x3F is added, and not when 0x25 is).
    @inlinable
    package static func of(_ bytes: [UInt8], _ name: Range<Int>) -> UInt64? {
        let n = name.count
        guard n > 0, n <= 8 else { return nil }
        guard name.lowerBound &+ 8 <= bytes.count else { return ofBytes(bytes, name) }
        let word = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: name.lowerBound, as: UInt64.self) }.littleEndian
        let mask: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(n &* 8)) &- 1
        let v = word & mask
        // A byte above 0x7F, or a NUL among the name's own bytes (the others are made 1 for the test).
        guard v & ByteWords.highs == 0, !ByteWords.hasZeroByte(v | (~mask & ByteWords.ones)) else { return nil }
        let upper = (v &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(v &+ 0x2525_2525_2525_2525) & ByteWords.highs
        return v | (upper &>> 2)
    }

    /// `of(bytes, name)` on a buffer (the tokenizer's, as it reads the tag): the same key. Always
    /// inlined (its one caller): a call per tag cost as much as the packing.
    @inlinable @inline(__always)
    package static func of(_ buf: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> UInt64? {
        let n = name.count
        guard n > 0, n <= 8 else { return nil }
        guard let base = buf.baseAddress, name.lowerBound >= 0, name.lowerBound &+ 8 <= buf.count else {
            return ofEachByte(buf, name)
        }
        let word = UnsafeRawPointer(base + name.lowerBound).loadUnaligned(as: UInt64.self).littleEndian
        let mask: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(n &* 8)) &- 1
        let v = word & mask
        guard v & ByteWords.highs == 0, !ByteWords.hasZeroByte(v | (~mask & ByteWords.ones)) else { return nil }
        let upper = (v &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(v &+ 0x2525_2525_2525_2525) & ByteWords.highs
        return v | (upper &>> 2)
    }

    /// The name a key was made from, as `HTMLView.tagName` gives it: its bytes up to the first
    /// zero byte (a key holds no NUL of its own), ASCII and already lower-cased.
    package static func string(_ key: UInt64) -> String {
        let count = (UInt64.bitWidth &- key.leadingZeroBitCount &+ 7) / 8
        return String(unsafeUninitializedCapacity: count) { out in
            for k in 0..<count { out[k] = UInt8(truncatingIfNeeded: key &>> UInt64(k &* 8)) }
            return count
        }
    }

    /// `of` byte by byte: a name within eight bytes of the buffer's end, and the tests' reference.
    @inlinable
    package static func ofBytes(_ bytes: [UInt8], _ name: Range<Int>) -> UInt64? {
        guard !name.isEmpty, name.count <= 8 else { return nil }
        precondition(name.lowerBound >= 0 && name.upperBound <= bytes.count, "name range outside the bytes")
        return bytes.withUnsafeBufferPointer { ofEachByte($0, name) }
    }

    /// The key packed a byte at a time (a name of 1…8 bytes; nil outside the buffer): the one loop
    /// `ofBytes` and `of(_:_:)`'s tail case share.
    @inlinable
    static func ofEachByte(_ buf: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> UInt64? {
        guard name.lowerBound >= 0, name.upperBound <= buf.count else { return nil }
        var key: UInt64 = 0
        var shift: UInt64 = 0
        for i in name {
            var b = buf[i]
            guard b != 0, b < 0x80 else { return nil }
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            key |= UInt64(b) << shift
            shift += 8
        }
        return key
    }
}
