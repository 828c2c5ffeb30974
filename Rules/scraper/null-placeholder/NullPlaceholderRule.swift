import Foundation
import NewsLintCore

/// `null-placeholder`: the body opens with a line that is only `null`, `undefined`, `None` or
/// `[object Object]`: a scraper's template wrote out a field the page did not have (RFA posts
/// whose lead image is missing start with `null`). Only the first line with text is checked:
/// that is where a template puts a lead field, and a lone `null` further down may be content
/// (a code sample, a quoted value).
public struct NullPlaceholderRule: Rule {
    public static let id = "null-placeholder"

    /// What a missing value prints as in JavaScript, JSON, Python and a JavaScript object.
    package static let placeholders: [[UInt8]] = ["null", "undefined", "None", "[object Object]"].map { Array($0.utf8) }

    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let body = document.bodyLines else { return }
        let bytes = document.bytes
        for n in body {
            let range = document.contentRange(ofLine: n)
            var start = range.lowerBound, end = range.upperBound
            while start < end, TextScan.spaceLength(bytes, start, end) > 0 { start += TextScan.spaceLength(bytes, start, end) }
            if start == end { continue } // blank: keep looking for the first line with text
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            guard !document.isCode(line: n), let token = Self.placeholders.first(where: { bytes[start..<end].elementsEqual($0) }) else { return }
            let word = String(decoding: token, as: UTF8.self)
            sink.report(start..<end, "the body starts with a literal '\(word)' line: a scraper wrote out a missing field",
                        fix: Fix(.safe, "Delete the '\(word)' line", edit: .delete(document.fullRange(ofLine: n))))
            return
        }
    }
}
