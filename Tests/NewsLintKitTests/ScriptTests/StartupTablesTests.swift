import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Tables built at startup by cheaper means must equal what the slower construction gave.
@Suite struct StartupTablesTests {
    @Test func compiledGBTablesMatchFoundationConverter() {
        #expect(MojibakeRule.gbFlags == MojibakeRule.gbFlagsFromConverter())
    }

    @Test(arguments: ["script/data/simplified-only.txt", "script/data/traditional-only.txt", "script/data/allow-traditional.txt",
                      "script/data/allow-simplified.txt", "script/data/surnames.txt", "script/data/phrases.txt",
                      "script/data/name-titles.txt", "script/data/compat.txt"])
    func scalarLinesMatchStringLines(path: String) {
        let expected = ScriptTables.lines(path).map { $0.unicodeScalars.map(\.value) }
        #expect(!expected.isEmpty)
        #expect(ScriptTables.scalarLines(path) == expected)
    }

    /// The words' pool and its binary-searched heads answer what the dictionary of arrays built from
    /// the `=word` lines of phrases.txt answered, for every scalar of the file and a few beyond it.
    @Test func wordPoolMatchesDictionaryOfWords() {
        var expected: [UInt32: [([UInt32], Int32)]] = [:]
        var scalars: Set<UInt32> = [0, 0x2E7F, 0x10FFFF]
        for line in ScriptTables.lines("script/data/phrases.txt") {
            let fields = line.split(separator: "\t")
            scalars.formUnion(line.unicodeScalars.map(\.value))
            guard let head = fields.first, head.hasPrefix("=") else { continue }
            let word = head.dropFirst().unicodeScalars.map(\.value)
            let frequency = fields.count > 1 ? Int32(fields[1]) ?? 0 : 0
            if let first = word.first { expected[first, default: []].append((word, frequency)) }
        }
        #expect(expected.count > 1_000)
        let tables = ScriptTables.shared
        for c in scalars {
            let got = tables.words(startingWith: c).map { $0.map { (Array($0.scalars), $0.frequency) } }
            let want = expected[c]
            #expect(got?.count == want?.count, "U+\(String(c, radix: 16))")
            for (g, w) in zip(got ?? [], want ?? []) { #expect(g.0 == w.0 && g.1 == w.1, "U+\(String(c, radix: 16))") }
        }
    }

    /// `forEachPhraseLine`'s one walk gives each line's first two `split(separator: 0x09)` fields
    /// (the second as `Int32(String)`, 0 when missing or not a number), on phrases.txt and on lines
    /// with leading, doubled and trailing tabs, comments, empty lines, CRs and no final newline.
    @Test func phraseLinesMatchSplitFields() {
        let file = EmbeddedFiles.bytes("script/data/phrases.txt").map(ScriptTables.scalars(of:)) ?? []
        let tricky = "#c\t1\n\n=一國\t12\n\t\t=x\t\t7\tfoo\n!出制\n一只一隻\t-5\nab\t+3\nab\t99999999999\n\t\t\n" +
            "ab\t1x\nab\t\ncd\r\t4\r\n\n#\nef\t\t-2147483648\tg"
        for scalars in [file, tricky.unicodeScalars.map(\.value)] {
            var expected: [([UInt32], Int32)] = []
            for line in scalars.split(separator: 0x0A) where line.first != 0x23 {
                let fields = line.split(separator: 0x09)
                guard let head = fields.first else { continue }
                let second = fields.count > 1 ? String(String.UnicodeScalarView(fields[1].compactMap(Unicode.Scalar.init))) : ""
                expected.append((Array(head), Int32(second) ?? 0))
            }
            var got: [([UInt32], Int32)] = []
            scalars.withUnsafeBufferPointer { s in
                ScriptTables.forEachPhraseLine(s) { head, frequency in got.append((Array(s[head]), frequency)) }
            }
            #expect(got.count == expected.count && !expected.isEmpty)
            for (g, e) in zip(got, expected) { #expect(g.0 == e.0 && g.1 == e.1, "\(e.0) \(e.1)") }
        }
    }

    /// Words out of order are grouped by a stable sort, each group keeping its file order.
    @Test func wordsOutOfOrderAreGroupedStably() {
        let firsts: [UInt32] = [5, 3, 5, 1, 3, 5]
        let pool = firsts.enumerated().map { ScriptTables.Word(scalars: [$0.element], frequency: Int32($0.offset)) }
        let grouped = ScriptTables.groupedWords(pool, firsts: firsts, ascending: false)
        #expect(grouped.heads == [1, 3, 5])
        #expect(grouped.starts == [0, 1, 3, 6])
        #expect(grouped.pool.map(\.frequency) == [3, 1, 4, 0, 2, 5])
    }

    /// `ScriptTables.scalars(of:)` (the documents' decoder) against the string's own scalars, on
    /// random bytes: ASCII, CJK, 2- and 4-byte sequences, line breaks, and ill-formed bytes
    /// (a cut sequence, a stray continuation byte, an overlong form, a surrogate), which `String`
    /// repairs to U+FFFD.
    @Test func scalarsOfBytesMatchString() {
        var rng = SeededRandom(seed: 25)
        let pieces: [[UInt8]] = [Array("a".utf8), Array("tab\t".utf8), [0x0A], [0x0D, 0x0A], Array("中".utf8), Array("國語".utf8),
                                 Array("é".utf8), Array("😀".utf8), Array("，".utf8), [0xE4, 0xB8], [0x80], [0xC0, 0xAF],
                                 [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], Array("#".utf8)]
        for length in [0, 1, 2, 3, 7, 8, 12, 13, 16, 40, 200] {
            for _ in 0..<40 {
                var bytes: [UInt8] = []
                while bytes.count < length { bytes += rng.pick(pieces) }
                let expected = String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value)
                #expect(ScriptTables.scalars(of: bytes) == expected, "\(bytes)")
            }
        }
        // Long runs of one kind (the decoder's word-at-a-time paths).
        for piece in pieces {
            let bytes = Array(repeating: piece, count: 50).flatMap { $0 }
            #expect(ScriptTables.scalars(of: bytes) == String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value))
        }
    }
}

@Suite struct LazyStartupTests {
    @Test func decimalIsInt32OfString() {
        for text in ["0", "6814", "+5", "-12", "-", "+", "", "12a", "2147483647", "2147483648", "-2147483648", "-2147483649", "007", "1 2", "９"] {
            let scalars = ArraySlice(text.unicodeScalars.map(\.value))
            #expect(ScriptTables.decimal(scalars) == Int32(text), "\(text)")
        }
    }

    @Test func builtinPatternRegexesCompile() {
        let withSource = BuiltinPatterns.loaded.patterns.compactMap(\.lazyRegex)
        #expect(!withSource.isEmpty)
        #expect(withSource.allSatisfy { $0.compiled != nil })
    }
}
