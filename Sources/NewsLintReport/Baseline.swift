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
///
/// Paths are relative to the baseline file's directory (`"pathsRelativeTo": "baseline"`), so a
/// baseline matches the same files wherever a run starts (CI jobs `cd` differently); baselines
/// written before have no such key and name files as the run that wrote them did (relative to its
/// working directory), and are still read that way.
public struct Baseline: Sendable, Equatable {
    /// What entries' paths, and the fingerprints made from them, are relative to.
    public enum PathBase: Sendable, Equatable {
        /// The baseline file's directory: what `--write-baseline` writes.
        case baselineFile
        /// The files as the writing run named them (relative to its working directory): a
        /// baseline without `pathsRelativeTo`, written by an earlier newslint.
        case workingDirectory
    }

    public struct Entry: Sendable, Equatable {
        public var rule: String
        public var path: String
        public var fingerprint: String
        /// Informational only (where it was when recorded).
        public var line: Int
        public var message: String
    }

    public var entries: [Entry]
    public var pathBase: PathBase

    public init(entries: [Entry], pathBase: PathBase) {
        self.entries = entries
        self.pathBase = pathBase
    }

    /// The value of `pathsRelativeTo` for `.baselineFile`.
    static let baselineFileBase = "baseline"

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

    /// The baseline of `diagnostics` (output order), naming files as `paths` does (its `pathBase`).
    public static func record(_ diagnostics: [Diagnostic], paths: BaselinePaths, lineText: (String, Int) -> String?) -> Baseline {
        var numbering = Fingerprinter(paths: paths)
        let entries = diagnostics.map { d in
            let (path, fingerprint) = numbering.keyed(d, lineText: lineText(d.path, d.line))
            return Entry(d, path: path, fingerprint: fingerprint)
        }
        return Baseline(entries: entries, pathBase: paths.pathBase)
    }

    /// Splits current diagnostics into new ones and counts baselined entries that are gone;
    /// `paths`: how this baseline names files (`BaselinePaths(pathBase, file: …)`).
    public func compare(_ diagnostics: [Diagnostic], paths: BaselinePaths, lineText: (String, Int) -> String?) -> (new: [Diagnostic], matched: Int, gone: [Entry]) {
        var matcher = Matcher(self)
        var numbering = Fingerprinter(paths: paths)
        let new = diagnostics.filter { !matcher.isKnown(numbering.next($0, lineText: lineText($0.path, $0.line))) }
        return (new, matcher.matched, matcher.gone)
    }

    /// Numbers fingerprints as diagnostics arrive in output order (a run's merged stream), so a
    /// baseline is recorded or compared without holding the run's diagnostics.
    public struct Fingerprinter {
        /// Occurrences so far of each per-line fingerprint, by its hash (one hash, one hex form).
        private var seen: [UInt64: Int] = [:]
        /// How a finding's path is named in the key.
        private let paths: BaselinePaths
        /// The last finding's rule and path, the path's name in the key and the key prefix of the
        /// two. Findings arrive a file at a time, so a path is named once for each file, and the
        /// prefix is hashed again only where the rule changes within it.
        private var last: (rule: String, path: String, key: String, prefix: UInt64)?

        /// `paths`: as linted for SARIF's fingerprints; a baseline's own way for a baseline.
        public init(paths: BaselinePaths = .asLinted) { self.paths = paths }

        public mutating func next(_ d: Diagnostic, lineText: String?) -> String {
            keyed(d, lineText: lineText).fingerprint
        }

        /// The fingerprint and the path it was made from (what a baseline entry records).
        public mutating func keyed(_ d: Diagnostic, lineText: String?) -> (path: String, fingerprint: String) {
            let key: String, prefix: UInt64
            if let l = last, l.path.hasSameBytes(as: d.path) {
                key = l.key
                if l.rule.hasSameBytes(as: d.rule) {
                    prefix = l.prefix
                } else {
                    prefix = Baseline.fingerprintPrefix(rule: d.rule, path: key)
                    last = (d.rule, l.path, key, prefix)
                }
            } else {
                key = paths.key(d.path)
                prefix = Baseline.fingerprintPrefix(rule: d.rule, path: key)
                last = (d.rule, d.path, key, prefix)
            }
            let hash = Baseline.fingerprintHash(prefix: prefix, lineText: lineText)
            let n = seen[hash, default: 0]
            seen[hash] = n + 1
            return (key, "\(StableHash.hex(hash))-\(n)")
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
        var out = "{\n  \"version\": 1,\n  \"tool\": \"newslint\",\n"
        if pathBase == .baselineFile { out += "  \"pathsRelativeTo\": \"\(Self.baselineFileBase)\",\n" }
        out += "  \"entries\": ["
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
        var pathsRelativeTo: String?
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
        let pathBase: PathBase
        switch decoded.pathsRelativeTo {
        case nil: pathBase = .workingDirectory
        case Self.baselineFileBase?: pathBase = .baselineFile
        case let other?:
            throw JSONFileError(file: file, position: root["pathsRelativeTo"]?.position ?? root.position,
                                message: "unknown pathsRelativeTo '\(other)' (expected '\(Self.baselineFileBase)'; was it written by a newer newslint?)")
        }
        return Baseline(entries: decoded.entries.map { Entry(rule: $0.rule, path: $0.path, fingerprint: $0.fingerprint, line: $0.line ?? 0, message: $0.message ?? "") },
                        pathBase: pathBase)
    }
}

extension Baseline.Entry {
    /// What `--write-baseline` records for a diagnostic in the file named `path` in the baseline
    /// (`BaselinePaths.key`).
    package init(_ d: Diagnostic, path: String, fingerprint: String) {
        self.init(rule: d.rule, path: Baseline.normalizedPath(SystemPath.display(path)), fingerprint: fingerprint, line: d.line, message: d.displayMessage)
    }
}

/// How a baseline names a linted file, in its entries and in the fingerprints made from them.
public struct BaselinePaths: Sendable, Equatable {
    /// The baseline's directory (absolute, without `.` and `..`); nil: paths as linted.
    private let directory: String?
    /// `directory`'s components (split once, not for each file).
    private let directoryComponents: [Substring]
    private let currentDirectory: String

    /// As the run names them (relative to its working directory): SARIF's fingerprints, and
    /// baselines written before `pathsRelativeTo`.
    public static let asLinted = BaselinePaths(directory: nil, currentDirectory: "")

    private init(directory: String?, currentDirectory: String) {
        self.directory = directory
        directoryComponents = directory?.split(separator: "/") ?? []
        self.currentDirectory = currentDirectory
    }

    /// The `pathsRelativeTo` of a baseline whose files are named this way.
    public var pathBase: Baseline.PathBase { directory == nil ? .workingDirectory : .baselineFile }

    /// By bytes: directories whose names differ only in Unicode normalization are two directories.
    public static func == (a: BaselinePaths, b: BaselinePaths) -> Bool {
        guard a.currentDirectory.hasSameBytes(as: b.currentDirectory) else { return false }
        switch (a.directory, b.directory) {
        case (nil, nil): return true
        case let (x?, y?): return x.hasSameBytes(as: y)
        default: return false
        }
    }

    /// How the baseline file at `file` (absolute) names files: relative to its directory, or as
    /// linted for an earlier baseline. A baseline with no directory of its own (`fromPipe`: a
    /// named pipe; or a path under /dev or a process's fd directory: `--write-baseline /dev/stdout`,
    /// `--baseline /dev/stdin < b.json`) names them relative to the current directory, as a
    /// config read that way does (`Configuration.hasNoDirectory`); its directory would be /dev,
    /// and the two sides of a piped baseline would never agree.
    public init(_ base: Baseline.PathBase, file: String, fromPipe: Bool, currentDirectory: String) {
        switch base {
        case .workingDirectory: self = .asLinted
        case .baselineFile:
            let directory = Configuration.hasNoDirectory(file, fromPipe: fromPipe)
                ? PathResolver.standardized(currentDirectory)
                : PathComponents.deletingLastComponent(PathResolver.standardized(file))
            self.init(directory: directory, currentDirectory: currentDirectory)
        }
    }

    /// The name of `path` (as linted: relative to the working directory, or absolute) in the
    /// baseline: relative to the baseline's directory, with `..` for a file outside it. Lexical,
    /// as config globs are matched (a link is not resolved). A name in angle brackets
    /// (`<stdin>`) is not a path and is kept.
    public func key(_ path: String) -> String {
        guard directory != nil, !(path.hasPrefix("<") && path.hasSuffix(">")) else { return path }
        let file = PathResolver.standardized(PathResolver.absolute(path, base: currentDirectory)).split(separator: "/")
        let base = directoryComponents
        var common = 0
        while common < file.count, common < base.count, file[common].utf8.elementsEqual(base[common].utf8) { common += 1 }
        let parts = Array(repeating: Substring(".."), count: base.count - common) + file[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

extension BaselinePaths {
    /// Where the file a baseline entry names `key` is (absolute, lexical: the inverse of `key(_:)`);
    /// nil for a name in angle brackets (`<stdin>`), which is not a path. `currentDirectory`: the
    /// run's, for a baseline that names files as linted.
    public func location(ofKey key: String, currentDirectory: String) -> String? {
        guard !(key.hasPrefix("<") && key.hasSuffix(">")) else { return nil }
        return PathResolver.standardized(PathResolver.absolute(key, base: directory ?? currentDirectory))
    }
}

/// `--write-baseline` and `--baseline` on a run's merged stream, one path's diagnostics at a
/// time: each diagnostic is fingerprinted once, recorded (entries are small) and matched; only
/// what the baseline does not know goes on to the reporter and the totals.
public struct BaselineStage {
    /// Fingerprints as `--write-baseline` names files (nil: not recording).
    private var recorder: Baseline.Fingerprinter?
    /// How `--write-baseline` names files (its entries' `pathBase`).
    private let recording: BaselinePaths?
    /// Fingerprints as `--baseline` names files; nil when not comparing, or when the recorder
    /// names them the same way (its fingerprints are compared then).
    private var comparer: Baseline.Fingerprinter?
    /// The entries `--write-baseline` records (nil: not recording).
    private var recordedEntries: [Baseline.Entry]?
    /// `--baseline` (nil: nothing is hidden).
    public private(set) var matcher: Baseline.Matcher?

    /// `recording`: how the baseline being written names files (nil: not writing one);
    /// `comparingWith`: the baseline read and how it names them.
    public init(recording: BaselinePaths?, comparingWith baseline: (Baseline, BaselinePaths)?) {
        self.recording = recording
        recorder = recording.map { Baseline.Fingerprinter(paths: $0) }
        recordedEntries = recording == nil ? nil : []
        if let (baseline, paths) = baseline {
            matcher = Baseline.Matcher(baseline)
            if paths != recording { comparer = Baseline.Fingerprinter(paths: paths) }
        }
    }

    /// What `--write-baseline` records, naming files as `recording` does (nil: not recording).
    public var recorded: Baseline? {
        guard let recording, let recordedEntries else { return nil }
        return Baseline(entries: recordedEntries, pathBase: recording.pathBase)
    }

    public var isActive: Bool { recordedEntries != nil || matcher != nil }

    /// The diagnostics of one path (output order) the baseline does not know.
    /// `lineText(line)`: that path's source line.
    public mutating func apply(_ group: ArraySlice<Diagnostic>, lineText: (Int) -> String?) -> ArraySlice<Diagnostic> {
        guard isActive else { return group }
        var kept: [Diagnostic] = []
        for d in group {
            let text = lineText(d.line)
            var fingerprint: String?
            if let (path, recordedFingerprint) = recorder?.keyed(d, lineText: text) {
                recordedEntries?.append(Baseline.Entry(d, path: path, fingerprint: recordedFingerprint))
                fingerprint = recordedFingerprint
            }
            if let compared = comparer?.next(d, lineText: text) { fingerprint = compared }
            if let fingerprint, matcher?.isKnown(fingerprint) == true { continue }
            kept.append(d)
        }
        return kept.count == group.count ? group : kept[...]
    }
}
