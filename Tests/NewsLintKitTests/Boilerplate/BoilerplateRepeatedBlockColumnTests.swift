import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// A scraped page often holds its whole article on one line (cn.nytimes.com in agora-pen): a
/// repeated text block there is reported at its own column, with a message that says it is a
/// block, so the code frame shows the repeated text instead of the line's start.
@Suite struct BoilerplateRepeatedBlockColumnTests {
    static let rule = "boilerplate-repeated"

    /// One-line article: byline, date, a paragraph of its own, then the site's repeated block.
    static func oneLinePage(_ i: Int) -> String {
        "---\ntitle: 第\(i)篇\nlink: https://cn.example.com/a/\(i)\n---\n"
            + "<address>記者\(i)號</address><p>第\(i)篇文章的正文內容各不相同，講述第\(i)件事。</p><p>点击查看本文英文版，欢迎订阅每日电邮。</p>\n"
    }

    @Test func aBlockSharingItsLineIsReportedAtItsColumn() throws {
        let files = (0..<6).map { ("p\($0).html", Self.oneLinePage($0)) }
        let found = try RuleHarness.diagnostics(rule: Self.rule, files: files)
        try #require(found.count == 6)
        for d in found {
            let page = try #require(files.first { $0.0 == d.path }?.1)
            let line = page.split(separator: "\n", omittingEmptySubsequences: false)[d.line - 1]
            // Columns count Unicode scalars, not characters.
            let scalars = line.unicodeScalars
            let expected = scalars.distance(from: scalars.startIndex, to: try #require(line.range(of: "点击查看")).lowerBound) + 1
            #expect(d.line == 5)
            #expect(d.column == expected, "\(d.path): column \(d.column), the block starts at \(expected)")
            #expect(d.message.hasPrefix("text block repeated in 6 of 6 files of site 'cn.example.com'"))
        }
    }

    /// A block alone on its line stays a line finding at column 1 (what `newslint learn` can learn).
    @Test func aBlockAloneOnItsLineStaysALineFinding() throws {
        let files = (0..<6).map { i in
            ("q\(i).html", "---\ntitle: 第\(i)篇\nlink: https://cn.example.com/b/\(i)\n---\n<p>第\(i)篇文章的正文內容各不相同。</p>\n<p>点击查看本文英文版，欢迎订阅每日电邮。</p>\n")
        }
        let found = try RuleHarness.diagnostics(rule: Self.rule, files: files)
        try #require(found.count == 6)
        #expect(found.allSatisfy { $0.line == 6 && $0.column == 1 && $0.message.hasPrefix("line repeated in 6 of 6 files") })
    }

    /// A block that starts where a multi-line block ends shares that line too.
    @Test func aBlockAfterAMultiLineBlockOnItsLastLineIsABlockFinding() throws {
        let files = (0..<6).map { i in
            ("m\(i).html", "---\ntitle: 第\(i)篇\nlink: https://cn.example.com/c/\(i)\n---\n<p>第\(i)篇文章的正文，\n各不相同的第\(i)件事。</p><p>点击查看本文英文版，欢迎订阅每日电邮。</p>\n")
        }
        let found = try RuleHarness.diagnostics(rule: Self.rule, files: files)
        try #require(found.count == 6)
        #expect(found.allSatisfy { $0.line == 6 && $0.column > 1 && $0.message.hasPrefix("text block repeated in 6 of 6 files") })
    }

    /// Columns survive both fact encodings; facts without them (earlier builds) still read.
    @Test func columnsRoundTrip() throws {
        let fact = BoilerplateRepeatedRule.Fact(group: "host:cn.example.com", hashes: [1, 2, 3], lines: [5, 5, 9], columns: [0: 3, 1: 40])
        #expect(fact.blockColumns == [0: 3, 1: 40])
        let json = try JSONEncoder().encode(fact)
        let back = try JSONDecoder().decode(BoilerplateRepeatedRule.Fact.self, from: json)
        #expect(back.blockColumns == [0: 3, 1: 40] && back.lines == [5, 5, 9])
        var writer = FactRecordWriter()
        fact.write(to: &writer)
        let record = try writer.bytes.withUnsafeBytes { raw in
            var reader = FactRecordReader(raw)
            return try BoilerplateRepeatedRule.Fact(record: &reader)
        }
        #expect(record.blockColumns == [0: 3, 1: 40] && record.hashes == [1, 2, 3])
        let old = Data(#"{"group":"corpus","hashes":[7],"lines":[2]}"#.utf8)
        #expect(try JSONDecoder().decode(BoilerplateRepeatedRule.Fact.self, from: old).blockColumns.isEmpty)
        let bad = Data(#"{"group":"corpus","hashes":[7],"lines":[2],"columns":[1,4]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BoilerplateRepeatedRule.Fact.self, from: bad) }
    }
}
