import NewsLintCore

/// A byte-level Aho-Corasick automaton compiled to a dense DFA over byte classes.
///
/// Built once per rule (pattern packs are data); scanning a line is one table lookup per
/// byte, independent of the number of patterns. Patterns are UTF-8 byte strings, so a match
/// can never start or end inside a multi-byte character of a well-formed line.
public struct AhoCorasick: Sendable {
    /// The column of each byte: every byte that occurs in some literal has its own, the bytes no
    /// literal contains share column 0 (they all lead where a mismatch leads). The built-in packs
    /// use about 100 distinct bytes, so a state's row is 100 entries instead of 256: the table the
    /// boilerplate rule builds at every start is 2.5 times smaller. Reading it is a load that does
    /// not depend on the state, so the scan's chain of dependent loads is as short as before.
    private let column: [Int32]
    /// Entries per state (columns).
    private let width: Int
    /// `delta[row + column[byte]]`, where `row` is a state's first entry (state × width), is the
    /// next state's row times 2, plus 1 when that state has outputs: scanning a byte is one load
    /// from the state (reading each state's output list to see that it is empty was a second,
    /// dependent load into another heap object per byte).
    private let delta: [Int32]
    /// Literal ids ending at each state (own outputs plus those of its dictionary suffix links).
    private let outputs: [[Int32]]
    /// Byte length of each literal.
    public let lengths: [Int]
    /// The longest literal's length: how far back the second lane of `scan` starts (see there).
    private let longest: Int
    /// A set of 16-bit hashes, one byte each (nonzero: in the set): of three-byte keys (`keyHash`),
    /// the key at each offset below `filterStride` of every literal, and of every literal's first
    /// `prefixWidth` bytes (`prefixHash`); empty when the filter is off (some literal shorter than
    /// `keyWidth`). See `scanFiltered`. A byte, not a bit, per hash: the test is then one compare
    /// with memory (a bit took a second shift and a bit test), 64 KB instead of 8 KB. Measured on
    /// `--select boilerplate`: 12.5 M fewer instructions at agora x1, level-1 data misses 1.0 ->
    /// 3.5 M (cachegrind), user time at x10 the same or lower (358/364 ms against 399/382 ms).
    private let keyFilter: [UInt8]
    /// Bytes of a literal's prefix in the filter: the shortest literal's length, at most 8.
    private let prefixWidth: Int
    /// Distance between the positions `scanFiltered` tests: the shortest literal's length minus
    /// `keyWidth - 1` (every occurrence then holds a whole key at one of its first `filterStride` offsets),
    /// at most `maxStride`.
    package let filterStride: Int
    /// Bytes of a filter key.
    package static let keyWidth = 3
    /// More offsets per literal make the filter pass more text (the built-in packs' shortest
    /// literals are six bytes: four).
    package static let maxStride = 4

    /// `usesStartFilter: false` keeps the plain walk (tests compare the two).
    public init(_ literals: [[UInt8]], usesStartFilter: Bool = true) {
        var column = [Int32](repeating: 0, count: 256)
        var width = 1
        var capacity = 1
        for lit in literals {
            capacity += lit.count
            for b in lit where column[Int(b)] == 0 {
                column[Int(b)] = Int32(width)
                width += 1
            }
        }
        // One flat table, its capacity reserved once for at most one state per literal byte
        // (growing it row by row copied and faulted in the table several times); rows are added
        // as states are, copied from one row of -1 (a missing trie edge until the failure links
        // fill it in).
        let emptyRow = [Int32](repeating: -1, count: width)
        var delta: [Int32] = []
        delta.reserveCapacity(capacity * width)
        delta.append(contentsOf: emptyRow)
        var out: [[Int32]] = [[]]
        for (id, lit) in literals.enumerated() where !lit.isEmpty {
            var s = 0
            for b in lit {
                let slot = s * width + Int(column[Int(b)])
                let next = delta[slot]
                if next >= 0 {
                    s = Int(next)
                } else {
                    let added = out.count
                    delta.append(contentsOf: emptyRow)
                    out.append([])
                    delta[slot] = Int32(added)
                    s = added
                }
            }
            out[s].append(Int32(id))
        }
        // Breadth-first: resolve failure links into full transitions.
        var fail = [Int](repeating: 0, count: out.count)
        var queue: [Int] = []
        queue.reserveCapacity(out.count)
        for c in 0..<width {
            let t = delta[c]
            if t >= 0 { queue.append(Int(t)); fail[Int(t)] = 0 } else { delta[c] = 0 }
        }
        delta.withUnsafeMutableBufferPointer { d in
            var head = 0
            while head < queue.count {
                let s = queue[head]
                head += 1
                let f = fail[s]
                out[s].append(contentsOf: out[f])
                for c in 0..<width {
                    let t = d[s * width + c]
                    if t >= 0 {
                        fail[Int(t)] = Int(d[f * width + c])
                        queue.append(Int(t))
                    } else {
                        d[s * width + c] = d[f * width + c]
                    }
                }
            }
            for i in d.indices {
                let target = Int(d[i])
                d[i] = Int32(target * width) << 1 | (out[target].isEmpty ? 0 : 1)
            }
        }
        self.column = column
        self.width = width
        self.delta = delta
        outputs = out
        lengths = literals.map(\.count)
        longest = lengths.max() ?? 0
        let keyWidth = Self.keyWidth
        let shortest = lengths.min() ?? 0
        if usesStartFilter, shortest >= keyWidth {
            let filterStride = min(shortest - (keyWidth - 1), Self.maxStride)
            var filter = [UInt8](repeating: 0, count: 1 << 16)
            for lit in literals {
                for k in 0..<filterStride {
                    filter[Int(Self.keyHash(UInt32(lit[k]) | UInt32(lit[k + 1]) << 8 | UInt32(lit[k + 2]) << 16))] = 1
                }
            }
            let prefixWidth = min(shortest, 8)
            for lit in literals {
                filter[Int(Self.prefixHash(lit.prefix(prefixWidth).reversed().reduce(0) { $0 << 8 | UInt64($1) }))] = 1
            }
            keyFilter = filter
            self.filterStride = filterStride
            self.prefixWidth = prefixWidth
        } else {
            keyFilter = []
            filterStride = 1
            prefixWidth = 0
        }
    }

    /// Whether `scan` tests positions with the key filter (every literal is long enough).
    package var usesStartFilter: Bool { !keyFilter.isEmpty }

    /// The filter's 16-bit hash of a key (`b0 | b1 << 8 | b2 << 16`): Fibonacci hashing.
    @inline(__always)
    private static func keyHash(_ key: UInt32) -> UInt32 {
        (key &* 0x9E37_79B1) >> 16
    }

    /// The filter's 16-bit hash of a prefix (its bytes from the low byte up, at most eight).
    @inline(__always)
    private static func prefixHash(_ prefix: UInt64) -> UInt64 {
        (prefix &* 0x9E37_79B9_7F4A_7C15) >> 48
    }

    /// Ranges shorter than this are scanned in one lane.
    package static let twoLaneMinimum = 256

    /// Calls `found(literalID, start, end)` for every occurrence in `bytes[range]` (overlaps included),
    /// in order of their end (as one walk from the start reports them).
    ///
    /// When every literal is at least `keyWidth` bytes long (the built-in packs), positions are
    /// first tested against the key filter and the automaton walks only around hits
    /// (`scanFiltered`). Otherwise (a pack with a literal of one or two bytes), a long range is
    /// walked in two lanes at once: each step of a walk is a load that depends on
    /// the one before (the next row of the table), so the walk runs at the table's load latency;
    /// two independent walks fill the wait. The first lane walks the first half and reports what
    /// ends there; the second starts `longest - 1` bytes before the middle (a match ending after
    /// the middle starts no earlier, and a walk from the root finds every match starting where
    /// it starts or later) and keeps only what ends after the middle, reported after the first
    /// lane's. Same matches, same order as one walk.
    public func scan(_ bytes: [UInt8], _ range: Range<Int>, _ found: (Int, Int, Int) -> Void) {
        if !keyFilter.isEmpty {
            scanFiltered(bytes, range, found)
            return
        }
        guard range.count >= Self.twoLaneMinimum, longest > 0, longest < range.count / 4 else {
            scanOneLane(bytes, range, found)
            return
        }
        let middle = range.lowerBound + range.count / 2
        let secondStart = middle - (longest - 1)
        // The second lane's matches wait here until the first lane is done (rare: a match per line or so).
        var later: [(id: Int32, end: Int)] = []
        bytes.withUnsafeBufferPointer { buf in
            delta.withUnsafeBufferPointer { d in
                column.withUnsafeBufferPointer { column in
                    var rowA = 0, rowB = 0
                    var i = range.lowerBound, j = secondStart
                    // The second lane is the longer one (it starts before the middle).
                    while i < middle {
                        let nextA = Int(d[rowA + Int(column[Int(buf[i])])])
                        let nextB = Int(d[rowB + Int(column[Int(buf[j])])])
                        rowA = nextA >> 1
                        rowB = nextB >> 1
                        i += 1
                        j += 1
                        if (nextA | nextB) & 1 != 0 {
                            if nextA & 1 != 0 { report(rowA, end: i, found) }
                            if nextB & 1 != 0, j > middle { for id in outputs[rowB / width] { later.append((id, j)) } }
                        }
                    }
                    while j < range.upperBound {
                        let next = Int(d[rowB + Int(column[Int(buf[j])])])
                        rowB = next >> 1
                        j += 1
                        if next & 1 != 0, j > middle { for id in outputs[rowB / width] { later.append((id, j)) } }
                    }
                }
            }
        }
        for hit in later { found(Int(hit.id), hit.end - lengths[Int(hit.id)], hit.end) }
    }

    /// `scanOneLane` on the bytes around filter hits only.
    ///
    /// Every literal holds a whole key at each offset below `filterStride`, so an occurrence starting at
    /// `t` holds one at every position `t ..< t + filterStride`: a position `p` whose key hashes outside
    /// the filter starts no occurrence in `p - filterStride + 1 ... p`, and one test clears `filterStride`
    /// starts (in news text about one test in twenty-five passes with the built-in packs: mostly
    /// a literal's first character, 本 or 文). Where a test passes, each of those starts is tested
    /// for a literal's first `prefixWidth` bytes (two characters; one start in a thousand passes).
    /// The automaton walks from the root at the first start that passes, past `p`, until it is back
    /// at the root: a walk from the root finds every occurrence starting where it starts or later,
    /// and at the root no occurrence that started earlier is still open (all of them ended, and
    /// were reported, before it). Same matches, same order (by end), as one walk of every byte.
    package func scanFiltered(_ bytes: [UInt8], _ range: Range<Int>, _ found: (Int, Int, Int) -> Void) {
        let keyWidth = Self.keyWidth, filterStride = self.filterStride, prefixWidth = self.prefixWidth
        let prefixMask: UInt64 = prefixWidth == 8 ? ~0 : (1 << UInt64(8 * prefixWidth)) &- 1
        bytes.withUnsafeBufferPointer { buf in
            delta.withUnsafeBufferPointer { d in
                column.withUnsafeBufferPointer { column in
                    keyFilter.withUnsafeBufferPointer { filter in
                        /// Whether the filter holds the hash of the `prefixWidth` bytes at `t`.
                        func mayStartLiteral(at t: Int) -> Bool {
                            guard t &+ prefixWidth <= range.upperBound else { return false }
                            var prefix: UInt64 = 0
                            if t &+ 8 <= buf.count {
                                prefix = UnsafeRawBufferPointer(buf).loadUnaligned(fromByteOffset: t, as: UInt64.self).littleEndian & prefixMask
                            } else {
                                for k in (0..<prefixWidth).reversed() { prefix = prefix << 8 | UInt64(buf[t &+ k]) }
                            }
                            return filter[Int(Self.prefixHash(prefix))] != 0
                        }
                        /// Whether the filter holds the hash of the key at `p`.
                        @inline(__always) func passes(_ key: UInt32) -> Bool {
                            filter[Int(Self.keyHash(key))] != 0
                        }
                        let raw = UnsafeRawBufferPointer(buf)
                        // The last position whose key is inside the range, and the last one whose key is
                        // read as one 32-bit word (its fourth byte masked off) instead of three bytes
                        // shifted together: most of the scan's instructions are these tests.
                        let lastKey = range.upperBound &- keyWidth
                        let wordEnd = Swift.min(lastKey, buf.count &- 4)
                        // Every occurrence starting before `cleared` has been reported.
                        var cleared = range.lowerBound
                        while true {
                            // The next position to test: it clears `cleared ..< cleared + filterStride`.
                            var p = cleared &+ (filterStride &- 1)
                            var start = 0
                            while true {
                                // The tests that fail, on words, until one passes or the words end.
                                if p <= wordEnd, let rawBase = raw.baseAddress, let filterBase = filter.baseAddress {
                                    p = Self.firstPassingKey(rawBase, from: p, through: wordEnd, stride: filterStride, filterBase)
                                }
                                // A key past the end: the starts left are too close to the end for any literal.
                                if p > lastKey { return }
                                if passes(UInt32(buf[p]) | UInt32(buf[p &+ 1]) << 8 | UInt32(buf[p &+ 2]) << 16) {
                                    start = p &- (filterStride &- 1)
                                    while start <= p, !mayStartLiteral(at: start) { start &+= 1 }
                                    if start <= p { break }
                                }
                                p &+= filterStride
                            }
                            // Walk from that start until back at the root, past p.
                            var i = start
                            var row = 0
                            repeat {
                                let next = Int(d[row &+ Int(column[Int(buf[i])])])
                                row = next &>> 1
                                i &+= 1
                                if next & 1 != 0 { report(row, end: i, found) }
                            } while (row != 0 || i <= p) && i < range.upperBound
                            cleared = i
                        }
                    }
                }
            }
        }
    }

    /// `scanFiltered`'s tests that fail, one every `stride` bytes from `start` up to `last`, each
    /// key read as one 32-bit word (its fourth byte masked off): the first position whose key
    /// passes `filter`, or the first past `last`. Most of the scan's instructions are these tests.
    /// A function of its own, not inlined: inside `scanFiltered`'s closures the loop kept the
    /// filter's address on the stack and a second counter (15 instructions a test, now 9).
    @inline(never)
    private static func firstPassingKey(_ raw: UnsafeRawPointer, from start: Int, through last: Int, stride: Int,
                                        _ filter: UnsafePointer<UInt8>) -> Int {
        var p = start
        while p <= last {
            if filter[Int(keyHash(raw.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian & 0xFF_FFFF))] != 0 { return p }
            p &+= stride
        }
        return p
    }

    @inline(__always)
    private func report(_ row: Int, end: Int, _ found: (Int, Int, Int) -> Void) {
        for id in outputs[row / width] {
            found(Int(id), end - lengths[Int(id)], end)
        }
    }

    /// `scan` in one walk (short ranges; also what the two-lane walk is tested against).
    package func scanOneLane(_ bytes: [UInt8], _ range: Range<Int>, _ found: (Int, Int, Int) -> Void) {
        bytes.withUnsafeBufferPointer { buf in
            delta.withUnsafeBufferPointer { d in
                column.withUnsafeBufferPointer { column in
                    var row = 0
                    var i = range.lowerBound
                    while i < range.upperBound {
                        let next = Int(d[row + Int(column[Int(buf[i])])])
                        row = next >> 1
                        i += 1
                        if next & 1 != 0 {
                            for id in outputs[row / width] {
                                let n = lengths[Int(id)]
                                found(Int(id), i - n, i)
                            }
                        }
                    }
                }
            }
        }
    }
}
