import Foundation
import NewsLintCore

/// `punctuation-halfwidth`: the half-width CJK forms `｢ ｣ ､ ｡ ･` (U+FF61–FF65) in Chinese or
/// Japanese full-width text, where `「 」 、 。 ・` belong. A sibling of `punctuation-width`, which
/// handles ASCII punctuation.
///
/// Half-width katakana text (`ｺﾝﾋﾟｭｰﾀ｡`) uses these forms on purpose, so a form next to a
/// half-width katakana letter is left alone, and so is one with no CJK neighbour at all.
public struct PunctuationHalfwidthRule: Rule, RuleWithOptions {
    public static let id = "punctuation-halfwidth"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true

    /// Replacement for `･` (U+FF65): `auto` (decided by the text around each one, `autoDot`), `・`
    /// (U+30FB), `·` (U+00B7) or `‧` (U+2027).
    package let middleDot: String
    package static let middleDots = ["auto", "・", "·", "‧"]

    public struct Options: Decodable, Sendable { var middleDot: String }

    public init(options: RuleOptions) throws {
        middleDot = try Self.decodeOptions(options).middleDot
        guard Self.middleDots.contains(middleDot) else {
            throw RuleOptionError(option: "middleDot", message: "expected one of \(Self.middleDots.joined(separator: ", "))")
        }
    }

    package func fullWidth(_ c: UInt32, dot: String) -> String? {
        switch c {
        case 0xFF61: return "。"
        case 0xFF62: return "「"
        case 0xFF63: return "」"
        case 0xFF64: return "、"
        case 0xFF65: return dot
        default: return nil
        }
    }

    /// What the document says about the separator `auto` writes: the one it uses most between the
    /// parts of a name outside Japanese words (`·`, `‧` or `・`; a `・` beside kana is Japanese
    /// text's own and not counted), `·` when it uses none; and whether it holds hiragana anywhere.
    package static func documentDot(_ cps: Scalars) -> (chinese: String, hasHiragana: Bool) {
        var counts = (interpunct: 0, hyphenationPoint: 0, katakana: 0), hiragana = false
        var k = 0
        while k < cps.count {
            switch cps[k] {
            case 0x00B7: counts.interpunct += 1
            case 0x2027: counts.hyphenationPoint += 1
            case 0x30FB:
                let before = k > 0 ? cps[k - 1] : 0, after = k + 1 < cps.count ? cps[k + 1] : 0
                if !isKana(before) && !isKana(after) { counts.katakana += 1 }
            case 0x3041...0x309F: hiragana = true
            default: break
            }
            k += 1
        }
        let best = max(counts.interpunct, counts.hyphenationPoint, counts.katakana)
        if best > 0 && counts.interpunct != best { return (counts.katakana == best ? "・" : "‧", hiragana) }
        return ("·", hiragana)
    }

    /// The separator `auto` writes for the `･` at `k` of `run` (a line), and whether that is certain.
    /// Not the file's kana (a Chinese report quotes Japanese titles) but the text around the dot
    /// decides: beside kana, or in a word holding kana, it joins Japanese (`ポケット･モンスター`,
    /// `大阪･関西万博のチケット` → `・`); in a line holding no kana, or kana only in quotations
    /// or parentheses (a reading: `石破茂（いしば しげる）`) or away from the dot, it joins a
    /// Chinese name (`唐納德･特朗普表示，日本動畫「ポケット･モンスター」` → `chineseDot`). In a line
    /// whose own text, quotations aside, holds hiragana it is likely Japanese too, but the dot's
    /// word holds none, so a Chinese sentence quoting a reading the walk misses could be meant:
    /// `・`, unsafe. A line with no kana at all in a document with hiragana (the title of a
    /// Japanese article, or a Chinese line beside Japanese ones) cannot tell either: `・`, unsafe.
    package static func autoDot(_ run: ScalarRun, at k: Int, chineseDot: String, documentHasHiragana: Bool,
                                line: inout MiddleDotLine) -> (dot: String, certain: Bool) {
        if isKana(run[k - 1]) || isKana(run[k + 1]) { return ("・", true) }
        if line.wordHoldsKana(run.cps, around: k) { return ("・", true) }
        let verdict = line.verdict(run.cps)
        if verdict.hiraganaOutsideQuotations { return ("・", false) }
        if !verdict.kana && documentHasHiragana { return ("・", false) }
        return (chineseDot, true)
    }

    /// What `autoDot` asks of one line, found once a line and once a word: a line of many `･` (a
    /// one-line HTML article listing names) would otherwise be walked again for every dot.
    package struct MiddleDotLine {
        /// The last word asked about (a run of name scalars) and whether it holds kana.
        private var word: (range: Range<Int>, holdsKana: Bool)?
        private var found: (hiraganaOutsideQuotations: Bool, kana: Bool)?

        package init() {}

        /// Whether the word around `k` (the run of Han, kana and name separators holding it) holds kana.
        mutating func wordHoldsKana(_ c: Scalars, around k: Int) -> Bool {
            if let w = word, w.range.contains(k) { return w.holdsKana }
            var start = k, end = k + 1, kana = false
            while start > 0, PunctuationHalfwidthRule.isNameScalar(c[start - 1]) {
                start -= 1
                if PunctuationHalfwidthRule.isKana(c[start]) { kana = true }
            }
            while end < c.count, PunctuationHalfwidthRule.isNameScalar(c[end]) {
                if PunctuationHalfwidthRule.isKana(c[end]) { kana = true }
                end += 1
            }
            word = (start..<end, kana)
            return kana
        }

        /// Whether the line's text outside quotations (「」『』“”《》) and parentheses (（）, `()`)
        /// holds hiragana, and whether it holds kana at all.
        mutating func verdict(_ c: Scalars) -> (hiraganaOutsideQuotations: Bool, kana: Bool) {
            if let f = found { return f }
            var depth = 0, hiragana = false, kana = false
            for x in 0..<c.count {
                let ch = c[x]
                switch ch {
                case 0x300C, 0x300E, 0x201C, 0x300A, 0xFF08, 0x28: depth += 1 // 「 『 “ 《 （ (
                case 0x300D, 0x300F, 0x201D, 0x300B, 0xFF09, 0x29: depth = max(0, depth - 1)
                default:
                    if isKana(ch) { kana = true }
                    if depth == 0, (0x3041...0x309F).contains(ch) { hiragana = true }
                }
            }
            found = (hiragana, kana)
            return (hiragana, kana)
        }

        private func isKana(_ c: UInt32) -> Bool { PunctuationHalfwidthRule.isKana(c) }
    }

    /// Kana, full-width and half-width, with the prolonged sound mark (not the middle dot U+30FB).
    @inline(__always)
    package static func isKana(_ c: UInt32) -> Bool {
        (0x3041...0x30FA).contains(c) || (0x30FC...0x30FF).contains(c) || (0x31F0...0x31FF).contains(c) || (0xFF66...0xFF9F).contains(c)
    }

    /// What the words around a name separator are made of: Han, kana and the separators themselves.
    @inline(__always)
    static func isNameScalar(_ c: UInt32) -> Bool {
        CJK.isHan(c) || isKana(c) || c == 0xFF65 || c == 0x30FB || c == 0x00B7 || c == 0x2027
    }

    @inline(__always)
    package static func isHalfwidthForm(_ c: UInt32) -> Bool { c >= 0xFF61 && c <= 0xFF65 }

    /// Half-width katakana, prolonged sound mark and (semi-)voiced marks (U+FF66–FF9F).
    @inline(__always)
    package static func isHalfwidthKatakana(_ c: UInt32) -> Bool { c >= 0xFF66 && c <= 0xFF9F }

    /// Full-width East Asian text: Han, kana, Hangul syllables, CJK and full-width punctuation.
    @inline(__always)
    package static func isFullWidthText(_ c: UInt32) -> Bool {
        CJK.isHan(c) || (0x3000...0x30FF).contains(c) || (0xAC00...0xD7A3).contains(c) || (0xFF01...0xFF5E).contains(c)
            || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        // U+FF61–FF65 are EF BD A1–A5: look for that byte triple, decode only lines that have it.
        // A line has it only if the document does, and most documents do not: asked first.
        guard Self.mayHoldHalfwidthForm(in: document) else { return }
        var decoded: ScalarDecode?
        var documentDot: (chinese: String, hasHiragana: Bool)?
        for n in stride(from: 1, through: document.lineCount, by: 1) where !document.isCode(line: n) {
            let range = document.contentRange(ofLine: n)
            var found = false
            var i = range.lowerBound
            while i + 2 < range.upperBound {
                if bytes[i] == 0xEF && bytes[i + 1] == 0xBD && bytes[i + 2] >= 0xA1 && bytes[i + 2] <= 0xA5 { found = true; break }
                i += 1
            }
            guard found else { continue }
            document.decodeOnce(into: &decoded)
            guard let decode = decoded else { continue }
            let dot: (chinese: String, hasHiragana: Bool) = middleDot != "auto" ? (middleDot, false) : (documentDot ?? Self.documentDot(ScalarRun(wholeFile: decode).cps))
            documentDot = dot
            checkLine(document.scalarRun(decode, line: n), in: document, dot: dot.chinese, documentHasHiragana: dot.hasHiragana, into: &sink)
        }
    }

    /// Whether the document holds EF BD A1–A5 anywhere. The byte-pair census (shared with other
    /// rules) answers first: EF BD also starts only the rare full-width `ａ`–`～`, so its absence
    /// rules out nearly every file. The memchr walk alone stopped at every `，` and `：` (EF BC),
    /// 0.5% of a default run's CPU time.
    package static func mayHoldHalfwidthForm(in document: Document) -> Bool {
        document.bytePairs.contains(0xEF, 0xBD) && containsHalfwidthForm(document.bytes)
    }

    /// Whether `bytes` hold EF BD A1–A5 anywhere (memchr from one EF byte to the next).
    package static func containsHalfwidthForm(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            let n = buffer.count
            var i = 0
            while i + 2 < n, let hit = memchr(base + i, 0xEF, n - 2 - i) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if buffer[at + 1] == 0xBD && buffer[at + 2] >= 0xA1 && buffer[at + 2] <= 0xA5 { return true }
                i = at + 1
            }
            return false
        }
    }

    /// `dot`: the separator for `･` (`middleDot`, or with `auto` the document's for Chinese names).
    package func checkLine(_ run: ScalarRun, in document: Document, dot: String, documentHasHiragana: Bool, into sink: inout DiagnosticSink) {
        let c = run.cps
        let skip = ProseMask.nonProse(run, in: document)
        var middleDotLine = MiddleDotLine()
        var i = 0
        while i < c.count {
            guard Self.isHalfwidthForm(c[i]), !skip[i] else { i += 1; continue }
            // The run of adjacent half-width forms (`｣｡`) shares its neighbours.
            var j = i + 1
            while j < c.count, Self.isHalfwidthForm(c[j]), !skip[j] { j += 1 }
            let before = run[i - 1], after = run[j]
            let katakana = Self.isHalfwidthKatakana(before) || Self.isHalfwidthKatakana(after)
            if !katakana, Self.isFullWidthText(before) || Self.isFullWidthText(after) {
                for k in i..<j {
                    guard var wide = fullWidth(c[k], dot: dot) else { continue }
                    var certain = true
                    if c[k] == 0xFF65 && middleDot == "auto" {
                        (wide, certain) = Self.autoDot(run, at: k, chineseDot: dot, documentHasHiragana: documentHasHiragana, line: &middleDotLine)
                    }
                    let r = run.byteRange(k..<(k + 1))
                    let narrow = UnicodeScalar(c[k]).map { String(Character($0)) } ?? ""
                    sink.report(r, "half-width form '\(narrow)' in full-width text; use '\(wide)'",
                                fix: Fix(certain ? .safe : .unsafe, "Use '\(wide)'", edit: Edit(range: r, replacement: wide)))
                }
            }
            i = j
        }
    }
}
