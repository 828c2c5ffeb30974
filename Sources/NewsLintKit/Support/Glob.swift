/// Gitignore-style path globs: `*` (within a segment), `**` (any number of
/// segments), `?`, and `[abc]`. A pattern without `/` matches the file name at any depth.
public struct Glob: Sendable, Hashable {
    public let pattern: String
    private let segments: [String]
    private let anchored: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        anchored = p.contains("/")
        if p.hasPrefix("/") { p.removeFirst() }
        segments = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// Matches a relative path with `/` separators.
    public func matches(_ path: String) -> Bool {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.first == "." { parts.removeFirst() }
        if !anchored {
            guard let last = parts.last, let only = segments.first else { return false }
            // A bare name also matches a directory anywhere in the path.
            return parts.contains { Glob.matchSegment(Array(only.unicodeScalars), Array($0.unicodeScalars)) } || Glob.matchSegment(Array(only.unicodeScalars), Array(last.unicodeScalars))
        }
        return Glob.match(segments[...], parts[...])
    }

    /// True when the directory `path` could contain matches (prefix pruning for walks).
    private static func match(_ pat: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pat.first else { return path.isEmpty }
        if first == "**" {
            let rest = pat.dropFirst()
            if rest.isEmpty { return true }
            var p = path
            while true {
                if match(rest, p) { return true }
                if p.isEmpty { return false }
                p = p.dropFirst()
            }
        }
        guard let seg = path.first else { return false }
        return matchSegment(Array(first.unicodeScalars), Array(seg.unicodeScalars)) && match(pat.dropFirst(), path.dropFirst())
    }

    static func matchSegment(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var pi = 0, si = 0
        var star = -1, mark = 0
        while si < s.count {
            if pi < p.count {
                let c = p[pi]
                if c == "*" { star = pi; mark = si; pi += 1; continue }
                if c == "?" { pi += 1; si += 1; continue }
                if c == "[", let close = p[(pi + 1)...].firstIndex(of: "]") {
                    let set = p[(pi + 1)..<close]
                    if classMatches(set, s[si]) { pi = close + 1; si += 1; continue }
                } else if c == s[si] { pi += 1; si += 1; continue }
            }
            if star >= 0 { pi = star + 1; mark += 1; si = mark; continue }
            return false
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    private static func classMatches(_ set: ArraySlice<Unicode.Scalar>, _ c: Unicode.Scalar) -> Bool {
        var negate = false
        var items = set
        if let f = items.first, f == "!" || f == "^" { negate = true; items = items.dropFirst() }
        var found = false
        var i = items.startIndex
        while i < items.endIndex {
            if i + 2 < items.endIndex && items[i + 1] == "-" {
                if items[i].value <= c.value && c.value <= items[i + 2].value { found = true }
                i += 3
            } else {
                if items[i] == c { found = true }
                i += 1
            }
        }
        return found != negate
    }
}
