import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `newslint [lint]`: lint (and optionally fix) files.
package enum LintCommand {
    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parser = ArgumentParser(command: "lint", options: NewsLintCLI.lintOptions)
        let parsed = try parser.parse(args)
        if parsed.has("help") {
            io.stdout(NewsLintCLI.help(for: "lint") ?? "")
            return ExitCode.ok
        }
        let resolver = try NewsLintCLI.configResolver(parsed, io: io)
        var settings = LintSettings()
        if let n = try NewsLintCLI.jobs(parsed) { settings.jobs = n }
        let unsafe = parsed.has("unsafe-fixes")
        if parsed.has("diff") {
            settings.fix = .preview(unsafe ? .unsafe : .safe)
        } else if parsed.has("fix") {
            settings.fix = .apply(unsafe ? .unsafe : .safe)
        }
        try NewsLintCLI.applyImageOptions(parsed, to: &settings, io: io)
        settings.fixHardLinks = parsed.has("fix-hardlinks")
        if let b = parsed.value("file-time-budget") {
            guard let v = Double(b), v >= 0, v <= 86_400 else { throw UsageError("--file-time-budget expects seconds from 0 to 86400, got '\(b)'") }
            settings.fileTimeBudget = v == 0 ? nil : v
        }
        if let m = parsed.value("max-findings-per-rule") {
            guard let v = Int(m), v >= 0 else { throw UsageError("--max-findings-per-rule expects a whole number, got '\(m)'") }
            settings.maxFindingsPerRule = v == 0 ? nil : v
        }
        if parsed.has("stdin-filename") && !parsed.positionals.contains("-") {
            throw UsageError("--stdin-filename needs '-' among the paths to read stdin")
        }
        if let a = parsed.value("format"), let b = parsed.value("output-format"), a != b {
            throw UsageError("--format \(a) and --output-format \(b) contradict each other; give one")
        }
        let format = OutputFormat(rawValue: parsed.value("output-format") ?? parsed.value("format") ?? "text") ?? .text
        var previewing = false
        if case .preview = settings.fix { previewing = true }
        let reporting = try ReportingSettings(parsed, io: io, format: format, previewing: previewing)
        let baseline = try reporting.loadBaseline()

        // Inputs.
        var texts: [LintInput] = []
        var problems: [InputProblem] = []
        var inMemory: [String: [UInt8]] = [:]
        var paths = parsed.positionals.isEmpty ? ["."] : parsed.positionals
        var discovery = FileDiscovery(config: resolver.root, base: io.currentDirectory)
        discovery.resolver = resolver
        discovery.respectIgnoreFiles = !parsed.has("no-respect-gitignore")
        discovery.followSymlinks = parsed.has("follow-symlinks")
        settings.baseDirectory = io.currentDirectory
        var diskPaths: [String] = []
        if paths.filter({ $0 == "-" }).count > 1 { throw UsageError("'-' (stdin) can be given only once") }
        if let name = parsed.value("stdin-filename") {
            let location = PathResolver.absolute(name, base: io.currentDirectory)
            if parsed.has("force-exclude"), !resolver.configuration(forFile: location).isIncluded(location) { paths.removeAll { $0 == "-" } }
        }
        for p in paths {
            if p == "-" {
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
        var inputs = LintInputs(texts: texts, files: expanded.files)
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
            io.stdout(try SettingsPrinter.render(file: file, resolver: resolver, filter: settings.filter, io: io))
            try resolver.throwErrors()
            return ExitCode.ok
        }
        // A directory named on the command line that yields nothing is a mistake (a wrong path must
        // not pass CI green). Files named explicitly but excluded under --force-exclude are skipped
        // silently: that is how pre-commit passes every staged file.
        if !parsed.positionals.isEmpty {
            var empty: [String] = []
            for p in diskPaths where !problems.contains(where: { $0.path == p }) {
                var isDir: ObjCBool = false
                guard SystemPath.exists(NewsLintCLI.resolve(p, io), isDirectory: &isDir), isDir.boolValue else { continue }
                let prefix = p.hasSuffix("/") ? p : p + "/"
                if p == "." ? expanded.files.isEmpty : !expanded.files.contains(where: { $0.hasPrefix(prefix) }) {
                    empty.append(EmptyPathExplainer.explain(p, resolver: resolver, respectIgnoreFiles: discovery.respectIgnoreFiles, io: io))
                }
            }
            if !empty.isEmpty { throw UsageError(empty.joined(separator: "\nerror: ")) }
        }
        if parsed.has("show-files") {
            io.stdout(inputs.map { $0.path + "\n" }.joined())
            return ExitCode.ok
        }

        if let out = parsed.value("output") {
            try OutputGuard.check(output: NewsLintCLI.resolve(out, io), display: out,
                                  inputs: inputs.compactMap { if case let .file(p) = $0 { return PathResolver.absolute(p, base: io.currentDirectory) } else { return nil } })
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
        (inputs, problems) = scale.filter(inputs, problems: problems, base: io.currentDirectory, root: config.directory)
        settings.cache = scale.cache
        settings.finishCrossFile = scale.shard == nil && scale.factsOut == nil
        if reporting.summary { settings.documentProfiler = CorpusProfiler.documentProfiler }
        // The text format quotes the lines it reports: kept by the pass instead of read again.
        settings.captureSourceLines = format == .text && !reporting.statistics
        // NEWSLINT_FACT_SPILL_BYTES (tests, tuning): bytes of each rule's encoded facts kept in memory before the temporary file.
        if let n = io.environment["NEWSLINT_FACT_SPILL_BYTES"].flatMap({ Int($0) }) { settings.factMemoryBudget = max(0, n) }

        let linter = try Linter(catalog: catalog, config: config, settings: settings, configurations: resolver.snapshot())
        if inputs.isEmpty && problems.isEmpty && !parsed.has("quiet") {
            io.stderr("warning: no files to lint in \(paths.joined(separator: " ")) (check include/exclude/extensions in \(config.file ?? "the defaults"))\n")
        }
        if StreamedLintOutput.applies(settings: settings, reporting: reporting, format: format, parsed: parsed, inputs: inputs) {
            return try StreamedLintOutput.run(linter: linter, inputs: inputs, problems: problems, inMemory: inMemory, reporting: reporting,
                                              format: format, unsafe: unsafe, scale: scale, parsed: parsed, io: io)
        }
        let progress = reporting.progressEnabled ? ProgressLine(total: inputs.count, write: io.stderr) : nil
        var result = linter.lint(inputs, observer: reporting.observer(total: inputs.count, io: io, progress: progress))
        progress?.finish()
        try scale.finish(result, linter: linter, io: io)
        // Diagnostics already streamed (JSON Lines) as their files finished.
        var streamed: [Diagnostic: Int] = [:]
        if reporting.streamJSONLines {
            for f in result.files { for d in f.diagnostics { streamed[d, default: 0] += 1 } }
        }
        var suppressions = CrossFileSuppressions()
        for f in result.files { suppressions.add(f) }
        let completed = linter.completing(result.diagnostics, problems: problems, inMemory: inMemory, base: io.currentDirectory,
                                          suppressions: suppressions)
        result.diagnostics = completed.diagnostics
        result.ioFailure = result.ioFailure || completed.ioFailure

        // Baseline: record, then keep only diagnostics the baseline does not know.
        var sourceLines = SourceCache(inMemory: inMemory, base: io.currentDirectory)
        if let path = reporting.writeBaselinePath {
            let recorded = Baseline.record(result.diagnostics) { sourceLines.line($0, $1) }
            do {
                try AtomicWriter.writeNew(Array(recorded.serialized().utf8), to: path)
            } catch {
                throw UsageError("cannot write --write-baseline file '\(reporting.writeBaselineDisplay ?? path)': \(error)")
            }
            io.stderr("wrote baseline with \(recorded.entries.count) entr\(recorded.entries.count == 1 ? "y" : "ies") to \(reporting.writeBaselineDisplay ?? path)\n")
        }
        if let baseline {
            let cmp = baseline.compare(result.diagnostics) { sourceLines.line($0, $1) }
            result.diagnostics = cmp.new
            if !parsed.has("quiet") {
                var note = "baseline: \(cmp.matched) known problem\(cmp.matched == 1 ? "" : "s") hidden, \(cmp.new.count) new"
                if !cmp.gone.isEmpty {
                    note += "; \(cmp.gone.count) baselined problem\(cmp.gone.count == 1 ? " is" : "s are") gone (fixed or removed; update with --write-baseline \(reporting.baselineDisplay ?? ""))"
                }
                io.stderr(note + "\n")
            }
        }

        let toFile = parsed.value("output")
        let color = NewsLintCLI.useColor(parsed, io: io, toTerminal: toFile == nil && io.stdoutIsTerminal)
        var context = ReportContext(catalog: catalog, color: color, inMemorySources: inMemory, unsafeFixes: unsafe, fixing: settings.fix != .none)
        context.baseDirectory = io.currentDirectory
        context.quiet = parsed.has("quiet")
        context.filesChecked = inputs.count
        if let n = try NewsLintCLI.aggregateThreshold(parsed) { context.aggregateThreshold = n }
        // Fixing stdin: the fixed text goes to stdout (as Ruff does), the report to stderr.
        var fixedStdin: [UInt8]?
        if settings.fix.writes, let stdinOutcome = result.files.first(where: { inMemory[$0.path] != nil }) {
            let original = inMemory[stdinOutcome.path] ?? []
            fixedStdin = stdinOutcome.fix?.fixed ?? original
            context.inMemorySources[stdinOutcome.path] = fixedStdin
        }

        var rendered: String
        if case .preview = settings.fix {
            rendered = ""
            for f in result.files {
                guard let fix = f.fix, let before = fix.original, let after = fix.fixed, before != after else { continue }
                rendered += UnifiedDiff.render(old: before, new: after, path: SystemPath.display(f.path))
            }
        } else if reporting.statistics {
            rendered = ReportingSettings.statistics(result.diagnostics, catalog: catalog, json: format == .json)
        } else if reporting.streamJSONLines {
            // The rest (cross-file diagnostics and input problems) after the streamed lines.
            var rest: [Diagnostic] = []
            for d in result.diagnostics {
                if let n = streamed[d], n > 0 { streamed[d] = n - 1 } else { rest.append(d) }
            }
            rendered = JSONLinesReporter.lines(rest)
        } else {
            rendered = format.reporter.render(result, context: context)
        }
        if reporting.summary {
            var pass = PassProfiles()
            for f in result.files { pass.add(f) }
            let profiles = pass.finish(baseDirectory: io.currentDirectory, maxSize: config.maxFileSize, jobs: settings.jobs)
            let summary = CorpusSummary(result: result, catalog: catalog, profiles: profiles)
            switch format {
            case .text, .concise: rendered += (rendered.isEmpty ? "" : "\n") + SummaryRenderer.text(summary)
            case .markdown: rendered += "\n" + SummaryRenderer.markdown(summary)
            default: io.stderr(SummaryRenderer.text(summary))
            }
        }
        if let out = toFile {
            let path = NewsLintCLI.resolve(out, io)
            do {
                try AtomicWriter.writeNew(Array(rendered.utf8), to: path)
            } catch let e as WriteError {
                throw UsageError("cannot write --output file '\(out)': \(e.message)")
            }
        } else if let fixed = fixedStdin {
            io.stdoutBytes(fixed)
            if !rendered.isEmpty { io.stderr(rendered) }
        } else if !rendered.isEmpty {
            io.stdout(rendered)
        }

        if settings.fix != .none && !parsed.has("quiet") {
            let changed = result.files.filter { f in f.fix.map { $0.original != $0.fixed } ?? false }.count
            io.stderr(fixSummaryLine(result.fixSummary, mode: settings.fix, remaining: result.diagnostics.count,
                                     unsafeAvailable: result.diagnostics.filter { $0.fix?.applicability == .unsafe }.count, changedFiles: changed))
        }
        for r in result.fixSummary.rolledBack { io.stderr("warning: \(SystemPath.display(r.path)): \(r.reason)\n") }
        for p in result.fixSummary.passLimitHit { io.stderr("warning: \(p): fixes did not converge after \(Fixer.maxPasses) passes\n") }

        if case .preview = settings.fix {
            let changed = result.files.contains { f in f.fix.map { $0.original != $0.fixed } ?? false }
            if result.ioFailure { return ExitCode.failure }
            return changed ? ExitCode.lintErrors : ExitCode.ok
        }
        if result.ioFailure { return ExitCode.failure }
        if reporting.writeBaselinePath != nil { return ExitCode.ok }
        return ExitPolicy(parsed, maxWarnings: reporting.maxWarnings)
            .status(ReportTotals(result.diagnostics), fixesApplied: settings.fix.writes ? result.fixSummary.fixesApplied : 0, io: io)
    }

    /// `changedFiles`: files whose text a preview would change.
    package static func fixSummaryLine(_ s: FixSummary, mode: FixMode, remaining: Int, unsafeAvailable: Int, changedFiles files: Int) -> String {
        var line: String
        if case .preview = mode {
            line = "would fix \(s.fixesApplied) issue\(s.fixesApplied == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
        } else {
            line = "fixed \(s.fixesApplied) issue\(s.fixesApplied == 1 ? "" : "s") in \(s.filesFixed) file\(s.filesFixed == 1 ? "" : "s")"
        }
        line += ", \(remaining) remaining"
        if case .apply(.safe) = mode, unsafeAvailable > 0 { line += " (\(unsafeAvailable) fixable with --unsafe-fixes)" }
        if case .preview(.safe) = mode, unsafeAvailable > 0 { line += " (\(unsafeAvailable) fixable with --unsafe-fixes)" }
        return line + "\n"
    }
}

/// `newslint rules`: list rules.
package enum RulesCommand {
    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parser = ArgumentParser(command: "rules", options: NewsLintCLI.rulesOptions)
        let parsed = try parser.parse(args)
        if let extra = parsed.positionals.first { throw UsageError("'rules' takes no arguments (got '\(extra)'); use 'newslint explain \(extra)'") }
        let (_, catalog) = try NewsLintCLI.loadConfiguration(parsed, io: io)
        if parsed.value("format") == "json" {
            let items = catalog.rules.map { r -> String in
                var o = JSONObjectBuilder()
                o.add("id", string: r.id)
                o.add("family", string: r.family)
                o.add("severity", string: r.severity.rawValue)
                o.add("enabled", bool: r.enabledByDefault)
                o.add("fixable", string: r.fixable.rawValue)
                o.add("summary", string: r.summary)
                return "  " + o.json
            }
            io.stdout("[\n" + items.joined(separator: ",\n") + "\n]\n")
        } else if parsed.value("format") == "markdown" {
            io.stdout(markdownTable(catalog))
        } else {
            io.stdout(table(catalog))
        }
        return ExitCode.ok
    }

    /// The README's rules table (kept in sync by a test; regenerate with Scripts/update-readme).
    package static func markdownTable(_ catalog: Catalog) -> String {
        var out = "| Rule | Family | Severity | Fix | Summary |\n|---|---|---|---|---|\n"
        for r in catalog.rules {
            let sev = r.enabledByDefault ? r.severity.rawValue : "\(r.severity.rawValue) (off by default)"
            out += "| `\(r.id)` | \(r.family) | \(sev) | \(r.fixable.rawValue) | \(r.summary.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        return out
    }

    package static func table(_ catalog: Catalog) -> String {
        let idWidth = max(4, catalog.rules.map(\.id.count).max() ?? 4)
        let famWidth = max(6, catalog.rules.map(\.family.count).max() ?? 6)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var out = pad("RULE", idWidth) + "  " + pad("FAMILY", famWidth) + "  SEVERITY  FIX     SUMMARY\n"
        for r in catalog.rules {
            let sev = r.enabledByDefault ? r.severity.rawValue : "off(\(r.severity.rawValue))"
            out += pad(r.id, idWidth) + "  " + pad(r.family, famWidth) + "  " + pad(sev, 8) + "  " + pad(r.fixable.rawValue, 6) + "  " + r.summary + "\n"
        }
        return out
    }
}

/// `newslint explain RULE`: the rule's documentation.
package enum ExplainCommand {
    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parser = ArgumentParser(command: "explain", options: NewsLintCLI.explainOptions)
        let parsed = try parser.parse(args)
        guard !parsed.positionals.isEmpty else { throw UsageError("'explain' needs a rule id, e.g. 'newslint explain final-newline'") }
        var probe = parsed
        probe.positionals = []
        let (_, catalog) = try NewsLintCLI.loadConfiguration(probe, io: io)
        var pages: [String] = []
        for id in parsed.positionals {
            guard let r = catalog.metadata(id) else {
                let hint = Suggest.hint(for: id, in: catalog.ids, otherwise: "; run 'newslint rules' for the list")
                throw UsageError("unknown rule '\(id)'\(hint)")
            }
            pages.append(render(r))
        }
        io.stdout(pages.joined(separator: "\n" + String(repeating: "─", count: 60) + "\n\n"))
        return ExitCode.ok
    }

    package static func render(_ r: RuleMetadata) -> String {
        var out = "\(r.id) (\(r.family))\n\n\(r.summary)\n\n"
        out += "Default severity: \(r.severity.rawValue)\(r.enabledByDefault ? "" : " (off by default; enable it in .lint.json or with --select)")\n"
        out += "Fix: \(r.fixable == .none ? "none" : r.fixable.rawValue + (r.fixable == .unsafe ? " (applied with --fix --unsafe-fixes)" : " (applied with --fix)"))\n\n"
        out += "What it finds\n  \(r.whatItFinds)\n"
        if !r.whyItMatters.isEmpty { out += "\nWhy it matters\n  \(r.whyItMatters)\n" }
        if !r.options.isEmpty {
            out += "\nOptions\n"
            for o in r.options {
                out += "  \(o.name) (\(o.type), default: \(o.defaultValue.serialized()))\n"
                if !o.description.isEmpty { out += "      \(o.description)\n" }
            }
        }
        /// Shows invisible characters so examples about whitespace are readable: · trailing space, → tab, ␍ CR.
        func show(_ text: String) -> String {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let missingNewline = !text.isEmpty && !text.hasSuffix("\n")
            if lines.last == "" { lines.removeLast() }
            var shown = lines.map { line -> String in
                var l = line.replacingOccurrences(of: "\r", with: "␍").replacingOccurrences(of: "\t", with: "→")
                let trailing = l.reversed().prefix { $0 == " " }.count
                if trailing > 0 { l = String(l.dropLast(trailing)) + String(repeating: "·", count: trailing) }
                return "    | " + l
            }
            if missingNewline { shown.append("    (no newline at end of file)") }
            if text.isEmpty { shown.append("    (empty file)") }
            return shown.joined(separator: "\n")
        }
        if let ex = r.bad.first {
            out += "\nExample (reported)\n\(show(ex.files.first?.text ?? ""))\n"
            if let fixed = ex.fixed { out += "\nFixed\n\(show(fixed))\n" }
        }
        if let ex = r.good.first {
            out += "\nExample (fine)\n\(show(ex.files.first?.text ?? ""))\n"
        }
        if !r.fixSafety.isEmpty { out += "\nFix safety\n  \(r.fixSafety)\n" }
        return out
    }
}

/// `newslint init`: write a starter config.
package enum InitCommand {
    package static let starter = """
    {
      "include": ["**/*.md", "**/*.markdown", "**/*.txt", "**/*.html", "**/*.htm"],
      "exclude": ["node_modules/", "public/"],
      "extensions": [".md", ".markdown", ".txt", ".html", ".htm"],
      "rules": {
        "front-matter-field": { "required": ["title", "date|publishDate|lastmod"] },
        "trailing-whitespace": { "allowHardBreak": true }
      },
      "overrides": [
        { "files": ["drafts/**"], "rules": { "front-matter-field": "warning" } }
      ]
    }

    """

    /// A starter config for a site built by `preset`'s generator: its build output and theme
    /// folders excluded, and the front-matter schema left to the preset.
    package static func starter(preset: String) -> String {
        let exclude: String
        switch preset {
        // Templates (layouts, includes) are not posts: their tags open and close across files.
        case "jekyll": exclude = #"["_site/", "vendor/", "node_modules/", ".jekyll-cache/", "_includes/", "_layouts/", "_sass/"]"#
        case "hugo": exclude = #"["public/", "resources/", "themes/", "archetypes/", "layouts/", "node_modules/"]"#
        default: exclude = #"["node_modules/", "public/"]"#
        }
        return """
        {
          "preset": "\(preset)",
          "include": ["**/*.md", "**/*.markdown", "**/*.txt", "**/*.html", "**/*.htm"],
          "exclude": \(exclude),
          "extensions": [".md", ".markdown", ".txt", ".html", ".htm"],
          "rules": {
            "trailing-whitespace": { "allowHardBreak": true }
          },
          "overrides": [
            { "files": ["drafts/**", "_drafts/**"], "rules": { "front-matter-field": "warning" } }
          ]
        }

        """
    }

    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "init", options: NewsLintCLI.initOptions).parse(args)
        if let extra = parsed.positionals.first {
            throw UsageError("'init' takes no arguments (got '\(extra)'); run it in the directory that should hold .lint.json")
        }
        let path = NewsLintCLI.resolve(Configuration.fileName, io)
        if SystemPath.exists(path) && !parsed.has("force") {
            throw UsageError("\(Configuration.fileName) already exists; use 'newslint init --force' to overwrite it")
        }
        let text = parsed.value("preset").map(starter(preset:)) ?? starter
        do {
            try AtomicWriter.writeNew(Array(text.utf8), to: path)
        } catch {
            throw UsageError("cannot write \(path): \(error)")
        }
        io.stdout("wrote \(Configuration.fileName)\(parsed.value("preset").map { " (preset: \($0))" } ?? "")\n")
        return ExitCode.ok
    }
}
