/// Eight bytes at a time (SWAR): the zero-byte test, exact as a yes/no answer for a word (its
/// false positives only sit above a real zero byte). Shared by the layers that skip plain text.
package enum ByteWords {
    package static let ones: UInt64 = 0x0101_0101_0101_0101
    package static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of `w` is zero.
    @inlinable @inline(__always)
    package static func hasZeroByte(_ w: UInt64) -> Bool { (w &- ones) & ~w & highs != 0 }

    /// Whether some byte of `w` equals `byte`.
    @inlinable @inline(__always)
    package static func has(_ byte: UInt8, in w: UInt64) -> Bool { hasZeroByte(w ^ (ones &* UInt64(byte))) }

    /// The first index in `from..<end` of `raw` that holds `<` or `&`, or `end`: where markup
    /// (a tag, a character reference) may start. Words of text without either are skipped whole.
    @inlinable
    package static func firstMarkupCandidate(_ raw: UnsafeRawBufferPointer, from: Int, to end: Int) -> Int {
        var i = from
        while i &+ 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if has(0x3C, in: w) || has(0x26, in: w) { break }
            i &+= 8
        }
        while i < end, raw[i] != 0x3C, raw[i] != 0x26 { i &+= 1 }
        return i
    }
}
