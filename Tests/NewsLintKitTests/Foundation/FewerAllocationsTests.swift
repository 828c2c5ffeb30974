import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The per-file and one-time work made cheaper in session 17 answers as the plain versions did:
/// line-endings' single ordered walk against the offset arrays it replaced, the fence lines found
/// without a walk when the body holds no fence, the compatibility table read from scalar lines.
@Suite struct FewerAllocationsTests {
    /// Random texts of LF, CR, letters and a CJK character, so every mix of terminators appears.
    private func texts(seed: UInt64, count: Int) -> [[UInt8]] {
        var rng = SeededRandom(seed: seed)
        let pieces: [[UInt8]] = [[0x0A], [0x0D], [0x0D, 0x0A], [0x61], [0x62, 0x63], Array("中".utf8), [0x20]]
        return (0..<count).map { _ in
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 24) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            return bytes
        }
    }

    @Test(arguments: ["lf", "crlf", "consistent"])
    func lineEndingsReportsAsTheOffsetArraysDid(style: String) throws {
        let rule = try LineEndingsRule(options: RuleOptions(["style": JSONNode(.string(style))]))
        for bytes in texts(seed: 17, count: 3000) {
            let document = Document(path: "a.md", bytes: bytes)
            var sink = DiagnosticSink(document: document, rule: LineEndingsRule.id, severity: .warning)
            rule.check(document, into: &sink)
            let expected = Self.reference(bytes, style: style)
            #expect(sink.diagnostics.count == (expected == nil ? 0 : 1), "\(bytes)")
            guard let expected, let found = sink.diagnostics.first else { continue }
            #expect(found.message == expected.message, "\(bytes)")
            #expect(found.fix == expected.fix, "\(bytes)")
            #expect(found.line == document.position(ofByte: expected.offset).line && found.column == document.position(ofByte: expected.offset).column)
        }
    }

    /// The message written as bytes (`MessageBytes`) against the plain pieces of the reference, with
    /// counts of several digits (the random texts above hold fewer than 24 terminators).
    @Test(arguments: ["lf", "crlf", "consistent"])
    func lineEndingsMessageWithLongCountsIsThePlainOne(style: String) throws {
        let rule = try LineEndingsRule(options: RuleOptions(["style": JSONNode(.string(style))]))
        for (crlf, lone, lf) in [(1234, 56, 7), (10, 0, 100_000), (0, 9999, 1), (100, 100, 100), (0, 0, 12345)] {
            var bytes: [UInt8] = []
            for _ in 0..<crlf { bytes += [0x61, 0x0D, 0x0A] }
            for _ in 0..<lone { bytes += [0x62, 0x0D] }
            for _ in 0..<lf { bytes += [0x63, 0x0A] }
            let document = Document(path: "a.md", bytes: bytes)
            var sink = DiagnosticSink(document: document, rule: LineEndingsRule.id, severity: .warning)
            rule.check(document, into: &sink)
            let expected = Self.reference(bytes, style: style)
            #expect(sink.diagnostics.first?.message == expected?.message, "\(crlf) \(lone) \(lf)")
        }
    }

    /// `MessageBytes.append(decimal:)` writes what `String(value)` does, sign and every digit count.
    @Test func messageBytesDecimalIsStringOfTheValue() {
        var values = [0, 1, 9, 10, 99, 100, 12345, -1, -10, -987, Int.max, Int.min, Int.min + 1]
        var rng = SeededRandom(seed: 42)
        for _ in 0..<2000 { values.append(Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 64)) }
        for value in values {
            let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: MessageBytes.capacity) { buffer -> String in
                var out = MessageBytes(buffer)
                out.append("n=")
                out.append(decimal: value)
                out.append(";")
                return out.string
            }
            #expect(written == "n=\(value);")
        }
    }

    /// The rule before session 17: an offset array per kind of terminator, the edits joined per
    /// kind (the `Fix` sorts them), the first wrong terminator as the minimum of the offsets.
    private static func reference(_ bytes: [UInt8], style: String) -> (offset: Int, message: String, fix: Fix)? {
        var crlf: [Int] = [], loneCR: [Int] = []
        for (i, b) in bytes.enumerated() where b == 0x0D {
            if i + 1 < bytes.count && bytes[i + 1] == 0x0A { crlf.append(i) } else { loneCR.append(i) }
        }
        if style != "crlf" && crlf.isEmpty && loneCR.isEmpty { return nil }
        let lf = bytes.filter { $0 == 0x0A }.count - crlf.count
        let target: [UInt8]
        switch style {
        case "crlf": target = [0x0D, 0x0A]
        case "consistent": target = crlf.count > lf ? [0x0D, 0x0A] : [0x0A]
        default: target = [0x0A]
        }
        var edits: [Edit] = [], wrong: [Int] = []
        if target == [0x0A] {
            edits += crlf.map { Edit(range: $0..<($0 + 2), replacement: target) }
            wrong += crlf
        } else {
            for j in bytes.indices where bytes[j] == 0x0A && (j == 0 || bytes[j - 1] != 0x0D) {
                edits.append(Edit(range: j..<(j + 1), replacement: target))
                wrong.append(j)
            }
        }
        edits += loneCR.map { Edit(range: $0..<($0 + 1), replacement: target) }
        wrong += loneCR
        guard let first = wrong.min() else { return nil }
        let name = target == [0x0A] ? "LF" : "CRLF"
        var parts: [String] = []
        if !crlf.isEmpty { parts.append("\(crlf.count) CRLF") }
        if lf > 0 && target != [0x0A] { parts.append("\(wrong.count - loneCR.count) LF") }
        if lf > 0 && target == [0x0A] && !(crlf.isEmpty && loneCR.isEmpty) { parts.append("\(lf) LF") }
        if !loneCR.isEmpty { parts.append("\(loneCR.count) lone CR") }
        let kinds = (crlf.isEmpty ? 0 : 1) + (lf == 0 ? 0 : 1) + (loneCR.isEmpty ? 0 : 1)
        let message = (kinds > 1 ? "mixed line endings" : "line endings are not \(name)") + " (\(parts.joined(separator: ", "))); expected \(name)"
        return (first, message, Fix(.safe, "Convert line endings to \(name)", edits: edits))
    }

    @Test func fenceLinesMatchAWalkOfEveryLine() {
        let lines = ["text", "```", "code", "```", "~~~ swift", "x", "~~~~", "   ```", "y", "`` not", "~~ not", "```", "after"]
        var rng = SeededRandom(seed: 5)
        for _ in 0..<2000 {
            var text = (0..<Int(rng.next() % 10)).map { _ in lines[Int(rng.next() % UInt64(lines.count))] }.joined(separator: "\n")
            if rng.next() % 3 == 0 { text = "---\ntitle: ```\n---\n" + text }
            let document = Document(path: "a.md", text: text)
            let walked = Self.walkedCodeLines(document)
            for n in 1...max(1, document.lineStarts.count) {
                #expect(document.isCode(line: n) == (n <= walked.count && walked[n - 1]), "\(text.debugDescription) line \(n)")
            }
        }
        // No fence in the body: no flag array at all.
        #expect(Document(path: "a.md", text: "一\n二 `code` ~x~\n").codeLines.isEmpty)
        #expect(Document(path: "a.md", text: "---\nt: ```\n---\nbody\n").codeLines.isEmpty)
        #expect(!Document(path: "a.md", text: "a\n```\nb\n").codeLines.isEmpty)
    }

    /// `computeCodeLines` as it was: every body line walked, a flag per line of the file.
    private static func walkedCodeLines(_ document: Document) -> [Bool] {
        let bytes = document.bytes, lineStarts = document.lineStarts
        var result = [Bool](repeating: false, count: lineStarts.count)
        var open: (char: UInt8, count: Int)?
        for lineIndex in 0..<lineStarts.count where lineIndex + 1 >= document.bodyStartLine {
            let start = lineStarts[lineIndex]
            let end = lineIndex + 1 < lineStarts.count ? lineStarts[lineIndex + 1] : bytes.count
            var i = start, indent = 0
            while i < end && bytes[i] == 0x20 && indent < 4 { i += 1; indent += 1 }
            var fence: (char: UInt8, count: Int)?
            if indent < 4, i < end, bytes[i] == 0x60 || bytes[i] == 0x7E {
                let c = bytes[i]
                var n = 0
                while i < end && bytes[i] == c { i += 1; n += 1 }
                if n >= 3 { fence = (c, n) }
            }
            if let o = open {
                result[lineIndex] = true
                if let f = fence, f.char == o.char, f.count >= o.count {
                    var rest = i
                    while rest < end, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[rest]) { rest += 1 }
                    if rest == end { open = nil }
                }
            } else if let f = fence {
                result[lineIndex] = true
                open = f
            }
        }
        return result
    }

    @Test func compatTableHasEveryLineOfItsData() {
        var expected: [UInt32: UInt32] = [:]
        for line in ScriptTables.lines("script/data/compat.txt") {
            let s = line.unicodeScalars.filter { $0 != "\t" }.map(\.value)
            if s.count == 2 { expected[s[0]] = s[1] }
        }
        #expect(expected.count > 1000)
        #expect(CompatIdeographRule.table == expected)
        #expect(CompatIdeographRule.table[0x2F00] == 0x4E00)  // ⼀ KANGXI RADICAL ONE → 一
    }
}
