import Foundation
import NewsLintCore
import NewsLintRules

/// Inline suppression comments in Markdown bodies:
///
///     <!-- newslint-disable RULE[, RULE] -->   …   <!-- newslint-enable [RULE…] -->
///     <!-- newslint-disable-next-line [RULE…] -->
///     text <!-- newslint-disable-line [RULE…] -->   (same line, like ESLint's eslint-disable-line)
///     <!-- newslint-disable-file [RULE…] -->
///
/// With no rule named a directive covers every rule. Names may be rule ids or family
/// names. The directive word is read in any case; a directive split over lines suppresses
/// nothing and is reported. Directives inside fenced code blocks and in front matter are ignored (they are
/// content there, not instructions), as is every `<!--` that opens no comment (`CommentContext`:
/// Markdown code spans and indented code, attribute values, `<script>`, `<style>`, `<textarea>`,
/// `<title>`). Suppressions that silence nothing, and names that are
/// not rules, are reported as `unused-suppression` (like Ruff's RUF100), with a safe fix
/// that removes the dead directive or the dead names.
///
/// Cross-file diagnostics (duplicate groups) are produced after the documents are gone;
/// `dropSuppressedCrossFile` applies each file's directives to them afterwards. Engine
/// diagnostics (`io-error`, `file-skipped`) cannot be suppressed inline.
public enum Suppressions {
    public static let ruleID = "unused-suppression"

    public enum Kind: String, Sendable {
        case disable = "newslint-disable"
        case enable = "newslint-enable"
        case nextLine = "newslint-disable-next-line"
        case file = "newslint-disable-file"
        case line = "newslint-disable-line"
    }

    /// One parsed directive comment.
    public struct Directive: Sendable, Equatable {
        /// nil for a `newslint-…` word that is not a directive (a typo, reported as such).
        public var kind: Kind?
        /// The directive word as written.
        public var word: String
        /// Rule ids or family names; empty means every rule.
        public var names: [String]
        public var line: Int
        /// Byte range of `<!-- … -->`.
        public var range: Range<Int>
        /// Byte range of the names list inside the comment (for rewriting fixes).
        public var namesRange: Range<Int>
        /// A directive written over several lines: it suppresses nothing and is reported (`kind` nil).
        public var spansLines = false
    }

    /// A stretch of lines in which `names` (nil: all rules, minus `except`) are silenced.
    package struct Region {
        package var directive: Int
        package var names: Set<String>?
        package var except: Set<String>
        package var lines: ClosedRange<Int>
    }

    package static let allKinds = [Kind.disable, .enable, .nextLine, .file, .line].map(\.rawValue)
    private static let open = Array("<!--".utf8)
    private static let close = Array("-->".utf8)
    private static let prefix = Array("newslint-".utf8)

    /// Directives in the document body, in order. Cheap when the file has no `<!--`.
    public static func directives(in document: Document) -> [Directive] {
        let bytes = document.bytes
        var out: [Directive] = []
        guard let body = document.bodyLines else { return out }
        var i = document.bodyStart
        let n = bytes.count
        var context: CommentContext?
        var laterClose = LaterClose()
        while i + 4 <= n {
            // Find "<!--" by its '!' (memchr): an HTML body has a '<' per tag, and stopping at each
            // was most of this scan, run twice per file; an ASCII '!' is rare outside comments.
            guard let bang = ByteSearch.first(0x21, in: bytes, from: i + 1), bang + 3 <= n else { break }
            guard bytes[bang - 1] == 0x3C, bytes[bang + 1] == 0x2D, bytes[bang + 2] == 0x2D else { i = bang; continue }
            i = bang - 1
            let start = i
            let line = document.line(ofByte: start)
            guard body.contains(line), !document.isCode(line: line) else { i += 4; continue }
            // The comment must close on the same line.
            let lineEnd = document.contentRange(ofLine: line).upperBound
            var j = start + 4
            var end: Int?
            while j + 3 <= lineEnd {
                if bytes[j] == 0x2D, bytes[j + 1] == 0x2D, bytes[j + 2] == 0x3E { end = j; break }
                j += 1
            }
            guard let closeAt = end else {
                i = lineEnd
                // A directive split over lines (`<!--` and `newslint-disable-file` and `-->` on three,
                // or its names wrapped) was ignored without a word: it is kept as a directive that
                // silences nothing and is reported (ESLint reports a split `eslint-disable-line`).
                var k = start + 4
                while k < n, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A || bytes[k] == 0x0D { k += 1 }
                guard hasPrefix(bytes, at: k, before: n), let closeAt = laterClose.first(in: bytes, from: lineEnd) else { continue }
                if context == nil { context = CommentContext(document) }
                guard context?.isComment(at: start, line: line) ?? false else { continue }
                var w = k
                while w < closeAt, bytes[w] > 0x20 { w += 1 }
                out.append(Directive(kind: nil, word: String(decoding: bytes[k..<w], as: UTF8.self), names: [], line: line,
                                     range: start..<(closeAt + 3), namesRange: closeAt..<closeAt, spansLines: true))
                i = closeAt + 3
                continue
            }
            i = closeAt + 3
            var k = start + 4
            while k < closeAt, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
            guard hasPrefix(bytes, at: k, before: closeAt) else { continue }
            // Only a comment the reader's software would see as one is an instruction: asked here,
            // past the prefix, so only the rare `<!-- newslint` pays for it.
            if context == nil { context = CommentContext(document) }
            guard context?.isComment(at: start, line: line) ?? false else { continue }
            var w = k
            while w < closeAt, bytes[w] != 0x20, bytes[w] != 0x09 { w += 1 }
            let word = String(decoding: bytes[k..<w], as: UTF8.self)
            // In any case, as Ruff reads `# NOQA`: an upper-case directive was silently no directive.
            let kind = Kind(rawValue: word.lowercased())
            var namesEnd = closeAt
            // `-- reason` ends the list (ESLint style): `<!-- newslint-disable x -- scraped ads -->`.
            var p = w
            while p + 1 < namesEnd {
                if bytes[p] == 0x2D, bytes[p + 1] == 0x2D, p == w || bytes[p - 1] == 0x20 || bytes[p - 1] == 0x09 { namesEnd = p; break }
                p += 1
            }
            while namesEnd > w, bytes[namesEnd - 1] == 0x20 || bytes[namesEnd - 1] == 0x09 { namesEnd -= 1 }
            var namesStart = w
            while namesStart < namesEnd, bytes[namesStart] == 0x20 || bytes[namesStart] == 0x09 { namesStart += 1 }
            let list = String(decoding: bytes[namesStart..<namesEnd], as: UTF8.self)
            let names = list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
            out.append(Directive(kind: kind, word: word, names: names, line: line, range: start..<(closeAt + 3), namesRange: namesStart..<namesEnd))
        }
        return out
    }

    /// Whether `bytes` at `k` (before `end`) start with `newslint-`, letters in either case.
    private static func hasPrefix(_ bytes: [UInt8], at k: Int, before end: Int) -> Bool {
        guard end - k >= prefix.count else { return false }
        for (offset, p) in prefix.enumerated() {
            let b = bytes[k + offset]
            guard (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) == p else { return false }
        }
        return true
    }

    /// The first `-->` at or after a position, for comments that do not close on their line. The
    /// last answer is kept: positions come in order, so a line of unclosed `<!-- newslint` after
    /// another is answered without a new search (each searched to the end of the file before).
    private struct LaterClose {
        private var searchedFrom = Int.max
        private var found: Int?

        mutating func first(in bytes: [UInt8], from start: Int) -> Int? {
            if start >= searchedFrom, found.map({ start <= $0 }) ?? true { return found }
            searchedFrom = start
            found = nil
            var p = start
            while let gt = ByteSearch.first(0x3E, in: bytes, from: p) {
                if gt >= start + 2, bytes[gt - 1] == 0x2D, bytes[gt - 2] == 0x2D { found = gt - 2; break }
                p = gt + 1
            }
            return found
        }
    }

    /// Regions built from directives; `unmatchedEnables` are enables that closed nothing.
    package static func regions(_ directives: [Directive], lastLine: Int) -> (regions: [Region], unmatchedEnables: [(directive: Int, names: [String])]) {
        var regions: [Region] = []
        var openRegions: [Region] = []
        var unmatched: [(Int, [String])] = []
        let last = max(1, lastLine)
        for (index, d) in directives.enumerated() {
            guard let kind = d.kind else { continue }
            switch kind {
            case .file:
                regions.append(Region(directive: index, names: d.names.isEmpty ? nil : Set(d.names), except: [], lines: 1...last))
            case .nextLine:
                let target = min(d.line + 1, last)
                regions.append(Region(directive: index, names: d.names.isEmpty ? nil : Set(d.names), except: [], lines: target...target))
            case .line:
                regions.append(Region(directive: index, names: d.names.isEmpty ? nil : Set(d.names), except: [], lines: d.line...d.line))
            case .disable:
                openRegions.append(Region(directive: index, names: d.names.isEmpty ? nil : Set(d.names), except: [], lines: d.line...last))
            case .enable:
                var closedSomething = false
                var stillOpen: [Region] = []
                var matchedNames = Set<String>()
                for var r in openRegions {
                    let ended = max(r.lines.lowerBound, d.line - 1)...max(r.lines.lowerBound, d.line - 1)
                    if d.names.isEmpty {
                        closedSomething = true
                        r.lines = r.lines.lowerBound...ended.upperBound
                        regions.append(r)
                        continue
                    }
                    let enabled = Set(d.names)
                    if let names = r.names {
                        let hit = names.intersection(enabled)
                        if hit.isEmpty { stillOpen.append(r); continue }
                        matchedNames.formUnion(hit)
                        closedSomething = true
                        var closed = r
                        closed.lines = r.lines.lowerBound...ended.upperBound
                        regions.append(closed)
                        let remaining = names.subtracting(enabled)
                        if !remaining.isEmpty {
                            stillOpen.append(Region(directive: r.directive, names: remaining, except: [], lines: d.line...last))
                        }
                    } else {
                        // Re-enable some rules inside a blanket disable.
                        matchedNames.formUnion(enabled)
                        closedSomething = true
                        var closed = r
                        closed.lines = r.lines.lowerBound...ended.upperBound
                        regions.append(closed)
                        stillOpen.append(Region(directive: r.directive, names: nil, except: r.except.union(enabled), lines: d.line...last))
                    }
                }
                openRegions = d.names.isEmpty ? [] : stillOpen
                if !closedSomething {
                    unmatched.append((index, d.names))
                } else if !d.names.isEmpty {
                    let extra = d.names.filter { !matchedNames.contains($0) }
                    if !extra.isEmpty { unmatched.append((index, extra)) }
                }
            }
        }
        regions.append(contentsOf: openRegions)
        return (regions, unmatched)
    }

    /// Family of a rule id: the built-in catalog's, and `pack` for rules from user packs
    /// (the only rules not in the built-in catalog).
    package static func family(of rule: String) -> String { familyOf[rule] ?? "pack" }

    package static let familyOf: [String: String] = {
        var m: [String: String] = [:]
        for r in Catalog.builtin.rules { m[r.id] = r.family }
        return m
    }()
    package static let knownNames: Set<String> = Set(Catalog.builtin.ids + Catalog.builtin.families + ["all", "pack"])

    package static func covers(_ r: Region, rule: String, blanketApplies: Bool) -> Bool {
        let family: String? = family(of: rule)
        if let names = r.names {
            return names.contains(rule) || (family.map { names.contains($0) } ?? false) || names.contains("all")
        }
        guard blanketApplies else { return false }
        return !(r.except.contains(rule) || (family.map { r.except.contains($0) } ?? false))
    }

    /// Drops suppressed diagnostics and reports unused directives. `directives` are `document`'s
    /// (`directives(in:)`), found by the caller: the engine finds them once a file for this filter
    /// and the file's cross-file regions (`crossFileRegions`), where each scanned the body for them.
    package static func apply(_ diagnostics: [Diagnostic], directives: [Directive], document: Document, rules: RuleSet) -> [Diagnostic] {
        if directives.isEmpty { return diagnostics }
        let (regions, unmatched) = regions(directives, lastLine: document.lineCount)
        // used[directive] = names that silenced something ("*" for a blanket directive).
        var used = [Set<String>](repeating: [], count: directives.count)
        // Per rule, its diagnostics' lines in order; each region then finds the ones it covers by
        // bisection and marks them with a difference array: O((regions × rules) log n + n), not
        // regions × diagnostics (100k suppression comments over 100k findings took minutes).
        var byRule: [String: [(line: Int, index: Int)]] = [:]
        for (i, d) in diagnostics.enumerated() { byRule[d.rule, default: []].append((d.line, i)) }
        var suppressed = [Bool](repeating: false, count: diagnostics.count)
        for (rule, unsorted) in byRule {
            let entries = unsorted.sorted { $0.line < $1.line }
            let family: String? = family(of: rule)
            var delta = [Int](repeating: 0, count: entries.count + 1)
            func firstIndex(atLeast line: Int) -> Int {
                var lo = 0, hi = entries.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if entries[mid].line < line { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
            for r in regions where covers(r, rule: rule, blanketApplies: true) {
                let lo = firstIndex(atLeast: r.lines.lowerBound)
                let hi = firstIndex(atLeast: r.lines.upperBound + 1)
                guard lo < hi else { continue }
                delta[lo] += 1
                delta[hi] -= 1
                if let names = r.names {
                    for name in names where name == rule || name == family || name == "all" { used[r.directive].insert(name) }
                } else {
                    used[r.directive].insert("*")
                }
            }
            var depth = 0
            for (k, e) in entries.enumerated() {
                depth += delta[k]
                if depth > 0 { suppressed[e.index] = true }
            }
        }
        var kept: [Diagnostic] = []
        for (i, d) in diagnostics.enumerated() where !suppressed[i] { kept.append(d) }
        guard let severity = rules.engineSeverity[ruleID] else { return kept }

        // Which names could have fired here: active per-file rules and their families.
        let activeIDs = Set(rules.perFile.map(\.id))
        let activeFamilies = Set(activeIDs.map { family(of: $0) })
        let dynamicIDs = activeIDs.subtracting(familyOf.keys)
        let crossFileIDs = Set(rules.crossFile.map(\.id))

        var sink = DiagnosticSink(document: document, rule: ruleID, severity: severity)
        var unmatchedByDirective: [Int: [String]] = [:]
        for (i, names) in unmatched { unmatchedByDirective[i, default: []] += names }
        for (index, d) in directives.enumerated() {
            guard let kind = d.kind else {
                if d.spansLines {
                    sink.report(d.range, "directive '\(d.word)' is split over lines and suppresses nothing: write it on one line")
                    continue
                }
                let hint = Suggest.hint(for: d.word.lowercased(), in: allKinds)
                sink.report(d.range, "unknown directive '\(d.word)' suppresses nothing\(hint)")
                continue
            }
            var dead: [String] = []
            var notes: [String] = []
            for name in d.names where !knownNames.contains(name) && !dynamicIDs.contains(name) {
                dead.append(name)
                let hint = Suggest.hint(for: name, in: Array(knownNames))
                notes.append("unknown rule '\(name)'\(hint)")
            }
            if kind == .enable {
                if let names = unmatchedByDirective[index] {
                    let shown = names.isEmpty ? "" : " for " + names.map { "'\($0)'" }.joined(separator: ", ")
                    if names.isEmpty {
                        sink.report(d.range, "'\(kind.rawValue)' has no matching newslint-disable above it", fix: removal(of: d, document: document))
                        continue
                    }
                    for name in names where !dead.contains(name) {
                        dead.append(name)
                    }
                    notes.append("nothing to re-enable\(shown)")
                }
            } else if d.names.isEmpty {
                if !used[index].contains("*") {
                    sink.report(d.range, "unused suppression: '\(kind.rawValue)' silences no diagnostic", fix: removal(of: d, document: document))
                    continue
                }
            } else {
                for name in d.names where knownNames.contains(name) || dynamicIDs.contains(name) {
                    let couldFire = activeIDs.contains(name) || activeFamilies.contains(name) || name == "all"
                    // Cross-file rules and inactive rules: no opinion (their diagnostics never pass here).
                    if couldFire && !crossFileIDs.contains(name) && !used[index].contains(name) {
                        dead.append(name)
                        notes.append("'\(name)' is not reported here")
                    }
                }
            }
            guard !dead.isEmpty else { continue }
            let live = d.names.filter { !dead.contains($0) }
            let fix: Fix
            if live.isEmpty {
                fix = removal(of: d, document: document)
            } else {
                fix = Fix(.safe, "Remove \(dead.map { "'\($0)'" }.joined(separator: ", ")) from the directive",
                          edits: [Edit(range: d.namesRange, replacement: live.joined(separator: ", "))])
            }
            sink.report(d.range, "unused suppression in '\(kind.rawValue)': \(notes.joined(separator: "; "))", fix: fix)
        }
        // `unused-suppression` itself is silenced only when named explicitly.
        let silencing = LineCoverage(regions.filter { $0.names != nil && covers($0, rule: ruleID, blanketApplies: false) }.map(\.lines))
        let reports = sink.diagnostics.filter { !silencing.contains($0.line) }
        return kept + reports
    }

    /// A union of line ranges, merged and sorted once, answering "is this line covered?" by bisection.
    package struct LineCoverage {
        private var ranges: [ClosedRange<Int>] = []

        package init(_ input: [ClosedRange<Int>]) {
            for r in input.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let last = ranges.last, r.lowerBound <= last.upperBound + 1 {
                    ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
                } else {
                    ranges.append(r)
                }
            }
        }

        package func contains(_ line: Int) -> Bool {
            var lo = 0, hi = ranges.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if ranges[mid].upperBound < line { lo = mid + 1 } else { hi = mid }
            }
            return lo < ranges.count && ranges[lo].contains(line)
        }
    }

    /// Drops diagnostics of `crossFileRules` that their file's directives silence. Reads
    /// only the files that have such findings (few), from `inMemory` or disk.
    public static func dropSuppressedCrossFile(_ diagnostics: [Diagnostic], crossFileRules: Set<String>,
                                               inMemory: [String: [UInt8]], base: String,
                                               known: CrossFileSuppressions = CrossFileSuppressions()) -> [Diagnostic] {
        guard !crossFileRules.isEmpty else { return diagnostics }
        var lookup = CrossFileRegionLookup(crossFileRules: crossFileRules, inMemory: inMemory, base: base, known: known)
        // Few findings are suppressed: when none of these is, the array is returned as it came.
        // Filtered into a new one, each finding was copied (a retain and a release of each of its
        // strings) on the merge's thread, for every cross-file finding of a warm run.
        let first = diagnostics.withUnsafeBufferPointer { findings in
            findings.indices.first { lookup.isSuppressed(findings[$0]) }
        }
        guard let first else { return diagnostics }
        var kept = Array(diagnostics[..<first])
        kept.reserveCapacity(diagnostics.count - 1)
        for d in diagnostics[(first + 1)...] where !lookup.isSuppressed(d) { kept.append(d) }
        return kept
    }

    /// Whether a cross-file finding falls in a suppression region of its file; the regions of
    /// each file are found once (the last file's kept at hand: findings come grouped by path).
    private struct CrossFileRegionLookup {
        let crossFileRules: Set<String>
        let inMemory: [String: [UInt8]]
        let base: String
        let known: CrossFileSuppressions
        var regionsByPath: [PathKey: [Region]] = [:]
        var lastPath: String?
        var lastRegions: [Region] = []

        mutating func isSuppressed(_ d: Diagnostic) -> Bool {
            guard crossFileRules.contains(d.rule) else { return false }
            let regions = self.regions(of: d.path)
            return regions.contains { $0.lines.contains(d.line) && covers($0, rule: d.rule, blanketApplies: true) }
        }

        private mutating func regions(of path: String) -> [Region] {
            if let lastPath, lastPath.hasSameBytes(as: path) { return lastRegions }
            let key = PathKey(path)
            let regions: [Region]
            if let found = regionsByPath[key] {
                regions = found
            } else {
                if let found = known.regions(path) {
                    regions = found
                } else {
                    // Not read by the pass (a cache hit, or a shard's facts): read it now.
                    let bytes = inMemory[exactPath: path] ?? SystemPath.contents(PathResolver.absolute(path, base: base)) ?? []
                    regions = crossFileRegions(Document(path: path, bytes: bytes)) ?? []
                }
                regionsByPath[key] = regions
            }
            lastPath = path
            lastRegions = regions
            return regions
        }
    }

    /// The regions of a document's directives (nil when it has none): what cross-file findings
    /// pointing into it are checked against after the reduce phase.
    package static func crossFileRegions(_ document: Document) -> [Region]? {
        crossFileRegions(directives(in: document), lineCount: document.lineCount)
    }

    /// `crossFileRegions` of a document whose directives (`directives(in:)`) are found already.
    package static func crossFileRegions(_ found: [Directive], lineCount: Int) -> [Region]? {
        if found.isEmpty { return nil }
        let r = regions(found, lastLine: lineCount).regions
        return r.isEmpty ? nil : r
    }

    /// Removes the directive; when it is alone on its line, removes the line.
    package static func removal(of d: Directive, document: Document) -> Fix {
        let content = document.contentRange(ofLine: d.line)
        let before = document.bytes[content.lowerBound..<d.range.lowerBound]
        let after = document.bytes[d.range.upperBound..<content.upperBound]
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        if before.allSatisfy(blank) && after.allSatisfy(blank) {
            return Fix(.safe, "Remove the unused directive", edit: .delete(document.fullRange(ofLine: d.line)))
        }
        // At the end of a line (a same-line directive): take the spaces before it too, or they would trail.
        if after.allSatisfy(blank) {
            var start = d.range.lowerBound
            while start > content.lowerBound, blank(document.bytes[start - 1]) { start -= 1 }
            return Fix(.safe, "Remove the unused directive", edit: .delete(start..<content.upperBound))
        }
        return Fix(.safe, "Remove the unused directive", edit: .delete(d.range))
    }
}

/// Suppression regions the pass found in the files it read, kept for the cross-file findings of
/// the reduce phase so no file is read again for them. Compact: only files with directives hold
/// regions; files the pass did not read (cache hits) are listed and read when a finding needs them.
public struct CrossFileSuppressions: Sendable {
    private var regionsByPath: [PathKey: [Suppressions.Region]] = [:]
    private var unread: Set<PathKey> = []
    /// Whether any outcome was added (a run without cross-file rules adds none: every file is read).
    private var tracking = false

    public init() {}

    package mutating func add(_ outcome: FileOutcome) {
        tracking = true
        if let r = outcome.suppressions { regionsByPath[PathKey(outcome.path)] = r }
        if !outcome.suppressionsKnown { unread.insert(PathKey(outcome.path)) }
    }

    /// True when every file was read (or its regions came from the cache) and none has a
    /// directive: no cross-file finding can be suppressed, so none needs looking up.
    package var suppressesNothing: Bool { tracking && unread.isEmpty && regionsByPath.isEmpty }

    /// The regions of `path` ([] when it has none); nil when the pass did not read it.
    package func regions(_ path: String) -> [Suppressions.Region]? {
        guard tracking, !unread.contains(PathKey(path)) else { return nil }
        return regionsByPath[PathKey(path)] ?? []
    }
}

extension Suppressions {
    /// Whether a `<!--` that opens a `newslint-…` directive is a real comment, one the page's reader
    /// never sees: not text shown as written (a Markdown code span or indented code block), not an
    /// attribute's value (`<p title="<!-- … -->">`), not the content of `<script>`, `<style>`
    /// (raw text) or `<textarea>`, `<title>` (text). Taken for one, such text was silenced findings and
    /// the safe `unused-suppression` fix deleted it. Made on the first directive-like comment of a
    /// file (few have one) and asked in order, so its memos keep the work linear in the body.
    struct CommentContext {
        let document: Document
        let isMarkdown: Bool
        /// The document's HTML view (for Markdown, its inline HTML and HTML blocks), fetched on first use.
        private var htmlView: HTMLView?
        /// The code spans of each line asked about.
        private var spansByLine: [Int: [Range<Int>]] = [:]
        /// Per line asked about (and the lines walked over to decide it): inside an indented code block.
        private var indentedCode: [Int: Bool] = [:]
        /// The text tokens last found to be in (or out of) a `<title>`/`<textarea>`: `rcdataFrom...rcdataTo`.
        private var rcdataFrom = -1, rcdataTo = -1, rcdataInside = false

        init(_ document: Document) {
            self.document = document
            isMarkdown = !document.isHTMLFile
        }

        /// Whether the `<!--` at byte `start` (on body line `line`) opens a comment.
        mutating func isComment(at start: Int, line: Int) -> Bool {
            if isMarkdown, isMarkdownCode(start, line: line) { return false }
            if htmlView == nil { htmlView = document.html }
            guard let html = htmlView, let index = html.tokenIndex(containing: start) else { return true }
            let token = html.tokens[index]
            let opener: Int
            switch token.kind {
            case .comment:
                if token.range.lowerBound == start { return true }
                // Markdown has no bogus comments (`<!x`, `<?`, `</ ` are text there): only a `<!--`
                // before it makes it comment text.
                if isMarkdown, !Self.opensComment(document.bytes, at: token.range.lowerBound) { return true }
                opener = token.range.lowerBound // inside a comment opened before it
            case .startTag, .endTag, .doctype:
                opener = token.range.lowerBound // an attribute's value
            case .rawText:
                opener = index > 0 ? html.tokens[index - 1].range.lowerBound : token.range.lowerBound
            case .text, .characterReference:
                guard let tag = rcdataStartTag(before: index, in: html) else { return true }
                opener = tag
            }
            // In Markdown the HTML view reads code as markup: a `<script>` or `<!--` in a code span
            // opens nothing, and a comment after it is one.
            guard isMarkdown else { return false }
            let openerLine = document.line(ofByte: opener)
            return document.isCode(line: openerLine) || isMarkdownCode(opener, line: openerLine)
        }

        /// Whether `<!--` starts at `i`.
        static func opensComment(_ bytes: [UInt8], at i: Int) -> Bool {
            i + 4 <= bytes.count && bytes[i] == 0x3C && bytes[i + 1] == 0x21 && bytes[i + 2] == 0x2D && bytes[i + 3] == 0x2D
        }

        /// The start of the `<title>` or `<textarea>` tag whose text holds token `index`, or nil when
        /// the text is not in one. The tokens of such text are text and character references only.
        private mutating func rcdataStartTag(before index: Int, in html: HTMLView) -> Int? {
            let tokens = html.tokens
            var k = index
            while k >= 0, tokens[k].isVisibleText {
                if k <= rcdataTo && k >= rcdataFrom {
                    rcdataTo = index
                    return rcdataInside ? tokens[rcdataFrom - 1].range.lowerBound : nil
                }
                k -= 1
            }
            let bytes = document.bytes
            let inside = k >= 0 && tokens[k].kind == .startTag
                && (html.isTag(tokens[k], named: "textarea", in: bytes) || html.isTag(tokens[k], named: "title", in: bytes))
            rcdataFrom = k + 1
            rcdataTo = index
            rcdataInside = inside
            return inside ? tokens[k].range.lowerBound : nil
        }

        /// Whether byte `offset` of Markdown line `line` is in a code span or an indented code block.
        private mutating func isMarkdownCode(_ offset: Int, line: Int) -> Bool {
            if isIndentedCode(line) { return true }
            let spans = spansByLine[line] ?? MarkdownCode.codeSpans(document.bytes, document.contentRange(ofLine: line))
            spansByLine[line] = spans
            return Self.contains(spans, offset)
        }

        /// Whether Markdown line `n` is in an indented code block: indented four columns or more, and
        /// not the continuation of a paragraph or of a list item's text (CommonMark: indented code
        /// cannot interrupt a paragraph). Decided by walking up to the line that settles it; every
        /// line walked over is noted, so lines asked about in order are walked once between them.
        private mutating func isIndentedCode(_ n: Int) -> Bool {
            guard Self.isIndented(document, n) else { return false }
            var walked: [Int] = []
            var result = false
            var m = n
            var sawBlank = false
            while true {
                if let known = indentedCode[m] { result = known; break }
                walked.append(m)
                let above = m - 1
                if above < document.bodyStartLine { result = true; break }
                if document.isCode(line: above) { result = true; break } // after a closing fence: fences are not paragraphs
                if Self.isBlank(document, above) { sawBlank = true; m = above; continue }
                if Self.isIndented(document, above) { m = above; continue }
                // The first less indented line above: a paragraph runs on into the indented line
                // unless a blank line ended it; a list item's text goes on past blank lines.
                if !sawBlank { result = Self.isATXHeading(document, above) } else { result = !Self.isListItem(document, above) }
                break
            }
            for line in walked { indentedCode[line] = result }
            return indentedCode[n] ?? result
        }

        /// Whether one of `spans` (in order, apart) holds `offset`: by bisection, as a line may hold many.
        static func contains(_ spans: [Range<Int>], _ offset: Int) -> Bool {
            var lo = 0, hi = spans.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if spans[mid].upperBound <= offset { lo = mid + 1 } else { hi = mid }
            }
            return lo < spans.count && spans[lo].contains(offset)
        }

        /// Whether line `n` is indented four columns or more (`MarkdownCode.codeIndentEnd`).
        static func isIndented(_ document: Document, _ n: Int) -> Bool {
            MarkdownCode.codeIndentEnd(document.bytes, document.contentRange(ofLine: n)) != nil
        }

        static func isBlank(_ document: Document, _ n: Int) -> Bool {
            document.lineBytes(n).allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        }

        /// `# …` to `###### …` after up to three spaces.
        static func isATXHeading(_ document: Document, _ n: Int) -> Bool {
            let rest = document.lineBytes(n).drop { $0 == 0x20 }
            let hashes = rest.prefix { $0 == 0x23 }.count
            guard (1...6).contains(hashes) else { return false }
            let after = rest.dropFirst(hashes).first
            return after == nil || after == 0x20 || after == 0x09 || after == 0x0D
        }

        /// A list item's first line: `-`, `*`, `+`, or up to nine digits and `.` or `)`, then a space or the end.
        static func isListItem(_ document: Document, _ n: Int) -> Bool {
            let rest = document.lineBytes(n).drop { $0 == 0x20 }
            guard let first = rest.first else { return false }
            var markerEnd = rest.startIndex + 1
            if first >= 0x30 && first <= 0x39 {
                let digits = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
                guard digits <= 9, rest.startIndex + digits < rest.endIndex else { return false }
                let mark = rest[rest.startIndex + digits]
                guard mark == 0x2E || mark == 0x29 else { return false }
                markerEnd = rest.startIndex + digits + 1
            } else if !(first == 0x2D || first == 0x2A || first == 0x2B) {
                return false
            }
            guard markerEnd < rest.endIndex else { return true }
            let after = rest[markerEnd]
            return after == 0x20 || after == 0x09 || after == 0x0D
        }
    }
}
