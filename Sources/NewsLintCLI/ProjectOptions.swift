import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

extension NewsLintCLI {
    /// Options of `lint` for project layout and CI conventions (issue 13), named as Ruff names them.
    package static let projectOptions: [OptionSpec] = [
        OptionSpec("output-format", value: "FORMAT", allowed: OutputFormat.allCases.map(\.rawValue), help: "Same as --format (Ruff's name)"),
        OptionSpec("extend-select", value: "RULES", repeatable: true, help: "Enable these rules or families in addition to the selection (also off-by-default ones)"),
        OptionSpec("extend-ignore", value: "RULES", repeatable: true, help: "Skip these rules or families too (same as --ignore; both add to the config)"),
        OptionSpec("fail-on", value: "LEVEL", allowed: ["error", "warning", "info"], help: "Exit 1 when a finding of this severity or higher is reported (default: error)"),
        OptionSpec("exit-zero", help: "Exit 0 even when findings are reported (2 still means a usage, config or I/O failure)"),
        OptionSpec("exit-non-zero-on-fix", help: "With --fix, exit 1 when any file was changed, even if nothing is left"),
        OptionSpec("no-respect-gitignore", help: "Also lint what .gitignore and .ignore files exclude"),
        OptionSpec("show-files", help: "Print the files that would be linted, one per line, and exit"),
        OptionSpec("show-settings", value: "FILE", help: "Print the resolved settings (config file, globs, rules) for FILE and exit"),
    ]

    /// Config resolution for a run: `--no-config` (defaults for all), `--config FILE` (that file for all),
    /// or the closest `.lint.json` of each file (hierarchical).
    package static func configResolver(_ parsed: ParsedArguments, io: ToolIO) throws -> ConfigResolver {
        if parsed.has("no-config") {
            return ConfigResolver(fixed: Configuration(directory: io.currentDirectory), catalog: .builtin)
        }
        if let path = try NewsLintCLI.explicitConfigPath(parsed, io: io) {
            var catalog = Catalog.builtin
            let config = try Configuration.load(file: path, catalog: &catalog, currentDirectory: io.currentDirectory)
            return ConfigResolver(fixed: config, catalog: catalog)
        }
        return try ConfigResolver(hierarchicalFrom: io.currentDirectory, catalog: .builtin)
    }
}

/// How findings turn into the exit status (`--fail-on`, `--exit-zero`, `--exit-non-zero-on-fix`,
/// `--max-warnings`). Warnings alone exit 0 by default: they are advice, and a corpus always has
/// some; CI that wants them to fail the build says `--fail-on warning` (or `--max-warnings N`).
package struct ExitPolicy {
    package var failOn: Severity = .error
    package var exitZero = false
    package var nonZeroOnFix = false
    package var maxWarnings: Int?

    package init(_ parsed: ParsedArguments, maxWarnings: Int?) {
        failOn = parsed.value("fail-on").flatMap(Severity.init(rawValue:)) ?? .error
        exitZero = parsed.has("exit-zero")
        nonZeroOnFix = parsed.has("exit-non-zero-on-fix")
        self.maxWarnings = maxWarnings
    }

    /// The status for a run without I/O failures (those exit 2 before this is asked).
    /// `warningsElsewhere`: warnings of the same run counted by other steps (`merge`: the
    /// shards'), added for `--max-warnings` alone.
    package func status(_ totals: ReportTotals, fixesApplied: Int, warningsElsewhere: Int = 0, io: ToolIO) -> Int32 {
        if nonZeroOnFix && fixesApplied > 0 { return ExitCode.lintErrors }
        if exitZero { return ExitCode.ok }
        let failing: Int
        switch failOn {
        case .error: failing = totals.errors
        case .warning: failing = totals.errors + totals.warnings
        case .info: failing = totals.count
        }
        if failing > 0 { return ExitCode.lintErrors }
        if let limit = maxWarnings, totals.warnings + warningsElsewhere > limit {
            let warnings = totals.warnings + warningsElsewhere
            let shards = warningsElsewhere > 0 ? " (\(warningsElsewhere) in the shards)" : ""
            io.stderr("error: \(warnings) warning\(warnings == 1 ? "" : "s")\(shards) exceed\(warnings == 1 ? "s" : "") --max-warnings \(limit)\n")
            return ExitCode.lintErrors
        }
        return ExitCode.ok
    }
}

/// `--show-settings FILE`: what applies to one file, resolved as a lint run would.
package enum SettingsPrinter {
    package static func render(file: String, resolver: ConfigResolver, filter: RuleFilter, imageOverrides: ImageSettings.Overrides = .init(), io: ToolIO) throws -> String {
        let location = PathResolver.standardized(NewsLintCLI.resolve(file, io))
        let config = resolver.configuration(forFile: location)
        try resolver.throwErrors()
        // Like Ruff, a path that does not exist yet still has settings; say so rather than imply it will be linted.
        var out = "file: \(SystemPath.display(file))" + (SystemPath.exists(location) ? "" : " (does not exist: the settings a file there would get)") + "\n"
        out += "config: \(config.file.map(SystemPath.display) ?? "(built-in defaults)")\n"
        out += "root: \(SystemPath.display(config.directory))\n"
        out += "resolution: \(resolver.fixed ? "fixed (--config or --no-config)" : "closest .lint.json among the file's ancestors")\n"
        func globs(_ g: [Glob], _ base: String?) -> String {
            g.isEmpty ? "[]" : "[" + g.map { "\"\($0.pattern)\"" }.joined(separator: ", ") + "]" + (base.map { " (relative to \($0))" } ?? "")
        }
        out += "include: \(globs(config.include, config.includeDirectory))\n"
        out += "exclude: \(globs(config.exclude, config.excludeDirectory))\n"
        out += "extensions: \(config.extensions.joined(separator: " "))\n"
        out += "maxFileSize: \(config.maxFileSize)\n"
        out += "included: \(config.isIncluded(location) ? "yes" : "no (excluded by include/exclude; named explicitly it is still linted unless --force-exclude)")\n"
        let overrides = config.matchingOverrides(location)
        if !overrides.isEmpty { out += "overrides: \(overrides.map { "overrides[\($0)]" }.joined(separator: ", "))\n" }
        let rules = try RuleSet.build(catalog: resolver.catalog, config: config, overrides: overrides, filter: filter)
        // Every option that applies: the catalog's defaults, then each config layer over them.
        var options: [String: [String: JSONNode]] = [:]
        for meta in resolver.catalog.rules where !meta.options.isEmpty { options[meta.id] = meta.defaultOptions.values }
        let layers = config.inheritedRules + [config.rules] + overrides.map { config.overrides[$0].rules.map { ($0.key, $0.value) } }
        for layer in layers { for e in layer { for (k, v) in e.setting.options { options[e.key, default: [:]][k] = v } } }
        // A rule with a per-file and a cross-file part (body-empty, image-link-broken, …) is one rule.
        var active: [String: Severity] = [:]
        for (id, severity) in rules.perFile.map({ ($0.id, $0.severity) }) + rules.crossFile.map({ ($0.id, $0.severity) }) {
            active[id] = active[id] ?? severity
        }
        // Engine rules that report findings of their own (io-error and file-skipped report input problems).
        if let severity = rules.engineSeverity[Suppressions.ruleID] { active[Suppressions.ruleID] = severity }
        out += "rules (\(active.count) enabled):\n"
        for (id, severity) in active.sorted(by: { $0.key < $1.key }) {
            var line = "  \(id) = \(severity.rawValue)"
            if let o = options[id] {
                line += " " + o.keys.sorted().map { "\($0)=\(o[$0]?.serialized() ?? "")" }.joined(separator: " ")
            }
            out += line + "\n"
        }
        out += images(resolver.root, overrides: imageOverrides)
        return out
    }

    /// The run's image settings: the root config's `images` section (never a nested config's:
    /// `ConfigResolver` rejects those) with the command line over it, as `prepared` builds them.
    private static func images(_ root: Configuration, overrides: ImageSettings.Overrides) -> String {
        var s = (try? ImageSettings.parse(root.sections["images"], file: root.file ?? Configuration.fileName, directory: root.directory)) ?? ImageSettings()
        s.allowPrivateHosts = false // a repository config cannot open private hosts
        s = s.applying(overrides)
        let source = root.sections["images"] == nil ? "defaults" : (root.sectionFiles["images"] ?? root.file).map(SystemPath.display) ?? "defaults"
        func quoted(_ x: String) -> String { JSONNode(.string(x)).serialized() }
        func number(_ x: Double) -> String { JSONWriter.formatNumber(x) }
        var out = "images (whole run; from \(source), command line over it):\n"
        out += "  online = \(s.online)\n"
        out += "  roots = [" + s.roots.map { quoted(SystemPath.display($0)) }.joined(separator: ", ") + "]"
            + (s.roots.isEmpty ? " (site-root sources /… are not checked)" : "") + "\n"
        out += "  timeout = \(number(s.timeout))\n"
        out += "  retries = \(s.retries)\n"
        out += "  concurrency = \(s.concurrency)\n"
        out += "  perHost = \(s.perHost)\n"
        out += "  cache = \(s.cacheFile.map { quoted(SystemPath.display($0)) } ?? "null")\n"
        out += "  cacheMaxAge = \(number(s.cacheMaxAge))\n"
        out += "  userAgent = \(quoted(s.userAgent))\n"
        out += "  allowPrivateHosts = \(s.allowPrivateHosts)\n"
        return out
    }
}

/// Why a path named on the command line produced no file to lint.
package enum EmptyPathExplainer {
    /// `problems`: what the walk met (any path; those under `path` are named): a link it did not
    /// follow or a directory it could not read is the cause, not an empty or hidden-only directory.
    package static func explain(_ path: String, problems: [InputProblem], resolver: ConfigResolver, respectIgnoreFiles: Bool, io: ToolIO) -> String {
        let root = PathResolver.standardized(NewsLintCLI.resolve(path, io))
        // Strictly below: a problem with the path itself is reported as that problem, not explained here.
        let met = problems.filter { PathResolver.isBelow(PathResolver.standardized(NewsLintCLI.resolve($0.path, io)), root) }
            .sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        // Not looked into again below: the walk's answer for them is the one that counts.
        let metLocations = Set(met.map { PathKey(PathResolver.standardized(NewsLintCLI.resolve($0.path, io))) })
        var total = 0
        var wrongExtension: [String: Int] = [:]   // config file → count
        var excluded: [String: Int] = [:]         // "pattern in file" → count
        var notIncluded: [String: Int] = [:]
        var ignored: [String: Int] = [:]
        var hidden = 0
        let ignores = respectIgnoreFiles ? IgnoreStack.ancestors(of: root) : IgnoreStack()
        func visit(_ dir: String, _ ignores: IgnoreStack) {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            var ignores = ignores
            if respectIgnoreFiles { ignores.push(directory: dir) }
            let config = resolver.configuration(forDirectory: dir)
            let configName = config.file ?? "the built-in defaults"
            for name in entries.sorted() {
                let child = dir + "/" + name
                if metLocations.contains(PathKey(child)) { continue }
                var isDir: ObjCBool = false
                guard SystemPath.exists(child, isDirectory: &isDir) else { continue }
                if name.hasPrefix(".") || name == ".build" || name == "node_modules" {
                    if !isDir.boolValue { hidden += 1 }
                    continue
                }
                if isDir.boolValue {
                    if let p = config.excludingPattern(child) { excluded["'\(p)' in \(configName)", default: 0] += 1; continue }
                    if let by = ignores.reason(child, isDirectory: true) { ignored[by, default: 0] += 1; continue }
                    visit(child, ignores)
                    continue
                }
                total += 1
                let lower = name.lowercased()
                if !config.extensions.contains(where: { lower.hasSuffix($0.lowercased()) }) {
                    wrongExtension["\(config.extensions.joined(separator: " ")) (\(configName))", default: 0] += 1
                } else if let p = config.excludingPattern(child) {
                    excluded["'\(p)' in \(configName)", default: 0] += 1
                } else if !config.isIncluded(child) {
                    notIncluded["\(config.include.map(\.pattern).joined(separator: ", ")) in \(configName)", default: 0] += 1
                } else if let by = ignores.reason(child, isDirectory: false) {
                    ignored[by, default: 0] += 1
                }
            }
        }
        visit(root, ignores)
        var reasons: [String] = []
        for (k, n) in wrongExtension.sorted(by: { $0.key < $1.key }) { reasons.append("\(n) file\(n == 1 ? "" : "s") without a linted extension \(k)") }
        for (k, n) in excluded.sorted(by: { $0.key < $1.key }) { reasons.append("\(n) entr\(n == 1 ? "y" : "ies") excluded by \(k)") }
        for (k, n) in notIncluded.sorted(by: { $0.key < $1.key }) { reasons.append("\(n) file\(n == 1 ? "" : "s") not matched by include \(k)") }
        for (k, n) in ignored.sorted(by: { $0.key < $1.key }) { reasons.append("\(n) entr\(n == 1 ? "y" : "ies") ignored by .gitignore/.ignore in \(k) (--no-respect-gitignore to lint them)") }
        func some(_ items: [InputProblem]) -> String {
            let shown = items.prefix(3).map { SystemPath.display($0.path) }.joined(separator: ", ")
            return items.count > 3 ? shown + " and \(items.count - 3) more" : shown
        }
        let outside = met.filter(\.leadsOutside)
        if !outside.isEmpty {
            let n = outside.count
            reasons.append("\(n) symbolic link\(n == 1 ? " leads" : "s lead") outside the linted paths and \(n == 1 ? "was" : "were") not followed "
                           + "(\(some(outside)); --follow-symlinks to lint what \(n == 1 ? "it points" : "they point") to, or name the targets)")
        }
        let others = met.filter { !$0.leadsOutside }
        for problem in others.prefix(3) {
            reasons.append("\(SystemPath.display(problem.path)): \(problem.message)" + (problem.errno == EACCES ? " (check its permissions)" : ""))
        }
        if others.count > 3 { reasons.append("\(others.count - 3) more problem\(others.count == 4 ? "" : "s") reading entries") }
        if reasons.isEmpty {
            reasons.append(total == 0 && hidden == 0 ? "the directory has no files" : "it holds only hidden files")
        }
        return "'\(path)' yields no files to lint: " + reasons.joined(separator: "; ")
    }
}
