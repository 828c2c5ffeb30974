import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `newslint merge FACTS...`: the cross-file (reduce) phase over the facts files of all shards.
package enum MergeCommand {
    package static let options: [OptionSpec] = [
        OptionSpec("format", value: "FORMAT", allowed: OutputFormat.allCases.map(\.rawValue), help: "Output format (default: text)"),
        NewsLintCLI.Shared.output,
        OptionSpec("config", short: "c", value: "FILE", help: "The config the shards used (default: discover .lint.json)"),
        OptionSpec("no-config", help: "Built-in defaults (the shards must have used --no-config too)"),
        NewsLintCLI.Shared.select,
        NewsLintCLI.Shared.ignore,
        NewsLintCLI.Shared.color,
        NewsLintCLI.Shared.quiet,
        NewsLintCLI.Shared.help,
    ] + gating

    /// `lint`'s options that decide the exit status, taken from its lists (one spelling, one help):
    /// the shards and the merge each gate their own findings, and the merge's `--max-warnings`
    /// the whole run's warnings (the shards' counts come in their facts), so a pipeline that
    /// fails when any step fails gets the exit status of one run.
    package static let gating = (NewsLintCLI.projectOptions + NewsLintCLI.reportingOptions).filter {
        ["fail-on", "exit-zero", "max-warnings", "baseline"].contains($0.name)
    }

    package static let help = "newslint merge [OPTIONS] FACTS...\n\nRun the cross-file rules (duplicate slugs, duplicate content, repeated boilerplate, ...) over the\nfacts files written by 'newslint lint --shard K/N --facts-out FILE', and report their diagnostics.\n\n" + ArgumentParser(command: "merge", options: options).optionsHelp() + "\n"

    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "merge", options: options).parse(args)
        if parsed.has("help") {
            io.stdout(help)
            return ExitCode.ok
        }
        guard !parsed.positionals.isEmpty else { throw UsageError("'merge' needs one or more facts files (written by 'newslint lint --facts-out FILE')") }
        // The root configuration `lint` used for the shards (the current directory's, or --config).
        let resolver = try NewsLintCLI.configResolver(parsed, io: io)
        let (config, catalog) = (resolver.root, resolver.catalog)
        var settings = LintSettings()
        settings.filter = try NewsLintCLI.ruleFilter(parsed, catalog: catalog)
        settings.baseDirectory = io.currentDirectory
        let linter = try Linter(catalog: catalog, config: config, settings: settings)
        let format = OutputFormat(rawValue: parsed.value("format") ?? "text") ?? .text
        // `--max-warnings` and `--baseline` read as `lint` reads them.
        let reporting = try ReportingSettings(parsed, io: io, format: format, previewing: false)
        let baseline = try reporting.loadBaseline()
        if let out = parsed.value("output") {
            let inputs = (parsed.positionals + (reporting.baselinePath.map { [$0] } ?? [])).map { NewsLintCLI.resolve($0, io) }
            try OutputGuard.check(output: NewsLintCLI.resolve(out, io), display: out, inputs: inputs)
        }
        var files: [(name: String, facts: FactsFile)] = []
        for name in parsed.positionals {
            let bytes: [UInt8]
            switch FileReader.read(NewsLintCLI.resolve(name, io), maxSize: Int.max / 2) {
            case let .bytes(read): bytes = read
            case let .failed(reason), let .skipped(reason):
                throw UsageError("cannot read facts file '\(name)': \(reason); name the files 'newslint lint --shard K/N --facts-out FILE' wrote")
            }
            files.append((name, try FactsFile.parse(bytes, file: name)))
        }
        // Suppression comments apply to cross-file findings as in a single run (read from the
        // files when they are reachable from here; otherwise the findings are kept).
        var diagnostics = linter.completing(try FactsFile.merge(files, linter: linter), problems: [], inMemory: [:], base: io.currentDirectory).diagnostics
        if let baseline {
            // The cross-file rules' entries: the shards compare the rest (`BaselineScope`), so
            // the notes of the shards and the merge add up to one run's.
            let (kept, hidden, gone) = hidingKnown(diagnostics, baseline: BaselineScope.merge(baseline.baseline), file: baseline.path, io: io)
            diagnostics = kept
            if !parsed.has("quiet") {
                io.stderr(LintOutput.baselineNote(hidden: hidden, new: diagnostics.count, gone: gone, kind: "cross-file ",
                                                  baseline: reporting.baselineDisplay ?? baseline.path, partOfShardedRun: true))
            }
        }
        let toFile = parsed.value("output")
        var context = ReportContext(catalog: catalog, color: NewsLintCLI.useColor(parsed, io: io, writingFile: toFile != nil))
        context.baseDirectory = io.currentDirectory
        context.quiet = parsed.has("quiet")
        var reporter = format.runReporter
        let rendered = reporter.renderAll(diagnostics, context: context)
        if let out = toFile {
            do { try AtomicWriter.writeNew(Array(rendered.utf8), to: NewsLintCLI.resolve(out, io)) } catch {
                throw UsageError("cannot write --output file '\(out)': \(error)")
            }
        } else if !rendered.isEmpty {
            io.stdout(rendered)
        }
        var totals = ReportTotals()
        totals.add(contentsOf: diagnostics)
        // `--max-warnings` gates the whole run: the shards' warnings (their facts' counts) and these.
        let shardWarnings = files.reduce(0) { $0 + $1.facts.findings.warnings }
        return ExitPolicy(parsed, maxWarnings: reporting.maxWarnings).status(totals, fixesApplied: 0, warningsElsewhere: shardWarnings, io: io)
    }

    /// The findings `baseline` does not record (as `lint --baseline` hides them, path by path in
    /// output order), how many it hid and how many of its entries nothing matched.
    static func hidingKnown(_ diagnostics: [Diagnostic], baseline: Baseline, file: String, io: ToolIO) -> (kept: [Diagnostic], hidden: Int, gone: Int) {
        var stage = BaselineStage(recording: nil, comparingWith: (baseline, BaselinePaths.of(baseline.pathBase, file: file, io: io)))
        var sources = SourceCache(inMemory: [:], base: io.currentDirectory)
        var kept: [Diagnostic] = []
        var start = diagnostics.startIndex
        while start < diagnostics.endIndex {
            let path = diagnostics[start].path
            let end = diagnostics[start...].firstIndex { !$0.path.hasSameBytes(as: path) } ?? diagnostics.endIndex
            kept += stage.apply(diagnostics[start..<end]) { sources.line(path, $0) }
            start = end
        }
        return (kept, stage.matcher?.matched ?? 0, stage.matcher?.gone.count ?? 0)
    }
}

extension BaselinePaths {
    /// How the baseline at `file` names files; one read through a named pipe has no directory of its own.
    package static func of(_ base: Baseline.PathBase, file: String, io: ToolIO) -> BaselinePaths {
        var st = stat()
        let fromPipe = SystemPath.stat(file, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO
        return BaselinePaths(base, file: file, fromPipe: fromPipe, currentDirectory: io.currentDirectory)
    }
}
