import Foundation
import Testing
@testable import NewsLintCore

/// `HTMLView` keeps its tokens, attributes and code flags behind one reference (`HTMLView.Arrays`),
/// and the walks over them hold the tokens once: on seeded Markdown and HTML inputs (broken tags,
/// unterminated quotes and comments, code elements, malformed UTF-8), the document's shared view, read
/// several times, is the view the tokenizer's plain byte-by-byte path makes, every copy shares one
/// set of arrays, and the lookups and walks that now hold the tokens answer as plain walks do.
@Suite struct HTMLViewArraysTests {
    /// Pieces the tokenizer tells apart, including bytes that are not UTF-8.
    static let pieces: [[UInt8]] = [
        "<p>", "</p>", "<div class=\"a b\">", "</div>", "<pre>", "</pre>", "<code>", "</code>", "<kbd>", "</kbd>", "<samp>",
        "<br/>", "<img src=a.png alt='x'>", "<a href=x title = \"t\">", "</a>", "<h2>", "</h2>", "<script>", "</script>",
        "<title>", "</title>", "<!-- c -->", "<!--", "<!DOCTYPE html>", "<", ">", "</", "<a href=\"", "'", "\"", "=",
        "&amp;", "&#20013;", "&nbsp", "&", "新聞", "正文，", "text", " ", "\n", "\r\n", "\t", "# 标题\n", "```\n",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF0, 0x9F, 0x98]]

    static func inputs(seed: UInt64, count: Int) -> [(path: String, bytes: [UInt8])] {
        var rng = SeededRandom(seed: seed)
        var out: [(path: String, bytes: [UInt8])] = []
        for k in 0..<count {
            var bytes: [UInt8] = rng.chance(0.3) ? Array("---\ntitle: 标题\n---\n".utf8) : []
            for _ in 0..<(1 + rng.below(40)) { bytes += rng.pick(pieces) }
            out.append((k % 2 == 0 ? "f\(k).html" : "f\(k).md", bytes))
        }
        return out
    }

    @Test(arguments: [UInt64(39_001), 39_002])
    func sharedViewIsThePlainTokenizersView(seed: UInt64) {
        var sawCode = 0
        for input in Self.inputs(seed: seed, count: 1_500) {
            let document = Document(path: input.path, bytes: input.bytes)
            let reference = HTMLView(bytes: input.bytes, range: document.bodyStart..<input.bytes.count, skipsText: false)
            // The code flags as a plain walk over every token gives them.
            var depth = 0
            let plainInCode = reference.tokens.map { token -> Bool in
                if token.kind == .startTag || token.kind == .endTag, !token.selfClosing,
                   ["pre", "code", "kbd", "samp"].contains(reference.tagName(token, in: input.bytes)) {
                    depth = token.kind == .startTag ? depth + 1 : max(0, depth - 1)
                }
                return depth > 0
            }
            let first = document.html, second = document.html
            for view in [first, second, document.html] {
                #expect(view.tokens == reference.tokens, "\(input.bytes)")
                #expect(view.attributes == reference.attributes, "\(input.bytes)")
                #expect(view.inCode == plainInCode, "\(input.bytes)")
                #expect(view.tokens.indices.map { view.isInCode(token: $0) } == plainInCode, "\(input.bytes)")
                #expect(view.range == reference.range && view.endsInsideMarkup == reference.endsInsideMarkup, "\(input.bytes)")
            }
            // One set of arrays, handed to every asker: a copy retains it, not each array.
            #expect(first.arrays === second.arrays)
            if plainInCode.contains(true) { sawCode += 1 }
        }
        // The inputs reach the code flags (a view without them answers every `inCode` false).
        #expect(sawCode > 100)
    }

    /// The lookups that hold the tokens once (`tokenIndex(containing:)`, its cursor walk, the block
    /// split and text, the element walk) against plain walks over the reference view's tokens.
    @Test(arguments: [UInt64(39_003)])
    func walksOverTheHeldTokensAnswerAsPlainWalks(seed: UInt64) {
        for input in Self.inputs(seed: seed, count: 800) {
            let bytes = input.bytes
            let document = Document(path: input.path, bytes: bytes)
            let view = document.html
            let reference = HTMLView(bytes: bytes, range: document.bodyStart..<bytes.count, skipsText: false)
            let tokens = reference.tokens
            var cursor = 0
            for offset in 0...bytes.count {
                let plain = tokens.firstIndex { $0.range.contains(offset) }
                #expect(view.tokenIndex(containing: offset) == plain, "\(offset) \(bytes)")
                #expect(view.tokenIndex(containing: offset, from: &cursor) == plain, "\(offset) \(bytes)")
            }
            let blocks = view.blockRanges(bytes)
            #expect(blocks == reference.blockRanges(bytes), "\(bytes)")
            var walked = 0
            var text: [UInt8] = []
            for block in blocks {
                view.blockText(bytes, block.range, into: &text, cursor: &walked)
                var plain: [UInt8] = []
                for t in tokens where t.range.lowerBound < block.range.upperBound && t.range.upperBound > block.range.lowerBound {
                    if t.kind == .text { plain += bytes[t.range] } else if t.kind == .characterReference { plain.append(0x20) }
                }
                plain = plain.map { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 ? 0x20 : $0 }
                while plain.last == 0x20 { plain.removeLast() }
                #expect(text == plain, "\(block) \(bytes)")
            }
            let shared = document.htmlElements, plain = HTMLElements(reference, bytes: bytes)
            #expect(shared.elements.map { [$0.start, $0.end ?? -1, $0.parent ?? -1] } == plain.elements.map { [$0.start, $0.end ?? -1, $0.parent ?? -1] }, "\(bytes)")
            #expect(shared.problems.count == plain.problems.count, "\(bytes)")
        }
    }
}
