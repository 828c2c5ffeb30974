import Foundation
import NewsLintCore
import NewsLintRules
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
/// Owner, group and mode are carried over (ownership when permitted); a file with several hard
/// links is refused unless `hardLinks` is allowed, and then rewritten in place so every link
/// sees the fix; a file that vanished is never recreated; a temp file left by an interrupt is removed.
public enum AtomicWriter {
    /// What a fix was worked out from: the file as it was read (its status when opened, and its
    /// bytes). A write `expecting` it replaces the file only if the file still is that, so a
    /// change saved while the fix was being worked out (an editor appending, or saving by
    /// renaming a new file over it) is never overwritten with a fix of the old text.
    public struct ReadContent {
        public var stamp: FileStamp
        public var bytes: [UInt8]
        public init(stamp: FileStamp, bytes: [UInt8]) {
            self.stamp = stamp
            self.bytes = bytes
        }
    }

    public static func write(_ bytes: [UInt8], to path: String, allowHardLinks: Bool = false, expecting read: ReadContent? = nil) throws {
        let (target, st) = try replaceable(path)
        if st.st_nlink > 1 {
            guard allowHardLinks else { throw hardLinked(path, st) }
            if let read, try !unchanged(target, since: read, writing: bytes, path: path) { return }
            try writeInPlace(bytes, to: target, path: path)
            return
        }
        let temp = try TempFile(beside: target, path: path)
        if let failure = FileDescriptorWriting.writeAll(bytes, to: temp.fd) {
            throw WriteError(path: path, message: "write failed (\(FileDescriptorWriting.reason(failure)))")
        }
        try temp.commit(over: target, was: st, expecting: read, writing: bytes, path: path)
    }

    /// Whether to write: true when `target` is still the file `read` describes: the same device and inode,
    /// size and modification time (to the nanosecond), and, since a modification time can be set
    /// back (`touch -r`, an editor keeping it) and a change within one clock tick keeps it, the
    /// same bytes. Re-reading costs one read of a file just linted and fixed, far less than the
    /// linting; it is compared in pieces, so no second copy of a large file is held.
    /// False (write nothing, not an error) when the file already holds exactly `bytes`:
    /// two paths to one file (hard links, a symlink beside its target) are fixed by two workers
    /// that may both read before either writes; the second finds the first's identical fix.
    /// Throws when the file is neither.
    private static func unchanged(_ target: String, since read: ReadContent, writing bytes: [UInt8], path: String) throws -> Bool {
        var st = stat()
        // A failed `fstat` of a file just opened is all but impossible; either failure means the
        // file is not there to be read as it was.
        let (fd, failure) = FileReader.openAndStat(target, &st)
        guard failure == nil else {
            throw WriteError(path: path, message: "file was removed or replaced while it was being fixed; not written")
        }
        defer { close(fd) }
        guard let now = FileStamp(st) else { throw changedWhileFixing(path) }
        if now.sameContentStamp(as: read.stamp), Int(st.st_size) == read.bytes.count, hasBytes(fd, read.bytes) { return true }
        if Int(st.st_size) == bytes.count, hasBytes(fd, bytes) { return false }
        throw changedWhileFixing(path)
    }

    /// Whether `fd` holds exactly `expected` (read in 64 KB pieces, then one more read for EOF).
    private static func hasBytes(_ fd: Int32, _ expected: [UInt8]) -> Bool {
        let piece = 64 << 10
        var chunk = [UInt8](repeating: 0, count: piece)
        var offset = 0
        while offset < expected.count {
            let count = min(piece, expected.count - offset)
            let failed = chunk.withUnsafeMutableBytes { FileDescriptorReading.readAll(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<count]), from: fd, at: off_t(offset)) }
            guard failed == nil else { return false }
            let same = chunk.withUnsafeBytes { now in
                expected.withUnsafeBytes { memcmp(now.baseAddress!, $0.baseAddress! + offset, count) == 0 }
            }
            guard same else { return false }
            offset += count
        }
        // Nothing past the end (a file that grew after its status was taken).
        return chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 1, off_t(offset)) } == 0
    }

    private static func changedWhileFixing(_ path: String) -> WriteError {
        WriteError(path: path, message: "file changed while newslint was fixing it; not written (run newslint again to fix it as it is now)")
    }

    /// The file `write` replaces (symlinks followed) and its status; throws when it must not be replaced.
    private static func replaceable(_ path: String) throws -> (target: String, status: stat) {
        let target = resolveSymlinks(path)
        var st = stat()
        guard SystemPath.stat(target, &st) == 0 else {
            throw WriteError(path: path, message: "file vanished before it could be fixed (\(String(cString: strerror(errno))))")
        }
        guard SystemPath.access(target, W_OK) == 0 else {
            throw WriteError(path: path, message: "file is not writable (\(String(cString: strerror(errno))))")
        }
        // Only a regular file is replaced by a renamed temporary file (never a device or a FIFO).
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw WriteError(path: path, message: "not a regular file; not replaced")
        }
        return (target, st)
    }

    private static func hardLinked(_ path: String, _ st: stat) -> WriteError {
        WriteError(path: path, message: "file has \(st.st_nlink) hard links; replacing it would split them (use --fix-hardlinks to rewrite it in place)")
    }

    /// A file being written as it is produced (a large `--output` report): its bytes go to the
    /// temporary file `write` would use, beside the target, in pieces, so they are never held
    /// whole; `writeNew(_:to:)` then renames it into place as `writeNew` would have.
    public final class Staged {
        fileprivate let temp: TempFile
        /// The target as resolved when staging began (the temporary file's directory is its).
        fileprivate let target: String
        /// The errno of a failed append (what follows is dropped; `writeNew` reports it).
        fileprivate private(set) var failure: Int32?

        fileprivate init(temp: TempFile, target: String) {
            self.temp = temp
            self.target = target
        }

        public func append(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil else { return }
            failure = FileDescriptorWriting.writeAll(bytes, to: temp.fd)
        }

        /// Everything appended (for a target that is no longer the one staged beside).
        fileprivate func readBack() throws -> [UInt8] {
            var st = stat()
            guard fstat(temp.fd, &st) == 0, let bytes = FileDescriptorReading.read(Int(st.st_size), from: temp.fd, at: 0), bytes.count == Int(st.st_size) else {
                throw WriteError(path: target, message: "write failed (could not read back the temporary file)")
            }
            return bytes
        }
    }

    /// Starts writing `path` in pieces; nil when it exists and is not a regular file with one
    /// link (devices, FIFOs and hard-linked files take `writeNew`'s other paths) or no temporary
    /// file can be created beside it (the caller then holds the bytes and calls `writeNew`).
    public static func stage(_ path: String) -> Staged? {
        var st = stat()
        if SystemPath.stat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFREG, st.st_nlink == 1 else { return nil }
        }
        let target = resolveSymlinks(path)
        guard let temp = try? TempFile(beside: target, path: path) else { return nil }
        return Staged(temp: temp, target: target)
    }

    /// `writeNew(bytes, to: path)` for the bytes appended to `staged`: the same checks and
    /// errors, the same file at the end.
    public static func writeNew(_ staged: Staged, to path: String) throws {
        if try newTarget(path) == .special {
            try writeInto(staged.readBack(), special: path)
            return
        }
        let (target, now) = try replaceable(path)
        if now.st_nlink > 1 { throw hardLinked(path, now) }
        if let failure = staged.failure {
            throw WriteError(path: path, message: "write failed (\(FileDescriptorWriting.reason(failure)))")
        }
        // The path now leads elsewhere (a symlink changed meanwhile): written as `write` writes it.
        guard target.hasSameBytes(as: staged.target) else {
            try write(staged.readBack(), to: path)
            return
        }
        try staged.temp.commit(over: target, was: now, path: path)
    }

    /// A temporary file beside the target (`tempName`), removed unless `commit` renamed it into place.
    fileprivate final class TempFile {
        let fd: Int32
        let path: String
        let directory: String
        private let slot: Int?
        private var open = true
        private var committed = false

        init(beside target: String, path shownPath: String) throws {
            let dir = PathComponents.deletingLastComponent(target)
            let base = PathComponents.lastComponent(target)
            var template = (SystemPath.bytes("\(dir.isEmpty ? "." : dir)/\(AtomicWriter.tempName(for: base))") + [0]).map { CChar(bitPattern: $0) }
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                throw WriteError(path: shownPath, message: "cannot create a temporary file beside it (\(String(cString: strerror(errno))))")
            }
            self.fd = fd
            self.directory = dir
            path = SystemPath.decode(template.dropLast().map { UInt8(bitPattern: $0) })
            slot = InterruptCleanup.register(path)
        }

        deinit {
            closeOnce()
            if !committed { _ = SystemPath.unlink(path) }
            InterruptCleanup.release(slot)
        }

        private func closeOnce() {
            if open { close(fd); open = false }
        }

        /// Owner, group and mode of `st` (the target's), flushed, renamed over `target` unless the
        /// target was removed or replaced meanwhile, and the rename persisted.
        /// With `read`, the target must also still be the file the fix was worked out from
        /// (`AtomicWriter.unchanged`), checked after the flush, just before the rename; if it
        /// already holds `bytes` (the temp file's), nothing is renamed.
        func commit(over target: String, was st: stat, expecting read: ReadContent? = nil, writing bytes: [UInt8] = [], path: String) throws {
            // Owner and group first (fchown clears set-id bits), then the mode; chown needs privileges
            // the user may lack, and a file of one's own keeps them anyway.
            _ = fchown(fd, st.st_uid, st.st_gid)
            _ = fchmod(fd, st.st_mode & 0o7777)
            guard fsync(fd) == 0 else {
                throw WriteError(path: path, message: "flush failed (\(String(cString: strerror(errno))))")
            }
            closeOnce()
            TestHook.holdTempFile()
            if let read, try !AtomicWriter.unchanged(target, since: read, writing: bytes, path: path) { return }
            // Deleted (or replaced) while we worked: do not bring it back.
            var now = stat()
            guard SystemPath.stat(target, &now) == 0, now.st_ino == st.st_ino, now.st_dev == st.st_dev else {
                throw WriteError(path: path, message: "file was removed or replaced while it was being fixed; not written")
            }
            // Changed between the check above and this status (the narrowest window left).
            if let read, !(FileStamp(now)?.sameContentStamp(as: read.stamp) ?? false) { throw AtomicWriter.changedWhileFixing(path) }
            guard SystemPath.rename(self.path, target) == 0 else {
                throw WriteError(path: path, message: "rename failed (\(String(cString: strerror(errno))))")
            }
            committed = true
            // Persist the rename itself.
            let dfd = SystemPath.open(directory.isEmpty ? "." : directory, O_RDONLY)
            if dfd >= 0 { _ = fsync(dfd); close(dfd) }
        }
    }

    /// Writes a file that may not exist yet (reports, configs): atomically, mode 0644 for new files.
    /// An existing special file (`/dev/stdout`, `/dev/null`, a FIFO) is written into, never
    /// replaced: renaming a regular file over a device would destroy it. A directory is refused.
    public static func writeNew(_ bytes: [UInt8], to path: String) throws {
        switch try newTarget(path) {
        case .regular: try write(bytes, to: path)
        case .special: try writeInto(bytes, special: path)
        }
    }

    /// What `writeNew` writes to: a regular file (created empty, mode 0644, when `path` named
    /// nothing), replaced as `write` replaces it, or a device or FIFO written into; a directory throws.
    private enum NewTarget { case regular, special }

    /// What already stands at `path` for `writeNew` (symlinks followed), or nil when nothing
    /// does. Output checks ask it before a run, so they and the write agree on what a target is.
    package enum ExistingTarget { case regular, directory, special }

    package static func existingTarget(_ path: String) -> ExistingTarget? {
        var st = stat()
        guard SystemPath.stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .special
        }
    }

    private static func newTarget(_ path: String) throws -> NewTarget {
        switch existingTarget(path) {
        case .regular: return .regular
        case .directory: throw WriteError(path: path, message: "is a directory; name a file")
        case .special: return .special
        case nil: break
        }
        let fd = SystemPath.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw WriteError(path: path, message: "cannot create the file")
        }
        close(fd)
        return .regular
    }

    private static func writeInto(_ bytes: [UInt8], special path: String) throws {
        let fd = SystemPath.open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: path, message: "cannot open for writing (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        if let failure = FileDescriptorWriting.writeAll(bytes, to: fd) {
            throw WriteError(path: path, message: failure == EIO ? "write failed (nothing written)" : "write failed (\(FileDescriptorWriting.reason(failure)))")
        }
    }

    /// The name `tempName(for:)` made `temporary` from (`.NAME.newslint-XXXXXX`), or nil when it is
    /// no such temporary or the shortened form, which keeps only a hash of the name.
    package static func targetName(ofTemporary temporary: String) -> String? {
        let bytes = Array(temporary.utf8), mark = Array(".newslint-".utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count >= 2 + mark.count + 6 else { return nil }
        let markAt = bytes.count - 6 - mark.count
        guard Array(bytes[markAt..<(markAt + mark.count)]) == mark, markAt > 1 else { return nil }
        return String(decoding: bytes[1..<markAt], as: UTF8.self)
    }

    /// `.<name>.newslint-XXXXXX`, shortened for long names so it fits NAME_MAX (255 bytes).
    package static func tempName(for base: String) -> String {
        let full = ".\(base).newslint-XXXXXX"
        if SystemPath.bytes(full).count <= 255 { return full }
        return ".newslint-\(StableHash.hex(StableHash.fnv1a64(base)))-XXXXXX"
    }

    /// Truncates and rewrites the file itself (for hard-linked files, so every link sees the fix).
    /// Not atomic: a crash midway leaves a partial file, which is why it needs --fix-hardlinks.
    private static func writeInPlace(_ bytes: [UInt8], to target: String, path: String) throws {
        let fd = SystemPath.open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: path, message: "cannot open for writing (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        if let failure = FileDescriptorWriting.writeAll(bytes, to: fd) {
            throw WriteError(path: path, message: "write failed (\(FileDescriptorWriting.reason(failure)))")
        }
        guard fsync(fd) == 0 else { throw WriteError(path: path, message: "flush failed (\(String(cString: strerror(errno))))") }
    }

    /// The final target of a chain of symlinks (the path itself if it is not a link).
    package static func resolveSymlinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let dest = SystemPath.readLink(current) else { return current }
            if dest.hasPrefix("/") {
                current = dest
            } else {
                current = (PathComponents.deletingLastComponent(current) as NSString).appendingPathComponent(dest)
            }
        }
        return current
    }
}

/// Test-only pause (inert unless the environment sets it): with `NEWSLINT_TEST_HOLD_TEMP_FILE=N`
/// every atomic write (the cache's files too: `LintCache.replace`) sleeps N seconds (at most 60) after
/// its temp file is written and before the rename, so a test can see the temp file and send a signal
/// inside the window, which is otherwise too short to hit reliably
/// (`KillTests.interruptCleanupRemovesTheTempFile`, `CacheSavingTests.aClosedOutputStillSavesTheCache`).
package enum TestHook {
    package static let holdSeconds: UInt32 = {
        guard let raw = getenv("NEWSLINT_TEST_HOLD_TEMP_FILE"), let n = UInt32(String(cString: raw)) else { return 0 }
        return min(n, 60)
    }()

    package static func holdTempFile() {
        if holdSeconds > 0 { sleep(holdSeconds) }
    }
}

/// Temp files being written, removed by a SIGINT/SIGTERM/SIGHUP handler before the process dies.
/// The handler only reads fixed slots of C strings and calls unlink (async-signal-safe).
package enum InterruptCleanup {
    package static let slotCount = 64
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slotCount)
        p.initialize(repeating: nil, count: slotCount)
        return p
    }()
    package static let lock = NSLock()
    nonisolated(unsafe) static var installed = false

    package static func register(_ path: String) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if !installed {
            installed = true
            // A signal the parent ignores stays ignored (`nohup` ignores SIGHUP on purpose).
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                let previous = signal(sig, interruptHandler)
                if unsafeBitCast(previous, to: UnsafeRawPointer?.self) == unsafeBitCast(SIG_IGN, to: UnsafeRawPointer?.self) { signal(sig, SIG_IGN) }
            }
        }
        for i in 0..<slotCount where slots[i] == nil {
            // The exact bytes: the handler unlinks what mkstemp created, whatever the name's encoding.
            slots[i] = SystemPath.withCString(path) { strdup($0) }
            return i
        }
        return nil
    }

    package static func release(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        defer { lock.unlock() }
        let p = slots[slot]
        slots[slot] = nil
        free(p)
    }
}

/// Removes registered temp files, then dies of the signal as it would have.
private func interruptHandler(_ sig: Int32) {
    for i in 0..<InterruptCleanup.slotCount {
        if let p = InterruptCleanup.slots[i] { unlink(p) }
    }
    signal(sig, SIG_DFL)
    raise(sig)
}
