import Foundation
import NewsLintCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which directories may hold newslint's cache, and what of one is newslint's to remove.
///
/// Why: a cache directory can be named by `--cache-dir`, `NEWSLINT_CACHE_DIR` or the config, and
/// a mistaken name (`.`, the corpus) must not turn a project into a "cache": tagging it wrote
/// CACHEDIR.TAG and a `.gitignore` of `*` over the project's own, and `newslint clean` then
/// removed the whole directory, articles included. A directory is used only while it holds
/// nothing but newslint's entries (and a few neutral ones); `clean` removes only newslint's.
package enum CacheDirectory {
    package static let tagName = "CACHEDIR.TAG"
    package static let ignoreName = ".gitignore"
    /// What in the tag says it is newslint's (older tags hold it too).
    private static let tagMarker = "newslint cache"
    /// The tag's text: the signature backup tools look for, and a comment that says it is ours.
    package static let tag = Array("Signature: 8a477f597d28d172789f06886806bc55\n# \(tagMarker); safe to delete\n".utf8)
    /// The `.gitignore` newslint writes: git ignores the cache and the file itself.
    package static let ignore = Array("*\n".utf8)
    /// Entries a repository keeps so that the directory exists in every checkout: they neither
    /// stop the directory from being the cache nor are removed with it.
    package static let neutralNames: Set<String> = [".gitkeep", ".keep", ignoreName]

    /// Whether `directory` carries the tag newslint writes. Read as `FileReader` reads (no FIFO
    /// waited on, no size read whole): the directory may be anybody's.
    package static func isNewslintCache(_ directory: String) -> Bool {
        guard case let .bytes(tag) = FileReader.read(directory + "/" + tagName, maxSize: 4096) else { return false }
        return String(decoding: tag, as: UTF8.self).contains(tagMarker)
    }

    /// Why `directory` cannot hold the cache, or nil when it can: it does not exist yet, or holds
    /// only newslint's entries and neutral ones. A tag is not enough: an earlier version tagged
    /// directories that held a project, and such a one is not used again (`clean` mends it).
    package static func refusal(_ directory: String) -> String? {
        var st = FileStatus()
        guard SystemPath.stat(directory, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) != S_IFDIR { return "it is not a directory" }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return "it cannot be read"
        }
        let foreign = names.filter { !neutralNames.contains($0) && !isOwnEntry($0, in: directory) }.sorted()
        if foreign.isEmpty { return nil }
        let tagged = isNewslintCache(directory) ? "; an earlier newslint tagged it as a cache: 'newslint clean' removes what newslint wrote there" : ""
        return "it holds files newslint did not write (\(listed(foreign)))\(tagged)"
    }

    /// The first few of `names`, quoted, for a message.
    package static func listed(_ names: [String]) -> String {
        names.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 3 ? ", …" : "")
    }

    /// Whether `name` is an entry newslint writes in a cache directory: the tag, the key
    /// (`CacheKeyFile`), cache files (`CachePruning.Kind`), `AtomicWriter`'s temporaries of any of
    /// them, and a `.gitignore` that is exactly newslint's.
    package static func isOwnEntry(_ name: String, in directory: String) -> Bool {
        if name == ignoreName {
            guard case let .bytes(content) = FileReader.read(directory + "/" + name, maxSize: ignore.count) else { return false }
            return content == ignore
        }
        if let target = AtomicWriter.targetName(ofTemporary: name) { return isOwnName(target) || target == ignoreName }
        return isOwnName(name)
    }

    private static func isOwnName(_ name: String) -> Bool {
        name == tagName || CacheKeyFile.isOwnName(name) || CachePruning.Kind(name) != nil
    }

    /// Removes newslint's entries from `directory` one by one, then the directory itself when
    /// nothing else is left (`rmdir`, never recursive: what appears meanwhile stays). Returns the
    /// names it kept; empty when the directory is gone. A symbolic link to a cache keeps the link
    /// and its (emptied) target: the caller reports the files removed.
    package static func remove(_ directory: String) throws -> (kept: [String], removedDirectory: Bool) {
        let fm = FileManager.default
        var own: [String] = [], kept: [String] = []
        for name in try fm.contentsOfDirectory(atPath: directory) {
            if isOwnEntry(name, in: directory) { own.append(name) } else { kept.append(name) }
        }
        for name in own { try fm.removeItem(atPath: directory + "/" + name) }
        kept.sort()
        if !kept.isEmpty { return (kept, false) }
        let removed = SystemPath.withCString(directory) { rmdir($0) } == 0
        return ([], removed)
    }
}
