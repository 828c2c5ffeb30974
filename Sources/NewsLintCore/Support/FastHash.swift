import Foundation

/// A fast, deterministic 64-bit hash over bytes (8 bytes per step), for content
/// hashes and cache checksums. Not cryptographic: the cache never trusts an entry
/// on the hash alone for anything but "same bytes as last time".
public enum FastHash {
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0xC2B2_AE3D_27D4_EB4F)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = mix(h ^ (w &* 0x87C3_7B91_1142_53D5))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return mix(h ^ tail ^ 0xFF51_AFD7_ED55_8CCD)
    }

    public static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { hash($0) } }
    public static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.withUnsafeBytes { hash($0) } }

    @inline(__always)
    package static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The hash of a path's bytes that indexes the cache (and enters the run's digest): sixteen
/// bytes a step, each pair of words folded by one 64×64→128-bit multiply (the folding of
/// wyhash), the last sixteen read as two possibly overlapping words. `FastHash`, a multiply and a
/// mix per eight bytes, cost ~400 instructions a path of two dozen Chinese characters, twice a
/// file in a warm run (its lookup on a worker, the run's digest on the serial delivery). Only
/// this build reads what it indexes (the cache key holds the executable's fingerprint), so it
/// need not agree with `FastHash`, which facts files keep using. `PathBlockFile` checks the chunks
/// it reads back with it (about a quarter of `FastHash`'s instructions a byte).
package enum PathHash {
    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let p = a.multipliedFullWidth(by: b)
        return p.high ^ p.low
    }

    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        let k0: UInt64 = 0xA076_1D64_78BD_642F, k1: UInt64 = 0xE703_7ED1_A0B4_28DB, k2: UInt64 = 0x8EBC_6AF0_9C88_C6E3
        var h = fold(UInt64(n) ^ k0, k1)
        guard let base = bytes.baseAddress, n > 0 else { return h }
        @inline(__always) func word(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let a: UInt64, b: UInt64
        if n >= 16 {
            var i = 0
            while i + 16 < n {
                h = fold(word(i) ^ k1, word(i + 8) ^ h)
                i += 16
            }
            a = word(n - 16)
            b = word(n - 8)
        } else if n >= 8 {
            a = word(0)
            b = word(n - 8)
        } else if n >= 4 {
            let lo = UInt64(UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
            let hi = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            a = lo << 32 | hi
            b = 0
        } else {
            @inline(__always) func byte(_ at: Int) -> UInt64 { UInt64(base.load(fromByteOffset: at, as: UInt8.self)) }
            a = byte(0) << 16 | byte(n >> 1) << 8 | byte(n - 1)
            b = 0
        }
        return fold(fold(a ^ k1, b ^ h) ^ k2, UInt64(n) ^ k1)
    }
}

/// The hash of a file's bytes the cache keeps ("the same bytes as last time") and of the facts the
/// run's digest covers: 32 bytes a step in two independent lanes, each pair of words folded by one
/// 64×64→128-bit multiply, the last 32 bytes read as four possibly overlapping words (a shorter
/// input as one zero-padded block; the length is folded in at the end). `FastHash` (a multiply and a
/// mix per eight bytes, one chain) cost 44 M instructions at agora-pen ×1 on a run that writes the
/// cache; this takes about a third of its instructions a byte.
/// Each step gives back its two factors, each multiplied by an odd constant, beside their product
/// (`absorb`): a bare fold lost the lane's state, and the word paired with it, wherever a word
/// equalled its key (a product of zero), which files the cache hashes can hold (legacy-encoded
/// text, UTF-16, binary fact records), so a changed file could hash as unchanged; and factors given
/// back as they are let a change in one word be cancelled by the same change one step later. The
/// two lanes enter the last step as separate factors.
/// Only this build reads what it hashes (the cache key holds the executable's fingerprint); facts
/// files keep `FastHash`.
package enum ContentHash {
    private static let k0: UInt64 = 0xA076_1D64_78BD_642F
    private static let k1: UInt64 = 0xE703_7ED1_A0B4_28DB
    private static let k2: UInt64 = 0x8EBC_6AF0_9C88_C6E3
    private static let k3: UInt64 = 0x5899_65CC_7537_4CC3
    private static let k4: UInt64 = 0x1D8E_4E27_C47D_124F

    /// One pair of words into a lane's state: the folded product of the two factors, and each factor
    /// multiplied by an odd constant (a bijection whose carries no later word's bits undo by a fixed flip).
    @inline(__always)
    private static func absorb(_ state: UInt64, _ w0: UInt64, _ w1: UInt64, _ key0: UInt64, _ key1: UInt64) -> UInt64 {
        mixFactors(w0 ^ state ^ key0, w1 ^ key1)
    }

    @inline(__always)
    private static func mixFactors(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let p = x.multipliedFullWidth(by: y)
        return p.high ^ p.low ^ (x &* 0x9E37_79B9_7F4A_7C15) ^ (y &* 0xC2B2_AE3D_27D4_EB4F)
    }

    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var a = k0 ^ UInt64(n), b = k3 ^ (UInt64(n) &* k4)
        if let base = bytes.baseAddress, n > 0 {
            if n < 32 {
                var block: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                withUnsafeMutableBytes(of: &block) { $0.baseAddress?.copyMemory(from: base, byteCount: n) }
                a = absorb(a, UInt64(littleEndian: block.0), UInt64(littleEndian: block.1), k1, k3)
                b = absorb(b, UInt64(littleEndian: block.2), UInt64(littleEndian: block.3), k2, k4)
            } else {
                @inline(__always) func word(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
                var i = 0
                while i + 32 < n {
                    a = absorb(a, word(i), word(i + 8), k1, k3)
                    b = absorb(b, word(i + 16), word(i + 24), k2, k4)
                    i += 32
                }
                a = absorb(a, word(n - 32), word(n - 24), k1, k3)
                b = absorb(b, word(n - 16), word(n - 8), k2, k4)
            }
        }
        return FastHash.mix(mixFactors(a ^ UInt64(n) ^ k0, b ^ k2))
    }

    package static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { hash($0) } }
    package static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.withUnsafeBytes { hash($0) } }
}
