import Foundation
import NewsLintCore
import NewsLintRules
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
    /// The system's reason when a call failed (its text ends `message`): what callers test, not the text.
    public var errno: Int32? = nil
    /// A symbolic link not followed because it leads outside the linted paths (`--follow-symlinks`).
    public var leadsOutside = false
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
    package func configuration(forDirectory directory: String) -> Configuration {
        resolver?.configuration(forDirectory: absolute(directory)) ?? config
    }
    /// Follow symlinks that lead out of the roots (`--follow-symlinks`).
    public var followSymlinks = false
    /// Bytes of the found paths kept in memory before the rest go to a temporary file (`PathList`).
    public var pathMemoryBudget = PathList.defaultMemoryBudget
    /// List the subdirectories the walk enters next on another thread (`ListingPrefetch`); off
    /// for a run asked to use one thread (`--jobs 1`).
    public var listsAhead = true

    public init(config: Configuration, base: String = FileManager.default.currentDirectoryPath) {
        self.config = config
        self.base = base
    }

    /// The absolute location of a (possibly relative) input path.
    public func absolute(_ path: String) -> String { PathResolver.absolute(path, base: base) }

    /// The files as a compact `PathList`: a corpus of 200,000 files does not keep a `String` per path.
    public func expand(_ paths: [String], forceExclude: Bool = false) -> (files: PathList, problems: [InputProblem]) {
        var files = PathList(memoryBudget: pathMemoryBudget)
        var problems: [InputProblem] = []
        let roots = self.roots(paths)
        for path in paths {
            var st = stat()
            guard SystemPath.stat(absolute(path), &st) == 0 else {
                let err = errno
                if SystemPath.lstat(absolute(path), &st) == 0 {
                    problems.append(InputProblem(path: path, message: DirectoryReader.unresolvedLink(err), isFailure: true, errno: err))
                } else {
                    problems.append(InputProblem(path: path, message: "cannot open: \(String(cString: strerror(err)))", isFailure: true, errno: err))
                }
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var visited = Set<FileIdentity>()
                let ignores = respectIgnoreFiles ? IgnoreStack.ancestors(of: absolute(path)) : IgnoreStack()
                let prefetch = listsAhead ? ListingPrefetch() : nil
                walk(directory: path, visited: &visited, files: &files, problems: &problems, ignores: ignores, roots: roots, prefetch: prefetch)
                prefetch?.stop()
            } else {
                // Explicit files are linted whatever their extension (and, unless forceExclude, whatever exclude says);
                // special files are reported by the reader.
                if forceExclude && !configuration(forDirectory: PathComponents.deletingLastComponent(absolute(path))).isIncluded(absolute(path)) { continue }
                files.append(path)
            }
        }
        // One path walks each directory entry once: duplicates only arise from several paths.
        // The walk is usually already in byte order (names are sorted per directory), which the
        // list tracks as paths are appended; otherwise check before sorting.
        let inOrder = files.isStrictlyIncreasing || zip(files, files.dropFirst()).allSatisfy { !$1.utf8.lexicographicallyPrecedes($0.utf8) }
        if paths.count > 1 || !inOrder {
            var unique: [String] = []
            // Keyed by bytes: Swift's String equality is canonical equivalence, so NFC and NFD
            // spellings of one name (two different files on Linux) would collapse into one.
            var set = Set<[UInt8]>()
            // Several paths can name one file in two spellings (`corpus ./corpus`, `a.md $PWD/a.md`):
            // it is linted once, under the first spelling met (twice, it was its own duplicate).
            for f in files where paths.count == 1 || set.insert(Array(PathResolver.droppingDotComponents(absolute(f)).utf8)).inserted { unique.append(f) }
            if !inOrder { unique.sort { $0.bytesPrecede($1) } }
            files = PathList(memoryBudget: pathMemoryBudget)
            for path in unique { files.append(path) }
        }
        return (files, problems)
    }

    package struct FileIdentity: Hashable {
        package let device: UInt64
        package let inode: UInt64
    }

    /// The command-line paths with every symlink resolved: what a walk may reach and `--fix` may write.
    public func roots(_ paths: [String]) -> [String] {
        paths.filter { $0 != "-" }.compactMap { PathResolver.real(absolute($0)) }
    }

    private func walk(directory: String, visited: inout Set<FileIdentity>, files: inout PathList, problems: inout [InputProblem], ignores: IgnoreStack, roots: [String],
                      prefetch: ListingPrefetch?) {
        var st = stat()
        guard SystemPath.stat(absolute(directory), &st) == 0 else {
            // Never silently: an over-long path (ENAMETOOLONG) or a directory that vanished.
            let err = errno
            problems.append(InputProblem(path: directory, message: "cannot open directory: \(String(cString: strerror(err)))", isFailure: true, errno: err))
            return
        }
        let id = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        guard visited.insert(id).inserted else {
            problems.append(InputProblem(path: directory, message: "directory symlink loop; not followed", isFailure: false))
            return
        }
        defer { visited.remove(id) }
        let read: DirectoryReader.Listing?
        if let prefetch { read = prefetch.take(absolute(directory)) } else { read = DirectoryReader.listing(absolute(directory)) }
        guard let listing = read else {
            let err = errno
            problems.append(InputProblem(path: directory, message: "cannot read directory: \(String(cString: strerror(err)))", isFailure: true, errno: err))
            return
        }
        let config = configuration(forDirectory: directory)
        var ignores = ignores
        if respectIgnoreFiles && listing.indices.contains(where: { i in IgnoreStack.fileNames.contains { listing.hasName(i, $0) } }) {
            ignores.push(directory: absolute(directory))
        }
        // Plain files under a configuration without include/exclude globs and no ignore files: the
        // path is the directory's bytes, a slash and the name's (no `String` per file). Names that
        // are not plain UTF-8 or start with a dot take the general way below.
        let plainFiles = config.include.isEmpty && config.exclude.isEmpty && ignores.files.isEmpty
        let prefix: [UInt8] = directory == "." ? [] : Array((directory.hasSuffix("/") ? directory : directory + "/").utf8)
        let extensions = config.extensions.map { Array($0.utf8) }
        if let prefetch {
            // The subdirectories the loop below may enter, in its order (one it skips is dropped).
            prefetch.request(listing.indices.compactMap { i -> String? in
                guard listing.kind(i) == .directory else { return nil }
                let name = listing.name(i)
                guard !name.hasPrefix("."), !Self.isSkippedDirectory(name) else { return nil }
                let child = absolute(Self.child(name, of: directory))
                return config.isExcludedDirectory(child) ? nil : child
            })
        }
        // A plain file's path is built after the directory's prefix, written once, in one buffer a
        // directory: a path array refilled with the prefix and the name per file cost ~280
        // instructions a file (two appends and a `removeAll`) on top of the copy into the list.
        // On the heap: the walk recurses into subdirectories while it is held, and a buffer on the
        // stack at every level would add up in a deep tree.
        let pathBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: prefix.count + Self.longestName)
        defer { pathBuffer.deallocate() }
        _ = pathBuffer.initialize(fromContentsOf: prefix)
        for i in listing.indices {
            if plainFiles && listing.kind(i) == .file {
                var handled = false
                listing.withName(i) { name in
                    guard let first = name.first, first != UInt8(ascii: "."), listing.namesArePlainUTF8 || Self.isPlainUTF8(name) else { return }
                    handled = true
                    guard extensions.contains(where: { Self.hasSuffixIgnoringASCIICase(name, $0) }) else { return }
                    if name.count <= Self.longestName, let to = pathBuffer.baseAddress, let from = name.baseAddress {
                        (to + prefix.count).initialize(from: from, count: name.count)
                        files.append(utf8Bytes: UnsafeBufferPointer(rebasing: pathBuffer[..<(prefix.count + name.count)]))
                    } else {
                        files.append(utf8: prefix + Array(name))
                    }
                }
                if handled { continue }
            }
            let name = listing.name(i), kind = listing.kind(i)
            if name.hasPrefix(".") { continue }
            let child = Self.child(name, of: directory)
            // readdir's type saves a stat per entry; symlinks and unknown types are stat'ed (followed).
            var type = kind
            if type == .other {
                var cst = stat()
                if SystemPath.stat(absolute(child), &cst) != 0 {
                    let err = errno
                    var lst = stat()
                    if SystemPath.lstat(absolute(child), &lst) == 0 && matchesExtension(name, config) {
                        problems.append(InputProblem(path: child, message: DirectoryReader.unresolvedLink(err), isFailure: true, errno: err))
                    }
                    continue
                }
                type = (cst.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
                if !followSymlinks, type == .directory || matchesExtension(name, config),
                   let target = PathResolver.real(absolute(child)), !PathResolver.isWithin(target, roots: roots) {
                    problems.append(InputProblem(path: child, message: "symbolic link to \(target), outside the linted paths; not followed (use --follow-symlinks)", isFailure: false,
                                                 leadsOutside: true))
                    continue
                }
            }
            if type == .directory {
                if Self.isSkippedDirectory(name) { continue }
                if config.isExcludedDirectory(absolute(child)) { continue }
                if !ignores.files.isEmpty && ignores.isIgnored(PathResolver.standardized(absolute(child)), isDirectory: true) { continue }
                walk(directory: child, visited: &visited, files: &files, problems: &problems, ignores: ignores, roots: roots, prefetch: prefetch)
            } else if matchesExtension(name, config) && config.isIncluded(absolute(child))
                        && (ignores.files.isEmpty || !ignores.isIgnored(PathResolver.standardized(absolute(child)), isDirectory: false)) {
                files.append(child)
            }
        }
    }

    /// The longest name the buffered path takes (`NAME_MAX` on Linux, whose `d_name` holds 256 bytes
    /// with its NUL); a longer name (macOS allows more) takes the general way.
    private static let longestName = 255

    /// The path of the entry `name` of `directory`, as the walk reports it.
    private static func child(_ name: String, of directory: String) -> String {
        directory == "." ? name : (directory.hasSuffix("/") ? directory + name : directory + "/" + name)
    }

    /// Directories never walked into whatever the configuration says (build output, packages).
    private static func isSkippedDirectory(_ name: String) -> Bool { name == ".build" || name == "node_modules" }

    /// Case-insensitive (ASCII) suffix test on the name's bytes: called for every directory entry,
    /// so no lowercased copy of each name.
    private func matchesExtension(_ name: String, _ config: Configuration) -> Bool {
        config.extensions.contains { Self.hasSuffixIgnoringASCIICase(name.utf8, $0.utf8) }
    }

    package static func hasSuffixIgnoringASCIICase<N: BidirectionalCollection<UInt8>, S: Collection<UInt8>>(_ name: N, _ suffix: S) -> Bool {
        guard suffix.count <= name.count else { return false }
        func fold(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        return zip(name.suffix(suffix.count), suffix).allSatisfy { fold($0) == fold($1) }
    }

    /// Well-formed UTF-8 without the lead byte F4 (where `SystemPath` carries raw bytes): such a
    /// name's `String` has exactly these bytes, so its path can be built from them.
    package static func isPlainUTF8(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        // The core's validator (runs of Chinese characters a load at a time: ~1 instruction a
        // byte, a sixth of a sequence-by-sequence walk; discovery is serial) and a memchr for F4.
        guard let base = name.baseAddress, !name.isEmpty else { return true }
        return memchr(base, 0xF4, name.count) == nil && UTF8Validation.firstInvalidOffset(in: name) == nil
    }
}

/// Lists a directory with `readdir`, keeping the entry type it reports (no stat per entry).
package enum DirectoryReader {
    package enum Kind { case file, directory, other }

    /// A symbolic link whose target cannot be reached (`stat` failed with `err`, `lstat` did not).
    package static func unresolvedLink(_ err: Int32) -> String {
        switch err {
        case ELOOP: return "symbolic link loop (the link leads back to itself); remove the link or point it at a file"
        case ENOENT, ENOTDIR: return "broken symbolic link (its target does not exist); remove the link or fix its target"
        default: return "symbolic link whose target cannot be read: \(String(cString: strerror(err)))"
        }
    }

    /// Entries sorted by the bytes of their names (the order paths are reported in; String's `<`
    /// compares canonical equivalents, normalizing each name); nil (errno set) when the directory
    /// cannot be opened.
    package static func entries(_ path: String) -> [(name: String, kind: Kind)]? {
        guard let listing = listing(path) else { return nil }
        return listing.indices.map { (listing.name($0), listing.kind($0)) }
    }

    /// A directory's names as bytes in one buffer, in byte order; a name becomes a `String` only
    /// when asked for (a walk builds most paths from the bytes).
    package struct Listing {
        fileprivate let names: [UInt8]
        fileprivate let found: [(start: Int, count: Int, kind: Kind)]
        fileprivate let order: [Int]
        /// Every name is plain UTF-8 (`FileDiscovery.isPlainUTF8`), checked once over all the bytes.
        package let namesArePlainUTF8: Bool

        package var indices: Range<Int> { order.indices }
        package func kind(_ i: Int) -> Kind { found[order[i]].kind }

        package func withName<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            let entry = found[order[i]]
            return names.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[entry.start..<(entry.start + entry.count)])) }
        }

        /// Byte-exact: a name that is not UTF-8 keeps its bytes (SystemPath), so it can be opened again.
        package func name(_ i: Int) -> String { withName(i) { SystemPath.decode($0) } }

        /// Lengths first: asked of every entry for the ignore files' names when ignore files are respected.
        package func hasName(_ i: Int, _ name: String) -> Bool {
            found[order[i]].count == name.utf8.count && withName(i) { $0.elementsEqual(name.utf8) }
        }
    }

    /// Indices of `found` in the byte order of their names (shorter first on a common prefix).
    ///
    /// Each entry is compared by a key of 16 bytes taken after the prefix all names share (a
    /// corpus directory's names often share a date, so the first bytes rarely decide), zero-padded:
    /// names hold no NUL byte, so the padding orders a shorter name first as the bytes do. Only
    /// equal keys compare the whole names. A comparison closure slicing the buffer per call cost
    /// ~130 instructions a comparison (118 M to sort 10 directories of 7,188 names).
    package static func sortedOrder(of found: [(start: Int, count: Int, kind: Kind)], in all: UnsafeBufferPointer<UInt8>) -> [Int] {
        guard found.count > 1, let base = all.baseAddress else { return Array(found.indices) }
        let raw = UnsafeRawPointer(base)
        var shared = found[0].count
        for entry in found.dropFirst() where shared > 0 {
            let n = Swift.min(shared, entry.count)
            // Eight bytes a step while they agree.
            var k = 0
            while k + 8 <= n && raw.loadUnaligned(fromByteOffset: found[0].start + k, as: UInt64.self)
                == raw.loadUnaligned(fromByteOffset: entry.start + k, as: UInt64.self) { k += 8 }
            while k < n && base[found[0].start + k] == base[entry.start + k] { k += 1 }
            shared = k
        }
        /// The name's bytes `from..<from + 8` as a big-endian word, zero past its end: one load
        /// where all eight are in the name. (Built a byte at a time, and the shared prefix found
        /// a byte at a time, sorting agora ×10's listings cost 65 M instructions instead of 42 M.)
        func word(_ entry: (start: Int, count: Int, kind: Kind), _ from: Int) -> UInt64 {
            let available = entry.count - from
            if available >= 8 { return UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: entry.start + from, as: UInt64.self)) }
            var value: UInt64 = 0
            for k in 0..<8 { value = value << 8 | (k < available ? UInt64(base[entry.start + from + k]) : 0) }
            return value
        }
        var keyed = found.indices.map { i in (high: word(found[i], shared), low: word(found[i], shared + 8), index: i) }
        keyed.sort { x, y in
            if x.high != y.high { return x.high < y.high }
            if x.low != y.low { return x.low < y.low }
            let a = found[x.index], b = found[y.index]
            let n = Swift.min(a.count, b.count)
            if n > 0 {
                let c = memcmp(base + a.start, base + b.start, n)
                if c != 0 { return c < 0 }
            }
            return a.count < b.count
        }
        return keyed.map(\.index)
    }

    /// The entries of `path` (see `entries`); nil (errno set) when the directory cannot be opened.
    package static func listing(_ path: String) -> Listing? {
        guard let dir = SystemPath.withCString(path, { opendir($0) }) else { return nil }
        defer { closedir(dir) }
        // Names go into one buffer and are sorted there (`sortedOrder`), decoded only when asked for.
        var names: [UInt8] = []
        var found: [(start: Int, count: Int, kind: Kind)] = []
        while let entry = readdir(dir) {
            let raw = withUnsafePointer(to: &entry.pointee.d_name) {
                UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self)
            }
            let name = UnsafeBufferPointer(start: raw, count: strlen(UnsafeRawPointer(raw).assumingMemoryBound(to: CChar.self)))
            if raw[0] == UInt8(ascii: "."), name.count == 1 || (name.count == 2 && raw[1] == UInt8(ascii: ".")) { continue }
            let kind: Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            default: kind = .other
            }
            found.append((names.count, name.count, kind))
            names.append(contentsOf: name)
        }
        let order = names.withUnsafeBufferPointer { sortedOrder(of: found, in: $0) }
        // The names' bytes are valid UTF-8 as a whole and each name starts a character (no
        // continuation byte first), so each is whole characters: one validation a directory
        // instead of one a name. It saves only the calls (33.0 → 30.4 M at agora ×10): the
        // validation itself is ~4.5 instructions a byte of these names.
        let plain = names.withUnsafeBufferPointer { all in
            found.allSatisfy { $0.count > 0 && all[$0.start] & 0xC0 != 0x80 } && FileDiscovery.isPlainUTF8(all)
        }
        return Listing(names: names, found: found, order: order, namesArePlainUTF8: plain)
    }
}

