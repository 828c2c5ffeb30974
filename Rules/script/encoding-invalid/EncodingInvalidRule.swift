import Foundation
import NewsLintCore

/// `encoding-invalid`: the file is not valid UTF-8. Names the legacy encoding that decodes the
/// whole file without loss and offers (unsafe) to transcode it.
public struct EncodingInvalidRule: Rule {
    public static let id = "encoding-invalid"
    /// Runs last among the script rules (they find validity as they decode), so a slow file whose
    /// budget they used up must still get it: one validation walk at most, and the finding such a file needs.
    public static let runsPastFileBudget = true
    /// The one rule whose finding holds on a file in another encoding: it judges the encoding.
    public static let checksUndecodedFiles = true
    public init(options: RuleOptions) {}

    package static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard !document.isValidUTF8 else { return }
        let bytes = document.bytes
        // Count maximal runs of ill-formed bytes.
        var first: Int?
        var sequences = 0
        var badBytes = 0
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            var inBad = false
            while i < buf.count {
                let len = buf[i] < 0x80 ? 1 : UTF8Validation.sequenceLength(buf, at: i)
                if len == 0 {
                    if first == nil { first = i }
                    if !inBad { sequences += 1 }
                    inBad = true
                    badBytes += 1
                    i += 1
                } else {
                    inBad = false
                    i += len
                }
            }
        }
        guard let offset = first else { return }
        var message = "file is not valid UTF-8: \(sequences) ill-formed sequence\(sequences == 1 ? "" : "s") (\(badBytes) byte\(badBytes == 1 ? "" : "s")), the first here"
        var fix: Fix?
        if case let .legacy(name, text) = document.encoding {
            message += "; the whole file decodes cleanly as \(name)"
            let declared = Self.transcoded(text)
            let title = declared.elementsEqual(text.utf8) ? "Transcode from \(name) to UTF-8" : "Transcode from \(name) to UTF-8 and declare charset=utf-8"
            fix = Fix(.unsafe, title, edit: Edit(range: 0..<bytes.count, replacement: declared))
        } else {
            message += "; no legacy encoding (UTF-16 with BOM, GB18030, Big5, Big5-HKSCS) decodes it clearly and without loss"
        }
        sink.report(offset..<(offset + 1), message, fix: fix)
    }

    /// The file's bytes after the transcoding: `text` in UTF-8, declaring UTF-8 wherever it
    /// declared a charset (the one result the fixer's guard accepts for a legacy file).
    package static func transcoded(_ text: String) -> [UInt8] {
        declaringUTF8(Array(text.utf8))
    }

    /// `utf8` with the label every `<meta>` tag declares (`charset="big5"`; `content="text/html;
    /// charset=gb2312"` with `http-equiv="Content-Type"`) naming UTF-8: the transcoded page, still
    /// declaring its old encoding, would show as mojibake in a browser that obeys the tag. The tags
    /// are the HTML tokenizer's and the labels `HTMLView.declaredCharset(of:in:)`'s, as a browser
    /// reads them (`charset-mismatch` reads them there too): a `<meta` in a comment, a script or an
    /// attribute's value, and a `content` without that `http-equiv` (a description may say
    /// `charset=big5`), declare nothing and are left as written.
    package static func declaringUTF8(_ utf8: [UInt8]) -> [UInt8] {
        // Most pages (and every Markdown post without inline HTML) have no `<meta`: not tokenized.
        guard ASCIICase.firstIndex(of: metaOpen, in: utf8, from: 0, to: utf8.count) != nil else { return utf8 }
        let html = HTMLView(bytes: utf8, range: 0..<utf8.count)
        // In order: one label at most a tag.
        let names = html.tokens.compactMap { html.declaredCharset(of: $0, in: utf8) }
        var out: [UInt8] = []
        var copied = 0
        for name in names {
            let value = String(decoding: utf8[name], as: UTF8.self).lowercased()
            guard value != "utf-8", value != "utf8" else { continue }
            if out.isEmpty { out.reserveCapacity(utf8.count) }
            out += utf8[copied..<name.lowerBound]
            out += Array("utf-8".utf8)
            copied = name.upperBound
        }
        guard copied > 0 else { return utf8 }
        out += utf8[copied...]
        return out
    }

    private static let metaOpen = Array("<meta".utf8)

    package static let big5 = String.Encoding(rawValue: 0x8000_0A03)
    package static let big5HKSCS = String.Encoding(rawValue: 0x8000_0A06)

    /// Private-use code points: what a converter writes for a byte pair it has no character for
    /// (plain Big5 puts Hong Kong characters such as 嘅 there). The bytes round-trip, the text is
    /// lost: such a decoding is not lossless.
    static func isPrivateUse(_ c: UInt32) -> Bool {
        (0xE000...0xF8FF).contains(c) || c >= 0xF0000
    }

    /// The encoding that decodes all of `bytes` and re-encodes to the same bytes, with the text.
    /// GB18030 decodes almost any byte pairs, Big5 files included, so when both GB18030 and Big5
    /// round-trip, the one whose text has clearly more common characters wins (or neither).
    package static func losslessDecoding(_ bytes: [UInt8]) -> (String, String)? {
        let data = Data(bytes)
        if bytes.count % 2 == 0, ByteOrderMark.isUTF16(bytes) {
            let big = bytes[0] == 0xFE
            let enc: String.Encoding = big ? .utf16BigEndian : .utf16LittleEndian
            if let text = String(data: data.dropFirst(2), encoding: enc),
               text.data(using: enc).map({ [UInt8]($0) == Array(bytes.dropFirst(2)) }) == true {
                return (big ? "UTF-16 (big-endian, with BOM)" : "UTF-16 (little-endian, with BOM)", text)
            }
        }
        var candidates: [(name: String, text: String, score: Double)] = []
        // Big5-HKSCS (a superset of Big5) only when Big5 alone cannot read the file: for a plain
        // Big5 file the two give the same text, which would tie.
        for (name, enc) in [("GB18030", gb18030), ("Big5", big5), ("Big5-HKSCS", big5HKSCS)] {
            if enc == big5HKSCS && candidates.contains(where: { $0.name == "Big5" }) { continue }
            // GB18030 is re-encoded from the table: Foundation's converter stops the process on
            // some text with four-byte codes (`GB18030Codes`).
            if let text = String(data: data, encoding: enc),
               (enc == gb18030 ? GB18030Codes.encode(text.unicodeScalars.map(\.value)) : text.data(using: enc).map { [UInt8]($0) }) == bytes,
               !text.unicodeScalars.contains(where: { isPrivateUse($0.value) }) {
                let wide = text.unicodeScalars.lazy.map(\.value).filter { $0 >= 0x2E80 }
                candidates.append((name, text, MojibakeRule.commonShare(wide)))
            }
        }
        candidates.sort { $0.score > $1.score }
        guard let best = candidates.first else { return nil }
        if candidates.count > 1 && best.score < candidates[1].score + 0.2 { return nil }
        if best.score < 0.5 && best.text.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) { return nil }
        return (best.name, best.text)
    }
}

extension Document {
    /// How the bytes read as text (`DocumentEncoding`), decided once and shared: `encoding-invalid`
    /// names the encoding from it, the engine keeps other rules' findings off a file whose whole
    /// text is in another encoding, and the fixer transcodes from it. For a UTF-8 file it costs no
    /// more than `isValidUTF8`, which the script rules have usually found while decoding.
    public var encoding: DocumentEncoding {
        // UTF-8 (nearly every file) from the validity the script rules have usually found already;
        // only the outcome for a file that is not UTF-8 is worked out and kept.
        if isValidUTF8 { return .utf8 }
        return views.encoding {
            guard let (name, text) = EncodingInvalidRule.losslessDecoding(bytes) else { return .unknown }
            return .legacy(name: name, text: text)
        }
    }
}
