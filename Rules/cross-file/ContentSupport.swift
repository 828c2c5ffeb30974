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
/// and each listing is assembled from them; a group is dropped after its last member.
package struct OtherMembers {
    package let limit: Int
    private var open: [Int: OpenGroup] = [:]

    private struct OpenGroup {
        /// Members visited so far.
        var visited = 0
        /// The paths of the first `limit + 1` members.
        var heads: SharedEndsPaths
    }

    package init(limit: Int = 5) { self.limit = limit }

    /// Groups with members still to visit (tests).
    package var openGroups: Int { open.count }

    /// Member `i`'s path and the listing of the other members of its group (as `listing` gives it).
    /// Call once per member of each group of two or more, in index order.
    package mutating func visit(_ i: Int, in groups: ChainGroups, path: (Int) -> String) -> (path: String, others: String) {
        let first = groups.first(of: i), size = groups.size(of: i)
        var group = open.removeValue(forKey: first)
            ?? OpenGroup(heads: SharedEndsPaths(groups.members(of: i).prefix(limit + 1).map(path)))
        let rank = group.visited
        group.visited += 1
        let own = rank < group.heads.count ? group.heads.path(rank) : path(i)
        // The first `limit` heads other than this member, then how many more.
        var others = ""
        others.reserveCapacity((own.utf8.count + 2) * limit + 24)
        var shown = 0
        for k in 0..<group.heads.count where k != rank && shown < limit {
            if shown > 0 { others += ", " }
            group.heads.append(k, to: &others)
            shown += 1
        }
        if size - 1 > limit { others += " and \(size - 1 - limit) more" }
        if group.visited < size { open[first] = group }
        return (own, others)
    }
}

/// Paths held as the first one and, for each other, only the part where it differs from the first
/// (between the prefix and the suffix they share, cut at scalar boundaries): copies of a corpus
/// differ in a few bytes, often a short string stored inline. Paths are put back together from
/// string pieces, never from bytes, so nothing is validated again.
package struct SharedEndsPaths {
    private var first = ""
    /// Per path after the first: where the prefix it shares with the first ends, and where the
    /// suffix they share starts, in the first; and its own part between them.
    private var ends: [(prefixEnd: String.Index, suffixStart: String.Index)] = []
    private var middles: [String] = []
    package let count: Int

    package init(_ paths: [String]) {
        count = paths.count
        guard let head = paths.first else { return }
        first = head
        let a = Array(head.utf8)
        for path in paths.dropFirst() {
            let b = Array(path.utf8)
            let limit = min(a.count, b.count)
            var prefix = 0
            while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
            // Shared bytes end at a scalar boundary of both when the next byte starts a scalar.
            while prefix > 0 && prefix < a.count && Self.continues(a[prefix]) { prefix -= 1 }
            var suffix = 0
            while suffix < limit - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
            while suffix > 0 && Self.continues(a[a.count - suffix]) { suffix -= 1 }
            let u = head.utf8, v = path.utf8
            ends.append((u.index(u.startIndex, offsetBy: prefix), u.index(u.endIndex, offsetBy: -suffix)))
            middles.append(String(Substring(v[v.index(v.startIndex, offsetBy: prefix)..<v.index(v.endIndex, offsetBy: -suffix)])))
        }
    }

    /// A UTF-8 continuation byte (not the start of a scalar).
    private static func continues(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Appends path `k` to `out`.
    package func append(_ k: Int, to out: inout String) {
        guard k > 0 else { out += first; return }
        let (prefixEnd, suffixStart) = ends[k - 1]
        out += Substring(first.utf8[..<prefixEnd])
        out += middles[k - 1]
        out += Substring(first.utf8[suffixStart...])
    }

    /// Path `k`.
    package func path(_ k: Int) -> String {
        if k == 0 { return first }
        var out = ""
        append(k, to: &out)
        return out
    }
}
