import Foundation
import NewsLintCore
import NewsLintRules

/// A deterministic share of the corpus: file i of the corpus belongs to shard
/// `stableHash(path relative to the config root) % count`. Shards are 1-based on the
/// command line (`--shard 2/4`, like Jest and Playwright) and 0-based inside.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public var description: String { "\(index + 1)/\(count)" }

    /// The most shards a run may be cut into (`--shard K/N`, `--shard-count`, a scheduler's count).
    public static let maxCount = 1_000_000

    /// Parses `K/N` (1 ≤ K ≤ N).
    public static func parse(_ text: String) -> Shard? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= maxCount, k >= 1, k <= n else { return nil }
        return Shard(index: k - 1, count: n)
    }

    /// The shard of this task under a scheduler: a Kubernetes Indexed Job
    /// (`JOB_COMPLETION_INDEX`, 0-based, with `count` from `--shard-count`) or a Slurm array
    /// (`SLURM_ARRAY_TASK_ID` offset by `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_COUNT`).
    public static func auto(environment env: [String: String], count: Int?) throws -> Shard {
        if let raw = env["JOB_COMPLETION_INDEX"] {
            guard let i = Int(raw), i >= 0 else { throw UsageError("JOB_COMPLETION_INDEX is '\(raw)', expected a whole number") }
            guard let n = count ?? env["NEWSLINT_SHARD_COUNT"].flatMap(Int.init) else {
                throw UsageError("--shard auto under a Kubernetes Indexed Job needs --shard-count N (the Job's completions)")
            }
            guard n >= 1, n <= maxCount else { throw UsageError("the shard count is \(n), expected 1 to \(maxCount)") }
            guard i < n else { throw UsageError("JOB_COMPLETION_INDEX \(i) is outside --shard-count \(n)") }
            return Shard(index: i, count: n)
        }
        if let raw = env["SLURM_ARRAY_TASK_ID"] {
            guard let id = Int(raw) else { throw UsageError("SLURM_ARRAY_TASK_ID is '\(raw)', expected a whole number") }
            let first = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            guard let n = count ?? env["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) else {
                throw UsageError("--shard auto under Slurm needs SLURM_ARRAY_TASK_COUNT or --shard-count N")
            }
            guard n >= 1, n <= maxCount else { throw UsageError("the shard count is \(n), expected 1 to \(maxCount)") }
            // Subtracted with overflow reported: absurd values are refused, not a trap.
            let (i, overflow) = id.subtractingReportingOverflow(first)
            guard !overflow, i >= 0, i < n else {
                throw UsageError("Slurm array task \(id) (first \(first)) is outside a count of \(n); use a contiguous --array range")
            }
            return Shard(index: i, count: n)
        }
        throw UsageError("--shard auto found neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (Slurm array); use --shard K/N")
    }

    /// Whether the file at absolute `location` belongs to this shard.
    public func contains(location: String, root: String) -> Bool {
        if count == 1 { return true }
        return Int(StableHash.fnv1a64(Shard.key(location: location, root: root)) % UInt64(count)) == index
    }

    /// The path relative to the config root, normalised so every machine agrees on it.
    package static func key(location: String, root: String) -> String {
        let abs = PathResolver.standardized(location)
        let base = PathResolver.standardized(root)
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return abs.hasPrefix(prefix) ? String(abs.dropFirst(prefix.count)) : abs
    }
}

/// A facts file: the cross-file facts of one shard as versioned JSON lines, merged later by `newslint merge`.
///
/// Line 1 is a header (`format`, `version`, `tool`, `config` hash, `shard`, active cross-file
/// `rules`, `files` linted, and the number of fact lines and a checksum of them, so a file cut
/// short, even at a line boundary, is refused instead of merging fewer findings); every other line is one fact: `{"path", "rule", "fact"}`, where `fact`
/// is the rule's own JSON encoding stored as a string (so 64-bit hashes survive untouched).
public struct FactsFile: Sendable {
    public static let format = "newslint-facts"
    /// Version 2 added the `facts` count and `checksum` (version 1 files cannot be verified).
    /// Version 3: content-near-duplicate's one-permutation signature (scheme 2). The fact itself
    /// says its scheme, but a newslint that reads version 2 does not look, so only a new version
    /// stops it from comparing signatures of two schemes during a mixed rollout of shards.
    /// Version 4: `boilerplate-repeated`'s line hashes are `KeyHash` (eight bytes a step), not
    /// FNV-1a; a shard of version 3 would count the same line under another hash.
    /// Version 5: the header's `findings`, the shard's own findings by severity, so `merge
    /// --max-warnings N` gates the whole run's warnings; a version 4 file has no counts to add.
    public static let version = 5

    /// A shard's findings by severity, as it counted them for its exit status (after its
    /// `--baseline`, listing caps counted whole).
    public struct FindingCounts: Sendable, Equatable, Decodable {
        public var errors = 0
        public var warnings = 0
        public var infos = 0

        public init(errors: Int = 0, warnings: Int = 0, infos: Int = 0) {
            self.errors = errors
            self.warnings = warnings
            self.infos = infos
        }

        public static func + (a: FindingCounts, b: FindingCounts) -> FindingCounts {
            FindingCounts(errors: a.errors + b.errors, warnings: a.warnings + b.warnings, infos: a.infos + b.infos)
        }
    }

    public var config: String
    public var shard: Shard?
    public var rules: [String]
    public var fileCount: Int
    public var facts: [(path: String, rule: String, data: Data)]
    /// The shard's per-file findings (`FindingCounts`).
    public var findings = FindingCounts()

    /// Collects the facts of a finished (shard) run.
    public static func collect(_ outcomes: [FileOutcome], linter: Linter, shard: Shard?) throws -> FactsFile {
        try collect(outcomes.map { FileFacts(path: $0.path, facts: try linter.facts(of: $0)) }, fileCount: outcomes.count, linter: linter, shard: shard)
    }

    /// Collects the facts of a finished (shard) run from the facts a streamed run kept.
    /// `findings`: the shard's own findings, counted as its exit status counts them.
    public static func collect(_ files: [FileFacts], fileCount: Int, linter: Linter, shard: Shard?, findings: FindingCounts = FindingCounts()) throws -> FactsFile {
        var facts: [(path: String, rule: String, data: Data)] = []
        for o in files {
            for f in o.facts {
                let active = linter.baseRules.crossFile[f.rule]
                facts.append((o.path, active.id, try active.rule.encodeFact(f.fact)))
            }
        }
        return FactsFile(config: StableHash.hex(linter.config.contentHash), shard: shard,
                         rules: linter.baseRules.crossFile.map(\.id), fileCount: fileCount, facts: facts, findings: findings)
    }

    public func serialized() -> [UInt8] {
        var header = JSONObjectBuilder()
        header.add("format", string: Self.format)
        header.add("version", int: Self.version)
        header.add("tool", string: NewsLintVersion.current)
        header.add("config", string: config)
        header.add("shard", shard.map { JSONWriter.quote($0.description) } ?? "null")
        header.add("rules", "[" + rules.map(JSONWriter.quote).joined(separator: ",") + "]")
        header.add("files", int: fileCount)
        var counts = JSONObjectBuilder()
        counts.add("errors", int: findings.errors)
        counts.add("warnings", int: findings.warnings)
        counts.add("infos", int: findings.infos)
        header.add("findings", counts.json)
        var body = ""
        for f in facts {
            var o = JSONObjectBuilder()
            o.add("path", string: f.path)
            o.add("rule", string: f.rule)
            o.add("fact", string: String(decoding: f.data, as: UTF8.self))
            body += o.json + "\n"
        }
        let bodyBytes = Array(body.utf8)
        header.add("facts", int: facts.count)
        header.add("checksum", string: StableHash.hex(FastHash.hash(bodyBytes)))
        return Array((header.json + "\n").utf8) + bodyBytes
    }

    /// Line 1 of a facts file.
    private struct Header: Decodable {
        var format: String
        var version: Int
        var tool: String
        var config: String
        var shard: String?
        var rules: [String]
        var files: Int
        var findings: FindingCounts
        var facts: Int
        var checksum: String
    }

    /// Every other line.
    private struct FactLine: Decodable {
        var path: String
        var rule: String
        var fact: String
    }

    /// Parses a facts file; errors name the file, line and column.
    public static func parse(_ bytes: [UInt8], file: String) throws -> FactsFile {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().makeIterator()
        func fail(_ line: Int, _ message: String) -> UsageError { UsageError("\(file):\(line): \(message)") }
        /// Decodes one line (a JSON value of its own) with errors placed at its line in the file.
        func decode<T: Decodable>(_ type: T.Type, _ slice: ArraySlice<UInt8>, _ line: Int, check: (JSONNode) throws -> Void = { _ in }) throws -> T {
            let decoder = JSONNodeDecoder(file: file)
            do {
                let node = try decoder.parse(Array(slice))
                try check(node)
                return try decoder.decode(type, from: node)
            } catch var e as JSONFileError {
                e.position?.line += line - 1
                // A first line that is not JSON: most likely not a facts file at all.
                throw UsageError(e.description + (line == 1 ? "; is it a facts file written by 'newslint lint --shard K/N --facts-out FILE'?" : ""))
            }
        }
        guard let first = lines.next(), !first.element.isEmpty else { throw fail(1, "empty file; not a newslint facts file") }
        let header = try decode(Header.self, first.element, 1) { node in
            // Recognise the file before validating it: another file's keys are not typos.
            guard node["format"]?.string == format else { throw fail(1, "not a newslint facts file (missing \"format\": \"\(format)\")") }
            guard let v = node["version"]?.int, v == version else {
                // Version 4 differs only in the counts merge's --max-warnings adds: say so.
                let older = node["version"]?.int == 4 ? ", which carries no finding counts for merge's --max-warnings" : ""
                throw fail(1, "facts format version \(node["version"]?.int.map(String.init) ?? "?") is not supported (this newslint reads version \(version)\(older)); write every shard's facts with the same newslint version")
            }
        }
        let (config, rules, files, expectedFacts, checksum) = (header.config, header.rules, header.files, header.facts, header.checksum)
        let bodyStart = first.element.count + 1
        let body = bodyStart <= bytes.count ? bytes[bodyStart...] : []
        guard StableHash.hex(FastHash.hash(body)) == checksum else {
            throw fail(1, "checksum mismatch: the file is truncated or was modified after it was written; re-run the shard")
        }
        var shard: Shard?
        if let s = header.shard {
            guard let parsed = Shard.parse(s) else { throw fail(1, "invalid shard '\(s)'") }
            shard = parsed
        }
        var facts: [(path: String, rule: String, data: Data)] = []
        while let (i, line) = lines.next() {
            if line.isEmpty { continue }
            let f = try decode(FactLine.self, line, i + 1)
            facts.append((f.path, f.rule, Data(f.fact.utf8)))
        }
        guard facts.count == expectedFacts else {
            throw fail(1, "the header records \(expectedFacts) facts but the file holds \(facts.count); it is truncated or modified")
        }
        return FactsFile(config: config, shard: shard, rules: rules, fileCount: files, facts: facts, findings: header.findings)
    }

    /// The reduce phase over the facts of all shards: the cross-file diagnostics of a single run.
    /// Shards must come from the same configuration, cover each shard exactly once, and not overlap.
    public static func merge(_ files: [(name: String, facts: FactsFile)], linter: Linter) throws -> [Diagnostic] {
        let config = StableHash.hex(linter.config.contentHash)
        var seenShards: [Int: String] = [:]
        var shardCount: Int?
        // The owner of a path is the position of the file in `files`, not its name: the same file
        // named twice (or under two spellings) is two owners, and its paths overlap.
        var byPath: [PathKey: (file: Int, facts: [(rule: Int, fact: any Sendable)])] = [:]
        for (position, (name, f)) in files.enumerated() {
            guard f.config == config else {
                throw UsageError("\(name): facts were collected with a different configuration (hash \(f.config), this run \(config)); merge with the same --config the shards used")
            }
            if let s = f.shard {
                if let n = shardCount, n != s.count { throw UsageError("\(name): shard \(s) does not match the other files' count of \(n)") }
                shardCount = s.count
                if let other = seenShards[s.index] { throw UsageError("\(name): shard \(s) was already given by \(other)") }
                seenShards[s.index] = name
            }
            for active in linter.baseRules.crossFile where !f.rules.contains(active.id) {
                throw UsageError("\(name): has no facts for rule '\(active.id)' (it was off when the shard ran); re-run the shard with the same rules")
            }
            for fact in f.facts {
                // Facts of rules not active in this merge are ignored (e.g. --ignore at merge time).
                guard let i = linter.baseRules.crossFile.firstIndex(where: { $0.id == fact.rule }) else { continue }
                let decoded: any Sendable
                do { decoded = try linter.baseRules.crossFile[i].rule.decodeFact(fact.data) } catch {
                    throw UsageError("\(name): fact of '\(fact.path)' for rule '\(fact.rule)' does not decode: \(error)")
                }
                if let owner = byPath[PathKey(fact.path)]?.file, owner != position {
                    throw UsageError("\(name): '\(fact.path)' was also linted by \(files[owner].name); shards overlap")
                }
                byPath[PathKey(fact.path), default: (position, [])].facts.append((i, decoded))
            }
        }
        if let n = shardCount {
            let missing = (0..<n).filter { seenShards[$0] == nil }.map { "\($0 + 1)/\(n)" }
            if !missing.isEmpty {
                throw UsageError("missing facts for shard\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); run 'newslint lint --shard K/N --facts-out FILE' for \(missing.count == 1 ? "it" : "each") and pass every shard's file to merge")
            }
        }
        let outcomes = byPath.map { key, value in
            FileOutcome(path: key.path, diagnostics: [], facts: value.facts, byteCount: 0, fix: nil, ioFailure: false)
        }
        return try linter.finishCrossFile(outcomes).sorted(by: Diagnostic.outputOrder)
    }
}
