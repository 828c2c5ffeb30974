import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `RepeatedLineKey.normalise` copies runs of plain bytes in one append; this compares it with
/// the byte-by-byte form it replaced, on lines mixing every case it distinguishes.
@Suite struct RepeatedLineKeyEquivalenceTests {
    /// A web-archive path that ends the file (`x.com/web/2020/`) has no URL after it; the test for
    /// one read past the end and stopped the run (SIGILL) on such a file.
    @Test func archivePathAtTheEndOfTheTextIsNoPrefix() throws {
        for text in ["x.com/web/2020/", "/web/20201231/", "a /web/2020id_/"] {
            let b = Array(text.utf8)
            let slash = try #require((0..<b.count).first { b[$0...].starts(with: Array("/web/".utf8)) })
            #expect(RepeatedLineKey.archivePrefixLength(b, slash, b.count) == 0, "\(text)")
            #expect(!TextScan.startsURL(b, b.count, b.count))
        }
        let document = "---\ntitle: t\n---\nx.com/web/2020/"
        #expect(try RuleHarness.diagnostics(rule: "boilerplate-repeated", bytes: Array(document.utf8)).isEmpty)
    }

    /// The byte-at-a-time form: only the bytes that start a space, URL, archive prefix or digit
    /// are looked at; every other byte is copied.
    /// `endsSentence`: the sentence test it keeps digits by (the collect tests pass a walk of their own).
    static func reference(_ b: [UInt8], _ range: Range<Int>,
                          endsSentence: ([UInt8], Range<Int>) -> Bool = TextScan.endsSentence) -> [UInt8] {
        var out: [UInt8] = []
        let keepDigits = endsSentence(b, RepeatedLineKey.textEnd(b, range))
        var i = range.lowerBound
        let end = range.upperBound
        var inDigits = false
        while i < end {
            let space = TextScan.spaceLength(b, i, end)
            if space > 0 {
                if out.last != 0x20 { out.append(0x20) }
                i += space
                inDigits = false
                continue
            }
            if TextScan.startsURL(b, i, end) || (b[i] == UInt8(ascii: "/") && RepeatedLineKey.archivePrefixLength(b, i, end) > 0) {
                i = RepeatedLineKey.appendURL(b, i, end, into: &out)
                inDigits = false
                continue
            }
            let c = b[i]
            let digitLength = (c >= 0x30 && c <= 0x39) ? 1 : (c == 0xEF && i + 2 < end && b[i + 1] == 0xBC && b[i + 2] >= 0x90 && b[i + 2] <= 0x99) ? 3 : 0
            if digitLength > 0, !keepDigits {
                if !inDigits { out.append(UInt8(ascii: "0")) }
                inDigits = true
                i += digitLength
                continue
            }
            inDigits = false
            out.append(c)
            i += 1
        }
        return out
    }

    /// `archiveInner` of a range reads the bytes in place; it answers what the copy of the range
    /// answered (the key's form before), moved by the range's start.
    @Test func archiveInnerOfARangeMatchesTheCopy() {
        let pieces = ["/web/", "web/", "2020", "20201231", "id_", "/", "://", "http", "https:", "x.y", "w", "中"].map { Array($0.utf8) }
        var generator = SeededRandom(seed: 388817)
        for _ in 0..<3_000 {
            var url: [UInt8] = []
            for _ in 0..<Int.random(in: 0...10, using: &generator) { url += pieces.randomElement(using: &generator) ?? [] }
            let from = Int.random(in: 0...url.count, using: &generator)
            let to = Int.random(in: from...url.count, using: &generator)
            let copy = RepeatedLineKey.archiveInner(Array(url[from..<to])).map { $0 + from }
            #expect(RepeatedLineKey.archiveInner(url, in: from..<to) == copy, "\(url) \(from)..<\(to)")
        }
    }

    /// Long runs of non-ASCII text, where the plain run is found sixteen bytes at a time: every
    /// sequence it must stop at (U+00A0, U+3000, full-width digits), the leads it must pass (。，
    /// and other E3, EF and C2 sequences), at every offset, cut anywhere (a sequence split by the
    /// range's end is plain), with ASCII now and then; the key and its hash match the reference.
    @Test func longNonASCIIRunsMatchTheByteByByteForm() {
        let pieces = ["。", "，", "、", "「", "」", "\u{3000}", "\u{A0}", "０", "９", "１２", "ｆ", "：", "（", "）", "￥", "·", "£", "é",
                      "中", "國際新聞", "ぁ", "\u{3001}", "\u{3080}", "\u{FF10}", "\u{FF19}", "\u{FF1A}", "\u{FF0F}", "\u{E3}", "\u{3400}", "\u{20000}"]
            .map { Array($0.utf8) }
        let ascii = [" ", "a", "7", "/", "h"].map { Array($0.utf8) }
        var generator = SeededRandom(seed: 388818)
        for round in 0..<3_000 {
            var line: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                let set = round % 3 == 0 && Int.random(in: 0..<8, using: &generator) == 0 ? ascii : pieces
                line += set.randomElement(using: &generator) ?? []
            }
            let cut = Int.random(in: 0...line.count, using: &generator)
            let start = Int.random(in: 0...cut, using: &generator)
            for range in [0..<line.count, 0..<cut, start..<cut, start..<line.count] {
                var out: [UInt8] = []
                RepeatedLineKey.normalise(line, range, into: &out)
                let expected = Self.reference(line, range)
                #expect(out == expected, "\(line) \(range)")
                #expect(RepeatedLineKey.hash(line, range) == KeyHash.of(expected), "\(line) \(range)")
            }
        }
    }

    @Test func matchesTheByteByByteForm() {
        let pieces = ["更新於", " ", "\t", "\u{3000}", "\u{A0}", "。", "、", "「", "」", "１", "２０", "，", "！", "2024-11-01", "10:00",
                      "https://web.archive.org/web/20210301/https://a.b/c?x=1", "/web/20230101000000/http://x.y/", "www.rfa.org/x",
                      "h", "w", "/", "é", "·", "\u{FEFF}", "ａ", "￥", "\u{20000}", "中文",
                      // Leads next to the ones looked at (E2 of quotes, C2 of other Latin-1), and long non-ASCII runs.
                      "“", "”", "…", "£", "０", "ｆ", "國際新聞報道今日", "。「」",
                      // Words with the bytes a URL or an archive prefix starts with, and numbers of sentences (kept) and labels.
                      "the weather", "http", "https:", "ttp", "www", "wx", "/w", "/wx", "/web/x", "hhttp://a.b", "12345", "2024年", ".", "！"].map { Array($0.utf8) }
        var generator = SeededRandom(seed: 388819)
        for _ in 0..<3_000 {
            var line: [UInt8] = []
            for _ in 0..<Int.random(in: 0...14, using: &generator) { line += pieces.randomElement(using: &generator) ?? [] }
            // Lines cut anywhere, even inside a character, and a range inside a longer buffer.
            let cut = Int.random(in: 0...line.count, using: &generator)
            for range in [0..<line.count, 0..<cut, (cut / 2)..<cut] {
                var out: [UInt8] = []
                RepeatedLineKey.normalise(line, range, into: &out)
                #expect(out == Self.reference(line, range), "\(line) \(range)")
            }
        }
    }
}

/// `RepeatedLineKey.find` looks for `/web/` by its `b` (`anchor`), not its first byte; this
/// compares `archiveInner` with a plain search for the first `/web/` in the range and the same
/// parse after it, on URLs full of near misses (`/we`, `eb/`, lone `b` and `/`), cut anywhere.
@Suite struct ArchiveInnerAnchorTests {
    static func reference(_ b: [UInt8], in range: Range<Int>) -> Int? {
        let needle = Array("/web/".utf8)
        guard range.count >= needle.count,
              let start = (range.lowerBound...(range.upperBound - needle.count)).first(where: { b[$0..<($0 + needle.count)].elementsEqual(needle) })
        else { return nil }
        // `<digits>[flags]/` and then at least one byte, read as slices.
        let rest = b[(start + needle.count)..<range.upperBound]
        let digitCount = rest.prefix { (0x30...0x39).contains($0) }.count
        guard digitCount >= 4 else { return nil }
        let flagCount = rest.dropFirst(digitCount).prefix { (0x61...0x7A).contains($0) || $0 == 0x5F }.count
        let slash = rest.startIndex + digitCount + flagCount
        return slash + 1 < range.upperBound && b[slash] == 0x2F ? slash + 1 : nil
    }

    @Test func archiveInnerMatchesAPlainSearch() {
        let pieces = ["/web/", "/we", "eb/", "web", "b", "/", "bb", "2020", "20201231", "id_", "://", "http", "x.y", "中", "%E6%96%B0"].map { Array($0.utf8) }
        var generator = SeededRandom(seed: 270_301)
        var found = 0
        for _ in 0..<20_000 {
            var url: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) { url += pieces.randomElement(using: &generator) ?? [] }
            let from = Int.random(in: 0...url.count, using: &generator)
            let to = Int.random(in: from...url.count, using: &generator)
            for range in [0..<url.count, from..<to] {
                let expected = Self.reference(url, in: range)
                if expected != nil { found += 1 }
                #expect(RepeatedLineKey.archiveInner(url, in: range) == expected, "\(String(decoding: url, as: UTF8.self)) \(range)")
            }
        }
        // Enough ranges hold a capture for the comparison to mean something (244 at this seed).
        #expect(found > 100)
        // Edges: empty, shorter than the needle, the needle at either end, a `b` at the first byte.
        for text in ["", "b", "/web", "web/", "/web/", "b/web/2020/x", "/web/2020/x", "x/web/2020/", "/wb/web/20200/y", "/web/202/web/2020/z"] {
            let url = Array(text.utf8)
            #expect(RepeatedLineKey.archiveInner(url, in: 0..<url.count) == Self.reference(url, in: 0..<url.count), "\(text)")
        }
    }
}
