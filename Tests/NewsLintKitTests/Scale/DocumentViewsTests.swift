import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The views a document computes once and shares (`DocumentViews`), and the faster forms of session
/// 8 (block elements matched in place, the normalised body hashed while it is built, file names found
/// with a byte loop): each gives exactly what the plain computation gives, on real text.
@Suite struct DocumentViewsTests {
    /// The Markdown and HTML fixtures of the test suite (real articles and pages), as documents.
    static let fixtureDocuments: [Document] = {
        let root = PackagePaths.fixtures
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }
            .filter { ["md", "html", "htm", "txt"].contains($0.pathExtension) }
            .sorted { $0.path < $1.path } ?? []
        return files.compactMap { url in (try? Data(contentsOf: url)).map { Document(path: url.path, bytes: [UInt8]($0)) } }
    }()

    static let corpus = ExternalTools.shared.appendingPathComponent("corpora/agora-pen")
    static let hasCorpus = FileManager.default.fileExists(atPath: corpus.path)

    /// Every 20th post of agora-pen (HTML and Markdown).
    static func corpusDocuments() throws -> [Document] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        return stride(from: 0, to: names.count, by: 20).compactMap { i in
            let url = corpus.appendingPathComponent(names[i])
            return (try? Data(contentsOf: url)).map { Document(path: url.path, bytes: [UInt8]($0)) }
        }
    }

    @Test func fixturesAreThere() {
        #expect(Self.fixtureDocuments.count > 50)
        #expect(Self.fixtureDocuments.contains { $0.isHTMLFile })
    }

    @Test func eachViewIsComputedOnce() {
        let views = DocumentViews()
        var calls = 0
        for _ in 0..<3 {
            #expect(views.isSiteTemplate { calls += 1; return true })
        }
        #expect(calls == 1)
        let first = views.htmlBlockRanges { calls += 1; return [HTMLView.BlockRange(range: 3..<5, heading: true)] }
        let second = views.htmlBlockRanges { calls += 1; return [] }
        #expect(first == second && first.count == 1 && calls == 2)
        // A view computed while another is being computed (the HTML elements read the tokens).
        let body = views.normalizedBody {
            calls += 1
            _ = views.proseUnits { calls += 1; return [(line: 1, range: 0..<1)] }
            return NormalizedBodyView(scalars: [1, 2], hash: 7)
        }
        #expect(body.scalars == [1, 2] && body.hash == 7 && calls == 4)
        #expect(views.proseUnits { [] }.count == 1)
    }

    /// Every view of a document asked in one order equals the view of a fresh document asked first.
    static func checkViews(_ documents: [Document]) {
        for d in documents {
            // Ask in an order different from the rules', then compare with fresh documents.
            let units = d.proseUnits()
            let body = d.normalizedBody
            let blocks = d.isHTMLFile ? d.htmlBlockRanges : []
            let decode = d.scalars
            let fresh = ScalarDecode(d.bytes, lineStarts: d.lineStarts, isValidUTF8: d.isValidUTF8)
            #expect(decode.cps == fresh.cps && decode.lineStarts == fresh.lineStarts, "\(d.path)")
            let other = Document(path: d.path, bytes: d.bytes)
            #expect(other.proseUnits().map(\.line) == units.map(\.line) && other.proseUnits().map(\.range) == units.map(\.range), "\(d.path)")
            #expect(BodyNormalizer.scalars(other) == body.scalars, "\(d.path)")
            #expect(normalizedBodyHash(body.scalars) == (body.hash, body.scalars.count), "\(d.path)")
            #expect(normalizedBodyHash(other) == normalizedBodyHash(body.scalars), "\(d.path)")
            if d.isHTMLFile {
                #expect(blocks == d.html.blockRanges(d.bytes), "\(d.path)")
                #expect(blocks == plainBlockRanges(d.html, d.bytes), "\(d.path)")
                #expect(d.html.textBlocks(d.bytes, blocks: blocks) == d.html.textBlocks(d.bytes), "\(d.path)")
                // A block's text found from a cursor (blocks in order, then backwards: the
                // bisection) is the text found by bisecting; so is each byte's token.
                var cursor = 0, offsetCursor = 0, walked: [UInt8] = [], bisected: [UInt8] = []
                for block in blocks + blocks.reversed() {
                    d.html.blockText(d.bytes, block.range, into: &walked, cursor: &cursor)
                    d.html.blockText(d.bytes, block.range, into: &bisected)
                    #expect(walked == bisected, "\(d.path) \(block.range)")
                }
                for offset in stride(from: 0, through: d.bytes.count, by: 7) {
                    #expect(d.html.tokenIndex(containing: offset, from: &offsetCursor) == d.html.tokenIndex(containing: offset), "\(d.path) \(offset)")
                }
                // The element of each start tag, by bisection, is what a dictionary of the starts gives.
                let structure = d.htmlElements
                var byStart: [Int: Int] = [:]
                for (i, element) in structure.elements.enumerated() { byStart[element.start] = i }
                #expect(d.html.tokens.indices.allSatisfy { structure.elementAtToken[$0] == byStart[$0] }, "\(d.path)")
                #expect(structure.elementAtToken[-1] == nil && structure.elementAtToken[d.html.tokens.count] == nil)
            }
        }
    }

    @Test func viewsEqualAFreshComputationOnTheFixtures() {
        Self.checkViews(Self.fixtureDocuments)
    }

    @Test(.enabled(if: ExternalTools.enabled(hasCorpus), "needs ../shared/corpora/agora-pen beside the package \(ExternalTools.requireNote)"))
    func viewsEqualAFreshComputationOnAgoraPen() throws {
        let documents = try Self.corpusDocuments()
        #expect(documents.count > 300)
        Self.checkViews(documents)
    }

    /// `blockRanges` as it was written before: each tag name copied, lower-cased and looked up in
    /// `blockElements` (a `Set`).
    static func plainBlockRanges(_ html: HTMLView, _ bytes: [UInt8]) -> [HTMLView.BlockRange] {
        var blocks: [HTMLView.BlockRange] = []
        var start = -1, end = -1
        var heading = false
        for token in html.tokens {
            switch token.kind {
            case .text, .characterReference:
                guard token.kind == .characterReference || bytes[token.range].contains(where: { $0 > 0x20 }) else { continue }
                if start < 0 { start = token.range.lowerBound }
                end = token.range.upperBound
            case .startTag, .endTag:
                let name = bytes[token.name].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                guard HTMLView.blockElements.contains(name) else { continue }
                if start >= 0 { blocks.append(HTMLView.BlockRange(range: start..<end, heading: heading)) }
                start = -1
                heading = token.kind == .startTag && name.count == 2 && name[0] == 0x68 && (0x32...0x36).contains(name[1])
            case .rawText, .doctype:
                if start >= 0 { blocks.append(HTMLView.BlockRange(range: start..<end, heading: heading)) }
                start = -1
            case .comment:
                continue
            }
        }
        if start >= 0 { blocks.append(HTMLView.BlockRange(range: start..<end, heading: heading)) }
        return blocks
    }

    @Test func blockElementsMatchedInPlaceAsTheSetDoes() {
        var random = SeededRandom(seed: 8)
        var names = HTMLView.blockElements.map { String(decoding: $0, as: UTF8.self) }
        // Near misses: a letter more or less, other tags, digits, non-ASCII, empty.
        names += ["", "a", "span", "h7", "h0", "divx", "di", "blockquot", "blockquotes", "figcaptions", "br/", "tabl", "p1", "ṗ", "段落", "headers"]
        for name in names {
            for _ in 0..<4 {
                // Random upper/lower case, with text around so the range does not start at 0.
                let cased = String(name.map { random.below(2) == 0 ? Character($0.uppercased()) : $0 })
                let bytes = Array("<\(cased)>".utf8)
                let range = 1..<(bytes.count - 1)
                let lowered = bytes[range].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                #expect(HTMLView.isBlockElement(bytes, range) == HTMLView.blockElements.contains(lowered), "\(cased)")
            }
        }
        let page = Array("<DIV>一</DIV><H2>標題</H2><h3>小</h3><Blockquote>引</BLOCKQUOTE><h7>x</h7><FigCaption>圖</figcaption><P>段</P>".utf8)
        let html = HTMLView(bytes: page, range: 0..<page.count)
        #expect(html.blockRanges(page) == Self.plainBlockRanges(html, page))
        #expect(html.blockRanges(page).filter(\.heading).count == 2)
    }

    @Test func bodyDecodeOnTheBufferIsUTF8ValidationDecode() {
        var random = SeededRandom(seed: 16)
        // Random bytes weighted toward UTF-8 lead and continuation bytes, and the fixtures' own bytes.
        let alphabet: [UInt8] = [0x41, 0x20, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE3, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        var samples: [[UInt8]] = (0..<300).map { _ in (0..<(1 + random.below(24))).map { _ in alphabet[random.below(alphabet.count)] } }
        samples += Self.fixtureDocuments.prefix(20).map(\.bytes)
        for bytes in samples {
            bytes.withUnsafeBufferPointer { buf in
                for end in Set([bytes.count, bytes.count / 2, max(0, bytes.count - 1)]) {
                    for i in 0..<end {
                        let fast = BodyNormalizer.decode(buf, at: i, end: end)
                        let plain = UTF8Validation.decode(bytes[..<end], at: i)
                        #expect(fast.scalar == plain.scalar && fast.length == plain.length, "\(bytes) at \(i) before \(end)")
                    }
                }
            }
        }
    }

    @Test func templateFolderPrefilterKeepsEveryTemplatePath() throws {
        let folders = ["_includes", "_layouts", "layouts", "partials", "_partials", "templates"]
        func plain(_ path: String) -> Bool {
            path.split(separator: "/").dropLast().contains { folders.contains(String($0)) }
        }
        var paths = ["site/_includes/header.html", "_layouts/post.html", "a/layouts/b/c.html", "partials/x.htm", "x/_partials/y.html",
                     "templates/a.html", "a/templates", "layouts.html", "my-layouts/a.html", "Layouts/a.html", "文章/templates/頁.html",
                     "a/lay outs/b.html", "a/layouts\u{301}/b.html", "a/_includes/", "", "/", "post.html", "2024/新闻/文章.html"]
        paths += Self.fixtureDocuments.map(\.path)
        if Self.hasCorpus { paths += try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).map { Self.corpus.path + "/" + $0 } }
        var kept = 0
        for path in paths {
            if plain(path) { #expect(Document.mayNameTemplateFolder(path), "\(path)"); kept += 1 }
            #expect(Document(path: path, text: "<p>x</p>").isSiteTemplate == plain(path), "\(path)")
        }
        #expect(kept >= 7)
    }

    /// The prefilter looks behind each `/` only: generated paths of folder names, near misses, `/`,
    /// combining marks and Chinese, each one a template path by the split keeps (and one it does not
    /// is often kept too: the prefilter may pass a path, never drop one).
    @Test func templateFolderPrefilterKeepsEveryGeneratedTemplatePath() {
        let folders = ["_includes", "_layouts", "layouts", "partials", "_partials", "templates"]
        let pieces = folders + ["/", "/", "s", "layout", "artials", "emplates", "includes", "_", "\u{301}", "\u{338}", "文章", "a", ".html", "s/"]
        var random = SeededRandom(seed: 61)
        var kept = 0
        for _ in 0..<4_000 {
            var path = ""
            for _ in 0..<(1 + random.below(8)) { path += random.pick(pieces) }
            let plain = path.split(separator: "/").dropLast().contains { folders.contains(String($0)) }
            if plain { #expect(Document.mayNameTemplateFolder(path), "\(path)"); kept += 1 }
            #expect(Document(path: path, text: "<p>x</p>").isSiteTemplate == plain, "\(path)")
        }
        #expect(kept > 80)
    }

    /// `PathName.lastIndex(of:in:)` (eight bytes a step from the end) finds what a byte walk from
    /// the end finds, at every length around the word size and every place of the byte.
    @Test func lastByteIndexMatchesTheWalkFromTheEnd() {
        var random = SeededRandom(seed: 62)
        for _ in 0..<3_000 {
            let bytes = (0..<random.below(40)).map { _ in random.pick([0x2F, 0x2E, 0x61, 0xE6, 0x96, 0x87, 0x00, 0xFF] as [UInt8]) }
            for byte in [0x2F, 0x2E, 0x00] as [UInt8] {
                let walk = bytes.indices.reversed().first { bytes[$0] == byte }
                #expect(bytes.withUnsafeBufferPointer { PathName.lastIndex(of: byte, in: $0) } == walk, "\(bytes)")
            }
        }
    }

    /// `TextFlavor.asciiFlavor(ofExtension:)` (folded bytes as one word) answers as the lower-cased
    /// `String` compared with each name, for every ASCII extension generated around the names (case,
    /// length eight and nine, a name with a byte more or less) and leaves every other one to it.
    @Test func asciiExtensionFlavorMatchesTheLowercasedString() {
        let pieces = ["m", "M", "d", "D", "k", "x", "X", "own", "OWN", "ark", "arkdown", "markdown", "MarkDown", "n", ".", "\u{212A}", "é", "md"]
        var random = SeededRandom(seed: 63)
        var markdown = 0, fellBack = 0
        for _ in 0..<5_000 {
            var ext = ""
            for _ in 0..<random.below(4) { ext += random.pick(pieces) }
            let plain = TextFlavor.flavor(ofExtension: ext[...])
            if let fast = TextFlavor.asciiFlavor(ofExtension: ext[...]) {
                #expect(fast == plain, "\(ext)")
                if fast == .markdown { markdown += 1 }
            } else {
                #expect(ext.utf8.contains { $0 >= 0x80 }, "\(ext)")
                fellBack += 1
            }
            let path = "dir/a." + ext
            if !Document.isHTMLPath(path) { #expect(TextFlavor(path: path) == TextFlavor.flavor(ofExtension: TextFlavor.pathExtension(path)), "\(ext)") }
        }
        #expect(markdown > 200 && fellBack > 200)
    }

    /// `TextFlavor.asciiFlavor(ofPath:)` (the extension cut on the path's bytes) answers as the
    /// extension cut as substrings (`pathExtension`) and looked up (`flavor(ofExtension:)`), and
    /// leaves the unusual names (no dot, a leading dot, a trailing slash, non-ASCII) to them.
    @Test func pathFlavorMatchesTheSubstringExtension() {
        // File names under a directory, as the file system gives them (Foundation's `pathExtension`
        // traps on some strings no file system path is, such as `é//`).
        let directories = ["", "dir/", "/abs/a.md/", "新闻/", "x/y.z/"]
        let pieces = [".", "md", "MD", "Markdown", "mdx", "txt", "a", "文", "新闻", "\u{212A}", "é", "..", "x.md", "html", "-"]
        var random = SeededRandom(seed: 44_20)
        var answered = 0, leftToStrings = 0, markdown = 0
        for _ in 0..<6_000 {
            let name = (0..<random.below(6)).map { _ in random.pick(pieces) }.joined()
            let path = name.isEmpty ? "dir/" : random.pick(directories) + name
            let plain = TextFlavor.flavor(ofExtension: TextFlavor.pathExtension(path))
            if let fast = TextFlavor.asciiFlavor(ofPath: path) {
                #expect(fast == plain, "\(path)")
                answered += 1
                if fast == .markdown { markdown += 1 }
            } else {
                leftToStrings += 1
            }
            if !Document.isHTMLPath(path) { #expect(TextFlavor(path: path) == plain, "\(path)") }
        }
        #expect(answered > 1_000 && leftToStrings > 1_000 && markdown > 200, "\(answered) \(leftToStrings) \(markdown)")
    }

    @Test func lineHashSetInsertsAsASet() {
        var random = SeededRandom(seed: 52)
        for round in 0..<200 {
            var fast = LineHashSet(capacity: round % 3 == 0 ? 1 : 64)
            var plain = Set<UInt64>()
            // Few distinct values (many repeats), 0 and values equal in their low bits (slots come from a mix of the whole value, so these spread).
            let distinct = 1 + random.below(round < 100 ? 40 : 5000)
            for _ in 0..<random.below(3000) {
                let pick = UInt64(random.below(distinct))
                let hash = pick == 0 ? 0 : (round % 2 == 0 ? mix64(pick) : pick << 40)
                #expect(fast.insert(hash) == plain.insert(hash).inserted)
            }
            #expect(fast.count == plain.count)
        }
    }

    @Test func lineHashCountsCountAsADictionary() {
        var random = SeededRandom(seed: 53)
        for round in 0..<200 {
            var fast = LineHashCounts(capacity: round % 3 == 0 ? 1 : 64)
            var plain: [UInt64: Int] = [:]
            let distinct = 1 + random.below(round < 100 ? 40 : 5000)
            for key in Self.countedKeys(round: round, distinct: distinct, random: &random) {
                fast.add(key)
                plain[key, default: 0] += 1
            }
            for pick in 0..<UInt64(distinct + 3) {
                let key = round % 2 == 0 ? mix64(pick) : pick << 40
                #expect(fast.count(key) == plain[key] ?? 0)
            }
            var listed: [UInt64: Int] = [:]
            fast.forEach { key, n in
                #expect(listed[key] == nil)
                listed[key] = n
            }
            #expect(listed == plain)
        }
    }

    /// Keys to count: few distinct ones (many repeats), 0, .max and keys equal in their low bits
    /// (slots come from a mix of the whole key, so these spread).
    private static func countedKeys(round: Int, distinct: Int, random: inout SeededRandom) -> [UInt64] {
        (0..<random.below(3000)).map { _ in
            let pick = UInt64(random.below(distinct))
            return pick == 1 ? .max : pick == 0 ? 0 : (round % 2 == 0 ? mix64(pick) : pick << 40)
        }
    }

    /// The first reduce pass may only overcount: a key whose bound is below the threshold must truly
    /// be below it, however small the table (the smallest here forces every key to share slots).
    @Test func lineCountBoundsNeverUndercount() {
        var random = SeededRandom(seed: 54)
        for round in 0..<200 {
            var bounds = LineCountBounds(files: random.below(200), perFile: 1 + random.below(16), minSlots: round % 4 == 0 ? 1 : 64, maxSlots: 1 << 12)
            var plain: [UInt64: Int] = [:]
            for key in Self.countedKeys(round: round, distinct: 1 + random.below(round < 100 ? 40 : 5000), random: &random) {
                bounds.add(key)
                plain[key, default: 0] += 1
            }
            for (key, n) in plain { #expect(bounds.bound(key) >= n) }
            let most = plain.values.max() ?? 0
            if most > 0 { #expect(bounds.anyReaches(most)) }
            #expect(!bounds.anyReaches(plain.values.reduce(0, +) + 1))
        }
    }

    @Test func tagInfoByPackedNameIsTheDictionarys() {
        let tables = TagTables.shared
        func same(_ a: TagInfo, _ b: TagInfo) -> Bool {
            a.flags == b.flags && a.searchIndex == b.searchIndex && a.sibling == b.sibling && a.endBoundaries == b.endBoundaries
        }
        var names = Array(tables.info.keys)
        names += names.map { $0.uppercased() } + names.map { $0 + "x" } + names.map { String($0.dropLast()) }
        names += ["", "span", "custom-element", "abcdefgh", "abcdefghi", "a\u{0}", "\u{0}", "p\u{0}", "dív", "段", "k\u{212A}", "h7", "svg", "math"]
        var random = SeededRandom(seed: 61)
        let letters = Array("abdehilmnoprstuv1-".utf8)
        for _ in 0..<5000 { names.append(String(decoding: (0..<(1 + random.below(10))).map { _ in letters[random.below(letters.count)] }, as: UTF8.self)) }
        for name in names {
            #expect(same(tables.info(of: name), tables.info[name] ?? tables.unknown), "\(name)")
        }
    }

    @Test func fileNamesFoundByByteLoopAsByLastIndex() {
        let paths = ["", "/", "a", "a/", "/a", "dir/file.md", "/work/shared/corpora/agora-pen/2024-11-01-AJ-乌克兰再次喊话盟友.html",
                     "目錄/子目錄/文章.md", "no-slash-中文.htm", "a.b/c", ".hidden", "x/.md", "trailing/中/", "\u{10FF80}/名.md"]
        for path in paths {
            let bridged = String(NSString(string: path))
            for s in [path, bridged] {
                #expect(PathName.lastUTF8Index(of: 0x2F, in: s[...]) == s.utf8.lastIndex(of: 0x2F), "\(s)")
                #expect(PathName.lastUTF8Index(of: 0x2E, in: s[...]) == s.utf8.lastIndex(of: 0x2E), "\(s)")
                let name = PathName.fileName(s)
                #expect(PathName.lastUTF8Index(of: 0x2E, in: name) == name.utf8.lastIndex(of: 0x2E), "\(s)")
                let plain = s.utf8.lastIndex(of: 0x2F).map { s[s.utf8.index(after: $0)...] } ?? s[...]
                #expect(name == plain && name.startIndex == plain.startIndex, "\(s)")
            }
        }
    }
}
