import NewsLintCore

/// The Wayback Machine's own chrome in a page saved from it: markup the archive adds around every
/// capture it plays back, none of it the page's.
///
/// - The head injection: the archive's scripts (`//archive.org/includes/analytics.js` or
///   `athena.js`, `web-static.archive.org/_static/` or relative `/_static/` bundles, older
///   `/static/js/analytics.js`, `ait-client-rewrite.js`, `wbhack.js`), their inline set-up
///   (`archive_analytics`, `__wm.init`, `WB_wombat_Init`, `__wbhack`, `_wmVideos_`, Ruffle) and
///   the banner stylesheets, through `<!-- End Wayback Rewrite JS Include -->`; captures played
///   back before that marker existed (about 2010–2013) end at the `banner-styles.css` link.
/// - The toolbar, `<!-- BEGIN WAYBACK TOOLBAR INSERT -->` … `<!-- END WAYBACK TOOLBAR INSERT -->`.
/// - The trailer comments `<!-- FILE ARCHIVED ON … INTERNET ARCHIVE ON … -->` and
///   `<!-- playback timings (ms): … -->`.
///
/// Read from the HTML tokens in one forward walk: comments and tags are looked at once each,
/// an inline script's text only while a head injection is open (a few per capture).
package struct WaybackChrome {
    package enum Kind: Equatable, Sendable {
        case headInjection
        /// A lone `<!-- End Wayback Rewrite JS Include -->` (the injection before it removed).
        case endMarker
        case toolbar
        case trailer
    }

    package struct Block: Equatable, Sendable {
        package var kind: Kind
        /// From the block's first `<` through its last `>`.
        package var range: Range<Int>
        /// Whether every element of `range` is one the archive makes: false when a head injection
        /// holds something between its start and its End marker not known as the archive's.
        package var allKnown: Bool
    }

    /// A head injection being read: from its first archive element on.
    private struct HeadRun {
        var start: Int
        /// Opened by an archive script with `src` (analytics, athena, a `_static` bundle): only
        /// such a run may reach its End marker past unknown elements, or end without a marker.
        var strong: Bool
        /// End of the last archive element before the first unknown one; the flags below count
        /// only those elements.
        var knownEnd: Int
        var unknownCount = 0
        var sawInlineArchiveScript = false
        var sawBannerStyles = false

        /// A run without End marker is the pre-2013 injection only when it holds its three parts.
        var completeWithoutMarker: Bool { strong && sawInlineArchiveScript && sawBannerStyles }
    }

    /// More unknown elements than this after a head injection's start: it has no End marker.
    private static let unknownElementsBound = 16

    package static func blocks(_ bytes: [UInt8], _ html: HTMLView) -> [Block] {
        let tokens = html.tokens
        // Every capture the archive plays back carries a marker comment (toolbar, trailer, End of
        // its head injection): a page without one is not read further (a comparison per token).
        guard tokens.contains(where: { $0.kind == .comment && marker(bytes, $0.range) != nil }) else { return [] }
        var blocks: [Block] = []
        var head: HeadRun?
        var toolbarStart: Int?
        var toolbarHoldsPageText = false
        var trailer: Range<Int>?

        func closeHead() {
            if let run = head, run.completeWithoutMarker {
                blocks.append(Block(kind: .headInjection, range: run.start..<run.knownEnd, allKnown: true))
            }
            head = nil
        }
        func flushTrailer() {
            if let range = trailer { blocks.append(Block(kind: .trailer, range: range, allKnown: true)) }
            trailer = nil
        }
        func known(_ range: Range<Int>, strong: Bool = false, inlineArchive: Bool = false, bannerStyles: Bool = false) {
            if head == nil { head = HeadRun(start: range.lowerBound, strong: strong, knownEnd: range.upperBound) }
            guard var run = head else { return }
            // Past an unknown element only an End marker ends the injection: the parts of one
            // without marker count before it.
            guard run.unknownCount == 0 else { return }
            run.knownEnd = range.upperBound
            run.sawInlineArchiveScript = run.sawInlineArchiveScript || inlineArchive
            run.sawBannerStyles = run.sawBannerStyles || bannerStyles
            head = run
        }
        func unknown() {
            guard var run = head else { return }
            guard run.strong else { head = nil; return }
            run.unknownCount += 1
            if run.unknownCount > unknownElementsBound { closeHead() } else { head = run }
        }

        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            i += 1
            if html.isInCode(token: i - 1) { continue }
            if let start = toolbarStart {
                if token.kind == .comment, let mark = marker(bytes, token.range) {
                    if mark == .toolbarEnd {
                        blocks.append(Block(kind: .toolbar, range: start..<token.range.upperBound, allKnown: !toolbarHoldsPageText))
                        toolbarStart = nil
                    } else if mark == .toolbarBegin {
                        // A BEGIN before the open one's END: the open one lost its END (a truncated
                        // save), and what follows it may be the page. Only the later one is a block.
                        toolbarStart = token.range.lowerBound
                        toolbarHoldsPageText = false
                    }
                } else if token.kind == .text, bytes[token.range].contains(where: { $0 >= 0x80 }) {
                    // The toolbar's own text is English: non-ASCII text between the markers is
                    // the page's, so deleting the block is for an editor to decide.
                    toolbarHoldsPageText = true
                }
                continue
            }
            switch token.kind {
            case .text, .characterReference:
                if token.kind == .text, bytes[token.range].allSatisfy(HTMLView.isSpace) { continue }
                flushTrailer()
                unknown()
            case .comment:
                switch marker(bytes, token.range) {
                case .toolbarBegin:
                    closeHead()
                    flushTrailer()
                    toolbarStart = token.range.lowerBound
                    toolbarHoldsPageText = false
                case .toolbarEnd:
                    flushTrailer()  // an END without BEGIN: left alone
                case .headEnd:
                    flushTrailer()
                    if let run = head {
                        blocks.append(Block(kind: .headInjection, range: run.start..<token.range.upperBound, allKnown: run.unknownCount == 0))
                        head = nil
                    } else {
                        blocks.append(Block(kind: .endMarker, range: token.range, allKnown: true))
                    }
                case .headStart:
                    flushTrailer()
                    known(token.range)
                case .trailer:
                    closeHead()
                    trailer = (trailer?.lowerBound ?? token.range.lowerBound)..<token.range.upperBound
                case nil:
                    flushTrailer()
                    unknown()
                }
            case .startTag:
                flushTrailer()
                if html.isTag(token, named: "script", in: bytes) {
                    // The element: start tag, its text (when any), end tag.
                    var end = token.range.upperBound
                    var content: Range<Int>?
                    var j = i
                    if !token.selfClosing {
                        if j < tokens.count, tokens[j].kind == .rawText { content = tokens[j].range; j += 1 }
                        guard j < tokens.count, html.isTag(tokens[j], named: "script", in: bytes), tokens[j].kind == .endTag else { unknown(); continue }
                        end = tokens[j].range.upperBound
                        j += 1
                    }
                    i = j
                    if let src = html.attributeValue(token, named: "src", in: bytes) {
                        if isArchiveAsset(bytes, src) { known(token.range.lowerBound..<end, strong: true) } else { unknown() }
                    } else if head != nil, let content, let archive = inlineArchiveScript(bytes, content) {
                        known(token.range.lowerBound..<end, inlineArchive: archive)
                    } else {
                        unknown()
                    }
                } else if html.isTag(token, named: "link", in: bytes), let href = html.attributeValue(token, named: "href", in: bytes), isArchiveAsset(bytes, href) {
                    known(token.range, bannerStyles: contains(bytes, href, "banner-styles.css"))
                } else if html.isTag(token, named: "body", in: bytes) {
                    closeHead()
                } else {
                    unknown()
                }
            case .endTag:
                flushTrailer()
                if html.isTag(token, named: "head", in: bytes) { closeHead() } else { unknown() }
            case .doctype, .rawText:
                flushTrailer()
                unknown()
            }
        }
        closeHead()
        flushTrailer()
        return blocks
    }

    private enum Marker { case headStart, headEnd, toolbarBegin, toolbarEnd, trailer }

    /// The archive's marker a comment is, read from its first words (O(1) a comment).
    private static func marker(_ bytes: [UInt8], _ comment: Range<Int>) -> Marker? {
        guard comment.count > 7, bytes[comment.lowerBound + 1] == 0x21, bytes[comment.lowerBound + 2] == 0x2D else { return nil }
        var k = comment.lowerBound + 4
        while k < comment.upperBound, HTMLView.isSpace(bytes[k]) { k += 1 }
        func starts(_ text: String) -> Bool { ArchiveResidueRule.matches(bytes, k, Array(text.utf8), limit: comment.upperBound) }
        if starts("End Wayback Rewrite JS Include") { return .headEnd }
        if starts("Start Wayback Rewrite JS Include") { return .headStart }
        if starts("BEGIN WAYBACK TOOLBAR INSERT") { return .toolbarBegin }
        if starts("END WAYBACK TOOLBAR INSERT") { return .toolbarEnd }
        if starts("FILE ARCHIVED ON") || starts("playback timings (ms):") { return .trailer }
        return nil
    }

    /// The file names of the archive's own scripts and styles under a relative `/static/` (before
    /// 2020 the archive served them from its own root; sites use `/static/` too, so by name only).
    private static let oldStaticNames: Set<String> = [
        "analytics.js", "ait-client-rewrite.js", "wbhack.js", "wombat.js", "disclaim-element.js", "graph-calc.js",
        "auto-complete.js", "toolbar.js", "playback.bundle.js", "bundle-playback.js", "banner-styles.css", "iconochive.css",
    ]

    /// Whether a `src`/`href` is one of the archive's own files: on `archive.org` or a subdomain
    /// but not a capture (`/web/<timestamp>…/`, the page's own rewritten assets), a relative
    /// `/_static/…`, or a known name under a relative `/static/`.
    package static func isArchiveAsset(_ bytes: [UInt8], _ value: Range<Int>) -> Bool {
        let text = String(decoding: bytes[value], as: UTF8.self).lowercased()
        var rest = Substring(text)
        if let scheme = rest.range(of: "://"), rest[..<scheme.lowerBound].allSatisfy(\.isLetter) {
            rest = rest[scheme.upperBound...]
        } else if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
        } else {
            // Relative to the archive's root, as played back.
            if rest.hasPrefix("/_static/") { return true }
            guard rest.hasPrefix("/static/") else { return false }
            let name = rest.prefix { $0 != "?" && $0 != "#" }.split(separator: "/").last.map(String.init) ?? ""
            return oldStaticNames.contains(name)
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
        guard host == "archive.org" || host.hasSuffix(".archive.org") else { return false }
        let path = rest.dropFirst(host.count).drop { $0 != "/" }
        return !path.hasPrefix("/web/")
    }

    /// The archive's inline set-up scripts by what they call; `true` for the ones that only the
    /// archive's own injection holds (analytics, `__wm`, wombat, wbhack), `false` for its helpers
    /// (video, Ruffle), nil for another script.
    private static func inlineArchiveScript(_ bytes: [UInt8], _ content: Range<Int>) -> Bool? {
        for name in ["archive_analytics", "__wm.", "WB_wombat_", "__wbhack"] where contains(bytes, content, name) { return true }
        for name in ["_wmVideos_", "RufflePlayer"] where contains(bytes, content, name) { return false }
        return nil
    }

    private static func contains(_ bytes: [UInt8], _ range: Range<Int>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first, range.count >= n.count else { return false }
        var k = range.lowerBound
        while k <= range.upperBound - n.count {
            if bytes[k] == first, ArchiveResidueRule.matches(bytes, k, n, limit: range.upperBound) { return true }
            k += 1
        }
        return false
    }
}
