import Foundation
import NewsLintCore

/// What `boilerplate-repeated` counts: the site a file belongs to, and a line's text with what
/// varies between copies of the same residue (timestamps, counters, archive prefixes, spacing)
/// taken out.
package enum RepeatedLineKey {
    /// Front-matter keys tried when the rule's `groupBy` option is not set: an explicit site
    /// first, then the host of the article's URL (one site, whatever its sections), then
    /// `categories` (a site name in many scraped corpora, a topic in blogs, so last).
    /// `boilerplate-repeated`'s default `groupBy` (from the catalog, where it is documented).
    package static let defaultGroupKeys: [String] = (try? BoilerplateRepeatedRule.decodeOptions(RuleOptions()).groupBy) ?? []
    /// `defaultGroupKeys` as keys looked up by their common-key ids.
    package static let defaultGroupFrontMatterKeys: [FrontMatterKey] = defaultGroupKeys.map(FrontMatterKey.init)

    /// `site(_:keys:)` of keys given as strings.
    package static func site(_ frontMatter: FrontMatter?, keys: [String]) -> String {
        site(frontMatter, keys: keys.map(FrontMatterKey.init))
    }

    /// The group (site) of a file: `key:value` from the first `keys` entry present (a URL value
    /// stands for its host, archive-wrapped URLs for the original's host), else `corpus`.
    package static func site(_ frontMatter: FrontMatter?, keys: [FrontMatterKey]) -> String {
        var group = "corpus"
        withSiteName(frontMatter, keys: keys) { group = $0.string }
        return group
    }

    /// Appends `site(frontMatter, keys:)` to `record` as `FactRecordWriter.string` would, without
    /// making the string: `boilerplate-repeated` writes the group straight into its fact record's
    /// bytes (a `host:` string made for each file, copied into the record and freed, was ~550
    /// instructions a file), read from the value's bytes in place when it is a plain scalar.
    package static func writeSite(_ frontMatter: FrontMatter?, keys: [FrontMatterKey], to record: inout FactRecordWriter) {
        withSiteName(frontMatter, keys: keys) { $0.write(to: &record) }
    }

    /// Calls `visit` once with the group's parts, which point into the value's bytes and are
    /// valid only during the call.
    /// By `FrontMatterKey`: most keys of a file are answered from its noted common keys, without
    /// comparing strings (four lookups a file by string were ~860 instructions).
    private static func withSiteName(_ frontMatter: FrontMatter?, keys: [FrontMatterKey], _ visit: (SiteName) -> Void) {
        guard let frontMatter else { return visit(.corpus) }
        for key in keys {
            // By index: the entry is not copied for its value.
            guard let index = frontMatter.index(of: key) else { continue }
            // A scalar with nothing to trim (ASCII other than space and tab at both ends: a URL) is
            // read from its UTF-8, a plain one's bytes in place: no string made for it.
            var readAsBytes = false, answered = false
            frontMatter.withScalarUTF8(ofEntry: index) { bytes in
                guard let first = bytes.first, let last = bytes.last, first < 0x80, last < 0x80,
                      first != 0x20, first != 0x09, last != 0x20, last != 0x09 else { return }
                readAsBytes = true
                answered = visitGroup(key, bytes, raw: { String(decoding: bytes, as: UTF8.self) }, visit)
            }
            if readAsBytes {
                if answered { return }
                continue
            }
            let value: String?
            switch frontMatter.value(ofEntry: index) {
            case let .scalar(s, _): value = s
            case let .list(items): value = items.first
            default: value = nil
            }
            guard let value, case let raw = trimmed(value), !raw.isEmpty else { continue }
            // The separator search and the host read the string's own bytes (a copy into an array
            // was an allocation, a copy and a free a file, ~440 instructions).
            var utf8 = raw
            if utf8.withUTF8({ visitGroup(key, $0, raw: { raw }, visit) }) { return }
        }
        visit(.corpus)
    }

    /// Visits the group of a value whose trimmed text (not empty) is `bytes`, `raw()` its string
    /// (made only when a test needs whole characters): the host of a URL, else `key:value`.
    /// False, visiting nothing, for a URL without a host (the next key is tried).
    private static func visitGroup(_ key: FrontMatterKey, _ bytes: UnsafeBufferPointer<UInt8>, raw: () -> String,
                                   _ visit: (SiteName) -> Void) -> Bool {
        // The first `://`, searched once for the test and the host.
        let separator = find(schemeSeparator, in: bytes, 0..<bytes.count)
        guard containsSchemeSeparator(raw, bytes, first: separator) || hasWWWPrefix(bytes, raw: raw) else {
            visit(.keyed(key: key.name, value: bytes))
            return true
        }
        switch host(ofBytes: bytes, firstSeparator: separator) {
        case .none: return false
        case let .ascii(range): visit(.asciiHost(UnsafeBufferPointer(rebasing: bytes[range])))
        case let .other(name): visit(.host(name))
        }
        return true
    }

    /// A file's group (`site`) in parts: made into one string (`string`) or written straight into
    /// a fact record (`write(to:)`, the bytes `FactRecordWriter.string` writes of `string`). The
    /// buffers point into a front-matter value's bytes: valid only in `withSiteName`'s call.
    private enum SiteName {
        /// `corpus`: no key present.
        case corpus
        /// `<key>:<value>`, the value's UTF-8 (valid: a front-matter value's).
        case keyed(key: String, value: UnsafeBufferPointer<UInt8>)
        /// `host:` and these bytes lower-cased: an ASCII host, its `www.` left out.
        case asciiHost(UnsafeBufferPointer<UInt8>)
        /// `host:` and a host already lower-cased (Unicode case mapping) and without `www.`.
        case host(String)

        private static let hostPrefix: StaticString = "host:"

        var string: String {
            switch self {
            case .corpus: return "corpus"
            case let .keyed(key, value): return key + ":" + String(decoding: value, as: UTF8.self)
            case let .asciiHost(host): return RepeatedLineKey.asciiHost(host[...], after: Self.hostPrefix)
            case let .host(name): return Self.hostPrefix.description + name
            }
        }

        /// Appends `string` as `FactRecordWriter.string` would (its UTF-8 length, then its bytes)
        /// without making it.
        func write(to record: inout FactRecordWriter) {
            switch self {
            case .corpus:
                record.string("corpus")
            case let .keyed(key, value):
                var key = key
                key.withUTF8 { k in
                    record.varint(UInt64(k.count + 1 + value.count))
                    record.bytes.append(contentsOf: k)
                    record.byte(UInt8(ascii: ":"))
                    record.bytes.append(contentsOf: value)
                }
            case let .asciiHost(host):
                record.varint(UInt64(Self.hostPrefix.utf8CodeUnitCount + host.count))
                Self.hostPrefix.withUTF8Buffer { record.bytes.append(contentsOf: $0) }
                let start = record.bytes.count
                record.bytes.append(contentsOf: host)
                record.bytes.withUnsafeMutableBufferPointer { out in
                    for k in start..<out.count { out[k] = RepeatedLineKey.asciiLower(out[k]) }
                }
            case let .host(name):
                var name = name
                name.withUTF8 { n in
                    record.varint(UInt64(Self.hostPrefix.utf8CodeUnitCount + n.count))
                    Self.hostPrefix.withUTF8Buffer { record.bytes.append(contentsOf: $0) }
                    record.bytes.append(contentsOf: n)
                }
            }
        }
    }

    /// What `host(ofBytes:firstSeparator:)` found in a URL's bytes.
    private enum HostBytes {
        /// A URL without a host (the next key is tried).
        case none
        /// An ASCII host: these bytes of the value, lower-cased, are the host.
        case ascii(Range<Int>)
        /// Any other host, lower-cased.
        case other(String)
    }

    /// `raw().hasPrefix("www.")` (a comparison of whole characters) from the bytes: without `www.`
    /// there is none, and `www.` followed by the end or an ASCII byte ends a character there; only
    /// a non-ASCII scalar after it (maybe a combining mark on the `.`) is left to the string.
    private static func hasWWWPrefix(_ b: UnsafeBufferPointer<UInt8>, raw: () -> String) -> Bool {
        guard b.count >= 4, b[0] == UInt8(ascii: "w"), b[1] == UInt8(ascii: "w"), b[2] == UInt8(ascii: "w"), b[3] == UInt8(ascii: ".") else { return false }
        if b.count == 4 || b[4] < 0x80 { return true }
        return raw().hasPrefix("www.")
    }

    /// `value.trimmingWhitespaces()`, answered from the end bytes when both are ASCII other than
    /// space and tab (then nothing is trimmed: the usual front-matter value). The general helper,
    /// generic over `StringProtocol` in the core, is not specialized here (a third of `site`).
    @inline(__always)
    package static func trimmed(_ value: String) -> String {
        let utf8 = value.utf8
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
           first != 0x20, first != 0x09, last != 0x20, last != 0x09 { return value }
        return value.trimmingWhitespaces()
    }

    private static let schemeSeparator = Array("://".utf8)
    private static let archivePath = Array("/web/".utf8)
    /// `archivePath`'s `b`, the byte `find` looks for.
    private static let archivePathAnchor = 3

    /// Offset of the first `needle` in `b[range]`. Candidates are found by `memchr` (many bytes a
    /// step) of the needle's byte at offset `anchor`: a byte the text rarely holds leaves fewer
    /// candidates (`/web/`'s `b`; its `/` is at every path step of a URL). Each candidate start is
    /// tested by one word compare of the needle's first four bytes (fewer for a shorter needle, under
    /// a mask) when four can be read; candidates come in order, so the first that matches is the
    /// first match. `site` asks for `/web/` in every file's URL, which most never hold: a word
    /// compare at every position cost ~6 instructions a byte of a long (percent-encoded) URL, and a
    /// byte loop testing the first byte mispredicted at about half the `/`s of a URL.
    private static func find(_ needle: [UInt8], in b: [UInt8], _ range: Range<Int>, anchor: Int = 0) -> Range<Int>? {
        b.withUnsafeBufferPointer { find(needle, in: $0, range, anchor: anchor) }
    }

    /// `find` in bytes lent in place.
    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, anchor: Int = 0) -> Range<Int>? {
        let n = needle.count
        guard n > 0, anchor >= 0, anchor < n, range.count >= n, range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
        return needle.withUnsafeBufferPointer { needle -> Range<Int>? in
            guard let base = bytes.baseAddress else { return nil }
            let raw = UnsafeRawPointer(base)
            let headCount = Swift.min(n, 4)
            var head: UInt32 = 0
            for k in 0..<headCount { head |= UInt32(needle[k]) << UInt32(8 * k) }
            let mask: UInt32 = headCount == 4 ? .max : (1 << UInt32(8 * headCount)) &- 1
            let last = range.upperBound - n
            // Four bytes readable at `i`: up to `upperBound - 4`.
            let wordLast = range.upperBound - 4
            @inline(__always) func matches(_ i: Int) -> Bool {
                var k = 0
                if i <= wordLast {
                    guard UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)) & mask == head else { return false }
                    k = headCount
                }
                while k < n, bytes[i &+ k] == needle[k] { k &+= 1 }
                return k == n
            }
            // Offsets of the anchor byte of each candidate start from `range.lowerBound` to `last`.
            var i = range.lowerBound &+ anchor
            while i <= last &+ anchor, let j = ByteWords.firstIndex(of: needle[anchor], in: bytes, from: i, to: last &+ anchor &+ 1) {
                let start = j &- anchor
                if matches(start) { return start..<(start + n) }
                i = j &+ 1
            }
            return nil
        }
    }

    /// `value.contains("://")` (Foundation's search, which matches whole composed characters) with a
    /// byte search first: a `://` followed by an ASCII byte or the end is a match, and no `://` in
    /// the bytes is none; only a `://` followed by a non-ASCII scalar (maybe a combining mark on the
    /// `/`) is left to Foundation.
    /// `first`: the first `://` of `b` (`find`'s answer).
    private static func containsSchemeSeparator(_ value: () -> String, _ b: UnsafeBufferPointer<UInt8>, first: Range<Int>?) -> Bool {
        guard let r = first else { return false }
        if r.upperBound == b.count || b[r.upperBound] < 0x80 { return true }
        return value().contains("://")
    }

    /// Host of a URL, lower-cased, without `www.`; the original's host for an archive capture.
    package static func host(of url: String) -> String? {
        var url = url
        return url.withUTF8 { bytes -> String? in
            switch host(ofBytes: bytes, firstSeparator: find(schemeSeparator, in: bytes, 0..<bytes.count)) {
            case .none: return nil
            case let .ascii(range): return asciiHost(bytes[range], after: "")
            case let .other(name): return name
            }
        }
    }

    /// The host of a URL given as its UTF-8 bytes: an ASCII host as its range (lower-cased and
    /// stripped of `www.` when written), any other lower-cased by `String.lowercased()` (Unicode
    /// case mapping); `.none` when there is no host.
    /// `firstSeparator`: the first `://` of `bytes`, the one looked for when the URL is no capture.
    private static func host(ofBytes bytes: UnsafeBufferPointer<UInt8>, firstSeparator: Range<Int>?) -> HostBytes {
        // From the original URL of an archive capture, in place (not a copy of its bytes).
        let start = archiveInner(bytes, in: 0..<bytes.count) ?? 0
        var i = start
        if let r = start == 0 ? firstSeparator : find(schemeSeparator, in: bytes, start..<bytes.count) { i = r.upperBound }
        var end = i
        while end < bytes.count, !isHostEnd(bytes[end]) { end += 1 }
        guard end > i else { return .none }
        if bytes[i..<end].allSatisfy({ $0 < 0x80 }) {
            if end - i >= 4, asciiLower(bytes[i]) == UInt8(ascii: "w"), asciiLower(bytes[i + 1]) == UInt8(ascii: "w"),
               asciiLower(bytes[i + 2]) == UInt8(ascii: "w"), bytes[i + 3] == UInt8(ascii: ".") { i += 4 }
            return end > i ? .ascii(i..<end) : .none
        }
        var host = String(decoding: bytes[i..<end], as: UTF8.self).lowercased()
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return host.isEmpty ? .none : .other(host)
    }

    /// `/`, `?`, `#` or `:`, which end a URL's host (compared as bytes: `"/?#:".utf8.contains`
    /// went through the generic sequence search for every byte of every file's URL).
    @inline(__always)
    private static func isHostEnd(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || c == UInt8(ascii: ":")
    }

    /// An ASCII letter lower-cased; any other byte as it is.
    @inline(__always)
    private static func asciiLower(_ c: UInt8) -> UInt8 { c | ((c >= 0x41 && c <= 0x5A) ? 0x20 : 0) }

    /// An ASCII host (`HostBytes.ascii`'s bytes, `www.` already left out) lower-cased after `prefix`.
    /// Lower-cased straight into the string: a lower-cased array, its `www.` removed in place and
    /// then decoded cost some 1,100 instructions a file.
    private static func asciiHost(_ host: Slice<UnsafeBufferPointer<UInt8>>, after prefix: StaticString) -> String {
        let lead = prefix.utf8CodeUnitCount, count = host.count, start = host.startIndex
        return String(unsafeUninitializedCapacity: lead + count) { out in
            prefix.withUTF8Buffer { for k in 0..<lead { out[k] = $0[k] } }
            for k in 0..<count { out[lead + k] = asciiLower(host[start + k]) }
            return lead + count
        }
    }

    /// Offset of the original URL inside an archive capture URL (`…/web/<timestamp>[id_]/<original>`).
    package static func archiveInner(_ b: [UInt8]) -> Int? { archiveInner(b, in: 0..<b.count) }

    /// `archiveInner` of the URL `b[range]`, as an offset in `b`: read in place (the key copied
    /// each URL of a line into an array of its own to ask).
    package static func archiveInner(_ b: [UInt8], in range: Range<Int>) -> Int? {
        b.withUnsafeBufferPointer { archiveInner($0, in: range) }
    }

    /// `archiveInner` in bytes lent in place.
    private static func archiveInner(_ b: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int? {
        guard let r = find(archivePath, in: b, range, anchor: archivePathAnchor) else { return nil }
        let end = range.upperBound
        var i = r.upperBound
        let digits = i
        while i < end, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        guard i - digits >= 4 else { return nil }
        while i < end, (b[i] >= 0x61 && b[i] <= 0x7A) || b[i] == UInt8(ascii: "_") { i += 1 }
        guard i < end, b[i] == UInt8(ascii: "/"), i + 1 < end else { return nil }
        return i + 1
    }

    /// Byte ranges of HTML tags and character entities in `range`: markup, not words of the line.
    package static func markup(_ b: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var ranges = MarkupRanges(b, range)
        while let r = ranges.next() { out.append(r) }
        return out
    }

    /// `markup`'s ranges one at a time, each found when asked. `qualifyingRange` counts a line's
    /// words only up to `minWords`: the whole line's markup, found first into an array (an
    /// allocation for most lines of an HTML body), was mostly past the words it needed.
    package struct MarkupRanges: WordExclusions {
        private let b: [UInt8]
        private var i: Int
        private let end: Int
        /// The first range found and not yet passed (`range(containing:)`), nil when none is left.
        private var ahead: Range<Int>?
        /// `ahead`'s start (`Int.max` when none, `Int.min` before the first call): offsets before it
        /// are in no range, answered by one compare.
        private var aheadStart = Int.min

        package init(_ b: [UInt8], _ range: Range<Int>) {
            self.b = b
            i = range.lowerBound
            end = range.upperBound
        }

        /// The next tag or entity, nil past the last.
        package mutating func next() -> Range<Int>? { next(startingBefore: Int.max) }

        /// The next tag or entity if one starts before `limit`; nil when none does (then every
        /// offset before `i` is searched: `i` is at `limit` or past the line's end).
        private mutating func next(startingBefore limit: Int) -> Range<Int>? {
            while i < end {
                guard i < limit else { return nil }
                let c = b[i]
                if c != UInt8(ascii: "<") && c != UInt8(ascii: "&") {
                    i = RepeatedLineKey.markupCandidate(b, from: i + 1, Swift.min(limit, end))
                    continue
                }
                if c == UInt8(ascii: "<"), i + 1 < end,
                   case let n = b[i + 1], (n | 0x20 >= 0x61 && n | 0x20 <= 0x7A) || n == UInt8(ascii: "/") || n == UInt8(ascii: "!") {
                    var j = i + 1
                    while j < end, b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "<") { j += 1 }
                    if j < end, b[j] == UInt8(ascii: ">") { let r = i..<(j + 1); i = j + 1; return r }
                } else if c == UInt8(ascii: "&") {
                    var j = i + 1
                    while j < end, j - i <= 10, (b[j] | 0x20 >= 0x61 && b[j] | 0x20 <= 0x7A) || (b[j] >= 0x30 && b[j] <= 0x39) || b[j] == UInt8(ascii: "#") { j += 1 }
                    if j < end, j > i + 1, b[j] == UInt8(ascii: ";") { let r = i..<(j + 1); i = j + 1; return r }
                }
                i += 1
            }
            return nil
        }

        /// The range holding `offset`, for offsets asked in increasing order (as `residualWords`
        /// walks its line): ranges come in order and do not overlap, so ranges ending at or before
        /// `offset` are passed for good and only the next one can hold it.
        @inline(__always)
        package mutating func range(containing offset: Int) -> Range<Int>? {
            guard offset >= aheadStart else { return nil }
            return passing(to: offset)
        }

        /// How far past the offset asked the next range is looked for when none is in hand: the
        /// count stops at `minWords`, mostly a few characters in, and a search to the line's end
        /// (two `memchr`s over a whole paragraph) cost ~120 instructions a line.
        private static let window = 64

        /// `range(containing:)` once `offset` reached the range ahead, or the end of what was
        /// searched (or on the first call). With no range in hand, every range starting before `i`
        /// has been found, so one holding `offset < i` would have been: none does.
        private mutating func passing(to offset: Int) -> Range<Int>? {
            while true {
                if let r = ahead {
                    if r.upperBound <= offset {
                        ahead = nil
                        continue
                    }
                    aheadStart = r.lowerBound
                    return r.lowerBound <= offset ? r : nil
                }
                if i > offset || i >= end {
                    aheadStart = i >= end ? Int.max : i
                    return nil
                }
                ahead = next(startingBefore: Swift.max(offset, i) &+ Self.window)
            }
        }
    }

    /// The first `<` or `&` at or after `i` (or `end`): `markup` is asked for every qualifying line,
    /// and its byte-by-byte walk to the next tag was most of its cost. Two `memchr`s (the `&` only
    /// before the `<`), which read many bytes per step: most lines (an HTML block's text) hold
    /// neither, and the eight-byte word scan cost ~650 instructions a line.
    @inline(__always)
    private static func markupCandidate(_ b: [UInt8], from i: Int, _ end: Int) -> Int {
        b.withUnsafeBufferPointer { buf in
            let tag = ByteWords.firstIndex(of: UInt8(ascii: "<"), in: buf, from: i, to: end) ?? end
            return ByteWords.firstIndex(of: UInt8(ascii: "&"), in: buf, from: i, to: tag) ?? tag
        }
    }

    /// The counting key of a line: whitespace runs collapsed to one space, URLs reduced to host
    /// and path (archive prefix, scheme, `www.`, query and fragment dropped, digits zeroed), and —
    /// unless the line is a sentence — every run of digits made `0`, so `更新於 2024-11-01 10:00`
    /// and `更新於 2024-11-02 09:30` count together. A sentence (ending in `。`, `！`, `.`…) keeps
    /// its numbers: a market report or a weather flash whose figures differ is a different
    /// sentence, not residue. Written into `out` (cleared first) to reuse one buffer per file.
    package static func normalise(_ b: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        normalise(b, range, appendingTo: &out)
    }

    /// `normalise(_:_:into:)` appended to `out` after the keys already in it.
    package static func normalise(_ b: [UInt8], _ range: Range<Int>, appendingTo out: inout [UInt8]) {
        write(b, range, to: &out)
    }

    /// `KeyHash.of` the key `normalise` makes of `b[range]`, hashed as it is made: no
    /// buffer, and each run of plain bytes hashed straight from `b` (copying the runs into a
    /// buffer and hashing it again was half of the key's cost).
    package static func hash(_ b: [UInt8], _ range: Range<Int>) -> UInt64 {
        var key = KeyHash()
        write(b, range, to: &key)
        return key.value
    }

    /// The key of `b[range]` (see `normalise`) written to `out`.
    private static func write<Out: KeyOutput>(_ b: [UInt8], _ range: Range<Int>, to out: inout Out) {
        let keyStart = out.written
        let keepDigits = TextScan.endsSentence(b, textEnd(b, range))
        var i = range.lowerBound
        let end = range.upperBound
        var inDigits = false
        while i < end {
            // A run of bytes that none of the cases below looks at (Han text, most letters and
            // punctuation) is written as it is, in one call.
            let plain = plainRunEnd(b, from: i, end, keepingDigits: keepDigits)
            if plain > i {
                // From the buffer: the generic append of an `ArraySlice` cost ~200 instructions a run.
                b.withUnsafeBufferPointer { out.append(run: UnsafeBufferPointer(rebasing: $0[i..<plain])) }
                inDigits = false
                i = plain
                continue
            }
            let space = TextScan.spaceLength(b, i, end)
            if space > 0 {
                if out.written == keyStart || out.lastByte != 0x20 { out.append(0x20) }
                i += space
                inDigits = false
                continue
            }
            if TextScan.startsURL(b, i, end) || (b[i] == UInt8(ascii: "/") && archivePrefixLength(b, i, end) > 0) {
                i = writeURL(b, i, end, to: &out)
                inDigits = false
                continue
            }
            let c = b[i]
            // ASCII digits and full-width ０–９ (EF BC 90–99).
            let digitLength = Self.digitLength(b, i, end)
            if digitLength > 0, !keepDigits {
                if !inDigits { out.append(UInt8(ascii: "0")) }
                inDigits = true
                i += digitLength
                // The rest of the run of digits here: each would come back through every case above
                // (a plain run of none, no space, no URL) only to be skipped.
                while case let n = Self.digitLength(b, i, end), n > 0 { i += n }
                continue
            }
            inDigits = false
            out.append(c)
            i += 1
        }
    }

    /// Length of the digit at `i`: 1 for ASCII `0`–`9`, 3 for full-width `０`–`９` (EF BC 90–99), else 0.
    @inline(__always)
    private static func digitLength(_ b: [UInt8], _ i: Int, _ end: Int) -> Int {
        guard i < end else { return 0 }
        let c = b[i]
        return (c >= 0x30 && c <= 0x39) ? 1 : (c == 0xEF && i + 2 < end && b[i + 1] == 0xBC && b[i + 2] >= 0x90 && b[i + 2] <= 0x99) ? 3 : 0
    }

    /// Bytes `isPlain` looks at more closely (non-zero; every other byte, 0, is plain): tab, space,
    /// `/`, `h`, `w` and the lead bytes C2, E3 (1), and the ASCII digits and the EF lead of the
    /// full-width ones (2), which a sentence's key keeps (`keptDigitsMask` leaves them out). A table:
    /// the bit sets by `c >> 6` compiled to a jump per byte.
    private static let closerLook: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for b in [0x09, 0x20, 0x2F, UInt8(ascii: "h"), UInt8(ascii: "w"), 0xC2, 0xE3] { table[Int(b)] = 1 }
        for b in 0x30...0x39 { table[b] = 2 }
        table[0xEF] = 2
        return table
    }()

    /// The `closerLook` values looked at in a line whose digits are kept, and in one whose are not.
    private static let keptDigitsMask: UInt8 = 1, foldedDigitsMask: UInt8 = 3

    /// The end of the run of plain bytes from `i`: `isPlain` is asked only of the `closerLook` bytes,
    /// marked by a bit each (the low bit of their byte in `flagged`) and visited by their bits.
    /// Sixteen bytes a step while they last, then eight. Sixteen non-ASCII bytes (most of a Chinese
    /// line) are marked by comparing them with C2, E3 and EF in vector registers; eight bytes
    /// (`marked`) of only non-ASCII bytes by the same compares in a general register, any other by
    /// their eight table reads, which do not wait for each other. (A walk a character at a time
    /// waited at every step for the two reads before it; eight table reads a word, then a byte loop
    /// to the first marked byte, spent their time on the loads and on the loop's exit, mispredicted
    /// at each `。` or `，`.)
    /// `keepingDigits`: the line is a sentence, whose key keeps its digits as they are (then they
    /// are plain, and a number does not cost a pass through every case per digit).
    @inline(__always)
    package static func plainRunEnd(_ b: [UInt8], from i: Int, _ end: Int, keepingDigits: Bool = false) -> Int {
        let lookMask = keepingDigits ? keptDigitsMask : foldedDigitsMask
        // EF leads only a full-width digit to look at, which a sentence keeps: there it is not
        // looked for (a second C2 stands in for it). `，` and `：` (EF BC xx) are in most Chinese
        // sentences, and each stopped the run's scan for an `isPlain` that found it plain.
        let digitLead: UInt8 = keepingDigits ? 0xC2 : 0xEF
        return closerLook.withUnsafeBufferPointer { closer -> Int in
            b.withUnsafeBufferPointer { p -> Int in
                guard let base = p.baseAddress else { return end }
                let raw = UnsafeRawPointer(base)
                @inline(__always) func look(_ k: Int, _ lane: UInt64) -> UInt64 { UInt64(closer[Int(p[k])] & lookMask) &<< (lane &* 8) }
                @inline(__always) func isPlain(_ j: Int) -> Bool { RepeatedLineKey.isPlain(p, j, end, runStart: i, keepingDigits: keepingDigits) }
                /// The bytes of the eight from `k` to look at, one low bit per byte.
                @inline(__always) func marked(_ k: Int) -> UInt64 {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
                    if ~word & ByteWords.highs == 0 {
                        // The high bit of each byte equal to one of the leads, moved to its low bit.
                        // The first is exact; a later one may be a byte that only follows a match
                        // (the zero-byte test's borrow), which `isPlain` then finds plain.
                        return (equalBytes(word, 0xC2) | equalBytes(word, 0xE3) | equalBytes(word, digitLead)) &>> 7
                    }
                    return look(k, 0) | look(k &+ 1, 1) | look(k &+ 2, 2) | look(k &+ 3, 3)
                        | look(k &+ 4, 4) | look(k &+ 5, 5) | look(k &+ 6, 6) | look(k &+ 7, 7)
                }
                /// The first byte of the eight from `k` that is not plain, of those `flagged`; nil if none.
                @inline(__always) func firstNotPlain(_ k: Int, _ flagged: UInt64) -> Int? {
                    var flagged = flagged
                    while flagged != 0 {
                        let j = k &+ flagged.trailingZeroBitCount &>> 3
                        if !isPlain(j) { return j }
                        flagged &= flagged &- 1
                    }
                    return nil
                }
                var k = i
                // Sixteen bytes a step. Sixteen non-ASCII bytes (most of a Chinese line) are compared
                // with C2, E3 and EF in all lanes at once (SSE2 byte compares, on constants made
                // once: a compare with a literal went through the generic per-lane path) and their
                // leads visited by the bits of the two halves; sixteen with ASCII among them go
                // through `marked` as two words. (Two words of `marked` cost ~54 instructions
                // where sixteen clean bytes now cost ~22.)
                let c2 = SIMD16<UInt8>(repeating: 0xC2), e3 = SIMD16<UInt8>(repeating: 0xE3), ef = SIMD16<UInt8>(repeating: digitLead)
                let b80 = SIMD16<UInt8>(repeating: 0x80), a0 = SIMD16<UInt8>(repeating: 0xA0), bc = SIMD16<UInt8>(repeating: 0xBC)
                let b90 = SIMD16<UInt8>(repeating: 0x90), ten = SIMD16<UInt8>(repeating: 10), one = SIMD16<UInt8>(repeating: 1)
                while k &+ 16 <= end {
                    let x = raw.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self)
                    let halves = unsafeBitCast(x, to: SIMD2<UInt64>.self)
                    if halves[0] & halves[1] & ByteWords.highs == ByteWords.highs {
                        // `any`: one `pmovmskb` of the or of the compares; the or of the mask's two
                        // words took a copy, a compare, a `movmskps` and an xor a block.
                        let leads = (x .== c2) .| (x .== e3) .| (x .== ef)
                        if any(leads) {
                            if k &+ 18 <= end {
                                // The sequences `isPlain` stops at, tested in all lanes with the two
                                // bytes after each (readable: two past the step are in the range):
                                // the first is the run's end. Each lead visited by `isPlain` (`。`
                                // and `、` are E3 80 8x) cost more than the compares.
                                let x1 = raw.loadUnaligned(fromByteOffset: k &+ 1, as: SIMD16<UInt8>.self)
                                let x2 = raw.loadUnaligned(fromByteOffset: k &+ 2, as: SIMD16<UInt8>.self)
                                var stop = ((x .== e3) .& (x1 .== b80) .& (x2 .== b80)) .| ((x .== c2) .& (x1 .== a0))
                                if !keepingDigits { stop = stop .| ((x .== ef) .& (x1 .== bc) .& ((x2 &- b90) .< ten)) }
                                // Bit 0 of each lane (one vector and), all the words' tests need: the
                                // mask, joined from two paths, was made lanes of FF or 0 again (a shift,
                                // an and, a zeroing and a compare a block holding a lead). `any` of it
                                // called the generic reduction, not inlined (+1.6 M at agora x1).
                                let m = unsafeBitCast(unsafeBitCast(stop, to: SIMD16<UInt8>.self) & one, to: SIMD2<UInt64>.self)
                                if m[0] != 0 { return k &+ m[0].trailingZeroBitCount &>> 3 }
                                if m[1] != 0 { return k &+ 8 &+ m[1].trailingZeroBitCount &>> 3 }
                            } else {
                                let words = unsafeBitCast(leads, to: SIMD2<UInt64>.self)
                                if let j = firstNotPlain(k, words[0] & ByteWords.ones) { return j }
                                if let j = firstNotPlain(k &+ 8, words[1] & ByteWords.ones) { return j }
                            }
                        }
                    } else {
                        if let j = firstNotPlain(k, marked(k)) { return j }
                        if let j = firstNotPlain(k &+ 8, marked(k &+ 8)) { return j }
                    }
                    k &+= 16
                }
                while k &+ 8 <= end {
                    if let j = firstNotPlain(k, marked(k)) { return j }
                    k &+= 8
                }
                // The last few bytes as the eight ending at `end`, those before `k` (already found
                // plain) masked off: a byte loop here mispredicted its exit at the end of most lines.
                if k < end, end >= 8 {
                    let start = end &- 8
                    return firstNotPlain(start, marked(start) & (~0 &<< UInt64((k &- start) &* 8))) ?? end
                }
                while k < end {
                    if closer[Int(p[k])] & lookMask != 0, !isPlain(k) { return k }
                    k &+= 1
                }
                return end
            }
        }
    }

    /// The high bit of every byte of `word` that equals `byte` (the zero-byte test of `word ^ byte`
    /// in each lane): never missing one; a lane just above a match may be set too.
    @inline(__always)
    private static func equalBytes(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let y = word ^ (ByteWords.ones &* UInt64(byte))
        return (y &- ByteWords.ones) & ~y & ByteWords.highs
    }

    /// A byte `normalise` copies unchanged where it stands: not one that starts a space (tab, space,
    /// U+00A0, U+3000), that may start a URL (`h` before `ttp`, `w` before `w`) or an archive
    /// prefix (`/` before `w`), or a digit (ASCII, or the EF lead of a full-width one) unless the
    /// line keeps its digits (`keepingDigits`: then a digit is copied like any byte). A byte that may
    /// start one of them goes through `write`'s cases, which copy it when it does not: an `h` of a
    /// word or a digit of a sentence was a pass through all of them (and a call of `plainRunEnd`
    /// that found no plain byte) for one byte.
    /// The lead bytes C2, E3 and EF count as plain unless they start U+00A0, U+3000 or a full-width
    /// digit (the only sequences the cases look at): `。`, `、` and `「」` (E3 80 8x) are in every line.
    /// A space (U+0020) inside a run (after `runStart`, so after a byte copied as it is) and before
    /// a byte that starts no space is copied as it is too: the words of an English line were each a run.
    @inline(__always)
    private static func isPlain(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int, runStart: Int, keepingDigits: Bool) -> Bool {
        switch b[i] {
        case 0x09: return false
        case 0x20: return i != runStart && !startsSpace(b, i &+ 1, end)
        case 0x30...0x39: return keepingDigits
        // `http://`, `https://` (`TextScan.startsURL`) and `www.` need the bytes after them; `/web/` too.
        case UInt8(ascii: "h"):
            return !(i &+ 3 < end && b[i &+ 1] == UInt8(ascii: "t") && b[i &+ 2] == UInt8(ascii: "t") && b[i &+ 3] == UInt8(ascii: "p"))
        case UInt8(ascii: "w"), 0x2F: return !(i &+ 1 < end && b[i &+ 1] == UInt8(ascii: "w"))
        case 0xC2: return !(i + 1 < end && b[i + 1] == 0xA0)
        case 0xE3: return !(i + 2 < end && b[i + 1] == 0x80 && b[i + 2] == 0x80)
        case 0xEF: return keepingDigits || !(i + 2 < end && b[i + 1] == 0xBC && b[i + 2] >= 0x90 && b[i + 2] <= 0x99)
        default: return true
        }
    }

    /// Whether a space (`TextScan.spaceLength`) starts at `i` (false at `end`).
    @inline(__always)
    private static func startsSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        guard i < end else { return false }
        switch b[i] {
        case 0x09, 0x20: return true
        case 0xC2: return i &+ 1 < end && b[i &+ 1] == 0xA0
        case 0xE3: return i &+ 2 < end && b[i &+ 1] == 0x80 && b[i &+ 2] == 0x80
        default: return false
        }
    }

    /// The line without trailing HTML tags (`…。</p>`), for the sentence test.
    package static func textEnd(_ b: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var hi = range.upperBound
        while hi > range.lowerBound, b[hi - 1] == UInt8(ascii: ">") {
            var j = hi - 1
            while j > range.lowerBound, b[j] != UInt8(ascii: "<") { j -= 1 }
            guard b[j] == UInt8(ascii: "<") else { break }
            hi = j
            while hi > range.lowerBound, b[hi - 1] == 0x20 { hi -= 1 }
        }
        return range.lowerBound..<hi
    }

    /// Length of a relative archive prefix `/web/<timestamp>[id_]/` at `i` followed by a URL, else 0.
    package static func archivePrefixLength(_ b: [UInt8], _ i: Int, _ end: Int) -> Int {
        let prefix = archivePath
        guard i + prefix.count < end, b[i..<(i + prefix.count)].elementsEqual(prefix) else { return 0 }
        var j = i + prefix.count
        let digits = j
        while j < end, b[j] >= 0x30, b[j] <= 0x39 { j += 1 }
        guard j - digits >= 4 else { return 0 }
        while j < end, (b[j] >= 0x61 && b[j] <= 0x7A) || b[j] == UInt8(ascii: "_") { j += 1 }
        guard j < end, b[j] == UInt8(ascii: "/"), TextScan.startsURL(b, j + 1, end) else { return 0 }
        return j + 1 - i
    }

    /// Appends the key of the URL starting at `i` (see `normalise`); returns the offset after it.
    package static func appendURL(_ b: [UInt8], _ start: Int, _ end: Int, into out: inout [UInt8]) -> Int {
        writeURL(b, start, end, to: &out)
    }

    /// `appendURL` to a buffer or a running hash.
    private static func writeURL<Out: KeyOutput>(_ b: [UInt8], _ start: Int, _ end: Int, to out: inout Out) -> Int {
        var stop = start
        while stop < end, b[stop] > 0x20, b[stop] < 0x80, !")]\"'<>".utf8.contains(b[stop]) { stop += 1 }
        var i = start + archivePrefixLength(b, start, stop)
        // Archive captures: skip to the original URL (repeatedly, for nested captures).
        while let inner = archiveInner(b, in: i..<stop), TextScan.startsURL(b, inner, stop) { i = inner }
        if let r = find(schemeSeparator, in: b, i..<stop) { i = r.upperBound }
        if stop - i >= 4, b[i..<(i + 4)].elementsEqual("www.".utf8) { i += 4 }
        var inDigits = false
        while i < stop, b[i] != UInt8(ascii: "?"), b[i] != UInt8(ascii: "#") {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                if !inDigits { out.append(UInt8(ascii: "0")) }
                inDigits = true
            } else {
                out.append(c | ((c >= 0x41 && c <= 0x5A) ? 0x20 : 0))
                inDigits = false
            }
            i += 1
        }
        return stop
    }
}

/// Where `RepeatedLineKey` writes a key: a buffer of its bytes (`[UInt8]`) or their running hash
/// (`KeyHash`).
package protocol KeyOutput {
    /// Bytes written so far (a buffer's count: keys before this one included).
    var written: Int { get }
    /// The last byte written, if any.
    var lastByte: UInt8? { get }
    mutating func append(_ byte: UInt8)
    mutating func append(run: UnsafeBufferPointer<UInt8>)
}

extension Array: KeyOutput where Element == UInt8 {
    package var written: Int { count }
    package var lastByte: UInt8? { last }
    package mutating func append(run: UnsafeBufferPointer<UInt8>) { append(contentsOf: run) }
}

/// A 64-bit hash of the bytes written, eight bytes a step, whatever pieces they come in: bytes are
/// gathered into little-endian words on the key's own eight-byte grid, so a key hashes the same when
/// it is made from different runs (two lines whose keys are equal may split into runs differently).
///
/// FNV-1a (a multiply per byte, each waiting for the one before) cost 3 instructions and about 4
/// cycles a byte on the plain runs; a word step is a multiply per eight bytes, the xxHash64 round
/// (`round`), with the length and a final avalanche (`finish`) so keys that differ only by trailing
/// zero bytes differ. Not FNV-1a any more: `boilerplate-repeated`'s facts of earlier builds hold the
/// old hashes (the cache and facts-file formats say so: `NLCACHEB`, facts version 4).
package struct KeyHash: KeyOutput {
    /// The words hashed so far.
    private var state: UInt64 = KeyHash.seed
    /// The `written % 8` bytes past the last whole word, from the low byte up (zero above them).
    private var pending: UInt64 = 0
    package private(set) var written = 0
    package private(set) var lastByte: UInt8?

    package init() {}

    /// The hash of `bytes` written in one piece (what the tests compare keys made in pieces with).
    package static func of(_ bytes: [UInt8]) -> UInt64 {
        var key = KeyHash()
        bytes.withUnsafeBufferPointer { key.append(run: $0) }
        return key.value
    }

    /// The hash of the bytes written so far.
    package var value: UInt64 { Self.finish(Self.round(state, pending), length: written) }

    private static let seed: UInt64 = 0x27D4_EB2F_1656_67C5
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// xxHash64's round: the word's multiply is off the chain, which is an add, a rotate and a multiply.
    @inline(__always)
    private static func round(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = state &+ word &* prime2
        return (mixed << 31 | mixed >> 33) &* prime1
    }

    /// The length, then the avalanche of xxHash64 (every output bit depends on every input bit).
    @inline(__always)
    private static func finish(_ state: UInt64, length: Int) -> UInt64 {
        var h = round(state, UInt64(truncatingIfNeeded: length))
        h = (h ^ h >> 33) &* prime2
        h = (h ^ h >> 29) &* 0x1656_67B1_9E37_79F9
        return h ^ h >> 32
    }

    @inline(__always)
    package mutating func append(_ byte: UInt8) {
        let lane = written & 7
        pending |= UInt64(byte) << UInt64(lane &<< 3)
        written &+= 1
        lastByte = byte
        if lane == 7 {
            state = Self.round(state, pending)
            pending = 0
        }
    }

    /// The run's first bytes complete the pending word, its whole words are each one unaligned load
    /// and a round, and the rest is pending.
    package mutating func append(run: UnsafeBufferPointer<UInt8>) {
        guard let base = run.baseAddress, let last = run.last else { return }
        let raw = UnsafeRawPointer(base)
        let n = run.count
        var k = 0
        let lane = written & 7
        if lane != 0 {
            k = Swift.min(8 &- lane, n)
            pending |= Self.load(raw, from: 0, count: k, total: n) << UInt64(lane &<< 3)
            if lane &+ k < 8 {
                written &+= n
                lastByte = last
                return
            }
            state = Self.round(state, pending)
            pending = 0
        }
        var h = state
        // Two words a step, on a pointer to the next word (the index form kept both the index and
        // the next step's bound, with a move each, for every word).
        var word = raw + k
        let pairsEnd = word + ((n &- k) & ~15), wordsEnd = word + ((n &- k) & ~7)
        while word < pairsEnd {
            h = Self.round(h, UInt64(littleEndian: word.loadUnaligned(as: UInt64.self)))
            h = Self.round(h, UInt64(littleEndian: word.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            word += 16
        }
        if word < wordsEnd {
            h = Self.round(h, UInt64(littleEndian: word.loadUnaligned(as: UInt64.self)))
            word += 8
        }
        k = word - raw
        state = h
        if k < n { pending = Self.load(raw, from: k, count: n &- k, total: n) }
        written &+= n
        lastByte = last
    }

    /// `count` (below 8) bytes of a run of `total` from `offset`, little-endian: one word load when
    /// the run holds eight bytes, else a byte at a time. Only a run's head (`offset` 0) or its tail
    /// (ending at `total`) is asked for: the word is the run's first eight bytes or its last eight.
    @inline(__always)
    private static func load(_ raw: UnsafeRawPointer, from offset: Int, count: Int, total: Int) -> UInt64 {
        assert(offset == 0 || offset &+ count == total, "a run's head or tail only")
        if total >= 8 {
            // The eight bytes ending at the last wanted one when they fit, else those starting at the first.
            if offset &+ count >= 8 {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset &+ count &- 8, as: UInt64.self))
                return word >> UInt64((8 &- count) &<< 3)
            }
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            return word & ((1 << UInt64(count &<< 3)) &- 1)
        }
        var word: UInt64 = 0
        for j in 0..<count { word |= UInt64(raw.load(fromByteOffset: offset &+ j, as: UInt8.self)) << UInt64(j &<< 3) }
        return word
    }
}
