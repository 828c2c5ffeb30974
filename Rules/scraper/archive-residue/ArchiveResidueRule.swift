import NewsLintCore

/// `archive-residue`: links a web archive rewrote while the page was captured through it —
/// `https://web.archive.org/web/<timestamp>[id_|im_|…]/<original>`, relative `/web/<timestamp>/<original>`
/// links (broken anywhere but inside the archive), archive.today rewrites (`archive.ph/o/<id>/<original>`,
/// `archive.ph/<date>/<original>`) and an archive-wrapped `link:` in front matter.
///
/// A news article may cite an archive capture on purpose (fact checks link `archive.ph/AbCd1`), so a
/// short archive.today id is never reported and a plain absolute capture link in the body only when
/// the file shows it was captured through the archive: a relative or rewritten archive link, an
/// archived front-matter URL, a wrapped link to the article's own site, or `minLinks` wrapped links.
/// Unsafe fix: unwrap to the original URL, only when the link spells it out with its scheme.
///
/// On an HTML page saved from the Wayback Machine, the archive's own chrome (`WaybackChrome`: head
/// injection, toolbar, trailer comments) is one finding a block, with a fix deleting the block;
/// its links are not reported again.
public struct ArchiveResidueRule: Rule, RuleWithOptions {
    public static let id = "archive-residue"
    /// Does not read prose: on an HTML page the residue is mostly in `href`/`src` attributes, which
    /// the sink would hide from a prose rule. `check` keeps on HTML the links in visible text or in
    /// a start tag outside code (`HTMLView.isProseOrStartTag`), none in comments or scripts.

    package let minLinks: Int

    public struct Options: Decodable, Sendable { var minLinks: Int }

    public init(options: RuleOptions) throws {
        minLinks = try Self.decodeOptions(options).minLinks
        guard minLinks >= 1 else { throw RuleOptionError(option: "minLinks", message: "must be at least 1") }
    }

    package enum Shape {
        /// `https://web.archive.org/web/2021…/https://…` or archive.today with a date.
        case absolute
        /// `/web/2021…/https://…` as a link destination.
        case relative
        /// Archive-internal rewrites: `id_`/`im_`/… flags, archive.today `o/<id>/`.
        case rewritten
    }

    package struct Hit {
        package var range: Range<Int>
        package var shape: Shape
        /// The wrapped URL as written (possibly without scheme).
        package var original: Range<Int>
        package var inFrontMatter: Bool
    }

    package static let frontMatterURLKeys: Set<String> = ["link", "url", "canonical", "canonical_url", "permalink", "source_url", "original_url", "source"]

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        guard Self.mayContainArchive(in: document) else { return }
        var hits: [Hit] = []
        let bodyLine = document.bodyStartLine
        for n in stride(from: 1, through: document.lineCount, by: 1) where !document.isCode(line: n) {
            if sink.budgetSpent(step: n, bytes: document.contentRange(ofLine: n).count) { return }
            scanLine(bytes, document.contentRange(ofLine: n), inFrontMatter: n < bodyLine, into: &hits)
        }
        let html: HTMLView? = document.isHTMLFile ? document.html : nil
        var chrome: [WaybackChrome.Block] = []
        if let html {
            hits.removeAll { $0.range.lowerBound >= document.bodyStart && !html.isProseOrStartTag(at: $0.range.lowerBound) }
            chrome = WaybackChrome.blocks(bytes, html).sorted { $0.range.lowerBound < $1.range.lowerBound }
            // A link inside the archive's chrome (the toolbar's donate frame) is part of that finding.
            if !chrome.isEmpty { hits = Self.outside(chrome, hits) }
        }
        guard !hits.isEmpty || !chrome.isEmpty else { return }
        let ownHost = Self.ownHost(document)
        // The archive's chrome shows the page was captured through it as well as a rewritten link.
        let captured = !chrome.isEmpty || hits.contains { $0.shape != .absolute || $0.inFrontMatter } || hits.count >= minLinks
        var nextBlock = 0
        for hit in hits {
            while nextBlock < chrome.count, chrome[nextBlock].range.lowerBound < hit.range.lowerBound {
                Self.report(chrome[nextBlock], document, into: &sink)
                nextBlock += 1
            }
            let original = Array(bytes[hit.original])
            let sameSite = ownHost != nil && Self.host(original) == ownHost
            guard captured || sameSite else { continue }
            let shown = String(decoding: original, as: UTF8.self)
            let message: String
            switch hit.shape {
            case .relative: message = "relative archive link to '\(shown)': broken outside the archive it was captured from"
            case .rewritten: message = "archive-rewritten link to '\(shown)': points into the archive's copy, not to the original"
            case .absolute: message = "archive-wrapped link to '\(shown)': points to the archive capture, not to the original"
            }
            // On HTML only in visible text: the text rules' fixes never edit markup (an attribute is
            // the page's structure; `HTMLTextFixKeepsMarkupTests`), so a rewritten `href` is reported only.
            let editable = html.map { hit.range.lowerBound < document.bodyStart || $0.isEditable(hit.range) } ?? true
            let fix = editable ? Self.recovered(original).map { url in
                Fix(.unsafe, "Unwrap to the original URL", edit: Edit(range: hit.range, replacement: url))
            } : nil
            sink.report(hit.range, message, fix: fix)
        }
        for block in chrome[nextBlock...] { Self.report(block, document, into: &sink) }
    }

    /// The hits that start outside every block (both in document order: one merge, not a search
    /// of the blocks per hit).
    private static func outside(_ blocks: [WaybackChrome.Block], _ hits: [Hit]) -> [Hit] {
        var kept: [Hit] = []
        kept.reserveCapacity(hits.count)
        var b = 0
        for hit in hits {
            let at = hit.range.lowerBound
            while b < blocks.count, blocks[b].range.upperBound <= at { b += 1 }
            if b < blocks.count, blocks[b].range.contains(at) { continue }
            kept.append(hit)
        }
        return kept
    }

    /// One finding for a block of the archive's chrome, with a fix deleting exactly the block:
    /// safe when every element of it is the archive's (the toolbar between its markers, the
    /// trailer comments, a head injection of known elements), unsafe when a head injection holds
    /// something else before its End marker or the toolbar holds non-ASCII text (the page's).
    private static func report(_ block: WaybackChrome.Block, _ document: Document, into sink: inout DiagnosticSink) {
        let lines = document.line(ofByte: max(block.range.lowerBound, block.range.upperBound - 1)) - document.line(ofByte: block.range.lowerBound) + 1
        let span = lines == 1 ? "1 line" : "\(lines) lines"
        let message: String
        let action: String
        switch block.kind {
        case .headInjection:
            message = block.allKnown
                ? "Wayback Machine head injection (\(span): the archive's scripts and banner styles): added by the archive on playback, not part of the page"
                : "Wayback Machine head injection (\(span)) holding elements not known as the archive's before its End marker: check them before deleting"
            action = "Delete the Wayback Machine head injection"
        case .endMarker:
            message = "leftover Wayback Machine marker '<!-- End Wayback Rewrite JS Include -->': added by the archive, not part of the page"
            action = "Delete the Wayback Machine marker"
        case .toolbar:
            message = block.allKnown
                ? "Wayback Machine toolbar (\(span), BEGIN to END WAYBACK TOOLBAR INSERT): added by the archive on playback, not part of the page"
                : "Wayback Machine toolbar (\(span), BEGIN to END WAYBACK TOOLBAR INSERT) holding non-English text, which the toolbar never shows: check it is not the page's before deleting"
            action = "Delete the Wayback Machine toolbar"
        case .trailer:
            message = "Wayback Machine trailer comments (\(span): the capture's record): added by the archive, not part of the page"
            action = "Delete the Wayback Machine trailer comments"
        }
        let fix = Fix(block.allKnown ? .safe : .unsafe, action, edit: Edit.delete(deletion(of: block.range, in: document)))
        sink.report(block.range, message, fix: fix)
    }

    /// What deleting `range` removes: its whole lines (terminators included, so the file keeps its
    /// line endings) when nothing but spaces shares them, else exactly its bytes.
    package static func deletion(of range: Range<Int>, in document: Document) -> Range<Int> {
        let bytes = document.bytes
        let first = document.line(ofByte: range.lowerBound)
        let last = document.line(ofByte: max(range.lowerBound, range.upperBound - 1))
        let head = document.contentRange(ofLine: first)
        let tail = document.contentRange(ofLine: last)
        guard head.lowerBound <= range.lowerBound, range.upperBound <= tail.upperBound else { return range }
        let blank = { (r: Range<Int>) in bytes[r].allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        guard blank(head.lowerBound..<range.lowerBound), blank(range.upperBound..<tail.upperBound) else { return range }
        return head.lowerBound..<document.fullRange(ofLine: last).upperBound
    }

    /// The file-level test, asked first of the document's byte-pair census (shared with other
    /// rules): most files lack a pair of both `/web/` and `archive.`, and skip the scan below.
    package static func mayContainArchive(in document: Document) -> Bool {
        let pairs = document.bytePairs
        return (pairs.mayContain(Self.webSegment) || pairs.mayContain(Self.archiveDot)) && mayContainArchive(document.bytes)
    }

    private static let archiveDot = Array("archive.".utf8)

    /// `/web/` or `archive.` starting at least eight bytes before the end of the file (as a
    /// scan from every byte finds them). Only at a `w` (second byte of `/web/`) or a `v` (sixth
    /// of `archive.`) can one be: the text between them is skipped eight bytes per step.
    package static func mayContainArchive(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            // Whether `needle` starts at `i` and `i + 7 < n`, the plain scan's bound.
            func at(_ i: Int, _ needle: StaticString) -> Bool {
                guard i >= 0, i + 7 < n else { return false }
                return needle.withUTF8Buffer { p in (0..<p.count).allSatisfy { raw[i + $0] == p[$0] } }
            }
            var j = 0
            while j < n {
                j = ByteWords.firstIndex(of: 0x77, or: 0x76, in: raw, from: j, to: n)
                guard j < n else { return false }
                if raw[j] == 0x77 ? at(j - 1, "/web/") : at(j - 5, "archive.") { return true }
                j += 1
            }
            return false
        }
    }

    private static let webSegment = Array("/web/".utf8)
    private static let waybackHosts = ["web.archive.org", "wayback.archive.org"].map { Array($0.utf8) }
    private static let archiveToday = ["archive.today/", "archive.ph/", "archive.is/", "archive.li/", "archive.md/", "archive.vn/", "archive.fo/"].map { Array($0.utf8) }

    @inline(__always)
    package static func matches(_ bytes: [UInt8], _ at: Int, _ needle: [UInt8], limit: Int) -> Bool {
        at >= 0 && at + needle.count <= limit && bytes[at..<(at + needle.count)].elementsEqual(needle)
    }

    private func scanLine(_ bytes: [UInt8], _ line: Range<Int>, inFrontMatter: Bool, into hits: inout [Hit]) {
        var i = line.lowerBound
        while i < line.upperBound {
            if bytes[i] == 0x2F, Self.matches(bytes, i, Self.webSegment, limit: line.upperBound), let hit = wayback(bytes, at: i, line, inFrontMatter) {
                hits.append(hit)
                i = hit.range.upperBound
                continue
            }
            if bytes[i] == 0x61, let hit = archiveTodayLink(bytes, at: i, line, inFrontMatter) {
                hits.append(hit)
                i = hit.range.upperBound
                continue
            }
            i += 1
        }
    }

    /// `…/web/<digits>[xx_]/<original>` with `/web/` at `at`.
    private func wayback(_ bytes: [UInt8], at: Int, _ line: Range<Int>, _ inFrontMatter: Bool) -> Hit? {
        var j = at + 5
        let digitsStart = j
        while j < line.upperBound, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1 }
        guard j - digitsStart >= 4, j - digitsStart <= 14 else { return nil }
        var flagged = false
        if j + 2 < line.upperBound, (0x61...0x7A).contains(bytes[j]), (0x61...0x7A).contains(bytes[j + 1]), bytes[j + 2] == 0x5F {
            j += 3
            flagged = true
        }
        guard j < line.upperBound, bytes[j] == 0x2F, j + 1 < line.upperBound else { return nil }
        let originalStart = j + 1
        guard Self.looksLikeURL(bytes, originalStart, line.upperBound) else { return nil }
        // What precedes `/web/`: the archive host (absolute) or the start of a link destination (relative).
        var start = at
        var shape: Shape
        if let host = Self.waybackHosts.first(where: { Self.matches(bytes, at - $0.count, $0, limit: line.upperBound) }) {
            start = at - host.count
            for scheme in ["https://", "http://", "//"].map({ Array($0.utf8) }) where Self.matches(bytes, start - scheme.count, scheme, limit: line.upperBound) {
                start -= scheme.count
                break
            }
            shape = flagged ? .rewritten : .absolute
        } else {
            guard at > line.lowerBound else { return nil }
            let p = bytes[at - 1]
            // `](/web/…`, `href="/web/…`, `src='/web/…`, `</web/…>`, or a front-matter value.
            guard p == 0x28 || p == 0x22 || p == 0x27 || p == 0x3C || p == 0x3D || (inFrontMatter && p == 0x20) else { return nil }
            shape = .relative
        }
        let end = Self.urlEnd(bytes, originalStart, line, opener: inFrontMatter ? 0x22 : start > line.lowerBound ? bytes[start - 1] : 0)
        guard end > originalStart else { return nil }
        return Hit(range: start..<end, shape: shape, original: originalStart..<end, inFrontMatter: inFrontMatter)
    }

    /// `archive.ph/o/<id>/<original>` or `archive.ph/<date>/<original>` with `archive.` at `at`.
    private func archiveTodayLink(_ bytes: [UInt8], at: Int, _ line: Range<Int>, _ inFrontMatter: Bool) -> Hit? {
        guard let host = Self.archiveToday.first(where: { Self.matches(bytes, at, $0, limit: line.upperBound) }) else { return nil }
        var start = at
        if at > line.lowerBound, bytes[at - 1] == 0x2E || CJK.isASCIILetter(UInt32(bytes[at - 1])) { return nil }  // not a subdomain of something else
        for scheme in ["https://", "http://", "//"].map({ Array($0.utf8) }) where Self.matches(bytes, at - scheme.count, scheme, limit: line.upperBound) {
            start = at - scheme.count
            break
        }
        var j = at + host.count
        let shape: Shape
        if j + 1 < line.upperBound, bytes[j] == 0x6F, bytes[j + 1] == 0x2F {
            // o/<id>/
            j += 2
            let idStart = j
            while j < line.upperBound, CJK.isASCIILetter(UInt32(bytes[j])) || (0x30...0x39).contains(bytes[j]) { j += 1 }
            guard j > idStart, j < line.upperBound, bytes[j] == 0x2F else { return nil }
            shape = .rewritten
        } else {
            // 2021.05.01-120000/ or 20210501120000/
            let stampStart = j
            while j < line.upperBound, (0x30...0x39).contains(bytes[j]) || bytes[j] == 0x2E || bytes[j] == 0x2D { j += 1 }
            guard j - stampStart >= 8, j < line.upperBound, bytes[j] == 0x2F else { return nil }
            shape = .absolute
        }
        let originalStart = j + 1
        guard Self.looksLikeURL(bytes, originalStart, line.upperBound) else { return nil }
        let end = Self.urlEnd(bytes, originalStart, line, opener: inFrontMatter ? 0x22 : start > line.lowerBound ? bytes[start - 1] : 0)
        guard end > originalStart else { return nil }
        return Hit(range: start..<end, shape: shape, original: originalStart..<end, inFrontMatter: inFrontMatter)
    }

    /// `http:`/`https:` or a host name with a dot before the first slash.
    package static func looksLikeURL(_ bytes: [UInt8], _ at: Int, _ limit: Int) -> Bool {
        if matches(bytes, at, Array("http".utf8), limit: limit) { return true }
        var j = at
        var dot = false
        while j < limit, j - at < 256 {
            let b = bytes[j]
            if b == 0x2E { dot = true } else if b == 0x2F || b == 0x3A { break } else if !(CJK.isASCIILetter(UInt32(b)) || (0x30...0x39).contains(b) || b == 0x2D) { return false }
            j += 1
        }
        return dot && j > at + 3
    }

    /// End of the wrapped URL: the closing quote of an attribute, the `)` of a Markdown destination
    /// (parentheses inside are balanced), or whitespace; bare URLs also stop at non-ASCII text and
    /// lose trailing sentence punctuation.
    package static func urlEnd(_ bytes: [UInt8], _ from: Int, _ line: Range<Int>, opener: UInt8) -> Int {
        var j = from
        var depth = 0
        let inDestination = opener == 0x28 || opener == 0x22 || opener == 0x27 || opener == 0x3C
        while j < line.upperBound {
            let b = bytes[j]
            if b == 0x20 || b == 0x09 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 { break }
            if b == 0x28 { depth += 1 }
            if b == 0x29 {
                if depth == 0 { break }
                depth -= 1
            }
            if b == 0x5D && !inDestination { break }
            if b >= 0x80 && !inDestination { break }
            j += 1
        }
        if !inDestination {
            while j > from, [0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F].contains(bytes[j - 1]) { j -= 1 }
        }
        return j
    }

    /// The original URL when the link spells it with its scheme (`http:/x` from collapsed slashes
    /// becomes `http://x`); nil when the scheme would have to be guessed.
    package static func recovered(_ original: [UInt8]) -> String? {
        let text = String(decoding: original, as: UTF8.self)
        for scheme in ["https:", "http:"] where text.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            if rest.hasPrefix("//") { return rest.count > 2 ? text : nil }
            if rest.hasPrefix("/"), rest.count > 1 { return scheme + "/" + rest }
            return nil
        }
        return nil
    }

    /// Lower-cased host of a URL (with or without scheme), without `www.`.
    package static func host(_ url: [UInt8]) -> String? {
        var text = Substring(String(decoding: url, as: UTF8.self))
        if let r = text.range(of: "://") { text = text[r.upperBound...] } else if let r = text.range(of: ":/"), text.hasPrefix("http") { text = text[r.upperBound...] }
        let host = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }.lowercased()
        guard host.contains(".") else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// The article's own site, from its front-matter URL (unwrapped when it is archived).
    package static func ownHost(_ document: Document) -> String? {
        guard let fm = document.frontMatter else { return nil }
        for entry in fm.entries where frontMatterURLKeys.contains(entry.key) {
            guard let value = entry.value.scalarText, value.hasPrefix("http") else { continue }
            let bytes = Array(value.utf8)
            // Unwrap `…/web/<ts>/<original>` by its last `/http`.
            if let r = value.range(of: "/http", options: .backwards), value.contains("/web/") || value.contains("archive.") {
                return host(Array(value[value.index(after: r.lowerBound)...].utf8))
            }
            return host(bytes)
        }
        return nil
    }
}
