import Foundation
import Synchronization
import NewsLintCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stamps files (`FileStamp`) by name relative to a descriptor of their directory, opened once per
/// directory: a warm run stats every file before deciding whether to read it, and resolving each
/// absolute path again from the root was a fifth of that stat's cost. Each stamp is still taken
/// by its own call before the file is used; only the walk to its directory is shared. A directory
/// replaced during the run keeps answering for the one opened (the stamp then describes a file
/// that was at the path, as a stat racing the rename would), so it decides only cache hits: a file
/// that is read is stamped again by the descriptor it is read through (`Linter.process`).
package final class DirectoryStamper: @unchecked Sendable {
    /// Directories opened, latest last; closed only when the stamper goes (a descriptor in use by
    /// one worker must not be closed, and its number reused, by another), so past `limit` the
    /// files of further directories are stamped by their full path.
    /// Guarded by `lock`, a `Mutex` (inlined, and it spins a moment before it sleeps), not a
    /// `Locked`: that one's `withLock`, not specialised across the module, cost ~190 instructions a
    /// file on a warm run, and its `NSLock` put a worker that found it held to sleep; both workers
    /// take it for every file, for a lookup of well under a microsecond.
    private var directories: [(path: [UInt8], fd: Int32)] = []
    private let lock = Mutex(())
    /// At most 64, and a sixteenth of the open-file limit past 32 descriptors: held for the whole
    /// run, they must not starve the files being read or the cache being saved (`ulimit -n 50`).
    package let limit: Int

    package init(limit: Int = DirectoryStamper.defaultLimit) { self.limit = limit }

    package static var defaultLimit: Int {
        var rl = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl) == 0 else { return 0 }
        return limit(openFileLimit: UInt64(rl.rlim_cur))
    }

    package static func limit(openFileLimit soft: UInt64) -> Int {
        min(64, Int(clamping: soft > 32 ? (soft - 32) / 16 : 0))
    }

    /// A directory that cannot be opened (searchable, not listable) has its files stamped by full path.
    private static let directoryFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC

    deinit {
        for d in directories { close(d.fd) }
    }

    /// The stamp of the regular file at the absolute `location`; nil when there is none.
    package func stamp(_ location: String) -> FileStamp? {
        var bytes = location
        return bytes.withUTF8 { stamp(at: $0, named: location) }
    }

    /// `stamp(_:)` of the location whose `String` has these UTF-8 bytes (a string is made only
    /// for the plain route: byte-mapped names, paths without a directory, past `limit`).
    package func stamp(at location: UnsafeBufferPointer<UInt8>) -> FileStamp? {
        stamp(at: location, named: nil)
    }

    /// `name`: `location` as a string, when the caller has one.
    private func stamp(at path: UnsafeBufferPointer<UInt8>, named name: String?) -> FileStamp? {
        func plainRoute() -> FileStamp? { FileStamp.of(name ?? String(decoding: path, as: UTF8.self)) }
        // Byte-mapped names (SystemPath) and paths without a directory take the plain route.
        guard let base = path.baseAddress, path.count < Int(PATH_MAX), memchr(base, 0xF4, path.count) == nil, memchr(base, 0, path.count) == nil,
              let slash = Self.lastSlash(path), slash > 0, slash < path.count - 1 else { return plainRoute() }
        let fd = directory(UnsafeBufferPointer(rebasing: path[0..<slash]))
        guard fd >= 0 else { return plainRoute() }
        // The name, NUL-terminated (the view of a Swift string is not).
        let length = path.count - slash - 1
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { name -> FileStamp? in
            guard let out = name.baseAddress else { return plainRoute() }
            memcpy(out, base + slash + 1, length)
            out[length] = 0
            var st = stat()
            guard fstatat(fd, out, &st, 0) == 0 else { return nil }
            return FileStamp(st)
        }
    }

    /// The offset of the last `/` in `path`; nil when there is none. Eight bytes a step from the
    /// end while a word holds none: walked back a byte at a time, a name of two dozen Chinese
    /// characters cost ~500 instructions a file on a warm run's workers.
    package static func lastSlash(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = path.baseAddress else { return nil }
        let slash = UInt8(ascii: "/")
        var end = path.count
        while end >= 8, !ByteWords.has(slash, in: UnsafeRawPointer(base + end - 8).loadUnaligned(as: UInt64.self)) { end -= 8 }
        var i = end - 1
        while i >= 0 {
            if base[i] == slash { return i }
            i -= 1
        }
        return nil
    }

    /// A descriptor of the directory at `path` (opened now if it is not yet); -1 when it cannot be opened.
    private func directory(_ path: UnsafeBufferPointer<UInt8>) -> Int32 {
        lock.withLock { _ in directoryLocked(path) }
    }

    private func directoryLocked(_ path: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let wanted = path.baseAddress else { return -1 }
        for k in directories.indices.reversed() where directories[k].path.count == path.count {
            if directories[k].path.withUnsafeBufferPointer({ memcmp($0.baseAddress!, wanted, path.count) == 0 }) { return directories[k].fd }
        }
        guard directories.count < limit else { return -1 }
        var cPath = Array(path)
        cPath.append(0)
        let fd = cPath.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, Self.directoryFlags) }
        }
        guard fd >= 0 else { return -1 }
        directories.append((Array(path), fd))
        return fd
    }
}
