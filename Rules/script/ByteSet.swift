import NewsLintCore
/// A set of byte values for the script rules' prefilters, which skip the bytes no candidate starts
/// with (in Chinese text: Han lead and continuation bytes, most of a file), one table lookup per
/// byte. With `wordAtATime`, eight bytes are first tested at once against the set's values and "any
/// byte below the bound" (the usual zero-byte trick, exact for "is there one"), and only a word that
/// may hold a member is read byte by byte. That pays for a set of two or three values (measured:
/// compat-ideograph's three lead bytes); with more values, or values found in every line (`，` is
/// EF BC 8C, a line feed is below 0x20), the word test costs more than it skips.
package struct ByteSet: Sendable {
    private let member: [Bool]
    /// Each value the word test looks for, repeated in all eight bytes.
    private let broadcasts: [UInt64]
    /// The word test also flags bytes below this bound (0: none).
    private let below: UInt8
    private let wordAtATime: Bool
    /// For a set whose members are all below 0x80 (the prose scans' ASCII marks) and that names at
    /// most eight values at or above `below`: those values, repeated to fill the eight lanes (0xFF,
    /// which UTF-8 never holds, when there are none), each broadcast to sixteen lanes, and `below`
    /// likewise: made once, not at every call (eight broadcasts a call, and punctuation-width calls
    /// once per mark). Nil for any other set.
    private let asciiLanes: ASCIILanes?

    private struct ASCIILanes: Sendable {
        let v0, v1, v2, v3, v4, v5, v6, v7, bound: SIMD16<UInt8>

        init(_ values: SIMD8<UInt8>, below: UInt8) {
            v0 = SIMD16(repeating: values[0]); v1 = SIMD16(repeating: values[1])
            v2 = SIMD16(repeating: values[2]); v3 = SIMD16(repeating: values[3])
            v4 = SIMD16(repeating: values[4]); v5 = SIMD16(repeating: values[5])
            v6 = SIMD16(repeating: values[6]); v7 = SIMD16(repeating: values[7])
            bound = SIMD16(repeating: below)
        }

        /// The lanes of the sixteen bytes at `p` equal to a value or below the bound, as two words
        /// (0xFF per flagged byte; the mask read as words: `any` called a reduction, not inlined).
        @inline(__always)
        func flagged(_ p: UnsafeRawPointer) -> (low: UInt64, high: UInt64) {
            let x = p.loadUnaligned(as: SIMD16<UInt8>.self)
            let hit = (x .== v0) .| (x .== v1) .| (x .== v2) .| (x .== v3) .| (x .== v4) .| (x .== v5) .| (x .== v6) .| (x .== v7) .| (x .< bound)
            let lanes = unsafeBitCast(hit, to: SIMD2<UInt64>.self)
            return (lanes[0], lanes[1])
        }
    }

    /// `values`, plus every byte below `below` except those in `except` (the word test flags those
    /// too, and the table turns them away).
    package init(_ values: [UInt8], below: UInt8 = 0, except: [UInt8] = [], wordAtATime: Bool = false) {
        precondition(below <= 0x80, "the word test is exact only for bounds up to 0x80")
        var member = [Bool](repeating: false, count: 256)
        for b in values { member[Int(b)] = true }
        for b in 0..<Int(below) where !except.contains(UInt8(b)) { member[b] = true }
        self.member = member
        let tested = values.filter { $0 >= below }
        broadcasts = tested.map { UInt64($0) &* ByteWords.ones }
        self.below = below
        self.wordAtATime = wordAtATime
        if member[0x80...].allSatisfy({ !$0 }) && tested.count <= 8 {
            let values = SIMD8<UInt8>((0..<8).map { tested.isEmpty ? 0xFF : tested[$0 % tested.count] })
            asciiLanes = ASCIILanes(values, below: below)
        } else {
            asciiLanes = nil
        }
    }


    package func contains(_ b: UInt8) -> Bool { member[Int(b)] }

    /// Whether the eight bytes of `x` may hold a member (never false when one does).
    @inline(__always)
    private func mayHold(_ x: UInt64, _ patterns: UnsafeBufferPointer<UInt64>) -> Bool {
        var found: UInt64 = below > 0 ? (x &- UInt64(below) &* ByteWords.ones) & ~x : 0
        for p in patterns {
            let y = x ^ p
            found |= (y &- ByteWords.ones) & ~y
        }
        return found & ByteWords.highs != 0
    }

    /// The first index in `from..<end` of `buffer` whose byte is in the set, or `end`.
    package func firstIndex(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int {
        guard let base = buffer.baseAddress, from < end else { return max(from, end) }
        return member.withUnsafeBufferPointer { table in
            var i = from
            guard wordAtATime else {
                guard let vectors = asciiLanes else {
                    while i < end, !table[Int(buffer[i])] { i &+= 1 }
                    return i
                }
                // No member has its high bit set: sixteen bytes that all have it (four-fifths of a
                // Chinese line) hold none, passed over with one test of two words (their AND keeps
                // a high bit only where both do). Sixteen bytes with ASCII among them (digits, spaces, Latin words) are compared
                // with every value at once (SSE2's byte compares), and only the flagged lanes are
                // looked up, in order (`except` bytes are flagged too): a lookup per byte cost about
                // five instructions.
                @inline(__always) func word(at k: Int) -> UInt64 { UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self) }
                /// The first flagged lane of the window at `start` that the table holds, or nil.
                @inline(__always) func firstMember(_ flagged: (low: UInt64, high: UInt64), at start: Int) -> Int? {
                    var (low, high) = flagged
                    while low | high != 0 {
                        let lane = low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ high.trailingZeroBitCount &>> 3
                        if table[Int(buffer[start &+ lane])] { return start &+ lane }
                        if low != 0 { low &= ~(0xFF &<< UInt64(lane &<< 3)) } else { high &= ~(0xFF &<< UInt64((lane &- 8) &<< 3)) }
                    }
                    return nil
                }
                while i &+ 16 <= end {
                    while i &+ 16 <= end, word(at: i) & word(at: i &+ 8) & ByteWords.highs == ByteWords.highs { i &+= 16 }
                    guard i &+ 16 <= end else { break }
                    if let k = firstMember(vectors.flagged(base + i), at: i) { return k }
                    i &+= 16
                }
                // Fewer than sixteen bytes left: the sixteen ending at `end` when the buffer holds
                // them, their lanes before `i` (already passed, or before `from`) dropped.
                if i < end && end >= 16 {
                    let start = end &- 16, passed = i &- start
                    var flagged = vectors.flagged(base + start)
                    if passed >= 8 {
                        flagged.low = 0
                        flagged.high &= ~0 &<< UInt64((passed &- 8) &<< 3)
                    } else {
                        flagged.low &= ~0 &<< UInt64(passed &<< 3)
                    }
                    return firstMember(flagged, at: start) ?? end
                }
                while i < end, !table[Int(buffer[i])] { i &+= 1 }
                return i
            }
            return broadcasts.withUnsafeBufferPointer { patterns in
                while i < end {
                    if i &+ 8 <= end, !mayHold(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self), patterns) {
                        i &+= 8
                        continue
                    }
                    let stop = min(i &+ 8, end)
                    while i < stop {
                        if table[Int(buffer[i])] { return i }
                        i &+= 1
                    }
                }
                return end
            }
        }
    }
}
