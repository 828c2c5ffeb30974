import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// title-boilerplate's reduce numbers affixes from their record bytes (`AffixCounts.optionalNumber`,
/// a byte table in front of the `String` one): the same numbers, and so the same counts, as
/// numbering their strings (NFC and NFD spellings one affix), and the same failures as
/// `FactRecordReader.optionalString`.
@Suite struct AffixNumberTests {
    /// `affix` written as `FactRecordWriter.optionalString` writes it, read back to a number.
    static func number(_ affix: [UInt8]?, in counts: inout AffixCounts) throws -> Int32? {
        var writer = FactRecordWriter()
        if let affix {
            writer.byte(1)
            writer.varint(UInt64(affix.count))
            writer.bytes += affix
        } else {
            writer.byte(0)
        }
        return try writer.bytes.withUnsafeBytes { raw in
            var reader = FactRecordReader(raw)
            let n = try counts.optionalNumber(&reader)
            #expect(reader.atEnd)
            return n
        }
    }

    /// Seeded affixes (many distinct ones, so the byte table grows; NFC and NFD spellings; repeats)
    /// numbered from bytes and counted: every file's count is what counting the strings gives.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func bytesNumberAsStringsDo(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let spellings = ["Caf\u{E9} | ", "Cafe\u{301} | ", "\u{65B0}\u{805E}\u{FF1A}", " - \u{660E}\u{5831}", "", " | x"]
        let affixes: [String?] = (0..<2_000).map { i in
            random.chance(0.1) ? nil : random.chance(0.5) ? random.pick(spellings) : "site-\(random.below(400))-\(i % 3)"
        }
        var counts = AffixCounts(files: affixes.count)
        for (file, affix) in affixes.enumerated() {
            if let n = try Self.number(affix.map { Array($0.utf8) }, in: &counts) { counts.add(number: n, file: file) }
        }
        var byString: [String: Int] = [:]
        for case let affix? in affixes { byString[affix, default: 0] += 1 }
        for (file, affix) in affixes.enumerated() {
            #expect(counts.count(file: file) == affix.flatMap { byString[$0] }, "file \(file): \(affix ?? "none")")
        }
        #expect(counts.count(file: affixes.firstIndex { $0 == "Caf\u{E9} | " } ?? -1) == byString["Cafe\u{301} | "])
    }

    /// Bytes that are not UTF-8 and a flag that is neither 0 nor 1 throw, as `optionalString` does;
    /// a byte string seen before reads as before, and a prefix of it is another affix.
    @Test func failuresAndPrefixes() throws {
        var counts = AffixCounts(files: 4)
        #expect(throws: CompactCoderError.self) { try Self.number([0x61, 0xFF], in: &counts) }
        #expect(throws: CompactCoderError.self) {
            try [UInt8]([2]).withUnsafeBytes { raw in
                var reader = FactRecordReader(raw)
                _ = try counts.optionalNumber(&reader)
            }
        }
        let long = try Self.number(Array("新聞網 - ".utf8), in: &counts)
        let short = try Self.number(Array("新聞網".utf8), in: &counts)
        #expect(long != nil && short != nil && long != short)
        #expect(try Self.number(Array("新聞網 - ".utf8), in: &counts) == long)
        #expect(try Self.number(nil, in: &counts) == nil)
    }
}
