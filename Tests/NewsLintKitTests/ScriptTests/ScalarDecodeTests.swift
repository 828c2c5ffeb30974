import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The shared per-document decode must give every rule exactly what decoding a line (or the file)
/// on its own gave before it existed.
@Suite struct ScalarDecodeTests {
    /// Straightforward reference: decode `range` alone, one invalid scalar per ill-formed byte.
    private func reference(_ bytes: [UInt8], _ range: Range<Int>) -> (cps: [UInt32], offsets: [Int]) {
        var cps: [UInt32] = [], offsets: [Int] = []
        bytes.withUnsafeBufferPointer { buf in
            var i = range.lowerBound
            while i < range.upperBound {
                offsets.append(i)
                let len = UTF8Validation.sequenceLength(buf, at: i)
                if len == 0 || i + len > range.upperBound {
                    cps.append(ScalarDecode.invalid)
                    i += 1
                    continue
                }
                let decoded = String(decoding: bytes[i..<(i + len)], as: UTF8.self).unicodeScalars
                cps.append(decoded.first?.value ?? 0)
                i += len
            }
        }
        offsets.append(range.upperBound)
        return (cps, offsets)
    }

    private func check(_ bytes: [UInt8], _ label: String) {
        let document = Document(path: "t.md", bytes: bytes)
        let decode = document.scalars
        let whole = ScalarRun(wholeFile: decode)
        let expectedWhole = reference(bytes, 0..<bytes.count)
        #expect(Array(whole.cps) == expectedWhole.cps, "\(label): whole file")
        #expect(Array(whole.offsets) == expectedWhole.offsets, "\(label): whole-file offsets")
        for n in stride(from: 1, through: document.lineCount, by: 1) {
            let run = document.scalarRun(decode, line: n)
            let expected = reference(bytes, document.contentRange(ofLine: n))
            #expect(Array(run.cps) == expected.cps, "\(label): line \(n)")
            #expect(Array(run.offsets) == expected.offsets, "\(label): offsets of line \(n)")
            #expect(run.byteRange(0..<run.count) == document.contentRange(ofLine: n), "\(label): range of line \(n)")
        }
    }

    @Test func matchesDecodingEachLineAlone() {
        let samples: [(String, [UInt8])] = [
            ("empty", []),
            ("simplified, LF", Array("---\ntitle: 北京今日降温\n---\n\n北京市气象台今天发布寒潮预警，最低气温将降至零下八度。\n\n市民出行请注意保暖。".utf8)),
            ("traditional, CRLF", Array("香港天文台今日發出寒冷天氣警告。\r\n\r\n市民應注意保暖，長者尤其要小心。\r\n".utf8)),
            ("emoji and 4-byte Han", Array("網友留言👍🏻，提到𠮷野家的新菜單。\n".utf8)),
            ("BOM and trailing CR", [0xEF, 0xBB, 0xBF] + Array("記者報道\r".utf8)),
            ("lone newlines", Array("\n\n\n".utf8)),
        ]
        for (label, bytes) in samples { check(bytes, label) }
    }

    @Test func illFormedBytesStayOneScalarEach() {
        // GBK bytes in a UTF-8 file, a sequence cut by a line break, a surrogate, a stray continuation byte.
        let bytes: [UInt8] = Array("第一行：".utf8) + [0xB1, 0xB1, 0xBE, 0xA9, 0x0A, 0xE4, 0xB8, 0x0A, 0xED, 0xA0, 0x80, 0x80, 0x41]
            + Array("結束".utf8) + [0xE5, 0x8C]
        check(bytes, "ill-formed")
        let document = Document(path: "t.md", bytes: bytes)
        #expect(!document.isValidUTF8)
        let second = document.scalarRun(document.scalars, line: 2)
        #expect(Array(second.cps) == [ScalarDecode.invalid, ScalarDecode.invalid])
    }

    @Test func randomBytesMatchTheReference() {
        // Deterministic generator: mostly ASCII, newlines and UTF-8 fragments, so sequences get cut in every way.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        let pieces: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x41], [0x20], Array("中".utf8), Array("，".utf8), Array("é".utf8),
                                 Array("😀".utf8), [0xE4], [0xB8], [0xF0, 0x9F], [0xC3], [0xFF], [0xED, 0xA0]]
        for round in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 64) { bytes += pieces[Int(next() % UInt64(pieces.count))] }
            check(bytes, "random \(round)")
        }
    }

    /// Runs of 3-byte scalars (read one at a time with a 4-byte load) of every length after
    /// every prefix, ending at the end of the file or before a scalar of each width; and a file over
    /// `countedCapacityFrom`, whose arrays are sized by counting its scalars first.
    @Test func threeByteRunsMatchTheReference() {
        let han = Array("市政府今日公布預算報告".unicodeScalars).map { Array(String($0).utf8) }
        let prefixes: [[UInt8]] = [[], [0x41], [0x41, 0x42], Array("é".utf8), [0x0A]]
        let suffixes: [[UInt8]] = [[], [0x41], [0x0A], Array("é".utf8), Array("😀".utf8), Array("，".utf8)]
        for length in 0...han.count {
            for prefix in prefixes {
                for suffix in suffixes {
                    check(prefix + han.prefix(length).flatMap { $0 } + suffix, "\(prefix.count)+\(length)+\(suffix.count)")
                }
            }
        }
        var large: [UInt8] = []
        var line = 0
        while large.count <= ScalarDecode.countedCapacityFrom {
            line += 1
            large += Array("第\(line)段：市政府今日公布預算，ab 😀。\n".utf8)
        }
        large += Array("結".utf8)
        check(large, "large")
    }

    /// Han is read two sequences from one 8-byte load only when both leads are other than E0 and ED:
    /// a special lead (well-formed or not), a cut or ill-formed sequence, or ASCII at every position
    /// of a run of Han, and an ill-formed byte at every position of a long ASCII run, decode as
    /// each line alone does.
    @Test func threeBytePairsAndASCIIWordsNextToOtherBytesMatchTheReference() {
        let han = Array("市政府今日公布預算報告，".utf8)
        let specials: [[UInt8]] = [[0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF],
                                   [0xE4, 0x41, 0x80], [0xE4, 0xB8], [0xE4, 0xB8, 0xC0], [0x41], Array("é".utf8), Array("😀".utf8), [0x0A]]
        for at in 0...(han.count / 3) {
            for (s, special) in specials.enumerated() {
                check(Array(han.prefix(at * 3)) + special + Array(han.dropFirst(at * 3)), "Han, special \(s) at scalar \(at)")
            }
        }
        let ascii = Array("The quick brown fox jumps over".utf8)
        for at in 0...ascii.count {
            for other: [UInt8] in [[0xFF], [0x80], Array("中".utf8), [0x0A]] {
                check(Array(ascii.prefix(at)) + other + Array(ascii.dropFirst(at)), "ASCII, \(other) at \(at)")
            }
        }
    }

    /// Han is read four sequences a step while all four leads are other than E0 and ED: a special or
    /// broken sequence at every position of a long run (so in each lane of a step, and in the slower
    /// loops after it), and the run cut at every byte, decode as each line alone does.
    @Test func fourSequenceStepsNextToOtherBytesMatchTheReference() {
        let han = Array("市政府今日公布預算報告，立法會議員明日將就此進行辯論。".utf8)
        let specials: [[UInt8]] = [[0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xE4, 0x41, 0x80], [0xE4, 0xB8, 0xC0],
                                   [0xE4, 0xB8], [0xC0, 0xB8, 0x80], [0x41], [0x0A], Array("😀".utf8), Array("é".utf8)]
        for at in 0...(han.count / 3) {
            for (s, special) in specials.enumerated() {
                check(Array(han.prefix(at * 3)) + special + Array(han.dropFirst(at * 3)), "long Han, special \(s) at scalar \(at)")
            }
        }
        for length in 0...han.count { check(Array(han.prefix(length)), "long Han cut at byte \(length)") }
    }

    /// Runs of one to six 3-byte sequences between ASCII bytes, digits and other sequences, at
    /// every distance from the end of the file: a short run, a run near the end, or an E0 or ED
    /// lead inside a step leaves the four-a-step loop after no step or a few, and the two- and
    /// one-a-step loops must then give the reference's scalars.
    @Test func shortThreeByteRunsBetweenOtherBytesMatchTheReference() {
        let han: [[UInt8]] = [Array("年".utf8), Array("，".utf8), Array("“".utf8), [0xE0, 0xA0, 0x80], [0xED, 0x95, 0x9C], [0xE4, 0xB8]]
        let others: [[UInt8]] = [Array("3".utf8), Array("a".utf8), [0x0A], Array("é".utf8), Array("😀".utf8), [0xFF], [0x80]]
        var random = SeededRandom(seed: 2405)
        for round in 0..<1500 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + random.below(6)) {
                for _ in 0..<(1 + random.below(6)) { bytes += random.below(8) == 0 ? han[random.below(han.count)] : han[0] }
                for _ in 0..<random.below(3) { bytes += others[random.below(others.count)] }
            }
            check(bytes, "short runs \(round)")
        }
    }

    /// Well-formed text takes the decode without checks, and its ASCII runs the eight-byte path:
    /// runs of every length at every alignment, between scalars of every width.
    @Test func wellFormedTextWithASCIIRunsMatchesTheReference() {
        var random = SeededRandom(seed: 41)
        let others: [[UInt8]] = [Array("中".utf8), Array("é".utf8), Array("😀".utf8), Array("，".utf8), [0x0A], [0x0D, 0x0A]]
        for round in 0..<400 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(12) {
                bytes += (0..<random.below(20)).map { _ in UInt8(0x20 + random.below(0x5F)) }
                bytes += others[random.below(others.count)]
            }
            let document = Document(path: "t.md", bytes: bytes)
            #expect(document.isValidUTF8)
            check(bytes, "well-formed \(round)")
        }
    }

    /// `allInBMP` says exactly whether every decoded scalar is below U+10000, from each decoder (told
    /// well-formed, told ill-formed, finding out as it goes, and a file over `countedCapacityFrom`):
    /// 4-byte sequences and ill-formed bytes anywhere, the last sequence of the file cut short
    /// (issue 16, session 27: the script rules read their 64K tables untested when it is true).
    @Test func allInBMPIsWhetherEveryScalarIsBelowTheAstralPlanes() {
        var random = SeededRandom(seed: 2701)
        let pieces: [[UInt8]] = [Array("中".utf8), Array("文字".utf8), Array("é".utf8), Array("a b".utf8), Array("𠮷".utf8), Array("😀".utf8),
                                 Array("\u{FFFF}".utf8), Array("\u{10000}".utf8), [0xFF], [0xF0, 0x9F], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0x0A]]
        let bmpPieces = [pieces[0], pieces[1], pieces[2], pieces[3], pieces[6]]
        var astral = 0, inBMP = 0, illFormed = 0, bigValidInBMP = 0, bigValidAstral = 0
        for round in 0..<4000 {
            var bytes: [UInt8] = []
            if round % 50 == 0 {
                // Over `countedCapacityFrom` and well-formed (the random pieces below would put ~770
                // ill-formed ones in a file this long): BMP only, or with one astral scalar anywhere.
                let count = 24_000 + random.below(8_000), astralAt = round % 100 == 0 ? -1 : random.below(count)
                for k in 0..<count { bytes += k == astralAt ? pieces[4 + random.below(2)] : bmpPieces[random.below(bmpPieces.count)] }
            } else {
                // Mostly BMP text, so that one astral piece (or none) decides.
                for _ in 0..<random.below(40) {
                    bytes += random.below(12) == 0 ? pieces[random.below(pieces.count)] : pieces[random.below(4)]
                }
            }
            let found = ScalarDecode(bytes, lineStarts: [], isValidUTF8: nil)
            let expected = found.cps.allSatisfy { $0 < 0x10000 }
            #expect(found.allInBMP == expected, "\(bytes.prefix(200))")
            let told = ScalarDecode(bytes, lineStarts: [], isValidUTF8: found.isValidUTF8)
            #expect(told.cps == found.cps && told.allInBMP == expected, "\(bytes.prefix(200))")
            #expect(Document(path: "b.md", bytes: bytes).scalars.allInBMP == expected)
            if !found.isValidUTF8 { illFormed += 1 } else if expected { inBMP += 1 } else { astral += 1 }
            if bytes.count > ScalarDecode.countedCapacityFrom, found.isValidUTF8 {
                if expected { bigValidInBMP += 1 } else { bigValidAstral += 1 }
            }
        }
        #expect(astral > 500 && inBMP > 500 && illFormed > 500, "\(astral) \(inBMP) \(illFormed)")
        #expect(bigValidInBMP >= 30 && bigValidAstral >= 30, "\(bigValidInBMP) \(bigValidAstral)")
    }

    @Test func wideOffsetsAgreeWithNarrowOnes() {
        // Files over 4 GiB keep 8-byte offsets; force that path on a small file.
        let bytes = Array("第一段：市政府今日公布預算。\r\n\n第二段 ends here 😀".utf8) + [0xE4, 0x0A]
        let document = Document(path: "t.md", bytes: bytes)
        let narrow = ScalarDecode(bytes, lineStarts: document.lineStarts, isValidUTF8: document.isValidUTF8)
        let wide = ScalarDecode(bytes, lineStarts: document.lineStarts, isValidUTF8: document.isValidUTF8, narrowOffsetLimit: 0)
        guard case .narrow = narrow.offsets, case .wide = wide.offsets else {
            Issue.record("expected narrow and wide offsets")
            return
        }
        #expect(wide.cps == narrow.cps)
        #expect(wide.lineStarts == narrow.lineStarts)
        #expect(Array(ScalarRun(wholeFile: wide).offsets) == Array(ScalarRun(wholeFile: narrow).offsets))
        #expect(Array(ScalarRun(wholeFile: wide).offsets) == reference(bytes, 0..<bytes.count).offsets)
    }

    /// A finished document's decode leaves its arrays for the next one (`DecodeStorage`), which
    /// writes into them in place: each decode, on whatever storage it was given, matches the
    /// reference, and scalars a caller still holds from an earlier document (which the next decode
    /// must not write into) keep their values while later documents decode. Files of every size
    /// around the last one's, ill-formed bytes, empty files, and the storage handed back by hand too.
    @Test func keptStorageGivesTheReferenceAndLeavesHeldScalarsAlone() {
        var random = SeededRandom(seed: 3107)
        let pieces: [[UInt8]] = [Array("中".utf8), Array("文字，".utf8), Array("abc ".utf8), Array("é".utf8), Array("😀".utf8), [0xFF], [0x0A]]
        var held: [(cps: [UInt32], offsets: [Int], expected: (cps: [UInt32], offsets: [Int]))] = []
        for round in 0..<600 {
            var bytes: [UInt8] = []
            for _ in 0..<(round % 17 == 0 ? 0 : random.below(300)) { bytes += pieces[random.below(pieces.count)] }
            let expected = reference(bytes, 0..<bytes.count)
            do {
                let document = Document(path: "t.md", bytes: bytes)
                let decode = document.scalars
                let run = ScalarRun(wholeFile: decode)
                #expect(Array(run.cps) == expected.cps && Array(run.offsets) == expected.offsets, "round \(round)")
                if round % 5 == 0 { held.append((decode.cps, Array(run.offsets), expected)) }
                if round % 7 == 0 { DecodeStorage.keep(decode) }
            }
        }
        for (k, h) in held.enumerated() { #expect(h.cps == h.expected.cps && h.offsets == h.expected.offsets, "held \(k)") }
        #expect(held.count == 120)
    }

    @Test func decodedOnceAndShared() {
        let document = Document(path: "t.md", text: "新聞稿\n")
        let copy = document
        #expect(document.scalars.cps.withUnsafeBufferPointer { $0.baseAddress }
            == copy.scalars.cps.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func nonContinuationCountIsTheScalarCountOfValidText() {
        for text in ["", "a", "中文", "abcdefgh中文ijklmnop😀é", String(repeating: "香港新聞，", count: 37)] {
            #expect(ScalarDecode.nonContinuationCount(Array(text.utf8)) == text.unicodeScalars.count, "\(text)")
        }
    }
}
