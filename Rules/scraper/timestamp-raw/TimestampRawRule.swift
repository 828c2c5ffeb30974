import NewsLintCore

/// `timestamp-raw`: a line (Markdown) or text block (HTML) that holds nothing but an ISO 8601
/// date-time such as `2024-11-01T10:50:09.292Z`. That is a feed's machine field printed into the
/// article (DW posts on agora-pen carry one under the byline); an editor writes dates for readers.
/// A timestamp inside a sentence, in code, or in an attribute (`<time datetime=…>`) is left alone.
public struct TimestampRawRule: Rule {
    public static let id = "timestamp-raw"

    /// Only timestamps with a zone designator (`Z`, `+08:00`) are reported.
    package let requireZone: Bool

    public init(options: RuleOptions) {
        requireZone = options.bool("requireZone", false)
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        for unit in document.proseUnits() {
            var start = unit.range.lowerBound, end = unit.range.upperBound
            while start < end, TextScan.spaceLength(bytes, start, end) > 0 { start += TextScan.spaceLength(bytes, start, end) }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            // Cheapest test first: a timestamp is 16 to 35 ASCII bytes starting with a digit.
            guard end - start >= 16, end - start <= 35, Self.isDigit(bytes[start]) else { continue }
            guard let zoned = Self.parseISODateTime(bytes, start, end), zoned || !requireZone else { continue }
            sink.report(start..<end, "a machine timestamp '\(String(decoding: bytes[start..<end], as: UTF8.self))' stands alone in the text: a scraper printed a feed's date field")
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Whether `bytes[start..<end]` is exactly `YYYY-MM-DDTHH:MM[:SS[.f+]][Z|±HH[:]MM]`; nil when it
    /// is not, otherwise whether it has a zone designator.
    package static func parseISODateTime(_ b: [UInt8], _ start: Int, _ end: Int) -> Bool? {
        var i = start
        func digits(_ n: Int) -> Bool {
            guard i + n <= end else { return false }
            for k in i..<(i + n) where !isDigit(b[k]) { return false }
            i += n
            return true
        }
        func byte(_ c: UInt8) -> Bool {
            guard i < end, b[i] == c else { return false }
            i += 1
            return true
        }
        guard digits(4), byte(0x2D), digits(2), byte(0x2D), digits(2), byte(UInt8(ascii: "T")), digits(2), byte(0x3A), digits(2) else { return nil }
        if byte(0x3A) {
            guard digits(2) else { return nil }
            if byte(0x2E) {
                guard digits(1) else { return nil }
                while i < end, isDigit(b[i]) { i += 1 }
            }
        }
        if i == end { return false }
        if byte(UInt8(ascii: "Z")) { return i == end ? true : nil }
        guard byte(0x2B) || byte(0x2D), digits(2) else { return nil }
        _ = byte(0x3A)
        guard digits(2), i == end else { return nil }
        return true
    }
}
