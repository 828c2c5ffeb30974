import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of reading one file.
public enum FileReadResult: Sendable {
    case bytes([UInt8])
    /// Deliberately not linted (binary, too large, special file): reported as `file-skipped`.
    case skipped(String)
    /// Could not be read: reported as `io-error`, exit code 2.
    case failed(String)
}

/// Reads input files once, refusing what cannot be linted.
public enum FileReader {
    public static func read(_ path: String, maxSize: Int) -> FileReadResult {
        var status = stat()
        return read(path, maxSize: maxSize, status: &status)
    }

    /// Same, with `status` set to what `fstat` said of the file opened (when it was opened): the
    /// cache stamps a file by the very file it read, without looking its path up again.
    package static func read(_ path: String, maxSize: Int, status st: inout stat) -> FileReadResult {
        let (fd, failure) = openAndStat(path, &st)
        if let failure {
            var st = stat()
            // Sockets cannot be opened at all: report them as skipped like other special files.
            if SystemPath.stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK { return .skipped("not a regular file (a socket); skipped") }
            return .failed("cannot open: \(String(cString: strerror(failure)))")
        }
        defer { close(fd) }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { return .skipped("is a directory") }
        if type != S_IFREG { return .skipped("\(specialKind(type)), not a regular file; skipped") }
        if Int(st.st_size) > maxSize {
            return .skipped("file is \(st.st_size) bytes, over the \(maxSize)-byte limit (maxFileSize); skipped (raise maxFileSize in .lint.json to lint it)")
        }
        // One spare byte detects EOF (or growth) without doubling and copying the buffer per file.
        // The usual case, one read that gets the size fstat promised, reads into a buffer that is
        // not zeroed first (zeroing cost as much as a byte-pair census per file).
        // It reads into storage a finished document gave back (`FileBytesStorage`), through
        // `append(contentsOf:)`, which hands the reserved storage to `FileRead`: a new array a file
        // was ~600 instructions to allocate (`init(unsafeUninitializedCapacity:)` goes through the
        // standard library's unspecialised path) and free.
        let size = Int(st.st_size)
        var firstRead = 0
        var read = FileBytesStorage.spares.take()
        if size > 0 {
            read.reserveCapacity(size + 1)
            withUnsafeMutablePointer(to: &firstRead) { out in read.append(contentsOf: FileRead(fd: fd, count: size + 1, result: out)) }
        }
        if size > 0 && firstRead == size { return .bytes(read) }
        // Anything else (a short read, an error, a file that grew or does not know its size) goes
        // on from what the first read got.
        var bytes = read
        bytes.append(contentsOf: repeatElement(0, count: size + 1 - bytes.count))
        var total = read.count
        while true {
            if total == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: max(4096, bytes.count))) }
            let n = bytes.withUnsafeMutableBytes { buf in
                systemRead(fd, buf.baseAddress! + total, buf.count - total)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed("read error: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            total += n
            // Got the size fstat promised: skip the extra read that would only confirm EOF
            // (size 0 means unknown, e.g. procfs, so read on).
            if total == Int(st.st_size) && total > 0 { break }
            if total > maxSize { return .skipped("file grew over the \(maxSize)-byte limit (maxFileSize) while it was read; skipped (raise maxFileSize in .lint.json to lint it)") }
        }
        bytes.removeSubrange(total...)
        return .bytes(bytes)
    }

    /// What `readSettings` found.
    public enum SettingsRead: Sendable {
        /// The bytes, and whether they came through a pipe.
        case bytes([UInt8], fromPipe: Bool)
        case directory
        /// A socket, device or other special file (named as such).
        case special(String)
        /// Over the cap: the size of a file; nil when a pipe gave more.
        case tooLarge(Int?)
        /// `open` or `read` failed with this errno.
        case failed(Int32)
    }

    /// A config file (every one loaded: `--config`, discovered, `extend`ed): a regular file, or a
    /// pipe read to its end, so process substitution (`--config <(…)`, a /dev/fd path) and
    /// /dev/stdin (a pipe or a redirected file) work; at most `maxSize` bytes either way. The pipe is opened without blocking (a named pipe that nothing
    /// writes to must not hang the open) and then read blocking: a writer that is there is waited
    /// for, and with none the read sees the end at once.
    public static func readSettings(_ path: String, maxSize: Int) -> SettingsRead {
        var st = stat()
        let (fd, failure) = openAndStat(path, &st)
        if let failure { return .failed(failure) }
        defer { close(fd) }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { return .directory }
        let fromPipe = type == S_IFIFO
        guard type == S_IFREG || fromPipe else { return .special(specialKind(type)) }
        if Int(st.st_size) > maxSize { return .tooLarge(Int(st.st_size)) }
        if fromPipe { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        switch readToEnd(fd, limit: maxSize) {
        case let .bytes(bytes) where bytes.count > maxSize: return .tooLarge(fromPipe ? nil : bytes.count)
        case let .bytes(bytes): return .bytes(bytes, fromPipe: fromPipe)
        case let .failed(failure): return .failed(failure)
        }
    }

    /// Opens `path` to read it and `fstat`s what was opened: one path lookup. O_NONBLOCK keeps a
    /// FIFO from blocking the open (it has no effect on regular files). On a failure, its errno
    /// (a descriptor that `fstat` failed on is closed first).
    package static func openAndStat(_ path: String, _ st: inout stat) -> (fd: Int32, failure: Int32?) {
        let fd = SystemPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return (fd, errno) }
        guard fstat(fd, &st) == 0 else {
            let failure = errno
            close(fd)
            return (-1, failure)
        }
        return (fd, nil)
    }

    /// How a file that is neither a regular file nor a directory is named in messages.
    private static func specialKind(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFSOCK: return "a socket"
        default: return "a device or special file"
        }
    }

    /// What `readToEnd` got.
    package enum ReadToEnd {
        /// The bytes to the end, or, when there were more than `limit`, the first reads over it.
        case bytes([UInt8])
        /// A `read` failed with this errno.
        case failed(Int32)
    }

    /// All of `fd` to its end (a pipe, standard input, a config file), 64 KiB a read; a read
    /// interrupted by a signal is retried. Stops once more than `limit` bytes came, so a
    /// pipe that never ends is not read into memory whole.
    package static func readToEnd(_ fd: Int32, limit: Int = .max) -> ReadToEnd {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base, buffer.count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(errno)
            }
            if n == 0 { return .bytes(bytes) }
            bytes.append(contentsOf: chunk[..<n])
            if bytes.count > limit { return .bytes(bytes) }
        }
    }

    /// A NUL byte means binary, unless the file is UTF-16 with a BOM (reported by encoding rules instead).
    public static func binaryReason(_ bytes: [UInt8]) -> String? {
        if ByteOrderMark.isUTF16(bytes) { return nil }
        guard let nul = ByteSearch.first(0, in: bytes) else { return nil }
        return "binary file (NUL byte at offset \(nul)); skipped (if it is text, remove its NUL bytes to lint it)"
    }
}

/// One `read` of up to `count` bytes into the storage `Array.append(contentsOf:)` reserved (its
/// `_copyContents`): the bytes land in the array without zeroing it first; `result` is what `read`
/// returned. It has no elements otherwise (an underestimated count of 0, an empty iterator).
/// This leans on how the standard library's `append(contentsOf:)` works (checked with Swift 6.x):
/// it hands `_copyContents` all of the array's free capacity. Were that to change, the
/// precondition below traps rather than a file being read short, and
/// `PooledDocumentStorageTests.filesReadIntoKeptStorageAreTheirBytes` fails.
private struct FileRead: Sequence {
    let fd: Int32
    let count: Int
    let result: UnsafeMutablePointer<Int>

    var underestimatedCount: Int { 0 }
    /// Read element by element, the sequence would be empty and the file silently lost.
    func makeIterator() -> EmptyCollection<UInt8>.Iterator { preconditionFailure("FileRead is read through _copyContents only") }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt8>) -> (EmptyCollection<UInt8>.Iterator, Int) {
        precondition(buffer.count >= count, "array storage smaller than reserved")
        guard let base = buffer.baseAddress else { result.pointee = 0; return (EmptyCollection<UInt8>.Iterator(), 0) }
        let n = systemRead(fd, base, count)
        result.pointee = n
        return (EmptyCollection<UInt8>.Iterator(), Swift.max(0, n))
    }
}

/// Spare storage for files' bytes, given back when a document is done (`DocumentViews`' deinit)
/// and read into by the next file (`FileReader.read`): a few kept (a file in flight and the next,
/// per worker), of at most 1 MB each.
package enum FileBytesStorage {
    package static let spares = SpareArrays<UInt8>(kept: 6, largestCapacity: 1 << 20)
}

/// Resolves paths against an explicit base directory instead of the process's
/// current directory (which tests and library callers must not depend on).
public enum PathResolver {
    /// On bytes: `base`, a slash and the path's bytes joined in a stack buffer and copied into one
    /// new string (it runs once per linted file; `hasPrefix` and two concatenations cost ~2,900
    /// instructions, and `String(unsafeUninitializedCapacity:)` validates its bytes again, ~1,900
    /// on a corpus of Chinese file names). Both are `String`s, so the joined bytes are valid UTF-8
    /// and come out as they went in.
    public static func absolute(_ path: String, base: String) -> String {
        withAbsolute(path, base: base, whenUnchanged: { $0 }) { joined in
            String(knownValidUTF8: joined) ?? String(decoding: joined, as: UTF8.self)
        }
    }

    /// `absolute(path, base:)` as bytes, without a new `String`: `body` gets the joined bytes (in
    /// a stack buffer, valid only during the call); a path that `absolute` returns whole (`path`
    /// itself, or `base` for ".") goes to `whenUnchanged` instead. A warm run's cache hit needs
    /// the location only as bytes (stamp, hash, a comparison): the string made and freed for it
    /// was ~650 instructions a file.
    @inlinable
    package static func withAbsolute<T>(_ path: String, base: String, whenUnchanged: (String) -> T,
                                       _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var pathBytes = path, baseBytes = base
        return pathBytes.withUTF8 { bytes -> T in
            var rest = bytes[...]
            if let first = bytes.first {
                if first == slash { return whenUnchanged(path) }
                if first == dot {
                    if bytes.count == 1 { return whenUnchanged(base) }
                    if bytes[1] == slash { rest = bytes[2...] }
                }
            }
            return baseBytes.withUTF8 { head -> T in
                let separator = head.last == slash ? 0 : 1
                let count = head.count + separator + rest.count
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { out -> T in
                    var at = out.initialize(fromContentsOf: head)
                    if separator == 1 {
                        out[at] = slash
                        at += 1
                    }
                    _ = UnsafeMutableBufferPointer(rebasing: out[at...]).initialize(fromContentsOf: UnsafeBufferPointer(rebasing: rest))
                    return body(UnsafeBufferPointer(out))
                }
            }
        }
    }

    /// The canonical path (every symlink resolved, as realpath(3)); nil when it does not exist.
    public static func real(_ path: String) -> String? {
        SystemPath.real(path)
    }

    /// Whether canonical `path` is one of `roots` or below one of them, by bytes: a directory whose
    /// name differs only in Unicode normalization is another directory (outside the roots).
    public static func isWithin(_ path: String, roots: [String]) -> Bool {
        roots.contains { root in path.hasSameBytes(as: root) || isBelow(path, root) }
    }

    /// Whether `path` lies below directory `root`, by bytes and lexically: it begins with `root`
    /// and then a `/` (the one `root` ends with, for `/` or `dir/`). Nothing is allocated: it is
    /// asked of every found file.
    public static func isBelow(_ path: String, _ root: String) -> Bool {
        let slash = UInt8(ascii: "/")
        let p = path.utf8, r = root.utf8
        guard p.starts(with: r) else { return false }
        if r.last == slash { return true }
        return p.count > r.count && p[p.index(p.startIndex, offsetBy: r.count)] == slash
    }

    /// `path` with its `.` components, repeated slashes and a trailing slash dropped, and `..`
    /// kept: after a symbolic link `..` is not the lexical parent (`link/../a.md` may be another
    /// file than `a.md`), so two spellings of one path give one answer and two files never do.
    /// A path with nothing to drop (the usual one) is returned as it is, without splitting it; a
    /// relative path with nothing left is `.`.
    public static func droppingDotComponents(_ path: String) -> String {
        var needsWork = false, previous: UInt8 = UInt8(ascii: "/"), beforePrevious: UInt8 = 0
        for b in path.utf8 {
            // `//`, or a `.` component ended by `/` (`/./`, a leading `./`).
            if b == UInt8(ascii: "/") && (previous == UInt8(ascii: "/") || (previous == UInt8(ascii: ".") && beforePrevious == UInt8(ascii: "/"))) {
                needsWork = true
                break
            }
            beforePrevious = previous
            previous = b
        }
        // A trailing `/` or `/.` (and the start's `.` alone).
        if !needsWork, path.utf8.count > 1, previous == UInt8(ascii: "/") || (previous == UInt8(ascii: ".") && beforePrevious == UInt8(ascii: "/")) {
            needsWork = true
        }
        if !needsWork { return path }
        let joined = path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// Removes `.`, `..` and repeated slashes lexically (symlinks are not resolved), without a trailing slash.
    public static func standardized(_ path: String) -> String {
        var parts: [Substring] = []
        for c in path.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

/// Byte-order marks at the start of a file, compared byte by byte: `starts(with: [0xFF, 0xFE])`
/// made its array and walked it through the generic `Sequence` algorithm, about 70 instructions a
/// check, three a file read (its two UTF-16 marks before the search for a NUL, then the UTF-8 one).
package enum ByteOrderMark {
    /// Whether `bytes` start with a UTF-16 byte-order mark: FF FE (little-endian) or FE FF (big-endian).
    package static func isUTF16(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF)
    }

    /// Whether `bytes` start with the UTF-8 byte-order mark, EF BB BF.
    package static func isUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }
}

/// memchr-backed byte search (vectorised by libc), for hot paths over whole files.
public enum ByteSearch {
    public static func first(_ byte: UInt8, in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress, let hit = memchr(base + start, Int32(byte), raw.count - start) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }
    public static func contains(_ byte: UInt8, in bytes: [UInt8]) -> Bool { first(byte, in: bytes) != nil }

    /// Whether `range` holds `byte` followed by a byte `next` accepts (both in `range`): `memchr` to
    /// each `byte` (template tags `{{`, `{%` in a body or front matter that has few braces).
    package static func containsPair(_ byte: UInt8, in bytes: [UInt8], _ range: Range<Int>, followedBy next: (UInt8) -> Bool) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            let end = min(range.upperBound, raw.count)
            var i = max(0, range.lowerBound)
            // The search stops before the last byte: a `byte` there has no next one in `range`.
            while i + 1 < end, let hit = memchr(base + i, Int32(byte), end - 1 - i) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                if next(raw[at + 1]) { return true }
                i = at + 1
            }
            return false
        }
    }
}

/// `read(2)` without the name clash with `FileReader.read` (Glibc on Linux, Darwin on macOS).
@inline(__always)
package func systemRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buf, count)
    #else
    return Darwin.read(fd, buf, count)
    #endif
}
