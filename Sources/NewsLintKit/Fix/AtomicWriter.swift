import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed write, with the reason.
public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// Replaces a file's contents atomically: a temporary file in the same directory is
/// written, flushed and renamed over the target, keeping its permission bits.
/// A symlink is followed and its target is replaced (the link stays a link).
/// A process killed at any point leaves either the old or the new file, never a mix.
public enum AtomicWriter {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let target = resolveSymlinks(path)
        var st = stat()
        guard stat(target, &st) == 0 else {
            throw WriteError(path: path, message: "file vanished before it could be fixed (\(String(cString: strerror(errno))))")
        }
        guard access(target, W_OK) == 0 else {
            throw WriteError(path: path, message: "file is not writable (\(String(cString: strerror(errno))))")
        }
        let dir = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        var template = Array("\(dir.isEmpty ? "." : dir)/.\(base).newslint-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw WriteError(path: path, message: "cannot create a temporary file beside it (\(String(cString: strerror(errno))))")
        }
        let tempPath = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                systemWrite(fd, buf.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw WriteError(path: path, message: "write failed (\(reason))")
            }
            written += n
        }
        _ = fchmod(fd, st.st_mode & 0o7777)
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw WriteError(path: path, message: "flush failed (\(reason))")
        }
        close(fd)
        guard rename(tempPath, target) == 0 else {
            throw WriteError(path: path, message: "rename failed (\(String(cString: strerror(errno))))")
        }
        ok = true
        // Persist the rename itself.
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Writes a file that may not exist yet (reports, configs): atomically, mode 0644 for new files.
    public static func writeNew(_ bytes: [UInt8], to path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            try write(bytes, to: path)
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
            throw WriteError(path: path, message: "cannot create the file")
        }
        try write(bytes, to: path)
    }

    @inline(__always)
    private static func systemWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, buf, count)
        #else
        return Darwin.write(fd, buf, count)
        #endif
    }

    /// The final target of a chain of symlinks (the path itself if it is not a link).
    static func resolveSymlinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            if dest.hasPrefix("/") {
                current = dest
            } else {
                current = ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
            }
        }
        return current
    }
}
