import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// What the report ranks: findings of one rule whose messages say the same thing once the
/// particulars (counts, quoted text, characters, code points, file names) are taken out.
/// "Simplified leftover in Traditional text: 丢 → 丟" and "…: 制造 → 製造" are one problem to a
/// curator; "2 invisible characters starting with word joiner" and "invisible zero-width space" are two.
public enum ProblemKind {
    /// The message with its particulars replaced by `N` (numbers) and `…` (quoted text, non-ASCII
    /// text, code points, paths), cut before its first parenthesis or semicolon (the detail that
    /// follows varies by finding).
    public static func of(_ message: String) -> String {
        var tokens: [String] = []
        for raw in quotedSpansReplaced(message).split(separator: " ", omittingEmptySubsequences: true) {
            let token = String(raw)
            if looksLikePath(token) {
                tokens.append("…")
                continue
            }
            tokens.append(normalizeToken(token))
        }
        // Collapse runs of placeholders and the separators between them ("… → …, … → …" is one
        // particular: the list of words a finding names).
        var collapsed: [String] = []
        for t in tokens {
            let bare = t.trimmingCharacters(in: CharacterSet(charactersIn: ",;:"))
            let isPlaceholder = bare == "…" || bare == "→" || bare.isEmpty
            if isPlaceholder, let last = collapsed.last, last.hasPrefix("…") {
                collapsed[collapsed.count - 1] = "…" + (t.hasSuffix(";") || t.hasSuffix(":") ? String(t.last ?? " ") : "")
                continue
            }
            collapsed.append(isPlaceholder ? "…" + (t.hasSuffix(";") || t.hasSuffix(":") ? String(t.last ?? " ") : "") : t)
        }
        var text = collapsed.joined(separator: " ")
        // Quoted text that itself held quotes ('a''b', 'a'b') is one particular.
        for (pattern, replacement) in [("'…''…'", "'…'"), ("'…'…'", "'…'"), ("'…'…", "'…'"), ("…'…'", "'…'")] {
            while text.contains(pattern) { text = text.replacingOccurrences(of: pattern, with: replacement) }
        }
        for cut in [" (", "; ", " — "] {
            if let r = text.range(of: cut), text.distance(from: text.startIndex, to: r.lowerBound) >= 12 {
                text = String(text[..<r.lowerBound])
            }
        }
        return text
    }

    /// The message with each quoted span (`'<p> </p>'`, `'<p dir="ltr"></p>'`) as `'…'`, before it
    /// is cut at spaces: cut first, a span holding a space or the other quote became two tokens
    /// whose halves were read as words and new quotes (`empty <p> wrapper '…' </p>'…'`). A span
    /// opens with a quote at the start, after a space or an opening bracket, and closes with the
    /// same quote before the end, a space or punctuation; a quote without a close is left as it is.
    /// Linear: once no close follows a quote, none follows a later one of that kind either.
    package static func quotedSpansReplaced(_ message: String) -> String {
        let scalars = Array(message.unicodeScalars)
        var out = String.UnicodeScalarView()
        var unclosed: Set<Unicode.Scalar> = []
        var i = 0
        while i < scalars.count {
            let q = scalars[i]
            let opens = (q == "'" || q == "\"") && !unclosed.contains(q) && (i == 0 || [" ", "(", "["].contains(scalars[i - 1]))
            let close = !opens ? nil : scalars[(i + 1)...].indices.first { j in
                scalars[j] == q && (j + 1 == scalars.count || " ,;:.)]".unicodeScalars.contains(scalars[j + 1]))
            }
            if opens && close == nil { unclosed.insert(q) }
            if let close {
                out.append(contentsOf: "'…'".unicodeScalars)
                i = close + 1
                continue
            }
            out.append(q)
            i += 1
        }
        return String(out)
    }

    /// The kind with plural endings and case taken out, so "1 leftover" and "3 leftovers" group together.
    public static func stem(_ kind: String) -> String {
        kind.lowercased().split(separator: " ").map { w -> Substring in
            w.count > 3 && w.hasSuffix("s") && !w.hasSuffix("ss") ? w.dropLast() : w
        }.joined(separator: " ")
    }

    /// `/a/b.md`, `./x`, `dir/file.html`: a file name, not words joined by a slash ("no-break/ideographic").
    package static func looksLikePath(_ token: String) -> Bool {
        guard token.contains("/"), token.count > 2 else { return false }
        if token.hasPrefix("/") || token.hasPrefix("./") || token.hasPrefix("../") { return true }
        let last = token.split(separator: "/").last ?? ""
        return last.contains(".")
    }

    package static func normalizeToken(_ token: String) -> String {
        var out = ""
        var inQuote = false
        var lastWasPlaceholder = false
        let scalars = Array(token.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let u = scalars[i]
            // ASCII quotes only: curly quotes occur inside quoted text (mojibake of ’ reads â€™).
            if u == "'" || u == "\"" {
                // An apostrophe inside a word ("file's") is not a quote.
                let prevIsLetter = i > 0 && scalars[i - 1].properties.isAlphabetic && scalars[i - 1].isASCII
                let nextIsLetter = i + 1 < scalars.count && scalars[i + 1].properties.isAlphabetic && scalars[i + 1].isASCII
                if u == "'" && prevIsLetter && nextIsLetter {
                    if !inQuote { out.unicodeScalars.append(u) }
                } else {
                    if !inQuote { out += "'…" } else { out += "'" }
                    inQuote.toggle()
                }
                i += 1
                lastWasPlaceholder = false
                continue
            }
            if inQuote { i += 1; continue }
            if u == "U", i + 1 < scalars.count, scalars[i + 1] == "+" {
                out += "U+…"
                i += 2
                while i < scalars.count, scalars[i].properties.isASCIIHexDigit { i += 1 }
                lastWasPlaceholder = false
                continue
            }
            // A number that is part of a name (UTF-8, Windows-1252, Latin-1, H5N1) stays.
            let partOfName = i > 0 && (scalars[i - 1].properties.isAlphabetic || (scalars[i - 1] == "-" && i > 1 && scalars[i - 2].properties.isAlphabetic && scalars[i - 2].isASCII))
            if u.properties.numericType != nil && u.isASCII && partOfName {
                while i < scalars.count, scalars[i].isASCII, scalars[i].properties.numericType != nil { out.unicodeScalars.append(scalars[i]); i += 1 }
                lastWasPlaceholder = false
                continue
            }
            if u.properties.numericType != nil && u.isASCII {
                out += "N"
                while i < scalars.count, scalars[i].isASCII, scalars[i].properties.numericType != nil || scalars[i] == "," || scalars[i] == "." {
                    // "1,234" and "93.5" are one number; a trailing comma is punctuation.
                    if (scalars[i] == "," || scalars[i] == "."), !(i + 1 < scalars.count && scalars[i + 1].properties.numericType != nil) { break }
                    i += 1
                }
                lastWasPlaceholder = false
                continue
            }
            // "發/髮": alternatives are one particular.
            if u == "/" && lastWasPlaceholder && i + 1 < scalars.count && !scalars[i + 1].isASCII {
                i += 1
                continue
            }
            if !u.isASCII && u != "→" {
                if !lastWasPlaceholder { out += "…" }
                lastWasPlaceholder = true
                i += 1
                continue
            }
            out.unicodeScalars.append(u)
            lastWasPlaceholder = false
            i += 1
        }
        if inQuote { out += "'" }
        return out
    }
}

/// A finding's line cut to a window around its span, with invisible characters made visible,
/// so a curator sees what the rule saw in one glance.
public struct Excerpt: Sendable, Equatable {
    public var before: String
    public var marked: String
    public var after: String

    public init(before: String, marked: String, after: String) {
        self.before = before
        self.marked = marked
        self.after = after
    }

    /// Scalars of context kept on each side of the span.
    package static let context = 28
    /// Scalars of a long span kept.
    package static let markedLimit = 40

    /// `line` is the text of the finding's line; `column` is 1-based in Unicode scalars and
    /// `endColumn` exclusive (nil or past the end: to the end of the line).
    public static func cut(line: String, column: Int, endColumn: Int?) -> Excerpt? {
        var scalars = Array(line.unicodeScalars)
        let start0 = column - 1
        // A span on the line's carriage return (line endings) shows it; elsewhere the CR is not text.
        let markCR = scalars.last == "\r" && start0 == scalars.count - 1
        if scalars.last == "\r" { scalars.removeLast() }
        let start = min(max(start0, 0), scalars.count)
        let end = min(max(endColumn.map { $0 - 1 } ?? scalars.count, start), scalars.count)
        let lo = max(0, start - context)
        let hi = min(scalars.count, end + context)
        var before = visible(scalars[lo..<start], inSpan: false)
        if lo > 0 { before = "…" + before }
        var markedScalars = scalars[start..<end]
        var markedCut = false
        if markedScalars.count > markedLimit {
            markedScalars = markedScalars.prefix(markedLimit)
            markedCut = true
        }
        var marked = visible(markedScalars, inSpan: true)
        if markedCut { marked += "…" }
        if markCR { marked = "␍" } else if marked.isEmpty { marked = start == scalars.count && start > 0 ? "↵" : "‸" }
        var after = visible(scalars[end..<hi], inSpan: false)
        if hi < scalars.count { after += "…" }
        // A file-level finding on an empty line quotes nothing.
        if before.isEmpty && after.isEmpty && marked == "‸" { return nil }
        return Excerpt(before: before, marked: marked, after: after)
    }

    /// Invisible and look-alike characters as `⟨U+XXXX⟩`; inside the span spaces and tabs as `␣`/`⇥`
    /// (a marked trailing space must be seen).
    package static func visible(_ scalars: ArraySlice<Unicode.Scalar>, inSpan: Bool) -> String {
        var out = ""
        for u in scalars {
            let v = u.value
            if inSpan && u == " " { out += "␣"; continue }
            if inSpan && u == "\t" { out += "⇥"; continue }
            if u == "\t" { out += " "; continue }
            let category = u.properties.generalCategory
            let invisible = category == .format || category == .control || category == .privateUse || category == .surrogate
                || category == .unassigned || category == .lineSeparator || category == .paragraphSeparator
                || (category == .spaceSeparator && u != " ")
            if invisible {
                out += "⟨U+" + String(format: "%04X", v) + "⟩"
            } else if inSpan && ((0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)) {
                out.unicodeScalars.append(u)
                out += "⟨U+" + String(format: "%04X", v) + "⟩"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
