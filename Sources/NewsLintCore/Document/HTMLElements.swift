import Foundation

/// The element structure of an HTML document, built from `Document.html` tokens after the
/// HTML tree-construction rules that matter for balance: void elements (`<br>`, `<img>`) have
/// no end tag, elements with optional end tags (`<p>`, `<li>`, `<td>` …) are closed by what
/// follows them (`<p>` by a block start tag, `<li>` by the next `<li>`), an end tag closes the
/// nearest open element of its name inside its scope, and an end tag with nothing to close is
/// stray (browsers drop it, or make `</p>` an empty paragraph and `</br>` a line break).
/// Linear: one pass over the tokens with a stack of open elements.
package struct HTMLElements {
    package struct Element {
        /// Token index of the start tag.
        package var start: Int
        /// Token index of the explicit end tag; nil when closed implicitly or never.
        package var end: Int?
        package var name: String
        /// Index of the parent element in `elements`.
        package var parent: Int?
    }

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
    package private(set) var elementAtToken: [Int: Int] = [:]

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
        var stack: [Int] = []  // element indices
        var foreignDepth = 0   // inside <svg>/<math>: `/>` closes an element
        for (t, token) in view.tokens.enumerated() {
            switch token.kind {
            case .startTag:
                let name = view.tagName(token, in: bytes)
                if Self.voidElements.contains(name) { continue }
                if token.selfClosing && (foreignDepth > 0 || name == "svg" || name == "math") { continue }
                if Self.closesParagraph.contains(name), let p = Self.find("p", in: stack, elements, boundaries: Self.paragraphBoundaries) {
                    close(from: p, stack: &stack, closer: t)
                }
                if let rule = Self.closedBySibling[name], let boundaries = Self.siblingBoundaries[name], let open = Self.find(rule.closes, in: stack, elements, boundaries: boundaries) {
                    close(from: open, stack: &stack, closer: t)
                }
                if name == "svg" || name == "math" { foreignDepth += 1 }
                elements.append(Element(start: t, end: nil, name: name, parent: stack.last))
                elementAtToken[t] = elements.count - 1
                stack.append(elements.count - 1)
            case .endTag:
                let name = view.tagName(token, in: bytes)
                if name == "br" {
                    problems.append(.strayEnd(token: t, reason: "</br> is not an end tag (browsers read it as <br>)"))
                    continue
                }
                if Self.voidElements.contains(name) {
                    problems.append(.strayEnd(token: t, reason: "<\(name)> is a void element and has no end tag"))
                    continue
                }
                let boundaries = Self.endTagScope[name] ?? (name == "p" ? Self.paragraphBoundaries : Self.scopeBoundaries)
                guard let position = Self.find(name, in: stack, elements, boundaries: boundaries) else {
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
        for index in stack.reversed() where !Self.optionalEnd.contains(elements[index].name) {
            problems.append(.unclosed(element: index, closer: nil))
        }
    }

    /// Pops the stack down to (not including) `position`, recording required end tags that were skipped.
    private mutating func close(from position: Int, stack: inout [Int], closer: Int) {
        guard position < stack.count else { return }
        for index in stack[position...].reversed() where !Self.optionalEnd.contains(elements[index].name) {
            problems.append(.unclosed(element: index, closer: closer))
        }
        stack.removeSubrange(position...)
    }

    /// Position in `stack` of the topmost open element named one of `names`, searching down to a boundary.
    private static func find(_ names: Set<String>, in stack: [Int], _ elements: [Element], boundaries: Set<String>) -> Int? {
        var position = stack.count - 1
        let floor = max(0, stack.count - searchDepth)
        while position >= floor {
            let name = elements[stack[position]].name
            if names.contains(name) { return position }
            if boundaries.contains(name) { return nil }
            position -= 1
        }
        return nil
    }

    /// `find` of one name, compared directly: no one-element set built and hashed per end tag.
    private static func find(_ name: String, in stack: [Int], _ elements: [Element], boundaries: Set<String>) -> Int? {
        var position = stack.count - 1
        let floor = max(0, stack.count - searchDepth)
        while position >= floor {
            let open = elements[stack[position]].name
            if open == name { return position }
            if boundaries.contains(open) { return nil }
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

extension Document {
    /// The element structure of the body's HTML, built once per document and shared by the HTML rules.
    package var htmlElements: HTMLElements {
        htmlElementsCache.value { HTMLElements(html, bytes: bytes) }
    }
}
