import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `newslint [lint]`: lint (and optionally fix) files. Options become a `LintRequest` for one
/// `LintRun`, whose merged stream `LintOutput` reports; what is left is the exit code.
package enum LintCommand {
    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parser = ArgumentParser(command: "lint", options: NewsLintCLI.lintOptions)
        let parsed = try parser.parse(args)
        if parsed.has("help") {
            io.stdout(NewsLintCLI.help(for: "lint") ?? "")
            return ExitCode.ok
        }
        let resolver = try NewsLintCLI.configResolver(parsed, io: io)
        var settings = try settings(parsed, io: io)
        if let a = parsed.value("format"), let b = parsed.value("output-format"), a != b {
            throw UsageError("--format \(a) and --output-format \(b) contradict each other; give one")
        }
        let format = OutputFormat(rawValue: parsed.value("output-format") ?? parsed.value("format") ?? "text") ?? .text
        var previewing = false
        if case .preview = settings.fix { previewing = true }
        let reporting = try ReportingSettings(parsed, io: io, format: format, previewing: previewing)
        let baseline = try reporting.loadBaseline()
        guard let found = try LintInputs.find(parsed, resolver: resolver, settings: &settings, io: io) else { return ExitCode.ok }

        if reporting.summary { settings.documentProfiler = CorpusProfiler.documentProfiler }
        // Quoted lines (the text format's code frames) and fingerprints (baselines, SARIF) use the
        // lines the pass kept instead of reading the files again.
        settings.captureSourceLines = ((format == .text || format == .sarif) && !reporting.statistics)
            || reporting.baselinePath != nil || reporting.writeBaselinePath != nil
        // NEWSLINT_FACT_SPILL_BYTES (tests, tuning): bytes of each rule's encoded facts kept in memory before the temporary file.
        if let n = io.environment["NEWSLINT_FACT_SPILL_BYTES"].flatMap({ Int($0) }) { settings.factMemoryBudget = max(0, n) }
        // NEWSLINT_REDUCE_ALONE_BYTES (tests, tuning): a rule's fact bytes from which its reduce runs alone.
        if let n = io.environment["NEWSLINT_REDUCE_ALONE_BYTES"].flatMap({ Int($0) }) { settings.reduceAloneBytes = max(0, n) }
        // NEWSLINT_REGEX_SEARCH_LIMIT (tests): seconds one search of a user's regex may run.
        if let s = io.environment["NEWSLINT_REGEX_SEARCH_LIMIT"].flatMap({ Double($0) }), s >= 0 { settings.environment.regexSearchLimit = s }
        let linter = try Linter(catalog: resolver.catalog, config: resolver.root, settings: settings, configurations: resolver.snapshot())
        if found.inputs.isEmpty && found.problems.isEmpty && !parsed.has("quiet"), let shard = found.scale.shard, found.unshardedCount > 0 {
            // The files are there; the stable hash gave them all to the other shards.
            let n = found.unshardedCount
            io.stderr("warning: shard \(shard) got none of the \(n) file\(n == 1 ? "" : "s") in \(found.paths.joined(separator: " ")) (files go to shards by a stable hash of their paths; with few files some shards get none)\n")
        } else if found.inputs.isEmpty && found.problems.isEmpty && !parsed.has("quiet") {
            io.stderr("warning: no files to lint in \(found.paths.joined(separator: " ")) (check include/exclude/extensions in \(resolver.root.file ?? "the defaults"))\n")
        }
        return try LintOutput.run(linter: linter, found: found, reporting: reporting, baseline: baseline, format: format,
                                  unsafe: parsed.has("unsafe-fixes"), parsed: parsed, io: io)
    }

    /// The run's settings from the options (rule filter, cache and paths are added with the inputs).
    package static func settings(_ parsed: ParsedArguments, io: ToolIO) throws -> LintSettings {
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
        return settings
    }

    /// `changedFiles`: files whose text a preview would change.
    package static func fixSummaryLine(_ s: FixSummary, mode: FixMode, remaining: Int, unsafeAvailable: Int, changedFiles files: Int) -> String {
        var line: String
        // Issues: the findings the fixes made go, so fixed plus remaining is what was found before.
        let fixed = s.findingsResolved
        if case .preview = mode {
            line = "would fix \(fixed) issue\(fixed == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
        } else {
            line = "fixed \(fixed) issue\(fixed == 1 ? "" : "s") in \(s.filesFixed) file\(s.filesFixed == 1 ? "" : "s")"
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
        /// Shows invisible characters so examples about whitespace are readable: · trailing space, → tab, ␍ CR,
        /// and other control, format and space characters as the report shows them (`⟨U+200B⟩`): printed
        /// raw, a NUL made the output binary to grep and a zero-width space made "reported" and "fixed" look alike.
        func show(_ text: String) -> String {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let missingNewline = !text.isEmpty && !text.hasSuffix("\n")
            if lines.last == "" { lines.removeLast() }
            var shown = lines.map { line -> String in
                var l = Excerpt.visible(Array(line.replacingOccurrences(of: "\r", with: "␍").replacingOccurrences(of: "\t", with: "→").unicodeScalars)[...], inSpan: false)
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
        // Drafts relax the front-matter schema; without front matter there is none to relax.
        let drafts = preset == "plain" ? "" : """
        ,
          "overrides": [
            { "files": ["drafts/**", "_drafts/**"], "rules": { "front-matter-field": "warning" } }
          ]
        """
        return """
        {
          "preset": "\(preset)",
          "include": ["**/*.md", "**/*.markdown", "**/*.txt", "**/*.html", "**/*.htm"],
          "exclude": \(exclude),
          "extensions": [".md", ".markdown", ".txt", ".html", ".htm"],
          "rules": {
            "trailing-whitespace": { "allowHardBreak": true }
          }\(drafts)
        }

        """
    }

    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "init", options: NewsLintCLI.initOptions).parse(args)
        if let extra = parsed.positionals.first {
            throw UsageError("'init' takes no arguments (got '\(extra)'); run it in the directory that should hold .lint.json")
        }
        let path = NewsLintCLI.resolve(Configuration.fileName, io)
        if !parsed.has("force") {
            if SystemPath.exists(path) {
                throw UsageError("\(Configuration.fileName) already exists; use 'newslint init --force' to overwrite it")
            }
            // Written through, a dangling link would create its target wherever it points.
            var link = FileStatus()
            if SystemPath.lstat(path, &link) == 0 {
                throw UsageError("\(Configuration.fileName) is a symbolic link to '\(SystemPath.readLink(path) ?? "?")', which cannot be followed; remove it, or use 'newslint init --force' to write there")
            }
        }
        let text = parsed.value("preset").map(starter(preset:)) ?? starter
        do {
            try AtomicWriter.writeNew(Array(text.utf8), to: path)
        } catch {
            throw UsageError("cannot write \(path): \(error)")
        }
        io.stdout("wrote \(Configuration.fileName)\(parsed.value("preset").map { " (preset: \($0))" } ?? "")\n")
        if let inherited = parentConfig(of: io.currentDirectory) {
            io.stderr("note: \(inherited) configured this directory until now; a nested \(Configuration.fileName) replaces it here "
                      + "(it does not inherit): add \"extend\": \"\(inherited)\" to the new file to build on it\n")
        }
        return ExitCode.ok
    }

    /// The closest `.lint.json` above `directory`, named relative to it (`../.lint.json`): the config
    /// that applied here before `init`, which a nested config replaces unless it `extend`s it.
    static func parentConfig(of directory: String) -> String? {
        let here = PathResolver.standardized(directory).split(separator: "/")
        guard !here.isEmpty else { return nil }
        let parentDirectory = "/" + here.dropLast().joined(separator: "/")
        guard let found = Configuration.discover(from: parentDirectory) else { return nil }
        // `found` is `<an ancestor>/.lint.json`: one component more than its directory.
        let levels = here.count - (PathResolver.standardized(found).split(separator: "/").count - 1)
        return String(repeating: "../", count: max(levels, 1)) + Configuration.fileName
    }
}
