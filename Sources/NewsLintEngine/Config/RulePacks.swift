import Foundation
import NewsLintCore
import NewsLintRules

/// Loads user rule packs (directories of JSON rule files named under `rulePacks`) into the catalog.
///
/// A pack rule is data: an id, a message, a severity, literal or regex patterns with a zone
/// (anywhere, header, footer, edges, front-matter key) and an optional fix (delete the line,
/// or replace the match). Each becomes a catalog entry plus a `Catalog.dynamicRules` factory.
public enum RulePackRegistry {
    /// Loads every `*.json` in `path` (a directory, searched recursively, or a single file) into `catalog`.
    public static func load(path: String, into catalog: inout Catalog) throws {
        var isDir: ObjCBool = false
        guard SystemPath.exists(path, isDirectory: &isDir) else {
            throw ConfigError(file: path, message: "rule pack does not exist")
        }
        let files = packFiles(path)
        // Packs loaded earlier (other `rulePacks` entries) join the new ones behind one automaton.
        var definitions: [(id: String, definition: PackRule.Definition)] = []
        for (id, factory) in catalog.dynamicRules {
            if let rule = try? factory(RuleOptions()) as? PackRule { definitions.append((id, rule.scanner.definitions[rule.owner])) }
        }
        for file in files {
            guard let data = SystemPath.contents(file) else {
                throw CatalogError(file: file, position: nil, message: "cannot read the rule pack file")
            }
            let (meta, definition) = try parse(String(decoding: data, as: UTF8.self), file: file, catalog: catalog)
            catalog.add([meta])
            definitions.append((meta.id, definition))
        }
        definitions.sort { $0.id < $1.id }
        let scanner = PackScanner(definitions.map(\.definition))
        for (owner, entry) in definitions.enumerated() {
            catalog.dynamicRules[entry.id] = { _ in PackRule(scanner: scanner, owner: owner) }
        }
    }

    /// The rule files of a pack: `path` itself, or every `*.json` below it (subdirectories included), sorted.
    package static func packFiles(_ path: String) -> [String] {
        var isDir: ObjCBool = false
        guard SystemPath.exists(path, isDirectory: &isDir), isDir.boolValue else { return [path] }
        // Listed byte-exactly (SystemPath), so a pack under a directory whose name is not UTF-8 loads.
        var files: [String] = []
        func walk(_ dir: String, depth: Int) {
            guard depth < 64 else { return }
            for (name, kind) in DirectoryReader.entries(dir) ?? [] where !name.hasPrefix(".") {
                let child = dir + "/" + name
                // Symlinked directories are not followed (as FileManager's enumerator did not).
                var st = FileStatus()
                if kind == .directory || (kind == .other && SystemPath.lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR) {
                    walk(child, depth: depth + 1)
                } else if name.hasSuffix(".json") {
                    files.append(child)
                }
            }
        }
        walk(path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path, depth: 0)
        return files.sorted()
    }

    /// A digest of every file a pack loads (names and contents), for cache keys.
    package static func contentDigest(_ path: String) -> String {
        var h = StableHash.fnv1a64(path)
        for f in packFiles(path) {
            h = (h &* 0x0000_0100_0000_01B3) ^ StableHash.fnv1a64(f)
            h = (h &* 0x0000_0100_0000_01B3) ^ FastHash.hash((SystemPath.contents(f) ?? []))
        }
        return StableHash.hex(h)
    }

    /// The shape of a pack rule file, as the decoder checks it (keys, types, positions). Zones, match
    /// modes and patterns are read by `PatternParser`, shared with the built-in pattern packs.
    package struct PackFile: Decodable {
        package enum CodingKeys: String, CodingKey, CaseIterable {
            case id, summary, message, severity, enabled, zone, key, match, category, patterns, fix, headerLines, footerLines
        }
        package var id: Located<String>
        package var summary: Located<String>?
        package var message: Located<String>
        package var severity: Located<String>?
        package var enabled: Bool?
        package var zone: JSONNode?
        package var key: JSONNode?
        package var match: JSONNode?
        package var category: String?
        package var patterns: JSONNode
        package var fix: Located<FixSpec>?
        package var headerLines: UInt?
        package var footerLines: UInt?
    }

    /// `"delete-line"`, or `{"action": "replace", "with": "…", "applicability": "unsafe"}`.
    package struct FixSpec: Decodable {
        package struct Object: Decodable {
            package enum CodingKeys: String, CodingKey, CaseIterable { case action, with, applicability }
            package var action: Located<String>
            package var with: String?
            package var applicability: Located<String>?
        }
        package var action: Located<String>
        package var with: String?
        package var applicability: Located<String>?

        package init(from decoder: any Decoder) throws {
            let node = try JSONNode(from: decoder)
            if node.string != nil {
                action = try Located(from: decoder)
            } else if node.members != nil {
                let o = try Object(from: decoder)
                (action, with, applicability) = (o.action, o.with, o.applicability)
            } else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "'fix' must be \"delete-line\" or an object {\"action\": \"replace\", \"with\": \"…\"}"))
            }
        }
    }

    /// Parses one pack rule file. `catalog` is used to reject ids that already exist.
    package static func parse(_ text: String, file: String, catalog: Catalog) throws -> (RuleMetadata, PackRule.Definition) {
        let decoder = JSONNodeDecoder(file: file)
        let root = try decoder.parse(Array(text.utf8))
        guard root.members != nil else {
            throw CatalogError(file: file, position: root.position, message: "a rule pack file must be a JSON object describing one rule")
        }
        let pack = try decoder.decode(PackFile.self, from: root)
        func fail(_ position: SourcePosition, _ message: String) -> CatalogError {
            CatalogError(file: file, position: position, message: message)
        }
        let id = pack.id.value
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw fail(pack.id.position, "'id' must be a non-empty string of lowercase letters, digits and '-'")
        }
        if let existing = catalog.metadata(id) {
            let whereFrom = existing.source.hasPrefix("Rules/") ? "a built-in rule" : "already defined in \(existing.source)"
            throw fail(pack.id.position, "'id' '\(id)' is \(whereFrom); choose another id")
        }
        let message = pack.message.value
        guard !message.isEmpty else { throw fail(pack.message.position, "'message' must be a non-empty string") }
        var severity = Severity.warning
        if let s = pack.severity {
            guard let sev = Severity(rawValue: s.value) else {
                throw fail(s.position, "'severity' must be one of error, warning, info" + Suggest.hint(for: s.value, in: Severity.allCases.map(\.rawValue)))
            }
            severity = sev
        }
        let enabled = pack.enabled ?? true
        var summary = message.replacingOccurrences(of: " '{match}'", with: "").replacingOccurrences(of: "{match}", with: "…")
        if let s = pack.summary {
            guard !s.value.isEmpty else { throw fail(s.position, "'summary' must be a non-empty string") }
            summary = s.value
        }
        var defaults = PatternParser.Defaults()
        defaults.category = pack.category ?? id
        // The pack's zone, match mode and patterns are checked together: a bad zone hid an unsafe
        // regex of the same file until the zone was mended.
        var errors: [CatalogError] = []
        defaults.zone = JSONNodeDecoder.collect(&errors, file: file) { try PatternParser.zone(pack.zone, key: pack.key, file: file, path: "", fallback: .anywhere) } ?? .anywhere
        defaults.mode = JSONNodeDecoder.collect(&errors, file: file) { try PatternParser.mode(pack.match, file: file, path: "", fallback: .contains) } ?? .contains
        let patterns = JSONNodeDecoder.collect(&errors, file: file) { try PatternParser.parse(pack.patterns, file: file, path: "patterns", defaults: defaults) } ?? []
        try CatalogError.throwIfAny(errors)

        var fix: PackRule.FixAction?
        if let f = pack.fix {
            var applicability = Applicability.safe
            if let ap = f.value.applicability {
                guard let v = Applicability(rawValue: ap.value) else { throw fail(ap.position, "'fix.applicability' must be \"safe\" or \"unsafe\"") }
                applicability = v
            }
            switch f.value.action.value {
            case "delete-line":
                if let p = patterns.first(where: { if case .frontMatter = $0.zone { return true } else { return false } }) {
                    throw fail(f.position, "'fix' delete-line cannot delete a front-matter line (zone \(p.zone)); use {\"action\": \"replace\", \"with\": \"\"}")
                }
                fix = .deleteLine(applicability)
            case "replace":
                guard let with = f.value.with else { throw fail(f.position, "'fix.with' is required for the replace action") }
                fix = .replace(with, applicability)
            case let action:
                throw fail(f.value.action.position, "'fix.action' must be \"delete-line\" or \"replace\"" + Suggest.hint(for: action, in: ["delete-line", "replace"]))
            }
        }
        let definition = PackRule.Definition(
            message: message, patterns: patterns, fix: fix,
            headerLines: Int(pack.headerLines ?? 6), footerLines: Int(pack.footerLines ?? 8))
        let fixable: Fixability = fix.map { $0.applicability == .safe ? .safe : .unsafe } ?? .none
        let meta = RuleMetadata(id: id, family: "pack", summary: summary,
                                rationale: "User rule pack rule from \(file) (\(patterns.count) pattern\(patterns.count == 1 ? "" : "s")).",
                                severity: severity, enabledByDefault: enabled, fixable: fixable, options: [], good: [], bad: [], source: file)
        return (meta, definition)
    }
}

/// A rule defined by a user rule pack.
public struct PackRule: Rule {
    public static let id = "pack"

    package enum FixAction: Sendable {
        case deleteLine(Applicability)
        case replace(String, Applicability)
        package var applicability: Applicability {
            switch self {
            case let .deleteLine(a), let .replace(_, a): return a
            }
        }
    }

    package struct Definition: Sendable {
        package var message: String
        package var patterns: [PatternSpec]
        package var fix: FixAction?
        package var headerLines: Int
        package var footerLines: Int
    }

    package let scanner: PackScanner
    package let owner: Int
    package var definition: Definition { scanner.definitions[owner] }

    package init(scanner: PackScanner, owner: Int) {
        self.scanner = scanner
        self.owner = owner
    }

    public init(options: RuleOptions) throws {
        throw RuleOptionError(option: "patterns", message: "pack rules are built from their rule pack file")
    }

    package func message(_ document: Document, _ hit: PatternHit) -> String {
        definition.message.replacingOccurrences(of: "{match}", with: String(decoding: document.bytes[hit.range], as: UTF8.self))
    }

    package func replaceFix(_ hits: [PatternHit]) -> Fix? {
        guard case let .replace(with, a) = definition.fix else { return nil }
        var edits: [Edit] = []
        var last = -1
        for h in hits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where h.range.lowerBound >= last {
            edits.append(Edit(range: h.range, replacement: with))
            last = h.range.upperBound
        }
        return Fix(a, "Replace the match", edits: edits)
    }

    /// Pack patterns are prose patterns: on HTML posts they report and fix visible text only.
    public static let readsProse = true

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // The file's time budget stops the scan (the engine then reports the file partly checked).
        let searchLimit = sink.environment.regexSearchLimit
        let scan = scanner.scan(document, searchLimit: searchLimit, stop: { sink.budgetSpent(step: $0, bytes: $1) })
        for verdict in scan.body where verdict.owner == owner {
            guard let first = verdict.hits.first else { continue }
            var fix: Fix?
            var message = message(document, first)
            switch definition.fix {
            case let .deleteLine(a)?:
                if verdict.whole {
                    fix = Fix(a, "Delete the line", edit: .delete(document.fullRange(ofLine: verdict.line)))
                } else {
                    message += " (the line also carries other text, so it is not deleted automatically)"
                }
            case .replace?:
                fix = replaceFix(verdict.hits)
            case nil:
                break
            }
            sink.report(first.range, message, fix: fix)
        }
        for (_, all) in scan.frontMatter {
            let hits = all.filter { scanner.matcher.patterns[$0.pattern].owner == owner }
            guard let first = hits.first else { continue }
            sink.report(first.range, message(document, first), fix: replaceFix(hits))
        }
        for t in scan.timedOut where scanner.matcher.patterns[t.pattern].owner == owner {
            sink.noteAbandonedSearch()
            sink.report(line: t.line, RegexTimeout.message(scanner.matcher.patterns[t.pattern]))
        }
    }
}

/// The patterns of every user pack rule behind one Aho-Corasick automaton. The first pack
/// rule that checks a document scans it once for all pack rules; the others read the result
/// from a small cache keyed by the document's bytes (the same array buffer, so the lookup is
/// O(1); the cache holds the buffer, so it cannot be confused with a later document).
package final class PackScanner: @unchecked Sendable {
    package let definitions: [PackRule.Definition]
    package let matcher: PatternMatcher
    private let lock = NSLock()
    package typealias Result = (body: [LineVerdict], frontMatter: [(entry: FrontMatterEntry, hits: [PatternHit])], timedOut: [RegexTimeout])
    private var recent: [(path: String, bytes: [UInt8], result: Result)] = []
    /// Enough entries for every worker's current document; large files are not kept (memory).
    private static let cacheSize = max(4, 2 * activeCoreCount)
    private static let maxCachedBytes = 4 << 20
    /// Documents scanned so far (tests check that several pack rules share one scan).
    package private(set) var scans = 0

    package init(_ definitions: [PackRule.Definition]) {
        self.definitions = definitions
        var patterns: [PatternSpec] = []
        for (owner, d) in definitions.enumerated() {
            for var p in d.patterns {
                p.owner = owner
                patterns.append(p)
            }
        }
        matcher = PatternMatcher(patterns: patterns)
    }

    /// Hits of all pack rules in `document` (each rule keeps the verdicts it owns), and the
    /// regex searches given up on. `stop` as `PatternMatcher.scanBody`'s: a scan it ends early
    /// is returned but not kept for the other pack rules (it is not the whole answer).
    /// `searchLimit`: each regex search's (`LintEnvironment.regexSearchLimit`, one a run).
    package func scan(_ document: Document, searchLimit: TimeInterval = RegexSafety.searchLimit,
                      stop: (Int, Int) -> Bool = { _, _ in false }) -> Result {
        lock.lock()
        let cached = recent.first { $0.path.hasSameBytes(as: document.path) && $0.bytes == document.bytes }?.result
        lock.unlock()
        if let cached { return cached }
        do {
            var byShape: [[Int]: DocumentZones] = [:]
            let zones = definitions.map { d -> DocumentZones in
                if let z = byShape[[d.headerLines, d.footerLines]] { return z }
                let z = DocumentZones(document, headerLines: d.headerLines, footerLines: d.footerLines)
                byShape[[d.headerLines, d.footerLines]] = z
                return z
            }
            var timedOut: [RegexTimeout] = []
            var stopped = false
            let body = matcher.scanBody(document, zonesByOwner: zones, stop: { line, bytes in
                if stop(line, bytes) { stopped = true }
                return stopped
            }, searchLimit: searchLimit, timedOut: { timedOut.append($0) })
            let frontMatter = matcher.scanFrontMatter(document, searchLimit: searchLimit) { timedOut.append($0) }
            let result: Result = (body, frontMatter, timedOut)
            if stopped { return result }
            lock.lock()
            scans += 1
            if document.bytes.count <= Self.maxCachedBytes { recent.append((document.path, document.bytes, result)) }
            if recent.count > Self.cacheSize { recent.removeFirst() }
            lock.unlock()
            return result
        }
    }
}
