import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing every byte to a file descriptor: `write` may write less than asked or be interrupted,
/// and each writer (output, atomic fixes, cache, spill files) needs the same loop.
public enum FileDescriptorWriting {
    /// Writes all of `bytes` to `fd` (at `offset` with `pwrite`, else at its position); the errno of
    /// the failed write (`EIO` when nothing could be written), nil when every byte was written.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, at offset: off_t? = nil) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let n = offset.map { pwrite(fd, base + done, bytes.count - done, $0 + off_t(done)) } ?? write(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            done += n
        }
        return nil
    }

    public static func writeAll(_ bytes: [UInt8], to fd: Int32, at offset: off_t? = nil) -> Int32? {
        bytes.withUnsafeBytes { writeAll($0, to: fd, at: offset) }
    }

    /// `strerror` of an errno, for messages.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
