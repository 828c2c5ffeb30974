import NewsLintCore

/// The real text of a body: what a reader sees once markup, images, links targets, URLs, HTML
/// comments, `<script>`/`<style>` blocks, entities and fenced code are set aside.
///
/// One pass over the body bytes; counting stops early once a caller has enough (`limit`).
package struct BodyText {
    /// Letters of any script (Han, kana, Hangul, Latin, …): digits and punctuation are not text on their own.
    package var letters = 0
    /// Hash of every non-space scalar of the real text (letters, digits, punctuation), for comparing bodies.
    package var hash: UInt64 = BodyText.seed
    /// `hash` before any scalar (FNV-1a's offset basis): what a walk without `hashing` leaves.
    package static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    /// Whether the body has any byte other than whitespace (markup included).
    package var hasContent = false
    /// Bytes the Markdown walk scanned looking for the end of an image, a link destination or a tag
    /// (`ForwardSearchMemo.scanned`): its step count, bounded by a few times the body's size.
    package var scannedForClosers = 0

    /// Most scalars of a Chinese body are unified ideographs: their test is inlined into the walks,
    /// and so is ASCII's (the Latin words and digits of a body; `b | 0x20` is a lower-case letter),
    /// the rest is a call. (Not inlined, the whole test was a call for every ideograph of the
    /// Markdown walk, ~12 instructions each with the hash spilled around it; ASCII's call cost
    /// ~36 instructions a scalar, 83,000 at agora ×1.)
    @inline(__always)
    package static func isLetter(_ c: UInt32) -> Bool {
        if c &- 0x4E00 <= 0x9FFF - 0x4E00 { return true }
        if c < 0x80 { return (c | 0x20) &- 0x61 < 26 }
        return isLetterOutsideUnifiedIdeographs(c)
    }

    /// `isLetter` of a non-ASCII scalar outside U+4E00…U+9FFF (`isLetter` answers ASCII itself).
    private static func isLetterOutsideUnifiedIdeographs(_ c: UInt32) -> Bool {
        if let known = isLetterInPunctuationBlocks(c) { return known }
        switch c {
        case 0xC0...0x24F: return c != 0xD7 && c != 0xF7
        case 0x370...0x52F, 0x590...0x6FF, 0x900...0xE7F, 0x1100...0x11FF: return true
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xAC00...0xD7A3, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0xFF66...0xFF9D: return true
        default: return CJK.isHan(c)
        }
    }

    /// `isLetter` of the punctuation between ideographs, nil outside its blocks: general punctuation
    /// and CJK symbols (“ ” — 、 。 「 」, U+2000…U+303F: no letter but 〇) and full-width
    /// punctuation (， ： （ ）, U+FF00…U+FF20). Asked first (before `isLetter`'s range tests), and
    /// inlined into the ideograph count, where each such character was a call.
    @inline(__always)
    static func isLetterInPunctuationBlocks(_ c: UInt32) -> Bool? {
        if c &- 0x2000 < 0x1040 { return c == 0x3007 }
        if c &- 0xFF00 < 0x21 { return false }
        return nil
    }

    /// `#`, `*`, `>`, `|`, `-`, `_`: Markdown and table syntax, not text.
    @inline(__always)
    package static func isMarkdownSyntax(_ scalar: UInt32) -> Bool {
        scalar == 0x23 || scalar == 0x2A || scalar == 0x3E || scalar == 0x7C || scalar == 0x2D || scalar == 0x5F
    }

    private static let http = Array("http".utf8), schemeEnd = Array("://".utf8), secureSchemeEnd = Array("s://".utf8)
    private static let comment = Array("<!--".utf8), commentEnd = Array("-->".utf8)
    private static let rawBlocks: [(open: [UInt8], close: [UInt8])] = [("<script", "</script>"), ("<style", "</style>")].map {
        (Array($0.0.utf8), Array($0.1.utf8))
    }

    /// Whether `lead` starts a character that `takeIdeographs` takes: E4…E9, U+4000…U+9FFF.
    @inline(__always)
    static func startsIdeograph(_ lead: UInt8) -> Bool { lead &- 0xE4 < 6 }

    /// Takes a run of 3-byte characters with lead byte E4…E9 (U+4000…U+9FFF: the ideographs that
    /// make most of a Chinese body) from `i`: each is hashed and counted as `isLetter` says, as the
    /// general walk would (none of them is whitespace, Markdown syntax, markup or a line end), without
    /// that walk's per-character tests and decode. Stops at any other byte, before `end` or at `limit`
    /// letters. (Taking full-width punctuation in the run too measured no better: 442.7 → 444.3 M.)
    /// Returns whether it took any.
    ///
    /// Each character is tested and decoded from one 4-byte load (`ideograph(inWord:)`): the byte
    /// after it is read and ignored (inside the buffer, perhaps past `end`), so the run stops one
    /// byte short of the buffer's end (the general walk takes a last character there). A
    /// character is at most one letter, so at most `limit - letters` are taken in a call: one counter
    /// bounds the loop. (A byte at a time, with both bounds tested per character, took ~35
    /// instructions a character; this loop ~27.) The loop keeps one index and its bound, and
    /// counts the characters that are no letters (`countIdeographs`' way).
    @inline(__always)
    static func takeIdeographs(_ buf: UnsafeBufferPointer<UInt8>, from i: inout Int, end: Int, limit: Int,
                               letters: inout Int, hash: inout UInt64) -> Bool {
        guard let base = buf.baseAddress else { return false }
        let start = i
        let steps = Swift.min((Swift.min(end, buf.count &- 1) &- start) / 3, limit &- letters)
        guard steps > 0 else { return false }
        let stop = start &+ 3 &* steps
        var k = start, h = hash, nonLetters = 0
        repeat {
            let word = UInt32(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt32.self))
            guard let scalar = ideograph(inWord: word) else { break }
            h = (h ^ UInt64(scalar)) &* StableHash.fnvPrime
            if !isLetter(scalar) { nonLetters &+= 1 }
            k &+= 3
        } while k < stop
        letters &+= (k &- start) / 3 &- nonLetters
        hash = h
        i = k
        return k != start
    }

    /// The scalar of a well-formed 3-byte character with lead byte E4…E9 (`startsIdeograph`) in the
    /// low three bytes of `word` (little-endian: the lead byte lowest), else nil; the high byte is
    /// ignored. One test: (b2 & C0, b1 & C0, b0) − (80, 80, E4) is 0…5 exactly for such a character,
    /// since other continuation bits differ from 80 by a multiple of 0x4000, which the lead byte's
    /// difference (−E4…1B) cannot cancel.
    @inline(__always)
    package static func ideograph(inWord word: UInt32) -> UInt32? {
        guard (word & 0x00C0_C0FF) &- 0x0080_80E4 < 6 else { return nil }
        return Self.scalar(ofThreeBytes: word)
    }

    /// The scalar of the 3-byte sequence in the low three bytes of `word` (lead byte lowest), its
    /// form unchecked: `ideograph(inWord:)` and `threeByteScalar(inWord:)` test it first.
    @inline(__always)
    static func scalar(ofThreeBytes word: UInt32) -> UInt32 {
        (word & 0x0F) << 12 | (word & 0x3F00) >> 2 | (word >> 16) & 0x3F
    }

    /// The scalar of any well-formed 3-byte character in the low three bytes of `word` (lead byte
    /// lowest), else nil: what `BodyNormalizer.decode` makes of those bytes with length 3 (not an
    /// overlong form below U+0800, not an encoded surrogate); the high byte is ignored.
    @inline(__always)
    package static func threeByteScalar(inWord word: UInt32) -> UInt32? {
        guard word & 0x00C0_C0F0 == 0x0080_80E0 else { return nil }
        let scalar = Self.scalar(ofThreeBytes: word)
        guard scalar >= 0x800, scalar & 0xF800 != 0xD800 else { return nil }
        return scalar
    }

    /// One visible character into the text's hash (FNV-1a step on the scalar) and letter count.
    @inline(__always)
    static func fold(_ scalar: UInt32, hash: inout UInt64, letters: inout Int) {
        hash = (hash ^ UInt64(scalar)) &* StableHash.fnvPrime
        if isLetter(scalar) { letters &+= 1 }
    }

    /// `fold`, or only the letter count when the walk does not hash (`hashing` false).
    @inline(__always)
    static func fold(_ scalar: UInt32, hash: inout UInt64, letters: inout Int, hashing: Bool) {
        if hashing {
            fold(scalar, hash: &hash, letters: &letters)
        } else if isLetter(scalar) {
            letters &+= 1
        }
    }

    /// `takeIdeographs` without the hash: it counts the same characters as letters (it stops where
    /// that stops, at the same limit) without decoding them. A lead byte E5…E9 is U+5000…U+9FFF, all
    /// unified ideographs, so a letter; only a character with lead E4 (U+4000…U+4FFF) is decoded and
    /// asked (`isLetter`: U+4DC0…U+4DFF, the hexagram symbols, are not letters).
    ///
    /// The run goes on over any other well-formed 3-byte character (`threeByteScalar(inWord:)`:
    /// the full-width punctuation between ideographs, `，` `。` `「` `」` `、` `“` `”`), counted as
    /// `isLetter` says: without the hash, the general walks only count such a character (U+3000 is
    /// no letter either), and each stop for one cost a return to the walk, its tests, the decode and
    /// a new run.
    ///
    /// The loop keeps one index and its bound: a character is a letter unless counted among
    /// `nonLetters` (the punctuation, the hexagram symbols), and the letters are the characters
    /// taken less those, counted once at the end (a letter count and a step count kept in the
    /// loop cost two instructions more a character).
    @inline(__always)
    static func countIdeographs(_ buf: UnsafeBufferPointer<UInt8>, from i: inout Int, end: Int, limit: Int, letters: inout Int) -> Bool {
        guard let base = buf.baseAddress else { return false }
        let start = i
        let steps = Swift.min((Swift.min(end, buf.count &- 1) &- start) / 3, limit &- letters)
        guard steps > 0 else { return false }
        let stop = start &+ 3 &* steps
        var k = start, nonLetters = 0
        repeat {
            let word = UInt32(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt32.self))
            // `ideograph(inWord:)`'s test: the low byte of the difference is the lead byte's distance from E4.
            let lead = (word & 0x00C0_C0FF) &- 0x0080_80E4
            if lead < 6 {
                // A branch, not the count of the test's value: the lead E4 is rare, and the test
                // made without a branch cost three more instructions an ideograph (`_slowPath` is only
                // that hint: a plain `if` is the fallback should it go away).
                if _slowPath(lead == 0) {
                    // `scalar(ofThreeBytes:)` with the lead's bits as the constant they are here (the
                    // call in this branch cost +1.7 M in the walk: the compiler laid the loop out anew).
                    if !isLetter(0x4000 | (word & 0x3F00) >> 2 | (word >> 16) & 0x3F) { nonLetters &+= 1 }
                }
            } else {
                guard let scalar = threeByteScalar(inWord: word) else { break }
                if !(isLetterInPunctuationBlocks(scalar) ?? isLetter(scalar)) { nonLetters &+= 1 }
            }
            k &+= 3
        } while k < stop
        letters &+= (k &- start) / 3 &- nonLetters
        i = k
        return k != start
    }

    /// The ASCII letters among the bytes at `p` before the first byte 0x80 or above, at most eight
    /// and at most `available` of them (at least one, as the walk asks), and how many bytes that is:
    /// the HTML count's run of ASCII bytes a word at a time (one byte a step took ~15 instructions
    /// a byte). A byte b below 0x80 is a letter when b | 0x20 is 0x61…0x7A: adding 0x1F sets its bit
    /// 7 from 0x61 on, adding 0x05 from 0x7B on (no carry leaves a byte); the letters' bits are
    /// summed by a multiply into the top byte. Eight bytes from `p` must be readable.
    @inline(__always)
    static func asciiLetters(_ p: UnsafeRawPointer, upTo available: Int) -> (letters: Int, length: Int) {
        let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        let high = word & 0x8080_8080_8080_8080
        let length = Swift.min(high == 0 ? 8 : high.trailingZeroBitCount &>> 3, available)
        let kept: UInt64 = length >= 8 ? ~0 : (1 &<< UInt64(length &* 8)) &- 1
        let folded = (word | 0x2020_2020_2020_2020) & kept
        let letters = (folded &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(folded &+ 0x0505_0505_0505_0505) & 0x8080_8080_8080_8080
        return (Int(truncatingIfNeeded: ((letters &>> 7) &* 0x0101_0101_0101_0101) &>> 56), length)
    }

    /// The run of ideographs from `i` taken (`takeIdeographs`) or, when the walk does not hash, counted.
    @inline(__always)
    static func takeIdeographs(_ buf: UnsafeBufferPointer<UInt8>, from i: inout Int, end: Int, limit: Int,
                               letters: inout Int, hash: inout UInt64, hashing: Bool) -> Bool {
        hashing ? takeIdeographs(buf, from: &i, end: end, limit: limit, letters: &letters, hash: &hash)
            : countIdeographs(buf, from: &i, end: end, limit: limit, letters: &letters)
    }

    /// Reads the body of `document`, stopping once `limit` letters are counted. Without `hashing`,
    /// only `letters` and `hasContent` are made (`hash` stays the seed): the same count, cheaper.
    package init(_ document: borrowing Document, limit: Int = .max, hashing: Bool = true) {
        if document.isHTMLFile {
            self = BodyText(visibleTextOf: document, limit: limit, hashing: hashing)
            return
        }
        let b = document.bytes
        let end = b.count
        var i = document.bodyStart
        var line = document.bodyStartLine
        var lineEnd = line < document.lineStarts.count ? document.lineStarts[line] : end
        // Asked once per line, not once per character (a call into the core each time).
        var lineIsCode = document.isCode(line: line)
        // Counted in locals and decoded on the buffer, inside one `withUnsafeBufferPointer` (the
        // decode of an `ArraySlice` per scalar, and then a closure per scalar, cost more).
        var letters = 0, hash = self.hash, hasContent = false
        // The next `](` after an image's `![`, the next `)` after it or after a link's `](`, the
        // next `>` (or line end) after a tag's `<`: each asked from starts that only move forward.
        var imageTextEnd = ForwardSearchMemo(), imageEnd = ForwardSearchMemo(), linkEnd = ForwardSearchMemo(), tagEnd = ForwardSearchMemo()
        b.withUnsafeBufferPointer { buf in
            while i < end && letters < limit {
                // Fenced code is not article text.
                if i >= lineEnd && lineEnd < end {
                    repeat {
                        line += 1
                        lineEnd = line < document.lineStarts.count ? document.lineStarts[line] : end
                    } while i >= lineEnd && lineEnd < end
                    lineIsCode = document.isCode(line: line)
                }
                if lineIsCode {
                    hasContent = true
                    i = lineEnd
                    continue
                }
                let c = buf[i]
                // Every test below but the decode is of an ASCII byte: a lead byte of a multi-byte
                // character (most of a Chinese body) goes straight to the decode.
                if c < 0x80 {
                    if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
                    hasContent = true
                    if c == 0x3C { // <
                        if ASCIICase.hasPrefix(b, at: i, Self.comment, end: end) {
                            i = (ASCIICase.firstIndex(of: Self.commentEnd, in: b, from: i + 4, to: end) ?? end - 3) + 3
                            continue
                        }
                        if let block = Self.rawBlocks.first(where: { ASCIICase.hasPrefix(b, at: i, $0.open, end: end) }) {
                            i = min(end, (ASCIICase.firstIndex(of: block.close, in: b, from: i, to: end) ?? end) + block.close.count)
                            continue
                        }
                        if i + 1 < end, CJK.isASCIILetter(UInt32(buf[i + 1])) || buf[i + 1] == 0x2F || buf[i + 1] == 0x21 {
                            // The first `>` or line feed from `i + 1` (`end` when neither comes).
                            let j = tagEnd.first(from: i + 1, bound: end) { from, end in
                                var j = from
                                while j < end && buf[j] != 0x3E && buf[j] != 0x0A { j += 1 }
                                return j
                            } ?? end
                            if j < end && buf[j] == 0x3E { i = j + 1; continue }
                        }
                    }
                    if c == 0x21, i + 1 < end, buf[i + 1] == 0x5B { // ![alt](src): an image is not text
                        let lineBound = min(end, lineEnd)
                        if let close = imageTextEnd.first(from: i + 2, bound: lineBound, { ASCIICase.firstIndex(of: [0x5D, 0x28], in: b, from: $0, to: $1) }),
                           let paren = imageEnd.first(from: close + 2, bound: lineBound, { ASCIICase.firstIndex(of: [0x29], in: b, from: $0, to: $1) }) {
                            i = paren + 1
                            continue
                        }
                    }
                    if c == 0x5D, i + 1 < end, buf[i + 1] == 0x28 { // ](destination)
                        i = (linkEnd.first(from: i + 2, bound: min(end, lineEnd)) { ASCIICase.firstIndex(of: [0x29], in: b, from: $0, to: $1) } ?? i + 1) + 1
                        continue
                    }
                    if c == 0x68, ASCIICase.hasPrefix(b, at: i, Self.http, end: end), ASCIICase.hasPrefix(b, at: i + 4, Self.schemeEnd, end: end) || ASCIICase.hasPrefix(b, at: i + 4, Self.secureSchemeEnd, end: end) {
                        var j = i
                        while j < end, buf[j] > 0x20, buf[j] < 0x80, buf[j] != 0x3C, buf[j] != 0x29 { j += 1 }
                        i = j
                        continue
                    }
                    if c == 0x26 { // &entity;
                        var j = i + 1
                        while j < end, j - i < 10, CJK.isASCIILetter(UInt32(buf[j])) || (0x30...0x39).contains(buf[j]) || buf[j] == 0x23 { j += 1 }
                        if j < end, j > i + 1, buf[j] == 0x3B { i = j + 1; continue }
                    }
                } else {
                    hasContent = true
                    // A run of ideographs stays inside the line (its bytes are all above 0x7F).
                    if Self.startsIdeograph(c),
                       Self.takeIdeographs(buf, from: &i, end: end, limit: limit, letters: &letters, hash: &hash, hashing: hashing) { continue }
                }
                let (scalar, length) = BodyNormalizer.decode(buf, at: i, end: end)
                i += length
                // Markdown and table syntax is not text either (ASCII tested only for ASCII scalars).
                if scalar < 0x80 ? BodyText.isMarkdownSyntax(scalar) : (scalar == 0x3000 || scalar == 0xA0) { continue }
                Self.fold(scalar, hash: &hash, letters: &letters, hashing: hashing)
            }
        }
        self.letters = letters
        self.hash = hash
        self.hasContent = hasContent
        scannedForClosers = imageTextEnd.scanned &+ imageEnd.scanned &+ linkEnd.scanned &+ tagEnd.scanned
    }
}

/// The last answer of one of the Markdown walk's forward searches (the end of an image, a link
/// destination or a tag), kept for its next search of that kind.
///
/// An opener left unclosed on its line (`![` with no `](` after it, `](` with no `)`, `<a` with no
/// `>`) is no markup: the walk steps past it and, at the next opener, searched the rest of the line
/// again. On a line of such openers (`![![![…`, `</</</…`) that was the rest of the line for each
/// of them, quadratic: a 400 KB line ran for over two minutes, and the per-file time budget (asked
/// by the engine between rules, and by rules with long loops of their own) could not stop it.
/// The walk's starts only move forward, and an answer found from `from` is the answer from any
/// start up to it (nothing matched between them), as "none before `bound`" is from any later
/// start: so a search runs again only past its last answer, and each byte of a line is scanned
/// about once per kind of search.
struct ForwardSearchMemo {
    private var from = Int.max, bound = -1, found: Int?
    /// Bytes scanned by the searches that ran (not answered from memory): the walk's step count.
    private(set) var scanned = 0

    /// The first match at or after `start` before `bound`, by `search(start, bound)` unless the last
    /// answer (to the same bound, from a start at or before `start`) is it.
    @inline(__always)
    mutating func first(from start: Int, bound: Int, _ search: (_ start: Int, _ bound: Int) -> Int?) -> Int? {
        if bound == self.bound, start >= from, start <= (found ?? bound) { return found }
        let answer = search(start, bound)
        scanned &+= Swift.max(0, (answer ?? bound) &- start)
        from = start
        self.bound = bound
        found = answer
        return answer
    }
}

extension BodyText {
    /// An HTML document's text is its visible text (`Document.html`): tags that span lines, attribute
    /// values, comments and scripts are set aside exactly; an HTML body of only tags is empty.
    /// The text is decoded on the buffer (`BodyNormalizer.decode`, the same scalars as
    /// `UTF8Validation.decode` with a bounds check per byte), or sliced from the scalar decode the
    /// script rules share when one of them has made it (`ScalarSlices`); only a character
    /// reference is asked for its value (a call into the core for every token before).
    package init(visibleTextOf document: borrowing Document, limit: Int, hashing: Bool = true) {
        let shared = document.sharedScalars
        self.init(visibleTextOf: document, limit: limit, scalars: shared.cps, offsets: shared.offsets, hashing: hashing)
    }

    /// `init(visibleTextOf:limit:)` with the shared decode (`scalars`, `offsets`), or empty arrays
    /// to decode each text token's bytes.
    package init(visibleTextOf document: borrowing Document, limit: Int, scalars: [UInt32], offsets: [UInt32], hashing: Bool = true) {
        let b = document.bytes
        var letters = 0, hash = self.hash, hasContent = false
        /// One scalar of text: whitespace is not text.
        @inline(__always) func take(_ scalar: UInt32) {
            guard scalar > 0x20 && scalar != 0x3000 && scalar != 0xA0 else { return }
            Self.fold(scalar, hash: &hash, letters: &letters, hashing: hashing)
        }
        let tokens = document.html.tokens
        // The tokens read in place, a field at a time (`for token in tokens` copied each 64-byte
        // token to the stack first).
        tokens.withUnsafeBufferPointer { tokens in
            b.withUnsafeBufferPointer { buf in
                scalars.withUnsafeBufferPointer { cps in
                    offsets.withUnsafeBufferPointer { offsets in
                        var slices = offsets.isEmpty ? nil : ScalarSlices(offsets: offsets, count: cps.count)
                        for t in tokens.indices {
                            let kind = tokens[t].kind
                            guard kind != .doctype else { continue }
                            let range = tokens[t].range
                            if !hasContent { hasContent = buf[range].contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } }
                            if kind == .characterReference, let scalar = HTMLView.numericReferenceValue(b, tokens[t]) {
                                // Text written as references (`&#20013;&#22269;`) is text.
                                take(scalar)
                                if letters >= limit { return }
                                continue
                            }
                            guard kind == .text else { continue }
                            if let r = slices?.scalars(of: range) {
                                var k = r.lowerBound
                                while k < r.upperBound && letters < limit {
                                    take(cps[k])
                                    k += 1
                                }
                            } else {
                                var i = range.lowerBound
                                let end = range.upperBound
                                while i < end && letters < limit {
                                    let c = buf[i]
                                    if Self.startsIdeograph(c),
                                       Self.takeIdeographs(buf, from: &i, end: end, limit: limit, letters: &letters, hash: &hash, hashing: hashing) { continue }
                                    // Counting only, an ASCII byte is a letter or not without the decode.
                                    // The ASCII bytes up to the next other byte in one loop (the walk's tests once).
                                    if !hashing && c < 0x80 {
                                        if i &+ 8 <= buf.count, let base = buf.baseAddress {
                                            let (count, length) = Self.asciiLetters(UnsafeRawPointer(base + i), upTo: end &- i)
                                            // Past the limit, the walk stops: the count is the limit, as a byte at a time.
                                            letters = Swift.min(letters &+ count, limit)
                                            i &+= length
                                            continue
                                        }
                                        var j = i, n = letters
                                        repeat {
                                            if CJK.isASCIILetter(UInt32(buf[j])) { n &+= 1 }
                                            j &+= 1
                                        } while j < end && buf[j] < 0x80 && n < limit
                                        i = j
                                        letters = n
                                        continue
                                    }
                                    let (scalar, length) = BodyNormalizer.decode(buf, at: i, end: end)
                                    i += length
                                    take(scalar)
                                }
                            }
                            if letters >= limit { return }
                        }
                    }
                }
            }
        }
        self.letters = letters
        self.hash = hash
        self.hasContent = hasContent
    }
}

/// `body-empty`: a file with front matter only, or a body with (almost) no real text once markup,
/// images and links are set aside — the article text was never captured. No fix.
public struct BodyEmptyRule: Rule, RuleWithOptions {
    public static let id = "body-empty"
    package let minCharacters: Int
    package let reading: BodyEmptyReading

    /// Shared with the cross-file half (`BodyPlaceholderRule`).
    public struct Options: Decodable, Sendable {
        package var minCharacters: Int
        package var placeholderMaxCharacters: Int
        package var placeholderMinFiles: Int
        package var pageFiles: [String]
        package var pageLayouts: [String]
    }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        minCharacters = o.minCharacters
        reading = BodyEmptyReading(o)
        guard minCharacters >= 1 else { throw RuleOptionError(option: "minCharacters", message: "must be at least 1") }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // A file without front matter (an empty file included) is `front-matter-missing`'s.
        let text = reading.read(document)
        guard !text.exempt, text.letters < minCharacters else { return }
        let line = Self.firstBodyLine(document)
        if !text.hasContent {
            sink.report(line: line, "body is empty: the file has front matter only")
        } else if text.letters == 0 {
            sink.report(line: line, "body has no text: only markup, images or links (the article text was not captured)")
        } else {
            sink.report(line: line, "body has only \(text.letters) letter\(text.letters == 1 ? "" : "s") of text once markup, images and links are set aside (fewer than \(minCharacters)): the article text was not captured")
        }
    }
}

/// What both halves of `body-empty` read of a document: its body's text counted to one limit (enough
/// letters for either half), and exempt when it has no front matter or is a site page whose body
/// counts below that limit (the site-page globs are tested only then), made once
/// per document (`DocumentViews.bodyText`) for the per-file check and the cross-file collect.
///
/// One limit serves both: a count that stops at the limit is at least `minCharacters` for the check
/// (as its own count would be), and above `placeholderMaxCharacters` for the collect (as its own would
/// be); a count below the limit walked the whole body, as each half's own count would.
package struct BodyEmptyReading: Sendable {
    package let pages: SitePages
    package let limit: Int
    /// The options the count depends on, hashed (`BodyTextCount.key`).
    package let key: UInt64

    package init(_ o: BodyEmptyRule.Options) {
        pages = SitePages(files: o.pageFiles, layouts: o.pageLayouts, templates: true)
        limit = max(o.minCharacters, o.placeholderMaxCharacters &+ 1)
        let parts = ["\(limit)"] + o.pageFiles + ["\u{0}"] + o.pageLayouts
        key = StableHash.fnv1a64(parts.joined(separator: "\u{1}"))
    }

    /// The document's shared count when it was made for these options, else one made here.
    package func read(_ document: Document) -> BodyTextCount {
        let shared = document.views.bodyText { count(document) }
        return shared.key == key ? shared : count(document)
    }

    private func count(_ document: Document) -> BodyTextCount {
        let exempt = BodyTextCount(letters: 0, hash: 0, hasContent: false, exempt: true, key: key)
        guard document.frontMatter != nil else { return exempt }
        // Most bodies reach the limit, and then neither half reads the hash: they are counted
        // without it first, and only a shorter body is read again for its hash. A body of fewer
        // bytes than `hashFirstBytesPerLetter` a letter of the limit is nearly always short (agora
        // ×1: all but two of ~1,600): it is read once, with its hash (the count is the same either
        // way, and a count that reaches the limit keeps the unhashed walk's seed, as before).
        let hashedAtOnce = Self.isLikelyShort(bodyBytes: document.bytes.count &- document.bodyStart, limit: limit)
        var text = BodyText(document, limit: limit, hashing: hashedAtOnce)
        if text.letters >= limit {
            return BodyTextCount(letters: text.letters, hash: BodyText.seed, hasContent: text.hasContent, exempt: false, key: key)
        }
        if !hashedAtOnce { text = BodyText(document, limit: limit) }
        // A count that reached the limit is reported by neither half, site page or not: the page
        // test (the layout, the file name against the page globs) is asked only of a shorter body.
        if text.letters < limit, pages.exempts(document) { return exempt }
        return BodyTextCount(letters: text.letters, hash: text.hash, hasContent: text.hasContent, exempt: false, key: key)
    }

    /// Body bytes per letter under which a body is read with its hash at once: a Han letter takes
    /// three bytes, so a body under three bytes a letter of the limit reaches it only in letters of
    /// one or two bytes (Latin, Cyrillic…). Only the cost depends on it, never the count.
    package static let hashFirstBytesPerLetter = 3

    /// Whether a body of `bodyBytes` bytes is read with its hash at once (`count`).
    @inline(__always)
    package static func isLikelyShort(bodyBytes: Int, limit: Int) -> Bool {
        limit <= Int.max / hashFirstBytesPerLetter && bodyBytes < hashFirstBytesPerLetter &* limit
    }
}

/// Site pages that are not articles: a home page (`layout: home`), a section list (`_index.md`), a
/// 404 page — and, for body rules, archetypes and other templates (front matter with `{{ … }}`
/// placeholders). Shared by `body-empty` and `front-matter-field` (which needs no date or title
/// there), each with its own `pageFiles`/`pageLayouts` options.
package struct SitePages: Sendable {
    package let files: [Glob]
    package let layouts: [String]
    /// Whether a template (front matter with `{{`) counts as a page.
    package let templates: Bool

    package init(files: [String], layouts: [String], templates: Bool) {
        self.files = files.map(Glob.init)
        self.layouts = layouts
        self.templates = templates
    }

    package func exempts(_ document: Document) -> Bool {
        guard let fm = document.frontMatter else { return false }
        if let layout = fm.string(.layout), layouts.contains(layout) { return true }
        if matchesFileName(document.path) { return true }
        guard templates else { return false }
        // `{` by memchr (the front matter of an article has none): the generic `firstRange(of:)`
        // cost 2% of a default run, a byte loop still 0.3%.
        return ByteSearch.containsPair(UInt8(ascii: "{"), in: document.bytes, 0..<fm.bodyStart) { $0 == UInt8(ascii: "{") }
    }
}

extension SitePages {
    /// Where the file name begins: after the last `/`, found by `memchr` from the front (a path
    /// has a few slashes; the byte loop from the end of every path was most of `exempts`).
    private static func fileNameStart(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var start = 0
        while let slash = ByteWords.firstIndex(of: UInt8(ascii: "/"), in: b, from: start, to: b.count) { start = slash + 1 }
        return start
    }

    /// Whether a `files` glob matches the file name of `path`: bare `name*` globs (the defaults) on
    /// the name's bytes in place, others on the name as a `String` (made once, only for them).
    package func matchesFileName(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { b -> Bool in
            let name = UnsafeBufferPointer(rebasing: b[Self.fileNameStart(b)...])
            var nameString: String?
            for glob in files {
                if let answer = glob.matchesFileName(name) {
                    if answer { return true }
                    continue
                }
                if nameString == nil { nameString = String(decoding: name, as: UTF8.self) }
                if let nameString, glob.matches(nameString) { return true }
            }
            return false
        }
    }
}

extension BodyEmptyRule {
    /// The first non-blank body line (the body start when there is none), where a finding about the body goes.
    package static func firstBodyLine(_ document: Document) -> Int {
        let last = document.lineCount
        guard document.bodyStartLine <= last else { return max(1, last) }
        for n in document.bodyStartLine...last where document.lineBytes(n).contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
            return n
        }
        return document.bodyStartLine
    }
}

/// `body-empty` (cross-file): one short body shared by many files — a farewell page, a paywall or a
/// "page not found" notice captured in place of each article. Fact: the short body's hash, the
/// title's hash and the body line (nothing for bodies with enough text).
public struct BodyPlaceholderRule: CrossFileRule, RuleWithOptions {
    public typealias Options = BodyEmptyRule.Options
    public static let id = "body-empty"

    public struct Fact: Codable, Sendable, Equatable, FactRecord {
        public var hash: UInt64
        public var title: UInt64
        public var line: Int
        public var letters: Int

        public init(hash: UInt64, title: UInt64, line: Int, letters: Int) {
            self.hash = hash
            self.title = title
            self.line = line
            self.letters = letters
        }

        public func write(to record: inout FactRecordWriter) {
            record.fixed64(hash)
            record.fixed64(title)
            record.int(line)
            record.int(letters)
        }

        public init(record: inout FactRecordReader) throws {
            hash = try record.fixed64()
            title = try record.fixed64()
            line = try record.int()
            letters = try record.int()
        }
    }

    package let minCharacters: Int
    package let maxCharacters: Int
    package let minFiles: Int
    package let reading: BodyEmptyReading

    /// A finding on a file points at its fact's line.
    public static func quotedLine(of fact: Fact) -> Int? { fact.line }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        reading = BodyEmptyReading(o)
        minCharacters = o.minCharacters
        maxCharacters = o.placeholderMaxCharacters
        minFiles = o.placeholderMinFiles
        guard minFiles >= 2 else { throw RuleOptionError(option: "placeholderMinFiles", message: "must be at least 2") }
    }

    public func collect(_ document: Document) -> Fact? {
        let text = reading.read(document)
        // Shorter bodies are reported file by file; longer ones are articles.
        guard !text.exempt, text.letters >= minCharacters, text.letters <= maxCharacters else { return nil }
        // The title hashed on its UTF-8 (a plain one's bytes in place: no string made for it).
        let title = document.frontMatter.flatMap { fm in fm.index(of: .title).flatMap { document.withFrontMatterScalarUTF8(ofEntry: $0, StableHash.fnv1a64(utf8:)) } } ?? 0
        return Fact(hash: mix64(text.hash ^ UInt64(text.letters)), title: title, line: BodyEmptyRule.firstBodyLine(document), letters: text.letters)
    }

    public func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink) {
        // Each record read once (`recordedFact`) into the array the later passes read (a large
        // group's titles, a finding's line and letters): a fact asked of the table is decoded
        // each time. Facts by index: a path is read (decoded from the engine's path list) only
        // for a finding.
        var all: [Fact] = []
        all.reserveCapacity(facts.count)
        for i in facts.indices { all.append(facts.recordedFact(i)) }
        let groups = ChainGroups(all.lazy.map { $0.hash })
        // Per group (by its first member): whether its first 64 members carry two or more titles.
        var variedTitles: [Int: Bool] = [:]
        for i in facts.indices {
            let size = groups.size(of: i)
            guard size >= minFiles else { continue }
            let f = all[i]
            // The same short item under the same title (a recurring market or weather flash) is news;
            // one body under different titles, or under one title very many times, is a placeholder.
            let members = groups.members(of: i)
            let first = members.first(where: { _ in true }) ?? i
            let varied = variedTitles[first] ?? (Set(members.lazy.prefix(64).map { all[$0].title }).count >= 2)
            variedTitles[first] = varied
            guard varied || size >= 4 * minFiles else { continue }
            let others = members.lazy.filter { $0 != i }.map { facts.path($0) }
            sink.report(path: facts.path(i), line: f.line,
                        "placeholder body: the same \(f.letters)-letter text is the whole body of \(size) files (also \(listing(others, total: size - 1, limit: 3)))")
        }
    }
}
