import Foundation

/// `html-remnant`: HTML entities (`&nbsp;`, `&amp;nbsp;`, `&#12288;`) and stray tags
/// (`<br>`, `<p>`, `<span …>`, `<script>`, `<!--[if …]>`) left in prose by the scraper.
/// Tags the corpus uses on purpose are allowed by `allowedTags`; `sub`/`sup` by default,
/// since Markdown has no other way to write CO<sub>2</sub> or m<sup>2</sup>.
public struct HTMLRemnantRule: Rule {
    public static let id = "html-remnant"

    static let named: [String: String] = [
        "nbsp": " ", "ensp": " ", "emsp": " ", "thinsp": " ", "amp": "&", "quot": "\"", "apos": "'",
        "mdash": "—", "ndash": "–", "hellip": "…", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’",
        "middot": "·", "copy": "©", "reg": "®", "times": "×", "bull": "•", "laquo": "«", "raquo": "»", "yen": "¥",
        "lt": "<", "gt": ">",
    ]
    static let knownTags: Set<String> = [
        "br", "p", "span", "div", "script", "style", "font", "b", "strong", "i", "em", "u", "a", "table", "tr", "td", "th",
        "tbody", "thead", "center", "section", "article", "hr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "iframe", "meta", "link", "sup", "sub", "figure", "img", "figcaption", "video", "audio", "source", "o:p", "st1:chsdate",
    ]

    let allowed: Set<String>

    public init(options: RuleOptions) {
        allowed = Set(options.strings("allowedTags", ["figure", "img", "figcaption", "video", "audio", "source", "sub", "sup"]).map { $0.lowercased() })
    }

    struct Entity {
        var range: Range<Int>
        var name: String
        /// Decoded text, nil when decoding is not safe (`&lt;` could form a tag).
        var decoded: String?
        var isSpace: Bool
    }

    /// Parses an entity starting at `i` (`&` at `b[i]`), handling the double-encoded `&amp;name;`.
    static func entity(_ b: [UInt8], _ i: Int, _ end: Int) -> Entity? {
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
    static func tag(_ b: [UInt8], _ i: Int, _ end: Int) -> (name: String, range: Range<Int>)? {
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

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let body = document.bodyLines else { return }
        let b = document.bytes
        for n in body where !document.isCode(line: n) {
            let r = document.contentRange(ofLine: n)
            var i = r.lowerBound
            var inCode = false
            var leading = true
            var found: [(Entity, Bool)] = []
            while i < r.upperBound {
                let c = b[i]
                if c == UInt8(ascii: "`") { inCode.toggle(); leading = false; i += 1; continue }
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
            // Whitespace entities at the start or end of the line are indentation or trailing space: drop them.
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
                    sink.report(e.range, message, fix: Fix(.safe, what, edits: [Edit(range: e.range, replacement: replacement)]))
                } else {
                    sink.report(e.range, message)
                }
            }
        }
    }
}
