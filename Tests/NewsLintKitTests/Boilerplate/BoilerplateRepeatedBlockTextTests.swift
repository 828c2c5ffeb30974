import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `boilerplate-repeated` makes each HTML block's text in one reused buffer (`HTMLView.blockText`):
/// the same bytes as `HTMLView.textBlocks`, whatever the buffer held before.
@Suite struct BoilerplateRepeatedBlockTextTests {
    @Test func blockTextMatchesTextBlocks() throws {
        let pages = [
            "---\ntitle: t\n---\n<div><p>第一段&nbsp;文字\n續行\t</p><h3>小標題</h3><p>更新於 2024-11-01 10:00 &#20013;</p>\n<ul><li>a</li> <li>b &amp; c  </li></ul></div>",
            "<html><head><title>x</title><script>var a = '<p>';</script></head><body><p>版權所有 © 2024</p><br>尾巴 \r\n</body></html>",
            "<p>&amp;</p><p>   </p><p>x<!-- c -->y</p>",
        ]
        var checked = 0
        for page in pages {
            let document = Document(path: "a.html", text: page)
            let view = document.html
            let expected = view.textBlocks(document.bytes)
            let ranges = view.blockRanges(document.bytes)
            try #require(expected.count == ranges.count)
            var text: [UInt8] = [0x41, 0x42]
            for (block, range) in zip(expected, ranges) {
                view.blockText(document.bytes, range.range, into: &text)
                #expect(text == block.text, "\(page) \(range)")
                checked += 1
            }
        }
        #expect(checked >= 6)
    }
}
