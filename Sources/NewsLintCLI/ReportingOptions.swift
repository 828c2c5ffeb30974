import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine
import NewsLintReport
import NewsLintServer

extension NewsLintCLI {
    /// CI and reporting options of `lint` (formats, statistics, baseline, progress: issue 7).
    package static let reportingOptions: [OptionSpec] = [
        OptionSpec("statistics", help: "Print the number of diagnostics per rule instead of each diagnostic"),
        OptionSpec("max-warnings", value: "N", help: "Exit 1 when there are more than N warnings"),
        OptionSpec("summary", help: "Print the corpus health summary after the diagnostics"),
        OptionSpec("baseline", value: "FILE", help: "Report only diagnostics not recorded in this baseline"),
        OptionSpec("write-baseline", value: "FILE", help: "Record the current diagnostics as the baseline in FILE"),
        OptionSpec("no-progress", help: "Never show the progress line (shown on a terminal for runs over ~1s)"),
    ]
}

/// What the reporting options ask of one `lint` run; the lint command calls these hooks.
package struct ReportingSettings {
    package var format: OutputFormat
    package var statistics: Bool
    package var maxWarnings: Int?
    package var summary: Bool
    package var baselinePath: String?
    package var baselineDisplay: String?
    package var writeBaselinePath: String?
    package var writeBaselineDisplay: String?
    package var quiet: Bool
    package var progressEnabled: Bool
    /// JSON Lines printed file by file as files finish: only to stdout, and not when a baseline
    /// filters the stream first, `--diff` replaces the report or `--statistics` only counts.
    package var streamJSONLines: Bool

    package init(_ parsed: ParsedArguments, io: ToolIO, format: OutputFormat, previewing: Bool) throws {
        self.format = format
        statistics = parsed.has("statistics")
        summary = parsed.has("summary")
        quiet = parsed.has("quiet")
        if let m = parsed.value("max-warnings") {
            guard let n = Int(m), n >= 0 else { throw UsageError("--max-warnings expects a whole number of at least 0, got '\(m)'") }
            maxWarnings = n
        }
        if statistics && ![.text, .concise, .json].contains(format) {
            throw UsageError("--statistics prints a table (text, concise) or JSON; it cannot be combined with --format \(format.rawValue)")
        }
        if let b = parsed.value("baseline") {
            baselineDisplay = b
            baselinePath = NewsLintCLI.resolve(b, io)
            guard FileManager.default.fileExists(atPath: baselinePath ?? "") else {
                throw UsageError("baseline file '\(b)' does not exist; create it with --write-baseline \(b)")
            }
        }
        if let w = parsed.value("write-baseline") {
            writeBaselineDisplay = w
            writeBaselinePath = NewsLintCLI.resolve(w, io)
        }
        progressEnabled = io.stderrIsTerminal && !parsed.has("no-progress") && !quiet && io.environment["TERM"] != "dumb"
        streamJSONLines = format == .jsonl && parsed.value("output") == nil && !previewing && baselinePath == nil && !statistics
    }

    /// `--baseline` read, and the path it was read from (what its entries' paths may be relative to).
    package func loadBaseline() throws -> (baseline: Baseline, path: String)? {
        guard let path = baselinePath else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("cannot read baseline file '\(baselineDisplay ?? path)'")
        }
        do {
            return (try Baseline.parse([UInt8](data), file: baselineDisplay ?? path), path)
        } catch let e as JSONFileError {
            throw UsageError(e.description)
        }
    }

    /// The per-file observer: progress and JSON Lines streaming.
    package func observer(total: Int, io: ToolIO, progress: ProgressLine?) -> (@Sendable (FileOutcome) -> Void)? {
        let stream = streamJSONLines
        if !stream && progress == nil { return nil }
        // One buffer reused for every file (a fresh one per file grew page by page: a fifth of the run).
        let lock = Locked(ReportBuffer())
        return { outcome in
            // Decoded once (a cache hit's findings are decoded from its bytes on each read).
            let diagnostics = stream ? outcome.diagnostics : []
            if stream && !diagnostics.isEmpty {
                lock.withLock { lines in
                    lines.removeAll()
                    // Outcomes arrive sorted; the check keeps any other caller correct.
                    if Diagnostic.isSorted(diagnostics) {
                        JSONLinesReporter.appendLines(diagnostics, to: &lines)
                    } else {
                        JSONLinesReporter.appendLines(diagnostics.sorted(by: Diagnostic.outputOrder), to: &lines)
                    }
                    progress?.clear()
                    io.stdoutBytes(lines.bytes)
                }
            }
            progress?.advance()
        }
    }

    /// `--statistics`: counts per rule (Ruff's shape), or a JSON array. `unsafe`: `--unsafe-fixes`
    /// was given, so `--fix` would apply unsafe fixes too (the `[*]` marker counts them only then,
    /// as Ruff's does).
    package static func statistics(_ ruleCounts: RuleCounts, catalog: Catalog, json: Bool, unsafe: Bool = false) -> String {
        let counts = ruleCounts.counts
        // Ranked by the count the table shows (then files, then the rule), as Ruff's: ranked by
        // files it does not show, a smaller count stood above a larger one.
        let rows = counts.sorted { ($0.value.n, $0.value.files, $1.key) > ($1.value.n, $1.value.files, $0.key) }
        if json {
            let items = rows.map { r -> String in
                var o = JSONObjectBuilder()
                o.add("rule", string: r.key)
                o.add("count", int: r.value.n)
                o.add("files", int: r.value.files)
                o.add("fixable", int: r.value.fixable)
                o.add("summary", string: catalog.metadata(r.key)?.summary ?? "")
                return "  " + o.json
            }
            return items.isEmpty ? "[]\n" : "[\n" + items.joined(separator: ",\n") + "\n]\n"
        }
        let width = rows.map(\.key.count).max() ?? 0
        let numWidth = rows.map { String($0.value.n).count }.max() ?? 1
        var out = ""
        var applied = 0, hidden = 0, partly = false
        for r in rows {
            let n = String(r.value.n)
            // What `--fix` applies with the flags given: unsafe fixes only with --unsafe-fixes.
            let fixes = r.value.safe + (unsafe ? r.value.unsafe : 0)
            applied += fixes
            hidden += unsafe ? 0 : r.value.unsafe
            out += String(repeating: " ", count: numWidth - n.count) + n + "  " + r.key.padding(toLength: width, withPad: " ", startingAt: 0)
            out += fixes == r.value.n ? "  [*] " : (fixes > 0 ? "  [-] " : "      ")
            if fixes > 0 && fixes < r.value.n { partly = true }
            out += (catalog.metadata(r.key)?.summary ?? "") + "\n"
        }
        // Ruff's closing line: the marker's meaning, and the unsafe fixes it does not count.
        if applied > 0 || hidden > 0 {
            out += applied > 0 ? "[*] \(applied) fixable with the --fix option" : "No fixes available"
            if hidden > 0 { out += " (\(hidden) hidden fix\(hidden == 1 ? "" : "es") can be enabled with the --unsafe-fixes option)" }
            if partly { out += "; [-]: some of a rule's findings" }
            out += ".\n"
        }
        return out
    }
}

/// A one-line progress display on stderr (`\r`-rewritten), shown only after ~1 s so quick
/// runs stay silent. Thread-safe: workers call `advance()`.
package final class ProgressLine: @unchecked Sendable {
    private let total: Int
    private let write: @Sendable (String) -> Void
    private let delay: Double
    private let start = DispatchTime.now()
    private let state = Locked((done: 0, shown: false, finished: false))
    private var timer: DispatchSourceTimer?

    package init(total: Int, delay: Double = 1.0, interval: Double = 0.1, write: @escaping @Sendable (String) -> Void) {
        self.total = total
        self.delay = delay
        self.write = write
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        t.schedule(deadline: .now() + delay, repeating: interval)
        t.setEventHandler { [weak self] in self?.tick() }
        timer = t
        t.resume()
    }

    package func advance() { state.withLock { $0.done += 1 } }

    package var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    /// The line's text (without `\r`).
    package static func format(done: Int, total: Int, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let pct = total > 0 ? done * 100 / total : 100
        return String(format: "newslint: %d/%d files (%d%%), %.0f files/s, %.1fs", done, total, pct, rate, elapsed)
    }

    /// Writes happen inside the lock, so a late tick can never print after `clear()`/`finish()`.
    package func tick() {
        let e = elapsed
        state.withLock { s in
            guard !s.finished, e >= delay else { return }
            s.shown = true
            write("\r\u{1B}[K" + Self.format(done: s.done, total: total, elapsed: e))
        }
    }

    /// Erases the line (before other output to the same terminal).
    package func clear() {
        state.withLock { s in
            if s.shown { write("\r\u{1B}[K") }
            s.shown = false
        }
    }

    package func finish() {
        timer?.cancel()
        timer = nil
        state.withLock { s in
            if s.shown { write("\r\u{1B}[K") }
            s.finished = true
        }
    }
}

/// Diagnostics per rule (and how many are fixable), accumulated as diagnostics stream by.
package struct RuleCounts {
    /// `fixable`: findings with a fix, `safe` + `unsafe`.
    package var counts: [String: (n: Int, fixable: Int, safe: Int, unsafe: Int, files: Int)] = [:]
    /// (rule, path hash) pairs already counted in `files`.
    private var seen: Set<[UInt64]> = []
    package mutating func add(_ diagnostics: [Diagnostic]) {
        for d in diagnostics {
            var c = counts[d.rule] ?? (0, 0, 0, 0, 0)
            // A listing-cap finding counts as the findings it stands for.
            if let unlisted = d.unlisted {
                c.n += unlisted.count
                c.safe += unlisted.safeFixes
                c.unsafe += unlisted.unsafeFixes
            } else {
                c.n += 1
                switch d.fix?.applicability {
                case .safe?: c.safe += 1
                case .unsafe?: c.unsafe += 1
                case nil: break
                }
            }
            c.fixable = c.safe + c.unsafe
            if seen.insert([StableHash.fnv1a64(d.rule), StableHash.fnv1a64(d.path)]).inserted { c.files += 1 }
            counts[d.rule] = c
        }
    }
}
