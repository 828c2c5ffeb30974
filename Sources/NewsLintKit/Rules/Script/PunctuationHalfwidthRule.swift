/// `punctuation-halfwidth`: the half-width CJK forms `｢ ｣ ､ ｡ ･` (U+FF61–FF65) in Chinese or
/// Japanese full-width text, where `「 」 、 。 ・` belong. A sibling of `punctuation-width`, which
/// handles ASCII punctuation.
///
/// Half-width katakana text (`ｺﾝﾋﾟｭｰﾀ｡`) uses these forms on purpose, so a form next to a
/// half-width katakana letter is left alone, and so is one with no CJK neighbour at all.
public struct PunctuationHalfwidthRule: Rule {
    public static let id = "punctuation-halfwidth"

    /// Replacement for `･` (U+FF65): `・` (U+30FB) by default, or `·` (U+00B7).
    let middleDot: String

    public init(options: RuleOptions) throws {
        middleDot = options.string("middleDot", "・")
        guard middleDot == "・" || middleDot == "·" else {
            throw RuleOptionError(option: "middleDot", message: "expected '・' or '·'")
        }
    }

    func fullWidth(_ c: UInt32) -> String? {
        switch c {
        case 0xFF61: return "。"
        case 0xFF62: return "「"
        case 0xFF63: return "」"
        case 0xFF64: return "、"
        case 0xFF65: return middleDot
        default: return nil
        }
    }

    @inline(__always)
    static func isHalfwidthForm(_ c: UInt32) -> Bool { c >= 0xFF61 && c <= 0xFF65 }

    /// Half-width katakana, prolonged sound mark and (semi-)voiced marks (U+FF66–FF9F).
    @inline(__always)
    static func isHalfwidthKatakana(_ c: UInt32) -> Bool { c >= 0xFF66 && c <= 0xFF9F }

    /// Full-width East Asian text: Han, kana, Hangul syllables, CJK and full-width punctuation.
    @inline(__always)
    static func isFullWidthText(_ c: UInt32) -> Bool {
        CJK.isHan(c) || (0x3000...0x30FF).contains(c) || (0xAC00...0xD7A3).contains(c) || (0xFF01...0xFF5E).contains(c)
            || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        // U+FF61–FF65 are EF BD A1–A5: look for that byte triple, decode only lines that have it.
        var decoded: ScalarDecode?
        for n in stride(from: 1, through: document.lineCount, by: 1) where !document.isCode(line: n) {
            let range = document.contentRange(ofLine: n)
            var found = false
            var i = range.lowerBound
            while i + 2 < range.upperBound {
                if bytes[i] == 0xEF && bytes[i + 1] == 0xBD && bytes[i + 2] >= 0xA1 && bytes[i + 2] <= 0xA5 { found = true; break }
                i += 1
            }
            guard found else { continue }
            let decode = decoded ?? document.scalars
            decoded = decode
            checkLine(document.scalarRun(decode, line: n), into: &sink)
        }
    }

    func checkLine(_ run: ScalarRun, into sink: inout DiagnosticSink) {
        let c = run.cps
        let skip = ProseMask.nonProse(run)
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
                    guard let wide = fullWidth(c[k]) else { continue }
                    let r = run.byteRange(k..<(k + 1))
                    let narrow = UnicodeScalar(c[k]).map { String(Character($0)) } ?? ""
                    sink.report(r, "half-width form '\(narrow)' in full-width text; use '\(wide)'",
                                fix: Fix(.safe, "Use '\(wide)'", edits: [Edit(range: r, replacement: wide)]))
                }
            }
            i = j
        }
    }
}
