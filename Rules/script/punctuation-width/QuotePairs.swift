import NewsLintCore

/// ASCII double quotes around Chinese text (`德伊关系"处于历史最低点"`): Chinese typography
/// (GB/T 15834) writes `“…”`, and DW's Chinese pages hold hundreds of ASCII pairs a converter or an
/// editor's keyboard left. An ASCII `"` does not say whether it opens or closes, so pairs are
/// found by order inside one paragraph (`ParenthesisBlocks`: the text between block-level tags, or
/// a Markdown line), and only where the order is certain.
enum QuotePairs {
    /// A pair to report: the scalar indices of its opening and closing `"`, and whether turning
    /// them into `“` `”` is safe.
    struct Pair: Equatable {
        var open: Int
        var close: Int
        var safe: Bool
    }

    /// The pairs of `c` to report, from `kept`: the indices of the line's ASCII `"` that are text
    /// (not in a tag, attribute, URL, code span, Liquid tag, link destination or title; ascending).
    /// `edges`: the scalar indices where block-level tags start (`ParenthesisBlocks.blockEdges`).
    ///
    /// Per paragraph: its kept quotes pair up in order, first with second, third with fourth.
    /// - An odd count leaves no pairing certain (`"a" "b` … which one is stray?): nothing is reported.
    /// - An opening quote (by order) right after a digit is an inch or second mark (`6.1"屏幕`):
    ///   the order is not certain either, nothing is reported.
    /// - A pair is reported when its inside holds Han text and it sits in Chinese text: the opening
    ///   quote follows a Han character or full-width punctuation (`表示"强烈抗议"`) and is followed
    ///   by its quotation (not a space, `>` or `/`, as an attribute value's closing quote is), or the closing
    ///   quote follows a non-ASCII character and precedes one of those (`<p>"处于历史最低点"，`).
    ///   So `他說："I love you"` (an English quotation) and `"中文" in English text` are not reported:
    ///   a Latin quotation may keep Latin marks, and English prose does keep them.
    ///   (Either way a quote of a reported pair follows a non-ASCII byte and precedes a byte above
    ///   a space other than `>` `/`: the line's byte test, `PunctuationWidthRule.isCandidate`,
    ///   stops only at such a `"`, and most attribute values' closing quotes are none.)
    /// - The fix is safe only when every pair of the paragraph is reported (the quotes being fixed
    ///   are all the paragraph holds, an even count), the paragraph holds no full-width `“` `”`
    ///   or corner bracket `「` `」` (a mix of styles says the pairing or the intended marks need a
    ///   look), and every pair but the last ends certainly: its closing quote is followed by
    ///   punctuation, a space, markup or the paragraph's end. Nested ASCII quotes
    ///   (`他说"我们的"红线"不会改变"`) pair wrongly by order, and their inner opening quote is
    ///   followed by text, as a closing quote before text (`"农场"和"选战"`) is: either may be nesting.
    static func pairs(_ c: UnsafeBufferPointer<UInt32>, kept: [Int], edges: [Int]) -> [Pair] {
        var found: [Pair] = []
        var start = 0
        while start < kept.count {
            let block = ParenthesisBlocks.block(of: kept[start], edges: edges)
            var end = start + 1
            while end < kept.count, ParenthesisBlocks.block(of: kept[end], edges: edges) == block { end += 1 }
            defer { start = end }
            let quotes = kept[start..<end]
            guard quotes.count % 2 == 0 else { continue }
            var pairs: [(open: Int, close: Int)] = []
            var k = quotes.startIndex
            while k < quotes.endIndex {
                pairs.append((quotes[k], quotes[k + 1]))
                k += 2
            }
            guard !pairs.contains(where: { $0.open > 0 && CJK.isDigit(c[$0.open - 1]) }) else { continue }
            let reported = pairs.filter { isChineseQuotation(c, open: $0.open, close: $0.close) }
            guard !reported.isEmpty else { continue }
            let safe = reported.count == pairs.count && !holdsOtherQuotes(c, block: block, edges: edges)
                && pairs.dropLast().allSatisfy { endsCertainly(c, close: $0.close) }
            found += reported.map { Pair(open: $0.open, close: $0.close, safe: safe) }
        }
        return found
    }

    /// Whether the pair `open`…`close` quotes Chinese text in Chinese text (see `pairs`).
    static func isChineseQuotation(_ c: UnsafeBufferPointer<UInt32>, open: Int, close: Int) -> Bool {
        guard (open + 1..<close).contains(where: { CJK.isHan(c[$0]) }) else { return false }
        // The quotation starts right after its opening quote: a space, `>` or `/` follows an
        // attribute value's closing quote instead (`ScalarDecode.isQuoteCandidate`).
        let next = c[open + 1]
        if open > 0, CJK.isCJK(c[open - 1]), next > 0x20, next != 0x3E, next != 0x2F { return true }
        return c[close - 1] > 0x7F && close + 1 < c.count && CJK.isCJK(c[close + 1])
    }

    /// Whether the quote at `close` can only close: what follows it cannot start a quotation
    /// (punctuation, a space, `<` of markup, or nothing).
    private static func endsCertainly(_ c: UnsafeBufferPointer<UInt32>, close: Int) -> Bool {
        guard close + 1 < c.count else { return true }
        let next = c[close + 1]
        if next < 0x80 {
            let letterOrDigit = (0x30...0x39).contains(next) || (0x41...0x5A).contains(next) || (0x61...0x7A).contains(next)
            return !letterOrDigit
        }
        return CJK.isCJKPunct(next)
    }

    /// Whether the paragraph `block` holds `“` `”` `「` `」`.
    private static func holdsOtherQuotes(_ c: UnsafeBufferPointer<UInt32>, block: Int, edges: [Int]) -> Bool {
        let from = block == 0 ? 0 : edges[block - 1]
        let to = block < edges.count ? edges[block] : c.count
        return (from..<to).contains { k in
            switch c[k] {
            case 0x201C, 0x201D, 0x300C, 0x300D: return true
            default: return false
            }
        }
    }
}
