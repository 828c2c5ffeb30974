import Foundation

/// A parser for the YAML subset real front matter uses: top-level `key: value`
/// pairs with plain, single- and double-quoted scalars, block sequences (at the
/// key's indent or deeper), flow sequences, comments, block scalars (`|`, `>`),
/// empty values and nested mappings (kept opaque). It never throws: every
/// problem is recorded with its line and column and parsing continues.
package enum YAMLSubset {
    /// Whether a line looks like `key: value` or `key:` (used to tell front matter from a thematic break).
    package static func looksLikeKeyLine(_ line: ArraySlice<UInt8>) -> Bool {
        guard let first = line.first, first != 0x20, first != 0x09, first != UInt8(ascii: "#"), first != UInt8(ascii: "-") else { return false }
        return keyColon(in: line) != nil
    }

    /// Offset (absolute index) of the `:` that ends a key: followed by space, tab or end of line.
    package static func keyColon(in line: ArraySlice<UInt8>) -> Int? {
        var i = line.startIndex
        if let q = line.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
            // Quoted key.
            i += 1
            while i < line.endIndex && line[i] != q { i += 1 }
            guard i < line.endIndex else { return nil }
            i += 1
            while i < line.endIndex && line[i] == 0x20 { i += 1 }
            return i < line.endIndex && line[i] == UInt8(ascii: ":") && (i + 1 == line.endIndex || line[i + 1] == 0x20 || line[i + 1] == 0x09) ? i : nil
        }
        while i < line.endIndex {
            if line[i] == UInt8(ascii: ":") && (i + 1 == line.endIndex || line[i + 1] == 0x20 || line[i + 1] == 0x09) { return i }
            if line[i] == UInt8(ascii: "#") && i > line.startIndex && line[i - 1] == 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// `keysAreASCII` is cleared when a key has a byte outside ASCII (told from the key's bytes
    /// here, not from its string afterwards: `FrontMatter.keysAreASCII`).
    /// `simpleLines: false` parses every line the general way (the tests compare the two).
    package static func parse(lines: LineReader, range: ClosedRange<Int>, entries: inout [FrontMatterEntry], problems: inout [FrontMatterProblem],
                              keysAreASCII: inout Bool, simpleLines: Bool = true) {
        var commonFirst = CommonKeySlots()
        parse(lines: lines, range: range, entries: &entries, problems: &problems, keysAreASCII: &keysAreASCII, commonFirst: &commonFirst, simpleLines: simpleLines)
    }

    /// `commonFirst` notes the first entry of each common key among those appended (entries already
    /// in `entries` are not noted): told from the keys' bytes while they are read, so lookups by
    /// `FrontMatterKey` need no comparison of strings.
    package static func parse(lines: LineReader, range: ClosedRange<Int>, entries: inout [FrontMatterEntry], problems: inout [FrontMatterProblem],
                              keysAreASCII: inout Bool, commonFirst: inout CommonKeySlots, simpleLines: Bool = true) {
        // The mapping's own indentation: YAML allows a whole block mapping to be indented
        // uniformly (`  title: …` on every key line), and Jekyll reads it fine.
        let base = baseIndent(lines: lines, range: range)
        let shortcut = simpleLines && base == 0
        let firstNew = entries.count
        // Values carrying an anchor (`date: &d 2024-01-01`), for the aliases (`lastmod: *d`) below.
        var anchors: [Anchor] = []
        var n = range.lowerBound
        while n <= range.upperBound {
            if shortcut, appendSimpleEntry(lines: lines, n, last: range.upperBound, to: &entries, commonFirst: &commonFirst) {
                n += 1
                continue
            }
            let line = lines.content(n)
            let indent = line.prefix(while: { $0 == 0x20 || $0 == 0x09 })
            if let tab = indent.firstIndex(of: 0x09) {
                problems.append(FrontMatterProblem(line: n, column: tab - line.startIndex + 1, message: "tab used for indentation; YAML allows only spaces"))
                n += 1
                continue
            }
            let rest = line.dropFirst(indent.count)
            if rest.isEmpty || rest.first == UInt8(ascii: "#") { n += 1; continue }
            if indent.count > base {
                problems.append(FrontMatterProblem(line: n, column: indent.count + 1, message: "unexpected indentation: expected a top-level 'key: value'"))
                n += 1
                continue
            }
            if indent.count < base {
                problems.append(FrontMatterProblem(line: n, column: indent.count + 1, message: "line is indented less than the keys above it (\(base) spaces)"))
                n += 1
                continue
            }
            if rest.first == UInt8(ascii: "-") && (rest.count == 1 || rest[rest.startIndex + 1] == 0x20) {
                problems.append(FrontMatterProblem(line: n, column: indent.count + 1, message: "list item without a key: write 'key:' on the line above"))
                n += 1
                continue
            }
            guard let colon = keyColon(in: rest) else {
                problems.append(FrontMatterProblem(line: n, column: indent.count + 1, message: "invalid syntax: expected 'key: value'"))
                n += 1
                continue
            }
            var keyBytes = line[rest.startIndex..<colon].trimmingTrailingSpaces()
            if let q = keyBytes.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'"), keyBytes.count >= 2 {
                keyBytes = keyBytes.dropFirst().dropLast()
            }
            if keysAreASCII && !keyBytes.allSatisfy({ $0 < 0x80 }) { keysAreASCII = false }
            let keyID = keyBytes.withUnsafeBufferPointer { commonKeyTable.id(ofBytes: $0) }
            let key = String(repairingUTF8: keyBytes)
            var valueStart = colon + 1
            while valueStart < line.endIndex && (line[valueStart] == 0x20 || line[valueStart] == 0x09) { valueStart += 1 }
            var valueText = line[valueStart..<line.endIndex]
            let anchorName = stripAnchorAndTags(&valueText)
            let keyLine = n
            // Where this entry's own anchor goes among `anchors`: before those of its nested mapping,
            // which come on later lines (the nearest anchor above an alias is the last one listed).
            let ownAnchorSlot = anchors.count
            var (value, consumedThrough) = parseValue(valueText, keyLine: n, lines: lines, last: range.upperBound, parentIndent: base, problems: &problems)
            if case .empty = value {
                // Nested content: block sequence (`- a` at the key's indent or deeper) or nested mapping (indented keys).
                var items: [String] = []
                var nested = false
                var m = n + 1
                while m <= range.upperBound {
                    let l = lines.content(m)
                    let ind = l.prefix(while: { $0 == 0x20 || $0 == 0x09 })
                    let body = l.dropFirst(ind.count)
                    if body.isEmpty || body.first == UInt8(ascii: "#") { m += 1; continue }
                    if let tab = ind.firstIndex(of: 0x09) {
                        problems.append(FrontMatterProblem(line: m, column: tab - l.startIndex + 1, message: "tab used for indentation; YAML allows only spaces"))
                        m += 1
                        continue
                    }
                    if ind.count < base { break }
                    if body.first == UInt8(ascii: "-") && (body.count == 1 || body[body.startIndex + 1] == 0x20) {
                        let itemText = body.dropFirst().trimmingSpaces()
                        // `- src: a.png` opens a mapping inside the list (Hugo `resources`, image lists):
                        // kept opaque like other nested mappings, not read as a plain scalar with ': '.
                        if keyColon(in: itemText) != nil && itemText.first != UInt8(ascii: "\"") && itemText.first != UInt8(ascii: "'") {
                            nested = true
                            m += 1
                            continue
                        }
                        var scratch: [FrontMatterProblem] = []
                        let (itemValue, itemEnd) = parseValue(itemText, keyLine: m, lines: lines, last: range.upperBound, parentIndent: ind.count, problems: &scratch)
                        problems.append(contentsOf: scratch)
                        switch itemValue {
                        case let .scalar(s, _): items.append(s)
                        case .empty: items.append("")
                        default: items.append(String(decoding: itemText, as: UTF8.self))
                        }
                        m = itemEnd + 1
                        continue
                    }
                    if ind.count > base {
                        // Indented non-item line: nested mapping or continuation of an item.
                        nested = true
                        m = nestedAnchor(body, line: m, indent: ind.count, lines: lines, last: range.upperBound, to: &anchors) + 1
                        continue
                    }
                    break
                }
                if !items.isEmpty && !nested { value = .list(items) } else if nested || !items.isEmpty { value = .mapping }
                consumedThrough = m - 1
            }
            let valueRange: Range<Int>? = valueText.isEmpty ? nil : valueText.startIndex..<valueText.endIndex
            commonFirst.note(id: keyID, entry: entries.count)
            entries.append(FrontMatterEntry(key: key, line: keyLine, column: indent.count + 1, value: value, valueRange: valueRange,
                                            entryRange: lines.lineStarts[keyLine - 1]..<lines.end(consumedThrough)))
            if let anchorName, !anchorName.isEmpty { anchors.insert(Anchor(name: Array(anchorName), line: keyLine, value: value), at: ownAnchorSlot) }
            n = consumedThrough + 1
        }
        if !anchors.isEmpty { resolveAliases(&entries, from: firstNew, anchors: anchors) }
    }

    /// Strips the anchor and tags that open a value (`&base`, `!!map`, `!!timestamp 2024-06-14`),
    /// which annotate it (a lone one introduces nested content like an empty value); returns the
    /// anchor's name, if any.
    private static func stripAnchorAndTags(_ valueText: inout ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var anchorName: ArraySlice<UInt8>?
        while let f = valueText.first, f == UInt8(ascii: "&") || f == UInt8(ascii: "!") {
            let space = valueText.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) ?? valueText.endIndex
            if f == UInt8(ascii: "&") { anchorName = valueText[(valueText.startIndex + 1)..<space] }
            guard space < valueText.endIndex else {
                valueText = valueText[valueText.endIndex...]
                break
            }
            valueText = valueText[space...].drop(while: { $0 == 0x20 || $0 == 0x09 })
        }
        return anchorName
    }

    /// Records the anchor of a line `key: &name value` inside a nested mapping (`body`: the line
    /// without its `indent`), which a top-level alias may name (`lastmod: *c` after
    /// `meta:\n  created: &c 2024-01-01`). Scalars only: an anchored nested collection is not
    /// parsed (the mapping stays opaque), and its aliases stay the text they are. The value is
    /// parsed once, its problems dropped (the nested mapping is not checked); returns the last line
    /// it took, which the caller skips, so no line is read twice. Any other line: `line`.
    private static func nestedAnchor(_ body: ArraySlice<UInt8>, line: Int, indent: Int, lines: LineReader, last: Int,
                                     to anchors: inout [Anchor]) -> Int {
        guard body.first != UInt8(ascii: "&"), body.contains(UInt8(ascii: "&")), let colon = keyColon(in: body) else { return line }
        var valueText = body[(colon + 1)...].drop(while: { $0 == 0x20 || $0 == 0x09 })
        guard valueText.first == UInt8(ascii: "&") || valueText.first == UInt8(ascii: "!") else { return line }
        guard let name = stripAnchorAndTags(&valueText), !name.isEmpty, !valueText.isEmpty else { return line }
        var ignored: [FrontMatterProblem] = []
        let (value, end) = parseValue(valueText, keyLine: line, lines: lines, last: last, parentIndent: indent, problems: &ignored)
        guard case .scalar = value else { return line }
        anchors.append(Anchor(name: Array(name), line: line, value: value))
        return max(line, end)
    }

    /// A value written with an anchor, which later aliases of its name stand for.
    private struct Anchor {
        var name: [UInt8]
        var line: Int
        var value: FrontMatterValue
    }

    /// Gives each top-level value that is only an alias (`lastmod: *d`) the value of the nearest
    /// anchor of that name above it, as a YAML parser does ("'*d' is not a valid date" was a false
    /// finding). Anchors are those of top-level values and of scalars in nested mappings
    /// (`nestedAnchor`). Only whole values are aliases here (not list items or parts of mappings), and an
    /// alias stands for the anchored value as parsed, which holds no aliases itself: nothing is
    /// expanded twice, so no input grows into more than one copy of a value per alias. The entry
    /// loses its `valueRange`: a fix belongs at the anchor, not on the `*d`. An alias with no
    /// anchor above it stays the text it is.
    private static func resolveAliases(_ entries: inout [FrontMatterEntry], from first: Int, anchors: [Anchor]) {
        for i in first..<entries.count where entries[i].scalarStyle == .plain {
            let line = entries[i].line
            let anchor = entries[i].withScalarUTF8 { text -> Anchor? in
                guard text.count > 1, text[0] == UInt8(ascii: "*") else { return nil }
                let name = text[1...]
                guard !name.contains(where: { $0 == 0x20 || $0 == 0x09 }) else { return nil }
                return anchors.last { $0.line < line && $0.name.elementsEqual(name) }
            } ?? nil
            guard let anchor else { continue }
            entries[i].value = anchor.value
            entries[i].valueRange = nil
        }
    }

    /// The entry of line `n` when it is the common shape `key: plain value`: an unindented key of
    /// ASCII letters, digits, `_`, `-` and `.`, a plain one-line value without `#` or `: ` (no
    /// comment to strip, no problem to report), and a next line that cannot continue the value
    /// (not blank, not indented). False (nothing appended) for anything else, which the general path parses. What the
    /// general path would make of such a line, made without its slices and second key scan:
    /// front matter was a quarter of the engine's own work per file.
    /// Appended to `entries` (and noted in `commonFirst`) here, not returned: the optional entry was
    /// moved out of the byte closure and again into the array.
    private static func appendSimpleEntry(lines: LineReader, _ n: Int, last: Int, to entries: inout [FrontMatterEntry],
                                          commonFirst: inout CommonKeySlots) -> Bool {
        let content = lines.contentRange(n)
        // The value ends here only when the next line is not blank and not indented.
        if n < last {
            let next = lines.contentRange(n + 1)
            guard let first = next.first, lines.bytes[first] != 0x20 else { return false }
        }
        return lines.bytes.withUnsafeBufferPointer { b -> Bool in
            let start = content.lowerBound, end = content.upperBound
            // The key, up to a `:` that ends it.
            var i = start
            while i < end && isSimpleKeyByte(b[i]) { i += 1 }
            guard i > start, i < end, b[i] == UInt8(ascii: ":"), i + 1 < end, b[i + 1] == 0x20 || b[i + 1] == 0x09 else { return false }
            let colon = i
            var valueStart = colon + 1
            while valueStart < end && (b[valueStart] == 0x20 || b[valueStart] == 0x09) { valueStart += 1 }
            guard valueStart < end else { return false }
            switch b[valueStart] {
            case UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "|"),
                 UInt8(ascii: ">"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: "&"), UInt8(ascii: "!"):
                return false
            default: break
            }
            // No `#` at all (a comment needs one) and no `: ` (a problem to report).
            var k = valueStart
            while k < end {
                k = ByteWords.firstIndex(of: UInt8(ascii: "#"), or: UInt8(ascii: ":"), in: UnsafeRawBufferPointer(b), from: k, to: end)
                guard k < end else { break }
                if b[k] == UInt8(ascii: "#") || (k + 1 < end && b[k + 1] == 0x20) { return false }
                k += 1
            }
            var valueEnd = end
            while valueEnd > valueStart && (b[valueEnd - 1] == 0x20 || b[valueEnd - 1] == 0x09) { valueEnd -= 1 }
            let id = commonKeyID(b, start..<colon)
            let key = id.map { commonKeyTable.key(id: $0) } ?? String(repairingUTF8: UnsafeBufferPointer(rebasing: b[start..<colon]))
            // Well-formed text is kept as its bytes (its string made only when asked); invalid bytes
            // are repaired into a string now, so the bytes a rule reads are always the string's.
            let text = UnsafeBufferPointer(rebasing: b[valueStart..<valueEnd])
            let ascii = UTF8Validation.asciiPrefixLength(text)
            commonFirst.note(id: id, entry: entries.count)
            if ascii == text.count || UTF8Validation.firstInvalidOffset(in: UnsafeBufferPointer(rebasing: text[ascii...])) == nil {
                entries.append(FrontMatterEntry(key: key, line: n, column: 1, plainText: valueStart..<valueEnd, in: lines.bytes, valueRange: valueStart..<end,
                                                entryRange: start..<lines.end(n)))
            } else {
                entries.append(FrontMatterEntry(key: key, line: n, column: 1, value: .scalar(String(decoding: text, as: UTF8.self), .plain),
                                                valueRange: valueStart..<end, entryRange: start..<lines.end(n)))
            }
            return true
        }
    }

    /// The key written at `range` (ASCII `isSimpleKeyByte`s) when it is one of `commonKeys`, as
    /// that table's string; nil otherwise. Equal to the `String` made from its bytes, without
    /// copying and validating them into a new one for every key of every file (the five keys of each
    /// agora file were a third of `appendSimpleEntry`'s strings).
    package static func commonKey(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        commonKeyID(b, range).map { commonKeyTable.key(id: $0) }
    }

    /// The id (`CommonKeyTable`) of the key written at `range` when it is one of `commonKeys`.
    @inline(__always)
    package static func commonKeyID(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        let count = range.count
        guard count >= CommonKeyTable.shortest, count <= CommonKeyTable.longest, range.lowerBound >= 0, range.upperBound <= b.count else { return nil }
        let (head, tail) = ByteWords.packed(b, range)
        return commonKeyTable.id(head: head, tail: tail, count: count)
    }

    /// The keys most front matter writes: the one list `commonKey` answers from (each at most
    /// `CommonKeyTable.longest` bytes of `isSimpleKeyByte`s; the tests check each round-trips).
    package static let commonKeys: [String] = [
        "id", "url", "date", "lang", "link", "slug", "tags", "type", "draft", "image", "title", "author", "layout", "source",
        "authors", "excerpt", "lastmod", "summary", "updated", "category", "keywords", "permalink", "published", "categories",
        "description",
    ]

    package static let commonKeyTable = CommonKeyTable(commonKeys)

    @inline(__always)
    private static func isSimpleKeyByte(_ c: UInt8) -> Bool {
        (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    /// Indentation of the first key line (0 for ordinary front matter).
    private static func baseIndent(lines: LineReader, range: ClosedRange<Int>) -> Int {
        // A first line that starts with a byte other than a space, `#` or a tab (`title: …`, nearly
        // every block) is the line the loop below stops at, with no indentation: 0 either way, told
        // from its first byte without the slices and key scan (~210 instructions a file).
        let first = lines.contentRange(range.lowerBound)
        if let start = first.first, start < lines.bytes.count {
            let b = lines.bytes[start]
            if b != 0x20 && b != UInt8(ascii: "#") && b != 0x09 { return 0 }
        }
        for n in range {
            let line = lines.content(n)
            let indent = line.prefix(while: { $0 == 0x20 })
            let rest = line.dropFirst(indent.count)
            if rest.isEmpty || rest.first == UInt8(ascii: "#") || rest.first == 0x09 { continue }
            return keyColon(in: rest) != nil ? indent.count : 0
        }
        return 0
    }

    /// Parses the value after `key:` (or `- `). `parentIndent` is the indentation of the key or item
    /// the value belongs to: continuation lines must be indented deeper. Returns the value and the last line it consumed.
    private static func parseValue(_ text: ArraySlice<UInt8>, keyLine: Int, lines: LineReader, last: Int, parentIndent: Int,
                                   problems: inout [FrontMatterProblem]) -> (FrontMatterValue, Int) {
        /// The column of `offset` on the key's line (a function, not a closure over `lines`: the closure's
        /// context was allocated for every value, with or without a problem to report).
        func column(_ offset: Int) -> Int { columnOf(offset, line: keyLine, lines: lines) }
        guard let first = text.first else { return (.empty, keyLine) }
        switch first {
        case UInt8(ascii: "#"):
            return (.empty, keyLine)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let quoted = QuotedScalar.scan(text, quote: first, keyLine: keyLine, lines: lines, last: last)
            let style: ScalarStyle = first == UInt8(ascii: "\"") ? .doubleQuoted : .singleQuoted
            if let bad = quoted.badEscape {
                let shown = bad.escape.map { "'\\\(Character(UnicodeScalar($0)))' " } ?? ""
                problems.append(FrontMatterProblem(line: bad.line, column: columnOf(bad.offset, line: bad.line, lines: lines),
                                                   message: "invalid escape \(shown)in double-quoted string"))
            }
            guard let trailing = quoted.trailing else {
                problems.append(FrontMatterProblem(line: keyLine, column: column(text.startIndex),
                                                   message: "unterminated \(style == .doubleQuoted ? "double" : "single")-quoted string"))
                return (.scalar(String(repairingUTF8: quoted.value[...]), style), keyLine)
            }
            checkTrailing(trailing, line: quoted.endLine, lines: lines, problems: &problems)
            return (.scalar(String(repairingUTF8: quoted.value[...]), style), quoted.endLine)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            // Flow collections may span lines (`tags: [新聞,\n  社會]`); join them until the brackets balance.
            var joined = Array(stripFlowComment(text))
            var endLine = keyLine
            var scan = FlowScan()
            scan.feed(joined[...])
            while scan.depth > 0 && endLine < last {
                let next = lines.content(endLine + 1)
                let ind = next.prefix(while: { $0 == 0x20 }).count
                guard ind > parentIndent || next.count == ind else { break }
                endLine += 1
                let piece = [0x20] + Array(stripFlowComment(next).trimmingSpaces())
                scan.feed(piece[...])
                joined += piece
            }
            if first == UInt8(ascii: "{") {
                if scan.depth != 0 || joined[...].trimmingTrailingSpaces().last != UInt8(ascii: "}") {
                    problems.append(FrontMatterProblem(line: keyLine, column: column(text.startIndex), message: "unterminated flow mapping '{...}'"))
                    return (.mapping, keyLine)
                }
                return (.mapping, endLine)
            }
            guard let items = parseFlowSequence(joined[...]) else {
                problems.append(FrontMatterProblem(line: keyLine, column: column(text.startIndex), message: "unterminated or invalid flow sequence '[...]'"))
                return (.list([]), keyLine)
            }
            return (.list(items), endLine)
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            let header = text.dropFirst().trimmingSpaces()
            let valid = header.allSatisfy { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || ($0 >= 0x31 && $0 <= 0x39) } || header.first == UInt8(ascii: "#")
            if !valid {
                problems.append(FrontMatterProblem(line: keyLine, column: column(text.startIndex), message: "invalid block scalar header"))
            }
            var parts: [String] = []
            var m = keyLine + 1
            // An indentation indicator (`|2`) fixes the content's indentation relative to the parent.
            var blockIndent: Int? = header.first(where: { $0 >= 0x31 && $0 <= 0x39 }).map { parentIndent + Int($0 - 0x30) }
            while m <= last {
                let l = lines.content(m)
                let ind = l.prefix(while: { $0 == 0x20 }).count
                if l.count == ind { parts.append(""); m += 1; continue }
                if ind <= parentIndent { break }
                if blockIndent == nil { blockIndent = ind }
                if ind < (blockIndent ?? 1) { break }
                parts.append(String(decoding: l.dropFirst(blockIndent ?? 0), as: UTF8.self))
                m += 1
            }
            while parts.last == "" { parts.removeLast() }
            let literal = first == UInt8(ascii: "|")
            let joined = literal ? parts.joined(separator: "\n") : parts.joined(separator: " ")
            // Trailing blank lines belong to the block only up to the last content line.
            var lastContent = keyLine
            var k = keyLine + 1
            while k < m { if !lines.isBlank(k) { lastContent = k }; k += 1 }
            return (.scalar(joined, literal ? .literalBlock : .foldedBlock), lastContent)
        case UInt8(ascii: "@"), UInt8(ascii: "`"):
            problems.append(FrontMatterProblem(line: keyLine, column: column(text.startIndex), message: "a plain value cannot start with '\(Character(UnicodeScalar(first)))'; quote it"))
            return (.scalar(String(decoding: text, as: UTF8.self), .plain), keyLine)
        default:
            // Plain scalar: strip a trailing comment; may continue on more-indented lines.
            // From `#` to `:` eight bytes a step: a value holds few of either (a URL's `:`, a time's).
            var end = text.endIndex
            text.withUnsafeBytes { raw in
                let base = text.startIndex
                var k = 0
                while true {
                    k = ByteWords.firstIndex(of: UInt8(ascii: "#"), or: UInt8(ascii: ":"), in: raw, from: k, to: raw.count)
                    guard k < raw.count else { break }
                    if raw[k] == UInt8(ascii: "#") {
                        if k > 0 && (raw[k - 1] == 0x20 || raw[k - 1] == 0x09) { end = base + k; break }
                    } else if k + 1 < raw.count && raw[k + 1] == 0x20 {
                        problems.append(FrontMatterProblem(line: keyLine, column: column(base + k), message: "': ' inside a plain value is not allowed in YAML; quote the value"))
                    }
                    k += 1
                }
            }
            var value = String(repairingUTF8: text[text.startIndex..<end].trimmingTrailingSpaces())
            var m = keyLine + 1
            var blanks = 0
            while m <= last {
                let l = lines.content(m)
                let ind = l.prefix(while: { $0 == 0x20 }).count
                // Blank lines inside a multi-line plain scalar fold to newlines.
                if ind == l.count { blanks += 1; m += 1; continue }
                guard ind > parentIndent else { break }
                let body = l.dropFirst(ind)
                if body.first == UInt8(ascii: "-") || body.first == UInt8(ascii: "#") || keyColon(in: body) != nil { break }
                value += (blanks == 0 ? " " : String(repeating: "\n", count: blanks)) + String(decoding: body.trimmingTrailingSpaces(), as: UTF8.self)
                blanks = 0
                m += 1
            }
            return (.scalar(value, .plain), m - 1 - blanks)
        }
    }

    private static func checkTrailing(_ rest: ArraySlice<UInt8>, line: Int, lines: LineReader, problems: inout [FrontMatterProblem]) {
        let t = rest.trimmingSpaces()
        if !t.isEmpty && t.first != UInt8(ascii: "#") {
            problems.append(FrontMatterProblem(line: line, column: columnOf(t.startIndex, line: line, lines: lines), message: "unexpected text after a quoted value"))
        }
    }

    /// Nesting depth of `[`/`{` left open at the end of a flow collection. A quote opens a quoted
    /// scalar only where an item starts (`[it's, "a, b"]`), as in YAML.
    package static func flowDepth(_ bytes: [UInt8]) -> Int {
        var scan = FlowScan()
        scan.feed(bytes[...])
        return scan.depth
    }

    /// `flowDepth` fed piece by piece: a flow list joined over N lines is scanned once, not N times.
    package struct FlowScan {
        package var depth = 0
        private var quote: UInt8?
        private var itemStart = true
        /// The byte after a backslash inside a double-quoted scalar (it may start the next piece).
        private var escaped = false

        package mutating func feed(_ bytes: ArraySlice<UInt8>) {
            for b in bytes {
                if escaped { escaped = false; continue }
                if let q = quote {
                    if b == UInt8(ascii: "\\") && q == UInt8(ascii: "\"") { escaped = true; continue }
                    if b == q { quote = nil }
                    continue
                }
                switch b {
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1; itemStart = true
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1; itemStart = false
                case UInt8(ascii: ","): itemStart = true
                case 0x20, 0x09: break
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if itemStart { quote = b }
                    itemStart = false
                case UInt8(ascii: ":"): itemStart = true
                default: itemStart = false
                }
            }
        }
    }

    /// A flow-collection line without its YAML comment (`#` after whitespace, outside quotes).
    package static func stripFlowComment(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var quote: UInt8?
        var itemStart = true
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            if let q = quote {
                if b == UInt8(ascii: "\\") && q == UInt8(ascii: "\"") { i += 2; continue }
                if b == q { quote = nil }
            } else if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && itemStart {
                quote = b
            } else if b == UInt8(ascii: "#") && (i == line.startIndex || line[i - 1] == 0x20 || line[i - 1] == 0x09) {
                return line[line.startIndex..<i]
            }
            if quote == nil && b != 0x20 && b != 0x09 { itemStart = [UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":")].contains(b) }
            i += 1
        }
        return line
    }

    /// 1-based column (in Unicode scalars) of byte `offset` on `line`.
    package static func columnOf(_ offset: Int, line: Int, lines: LineReader) -> Int {
        let start = lines.lineStarts[line - 1]
        return lines.bytes[start..<max(start, offset)].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
    }

    /// Parses `[a, "b", 'c']` (lines already joined); nil when unterminated.
    package static func parseFlowSequence(_ text: ArraySlice<UInt8>) -> [String]? {
        var items: [String] = []
        var current: [UInt8] = []
        var quote: UInt8?
        var i = text.startIndex + 1
        var closed = false
        var sawQuoted = false
        // Depth of a nested collection inside the current item (`[a, [b, c]]`), kept as its raw text.
        var nested = 0
        while i < text.endIndex {
            let b = text[i]
            if nested > 0 {
                current.append(b)
                if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { nested += 1 } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") { nested -= 1 }
            } else if quote == nil && (b == UInt8(ascii: "[") || b == UInt8(ascii: "{")) && current.isEmpty && !sawQuoted {
                nested = 1
                current.append(b)
            } else if let q = quote {
                if b == q {
                    if q == UInt8(ascii: "'") && i + 1 < text.endIndex && text[i + 1] == q { current.append(b); i += 2; continue }
                    quote = nil
                } else if b == UInt8(ascii: "\\") && q == UInt8(ascii: "\"") && i + 1 < text.endIndex {
                    current.append(text[i + 1]); i += 2; continue
                } else {
                    current.append(b)
                }
            } else if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && current.isEmpty && !sawQuoted {
                quote = b
                sawQuoted = true
            } else if b == UInt8(ascii: ",") || b == UInt8(ascii: "]") {
                let item = sawQuoted ? String(decoding: current, as: UTF8.self) : String(decoding: current[...].trimmingSpaces(), as: UTF8.self)
                if !(item.isEmpty && !sawQuoted && b == UInt8(ascii: "]") && items.isEmpty) { items.append(item) }
                current = []
                sawQuoted = false
                if b == UInt8(ascii: "]") { closed = true; i += 1; break }
            } else if !(sawQuoted && (b == 0x20)) {
                if !(current.isEmpty && b == 0x20) { current.append(b) }
            }
            i += 1
        }
        guard closed else { return nil }
        let rest = text[i...].trimmingSpaces()
        if !rest.isEmpty && rest.first != UInt8(ascii: "#") { return nil }
        return items
    }
}

/// A YAML single- or double-quoted scalar, which may span lines: a line break folds to a
/// space, blank lines to newlines, and `\` at the end of a line joins without a space.
package struct QuotedScalar {
    package var value: [UInt8] = []
    /// Line of the closing quote.
    package var endLine: Int
    /// Text after the closing quote on `endLine`; nil when the string is never closed.
    package var trailing: ArraySlice<UInt8>?
    /// The first invalid escape: its line, byte offset and the escape letter.
    package var badEscape: (line: Int, offset: Int, escape: UInt8?)?

    /// YAML 1.2 single-character escapes (`\L` is U+2028, `\_` a no-break space, …).
    private static let escapes: [UInt8: String] = [
        UInt8(ascii: "0"): "\u{0}", UInt8(ascii: "a"): "\u{7}", UInt8(ascii: "b"): "\u{8}", UInt8(ascii: "t"): "\t", 0x09: "\t",
        UInt8(ascii: "n"): "\n", UInt8(ascii: "v"): "\u{B}", UInt8(ascii: "f"): "\u{C}", UInt8(ascii: "r"): "\r",
        UInt8(ascii: "e"): "\u{1B}", 0x20: " ", UInt8(ascii: "\""): "\"", UInt8(ascii: "/"): "/", UInt8(ascii: "\\"): "\\",
        UInt8(ascii: "N"): "\u{85}", UInt8(ascii: "_"): "\u{A0}", UInt8(ascii: "L"): "\u{2028}", UInt8(ascii: "P"): "\u{2029}",
    ]

    package static func scan(_ text: ArraySlice<UInt8>, quote: UInt8, keyLine: Int, lines: LineReader, last: Int) -> QuotedScalar {
        var result = QuotedScalar(endLine: keyLine)
        let double = quote == UInt8(ascii: "\"")
        var segment = text.dropFirst()
        var line = keyLine
        while true {
            var joinWithoutSpace = false
            var i = segment.startIndex
            while i < segment.endIndex {
                let b = segment[i]
                if b == quote {
                    if !double && i + 1 < segment.endIndex && segment[i + 1] == quote { result.value.append(quote); i += 2; continue }
                    result.endLine = line
                    result.trailing = segment[(i + 1)...]
                    return result
                }
                if double && b == UInt8(ascii: "\\") {
                    guard i + 1 < segment.endIndex else { joinWithoutSpace = true; i += 1; continue }
                    let e = segment[i + 1]
                    if let replacement = escapes[e] {
                        result.value.append(contentsOf: Array(replacement.utf8))
                        i += 2
                        continue
                    }
                    if e == UInt8(ascii: "x") || e == UInt8(ascii: "u") || e == UInt8(ascii: "U") {
                        let length = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
                        if i + 2 + length <= segment.endIndex,
                           let v = UInt32(String(decoding: segment[(i + 2)..<(i + 2 + length)], as: UTF8.self), radix: 16),
                           let scalar = Unicode.Scalar(v) {
                            result.value.append(contentsOf: Array(String(Character(scalar)).utf8))
                            i += 2 + length
                            continue
                        }
                        if result.badEscape == nil { result.badEscape = (line, i, nil) }
                        i += 2
                        continue
                    }
                    if result.badEscape == nil { result.badEscape = (line, i, e) }
                    result.value.append(e)
                    i += 2
                    continue
                }
                result.value.append(b)
                i += 1
            }
            // No closing quote on this line: fold onto the next non-blank one, unless that line
            // starts a new top-level key (then the quote is simply unterminated).
            var next = line + 1
            var blanks = 0
            while next <= last && lines.isBlank(next) { blanks += 1; next += 1 }
            guard next <= last else { return QuotedScalar(value: result.value, endLine: keyLine, trailing: nil, badEscape: result.badEscape) }
            let content = lines.content(next)
            if content.first != 0x20 && content.first != 0x09 && YAMLSubset.looksLikeKeyLine(content) {
                return QuotedScalar(value: result.value, endLine: keyLine, trailing: nil, badEscape: result.badEscape)
            }
            if !joinWithoutSpace {
                while let l = result.value.last, l == 0x20 || l == 0x09 { result.value.removeLast() }
                if blanks == 0 { result.value.append(0x20) } else { result.value.append(contentsOf: Array(repeating: 0x0A, count: blanks)) }
            }
            segment = content.drop(while: { $0 == 0x20 || $0 == 0x09 })
            line = next
        }
    }
}

/// A parser for the TOML subset used in Hugo front matter: `key = value` with basic, literal
/// and multi-line (`"""`) strings, arrays (also spanning lines), `[tables]` and comments.
package enum TOMLSubset {
    package static func parse(lines: LineReader, range: ClosedRange<Int>, entries: inout [FrontMatterEntry], problems: inout [FrontMatterProblem]) {
        var inTable = false
        var n = range.lowerBound
        while n <= range.upperBound {
            let keyLine = n
            let line = stripComment(lines.content(n)).trimmingSpaces()
            n += 1
            let column = { (offset: Int) in offset - lines.lineStarts[keyLine - 1] + 1 }
            if line.isEmpty { continue }
            if line.first == UInt8(ascii: "[") { inTable = true; continue }
            guard let eq = line.firstIndex(of: UInt8(ascii: "=")) else {
                problems.append(FrontMatterProblem(line: keyLine, column: column(line.startIndex), message: "invalid TOML: expected 'key = value'"))
                continue
            }
            var keyBytes = line[line.startIndex..<eq].trimmingSpaces()
            if let q = keyBytes.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'"), keyBytes.count >= 2 { keyBytes = keyBytes.dropFirst().dropLast() }
            let valueText = line[(eq + 1)...].trimmingSpaces()
            // Values that continue on later lines: multi-line strings and arrays.
            if valueText.starts(with: Array("\"\"\"".utf8)) || valueText.starts(with: Array("'''".utf8)) {
                let delimiter = Array(valueText.prefix(3))
                var joined = Array(valueText.dropFirst(3))
                while !containsSubsequence(joined, delimiter) && n <= range.upperBound {
                    joined += [0x0A] + Array(lines.content(n))
                    n += 1
                }
                guard let close = firstIndex(of: delimiter, in: joined) else {
                    problems.append(FrontMatterProblem(line: keyLine, column: column(valueText.startIndex), message: "unterminated multi-line string"))
                    continue
                }
                var body = Array(joined[..<close])
                if body.first == 0x0A { body.removeFirst() }
                if !inTable { append(keyBytes, .scalar(String(decoding: body, as: UTF8.self), .literalBlock), keyLine, line, valueText, lines, &entries) }
                continue
            }
            if valueText.first == UInt8(ascii: "[") {
                var joined = Array(valueText)
                while bracketDepth(joined) > 0 && n <= range.upperBound {
                    joined += [0x20] + Array(stripComment(lines.content(n)).trimmingSpaces())
                    n += 1
                }
                let items = YAMLSubset.parseFlowSequence(joined[...].trimmingTrailingCommaBeforeBracket())
                if items == nil {
                    problems.append(FrontMatterProblem(line: keyLine, column: column(valueText.startIndex), message: "unterminated or invalid array"))
                }
                if !inTable { append(keyBytes, .list(items ?? []), keyLine, line, valueText, lines, &entries) }
                continue
            }
            if inTable { continue }
            let value: FrontMatterValue
            if let q = valueText.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                if valueText.count >= 2 && valueText.last == q {
                    var inner = Array(valueText.dropFirst().dropLast())
                    if q == UInt8(ascii: "\"") { inner = unescapeBasic(inner) }
                    value = .scalar(String(decoding: inner, as: UTF8.self), q == UInt8(ascii: "\"") ? .doubleQuoted : .singleQuoted)
                } else {
                    problems.append(FrontMatterProblem(line: keyLine, column: column(valueText.startIndex), message: "unterminated string"))
                    value = .scalar(String(decoding: valueText.dropFirst(), as: UTF8.self), .doubleQuoted)
                }
            } else if valueText.isEmpty {
                problems.append(FrontMatterProblem(line: keyLine, column: column(eq) + 1, message: "missing value after '='"))
                value = .empty
            } else {
                value = .scalar(String(decoding: valueText, as: UTF8.self), .plain)
            }
            append(keyBytes, value, keyLine, line, valueText, lines, &entries)
        }
    }

    private static func append(_ key: ArraySlice<UInt8>, _ value: FrontMatterValue, _ n: Int, _ line: ArraySlice<UInt8>, _ valueText: ArraySlice<UInt8>,
                               _ lines: LineReader, _ entries: inout [FrontMatterEntry]) {
        entries.append(FrontMatterEntry(key: String(decoding: key, as: UTF8.self), line: n, column: line.startIndex - lines.lineStarts[n - 1] + 1,
                                        value: value, valueRange: valueText.startIndex..<valueText.endIndex,
                                        entryRange: lines.lineStarts[n - 1]..<lines.end(n)))
    }

    /// The line without a `#` comment that is outside quotes.
    package static func stripComment(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var quote: UInt8?
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            if let q = quote {
                if b == UInt8(ascii: "\\") && q == UInt8(ascii: "\"") { i += 2; continue }
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: "#") {
                return line[line.startIndex..<i]
            }
            i += 1
        }
        return line
    }

    /// Unclosed `[` (or `open`'s pair) count outside quotes.
    package static func bracketDepth(_ bytes: [UInt8], open: UInt8 = UInt8(ascii: "[")) -> Int {
        let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var depth = 0
        var quote: UInt8?
        for b in bytes {
            if let q = quote { if b == q { quote = nil }; continue }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { quote = b } else if b == open { depth += 1 } else if b == close { depth -= 1 }
        }
        return depth
    }

    package static func unescapeBasic(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                switch bytes[i + 1] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(bytes[i + 1])
                }
                i += 2
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    package static func containsSubsequence(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool { firstIndex(of: needle, in: bytes) != nil }

    package static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

extension ArraySlice where Element == UInt8 {
    /// `[a, b,]` → `[a, b]`: TOML allows a trailing comma in arrays.
    package func trimmingTrailingCommaBeforeBracket() -> ArraySlice<UInt8> {
        var s = self.trimmingSpaces()
        guard s.last == UInt8(ascii: "]") else { return s }
        var j = s.endIndex - 1
        while j > s.startIndex && (s[j - 1] == 0x20 || s[j - 1] == 0x09) { j -= 1 }
        if j > s.startIndex && s[j - 1] == UInt8(ascii: ",") {
            s = ArraySlice(Array(s[s.startIndex..<(j - 1)]) + [UInt8(ascii: "]")])
        }
        return s
    }
}

/// `YAMLSubset.commonKeys` by length and packed bytes (`ByteWords.packed`), so a key is found by
/// comparing two words with the few keys of its length.
package struct CommonKeyTable: Sendable {
    /// The lengths a packed key can have (two words), and the shortest common key.
    package static let longest = 16, shortest = 2

    /// Entries of keys `n` bytes long: `firstOfLength[n]..<firstOfLength[n + 1]`.
    private let firstOfLength: [Int]
    private let heads: [UInt64], tails: [UInt64], keys: [String]

    package init(_ list: [String]) {
        let usable = list.filter { (Self.shortest...Self.longest).contains($0.utf8.count) }.sorted { $0.utf8.count < $1.utf8.count }
        var firstOfLength = [Int](repeating: 0, count: Self.longest + 2)
        for n in 0...(Self.longest + 1) { firstOfLength[n] = usable.firstIndex { $0.utf8.count >= n } ?? usable.count }
        self.firstOfLength = firstOfLength
        keys = usable
        var heads: [UInt64] = [], tails: [UInt64] = []
        for key in usable {
            let bytes = Array(key.utf8)
            let (head, tail) = bytes.withUnsafeBufferPointer { ByteWords.packed($0, 0..<$0.count) }
            heads.append(head)
            tails.append(tail)
        }
        self.heads = heads
        self.tails = tails
    }

    /// The listed key of `count` bytes packed as `head`, `tail`, else nil.
    @inline(__always)
    package func key(head: UInt64, tail: UInt64, count: Int) -> String? {
        id(head: head, tail: tail, count: count).map { keys[$0] }
    }

    /// The place in this table (`0..<count`) of the listed key of `count` bytes packed as `head`,
    /// `tail`, else nil: the id `FrontMatter` keeps its keys' first entries by.
    @inline(__always)
    package func id(head: UInt64, tail: UInt64, count: Int) -> Int? {
        guard count >= 0, count + 1 < firstOfLength.count else { return nil }
        for k in firstOfLength[count]..<firstOfLength[count + 1] where heads[k] == head && tails[k] == tail { return k }
        return nil
    }

    /// The id of the listed key whose bytes are `bytes`, else nil.
    package func id(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard count >= Self.shortest, count <= Self.longest else { return nil }
        let (head, tail) = ByteWords.packed(bytes, 0..<count)
        return id(head: head, tail: tail, count: count)
    }

    /// The id of the listed key equal to `key` (an ASCII key: byte-equal), else nil.
    package func id(of key: String) -> Int? {
        guard FrontMatter.isASCII(key) else { return nil }
        var key = key
        return key.withUTF8 { id(ofBytes: $0) }
    }

    /// The key of id `id`.
    @inline(__always)
    package func key(id: Int) -> String { keys[id] }

    /// How many keys the table holds (ids are below it).
    package var count: Int { keys.count }
}
