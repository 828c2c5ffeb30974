/// A set of byte values as a 256-entry table, for the script rules' prefilters: they skip, one
/// lookup per byte, the bytes no candidate starts with (in Chinese text: Han lead and continuation
/// bytes, most of a file) instead of comparing each byte with every lead byte in turn.
package struct ByteSet: Sendable {
    private let member: [Bool]

    package init(_ bytes: some Sequence<UInt8>) {
        var member = [Bool](repeating: false, count: 256)
        for b in bytes { member[Int(b)] = true }
        self.member = member
    }

    package func contains(_ b: UInt8) -> Bool { member[Int(b)] }

    /// The first index in `from..<end` of `buffer` whose byte is in the set, or `end`.
    @inline(__always)
    package func firstIndex(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int {
        member.withUnsafeBufferPointer { table in
            var i = from
            while i < end, !table[Int(buffer[i])] { i &+= 1 }
            return i
        }
    }
}
