import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `newslint report`: the corpus health summary (totals, per rule/family, worst files,
/// profile, health score) as text, Markdown, JSON or a self-contained HTML page.
/// It lints without fixing and exits 0 whatever it finds (2 on usage or I/O failure):
/// a report describes the corpus, `lint` gates CI.
package enum ReportCommand {
    package static let options: [OptionSpec] = [
        OptionSpec("format", value: "FORMAT", allowed: ["text", "markdown", "json", "html"], help: "Report format (default: text)"),
        NewsLintCLI.Shared.output,
        NewsLintCLI.Shared.select,
        NewsLintCLI.Shared.ignore,
        NewsLintCLI.Shared.config,
        NewsLintCLI.Shared.noConfig,
        NewsLintCLI.Shared.jobs,
        OptionSpec("no-cache", help: "Accepted as on the lint command; report never reads or writes the cache"),
        OptionSpec("no-progress", help: "Accepted as on the lint command; report shows no progress line"),
        OptionSpec("top", value: "N", help: "Number of worst files listed (default: 10; 15 in HTML)"),
        OptionSpec("limit", value: "N", help: "Entries listed per drill-down list: findings per problem, duplicate groups (default: 100; every entry: --format jsonl on the lint command)"),
        OptionSpec("title", value: "TEXT", help: "Title of the HTML report"),
        NewsLintCLI.Shared.help,
    ]

    package static let help = "newslint report [OPTIONS] [PATH...]\n\nSummarise the corpus's health: totals, diagnostics per rule and family, the worst files,\na corpus profile (front matter, script, images, duplicates, dates) and a health score.\n\n"
        + ArgumentParser(command: "report", options: options).optionsHelp() + "\n\nHealth score: " + SummaryRenderer.scoreFormula + ".\n"

    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "report", options: options).parse(args)
        if parsed.has("help") {
            io.stdout(help)
            return ExitCode.ok
        }
        // Per-file configuration as `lint` resolves it (nested .lint.json, .gitignore).
        let resolver = try NewsLintCLI.configResolver(parsed, io: io)
        var settings = LintSettings()
        settings.baseDirectory = io.currentDirectory
        if let n = try NewsLintCLI.jobs(parsed) { settings.jobs = n }
        var top: Int?
        if let t = parsed.value("top") {
            guard let n = Int(t), n >= 0 else { throw UsageError("--top expects a whole number, got '\(t)'") }
            top = n
        }
        var listLimit = CorpusSummary.defaultListLimit
        if let t = parsed.value("limit") {
            guard let n = Int(t), n >= 0 else { throw UsageError("--limit expects a whole number, got '\(t)'") }
            listLimit = n
        }
        if parsed.positionals.contains("-") { throw UsageError("'report' reads files, not stdin; name files or directories") }
        let paths = parsed.positionals.isEmpty ? ["."] : parsed.positionals
        var discovery = FileDiscovery(config: resolver.root, base: io.currentDirectory)
        discovery.resolver = resolver
        discovery.respectIgnoreFiles = true
        let expanded = discovery.expand(paths)
        let inputs = LintInputList(files: expanded.files)
        for p in paths { _ = resolver.configuration(forFile: NewsLintCLI.resolve(p, io)) }
        try resolver.throwErrors()
        try NamedPaths.refuseMissingOrEmpty(paths, expanded: expanded, discovery: discovery, resolver: resolver, io: io)
        let (config, catalog) = (resolver.root, resolver.catalog)
        settings.filter = try NewsLintCLI.ruleFilter(parsed, catalog: catalog)
        settings.documentProfiler = CorpusProfiler.documentProfiler
        if let out = parsed.value("output") {
            try OutputGuard.check(output: NewsLintCLI.resolve(out, io), display: out,
                                  inputs: expanded.files.map { PathResolver.absolute($0, base: io.currentDirectory) })
        }

        let linter = try Linter(catalog: catalog, config: config, settings: settings, configurations: resolver.snapshot())
        // Streamed: each file's diagnostics are counted as the file is delivered, never kept.
        var acc = CorpusSummary.Accumulator(catalog: catalog, listLimit: listLimit)
        var pass = PassProfiles()
        var request = LintRequest(inputs: inputs, problems: expanded.problems)
        request.keepDiagnostics = false
        let run = LintRun(linter: linter, request: request, perFile: { outcome in
            pass.add(outcome)
            acc.addFile(path: outcome.path, byteCount: outcome.byteCount)
            for d in outcome.diagnostics { acc.add(d) }
        })
        var ioFailure = run.ioFailure
        var readFailures = ReadFailures(run, io: io)
        if !run.extras.forEach({ acc.add($0) }) { ioFailure = true }
        // Deferred cross-file findings read their paths back as they are counted.
        if readFailures.reportNew(run, io: io) { ioFailure = true }
        // Profiles come from the lint pass; only the lines the drill-down quotes are read back.
        let profiles = pass.finish(baseDirectory: io.currentDirectory, maxSize: config.maxFileSize, jobs: settings.jobs,
                                   lines: acc.listedLines)
        var summary = CorpusSummary(acc, profiles: profiles)
        // Suggested commands name what this report covered.
        summary.scope = (parsed.value("config").map { ["--config", $0] } ?? (parsed.has("no-config") ? ["--no-config"] : [])) + paths

        let rendered: String
        switch parsed.value("format") ?? "text" {
        case "markdown": rendered = SummaryRenderer.markdown(summary, top: top ?? 10)
        case "json": rendered = SummaryRenderer.json(summary)
        case "html": rendered = HTMLReport.render(summary, title: parsed.value("title") ?? "newslint corpus report", top: top ?? 15)
        default: rendered = SummaryRenderer.text(summary, top: top ?? 10, detailed: true)
        }
        if let out = parsed.value("output") {
            do {
                try AtomicWriter.writeNew(Array(rendered.utf8), to: NewsLintCLI.resolve(out, io))
            } catch {
                throw UsageError("cannot write --output file '\(out)': \(error)")
            }
        } else {
            io.stdout(rendered)
        }
        return ioFailure ? ExitCode.failure : ExitCode.ok
    }
}
