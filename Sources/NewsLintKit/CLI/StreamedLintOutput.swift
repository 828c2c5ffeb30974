import Foundation

/// `lint` without holding the run's diagnostics: each file's diagnostics go to a `DiagnosticSpill`
/// as files finish (in input order), and at the end they are merged with the cross-file findings
/// and input problems into the streaming reporters, written out in chunks. Output is
/// byte-identical to the buffered path in `LintCommand`, which still serves what needs the
/// whole result at once (fixes and diffs, baselines, `--output`, sarif/junit/markdown).
enum StreamedLintOutput {
    /// Output flushed to stdout once this many UTF-8 bytes are pending.
    static let chunkSize = 1 << 16

    static func applies(settings: LintSettings, reporting: ReportingSettings, format: OutputFormat, parsed: ParsedArguments,
                        inputs: [LintInput]) -> Bool {
        guard settings.fix == .none, reporting.baselinePath == nil, reporting.writeBaselinePath == nil,
              parsed.value("output") == nil, format.streamingReporter != nil else { return false }
        // Delivery is in input order; output order is by path, so inputs must be strictly sorted.
        var previous: String?
        for input in inputs {
            let path = input.path
            if let previous, !previous.utf8.lexicographicallyPrecedes(path.utf8) { return false }
            previous = path
        }
        return true
    }

    static func run(linter: Linter, inputs: [LintInput], problems: [InputProblem], inMemory: [String: [UInt8]],
                    reporting: ReportingSettings, format: OutputFormat, unsafe: Bool, scale: ScaleSettings,
                    parsed: ParsedArguments, io: ToolIO) throws -> Int32 {
        let progress = reporting.progressEnabled ? ProgressLine(total: inputs.count, write: io.stderr) : nil
        var request = LintRequest(inputs: inputs, problems: problems)
        // NEWSLINT_SPILL_BYTES (tests, tuning): bytes of encoded diagnostics kept in memory before the temporary file.
        if let n = io.environment["NEWSLINT_SPILL_BYTES"].flatMap({ Int($0) }) { request.spillThreshold = max(0, n) }
        // JSON Lines are already printed by the observer as files finish; statistics only count.
        let streamedByObserver = reporting.streamJSONLines
        request.keepDiagnostics = !streamedByObserver && !reporting.statistics
        var totals = ReportTotals()
        var ruleCounts = RuleCounts()
        var summary = reporting.summary ? CorpusSummary.Accumulator(catalog: linter.catalog) : nil
        var profiles = PassProfiles()
        let run = LintRun(linter: linter, request: request, observer: reporting.observer(total: inputs.count, io: io, progress: progress), perFile: { outcome in
            summary?.addFile(path: outcome.path, byteCount: outcome.byteCount)
            if summary != nil { profiles.add(outcome) }
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

        let color = NewsLintCLI.useColor(parsed, io: io, toTerminal: io.stdoutIsTerminal)
        var context = ReportContext(catalog: linter.catalog, color: color, inMemorySources: inMemory, unsafeFixes: unsafe, fixing: false)
        context.baseDirectory = io.currentDirectory
        context.quiet = parsed.has("quiet")
        context.filesChecked = inputs.count
        if let n = try NewsLintCLI.aggregateThreshold(parsed) { context.aggregateThreshold = n }

        var pending = ""
        var wrote = false
        func write(_ text: String) {
            if !text.isEmpty { wrote = true }
            pending += text
            if pending.utf8.count >= chunkSize {
                io.stdout(pending)
                pending = ""
            }
        }
        if reporting.statistics {
            write(ReportingSettings.statistics(ruleCounts, catalog: linter.catalog, json: format == .json))
        } else if streamedByObserver {
            run.extras.forEach { write(JSONLinesReporter.line($0) + "\n") }
        } else if var reporter = format.streamingReporter {
            var groups = 0
            write(reporter.begin(context: context))
            let complete = run.merge { group in
                groups += 1
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
            let text = SummaryRenderer.text(CorpusSummary(summary, profiles: profiled))
            switch format {
            case .text, .concise: write((wrote ? "\n" : "") + text)
            default: io.stderr(text)
            }
        }
        if !pending.isEmpty { io.stdout(pending) }

        if ioFailure { return ExitCode.failure }
        return ExitPolicy(parsed, maxWarnings: reporting.maxWarnings).status(totals, fixesApplied: 0, io: io)
    }
}
