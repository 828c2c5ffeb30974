import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The CPU work of issue 16 replaced straightforward code on hot paths with faster code that must
/// give the same results; each test compares the fast form with the plain one it replaced.
@Suite struct HotPathEquivalenceTests {
    /// A small deterministic generator (tests must not depend on the system's random source).

    /// The one-permutation signature computed plainly: each window's polynomial hash from scratch,
    /// every window (repeats included) binned, the minimum per bin, empty bins probed one by one.
    static func plainSignature(_ rule: ContentNearDuplicateRule, _ s: [UInt32]) -> [UInt16] {
        let k = rule.options.shingleSize, bins = rule.options.permutations
        var minima = [UInt64?](repeating: nil, count: bins)
        for i in 0..<(s.count - k + 1) {
            var h: UInt64 = 0
            for j in i..<(i + k) { h = h &* ContentNearDuplicateRule.rollingBase &+ UInt64(s[j]) }
            let x = mix64(h)
            let b = Int((x.multipliedFullWidth(by: UInt64(bins)).high))
            minima[b] = min(minima[b] ?? .max, x)
        }
        return (0..<bins).map { b in
            var attempt: UInt64 = 1
            while true {
                if let m = minima[b] { return UInt16(m & 0xFFFF) }
                let donor = ContentNearDuplicateRule.densificationProbe(bin: b, attempt: attempt, bins: bins)
                if let m = minima[donor] { return UInt16(m & 0xFFFF) }
                attempt += 1
            }
        }
    }

    @Test func rollingShingleHashesGiveTheSameSignatureAsHashingEachWindow() throws {
        var random = SeededRandom(seed: 1)
        for options in [RuleOptions(), RuleOptions(["shingleSize": JSONNode(.number(1)), "minLength": JSONNode(.number(8))]),
                        RuleOptions(["shingleSize": JSONNode(.number(32)), "permutations": JSONNode(.number(1024)), "bands": JSONNode(.number(64))])] {
            let rule = try ContentNearDuplicateRule(options: options)
            // Text made of few characters repeats many shingles; short text leaves most bins empty.
            for alphabet in [3, 8, 400] {
                for length in [50, 51, 64, 300, 2000] {
                    let body = (0..<length).map { _ in UInt32(0x4E00 + random.below(alphabet)) }
                    let text = String(String.UnicodeScalarView(body.compactMap(Unicode.Scalar.init)))
                    let fact = try #require(rule.collect(Document(path: "a.md", text: text + "\n")))
                    #expect(fact.signature == Self.plainSignature(rule, document(text).normalizedBodyScalars))
                }
            }
        }
    }

    func document(_ text: String) -> Document { Document(path: "a.md", text: text + "\n") }

    @Test func maskedSimilarityEqualsTheLookupPerPermutation() throws {
        var random = SeededRandom(seed: 2)
        for permutations in [8, 64, 100, 144, 200] {
            // Few distinct values per permutation, so some are shared by many signatures (boilerplate).
            let signatures = (0..<60).map { _ in (0..<permutations).map { _ in UInt16(random.below(6)) } }
            for limit in [0, 10, 20] {
                let common = ContentNearDuplicateRule.CommonMinima(signatures: signatures, permutations: permutations, limit: limit)
                let excluded = ContentNearDuplicateRule.ExcludedMinima(signatures: signatures, common: common)
                for x in 0..<signatures.count {
                    for y in 0..<signatures.count where x != y {
                        let fast = ContentNearDuplicateRule.similarity(signatures[x][...], signatures[y][...], x, y, excluded: excluded, common: common)
                        #expect(fast == ContentNearDuplicateRule.similarity(signatures[x], signatures[y], excluding: common))
                    }
                }
            }
        }
    }

    @Test func pairSetAnswersLikeSet() {
        var random = SeededRandom(seed: 3)
        var fast = PairSet()
        var plain = Set<UInt64>()
        for _ in 0..<20_000 {
            let x = UInt64(random.below(300)), y = UInt64(random.below(300))
            guard x != y else { continue }
            let pair = min(x, y) << 32 | max(x, y)
            #expect(fast.insert(pair) == plain.insert(pair).inserted)
        }
    }

    @Test func whitespaceSetIsFoundations() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(HTMLText.isWhitespaceOrNewline(value) == CharacterSet.whitespacesAndNewlines.contains(scalar), "U+\(String(value, radix: 16))")
        }
    }

    @Test func byteTrimEqualsFoundationsTrim() {
        let pieces: [[UInt8]] = [[0x20], [0x09], [0x0A], [0x0D], [0xC2, 0x85], [0xC2, 0xA0], [0xE3, 0x80, 0x80], [0xE2, 0x80, 0x8B],
                                 [0xE2, 0x80, 0xA8], [0xE1, 0x9A, 0x80], [0x61], [0xE4, 0xB8, 0xAD], [0xE3, 0x80], [0x80], [0xE3],
                                 [0xF0, 0x9F, 0x98, 0x80], [0xF8, 0x90, 0x80, 0x80], [0xC0, 0xA0], [0xED, 0xA0, 0x80], [0xE2, 0x80, 0x8C]]
        var random = SeededRandom(seed: 4)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(7) { bytes += pieces[random.below(pieces.count)] }
            let plain = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(String(decoding: bytes[HTMLText.trimmedRange(bytes, 0..<bytes.count)], as: UTF8.self) == plain, "\(bytes)")
        }
    }

    /// `trimmedRange` tests each end on one byte before decoding: every scalar it trims must pass
    /// those tests on its first and its last byte.
    @Test func whitespaceScalarsPassTheTrimByteTests() {
        var seen = 0
        for value in UInt32(0)...0x10FFFF where HTMLText.isWhitespaceOrNewline(value) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let utf8 = Array(String(scalar).utf8)
            #expect(HTMLText.mayBeginWhitespace(utf8[0]) && HTMLText.mayEndWhitespace(utf8[utf8.count - 1]), "U+\(String(value, radix: 16))")
            seen += 1
        }
        #expect(seen == 26)
    }

    @Test func dateOnlyBlocksDecodeInPlace() {
        func plain(_ text: [UInt8]) -> Bool {
            let units: Set<UInt32> = [0x5E74, 0x6708, 0x65E5, 0x65F6, 0x6642, 0x5206, 0x79D2, 0x3A, 0xFF1A, 0x2F, 0x2D, 0x2E, 0x20, 0x3000, 0xA0, 0x9, 0xA, 0xD]
            var digits = false
            for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
                if scalar.value >= 0x30 && scalar.value <= 0x39 { digits = true; continue }
                if !units.contains(scalar.value) { return false }
            }
            return digits
        }
        let pieces: [[UInt8]] = [Array("2024".utf8), Array("年".utf8), Array("11月1日".utf8), Array(" ".utf8), Array("：".utf8),
                                 Array("更新".utf8), [0xE5], [0x80], Array("\u{3000}".utf8), Array("-".utf8), [],
                                 // The other units, U+00A0 and its neighbours, ill-formed and overlong sequences, a surrogate.
                                 Array("时時分秒".utf8), Array("9".utf8), [0xC2, 0xA0], [0xC2, 0xA1], [0xC2], [0xE0, 0x80, 0xBA],
                                 [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xE5, 0xB9], Array(":/.\t\r\n".utf8), Array("a".utf8)]
        var random = SeededRandom(seed: 5)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(5) { bytes += pieces[random.below(pieces.count)] }
            #expect(BoilerplateRepeatedRule.isDateOnly(bytes) == plain(bytes), "\(bytes)")
        }
    }

    @Test func siteKeysAreFoundFromTheBytes() {
        func fm(_ yaml: String) -> FrontMatter? { Document(path: "a.md", text: "---\n\(yaml)\n---\n正文\n").frontMatter }
        let keys = RepeatedLineKey.defaultGroupKeys
        #expect(RepeatedLineKey.site(fm("url: https://web.archive.org/web/20210301000000id_/https://www.news.example.hk/a/1"), keys: keys) == "host:news.example.hk")
        // A combining mark on the last `/`: Foundation's search decides, as before.
        let value = "https:/\u{2F}\u{301}example.org/a"
        let site = RepeatedLineKey.site(fm("url: \(value)"), keys: keys)
        #expect(site == (value.contains("://") ? "host:\u{301}example.org" : "url:" + value))
    }

    @Test func titleWordSuffixesCompareAsCharacters() {
        let words = TitleAffix.siteWords + TitleAffix.columnWords + TitleAffix.sectionSuffixes + TitleAffix.sectionWords
        // Ideographs of the lists, ASCII, a compatibility ideograph (canonically 金), a combining mark, CR LF, kana.
        let pieces = ["新聞", "網", "专访", "版", "a", " ", "\u{F90A}", "金", "\u{301}", "\r\n", "ー", "頻道"]
        var random = SeededRandom(seed: 6)
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<random.below(5) { text += pieces[random.below(pieces.count)] }
            let plain = TitleAffix.isPlain(text)
            for word in words { #expect(TitleAffix.hasSuffix(text, word, plain: plain) == text.hasSuffix(word), "\(text) \(word)") }
        }
        for separator in TitleRepeatedAffixRule.separators {
            let sep = String(decoding: separator, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            #expect(TitleAffix.isColumnLabel(Array("某某".utf8), piece: 0..<6, separatorIsColon: TitleAffix.isColon(separator)) == (sep == "：" || sep == ":"))
        }
    }

    @Test func harvestTrimOnBytesEqualsTrimValue() {
        let pieces: [[UInt8]] = [[0x20], [0x09], [0x7C], [0x2F], [0xC2, 0xA0], [0xE3, 0x80, 0x80], [0xEF, 0xBD, 0x9C], [0x23],
                                 Array("標題".utf8), [0x61], [0x80], [0xE3], [0xE3, 0x80], [0xEF, 0xBD], [0xC2], [0xF0, 0xE3, 0x80, 0x80]]
        var random = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(7) { bytes += pieces[random.below(pieces.count)] }
            let trimmed = MetadataHarvest.trimmedValueRange(bytes, 0..<bytes.count)
            let plain = MetadataHarvest.trimValue(String(decoding: bytes, as: UTF8.self))
            #expect(String(decoding: bytes[trimmed], as: UTF8.self) == plain, "\(bytes)")
        }
    }

    /// trailing-whitespace takes the range of a line only when its last byte before the terminator
    /// may end whitespace: on lines ending in spaces, tabs, U+00A0, U+3000, their bytes cut short,
    /// CR LF and lone CR, whitespace-only lines, hard breaks, front matter and HTML, with and
    /// without hard breaks allowed, the same findings as every line walked.
    @Test func trailingWhitespaceLastByteTestFindsTheSame() throws {
        let rules = [try TrailingWhitespaceRule(options: RuleOptions()),
                     try TrailingWhitespaceRule(options: RuleOptions(["allowHardBreak": JSONNode(.bool(false))]))]
        let pieces = ["文字", "abc", " ", "  ", "\t", "\u{A0}", "\u{3000}", "# 标题", "<p>", "\r", "---\ntitle: a \n---\n", "\u{2003}"]
        let cut: [[UInt8]] = [[0xE3, 0x80], [0xC2], [0x80], [0xA0]]
        var random = SeededRandom(seed: 4646)
        var found = 0
        for k in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(20) {
                bytes += random.below(8) == 0 ? cut[random.below(cut.count)] : Array(pieces[random.below(pieces.count)].utf8)
                if random.below(3) > 0 { bytes += random.below(5) == 0 ? [0x0D, 0x0A] : [0x0A] }
            }
            let document = Document(path: k % 5 == 0 ? "t.html" : "t.md", bytes: bytes)
            for rule in rules {
                var plain = rule
                plain.usesLastByte = false
                found += expectSameFindings(rule, plain, document, id: "trailing-whitespace", "\(bytes)")
            }
        }
        #expect(found > 3000, "\(found)")
    }

    /// more-marker sends to `isMarker` only lines whose trimmed content starts as a marker and is as
    /// long as one: on lines of markers (indented, with trailing spaces, glued to text, CRLF, a BOM),
    /// prose that does or does not end a sentence, and other markup, with the default markers and
    /// others, the same findings as every line tested.
    @Test func moreMarkerLineStartTestFindsTheSame() throws {
        let rules = [try MoreMarkerRule(options: RuleOptions()),
                     try MoreMarkerRule(options: RuleOptions(["markers": JSONNode(.array(["[more]", " ——更多—— ", "x"].map { JSONNode(.string($0)) }))]))]
        let pieces = ["<!--more-->", "  <!--more-->  ", "\t<!-- more -->", "<!--more-->x", "[more]", "\t[more] ", "——更多——", " ——更多——", "x", " x",
                      "今天天气很好，我们", "去公园玩。", "他说", "<p>", "# 标题", "", " ", "abc", "更多"]
        var random = SeededRandom(seed: 4545)
        var found = 0
        for k in 0..<3_000 {
            var text = k % 5 == 0 ? "\u{FEFF}" : ""
            for _ in 0..<random.below(24) {
                text += pieces[random.below(pieces.count)]
                if random.below(3) > 0 { text += random.below(6) == 0 ? "\r\n" : "\n" }
            }
            let document = Document(path: k % 7 == 0 ? "m.html" : "m.md", text: text)
            for rule in rules {
                var plain = rule
                plain.readsLineStarts = false
                found += expectSameFindings(rule, plain, document, id: "more-marker", "\(text)")
            }
        }
        #expect(found > 300, "\(found)")
    }

    /// timestamp-raw reads a unit's length and first byte before it trims it: on units of
    /// timestamps with and without a zone, led and followed by spaces, tabs, U+00A0 and U+3000,
    /// cut short, glued to text, in Markdown and HTML, the same findings as every unit trimmed.
    @Test func timestampFirstByteTestFindsTheSame() throws {
        let rules = [try TimestampRawRule(options: RuleOptions()),
                     try TimestampRawRule(options: RuleOptions(["requireZone": JSONNode(.bool(false))]))]
        let pieces = ["2024-11-01T10:50:09.292Z", "2024-11-01T10:50", "2024-11-01T10:50:09+08:00", "2024-11-01 10:50", "2024-11-0",
                      " ", "\t", "\u{A0}", "\u{3000}", "文字", "abc", "1", "。"]
        var random = SeededRandom(seed: 4747)
        var found = 0
        for k in 0..<3_000 {
            var text = ""
            for _ in 0..<random.below(16) {
                let line = (0..<(1 + random.below(3))).map { _ in pieces[random.below(pieces.count)] }.joined()
                text += k % 4 == 0 ? "<p>" + line + "</p>\n" : line + (random.below(3) == 0 ? "\n\n" : "\n")
            }
            let document = Document(path: k % 4 == 0 ? "t.html" : "t.md", text: text)
            for rule in rules {
                var plain = rule
                plain.usesFirstByte = false
                found += expectSameFindings(rule, plain, document, id: "timestamp-raw", readsProse: true, "\(text)")
            }
        }
        #expect(found > 1000, "\(found)")
    }

    /// line-endings makes an LF file's edits while it counts the CRs: on files of LF, CR LF and lone
    /// CR endings, a CR at either end, with each style, the same findings and fixes as the second walk.
    @Test func lineEndingsEditsWhileCountingFindTheSame() throws {
        let rules = try ["lf", "crlf", "consistent"].map { try LineEndingsRule(options: RuleOptions(["style": JSONNode(.string($0))])) }
        let pieces: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D], [0x0D, 0x0D, 0x0A], Array("文字".utf8), Array("abc".utf8)]
        var random = SeededRandom(seed: 4848)
        var found = 0
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(30) { bytes += pieces[random.below(pieces.count)] }
            let document = Document(path: "e.md", bytes: bytes)
            for rule in rules {
                var plain = rule
                plain.editsWhileCounting = false
                found += expectSameFindings(rule, plain, document, id: "line-endings", "\(bytes)")
            }
        }
        #expect(found > 3000, "\(found)")
    }
}

/// Checks `document` with `fast` and with `plain` (the same rule with its fast path turned off),
/// expects the same findings, and returns how many there were.
private func expectSameFindings<R: Rule>(_ fast: R, _ plain: R, _ document: Document, id: String, readsProse: Bool = false,
                                         _ context: @autoclosure () -> String) -> Int {
    var fastSink = DiagnosticSink(document: document, rule: id, severity: .warning, readsProse: readsProse)
    var plainSink = DiagnosticSink(document: document, rule: id, severity: .warning, readsProse: readsProse)
    fast.check(document, into: &fastSink)
    plain.check(document, into: &plainSink)
    #expect(fastSink.diagnostics == plainSink.diagnostics, "\(context())")
    return plainSink.diagnostics.count
}
