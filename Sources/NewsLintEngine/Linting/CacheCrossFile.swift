import Foundation
import NewsLintCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run's cross-file findings in a file of their own beside the cache (`<key>.cross-file`),
/// written after the reduce and read back as a stream into the ordered merge: a corpus of copies
/// reports on every file (59 MB of findings at 72k files), which neither a cold run (encoding
/// them) nor a warm run (decoding them) should hold.
///
/// The findings are stored in output order, so a warm run merges them as one sorted run as they
/// are read (`StoredCrossFileResult`) instead of sorting them into runs, encoding them and decoding
/// them again (a third of a warm run over a corpus of copies).
///
/// Layout: magic, cache key (u64), digest of the run's facts (u64), number of files the run
/// checked (u64; a hint, not checksummed: a run over another number of files cannot have the same
/// digest, so its result is not even verified); chunks of whole findings, each
/// its length (u32, never 0), checksum (u64: SipHash-1-3 under the directory's secret, bound to the
/// key, the digest and the chunk's number) and findings (path, then the diagnostic as a blob; their
/// texts numbered as `CrossFileTexts` writes them, one table across the chunks);
/// then a u32 0, the finding count, the chunk count and their checksum. A warm run verifies every
/// chunk before it replays any, so a damaged or truncated file is ignored whole and the run
/// reduces again.
package enum CrossFileResultFile {
    /// Version 2: findings in output order (version 1 kept the reduce's order); 3: SipHash-1-3
    /// checksums; 4: texts as numbered pieces (`CrossFileTexts`).
    package static let magic: [UInt8] = Array("NLCROSS4".utf8)
    package static let headerSize = 32
    package static let chunkHeaderSize = 12
    package static let trailerSize = 4 + 24
    /// Larger chunks are not written (one finding is far smaller): a damaged length cannot ask for more.
    package static let maxChunk = 1 << 28
    package static let chunkSize = 1 << 20

    package static func checksum(_ bytes: UnsafeRawBufferPointer, chunk: UInt64, key: UInt64, digest: UInt64, macKey: (UInt64, UInt64)) -> UInt64 {
        SipHash13.hash(bytes, key: macKey.0 ^ key ^ (chunk &* 0x9E37_79B9_7F4A_7C15), macKey.1 &+ digest)
    }

    package static func header(key: UInt64, digest: UInt64, fileCount: Int) -> [UInt8] {
        var w = ByteWriter(bytes: magic)
        w.u64(key)
        w.u64(digest)
        w.u64(UInt64(fileCount))
        return w.bytes
    }

    /// A chunk as written: length, checksum, findings.
    package static func chunk(_ findings: [UInt8], number: UInt64, key: UInt64, digest: UInt64, macKey: (UInt64, UInt64)) -> [UInt8] {
        var head = ByteWriter()
        let length = UInt32(findings.count)
        for k in 0..<4 { head.byte(UInt8(truncatingIfNeeded: length >> (8 * UInt32(k)))) }
        head.u64(findings.withUnsafeBytes { checksum($0, chunk: number, key: key, digest: digest, macKey: macKey) })
        head.bytes.append(contentsOf: findings)
        return head.bytes
    }

    package static func trailer(count: Int, chunks: UInt64, key: UInt64, digest: UInt64, macKey: (UInt64, UInt64)) -> [UInt8] {
        var w = ByteWriter(bytes: [0, 0, 0, 0])
        w.u64(UInt64(count))
        w.u64(chunks)
        let sum = w.bytes.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[4...]), chunk: UInt64.max, key: key, digest: digest, macKey: macKey) }
        w.u64(sum)
        return w.bytes
    }

    /// The stored result at `path` when the file is whole, verifies and was written for `key` and
    /// `digest`; nil otherwise. Every chunk's checksum and every finding's framing are checked
    /// here, before anything is merged, so a result that cannot be read whole is reduced again
    /// instead of half replayed.
    /// `framedBatchSize`: see `StoredCrossFileResult.framed()` (tests take fewer).
    package static func open(_ path: String, key: UInt64, digest: UInt64, macKey: (UInt64, UInt64),
                             knownStrings: KnownStrings, framedBatchSize: Int = CrossFileBatch.size) -> StoredCrossFileResult? {
        guard let file = openFile(path) else { return nil }
        var reader = ChunkReader(fd: file.fd, size: file.size)
        guard let found = verify(&reader, key: key, macKey: macKey), found.digest == digest else { close(file.fd); return nil }
        return StoredCrossFileResult(file, count: found.count, knownStrings: knownStrings, framedBatchSize: framedBatchSize)
    }

    /// The digest and file count in the header `reader` reads when the file is a result for
    /// `key`; nil otherwise.
    fileprivate static func header(_ reader: inout ChunkReader, key: UInt64) -> (digest: UInt64, fileCount: UInt64)? {
        guard let head = reader.read(headerSize), head.starts(with: magic) else { return nil }
        var h = ByteReader(head, range: magic.count..<headerSize)
        guard h.u64() == key, let digest = h.u64(), let files = h.u64() else { return nil }
        return (digest, files)
    }

    /// A descriptor, the size and the stamp of the regular file at `path`; nil when there is none.
    fileprivate static func openFile(_ path: String) -> OpenedFile? {
        // O_NONBLOCK: a FIFO at the path must not hang the run; only a regular file is read.
        let fd = SystemPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, let stamp = FileStamp(st) else { close(fd); return nil }
        return OpenedFile(fd: fd, size: off_t(st.st_size), stamp: stamp, openedAt: Int64(time(nil)))
    }

    /// A result file as opened, before it is verified.
    fileprivate struct OpenedFile {
        let fd: Int32
        let size: off_t
        /// Its stamp then, and the time (seconds): see `StoredCrossFileResult.unchanged`.
        let stamp: FileStamp
        let openedAt: Int64
    }

    /// The digest the file `reader` reads was written for and its number of findings, when it
    /// verifies under that digest (see `open`); nil otherwise. (The findings are decoded once, as
    /// they are merged: decoding them here too was a third of a warm run over a corpus of copies.)
    fileprivate static func verify(_ reader: inout ChunkReader, key: UInt64, macKey: (UInt64, UInt64),
                                   stop: () -> Bool = { false }) -> (digest: UInt64, count: Int)? {
        guard let digest = header(&reader, key: key)?.digest else { return nil }
        var chunks: UInt64 = 0
        var count = 0
        var texts = CrossFileTexts.Counter()
        while true {
            guard !stop(), let next = reader.nextChunk() else { return nil }
            guard case let .chunk(stored, chunk) = next else { break }
            let sum = chunk.withUnsafeBytes { checksum($0, chunk: chunks, key: key, digest: digest, macKey: macKey) }
            guard stored == sum, let n = frame(chunk, texts: &texts) else { return nil }
            count += n
            chunks += 1
        }
        guard let tail = reader.read(24), reader.read(1) == nil else { return nil }
        var t = ByteReader(tail, range: 0..<24)
        guard t.u64() == UInt64(count), t.u64() == chunks, let sum = t.u64(),
              sum == tail.withUnsafeBytes({ checksum(UnsafeRawBufferPointer(rebasing: $0[0..<16]), chunk: UInt64.max, key: key, digest: digest, macKey: macKey) })
        else { return nil }
        return (digest, count)
    }

    /// The number of findings in a chunk when each is framed as `decode` reads it (path, then the
    /// diagnostic as a blob of exactly its length, every text referring only to pieces before it);
    /// nil otherwise. Builds no string. `texts`: the pieces of the chunks before.
    private static func frame(_ chunk: [UInt8], texts: inout CrossFileTexts.Counter) -> Int? {
        var r = ByteReader(chunk, range: 0..<chunk.count)
        var n = 0
        while !r.atEnd {
            guard texts.skip(&r), let length = r.int() else { return nil }
            let start = r.position
            guard r.skipDiagnostic(text: { texts.skip(&$0) }, replacement: { $0.skipString() }), r.position == start + length else { return nil }
            n += 1
        }
        return n
    }

    /// Decodes a chunk's findings onto the end of `batch`; the number of findings, or nil when the
    /// chunk does not decode whole. (Handed to a closure that appended them, each finding was
    /// borrowed and so copied into the batch: a retain of each of its strings, released with it.)
    /// `texts`: the pieces of the chunks before; `strings`: shares fix replacements.
    fileprivate static func decode(_ chunk: [UInt8], texts: CrossFileTexts.Reader, strings: inout RecentStrings,
                                   into batch: inout [Diagnostic]) -> Int? {
        var r = ByteReader(chunk, range: 0..<chunk.count)
        var n = 0
        while !r.atEnd {
            guard let path = texts.text(&r), let length = r.int() else { return nil }
            let start = r.position
            guard let d = r.diagnostic(path: path, recent: &strings, text: { r, _ in texts.text(&r) }),
                  r.position == start + length else { return nil }
            batch.append(consume d)
            n += 1
        }
        return n
    }

    /// Reads a file in order through `pread`.
    fileprivate struct ChunkReader {
        let fd: Int32
        /// The file's size when opened: a damaged length field asks for no more than is there.
        let size: off_t
        var offset: off_t = 0
        /// The storage of the last chunk read, read into again for the next one. A new array per
        /// chunk (1 MB) was fresh memory each time: a page fault and a zeroed page per 4 KB, for the
        /// 54 MB a warm run over agora ×10 reads twice (verified, then decoded). Reused only when the
        /// caller has let go of the previous chunk (else the array is copied on write, as before).
        private var spare: [UInt8] = []

        init(fd: Int32, size: off_t, offset: off_t = 0) {
            self.fd = fd
            self.size = size
            self.offset = offset
        }

        /// Exactly `n` bytes, or nil at the end of the file or on an error.
        mutating func read(_ n: Int) -> [UInt8]? {
            guard n >= 0, off_t(n) <= size - offset, let out = FileDescriptorReading.read(n, from: fd, at: offset) else { return nil }
            offset += off_t(n)
            return out
        }

        /// `read(n)` into the storage of the previous chunk.
        private mutating func readChunk(_ n: Int) -> [UInt8]? {
            guard n >= 0, off_t(n) <= size - offset else { return nil }
            var out: [UInt8] = []
            swap(&out, &spare)
            if out.count > n {
                out.removeLast(out.count - n)
            } else if out.count < n {
                out.append(contentsOf: repeatElement(0, count: n - out.count))
            }
            let at = offset
            guard out.withUnsafeMutableBytes({ FileDescriptorReading.readAll(into: $0, from: fd, at: at) }) == nil else { return nil }
            offset += off_t(n)
            spare = out
            return out
        }

        enum Next {
            case chunk(storedChecksum: UInt64, bytes: [UInt8])
            /// The zero length that closes the chunks.
            case end
        }

        /// The next chunk's stored checksum and bytes, or the end of the chunks; nil when the
        /// framing is damaged (a length past `maxChunk` or the file's end).
        mutating func nextChunk() -> Next? {
            guard let lengthBytes = read(4) else { return nil }
            let length = Int(lengthBytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
            if length == 0 { return .end }
            guard length <= CrossFileResultFile.maxChunk, let sumBytes = read(8), let bytes = readChunk(length) else { return nil }
            return .chunk(storedChecksum: sumBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }, bytes: bytes)
        }
    }
}

/// A stored result verified on a thread of its own while the pass runs (reading and checking 50 MB
/// at the end of a warm run kept both cores waiting); the run's digest, known only once every file
/// is delivered, then decides whether it answers. A result for another number of files is not
/// verified, and one for other facts (its header says which) is not waited for.
package final class PendingCrossFileResult: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let file: CrossFileResultFile.OpenedFile
    /// The digest of the facts the stored result was computed from.
    private let storedDigest: UInt64
    private let stopped = Locked(false)
    /// Written by the verifying thread before `done` is signalled.
    private var verified: (digest: UInt64, count: Int)?
    private var handedOver = false

    package init?(path: String, key: UInt64, macKey: (UInt64, UInt64), fileCount: Int) {
        guard let file = CrossFileResultFile.openFile(path) else { return nil }
        var reader = CrossFileResultFile.ChunkReader(fd: file.fd, size: file.size)
        guard let header = CrossFileResultFile.header(&reader, key: key), header.fileCount == UInt64(fileCount) else {
            close(file.fd)
            return nil
        }
        self.file = file
        storedDigest = header.digest
        Thread { [self] in
            var reader = CrossFileResultFile.ChunkReader(fd: file.fd, size: file.size)
            verified = CrossFileResultFile.verify(&reader, key: key, macKey: macKey, stop: { self.stopped.withLock { $0 } })
            done.signal()
        }.start()
    }

    /// The run does not ask for the result: its verification stops.
    package func abandon() { stopped.withLock { $0 = true } }

    /// The result when it was written for `digest` and verifies (waiting for the verification);
    /// nil otherwise. At most once.
    package func result(digest: UInt64, knownStrings: KnownStrings) -> StoredCrossFileResult? {
        guard digest == storedDigest else {
            stopped.withLock { $0 = true }
            return nil
        }
        done.wait()
        done.signal()
        guard !handedOver, let verified, verified.digest == digest else { return nil }
        handedOver = true
        return StoredCrossFileResult(file, count: verified.count, knownStrings: knownStrings)
    }

    deinit {
        // The thread holds `self` until it signals, so it has finished here.
        if !handedOver { close(file.fd) }
    }
}

/// A verified stored result (`CrossFileResultFile.open`), merged as one sorted run: each pass
/// reads it chunk by chunk from the start and decodes each finding once.
package final class StoredCrossFileResult: SortedDiagnosticSource, @unchecked Sendable {
    private let fd: Int32
    private let size: off_t
    package let count: Int
    private let knownStrings: KnownStrings
    /// The file's stamp when it was opened, before it was verified; nil when it had changed too
    /// lately for its stamp to show a later write (`FileStamp.isSettled`).
    private let verifiedStamp: FileStamp?
    /// Findings a framed batch holds before it ends at a path (`framed()`; tests take fewer).
    private let framedBatchSize: Int

    fileprivate init(_ file: CrossFileResultFile.OpenedFile, count: Int, knownStrings: KnownStrings,
                     framedBatchSize: Int = CrossFileBatch.size) {
        self.framedBatchSize = framedBatchSize
        fd = file.fd
        size = file.size
        self.count = count
        self.knownStrings = knownStrings
        verifiedStamp = file.stamp.isSettled(now: file.openedAt) ? file.stamp : nil
    }

    deinit { close(fd) }

    /// Whether the file still holds the bytes that were verified: its stamp is the one it had
    /// before verification, which was settled then. Any write since would have moved its change
    /// time (`st_ctim`, which no program sets back) to a later clock tick. Asked after a chunk
    /// is read, so the chunk read is one the checksums covered.
    private func unchanged() -> Bool {
        guard let verifiedStamp else { return false }
        var st = stat()
        guard fstat(fd, &st) == 0, let now = FileStamp(st) else { return false }
        return now == verifiedStamp
    }

    /// Chunks are decoded on a thread of their own, a bounded way ahead of the merge (which is
    /// serial with the output); the thread stops when the returned reader is released.
    package func batches() -> () -> SortedBatch {
        let queue = PrefetchQueue<[Diagnostic]>()
        // `strings` and `previousCount` are captured (boxed) by `chunk` below, which only the
        // reading thread calls, one chunk after another: no other thread touches them.
        var strings = RecentStrings(pinned: knownStrings)
        // Findings in the chunk before: chunks are of a size, so each batch is reserved at
        // about its count (grown from empty, each was copied ~12 times on the way to ~5,000).
        var previousCount = 0
        readChunks(queue) { chunk, texts in
            var batch: [Diagnostic] = []
            if previousCount > 0 { batch.reserveCapacity(previousCount + previousCount / 8) }
            guard CrossFileResultFile.decode(chunk, texts: texts, strings: &strings, into: &batch) != nil else { return false }
            previousCount = batch.count
            return queue.push(batch)
        }
        let consumer = PrefetchConsumer(queue)
        return {
            guard let batch = consumer.queue.pop() else { return consumer.queue.complete ? .end : .failed }
            return .batch(batch)
        }
    }

    /// The findings framed instead (`CrossFileBatch`), on a thread of their own the same way.
    package func framed() -> StoredCrossFileCursor {
        let queue = PrefetchQueue<CrossFileBatch>()
        // Not `Sendable`: only the reading thread uses it (`chunk` and `finish`, one after another).
        // Its first batch's texts are reserved at no more than the file's size (a small result's
        // texts are small; a large one's batches are sized from the batch before).
        let builder = CrossFileBatchBuilder(size: framedBatchSize, textBytes: min(1 << 20, Int(size)))
        // At the end, or where the stream fails, the findings framed from whole chunks go on
        // (the decoded route hands on every chunk before the one that fails).
        readChunks(queue, finish: { !builder.batch.findings.isEmpty ? queue.push(builder.batch) : true }) { chunk, texts in
            builder.frame(chunk, texts: texts) { queue.push($0) }
        }
        let consumer = PrefetchConsumer(queue)
        return StoredCrossFileCursor(next: { consumer.queue.pop() }, complete: { consumer.queue.complete })
    }

    /// Reads the chunks in order on a thread of its own, handing each to `chunk` with the texts
    /// read so far; `finish` hands on what is held, at the end and where the stream fails. Closes
    /// `queue` complete at the end; incomplete when a chunk cannot be read or `chunk` fails (a
    /// chunk that does not read whole, or a push refused because the consumer has gone); and not
    /// at all when `finish`'s push at the end is refused (the consumer has gone and reads no more).
    private func readChunks<Batch>(_ queue: PrefetchQueue<Batch>, finish: @escaping () -> Bool = { true },
                                   _ chunk: @escaping ([UInt8], CrossFileTexts.Reader) -> Bool) {
        let handOn = UncheckedChunkHandler(chunk: chunk, finish: finish)
        Thread { [self] in
            var reader = CrossFileResultFile.ChunkReader(fd: fd, size: size, offset: off_t(CrossFileResultFile.headerSize))
            let texts = CrossFileTexts.Reader(knownStrings: knownStrings)
            while true {
                // Verified when opened: this fails only if the file changed under the run.
                guard let next = reader.nextChunk() else {
                    _ = handOn.finish()
                    return queue.close(complete: false)
                }
                guard case let .chunk(_, bytes) = next else {
                    guard handOn.finish() else { return }
                    return queue.close(complete: true)
                }
                // The writer wrote only `String`s' UTF-8 (valid by construction) and the chunk
                // passed its keyed checksum, so when the file is unchanged since, its strings
                // need no validation (a third of decoding a corpus of copies' results, whose
                // messages list paths); otherwise each is validated as before, and so is every text
                // after it (a piece this chunk spelled out may be read whole later).
                texts.trust(unchanged())
                guard handOn.chunk(bytes, texts) else {
                    // A push refused (the consumer has gone) or a chunk that does not read whole.
                    _ = handOn.finish()
                    return queue.close(complete: false)
                }
            }
        }.start()
    }

    /// Every finding, in order; false when the file could not be read whole.
    package func forEach(_ body: (Diagnostic) -> Void) -> Bool {
        let next = batches()
        while true {
            switch next() {
            case let .batch(b): b.forEach(body)
            case .end: return true
            case .failed: return false
            }
        }
    }
}

/// What `readChunks` hands its thread (used there alone). Unchecked because the closures capture
/// state that is not `Sendable` (`framed()`'s builder, `batches()`'s strings): sound since only
/// that thread calls them, and the caller keeps no other use of what they capture.
private struct UncheckedChunkHandler: @unchecked Sendable {
    let chunk: ([UInt8], CrossFileTexts.Reader) -> Bool
    let finish: () -> Bool
}

/// Passes cross-file findings on as the reduce reports them and keeps them, as sorted runs, for
/// the cache; the cache's save writes them in output order into `<key>.cross-file` when the
/// reduce read all its facts back (`LintCache.keepCrossFile`).
package final class CrossFileResultRecorder: DiagnosticReceiver, @unchecked Sendable {
    private let next: (any DiagnosticReceiver)?
    package let digest: UInt64
    private let fileCount: Int
    private let key: UInt64
    private let macKey: (UInt64, UInt64)
    /// Sorted as they come, spilled to an unlinked temporary file past a budget: the reduce
    /// reports in rule order, the file keeps output order.
    private let sorted = DiagnosticRuns()
    /// Why the paths deferred findings name could not be read back (nil: they were). Checked after
    /// they are made for the file: a finding naming `<path N lost …>` would otherwise be sealed with
    /// a valid checksum and replayed by every warm run.
    private let pathsLost: @Sendable () -> String?

    package init(forwardingTo next: (any DiagnosticReceiver)?, digest: UInt64, fileCount: Int, key: UInt64, macKey: (UInt64, UInt64),
                 pathsLost: @escaping @Sendable () -> String?) {
        self.next = next
        self.digest = digest
        self.fileCount = fileCount
        self.key = key
        self.macKey = macKey
        self.pathsLost = pathsLost
    }

    package func add(_ d: Diagnostic) {
        next?.add(d)
        sorted.add(d)
    }

    /// Deferred here too: the recipe is read again when the file is written, so the messages are
    /// not made twice nor put through the sorted runs' temporary file for the cache (when they come
    /// in output order; otherwise `DiagnosticRuns.add(deferred:)` makes them at once).
    package func add(deferred findings: DeferredFindings) {
        next?.add(deferred: findings)
        sorted.add(deferred: findings)
    }

    /// Writes the complete file (`path`, for errors) through `out`: header, chunks in output order, trailer.
    package func write(_ path: String, to out: ([UInt8]) throws -> Void) throws {
        try out(CrossFileResultFile.header(key: key, digest: digest, fileCount: fileCount))
        var chunk = ByteWriter(), one = ByteWriter()
        var texts = CrossFileTexts.Writer()
        var chunks: UInt64 = 0, count = 0
        var failure: (any Error)?
        func seal() {
            guard failure == nil, !chunk.bytes.isEmpty else { return }
            do {
                guard chunk.bytes.count <= CrossFileResultFile.maxChunk else {
                    throw CacheWriteError(path: path, message: "a cross-file finding too large for the cache")
                }
                try out(CrossFileResultFile.chunk(chunk.bytes, number: chunks, key: key, digest: digest, macKey: macKey))
            } catch { failure = error }
            chunks += 1
            chunk.bytes.removeAll(keepingCapacity: true)
        }
        let complete = sorted.forEach { d in
            guard failure == nil else { return }
            one.bytes.removeAll(keepingCapacity: true)
            // The path before the diagnostic's texts: the reader meets the pieces in this order.
            texts.write(d.path, to: &chunk)
            one.diagnostic(d) { texts.write($1, to: &$0) }
            chunk.blob(one.bytes)
            count += 1
            if chunk.bytes.count >= CrossFileResultFile.chunkSize { seal() }
        }
        seal()
        if let failure { throw failure }
        guard complete else { throw CacheWriteError(path: path, message: "the cross-file findings could not be read back from the temporary directory") }
        if let reason = pathsLost() { throw CacheWriteError(path: path, message: "the cross-file findings name files whose paths were lost (\(reason))") }
        try out(CrossFileResultFile.trailer(count: count, chunks: chunks, key: key, digest: digest, macKey: macKey))
    }
}
