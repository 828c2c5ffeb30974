import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The script rules' fast paths (issue 16, session 7) against the plain forms they replaced: the
/// flag table against the data files read the simple way, on every scalar; the prose masks made
/// token by token or skipped by a byte prefilter against the scalar-by-scalar ones, on random text.
extension HTMLView {
    /// The hidden mask as `ProseMask` made it before (scalar by scalar, a token lookup each): the
    /// reference for `forEachHiddenRange`.
    func markHiddenPerScalar(offsets: some RandomAccessCollection<Int>, count: Int, into hidden: inout [Bool]) {
        var t = 0
        var i = 0
        for offset in offsets.prefix(count) {
            defer { i += 1 }
            guard offset >= range.lowerBound else { continue }
            if t == 0, let first = tokenIndex(containing: offset) { t = first }
            while t < tokens.count, tokens[t].range.upperBound <= offset { t += 1 }
            if t >= tokens.count || offset < tokens[t].range.lowerBound || !isProse(token: t) { hidden[i] = true }
        }
    }
}

@Suite struct ScriptFastPathTests {
    /// The BMP characters a GBK pair (`gbkPair`) is made of: those that start UTF-8 in GB18030,
    /// those that continue it and start nothing, and those that continue a sequence and may start
    /// the next (the pair's middle).
    static let gbkPairCharacters: (starts: [UInt32], continues: [UInt32], middles: [UInt32]) = (
        (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.startsUTF8InGB($0) },
        (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.continuesUTF8InGB($0) && !MojibakeRule.startsUTF8InGB($0) },
        (UInt32(0x2E80)..<0x10000).filter { MojibakeRule.continuesUTF8InGB($0) && MojibakeRule.gbFlags[Int($0)] & 0x60 != 0 })

    /// Mojibake's signals other than the GBK pair, character by character (the plain form the
    /// signal passes are held to, here and in `ScriptFastPath2Tests`).
    static func plainOthers(_ c: [UInt32]) -> MojibakeRule.Signals {
        var s: MojibakeRule.Signals = []
        for ch in c {
            // A parenthesis counts only on a line with a toned vowel (a pinyin artifact needs one).
            if ch == 0x28 || ch == 0xFF08, c.contains(where: { Pinyin.tonedVowels.contains($0) }) { s.insert(.parenthesis) }
            if ch == 0x3F { s.insert(.questionMark) }
            if (0xC2...0xF4).contains(ch) { s.insert(.latin1Lead) }
            if [0xFFFD, 0x951F, 0x70EB, 0x5C6F].contains(ch) { s.insert(.lost) }
            if (0xFF66...0xFF9F).contains(ch) { s.insert(.halfwidthKana) }
        }
        return s
    }


    /// What the tables hold, read from the data files with `String` and dictionaries.
    struct PlainTables {
        var cls: [UInt32: UInt8] = [:]
        var allowTraditional = Set<UInt32>(), allowSimplified = Set<UInt32>(), names = Set<UInt32>()
        var standalone = Set<UInt32>(), heads = Set<UInt32>()
        var phrases: [[UInt32]] = []

        init() {
            func lines(_ path: String) -> [[UInt32]] { ScriptTables.lines(path).map { $0.unicodeScalars.map(\.value) } }
            for (path, value) in [("script/data/simplified-only.txt", UInt8(1)), ("script/data/traditional-only.txt", 2)] {
                for line in lines(path) { if let first = line.first(where: { $0 != 0x09 }) { cls[first] = value } }
            }
            for line in lines("script/data/allow-traditional.txt") { allowTraditional.formUnion(line.filter(CJK.isHan)) }
            for line in lines("script/data/allow-simplified.txt") { allowSimplified.formUnion(line.filter(CJK.isHan)) }
            for line in lines("script/data/surnames.txt") { names.formUnion(line.filter(CJK.isHan)) }
            for line in lines("script/data/phrases.txt") {
                let head = Array(line.split(separator: 0x09).first ?? [])
                if head.first == 0x21 { standalone.formUnion(head.dropFirst()) } else if head.first != 0x3D, head.count >= 4, head.count % 2 == 0 {
                    let from = Array(head[0..<(head.count / 2)])
                    phrases.append(from)
                    heads.insert(from[0])
                }
            }
        }
    }

    @Test func flagTableMatchesTheDataFilesOnEveryScalar() {
        let tables = ScriptTables.shared
        let plain = PlainTables()
        var differing: [String] = []
        for c in UInt32(0)...0x10FFFF where !(0xD800...0xDFFF).contains(c) {
            let r = tables.raw(c)
            let expectedClass = plain.cls[c] ?? 0
            let ok = r & ScriptTables.classMask == expectedClass
                && tables.scriptClass(c).rawValue == expectedClass
                && tables.isPhraseHead(c) == plain.heads.contains(c)
                && (r & ScriptTables.phraseHeadMask != 0) == plain.heads.contains(c)
                && tables.isAllowed(c, in: .traditionalOnly) == plain.allowTraditional.contains(c)
                && tables.isAllowed(c, in: .simplifiedOnly) == plain.allowSimplified.contains(c)
                && tables.isNameCharacter(c) == plain.names.contains(c)
                && tables.readsAsItselfAlone(c) == plain.standalone.contains(c)
                && (r & ScriptTables.variantBit != 0) == (ScriptMixedRule.variantOf[c] != nil)
            if !ok { differing.append(String(c, radix: 16)) }
            if differing.count > 20 { break }
        }
        #expect(differing.isEmpty, "\(differing)")
    }

    @Test func invalidScalarIsTheDecodesOwn() {
        #expect(ScalarRun.invalid == ScalarDecode.invalid)
    }

    @Test func phrasePairFilterKeepsEveryEntry() {
        let tables = ScriptTables.shared
        let plain = PlainTables()
        #expect(!plain.phrases.isEmpty)
        let missed = plain.phrases.filter { !tables.mayStartPhrase($0[0], $0[1]) }
        #expect(missed.isEmpty)
        // And it does filter: most pairs of a head with a common character are ruled out.
        let heads = Array(plain.heads)
        let second = Array(UInt32(0x4E00)..<0x5000)
        let passed = heads.reduce(0) { n, h in n + second.filter { tables.mayStartPhrase(h, $0) }.count }
        #expect(passed * 10 < heads.count * second.count)
    }

    /// Pieces of Markdown and HTML near the masks' edges: tags, comments, raw text, code, character
    /// references, URLs and near misses (`www` without a dot, `:` without `//`), controls.
    static let pieces = [
        "<p>", "</p>", "<a href=\"http://例子.com/中文\">", "</a>", "<!-- 評論 -->", "<script>var a='中';</script>", "<br/>",
        "&amp;", "&#20013;", "<pre>代碼 后面</pre>", "<div class=\"x\">", "</div>", "<style>p{}</style>", "<b>", "</b>", "<code>x</code>",
        "中國", "后面", "干部", "一只", "這裡", "abc", "B超", "`code`", "``a`b``", "`", "http://example.com/x", "HTTPS://A.B",
        "www.abc.com", "WwW.x", "ww.", "mailto:a@b", "MAILTO:", "ftp://f", "x:y", "o:", "://", "\u{1A}", "\u{0E}", "\u{0F}", "\t",
        "](", "](http://x)", "[a](b)", "< 3", "<", ">", "]", "。", "，", "：", " ", "\n", "\r\n", "「", "」", "（", "）", "(", ")", "?",
        "Ø", "\u{FF0C}", "𠀀", ".", "..", "h", "f", "w", "m",
    ]

    static func randomText(_ random: inout SeededRandom, pieces count: Int) -> String {
        var text = random.below(3) == 0 ? "---\ntitle: 標題\n---\n" : ""
        for _ in 0..<count { text += pieces[random.below(pieces.count)] }
        return text
    }

    static func runs(of document: Document) -> [ScalarRun] {
        let decode = document.scalars
        var runs = [ScalarRun(wholeFile: decode)]
        for n in stride(from: 1, through: document.lineCount, by: 1) { runs.append(document.scalarRun(decode, line: n)) }
        for (_, range) in document.proseUnits() { runs.append(document.scalarRun(decode, bytes: range)) }
        return runs
    }

    @Test func hiddenMaskByTokenEqualsTheMaskByScalar() throws {
        var random = SeededRandom(seed: 7)
        var documents: [Document] = []
        for name in ["aj.html", "cna-like.html", "dw.html", "no-front-matter.htm", "rfa-like.html", "rfa.html"] {
            let bytes = try [UInt8](Data(contentsOf: PackagePaths.fixtures.appendingPathComponent("html/\(name)")))
            documents.append(Document(path: name, bytes: bytes))
        }
        for k in 0..<400 { documents.append(Document(path: "r\(k).html", text: Self.randomText(&random, pieces: 1 + random.below(80)))) }
        var compared = 0
        for document in documents {
            // One token cursor carried over the runs as `runs(of:)` lists them: lines and units in
            // document order (walked on), and back to the start after the whole file and the last line.
            var tokenCursor = 0
            for run in Self.runs(of: document) {
                var plain = [Bool](repeating: false, count: run.count)
                document.html.markHiddenPerScalar(offsets: run.offsets, count: run.count, into: &plain)
                var fast: [Bool]?
                var fresh = 0
                document.html.markHiddenByToken(run, tokenCursor: &fresh, into: &fast)
                #expect((fast ?? [Bool](repeating: false, count: run.count)) == plain, "\(document.path)")
                #expect(fast == nil || fast?.contains(true) == true)
                var carried: [Bool]?
                document.html.markHiddenByToken(run, tokenCursor: &tokenCursor, into: &carried)
                #expect(carried == fast, "\(document.path)")
                compared += 1
            }
        }
        #expect(compared > 2000)
    }

    @Test func nonProseIfAnyEqualsNonProse() {
        var random = SeededRandom(seed: 11)
        var masked = 0
        for k in 0..<800 {
            let path = k % 2 == 0 ? "r\(k).md" : "r\(k).html"
            let document = Document(path: path, text: Self.randomText(&random, pieces: 1 + random.below(40)))
            for run in Self.runs(of: document) {
                // A Markdown document's spans across lines (its raw HTML blocks: the pieces hold `<!--`),
                // as the spec masks them (`LiquidAcrossLinesReference`).
                var plain = document.isHTMLFile ? ProseMask.nonProse(run) : LiquidAcrossLinesReference.nonProse(run, in: document)
                if document.isHTMLFile { document.html.markHiddenPerScalar(offsets: run.offsets, count: run.count, into: &plain) }
                #expect(ProseMask.nonProse(run, in: document) == plain)
                let fast = ProseMask.nonProseIfAny(run, in: document)
                #expect((0..<run.count).map { fast[$0] } == plain, "\(path)")
                #expect(fast.flags.isEmpty || fast.flags == plain)
                if !fast.flags.isEmpty { masked += 1 }
            }
        }
        #expect(masked > 100)
    }

    // MARK: byte prefilters against the byte loops they replaced

    /// Byte strings near the prefilters' edges: the sequences each rule looks for, their near misses
    /// (`“` E2 80 9C, `，` EF BC 8C), controls, truncated sequences and Chinese text.
    static let bytePieces: [[UInt8]] = [
        [0xE2, 0x80, 0x8B], [0xE2, 0x80, 0x9C], [0xE2, 0x80, 0xAA], [0xE2, 0x81, 0xA0], [0xE2, 0x81, 0xAA], [0xEF, 0xBB, 0xBF],
        [0xE1, 0xA0, 0x8E], [0xD8, 0x9C], [0xC2, 0xAD], [0xC2], [0x7F], [0x09], [0x0A], [0x0D], [0x1A], [0x00], [0x0E],
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBC], [0xEF, 0xBF, 0xBD], [0xEF, 0xA3, 0xBF], [0xEF, 0xA4, 0x80], [0xEF, 0xAB], [0xEF, 0xBC, 0x8C],
        [0xF3, 0xB0, 0x80, 0x80], [0xF3, 0xAF], [0xF4, 0x8F, 0xBF, 0xBF], [0xF0, 0xAF, 0xA0, 0x80], [0xF0, 0x9F, 0x98, 0x80],
        [0xE2, 0xBA, 0x80], [0xE2, 0xBF], [0xEF, 0xBD, 0xA1], [0xEF, 0xBD, 0xA5], [0xEF, 0xBD, 0xA6], [0xEF, 0xBD], [0xEF],
        Array("%EF%BF%BD".utf8), Array("%ef%Bf%bd".utf8), Array("%EF%BF%B".utf8), Array("%%EF".utf8), Array("%".utf8),
        Array("中文，這是測試。".utf8), Array("abc ".utf8), [0xE4, 0xB8], [0x80], [0xBD],
    ]

    static func randomBytes(_ random: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<random.below(24) { bytes += bytePieces[random.below(bytePieces.count)] }
        return bytes
    }

    static func plainInvisible(_ buf: [UInt8]) -> Bool {
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b < 0x20 { if b != 0x09 && b != 0x0A && b != 0x0D { return true } } else if b == 0x7F || b == 0xC2 {
                return true
            } else if i + 1 < n {
                let b1 = buf[i + 1]
                if (b == 0xEF && b1 == 0xBB) || (b == 0xE1 && b1 == 0xA0) || (b == 0xD8 && b1 == 0x9C) { return true }
                if b == 0xE2 && i + 2 < n {
                    let b2 = buf[i + 2]
                    if (b1 == 0x80 && ((b2 >= 0x8B && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAE))) || (b1 == 0x81 && b2 >= 0xA0 && b2 <= 0xA9) { return true }
                }
            }
            i += 1
        }
        return false
    }

    static func plainCharLost(_ buf: [UInt8]) -> Bool {
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b < 0x20 {
                if b != 0x09 && b != 0x0A && b != 0x0D { return true }
            } else if b == 0xEE || b == 0xF4 {
                return true
            } else if i + 1 < n {
                let b1 = buf[i + 1]
                if b == 0xEF && (b1 <= 0xA3 || (b1 == 0xBF && i + 2 < n && buf[i + 2] == 0xBC)) { return true }
                if b == 0xF3 && b1 >= 0xB0 { return true }
            }
            i += 1
        }
        return false
    }

    static func plainCompat(_ buf: [UInt8]) -> Bool {
        var i = 0
        let n = buf.count
        while i + 1 < n {
            let b = buf[i], b1 = buf[i + 1]
            if (b == 0xE2 && b1 >= 0xBA && b1 <= 0xBF) || (b == 0xEF && b1 >= 0xA4 && b1 <= 0xAB) || (b == 0xF0 && b1 == 0xAF) { return true }
            i += 1
        }
        return false
    }

    static func plainHalfwidth(_ buf: [UInt8]) -> Bool {
        var i = 0
        while i + 2 < buf.count {
            if buf[i] == 0xEF && buf[i + 1] == 0xBD && buf[i + 2] >= 0xA1 && buf[i + 2] <= 0xA5 { return true }
            i += 1
        }
        return false
    }

    static func plainPercentFFFD(_ buf: [UInt8]) -> Bool {
        let p = Array("%EF%BF%BD".utf8)
        guard buf.count >= p.count else { return false }
        func upper(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x66 ? b - 0x20 : b }
        for i in 0...(buf.count - p.count) where (0..<p.count).allSatisfy({ upper(buf[i + $0]) == p[$0] }) { return true }
        return false
    }

    /// invisible-char's prefilter no longer takes every C2 byte (C2 A0, the no-break space, is no
    /// candidate): it passes a subset of what the old loop passed, and the rule finds nothing in the rest.
    @Test func invisibleCharPrefilterDropsOnlyQuietFiles() throws {
        var random = SeededRandom(seed: 23)
        var dropped = 0
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(&random) + (random.below(2) == 0 ? [0xC2, 0xA0] : [])
            let fast = InvisibleCharRule.mayHoldCandidate(bytes), plain = Self.plainInvisible(bytes)
            #expect(!fast || plain)
            guard plain && !fast, dropped < 300 else { continue }
            dropped += 1
            #expect(try RuleHarness.diagnostics(rule: "invisible-char", bytes: bytes).isEmpty, "\(bytes)")
        }
        #expect(dropped == 300)
    }

    /// invisible-char's cheap test before its name switch (issue 16, session 26) says yes exactly
    /// where the switch names the scalar: on every code point, surrogates, and the decode's `invalid`.
    @Test func invisibleCharIsNamedIsTheNameSwitch() {
        var mismatches: [UInt32] = []
        for c in UInt32(0)...0x10FFFF where InvisibleCharRule.isNamed(c) != (InvisibleCharRule.name(c) != nil) { mismatches.append(c) }
        for c in [ScalarDecode.invalid, 0x11_0000, 0xFFFF_FFFE] where InvisibleCharRule.isNamed(c) != (InvisibleCharRule.name(c) != nil) { mismatches.append(c) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).map { String($0, radix: 16) })")
    }

    @Test func scalarSearchFindsWhatALinearSearchFinds() {
        var random = SeededRandom(seed: 37)
        let pool: [UInt32] = [0x3F, 0x4E2D, 0x20, 0x3F | 0x100, 0x1_003F, 0xFFFF_FFFF, 0x3F00_0000]
        for _ in 0..<3_000 {
            let scalars = (0..<random.below(40)).map { _ in random.below(6) == 0 ? 0x3F : pool[1 + random.below(pool.count - 1)] }
            let from = random.below(scalars.count + 1), end = from + random.below(scalars.count - from + 1)
            let expected = (from..<end).first { scalars[$0] == 0x3F } ?? end
            #expect(scalars.withUnsafeBufferPointer { $0.firstIndex(of: 0x3F, from: from, to: end) } == expected)
        }
    }

    @Test func byteSetFindsWhatALinearSearchFinds() {
        var random = SeededRandom(seed: 31)
        for _ in 0..<3_000 {
            // A third of the sets are ASCII only (the prose scans' marks), searched over mostly high bytes.
            let asciiOnly = random.below(3) == 0
            let values = (0..<random.below(11)).map { _ in UInt8(random.below(asciiOnly ? 0x80 : 256)) }
            let below = UInt8([0, 0x20, 0x80, UInt8(random.below(0x81))][random.below(4)])
            let except = (0..<random.below(3)).map { _ in UInt8(random.below(0x20)) }
            let set = ByteSet(values, below: below, except: except, wordAtATime: random.below(4) != 0)
            func isMember(_ b: UInt8) -> Bool { values.contains(b) || (b < below && !except.contains(b)) }
            #expect((0...255).allSatisfy { set.contains(UInt8($0)) == isMember(UInt8($0)) })
            // Mostly non-members, so that whole words are skipped.
            let pool = (0...255).map(UInt8.init).filter { !isMember($0) }
            let highs = pool.filter { $0 >= 0x80 }
            var bytes = (0..<random.below(70)).map { _ in
                asciiOnly && random.below(8) != 0 ? highs[random.below(highs.count)] : pool.isEmpty ? 0 : pool[random.below(pool.count)]
            }
            for _ in 0..<random.below(3) where !bytes.isEmpty { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
            let from = random.below(bytes.count + 1), end = from + random.below(bytes.count - from + 1)
            let expected = (from..<end).first { isMember(bytes[$0]) } ?? end
            #expect(bytes.withUnsafeBufferPointer { set.firstIndex(in: $0, from: from, to: end) } == expected)
        }
    }

    /// The sixteen-byte windows of a set of at most eight ASCII values (punctuation-width's marks,
    /// the prose mask's bytes, one with `except` bytes the vector flags and the table turns away),
    /// over every `from` and `end` of short buffers dense with members: the lanes after a flagged
    /// non-member, and the last window, which overlaps bytes before `from` and bytes already passed.
    @Test func asciiByteSetWindowsFindWhatALinearSearchFinds() {
        var random = SeededRandom(seed: 47)
        let sets: [(values: [UInt8], below: UInt8, except: [UInt8])] = [([0x28, 0x2C, 0x2E, 0x3A, 0x3B, 0x21, 0x3F], 0, []),
                                                                        ([0x2E, 0x3A, 0x3C, 0x5D, 0x60], 0x20, []), ([0x2E], 0x20, [0x09, 0x0A, 0x0D])]
        var searches = 0, mismatches: [String] = []
        for (values, below, except) in sets {
            let set = ByteSet(values, below: below, except: except)
            func isMember(_ b: UInt8) -> Bool { values.contains(b) || (b < below && !except.contains(b)) }
            let pool: [UInt8] = values + except + [0x41, 0x20, 0x7F, 0xE4, 0xB8, 0xAD, 0x80, 0xFF]
            for _ in 0..<200 {
                let bytes = (0..<random.below(41)).map { _ in random.below(4) == 0 ? pool[random.below(pool.count)] : UInt8(0xE0 + random.below(0x20)) }
                bytes.withUnsafeBufferPointer { buffer in
                    for from in 0...bytes.count {
                        for end in from...bytes.count {
                            let expected = (from..<end).first { isMember(bytes[$0]) } ?? end
                            let found = set.firstIndex(in: buffer, from: from, to: end)
                            searches += 1
                            if found != expected && mismatches.count < 5 { mismatches.append("\(bytes) \(from)..<\(end): \(found), not \(expected)") }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(searches > 100_000)
    }

    /// mojibake's word test before the `%EF%BF%BD` byte loop: the pattern's first eight bytes, folded.
    @Test func percentPrefixWordIsThePatternFolded() {
        let folded = MojibakeRule.percentFFFD.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element | 0x20) << UInt64(8 * $1.offset) }
        #expect(folded == MojibakeRule.percentFFFDPrefixFolded)
    }

    @Test func bytePrefiltersEqualTheByteLoops() {
        var random = SeededRandom(seed: 13)
        var hits = [0, 0, 0, 0]
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(&random)
            let answers = [
                (CharLostRule.mayHoldCandidate(bytes), Self.plainCharLost(bytes)),
                (CompatIdeographRule.mayHoldCandidate(bytes), Self.plainCompat(bytes)),
                (PunctuationHalfwidthRule.containsHalfwidthForm(bytes), Self.plainHalfwidth(bytes)),
                (MojibakeRule.containsPercentFFFD(bytes), Self.plainPercentFFFD(bytes)),
            ]
            for (k, (fast, plain)) in answers.enumerated() {
                #expect(fast == plain, "prefilter \(k): \(bytes)")
                if plain { hits[k] += 1 }
            }
        }
        // Both answers occur for every prefilter.
        #expect(hits.allSatisfy { $0 > 500 && $0 < 19_500 }, "\(hits)")
    }

    /// `containsPercentFFFD` steps three bytes through a run of escapes without memchr: on runs of
    /// escapes, `%EF%BF%BD` in either case, its prefixes and doubled `%`, it answers as the byte loop.
    @Test func percentFFFDSearchThroughRunsOfEscapes() {
        let pieces = ["%E4", "%B8", "%AD", "%EF", "%BF", "%BD", "%ef", "%bf", "%bd", "%Bd", "%", "%%", "a", "中", "EF", "BF", "%EF%BF%B", "%EF%BF%BD"]
            .map { Array($0.utf8) }
        var random = SeededRandom(seed: 3939)
        var hits = 0
        for _ in 0..<30_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(16) { bytes += pieces[random.below(pieces.count)] }
            let plain = Self.plainPercentFFFD(bytes)
            #expect(MojibakeRule.containsPercentFFFD(bytes) == plain, "\(String(decoding: bytes, as: UTF8.self))")
            if plain { hits += 1 }
        }
        #expect(hits > 2000 && hits < 28_000, "\(hits)")
    }

    // MARK: per-line skips: a skipped detector would have found nothing

    /// Lines near the detectors' edges: mojibake of each kind, pinyin glosses, question marks, ASCII
    /// punctuation beside Han text, parentheses, closing quotes.
    static let linePieces = [
        "锟斤拷", "烫烫烫", "屯屯", "\u{FFFD}", "é", "Ã©", "ï¼Œ", "â€œ", "ä¸­æ–‡", "é‡‘", "Ø·", "×•", "café", "鍏ㄥ浗", "鏂伴椈", "浣犲ソ",
        "涓枃", "ｱｲ", "ｺﾝ", "?", "?!", "!", "學?!半p一流”", "(qū)", "區(qū)", "（háng）", "讀", "(", ")", "（", "）", "(Interpol)",
        "中國", "后面", "干部", "台灣", "，", "。", ",", ".", ":", ";", "10:30", "3.5", "”", "」", "》", " ", "abc", "B超", "哈利.波特",
        "《條例》", "(第32章)", "𠀀", "\u{1A}", "<a>", "`x`", "http://a.b/c", "嗎", "呢",
    ]

    static func randomLines(_ random: inout SeededRandom, lines: Int) -> String {
        var text = ""
        for _ in 0..<lines {
            for _ in 0..<random.below(14) { text += linePieces[random.below(linePieces.count)] }
            text += "\n"
        }
        return text
    }

    /// Whether `gbkMojibake` keeps a segment of `c` to convert (its loop before the conversion).
    static func plainGBKCandidate(_ c: [UInt32]) -> Bool {
        var i = 0
        while i < c.count {
            guard c[i] >= 0x2E80 && c[i] != ScalarRun.invalid else { i += 1; continue }
            var j = i
            while j < c.count, c[j] >= 0x2E80, c[j] != ScalarRun.invalid, c[j] != 0x3002, c[j] != 0xFF0C, c[j] != 0x3001 { j += 1 }
            defer { i = max(j, i + 1) }
            if j - i >= 3, (i..<(j - 2)).contains(where: { MojibakeRule.startsUTF8InGB(c[$0]) && MojibakeRule.continuesUTF8InGB(c[$0 + 1]) }) { return true }
        }
        return false
    }

    @Test func gbkSignalIsTheSegmentTest() {
        var random = SeededRandom(seed: 29)
        // Characters that start and continue UTF-8 in GB18030, and the characters that end a run.
        let starts = (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.startsUTF8InGB($0) }
        let continues = (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.continuesUTF8InGB($0) && !MojibakeRule.startsUTF8InGB($0) }
        let others: [UInt32] = [0x3002, 0xFF0C, 0x3001, 0x41, 0x20, 0x4E2D, 0x20000, 0x2E80, 0x2E7F, 0xFF08]
        // Characters that continue a sequence and may start the next (the middle of `gbkPair`).
        let middles = (UInt32(0x2E80)..<0x10000).filter { MojibakeRule.continuesUTF8InGB($0) && MojibakeRule.gbFlags[Int($0)] & 0x60 != 0 }
        var both = [0, 0]
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<random.below(12) {
                let pool = [starts, continues, others, middles][random.below(4)]
                text.append(Unicode.Scalar(pool[random.below(pool.count)]) ?? "?")
            }
            let document = Document(path: "a.md", text: String(text))
            let run = ScalarRun(wholeFile: document.scalars)
            let plain = ScriptFastPath2Tests.plainGBKSignal(Array(run.cps))
            #expect(MojibakeRule.signals(run).contains(.gbkPair) == plain)
            // The signal is needed for a segment (and implies a segment of the pair test alone).
            if !MojibakeRule.gbkSegments(run.cps, chainTest: true).isEmpty { #expect(plain) }
            if plain { #expect(Self.plainGBKCandidate(Array(run.cps))) }
            both[plain ? 1 : 0] += 1
        }
        #expect(both[0] > 1000 && both[1] > 1000, "\(both)")
    }

    /// `signals` told that every scalar is in the BMP looks for the GBK pair eight positions a step
    /// (`hasGBKPairInBMP`): on lines of every length up to 48, with the pair's characters anywhere
    /// (across and at the ends of the eight- and four-position steps), it finds the plain signal.
    @Test func gbkPairInBMPIsThePlainSignal() {
        var random = SeededRandom(seed: 30)
        let (starts, continues, middles) = Self.gbkPairCharacters
        let others: [UInt32] = [0x3002, 0xFF0C, 0x3001, 0x41, 0x20, 0x4E2D, 0x2E80, 0x2E7F, 0xFF08, 0x6587, 0x5B57]
        var both = [0, 0]
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            // Mostly plain text, so that a start stands anywhere in a long line.
            for _ in 0..<random.below(49) {
                let pool = random.below(5) == 0 ? [starts, continues, middles][random.below(3)] : others
                text.append(Unicode.Scalar(pool[random.below(pool.count)]) ?? "?")
            }
            let document = Document(path: "a.md", text: String(text))
            let run = ScalarRun(wholeFile: document.scalars)
            let plain = ScriptFastPath2Tests.plainGBKSignal(Array(run.cps))
            #expect(document.scalars.allInBMP)
            #expect(MojibakeRule.signals(run, allInBMP: true).contains(.gbkPair) == plain, "\(Array(run.cps))")
            both[plain ? 1 : 0] += 1
        }
        #expect(both[0] > 1000 && both[1] > 400, "\(both)")
    }

    /// `signalsInBMP` looks for a GBK pair at the starts it noted (or over the whole line past
    /// `startStepCapacity` of them): long lines with starts sparse and dense, pairs anywhere (the
    /// last positions, across the eights), against the plain signal.
    @Test func gbkPairAtNotedStartsIsThePlainSignal() {
        var random = SeededRandom(seed: 3232)
        let (starts, continues, middles) = Self.gbkPairCharacters
        let others: [UInt32] = [0x3002, 0xFF0C, 0x41, 0x20, 0x4E2D, 0x6587, 0x5B57, 0x28, 0x3F, 0xE9, 0xFFFD]
        var both = [0, 0], long = 0
        for _ in 0..<3_000 {
            var text = String.UnicodeScalarView()
            let length = random.below(4) == 0 ? random.below(600) : random.below(40)
            // One in 2 to one in 200 scalars from the pair's pools.
            let rate = [2, 5, 20, 200][random.below(4)]
            for _ in 0..<length {
                let pool = random.below(rate) == 0 ? [starts, continues, middles][random.below(3)] : others
                text.append(Unicode.Scalar(pool[random.below(pool.count)]) ?? "?")
            }
            let document = Document(path: "a.md", text: String(text))
            let run = ScalarRun(wholeFile: document.scalars)
            let c = Array(run.cps)
            let plain = ScriptFastPath2Tests.plainGBKSignal(c)
            let found = MojibakeRule.signals(run, allInBMP: true)
            #expect(found.contains(.gbkPair) == plain, "\(c)")
            #expect(found.subtracting(.gbkPair) == Self.plainOthers(c), "\(c)")
            both[plain ? 1 : 0] += 1
            if length > 300 && rate == 2 { long += 1 }
        }
        #expect(both[0] > 300 && both[1] > 300 && long > 50, "\(both) \(long)")
    }

    /// `signals` stops looking for GBK pairs after a line's first: every other signal is still
    /// found wherever it stands, before or after that pair.
    @Test func otherSignalsAreFoundBeforeAndAfterTheFirstGBKPair() {
        var random = SeededRandom(seed: 31)
        let starts = (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.startsUTF8InGB($0) }
        let continues = (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.continuesUTF8InGB($0) && !MojibakeRule.startsUTF8InGB($0) }
        let signalling: [UInt32] = [0x28, 0xFF08, 0x3F, 0xC2, 0xE9, 0xF4, 0xFFFD, 0x951F, 0x70EB, 0x5C6F, 0xFF66, 0xFF9F, 0x3002, 0x41]
        // Characters that continue a sequence and may start the next (the middle of `gbkPair`).
        let middles = (UInt32(0x2E80)..<0x10000).filter { MojibakeRule.continuesUTF8InGB($0) && MojibakeRule.gbFlags[Int($0)] & 0x60 != 0 }
        var afterPair = 0
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<random.below(16) {
                let pool = [starts, continues, signalling, middles][random.below(4)]
                text.append(Unicode.Scalar(pool[random.below(pool.count)]) ?? "?")
            }
            let document = Document(path: "a.md", text: String(text))
            let run = ScalarRun(wholeFile: document.scalars)
            let c = Array(run.cps)
            let found = MojibakeRule.signals(run)
            #expect(found.contains(.gbkPair) == ScriptFastPath2Tests.plainGBKSignal(c))
            #expect(found.subtracting(.gbkPair) == Self.plainOthers(c), "\(c)")
            if found.contains(.gbkPair), !Self.plainOthers(c).isEmpty { afterPair += 1 }
        }
        #expect(afterPair > 1000, "\(afterPair)")
    }

    /// `signals` reads eight scalars a step, then four, then one at a time (issue 16, session 26):
    /// with scalars beyond the BMP and ill-formed bytes anywhere in lines of every length up to 40,
    /// it finds the plain signals.
    @Test func signalsOfEveryLengthAndPlaneAreThePlainOnes() {
        var random = SeededRandom(seed: 2626)
        let pool: [UInt32] = [0x28, 0xFF08, 0x3F, 0xC2, 0xE9, 0xF4, 0xFFFD, 0x951F, 0x70EB, 0x5C6F, 0xFF66, 0xFF9F, 0x3002, 0xE0, 0x20000, 0x1F600]
        var outsideBMP = 0, signalled = 0, toldInBMP = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(41) {
                switch random.below(12) {
                case 0: bytes.append(0xFF)   // an ill-formed byte: the decode's `invalid`
                case 1, 2: bytes += Array(String(Character(Unicode.Scalar(pool[random.below(pool.count)]) ?? "?")).utf8)
                case 3: bytes.append(0x41)
                default: bytes += Array("中".utf8)
                }
            }
            let document = Document(path: "a.md", bytes: bytes)
            let run = ScalarRun(wholeFile: document.scalars)
            let c = Array(run.cps)
            let found = MojibakeRule.signals(run)
            #expect(found.subtracting(.gbkPair) == Self.plainOthers(c), "\(c)")
            #expect(found.contains(.gbkPair) == ScriptFastPath2Tests.plainGBKSignal(c), "\(c)")
            #expect(MojibakeRule.characterSignals(run) == Self.plainOthers(c), "\(c)")
            // Told that the file is all in the BMP (when it is), the pass reads the table untested.
            if document.scalars.allInBMP {
                #expect(MojibakeRule.signals(run, allInBMP: true) == found, "\(c)")
                #expect(MojibakeRule.characterSignals(run, allInBMP: true) == Self.plainOthers(c), "\(c)")
                toldInBMP += 1
            }
            if c.contains(where: { $0 >= 0x10000 }) { outsideBMP += 1 }
            if !found.isEmpty { signalled += 1 }
        }
        #expect(outsideBMP > 5000 && signalled > 5000 && toldInBMP > 1000, "\(outsideBMP) \(signalled) \(toldInBMP)")
    }

    /// One line checked by `fast` with the detectors its signals (`signals`, else `MojibakeRule.signals`)
    /// ask for, and by `plain` with every detector: the findings and the pinyin artifacts' ranges.
    static func checkedWithSignals(_ fast: MojibakeRule, _ plain: MojibakeRule, _ document: Document, _ run: ScalarRun,
                                   signals: MojibakeRule.Signals? = nil)
        -> (fast: [Diagnostic], plain: [Diagnostic], fastPinyin: [Range<Int>], plainPinyin: [Range<Int>]) {
        var fastSink = DiagnosticSink(document: document, rule: "mojibake", severity: .error, readsProse: true)
        var plainSink = DiagnosticSink(document: document, rule: "mojibake", severity: .error, readsProse: true)
        var fastPinyin: [MojibakeRule.PinyinArtifact] = [], plainPinyin: [MojibakeRule.PinyinArtifact] = []
        fast.checkLine(run, document.bytes, signals: signals ?? MojibakeRule.signals(run), pinyin: &fastPinyin, into: &fastSink)
        plain.checkLine(run, document.bytes, signals: .all, pinyin: &plainPinyin, into: &plainSink)
        return (fastSink.diagnostics, plainSink.diagnostics, fastPinyin.map(\.range), plainPinyin.map(\.range))
    }

    @Test func mojibakeSignalsSkipOnlyDetectorsThatFindNothing() throws {
        let rule = try MojibakeRule(options: RuleOptions())
        var random = SeededRandom(seed: 17)
        var found = 0, gbk = 0
        for k in 0..<600 {
            let document = Document(path: k % 3 == 0 ? "r.html" : "r.md", text: Self.randomLines(&random, lines: 6))
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let run = document.scalarRun(decode, line: n)
                let checked = Self.checkedWithSignals(rule, rule, document, run)
                #expect(checked.fast == checked.plain)
                #expect(checked.fastPinyin == checked.plainPinyin)
                found += checked.plain.count + checked.plainPinyin.count
                gbk += checked.plain.filter { $0.message.contains("read as GBK") }.count
            }
        }
        #expect(found > 1000 && gbk > 20, "\(found) \(gbk)")
    }

    @Test func punctuationWidthSkipsOnlyLinesWithoutFindings() {
        let rule = PunctuationWidthRule(options: RuleOptions())
        var random = SeededRandom(seed: 19)
        var skipped = 0, found = 0
        for k in 0..<600 {
            let document = Document(path: k % 3 == 0 ? "r.html" : "r.md", text: Self.randomLines(&random, lines: 6))
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let range = document.contentRange(ofLine: n)
                let bytes = document.bytes[range]
                // The skip it replaced: ASCII punctuation and a non-ASCII byte.
                let before = bytes.contains { $0 >= 0x80 } && bytes.contains { [0x2C, 0x2E, 0x3A, 0x3B, 0x21, 0x3F, 0x28, 0x29, 0x22].contains($0) }
                let mayReport = PunctuationWidthRule.mayReport(document.bytes, range)
                #expect(!mayReport || before)
                var sink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
                rule.checkLine(document.scalarRun(decode, line: n), in: document, into: &sink)
                // A line that may hold a pair of mixed widths (`（Sumy)`) is checked whatever `mayReport` says.
                if !mayReport, !PunctuationWidthRule.mayHoldMixedParentheses(document.bytes, range) {
                    #expect(sink.diagnostics.isEmpty, "\(String(decoding: bytes, as: UTF8.self))")
                    if before { skipped += 1 }
                }
                found += sink.diagnostics.count
            }
        }
        #expect(skipped > 100 && found > 100, "\(skipped) \(found)")
    }
}
