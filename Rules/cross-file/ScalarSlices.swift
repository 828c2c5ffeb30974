import NewsLintCore

/// The scalars of byte ranges of a file, asked in document order, as index ranges of its shared
/// decode (`Document.scalars`): found by bisecting its byte offsets from the previous answer.
package struct ScalarSlices {
    /// The decode's narrow byte offsets: `count` scalars, then the file's end.
    let offsets: UnsafeBufferPointer<UInt32>
    package let count: Int
    private var from = 0

    package init(offsets: UnsafeBufferPointer<UInt32>, count: Int, from: Int = 0) {
        self.offsets = offsets
        self.count = min(count, offsets.count - 1)
        self.from = from
    }

    /// The index the next search starts from (the last answer's).
    package var position: Int { from }

    /// The scalar indices of `bytes`, or nil when its ends are not scalar boundaries (no text token
    /// of a well-formed file: tokens end at ASCII bytes), then the caller decodes the bytes.
    /// `bytes` must not start before the end of the range asked for last (text tokens, in order).
    @inline(__always)
    package mutating func scalars(of bytes: Range<Int>) -> Range<Int>? {
        let first = firstScalar(from: from, atOrAfter: bytes.lowerBound)
        let last = firstScalar(from: first, atOrAfter: bytes.upperBound)
        guard Int(offsets[first]) == bytes.lowerBound, Int(offsets[last]) == bytes.upperBound else {
            from = first
            return nil
        }
        // The next range starts at or after this one's end: its search spans only the gap (a
        // tag or two), not this range's text again.
        from = last
        return first..<last
    }

    /// The scalar index starting at byte `offset`, or nil when `offset` is inside a scalar.
    /// `offset` must not be before the one asked for last.
    @inline(__always)
    package mutating func index(ofByte offset: Int) -> Int? {
        let k = firstScalar(from: from, atOrAfter: offset)
        from = k
        return Int(offsets[k]) == offset ? k : nil
    }

    /// The first index in `from...count` whose offset is at least `offset` (the decode's bisection,
    /// spanning only the bytes asked for: a text token, the gap since the last one).
    @inline(__always)
    private func firstScalar(from: Int, atOrAfter offset: Int) -> Int {
        ScalarDecode.firstScalar(atOrAfter: offset, from: from, count: count, offsets: offsets)
    }
}

/// `ScalarSlices.index(ofByte:)` over a document's shared decode held by the caller between
/// calls (the slices borrow the offsets for one call's scope). `boilerplate-repeated` counts the
/// column of each block on a line of several as the difference of two indices;
/// `Document.scalarCount` bisected the whole file twice for each block of a one-line article
/// (~414 instructions a block).
package struct ScalarIndexCursor {
    /// The decode's narrow byte offsets: `count` scalars, then the file's end.
    private let offsets: [UInt32]
    private let count: Int
    private var from = 0

    /// Nil when the decode has not been made (or the file is not well-formed UTF-8): the caller
    /// counts scalars itself.
    package init?(_ document: Document) {
        let shared = document.sharedScalars
        guard !shared.offsets.isEmpty else { return nil }
        offsets = shared.offsets
        count = shared.cps.count
    }

    /// The index of the scalar starting at byte `offset`, or nil when `offset` is inside a scalar.
    /// `offset` must not be before the one asked for last.
    package mutating func index(ofByte offset: Int) -> Int? {
        let (k, position) = offsets.withUnsafeBufferPointer { buffer -> (Int?, Int) in
            var slices = ScalarSlices(offsets: buffer, count: count, from: from)
            let k = slices.index(ofByte: offset)
            return (k, slices.position)
        }
        from = position
        return k
    }
}
