import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

/// `newslint learn [PATH...]`: finds lines repeated across many files of a site (the
/// collect/finish phases of `boilerplate-repeated`) and writes them as a user rule pack
/// for review. Only the candidate lines are read back as text.
package enum LearnCommand {
    package static let options: [OptionSpec] = [
        OptionSpec("output", short: "o", value: "FILE", help: "Write the rule pack to FILE (default: stdout); put it in a 'rulePacks' directory"),
        OptionSpec("id", value: "ID", help: "Rule id of the pack (default: learned-boilerplate)"),
        OptionSpec("min-files", value: "N", help: "Files that must share a line (default: the rule's minFiles, 5)"),
        OptionSpec("min-share", value: "X", help: "Share of a site's files that must share a line (default: 0.1)"),
        NewsLintCLI.Shared.config,
        NewsLintCLI.Shared.noConfig,
        OptionSpec("jobs", short: "j", value: "N", help: "Files read in parallel (default: active cores)"),
        NewsLintCLI.Shared.help,
    ]

    package static let help = "newslint learn [OPTIONS] [PATH...]\n\nWrite lines repeated verbatim across many files of a site as a user rule pack (review it, then list its directory under 'rulePacks').\n\n"
        + ArgumentParser(command: "learn", options: options).optionsHelp() + "\n"

    /// The line a `boilerplate-repeated` finding points at, as written (a pack matches raw lines).
    /// In an HTML document only when one text block starts on it: a scraped page's one-line article
    /// holds many blocks, and the whole line would be learned as "residue".
    package static func repeatedText(_ document: Document, line: Int) -> String? {
        if document.isHTMLFile, document.html.blockRanges(document.bytes).filter({ document.line(ofByte: $0.range.lowerBound) == line }).count != 1 {
            return nil
        }
        return document.lineText(line)
    }

    package static func run(_ args: [String], io: ToolIO) throws -> Int32 {
        let parsed = try ArgumentParser(command: "learn", options: options).parse(args)
        if parsed.has("help") { io.stdout(help); return ExitCode.ok }
        // Files and their configs are found as `lint` finds them (nested .lint.json, .gitignore).
        let resolver = try NewsLintCLI.configResolver(parsed, io: io)
        var config = resolver.root
        let id = parsed.value("id") ?? "learned-boilerplate"
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw UsageError("--id expects lowercase letters, digits and '-', got '\(id)'")
        }
        // The config refuses a pack that takes a built-in rule's id: said now, not after the pack
        // is written. (A pack's own id may come back: learning again rewrites the same pack.)
        if Catalog.builtin.metadata(id) != nil {
            throw UsageError("--id '\(id)' is a built-in rule; choose another id")
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
        var discovery = FileDiscovery(config: config, base: io.currentDirectory)
        discovery.resolver = resolver
        discovery.respectIgnoreFiles = true
        let expanded = discovery.expand(paths)
        for p in paths { _ = resolver.configuration(forFile: NewsLintCLI.resolve(p, io)) }
        try resolver.throwErrors()
        try NamedPaths.refuseMissingOrEmpty(paths, expanded: expanded, discovery: discovery, resolver: resolver, io: io)
        let catalog = resolver.catalog
        for p in expanded.problems { io.stderr("warning: \(SystemPath.display(p.path)): \(SystemPath.displayText(p.message))\n") }
        if let out = parsed.value("output") {
            try OutputGuard.check(output: NewsLintCLI.resolve(out, io), display: out,
                                  inputs: expanded.files.map { PathResolver.absolute($0, base: io.currentDirectory) })
        }
        let linter = try Linter(catalog: catalog, config: config, settings: settings, configurations: resolver.snapshot())
        var request = LintRequest(inputs: expanded.files.map { LintInput.file($0) })
        request.keepDiagnostics = false
        let run = LintRun(linter: linter, request: request)

        // Read back the text of each repeated line (one file per line is enough), grouped by the
        // rule's counting key: copies that differ only by a timestamp or a number are one pattern.
        // The findings come from the reduce, after the pass, in path order: one document is held at a time.
        var groups: [[UInt8]: (texts: [String: Int], files: Int)] = [:]
        var current: (path: String, document: Document?)?
        var key: [UInt8] = []
        let complete = run.extras.forEach { d in
            // A block sharing its line with other text is not a line a pack can match whole.
            guard d.rule == rid, !d.message.hasPrefix(BoilerplateRepeatedRule.blockMessageStart) else { return }
            if !(current?.path.hasSameBytes(as: d.path) ?? false) {
                let data = SystemPath.contents(PathResolver.absolute(d.path, base: io.currentDirectory))
                current = (d.path, data.map { Document(path: d.path, bytes: $0) })
            }
            guard let doc = current?.document, d.line <= doc.lineCount else { return }
            let text = MetadataHarvest.trimValue(Self.repeatedText(doc, line: d.line) ?? "").trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return }
            let bytes = Array(text.utf8)
            RepeatedLineKey.normalise(bytes, 0..<bytes.count, into: &key)
            groups[key, default: ([:], 0)].texts[text, default: 0] += 1
            groups[key, default: ([:], 0)].files += 1
        }
        if let failure = run.facts.readFailures.first { throw UsageError(failure + "; no pack written") }
        guard complete else {
            throw UsageError("could not read back the repeated lines found (temporary directory \(NSTemporaryDirectory()), set with TMPDIR); no pack written. Make sure it has free space and is not cleaned while newslint runs, then run again")
        }
        if run.ioFailure { io.stderr("warning: some files could not be read; the pack is learned from the rest\n") }
        var patterns: [(json: String, sortKey: String, files: Int)] = []
        for (_, g) in groups { patterns += Self.learnedPatterns(g.texts) }
        let ordered = patterns.sorted { $0.files != $1.files ? $0.files > $1.files : $0.sortKey.utf8.lexicographicallyPrecedes($1.sortKey.utf8) }
        var out = "{\n"
        out += "  \"$comment\": \"Learned by 'newslint learn' from \(expanded.files.count) files: lines repeated across a site (a regex where copies differ only by numbers). Review before use.\",\n"
        out += "  \"id\": \(JSONWriter.quote(id)),\n"
        out += "  \"message\": \"line repeated across the site: '{match}'\",\n"
        out += "  \"severity\": \"warning\",\n"
        out += "  \"zone\": \"anywhere\",\n"
        out += "  \"match\": \"line\",\n"
        out += "  \"patterns\": ["
        out += ordered.isEmpty ? "" : "\n" + ordered.map { "    " + $0.json }.joined(separator: ",\n") + "\n  "
        out += "],\n"
        // Deleting a line of HTML (`</div><div>来源…</div>`) can unbalance the markup around it: review each.
        let markup = ordered.contains { $0.sortKey.contains("<") && $0.sortKey.contains(">") }
        out += markup ? "  \"fix\": { \"action\": \"delete-line\", \"applicability\": \"unsafe\" }\n}\n" : "  \"fix\": \"delete-line\"\n}\n"
        if ordered.isEmpty {
            io.stderr("newslint learn: no line repeats in enough files (\(expanded.files.count) files read); nothing to learn\n")
            return ExitCode.ok
        }
        if let file = parsed.value("output") {
            do {
                let target = NewsLintCLI.resolve(file, io)
                try FileManager.default.createDirectory(atPath: PathComponents.deletingLastComponent(target), withIntermediateDirectories: true)
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

    /// The patterns of one group of repeated lines (`texts`: each text and the files it is in).
    /// The group's key drops more than digits (a URL's query, scheme, `www.`, whitespace runs), so
    /// its texts can differ in words too: they are classed by `variantRegex`, and a class of two
    /// or more becomes one regex when that regex matches each of its texts whole and holds a
    /// literal for the automaton; every other text stays a literal of its own. The counts in the
    /// comments are the files of the texts each pattern matches.
    package static func learnedPatterns(_ texts: [String: Int]) -> [(json: String, sortKey: String, files: Int)] {
        func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        var classes: [String: [String]] = [:]
        var literals: [String] = []
        for t in texts.keys {
            if let regex = variantRegex(t) { classes[regex, default: []].append(t) } else { literals.append(t) }
        }
        var out: [(json: String, sortKey: String, files: Int)] = []
        for (regex, members) in classes {
            let members = members.sorted(by: precedes)
            guard members.count > 1, let first = members.first, PatternParser.requiredLiteral(inRegex: regex) != nil,
                  matchesWhole(regex, members) else {
                literals += members
                continue
            }
            let files = members.reduce(0) { $0 + (texts[$1] ?? 0) }
            out.append(("{ \"regex\": \(JSONWriter.quote(regex)), \"$comment\": \"in \(files) files, \(members.count) variants, e.g. \(JSONWriter.quote(first).dropFirst().dropLast())\" }", first, files))
        }
        for t in literals.sorted(by: precedes) {
            out.append(("{ \"literal\": \(JSONWriter.quote(t)), \"$comment\": \"in \(texts[t] ?? 0) files\" }", t, texts[t] ?? 0))
        }
        return out
    }

    /// Whether `regex` matches each of `texts` from its start to its end.
    private static func matchesWhole(_ regex: String, _ texts: [String]) -> Bool {
        guard let anchored = try? NSRegularExpression(pattern: "^(?:\(regex))$") else { return false }
        return texts.allSatisfy { anchored.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
    }

    /// A regex matching `text` with every run of digits free (`更新於 [0-9０-９]+-…`), or nil when
    /// the text has no digits (then the variants differ otherwise and stay literals).
    package static func variantRegex(_ text: String) -> String? {
        var out = ""
        var sawDigit = false
        var inDigits = false
        for scalar in text.unicodeScalars {
            let isDigit = ("0"..."9").contains(scalar) || (0xFF10...0xFF19).contains(scalar.value)
            if isDigit {
                if !inDigits { out += "[0-9０-９]+" }
                inDigits = true
                sawDigit = true
                continue
            }
            inDigits = false
            out += NSRegularExpression.escapedPattern(for: String(scalar))
        }
        return sawDigit ? out : nil
    }
}
