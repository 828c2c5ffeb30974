/// The distinct line hashes of one document (`boilerplate-repeated`'s `collect`): open addressing on
/// the hashes' own bits, mixed once, so an insert is a multiply and a probe instead of a SipHash of a
/// `Set<UInt64>` (seeded per set, `Hasher._seed`), asked for every qualifying line of every file.
package struct LineHashSet {
    /// 0 marks an empty slot; the hash 0 itself is `holdsZero`.
    private var slots: [UInt64]
    private var holdsZero = false
    package private(set) var count = 0

    package init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        // Staged (`Array(stagingCount:)`): a set is made per file, and `Array(repeating:count:)`
        // allocated through the standard library's unspecialised path.
        slots = [UInt64](stagingCount: size) { $0.initialize(repeating: 0) }
    }

    /// Inserts `hash`; true when it was not there yet (`Set.insert(_:).inserted`).
    @inline(__always)
    package mutating func insert(_ hash: UInt64) -> Bool {
        if hash == 0 {
            if holdsZero { return false }
            holdsZero = true
            count += 1
            return true
        }
        if (count + 1) * 2 > slots.count { grow() }
        let inserted = slots.withUnsafeMutableBufferPointer { Self.place(hash, in: $0) }
        if inserted { count += 1 }
        return inserted
    }

    private static func place(_ hash: UInt64, in slots: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: mix64(hash)) & mask
        while true {
            let slot = slots[i]
            if slot == hash { return false }
            if slot == 0 {
                slots[i] = hash
                return true
            }
            i = (i &+ 1) & mask
        }
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        larger.withUnsafeMutableBufferPointer { target in
            for hash in slots where hash != 0 { _ = Self.place(hash, in: target) }
        }
        slots = larger
    }
}

/// Counts per line hash (or hash prefix) for `boilerplate-repeated`'s reduce: open addressing on the
/// keys' mixed bits, where a `Dictionary` hashed each key with SipHash and grew by rehashing, for
/// every qualifying line of every file of a group.
package struct LineHashCounts {
    private var keys: [UInt64]
    /// 0 marks an empty slot (a present key has been counted at least once).
    private var counts: [UInt32]
    private var used = 0

    package init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        counts = [UInt32](repeating: 0, count: size)
    }

    /// Adds one to `key`'s count.
    package mutating func add(_ key: UInt64) {
        if (used + 1) * 2 > keys.count { grow() }
        let slot = Self.slot(of: key, keys, counts)
        if counts[slot] == 0 {
            keys[slot] = key
            used += 1
        }
        counts[slot] &+= 1
    }

    /// `key`'s count (0 when never added).
    package func count(_ key: UInt64) -> Int { Int(counts[Self.slot(of: key, keys, counts)]) }

    /// Each counted key with its count, in no particular order.
    package func forEach(_ body: (UInt64, Int) -> Void) {
        for i in 0..<keys.count where counts[i] != 0 { body(keys[i], Int(counts[i])) }
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private static func slot(of key: UInt64, _ keys: [UInt64], _ counts: [UInt32]) -> Int {
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: mix64(key)) & mask
        while counts[i] != 0 && keys[i] != key { i = (i &+ 1) & mask }
        return i
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        counts = [UInt32](repeating: 0, count: oldKeys.count * 2)
        for i in 0..<oldKeys.count where oldCounts[i] != 0 {
            let slot = Self.slot(of: oldKeys[i], keys, counts)
            keys[slot] = oldKeys[i]
            counts[slot] = oldCounts[i]
        }
    }
}

/// Upper bounds of how often each key was added, for `boilerplate-repeated`'s first reduce pass:
/// one counter per slot of a fixed array indexed by the key's mixed bits. Keys that share a slot
/// only raise each other's bound, so a key whose bound is below a threshold is certainly below it,
/// and what passes is counted exactly afterwards. Sized by the group's file count and capped, so
/// memory stays flat however many distinct lines a corpus holds: a table with a slot per distinct
/// key (`LineHashCounts`) grew to 9 MB in this pass at 160,000 distinct bodies. The thresholds
/// this serves grow with the group (a share of its files), so a capped array adds few candidates.
package struct LineCountBounds {
    private var counters: [UInt32]
    private let mask: Int

    /// `perFile` slots a file, a power of two between `minSlots` and `maxSlots`.
    package init(files: Int, perFile: Int = 16, minSlots: Int = 1 << 10, maxSlots: Int = 1 << 19) {
        let wanted = files > maxSlots / max(perFile, 1) ? maxSlots : max(files * perFile, minSlots)
        var size = 1
        while size < wanted { size <<= 1 }
        counters = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Adds one to `key`'s bound (saturating: a bound never wraps below a true count); returns
    /// the bound after it.
    @inline(__always) @discardableResult
    package mutating func add(_ key: UInt64) -> UInt32 {
        let i = Int(truncatingIfNeeded: mix64(key)) & mask
        let c = counters[i]
        guard c != .max else { return c }
        counters[i] = c &+ 1
        return c &+ 1
    }

    /// At least the number of times `key` was added (`Int.max` once its counter saturated).
    @inline(__always)
    package func bound(_ key: UInt64) -> Int {
        let c = counters[Int(truncatingIfNeeded: mix64(key)) & mask]
        return c == .max ? Int.max : Int(c)
    }

    /// Whether some key's bound reaches `need` (otherwise no key's true count does).
    package func anyReaches(_ need: Int) -> Bool {
        counters.contains { $0 == .max || Int($0) >= need }
    }
}
