import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Cross-file facts written and read as `FactRecord`s (no `Codable` on the per-file path).
@Suite struct FactRecordTests {
    /// Every built-in rule's fact takes the direct record form (a fact type without one would
    /// silently fall back to the slower `CompactCoder` form), and reads back to the same JSON.
    @Test func builtInFactsUseTheirRecordForm() throws {
        let documents = FactColumnTests.corpus()
        for type in FactColumnTests.rules {
            let rule = try type.erased(options: RuleOptions())
            var seen = 0
            for d in documents {
                guard let fact = rule.collectErased(d, environment: LintEnvironment()) else { continue }
                let bytes = try rule.encodeCachedFact(fact)
                #expect(bytes.first == FactRecordFormat.recordV1, "\(type.id)")
                #expect(try rule.encodeFact(rule.decodeCachedFact(bytes)) == rule.encodeFact(fact), "\(type.id)")
                seen += 1
            }
            #expect(seen > 0, "\(type.id) collects on the test corpus")
        }
    }

    struct Plain: Codable, Equatable, Sendable { var a: Int; var b: [String] }
    struct PlainRule: CrossFileRule {
        static let id = "plain"
        init(options: RuleOptions) throws {}
        func collect(_ document: Document) -> Plain? { Plain(a: -3, b: [document.path]) }
        func finish(_ facts: FactTable<Plain>, into sink: inout CrossFileSink) {}
    }

    /// A custom fact without a record form keeps the `CompactCoder` form, tagged as such.
    @Test func factsWithoutRecordFormUseCompactCoder() throws {
        let rule = try PlainRule.erased(options: RuleOptions())
        let bytes = try rule.encodeCachedFact(Plain(a: -3, b: ["x", "乙"]))
        #expect(bytes.first == FactRecordFormat.codable)
        #expect(try rule.decodeCachedFact(bytes) as? Plain == Plain(a: -3, b: ["x", "乙"]))
        // An unknown format byte (a future version) throws: the cache then lints the file again.
        #expect(throws: (any Error).self) { try rule.decodeCachedFact([9] + bytes.dropFirst()) }
    }

    /// The writer's fields read back exactly, at their edges.
    @Test func fieldsRoundTrip() throws {
        var w = FactRecordWriter()
        let ints = [0, 1, -1, 63, -64, 64, Int.max, Int.min]
        for v in ints { w.int(v) }
        w.fixed64(.max)
        w.fixed32(0x1234_5678)
        w.string("新聞 a")
        w.optionalString(nil)
        w.optionalString("")
        w.optionalFixed64(7)
        w.fixed16Array([0, 1, .max])
        w.fixed32Array([.max, 2])
        try w.bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var r = FactRecordReader(raw)
            for v in ints { #expect(try r.int() == v) }
            #expect(try r.fixed64() == .max)
            #expect(try r.fixed32() == 0x1234_5678)
            #expect(try r.string() == "新聞 a")
            #expect(try r.optionalString() == nil)
            #expect(try r.optionalString() == "")
            #expect(try r.optionalFixed64() == 7)
            #expect(try r.fixed16Array() == [0, 1, .max])
            #expect(try r.fixed32Array() == [.max, 2])
            #expect(r.atEnd)
            #expect(throws: (any Error).self) { try r.byte() }
        }
    }

    /// The arrays read back by one copy of their bytes: the same values as reading each element's
    /// little-endian bytes, at every alignment and length (empty, one, many), and a count the
    /// record cannot hold throws.
    @Test func fixedArraysMatchTheirBytesAtEveryAlignment() throws {
        var rng = SeededRandom(seed: 31)
        for lead in 0..<8 {
            for length in [0, 1, 2, 3, 7, 64, 301] {
                let shorts = (0..<length).map { _ in UInt16(truncatingIfNeeded: rng.next()) }
                let words = (0..<length).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
                var w = FactRecordWriter()
                for _ in 0..<lead { w.byte(0xAB) }
                w.fixed16Array(shorts)
                w.fixed32Array(words)
                try w.bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                    var r = FactRecordReader(raw)
                    for _ in 0..<lead { _ = try r.byte() }
                    #expect(try r.fixed16Array() == shorts, "lead \(lead), length \(length)")
                    #expect(try r.fixed32Array() == words, "lead \(lead), length \(length)")
                    #expect(r.atEnd)
                    // Element by element from the bytes (the words end the record), as the reader did before.
                    let perElement = (0..<length).map { k in UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: raw.count - 4 * length + 4 * k, as: UInt32.self)) }
                    #expect(perElement == words)
                }
                if length > 0 {
                    let cut = Array(w.bytes.dropLast())
                    cut.withUnsafeBytes { raw in
                        var r = FactRecordReader(raw)
                        for _ in 0..<lead { _ = try? r.byte() }
                        _ = try? r.fixed16Array()
                        #expect(throws: (any Error).self) { try r.fixed32Array() }
                    }
                }
            }
        }
    }

    /// Damaged records throw (never crash, never read outside the record), whatever the bytes.
    @Test func damagedRecordsThrow() throws {
        let rule = try ContentNearDuplicateRule.erased(options: RuleOptions())
        let fact = ContentNearDuplicateRule.Fact(hash: 9, line: 4, signature: Array(repeating: 3, count: 144), minutes: -5)
        let bytes = try rule.encodeCachedFact(fact)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var damaged = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                damaged[Int.random(in: 1..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { damaged.removeLast(Int.random(in: 0..<damaged.count, using: &generator)) }
            _ = try? rule.decodeCachedFact(damaged)
        }
        var invalidUTF8 = FactRecordWriter()
        invalidUTF8.varint(2)
        invalidUTF8.bytes += [0xE6, 0x96]
        #expect(throws: (any Error).self) { try invalidUTF8.bytes.withUnsafeBytes { raw in var r = FactRecordReader(raw); _ = try r.string() } }
    }
}
