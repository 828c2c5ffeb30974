import Foundation
import NewsLintCore

/// Site names glued to a title: `… | hrbeu.com.cn`, `哈尔滨工程大学->…`, `…_网易新闻`, `… - 新浪新闻`.
package enum TitleAffix {
    package enum Kind: String { case prefix, suffix }

    package struct Finding {
        package var kind: Kind
        /// The site name as written (without separator).
        package var piece: String
        /// Byte range in the title's UTF-8 to delete (separator and spaces included).
        package var cut: Range<Int>
    }

    package static let suffixSeparators = [" | ", "|", "｜", " - ", " – ", " — ", "——", "_", " :: ", " · "].map { Array($0.utf8) }
    package static let prefixSeparators = ["->", "—>", "-->", ">>", "»", "＞", "→"].map { Array($0.utf8) }
    /// Column and genre labels that open headlines of a series (`专访｜…`, `臺股週報：…`): editorial, not a site name.
    package static let columnWords = ["专访", "專訪", "快讯", "快訊", "评论", "評論", "时评", "時評", "社评", "社評", "短评", "短評", "视频", "視頻", "影音",
                              "图解", "圖解", "独家", "獨家", "特稿", "观察", "觀察", "解读", "解讀", "周报", "週報", "周報", "月报", "月報",
                              "早报", "早報", "晚报", "晚報", "聚焦", "直击", "直擊", "深读", "深讀", "调查", "調查", "现场", "現場", "访谈", "訪談",
                              "特写", "特寫", "综述", "綜述", "述评", "述評", "社论", "社論", "专栏", "專欄", "热点", "熱點", "提醒"]

    /// Whether a repeated title prefix (`t[piece]`) reads as a column label or a speaker rather than
    /// a site: it ends with a column word, or it is set off by a colon (`专家：…`, `教务处：…`), unless
    /// it ends with a site word (`新华网：…` stays a site name). On the bytes when the piece compares as
    /// its bytes (`comparesAsBytes`), else on a `String` as before.
    package static func isColumnLabel(_ t: [UInt8], piece: Range<Int>, separatorIsColon: Bool) -> Bool {
        if isColumnName(t, piece) { return true }
        if comparesAsBytes(t, piece), let siteSuffixes, let columnSuffixes {
            if siteSuffixes.isSuffix(of: t, piece) { return false }
            if columnSuffixes.isSuffix(of: t, piece) { return true }
            return separatorIsColon
        }
        let text = String(decoding: t[piece], as: UTF8.self)
        let plain = isPlain(text)
        if siteWordsAndPlain.contains(where: { hasSuffix(text, $0.word, plain: plain, wordIsPlain: $0.plain) }) { return false }
        if columnWordsAndPlain.contains(where: { hasSuffix(text, $0.word, plain: plain, wordIsPlain: $0.plain) }) { return true }
        return separatorIsColon
    }

    /// Whether a separator is a colon once spaces are trimmed (`：`, ` ：`, `: `): a colon sets off a
    /// speaker or a column, not a site.
    package static func isColon(_ separator: [UInt8]) -> Bool {
        let sep = String(decoding: separator, as: UTF8.self).trimmingWhitespaces()
        return sep == "：" || sep == ":"
    }

    /// Printable ASCII and CJK unified ideographs only: each scalar is a `Character` of its own that
    /// no neighbour changes and that has no other canonical form, so comparing such text with the
    /// word lists (all unified ideographs) `Character` by `Character` is comparing UTF-8 bytes.
    package static func isPlain(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { s in
            (0x20...0x7E).contains(s.value) || (0x3400...0x4DBF).contains(s.value) || (0x4E00...0x9FFF).contains(s.value)
        }
    }

    /// Whether the text of `t[range]` compares with the word lists (all plain, see `isPlain`) as its
    /// bytes: each scalar printable ASCII, a CJK ideograph (U+3400…U+4DBF, U+4E00…U+9FFF), CJK
    /// punctuation (U+3000…U+3029), general punctuation (U+2010…U+2027) or a full-width form
    /// (U+FF01…U+FF5E). None of these has a canonical decomposition or a combining class, or joins a
    /// neighbour into a `Character`: such text is its own canonical form, one `Character` per scalar,
    /// so its `String` equality, `hasSuffix`, `dropLast` and set membership against plain words are
    /// those of its bytes. Anything else (ill-formed bytes included) answers false, and the callers
    /// take the `String` path.
    package static func comparesAsBytes(_ t: [UInt8], _ range: Range<Int>) -> Bool {
        t.withUnsafeBufferPointer { b in
            var i = range.lowerBound
            while i < range.upperBound {
                let b0 = b[i]
                if b0 &- 0x20 < 0x5F { i &+= 1; continue }
                guard b0 & 0xF0 == 0xE0, i &+ 2 < range.upperBound, b[i &+ 1] & 0xC0 == 0x80, b[i &+ 2] & 0xC0 == 0x80 else { return false }
                let s = (UInt32(b0 & 0x0F) << 12) | (UInt32(b[i &+ 1] & 0x3F) << 6) | UInt32(b[i &+ 2] & 0x3F)
                guard s &- 0x4E00 <= 0x9FFF - 0x4E00 || s &- 0x3400 <= 0x4DBF - 0x3400 || s &- 0x3000 <= 0x3029 - 0x3000
                    || s &- 0x2010 <= 0x2027 - 0x2010 || s &- 0xFF01 <= 0xFF5E - 0xFF01 else { return false }
                i &+= 3
            }
            return true
        }
    }

    /// `text.hasSuffix(word)`, on bytes when both are plain (see `isPlain`).
    @inline(__always)
    package static func hasSuffix(_ text: String, _ word: String, plain: Bool) -> Bool {
        hasSuffix(text, word, plain: plain, wordIsPlain: isPlain(word))
    }

    /// `hasSuffix(text, word, plain:)` with `isPlain(word)` answered by the caller (once per word
    /// list, not once per title and word).
    @inline(__always)
    package static func hasSuffix(_ text: String, _ word: String, plain: Bool, wordIsPlain: Bool) -> Bool {
        guard plain, wordIsPlain else { return text.hasSuffix(word) }
        let t = text.utf8, w = word.utf8
        return t.count >= w.count && t.suffix(w.count).elementsEqual(w)
    }

    /// The word lists with `isPlain` of each word.
    private static let siteWordsAndPlain = siteWords.map { (word: $0, plain: isPlain($0)) }
    private static let columnWordsAndPlain = columnWords.map { (word: $0, plain: isPlain($0)) }
    private static let sectionSuffixesAndPlain = sectionSuffixes.map { (word: $0, plain: isPlain($0)) }

    private static let sectionWordSet = Set(sectionWords)
    private static let columnWordSet = Set(columnWords)

    /// Newspaper sections and desks (港聞, 國際, 財經, 即時…): a section name glued to a title is
    /// the column it ran in, not the site that published it.
    package static let sectionWords = ["港聞", "港闻", "國際", "国际", "兩岸", "两岸", "中國", "中国", "大中華", "大中华", "內地", "内地", "香港", "澳門", "澳门",
                               "台灣", "台湾", "臺灣", "亞洲", "亚洲", "歐洲", "欧洲", "美洲", "全球", "世界", "環球", "环球", "本地", "本港", "國內", "国内",
                               "地方", "財經", "财经", "經濟", "经济", "產經", "产经", "商業", "商业", "金融", "股市", "地產", "地产", "房產", "房产", "體育", "体育",
                               "娛樂", "娱乐", "影視", "影视", "藝文", "艺文", "文化", "社會", "社会", "要聞", "要闻", "即時", "即时", "時事", "时事", "政治",
                               "軍事", "军事", "科技", "生活", "健康", "醫療", "医疗", "教育", "校園", "校园", "旅遊", "旅游", "汽車", "汽车", "天氣", "天气",
                               "交通", "法治", "副刊", "專題", "专题", "論壇", "论坛", "觀點", "观点", "言論", "言论", "人物", "圖片", "图片", "熱門", "热门",
                               "最新", "頭條", "头条", "焦點", "焦点", "新聞", "新闻", "資訊", "资讯"]
    /// What a section name may end with (國際新聞, 財經頻道, 體育版).
    package static let sectionSuffixes = ["新聞", "新闻", "頻道", "频道", "版", "專題", "专题", "資訊", "资讯", "動態", "动态", "快訊", "快讯", "要聞", "要闻", "專欄", "专栏", "頻道"]

    /// Whether `text` names a column or section rather than a site: a section word, a column
    /// word, or a section word plus a section suffix (`即時新聞`, `國際新聞`, `财经频道`).
    package static func isColumnName(_ text: String) -> Bool {
        let t = text.trimmingWhitespaces()
        let plain = isPlain(t)
        if plain, plainColumnNames != nil { return isPlainColumnName(t) }
        // Sets of `String` compare as the arrays did (canonical equivalence), by hashing.
        if sectionWordSet.contains(t) || columnWordSet.contains(t) { return true }
        for (suffix, suffixIsPlain) in sectionSuffixesAndPlain where hasSuffix(t, suffix, plain: plain, wordIsPlain: suffixIsPlain) {
            let stem = String(t.dropLast(suffix.count))
            if stem.isEmpty || sectionWordSet.contains(stem) || columnWordSet.contains(stem) { return true }
        }
        return false
    }

    /// `isColumnName` of the text of `t[range]`, on the bytes when it compares as its bytes
    /// (`comparesAsBytes`) once spaces, tabs and U+3000 are trimmed (the `String` path trims those and
    /// then nothing more: no other scalar of such text is whitespace), else on a `String` as before.
    package static func isColumnName(_ t: [UInt8], _ range: Range<Int>) -> Bool {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            if t[lo] == 0x20 || t[lo] == 0x09 { lo += 1 } else if hi - lo >= 3, t[lo] == 0xE3, t[lo + 1] == 0x80, t[lo + 2] == 0x80 { lo += 3 } else { break }
        }
        while hi > lo {
            if t[hi - 1] == 0x20 || t[hi - 1] == 0x09 { hi -= 1 } else if hi - lo >= 3, t[hi - 3] == 0xE3, t[hi - 2] == 0x80, t[hi - 1] == 0x80 { hi -= 3 } else { break }
        }
        if plainColumnNames != nil, comparesAsBytes(t, lo..<hi) {
            return t.withUnsafeBufferPointer { isPlainColumnName(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
        }
        return isColumnName(String(decoding: t[range], as: UTF8.self))
    }

    /// `isColumnName` of trimmed plain text (see `isPlain`: its canonical form is itself, as the
    /// words' is, so set membership is equality of bytes): the words' UTF-8 packed into integers, where
    /// hashing a Chinese `String` normalised it scalar by scalar, for every title piece of the corpus.
    private static func isPlainColumnName(_ t: String) -> Bool {
        var t = t
        return t.withUTF8 { isPlainColumnName($0) }
    }

    /// A word, or a section word and a section suffix (`國際新聞`). Text longer than the longest
    /// word and the longest suffix together is none, answered from its length: most title pieces
    /// (a site's or a university's name) are (the suffixes were compared one by one, each as a
    /// `String.UTF8View`).
    private static func isPlainColumnName(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let names = plainColumnNames, b.count <= names.words.longest + names.suffixes.longest else { return false }
        if let key = packedWord(b, 0..<b.count), names.words.contains(key) { return true }
        for n in names.suffixes.lengths where n <= b.count && names.suffixes.matches(b, length: n) {
            if b.count == n { return true }
            if let key = packedWord(b, 0..<(b.count - n)), names.words.contains(key) { return true }
        }
        return false
    }

    /// Up to 15 bytes and their count in one integer (nil for longer text, which no word is): byte
    /// `k` at bit `8k` (`ByteWords.packed`'s two words), the count at bit 120. (A shift of a
    /// `UInt128` by a variable amount was a dozen instructions a byte.)
    @inline(__always)
    private static func packedWord(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt128? {
        let n = range.count
        guard n <= 15 else { return nil }
        let (head, tail) = ByteWords.packed(b, range)
        return UInt128(tail | UInt64(n) << 56) << 64 | UInt128(head)
    }

    /// `packedWord` of a word's UTF-8.
    private static func packedWord(_ word: String) -> UInt128? {
        Array(word.utf8).withUnsafeBufferPointer { packedWord($0, 0..<$0.count) }
    }

    /// The section and column words packed (`packedWord`) and the section suffixes; nil if one is
    /// not plain or too long to pack, and then `isColumnName` takes the `String` path for every text.
    private static let plainColumnNames: (words: PackedWordSet, suffixes: PackedSuffixes)? = {
        guard let words = PackedWordSet(sectionWords + columnWords), let suffixes = PackedSuffixes(sectionSuffixes) else { return nil }
        return (words, suffixes)
    }()

    /// Packed words (`packedWord`) in an open-addressed table at most a quarter full: a lookup is a
    /// few multiplies and a compare or two, where a `Set<UInt128>` hashed each key with SipHash (several
    /// lookups per title piece).
    package struct PackedWordSet: Sendable {
        /// The keys by their slot; 0 (the key of no word: every word has a length) is an empty slot.
        private let slots: [UInt128]
        private let shift: UInt64
        /// The longest word's bytes.
        let longest: Int

        /// Nil when a word is not plain (see `isPlain`) or too long to pack.
        init?(_ words: [String]) {
            var bits = 4
            while 1 << bits < 4 * max(words.count, 1) { bits += 1 }
            var slots = [UInt128](repeating: 0, count: 1 << bits)
            var longest = 0
            let shift = UInt64(64 - bits)
            for word in words {
                guard isPlain(word), let key = packedWord(word) else { return nil }
                longest = max(longest, word.utf8.count)
                var i = Self.slot(key, shift)
                while slots[i] != 0 && slots[i] != key { i = (i + 1) & (slots.count - 1) }
                slots[i] = key
            }
            self.slots = slots
            self.shift = shift
            self.longest = longest
        }

        @inline(__always)
        private static func slot(_ key: UInt128, _ shift: UInt64) -> Int {
            let folded = UInt64(truncatingIfNeeded: key) ^ UInt64(truncatingIfNeeded: key >> 64) &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: (folded &* 0xFF51_AFD7_ED55_8CCD) >> shift)
        }

        package func contains(_ key: UInt128) -> Bool {
            guard key != 0 else { return false }
            return slots.withUnsafeBufferPointer { s in
                var i = Self.slot(key, shift)
                while true {
                    let k = s[i]
                    if k == key { return true }
                    if k == 0 { return false }
                    i = (i &+ 1) & (s.count &- 1)
                }
            }
        }
    }

    /// Words looked up as the end of plain text (see `isPlain`) on its bytes: the text's last n bytes
    /// packed (`packedWord`) for each length n of a word, a few table lookups where the lists were
    /// compared word by word. Nil when a word is not plain or too long to pack (the `String` path).
    package struct PackedSuffixes: Sendable {
        private let keys: PackedWordSet
        /// The words' lengths in bytes, ascending.
        let lengths: [Int]
        var longest: Int { keys.longest }

        init?(_ words: [String]) {
            guard let keys = PackedWordSet(words) else { return nil }
            self.keys = keys
            lengths = Set(words.map(\.utf8.count)).sorted()
        }

        /// Whether `t[range]` ends with one of the words.
        package func isSuffix(of t: [UInt8], _ range: Range<Int>) -> Bool {
            t.withUnsafeBufferPointer { b in
                lengths.contains { n in n <= range.count && matches(UnsafeBufferPointer(rebasing: b[..<range.upperBound]), length: n) }
            }
        }

        /// Whether the last `length` bytes of `b` (at least that many) are one of the words.
        @inline(__always)
        func matches(_ b: UnsafeBufferPointer<UInt8>, length: Int) -> Bool {
            guard let key = packedWord(b, (b.count - length)..<b.count) else { return false }
            return keys.contains(key)
        }
    }

    private static let siteSuffixes = PackedSuffixes(siteWords)
    private static let columnSuffixes = PackedSuffixes(columnWords)

    /// Whether the word lists are packed (every word plain and short enough), so that the byte path
    /// is the one in use: an unpackable word added to a list silently turns it off, and the
    /// equivalence tests, comparing the `String` path with itself, would not notice.
    package static var usesPackedColumnNames: Bool { plainColumnNames != nil && siteSuffixes != nil && columnSuffixes != nil }

    package static let siteWords = ["新闻网", "新聞網", "新闻", "新聞", "官网", "官網", "网站", "網站", "在线", "在線", "频道", "頻道", "门户", "門戶", "日报", "日報", "网", "網"]

    package static func trimSpaces(_ t: [UInt8], _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi && TextScan.spaceLength(t, lo, hi) > 0 { lo += TextScan.spaceLength(t, lo, hi) }
        while hi > lo && (t[hi - 1] == 0x20 || t[hi - 1] == 0x09) { hi -= 1 }
        return lo..<hi
    }

    package static func isDomain(_ s: ArraySlice<UInt8>) -> Bool {
        guard s.count >= 4, s.allSatisfy({ $0 < 0x80 }) else { return false }
        let labels = s.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2, tld.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return false }
        return labels.allSatisfy { l in !l.isEmpty && l.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") } }
    }

    /// Words ending in 网/網 that are not websites: networks, grids, nets, and the tennis majors
    /// (`…｜工业互联网`, `… - 国家电网`, `… - 温网`).
    package static let netWords = ["互联网", "互聯網", "物联网", "物聯網", "电网", "電網", "路网", "路網", "管网", "管網", "渔网", "漁網", "收网", "收網",
                           "天网", "天網", "球网", "球網", "关系网", "關係網", "上网", "上網", "联网", "聯網", "落网", "落網", "织网", "織網",
                           "局域网", "局域網", "广域网", "廣域網", "蜘蛛网", "蜘蛛網", "法网", "法網", "温网", "溫網", "澳网", "澳網", "美网", "美網"]

    /// Whether the text of `t[range]` names a site (`新浪新闻`, `人民网`): on the bytes when it
    /// compares as its bytes (`comparesAsBytes`; the lists are all plain), else on a `String` as before.
    package static func isSiteName(_ t: [UInt8], _ range: Range<Int>) -> Bool {
        guard comparesAsBytes(t, range) else { return isSiteName(String(decoding: t[range], as: UTF8.self)) }
        if isColumnName(t, range) { return false }
        let n = TextScan.scalarCount(t, range)
        guard n >= 2 && n <= 12, !contains(t, range, fullWidthComma), !contains(t, range, ideographicFullStop) else { return false }
        func isSuffix(_ word: [UInt8]) -> Bool { word.count <= range.count && t[(range.upperBound - word.count)..<range.upperBound].elementsEqual(word) }
        guard let word = siteWordBytes.first(where: isSuffix) else { return false }
        if TextScan.scalarCount(word, word.indices) == 1 && (netWordBytes.contains(where: isSuffix) || n > 6) { return false }
        return true
    }

    private static let fullWidthComma = Array("，".utf8), ideographicFullStop = Array("。".utf8)

    /// Whether `word` occurs in `t[range]` (at a scalar boundary: both are well-formed).
    private static func contains(_ t: [UInt8], _ range: Range<Int>, _ word: [UInt8]) -> Bool {
        var i = range.lowerBound
        while i + word.count <= range.upperBound {
            if t[i] == word[0], t[i..<(i + word.count)].elementsEqual(word) { return true }
            i += 1
        }
        return false
    }

    private static let siteWordBytes = siteWords.map { Array($0.utf8) }
    private static let netWordBytes = netWords.map { Array($0.utf8) }

    private static func isSiteName(_ text: String) -> Bool {
        if isColumnName(text) { return false }
        let n = text.unicodeScalars.count
        guard n >= 2 && n <= 12, !text.contains("，"), !text.contains("。") else { return false }
        guard let word = siteWords.first(where: { text.hasSuffix($0) }) else { return false }
        // A bare 网/網 names a site (人民网, 新华网) only when the text is not a topic word ending in it.
        if word.unicodeScalars.count == 1 && (netWords.contains { text.hasSuffix($0) } || n > 6) { return false }
        return true
    }

    /// A finding's ranges in the title's bytes: the site name and what to delete (`Finding`).
    package struct Cut: Equatable {
        package var piece: Range<Int>
        package var cut: Range<Int>
    }

    /// The findings of a title's bytes `t` split at `splits`, without their text: at most one prefix
    /// and one suffix.
    package static func cuts(_ t: [UInt8], _ splits: TitleSplits) -> (prefix: Cut?, suffix: Cut?) {
        var prefix: Cut?, suffix: Cut?
        if let sep = splits.firstPrefix {
            let piece = trimSpaces(t, 0..<sep.lowerBound)
            let rest = trimSpaces(t, sep.upperBound..<t.count)
            let n = TextScan.scalarCount(t, piece)
            // `从0->1的突破` is an arrow in a headline, not a site name: no digits, some text after it.
            let hasDigit = t[piece].contains { $0 >= 0x30 && $0 <= 0x39 }
            // `港聞 > …`, `國際 » …`: a section of the site, not its name.
            if n >= 2, n <= 20, !hasDigit, TextScan.scalarCount(t, rest) >= 4, !isColumnName(t, piece) {
                prefix = Cut(piece: piece, cut: 0..<rest.lowerBound)
            }
        }
        if let sep = splits.lastSuffix {
            let piece = trimSpaces(t, sep.upperBound..<t.count)
            var lo = sep.lowerBound
            while lo > 0 && t[lo - 1] == 0x20 { lo -= 1 }
            let before = trimSpaces(t, 0..<lo)
            if !before.isEmpty, isDomain(t[piece]) || isSiteName(t, piece), prefix.map({ $0.cut.upperBound <= lo }) ?? true {
                suffix = Cut(piece: piece, cut: lo..<t.count)
            }
        }
        return (prefix, suffix)
    }

    /// Findings for one title, at most one prefix and one suffix.
    package static func findings(_ title: String) -> [Finding] { findings(utf8: Array(title.utf8)) }

    /// `findings` of a title given as its UTF-8.
    package static func findings(utf8 t: [UInt8]) -> [Finding] { findings(utf8: t, cuts(t, TitleSplits(t))) }

    /// The findings of title bytes `t` from their cuts (`cuts`).
    package static func findings(utf8 t: [UInt8], _ found: (prefix: Cut?, suffix: Cut?)) -> [Finding] {
        func finding(_ kind: Kind, _ cut: Cut?) -> Finding? {
            cut.map { Finding(kind: kind, piece: String(decoding: t[$0.piece], as: UTF8.self), cut: $0.cut) }
        }
        return [finding(.prefix, found.prefix), finding(.suffix, found.suffix)].compactMap { $0 }
    }

    /// The title at front-matter entry `i` of `document` with its cuts and first and last
    /// separators, as `titleCuts(ofEntry:)` shares them: `withFrontMatterScalarUTF8`, `TitleSplits`
    /// and `cuts`.
    package static func titleCuts(_ document: Document, entry i: Int) -> TitleCutsView {
        guard let t = document.withFrontMatterScalarUTF8(ofEntry: i, { Array($0) }) else {
            return TitleCutsView(entry: i, utf8: nil, prefix: nil, suffix: nil, firstAny: nil, lastAny: nil)
        }
        let splits = TitleSplits(t)
        let found = cuts(t, splits)
        return TitleCutsView(entry: i, utf8: t, prefix: found.prefix.map { (piece: $0.piece, cut: $0.cut) }, suffix: found.suffix.map { (piece: $0.piece, cut: $0.cut) },
                             firstAny: splits.firstAny.map { (range: $0.range, isColon: $0.isColon) }, lastAny: splits.lastAny.map { (range: $0.range, isColon: $0.isColon) })
    }

    /// The byte offset of the title text inside the raw value (plain or simply quoted), or nil.
    package static func offset(of title: String, in document: Document, entry: FrontMatterEntry) -> Int? {
        offset(ofUTF8: Array(title.utf8), in: document, entry: entry)
    }

    /// `offset(of:in:entry:)` of a title given as its UTF-8.
    package static func offset(ofUTF8 t: [UInt8], in document: Document, entry: FrontMatterEntry) -> Int? {
        guard let r = entry.valueRange else { return nil }
        let raw = document.bytes[r]
        if raw.elementsEqual(t) { return r.lowerBound }
        if raw.count == t.count + 2, let q = raw.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'"), raw.last == q,
           raw.dropFirst().dropLast().elementsEqual(t) { return r.lowerBound + 1 }
        return nil
    }
}

/// Where `title-boilerplate` may cut a title, found in one walk over its bytes (it was walked once
/// per separator list and direction, up to six times per title): the first prefix separator, the
/// last suffix separator, and the first and last of all separators (`TitleRepeatedAffixRule.separators`),
/// each the longest separator of its list that starts at the first (last) position where one does.
package struct TitleSplits: Equatable {
    /// A separator of all the lists: where it is, and whether it is a colon (`TitleAffix.isColon`).
    package struct Split: Equatable {
        package var range: Range<Int>
        package var isColon: Bool
    }

    package var firstPrefix: Range<Int>?
    package var lastSuffix: Range<Int>?
    package var firstAny: Split?
    package var lastAny: Split?

    /// `skipsCharacters: false` steps a byte at a time over every byte (tests compare the two).
    package init(_ t: [UInt8], skipsCharacters: Bool = true) {
        var firstPrefix: Range<Int>?, lastSuffix: Range<Int>?, firstAny: Split?, lastAny: Split?
        let table = Self.table
        t.withUnsafeBufferPointer { b in
            table.bucketStarts.withUnsafeBufferPointer { bucketStarts in
                table.separators.withUnsafeBufferPointer { separators in
                    let n = b.count
                    var i = 0
                    while i < n {
                        let first = Int(b[i])
                        var k = bucketStarts[first]
                        let bucketEnd = bucketStarts[first &+ 1]
                        // Most bytes of a title (ideographs, continuation bytes) start no separator:
                        // on to the next byte without the tests of the lists below. A three-byte
                        // character whose lead starts none (most of a Chinese title) is passed over
                        // whole: no separator starts with a continuation byte (`table`), so its two
                        // start none either (a byte a step was ~10 instructions, ~30 a character).
                        guard k < bucketEnd else {
                            if skipsCharacters, first & 0xF0 == 0xE0, i &+ 2 < n, b[i &+ 1] & 0xC0 == 0x80, b[i &+ 2] & 0xC0 == 0x80 {
                                i &+= 3
                            } else {
                                i &+= 1
                            }
                            continue
                        }
                        // The longest separator of each list at `i` (0: none).
                        var prefixLength = 0, suffixLength = 0, anyLength = 0, anyIsColon = false
                        while k < bucketEnd {
                            let sep = separators[k]
                            k &+= 1
                            guard sep.count <= n &- i, sep.matches(b, at: i) else { continue }
                            if sep.lists & Self.prefixList != 0, sep.count > prefixLength { prefixLength = sep.count }
                            if sep.lists & Self.suffixList != 0, sep.count > suffixLength { suffixLength = sep.count }
                            if sep.lists & Self.anyList != 0, sep.count > anyLength { anyLength = sep.count; anyIsColon = sep.isColon }
                        }
                        if prefixLength > 0, firstPrefix == nil { firstPrefix = i..<(i + prefixLength) }
                        if suffixLength > 0 { lastSuffix = i..<(i + suffixLength) }
                        if anyLength > 0 {
                            let split = Split(range: i..<(i + anyLength), isColon: anyIsColon)
                            if firstAny == nil { firstAny = split }
                            lastAny = split
                        }
                        i &+= 1
                    }
                }
            }
        }
        self.firstPrefix = firstPrefix
        self.lastSuffix = lastSuffix
        self.firstAny = firstAny
        self.lastAny = lastAny
    }

    private static let prefixList: UInt8 = 1, suffixList: UInt8 = 2, anyList: UInt8 = 4

    /// One separator: its bytes packed (at most 8), the lists it is in.
    private struct Separator {
        var packed: UInt64
        var count: Int
        var lists: UInt8
        var isColon: Bool

        @inline(__always)
        func matches(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
            var k = 0
            while k < count {
                if b[i &+ k] != UInt8(truncatingIfNeeded: packed >> UInt64(k &* 8)) { return false }
                k &+= 1
            }
            return true
        }
    }

    /// The separators of the three lists, each once, grouped by first byte: those starting with byte
    /// `x` are `separators[bucketStarts[x]..<bucketStarts[x + 1]]`.
    private static let table: (bucketStarts: [Int], separators: [Separator]) = {
        var lists: [[UInt8]: UInt8] = [:]
        for sep in TitleAffix.prefixSeparators where !sep.isEmpty { lists[sep, default: 0] |= prefixList }
        for sep in TitleAffix.suffixSeparators where !sep.isEmpty { lists[sep, default: 0] |= suffixList }
        for sep in TitleRepeatedAffixRule.separators where !sep.isEmpty { lists[sep, default: 0] |= anyList }
        let sorted = lists.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var separators: [Separator] = []
        var bucketStarts = [Int](repeating: 0, count: 257)
        for sep in sorted {
            precondition(sep.count <= 8, "a title separator longer than 8 bytes")
            // `init` passes over a character's continuation bytes without looking them up.
            precondition(sep[0] & 0xC0 != 0x80, "a title separator starting with a continuation byte")
            let packed = sep.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64($1.offset * 8) }
            separators.append(Separator(packed: packed, count: sep.count, lists: lists[sep] ?? 0, isColon: TitleAffix.isColon(sep)))
            bucketStarts[Int(sep[0]) + 1] += 1
        }
        for x in 0..<256 { bucketStarts[x + 1] += bucketStarts[x] }
        return (bucketStarts, separators)
    }()
}

/// `title-boilerplate` (per file): a domain or a known site name glued to the title.
public struct TitleBoilerplateRule: Rule, RuleWithOptions {
    public static let id = "title-boilerplate"
    package let key: String
    /// `key`, looked up by its common-key id (`FrontMatterKey`).
    private let lookupKey: FrontMatterKey

    /// Shared with the cross-file half (`TitleRepeatedAffixRule`), which reads the thresholds.
    public struct Options: Decodable, Sendable {
        package var key: String
        package var minTitles: Int
        package var minShare: Double
    }

    public init(options: RuleOptions) throws {
        key = try Self.decodeOptions(options).key
        lookupKey = FrontMatterKey(key)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // The title's bytes and cuts made once for both halves of the rule (`titleCuts(ofEntry:)`).
        guard let fm = document.frontMatter, let i = fm.index(of: lookupKey) else { return }
        let cuts = document.titleCuts(ofEntry: i)
        guard let title = cuts.utf8, cuts.prefix != nil || cuts.suffix != nil else { return }
        let findings = TitleAffix.findings(utf8: title, (prefix: cuts.prefix.map { TitleAffix.Cut(piece: $0.piece, cut: $0.cut) },
                                                         suffix: cuts.suffix.map { TitleAffix.Cut(piece: $0.piece, cut: $0.cut) }))
        guard !findings.isEmpty else { return }
        let entry = fm.entries[i]
        let base = TitleAffix.offset(ofUTF8: title, in: document, entry: entry)
        for f in findings {
            let what = TitleAffix.isDomain(Array(f.piece.utf8)[...]) ? "domain" : "site name"
            let message = "\(key) carries the \(what) '\(f.piece)' as a \(f.kind.rawValue)"
            if let base {
                let cut = (base + f.cut.lowerBound)..<(base + f.cut.upperBound)
                sink.report(cut, message, fix: Fix(.unsafe, "Strip the site name from the \(key)", edit: .delete(cut)))
            } else {
                sink.report(line: entry.line, column: entry.column, message)
            }
        }
    }
}

/// `title-boilerplate` (cross-file): a title prefix or suffix that repeats across many titles
/// of the corpus is a site name even when it is not a domain (`校园网 - …`).
public struct TitleRepeatedAffixRule: CrossFileRule, RuleWithOptions {
    public typealias Options = TitleBoilerplateRule.Options
    public static let id = "title-boilerplate"

    /// Kept for every titled file until the reduce phase: 16 bytes, the affixes (most titles have
    /// none) behind one optional reference. The JSON form is unchanged.
    public struct Fact: Codable, Sendable, FactRecord {
        package final class Affixes: Sendable {
            package let prefix: String?
            package let suffix: String?
            package init(prefix: String?, suffix: String?) { self.prefix = prefix; self.suffix = suffix }
        }
        private var line32: UInt32
        private var affixes: Affixes?

        public init(line: Int, prefix: String? = nil, suffix: String? = nil) {
            line32 = UInt32(clamping: line)
            affixes = prefix == nil && suffix == nil ? nil : Affixes(prefix: prefix, suffix: suffix)
        }

        public var line: Int { Int(line32) }
        public var prefix: String? {
            get { affixes?.prefix }
            set { self = Fact(line: line, prefix: newValue, suffix: suffix) }
        }
        public var suffix: String? {
            get { affixes?.suffix }
            set { self = Fact(line: line, prefix: prefix, suffix: newValue) }
        }

        package enum CodingKeys: String, CodingKey { case line, prefix, suffix }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(line: Int(try c.decode(UInt32.self, forKey: .line)),
                      prefix: try c.decodeIfPresent(String.self, forKey: .prefix), suffix: try c.decodeIfPresent(String.self, forKey: .suffix))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encodeIfPresent(prefix, forKey: .prefix)
            try c.encodeIfPresent(suffix, forKey: .suffix)
        }

        public func write(to record: inout FactRecordWriter) {
            record.fixed32(line32)
            record.optionalString(prefix)
            record.optionalString(suffix)
        }

        public init(record: inout FactRecordReader) throws {
            let fields = try Self.fields(&record)
            self.init(line: Int(fields.line), prefix: fields.prefix, suffix: fields.suffix)
        }

        /// The record's fields in the order `write(to:)` writes them, without making a fact (its
        /// affixes boxed): the reduce reads them in place.
        static func fields(_ record: inout FactRecordReader) throws -> (line: UInt32, prefix: String?, suffix: String?) {
            let line = try record.fixed32()
            let prefix = try record.optionalString()
            return (line, prefix, try record.optionalString())
        }
    }

    package let key: String
    /// `key`, looked up by its common-key id (`FrontMatterKey`).
    private let lookupKey: FrontMatterKey
    package let minTitles: Int
    package let minShare: Double
    package static let separators = TitleAffix.suffixSeparators + TitleAffix.prefixSeparators + [" ：", "：", ": "].map { Array($0.utf8) }

    /// A finding on a file points at its fact's line.
    public static func quotedLine(of fact: Fact) -> Int? { fact.line }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        key = o.key
        lookupKey = FrontMatterKey(key)
        minTitles = o.minTitles
        minShare = o.minShare
        guard minTitles >= 2 else { throw RuleOptionError(option: "minTitles", message: "expected at least 2") }
        guard minShare > 0, minShare <= 1 else { throw RuleOptionError(option: "minShare", message: "expected a share in (0, 1]") }
    }

    public func collect(_ document: Document) -> Fact? {
        // The title's bytes, cuts and separators as the per-file check made them (`titleCuts(ofEntry:)`).
        guard let fm = document.frontMatter, let i = fm.index(of: lookupKey) else { return nil }
        let handled = document.titleCuts(ofEntry: i)
        guard let t = handled.utf8 else { return nil }
        var prefix: String?, suffix: String?
        // Segments around the first and last separator; short ones only (site names are short).
        if handled.prefix == nil, let sep = handled.firstAny {
            let piece = TitleAffix.trimSpaces(t, 0..<sep.range.lowerBound)
            if (1...20).contains(TextScan.scalarCount(t, piece)), !TitleAffix.isColumnLabel(t, piece: piece, separatorIsColon: sep.isColon) {
                prefix = String(decoding: t[0..<sep.range.upperBound], as: UTF8.self)
            }
        }
        if handled.suffix == nil, let sep = handled.lastAny {
            let piece = TitleAffix.trimSpaces(t, sep.range.upperBound..<t.count)
            if (1...20).contains(TextScan.scalarCount(t, piece)), !TitleAffix.isColumnName(t, piece) {
                suffix = String(decoding: t[sep.range.lowerBound...], as: UTF8.self)
            }
        }
        // Not interned: the engine keeps facts as records (bytes) until the reduce, so a shared copy
        // of each affix saved nothing, and its set, locked on every worker, grew with the corpus.
        return Fact(line: fm.entries[i].line, prefix: prefix, suffix: suffix)
    }

    public func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink) {
        let total = facts.count
        guard total >= minTitles else { return }
        // Each distinct affix numbered as it first comes and counted by its number, and each file's
        // numbers kept (4 bytes each, -1 for none): the second pass reads the facts of the files
        // with a repeated affix only, where it decoded every fact and hashed its affixes again.
        // Each record is read in place (`withRecord`: no fact and no affix box made); nothing is
        // decoded up front.
        var prefixes = AffixCounts(files: total), suffixes = AffixCounts(files: total)
        // Facts by index: a path is read (decoded from the engine's path list) only for a finding.
        for i in facts.indices {
            let (_, prefix, suffix) = Self.read(facts, i)
            if let p = prefix { prefixes.add(p, file: i) }
            if let s = suffix { suffixes.add(s, file: i) }
        }
        func repeatedCount(_ n: Int?) -> Int? { n.flatMap { $0 >= minTitles && Double($0) / Double(total) >= minShare ? $0 : nil } }
        for i in facts.indices {
            let prefixCount = repeatedCount(prefixes.count(file: i)), suffixCount = repeatedCount(suffixes.count(file: i))
            guard prefixCount != nil || suffixCount != nil else { continue }
            // Read again, for the file's own affixes (equal as strings to the counted ones, maybe
            // not in bytes: NFC and NFD) and line.
            let (line, prefix, suffix) = Self.read(facts, i)
            if let p = prefix, let n = prefixCount {
                sink.report(path: facts.path(i), line: line, "\(key) prefix '\(p.trimmingWhitespaces())' repeats in \(n) of \(total) titles (a site name?)")
            }
            if let s = suffix, let n = suffixCount {
                sink.report(path: facts.path(i), line: line, "\(key) suffix '\(s.trimmingWhitespaces())' repeats in \(n) of \(total) titles (a site name?)")
            }
        }
    }

    /// Entry `i`'s line and affixes, from its record in place, or decoded when it does not read.
    private static func read(_ facts: FactTable<Fact>, _ i: Int) -> (line: Int, prefix: String?, suffix: String?) {
        var read: (line: UInt32, prefix: String?, suffix: String?)?
        if facts.withRecord(i, { read = try Fact.fields(&$0) }), let read { return (Int(read.line), read.prefix, read.suffix) }
        let fact = facts.fact(i)
        return (fact.line, fact.prefix, fact.suffix)
    }
}

/// An affix as a dictionary key, its `String` hash computed once: a non-ASCII `String` hashes
/// its NFC form (~2,400 instructions for a Chinese site name), and a `[String: Int32]` hashed
/// each new affix again on insert and every key again at each growth of the table (~10,000
/// instructions an affix, 12.7 M at agora ×1; 4.0 M this way). Equal as `String`s (canonical
/// equivalence), so NFC and NFD spellings still count as one.
struct AffixKey: Hashable {
    let text: String
    let hash: Int

    init(_ text: String) {
        self.text = text
        hash = text.hashValue
    }

    static func == (a: AffixKey, b: AffixKey) -> Bool { a.hash == b.hash && a.text == b.text }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

/// How many files share each affix (`String` equality, as a `[String: Int]` counted it), and
/// which affix each file has: `TitleRepeatedAffixRule.finish`'s first pass, read by file in its second.
struct AffixCounts {
    private var numbers: [AffixKey: Int32] = [:]
    private var counts: [Int] = []
    /// The number of each file's affix, -1 for none.
    private var fileNumbers: [Int32]

    init(files: Int) { fileNumbers = [Int32](repeating: -1, count: files) }

    /// Looked up and, when new, inserted in one access (`subscript(_:default:)` in place): a
    /// lookup and then an insert hashed a new affix twice.
    mutating func add(_ affix: String, file: Int) {
        let fresh = Int32(truncatingIfNeeded: counts.count)
        var number = fresh
        Self.copy(&numbers[AffixKey(affix), default: fresh], to: &number)
        if number == fresh { counts.append(1) } else { counts[Int(number)] += 1 }
        fileNumbers[file] = number
    }

    private static func copy(_ value: inout Int32, to out: inout Int32) { out = value }

    /// How many files share file `file`'s affix; nil when it has none.
    func count(file: Int) -> Int? {
        let n = fileNumbers[file]
        return n < 0 ? nil : counts[Int(n)]
    }
}

extension Document {
    /// The title at front-matter entry `i` with its cuts (`TitleAffix.titleCuts`), made once for
    /// `title-boilerplate`'s per-file check and cross-file collect: each copied the title's bytes
    /// and split them (~1,300 instructions and an allocation a file, done twice). Made again, not
    /// shared, for another entry (the two halves configured with different keys).
    package func titleCuts(ofEntry i: Int) -> TitleCutsView {
        let shared = views.titleCuts { TitleAffix.titleCuts(self, entry: i) }
        return shared.entry == i ? shared : TitleAffix.titleCuts(self, entry: i)
    }
}
