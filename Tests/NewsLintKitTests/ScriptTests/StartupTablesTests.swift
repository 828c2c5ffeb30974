import Testing
@testable import NewsLintKit

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
