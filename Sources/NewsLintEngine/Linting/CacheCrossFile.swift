import Foundation
import NewsLintCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run's cross-file findings in a file of their own beside the cache (`<key>.cross-file`),
/// written as the reduce reports them and read back as a stream into the ordered merge: a corpus
/// of copies reports on every file (59 MB of findings at 72k files), which neither a cold run
/// (encoding them) nor a warm run (decoding them) should hold.
///
/// Layout: magic, cache key (u64), digest of the run's facts (u64); chunks of whole findings, each
/// its length (u32, never 0), checksum (u64: SipHash-2-4 under the directory's secret, bound to the
/// key, the digest and the chunk's number) and findings (path, then the diagnostic as a blob);
/// then a u32 0, the finding count, the chunk count and their checksum. A warm run verifies every
/// chunk before it replays any, so a damaged or truncated file is ignored whole and the run
/// reduces again.
package enum CrossFileResultFile {
    package static let magic: [UInt8] = Array("NLCROSS1".utf8)
    package static let headerSize = 24
    package static let chunkHeaderSize = 12
    package static let trailerSize = 4 + 24
    /// Larger chunks are not written (one finding is far smaller): a damaged length cannot ask for more.
    package static let maxChunk = 1 << 28
    package static let chunkSize = 1 << 20

    package static func checksum(_ bytes: UnsafeRawBufferPointer, chunk: UInt64, key: UInt64, digest: UInt64, macKey: (UInt64, UInt64)) -> UInt64 {
        SipHash24.hash(bytes, key: macKey.0 ^ key ^ (chunk &* 0x9E37_79B9_7F4A_7C15), macKey.1 &+ digest)
    }

    package static func header(key: UInt64, digest: UInt64) -> [UInt8] {
        var w = ByteWriter(bytes: magic)
        w.u64(key)
        w.u64(digest)
        return w.bytes
    }

    package static func trailer(count: Int, chunks: UInt64, key: UInt64, digest: UInt64, macKey: (UInt64, UInt64)) -> [UInt8] {
        var w = ByteWriter(bytes: [0, 0, 0, 0])
        w.u64(UInt64(count))
        w.u64(chunks)
        let sum = w.bytes.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[4...]), chunk: UInt64.max, key: key, digest: digest, macKey: macKey) }
        w.u64(sum)
        return w.bytes
    }

    /// Replays the findings of `path` to `emit` when the file is whole, verifies and was written for
    /// `key` and `digest`; false (and nothing emitted) otherwise.
    package static func replay(_ path: String, key: UInt64, digest: UInt64, macKey: (UInt64, UInt64),
                               knownStrings: KnownStrings, emit: (Diagnostic) -> Void) -> Bool {
        // O_NONBLOCK: a FIFO at the path must not hang the run; only a regular file is read.
        let fd = SystemPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        var reader = ChunkReader(fd: fd, size: off_t(st.st_size))
        guard let head = reader.read(headerSize), head.starts(with: magic) else { return false }
        var h = ByteReader(head, range: magic.count..<headerSize)
        guard h.u64() == key, h.u64() == digest else { return false }
        // First pass: every chunk's checksum, every finding's framing and the trailer; nothing is
        // emitted yet, so a result that cannot be read whole is reduced again instead of half
        // replayed. (The findings are decoded once, by the second pass: decoding them here too
        // was a third of a warm run over a corpus of copies, whose findings are mostly cross-file.)
        var chunks: UInt64 = 0
        var count = 0
        while true {
            guard let next = reader.nextChunk() else { return false }
            guard case let .chunk(stored, chunk) = next else { break }
            let sum = chunk.withUnsafeBytes { checksum($0, chunk: chunks, key: key, digest: digest, macKey: macKey) }
            guard stored == sum, let n = frame(chunk) else { return false }
            count += n
            chunks += 1
        }
        guard let tail = reader.read(24), reader.read(1) == nil else { return false }
        var t = ByteReader(tail, range: 0..<24)
        guard t.u64() == UInt64(count), t.u64() == chunks, let sum = t.u64(),
              sum == tail.withUnsafeBytes({ checksum(UnsafeRawBufferPointer(rebasing: $0[0..<16]), chunk: UInt64.max, key: key, digest: digest, macKey: macKey) })
        else { return false }
        // Second pass: the findings, chunk by chunk.
        reader.rewind(to: headerSize)
        var strings = RecentStrings(pinned: knownStrings)
        for _ in 0..<chunks {
            // Verified and framed by the first pass: this cannot fail unless the file changed under the
            // run (or held text that is not UTF-8 under a valid checksum, which only the key's holder could write).
            guard case let .chunk(_, chunk)? = reader.nextChunk() else { return true }
            _ = decode(chunk, strings: &strings, emit: emit)
        }
        return true
    }

    /// The number of findings in a chunk when each is framed as `decode` reads it (path, then the
    /// diagnostic as a blob of exactly its length); nil otherwise. Builds no string.
    private static func frame(_ chunk: [UInt8]) -> Int? {
        var r = ByteReader(chunk, range: 0..<chunk.count)
        var n = 0
        while !r.atEnd {
            guard let pathLength = r.int(), r.skip(pathLength) != nil, let length = r.int() else { return nil }
            let start = r.position
            guard r.skipDiagnostic(), r.position == start + length else { return nil }
            n += 1
        }
        return n
    }

    /// Decodes a chunk's findings, passing each to `emit`; the number of findings, or nil when the
    /// chunk does not decode whole.
    private static func decode(_ chunk: [UInt8], strings: inout RecentStrings, emit: (Diagnostic) -> Void) -> Int? {
        var r = ByteReader(chunk, range: 0..<chunk.count)
        var n = 0
        while !r.atEnd {
            guard let path = r.string(&strings), let length = r.int() else { return nil }
            let start = r.position
            guard let d = r.diagnostic(path: path, strings: &strings), r.position == start + length else { return nil }
            emit(d)
            n += 1
        }
        return n
    }

    /// Reads a file in order through `pread`.
    private struct ChunkReader {
        let fd: Int32
        /// The file's size when opened: a damaged length field asks for no more than is there.
        let size: off_t
        var offset: off_t = 0

        /// Exactly `n` bytes, or nil at the end of the file or on an error.
        mutating func read(_ n: Int) -> [UInt8]? {
            guard n >= 0, off_t(n) <= size - offset, let out = FileDescriptorReading.read(n, from: fd, at: offset) else { return nil }
            offset += off_t(n)
            return out
        }

        mutating func rewind(to position: Int) { offset = off_t(position) }

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
            guard length <= CrossFileResultFile.maxChunk, let sumBytes = read(8), let bytes = read(length) else { return nil }
            return .chunk(storedChecksum: sumBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }, bytes: bytes)
        }
    }
}

/// Passes cross-file findings on as the reduce reports them and writes them, chunk by chunk, to
/// an unlinked temporary file in the cache directory; the cache's save copies them into
/// `<key>.cross-file` when the reduce read all its facts back (`LintCache.keepCrossFile`).
package final class CrossFileResultRecorder: DiagnosticReceiver, @unchecked Sendable {
    private let next: (any DiagnosticReceiver)?
    package let digest: UInt64
    private let key: UInt64
    private let macKey: (UInt64, UInt64)
    private let temporaryPath: String
    package private(set) var count = 0
    package private(set) var chunks: UInt64 = 0
    private var chunk = ByteWriter()
    private var one = ByteWriter()
    private var fd: Int32 = -1
    package private(set) var failure: String?

    package init(forwardingTo next: (any DiagnosticReceiver)?, digest: UInt64, key: UInt64, macKey: (UInt64, UInt64), temporaryPath: String) {
        self.next = next
        self.digest = digest
        self.key = key
        self.macKey = macKey
        self.temporaryPath = temporaryPath
    }

    deinit { if fd >= 0 { close(fd) } }

    package func add(_ d: Diagnostic) {
        next?.add(d)
        guard failure == nil else { return }
        one.bytes.removeAll(keepingCapacity: true)
        one.diagnostic(d)
        chunk.string(d.path)
        chunk.blob(one.bytes)
        count += 1
        if chunk.bytes.count >= CrossFileResultFile.chunkSize { sealChunk() }
    }

    /// Writes the findings gathered since the last chunk as a chunk of the temporary file.
    private func sealChunk() {
        guard failure == nil, !chunk.bytes.isEmpty else { return }
        guard chunk.bytes.count <= CrossFileResultFile.maxChunk else {
            failure = "a cross-file finding too large for the cache"
            return
        }
        if fd < 0 {
            fd = SystemPath.open(temporaryPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            // Unlinked at once: a run stopped by Ctrl-C or a kill leaves nothing in the cache directory.
            guard fd >= 0 else {
                failure = String(cString: strerror(errno))
                return
            }
            unlink(temporaryPath)
        }
        var head = ByteWriter()
        let length = UInt32(chunk.bytes.count)
        for k in 0..<4 { head.byte(UInt8(truncatingIfNeeded: length >> (8 * UInt32(k)))) }
        head.u64(chunk.bytes.withUnsafeBytes {
            CrossFileResultFile.checksum($0, chunk: chunks, key: key, digest: digest, macKey: macKey)
        })
        head.bytes.append(contentsOf: chunk.bytes)
        failure = FileDescriptorWriting.writeAll(head.bytes, to: fd).map(FileDescriptorWriting.reason)
        chunks += 1
        chunk.bytes.removeAll(keepingCapacity: true)
    }

    /// Writes the complete file through `out`: header, chunks (copied from the temporary file), trailer.
    package func write(to out: ([UInt8]) throws -> Void) throws {
        sealChunk()
        if let failure { throw CacheWriteError(path: temporaryPath, message: failure) }
        try out(CrossFileResultFile.header(key: key, digest: digest))
        if fd >= 0 {
            try FileDescriptorReading.forEachPiece(of: fd, pieceSize: CrossFileResultFile.chunkSize,
                                                   error: { CacheWriteError(path: temporaryPath, message: FileDescriptorWriting.reason($0)) }, out)
        }
        try out(CrossFileResultFile.trailer(count: count, chunks: chunks, key: key, digest: digest, macKey: macKey))
    }
}
