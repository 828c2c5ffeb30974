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
        var numbering = Fingerprinter()
        return diagnostics.map { numbering.next($0, lineText: lineText($0.path, $0.line)) }
    }

    public static func record(_ diagnostics: [Diagnostic], lineText: (String, Int) -> String?) -> Baseline {
        let fps = fingerprints(diagnostics, lineText: lineText)
        return Baseline(entries: zip(diagnostics, fps).map { Entry($0, fingerprint: $1) })
    }

    /// Splits current diagnostics into new ones and counts baselined entries that are gone.
    public func compare(_ diagnostics: [Diagnostic], lineText: (String, Int) -> String?) -> (new: [Diagnostic], matched: Int, gone: [Entry]) {
        var matcher = Matcher(self)
        let new = zip(diagnostics, Self.fingerprints(diagnostics, lineText: lineText)).filter { !matcher.isKnown($1) }.map(\.0)
        return (new, matcher.matched, matcher.gone)
    }

    /// Numbers fingerprints as diagnostics arrive in output order (a run's merged stream), so a
    /// baseline is recorded or compared without holding the run's diagnostics.
    public struct Fingerprinter {
        /// Occurrences so far of each per-line fingerprint.
        private var seen: [String: Int] = [:]
        public init() {}

        public mutating func next(_ d: Diagnostic, lineText: String?) -> String {
            let base = Baseline.fingerprint(d, lineText: lineText)
            let n = seen[base, default: 0]
            seen[base] = n + 1
            return "\(base)-\(n)"
        }
    }

    /// Matches streamed fingerprints against a baseline; what is left unmatched at the end is gone.
    public struct Matcher {
        public let baseline: Baseline
        private var remaining: [String: Int] = [:]
        public private(set) var matched = 0

        public init(_ baseline: Baseline) {
            self.baseline = baseline
            for e in baseline.entries { remaining[e.fingerprint, default: 0] += 1 }
        }

        /// Whether the baseline records this fingerprint (each entry matches once).
        public mutating func isKnown(_ fingerprint: String) -> Bool {
            guard let n = remaining[fingerprint], n > 0 else { return false }
            remaining[fingerprint] = n - 1
            matched += 1
            return true
        }

        /// Baselined entries nothing matched (fixed or removed), in baseline order.
        public var gone: [Entry] {
            var left = remaining
            var out: [Entry] = []
            for e in baseline.entries {
                if let n = left[e.fingerprint], n > 0 {
                    left[e.fingerprint] = n - 1
                    out.append(e)
                }
            }
            return out
        }
    }

    /// Stable JSON: one entry per line so baseline diffs review well.
    public func serialized() -> String {
        var out = "{\n  \"version\": 1,\n  \"tool\": \"newslint\",\n  \"entries\": ["
        let sorted = entries.sorted { a, b in
            if !a.path.hasSameBytes(as: b.path) { return a.path.utf8.lexicographicallyPrecedes(b.path.utf8) }
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

extension Baseline.Entry {
    /// What `--write-baseline` records for a diagnostic.
    package init(_ d: Diagnostic, fingerprint: String) {
        self.init(rule: d.rule, path: Baseline.normalizedPath(d.displayPath), fingerprint: fingerprint, line: d.line, message: d.displayMessage)
    }
}

/// `--write-baseline` and `--baseline` on a run's merged stream, one path's diagnostics at a
/// time: each diagnostic is fingerprinted once, recorded (entries are small) and matched; only
/// what the baseline does not know goes on to the reporter and the totals.
public struct BaselineStage {
    private var numbering = Baseline.Fingerprinter()
    /// What `--write-baseline` records (nil: not recording).
    public private(set) var recorded: [Baseline.Entry]?
    /// `--baseline` (nil: nothing is hidden).
    public private(set) var matcher: Baseline.Matcher?

    public init(recording: Bool, comparingWith baseline: Baseline?) {
        recorded = recording ? [] : nil
        matcher = baseline.map(Baseline.Matcher.init)
    }

    public var isActive: Bool { recorded != nil || matcher != nil }

    /// The diagnostics of one path (output order) the baseline does not know.
    /// `lineText(line)`: that path's source line.
    public mutating func apply(_ group: ArraySlice<Diagnostic>, lineText: (Int) -> String?) -> ArraySlice<Diagnostic> {
        guard isActive else { return group }
        var kept: [Diagnostic] = []
        for d in group {
            let fingerprint = numbering.next(d, lineText: lineText(d.line))
            recorded?.append(Baseline.Entry(d, fingerprint: fingerprint))
            if matcher?.isKnown(fingerprint) != true { kept.append(d) }
        }
        return kept.count == group.count ? group : kept[...]
    }
}
