import Foundation
import Testing
@testable import NewsLintCore

/// The YAML parser's shortcut for `key: plain value` lines (`simpleLines`) makes exactly the
/// entries and problems the general path makes, on the shapes around its edges (what ends a
/// value, what makes a line not simple) and on every front matter of the seeds.
@Suite struct YAMLSimpleLinesTests {
    /// Entries and problems of the YAML lines `1...count` of `bytes`, one way or the other.
    /// `droppingLast`: the range ends that many lines before the text does (a block's last key
    /// line followed by lines outside it, which must not continue its value).
    private func parsed(_ bytes: [UInt8], simpleLines: Bool, droppingLast: Int = 0) -> (entries: [String], problems: [String]) {
        let lines = LineReader(bytes: bytes, lineStarts: Document.computeLineStarts(bytes))
        guard lines.count > droppingLast else { return ([], []) }
        var entries: [FrontMatterEntry] = []
        var problems: [FrontMatterProblem] = []
        var keysAreASCII = true
        YAMLSubset.parse(lines: lines, range: 1...(lines.count - droppingLast), entries: &entries, problems: &problems,
                         keysAreASCII: &keysAreASCII, simpleLines: simpleLines)
        let shownEntries = entries.map { e in
            "\(e.key)|\(e.line):\(e.column)|\(e.value)|\(String(describing: e.valueRange))|\(e.entryRange)"
        }
        return (shownEntries + ["keysAreASCII=\(keysAreASCII)"], problems.map { "\($0.line):\($0.column) \($0.message)" })
    }

    private func expectSameBothWays(_ bytes: [UInt8], _ comment: Comment) {
        for dropped in [0, 1] {
            let fast = parsed(bytes, simpleLines: true, droppingLast: dropped)
            let general = parsed(bytes, simpleLines: false, droppingLast: dropped)
            #expect(fast.entries == general.entries, comment)
            #expect(fast.problems == general.problems, comment)
        }
    }

    @Test(arguments: [
        "title: 美國10月製造業活動\ndate: 2024-11-01 23:21:01.000000000 +08:00\nlink: https://news.rthk.hk/a.htm\ncategories: rthk\n",
        "a: b  \t\nc: d\t\n", "a: b\r\nc: d\r\n", "a: b\rc: d\n", "a: b\r", "a: b\nc: d",
        "a: b\n  c\nd: e\n", "a: b\n\n  c\nd: e\n", "a: b\n\nd: e\n", "a: b\n\n", "a: b\n   \nd: e\n", "a: b\r\n\r\nd: e\r\n",
        "a: b\n\tc: d\n", "a: b\n#c\nd: e\n", "a: b\n- item\n", "a: b\n...\n", "a: b\n---\n",
        "a: b # comment\n", "a: b#c\n", "a: x: y\n", "a: x:y\n", "a: http://x.y/z?q=1\n", "a: 23:21:01\n", "a:\tb\n",
        "a:b\n", "a: 'q'\n", "a: \"q\"\n", "a: [1, 2]\n", "a: {x: 1}\n", "a: |\n  text\n", "a: >\n  t\n",
        "a: &x v\n", "a: !!str v\n", "a: @x\n", "a: `x\n", "a: -1\n", "a: - x\n", "a: %x\n", "a: *x\n",
        "-a: b\n", "- a\n", "a.b: c\n", "a-b_c: d\n", "Key1: v\n", "_k: v\n", "a :b\n", "a : b\n", "\"a\": b\n",
        "a:  \n", "a:\n  - x\n", "tags:\n  - a\n  - b\n", "a: b\n  - x\n", "  a: b\n  c: d\n", "a: b\n  c: d\ne: f\n",
        "a: b\nc: d\na: e\n", "t\u{E9}: v\n", "a: \u{3000}x\n", "a: 中文 \n", "a: x\u{3000}\n",
        "a: b\n  c", "a: b\n  c\n", "a: b\n\n", "a: b\r\n  c\r\n",
    ])
    func simpleLinesParseAsTheGeneralPathDoes(_ text: String) {
        expectSameBothWays(Array(text.utf8), "\(text.debugDescription)")
    }

    @Test func invalidUTF8InAValueIsRepairedTheSameWay() {
        let cases: [[UInt8]] = [
            Array("a: ".utf8) + [0xFF, 0xFE] + Array("\nb: c\n".utf8),
            Array("a: x".utf8) + [0xE4, 0xB8] + Array("\n".utf8),
            Array("a".utf8) + [0xC3] + Array(": v\n".utf8),
        ]
        for bytes in cases { expectSameBothWays(bytes, "\(bytes)") }
    }

    /// Entries (as `parsed` shows them), problems and the common keys' first entries, with the
    /// shortcut or without it: the shortcut notes each key's id as it appends the entry.
    /// `keptAsBytes`: how many values the shortcut kept as document bytes (only it does).
    private func parsedWithSlots(_ bytes: [UInt8], simpleLines: Bool) -> (entries: [String], problems: [String], slots: [String], keptAsBytes: Int) {
        let lines = LineReader(bytes: bytes, lineStarts: Document.computeLineStarts(bytes))
        guard lines.count > 0 else { return ([], [], [], 0) }
        var entries: [FrontMatterEntry] = []
        var problems: [FrontMatterProblem] = []
        var keysAreASCII = true
        var noted = CommonKeySlots()
        YAMLSubset.parse(lines: lines, range: 1...lines.count, entries: &entries, problems: &problems, keysAreASCII: &keysAreASCII,
                         commonFirst: &noted, simpleLines: simpleLines)
        let fromStrings = CommonKeySlots(entries)
        let table = YAMLSubset.commonKeyTable
        let slots = (0..<table.count).map { id in "\(table.key(id: id))=\(String(describing: noted.first(id)))/\(String(describing: fromStrings.first(id)))" }
            + ["provesNoDuplicate=\(noted.provesNoDuplicate)/\(fromStrings.provesNoDuplicate)"]
        let shownEntries = entries.map { e in
            "\(e.key)|\(e.line):\(e.column)|\(e.value)|\(String(describing: e.valueRange))|\(e.entryRange)"
        }
        return (shownEntries + ["keysAreASCII=\(keysAreASCII)"], problems.map { "\($0.line):\($0.column) \($0.message)" }, slots,
                entries.filter(\.keepsScalarAsBytes).count)
    }

    /// Seeded front matter of common and other keys, repeated keys, values the shortcut takes and
    /// values it leaves to the general path, continuation lines, CRLF and invalid bytes: the
    /// shortcut's entries, problems and noted first entries are the general path's, and the noted
    /// first entries are those the keys' strings give (`CommonKeySlots(entries)`).
    @Test func generatedFrontMatterNotesTheSameKeysBothWays() {
        var random = SeededRandom(seed: 0x5EED_F00D)
        let keys = YAMLSubset.commonKeys + ["x", "Title", "a.b", "_k", "k-1", "t\u{E9}", "中文", "\"q\"", "descriptions"]
        let separators = [": ", ":\t", ":   ", ":", " : ", ": \t "]
        let values: [[UInt8]] = ["v", "中文標題 ", "2024-11-01 23:21:01 +08:00", "http://x.y/z?q=1#f", "a: b", "#c", "'q'", "\"d\"", "",
                                 "x # c", "[1, 2]", "|", ">", "&a v", "-1", "x\u{3000}", "https://news.rthk.hk/a.htm"].map { Array($0.utf8) }
            + [[0xFF, 0xFE], Array("x".utf8) + [0xE4, 0xB8], [0xC0, 0xAF, 0x41]]
        let continuations = ["  more", "", "- item", "  - item", "\tx", "# note", "   "]
        var shortcutEntries = 0
        for _ in 0..<400 {
            var text: [UInt8] = []
            let newline: [UInt8] = random.chance(0.2) ? [0x0D, 0x0A] : [0x0A]
            for _ in 0..<(1 + random.below(9)) {
                text += Array(random.pick(keys).utf8) + Array(random.pick(separators).utf8) + random.pick(values) + newline
                if random.chance(0.15) { text += Array(random.pick(continuations).utf8) + newline }
            }
            if random.chance(0.2) { text.removeLast(newline.count) }
            let fast = parsedWithSlots(text, simpleLines: true)
            let general = parsedWithSlots(text, simpleLines: false)
            #expect(fast.entries == general.entries, "\(text)")
            #expect(fast.problems == general.problems, "\(text)")
            #expect(fast.slots == general.slots, "\(text)")
            for slot in fast.slots {
                let pair = slot.split(separator: "=", maxSplits: 1).last.map { $0.split(separator: "/") } ?? []
                #expect(pair.count == 2 && pair[0] == pair[1], "\(slot) in \(text)")
            }
            shortcutEntries += fast.keptAsBytes
        }
        #expect(shortcutEntries > 300, "the generated blocks reach the shortcut")
    }

    /// Compares the YAML front matter of every file under `directory`; returns how many it compared.
    private func compareFrontMatter(under directory: URL) throws -> Int {
        var compared = 0
        let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard ["md", "html", "txt", "markdown"].contains(url.pathExtension) else { continue }
            let bytes = [UInt8](try Data(contentsOf: url))
            let document = Document(path: url.lastPathComponent, bytes: bytes)
            guard let fm = document.frontMatter, fm.format == .yaml, let close = fm.closeLine, close > fm.openLine + 1 else { continue }
            let inner = Array(bytes[document.lineStarts[fm.openLine]..<document.lineStarts[close - 1]])
            expectSameBothWays(inner, "\(url.path)")
            compared += 1
        }
        return compared
    }

    @Test func seedAndFixtureFrontMatterParsesTheSameWay() throws {
        #expect(try compareFrontMatter(under: PackagePaths.seeds) >= 2)
        #expect(try compareFrontMatter(under: PackagePaths.fixtures) > 20)
    }

    static let agora = ExternalTools.shared.appendingPathComponent("corpora/agora-pen")

    @Test(.enabled(if: ExternalTools.enabled(FileManager.default.fileExists(atPath: agora.path)),
                   "needs ../shared/corpora/agora-pen beside the package \(ExternalTools.requireNote)"))
    func realCorpusFrontMatterParsesTheSameWay() throws {
        #expect(try compareFrontMatter(under: Self.agora) > 7000)
    }
}
