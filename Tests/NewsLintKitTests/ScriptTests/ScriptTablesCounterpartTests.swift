import Testing
@testable import NewsLintRules

/// `ScriptTables.counterparts(of:)` reads one pool (issue 16, session 23): the same lists as the
/// dictionary of arrays it replaced, parsed from the two class files as before.
struct ScriptTablesCounterpartTests {
    @Test func poolEqualsTheDictionary() {
        var reference: [UInt32: [UInt32]] = [:]
        for file in ["script/data/simplified-only.txt", "script/data/traditional-only.txt"] {
            ScriptTables.forEachScalarLine(file) { line in
                guard let at = line.firstIndex(where: { $0 != 0x09 }) else { return }
                reference[line[at]] = line[(at + 1)...].filter { $0 != 0x09 }
            }
        }
        #expect(reference.count > 5_000)
        let tables = ScriptTables.shared
        for (c, list) in reference { #expect(Array(tables.counterparts(of: c)) == list, "U+\(String(c, radix: 16))") }
        // Characters without a line: ASCII, a neutral ideograph's neighbours, the supplementary planes.
        for c in [0x41, 0x2E7F, 0x4E00, 0xFFFF, 0x10000, 0x20000, 0x2A6D6, ScalarRun.invalid] as [UInt32] where reference[c] == nil {
            #expect(tables.counterparts(of: c).isEmpty, "U+\(String(c, radix: 16))")
        }
        #expect(reference.keys.contains { $0 >= 0x10000 } ? reference.keys.filter { $0 >= 0x10000 }.allSatisfy { Array(tables.counterparts(of: $0)) == reference[$0] } : true)
    }
}
