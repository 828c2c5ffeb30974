/// One attribute of a tag: byte ranges into the document, never copied.
public struct HTMLAttribute: Sendable, Equatable {
    /// The attribute name as written (compare with `HTMLView.equalsIgnoringASCIICase`).
    public var name: Range<Int>
    /// The value without its quotes; nil for a bare attribute (`<input disabled>`).
    public var value: Range<Int>?
    /// The quote around the value (`"` or `'`), 0 when unquoted or bare.
    public var quote: UInt8
}

/// A token of an HTML body. Text is split at character references so that every byte of a
/// document belongs to exactly one token and the tokens, in order, tile the tokenized range.
public struct HTMLToken: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// Visible text (also the content of `<title>` and `<textarea>`, which browsers show).
        case text
        /// `&amp;`, `&#12288;`, `&#x3000;`, `&nbsp` (legacy form without `;`).
        case characterReference
        case startTag
        case endTag
        /// `<!-- … -->` and the bogus comments browsers make of `<!…>`, `<?…>`, `</ …>`.
        case comment
        case doctype
        /// The content of `<script>`, `<style>` and the other raw-text elements: never prose.
        case rawText
    }

    public var kind: Kind
    /// `<br/>`-style self-closing syntax. (Declared beside `kind`, so that the two share a word
    /// and `nameKey` fits in the token's 64 bytes.)
    public var selfClosing: Bool
    /// Every byte of the token (for tags, from `<` through `>`).
    public var range: Range<Int>
    /// Tag name bytes (start and end tags); empty otherwise.
    public var name: Range<Int>
    /// Indices of this tag's attributes in `HTMLView.attributes`.
    public var attributeIndices: Range<Int>
    /// The name's `TagNameKey` as the tokenizer made it, 0 when not made (a name that does not
    /// pack, a token made elsewhere): read it through `key(in:)`. The element structure, the
    /// block split, the code flags and the image rules each packed every tag's name again.
    @usableFromInline var nameKey: UInt64

    public init(kind: Kind, range: Range<Int>, name: Range<Int>, selfClosing: Bool, attributeIndices: Range<Int>) {
        self.init(kind: kind, range: range, name: name, selfClosing: selfClosing, attributeIndices: attributeIndices, nameKey: 0)
    }

    @usableFromInline
    init(kind: Kind, range: Range<Int>, name: Range<Int>, selfClosing: Bool, attributeIndices: Range<Int>, nameKey: UInt64) {
        self.kind = kind
        self.selfClosing = selfClosing
        self.range = range
        self.name = name
        self.attributeIndices = attributeIndices
        self.nameKey = nameKey
    }

    /// `TagNameKey.of(bytes, name)` (`bytes` the document's): the key the tokenizer kept, made
    /// again only when it kept none.
    @inlinable @inline(__always)
    package func key(in bytes: [UInt8]) -> UInt64? {
        nameKey != 0 ? nameKey : TagNameKey.of(bytes, name)
    }

    /// Whether the token is shown to a reader as text (text and character references).
    @inlinable public var isVisibleText: Bool { kind == .text || kind == .characterReference }
}

/// The HTML structure of a document body: a byte-level tokenizer after the WHATWG tokenizer's
/// states that matter for text (tags with quoted attributes, comments, doctype, raw-text
/// elements, character references). It never builds a tree and never allocates per byte;
/// every token points into the document's bytes, so a rule that finds a problem in visible
/// text reports and fixes exact byte ranges without touching markup.
///
/// Linear in the input: every scan moves forward, and once a tag runs to the end of the input
/// without `>`, later `<` are text (otherwise each `<a` of a `<a <a <a …` flood would rescan).
public struct HTMLView: Sendable {
    /// The tokens, in document order.
    @inlinable public var tokens: [HTMLToken] { arrays.tokens }
    /// The attributes of every tag, each tag's at its token's `attributeIndices`.
    @inlinable public var attributes: [HTMLAttribute] { arrays.attributes }
    /// The view's arrays behind one reference: the rules read the view through `Document.html`,
    /// which hands each asker its own copy (some ten an HTML file), and a copy of three arrays
    /// retained and released each of them (115,000 retains at agora ×1; one each now).
    @usableFromInline let arrays: Arrays
    /// The byte range that was tokenized (a document's body).
    public let range: Range<Int>
    /// Whether the input ends inside markup: a tag without `>`, a comment without `-->`, a
    /// `<script>` or `<title>` without its end tag. Text appended at the end would land in it.
    public let endsInsideMarkup: Bool
    /// `inCode[i]`: token `i` lies inside `<pre>`, `<code>`, `<kbd>` or `<samp>` — shown as
    /// written, so prose rules leave it alone (like Markdown code spans and fences). Made here from
    /// `codeFlags` on every access (the tests compare whole views); the rules ask `isInCode(token:)`.
    package var inCode: [Bool] { codeFlags.isEmpty ? [Bool](repeating: false, count: tokens.count) : codeFlags }
    /// `inCode`, or empty when no token is inside a code element (a news page has none: no flag
    /// per token is allocated, written and freed for every HTML document).
    @inlinable var codeFlags: [Bool] { arrays.codeFlags }

    /// `HTMLView`'s arrays, made once by its init and never changed.
    @usableFromInline final class Arrays: Sendable {
        @usableFromInline let tokens: [HTMLToken]
        @usableFromInline let attributes: [HTMLAttribute]
        @usableFromInline let codeFlags: [Bool]

        init(tokens: [HTMLToken], attributes: [HTMLAttribute], codeFlags: [Bool]) {
            self.tokens = tokens
            self.attributes = attributes
            self.codeFlags = codeFlags
        }
    }

    package static let codeElements: [[UInt8]] = ["pre", "code", "kbd", "samp"].map { Array($0.utf8) }

    /// Whether a tag name's `TagNameKey` is one of `codeElements` (their keys as literals: the first
    /// byte lowest, `pre` is 0x65_72_70).
    @inline(__always)
    package static func isCodeElement(_ key: UInt64) -> Bool {
        key == 0x65_72_70 || key == 0x65_64_6F_63 || key == 0x64_62_6B || key == 0x70_6D_61_73
    }

    /// Whether `key` (`TagNameKey`) is that of one of `rawTextElements` or `escapableRawTextElements`
    /// (all but `plaintext`, which no key holds): the names the tokenizer reads a start tag's
    /// content differently after. Literals, first byte lowest (a table would be read through a
    /// lazy global); the tests check them against the lists.
    @inline(__always)
    package static func isRawTextKey(_ key: UInt64) -> Bool {
        switch key {
        case 0x74_70_69_72_63_73,           // script
             0x65_6C_79_74_73,              // style
             0x70_6D_78,                    // xmp
             0x65_6D_61_72_66_69,           // iframe
             0x64_65_62_6D_65_6F_6E,        // noembed
             0x73_65_6D_61_72_66_6F_6E,     // noframes
             0x74_70_69_72_63_73_6F_6E,     // noscript
             0x65_6C_74_69_74,              // title
             0x61_65_72_61_74_78_65_74:     // textarea
            return true
        default:
            return false
        }
    }

    /// Elements whose content is not parsed for tags (up to the matching end tag).
    package static let rawTextElements: [[UInt8]] = ["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"].map { Array($0.utf8) }
    /// Elements whose content is text with character references but no tags.
    package static let escapableRawTextElements: [[UInt8]] = ["title", "textarea"].map { Array($0.utf8) }

    public init(bytes: [UInt8], range: Range<Int>) {
        self.init(bytes: bytes, range: range, skipsText: true)
    }

    /// `skipsText: false` scans text byte by byte as the tokenizer first did: the reference of the
    /// equivalence tests for the eight-byte skip.
    package init(bytes: [UInt8], range: Range<Int>, skipsText: Bool) {
        var tokenizer = Tokenizer()
        tokenizer.skipsText = skipsText
        // Written into storage a finished document gave back (`HTMLStorage`): two `malloc`s and
        // `free`s an HTML file saved, and a kept array has room for most pages without growing.
        tokenizer.tokens = HTMLStorage.tokens.take()
        tokenizer.attributes = HTMLStorage.attributes.take()
        bytes.withUnsafeBufferPointer { tokenizer.run($0, range.clamped(to: 0..<$0.count)) }
        endsInsideMarkup = tokenizer.tagsExhausted || tokenizer.unterminated
        self.range = range.clamped(to: 0..<bytes.count)
        var codeFlags: [Bool] = []
        // Only when the tokenizer saw a tag named like a code element: a news page has none, and the
        // walk over every token found nothing to flag (~4 M instructions at agora ×1).
        if tokenizer.sawCodeElementName {
            // Through the buffer, each token's fields read in place: a copy of every 64-byte token per
            // step (and the array's bounds checks) cost more than the tests.
            tokenizer.tokens.withUnsafeBufferPointer { tokens in
                var depth = 0
                for i in 0..<tokens.count {
                    // The code elements' names are 3 or 4 bytes long: other tags are not compared with each,
                    // and those are compared as one packed word (a global array's four names, a closure each, before).
                    let kind = tokens[i].kind
                    if kind == .startTag || kind == .endTag, case let name = tokens[i].name, name.count == 3 || name.count == 4,
                       !tokens[i].selfClosing, let key = tokens[i].key(in: bytes), Self.isCodeElement(key) {
                        depth = kind == .startTag ? depth + 1 : max(0, depth - 1)
                    }
                    if depth > 0 {
                        if codeFlags.isEmpty { codeFlags = [Bool](repeating: false, count: tokens.count) }
                        codeFlags[i] = true
                    }
                }
            }
        }
        arrays = Arrays(tokens: tokenizer.tokens, attributes: tokenizer.attributes, codeFlags: codeFlags)
    }

    public func attributes(of token: HTMLToken) -> ArraySlice<HTMLAttribute> { attributes[token.attributeIndices] }

    /// Whether `token` is a start or end tag named `name` (ASCII, lowercase).
    public func isTag(_ token: HTMLToken, named name: String, in bytes: [UInt8]) -> Bool {
        (token.kind == .startTag || token.kind == .endTag) && Self.equalsIgnoringASCIICase(bytes, token.name, name.utf8)
    }

    /// The value range of `token`'s attribute `name` (ASCII, lowercase), if present with a value.
    /// The name is compared as its UTF-8 buffer, taken once: its `utf8` view was counted and
    /// stepped again for every attribute (~120,000 lookups at agora ×1, most of them misses).
    public func attributeValue(_ token: HTMLToken, named name: String, in bytes: [UInt8]) -> Range<Int>? {
        let attributes = attributes(of: token)
        guard !attributes.isEmpty else { return nil }
        var name = name
        return name.withUTF8 { name in
            for attribute in attributes where Self.equalsIgnoringASCIICase(bytes, attribute.name, name) { return attribute.value }
            return nil
        }
    }

    /// The tag name lowercased (for messages and sets; rules on hot paths compare bytes instead).
    public func tagName(_ token: HTMLToken, in bytes: [UInt8]) -> String {
        let name = token.name
        // An ASCII name (nearly all) is written straight into the string: mapping it to an array
        // first allocated one per tag.
        if name.count <= 32, bytes[name].allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: name.count) { out in
                for (k, b) in bytes[name].enumerated() { out[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
                return name.count
            }
        }
        return String(decoding: bytes[name].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The code point of a numeric character reference (`&#20013;`, `&#x4E2D;`); nil for named
    /// references, out-of-range values, surrogates and NUL. Text written as references is text.
    public static func numericReferenceValue(_ bytes: [UInt8], _ token: HTMLToken) -> UInt32? {
        guard token.kind == .characterReference, token.range.count >= 3, bytes[token.range.lowerBound + 1] == 0x23 else { return nil }
        return bytes.withUnsafeBufferPointer { numericReference($0, at: token.range.lowerBound, end: token.range.upperBound)?.value }
    }

    /// The numeric character reference at `i` (`&#`, then one to eight decimal digits, or `x`/`X` and
    /// one to eight hex digits), read as the tokenizer reads one: `end` is past its `;` when one
    /// follows the digits (`terminated`), else past the digits; `value` is its code point, nil when it
    /// names no character (zero, a surrogate, past U+10FFFF). Nil when `&#` and a digit do not start
    /// `i`. The one reading of the digits: the tokenizer's references, the token form above and image
    /// sources (which decode theirs, `&#46;&#46;/`, and write U+FFFD for a nil value) all use it.
    public static func numericReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (end: Int, terminated: Bool, value: UInt32?)? {
        guard i + 2 < end, b[i] == 0x26, b[i + 1] == 0x23 else { return nil }
        var j = i + 2
        let hex = b[j] | 0x20 == 0x78
        if hex { j += 1 }
        let digitsStart = j
        // Eight digits at most: the value fits a UInt32 (0xFFFFFFFF, 99,999,999) before it is judged.
        var value: UInt32 = 0
        while j < end, j - digitsStart < 8 {
            let c = b[j]
            let digit: UInt32
            if c &- 0x30 < 10 {
                digit = UInt32(c &- 0x30)
            } else if hex, (c | 0x20) &- 0x61 < 6 {
                digit = UInt32((c | 0x20) &- 0x61 + 10)
            } else {
                break
            }
            value = value &* (hex ? 16 : 10) &+ digit
            j += 1
        }
        guard j > digitsStart else { return nil }
        let terminated = j < end && b[j] == 0x3B
        let named = value > 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
        return (terminated ? j + 1 : j, terminated, named ? value : nil)
    }

    /// Index of the token containing byte `offset`, or nil outside `range`.
    public func tokenIndex(containing offset: Int) -> Int? {
        let tokens = self.tokens
        var lo = 0, hi = tokens.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = tokens[mid].range
            if offset < r.lowerBound { hi = mid - 1 } else if offset >= r.upperBound { lo = mid + 1 } else { return mid }
        }
        return nil
    }

    /// Whether token `i` is prose: visible text outside code elements.
    /// Inlinable: the script rules ask it per scalar of HTML text (a call into this module each time showed in profiles).
    @inlinable public func isProse(token i: Int) -> Bool { tokens[i].isVisibleText && !isInCode(token: i) }

    /// `inCode[i]`, without making the array.
    @inlinable public func isInCode(token i: Int) -> Bool { !codeFlags.isEmpty && codeFlags[i] }

    /// Whether byte `offset` is prose (visible text outside code elements).
    public func isProse(at offset: Int) -> Bool { tokenIndex(containing: offset).map { isProse(token: $0) } ?? false }

    /// Whether the whole of `range` is prose (text and character references outside code elements).
    public func isProse(_ range: Range<Int>) -> Bool { allTokens(of: range) { isProse(token: $0) } }

    /// Whether byte `offset` is part of visible text (text or a character reference). Bytes
    /// outside the tokenized range are not.
    public func isVisibleText(at offset: Int) -> Bool { tokenIndex(containing: offset).map { tokens[$0].isVisibleText } ?? false }

    /// Whether the whole of `range` lies in visible text (it may span several text tokens and
    /// character references, but no tag, comment or raw text).
    public func isVisibleText(_ range: Range<Int>) -> Bool { allTokens(of: range) { tokens[$0].isVisibleText } }

    /// Whether every token overlapping the non-empty `range` (inside the tokenized range) satisfies `test`.
    private func allTokens(of range: Range<Int>, _ test: (Int) -> Bool) -> Bool {
        guard !range.isEmpty, var i = tokenIndex(containing: range.lowerBound) else { return false }
        while true {
            guard test(i) else { return false }
            if tokens[i].range.upperBound >= range.upperBound { return true }
            i += 1
            guard i < tokens.count else { return false }
        }
    }

    /// HTML's ASCII whitespace: tab, LF, FF, CR, space. Inlinable: the rules ask it per byte
    /// (309,000 calls at agora ×1), each a call into this module.
    @inlinable @inline(__always) package static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }

    /// Whether the bytes of `range`, ASCII upper case folded, are `lowercase`. The lengths are
    /// compared first (an array's and a native `String`'s UTF-8 count are stored): most tag and
    /// attribute names a rule asks about differ in length from the one written. Inlinable, so
    /// that the rules' calls are specialized (unspecialized, each byte went through a witness).
    @inlinable
    package static func equalsIgnoringASCIICase<C: Collection<UInt8>>(_ bytes: [UInt8], _ range: Range<Int>, _ lowercase: C) -> Bool {
        guard range.count == lowercase.count else { return false }
        var i = range.lowerBound
        for expected in lowercase {
            var b = bytes[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            guard b == expected else { return false }
            i += 1
        }
        return true
    }
}

/// The tokenizer's working state; `HTMLView.init` runs it once.
private struct Tokenizer {
    var tokens: [HTMLToken] = []
    var attributes: [HTMLAttribute] = []
    /// Set once a tag ran to the end of the input without `>`: later `<` are text.
    var tagsExhausted = false
    /// Start of the text run not yet emitted.
    var textStart = 0
    /// Set when a comment, doctype or raw-text element runs to the end of the input.
    var unterminated = false
    /// Whether text is skipped eight bytes at a time up to the next `<` or `&`.
    var skipsText = true
    /// Whether a start or end tag's key is a code element's (`HTMLView.isCodeElement`): without one
    /// no token is inside code, and `HTMLView.init` skips its walk for `codeFlags`.
    var sawCodeElementName = false

    mutating func run(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        let end = range.upperBound
        var i = range.lowerBound
        textStart = i
        // Room for the tokens of a typical page (agora's HTML posts: about one `<` per 90 bytes, a
        // tag and a text run each), capped: growing from empty reallocated and copied the arrays
        // seven or eight times per document.
        tokens.reserveCapacity(min(range.count / 32, 4096) + 8)
        attributes.reserveCapacity(min(range.count / 64, 2048) + 4)
        // The next `&` at or after `i` (`end` for none), found once and kept until `i` passes it:
        // `&` is rare in news text, so most text runs are one `memchr` for `<` up to it (the
        // eight-byte test for either byte cost about two instructions a byte of every HTML body).
        var nextAmpersand = -1
        while i < end {
            // An article's text runs are long and hold neither `<` nor `&`: skipped to the next
            // byte that may start markup.
            if skipsText {
                if nextAmpersand < i { nextAmpersand = Self.find(0x26, buf, from: i, end: end) ?? end }
                // A `<` right here (a tag after a tag: `</p><p>`) is where the search would stop: no
                // `memchr` call for it (`nextAmpersand` is then past `i`, as `buf[i]` is not `&`).
                if buf[i] != 0x3C { i = Self.find(0x3C, buf, from: i, end: nextAmpersand) ?? nextAmpersand }
                guard i < end else { break }
            }
            let b = buf[i]
            if b == 0x3C, !tagsExhausted, let next = markup(buf, at: i, end: end) {
                i = next
            } else if b == 0x26, let refEnd = characterReference(buf, at: i, end: end) {
                i = refEnd
            } else {
                i += 1
            }
        }
        flushText(upTo: end)
    }

    /// Emits the character reference starting with `&` at `i` (after the text before it) and
    /// returns its end; nil when the `&` is a plain ampersand.
    mutating func characterReference(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        guard let refEnd = Self.characterReferenceEnd(buf, at: i, end: end) else { return nil }
        emit(.characterReference, i..<refEnd)
        return refEnd
    }

    @inline(__always)
    mutating func flushText(upTo offset: Int) {
        guard textStart < offset else { return }
        tokens.append(HTMLToken(kind: .text, range: textStart..<offset, name: textStart..<textStart, selfClosing: false, attributeIndices: 0..<0))
        textStart = offset
    }

    mutating func emit(_ kind: HTMLToken.Kind, _ range: Range<Int>, name: Range<Int>? = nil, selfClosing: Bool = false, attributes attrs: Range<Int> = 0..<0,
                       nameKey: UInt64 = 0) {
        flushText(upTo: range.lowerBound)
        tokens.append(HTMLToken(kind: kind, range: range, name: name ?? range.lowerBound..<range.lowerBound, selfClosing: selfClosing, attributeIndices: attrs,
                                nameKey: nameKey))
        textStart = range.upperBound
    }

    /// Tokenizes the markup starting with `<` at `i`; returns the offset after it, or nil when
    /// the `<` is text (`a < b`, `<3`, `<中文>`).
    mutating func markup(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        guard i + 1 < end else { return nil }
        let c = buf[i + 1]
        // Start and end tags (nearly all markup) reach `tag` through this one call, inlined here.
        let nameStart: Int, kind: HTMLToken.Kind
        if Self.isASCIIAlpha(c) {
            (nameStart, kind) = (i + 1, .startTag)
        } else if c == 0x2F, i + 2 < end, Self.isASCIIAlpha(buf[i + 2]) {
            (nameStart, kind) = (i + 2, .endTag)
        } else {
            return otherMarkup(buf, at: i, end: end)
        }
        return tag(buf, at: i, nameStart: nameStart, kind: kind, end: end)
    }

    /// `markup` of what is not a start or end tag: comments, doctype, `</>`, bogus comments.
    mutating func otherMarkup(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        let c = buf[i + 1]
        if c == 0x2F {  // </
            guard i + 2 < end else { return nil }
            let d = buf[i + 2]  // not a letter: `markup` took those
            if d == 0x3E { emit(.comment, i..<(i + 3)); return i + 3 }  // `</>` is dropped by browsers
            return bogusComment(buf, at: i, from: i + 2, end: end)
        }
        if c == 0x21 {  // <!
            if Self.hasPrefix(buf, at: i + 2, end: end, "--") { return comment(buf, at: i, end: end) }
            if Self.hasPrefixIgnoringCase(buf, at: i + 2, end: end, "doctype") {
                let close = Self.find(0x3E, buf, from: i + 2, end: end)
                if close == nil { unterminated = true }
                let stop = close.map { $0 + 1 } ?? end
                emit(.doctype, i..<stop)
                return stop
            }
            return bogusComment(buf, at: i, from: i + 2, end: end)
        }
        if c == 0x3F { return bogusComment(buf, at: i, from: i + 2, end: end) }  // <?
        return nil
    }

    mutating func bogusComment(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, from: Int, end: Int) -> Int {
        let close = Self.find(0x3E, buf, from: from, end: end)
        if close == nil { unterminated = true }
        let stop = close.map { $0 + 1 } ?? end
        emit(.comment, i..<stop)
        return stop
    }

    /// `<!--` … `-->` (or `--!>`); `<!-->` and `<!--->` close at once; unclosed runs to the end.
    mutating func comment(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        var j = i + 4
        if j < end && buf[j] == 0x3E { emit(.comment, i..<(j + 1)); return j + 1 }
        if j + 1 < end && buf[j] == 0x2D && buf[j + 1] == 0x3E { emit(.comment, i..<(j + 2)); return j + 2 }
        while j < end {
            if buf[j] == 0x2D, j + 2 < end, buf[j + 1] == 0x2D {
                if buf[j + 2] == 0x3E { emit(.comment, i..<(j + 3)); return j + 3 }
                if buf[j + 2] == 0x21, j + 3 < end, buf[j + 3] == 0x3E { emit(.comment, i..<(j + 4)); return j + 4 }
            }
            j += 1
        }
        unterminated = true
        emit(.comment, i..<end)
        return end
    }

    /// A start or end tag: name, attributes (quoted values may hold `>`), `>` or `/>`. Inlined in
    /// `markup` (its one caller for tags): a call of its own per tag spilled and reloaded the state.
    @inline(__always)
    mutating func tag(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, nameStart: Int, kind: HTMLToken.Kind, end: Int) -> Int? {
        var j = nameStart
        while j < end, !Self.endsName(buf[j]) { j += 1 }
        let name = nameStart..<j
        let firstAttribute = attributes.count
        var selfClosing = false
        while j < end {
            let b = buf[j]
            if Self.isSpace(b) { j += 1; continue }
            if b == 0x3E { break }
            if b == 0x2F {
                selfClosing = j + 1 < end && buf[j + 1] == 0x3E
                j += 1
                continue
            }
            selfClosing = false
            // Attribute name: up to space, `/`, `>` or `=` (a leading `=` belongs to the name).
            let attrStart = j
            j += 1
            while j < end, !Self.endsAttributeName(buf[j]) { j += 1 }
            var attribute = HTMLAttribute(name: attrStart..<j, value: nil, quote: 0)
            var k = j
            while k < end && Self.isSpace(buf[k]) { k += 1 }
            if k < end && buf[k] == 0x3D {
                k += 1
                while k < end && Self.isSpace(buf[k]) { k += 1 }
                if k < end && (buf[k] == 0x22 || buf[k] == 0x27) {
                    let quote = buf[k]
                    guard let close = Self.find(quote, buf, from: k + 1, end: end) else {
                        attributes.removeSubrange(firstAttribute...)
                        tagsExhausted = true
                        return nil
                    }
                    attribute.value = (k + 1)..<close
                    attribute.quote = quote
                    j = close + 1
                } else {
                    let valueStart = k
                    while k < end, !Self.endsUnquotedValue(buf[k]) { k += 1 }
                    attribute.value = valueStart..<k
                    j = k
                }
            }
            attributes.append(attribute)
        }
        guard j < end else {
            // No `>` before the end: browsers drop the tag; a linter keeps the text visible.
            attributes.removeSubrange(firstAttribute...)
            tagsExhausted = true
            return nil
        }
        let stop = j + 1
        // The name's key, made here once for the element structure, the block split and the rules.
        let nameKey = TagNameKey.of(buf, name) ?? 0
        if HTMLView.isCodeElement(nameKey) { sawCodeElementName = true }
        emit(kind, i..<stop, name: name, selfClosing: selfClosing, attributes: firstAttribute..<attributes.count, nameKey: nameKey)
        // A name the key holds (up to eight ASCII bytes) is compared by its key: `div`, `strong`,
        // `section` and the like no longer call `rawTextContent` to compare it with ten names
        // (17,000 calls, ~2.5 M instructions at agora ×1). Without a key (`plaintext`, a name
        // with a byte above 0x7F), as before.
        if kind == .startTag && !selfClosing && Self.mayNameRawText(name.count) && (nameKey == 0 || HTMLView.isRawTextKey(nameKey)) {
            return rawTextContent(buf, after: stop, name: name, end: end)
        }
        return stop
    }

    /// After `<script>` and the like, everything up to `</script` is raw text; after `<title>`
    /// and `<textarea>` it is text without tags (character references still count).
    mutating func rawTextContent(_ buf: UnsafeBufferPointer<UInt8>, after start: Int, name: Range<Int>, end: Int) -> Int {
        let nameBytes = UnsafeBufferPointer(rebasing: buf[name])
        let isRaw = HTMLView.rawTextElements.contains { Self.equalsLowercase(nameBytes, $0) }
        let isEscapable = !isRaw && HTMLView.escapableRawTextElements.contains { Self.equalsLowercase(nameBytes, $0) }
        guard isRaw || isEscapable else { return start }
        var j = start
        var close = end
        defer { if close == end { unterminated = true } }
        while let lt = Self.find(0x3C, buf, from: j, end: end) {
            if lt + 1 < end, buf[lt + 1] == 0x2F, Self.hasPrefixIgnoringCase(buf, at: lt + 2, end: end, nameBytes) {
                let after = lt + 2 + name.count
                if after >= end || Self.isSpace(buf[after]) || buf[after] == 0x2F || buf[after] == 0x3E { close = lt; break }
            }
            j = lt + 1
        }
        if isRaw {
            if start < close { emit(.rawText, start..<close) }
        } else {
            // Escapable raw text: text with character references, no tags.
            var k = start
            while k < close {
                if buf[k] == 0x26, let refEnd = characterReference(buf, at: k, end: close) { k = refEnd } else { k += 1 }
            }
            flushText(upTo: close)
        }
        return close
    }

    /// Whether a name of `length` bytes may be a raw-text or escapable raw-text element's: those are
    /// 3 or 5 to 9 bytes long, so most start tags (`p`, `a`, `li`, `span`…) skip the ten comparisons
    /// (and the call) of `rawTextContent`.
    @inline(__always) static func mayNameRawText(_ length: Int) -> Bool { length == 3 || (length >= 5 && length <= 9) }

    /// Legacy named references that browsers accept without `;` (the ones scrapers leave).
    static let legacyNames: [[UInt8]] = ["nbsp", "amp", "lt", "gt", "quot", "copy", "reg"].map { Array($0.utf8) }

    /// End of a character reference at `i` (`&`): `&#123;`, `&#x1F;`, `&name;` (up to 32 letters
    /// or digits), or a legacy name without `;`. Nil when the `&` is a plain ampersand.
    static func characterReferenceEnd(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        var j = i + 1
        guard j < end else { return nil }
        if buf[j] == 0x23 { return HTMLView.numericReference(buf, at: i, end: end)?.end } // &#
        let nameStart = j
        while j < end, j - nameStart < 32, isASCIIAlpha(buf[j]) || isDigit(buf[j]) { j += 1 }
        guard j > nameStart, isASCIIAlpha(buf[nameStart]) else { return nil }
        if j < end && buf[j] == 0x3B { return j + 1 }
        let name = UnsafeBufferPointer(rebasing: buf[nameStart..<j])
        return legacyNames.contains { name.elementsEqual($0) } ? j : nil
    }

    /// The next `byte` (a quote closing an attribute value, `>`, `<` in a script) by `memchr`:
    /// a byte loop here was a fifth of tokenizing (long URLs and inline styles).
    @inline(__always)
    static func find(_ byte: UInt8, _ buf: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int? {
        ByteWords.firstIndex(of: byte, in: buf, from: from, to: end)
    }

    static func hasPrefix(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, _ prefix: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard i + p.count <= end else { return false }
        for k in 0..<p.count where buf[i + k] != p[k] { return false }
        return true
    }

    static func hasPrefixIgnoringCase(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, _ prefix: StaticString) -> Bool {
        hasPrefixIgnoringCase(buf, at: i, end: end, UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
    }

    /// `prefix` compared case-insensitively (ASCII) at `i`.
    static func hasPrefixIgnoringCase(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, _ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        guard i + prefix.count <= end else { return false }
        for k in 0..<prefix.count where lower(buf[i + k]) != lower(prefix[k]) { return false }
        return true
    }

    static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: [UInt8]) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        for k in 0..<bytes.count where lower(bytes[k]) != lowercase[k] { return false }
        return true
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
    @inline(__always) static func isASCIIAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// HTML's ASCII whitespace: tab, LF, FF, CR, space.
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }
    // The bytes that end a name or an unquoted value are all at most `>` (0x3E): letters, digits
    // and the bytes of non-ASCII names pass on one comparison.
    /// Whitespace, `/` or `>`: the end of a tag name.
    @inline(__always) static func endsName(_ b: UInt8) -> Bool { b <= 0x3E && (isSpace(b) || b == 0x2F || b == 0x3E) }
    /// Whitespace, `/`, `>` or `=`: the end of an attribute name.
    @inline(__always) static func endsAttributeName(_ b: UInt8) -> Bool { b <= 0x3E && (isSpace(b) || b == 0x2F || b == 0x3E || b == 0x3D) }
    /// Whitespace or `>`: the end of an unquoted attribute value.
    @inline(__always) static func endsUnquotedValue(_ b: UInt8) -> Bool { b <= 0x3E && (isSpace(b) || b == 0x3E) }
}

extension Document {
    /// Whether `path` names an HTML document by its extension (shared with `TextFlavor`).
    package static func isHTMLPath(_ path: String) -> Bool {
        // Every rule asks, for every file: a path whose end is ASCII is answered on its bytes (the
        // same answer: each ASCII byte is one Character), others go through String (a dot may carry
        // a combining mark).
        if let tail = asciiTailIsHTMLPath(path) { return tail }
        return characterIsHTMLPath(path)
    }

    /// `isHTMLPath` by Characters: the reference for a path whose end is not plain ASCII.
    package static func characterIsHTMLPath(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        // Foundation's substring search (an NSString bridge) only when a `/` byte is there to be found.
        if path.utf8[dot...].contains(UInt8(ascii: "/")), path[dot...].contains("/") { return false }
        let ext = path[path.index(after: dot)...].lowercased()
        return ext == "html" || ext == "htm" || ext == "xhtml"
    }

    /// `isHTMLPath` from the path's last `.` or `/` byte when it and the bytes around it to the end
    /// are ASCII (an ASCII path, or a Chinese file name with an ASCII extension): that byte is then a Character of its
    /// own (nothing combines with it from either side), so it is the Character search's answer
    /// without `lastIndex(of:)` walking the grapheme breaks of the whole path. Nil otherwise.
    private static func asciiTailIsHTMLPath(_ path: String) -> Bool? {
        // On the path's contiguous UTF-8 (a native string's own storage): stepping `String.UTF8View`
        // indices cost some 500 instructions a path, for a few bytes read.
        var path = path
        return path.withUTF8 { asciiTailIsHTMLPath(utf8: $0) }
    }

    /// `asciiTailIsHTMLPath` on the path's UTF-8 bytes.
    package static func asciiTailIsHTMLPath(utf8: UnsafeBufferPointer<UInt8>) -> Bool? {
        var i = utf8.count
        var length = 0
        while i > 0 {
            let before = i &- 1
            let b = utf8[before]
            guard b < 0x80 else { return nil }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "/") {
                if before > 0, utf8[before &- 1] >= 0x80 {
                    // A non-ASCII scalar before it might join it into one Character (a Prepend
                    // scalar), except U+4000–U+9FFF (lead byte E4–E9; the path is valid UTF-8):
                    // Chinese file names, `…/拜登宣布.html`, which walked the whole path's Characters.
                    guard before >= 3, (0xE4...0xE9).contains(utf8[before &- 3]) else { return nil }
                }
                guard b == UInt8(ascii: "."), length <= 5 else { return false }
                func equals(_ name: StaticString) -> Bool {
                    guard length == name.utf8CodeUnitCount else { return false }
                    return name.withUTF8Buffer { n in
                        for k in 0..<length {
                            let a = utf8[i &+ k]
                            guard (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == n[k] else { return false }
                        }
                        return true
                    }
                }
                return equals("html") || equals("htm") || equals("xhtml")
            }
            length &+= 1
            i = before
        }
        // An ASCII path without a `.` or `/`: no extension.
        return false
    }

    /// The body tokenized as HTML (for an HTML file the whole body; for Markdown the inline HTML
    /// and the text between it). Computed on first use and shared by all rules of the pass.
    public var html: HTMLView { Self.html(bytes: bytes, bodyStart: bodyStart, views: views) }

    /// `html` of a document's parts: `DiagnosticSink` holds these, not the document.
    package static func html(bytes: [UInt8], bodyStart: Int, views: DocumentViews) -> HTMLView {
        views.html { HTMLView(bytes: bytes, range: bodyStart..<bytes.count) }
    }
}

/// Spare storage for the HTML views' arrays (the tokens and attributes of `HTMLView`, the elements
/// and the walk's stack of `HTMLElements`, the blocks of `HTMLView.blockRanges`), given back when a
/// document is done (`DocumentViews`' deinit) and written in place by the next HTML file's: each was
/// a `malloc` and a `free` an HTML file (and the tokens and attributes often grew past their
/// reservation). A few kept (a document in flight and the next, per worker), each bounded.
package enum HTMLStorage {
    package static let tokens = SpareArrays<HTMLToken>(kept: 6, largestCapacity: 1 << 14)
    package static let attributes = SpareArrays<HTMLAttribute>(kept: 6, largestCapacity: 1 << 14)
    package static let elements = SpareArrays<HTMLElements.Element>(kept: 6, largestCapacity: 1 << 14)
    /// The element walk's stack of open elements: taken and given back within one `HTMLElements.init`.
    package static let stacks = SpareArrays<Int>(kept: 4, largestCapacity: 1 << 12)
    package static let blocks = SpareArrays<HTMLView.BlockRange>(kept: 6, largestCapacity: 1 << 14)

    /// Keeps `view`'s tokens and attributes, once the view (and so its arrays' holder) is let go.
    package static func keep(_ view: consuming HTMLView) {
        let arrays = view.arrays
        _ = consume view
        let tokens = arrays.tokens, attributes = arrays.attributes
        _ = consume arrays
        HTMLStorage.tokens.keep(tokens)
        HTMLStorage.attributes.keep(attributes)
    }

    /// Keeps `structure`'s elements.
    package static func keep(_ structure: consuming HTMLElements) {
        let elements = structure.elements
        _ = consume structure
        HTMLStorage.elements.keep(elements)
    }
}
