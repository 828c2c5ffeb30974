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

    /// Segment-level matching by dynamic programming over (pattern suffix, path suffix):
    /// O(pattern × path) segment comparisons. Backtracking over each `**` was exponential in
    /// their number (ten `**` took half a minute on a deep path).
    private static func match(_ pat: ArraySlice<[Unicode.Scalar]>, _ path: ArraySlice<[Unicode.Scalar]>) -> Bool {
        let p = Array(pat), s = Array(path)
        // next[j]: pattern suffix i+1 matches path suffix j; row for i computed from it.
        var next = [Bool](repeating: false, count: s.count + 1)
        next[s.count] = true // the empty pattern matches only the empty path
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            var row = [Bool](repeating: false, count: s.count + 1)
            if p[i] == globstar {
                // `**` matches zero segments (next[j]) or one more (row[j + 1]).
                row[s.count] = next[s.count]
                for j in stride(from: s.count - 1, through: 0, by: -1) { row[j] = next[j] || row[j + 1] }
                // A trailing `**` matches everything, including the empty rest.
                if i == p.count - 1 { row = [Bool](repeating: true, count: s.count + 1) }
            } else {
                for j in 0..<s.count where next[j + 1] { row[j] = matchSegment(p[i], s[j]) }
            }
            next = row
        }
        return next[0]
    }

    package static func matchSegment(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
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
