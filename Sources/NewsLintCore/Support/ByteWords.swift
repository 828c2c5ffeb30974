#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eight bytes at a time (SWAR): the zero-byte test, exact as a yes/no answer for a word (its
/// false positives only sit above a real zero byte). Shared by the layers that skip plain text.
///
/// `public` (with `package` members) only so that its `@inlinable` members are inlined in other
/// modules: Swift 6.3 calls a `package` type's static members out of line even when `@inlinable`
/// (`highs` was 4.9 M calls from `ByteSet.firstIndex` on agora x1).
public enum ByteWords {
    /// Computed constants, inlined where they are used: stored `static let`s were read through an
    /// accessor call from other modules, once per word in the rules' prefilters.
    @inlinable package static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable package static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// Whether every byte of `w` is ASCII.
    @inlinable @inline(__always)
    package static func isASCII(_ w: UInt64) -> Bool { w & highs == 0 }

    /// `w`'s UTF-8 continuation bytes (10xxxxxx), each flagged in its lane's bit 7: bit 7 set and
    /// bit 6 clear, the shift moving each lane's bit 6 under its bit 7.
    @inlinable @inline(__always)
    package static func continuationFlags(_ w: UInt64) -> UInt64 { w & ~(w << 1) & highs }

    /// Whether some byte of `w` is zero.
    @inlinable @inline(__always)
    package static func hasZeroByte(_ w: UInt64) -> Bool { (w &- ones) & ~w & highs != 0 }

    /// Whether some byte of `w` equals `byte`.
    @inlinable @inline(__always)
    package static func has(_ byte: UInt8, in w: UInt64) -> Bool { hasZeroByte(w ^ (ones &* UInt64(byte))) }

    /// Whether some lane of `mask` is set: its two words or'ed, four or five instructions. `any(_:)`
    /// of a mask joined from several compares can be compiled to a call of the generic
    /// `SIMD.min()` reduction, or to its shuffle tree inlined (~30 instructions), whichever the
    /// surrounding code leads the optimizer to (`hasTabOrBreak`'s four masks were the tree).
    /// Inlinable: the rules and reporters that call it are other modules.
    @inlinable @inline(__always)
    package static func anyLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }

    /// The first index in `from..<end` of `raw` that holds `a` or `b`, or `end`. Sixteen bytes
    /// holding neither are skipped at a time (two SSE2 compares), then words, then bytes: for the
    /// rare bytes that may start what a scan looks for. (Words alone were ~1.8 instructions a byte
    /// over front-matter values and blocks.) A block with a match gives its first matching lane
    /// from the compare's lanes read as two words (lane k is bits 8k...8k+7).
    @inlinable
    package static func firstIndex(of a: UInt8, or b: UInt8, in raw: UnsafeRawBufferPointer, from: Int, to end: Int) -> Int {
        var i = from
        if i &+ 16 <= end {
            let va = SIMD16<UInt8>(repeating: a), vb = SIMD16<UInt8>(repeating: b)
            repeat {
                let x = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let hits = unsafeBitCast((x .== va) .| (x .== vb), to: SIMD2<UInt64>.self)
                if hits[0] != 0 { return i &+ hits[0].trailingZeroBitCount &>> 3 }
                if hits[1] != 0 { return i &+ 8 &+ hits[1].trailingZeroBitCount &>> 3 }
                i &+= 16
            } while i &+ 16 <= end
        }
        while i &+ 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if has(a, in: w) || has(b, in: w) { break }
            i &+= 8
        }
        while i < end, raw[i] != a, raw[i] != b { i &+= 1 }
        return i
    }

    /// The first index in `from..<end` of `raw` that holds `<` or `&`, or `end`: where markup
    /// (a tag, a character reference) may start. Words of text without either are skipped whole.
    @inlinable
    package static func firstMarkupCandidate(_ raw: UnsafeRawBufferPointer, from: Int, to end: Int) -> Int {
        firstIndex(of: 0x3C, or: 0x26, in: raw, from: from, to: end)
    }

    /// The first index in `from..<end` of `buffer` holding `byte`, or nil: `memchr`, which reads
    /// many bytes per step (quoted attribute values and scripts run for hundreds of bytes).
    @inlinable
    package static func firstIndex(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
        guard from < end, let base = buffer.baseAddress, let hit = memchr(base + from, Int32(byte), end &- from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The bytes of `range` (at most 16, inside `b`) as two little-endian words, zero past its end:
    /// bytes 0–7 in `head`, 8–15 in `tail`. By two unaligned loads, masked, when 16 bytes from its
    /// start are inside `b`; by the bytes otherwise (near the buffer's end). A short key (a front
    /// matter key, a title word) is then compared or hashed as two words.
    @inline(__always)
    package static func packed(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (head: UInt64, tail: UInt64) {
        let count = range.count, start = range.lowerBound
        if let base = b.baseAddress, start &+ 16 <= b.count {
            let raw = UnsafeRawPointer(base + start)
            let head = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & lowBytes(count)
            let tail = count > 8 ? UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & lowBytes(count &- 8) : 0
            return (head, tail)
        }
        var head: UInt64 = 0, tail: UInt64 = 0
        for k in 0..<Swift.min(count, 8) { head |= UInt64(b[start &+ k]) &<< UInt64(k &* 8) }
        if count > 8 {
            for k in 8..<count { tail |= UInt64(b[start &+ k]) &<< UInt64((k &- 8) &* 8) }
        }
        return (head, tail)
    }

    /// A mask of the low `n` bytes of a word (all of it from 8).
    @inline(__always)
    package static func lowBytes(_ n: Int) -> UInt64 { n >= 8 ? ~0 : (1 &<< UInt64(n &* 8)) &- 1 }
}
