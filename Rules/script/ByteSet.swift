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
    /// which UTF-8 never holds, when there are none). Nil for any other set.
    private let asciiValues: SIMD8<UInt8>?

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
            asciiValues = SIMD8((0..<8).map { tested.isEmpty ? 0xFF : tested[$0 % tested.count] })
        } else {
            asciiValues = nil
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
                guard let values = asciiValues else {
                    while i < end, !table[Int(buffer[i])] { i &+= 1 }
                    return i
                }
                // No member has its high bit set: sixteen bytes that all have it (four-fifths of a
                // Chinese line) hold none, passed over with one test of two words (their AND keeps
                // a high bit only where both do). Sixteen bytes with ASCII among them (digits, spaces, Latin words) are compared
                // with every value at once (SSE2's byte compares) and read one by one only when
                // one may be there: a lookup per byte cost about five instructions.
                @inline(__always) func word(at k: Int) -> UInt64 { UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self) }
                let v0 = SIMD16<UInt8>(repeating: values[0]), v1 = SIMD16<UInt8>(repeating: values[1])
                let v2 = SIMD16<UInt8>(repeating: values[2]), v3 = SIMD16<UInt8>(repeating: values[3])
                let v4 = SIMD16<UInt8>(repeating: values[4]), v5 = SIMD16<UInt8>(repeating: values[5])
                let v6 = SIMD16<UInt8>(repeating: values[6]), v7 = SIMD16<UInt8>(repeating: values[7])
                let bound = SIMD16<UInt8>(repeating: below)
                while i &+ 16 <= end {
                    while i &+ 16 <= end, word(at: i) & word(at: i &+ 8) & ByteWords.highs == ByteWords.highs { i &+= 16 }
                    guard i &+ 16 <= end else { break }
                    let x = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                    let hit = (x .== v0) .| (x .== v1) .| (x .== v2) .| (x .== v3) .| (x .== v4) .| (x .== v5) .| (x .== v6) .| (x .== v7) .| (x .< bound)
                    // The mask's lanes read as two words (`any` called a reduction, not inlined).
                    let lanes = unsafeBitCast(hit, to: SIMD2<UInt64>.self)
                    if lanes[0] | lanes[1] != 0 {
                        for k in i..<(i &+ 16) where table[Int(buffer[k])] { return k }
                    }
                    i &+= 16
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
