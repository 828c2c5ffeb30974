import Foundation
import Testing
@testable import NewsLintCore

/// `CalendarDate`'s recognisers on a buffer the caller holds (no array per date, the scanner
/// inlined) read every text as the array-based scanner they replaced (`OldCalendarDate`, kept here
/// as it was): whole timestamps, leading dates of a value, file-name prefixes and dates in running
/// text, over seeded random date-like texts and edges (short, long, non-ASCII, bridged strings).
@Suite struct CalendarDateBufferTests {
    private static let pieces: [String] = [
        "2024", "-", "11", "27", "02", "29", "2023", "1900", "13", "00", "31", "30", " ", "T", "t", "09", ":", "36", "01",
        ".", "000000000", "+08:00", "-05", "Z", "z", "+0800", "24", "60", "年", "月", "日", "/", "：", "\u{A0}", "x", "1", "",
        "  ", "99", "+15:00", "2024-06-14", "2024-06-14 23:59", "2024-06-14T00:00:60.5Z", "2100-02-29",
    ]

    private static func random(_ rng: inout SeededRandom) -> String {
        var s = ""
        for _ in 0..<(1 + rng.below(12)) { s += rng.pick(pieces) }
        return s
    }

    private func expectSame(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(CalendarDate.timestamp(text.utf8) == OldCalendarDate.timestamp(bytes: bytes), "\(text)")
        #expect(CalendarDate.timestamp(bytes[...]) == OldCalendarDate.timestamp(bytes: bytes), "\(text)")
        #expect(CalendarDate.leading(text.utf8) == OldCalendarDate.leading(prefix: Array(bytes.prefix(32))), "\(text)")
        #expect(CalendarDate.leading(bytes[...]) == OldCalendarDate.leading(prefix: Array(bytes.prefix(32))), "\(text)")
        #expect(CalendarDate.fileNamePrefix("_posts/" + text) == OldCalendarDate.fileNamePrefix("_posts/" + text), "\(text)")
        #expect(CalendarDate.first(in: bytes) == OldCalendarDate.first(in: bytes), "\(text)")
        // A bridged (non-native) string has no contiguous bytes: the copying path.
        let bridged = String(NSString(string: text))
        #expect(CalendarDate.timestamp(bridged.utf8) == OldCalendarDate.timestamp(bytes: bytes), "\(text)")
        #expect(CalendarDate.leading(bridged.utf8) == OldCalendarDate.leading(prefix: Array(bytes.prefix(32))), "\(text)")
    }

    @Test func randomTextsReadAsBefore() {
        var rng = SeededRandom(seed: 2026)
        for _ in 0..<5_000 { expectSame(Self.random(&rng)) }
    }

    @Test(arguments: [
        "", "2", "2024-11-27", "2024-11-27 09:36:01.000000000 +08:00", "2024-11-27T09:36:01Z", "2024-11-27 09:36",
        "2024-02-30", "2024-11-27 09:36:01.", "2024-11-27 24:00", "2024-11-27  09:36:01 +14", "2024-11-27 09:36 -0530",
        "2024-11-27 09:36:01.000000000 +08:00 trailing text that runs on past thirty-two bytes",
        "2024-11-2", "2024-11-27-title.md", "中文 2024年6月14日 10：30", "编号12024-06-14", "2024/6/14 9:05", "2024.06.14",
        "2024-06-14\u{A0}10:30", "12345678901234567890123456789012", "2024-11-27T", "2024-11-27 09:3",
    ])
    func edges(_ text: String) { expectSame(text) }
}

/// The recognisers as they were before they read a buffer in place (arrays of the bytes).
enum OldCalendarDate {
    static func timestamp(bytes: [UInt8]) -> CalendarDate? {
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

    static func leading(prefix: [UInt8]) -> CalendarDate? {
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

    static func fileNamePrefix(_ path: String) -> CalendarDate? {
        let name = path.utf8.split(separator: UInt8(ascii: "/")).last ?? path.utf8[...]
        guard name.count >= 10 else { return nil }
        var scan = Scanner(Array(name.prefix(10)))
        return scan.dashedDay()
    }

    static func first<C: Collection<UInt8>>(in text: C) -> CalendarDate? {
        let b = Array(text)
        var start = 0
        while start + 8 <= b.count {
            defer { start += 1 }
            guard isDigit(b[start]), start == 0 || !isDigit(b[start - 1]) else { continue }
            if let date = writtenDate(b, at: start) { return date }
        }
        return nil
    }

    private static let nian = Array("年".utf8), yue = Array("月".utf8), ri = Array("日".utf8), fullColon = Array("：".utf8)

    static func writtenDate(_ b: [UInt8], at start: Int) -> CalendarDate? {
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
        guard let d = scan.digits(upTo: 2), d >= 1, d <= CalendarDate.daysIn(month: m, year: y) else { return nil }
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


    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// A cursor over bytes for the recognisers above.
    struct Scanner {
        let bytes: [UInt8]
        var position: Int

        init(_ bytes: [UInt8], at position: Int = 0) {
            self.bytes = bytes
            self.position = position
        }

        var atEnd: Bool { position == bytes.count }
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
        mutating func advance() { position += 1 }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            position += 1
            return true
        }

        mutating func take(_ sequence: [UInt8]) -> Bool {
            guard position + sequence.count <= bytes.count, bytes[position..<(position + sequence.count)].elementsEqual(sequence) else { return false }
            position += sequence.count
            return true
        }

        /// Exactly `count` digits.
        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for k in position..<(position + count) {
                guard OldCalendarDate.isDigit(bytes[k]) else { return nil }
                value = value * 10 + Int(bytes[k] - 0x30)
            }
            position += count
            return value
        }

        /// One to `limit` digits.
        mutating func digits(upTo limit: Int) -> Int? {
            var value = 0, taken = 0
            while taken < limit, let c = peek, OldCalendarDate.isDigit(c) {
                value = value * 10 + Int(c - 0x30)
                position += 1
                taken += 1
            }
            return taken == 0 ? nil : value
        }

        mutating func skipDigits() -> Int {
            let start = position
            while let c = peek, OldCalendarDate.isDigit(c) { position += 1 }
            return position - start
        }

        mutating func skipSpaces() { while take(0x20) {} }

        /// `YYYY-MM-DD` with a real day of that month.
        mutating func dashedDay() -> CalendarDate? {
            guard let y = digits(4), take(UInt8(ascii: "-")), let m = digits(2), take(UInt8(ascii: "-")), let d = digits(2),
                  (1...12).contains(m), d >= 1, d <= CalendarDate.daysIn(month: m, year: y) else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        }
    }
}
