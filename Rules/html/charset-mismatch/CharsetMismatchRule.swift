import NewsLintCore

/// `charset-mismatch`: an HTML file whose bytes are UTF-8 (with non-ASCII text) but whose
/// `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` names another
/// encoding. A browser opening the mirrored file obeys the tag and shows the text as mojibake
/// (`æ–°é—»` for `新闻` under windows-1252, `鏂伴椈` under GBK). Nothing else reports it:
/// `encoding-invalid` judges files that are not UTF-8, and the text itself is clean.
public struct CharsetMismatchRule: Rule {
    public static let id = "charset-mismatch"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard document.isHTMLFile else { return }
        let bytes = document.bytes
        let view = document.html
        var found: [(value: Range<Int>, label: String)] = []
        // The `<meta>` start tags a browser reads for the encoding: every one in the first 1024
        // bytes (the prescan reads them wherever they stand), and after those the head's, as the
        // HTML parser bounds it. Past byte 1024 the walk ends at the first start tag the parser
        // puts in the body (`<body>`, or a `<div>` or `<p>` that opens the body without it) and at
        // the first text that is not spaces outside `<title>` (comments, doctype, scripts and
        // styles are their own tokens, passed over). A page fragment (agora's HTML files: no head,
        // no meta) ends the walk soon after its first kilobyte: walked to its end, every token of
        // every fragment was read for nothing (4.4 M instructions at agora ×1).
        let headElements = Self.headElements, templateKey = Self.templateKey, titleKey = Self.titleKey
        // Inside a `<template>` (its content is inert: no body, no declaration), the nesting depth.
        var templateDepth = 0
        // Inside `<title>`: its words are the head's, not the body's first text.
        var inTitle = false
        // Whether a token the parser puts in the body was seen (within the first 1024 bytes, where
        // the walk goes on past it).
        var bodyOpened = false
        walk: for token in view.tokens {
            let prescanned = token.range.lowerBound < Self.prescanLength
            if bodyOpened && !prescanned { break walk }
            switch token.kind {
            case .startTag:
                let key = token.key(in: bytes) ?? 0
                if templateDepth > 0 {
                    if key == templateKey { templateDepth += 1 }
                    continue
                }
                if key == titleKey { inTitle = true }
                if key == templateKey { templateDepth = 1; continue }
                if !headElements.contains(key) {
                    bodyOpened = true
                    guard prescanned else { break walk }
                }
                guard key == Self.metaKey, let value = view.declaredCharset(of: token, in: bytes) else { continue }
                let label = String(decoding: bytes[value], as: UTF8.self).lowercased()
                if Self.legacyLabels.contains(label) { found.append((value, label)) }
            case .endTag:
                let key = token.key(in: bytes)
                if templateDepth > 0, key == templateKey { templateDepth -= 1 }
                if key == titleKey { inTitle = false }
            case .text:
                guard templateDepth == 0, !inTitle else { continue }
                for k in token.range where !HTMLView.isSpace(bytes[k]) {
                    bodyOpened = true
                    guard prescanned else { break walk }
                    break
                }
            case .characterReference:
                if templateDepth == 0, !inTitle {
                    bodyOpened = true
                    if !prescanned { break walk }
                }
            case .comment, .doctype, .rawText:
                continue
            }
        }
        // A file that is not UTF-8 is `encoding-invalid`'s; with a UTF-8 byte-order mark a browser
        // reads UTF-8 whatever the tag says.
        guard !found.isEmpty, document.isValidUTF8 else { return }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return }
        // A page of ASCII reads the same in every one of these encodings: the tag does no harm.
        let nonASCII = bytes.withUnsafeBufferPointer { UTF8Validation.asciiPrefixLength($0) < $0.count }
        guard nonASCII else { return }
        let safety: Applicability = Self.holdsWideText(bytes) ? .safe : .unsafe
        for (value, label) in found {
            sink.report(value, "<meta> declares charset=\(label), but the file is UTF-8 with non-ASCII text: a browser that obeys the tag shows the text as mojibake",
                        fix: Fix(safety, safety == .safe ? "Declare charset=utf-8" : "Declare charset=utf-8 (the file's few non-ASCII bytes might also be the declared encoding's: check them)",
                                 edits: [Edit(range: value, replacement: "utf-8")]))
        }
    }

    /// Whether the file holds at least `wideTextMinimum` characters of three or four UTF-8 bytes.
    /// Legacy bytes can pass for a little UTF-8 (GB2312 录 is C2 BC, UTF-8 `¼`; 学习 is valid
    /// UTF-8 too), never for this much: only then is the declaration certainly wrong.
    static func holdsWideText(_ bytes: [UInt8]) -> Bool {
        var wide = 0
        for b in bytes where b >= 0xE0 {
            wide += 1
            if wide >= wideTextMinimum { return true }
        }
        return false
    }

    /// Characters of three or four bytes a file needs before the fix is safe.
    static let wideTextMinimum = 8

    /// `meta` as a `TagNameKey` (first byte lowest).
    private static var metaKey: UInt64 { 0x61_74_65_6D }
    /// The elements the HTML parser keeps in (or before) the head: any other start tag opens the body.
    private static let headElements = TagKeySet(
        ["html", "head", "base", "basefont", "bgsound", "link", "meta", "noframes", "noscript", "script", "style", "template", "title"]
            .map { TagNameKey.of(Array($0.utf8), 0..<$0.utf8.count) ?? 0 })
    /// `template` as a `TagNameKey`.
    private static let templateKey = TagNameKey.of(Array("template".utf8), 0..<8) ?? 0
    /// `title` as a `TagNameKey`.
    private static let titleKey = TagNameKey.of(Array("title".utf8), 0..<5) ?? 0
    /// The bytes a browser's prescan reads for a `<meta>` declaring the encoding, wherever it
    /// stands (WHATWG HTML, "prescan a byte stream to determine its encoding").
    private static let prescanLength = 1024

    /// Labels (WHATWG Encoding) of the encodings a Chinese news page was published in before UTF-8,
    /// and of the single-byte ones a UTF-8 page is misread as. Not here: UTF-8's labels, UTF-16's
    /// (a browser reads a page whose tag names UTF-16 as UTF-8), and labels a browser does not know
    /// (it ignores the tag, so the page is not shown in another encoding).
    static let legacyLabels: Set<String> = [
        // GBK and GB18030
        "gb2312", "gbk", "gb18030", "chinese", "csgb2312", "csiso58gb231280", "gb_2312", "gb_2312-80",
        "iso-ir-58", "x-gbk", "euc-cn", "hz-gb-2312",
        // Big5 (and Big5-HKSCS)
        "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5",
        // Japanese and Korean
        "shift_jis", "shift-jis", "sjis", "ms_kanji", "ms932", "windows-31j", "csshiftjis", "x-sjis",
        "euc-jp", "cseucpkdfmtjapanese", "x-euc-jp", "iso-2022-jp", "csiso2022jp",
        "euc-kr", "cseuckr", "csksc56011987", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
        "ksc5601", "ksc_5601", "windows-949",
        // Windows-1252 (the HTML standard reads ASCII and Latin-1 labels as it)
        "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso88591", "iso_8859-1",
        "iso_8859-1:1987", "latin1", "l1", "ascii", "us-ascii", "ansi_x3.4-1968", "cp819", "csisolatin1",
        "ibm819", "iso-ir-100",
        // Other single-byte encodings
        "iso-8859-2", "iso-8859-5", "iso-8859-7", "iso-8859-9", "iso-8859-15", "latin2", "latin9",
        "windows-1250", "windows-1251", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
        "windows-1257", "windows-1258", "windows-874", "tis-620", "koi8-r", "koi8-u", "macintosh", "x-mac-roman",
    ]
}
