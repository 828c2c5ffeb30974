/// Which of the 65,536 adjacent byte pairs occur in a document, found in one pass and shared by
/// the rules whose file-level prefilter would otherwise scan every byte on its own just to learn
/// that nothing can match (on agora-pen, nearly every file). A pair's absence rules a sequence out:
/// a needle occurs only if each of its adjacent pairs does, so a rule asks the census first and
/// runs its exact scan only when the census cannot say no. A lone byte value is not enough: the
/// lead bytes these rules look for (`E2`, `EF`) also start `“` and `，`, found in nearly every file.
///
/// The accessors are `@inlinable` so the rules' module reads the bits without a call per query.
package struct BytePairCensus: Sendable {
    /// Bit `second` of row `first` (four words a row) is set when `first, second` occurs.
    @usableFromInline package let words: [UInt64]
    /// The last byte, the one byte not counted as the first of a pair (nil for an empty file).
    @usableFromInline package let lastByte: UInt8?

    package init(_ bytes: [UInt8]) {
        var words = [UInt64](repeating: 0, count: 1024)
        words.withUnsafeMutableBufferPointer { bits in
            bytes.withUnsafeBufferPointer { buf in
                guard var previous = buf.first.map(Int.init) else { return }
                for i in 1..<buf.count {
                    let current = Int(buf[i])
                    let pair = previous &<< 8 | current
                    bits[pair &>> 6] |= 1 &<< UInt64(pair & 63)
                    previous = current
                }
            }
        }
        self.words = words
        self.lastByte = bytes.last
    }

    /// Whether `first` is immediately followed by `second` somewhere.
    @inlinable
    package func contains(_ first: UInt8, _ second: UInt8) -> Bool {
        let pair = Int(first) &<< 8 | Int(second)
        return words[pair &>> 6] & (1 &<< UInt64(pair & 63)) != 0
    }

    /// Whether `first` is immediately followed by a byte in `seconds` somewhere.
    @inlinable
    package func contains(_ first: UInt8, followedByAnyOf seconds: ClosedRange<UInt8>) -> Bool {
        // A mask over each of the row's four words that the range touches.
        let low = Int(seconds.lowerBound), high = Int(seconds.upperBound)
        let row = Int(first) &<< 2
        for w in (low &>> 6)...(high &>> 6) {
            let from = max(low, w &<< 6) & 63, to = min(high, w &<< 6 | 63) & 63
            let width = to &- from &+ 1
            let mask: UInt64 = (width == 64 ? ~0 : (1 &<< UInt64(width)) &- 1) &<< UInt64(from)
            if words[row &+ w] & mask != 0 { return true }
        }
        return false
    }

    /// Whether the byte value `b` occurs at all.
    @inlinable
    package func contains(byte b: UInt8) -> Bool {
        if lastByte == b { return true }
        let row = Int(b) &<< 2
        return words[row] | words[row &+ 1] | words[row &+ 2] | words[row &+ 3] != 0
    }

    /// Whether some byte below 0x20 other than tab, line feed and carriage return occurs (the
    /// control characters several rules report).
    @inlinable
    package var containsControlOtherThanWhitespace: Bool {
        if let last = lastByte, last < 0x20, last != 0x09, last != 0x0A, last != 0x0D { return true }
        var any: UInt64 = 0
        for row in 0..<0x20 where row != 0x09 && row != 0x0A && row != 0x0D {
            any |= words[row &<< 2] | words[row &<< 2 &+ 1] | words[row &<< 2 &+ 2] | words[row &<< 2 &+ 3]
        }
        return any != 0
    }

    /// Whether every adjacent pair of `needle` occurs: false proves `needle` absent (true does not
    /// prove it present). A needle of one byte asks whether that byte occurs.
    @inlinable
    package func mayContain(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count > 1 else { return contains(byte: first) }
        for i in 1..<needle.count where !contains(needle[i - 1], needle[i]) { return false }
        return true
    }
}

extension Document {
    /// The byte-pair census of the file, computed on first use and shared by the prefilters.
    package var bytePairs: BytePairCensus {
        views.bytePairs { BytePairCensus(bytes) }
    }
}
