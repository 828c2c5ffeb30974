import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

extension NewsLintCLI {
    /// Scale options of `lint` (cache, shards, facts: issue 8).
    package static let scaleOptions: [OptionSpec] = [
        OptionSpec("cache", help: "Reuse results for unchanged files (default: on when the cache directory is writable)"),
        OptionSpec("no-cache", help: "Neither read nor write the cache"),
        OptionSpec("cache-dir", value: "DIR", help: "Cache directory (default: .newslint-cache beside the root .lint.json, never in a config-less linted directory)"),
        OptionSpec("shard", value: "K/N|auto", help: "Lint only shard K of N (stable by path); auto: Kubernetes Indexed Job or Slurm array"),
        OptionSpec("shard-count", value: "N", help: "With --shard auto: number of shards (e.g. the Indexed Job's completions)"),
        OptionSpec("facts-out", value: "FILE", help: "Write cross-file facts (JSON lines) for 'newslint merge'; cross-file rules run there"),
    ]
}

/// The scale settings of one `lint` run, resolved from options, environment and the `cache` config section.
package struct ScaleSettings {
    package var cache: LintCache?
    package var shard: Shard?
    package var factsOut: String?

    package static func resolve(_ parsed: ParsedArguments, io: ToolIO, config: Configuration, catalog: Catalog, filter: RuleFilter, fixing: Bool,
                        lintedDirectories: [String] = []) throws -> ScaleSettings {
        var s = ScaleSettings()
        if parsed.has("cache") && parsed.has("no-cache") { throw UsageError("--cache and --no-cache contradict each other; give one") }
        if let raw = parsed.value("shard") {
            var count: Int?
            if let c = parsed.value("shard-count") {
                guard let n = Int(c), n >= 1, n <= Shard.maxCount else { throw UsageError("--shard-count expects a whole number from 1 to \(Shard.maxCount), got '\(c)'") }
                count = n
            }
            if raw == "auto" {
                s.shard = try Shard.auto(environment: io.environment, count: count)
            } else {
                guard let shard = Shard.parse(raw) else {
                    throw UsageError("--shard expects K/N with 1 ≤ K ≤ N (e.g. --shard 2/4) or 'auto', got '\(raw)'")
                }
                if let count, count != shard.count { throw UsageError("--shard \(raw) contradicts --shard-count \(count)") }
                s.shard = shard
            }
        } else if parsed.has("shard-count") {
            throw UsageError("--shard-count only applies to --shard auto")
        }
        if let out = parsed.value("facts-out") {
            // Standard output carries the report; facts are for `merge`, which reads files.
            guard out != "-" else { throw UsageError("--facts-out needs a file ('newslint merge' reads facts files; standard output carries the report), e.g. --facts-out facts-1.jsonl") }
            s.factsOut = NewsLintCLI.resolve(out, io)
        }

        // Cache: config section `cache` {"enabled": bool, "directory": "path"}, then the command line.
        var enabled = true
        // Default: beside the root config, else a place outside the linted directories (CLI/CleanCommand.swift).
        var directory = CacheLocation.defaultDirectory(config: config, io: io, lintedDirectories: lintedDirectories)
        if let section = config.sections["cache"] {
            let file = config.file ?? Configuration.fileName
            let cache = try JSONNodeDecoder(file: file, basePath: "cache").decode(CacheSection.self, from: section)
            if let b = cache.enabled { enabled = b }
            if let d = cache.directory {
                guard !d.value.isEmpty else { throw ConfigError(file: file, position: d.position, jsonPath: "cache.directory", message: "expected a directory path, found an empty string") }
                directory = d.value.hasPrefix("/") ? d.value : config.directory + "/" + d.value
            }
        }
        if let dir = parsed.value("cache-dir") { directory = NewsLintCLI.resolve(dir, io) }
        if let env = io.environment["NEWSLINT_CACHE_DIR"], !env.isEmpty, parsed.value("cache-dir") == nil { directory = NewsLintCLI.resolve(env, io) }
        if parsed.has("cache") || parsed.has("cache-dir") { enabled = true }
        if parsed.has("no-cache") || fixing { enabled = false }
        if enabled, directory == nil, parsed.has("cache") {
            io.stderr("warning: no cache directory (no .lint.json, the current directory is being linted, and neither XDG_CACHE_HOME nor HOME is set); use --cache-dir\n")
        }
        if enabled, let directory {
            let key = LintCache.key(config: config, catalog: catalog, filter: filter, options: relevantOptions(parsed))
            // Asked here for the warning (`LintCache.open` asks again, for callers that do not):
            // said whatever named the directory, since a mistaken name must be seen, not only go uncached.
            let shown = PathResolver.standardized(directory)
            if let why = CacheDirectory.refusal(directory) {
                io.stderr("warning: not using '\(shown)' as the cache directory: \(why); linting without a cache (name a new or empty directory)\n")
            } else {
                s.cache = LintCache.open(directory: directory, key: key)
                if s.cache == nil && (parsed.has("cache") || parsed.has("cache-dir")) {
                    io.stderr("warning: cache directory '\(shown)' is not writable; linting without a cache\n")
                }
            }
        }
        // Without a cache to answer, every file is read: the script tables start now (see NewsLintCLI.run).
        if !(s.cache?.hasEntries ?? false) { RuleRegistry.prepareTablesInBackground() }
        return s
    }

    /// Options that only shape output or scheduling; every other option is part of the cache key.
    package static let outputOnlyOptions: Set<String> = ["format", "output", "color", "quiet", "jobs", "cache", "no-cache", "cache-dir",
                                                 "output-format", "fail-on", "exit-zero", "exit-non-zero-on-fix", "show-files", "show-settings",
                                                 "shard", "shard-count", "facts-out", "stdin-filename", "help", "select", "ignore"]

    package static func relevantOptions(_ parsed: ParsedArguments) -> String {
        let values = parsed.values.filter { !outputOnlyOptions.contains($0.key) }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.joined(separator: "\u{1F}"))" }
        let flags = parsed.flags.subtracting(outputOnlyOptions).sorted()
        return (values + flags).joined(separator: "\u{1E}")
    }

    /// Keeps the inputs of this shard (stdin input belongs to shard 1 only).
    package func filter(_ inputs: LintInputList, problems: [InputProblem], base: String, root: String) -> (LintInputList, [InputProblem]) {
        guard let shard else { return (inputs, problems) }
        let kept = inputs.filter(keeping: { input in
            switch input {
            case let .file(p): return shard.contains(location: PathResolver.absolute(p, base: base), root: root)
            case .text: return shard.index == 0
            }
        })
        let keptProblems = problems.filter { shard.contains(location: PathResolver.absolute($0.path, base: base), root: root) }
        return (kept, keptProblems)
    }
}

extension ScaleSettings {
    /// After linting: the note of a shard without facts, and the cache saved on a thread of its
    /// own while the output is written (`CacheSaving.wait` joins it). The facts are written when
    /// the findings are counted (`writeFacts`).
    package func finish(linter: Linter, io: ToolIO) -> CacheSaving? {
        if let shard, factsOut == nil, !linter.baseRules.crossFile.isEmpty {
            let ids = linter.baseRules.crossFile.map(\.id).joined(separator: ", ")
            io.stderr("note: shard \(shard) ran per-file rules only; cross-file rules (\(ids)) need --facts-out FILE here and 'newslint merge' over all shards\n")
        }
        return cache.map(CacheSaving.init)
    }
}

/// A cache being saved while the run's output is written: the cross-file result and the cache
/// file's kept entries and index went out serially between the pass and the output (at agora-pen
/// ×10, 13 MB of cross-file findings encoded and written with the other core idle). The output
/// never reads what the save writes: the run's entries and result are already made, and a loaded
/// cache file stays readable after the new one is renamed over it.
package final class CacheSaving: @unchecked Sendable {
    private let cache: LintCache
    private let done = DispatchSemaphore(value: 0)
    /// Set by the saving thread before `done` is signalled; read after it is waited for.
    private var failure: (any Error)?
    private var waited = false
    /// Saves still running: a run ended early (a closed or failing standard output: `BrokenPipe`)
    /// waits for them first, so the cache is whole and no temporary file of it is left behind.
    private static let running = DispatchGroup()

    init(_ cache: LintCache) {
        self.cache = cache
        BrokenPipe.holdOff()
        Self.running.enter()
        Thread.detachNewThread { [self] in
            do { try cache.save() } catch { failure = error }
            BrokenPipe.release()
            done.signal()
            Self.running.leave()
        }
    }

    /// Waits for every save still running (before the process exits from anywhere but `run`'s end).
    package static func waitForRunning() { running.wait() }

    /// Waits for the save; a cache that could not be saved only costs speed: a warning.
    package func wait(io: ToolIO) {
        guard !waited else { return }
        waited = true
        done.wait()
        if let failure {
            io.stderr("warning: could not save the cache in \(PathComponents.deletingLastComponent(cache.file)): \(failure)\n")
        }
    }
}

extension ScaleSettings {
    /// `--facts-out`: the run's cross-file facts and its own findings by severity (`findings`,
    /// as its exit status counts them: merge's `--max-warnings` adds them to its own).
    package func writeFacts(_ files: @autoclosure () -> [FileFacts], fileCount: Int, linter: Linter, findings: FactsFile.FindingCounts) throws {
        guard let factsOut else { return }
        let facts = try FactsFile.collect(files(), fileCount: fileCount, linter: linter, shard: shard, findings: findings)
        do { try AtomicWriter.writeNew(facts.serialized(), to: factsOut) } catch {
            throw UsageError("cannot write --facts-out file '\(factsOut)': \(error)")
        }
    }
}

/// The part of a `--baseline` one step of a sharded run compares, so that the steps' notes add up
/// to one run's: a shard compares the entries of its own files (by the stable hash that gave it
/// the files, so a removed file's entries are gone in exactly one shard) and of the rules it runs,
/// the per-file ones; `merge` compares the cross-file rules' entries. Comparing the whole
/// baseline, every shard called the other shards' entries and the cross-file ones "gone".
package enum BaselineScope {
    /// The built-in cross-file rules (packs add per-file rules only), whether on or off: an
    /// entry of one that is off is gone in `merge`, as in one run.
    package static let crossFileRules = Set(RuleRegistry.crossFile.map { $0.id })

    /// What a `lint` run compares: all of `baseline` unless it is a shard or leaves the
    /// cross-file phase to `merge` (`crossFileDeferred`). `root`: the directory shards are
    /// hashed from (the root config's).
    package static func lint(_ baseline: Baseline, paths: BaselinePaths, shard: Shard?, crossFileDeferred: Bool, root: String, currentDirectory: String) -> Baseline {
        guard shard != nil || crossFileDeferred else { return baseline }
        var scoped = baseline
        scoped.entries = baseline.entries.filter { entry in
            if crossFileDeferred && crossFileRules.contains(entry.rule) { return false }
            guard let shard else { return true }
            // Stdin (`<stdin>`) belongs to shard 1, as `ScaleSettings.filter` gives it.
            guard let location = paths.location(ofKey: entry.path, currentDirectory: currentDirectory) else { return shard.index == 0 }
            return shard.contains(location: location, root: root)
        }
        return scoped
    }

    /// What `merge` compares: the cross-file rules' entries.
    package static func merge(_ baseline: Baseline) -> Baseline {
        var scoped = baseline
        scoped.entries = baseline.entries.filter { crossFileRules.contains($0.rule) }
        return scoped
    }
}

/// The `cache` section of `.lint.json`.
private struct CacheSection: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case enabled, directory }
    var enabled: Bool?
    var directory: Located<String>?
}
