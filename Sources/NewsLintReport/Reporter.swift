import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// What reporters may need beyond the diagnostics.
public struct ReportContext: Sendable {
    public var catalog: Catalog
    public var color: Bool
    /// Source text of inputs that did not come from disk (stdin), by path.
    public var inMemorySources: [String: [UInt8]]
    /// Whether `--unsafe-fixes` was given (fix hints mention what it would add).
    public var unsafeFixes: Bool
    /// Whether fixes were applied in this run.
    public var fixing: Bool
    /// `--quiet`: reporters print the findings only, no summary lines.
    public var quiet = false
    /// Number of files linted in the run (for summaries); nil when unknown.
    public var filesChecked: Int?
    /// Identical findings in one file shown as one in the listings (`--aggregate N`; 0: each).
    public var aggregateThreshold = FindingAggregation.defaultThreshold
    /// Directory relative diagnostic paths are resolved against when reading source lines.
    public var baseDirectory: String = FileManager.default.currentDirectoryPath
    /// Source lines the lint pass kept for the path being rendered (by line number): quoted
    /// without reading the file again.
    public var capturedLines: [Int: String] = [:]
    /// Baseline fingerprints of the run's diagnostics in output order, numbered as they streamed
    /// by (SARIF); nil: computed from the diagnostics and their files.
    public var fingerprints: [String]?

    public init(catalog: Catalog, color: Bool = false, inMemorySources: [String: [UInt8]] = [:], unsafeFixes: Bool = false, fixing: Bool = false) {
        self.catalog = catalog
        self.color = color
        self.inMemorySources = inMemorySources
        self.unsafeFixes = unsafeFixes
        self.fixing = fixing
    }
}

/// Renders a whole lint result in one output format: the formats whose output needs the whole
/// run (sarif, junit, markdown), behind `BufferingReporter`.
public protocol Reporter: Sendable {
    func render(_ result: LintResult, context: ReportContext) -> String
    /// `render`'s text appended to `out` as UTF-8 (SARIF writes its results as bytes; the default
    /// goes through the `String`).
    func render(_ result: LintResult, context: ReportContext, into out: inout ReportBuffer)
}

extension Reporter {
    public func render(_ result: LintResult, context: ReportContext, into out: inout ReportBuffer) {
        out.append(render(result, context: context))
    }
}

/// The output formats of `--format`; `OutputFormat.runReporter` renders each.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, concise, json, jsonl, sarif, github, junit, markdown
}

/// `PATH:LINE:COL: SEVERITY: MESSAGE [RULE]`, the gcc/clang shape editors parse.
public struct ConciseReporter {
    public init() {}
}

/// A JSON array of diagnostic objects (stable key order).
public enum JSONReporter {

    /// One diagnostic as a JSON object (also used by JSON Lines output).
    public static func object(_ d: Diagnostic) -> String {
        var out = ReportBuffer()
        appendObject(d, displayPath: d.displayPath, to: &out)
        return out.text
    }

    /// Appends `object(d)` as UTF-8 (the same bytes as a JSONObjectBuilder per object and per
    /// edit): JSON output of many findings is dominated by this. `displayPath`: `d.displayPath`,
    /// computed once per file by the caller. For one object on its own (JSON Lines, `object`):
    /// everything is escaped straight into `o`, since nothing is shared with another object.
    package static func appendObject(_ d: Diagnostic, displayPath: String, to o: inout ReportBuffer) {
        var strings = RepeatedJSONStrings(remembering: false)
        o.append("{\"path\":")
        o.appendJSONQuoted(displayPath)
        appendFields(d, strings: &strings, to: &o)
    }

    /// The same with the path already quoted (`appendJSONQuoted(displayPath)`: a file's findings
    /// share it, so it is escaped once per file) and the rule id, message and fix description
    /// escaped through `strings`, which keeps the last of each: a file's findings mostly repeat them.
    package static func appendObject(_ d: Diagnostic, quotedPath: ReportBuffer, strings: inout RepeatedJSONStrings, to o: inout ReportBuffer) {
        o.append("{\"path\":")
        o.append(quotedPath)
        appendFields(d, strings: &strings, to: &o)
    }

    /// Everything after the path, through the closing brace.
    private static func appendFields(_ d: Diagnostic, strings: inout RepeatedJSONStrings, to o: inout ReportBuffer) {
        o.append(",\"line\":")
        o.append(decimal: d.line)
        o.append(",\"column\":")
        o.append(decimal: d.column)
        o.append(",\"endLine\":")
        if let l = d.endLine { o.append(decimal: l) } else { o.append("null") }
        o.append(",\"endColumn\":")
        if let c = d.endColumn { o.append(decimal: c) } else { o.append("null") }
        o.append(",\"rule\":")
        strings.appendRule(d.rule, to: &o)
        o.append(",\"severity\":\"")
        o.append(d.severity.literal)
        o.append("\",\"message\":")
        strings.appendMessage(d.message, to: &o)
        if let fix = d.fix {
            o.append(",\"fix\":{\"applicability\":\"")
            o.append(fix.applicability == .safe ? "safe" : "unsafe")
            o.append("\",\"description\":")
            strings.appendDescription(fix.description, to: &o)
            o.append(",\"edits\":[")
            // Read in place (`edits` makes an array of a fix's inline edit).
            var i = 0
            fix.forEachEdit { e in
                o.append(i == 0 ? "{\"start\":" : ",{\"start\":")
                i += 1
                o.append(decimal: e.range.lowerBound)
                o.append(",\"end\":")
                o.append(decimal: e.range.upperBound)
                o.append(",\"replacement\":")
                // Replacement bytes are shown as `String(decoding:)` shows them (invalid UTF-8 as
                // U+FFFD); ASCII (deletions: empty) needs no decoding.
                if e.replacement.allSatisfy({ $0 < 0x80 }) {
                    e.replacement.withUnsafeBufferPointer { o.appendJSONQuoted(utf8: $0) }
                } else {
                    o.appendJSONQuoted(String(decoding: e.replacement, as: UTF8.self))
                }
                o.append("}")
            }
            o.append("]}")
        } else {
            o.append(",\"fix\":null")
        }
        if let unlisted = d.unlisted { appendUnlisted(unlisted, to: &o) }
        o.append(byte: 0x7D)
    }

    /// `,"unlisted":{…}`: what a listing-cap finding stands for, its nonzero counts only, in a
    /// fixed order (`info`, `warning`, `error`, `safeFixes`, `unsafeFixes`). Shared with SARIF.
    package static func appendUnlisted(_ u: UnlistedFindings, to o: inout ReportBuffer) {
        o.append(",\"unlisted\":{")
        var first = true
        for (key, n) in [("info", u.infos), ("warning", u.warnings), ("error", u.errors), ("safeFixes", u.safeFixes), ("unsafeFixes", u.unsafeFixes)] where n > 0 {
            o.append(first ? "\"" : ",\"")
            o.append(key)
            o.append("\":")
            o.append(decimal: n)
            first = false
        }
        o.append(byte: 0x7D)
    }
}

/// The JSON forms (quoted, escaped; the message as `JSONReporter.shownMessage` shows it) of the
/// last rule id, message and fix description written, reused while the next finding has the same
/// string (compared as bytes; one literal shared by a rule's findings compares by pointer).
package struct RepeatedJSONStrings {
    private var rule: (text: String, json: ReportBuffer)?
    private var message: (text: String, json: ReportBuffer)?
    private var description: (text: String, json: ReportBuffer)?
    /// false: every string is escaped straight into the output (a lone object has nothing to reuse).
    private let remembering: Bool

    package init(remembering: Bool = true) { self.remembering = remembering }

    package mutating func appendRule(_ s: String, to o: inout ReportBuffer) { append(s, last: &rule, shown: false, to: &o) }
    package mutating func appendMessage(_ s: String, to o: inout ReportBuffer) { append(s, last: &message, shown: true, to: &o) }
    package mutating func appendDescription(_ s: String, to o: inout ReportBuffer) { append(s, last: &description, shown: false, to: &o) }

    private func append(_ s: String, last: inout (text: String, json: ReportBuffer)?, shown: Bool, to o: inout ReportBuffer) {
        guard remembering else {
            o.appendJSONQuoted(shown ? JSONReporter.shownMessage(s) : s)
            return
        }
        if let l = last, l.text.hasSameBytes(as: s) {
            o.append(l.json)
            return
        }
        var json = ReportBuffer()
        json.appendJSONQuoted(shown ? JSONReporter.shownMessage(s) : s)
        o.append(json)
        last = (s, json)
    }
}

extension JSONReporter {
    /// `Diagnostic.displayMessage` with its check on bytes: a message changes only when it holds
    /// 0xF4 or 0xC2 (`SystemPath.displayText`'s own test), so nearly every one is returned as it is.
    package static func shownMessage(_ message: String) -> String {
        var m = message
        return m.withUTF8(isShownAsIs) ? message : SystemPath.displayText(message)
    }

    /// Appends `shownMessage(message)`: the message's own bytes when they need no change (no
    /// `String` handed back per finding).
    package static func appendShownMessage(_ message: String, to out: inout ReportBuffer) {
        let plain = message.utf8.withContiguousStorageIfAvailable { b -> Bool in
            guard isShownAsIs(b) else { return false }
            out.append(utf8: b)
            return true
        }
        if plain != true { out.append(shownMessage(message)) }
    }

    /// The same for a message's UTF-8 bytes.
    package static func appendShownMessage(utf8 message: UnsafeBufferPointer<UInt8>, to out: inout ReportBuffer) {
        if isShownAsIs(message) {
            out.append(utf8: message)
        } else {
            out.append(SystemPath.displayText(String(decoding: message, as: UTF8.self)))
        }
    }

    /// Whether a message's bytes hold neither 0xF4 nor 0xC2, so `displayText` leaves them as they are.
    /// memchr: cross-file messages that list paths run to kilobytes, and every finding is checked;
    /// a short message by words (two `memchr` calls cost more than its few words).
    @inline(__always)
    static func isShownAsIs(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        if b.count <= shortMessage {
            return ByteWords.firstIndex(of: 0xF4, or: 0xC2, in: UnsafeRawBufferPointer(b), from: 0, to: b.count) == b.count
        }
        return memchr(base, 0xF4, b.count) == nil && memchr(base, 0xC2, b.count) == nil
    }

    /// Messages up to this many bytes are checked by words, longer ones by `memchr`.
    private static var shortMessage: Int { 64 }
}

/// A message as the formats read on a terminal or in a CI log show it (text, concise, github,
/// markdown, and junit, whose XML cannot hold C0 controls at all): `SystemPath.displayText`, and
/// every control character (`DisplayWidth.isControl`: C0 with tab and newline, DEL, C1, the
/// bidirectional embeddings and isolates) as `⟨U+001B⟩`, as `explain` and the source excerpt's
/// report show them. Messages quote file content (a rule name in a directive, a front-matter
/// value): printed raw, an ESC in it was a terminal escape sequence. JSON, JSON Lines and SARIF
/// carry the message exactly (`shownMessage`), their escaping keeps it safe.
package enum TerminalMessage {
    /// `message` as shown: itself when it needs no change (nearly always). `keepsWhitespace`: tab,
    /// LF and CR kept, for a format that escapes them itself (GitHub's `%0A`, XML's `&#10;`).
    package static func shown(_ message: String, keepsWhitespace: Bool = false) -> String {
        var m = message
        if m.withUTF8(isShownAsIs) { return message }
        let text = SystemPath.displayText(message)
        func replaced(_ u: Unicode.Scalar) -> Bool {
            DisplayWidth.isControl(u) && !(keepsWhitespace && (u == "\t" || u == "\n" || u == "\r"))
        }
        guard text.unicodeScalars.contains(where: replaced) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for u in text.unicodeScalars {
            if replaced(u) { out += "⟨U+" + String(format: "%04X", u.value) + "⟩" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Appends `shown(message)`: the message's own bytes when they need no change.
    package static func append(_ message: String, to out: inout ReportBuffer) {
        var m = message
        let plain = m.withUTF8 { b -> Bool in
            guard isShownAsIs(b) else { return false }
            out.append(utf8: b)
            return true
        }
        if !plain { out.append(shown(message)) }
    }

    /// The same for a message's UTF-8 bytes.
    package static func append(utf8 message: UnsafeBufferPointer<UInt8>, to out: inout ReportBuffer) {
        if isShownAsIs(message) { out.append(utf8: message) } else { out.append(shown(String(decoding: message, as: UTF8.self))) }
    }

    /// Whether `b` holds nothing `shown` changes: no C0 control or DEL, no C1 control (C2 80–9F:
    /// `displayText` escapes them), no 0xF4 (`displayText`'s mapped bytes start with it), and no
    /// bidirectional control (E2 80 AA–AE, E2 81 A6–A9), eight bytes a step: nearly every message.
    /// 0xE2 also starts the curly quotes and dashes messages hold, and 0xC2 the middle dot of
    /// names (喬·拜登) and U+00A0, so their scalars are looked at: C2 A0–BF is shown as it is (such
    /// a message took the `String` path, a copy and a walk of its scalars).
    /// Sixteen bytes a step where two more follow: a step with none of C0, DEL, C2, E2 or F4 passes
    /// on one compare, one with any has each lane told exactly from its next two bytes (two more
    /// loads). The curly quotes, dashes and middle dots of most titles in the messages that list
    /// duplicates (kilobytes each) sent nearly every eight-byte step to the byte loop.
    @inline(__always)
    package static func isShownAsIs(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        func plainByte(_ i: Int) -> Bool {
            let c = b[i]
            if c < 0x20 || c == 0x7F || c == 0xF4 { return false }
            if c == 0xC2 { return i + 1 < b.count && b[i + 1] >= 0xA0 && b[i + 1] <= 0xBF }
            guard c == 0xE2, i + 2 < b.count else { return true }
            let b1 = b[i + 1], b2 = b[i + 2]
            return !((b1 == 0x80 && (0xAA...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2)))
        }
        var i = 0
        if b.count >= 18 {
            // Vector constants, not scalars: `.<` with a scalar operand was compiled lane by lane.
            typealias Lanes = SIMD16<UInt8>
            let space = Lanes(repeating: 0x20), delete = Lanes(repeating: 0x7F), mapped = Lanes(repeating: 0xF4)
            let c2 = Lanes(repeating: 0xC2), e2 = Lanes(repeating: 0xE2), x80 = Lanes(repeating: 0x80), x81 = Lanes(repeating: 0x81)
            let a0 = Lanes(repeating: 0xA0), bf = Lanes(repeating: 0xBF)
            let aa = Lanes(repeating: 0xAA), ae = Lanes(repeating: 0xAE), a6 = Lanes(repeating: 0xA6), a9 = Lanes(repeating: 0xA9)
            while i + 18 <= b.count {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: Lanes.self)
                let control = (v .< space) .| (v .== delete) .| (v .== mapped)
                if ByteWords.anyLane(control .| (v .== c2) .| (v .== e2)) {
                    // A step with a C2 or E2 (or worse): each lane told from its next two bytes.
                    let next = UnsafeRawPointer(base + i + 1).loadUnaligned(as: Lanes.self)
                    let third = UnsafeRawPointer(base + i + 2).loadUnaligned(as: Lanes.self)
                    let c1 = (v .== c2) .& ((next .< a0) .| (next .> bf))
                    let bidi = (v .== e2) .& (((next .== x80) .& (third .>= aa) .& (third .<= ae)) .| ((next .== x81) .& (third .>= a6) .& (third .<= a9)))
                    if ByteWords.anyLane(control .| c1 .| bidi) { return false }
                }
                i += 16
            }
        }
        while i + 8 <= b.count {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let below20 = (w &- 0x20 &* ByteWords.ones) & ~w & ByteWords.highs != 0
            if below20 || ByteWords.has(0x7F, in: w) || ByteWords.has(0xF4, in: w) || ByteWords.has(0xC2, in: w) || ByteWords.has(0xE2, in: w) {
                for k in i..<(i + 8) where !plainByte(k) { return false }
            }
            i += 8
        }
        while i < b.count {
            if !plainByte(i) { return false }
            i += 1
        }
        return true
    }
}

extension Severity {
    /// `rawValue` as a literal (appended without a `String`).
    package var literal: StaticString {
        switch self {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "info"
        }
    }
}

/// Human output: location, severity, message, rule, then the source line with a caret.
public struct TextReporter {
    public init() {}

    /// "Found N problems …" with fixable counts.
    package static func summary(_ totals: ReportTotals, context: ReportContext, style: ANSIStyle) -> String {
        let checked = context.filesChecked.map { " in \($0) file\($0 == 1 ? "" : "s")" } ?? ""
        if totals.count == 0 { return context.fixing ? "" : "No problems found\(checked).\n" }
        let e = totals.errors, w = totals.warnings, i = totals.infos
        let files = totals.files
        var parts: [String] = []
        if e > 0 { parts.append("\(e) error\(e == 1 ? "" : "s")") }
        if w > 0 { parts.append("\(w) warning\(w == 1 ? "" : "s")") }
        if i > 0 { parts.append("\(i) info") }
        // A path that could not be read has a problem but was not linted: it still counts as a file here.
        let checkedFiles = context.filesChecked.map { max($0, files) }
        let of = checkedFiles.map { " of \($0)" } ?? ""
        let n = totals.count
        var s = "\nFound \(n) problem\(n == 1 ? "" : "s") (\(parts.joined(separator: ", "))) in \(files)\(of) file\((checkedFiles ?? files) == 1 ? "" : "s").\n"
        let safe = totals.fixableSafe
        let unsafe = totals.fixableUnsafe
        if safe > 0 { s += "\(safe) fixable with --fix.\n" }
        if unsafe > 0 { s += "\(unsafe) more fixable with --fix --unsafe-fixes.\n" }
        return s
    }

    /// A display window of at most ~100 columns around `column`, and the caret's display offset in
    /// it. The line's UTF-8 is walked from `cursor` (where the previous caret on this line was)
    /// when the column is at or after it: findings on one line come in column order, so many of
    /// them on one long line stay linear, and only the bytes up to the window are looked at.
    package static func window(_ line: String, column: Int, cursor: inout LineCursor) -> (String, Int) {
        var shown = ReportBuffer()
        let offset = appendWindow(line, column: column, cursor: &cursor, into: &shown)
        return (shown.text, offset)
    }

    /// `window(_:column:cursor:)` appended to `out` as bytes (the line's own, where nothing is
    /// replaced); returns the caret's display offset.
    /// Every finding of the default format draws one, so it is cut a run at a time where it can:
    /// eight ASCII bytes (a column each) at a step, each other character's width from its bytes
    /// (no `Unicode.Scalar`), and the window copied whole when it holds nothing `appendShown`
    /// replaces. Scalar by scalar it was ~4,600 instructions a finding, a fifth of a warm run in
    /// the text format (agora ×10), all of it on the output's thread.
    package static func appendWindow(_ line: String, column: Int, cursor: inout LineCursor, into out: inout ReportBuffer) -> Int {
        var line = line
        return line.withUTF8 { u in
            let n = u.count
            let target = max(0, column - 1)
            if cursor.scalar > target || cursor.byte > n { cursor = LineCursor() }
            guard let base = u.baseAddress else { return 0 }
            let raw = UnsafeRawPointer(base)
            // Eight bytes at a time while the target's start is not among them: a chunk holds it
            // only if counting the chunk's starts (bytes that are not 10xxxxxx) would pass it.
            while cursor.byte + 8 <= n {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: cursor.byte, as: UInt64.self))
                // The continuation flags summed by a multiply: on the default CPU target (no
                // POPCNT) `nonzeroBitCount` is a dozen shifts, masks and adds.
                let starts = 8 - Int(truncatingIfNeeded: ((ByteWords.continuationFlags(w) >> 7) &* ByteWords.ones) >> 56)
                guard cursor.scalar + starts <= target else { break }
                cursor.scalar += starts
                cursor.byte += 8
            }
            // Off a chunk that ended inside a character: on to its next start, which counts no scalar.
            while cursor.byte < n && u[cursor.byte] & 0xC0 == 0x80 { cursor.byte += 1 }
            while cursor.scalar < target && cursor.byte < n {
                cursor.byte = nextScalarStart(u, after: cursor.byte)
                cursor.scalar += 1
            }
            let caret = cursor.byte
            let maxWidth = 100, leftWidth = maxWidth * 2 / 3
            var start = caret
            var width = 0
            while start > 0 {
                // Eight ASCII bytes before `start` are eight characters of a column each.
                if start >= 8 && width + 8 <= leftWidth && ByteWords.isASCII(raw.loadUnaligned(fromByteOffset: start - 8, as: UInt64.self)) {
                    width += 8
                    start -= 8
                    continue
                }
                var previous = start - 1
                while previous > 0 && u[previous] & 0xC0 == 0x80 { previous -= 1 }
                let w = displayWidth(u, at: previous)
                guard width + w <= leftWidth else { break }
                width += w
                start = previous
            }
            var end = caret
            var total = width
            while end < n {
                if end + 8 <= n && total + 8 <= maxWidth && ByteWords.isASCII(raw.loadUnaligned(fromByteOffset: end, as: UInt64.self)) {
                    total += 8
                    end += 8
                    continue
                }
                let w = displayWidth(u, at: end)
                guard total + w <= maxWidth else { break }
                total += w
                end = nextScalarStart(u, after: end)
            }
            if start > 0 { out.append("…") }
            let shown = UnsafeBufferPointer(rebasing: u[start..<end])
            // `isShownAsIs` refuses all `appendShown` replaces (and 0xF4, which it keeps).
            if TerminalMessage.isShownAsIs(shown) { out.append(utf8: shown) } else { appendShown(u, start..<end, into: &out) }
            if end < n { out.append("…") }
            return width + (start > 0 ? 1 : 0)
        }
    }

    /// `DisplayWidth.of` the scalar starting at `i` (a character boundary of valid UTF-8),
    /// decoded from its bytes; 1 (U+FFFD's) where they run past the end. (A test holds it to
    /// `DisplayWidth.of` for every scalar: the lead bytes E5–E9 are read as width 2 without it.)
    @inline(__always)
    static func displayWidth(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b0 = UInt32(u[i])
        if b0 < 0x80 { return 1 }
        if b0 < 0xE0 {
            guard i + 1 < u.count else { return 1 }
            return DisplayWidth.of(value: (b0 & 0x1F) << 6 | UInt32(u[i + 1] & 0x3F))
        }
        if b0 < 0xF0 {
            guard i + 2 < u.count else { return 1 }
            // U+5000–U+9FFF, all CJK Unified Ideographs: most of a Chinese line.
            if b0 >= 0xE5 && b0 <= 0xE9 { return 2 }
            return DisplayWidth.of(value: (b0 & 0x0F) << 12 | UInt32(u[i + 1] & 0x3F) << 6 | UInt32(u[i + 2] & 0x3F))
        }
        return DisplayWidth.of(scalar(u, at: i))
    }

    /// The bytes of `range` as a code frame shows them: a tab as a space, and a control character
    /// (`DisplayWidth.isControl`: C0, DEL, C1, bidirectional embeddings and isolates) as U+FFFD;
    /// everything else copied in runs.
    private static func appendShown(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: inout ReportBuffer) {
        var run = range.lowerBound
        var i = range.lowerBound
        func flush(to end: Int) {
            if end > run { out.append(utf8: UnsafeBufferPointer(rebasing: u[run..<end])) }
        }
        while i < range.upperBound {
            let b = u[i]
            let next = nextScalarStart(u, after: i)
            let control: Bool
            if b < 0x80 {
                control = b < 0x20 || b == 0x7F
            } else if b == 0xC2 {
                control = next - i == 2 && u[i + 1] <= 0x9F  // U+0080–U+009F
            } else if b == 0xE2, next - i == 3 {
                let b1 = u[i + 1], b2 = u[i + 2]
                control = (b1 == 0x80 && (0xAA...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2))  // U+202A–202E, U+2066–2069
            } else {
                control = false
            }
            if control {
                flush(to: i)
                if b == 0x09 { out.append(byte: 0x20) } else { out.append("\u{FFFD}") }
                run = next
            }
            i = next
        }
        flush(to: range.upperBound)
    }

    /// A scalar's position on a line: its index and the byte it starts at. Valid for one line of
    /// one file: the caller starts a new one for each.
    package struct LineCursor {
        var scalar = 0
        var byte = 0
        package init() {}
    }

    @inline(__always)
    private static func nextScalarStart(_ u: UnsafeBufferPointer<UInt8>, after i: Int) -> Int {
        var j = i + 1
        while j < u.count && u[j] & 0xC0 == 0x80 { j += 1 }
        return j
    }

    /// The scalar starting at `i`, a character boundary of valid UTF-8 (a `String`'s); U+FFFD
    /// where its bytes run past the end.
    @inline(__always)
    private static func scalar(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar {
        let b0 = UInt32(u[i])
        if b0 < 0x80 { return Unicode.Scalar(UInt8(b0)) }
        let length = b0 >= 0xF0 ? 4 : (b0 >= 0xE0 ? 3 : 2)
        guard i + length <= u.count else { return "\u{FFFD}" }
        var v = b0 & (0xFF >> UInt32(length + 1))
        for k in 1..<length { v = v << 6 | UInt32(u[i + k] & 0x3F) }
        return Unicode.Scalar(v) ?? "\u{FFFD}"
    }

    /// The window over a line split into scalars: the plain form `window(_:column:cursor:)` must
    /// match (its tests compare the two).
    package static func window(_ scalars: [Unicode.Scalar], column: Int) -> (String, Int) {
        let caret = max(0, min(column - 1, scalars.count))
        let maxWidth = 100
        var start = caret
        var width = 0
        while start > 0 && width + DisplayWidth.of(scalars[start - 1]) <= maxWidth * 2 / 3 {
            width += DisplayWidth.of(scalars[start - 1])
            start -= 1
        }
        var end = caret
        var total = width
        while end < scalars.count && total + DisplayWidth.of(scalars[end]) <= maxWidth {
            total += DisplayWidth.of(scalars[end])
            end += 1
        }
        var shown = String(String.UnicodeScalarView(scalars[start..<end].map { $0.value == 0x09 ? " " : (DisplayWidth.isControl($0) ? "�" : $0) }))
        var offset = width
        if start > 0 { shown = "…" + shown; offset += 1 }
        if end < scalars.count { shown += "…" }
        return (shown, offset)
    }
}

/// Terminal display width of scalars (East Asian wide and fullwidth take two cells).
public enum DisplayWidth {
    public static func of(_ s: Unicode.Scalar) -> Int { of(value: s.value) }

    /// `of` a scalar's value (a valid one: not a surrogate, at most U+10FFFF).
    @inline(__always)
    static func of(value v: UInt32) -> Int {
        if v < 0x300 { return 1 }
        if (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFE0F { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v) ||
            (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v) ||
            (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) ||
            (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) ||
            (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) || (0x2F00...0x2FDF).contains(v) {
            return 2
        }
        return 1
    }

    package static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }
}

/// Reads source lines for display. Diagnostics arrive sorted by path, so only the current
/// file (and its last decoded line) is kept, not every file of the run.
package struct SourceCache {
    package let inMemory: [String: [UInt8]]
    package let base: String
    /// The file read back last (not parsed as a document).
    private var current: (path: String, file: SourceText?)?
    private var lastLine: (path: String, number: Int, text: String)?
    /// Lines of `captured.path` the lint pass kept: answered without reading the file.
    private let captured: (path: String, lines: [Int: String])?

    package init(inMemory: [String: [UInt8]], base: String, captured: (path: String, lines: [Int: String])? = nil) {
        self.inMemory = inMemory
        self.base = base
        self.captured = captured
    }

    /// Line `n` of `path` (decoded once per line).
    package mutating func line(_ path: String, _ n: Int) -> String? {
        if let l = lastLine, l.path.hasSameBytes(as: path), l.number == n { return l.text }
        if let captured, captured.path.hasSameBytes(as: path), let text = captured.lines[n] {
            lastLine = (path, n, text)
            return text
        }
        if !(current?.path.hasSameBytes(as: path) ?? false) {
            var bytes = inMemory[exactPath: path]
            if bytes == nil, case let .bytes(read) = FileReader.read(PathResolver.absolute(path, base: base), maxSize: Int.max / 2) { bytes = read }
            current = (path, bytes.map { SourceText(bytes: $0) })
        }
        guard let file = current?.file, n >= 1, n <= file.lineCount else { return nil }
        let text = file.lineText(n)
        lastLine = (path, n, text)
        return text
    }
}

/// ANSI colours, or plain text when disabled.
public struct ANSIStyle: Sendable {
    public let enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }
    private func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func red(_ s: String) -> String { wrap(s, "31;1") }
    public func yellow(_ s: String) -> String { wrap(s, "33;1") }
    public func blue(_ s: String) -> String { wrap(s, "34;1") }
    public func bold(_ s: String) -> String { wrap(s, "1") }
    public func dim(_ s: String) -> String { wrap(s, "2") }
}
