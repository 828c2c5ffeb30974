import Synchronization

/// The whole file decoded into Unicode scalars once, with the byte offset of each scalar, shared by
/// every rule that scans code points (mojibake, script-mixed, punctuation-width, invisible-char,
/// compat-ideograph each used to decode the same bytes again).
///
/// Ill-formed bytes become `ScalarDecode.invalid` (one per byte) so the offsets stay exact. Line
/// terminators are ASCII and never continue a multi-byte sequence, so the scalars of a line are
/// exactly what decoding that line alone gives.
@usableFromInline package struct ScalarDecode: Sendable {
    package static let invalid: UInt32 = 0xFFFF_FFFF
    /// Code points (or `invalid`).
    @usableFromInline package let cps: [UInt32]
    /// Byte offset of each scalar; `offsets[cps.count] == bytes.count`.
    @usableFromInline package let offsets: ByteOffsets
    /// Scalar index at which each entry of `Document.lineStarts` starts.
    @usableFromInline package let lineStarts: [Int]

    /// Above this file size, the arrays are sized by counting the scalars first (`nonContinuationCount`).
    package static let countedCapacityFrom = 64 * 1024

    /// Offsets are 4 bytes each up to this file size (every real file), 8 bytes beyond it.
    package static let narrowOffsetLimit = Int(UInt32.max)

    /// Whether the file is well-formed UTF-8 (no `invalid` scalar): known before the decode, or
    /// found by it when `init` was not told.
    @usableFromInline package let isValidUTF8: Bool

    /// Whether every scalar lies in the Basic Multilingual Plane (below U+10000; an ill-formed
    /// byte's `invalid` does not): nearly every file. The script rules' per-scalar loops read a 64K
    /// table indexed by the scalar, and in such a file need no test that it is in range (the
    /// decoders meet a 4-byte sequence or an ill-formed byte only on their slow paths).
    package let allInBMP: Bool

    /// Whether one of the ASCII marks `, . : ; ! ?` (`isMark`), or a quote (`isQuoteCandidate`), follows a byte 0x80 or above
    /// somewhere: one of `punctuation-width`'s two kinds of mark candidate (the census holds the
    /// other, `BytePairCensus.mayHoldASCIIMarkCandidate`). Found by `decodeChecked` where a non-ASCII
    /// step ends (the byte after it, a test per run of non-ASCII text, not per byte); nil when the
    /// file was decoded another way (its validity known before: not found, not known); false for
    /// an empty file.
    package let holdsMarkAfterNonASCII: Bool?

    /// `, . : ; ! ?`: the ASCII marks `punctuation-width` converts after Chinese text (the
    /// parentheses aside: a pair is found from its `(`, which the census records; a `"` is
    /// `isQuoteCandidate`).
    @inlinable @inline(__always)
    package static func isMark(_ b: UInt8) -> Bool {
        b < 64 && markBits &>> UInt64(b) & 1 != 0
    }

    /// `isMark`'s bytes as bits of a word (they all lie below 0x40): 0x21, 0x2C, 0x2E, 0x3A, 0x3B, 0x3F.
    @inlinable @inline(__always)
    package static var markBits: UInt64 { 0x8C00_5002_0000_0000 }

    /// Whether byte `i` of `buf` is a `"` followed by a byte above a space other than `>` and `/`:
    /// after a non-ASCII byte, a quote `punctuation-width` may pair around Chinese text
    /// (`QuotePairs`). An attribute value's closing quote (`alt="中文">`, `title="中文" `) is
    /// followed by `>`, `/` or a space, and most HTML files hold one after Han text.
    @inlinable @inline(__always)
    package static func isQuoteCandidate(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard buf[i] == 0x22, i &+ 1 < buf.count else { return false }
        let next = buf[i &+ 1]
        return next > 0x20 && next != 0x3E && next != 0x2F
    }

    /// `isValidUTF8` nil: not known yet, so the decode checks as it goes (`decodeChecked`) instead of
    /// the document walking every byte once to validate and once more to decode. Only for files up
    /// to `countedCapacityFrom`, which take one scalar per byte anyway; a larger file's arrays are
    /// sized by counting, which needs its validity first.
    package init(_ bytes: [UInt8], lineStarts byteLineStarts: [Int], isValidUTF8 knownValidity: Bool?, narrowOffsetLimit: Int = ScalarDecode.narrowOffsetLimit) {
        let isValidUTF8 = knownValidity ?? (bytes.count > Self.countedCapacityFrom ? UTF8Validation.firstInvalidOffset(in: bytes) == nil : nil)
        // Well-formed text has exactly one scalar per non-continuation byte, so the arrays of a large
        // file are allocated once at their final size; a small file (most articles) takes one scalar
        // per byte, the most any text needs: up to 8 bytes per byte of the file (~5 more than Chinese
        // text needs, ~350 KB for a 64 KiB file), held only while the document is linted, and it
        // saves counting its bytes first.
        let capacity = isValidUTF8 == true && bytes.count > Self.countedCapacityFrom ? Self.nonContinuationCount(bytes) : bytes.count
        var written = Written(sawInvalid: isValidUTF8 == false)
        var cps = DecodeStorage.take()
        if capacity > 0 {
            // Written in place: the storage comes from `reserveCapacity` (specialised here), and
            // `append(contentsOf:)` hands it to the sequence's `_copyContents`, which decodes into it
            // (`ScalarWrite`). `Array(unsafeUninitializedCapacity:)` allocates through the standard
            // library's unspecialised `_allocateBufferUninitialized`: ~400 instructions more an
            // array, two a file.
            cps.reserveCapacity(capacity)
            withUnsafeMutablePointer(to: &written) { out in
                cps.append(contentsOf: ScalarWrite(bytes: bytes, knownValidity: isValidUTF8, capacity: capacity,
                                                   narrow: bytes.count <= narrowOffsetLimit, out: out))
            }
        } else {
            written.offsets = bytes.count <= narrowOffsetLimit ? .narrow([0]) : .wide([0])
        }
        let filled = written.filled, sawInvalid = written.sawInvalid, sawAstral = written.sawAstral
        self.holdsMarkAfterNonASCII = capacity > 0 ? written.markAfterNonASCII : false
        let offsets = written.offsets
        // The decode went through `_copyContents` (a standard-library hook): both arrays hold it.
        let offsetCount: Int = switch offsets { case .narrow(let a): a.count; case .wide(let a): a.count }
        precondition(cps.count == filled && offsetCount == filled + 1, "scalar decode not written in place")
        self.isValidUTF8 = !sawInvalid
        self.allInBMP = !sawInvalid && !sawAstral
        self.cps = cps
        self.offsets = offsets
        // A line starts after an ASCII `\n`, so it always starts a scalar: find it by bisection
        // (a few dozen lines per file) rather than testing every byte in the decode loop. A scalar
        // takes at least one byte, so the line's scalar lies at most its byte distance past the
        // previous one: the bisection looks only there, not across the whole file.
        switch offsets {
        case .narrow(let narrow): self.lineStarts = narrow.withUnsafeBufferPointer { Self.scalarLineStarts(byteLineStarts, offsets: $0, count: filled) }
        case .wide(let wide): self.lineStarts = wide.withUnsafeBufferPointer { Self.scalarLineStarts(byteLineStarts, offsets: $0, count: filled) }
        }
    }

    /// The scalar index at which each of `byteLineStarts` starts, by bisecting `offsets` (of `count`
    /// scalars) read directly, not through `ByteOffsets`' switch at every probe.
    /// Written into storage a finished decode gave back (`LineStartStorage`, which `DecodeStorage.keep`
    /// hands it to): a `malloc` and a `free` a file saved.
    private static func scalarLineStarts<Offset: FixedWidthInteger>(_ byteLineStarts: [Int], offsets: UnsafeBufferPointer<Offset>, count filled: Int) -> [Int] {
        var lines = LineStartStorage.spares.take()
        lines.reserveCapacity(byteLineStarts.count)
        var lo = 0
        for start in byteLineStarts {
            lo = firstScalar(atOrAfter: start, from: lo, count: filled, offsets: offsets)
            lines.append(lo)
        }
        return lines
    }

    /// The first index in `start...count` whose entry in `offsets` (ascending byte offsets of `count`
    /// scalars, then the end) is at least `offset`: the one bisection behind every scalar search
    /// (`firstScalar(atOrAfter:from:)`, the line starts, `ScalarRun`s and the rules' slices).
    /// A scalar takes at least one byte, so the answer lies at most `offset - offsets[start]`
    /// indices past `start`: the bisection spans the bytes asked about, not the file.
    /// `@inlinable`: the rules' searches specialize it for their offsets (a generic call otherwise).
    @inlinable @inline(__always)
    package static func firstScalar<Offset: FixedWidthInteger>(atOrAfter offset: Int, from start: Int, count: Int,
                                                               offsets: UnsafeBufferPointer<Offset>) -> Int {
        guard start < count else { return start }
        var lo = start, hi = min(count, start &+ max(0, offset &- Int(offsets[start])))
        // Only one-byte scalars between (an ASCII line, markup): the bound itself, with no bisection.
        if Int(offsets[hi]) == offset { return hi }
        while lo < hi {
            let mid = (lo &+ hi) &>> 1
            if Int(offsets[mid]) < offset { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// `decode` for well-formed UTF-8 (checked by `Document.init`): the lead byte gives the length, so
    /// the continuation bytes need no checks.
    /// Also returns whether it met a scalar beyond the BMP — or took the fallback branch for a byte
    /// that cannot start a sequence (unreachable for well-formed input), so that `allInBMP` is never
    /// claimed for bytes it did not decode as expected.
    fileprivate static func decodeValid<Offset: FixedWidthInteger>(_ bytes: [UInt8], into cps: UnsafeMutableBufferPointer<UInt32>,
                                                               _ offsets: UnsafeMutableBufferPointer<Offset>) -> (count: Int, sawAstral: Bool) {
        bytes.withUnsafeBufferPointer { buf -> (count: Int, sawAstral: Bool) in
            var i = 0
            var k = 0
            var sawAstral = false
            let n = buf.count
            let capacity = cps.count
            while i < n && k < capacity {
                let b = buf[i]
                offsets[k] = Offset(truncatingIfNeeded: i)
                var v: UInt32
                if b < 0x80 {
                    // Markup and Latin text: the ASCII bytes among the next eight, up to the first
                    // other one, at once. A lone ASCII byte between other characters (`中a国b`)
                    // does not pay for the word.
                    if i &+ 8 <= n && k &+ 8 <= capacity && buf[i &+ 1] < 0x80, let base = buf.baseAddress {
                        let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                        let high = word & ByteWords.highs
                        let run = high == 0 ? 8 : high.trailingZeroBitCount &>> 3
                        for j in 0..<run {
                            cps[k &+ j] = UInt32(truncatingIfNeeded: word &>> UInt64(j &* 8)) & 0xFF
                            offsets[k &+ j] = Offset(truncatingIfNeeded: i &+ j)
                        }
                        i &+= run
                        k &+= run
                        continue
                    }
                    v = UInt32(b)
                    i &+= 1
                } else if b >= 0xE0 && b < 0xF0 && i &+ 2 < n {
                    // Chinese text: a run of 3-byte sequences in a loop of its own, each read with one
                    // 4-byte load while a byte follows it (the lead byte alone tells the length).
                    if let base = buf.baseAddress {
                        // The sequences that can be read so (a byte after each) and stored.
                        var left = min((n &- i &- 1) / 3, capacity &- k)
                        while left > 0 {
                            let word = UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self))
                            guard word & 0xF0 == 0xE0 else { break }
                            offsets[k] = Offset(truncatingIfNeeded: i)
                            cps[k] = (word & 0x0F) << 12 | (word &>> 2) & 0x0FC0 | (word &>> 16) & 0x3F
                            i &+= 3
                            k &+= 1
                            left &-= 1
                        }
                        if i &+ 4 <= n { continue }
                        // The last sequence of the file (no byte after it), or none.
                        guard i &+ 2 < n, buf[i] & 0xF0 == 0xE0, k < capacity else { continue }
                        offsets[k] = Offset(truncatingIfNeeded: i)
                    }
                    v = UInt32(buf[i] & 0x0F) << 12 | UInt32(buf[i &+ 1] & 0x3F) << 6 | UInt32(buf[i &+ 2] & 0x3F)
                    i &+= 3
                } else if b < 0xE0 && i &+ 1 < n {
                    v = UInt32(b & 0x1F) << 6 | UInt32(buf[i &+ 1] & 0x3F)
                    i &+= 2
                } else if b >= 0xF0 && i &+ 3 < n {
                    v = UInt32(b & 0x07) << 18 | UInt32(buf[i &+ 1] & 0x3F) << 12 | UInt32(buf[i &+ 2] & 0x3F) << 6 | UInt32(buf[i &+ 3] & 0x3F)
                    i &+= 4
                    sawAstral = true
                } else {
                    // Unreachable for well-formed input; never read past the end.
                    v = ScalarDecode.invalid
                    i &+= 1
                    sawAstral = true
                }
                cps[k] = v
                k &+= 1
            }
            offsets[k] = Offset(truncatingIfNeeded: i)
            return (k, sawAstral)
        }
    }

    /// `decode` that also tells whether it met an ill-formed byte, with fast paths for what is
    /// certainly well-formed: ASCII eight bytes a word (stored with vector stores); runs of 3-byte
    /// sequences four a step (twelve bytes, two values from each lane's shifts and masks) and then
    /// two per 8-byte load while the leads are E1–EC or EE–EF, then one per 4-byte load,
    /// kept when the lead is `E0`–`EF`, both continuation bytes are `10xxxxxx`, and the value is
    /// neither overlong (below U+0800) nor a surrogate. Anything else takes `decode`'s step, so the
    /// scalars are exactly `decode`'s. Also tells whether it met a scalar beyond the BMP, and an
    /// ASCII mark right after a non-ASCII step (`holdsMarkAfterNonASCII`).
    package static func decodeChecked<Offset: FixedWidthInteger>(_ bytes: [UInt8], into cps: UnsafeMutableBufferPointer<UInt32>,
                                                                 _ offsets: UnsafeMutableBufferPointer<Offset>) -> (count: Int, sawInvalid: Bool, sawAstral: Bool, markAfterNonASCII: Bool) {
        bytes.withUnsafeBufferPointer { buf -> (count: Int, sawInvalid: Bool, sawAstral: Bool, markAfterNonASCII: Bool) in
            var i = 0
            var k = 0
            // What the decode met, a bit each (one register for the three, not three):
            // 1 an ill-formed byte, 2 a scalar beyond the BMP, 4 a mark after a byte 0x80 or above,
            // tested after each non-ASCII step (the run of 3-byte sequences, or `step`): an ASCII
            // byte never continues a sequence, so a byte 0x80 or above followed by one ends a step.
            var met: UInt8 = 0
            let n = buf.count
            let capacity = cps.count
            guard let base = buf.baseAddress else {
                offsets[0] = 0
                return (0, false, false, false)
            }
            let raw = UnsafeRawPointer(base)
            guard let cpBase = cps.baseAddress, let offsetBase = offsets.baseAddress else {
                return (0, false, false, false)
            }
            // `k < capacity` always holds (one scalar per byte at most); the test keeps a broken
            // invariant from writing out of bounds.
            while i < n && k < capacity {
                let b = buf[i]
                if b < 0x80 {
                    if i &+ 8 <= n && k &+ 8 <= capacity && buf[i &+ 1] < 0x80 {
                        // Markup and Latin text: eight bytes stored a word at a time, up to the first
                        // word holding another byte, which is stored and then kept only up to it.
                        if Offset.self == UInt32.self {
                            (i, k) = Self.storeASCIIWords(raw, from: i, count: n, cpBase, UnsafeMutableRawPointer(offsetBase), at: k, capacity: capacity)
                            continue
                        }
                        repeat {
                            let memory = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                            storeWord(memory, at: i, cpBase + k, offsetBase + k)
                            let high = UInt64(littleEndian: memory) & ByteWords.highs
                            if high != 0 {
                                let run = high.trailingZeroBitCount &>> 3
                                i &+= run
                                k &+= run
                                break
                            }
                            i &+= 8
                            k &+= 8
                        } while i &+ 8 <= n && k &+ 8 <= capacity
                        continue
                    }
                    offsets[k] = Offset(truncatingIfNeeded: i)
                    cps[k] = UInt32(b)
                    i &+= 1
                    k &+= 1
                    continue
                }
                if b & 0xF0 == 0xE0 {
                    let from = i
                    if Offset.self == UInt32.self {
                        // Four sequences a step (`decodeFourAtATime`; offsets of 4 bytes, every real file).
                        (i, k) = Self.decodeFourAtATime(raw, count: n, from: i, cpBase, UnsafeMutableRawPointer(offsetBase), at: k, capacity: capacity)
                    } else {
                        // Two sequences a step, from one 8-byte load, while both are certainly well-formed
                        // and need no range check: leads E1–EC or EE–EF, continuation bytes `10xxxxxx`.
                        // The leads' low nibbles x, in bytes 0 and 3, are tested at once: 5x mod 16 is 0
                        // for E0 and 1 for ED, at least 2 for the others. (After the four-a-step loop it
                        // nearly always failed its first test, so the narrow offsets skip it.)
                        while i &+ 8 <= n && k &+ 2 <= capacity {
                            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                            guard word & 0xC0C0_F0C0_C0F0 == 0x8080_E080_80E0,
                                  ((word & 0x0F00_000F) &* 5 & 0x0F00_000F &+ 0x0E00_000E) & 0x1000_0010 == 0x1000_0010 else { break }
                            offsets[k] = Offset(truncatingIfNeeded: i)
                            offsets[k &+ 1] = Offset(truncatingIfNeeded: i &+ 3)
                            Self.storeTwo(Self.twoValues(SIMD2(word, 0))[0], UnsafeMutableRawPointer(cpBase + k), at: 0)
                            i &+= 6
                            k &+= 2
                        }
                    }
                    // The run's last few, one a step while a byte follows each (a 4-byte load), with
                    // the range checks; bounded by the indices themselves (no step count divided out).
                    while i &+ 4 <= n && k < capacity {
                        let word = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                        let v = (word & 0x0F) << 12 | (word &>> 2) & 0x0FC0 | (word &>> 16) & 0x3F
                        guard word & 0x00C0_C0F0 == 0x0080_80E0, v >= 0x800, v & 0xF800 != 0xD800 else { break }
                        offsets[k] = Offset(truncatingIfNeeded: i)
                        cps[k] = v
                        i &+= 3
                        k &+= 1
                    }
                    if i != from {
                        if i < n && (isMark(buf[i]) || isQuoteCandidate(buf, at: i)) { met |= 4 }
                        continue
                    }
                }
                // `decode`'s step: the last sequence of the file, 2- and 4-byte sequences, ill-formed bytes.
                offsets[k] = Offset(truncatingIfNeeded: i)
                let step = ScalarDecode.step(buf, at: i)
                if step.scalar == ScalarDecode.invalid { met |= 1 } else if step.scalar >= 0x10000 { met |= 2 }
                cps[k] = step.scalar
                k &+= 1
                i &+= step.length
                if i < n && (isMark(buf[i]) || isQuoteCandidate(buf, at: i)) { met |= 4 }
            }
            offsets[k] = Offset(truncatingIfNeeded: i)
            return (k, met & 1 != 0, met & 2 != 0, met & 4 != 0)
        }
    }

    /// Decodes `bytes` into `cps`/`offsets` (capacity `cps.count` and one more); returns the scalar count.
    fileprivate static func decode<Offset: FixedWidthInteger>(_ bytes: [UInt8], into cps: UnsafeMutableBufferPointer<UInt32>,
                                                          _ offsets: UnsafeMutableBufferPointer<Offset>) -> Int {
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            var k = 0
            let n = buf.count
            let capacity = cps.count
            // `k < capacity` always holds (see `init`); the test keeps a broken invariant from writing out of bounds.
            while i < n && k < capacity {
                let b = buf[i]
                offsets[k] = Offset(truncatingIfNeeded: i)
                if b < 0x80 {
                    cps[k] = UInt32(b)
                    k &+= 1
                    i &+= 1
                    continue
                }
                // Chinese text: a 3-byte sequence outside the E0/ED special ranges.
                if b >= 0xE1 && b <= 0xEF && b != 0xED && i + 2 < n {
                    let c1 = buf[i + 1], c2 = buf[i + 2]
                    if c1 & 0xC0 == 0x80 && c2 & 0xC0 == 0x80 {
                        cps[k] = UInt32(b & 0x0F) << 12 | UInt32(c1 & 0x3F) << 6 | UInt32(c2 & 0x3F)
                        k &+= 1
                        i &+= 3
                        continue
                    }
                }
                let step = ScalarDecode.step(buf, at: i)
                cps[k] = step.scalar
                k &+= 1
                i &+= step.length
            }
            offsets[k] = Offset(truncatingIfNeeded: n)
            return k
        }
    }

    /// `decodeChecked`'s run of 3-byte sequences, four a step while all four are certainly
    /// well-formed (the test below, on twelve bytes: leads E1–EC or EE–EF, continuation bytes
    /// `10xxxxxx`). Sequences 0–1 are bytes 0–5 of one 8-byte load and 2–3 bytes 0–5 of another
    /// (from byte 6), so both words take the same steps: done once for the two in the lanes of
    /// one SSE2 vector, and the four values stored with one 16-byte store, the four offsets
    /// (4 bytes each) likewise. Returns where the run stopped (byte, scalar). Inlined into
    /// `decodeChecked`: its masks are loaded into vector registers once per file, where the call
    /// (a function of its own, once per run: 166k at agora ×1) saved its registers and loaded
    /// eleven masks each time (cold ×1 −5.5 M, measured in session 43). The general-purpose
    /// registers no longer run out as they did when each word's steps were its own (masks
    /// reloaded per step).
    @inline(__always)
    private static func decodeFourAtATime(_ raw: UnsafeRawPointer, count n: Int, from start: Int, _ cps: UnsafeMutablePointer<UInt32>,
                                          _ offsets: UnsafeMutableRawPointer, at first: Int, capacity: Int) -> (Int, Int) {
        var i = start, k = first
        // The offsets of the step's four scalars.
        var offsetLanes = SIMD4<UInt32>(repeating: UInt32(truncatingIfNeeded: i)) &+ SIMD4<UInt32>(0, 3, 6, 9)
        // Steps with fourteen bytes to read (`i + 14 <= n`) and four scalars to store
        // (`k + 4 <= capacity`, where k = first + (i - start) / 3): one bound on `i` for both, with
        // no division (the step count, divided out by 12 for each run, cost ~12 instructions a run).
        let last = min(n &- 14, start &+ 3 &* (capacity &- first &- 4))
        while i <= last {
            // Bytes 0–7 and 6–13: each lane holds two sequences at its bytes 0–5 (bytes 6 and 7 ignored).
            let words = SIMD2<UInt64>(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)),
                                      UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &+ 6, as: UInt64.self)))
            // Both lanes take the same test, in the vector (the words' own tests in general-purpose
            // registers reloaded their masks at every step): a lead `1110xxxx` at bytes 0 and 3, and
            // continuation bytes `10xxxxxx`, leave no bit in `shape`; 5x mod 16 is 0 for a lead's low
            // nibble x of E0 and 1 for ED, at least 2 for the others (E1–EC, EE–EF), so bit 4 of each
            // nibble lane of 5x + 14 is set for those only, and `ranged` is then clear.
            let shape = (words & 0x0000_C0C0_F0C0_C0F0) ^ 0x0000_8080_E080_80E0
            let nibbles = words & 0x0F00_000F
            let ranged = ((nibbles &<< 2 &+ nibbles) & 0x0F00_000F &+ 0x0E00_000E) & 0x1000_0010 ^ 0x1000_0010
            let bad = shape | ranged
            guard bad[0] | bad[1] == 0 else { break }
            let values = twoValues(words)
            #if _endian(little)
            UnsafeMutableRawPointer(cps + k).storeBytes(of: values, as: SIMD2<UInt64>.self)
            #else
            // Each lane's first scalar is its low half: first in memory.
            UnsafeMutableRawPointer(cps + k).storeBytes(of: values &<< 32 | values &>> 32, as: SIMD2<UInt64>.self)
            #endif
            offsets.storeBytes(of: offsetLanes, toByteOffset: k &<< 2, as: SIMD4<UInt32>.self)
            offsetLanes &+= 12
            i &+= 12
            k &+= 4
        }
        return (i, k)
    }

    /// In each lane of `x`: the values of the two well-formed 3-byte sequences at its bytes 0–5
    /// (bytes 6 and 7 ignored), in the lane's low and high halves (little-endian: two scalars in
    /// order). The sequences are first moved to bytes 0–2 and 4–6, then each value is put
    /// together from its three bytes' payloads.
    @inline(__always)
    private static func twoValues(_ x: SIMD2<UInt64>) -> SIMD2<UInt64> {
        let spread = x & 0xFFFF_FFFF | (x &<< 8) & 0xFFFF_FFFF_0000_0000
        return (spread & 0x0000_000F_0000_000F) &<< 12 | (spread &>> 2) & 0x0000_0FC0_0000_0FC0 | (spread &>> 16) & 0x0000_003F_0000_003F
    }

    /// Stores the two `UInt32`s in the halves of `pair` (low half first) at `byteOffset` of `p`.
    @inline(__always)
    private static func storeTwo(_ pair: UInt64, _ p: UnsafeMutableRawPointer, at byteOffset: Int) {
        #if _endian(little)
        p.storeBytes(of: pair, toByteOffset: byteOffset, as: UInt64.self)
        #else
        p.storeBytes(of: UInt32(truncatingIfNeeded: pair), toByteOffset: byteOffset, as: UInt32.self)
        p.storeBytes(of: UInt32(truncatingIfNeeded: pair &>> 32), toByteOffset: byteOffset &+ 4, as: UInt32.self)
        #endif
    }

    /// Stores the eight bytes `memory` (as loaded, in memory order) as scalars at `cps` and their
    /// offsets `i`…`i + 7` at `offsets` (wide offsets: files past 4 GB). The caller keeps only the
    /// ASCII lanes: the others are overwritten by the scalars that follow, or lie past the count.
    @inline(__always)
    private static func storeWord<Offset: FixedWidthInteger>(_ memory: UInt64, at i: Int, _ cps: UnsafeMutablePointer<UInt32>,
                                                             _ offsets: UnsafeMutablePointer<Offset>) {
        let wide = SIMD8<UInt32>(truncatingIfNeeded: unsafeBitCast(memory, to: SIMD8<UInt8>.self))
        UnsafeMutableRawPointer(cps).storeBytes(of: wide, as: SIMD8<UInt32>.self)
        // Wide offsets only: the narrow ones take `storeASCIIWords`.
        for j in 0..<8 { offsets[j] = Offset(truncatingIfNeeded: i &+ j) }
    }

    /// `decodeChecked`'s ASCII run for offsets of 4 bytes (every real file): `storeWord` from byte
    /// `start` and scalar `first` while eight bytes and eight scalars fit, up to the first word
    /// holding a byte 0x80 or above, kept only up to that byte. Returns where it stopped (byte,
    /// scalar). One index for the bytes, the scalars and the offsets (an ASCII run writes one
    /// scalar a byte), a step count for both bounds, and the offsets carried in a vector from step
    /// to step: ~17 instructions a word, against ~27 with `storeWord`'s two indices, two bounds
    /// and offsets built from the index each word.
    @inline(__always)
    private static func storeASCIIWords(_ raw: UnsafeRawPointer, from start: Int, count n: Int, _ cps: UnsafeMutablePointer<UInt32>,
                                        _ offsets: UnsafeMutableRawPointer, at first: Int, capacity: Int) -> (Int, Int) {
        let bytes = raw + start, scalars = UnsafeMutableRawPointer(cps + first), offsetsFrom = offsets + first &* 4
        var steps = min(n &- start, capacity &- first) &>> 3
        var lanes = SIMD8<UInt32>(repeating: UInt32(truncatingIfNeeded: start)) &+ SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        var j = 0
        while steps > 0 {
            let memory = bytes.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            scalars.storeBytes(of: SIMD8<UInt32>(truncatingIfNeeded: unsafeBitCast(memory, to: SIMD8<UInt8>.self)),
                               toByteOffset: j &<< 2, as: SIMD8<UInt32>.self)
            offsetsFrom.storeBytes(of: lanes, toByteOffset: j &<< 2, as: SIMD8<UInt32>.self)
            let high = UInt64(littleEndian: memory) & ByteWords.highs
            if high != 0 {
                j &+= high.trailingZeroBitCount &>> 3
                break
            }
            j &+= 8
            lanes &+= 8
            steps &-= 1
        }
        return (start &+ j, first &+ j)
    }

    /// One scalar at `i` the careful way, shared by both decoders (and punctuation-width's backward
    /// read) so they cannot drift: a well-formed sequence's value and length, or `invalid` and 1 for an
    /// ill-formed byte.
    @inline(__always)
    package static func step(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: UInt32, length: Int) {
        let len = UTF8Validation.sequenceLength(buf, at: i)
        guard len > 0 else { return (ScalarDecode.invalid, 1) }
        let b = buf[i]
        var v: UInt32
        switch len {
        case 2: v = UInt32(b & 0x1F)
        case 3: v = UInt32(b & 0x0F)
        default: v = UInt32(b & 0x07)
        }
        for j in 1..<len { v = (v << 6) | UInt32(buf[i + j] & 0x3F) }
        return (v, len)
    }

    /// Bytes that are not UTF-8 continuation bytes (`10xxxxxx`), counted eight at a time: each byte
    /// lane of a word adds its own count (one bit per word), and the lanes are summed once per 255
    /// words. (`nonzeroBitCount` per word compiled to a dozen instructions: the baseline x86-64
    /// target has no `popcnt`.)
    package static func nonContinuationCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            var continuation = 0
            var i = 0
            let lowBytes: UInt64 = 0x00FF_00FF_00FF_00FF
            while i + 8 <= n {
                // Up to 255 words, so no lane passes 255.
                var lanes: UInt64 = 0
                var words = 0
                while words < 255 && i + 8 <= n {
                    let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    // Each continuation byte's flag moved to its lane's bit 0.
                    lanes &+= ByteWords.continuationFlags(x) >> 7
                    i &+= 8
                    words &+= 1
                }
                // Eight lanes to four 16-bit ones (each at most 510), summed by a multiply into the top 16 bits.
                let pairs = (lanes & lowBytes) &+ ((lanes >> 8) & lowBytes)
                continuation &+= Int((pairs &* 0x0001_0001_0001_0001) >> 48)
            }
            while i < n {
                if raw[i] & 0xC0 == 0x80 { continuation &+= 1 }
                i &+= 1
            }
            return n - continuation
        }
    }
}

/// Spare storage for the scalar decode's arrays (scalars and narrow offsets, 4 bytes an entry) and
/// the normalised body's scalars, given back when a document is done (`DocumentViews`' deinit) and
/// written in place by the next file's. Twelve kept arrays (three a document, for the documents of
/// two workers and their next) of at most 1 MB each: agora-pen's files all fit.
package enum DecodeStorage {
    package static let spares = SpareArrays<UInt32>(kept: 12, largestCapacity: 1 << 18)

    /// An empty array, with a kept one's storage when there is one.
    package static func take() -> [UInt32] { spares.take() }

    /// Keeps `decode`'s arrays for `take`, and its line starts for `LineStartStorage`.
    package static func keep(_ decode: consuming ScalarDecode) {
        let narrow: [UInt32]? = if case .narrow(let offsets) = decode.offsets { offsets } else { nil }
        let cps = decode.cps
        let lineStarts = decode.lineStarts
        _ = consume decode
        spares.keep(cps)
        if let narrow { spares.keep(narrow) }
        LineStartStorage.spares.keep(lineStarts)
    }

    /// Keeps the normalised body's scalars (the rules layer's `BodyNormalizer.view` writes them
    /// into an array from `take`).
    package static func keep(_ body: consuming NormalizedBodyView) {
        let scalars = body.scalars
        _ = consume body
        spares.keep(scalars)
    }
}

/// Scratch buffers of scalars (the rules layer's normaliser writes a body through one): one in use
/// per worker at a time, so a few kept are enough and bound the memory at any number of workers.
/// Here, not in the rules layer: `SpareArrays` used from another module is not specialised, and
/// its generic calls looked their type metadata up (~3,000 instructions a call).
package enum ScratchStorage {
    /// Arrays of at most this capacity are kept: room for the allocator's rounding of the sizes asked.
    package static let spares = SpareArrays<UInt32>(kept: 4, largestCapacity: 1 << 14)

    /// An array of `count` scalars (their values left from its last use), kept or new.
    package static func take(count: Int) -> [UInt32] {
        spares.take(count: count) ?? [UInt32](repeating: 0, count: count)
    }

    /// Keeps `array` for `take(count:)`.
    package static func keep(_ array: consuming [UInt32]) { spares.keep(array) }
}

extension ScalarDecode {
    /// What the decode leaves besides the scalars: the offsets array, the count, what it met.
    fileprivate struct Written {
        var offsets = ByteOffsets.narrow([])
        var filled = 0
        var sawInvalid: Bool
        var sawAstral = false
        var markAfterNonASCII: Bool?
    }

    /// The scalars of `bytes` as a sequence that decodes straight into the array storage it is
    /// copied into (`_copyContents`, called by `Array.append(contentsOf:)` with the storage
    /// reserved for `capacity`), making the offsets array the same way (`OffsetWrite`); the rest
    /// goes to `out`. It has no elements otherwise (an underestimated count of 0, an empty iterator).
    fileprivate struct ScalarWrite: Sequence {
        let bytes: [UInt8]
        let knownValidity: Bool?
        let capacity: Int
        let narrow: Bool
        let out: UnsafeMutablePointer<Written>

        var underestimatedCount: Int { 0 }
        /// Read element by element, the sequence would be empty and the decode silently lost.
        func makeIterator() -> EmptyCollection<UInt32>.Iterator { preconditionFailure("ScalarWrite is read through _copyContents only") }

        func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt32>) -> (EmptyCollection<UInt32>.Iterator, Int) {
            precondition(buffer.count >= capacity, "array storage smaller than reserved")
            let cpBuf = UnsafeMutableBufferPointer(rebasing: buffer[..<capacity])
            if narrow {
                var offsets = DecodeStorage.take()
                offsets.reserveCapacity(capacity + 1)
                offsets.append(contentsOf: OffsetWrite(bytes: bytes, knownValidity: knownValidity, cps: cpBuf, out: out))
                out.pointee.offsets = .narrow(offsets)
            } else {
                var offsets: [Int] = []
                offsets.reserveCapacity(capacity + 1)
                offsets.append(contentsOf: OffsetWrite(bytes: bytes, knownValidity: knownValidity, cps: cpBuf, out: out))
                out.pointee.offsets = .wide(offsets)
            }
            return (EmptyCollection<UInt32>.Iterator(), out.pointee.filled)
        }
    }

    /// `ScalarWrite`'s offsets: the decode itself, into the scalars' storage `cps` and the offsets'
    /// storage (one more entry than `cps`), which it is copied into.
    fileprivate struct OffsetWrite<Offset: FixedWidthInteger>: Sequence {
        let bytes: [UInt8]
        let knownValidity: Bool?
        let cps: UnsafeMutableBufferPointer<UInt32>
        let out: UnsafeMutablePointer<Written>

        var underestimatedCount: Int { 0 }
        /// Read element by element, the sequence would be empty and the decode silently lost.
        func makeIterator() -> EmptyCollection<Offset>.Iterator { preconditionFailure("OffsetWrite is read through _copyContents only") }

        func _copyContents(initializing buffer: UnsafeMutableBufferPointer<Offset>) -> (EmptyCollection<Offset>.Iterator, Int) {
            precondition(buffer.count > cps.count, "array storage smaller than reserved")
            let offBuf = UnsafeMutableBufferPointer(rebasing: buffer[..<(cps.count &+ 1)])
            switch knownValidity {
            case true?: (out.pointee.filled, out.pointee.sawAstral) = ScalarDecode.decodeValid(bytes, into: cps, offBuf)
            case false?: out.pointee.filled = ScalarDecode.decode(bytes, into: cps, offBuf)
            case nil:
                let found = ScalarDecode.decodeChecked(bytes, into: cps, offBuf)
                (out.pointee.filled, out.pointee.sawInvalid, out.pointee.sawAstral) = (found.count, found.sawInvalid, found.sawAstral)
                out.pointee.markAfterNonASCII = found.markAfterNonASCII
            }
            return (EmptyCollection<Offset>.Iterator(), out.pointee.filled &+ 1)
        }
    }
}

extension ScalarDecode {
    /// The first scalar index in `start...cps.count` whose byte offset is at least `offset`
    /// (`cps.count` past the last scalar). A scalar takes at least one byte, so the answer lies at
    /// most the byte distance past `start`: the bisection spans the bytes asked about, not the file.
    @inlinable
    package func firstScalar(atOrAfter offset: Int, from start: Int = 0) -> Int {
        offsets.firstScalar(atOrAfter: offset, from: start, count: cps.count)
    }
}

/// Byte offsets of the scalars: 4 bytes each unless the file is larger than 4 GiB. Read only when a
/// rule reports, so the switch stays off the scanning path.
@usableFromInline package enum ByteOffsets: Sendable {
    case narrow([UInt32])
    case wide([Int])

    /// `@inlinable`: the rules read offsets from another module, a call each (900,000 at agora x1).
    @inlinable
    package subscript(i: Int) -> Int {
        switch self {
        case .narrow(let a): return Int(a[i])
        case .wide(let a): return a[i]
        }
    }

    /// `ScalarDecode.firstScalar(atOrAfter:from:count:offsets:)` on the entries from `base` on
    /// (`count` scalars, then one more), with indices from `base`: the enum is switched on once
    /// per search, not at every probe.
    @inlinable
    package func firstScalar(atOrAfter offset: Int, from start: Int, count: Int, base: Int = 0) -> Int {
        switch self {
        case .narrow(let a):
            return a.withUnsafeBufferPointer {
                ScalarDecode.firstScalar(atOrAfter: offset, from: start, count: count, offsets: UnsafeBufferPointer(rebasing: $0[base...]))
            }
        case .wide(let a):
            return a.withUnsafeBufferPointer {
                ScalarDecode.firstScalar(atOrAfter: offset, from: start, count: count, offsets: UnsafeBufferPointer(rebasing: $0[base...]))
            }
        }
    }
}

extension Document {
    /// Whether line `n` (1-based) holds only ASCII bytes, known from the line starts alone: in
    /// well-formed UTF-8 a line has as many scalars as bytes exactly when every byte is ASCII (any
    /// other scalar takes two to four). Nil for an ill-formed file, where an ill-formed byte is one
    /// scalar too. The rules test this before walking a line's bytes (a per-line summary the decode
    /// leaves for free). Inlinable: asked per line from the rules' module (107,000 calls at agora ×1).
    @inlinable
    package func lineIsASCII(_ decode: ScalarDecode, line n: Int) -> Bool? {
        let starts = lineStarts, scalarStarts = decode.lineStarts
        guard decode.isValidUTF8, n >= 1, n <= starts.count, starts.count == scalarStarts.count else { return nil }
        let byteEnd = n < starts.count ? starts[n] : bytes.count
        let scalarEnd = n < scalarStarts.count ? scalarStarts[n] : decode.cps.count
        return byteEnd &- starts[n &- 1] == scalarEnd &- scalarStarts[n &- 1]
    }

    /// The file's scalars with byte offsets, decoded once per document and shared by the rules.
    /// When no rule has asked `isValidUTF8` yet, the decode finds it (and stores it for them).
    package var scalars: ScalarDecode {
        views.scalars {
            let decode = ScalarDecode(bytes, lineStarts: lineStarts, isValidUTF8: views.knownValidity)
            views.recordValidity(decode.isValidUTF8)
            return decode
        }
    }
}
