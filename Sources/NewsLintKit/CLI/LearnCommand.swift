import Foundation

/// `newslint learn [PATH...]`: finds lines repeated across many files of a site (the
/// collect/finish phases of `boilerplate-repeated`) and writes them as a user rule pack
/// for review. Only the candidate lines are read back as text.
enum LearnCommand {
    static let options: [OptionSpec] = [
        OptionSpec("output", short: "o", value: "FILE", help: "Write the rule pack to FILE (default: stdout); put it in a 'rulePacks' directory"),
        OptionSpec("id", value: "ID", help: "Rule id of the pack (default: learned-boilerplate)"),
        OptionSpec("min-files", value: "N", help: "Files that must share a line (default: the rule's minFiles, 5)"),
        OptionSpec("min-share", value: "X", help: "Share of a site's files that must share a line (default: 0.1)"),
        NewsLintCLI.Shared.config,
        NewsLintCLI.Shared.noConfig,
        OptionSpec("jobs", short: "j", value: "N", help: "Files read in parallel (default: active cores)"),
        NewsLintCLI.Shared.help,
    ]

    static let help = "newslint learn [OPTIONS] [PATH...]\n\nWrite lines repeated verbatim across many files of a site as a user rule pack (review it, then list its directory under 'rulePacks').\n\n"
        + ArgumentParser(command: "learn", options: options).optionsHelp() + "\n"

    static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "learn", options: options).parse(args)
        if parsed.has("help") { io.stdout(help); return ExitCode.ok }
        let (loaded, catalog) = try NewsLintCLI.loadConfiguration(parsed, io: io)
        var config = loaded
        let id = parsed.value("id") ?? "learned-boilerplate"
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw UsageError("--id expects lowercase letters, digits and '-', got '\(id)'")
        }
        var ruleOptions: [String: JSONNode] = [:]
        if let v = parsed.value("min-files") {
            guard let n = Int(v), n >= 2 else { throw UsageError("--min-files expects a whole number ≥ 2, got '\(v)'") }
            ruleOptions["minFiles"] = JSONNode(.number(Double(n)))
        }
        if let v = parsed.value("min-share") {
            guard let x = Double(v), x > 0, x <= 1 else { throw UsageError("--min-share expects a number in (0, 1], got '\(v)'") }
            ruleOptions["minShare"] = JSONNode(.number(x))
        }
        let rid = BoilerplateRepeatedRule.id
        config.rules.append((rid, RuleSetting(enabled: true, options: ruleOptions)))
        var settings = LintSettings()
        settings.filter = RuleFilter(select: [rid])
        settings.baseDirectory = io.currentDirectory
        if let n = try NewsLintCLI.jobs(parsed) { settings.jobs = n }
        let paths = parsed.positionals.isEmpty ? ["."] : parsed.positionals
        let expanded = FileDiscovery(config: config, base: io.currentDirectory).expand(paths)
        for p in expanded.problems { io.stderr("warning: \(p.path): \(p.message)\n") }
        if let out = parsed.value("output") {
            try OutputGuard.check(output: NewsLintCLI.resolve(out, io), display: out,
                                  inputs: expanded.files.map { PathResolver.absolute($0, base: io.currentDirectory) })
        }
        let linter = try Linter(catalog: catalog, config: config, settings: settings)
        let result = linter.lint(expanded.files.map { LintInput.file($0) })

        // Read back the text of each repeated line (one file per line is enough).
        var counts: [String: Int] = [:]
        var documents: [String: Document] = [:]
        for d in result.diagnostics where d.rule == rid {
            if documents[d.path] == nil {
                let location = PathResolver.absolute(d.path, base: io.currentDirectory)
                guard let data = FileManager.default.contents(atPath: location) else { continue }
                documents[d.path] = Document(path: d.path, bytes: [UInt8](data))
            }
            guard let doc = documents[d.path], d.line <= doc.lineCount else { continue }
            let text = MetadataHarvest.trimValue(doc.lineText(d.line)).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { counts[text, default: 0] += 1 }
        }
        let ordered = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        var out = "{\n"
        out += "  \"$comment\": \"Learned by 'newslint learn' from \(expanded.files.count) files: lines repeated verbatim across a site. Review before use.\",\n"
        out += "  \"id\": \(JSONWriter.quote(id)),\n"
        out += "  \"message\": \"line repeated across the site: '{match}'\",\n"
        out += "  \"severity\": \"warning\",\n"
        out += "  \"zone\": \"anywhere\",\n"
        out += "  \"match\": \"line\",\n"
        out += "  \"patterns\": ["
        out += ordered.isEmpty ? "" : "\n" + ordered.map { "    { \"literal\": \(JSONWriter.quote($0.key)), \"$comment\": \"in \($0.value) files\" }" }.joined(separator: ",\n") + "\n  "
        out += "],\n"
        out += "  \"fix\": \"delete-line\"\n}\n"
        if ordered.isEmpty {
            io.stderr("newslint learn: no line repeats in enough files (\(expanded.files.count) files read); nothing to learn\n")
            return ExitCode.ok
        }
        if let file = parsed.value("output") {
            do {
                let target = NewsLintCLI.resolve(file, io)
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try AtomicWriter.writeNew(Array(out.utf8), to: target)
            } catch {
                throw UsageError("cannot write --output file '\(file)': \(error)")
            }
            io.stderr("newslint learn: wrote \(ordered.count) pattern(s) to \(file)\n")
        } else {
            io.stdout(out)
        }
        return ExitCode.ok
    }
}
