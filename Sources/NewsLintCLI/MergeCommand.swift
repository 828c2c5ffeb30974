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
    ]

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
        if let out = parsed.value("output") {
            try OutputGuard.check(output: NewsLintCLI.resolve(out, io), display: out, inputs: parsed.positionals.map { NewsLintCLI.resolve($0, io) })
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
        let diagnostics = linter.completing(try FactsFile.merge(files, linter: linter), problems: [], inMemory: [:], base: io.currentDirectory).diagnostics
        let format = OutputFormat(rawValue: parsed.value("format") ?? "text") ?? .text
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
        return diagnostics.contains { $0.severity == .error } ? ExitCode.lintErrors : ExitCode.ok
    }
}
