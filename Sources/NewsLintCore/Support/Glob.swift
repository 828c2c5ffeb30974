/// Gitignore-style path globs: `*` (within a segment), `**` (any number of
/// segments), `?`, and `[abc]`. A pattern without `/` matches the file name at any depth.
public struct Glob: Sendable, Hashable {
    public let pattern: String
    /// Pattern segments as scalars, split once here rather than on every match.
    private let segments: [[Unicode.Scalar]]
    private let anchored: Bool
    private static let globstar: [Unicode.Scalar] = ["*", "*"]
    /// A bare `name*` pattern (no other wildcard): its UTF-8 before the star, matched as a byte
    /// prefix of each path segment without building scalar arrays (`SitePages` asks per file and rule).
    @usableFromInline let bareLiteralPrefix: [UInt8]?

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        anchored = p.contains("/")
        if p.hasPrefix("/") { p.removeFirst() }
        segments = p.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        if !anchored, segments.count == 1, let only = segments.first, only.last == "*",
           !only.dropLast().contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
            bareLiteralPrefix = Array(String(String.UnicodeScalarView(only.dropLast())).utf8)
        } else {
            bareLiteralPrefix = nil
        }
    }

    /// Whether a `[` in the pattern has no `]` after it in its segment. `matchSegment` then takes
    /// the `[` literally, so the glob matches nothing anyone writing a class meant; configs report
    /// it (a literal `[` is written `[[]`).
    public var hasUnclosedBracket: Bool {
        segments.contains { segment in
            var i = 0
            while i < segment.count {
                if segment[i] == "[" {
                    // As `matchSegment` reads a class: up to the first `]` after the `[`.
                    guard let close = segment[(i + 1)...].firstIndex(of: "]") else { return true }
                    i = close + 1
                } else {
                    i += 1
                }
            }
            return false
        }
    }

    /// Matches a relative path with `/` separators.
    public func matches(_ path: String) -> Bool {
        if let prefix = bareLiteralPrefix { return Self.anySegment(of: path, startsWith: prefix) }
        return matchesBySegments(path)
    }

    /// `matches(name)` for a file name (no `/`) given as its UTF-8 bytes, when the pattern is a bare
    /// `name*` prefix (the same test as `anySegment` on a single segment); nil for any other
    /// pattern, which `matches` answers. `SitePages` asks per file and rule without making a `String`.
    /// Inlinable: called across modules, the call copied the whole glob (retaining and releasing
    /// its pattern, segments and prefix), ~600 instructions a file and rule for two globs.
    @inlinable
    package func matchesFileName(_ name: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let prefix = bareLiteralPrefix else { return nil }
        if name.isEmpty || (name.count == 1 && name[0] == UInt8(ascii: ".")) { return false }
        return name.count >= prefix.count && prefix.indices.allSatisfy { name[$0] == prefix[$0] }
    }

    /// `matches` without the byte fast path (tests compare the two).
    package func matchesBySegments(_ path: String) -> Bool {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        if parts.first == ["."] { parts.removeFirst() }
        if !anchored {
            guard let only = segments.first else { return false }
            // A bare name matches the file name or a directory anywhere in the path.
            return parts.contains { Glob.matchSegment(only, $0) }
        }
        return Glob.match(segments[...], parts[...])
    }

    /// Whether a `/`-separated segment of `path` (not a leading `.`) starts with `prefix`: what
    /// `matchSegment` answers for `prefix*` (a scalar prefix is a UTF-8 byte prefix).
    private static func anySegment(of path: String, startsWith prefix: [UInt8]) -> Bool {
        let b = Array(path.utf8)
        var start = 0, first = true
        while start < b.count {
            var end = start
            while end < b.count && b[end] != UInt8(ascii: "/") { end += 1 }
            if end > start {
                let isDot = end - start == 1 && b[start] == UInt8(ascii: ".")
                if !(first && isDot), end - start >= prefix.count, prefix.indices.allSatisfy({ b[start + $0] == prefix[$0] }) { return true }
                first = false
            }
            start = end + 1
        }
        return false
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
