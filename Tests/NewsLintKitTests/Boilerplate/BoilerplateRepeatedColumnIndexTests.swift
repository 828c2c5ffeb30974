import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `boilerplate-repeated` counts the column of a block on a line of several as the difference of
/// two scalar indices in the shared decode (`ScalarIndexCursor`, session 31) instead of
/// `Document.scalarCount` of the bytes between: both must give the same columns.
@Suite struct BoilerplateRepeatedColumnIndexTests {
    /// Pieces of one-byte to four-byte scalars, tags and line breaks.
    static let pieces = ["<p>", "</p>", "<span>", "</span>", "<br>", "\n", "a", " ", "7", "é", "ß", "中", "文", "，", "。",
                         "😀", "𠮷", "&amp;", "\r\n", "\r", "\u{FEFF}", "点击查看本文英文版，欢迎订阅每日电邮。", "第三段的正文内容各不相同", "Breaking news today"]

    /// A random HTML body, most of it on few lines so that blocks share them.
    static func page(_ rng: inout SeededRandom) -> [UInt8] {
        var text = "---\ntitle: t\n---\n"
        for _ in 0..<(5 + rng.below(60)) { text += rng.pick(pieces) }
        var bytes = Array(text.utf8)
        // One page in twenty ill-formed (a stray continuation byte): the decode is not shared then.
        if rng.below(20) == 0 { bytes.insert(0x80, at: 17 + rng.below(bytes.count - 17)) }
        return bytes
    }

    /// Every boundary offset asked in order gives an index whose differences are the plain count of
    /// scalar starts between; an offset inside a scalar gives nil.
    @Test func indexDifferencesAreScalarCounts() throws {
        var rng = SeededRandom(seed: 31_001)
        var asked = 0, inside = 0
        for _ in 0..<500 {
            let bytes = Self.page(&rng)
            let document = Document(path: "p.html", bytes: bytes)
            #expect(ScalarIndexCursor(document) == nil, "no decode made yet")
            _ = document.scalars
            guard var cursor = ScalarIndexCursor(document) else {
                #expect(String(validating: bytes, as: UTF8.self) == nil, "only an ill-formed file has no shared decode")
                continue
            }
            var last: (offset: Int, index: Int)?
            var offset = 0
            while offset <= bytes.count {
                let boundary = offset == bytes.count || bytes[offset] & 0xC0 != 0x80
                let k = cursor.index(ofByte: offset)
                if boundary {
                    let index = try #require(k, "offset \(offset)")
                    if let last { #expect(index - last.index == Document.scalarStarts(bytes, last.offset..<offset)) }
                    last = (offset, index)
                    asked += 1
                } else {
                    #expect(k == nil, "offset \(offset) is inside a scalar")
                    inside += 1
                }
                offset += 1 + rng.below(6)
            }
        }
        #expect(asked > 5_000 && inside > 500)
    }

    /// The facts (hashes, lines and block columns) of random one-line pages are the same whether the
    /// columns come from the shared decode or are counted on the bytes (no decode made).
    @Test func factsMatchTheCountedColumns() throws {
        let rule = try BoilerplateRepeatedRule(options: RuleOptions())
        var rng = SeededRandom(seed: 31_002)
        var columns = 0
        for _ in 0..<600 {
            let bytes = Self.page(&rng)
            let counted = Document(path: "p.html", bytes: bytes)
            let decoded = Document(path: "p.html", bytes: bytes)
            _ = decoded.scalars
            let plain = try #require(rule.collect(counted)), fast = try #require(rule.collect(decoded))
            #expect(counted.views.computedScalars == nil, "the counted path must not make the decode")
            #expect(plain.packed == fast.packed)
            #expect(plain.columns == fast.columns, "\(String(decoding: bytes, as: UTF8.self))")
            columns += plain.columns.count / 2
        }
        #expect(columns > 300)
    }
}
