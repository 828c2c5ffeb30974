import NewsLintCore

/// Simplified/Traditional tables generated from OpenCC by `Scripts/gen-script-tables`
/// (Rules/script/data/), parsed once per process into dense lookup tables.
package struct ScriptTables: Sendable {
    package enum Class: UInt8 { case neutral = 0, simplifiedOnly = 1, traditionalOnly = 2 }

    /// Dense table of the flags below for U+2E80..<U+10000 (every Han character of the BMP, and the
    /// CJK and full-width punctuation between them, which a table reaching only to U+A000 sent to the
    /// dictionary: every `，` was hashed); `sparse` holds the supplementary planes.
    private let dense: [UInt8]
    private let sparse: [UInt32: UInt8]
    /// Bit 2: allowed in Traditional text; bit 3: allowed in Simplified text.
    private static let allowTraditionalBit: UInt8 = 4
    private static let allowSimplifiedBit: UInt8 = 8
    /// Bit 4: some word-level entry starts with this character (skips the dictionary lookup otherwise).
    private static let phraseHeadBit: UInt8 = 16
    /// Bit 5: a character of personal names (surnames.txt): a fix never changes it, nor a single
    /// character right after it.
    private static let nameBit: UInt8 = 32
    /// Bit 6: a merge character OpenCC keeps as itself out of context (制, 系, 面): standing alone,
    /// it reads as itself.
    private static let standaloneBit: UInt8 = 64
    /// Bit 7: a Traditional character with a second standard form (`ScriptMixedRule.variantOf`).
    package static let variantBit: UInt8 = 128
    /// The range of the dense flag table.
    package static let tableBase: UInt32 = 0x2E80
    package static let tableEnd: UInt32 = 0x10000
    /// The range of the phrase slots (and of `scriptEvidence`'s count).
    package static let denseBase: UInt32 = 0x3400
    package static let denseEnd: UInt32 = 0xA000

    /// Counterparts in the other script (first is OpenCC's preferred one), read through
    /// `counterparts(of:)`: each character's list in one pool (its length, then the list), found by
    /// the character's entry in `counterpartAt` (U+2E80..<U+10000; -1: none) or `sparseCounterpartAt`.
    /// A dictionary of 7,000 arrays, one allocated per line of the two class files, was a quarter of
    /// building the tables (every run that selects a script rule builds them).
    private let counterpartPool: [UInt32]
    private let counterpartAt: [Int32]
    private let sparseCounterpartAt: [UInt32: Int32]
    /// A word-level leftover: the written form, its Traditional form (same length) and the jieba
    /// frequency of the word (compared with an overlapping word by the word-boundary check).
    package struct Phrase: Sendable {
        package let from: [UInt32]
        package let to: [UInt32]
        package let frequency: Int32
    }
    /// A Traditional word for the word-boundary check and its jieba frequency.
    package struct Word: Sendable {
        /// A slice of the data file's scalars, not an array of its own: 4,875 allocations (and
        /// their release) at the start of every run that builds the tables.
        package let scalars: ArraySlice<UInt32>
        package let frequency: Int32
    }
    /// Word-level leftovers grouped by first scalar, longest first.
    /// Looked up through `phraseSlot` (dense, by code point) so the hot path never hashes.
    private let phraseLists: [[Phrase]]
    private let phraseSlot: [Int32]
    private let sparsePhraseSlot: [UInt32: Int32]
    /// Traditional words holding a merge character as itself (一國兩制, 皇后), for the word-boundary
    /// check (only consulted around a leftover): all of them in one pool grouped by first scalar, the
    /// group of `wordHeads[k]` (ascending) at `wordStarts[k]..<wordStarts[k + 1]`. A dictionary of
    /// 1,454 growing arrays (4,875 appends) was ~2 M instructions of every run that builds the tables.
    private let wordPool: [Word]
    private let wordHeads: [UInt32]
    private let wordStarts: [Int32]
    /// Titles and roles written right before a personal name (律師, 議員), from name-titles.txt.
    package let titles: [[UInt32]]
    /// One bit per hash of a word-level entry's first two scalars (`mayStartPhrase`): a phrase head
    /// (一, 后, 面 … in almost every line) starts an entry only before one of a few characters.
    private let phrasePairs: [UInt64]
    private static let phrasePairBits = 16
    /// `countFlags(raw:of:)` of every BMP scalar, indexed by the scalar itself (64 KB): the per-unit
    /// count of `ScriptMixedRule` reads one byte per scalar with no test of the scalar's range first.
    /// It also holds `countPhraseSecond`, which no count reads (see there).
    package let countTable: [UInt8]

    package static let shared = ScriptTables()

    package init() {
        var dense = [UInt8](repeating: 0, count: Int(Self.tableEnd - Self.tableBase))
        var sparse: [UInt32: UInt8] = [:]
        // 1,207 supplementary-plane characters head a line of the class files: reserved, the two
        // dictionaries are not rehashed eleven times as they grow.
        sparse.reserveCapacity(Self.sparseCapacity)
        var counterpartPool: [UInt32] = []
        counterpartPool.reserveCapacity(32_768)
        var counterpartAt = [Int32](repeating: -1, count: Int(Self.tableEnd - Self.tableBase))
        var sparseCounterpartAt: [UInt32: Int32] = [:]
        sparseCounterpartAt.reserveCapacity(Self.sparseCapacity)
        func set(_ c: UInt32, _ f: (inout UInt8) -> Void) {
            if c >= Self.tableBase && c < Self.tableEnd {
                f(&dense[Int(c - Self.tableBase)])
            } else {
                var v = sparse[c] ?? 0
                f(&v)
                sparse[c] = v
            }
        }
        for (file, cls) in [("script/data/simplified-only.txt", Class.simplifiedOnly), ("script/data/traditional-only.txt", .traditionalOnly)] {
            Self.forEachScalarLine(file) { line in
                guard let at = line.firstIndex(where: { $0 != 0x09 }) else { return }
                let first = line[at]
                set(first) { $0 = ($0 & ~3) | cls.rawValue }
                // A later line for the same character replaces its list (as a dictionary entry was).
                let slot = counterpartPool.count
                if first >= Self.tableBase && first < Self.tableEnd { counterpartAt[Int(first - Self.tableBase)] = Int32(slot) } else { sparseCounterpartAt[first] = Int32(slot) }
                counterpartPool.append(0)
                for c in line[(at + 1)...] where c != 0x09 { counterpartPool.append(c) }
                counterpartPool[slot] = UInt32(counterpartPool.count - slot - 1)
            }
        }
        for (file, bit) in [("script/data/allow-traditional.txt", Self.allowTraditionalBit), ("script/data/allow-simplified.txt", Self.allowSimplifiedBit)] {
            Self.forEachScalarLine(file) { line in
                for s in line where CJK.isHan(s) { set(s) { $0 |= bit } }
            }
        }
        Self.forEachScalarLine("script/data/surnames.txt") { line in
            for s in line where CJK.isHan(s) { set(s) { $0 |= Self.nameBit } }
        }
        var phrases: [UInt32: [Phrase]] = [:]
        var wordPool: [Word] = []
        var wordFirsts: [UInt32] = []
        // 4,875 `=word` lines: reserved, the pool is not copied (a retain per word's slice) as it grows.
        wordPool.reserveCapacity(Self.wordCapacity)
        wordFirsts.reserveCapacity(Self.wordCapacity)
        var wordsAscending = true
        let phraseScalars = EmbeddedFiles.bytes("script/data/phrases.txt").map(Self.scalars(of:)) ?? []
        phraseScalars.withUnsafeBufferPointer { s in
            Self.forEachPhraseLine(s) { head, frequency in
                let first = s[head.lowerBound]
                if first == 0x21 { // "!chars": merge characters that read as themselves alone
                    for c in s[(head.lowerBound + 1)..<head.upperBound] { set(c) { $0 |= Self.standaloneBit } }
                } else if first == 0x3D { // "=word": a Traditional word for the word-boundary check
                    let w = (head.lowerBound + 1)..<head.upperBound
                    if !w.isEmpty {
                        let f = s[w.lowerBound]
                        if let last = wordFirsts.last, last > f { wordsAscending = false }
                        wordFirsts.append(f)
                        wordPool.append(Word(scalars: phraseScalars[w], frequency: frequency))
                    }
                } else if head.count >= 4 && head.count % 2 == 0 {
                    let middle = head.lowerBound + head.count / 2
                    let from = Array(s[head.lowerBound..<middle]), to = Array(s[middle..<head.upperBound])
                    phrases[from[0], default: []].append(Phrase(from: from, to: to, frequency: frequency))
                }
            }
        }
        titles = Self.scalarLines("script/data/name-titles.txt").flatMap { $0.split(separator: 0x20) }.map { Array($0) }
        // `ScriptMixedRule.variantOf`'s characters (ScriptFastPathTests checks the two agree).
        for c in [0x88CF, 0x88E1, 0x70BA, 0x7232, 0x7DDA, 0x7DAB, 0x885B, 0x885E] as [UInt32] { set(c) { $0 |= Self.variantBit } }
        var pairs = [UInt64](repeating: 0, count: (1 << Self.phrasePairBits) / 64)
        for list in phrases.values {
            for phrase in list {
                let h = Self.pairHash(phrase.from[0], phrase.from[1])
                pairs[h >> 6] |= 1 << UInt64(h & 63)
            }
        }
        self.phrasePairs = pairs
        // Longest first, so scanning takes the longest match.
        var lists: [[Phrase]] = []
        var slots = [Int32](repeating: -1, count: Int(Self.denseEnd - Self.denseBase))
        var sparseSlots: [UInt32: Int32] = [:]
        for k in phrases.keys.sorted() {
            let slot = Int32(lists.count)
            lists.append((phrases[k] ?? []).sorted { $0.from.count > $1.from.count })
            if k >= Self.denseBase && k < Self.denseEnd { slots[Int(k - Self.denseBase)] = slot } else { sparseSlots[k] = slot }
            set(k) { $0 |= Self.phraseHeadBit }
        }
        var countTable = [UInt8](repeating: 0, count: 0x10000)
        // Through the two buffers: 53,000 entries, each read and written through a bounds check
        // otherwise.
        countTable.withUnsafeMutableBufferPointer { out in
            dense.withUnsafeBufferPointer { flags in
                for (k, c) in (Self.tableBase..<Self.tableEnd).enumerated() { out[Int(c)] = Self.countFlags(raw: flags[k], of: c) }
            }
        }
        for list in phrases.values {
            for phrase in list where phrase.from[1] < 0x10000 { countTable[Int(phrase.from[1])] |= Self.countPhraseSecond }
        }
        for b in Self.proseMarkScalars { countTable[Int(b)] |= Self.countProseMark }
        self.countTable = countTable
        self.dense = dense
        self.sparse = sparse
        self.counterpartPool = counterpartPool
        self.counterpartAt = counterpartAt
        self.sparseCounterpartAt = sparseCounterpartAt
        self.phraseLists = lists
        self.phraseSlot = slots
        self.sparsePhraseSlot = sparseSlots
        let grouped = Self.groupedWords(wordPool, firsts: wordFirsts, ascending: wordsAscending)
        self.wordPool = grouped.pool
        self.wordHeads = grouped.heads
        self.wordStarts = grouped.starts
    }

    /// Room for `sparse` and `sparseCounterpartAt` (1,207 entries from the data files).
    private static let sparseCapacity = 1_536

    /// `pool` grouped by first scalar, ascending, each group in file order (a stable sort, skipped
    /// when the file lists them so already, as the generator does), with each group's head and start.
    static func groupedWords(_ pool: [Word], firsts: [UInt32], ascending: Bool) -> (pool: [Word], heads: [UInt32], starts: [Int32]) {
        var pool = pool, firsts = firsts
        if !ascending {
            let order = firsts.indices.sorted { (firsts[$0], $0) < (firsts[$1], $1) }
            pool = order.map { pool[$0] }
            firsts = order.map { firsts[$0] }
        }
        var heads: [UInt32] = []
        var starts: [Int32] = []
        for (index, first) in firsts.enumerated() where heads.last != first {
            heads.append(first)
            starts.append(Int32(index))
        }
        starts.append(Int32(pool.count))
        return (pool, heads, starts)
    }

    /// Non-comment, non-empty lines of an embedded data file.
    package static func lines(_ path: String) -> [Substring] {
        guard let text = EmbeddedFiles.text(path) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    /// The same lines as scalar values, decoded straight from the UTF-8 bytes: these tables are built
    /// at startup of every run that selects a script rule, and `String` slicing and scalar filtering
    /// made that the largest part of a one-file run.
    package static func scalarLines(_ path: String) -> [[UInt32]] {
        var result: [[UInt32]] = []
        forEachScalarLine(path) { result.append(Array($0)) }
        return result
    }

    /// Calls `body` with each of those lines, as a slice of one array holding the whole file: an
    /// array per line (13,000 of them) grew the building thread's heap by several megabytes, page by page.
    package static func forEachScalarLine(_ path: String, _ body: (ArraySlice<UInt32>) -> Void) {
        guard let bytes = EmbeddedFiles.bytes(path) else { return }
        let scalars = Self.scalars(of: bytes)
        let count = scalars.count
        var start = 0
        while start < count {
            let end = scalars.withUnsafeBufferPointer { $0.firstIndex(of: 0x0A, from: start, to: count) }
            if end > start && scalars[start] != 0x23 { body(scalars[start..<end]) }
            start = end + 1
        }
    }

    /// The scalars of `String(decoding: bytes, as: UTF8.self)`, into an array written in place (a
    /// Han character decoded here, any other non-ASCII scalar by `ScalarDecode.step`): iterating the string's `unicodeScalars` cost
    /// about 70 instructions a scalar, and the documents' decoder (`ScalarDecode`, which also writes
    /// each scalar's byte offset) about 41, 2.9 M of every run that builds these tables. A file with
    /// an ill-formed byte (none is) is read through the string, which repairs it to U+FFFD.
    package static func scalars(of bytes: [UInt8]) -> [UInt32] {
        var wellFormed = true
        let scalars = [UInt32](unsafeUninitializedCapacity: bytes.count) { out, written in
            bytes.withUnsafeBufferPointer { buf in
                var i = 0, n = 0
                while i < buf.count {
                    let b = buf[i]
                    if b < 0x80 {
                        out[n] = UInt32(b)
                        i += 1
                    } else if b & 0xF0 == 0xE0, b != 0xE0, b != 0xED, i + 2 < buf.count,
                              buf[i + 1] & 0xC0 == 0x80, buf[i + 2] & 0xC0 == 0x80 {
                        // A three-byte sequence whose lead allows any continuation (every Han
                        // character of the BMP): `step` is a call into NewsLintCore, ~29 instructions.
                        out[n] = UInt32(b & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F)
                        i += 3
                    } else {
                        let (scalar, length) = ScalarDecode.step(buf, at: i)
                        guard scalar != ScalarDecode.invalid else { wellFormed = false; break }
                        out[n] = scalar
                        i += length
                    }
                    n += 1
                }
                written = wellFormed ? n : 0
            }
        }
        guard wellFormed else { return String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value) }
        return scalars
    }

    /// Room for `wordPool` (4,875 `=word` lines in phrases.txt).
    private static let wordCapacity = 5_120

    /// The non-comment, non-empty lines of phrases.txt (`forEachScalarLine`'s lines) as the first two
    /// fields of `split(separator: 0x09)`: the head's range in `s` (a line without one is passed
    /// over) and the second field as `decimal`, 0 when it is missing or not a number. One walk over
    /// the file's scalars: a slice per line, two field searches and a parse through slices were
    /// ~650 instructions a line, 3.5 M of every run that builds the tables.
    static func forEachPhraseLine(_ s: UnsafeBufferPointer<UInt32>, _ body: (_ head: Range<Int>, _ frequency: Int32) -> Void) {
        let tab: UInt32 = 0x09, newline: UInt32 = 0x0A
        let count = s.count
        var i = 0
        while i < count {
            let lineStart = i
            var lo = i
            while lo < count && s[lo] == tab { lo += 1 }
            var hi = lo
            while hi < count && s[hi] != tab && s[hi] != newline { hi += 1 }
            var fieldStart = hi
            while fieldStart < count && s[fieldStart] == tab { fieldStart += 1 }
            var fieldEnd = fieldStart
            while fieldEnd < count && s[fieldEnd] != tab && s[fieldEnd] != newline { fieldEnd += 1 }
            i = fieldEnd
            while i < count && s[i] != newline { i += 1 }
            i += 1
            guard s[lineStart] != 0x23, hi > lo else { continue }
            body(lo..<hi, decimal(s[fieldStart..<fieldEnd]) ?? 0)
        }
    }

    /// What `Int32(String)` gives for the field: ASCII digits after an optional sign, nil for
    /// anything else or on overflow.
    package static func decimal<Field: Collection<UInt32>>(_ field: Field) -> Int32? where Field.Index == Int {
        var i = field.startIndex
        var negative = false
        if i < field.endIndex, field[i] == 0x2B || field[i] == 0x2D {
            negative = field[i] == 0x2D
            i += 1
        }
        guard i < field.endIndex else { return nil }
        var value: Int64 = 0
        while i < field.endIndex {
            let digit = field[i] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
            guard value <= Int64(Int32.max) + 1 else { return nil }
            i += 1
        }
        return Int32(exactly: negative ? -value : value)
    }

    /// All flags of `c` (class in bits 0–1, then the bits above) from one lookup.
    @inline(__always)
    package func raw(_ c: UInt32) -> UInt8 {
        if c < Self.tableBase { return 0 }
        if c < Self.tableEnd { return dense.withUnsafeBufferPointer { $0[Int(c &- Self.tableBase)] } }
        return sparse[c] ?? 0
    }

    @inline(__always)
    private static func pairHash(_ a: UInt32, _ b: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(a) << 32 | UInt64(b)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - phrasePairBits))
    }

    /// False when no word-level entry starts with `first` followed by `second` (true may be a
    /// collision: the entries are then compared as before).
    @inline(__always)
    package func mayStartPhrase(_ first: UInt32, _ second: UInt32) -> Bool {
        let h = Self.pairHash(first, second)
        return phrasePairs.withUnsafeBufferPointer { $0[h >> 6] } & (1 << UInt64(h & 63)) != 0
    }

    /// What `ScriptMixedRule` counts of a scalar (`countFlags(raw:of:)`): a Simplified-only and a
    /// Traditional-only character, each also when the other script's standard does not write it too
    /// ("strict"), a phrase head, a variant character. Each count is one bit, so a unit's counts are
    /// sums of shifted bits, not branches.
    package static let countSimplified: UInt8 = 1
    package static let countTraditional: UInt8 = 2
    package static let countStrictSimplified: UInt8 = 4
    package static let countStrictTraditional: UInt8 = 8
    package static let countPhraseHead: UInt8 = phraseHeadBit
    /// In `countTable` only (not a count, and not in `countFlags`): the second character of some
    /// word-level entry, in the BMP. A phrase head passes the pair filter only before one of them
    /// (6% of agora's Han positions against 27% phrase heads), so `ScriptMixedRule` passes over four
    /// positions at once with no branch per head. The bit above the head's, so one shift lines them up.
    package static let countPhraseSecond: UInt8 = phraseHeadBit << 1
    package static let countVariant: UInt8 = variantBit
    /// In `countTable` only (not a count): a scalar that opens a span `ProseMask.nonProse` masks
    /// and that may hold text beyond ASCII (`<` a tag, `]` a link destination, a backtick code,
    /// `{` a Liquid tag, and the `.` and `:` every URL scheme holds: a URL may hold Han,
    /// `https://zh.wikipedia.org/wiki/銀河`).
    /// `ScriptMixedRule` notes them while it counts, so a unit without one (most) is known to hold
    /// no such span with no second walk over its bytes.
    package static let countProseMark: UInt8 = 64
    /// The scalars `countProseMark` is set for, all ASCII: the bytes `ProseMask.mayHoldNonProse`
    /// looks at. A time or a decimal sends a unit to that byte scan, which clears it.
    package static let proseMarkScalars: [UInt32] = [0x2E, 0x3A, 0x3C, 0x5D, 0x60, 0x7B]

    /// The count bits of `c` from its flags `r`: the phrase head from U+2E80, the rest from U+3400
    /// (below it `ScriptMixedRule` counts no script), nothing below U+2E80.
    package static func countFlags(raw r: UInt8, of c: UInt32) -> UInt8 {
        guard c >= tableBase else { return 0 }
        var out = r & phraseHeadBit
        guard c >= denseBase else { return out }
        switch r & 3 {
        case Class.simplifiedOnly.rawValue: out |= countSimplified | (r & allowTraditionalBit == 0 ? countStrictSimplified : 0)
        case Class.traditionalOnly.rawValue: out |= countTraditional | (r & allowSimplifiedBit == 0 ? countStrictTraditional : 0)
        default: break
        }
        return out | r & variantBit
    }

    /// `countFlags` of any scalar (the table for the BMP, the flags beyond it), with
    /// `countPhraseSecond` too for a BMP scalar (the table holds it).
    @inline(__always)
    package func countFlags(_ c: UInt32) -> UInt8 {
        c < 0x10000 ? countTable.withUnsafeBufferPointer { $0[Int(c)] } : Self.countFlags(raw: raw(c), of: c)
    }

    /// Flag masks for callers that test `raw(c)` themselves.
    package static let classMask: UInt8 = 3
    package static let phraseHeadMask: UInt8 = phraseHeadBit
    package static let allowTraditionalMask: UInt8 = allowTraditionalBit
    package static let allowSimplifiedMask: UInt8 = allowSimplifiedBit

    @inline(__always)
    package func isPhraseHead(_ c: UInt32) -> Bool { raw(c) & Self.phraseHeadBit != 0 }

    /// Word-level entries starting with `c`, longest first (nil when none).
    @inline(__always)
    package func phrases(startingWith c: UInt32) -> [Phrase]? {
        let slot: Int32
        if c >= Self.denseBase && c < Self.denseEnd { slot = phraseSlot[Int(c - Self.denseBase)] } else { slot = sparsePhraseSlot[c] ?? -1 }
        return slot >= 0 ? phraseLists[Int(slot)] : nil
    }

    /// Characters that tell the scripts apart in UTF-8 text, as `script-mixed` counts them: forms
    /// that exist in one script only, minus the minority's forms the majority's own standard also
    /// writes (Hong Kong 着, 裏 …). The corpus profile classifies files with it.
    package func scriptEvidence(_ bytes: ArraySlice<UInt8>) -> (simplified: Int, traditional: Int) {
        var simplified = 0, traditional = 0
        var simplifiedAllowedInTraditional = 0, traditionalAllowedInSimplified = 0
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            // Every table entry in the dense range is a 3-byte sequence (lead byte E3–E9).
            guard b >= 0xE3 && b <= 0xE9, i + 2 < end else { i += 1; continue }
            let c = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
            i += 3
            guard c >= Self.denseBase && c < Self.denseEnd else { continue }
            let r = dense[Int(c - Self.tableBase)]
            switch r & 3 {
            case Class.simplifiedOnly.rawValue:
                simplified += 1
                if r & Self.allowTraditionalBit != 0 { simplifiedAllowedInTraditional += 1 }
            case Class.traditionalOnly.rawValue:
                traditional += 1
                if r & Self.allowSimplifiedBit != 0 { traditionalAllowedInSimplified += 1 }
            default: break
            }
        }
        if traditional > simplified { simplified -= simplifiedAllowedInTraditional } else { traditional -= traditionalAllowedInSimplified }
        return (simplified, traditional)
    }

    /// The counterparts of `c` in the other script, OpenCC's preferred one first (empty when none),
    /// as a slice of the pool (no list is allocated per question).
    package func counterparts(of c: UInt32) -> ArraySlice<UInt32> {
        let at: Int32
        if c >= Self.tableBase && c < Self.tableEnd { at = counterpartAt[Int(c - Self.tableBase)] } else { at = sparseCounterpartAt[c] ?? -1 }
        guard at >= 0 else { return [] }
        let start = Int(at) + 1
        return counterpartPool[start..<(start + Int(counterpartPool[Int(at)]))]
    }

    /// Traditional words starting with `c`, in file order (word-boundary check; not on the hot path:
    /// a binary search of the heads).
    package func words(startingWith c: UInt32) -> ArraySlice<Word>? {
        var lo = 0, hi = wordHeads.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if wordHeads[mid] < c { lo = mid + 1 } else { hi = mid }
        }
        guard lo < wordHeads.count, wordHeads[lo] == c else { return nil }
        return wordPool[Int(wordStarts[lo])..<Int(wordStarts[lo + 1])]
    }

    /// A merge character that reads as itself standing alone (see `standaloneBit`).
    @inline(__always)
    package func readsAsItselfAlone(_ c: UInt32) -> Bool { raw(c) & Self.standaloneBit != 0 }

    /// A character of personal names (see `nameBit`).
    @inline(__always)
    package func isNameCharacter(_ c: UInt32) -> Bool { raw(c) & Self.nameBit != 0 }

    @inline(__always)
    package func scriptClass(_ c: UInt32) -> Class { Class(rawValue: raw(c) & 3) ?? .neutral }

    /// Allowed in clean text of the given dominant script (regional variants, dialect characters).
    @inline(__always)
    package func isAllowed(_ c: UInt32, in dominant: Class) -> Bool {
        let r = raw(c)
        return dominant == .traditionalOnly ? r & Self.allowTraditionalBit != 0 : r & Self.allowSimplifiedBit != 0
    }
}
