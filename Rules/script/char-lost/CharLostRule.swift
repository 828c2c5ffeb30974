import NewsLintCore

/// `char-lost`: characters that stand where a character of the text was lost — an object
/// replacement character (U+FFFC) left by a dropped embedded object, private-use code points
/// (legacy HKSCS/Big5 or vendor glyphs that render as boxes) and C0 controls standing between
/// letters (SUB U+001A is what converters write for an unmappable character).
///
/// There is no fix: the character is gone and only an editor with the source can restore it.
/// U+FFFD is `mojibake`'s; controls that are merely debris (not between two characters) are
/// `invisible-char`'s.
public struct CharLostRule: Rule {
    public static let id = "char-lost"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true

    public init(options: RuleOptions) {}

    package enum Kind {
        case objectReplacement, privateUse, control

        /// A dropped object usually leaves readable text around it; a private-use or control
        /// character sits where a letter of the sentence was.
        package var severity: Severity { self == .objectReplacement ? .warning : .error }
    }

    /// The kind of the scalar `c`, if it is one this rule reports.
    @inline(__always)
    package static func kind(_ c: UInt32) -> Kind? {
        switch c {
        case 0xFFFC: return .objectReplacement
        case 0xE000...0xF8FF, 0xF0000...0x10FFFF: return .privateUse
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F: return .control
        default: return nil
        }
    }

    /// The bytes the prefilter below acts on (any other byte it passes over).
    package static let leadBytes = ByteSet([0xEE, 0xF4, 0xEF, 0xF3], below: 0x20, except: [0x09, 0x0A, 0x0D])

    /// The prefilter of `check`: the document's byte-pair census (shared with other rules) rules
    /// out nearly every file; only when it cannot does the exact scan below run.
    package static func mayHoldCandidate(in document: Document) -> Bool {
        let pairs = document.bytePairs
        let maybe = pairs.containsControlOtherThanWhitespace || pairs.contains(byte: 0xEE) || pairs.contains(byte: 0xF4)
            || pairs.contains(0xEF, followedByAnyOf: 0x00...0xA3) || pairs.mayContain([0xEF, 0xBF, 0xBC])
            || pairs.contains(0xF3, followedByAnyOf: 0xB0...0xFF)
        return maybe && mayHoldCandidate(document.bytes)
    }

    /// Whether `bytes` may hold a character this rule reports.
    package static func mayHoldCandidate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf -> Bool in
            let n = buf.count
            var i = Self.leadBytes.firstIndex(in: buf, from: 0, to: n)
            while i < n {
                defer { i = Self.leadBytes.firstIndex(in: buf, from: i + 1, to: n) }
                let b = buf[i]
                if b < 0x20 {
                    if b != 0x09 && b != 0x0A && b != 0x0D { return true }
                } else if b == 0xEE || b == 0xF4 {
                    return true
                } else if i + 1 < n {
                    let b1 = buf[i + 1]
                    if b == 0xEF && (b1 <= 0xA3 || (b1 == 0xBF && i + 2 < n && buf[i + 2] == 0xBC)) { return true }
                    if b == 0xF3 && b1 >= 0xB0 { return true }
                }
            }
            return false
        }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Prefilter on bytes: C0 controls, EF BF BC (U+FFFC), EE (U+E000–EFFF), EF 80–A3 (U+F000–F8FF),
        // F3 B0–BF and F4 (planes 15–16). `，` (EF BC 8C) and `“` (E2 80 9C) never match.
        guard Self.mayHoldCandidate(in: document) else { return }
        let run = ScalarRun(wholeFile: document.scalars)
        let c = run.cps
        var code = CodeMask(document)
        var i = 0
        while i < c.count {
            guard let kind = Self.kind(c[i]) else { i += 1; continue }
            // Code (a fence, a code span, a script, style or comment block) is skipped, as an HTML
            // page's code elements are: a private-use character there is mostly an icon font's
            // glyph (`content: "\u{F007}"`), written on purpose.
            if code.contains(bytes: run.byteRange(i..<(i + 1))) { i += 1; continue }
            if kind == .control && !Self.standsInText(run, i) { i += 1; continue }
            var j = i + 1
            while j < c.count, Self.kind(c[j]) == kind, kind != .control || Self.standsInText(run, j) || c[j] == c[i] { j += 1 }
            let range = run.byteRange(i..<j)
            let points = (i..<min(j, i + 3)).map { codePointName(c[$0]) }.joined(separator: " ") + (j - i > 3 ? " …" : "")
            let count = j - i == 1 ? "" : "\(j - i) "
            let message: String
            switch kind {
            case .objectReplacement:
                message = "\(count)object replacement character\(j - i == 1 ? "" : "s") (U+FFFC): an embedded object (image, emoji, formula) was dropped here"
            case .privateUse:
                message = "\(count)private-use character\(j - i == 1 ? "" : "s") (\(points)): renders as a box or a wrong glyph; a character of the text (a legacy HKSCS/Big5 or vendor code point) was lost"
            case .control:
                message = "\(count)control character\(j - i == 1 ? "" : "s") (\(points)) in place of a character: the character was lost in a conversion"
            }
            sink.report(range, message, severity: kind.severity)
            i = j
        }
    }

    /// A control between two characters of text (not at a line edge, not next to whitespace), or
    /// SUB (U+001A), which converters write for an unmappable character wherever it stands.
    package static func standsInText(_ run: ScalarRun, _ i: Int) -> Bool {
        if run[i] == 0x1A { return true }
        func isText(_ c: UInt32) -> Bool { c > 0x20 && c != 0x7F && c != ScalarRun.invalid && c != 0x3000 && !(0x80...0xA0).contains(c) }
        var before = i - 1
        while before >= 0, Self.kind(run[before]) == .control { before -= 1 }
        var after = i + 1
        while after < run.count, Self.kind(run[after]) == .control { after += 1 }
        return before >= 0 && after < run.count && isText(run[before]) && isText(run[after])
    }
}
