import Foundation
import NewsLintCore

/// Metadata harvest: a scraped file without front matter often keeps its metadata in the
/// first lines (`日期:2024-06-14 來源:黨委組織部`, a breadcrumb with the date, a title line).
/// Those lines become a front-matter block and are removed from the body.
package enum MetadataHarvest {
    package static let dateLabels = ["日期", "发布日期", "發布日期", "发布时间", "發布時間", "发表时间", "發表時間", "时间", "時間"]
    package static let sourceLabels = ["来源", "來源"]
    package static let authorLabels = ["作者"]
    /// Longest line (in scalars) taken as a title.
    package static let maxTitleLength = 40
    /// Lines looked at for a title when none precedes the article.
    package static let titleSearchLines = 12

    package struct Harvest {
        package var title: String?
        package var date: String?
        package var source: String?
        package var author: String?
        /// Lines to delete (the harvested header lines and a leading title line).
        package var removed: [Int] = []
        /// First line of the article (after the leading block).
        package var articleLine: Int?
    }

    package static func harvest(_ document: Document) -> Harvest {
        var h = Harvest()
        guard let body = document.bodyLines else { return h }
        let zones = DocumentZones(document, headerLines: 6, footerLines: 0)
        let matcher = BuiltinPatterns.matcher
        var verdicts: [Int: LineVerdict] = [:]
        for v in matcher.scanBody(document, zones: zones) where zones.isHeader(v.line) && v.whole { verdicts[v.line] = v }
        var fallbackDate: String?
        for n in body {
            let range = document.contentRange(ofLine: n)
            if TextScan.isBlank(document.bytes, range) { continue }
            if let v = verdicts[n] {
                guard let fields = fields(document, v, matcher: matcher) else { continue }
                h.removed.append(n)
                for (key, value) in fields {
                    if key == "date", h.date == nil { h.date = value }
                    if key == "source", h.source == nil { h.source = value }
                    if key == "author", h.author == nil { h.author = value }
                }
                if fallbackDate == nil { fallbackDate = date(in: document.lineText(n)) }
                continue
            }
            if h.title == nil, let t = titleCandidate(document, n) {
                h.title = t
                h.removed.append(n)
                continue
            }
            h.articleLine = n
            break
        }
        if h.date == nil { h.date = fallbackDate }
        if h.title == nil, let start = h.articleLine {
            let anywhere = DocumentZones(document, headerLines: Int.max, footerLines: 0)
            let boilerplate = Set(matcher.scanBody(document, zones: anywhere).map(\.line))
            for n in start...min(body.upperBound, start + titleSearchLines) where !boilerplate.contains(n) {
                if let t = titleCandidate(document, n) { h.title = t; break }
            }
        }
        return h
    }

    /// The front-matter fields (date, source, author) a metadata line holds, in line order; nil
    /// when a value carries markup `plainValue` cannot take off (the line then stays in the body).
    package static func fields(_ document: Document, _ v: LineVerdict, matcher: PatternMatcher) -> [(key: String, value: String)]? {
        let range = document.contentRange(ofLine: v.line)
        let hits = v.hits.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var out: [(String, String)] = []
        for (i, hit) in hits.enumerated() where matcher.patterns[hit.pattern].category == "metadata" {
            let label = labelName(document.bytes[hit.range])
            let end = i + 1 < hits.count ? hits[i + 1].range.lowerBound : range.upperBound
            let raw = String(decoding: document.bytes[hit.range.upperBound..<max(hit.range.upperBound, end)], as: UTF8.self)
            guard let value = plainValue(raw) else { return nil }
            guard !value.isEmpty, value != "[]" else { continue }
            if dateLabels.contains(label), let d = date(in: value) { out.append(("date", d)) }
            if sourceLabels.contains(label) { out.append(("source", value)) }
            if authorLabels.contains(label) { out.append(("author", value)) }
        }
        return out
    }

    package static func fix(for document: Document) -> Fix? {
        let h = harvest(document)
        guard let title = h.title, let date = h.date else { return nil }
        let nl = String(decoding: document.preferredNewline, as: UTF8.self)
        var block = "---" + nl + "title: " + yamlScalar(title) + nl + "date: " + date + nl
        if let s = h.source { block += "source: " + yamlScalar(s) + nl }
        if let a = h.author { block += "author: " + yamlScalar(a) + nl }
        if let slug = slug(document.path) { block += "slug: " + yamlScalar(slug) + nl }
        block += "---" + nl
        // Remove the harvested lines together with the blank lines that follow them; a byte-order
        // mark stays first (line 1's bytes begin with it: a deletion from 0 made `top..<start` an
        // inverted range and stopped the run).
        let top = document.bomLength
        var deletions: [Range<Int>] = []
        for n in h.removed.sorted() {
            var end = document.fullRange(ofLine: n).upperBound
            var m = n + 1
            while m <= document.lineCount, m != h.articleLine, !h.removed.contains(m),
                  TextScan.isBlank(document.bytes, document.contentRange(ofLine: m)) {
                end = document.fullRange(ofLine: m).upperBound
                m += 1
            }
            let start = max(top, document.fullRange(ofLine: n).lowerBound)
            if let last = deletions.last, last.upperBound == start { deletions[deletions.count - 1] = last.lowerBound..<end } else { deletions.append(start..<end) }
        }
        // Leading blank lines before the first harvested line go too (the block replaces them).
        if let first = deletions.first, TextScan.isBlank(document.bytes, top..<first.lowerBound) || first.lowerBound == top {
            deletions[0] = top..<first.upperBound
        }
        var edits: [Edit] = []
        if let first = deletions.first, first.lowerBound == top {
            edits.append(Edit(range: first, replacement: block))
            edits += deletions.dropFirst().map { Edit.delete($0) }
        } else {
            edits.append(.insert(block, at: top))
            edits += deletions.map { Edit.delete($0) }
        }
        return Fix(.unsafe, "Write front matter from the harvested header lines", edits: edits)
    }

    /// A heading, or a short line that does not end a sentence.
    package static func titleCandidate(_ document: Document, _ n: Int) -> String? {
        let range = document.contentRange(ofLine: n)
        let bytes = document.bytes
        if TextScan.isBlank(bytes, range) || document.isCode(line: n) { return nil }
        // A paragraph is no title: when the trimmed line has more bytes than `maxTitleLength`
        // scalars can take (4 bytes each at most; an ill-formed byte decodes to one U+FFFD) and does
        // not start with `#`, the answer is known without building and trimming its `String`.
        let trimmed = trimmedValueRange(bytes, range)
        if trimmed.count > 4 * maxTitleLength, bytes[trimmed.lowerBound] != UInt8(ascii: "#") { return nil }
        var text = trimValue(document.lineText(n))
        if text.hasPrefix("#") {
            text = trimValue(String(text.drop { $0 == "#" }))
            return text.isEmpty ? nil : text
        }
        let scalars = text.unicodeScalars.count
        guard scalars >= 2, scalars <= maxTitleLength, !TextScan.endsSentence(bytes, range) else { return nil }
        if text.hasPrefix("![") || text.hasPrefix("[") || text.hasPrefix("|") || text.contains("<") || text.contains("&") { return nil }
        return text
    }

    /// The first date in `text` as `YYYY-MM-DD` (with `HH:MM[:SS]` when given), or nil.
    package static func date(in text: String) -> String? {
        CalendarDate.first(in: text.utf8)?.isoDayAndTime
    }

    package static func labelName(_ bytes: ArraySlice<UInt8>) -> String {
        var s = String(decoding: bytes, as: UTF8.self)
        while s.hasSuffix(":") || s.hasSuffix("：") { s.removeLast() }
        return s
    }

    /// `range` without the scalars `trimValue` trims (space, tab, U+00A0, U+3000, `|`, `/`, `｜`) at
    /// either end, on bytes: those are well-formed sequences, and an ill-formed byte (U+FFFD once
    /// decoded) stops the trimming there as it stops `trimValue`.
    package static func trimmedValueRange(_ b: [UInt8], _ range: Range<Int>) -> Range<Int> {
        func length(at i: Int, _ end: Int) -> Int {
            switch b[i] {
            case 0x20, 0x09, UInt8(ascii: "|"), UInt8(ascii: "/"): return 1
            case 0xC2 where i + 1 < end && b[i + 1] == 0xA0: return 2
            case 0xE3 where i + 2 < end && b[i + 1] == 0x80 && b[i + 2] == 0x80: return 3
            case 0xEF where i + 2 < end && b[i + 1] == 0xBD && b[i + 2] == 0x9C: return 3
            default: return 0
            }
        }
        func length(endingAt end: Int, _ start: Int) -> Int {
            for n in [1, 2, 3] where end - n >= start && length(at: end - n, end) == n { return n }
            return 0
        }
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, case let n = length(at: lo, hi), n > 0 { lo += n }
        while hi > lo, case let n = length(endingAt: hi, lo), n > 0 { hi -= n }
        return lo..<hi
    }

    package static func trimValue(_ s: String) -> String {
        s.trimmingScalars(in: " \t\u{a0}\u{3000}|/｜")
    }

    /// A label's value without the markup the line wraps it in: HTML comments (a trailing
    /// `<!-- newslint-disable-line … -->`), tags at either end (`</p>`, `<br>`, `<strong>`) and
    /// Markdown emphasis marks at either end (`**来源：新华社**`). `trim` trims what is left.
    /// Nil when markup remains inside (`新华社<br>记者`, a link, an entity, code): such a value
    /// is not written into YAML as it stands, and no fix should guess at it.
    package static func plainValue(_ raw: String, trim: (String) -> String = trimValue) -> String? {
        var s = raw
        while let open = s.range(of: "<!--") {
            guard let close = s.range(of: "-->", range: open.upperBound..<s.endIndex) else { return nil }
            s.replaceSubrange(open.lowerBound..<close.upperBound, with: " ")
        }
        var changed = true
        while changed {
            changed = false
            let t = trim(s)
            if t != s { s = t; changed = true }
            if s.hasPrefix("<"), let close = s.firstIndex(of: ">"), isTag(s[s.startIndex...close]) {
                s.removeSubrange(s.startIndex...close); changed = true
            }
            if s.hasSuffix(">"), let open = s.lastIndex(of: "<"), isTag(s[open...]) {
                s.removeSubrange(open...); changed = true
            }
            for mark in ["*", "_"] where s.hasPrefix(mark) || s.hasSuffix(mark) {
                while s.hasPrefix(mark) { s.removeFirst() }
                while s.hasSuffix(mark) { s.removeLast() }
                changed = true
            }
        }
        return hasMarkup(s) ? nil : s
    }

    /// `<p>`, `</p>`, `<br/>`, `<strong>`: a tag without attributes. One with attributes
    /// (`<a href="…">`) may hold what the value means, so it is not taken off.
    private static func isTag(_ s: Substring) -> Bool {
        let inner = s.dropFirst().dropLast()
        let name = inner.drop { $0 == "/" }
        return name.first.map { $0.isASCII && $0.isLetter } == true
            && inner.allSatisfy { $0 == "/" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// A tag, a character or entity reference, a Markdown link, emphasis or code span.
    private static func hasMarkup(_ s: String) -> Bool {
        if s.contains("`") || s.contains("](") || s.contains("**") || s.contains("__") { return true }
        var scalars = s.unicodeScalars[...]
        while let i = scalars.firstIndex(where: { $0 == "<" || $0 == "&" }) {
            let rest = scalars[scalars.index(after: i)...]
            if scalars[i] == "<" {
                if let c = rest.first, c == "/" || c == "!" || (c.isASCII && c.properties.isAlphabetic) { return true }
            } else {
                let name = rest.prefix { $0 == "#" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
                if !name.isEmpty, rest.dropFirst(name.count).first == ";" { return true }
            }
            scalars = rest
        }
        return false
    }

    /// Slug from the file name (without directories and extension).
    package static func slug(_ path: String) -> String? {
        let name = PathComponents.lastComponent(path)
        let stem = PathComponents.deletingPathExtension(name)
        guard !stem.isEmpty, !stem.hasPrefix("<") else { return nil }
        return stem
    }

    /// A YAML scalar, double-quoted when a plain scalar would be misread.
    package static func yamlScalar(_ s: String) -> String {
        let special = s.first.map { "-?:,[]{}#&*!|>'\"%@`".contains($0) || $0 == " " } ?? true
        if special || s.contains(": ") || s.contains(" #") || s.hasSuffix(":") || s.hasSuffix(" ") || ["true", "false", "null", "yes", "no", "~"].contains(s.lowercased()) || Double(s) != nil {
            return JSONWriter.quote(s)
        }
        return s
    }
}
