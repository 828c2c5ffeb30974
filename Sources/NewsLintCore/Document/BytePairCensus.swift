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
/// rows instead of 256 (clearing 8 KB per file cost as much as a fifth of the pass). No row starts
/// with a UTF-8 continuation byte or a lead byte of most East Asian text (E3–ED), so eight such
/// bytes (three in five words of agora) are passed over with one word test (`mayHoldTrackedByte`).
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

    /// Rows 0–7 take the pairs of untracked bytes and are never read: `record` writes every byte
    /// of a word it does not pass over, each of the eight to a row of its own, with no branch on
    /// whether the byte is tracked (a branch as likely either way in ASCII text, which took twice
    /// its share of instructions in CPU time), and no store waiting for the one before it.
    @usableFromInline package static let firstTrackedRow = 8

    /// Row of each first byte (0: not tracked); the C0 controls are rows 8–39.
    @usableFromInline package static let rowTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (row, b) in trackedFirstBytes.enumerated() { table[Int(b)] = UInt8(firstTrackedRow + row) }
        return table
    }()

    /// `rowTable`, held by each census so the inlined accessors read it without a global access.
    @usableFromInline package let rows: [UInt8]
    /// Bit `second` of row `rows[first]` (four words a row) is set when `first, second` occurs.
    @usableFromInline package let words: [UInt64]
    /// The last byte, the one byte not counted as the first of a pair (nil for an empty file).
    @usableFromInline package let lastByte: UInt8?

    package init(_ bytes: [UInt8]) {
        let rows = Self.rowTable
        var words = [UInt64](repeating: 0, count: (Self.firstTrackedRow + Self.trackedFirstBytes.count) * 4)
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
    /// step, passed over at once when none can be tracked (`mayHoldTrackedByte`), else one table
    /// look-up per byte and a bit set in its row, or for an untracked byte in the scratch row of
    /// its place in the word (`firstTrackedRow`).
    private static func record(_ bytes: UnsafeBufferPointer<UInt8>, rows: UnsafeBufferPointer<UInt8>, into bits: UnsafeMutableBufferPointer<UInt64>) {
        let n = bytes.count
        @inline(__always) func mark(_ i: Int, scratch: Int) {
            let row = max(Int(rows[Int(bytes[i])]), scratch)
            let second = bytes[i &+ 1]
            bits[row &<< 2 | Int(second &>> 6)] |= 1 &<< UInt64(second & 63)
        }
        var i = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i &+ 8 < n {
                if mayHoldTrackedByte(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) {
                    mark(i, scratch: 0); mark(i &+ 1, scratch: 1); mark(i &+ 2, scratch: 2); mark(i &+ 3, scratch: 3)
                    mark(i &+ 4, scratch: 4); mark(i &+ 5, scratch: 5); mark(i &+ 6, scratch: 6); mark(i &+ 7, scratch: 7)
                }
                i &+= 8
            }
        }
        while i &+ 1 < n {
            mark(i, scratch: 0)
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
        return words[row &<< 2 | Int(second &>> 6)] & (1 &<< UInt64(second & 63)) != 0
    }

    /// Whether `first` is immediately followed by a byte in `seconds` somewhere (true for an
    /// untracked `first`).
    @inlinable
    package func contains(_ first: UInt8, followedByAnyOf seconds: ClosedRange<UInt8>) -> Bool {
        let tracked = Int(rows[Int(first)])
        guard tracked != 0 else { return true }
        // A mask over each of the row's four words that the range touches.
        let low = Int(seconds.lowerBound), high = Int(seconds.upperBound)
        let row = tracked &<< 2
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
        let tracked = Int(rows[Int(b)])
        guard tracked != 0 else { return true }
        let row = tracked &<< 2
        return words[row] | words[row &+ 1] | words[row &+ 2] | words[row &+ 3] != 0
    }

    /// Whether some byte below 0x20 other than tab, line feed and carriage return occurs (the
    /// control characters several rules report). The C0 controls are the first 32 tracked rows.
    @inlinable
    package var containsControlOtherThanWhitespace: Bool {
        if let last = lastByte, last < 0x20, last != 0x09, last != 0x0A, last != 0x0D { return true }
        return words.withUnsafeBufferPointer { w in
            let c0 = Self.firstTrackedRow &<< 2
            var any: UInt64 = 0
            for k in c0..<(c0 &+ 0x09 &<< 2) { any |= w[k] }                      // rows of 00–08
            for k in (c0 &+ 0x0B &<< 2)..<(c0 &+ 0x0D &<< 2) { any |= w[k] }      // rows of 0B–0C
            for k in (c0 &+ 0x0E &<< 2)..<(c0 &+ 0x20 &<< 2) { any |= w[k] }      // rows of 0E–1F
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
