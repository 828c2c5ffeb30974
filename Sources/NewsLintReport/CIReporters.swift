import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// JSON Lines: one diagnostic object per line (the same object as `--format json`).
/// The CLI streams it file by file as files finish.
public struct JSONLinesReporter {
    public init() {}

    public static func lines(_ diagnostics: [Diagnostic]) -> String {
        var out = ReportBuffer()
        appendLines(diagnostics, to: &out)
        return out.text
    }
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`, which the
/// runner turns into annotations on the pull request's diff.
public struct GitHubReporter {
    public init() {}

    public static func command(_ d: Diagnostic) -> String {
        let level: String
        switch d.severity {
        case .error: level = "error"
        case .warning: level = "warning"
        case .info: level = "notice"
        }
        var props = ["file=\(escapeProperty(fileProperty(d.path)))", "line=\(d.line)", "col=\(d.column)"]
        if let l = d.endLine { props.append("endLine=\(l)") }
        if let c = d.endColumn, d.endLine == d.line { props.append("endColumn=\(c)") }
        props.append("title=\(escapeProperty("newslint (\(d.rule))"))")
        return "::\(level) \(props.joined(separator: ","))::\(escapeData(TerminalMessage.shown(d.message, keepsWhitespace: true)))"
    }

    /// The `file` property before its escaping: the name as the runner matches it with the
    /// repository's files. CR and LF are kept for `escapeProperty` (`%0D`, `%0A`, which the runner
    /// decodes); the display form wrote `\x0D`, which names no file, so the annotation did not
    /// attach. The rest of the name is shown as `SystemPath.display` shows it (its other controls
    /// and bytes that are not UTF-8 escaped: no workflow-command escape carries those).
    static func fileProperty(_ path: String) -> String {
        guard path.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return SystemPath.display(path) }
        var out = "", piece = ""
        for u in path.unicodeScalars {
            if u == "\n" || u == "\r" {
                out += SystemPath.display(piece)
                out.unicodeScalars.append(u)
                piece = ""
            } else {
                piece.unicodeScalars.append(u)
            }
        }
        return out + SystemPath.display(piece)
    }

    /// Message escaping of the runner (toolkit `escapeData`): `%`, CR, LF.
    public static func escapeData(_ s: String) -> String { escape(s, property: false) }

    /// Property escaping (toolkit `escapeProperty`): additionally `:` and `,`.
    public static func escapeProperty(_ s: String) -> String { escape(s, property: true) }

    private static func escape(_ s: String, property: Bool) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

/// JUnit XML: one `<testsuite>` per file, one `<testcase>` per diagnostic with a
/// `<failure>` (errors and warnings) or `<skipped>`-free pass for info; clean files get
/// one passing test case so CI dashboards count them.
public struct JUnitReporter: Reporter {
    public init() {}
    public func render(_ result: LintResult, context: ReportContext) -> String {
        // By path bytes: two names that differ only in Unicode normalization are two files.
        var byPath: [PathKey: [Diagnostic]] = [:]
        for d in result.diagnostics { byPath[PathKey(d.path), default: []].append(d) }
        var paths = Set(result.files.map { PathKey($0.path) })
        paths.formUnion(byPath.keys)
        let sorted = paths.sorted().map(\.path)
        let failing = result.diagnostics.filter { $0.severity != .info }.count
        let tests = sorted.reduce(0) { $0 + max(1, byPath[PathKey($1)]?.count ?? 0) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"newslint\" tests=\"\(tests)\" failures=\"\(failing)\" errors=\"0\">\n"
        for path in sorted {
            let diags = byPath[PathKey(path)] ?? []
            let f = diags.filter { $0.severity != .info }.count
            out += "  <testsuite name=\"\(Self.escape(SystemPath.display(path)))\" tests=\"\(max(1, diags.count))\" failures=\"\(f)\" errors=\"0\" skipped=\"0\">\n"
            if diags.isEmpty {
                out += "    <testcase name=\"newslint\" classname=\"\(Self.escape(SystemPath.display(path)))\"/>\n"
            }
            for d in diags {
                let name = "\(d.rule) at \(d.line):\(d.column)"
                out += "    <testcase name=\"\(Self.escape(name))\" classname=\"\(Self.escape(SystemPath.display(path)))\" file=\"\(Self.escape(SystemPath.display(path)))\" line=\"\(d.line)\">\n"
                if d.severity == .info {
                    out += "      <system-out>\(Self.escape("info: \(TerminalMessage.shown(d.message, keepsWhitespace: true))"))</system-out>\n"
                } else {
                    out += "      <failure type=\"\(Self.escape(d.rule))\" message=\"\(Self.escape(TerminalMessage.shown(d.message, keepsWhitespace: true)))\">"
                    out += Self.escape("\(d.displayPath):\(d.line):\(d.column): \(d.severity.rawValue): \(TerminalMessage.shown(d.message, keepsWhitespace: true)) [\(d.rule)]")
                    out += "</failure>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// XML 1.0 escaping; characters XML cannot carry at all (most C0 controls, lone
    /// surrogates cannot occur in Swift strings) become U+FFFD so the file stays well-formed.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// A compact Markdown summary for a CI job summary (`$GITHUB_STEP_SUMMARY`): totals,
/// counts per rule, the worst files, and the first diagnostics.
public struct MarkdownReporter: Reporter {
    public init() {}
    /// Diagnostics listed individually (the rest are counted).
    public var listLimit = 50

    public func render(_ result: LintResult, context: ReportContext) -> String {
        let summary = CorpusSummary(result: result, catalog: context.catalog, profiles: [])
        var out = "## newslint\n\n"
        let d = result.diagnostics
        if d.isEmpty {
            out += result.files.isEmpty ? "No problems found.\n" : "No problems found in \(SummaryRenderer.count(summary.files, "file")).\n"
            return out
        }
        // Every finding, listed or not (`summary.total` counts a listing-cap finding as the ones it stands for).
        // `merge` knows only the files with findings (its facts name no clean file): "N of N files"
        // would claim every file had one.
        let withFindings = Set(d.map(\.path)).count
        out += "**\(summary.total)** problem\(summary.total == 1 ? "" : "s") in "
            + (result.files.isEmpty ? SummaryRenderer.count(withFindings, "file") : "\(withFindings) of \(SummaryRenderer.count(summary.files, "file"))") + ": "
        out += "\(summary.errors) error\(summary.errors == 1 ? "" : "s"), \(summary.warnings) warning\(summary.warnings == 1 ? "" : "s"), \(summary.infos) info"
        var fixable: [String] = []
        if summary.fixableSafe > 0 { fixable.append("\(summary.fixableSafe) fixable with `--fix`") }
        if summary.fixableUnsafe > 0 { fixable.append("\(summary.fixableUnsafe) more with `--fix --unsafe-fixes`") }
        if !fixable.isEmpty { out += " (" + fixable.joined(separator: ", ") + ")" }
        out += ".\n\n"
        out += SummaryRenderer.markdownRuleTable(summary)
        out += "\n"
        if d.count > 0 {
            out += "<details><summary>Diagnostics\(d.count > listLimit ? " (first \(listLimit) of \(d.count))" : "")</summary>\n\n"
            out += "| Location | Severity | Rule | Message |\n|---|---|---|---|\n"
            for x in d.prefix(listLimit) {
                out += "| \(SummaryRenderer.mdCodeSpan("\(x.displayPath):\(x.line):\(x.column)")) | \(x.severity.rawValue) | `\(x.rule)` | \(SummaryRenderer.mdText(TerminalMessage.shown(x.message))) |\n"
            }
            out += "\n</details>\n"
        }
        return out
    }
}

/// SARIF 2.1.0 (OASIS), as consumed by GitHub code scanning and IDE SARIF viewers:
/// the catalog becomes `tool.driver.rules`; every diagnostic a `result` with a physical
/// location and, when fixable, byte-range `fixes`.
public struct SARIFReporter: Reporter {
    public init() {}

    public func render(_ result: LintResult, context: ReportContext) -> String {
        var out = ReportBuffer()
        render(result, context: context, into: &out)
        return out.text
    }

    public func render(_ result: LintResult, context: ReportContext, into out: inout ReportBuffer) {
        let rules = context.catalog.rules
        var index: [String: Int] = [:]
        for (i, r) in rules.enumerated() { index[r.id] = i }
        var driver = JSONObjectBuilder()
        driver.add("name", string: "newslint")
        driver.add("version", string: NewsLintVersion.current)
        driver.add("semanticVersion", string: NewsLintVersion.current)
        driver.add("informationUri", string: "https://github.com/newslint/newslint")
        driver.add("rules", "[\n" + rules.map { "        " + Self.rule($0) }.joined(separator: ",\n") + "\n      ]")
        var tool = JSONObjectBuilder()
        tool.add("driver", driver.json)

        // Fingerprints as in baselines (rule, path, line text, occurrence): stable when lines
        // move, distinct for distinct findings, so code scanning tracks alerts across pushes.
        var sources = SourceCache(inMemory: context.inMemorySources, base: context.baseDirectory)
        let fingerprints = context.fingerprints ?? Baseline.fingerprints(result.diagnostics) { sources.line($0, $1) }
        var results = ReportBuffer()
        var artifact: (path: String, json: ReportBuffer)?
        for (d, fingerprint) in zip(result.diagnostics, fingerprints) {
            results.append(results.isEmpty ? "        " : ",\n        ")
            // A file's findings share one artifact location: escaped and encoded once per path.
            let location: ReportBuffer
            if let a = artifact, a.path.hasSameBytes(as: d.path) {
                location = a.json
            } else {
                var json = ReportBuffer()
                Self.appendArtifact(d.path, to: &json)
                artifact = (d.path, json)
                location = json
            }
            Self.appendResult(d, ruleIndex: index[d.rule], fingerprint: fingerprint, artifact: location, to: &results)
        }
        if !results.isEmpty { results.append(byte: 0x0A) }
        var run = JSONObjectBuilder()
        run.add("tool", tool.json)
        run.add("columnKind", string: "unicodeCodePoints")
        var base = JSONObjectBuilder()
        var srcroot = JSONObjectBuilder()
        srcroot.add("uri", string: Self.directoryURI(context.baseDirectory))
        base.add("%SRCROOT%", srcroot.json)
        run.add("originalUriBaseIds", base.json)
        // The run object with its results last: what `JSONObjectBuilder` writes, with the
        // results (most of the document) appended as bytes rather than joined as strings.
        let runHead = run.json.dropLast()
        out.append("{\"$schema\":")
        out.appendJSONQuoted("https://json.schemastore.org/sarif-2.1.0.json")
        out.append(",\"version\":")
        out.appendJSONQuoted("2.1.0")
        out.append(",\"runs\":[\n    ")
        out.append(String(runHead))
        out.append(",\"results\":[\n")
        out.append(results)
        out.append("      ]}\n  ]}\n")
    }

    /// One result object (`{"ruleId":…}`), written as bytes (`ReportBytesTests` holds the
    /// `JSONObjectBuilder` form it must equal).
    private static func appendResult(_ d: Diagnostic, ruleIndex: Int?, fingerprint: String, artifact: ReportBuffer, to o: inout ReportBuffer) {
        o.append("{\"ruleId\":")
        o.appendJSONQuoted(d.rule)
        if let i = ruleIndex {
            o.append(",\"ruleIndex\":")
            o.append(decimal: i)
        }
        o.append(",\"level\":\"")
        o.append(level(d.severity))
        o.append("\",\"message\":{\"text\":")
        o.appendJSONQuoted(JSONReporter.shownMessage(d.message))
        o.append("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":")
        o.append(artifact)
        o.append(",\"region\":{\"startLine\":")
        o.append(decimal: max(1, d.line))
        o.append(",\"startColumn\":")
        o.append(decimal: max(1, d.column))
        if let l = d.endLine, let c = d.endColumn, (l, c) >= (d.line, d.column) {
            o.append(",\"endLine\":")
            o.append(decimal: l)
            o.append(",\"endColumn\":")
            o.append(decimal: max(1, c))
        }
        o.append("}}}],\"partialFingerprints\":{\"newslint/v1\":")
        o.appendJSONQuoted(fingerprint)
        o.append(byte: 0x7D)
        if let fix = d.fix {
            o.append(",\"fixes\":[{\"description\":{\"text\":")
            o.appendJSONQuoted(fix.applicability == .unsafe ? fix.description + " (unsafe)" : fix.description)
            o.append("},\"artifactChanges\":[{\"artifactLocation\":")
            o.append(artifact)
            o.append(",\"replacements\":[")
            for (i, e) in fix.edits.enumerated() {
                o.append(i == 0 ? "{\"deletedRegion\":{\"byteOffset\":" : ",{\"deletedRegion\":{\"byteOffset\":")
                o.append(decimal: e.range.lowerBound)
                o.append(",\"byteLength\":")
                o.append(decimal: e.range.count)
                o.append(byte: 0x7D)
                if !e.replacement.isEmpty {
                    if let text = String(validating: e.replacement, as: UTF8.self) {
                        o.append(",\"insertedContent\":{\"text\":")
                        o.appendJSONQuoted(text)
                    } else {
                        o.append(",\"insertedContent\":{\"binary\":")
                        o.appendJSONQuoted(Data(e.replacement).base64EncodedString())
                    }
                    o.append(byte: 0x7D)
                }
                o.append(byte: 0x7D)
            }
            o.append("]}]}]")
        }
        // A listing-cap finding says what it stands for in a property bag (SARIF's place for
        // tool-specific data): `{"unlisted":{"warning":500,"safeFixes":500}}`.
        if let unlisted = d.unlisted {
            o.append(",\"properties\":{")
            var bag = ReportBuffer()
            JSONReporter.appendUnlisted(unlisted, to: &bag)
            // Without the leading comma the bag's one member.
            o.append(String(bag.text.dropFirst()))
            o.append(byte: 0x7D)
        }
        o.append(byte: 0x7D)
    }

    /// An artifact location: the path's URI, relative to `%SRCROOT%` when it is.
    private static func appendArtifact(_ path: String, to o: inout ReportBuffer) {
        let (uri, relative) = uriReference(path)
        o.append("{\"uri\":")
        o.appendJSONQuoted(uri)
        if relative { o.append(",\"uriBaseId\":\"%SRCROOT%\"") }
        o.append(byte: 0x7D)
    }

    package static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    package static func rule(_ r: RuleMetadata) -> String {
        var o = JSONObjectBuilder()
        o.add("id", string: r.id)
        o.add("name", string: r.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
        var short = JSONObjectBuilder()
        short.add("text", string: r.summary)
        o.add("shortDescription", short.json)
        var full = JSONObjectBuilder()
        full.add("text", string: r.rationale)
        o.add("fullDescription", full.json)
        var help = JSONObjectBuilder()
        let fixText = r.fixable == .none ? "no automatic fix" : (r.fixable == .safe ? "fixed by `newslint --fix`" : "fixed by `newslint --fix --unsafe-fixes`")
        help.add("text", string: "\(r.summary) \(r.rationale) Run `newslint explain \(r.id)` for options and examples; \(fixText).")
        help.add("markdown", string: "**\(r.summary)**\n\n\(r.rationale)\n\nRun `newslint explain \(r.id)` for options and examples; \(fixText).")
        o.add("help", help.json)
        var config = JSONObjectBuilder()
        config.add("enabled", bool: r.enabledByDefault)
        config.add("level", string: level(r.severity))
        o.add("defaultConfiguration", config.json)
        var props = JSONObjectBuilder()
        props.add("tags", "[" + JSONWriter.quote(r.family) + "]")
        props.add("fixable", string: r.fixable.rawValue)
        o.add("properties", props.json)
        return o.json
    }


    /// Characters kept as-is in a URI path (RFC 3986 unreserved plus `/`); everything else is percent-encoded.
    private static let uriSafe: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8))

    /// Percent-encodes the path's exact bytes: a file name that is not UTF-8 becomes `%B7`, as URIs require.
    package static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in SystemPath.bytes(s) {
            if uriSafe.contains(b) { out.unicodeScalars.append(Unicode.Scalar(b)) } else { out += String(format: "%%%02X", b) }
        }
        return out
    }

    /// A relative reference for relative paths (resolved against %SRCROOT%), a file URI otherwise.
    package static func uriReference(_ path: String) -> (String, Bool) {
        if path.hasPrefix("/") { return ("file://" + percentEncode(path), false) }
        var p = Substring(path)
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        return (percentEncode(String(p)), true)
    }

    package static func directoryURI(_ dir: String) -> String {
        let d = dir.hasSuffix("/") ? dir : dir + "/"
        return "file://" + percentEncode(d)
    }
}
