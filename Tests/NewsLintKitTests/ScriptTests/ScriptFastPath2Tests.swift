import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

extension ScriptMixedRule.VariantCounts {
    /// Whether these are the counts of `reference` (the plain count's dictionary).
    func matches(_ reference: [UInt32: Int]) -> Bool {
        reference.keys.allSatisfy { Self.slot($0) != nil } && ScriptMixedRule.variantOf.keys.allSatisfy { self[$0] == reference[$0, default: 0] }
    }
}

/// The script rules' fast paths of issue 16, session 9, against the plain logic they skip or replace.
@Suite struct ScriptFastPath2Tests {

    /// Every text file of the test fixtures (real posts and crafted lines), read once.
    static let fixtureTexts: [(path: String, text: String)] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var texts: [(String, String)] = []
        for case let url as URL in walker where ["md", "html", "txt", "markdown", "htm"].contains(url.pathExtension) {
            if let data = try? Data(contentsOf: url) { texts.append((url.lastPathComponent, String(decoding: data, as: UTF8.self))) }
        }
        return texts.sorted { $0.0 < $1.0 }
    }()

    /// script-mixed's search for a romanized name's parenthesis (four scalars a vector compare)
    /// finds what the scalar-by-scalar search found, at every position and run length.
    @Test func parenthesisSearchMatchesTheScalarWalk() {
        func walked(_ c: [UInt32], from: Int, to last: Int) -> Int {
            var k = from
            while k < last, !((c[k] == 0x28 || c[k] == 0xFF08) && CJK.isASCIILetter(c[k + 1])) { k += 1 }
            return k
        }
        var random = SeededRandom(seed: 17)
        let alphabet: [UInt32] = [0x28, 0xFF08, 0x4B, 0x6B, 0x20, 0x5728, 0x4E08, 0xFF28, 0x4E2D, 0x29, 0x1F600]
        for round in 0..<3000 {
            let c = (0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] }
            guard c.count >= 2 else { continue }
            for from in 0..<c.count {
                let found = c.withUnsafeBufferPointer { ScriptMixedRule.firstParenthesisBeforeLetter($0, from: from, to: c.count - 1) }
                #expect(found == walked(c, from: from, to: c.count - 1), "round \(round), from \(from): \(c)")
            }
        }
    }

    /// punctuation-width's search for the next opening title or quotation mark (four scalars a
    /// vector compare) finds what a scalar-by-scalar search finds.
    @Test func openingMarkSearchMatchesTheScalarWalk() {
        let openers: Set<UInt32> = [0x300A, 0x3008, 0x300C, 0x300E, 0x201C]
        var random = SeededRandom(seed: 23)
        let alphabet: [UInt32] = [0x300A, 0x300B, 0x3008, 0x300C, 0x300E, 0x201C, 0x201D, 0x4E2D, 0x41, 0x300D, 0x1F600]
        for round in 0..<3000 {
            let c = (0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] }
            for from in 0...c.count {
                let expected = (from..<c.count).first { openers.contains(c[$0]) } ?? c.count
                let found = c.withUnsafeBufferPointer { PunctuationWidthRule.firstOpeningMark($0, from: from) }
                #expect(found == expected, "round \(round), from \(from): \(c)")
            }
        }
    }

    /// UTF-8 Chinese read as GB18030 (what `gbkMojibake` reports), from random common text.
    static func garbled(_ random: inout SeededRandom) -> String {
        let sources = ["中文測試", "你好世界", "新聞報導，", "香港立法會", "经济发展", "“引號”", "臺灣·日本", "学生們", "𠀀中"]
        var text = ""
        for _ in 0..<(1 + random.below(4)) { text += sources[random.below(sources.count)] }
        let utf8 = Data(text.utf8)
        return String(data: utf8, encoding: MojibakeRule.gb18030) ?? text
    }

    /// Whether the first three UTF-8 sequences of `c`'s GB18030 bytes are well formed and East Asian
    /// text, by converting (the reference for `mayDecodeThreeCJK`; the conversion is the table, which
    /// `GB18030CodesTests` holds to Foundation scalar by scalar: Foundation's converter itself stops
    /// the process on some of these random runs).
    static func plainDecodesThreeCJK(_ rule: MojibakeRule, _ c: [UInt32]) -> Bool? {
        guard let gb = GB18030Codes.encode(c) else { return nil }
        var k = 0
        for _ in 0..<3 {
            guard k < gb.count else { return false }
            let length = gb.withUnsafeBufferPointer { UTF8Validation.sequenceLength($0, at: k) }
            guard length >= 2 else { return false }
            guard CJK.isCJK(UTF8Validation.decode(gb[...], at: k).scalar) else { return false }
            k += length
        }
        return true
    }

    @Test func chainTestNeverRulesOutWhatTheConversionDecodes() throws {
        let rule = try MojibakeRule(options: RuleOptions())
        var random = SeededRandom(seed: 91)
        // Characters by the flags the chain reads, so that long chains occur at random too.
        let flags = MojibakeRule.gbFlags
        let pools: [[UInt32]] = [
            (UInt32(0x2E80)..<0x10000).filter { flags[Int($0)] & 1 != 0 },
            (UInt32(0x2E80)..<0x10000).filter { flags[Int($0)] & 0x18 != 0 },
            (UInt32(0x2E80)..<0x10000).filter { flags[Int($0)] & 0x60 != 0 },
            (UInt32(0x2E80)..<0x10000).filter { flags[Int($0)] & 0x84 == 0x84 },
            (UInt32(0x4E00)..<0xA000).map { $0 },
            [0x20000, 0x2A6D6, 0x9FB4, 0x9FBA, 0x9FBB, 0xE5E5, 0xFFFD, 0x3000, 0xFF01],
        ]
        var verdicts = [0, 0, 0]  // decodes, chain true but no decode, chain false
        for round in 0..<30_000 {
            var c: [UInt32] = []
            if round % 4 == 0 {
                c = Self.garbled(&random).unicodeScalars.map(\.value).filter { $0 >= 0x2E80 }
            } else {
                for _ in 0..<(1 + random.below(8)) {
                    let pool = pools[random.below(pools.count)]
                    c.append(pool[random.below(pool.count)])
                }
            }
            guard !c.isEmpty, let plain = Self.plainDecodesThreeCJK(rule, c) else { continue }
            let scalars = Scalars(base: c, start: 0, count: c.count)
            let chain = MojibakeRule.mayDecodeThreeCJK(scalars, from: 0, to: c.count)
            if plain { #expect(chain, "\(c.map { String($0, radix: 16) })") }
            verdicts[plain ? 0 : chain ? 1 : 2] += 1
        }
        #expect(verdicts[0] > 1000 && verdicts[2] > 1000, "\(verdicts)")
    }

    /// The rule's findings with and without the chain test, and line by line against every detector
    /// run without signals or chain test: random lines of every kind of mojibake, garbled runs, and
    /// every fixture file.
    @Test func gbkMojibakeFindsTheSameWithTheChainTest() throws {
        let fast = try MojibakeRule(options: RuleOptions())
        var plain = fast
        plain.usesChainTest = false
        var random = SeededRandom(seed: 93)
        var gbk = 0
        var documents: [Document] = Self.fixtureTexts.map { Document(path: $0.path, text: $0.text) }
        for k in 0..<800 {
            var text = ScriptFastPathTests.randomLines(&random, lines: 4)
            for _ in 0..<3 { text += Self.garbled(&random) + (random.below(2) == 0 ? "，" : "\n") }
            documents.append(Document(path: k % 3 == 0 ? "r.html" : "r.md", text: text))
        }
        for document in documents {
            let expected = plain.findings(in: document)
            #expect(fast.findings(in: document) == expected, "\(document.path)")
            gbk += expected.filter { $0.message.contains("read as GBK") }.count
            // Line by line, the plain side with every detector (no signal skips a line) and no chain test.
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let run = document.scalarRun(decode, line: n)
                let checked = ScriptFastPathTests.checkedWithSignals(fast, plain, document, run)
                #expect(checked.fast == checked.plain, "\(document.path) \(n)")
                #expect(checked.fastPinyin == checked.plainPinyin)
            }
        }
        #expect(Self.fixtureTexts.count > 50 && gbk > 300, "\(Self.fixtureTexts.count) \(gbk)")
    }

    // MARK: script-mixed's count per unit

    /// Each character the tables flag as a variant has a counter of its own, and no other does.
    @Test func variantCountsHaveOneSlotPerVariantCharacter() {
        let tables = ScriptTables.shared
        let flagged = (UInt32(0)..<0x10000).filter { tables.countFlags($0) & ScriptTables.countVariant != 0 }
        #expect(Set(flagged) == Set(ScriptMixedRule.variantOf.keys))
        let slots = flagged.compactMap { ScriptMixedRule.VariantCounts.slot($0) }
        #expect(slots.count == flagged.count && Set(slots).count == flagged.count)
        #expect((UInt32(0)..<0x30000).filter { ScriptMixedRule.VariantCounts.slot($0) != nil }.count == flagged.count)
        var counts = ScriptMixedRule.VariantCounts()
        for (k, ch) in flagged.enumerated() { for _ in 0...k { counts.add(ch) } }
        counts.add(0x4E2D)
        #expect(flagged.enumerated().allSatisfy { counts[$0.element] == $0.offset + 1 } && counts[0x4E2D] == 0)
    }

    /// The count as `ScriptMixedRule.check` made it before (a branch per flag): the reference for `count`.
    static func plainCount(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables, variants: inout [UInt32: Int])
        -> (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseCandidate: Bool) {
        var s = 0, t = 0, strictS = 0, strictT = 0, phraseCandidate = false
        let c = run.cps
        for i in 0..<c.count {
            let ch = c[i]
            guard ch >= 0x2E80 else { continue }
            let r = tables.raw(ch)
            guard r != 0, !skip[i] else { continue }
            if !phraseCandidate, r & ScriptTables.phraseHeadMask != 0, i + 1 < c.count, tables.mayStartPhrase(ch, c[i + 1]) {
                phraseCandidate = true
            }
            guard ch >= 0x3400 else { continue }
            if r & ScriptTables.variantBit != 0 { variants[ch, default: 0] += 1 }
            switch r & ScriptTables.classMask {
            case ScriptTables.Class.simplifiedOnly.rawValue:
                s += 1
                if r & ScriptTables.allowTraditionalMask == 0 { strictS += 1 }
            case ScriptTables.Class.traditionalOnly.rawValue:
                t += 1
                if r & ScriptTables.allowSimplifiedMask == 0 { strictT += 1 }
            default: break
            }
        }
        return (s, t, strictS, strictT, phraseCandidate)
    }

    @Test func countTableHoldsTheCountFlagsAndEntrySecondsOfEveryScalar() {
        let tables = ScriptTables.shared
        let scalars = (UInt32(0)..<0x11_0000).filter { $0 < 0xD800 || $0 > 0xDFFF }
        // Besides them, the table marks the second character of every word-level entry, and nothing else.
        let seconds = Set(scalars.flatMap { (tables.phrases(startingWith: $0) ?? []).map { $0.from[1] } })
        #expect(seconds.count > 100)
        for c in scalars {
            let expected = ScriptTables.countFlags(raw: tables.raw(c), of: c)
            let flags = tables.countFlags(c)
            if flags & ~(ScriptTables.countPhraseSecond | ScriptTables.countProseMark) != expected { Issue.record("U+\(String(c, radix: 16))"); return }
            if (flags & ScriptTables.countPhraseSecond != 0) != (c < 0x10000 && seconds.contains(c)) { Issue.record("second U+\(String(c, radix: 16))"); return }
            // No scalar is in both one-script lists (the count reads the class bits one by one).
            if tables.raw(c) & ScriptTables.classMask == 3 { Issue.record("class 3 at U+\(String(c, radix: 16))"); return }
        }
    }

    /// `count` texts (every third named `.html`) of `lines` lines, each of up to `piecesPerLine`
    /// draws: one time in `flaggedOneIn` a scalar of `flagged`, else one of `pieces`.
    static func generatedTexts(_ count: Int, lines: (inout SeededRandom) -> Int, piecesPerLine: Int, flaggedOneIn: Int,
                               pieces: [String], flagged: [UInt32], _ random: inout SeededRandom) -> [(String, String)] {
        (0..<count).map { k in
            var text = ""
            for _ in 0..<lines(&random) {
                for _ in 0..<random.below(piecesPerLine) {
                    if random.below(flaggedOneIn) == 0 {
                        text.unicodeScalars.append(Unicode.Scalar(flagged[random.below(flagged.count)]) ?? "?")
                    } else {
                        text += pieces[random.below(pieces.count)]
                    }
                }
                text += "\n"
            }
            return (k % 3 == 0 ? "r.html" : "r.md", text)
        }
    }

    @Test func countEqualsThePlainCount() throws {
        let tables = ScriptTables.shared
        var random = SeededRandom(seed: 95)
        // Scalars of every kind the count tells apart, with prose masks (code, tags, URLs) around them.
        let flagged = (UInt32(0x2E80)..<0xA000).filter { tables.raw($0) != 0 }
        let pieces = ScriptFastPathTests.linePieces + ["`干部`", "<b>后面</b>", "http://裡.tw", "裡裏為爲線綫衛衞", "一", "后", "面", "著着", "𠀀𡃁", "\u{2E80}", "\u{33FF}"]
        let texts = Self.fixtureTexts.map { ($0.path, $0.text) }
            + Self.generatedTexts(600, lines: { _ in 8 }, piecesPerLine: 20, flaggedOneIn: 3, pieces: pieces, flagged: flagged, &random)
        var lines = 0, candidates = 0, masked = 0, wholeEntries = 0, inBMP = 0
        for (path, text) in texts {
            let document = Document(path: path, text: text)
            let decode = document.scalars
            if decode.allInBMP { inBMP += 1 }
            for (n, range) in document.proseUnits() {
                let run = document.isHTMLFile ? document.scalarRun(decode, bytes: range) : document.scalarRun(decode, line: n)
                let skip = ProseMask.nonProseIfAny(run, in: document)
                var fastVariants = ScriptMixedRule.VariantCounts(), plainVariants: [UInt32: Int] = [:]
                let fast = ScriptMixedRule.count(run, skip, tables: tables, variants: &fastVariants)
                let plain = Self.plainCount(run, skip, tables: tables, variants: &plainVariants)
                // Told that the file is all in the BMP (when it is), the count reads four scalars untested.
                var toldVariants = ScriptMixedRule.VariantCounts()
                let told = ScriptMixedRule.count(run, skip, tables: tables, variants: &toldVariants, allInBMP: decode.allInBMP)
                #expect(told == fast && toldVariants.matches(plainVariants), "\(path) \(n)")
                #expect(fast.simplified == plain.simplified && fast.traditional == plain.traditional, "\(path) \(n)")
                #expect(fast.strictSimplified == plain.strictSimplified && fast.strictTraditional == plain.strictTraditional, "\(path) \(n)")
                let candidate = fast.phraseHeads > 0 && ScriptMixedRule.mayStartPhrase(run, skip, tables: tables, heads: fast.phraseHeads)
                #expect(candidate == plain.phraseCandidate, "\(path) \(n)")
                #expect(ScriptMixedRule.mayStartPhrase(run, skip, tables: tables) == plain.phraseCandidate, "\(path) \(n)")
                // A whole entry from an unmasked head that passes the pair filter (`mayHoldPhrase`'s
                // four-position test must not pass one over).
                let c = run.cps
                let holds = (0..<c.count).contains { i in
                    !skip[i] && tables.isPhraseHead(c[i]) && i + 1 < c.count && tables.mayStartPhrase(c[i], c[i + 1])
                        && (tables.phrases(startingWith: c[i]) ?? []).contains { p in i + p.from.count <= c.count && p.from.indices.allSatisfy { c[i + $0] == p.from[$0] } }
                }
                if fast.phraseHeads > 0 {
                    #expect(ScriptMixedRule.mayHoldPhrase(run, skip, tables: tables, heads: fast.phraseHeads) == holds, "\(path) \(n)")
                    #expect(ScriptMixedRule.mayHoldPhrase(run, skip, tables: tables, heads: fast.phraseHeads, allInBMP: decode.allInBMP) == holds, "\(path) \(n)")
                }
                if holds { wholeEntries += 1 }
                #expect(fastVariants.matches(plainVariants))
                lines += 1
                if plain.phraseCandidate { candidates += 1 }
                if !skip.flags.isEmpty { masked += 1 }
            }
        }
        #expect(lines > 3000 && candidates > 500 && masked > 500 && wholeEntries > 50 && inBMP > 100, "\(lines) \(candidates) \(masked) \(wholeEntries) \(inBMP)")
    }

    /// The count writes each scalar's `countTable` byte of an unmasked unit (`maskAndCount`'s
    /// `flags`), and `mayHoldPhrase(_:flags:tables:heads:)` reading them answers as the scan from
    /// the scalars and as the plain definition (a whole entry from a head that passes the pair
    /// filter), on every unmasked unit of every file all in the BMP.
    @Test func phraseScanOfTheCountsBytesEqualsTheScalarScan() throws {
        let tables = ScriptTables.shared
        var random = SeededRandom(seed: 96)
        let flagged = (UInt32(0x2E80)..<0xA000).filter { tables.raw($0) != 0 }
        let pieces = ScriptFastPathTests.linePieces + ["干部", "后面", "一國兩制成功", "一", "后", "面", "著着", "<b>后面</b>", "`干部`"]
        let texts = Self.fixtureTexts.map { ($0.path, $0.text) }
            + Self.generatedTexts(600, lines: { _ in 8 }, piecesPerLine: 20, flaggedOneIn: 3, pieces: pieces, flagged: flagged, &random)
        var units = 0, holding = 0, long = 0
        for (path, text) in texts {
            let document = Document(path: path, text: text)
            let decode = document.scalars
            guard decode.allInBMP else { continue }
            let html = document.isHTMLFile ? document.html : nil
            var cursor = 0
            for (n, range) in document.proseUnits() {
                let run = document.isHTMLFile ? document.scalarRun(decode, bytes: range) : document.scalarRun(decode, line: n)
                guard run.count > 0 else { continue }
                // Filled with every bit set: a byte the count did not write would make pairs everywhere.
                var flags = [UInt8](repeating: 0xFF, count: run.count)
                var variants = ScriptMixedRule.VariantCounts()
                let (skip, counts) = flags.withUnsafeMutableBufferPointer { buffer in
                    ScriptMixedRule.maskAndCount(run, bytes: document.bytes, html: html, tokenCursor: &cursor, tables: tables,
                                                 variants: &variants, allInBMP: true, flags: buffer.baseAddress)
                }
                guard skip.flags.isEmpty else { continue }
                let c = run.cps
                #expect(flags == c.map { tables.countTable[Int($0)] }, "\(path) \(n)")
                let holds = (0..<c.count).contains { i in
                    tables.isPhraseHead(c[i]) && i + 1 < c.count && tables.mayStartPhrase(c[i], c[i + 1])
                        && (tables.phrases(startingWith: c[i]) ?? []).contains { p in i + p.from.count <= c.count && p.from.indices.allSatisfy { c[i + $0] == p.from[$0] } }
                }
                for heads in [counts.phraseHeads, .max] {
                    let fromBytes = flags.withUnsafeBufferPointer { buffer in
                        buffer.baseAddress.map { ScriptMixedRule.mayHoldPhrase(run, flags: $0, tables: tables, heads: heads) }
                    }
                    #expect(fromBytes == holds, "\(path) \(n)")
                    #expect(fromBytes == ScriptMixedRule.mayHoldPhrase(run, skip, tables: tables, heads: heads, allInBMP: true), "\(path) \(n)")
                }
                units += 1
                if holds { holding += 1 }
                if run.count > 16 { long += 1 }
            }
        }
        #expect(units > 1000 && holding > 200 && long > 500, "\(units) \(holding) \(long)")
    }

    // MARK: mojibake's signal pass

    /// `gbkPair` character by character: three characters of one run, the first starting a 3-byte UTF-8
    /// sequence in GB18030, the second continuing it with a second byte that starts a sequence of East
    /// Asian text (`gbFlags` bits 5–6), the third continuing that (the reference for `signals`).
    static func plainGBKSignal(_ c: [UInt32]) -> Bool {
        guard c.count >= 3 else { return false }
        for k in 0..<(c.count - 2) where (k..<(k + 3)).allSatisfy({ MojibakeRule.isInGBKRun(c[$0]) }) {
            let middle = c[k + 1] < 0x10000 && MojibakeRule.gbFlags[Int(c[k + 1])] & 0x60 != 0
            if MojibakeRule.startsUTF8InGB(c[k]) && MojibakeRule.continuesUTF8InGB(c[k + 1]) && middle && MojibakeRule.continuesUTF8InGB(c[k + 2]) {
                return true
            }
        }
        return false
    }

    /// `signalTable`, built from ranges, against each entry made by the per-character tests it
    /// was built with before (`isInGBKRun`, `startsUTF8InGB`, `continuesUTF8InGB`, the own signals).
    @Test func signalTableEqualsItsPerEntryDefinition() {
        let table = MojibakeRule.signalTable
        #expect(table.count == 0x10000)
        var mismatches: [UInt32] = []
        for ch in UInt32(0)..<0x10000 {
            var own = ScriptFastPathTests.plainOthers([ch]).rawValue
            if Pinyin.tonedVowels.contains(ch) { own |= MojibakeRule.Signals.latin1Lead.rawValue }
            // A lone parenthesis has no toned vowel beside it, but its table entry holds the signal.
            if ch == 0x28 || ch == 0xFF08 { own |= MojibakeRule.Signals.parenthesis.rawValue }
            var gbk: UInt8 = 0
            if MojibakeRule.isInGBKRun(ch) {
                if MojibakeRule.startsUTF8InGB(ch) { gbk |= 64 }
                if MojibakeRule.continuesUTF8InGB(ch) {
                    gbk |= 128
                    if MojibakeRule.gbFlags[Int(ch)] & 0x60 != 0 { gbk |= MojibakeRule.Signals.gbkPair.rawValue }
                }
            }
            if table[Int(ch)] != own | gbk { mismatches.append(ch) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    /// `signals` (one table byte per scalar, the pair's state in bits) against the per-character tests
    /// it replaced, on random bytes that decode to ill-formed sequences (`ScalarRun.invalid`) too.
    @Test func signalTableEqualsThePerCharacterTests() {
        var random = SeededRandom(seed: 97)
        let starts = (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.startsUTF8InGB($0) }
        let continues = (UInt32(0x2E80)..<0x10000).filter { MojibakeRule.continuesUTF8InGB($0) }
        let others: [UInt32] = [0x28, 0xFF08, 0x3F, 0xC2, 0xF4, 0xF5, 0xFFFD, 0x951F, 0x70EB, 0x5C6F, 0xFF65, 0xFF66, 0xFF9F, 0xFFA0,
                                0x3002, 0xFF0C, 0x3001, 0x2E7F, 0x2E80, 0x20000, 0x10FFFF, 0x41, 0xE1, 0x1DC,
                                // The table's Latin bit: a toned vowel outside Latin-1 (ā), a Latin-1 lead that is none (×).
                                0x101, 0xD7]
        let middles = continues.filter { MojibakeRule.gbFlags[Int($0)] & 0x60 != 0 }
        var pairs = 0, invalid = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(14) {
                switch random.below(5) {
                case 0: bytes.append([0x80, 0xC3, 0xE4, 0xFF, 0xED][random.below(5)])  // ill-formed
                default:
                    let pool = [starts, middles, others, continues][random.below(4)]
                    bytes += Array(String(Unicode.Scalar(pool[random.below(pool.count)]) ?? "?").utf8)
                }
            }
            let document = Document(path: "a.md", bytes: bytes)
            let run = ScalarRun(wholeFile: document.scalars)
            let c = Array(run.cps)
            let found = MojibakeRule.signals(run)
            #expect(found.contains(.gbkPair) == Self.plainGBKSignal(c), "\(c)")
            if !MojibakeRule.gbkSegments(run.cps, chainTest: true).isEmpty { #expect(found.contains(.gbkPair)) }
            #expect(found.subtracting(.gbkPair) == ScriptFastPathTests.plainOthers(c), "\(c)")
            #expect(MojibakeRule.characterSignals(run) == ScriptFastPathTests.plainOthers(c), "\(c)")
            #expect(MojibakeRule.characterSignals(run, allInBMP: document.scalars.allInBMP) == ScriptFastPathTests.plainOthers(c), "\(c)")
            if found.contains(.gbkPair) { pairs += 1 }
            if c.contains(ScalarRun.invalid) { invalid += 1 }
        }
        #expect(pairs > 1000 && invalid > 2000, "\(pairs) \(invalid)")
    }

    /// The segment loop as `gbkMojibake` wrote it before (comparisons per scalar): the reference for `gbkSegments`.
    static func plainSegments(_ c: Scalars, chainTest: Bool) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var i = 0
        while i < c.count {
            guard c[i] >= 0x2E80 && c[i] != ScalarRun.invalid else { i += 1; continue }
            var j = i
            while j < c.count, c[j] >= 0x2E80, c[j] != ScalarRun.invalid, c[j] != 0x3002, c[j] != 0xFF0C, c[j] != 0x3001 { j += 1 }
            defer { i = max(j, i + 1) }
            guard j - i >= 3, (i..<(j - 2)).contains(where: { MojibakeRule.startsUTF8InGB(c[$0]) && MojibakeRule.continuesUTF8InGB(c[$0 + 1])
                                                                && (!chainTest || MojibakeRule.mayDecodeThreeCJK(c, from: $0, to: j)) }) else { continue }
            segments.append(i..<j)
        }
        return segments
    }

    @Test func gbkSegmentsEqualThePlainLoop() {
        var random = SeededRandom(seed: 99)
        let starts = (UInt32(0x4E00)..<0xA000).filter { MojibakeRule.startsUTF8InGB($0) }
        let continues = (UInt32(0x2E80)..<0x10000).filter { MojibakeRule.continuesUTF8InGB($0) }
        let others: [UInt32] = [0x3002, 0xFF0C, 0x3001, 0x2E7F, 0x2E80, 0x20000, 0x41, 0x4E2D, 0xFF08]
        var kept = 0
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            if round % 3 == 0 {
                bytes = Array(Self.garbled(&random).utf8)
            } else {
                for _ in 0..<random.below(16) {
                    if random.below(8) == 0 { bytes.append([0x80, 0xE4, 0xFF][random.below(3)]); continue }
                    let pool = [starts, continues, others, starts, continues][random.below(5)]
                    bytes += Array(String(Unicode.Scalar(pool[random.below(pool.count)]) ?? "?").utf8)
                }
            }
            let document = Document(path: "a.md", bytes: bytes)
            let run = ScalarRun(wholeFile: document.scalars)
            for chainTest in [false, true] {
                let plain = Self.plainSegments(run.cps, chainTest: chainTest)
                #expect(MojibakeRule.gbkSegments(run.cps, chainTest: chainTest) == plain)
                kept += plain.count
            }
        }
        #expect(kept > 5000, "\(kept)")
    }
}

extension MojibakeRule {
    /// The rule's findings on `document`, as a lint run's sink collects them.
    func findings(in document: Document) -> [Diagnostic] {
        var sink = DiagnosticSink(document: document, rule: "mojibake", severity: .error, readsProse: true)
        check(document, into: &sink)
        return sink.diagnostics
    }
}
