/// "Did you mean …?" suggestions by edit distance.
public enum Suggest {
    /// The one wording of a hint: `; did you mean 'x'?` when a candidate is close to `word`, else `otherwise`.
    /// `spelling` writes the candidate as the user would type it (e.g. `--name` for a flag).
    public static func hint(for word: String, in candidates: [String], otherwise: String = "",
                            spelling: (String) -> String = { $0 }) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\(spelling($0))'?" } ?? otherwise
    }

    /// The candidate closest to `word` if it is close enough to be a plausible typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().unicodeScalars))
            if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(2, min(w.count, candidate.count) / 3)
        return d <= limit ? candidate : nil
    }

    /// Levenshtein distance with adjacent transpositions.
    package static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            prev2 = prev
            prev = cur
        }
        return prev[b.count]
    }
}
