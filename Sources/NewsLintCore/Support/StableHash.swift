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

    /// Over the string's UTF-8 buffer: stepping its `utf8` view cost ~25 instructions a byte
    /// (a placeholder body's title, 1,900 instructions a file), the buffer 3.
    public static func fnv1a64(_ string: String) -> UInt64 {
        var string = string
        return string.withUTF8 { fnv1a64($0) }
    }

    /// `fnv1a64` of UTF-8 lent in place (a front-matter value read from the document's bytes),
    /// compiled here for a buffer: the generic form is not specialized in other modules.
    public static func fnv1a64(utf8 bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { fnv1a64(bytes) }

    public static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
