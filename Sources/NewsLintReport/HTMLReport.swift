import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// The corpus health report as one self-contained HTML file: inline CSS and inline SVG
/// charts, no scripts, no network. It reads top down as a curator asks: what is wrong and what to
/// run (verdict, problems ranked with an example and the command), since when and where (months,
/// sources), then the files and lines behind every count (collapsible drill-down lists, limited to
/// `listLimit` entries so a 200,000-file report stays a size a browser opens). It is also
/// well-formed XML (every element closed, text escaped), so tests parse it with an XML parser;
/// key numbers carry `data-metric`, problem rows `data-problem`, drill-down lists `data-listed`.
public enum HTMLReport {
    package static let css = """
    :root{--err:#d1242f;--warn:#d4a72c;--info:#0969da;--ok:#1a7f37;--ink:#1f2328;--mute:#656d76;--line:#d0d7de;--bg:#f6f8fa}
    *{box-sizing:border-box}
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;color:var(--ink);margin:0;background:#fff}
    header{padding:20px 32px;border-bottom:1px solid var(--line);background:var(--bg)}
    header h1{margin:0;font-size:22px}
    header p{margin:4px 0 0;color:var(--mute)}
    main{padding:16px 32px 40px;max-width:1180px}
    .cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 12px}
    .card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;flex:1 1 0;min-width:96px;background:#fff}
    .card .v{font-size:24px;font-weight:600}
    .card a{text-decoration:none}
    .card .k{color:var(--mute);font-size:11px;text-transform:uppercase;letter-spacing:.03em}
    .grid{display:grid;grid-template-columns:1fr 1fr;gap:20px}
    section{margin:18px 0}
    h2{font-size:16px;margin:0 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
    table{border-collapse:collapse;width:100%;font-size:13px}
    th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
    th{background:var(--bg);font-weight:600}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    td.path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
    .legend span{display:inline-block;margin-right:14px;color:var(--mute);font-size:12px}
    .legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
    .muted{color:var(--mute)}
    footer{color:var(--mute);font-size:12px;margin-top:28px}
    svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#1f2328}
    a{color:inherit}
    .verdict{font-size:16px;margin:4px 0}
    code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
    code.cmd{display:inline-block;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:1px 5px;word-break:break-all}
    .kind{font-weight:600}
    .sev{font-size:11px;border-radius:8px;padding:0 6px;color:#fff}
    .sev.error{background:var(--err)}.sev.warning{background:#9a6700}.sev.info{background:var(--info)}
    .remedy{font-size:12px;font-weight:600}
    .remedy.fix{color:var(--ok)}.remedy.unsafe-fix{color:#9a6700}.remedy.learn{color:#8250df}.remedy.manual{color:var(--mute)}
    td.example{max-width:380px}
    .loc{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:11px;color:var(--mute);word-break:break-all}
    .ex{font-size:13px}
    mark{background:#ffd8b5;border-radius:2px;padding:0 1px}
    details{margin:4px 0}
    summary{cursor:pointer}
    ol.findings{font-size:13px;margin:4px 0 10px;padding-left:36px}
    ol.findings li{margin:2px 0}
    .msg{color:var(--mute);font-size:12px}
    .tag{font-size:11px;background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:0 6px}
    .path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
    """

    package static func esc(_ s: String) -> String { JUnitReporter.escape(s) }

    package static func scoreColor(_ score: Double) -> String {
        score >= 90 ? "#1a7f37" : (score >= 70 ? "#9a6700" : "#d1242f")
    }

    /// Rows of the problems table and drill-down sections shown at most (each has its own list limit).
    package static let problemRowLimit = 60

    public static func render(_ s: CorpusSummary, title: String = "newslint corpus report", generated: String? = nil, top: Int = 15) -> String {
        var h = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>\(esc(title))</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n"
        h += "<header><h1>\(esc(title))</h1><p>newslint \(NewsLintVersion.current) · \(SummaryRenderer.count(s.files, "file")), \(esc(SummaryRenderer.bytes(s.bytes)))\(generated.map { " · " + esc($0) } ?? "")</p></header>\n<main>\n"

        // What is wrong and what to run, before any number.
        // `code` spans of the verdict as <code>.
        let verdict = SummaryRenderer.verdict(s).split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 1 ? "<code>\(esc(String($0.element)))</code>" : esc(String($0.element)) }.joined()
        h += "<section id=\"verdict\"><p class=\"verdict\">\(verdict)</p>"
        if let first = s.problems.first(where: { $0.remedy == .fix }) {
            h += "<p>Start with: <code class=\"cmd\">\(esc(first.command(scope: s.scope)))</code> <span class=\"muted\">(\(esc(first.rule)): \(first.safeFixes) findings in \(first.files) files; add <code>--diff</code> to preview)</span></p>"
        }
        h += "</section>\n"

        func card(_ key: String, _ value: String, _ label: String, color: String? = nil, link: String? = nil) -> String {
            let v = "<div class=\"v\"\(color.map { " style=\"color:\($0)\"" } ?? "") data-metric=\"\(key)\">\(esc(value))</div>"
            return "<div class=\"card\">" + (link.map { "<a href=\"\($0)\">\(v)</a>" } ?? v) + "<div class=\"k\">\(esc(label))</div></div>"
        }
        h += "<div class=\"cards\">"
        h += card("score", String(format: "%.1f", s.corpusScore), "health score / 100", color: scoreColor(s.corpusScore), link: "#scores")
        h += card("files", "\(s.files)", "files")
        h += card("files-with-findings", "\(s.filesWithFindings)", "files with findings (\(SummaryRenderer.pct(s.filesWithFindings, s.files)))", link: "#worst-files")
        h += card("problems", "\(s.problems.count)", "problem classes", link: "#problems")
        h += card("diagnostics", "\(s.total)", "findings")
        h += card("errors", "\(s.errors)", "errors", color: s.errors > 0 ? "#d1242f" : nil)
        h += card("warnings", "\(s.warnings)", "warnings", color: s.warnings > 0 ? "#9a6700" : nil)
        if s.infos > 0 { h += card("info", "\(s.infos)", "info") }
        h += card("fixable", "\(s.fixableSafe)", "fixable with --fix")
        h += "</div>\n<p class=\"muted score-sentence\">Health score: \(esc(SummaryRenderer.scoreSentence(s)))</p>\n"

        h += problemsTable(s)
        h += "<div class=\"grid\">\n"
        h += "<section id=\"months\"><h2>Over time: points per 1,000 characters by \(s.timeUnit) of article date</h2>\n" + monthChart(s) + "</section>\n"
        h += "<section id=\"sources\"><h2>By source: points per 1,000 characters</h2>\n" + sourceChart(s, top: 20) + "</section>\n"
        h += "</div>\n"
        h += drillDown(s)
        h += worstFiles(s, top: top)
        h += duplicates(s)

        // Profile.
        let p = s.profile
        h += "<div class=\"grid\">\n<section><h2>Corpus profile</h2>\n"
        h += "<table id=\"profile\"><tbody>\n"
        func row(_ key: String, _ label: String, _ value: String, _ detail: String = "") -> String {
            "<tr><th>\(esc(label))</th><td class=\"n\" data-metric=\"\(key)\">\(esc(value))</td><td class=\"muted\">\(esc(detail))</td></tr>\n"
        }
        h += row("profiled", "Files profiled", "\(p.profiled)")
        h += row("characters", "Characters", "\(s.characters)")
        h += row("front-matter", "With front matter", "\(p.withFrontMatter)", SummaryRenderer.pct(p.withFrontMatter, p.profiled))
        h += row("images", "Images", "\(p.images)", "in \(p.withImages) files")
        h += row("broken-images", "Files with broken images", "\(p.withBrokenImages)")
        h += row("slug-groups", "Duplicate-slug groups", "\(p.slugGroups.count)", "see Duplicates")
        h += row("content-groups", "Duplicate-content groups", "\(p.contentGroups.count)", "see Duplicates")
        h += row("near-groups", "Near-duplicate clusters", "\(p.nearGroups.count)", "see Duplicates")
        h += row("date-range", "Article dates", p.firstDate.map { "\($0) – \(p.lastDate ?? $0)" } ?? "none", "\(p.dated) of \(p.profiled) dated")
        h += "</tbody></table>\n</section>\n"
        h += "<section><h2>Script</h2>\n" + scriptChart(p) + "</section>\n</div>\n"

        h += "<div class=\"grid\">\n"
        h += "<section><h2>Findings per family</h2>\n" + familyChart(s) + "</section>\n"
        h += "<section><h2>Rules</h2>\n"
        if s.rules.isEmpty {
            h += "<p class=\"muted\">No diagnostics.</p>\n"
        } else {
            h += "<table id=\"rules\"><thead><tr><th>Rule</th><th class=\"n\">Files</th><th class=\"n\">Findings</th><th class=\"n\">E</th><th class=\"n\">W</th><th class=\"n\">I</th><th class=\"n\">Fixable</th></tr></thead><tbody>\n"
            for r in s.rules {
                h += "<tr><td><code>\(esc(r.rule))</code></td><td class=\"n\">\(r.files)</td><td class=\"n\" data-rule=\"\(esc(r.rule))\">\(r.count)</td><td class=\"n\">\(r.errors)</td><td class=\"n\">\(r.warnings)</td><td class=\"n\">\(r.infos)</td><td class=\"n\">\(r.fixable)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "</section>\n</div>\n"
        h += "<footer>Health score: \(esc(SummaryRenderer.scoreFormula)). Lists are limited to \(s.listLimit) entries (<code>newslint report --limit N</code>); "
        h += "every finding: <code>newslint --format jsonl \(esc(scopeText(s)))</code>.</footer>\n"
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    package static func scopeText(_ s: CorpusSummary) -> String {
        s.scope.isEmpty ? "." : s.scope.map(ShellQuote.quote).joined(separator: " ")
    }

    package static func severityBadge(_ sev: Severity) -> String {
        "<span class=\"sev \(sev.rawValue)\">\(sev.rawValue)</span>"
    }

    /// A line quoted from the corpus. The report's own words are English (`lang="en"` on the page);
    /// a quoted line with Chinese characters says it is Chinese, so a screen reader or a browser's
    /// font choice treats it as Chinese rather than as English. (Just `zh`: a line's script is not
    /// known here, and `zh` covers Traditional, Simplified and Cantonese text alike.)
    package static func excerptHTML(_ e: Excerpt) -> String {
        let chinese = [e.before, e.marked, e.after].contains { $0.unicodeScalars.contains { $0.properties.isIdeographic } }
        return "<span class=\"ex\"\(chinese ? " lang=\"zh\"" : "")>\(esc(e.before))<mark>\(esc(e.marked))</mark>\(esc(e.after))</span>"
    }

    package static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// The ranked problems: one row per rule and message kind.
    package static func problemsTable(_ s: CorpusSummary) -> String {
        var h = "<section id=\"problems\"><h2>Problems, ranked</h2>\n"
        guard !s.problems.isEmpty else { return h + "<p class=\"muted\">No problems found.</p></section>\n" }
        h += "<p class=\"muted\">One row per rule and kind of message, ordered by files affected × severity weight (error 10, warning 3, info 1). "
        h += "Each count opens the list of files and lines behind it (below, under Drill-down).</p>\n"
        h += "<table id=\"problem-table\"><thead><tr><th class=\"n\">#</th><th>Problem</th><th class=\"n\">Files</th><th class=\"n\">Findings</th><th>Example</th><th>Fix</th></tr></thead><tbody>\n"
        for (i, p) in s.problems.prefix(problemRowLimit).enumerated() {
            h += "<tr data-problem=\"\(p.id)\"><td class=\"n\">\(i + 1)</td>"
            h += "<td><div class=\"kind\">\(esc(p.kind))</div><code>\(esc(p.rule))</code> \(severityBadge(p.severity))</td>"
            h += "<td class=\"n\"><a href=\"#\(p.id)\" data-files=\"\(p.files)\">\(p.files)</a><div class=\"muted\">\(esc(SummaryRenderer.pct(p.files, s.files)))</div></td>"
            h += "<td class=\"n\"><a href=\"#\(p.id)\" data-findings=\"\(p.findings)\">\(p.findings)</a></td>"
            h += "<td class=\"example\">"
            if let e = p.example {
                h += "<div class=\"loc\" title=\"\(esc(SystemPath.display(e.path)))\">\(esc(SystemPath.display(fileName(e.path)))):\(e.line)</div>"
                if let x = e.excerpt { h += excerptHTML(x) } else { h += "<span class=\"msg\">\(esc(SummaryRenderer.shortMessage(e.message)))</span>" }
            }
            h += "</td><td><div class=\"remedy \(p.remedy.rawValue)\">\(esc(p.remedyText))</div><code class=\"cmd\">\(esc(p.command(scope: s.scope)))</code></td></tr>\n"
        }
        h += "</tbody></table>\n"
        if s.problems.count > problemRowLimit {
            h += "<p class=\"muted\" id=\"problems-limit\">Showing \(problemRowLimit) of \(s.problems.count) problem classes; <code>newslint report --format json</code> lists all.</p>\n"
        }
        return h + "</section>\n"
    }

    /// Every problem's findings, up to the list limit, in collapsible sections.
    package static func drillDown(_ s: CorpusSummary) -> String {
        guard !s.problems.isEmpty else { return "" }
        var h = "<section id=\"drill-down\"><h2>Drill-down: the findings behind each problem</h2>\n"
        h += "<p class=\"muted\">Each list shows the first \(s.listLimit) findings at most, in path order; "
        h += "every finding of a rule: <code>newslint --select RULE --format jsonl \(esc(scopeText(s)))</code>.</p>\n"
        for (i, p) in s.problems.prefix(problemRowLimit).enumerated() {
            h += "<details id=\"\(p.id)\" data-listed=\"\(p.samples.count)\" data-total=\"\(p.findings)\" data-limit=\"\(s.listLimit)\">"
            h += "<summary><b>\(i + 1).</b> <code>\(esc(p.rule))</code> \(esc(p.kind)) — \(SummaryRenderer.count(p.findings, "finding")) in \(SummaryRenderer.count(p.files, "file"))"
            if p.samples.count < p.findings { h += " <span class=\"muted\">(first \(p.samples.count) listed)</span>" }
            h += "</summary>\n<ol class=\"findings\">\n"
            for f in p.samples {
                h += "<li data-path=\"\(esc(SystemPath.display(f.path)))\"><span class=\"loc\">\(esc(SystemPath.display(f.path))):\(f.line):\(f.column)</span> "
                if let x = f.excerpt { h += excerptHTML(x) + " " }
                h += "<span class=\"msg\">\(esc(f.message))</span></li>\n"
            }
            h += "</ol>\n"
            if p.samples.count < p.findings {
                h += "<p class=\"muted limit\">Limited to \(s.listLimit) of \(p.findings) findings; all: <code>newslint --select \(esc(p.rule)) --format jsonl \(esc(scopeText(s)))</code></p>\n"
            }
            h += "</details>\n"
        }
        return h + "</section>\n"
    }

    /// Worst files by defect density, with the score explained.
    package static func worstFiles(_ s: CorpusSummary, top: Int) -> String {
        var h = "<section id=\"scores\"><h2>File health</h2>\n<div class=\"grid\"><div>\n"
        h += "<p>A file's score is <code>100 / (1 + D/10)</code>, where <code>D</code> is its findings' weight (error 10, warning 3, info 1) "
        h += "per 1,000 characters; files shorter than 1,000 characters count as 1,000. A clean file scores 100, one error or three warnings "
        h += "per 1,000 characters score 50, and a score never bottoms out, so the worst files below are really the worst.</p>\n"
        h += "</div><div>" + scoreHistogram(s) + "</div></div>\n"
        let worst = s.fileHealth.filter { $0.total > 0 }.prefix(top)
        if worst.isEmpty {
            h += "<p class=\"muted\">Every file is clean.</p>\n"
        } else {
            h += "<table id=\"worst-files\"><thead><tr><th>File</th><th class=\"n\">Score</th><th>Health</th><th class=\"n\">Points / 1k chars</th><th class=\"n\">Characters</th><th class=\"n\">E</th><th class=\"n\">W</th><th class=\"n\">I</th></tr></thead><tbody>\n"
            for f in worst {
                let c = scoreColor(Double(f.score))
                h += "<tr><td class=\"path\">\(esc(SystemPath.display(f.path)))</td><td class=\"n\" style=\"color:\(c)\">\(f.score)</td>"
                h += "<td><svg width=\"120\" height=\"10\" role=\"img\" aria-label=\"score \(f.score)\"><rect width=\"120\" height=\"10\" rx=\"2\" fill=\"#eaeef2\"/><rect width=\"\(f.score * 120 / 100)\" height=\"10\" rx=\"2\" fill=\"\(c)\"/></svg></td>"
                h += "<td class=\"n\">\(SummaryRenderer.density(f.density))</td><td class=\"n\">\(f.characters)</td>"
                h += "<td class=\"n\">\(f.errors)</td><td class=\"n\">\(f.warnings)</td><td class=\"n\">\(f.infos)</td></tr>\n"
            }
            h += "</tbody></table>\n<p class=\"muted\">The \(worst.count) files with the most findings per character (of \(s.filesWithFindings) with findings; <code>--top N</code>).</p>\n"
        }
        return h + "</section>\n"
    }

    /// Duplicate and near-duplicate clusters, each collapsible, canonical member first.
    package static func duplicates(_ s: CorpusSummary) -> String {
        guard !s.clusters.isEmpty else { return "" }
        var h = "<section id=\"duplicates\"><h2>Duplicates</h2>\n"
        h += "<p class=\"muted\">\(s.clusters.count) groups of files with the same body, nearly the same body or the same slug. "
        h += "The canonical member (the one to keep: the earliest dated, then the shortest path) is listed first.</p>\n"
        let shown = s.clusters.prefix(s.listLimit)
        for (i, c) in shown.enumerated() {
            h += "<details class=\"cluster\" id=\"cluster-\(i + 1)\" data-members=\"\(c.members.count)\"><summary><span class=\"tag\">\(c.kind.rawValue)</span> \(c.members.count) files · keep <span class=\"path\">\(esc(SystemPath.display(fileName(c.canonical))))</span></summary>\n<ul>\n"
            for m in c.members {
                h += "<li class=\"path\">\(esc(SystemPath.display(m)))\(m == c.canonical ? " <b>(canonical)</b>" : "")</li>\n"
            }
            h += "</ul></details>\n"
        }
        if s.clusters.count > shown.count {
            h += "<p class=\"muted limit\">Limited to \(shown.count) of \(s.clusters.count) groups; <code>newslint report --format json</code> lists all.</p>\n"
        }
        return h + "</section>\n"
    }

    package static func densityColor(_ d: Double) -> String {
        d < 2 ? "#1a7f37" : (d < 5 ? "#7cb342" : (d < 10 ? "#d4a72c" : (d < 20 ? "#e16f24" : "#d1242f")))
    }

    /// Density per month (or day) as columns (dated files only; undated files in the table).
    package static func monthChart(_ s: CorpusSummary) -> String {
        let dated = s.timeline.filter { $0.name != "undated" }
        guard !dated.isEmpty else { return "<p class=\"muted\">No article dates (front matter <code>date</code> or a file name starting <code>YYYY-MM-DD-</code>).</p>\n" }
        let chartW = 520, chartH = 150, left = 40
        let colW = max(3, min(60, chartW / dated.count))
        let maxD = max(0.01, dated.map(\.density).max() ?? 1)
        var g = "<svg id=\"month-chart\" width=\"\(left + colW * dated.count + 10)\" height=\"\(chartH + 44)\" role=\"img\" aria-label=\"points per 1,000 characters by \(s.timeUnit)\">\n"
        g += "<text x=\"0\" y=\"14\">\(SummaryRenderer.density(maxD))</text><text x=\"0\" y=\"\(chartH + 14)\">0</text>\n"
        g += "<line x1=\"\(left - 4)\" y1=\"\(chartH + 10)\" x2=\"\(left + colW * dated.count)\" y2=\"\(chartH + 10)\" stroke=\"#d0d7de\"/>\n"
        // Labels no closer than their width (a day reads MM-DD, a month YYYY-MM).
        let labelEvery = max(1, (64 + colW - 1) / colW)
        for (i, b) in dated.enumerated() {
            let hgt = b.files == 0 ? 0 : max(1, Int(b.density / maxD * Double(chartH)))
            let x = left + i * colW
            g += "<rect x=\"\(x + 1)\" y=\"\(chartH + 10 - hgt)\" width=\"\(max(1, colW - 2))\" height=\"\(hgt)\" fill=\"\(densityColor(b.density))\"><title>\(esc(b.name)): \(SummaryRenderer.density(b.density)) per 1,000 characters; \(b.filesWithFindings) of \(b.files) files with findings</title></rect>\n"
            if i % labelEvery == 0 {
                let label = s.timeUnit == "day" ? String(b.name.dropFirst(5)) : b.name
                g += "<text x=\"\(x)\" y=\"\(chartH + 28)\">\(esc(label))</text>\n"
            }
        }
        g += "</svg>\n"
        g += "<details><summary>Table (\(s.timeline.count) \(s.timeUnit)s)</summary><table id=\"month-table\"><thead><tr><th>\(s.timeUnit.capitalized)</th><th class=\"n\">Files</th><th class=\"n\">With findings</th><th class=\"n\">Findings</th><th class=\"n\">Points / 1k chars</th><th class=\"n\">Score</th></tr></thead><tbody>\n"
        for b in s.timeline { g += bucketRow(b) }
        g += "</tbody></table></details>\n"
        return g
    }

    package static func bucketRow(_ b: CorpusSummary.Bucket) -> String {
        "<tr data-bucket=\"\(esc(b.name))\"><td>\(esc(b.name))</td><td class=\"n\">\(b.files)</td><td class=\"n\">\(b.filesWithFindings)</td><td class=\"n\">\(b.findings)</td><td class=\"n\">\(SummaryRenderer.density(b.density))</td><td class=\"n\">\(String(format: "%.1f", b.score))</td></tr>\n"
    }

    /// Density per source as horizontal bars, worst first.
    package static func sourceChart(_ s: CorpusSummary, top: Int) -> String {
        guard !s.sources.isEmpty else { return "<p class=\"muted\">No files.</p>\n" }
        let shown = s.sources.prefix(top)
        let labelW = 170, barW = 300, rowH = 22
        let maxD = max(0.01, shown.map(\.density).max() ?? 1)
        var g = "<svg id=\"source-chart\" width=\"\(labelW + barW + 120)\" height=\"\(shown.count * rowH + 6)\" role=\"img\" aria-label=\"points per 1,000 characters by source\">\n"
        for (i, b) in shown.enumerated() {
            let y = i * rowH + 3
            let w = max(1, Int(b.density / maxD * Double(barW)))
            let name = b.name.count > 24 ? String(b.name.prefix(23)) + "…" : b.name
            g += "<text x=\"0\" y=\"\(y + 14)\">\(esc(name))</text>\n"
            g += "<rect x=\"\(labelW)\" y=\"\(y)\" width=\"\(w)\" height=\"17\" rx=\"2\" fill=\"\(densityColor(b.density))\"><title>\(esc(b.name)): \(b.filesWithFindings) of \(b.files) files with findings</title></rect>\n"
            g += "<text x=\"\(labelW + w + 6)\" y=\"\(y + 14)\">\(SummaryRenderer.density(b.density)) · \(b.files) files</text>\n"
        }
        g += "</svg>\n"
        if s.sources.count > shown.count { g += "<p class=\"muted\">The \(shown.count) worst of \(s.sources.count) sources.</p>\n" }
        g += "<details><summary>Table (\(s.sources.count) sources)</summary><table id=\"source-table\"><thead><tr><th>Source</th><th class=\"n\">Files</th><th class=\"n\">With findings</th><th class=\"n\">Findings</th><th class=\"n\">Points / 1k chars</th><th class=\"n\">Score</th></tr></thead><tbody>\n"
        for b in s.sources.prefix(s.listLimit) { g += bucketRow(b) }
        g += "</tbody></table>"
        if s.sources.count > s.listLimit { g += "<p class=\"muted limit\">Limited to \(s.listLimit) of \(s.sources.count) sources; <code>--format json</code> lists all.</p>" }
        g += "</details>\n"
        return g
    }

    package static func legend(_ items: [(String, String)]) -> String {
        "<div class=\"legend\">" + items.map { "<span><i style=\"background:\($0.1)\"></i>\(esc($0.0))</span>" }.joined() + "</div>\n"
    }

    /// Horizontal stacked bars (errors, warnings, info) per family.
    package static func familyChart(_ s: CorpusSummary) -> String {
        guard !s.families.isEmpty else { return "<p class=\"muted\">No diagnostics.</p>\n" }
        let labelW = 110, barW = 380, rowH = 26
        let maxTotal = max(1, s.families.map(\.total).max() ?? 1)
        let height = s.families.count * rowH + 8
        var g = "<svg id=\"family-chart\" width=\"\(labelW + barW + 60)\" height=\"\(height)\" role=\"img\" aria-label=\"diagnostics per family\">\n"
        for (i, f) in s.families.enumerated() {
            let y = i * rowH + 4
            g += "<text x=\"0\" y=\"\(y + 15)\">\(esc(f.family))</text>\n"
            var x = labelW
            for (n, color) in [(f.errors, "#d1242f"), (f.warnings, "#d4a72c"), (f.infos, "#0969da")] where n > 0 {
                let w = max(2, n * barW / maxTotal)
                g += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"20\" rx=\"2\" fill=\"\(color)\"><title>\(n)</title></rect>\n"
                x += w
            }
            g += "<text x=\"\(x + 6)\" y=\"\(y + 15)\" data-family=\"\(esc(f.family))\">\(f.total)</text>\n"
        }
        g += "</svg>\n"
        return g + legend([("error", "#d1242f"), ("warning", "#d4a72c"), ("info", "#0969da")])
    }

    /// Files per score bucket.
    package static func scoreHistogram(_ s: CorpusSummary) -> String {
        let buckets = ["0–49", "50–69", "70–89", "90–99", "100"]
        var counts = [Int](repeating: 0, count: buckets.count)
        for f in s.fileHealth {
            let b = f.score == 100 ? 4 : (f.score >= 90 ? 3 : (f.score >= 70 ? 2 : (f.score >= 50 ? 1 : 0)))
            counts[b] += 1
        }
        let colors = ["#d1242f", "#e16f24", "#d4a72c", "#7cb342", "#1a7f37"]
        let maxCount = max(1, counts.max() ?? 1)
        let colW = 80, chartH = 150
        var g = "<svg id=\"score-chart\" width=\"\(buckets.count * colW + 20)\" height=\"\(chartH + 40)\" role=\"img\" aria-label=\"files per health score\">\n"
        for (i, c) in counts.enumerated() {
            let h = c == 0 ? 0 : max(2, c * chartH / maxCount)
            let x = 10 + i * colW
            g += "<rect x=\"\(x + 10)\" y=\"\(chartH - h + 16)\" width=\"\(colW - 20)\" height=\"\(h)\" rx=\"2\" fill=\"\(colors[i])\"/>\n"
            g += "<text x=\"\(x + colW / 2)\" y=\"\(chartH - h + 12)\" text-anchor=\"middle\" data-bucket=\"\(buckets[i])\">\(c)</text>\n"
            g += "<text x=\"\(x + colW / 2)\" y=\"\(chartH + 34)\" text-anchor=\"middle\">\(buckets[i])</text>\n"
        }
        g += "</svg>\n<p class=\"muted\">Files per health score.</p>\n"
        return g
    }

    /// One stacked bar of the script shares.
    package static func scriptChart(_ p: CorpusSummary.Profile) -> String {
        guard p.profiled > 0 else { return "<p class=\"muted\">No files profiled.</p>\n" }
        let items: [(ScriptClass, String)] = [(.simplified, "#0969da"), (.traditional, "#8250df"), (.mixed, "#e16f24"), (.undetermined, "#8c959f")]
        let width = 460
        var g = "<svg id=\"script-chart\" width=\"\(width)\" height=\"34\" role=\"img\" aria-label=\"script share\">\n"
        var x = 0
        for (c, color) in items {
            let n = p.scripts[c] ?? 0
            guard n > 0 else { continue }
            let w = n * width / p.profiled
            g += "<rect x=\"\(x)\" y=\"2\" width=\"\(w)\" height=\"28\" fill=\"\(color)\"><title>\(c.rawValue): \(n)</title></rect>\n"
            x += w
        }
        g += "</svg>\n"
        g += "<table id=\"script\"><tbody>\n"
        for (c, color) in items {
            let n = p.scripts[c] ?? 0
            g += "<tr><th><span class=\"legend\"><i style=\"background:\(color)\"></i></span>\(c.rawValue)</th><td class=\"n\" data-metric=\"script-\(c.rawValue)\">\(n)</td><td class=\"muted\">\(esc(SummaryRenderer.pct(n, p.profiled)))</td></tr>\n"
        }
        g += "</tbody></table>\n"
        return g
    }
}
