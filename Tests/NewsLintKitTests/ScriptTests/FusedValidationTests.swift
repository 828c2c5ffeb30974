import Testing
@testable import NewsLintCore

/// The scalar decode validates as it goes when the document's validity is not known yet: its
/// scalars, offsets and line starts must be exactly those of the decode told the answer up front,
/// and the validity it finds must be `UTF8Validation`'s.
@Suite struct FusedValidationTests {
    private func compare(_ bytes: [UInt8], _ label: String) {
        let valid = UTF8Validation.firstInvalidOffset(in: bytes) == nil
        #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(label): validation agrees with the standard library")
        let lineStarts = Document.computeLineStarts(bytes)
        let told = ScalarDecode(bytes, lineStarts: lineStarts, isValidUTF8: valid)
        let found = ScalarDecode(bytes, lineStarts: lineStarts, isValidUTF8: nil)
        #expect(found.isValidUTF8 == valid, "\(label): validity found by the decode")
        #expect(found.cps == told.cps, "\(label): scalars")
        #expect((0...found.cps.count).map { found.offsets[$0] } == (0...told.cps.count).map { told.offsets[$0] }, "\(label): offsets")
        #expect(found.lineStarts == told.lineStarts, "\(label): line starts")

        // Through the document, in either order of asking.
        let decodedFirst = Document(path: "t.md", bytes: bytes)
        _ = decodedFirst.scalars
        #expect(decodedFirst.views.knownValidity == valid, "\(label): the decode stored the validity")
        #expect(decodedFirst.isValidUTF8 == valid, "\(label): decoded first")
        // The per-line ASCII summary agrees with walking each line's bytes (nil when ill-formed).
        for n in stride(from: 1, through: decodedFirst.lineCount, by: 1) {
            let walked = decodedFirst.lineBytes(n).allSatisfy { $0 < 0x80 }
            #expect(decodedFirst.lineIsASCII(decodedFirst.scalars, line: n) == (valid ? walked : nil), "\(label): line \(n) ASCII")
        }
        let validatedFirst = Document(path: "t.md", bytes: bytes)
        #expect(validatedFirst.isValidUTF8 == valid, "\(label): validated first")
        #expect(validatedFirst.scalars.cps == told.cps, "\(label): scalars after validating")
    }

    @Test func edgeCasesMatchTheDecodeToldTheValidity() {
        let samples: [(String, [UInt8])] = [
            ("empty", []),
            ("BOM only", [0xEF, 0xBB, 0xBF]),
            ("BOM and text, CRLF", [0xEF, 0xBB, 0xBF] + Array("記者報道\r\n第二行\r\n".utf8)),
            ("4-byte characters", Array("網友留言👍🏻，提到𠮷野家。\n😀".utf8)),
            ("3-byte sequence cut at the end of the file", Array("結束".utf8) + [0xE5, 0x8C]),
            ("3-byte sequence cut at the end of a line", Array("第一行".utf8) + [0xE4, 0xB8, 0x0A] + Array("第二行".utf8)),
            ("3-byte sequence cut before CRLF", Array("第一行".utf8) + [0xE4, 0x0D, 0x0A]),
            ("last byte invalid", Array("新聞".utf8) + [0xFF]),
            ("overlong E0", Array("中".utf8) + [0xE0, 0x80, 0x80] + Array("文".utf8)),
            ("smallest E0", Array("中".utf8) + [0xE0, 0xA0, 0x80] + Array("文".utf8)),
            ("surrogate", Array("中".utf8) + [0xED, 0xA0, 0x80] + Array("文".utf8)),
            ("last before the surrogates", Array("中".utf8) + [0xED, 0x9F, 0xBF] + Array("文".utf8)),
            ("U+FFFF", Array("中".utf8) + [0xEF, 0xBF, 0xBF] + Array("文".utf8)),
            ("above U+10FFFF", Array("中".utf8) + [0xF4, 0x90, 0x80, 0x80]),
            ("overlong C0", [0x41, 0xC0, 0x80, 0x42]),
            ("lone continuation bytes", Array("中".utf8) + [0x80, 0xBF] + Array("文".utf8)),
            ("GBK in UTF-8", Array("第一行：".utf8) + [0xB1, 0xB1, 0xBE, 0xA9, 0x0A]),
            ("lead then ASCII", [0xE4, 0x41, 0x42, 0x43, 0x44]),
            ("ASCII and Chinese lines, no final newline", Array("title: x\n中文\r\nplain ascii line\n\n𠮷\nend".utf8)),
        ]
        for (label, bytes) in samples { compare(bytes, label) }
    }

    /// Past `countedCapacityFrom` the decode is told the validity (its arrays are sized by counting).
    @Test func largeFilesMatchToo() {
        var text: [UInt8] = []
        var line = 0
        while text.count <= ScalarDecode.countedCapacityFrom {
            line += 1
            text += Array("第\(line)段：市政府今日公布預算，ab 😀。\n".utf8)
        }
        compare(text, "large, well-formed")
        compare(text + [0xE5, 0x8C], "large, cut at the end")
    }

    /// A run of 3-byte sequences ending at every place of a four-sequence step (`decodeFourAtATime`),
    /// before each kind of byte that ends it, with and without bytes after it: the decode that
    /// checks as it goes must make exactly what the decode told the validity makes.
    @Test func runsEndingInsideAStepMatch() {
        let enders: [(String, [UInt8])] = [
            ("ASCII", [0x41]), ("newline", [0x0A]), ("smallest E0", [0xE0, 0xA0, 0x80]), ("overlong E0", [0xE0, 0x80, 0x80]),
            ("last before the surrogates", [0xED, 0x9F, 0xBF]), ("surrogate", [0xED, 0xA0, 0x80]), ("2-byte", Array("é".utf8)),
            ("4-byte", Array("😀".utf8)), ("lone lead", [0xE4, 0x41]), ("bad second byte", [0xE4, 0xC0, 0x80]),
            ("bad third byte", [0xE4, 0xB8, 0x41]), ("lone continuation", [0x80]), ("full-width comma", Array("，".utf8)),
        ]
        let han = Array("中".utf8)
        for count in 1...13 {
            for (label, ender) in enders {
                // Enough text after the run for whole steps to read (fourteen bytes), and none.
                compare(Array(repeating: han, count: count).flatMap { $0 } + ender + Array("文字文字文字".utf8), "\(count) then \(label)")
                compare(Array(repeating: han, count: count).flatMap { $0 } + ender, "\(count) then \(label), at the end")
            }
        }
    }

    @Test func randomBytesMatch() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        let pieces: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x41], Array("中".utf8), Array("，".utf8), Array("é".utf8), Array("😀".utf8),
                                 [0xE4], [0xB8], [0xE0], [0xED], [0xA0], [0xF0, 0x9F], [0xC3], [0xFF], Array("abcdefghij".utf8)]
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 48) { bytes += pieces[Int(next() % UInt64(pieces.count))] }
            compare(bytes, "random \(round)")
        }
    }
}
