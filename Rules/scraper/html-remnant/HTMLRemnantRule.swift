import Foundation
import NewsLintCore

/// What kind of text a document is, from its extension: Markdown renders inline HTML, plain
/// text renders nothing, and an HTML document is HTML (indentation and tags are its structure).
package enum TextFlavor {
    case markdown, plain, html

    package init(path: String) { self.init(path: path, isHTML: Document.isHTMLPath(path)) }

    /// Borrowed: an initializer takes its arguments owned, so each call copied the document (a
    /// retain of each of its references) and released the copy.
    package init(_ document: borrowing Document) { self.init(path: document.path, isHTML: document.isHTMLFile) }

    private init(path: String, isHTML: Bool) {
        if isHTML { self = .html; return }
        if let known = Self.asciiFlavor(ofPath: path) { self = known; return }
        let pathExtension = Self.pathExtension(path)
        if let known = Self.asciiFlavor(ofExtension: pathExtension) { self = known; return }
        self = Self.flavor(ofExtension: pathExtension)
    }

    /// The flavor of a file with the extension `pathExtension`: lower-cased, compared as strings.
    package static func flavor(ofExtension pathExtension: Substring) -> TextFlavor {
        switch pathExtension.lowercased() {
        case "md", "markdown", "mdown", "mkd", "mdx": return .markdown
        default: return .plain
        }
    }

    /// `flavor(ofExtension:)` of an ASCII extension on its bytes, nil for any other: lower-casing
    /// ASCII is folding `A`–`Z`, and an ASCII string equals one of the names exactly when its folded
    /// bytes do. (Lower-casing a `Substring` made a `String`, compared with each name in turn:
    /// ~1,000 instructions per Markdown file.) A non-ASCII extension keeps the `String` way: the
    /// Kelvin sign lower-cases to `k`.
    package static func asciiFlavor(ofExtension pathExtension: Substring) -> TextFlavor? {
        let found: TextFlavor?? = pathExtension.utf8.withContiguousStorageIfAvailable { asciiFlavor(ofExtensionBytes: $0) }
        return found ?? nil
    }

    /// `asciiFlavor(ofExtension: pathExtension(path))` read on the path's bytes; nil where that is
    /// answered the `String` way (no contiguous bytes, an empty file name or one without a dot
    /// after its first byte, a non-ASCII extension). Cutting the name and the extension as
    /// substrings was ~1,300 instructions a Markdown file (4.6 M on agora x1).
    package static func asciiFlavor(ofPath path: String) -> TextFlavor? {
        let found: TextFlavor?? = path.utf8.withContiguousStorageIfAvailable { b -> TextFlavor? in
            let nameStart = PathName.lastIndex(of: UInt8(ascii: "/"), in: b).map { $0 + 1 } ?? 0
            guard nameStart < b.count else { return nil }
            let name = UnsafeBufferPointer(rebasing: b[nameStart...])
            guard let dot = PathName.lastIndex(of: UInt8(ascii: "."), in: name), dot > 0 else { return nil }
            return asciiFlavor(ofExtensionBytes: UnsafeBufferPointer(rebasing: name[(dot + 1)...]))
        }
        return found ?? nil
    }

    /// `asciiFlavor(ofExtension:)` on the extension's bytes.
    private static func asciiFlavor(ofExtensionBytes b: UnsafeBufferPointer<UInt8>) -> TextFlavor? {
        // Longer than eight bytes: no name (`markdown` is eight), `.plain` if it is ASCII.
        var key: UInt64 = 0
        for k in b.indices.reversed() {
            let byte = b[k]
            guard byte < 0x80 else { return nil }
            key = key << 8 | UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        return markdownKeys.contains(b.count <= 8 ? key : 0) ? .markdown : .plain
    }

    /// The Markdown extensions as `asciiFlavor`'s keys: the bytes little-endian in one word (no
    /// name packs to 0, the key of a longer extension).
    private static let markdownKeys: [UInt64] = ["md", "markdown", "mdown", "mkd", "mdx"].map { name in
        name.utf8.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// `NSString.pathExtension` without the bridge (it was 2.5% of a default run): the text after
    /// the last dot of the last path component; `PathComponents` answers the unusual names (a
    /// leading dot, a trailing slash, `//`), as Foundation would but without its trap.
    package static func pathExtension(_ path: String) -> Substring {
        let name = PathName.fileName(path)
        guard !name.isEmpty, let dot = PathName.lastUTF8Index(of: UInt8(ascii: "."), in: name), dot != name.startIndex else {
            return Substring(PathComponents.pathExtension(path))
        }
        return name[name.utf8.index(after: dot)...]
    }
}

/// `html-remnant`: HTML entities (`&nbsp;`, `&amp;nbsp;`, `&#12288;`) and tags left in the text by
/// the scraper. In plain text (`.txt`) every tag is residue. In Markdown inline HTML is valid
/// (`<font>`, `<center>`, `<iframe>`, `<br>`, HTML blocks): only scraper residue is flagged —
/// markup escaped into text (`&lt;p&gt;`), closing tags without an opening one outside HTML
/// blocks, CMS wrappers carrying `class`/`id`/`style`, empty wrappers and Word markup. HTML
/// documents are HTML and are not checked. `allowedTags` are never reported.
public struct HTMLRemnantRule: Rule, RuleWithOptions {
    public static let id = "html-remnant"

    package static let named: [String: String] = [
        "nbsp": " ", "ensp": " ", "emsp": " ", "thinsp": " ", "amp": "&", "quot": "\"", "apos": "'",
        "mdash": "—", "ndash": "–", "hellip": "…", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’",
        "middot": "·", "copy": "©", "reg": "®", "times": "×", "bull": "•", "laquo": "«", "raquo": "»", "yen": "¥",
        "lt": "<", "gt": ">",
    ]
    package static let knownTags: Set<String> = [
        "br", "p", "span", "div", "script", "style", "font", "b", "strong", "i", "em", "u", "a", "table", "tr", "td", "th",
        "tbody", "thead", "center", "section", "article", "hr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "iframe", "meta", "link", "sup", "sub", "figure", "img", "figcaption", "video", "audio", "source", "o:p", "st1:chsdate",
    ]

    package let allowed: Set<String>

    public struct Options: Decodable, Sendable { var allowedTags: [String] }

    public init(options: RuleOptions) throws {
        allowed = Set(try Self.decodeOptions(options).allowedTags.map { $0.lowercased() })
    }

    package struct Entity {
        package var range: Range<Int>
        package var name: String
        /// Decoded text, nil when decoding is not safe (`&lt;` could form a tag).
        package var decoded: String?
        package var isSpace: Bool
    }

    /// Parses an entity starting at `i` (`&` at `b[i]`), handling the double-encoded `&amp;name;`.
    package static func entity(_ b: [UInt8], _ i: Int, _ end: Int) -> Entity? {
        var j = i + 1
        // Double (or deeper) encoding: skip the run of `amp;` in a loop (no recursion: a line of
        // thousands of `&amp;amp;…` must not exhaust the stack), then parse the inner entity once.
        var ampRun = 0
        while j + 4 < end, b[j..<(j + 4)].elementsEqual("amp;".utf8) { j += 4; ampRun += 1 }
        if ampRun > 0 {
            if let inner = plainEntity(b, j - 1, end), inner.name != "amp" {
                var e = inner
                e.range = i..<inner.range.upperBound
                e.name = String(repeating: "amp;", count: ampRun) + inner.name
                return e
            }
            j = i + 1
        }
        return plainEntity(b, i, end)
    }

    /// Parses a single (not double-encoded) entity with `&` at `b[i]`.
    private static func plainEntity(_ b: [UInt8], _ i: Int, _ end: Int) -> Entity? {
        var j = i + 1
        if j < end && b[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < end && (b[j] | 0x20) == UInt8(ascii: "x") { hex = true; j += 1 }
            let start = j
            var v: UInt32 = 0
            while j < end, j - start < 7 {
                let c = b[j]
                let d: UInt32?
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x61...0x66 where hex: d = UInt32(c - 0x61 + 10)
                case 0x41...0x46 where hex: d = UInt32(c - 0x41 + 10)
                default: d = nil
                }
                guard let d else { break }
                v = v * (hex ? 16 : 10) + d
                j += 1
            }
            guard j > start, j < end, b[j] == UInt8(ascii: ";") else { return nil }
            let name = String(decoding: b[(i + 1)..<j], as: UTF8.self)
            let space = [0x20, 0xA0, 0x3000, 0x2002, 0x2003, 0x2009].contains(v)
            var decoded: String?
            if space { decoded = " " } else if v >= 0x20, v != 0x3C, v != 0x3E, v != 0x26, v != 0x7F, let s = Unicode.Scalar(v) { decoded = String(Character(s)) }
            return Entity(range: i..<(j + 1), name: name, decoded: decoded, isSpace: space)
        }
        let start = j
        while j < end, j - start <= 8, (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A { j += 1 }
        guard j > start, j < end, b[j] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: b[start..<j], as: UTF8.self)
        guard let d = named[name] else { return nil }
        let safe = name != "lt" && name != "gt"
        return Entity(range: i..<(j + 1), name: name, decoded: safe ? d : nil, isSpace: d == " ")
    }

    /// A tag name at `i` (`<` at `b[i]`) when it is a known HTML tag or a conditional comment.
    package static func tag(_ b: [UInt8], _ i: Int, _ end: Int) -> (name: String, range: Range<Int>)? {
        if i + 7 <= end, b[i..<(i + 7)].elementsEqual("<!--[if".utf8) {
            var j = i + 7
            while j < end && b[j] != UInt8(ascii: ">") { j += 1 }
            return ("<!--[if", i..<min(end, j + 1))
        }
        var j = i + 1
        if j < end && b[j] == UInt8(ascii: "/") { j += 1 }
        let start = j
        while j < end, (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A || (b[j] >= 0x30 && b[j] <= 0x39) || b[j] == UInt8(ascii: ":") { j += 1 }
        guard j > start, j == end || [0x20, 0x09, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(b[j]) else { return nil }
        let name = String(decoding: b[start..<j], as: UTF8.self).lowercased()
        guard knownTags.contains(name) else { return nil }
        var k = j
        while k < end && b[k] != UInt8(ascii: ">") && b[k] != UInt8(ascii: "<") { k += 1 }
        guard k < end, b[k] == UInt8(ascii: ">") else { return nil }
        return (name, i..<(k + 1))
    }

    /// Tags that CMS editors wrap text in; with `class`/`id`/`style` they are page residue.
    package static let wrapperTags: Set<String> = ["span", "div", "p", "font", "section", "article", "strong", "b", "em", "i", "u", "h1", "h2", "h3", "h4", "h5", "h6", "td", "li"]
    /// Wrappers that render nothing when empty (an anchor with `id`/`name` is kept).
    package static let emptyWrapperTags: Set<String> = ["span", "div", "p", "font", "section", "strong", "b", "em", "i", "u"]
    /// Embedded media: a wrapper around them (`<div class="video"><iframe …>`) is deliberate layout.
    package static let mediaTags: Set<String> = ["iframe", "img", "video", "audio", "figure", "embed", "object", "svg", "picture", "source", "table", "blockquote"]
    package static let voidTags: Set<String> = ["br", "hr", "img", "meta", "link", "source", "embed", "input", "wbr", "area", "col", "param", "track"]
    /// CommonMark HTML block type 6 start tags.
    package static let blockTags: Set<String> = [
        "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col", "colgroup", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
        "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
    ]
    package static let rawBlockTags: Set<String> = ["script", "pre", "style", "textarea"]

    /// A parsed tag: `<name attr=…>`, `</name>` or `<name/>`, on one line.
    package struct Tag {
        package var name: String
        package var closing: Bool
        package var attributes: [String]
        package var range: Range<Int>
    }

    /// Parses any well-formed tag at `i` (`<` at `b[i]`); attribute values may hold `>` when quoted.
    package static func parseTag(_ b: [UInt8], _ i: Int, _ end: Int) -> Tag? {
        var j = i + 1
        var closing = false
        if j < end && b[j] == UInt8(ascii: "/") { closing = true; j += 1 }
        let start = j
        guard j < end, (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A else { return nil }
        while j < end, (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A || (b[j] >= 0x30 && b[j] <= 0x39) || b[j] == UInt8(ascii: ":") || b[j] == UInt8(ascii: "-") { j += 1 }
        let name = String(decoding: b[start..<j], as: UTF8.self).lowercased()
        guard j < end, [0x20, 0x09, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(b[j]) else { return nil }
        var attributes: [String] = []
        while j < end {
            while j < end && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
            guard j < end else { return nil }
            if b[j] == UInt8(ascii: ">") { return Tag(name: name, closing: closing, attributes: attributes, range: i..<(j + 1)) }
            if b[j] == UInt8(ascii: "/"), j + 1 < end, b[j + 1] == UInt8(ascii: ">") {
                return Tag(name: name, closing: closing, attributes: attributes, range: i..<(j + 2))
            }
            if closing { return nil }
            let a = j
            while j < end, ![0x20, 0x09, UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "/")].contains(b[j]) { j += 1 }
            guard j > a else { return nil }
            attributes.append(String(decoding: b[a..<j], as: UTF8.self).lowercased())
            while j < end && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
            if j < end && b[j] == UInt8(ascii: "=") {
                j += 1
                while j < end && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
                guard j < end else { return nil }
                if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") {
                    let q = b[j]
                    j += 1
                    while j < end && b[j] != q { j += 1 }
                    guard j < end else { return nil }
                    j += 1
                } else {
                    while j < end, ![0x20, 0x09, UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(b[j]) { j += 1 }
                }
            }
        }
        return nil
    }

    /// Lines inside CommonMark HTML blocks (types 1, 2, 6 and 7): raw HTML, not prose.
    package static func htmlBlockLines(_ document: Document, _ body: ClosedRange<Int>) -> Set<Int> {
        let b = document.bytes
        var inside = Set<Int>()
        var open: (kind: Int, closer: [UInt8])? = nil
        var previousBlank = true
        for n in body {
            let r = document.contentRange(ofLine: n)
            let blank = TextScan.isBlank(b, r)
            if document.isCode(line: n) { open = nil; previousBlank = blank; continue }
            if let o = open {
                if o.kind >= 6 {
                    if blank { open = nil } else { inside.insert(n) }
                } else {
                    inside.insert(n)
                    if ASCIICase.firstIndex(of: o.closer, in: b, from: r.lowerBound, to: r.upperBound) != nil { open = nil }
                }
                previousBlank = blank
                continue
            }
            var i = r.lowerBound
            while i < r.upperBound && i - r.lowerBound < 3 && b[i] == 0x20 { i += 1 }
            if i < r.upperBound && b[i] == UInt8(ascii: "<") {
                if i + 4 <= r.upperBound && b[i..<(i + 4)].elementsEqual("<!--".utf8) {
                    inside.insert(n)
                    if ASCIICase.firstIndex(of: Array("-->".utf8), in: b, from: i + 4, to: r.upperBound) == nil { open = (2, Array("-->".utf8)) }
                } else if let t = parseTag(b, i, r.upperBound) ?? openingName(b, i, r.upperBound) {
                    if !t.closing && rawBlockTags.contains(t.name) {
                        inside.insert(n)
                        let closer = Array("</\(t.name)>".utf8)
                        if ASCIICase.firstIndex(of: closer, in: b, from: r.lowerBound, to: r.upperBound) == nil { open = (1, closer) }
                    } else if blockTags.contains(t.name) {
                        inside.insert(n)
                        open = (6, [])
                    } else if previousBlank, t.range.upperBound <= r.upperBound, TextScan.isBlank(b, t.range.upperBound..<r.upperBound) {
                        inside.insert(n)
                        open = (7, [])
                    }
                }
            }
            previousBlank = blank
        }
        return inside
    }

    /// `<name` followed by a space or the end of the line: a block start whose tag goes on past the line.
    package static func openingName(_ b: [UInt8], _ i: Int, _ end: Int) -> Tag? {
        var j = i + 1
        var closing = false
        if j < end && b[j] == UInt8(ascii: "/") { closing = true; j += 1 }
        let start = j
        while j < end, (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A || (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
        guard j > start, j == end || b[j] == 0x20 || b[j] == 0x09 else { return nil }
        return Tag(name: String(decoding: b[start..<j], as: UTF8.self).lowercased(), closing: closing, attributes: [], range: i..<end)
    }

    /// End of a URL-like run starting at `i` (link destination, autolink or bare URL), or nil.
    package static func urlEnd(_ b: [UInt8], _ i: Int, _ end: Int) -> Int? {
        // Link destination: `](…)`.
        if b[i] == UInt8(ascii: "]"), i + 1 < end, b[i + 1] == UInt8(ascii: "(") {
            var j = i + 2
            var depth = 1
            while j < end {
                if b[j] == UInt8(ascii: "(") { depth += 1 }
                if b[j] == UInt8(ascii: ")") { depth -= 1; if depth == 0 { return j + 1 } }
                j += 1
            }
            return end
        }
        // Autolink `<scheme:…>`.
        if b[i] == UInt8(ascii: "<") {
            var j = i + 1
            while j < end, (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A || b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: "-") { j += 1 }
            guard j - i - 1 >= 2, j < end, b[j] == UInt8(ascii: ":") else { return nil }
            while j < end, b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "<"), b[j] > 0x20 { j += 1 }
            return j < end && b[j] == UInt8(ascii: ">") ? j + 1 : nil
        }
        if TextScan.startsURL(b, i, end) {
            var j = i
            while j < end, b[j] > 0x20, b[j] < 0x80, b[j] != UInt8(ascii: "<"), b[j] != UInt8(ascii: ")") { j += 1 }
            return j
        }
        return nil
    }

    /// An escaped tag at `i` (`&lt;p&gt;`, `&lt;/span&gt;`, `&amp;lt;br /&amp;gt;`): markup shown as text.
    package static let escapedOpeners: [[UInt8]] = ["&amp;lt;", "&lt;", "&#60;", "&#x3c;", "&#x3C;"].map { Array($0.utf8) }
    package static let escapedClosers: [[UInt8]] = ["&amp;gt;", "&gt;", "&#62;", "&#x3e;", "&#x3E;"].map { Array($0.utf8) }

    package static func escapedTag(_ b: [UInt8], _ i: Int, _ end: Int) -> Range<Int>? {
        var j = i
        for opener in escapedOpeners where j + opener.count <= end && b[j..<(j + opener.count)].elementsEqual(opener) {
            j += opener.count
            if j < end && b[j] == UInt8(ascii: "/") { j += 1 }
            let start = j
            while j < end, (b[j] | 0x20) >= 0x61 && (b[j] | 0x20) <= 0x7A || (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
            guard j > start, knownTags.contains(String(decoding: b[start..<j], as: UTF8.self).lowercased()) else { return nil }
            guard j < end, b[j] == 0x20 || b[j] == UInt8(ascii: "&") || b[j] == UInt8(ascii: "/") else { return nil }
            var k = j
            while k < end && k - j < 400 {
                for closer in escapedClosers where k + closer.count <= end && b[k..<(k + closer.count)].elementsEqual(closer) {
                    return i..<(k + closer.count)
                }
                if b[k] == UInt8(ascii: "<") || b[k] == UInt8(ascii: ">") { return nil }
                k += 1
            }
            return nil
        }
        return nil
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let body = document.bodyLines else { return }
        switch TextFlavor(document) {
        case .html: return
        case .plain: checkPlain(document, body, into: &sink)
        case .markdown: checkMarkdown(document, body, into: &sink)
        }
    }

    /// Plain text: every known tag and every entity is residue (nothing renders them).
    package func checkPlain(_ document: Document, _ body: ClosedRange<Int>, into sink: inout DiagnosticSink) {
        let b = document.bytes
        for n in body where !document.isCode(line: n) {
            let r = document.contentRange(ofLine: n)
            if sink.budgetSpent(step: n, bytes: r.count) { return }
            // Only `&` and `<` start a finding: a line without either (most prose) needs no walk.
            guard TextScan.containsAmpersandOrLessThan(b, r) else { continue }
            var i = r.lowerBound
            var inCode = false
            var leading = true
            var found: [(Entity, Bool)] = []
            while i < r.upperBound {
                let c = b[i]
                if c == UInt8(ascii: "`") { inCode.toggle(); leading = false; i += 1; continue }
                // A fix never edits a URL: `&amp;` in a query string stays.
                if !inCode, let u = Self.urlEnd(b, i, r.upperBound) { leading = false; i = max(u, i + 1); continue }
                if !inCode && c == UInt8(ascii: "&"), let e = Self.entity(b, i, r.upperBound) {
                    found.append((e, leading && e.isSpace))
                    if !e.isSpace { leading = false }
                    i = e.range.upperBound
                    continue
                }
                if !inCode && c == UInt8(ascii: "<"), let t = Self.tag(b, i, r.upperBound) {
                    leading = false
                    if !allowed.contains(t.name) {
                        let shown = t.name == "<!--[if" ? "conditional comment '<!--[if …]>'" : "tag <\(t.name)>"
                        sink.report(t.range, "stray HTML \(shown) in prose")
                    }
                    i = t.range.upperBound
                    continue
                }
                let sp = TextScan.spaceLength(b, i, r.upperBound)
                if sp == 0 { leading = false }
                i += max(sp, 1)
            }
            reportEntities(found, line: r, bytes: b, into: &sink)
        }
    }

    /// Markdown: inline HTML is valid; report scraper residue only.
    package func checkMarkdown(_ document: Document, _ body: ClosedRange<Int>, into sink: inout DiagnosticSink) {
        let b = document.bytes
        let blockLines = Self.htmlBlockLines(document, body)
        // Opening tags seen in the current paragraph or HTML block, by name.
        var openTags: [String: Int] = [:]
        for n in body {
            if document.isCode(line: n) { openTags = [:]; continue }
            let r = document.contentRange(ofLine: n)
            if sink.budgetSpent(step: n, bytes: r.count) { return }
            if TextScan.isBlank(b, r) { openTags = [:]; continue }
            // Only `&` and `<` start a finding or change `openTags`: a line without either needs no walk.
            guard TextScan.containsAmpersandOrLessThan(b, r) else { continue }
            let inBlock = blockLines.contains(n)
            let hasMedia = Self.lineHasMedia(b, r)
            var i = r.lowerBound
            var inCode = false
            var leading = true
            var found: [(Entity, Bool)] = []
            while i < r.upperBound {
                let c = b[i]
                if c == UInt8(ascii: "`") && !inBlock { inCode.toggle(); leading = false; i += 1; continue }
                if inCode { i += 1; continue }
                if !inBlock, let u = Self.urlEnd(b, i, r.upperBound) { leading = false; i = max(u, i + 1); continue }
                if c == UInt8(ascii: "&") {
                    if let esc = Self.escapedTag(b, i, r.upperBound) {
                        let shown = String(decoding: b[esc], as: UTF8.self)
                        sink.report(esc, "escaped HTML tag '\(shown.count > 40 ? String(shown.prefix(40)) + "…" : shown)' shown as text (scraper residue)")
                        leading = false
                        i = esc.upperBound
                        continue
                    }
                    if let e = Self.entity(b, i, r.upperBound) {
                        // In an HTML block entities are HTML; `&lt;`/`&gt;` are how Markdown writes < and >.
                        if !inBlock && e.name != "lt" && e.name != "gt" { found.append((e, leading && e.isSpace)) }
                        if !e.isSpace { leading = false }
                        i = e.range.upperBound
                        continue
                    }
                }
                if c == UInt8(ascii: "<") {
                    if i + 7 <= r.upperBound, b[i..<(i + 7)].elementsEqual("<!--[if".utf8), let t = Self.tag(b, i, r.upperBound) {
                        sink.report(t.range, "Word conditional comment '<!--[if …]>' (scraper residue)")
                        i = t.range.upperBound
                        continue
                    }
                    if let t = Self.parseTag(b, i, r.upperBound) {
                        leading = false
                        i = t.range.upperBound
                        if allowed.contains(t.name) { continue }
                        if t.name.contains(":") {
                            sink.report(t.range, "Word markup <\(t.closing ? "/" : "")\(t.name)> (scraper residue)")
                            continue
                        }
                        if t.closing {
                            if let k = openTags[t.name], k > 0 {
                                openTags[t.name] = k - 1
                            } else if !inBlock && Self.knownTags.contains(t.name) {
                                sink.report(t.range, "closing tag </\(t.name)> without an opening tag (scraper residue)",
                                            fix: Fix(.safe, "Remove the orphan closing tag", edit: .delete(t.range)))
                            }
                            continue
                        }
                        if !Self.voidTags.contains(t.name) { openTags[t.name, default: 0] += 1 }
                        if let close = Self.emptyWrapperEnd(b, t, r.upperBound) {
                            sink.report(t.range.lowerBound..<close, "empty <\(t.name)></\(t.name)> wrapper (scraper residue)",
                                        fix: Fix(.safe, "Remove the empty wrapper", edit: .delete(t.range.lowerBound..<close)))
                            openTags[t.name, default: 1] -= 1
                            i = close
                            continue
                        }
                        if Self.wrapperTags.contains(t.name), !hasMedia,
                           let attr = t.attributes.first(where: { $0 == "class" || $0 == "id" || $0 == "style" }) {
                            sink.report(t.range, "CMS wrapper <\(t.name) \(attr)=…> (scraper residue)")
                        }
                        continue
                    }
                }
                let sp = TextScan.spaceLength(b, i, r.upperBound)
                if sp == 0 { leading = false }
                i += max(sp, 1)
            }
            reportEntities(found, line: r, bytes: b, into: &sink)
        }
    }

    /// The end of `</name>` when the wrapper opened by `t` holds only spaces and space entities.
    package static func emptyWrapperEnd(_ b: [UInt8], _ t: Tag, _ end: Int) -> Int? {
        guard emptyWrapperTags.contains(t.name), !t.attributes.contains("id"), !t.attributes.contains("name") else { return nil }
        var j = t.range.upperBound
        while j < end {
            let sp = TextScan.spaceLength(b, j, end)
            if sp > 0 { j += sp; continue }
            if b[j] == UInt8(ascii: "&"), let e = entity(b, j, end), e.isSpace { j = e.range.upperBound; continue }
            break
        }
        guard j < end, let close = parseTag(b, j, end), close.closing, close.name == t.name else { return nil }
        return close.range.upperBound
    }

    package static func lineHasMedia(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound {
            if b[i] == UInt8(ascii: "<"), let t = parseTag(b, i, r.upperBound) ?? openingName(b, i, r.upperBound), mediaTags.contains(t.name) { return true }
            i += 1
        }
        return false
    }

    /// Reports entities of one line; whitespace entities at the start or end of the line are
    /// indentation or trailing space and are dropped, the others decoded.
    package func reportEntities(_ found: [(Entity, Bool)], line r: Range<Int>, bytes b: [UInt8], into sink: inout DiagnosticSink) {
        var trailing = true
        var fixes: [Int: Bool] = [:]
        for (k, pair) in found.enumerated().reversed() {
            let e = pair.0
            let after = k + 1 < found.count ? found[k + 1].0.range.lowerBound : r.upperBound
            if !TextScan.isBlank(b, e.range.upperBound..<after) || !e.isSpace { trailing = false }
            fixes[k] = trailing && e.isSpace
        }
        for (k, pair) in found.enumerated() {
            let (e, atStart) = pair
            let drop = atStart || (fixes[k] ?? false)
            let message = "HTML entity '&\(e.name);' in text"
            if let d = e.decoded {
                let replacement = drop ? "" : d
                let what = replacement.isEmpty ? "Remove the entity" : "Decode the entity"
                sink.report(e.range, message, fix: Fix(.safe, what, edit: Edit(range: e.range, replacement: replacement)))
            } else {
                sink.report(e.range, message)
            }
        }
    }
}
