import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Tables built at startup by cheaper means must equal what the slower construction gave.
@Suite struct StartupTablesTests {
    @Test func compiledGBTablesMatchFoundationConverter() {
        #expect(MojibakeRule.gbFlags == MojibakeRule.gbFlagsFromConverter())
    }

    @Test(arguments: ["data/script/simplified-only.txt", "data/script/traditional-only.txt", "data/script/allow-traditional.txt",
                      "data/script/allow-simplified.txt", "data/script/surnames.txt", "data/script/phrases.txt",
                      "data/script/name-titles.txt", "data/script/compat.txt"])
    func scalarLinesMatchStringLines(path: String) {
        let expected = ScriptTables.lines(path).map { $0.unicodeScalars.map(\.value) }
        #expect(!expected.isEmpty)
        #expect(ScriptTables.scalarLines(path) == expected)
    }
}

@Suite struct ScriptMixedVariantTests {
    @Test func hasVariantIsTheVariantTable() {
        let differing = (UInt32(0)..<0x30000).filter { ScriptMixedRule.hasVariant($0) != (ScriptMixedRule.variantOf[$0] != nil) }
        #expect(differing.isEmpty)
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
