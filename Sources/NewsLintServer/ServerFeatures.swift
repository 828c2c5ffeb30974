import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// One document's diagnostics as linted, with the text version they were computed on (code
/// actions and hovers convert byte offsets against exactly that text).
package struct LintedDocument {
    package var version: Int?
    package var positions: TextPositions
    /// Per-file findings (engine order).
    package var perFile: [Diagnostic]
    /// Findings of cross-file rules from the last workspace run.
    package var crossFile: [Diagnostic] = []

    package var all: [Diagnostic] { perFile + crossFile }

    /// The LSP range of a finding: its own span, or to the end of its line when it names only a point.
    package func range(of d: Diagnostic) -> LSPRange {
        let start = positions.position(line: d.line, scalarColumn: d.column)
        var end: LSPPosition
        if let endLine = d.endLine, let endColumn = d.endColumn {
            end = positions.position(line: endLine, scalarColumn: endColumn)
        } else {
            end = positions.position(ofByte: positions.contentEnd(ofLine: min(start.line, positions.lineStarts.count - 1)))
        }
        if end < start { end = start }
        return LSPRange(start: start, end: end)
    }
}

/// Protocol shapes built from engine results: diagnostics, code actions, hovers.
package enum ServerFeatures {
    package static let source = "newslint"
    package static let fixAllKind = "source.fixAll.newslint"
    /// Findings the engine itself reports; they cannot be suppressed inline.
    package static let unsuppressible: Set<String> = ["io-error", "file-skipped", Suppressions.ruleID]

    package static func lspDiagnostic(_ d: Diagnostic, in doc: LintedDocument) -> JSONValue {
        let severity: Int
        switch d.severity {
        case .error: severity = 1
        case .warning: severity = 2
        case .info: severity = 3
        }
        var pairs: [(String, JSONValue)] = [
            ("range", LSPJSON.range(doc.range(of: d))),
            ("severity", LSPJSON.int(severity)),
            ("code", .string(d.rule)),
            ("source", .string(source)),
            ("message", .string(d.message)),
        ]
        if let fix = d.fix { pairs.append(("data", LSPJSON.object([("fix", .string(fix.applicability.rawValue))]))) }
        return LSPJSON.object(pairs)
    }

    package static func publishParams(uri: String, doc: LintedDocument) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("uri", .string(uri))]
        if let v = doc.version { pairs.append(("version", LSPJSON.int(v))) }
        pairs.append(("diagnostics", LSPJSON.array(doc.all.map { lspDiagnostic($0, in: doc) })))
        return LSPJSON.object(pairs)
    }

    package static func textEdit(_ range: LSPRange, _ text: String) -> JSONValue {
        LSPJSON.object([("range", LSPJSON.range(range)), ("newText", .string(text))])
    }

    package static func workspaceEdit(uri: String, _ edits: [JSONValue]) -> JSONValue {
        LSPJSON.object([("changes", LSPJSON.object([(uri, LSPJSON.array(edits))]))])
    }

    package static func kindMatches(_ kind: String, only: [String]?) -> Bool {
        guard let only else { return true }
        return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
    }

    /// Code actions for the findings overlapping `range`: each fix (safe ones preferred quick fixes,
    /// unsafe ones marked), suppression comments, and fix-all-safe as a source action.
    package static func codeActions(uri: String, range: LSPRange, only: [String]?, doc: LintedDocument, document: Document,
                            fixAllSafe: () -> [UInt8]) -> [JSONValue] {
        var actions: [JSONValue] = []
        let overlapping = doc.all.filter { d in
            let r = doc.range(of: d)
            return r.start <= range.end && range.start <= r.end
        }
        if kindMatches("quickfix", only: only) {
            for d in overlapping {
                let diagnostic = lspDiagnostic(d, in: doc)
                if let fix = d.fix, !fix.edits.isEmpty, fix.edits.allSatisfy({ $0.range.upperBound <= doc.positions.bytes.count }) {
                    let edits = fix.edits.map { e in textEdit(doc.positions.range(ofBytes: e.range), String(decoding: e.replacement, as: UTF8.self)) }
                    let safe = fix.applicability == .safe
                    let title = safe ? "\(fix.description) (\(d.rule))" : "\(fix.description) (\(d.rule), unsafe fix: check the result)"
                    actions.append(LSPJSON.object([
                        ("title", .string(title)), ("kind", .string("quickfix")),
                        ("diagnostics", LSPJSON.array([diagnostic])), ("isPreferred", .bool(safe)),
                        ("edit", workspaceEdit(uri: uri, edits)),
                    ]))
                }
            }
            var offered = Set<String>()
            for d in overlapping where !unsuppressible.contains(d.rule) {
                for s in suppressions(for: d, document: document, positions: doc.positions) where offered.insert(s.title).inserted {
                    actions.append(LSPJSON.object([
                        ("title", .string(s.title)), ("kind", .string("quickfix")),
                        ("diagnostics", LSPJSON.array([lspDiagnostic(d, in: doc)])),
                        ("edit", workspaceEdit(uri: uri, [s.edit])),
                    ]))
                }
            }
        }
        if (only != nil && kindMatches(fixAllKind, only: only)) || (only == nil && doc.perFile.contains { $0.fix?.applicability == .safe }) {
            if doc.perFile.contains(where: { $0.fix?.applicability == .safe }), let edit = wholeChange(from: doc.positions, to: fixAllSafe()) {
                actions.append(LSPJSON.object([
                    ("title", .string("Fix all safe newslint findings")), ("kind", .string(fixAllKind)),
                    ("edit", workspaceEdit(uri: uri, [edit])),
                ]))
            }
        }
        return actions
    }

    /// Suppression comments for one finding (syntax of `Suppressions`): on its line when the line
    /// is body text, else for the file at the start of the body (directives in front matter and
    /// code blocks are content, not instructions).
    package static func suppressions(for d: Diagnostic, document: Document, positions: TextPositions) -> [(title: String, edit: JSONValue)] {
        var out: [(String, JSONValue)] = []
        let line = d.line
        if let body = document.bodyLines, body.contains(line), !document.isCode(line: line), line <= document.lineCount {
            let content = document.contentRange(ofLine: line)
            // Before trailing blanks: a comment after them would make them no longer trailing.
            var end = content.upperBound
            while end > content.lowerBound, document.bytes[end - 1] == 0x20 || document.bytes[end - 1] == 0x09 { end -= 1 }
            if end > content.lowerBound {
                let at = positions.position(ofByte: end)
                out.append(("Suppress \(d.rule) on this line", textEdit(LSPRange(start: at, end: at), " <!-- newslint-disable-line \(d.rule) -->")))
            }
        }
        let start = document.bodyStart
        let needsNewline = start > 0 && start == document.bytes.count && document.bytes.last != 0x0A
        let at = positions.position(ofByte: start)
        out.append(("Suppress \(d.rule) in this file", textEdit(LSPRange(start: at, end: at), (needsNewline ? "\n" : "") + "<!-- newslint-disable-file \(d.rule) -->\n")))
        return out
    }

    /// One text edit turning `old` into `new`: the differing middle, cut at scalar boundaries and
    /// never between the `\r` and `\n` of a line break. An LSP position cannot point there (it
    /// maps to the end of the line's content, before the `\r`): a CRLF-to-LF change whose middle
    /// was the `\r` alone became an empty range, an edit that changed nothing or left `\n\r\n`.
    package static func wholeChange(from old: TextPositions, to new: [UInt8]) -> JSONValue? {
        let a = old.bytes
        guard a != new else { return nil }
        func splitsLineBreak(_ offset: Int) -> Bool { offset > 0 && offset < a.count && a[offset - 1] == 0x0D && a[offset] == 0x0A }
        var prefix = 0
        while prefix < a.count && prefix < new.count && a[prefix] == new[prefix] { prefix += 1 }
        while prefix > 0 && prefix < a.count && a[prefix] & 0xC0 == 0x80 { prefix -= 1 }
        if splitsLineBreak(prefix) { prefix -= 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < new.count - prefix && a[a.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        while suffix > 0 && a[a.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
        if splitsLineBreak(a.count - suffix) { suffix -= 1 }
        let range = old.range(ofBytes: prefix..<(a.count - suffix))
        return textEdit(range, String(decoding: new[prefix..<(new.count - suffix)], as: UTF8.self))
    }

    /// Markdown for the findings under the cursor: message, the rule's summary and rationale (catalog docs).
    package static func hover(_ findings: [Diagnostic], catalog: Catalog) -> String {
        findings.map { d in
            var text = "**newslint `\(d.rule)`** (\(d.severity.rawValue)): \(d.message)"
            if let meta = catalog.metadata(d.rule) {
                text += "\n\n\(meta.summary)\n\n\(meta.rationale)"
            }
            if let fix = d.fix {
                text += "\n\nFix (\(fix.applicability.rawValue)): \(fix.description)"
            }
            text += "\n\n`newslint explain \(d.rule)` shows options and examples."
            return text
        }.joined(separator: "\n\n---\n\n")
    }
}
