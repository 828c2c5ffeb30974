import Foundation
import Synchronization

/// GB18030 codes of U+2E80–U+FFFF, for re-encoding the runs `mojibake` examines without one
/// Foundation conversion per run: Foundation's converter costs per character, and a corpus converts
/// the same characters again and again (2.5% of a run on agora-pen).
///
/// The table is Foundation's own answer — one conversion of the whole range, split by character
/// (GB18030 is stateless: a character's code does not depend on its neighbours) — so it agrees
/// with the per-run conversion by construction (Foundation differs from Python's codec at
/// U+9FB4–U+9FBB, which is why it is not generated offline); `GB18030CodesTests` compares every
/// scalar. It is built only once a process has converted enough characters through Foundation
/// that one conversion of the range (about 50,000 characters, 4–12 ms) is the cheaper way: a run
/// over a few files never builds it.
package enum GB18030Codes {
    package static let first: UInt32 = 0x2E80
    package static let last: UInt32 = 0xFFFF
    /// Characters converted through Foundation before the table is built.
    package static let buildAfter = 60_000

    private static let converted = Atomic<Int>(0)

    /// Code of each scalar from `first`, big-endian in the low bytes (2 bytes: < 0x10000; 4 bytes:
    /// ≥ 0x8130_8130; 1 byte: < 0x80); 0 for surrogates. Nil when Foundation did not convert the range.
    package static let table: [UInt32]? = {
        var scalars = String.UnicodeScalarView()
        for v in first...last { if let u = Unicode.Scalar(v) { scalars.append(u) } }
        guard let data = String(scalars).data(using: MojibakeRule.gb18030, allowLossyConversion: false) else { return nil }
        let b = [UInt8](data)
        var out = [UInt32](repeating: 0, count: Int(last - first) + 1)
        var p = 0
        for v in first...last where Unicode.Scalar(v) != nil {
            guard p < b.count else { return nil }
            let length = b[p] < 0x80 ? 1 : (p + 1 < b.count && (0x30...0x39).contains(b[p + 1]) ? 4 : 2)
            guard p + length <= b.count else { return nil }
            var code: UInt32 = 0
            for k in 0..<length { code = code << 8 | UInt32(b[p + k]) }
            out[Int(v - first)] = code
            p += length
        }
        return p == b.count ? out : nil
    }()

    /// Whether runs of `count` more characters should be encoded with the table (building it on
    /// first use) rather than through Foundation.
    package static func useTable(for count: Int) -> Bool {
        converted.add(count, ordering: .relaxed).newValue > buildAfter
    }

    /// The GB18030 bytes of `scalars` from the table; nil when a scalar is outside it (the caller
    /// then asks Foundation) or the table could not be built.
    package static func encode(_ scalars: some Collection<UInt32>) -> [UInt8]? {
        guard let table else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count * 2)
        for v in scalars {
            guard v >= first, v <= last else { return nil }
            let code = table[Int(v - first)]
            if code >= 0x1_0000 {
                out.append(UInt8(truncatingIfNeeded: code >> 24))
                out.append(UInt8(truncatingIfNeeded: code >> 16))
                out.append(UInt8(truncatingIfNeeded: code >> 8))
                out.append(UInt8(truncatingIfNeeded: code))
            } else if code >= 0x100 {
                out.append(UInt8(truncatingIfNeeded: code >> 8))
                out.append(UInt8(truncatingIfNeeded: code))
            } else if code > 0 {
                out.append(UInt8(truncatingIfNeeded: code))
            } else {
                return nil
            }
        }
        return out
    }
}
