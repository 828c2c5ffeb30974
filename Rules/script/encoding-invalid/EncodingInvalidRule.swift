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
            fix = Fix(.unsafe, "Transcode from \(name) to UTF-8", edits: [Edit(range: 0..<bytes.count, replacement: Array(text.utf8))])
        } else {
            message += "; no legacy encoding (UTF-16 with BOM, GB18030, Big5) decodes it clearly and without loss"
        }
        sink.report(offset..<(offset + 1), message, fix: fix)
    }

    package static let big5 = String.Encoding(rawValue: 0x8000_0A03)

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
        for (name, enc) in [("GB18030", gb18030), ("Big5", big5)] {
            // GB18030 is re-encoded from the table: Foundation's converter stops the process on
            // some text with four-byte codes (`GB18030Codes`).
            if let text = String(data: data, encoding: enc),
               (enc == gb18030 ? GB18030Codes.encode(text.unicodeScalars.map(\.value)) : text.data(using: enc).map { [UInt8]($0) }) == bytes {
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
