import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 16 (per-finding cost): reporters write UTF-8 bytes, spilled findings share their decoded
/// strings, and the per-file steps skip work on input that is already in order. Each must give
/// exactly what the `String` and dictionary code it replaced gave.
@Suite struct ReportBytesTests {
    static let awkward = [
        "", "plain", "引号\"与\\反斜杠", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{1F}\u{7F}", "C1 \u{85}\u{9F} stays",
        "line\u{2028}para\u{2029}end", "\u{2028}", "ends with E2 80: \u{2027}", "emoji 🧪 and 中文", "\u{E2}\u{80}",
        // Past the eight-byte skip: escapes at and across word boundaries.
        String(repeating: "a", count: 13) + "\u{2028}" + String(repeating: "b", count: 20), "abcdefghijklmnop\"q",
        "中文中文中文\u{1}中文“引号”……", String(repeating: "x", count: 7) + "\\" + String(repeating: "y", count: 8) + "\u{7F}",
    ]

    @Test func jsonQuotingMatchesJSONWriter() {
        for s in Self.awkward {
            var out = ReportBuffer()
            out.appendJSONQuoted(s)
            #expect(out.text == JSONWriter.quote(s), "\(s.debugDescription)")
        }
    }

    @Test func decimalsMatchStringInit() {
        for n in [0, 1, 9, 10, 11, 99, 100, 12345, -1, -10, -987654321, Int.max, Int.min] {
            var out = ReportBuffer()
            out.append(decimal: n)
            #expect(out.text == String(n))
        }
    }

    /// Every number around the inline cases (one, two and three digits) and past them, one
    /// after another into one buffer (each claims its bytes after the last): as `String(n)`.
    @Test func decimalsInARowMatchStringInit() {
        var numbers = Array(-1100...12_000) + [99_999, 100_000, 1_000_000_007, Int.max, Int.min, Int.min + 1]
        var rng = SeededRandom(seed: 1000)
        for _ in 0..<2000 { numbers.append(Int(bitPattern: UInt(truncatingIfNeeded: rng.next())) >> rng.below(63)) }
        var out = ReportBuffer()
        var expected = ""
        for n in numbers {
            out.append(decimal: n)
            out.append(byte: 0x2C)
            expected += String(n) + ","
        }
        #expect(out.text == expected)
    }

    /// The object JSON and JSON Lines print, against the JSONObjectBuilder form it replaced.
    @Test func jsonObjectMatchesBuilder() {
        let withFix = Diagnostic(rule: "r", severity: .error, path: "dir/a \"b\".md", line: 3, column: 7, endLine: 3, endColumn: 9,
                                 message: "quote \" and\ttab", fix: Fix(.unsafe, "Replace \\", edits: [
                                     Edit(range: 5..<9, replacement: "x\u{2028}"), Edit(range: 1..<2, replacement: [0x41, 0xFF]), .delete(10..<11),
                                 ]))
        let bare = Diagnostic(rule: "s", severity: .info, path: "p.md", line: 1, column: 1, message: "m")
        for d in [withFix, bare] {
            var o = JSONObjectBuilder()
            o.add("path", JSONWriter.quote(d.displayPath))
            o.add("line", String(d.line))
            o.add("column", String(d.column))
            o.add("endLine", d.endLine.map(String.init) ?? "null")
            o.add("endColumn", d.endColumn.map(String.init) ?? "null")
            o.add("rule", JSONWriter.quote(d.rule))
            o.add("severity", JSONWriter.quote(d.severity.rawValue))
            o.add("message", JSONWriter.quote(d.displayMessage))
            if let fix = d.fix {
                var f = JSONObjectBuilder()
                f.add("applicability", JSONWriter.quote(fix.applicability.rawValue))
                f.add("description", JSONWriter.quote(fix.description))
                let edits = fix.edits.map { e -> String in
                    var b = JSONObjectBuilder()
                    b.add("start", String(e.range.lowerBound))
                    b.add("end", String(e.range.upperBound))
                    b.add("replacement", JSONWriter.quote(String(decoding: e.replacement, as: UTF8.self)))
                    return b.json
                }
                f.add("edits", "[" + edits.joined(separator: ",") + "]")
                o.add("fix", f.json)
            } else {
                o.add("fix", "null")
            }
            #expect(JSONReporter.object(d) == o.json)
        }
    }

    @Test func recentStringsShareStorageAndRejectInvalidUTF8() {
        var recent = RecentStrings()
        let bytes = Array("trailing whitespace".utf8)
        let a = bytes.withUnsafeBufferPointer { recent.string($0) }
        let b = bytes.withUnsafeBufferPointer { recent.string($0) }
        #expect(a == "trailing whitespace" && b == a)
        // More distinct strings than slots: every one still decodes to itself.
        for i in 0..<(RecentStrings.capacity * 3) {
            let s = "message \(i) 中文"
            #expect(Array(s.utf8).withUnsafeBufferPointer { recent.string($0) } == s)
        }
        #expect([UInt8]([0x61, 0xFF]).withUnsafeBufferPointer { recent.string($0) } == nil)
        #expect([UInt8]().withUnsafeBufferPointer { recent.string($0) } == "")
    }

    /// Fix replacements decoded through `RecentStrings` are the bytes stored; equal short ones
    /// share one storage, and a slot taken over by another replacement still answers correctly.
    @Test func recentReplacementsShareStorageAndKeepTheirBytes() {
        var recent = RecentStrings()
        func decode(_ bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBufferPointer { recent.replacement($0) } }
        let a = decode(Array("\n".utf8)), b = decode(Array("\n".utf8))
        #expect(a == Array("\n".utf8) && b == a)
        #expect(a.withUnsafeBufferPointer { $0.baseAddress } == b.withUnsafeBufferPointer { $0.baseAddress })
        for i in 0..<(RecentStrings.replacementCapacity * 3) {
            let s = Array("</div>\(i)（".utf8)
            #expect(decode(s) == s)
        }
        #expect(decode([]) == [])
        let long = [UInt8](repeating: 0x61, count: RecentStrings.replacementLimit + 1)
        #expect(decode(long) == long)
        // Not UTF-8 at all: replacements are bytes, kept as they are.
        #expect(decode([0xFF, 0x00, 0xC2]) == [0xFF, 0x00, 0xC2])
    }

    /// Varints inlined for one and two bytes read as the loop reads them, at every length's edges,
    /// and a value cut short by the end of the range is nil.
    @Test func varintsOfEveryLengthRoundTrip() {
        let values: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, 2_097_151, 2_097_152, UInt64(Int32.max), UInt64.max]
        var w = ByteWriter()
        for v in values { w.varint(v) }
        var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
        for v in values { #expect(r.varint() == v) }
        #expect(r.atEnd && r.varint() == nil)
        // Non-canonical two-byte zero, as the loop accepts it.
        var padded = ByteReader([0x80, 0x00], range: 0..<2)
        #expect(padded.varint() == 0)
        for v: UInt64 in [128, 16_384, UInt64.max] {
            var one = ByteWriter()
            one.varint(v)
            var cut = ByteReader(one.bytes, range: 0..<(one.bytes.count - 1))
            #expect(cut.varint() == nil)
        }
    }

    @Test func spillRoundTripKeepsEveryField() {
        let spill = DiagnosticSpill(threshold: 64)
        var written: [[Diagnostic]] = []
        for f in 0..<5 {
            let path = "f\(f).md"
            let file = (0..<40).map { i in
                Diagnostic(rule: i % 3 == 0 ? "a" : "b", severity: i % 2 == 0 ? .warning : .error, path: path, line: i + 1, column: 2,
                           endLine: i % 5 == 0 ? nil : i + 1, endColumn: 4, message: i % 7 == 0 ? "m \(i)" : "same",
                           fix: i % 4 == 0 ? nil : Fix(.safe, "d", edits: [.delete(i..<(i + 1))]))
            }
            written.append(file)
            spill.append(file)
        }
        var read: [[Diagnostic]] = []
        #expect(spill.forEachFile { read.append($0) })
        #expect(read == written)
    }

    /// Capping counts a rule's findings across runs of other rules' findings (as the dictionary did).
    @Test func cappingCountsInterleavedRules() {
        func d(_ rule: String, _ line: Int) -> Diagnostic {
            Diagnostic(rule: rule, severity: .warning, path: "p", line: line, column: 1, message: "m")
        }
        let input = [d("a", 1), d("a", 2), d("b", 3), d("a", 4), d("b", 5), d("b", 6), d("a", 7)]
        let out = Linter.capped(input, limit: 2, dropped: ["c": UnlistedFindings(warnings: 4)], path: "p")
        #expect(out.prefix(4).map { "\($0.rule)\($0.line)" } == ["a1", "a2", "b3", "b5"])
        #expect(out.dropFirst(4).map(\.message) == [
            "2 more a findings in this file not listed (at most 2 per rule per file)",
            "1 more b finding in this file not listed (at most 2 per rule per file)",
            "4 more c findings in this file not listed (at most 2 per rule per file)",
        ])
        #expect(out.dropFirst(4).map(\.line) == [2, 5, 1])
    }

    /// Aggregation of findings that arrive out of line order and interleaved with another kind.
    @Test func aggregationOfInterleavedKinds() {
        func d(_ message: String, _ line: Int, _ start: Int) -> Diagnostic {
            Diagnostic(rule: "r", severity: .warning, path: "p", line: line, column: 1, message: message,
                       fix: Fix(.safe, "Fix", edits: [.delete(start..<(start + 1))]))
        }
        let input = [d("x", 9, 90), d("y", 1, 10), d("x", 2, 20), d("x", 5, 50), d("y", 3, 30)]
        let out = FindingAggregation.apply(input, threshold: 3)
        // Shown at the first occurrence in line order (index 2), the others of its kind dropped.
        #expect(out.map(\.line) == [1, 2, 3])
        #expect(out[1].message == "x (3 times in this file, on lines 2, 5, 9)")
        #expect(out[1].fix?.edits.map(\.range.lowerBound) == [20, 50, 90])
        #expect(out[1].fix?.description == "Fix (all 3)")
    }

    @Test func fixEditsStaySorted() {
        let f = Fix(.safe, "d", edits: [.delete(5..<6), .delete(1..<2), .insert("x", at: 1)])
        #expect(f.edits.map(\.range) == [1..<1, 1..<2, 5..<6])
    }

    /// Fingerprints trim line text on its bytes unless an end might be non-space whitespace:
    /// the same bytes as Foundation's `trimmingCharacters(in: .whitespaces)` either way.
    @Test func whitespaceTrimMatchesFoundation() {
        let texts = [
            "", " ", "\t \t", "中文", " 中文 ", "\t会议。\t ", "\u{3000}\u{3000}段落\u{3000}", "\u{A0}x\u{A0}", "\u{2003}em\u{2009}",
            "\u{200B}zero width\u{200B}", "\u{FEFF}bom", "nel\u{85}", "\nnewline\n", "\r\n", " \u{301}combining", "x\u{301} ",
            "“引号”", "emoji 🧪 ", "\u{1680}ogham", "\u{180E}mongolian", "\u{205F}math\u{202F}", "a\u{7F}", "\u{1}ctrl", "…省略",
        ]
        for t in texts {
            let fast = Baseline.withWhitespaceTrimmed(t) { Array($0) }
            #expect(fast == Array(t.trimmingCharacters(in: .whitespaces).utf8), "\(t.debugDescription)")
        }
    }

    /// A fingerprint hashed in pieces (rule and path once per file, then the trimmed line) is the
    /// hash of the whole key it was before, so existing baselines keep matching.
    @Test func fingerprintsHashTheWholeKey() {
        var numbering = Baseline.Fingerprinter()
        let lines = ["  会议传达了上级有关精神。 ", "\u{3000}段落", "  会议传达了上级有关精神。", "other"]
        for (i, line) in lines.enumerated() {
            for rule in ["trailing-whitespace", "punctuation-width"] {
                let d = Diagnostic(rule: rule, severity: .warning, path: "./news/a.md", line: i + 1, column: 1, message: "m")
                let key = Array(rule.utf8) + [0] + Array("news/a.md".utf8) + [0] + Array(line.trimmingCharacters(in: .whitespaces).utf8)
                let occurrence = i == 2 ? 1 : 0  // line 3 trims to line 1's text
                #expect(numbering.next(d, lineText: line) == "\(StableHash.hex(StableHash.fnv1a64(key)))-\(occurrence)")
            }
        }
    }

    /// SARIF results written as bytes, against the `JSONObjectBuilder` form they replaced.
    @Test func sarifResultsMatchBuilders() {
        let diagnostics = [
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "./news/a \"b\".md", line: 3, column: 7, endLine: 3, endColumn: 9,
                       message: "quote \" and\ttab", fix: Fix(.unsafe, "Replace \\", edits: [
                           Edit(range: 1..<2, replacement: [0x41, 0xFF]), Edit(range: 5..<9, replacement: "x\u{2028}"), .delete(10..<11),
                       ])),
            Diagnostic(rule: "trailing-whitespace", severity: .error, path: "./news/a \"b\".md", line: 4, column: 2, endLine: 4, endColumn: 1, message: "m"),
            Diagnostic(rule: "no-such-rule", severity: .info, path: "/abs/中文 %.md", line: 0, column: 0, message: "n",
                       fix: Fix(.safe, "d", edits: [.delete(0..<3)])),
        ]
        let context = ReportContext(catalog: .builtin)
        let fingerprints = ["f0", "f1", "f2"]
        var withPrints = context
        withPrints.fingerprints = fingerprints
        let sarif = SARIFReporter().render(LintResult(diagnostics: diagnostics, files: [], ioFailure: false, fixSummary: FixSummary()), context: withPrints)
        var index: [String: Int] = [:]
        for (i, r) in context.catalog.rules.enumerated() { index[r.id] = i }
        let results = zip(diagnostics, fingerprints).map { d, fingerprint -> String in
            var r = JSONObjectBuilder()
            r.add("ruleId", string: d.rule)
            if let i = index[d.rule] { r.add("ruleIndex", int: i) }
            r.add("level", string: SARIFReporter.level(d.severity))
            var msg = JSONObjectBuilder()
            msg.add("text", string: d.displayMessage)
            r.add("message", msg.json)
            r.add("locations", "[" + SARIFBuilderForm.location(d) + "]")
            var fp = JSONObjectBuilder()
            fp.add("newslint/v1", string: fingerprint)
            r.add("partialFingerprints", fp.json)
            if let fix = d.fix { r.add("fixes", "[" + SARIFBuilderForm.fix(fix, path: d.path) + "]") }
            return "        " + r.json
        }
        let expected = "\"results\":[\n" + results.joined(separator: ",\n") + "\n      ]}\n  ]}\n"
        #expect(sarif.hasSuffix(expected))
        #expect(sarif.hasPrefix("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[\n    {\"tool\":"))
        let empty = SARIFReporter().render(LintResult(diagnostics: [], files: [], ioFailure: false, fixSummary: FixSummary()), context: context)
        #expect(empty.hasSuffix("\"results\":[\n      ]}\n  ]}\n"))
    }

    /// The JSON stream reuses the escaped strings of the finding before: each object is still
    /// what `JSONReporter.object` writes, across kinds that alternate and across files.
    @Test func jsonStreamMatchesObjects() {
        var all: [Diagnostic] = []
        for file in ["a.md", "b \"q\".md"] {
            for i in 0..<6 {
                all.append(Diagnostic(rule: i % 2 == 0 ? "r" : "s", severity: .warning, path: file, line: i + 1, column: 1,
                                      message: i % 3 == 0 ? "m\u{2028}" : "n", fix: i == 4 ? nil : Fix(.safe, i < 3 ? "d" : "e", edits: [.delete(i..<(i + 1))])))
            }
        }
        var stream = JSONReporter.Stream()
        var out = ReportBuffer()
        let context = ReportContext(catalog: .builtin)
        out.append(stream.begin(context: context))
        stream.file(all[0..<6], context: context, into: &out)
        stream.file(all[6..<12], context: context, into: &out)
        out.append(stream.end(ReportTotals(all), context: context))
        #expect(out.text == "[\n  " + all.map { JSONReporter.object($0) }.joined(separator: ",\n  ") + "\n]\n")
    }
}

/// SARIF's location and fix objects as `JSONObjectBuilder`s write them: the form the reporter
/// wrote before it wrote results as bytes, kept here as the reference its bytes must equal.
private enum SARIFBuilderForm {
    static func artifact(_ path: String) -> String {
        var a = JSONObjectBuilder()
        let (uri, relative) = SARIFReporter.uriReference(path)
        a.add("uri", string: uri)
        if relative { a.add("uriBaseId", string: "%SRCROOT%") }
        return a.json
    }

    static func location(_ d: Diagnostic) -> String {
        var region = JSONObjectBuilder()
        region.add("startLine", int: max(1, d.line))
        region.add("startColumn", int: max(1, d.column))
        if let l = d.endLine, let c = d.endColumn, (l, c) >= (d.line, d.column) {
            region.add("endLine", int: l)
            region.add("endColumn", int: max(1, c))
        }
        var physical = JSONObjectBuilder()
        physical.add("artifactLocation", artifact(d.path))
        physical.add("region", region.json)
        var loc = JSONObjectBuilder()
        loc.add("physicalLocation", physical.json)
        return loc.json
    }

    static func fix(_ fix: Fix, path: String) -> String {
        let replacements = fix.edits.map { e -> String in
            var region = JSONObjectBuilder()
            region.add("byteOffset", int: e.range.lowerBound)
            region.add("byteLength", int: e.range.count)
            var r = JSONObjectBuilder()
            r.add("deletedRegion", region.json)
            if !e.replacement.isEmpty {
                var content = JSONObjectBuilder()
                if let s = String(validating: e.replacement, as: UTF8.self) {
                    content.add("text", string: s)
                } else {
                    content.add("binary", string: Data(e.replacement).base64EncodedString())
                }
                r.add("insertedContent", content.json)
            }
            return r.json
        }
        var change = JSONObjectBuilder()
        change.add("artifactLocation", artifact(path))
        change.add("replacements", "[" + replacements.joined(separator: ",") + "]")
        var desc = JSONObjectBuilder()
        desc.add("text", string: fix.description + (fix.applicability == .unsafe ? " (unsafe)" : ""))
        var f = JSONObjectBuilder()
        f.add("description", desc.json)
        f.add("artifactChanges", "[" + change.json + "]")
        return f.json
    }
}
