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
