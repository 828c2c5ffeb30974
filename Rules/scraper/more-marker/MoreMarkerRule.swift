import Foundation
import NewsLintCore

/// `more-marker`: an excerpt separator placed inside a paragraph, so the previous line does
/// not end a sentence and the text continues right after the marker (`书` / `<!--more-->` / `记`).
public struct MoreMarkerRule: Rule, RuleWithOptions {
    public static let id = "more-marker"

    package let markers: [[UInt8]]
    /// For each byte, whether a marker starts with it; bit k of `markerLengths`: a marker is k
    /// bytes long (`hasLongMarker`: one is 64 or more). Read by `mayBeMarker`.
    private let firstBytes: [Bool]
    private let markerLengths: UInt64
    private let hasLongMarker: Bool
    /// `false`: every body line goes to `isMarker` (tests compare the two).
    package var readsLineStarts = true

    public struct Options: Decodable, Sendable { var markers: [String] }

    public init(options: RuleOptions) throws {
        let list = try Self.decodeOptions(options).markers
        guard !list.isEmpty, !list.contains(where: { $0.trimmingWhitespaces().isEmpty }) else {
            throw RuleOptionError(option: "markers", message: "expected at least one non-empty marker")
        }
        markers = list.map { Array($0.trimmingWhitespaces().utf8) }
        var firstBytes = [Bool](repeating: false, count: 256)
        for marker in markers { if let first = marker.first { firstBytes[Int(first)] = true } }
        self.firstBytes = firstBytes
        markerLengths = markers.reduce(0) { $1.count < 64 ? $0 | 1 << UInt64($1.count) : $0 }
        hasLongMarker = markers.contains { $0.count >= 64 }
    }

    /// False when line `n` (1-based, at most the line starts' count) is no marker (`isMarker`):
    /// its content (`Document.contentRange(ofLine:)`, the same bytes), trimmed as there, starts
    /// with a byte no marker starts with or is as long as none. Read from the line starts and the
    /// bytes in place: `isMarker` on every body line was ~110 instructions a line (6.5 M at agora x1).
    @inline(__always)
    private func mayBeMarker(_ b: UnsafeBufferPointer<UInt8>, _ lineStarts: UnsafeBufferPointer<Int>, _ n: Int) -> Bool {
        var i = lineStarts[n &- 1]
        var end = n < lineStarts.count ? lineStarts[n] : b.count
        if end > i, b[end &- 1] == 0x0A { end &-= 1 }
        if end > i, b[end &- 1] == 0x0D { end &-= 1 }
        while i < end, b[i] == 0x20 || b[i] == 0x09 { i &+= 1 }
        guard i < end, firstBytes[Int(b[i])] else { return false }
        while end > i, b[end &- 1] == 0x20 || b[end &- 1] == 0x09 { end &-= 1 }
        let length = end &- i
        return length < 64 ? markerLengths & 1 << UInt64(length) != 0 : hasLongMarker
    }

    package func isMarker(_ document: Document, _ n: Int) -> Bool {
        let r = document.contentRange(ofLine: n)
        var lo = r.lowerBound, hi = r.upperBound
        let b = document.bytes
        while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        // Asked of every body line: the lengths rule out nearly all before any byte is compared
        // (the generic slice comparison per marker and line was most of the rule's time).
        let length = hi - lo
        for marker in markers where marker.count == length && b[lo..<hi].elementsEqual(marker) { return true }
        return false
    }

    /// A line of running text (not blank, heading, image, table, quote, list, HTML or code).
    package static func isProse(_ document: Document, _ n: Int) -> Bool {
        guard n >= 1, n <= document.lineCount, !document.isCode(line: n) else { return false }
        let r = document.contentRange(ofLine: n)
        let b = document.bytes
        if TextScan.isBlank(b, r) { return false }
        let first = b[r.lowerBound]
        return ![UInt8(ascii: "#"), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: "|"), UInt8(ascii: ">")].contains(first)
            && !IndentedParagraphRule.isListOrQuote(b, r.lowerBound, r.upperBound)
    }

    /// Whether the line is a finished sentence followed by a parenthetical, as photo credits and
    /// end marks are written: `…欢呼。（记者 张三 摄）`, `…通车。(完)`.
    package static func endsWithCredit(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        var hi = range.upperBound
        while hi > range.lowerBound && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        let fullClose: [UInt8] = [0xEF, 0xBC, 0x89], fullOpen: [UInt8] = [0xEF, 0xBC, 0x88]
        let open: Int?
        if hi > range.lowerBound && b[hi - 1] == UInt8(ascii: ")") {
            open = b[range.lowerBound..<(hi - 1)].lastIndex(of: UInt8(ascii: "("))
        } else if hi - range.lowerBound >= 3 && b[(hi - 3)..<hi].elementsEqual(fullClose) {
            var i = hi - 3
            var found: Int?
            while i > range.lowerBound {
                i -= 1
                if b[i] == 0xEF && b[i..<(i + 3)].elementsEqual(fullOpen) { found = i; break }
            }
            open = found
        } else {
            open = nil
        }
        guard let open, open > range.lowerBound else { return false }
        return TextScan.endsSentence(b, range.lowerBound..<open)
    }

    /// Whether the line ends with an emoji (after spaces, variation selectors, skin tones and
    /// ZWJ parts): in social-media style text `拍照留念😀` closes the sentence like `。`.
    package static func endsWithEmoji(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        var end = range.upperBound
        while end > range.lowerBound {
            var start = end - 1
            while start > range.lowerBound && b[start] & 0xC0 == 0x80 { start -= 1 }
            let (s, _) = UTF8Validation.decode(b[range], at: start)
            switch s {
            case 0x20, 0x09, 0xFE0F, 0xFE0E, 0x200D, 0x20E3, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F:
                end = start
                continue
            default:
                return Unicode.Scalar(s).map { $0.properties.isEmojiPresentation || ($0.properties.isEmoji && $0.value >= 0x2600) } ?? false
            }
        }
        return false
    }

    /// Whether the line ends with a Markdown link or image: `…](destination)`.
    package static func endsWithLink(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        var hi = range.upperBound
        while hi > range.lowerBound && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        guard hi > range.lowerBound, b[hi - 1] == UInt8(ascii: ")"),
              let open = b[range.lowerBound..<(hi - 1)].lastIndex(of: UInt8(ascii: "(")) else { return false }
        return open > range.lowerBound && b[open - 1] == UInt8(ascii: "]")
    }

    /// Whether the line opens with punctuation that continues a sentence (，、；：).
    package static func startsWithContinuation(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.count >= 3 else { return false }
        let head = Array(b[range.lowerBound..<(range.lowerBound + 3)])
        return [[0xEF, 0xBC, 0x8C], [0xE3, 0x80, 0x81], [0xEF, 0xBC, 0x9B], [0xEF, 0xBC, 0x9A]].contains(head)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let body = document.bodyLines else { return }
        let b = document.bytes
        let candidates: [Int] = b.withUnsafeBufferPointer { buffer in
            document.lineStarts.withUnsafeBufferPointer { lineStarts in
                body.filter { n in (!readsLineStarts || mayBeMarker(buffer, lineStarts, n)) && isMarker(document, n) }
            }
        }
        for n in candidates where !document.isCode(line: n) {
            guard Self.isProse(document, n - 1), Self.isProse(document, n + 1), n - 1 >= body.lowerBound else { continue }
            let prev = document.contentRange(ofLine: n - 1)
            guard !TextScan.endsSentence(b, prev), !Self.endsWithEmoji(b, prev), !Self.endsWithCredit(b, prev) else { continue }
            let next = document.contentRange(ofLine: n + 1)
            // A line that closes with a link (`詳情見[新聞稿](…)`) ends its paragraph unless the
            // text goes on with a comma or the like.
            if Self.endsWithLink(b, prev) && !Self.startsWithContinuation(b, next) { continue }
            // Join: drop the line break, the marker line and the next line break.
            var joiner: [UInt8] = []
            if let last = b[prev].last, let firstNext = b[next].first, last < 0x80, firstNext < 0x80,
               TextScan.isFiller(UInt32(last)) == false, TextScan.isFiller(UInt32(firstNext)) == false {
                joiner = [0x20]
            }
            // Move the marker after the paragraph the joined text belongs to.
            var end = n + 1
            while Self.isProse(document, end + 1) && !isMarker(document, end + 1) { end += 1 }
            let paragraphEnd = document.contentRange(ofLine: end).upperBound
            let markerText = String(decoding: document.lineBytes(n), as: UTF8.self).trimmingWhitespaces()
            let nl = document.preferredNewline
            let tail = String(String(decoding: b[prev], as: UTF8.self).unicodeScalars.suffix(4).map(Character.init))
            let head = String(String(decoding: b[next], as: UTF8.self).unicodeScalars.prefix(4).map(Character.init))
            sink.report(document.contentRange(ofLine: n),
                        "excerpt marker splits a sentence: the line before ends with '…\(tail)' and the text goes on with '\(head)…'",
                        fix: Fix(.unsafe, "Join the split text and move the marker to the end of the paragraph", edits: [
                            Edit(range: prev.upperBound..<next.lowerBound, replacement: joiner),
                            Edit(range: paragraphEnd..<paragraphEnd, replacement: nl + Array(markerText.utf8)),
                        ]))
        }
    }
}
