import Foundation

/// SipHash-2-4 (Aumasson & Bernstein): a keyed 64-bit hash, i.e. a MAC for data that a third
/// party may write. Without the key an attacker cannot forge a checksum that verifies, unlike a
/// plain hash anyone can recompute.
public struct SipHash24 {
    public static func hash(_ bytes: UnsafeRawBufferPointer, key k0: UInt64, _ k1: UInt64) -> UInt64 {
        SipHashRounds.hash(bytes, k0, k1, compression: 2, finalization: 4)
    }

    public static func hash<C: ContiguousBytes>(_ bytes: C, key: (UInt64, UInt64)) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, key: key.0, key.1) }
    }
}

/// SipHash-1-3: the same function with one round per 8-byte word and three to finish, as the
/// SipHash authors list it for speed (Rust's and CPython's string hashing use it against hash
/// flooding). The lint cache's checksums use it: they cover every byte a warm run reads (entries
/// and the stored cross-file result, some 80 MB at 72,000 files), where 2-4 cost ~5 instructions a
/// byte and this ~2.7. No forgery or key recovery is known for it; what it guards (see
/// `LintCache.checksum`) is a writer of the cache directory who cannot read its 0600 key file.
public struct SipHash13 {
    public static func hash(_ bytes: UnsafeRawBufferPointer, key k0: UInt64, _ k1: UInt64) -> UInt64 {
        SipHashRounds.hash(bytes, k0, k1, compression: 1, finalization: 3)
    }

    public static func hash<C: ContiguousBytes>(_ bytes: C, key: (UInt64, UInt64)) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, key: key.0, key.1) }
    }
}

/// SipHash-c-d; inlined into each variant, where the round counts are constants.
enum SipHashRounds {
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, _ k0: UInt64, _ k1: UInt64, compression: Int, finalization: Int) -> UInt64 {
        var v0: UInt64 = 0x736F_6D65_7073_6575 ^ k0
        var v1: UInt64 = 0x646F_7261_6E64_6F6D ^ k1
        var v2: UInt64 = 0x6C79_6765_6E65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1
        @inline(__always) func round() {
            v0 = v0 &+ v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32)
            v2 = v2 &+ v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2
            v0 = v0 &+ v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0
            v2 = v2 &+ v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32)
        }
        let n = bytes.count
        var i = 0
        // Four words a step where there are four (the loop's own count, load and test were a
        // quarter of 1-3's instructions a word), then one at a time.
        while i &+ 32 <= n {
            for k in 0..<4 {
                let m = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i &+ 8 &* k, as: UInt64.self))
                v3 ^= m
                for _ in 0..<compression { round() }
                v0 ^= m
            }
            i &+= 32
        }
        while i + 8 <= n {
            let m = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            v3 ^= m
            for _ in 0..<compression { round() }
            v0 ^= m
            i += 8
        }
        var last = UInt64(truncatingIfNeeded: n) << 56
        var shift: UInt64 = 0
        while i < n {
            last |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        v3 ^= last
        for _ in 0..<compression { round() }
        v0 ^= last
        v2 ^= 0xFF
        for _ in 0..<finalization { round() }
        return v0 ^ v1 ^ v2 ^ v3
    }
}
