import Testing
@testable import NewsLintCore

/// Session 19: `Document.scalarCount` and `position(ofByte:)` take a long range's count from the
/// shared scalar decode when one exists. Every answer must be the bytes' count (`scalarStarts`):
/// with and without the decode, ends inside a scalar, ill-formed files.
@Suite struct ScalarCountFromDecodeTests {
    static func randomText(_ rng: inout SeededRandom, valid: Bool) -> [UInt8] {
        let pieces: [[UInt8]] = [Array("a".utf8), Array(" <p>".utf8), Array("\n".utf8), Array("新聞".utf8), Array("é".utf8),
                                 Array("😀".utf8), Array("，".utf8)] + (valid ? [] : [[0xFF], [0xE4, 0xB8]])
        var bytes: [UInt8] = []
        let count = Int.random(in: 0...600, using: &rng)
        for _ in 0..<count { bytes += pieces.randomElement(using: &rng) ?? [] }
        return bytes
    }

    @Test func countsMatchTheBytesCount() {
        var rng = SeededRandom(seed: 19_002)
        for n in 0..<400 {
            let bytes = Self.randomText(&rng, valid: n % 4 != 0)
            let document = Document(path: "a.md", bytes: bytes)
            if n % 2 == 0 { _ = document.scalars }
            for _ in 0..<20 {
                let lower = Int.random(in: 0...bytes.count, using: &rng)
                let upper = Int.random(in: lower...bytes.count, using: &rng)
                #expect(document.scalarCount(lower..<upper) == Document.scalarStarts(bytes, lower..<upper), "\(n) \(lower)..<\(upper)")
                let position = document.position(ofByte: upper)
                let start = document.lineStarts[position.line - 1]
                #expect(position.column == 1 + Document.scalarStarts(bytes, start..<upper), "\(n) \(upper)")
            }
        }
    }
}
