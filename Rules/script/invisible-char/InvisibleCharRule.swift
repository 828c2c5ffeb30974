import NewsLintCore

/// `invisible-char`: zero-width and control characters that hide in text; bidirectional
/// controls are errors because they can reorder what a reader sees.
public struct InvisibleCharRule: Rule {
    public static let id = "invisible-char"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true
    public init(options: RuleOptions) {}

    package static func name(_ c: UInt32) -> String? {
        switch c {
        case 0x200B: return "zero-width space (U+200B)"
        case 0x200C: return "zero-width non-joiner (U+200C)"
        case 0x200D: return "zero-width joiner (U+200D)"
        case 0x2060: return "word joiner (U+2060)"
        case 0x00AD: return "soft hyphen (U+00AD)"
        case 0xFEFF: return "byte-order mark (U+FEFF) after the start of the file"
        case 0x180E: return "Mongolian vowel separator (U+180E)"
        case 0x7F: return "control character DEL (U+007F)"
        case 0x00...0x1F: return labelled(c, "control character")
        case 0x80...0x9F: return labelled(c, "C1 control character")
        default: return bidiName(c)
        }
    }

    /// `name(c) != nil`, without the range switch for the scalars most text is made of: everything
    /// from U+2070 on except U+FEFF (Chinese text) and printable ASCII (markup) take one or two
    /// compares. `check` asks it of every scalar of a file its prefilter lets through, and makes the
    /// name (a string) only for a scalar it reports, not for each line feed and tab.
    @inline(__always)
    package static func isNamed(_ c: UInt32) -> Bool {
        if c >= 0x2070 { return c == 0xFEFF }
        if c < 0xA0 { return c < 0x20 || c >= 0x7F }
        return name(c) != nil
    }

    package static func bidiName(_ c: UInt32) -> String? {
        switch c {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
            return labelled(c, "bidirectional control")
        default: return nil
        }
    }

    /// Pictographs that ZWJ/ZWNJ legitimately join (👨‍👩‍👧, ❤️‍🔥).
    @inline(__always)
    package static func isEmojiPart(_ c: UInt32) -> Bool {
        (0x1F000...0x1FAFF).contains(c) || (0x2600...0x27BF).contains(c) || c == 0xFE0F || (0x1F3FB...0x1F3FF).contains(c)
            || (0xE0020...0xE007F).contains(c) || c == 0x2640 || c == 0x2642 || (0x2190...0x21FF).contains(c) || (0x2B00...0x2BFF).contains(c)
    }

    /// Letters of scripts whose orthography uses ZWJ/ZWNJ (Persian `می‌خواهم`, Devanagari `क्‍ष`).
    @inline(__always)
    package static func isJoiningScriptLetter(_ c: UInt32) -> Bool {
        (0x0600...0x08FF).contains(c) || (0x0900...0x0DFF).contains(c) || (0x1000...0x109F).contains(c)
            || (0x1780...0x18AF).contains(c) || (0xFB50...0xFDFF).contains(c) || (0xFE70...0xFEFC).contains(c)
    }

    /// Strong right-to-left letters (Hebrew, Arabic): an implicit direction mark next to them is how
    /// bidirectional quotes are written, unlike embeddings, overrides and isolates.
    @inline(__always)
    package static func isRTLLetter(_ c: UInt32) -> Bool {
        (0x0590...0x08FF).contains(c) || (0xFB1D...0xFDFF).contains(c) || (0xFE70...0xFEFC).contains(c)
    }

    /// The bytes the prefilter below acts on (any other byte it passes over).
    package static let leadBytes = ByteSet([0x7F, 0xC2, 0xEF, 0xE1, 0xD8, 0xE2], below: 0x20, except: [0x09, 0x0A, 0x0D])

    /// The prefilter of `check`: the document's byte-pair census (shared with other rules) rules
    /// out most files. The three-byte candidates (E2 80 8B…) it cannot rule out when `“` (E2 80 9C)
    /// occurs (it records no pair after a continuation byte); when they are the only possible
    /// candidates, a scan for them alone (E2 is rare next to the `，` and `“` the full scan stops
    /// at) gives the same answer.
    package static func mayHoldCandidate(in document: Document) -> Bool {
        let pairs = document.bytePairs
        let maybeOther = pairs.containsControlOtherThanWhitespace || pairs.contains(byte: 0x7F)
            || pairs.contains(0xC2, followedByAnyOf: 0x00...0x9F) || pairs.contains(0xC2, 0xAD)
            || pairs.contains(0xEF, 0xBB) || pairs.contains(0xE1, 0xA0) || pairs.contains(0xD8, 0x9C)
        if maybeOther { return mayHoldCandidate(document.bytes) }
        let maybeFormat = pairs.contains(0xE2, followedByAnyOf: 0x80...0x81)
        return maybeFormat && mayHoldFormatCharacter(document.bytes)
    }

    /// Whether `bytes` holds U+200B–200F, U+202A–202E or U+2060–2069 (the E2 branch of the scan
    /// below), from one E2 lead byte to the next by `memchr` (the word test read them more slowly).
    package static func mayHoldFormatCharacter(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf -> Bool in
            let n = buf.count
            var next = ByteWords.firstIndex(of: 0xE2, in: buf, from: 0, to: n)
            while let i = next, i + 2 < n {
                let b1 = buf[i + 1], b2 = buf[i + 2]
                if (b1 == 0x80 && ((b2 >= 0x8B && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAE))) || (b1 == 0x81 && b2 >= 0xA0 && b2 <= 0xA9) { return true }
                next = ByteWords.firstIndex(of: 0xE2, in: buf, from: i + 1, to: n)
            }
            return false
        }
    }

    /// Whether `bytes` may hold a character this rule reports.
    package static func mayHoldCandidate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf -> Bool in
            let n = buf.count
            var i = Self.leadBytes.firstIndex(in: buf, from: 0, to: n)
            while i < n {
                defer { i = Self.leadBytes.firstIndex(in: buf, from: i + 1, to: n) }
                let b = buf[i]
                if b < 0x20 { if b != 0x09 && b != 0x0A && b != 0x0D { return true } } else if b == 0x7F {
                    return true
                } else if b == 0xC2 {
                    // C2 80–9F (C1 controls) and C2 AD (soft hyphen); not C2 A0, the no-break space of most HTML pages.
                    if i + 1 < n, buf[i + 1] <= 0x9F || buf[i + 1] == 0xAD { return true }
                } else if i + 1 < n {
                    let b1 = buf[i + 1]
                    if (b == 0xEF && b1 == 0xBB) || (b == 0xE1 && b1 == 0xA0) || (b == 0xD8 && b1 == 0x9C) { return true }
                    if b == 0xE2 && i + 2 < n {
                        // U+200B–200F, U+202A–202E, U+2060–2069; not `“”‘’…—` (E2 80 9x/A6/94).
                        let b2 = buf[i + 2]
                        if (b1 == 0x80 && ((b2 >= 0x8B && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAE))) || (b1 == 0x81 && b2 >= 0xA0 && b2 <= 0xA9) { return true }
                    }
                }
            }
            return false
        }
    }

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Fast path: nothing below 0x20 except tab/LF/CR, no DEL, and no lead bytes of the characters we look for.
        // Prefilter on byte pairs/triples: E2 80 8B–8F, E2 80 AA–AE, E2 81 A0–A9, EF BB (U+FEFF), E1 A0 (U+180E), C2 80–9F
        // (C1 controls), C2 AD (soft hyphen), D8 9C (U+061C); E2 and EF alone would match `“` and `，` in every Chinese file.
        guard Self.mayHoldCandidate(in: document) else { return }
        let run = ScalarRun(wholeFile: document.scalars)
        let c = run.cps
        var code = CodeMask(document)
        var i = 0
        while i < c.count {
            let ch = c[i]
            guard Self.isNamed(ch), !isAllowed(run, i), let name = Self.name(ch) else { i += 1; continue }
            var j = i + 1
            while j < c.count, Self.isNamed(c[j]), !isAllowed(run, j), (Self.bidiName(c[j]) != nil) == (Self.bidiName(ch) != nil) { j += 1 }
            let range = run.byteRange(i..<j)
            let bidi = Self.bidiName(ch) != nil
            let what = j - i > 1 ? "\(j - i) invisible characters starting with \(name)" : bidi ? name : "invisible \(name)"
            // Reported in code too (it is never what a reader sees, and a bidirectional control there
            // is how source text is made to read other than it runs), but removed only as an unsafe
            // fix: a sample may show the character on purpose (a post about zero-width spaces).
            let fix = code.contains(bytes: range)
                ? Fix(.unsafe, "Remove the invisible character (inside code: check that the code does not show it on purpose)", edit: .delete(range))
                : Fix(.safe, "Remove the invisible character", edit: .delete(range))
            sink.report(range, bidi ? "\(what): it can make text display in a different order than it is stored" : what,
                        fix: fix, severity: bidi ? .error : nil)
            i = j
        }
    }

    private func isAllowed(_ run: ScalarRun, _ i: Int) -> Bool {
        let c = run[i]
        switch c {
        case 0x09, 0x0A, 0x0D: return true
        case 0xFEFF: return run.offsets[i] == 0
        case 0x200C, 0x200D:
            return Self.isEmojiPart(run[i - 1]) && Self.isEmojiPart(run[i + 1])
                || Self.isJoiningScriptLetter(run[i - 1]) && Self.isJoiningScriptLetter(run[i + 1])
        case 0x200E, 0x200F, 0x061C: return Self.isRTLLetter(run[i - 1]) || Self.isRTLLetter(run[i + 1])
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F:
            // Between two characters of text it stands for a lost character: `char-lost` reports it,
            // and removing it (this rule's safe fix) would hide that something is missing.
            return CharLostRule.standsInText(run, i)
        case 0x80...0x9F:
            // Part of UTF-8 read as Latin-1 (mojibake reports and repairs the whole run).
            let p = run[i - 1]
            return (0xC2...0xF4).contains(p) || (0x80...0xBF).contains(p) && i >= 2 && (0xE0...0xF4).contains(run[i - 2])
        case 0xAD:
            // Byte 0xAD ends or continues many UTF-8 characters (中 is E4 B8 AD, read as Latin-1 `ä¸­`):
            // removing it would lose the character mojibake restores. A soft hyphen in a word, even
            // after an accented letter (`pré­sident`), completes no such sequence and is reported.
            return Self.continuesLatin1ReadUTF8(run, i)
        default: return false
        }
    }

    /// Whether scalar `i`, taken as a Latin-1/Windows-1252 byte, is a continuation byte of a
    /// complete UTF-8 sequence spelled by the scalars around it (lead byte before, every
    /// continuation byte present).
    static func continuesLatin1ReadUTF8(_ run: ScalarRun, _ i: Int) -> Bool {
        for back in 1...3 {
            guard let byte = MojibakeRule.latin1Byte(run[i - back]) else { return false }
            if (0x80...0xBF).contains(byte) { continue }
            let continuations: Int
            switch byte {
            case 0xC2...0xDF: continuations = 1
            case 0xE0...0xEF: continuations = 2
            case 0xF0...0xF4: continuations = 3
            default: return false
            }
            guard continuations >= back else { return false }
            for ahead in stride(from: 1, through: continuations - back, by: 1) {
                guard let next = MojibakeRule.latin1Byte(run[i + ahead]), (0x80...0xBF).contains(next) else { return false }
            }
            return true
        }
        return false
    }
}

/// `label (U+XXXX)`.
package func labelled(_ c: UInt32, _ label: String) -> String {
    "\(label) (\(codePointName(c)))"
}

/// `U+XXXX`: a code point as Unicode charts write it (at least four hex digits).
package func codePointName(_ c: UInt32) -> String {
    let hex = String(c, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
