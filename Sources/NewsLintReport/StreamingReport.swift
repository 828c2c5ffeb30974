import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Counts a streamed report needs at its end (and the exit code needs), accumulated per diagnostic
/// instead of keeping the diagnostics. A listing-cap finding counts as the findings it stands for
/// (`Diagnostic.unlisted`), each with its own severity and fix kind.
public struct ReportTotals: Sendable, Equatable {
    public var errors = 0
    public var warnings = 0
    public var infos = 0
    public var fixableSafe = 0
    public var fixableUnsafe = 0
    /// Paths with at least one diagnostic.
    public var files = 0
    public var count: Int { errors + warnings + infos }

    public init() {}

    public init(_ diagnostics: [Diagnostic]) {
        for d in diagnostics { add(d) }
        files = Set(diagnostics.map(\.path)).count
    }

    public mutating func add(_ d: Diagnostic) {
        if let unlisted = d.unlisted { return add(unlisted) }
        add(severity: d.severity, fix: d.fix?.applicability)
    }

    /// Counts the findings a listing-cap finding stands for.
    public mutating func add(_ u: UnlistedFindings) {
        errors += u.errors
        warnings += u.warnings
        infos += u.infos
        fixableSafe += u.safeFixes
        fixableUnsafe += u.unsafeFixes
    }

    @inline(__always)
    private mutating func add(severity: Severity, fix: Applicability?) {
        switch severity {
        case .error: errors += 1
        case .warning: warnings += 1
        case .info: infos += 1
        }
        switch fix {
        case .safe?: fixableSafe += 1
        case .unsafe?: fixableUnsafe += 1
        case nil: break
        }
    }

    /// Counts a path's findings left as the spill's bytes and its cross-file findings.
    public mutating func add(_ group: SpilledGroup) {
        if group.mayHaveUnlisted {
            for f in group.ownFindings {
                if let unlisted = group.unlisted(f) { add(unlisted) } else { add(severity: f.severity, fix: f.fix) }
            }
        } else {
            for f in group.ownFindings { add(severity: f.severity, fix: f.fix) }
        }
        for f in group.framedCrossFile { add(severity: f.severity, fix: f.fix) }
        add(contentsOf: group.extras)
    }

    /// Counts every diagnostic of `diagnostics`, reading their fields in place when they are
    /// contiguous (an array or a slice of one: no copy of each).
    public mutating func add(contentsOf diagnostics: some Collection<Diagnostic>) {
        let done: Void? = diagnostics.withContiguousStorageIfAvailable { p in
            for i in p.indices {
                if let unlisted = p[i].unlisted { add(unlisted) } else { add(severity: p[i].severity, fix: p[i].fix?.applicability) }
            }
        }
        if done == nil { for d in diagnostics { add(d) } }
    }
}

/// A reporter that renders diagnostics path by path as they arrive (in output order), so the
/// whole result never has to be in memory.
public protocol StreamingReporter {
    /// Text before the first diagnostic.
    mutating func begin(context: ReportContext) -> String
    /// The diagnostics of one path, in output order (every diagnostic of a path comes in one call).
    mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String
    /// `file(_:context:)`'s text appended to `out` as UTF-8: the formats that print every finding
    /// write bytes directly (the default goes through the `String`).
    mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext, into out: inout ReportBuffer)
    /// Text after the last diagnostic.
    mutating func end(_ totals: ReportTotals, context: ReportContext) -> String
    /// `end(_:context:)`'s text appended to `out` as UTF-8 (a buffering format's whole report).
    mutating func end(_ totals: ReportTotals, context: ReportContext, into out: inout ReportBuffer)
}

extension StreamingReporter {
    public mutating func end(_ totals: ReportTotals, context: ReportContext, into out: inout ReportBuffer) {
        out.append(end(totals, context: context))
    }

    public mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext, into out: inout ReportBuffer) {
        out.append(file(diagnostics, context: context))
    }

    /// Renders a finished, sorted diagnostic list through the streaming interface.
    package mutating func renderAll(_ diagnostics: [Diagnostic], context: ReportContext) -> String {
        var out = ReportBuffer()
        out.append(begin(context: context))
        var start = diagnostics.startIndex
        while start < diagnostics.endIndex {
            var end = start + 1
            while end < diagnostics.endIndex && diagnostics[end].path.hasSameBytes(as: diagnostics[start].path) { end += 1 }
            file(diagnostics[start..<end], context: context, into: &out)
            start = end
        }
        out.append(end(ReportTotals(diagnostics), context: context))
        return out.text
    }
}

/// A format that needs the whole run (its header carries totals, or it groups across files:
/// sarif, junit, markdown) behind the streaming interface: it keeps the diagnostics it is given
/// and renders them at the end, so only these formats hold a run's findings.
public struct BufferingReporter: StreamingReporter {
    package let reporter: any Reporter
    private var diagnostics: [Diagnostic] = []
    /// Fingerprints (SARIF's), taken as each path streams by with the lines the pass kept, so
    /// the files are not read again at the end; nil when the format has none.
    private var fingerprints: [String]?
    private var numbering = Baseline.Fingerprinter()
    /// Every path the run checked, in output order (JUnit lists clean files too).
    public var checkedPaths: [String] = []

    public init(_ reporter: any Reporter, fingerprints: Bool = false) {
        self.reporter = reporter
        self.fingerprints = fingerprints ? [] : nil
    }

    public func begin(context: ReportContext) -> String { "" }

    public mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String {
        self.diagnostics.append(contentsOf: diagnostics)
        if fingerprints != nil, let path = diagnostics.first?.path {
            var sources = SourceCache(inMemory: context.inMemorySources, base: context.baseDirectory, captured: (path, context.capturedLines))
            for d in diagnostics { fingerprints?.append(numbering.next(d, lineText: sources.line(path, d.line))) }
        }
        return ""
    }

    public func end(_ totals: ReportTotals, context: ReportContext) -> String {
        var out = ReportBuffer()
        end(totals, context: context, into: &out)
        return out.text
    }

    public func end(_ totals: ReportTotals, context: ReportContext, into out: inout ReportBuffer) {
        let files = checkedPaths.map { FileOutcome(path: $0, diagnostics: [], facts: [], byteCount: 0, fix: nil, ioFailure: false) }
        var context = context
        context.fingerprints = fingerprints
        reporter.render(LintResult(diagnostics: diagnostics, files: files, ioFailure: false, fixSummary: FixSummary()), context: context, into: &out)
    }
}

extension OutputFormat {
    /// The reporter a run's merged stream goes to: streaming where the format allows, else
    /// buffering (formats whose headers carry totals or that group across the run).
    public var runReporter: any StreamingReporter {
        switch self {
        case .text: return TextReporter()
        case .concise: return ConciseReporter()
        case .json: return JSONReporter.Stream()
        case .jsonl: return JSONLinesReporter()
        case .github: return GitHubReporter()
        case .sarif: return BufferingReporter(SARIFReporter(), fingerprints: true)
        case .junit: return BufferingReporter(JUnitReporter())
        case .markdown: return BufferingReporter(MarkdownReporter())
        }
    }
}

/// A format that prints one line per diagnostic and nothing around them (concise, JSON Lines,
/// GitHub workflow commands): only `line(_:)` differs between them.
package protocol LinePerDiagnosticReporter: StreamingReporter {
    static func line(_ d: Diagnostic) -> String
    /// Appends `line` of the finding at `d` (without the newline) as UTF-8, its fields read where
    /// it is (handed the finding, a line copied it whole). `displayPath` is its `displayPath`,
    /// computed once per file.
    static func appendLine(at d: UnsafePointer<Diagnostic>, displayPath: String, to out: inout ReportBuffer)
    /// Appends every line of `findings` and a newline after each (the default: `appendLine` one
    /// by one, the display path computed once per path). A format whose lines repeat pieces
    /// (JSON Lines: the quoted path, rule id, message and fix description) writes them once a run.
    static func appendLines(_ findings: UnsafeBufferPointer<Diagnostic>, to out: inout ReportBuffer)
    /// Whether identical findings of a file are shown as one (listings people read, not data).
    static var aggregates: Bool { get }
}

extension LinePerDiagnosticReporter {
    package static var aggregates: Bool { false }
    package static func appendLine(at d: UnsafePointer<Diagnostic>, displayPath: String, to out: inout ReportBuffer) {
        out.append(line(d.pointee))
    }
    public func begin(context: ReportContext) -> String { "" }
    public func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String {
        var out = ReportBuffer()
        file(diagnostics, context: context, into: &out)
        return out.text
    }
    /// How many findings a file needs before identical ones are shown as one (`Int.max`: never).
    /// The lazy concise route decodes a group of at least this many (`LintRun.merge(decodingFrom:)`),
    /// so the two routes must ask this one function.
    package static func aggregationLimit(_ context: ReportContext) -> Int {
        aggregates && context.aggregateThreshold > 1 ? context.aggregateThreshold : Int.max
    }
    public func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext, into out: inout ReportBuffer) {
        // Fewer findings than the threshold are never merged: written from the slice as it is
        // (`apply` would copy them into an array first, once per file).
        if diagnostics.count >= Self.aggregationLimit(context) {
            Self.appendLines(FindingAggregation.apply(diagnostics, threshold: context.aggregateThreshold), to: &out)
        } else {
            Self.appendLines(diagnostics, to: &out)
        }
    }
    /// Every diagnostic's line and a newline (all of one path, so its display form is computed once).
    package static func appendLines<C: Collection<Diagnostic>>(_ diagnostics: C, to out: inout ReportBuffer) {
        // Read in place, through a pointer to each: `for d in` copied each finding (a retain and a
        // release of each of its strings), and so did the buffer's subscript (~320 instructions a
        // line on a warm run's serial output).
        let done: Void? = diagnostics.withContiguousStorageIfAvailable { findings in
            Self.appendLines(findings, to: &out)
        }
        guard done == nil else { return }
        Array(diagnostics).withUnsafeBufferPointer { Self.appendLines($0, to: &out) }
    }

    package static func appendLines(_ findings: UnsafeBufferPointer<Diagnostic>, to out: inout ReportBuffer) {
        guard let base = findings.baseAddress else { return }
        var shown = ShownPath()
        for i in 0..<findings.count { appendLine(at: base + i, shown: &shown, to: &out) }
    }

    /// The line of the finding at `d` and a newline.
    @inline(__always)
    private static func appendLine(at d: UnsafePointer<Diagnostic>, shown: inout ShownPath, to out: inout ReportBuffer) {
        if !shown.started || !shown.path.hasSameBytes(as: d.pointee.path) {
            let path = d.pointee.path
            shown = ShownPath(started: true, path: path, display: SystemPath.display(path))
        }
        appendLine(at: d, displayPath: shown.display, to: &out)
        out.append(byte: 0x0A)
    }
    public func end(_ totals: ReportTotals, context: ReportContext) -> String { "" }
}

/// The last path a run of lines showed and its display form (computed once per path).
private struct ShownPath {
    var started = false
    var path = ""
    var display = ""
}

extension ConciseReporter: LinePerDiagnosticReporter {
    package static var aggregates: Bool { true }
    package static func line(_ d: Diagnostic) -> String {
        var out = ReportBuffer()
        withUnsafePointer(to: d) { appendLine(at: $0, displayPath: d.displayPath, to: &out) }
        return out.text
    }
    /// `PATH:LINE:COL: SEVERITY: MESSAGE [RULE]`. Inlined into `appendLines`, its fields read
    /// one by one where the finding is: handed the finding, each line copied it whole first (a
    /// retain and a release of each of its strings).
    @inline(__always)
    package static func appendLine(at d: UnsafePointer<Diagnostic>, displayPath: String, to out: inout ReportBuffer) {
        var path = displayPath
        path.withUTF8 { appendLine(at: d, displayPath: $0, to: &out) }
    }

    /// The same with the display path as UTF-8 (a spilled group's bytes).
    @inline(__always)
    static func appendLine(at d: UnsafePointer<Diagnostic>, displayPath path: UnsafeBufferPointer<UInt8>, to out: inout ReportBuffer) {
        var message = d.pointee.message, rule = d.pointee.rule
        message.withUTF8 { message in
            rule.withUTF8 { rule in
                appendLine(path: path, line: d.pointee.line, column: d.pointee.column, severity: d.pointee.severity,
                           message: message, rule: rule, to: &out)
            }
        }
    }

    /// The line from its fields, the texts as UTF-8 (a decoded finding's or the spill's bytes).
    @inline(__always)
    package static func appendLine(path: UnsafeBufferPointer<UInt8>, line: Int, column: Int, severity: Severity,
                                   message: UnsafeBufferPointer<UInt8>, rule: UnsafeBufferPointer<UInt8>, to out: inout ReportBuffer) {
        // Written in one piece when the message is shown as it is (nearly always).
        if line >= 0 && column >= 0 && TerminalMessage.isShownAsIs(message) {
            out.appendConciseLine(path: path, line: line, column: column, severity: severity.literal, message: message, rule: rule)
            return
        }
        appendPieces(path: path, line: line, column: column, severity: severity, message: message, rule: rule, to: &out)
    }

    /// `appendLine` piece by piece (a message `TerminalMessage` changes, a negative position).
    private static func appendPieces(path: UnsafeBufferPointer<UInt8>, line: Int, column: Int, severity: Severity,
                                     message: UnsafeBufferPointer<UInt8>, rule: UnsafeBufferPointer<UInt8>, to out: inout ReportBuffer) {
        out.append(utf8: path)
        out.append(byte: 0x3A)
        out.append(decimal: line)
        out.append(byte: 0x3A)
        out.append(decimal: column)
        out.append(": ")
        out.append(severity.literal)
        out.append(": ")
        TerminalMessage.append(utf8: message, to: &out)
        out.append(" [")
        out.append(utf8: rule)
        out.append(byte: 0x5D)
    }

    /// Every line of a path's findings left as the spill's bytes (`OrderedMerge` decodes the
    /// groups the aggregation would merge, so none here is), in output order with its cross-file
    /// findings: the same bytes `appendLines` writes for them decoded.
    /// The path is read as the group's bytes and written as they are when `SystemPath.display`
    /// would show it unchanged (nearly always): no `String` of it is made.
    package static func appendLines(_ group: SpilledGroup, to out: inout ReportBuffer) {
        group.withPathBytes { name in
            guard SystemPath.mayNeedDisplayEscape(name) else {
                appendLines(group, displayPath: name, to: &out)
                return
            }
            var display = SystemPath.display(group.path)
            display.withUTF8 { appendLines(group, displayPath: $0, to: &out) }
        }
    }

    /// `appendLines(_:to:)` with the path's display form as UTF-8.
    private static func appendLines(_ group: SpilledGroup, displayPath path: UnsafeBufferPointer<UInt8>, to out: inout ReportBuffer) {
        group.forEach(raw: { f in
            appendLine(path: path, line: f.line, column: f.column, severity: f.severity, message: f.message, rule: f.rule, to: &out)
            out.append(byte: 0x0A)
        }, decoded: { d in
            appendLine(at: d, displayPath: path, to: &out)
            out.append(byte: 0x0A)
        })
    }
}

extension JSONLinesReporter: LinePerDiagnosticReporter {
    package static func line(_ d: Diagnostic) -> String { JSONReporter.object(d) }
    package static func appendLine(at d: UnsafePointer<Diagnostic>, displayPath: String, to out: inout ReportBuffer) {
        JSONReporter.appendObject(d.pointee, displayPath: displayPath, to: &out)
    }

    /// The same bytes as `appendLine` for each, with the display path quoted once per path and the
    /// rule id, message and fix description escaped once while findings repeat them
    /// (`RepeatedJSONStrings`, as the JSON array's stream does): escaped for every line, they
    /// were ~1,300 instructions a finding (a file's findings mostly share all four).
    package static func appendLines(_ findings: UnsafeBufferPointer<Diagnostic>, to out: inout ReportBuffer) {
        guard let base = findings.baseAddress else { return }
        var strings = RepeatedJSONStrings()
        var paths = QuotedDisplayPath()
        for i in 0..<findings.count {
            let d = base + i
            JSONReporter.appendObject(d.pointee, quotedPath: paths.quoted(for: d.pointee), strings: &strings, to: &out)
            out.append(byte: 0x0A)
        }
    }
}

extension GitHubReporter: LinePerDiagnosticReporter {
    package static var aggregates: Bool { true }
    package static func line(_ d: Diagnostic) -> String { command(d) }
}

extension JSONReporter {
    /// The JSON array, element by element: the separator depends on whether one was written.
    public struct Stream: StreamingReporter {
        private var written = false
        private var strings = RepeatedJSONStrings()
        public init() {}
        public func begin(context: ReportContext) -> String { "" }
        public mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String {
            var out = ReportBuffer()
            file(diagnostics, context: context, into: &out)
            return out.text
        }
        public mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext, into out: inout ReportBuffer) {
            var paths = QuotedDisplayPath()
            for d in diagnostics {
                out.append(written ? ",\n  " : "[\n  ")
                JSONReporter.appendObject(d, quotedPath: paths.quoted(for: d), strings: &strings, to: &out)
                written = true
            }
        }
        public func end(_ totals: ReportTotals, context: ReportContext) -> String { written ? "\n]\n" : "[]\n" }
    }
}

/// A finding's display path as a JSON string, escaped once per path (a file's findings share one)
/// for the JSON array and JSON Lines.
private struct QuotedDisplayPath {
    private var last: (path: String, quoted: ReportBuffer)?

    mutating func quoted(for d: Diagnostic) -> ReportBuffer {
        if let last, last.path.hasSameBytes(as: d.path) { return last.quoted }
        var q = ReportBuffer()
        q.appendJSONQuoted(d.displayPath)
        last = (d.path, q)
        return q
    }
}

extension TextReporter {
    /// For `LintRun.merge(fillingLines:)`: reads the lines `file` quotes for a record's findings
    /// that the record does not carry (lines too long for the cache to store), as `SourceCache`
    /// reads them, so the serial output does not read those files itself.
    package static func lineFiller(inMemory: [String: [UInt8]], base: String) -> LineFiller {
        { path, diagnostics, lines in
            var sources = SourceCache(inMemory: inMemory, base: base)
            for d in diagnostics where lines[d.line] == nil && !RuleRegistry.isEngineRule(d.rule) {
                if let text = sources.line(path, d.line) { lines[d.line] = text }
            }
        }
    }
}

extension TextReporter: StreamingReporter {
    public func begin(context: ReportContext) -> String { "" }

    /// Source lines are read per path and dropped after it, so only one file is held at a time.
    public func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String {
        var out = ReportBuffer()
        file(diagnostics, context: context, into: &out)
        return out.text
    }

    public func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext, into out: inout ReportBuffer) {
        let style = ANSIStyle(enabled: context.color)
        let captured = diagnostics.first.map { (path: $0.path, lines: context.capturedLines) }
        var sources = SourceCache(inMemory: context.inMemorySources, base: context.baseDirectory, captured: captured)
        let error = style.red("error"), warning = style.yellow("warning"), info = style.blue("info")
        var shownPath: (path: String, display: String)?
        // Where the last code frame's caret was, on which line of which file.
        var cursor = (path: "", line: 0, at: LineCursor())
        for d in FindingAggregation.apply(diagnostics, threshold: context.aggregateThreshold) {
            let display: String
            if let p = shownPath, p.path.hasSameBytes(as: d.path) { display = p.display } else { display = d.displayPath; shownPath = (d.path, display) }
            // `bold("PATH:LINE:COL"): SEVERITY[RULE] MESSAGE`
            if style.enabled { out.append("\u{1B}[1m") }
            out.append(display)
            out.append(byte: 0x3A)
            out.append(decimal: d.line)
            out.append(byte: 0x3A)
            out.append(decimal: d.column)
            if style.enabled { out.append("\u{1B}[0m") }
            out.append(": ")
            switch d.severity {
            case .error: out.append(error)
            case .warning: out.append(warning)
            case .info: out.append(info)
            }
            out.append(byte: 0x5B)
            out.append(d.rule)
            out.append("] ")
            TerminalMessage.append(d.message, to: &out)
            out.append(byte: 0x0A)
            if !RuleRegistry.isEngineRule(d.rule), let line = sources.line(d.path, d.line) {
                if cursor.line != d.line || !cursor.path.hasSameBytes(as: d.path) { cursor = (d.path, d.line, LineCursor()) }
                // ` N | text` then ` ␣ | ␣␣^` (the gutter as wide as the number), dimmed and red when coloured.
                out.append(byte: 0x20)
                if style.enabled { out.append("\u{1B}[2m") }
                let before = out.count
                out.append(decimal: d.line)
                let digits = out.count - before
                out.append(" |")
                if style.enabled { out.append("\u{1B}[0m") }
                out.append(byte: 0x20)
                let caretOffset = Self.appendWindow(line, column: d.column, cursor: &cursor.at, into: &out)
                out.append(byte: 0x0A)
                out.append(byte: 0x20)
                if style.enabled { out.append("\u{1B}[2m") }
                out.append(byte: 0x20, count: digits)
                out.append(" |")
                if style.enabled { out.append("\u{1B}[0m") }
                out.append(byte: 0x20)
                out.append(byte: 0x20, count: caretOffset)
                out.append(style.enabled ? "\u{1B}[31;1m^\u{1B}[0m\n" : "^\n")
            }
            if let fix = d.fix {
                let label = fix.applicability == .safe ? "fix" : "unsafe fix"
                out.append(" \(style.dim("= \(label):")) ")
                out.append(fix.description)
                out.append(byte: 0x0A)
            }
        }
    }

    public func end(_ totals: ReportTotals, context: ReportContext) -> String {
        if context.quiet { return "" }
        return Self.summary(totals, context: context, style: ANSIStyle(enabled: context.color))
    }
}
