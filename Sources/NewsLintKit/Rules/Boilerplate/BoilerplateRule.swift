import Foundation

/// The built-in pattern packs (`Rules/data/boilerplate/*.json`), parsed once per process.
enum BuiltinPatterns {
    struct Pack: Sendable {
        var category: String
        var message: String
    }

    static let loaded: (patterns: [PatternSpec], packs: [Pack]) = {
        var patterns: [PatternSpec] = []
        var packs: [Pack] = []
        for (path, text) in EmbeddedFiles.all where path.hasPrefix("data/boilerplate/") && path.hasSuffix(".json") {
            do {
                let (pack, specs) = try parsePack(text, file: "Rules/" + path)
                packs.append(pack)
                patterns += specs
            } catch {
                // Validated by tests; a broken embedded table is a build defect.
                fatalError("embedded boilerplate pack is invalid: \(error)")
            }
        }
        return (patterns, packs)
    }()

    static let packKeys = ["$comment", "category", "message", "zone", "key", "match", "patterns"]

    static func parsePack(_ text: String, file: String) throws -> (Pack, [PatternSpec]) {
        let root: JSONNode
        do { root = try JSONParser.parse(text) } catch let e as JSONSyntaxError {
            throw CatalogError(file: file, position: e.position, message: e.message)
        }
        guard let members = root.members else { throw CatalogError(file: file, position: root.position, message: "expected an object") }
        for m in members where !packKeys.contains(m.key) {
            throw CatalogError(file: file, position: m.keyPosition, message: "unknown key '\(m.key)'")
        }
        guard let category = root["category"]?.string, let message = root["message"]?.string, let list = root["patterns"] else {
            throw CatalogError(file: file, position: root.position, message: "a pattern pack needs 'category', 'message' and 'patterns'")
        }
        var d = PatternParser.Defaults()
        d.category = category
        d.zone = try PatternParser.zone(root["zone"], key: root["key"], file: file, path: "", fallback: .anywhere)
        d.mode = try PatternParser.mode(root["match"], file: file, path: "", fallback: .contains)
        return (Pack(category: category, message: message), try PatternParser.parse(list, file: file, path: "patterns", defaults: d))
    }

    static let matcher = PatternMatcher(patterns: loaded.patterns)
}

/// `boilerplate`: lines of scraper residue found by the built-in pattern packs.
public struct BoilerplateRule: Rule {
    public static let id = "boilerplate"

    let headerLines: Int
    let footerLines: Int
    let matcher: PatternMatcher
    let messages: [String: String]

    public init(options: RuleOptions) throws {
        headerLines = max(0, options.int("headerLines", 6))
        footerLines = max(0, options.int("footerLines", 8))
        let residual = max(0, options.int("maxResidual", 24))
        let disabled = options.strings("disabledCategories", [])
        let known = BuiltinPatterns.loaded.packs.map(\.category)
        for c in disabled where !known.contains(c) {
            let hint = Suggest.closest(to: c, in: known).map { "; did you mean '\($0)'?" } ?? "; categories: \(known.sorted().joined(separator: ", "))"
            throw RuleOptionError(option: "disabledCategories", message: "unknown category '\(c)'\(hint)")
        }
        let base = BuiltinPatterns.loaded.patterns.filter { !disabled.contains($0.category) }
        matcher = residual == 24 && disabled.isEmpty ? BuiltinPatterns.matcher : PatternMatcher(patterns: base, maxResidual: residual)
        var messages: [String: String] = [:]
        for p in BuiltinPatterns.loaded.packs { messages[p.category] = p.message }
        self.messages = messages
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let zones = DocumentZones(document, headerLines: headerLines, footerLines: footerLines)
        for verdict in matcher.scanBody(document, zones: zones) {
            guard let first = verdict.hits.first else { continue }
            let category = matcher.patterns[first.pattern].category
            let matched = String(decoding: document.bytes[first.range], as: UTF8.self)
            var message = (messages[category] ?? "scraper residue '{match}'").replacingOccurrences(of: "{match}", with: matched)
            var fix: Fix?
            if !verdict.whole {
                message += "; the line also carries article text, so it is not deleted automatically"
            } else if document.frontMatter == nil && zones.header.contains(verdict.line)
                        && (verdict.hits.contains { matcher.patterns[$0.pattern].category == "metadata" } || MetadataHarvest.date(in: document.lineText(verdict.line)) != nil) {
                // Deleting it would lose metadata the file has nowhere else.
                message += "; kept for the metadata harvest (front-matter-missing, --fix --unsafe-fixes)"
            } else if let fm = document.frontMatter,
                      case let missing = MetadataHarvest.fields(document, verdict, matcher: matcher).map(\.key).filter({ fm.entry($0) == nil }),
                      !missing.isEmpty {
                // The front matter lacks what this line says: deleting it loses data, so only with --unsafe-fixes.
                message += "; the front matter has no '\(missing.joined(separator: "', '"))'"
                fix = Fix(.unsafe, "Delete the boilerplate line (its metadata is not in the front matter)", edits: [.delete(document.fullRange(ofLine: verdict.line))])
            } else {
                fix = Fix(.safe, "Delete the boilerplate line", edits: [.delete(document.fullRange(ofLine: verdict.line))])
            }
            sink.report(first.range, message, fix: fix)
        }
    }
}
