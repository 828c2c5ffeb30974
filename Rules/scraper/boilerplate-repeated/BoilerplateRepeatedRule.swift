import Foundation
import NewsLintCore

/// `boilerplate-repeated`: a non-trivial line that appears in many files of the same site is
/// residue (a footer, a slogan, a sidebar heading no pattern pack knows). Repetition is counted
/// over the whole corpus per site (front-matter source, URL host or categories; see
/// `RepeatedLineKey`), on lines normalised so copies that differ only by a timestamp, a counter
/// or an archive prefix count together. Facts are line hashes only; `newslint learn` reads the
/// text back for the lines it writes.
public struct BoilerplateRepeatedRule: CrossFileRule, RuleWithOptions {
    public static let id = "boilerplate-repeated"
    /// How a finding on a text block that shares its line begins: `newslint learn` learns whole
    /// lines only, so the health report does not offer it for these.
    public static let blockMessageStart = "text block repeated"

    /// Kept for every file until the reduce phase, so it is packed: one allocation per file
    /// (12 bytes per distinct line) and the group string. The JSON form is `group`, `hashes`,
    /// `lines` (and `columns`). The hashes are `KeyHash`es since facts-file version 4 (FNV-1a
    /// before): a facts file of an earlier version is refused by its version, not misread.
    public struct Fact: Codable, Sendable, FactRecord {
        /// Site the file belongs to: `<key>:<front-matter value>`, `host:<URL host>` or `corpus`.
        public var group: String
        /// Per distinct qualifying line: hash low word, hash high word, line number of its first occurrence.
        package var packed: [UInt32]
        /// (entry, column) pairs, by entry, for the units that are an HTML text block sharing its
        /// line with other blocks (a scraped page's one-line article): the finding points at the
        /// block, not at the line's start. Empty for Markdown and one-block lines, so it costs
        /// nothing where lines are the unit.
        package var columns: [UInt32] = []

        /// No units yet (`collect` appends them).
        package init(group: String) {
            self.group = group
            packed = []
        }

        public init(group: String, hashes: [UInt64], lines: [Int], columns: [Int: Int] = [:]) {
            self.group = group
            packed = []
            packed.reserveCapacity(min(hashes.count, lines.count) * 3)
            for (k, (h, n)) in zip(hashes, lines).enumerated() { _ = append(hash: h, line: n, column: columns[k]) }
        }

        /// Appends one unit (`column` only for a block inside a line of several); false (nothing
        /// appended) for a line number or column beyond 32 bits.
        /// Inlined: `collect` appends each file's units one by one (a call was ~166 instructions a unit).
        @inline(__always)
        package mutating func append(hash: UInt64, line: Int, column: Int? = nil) -> Bool {
            guard let n = UInt32(exactly: line) else { return false }
            if let column {
                guard let c = UInt32(exactly: column), c >= 1 else { return false }
                columns.append(UInt32(truncatingIfNeeded: count))
                columns.append(c)
            }
            packed.append(UInt32(truncatingIfNeeded: hash))
            packed.append(UInt32(truncatingIfNeeded: hash >> 32))
            packed.append(n)
            return true
        }

        /// Column of each block unit that shares its line, by entry.
        public var blockColumns: [Int: Int] {
            var out: [Int: Int] = [:]
            for p in stride(from: 0, to: columns.count - 1, by: 2) { out[Int(columns[p])] = Int(columns[p + 1]) }
            return out
        }

        public var count: Int { packed.count / 3 }
        /// `reserveCapacity` of `packed`.
        package mutating func reserve(words: Int) { packed.reserveCapacity(words) }
        /// Whether an entry holds `hash` (a walk over the entries: for the few a file mostly has).
        @inline(__always)
        package func holds(hash: UInt64) -> Bool {
            let low = UInt32(truncatingIfNeeded: hash), high = UInt32(truncatingIfNeeded: hash >> 32)
            return packed.withUnsafeBufferPointer { p in
                var k = 0
                while k &+ 2 < p.count {
                    if p[k] == low && p[k &+ 1] == high { return true }
                    k &+= 3
                }
                return false
            }
        }
        public func hash(at i: Int) -> UInt64 { UInt64(packed[3 * i]) | UInt64(packed[3 * i + 1]) << 32 }
        public func line(at i: Int) -> Int { Int(packed[3 * i + 2]) }
        /// Hash of each distinct qualifying line.
        public var hashes: [UInt64] { (0..<count).map(hash(at:)) }
        /// Line number of each hash's first occurrence.
        public var lines: [Int] { (0..<count).map(line(at:)) }

        /// `columns` (entry, column pairs, flat) is written only when there are some: facts of earlier
        /// builds, without it, still read (their findings point at line starts).
        package enum CodingKeys: String, CodingKey { case group, hashes, lines, columns }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let hashes = try c.decode([UInt64].self, forKey: .hashes)
            let lines = try c.decode([Int].self, forKey: .lines)
            guard hashes.count == lines.count, lines.allSatisfy({ $0 >= 1 && $0 <= Int(UInt32.max) }) else {
                throw DecodingError.dataCorruptedError(forKey: .lines, in: c, debugDescription: "expected one line number (1...\(UInt32.max)) per hash")
            }
            let pairs = try c.decodeIfPresent([Int].self, forKey: .columns) ?? []
            guard Self.validColumns(pairs, entries: hashes.count) else {
                throw DecodingError.dataCorruptedError(forKey: .columns, in: c, debugDescription: "expected (entry, column ≥ 1) pairs in entry order")
            }
            var columns: [Int: Int] = [:]
            for p in stride(from: 0, to: pairs.count - 1, by: 2) { columns[pairs[p]] = pairs[p + 1] }
            self.init(group: try c.decode(String.self, forKey: .group), hashes: hashes, lines: lines, columns: columns)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(hashes, forKey: .hashes)
            try c.encode(lines, forKey: .lines)
            if !columns.isEmpty { try c.encode(columns.map(Int.init), forKey: .columns) }
        }

        /// Pairs of (entry below `entries`, column ≥ 1), entries strictly increasing.
        private static func validColumns<T: BinaryInteger>(_ pairs: [T], entries: Int) -> Bool {
            guard pairs.count % 2 == 0 else { return false }
            var last = -1
            for p in stride(from: 0, to: pairs.count, by: 2) {
                guard let k = Int(exactly: pairs[p]), k > last, k < entries, pairs[p + 1] >= 1, pairs[p + 1] <= UInt32.max else { return false }
                last = k
            }
            return true
        }

        public func write(to record: inout FactRecordWriter) {
            record.string(group)
            record.fixed32Array(packed)
            record.fixed32Array(columns)
        }

        /// The same checks as the JSON form: whole (hash, line) triples, lines from 1, column pairs.
        public init(record: inout FactRecordReader) throws {
            group = try record.string()
            packed = try record.fixed32Array()
            columns = try record.fixed32Array()
            guard packed.count % 3 == 0, stride(from: 2, to: packed.count, by: 3).allSatisfy({ packed[$0] >= 1 }),
                  Self.validColumns(columns, entries: packed.count / 3) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "expected (hash, line ≥ 1) triples and (entry, column ≥ 1) pairs"))
            }
        }
    }

    package let minLength: Int
    package let minWords: Int
    package let minFiles: Int
    package let minShare: Double
    package let groupKeys: [FrontMatterKey]

    public struct Options: Decodable, Sendable {
        package var minLength: Int
        package var minWords: Int
        package var minFiles: Int
        package var minShare: Double
        package var groupBy: [String]
    }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        minLength = o.minLength
        minWords = o.minWords
        minFiles = o.minFiles
        minShare = o.minShare
        groupKeys = o.groupBy.map(FrontMatterKey.init)
        guard minFiles >= 2 else { throw RuleOptionError(option: "minFiles", message: "expected at least 2 (a line in one file is not repeated)") }
        guard minShare > 0, minShare <= 1 else { throw RuleOptionError(option: "minShare", message: "expected a share in (0, 1]") }
    }

    /// The trimmed byte range of line `n` when it qualifies, else nil.
    package func qualifyingRange(_ document: Document, _ n: Int) -> Range<Int>? {
        if document.isCode(line: n) { return nil }
        return qualifyingRange(document.bytes, document.contentRange(ofLine: n))
    }

    /// The trimmed part of `r` when it qualifies (long enough, enough words of text), else nil.
    package func qualifyingRange(_ b: [UInt8], _ r: Range<Int>) -> Range<Int>? {
        guard let trimmed = Self.trimmedUnlessHeading(b, r) else { return nil }
        let lo = trimmed.lowerBound, hi = trimmed.upperBound
        // Words inside HTML tags and entities are markup (`<div id="zoomattribute">`), not text.
        guard hi > lo, TextScan.hasScalars(b, lo..<hi, atLeast: minLength) else { return nil }
        // Counted without the markup until a `<` or `&` is read (most lines reach `minWords` before
        // any); then the markup is found as the count goes.
        var words: Int
        if let plain = TextScan.residualWordsBeforeMarkup(b, lo..<hi, limit: minWords) {
            words = plain
        } else {
            var markup = RepeatedLineKey.MarkupRanges(b, lo..<hi)
            words = TextScan.residualWords(b, lo..<hi, excluding: &markup, limit: minWords)
        }
        // The numbers of a line count as one word: `更新於 2024-11-01 10:00` is a label and its
        // value, while a lone date or time still has no word.
        if words == minWords - 1, b[lo..<hi].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { words += 1 }
        guard words >= minWords else { return nil }
        return lo..<hi
    }

    /// `r` without its leading and trailing spaces, tabs and no-break spaces; nil for a section
    /// heading, which no length or word count lets qualify.
    @inline(__always)
    package static func trimmedUnlessHeading(_ b: [UInt8], _ r: Range<Int>) -> Range<Int>? {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, case let l = TextScan.spaceLength(b, lo, hi), l > 0 { lo += l }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || (hi - lo >= 2 && b[hi - 2] == 0xC2 && b[hi - 1] == 0xA0)) {
            hi -= b[hi - 1] == 0xA0 ? 2 : 1
        }
        // Section headings (`## 本周重点`) recur across the articles of a series: structure, not residue.
        // A level-1 heading can be a scraped site banner, so it still counts.
        if hi - lo >= 3, b[lo] == UInt8(ascii: "#"), b[lo + 1] == UInt8(ascii: "#") {
            var k = lo
            while k < hi && b[k] == UInt8(ascii: "#") { k += 1 }
            if k - lo <= 6, k < hi, b[k] == 0x20 || b[k] == 0x09 { return nil }
        }
        // The same in HTML bodies: `<h3>俄乌战争：第 980 天关键事件概述</h3>` heads a section of a series.
        if hi - lo >= 4, b[lo] == UInt8(ascii: "<"), b[lo + 1] | 0x20 == UInt8(ascii: "h"), (0x32...0x36).contains(b[lo + 2]),
           b[lo + 3] == UInt8(ascii: ">") || b[lo + 3] == 0x20 { return nil }
        return lo..<hi
    }

    /// A block that is only a date or time (`<time>2024年11月1日</time>`): the post's own date, which
    /// the digit folding of the key would make "repeated" in every file of the site.
    /// Reads the bytes in place (no `String`, no `Set`, no decoder per block: it is asked for every
    /// block of every HTML file, and most blocks fail at their first character). A 3-byte sequence is
    /// decoded without validity checks: each unit below has exactly one encoding, and an ill-formed
    /// sequence (no date unit, as its U+FFFD would not be) decodes to no unit.
    package static func isDateOnly(_ text: [UInt8]) -> Bool { isDateOnly(text, 0..<text.count) }

    /// `isDateOnly` of the text `text[range]`.
    package static func isDateOnly(_ text: [UInt8], _ range: Range<Int>) -> Bool {
        var digits = false
        return text.withUnsafeBufferPointer { b -> Bool in
            let n = range.upperBound
            var i = range.lowerBound
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    switch c {
                    case 0x30...0x39: digits = true
                    case 0x3A, 0x2F, 0x2D, 0x2E, 0x20, 0x09, 0x0A, 0x0D: break
                    default: return false
                    }
                    i &+= 1
                    continue
                }
                if c == 0xC2 {
                    // U+00A0 only.
                    guard i &+ 1 < n, b[i &+ 1] == 0xA0 else { return false }
                    i &+= 2
                    continue
                }
                guard c & 0xF0 == 0xE0, i &+ 2 < n, b[i &+ 1] & 0xC0 == 0x80, b[i &+ 2] & 0xC0 == 0x80 else { return false }
                let scalar = UInt32(c & 0x0F) << 12 | UInt32(b[i &+ 1] & 0x3F) << 6 | UInt32(b[i &+ 2] & 0x3F)
                switch scalar {
                // 年 月 日 时 時 分 秒 ： and the ideographic space.
                case 0x5E74, 0x6708, 0x65E5, 0x65F6, 0x6642, 0x5206, 0x79D2, 0xFF1A, 0x3000: i &+= 3
                default: return false
                }
            }
            return digits
        }
    }

    /// The bytes of `HTMLView.blockText` of `range` as a range of `bytes`, when the block's text is
    /// one text token with no tab or line break (which `blockText` makes spaces) and no character
    /// reference: the token without its trailing spaces. Nil otherwise (then `blockText` is asked).
    /// `blockText` cleared its buffer and copied the token into it for every block (~250
    /// instructions a block before its bytes). `cursor`: as `blockText`'s, 0 before the first block.
    /// Inlined into `collectUnits`, its one caller, as the optimizer chose to before `hasTabOrBreak`
    /// grew a loop of sixty-four bytes (a call a block then cost more than the loop saved).
    @inline(__always)
    package static func soleTextToken(_ view: HTMLView, _ bytes: [UInt8], _ range: Range<Int>, cursor: inout Int) -> Range<Int>? {
        let tokens = view.tokens
        // The token holding the block's start, walked to from `cursor` (blocks come in order);
        // bisected when the cursor is past it.
        var t = cursor
        if t < tokens.count, tokens[t].range.lowerBound <= range.lowerBound {
            while t < tokens.count, tokens[t].range.upperBound <= range.lowerBound { t &+= 1 }
            cursor = t
            guard t < tokens.count, tokens[t].range.lowerBound <= range.lowerBound else { return nil }
        } else {
            guard let found = view.tokenIndex(containing: range.lowerBound) else { return nil }
            t = found
            cursor = found
        }
        var sole: Range<Int>?
        while t < tokens.count, tokens[t].range.lowerBound < range.upperBound {
            switch tokens[t].kind {
            case .text:
                guard sole == nil else { return nil }
                sole = tokens[t].range
            case .characterReference: return nil
            default: break
            }
            t &+= 1
        }
        guard let sole, sole.lowerBound >= 0, sole.upperBound <= bytes.count, !hasTabOrBreak(bytes, sole) else { return nil }
        var hi = sole.upperBound
        while hi > sole.lowerBound, bytes[hi &- 1] == 0x20 { hi &-= 1 }
        return sole.lowerBound..<hi
    }

    /// Whether `b[range]` holds a tab, a line feed or a carriage return: sixty-four bytes a step,
    /// then sixteen, are tested at once for a byte up to 0x0D (unsigned vector compares; text
    /// holds almost none), and only a sixteen that holds one is read byte by byte. The last bytes are the sixteen ending at the
    /// range's end (read again where they overlap: a test of presence). Three `memchr`s, one per
    /// byte, cost ~229 instructions a block (their set-up three times over short texts).
    package static func hasTabOrBreak(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        b.withUnsafeBufferPointer { buf -> Bool in
            guard range.lowerBound >= 0, range.upperBound <= buf.count, let base = buf.baseAddress else { return false }
            let raw = UnsafeRawPointer(base)
            let end = range.upperBound
            @inline(__always) func isTabOrBreak(_ c: UInt8) -> Bool { c == 0x09 || c == 0x0A || c == 0x0D }
            let highest = SIMD16<UInt8>(repeating: 0x0D)
            /// The sixteen bytes from `k` that are up to 0x0D.
            @inline(__always) func lowBytes(_ k: Int) -> SIMDMask<SIMD16<Int8>> {
                raw.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self) .<= highest
            }
            /// Whether the sixteen bytes from `k`, whose `lowBytes` are `low`, hold one.
            @inline(__always) func chunkHolds(_ k: Int, _ low: SIMDMask<SIMD16<Int8>>) -> Bool {
                guard ByteWords.anyLane(low) else { return false }
                for j in k..<(k &+ 16) where isTabOrBreak(buf[j]) { return true }
                return false
            }
            @inline(__always) func chunkHolds(_ k: Int) -> Bool { chunkHolds(k, lowBytes(k)) }
            var k = range.lowerBound
            // Sixteen bytes a step cost ~12 instructions (the mask tested each step; 8.4 M at agora
            // x1, paragraphs of a few hundred bytes): sixty-four a step or the four compares' masks
            // together, one test for them (`ByteWords.anyLane`), and only a step that holds
            // one is read sixteen at a time.
            while k &+ 64 <= end {
                let m0 = lowBytes(k), m1 = lowBytes(k &+ 16), m2 = lowBytes(k &+ 32), m3 = lowBytes(k &+ 48)
                if ByteWords.anyLane((m0 .| m1) .| (m2 .| m3)) {
                    // The four masks as they are, not loaded and compared again.
                    if chunkHolds(k, m0) || chunkHolds(k &+ 16, m1) || chunkHolds(k &+ 32, m2) || chunkHolds(k &+ 48, m3) { return true }
                }
                k &+= 64
            }
            while k &+ 16 <= end {
                if chunkHolds(k) { return true }
                k &+= 16
            }
            if k < end, range.count >= 16 { return chunkHolds(end &- 16) }
            while k < end {
                if isTabOrBreak(buf[k]) { return true }
                k &+= 1
            }
            return false
        }
    }

    public func collect(_ document: Document) -> Fact? { collect(document, environment: .default) }

    /// Up to this many units, a new unit's hash is looked for among the fact's own (a few compares);
    /// past them, in a `LineHashSet`.
    static let unitsSearched = 16

    /// Lines a pack rule already reported in this file (`environment.linesReportedByPacks`) are left
    /// out: the user has turned them into a rule, so they are not reported twice.
    public func collect(_ document: Document, environment: LintEnvironment) -> Fact? {
        // Not interned: facts are records (bytes) until the reduce, where a shared copy saved nothing.
        var fact = Fact(group: RepeatedLineKey.site(document.frontMatter, keys: groupKeys))
        collectUnits(document, environment: environment, into: &fact)
        return fact
    }

    /// The record `collect`'s fact writes (`CrossFileRule.collectRecord`), with the group written
    /// from its parts (`RepeatedLineKey.writeSite`): the engine keeps only the record, so the
    /// group string made for every file was only copied into it and freed.
    public func collectRecord(_ document: Document, environment: LintEnvironment, index: Int, into writer: inout FactRecordWriter,
                              quotedLine: inout Int?, unrecorded: inout [(rule: Int, fact: any Sendable)]) {
        writer.byte(FactRecordFormat.recordV1)
        RepeatedLineKey.writeSite(document.frontMatter, keys: groupKeys, to: &writer)
        // At most one unit per block (HTML) or body line, kept in a temporary buffer (on the stack
        // when small): a fact's array was an allocation and a free for every file.
        // The (entry, column) pairs, at most one a unit, in the same storage after the triples: an
        // array of them grew by reallocation in the files that have any.
        let most = document.bodyLines.map { document.isHTMLFile ? document.htmlBlockRanges.count : $0.count } ?? 0
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 5 * most) { buffer in
            var units = BufferedUnits(words: UnsafeMutableBufferPointer(rebasing: buffer[..<(3 * most)]),
                                      columns: UnsafeMutableBufferPointer(rebasing: buffer[(3 * most)...]))
            collectUnits(document, environment: environment, into: &units)
            units.write(to: &writer)
        }
        // `quotedLine(of:)` is the protocol's: this rule's fact names no line to quote.
        quotedLine = nil
    }

    /// Appends the file's units to `fact` (its group already set).
    private func collectUnits<Units: UnitSink>(_ document: Document, environment: LintEnvironment, into fact: inout Units) {
        guard let body = document.bodyLines else { return }
        // Each qualifying unit's key is hashed as it is made (`RepeatedLineKey.hash`), in line order;
        // the first occurrence of each hash is kept. Nothing is appended once an entry does not fit.
        // While the fact holds few units they are the set (`Fact.holds`): most files keep a few
        // lines, and a set made for each file was an allocation, its zeroing and a free.
        // Made once the fact holds `Self.unitsSearched` units, from them.
        var seen: LineHashSet?
        var full = false
        /// Keeps the unit's hash at line `n` (`column` for a block sharing its line) if it is new.
        func keep(_ h: UInt64, line n: Int, column: Int? = nil) {
            guard !full else { return }
            if fact.count < Self.unitsSearched {
                if fact.holds(hash: h) { return }
            } else {
                if seen == nil {
                    // Sized by the file's units (it grows past them); a set for 64 zeroes 1 KB.
                    var set = LineHashSet(capacity: min(64, document.isHTMLFile ? document.htmlBlockRanges.count : body.count))
                    for k in 0..<fact.count { _ = set.insert(fact.hash(at: k)) }
                    seen = set
                }
                guard seen?.insert(h) == true else { return }
            }
            if !fact.append(hash: h, line: n, column: column) { full = true }
        }
        if document.isHTMLFile {
            // A scraped page often holds a whole article on one line: the unit is a block's text,
            // made in one buffer reused block after block (`HTMLView.textBlocks` makes an array per
            // block, headings included).
            let view = document.html, blocks = document.htmlBlockRanges
            // At most one entry per block, reserved once.
            fact.reserve(words: 3 * blocks.count)
            var text: [UInt8] = []
            // A block that shares its line with other blocks (headings included, as `newslint learn`
            // counts them) is reported at its own column; columns are counted on from the last one
            // on the same line, so a one-line article of many blocks stays linear.
            // Each block's first and last line, found by one walk down the line index (blocks come
            // in order and do not overlap), one block ahead: a block is compared with the last line
            // of the one before and the first line of the one after only (two arrays of every
            // block's lines were two allocations an HTML file).
            let lineStarts = document.lineStarts
            var lineIndex = 1
            /// The next block's first and last line.
            func lines(of block: HTMLView.BlockRange) -> (first: Int, last: Int) {
                while lineIndex < lineStarts.count, lineStarts[lineIndex] <= block.range.lowerBound { lineIndex += 1 }
                let first = lineIndex
                while lineIndex < lineStarts.count, lineStarts[lineIndex] < block.range.upperBound { lineIndex += 1 }
                return (first, lineIndex)
            }
            var current = blocks.isEmpty ? (first: 0, last: 0) : lines(of: blocks[0])
            // The last line of the block before (0, no line, before the first block).
            var lastLineBefore = 0
            // `index`: the scalar index of `offset` in the shared decode (`scalarIndices`), -1 when
            // not known (then the column is counted with `scalarCount`).
            var cursor = (line: 0, offset: 0, column: 1, index: -1)
            // Made at the first block that shares its line (most files have none).
            var scalarIndices: ScalarIndexCursor?
            var madeScalarIndices = false
            var tokenCursor = 0, soleCursor = 0
            for j in blocks.indices {
                let block = blocks[j]
                let next: (first: Int, last: Int)? = j + 1 < blocks.count ? lines(of: blocks[j + 1]) : nil
                let n = current.first, sharesLine = lastLineBefore == n || next?.first == n
                defer {
                    lastLineBefore = current.last
                    if let next { current = next }
                }
                guard !block.heading else { continue }
                // A block whose text is one text token (`<p>…</p>` on one line) is read in place;
                // the others are made in `text`.
                let h: UInt64
                if let sole = Self.soleTextToken(view, document.bytes, block.range, cursor: &soleCursor) {
                    guard !Self.isDateOnly(document.bytes, sole) else { continue }
                    guard !environment.linesReportedByPacks.contains(n), let r = qualifyingRange(document.bytes, sole) else { continue }
                    h = RepeatedLineKey.hash(document.bytes, r)
                } else {
                    view.blockText(document.bytes, block.range, into: &text, cursor: &tokenCursor)
                    guard !Self.isDateOnly(text) else { continue }
                    guard !environment.linesReportedByPacks.contains(n), let r = qualifyingRange(text, 0..<text.count) else { continue }
                    h = RepeatedLineKey.hash(text, r)
                }
                // Shares its line with the end of the block before it or the start of the one after.
                guard sharesLine else {
                    keep(h, line: n)
                    continue
                }
                if !madeScalarIndices {
                    scalarIndices = ScalarIndexCursor(document)
                    madeScalarIndices = true
                }
                if cursor.line != n {
                    let lineStart = document.lineStarts[n - 1]
                    cursor = (n, lineStart, 1, scalarIndices?.index(ofByte: lineStart) ?? -1)
                }
                let start = block.range.lowerBound
                if cursor.index >= 0, let k = scalarIndices?.index(ofByte: start) {
                    cursor.column += k - cursor.index
                    cursor.index = k
                } else {
                    cursor.column += document.scalarCount(cursor.offset..<start)
                    cursor.index = -1
                }
                cursor.offset = start
                keep(h, line: n, column: cursor.column)
            }
        } else {
            fact.reserve(words: 3 * body.count)
            for n in body where !environment.linesReportedByPacks.contains(n) {
                guard let r = qualifyingRange(document, n) else { continue }
                keep(RepeatedLineKey.hash(document.bytes, r), line: n)
            }
        }
        // The slack reserved above is not trimmed: the engine encodes nearly every fact into its
        // column's record bytes as soon as the file is done (a column keeps only its first fact as a
        // value), so the arrays do not live until the reduce; a copy of each per file trimmed them
        // for nothing.
    }

    /// Where `collectUnits` puts a file's units: a `Fact`'s arrays, or `BufferedUnits` for its record.
    fileprivate protocol UnitSink {
        var count: Int { get }
        func holds(hash: UInt64) -> Bool
        func hash(at i: Int) -> UInt64
        mutating func append(hash: UInt64, line: Int, column: Int?) -> Bool
        mutating func reserve(words: Int)
    }

    /// `collectRecord`'s units: the (hash low word, hash high word, line) triples in a buffer sized
    /// for every unit the file can have, the (entry, column) pairs in one sized for a pair a unit
    /// (most files have none), written as `Fact.write(to:)` writes `packed` and `columns`.
    fileprivate struct BufferedUnits: UnitSink {
        private let words: UnsafeMutableBufferPointer<UInt32>
        private var used = 0
        private let columns: UnsafeMutableBufferPointer<UInt32>
        private var columnsUsed = 0

        init(words: UnsafeMutableBufferPointer<UInt32>, columns: UnsafeMutableBufferPointer<UInt32>) {
            self.words = words
            self.columns = columns
        }

        var count: Int { used / 3 }
        func hash(at i: Int) -> UInt64 { UInt64(words[3 &* i]) | UInt64(words[3 &* i &+ 1]) << 32 }

        /// `Fact.holds`.
        @inline(__always)
        func holds(hash: UInt64) -> Bool {
            let low = UInt32(truncatingIfNeeded: hash), high = UInt32(truncatingIfNeeded: hash >> 32)
            var k = 0
            while k &+ 2 < used {
                if words[k] == low && words[k &+ 1] == high { return true }
                k &+= 3
            }
            return false
        }

        /// `Fact.append`, with the same limits; false too when a buffer is full (they are sized so
        /// neither ever is).
        @inline(__always)
        mutating func append(hash: UInt64, line: Int, column: Int?) -> Bool {
            guard let n = UInt32(exactly: line), used &+ 3 <= words.count else { return false }
            if let column {
                guard let c = UInt32(exactly: column), c >= 1, columnsUsed &+ 2 <= columns.count else { return false }
                columns[columnsUsed] = UInt32(truncatingIfNeeded: count)
                columns[columnsUsed &+ 1] = c
                columnsUsed &+= 2
            }
            words[used] = UInt32(truncatingIfNeeded: hash)
            words[used &+ 1] = UInt32(truncatingIfNeeded: hash >> 32)
            words[used &+ 2] = n
            used &+= 3
            return true
        }

        func reserve(words: Int) {}

        /// The triples, then the pairs, as `Fact.write(to:)` writes `packed` and `columns`.
        func write(to record: inout FactRecordWriter) {
            record.fixed32Array(UnsafeBufferPointer(rebasing: words[..<used]))
            record.fixed32Array(UnsafeBufferPointer(rebasing: columns[..<columnsUsed]))
        }
    }

    /// One file's units as little-endian 32-bit words where they lie: a record's bytes in place,
    /// or a decoded fact's arrays (`Fact.packed`, `Fact.columns`).
    struct Units {
        /// (hash low word, hash high word, line) per unit.
        let packed: UnsafeRawBufferPointer
        /// (entry, column) pairs.
        let columns: UnsafeRawBufferPointer

        var count: Int { packed.count / 12 }
        var columnWords: Int { columns.count / 4 }
        @inline(__always) func low(_ k: Int) -> UInt32 { Self.word(packed, 3 &* k) }
        @inline(__always) func hash(_ k: Int) -> UInt64 { UInt64(Self.word(packed, 3 &* k)) | UInt64(Self.word(packed, 3 &* k &+ 1)) << 32 }
        @inline(__always) func line(_ k: Int) -> Int { Int(Self.word(packed, 3 &* k &+ 2)) }
        @inline(__always) func column(_ w: Int) -> UInt32 { Self.word(columns, w) }
        @inline(__always) private static func word(_ b: UnsafeRawBufferPointer, _ w: Int) -> UInt32 {
            UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 &* w, as: UInt32.self))
        }

        /// The checks of `Fact.init(record:)`: whole (hash, line ≥ 1) triples, (entry, column ≥ 1)
        /// pairs with entries increasing and below the unit count.
        var isValid: Bool {
            guard packed.count % 12 == 0, columns.count % 8 == 0 else { return false }
            for k in 0..<count where line(k) < 1 { return false }
            var last = -1
            for p in stride(from: 0, to: columnWords, by: 2) {
                let k = Int(column(p))
                guard k > last, k < count, column(p + 1) >= 1 else { return false }
                last = k
            }
            return true
        }
    }

    /// Calls `body` with entry `i`'s group (its UTF-8 bytes) and units, read from the record in
    /// place when the table has it (`inPlace` true; `body` may decline it by returning false, as
    /// for a group whose bytes are not UTF-8). Otherwise, and when declined, from the decoded
    /// fact (facts read from JSON, or the stand-in for a record that does not read), which `body`
    /// must take: the same fact the reduce read before records were read in place.
    private static func withUnits(_ facts: FactTable<Fact>, _ i: Int, _ body: (_ group: UnsafeRawBufferPointer, _ units: Units, _ inPlace: Bool) -> Bool) {
        let read = facts.withRecord(i) { record in
            let group = try record.stringBytes()
            let units = Units(packed: try record.fixed32ArrayBytes(), columns: try record.fixed32ArrayBytes())
            guard record.atEnd, units.isValid, body(group, units, true) else { throw CompactCoderError.malformed }
        }
        if read { return }
        var fact = facts.fact(i)
        #if _endian(big)
        fact.packed = fact.packed.map(\.littleEndian)
        fact.columns = fact.columns.map(\.littleEndian)
        #endif
        fact.group.withUTF8 { g in
            fact.packed.withUnsafeBytes { p in
                fact.columns.withUnsafeBytes { c in
                    let took = body(UnsafeRawBufferPointer(g), Units(packed: p, columns: c), false)
                    assert(took, "a decoded fact must be taken: its group is a String, so valid UTF-8")
                }
            }
        }
    }

    /// Whether `a` holds exactly the bytes `b`.
    @inline(__always)
    private static func same(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard let p = a.baseAddress, !b.isEmpty else { return true }
        return b.withUnsafeBytes { q in q.baseAddress.map { memcmp(p, $0, b.count) == 0 } ?? false }
    }

    /// A site (group) as the reduce numbers them, in the order first seen.
    struct Group {
        let name: String
        let utf8: [UInt8]
        var files: [UInt32] = []
        /// The largest bound any of its lines reached when it was added (a line counted `n`
        /// times reached at least `n` then).
        var reached: UInt32 = 0
        /// Smallest file count that passes both thresholds.
        var need = 0
        /// Its repeated lines: hash → file count.
        var hits: [UInt64: Int] = [:]
    }

    /// What the reduce found: the groups by number, their numbers by name, and the shared bounds
    /// (below a group's `need` for a line, the line is certainly not among its hits).
    struct Repeats {
        var groups: [Group] = []
        var numbers: [String: Int] = [:]
        var rough: LineCountBounds
    }

    /// Hashes that repeat in enough files of their group: (group, hash) → file count and group size.
    ///
    /// Two passes over the facts so the working set stays small (facts are read back from the
    /// table each time, never held): the first reads each file's group and adds its lines to
    /// bounded counters over the 32-bit hash prefixes, salted by the group (an upper bound of the
    /// true count, `LineCountBounds`, one table for all groups), which pick the candidates; the
    /// second counts only candidates, group by group, by their full hash. The result is exactly
    /// that of a full 64-bit count.
    package func repeatedLines(_ facts: FactTable<Fact>) -> [String: [UInt64: (count: Int, total: Int)]] {
        var out: [String: [UInt64: (count: Int, total: Int)]] = [:]
        for group in repeats(facts).groups where !group.hits.isEmpty {
            out[group.name] = group.hits.mapValues { ($0, group.files.count) }
        }
        return out
    }

    /// `repeatedLines` by group number, with each group's files. A group none of whose lines'
    /// bounds reached its threshold is not read a second time (its exact count would find nothing).
    /// Groups are numbered as they come; the group of the file before is compared by its bytes
    /// first (files of one site mostly come together, in one folder), and only a new one is made
    /// a `String` and looked up.
    private func repeats(_ facts: FactTable<Fact>) -> Repeats {
        var r = Repeats(rough: LineCountBounds(files: facts.count))
        var last = -1
        for i in facts.indices {
            Self.withUnits(facts, i) { group, units, inPlace in
                let g: Int
                if last >= 0, Self.same(group, r.groups[last].utf8) {
                    g = last
                } else {
                    guard let name = String(exactUTF8: group.assumingMemoryBound(to: UInt8.self)) else { return false }
                    if let n = r.numbers[name] {
                        g = n
                    } else {
                        g = r.groups.count
                        r.numbers[name] = g
                        r.groups.append(Group(name: name, utf8: Array(group)))
                    }
                }
                last = g
                r.groups[g].files.append(UInt32(truncatingIfNeeded: i))
                let salt = Self.groupSalt(g)
                var reached = r.groups[g].reached
                for k in 0..<units.count { reached = max(reached, r.rough.add(UInt64(units.low(k)) ^ salt)) }
                r.groups[g].reached = reached
                return true
            }
        }
        for g in r.groups.indices {
            let total = r.groups[g].files.count
            var need = max(minFiles, 1)
            while Double(need) / Double(max(total, 1)) < minShare { need += 1 }
            r.groups[g].need = need
            guard need <= total, Int(r.groups[g].reached) >= need else { continue }
            let salt = Self.groupSalt(g), utf8 = r.groups[g].utf8, rough = r.rough
            var exact = LineHashCounts()
            for i in r.groups[g].files {
                Self.withUnits(facts, Int(i)) { group, units, inPlace in
                    // A record that no longer reads as the first pass read it is decoded, as before.
                    if inPlace, !Self.same(group, utf8) { return false }
                    for k in 0..<units.count where rough.bound(UInt64(units.low(k)) ^ salt) >= need { exact.add(units.hash(k)) }
                    return true
                }
            }
            var hits: [UInt64: Int] = [:]
            exact.forEach { h, n in if n >= need { hits[h] = n } }
            r.groups[g].hits = hits
        }
        return r
    }

    /// What a group's line prefixes are mixed with in the shared bounds (group number `g`).
    private static func groupSalt(_ g: Int) -> UInt64 { UInt64(truncatingIfNeeded: g) &* 0x9E37_79B9_7F4A_7C15 }

    public func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink) {
        let r = repeats(facts)
        // Only the files of groups with repeated lines are read again, in file order (as the
        // loop over every file reported them): file number and group number in one word.
        var files: [UInt64] = []
        for (g, group) in r.groups.enumerated() where !group.hits.isEmpty {
            for i in group.files { files.append(UInt64(i) << 32 | UInt64(g)) }
        }
        guard !files.isEmpty else { return }
        files.sort()
        // Messages made once per group, file count and kind (line or block; a corpus of copies
        // repeats them in every copy).
        var messages: [UInt64: String] = [:]
        var described: [Int: String] = [:]
        // Facts by index: a path is read (decoded from the engine's path list) only for a finding.
        for entry in files {
            let i = Int(entry >> 32)
            Self.withUnits(facts, i) { groupBytes, units, inPlace in
                var g = Int(entry & 0xFFFF_FFFF)
                // The file's own group name when it is not the group's bytes (a decoded fact; a name
                // equal as a `String` but spelled otherwise): its messages are made for it alone.
                var own: String?
                if inPlace {
                    guard Self.same(groupBytes, r.groups[g].utf8) else { return false }
                } else {
                    // A decoded fact is reported by its own group, as before records were read in place.
                    let name = String(decoding: groupBytes, as: UTF8.self)
                    guard let n = r.numbers[name], !r.groups[n].hits.isEmpty else { return true }
                    g = n
                    if !Self.same(groupBytes, r.groups[g].utf8) { own = name }
                }
                let group = r.groups[g], salt = Self.groupSalt(g)
                var nextColumn = 0  // word index into `units.columns`, whose entries come in order
                for k in 0..<units.count {
                    var column: Int?
                    if nextColumn + 1 < units.columnWords, units.column(nextColumn) == k {
                        column = Int(units.column(nextColumn + 1))
                        nextColumn += 2
                    }
                    // Below the bound's threshold a line is certainly not a hit: no table lookup.
                    guard r.rough.bound(UInt64(units.low(k)) ^ salt) >= group.need, let count = group.hits[units.hash(k)] else { continue }
                    let key = UInt64(truncatingIfNeeded: g) << 33 | UInt64(truncatingIfNeeded: count) << 1 | (column == nil ? 0 : 1)
                    func share() -> String {
                        let d: String
                        if let own { d = Self.describe(group: own) } else if let made = described[g] { d = made } else {
                            d = Self.describe(group: group.name)
                            described[g] = d
                        }
                        return "in \(count) of \(group.files.count) files \(d)"
                    }
                    let message: String
                    if own == nil, let made = messages[key] { message = made } else {
                        message = column == nil
                            ? "line repeated \(share()) (site residue; 'newslint learn' turns such lines into a rule pack)"
                            : "\(Self.blockMessageStart) \(share()) (site residue on a line of several blocks; 'newslint learn' learns whole lines only, so remove it in the scraper)"
                        if own == nil { messages[key] = message }
                    }
                    sink.report(path: facts.path(i), line: units.line(k), column: column ?? 1, message)
                }
                return true
            }
        }
    }

    /// `of site 'news.rthk.hk'`, `with categories 'rthk'`, `of the corpus`.
    package static func describe(group: String) -> String {
        if group == "corpus" { return "of the corpus" }
        guard let colon = group.firstIndex(of: ":") else { return "of site '\(group)'" }
        let key = group[..<colon], value = group[group.index(after: colon)...]
        return key == "host" ? "of site '\(value)'" : "with \(key) '\(value)'"
    }
}

extension BoilerplateRepeatedRule.Fact: BoilerplateRepeatedRule.UnitSink {}
