/// A fixed set of `TagNameKey` keys (never 0), looked up with a multiply and a compare or two: an
/// open-addressed table of at least four slots a key, 0 marking an empty slot. Rules that ask
/// every element or tag whether its name is one of a configured list (`html-empty-element`'s
/// twenty default names, `html-widget`'s tags) walked the list per element (68,000 elements at agora ×1).
/// `public` with `package` members only so that the lookups are inlined in the rules, as `TagNameKey`'s
/// are (a `package` type's were called out of line there: ~20 instructions a lookup, 62,000 at agora ×1).
public struct TagKeySet: Sendable {
    @usableFromInline let slots: [UInt64]
    /// For each slot, the position of its key in the sequence the set was made from (its first).
    @usableFromInline let positions: [Int32]

    /// The set of `keys` (zeros are not keys and are left out).
    package init<S: Sequence<UInt64>>(_ keys: S) {
        let keys = Array(keys)
        var size = 8
        while size < keys.count &* 4 { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        var positions = [Int32](repeating: -1, count: size)
        for (position, key) in keys.enumerated() where key != 0 {
            var i = Self.slot(key, mask: size &- 1)
            while slots[i] != 0 && slots[i] != key { i = (i &+ 1) & (size &- 1) }
            if slots[i] == 0 { positions[i] = Int32(position) }
            slots[i] = key
        }
        self.slots = slots
        self.positions = positions
    }

    /// Whether `key` is one of the set's keys (0 never is).
    @inlinable @inline(__always)
    package func contains(_ key: UInt64) -> Bool { position(of: key) != nil }

    /// The position of `key`'s first occurrence in the sequence the set was made from; nil when it is
    /// not there (0 never is).
    @inlinable @inline(__always)
    package func position(of key: UInt64) -> Int? {
        guard key != 0 else { return nil }
        return slots.withUnsafeBufferPointer { s in
            let mask = s.count &- 1
            var i = Self.slot(key, mask: mask)
            while true {
                let k = s[i]
                if k == key { return Int(positions[i]) }
                if k == 0 { return nil }
                i = (i &+ 1) & mask
            }
        }
    }

    @inlinable @inline(__always)
    static func slot(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> 40) & mask
    }
}
