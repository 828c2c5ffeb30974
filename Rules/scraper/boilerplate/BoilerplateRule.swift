import Foundation
import NewsLintCore

/// The built-in pattern packs (`Rules/scraper/boilerplate/data/*.json`), parsed once per process.
package enum BuiltinPatterns {
    package struct Pack: Sendable {
        package var category: String
        package var message: String
    }

    package static let loaded: (patterns: [PatternSpec], packs: [Pack]) = {
        var patterns: [PatternSpec] = []
        var packs: [Pack] = []
        for (path, text) in EmbeddedFiles.all where path.hasPrefix("scraper/boilerplate/data/") && path.hasSuffix(".json") {
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

    package static let packKeys = ["$comment", "category", "message", "zone", "key", "match", "patterns"]

    package static func parsePack(_ text: String, file: String) throws -> (Pack, [PatternSpec]) {
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
        d.compileRegexes = false
        return (Pack(category: category, message: message), try PatternParser.parse(list, file: file, path: "patterns", defaults: d))
    }

    package static let matcher = PatternMatcher(patterns: loaded.patterns)
}

/// `boilerplate`: lines of scraper residue found by the built-in pattern packs.
public struct BoilerplateRule: Rule, RuleWithOptions {
    public static let id = "boilerplate"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true

    package let headerLines: Int
    package let footerLines: Int
    package let matcher: PatternMatcher
    package let messages: [String: String]
    /// Each category's message cut at its `{match}`s (`MessageTemplate`), made once.
    package let templates: [String: MessageTemplate]

    public struct Options: Decodable, Sendable {
        package var headerLines: Int
        package var footerLines: Int
        package var maxResidual: Int
        package var disabledCategories: [String]
    }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        headerLines = max(0, o.headerLines)
        footerLines = max(0, o.footerLines)
        let residual = max(0, o.maxResidual)
        let disabled = o.disabledCategories
        let known = BuiltinPatterns.loaded.packs.map(\.category)
        for c in disabled where !known.contains(c) {
            let hint = Suggest.hint(for: c, in: known, otherwise: "; categories: \(known.sorted().joined(separator: ", "))")
            throw RuleOptionError(option: "disabledCategories", message: "unknown category '\(c)'\(hint)")
        }
        let base = BuiltinPatterns.loaded.patterns.filter { !disabled.contains($0.category) }
        matcher = residual == BuiltinPatterns.matcher.maxResidual && disabled.isEmpty ? BuiltinPatterns.matcher : PatternMatcher(patterns: base, maxResidual: residual)
        var messages: [String: String] = [:]
        for p in BuiltinPatterns.loaded.packs { messages[p.category] = p.message }
        self.messages = messages
        templates = messages.mapValues(MessageTemplate.init)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // The zones' lines on the stack: 14 entries at the default zones (up to 128 fit in 1 KB).
        let room = ZoneLines.room(document, headerLines: headerLines, footerLines: footerLines)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: room) { storage in
            check(document, zones: ZoneLines(document, headerLines: headerLines, footerLines: footerLines, storage: storage), into: &sink)
        }
    }

    private func check(_ document: Document, zones: ZoneLines, into sink: inout DiagnosticSink) {
        var timedOut: [RegexTimeout] = []
        let searchLimit = sink.environment.regexSearchLimit
        let verdicts = matcher.scanBody(document, zoneLines: zones, stop: { sink.budgetSpent(step: $0, bytes: $1) },
                                        searchLimit: searchLimit, timedOut: { timedOut.append($0) })
        // A line a pattern's search gave up on was not checked against it: said, not passed over.
        for t in timedOut {
            sink.noteAbandonedSearch()
            sink.report(line: t.line, RegexTimeout.message(matcher.patterns[t.pattern]))
        }
        let residueLines = Set(verdicts.map(\.line))
        for (i, verdict) in verdicts.enumerated() {
            if sink.budgetSpent(step: i + 1) { return }
            guard let first = verdict.hits.first else { continue }
            let category = matcher.patterns[first.pattern].category
            let values = LineValues.of(document, verdict, matcher: matcher)
            // Labels of an event notice, a court record or a fact box (时间/地点/主讲人, 案件編號/法官):
            // the block is article content, not a page header.
            if values.labelled && LineValues.isInLabelledBlock(document, line: verdict.line, residue: residueLines) { continue }
            let matched = String(decoding: document.bytes[first.range], as: UTF8.self)
            var message = (templates[category] ?? Self.fallbackTemplate).filled(with: matched)
            var fix: Fix?
            if !verdict.whole {
                message += "; the line also carries article text, so it is not deleted automatically"
            } else if values.fields.isEmpty {
                // Nothing but labels, widgets, navigation and counters: wholly residue.
                fix = Fix(.safe, "Delete the boilerplate line", edit: .delete(document.fullRange(ofLine: verdict.line)))
            } else if document.frontMatter == nil {
                message += zones.isHeader(verdict.line)
                    ? "; kept for the metadata harvest (front-matter-missing, --fix --unsafe-fixes)"
                    : "; it carries \(values.describe) and the file has no front matter to keep it in"
            } else if let fm = document.frontMatter {
                (message, fix) = LineValues.moveFix(document, fm, line: verdict.line, values: values, message: message)
            }
            sink.report(first.range, message, fix: fix)
        }
    }
}

extension BoilerplateRule {
    package static let fallbackTemplate = MessageTemplate("scraper residue '{match}'")

    /// A pack message with `{match}` placeholders, cut at them once: an ASCII template is filled by
    /// joining its parts (Foundation's `replacingOccurrences`, per finding, cost some 39,000
    /// instructions); any other keeps `replacingOccurrences`, whose character-level search a
    /// combining mark next to a placeholder could change.
    package struct MessageTemplate: Sendable {
        let template: String
        /// The parts between placeholders, nil for a template with non-ASCII text.
        let parts: [String]?

        package init(_ template: String) {
            self.template = template
            let bytes = Array(template.utf8), placeholder = Array("{match}".utf8)
            guard bytes.allSatisfy({ $0 < 0x80 }) else { parts = nil; return }
            var parts: [String] = []
            var start = 0, i = 0
            while i + placeholder.count <= bytes.count {
                if bytes[i..<(i + placeholder.count)].elementsEqual(placeholder) {
                    parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                    i += placeholder.count
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(String(decoding: bytes[start...], as: UTF8.self))
            self.parts = parts
        }

        package func filled(with match: String) -> String {
            guard let parts else { return template.replacingOccurrences(of: "{match}", with: match) }
            return parts.joined(separator: match)
        }
    }
}

/// The values a boilerplate line carries: dates, names, credits and sources behind its labels.
/// A line with values is never deleted by a safe fix; at most an unsafe fix moves them into
/// the front matter.
package struct LineValues {
    /// Front-matter key and value of each label with a value, in line order.
    package var fields: [(key: String, value: String)] = []
    /// A metadata or source label opens the line (what an event or court block looks like too).
    package var labelled = false
    /// A value keeps markup inside (`新华社<br>记者`, a link): moving it would write markup into YAML.
    package var markup = false

    package var describe: String { fields.map { "\($0.key) '\($0.value)'" }.joined(separator: ", ") }

    /// Label → front-matter key. Counters (点击数, 浏览次数, 关注) carry no article value.
    package static let keys: [String: String] = {
        var k: [String: String] = [:]
        for l in MetadataHarvest.dateLabels { k[l] = "date" }
        for l in ["来源", "來源", "本文来源", "本文來源", "文章来源", "文章來源", "转载自", "轉載自"] { k[l] = "source" }
        for l in ["作者"] { k[l] = "author" }
        for l in ["编辑", "編輯", "责任编辑", "責任編輯"] { k[l] = "editor" }
        for l in ["审核", "審核", "审稿", "審稿"] { k[l] = "reviewer" }
        for l in ["摄影", "攝影"] { k[l] = "photographer" }
        for l in ["原文链接", "原文鏈接", "原文連結", "转入文章首发地址", "轉入文章首發地址", "阅读原文", "閱讀原文"] { k[l] = "source_url" }
        return k
    }()
    package static let counters: Set<String> = ["点击数", "點擊數", "点击", "點擊", "浏览次数", "瀏覽次數", "阅读次数", "閱讀次數", "关注", "關注"]
    /// Front-matter keys that already hold a source URL.
    package static let urlKeys = ["source_url", "link", "url", "original_url", "canonical_url"]

    package static func of(_ document: Document, _ v: LineVerdict, matcher: PatternMatcher) -> LineValues {
        var out = LineValues()
        let range = document.contentRange(ofLine: v.line)
        let hits = v.hits.sorted { $0.range.lowerBound < $1.range.lowerBound }
        for (i, hit) in hits.enumerated() {
            let category = matcher.patterns[hit.pattern].category
            guard category == "metadata" || category == "footer" else { continue }
            let label = MetadataHarvest.labelName(document.bytes[hit.range])
            if category == "metadata" { out.labelled = true }
            guard let key = keys[label] else { continue }
            let end = i + 1 < hits.count ? max(hit.range.upperBound, hits[i + 1].range.lowerBound) : range.upperBound
            let raw = String(decoding: document.bytes[hit.range.upperBound..<end], as: UTF8.self)
            // A superset of `MetadataHarvest.trimValue`'s set: colons and brackets go too.
            let trim = { (s: String) in s.trimmingScalars(in: " \t\u{a0}\u{3000}|/｜:：]()[") }
            // Without a trailing comment, closing tag or emphasis marks: those are not the value.
            let plain = MetadataHarvest.plainValue(raw, trim: trim)
            if plain == nil { out.markup = true }
            let value = plain ?? trim(raw)
            if key == "source_url" {
                // The source's address, or without a scheme its domain or name (`原文链接：人民网`): the
                // only attribution of the text, so it is moved, never deleted unseen.
                if let url = firstURL(plain ?? raw) {
                    out.fields.append((key, url))
                } else if !value.isEmpty {
                    let isAddress = value.unicodeScalars.allSatisfy { $0.isASCII && !$0.properties.isWhitespace } && value.contains(".")
                    out.fields.append((isAddress ? key : "source", value))
                }
                continue
            }
            guard !value.isEmpty else { continue }
            if key == "source" { out.labelled = true }
            out.fields.append((key, value))
        }
        return out
    }

    package static func firstURL(_ text: String) -> String? {
        guard let r = text.range(of: "http://") ?? text.range(of: "https://") else { return nil }
        let tail = text[r.lowerBound...]
        let url = tail.prefix { !$0.isWhitespace && $0 != ")" && $0 != "]" && $0 != ">" && $0 != "\"" }
        return url.isEmpty ? nil : String(url)
    }

    /// A `标签：值` line (2–6 Han characters and a colon opening a short line).
    package static func label(_ document: Document, _ n: Int) -> String? {
        let b = document.bytes
        let r = document.contentRange(ofLine: n)
        var i = TextScan.skipLeadingFiller(b, r)
        let start = i
        var count = 0
        while i + 2 < r.upperBound, b[i] >= 0xE4, b[i] <= 0xE9, count < 7 { i += 3; count += 1 }
        guard (2...6).contains(count), i < r.upperBound else { return nil }
        let colon = b[i] == UInt8(ascii: ":") || (i + 2 < r.upperBound && b[i] == 0xEF && b[i + 1] == 0xBC && b[i + 2] == 0x9A)
        guard colon, TextScan.scalarCount(b, r) <= 60 else { return nil }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// Whether a `label：value` line sits among labelled lines the packs do not know
    /// (地点, 主讲人, 费用, 案件編號, 法官 …) or carries such a label itself: a notice, not a header.
    package static func isInLabelledBlock(_ document: Document, line n: Int, residue: Set<Int>) -> Bool {
        guard let body = document.bodyLines else { return false }
        if hasUnknownLabel(document, n) { return true }
        for step in [-1, 1] {
            var m = n + step
            var seen = 0
            while body.contains(m) && seen < 2 {
                defer { m += step }
                if TextScan.isBlank(document.bytes, document.contentRange(ofLine: m)) { continue }
                seen += 1
                // Other residue lines (a breadcrumb's 当前位置：) are the header, not a notice.
                if residue.contains(m) { continue }
                if let l = label(document, m), !isKnownLabel(l) { return true }
            }
        }
        return false
    }

    package static func isKnownLabel(_ l: String) -> Bool {
        keys.keys.contains { l.hasSuffix($0) } || counters.contains { l.hasSuffix($0) }
    }

    /// A colon after 2+ Han characters on the line whose label the packs do not know.
    package static func hasUnknownLabel(_ document: Document, _ n: Int) -> Bool {
        let text = document.lineText(n)
        let scalars = Array(text.unicodeScalars)
        for (i, c) in scalars.enumerated() where c == ":" || c == "：" {
            var j = i
            while j > 0, (0x4E00...0x9FFF).contains(scalars[j - 1].value) { j -= 1 }
            guard i - j >= 2 else { continue }
            let run = String(String.UnicodeScalarView(scalars[j..<i]))
            if !isKnownLabel(run) { return true }
        }
        return false
    }

    /// Compares the values with the front matter: redundant values may go with the line (unsafe),
    /// missing ones are moved into the front matter (unsafe), a different value blocks any fix.
    package static func moveFix(_ document: Document, _ fm: FrontMatter, line: Int, values: LineValues, message base: String) -> (String, Fix?) {
        var missing: [(String, String)] = []
        var conflicts: [String] = []
        var upgrades: [Edit] = []
        for (key, value) in values.fields {
            if key == "source_url" {
                if urlKeys.contains(where: { fm.string($0) == value }) { continue }
                if fm.entry(key) != nil { conflicts.append(key) } else { missing.append((key, value)) }
                continue
            }
            let normalized = key == "date" ? MetadataHarvest.date(in: value) : value
            if let have = fm.string(key) {
                if let normalized, have == normalized || (key == "date" && have.hasPrefix(normalized)) { continue }
                // The line has the time the front-matter date lacks: the move makes the date precise.
                if key == "date", let normalized, normalized.hasPrefix(have + " "), fm.format == .yaml,
                   let r = fm.entry(key)?.valueRange, document.bytes[r].elementsEqual(have.utf8) {
                    upgrades.append(Edit(range: r, replacement: Array(normalized.utf8)))
                    continue
                }
                conflicts.append(key)
            } else if let normalized, !missing.contains(where: { $0.0 == key }) {
                missing.append((key, normalized))
            } else {
                conflicts.append(key)
            }
        }
        let carries = "; it carries \(values.describe)"
        if values.markup {
            return (base + carries + ", with markup in a value, so it is not moved automatically", nil)
        }
        if !conflicts.isEmpty {
            return (base + carries + ", and the front matter has a different '\(conflicts.joined(separator: "', '"))'", nil)
        }
        let delete = Edit.delete(document.fullRange(ofLine: line))
        if missing.isEmpty && !upgrades.isEmpty {
            return (base + carries + "; the front-matter date has no time", Fix(.unsafe, "Move the time into the front-matter date", edits: upgrades + [delete]))
        }
        if missing.isEmpty {
            return (base + carries + ", already in the front matter", Fix(.unsafe, "Delete the line (its values are in the front matter)", edit: delete))
        }
        guard fm.format == .yaml, let close = fm.closeLine else {
            return (base + carries + "; the front matter has no '\(missing.map(\.0).joined(separator: "', '"))'", nil)
        }
        let nl = String(decoding: document.preferredNewline, as: UTF8.self)
        let block = missing.map { "\($0.0): \(MetadataHarvest.yamlScalar($0.1))" + nl }.joined()
        let insert = Edit.insert(block, at: document.fullRange(ofLine: close).lowerBound)
        return (base + carries + "; the front matter has no '\(missing.map(\.0).joined(separator: "', '"))'",
                Fix(.unsafe, "Move the line's values into the front matter", edits: upgrades + [insert, delete]))
    }

}
