import Foundation
import NewsLintCore

/// `front-matter-field`: a configurable schema for front-matter keys: required keys,
/// non-empty values, value types (string, list, string-or-list, bool, date, number), per-key regex and allowed values.
///
/// The defaults accept what Jekyll and Hugo accept (a space-separated string for `tags`, a post's
/// date taken from its `YYYY-MM-DD-` file name, Hugo's date keys); the `preset` config key selects
/// a generator's exact schema (see `FrontMatterPreset`).
public struct FrontMatterFieldRule: Rule, RuleWithOptions {
    public static let id = "front-matter-field"

    package enum ValueType: String, JSONStringEnum, Sendable { case string, list, stringOrList = "string-or-list", bool, date, number }

    /// Each required entry is one key or alternatives `date|publishDate` (any one satisfies it).
    package let required: [[String]]
    /// `required`, looked up by their common-key ids (`FrontMatterKey`).
    private let requiredKeys: [[FrontMatterKey]]
    package let nonEmpty: Bool
    package let types: [(key: String, type: ValueType)]
    /// The UTF-8 length of each `types` key, nil for a key outside ASCII: an ASCII entry key of
    /// another length is not that key (a `String ==` per typed key per entry showed in profiles).
    private let typeKeyASCIILengths: [Int?]
    /// The `types` keys, looked up by their common-key ids (`FrontMatterKey`).
    private let typeKeys: [FrontMatterKey]
    package let patterns: [(key: String, source: String, regex: NSRegularExpression)]
    package let allowed: [(key: String, values: [String])]
    package let dateFromFileName: Bool
    package let pages: SitePages

    public struct Options: Decodable, Sendable {
        package var required: [String]
        package var nonEmpty: Bool
        package var dateFromFileName: Bool
        package var pageFiles: [String]
        package var pageLayouts: [String]
        package var types: KeyedList<ValueType>
        package var patterns: KeyedList<String>
        package var allowed: KeyedList<[String]>
    }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        required = o.required.map { $0.split(separator: "|").map { $0.trimmingWhitespaces() } }
        requiredKeys = required.map { $0.map(FrontMatterKey.init) }
        nonEmpty = o.nonEmpty
        dateFromFileName = o.dateFromFileName
        pages = SitePages(files: o.pageFiles, layouts: o.pageLayouts, templates: false)
        types = o.types.entries.map { ($0.key, $0.value) }
        typeKeyASCIILengths = types.map { FrontMatter.isASCII($0.key) ? $0.key.utf8.count : nil }
        typeKeys = types.map { FrontMatterKey($0.key) }
        var patterns: [(String, String, NSRegularExpression)] = []
        for (key, source) in o.patterns.entries {
            if let problem = RegexSafety.problem(source) {
                throw RuleOptionError(option: "patterns.\(key)", message: "regular expression '\(source)' is refused: \(problem)")
            }
            do {
                // Anchored once here so alternations match the whole value (`news|newsletter`).
                patterns.append((key, source, try NSRegularExpression(pattern: "^(?:" + source + ")$")))
            } catch {
                throw RuleOptionError(option: "patterns.\(key)", message: "invalid regular expression '\(source)'")
            }
        }
        self.patterns = patterns
        allowed = o.allowed.entries.map { ($0.key, $0.value) }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let fm = document.frontMatter, fm.closeLine != nil else { return }
        // Site pages are asked about only when a required key is missing (most files have all):
        // the test reads the layout and matches the file name against the page globs.
        let lacksRequiredKey = requiredKeys.contains { alternatives in !alternatives.contains(where: { fm.contains($0) }) }
        if lacksRequiredKey, !pages.exempts(document) {
            for alternatives in required where !alternatives.contains(where: { fm.contains($0) }) {
                if dateFromFileName && alternatives.contains("date") && Self.pathSuppliesDate(document.path) { continue }
                let others = alternatives.dropFirst()
                let hint = others.isEmpty ? "" : " (or \(others.map { "'\($0)'" }.joined(separator: ", ")))"
                sink.report(line: fm.openLine, "front matter lacks required key '\(alternatives.first ?? "")'\(hint)")
            }
        }
        // Each entry read in place through the buffer and passed borrowed: `let entry = entries[i]`
        // copied every entry (its key and value retained and released, then destroyed).
        // A value holds `{{` only when the block's bytes hold a `{`, or a `\` of an escape that may
        // write one (`\x7B`); JSON's opening brace is one. Most blocks have neither: no value is scanned.
        let mayHoldBraces = fm.format == .json || Self.holdsBraceOrEscape(document.bytes, before: fm.bodyStart)
        // The first entry of each typed key, found once per block (`typedFirst`): an entry checked
        // is its key's first, so its configured type is that of the first typed key found at it.
        // (A lookup of the entry's key among the typed keys by string was ~150 instructions an entry.)
        // The closure is the function's last statement: its `return` on a spent budget ends the checks.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: types.count) { typedFirst in
            findTypedFirst(fm, into: typedFirst)
            fm.entries.withUnsafeBufferPointer { entries in
                for i in entries.indices {
                    if sink.budgetSpent(step: i + 1) { return }
                    // Check each key once (duplicates are front-matter-malformed's business); without
                    // duplicates every entry is its key's first.
                    if fm.hasDuplicateKeys {
                        guard let first = fm.index(of: entries[i].key), entries[first].line == entries[i].line else { continue }
                    }
                    checkEntry(document, fm, entries, at: i, typedFirst: UnsafeBufferPointer(typedFirst), mayHoldBraces: mayHoldBraces, into: &sink)
                }
            }
        }
    }

    /// The configured type of entry `i` of a block, the first entry of its key, given the first
    /// entry of each typed key in that block (`typedFirst`, -1 for none): the first typed key found
    /// at `i` is the first `types` entry `==` its key (`configuredType(of:keyIsASCII:)`).
    package func configuredType(ofEntry i: Int, typedFirst: UnsafeBufferPointer<Int>) -> ValueType? {
        for t in types.indices where typedFirst[t] == i { return types[t].type }
        return nil
    }

    /// The first entry of each typed key in `fm` (`configuredType(ofEntry:typedFirst:)`'s table), -1 for none.
    private func findTypedFirst(_ fm: FrontMatter, into typedFirst: UnsafeMutableBufferPointer<Int>) {
        for t in types.indices { typedFirst[t] = fm.index(of: typeKeys[t]) ?? -1 }
    }

    /// `findTypedFirst` as an array (for the tests).
    package func typedFirstEntries(_ fm: FrontMatter) -> [Int] {
        [Int](unsafeUninitializedCapacity: types.count) { buffer, count in
            findTypedFirst(fm, into: buffer)
            count = types.count
        }
    }

    /// The checks of one entry's value (emptiness, type, pattern, allowed values).
    /// The entry is read in place, field by field, in `entries` (`fm.entries`' storage): a copy of
    /// it retained its key, the document's bytes and its value.
    private func checkEntry(_ document: Document, _ fm: FrontMatter, _ entries: UnsafeBufferPointer<FrontMatterEntry>, at index: Int, typedFirst: UnsafeBufferPointer<Int>,
                            mayHoldBraces: Bool, into sink: inout DiagnosticSink) {
        // A scalar is read as its UTF-8 (a plain one in place, its string never made); the
        // others as they were built.
        let style = fm.scalarStyle(ofEntry: index)
        let isEmpty: Bool
        if style != nil {
            isEmpty = document.withFrontMatterScalarUTF8(ofEntry: index, Self.isBlank(utf8:)) ?? false
        } else {
            switch fm.value(ofEntry: index) {
            case .empty: isEmpty = true
            case let .list(items): isEmpty = items.isEmpty
            case .scalar, .mapping: isEmpty = false
            }
        }
        if isEmpty {
            if nonEmpty && required.contains(where: { $0.contains(entries[index].key) }) {
                sink.report(line: entries[index].line, column: entries[index].column, "required key '\(entries[index].key)' has an empty value")
            }
            return
        }
        // A `{{ … }}` placeholder (a Hugo archetype's `date = '{{ .Date }}'`) is filled in when
        // the page is created: it is a template, not a value to check.
        if mayHoldBraces, document.withFrontMatterScalarUTF8(ofEntry: index, Self.hasBracePair(bytes:)) == true, let text = fm.scalarText(ofEntry: index),
           text.contains("{{"), text.contains("}}") {
            return
        }
        if let type = configuredType(ofEntry: index, typedFirst: typedFirst), let problem = typeProblem(document, fm, entry: index, style: style, type) {
            sink.report(line: entries[index].line, column: entries[index].column, "'\(entries[index].key)' \(problem)")
            return
        }
        // Only keys with a pattern or allowed values have their texts gathered.
        guard patterns.contains(where: { $0.key == entries[index].key }) || allowed.contains(where: { $0.key == entries[index].key }) else { return }
        let texts: [String]
        switch fm.value(ofEntry: index) {
        case let .scalar(s, _): texts = [s]
        case let .list(items): texts = items
        default: texts = []
        }
        for p in patterns where p.key == entries[index].key {
            for t in texts {
                let search = RegexSafety.matches(p.regex, in: t, limit: sink.environment.regexSearchLimit, first: true)
                if !search.complete {
                    sink.noteAbandonedSearch()
                    sink.report(line: entries[index].line, column: entries[index].column, "'\(entries[index].key)' value could not be checked against the pattern \(p.source): \(RegexSafety.abandonedSearchNote)")
                } else if search.matches.isEmpty {
                    sink.report(line: entries[index].line, column: entries[index].column, "'\(entries[index].key)' value '\(t)' does not match the pattern \(p.source)")
                }
            }
        }
        for a in allowed where a.key == entries[index].key {
            for t in texts where !a.values.contains(t) {
                let hint = Suggest.hint(for: t, in: a.values)
                sink.report(line: entries[index].line, column: entries[index].column, "'\(entries[index].key)' value '\(t)' is not one of the allowed values (\(a.values.joined(separator: ", ")))\(hint)")
            }
        }
    }

    /// The configured type of `key` (the first `types` entry for it, by `String ==`): what
    /// `configuredType(ofEntry:typedFirst:)` answers (the tests compare the two).
    package func configuredType(of key: String, keyIsASCII: Bool) -> ValueType? {
        let length = keyIsASCII ? key.utf8.count : -1
        for t in types.indices {
            if keyIsASCII, let typeLength = typeKeyASCIILengths[t], typeLength != length { continue }
            if types[t].key == key { return types[t].type }
        }
        return nil
    }

    /// Whether `bytes` before `end` hold `{` or a backslash (eight bytes a step).
    package static func holdsBraceOrEscape(_ bytes: [UInt8], before end: Int) -> Bool {
        bytes.withUnsafeBytes { raw in
            let end = min(max(end, 0), raw.count)
            return ByteWords.firstIndex(of: UInt8(ascii: "{"), or: UInt8(ascii: "\\"), in: raw, from: 0, to: end) < end
        }
    }

    /// Whether every scalar of `text` is in `CharacterSet.whitespaces` (no NSString bridging per
    /// file). An ASCII scalar (only space and tab are in the set) and one from U+3001 to U+FFFF (CJK
    /// text, none in the set: U+3000 is its last member in the BMP) are answered in place: fetching
    /// the Foundation set for every value of every file was most of the test.
    package static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isBlankScalar)
    }

    /// `isBlank` of a string given as its UTF-8 (well-formed: a string's own bytes), decoded here a
    /// scalar at a time: most values answer at their first byte.
    package static func isBlank(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 {
                guard lead == 0x20 || lead == 0x09 else { return false }
                i += 1
                continue
            }
            // E4…EF lead the scalars U+4000…U+FFFF: none is blank (most titles start with one).
            if lead >= 0xE4 && lead <= 0xEF { return false }
            // A lead byte's high bits give the sequence's length and its own payload bits.
            let length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2)
            guard i + length <= bytes.count else { return false }
            var value = UInt32(lead) & (length == 4 ? 0x07 : (length == 3 ? 0x0F : 0x1F))
            for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
            guard let scalar = Unicode.Scalar(value), isBlankScalar(scalar) else { return false }
            i += length
        }
        return true
    }

    /// Whether `s` is in `CharacterSet.whitespaces` (see `isBlank`).
    @inline(__always)
    private static func isBlankScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return s.value == 0x20 || s.value == 0x09 }
        if s.value >= 0x3001 && s.value <= 0xFFFF { return false }
        return CharacterSet.whitespaces.contains(s)
    }

    /// Whether the UTF-8 holds both `{{` and `}}`: a byte prefilter for Foundation's `contains`
    /// (no canonical equivalent of a brace exists, so a text without the bytes never matches),
    /// which bridged every front-matter value of every file to NSString.
    /// On the string's contiguous bytes when it has them (every native string): the `UTF8View`
    /// iterator per byte of every value of every file was a visible share of the rule.
    package static func hasBracePair(_ text: String) -> Bool {
        if let answer = text.utf8.withContiguousStorageIfAvailable({ hasBracePair(bytes: $0) }) { return answer }
        return hasBracePair(bytes: text.utf8)
    }

    @inline(__always)
    package static func hasBracePair<Bytes: Sequence<UInt8>>(bytes: Bytes) -> Bool {
        var open = false, close = false
        var previous: UInt8 = 0
        for b in bytes {
            if b == previous {
                if b == UInt8(ascii: "{") { open = true } else if b == UInt8(ascii: "}") { close = true }
            }
            previous = b
        }
        return open && close
    }

    /// Jekyll dates a post by its `YYYY-MM-DD-` file-name prefix when front matter has no `date`,
    /// and a draft under `_drafts/` when it is published.
    package static func pathSuppliesDate(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        if parts.dropLast().contains("_drafts") { return true }
        guard let name = parts.last, name.utf8.count > 11, name.utf8.dropFirst(10).first == UInt8(ascii: "-") else { return false }
        return CalendarDate.fileNamePrefix(String(name)) != nil
    }

    /// YAML 1.1 booleans, as Jekyll's YAML reader (Psych) reads them; TOML and JSON have only true/false.
    private static let yamlBooleans: Set<String> = Set(["true", "false", "yes", "no", "on", "off"].flatMap { [$0, $0.capitalized, $0.uppercased()] })

    /// `typeProblem` of an entry whose scalar style is `style` (nil: not a scalar): a date is read
    /// from the scalar's UTF-8, and the value's string made only for a message or a bool or number.
    private func typeProblem(_ document: Document, _ fm: FrontMatter, entry i: Int, style: ScalarStyle?, _ type: ValueType) -> String? {
        guard style != nil else { return typeProblem(fm.value(ofEntry: i), type, format: fm.format) }
        switch type {
        case .string, .stringOrList: return nil
        case .list: return "should be a list"
        case .date:
            if case .some(.some) = document.withFrontMatterScalarUTF8(ofEntry: i, { CalendarDate.timestamp(utf8: $0) }) { return nil }
            return typeProblem(fm.value(ofEntry: i), type, format: fm.format)
        case .bool, .number: return typeProblem(fm.value(ofEntry: i), type, format: fm.format)
        }
    }

    package func typeProblem(_ value: FrontMatterValue, _ type: ValueType, format: FrontMatterFormat) -> String? {
        switch (type, value) {
        case (.string, .scalar): return nil
        case (.string, _): return "should be a single text value"
        case (.list, .list): return nil
        case (.list, _): return "should be a list"
        case (.stringOrList, .scalar), (.stringOrList, .list): return nil
        case (.stringOrList, _): return "should be a list or a text value"
        case (.bool, let .scalar(s, style)):
            let ok = style == .plain && (format == .yaml ? Self.yamlBooleans.contains(s) : ["true", "false"].contains(s))
            return ok ? nil : "should be true or false, found '\(s)'"
        case (.bool, _): return "should be true or false"
        case (.number, let .scalar(s, style)):
            return style == .plain && Double(s) != nil ? nil : "should be a number, found '\(s)'"
        case (.number, _): return "should be a number"
        case (.date, let .scalar(s, _)):
            return CalendarDate.timestamp(s.utf8) != nil ? nil : "value '\(s)' is not a valid date (expected YYYY-MM-DD, optionally with a time such as 2022-03-16 01:21:43.354111 or 2022-03-16T01:21:43+08:00)"
        case (.date, _): return "should be a date"
        }
    }
}
