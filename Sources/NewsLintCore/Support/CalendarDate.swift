/// A calendar date, with the time of day when one is written, as news corpora write it.
///
/// One recogniser for every place that reads dates: front-matter validation and Jekyll file names
/// (front-matter rules), dating posts for near-duplicate clusters, `learn`'s metadata lines and the
/// report's defect rate over time. Works on UTF-8 bytes; no `DateFormatter` (locale-dependent, slow).
public struct CalendarDate: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// Time of day when written (`hour`, `minute`, and `second` if given).
    public var hour: Int?
    public var minute: Int?
    public var second: Int?

    package init(year: Int, month: Int, day: Int, hour: Int? = nil, minute: Int? = nil, second: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// `YYYY-MM-DD`.
    public var isoDay: String { Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) }

    /// `YYYY-MM-DD`, then ` HH:MM` and `:SS` as far as the time was written.
    public var isoDayAndTime: String {
        var out = isoDay
        if let hour, let minute {
            out += " " + Self.pad(hour, 2) + ":" + Self.pad(minute, 2)
            if let second { out += ":" + Self.pad(second, 2) }
        }
        return out
    }

    /// Minutes since 1970-01-01 00:00 in the writer's local time (the zone is not applied: posts of
    /// one site share it, and a day's difference is what the duplicate rules ask about).
    public var minutesSinceEpoch: Int64 {
        Self.daysFromCivil(year, month, day) * 1440 + Int64((hour ?? 0) * 60 + (minute ?? 0))
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    public static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    // MARK: Whole values

    /// A whole front-matter timestamp: `YYYY-MM-DD`, optionally `T` or spaces and
    /// `HH:MM[:SS[.fraction]]`, optionally `Z` or `±HH[:]MM` (YAML timestamps and RFC 3339). Nil when
    /// anything else is written.
    public static func timestamp<C: Collection<UInt8>>(_ text: C) -> CalendarDate? {
        Array(text).withUnsafeBufferPointer { timestamp(bytes: $0) }
    }

    /// `timestamp(_:)` of a string's bytes, compiled here for them: `front-matter-field` asks for
    /// every date value, and the generic form called from another module copied the bytes through
    /// the view's unspecialized indices (most of the rule's date check). A native string's bytes
    /// are read in place: the copy into an array (an allocation) and the scanner's calls on it were
    /// ~1,200 instructions a date.
    public static func timestamp(_ text: String.UTF8View) -> CalendarDate? {
        if let date = text.withContiguousStorageIfAvailable({ timestamp(bytes: $0) }) { return date }
        return Array(text).withUnsafeBufferPointer { timestamp(bytes: $0) }
    }

    /// `timestamp(_:)` of UTF-8 lent in place (a front-matter value read from the document's bytes).
    public static func timestamp(utf8 bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? { timestamp(bytes: bytes) }

    private static func timestamp(bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        var scan = Scanner(bytes)
        guard var date = scan.dashedDay() else { return nil }
        if scan.atEnd { return date }
        guard scan.take(UInt8(ascii: "T")) || scan.take(UInt8(ascii: "t")) || scan.take(0x20) else { return nil }
        scan.skipSpaces()
        guard let hh = scan.digits(2), hh < 24, scan.take(UInt8(ascii: ":")), let mm = scan.digits(2), mm < 60 else { return nil }
        date.hour = hh
        date.minute = mm
        if scan.take(UInt8(ascii: ":")) {
            guard let ss = scan.digits(2), ss <= 60 else { return nil }
            date.second = ss
            if scan.take(UInt8(ascii: ".")) {
                guard scan.skipDigits() > 0 else { return nil }
            }
        }
        scan.skipSpaces()
        if scan.atEnd { return date }
        if scan.take(UInt8(ascii: "Z")) || scan.take(UInt8(ascii: "z")) { return scan.atEnd ? date : nil }
        guard scan.take(UInt8(ascii: "+")) || scan.take(UInt8(ascii: "-")) else { return nil }
        guard let zh = scan.digits(2), zh <= 14 else { return nil }
        if scan.atEnd { return date }
        _ = scan.take(UInt8(ascii: ":"))
        guard let zm = scan.digits(2), zm < 60, scan.atEnd else { return nil }
        return date
    }

    /// A value that starts with `YYYY-MM-DD`, with ` HH:MM` or `THH:MM` after it taken when present;
    /// whatever follows is ignored (a front-matter date with a note after it still dates the post).
    public static func leading<C: Collection<UInt8>>(_ text: C) -> CalendarDate? {
        Array(text.prefix(32)).withUnsafeBufferPointer { leading(prefix: $0) }
    }

    /// `leading(_:)` of a string's bytes, compiled here for them: a rule asks per file (a front-matter
    /// `date`), and the generic form called from another module was not specialized. A native
    /// string's first bytes are read in place, not copied (an array allocated per date).
    public static func leading(_ text: String.UTF8View) -> CalendarDate? {
        if let date = text.withContiguousStorageIfAvailable({ leading(prefix: UnsafeBufferPointer(rebasing: $0.prefix(32))) }) { return date }
        return Array(text.prefix(32)).withUnsafeBufferPointer { leading(prefix: $0) }
    }

    /// `leading(_:)` of UTF-8 lent in place (a front-matter value read from the document's bytes).
    public static func leading(utf8 bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        leading(prefix: UnsafeBufferPointer(rebasing: bytes.prefix(32)))
    }

    /// `leading(_:)` of the text's first 32 bytes.
    private static func leading(prefix: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        var scan = Scanner(prefix)
        guard var date = scan.dashedDay() else { return nil }
        var time = scan
        if time.take(0x20) || time.take(UInt8(ascii: "T")) || time.take(UInt8(ascii: "t")),
           let hh = time.digits(2), time.take(UInt8(ascii: ":")), let mm = time.digits(2), hh < 24, mm < 60 {
            date.hour = hh
            date.minute = mm
        }
        return date
    }

    /// The `YYYY-MM-DD` a file name starts with (Jekyll's `_posts/2024-11-01-title.md`).
    public static func fileNamePrefix(_ path: String) -> CalendarDate? {
        let name = path.utf8.split(separator: UInt8(ascii: "/")).last ?? path.utf8[...]
        guard name.count >= 10 else { return nil }
        return Array(name.prefix(10)).withUnsafeBufferPointer { bytes in
            var scan = Scanner(bytes)
            return scan.dashedDay()
        }
    }

    // MARK: Running text

    /// The first date written in running text, with its time when one follows: `2024-06-14`,
    /// `2024/6/14`, `2024.06.14` (the same separator twice) or `2024年6月14日`, a year 1900–2100 not
    /// preceded by a digit (`编号12024-06-14` is a number), then optionally `HH:MM[:SS]` (`：` too).
    public static func first<C: Collection<UInt8>>(in text: C) -> CalendarDate? {
        Array(text).withUnsafeBufferPointer { b in
            var start = 0
            while start + 8 <= b.count {
                defer { start += 1 }
                guard isDigit(b[start]), start == 0 || !isDigit(b[start - 1]) else { continue }
                if let date = writtenDate(b, at: start) { return date }
            }
            return nil
        }
    }

    private static let nian = Array("年".utf8), yue = Array("月".utf8), ri = Array("日".utf8), fullColon = Array("：".utf8)

    private static func writtenDate(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> CalendarDate? {
        var scan = Scanner(b, at: start)
        guard let y = scan.digits(4), (1900...2100).contains(y) else { return nil }
        let cjk: Bool
        let separator: UInt8
        if scan.take(nian) {
            cjk = true
            separator = 0
        } else if let s = scan.peek, s == UInt8(ascii: "-") || s == UInt8(ascii: "/") || s == UInt8(ascii: ".") {
            cjk = false
            separator = s
            scan.advance()
        } else { return nil }
        guard let m = scan.digits(upTo: 2), (1...12).contains(m) else { return nil }
        guard cjk ? scan.take(yue) : scan.take(separator) else { return nil }
        guard let d = scan.digits(upTo: 2), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        if cjk { _ = scan.take(ri) }
        var date = CalendarDate(year: y, month: m, day: d)
        var time = scan
        while time.take(0x20) || time.take([0xC2, 0xA0]) {}
        if let hh = time.digits(upTo: 2), time.take(UInt8(ascii: ":")) || time.take(fullColon), let mm = time.digits(upTo: 2),
           hh < 24, mm < 60 {
            date.hour = hh
            date.minute = mm
            if time.take(UInt8(ascii: ":")), let ss = time.digits(upTo: 2), ss <= 60 { date.second = ss }
        }
        return date
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A cursor over bytes for the recognisers above, on a buffer the caller holds (an array of
    /// the bytes was allocated per date) and inlined into them (the calls per digit group were
    /// half of a date's cost).
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int

        @inline(__always)
        init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
            self.bytes = bytes
            self.position = position
        }

        @inline(__always)
        var atEnd: Bool { position == bytes.count }
        @inline(__always)
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
        @inline(__always)
        mutating func advance() { position += 1 }

        @inline(__always)
        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            position += 1
            return true
        }

        @inline(__always)
        mutating func take(_ sequence: [UInt8]) -> Bool {
            guard position + sequence.count <= bytes.count, bytes[position..<(position + sequence.count)].elementsEqual(sequence) else { return false }
            position += sequence.count
            return true
        }

        /// Exactly `count` digits.
        @inline(__always)
        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for k in position..<(position + count) {
                guard CalendarDate.isDigit(bytes[k]) else { return nil }
                value = value * 10 + Int(bytes[k] - 0x30)
            }
            position += count
            return value
        }

        /// One to `limit` digits.
        @inline(__always)
        mutating func digits(upTo limit: Int) -> Int? {
            var value = 0, taken = 0
            while taken < limit, let c = peek, CalendarDate.isDigit(c) {
                value = value * 10 + Int(c - 0x30)
                position += 1
                taken += 1
            }
            return taken == 0 ? nil : value
        }

        @inline(__always)
        mutating func skipDigits() -> Int {
            let start = position
            while let c = peek, CalendarDate.isDigit(c) { position += 1 }
            return position - start
        }

        @inline(__always)
        mutating func skipSpaces() { while take(0x20) {} }

        /// `YYYY-MM-DD` with a real day of that month.
        @inline(__always)
        mutating func dashedDay() -> CalendarDate? {
            guard let y = digits(4), take(UInt8(ascii: "-")), let m = digits(2), take(UInt8(ascii: "-")), let d = digits(2),
                  (1...12).contains(m), d >= 1, d <= CalendarDate.daysIn(month: m, year: y) else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        }
    }
}
