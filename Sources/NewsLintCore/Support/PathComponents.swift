/// `NSString`'s `lastPathComponent`, `deletingLastPathComponent`, `pathExtension` and
/// `deletingPathExtension`, computed on the path's UTF-8 bytes.
///
/// Why: on Linux, swift-corelibs-foundation's slash fixing, which those four call first, traps on
/// a path that holds a non-ASCII character and a `//` (`newslint 'éé//é'` crashed in a rule that
/// asked for the file's extension), and on some paths with two runs of slashes. The answers are
/// Foundation's wherever it cuts where the file system does: Foundation compares characters, so a
/// `/` or `.` that a combining mark joins to the next character (`d/\u{301}x.md`) is no separator
/// to it, while the file system, and this, cut at every `/` byte. `/` and `.` are ASCII and never
/// part of a longer UTF-8 sequence, so cutting at them keeps every scalar whole.
package enum PathComponents {
    private static let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")

    /// The path's bytes with each run of `/` made one and a trailing `/` removed (but `/` itself
    /// kept): what Foundation compares and cuts.
    static func fixingSlashes(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for b in path.utf8 where !(b == slash && out.last == slash) { out.append(b) }
        if out.count > 1 && out.last == slash { out.removeLast() }
        return out
    }

    /// Where the last component of fixed bytes `p` starts (after its last `/`, else 0).
    private static func startOfLastComponent(_ p: [UInt8]) -> Int {
        var i = p.count
        while i > 0 && p[i - 1] != slash { i -= 1 }
        return i
    }

    /// Where the extension of fixed bytes `p` starts (after the last `.` of the last component),
    /// nil when it has none: no `.`, a `.` that opens the component, or the component `..`.
    private static func startOfExtension(_ p: [UInt8]) -> Int? {
        let start = startOfLastComponent(p)
        var i = p.count
        while i > start {
            if p[i - 1] == dot {
                let dotAt = i - 1
                if dotAt == start { return nil }
                if dotAt == p.count - 1 && dotAt - 1 == start && p[dotAt - 1] == dot { return nil }
                return i
            }
            i -= 1
        }
        return nil
    }

    private static func string(_ p: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: p[range], as: UTF8.self)
    }

    /// `NSString.lastPathComponent`: `a/b/` → `b`, `/` → `/`.
    package static func lastComponent(_ path: String) -> String {
        let p = fixingSlashes(path)
        if p.count <= 1 { return string(p, p.indices) }
        return string(p, startOfLastComponent(p)..<p.count)
    }

    /// `NSString.deletingLastPathComponent`: `a/b` → `a`, `a` → ``, `/a` → `/`.
    package static func deletingLastComponent(_ path: String) -> String {
        let p = fixingSlashes(path)
        if p.isEmpty || p == [slash] { return string(p, p.indices) }
        switch startOfLastComponent(p) {
        case 0: return ""
        case 1: return "/"
        case let start: return string(p, 0..<(start - 1))
        }
    }

    /// `NSString.pathExtension`: `a/b.md` → `md`, `.md` → ``, `a.` → ``.
    package static func pathExtension(_ path: String) -> String {
        let p = fixingSlashes(path)
        guard p.count > 1, let start = startOfExtension(p) else { return "" }
        return string(p, start..<p.count)
    }

    /// `NSString.deletingPathExtension`: `a/b.md` → `a/b`, `.md` → `.md`.
    package static func deletingPathExtension(_ path: String) -> String {
        let p = fixingSlashes(path)
        guard p.count > 1, let start = startOfExtension(p) else { return string(p, p.indices) }
        return string(p, 0..<(start - 1))
    }
}
