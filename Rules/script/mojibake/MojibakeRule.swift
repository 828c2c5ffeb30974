import Foundation
import NewsLintCore

/// `mojibake`: text decoded with the wrong encoding, information already lost, and converter artifacts.
public struct MojibakeRule: Rule, RuleWithOptions {
    public static let id = "mojibake"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true
    package let minLostRun: Int
    package let minPinyinArtifacts: Int
    /// Pinyin artifacts in one file from which removing them is a safe fix.
    package static let safePinyinRun = 10
    /// Whether `gbkMojibake` skips what `mayDecodeThreeCJK` rules out (tests turn it off for the reference output).
    package var usesChainTest = true
    /// Whether `check` passes over runs of ASCII lines from the line starts (`nextLineToVisit`);
    /// tests turn it off to compare with the loop that visits every line.
    package var skipsASCIILines = true

    public struct Options: Decodable, Sendable {
        package var minRepeat: Int
        package var minPinyinArtifacts: Int
    }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        minLostRun = max(2, o.minRepeat)
        minPinyinArtifacts = max(1, o.minPinyinArtifacts)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        var pinyin: [PinyinArtifact] = []
        // `%EF%BF%BD` anywhere in the document (memchr from `%` to `%`): most files have none, and
        // a line holds one only if the document does.
        let hasPercent = Self.containsPercentFFFD(bytes)
        // Read once here, not at every line (a global's access goes through `swift_once`).
        let table = Self.signalTable
        @inline(__always) func isASCII(_ range: Range<Int>) -> Bool {
            bytes.withUnsafeBufferPointer { UTF8Validation.asciiPrefixLength(UnsafeBufferPointer(rebasing: $0[range])) == range.count }
        }
        let lineCount = document.lineCount
        // Until the file is decoded (an earlier rule may have decoded it), a line's bytes tell
        // whether it is ASCII, and the first other line decodes it. From there the line starts
        // tell (no walk of the line's bytes), with the decode bound once: bound at every line
        // (`if let`, as an optional the loop could still change), it was retained and released
        // each time.
        var decoded: ScalarDecode? = document.views.computedScalars
        var first = 1
        while decoded == nil, first <= lineCount {
            if !document.isCode(line: first) {
                let range = document.contentRange(ofLine: first)
                // This line is the next loop's first.
                if !isASCII(range) { decoded = document.scalars; break }
                if sink.budgetSpent(step: first, bytes: range.count) { return }
                if hasPercent { percentEncodedReplacement(bytes, range, into: &sink) }
            }
            first += 1
        }
        if let decode = decoded {
            // Without `%EF%BF%BD` in the file, an ASCII line asks nothing of the loop but its budget
            // step, and in a well-formed file the line starts tell which lines are ASCII: runs of them
            // are passed over a comparison or two a line (`nextLineToVisit`), not ~60 instructions
            // each for the range, code flag and budget (~53,000 of the 94,700 lines visited at agora x1).
            let skipsASCIILines = skipsASCIILines && !hasPercent && decode.isValidUTF8
            var n = first
            while n <= lineCount {
                if skipsASCIILines {
                    n = document.nextLineToVisit(skippingASCIIOf: decode, from: n, through: lineCount)
                    if n > lineCount { break }
                }
                defer { n += 1 }
                if document.isCode(line: n) { continue }
                let range = document.contentRange(ofLine: n)
                if sink.budgetSpent(step: n, bytes: range.count) { return }
                if hasPercent { percentEncodedReplacement(bytes, range, into: &sink) }
                if document.lineIsASCII(decode, line: n) ?? isASCII(range) { continue }
                let scalars = document.scalarRange(decode, line: n, content: range)
                // One pass tells which detectors can find anything on the line; each looks only where it
                // can, and a line without a signal (most) needs no run of its own.
                let found = table.withUnsafeBufferPointer { t in
                    decode.cps.withUnsafeBufferPointer { Self.signals(of: UnsafeBufferPointer(rebasing: $0[scalars]), table: t, allInBMP: decode.allInBMP) }
                }
                if found.isEmpty { continue }
                checkLine(makingRunOf: decode, scalars, bytes, signals: found, document: document, pinyin: &pinyin, into: &sink)
            }
        }
        // A converter leaves its flattened ruby everywhere; one reading in parentheses is a gloss someone wrote.
        if pinyin.count >= minPinyinArtifacts {
            // A converter leaves dozens; a language note (`河南浚(xùn)县、河北蔚(yù)县…`) glosses a few
            // on purpose. Only a run that long is removed without a look.
            let applicability: Applicability = pinyin.count >= Self.safePinyinRun ? .safe : .unsafe
            for a in pinyin {
                sink.report(a.range, "converter artifact: pinyin '(\(a.syllable))' left after '\(a.han)' (a flattened ruby annotation; \(pinyin.count) in this file)",
                            fix: Fix(applicability, "Remove the pinyin annotation", edit: .delete(a.range)))
            }
        }
    }

    /// `checkLine` on the scalars `scalars` of `decode`, whose run is made here, not in `check`'s
    /// loop: there the retain of the decode's scalars was moved above the test for a line without
    /// signals (most non-ASCII lines), a retain and a release per line.
    @inline(never)
    private func checkLine(makingRunOf decode: ScalarDecode, _ scalars: Range<Int>, _ bytes: [UInt8], signals found: Signals,
                           document: Document, pinyin: inout [PinyinArtifact], into sink: inout DiagnosticSink) {
        checkLine(ScalarRun(decode, scalars), bytes, signals: found, document: document, pinyin: &pinyin, into: &sink)
    }

    /// The detectors of a non-ASCII line, each run only when its signal is in `signals` (tests pass
    /// `.all` to compare with running every detector). `document`: the line's document, whose spans
    /// across lines (`ProseMask.spansAcrossLines`) a repair is kept from as a safe fix (nil: none).
    package func checkLine(_ run: ScalarRun, _ bytes: [UInt8], signals found: Signals, document: Document? = nil, pinyin: inout [PinyinArtifact],
                           into sink: inout DiagnosticSink) {
        if found.contains(.lost) { lostInformation(run, into: &sink) }
        if found.contains(.parenthesis) { pinyinArtifacts(run, into: &pinyin) }
        if found.contains(.questionMark), FrameShift.mayFollowHan(bytes, run.byteRange(0..<run.count)) {
            for span in FrameShift.spans(run) {
                let text = String(decoding: bytes[run.byteRange(span)], as: UTF8.self)
                sink.report(run.byteRange(span), "GBK frame shift: a lost byte turned the following characters into nonsense ('\(text)'); the original text cannot be recovered")
            }
        }
        if found.contains(.latin1Lead) { latin1Mojibake(run, bytes, document, into: &sink) }
        if found.contains(.gbkPair) { gbkMojibake(run, bytes, document, into: &sink) }
        if found.contains(.halfwidthKana) { shiftJISResidue(run, bytes, into: &sink) }
    }

    // MARK: which detectors can fire

    /// What a line holds that some detector starts from; a detector whose signal is absent finds nothing.
    package struct Signals: OptionSet {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }
        /// U+FFFD, or the first character of 锟斤拷, 烫 or 屯 (`lostInformation`).
        package static let lost = Signals(rawValue: 1)
        /// `(` or `（` on a line that also holds a toned pinyin vowel (`pinyinArtifacts`).
        package static let parenthesis = Signals(rawValue: 2)
        /// `?` (`FrameShift.spans`).
        package static let questionMark = Signals(rawValue: 4)
        /// U+00C2–U+00F4, a UTF-8 lead byte read as Latin-1 (`latin1Spans`).
        package static let latin1Lead = Signals(rawValue: 8)
        /// A character whose GB18030 code starts a 3-byte UTF-8 sequence, followed by one whose code
        /// may continue it and whose second byte may start the next sequence (of East Asian text),
        /// followed by one whose code may continue that: the first steps of `mayDecodeThreeCJK`, all
        /// three characters in one run of East Asian text; what `gbkMojibake` needs to find anything.
        package static let gbkPair = Signals(rawValue: 16)
        /// Half-width katakana (`shiftJISSpans`).
        package static let halfwidthKana = Signals(rawValue: 32)
        package static let all = Signals(rawValue: 63)
    }

    /// The signals of `run`: one entry of `signalTable` per scalar holds the character's own
    /// signals and what the GBK pair needs of it. A first loop only ORs the entries; the pair is
    /// looked for only on a line holding a character of each of its three kinds, which in
    /// Simplified text few lines do (a code in E0–EF with a second byte 80–BF lies outside GB2312).
    /// `signalTable`'s entry for `ch`: a scalar past the BMP can only continue a GBK pair, an
    /// ill-formed byte is nothing.
    @inline(__always)
    private static func signalEntry(_ table: UnsafeBufferPointer<UInt8>, _ ch: UInt32) -> UInt8 {
        ch < 0x10000 ? table[Int(ch)] : (ch == ScalarRun.invalid ? 0 : continuesBit)
    }

    package static func signals(_ run: ScalarRun) -> Signals {
        signals(run, allInBMP: false)
    }

    /// `signals(run)`, told that every scalar of `run` lies in the BMP (`ScalarDecode.allInBMP`,
    /// true only when it does): the table is then read with no test of the scalars.
    package static func signals(_ run: ScalarRun, allInBMP: Bool) -> Signals {
        signalTable.withUnsafeBufferPointer { table in run.cps.withUnsafeElements { signals(of: $0, table: table, allInBMP: allInBMP) } }
    }

    /// The OR of `signalTable`'s entries (`signalEntry`) of the scalars `c`.
    @inline(__always)
    private static func entries(of c: UnsafeBufferPointer<UInt32>, table: UnsafeBufferPointer<UInt8>, allInBMP: Bool) -> UInt8 {
        @inline(__always) func flags(_ ch: UInt32) -> UInt8 { signalEntry(table, ch) }
        // Eight scalars a step (the loop's own count and test were a third of a scalar's cost at
        // one a step, a sixth at four), read from the table without a test each when all eight
        // are in the BMP; then four, then one at a time.
        var found: UInt8 = 0, foundOdd: UInt8 = 0
        var k = 0
        @inline(__always) func orFour(at k: Int, _ entry: (UInt32) -> UInt8) {
            found |= entry(c[k]) | entry(c[k &+ 2])
            foundOdd |= entry(c[k &+ 1]) | entry(c[k &+ 3])
        }
        if allInBMP {
            // A file with every scalar in the BMP (nearly all): no test of the eight.
            while k &+ 8 <= c.count {
                orFour(at: k) { table[Int($0)] }
                orFour(at: k &+ 4) { table[Int($0)] }
                k &+= 8
            }
        } else {
            while k &+ 8 <= c.count {
                if (c[k] | c[k &+ 1] | c[k &+ 2] | c[k &+ 3] | c[k &+ 4] | c[k &+ 5] | c[k &+ 6] | c[k &+ 7]) < 0x10000 {
                    orFour(at: k) { table[Int($0)] }
                    orFour(at: k &+ 4) { table[Int($0)] }
                } else {
                    orFour(at: k, flags)
                    orFour(at: k &+ 4, flags)
                }
                k &+= 8
            }
        }
        if k &+ 4 <= c.count {
            if allInBMP || c.fourInBMP(at: k) { orFour(at: k) { table[Int($0)] } } else { orFour(at: k, flags) }
            k &+= 4
        }
        while k < c.count {
            found |= flags(c[k])
            k &+= 1
        }
        found |= foundOdd
        return found
    }

    /// `signals(run)` of the scalars `c`, with `signalTable` read once per document: `check` asks it before it makes the line's run,
    /// which only a line with a signal needs (under 2,000 of agora's 41,700 non-ASCII lines).
    private static func signals(of c: UnsafeBufferPointer<UInt32>, table: UnsafeBufferPointer<UInt8>, allInBMP: Bool) -> Signals {
        if allInBMP { return signalsInBMP(of: c, table: table) }
        @inline(__always) func flags(_ ch: UInt32) -> UInt8 { signalEntry(table, ch) }
        let found = entries(of: c, table: table, allInBMP: allInBMP)
        var pair: UInt8 = 0
        if found & Self.pairKinds == Self.pairKinds {
            // `gbkPair`: a character that starts a sequence at k, one that continues it and may
            // start the next at k+1 (the middle), one that continues that at k+2. Each bit is
            // set only in a run of East Asian text, so the three characters are in one. The
            // starts are few (under 1% of East Asian text in agora): the loop looks for one,
            // four positions at once where it can, and then at the two after it. A file all in
            // the BMP (nearly all) has its own pass (`signalsInBMP`).
            var k = 0
            let last = c.count &- 2
            while k < last {
                if k &+ 4 <= last, allInBMP || c.fourInBMP(at: k),
                   (table[Int(c[k])] | table[Int(c[k &+ 1])] | table[Int(c[k &+ 2])] | table[Int(c[k &+ 3])]) & Self.startsBit == 0 {
                    k &+= 4
                    continue
                }
                if flags(c[k]) & Self.startsBit != 0, flags(c[k &+ 1]) & Self.middleBit != 0,
                   flags(c[k &+ 2]) & Self.continuesBit != 0 {
                    pair = Self.middleBit
                    break
                }
                k &+= 1
            }
        }
        return Signals(rawValue: ownSignals(found, c) | pair)
    }

    /// `signals(of:table:allInBMP:)` of scalars `c` that all lie in the BMP: the entries ORed eight
    /// at a time, noting each eight that holds a start (`startsBit`). A line holding all three kinds
    /// of the pair then looks for it at the noted starts only (`hasGBKPair(inSteps:orFrom:_:table:)`),
    /// not over the whole line again (`hasGBKPairInBMP`, 12 M at agora x1 over ~4,200 long lines:
    /// starts are under 1% of East Asian text). More than `startStepCapacity` noted: the whole line.
    private static func signalsInBMP(of c: UnsafeBufferPointer<UInt32>, table: UnsafeBufferPointer<UInt8>) -> Signals {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: startStepCapacity) { startSteps in
            @inline(__always) func entry(_ k: Int) -> UInt8 { table[Int(c[k])] }
            var found: UInt8 = 0
            var noted = 0
            var k = 0
            while k &+ 8 <= c.count {
                let eight = ((entry(k) | entry(k &+ 1)) | (entry(k &+ 2) | entry(k &+ 3)))
                    | ((entry(k &+ 4) | entry(k &+ 5)) | (entry(k &+ 6) | entry(k &+ 7)))
                found |= eight
                if eight & startsBit != 0 {
                    if noted < startSteps.count { startSteps[noted] = k }
                    noted &+= 1
                }
                k &+= 8
            }
            // The rest (under eight), whose starts are not noted: looked at whole.
            let tail = k
            if k &+ 4 <= c.count {
                found |= (entry(k) | entry(k &+ 1)) | (entry(k &+ 2) | entry(k &+ 3))
                k &+= 4
            }
            while k < c.count {
                found |= entry(k)
                k &+= 1
            }
            let own = ownSignals(found, c)
            guard found & pairKinds == pairKinds else { return Signals(rawValue: own) }
            let pair = noted > startSteps.count ? hasGBKPairInBMP(c, table: table)
                : hasGBKPair(inSteps: UnsafeBufferPointer(rebasing: startSteps[..<noted]), orFrom: tail, c, table: table)
            return Signals(rawValue: own | (pair ? middleBit : 0))
        }
    }

    /// The eight-scalar steps with a start `signalsInBMP` notes before it looks at every position
    /// again (a line with more starts is rare).
    private static let startStepCapacity = 32

    /// Whether a GBK pair (`gbkPair`) starts in one of the eight-scalar `steps` of `c` or from `tail` on.
    private static func hasGBKPair(inSteps steps: UnsafeBufferPointer<Int>, orFrom tail: Int, _ c: UnsafeBufferPointer<UInt32>,
                                   table: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func entry(_ k: Int) -> UInt8 { table[Int(c[k])] }
        @inline(__always) func startsPair(_ k: Int) -> Bool {
            k &+ 2 < c.count && entry(k) & startsBit != 0 && entry(k &+ 1) & middleBit != 0 && entry(k &+ 2) & continuesBit != 0
        }
        for step in steps {
            for k in step..<(step &+ 8) where startsPair(k) { return true }
        }
        for k in tail..<c.count where startsPair(k) { return true }
        return false
    }

    /// `gbkPair` in scalars `c` that all lie in the BMP (`ScalarDecode.allInBMP`): the table read
    /// untested, eight positions a step while no start is among them (most of a line: starts are
    /// under 1% of East Asian text), then four, then one. Apart from `signals`' loop for any file,
    /// whose test of the flag at each step (a load, the loop's registers spent) and four positions
    /// a step cost ~5 instructions a scalar over every line of East Asian text.
    private static func hasGBKPairInBMP(_ c: UnsafeBufferPointer<UInt32>, table: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func entry(_ k: Int) -> UInt8 { table[Int(c[k])] }
        var k = 0
        let last = c.count &- 2
        while k < last {
            if k &+ 8 <= last,
               (entry(k) | entry(k &+ 1) | entry(k &+ 2) | entry(k &+ 3) | entry(k &+ 4) | entry(k &+ 5) | entry(k &+ 6) | entry(k &+ 7)) & startsBit == 0 {
                k &+= 8
                continue
            }
            if k &+ 4 <= last, (entry(k) | entry(k &+ 1) | entry(k &+ 2) | entry(k &+ 3)) & startsBit == 0 {
                k &+= 4
                continue
            }
            if entry(k) & startsBit != 0, entry(k &+ 1) & middleBit != 0, entry(k &+ 2) & continuesBit != 0 { return true }
            k &+= 1
        }
        return false
    }

    /// The signals of `run`'s own characters (not `gbkPair`), one table entry per scalar: what
    /// `punctuation-width` asks before looking for damage.
    /// The entries are ORed as in `signals` (eight a step); beyond the BMP a scalar's entry holds
    /// only `continuesBit`, which is no signal of its own. `allInBMP` as for `signals`.
    package static func characterSignals(_ run: ScalarRun, allInBMP: Bool = false) -> Signals {
        signalTable.withUnsafeBufferPointer { table in
            run.cps.withUnsafeElements { c in Signals(rawValue: ownSignals(entries(of: c, table: table, allInBMP: allInBMP), c)) }
        }
    }

    /// The own signals in the OR of the table entries of the line's scalars `c`: `parenthesis`
    /// only beside a toned vowel, which every syllable `pinyinArtifacts` reports holds
    /// (`Pinyin.tonedSyllable`), so a line of `（…）` in Chinese text without pinyin is not walked
    /// for parentheses. The table's `latinBit` stands for both a Latin-1 lead and a toned vowel
    /// (the table has one byte an entry); only a line holding one of them (few in Chinese text)
    /// is walked again to tell which (`latinSignals`).
    @inline(__always)
    private static func ownSignals(_ found: UInt8, _ c: UnsafeBufferPointer<UInt32>) -> UInt8 {
        var own = found & ownSignalBits
        if found & latinBit == 0 { return own & ~Signals.parenthesis.rawValue }
        let (latin1Lead, tonedVowel) = latinSignals(c)
        if !latin1Lead { own &= ~Signals.latin1Lead.rawValue }
        if !tonedVowel { own &= ~Signals.parenthesis.rawValue }
        return own
    }

    /// Whether `c` holds a Latin-1 lead (U+00C2–U+00F4) and whether it holds a toned pinyin vowel
    /// (`Pinyin.tonedVowels`, all in U+00E0–U+01DC): the two characters `latinBit` stands for.
    @inline(never)
    private static func latinSignals(_ c: UnsafeBufferPointer<UInt32>) -> (latin1Lead: Bool, tonedVowel: Bool) {
        var latin1Lead = false, tonedVowel = false
        for ch in c where ch >= 0xC2 && ch <= 0x1DC {
            if ch <= 0xF4 { latin1Lead = true }
            if !tonedVowel, ch >= 0xE0, Pinyin.tonedVowels.contains(ch) { tonedVowel = true }
            if latin1Lead && tonedVowel { break }
        }
        return (latin1Lead, tonedVowel)
    }

    /// The bits of `signalTable` that are a character's own signals.
    private static let ownSignalBits: UInt8 = Signals.all.rawValue & ~Signals.gbkPair.rawValue

    /// The signals without which `hasDamage` is true only for a frame shift or Shift-JIS residue:
    /// U+FFFD and `锟斤拷` (`lost`), half-width kana, a Latin-1 lead (its mojibake candidates).
    package static let damageSignals: Signals = [.lost, .halfwidthKana, .latin1Lead]

    /// `signalTable` bits beside the signals, each only for a character of a run of East Asian text
    /// (`gbkMojibake`'s segments): its code starts a 3-byte UTF-8 sequence (`startsUTF8InGB`); its
    /// code may continue one (`continuesUTF8InGB`); and the middle of the pair, a code that may
    /// continue one and whose second byte starts a sequence of East Asian text (`gbFlags` bits 5–6).
    /// The middle bit is the bit of `gbkPair`, which a scalar's own signals never hold.
    private static let middleBit = Signals.gbkPair.rawValue
    private static let startsBit: UInt8 = 64
    private static let continuesBit: UInt8 = 128
    /// The three kinds a line needs for a GBK pair.
    private static let pairKinds: UInt8 = startsBit | middleBit | continuesBit
    /// The bit of `latin1Lead`, set in `signalTable` for a vowel with a pinyin tone mark
    /// (`Pinyin.tonedVowels`) too: a ninth bit would double the table (see there).
    private static let latinBit: UInt8 = Signals.latin1Lead.rawValue

    /// A scalar of a run of East Asian text, as `gbkMojibake` splits a line into runs.
    @inline(__always)
    package static func isInGBKRun(_ ch: UInt32) -> Bool {
        ch >= 0x2E80 && ch != ScalarRun.invalid && ch != 0x3002 && ch != 0xFF0C && ch != 0x3001
    }

    /// For each BMP scalar: `otherSignals`, and `startsBit`, `continuesBit`, `middleBit`, and
    /// `latinBit` for a toned vowel. One byte an entry: 64 KB, of which the Han characters' part
    /// (U+4E00–U+9FFF) is 20 KB. Two bytes an entry (a ninth bit of its own for the toned vowels)
    /// made that part 41 KB, and most of `signals`' time samples were its loads; level-1 read
    /// misses in `signals` at agora x1 (cachegrind, `--select mojibake`): 697 K then, 462 K now.
    /// Built at the start of every run that selects `mojibake` or `punctuation-width`: the GBK bits
    /// from `gbFlags` read as a buffer, only where `isInGBKRun` holds, then the few characters with
    /// signals of their own: 0.9 M instructions a run. (Before, `otherSignals` and `isInGBKRun` were
    /// asked of every entry and `gbFlags` read through `startsUTF8InGB` and `continuesUTF8InGB`, a
    /// global's access each: 6.0 M.)
    package static let signalTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        let gb = gbFlags
        table.withUnsafeMutableBufferPointer { t in
            gb.withUnsafeBufferPointer { g in
                for ch in 0x2E80..<0x10000 {
                    let f = g[ch]
                    // `startsUTF8InGB` (bit 0), `continuesUTF8InGB` (bit 2), and of those the middle of a pair.
                    t[ch] = (f & 1 != 0 ? startsBit : 0) | (f & 4 != 0 ? continuesBit | (f & 0x60 != 0 ? middleBit : 0) : 0)
                }
            }
        }
        // `isInGBKRun`: no character below U+2E80 is in a run, nor these three.
        for ch in [0x3002, 0xFF0C, 0x3001] { table[ch] = 0 }
        // Every character `otherSignals` gives a signal (its cases).
        for ch in [0x28, 0xFF08, 0x3F, 0xFFFD, 0x951F, 0x70EB, 0x5C6F] + Array(0xC2...0xF4) + Array(0xFF66...0xFF9F) {
            table[ch] |= otherSignals(UInt32(ch))
        }
        for ch in Pinyin.tonedVowels where ch < 0x10000 { table[Int(ch)] |= latinBit }
        return table
    }()

    /// The signals of one character other than `gbkPair`.
    @inline(__always)
    private static func otherSignals(_ ch: UInt32) -> UInt8 {
        switch ch {
        case 0x28, 0xFF08: return Signals.parenthesis.rawValue
        case 0x3F: return Signals.questionMark.rawValue
        case 0xC2...0xF4: return Signals.latin1Lead.rawValue
        case 0xFFFD, 0x951F, 0x70EB, 0x5C6F: return Signals.lost.rawValue
        case 0xFF66...0xFF9F: return Signals.halfwidthKana.rawValue
        default: return 0
        }
    }

    // MARK: information already lost

    package static let percentFFFD: [UInt8] = Array("%EF%BF%BD".utf8)

    /// Whether `matchesPercentFFFD` holds anywhere in `bytes`, jumping from `%` to `%` with memchr.
    /// A `%` (every third byte of a URL with Chinese in it) is first compared as one word with the
    /// pattern's first eight bytes, each byte's 0x20 bit set (`percentFFFDPrefixFolded`): that never
    /// turns a match away, and turns away nearly all of the rest without the byte loop.
    package static func containsPercentFFFD(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var i = 0
            while i < buffer.count, let hit = memchr(base + i, 0x25, buffer.count - i) {
                var at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                while true {
                    if at &+ 9 > buffer.count { return false }
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self))
                    if word | 0x2020_2020_2020_2020 == percentFFFDPrefixFolded, matchesPercentFFFD(bytes, at: at) { return true }
                    // In a run of escapes (`%E4%B8%AD…`) the next `%` is three bytes on: tested there, not
                    // found by another memchr (whose call cost more than the test, at every `%`). A match
                    // at `at + 1` or `at + 2` would put an E or F, not a `%`, at `at + 3`.
                    guard base[at &+ 3] == 0x25 else { break }
                    at &+= 3
                }
                i = at + 1
            }
            return false
        }
    }

    /// `%ef%bf%b`, the first eight bytes of `percentFFFD` with their 0x20 bits set (`%` has it), as a
    /// little-endian word (a literal: a computed global is read through `swift_once`).
    package static let percentFFFDPrefixFolded: UInt64 = 0x6225_6662_2566_6525

    /// One finding per URL or front-matter value, with the count, as a warning: the characters were
    /// lost before capture (a slug of `%EF%BF%BD` words), which is worth knowing but is not an error of
    /// the article, and one finding per slug word would bury the real U+FFFD finds.
    private func percentEncodedReplacement(_ bytes: [UInt8], _ range: Range<Int>, into sink: inout DiagnosticSink) {
        let p = Self.percentFFFD
        var i = range.lowerBound
        var token: Range<Int>?
        var count = 0
        func flush(_ sink: inout DiagnosticSink) {
            guard let t = token else { return }
            let severity = min(sink.severity, .warning)
            sink.report(t, "percent-encoded replacement character (%EF%BF%BD ×\(count)) in this URL or value: the original characters were lost before it was URL-encoded",
                        severity: severity)
            token = nil
            count = 0
        }
        while i + p.count <= range.upperBound {
            if bytes[i] == 0x25, Self.matchesPercentFFFD(bytes, at: i) {
                // The token: the run of non-space bytes around it (a URL, or one front-matter value).
                var start = i
                while start > range.lowerBound, Self.isTokenByte(bytes[start - 1]) { start -= 1 }
                if token?.lowerBound != start {
                    flush(&sink)
                    var end = i
                    while end < range.upperBound, Self.isTokenByte(bytes[end]) { end += 1 }
                    token = start..<end
                }
                var end = i + p.count
                count += 1
                while end + p.count <= range.upperBound, Self.matchesPercentFFFD(bytes, at: end) { end += p.count; count += 1 }
                i = end
                continue
            }
            i += 1
        }
        flush(&sink)
    }

    @inline(__always)
    private static func isTokenByte(_ b: UInt8) -> Bool {
        // ASCII only (a URL is percent-encoded), and not the quotes and brackets around it.
        b > 0x20 && b < 0x7F && b != 0x22 && b != 0x27 && b != 0x3C && b != 0x3E && b != 0x28 && b != 0x29 && b != 0x5B && b != 0x5D
    }

    private static func matchesPercentFFFD(_ bytes: [UInt8], at i: Int) -> Bool {
        let p = percentFFFD
        guard i + p.count <= bytes.count else { return false }
        for k in 0..<p.count {
            let b = bytes[i + k]
            if (b >= 0x61 && b <= 0x66 ? b - 0x20 : b) != p[k] { return false }
        }
        return true
    }

    private func lostInformation(_ run: ScalarRun, into sink: inout DiagnosticSink) {
        let c = run.cps
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch == 0xFFFD {
                var j = i
                while j < c.count && c[j] == 0xFFFD { j += 1 }
                sink.report(run.byteRange(i..<j), "replacement character U+FFFD (\(j - i)×): the original text was lost in an earlier conversion")
                i = j
                continue
            }
            // 锟斤拷: U+FFFD's UTF-8 bytes read as GBK, repeated.
            if ch == 0x951F, i + 2 < c.count, c[i + 1] == 0x65A4, c[i + 2] == 0x62F7 {
                var j = i + 3
                while j < c.count, c[j] == 0x951F || c[j] == 0x65A4 || c[j] == 0x62F7 { j += 1 }
                sink.report(run.byteRange(i..<j), "'锟斤拷' is U+FFFD read as GBK: the original text was lost")
                i = j
                continue
            }
            // 烫烫烫 / 屯屯屯: uninitialised stack (0xCC) or heap (0xCD) memory read as GBK.
            if ch == 0x70EB || ch == 0x5C6F {
                var j = i
                while j < c.count && c[j] == ch { j += 1 }
                if j - i >= minLostRun {
                    let name = ch == 0x70EB ? "烫" : "屯"
                    sink.report(run.byteRange(i..<j), "'\(name)' repeated \(j - i)×: uninitialised memory (0x\(ch == 0x70EB ? "CC" : "CD") bytes) read as GBK, not text")
                }
                i = j
                continue
            }
            i += 1
        }
    }

    // MARK: converter artifacts

    package struct PinyinArtifact {
        package let range: Range<Int>
        package let syllable: String
        package let han: String
    }

    /// 讀 读 念 唸 (read as): a reading someone gives on purpose follows them.
    package static let readingWords: Set<UInt32> = [0x8B80, 0x8BFB, 0x5FF5, 0x5538]

    /// `區(qū)`: ruby annotations flattened by an extractor. A single lowercase toned syllable in
    /// parentheses right after a Han character; `北京(Beijing)` and `拼音(pīnyīn)` stay quiet.
    /// Collected for the whole file: only a run of them (`minPinyinArtifacts`) is a converter's work.
    private func pinyinArtifacts(_ run: ScalarRun, into found: inout [PinyinArtifact]) {
        let c = run.cps
        var i = 1
        while i + 3 < c.count {
            // To the next `(` or `（` without a bounds check per scalar (a line has few).
            i = c.withUnsafeElements { e in
                var k = i
                while k &+ 3 < e.count, e[k] != 0x28, e[k] != 0xFF08 { k &+= 1 }
                return k
            }
            guard i + 3 < c.count else { break }
            if CJK.isHan(c[i - 1]) {
                let len = Pinyin.tonedSyllable(run, at: i + 1)
                let close = i + 1 + len
                // `讀作行(háng)`, `普通話讀區(qū)`: a reading given on purpose.
                let stated = (max(0, i - 4)..<(i - 1)).contains { Self.readingWords.contains(c[$0]) }
                if len > 0, close < c.count, c[close] == 0x29 || c[close] == 0xFF09, !stated {
                    let syllable = String(String.UnicodeScalarView(c[(i + 1)..<close].compactMap(Unicode.Scalar.init)))
                    let han = String(String.UnicodeScalarView(Unicode.Scalar(c[i - 1]).map { [$0] } ?? []))
                    found.append(PinyinArtifact(range: run.byteRange(i..<(close + 1)), syllable: syllable, han: han))
                    i = close + 1
                    continue
                }
            }
            i += 1
        }
    }

    // MARK: UTF-8 read as Windows-1252 / Latin-1

    /// Windows-1252's printable characters in 0x80–0x9F, back to their byte.
    package static let cp1252: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    @inline(__always)
    package static func latin1Byte(_ c: UInt32) -> UInt8? {
        if c >= 0x80 && c <= 0xFF { return UInt8(c) }
        return cp1252[c]
    }

    private func latin1Mojibake(_ run: ScalarRun, _ bytes: [UInt8], _ document: Document?, into sink: inout DiagnosticSink) {
        var nonProse = LineNonProse(run, bytes, document)
        for found in Self.latin1Spans(run) {
            let range = run.byteRange(found.span)
            let shown = String(decoding: bytes[range], as: UTF8.self)
            switch found.verdict {
            case .repair:
                sink.report(range, "UTF-8 read as Windows-1252/Latin-1: '\(shown)' should be '\(found.decoded)'",
                            fix: Self.repair(range, found.decoded, inNonProse: nonProse.overlaps(found.span)))
            case .reportOnly:
                sink.report(range, "UTF-8 read as Windows-1252/Latin-1: '\(shown)' decodes to '\(found.decoded)', which is not text of this document; check the source")
            case .plausibleText:
                break
            }
        }
        for stub in Self.droppedByteStubs(run) {
            let range = run.byteRange(stub.span)
            let shown = String(decoding: bytes[range], as: UTF8.self)
            let guesses = stub.candidates.map { String(String.UnicodeScalarView([$0].compactMap(Unicode.Scalar.init))) }
            sink.report(range, "UTF-8 read as Windows-1252 with a byte lost: '\(shown)' is what is left of a character one of whose bytes (0x81, 0x8D, 0x8F, 0x90 or 0x9D) Windows-1252 does not define; it was probably \(guesses.count == 1 ? "'\(guesses[0])'" : "one of " + guesses.joined(separator: " ")), but the lost byte cannot be known: check the source")
        }
    }

    /// The five bytes Windows-1252 leaves undefined: a decoder that drops them (or a later repair
    /// that could not map them back) leaves a character's lead and one continuation without its
    /// third byte (`保` = E4 BF 9D shown as `ä¿`).
    package static let cp1252Undefined: [UInt8] = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// Characters that follow a Latin word as published (`José”`, `Chloé’s`, `Café·咖啡館`, `été…`,
    /// `café\u{A0}`, and in Chinese typography an opening quote with no space: `Beyoncé“Halo”`,
    /// `Café‘`, `José´s`, `Noël«`, `café£5`): a 3-byte lead shown as an accented letter
    /// followed by one of these, after a Latin letter, is that word, not what is left of a character.
    private static let closesLatinWord: Set<UInt32> = [
        0x201A, 0x201E, 0x2026, 0x2019, 0x201D, 0x2022, 0x2013, 0x2014, 0x2122, 0x203A,
        0x201C, 0x2018, 0x2039,
        0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA7, 0xA9, 0xAB, 0xAD, 0xAE, 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB6,
        0xB7, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE,
    ]

    /// What is left of 3-byte characters that lost one byte Windows-1252 does not define
    /// (`cp1252Undefined`): a lead E0–EF shown as `à`…`ï` and one continuation, the next character
    /// no continuation. Reported, never fixed: `ä¿` was 俁, 俍, 俏, 俐 or 保 (and the byte may have
    /// been lost from the middle), so the candidates are listed, common characters of a Chinese
    /// document only, and a stub with none is not reported. A Latin word ending in an accented
    /// letter followed by closing punctuation or a sign (`José”說`, `Café·咖啡館`, `“é”`) is what the
    /// page says: unless a Han character stands right before it, a stub is reported only when its
    /// continuation is a sign no word is followed by (`¿`, `¯`, `¸`, `ˆ`…). `†`, `‰` and `€` may
    /// follow a word too but stay reportable: they continue the stubs of 再 and 前 (`å†`, `å‰`),
    /// which follow other mojibake (`Š`).
    package static func droppedByteStubs(_ run: ScalarRun) -> [(span: Range<Int>, candidates: [UInt32])] {
        let c = run.cps
        var found: [(span: Range<Int>, candidates: [UInt32])] = []
        var i = 0
        while i + 1 < c.count {
            defer { i += 1 }
            guard c[i] >= 0xE0 && c[i] <= 0xEF, let second = latin1Byte(c[i + 1]), second >= 0x80, second <= 0xBF else { continue }
            if i + 2 < c.count, let third = latin1Byte(c[i + 2]), third >= 0x80, third <= 0xBF { continue }
            let before = i > 0 ? c[i - 1] : 0
            if CJK.isLatinLetter(before) || !CJK.isHan(before), closesLatinWord.contains(c[i + 1]) { continue }
            let lead = UInt8(c[i])
            var candidates: [UInt32] = []
            for lost in cp1252Undefined {
                for sequence in [[lead, lost, second], [lead, second, lost]] {
                    let decoded = sequence.withUnsafeBufferPointer { UTF8Validation.sequenceLength($0, at: 0) == 3 }
                        ? String(decoding: sequence, as: UTF8.self).unicodeScalars.first?.value : nil
                    if let v = decoded, CJK.isCJK(v), isCommon(v), !candidates.contains(v) { candidates.append(v) }
                }
            }
            guard !candidates.isEmpty else { continue }
            found.append((i..<(i + 2), candidates.sorted()))
        }
        return found
    }

    /// The fix writing `decoded` over the bytes `range`: safe in prose; in a URL, a Liquid tag or
    /// code (`ProseMask.overlapsNonProse`) only unsafe: the repair is what was meant, but a site's
    /// own slug may be the damaged text (a page served under it), and code may show damage on
    /// purpose (an article about 亂碼).
    private static func repair(_ range: Range<Int>, _ decoded: String, inNonProse: Bool) -> Fix {
        inNonProse
            ? Fix(.unsafe, "Decode as UTF-8 (inside a link, code or a template tag: check what it names)", edit: Edit(range: range, replacement: decoded))
            : Fix(.safe, "Decode as UTF-8", edit: Edit(range: range, replacement: decoded))
    }

    /// Runs of characters that map back to bytes forming well-formed multi-byte UTF-8, with the verdict on repairing them.
    package static func latin1Spans(_ run: ScalarRun) -> [(span: Range<Int>, decoded: String, verdict: Latin1Verdict)] {
        let c = run.cps
        var result: [(span: Range<Int>, decoded: String, verdict: Latin1Verdict)] = []
        var i = 0
        while i < c.count {
            // A segment starts with a UTF-8 lead byte read as Â…ô.
            guard c[i] >= 0xC2 && c[i] <= 0xF4 else { i += 1; continue }
            var mapped: [UInt8] = []
            var j = i
            while j < c.count, let b = latin1Byte(c[j]) { mapped.append(b); j += 1 }
            // Consecutive well-formed multi-byte sequences from the start.
            var k = 0
            mapped.withUnsafeBufferPointer { buf in
                while k < buf.count, buf[k] >= 0xC2 {
                    let len = UTF8Validation.sequenceLength(buf, at: k)
                    if len < 2 { break }
                    k += len
                }
            }
            guard k >= 2 else { i += 1; continue }
            let decoded = String(decoding: mapped[0..<k], as: UTF8.self)
            let verdict = judgeLatin1Repair(decoded: decoded.unicodeScalars.map(\.value), lead: c[i], before: i > 0 ? c[i - 1] : 0,
                                            beforeThat: i > 1 ? c[i - 2] : 0)
            if verdict == .plausibleText { i += 1; continue }
            result.append((i..<(i + k), decoded, verdict))
            i += k
        }
        return result
    }

    package enum Latin1Verdict: Equatable { case repair, reportOnly, plausibleText }

    /// A repair must give text of a Chinese news document (common Han characters, East Asian or
    /// typographic punctuation, Latin-1 letters and signs, emoji), and the original must not be
    /// plausible Latin text: `×•` (Hebrew ו), `Ø·` (Arabic ط) and `café` + a symbol (a rare CJK
    /// character) are what the page says. A long run that decodes to another script is reported
    /// without a fix: `Ð¿Ñ€Ð¸` cannot be anything but mojibake, but the repair is not this document's text.
    /// `before` and `beforeThat` are the two characters before the run: a Latin word is one of
    /// Latin letters, and a lone accented letter after other text (`務æä¾›`, `提` with both its
    /// undefined bytes lost, then `供`) is what is left of a character, not a word.
    /// After a Latin word, a run that decodes to one full-width or CJK punctuation mark
    /// (`AIFTï¼Œ`, `CNNï¼‰`) is repaired: no word continues with `ï¼` or `ã€`.
    package static func judgeLatin1Repair(decoded: [UInt32], lead: UInt32, before: UInt32, beforeThat: UInt32 = 0) -> Latin1Verdict {
        guard !decoded.isEmpty, !decoded.contains(0xFFFD) else { return .plausibleText }
        let inScript = decoded.allSatisfy { v in
            if CJK.isHan(v) { return isCommon(v) }
            return CJK.isCJKPunct(v) || (0xA0...0x17F).contains(v) || (0x2010...0x203A).contains(v)
                || v == 0x20AC || v == 0x2122 || (0x1F300...0x1FAFF).contains(v) || (0x2600...0x27BF).contains(v)
        }
        // `Caf` + `é` + symbols: an accented letter continuing a Latin word. Mojibake of Latin-1 and of
        // typographic punctuation starts with Â, Ã or â (C2, C3, E2), which no Latin word continues with.
        let loneAccented = (0xC0...0xFF).contains(before) && !CJK.isLatinLetter(beforeThat)
        let continuesWord = CJK.isLatinLetter(before) && !loneAccented && lead != 0xC2 && lead != 0xC3 && lead != 0xE2
        let wordThenPunctuation = decoded.count == 1 && (lead == 0xE3 || lead == 0xEF) && CJK.isCJKPunct(decoded[0])
        if inScript && !(continuesWord && decoded.count == 1 && !wordThenPunctuation) { return .repair }
        return decoded.count >= 3 && !continuesWord ? .reportOnly : .plausibleText
    }

    // MARK: UTF-8 read as Shift-JIS / EUC-JP

    /// Half-width katakana (U+FF66–FF9F): single bytes A6–DF in Shift-JIS, never written in Chinese news.
    /// The half-width signs before them (`｢｣･`, U+FF61–FF65) are punctuation some sites use on purpose.
    @inline(__always)
    package static func isHalfwidthKana(_ c: UInt32) -> Bool { (0xFF66...0xFF9F).contains(c) }

    /// UTF-8 Chinese read as Shift-JIS or EUC-JP: bytes that do not map become `?`, lone bytes
    /// A1–DF become half-width katakana, the rest odd kanji and full-width signs (`閨槫?ｱ驕`,
    /// `?ｼ壺?懈?台ｻｬ`). Signals (`?` and half-width katakana) at most four characters apart form
    /// one stretch; two katakana, or a katakana with a `?`, inside Chinese text is residue.
    /// Reported without a fix: the `?` bytes are gone.
    private func shiftJISResidue(_ run: ScalarRun, _ bytes: [UInt8], into sink: inout DiagnosticSink) {
        for span in Self.shiftJISSpans(run) {
            let shown = String(decoding: bytes[run.byteRange(span)], as: UTF8.self)
            sink.report(run.byteRange(span), "UTF-8 read as Shift-JIS/EUC-JP: '\(shown)' (half-width katakana and '?' inside Chinese text); the original text cannot be recovered")
        }
    }

    /// Scalar ranges of Shift-JIS/EUC-JP residue in `run` (shared with `punctuation-width`, which keeps out):
    /// in each stretch between spaces and Chinese commas or full stops that holds two half-width
    /// katakana, or one and a `?`, from the first signal to the last.
    package static func shiftJISSpans(_ run: ScalarRun) -> [Range<Int>] {
        let c = run.cps
        guard c.contains(where: isHalfwidthKana), c.contains(where: CJK.isHan) else { return [] }
        var spans: [Range<Int>] = []
        var i = 0
        while i < c.count {
            var first = -1, last = -1, kana = 0, marks = 0
            var j = i
            while j < c.count {
                let x = c[j]
                if x <= 0x20 || x == 0x3002 || x == 0xFF0C || x == 0x3001 { break }
                if isHalfwidthKana(x) || x == 0x3F {
                    if isHalfwidthKana(x) { kana += 1 } else { marks += 1 }
                    if first < 0 { first = j }
                    last = j
                }
                j += 1
            }
            if first >= 0, kana >= 2 || (kana >= 1 && marks >= 1) { spans.append(first..<(last + 1)) }
            i = j + 1
        }
        return spans
    }

    /// Whether `run` holds text this rule reports as encoding damage (U+FFFD, `锟斤拷`, a frame shift,
    /// Shift-JIS residue, Latin-1 mojibake, or what is left of a character that lost a byte,
    /// `droppedByteStubs`): `punctuation-width` makes no fix beside it. The stubs are looked for
    /// only on a line whose Latin-1 pre-check fired (a lead E0–EF is one of its leads) and where no
    /// Latin-1 span was found.
    package static func hasDamage(_ run: ScalarRun, frameShifts: [Range<Int>], shiftJIS: [Range<Int>]) -> Bool {
        if !frameShifts.isEmpty || !shiftJIS.isEmpty { return true }
        let c = run.cps
        var latinCandidate = false
        for i in 0..<c.count {
            let x = c[i]
            if x == 0xFFFD || isHalfwidthKana(x) { return true }
            if x == 0x951F, i + 2 < c.count, c[i + 1] == 0x65A4, c[i + 2] == 0x62F7 { return true }
            if (0xC2...0xF4).contains(x), i + 1 < c.count, let b = latin1Byte(c[i + 1]), b >= 0x80, b <= 0xBF { latinCandidate = true }
        }
        return latinCandidate && (!latin1Spans(run).isEmpty || !droppedByteStubs(run).isEmpty)
    }

    // MARK: UTF-8 read as GBK / GB18030

    package static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Re-encodes runs of East Asian characters as GB18030 and looks for stretches that give back
    /// UTF-8. Legitimate Chinese almost never does: GB2312 byte pairs rarely line up as UTF-8 lead
    /// and continuation bytes for more than a character or two.
    private func gbkMojibake(_ run: ScalarRun, _ bytes: [UInt8], _ document: Document?, into sink: inout DiagnosticSink) {
        var nonProse = LineNonProse(run, bytes, document)
        let c = run.cps
        let segments = Self.gbkSegments(c, chainTest: usesChainTest)
        guard !segments.isEmpty else { return }
        let encoded = encodeGB(segments: segments, of: c)
        for (segment, encodedSegment) in zip(segments, encoded) {
            let i = segment.lowerBound, j = segment.upperBound
            guard let gb = encodedSegment else { continue }
            // Byte offset in `gb` where each scalar of the run starts (GB18030: 2 or 4 bytes here).
            var starts: [Int] = []
            starts.reserveCapacity(j - i + 1)
            var p = 0
            while p < gb.count {
                starts.append(p)
                p += gb[p] < 0x80 ? 1 : (p + 1 < gb.count && (0x30...0x39).contains(gb[p + 1]) ? 4 : 2)
            }
            guard starts.count == j - i else { continue }
            starts.append(gb.count)
            var s = 0
            while s < j - i {
                guard Self.startsUTF8InGB(c[i + s]), !usesChainTest || Self.mayDecodeThreeCJK(c, from: i + s, to: j) else { s += 1; continue }
                let window = decodeUTF8Window(gb, from: starts[s], boundaries: starts, first: s)
                let from = i + s, to = i + window.endScalar
                let decoded = window.scalars >= 3 ? String(decoding: gb[starts[s]..<window.endByte], as: UTF8.self) : ""
                let decodedScalars = decoded.unicodeScalars.map(\.value)
                // Clearly better: every decoded character is East Asian text, and common characters
                // make up a much larger share than in the garbled run.
                if window.scalars >= 3, window.han >= 2, window.endScalar - s >= 3,
                   decodedScalars.allSatisfy({ CJK.isCJK($0) }),
                   Self.commonShare(decodedScalars) >= Self.commonShare(c[from..<to]) + 0.3 {
                    let shown = String(decoding: bytes[run.byteRange(from..<to)], as: UTF8.self)
                    sink.report(run.byteRange(from..<to), "UTF-8 read as GBK: '\(shown)' should be '\(decoded)'" + (window.exact ? "" : " (the last character is incomplete)"),
                                fix: window.exact ? Self.repair(run.byteRange(from..<to), decoded, inNonProse: nonProse.overlaps(from..<to)) : nil)
                    s = window.endScalar
                } else {
                    s += 1
                }
            }
        }
    }

    /// The runs of East Asian text in `c` (split at `。`, `，`, `、`) that `gbkMojibake` converts: only a
    /// character whose GB18030 bytes start a 3-byte UTF-8 sequence can start mojibake, and only when
    /// the next character's code supplies that sequence's third byte (80–BF): otherwise its window
    /// decodes no scalar. Most runs of clean text fail this before converting. And the first three
    /// UTF-8 sequences from there must be East Asian text, which the flags of the next few characters'
    /// codes decide (`mayDecodeThreeCJK`, asked when `chainTest`): Traditional text passes the pair
    /// test often, this chain rarely. The pair is read from `signalTable`.
    package static func gbkSegments(_ c: Scalars, chainTest: Bool) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        signalTable.withUnsafeBufferPointer { table in
            c.withUnsafeElements { buf in
                @inline(__always) func flags(_ ch: UInt32) -> UInt8 { signalEntry(table, ch) }
                let n = buf.count
                var i = 0
                while i < n {
                    guard isInGBKRun(buf[i]) else { i &+= 1; continue }
                    var j = i &+ 1
                    while j < n, isInGBKRun(buf[j]) { j &+= 1 }
                    defer { i = j }
                    guard j - i >= 3 else { continue }
                    for k in i..<(j - 2) where flags(buf[k]) & startsBit != 0 && flags(buf[k + 1]) & continuesBit != 0 {
                        if !chainTest || mayDecodeThreeCJK(c, from: k, to: j) {
                            segments.append(i..<j)
                            break
                        }
                    }
                }
            }
        }
        return segments
    }

    /// Longest stretch of well-formed multi-byte UTF-8 in `gb` from byte `start` that ends on a
    /// GB18030 character boundary (or leaves at most one cut sequence before the next boundary).
    private func decodeUTF8Window(_ gb: [UInt8], from start: Int, boundaries: [Int], first: Int)
        -> (scalars: Int, han: Int, endScalar: Int, endByte: Int, exact: Bool) {
        var best = (scalars: 0, han: 0, endScalar: first, endByte: start, exact: true)
        var k = start
        var scalars = 0, han = 0
        var b = first
        gb.withUnsafeBufferPointer { buf in
            while k < buf.count {
                let len = UTF8Validation.sequenceLength(buf, at: k)
                if len < 2 {
                    // A sequence cut by the end of the garbled stretch: the run up to the next boundary is lost.
                    if len == 0, buf[k] >= 0xC2, scalars >= 2 {
                        var e = k + 1
                        while e < buf.count && buf[e] & 0xC0 == 0x80 { e += 1 }
                        while b < boundaries.count - 1 && boundaries[b] < e { b += 1 }
                        if best.scalars <= scalars { best = (scalars, han, b, k, false) }
                    }
                    break
                }
                let v = UTF8Validation.decode(gb[...], at: k).scalar
                if CJK.isHan(v) { han += 1 }
                scalars += 1
                k += len
                while b < boundaries.count - 1 && boundaries[b] < k { b += 1 }
                if boundaries[b] == k { best = (scalars, han, b, k, true) }
            }
        }
        return best
    }

    /// For each BMP scalar, from its GB18030 encoding (compiled-in lists, `GBTables`):
    /// bit 0: a pair that begins a 3-byte UTF-8 sequence (lead E0–EF, trail 80–BF), so it can start GBK mojibake;
    /// bit 1: a GB2312 level-1 character (lead B0–D7), the 3,755 most common Simplified characters;
    /// bit 2: from U+2E80, a code (two or four bytes) whose first byte is 80–BF, a UTF-8 continuation byte;
    /// bits 3–4: a two-byte code whose first byte starts a UTF-8 sequence of East Asian text, as the
    /// number of continuation bytes that sequence needs (C2: 1; E2–E9, EF: 2; F0: 3), 0 otherwise;
    /// bits 5–6: the same of its second byte; bit 7: a two-byte code whose second byte is 80–BF.
    package static let gbFlags: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        for v in GBTables.utf8LeadPairs { table[Int(v)] |= 1 }
        for v in GBTables.level1 { table[Int(v)] |= 2 }
        // Set bits only, lowest first (a test of each of a word's 64 bits was 0.5 M instructions of
        // every run that builds the table: 47,500 bits set of 73,000 tested).
        func setBits(_ words: [UInt64], _ flag: UInt8) {
            for (w, word) in words.enumerated() {
                var rest = word
                while rest != 0 {
                    table[w << 6 | rest.trailingZeroBitCount] |= flag
                    rest &= rest &- 1
                }
            }
        }
        setBits(GBTables.continuationLeads, 4)
        setBits(GBTables.trailContinuations, 128)
        for (kind, leads, trails) in [(1, GBTables.cjkLeadTwo, GBTables.cjkTrailTwo), (2, GBTables.cjkLeadThree, GBTables.cjkTrailThree),
                                      (3, GBTables.cjkLeadFour, GBTables.cjkTrailFour)] as [(UInt8, [UInt16], [UInt16])] {
            for v in leads { table[Int(v)] |= kind << 3 }
            for v in trails { table[Int(v)] |= kind << 5 }
        }
        return table
    }()

    /// Continuation bytes a UTF-8 sequence of East Asian text (`CJK.isCJK`) needs after lead byte `b`
    /// (C2 for `·`; E2–E9, EF; F0), 0 when no such sequence starts with `b`.
    package static func cjkSequenceContinuations(_ b: UInt8) -> UInt8 {
        switch b {
        case 0xC2: return 1
        case 0xE2...0xE9, 0xEF: return 2
        case 0xF0: return 3
        default: return 0
        }
    }

    /// `gbFlags` computed with Foundation's GB18030 converter (what `GBTables` must agree with; tests).
    package static func gbFlagsFromConverter() -> [UInt8] {
        var table = [UInt8](repeating: 0, count: 0x10000)
        var s = String.UnicodeScalarView()
        var cps: [UInt32] = []
        for v in UInt32(0x2E80)..<0x10000 where !(0xD800...0xDFFF).contains(v) {
            if let u = Unicode.Scalar(v) { s.append(u); cps.append(v) }
        }
        guard let data = String(s).data(using: gb18030, allowLossyConversion: false) else { return table }
        let bytes = [UInt8](data)
        var p = 0
        for v in cps {
            guard p < bytes.count else { break }
            let len = bytes[p] < 0x80 ? 1 : (p + 1 < bytes.count && (0x30...0x39).contains(bytes[p + 1]) ? 4 : 2)
            if (0x80...0xBF).contains(bytes[p]) { table[Int(v)] |= 4 }
            if len == 2, p + 1 < bytes.count {
                if (0xE0...0xEF).contains(bytes[p]) && (0x80...0xBF).contains(bytes[p + 1]) { table[Int(v)] |= 1 }
                if (0xB0...0xD7).contains(bytes[p]) && (0xA1...0xFE).contains(bytes[p + 1]) { table[Int(v)] |= 2 }
                table[Int(v)] |= cjkSequenceContinuations(bytes[p]) << 3 | cjkSequenceContinuations(bytes[p + 1]) << 5
                if (0x80...0xBF).contains(bytes[p + 1]) { table[Int(v)] |= 128 }
            }
            p += len
        }
        return table
    }

    @inline(__always)
    package static func startsUTF8InGB(_ c: UInt32) -> Bool { c < 0x10000 && gbFlags[Int(c)] & 1 != 0 }

    /// Whether `c`'s GB18030 code may start with a UTF-8 continuation byte (bit 2; beyond the BMP,
    /// where the table does not reach, assumed so).
    @inline(__always)
    package static func continuesUTF8InGB(_ c: UInt32) -> Bool { c >= 0x10000 || gbFlags[Int(c)] & 4 != 0 }

    /// Whether the GB18030 bytes of `c[from..<end]` could begin with three UTF-8 sequences of East
    /// Asian text: what a finding of `gbkMojibake` at `from` needs (its window decodes at least three
    /// scalars from the first byte of `c[from]`, every one `CJK.isCJK`). Walked byte by byte on the
    /// flags of each character's code (`gbFlags` bits 2–7), without encoding: a lead byte must start
    /// such a sequence and the bytes it needs must be continuation bytes. Characters beyond the BMP
    /// (four-byte codes, whose second byte 30–39 ends any sequence) count as a possible continuation
    /// byte and nothing more. False only when no finding can start at `from` (tests compare with the
    /// conversion).
    package static func mayDecodeThreeCJK(_ c: Scalars, from: Int, to end: Int) -> Bool {
        gbFlags.withUnsafeBufferPointer { flags in
            /// The character under the cursor and whether the cursor is on its code's second byte.
            var p = from, second = false
            @inline(__always) func flagsAtCursor() -> UInt8 {
                let ch = c[p]
                return ch < 0x10000 ? flags[Int(ch)] : 4
            }
            @inline(__always) func advance() {
                if second { p &+= 1 }
                second.toggle()
            }
            for _ in 0..<3 {
                guard p < end else { return false }
                let f = flagsAtCursor()
                let needed = second ? (f >> 5) & 3 : (f >> 3) & 3
                guard needed != 0 else { return false }
                advance()
                for _ in 0..<needed {
                    guard p < end else { return false }
                    let g = flagsAtCursor()
                    guard second ? g & 128 != 0 : g & 4 != 0 else { return false }
                    advance()
                }
            }
            return true
        }
    }

    /// A common character: GB2312 level 1, or the Traditional form of one.
    package static func isCommon(_ c: UInt32) -> Bool {
        if c < 0x10000 && gbFlags[Int(c)] & 2 != 0 { return true }
        if let s = ScriptTables.shared.counterparts(of: c).first, ScriptTables.shared.scriptClass(c) == .traditionalOnly {
            return s < 0x10000 && gbFlags[Int(s)] & 2 != 0
        }
        return CJK.isCJKPunct(c)
    }

    package static func commonShare<S: Sequence>(_ scalars: S) -> Double where S.Element == UInt32 {
        var n = 0, common = 0
        for c in scalars { n += 1; if isCommon(c) { common += 1 } }
        return n == 0 ? 0 : Double(common) / Double(n)
    }

    /// Each segment of `c` encoded as GB18030 (nil where it cannot be), from `GB18030Codes`.
    package func encodeGB(segments: [Range<Int>], of c: Scalars) -> [[UInt8]?] {
        segments.map { GB18030Codes.encode(c[$0]) }
    }
}

/// A line's non-prose mask for mojibake's repairs, made at the first repair and read over each
/// repaired span only: asking `ProseMask.overlapsNonProse` per repair built and read the whole
/// line's mask each time, quadratic on a long line of many repairs (`AIFTï¼Œ` repeated).
/// With the document's spans across lines (`ProseMask.spansAcrossLines`: Liquid tags over lines,
/// raw `<script>`/`<style>` blocks and comments, link definitions), as the other rules of the
/// family mask them: a line's own walk does not see a span that opened on an earlier line, and a
/// repair inside one was offered as safe.
private struct LineNonProse {
    private let line: ScalarRun
    private let bytes: [UInt8]
    private let document: Document?
    /// nil until the first question; empty when the line cannot hold non-prose.
    private var mask: [Bool]?

    init(_ line: ScalarRun, _ bytes: [UInt8], _ document: Document?) {
        self.line = line
        self.bytes = bytes
        self.document = document
    }

    /// Whether any scalar of `span` (scalar offsets in the line) is markup, a URL, code or a template tag.
    mutating func overlaps(_ span: Range<Int>) -> Bool {
        if mask == nil {
            let carried = document.map { ProseMask.spansAcrossLines($0).covered(line) } ?? []
            if !carried.isEmpty || ProseMask.mayHoldNonProse(bytes, line.byteRange(0..<line.count)) {
                var found = ProseMask.nonProse(line, from: LiquidAcrossLines.head(carried))
                ProseMask.mark(carried, in: &found)
                mask = found
            } else {
                mask = []
            }
        }
        guard let flags = mask, !flags.isEmpty else { return false }
        return span.contains { $0 < flags.count && flags[$0] }
    }
}
