import Foundation

/// Rejects rule-pack regexes whose matching time cannot be bounded. ICU backtracks, so a
/// repeated group that can itself match in several ways (`(a+)+$`, `(a|ab)*c`) takes exponential
/// time on a line that almost matches (minutes on 200 characters), and backreferences are
/// NP-hard in general. Such patterns are refused when the pack is loaded, with a hint; possessive
/// quantifiers (`*+`, `++`) and atomic groups (`(?>…)`) do not backtrack and are accepted.
public enum RegexSafety {
    /// Why `source` is refused, or nil when it is accepted.
    public static func problem(_ source: String) -> String? {
        let s = Array(source.unicodeScalars)
        struct Group { var atomic = false; var repeats = false; var alternates = false }
        var stack = [Group()]
        /// The quantifier at `j`: whether it repeats (more than once), is possessive, and its length.
        func quantifier(at j: Int) -> (repeats: Bool, possessive: Bool, length: Int)? {
            guard j < s.count else { return nil }
            var length = 0
            var repeats = false
            switch s[j] {
            case "*", "+": repeats = true; length = 1
            case "?": length = 1
            case "{":
                var k = j + 1
                var text = ""
                while k < s.count, s[k] != "}" { text.unicodeScalars.append(s[k]); k += 1 }
                guard k < s.count, !text.isEmpty, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "," }) else { return nil }
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                let upper = parts.count == 1 ? Int(parts[0]) : Int(parts[1])
                repeats = upper.map { $0 > 1 } ?? true
                length = k - j + 1
            default: return nil
            }
            let next = j + length < s.count ? s[j + length] : nil
            if next == "+" { return (repeats, true, length + 1) }
            if next == "?" { return (repeats, false, length + 1) }
            return (repeats, false, length)
        }
        var i = 0
        func afterAtom(_ j: Int) -> Int {
            guard let q = quantifier(at: j) else { return j }
            if q.repeats && !q.possessive { stack[stack.count - 1].repeats = true }
            return j + q.length
        }
        while i < s.count {
            switch s[i] {
            case "\\":
                guard i + 1 < s.count else { return nil }
                let n = s[i + 1]
                if ("1"..."9").contains(n) || n == "k" { return "backreferences cannot be bounded in time; match the text literally" }
                if n == "Q" { // \Q…\E quotes literally
                    var k = i + 2
                    while k + 1 < s.count, !(s[k] == "\\" && s[k + 1] == "E") { k += 1 }
                    i = min(s.count, k + 2)
                    continue
                }
                i = afterAtom(i + 2)
            case "[":
                var k = i + 1
                if k < s.count, s[k] == "^" { k += 1 }
                if k < s.count, s[k] == "]" { k += 1 }
                var depth = 1
                while k < s.count, depth > 0 {
                    if s[k] == "\\" { k += 2; continue }
                    if s[k] == "[" { depth += 1 } else if s[k] == "]" { depth -= 1 }
                    k += 1
                }
                i = afterAtom(k)
            case "(":
                var g = Group()
                var k = i + 1
                if k < s.count, s[k] == "?" {
                    k += 1
                    if k < s.count, s[k] == ">" { g.atomic = true }
                    if k < s.count, s[k] == "#" { // comment group
                        while k < s.count, s[k] != ")" { k += 1 }
                        i = k + 1
                        continue
                    }
                    if k < s.count, s[k] == "<", k + 1 < s.count, s[k + 1] != "=", s[k + 1] != "!" {
                        while k < s.count, s[k] != ">" { k += 1 }
                    }
                    while k < s.count, s[k] != ":", s[k] != ")", s[k] != "=", s[k] != "!", s[k] != ">" { k += 1 }
                    k += 1
                }
                stack.append(g)
                i = k
            case ")":
                guard stack.count > 1, let g = stack.popLast() else { i += 1; continue }
                let q = quantifier(at: i + 1)
                if let q, q.repeats, !q.possessive, !g.atomic, g.repeats || g.alternates {
                    return "a repeated group that can match in more than one way (like (a+)+ or (a|ab)*) can take exponential time; "
                        + "use a possessive quantifier (*+, ++) or an atomic group (?>…), or simplify it"
                }
                if !g.atomic, g.repeats || (q?.repeats == true && q?.possessive == false) { stack[stack.count - 1].repeats = true }
                i = i + 1 + (q?.length ?? 0)
            case "|":
                stack[stack.count - 1].alternates = true
                i += 1
            default:
                i = afterAtom(i + 1)
            }
        }
        return nil
    }
}

extension RegexSafety {
    /// Longest a user pattern may search one text (a line or a front-matter value). Load-time checks
    /// refuse exponential patterns; this bounds the polynomial ones (`a*a*a*c` on a 1 MB line) that
    /// pass them, so no pattern can hang a run.
    public static let searchLimit: TimeInterval = 0.25

    /// Ends the message of every finding about a search abandoned at `searchLimit` ("… could not
    /// be checked against the pattern …"). Such a finding depends on the machine's speed and load
    /// at the time, so where one is reported the rule also calls `DiagnosticSink.noteAbandonedSearch()`
    /// and the FILE's result is not cached: the next run searches again.
    public static let abandonedSearchNote = "the search ran past \(searchLimit)s (simplify the pattern)"

    /// The matches of `regex` in `text`, found within `limit` seconds; `complete` is false when the
    /// search was abandoned (ICU reports progress while it backtracks, and the search stops there).
    public static func matches(_ regex: NSRegularExpression, in text: String, limit: TimeInterval = searchLimit,
                               first: Bool = false) -> (matches: [NSTextCheckingResult], complete: Bool) {
        var found: [NSTextCheckingResult] = []
        var complete = true
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(limit * 1e9)
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..<text.endIndex, in: text)) { match, _, stop in
            if let match {
                found.append(match)
                if first { stop.pointee = true }
            } else if DispatchTime.now().uptimeNanoseconds > deadline {
                complete = false
                stop.pointee = true
            }
        }
        return (found, complete)
    }
}
