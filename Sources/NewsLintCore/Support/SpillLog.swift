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
    private var memory = TextBuffer(capacity: 64)
    private var memoryStart = 0
    private var fd: Int32 = -1
    private var diskFailed = false
    /// Where the temporary file was created (it is unlinked at once), for messages.
    package private(set) var filePath: String?
    /// Why the last failed read of the temporary file failed (nil while every read succeeded).
    package private(set) var readFailure: String?
    /// Creates the temporary file: the unlinked one by default; tests hand in a file they can damage.
    private let createFile: () -> (fd: Int32, path: String)?
    /// The last block read from disk, so reads in (nearly) increasing order cost one `pread` per
    /// block. `memory` and `block` are buffers of the log's own, not arrays: a record read
    /// in place from an array property retained and released its buffer (the reduce reads every
    /// fact record once or twice), and each block read allocated a new array.
    private var block = TextBuffer(capacity: 1)
    private var blockStart = 0
    private static let blockSize = 1 << 16
    /// Whether a `withBytes` body is running: its bytes are `memory` or `block` in place, which a
    /// read of another record would move (a block read over them, or a grown block freeing them).
    private var reading = false

    package init(budget: Int, createFile: @escaping () -> (fd: Int32, path: String)? = SpillLog.unlinkedTemporaryFile) {
        self.budget = max(0, budget)
        self.createFile = createFile
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Whether anything went to disk (for tests and measurements).
    package var usedFile: Bool { fd >= 0 }

    /// Appends one record; returns its byte range in the log.
    @discardableResult
    package func append(_ record: [UInt8]) -> Range<Int> {
        record.withUnsafeBytes { append($0) }
    }

    /// Appends one record from a buffer; returns its byte range in the log.
    @discardableResult @inline(__always)
    package func append(_ record: UnsafeRawBufferPointer) -> Range<Int> {
        assert(!reading, "a spill log appended to while a record's body runs")
        let start = size
        memory.append(record)
        size += record.count
        if memory.count > budget { flush() }
        return start..<size
    }

    /// Appends one record made of `tag` and `body` without assembling it first (a cache hit's
    /// fact bytes); returns its byte range in the log.
    @discardableResult
    package func append(tag: UInt8, _ body: ArraySlice<UInt8>) -> Range<Int> {
        body.withUnsafeBytes { append(tag: tag, $0) }
    }

    /// `append(tag:_:)` from a buffer.
    @discardableResult
    package func append(tag: UInt8, _ body: UnsafeRawBufferPointer) -> Range<Int> {
        assert(!reading, "a spill log appended to while a record's body runs")
        let start = size
        memory.append(tag: tag, body)
        size += 1 + body.count
        if memory.count > budget { flush() }
        return start..<size
    }

    /// Forgets every record and gives back the memory and the temporary file (a reduce is done
    /// with its facts); the log can be appended to again, from byte 0, as a new one: the old
    /// file's path and read failure go with it (the failure of a column's reduce is kept by its
    /// `SpillRecords`, which made its message from them before).
    package func removeAll() {
        precondition(!reading, "a spill log emptied while a record's body runs")
        if fd >= 0 { close(fd) }
        fd = -1
        diskFailed = false
        filePath = nil
        readFailure = nil
        size = 0
        memoryStart = 0
        blockStart = 0
        memory = TextBuffer(capacity: 64)
        block = TextBuffer(capacity: 1)
    }

    private func flush() {
        guard !diskFailed else { return }
        if fd < 0, !diskFailed, let file = createFile() {
            fd = file.fd
            filePath = file.path
        }
        guard fd >= 0 else { diskFailed = true; return }
        guard FileDescriptorWriting.writeAll(memory.rawBytes, to: fd, at: off_t(memoryStart)) == nil else { diskFailed = true; return }
        memoryStart = size
        memory.removeAll()
    }

    /// What `withBytes` throws when the temporary file could not be read back (`readFailure` says why).
    package struct ReadFailure: Error {}

    /// Calls `body` with the bytes of `range` (one record, as `append` returned it); throws
    /// `ReadFailure` when the temporary file could not be read back. A throw, not an optional
    /// result: the fact column calls this generic over its rule's fact, and an optional of a type
    /// parameter looked up its metadata at run time for every record read.
    /// The body must not read another record of this log (nor append): its bytes are the log's
    /// memory or last block in place, which that read could overwrite or free. A nested read traps.
    package func withBytes<T>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        precondition(!reading, "a record of a spill log read while another one's body runs")
        reading = true
        defer { reading = false }
        if range.lowerBound >= memoryStart {
            return try body(memory.bytes(from: range.lowerBound - memoryStart, count: range.count))
        }
        if range.lowerBound < blockStart || range.upperBound > blockStart + block.count {
            let length = min(max(Self.blockSize, range.count), memoryStart - range.lowerBound)
            guard length >= range.count else { throw ReadFailure() }
            // Read into the unzeroed block of the last read (zeroing each block first, only to
            // overwrite it, was 0.4% of a cold run's instructions).
            block.removeAll()
            blockStart = range.lowerBound
            block.reserve(length)
            var failure: String?
            var done = 0
            while done < length {
                let n = pread(fd, block.base + done, length - done, off_t(range.lowerBound + done))
                if n < 0, errno == EINTR { continue }
                if n < 0 { failure = String(cString: strerror(errno)); break }
                if n == 0 { failure = "the file ends at byte \(range.lowerBound + done) of \(memoryStart) written: it was truncated"; break }
                done += n
            }
            if failure == nil { block.extend(by: length) }
            if let failure {
                readFailure = failure
                throw ReadFailure()
            }
        }
        return try body(block.bytes(from: range.lowerBound - blockStart, count: range.count))
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

/// Numbered records in a `SpillLog` (record i is the i-th appended), read back by number in place:
/// a fact column's storage, which the reduce's `FactTable` reads directly. The table, the column
/// and the log called each other through a closure each: three retain/release pairs and ~330
/// instructions a record read, for every fact of every file.
/// `@unchecked Sendable` as `SpillLog` is: used from one thread at a time (the engine's delivery
/// appends, then one reduce reads), never concurrently; `none` is never appended to or read.
package final class SpillRecords: @unchecked Sendable {
    /// The log of the records' bytes. `let`: a `var` was retained and released around every call.
    package let log: SpillLog
    /// Record i is `end(i - 1)..<end(i)` of the log (`end(-1)` = 0): `ends` holds the low 32 bits,
    /// `endWraps` the records from which the high part is one more (empty below 4 GB of records).
    private var ends: [UInt32] = []
    private var endWraps: [Int] = []
    /// Set by the records' owner when one could not be read back (with what to do): reads in place
    /// (`withRecord`) then stop. It survives `removeAll` on purpose: a fact column's reduce ends
    /// with `removeAll` and its caller then asks whether the facts read back
    /// (`TypedFactColumn.finish`, `readFailure`).
    package private(set) var readFailure: String?

    package init(log: SpillLog) { self.log = log }

    /// No records, never appended to: what a table of facts held as values holds in their place.
    package static let none = SpillRecords(log: SpillLog(budget: 0))

    package var count: Int { ends.count }

    /// Notes that a record could not be read back (`failure`: what happened and what to do); reads
    /// in place stop from then on.
    package func noteReadFailure(_ failure: String) { readFailure = failure }

    /// Appends one record.
    @inline(__always)
    package func append(_ record: UnsafeRawBufferPointer) { noteEnd(log.append(record).upperBound) }

    /// Appends one record made of `tag` and `body`.
    package func append(tag: UInt8, _ body: UnsafeRawBufferPointer) { noteEnd(log.append(tag: tag, body).upperBound) }

    @inline(__always)
    private func noteEnd(_ end: Int) {
        while end >> 32 > endWraps.count { endWraps.append(ends.count) }
        ends.append(UInt32(truncatingIfNeeded: end))
    }

    /// Where record `i` ends in the log.
    @inline(__always)
    private func end(_ i: Int) -> Int {
        guard !endWraps.isEmpty else { return Int(ends[i]) }
        return endWraps.reduce(0) { $0 + ($1 <= i ? 1 : 0) } << 32 | Int(ends[i])
    }

    /// Record `i`'s byte range in the log.
    @inline(__always)
    package func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : end(i - 1))..<end(i) }

    /// Calls `body` with record `i`'s bytes after its first, when that byte is `tag` and the record
    /// reads back; false otherwise, when `body` threw, or once `readFailure` is set.
    /// The body must not read another record of these records (the bytes are in place: see
    /// `SpillLog.withBytes`, which traps on such a read).
    package func withRecord(_ i: Int, tag: UInt8, _ body: (UnsafeRawBufferPointer) throws -> Void) -> Bool {
        guard readFailure == nil else { return false }
        do {
            return try log.withBytes(range(i)) { raw -> Bool in
                guard raw.first == tag else { return false }
                try body(UnsafeRawBufferPointer(rebasing: raw[1...]))
                return true
            }
        } catch {
            return false
        }
    }

    /// Forgets every record (a reduce is done with them) and gives back their memory and file;
    /// `readFailure` stays (see there).
    package func removeAll() {
        ends = []
        endWraps = []
        log.removeAll()
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
