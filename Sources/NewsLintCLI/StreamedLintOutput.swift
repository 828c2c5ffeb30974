import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `lint`'s output: the options mapped to a `LintRequest`, the `LintRun`'s merged stream handed to
/// the format's reporter (streaming, or buffering inside the reporter for formats that need
/// totals), written out in chunks; `--diff` writes each file's diff as the file completes.
/// Also the exit code. What still needs the whole result at once (baselines, fixing stdin,
/// inputs not in path order) goes through `LintCommand`'s buffered route.
package enum StreamedLintOutput {
    /// Output flushed to stdout once this many UTF-8 bytes are pending.
    package static let chunkSize = 1 << 16

    package static func applies(settings: LintSettings, reporting: ReportingSettings, format: OutputFormat, parsed: ParsedArguments,
                        inputs: LintInputs) -> Bool {
        guard reporting.baselinePath == nil, reporting.writeBaselinePath == nil else { return false }
        // Fixed stdin is printed instead of the report.
        if settings.fix.writes, inputs.contains(where: { if case .text = $0 { return true } else { return false } }) { return false }
        // Delivery is in input order; output order is by path, so inputs must be strictly sorted.
        var previous: String?
        for input in inputs {
            let path = input.path
            if let previous, !previous.utf8.lexicographicallyPrecedes(path.utf8) { return false }
            previous = path
        }
        return true
    }

    package static func run(linter: Linter, inputs: LintInputs, problems: [InputProblem], inMemory: [String: [UInt8]],
                    reporting: ReportingSettings, format: OutputFormat, unsafe: Bool, scale: ScaleSettings,
                    parsed: ParsedArguments, io: ToolIO) throws -> Int32 {
        let mode = linter.settings.fix
        var previewing = false
        if case .preview = mode { previewing = true }
        let toFile = parsed.value("output")
        var pending = ""
        var wrote = false
        func write(_ text: String) {
            if !text.isEmpty { wrote = true }
            pending += text
            if toFile == nil, pending.utf8.count >= chunkSize {
                io.stdout(pending)
                pending = ""
            }
        }

        let progress = reporting.progressEnabled ? ProgressLine(total: inputs.count, write: io.stderr) : nil
        var request = LintRequest(inputs: inputs, problems: problems)
        // NEWSLINT_SPILL_BYTES (tests, tuning): bytes of encoded diagnostics kept in memory before the temporary file.
        if let n = io.environment["NEWSLINT_SPILL_BYTES"].flatMap({ Int($0) }) { request.spillThreshold = max(0, n) }
        // JSON Lines are already printed by the observer as files finish; statistics only count; diffs replace the report.
        let streamedByObserver = reporting.streamJSONLines
        request.keepDiagnostics = !streamedByObserver && !reporting.statistics && !previewing
        var totals = ReportTotals()
        var ruleCounts = RuleCounts()
        var summary = reporting.summary ? CorpusSummary.Accumulator(catalog: linter.catalog) : nil
        var profiles = PassProfiles()
        // JUnit lists every checked file, clean ones too; Markdown counts them.
        var checkedPaths: [String] = []
        let listsFiles = format == .junit || format == .markdown
        var changedFiles = 0
        let run = LintRun(linter: linter, request: request, observer: reporting.observer(total: inputs.count, io: io, progress: progress), perFile: { outcome in
            summary?.addFile(path: outcome.path, byteCount: outcome.byteCount)
            if summary != nil { profiles.add(outcome) }
            if listsFiles { checkedPaths.append(outcome.path) }
            if previewing, let fix = outcome.fix, let before = fix.original, let after = fix.fixed, before != after {
                changedFiles += 1
                write(UnifiedDiff.render(old: before, new: after, path: SystemPath.display(outcome.path)))
            }
            guard !outcome.diagnostics.isEmpty else { return }
            if summary != nil { for d in outcome.diagnostics { summary?.add(d) } }
            for d in outcome.diagnostics { totals.add(d) }
            totals.files += 1
            if reporting.statistics { ruleCounts.add(outcome.diagnostics) }
        })
        progress?.finish()
        try scale.finish(facts: run.facts.files, fileCount: run.fileCount, linter: linter, io: io)

        var ioFailure = run.ioFailure
        var extraTotals = ReportTotals()
        let extrasComplete = run.extras.forEach { d in
            extraTotals.add(d)
            ruleCounts.add([d])
            summary?.add(d)
        }
        if !extrasComplete { ioFailure = true }
        totals.errors += extraTotals.errors
        totals.warnings += extraTotals.warnings
        totals.infos += extraTotals.infos
        totals.fixableSafe += extraTotals.fixableSafe
        totals.fixableUnsafe += extraTotals.fixableUnsafe

        let color = NewsLintCLI.useColor(parsed, io: io, toTerminal: toFile == nil && io.stdoutIsTerminal)
        var context = ReportContext(catalog: linter.catalog, color: color, inMemorySources: inMemory, unsafeFixes: unsafe, fixing: mode != .none)
        context.baseDirectory = io.currentDirectory
        context.quiet = parsed.has("quiet")
        context.filesChecked = inputs.count
        if let n = try NewsLintCLI.aggregateThreshold(parsed) { context.aggregateThreshold = n }

        if previewing {
            // The diffs are written.
        } else if reporting.statistics {
            write(ReportingSettings.statistics(ruleCounts, catalog: linter.catalog, json: format == .json))
        } else if streamedByObserver {
            run.extras.forEach { write(JSONLinesReporter.line($0) + "\n") }
        } else {
            var reporter = format.runReporter
            if var buffering = reporter as? BufferingReporter {
                buffering.checkedPaths = checkedPaths
                reporter = buffering
            }
            var groups = 0
            write(reporter.begin(context: context))
            let complete = run.merge { group, lines in
                groups += 1
                context.capturedLines = lines
                write(reporter.file(group, context: context))
            }
            if !complete {
                io.stderr("error: could not read back the diagnostics spilled to the temporary directory (\(NSTemporaryDirectory())); output is incomplete\n")
                ioFailure = true
            }
            totals.files = groups
            write(reporter.end(totals, context: context))
        }
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
                try AtomicWriter.writeNew(Array(pending.utf8), to: NewsLintCLI.resolve(out, io))
            } catch let e as WriteError {
                throw UsageError("cannot write --output file '\(out)': \(e.message)")
            }
        } else if !pending.isEmpty {
            io.stdout(pending)
        }

        let fixes = run.fixSummary
        if mode != .none && !parsed.has("quiet") {
            io.stderr(LintCommand.fixSummaryLine(fixes, mode: mode, remaining: totals.count, unsafeAvailable: totals.fixableUnsafe, changedFiles: changedFiles))
        }
        for r in fixes.rolledBack { io.stderr("warning: \(SystemPath.display(r.path)): \(r.reason)\n") }
        for p in fixes.passLimitHit { io.stderr("warning: \(p): fixes did not converge after \(Fixer.maxPasses) passes\n") }
        if ioFailure { return ExitCode.failure }
        if previewing { return changedFiles > 0 ? ExitCode.lintErrors : ExitCode.ok }
        return ExitPolicy(parsed, maxWarnings: reporting.maxWarnings).status(totals, fixesApplied: mode.writes ? fixes.fixesApplied : 0, io: io)
    }
}
