import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Positional reads of whole ranges: `pread` may return less than asked or be interrupted, and the
/// cache, its cross-file result and the spilled diagnostics each read their files this way.
public enum FileDescriptorReading {
    /// Fills `buffer` from `fd` at `offset`. nil when every byte was read; else the errno of the
    /// failed read, or `ENODATA` when the file ended first.
    public static func readAll(into buffer: UnsafeMutableRawBufferPointer, from fd: Int32, at offset: off_t) -> Int32? {
        guard let base = buffer.baseAddress else { return nil }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, buffer.count - done, offset + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return ENODATA }
            done += n
        }
        return nil
    }

    /// Exactly `count` bytes of `fd` at `offset`; nil on an error or when the file ends first.
    public static func read(_ count: Int, from fd: Int32, at offset: off_t) -> [UInt8]? {
        // Read into an unzeroed buffer: zeroing 1 MB chunks that are overwritten at once was 3% of
        // a warm run's instructions (the stored cross-file result is read twice, 60 MB at agora ×10).
        guard count > 0 else { return [] }
        var failure: Int32?
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            failure = readAll(into: UnsafeMutableRawBufferPointer(buffer), from: fd, at: offset)
            initialized = failure == nil ? count : 0
        }
        return failure == nil ? out : nil
    }

    /// Passes the whole of `fd` from its start to `body` in pieces of at most `pieceSize` bytes;
    /// the errno of a failed read is thrown as `error(errno)`.
    public static func forEachPiece(of fd: Int32, pieceSize: Int, error: (Int32) -> any Error,
                                    _ body: ([UInt8]) throws -> Void) throws {
        var piece = [UInt8](repeating: 0, count: pieceSize)
        var offset: off_t = 0
        while true {
            let n = piece.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error(errno)
            }
            if n == 0 { return }
            try body(Array(piece[0..<n]))
            offset += off_t(n)
        }
    }
}
