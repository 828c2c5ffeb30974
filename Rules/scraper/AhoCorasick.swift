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
    /// Two sets of 16-bit hashes, one byte each: bit `keyBit` for `keyWidth`-byte keys (`keyHash`),
    /// the key at each offset below `filterStride` of every literal, bit `prefixBit` for every literal's
    /// first `prefixWidth` bytes (`prefixHash`); then, from `startFlags`, one byte per byte value,
    /// nonzero for a literal's first byte. Empty when the filter is off (some literal shorter than
    /// `minimumKeyWidth`). See `scanFiltered`. A byte, not a bit, per hash: the test is then one compare
    /// with memory (a bit took a second shift and a bit test), 64 KB instead of 8 KB. Measured on
    /// `--select boilerplate`: 12.5 M fewer instructions at agora x1, level-1 data misses 1.0 ->
    /// 3.5 M (cachegrind), user time at x10 the same or lower (358/364 ms against 399/382 ms).
    /// The start flags share the array so that a line's scan borrows one table, not two.
    private let keyFilter: [UInt8]
    private static let keyBit: UInt8 = 1
    private static let prefixBit: UInt8 = 2
    /// Where the start flags begin in `keyFilter`.
    private static let startFlags = 1 << 16
    /// Bytes of a literal's prefix in the filter: the shortest literal's length, at most 8.
    private let prefixWidth: Int
    /// Distance between the positions `scanFiltered` tests: the shortest literal's length minus
    /// `keyWidth - 1` (every occurrence then holds a whole key at one of its first `filterStride` offsets),
    /// at most `maxStride`.
    package let filterStride: Int
    /// Bytes of a filter key: four when every literal has six (the built-in packs), else three.
    /// A three-byte key is one CJK character, and the characters that start the packs' literals
    /// (本, 文, 来, 原…) are common in news text: one test in seventeen passed at agora x1, each
    /// pass ~95 instructions of start tests and the call resumed. Four bytes (a character and the
    /// next one's lead, or parts of two) pass about a quarter as often (one test in sixty), for a
    /// test every three bytes instead of four (the built-in packs' shortest literals are six
    /// bytes): 34.8 M instructions of the scan became 27.5 M at agora x1.
    package let keyWidth: Int
    /// Bytes of the shortest key.
    package static let minimumKeyWidth = 3
    /// What a key word is multiplied by (`keyHash`): `keyMultiplier3` ignores a word's fourth byte.
    private let keyMultiplier: UInt32
    private static let keyMultiplier3: UInt32 = 0x9E37_7900, keyMultiplier4: UInt32 = 0x9E37_79B1
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
        // The trie's edges as they are added: the parent state and the column (the child is the
        // state added, edge k's child is state k + 1).
        var edgeParent: [Int] = [], edgeColumn: [Int] = []
        edgeParent.reserveCapacity(capacity)
        edgeColumn.reserveCapacity(capacity)
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
                    edgeParent.append(s)
                    edgeColumn.append(Int(column[Int(b)]))
                    s = added
                }
            }
            out[s].append(Int32(id))
        }
        let states = out.count
        // Each state's edges together (`edges[firstEdge[s] ..< firstEdge[s + 1]]`, as (column, child)):
        // the breadth-first pass visits a state's children without reading its whole row.
        var firstEdge = [Int](repeating: 0, count: states + 1)
        for p in edgeParent { firstEdge[p + 1] += 1 }
        for s in 0..<states { firstEdge[s + 1] += firstEdge[s] }
        var edges = [(column: Int, child: Int)](repeating: (0, 0), count: edgeParent.count)
        var nextEdge = firstEdge
        for (k, p) in edgeParent.enumerated() {
            edges[nextEdge[p]] = (edgeColumn[k], k + 1)
            nextEdge[p] += 1
        }
        // Breadth-first (a state after every shallower one): resolve failure links into full
        // transitions. A state's failure is shallower, so its row is complete (and in its final
        // form, `delta`'s) when the state's row takes the failure's entry for each missing edge: a
        // select per entry, which the compiler does several entries a step (a branch per entry,
        // each edge found by reading the whole row, then a pass over the table for the final form,
        // were most of building the table). A child's entry is written in final form as the child
        // is met: its failure, and whether that has outputs, are known by then.
        var fail = [Int](repeating: 0, count: states)
        var hasOutputs = [Int32](repeating: 0, count: states)
        var queue: [Int] = [0]
        queue.reserveCapacity(states)
        delta.withUnsafeMutableBufferPointer { d in
            guard let table = d.baseAddress else { return }
            var head = 0
            while head < queue.count {
                let s = queue[head]
                head += 1
                let f = fail[s]
                if s != 0 { out[s].append(contentsOf: out[f]) }
                let row = table + s * width, failRow = table + f * width
                for e in edges[firstEdge[s]..<firstEdge[s + 1]] {
                    let t = e.child
                    // The failure's row offset is its entry's upper bits.
                    let failure = s == 0 ? 0 : Int(failRow[e.column] >> 1) / width
                    fail[t] = failure
                    // Its own literals are all `out[t]` holds until it is dequeued.
                    hasOutputs[t] = !out[t].isEmpty || hasOutputs[failure] != 0 ? 1 : 0
                    row[e.column] = Int32(t * width) << 1 | hasOutputs[t]
                    queue.append(t)
                }
                if s == 0 {
                    // The root has no outputs (no literal is empty): its entry is 0.
                    for c in 0..<width where row[c] < 0 { row[c] = 0 }
                } else {
                    for c in 0..<width {
                        let own = row[c]
                        row[c] = own >= 0 ? own : failRow[c]
                    }
                }
            }
        }
        self.column = column
        self.width = width
        self.delta = delta
        outputs = out
        lengths = literals.map(\.count)
        longest = lengths.max() ?? 0
        let shortest = lengths.min() ?? 0
        if usesStartFilter, shortest >= Self.minimumKeyWidth {
            // Four bytes when a key still clears three starts (the two widths were measured there).
            let keyWidth = shortest >= 6 ? 4 : 3
            let multiplier = keyWidth == 4 ? Self.keyMultiplier4 : Self.keyMultiplier3
            let filterStride = min(shortest - (keyWidth - 1), Self.maxStride)
            var filter = [UInt8](repeating: 0, count: Self.startFlags + 256)
            for lit in literals {
                for k in 0..<filterStride {
                    var key: UInt32 = 0
                    for j in 0..<keyWidth { key |= UInt32(lit[k + j]) << UInt32(8 * j) }
                    filter[Int(Self.keyHash(key, multiplier))] |= Self.keyBit
                }
            }
            let prefixWidth = min(shortest, 8)
            for lit in literals {
                filter[Int(Self.prefixHash(lit.prefix(prefixWidth).reversed().reduce(0) { $0 << 8 | UInt64($1) }))] |= Self.prefixBit
                filter[Self.startFlags + Int(lit[0])] = 1
            }
            keyFilter = filter
            self.filterStride = filterStride
            self.prefixWidth = prefixWidth
            self.keyWidth = keyWidth
            keyMultiplier = multiplier
        } else {
            keyFilter = []
            filterStride = 1
            prefixWidth = 0
            keyWidth = Self.minimumKeyWidth
            keyMultiplier = Self.keyMultiplier3
        }
    }

    /// Whether `scan` tests positions with the key filter (every literal is long enough).
    package var usesStartFilter: Bool { !keyFilter.isEmpty }

    /// The filter's 16-bit hash of a key (`b0 | b1 << 8 | b2 << 16 | b3 << 24`): Fibonacci hashing,
    /// the top 16 bits of the 32-bit product. For three-byte keys (`keyMultiplier3`, `0x9E3779`
    /// shifted up 8 bits) the fourth byte is left out of the product's top 16 bits, so a word loaded
    /// from the text needs no mask; either way the load folds into the multiply.
    @inline(__always)
    private static func keyHash(_ word: UInt32, _ multiplier: UInt32) -> UInt32 {
        (word &* multiplier) >> 16
    }

    /// The filter's 16-bit hash of a prefix (its bytes from the low byte up, at most eight).
    @inline(__always)
    private static func prefixHash(_ prefix: UInt64) -> UInt64 {
        (prefix &* 0x9E37_79B9_7F4A_7C15) >> 48
    }

    /// An occurrence of a literal: its id and its bytes.
    package struct Occurrence: Equatable {
        package var literal: Int
        package var start: Int
        package var end: Int
    }

    /// `scan`'s occurrences, appended to `occurrences` in the order `scan` reports them: for a
    /// caller that scans many lines (`PatternMatcher.scanBody`). No closure: the one `scanBody`
    /// passed was specialized with the arrays it captured as owned arguments, three retains and
    /// three releases a line (and three more in `scanBody`).
    package func scan(_ bytes: [UInt8], _ range: Range<Int>, into occurrences: inout [Occurrence]) {
        if !keyFilter.isEmpty {
            scanFiltered(bytes, range, into: &occurrences)
        } else {
            scan(bytes, range) { occurrences.append(Occurrence(literal: $0, start: $1, end: $2)) }
        }
    }

    /// Ranges shorter than this are scanned in one lane.
    package static let twoLaneMinimum = 256

    /// Calls `found(literalID, start, end)` for every occurrence in `bytes[range]` (overlaps included),
    /// in order of their end (as one walk from the start reports them).
    ///
    /// When every literal is at least `minimumKeyWidth` bytes long (the built-in packs), positions are
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
            var occurrences: [Occurrence] = []
            scanFiltered(bytes, range, into: &occurrences)
            for o in occurrences { found(o.literal, o.start, o.end) }
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

    /// `scanOneLane` on the bytes around filter hits only, its occurrences appended to `occurrences`.
    ///
    /// Every literal holds a whole key at each offset below `filterStride`, so an occurrence starting at
    /// `t` holds one at every position `t ..< t + filterStride`: a position `p` whose key hashes outside
    /// the filter starts no occurrence in `p - filterStride + 1 ... p`, and one test clears `filterStride`
    /// starts (in news text about one test in sixty passes with the built-in packs' four-byte
    /// keys: mostly a literal's first character and the next one's lead). Where a test passes, each of those starts is tested
    /// for a literal's first `prefixWidth` bytes (two characters; one start in a thousand passes).
    /// The automaton walks from the root at the first start that passes, past `p`, until it is back
    /// at the root: a walk from the root finds every occurrence starting where it starts or later,
    /// and at the root no occurrence that started earlier is still open (all of them ended, and
    /// were reported, before it). Same matches, same order (by end), as one walk of every byte.
    package func scanFiltered(_ bytes: [UInt8], _ range: Range<Int>, into occurrences: inout [Occurrence]) {
        let keyWidth = self.keyWidth, filterStride = self.filterStride, prefixWidth = self.prefixWidth, multiplier = keyMultiplier
        let prefixMask: UInt64 = prefixWidth == 8 ? ~0 : (1 << UInt64(8 * prefixWidth)) &- 1
        bytes.withUnsafeBufferPointer { buf in
            delta.withUnsafeBufferPointer { d in
                column.withUnsafeBufferPointer { column in
                    keyFilter.withUnsafeBufferPointer { filter in
                        /// Whether a literal starts with the byte at `t` and the filter holds the hash of
                        /// the `prefixWidth` bytes there. The byte test first: in Chinese text two bytes
                        /// in three are continuation bytes, which start no literal of the packs.
                        func mayStartLiteral(at t: Int) -> Bool {
                            guard filter[Self.startFlags &+ Int(buf[t])] != 0, t &+ prefixWidth <= range.upperBound else { return false }
                            var prefix: UInt64 = 0
                            if t &+ 8 <= buf.count {
                                prefix = UnsafeRawBufferPointer(buf).loadUnaligned(fromByteOffset: t, as: UInt64.self).littleEndian & prefixMask
                            } else {
                                for k in (0..<prefixWidth).reversed() { prefix = prefix << 8 | UInt64(buf[t &+ k]) }
                            }
                            return filter[Int(Self.prefixHash(prefix))] & Self.prefixBit != 0
                        }
                        /// Whether the filter holds the hash of the key at `p`.
                        @inline(__always) func passes(_ key: UInt32) -> Bool {
                            filter[Int(Self.keyHash(key, multiplier))] & Self.keyBit != 0
                        }
                        let raw = UnsafeRawBufferPointer(buf)
                        // The last position whose key is inside the range, and the last one whose key is
                        // read as one 32-bit word (a three-byte key's fourth byte ignored) instead of
                        // bytes shifted together: most of the scan's instructions are these tests.
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
                                var passed = false
                                if p <= wordEnd, let rawBase = raw.baseAddress, let filterBase = filter.baseAddress {
                                    p = Self.firstPassingKey(rawBase, from: p, through: wordEnd, stride: filterStride, keyWidth: keyWidth, filterBase)
                                    passed = p <= wordEnd
                                }
                                // A key past the end: the starts left are too close to the end for any literal.
                                if p > lastKey { return }
                                if passed || passes(UInt32(buf[p]) | UInt32(buf[p &+ 1]) << 8 | UInt32(buf[p &+ 2]) << 16
                                                    | (keyWidth == 4 ? UInt32(buf[p &+ 3]) << 24 : 0)) {
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
                                if next & 1 != 0 {
                                    for id in outputs[row / width] {
                                        occurrences.append(Occurrence(literal: Int(id), start: i - lengths[Int(id)], end: i))
                                    }
                                }
                            } while (row != 0 || i <= p) && i < range.upperBound
                            cleared = i
                        }
                    }
                }
            }
        }
    }

    /// `scanFiltered`'s tests that fail, one every `stride` bytes from `start` up to `last`, each
    /// key read as one 32-bit word (a three-byte key's hash ignores its fourth byte): the first position whose key
    /// passes `filter`, or the first past `last`. Most of the scan's instructions are these tests.
    /// A function of its own, not inlined: inside `scanFiltered`'s closures the loop kept the
    /// filter's address on the stack and a second counter (15 instructions a test, then 9). Eight
    /// tests a step: a test is the multiply (its load folded in), a shift, a compare with the
    /// filter's byte and a branch; the loop's own add, compare and branch come once per eight.
    /// The built-in packs' stride and key width (3 and 4) have a copy of their own, as has the stride
    /// of three-byte keys at most (`maxStride`), stride and multiplier constants: the four positions
    /// of a step are then offsets from one register (a stride read at run time took three registers
    /// more, saved and restored at each of the 185,000 calls at agora x1).
    @inline(never)
    private static func firstPassingKey(_ raw: UnsafeRawPointer, from start: Int, through last: Int, stride: Int,
                                        keyWidth: Int, _ filter: UnsafePointer<UInt8>) -> Int {
        if keyWidth == 4 {
            return stride == 3 ? firstPassingKey(raw, from: start, through: last, strideOf: 3, multiplier: keyMultiplier4, filter)
                : firstPassingKey(raw, from: start, through: last, strideOf: stride, multiplier: keyMultiplier4, filter)
        }
        return stride == maxStride ? firstPassingKey(raw, from: start, through: last, strideOf: maxStride, multiplier: keyMultiplier3, filter)
            : firstPassingKey(raw, from: start, through: last, strideOf: stride, multiplier: keyMultiplier3, filter)
    }

    /// `firstPassingKey` for one `stride` and key multiplier.
    @inline(__always)
    private static func firstPassingKey(_ raw: UnsafeRawPointer, from start: Int, through last: Int, strideOf stride: Int,
                                        multiplier: UInt32, _ filter: UnsafePointer<UInt8>) -> Int {
        @inline(__always) func passes(_ p: Int) -> Bool {
            filter[Int(keyHash(raw.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian, multiplier))] & keyBit != 0
        }
        // Eight tests a step (with four-byte keys about one test in sixty passes, so most calls
        // run several steps): the loop's add, compare and branch once per eight.
        var p = start
        while p &+ 7 &* stride <= last {
            if passes(p) { return p }
            if passes(p &+ stride) { return p &+ stride }
            if passes(p &+ 2 &* stride) { return p &+ 2 &* stride }
            if passes(p &+ 3 &* stride) { return p &+ 3 &* stride }
            if passes(p &+ 4 &* stride) { return p &+ 4 &* stride }
            if passes(p &+ 5 &* stride) { return p &+ 5 &* stride }
            if passes(p &+ 6 &* stride) { return p &+ 6 &* stride }
            if passes(p &+ 7 &* stride) { return p &+ 7 &* stride }
            p &+= 8 &* stride
        }
        while p <= last {
            if passes(p) { return p }
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
