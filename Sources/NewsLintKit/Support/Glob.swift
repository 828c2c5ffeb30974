/// Gitignore-style path globs: `*` (within a segment), `**` (any number of
/// segments), `?`, and `[abc]`. A pattern without `/` matches the file name at any depth.
public struct Glob: Sendable, Hashable {
    public let pattern: String
    /// Pattern segments as scalars, split once here rather than on every match.
    private let segments: [[Unicode.Scalar]]
    private let anchored: Bool
    private static let globstar: [Unicode.Scalar] = ["*", "*"]

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        anchored = p.contains("/")
        if p.hasPrefix("/") { p.removeFirst() }
        segments = p.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
    }

    /// Matches a relative path with `/` separators.
    public func matches(_ path: String) -> Bool {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        if parts.first == ["."] { parts.removeFirst() }
        if !anchored {
            guard let only = segments.first else { return false }
            // A bare name matches the file name or a directory anywhere in the path.
            return parts.contains { Glob.matchSegment(only, $0) }
        }
        return Glob.match(segments[...], parts[...])
    }

    private static func match(_ pat: ArraySlice<[Unicode.Scalar]>, _ path: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard let first = pat.first else { return path.isEmpty }
        if first == globstar {
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
        return matchSegment(first, seg) && match(pat.dropFirst(), path.dropFirst())
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
