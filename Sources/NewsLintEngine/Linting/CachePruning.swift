import Foundation
import NewsLintCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps a cache directory from growing with every configuration and every newslint build: each
/// has its own key and so its own cache file (tens of MB on a large corpus), which nothing reads
/// once that key is no longer used.
///
/// A cache file's modification time says when it was last used: a run writes it when anything
/// changed and touches it, at most once a day, when it only read it. Files of other keys unused
/// for `unusedFor` are removed when a run saves; so are temporary files of runs that were killed
/// before they could remove them. Only names newslint writes are considered.
package enum CachePruning {
    package static let unusedFor: Int64 = 7 * 24 * 3600
    /// Older than any run: a temporary file this old belongs to a run that was killed.
    package static let abandonedAfter: Int64 = 2 * 24 * 3600
    /// How stale a used cache file's time may get before a run touches it.
    package static let touchAfter: Int64 = 24 * 3600

    /// Marks `file` as used now when its time is older than `touchAfter` (it was only read).
    package static func noteUse(of file: String, now: Int64) {
        var st = stat()
        guard SystemPath.stat(file, &st) == 0, modified(st) < now - touchAfter else { return }
        _ = SystemPath.withCString(file) { utimes($0, nil) }
    }

    /// Removes from `directory` the cache files of keys other than `current`'s unused for
    /// `unusedFor` (a key's `.cache` and `.cross-file` go together, aged by the newer of the two),
    /// and abandoned temporary files; returns the names removed. Errors are ignored: pruning is
    /// housekeeping and never fails a run.
    @discardableResult
    package static func prune(directory: String, current: String, now: Int64) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let currentKey = String(PathComponents.lastComponent(current).prefix(16))
        var byKey: [String: (newest: Int64, names: [String])] = [:]
        var remove: [String] = []
        for name in names {
            guard let kind = Kind(name) else { continue }
            let key = String(name.prefix(16))
            var st = stat()
            guard SystemPath.stat(directory + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = modified(st)
            switch kind {
            case .retired: continue
            case .temporary:
                if now - modified > abandonedAfter { remove.append(name) }
            case .cache:
                guard key != currentKey else { continue }
                let known = byKey[key]
                byKey[key] = (max(known?.newest ?? modified, modified), (known?.names ?? []) + [name])
            }
        }
        for (_, group) in byKey where now - group.newest > unusedFor { remove += group.names }
        var removed: [String] = []
        for name in remove.sorted() where SystemPath.withCString(directory + "/" + name, { unlink($0) }) == 0 {
            removed.append(name)
        }
        return removed
    }

    private static func modified(_ st: stat) -> Int64 {
        #if canImport(Darwin)
        return Int64(st.st_mtimespec.tv_sec)
        #else
        return Int64(st.st_mtim.tv_sec)
        #endif
    }

    /// A cache file of newslint's, by name: `<key>.cache`, `<key>.cross-file` (16 hex digits), their
    /// temporary files (`.tmp-`, `.fresh-`, `.cross-fresh-` + pid), and `<key>.verified…` of
    /// builds of an earlier layout (retired: nothing reads them; pruning leaves them to `clean`).
    /// The directory's other entries: `CacheDirectory`.
    package enum Kind: Equatable {
        case cache, temporary, retired

        package init?(_ name: String) {
            let bytes = Array(name.utf8)
            guard bytes.count > 16, bytes[..<16].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }), bytes[16] == 0x2E else { return nil }
            let rest = String(decoding: bytes[17...], as: UTF8.self)
            if rest == "cache" || rest == "cross-file" { self = .cache; return }
            if rest.hasPrefix("verified") { self = .retired; return }
            let temporaryMarks = [".tmp-", ".fresh-", ".cross-fresh-"]
            if (rest.hasPrefix("cache") || rest.hasPrefix("cross-file")), temporaryMarks.contains(where: { rest.contains($0) }) { self = .temporary; return }
            return nil
        }
    }
}
