import Foundation

/// Stable, platform-independent hashing (Swift's `Hasher` is seeded per process).
public enum StableHash {
    /// FNV-1a's 64-bit offset basis and prime.
    public static let fnvBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    public static func fnv1a64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var h = fnvBasis
        for b in bytes {
            h ^= UInt64(b)
            h = h &* fnvPrime
        }
        return h
    }

    public static func fnv1a64(_ string: String) -> UInt64 { fnv1a64(string.utf8) }

    public static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
