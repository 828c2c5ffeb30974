import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Recorded diagnostics of an existing corpus, so CI can fail on new problems only.
///
/// A fingerprint is rule + path + a hash of the trimmed text of the diagnostic's line +
/// the occurrence number among equal (rule, path, line text) triples. Line numbers are
/// not part of it, so inserting or deleting lines above a problem keeps it baselined;
/// editing the line itself, renaming the file or changing the rule makes it new.
public struct Baseline: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var rule: String
        public var path: String
        public var fingerprint: String
        /// Informational only (where it was when recorded).
        public var line: Int
        public var message: String
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The per-line part of a fingerprint (without the occurrence number).
    public static func fingerprint(_ d: Diagnostic, lineText: String?) -> String {
        var key = Array(d.rule.utf8) + [0] + Array(normalizedPath(d.path).utf8) + [0]
        if let t = lineText { key += Array(t.trimmingCharacters(in: .whitespaces).utf8) }
        return StableHash.hex(StableHash.fnv1a64(key))
    }

    package static func normalizedPath(_ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        return String(p)
    }

    /// Fingerprints (with occurrence numbers) for diagnostics, in the same order.
    /// `lineText(path, line)` returns the current source line or nil.
    public static func fingerprints(_ diagnostics: [Diagnostic], lineText: (String, Int) -> String?) -> [String] {
        var seen: [String: Int] = [:]
        // Occurrences are numbered in output order, which is stable across runs.
        return diagnostics.map { d in
            let base = fingerprint(d, lineText: lineText(d.path, d.line))
            let n = seen[base, default: 0]
            seen[base] = n + 1
            return "\(base)-\(n)"
        }
    }

    public static func record(_ diagnostics: [Diagnostic], lineText: (String, Int) -> String?) -> Baseline {
        let fps = fingerprints(diagnostics, lineText: lineText)
        return Baseline(entries: zip(diagnostics, fps).map { d, fp in
            Entry(rule: d.rule, path: normalizedPath(d.displayPath), fingerprint: fp, line: d.line, message: d.displayMessage)
        })
    }

    /// Splits current diagnostics into new ones and counts baselined entries that are gone.
    public func compare(_ diagnostics: [Diagnostic], lineText: (String, Int) -> String?) -> (new: [Diagnostic], matched: Int, gone: [Entry]) {
        var remaining: [String: Int] = [:]
        for e in entries { remaining[e.fingerprint, default: 0] += 1 }
        let fps = Self.fingerprints(diagnostics, lineText: lineText)
        var new: [Diagnostic] = []
        var matched = 0
        for (d, fp) in zip(diagnostics, fps) {
            if let n = remaining[fp], n > 0 {
                remaining[fp] = n - 1
                matched += 1
            } else {
                new.append(d)
            }
        }
        var gone: [Entry] = []
        for e in entries {
            if let n = remaining[e.fingerprint], n > 0 {
                remaining[e.fingerprint] = n - 1
                gone.append(e)
            }
        }
        return (new, matched, gone)
    }

    /// Stable JSON: one entry per line so baseline diffs review well.
    public func serialized() -> String {
        var out = "{\n  \"version\": 1,\n  \"tool\": \"newslint\",\n  \"entries\": ["
        let sorted = entries.sorted { a, b in
            if a.path != b.path { return a.path.utf8.lexicographicallyPrecedes(b.path.utf8) }
            if a.line != b.line { return a.line < b.line }
            if a.rule != b.rule { return a.rule < b.rule }
            return a.fingerprint < b.fingerprint
        }
        for (i, e) in sorted.enumerated() {
            var o = JSONObjectBuilder()
            o.add("rule", string: e.rule)
            o.add("path", string: e.path)
            o.add("fingerprint", string: e.fingerprint)
            o.add("line", int: e.line)
            o.add("message", string: e.message)
            out += (i == 0 ? "\n    " : ",\n    ") + o.json
        }
        out += sorted.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// The file as written by `serialized()`; `line` and `message` are informational and may be left out.
    private struct File: Decodable {
        struct Record: Decodable {
            var rule: String
            var path: String
            var fingerprint: String
            var line: Int?
            var message: String?
        }
        var version: Int
        var tool: String?
        var entries: [Record]
    }

    /// Parses a baseline; problems are `JSONFileError`s with the file, line and column.
    public static func parse(_ bytes: [UInt8], file: String) throws -> Baseline {
        let decoder = JSONNodeDecoder(file: file)
        let root: JSONNode
        do {
            root = try decoder.parse(bytes)
        } catch var e as JSONFileError {
            e.message = "not a newslint baseline: " + e.message
            throw e
        }
        guard root["version"]?.int == 1 else {
            throw JSONFileError(file: file, position: root.position, message: "not a newslint baseline (expected {\"version\": 1, \"entries\": [...]}); write one with --write-baseline")
        }
        let decoded = try decoder.decode(File.self, from: root)
        return Baseline(entries: decoded.entries.map { Entry(rule: $0.rule, path: $0.path, fingerprint: $0.fingerprint, line: $0.line ?? 0, message: $0.message ?? "") })
    }
}
