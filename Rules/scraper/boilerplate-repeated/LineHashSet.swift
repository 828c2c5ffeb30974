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
        slots = [UInt64](repeating: 0, count: size)
    }

    /// Inserts `hash`; true when it was not there yet (`Set.insert(_:).inserted`).
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
