import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with an input path found before linting (missing path, loop, special file).
public struct InputProblem: Sendable {
    public var path: String
    public var message: String
    /// true: a real I/O failure (exit 2); false: a file deliberately skipped (diagnostic only).
    public var isFailure: Bool
}

/// Expands command-line paths into a sorted list of files to lint.
///
/// Directories are walked recursively, skipping hidden entries and `.build`;
/// directory symlinks are followed once (a loop is reported, not followed);
/// files named explicitly are always linted, whatever their extension.
/// A symlink found in the walk whose target lies outside the roots (the command-line paths,
/// resolved) is reported as skipped, not followed, unless `followSymlinks` is set: a corpus
/// must not pull in (or let `--fix` rewrite) files elsewhere, and `up -> ..` must not walk the parent.
public struct FileDiscovery {
    public let config: Configuration
    /// Directory relative paths are resolved against (paths are reported as given).
    public let base: String
    /// Per-directory configuration (nested `.lint.json` files); nil: `config` everywhere.
    public var resolver: ConfigResolver?
    /// Skip what `.gitignore` / `.ignore` files ignore while walking (named files are always linted).
    public var respectIgnoreFiles = false

    /// The configuration for entries of `directory`.
    func configuration(forDirectory directory: String) -> Configuration {
        resolver?.configuration(forDirectory: absolute(directory)) ?? config
    }
    /// Follow symlinks that lead out of the roots (`--follow-symlinks`).
    public var followSymlinks = false

    public init(config: Configuration, base: String = FileManager.default.currentDirectoryPath) {
        self.config = config
        self.base = base
    }

    /// The absolute location of a (possibly relative) input path.
    public func absolute(_ path: String) -> String { PathResolver.absolute(path, base: base) }

    public func expand(_ paths: [String], forceExclude: Bool = false) -> (files: [String], problems: [InputProblem]) {
        var files: [String] = []
        var problems: [InputProblem] = []
        // Keyed by bytes: Swift's String equality is canonical equivalence, so NFC and NFD
        // spellings of one name (two different files on Linux) would collapse into one.
        var seen = Set<[UInt8]>()
        let roots = self.roots(paths)
        for path in paths {
            var st = stat()
            guard SystemPath.stat(absolute(path), &st) == 0 else {
                let err = errno
                if SystemPath.lstat(absolute(path), &st) == 0 {
                    problems.append(InputProblem(path: path, message: "broken symbolic link", isFailure: true))
                } else {
                    problems.append(InputProblem(path: path, message: "cannot open: \(String(cString: strerror(err)))", isFailure: true))
                }
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var visited = Set<FileIdentity>()
                let ignores = respectIgnoreFiles ? IgnoreStack.ancestors(of: absolute(path)) : IgnoreStack()
                walk(directory: path, visited: &visited, files: &files, problems: &problems, ignores: ignores, roots: roots)
            } else {
                // Explicit files are linted whatever their extension (and, unless forceExclude, whatever exclude says);
                // special files are reported by the reader.
                if forceExclude && !configuration(forDirectory: (absolute(path) as NSString).deletingLastPathComponent).isIncluded(absolute(path)) { continue }
                if seen.insert(Array(path.utf8)).inserted { files.append(path) }
            }
        }
        // One path walks each directory entry once: duplicates only arise from several paths.
        var unique: [String] = files
        if paths.count > 1 {
            unique = []
            var set = Set<[UInt8]>()
            for f in files where set.insert(Array(f.utf8)).inserted { unique.append(f) }
        }
        // The walk is usually already in byte order (names are sorted per directory): check before sorting.
        let inOrder = zip(unique, unique.dropFirst()).allSatisfy { !$1.utf8.lexicographicallyPrecedes($0.utf8) }
        if !inOrder { unique.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        return (unique, problems)
    }

    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// The command-line paths with every symlink resolved: what a walk may reach and `--fix` may write.
    public func roots(_ paths: [String]) -> [String] {
        paths.filter { $0 != "-" }.compactMap { PathResolver.real(absolute($0)) }
    }

    private func walk(directory: String, visited: inout Set<FileIdentity>, files: inout [String], problems: inout [InputProblem], ignores: IgnoreStack, roots: [String]) {
        var st = stat()
        guard SystemPath.stat(absolute(directory), &st) == 0 else {
            // Never silently: an over-long path (ENAMETOOLONG) or a directory that vanished.
            problems.append(InputProblem(path: directory, message: "cannot open directory: \(String(cString: strerror(errno)))", isFailure: true))
            return
        }
        let id = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        guard visited.insert(id).inserted else {
            problems.append(InputProblem(path: directory, message: "directory symlink loop; not followed", isFailure: false))
            return
        }
        defer { visited.remove(id) }
        guard let entries = DirectoryReader.entries(absolute(directory)) else {
            problems.append(InputProblem(path: directory, message: "cannot read directory: \(String(cString: strerror(errno)))", isFailure: true))
            return
        }
        let config = configuration(forDirectory: directory)
        var ignores = ignores
        if respectIgnoreFiles && entries.contains(where: { IgnoreStack.fileNames.contains($0.name) }) { ignores.push(directory: absolute(directory)) }
        for (name, kind) in entries {
            if name.hasPrefix(".") { continue }
            let child = directory == "." ? name : (directory.hasSuffix("/") ? directory + name : directory + "/" + name)
            // readdir's type saves a stat per entry; symlinks and unknown types are stat'ed (followed).
            var type = kind
            if type == .other {
                var cst = stat()
                if SystemPath.stat(absolute(child), &cst) != 0 {
                    var lst = stat()
                    if SystemPath.lstat(absolute(child), &lst) == 0 && matchesExtension(name, config) {
                        problems.append(InputProblem(path: child, message: "broken symbolic link", isFailure: true))
                    }
                    continue
                }
                type = (cst.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
                if !followSymlinks, type == .directory || matchesExtension(name, config),
                   let target = PathResolver.real(absolute(child)), !PathResolver.isWithin(target, roots: roots) {
                    problems.append(InputProblem(path: child, message: "symbolic link to \(target), outside the linted paths; not followed (use --follow-symlinks)", isFailure: false))
                    continue
                }
            }
            if type == .directory {
                if name == ".build" || name == "node_modules" { continue }
                if config.isExcludedDirectory(absolute(child)) { continue }
                if !ignores.files.isEmpty && ignores.isIgnored(PathResolver.standardized(absolute(child)), isDirectory: true) { continue }
                walk(directory: child, visited: &visited, files: &files, problems: &problems, ignores: ignores, roots: roots)
            } else if matchesExtension(name, config) && config.isIncluded(absolute(child))
                        && (ignores.files.isEmpty || !ignores.isIgnored(PathResolver.standardized(absolute(child)), isDirectory: false)) {
                files.append(child)
            }
        }
    }

    private func matchesExtension(_ name: String, _ config: Configuration) -> Bool {
        let lower = name.lowercased()
        return config.extensions.contains { lower.hasSuffix($0.lowercased()) }
    }
}

/// Lists a directory with `readdir`, keeping the entry type it reports (no stat per entry).
enum DirectoryReader {
    enum Kind { case file, directory, other }

    /// Entries sorted by name; nil (errno set) when the directory cannot be opened.
    static func entries(_ path: String) -> [(name: String, kind: Kind)]? {
        guard let dir = SystemPath.withCString(path, { opendir($0) }) else { return nil }
        defer { closedir(dir) }
        var out: [(name: String, kind: Kind)] = []
        while let entry = readdir(dir) {
            let raw = withUnsafePointer(to: &entry.pointee.d_name) {
                UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)
            }
            // Byte-exact: a name that is not UTF-8 keeps its bytes (SystemPath), so it can be opened again.
            let name = SystemPath.decode(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
            if name == "." || name == ".." { continue }
            let kind: Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            default: kind = .other
            }
            out.append((name, kind))
        }
        out.sort { $0.name < $1.name }
        return out
    }
}

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
        // open + fstat: one path lookup per file. O_NONBLOCK keeps a FIFO from blocking the open;
        // it has no effect on regular files.
        let fd = SystemPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            let err = errno
            var st = stat()
            // Sockets cannot be opened at all: report them as skipped like other special files.
            if SystemPath.stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK { return .skipped("not a regular file (a socket); skipped") }
            return .failed("cannot open: \(String(cString: strerror(err)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failed("cannot open: \(String(cString: strerror(errno)))") }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { return .skipped("is a directory") }
        if type != S_IFREG {
            let kind = type == S_IFIFO ? "a named pipe (FIFO)" : (type == S_IFSOCK ? "a socket" : "a device or special file")
            return .skipped("\(kind), not a regular file; skipped")
        }
        if Int(st.st_size) > maxSize {
            return .skipped("file is \(st.st_size) bytes, over the \(maxSize)-byte limit (maxFileSize); skipped")
        }
        // One spare byte detects EOF (or growth) without doubling and copying the buffer per file.
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var total = 0
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
            if total > maxSize { return .skipped("file grew over the \(maxSize)-byte limit (maxFileSize); skipped") }
        }
        bytes.removeSubrange(total...)
        return .bytes(bytes)
    }

    /// A NUL byte means binary, unless the file is UTF-16 with a BOM (reported by encoding rules instead).
    public static func binaryReason(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return nil }
        guard let nul = ByteSearch.first(0, in: bytes) else { return nil }
        return "binary file (NUL byte at offset \(nul)); skipped"
    }
}

/// Resolves paths against an explicit base directory instead of the process's
/// current directory (which tests and library callers must not depend on).
public enum PathResolver {
    public static func absolute(_ path: String, base: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "." { return base }
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return base.hasSuffix("/") ? base + trimmed : base + "/" + trimmed
    }

    /// The canonical path (every symlink resolved, as realpath(3)); nil when it does not exist.
    public static func real(_ path: String) -> String? {
        SystemPath.real(path)
    }

    /// Whether canonical `path` is one of `roots` or below one of them.
    public static func isWithin(_ path: String, roots: [String]) -> Bool {
        roots.contains { root in path == root || path.hasPrefix(root == "/" ? root : root + "/") }
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
}

/// `read(2)` without the name clash with `FileReader.read` (Glibc on Linux, Darwin on macOS).
@inline(__always)
func systemRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buf, count)
    #else
    return Darwin.read(fd, buf, count)
    #endif
}
