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
