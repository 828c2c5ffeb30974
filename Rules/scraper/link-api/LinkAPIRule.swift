import NewsLintCore

/// `link-api`: a link that points at a site's JSON API instead of the article page — a scraper
/// that read the site through its API kept the API's URLs: NHK posts whose front-matter `link:` is
/// `https://nwapi.nhk.jp/…/detail/20241105_B05.json`, DW bodies whose related-article links are
/// `<a href="https://api.dw.com/api/detail/article/70743780" rel="ArticleRef">`.
///
/// An API URL is one whose host has a label `api` (`api.dw.com`), or a first label ending in `api`
/// (`nwapi.nhk.jp`, three labels at least: `rapi.com` is a site), and whose path has an `/api/`
/// segment or ends in `.json`. A front-matter source field (`link`, `url`, `source`, `canonical`…)
/// is the article's link on the site: any `.json` path there is reported, whatever the host. In the
/// body only link destinations are read (`<a href>`, Markdown `[text](url)` and `<url>`, outside
/// code), never image sources, and only on an API host: an article about data may link a `.json`
/// data set, and API documentation lives on ordinary hosts (`developer.x.com/docs/api`).
///
/// No fix: the article's public URL cannot be derived from the API's with certainty (NHK's JSON
/// names a story id, not the page's path).
///
/// Cost: the document's byte-pair census rules out every file without the trigram `api` (6,598 of
/// agora's 7,188); the front matter is read through its few keys; an HTML body is read through its
/// start tags `a` only, a Markdown body at each `api` of a line outside code.
public struct LinkAPIRule: Rule {
    public static let id = "link-api"

    public init(options: RuleOptions) {}

    /// Front-matter fields that hold the article's source link (Jekyll/Hugo importers and this
    /// corpus: `link`). Not `permalink`, the page's own output path.
    package static let sourceKeys: [FrontMatterKey] = ["link", "url", "source", "canonical", "canonical_url", "canonicalURL", "source_url", "original_url", "original_link", "source_link"].map { FrontMatterKey($0) }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        let mayHoldAPIHost = document.bytePairs.contains(trigram: 0x61, 0x70, 0x69)
        if let fm = document.frontMatter {
            checkFrontMatter(fm, document, mayHoldAPI: mayHoldAPIHost, into: &sink)
        }
        guard mayHoldAPIHost, document.bodyStart < bytes.count else { return }
        if document.isHTMLFile {
            checkHTML(document, into: &sink)
        } else {
            checkMarkdown(document, into: &sink)
        }
    }

    // MARK: Front matter

    private func checkFrontMatter(_ fm: FrontMatter, _ document: Document, mayHoldAPI: Bool, into sink: inout DiagnosticSink) {
        for key in Self.sourceKeys {
            guard let i = fm.index(of: key) else { continue }
            let kind: APIKind? = fm.withScalarUTF8(ofEntry: i) { value in
                var start = 0, end = value.count
                while start < end, value[start] == 0x20 || value[start] == 0x09 { start += 1 }
                while end > start, value[end - 1] == 0x20 || value[end - 1] == 0x09 { end -= 1 }
                // Every file has a source link: only one ending in `.json` or holding `api` is read
                // further. Classifying every link of a file holding `api` somewhere (590 at agora
                // ×1) cost ~5 M instructions, and reading every link for `api` ~4 M: the file's
                // census (lower-case `api` anywhere) rules out most links first, so a host written
                // in capitals in a file without a lower-case `api` is not read (a miss).
                let endsInJSON = ASCIICase.hasPrefix(value, at: end - Self.jsonSuffix.count, Self.jsonSuffix, end: end)
                let holdsAPI = mayHoldAPI && ASCIICase.firstIndex(of: Self.apiWord, in: value, from: start, to: end) != nil
                guard endsInJSON || holdsAPI else { return nil }
                return Self.classify(Array(value[start..<end]), frontMatter: true)
            } ?? nil
            guard let kind else { continue }
            let entry = fm.entries[i]
            let shown = fm.scalarText(ofEntry: i)?.trimmingSpaces ?? ""
            let what = kind == .json ? "a JSON file" : "the site's API"
            sink.report(entry.valueRange ?? entry.entryRange,
                        "front-matter '\(key.name)' points at \(what) ('\(shown)'), not at the article page: readers following the source link get JSON")
        }
    }

    private static let apiWord = Array("api".utf8), jsonSuffix = Array(".json".utf8)

    // MARK: Body

    /// `href` of the start tags `a` outside code.
    private func checkHTML(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        let html = document.html
        let tokens = html.tokens
        for t in tokens.indices {
            let token = tokens[t]
            guard token.kind == .startTag, token.name.count == 1, bytes[token.name.lowerBound] | 0x20 == 0x61,
                  !html.isInCode(token: t), let href = html.attributeValue(token, named: "href", in: bytes) else { continue }
            let url = HTMLView.trimmedSpaces(href, bytes)
            guard url.count >= 8, ASCIICase.firstIndex(of: Self.apiWord, in: bytes, from: url.lowerBound, to: url.upperBound) != nil,
                  Self.classify(Array(bytes[url]), frontMatter: false) != nil else { continue }
            Self.reportBody(bytes, url, into: &sink)
        }
    }

    /// Each `api` of a body line outside code, read as part of the link destination around it.
    private func checkMarkdown(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        guard let body = document.bodyLines else { return }
        for n in body where !document.isCode(line: n) {
            let line = document.contentRange(ofLine: n)
            var i = line.lowerBound
            while i + 3 <= line.upperBound {
                defer { i += 1 }
                guard bytes[i] == 0x61, bytes[i + 1] == 0x70, bytes[i + 2] == 0x69 else { continue }
                guard let link = Self.markdownDestination(bytes, around: i, line) else { continue }
                if Self.classify(Array(bytes[link]), frontMatter: false) != nil {
                    Self.reportBody(bytes, link, into: &sink)
                }
                i = link.upperBound - 1
            }
        }
    }

    private static func reportBody(_ bytes: [UInt8], _ link: Range<Int>, into sink: inout DiagnosticSink) {
        let shown = String(decoding: bytes[link], as: UTF8.self)
        sink.report(link, "link to the site's API ('\(shown)'), not to an article page: readers following it get JSON")
    }

    /// Bytes a URL of a link destination may hold (not spaces, quotes, brackets or `<>`).
    @inline(__always)
    private static func isURLByte(_ b: UInt8) -> Bool {
        b > 0x20 && b != 0x22 && b != 0x27 && b != 0x3C && b != 0x3E && b != 0x28 && b != 0x29 && b != 0x5B && b != 0x5D && b != 0x60
    }

    /// The link destination holding byte `at` of `line`: a URL (`http://`, `https://` or `//`) right
    /// after `](` of a link (not of an image `![…](`), after `<` (an autolink), or in an `href`
    /// attribute of inline HTML. Nil for a bare URL in text, which is the article's own words.
    package static func markdownDestination(_ bytes: [UInt8], around at: Int, _ line: Range<Int>) -> Range<Int>? {
        var start = at
        while start > line.lowerBound, isURLByte(bytes[start - 1]) { start -= 1 }
        var end = at
        while end < line.upperBound, isURLByte(bytes[end]) { end += 1 }
        // The URL begins at its scheme (a destination is nothing but the URL).
        let lower = { (k: Int) in bytes[k] | 0x20 }
        let hasScheme = (end - start > 8 && lower(start) == 0x68 && lower(start + 1) == 0x74 && lower(start + 2) == 0x74 && lower(start + 3) == 0x70)
            || (end - start > 2 && bytes[start] == 0x2F && bytes[start + 1] == 0x2F)
        guard hasScheme, start > line.lowerBound else { return nil }
        let before = bytes[start - 1]
        switch before {
        case 0x28:  // `](url`
            guard start - 2 >= line.lowerBound, bytes[start - 2] == 0x5D, !isImage(bytes, closingBracket: start - 2, line) else { return nil }
            // A destination may hold balanced parentheses; the URL ends at the `)` closing it.
            return start..<ArchiveResidueRule.urlEnd(bytes, start, start..<line.upperBound, opener: 0x28)
        case 0x3C:  // `<url>`
            guard end < line.upperBound, bytes[end] == 0x3E else { return nil }
            return start..<end
        case 0x22, 0x27:  // `href="url"` of inline HTML
            var k = start - 2
            while k >= line.lowerBound, bytes[k] == 0x20 { k -= 1 }
            guard k >= line.lowerBound, bytes[k] == 0x3D else { return nil }
            k -= 1
            while k >= line.lowerBound, bytes[k] == 0x20 { k -= 1 }
            guard k - 3 >= line.lowerBound, ASCIICase.hasPrefix(bytes, at: k - 3, Array("href".utf8), end: k + 1) else { return nil }
            guard end < line.upperBound, bytes[end] == before else { return nil }
            return start..<end
        default:
            return nil
        }
    }

    /// Whether the `]` at `closingBracket` closes an image's text (`![alt]`): its `[` (brackets
    /// balanced, on the same line) follows a `!`.
    private static func isImage(_ bytes: [UInt8], closingBracket: Int, _ line: Range<Int>) -> Bool {
        var depth = 0
        var k = closingBracket
        while k >= line.lowerBound {
            if bytes[k] == 0x5D { depth += 1 } else if bytes[k] == 0x5B {
                depth -= 1
                if depth == 0 { return k > line.lowerBound && bytes[k - 1] == 0x21 }
            }
            k -= 1
        }
        return false
    }

    package enum APIKind: Equatable {
        /// An API host with an `/api/` path or a `.json` file.
        case api
        /// A `.json` path on another host (front matter only).
        case json
    }

    /// What an absolute URL (`http://`, `https://`, `//`) points at: an API (its host has a label
    /// `api`, or a first label ending in `api` of three labels or more, and its path an `/api/`
    /// segment or a `.json` end), a `.json` file elsewhere (`frontMatter` only), or nil.
    package static func classify(_ url: [UInt8], frontMatter: Bool) -> APIKind? {
        let lowered = url.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var i = 0
        for scheme in ["https://", "http://", "//"] where lowered.starts(with: scheme.utf8) {
            i = scheme.utf8.count
            break
        }
        guard i > 0 else { return nil }
        // Host: to the first `/`, `?` or `#`; without user info and port.
        var hostEnd = i
        while hostEnd < lowered.count, lowered[hostEnd] != 0x2F, lowered[hostEnd] != 0x3F, lowered[hostEnd] != 0x23 { hostEnd += 1 }
        var host = lowered[i..<hostEnd]
        if let at = host.lastIndex(of: 0x40) { host = host[(at + 1)...] }
        if let colon = host.firstIndex(of: 0x3A) { host = host[..<colon] }
        guard !host.isEmpty else { return nil }
        var pathEnd = hostEnd
        while pathEnd < lowered.count, lowered[pathEnd] != 0x3F, lowered[pathEnd] != 0x23 { pathEnd += 1 }
        let path = lowered[hostEnd..<pathEnd]
        let json = path.count > 5 && path.suffix(5).elementsEqual(".json".utf8)
        let labels = host.split(separator: 0x2E, omittingEmptySubsequences: false)
        let apiLabel = Array("api".utf8)
        let apiHost = labels.dropLast().contains { $0.elementsEqual(apiLabel) }
            || (labels.count >= 3 && labels[0].count > 3 && labels[0].suffix(3).elementsEqual(apiLabel))
        if apiHost {
            if json || holdsAPISegment(path) { return .api }
        }
        return frontMatter && json ? .json : nil
    }

    /// Whether the path has a segment `api` with more after it (`/api/…`; not a path ending `/api`).
    private static func holdsAPISegment(_ path: ArraySlice<UInt8>) -> Bool {
        let needle = Array("/api/".utf8)
        guard path.count >= needle.count else { return false }
        let base = path.startIndex
        for k in 0...(path.count - needle.count) where path[(base + k)..<(base + k + needle.count)].elementsEqual(needle) { return true }
        return false
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
