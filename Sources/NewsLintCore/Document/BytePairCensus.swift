/// Which adjacent byte pairs occur in a document, found in one pass and shared by the rules whose
/// file-level prefilter would otherwise scan every byte on its own just to learn that nothing can
/// match (on agora-pen, nearly every file). A pair's absence rules a sequence out: a needle occurs
/// only if each of its adjacent pairs does, so a rule asks the census first and runs its exact scan
/// only when the census cannot say no. A lone byte value is not enough: the lead bytes these rules
/// look for (`E2`, `EF`) also start `“` and `，`, found in nearly every file.
///
/// Only the rows of `trackedFirstBytes` (the first bytes the prefilters ask about) are recorded;
/// a question about another row answers "may occur", never "absent". The ASCII needles of
/// `email-obfuscated` and `archive-residue` (`email`, `/web/`, `archive.`) are answered by three
/// ASCII trigrams instead (`trackedTrigrams`): rows of their letters and `/` made every word of an
/// HTML file's markup a word to record (41% of agora's words), and the trigrams rule out as many
/// files (agora x1: 301 and 675 of 3,669 HTML files passed the pairs; fewer pass the trigrams).
///
/// The pass reads sixteen bytes a step (SSE2 compares through `SIMD16`): which of them may start
/// a tracked row (a byte below 0x20, `!`, `(`, `)`, `?`, `[`, `{`, DEL, or a lead byte outside E3–ED, the
/// leads of most East Asian text), and, in a block holding ASCII, where a tracked trigram starts. Only the flagged
/// bytes record their pair (a loop over the mask's bits; an untracked one among them, such as a
/// line feed, into the discard row): at agora x1, 375 k bytes, where recording all eight bytes of
/// every 8-byte half holding a flagged byte (323 k halves) made 2.6 M records. (The whole halves
/// took no more time in a wall-clock pair of session 22, but instructions are the measure.)
///
/// The accessors are `@inlinable` so the rules' module reads the bits without a call per query.
///
package struct BytePairCensus: Sendable {
    /// The first bytes whose pairs are recorded, in ascending order: the C0 controls but tab, line
    /// feed and carriage return (`invisible-char`, `char-lost`; `containsControlOtherThanWhitespace`
    /// reads them as the first rows), `!`, `(`, `)` and `?` (`punctuation-width`,
    /// `mayHoldASCIIMarkCandidate`), the `[` of `[电` (`email-obfuscated`), the `{` of a Liquid tag's
    /// `{%` or `{{` (`ProseMask.spansAcrossLines`), DEL, and the lead bytes
    /// of the characters the script rules look for. Not the continuation bytes that follow those
    /// leads (E2 80 8B, EF BF BC): the lead's pair already rules out most files (the prefilters scan
    /// the rest: `invisible-char` looks for E2 in 1,417 of agora's 7,188 files).
    package static let trackedFirstBytes: [UInt8] = Array(0x00...0x08) + [0x0B, 0x0C] + Array(0x0E...0x1F)
        + [0x21, 0x28, 0x29, 0x3F, 0x5B, 0x7B, 0x7F, 0xC2, 0xD8, 0xE1, 0xE2, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4]

    /// The ASCII trigrams whose presence is recorded, bit k of `trigrams` for the k-th: one of each
    /// ASCII needle of `email-obfuscated` (`email`) and `archive-residue` (`/web/`, `archive.`), and
    /// the `api` of `link-api`'s hosts (`api.dw.com`, `nwapi.nhk.jp`: 590 of agora's 7,188 files hold it).
    /// `contains(trigram:)` keys them as little-endian words (`trigramKey`).
    package static let trackedTrigrams: [[UInt8]] = [Array("/we".utf8), Array("ve.".utf8), Array("ema".utf8), Array("api".utf8)]

    /// Discard rows at the start of `words`, one per byte of an 8-byte word: the bytes after the
    /// blocks record their pairs a byte at a time, an untracked byte's in its lane's discard row
    /// (consecutive writes to different addresses); a flagged untracked byte of a block, in lane 0's.
    @usableFromInline package static let laneRows = 8

    /// The first word of each first byte's row in `words` (four words a row), by the byte's lane
    /// (its offset in a word): entry `lane << 8 | first`. A tracked byte's row follows the discard
    /// rows in every lane; an untracked byte's is its lane's discard row, which is 0 in lane 0: the
    /// accessors read lane 0 and take 0 for "not tracked". Kept for the life of the process and read
    /// through a pointer (`ProcessByteTable`): no reference to count.
    @usableFromInline package static let rowTable = ProcessByteTable({
        // Row offsets are bytes: at most 64 rows (discard rows and tracked bytes) fit.
        precondition((laneRows + trackedFirstBytes.count) * 4 <= 256, "too many tracked bytes for the census' one-byte row offsets")
        var table = [UInt8](repeating: 0, count: rowTableCount)
        for lane in 0..<laneRows {
            for b in 0..<256 { table[lane << 8 | b] = UInt8(lane * 4) }
            for (row, b) in trackedFirstBytes.enumerated() { table[lane << 8 | Int(b)] = UInt8((laneRows + row) * 4) }
        }
        return table
    }())

    /// `rowTable`'s size: a row offset for each byte in each lane.
    @usableFromInline package static let rowTableCount = laneRows << 8

    /// `rowTable`, held by each census so the inlined accessors read it without a global access;
    /// a pointer, not an array: each rule asking for the census gets a copy (57,836 at agora ×1),
    /// and an array was retained and released with every copy.
    @usableFromInline package let rows: ProcessByteTable
    /// Bit `second` of the four words from `rows[first]` is set when `first, second` occurs.
    @usableFromInline package let words: [UInt64]
    /// The last byte, the one byte not counted as the first of a pair (nil for an empty file).
    @usableFromInline package let lastByte: UInt8?
    /// Bit k set when `trackedTrigrams[k]` occurs.
    @usableFromInline package let trigrams: UInt8

    package init(_ bytes: [UInt8]) {
        let rows = Self.rowTable
        var words = CensusStorage.take(count: (Self.laneRows + Self.trackedFirstBytes.count) * 4)
        let rowOf = UnsafeBufferPointer(start: rows.base, count: Self.rowTableCount)
        let trigrams = words.withUnsafeMutableBufferPointer { bits in
            bytes.withUnsafeBufferPointer { Self.record($0, rows: rowOf, into: bits) }
        }
        self.rows = rows
        self.words = words
        self.lastByte = bytes.last
        self.trigrams = trigrams
    }

    /// Whether some byte of the file is `(`, or one of the marks `, . : ; ! ?` (`ScalarDecode.isMark`)
    /// right after `!`, `?` or `)`. `punctuation-width` reports only at a mark candidate (`mayReport`
    /// finds none on any line otherwise): one of these, or a mark right after a byte 0x80 or above
    /// (the decode's `holdsMarkAfterNonASCII`). 6,279 of agora's 7,188 files hold neither, and the
    /// two facts spare that rule's walk of their non-ASCII lines. The rows of `(`, `)`, `!` and `?`
    /// cost the census a compare each per block of ASCII: agora holds 9,100 of those bytes.
    @inlinable
    package var mayHoldASCIIMarkCandidate: Bool {
        if contains(byte: 0x28) { return true }
        // The marks all lie below 0x40: in the first word of a row.
        return (words[Int(rows[0x21])] | words[Int(rows[0x29])] | words[Int(rows[0x3F])]) & ScalarDecode.markBits != 0
    }

    /// The trigram `a b c` as `contains(trigram:)` keys it.
    @inlinable @inline(__always)
    package static func trigramKey(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 { UInt32(a) | UInt32(b) &<< 8 | UInt32(c) &<< 16 }

    /// The bit of `trigrams` for the trigram keyed `key`, 0 for an untracked one (literals: a
    /// global table is read through an accessor from the rules' module).
    @inlinable @inline(__always)
    package static func trigramBit(_ key: UInt32) -> UInt8 {
        switch key {
        case 0x65_77_2F: return 1   // "/we"
        case 0x2E_65_76: return 2   // "ve."
        case 0x61_6D_65: return 4   // "ema"
        case 0x69_70_61: return 8   // "api"
        default: return 0
        }
    }

    /// Sets the bit of every adjacent pair of `bytes` whose first byte is tracked, and returns the
    /// tracked trigrams found. Sixteen bytes a step while the block and the two bytes after it fit
    /// (the trigram test reads them); every byte the block test flags (`mayStartRow`, or for a
    /// block of high bytes `isLeadOutsideEastAsian`) records its pair; the rest of the bytes, one at a time.
    private static func record(_ bytes: UnsafeBufferPointer<UInt8>, rows: UnsafeBufferPointer<UInt8>, into bits: UnsafeMutableBufferPointer<UInt64>) -> UInt8 {
        let n = bytes.count
        @inline(__always) func mark(_ i: Int, lane: Int) {
            let row = Int(rows[lane &<< 8 | Int(bytes[i])])
            let second = bytes[i &+ 1]
            bits[row | Int(second &>> 6)] |= 1 &<< UInt64(second & 63)
        }
        /// The pairs of the bytes from `at` whose lanes of `flags` (a `mayStartRow` half: 0xFF or 0
        /// a byte) are set, one bit a byte kept and taken lowest first.
        @inline(__always) func markFlagged(_ flags: UInt64, at: Int) {
            var bits = flags & 0x0101_0101_0101_0101
            while bits != 0 {
                mark(at &+ bits.trailingZeroBitCount &>> 3, lane: 0)
                bits &= bits &- 1
            }
        }
        /// The pairs of the bytes of the block at `at` that `flags` flags. `any` tests the mask with
        /// one `pmovmskb`; the or of its two words took a copy, a compare, a `movmskps` and an xor
        /// (-1.5 M instructions at agora ×1: 633 k blocks of high bytes take this test).
        @inline(__always) func markBlock(_ flags: SIMDMask<SIMD16<Int8>>, at: Int) {
            guard any(flags) else { return }
            let lanes = unsafeBitCast(flags, to: SIMD2<UInt64>.self)
            markFlagged(lanes[0].littleEndian, at: at)
            markFlagged(lanes[1].littleEndian, at: at &+ 8)
        }
        /// `markBlock` of flags as bit 0 of each byte lane (the other bits are ignored).
        @inline(__always) func markBlock(bits lanes: SIMD2<UInt64>, at: Int) {
            if lanes[0] | lanes[1] != 0 {
                // Lane k is byte k of the word read little-endian (a no-op on the machines we build for).
                markFlagged(lanes[0].littleEndian, at: at)
                markFlagged(lanes[1].littleEndian, at: at &+ 8)
            }
        }
        var found: UInt8 = 0
        var i = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let slash = SIMD16<UInt8>(repeating: 0x2F), w = SIMD16<UInt8>(repeating: 0x77), e = SIMD16<UInt8>(repeating: 0x65)
            let v = SIMD16<UInt8>(repeating: 0x76), dot = SIMD16<UInt8>(repeating: 0x2E), m = SIMD16<UInt8>(repeating: 0x6D)
            let a = SIMD16<UInt8>(repeating: 0x61), p = SIMD16<UInt8>(repeating: 0x70), iLetter = SIMD16<UInt8>(repeating: 0x69)
            while i &+ 18 <= n {
                let x = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let halves = unsafeBitCast(x, to: SIMD2<UInt64>.self)
                // A block of sixteen high bytes (most of a Chinese line): only a lead byte outside
                // E3–ED may start a row (the controls, `[`, `{` and DEL are ASCII), and no trigram starts.
                if halves[0] & halves[1] & ByteWords.highs == ByteWords.highs {
                    markBlock(isLeadOutsideEastAsian(x), at: i)
                } else {
                    // Only bit 0 of each lane, all that `markFlagged` reads: kept a mask, the or of
                    // the compares was made lanes of FF or 0 again (a shift, an and and a compare a
                    // block) and then masked to bit 0 a half (~7 instructions a block of ASCII).
                    markBlock(bits: unsafeBitCast(mayStartRow(x), to: SIMD2<UInt64>.self) & SIMD2(repeating: 0x0101_0101_0101_0101), at: i)
                    // The trigrams' first two bytes (`/w`, `ve`, `em`, `ap`) first: at agora ×1, 3% of the
                    // 381 k blocks holding ASCII hold one, and only those load the third bytes and
                    // compare them (~10 instructions a block the others no longer take).
                    let y = raw.loadUnaligned(fromByteOffset: i &+ 1, as: SIMD16<UInt8>.self)
                    let webHead = (x .== slash) .& (y .== w)
                    let archiveHead = (x .== v) .& (y .== e)
                    let emailHead = (x .== e) .& (y .== m)
                    let apiHead = (x .== a) .& (y .== p)
                    let heads = unsafeBitCast(webHead .| archiveHead .| emailHead .| apiHead, to: SIMD2<UInt64>.self)
                    if heads[0] | heads[1] != 0 {
                        let z = raw.loadUnaligned(fromByteOffset: i &+ 2, as: SIMD16<UInt8>.self)
                        let web = webHead .& (z .== e)
                        let archive = archiveHead .& (z .== dot)
                        let email = emailHead .& (z .== a)
                        let api = apiHead .& (z .== iLetter)
                        @inline(__always) func bit(_ mask: SIMDMask<SIMD16<Int8>>, _ value: UInt8) -> UInt8 {
                            let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
                            return words[0] | words[1] != 0 ? value : 0
                        }
                        found |= bit(web, 1) | bit(archive, 2) | bit(email, 4) | bit(api, 8)
                    }
                }
                i &+= 16
            }
        }
        while i &+ 1 < n {
            mark(i, lane: i & 7)
            if i &+ 2 < n { found |= trigramBit(trigramKey(bytes[i], bytes[i &+ 1], bytes[i &+ 2])) }
            i &+= 1
        }
        return found
    }

    /// The lanes of `x` that may start a tracked row: a byte below 0x20, `!`, `(`, `)`, `?`, `[`, `{`,
    /// DEL, or a byte from C0 outside E3–ED. Every tracked byte is among them; the others (tab, line feed, carriage
    /// return, C3 …) mark the discard row. `[` and `{` (0x5B, 0x7B) differ in bit 5 alone: one compare.
    @inline(__always)
    package static func mayStartRow(_ x: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        (x .< SIMD16<UInt8>(repeating: 0x20)) .| ((x | SIMD16<UInt8>(repeating: 0x20)) .== SIMD16<UInt8>(repeating: 0x7B)) .| (x .== SIMD16<UInt8>(repeating: 0x7F))
            .| ((x | SIMD16<UInt8>(repeating: 1)) .== SIMD16<UInt8>(repeating: 0x29)) .| (x .== SIMD16<UInt8>(repeating: 0x21))
            .| (x .== SIMD16<UInt8>(repeating: 0x3F)) .| isLeadOutsideEastAsian(x)
    }

    /// The lanes of `x` holding a byte from C0 outside E3–ED: `mayStartRow`'s lanes of a block of
    /// high bytes (all its other bytes are ASCII).
    @inline(__always)
    package static func isLeadOutsideEastAsian(_ x: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        let eastAsian = x &- SIMD16<UInt8>(repeating: 0xE3) .< SIMD16<UInt8>(repeating: 0x0B)
        return (x .>= SIMD16<UInt8>(repeating: 0xC0)) .& .!eastAsian
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
    /// control characters several rules report). Those 29 controls are the first tracked rows, after
    /// the 8 discard rows (literal counts: a static member is read through a call from the rules' module).
    @inlinable
    package var containsControlOtherThanWhitespace: Bool {
        if let last = lastByte, last < 0x20, last != 0x09, last != 0x0A, last != 0x0D { return true }
        return words.withUnsafeBufferPointer { w in
            var any: UInt64 = 0
            for k in 32..<(32 &+ 29 &<< 2) { any |= w[k] }
            return any != 0
        }
    }

    /// Whether every adjacent pair of `needle` occurs, and every tracked trigram in it: false proves
    /// `needle` absent (true does not prove it present). A needle of one byte asks whether that byte occurs.
    @inlinable
    package func mayContain(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count > 1 else { return contains(byte: first) }
        for i in 1..<needle.count where !contains(needle[i - 1], needle[i]) { return false }
        if needle.count > 2 {
            for i in 2..<needle.count where !contains(trigram: needle[i - 2], needle[i - 1], needle[i]) { return false }
        }
        return true
    }

    /// Whether the trigram `a b c` occurs somewhere (true for one not in `trackedTrigrams`).
    @inlinable
    package func contains(trigram a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        let bit = Self.trigramBit(Self.trigramKey(a, b, c))
        return bit == 0 || trigrams & bit != 0
    }
}

/// Spare storage for the census' bits (1.6 KB a file), given back when a document is done
/// (`DocumentViews`' deinit) and zeroed in place by the next file's census (a fresh zeroed array
/// cost a `malloc`, a copy from the zeroed page and a `free` a file, ~700 instructions).
package enum CensusStorage {
    package static let spares = SpareArrays<UInt64>(kept: 4, largestCapacity: 1 << 12)

    /// `count` zero words, in a kept array's storage when there is one of that count.
    package static func take(count: Int) -> [UInt64] {
        guard var spare = spares.take(count: count) else { return [UInt64](zeroedCount: count) }
        // Through `Array`'s mutation: storage another census still shares is copied, not zeroed.
        spare.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        return spare
    }

    /// Keeps `census`' bits for `take`.
    package static func keep(_ census: consuming BytePairCensus) {
        let words = census.words
        _ = consume census
        spares.keep(words)
    }
}

extension Document {
    /// The byte-pair census of the file, computed on first use and shared by the prefilters.
    package var bytePairs: BytePairCensus {
        views.bytePairs { BytePairCensus(bytes) }
    }
}

/// Bytes kept for the life of the process and read through a pointer: a copy of a value holding
/// it counts no reference (and, one word, copies as cheaply as the bare pointer did). Its readers
/// know its size. `@unchecked Sendable`: written once, before the first read, and never changed or
/// freed.
@usableFromInline package struct ProcessByteTable: @unchecked Sendable {
    @usableFromInline let base: UnsafePointer<UInt8>

    package init(_ bytes: [UInt8]) {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        _ = UnsafeMutableBufferPointer(start: table, count: bytes.count).initialize(from: bytes)
        base = UnsafePointer(table)
    }

    @inlinable package subscript(_ i: Int) -> UInt8 { base[i] }
}
