import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// `content-near-duplicate` reads its facts' records in place (`FactTable.withRecord`): the fact
/// column's reduce finds exactly what the reduce over decoded facts finds, and the pieces it is
/// made of read what the decoding reads.
@Suite struct NearDuplicateRecordReadTests {
    /// Facts of near-duplicate clusters with exact copies, dates and undated, and some of another
    /// signature length (skipped by the reduce), seeded.
    static func facts(seed: UInt64, count: Int) -> [(path: String, fact: ContentNearDuplicateRule.Fact)] {
        var random = SeededRandom(seed: seed)
        var bases: [[UInt16]] = []
        var out: [(path: String, fact: ContentNearDuplicateRule.Fact)] = []
        for i in 0..<count {
            let roll = random.below(10)
            var hash = UInt64(random.below(1 << 30)) << 8
            var signature: [UInt16]
            if roll < 3, let base = bases.last {
                // An exact copy of the last body (same hash and signature), or a near one.
                signature = base
                if roll == 0, let copied = out.last(where: { $0.fact.signature == base }) { hash = copied.fact.hash } else {
                    for _ in 0..<random.below(20) { signature[random.below(144)] = UInt16(truncatingIfNeeded: random.below(65536)) }
                }
            } else {
                signature = (0..<144).map { _ in UInt16(truncatingIfNeeded: random.below(random.below(4) == 0 ? 4 : 65536)) }
                bases.append(signature)
            }
            if roll == 9 { signature = Array(signature.prefix(72)) }
            let minutes: Int64? = random.below(4) == 0 ? nil : Int64(random.below(3 * 1440)) - (random.below(50) == 0 ? 1 << 40 : 0)
            // Two outlets and files without a link, so same-outlet revisions are chosen too.
            let outlet: UInt64? = [nil, 1, 2][random.below(3)]
            out.append((String(format: "news/p-%04d.md", i), ContentNearDuplicateRule.Fact(hash: hash, line: 1 + random.below(9), signature: signature,
                                                                                        minutes: minutes, outlet: outlet)))
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 4])
    func columnReduceFindsWhatDecodedFactsFind(seed: UInt64) throws {
        let rule = try ContentNearDuplicateRule.erased(options: RuleOptions())
        let facts = Self.facts(seed: seed, count: 300)
        let expected = rule.finishErased(facts.map { ($0.path, $0.fact as any Sendable) }, id: ContentNearDuplicateRule.id, severity: .warning,
                                         environment: LintEnvironment()).sorted(by: Diagnostic.outputOrder)
        #expect(expected.count > 3, "clusters on the seeded facts")
        for delivery in [facts, facts.reversed()] {
            for budget in [0, 1 << 20] {
                let column = rule.makeFactColumn(memoryBudget: budget)
                for (i, f) in delivery.enumerated() { column.append(file: i, fact: f.fact) }
                let found = column.finish(paths: FactPaths(PathList(delivery.map(\.path))), id: ContentNearDuplicateRule.id, severity: .warning,
                                          environment: LintEnvironment(), into: nil)
                #expect(found.sorted(by: Diagnostic.outputOrder) == expected, "seed \(seed), budget \(budget)")
            }
        }
    }

    /// A record's fields read in place equal the decoded fact; a truncated record or one with a byte
    /// after its end does not read (nil), as it does not decode.
    @Test func withRecordReadsWhatTheDecodeReads() throws {
        for (path, fact) in Self.facts(seed: 9, count: 60) {
            var writer = FactRecordWriter()
            fact.write(to: &writer)
            let bytes = writer.bytes
            for variant in [bytes, Array(bytes.dropLast()), bytes + [0]] {
                let table = FactTable<ContentNearDuplicateRule.Fact>(count: 1, path: { _ in path }, fact: { _ in fact }, record: { _, body in
                    do { try variant.withUnsafeBytes { try body($0) }; return true } catch { return false }
                })
                var read: (UInt64, Int, [UInt16], UInt64?, UInt64?)?
                let didRead = table.withRecord(0) { r in
                    let hash = try r.fixed64(), line = try r.int()
                    let raw = try r.fixed16ArrayBytes()
                    let minutes = try r.optionalFixed64()
                    read = (hash, line, (0..<(raw.count / 2)).map { UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)) }, minutes,
                            try r.optionalFixed64())
                    guard r.atEnd else { throw CompactCoderError.trailingBytes }
                }
                if !didRead { read = nil }
                let decoded = try? variant.withUnsafeBytes { raw -> ContentNearDuplicateRule.Fact in
                    var r = FactRecordReader(raw)
                    let f = try ContentNearDuplicateRule.Fact(record: &r)
                    guard r.atEnd else { throw CompactCoderError.trailingBytes }
                    return f
                }
                #expect((read == nil) == (decoded == nil))
                if let read, let decoded {
                    #expect(read.0 == decoded.hash && read.1 == decoded.line && read.2 == decoded.signature && read.3.map { Int64(bitPattern: $0) } == decoded.minutes
                            && read.4 == decoded.outlet)
                }
            }
        }
        #expect(!FactTable<ContentNearDuplicateRule.Fact>([]).withRecord(0) { _ in })
    }

    /// Signatures appended from (unaligned) bytes are those appended as arrays, in memory and spilled.
    @Test(arguments: [1 << 30, 144 * 2 * 5])
    func appendFromBytesStoresTheSignature(budget: Int) {
        var random = SeededRandom(seed: 31)
        let byArray = RepresentativeSignatures(width: 144, memoryBudget: budget)
        let byBytes = RepresentativeSignatures(width: 144, memoryBudget: budget)
        for _ in 0..<23 {
            let signature = (0..<144).map { _ in UInt16(truncatingIfNeeded: random.below(65536)) }
            byArray.append(signature)
            let offset = random.below(2)
            var raw = [UInt8](repeating: 0xEE, count: offset)
            for v in signature { raw += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
            raw.withUnsafeBytes { byBytes.append(littleEndian: UnsafeRawBufferPointer(rebasing: $0[offset...])) }
        }
        byArray.finishAppending()
        byBytes.finishAppending()
        #expect(byArray.count == byBytes.count)
        for r in 0..<byArray.count {
            #expect(byArray.withPair(r, r) { a, _ in Array(a) } == byBytes.withPair(r, r) { a, _ in Array(a) }, "rep \(r)")
        }
    }
}
