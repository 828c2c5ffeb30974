import Foundation
import NewsLintCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cache file as the run sees it: memory-mapped read-only (`MAP_PRIVATE`), so opening costs
/// nothing whatever its size and the run holds only the pages it is reading; read into memory when
/// it cannot be mapped. Entries are copied out before they are verified and decoded (one small
/// copy per entry), and every `releaseInterval` bytes copied the mapping's resident pages are
/// handed back (`MADV_DONTNEED`; they come back from the page cache when read again): a warm run
/// over 72k files touches the whole 70 MB file, which would otherwise all count as its memory.
///
/// newslint replaces cache files by rename, never in place; a file truncated in place by
/// something else while a run has it mapped would stop that run with SIGBUS, as it would ripgrep or git.
package final class CacheFileImage: @unchecked Sendable {
    package let bytes: UnsafeRawBufferPointer
    private let mapped: Bool
    /// Bytes copied out since the pages were last released (an atomic count: a lock per entry
    /// copied was ~130 instructions of a cache hit).
    private let copied = Atomic<Int>(0)
    package static let releaseInterval = 2 << 20

    /// nil when the file is missing, empty or unreadable.
    package init?(path: String) {
        // O_NONBLOCK: a FIFO in the cache directory must not hang the run in open(); fstat then turns it away.
        let fd = SystemPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0, st.st_size < Int.max / 2 else { return nil }
        let size = Int(st.st_size)
        if let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED {
            bytes = UnsafeRawBufferPointer(start: p, count: size)
            mapped = true
            return
        }
        // Fallback: the whole file in memory (file systems that cannot map).
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        guard FileDescriptorReading.readAll(into: buffer, from: fd, at: 0) == nil else {
            buffer.deallocate()
            return nil
        }
        bytes = UnsafeRawBufferPointer(buffer)
        mapped = false
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutableRawBufferPointer(mutating: bytes).deallocate()
        }
    }

    package var count: Int { bytes.count }

    /// The bytes at `range` (within bounds: the caller checks), as an array of their own.
    package func copy(_ range: Range<Int>) -> [UInt8] {
        let out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[range]))
        noteRead(range.count)
        return out
    }

    /// Counts bytes read from the mapping and gives its pages back every `releaseInterval` bytes.
    package func noteRead(_ n: Int) {
        guard mapped else { return }
        let total = copied.wrappingAdd(n, ordering: .relaxed).newValue
        guard total >= Self.releaseInterval else { return }
        // The thread whose reset succeeds releases; one that lost the race to another's copy
        // leaves it to that thread, which saw a total past the interval too.
        if copied.compareExchange(expected: total, desired: 0, ordering: .relaxed).exchanged { releasePages() }
    }

    /// Drops the mapping's pages from this process (not from the page cache).
    package func releasePages() {
        #if os(Linux)
        guard mapped else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count, Int32(MADV_DONTNEED))
        #endif
    }

    package func u64(at offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A varint at `offset` that ends before `end`: its value and the offset after it.
    package func varint(at offset: Int, end: Int) -> (value: UInt64, next: Int)? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        var i = offset
        while i < end, i >= 0 {
            let b = bytes[i]
            if shift > 63 { return nil }
            v |= UInt64(b & 0x7F) << shift
            i += 1
            if b < 0x80 { return (v, i) }
            shift += 7
        }
        return nil
    }
}
