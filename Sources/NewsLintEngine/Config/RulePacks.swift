import Foundation
import NewsLintCore
import NewsLintRules

/// Loads user rule packs (directories of JSON rule files named under `rulePacks`) into the catalog.
///
/// A pack rule is data: an id, a message, a severity, literal or regex patterns with a zone
/// (anywhere, header, footer, edges, front-matter key) and an optional fix (delete the line,
/// or replace the match). Each becomes a catalog entry plus a `Catalog.dynamicRules` factory.
public enum RulePackRegistry {
    package static let keys = ["$comment", "id", "summary", "message", "severity", "enabled", "zone", "key", "match", "category",
                       "patterns", "fix", "headerLines", "footerLines"]
    package static let fixKeys = ["action", "with", "applicability"]

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

    /// Parses one pack rule file. `catalog` is used to reject ids that already exist.
    package static func parse(_ text: String, file: String, catalog: Catalog) throws -> (RuleMetadata, PackRule.Definition) {
        let root: JSONNode
        do { root = try JSONParser.parse(text) } catch let e as JSONSyntaxError {
            throw CatalogError(file: file, position: e.position, message: "invalid JSON: \(e.message)")
        }
        guard let members = root.members else {
            throw CatalogError(file: file, position: root.position, message: "a rule pack file must be a JSON object describing one rule")
        }
        func fail(_ node: JSONNode?, _ message: String) -> CatalogError {
            CatalogError(file: file, position: (node ?? root).position, message: message)
        }
        for m in members where !keys.contains(m.key) {
            let hint = Suggest.closest(to: m.key, in: keys).map { "; did you mean '\($0)'?" } ?? "; valid keys: \(keys.dropFirst().joined(separator: ", "))"
            throw CatalogError(file: file, position: m.keyPosition, message: "unknown key '\(m.key)'\(hint)")
        }
        guard let idNode = root["id"] else { throw fail(root, "missing required key 'id'") }
        guard let id = idNode.string, !id.isEmpty,
              id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw fail(idNode, "'id' must be a non-empty string of lowercase letters, digits and '-'")
        }
        if let existing = catalog.metadata(id) {
            let whereFrom = existing.source.hasPrefix("Rules/") ? "a built-in rule" : "already defined in \(existing.source)"
            throw fail(idNode, "'id' '\(id)' is \(whereFrom); choose another id")
        }
        guard let messageNode = root["message"] else { throw fail(root, "missing required key 'message'") }
        guard let message = messageNode.string, !message.isEmpty else { throw fail(messageNode, "'message' must be a non-empty string") }
        var severity = Severity.warning
        if let s = root["severity"] {
            guard let text = s.string, let sev = Severity(rawValue: text) else {
                throw fail(s, "'severity' must be one of error, warning, info")
            }
            severity = sev
        }
        var enabled = true
        if let e = root["enabled"] {
            guard let b = e.bool else { throw fail(e, "'enabled' must be true or false") }
            enabled = b
        }
        var summary = message.replacingOccurrences(of: " '{match}'", with: "").replacingOccurrences(of: "{match}", with: "…")
        if let s = root["summary"] {
            guard let t = s.string, !t.isEmpty else { throw fail(s, "'summary' must be a non-empty string") }
            summary = t
        }
        func lines(_ key: String, _ fallback: Int) throws -> Int {
            guard let n = root[key] else { return fallback }
            guard let v = n.int, v >= 0 else { throw fail(n, "'\(key)' must be a whole number ≥ 0") }
            return v
        }
        var defaults = PatternParser.Defaults()
        defaults.category = root["category"]?.string ?? id
        defaults.zone = try PatternParser.zone(root["zone"], key: root["key"], file: file, path: "", fallback: .anywhere)
        defaults.mode = try PatternParser.mode(root["match"], file: file, path: "", fallback: .contains)
        guard let list = root["patterns"] else { throw fail(root, "missing required key 'patterns'") }
        let patterns = try PatternParser.parse(list, file: file, path: "patterns", defaults: defaults)

        var fix: PackRule.FixAction?
        if let f = root["fix"] {
            var action: String?
            var with: String?
            var applicability = Applicability.safe
            if let s = f.string {
                action = s
            } else if let fm = f.members {
                for m in fm where !fixKeys.contains(m.key) {
                    let hint = Suggest.closest(to: m.key, in: fixKeys).map { "; did you mean '\($0)'?" } ?? ""
                    throw CatalogError(file: file, position: m.keyPosition, message: "unknown key 'fix.\(m.key)'\(hint)")
                }
                guard let a = f["action"] else { throw fail(f, "'fix' needs 'action' (delete-line or replace)") }
                guard let s = a.string else { throw fail(a, "'fix.action' must be \"delete-line\" or \"replace\"") }
                action = s
                if let w = f["with"] {
                    guard let ws = w.string else { throw fail(w, "'fix.with' must be a string") }
                    with = ws
                }
                if let ap = f["applicability"] {
                    guard let s = ap.string, let v = Applicability(rawValue: s) else { throw fail(ap, "'fix.applicability' must be \"safe\" or \"unsafe\"") }
                    applicability = v
                }
            } else {
                throw fail(f, "'fix' must be \"delete-line\" or an object {\"action\": \"replace\", \"with\": \"…\"}")
            }
            switch action {
            case "delete-line":
                if let p = patterns.first(where: { if case .frontMatter = $0.zone { return true } else { return false } }) {
                    throw fail(f, "'fix' delete-line cannot delete a front-matter line (zone \(p.zone)); use {\"action\": \"replace\", \"with\": \"\"}")
                }
                fix = .deleteLine(applicability)
            case "replace":
                guard let with else { throw fail(f, "'fix.with' is required for the replace action") }
                fix = .replace(with, applicability)
            default:
                let hint = action.flatMap { Suggest.closest(to: $0, in: ["delete-line", "replace"]) }.map { "; did you mean '\($0)'?" } ?? ""
                throw fail(f["action"] ?? f, "'fix.action' must be \"delete-line\" or \"replace\"\(hint)")
            }
        }
        let definition = PackRule.Definition(
            message: message, patterns: patterns, fix: fix,
            headerLines: try lines("headerLines", 6), footerLines: try lines("footerLines", 8))
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

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Pack patterns are prose patterns: on HTML posts they report and fix visible text only.
        sink.restrictToVisibleText()
        for verdict in scanner.scan(document).body where verdict.owner == owner {
            guard let first = verdict.hits.first else { continue }
            var fix: Fix?
            var message = message(document, first)
            switch definition.fix {
            case let .deleteLine(a)?:
                if verdict.whole {
                    fix = Fix(a, "Delete the line", edits: [.delete(document.fullRange(ofLine: verdict.line))])
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
        for (_, all) in scanner.scan(document).frontMatter {
            let hits = all.filter { scanner.matcher.patterns[$0.pattern].owner == owner }
            guard let first = hits.first else { continue }
            sink.report(first.range, message(document, first), fix: replaceFix(hits))
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
    package typealias Result = (body: [LineVerdict], frontMatter: [(entry: FrontMatterEntry, hits: [PatternHit])])
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

    /// Hits of all pack rules in `document` (each rule keeps the verdicts it owns).
    package func scan(_ document: Document) -> Result {
        lock.lock()
        let cached = recent.first { $0.path == document.path && $0.bytes == document.bytes }?.result
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
            let result: Result = (matcher.scanBody(document, zonesByOwner: zones), matcher.scanFrontMatter(document))
            lock.lock()
            scans += 1
            if document.bytes.count <= Self.maxCachedBytes { recent.append((document.path, document.bytes, result)) }
            if recent.count > Self.cacheSize { recent.removeFirst() }
            lock.unlock()
            return result
        }
    }
}
