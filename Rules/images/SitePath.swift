import Foundation

/// Local image paths resolved as a browser resolves a URL path: `.` and `..` segments taken out
/// lexically, so a source cannot reach the machine's files by climbing out of the site
/// (`/img/../../../etc/hostname`) and the probe is asked about the file the page would load.
package enum SitePath {
    /// Absolute `path` with its `.` segments dropped and each `..` taking the segment before it;
    /// nil when a `..` has no segment left to take (the path climbs above `/`). Empty segments
    /// (`a//b`) are kept out; a trailing `/` is kept.
    package static func normalized(_ path: String) -> String? {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                guard segments.popLast() != nil else { return nil }
            default: segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return "/" + segments.joined(separator: "/") + trailing
    }

    /// Whether `path` is `directory` or below it (both normalised, absolute).
    package static func isWithin(_ path: String, _ directory: String) -> Bool {
        directory == "/" || path == directory || (path.hasPrefix(directory) && path.utf8.dropFirst(directory.utf8.count).first == 0x2F)
    }

    /// The deepest directory holding both `a` and `b` (normalised, absolute).
    package static func commonAncestor(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "/"), y = b.split(separator: "/")
        let shared = zip(x, y).prefix(while: { $0 == $1 }).map(\.0)
        return "/" + shared.joined(separator: "/")
    }

    /// The directory a relative source of a document in `documentDirectory` must stay within: with
    /// image roots, the shallowest common ancestor of the document's directory and a root (for
    /// Hugo's `content/…` and `static`, the site); without, `/` (only a path climbing above the file
    /// system's root is outside).
    package static func siteDirectory(documentDirectory: String, roots: [String]) -> String {
        roots.map { commonAncestor(documentDirectory, normalized($0) ?? "/") }.min(by: { $0.utf8.count < $1.utf8.count }) ?? "/"
    }
}
