import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Counts a streamed report needs at its end (and the exit code needs), accumulated per diagnostic
/// instead of keeping the diagnostics.
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
        switch d.severity {
        case .error: errors += 1
        case .warning: warnings += 1
        case .info: infos += 1
        }
        switch d.fix?.applicability {
        case .safe?: fixableSafe += 1
        case .unsafe?: fixableUnsafe += 1
        case nil: break
        }
    }
}

/// A reporter that renders diagnostics path by path as they arrive (in output order), so the
/// whole result never has to be in memory. `render(result)` of the same formats is built on it.
public protocol StreamingReporter {
    /// Text before the first diagnostic.
    mutating func begin(context: ReportContext) -> String
    /// The diagnostics of one path, in output order (every diagnostic of a path comes in one call).
    mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String
    /// Text after the last diagnostic.
    mutating func end(_ totals: ReportTotals, context: ReportContext) -> String
}

extension StreamingReporter {
    /// Renders a finished, sorted diagnostic list through the streaming interface.
    package mutating func renderAll(_ diagnostics: [Diagnostic], context: ReportContext) -> String {
        var out = begin(context: context)
        var start = diagnostics.startIndex
        while start < diagnostics.endIndex {
            var end = start + 1
            while end < diagnostics.endIndex && diagnostics[end].path == diagnostics[start].path { end += 1 }
            out += file(diagnostics[start..<end], context: context)
            start = end
        }
        return out + end(ReportTotals(diagnostics), context: context)
    }
}

extension OutputFormat {
    /// The streaming reporter of this format; nil for formats that need the whole result (their
    /// headers carry totals or they group across the run: sarif, junit, markdown).
    public var streamingReporter: (any StreamingReporter)? {
        switch self {
        case .text: return TextReporter()
        case .concise: return ConciseReporter()
        case .json: return JSONReporter.Stream()
        case .jsonl: return JSONLinesReporter()
        case .github: return GitHubReporter()
        case .sarif, .junit, .markdown: return nil
        }
    }
}

/// A format that prints one line per diagnostic and nothing around them (concise, JSON Lines,
/// GitHub workflow commands): only `line(_:)` differs between them.
package protocol LinePerDiagnosticReporter: StreamingReporter {
    static func line(_ d: Diagnostic) -> String
    /// Whether identical findings of a file are shown as one (listings people read, not data).
    static var aggregates: Bool { get }
}

extension LinePerDiagnosticReporter {
    package static var aggregates: Bool { false }
    public func begin(context: ReportContext) -> String { "" }
    public func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String {
        var out = ""
        let shown = Self.aggregates ? FindingAggregation.apply(diagnostics, threshold: context.aggregateThreshold) : Array(diagnostics)
        for d in shown { out += Self.line(d) + "\n" }
        return out
    }
    public func end(_ totals: ReportTotals, context: ReportContext) -> String { "" }
}

extension ConciseReporter: LinePerDiagnosticReporter {
    package static var aggregates: Bool { true }
    package static func line(_ d: Diagnostic) -> String { "\(d.displayPath):\(d.line):\(d.column): \(d.severity.rawValue): \(d.displayMessage) [\(d.rule)]" }
}

extension JSONLinesReporter: LinePerDiagnosticReporter {
    package static func line(_ d: Diagnostic) -> String { JSONReporter.object(d) }
}

extension GitHubReporter: LinePerDiagnosticReporter {
    package static var aggregates: Bool { true }
    package static func line(_ d: Diagnostic) -> String { command(d) }
}

extension JSONReporter {
    /// The JSON array, element by element: the separator depends on whether one was written.
    public struct Stream: StreamingReporter {
        private var written = false
        public init() {}
        public func begin(context: ReportContext) -> String { "" }
        public mutating func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String {
            var out = ""
            for d in diagnostics {
                out += written ? ",\n  " : "[\n  "
                JSONReporter.appendObject(d, to: &out)
                written = true
            }
            return out
        }
        public func end(_ totals: ReportTotals, context: ReportContext) -> String { written ? "\n]\n" : "[]\n" }
    }
}

extension TextReporter: StreamingReporter {
    public func begin(context: ReportContext) -> String { "" }

    /// Source lines are read per path and dropped after it, so only one file is held at a time.
    public func file(_ diagnostics: ArraySlice<Diagnostic>, context: ReportContext) -> String {
        var out = ""
        let style = ANSIStyle(enabled: context.color)
        var sources = SourceCache(inMemory: context.inMemorySources, base: context.baseDirectory)
        for d in FindingAggregation.apply(diagnostics, threshold: context.aggregateThreshold) {
            let sev: String
            switch d.severity {
            case .error: sev = style.red("error")
            case .warning: sev = style.yellow("warning")
            case .info: sev = style.blue("info")
            }
            out += "\(style.bold("\(d.displayPath):\(d.line):\(d.column)")): \(sev)[\(d.rule)] \(d.displayMessage)\n"
            if !RuleRegistry.engineRuleIDs.contains(d.rule), let line = sources.scalars(d.path, d.line) {
                let (shown, caretOffset) = Self.window(line, column: d.column)
                let number = String(d.line)
                let gutter = String(repeating: " ", count: number.count)
                out += " \(style.dim(number + " |")) \(shown)\n"
                out += " \(style.dim(gutter + " |")) \(String(repeating: " ", count: caretOffset))\(style.red("^"))\n"
            }
            if let fix = d.fix {
                let label = fix.applicability == .safe ? "fix" : "unsafe fix"
                out += " \(style.dim("= \(label):")) \(fix.description)\n"
            }
        }
        return out
    }

    public func end(_ totals: ReportTotals, context: ReportContext) -> String {
        if context.quiet { return "" }
        return Self.summary(totals, context: context, style: ANSIStyle(enabled: context.color))
    }
}

/// Per-file diagnostics of a run in output order, compactly encoded: in memory while small, then
/// in an unlinked temporary file, so a run's diagnostics never have to be held as values.
public final class DiagnosticSpill {
    /// Bytes buffered before they go to the temporary file.
    package let threshold: Int
    private var buffer = ByteWriter()
    private var file: FileHandle?
    public private(set) var spilledBytes = 0

    public init(threshold: Int = 1 << 18) { self.threshold = threshold }

    /// Appends one file's diagnostics (all of one path, in output order).
    public func append(_ diagnostics: [Diagnostic]) {
        guard let path = diagnostics.first?.path else { return }
        var record = ByteWriter()
        record.string(path)
        record.varint(UInt64(diagnostics.count))
        for d in diagnostics { record.diagnostic(d) }
        buffer.varint(UInt64(record.bytes.count))
        buffer.bytes.append(contentsOf: record.bytes)
        if buffer.bytes.count >= threshold { flush() }
    }

    /// Whether anything went to disk (for tests and measurements).
    public var usedFile: Bool { file != nil }

    /// Set when the temporary file cannot be created or written: from then on everything stays in
    /// memory (slower to nothing, never lost; what is already on disk is read first, so order holds).
    private var diskFailed = false

    private func flush() {
        guard !diskFailed else { return }
        if file == nil { file = Self.temporaryFile() }
        guard let file else { diskFailed = true; return }
        do {
            try file.write(contentsOf: buffer.bytes)
        } catch {
            diskFailed = true
            return
        }
        spilledBytes += buffer.bytes.count
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    /// A temporary file unlinked at once: it disappears with the process however that ends.
    package static func temporaryFile() -> FileHandle? {
        var template = Array((NSTemporaryDirectory() + "/newslint-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { p -> Int32 in
            guard let base = p.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { p in if let base = p.baseAddress { _ = unlink(base) } }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Calls `body` with each file's diagnostics in the order they were appended.
    /// Records are read back in chunks. Returns false when the temporary file could not be read
    /// back or a record did not decode (the stream ends there; the caller reports the failure).
    @discardableResult
    public func forEachFile(_ body: ([Diagnostic]) -> Void) -> Bool {
        var pending: [UInt8] = []
        var position = 0
        func decodeAvailable() -> Bool {
            while true {
                var r = ByteReader(pending, range: position..<pending.count)
                guard let length = r.int(), let range = r.skip(length) else { return true }
                var record = ByteReader(pending, range: range)
                guard let path = record.string(), let count = record.int() else { return false }
                var diagnostics: [Diagnostic] = []
                diagnostics.reserveCapacity(min(count, 4096))
                for _ in 0..<count {
                    guard let d = record.diagnostic(path: path) else { return false }
                    diagnostics.append(d)
                }
                position = r.position
                body(diagnostics)
            }
        }
        if let file, spilledBytes > 0 {
            do {
                try file.seek(toOffset: 0)
                var read = 0
                while read < spilledBytes, let chunk = try file.read(upToCount: min(1 << 18, spilledBytes - read)), !chunk.isEmpty {
                    read += chunk.count
                    pending.removeFirst(position)
                    position = 0
                    pending.append(contentsOf: chunk)
                    if !decodeAvailable() { return false }
                }
                try file.seekToEnd()
                if read != spilledBytes { return false }
            } catch {
                return false
            }
        }
        pending.removeFirst(position)
        position = 0
        pending.append(contentsOf: buffer.bytes)
        return decodeAvailable() && position == pending.count
    }
}

/// Merges the spilled per-file diagnostics with the (few, sorted) other diagnostics of a run
/// (cross-file findings, input problems) into one output-ordered stream, path by path.
public enum OrderedMerge {
    /// Returns false when the spill could not be read back completely (see `DiagnosticSpill.forEachFile`).
    @discardableResult
    public static func run(_ spill: DiagnosticSpill, extras: [Diagnostic], _ body: (ArraySlice<Diagnostic>) -> Void) -> Bool {
        var e = extras.startIndex
        /// Emits extras whose path sorts before `path` (nil: all remaining), one group per path.
        func flushExtras(before path: String?) {
            while e < extras.endIndex {
                let p = extras[e].path
                if let path, !p.utf8.lexicographicallyPrecedes(path.utf8) { return }
                var end = e + 1
                while end < extras.endIndex && extras[end].path == p { end += 1 }
                body(extras[e..<end])
                e = end
            }
        }
        let complete = spill.forEachFile { diagnostics in
            guard let path = diagnostics.first?.path else { return }
            flushExtras(before: path)
            var end = e
            while end < extras.endIndex && extras[end].path == path { end += 1 }
            if end == e {
                body(diagnostics[...])
            } else {
                var merged = diagnostics
                merged.append(contentsOf: extras[e..<end])
                merged.sort(by: Diagnostic.outputOrder)
                e = end
                body(merged[...])
            }
        }
        flushExtras(before: nil)
        return complete
    }
}
