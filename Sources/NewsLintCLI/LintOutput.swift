import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `lint`'s output: one `LintRun` over the inputs (in path order), its merged stream passed
/// through the baseline (recorded, known findings hidden) to the format's reporter (streaming,
/// or buffering inside the reporter for formats that need totals), written out in chunks;
/// `--diff` writes each file's diff as the file completes, fixed stdin goes to stdout with the
/// report on stderr. Also the exit code.
package enum LintOutput {
    /// Output flushed to stdout once this many UTF-8 bytes are pending.
    package static let chunkSize = 1 << 16

    package static func run(linter: Linter, found: LintInputs, reporting: ReportingSettings, baseline: (baseline: Baseline, path: String)?, format: OutputFormat,
                            unsafe: Bool, parsed: ParsedArguments, io: ToolIO) throws -> Int32 {
        let inputs = found.inputs
        let mode = linter.settings.fix
        var previewing = false
        if case .preview = mode { previewing = true }
        // Fixing stdin: the fixed text goes to stdout (as Ruff does), the report to stderr; stdin
        // excluded by `--force-exclude` goes back unchanged.
        let fixesStdin = mode.writes && (found.excludedStdin != nil || inputs.contains { if case .text = $0 { return true } else { return false } })
        let toFile = parsed.value("output")
        let reportToStderr = fixesStdin && toFile == nil
        // UTF-8 bytes: reporters append to it directly, and it is written out as it is.
        var pending = ReportBuffer()
        var wrote = false
        // `--output`: the report goes to a temporary file beside it as it is produced (holding a
        // large report whole cost memory and time), renamed into place at the end. Nil until the
        // first chunk, and when it cannot be staged (then the report is held and written at the end).
        var staged: AtomicWriter.Staged?
        var stagingTried = false
        func flushIfFull() {
            guard pending.count >= chunkSize else { return }
            if let out = toFile {
                if !stagingTried {
                    stagingTried = true
                    staged = AtomicWriter.stage(NewsLintCLI.resolve(out, io))
                }
                guard let staged else { return }
                pending.withUnsafeBytes { staged.append($0) }
                pending.removeAll()
            } else if !reportToStderr {
                // A report on stderr is held to the end, after the notes before it.
                pending.withUnsafeBytes { io.stdoutBuffer($0) }
                pending.removeAll()
            }
        }
        func write(_ text: String) {
            if !text.isEmpty { wrote = true }
            pending.append(text)
            flushIfFull()
        }

        // Each baseline names files relative to its own directory (an earlier one: as its run named
        // them; one through a pipe or /dev: relative to the current directory).
        func paths(_ base: Baseline.PathBase, file: String) -> BaselinePaths { .of(base, file: file, io: io) }
        let partOfShardedRun = found.scale.shard != nil || !linter.settings.finishCrossFile
        let compared = baseline.map { read -> (Baseline, BaselinePaths) in
            let named = paths(read.baseline.pathBase, file: read.path)
            return (BaselineScope.lint(read.baseline, paths: named, shard: found.scale.shard, crossFileDeferred: !linter.settings.finishCrossFile,
                                       root: linter.config.directory, currentDirectory: io.currentDirectory), named)
        }
        var stage = BaselineStage(recording: reporting.writeBaselinePath.map { paths(.baselineFile, file: $0) }, comparingWith: compared)
        let progress = reporting.progressEnabled ? ProgressLine(total: inputs.count, write: io.stderr) : nil
        var request = LintRequest(inputs: inputs, problems: found.problems)
        // NEWSLINT_SPILL_BYTES (tests, tuning): bytes of encoded diagnostics kept in memory before the temporary file.
        if let n = io.environment["NEWSLINT_SPILL_BYTES"].flatMap({ Int($0) }) { request.spillThreshold = max(0, n) }
        // JSON Lines are already printed by the observer as files finish; statistics only count; diffs replace the report.
        let streamedByObserver = reporting.streamJSONLines
        let reports = !streamedByObserver && !reporting.statistics && !previewing
        // Diagnostics are counted from the merged stream when it is read (after the baseline),
        // else as files complete.
        request.keepDiagnostics = reports || stage.isActive
        let countsMerged = request.keepDiagnostics
        request.spillsFindingsOnly = countsMerged && !streamedByObserver
        var totals = ReportTotals()
        var ruleCounts = RuleCounts()
        var summary = reporting.summary ? CorpusSummary.Accumulator(catalog: linter.catalog) : nil
        func count(_ diagnostics: some Collection<Diagnostic>) {
            totals.add(contentsOf: diagnostics)
            if summary != nil { for d in diagnostics { summary?.add(d) } }
            if reporting.statistics { ruleCounts.add(Array(diagnostics)) }
        }
        var profiles = PassProfiles()
        // JUnit lists every checked file, clean ones too; Markdown counts them.
        var checkedPaths: [String] = []
        let listsFiles = format == .junit || format == .markdown
        var changedFiles = 0
        var inMemory = found.inMemory
        var fixedStdin = found.excludedStdin
        let run = LintRun(linter: linter, request: request, observer: reporting.observer(total: inputs.count, io: io, progress: progress), perFile: { outcome in
            summary?.addFile(path: outcome.path, byteCount: outcome.byteCount)
            if summary != nil { profiles.add(outcome) }
            if listsFiles { checkedPaths.append(outcome.path) }
            if previewing, let fix = outcome.fix, let before = fix.original, let after = fix.fixed, before != after {
                changedFiles += 1
                write(UnifiedDiff.render(old: before, new: after, path: SystemPath.display(outcome.path)))
            }
            if fixesStdin, fixedStdin == nil, let original = found.inMemory[exactPath: outcome.path] {
                fixedStdin = outcome.fix?.fixed ?? original
                inMemory[outcome.path] = fixedStdin
            }
            guard !countsMerged else { return }
            // Read once: a cache hit's findings are decoded from its bytes on each read.
            let diagnostics = outcome.diagnostics
            guard !diagnostics.isEmpty else { return }
            count(diagnostics)
            totals.files += 1
        })
        progress?.finish()
        let saving = found.scale.finish(linter: linter, io: io)
        // Joined on every way out, thrown errors included: the cache is whole when `run` returns.
        defer { saving?.wait(io: io) }

        var ioFailure = run.ioFailure
        var readFailures = ReadFailures(run, io: io)
        // False when spilled findings could not be read back: no baseline is written from a part.
        var streamComplete = !readFailures.any
        if readFailures.any { ioFailure = true }
        let color = NewsLintCLI.useColor(parsed, io: io, writingFile: toFile != nil)
        var context = ReportContext(catalog: linter.catalog, color: color, inMemorySources: inMemory, unsafeFixes: unsafe, fixing: mode != .none)
        context.baseDirectory = io.currentDirectory
        context.quiet = parsed.has("quiet")
        context.filesChecked = inputs.count
        if let n = try NewsLintCLI.aggregateThreshold(parsed) { context.aggregateThreshold = n }

        if countsMerged {
            var reporter = format.runReporter
            if var buffering = reporter as? BufferingReporter {
                buffering.checkedPaths = checkedPaths
                reporter = buffering
            }
            if reports { write(reporter.begin(context: context)) }
            // Text quotes each finding's line: those the pass did not keep are read while the spill is decoded.
            let filler = format == .text && reports && linter.settings.captureSourceLines
                ? TextReporter.lineFiller(inMemory: context.inMemorySources, base: context.baseDirectory) : nil
            func report(_ group: ArraySlice<Diagnostic>, _ captured: [Int: String]) {
                guard let path = group.first?.path else { return }
                // Lines the pass did not keep (cross-file findings, cache hits) are read back once
                // for the baseline and the code frames alike.
                var lines = captured
                var sources = SourceCache(inMemory: context.inMemorySources, base: context.baseDirectory, captured: (path, captured))
                let shown = stage.apply(group) { n in
                    if let text = lines[n] { return text }
                    let text = sources.line(path, n)
                    lines[n] = text
                    return text
                }
                guard !shown.isEmpty else { return }
                count(shown)
                totals.files += 1
                guard reports else { return }
                context.capturedLines = lines
                let before = pending.count
                reporter.file(shown, context: context, into: &pending)
                if pending.count != before { wrote = true }
                flushIfFull()
            }
            // Concise lines are written from the spill's bytes, never decoded (`MergedGroup`), when
            // nothing else reads the findings: the baseline stage compares them, the summary and
            // `--statistics` count them by rule (`reports` already excludes `--statistics`, and a
            // line filler is made for text alone; both are asked so the gate stands on its own).
            let writesFromBytes = format == .concise && reports && !stage.isActive && summary == nil
                && !reporting.statistics && filler == nil
            let complete: Bool
            if writesFromBytes {
                complete = run.merge(decodingFrom: ConciseReporter.aggregationLimit(context)) { merged in
                    switch merged {
                    case let .decoded(group, captured): report(group, captured)
                    case let .spilled(group):
                        totals.add(group)
                        totals.files += 1
                        let before = pending.count
                        ConciseReporter.appendLines(group, to: &pending)
                        if pending.count != before { wrote = true }
                        flushIfFull()
                    }
                }
            } else {
                complete = run.merge(fillingLines: filler, report)
            }
            if !complete {
                io.stderr("error: could not read back the diagnostics spilled to the temporary directory (\(NSTemporaryDirectory())); output is incomplete. Make sure that directory (set with TMPDIR) has free space and is not cleaned while newslint runs, then run again\n")
                ioFailure = true
                streamComplete = false
            }
            if reports {
                let before = pending.count
                reporter.end(totals, context: context, into: &pending)
                if pending.count != before { wrote = true }
                flushIfFull()
            }
        } else if !run.extras.forEach({ count(CollectionOfOne($0)) }) {
            ioFailure = true
            streamComplete = false
        }
        if streamedByObserver {
            run.extras.forEach {
                wrote = true
                JSONLinesReporter.appendLines(CollectionOfOne($0), to: &pending)
                flushIfFull()
            }
        }
        // The save reads the run's spilled paths back too (the cross-file result): joined here, a
        // path it found lost is reported and fails the run whichever of the two met it first.
        saving?.wait(io: io)
        if readFailures.reportNew(run, io: io) {
            ioFailure = true
            streamComplete = false
        }
        if reporting.statistics { write(ReportingSettings.statistics(ruleCounts, catalog: linter.catalog, json: format == .json, unsafe: unsafe)) }
        try finishBaseline(stage, complete: streamComplete, reporting: reporting, quiet: parsed.has("quiet"), newCount: totals.count, partOfShardedRun: partOfShardedRun, io: io)
        // With the findings counted, after the baseline hid the known ones, as the exit status counts them.
        try found.scale.writeFacts(run.facts.files, fileCount: run.fileCount, linter: linter,
                                   findings: FactsFile.FindingCounts(errors: totals.errors, warnings: totals.warnings, infos: totals.infos))

        if let summary {
            let profiled = profiles.finish(baseDirectory: io.currentDirectory, maxSize: linter.config.maxFileSize, jobs: linter.settings.jobs)
            let corpus = CorpusSummary(summary, profiles: profiled)
            switch format {
            case .text, .concise: write((wrote ? "\n" : "") + SummaryRenderer.text(corpus))
            case .markdown: write("\n" + SummaryRenderer.markdown(corpus))
            default: io.stderr(SummaryRenderer.text(corpus))
            }
        }
        if let out = toFile {
            do {
                if let staged {
                    pending.withUnsafeBytes { staged.append($0) }
                    try AtomicWriter.writeNew(staged, to: NewsLintCLI.resolve(out, io))
                } else {
                    try AtomicWriter.writeNew(pending.bytes, to: NewsLintCLI.resolve(out, io))
                }
            } catch let e as WriteError {
                throw UsageError("cannot write --output file '\(out)': \(e.message)")
            }
            // The report went to the file; the fixed text still goes to stdout.
            if fixesStdin, let fixedStdin { io.stdoutBytes(fixedStdin) }
        } else if reportToStderr, let fixedStdin {
            io.stdoutBytes(fixedStdin)
            if !pending.isEmpty { io.stderr(pending.text) }
        } else if !pending.isEmpty {
            pending.withUnsafeBytes { io.stdoutBuffer($0) }
        }

        let fixes = run.fixSummary
        if mode != .none && !parsed.has("quiet") {
            io.stderr(LintCommand.fixSummaryLine(fixes, mode: mode, remaining: totals.count, unsafeAvailable: totals.fixableUnsafe, changedFiles: changedFiles))
        }
        for r in fixes.rolledBack { io.stderr("warning: \(SystemPath.display(r.path)): \(r.reason)\n") }
        for p in fixes.passLimitHit { io.stderr("warning: \(p): fixes did not converge after \(Fixer.maxPasses) passes\n") }
        if ioFailure { return ExitCode.failure }
        if previewing { return changedFiles > 0 ? ExitCode.lintErrors : ExitCode.ok }
        if reporting.writeBaselinePath != nil { return ExitCode.ok }
        return ExitPolicy(parsed, maxWarnings: reporting.maxWarnings).status(totals, fixesApplied: mode.writes ? fixes.fixesApplied : 0, io: io)
    }

    /// Writes `--write-baseline` and prints the `--baseline` note (after the stream: the counts
    /// are known only then). Nothing is written or counted from an incomplete stream.
    /// `partOfShardedRun`: the note counts this shard's share (`BaselineScope`), and a new
    /// baseline comes from a whole run.
    private static func finishBaseline(_ stage: BaselineStage, complete: Bool, reporting: ReportingSettings, quiet: Bool, newCount: Int, partOfShardedRun: Bool, io: ToolIO) throws {
        guard complete else {
            if reporting.writeBaselinePath != nil { io.stderr("error: --write-baseline not written: the findings could not all be read back\n") }
            return
        }
        if let path = reporting.writeBaselinePath, let recorded = stage.recorded {
            do {
                try AtomicWriter.writeNew(Array(recorded.serialized().utf8), to: path)
            } catch {
                throw UsageError("cannot write --write-baseline file '\(reporting.writeBaselineDisplay ?? path)': \(error)")
            }
            let count = recorded.entries.count
            io.stderr("wrote baseline with \(count) entr\(count == 1 ? "y" : "ies") to \(reporting.writeBaselineDisplay ?? path)\n")
        }
        guard let matcher = stage.matcher, !quiet else { return }
        io.stderr(baselineNote(hidden: matcher.matched, new: newCount, gone: matcher.gone.count, kind: "", baseline: reporting.baselineDisplay ?? "", partOfShardedRun: partOfShardedRun))
    }

    /// The `--baseline` note of `lint` and `merge` (`kind`: "cross-file " for merge's share).
    static func baselineNote(hidden: Int, new: Int, gone: Int, kind: String, baseline: String, partOfShardedRun: Bool) -> String {
        var note = "baseline: \(hidden) known \(kind)problem\(hidden == 1 ? "" : "s") hidden, \(new) new"
        if gone > 0 {
            // A shard's or merge's --write-baseline would record its share alone.
            let update = partOfShardedRun ? "update it with --write-baseline \(baseline) in a run over the whole corpus" : "update with --write-baseline \(baseline)"
            note += "; \(gone) baselined \(kind)problem\(gone == 1 ? " is" : "s are") gone (fixed or removed; \(update))"
        }
        return note + "\n"
    }
}
