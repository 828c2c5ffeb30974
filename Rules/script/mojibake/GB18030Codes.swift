import Foundation
import Synchronization

/// GB18030 codes of every Unicode scalar, for re-encoding text without Foundation's converter at
/// run time: `String.data(using:)` for GB18030 stops the process ("didn't convert all characters")
/// on some runs of characters with four-byte codes (U+FFFD, half-width katakana) — mojibake and
/// `encoding-invalid` meet exactly such text — and costs per character besides.
///
/// U+0080–U+FFFF come from Foundation's own answer to one fixed conversion of the whole range,
/// split by character (GB18030 is stateless: a character's code does not depend on its neighbours;
/// Foundation differs from Python's codec at U+9FB4–U+9FBB, which is why it is not generated
/// offline); `GB18030CodesTests` compares every scalar. Built once, on first use (a run that never
/// re-encodes never builds it). ASCII is itself; U+10000 and up follow GB18030's linear four-byte
/// mapping from 90 30 81 30.
package enum GB18030Codes {
    package static let first: UInt32 = 0x80
    package static let last: UInt32 = 0xFFFF

    /// Code of each scalar from `first`, big-endian in the low bytes (2 bytes: < 0x10000; 4 bytes:
    /// ≥ 0x8130_8130); 0 for surrogates. Nil when Foundation did not convert the range.
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

    /// The GB18030 bytes of `scalars`; nil for a surrogate or a value past U+10FFFF (not scalars)
    /// or when the table could not be built.
    package static func encode(_ scalars: some Collection<UInt32>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count * 2)
        for v in scalars {
            if v < 0x80 {
                out.append(UInt8(v))
            } else if v <= last {
                guard let table else { return nil }
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
            } else if v <= 0x10FFFF {
                let index = v - 0x10000
                out.append(UInt8(0x90 + index / 12600))
                out.append(UInt8(0x30 + index / 1260 % 10))
                out.append(UInt8(0x81 + index / 10 % 126))
                out.append(UInt8(0x30 + index % 10))
            } else {
                return nil
            }
        }
        return out
    }
}
