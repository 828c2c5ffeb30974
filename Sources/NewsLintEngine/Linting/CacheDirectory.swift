import Foundation
import NewsLintCore

/// Which directories may hold newslint's cache, and what of one is newslint's to remove.
///
/// Why: a cache directory can be named by `--cache-dir`, `NEWSLINT_CACHE_DIR` or the config, and
/// a mistaken name (`.`, the corpus) must not turn a project into a "cache": tagging it wrote
/// CACHEDIR.TAG and a `.gitignore` of `*` over the project's own, and `newslint clean` then
/// removed the whole directory, articles included. A directory becomes a cache only when it is
/// new, empty or already newslint's; `clean` removes only the entries newslint writes.
package enum CacheDirectory {
    package static let tagName = "CACHEDIR.TAG"
    package static let ignoreName = ".gitignore"
    /// The tag's text: the signature backup tools look for, and a comment that says it is ours.
    package static let tag = Array("Signature: 8a477f597d28d172789f06886806bc55\n# newslint cache; safe to delete\n".utf8)
    /// The `.gitignore` newslint writes: git ignores the cache and the file itself.
    package static let ignore = Array("*\n".utf8)

    /// Whether `directory` carries the tag newslint writes.
    package static func isNewslintCache(_ directory: String) -> Bool {
        guard let tag = FileManager.default.contents(atPath: directory + "/" + tagName) else { return false }
        return String(decoding: tag, as: UTF8.self).contains("newslint cache")
    }

    /// Why `directory` cannot hold the cache, or nil when it can: it does not exist yet, is
    /// newslint's (tagged), or holds nothing newslint did not write.
    package static func refusal(_ directory: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        if isNewslintCache(directory) { return nil }
        let foreign = names.filter { !isOwnEntry($0, in: directory) }.sorted()
        if foreign.isEmpty { return nil }
        let shown = foreign.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        return "it already holds files newslint did not write (\(shown)\(foreign.count > 3 ? ", …" : "")) and no newslint CACHEDIR.TAG"
    }

    /// Whether `name` is an entry newslint writes in a cache directory.
    package static func isOwnEntry(_ name: String, in directory: String) -> Bool {
        if name == tagName || CachePruning.Kind(name) != nil { return true }
        if name == CacheKeyFile.name || name.hasPrefix(CacheKeyFile.name + ".tmp-") { return true }
        // A `.gitignore` only when it is the one newslint wrote; a project's own stays.
        if name == ignoreName { return FileManager.default.contents(atPath: directory + "/" + name).map { Array($0) == ignore } ?? false }
        return false
    }

    /// Removes newslint's entries from `directory`, and the directory when nothing else is left.
    /// Returns the names of the entries it kept (not newslint's); empty when the directory is gone.
    package static func remove(_ directory: String) throws -> [String] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: directory)
        let kept = names.filter { !isOwnEntry($0, in: directory) }.sorted()
        if kept.isEmpty {
            try fm.removeItem(atPath: directory)
            return []
        }
        for name in names where !kept.contains(name) { try fm.removeItem(atPath: directory + "/" + name) }
        return kept
    }
}
