import Foundation

/// Text, Markdown and JSON renderings of a `CorpusSummary` (HTML is in `HTMLReport`).
public enum SummaryRenderer {
    public static var scoreFormula: String {
        "file score = max(0, 100 - 10*errors - 3*warnings - 1*info); corpus score = mean of file scores"
    }

    static func pct(_ n: Int, _ of: Int) -> String {
        of == 0 ? "0%" : String(format: "%.0f%%", Double(n) * 100 / Double(of))
    }

    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return String(format: "%.1f KiB", Double(n) / 1024) }
        return String(format: "%.1f MiB", Double(n) / 1048576)
    }

    static func dateRange(_ p: CorpusSummary.Profile) -> String {
        guard let a = p.firstDate, let b = p.lastDate else { return "no dates found" }
        return "\(a) to \(b) (\(p.dated) of \(p.profiled) files dated)"
    }

    public static func text(_ s: CorpusSummary, top: Int = 10) -> String {
        var out = "Corpus health: \(String(format: "%.1f", s.corpusScore)) / 100 (\(s.cleanFiles) of \(s.files) files clean)\n"
        out += "Files: \(s.files), \(bytes(s.bytes))\n"
        out += "Diagnostics: \(s.total) (\(s.errors) errors, \(s.warnings) warnings, \(s.infos) info); "
        out += "\(s.fixableSafe) fixable with --fix, \(s.fixableUnsafe) more with --unsafe-fixes\n"
        if !s.families.isEmpty {
            out += "\nBy family:\n"
            let w = s.families.map(\.family.count).max() ?? 6
            for f in s.families {
                out += "  " + f.family.padding(toLength: w, withPad: " ", startingAt: 0) + "  \(f.total)  (\(f.errors) E, \(f.warnings) W, \(f.infos) I)\n"
            }
        }
        if !s.rules.isEmpty {
            out += "\nBy rule (ranked by files affected):\n"
            let w = s.rules.map(\.rule.count).max() ?? 4
            for r in s.rules {
                out += "  " + String(format: "%6d", r.files) + " files " + String(format: "%7d", r.count) + "  " + r.rule.padding(toLength: w, withPad: " ", startingAt: 0)
                out += r.fixable > 0 ? "  [\(r.fixable) fixable]\n" : "\n"
            }
        }
        let worst = s.fileHealth.filter { $0.total > 0 }.prefix(top)
        if !worst.isEmpty {
            out += "\nWorst files:\n"
            for f in worst {
                out += "  " + String(format: "%3d", f.score) + "  \(f.path)  (\(f.errors) E, \(f.warnings) W, \(f.infos) I)\n"
            }
        }
        let p = s.profile
        if p.profiled > 0 {
            out += "\nProfile (\(p.profiled) files):\n"
            out += "  front matter:  \(p.withFrontMatter) (\(pct(p.withFrontMatter, p.profiled)))\n"
            out += "  script:        " + ScriptClass.allCases.map { "\($0.rawValue) \(p.scripts[$0] ?? 0)" }.joined(separator: ", ") + "\n"
            out += "  images:        \(p.images) in \(p.withImages) files; \(p.withBrokenImages) files with broken images\n"
            out += "  duplicates:    \(p.slugGroups.count) slug groups, \(p.contentGroups.count) content groups\n"
            for g in p.slugGroups { out += "    slug:    " + g.joined(separator: ", ") + "\n" }
            for g in p.contentGroups { out += "    content: " + g.joined(separator: ", ") + "\n" }
            out += "  dates:         \(dateRange(p))\n"
        }
        out += "\nScore: \(scoreFormula)\n"
        return out
    }

    static func mdCell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
    static func mdCode(_ s: String) -> String { s.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|") }

    static func markdownRuleTable(_ s: CorpusSummary) -> String {
        var out = "| Rule | Family | Files | Count | Errors | Warnings | Info | Fixable |\n|---|---|---:|---:|---:|---:|---:|---:|\n"
        for r in s.rules {
            out += "| `\(r.rule)` | \(r.family) | \(r.files) | \(r.count) | \(r.errors) | \(r.warnings) | \(r.infos) | \(r.fixable) |\n"
        }
        return out
    }

    public static func markdown(_ s: CorpusSummary, top: Int = 10) -> String {
        var out = "## newslint corpus report\n\n"
        out += "**Health \(String(format: "%.1f", s.corpusScore)) / 100** · \(s.files) files (\(bytes(s.bytes))) · \(s.cleanFiles) clean · "
        out += "\(s.total) diagnostics: \(s.errors) errors, \(s.warnings) warnings, \(s.infos) info · "
        out += "\(s.fixableSafe) fixable with `--fix`, \(s.fixableUnsafe) with `--unsafe-fixes`\n\n"
        if !s.families.isEmpty {
            out += "| Family | Errors | Warnings | Info | Total |\n|---|---:|---:|---:|---:|\n"
            for f in s.families { out += "| \(f.family) | \(f.errors) | \(f.warnings) | \(f.infos) | \(f.total) |\n" }
            out += "\n"
            out += markdownRuleTable(s) + "\n"
        }
        let worst = s.fileHealth.filter { $0.total > 0 }.prefix(top)
        if !worst.isEmpty {
            out += "| Worst files | Score | Errors | Warnings | Info |\n|---|---:|---:|---:|---:|\n"
            for f in worst { out += "| `\(mdCode(f.path))` | \(f.score) | \(f.errors) | \(f.warnings) | \(f.infos) |\n" }
            out += "\n"
        }
        let p = s.profile
        if p.profiled > 0 {
            out += "| Profile | |\n|---|---|\n"
            out += "| Front matter | \(p.withFrontMatter) of \(p.profiled) (\(pct(p.withFrontMatter, p.profiled))) |\n"
            for c in ScriptClass.allCases { out += "| Script: \(c.rawValue) | \(p.scripts[c] ?? 0) (\(pct(p.scripts[c] ?? 0, p.profiled))) |\n" }
            out += "| Images | \(p.images) in \(p.withImages) files; \(p.withBrokenImages) files with broken images |\n"
            out += "| Duplicate slugs | \(p.slugGroups.count) groups |\n"
            out += "| Duplicate content | \(p.contentGroups.count) groups |\n"
            out += "| Dates | \(dateRange(p)) |\n\n"
        }
        out += "<sub>\(scoreFormula)</sub>\n"
        return out
    }

    public static func json(_ s: CorpusSummary, top: Int = 10) -> String {
        func arr(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
        var totals = JSONObjectBuilder()
        totals.add("files", int: s.files)
        totals.add("bytes", int: s.bytes)
        totals.add("diagnostics", int: s.total)
        totals.add("errors", int: s.errors)
        totals.add("warnings", int: s.warnings)
        totals.add("info", int: s.infos)
        totals.add("fixableSafe", int: s.fixableSafe)
        totals.add("fixableUnsafe", int: s.fixableUnsafe)
        totals.add("cleanFiles", int: s.cleanFiles)
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
            o.add("path", string: f.path); o.add("score", int: f.score)
            o.add("errors", int: f.errors); o.add("warnings", int: f.warnings); o.add("info", int: f.infos)
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
        prof.add("duplicateSlugGroups", arr(p.slugGroups.map { arr($0.map(JSONWriter.quote)) }))
        prof.add("duplicateContentGroups", arr(p.contentGroups.map { arr($0.map(JSONWriter.quote)) }))
        prof.add("firstDate", p.firstDate.map(JSONWriter.quote) ?? "null")
        prof.add("lastDate", p.lastDate.map(JSONWriter.quote) ?? "null")
        prof.add("datedFiles", int: p.dated)
        var score = JSONObjectBuilder()
        score.add("corpus", String(format: "%.1f", s.corpusScore))
        score.add("formula", string: scoreFormula)
        var o = JSONObjectBuilder()
        o.add("version", int: 1)
        o.add("totals", totals.json)
        o.add("score", score.json)
        o.add("families", arr(families))
        o.add("rules", arr(rules))
        o.add("files", arr(files))
        o.add("profile", prof.json)
        _ = top
        return o.json + "\n"
    }
}
