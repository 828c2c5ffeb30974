import Foundation
import NewsLintCore

/// Where in a document a pattern may fire. Zones keep common words quiet in real
/// paragraphs: `作者：` is metadata in the first lines, prose in the middle.
public enum PatternZone: Sendable, Equatable, CustomStringConvertible {
    case anywhere
    /// The first `headerLines` non-blank body lines.
    case header
    /// The last `footerLines` non-blank body lines.
    case footer
    /// Header or footer.
    case edges
    /// The value of a front-matter key.
    case frontMatter(String)

    public var description: String {
        switch self {
        case .anywhere: return "anywhere"
        case .header: return "header"
        case .footer: return "footer"
        case .edges: return "edges"
        case let .frontMatter(k): return "front-matter:\(k)"
        }
    }
}

/// How a hit relates to its line.
public enum PatternMatchMode: String, Sendable {
    /// The line is nothing but this pattern (plus bullets, punctuation and spaces).
    case line
    /// The pattern opens the line (after bullets and spaces); the rest is its value.
    case prefix
    /// The pattern may occur anywhere in the line.
    case contains
}

/// One pattern of a pack: literal variants (found by the automaton), an optional regex
/// that confirms a hit on the pre-selected line, a zone, a match mode and a category.
public struct PatternSpec: Sendable {
    public var literals: [[UInt8]]
    /// The confirming regex, compiled on first use: ICU compiles slowly, and a run may never meet
    /// a line that needs one (it was 10% of linting one small file).
    package var lazyRegex: LazyRegex?
    public var regex: NSRegularExpression? { lazyRegex?.compiled }
    public var zone: PatternZone
    public var mode: PatternMatchMode
    public var category: String
    /// Index of the rule (within one matcher) that owns the pattern.
    public var owner: Int
}

/// A regular expression compiled once, when first asked for.
package final class LazyRegex: Sendable {
    package let source: String
    private let once = ComputedOnce<NSRegularExpression?>()
    /// A byte test every line the expression matches passes (`RegexGate`), nil for most sources.
    package let gate: RegexGate?

    /// `compiled`: an expression already compiled (to validate it) is kept.
    package init(source: String, compiled: NSRegularExpression? = nil) {
        self.source = source
        gate = RegexGate(source: source)
        if let compiled { _ = once.value { compiled } }
    }

    package var compiled: NSRegularExpression? { once.value { try? NSRegularExpression(pattern: source) } }
}

/// Parses pattern lists; shared by the built-in data packs (`Rules/scraper/boilerplate/data/`) and user rule packs.
package enum PatternParser {
    package static let patternKeys = ["literal", "regex", "zone", "key", "match", "category", "$comment"]
    package static let zoneNames = ["anywhere", "header", "footer", "edges", "front-matter"]

    package struct Defaults {
        package var zone: PatternZone = .anywhere
        package var mode: PatternMatchMode = .contains
        package var category: String = "boilerplate"
        package var owner: Int = 0
        /// Compile each regex while parsing, to report an invalid one (user packs); the built-in
        /// packs are checked by tests and compile on first use.
        package var compileRegexes = true
        package init(zone: PatternZone = .anywhere, mode: PatternMatchMode = .contains, category: String = "boilerplate", owner: Int = 0) {
            self.zone = zone
            self.mode = mode
            self.category = category
            self.owner = owner
        }
    }

    package static func zone(_ node: JSONNode?, key: JSONNode?, file: String, path: String, fallback: PatternZone) throws -> PatternZone {
        guard let node else { return fallback }
        guard let s = node.string, zoneNames.contains(s) else {
            let hint = node.string.map { Suggest.hint(for: $0, in: zoneNames) } ?? ""
            throw CatalogError(file: file, position: node.position, message: "'\(path.isEmpty ? "" : path + ".")zone' must be one of \(zoneNames.joined(separator: ", "))\(hint)")
        }
        switch s {
        case "header": return .header
        case "footer": return .footer
        case "edges": return .edges
        case "front-matter":
            guard let k = key?.string, !k.isEmpty else {
                throw CatalogError(file: file, position: (key ?? node).position, message: "'\(path).key' must name the front-matter key when the zone is 'front-matter'")
            }
            return .frontMatter(k)
        default: return .anywhere
        }
    }

    package static func mode(_ node: JSONNode?, file: String, path: String, fallback: PatternMatchMode) throws -> PatternMatchMode {
        guard let node else { return fallback }
        guard let s = node.string, let m = PatternMatchMode(rawValue: s) else {
            throw CatalogError(file: file, position: node.position, message: "'\(path.isEmpty ? "" : path + ".")match' must be one of line, prefix, contains")
        }
        return m
    }

    /// Parses `patterns` (an array of strings or objects) into specs. Every bad pattern is reported
    /// at once (the first one hid the rest).
    package static func parse(_ list: JSONNode, file: String, path: String, defaults: Defaults) throws -> [PatternSpec] {
        guard let items = list.array, !items.isEmpty else {
            throw CatalogError(file: file, position: list.position, message: "'\(path)' must be a non-empty array of patterns")
        }
        var out: [PatternSpec] = []
        var errors: [CatalogError] = []
        for (i, item) in items.enumerated() {
            if let spec = JSONNodeDecoder.collect(&errors, file: file, { try pattern(item, file: file, path: "\(path)[\(i)]", defaults: defaults) }) {
                out.append(spec)
            }
        }
        try CatalogError.throwIfAny(errors)
        return out
    }

    /// One entry of `patterns`; its zone and match mode are checked with its text, so a bad zone and
    /// an unsafe regex of one pattern are both reported.
    private static func pattern(_ item: JSONNode, file: String, path p: String, defaults: Defaults) throws -> PatternSpec {
        if let s = item.string {
            guard !s.isEmpty else { throw CatalogError(file: file, position: item.position, message: "'\(p)' is an empty pattern") }
            return PatternSpec(literals: variants([s]), lazyRegex: nil, zone: defaults.zone, mode: defaults.mode,
                               category: defaults.category, owner: defaults.owner)
        }
        guard let members = item.members else {
            throw CatalogError(file: file, position: item.position, message: "'\(p)' must be a string or an object with 'literal' and/or 'regex'")
        }
        var errors: [CatalogError] = []
        for m in members where !patternKeys.contains(m.key) {
            let hint = Suggest.hint(for: m.key, in: patternKeys)
            errors.append(CatalogError(file: file, position: m.keyPosition, message: "unknown key '\(p).\(m.key)'\(hint)"))
        }
        // A part that fails adds its error and yields a placeholder, never used: `throwIfAny` throws first.
        let text = JSONNodeDecoder.collect(&errors, file: file) { () throws -> ([String], LazyRegex?) in
            var literals: [String] = []
            if let lit = item["literal"] {
                if let s = lit.string { literals = [s] } else if let a = lit.stringArray { literals = a } else {
                    throw CatalogError(file: file, position: lit.position, message: "'\(p).literal' must be a string or an array of strings")
                }
                if literals.isEmpty || literals.contains(where: \.isEmpty) {
                    throw CatalogError(file: file, position: lit.position, message: "'\(p).literal' must not be empty")
                }
            }
            var regex: LazyRegex?
            if let r = item["regex"] {
                guard let source = r.string, !source.isEmpty else {
                    throw CatalogError(file: file, position: r.position, message: "'\(p).regex' must be a non-empty string")
                }
                if defaults.compileRegexes {
                    do {
                        regex = LazyRegex(source: source, compiled: try NSRegularExpression(pattern: source))
                    } catch {
                        throw CatalogError(file: file, position: r.position, message: "'\(p).regex' is not a valid regular expression: \(source)")
                    }
                } else {
                    regex = LazyRegex(source: source)
                }
                if let problem = RegexSafety.problem(source) {
                    throw CatalogError(file: file, position: r.position, message: "'\(p).regex' is refused: \(problem)")
                }
                if literals.isEmpty {
                    guard let anchor = requiredLiteral(inRegex: source) else {
                        throw CatalogError(file: file, position: r.position, message: "'\(p).regex' has no literal text every match must contain; add 'literal' (text the line must contain before the regex is tried)")
                    }
                    literals = [anchor]
                }
            }
            guard !literals.isEmpty else {
                throw CatalogError(file: file, position: item.position, message: "'\(p)' needs 'literal' or 'regex'")
            }
            return (literals, regex)
        } ?? ([], nil)
        let itemZone = JSONNodeDecoder.collect(&errors, file: file) { try Self.zone(item["zone"], key: item["key"], file: file, path: p, fallback: defaults.zone) } ?? defaults.zone
        let itemMode = JSONNodeDecoder.collect(&errors, file: file) { try Self.mode(item["match"], file: file, path: p, fallback: defaults.mode) } ?? defaults.mode
        try CatalogError.throwIfAny(errors)
        return PatternSpec(literals: variants(text.0), lazyRegex: text.1, zone: itemZone, mode: itemMode,
                           category: item["category"]?.string ?? defaults.category, owner: defaults.owner)
    }

    /// Literal variants: a trailing colon matches both `:` and `：` (scraped pages mix them).
    package static func variants(_ literals: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for l in literals {
            var forms = [l]
            // `hasSuffix` compares characters (~1,100 instructions a call, 0.3 M of every start);
            // it can hold only when the last bytes are the colon's, so it is asked only then.
            if l.utf8.last == 0x3A, l.hasSuffix(":") { forms.append(String(l.dropLast()) + "：") }
            if l.utf8.last == 0x9A, l.hasSuffix("：") { forms.append(String(l.dropLast()) + ":") }
            for f in forms {
                let bytes = Array(f.utf8)
                if !out.contains(bytes) { out.append(bytes) }
            }
        }
        return out
    }

    /// The longest run of literal characters every match of `regex` must contain, or nil
    /// when there is none (alternation, or only classes and quantified atoms).
    package static func requiredLiteral(inRegex source: String) -> String? {
        let s = Array(source.unicodeScalars)
        var best: [Unicode.Scalar] = []
        var run: [Unicode.Scalar] = []
        var depth = 0
        func flush() {
            if depth == 0 && run.count > best.count { best = run }
            run = []
        }
        var i = 0
        while i < s.count {
            let c = s[i]
            let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            let quantified = next.map { "*?{".unicodeScalars.contains($0) } ?? false
            switch c {
            case "\\":
                guard let n = next else { i += 1; continue }
                let afterEscape: Unicode.Scalar? = i + 2 < s.count ? s[i + 2] : nil
                let escQuantified = afterEscape.map { "*?{".unicodeScalars.contains($0) } ?? false
                if n.properties.isAlphabetic || ("0"..."9").contains(n) || escQuantified {
                    flush()
                } else {
                    run.append(n)
                    if afterEscape == "+" { flush() }
                }
                i += 2
                continue
            case "[":
                flush()
                i += 1
                if i < s.count && s[i] == "^" { i += 1 }
                if i < s.count && s[i] == "]" { i += 1 }
                while i < s.count && s[i] != "]" { if s[i] == "\\" { i += 1 }; i += 1 }
            case "(":
                flush()
                depth += 1
            case ")":
                flush()
                depth = max(0, depth - 1)
            case "|":
                // Top-level alternation: no text is common to every match.
                if depth == 0 { return nil }
                flush()
            case ".", "^", "$", "*", "+", "?", "{", "}":
                flush()
            default:
                if quantified { flush() } else {
                    run.append(c)
                    if next == "+" { flush() }
                }
            }
            i += 1
        }
        flush()
        return best.isEmpty ? nil : String(String.UnicodeScalarView(best))
    }
}

/// One confirmed hit of a pattern on a line.
public struct PatternHit: Sendable {
    public var pattern: Int
    public var range: Range<Int>
}

/// A pattern's regex search abandoned at `RegexSafety.searchLimit` on a line (or a front-matter
/// value on that line): the line was not checked against that pattern, which is not the same as
/// not matching it, so the rule says so (as `front-matter-field` does for its patterns).
public struct RegexTimeout: Sendable, Equatable {
    public var line: Int
    public var pattern: Int

    /// What a rule says of the line (as `front-matter-field` says it of a value).
    package static func message(_ pattern: PatternSpec) -> String {
        "line could not be checked against the pattern \(pattern.lazyRegex?.source ?? "?"): \(RegexSafety.abandonedSearchNote)"
    }
}

/// The hits of one line and whether the line is wholly boilerplate.
public struct LineVerdict: Sendable {
    public var line: Int
    /// The rule (pattern owner) the hits belong to.
    public var owner: Int = 0
    public var hits: [PatternHit]
    /// The line holds nothing but pattern hits, bullets, punctuation, numbers and links
    /// (plus at most a few words of value after a label): safe to delete.
    public var whole: Bool
}

/// Zones of one document's body: which lines count as header and footer.
///
/// Kept as sorted line numbers (the first and last non-blank lines, in order): the scan needs
/// them in order, and a `Set` per zone plus their union per document cost more than the scan of
/// the lines themselves on short files.
public struct DocumentZones: Sendable {
    /// The header's line numbers, ascending.
    public let headerLines: [Int]
    /// The footer's line numbers, ascending.
    public let footerLines: [Int]

    /// The walk is `ZoneLines`'; its lines are copied into the two arrays.
    public init(_ document: borrowing Document, headerLines: Int, footerLines: Int) {
        let room = ZoneLines.room(document, headerLines: headerLines, footerLines: footerLines)
        (self.headerLines, self.footerLines) = withUnsafeTemporaryAllocation(of: Int.self, capacity: max(room, 1)) { storage in
            let zones = ZoneLines(document, headerLines: headerLines, footerLines: footerLines, storage: storage)
            return (Array(zones.header), Array(zones.footer))
        }
    }

    package func isHeader(_ line: Int) -> Bool { Self.holds(headerLines, line) }
    package func isFooter(_ line: Int) -> Bool { Self.holds(footerLines, line) }

    /// Whether the ascending `lines` (indexed from 0) hold `line` (bisection).
    fileprivate static func holds<Lines: RandomAccessCollection<Int>>(_ lines: Lines, _ line: Int) -> Bool where Lines.Index == Int {
        var lo = 0, hi = lines.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if lines[mid] < line { lo = mid &+ 1 } else { hi = mid }
        }
        return lo < lines.count && lines[lo] == line
    }

    /// The header and footer lines of all `zones`, ascending, each once. Several rules' zones only:
    /// one rule's (the built-in packs, on every file) are merged as they are read (`CandidateLines`).
    package static func edgeLines(_ zones: [DocumentZones]) -> [Int] {
        var lines: [Int] = []
        for z in zones { lines += z.headerLines; lines += z.footerLines }
        lines.sort()
        var unique = 0
        for k in lines.indices where unique == 0 || lines[unique - 1] != lines[k] {
            lines[unique] = lines[k]
            unique += 1
        }
        lines.removeLast(lines.count - unique)
        return lines
    }
}

/// A document's header and footer lines, as `DocumentZones` lists them, in storage the caller
/// lends: the boilerplate rule asks for them on every file, and a `DocumentZones`' two arrays
/// were two `malloc`s and `free`s and their appends a file.
package struct ZoneLines {
    /// The header's line numbers, ascending.
    package let header: UnsafeBufferPointer<Int>
    /// The footer's line numbers, ascending.
    package let footer: UnsafeBufferPointer<Int>

    /// Room for the lines of `document`'s zones: what `init(_:headerLines:footerLines:storage:)` needs.
    package static func room(_ document: borrowing Document, headerLines: Int, footerLines: Int) -> Int {
        let (header, footer) = rooms(document, headerLines: headerLines, footerLines: footerLines)
        return header + footer
    }

    /// Each zone's room: its line count, at most the body's.
    private static func rooms(_ document: borrowing Document, headerLines: Int, footerLines: Int) -> (header: Int, footer: Int) {
        let bodyCount = document.bodyLines?.count ?? 0
        return (headerLines > 0 ? min(headerLines, bodyCount) : 0, footerLines > 0 ? min(footerLines, bodyCount) : 0)
    }

    /// The zones of `document`: its first `headerLines` and last `footerLines` lines of content
    /// (neither blank nor code; on HTML, with visible text), each zone walked from its end of the body only as far as it
    /// reaches. Written into
    /// `storage` (uninitialized, at least `room` entries; the caller's temporary allocation: a
    /// function taking a closure over it copied the rule and the document into its context, three
    /// times a file). Borrowed, as `DocumentZones.init`: an initializer takes its arguments owned, so
    /// the document was copied (a retain of each of its references) and released once a file.
    package init(_ document: borrowing Document, headerLines: Int, footerLines: Int, storage: UnsafeMutableBufferPointer<Int>) {
        let lines = document.bodyLines
        let (headerRoom, footerRoom) = Self.rooms(document, headerLines: headerLines, footerLines: footerLines)
        precondition(storage.count >= headerRoom + footerRoom, "ZoneLines needs room(_:headerLines:footerLines:) entries")
        let header = UnsafeMutableBufferPointer(rebasing: storage[..<headerRoom])
        let footer = UnsafeMutableBufferPointer(rebasing: storage[headerRoom..<(headerRoom + footerRoom)])
        var headerCount = 0, footerCount = 0
        if let lines {
            // On an HTML page only the lines a reader sees: a trailing comment (the Wayback
            // Machine's `FILE ARCHIVED ON …`) or the page's scripts would push the footer out of the zone.
            let html: HTMLView? = document.isHTMLFile ? document.html : nil
            // The token the last line looked at started in: each zone walks its lines in order.
            var token = 0
            // The lines the header walk looked at, through its last (a short body's footer meets them again).
            var headerThrough = lines.lowerBound - 1
            if headerRoom > 0 {
                for n in lines where Self.isContent(document, n, html, &token) {
                    header.initializeElement(at: headerCount, to: n)
                    headerCount += 1
                    if headerCount == headerRoom { break }
                }
                headerThrough = headerCount == headerRoom ? header[headerCount - 1] : lines.upperBound - 1
            }
            if footerRoom > 0 {
                token = Int.max
                // The header's last line at or before the footer walk's (both go down together).
                var headerIndex = headerCount - 1
                // Met from the end: written from the room's end down, then moved to its start.
                for n in lines.reversed()
                where n <= headerThrough ? Self.holds(header, n, below: &headerIndex) : Self.isContent(document, n, html, &token) {
                    footerCount += 1
                    footer.initializeElement(at: footerRoom - footerCount, to: n)
                    if footerCount == footerRoom { break }
                }
                if footerCount < footerRoom, let base = footer.baseAddress {
                    base.moveInitialize(from: base + (footerRoom - footerCount), count: footerCount)
                }
            }
        }
        self.header = UnsafeBufferPointer(rebasing: header[..<headerCount])
        self.footer = UnsafeBufferPointer(rebasing: footer[..<footerCount])
    }

    /// Whether the ascending `lines` hold `line`, met going down: `index` (the last line at or
    /// before the previous one asked about, which was later) is moved down to it.
    @inline(__always)
    private static func holds(_ lines: UnsafeMutableBufferPointer<Int>, _ line: Int, below index: inout Int) -> Bool {
        while index >= 0 && lines[index] > line { index -= 1 }
        return index >= 0 && lines[index] == line
    }

    /// Neither blank nor code, and on an HTML page (`html`) showing visible text (its first
    /// token looked for near `token`, the previous line's: `HTMLView.showsText(line:_:near:)`).
    @inline(__always)
    private static func isContent(_ document: borrowing Document, _ n: Int, _ html: HTMLView?, _ token: inout Int) -> Bool {
        let range = document.contentRange(ofLine: n)
        guard !document.isCode(line: n), !TextScan.isBlank(document.bytes, range) else { return false }
        return html?.showsText(line: range, document.bytes, near: &token) ?? true
    }

    package func isHeader(_ line: Int) -> Bool { DocumentZones.holds(header, line) }
    package func isFooter(_ line: Int) -> Bool { DocumentZones.holds(footer, line) }
}

/// Zones told by their header and footer lines (`DocumentZones`, `ZoneLines`).
package protocol HeaderFooterZones {
    func isHeader(_ line: Int) -> Bool
    func isFooter(_ line: Int) -> Bool
}

extension HeaderFooterZones {
    /// Whether `line` is in `zone` (front matter is never a body zone).
    package func contains(_ line: Int, _ zone: PatternZone) -> Bool {
        switch zone {
        case .anywhere: return true
        case .header: return isHeader(line)
        case .footer: return isFooter(line)
        case .edges: return isHeader(line) || isFooter(line)
        case .frontMatter: return false
        }
    }
}

extension DocumentZones: HeaderFooterZones {}
extension ZoneLines: HeaderFooterZones {}

/// The cursor over zones in arrays (`DocumentZones`).
package typealias CandidateLines = CandidateLineCursor<[Int]>

/// The lines `PatternMatcher.scanBody` reads, ascending, each once: a body's lines, or the lines of
/// two ascending lists (a zone's header and footer lines), merged as they are read. Merging them
/// into a list of their own (`DocumentZones.edgeLines`) allocated and filled it for every document.
/// Lists in arrays (`DocumentZones`) or in lent storage (`ZoneLines`), indexed from 0.
package struct CandidateLineCursor<Lines: RandomAccessCollection<Int>> where Lines.Index == Int {
    private var line: Int
    private let last: Int
    private let first: Lines, second: Lines
    private var i = 0, j = 0
    private var previous = Int.min

    /// `first` and `second` ascending, each without repeats.
    package init(merging first: Lines, _ second: Lines) {
        line = 1
        last = 0
        self.first = first
        self.second = second
    }

    package mutating func next() -> Int? {
        if line <= last {
            defer { line += 1 }
            return line
        }
        while i < first.count || j < second.count {
            let next: Int
            if j == second.count || (i < first.count && first[i] <= second[j]) {
                next = first[i]
                i += 1
            } else {
                next = second[j]
                j += 1
            }
            if next != previous {
                previous = next
                return next
            }
        }
        return nil
    }
}

extension CandidateLineCursor where Lines == [Int] {
    package init(body: ClosedRange<Int>) {
        line = body.lowerBound
        last = body.upperBound
        first = []
        second = []
    }
}

/// The zones `PatternMatcher.scanBody` tests a hit's line against, by the owner of its pattern.
fileprivate protocol OwnerZones {
    var ownerCount: Int { get }
    func contains(_ line: Int, _ zone: PatternZone, owner: Int) -> Bool
}

/// One `DocumentZones` an owner.
fileprivate struct ZonesByOwner: OwnerZones {
    let byOwner: UnsafeBufferPointer<DocumentZones>
    var ownerCount: Int { byOwner.count }
    func contains(_ line: Int, _ zone: PatternZone, owner: Int) -> Bool { byOwner[owner].contains(line, zone) }
}

extension ZoneLines: OwnerZones {
    fileprivate var ownerCount: Int { 1 }
    fileprivate func contains(_ line: Int, _ zone: PatternZone, owner: Int) -> Bool { contains(line, zone) }
}

/// All patterns of a set of rules behind one Aho-Corasick automaton.
public struct PatternMatcher: Sendable {
    public let patterns: [PatternSpec]
    private let literalPattern: [Int]
    private let automaton: AhoCorasick
    private let needsBody: Bool
    private let frontMatterKeys: [String]
    /// Residual words a prefix/contains line may carry and still count as wholly boilerplate.
    public let maxResidual: Int

    /// `usesStartFilter: false`: the automaton walks every byte (the reference in tests).
    public init(patterns: [PatternSpec], maxResidual: Int = 24, usesStartFilter: Bool = true) {
        self.patterns = patterns
        var literals: [[UInt8]] = []
        var owner: [Int] = []
        for (i, p) in patterns.enumerated() {
            for l in p.literals { literals.append(l); owner.append(i) }
        }
        literalPattern = owner
        automaton = AhoCorasick(literals, usesStartFilter: usesStartFilter)
        needsBody = patterns.contains { $0.zone == .anywhere }
        var keys: [String] = []
        for p in patterns { if case let .frontMatter(k) = p.zone, !keys.contains(k) { keys.append(k) } }
        frontMatterKeys = keys
        self.maxResidual = maxResidual
    }

    /// Body lines with confirmed hits, in line order.
    /// `stop(line, lineBytes)`: asked before each line; true ends the scan early (the time budget).
    /// `timedOut`: told of each regex search abandoned at its time limit (`RegexTimeout`):
    /// `searchLimit` seconds (a run's `LintEnvironment.regexSearchLimit`).
    /// The zones are lent as a buffer of one (an array of one was allocated per document).
    public func scanBody(_ document: Document, zones: DocumentZones, stop: (Int, Int) -> Bool = { _, _ in false },
                         searchLimit: TimeInterval = RegexSafety.searchLimit, timedOut: (RegexTimeout) -> Void = { _ in }) -> [LineVerdict] {
        withUnsafePointer(to: zones) {
            scanBody(document, zonesByOwner: UnsafeBufferPointer(start: $0, count: 1), stop: stop, searchLimit: searchLimit, timedOut: timedOut)
        }
    }

    /// One pass for the patterns of several rules: `zonesByOwner[i]` are the zones of the rule
    /// that owns patterns with `owner == i`. Verdicts are per line and owner.
    public func scanBody(_ document: Document, zonesByOwner: [DocumentZones], stop: (Int, Int) -> Bool = { _, _ in false },
                         searchLimit: TimeInterval = RegexSafety.searchLimit, timedOut: (RegexTimeout) -> Void = { _ in }) -> [LineVerdict] {
        zonesByOwner.withUnsafeBufferPointer { scanBody(document, zonesByOwner: $0, stop: stop, searchLimit: searchLimit, timedOut: timedOut) }
    }

    /// `scanBody(_:zones:stop:timedOut:)` with the zones' lines in lent storage (`ZoneLines`).
    package func scanBody(_ document: Document, zoneLines zones: ZoneLines, stop: (Int, Int) -> Bool = { _, _ in false },
                          searchLimit: TimeInterval = RegexSafety.searchLimit, timedOut: (RegexTimeout) -> Void = { _ in }) -> [LineVerdict] {
        guard let body = document.bodyLines else { return [] }
        if needsBody { return scanLines(document, CandidateLines(body: body), zones: zones, stop: stop, searchLimit: searchLimit, timedOut: timedOut) }
        return scanLines(document, CandidateLineCursor(merging: zones.header, zones.footer), zones: zones, stop: stop, searchLimit: searchLimit, timedOut: timedOut)
    }

    private func scanBody(_ document: Document, zonesByOwner: UnsafeBufferPointer<DocumentZones>, stop: (Int, Int) -> Bool,
                          searchLimit: TimeInterval, timedOut: (RegexTimeout) -> Void) -> [LineVerdict] {
        guard let body = document.bodyLines, !zonesByOwner.isEmpty else { return [] }
        let candidates = needsBody ? CandidateLines(body: body)
            : zonesByOwner.count == 1 ? CandidateLines(merging: zonesByOwner[0].headerLines, zonesByOwner[0].footerLines)
            : CandidateLines(merging: DocumentZones.edgeLines(Array(zonesByOwner)), [])
        return scanLines(document, candidates, zones: ZonesByOwner(byOwner: zonesByOwner), stop: stop, searchLimit: searchLimit, timedOut: timedOut)
    }

    /// The scan of the `candidates` lines, each hit kept when its line is in its pattern's zone.
    private func scanLines<Lines, Zones: OwnerZones>(_ document: Document, _ candidates: CandidateLineCursor<Lines>, zones: Zones,
                                                     stop: (Int, Int) -> Bool, searchLimit: TimeInterval,
                                                     timedOut: (RegexTimeout) -> Void) -> [LineVerdict] {
        var candidates = candidates
        var out: [LineVerdict] = []
        // The automaton's occurrences on a line; one buffer for all the lines.
        var occurrences: [AhoCorasick.Occurrence] = []
        while let n = candidates.next() {
            if document.isCode(line: n) { continue }
            let range = document.contentRange(ofLine: n)
            if stop(n, range.count) { break }
            if !occurrences.isEmpty { occurrences.removeAll(keepingCapacity: true) }
            automaton.scan(document.bytes, range, into: &occurrences)
            guard !occurrences.isEmpty else { continue }
            var raw: [PatternHit] = []
            for o in occurrences {
                let p = literalPattern[o.literal]
                let owner = patterns[p].owner
                if owner < zones.ownerCount, zones.contains(n, patterns[p].zone, owner: owner) {
                    raw.append(PatternHit(pattern: p, range: o.start..<o.end))
                }
            }
            guard !raw.isEmpty else { continue }
            // One owner's zones (a rule's own scan): every hit kept is that owner's, so the line is
            // confirmed once, with no set of owners (a map, a `Set` and a sort were ~1,700
            // instructions a line with hits).
            if zones.ownerCount == 1 {
                if var verdict = confirm(raw, line: n, range: range, bytes: document.bytes, searchLimit: searchLimit, timedOut: timedOut) {
                    verdict.owner = patterns[raw[0].pattern].owner
                    out.append(verdict)
                }
                continue
            }
            let owners = Set(raw.map { patterns[$0.pattern].owner }).sorted()
            for owner in owners {
                let mine = owners.count == 1 ? raw : raw.filter { patterns[$0.pattern].owner == owner }
                if var verdict = confirm(mine, line: n, range: range, bytes: document.bytes, searchLimit: searchLimit, timedOut: timedOut) {
                    verdict.owner = owner
                    out.append(verdict)
                }
            }
        }
        return out
    }

    /// Hits inside the value of a front-matter key (for `front-matter` zone patterns);
    /// `timedOut` as in `scanBody` (the line is the entry's).
    public func scanFrontMatter(_ document: Document, searchLimit: TimeInterval = RegexSafety.searchLimit,
                                timedOut: (RegexTimeout) -> Void = { _ in }) -> [(entry: FrontMatterEntry, hits: [PatternHit])] {
        guard !frontMatterKeys.isEmpty, let fm = document.frontMatter else { return [] }
        var out: [(FrontMatterEntry, [PatternHit])] = []
        for entry in fm.entries where frontMatterKeys.contains(entry.key) {
            let range = entry.valueRange ?? entry.entryRange
            var hits: [PatternHit] = []
            automaton.scan(document.bytes, range) { id, start, end in
                let p = literalPattern[id]
                if patterns[p].zone == .frontMatter(entry.key) { hits.append(PatternHit(pattern: p, range: start..<end)) }
            }
            hits = applyRegexes(hits, lineRange: range, bytes: document.bytes, searchLimit: searchLimit) { timedOut(RegexTimeout(line: entry.line, pattern: $0)) }
            if !hits.isEmpty { out.append((entry, hits)) }
        }
        return out
    }

    /// `timedOut(pattern)`: the pattern's search was abandoned at its time limit, `searchLimit`
    /// seconds (no hit kept).
    private func applyRegexes(_ raw: [PatternHit], lineRange: Range<Int>, bytes: [UInt8], searchLimit: TimeInterval, timedOut: (Int) -> Void) -> [PatternHit] {
        guard raw.contains(where: { patterns[$0.pattern].lazyRegex != nil }) else { return Self.dedupe(raw) }
        var out: [PatternHit] = raw.filter { patterns[$0.pattern].lazyRegex == nil }
        // The line's text is made for the first regex its gate lets run (a line every gate turns
        // away, the usual prose, needs none). Regex offsets are mapped back through UTF-8 lengths,
        // which is exact only for valid UTF-8: a line with invalid bytes (e.g. GBK) gets no regex
        // confirmation rather than shifted ranges.
        var lineText: String?, textMade = false
        var done = Set<Int>()
        for h in raw where patterns[h.pattern].lazyRegex != nil && done.insert(h.pattern).inserted {
            if let gate = patterns[h.pattern].lazyRegex?.gate, !gate.mayMatch(bytes, lineRange) { continue }
            guard let regex = patterns[h.pattern].regex else { continue }
            if !textMade { lineText = String(exactUTF8: bytes[lineRange]); textMade = true }
            guard let text = lineText else { break }
            // A search that runs past its time limit is abandoned: the line is not confirmed, and
            // the caller is told (not checked is not the same as no match).
            let search = RegexSafety.matches(regex, in: text, limit: searchLimit)
            if !search.complete { timedOut(h.pattern) }
            for m in search.matches {
                guard let r = Range(m.range, in: text), !r.isEmpty else { continue }
                let lo = lineRange.lowerBound + text.utf8.distance(from: text.startIndex, to: r.lowerBound)
                let hi = lineRange.lowerBound + text.utf8.distance(from: text.startIndex, to: r.upperBound)
                out.append(PatternHit(pattern: h.pattern, range: lo..<hi))
            }
        }
        return Self.dedupe(out)
    }

    /// The hits by (start, pattern), each (pattern, range) once (its first copy). Copies sort next
    /// to each other, in one run of equal start and pattern, so each hit is compared with the kept
    /// hits of its run only (a `Set` of three-`Int` arrays, an allocation and a hash per hit, was
    /// most of confirming a line).
    package static func dedupe(_ hits: [PatternHit]) -> [PatternHit] {
        let sorted = hits.sorted { ($0.range.lowerBound, $0.pattern) < ($1.range.lowerBound, $1.pattern) }
        var out: [PatternHit] = []
        out.reserveCapacity(sorted.count)
        var run = 0  // where the kept hits of the current (start, pattern) run begin in `out`
        for h in sorted {
            if let last = out.last, last.range.lowerBound == h.range.lowerBound, last.pattern == h.pattern {
                if out[run...].contains(where: { $0.range.upperBound == h.range.upperBound }) { continue }
            } else {
                run = out.count
            }
            out.append(h)
        }
        return out
    }

    /// Applies regex confirmation and match modes; nil when nothing survives.
    private func confirm(_ raw: [PatternHit], line: Int, range: Range<Int>, bytes: [UInt8], searchLimit: TimeInterval,
                         timedOut: (RegexTimeout) -> Void) -> LineVerdict? {
        let hits = applyRegexes(raw, lineRange: range, bytes: bytes, searchLimit: searchLimit) { timedOut(RegexTimeout(line: line, pattern: $0)) }
        guard !hits.isEmpty else { return nil }
        let contentStart = TextScan.skipLeadingFiller(bytes, range)
        // A label line holds a value, not a sentence: `日期：会议定于下周三举行。` is prose.
        let isSentence = TextScan.endsSentence(bytes, range)
        var kept: [PatternHit] = []
        var prefixCategories = Set<String>()
        for h in hits {
            let p = patterns[h.pattern]
            switch p.mode {
            case .contains, .line:
                kept.append(h)
            case .prefix:
                if isSentence { continue }
                // A label opens the line; further labels of the same kind may follow on it.
                if h.range.lowerBound <= contentStart || prefixCategories.contains(p.category) {
                    kept.append(h)
                    prefixCategories.insert(p.category)
                }
            }
        }
        guard !kept.isEmpty else { return nil }
        // Only whether the count is 0 and whether it is above `maxResidual` matter: counting stops
        // past it (a scraped page's one-line article counted every word of it, for every header hit).
        let countLimit = maxResidual < Int.max ? maxResidual + 1 : .max
        var residual = TextScan.residualWords(bytes, range, excluding: kept.map(\.range), limit: countLimit)
        if residual > 0 {
            // A line-mode pattern (a sidebar heading) is residue only as the whole line; inside a
            // sentence (`並透露相關內容可能會…`) it is prose, even when another pattern fires there.
            let before = kept.count
            kept.removeAll { patterns[$0.pattern].mode == .line }
            guard !kept.isEmpty else { return nil }
            if kept.count != before { residual = TextScan.residualWords(bytes, range, excluding: kept.map(\.range), limit: countLimit) }
        }
        let lineModeOnly = kept.allSatisfy { patterns[$0.pattern].mode == .line }
        let whole = lineModeOnly || residual <= maxResidual
        return LineVerdict(line: line, hits: kept, whole: whole)
    }
}

/// Byte-level helpers for lines of scraped Chinese text.
package enum TextScan {
    /// Two `memchr`s, which read many bytes per step: asked for every Markdown line by
    /// `html-remnant`, where the byte-by-byte loop was 15 M instructions on agora x1 (most lines
    /// hold neither byte, so both searches run to the end).
    package static func containsAmpersandOrLessThan(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { b in
            ByteWords.firstIndex(of: UInt8(ascii: "<"), in: b, from: range.lowerBound, to: range.upperBound) != nil
                || ByteWords.firstIndex(of: UInt8(ascii: "&"), in: b, from: range.lowerBound, to: range.upperBound) != nil
        }
    }

    package static func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            let n = spaceLength(bytes, i, range.upperBound)
            if n == 0 { return false }
            i += n
        }
        return true
    }

    /// Length of a space character at `i`: ASCII space/tab, U+00A0, U+3000 (0 if none).
    @inline(__always)
    package static func spaceLength(_ b: [UInt8], _ i: Int, _ end: Int) -> Int {
        if b[i] == 0x20 || b[i] == 0x09 { return 1 }
        if b[i] == 0xC2 && i + 1 < end && b[i + 1] == 0xA0 { return 2 }
        if b[i] == 0xE3 && i + 2 < end && b[i + 1] == 0x80 && b[i + 2] == 0x80 { return 3 }
        return 0
    }

    /// Length of a space character ending at `end` (exclusive), not before `start`: the same spaces
    /// as `spaceLength` (ASCII space/tab, U+00A0, U+3000), read backwards (0 if none).
    @inline(__always)
    package static func spaceLength(_ b: [UInt8], endingAt end: Int, after start: Int) -> Int {
        guard end > start else { return 0 }
        if b[end - 1] == 0x20 || b[end - 1] == 0x09 { return 1 }
        if end - start >= 2, b[end - 2] == 0xC2, b[end - 1] == 0xA0 { return 2 }
        if end - start >= 3, b[end - 3] == 0xE3, b[end - 2] == 0x80, b[end - 1] == 0x80 { return 3 }
        return 0
    }

    /// `range` without the spaces (`spaceLength`) at either end.
    package static func trimmingSpaces(_ b: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, case let n = spaceLength(b, lo, hi), n > 0 { lo += n }
        while hi > lo, case let n = spaceLength(b, endingAt: hi, after: lo), n > 0 { hi -= n }
        return lo..<hi
    }

    /// Offset of the first byte after leading spaces, bullets, brackets and list markers.
    package static func skipLeadingFiller(_ b: [UInt8], _ range: Range<Int>) -> Int {
        var i = range.lowerBound
        let slice = b[range]
        while i < range.upperBound {
            let (scalar, len) = UTF8Validation.decode(slice, at: i)
            if isFiller(scalar) && !(0x30...0x39).contains(scalar) { i += len } else { break }
        }
        return i
    }

    /// Whether a scalar is decoration: spaces, punctuation, digits, symbols, bullets, arrows.
    package static func isFiller(_ s: UInt32) -> Bool {
        if s < 0x80 {
            let c = UInt8(s)
            return !((c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A))
        }
        switch s {
        case 0xA0...0xBF, 0xD7, 0xF7: return true
        case 0x2000...0x206F, 0x2190...0x21FF, 0x2500...0x27BF: return true
        case 0x3000...0x303F: return true
        case 0xFF01...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65: return true
        default: return false
        }
    }

    /// Words left in a line once `excluding` ranges, decoration and links are removed:
    /// each CJK character counts one, each run of ASCII letters counts one.
    /// Stops counting at `limit` (callers that only need "at least n" pass n).
    package static func residualWords(_ b: [UInt8], _ range: Range<Int>, excluding: [Range<Int>], limit: Int = .max) -> Int {
        var ranges = ExcludedRangeList(excluding)
        return residualWords(b, range, excluding: &ranges, limit: limit)
    }

    /// `residualWords` with the excluded ranges asked for as the count goes (offsets in increasing order).
    package static func residualWords<E: WordExclusions>(_ b: [UInt8], _ range: Range<Int>, excluding: inout E, limit: Int = .max) -> Int {
        let slice = b[range]
        var count = 0
        var i = range.lowerBound
        var inWord = false
        while i < range.upperBound && count < limit {
            if let r = excluding.range(containing: i) { i = r.upperBound; inWord = false; continue }
            // CJK ideographs U+4000–U+9FFF (lead bytes E4–E9) are words; no need to decode them.
            if b[i] >= 0xE4 && b[i] <= 0xE9 && i + 2 < range.upperBound {
                count += 1
                inWord = false
                i += 3
                continue
            }
            if startsURL(b, i, range.upperBound) {
                while i < range.upperBound && b[i] > 0x20 && b[i] != UInt8(ascii: ")") && b[i] != UInt8(ascii: "]") && b[i] < 0x80 { i += 1 }
                inWord = false
                continue
            }
            let (scalar, len) = UTF8Validation.decode(slice, at: i)
            if isFiller(scalar) {
                inWord = false
            } else if scalar < 0x80 {
                if !inWord { count += 1 }
                inWord = true
            } else {
                count += 1
                inWord = false
            }
            i += len
        }
        return count
    }

    /// `residualWords(b, range, excluding: markup, limit:)` for markup (tags, entities) that starts
    /// at a `<` or `&`, counted without looking for the markup while no byte the count passes is
    /// one: no range can hold an offset before the first such byte. Nil as soon as one is read
    /// before the count is known (then the caller counts with the markup). Every byte up to where
    /// the count stops is read, including the two after a CJK lead and a URL's, which the count
    /// skips without asking for a range: a `<` among them may open a tag that reaches past them.
    /// `boilerplate-repeated` counts only to `minWords`, mostly a few characters into a line
    /// that holds no markup: the markup search (a `memchr` window, its state) was most of the count.
    @inline(__always)
    package static func residualWordsBeforeMarkup(_ b: [UInt8], _ range: Range<Int>, limit: Int) -> Int? {
        b.withUnsafeBufferPointer { p -> Int? in
            guard range.lowerBound >= 0, range.upperBound <= p.count else { return nil }
            let end = range.upperBound
            @inline(__always) func opensMarkup(_ c: UInt8) -> Bool { c == UInt8(ascii: "<") || c == UInt8(ascii: "&") }
            var count = 0
            var i = range.lowerBound
            var inWord = false
            while i < end && count < limit {
                let c = p[i]
                // As `residualWords`: a CJK lead E4–E9 and the two bytes after it are one word, unread.
                if c >= 0xE4 && c <= 0xE9 && i &+ 2 < end {
                    if opensMarkup(p[i &+ 1]) || opensMarkup(p[i &+ 2]) { return nil }
                    count &+= 1
                    inWord = false
                    i &+= 3
                    continue
                }
                if c < 0x80 {
                    if opensMarkup(c) { return nil }
                    if (c == UInt8(ascii: "h") || c == UInt8(ascii: "w")) && startsURL(p, i, end) {
                        while i < end, case let u = p[i], u > 0x20, u != UInt8(ascii: ")"), u != UInt8(ascii: "]"), u < 0x80 {
                            if opensMarkup(u) { return nil }
                            i &+= 1
                        }
                        inWord = false
                        continue
                    }
                    if isFiller(UInt32(c)) {
                        inWord = false
                    } else {
                        if !inWord { count &+= 1 }
                        inWord = true
                    }
                    i &+= 1
                    continue
                }
                // Any other non-ASCII scalar is one word unless it is decoration; an ill-formed
                // byte (`ScalarDecode.invalid`, one byte long, as U+FFFD in `residualWords`) is no
                // decoration either: one word. A well-formed sequence's bytes after its lead are
                // continuation bytes, never `<` or `&`. The decode stops at the range's end, as
                // `residualWords`' decode of `b[..<end]` does.
                let (scalar, length) = ScalarDecode.step(UnsafeBufferPointer(rebasing: p[..<end]), at: i)
                if isFiller(scalar) { inWord = false } else { count &+= 1; inWord = false }
                i &+= length
            }
            return count
        }
    }

    /// `startsURL` on bytes lent in place.
    @inline(__always)
    private static func startsURL(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        @inline(__always) func has(_ prefix: StaticString) -> Bool {
            let n = prefix.utf8CodeUnitCount
            guard i &+ n <= end else { return false }
            let u = prefix.utf8Start
            for k in 0..<n where b[i &+ k] != u[k] { return false }
            return true
        }
        return has("http://") || has("https://") || has("www.")
    }

    /// `residualWords`' excluded ranges as a list, in any order.
    private struct ExcludedRangeList: WordExclusions {
        let ranges: [Range<Int>]
        init(_ ranges: [Range<Int>]) { self.ranges = ranges }
        func range(containing offset: Int) -> Range<Int>? {
            ranges.isEmpty ? nil : ranges.first(where: { $0.contains(offset) })
        }
    }

    package static let urlStarts: [[UInt8]] = ["http://", "https://", "www."].map { Array($0.utf8) }

    @inline(__always)
    package static func startsURL(_ b: [UInt8], _ i: Int, _ end: Int) -> Bool {
        guard i < end, b[i] == UInt8(ascii: "h") || b[i] == UInt8(ascii: "w") else { return false }
        for u in urlStarts where i + u.count <= end && b[i..<(i + u.count)].elementsEqual(u) { return true }
        return false
    }

    /// Number of Unicode scalars in a byte range.
    package static func scalarCount(_ b: [UInt8], _ range: Range<Int>) -> Int {
        var n = 0
        for i in range where b[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// `scalarCount(b, range) >= minimum`, counting only until the answer is known (a long line
    /// answers after its first few characters, not its last byte).
    /// Eight bytes a step while eight remain: a word's scalar starts are its bytes other than
    /// continuation bytes (`10xxxxxx`, high bit set and the next one clear), counted by one popcount
    /// (a byte at a time cost ~14 instructions a byte, ~7 M over agora's lines and blocks).
    @inline(__always)
    package static func hasScalars(_ b: [UInt8], _ range: Range<Int>, atLeast minimum: Int) -> Bool {
        guard minimum > 0 else { return true }
        return b.withUnsafeBufferPointer { buf in
            var n = 0
            var i = range.lowerBound
            if let base = buf.baseAddress, i >= 0, range.upperBound <= buf.count {
                let raw = UnsafeRawPointer(base)
                while i &+ 8 <= range.upperBound {
                    let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    n &+= 8 &- (w & ~(w &<< 1) & ByteWords.highs).nonzeroBitCount
                    if n >= minimum { return true }
                    i &+= 8
                }
            }
            while i < range.upperBound {
                if buf[i] & 0xC0 != 0x80 {
                    n &+= 1
                    if n >= minimum { return true }
                }
                i &+= 1
            }
            return false
        }
    }

    /// Whether the text in `range` ends a sentence (ignoring trailing spaces and closing quotes/brackets).
    /// The usual last characters are answered from the last bytes first (the walk back decodes
    /// through a slice, ~127 instructions a line, asked for every line `boilerplate-repeated` keys):
    /// an ASCII byte other than a space or closing mark, `。`, and a CJK ideograph (a well-formed
    /// E4–E9 sequence: no mark). Anything else takes the walk.
    package static func endsSentence(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        let end = range.upperBound
        if end > range.lowerBound {
            let c = b[end - 1]
            if c < 0x80 {
                switch c {
                case 0x20, 0x09, 0x22, 0x27, 0x29, 0x5D: break
                case 0x21, 0x3F, 0x2E, 0x3B: return true
                default: return false
                }
            } else if end - range.lowerBound >= 3, c & 0xC0 == 0x80, b[end - 2] & 0xC0 == 0x80 {
                let lead = b[end - 3]
                if lead == 0xE3, b[end - 2] == 0x80, c == 0x82 { return true }
                if lead >= 0xE4, lead <= 0xE9 { return false }
            }
        }
        return endsSentenceByWalk(b, range)
    }

    /// `endsSentence` by the walk back over spaces and closing marks, decoding each character (the
    /// equivalence tests compare the fast answers with it).
    package static func endsSentenceByWalk(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        var end = range.upperBound
        let slice = b[range]
        while end > range.lowerBound {
            var start = end - 1
            while start > range.lowerBound && b[start] & 0xC0 == 0x80 { start -= 1 }
            let (s, _) = UTF8Validation.decode(slice, at: start)
            switch s {
            case 0x20, 0x09, 0xA0, 0x3000, 0x22, 0x27, 0x29, 0x5D, 0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x3011, 0x300B, 0xFF3D:
                end = start
                continue
            case 0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0x2E, 0x2026, 0xFF0E, 0xFF1B, 0x3B, 0xFF61:
                return true
            default:
                return false
            }
        }
        return false
    }
}

/// The ranges `TextScan.residualWords` skips, asked for the one holding each offset it reaches
/// (offsets in increasing order, so an answer may be found as the count goes).
package protocol WordExclusions {
    mutating func range(containing offset: Int) -> Range<Int>?
}
