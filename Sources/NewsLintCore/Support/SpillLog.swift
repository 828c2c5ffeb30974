import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records appended in order and read back by byte range: held in memory up to a budget, then
/// moved to an unlinked temporary file (under `TMPDIR`, never in the corpus), so what a run keeps
/// until its end (cross-file facts) does not grow its memory with the corpus. A record never
/// straddles memory and disk (whole records are moved). If the file cannot be created or written
/// (no temporary directory, disk full), everything from then on stays in memory: never lost.
/// If what went to the file cannot be read back (the file was truncated, a read error), `withBytes`
/// throws `SpillLog.ReadFailure` and `readFailure` says what happened, for the caller's error message.
/// Used from one thread at a time.
package final class SpillLog: @unchecked Sendable {
    /// Bytes kept in memory before they go to the temporary file.
    package let budget: Int
    /// Total bytes appended.
    package private(set) var size = 0
    /// The log from `memoryStart` on (the part not on disk).
    private var memory: [UInt8] = []
    private var memoryStart = 0
    private var fd: Int32 = -1
    private var diskFailed = false
    /// Where the temporary file was created (it is unlinked at once), for messages.
    package private(set) var filePath: String?
    /// Why the last failed read of the temporary file failed (nil while every read succeeded).
    package private(set) var readFailure: String?
    /// Creates the temporary file: the unlinked one by default; tests hand in a file they can damage.
    private let createFile: () -> (fd: Int32, path: String)?
    /// The last block read from disk, so reads in (nearly) increasing order cost one `pread` per block.
    private var block: [UInt8] = []
    private var blockStart = 0
    private static let blockSize = 1 << 16

    package init(budget: Int, createFile: @escaping () -> (fd: Int32, path: String)? = SpillLog.unlinkedTemporaryFile) {
        self.budget = max(0, budget)
        self.createFile = createFile
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether anything went to disk (for tests and measurements).
    package var usedFile: Bool { fd >= 0 }

    /// Appends one record; returns its byte range in the log.
    @discardableResult
    package func append(_ record: [UInt8]) -> Range<Int> {
        let start = size
        memory.append(contentsOf: record)
        size += record.count
        if memory.count > budget { flush() }
        return start..<size
    }

    /// Appends one record made of `tag` and `body` without assembling it first (a cache hit's
    /// fact bytes); returns its byte range in the log.
    @discardableResult
    package func append(tag: UInt8, _ body: ArraySlice<UInt8>) -> Range<Int> {
        let start = size
        memory.append(tag)
        memory.append(contentsOf: body)
        size += 1 + body.count
        if memory.count > budget { flush() }
        return start..<size
    }

    private func flush() {
        guard !diskFailed else { return }
        if fd < 0, !diskFailed, let file = createFile() {
            fd = file.fd
            filePath = file.path
        }
        guard fd >= 0 else { diskFailed = true; return }
        guard FileDescriptorWriting.writeAll(memory, to: fd, at: off_t(memoryStart)) == nil else { diskFailed = true; return }
        memoryStart = size
        memory.removeAll(keepingCapacity: true)
    }

    /// What `withBytes` throws when the temporary file could not be read back (`readFailure` says why).
    package struct ReadFailure: Error {}

    /// Calls `body` with the bytes of `range` (one record, as `append` returned it); throws
    /// `ReadFailure` when the temporary file could not be read back. A throw, not an optional
    /// result: the fact column calls this generic over its rule's fact, and an optional of a type
    /// parameter looked up its metadata at run time for every record read.
    package func withBytes<T>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if range.lowerBound >= memoryStart {
            let lo = range.lowerBound - memoryStart
            return try memory.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lo..<(lo + range.count)])) }
        }
        if range.lowerBound < blockStart || range.upperBound > blockStart + block.count {
            let length = min(max(Self.blockSize, range.count), memoryStart - range.lowerBound)
            guard length >= range.count else { throw ReadFailure() }
            // Read into an unzeroed buffer: zeroing each block first, only to overwrite it, was
            // 0.4% of a cold run's instructions (the reduce reads its facts back block by block).
            var failure: String?
            block = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                guard let base = buffer.baseAddress else { failure = "no buffer"; return }
                var done = 0
                while done < length {
                    let n = pread(fd, base + done, length - done, off_t(range.lowerBound + done))
                    if n < 0, errno == EINTR { continue }
                    if n < 0 { failure = String(cString: strerror(errno)); return }
                    if n == 0 { failure = "the file ends at byte \(range.lowerBound + done) of \(memoryStart) written: it was truncated"; return }
                    done += n
                }
                initialized = length
            }
            blockStart = range.lowerBound
            if let failure {
                block = []
                readFailure = failure
                throw ReadFailure()
            }
        }
        let lo = range.lowerBound - blockStart
        return try block.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lo..<(lo + range.count)])) }
    }

    /// A temporary file unlinked at once: it disappears with the process however that ends; nil
    /// when it cannot be created.
    package static func unlinkedTemporaryFile() -> (fd: Int32, path: String)? {
        var template = Array((NSTemporaryDirectory() + "/newslint-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { p -> Int32 in
            guard let base = p.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { return nil }
        let path = template.withUnsafeBufferPointer { p -> String in
            guard let base = p.baseAddress else { return "" }
            _ = unlink(base)
            return String(cString: base)
        }
        return (fd, path)
    }
}

/// Returns memory the allocator holds free (in every thread's arena) to the system, so a phase
/// that allocates on one thread after a parallel one does not raise the peak on top of it.
/// (glibc's `malloc_trim`, looked up at run time: its header is not part of the Glibc module.)
package func releaseFreedMemory() {
    #if canImport(Glibc)
    typealias Trim = @convention(c) (Int) -> Int32
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
    #endif
}
