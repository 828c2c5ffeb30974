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
    /// The tag's text: the signature backup tools look for, and a comment that says it is ours.
    package static let tag = Array("Signature: 8a477f597d28d172789f06886806bc55\n# newslint cache; safe to delete\n".utf8)
    /// The `.gitignore` newslint writes: git ignores the cache and the file itself.
    package static let ignore = Array("*\n".utf8)
    /// Entries a repository keeps so that the directory exists in every checkout: they neither
    /// stop the directory from being the cache nor are removed with it.
    package static let neutralNames: Set<String> = [".gitkeep", ".keep", ignoreName]

    /// Whether `directory` carries the tag newslint writes.
    package static func isNewslintCache(_ directory: String) -> Bool {
        guard let tag = FileManager.default.contents(atPath: directory + "/" + tagName) else { return false }
        return String(decoding: tag, as: UTF8.self).contains("newslint cache")
    }

    /// Why `directory` cannot hold the cache, or nil when it can: it does not exist yet, or holds
    /// only newslint's entries and neutral ones. A tag is not enough: an earlier version tagged
    /// directories that held a project, and such a one is not used again (`clean` mends it).
    package static func refusal(_ directory: String) -> String? {
        var st = FileStatus()
        guard SystemPath.stat(directory, &st) == 0 else { return nil }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return "it cannot be read"
        }
        let foreign = names.filter { !isOwnEntry($0, in: directory) && !neutralNames.contains($0) }.sorted()
        if foreign.isEmpty { return nil }
        let shown = foreign.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
        let tagged = isNewslintCache(directory) ? "; an earlier newslint tagged it as a cache: 'newslint clean' removes what newslint wrote there" : ""
        return "it holds files newslint did not write (\(shown))\(tagged)"
    }

    /// Whether `name` is an entry newslint writes in a cache directory: the tag, the key, cache
    /// files and their temporaries (`CachePruning.Kind`), files of earlier builds (`<key>.verified`),
    /// `AtomicWriter`'s temporaries for any of them, and a `.gitignore` that is exactly newslint's.
    package static func isOwnEntry(_ name: String, in directory: String) -> Bool {
        if name == ignoreName {
            return FileManager.default.contents(atPath: directory + "/" + name).map { Array($0) == ignore } ?? false
        }
        return isOwnName(name) || atomicTemporaryOf(name).map(isOwnName) == true
            || atomicTemporaryOf(name) == ignoreName
    }

    private static func isOwnName(_ name: String) -> Bool {
        if name == tagName || name == CacheKeyFile.name || name.hasPrefix(CacheKeyFile.name + ".tmp-") { return true }
        if CachePruning.Kind(name) != nil { return true }
        // `<key>.verified` (and its temporaries): written by builds of an earlier layout.
        let bytes = Array(name.utf8)
        return bytes.count > 17 && bytes[..<16].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            && name.utf8.dropFirst(16).starts(with: ".verified".utf8)
    }

    /// The name `AtomicWriter.tempName` made `name` from (`.NAME.newslint-XXXXXX`), or nil.
    private static func atomicTemporaryOf(_ name: String) -> String? {
        guard name.hasPrefix("."), let mark = name.range(of: ".newslint-", options: .backwards),
              mark.lowerBound > name.startIndex else { return nil }
        let base = name[name.index(after: name.startIndex)..<mark.lowerBound]
        return base.isEmpty ? nil : String(base)
    }

    /// Removes newslint's entries from `directory` one by one, then the directory itself when
    /// nothing else is left (`rmdir`, never recursive: what appears meanwhile stays). Returns the
    /// names it kept; empty when the directory is gone. A symbolic link to a cache keeps the link
    /// and its (emptied) target: the caller reports the files removed.
    package static func remove(_ directory: String) throws -> (kept: [String], removedDirectory: Bool) {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: directory)
        let kept = names.filter { !isOwnEntry($0, in: directory) }.sorted()
        for name in names where !kept.contains(name) { try fm.removeItem(atPath: directory + "/" + name) }
        if !kept.isEmpty { return (kept, false) }
        let removed = SystemPath.withCString(directory) { rmdir($0) } == 0
        return ([], removed)
    }
}
