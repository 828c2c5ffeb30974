import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File names are bytes; Swift strings are Unicode. A corpus scraped on a GB18030 or Big5 system
/// has names that are not UTF-8 (`\xB7\xA8.md`), and `String(cString:)` would replace those bytes
/// with U+FFFD and name a file that does not exist. Paths therefore stay `String` inside newslint,
/// but every byte that is not part of valid UTF-8 is carried as one reserved code point,
/// U+10FF00 + byte (U+10FF80…U+10FFFF, the last 128 code points of Supplementary Private Use
/// Area-B; only bytes 0x80…0xFF can be invalid). A real name that itself contains one of those
/// code points (valid UTF-8 F4 8F BE xx / F4 8F BF xx) has each of its four bytes mapped the same
/// way, so the mapping is a bijection between byte strings and the strings it produces, and the
/// identity on every UTF-8 name without them (every real corpus so far).
///
/// Every call that hands a path to the system converts back to the exact bytes (`withCString`,
/// and the wrappers below); output shows the escaped form (`display`): `\xB7` for such a byte.
public enum SystemPath {
    /// U+10FF00 + byte carries a byte that is not valid UTF-8.
    package static let reservedBase: UInt32 = 0x10FF00
    package static let reservedRange: ClosedRange<UInt32> = 0x10FF80...0x10FFFF

    /// The internal string for raw name bytes (the inverse of `bytes`).
    public static func decode<C: Collection>(_ raw: C) -> String where C.Element == UInt8 {
        let bytes = Array(raw)
        // Fast path: valid UTF-8 without the reserved block (no F4 8F BE/BF lead-in).
        if let s = String(exactUTF8: bytes[...]), !containsReserved(s) { return s }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: i), !reservedRange.contains(scalar.value) {
                scalars.append(scalar)
                i += length
            } else if let (_, length) = decodeScalar(bytes, at: i) {
                // A real reserved code point: carry its bytes one by one so it cannot pass for a mapped byte.
                for b in bytes[i..<(i + length)] { scalars.append(reserved(b)) }
                i += length
            } else {
                scalars.append(reserved(bytes[i]))
                i += 1
            }
        }
        return String(scalars)
    }

    /// The same for bytes in memory (a directory entry's name): valid UTF-8 without an F4 byte
    /// (no reserved code point can start there) is decoded without a copy or a second scan.
    public static func decode(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        if let base = raw.baseAddress, memchr(base, 0xF4, raw.count) == nil, let s = String(exactUTF8: raw) { return s }
        return decode(raw[...])
    }

    /// The exact bytes a path names on disk.
    public static func bytes(_ path: String) -> [UInt8] {
        guard containsReserved(path) else { return Array(path.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if reservedRange.contains(scalar.value) {
                out.append(UInt8(scalar.value - reservedBase))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated exact bytes of `path` (for open, stat, rename, …).
    public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        guard containsReserved(path) else { return try path.withCString(body) }
        let c = bytes(path).map { CChar(bitPattern: $0) } + [0]
        return try c.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Whether `path` carries a mapped byte (or anything in the reserved block). Cheap: U+10xxxx
    /// starts with F4, which no other code point (and so no other path) contains.
    @inline(__always)
    public static func containsReserved(_ s: String) -> Bool {
        containsF4(s) && s.unicodeScalars.contains { reservedRange.contains($0.value) }
    }

    /// Whether `s` holds the byte F4: `memchr` over the string's own bytes (asked per opened file;
    /// the view's generic `contains` cost some 40 instructions a byte).
    static func containsF4(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 0xF4, bytes.count) != nil } ?? false
        } ?? s.utf8.contains(0xF4)
    }

    /// The bytes that start something `display` escapes: C0 controls, DEL, a backslash, the lead bytes of
    /// mapped bytes (F4), C1 controls (C2) and line separators and bidi controls (E2).
    private static let displayEscapeLeads: [Bool] = (0...255).map { b in
        b < 0x20 || b == 0x7F || b == 0x5C || b == 0xF4 || b == 0xC2 || b == 0xE2
    }

    /// Whether a byte of `w` is one of `displayEscapeLeads` (exact: the zero-byte tests).
    @inline(__always)
    private static func mayStartEscape(_ w: UInt64) -> Bool {
        (w &- 0x20 &* ByteWords.ones) & ~w & ByteWords.highs != 0
            || ByteWords.has(0x7F, in: w) || ByteWords.has(0x5C, in: w)
            || ByteWords.has(0xF4, in: w) || ByteWords.has(0xC2, in: w) || ByteWords.has(0xE2, in: w)
    }

    /// The form shown in output: a mapped byte as `\xB7`; a character that would not show or would
    /// reorder the line (C0/C1 controls, DEL, line separators, bidi controls) as the `\xHH` escapes of its
    /// UTF-8 bytes; a backslash doubled (`\\`); everything else as is. Reversible (the escapes spell
    /// bytes, so two files never share a displayed name) and valid Unicode, so JSON stays valid.
    /// Names with none of these are shown unchanged.
    public static func display(_ path: String) -> String {
        // Checked once per reported file, over the contiguous bytes by table (six comparisons a
        // byte cost ~1,300 instructions a name, most names being two dozen Chinese characters).
        // Sixteen bytes a step by SSE2's byte compares, then eight by word tests, then the table
        // for the last few bytes (once per reported file on a warm run's serial output: the table
        // cost ~8 instructions a byte, the word tests alone ~43 a word, ~700 a name).
        let mayNeedEscape = displayEscapeLeads
        if !(path.utf8.withContiguousStorageIfAvailable { mayNeedDisplayEscape($0) } ?? path.utf8.contains { mayNeedEscape[Int($0)] }) { return path }
        return escapedDisplay(path)
    }

    /// Whether `display` of the name these UTF-8 bytes spell may differ from it (false: shown as is).
    public static func mayNeedDisplayEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let mayNeedEscape = displayEscapeLeads
        var i = 0
        if let base = bytes.baseAddress {
            let control = SIMD16<UInt8>(repeating: 0x20), delete = SIMD16<UInt8>(repeating: 0x7F)
            let backslash = SIMD16<UInt8>(repeating: 0x5C), mapped = SIMD16<UInt8>(repeating: 0xF4)
            let c1 = SIMD16<UInt8>(repeating: 0xC2), separators = SIMD16<UInt8>(repeating: 0xE2)
            while i + 16 <= bytes.count {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let hit = (v .< control) .| (v .== delete) .| (v .== backslash) .| (v .== mapped) .| (v .== c1) .| (v .== separators)
                if ByteWords.anyLane(hit) { return true }
                i += 16
            }
            while i + 8 <= bytes.count {
                if mayStartEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { return true }
                i += 8
            }
        }
        while i < bytes.count {
            if mayNeedEscape[Int(bytes[i])] { return true }
            i += 1
        }
        return false
    }

    /// `display` of a name that may need an escape.
    private static func escapedDisplay(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            let v = scalar.value
            if reservedRange.contains(v) {
                out += hexEscape(UInt8(v - reservedBase))
            } else if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
                        || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                for b in String(scalar).utf8 { out += hexEscape(b) }
            } else if v == 0x5C {
                out += "\\\\"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Free text (a message that may name a path): mapped bytes and C1 controls escaped as `\xB7`,
    /// nothing else changed (a backslash in a message is text, not part of an escape).
    public static func displayText(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0xF4 || $0 == 0xC2 }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if reservedRange.contains(scalar.value) {
                out += hexEscape(UInt8(scalar.value - reservedBase))
            } else if (0x80...0x9F).contains(scalar.value) {
                for b in String(scalar).utf8 { out += hexEscape(b) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The process's working directory, byte-exact.
    public static func currentDirectory() -> String {
        guard let p = getcwd(nil, 0) else { return FileManager.default.currentDirectoryPath }
        defer { free(p) }
        return decode(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
    }

    // MARK: - System calls on exact bytes

    public static func stat(_ path: String, _ st: inout FileStatus) -> Int32 { withCString(path) { cStat($0, &st) } }
    public static func lstat(_ path: String, _ st: inout FileStatus) -> Int32 { withCString(path) { cLstat($0, &st) } }
    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { withCString(path) { cOpen($0, flags, mode) } }
    public static func access(_ path: String, _ mode: Int32) -> Int32 { withCString(path) { cAccess($0, mode) } }
    public static func unlink(_ path: String) -> Int32 { withCString(path) { cUnlink($0) } }
    public static func rename(_ from: String, _ to: String) -> Int32 { withCString(from) { f in withCString(to) { cRename(f, $0) } } }

    /// realpath(3), decoded byte-exactly; nil when the path does not exist.
    public static func real(_ path: String) -> String? {
        guard let p = withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(p) }
        return decode(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
    }

    /// readlink(2), decoded byte-exactly; nil when `path` is not a symbolic link.
    public static func readLink(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = withCString(path) { p in buffer.withUnsafeMutableBufferPointer { readlink(p, UnsafeMutableRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count) } }
        guard n >= 0 else { return nil }
        return decode(buffer[0..<n])
    }

    /// Whether anything exists at `path` (symlinks followed); `isDirectory` says whether it is a directory.
    public static func exists(_ path: String) -> Bool {
        var st = FileStatus()
        return stat(path, &st) == 0
    }

    /// FileManager.fileExists(atPath:isDirectory:) on the exact bytes.
    public static func exists(_ path: String, isDirectory: inout ObjCBool) -> Bool {
        var st = FileStatus()
        guard stat(path, &st) == 0 else { return false }
        isDirectory = ObjCBool((st.st_mode & S_IFMT) == S_IFDIR)
        return true
    }

    /// The contents of a regular file (nil when it cannot be read).
    public static func contents(_ path: String) -> [UInt8]? {
        if !containsReserved(path) { return FileManager.default.contents(atPath: path).map { [UInt8]($0) } }
        if case .bytes(let b) = FileReader.read(path, maxSize: Int.max / 2) { return b }
        return nil
    }

    private static func reserved(_ byte: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(reservedBase + UInt32(byte))!
    }

    private static func hexEscape(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        var s = "\\x"
        s.unicodeScalars.append(digits[Int(b >> 4)])
        s.unicodeScalars.append(digits[Int(b & 0xF)])
        return s
    }

    /// One well-formed UTF-8 scalar at `i` (no overlongs, surrogates or values past U+10FFFF).
    private static func decodeScalar(_ b: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = b[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let length: Int
        var value: UInt32
        var lowerSecond: UInt8 = 0x80, upperSecond: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0: length = 3; value = 0; lowerSecond = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xED: length = 3; value = 0x0D; upperSecond = 0x9F
        case 0xF0: length = 4; value = 0; lowerSecond = 0x90
        case 0xF1...0xF3: length = 4; value = UInt32(b0 & 0x07)
        case 0xF4: length = 4; value = 4; upperSecond = 0x8F
        default: return nil
        }
        guard i + length <= b.count else { return nil }
        for k in 1..<length {
            let c = b[i + k]
            let lo: UInt8 = k == 1 ? lowerSecond : 0x80
            let hi: UInt8 = k == 1 ? upperSecond : 0xBF
            guard c >= lo && c <= hi else { return nil }
            value = (value << 6) | UInt32(c & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}

/// `struct stat` under a name the wrappers above do not shadow.
public typealias FileStatus = stat
// The C calls, at file scope where `stat`/`open`/… still name the system's functions.
private func cStat(_ p: UnsafePointer<CChar>, _ st: inout FileStatus) -> Int32 { stat(p, &st) }
private func cLstat(_ p: UnsafePointer<CChar>, _ st: inout FileStatus) -> Int32 { lstat(p, &st) }
private func cOpen(_ p: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 { open(p, flags, mode) }
private func cAccess(_ p: UnsafePointer<CChar>, _ mode: Int32) -> Int32 { access(p, mode) }
private func cUnlink(_ p: UnsafePointer<CChar>) -> Int32 { unlink(p) }
private func cRename(_ a: UnsafePointer<CChar>, _ b: UnsafePointer<CChar>) -> Int32 { rename(a, b) }

extension Diagnostic {
    /// The path as reporters print it (`SystemPath.display`).
    public var displayPath: String { SystemPath.display(path) }
    /// The message as reporters print it (a path named in it shows its bytes escaped).
    public var displayMessage: String { SystemPath.displayText(message) }
}
