import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// An LSP position: 0-based line and UTF-16 code-unit offset within the line (the protocol's
/// default encoding; an astral character such as 𠝹 counts 2).
package struct LSPPosition: Equatable, Comparable, Sendable {
    package var line: Int
    package var character: Int

    package static func < (a: LSPPosition, b: LSPPosition) -> Bool { (a.line, a.character) < (b.line, b.character) }
}

package struct LSPRange: Equatable, Sendable {
    package var start: LSPPosition
    package var end: LSPPosition
}

/// Converts between the engine's coordinates (UTF-8 byte offsets; 1-based line and Unicode-scalar
/// column) and LSP positions, over one version of a document's bytes. LSP lines end at `\n`,
/// `\r\n` or a bare `\r`; the engine's (`Document`) only at `\n`, so engine lines are turned into
/// byte offsets first. Positions past a line's end clamp to it, as the protocol asks, and a
/// position inside a surrogate pair snaps to the start of its scalar.
package struct TextPositions {
    package let bytes: [UInt8]
    /// LSP lines.
    package let lineStarts: [Int]
    /// The engine's lines (`\n` only); nil when they are the LSP lines (no bare `\r`).
    private let engineLineStarts: [Int]?

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        var bareCR = false
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                starts.append(i + 1)
            } else if bytes[i] == 0x0D, i + 1 >= bytes.count || bytes[i + 1] != 0x0A {
                starts.append(i + 1)
                bareCR = true
            }
            i += 1
        }
        lineStarts = starts
        engineLineStarts = bareCR ? [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 } : nil
    }

    /// Byte offset where the content of `line` (0-based) ends, before `\r\n`, `\n` or `\r`.
    package func contentEnd(ofLine line: Int) -> Int {
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
        if end > lineStarts[line] && bytes[end - 1] == 0x0A { end -= 1 }
        if end > lineStarts[line] && bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// Length in bytes of the UTF-8 sequence led by `byte` (1 for stray continuation bytes).
    private static func sequenceLength(_ byte: UInt8) -> Int {
        if byte < 0xC0 { return 1 }
        if byte < 0xE0 { return 2 }
        if byte < 0xF0 { return 3 }
        return 4
    }

    /// UTF-16 units of the bytes in `range` (a 4-byte sequence is a surrogate pair).
    package func utf16Count(_ range: Range<Int>) -> Int {
        var i = range.lowerBound, units = 0
        while i < range.upperBound {
            let n = Self.sequenceLength(bytes[i])
            units += n == 4 ? 2 : 1
            i += n
        }
        return units
    }

    package func line(ofByte offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    package func position(ofByte offset: Int) -> LSPPosition {
        let o = min(max(0, offset), bytes.count)
        let line = line(ofByte: o)
        // An offset inside a `\r\n` terminator is the end of the line's content.
        return LSPPosition(line: line, character: utf16Count(lineStarts[line]..<min(o, contentEnd(ofLine: line))))
    }

    package func range(ofBytes range: Range<Int>) -> LSPRange {
        LSPRange(start: position(ofByte: range.lowerBound), end: position(ofByte: range.upperBound))
    }

    /// The byte offset of an LSP position (clamped into the document).
    package func offset(of position: LSPPosition) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return bytes.count }
        let end = contentEnd(ofLine: position.line)
        var i = lineStarts[position.line], units = 0
        while i < end {
            let n = Self.sequenceLength(bytes[i])
            let width = n == 4 ? 2 : 1
            if units + width > position.character { break }
            units += width
            i = min(i + n, end)
        }
        return i
    }

    /// The LSP position of a 1-based line and Unicode-scalar column (the engine's `Diagnostic`).
    package func position(line: Int, scalarColumn: Int) -> LSPPosition {
        let starts = engineLineStarts ?? lineStarts
        let l = line - 1
        guard l >= 0 else { return LSPPosition(line: 0, character: 0) }
        guard l < starts.count else { return position(ofByte: bytes.count) }
        var end = l + 1 < starts.count ? starts[l + 1] : bytes.count
        if end > starts[l] && bytes[end - 1] == 0x0A { end -= 1 }
        if end > starts[l] && bytes[end - 1] == 0x0D { end -= 1 }
        var i = starts[l], scalars = 1
        while i < end && scalars < scalarColumn {
            i += Self.sequenceLength(bytes[i])
            scalars += 1
        }
        return position(ofByte: min(i, end))
    }
}
