import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Text, Markdown and JSON renderings of a `CorpusSummary` (HTML is in `HTMLReport`).
public enum SummaryRenderer {
    public static var scoreFormula: String {
        "file score = 100 / (1 + D/10), D = (10*errors + 3*warnings + 1*info) per 1,000 characters (files under 1,000 characters count as 1,000); corpus score = mean of file scores"
    }

    /// The corpus score in one sentence.
    public static func scoreSentence(_ s: CorpusSummary) -> String {
        "\(String(format: "%.1f", s.corpusScore)) is the health of the average file: a file scores 100 when clean and 50 when its findings "
            + "weigh 10 points per 1,000 characters (an error weighs 10, a warning 3, an info 1), so long and short files compare fairly."
    }

    /// The headline: what is wrong, how much, and what resolves it.
    public static func verdict(_ s: CorpusSummary) -> String {
        guard let top = s.problems.first else { return "No problems found in \(count(s.files, "file"))." }
        var out = "\(s.filesWithFindings) of \(s.files) files (\(pct(s.filesWithFindings, s.files))) have findings, in \(s.problems.count) problem \(s.problems.count == 1 ? "class" : "classes"). "
        out += "The most widespread: \(top.kind) (\(top.rule), \(count(top.files, "file")))."
        if s.errors > 0 {
            let errorClasses = s.problems.filter { $0.severity == .error }
            out += " \(count(s.errors, "error")): " + errorClasses.prefix(3).map { "\($0.kind) (\(count($0.files, "file")))" }.joined(separator: ", ") + (errorClasses.count > 3 ? ", …" : "") + "."
        }
        // Each finding in exactly one bucket: its fix (safe, else unsafe) when it has one; without
        // one, a rule pack when its class is learned and the pack can fix it (not on HTML lines,
        // whose markup a pack's fix may not touch), else an editor. By class remedy alone, the
        // findings without a fix in a class that others fix were in no bucket.
        let learn = s.problems.filter { $0.remedy == .learn }.reduce(0) { $0 + $1.resolved }
        let editor = s.problems.reduce(0) { $0 + $1.findings - $1.safeFixes - $1.unsafeFixes } - learn
        out += " \(s.fixableSafe) of \(s.total) findings (\(pct(s.fixableSafe, s.total))) go with `newslint --fix`"
        if s.fixableUnsafe > 0 { out += ", \(s.fixableUnsafe) more with `--fix --unsafe-fixes`" }
        if learn > 0 { out += "; \(learn) with a rule pack from `newslint learn`" }
        if editor > 0 { out += "; \(editor) \(editor == 1 ? "needs" : "need") an editor" }
        return out + "."
    }

    /// "1 file", "3 files".
    package static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    package static func pct(_ n: Int, _ of: Int) -> String {
        guard of > 0 else { return "0%" }
        let x = Double(n) * 100 / Double(of)
        if x > 0 && x < 0.1 { return "<0.1%" }
        if x > 0 && x < 1 { return String(format: "%.1f%%", x) }
        return String(format: "%.0f%%", x)
    }

    package static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return String(format: "%.1f KiB", Double(n) / 1024) }
        return String(format: "%.1f MiB", Double(n) / 1048576)
    }

    package static func dateRange(_ p: CorpusSummary.Profile) -> String {
        guard let a = p.firstDate, let b = p.lastDate else { return "no dates found" }
        return "\(a) to \(b) (\(p.dated) of \(p.profiled) files dated)"
    }

    package static func density(_ d: Double) -> String { String(format: "%.2f", d) }

    /// A message cut to a table cell (file-level findings have no line to quote).
    package static func shortMessage(_ m: String) -> String {
        // Control characters quoted from a file are shown as ⟨U+001B⟩, as in the listing.
        let fileNamesShort = TerminalMessage.shown(m).split(separator: " ").map { $0.contains("/") && $0.count > 2 ? String($0.split(separator: "/").last ?? $0) : String($0) }.joined(separator: " ")
        return fileNamesShort.count > 140 ? String(fileNamesShort.prefix(139)) + "…" : fileNamesShort
    }

    package static func location(_ f: CorpusSummary.Finding) -> String { "\(SystemPath.display(f.path)):\(f.line):\(f.column)" }

    /// An excerpt on one line with the span in «…».
    package static func plainExcerpt(_ e: Excerpt) -> String { e.before + "«" + e.marked + "»" + e.after }

    /// `detailed`: the report command's text (problems ranked with examples and commands, months,
    /// sources); without it the compact summary `lint --summary` prints.
    public static func text(_ s: CorpusSummary, top: Int = 10, detailed: Bool = false) -> String {
        var out = "Corpus health: \(String(format: "%.1f", s.corpusScore)) / 100 (\(s.cleanFiles) of \(s.files) files clean)\n"
        out += "Files: \(s.files), \(bytes(s.bytes))\n"
        out += "Diagnostics: \(s.total) (\(count(s.errors, "error")), \(count(s.warnings, "warning")), \(s.infos) info); "
        out += "\(s.fixableSafe) fixable with --fix, \(s.fixableUnsafe) more with --unsafe-fixes\n"
        if detailed && !s.problems.isEmpty {
            out += "\n" + verdict(s).replacingOccurrences(of: "`", with: "") + "\n"
            out += "\nProblems, ranked (files × severity weight):\n"
            for (i, p) in s.problems.prefix(max(top, 20)).enumerated() {
                out += String(format: "%3d. ", i + 1) + "\(p.rule): \(p.kind)  [\(p.severity.rawValue)]\n"
                out += "     \(count(p.files, "file")) (\(pct(p.files, s.files))), \(count(p.findings, "finding")); fix: \(p.remedyText)\n"
                if let e = p.example {
                    out += "     e.g. \(location(e))  " + (e.excerpt.map(plainExcerpt) ?? shortMessage(e.message)) + "\n"
                }
                out += "     run: \(p.command(scope: s.scope))\n"
            }
            if s.problems.count > max(top, 20) { out += "     … \(s.problems.count - max(top, 20)) more classes (--format json lists all)\n" }
        }
        if !s.families.isEmpty {
            out += "\nBy family:\n"
            let w = s.families.map(\.family.count).max() ?? 6
            for f in s.families {
                out += "  " + f.family.padding(toLength: w, withPad: " ", startingAt: 0) + "  \(f.total)  (\(f.errors) E, \(f.warnings) W, \(f.infos) I)\n"
            }
        }
        if !s.rules.isEmpty && !detailed {
            out += "\nBy rule (ranked by files affected):\n"
            let w = s.rules.map(\.rule.count).max() ?? 4
            for r in s.rules {
                out += "  " + String(format: "%6d", r.files) + " files " + String(format: "%7d", r.count) + "  " + r.rule.padding(toLength: w, withPad: " ", startingAt: 0)
                out += r.fixable > 0 ? "  [\(r.fixable) fixable]\n" : "\n"
            }
        }
        let worst = s.fileHealth.filter { $0.total > 0 }.prefix(top)
        if !worst.isEmpty {
            out += "\nWorst files (score, then points per 1,000 characters):\n"
            for f in worst {
                out += "  " + String(format: "%3d", f.score) + "  " + String(format: "%6.1f", f.density) + "  \(SystemPath.display(f.path))  (\(f.errors) E, \(f.warnings) W, \(f.infos) I)\n"
            }
        }
        if detailed && s.timeline.count > 1 {
            out += "\nBy \(s.timeUnit) of article date (points per 1,000 characters):\n"
            for b in s.timeline { out += "  \(b.name)  " + String(format: "%6.2f", b.density) + "  \(b.filesWithFindings) of \(b.files) files with findings\n" }
        }
        if detailed && s.sources.count > 1 {
            out += "\nBy source (points per 1,000 characters):\n"
            for b in s.sources.prefix(max(top, 20)) { out += "  " + String(format: "%6.2f", b.density) + "  \(b.name)  \(b.filesWithFindings) of \(b.files) files with findings\n" }
        }
        let p = s.profile
        if p.profiled > 0 {
            out += "\nProfile (\(count(p.profiled, "file"))):\n"
            out += "  front matter:  \(p.withFrontMatter) (\(pct(p.withFrontMatter, p.profiled)))\n"
            out += "  script:        " + ScriptClass.allCases.map { "\($0.rawValue) \(p.scripts[$0] ?? 0)" }.joined(separator: ", ") + "\n"
            out += "  images:        \(p.images) in \(count(p.withImages, "file")); \(count(p.withBrokenImages, "file")) with broken images\n"
            out += "  duplicates:    \(p.slugGroups.count) slug groups, \(p.contentGroups.count) content groups"
            out += p.nearGroups.isEmpty ? "\n" : ", \(p.nearGroups.count) near-duplicate clusters\n"
            let limit = detailed ? s.listLimit : Int.max
            for g in p.slugGroups.prefix(limit) { out += "    slug:    " + g.map(SystemPath.display).joined(separator: ", ") + "\n" }
            for g in p.contentGroups.prefix(limit) { out += "    content: " + g.map(SystemPath.display).joined(separator: ", ") + "\n" }
            out += "  dates:         \(dateRange(p))\n"
        }
        out += "\nScore: \(scoreFormula)\n"
        return out
    }

    package static func mdCell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
    /// Text from the corpus (an excerpt, a message, a path) in a table cell, shown as written:
    /// Markdown's inline syntax escaped (`*` and `_` made emphasis of a path, a backtick a code
    /// span, brackets a link), then `mdCell`'s cell escapes.
    package static func mdText(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            if "\\`*_[]~".contains(c) { out.append("\\") }
            if c == "&" { out += "&amp;" } else { out.append(c) }
        }
        return mdCell(out)
    }

    /// `s` as a code span of a table cell, exactly: fenced by one backtick more than its longest
    /// run of backticks (padded when it starts or ends with one), `|` escaped as GFM tables ask.
    package static func mdCodeSpan(_ s: String) -> String {
        var longest = 0, run = 0
        for c in s { run = c == "`" ? run + 1 : 0; longest = max(longest, run) }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = s.hasPrefix("`") || s.hasSuffix("`") ? " " : ""
        let body = s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return fence + pad + body + pad + fence
    }

    package static func markdownRuleTable(_ s: CorpusSummary) -> String {
        var out = "| Rule | Family | Files | Count | Errors | Warnings | Info | Fixable |\n|---|---|---:|---:|---:|---:|---:|---:|\n"
        for r in s.rules {
            out += "| `\(r.rule)` | \(r.family) | \(r.files) | \(r.count) | \(r.errors) | \(r.warnings) | \(r.infos) | \(r.fixable) |\n"
        }
        return out
    }

    /// GitHub caps a job summary at 1 MiB; the Markdown report stays far below (top rows only).
    public static let markdownBudget = 512 * 1024

    /// Markdown for a CI job summary: headline, problems ranked with one example and the command,
    /// worst files, months and sources (top rows), profile. Bounded whatever the corpus size.
    public static func markdown(_ s: CorpusSummary, top: Int = 10) -> String {
        var out = "## newslint corpus report\n\n"
        out += "**Health \(String(format: "%.1f", s.corpusScore)) / 100** · \(count(s.files, "file")) (\(bytes(s.bytes))) · \(s.cleanFiles) clean · "
        out += "\(count(s.total, "diagnostic")): \(count(s.errors, "error")), \(count(s.warnings, "warning")), \(s.infos) info · "
        out += "\(s.fixableSafe) fixable with `--fix`, \(s.fixableUnsafe) with `--unsafe-fixes`\n\n"
        if !s.problems.isEmpty {
            out += mdCell(verdict(s)) + "\n\n"
            let rows = max(top, 15)
            out += "### Problems, ranked\n\n| # | Problem | Severity | Files | Findings | Example | Fix | Command |\n|---:|---|---|---:|---:|---|---|---|\n"
            for (i, p) in s.problems.prefix(rows).enumerated() {
                var example = ""
                if let e = p.example {
                    example = mdCodeSpan("\(SystemPath.display(e.path.split(separator: "/").last.map(String.init) ?? e.path)):\(e.line)")
                    example += " " + mdText(e.excerpt.map(plainExcerpt) ?? shortMessage(e.message))
                }
                out += "| \(i + 1) | `\(p.rule)` \(mdText(p.kind)) | \(p.severity.rawValue) | \(p.files) (\(pct(p.files, s.files))) | \(p.findings) | \(example) | \(mdCell(p.remedyText)) | \(mdCodeSpan(p.command(scope: s.scope))) |\n"
            }
            if s.problems.count > rows { out += "\n\(s.problems.count - rows) more problem classes: `newslint report --format json` lists all.\n" }
            out += "\n"
        }
        let worst = s.fileHealth.filter { $0.total > 0 }.prefix(top)
        if !worst.isEmpty {
            out += "| Worst files | Score | Points / 1k chars | Errors | Warnings | Info |\n|---|---:|---:|---:|---:|---:|\n"
            for f in worst { out += "| \(mdCodeSpan(SystemPath.display(f.path))) | \(f.score) | \(density(f.density)) | \(f.errors) | \(f.warnings) | \(f.infos) |\n" }
            out += "\n"
        }
        if s.timeline.count > 1 {
            out += "<details><summary>By \(s.timeUnit) of article date (\(s.timeline.count))</summary>\n\n| \(s.timeUnit.capitalized) | Files | With findings | Points / 1k chars | Score |\n|---|---:|---:|---:|---:|\n"
            for b in s.timeline.suffix(40) { out += "| \(b.name) | \(b.files) | \(b.filesWithFindings) | \(density(b.density)) | \(String(format: "%.1f", b.score)) |\n" }
            out += "\n</details>\n\n"
        }
        if s.sources.count > 1 {
            out += "<details><summary>By source (\(s.sources.count))</summary>\n\n| Source | Files | With findings | Points / 1k chars | Score |\n|---|---:|---:|---:|---:|\n"
            for b in s.sources.prefix(30) { out += "| \(mdText(b.name)) | \(b.files) | \(b.filesWithFindings) | \(density(b.density)) | \(String(format: "%.1f", b.score)) |\n" }
            out += "\n</details>\n\n"
        }
        let p = s.profile
        if p.profiled > 0 {
            out += "| Profile | |\n|---|---|\n"
            out += "| Front matter | \(p.withFrontMatter) of \(p.profiled) (\(pct(p.withFrontMatter, p.profiled))) |\n"
            for c in ScriptClass.allCases { out += "| Script: \(c.rawValue) | \(p.scripts[c] ?? 0) (\(pct(p.scripts[c] ?? 0, p.profiled))) |\n" }
            out += "| Images | \(p.images) in \(count(p.withImages, "file")); \(count(p.withBrokenImages, "file")) with broken images |\n"
            out += "| Duplicate slugs | \(p.slugGroups.count) groups |\n"
            out += "| Duplicate content | \(p.contentGroups.count) groups |\n"
            out += "| Near-duplicates | \(p.nearGroups.count) clusters |\n"
            out += "| Dates | \(dateRange(p)) |\n\n"
        }
        out += "<sub>\(mdCell(scoreSentence(s))) \(mdCell(scoreFormula)).</sub>\n"
        return out
    }

    // MARK: JSON (schema: docs/report.schema.json)

    package static func arr(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
    package static func number(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    package static func json(_ f: CorpusSummary.Finding) -> String {
        var o = JSONObjectBuilder()
        o.add("path", string: SystemPath.display(f.path)); o.add("line", int: f.line); o.add("column", int: f.column)
        o.add("endLine", f.endLine.map(String.init) ?? "null"); o.add("endColumn", f.endColumn.map(String.init) ?? "null")
        o.add("severity", string: f.severity.rawValue); o.add("message", string: f.message)
        if let e = f.excerpt {
            var x = JSONObjectBuilder()
            x.add("before", string: e.before); x.add("marked", string: e.marked); x.add("after", string: e.after)
            o.add("excerpt", x.json)
        } else {
            o.add("excerpt", "null")
        }
        return o.json
    }

    package static func json(_ b: CorpusSummary.Bucket) -> String {
        var o = JSONObjectBuilder()
        o.add("name", string: b.name); o.add("files", int: b.files); o.add("filesWithFindings", int: b.filesWithFindings)
        o.add("characters", int: b.characters); o.add("findings", int: b.findings)
        o.add("errors", int: b.errors); o.add("warnings", int: b.warnings); o.add("info", int: b.infos)
        o.add("density", number(b.density)); o.add("score", number(b.score, 1))
        return o.json
    }

    public static func json(_ s: CorpusSummary, top: Int = 10) -> String {
        var totals = JSONObjectBuilder()
        totals.add("files", int: s.files)
        totals.add("bytes", int: s.bytes)
        totals.add("characters", int: s.characters)
        totals.add("diagnostics", int: s.total)
        totals.add("errors", int: s.errors)
        totals.add("warnings", int: s.warnings)
        totals.add("info", int: s.infos)
        totals.add("fixableSafe", int: s.fixableSafe)
        totals.add("fixableUnsafe", int: s.fixableUnsafe)
        totals.add("cleanFiles", int: s.cleanFiles)
        totals.add("filesWithFindings", int: s.filesWithFindings)
        let problems = s.problems.map { p -> String in
            var o = JSONObjectBuilder()
            o.add("id", string: p.id); o.add("rule", string: p.rule); o.add("family", string: p.family); o.add("kind", string: p.kind)
            o.add("severity", string: p.severity.rawValue); o.add("files", int: p.files); o.add("findings", int: p.findings)
            o.add("share", number(s.files == 0 ? 0 : Double(p.files) / Double(s.files), 4))
            o.add("safeFixes", int: p.safeFixes); o.add("unsafeFixes", int: p.unsafeFixes)
            o.add("remedy", string: p.remedy.rawValue); o.add("remedyText", string: p.remedyText)
            o.add("command", string: p.command(scope: s.scope))
            o.add("example", p.example.map(json) ?? "null")
            o.add("listed", int: p.samples.count)
            o.add("findingsList", arr(p.samples.map(json)))
            return o.json
        }
        let rules = s.rules.map { r -> String in
            var o = JSONObjectBuilder()
            o.add("rule", string: r.rule); o.add("family", string: r.family); o.add("files", int: r.files); o.add("count", int: r.count)
            o.add("errors", int: r.errors); o.add("warnings", int: r.warnings); o.add("info", int: r.infos); o.add("fixable", int: r.fixable)
            return o.json
        }
        let families = s.families.map { f -> String in
            var o = JSONObjectBuilder()
            o.add("family", string: f.family); o.add("count", int: f.total)
            o.add("errors", int: f.errors); o.add("warnings", int: f.warnings); o.add("info", int: f.infos)
            return o.json
        }
        let files = s.fileHealth.map { f -> String in
            var o = JSONObjectBuilder()
            o.add("path", string: SystemPath.display(f.path)); o.add("score", int: f.score); o.add("density", number(f.density)); o.add("characters", int: f.characters)
            o.add("errors", int: f.errors); o.add("warnings", int: f.warnings); o.add("info", int: f.infos)
            return o.json
        }
        let clusters = s.clusters.map { c -> String in
            var o = JSONObjectBuilder()
            o.add("kind", string: c.kind.rawValue); o.add("canonical", string: SystemPath.display(c.canonical)); o.add("members", arr(c.members.map { JSONWriter.quote(SystemPath.display($0)) }))
            return o.json
        }
        let p = s.profile
        var prof = JSONObjectBuilder()
        prof.add("files", int: p.profiled)
        prof.add("withFrontMatter", int: p.withFrontMatter)
        var scripts = JSONObjectBuilder()
        for c in ScriptClass.allCases { scripts.add(c.rawValue, int: p.scripts[c] ?? 0) }
        prof.add("script", scripts.json)
        prof.add("withImages", int: p.withImages)
        prof.add("images", int: p.images)
        prof.add("withBrokenImages", int: p.withBrokenImages)
        prof.add("duplicateSlugGroups", arr(p.slugGroups.map { arr($0.map { JSONWriter.quote(SystemPath.display($0)) }) }))
        prof.add("duplicateContentGroups", arr(p.contentGroups.map { arr($0.map { JSONWriter.quote(SystemPath.display($0)) }) }))
        prof.add("nearDuplicateGroups", arr(p.nearGroups.map { arr($0.map(JSONWriter.quote)) }))
        prof.add("firstDate", p.firstDate.map(JSONWriter.quote) ?? "null")
        prof.add("lastDate", p.lastDate.map(JSONWriter.quote) ?? "null")
        prof.add("datedFiles", int: p.dated)
        var weights = JSONObjectBuilder()
        weights.add("error", int: CorpusSummary.errorWeight); weights.add("warning", int: CorpusSummary.warningWeight); weights.add("info", int: CorpusSummary.infoWeight)
        var score = JSONObjectBuilder()
        score.add("corpus", String(format: "%.1f", s.corpusScore))
        score.add("formula", string: scoreFormula)
        score.add("explanation", string: scoreSentence(s))
        score.add("weights", weights.json)
        score.add("minimumCharacters", int: CorpusSummary.minimumCharacters)
        score.add("halfScoreDensity", number(CorpusSummary.halfScoreDensity, 1))
        var o = JSONObjectBuilder()
        o.add("version", int: 2)
        o.add("totals", totals.json)
        o.add("score", score.json)
        o.add("verdict", string: verdict(s))
        o.add("listLimit", int: s.listLimit)
        o.add("problems", arr(problems))
        o.add("families", arr(families))
        o.add("rules", arr(rules))
        o.add("files", arr(files))
        var timeline = JSONObjectBuilder()
        timeline.add("unit", string: s.timeUnit)
        timeline.add("buckets", arr(s.timeline.map(json)))
        o.add("timeline", timeline.json)
        o.add("sources", arr(s.sources.map(json)))
        o.add("clusters", arr(clusters))
        o.add("profile", prof.json)
        _ = top
        return o.json + "\n"
    }
}
