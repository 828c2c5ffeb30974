import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// The spill's record encoding against the way it was written before it compared a record's
/// strings where they were written (`SpilledStrings.Writer` holding byte ranges, `ByteWriter`'s
/// inlined one-byte varint and in-place string, the empty source-lines section): the same bytes
/// for every record, so cache entries and the spill read back as before.
@Suite struct SpillEncodingEquivalenceTests {
    /// `SpilledStrings.Writer` as it was: the record's strings held as `String`s and compared
    /// with `hasSameBytes`, the last three tried first, then the latest sixteen.
    struct ReferenceWriter {
        var written: [String] = []
        var lastThree = (-1, -1, -1)

        mutating func reset() {
            written.removeAll(keepingCapacity: true)
            lastThree = (-1, -1, -1)
        }

        mutating func write(_ s: String, to out: inout ByteWriter) {
            if let guess = repeated(s, at: lastThree.0) ?? repeated(s, at: lastThree.1) {
                out.varint(UInt64(guess + 1))
                remember(guess)
                return
            }
            var k = written.count - 1
            let oldest = max(0, written.count - 16)
            while k >= oldest {
                if written[k].hasSameBytes(as: s) { out.varint(UInt64(k + 1)); remember(k); return }
                k -= 1
            }
            out.varint(0)
            Self.string(s, to: &out)
            written.append(s)
            remember(written.count - 1)
        }

        func repeated(_ s: String, at index: Int) -> Int? {
            index >= 0 && written[index].hasSameBytes(as: s) ? index : nil
        }

        mutating func remember(_ index: Int) {
            lastThree = (lastThree.1, lastThree.2, index)
        }

        /// LEB128 a byte at a time, as `ByteWriter.varint` wrote it.
        static func varint(_ v: UInt64, to out: inout [UInt8]) {
            var x = v
            while x >= 0x80 { out.append(UInt8(truncatingIfNeeded: x) | 0x80); x >>= 7 }
            out.append(UInt8(x))
        }

        static func string(_ s: String, to out: inout ByteWriter) {
            var bytes: [UInt8] = []
            varint(UInt64(s.utf8.count), to: &bytes)
            out.bytes.append(contentsOf: bytes)
            out.bytes.append(contentsOf: Array(s.utf8))
        }
    }

    /// Strings that are equal as `String`s but not as bytes (NFC and NFD), empty, long, and many
    /// distinct ones (past the sixteen searched), so every branch of the search is taken.
    static let texts = ["", "a", "é", "e\u{301}", "行尾", "行尾 ", String(repeating: "长消息", count: 60), "\u{0}", "🙂",
                        "line-endings", "content-duplicate"] + (0..<40).map { "distinct message \($0)" }

    static func records(_ rng: inout SeededRandom, count: Int) -> [[Diagnostic]] {
        (0..<count).map { f in
            (0..<rng.pick([0, 1, 2, 3, 8, 30, 70])).map { i in
                var fix: Fix?
                if rng.chance(0.5) {
                    let edits = (0..<rng.pick([0, 1, 2])).map { _ in
                        Edit(range: 5..<(5 + rng.below(300)), replacement: Array(rng.pick(texts).utf8))
                    }
                    fix = Fix(rng.chance(0.5) ? .safe : .unsafe, rng.pick(texts), edits: edits)
                }
                return Diagnostic(rule: rng.pick(Array(texts.prefix(11))), severity: rng.pick([.info, .warning, .error]), path: "p/\(f).md",
                                  line: rng.pick([0, 1, 127, 128, 16_383, 16_384, Int(Int32.max)]), column: 1 + i,
                                  endLine: rng.chance(0.5) ? nil : rng.below(20_000), endColumn: rng.chance(0.5) ? nil : rng.below(300),
                                  message: rng.pick(texts), fix: fix)
            }
        }
    }

    /// Records encoded one after the other into one writer (a cache entry's way) and each into a
    /// writer of its own after the previous record's strings were forgotten (the spill's way).
    @Test(arguments: [5, 81, 1_000])
    func recordsEncodeAsBefore(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let records = Self.records(&rng, count: 300)
        var shared = ByteWriter(), sharedReference = ByteWriter()
        var strings = SpilledStrings.Writer(), reference = ReferenceWriter()
        for record in records {
            var own = ByteWriter(), ownReference = ByteWriter()
            own.string("head \(record.count)")
            ownReference.string("head \(record.count)")
            strings.reset()
            reference.reset()
            for d in record {
                own.diagnostic(d) { strings.write($1, to: &$0) }
                ownReference.diagnostic(d) { reference.write($1, to: &$0) }
            }
            #expect(own.bytes == ownReference.bytes)
            // One writer per entry, as the cache writes: fresh string numbering, shared bytes.
            var entryStrings = SpilledStrings.Writer(), entryReference = ReferenceWriter()
            for d in record {
                shared.diagnostic(d) { entryStrings.write($1, to: &$0) }
                sharedReference.diagnostic(d) { entryReference.write($1, to: &$0) }
            }
        }
        #expect(shared.bytes == sharedReference.bytes)
        // And the records decode to what was written.
        var strings2 = SpilledStrings.Writer()
        for record in records.prefix(40) where !record.isEmpty {
            var w = ByteWriter()
            strings2.reset()
            for d in record { w.diagnostic(d) { strings2.write($1, to: &$0) } }
            var list: [String] = []
            var recent = RecentStrings()
            var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
            let decoded = r.spilledDiagnostics(record.count, path: record[0].path, strings: &list, recent: &recent)
            #expect(decoded.map { SpillReadBackTests.sameBytes($0, record) } == true)
        }
    }

    /// Varints at every length boundary, strings of every size class, and source-lines sections
    /// (empty: the count alone) as the byte-at-a-time writer wrote them.
    @Test func varintsStringsAndLinesAsBefore() {
        var values: [UInt64] = [0, 1, 0x7F, 0x80, 0x81, 0x3FFF, 0x4000, 0x1F_FFFF, 0x20_0000, UInt64(Int32.max), UInt64.max]
        for shift in 0..<64 { values.append(1 << UInt64(shift)); values.append((1 << UInt64(shift)) &- 1) }
        for v in values {
            var w = ByteWriter(bytes: [9])
            w.varint(v)
            var expected: [UInt8] = [9]
            ReferenceWriter.varint(v, to: &expected)
            #expect(w.bytes == expected, "\(v)")
            #expect(ByteWriter.varintSize(v) == expected.count - 1)
        }
        for s in Self.texts + [String(repeating: "x", count: 200), String(repeating: "x", count: 20_000), "ab\u{301}c".precomposedStringWithCanonicalMapping] {
            var w = ByteWriter(), expected = ByteWriter()
            w.string(s)
            ReferenceWriter.string(s, to: &expected)
            #expect(w.bytes == expected.bytes)
        }
        var empty = ByteWriter()
        empty.sourceLines([:])
        #expect(empty.bytes == [0])
        var lines = ByteWriter()
        lines.sourceLines([300: "第三百行", 2: "two", 1: ""])
        var expected: [UInt8] = [3]
        for (n, text) in [(1, ""), (2, "two"), (300, "第三百行")] {
            ReferenceWriter.varint(UInt64(n), to: &expected)
            ReferenceWriter.varint(UInt64(text.utf8.count), to: &expected)
            expected += Array(text.utf8)
        }
        #expect(lines.bytes == expected)
        var r = ByteReader(lines.bytes, range: 0..<lines.bytes.count)
        #expect(r.sourceLines() == [300: "第三百行", 2: "two", 1: ""])
    }
}
