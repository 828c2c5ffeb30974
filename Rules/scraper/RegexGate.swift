import NewsLintCore

/// A test of a line's bytes that every line a built-in confirming regex matches passes: a line
/// that fails it is left unconfirmed without the regex, which is then neither compiled nor run.
///
/// Why: on agora x1 the only lines that reached a regex were prose with 首頁 or 字号 (`老字号`,
/// `「軍」字號`), none of them a match, and compiling those two expressions (ICU) cost 8.0 M
/// instructions, more than all the searches. A gate may let a non-matching line through (the
/// regex then decides), never the reverse, so findings stay as they were (`RegexGateTests`
/// compares each gate with its regex).
package struct RegexGate: Sendable {
    package enum Kind: Sendable {
        /// `breadcrumbSource`: 首 must come before any printable ASCII byte of the line.
        case homeOpensLine
        /// `fontSizeSource`: some 字号/字號 must be followed by 大, with only spaces, colons and
        /// opening brackets between them.
        case fontSizeLabel
    }

    package let kind: Kind

    /// The breadcrumb pack's `首页 >`: anchored at the line's start, after spaces and bullets only.
    package static let breadcrumbSource = #"^[\s\x{a0}\x{3000}•·]*首[页頁][\s\x{a0}\x{3000}]*(>|＞|›|»|/|>>|→|-&gt;)"#
    /// The widget pack's font-size switch `字号：大 中 小`.
    package static let fontSizeSource = #"字[号號]\s*[:：]?\s*[\[【]?\s*大\s*[\]】]?\s*[\[【]?\s*中\s*[\]】]?\s*[\[【]?\s*小"#

    /// The gate of a regex source, nil for a source without one (it is always run).
    package init?(source: String) {
        switch source {
        case Self.breadcrumbSource: kind = .homeOpensLine
        case Self.fontSizeSource: kind = .fontSizeLabel
        default: return nil
        }
    }

    /// False only when the regex cannot match the (well-formed UTF-8) line `bytes[range]`.
    package func mayMatch(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        switch kind {
        case .homeOpensLine: return Self.homeOpensLine(bytes, range)
        case .fontSizeLabel: return Self.hasFontSizeLabel(bytes, range)
        }
    }

    /// Whether 首 (E9 A6 96) comes before any byte 0x21–0x7F. The regex's 首 is the line's first
    /// (its class holds no 首), and every ASCII character its class allows before it is a space
    /// or control (`\s`), 0x20 or below.
    static func homeOpensLine(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            let c = b[i]
            if c == 0xE9, i + 2 < range.upperBound, b[i + 1] == 0xA6, b[i + 2] == 0x96 { return true }
            if c > 0x20 && c < 0x80 { return false }
            i += 1
        }
        return false
    }

    /// Whether some 字 (E5 AD 97) followed by 号 (E5 8F B7) or 號 (E8 99 9F) is followed by 大
    /// (U+5927) after nothing but ASCII, white space, separators, `：` and `【`: more than the
    /// regex lets stand between them (`\s`, `:`, `：`, `[`, `【`), never less.
    static func hasFontSizeLabel(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        let line = b[range]
        var i = range.lowerBound
        while i + 5 < range.upperBound {
            defer { i += 1 }
            guard b[i] == 0xE5, b[i + 1] == 0xAD, b[i + 2] == 0x97 else { continue }
            let hao = b[i + 3] == 0xE5 && b[i + 4] == 0x8F && b[i + 5] == 0xB7
            let haoTraditional = b[i + 3] == 0xE8 && b[i + 4] == 0x99 && b[i + 5] == 0x9F
            guard hao || haoTraditional else { continue }
            var j = i + 6
            while j < range.upperBound {
                let (scalar, length) = UTF8Validation.decode(line, at: j)
                if scalar == 0x5927 { return true }
                guard scalar < 0x80 || scalar == 0xFF1A || scalar == 0x3010 || HTMLText.isWhitespaceOrNewline(scalar) else { break }
                j += length
            }
        }
        return false
    }
}
