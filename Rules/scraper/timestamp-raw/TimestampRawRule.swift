import NewsLintCore

/// `timestamp-raw`: a line (Markdown) or text block (HTML) that holds nothing but an ISO 8601
/// date-time such as `2024-11-01T10:50:09.292Z`. That is a feed's machine field printed into the
/// article (DW posts on agora-pen carry one under the byline); an editor writes dates for readers.
/// A timestamp inside a sentence, in code, or in an attribute (`<time datetime=…>`) is left alone.
public struct TimestampRawRule: Rule, RuleWithOptions {
    public static let id = "timestamp-raw"
    /// Reads prose: on HTML files its findings stay in visible text.
    public static let readsProse = true

    /// Only timestamps with a zone designator (`Z`, `+08:00`) are reported.
    package let requireZone: Bool
    /// `false`: every unit is trimmed before its length and first byte are read (tests compare the two).
    package var usesFirstByte = true

    public struct Options: Decodable, Sendable { var requireZone: Bool }

    public init(options: RuleOptions) throws {
        requireZone = try Self.decodeOptions(options).requireZone
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        let bytes = document.bytes
        for unit in document.proseUnits() {
            if usesFirstByte, !Self.mayHoldTimestamp(bytes, unit.range) { continue }
            let text = TextScan.trimmingSpaces(bytes, unit.range)
            let start = text.lowerBound, end = text.upperBound
            // Cheapest test first: a timestamp is 16 to 35 ASCII bytes starting with a digit.
            guard end - start >= 16, end - start <= 35, Self.isDigit(bytes[start]) else { continue }
            guard let zoned = Self.parseISODateTime(bytes, start, end), zoned || !requireZone else { continue }
            sink.report(start..<end, "a machine timestamp '\(String(decoding: bytes[start..<end], as: UTF8.self))' stands alone in the text: a scraper printed a feed's date field")
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// False when `range` trimmed (`TextScan.trimmingSpaces`) cannot be a timestamp: it is shorter
    /// than 16 bytes, or its first byte is neither a digit nor the first of a space it trims (space,
    /// tab, C2 of U+00A0, E3 of U+3000). Read before the trim: most units are text starting with a
    /// character (trimming each was ~50 instructions, 3.4 M at agora x1).
    @inline(__always)
    private static func mayHoldTimestamp(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard range.count >= 16 else { return false }
        let b = bytes[range.lowerBound]
        return isDigit(b) || b == 0x20 || b == 0x09 || b == 0xC2 || b == 0xE3
    }

    /// Whether `bytes[start..<end]` is exactly a machine timestamp `YYYY-MM-DDTHH:MM[:SS[.f+]][Z|±HH[:]MM]`
    /// (a real date; `T`, not the space people write); nil when it is not, otherwise whether it has a
    /// zone designator.
    package static func parseISODateTime(_ b: [UInt8], _ start: Int, _ end: Int) -> Bool? {
        guard end - start >= 16, b[start + 10] == UInt8(ascii: "T"),
              let date = CalendarDate.timestamp(b[start..<end]), date.hour != nil else { return nil }
        // After `YYYY-MM-DDTHH:MM` only seconds, a fraction and the zone follow: a sign is the zone's.
        return b[end - 1] == UInt8(ascii: "Z") || b[end - 1] == UInt8(ascii: "z")
            || b[(start + 16)..<end].contains { $0 == 0x2B || $0 == 0x2D }
    }
}
