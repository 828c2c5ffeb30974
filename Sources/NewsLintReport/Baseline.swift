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
        StableHash.hex(fingerprintHash(prefix: fingerprintPrefix(rule: d.rule, path: d.path), lineText: lineText))
    }

    /// FNV-1a of the rule id, a 0, the normalized path and a 0: the start of the fingerprint key
    /// that every finding of one rule in one file shares.
    package static func fingerprintPrefix(rule: String, path: String) -> UInt64 {
        var h = StableHash.fnvBasis
        var rule = rule, path = normalizedPath(path)
        rule.withUTF8 { mix(&h, $0) }
        mix(&h, 0)
        path.withUTF8 { mix(&h, $0) }
        mix(&h, 0)
        return h
    }

    /// The fingerprint's hash: `prefix` continued over the trimmed line text (the key's last part).
    package static func fingerprintHash(prefix: UInt64, lineText: String?) -> UInt64 {
        var h = prefix
        if let t = lineText { withWhitespaceTrimmed(t) { mix(&h, $0) } }
        return h
    }

    @inline(__always)
    private static func mix(_ h: inout UInt64, _ b: UInt8) {
        h ^= UInt64(b)
        h = h &* StableHash.fnvPrime
    }

    private static func mix(_ h: inout UInt64, _ bytes: UnsafeBufferPointer<UInt8>) {
        for b in bytes { mix(&h, b) }
    }

    /// The UTF-8 of `text.trimmingCharacters(in: .whitespaces)`, handed to `body`. Spaces and tabs
    /// are trimmed on the bytes; when the text then begins or ends with a scalar that might be
    /// other whitespace (a control, U+0080–U+00A0, U+1680, U+180E, U+2000–U+207F, U+3000, U+FEFF)
    /// Foundation trims it, so the answer is Foundation's either way (its call cost a third of a
    /// SARIF finding).
    package static func withWhitespaceTrimmed<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var text = text
        let fast: R? = text.withUTF8 { b in
            var lo = 0, hi = b.count
            while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
            while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
            if lo < hi {
                var last = hi - 1
                while last > lo, b[last] & 0xC0 == 0x80 { last -= 1 }
                if mayBeWhitespace(b, at: lo) || mayBeWhitespace(b, at: last) { return nil }
            }
            return body(UnsafeBufferPointer(rebasing: b[lo..<hi]))
        }
        if let fast { return fast }
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.withUTF8 { body($0) }
    }

    /// Whether the scalar starting at `i` might be in `CharacterSet.whitespaces` other than a space
    /// or tab: a superset of it (a false yes only costs the Foundation call).
    private static func mayBeWhitespace(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let lead = b[i]
        func next(_ k: Int) -> UInt8 { i + k < b.count ? b[i + k] : 0 }
        switch lead {
        case 0..<0x20, 0x7F: return true
        case 0x20..<0x80: return false
        case 0xC2: return next(1) <= 0xA0
        case 0xE1: return next(1) == 0x9A || next(1) == 0xA0
        case 0xE2: return next(1) == 0x80 || next(1) == 0x81
        case 0xE3: return next(1) == 0x80 && next(2) == 0x80
        case 0xEF: return next(1) == 0xBB
        default: return false
        }
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
        /// Occurrences so far of each per-line fingerprint, by its hash (one hash, one hex form).
        private var seen: [UInt64: Int] = [:]
        /// The rule and path of the last finding and their key prefix (a file's findings share it).
        private var last: (rule: String, path: String, prefix: UInt64)?
        public init() {}

        public mutating func next(_ d: Diagnostic, lineText: String?) -> String {
            let prefix: UInt64
            if let l = last, l.rule.hasSameBytes(as: d.rule), l.path.hasSameBytes(as: d.path) {
                prefix = l.prefix
            } else {
                prefix = Baseline.fingerprintPrefix(rule: d.rule, path: d.path)
                last = (d.rule, d.path, prefix)
            }
            let hash = Baseline.fingerprintHash(prefix: prefix, lineText: lineText)
            let n = seen[hash, default: 0]
            seen[hash] = n + 1
            return "\(StableHash.hex(hash))-\(n)"
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
