/// Which adjacent byte pairs occur in a document, found in one pass and shared by the rules whose
/// file-level prefilter would otherwise scan every byte on its own just to learn that nothing can
/// match (on agora-pen, nearly every file). A pair's absence rules a sequence out: a needle occurs
/// only if each of its adjacent pairs does, so a rule asks the census first and runs its exact scan
/// only when the census cannot say no. A lone byte value is not enough: the lead bytes these rules
/// look for (`E2`, `EF`) also start `“` and `，`, found in nearly every file.
///
/// Only the rows of `trackedFirstBytes` (the first bytes the prefilters ask about) are recorded;
/// a question about another row answers "may occur", never "absent". One byte in eight of a
/// Chinese news file starts a tracked row, so the pass records only those pairs, in a table of 54
/// rows (and the discard rows below) instead of 256 (clearing 8 KB per file cost as much as a fifth of the pass). No row starts
/// with a UTF-8 continuation byte or a lead byte of most East Asian text (E3–ED), so eight such
/// bytes (three in five words of agora) are passed over with one word test (`mayHoldTrackedByte`).
///
/// In a word that may hold one, every byte records its pair without a branch: an untracked byte
/// writes to a discard row of its lane (`laneRows`). A test per byte, taken or not as the text
/// went, was mispredicted about three times a word that passed (2.3 M times on agora x1 in
/// callgrind's branch simulation); a discard row per lane keeps the eight writes of a word at
/// different addresses, so none waits for the one before it. More instructions (73 -> 95 M on
/// agora x1), less time (`--select invisible-char`, whose prefilter is the census: 86 -> 78 ms).
///
/// The accessors are `@inlinable` so the rules' module reads the bits without a call per query.
package struct BytePairCensus: Sendable {
    /// The first bytes whose pairs are recorded, in ascending order: the C0 controls
    /// (`invisible-char`, `char-lost`), the ASCII letters of `email`, `/web/` and `archive.` and
    /// the `[` of `[电` (`email-obfuscated`, `archive-residue`), DEL, and the lead bytes of the
    /// characters the script rules look for. Not the continuation bytes that follow those leads
    /// (E2 80 8B, EF BF BC): rows of them kept words off the word skip (40% of agora's words
    /// passed instead of 59%), and the lead's pair already rules out most files (the prefilters
    /// scan the rest: `invisible-char` looks for E2 in 1,417 of agora's 7,188 files).
    package static let trackedFirstBytes: [UInt8] = Array(0x00...0x1F) + Array("/[abcehimrvw".utf8).sorted()
        + [0x7F, 0xC2, 0xD8, 0xE1, 0xE2, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4]

    /// Discard rows at the start of `words`, one per byte of a word (see the type's comment).
    @usableFromInline package static let laneRows = 8

    /// The first word of each first byte's row in `words`, by the byte's lane (its offset in a
    /// word): entry `lane << 8 | first`. A tracked byte's row follows the discard rows (the C0
    /// controls are rows `laneRows` to `laneRows + 31`) in every lane; an untracked byte's is its
    /// lane's discard row, which is 0 in lane 0: the accessors read lane 0 and take 0 for "not
    /// tracked". A table per lane makes the discard row a table read (the lane is a constant at
    /// each of the eight writes), not a select, which the compiler turned back into a branch.
    @usableFromInline package static let rowOffset: [UInt8] = {
        var table = [UInt8](repeating: 0, count: laneRows << 8)
        for lane in 0..<laneRows {
            for b in 0..<256 { table[lane << 8 | b] = UInt8(lane * 4) }
            for (row, b) in trackedFirstBytes.enumerated() { table[lane << 8 | Int(b)] = UInt8((laneRows + row) * 4) }
        }
        return table
    }()

    /// `rowOffset`, held by each census so the inlined accessors read it (lane 0) without a global access.
    @usableFromInline package let rows: [UInt8]
    /// Bit `second` of the four words from `rows[first]` is set when `first, second` occurs.
    @usableFromInline package let words: [UInt64]
    /// The last byte, the one byte not counted as the first of a pair (nil for an empty file).
    @usableFromInline package let lastByte: UInt8?

    package init(_ bytes: [UInt8]) {
        let rows = Self.rowOffset
        var words = [UInt64](repeating: 0, count: (Self.laneRows + Self.trackedFirstBytes.count) * 4)
        rows.withUnsafeBufferPointer { rowOf in
            words.withUnsafeMutableBufferPointer { bits in
                bytes.withUnsafeBufferPointer { Self.record($0, rows: rowOf, into: bits) }
            }
        }
        self.rows = rows
        self.words = words
        self.lastByte = bytes.last
    }

    /// Sets the bit of every adjacent pair of `bytes` whose first byte is tracked: eight bytes a
    /// step, passed over at once when none can be tracked (`mayHoldTrackedByte`), else a table
    /// read and a write per byte, to the discard row of the byte's lane when it is not tracked.
    private static func record(_ bytes: UnsafeBufferPointer<UInt8>, rows: UnsafeBufferPointer<UInt8>, into bits: UnsafeMutableBufferPointer<UInt64>) {
        let n = bytes.count
        @inline(__always) func mark(_ i: Int, lane: Int) {
            let row = Int(rows[lane &<< 8 | Int(bytes[i])])
            let second = bytes[i &+ 1]
            bits[row | Int(second &>> 6)] |= 1 &<< UInt64(second & 63)
        }
        var i = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i &+ 8 < n {
                if mayHoldTrackedByte(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) {
                    mark(i, lane: 0); mark(i &+ 1, lane: 1); mark(i &+ 2, lane: 2); mark(i &+ 3, lane: 3)
                    mark(i &+ 4, lane: 4); mark(i &+ 5, lane: 5); mark(i &+ 6, lane: 6); mark(i &+ 7, lane: 7)
                }
                i &+= 8
            }
        }
        while i &+ 1 < n {
            mark(i, lane: i & 7)
            i &+= 1
        }
    }

    /// False when every byte of `word` is a continuation byte (80–BF) or a lead byte E3–ED (most
    /// Han characters, kana and `。`), none of them tracked; true for any other byte. Exact per
    /// byte (no carry crosses a byte): a byte with bit 6 set must have its low six bits in 23–2D,
    /// tested by adding 5D (reaching bit 7 from 23) and 52 (from 2E).
    @inline(__always)
    package static func mayHoldTrackedByte(_ word: UInt64) -> Bool {
        let highs: UInt64 = 0x8080_8080_8080_8080
        let low6 = word & 0x3F3F_3F3F_3F3F_3F3F
        let inE3toED = (low6 &+ 0x5D5D_5D5D_5D5D_5D5D) & ~(low6 &+ 0x5252_5252_5252_5252)
        let leadBit6 = word &<< 1
        return (~word | leadBit6 & ~inE3toED) & highs != 0
    }

    /// Whether `first` is immediately followed by `second` somewhere (true for an untracked `first`).
    @inlinable
    package func contains(_ first: UInt8, _ second: UInt8) -> Bool {
        let row = Int(rows[Int(first)])
        guard row != 0 else { return true }
        return words[row | Int(second &>> 6)] & (1 &<< UInt64(second & 63)) != 0
    }

    /// Whether `first` is immediately followed by a byte in `seconds` somewhere (true for an
    /// untracked `first`).
    @inlinable
    package func contains(_ first: UInt8, followedByAnyOf seconds: ClosedRange<UInt8>) -> Bool {
        let row = Int(rows[Int(first)])
        guard row != 0 else { return true }
        // A mask over each of the row's four words that the range touches.
        let low = Int(seconds.lowerBound), high = Int(seconds.upperBound)
        for w in (low &>> 6)...(high &>> 6) {
            let from = max(low, w &<< 6) & 63, to = min(high, w &<< 6 | 63) & 63
            let width = to &- from &+ 1
            let mask: UInt64 = (width == 64 ? ~0 : (1 &<< UInt64(width)) &- 1) &<< UInt64(from)
            if words[row &+ w] & mask != 0 { return true }
        }
        return false
    }

    /// Whether the byte value `b` occurs at all (true for an untracked `b`).
    @inlinable
    package func contains(byte b: UInt8) -> Bool {
        if lastByte == b { return true }
        let row = Int(rows[Int(b)])
        guard row != 0 else { return true }
        return words[row] | words[row &+ 1] | words[row &+ 2] | words[row &+ 3] != 0
    }

    /// Whether some byte below 0x20 other than tab, line feed and carriage return occurs (the
    /// control characters several rules report). The C0 controls are the first 32 tracked rows.
    @inlinable
    package var containsControlOtherThanWhitespace: Bool {
        if let last = lastByte, last < 0x20, last != 0x09, last != 0x0A, last != 0x0D { return true }
        let c0 = Self.laneRows &<< 2
        return words.withUnsafeBufferPointer { w in
            var any: UInt64 = 0
            for k in c0..<(c0 &+ 0x09 &<< 2) { any |= w[k] }                        // rows 00–08
            for k in (c0 &+ 0x0B &<< 2)..<(c0 &+ 0x0D &<< 2) { any |= w[k] }        // rows 0B–0C
            for k in (c0 &+ 0x0E &<< 2)..<(c0 &+ 0x20 &<< 2) { any |= w[k] }        // rows 0E–1F
            return any != 0
        }
    }

    /// Whether every adjacent pair of `needle` occurs: false proves `needle` absent (true does not
    /// prove it present). A needle of one byte asks whether that byte occurs.
    @inlinable
    package func mayContain(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count > 1 else { return contains(byte: first) }
        for i in 1..<needle.count where !contains(needle[i - 1], needle[i]) { return false }
        return true
    }
}

extension Document {
    /// The byte-pair census of the file, computed on first use and shared by the prefilters.
    package var bytePairs: BytePairCensus {
        views.bytePairs { BytePairCensus(bytes) }
    }
}
