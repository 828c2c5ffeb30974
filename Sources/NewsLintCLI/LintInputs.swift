import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// What `lint` was asked to check: discovery's files and stdin, in path order (the order the run
/// streams and reports them), the problems met finding them, and the scale options around them.
package struct LintInputs {
    /// Discovery's files stay a compact `PathList` inside (no `String` per file for the whole run).
    package var inputs: LintInputList
    package var problems: [InputProblem]
    /// Stdin's text by its name.
    package var inMemory: [String: [UInt8]]
    /// The paths as given, stdin's `-` shown by its name (for the "no files" warning).
    package var paths: [String]
    /// Stdin's text when `--force-exclude` excluded its name and the run writes fixes: echoed
    /// unchanged to stdout, since an editor replaces its buffer with what comes back.
    package var excludedStdin: [UInt8]?
    package var scale: ScaleSettings
    /// Inputs found before `--shard` kept this shard's (the "no files" warning of an empty shard).
    package var unshardedCount = 0

    /// Whether files under directory `p` were found under another command-line path's spelling
    /// of it (`corpus ./corpus`: a file is listed once, under the first spelling met).
    package static func yieldsUnderAnotherSpelling(_ p: String, _ files: PathList, _ discovery: FileDiscovery) -> Bool {
        let directory = PathResolver.droppingDotComponents(discovery.absolute(p))
        return files.contains { PathResolver.isBelow(PathResolver.droppingDotComponents(discovery.absolute($0)), directory) }
    }

    /// Finds the inputs and completes `settings` (rule filter, cache, paths); nil when the
    /// request was only to show them (`--show-settings`, `--show-files`, already printed).
    package static func find(_ parsed: ParsedArguments, resolver: ConfigResolver, settings: inout LintSettings, io: ToolIO) throws -> LintInputs? {
        var texts: [LintInput] = []
        var problems: [InputProblem] = []
        var inMemory: [String: [UInt8]] = [:]
        let paths = parsed.positionals.isEmpty ? ["."] : parsed.positionals
        var discovery = FileDiscovery(config: resolver.root, base: io.currentDirectory)
        discovery.resolver = resolver
        discovery.respectIgnoreFiles = !parsed.has("no-respect-gitignore")
        discovery.followSymlinks = parsed.has("follow-symlinks")
        discovery.listsAhead = settings.jobs > 1
        // NEWSLINT_PATH_SPILL_BYTES (tests, tuning): bytes of found paths kept in memory before the temporary file.
        if let n = io.environment["NEWSLINT_PATH_SPILL_BYTES"].flatMap({ Int($0) }) { discovery.pathMemoryBudget = max(0, n) }
        settings.baseDirectory = io.currentDirectory
        var diskPaths: [String] = []
        if paths.filter({ $0 == "-" }).count > 1 { throw UsageError("'-' (stdin) can be given only once") }
        var stdinExcluded = false
        var excludedStdin: [UInt8]?
        if let name = parsed.value("stdin-filename") {
            let location = PathResolver.absolute(name, base: io.currentDirectory)
            stdinExcluded = parsed.has("force-exclude") && !resolver.configuration(forFile: location).isIncluded(location)
        }
        for p in paths {
            if p == "-" && stdinExcluded {
                if settings.fix.writes { excludedStdin = io.readStdin() }
            } else if p == "-" {
                let name = parsed.value("stdin-filename") ?? "<stdin>"
                let bytes = io.readStdin()
                inMemory[name] = bytes
                texts.append(.text(path: name, bytes: bytes))
            } else {
                diskPaths.append(p)
            }
        }
        // Paths are resolved against io.currentDirectory but reported as given.
        let expanded = discovery.expand(diskPaths, forceExclude: parsed.has("force-exclude"))
        if !discovery.followSymlinks { settings.writableRoots = discovery.roots(diskPaths) }
        problems += expanded.problems
        var inputs = LintInputList(texts: texts, files: expanded.files)
        if let name = parsed.value("stdin-filename"), !texts.isEmpty { inputs = standingIn(stdin: name, for: inputs, io: io) }
        // Files named explicitly (and stdin's name) were not reached by a walk: resolve their configs too.
        for p in diskPaths + [parsed.value("stdin-filename")].compactMap({ $0 }) {
            var isDir: ObjCBool = false
            let location = NewsLintCLI.resolve(p, io)
            if !(SystemPath.exists(location, isDirectory: &isDir) && isDir.boolValue) { _ = resolver.configuration(forFile: location) }
        }
        try resolver.throwErrors()
        let catalog = resolver.catalog
        let config = resolver.root
        settings.filter = try NewsLintCLI.ruleFilter(parsed, catalog: catalog)
        if let file = parsed.value("show-settings") {
            io.stdout(try SettingsPrinter.render(file: file, resolver: resolver, filter: settings.filter, imageOverrides: settings.environment.imageOverrides, io: io))
            try resolver.throwErrors()
            return nil
        }
        // A directory named on the command line that yields nothing is a mistake (a wrong path must
        // not pass CI green). Files named explicitly but excluded under --force-exclude are skipped
        // silently: that is how pre-commit passes every staged file.
        if !parsed.positionals.isEmpty {
            var empty: [String] = []
            for p in diskPaths where !problems.contains(where: { $0.path.hasSameBytes(as: p) }) {
                var isDir: ObjCBool = false
                guard SystemPath.exists(NewsLintCLI.resolve(p, io), isDirectory: &isDir), isDir.boolValue else { continue }
                if p == "." ? expanded.files.isEmpty : !expanded.files.contains(where: { PathResolver.isBelow($0, p) }),
                   !(diskPaths.count > 1 && yieldsUnderAnotherSpelling(p, expanded.files, discovery)) {
                    empty.append(EmptyPathExplainer.explain(p, problems: expanded.problems, resolver: resolver, respectIgnoreFiles: discovery.respectIgnoreFiles, io: io))
                }
            }
            if !empty.isEmpty { throw UsageError(empty.joined(separator: "\nerror: ")) }
        }
        if parsed.has("show-files") {
            io.stdout(inputs.map { $0.path + "\n" }.joined())
            return nil
        }

        // Files the run writes: never an input, never each other, and writable before the run starts.
        // Lazy: a corpus of a million files is not turned into a million absolute path strings.
        let locations = inputs.lazy.compactMap { if case let .file(p) = $0 { return PathResolver.absolute(p, base: io.currentDirectory) } else { return nil } }
        let written = ["output", "write-baseline", "facts-out", "image-cache"].compactMap { option in
            parsed.value(option).map { OutputGuard.Output(option: "--" + option, display: $0, resolved: NewsLintCLI.resolve($0, io)) }
        }
        try OutputGuard.check(written, inputs: locations)
        for out in written { try OutputGuard.checkWritable(output: out.resolved, display: out.display, option: out.option) }
        for (k, out) in written.enumerated() {
            for other in written[(k + 1)...] where OutputGuard.sameFile(out.resolved, other.resolved) {
                throw UsageError("\(out.option) and \(other.option) name the same file '\(out.display)'; give each its own file")
            }
        }

        // Scale: cache, shard selection, deferred cross-file phase (CLI/ScaleOptions.swift).
        // The cache key covers every configuration the run uses (nested ones too).
        var keyConfig = config
        keyConfig.contentHash = resolver.snapshot().combinedHash
        let lintedDirectories = diskPaths.filter { p in
            var isDir: ObjCBool = false
            return SystemPath.exists(NewsLintCLI.resolve(p, io), isDirectory: &isDir) && isDir.boolValue
        }
        let scale = try ScaleSettings.resolve(parsed, io: io, config: keyConfig, catalog: catalog, filter: settings.filter, fixing: settings.fix != .none,
                                              lintedDirectories: lintedDirectories)
        let unshardedCount = inputs.endIndex
        (inputs, problems) = scale.filter(inputs, problems: problems, base: io.currentDirectory, root: config.directory)
        settings.cache = scale.cache
        settings.finishCrossFile = scale.shard == nil && scale.factsOut == nil
        let shownPaths = paths.map { $0 == "-" ? parsed.value("stdin-filename") ?? $0 : $0 }
        return LintInputs(inputs: pathOrder(inputs), problems: problems, inMemory: inMemory, paths: shownPaths,
                          excludedStdin: excludedStdin, scale: scale, unshardedCount: unshardedCount)
    }

    /// Stdin named like a file that is also linted from disk is that file's current text (an
    /// editor's unsaved buffer, checked in the context of its corpus): the disk copy is left out,
    /// so the run has one document per path (no code frames quoting the other text, no
    /// cross-file finding of the file against itself). Paths match after `./` and `//` are
    /// removed, byte for byte (symlinks are not resolved).
    package static func standingIn(stdin name: String, for inputs: LintInputList, io: ToolIO) -> LintInputList {
        let location = PathResolver.standardized(PathResolver.absolute(name, base: io.currentDirectory))
        let fileName = location.split(separator: "/").last.map(String.init) ?? location
        let sameName = { (path: String) in
            path.hasSuffix(fileName) && PathResolver.standardized(PathResolver.absolute(path, base: io.currentDirectory)).hasSameBytes(as: location)
        }
        guard inputs.contains(where: { if case let .file(path) = $0 { return sameName(path) } else { return false } }) else { return inputs }
        return inputs.filter { input in
            if case let .file(path) = input { return !sameName(path) }
            return true
        }
    }

    /// Inputs in byte order of their paths, the order the run streams and every report lists
    /// them (discovery's files already are; stdin comes first and may sort anywhere). A path given
    /// twice (stdin named like a file on disk) keeps both, stdin first: the merge reports them
    /// as one path, as a whole-result sort did.
    package static func pathOrder(_ inputs: LintInputList) -> LintInputList {
        // Discovery's list knows when it is sorted: no path is decoded for a directory walk.
        if inputs.pathsStrictlyIncrease { return inputs }
        let inOrder = zip(inputs, inputs.dropFirst()).allSatisfy { !$1.path.utf8.lexicographicallyPrecedes($0.path.utf8) }
        if inOrder { return inputs }
        return LintInputList(inputs.enumerated().sorted { a, b in
            let x = a.element.path.utf8, y = b.element.path.utf8
            if x.lexicographicallyPrecedes(y) { return true }
            if y.lexicographicallyPrecedes(x) { return false }
            return a.offset < b.offset
        }.map(\.element))
    }
}
