import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite struct FrontMatterParserTests {
    @Test func parsesSeedFrontMatter() throws {
        let bytes = [UInt8](try Data(contentsOf: PackagePaths.seeds.appendingPathComponent("000_dbf1c70d60598d2e.txt")))
        let doc = Document(path: "000.txt", bytes: bytes)
        let fm = try #require(doc.frontMatter)
        #expect(fm.format == .yaml)
        #expect(fm.closeLine == 13)
        #expect(doc.bodyStartLine == 14)
        #expect(fm.problems.isEmpty)
        #expect(fm.string("title") == "哈尔滨工程大学->机电工程学院召开2022年全面从严治党工作会议 | hrbeu.com.cn")
        #expect(fm.string("date") == "2022-03-16 01:21:43.354111")
        #expect(fm.entry("slug")?.line == 5)
        #expect(fm.entry("tags")?.value == .list(["哈尔滨工程大学"]))
        #expect(fm.entry("categories")?.value == .list(["hrbeu.com.cn", "哈尔滨工程大学"]))
        #expect(fm.string("authorbox") == "false")
    }

    @Test func scalarStylesAndEscapes() throws {
        let text = """
        ---
        a: "tab\\there \\u4e2d \\"q\\""
        b: 'it''s'
        c: plain value # comment
        d: [x, "y, z", 'w']
        e: |
          line one
          line two
        f: >
          folded
          text
        g:
        h: {k: v}
        ---
        body

        """
        let fm = try #require(Document(path: "t.md", text: text).frontMatter)
        #expect(fm.problems.isEmpty, "\(fm.problems.map(\.message))")
        #expect(fm.string("a") == "tab\there 中 \"q\"")
        #expect(fm.string("b") == "it's")
        #expect(fm.string("c") == "plain value")
        #expect(fm.entry("d")?.value == .list(["x", "y, z", "w"]))
        #expect(fm.string("e") == "line one\nline two")
        #expect(fm.string("f") == "folded text")
        #expect(fm.entry("g")?.value == .empty)
        #expect(fm.entry("h")?.value == .mapping)
        #expect(fm.bodyStartLine == 15)
    }

    @Test func sequencesAtKeyIndentAndDeeper() throws {
        let fm = try #require(Document(path: "t.md", text: "---\ntags:\n- a\n- b\ncats:\n  - \"c\"\n  - d\n---\n").frontMatter)
        #expect(fm.entry("tags")?.value == .list(["a", "b"]))
        #expect(fm.entry("cats")?.value == .list(["c", "d"]))
        #expect(fm.problems.isEmpty)
    }

    @Test func problemsHaveLines() throws {
        let fm = try #require(Document(path: "t.md", text: "---\ntitle: x\ntitle: y\n\tbad: 1\nkey: [unclosed\nno colon here\n---\n").frontMatter)
        let lines = fm.problems.map(\.line)
        #expect(lines == [3, 4, 5, 6], "\(fm.problems.map { "\($0.line): \($0.message)" })")
    }

    @Test func unterminatedBlockStopsAtBlankLine() throws {
        let doc = Document(path: "t.md", text: "---\ntitle: x\ndate: 2020-01-01\n\nBody text.\n")
        let fm = try #require(doc.frontMatter)
        #expect(fm.closeLine == nil)
        #expect(fm.entries.map(\.key) == ["title", "date"])
        #expect(doc.bodyStartLine == 4)
    }

    @Test func thematicBreakIsNotFrontMatter() {
        #expect(Document(path: "t.md", text: "---\n\nJust a rule above.\n").frontMatter == nil)
        #expect(Document(path: "t.md", text: "{not json front matter}\n").frontMatter == nil)
    }

    @Test func tomlAndJSONFrontMatter() throws {
        let toml = try #require(Document(path: "t.md", text: "+++\ntitle = \"标题\"\ndate = 2022-01-02\ntags = [\"a\", \"b\"]\n+++\nbody\n").frontMatter)
        #expect(toml.format == .toml)
        #expect(toml.string("title") == "标题")
        #expect(toml.entry("tags")?.value == .list(["a", "b"]))
        let json = try #require(Document(path: "t.md", text: "{\n  \"title\": \"标题\",\n  \"draft\": false\n}\nbody\n").frontMatter)
        #expect(json.format == .json)
        #expect(json.entry("title")?.line == 2)
        #expect(json.string("draft") == "false")
    }

    @Test func bomAndCRLF() throws {
        let doc = Document(path: "t.md", bytes: [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: x\r\n---\r\nbody\r\n".utf8))
        let fm = try #require(doc.frontMatter)
        #expect(fm.string("title") == "x")
        #expect(doc.bodyStartLine == 4)
    }
}

@Suite struct DocumentTests {
    @Test func positionsCountScalars() {
        let doc = Document(path: "t.md", text: "中文x\n第二行")
        #expect(doc.position(ofByte: 6) == SourcePosition(line: 1, column: 3))
        #expect(doc.position(ofByte: 7) == SourcePosition(line: 1, column: 4))
        #expect(doc.position(ofByte: 8) == SourcePosition(line: 2, column: 1))
        #expect(doc.byteOffset(line: 1, column: 3) == 6)
        #expect(doc.lineCount == 2)
        #expect(doc.lineText(2) == "第二行")
    }

    /// `lineText` is what `String(decoding:as:)` makes of the line's bytes, whether the document
    /// is known to be well-formed (copied unvalidated) or not (validated, invalid bytes repaired),
    /// with a byte-order mark, CRLF, astral scalars and a line of invalid bytes.
    @Test func lineTextDecodesAsTheStandardLibrary() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("第一行 😀\r\nascii\n\n".utf8) + [0x61, 0xE4, 0xB8, 0x80, 0xFF, 0xC3, 0x0A, 0xE4, 0xB8]
        let valid = Array(bytes.prefix(bytes.count - 9))
        for (input, checkFirst) in [(bytes, false), (bytes, true), (valid, false), (valid, true)] {
            let doc = Document(path: "t.md", bytes: input)
            if checkFirst { _ = doc.isValidUTF8 }
            for n in 1...doc.lineCount {
                let expected = String(decoding: doc.lineBytes(n), as: UTF8.self)
                #expect(Array(doc.lineText(n).utf8) == Array(expected.utf8), "line \(n)")
                #expect(Array(SourceText(bytes: input).lineText(n).utf8) == Array(expected.utf8), "line \(n)")
            }
        }
    }

    @Test func lineRangesExcludeTerminators() {
        let doc = Document(path: "t.md", text: "a\r\nbb\n\nc")
        #expect(doc.lineCount == 4)
        #expect(doc.contentRange(ofLine: 1) == 0..<1)
        #expect(doc.contentRange(ofLine: 2) == 3..<5)
        #expect(doc.contentRange(ofLine: 3) == 6..<6)
        #expect(doc.contentRange(ofLine: 4) == 7..<8)
        #expect(Document(path: "e", text: "").lineCount == 0)
    }

    @Test func fencedCodeMask() {
        let doc = Document(path: "t.md", text: "text\n```swift\ncode\n~~~\n```\nafter\n~~~~\nx\n")
        #expect((1...8).map { doc.isCode(line: $0) } == [false, true, true, true, true, false, true, true])
    }

    @Test func invalidUTF8IsKept() {
        let bytes: [UInt8] = Array("ab".utf8) + [0xFF, 0xC3] + Array("\n".utf8)
        let doc = Document(path: "t.md", bytes: bytes)
        #expect(!doc.isValidUTF8)
        #expect(doc.bytes == bytes)
        #expect(UTF8Validation.firstInvalidOffset(in: bytes) == 2)
        #expect(UTF8Validation.firstInvalidOffset(in: Array("中文".utf8)) == nil)
        #expect(UTF8Validation.firstInvalidOffset(in: [0xED, 0xA0, 0x80]) == 0) // surrogate
        #expect(UTF8Validation.firstInvalidOffset(in: [0xC0, 0x80]) == 0)       // overlong
    }
}

@Suite struct FrontMatterTimestampTests {
    @Test(arguments: ["2022-03-16", "2022-03-16 01:21:43.354111", "2022-03-16T01:21:43Z", "2022-03-16T01:21:43+08:00", "2024-02-29", "2022-03-16 01:21", "2022-03-16T01:21:43.5-0530"])
    func valid(_ s: String) { #expect(CalendarDate.timestamp(s.utf8) != nil) }

    @Test(arguments: ["2022-3-16", "2023-02-29", "2022-13-01", "2022-03-16T25:00", "16/03/2022", "2022年3月16日", "2022-03-16x", ""])
    func invalid(_ s: String) { #expect(CalendarDate.timestamp(s.utf8) == nil) }
}

@Suite struct TOMLFrontMatterTests {
    @Test func commentsMultiLineArraysAndStrings() throws {
        let text = "+++\ntitle = \"标题 # 不是注释\" # 注释\ntags = [\n  \"a\",\n  \"b\", # 注释\n]\nsummary = \"\"\"\n第一行\n第二行\"\"\"\nq = \"say \\\"hi\\\"\"\n[params]\nx = 1\n+++\nbody\n"
        let fm = try #require(Document(path: "t.md", text: text).frontMatter)
        #expect(fm.problems.isEmpty, "\(fm.problems.map { "\($0.line): \($0.message)" })")
        #expect(fm.string("title") == "标题 # 不是注释")
        #expect(fm.entry("tags")?.value == .list(["a", "b"]))
        #expect(fm.string("summary") == "第一行\n第二行")
        #expect(fm.string("q") == "say \"hi\"")
        #expect(fm.entry("x") == nil)
    }
}

@Suite struct CalendarDateTests {
    @Test func runningTextNeedsOneSeparatorAndAPlausibleYear() {
        #expect(CalendarDate.first(in: "日期:2024/6/14 來源".utf8)?.isoDay == "2024-06-14")
        #expect(CalendarDate.first(in: "2024-06/14".utf8) == nil)
        #expect(CalendarDate.first(in: "編號 3024-06-14".utf8) == nil)
        #expect(CalendarDate.first(in: "2024年2月30日".utf8) == nil)
        #expect(CalendarDate.first(in: "更新：2024年2月29日 09：05".utf8)?.isoDayAndTime == "2024-02-29 09:05")
        #expect(CalendarDate.first(in: "2024.06.14 08:30:15 报道".utf8)?.isoDayAndTime == "2024-06-14 08:30:15")
    }

    @Test func fileNamesAndLeadingValues() {
        #expect(CalendarDate.fileNamePrefix("_posts/2024-11-01-AJ-title.html")?.isoDay == "2024-11-01")
        #expect(CalendarDate.fileNamePrefix("_posts/2024-6-1-title.md") == nil)
        #expect(CalendarDate.fileNamePrefix("2024-11-01") != nil)
        #expect(CalendarDate.leading("2024-11-19 (updated)".utf8)?.isoDay == "2024-11-19")
        #expect(CalendarDate.leading("2024-11-19T11:15".utf8)?.isoDayAndTime == "2024-11-19 11:15")
        #expect(CalendarDate.timestamp("2024-11-19 (updated)".utf8) == nil)
    }
}
