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

    /// Replacement for `･` (U+FF65): `auto` (the document's own separator), `・` (U+30FB) or `·` (U+00B7).
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

    /// The name separator `auto` writes for `･`: the one the document already uses most (`·`, `‧` or
    /// `・`); otherwise `・` in Japanese text (kana present) and `·` in Chinese text, where `・` is a
    /// Japanese mark (`路易斯･瓦亚斯` → `路易斯·瓦亚斯`).
    package static func documentDot(_ cps: Scalars) -> String {
        var counts = (interpunct: 0, hyphenationPoint: 0, katakana: 0), kana = false
        for c in cps {
            switch c {
            case 0x00B7: counts.interpunct += 1
            case 0x2027: counts.hyphenationPoint += 1
            case 0x30FB: counts.katakana += 1
            case 0x3041...0x30FA, 0xFF66...0xFF9D: kana = true
            default: break
            }
        }
        let best = max(counts.interpunct, counts.hyphenationPoint, counts.katakana)
        if best > 0 {
            if counts.interpunct == best { return "·" }
            return counts.katakana == best ? "・" : "‧"
        }
        return kana ? "・" : "·"
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
        var documentDot: String?
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
            let dot = middleDot != "auto" ? middleDot : (documentDot ?? Self.documentDot(ScalarRun(wholeFile: decode).cps))
            documentDot = dot
            checkLine(document.scalarRun(decode, line: n), in: document, dot: dot, into: &sink)
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

    package func checkLine(_ run: ScalarRun, in document: Document, dot: String, into sink: inout DiagnosticSink) {
        let c = run.cps
        let skip = ProseMask.nonProse(run, in: document)
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
                    guard let wide = fullWidth(c[k], dot: dot) else { continue }
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
