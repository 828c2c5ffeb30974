/// Bytes in memory of their own (their pointers stay put until the storage grows). Not
/// copyable, so the storage has one owner and is freed once, when that owner is done with it.
/// Grows by doubling, like an array; a size that cannot be allocated (or whose doubling
/// overflows) traps, as an array's growth does: no append is ever dropped or miscounted.
/// Read in place without an array's retain (the spill log's records, the cache's texts).
package struct TextBuffer: ~Copyable {
    package private(set) var base: UnsafeMutablePointer<UInt8>
    package private(set) var count = 0
    private var capacity: Int

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// Room for `n` more bytes after `count`. The test inline, the growth out of line: the spill
    /// log appends every fact record through here.
    @inline(__always)
    package mutating func reserve(_ n: Int) {
        if n > capacity - count { grow(toFit: n) }
    }

    @inline(never)
    private mutating func grow(toFit n: Int) {
        var grown = capacity * 2
        while grown - count < n { grown *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        UnsafeMutableRawPointer(moved).copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = moved
        capacity = grown
    }

    package mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        reserve(n)
        (base + count).update(from: bytes, count: n)
        count += n
    }

    /// Appends the bytes of a raw buffer (an empty one, whatever its base, appends nothing).
    @inline(__always)
    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends `tag` then `bytes` (a record's tag and body, without assembling them first).
    package mutating func append(tag: UInt8, _ bytes: UnsafeRawBufferPointer) {
        reserve(1 + bytes.count)
        base[count] = tag
        count += 1
        append(bytes)
    }

    /// `n` bytes written after `count` (reserved first) are kept.
    package mutating func extend(by n: Int) {
        precondition(n >= 0 && n <= capacity - count, "a text buffer extended past what was reserved")
        count += n
    }

    /// Forgets the bytes (the storage is kept).
    package mutating func removeAll() { count = 0 }

    /// Forgets the bytes after the first `n`.
    package mutating func truncate(to n: Int) { count = max(0, min(count, n)) }

    package var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The bytes held, as raw bytes (valid until the next append that grows the storage).
    package var rawBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// `n` bytes from `offset`, both within the bytes held (a record's range): a range past them
    /// traps rather than read beyond the buffer.
    @inline(__always)
    package func bytes(from offset: Int, count n: Int) -> UnsafeRawBufferPointer {
        precondition(offset >= 0 && n >= 0 && offset <= count - n, "a range within the bytes held")
        return UnsafeRawBufferPointer(start: base + offset, count: n)
    }

    deinit { base.deallocate() }
}
