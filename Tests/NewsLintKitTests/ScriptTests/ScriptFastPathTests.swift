import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// The script rules' fast paths (issue 16, session 7) against the plain forms they replaced: the
/// flag table against the data files read the simple way, on every scalar; the prose masks made
/// token by token or skipped by a byte prefilter against the scalar-by-scalar ones, on random text.
@Suite struct ScriptFastPathTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
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

    static func randomText(_ random: inout Generator, pieces count: Int) -> String {
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
        var random = Generator(state: 7)
        var documents: [Document] = []
        for name in ["aj.html", "cna-like.html", "dw.html", "no-front-matter.htm", "rfa-like.html", "rfa.html"] {
            let bytes = try [UInt8](Data(contentsOf: PackagePaths.fixtures.appendingPathComponent("html/\(name)")))
            documents.append(Document(path: name, bytes: bytes))
        }
        for k in 0..<400 { documents.append(Document(path: "r\(k).html", text: Self.randomText(&random, pieces: 1 + random.below(80)))) }
        var compared = 0
        for document in documents {
            for run in Self.runs(of: document) {
                var plain = [Bool](repeating: false, count: run.count)
                document.html.markHidden(offsets: run.offsets, count: run.count, into: &plain)
                var fast: [Bool]?
                document.html.markHiddenByToken(run, into: &fast)
                #expect((fast ?? [Bool](repeating: false, count: run.count)) == plain, "\(document.path)")
                #expect(fast == nil || fast?.contains(true) == true)
                compared += 1
            }
        }
        #expect(compared > 2000)
    }

    @Test func nonProseIfAnyEqualsNonProse() {
        var random = Generator(state: 11)
        var masked = 0
        for k in 0..<800 {
            let path = k % 2 == 0 ? "r\(k).md" : "r\(k).html"
            let document = Document(path: path, text: Self.randomText(&random, pieces: 1 + random.below(40)))
            for run in Self.runs(of: document) {
                let plain = ProseMask.nonProse(run, in: document)
                let fast = ProseMask.nonProseIfAny(run, in: document)
                #expect((0..<run.count).map { fast[$0] } == plain, "\(path)")
                #expect(fast.flags.isEmpty || fast.flags == plain)
                if !fast.flags.isEmpty { masked += 1 }
            }
        }
        #expect(masked > 100)
    }
}
