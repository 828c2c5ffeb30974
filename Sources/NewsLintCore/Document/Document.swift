import Foundation

/// One input file, parsed once and shared (read-only) by every rule.
///
/// Everything is indexed by UTF-8 byte offsets into `bytes`, which are the file's
/// exact bytes (invalid UTF-8 is kept, never replaced), so fixes can be expressed
/// as byte-range edits that leave every other byte untouched.
public struct Document: Sendable {
    /// Path as given on the command line or discovered (used in output).
    public let path: String
    /// The file's raw bytes.
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    /// Length of a leading UTF-8 byte-order mark (0 or 3).
    public let bomLength: Int
    /// Parsed front matter, if the file has a front-matter block.
    public let frontMatter: FrontMatter?
    /// Byte offset where the body (text after front matter) starts.
    public let bodyStart: Int
    /// 1-based line on which the body starts.
    public let bodyStartLine: Int
    /// `codeLines[i]` is true when line i+1 is inside a fenced code block (fences included); empty
    /// when the body holds no fence (most news files), so read it through `isCode(line:)`.
    public let codeLines: [Bool]
    /// Whether the file is an HTML document by its extension (`.html`, `.htm`, `.xhtml`): every
    /// rule asks, so it is decided once here (`isHTMLPath` goes through `String` for non-ASCII names).
    public let isHTMLFile: Bool
    /// The views computed on first use and shared by the rules (`Document.scalars`, `html`,
    /// `htmlElements`, `proseUnits()`, `bytePairs`; the rules layer's `isSiteTemplate` and
    /// `normalizedBody`, which `content-duplicate` and `content-near-duplicate` walk once between them).
    package let views: DocumentViews

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.isHTMLFile = Document.isHTMLPath(path)
        // In storage the last document gave back (`LineStartStorage`); the views hand it and the
        // bytes (`FileBytesStorage`, which the next file is read into) on at their end.
        let lineStarts = Document.computeLineStarts(bytes, into: LineStartStorage.spares.take())
        self.lineStarts = lineStarts
        self.views = DocumentViews(lineStarts: lineStarts, bytes: bytes)
        self.bomLength = ByteOrderMark.isUTF8(bytes) ? 3 : 0
        let fm = FrontMatterParser.parse(bytes: bytes, lineStarts: lineStarts, bomLength: bomLength)
        self.frontMatter = fm
        if let fm {
            self.bodyStart = fm.bodyStart
            self.bodyStartLine = fm.bodyStartLine
        } else {
            self.bodyStart = bomLength
            self.bodyStartLine = 1
        }
        self.codeLines = Document.computeCodeLines(bytes: bytes, lineStarts: lineStarts, firstLine: bodyStartLine)
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// `document` with `frontMatter` in place of its own and no view computed yet: the tests compare
    /// the rules' answers on values kept as the document's bytes with those on values built as strings.
    package init(_ document: Document, frontMatter: FrontMatter?) {
        path = document.path
        bytes = document.bytes
        lineStarts = document.lineStarts
        bomLength = document.bomLength
        self.frontMatter = frontMatter
        bodyStart = document.bodyStart
        bodyStartLine = document.bodyStartLine
        codeLines = document.codeLines
        isHTMLFile = document.isHTMLFile
        views = DocumentViews()
    }

    /// Whether `bytes` is well-formed UTF-8. Found on first use, not in `init`: when a script rule
    /// decodes the file first (`scalars`), the decode finds it in the same walk.
    public var isValidUTF8: Bool {
        views.isValidUTF8 { UTF8Validation.firstInvalidOffset(in: bytes) == nil }
    }

    /// The whole file decoded as text (invalid sequences shown as U+FFFD; for display only).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Number of lines (a trailing newline does not start a new line).
    @inlinable
    public var lineCount: Int { Self.lineCount(bytes: bytes, lineStarts: lineStarts) }

    /// Byte range of line `n` (1-based) without its line terminator (`\n` or `\r\n`).
    /// Inlinable: the rules ask it per line (530,000 calls at agora ×1), and the call into this
    /// module, with its retains of the two arrays, cost more than the few loads it makes.
    @inlinable
    public func contentRange(ofLine n: Int) -> Range<Int> {
        Self.contentRange(ofLine: n, bytes: bytes, lineStarts: lineStarts)
    }

    /// `contentRange(ofLine:)` over bytes and their `computeLineStarts` (shared with `SourceText`).
    @inlinable
    static func contentRange(ofLine n: Int, bytes: [UInt8], lineStarts: [Int]) -> Range<Int> {
        let start = lineStarts[n - 1]
        var end = n < lineStarts.count ? lineStarts[n] : bytes.count
        if end > start && bytes[end - 1] == 0x0A { end -= 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// `lineCount` over bytes and their `computeLineStarts` (shared with `SourceText`).
    @inlinable
    static func lineCount(bytes: [UInt8], lineStarts: [Int]) -> Int {
        if bytes.isEmpty { return 0 }
        return bytes.last == 0x0A ? lineStarts.count - 1 : lineStarts.count
    }

    /// Byte range of line `n` (1-based) including its terminator.
    public func fullRange(ofLine n: Int) -> Range<Int> {
        let start = lineStarts[n - 1]
        let end = n < lineStarts.count ? lineStarts[n] : bytes.count
        return start..<end
    }

    /// Bytes of line `n` without its terminator.
    @inlinable
    public func lineBytes(_ n: Int) -> ArraySlice<UInt8> { bytes[contentRange(ofLine: n)] }

    /// Line `n` decoded (for messages and display, not for scanning).
    ///
    /// The same string `String(decoding:as:)` makes (invalid bytes repaired with U+FFFD), without
    /// the standard library's validation a scalar at a time: the engine quotes every line a finding
    /// is on (22,000 lines, 85 M instructions at agora ×1, most of a line's cost). A line of a
    /// document already found well-formed (a line ends at an ASCII `\n`, so it is well-formed too)
    /// is only copied; any other line is validated a word at a time (`String(repairingUTF8:)`).
    public func lineText(_ n: Int) -> String {
        let range = contentRange(ofLine: n)
        let knownValid = views.knownValidity == true
        return bytes.withUnsafeBufferPointer { all in
            let line = UnsafeBufferPointer(rebasing: all[range])
            if knownValid, let text = String(knownValidUTF8: line) { return text }
            return String(repairingUTF8: line)
        }
    }

    /// 1-based line containing byte `offset` (an offset equal to `bytes.count` maps to the last line).
    public func line(ofByte offset: Int) -> Int { Self.line(ofByte: offset, lineStarts: lineStarts) }

    /// `line(ofByte:)` of a document's `lineStarts`.
    package static func line(ofByte offset: Int, lineStarts: [Int]) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// 1-based line and column of byte `offset`. Columns count Unicode scalars
    /// (every byte that is not a UTF-8 continuation byte starts one), so `中文x` has x at column 3.
    public func position(ofByte offset: Int) -> SourcePosition {
        Self.position(ofByte: offset, bytes: bytes, lineStarts: lineStarts, views: views)
    }

    /// `position(ofByte:)` of a document's parts: `DiagnosticSink` holds these, not the document.
    package static func position(ofByte offset: Int, bytes: [UInt8], lineStarts: [Int], views: DocumentViews) -> SourcePosition {
        let line = line(ofByte: offset, lineStarts: lineStarts)
        let start = lineStarts[line - 1]
        return SourcePosition(line: line, column: 1 + scalarCount(start..<max(start, min(offset, bytes.count)), bytes: bytes, views: views))
    }

    /// Number of Unicode scalars starting in `range` (non-continuation bytes).
    public func scalarCount(_ range: Range<Int>) -> Int { Self.scalarCount(range, bytes: bytes, views: views) }

    /// `scalarCount` of a document's bytes and views.
    package static func scalarCount(_ range: Range<Int>, bytes: [UInt8], views: DocumentViews) -> Int {
        decodedScalarCount(range, views: views) ?? scalarStarts(bytes, range)
    }

    /// `scalarCount` of a long range from the scalar decode the script rules share, when one of them
    /// has made it for a well-formed file and both ends start a scalar: the difference of their
    /// indices, found by bisecting its byte offsets, instead of every byte counted (a finding's
    /// column on a one-line article, boilerplate-repeated's column of each block on such a line:
    /// ~500 instructions a call at agora ×1). Nil otherwise; a short range is counted (it costs less).
    private static func decodedScalarCount(_ range: Range<Int>, views: DocumentViews) -> Int? {
        guard range.count >= 256, let decode = views.computedScalars, decode.isValidUTF8 else { return nil }
        let first = decode.firstScalar(atOrAfter: range.lowerBound)
        guard decode.offsets[first] == range.lowerBound else { return nil }
        let last = decode.firstScalar(atOrAfter: range.upperBound, from: first)
        guard decode.offsets[last] == range.upperBound else { return nil }
        return last - first
    }

    /// Bytes in `range` that are not UTF-8 continuation bytes (10xxxxxx), eight at a time: a
    /// finding's column counts every scalar before it on its line, and a news paragraph is one
    /// line of thousands of bytes. Each byte lane of a word adds its own count (one bit per word),
    /// summed once per 255 words, as `ScalarDecode.nonContinuationCount` does: `nonzeroBitCount`
    /// per word compiled to a dozen instructions (the baseline x86-64 target has no `popcnt`).
    package static func scalarStarts(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
        return bytes.withUnsafeBufferPointer { b -> Int in
            guard let base = b.baseAddress else { return 0 }
            var continuation = 0
            var i = range.lowerBound
            let lowBytes: UInt64 = 0x00FF_00FF_00FF_00FF
            while i &+ 8 <= range.upperBound {
                // Up to 255 words, so no lane passes 255.
                var lanes: UInt64 = 0
                var words = 0
                while words < 255 && i &+ 8 <= range.upperBound {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    // Each continuation byte's flag moved to its lane's bit 0.
                    lanes &+= ByteWords.continuationFlags(w) >> 7
                    i &+= 8
                    words &+= 1
                }
                // Eight lanes to four 16-bit ones (each at most 510), summed by a multiply into the top 16 bits.
                let pairs = (lanes & lowBytes) &+ ((lanes >> 8) & lowBytes)
                continuation &+= Int((pairs &* 0x0001_0001_0001_0001) >> 48)
            }
            while i < range.upperBound {
                if base[i] & 0xC0 == 0x80 { continuation += 1 }
                i += 1
            }
            return range.count - continuation
        }
    }

    /// Byte offset of 1-based `line`/`column` (inverse of `position(ofByte:)`).
    public func byteOffset(line: Int, column: Int) -> Int {
        let range = contentRange(ofLine: line)
        var col = 1
        var i = range.lowerBound
        while i < range.upperBound && col < column {
            i += 1
            while i < range.upperBound && bytes[i] & 0xC0 == 0x80 { i += 1 }
            col += 1
        }
        return i
    }

    /// Whether line `n` is inside a fenced code block. Inlinable, as `contentRange(ofLine:)`: the
    /// rules ask it per line (360,000 calls at agora ×1), each a call into this module.
    @inlinable
    public func isCode(line n: Int) -> Bool { n >= 1 && n <= codeLines.count && codeLines[n - 1] }

    /// Line terminator used by the file (the first one found), `\n` by default.
    public var preferredNewline: [UInt8] {
        if let nl = bytes.firstIndex(of: 0x0A), nl > 0, bytes[nl - 1] == 0x0D { return [0x0D, 0x0A] }
        return [0x0A]
    }

    /// Lines of the body (1-based numbers), excluding front matter.
    @inlinable
    public var bodyLines: ClosedRange<Int>? {
        let last = lineCount
        guard bodyStartLine <= last else { return nil }
        return bodyStartLine...last
    }

    package static func computeLineStarts(_ bytes: [UInt8]) -> [Int] { computeLineStarts(bytes, into: []) }

    /// `computeLineStarts(bytes)` written into `starts` (emptied first), in its storage when it has room.
    package static func computeLineStarts(_ bytes: [UInt8], into starts: consuming [Int]) -> [Int] {
        // Reserved before the first element: `[0]` then `reserveCapacity` allocated twice a file.
        var starts = starts
        starts.removeAll(keepingCapacity: true)
        starts.reserveCapacity(bytes.count / 40 + 2)
        starts.append(0)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            // memchr is vectorised: Chinese text has few newlines per byte.
            var p = base
            let end = base + raw.count
            while p < end, let hit = memchr(p, 0x0A, end - p) {
                let offset = base.distance(to: UnsafeRawPointer(hit))
                starts.append(offset + 1)
                p = UnsafeRawPointer(hit) + 1
            }
        }
        return starts
    }

    /// Marks lines inside ``` or ~~~ fences (CommonMark: up to 3 spaces of indent, closing fence of the same char, at least as long).
    package static func computeCodeLines(bytes: [UInt8], lineStarts: [Int], firstLine: Int) -> [Bool] {
        // A fence is three backticks or tildes: without either run in the body there is none, and
        // no array (a flag per line) nor walk of every line is needed.
        guard firstLine <= lineStarts.count, mayHoldFence(bytes, from: lineStarts[firstLine - 1]) else { return [] }
        var result = [Bool](repeating: false, count: lineStarts.count)
        var open: (char: UInt8, count: Int)?
        for lineIndex in 0..<lineStarts.count where lineIndex + 1 >= firstLine {
            let start = lineStarts[lineIndex]
            let end = lineIndex + 1 < lineStarts.count ? lineStarts[lineIndex + 1] : bytes.count
            var i = start
            var indent = 0
            while i < end && bytes[i] == 0x20 && indent < 4 { i += 1; indent += 1 }
            var fence: (char: UInt8, count: Int)?
            if indent < 4, i < end, bytes[i] == 0x60 || bytes[i] == 0x7E {
                let c = bytes[i]
                var n = 0
                while i < end && bytes[i] == c { i += 1; n += 1 }
                if n >= 3 { fence = (c, n) }
            }
            if let o = open {
                result[lineIndex] = true
                if let f = fence, f.char == o.char, f.count >= o.count {
                    // A closing fence has nothing but whitespace after it.
                    var rest = i
                    while rest < end, bytes[rest] == 0x20 || bytes[rest] == 0x09 || bytes[rest] == 0x0D || bytes[rest] == 0x0A { rest += 1 }
                    if rest == end { open = nil }
                }
            } else if let f = fence {
                result[lineIndex] = true
                open = f
            }
        }
        return result
    }
}

extension Document {
    /// Whether `bytes` from `start` hold three backticks or three tildes in a row (what every fence
    /// opens with), found with `memchr`: news text holds few of either byte.
    static func mayHoldFence(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress, start < raw.count else { return false }
            let end = base + raw.count
            func holdsRun(of mark: UInt8) -> Bool {
                var p = base + start
                while p < end, let hit = memchr(p, Int32(mark), end - p) {
                    let at = UnsafeRawPointer(hit)
                    if end - at >= 3 && at.load(fromByteOffset: 1, as: UInt8.self) == mark && at.load(fromByteOffset: 2, as: UInt8.self) == mark { return true }
                    p = at + 1
                }
                return false
            }
            return holdsRun(of: UInt8(ascii: "`")) || holdsRun(of: UInt8(ascii: "~"))
        }
    }
}

/// A file's lines without parsing it as a document: the same lines and text `Document` gives,
/// for the output quoting a line the pass did not keep.
package struct SourceText {
    package let bytes: [UInt8]
    private let lineStarts: [Int]

    package init(bytes: [UInt8]) {
        self.bytes = bytes
        lineStarts = Document.computeLineStarts(bytes)
    }

    package var lineCount: Int { Document.lineCount(bytes: bytes, lineStarts: lineStarts) }

    /// Line `n` (1-based, within `lineCount`) as `Document.lineText` decodes it.
    package func lineText(_ n: Int) -> String {
        String(repairingUTF8: bytes[Document.contentRange(ofLine: n, bytes: bytes, lineStarts: lineStarts)])
    }
}

/// UTF-8 validation and decoding helpers over raw bytes.
public enum UTF8Validation {
    /// Offset of the first byte that does not start or continue a well-formed UTF-8 sequence.
    public static func firstInvalidOffset(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidOffset(in: $0) }
    }

    /// How many bytes at the start of `buf` are ASCII (8 at a time).
    @inlinable
    public static func asciiPrefixLength(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buf.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let n = buf.count
        var i = 0
        while i + 8 <= n && ByteWords.isASCII(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
        while i < n && buf[i] < 0x80 { i += 1 }
        return i
    }

    /// `firstInvalidOffset(in:)` over a buffer (a record's string read back in place).
    public static func firstInvalidOffset(in buf: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = buf.count
        guard let base = buf.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        while i < n {
            let b = buf[i]
            if b < 0x80 {
                // ASCII runs 8 bytes at a time.
                while i + 8 <= n && ByteWords.isASCII(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                while i < n && buf[i] < 0x80 { i += 1 }
                continue
            }
            // The common case in Chinese text: a run of 3-byte sequences without the E0/ED special
            // ranges, tested a sequence at a time from one 4-byte load (lead in E1…EF but not ED,
            // two continuation bytes) in a loop of its own.
            if b >= 0xE1 && b != 0xED && b <= 0xEF && i + 2 < n && buf[i + 1] & 0xC0 == 0x80 && buf[i + 2] & 0xC0 == 0x80 {
                i += 3
                // Two sequences from one 8-byte load while both qualify, then one at a time.
                while i + 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
                    let first = UInt8(truncatingIfNeeded: w), second = UInt8(truncatingIfNeeded: w &>> 24)
                    guard first &- 0xE1 < 0x0F, first != 0xED, second &- 0xE1 < 0x0F, second != 0xED,
                          w & 0x0000_C0C0_00C0_C000 == 0x0000_8080_0080_8000 else { break }
                    i += 6
                }
                while i + 4 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian
                    let lead = UInt8(truncatingIfNeeded: w)
                    guard lead &- 0xE1 < 0x0F, lead != 0xED, w & 0x00C0_C000 == 0x0080_8000 else { break }
                    i += 3
                }
                continue
            }
            let len = sequenceLength(buf, at: i)
            if len == 0 { return i }
            i += len
        }
        return nil
    }

    /// Length of the well-formed UTF-8 sequence starting at `i`, or 0 if it is ill-formed.
    @inline(__always)
    public static func sequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = buf.count
        let b0 = buf[i]
        if b0 < 0x80 { return 1 }
        func cont(_ j: Int) -> Bool { j < n && buf[j] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0:
            return i + 1 < n && (0xA0...0xBF).contains(buf[i + 1]) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED:
            return i + 1 < n && (0x80...0x9F).contains(buf[i + 1]) && cont(i + 2) ? 3 : 0
        case 0xF0:
            return i + 1 < n && (0x90...0xBF).contains(buf[i + 1]) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4:
            return i + 1 < n && (0x80...0x8F).contains(buf[i + 1]) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Decodes the scalar at `i` (well-formed input assumed; returns U+FFFD and length 1 otherwise).
    /// `@inlinable`: rules call it per character from another module, where a plain call was 1% of
    /// an agora-pen run.
    @inlinable @inline(__always)
    public static func decode(_ bytes: ArraySlice<UInt8>, at i: Int) -> (scalar: UInt32, length: Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let end = bytes.endIndex
        if b0 >= 0xC2 && b0 <= 0xDF && i + 1 < end && bytes[i + 1] & 0xC0 == 0x80 {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(bytes[i + 1] & 0x3F), 2)
        }
        if b0 >= 0xE0 && b0 <= 0xEF && i + 2 < end && bytes[i + 1] & 0xC0 == 0x80 && bytes[i + 2] & 0xC0 == 0x80 {
            let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
            if v >= 0x800 && !(0xD800...0xDFFF).contains(v) { return (v, 3) }
        }
        if b0 >= 0xF0 && b0 <= 0xF4 && i + 3 < end && bytes[i + 1] & 0xC0 == 0x80 && bytes[i + 2] & 0xC0 == 0x80 && bytes[i + 3] & 0xC0 == 0x80 {
            let v = (UInt32(b0 & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12) | (UInt32(bytes[i + 2] & 0x3F) << 6) | UInt32(bytes[i + 3] & 0x3F)
            if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
        }
        return (0xFFFD, 1)
    }
}
