import Foundation
import NewsLintCore

/// `html-tag-unbalanced`: end tags that close nothing (`</small>` with no `<small>` open, `</p>`
/// after a `<div>` already closed the paragraph) and elements whose required end tag never
/// comes (`<div>` closed by its parent's `</td>` or by the end of the file). HTML's optional
/// end tags (`<p>`, `<li>`, `<td>` …) and void elements (`<br>`, `<img>`) are not errors.
/// A stray end tag is deleted by a safe fix (browsers ignore it, so the page looks the same),
/// `</br>` becomes `<br>`; a stray end tag of a formatting element that was misnested earlier
/// (`<b><i></b></i>`: browsers reopen `<i>`) is deleted only by an unsafe fix. Unclosed
/// elements get no fix: where the end tag belongs needs a reader.
public struct HTMLTagUnbalancedRule: Rule, RuleWithOptions {
    public static let id = "html-tag-unbalanced"
    package let reportUnclosed: Bool

    public struct Options: Decodable, Sendable { var reportUnclosed: Bool }

    public init(options: RuleOptions) throws {
        reportUnclosed = try Self.decodeOptions(options).reportUnclosed
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLPost else { return }
        let bytes = document.bytes
        let view = document.html
        let structure = document.htmlElements
        var misnested = Set<String>()
        // Elements still open at the end: browsers close them there, so writing their end tags
        // after the last content changes nothing a reader sees. One fix (on the innermost) writes them all.
        let openAtEnd = structure.problems.compactMap { problem -> Int? in
            if case let .unclosed(element, nil) = problem { return element }
            return nil
        }
        var contentEnd = view.range.upperBound
        while contentEnd > view.range.lowerBound, HTMLView.isSpace(bytes[contentEnd - 1]) { contentEnd -= 1 }
        // In document order: positions are then counted forward from the previous finding (elements
        // left open at the end come innermost first, and a page is often one long line).
        func token(_ problem: HTMLElements.Problem) -> Int {
            switch problem {
            case let .unclosed(element, _): return structure.elements[element].start
            case let .strayEnd(t, _): return t
            }
        }
        // Most pages' problems already are in order (most have none or one): sorted only when not
        // (`sorted` is stable, so the order is the same), as sorting copied the array and its strings.
        let problems = structure.problems
        var inOrder = true
        for k in problems.indices.dropFirst() where token(problems[k - 1]) > token(problems[k]) {
            inOrder = false
            break
        }
        for problem in inOrder ? problems : problems.sorted(by: { token($0) < token($1) }) {
            switch problem {
            case let .unclosed(element, closer):
                let e = structure.elements[element]
                if closer != nil, HTMLElements.formatting.contains(structure.name(of: e)) { misnested.insert(structure.name(of: e)) }
                guard reportUnclosed else { continue }
                let by = closer.map { "closed by \(String(decoding: bytes[view.tokens[$0].range].prefix(40), as: UTF8.self))" } ?? "never closed"
                // Not when the input ends inside a comment, tag or script: the end tags would land in it.
                // The end tags written only for that fix (one a page at most), not for every page.
                var fix: Fix?
                if closer == nil && element == openAtEnd.first && !view.endsInsideMarkup {
                    let closing = Self.endTags(of: openAtEnd, structure)
                    fix = Fix(.safe, HTMLText.concat("close ", closing, " at the end"), edit: .insert(closing, at: contentEnd))
                }
                sink.report(view.tokens[e.start].range, HTMLText.concat("<", structure.name(of: e), "> has no end tag (", by, ")"), fix: fix)
            case let .strayEnd(t, reason):
                let token = view.tokens[t]
                let name = view.tagName(token, in: bytes)
                let fix: Fix
                if name == "br" {
                    fix = Fix(.safe, "write <br>", edits: [Edit(range: token.range, replacement: "<br>")])
                } else {
                    let safe = !(HTMLElements.formatting.contains(name) && misnested.contains(name))
                    fix = Fix(safe ? .safe : .unsafe, "delete the stray </\(name)>", edit: .delete(HTMLText.deletionRange(bytes, token.range, within: view.range)))
                }
                sink.report(token.range, "stray end tag: \(reason)", fix: fix)
            }
        }
    }

    /// `</name>` for each of `elements`, in order, as one string: `elements.map { "</\(name)>" }.joined()`
    /// written in place (an array of strings, each validated, then joined, per page with elements open at the end).
    package static func endTags(of elements: [Int], _ structure: HTMLElements) -> String {
        let names = elements.map { structure.name($0) }
        let count = names.reduce(0) { $0 + $1.utf8.count + 3 }
        return String(unsafeUninitializedCapacity: count) { out in
            var k = 0
            for var name in names {
                out[k] = UInt8(ascii: "<"); out[k + 1] = UInt8(ascii: "/"); k += 2
                name.withUTF8 { utf8 in for b in utf8 { out[k] = b; k += 1 } }
                out[k] = UInt8(ascii: ">"); k += 1
            }
            return k
        }
    }
}
