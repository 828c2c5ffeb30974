import Foundation
import NewsLintCore

/// Stable 64-bit mixing (splitmix64 finaliser).
@inline(__always)
package func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Hash of the normalised body (FNV-1a over scalars, then mixed) and its length.
/// Computed with the scalars (`Document.normalizedBody`), which are walked once.
package func normalizedBodyHash(_ document: Document) -> (hash: UInt64, length: Int) {
    let body = document.normalizedBody
    return (body.hash, body.scalars.count)
}

/// FNV-1a over the normalised scalars, mixed with their count.
package func normalizedBodyHash(_ scalars: [UInt32]) -> (hash: UInt64, length: Int) {
    var h = normalizedBodyHashSeed
    for x in scalars { h = (h ^ UInt64(x)) &* normalizedBodyHashPrime }
    return (mix64(h ^ UInt64(scalars.count)), scalars.count)
}

/// FNV-1a's 64-bit offset basis and prime.
package let normalizedBodyHashSeed: UInt64 = 0xcbf2_9ce4_8422_2325
package let normalizedBodyHashPrime: UInt64 = 0x0000_0100_0000_01B3

/// Union-find over indices, for grouping duplicates.
package struct DisjointSets {
    /// `Int32` parents: 4 bytes a distinct body where `Int` took 8 (sets of fewer than 2³¹).
    package var parent: [Int32]
    package init(_ n: Int) { parent = (0..<n).map { Int32(truncatingIfNeeded: $0) } }
    package mutating func find(_ x: Int) -> Int {
        var r = x
        while Int(parent[r]) != r { r = Int(parent[r]) }
        var y = x
        while Int(parent[y]) != r { let next = Int(parent[y]); parent[y] = Int32(truncatingIfNeeded: r); y = next }
        return r
    }
    package mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = Int32(truncatingIfNeeded: min(ra, rb)) }
    }
}

/// Files grouped by equal keys, as chains through index arrays: three `Int32`s per file, and
/// during the build each distinct key with its last member plus a slot table of `Int32`s, no array per group (most groups of a
/// cross-file reduce have one member, and 100k one-element arrays were most of its working set).
/// Members come in index order.
package struct ChainGroups {
    /// Per file: its group's first member, and the next member of its group (-1 at the end).
    private var first: [Int32]
    private var next: [Int32]
    /// Group size, stored at the group's first member.
    private var sizes: [Int32]

    package init<S: Sequence>(_ keys: S) where S.Element: Hashable {
        // Sized once (a fact table's count): arrays grown by doubling held up to twice 12 bytes a file.
        let expected = keys.underestimatedCount
        first = []; next = []; sizes = []
        first.reserveCapacity(expected); next.reserveCapacity(expected); sizes.reserveCapacity(expected)
        // Distinct keys in open addressing (group number + 1 per slot, each group's key and last
        // member beside it), not a `Dictionary` of key to (first, last): its 24-byte entries at up
        // to twice the keys, plus the old table while it grew, were up to ~60 bytes a distinct key.
        var slots = [Int32](repeating: 0, count: Self.capacity(for: expected))
        var groupKeys: [S.Element] = []
        var lasts: [Int32] = []
        groupKeys.reserveCapacity(expected); lasts.reserveCapacity(expected)
        for (n, key) in keys.enumerated() {
            let i = Int32(truncatingIfNeeded: n)
            next.append(-1)
            sizes.append(0)
            if 4 * (groupKeys.count + 1) > 3 * slots.count {
                slots = Self.rehashed(groupKeys, capacity: 2 * slots.count)
            }
            let mask = slots.count - 1
            var slot = key.hashValue & mask
            while slots[slot] != 0 && groupKeys[Int(slots[slot]) - 1] != key { slot = (slot &+ 1) & mask }
            if slots[slot] != 0 {
                let g = Int(slots[slot]) - 1
                let last = Int(lasts[g])
                next[last] = i
                lasts[g] = i
                first.append(first[last])
            } else {
                slots[slot] = Int32(truncatingIfNeeded: groupKeys.count + 1)
                groupKeys.append(key)
                lasts.append(i)
                first.append(i)
            }
            sizes[Int(first[n])] += 1
        }
    }

    /// Slots for `count` distinct keys at most three quarters full: a power of two, at least 16.
    private static func capacity(for count: Int) -> Int {
        var capacity = 16
        while 3 * capacity < 4 * count { capacity *= 2 }
        return capacity
    }

    /// The slots of `groupKeys` (group g's key at g) in a table of `capacity` slots.
    private static func rehashed<Key: Hashable>(_ groupKeys: [Key], capacity: Int) -> [Int32] {
        var slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (g, key) in groupKeys.enumerated() {
            var slot = key.hashValue & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: g + 1)
        }
        return slots
    }

    /// The groups of `members` (ascending indices into `groups`, each group of two or more whole),
    /// numbered by position in `members`: what a reduce keeps past its facts holds 12 bytes per
    /// member, not per file (content-duplicate's deferred findings held the whole table, 1.9 MB at
    /// 160,000 files of which 2,500 had a copy, through the output).
    package init(restrictedTo members: [Int32], of groups: ChainGroups) {
        let m = members.count
        first = [Int32](repeating: 0, count: m)
        next = [Int32](repeating: -1, count: m)
        sizes = [Int32](repeating: 0, count: m)
        // Per open group (keyed by its first index): its first and last positions so far.
        var open: [Int32: (first: Int32, last: Int32)] = [:]
        for (p, i) in members.enumerated() {
            let position = Int32(truncatingIfNeeded: p)
            let key = Int32(truncatingIfNeeded: groups.first(of: Int(i)))
            if let group = open[key] {
                first[p] = group.first
                next[Int(group.last)] = position
                open[key] = (group.first, position)
            } else {
                first[p] = position
                open[key] = (position, position)
            }
            sizes[Int(first[p])] += 1
            // A group's last member closes it (its size is known from the full table).
            if Int(sizes[Int(first[p])]) == groups.size(of: Int(i)) { open[key] = nil }
        }
    }

    package func size(of i: Int) -> Int { Int(sizes[Int(first[i])]) }

    /// The first member of `i`'s group: the group's identity.
    package func first(of i: Int) -> Int { Int(first[i]) }

    package func members(of i: Int) -> UnfoldFirstSequence<Int> {
        sequence(first: Int(first[i])) { [next] j in next[j] < 0 ? nil : Int(next[j]) }
    }
}

/// "The other members" of each group, for reduces that visit every member of every group in index
/// order and name up to `limit` others per finding. Each path is decoded once, where asking
/// `listing` per member decoded `limit` other paths for every member. An open group keeps its
/// first `limit + 1` paths as `SharedEndsPaths` (a corpus of copies keeps every group open until its
/// last copy: as strings, with the listing the later members share, that was 8 MB more at agora ×10)
/// and each listing is assembled from them as bytes; a group is dropped after its last member.
/// Open groups sit in reused slots found through an `Int32` per group's first index, not a
/// `Dictionary` (a hash, a remove and an insert per member were a tenth of the rendering).
package struct OtherMembers {
    package let limit: Int
    /// Per first index of a group: its open group's slot + 1 (0: not open). Grown to the largest seen.
    private var slotOfFirst: [Int32] = []
    private var slots: [OpenGroup] = []
    private var freeSlots: [Int32] = []
    /// Groups with members still to visit.
    package var openGroups: Int { slots.count - freeSlots.count }

    private struct OpenGroup {
        /// Members visited so far.
        var visited = 0
        /// The paths of the first `limit + 1` members.
        var heads: SharedEndsPaths
    }

    package init(limit: Int = 5) { self.limit = limit }

    /// Member `i`'s path; appends the listing of the other members of its group (as `listing`
    /// gives it) to `out` as UTF-8, from the paths' own bytes (no string pieces appended one by one).
    /// Call once per member of each group of two or more, in index order.
    package mutating func visit(_ i: Int, in groups: ChainGroups, path: (Int) -> String, appendingListingTo out: inout [UInt8]) -> String {
        let first = groups.first(of: i), size = groups.size(of: i)
        if first >= slotOfFirst.count { slotOfFirst.append(contentsOf: repeatElement(0, count: first + 1 - slotOfFirst.count)) }
        var slot = Int(slotOfFirst[first]) - 1
        if slot < 0 {
            let group = OpenGroup(heads: SharedEndsPaths(groups.members(of: i).prefix(limit + 1).map(path)))
            if let free = freeSlots.popLast() {
                slot = Int(free)
                slots[slot] = group
            } else {
                slot = slots.count
                slots.append(group)
            }
            slotOfFirst[first] = Int32(truncatingIfNeeded: slot + 1)
        }
        let rank = slots[slot].visited
        slots[slot].visited += 1
        // The heads are read in place (a copy retained and released their three arrays per member).
        let headCount = slots[slot].heads.count
        let own = rank < headCount ? slots[slot].heads.path(rank) : path(i)
        // The first `limit` heads other than this member, then how many more.
        var shown = 0
        for k in 0..<headCount where k != rank && shown < limit {
            if shown > 0 { out.append(0x2C); out.append(0x20) }
            slots[slot].heads.appendUTF8(k, to: &out)
            shown += 1
        }
        if size - 1 > limit {
            appendLiteral(" and ", to: &out)
            appendDecimal(size - 1 - limit, to: &out)
            appendLiteral(" more", to: &out)
        }
        if slots[slot].visited == size {
            // The group's last member: its slot is free again (the heads released now).
            slots[slot].heads = SharedEndsPaths([])
            freeSlots.append(Int32(truncatingIfNeeded: slot))
            slotOfFirst[first] = 0
        }
        return own
    }
}

/// Appends a literal's bytes: from its buffer, where `append(contentsOf: "…".utf8)` walked a
/// string's UTF-8 view (~165 instructions a piece, three or more pieces a finding).
@inline(__always)
package func appendLiteral(_ literal: StaticString, to out: inout [UInt8]) {
    literal.withUTF8Buffer { out.append(contentsOf: $0) }
}

/// Appends `n` (not negative) in decimal ASCII.
package func appendDecimal(_ n: Int, to out: inout [UInt8]) {
    guard n > 0 else { out.append(0x30); return }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var rest = n
    withUnsafeMutableBytes(of: &digits) { d in
        while rest > 0 {
            d[19 - count] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
            rest /= 10
            count += 1
        }
        out.append(contentsOf: d[(20 - count)...])
    }
}

/// Paths held as the first one's UTF-8 and, for each other, only the part where it differs from the
/// first (between the prefix and the suffix they share, cut at scalar boundaries): copies of a corpus
/// differ in a few bytes. A path is put back together by copying three byte ranges (its bytes are
/// exactly the path's, valid UTF-8, so its string is made without a second check); as string
/// pieces, indices into the first string cost value-witness calls and three appends a path.
package struct SharedEndsPaths {
    /// The first path's UTF-8, and the other paths' own parts one after another.
    private var firstBytes: [UInt8] = []
    private var middleBytes: [UInt8] = []
    /// Three per path after the first: where the prefix it shares with the first ends and where
    /// the suffix they share starts (in `firstBytes`), and where its own part ends in `middleBytes`
    /// (it starts where the previous path's ends).
    private var cuts: [Int32] = []
    package let count: Int

    /// Each path after the first is read in place (`withUTF8`): an array of its bytes was an
    /// allocation, a copy and a free a path, five paths a group of a corpus of copies.
    package init(_ paths: [String]) {
        count = paths.count
        guard var head = paths.first else { return }
        firstBytes = head.withUTF8 { Array($0) }
        cuts.reserveCapacity(3 * (paths.count - 1))
        firstBytes.withUnsafeBytes { a in
            for var path in paths.dropFirst() {
                path.withUTF8 { b in
                    let (prefix, suffix) = Self.sharedEnds(a, UnsafeRawBufferPointer(b))
                    middleBytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[prefix..<(b.count - suffix)]))
                    cuts.append(Int32(truncatingIfNeeded: prefix))
                    cuts.append(Int32(truncatingIfNeeded: a.count - suffix))
                    cuts.append(Int32(truncatingIfNeeded: middleBytes.count))
                }
            }
        }
    }

    /// The lengths of the prefix `a` and `b` share and of the suffix they share beside it (not
    /// overlapping it in the shorter one), each cut back to a scalar boundary. Compared eight bytes
    /// a step while they agree: the paths of copies share ~100 bytes of their ends, and a byte a
    /// step was ~6 instructions a byte.
    package static func sharedEnds(_ a: [UInt8], _ b: [UInt8]) -> (prefix: Int, suffix: Int) {
        a.withUnsafeBytes { a in b.withUnsafeBytes { b in sharedEnds(a, b) } }
    }

    /// `sharedEnds` of bytes lent in place.
    package static func sharedEnds(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> (prefix: Int, suffix: Int) {
        let limit = min(a.count, b.count)
        var prefix = 0
        while prefix &+ 8 <= limit
            && a.loadUnaligned(fromByteOffset: prefix, as: UInt64.self) == b.loadUnaligned(fromByteOffset: prefix, as: UInt64.self) {
            prefix &+= 8
        }
        while prefix < limit && a[prefix] == b[prefix] { prefix &+= 1 }
        // Shared bytes end at a scalar boundary of both when the next byte starts a scalar.
        while prefix > 0 && prefix < a.count && continues(a[prefix]) { prefix &-= 1 }
        var suffix = 0
        while suffix &+ 8 <= limit &- prefix
            && a.loadUnaligned(fromByteOffset: a.count &- suffix &- 8, as: UInt64.self)
            == b.loadUnaligned(fromByteOffset: b.count &- suffix &- 8, as: UInt64.self) {
            suffix &+= 8
        }
        while suffix < limit &- prefix && a[a.count &- 1 &- suffix] == b[b.count &- 1 &- suffix] { suffix &+= 1 }
        while suffix > 0 && continues(a[a.count &- suffix]) { suffix &-= 1 }
        return (prefix, suffix)
    }

    /// A UTF-8 continuation byte (not the start of a scalar).
    private static func continues(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Appends path `k`'s UTF-8 to `out`. The pieces are appended from buffers, not array slices: a
    /// slice retained and released its array, three pairs a path and five paths a finding of a
    /// corpus of copies.
    @inline(__always)
    package func appendUTF8(_ k: Int, to out: inout [UInt8]) {
        firstBytes.withUnsafeBufferPointer { first in
            guard k > 0 else { out.append(contentsOf: first); return }
            let c = 3 * (k - 1)
            let prefixEnd = Int(cuts[c]), suffixStart = Int(cuts[c + 1]), middleEnd = Int(cuts[c + 2])
            let middleStart = c > 0 ? Int(cuts[c - 1]) : 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: first[..<prefixEnd]))
            middleBytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[middleStart..<middleEnd])) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: first[suffixStart...]))
        }
    }

    /// Path `k`.
    package func path(_ k: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(firstBytes.count + 16)
        appendUTF8(k, to: &bytes)
        return bytes.withUnsafeBufferPointer { String(knownValidUTF8: $0) } ?? String(decoding: bytes, as: UTF8.self)
    }
}
