import Foundation
import NewsLintCore
import NewsLintRules

/// Keeps `--fix` from corrupting text: rules edit UTF-8 bytes, so a file in another encoding
/// (UTF-16, GB18030, Big5) only looks like UTF-8 in places, and an edit there cuts real
/// characters apart (新聞 → 新). The fixer asks this guard which fixes a document may take
/// and re-decodes every result to prove nothing outside the edits changed.
package enum EncodingGuard {
    /// The one fix allowed on a file that is not UTF-8: the whole-file transcoding offered by `encoding-invalid`.
    package static func isTranscoding(_ d: Diagnostic, byteCount: Int) -> Bool {
        guard d.rule == EncodingInvalidRule.id, let fix = d.fix, fix.edits.count == 1 else { return false }
        return fix.edits[0].range == 0..<byteCount
    }

    /// Whether `d`'s fix may be applied to a file of `byteCount` bytes in `encoding`: any fix on
    /// UTF-8, only the transcoding on a file wholly in another encoding, none on an unknown one.
    /// The one answer for the fixer (`fixable`) and for the findings the engine shows as fixable.
    package static func mayApply(_ d: Diagnostic, byteCount: Int, encoding: DocumentEncoding) -> Bool {
        switch encoding {
        case .utf8: return true
        case .legacy: return isTranscoding(d, byteCount: byteCount)
        case .unknown: return false
        }
    }

    /// The diagnostics whose fixes may be applied to `bytes` in `encoding`.
    package static func fixable(_ diagnostics: [Diagnostic], bytes: [UInt8], encoding: DocumentEncoding) -> [Diagnostic] {
        if encoding == .utf8 { return diagnostics }
        return diagnostics.filter { mayApply($0, byteCount: bytes.count, encoding: encoding) }
    }

    /// Whether applying `edits` (sorted, non-overlapping) to `old` giving `new` left every
    /// character outside the edits as it was, judged by decoding both in `encoding`.
    /// For UTF-8: both versions must decode cleanly and every unedited stretch must start and
    /// end on a character boundary in both, so it decodes to the same characters in place.
    /// For a legacy encoding: the only edit is the transcoding, whose result must be exactly
    /// the UTF-8 form of the decoded text (with its `<meta>` charset naming UTF-8).
    package static func preservesText(old: [UInt8], new: [UInt8], edits: [Edit], encoding: DocumentEncoding) -> Bool {
        switch encoding {
        case .unknown:
            return false
        case let .legacy(_, text):
            return edits.count == 1 && edits[0].range == 0..<old.count && new == EncodingInvalidRule.transcoded(text)
        case .utf8:
            guard UTF8Validation.firstInvalidOffset(in: new) == nil else { return false }
            func boundary(_ bytes: [UInt8], _ i: Int) -> Bool { i >= bytes.count || i <= 0 || bytes[i] & 0xC0 != 0x80 }
            var oldCursor = 0, newCursor = 0
            for e in edits {
                // Unedited stretch old[oldCursor..<e.lower] sits at new[newCursor..<newCursor+len].
                let length = e.range.lowerBound - oldCursor
                guard length >= 0 else { return false }
                if length > 0 {
                    guard boundary(old, oldCursor), boundary(old, e.range.lowerBound),
                          boundary(new, newCursor), boundary(new, newCursor + length),
                          old[oldCursor..<e.range.lowerBound].elementsEqual(new[newCursor..<(newCursor + length)]) else { return false }
                }
                newCursor += length + e.replacement.count
                oldCursor = e.range.upperBound
            }
            let tail = old.count - oldCursor
            guard tail >= 0, new.count - newCursor == tail else { return false }
            if tail > 0 {
                guard boundary(old, oldCursor), boundary(new, newCursor),
                      old[oldCursor...].elementsEqual(new[newCursor...]) else { return false }
            }
            return true
        }
    }
}
