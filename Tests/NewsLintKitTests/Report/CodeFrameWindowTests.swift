import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintReport

/// The text format's code frame is cut from the line's UTF-8 with a cursor that walks on from the
/// previous caret; it must show exactly what the plain form over the line's scalars shows.
@Suite struct CodeFrameWindowTests {
    /// A window as bytes: `String`'s `==` holds canonically equivalent texts equal, the output must
    /// be the same bytes.
    static func bytes(_ window: (String, Int)) -> ([UInt8], Int) { (Array(window.0.utf8), window.1) }

    static let alphabet: [Unicode.Scalar] = ["a", " ", "\t", "中", "，", "\u{301}", "\u{200B}", "\u{7F}", "\u{1F600}", "\u{20000}", "é", "\u{202E}", "ｱ", "한", "\u{FF01}", "\u{0}", "\u{80}", "\u{9F}", "\u{A0}", "\u{202A}", "\u{2029}", "\u{202F}", "\u{2066}", "\u{2069}", "\u{206A}", "\u{2065}", "\u{1F}", "\u{C0}"]

    @Test func windowOverBytesMatchesWindowOverScalars() {
        var rng = SeededRandom(seed: 0x5EED)
        for _ in 0..<400 {
            let length = rng.chance(0.2) ? rng.below(600) : rng.below(60)
            let scalars = (0..<length).map { _ in rng.pick(Self.alphabet) }
            let line = String(String.UnicodeScalarView(scalars))
            // Columns in order on one cursor (as the findings of a line come), with some outside the line.
            var columns = (0..<rng.below(8)).map { _ in rng.below(length + 5) - 1 }
            columns.sort()
            var cursor = TextReporter.LineCursor()
            for column in columns {
                let expected = Self.bytes(TextReporter.window(scalars, column: column))
                #expect(Self.bytes(TextReporter.window(line, column: column, cursor: &cursor)) == expected, "line \(scalars.map(\.value)) column \(column)")
                var fresh = TextReporter.LineCursor()
                #expect(Self.bytes(TextReporter.window(line, column: column, cursor: &fresh)) == expected)
            }
            // A column before the cursor starts the walk again.
            if let last = columns.last, last > 3 {
                #expect(Self.bytes(TextReporter.window(line, column: 2, cursor: &cursor)) == Self.bytes(TextReporter.window(scalars, column: 2)))
            }
        }
    }

    /// The window is cut eight ASCII bytes at a time and copied whole when it holds nothing to
    /// replace: lines of long ASCII runs (HTML, URLs) between Chinese text, controls and wide
    /// characters, at every column around the runs' ends, show what the plain form shows.
    @Test func windowOverLongASCIIRunsMatchesWindowOverScalars() {
        var rng = SeededRandom(seed: 0xA5C11)
        let others: [Unicode.Scalar] = ["中", "，", "\u{301}", "\t", "\u{1F600}", "\u{7F}", "é", "\u{202E}", "\u{4DC0}", "\u{4E00}", "\u{5000}", "\u{9FFF}", "\u{A000}", "\u{3000}", "\u{FF0C}"]
        for _ in 0..<300 {
            var scalars: [Unicode.Scalar] = []
            for _ in 0..<(1 + rng.below(8)) {
                if rng.chance(0.6) {
                    scalars += (0..<rng.below(90)).map { _ in Unicode.Scalar(UInt8(0x20 + rng.below(0x5F))) }
                } else {
                    scalars += (0..<rng.below(40)).map { _ in rng.pick(others) }
                }
            }
            let line = String(String.UnicodeScalarView(scalars))
            // Columns in order on one cursor (the walk on from the last caret), and each on a fresh one.
            var cursor = TextReporter.LineCursor()
            for column in stride(from: 0, through: scalars.count + 2, by: 1 + rng.below(9)) {
                let expected = Self.bytes(TextReporter.window(scalars, column: column))
                #expect(Self.bytes(TextReporter.window(line, column: column, cursor: &cursor)) == expected,
                        "line \(scalars.map(\.value)) column \(column)")
                var fresh = TextReporter.LineCursor()
                #expect(Self.bytes(TextReporter.window(line, column: column, cursor: &fresh)) == expected)
            }
        }
    }

    /// The window reads each character's width from its UTF-8 bytes (CJK lead bytes E5–E9 as two
    /// columns without decoding): for every scalar, what `DisplayWidth.of` says.
    @Test func widthFromTheBytesIsDisplayWidthForEveryScalar() {
        var wrong: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var text = String(scalar)
            let width = text.withUTF8 { TextReporter.displayWidth($0, at: 0) }
            if width != DisplayWidth.of(scalar) { wrong.append(value) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).map { String($0, radix: 16) })")
    }

    /// The text format asks whether a finding's rule is the engine's for every finding it quotes.
    @Test func engineRulesAreToldByTheirIDs() {
        for id in RuleRegistry.implementedIDs + ["io-errors", "file-skippe", "", "mojibake", "unused-suppressions", "unused-suppressio"] {
            #expect(RuleRegistry.isEngineRule(id) == RuleRegistry.engineRuleIDs.contains(id), "\(id)")
        }
        // Ids decoded from bytes (not small literals) too.
        for id in RuleRegistry.engineRuleIDs { #expect(RuleRegistry.isEngineRule(String(decoding: Array(id.utf8), as: UTF8.self))) }
    }

    /// Findings of two files on the same line number in one slice: each frame is cut from its own
    /// file's line (the cursor starts again with the path, not only with the line).
    @Test func cursorStartsAgainForAnotherFile() {
        let dir = TemporaryDirectory()
        dir.write("a.md", "中中中中中中x\n")
        dir.write("b.md", "abcdefghijklmnopqrstuvwxyz\n")
        let findings = [
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "a.md", line: 1, column: 7, message: "m"),
            Diagnostic(rule: "trailing-whitespace", severity: .warning, path: "b.md", line: 1, column: 10, message: "m"),
        ]
        var context = ReportContext(catalog: .builtin, color: false, inMemorySources: [:], unsafeFixes: false, fixing: false)
        context.baseDirectory = dir.path
        let text = TextReporter().file(findings[...], context: context)
        // The caret under 'j' (column 10), not where the other file's byte offset would put it.
        #expect(text.contains(" 1 | abcdefghijklmnopqrstuvwxyz\n   |          ^"))
        #expect(text.contains(" 1 | 中中中中中中x\n   |             ^"))
    }
}
