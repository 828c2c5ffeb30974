import Foundation

/// Front-matter syntaxes recognised at the top of a file.
public enum FrontMatterFormat: String, Sendable, Codable {
    case yaml, toml, json
}

/// How a scalar was written; plain scalars may be booleans, numbers or dates.
public enum ScalarStyle: String, Sendable {
    case plain, singleQuoted, doubleQuoted, literalBlock, foldedBlock
}

/// The value of one top-level front-matter key.
public enum FrontMatterValue: Sendable, Equatable {
    /// `key:` with nothing after it and no nested content.
    case empty
    case scalar(String, ScalarStyle)
    case list([String])
    /// A nested mapping or other structure newslint does not interpret.
    case mapping

    /// The scalar text, if this is a scalar.
    public var scalarText: String? {
        if case let .scalar(s, _) = self { return s }
        return nil
    }
}

/// One top-level key of the front matter.
public struct FrontMatterEntry: Sendable {
    public var key: String
    /// 1-based line of the key.
    public var line: Int
    /// 1-based column of the key.
    public var column: Int
    /// The value. A one-line plain scalar is kept as its bytes in the document and its `String`
    /// made here, when asked: the rules read most values only to compare, search or measure them
    /// (`withScalarUTF8`), and the string built for every value of every file was ~260 instructions
    /// of the ~1,450 an entry cost to parse.
    public var value: FrontMatterValue {
        get { plainText.map { .scalar($0.string, .plain) } ?? builtValue }
        set { builtValue = newValue; plainText = nil }
    }
    /// Byte range of the value text on the key's line (for scalar values; used by fixes).
    public var valueRange: Range<Int>?
    /// Byte range of the whole entry, from the key's line start to the end of its last line (terminator included).
    public var entryRange: Range<Int>
    /// The value as the parser built it; `.empty` when `plainText` holds it.
    @usableFromInline var builtValue: FrontMatterValue
    /// A plain scalar's text in the document's bytes, when the value is one (else nil).
    @usableFromInline var plainText: PlainScalarBytes?

    public init(key: String, line: Int, column: Int, value: FrontMatterValue, valueRange: Range<Int>?, entryRange: Range<Int>) {
        self.key = key
        self.line = line
        self.column = column
        self.builtValue = value
        self.plainText = nil
        self.valueRange = valueRange
        self.entryRange = entryRange
    }

    /// An entry whose value is the plain scalar written at `text` in `bytes`, which must be
    /// well-formed UTF-8 (its string is then exactly those bytes, as `String(repairingUTF8:)`
    /// would make it).
    package init(key: String, line: Int, column: Int, plainText text: Range<Int>, in bytes: [UInt8], valueRange: Range<Int>?, entryRange: Range<Int>) {
        self.key = key
        self.line = line
        self.column = column
        self.builtValue = .empty
        self.plainText = PlainScalarBytes(bytes: bytes, range: text)
        self.valueRange = valueRange
        self.entryRange = entryRange
    }

    /// The scalar's style, nil when the value is not a scalar (no string made).
    public var scalarStyle: ScalarStyle? {
        if plainText != nil { return .plain }
        if case let .scalar(_, style) = builtValue { return style }
        return nil
    }

    /// Whether the value is a scalar kept as document bytes, its string not made until asked (for the tests).
    package var keepsScalarAsBytes: Bool { plainText != nil }

    /// `body` of the scalar's UTF-8, exactly `value.scalarText`'s bytes; nil when the value is not
    /// a scalar. A plain scalar's bytes are lent in place from the document, no string made.
    @inlinable @discardableResult
    public func withScalarUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        if let text = plainText { return try text.withUTF8(body) }
        guard case let .scalar(string, _) = builtValue else { return nil }
        var copy = string
        return try copy.withUTF8(body)
    }
}

/// A plain scalar's text as a range of the document's bytes (well-formed UTF-8).
@usableFromInline
struct PlainScalarBytes: Sendable {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let range: Range<Int>

    @usableFromInline var string: String {
        withUTF8 { String(knownValidUTF8: $0) ?? String(decoding: $0, as: UTF8.self) }
    }

    /// `body` of the text's bytes, lent in place.
    @inlinable
    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

/// A syntax problem found while reading front matter.
public struct FrontMatterProblem: Sendable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// The front-matter block of a document.
public struct FrontMatter: Sendable {
    public var format: FrontMatterFormat
    /// Line of the opening delimiter (1 unless displaced by leading blank lines).
    public var openLine: Int
    /// Line of the closing delimiter, or nil when the block is never closed.
    public var closeLine: Int?
    /// Byte offset and line where the body begins.
    public var bodyStart: Int
    public var bodyStartLine: Int
    public var entries: [FrontMatterEntry] {
        didSet {
            firstIndex = Self.index(entries)
            keysAreASCII = Self.allKeysASCII(entries)
            hasDuplicateKeys = Self.anyDuplicateKeys(entries, keysAreASCII: keysAreASCII)
            commonFirst = CommonKeySlots(entries)
        }
    }
    public var problems: [FrontMatterProblem]
    /// Index of the first entry of each key when there are many (a rule looking up every key of a
    /// 100k-key block would otherwise be quadratic); nil for the usual handful, scanned directly.
    private var firstIndex: [String: Int]?
    /// Whether every key is ASCII: only then do different UTF-8 lengths mean different keys
    /// (`String ==` is canonical equivalence: `café` precomposed equals `cafe` + U+0301, and
    /// U+212A KELVIN SIGN equals `K`).
    @usableFromInline package private(set) var keysAreASCII: Bool
    /// Whether some key is written twice (by `String ==`): without, every entry is its key's first,
    /// and a rule checking each key once needs no lookup per entry.
    package private(set) var hasDuplicateKeys: Bool
    /// The first entry of each common key (`YAMLSubset.commonKeys`), for lookups by `FrontMatterKey`.
    @usableFromInline var commonFirst: CommonKeySlots

    public init(format: FrontMatterFormat, openLine: Int, closeLine: Int?, bodyStart: Int, bodyStartLine: Int,
                entries: [FrontMatterEntry], problems: [FrontMatterProblem]) {
        let keysAreASCII = Self.allKeysASCII(entries)
        self.init(format: format, openLine: openLine, closeLine: closeLine, bodyStart: bodyStart, bodyStartLine: bodyStartLine,
                  entries: entries, problems: problems, keysAreASCII: keysAreASCII,
                  hasDuplicateKeys: Self.anyDuplicateKeys(entries, keysAreASCII: keysAreASCII), commonFirst: nil)
    }

    /// The parsers' form: the key facts they found while reading (the keys' ASCII-ness from their
    /// bytes, duplicates from reporting them, the common keys' first entries when given) are not
    /// found again from the keys' strings.
    package init(format: FrontMatterFormat, openLine: Int, closeLine: Int?, bodyStart: Int, bodyStartLine: Int,
                 entries: [FrontMatterEntry], problems: [FrontMatterProblem], keysAreASCII: Bool, hasDuplicateKeys: Bool,
                 commonFirst: CommonKeySlots?) {
        self.format = format
        self.openLine = openLine
        self.closeLine = closeLine
        self.bodyStart = bodyStart
        self.bodyStartLine = bodyStartLine
        self.entries = entries
        self.problems = problems
        self.firstIndex = Self.index(entries)
        self.keysAreASCII = keysAreASCII
        self.hasDuplicateKeys = hasDuplicateKeys
        self.commonFirst = commonFirst ?? CommonKeySlots(entries)
    }

    package static func anyDuplicateKeys(_ entries: [FrontMatterEntry], keysAreASCII: Bool) -> Bool {
        var problems: [FrontMatterProblem] = []
        return FrontMatterParser.reportDuplicates(entries, keysAreASCII: keysAreASCII, &problems)
    }

    package static func allKeysASCII(_ entries: [FrontMatterEntry]) -> Bool {
        entries.allSatisfy { isASCII($0.key) }
    }

    /// The string's own ASCII flag where the standard library has it (a flag read; rules look keys
    /// up some 55 times a file), else its bytes. False only costs the slower comparison.
    @inline(__always)
    package static func isASCII(_ string: String) -> Bool {
        if #available(macOS 26.0, *) { return string.utf8Span.isKnownASCII }
        var string = string
        return string.withUTF8 { bytes in bytes.reduce(0, |) < 0x80 }
    }

    private static func index(_ entries: [FrontMatterEntry]) -> [String: Int]? {
        guard entries.count > 24 else { return nil }
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() where index[e.key] == nil { index[e.key] = i }
        return index
    }

    /// The first entry for `key`.
    public func entry(_ key: String) -> FrontMatterEntry? {
        index(of: key).map { entries[$0] }
    }

    /// Index in `entries` of the first entry for `key`: a lookup that copies no entry (a copy
    /// retains and releases its key and value; rules ask some 55 times a file, mostly for keys
    /// that are not there).
    public func index(of key: String) -> Int? {
        if let firstIndex { return firstIndex[key] }
        // UTF-8 lengths first: keys of other lengths never reach String's comparison (a call per
        // key passed, most of the lookup).
        // Only between ASCII keys: canonically equivalent keys can differ in length.
        let length = key.utf8.count
        if keysAreASCII && Self.isASCII(key) {
            for i in entries.indices where entries[i].key.utf8.count == length && entries[i].key == key { return i }
            return nil
        }
        for i in entries.indices where entries[i].key == key { return i }
        return nil
    }

    /// Whether front matter has `key`.
    public func contains(_ key: String) -> Bool { index(of: key) != nil }

    /// The scalar value of `key`, if present and scalar.
    public func string(_ key: String) -> String? { index(of: key).flatMap { scalarText(ofEntry: $0) } }

    // Entry `i`'s value read in place: `entries[i].value` copies the whole entry (its key, the
    // document's bytes and its value retained and released, ~100 instructions) to call the getter.

    /// `entries[i].value`.
    @inlinable
    public func value(ofEntry i: Int) -> FrontMatterValue {
        if let text = entries[i].plainText { return .scalar(text.string, .plain) }
        return entries[i].builtValue
    }

    /// `entries[i].value.scalarText`.
    @inlinable
    public func scalarText(ofEntry i: Int) -> String? {
        if let text = entries[i].plainText { return text.string }
        return entries[i].builtValue.scalarText
    }

    /// `entries[i].scalarStyle`.
    @inlinable
    public func scalarStyle(ofEntry i: Int) -> ScalarStyle? {
        if entries[i].plainText != nil { return .plain }
        if case let .scalar(_, style) = entries[i].builtValue { return style }
        return nil
    }

    /// `entries[i].withScalarUTF8(body)`.
    @inlinable @discardableResult
    public func withScalarUTF8<R>(ofEntry i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        if let text = entries[i].plainText { return try text.withUTF8(body) }
        guard case let .scalar(string, _) = entries[i].builtValue else { return nil }
        var copy = string
        return try copy.withUTF8(body)
    }

    /// `index(of: key.name)`: among ASCII keys (equal to an ASCII key only byte for byte), a common
    /// key's first entry as noted when the keys were read, and no entry for another ASCII key when
    /// every key is common; else the lookup by string. Rules look keys up ~13 times a file, at ~180
    /// instructions a lookup by string. Inlined into the rules (a call per lookup and its
    /// arguments' copies were most of the answer's cost).
    @inlinable @inline(__always)
    public func index(of key: FrontMatterKey) -> Int? {
        if keysAreASCII && commonFirst.isComplete {
            if let id = key.commonID { return commonFirst.first(id) }
            if key.isASCII && commonFirst.allCommon { return nil }
        }
        return index(of: key.name)
    }

    /// `entry(key.name)`.
    @inlinable
    public func entry(_ key: FrontMatterKey) -> FrontMatterEntry? { index(of: key).map { entries[$0] } }

    /// `contains(key.name)`.
    @inlinable
    public func contains(_ key: FrontMatterKey) -> Bool { index(of: key) != nil }

    /// `string(key.name)`.
    @inlinable
    public func string(_ key: FrontMatterKey) -> String? { index(of: key).flatMap { scalarText(ofEntry: $0) } }
}

/// A front-matter key that rules look up in every document (from their options or a literal),
/// with its id among the common keys (`YAMLSubset.commonKeys`) found once: `FrontMatter` then
/// answers from the first entries it noted, with no string compared.
public struct FrontMatterKey: Sendable, Hashable {
    public let name: String
    /// The key's id in `YAMLSubset.commonKeyTable`, nil when it is not a common key.
    @usableFromInline package let commonID: Int?
    /// Whether the name is ASCII (then it equals only a key with its bytes).
    @usableFromInline package let isASCII: Bool

    public init(_ name: String) {
        self.name = name
        commonID = YAMLSubset.commonKeyTable.id(of: name)
        isASCII = FrontMatter.isASCII(name)
    }

    /// Keys rules read by name.
    public static let date = FrontMatterKey("date"), title = FrontMatterKey("title"), layout = FrontMatterKey("layout")
}

/// The first entry of each common key of a front matter, by the key's id in
/// `YAMLSubset.commonKeyTable`: the entry's index + 1, 0 when absent. Inline (32 bytes: no
/// allocation per document), eight to a word (a byte view of a tuple or a `SIMD32` subscript cost
/// ~60 instructions a key noted).
@usableFromInline
package struct CommonKeySlots: Sendable {
    @usableFromInline var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
    @usableFromInline static var capacity: Int { 32 }
    /// False when a first entry's index did not fit a slot (255 entries or more): lookups then compare strings.
    @usableFromInline package private(set) var isComplete = true
    /// Whether every entry noted has a common key.
    @usableFromInline package private(set) var allCommon = true
    /// Whether a common key was noted again after its first entry. With `allCommon` and
    /// `isComplete` (every key one of the table's ASCII keys, each first entry in its slot), two
    /// keys are equal exactly when their ids are: without a repeat the block has no duplicate key.
    package private(set) var repeated = false

    package init() {}

    /// From the keys' strings (the parsers that do not note keys as they read them, and edits).
    package init(_ entries: [FrontMatterEntry]) {
        for i in entries.indices { note(id: YAMLSubset.commonKeyTable.id(of: entries[i].key), entry: i) }
    }

    /// Notes that entry `index` has the common key `id` (nil: a key that is not common). Every
    /// entry is noted, in order.
    @inline(__always)
    package mutating func note(id: Int?, entry index: Int) {
        guard let id else { allCommon = false; return }
        guard id >= 0, id < Self.capacity else { isComplete = false; return }
        guard slot(id) == 0 else { repeated = true; return }
        guard index >= 0 && index < 255 else { isComplete = false; return }
        // The slot is 0: its byte is set by an OR.
        let bits = UInt64(index + 1) << UInt64((id & 7) << 3)
        switch id >> 3 {
        case 0: s0 |= bits
        case 1: s1 |= bits
        case 2: s2 |= bits
        default: s3 |= bits
        }
    }

    /// Whether the keys noted are known to hold no duplicate: all common, all noted in their slots
    /// (`isComplete`), none noted twice.
    package var provesNoDuplicate: Bool { isComplete && allCommon && !repeated }

    /// The slot of `id` (in `0..<capacity`).
    @inlinable @inline(__always)
    func slot(_ id: Int) -> UInt8 {
        let word: UInt64
        switch id >> 3 {
        case 0: word = s0
        case 1: word = s1
        case 2: word = s2
        default: word = s3
        }
        return UInt8(truncatingIfNeeded: word >> UInt64((id & 7) << 3))
    }

    /// The first entry noted with key `id`.
    @inlinable @inline(__always)
    package func first(_ id: Int) -> Int? {
        guard id >= 0, id < Self.capacity else { return nil }
        let slot = slot(id)
        return slot == 0 ? nil : Int(slot) - 1
    }
}

/// Finds and parses the front-matter block at the start of a file.
package enum FrontMatterParser {
    package static func parse(bytes: [UInt8], lineStarts: [Int], bomLength: Int) -> FrontMatter? {
        let lines = LineReader(bytes: bytes, lineStarts: lineStarts)
        guard lines.count > 0 else { return nil }
        // Allow leading blank lines before the delimiter: the block is then "displaced"
        // (front-matter-malformed reports it; front-matter-missing stays quiet).
        var first = 1
        while first <= lines.count, lines.isBlank(first), first <= 50 { first += 1 }
        guard first <= lines.count else { return nil }
        var opener = lines.content(first)
        if first == 1 && bomLength > 0 { opener = opener.dropFirst(bomLength) }
        let trimmed = opener.trimmingTrailingSpaces()
        if sameBytes(trimmed, yamlDelimiter) {
            return parseDelimited(lines: lines, open: first, delimiter: yamlDelimiter, format: .yaml, alternateClose: yamlDocumentEnd)
        }
        if sameBytes(trimmed, tomlDelimiter) {
            return parseDelimited(lines: lines, open: first, delimiter: tomlDelimiter, format: .toml, alternateClose: nil)
        }
        if trimmed.first == UInt8(ascii: "{") && first == 1 {
            return parseJSON(lines: lines, open: first)
        }
        return nil
    }

    /// Whether `line` holds exactly the bytes of `delimiter`: the lengths first, then the bytes by
    /// index (`elementsEqual` stepped both sequences' iterators: ~90 instructions for three bytes,
    /// twice a file).
    @inline(__always)
    private static func sameBytes(_ line: ArraySlice<UInt8>, _ delimiter: [UInt8]) -> Bool {
        guard line.count == delimiter.count else { return false }
        var k = line.startIndex
        for b in delimiter {
            guard line[k] == b else { return false }
            k += 1
        }
        return true
    }

    /// The delimiters, made once (they were two arrays allocated for every file).
    private static let yamlDelimiter = Array("---".utf8), yamlDocumentEnd = Array("...".utf8), tomlDelimiter = Array("+++".utf8)

    private static func parseDelimited(lines: LineReader, open: Int, delimiter: [UInt8], format: FrontMatterFormat, alternateClose: [UInt8]?) -> FrontMatter? {
        var close: Int?
        var line = open + 1
        while line <= lines.count {
            // Most lines are keys: the first byte rules them out without a slice of the line.
            let first = lines.bytes[lines.lineStarts[line - 1]]
            if first == delimiter.first || first == alternateClose?.first {
                let t = lines.content(line).trimmingTrailingSpaces()
                if sameBytes(t, delimiter) || (alternateClose.map { sameBytes(t, $0) } ?? false) { close = line; break }
            }
            line += 1
        }
        let innerEnd: Int
        var problems: [FrontMatterProblem] = []
        if let close {
            innerEnd = close - 1
        } else {
            // Unterminated: the block runs while lines look like front matter (keys, items, indented
            // continuations, comments), so the body's first line is not reported as bad YAML too.
            var l = open + 1
            while l <= lines.count && !lines.isBlank(l) {
                let c = lines.content(l)
                let looksLikeYAML = format == .yaml
                    ? (YAMLSubset.looksLikeKeyLine(c) || c.first == 0x20 || c.first == UInt8(ascii: "-") || c.first == UInt8(ascii: "#"))
                    : (c.contains(UInt8(ascii: "=")) || c.first == UInt8(ascii: "[") || c.first == UInt8(ascii: "#"))
                if !looksLikeYAML { break }
                l += 1
            }
            innerEnd = l - 1
            problems.append(FrontMatterProblem(line: open, column: 1, message: "front matter opened with '\(String(decoding: delimiter, as: UTF8.self))' is never closed"))
        }
        // A lone `---` followed by prose is a thematic break, not front matter.
        if close == nil && format == .yaml {
            let next = open + 1
            if next > lines.count || !YAMLSubset.looksLikeKeyLine(lines.content(next)) { return nil }
        }
        let bodyLine = (close ?? innerEnd) + 1
        let bodyStart = bodyLine <= lines.lineStarts.count ? lines.lineStarts[bodyLine - 1] : lines.bytes.count
        var entries: [FrontMatterEntry] = []
        // One allocation for the usual handful of keys, not a regrowth at 1, 2, 4 and 8.
        entries.reserveCapacity(min(max(innerEnd - open, 0), 16))
        var keysAreASCII = true
        var commonFirst: CommonKeySlots?
        if innerEnd >= open + 1 {
            switch format {
            case .yaml:
                var noted = CommonKeySlots()
                YAMLSubset.parse(lines: lines, range: (open + 1)...innerEnd, entries: &entries, problems: &problems, keysAreASCII: &keysAreASCII,
                                 commonFirst: &noted)
                commonFirst = noted
            case .toml:
                TOMLSubset.parse(lines: lines, range: (open + 1)...innerEnd, entries: &entries, problems: &problems)
                keysAreASCII = FrontMatter.allKeysASCII(entries)
            case .json:
                break
            }
        }
        // Every key a common one, noted in full and none twice: no duplicate, and no key compared
        // with the others by string (~300 instructions a block).
        let hasDuplicateKeys = commonFirst.map { $0.provesNoDuplicate } == true && keysAreASCII
            ? false : reportDuplicates(entries, keysAreASCII: keysAreASCII, &problems)
        return FrontMatter(format: format, openLine: open, closeLine: close, bodyStart: min(bodyStart, lines.bytes.count),
                           bodyStartLine: bodyLine, entries: entries,
                           problems: problems.count < 2 ? problems : problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) },
                           keysAreASCII: keysAreASCII, hasDuplicateKeys: hasDuplicateKeys, commonFirst: commonFirst)
    }

    private static func parseJSON(lines: LineReader, open: Int) -> FrontMatter? {
        // Hugo-style JSON front matter: an object starting at byte 0 and ending on a line that ends
        // with its `}`. One parse of the object from byte 0 finds where it ends, however long it is
        // (trying each line ending in `}` re-parsed from byte 0 every time, and gave up after 400
        // lines, calling longer front matter invalid and the body empty).
        var close: Int?
        var object: JSONNode?
        if let parsed = try? JSONParser.parsePrefix(bytes: lines.bytes), parsed.end > 0 {
            // The line holding the object's last byte; only spaces or tabs may follow it there.
            let lastLine = lines.line(ofByte: parsed.end - 1)
            let range = lines.contentRange(lastLine)
            if parsed.end <= range.upperBound, lines.bytes[parsed.end..<range.upperBound].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                close = lastLine
                object = parsed.node
            }
        }
        var problems: [FrontMatterProblem] = []
        var entries: [FrontMatterEntry] = []
        let closeLine: Int
        if let close {
            closeLine = close
            if let node = object, let members = node.members {
                for (i, m) in members.enumerated() {
                    let value: FrontMatterValue
                    switch m.value.value {
                    case let .string(s): value = .scalar(s, .doubleQuoted)
                    case let .bool(b): value = .scalar(b ? "true" : "false", .plain)
                    case let .number(n): value = .scalar(JSONWriter.formatNumber(n), .plain)
                    case .null: value = .empty
                    case let .array(items): value = .list(items.map { $0.string ?? $0.serialized() })
                    case .object: value = .mapping
                    }
                    let line = m.keyPosition.line
                    let nextLine = i + 1 < members.count ? members[i + 1].keyPosition.line : close
                    let range = lines.lineStarts[line - 1]..<lines.lineStarts[max(line, nextLine) - 1]
                    entries.append(FrontMatterEntry(key: m.key, line: line, column: m.keyPosition.column, value: value, valueRange: nil, entryRange: range))
                }
            }
        } else {
            // Is this just a body starting with `{`? Only call it front matter if it starts like a JSON object key.
            let firstLine = lines.content(open)
            let afterBrace = firstLine.dropFirst().drop(while: { $0 == 0x20 })
            let nextLine = open + 1 <= lines.count ? lines.content(open + 1).drop(while: { $0 == 0x20 || $0 == 0x09 }) : []
            guard afterBrace.first == UInt8(ascii: "\"") || (afterBrace.isEmpty && nextLine.first == UInt8(ascii: "\"")) else { return nil }
            var l = open
            while l <= lines.count && !lines.isBlank(l) { l += 1 }
            closeLine = l - 1
            let end = lines.lineStarts[closeLine - 1] + lines.content(closeLine).count
            do {
                _ = try JSONParser.parse(bytes: Array(lines.bytes[0..<end]))
            } catch let e as JSONSyntaxError {
                problems.append(FrontMatterProblem(line: e.position.line, column: e.position.column, message: "invalid JSON front matter: \(e.message)"))
            } catch {}
            if problems.isEmpty {
                problems.append(FrontMatterProblem(line: open, column: 1, message: "JSON front matter must end with '}' on its own line"))
            }
        }
        let keysAreASCII = FrontMatter.allKeysASCII(entries)
        let hasDuplicateKeys = reportDuplicates(entries, keysAreASCII: keysAreASCII, &problems)
        let bodyLine = closeLine + 1
        let bodyStart = bodyLine <= lines.lineStarts.count ? lines.lineStarts[bodyLine - 1] : lines.bytes.count
        return FrontMatter(format: .json, openLine: open, closeLine: close, bodyStart: min(bodyStart, lines.bytes.count),
                           bodyStartLine: bodyLine, entries: entries, problems: problems,
                           keysAreASCII: keysAreASCII, hasDuplicateKeys: hasDuplicateKeys, commonFirst: nil)
    }

    /// Reports each key written again; returns whether there was one.
    @discardableResult
    package static func reportDuplicates(_ entries: [FrontMatterEntry], keysAreASCII: Bool, _ problems: inout [FrontMatterProblem]) -> Bool {
        // Typical front matter has a handful of keys: a linear scan beats hashing every key.
        // By index and key only: copying each entry (its key and value retained and released) for
        // every comparison cost more than the comparisons.
        var found = false
        if entries.count <= 24 {
            // Lengths tell keys apart only when all are ASCII (see `FrontMatter.keysAreASCII`).
            // Each key's length read once, on the stack.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: entries.count) { lengths in
                for i in entries.indices { lengths[i] = keysAreASCII ? entries[i].key.utf8.count : 0 }
                for i in entries.indices {
                    let key = entries[i].key, length = lengths[i]
                    var j = 0
                    while j < i && !(lengths[j] == length && entries[j].key == key) { j += 1 }
                    if j < i {
                        let e = entries[i]
                        found = true
                        problems.append(FrontMatterProblem(line: e.line, column: e.column, message: "duplicate key '\(e.key)' (first defined on line \(entries[j].line))"))
                    }
                }
            }
            return found
        }
        var seen: [String: Int] = [:]
        for e in entries {
            if let first = seen[e.key] {
                found = true
                problems.append(FrontMatterProblem(line: e.line, column: e.column, message: "duplicate key '\(e.key)' (first defined on line \(first))"))
            } else {
                seen[e.key] = e.line
            }
        }
        return found
    }
}

/// Line access over raw bytes, shared by the front-matter parsers.
package struct LineReader {
    package let bytes: [UInt8]
    package let lineStarts: [Int]

    package var count: Int {
        if bytes.isEmpty { return 0 }
        return bytes.last == 0x0A ? lineStarts.count - 1 : lineStarts.count
    }

    /// Line `n` without its terminator.
    package func content(_ n: Int) -> ArraySlice<UInt8> { bytes[contentRange(n)] }

    /// Byte range of line `n` without its terminator.
    package func contentRange(_ n: Int) -> Range<Int> { Document.contentRange(ofLine: n, bytes: bytes, lineStarts: lineStarts) }

    /// Byte offset after line `n`'s terminator.
    package func end(_ n: Int) -> Int { n < lineStarts.count ? lineStarts[n] : bytes.count }

    package func isBlank(_ n: Int) -> Bool {
        content(n).allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// 1-based line holding byte `offset` (binary search over the line starts).
    package func line(ofByte offset: Int) -> Int { Document.line(ofByte: offset, lineStarts: lineStarts) }
}

extension ArraySlice where Element == UInt8 {
    /// Drops trailing spaces and tabs.
    package func trimmingTrailingSpaces() -> ArraySlice<UInt8> {
        // By index, one slice at the end: a slice dropped per byte retained and released the base.
        var end = endIndex
        while end > startIndex, self[end - 1] == 0x20 || self[end - 1] == 0x09 { end -= 1 }
        return end == endIndex ? self : self[startIndex..<end]
    }

    /// Drops leading and trailing ASCII spaces and tabs.
    package func trimmingSpaces() -> ArraySlice<UInt8> {
        var s = self.trimmingTrailingSpaces()
        while let first = s.first, first == 0x20 || first == 0x09 { s = s.dropFirst() }
        return s
    }
}

extension Document {
    /// `frontMatter.withScalarUTF8(ofEntry: i, body)` (nil without front matter), with a plain
    /// value's bytes lent from this document's own storage: only the entry's range is read, where
    /// the front matter's accessor copies the entry's reference to the bytes (a retain and a
    /// release, for every value a rule reads of every file).
    @inlinable @discardableResult
    public func withFrontMatterScalarUTF8<R>(ofEntry i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        // The front matter was parsed from these bytes (both are constants set in `init`): its
        // ranges lie in them; checked all the same, as nothing may read past the buffer.
        if let range = frontMatter?.entries[i].plainText?.range, range.lowerBound >= 0, range.upperBound <= bytes.count {
            return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
        }
        return try frontMatter?.withScalarUTF8(ofEntry: i, body) ?? nil
    }
}
