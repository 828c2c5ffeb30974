import Foundation

/// The corpus health report as one self-contained HTML file: inline CSS and inline SVG
/// charts, no scripts, no network. It is also well-formed XML (every element closed,
/// text escaped), so tests parse it with an XML parser; key numbers carry `data-metric`.
public enum HTMLReport {
    static let css = """
    :root{--err:#d1242f;--warn:#d4a72c;--info:#0969da;--ok:#1a7f37;--ink:#1f2328;--mute:#656d76;--line:#d0d7de;--bg:#f6f8fa}
    *{box-sizing:border-box}
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;color:var(--ink);margin:0;background:#fff}
    header{padding:20px 32px;border-bottom:1px solid var(--line);background:var(--bg)}
    header h1{margin:0;font-size:22px}
    header p{margin:4px 0 0;color:var(--mute)}
    main{padding:16px 32px 40px;max-width:1180px}
    .cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 20px}
    .card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:150px;background:#fff}
    .card .v{font-size:26px;font-weight:600}
    .card .k{color:var(--mute);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
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
    """

    static func esc(_ s: String) -> String { JUnitReporter.escape(s) }

    static func scoreColor(_ score: Double) -> String {
        score >= 90 ? "#1a7f37" : (score >= 70 ? "#9a6700" : "#d1242f")
    }

    public static func render(_ s: CorpusSummary, title: String = "newslint corpus report", generated: String? = nil, top: Int = 15) -> String {
        var h = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>\(esc(title))</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n"
        h += "<header><h1>\(esc(title))</h1><p>newslint \(NewsLintCLI.version)\(generated.map { " · " + esc($0) } ?? "")</p></header>\n<main>\n"

        // Headline cards.
        func card(_ key: String, _ value: String, _ label: String, color: String? = nil) -> String {
            "<div class=\"card\"><div class=\"v\"\(color.map { " style=\"color:\($0)\"" } ?? "") data-metric=\"\(key)\">\(esc(value))</div><div class=\"k\">\(esc(label))</div></div>"
        }
        h += "<div class=\"cards\">"
        h += card("score", String(format: "%.1f", s.corpusScore), "health score / 100", color: scoreColor(s.corpusScore))
        h += card("files", "\(s.files)", "files (\(SummaryRenderer.bytes(s.bytes)))")
        h += card("clean", "\(s.cleanFiles)", "clean files")
        h += card("diagnostics", "\(s.total)", "diagnostics")
        h += card("errors", "\(s.errors)", "errors", color: s.errors > 0 ? "#d1242f" : nil)
        h += card("warnings", "\(s.warnings)", "warnings", color: s.warnings > 0 ? "#9a6700" : nil)
        h += card("info", "\(s.infos)", "info")
        h += card("fixable", "\(s.fixableSafe)", "fixable with --fix")
        h += "</div>\n"

        h += "<div class=\"grid\">\n"
        h += "<section><h2>Diagnostics per family</h2>\n" + familyChart(s) + "</section>\n"
        h += "<section><h2>File health</h2>\n" + scoreHistogram(s) + "</section>\n"
        h += "</div>\n"

        // Worst files.
        let worst = s.fileHealth.filter { $0.total > 0 }.prefix(top)
        h += "<section><h2>Worst files</h2>\n"
        if worst.isEmpty {
            h += "<p class=\"muted\">Every file is clean.</p>\n"
        } else {
            h += "<table id=\"worst-files\"><thead><tr><th>File</th><th class=\"n\">Score</th><th>Health</th><th class=\"n\">Errors</th><th class=\"n\">Warnings</th><th class=\"n\">Info</th></tr></thead><tbody>\n"
            for f in worst {
                let c = scoreColor(Double(f.score))
                h += "<tr><td class=\"path\">\(esc(SystemPath.display(f.path)))</td><td class=\"n\" style=\"color:\(c)\">\(f.score)</td>"
                h += "<td><svg width=\"120\" height=\"10\" role=\"img\" aria-label=\"score \(f.score)\"><rect width=\"120\" height=\"10\" rx=\"2\" fill=\"#eaeef2\"/><rect width=\"\(f.score * 120 / 100)\" height=\"10\" rx=\"2\" fill=\"\(c)\"/></svg></td>"
                h += "<td class=\"n\">\(f.errors)</td><td class=\"n\">\(f.warnings)</td><td class=\"n\">\(f.infos)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "</section>\n"

        // Profile.
        let p = s.profile
        h += "<div class=\"grid\">\n<section><h2>Corpus profile</h2>\n"
        h += "<table id=\"profile\"><tbody>\n"
        func row(_ key: String, _ label: String, _ value: String, _ detail: String = "") -> String {
            "<tr><th>\(esc(label))</th><td class=\"n\" data-metric=\"\(key)\">\(esc(value))</td><td class=\"muted\">\(esc(detail))</td></tr>\n"
        }
        h += row("profiled", "Files profiled", "\(p.profiled)")
        h += row("front-matter", "With front matter", "\(p.withFrontMatter)", SummaryRenderer.pct(p.withFrontMatter, p.profiled))
        h += row("images", "Images", "\(p.images)", "in \(p.withImages) files")
        h += row("broken-images", "Files with broken images", "\(p.withBrokenImages)")
        h += row("slug-groups", "Duplicate-slug groups", "\(p.slugGroups.count)", p.slugGroups.map { $0.joined(separator: ", ") }.joined(separator: "; "))
        h += row("content-groups", "Duplicate-content groups", "\(p.contentGroups.count)", p.contentGroups.map { $0.joined(separator: ", ") }.joined(separator: "; "))
        h += row("date-range", "Article dates", p.firstDate.map { "\($0) – \(p.lastDate ?? $0)" } ?? "none", "\(p.dated) of \(p.profiled) dated")
        h += "</tbody></table>\n</section>\n"
        h += "<section><h2>Script</h2>\n" + scriptChart(p) + "</section>\n</div>\n"

        // Rules.
        h += "<section><h2>Rules</h2>\n"
        if s.rules.isEmpty {
            h += "<p class=\"muted\">No diagnostics.</p>\n"
        } else {
            h += "<table id=\"rules\"><thead><tr><th>Rule</th><th>Family</th><th class=\"n\">Count</th><th class=\"n\">Errors</th><th class=\"n\">Warnings</th><th class=\"n\">Info</th><th class=\"n\">Fixable</th></tr></thead><tbody>\n"
            for r in s.rules {
                h += "<tr><td><code>\(esc(r.rule))</code></td><td>\(esc(r.family))</td><td class=\"n\" data-rule=\"\(esc(r.rule))\">\(r.count)</td><td class=\"n\">\(r.errors)</td><td class=\"n\">\(r.warnings)</td><td class=\"n\">\(r.infos)</td><td class=\"n\">\(r.fixable)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "</section>\n"
        h += "<footer>Health score: \(esc(SummaryRenderer.scoreFormula)).</footer>\n"
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    static func legend(_ items: [(String, String)]) -> String {
        "<div class=\"legend\">" + items.map { "<span><i style=\"background:\($0.1)\"></i>\(esc($0.0))</span>" }.joined() + "</div>\n"
    }

    /// Horizontal stacked bars (errors, warnings, info) per family.
    static func familyChart(_ s: CorpusSummary) -> String {
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
    static func scoreHistogram(_ s: CorpusSummary) -> String {
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
    static func scriptChart(_ p: CorpusSummary.Profile) -> String {
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
            g += "<tr><th><span class=\"legend\"><i style=\"background:\(color)\"></i></span>\(c.rawValue)</th><td class=\"n\" data-metric=\"script-\(c.rawValue)\">\(n)</td><td class=\"muted\">\(SummaryRenderer.pct(n, p.profiled))</td></tr>\n"
        }
        g += "</tbody></table>\n"
        return g
    }
}
